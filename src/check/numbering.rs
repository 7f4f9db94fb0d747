//! Numbering against the other issues of the workspace: a running total
//! already used (N001), a gap after the previous issue (N002), a date
//! earlier than the previous issue's (N003).

use super::diag;
use crate::dates::format_cn;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Issue;
use crate::workspace::{ISSUE_FILE, IssueMeta, Workspace};

pub fn check(ws: &Workspace, issue: &Issue) -> Diagnostics {
    let mut out = Diagnostics::default();
    let Ok(dirs) = ws.issue_dirs() else {
        return out;
    };
    let mut others: Vec<IssueMeta> = Vec::new();
    let mut own = None;
    for d in dirs {
        let Ok(src) = crate::source::read(&d.path.join(ISSUE_FILE)) else {
            continue;
        };
        if d.number == issue.number {
            own = Some(src);
            continue;
        }
        if let Ok(m) = IssueMeta::parse(&src) {
            others.push(m);
        }
    }
    let at = |d: Diagnostic, key: &str| match &own {
        Some(src) => match key_line(&src.text, key) {
            Some(span) => d.at(&src.path, &src.text, span),
            None => d.in_file(&src.path),
        },
        None => d,
    };
    if let Some(total) = issue.total_number
        && let Some(o) = others.iter().find(|o| o.total_number == Some(total))
    {
        out.push(at(
            diag("N001", format!("总第{total}期已被第{}期使用", o.number))
                .with_hint("核对 issue.toml 的 total_number"),
            "total_number",
        ));
    }
    let prev = others
        .iter()
        .filter(|o| o.number < issue.number)
        .max_by_key(|o| o.number);
    if let Some(p) = prev {
        if p.number + 1 != issue.number {
            out.push(at(
                diag(
                    "N002",
                    format!(
                        "上一期是第{}期，本期是第{}期：中间缺了{}",
                        p.number,
                        issue.number,
                        missing(p.number, issue.number)
                    ),
                )
                .with_hint("核对 issue.toml 的 number，或补上缺少的期"),
                "number",
            ));
        }
        if let (Some(pt), Some(t)) = (p.total_number, issue.total_number)
            && pt < t
            && pt + (issue.number - p.number) != t
        {
            out.push(at(
                diag(
                    "N002",
                    format!("上一期是总第{pt}期，本期是总第{t}期：总期号与期号不对应"),
                )
                .with_hint(format!("本期应为总第{}期", pt + (issue.number - p.number))),
                "total_number",
            ));
        }
        if issue.date < p.date {
            out.push(at(
                diag(
                    "N003",
                    format!(
                        "本期日期 {} 早于上一期（第{}期）的日期 {}",
                        format_cn(issue.date),
                        p.number,
                        format_cn(p.date)
                    ),
                )
                .with_hint("核对 issue.toml 的 date"),
                "date",
            ));
        }
    }
    out
}

fn missing(prev: u32, cur: u32) -> String {
    if cur == prev + 2 {
        format!("第{}期", prev + 1)
    } else {
        format!("第{}—{}期", prev + 1, cur - 1)
    }
}

/// The span of the `key = …` line in a TOML file.
fn key_line(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let lead = line.len() - t.len();
            return Some(start + lead..start + line.trim_end().len());
        }
    }
    None
}
