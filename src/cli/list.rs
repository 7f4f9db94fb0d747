//! `bulletin list`: a table of the issues — number, date, items per
//! section, sign-offs and where each issue stands.

use std::process::ExitCode;

use bulletin::ops::{self, list::Listed};

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin list\n  bulletin list --format json\n\n状态：送审稿（还没有有效签核）、签核中（部分角色已签）、可出正式版（全部签核有效）、已出正式版（全部签核有效且 out/期号/ 里已有正式版文件）"
)]
pub struct Args {
    /// 输出格式：text（默认）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// Cells a string takes on a terminal.
fn width(s: &str) -> usize {
    s.chars().map(bulletin::text::terminal_width).sum()
}

/// Rows padded to columns of equal display width, two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter(|r| r.len() > 1)
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i].saturating_sub(width(c)) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn json(listed: &[Listed]) -> String {
    let issues: Vec<serde_json::Value> = listed
        .iter()
        .map(|e| match e {
            Listed::Issue {
                number,
                date,
                total_number,
                year_number,
                label,
                sections,
                stage,
                signed,
                roles,
                ..
            } => serde_json::json!({
                "number": number,
                "year_number": year_number,
                "label": label,
                "date": date.format("%Y-%m-%d").to_string(),
                "total_number": total_number,
                "sections": sections.iter().map(|(name, n)| serde_json::json!({"name": name, "items": n})).collect::<Vec<_>>(),
                "items": sections.iter().map(|(_, n)| n).sum::<usize>(),
                "signed": signed,
                "roles": roles,
                "state": stage.key(),
                "state_label": stage.label(),
            }),
            Listed::Broken { number, errors } => serde_json::json!({
                "number": number,
                "state": "broken",
                "errors": errors,
            }),
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "issues": issues })).unwrap_or_default()
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let listed = match ops::list::list(&ws) {
        Ok(l) => l,
        Err(diags) => return super::report_failure(&diags, Some(&ws.root)),
    };
    let failed = listed.iter().any(|e| matches!(e, Listed::Broken { .. }));
    let code = if failed {
        ExitCode::from(super::EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    };
    if a.format == "json" {
        outln!("{}", json(&listed));
        return code;
    }
    if listed.is_empty() {
        outln!("还没有任何一期。新建：bulletin issue new");
        return code;
    }
    let safe = |s: &str| bulletin::text::terminal_safe(s).into_owned();
    let names: Vec<String> = ws.config.sections.iter().map(|s| safe(&s.name)).collect();
    let mut header = vec!["期号".to_string(), "日期".to_string()];
    header.extend(names.iter().cloned());
    header.extend(["签核".to_string(), "状态".to_string()]);
    let mut rows = vec![header];
    for entry in &listed {
        match entry {
            Listed::Issue {
                date,
                year_number,
                label,
                total_label,
                sections,
                stage,
                signed,
                roles,
                ..
            } => {
                // By year the running number goes alongside: 2026年第1期（总第121期）.
                let name = match (year_number, total_label) {
                    (Some(_), Some(t)) => format!("{label}{t}"),
                    _ => label.clone(),
                };
                let mut row = vec![name, bulletin::dates::format_cn(*date)];
                for s in &ws.config.sections {
                    let n = sections
                        .iter()
                        .find(|(name, _)| *name == s.name)
                        .map_or(0, |(_, n)| *n);
                    row.push(n.to_string());
                }
                row.push(format!("{signed}/{roles}"));
                row.push(stage.label().to_string());
                rows.push(row);
            }
            Listed::Broken { number, errors } => rows.push(vec![format!(
                "第{number}期  有 {errors} 个错误（运行 bulletin check {number} 查看）"
            )]),
        }
    }
    outln!("{}", table(&rows).trim_end());
    code
}
