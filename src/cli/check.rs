//! `bulletin check [N]`: every problem of an issue, and sign-off.

use std::process::ExitCode;

use bulletin::check;
use bulletin::diag::{Diagnostics, display_path};
use bulletin::ops::{self, sign::SignRefused};
use bulletin::signoff;

use super::{Ctx, EXIT_CONTENT, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin check 39\n  bulletin check 39 --format json\n  bulletin check 39 --sign 核稿 --name 张三\n  bulletin check 39 --unsign 核稿\n  bulletin check 39 --fix --dry-run\n  bulletin check 39 --fix\n  bulletin check --rules\n\n豁免某一处问题：在它的上一行写 <!-- bulletin:allow 规则代码 理由 -->\n规则级别在 bulletin.toml 的 [check.levels] 里设置，例如 P013 = \"off\""
)]
pub struct Args {
    /// 期号（默认最新一期）
    #[arg(value_name = "期号", help_heading = "参数", value_parser = super::parse_issue_number)]
    number: Option<u32>,
    /// 输出格式：text（默认）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
    /// 检查无误后以这个角色签核（角色见 bulletin.toml 的 [footer] signoffs）
    #[arg(
        long,
        value_name = "角色",
        requires = "name",
        conflicts_with = "unsign"
    )]
    sign: Option<String>,
    /// 签核人姓名（与 --sign 一起用）
    #[arg(long, value_name = "姓名")]
    name: Option<String>,
    /// 送审稿上印的审核码：确认签的就是读过的那一稿，稿件改过则不签并列出改动
    #[arg(long, value_name = "审核码", requires = "sign")]
    code: Option<String>,
    /// 替换另一人仍然有效的签核时，写出被替换人的姓名
    #[arg(long, value_name = "姓名", requires = "sign")]
    replace: Option<String>,
    /// 撤回这个角色的签核
    #[arg(long, value_name = "角色")]
    unsign: Option<String>,
    /// 自动改正确定无误的问题（汉字旁的半角标点、成对的直引号、全角数字字母、汉字与数字间的空格、1、 序号、日期间的横线），列出改动后重新检查
    #[arg(long, conflicts_with_all = ["sign", "unsign"])]
    fix: bool,
    /// 与 --fix 一起用：只列出会做的改动，不修改文件
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// 列出所有检查规则及默认级别
    #[arg(long)]
    rules: bool,
}

