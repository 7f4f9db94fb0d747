//! `bulletin fonts [N]`: the font of each role, and every character of an
//! issue printed from another font, with its places and what to do.

use std::process::ExitCode;

use bulletin::ops;
use bulletin::ops::fonts::{FontsReport, place};

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin fonts\n  bulletin fonts 39 --format json"
)]
pub struct Args {
    /// 期号（默认最新一期）
    #[arg(value_name = "期号", help_heading = "参数", value_parser = super::parse_issue_number)]
    number: Option<u32>,
    /// 输出格式：text（默认）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// Text from files for the terminal: control characters escaped.
fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    bulletin::text::terminal_safe(s)
}

fn json(r: &FontsReport, root: &std::path::Path) -> String {
    let roles: Vec<serde_json::Value> = r
        .roles
        .iter()
        .map(|f| {
            serde_json::json!({
                "role": f.role.key(),
                "label": f.role.label(),
                "font": f.font,
                "source": f.source,
                "style": f.style.map(|s| s.label()),
            })
        })
        .collect();
    let chars: Vec<serde_json::Value> = r
        .chars
        .iter()
        .map(|c| {
            serde_json::json!({
                "char": c.ch.to_string(),
                "code": format!("U+{:04X}", c.ch as u32),
                "font": c.font,
                "source": c.source,
                "installed": c.installed,
                "style": c.style.map(|s| s.label()),
                "style_matches": c.style_matches(&r.roles),
                "roles": c.roles.iter().map(|x| x.key()).collect::<Vec<_>>(),
                "places": c.places.iter().map(|p| serde_json::json!({
                    "path": bulletin::diag::display_path(&p.path, Some(root)),
                    "line": p.line,
                    "column": p.column,
                })).collect::<Vec<_>>(),
                "advice": c.advice(&r.roles),
            })
        })
        .collect();
    let v = serde_json::json!({
        "issue": r.issue.number,
        "roles": roles,
        "chars": chars,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let root = ws.root.clone();
    let r = match ops::fonts::fonts(&ws, a.number) {
        Ok(r) => r,
        Err(d) => return super::report_failure(&d, Some(&root)),
    };
    super::print_diagnostics(&r.warnings, Some(&root));
    if a.format == "json" {
        outln!("{}", json(&r, &root));
        return ExitCode::SUCCESS;
    }
    outln!(
        "{}{} 用到的字体",
        safe(&r.issue.title),
        r.issue.number_label()
    );
    outln!("各用途的字体（bulletin.toml 的 [fonts] 键）：");
    for f in &r.roles {
        let style = f
            .style
            .map(|s| format!("，{}", s.label()))
            .unwrap_or_default();
        outln!(
            "  {:<12}{}：{}（{}{style}）",
            f.role.key(),
            f.role.label(),
            safe(&f.font),
            safe(&f.source)
        );
    }
    if r.chars.is_empty() {
        outln!("本期每个字都由所在用途自己的字体印出。");
        return ExitCode::SUCCESS;
    }
    outln!(
        "不是由所在用途自己的字体印出的字（共 {} 个）：",
        r.chars.len()
    );
    for c in &r.chars {
        let roles: Vec<String> = c
            .roles
            .iter()
            .map(|x| format!("{}（{}）", x.key(), x.label()))
            .collect();
        let from = match (&c.font, &c.source) {
            (Some(f), Some(s)) => {
                let kind = if c.installed {
                    "本机安装的字体"
                } else {
                    "后备字体"
                };
                format!("用{kind} {}（{}）印出", safe(f), safe(s))
            }
            _ => "没有任何字体有此字".to_string(),
        };
        outln!(
            "  “{}” U+{:04X}：{from}；用在 {}，共 {} 处：",
            c.ch,
            c.ch as u32,
            roles.join("、"),
            c.places.len()
        );
        for p in &c.places {
            outln!("      {}", place(&root, p));
        }
        outln!("    处理：{}", c.advice(&r.roles));
    }
    ExitCode::SUCCESS
}