fn print_rules() {
    outln!("代码  默认级别  检查内容");
    for r in check::RULES {
        outln!("{}  {}      {}", r.code, r.level.label(), r.what);
    }
    outln!(
        "\n在 bulletin.toml 里改级别：\n[check.levels]\nP013 = \"off\"     # error、warning 或 off"
    );
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    if a.rules {
        print_rules();
        return ExitCode::SUCCESS;
    }
    if a.name.is_some() && a.sign.is_none() {
        eprintln!(
            "错误：--name 要与 --sign 一起用\n\n用法：bulletin check 期号 --sign 角色 --name 姓名"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let root = ws.root.clone();

    if let Some(role) = &a.unsign {
        return match ops::sign::unsign(&ws, a.number, role) {
            Ok(s) => {
                outln!(
                    "已撤回第{}期“{}”的签核（{}，{}）",
                    s.number,
                    s.record.role,
                    s.record.name,
                    signoff::display_time(&s.record.time)
                );
                ExitCode::SUCCESS
            }
            Err(d) => super::report_failure(&d, Some(&root)),
        };
    }

    if a.fix {
        match ops::fix::fix(&ws, a.number, a.dry_run) {
            Ok(r) => {
                print_fix(&r, a.format == "json", &root);
                if a.dry_run {
                    return ExitCode::SUCCESS;
                }
            }
            Err(d) => return super::report_failure(&d, Some(&root)),
        }
    }

    let report = ops::check::check(&ws, a.number);
    let diags = &report.diags;
    if a.format == "json" {
        outln!("{}", json(&report, &root));
    } else {
        super::print_diagnostics(diags, Some(&root));
        match &report.issue {
            Some(issue) => eprintln!("第{}期检查完毕：{}", issue.number, super::summary(diags)),
            None => eprintln!("检查完毕：{}", super::summary(diags)),
        }
    }

    if let Some(role) = &a.sign {
        let name = a.name.as_deref().unwrap_or_default();
        match ops::sign::sign(
            &ws,
            &report,
            role,
            name,
            a.replace.as_deref(),
            a.code.as_deref(),
        ) {
            Ok(s) => {
                let r = &s.record;
                let msg = format!(
                    "{}已签核第{}期“{}”（{} 篇稿件，摘要 {}），记录在 {}",
                    r.name,
                    s.number,
                    r.role,
                    r.items.len(),
                    r.digest.get(..12).unwrap_or(&r.digest),
                    display_path(&s.file, Some(&root))
                );
                // Keep stdout pure JSON when JSON was asked for.
                if a.format == "json" {
                    eprintln!("{msg}");
                } else {
                    outln!("{msg}");
                }
            }
            Err(SignRefused::NoIssue) => {
                eprintln!("有错误，不能签核。");
                return ExitCode::from(EXIT_CONTENT);
            }
            Err(SignRefused::Errors { count, number }) => {
                eprintln!(
                    "还有 {count} 个错误，不能签核：请先改正，再运行 bulletin check {number} --sign {role} --name {name}"
                );
                return ExitCode::from(EXIT_CONTENT);
            }
            Err(SignRefused::CodeMismatch {
                given,
                now,
                changes,
            }) => {
                eprintln!(
                    "错误[S014]: 审核码 {given} 与本期现在的版本（{now}）不符：你读过的送审稿之后，稿件或版式有改动，没有签核"
                );
                match changes {
                    Some(lines) => {
                        eprintln!("  改动：");
                        for l in lines {
                            eprintln!("    {l}");
                        }
                    }
                    None => eprintln!("  （本机没有审核码为 {given} 的送审稿记录，无法列出改动）"),
                }
                eprintln!(
                    "  = 提示：请重新编排送审稿（bulletin build），读过新稿后用新的审核码签核"
                );
                return ExitCode::from(EXIT_CONTENT);
            }
            Err(SignRefused::Diags(d)) => {
                // The check's summary is above; this is why signing failed.
                super::print_diagnostics(&d, Some(&root));
                eprintln!("没有签核：{} 个问题见上。", d.error_count());
                return ExitCode::from(EXIT_CONTENT);
            }
        }
    }
    if diags.has_errors() {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

/// The diffs of `--fix` (on stderr when stdout is JSON) and a summary.
fn print_fix(r: &ops::fix::FixReport, json: bool, root: &std::path::Path) {
    for f in &r.files {
        if json {
            eprint!("{}", f.diff);
        } else {
            use std::io::Write as _;
            let _ = write!(std::io::stdout(), "{}", f.diff);
        }
    }
    super::print_diagnostics(&r.skipped, Some(root));
    let edits: usize = r.files.iter().map(|f| f.edits).sum();
    if r.files.is_empty() {
        eprintln!("第{}期没有可以自动改正的问题。", r.number);
    } else if r.dry_run {
        eprintln!(
            "第{}期：{} 个文件共 {edits} 处可以自动改正（以上为改动预览，没有修改文件；去掉 --dry-run 即改正）。",
            r.number,
            r.files.len()
        );
    } else {
        eprintln!(
            "第{}期：已改正 {} 个文件共 {edits} 处。下面是改正后仍然存在的问题：",
            r.number,
            r.files.len()
        );
    }
}

/// The report as JSON: paths relative to the workspace.
fn json(report: &ops::check::Report, root: &std::path::Path) -> String {
    let mut diags: Diagnostics = report.diags.clone();
    for d in &mut diags.items {
        if let Some(l) = &mut d.location
            && let Ok(rel) = l.path.strip_prefix(root)
        {
            l.path = rel.to_path_buf();
        }
    }
    let v = serde_json::json!({
        "issue": report.issue.as_ref().map(|i| i.number),
        "errors": diags.error_count(),
        "warnings": diags.warning_count(),
        "diagnostics": diags.items,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
