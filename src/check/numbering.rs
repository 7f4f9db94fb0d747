//! Numbering against the other issues of the workspace: a running total
//! already used (N001), a gap after the previous issue (N002), a date
//! earlier than the previous issue's (N003). When the workspace numbers
//! by year, the number within the year is checked per year as well: a new
//! year restarts at 1, a gap or a number used twice within a year is
//! reported (N002, N001).

use chrono::Datelike;

use super::diag;
use crate::dates::format_cn;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Issue;
use crate::workspace::IssueMeta;

/// `issue` against `others`, the metadata of every other issue of the
/// workspace.
pub fn check(issue: &Issue, others: &[IssueMeta]) -> Diagnostics {
    let mut out = Diagnostics::default();
    // issue.toml is the first configuration file of an assembled issue.
    let own = issue.config_files.first();
    let at = |d: Diagnostic, key: &str| match own {
        Some(file) => {
            let span = file
                .index
                .key(key)
                .zip(file.index.value(key))
                .map(|(k, v)| k.start..v.end);
            file.attach(d, span)
        }
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
    if let Some(y) = issue.year_number {
        yearly(issue, y, others, &mut |d, key| out.push(at(d, key)));
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
                    match issue.year_number {
                        // By year, `number` is the running number.
                        Some(_) => format!(
                            "上一期是总第{}期，本期是总第{}期：中间缺了总{}",
                            p.number,
                            issue.number,
                            missing(p.number, issue.number)
                        ),
                        None => format!(
                            "上一期是第{}期，本期是第{}期：中间缺了{}",
                            p.number,
                            issue.number,
                            missing(p.number, issue.number)
                        ),
                    },
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

/// The number within the year `y` of `issue` against the other issues of
/// the same year.
fn yearly(issue: &Issue, y: u32, others: &[IssueMeta], push: &mut dyn FnMut(Diagnostic, &str)) {
    let year = issue.date.year();
    let same_year: Vec<&IssueMeta> = others.iter().filter(|o| o.date.year() == year).collect();
    if let Some(o) = same_year.iter().find(|o| o.year_number == Some(y)) {
        push(
            diag(
                "N001",
                format!(
                    "{year}年第{y}期已被总第{}期（issues/{}/）使用",
                    o.number, o.number
                ),
            )
            .with_hint("核对 issue.toml 的 year_number：同一年里每期的年内期号不能重复"),
            "year_number",
        );
    }
    let prev = same_year
        .iter()
        .filter_map(|o| o.year_number.filter(|&n| n < y))
        .max();
    match prev {
        Some(p) if p + 1 != y => push(
            diag(
                "N002",
                format!(
                    "{year}年上一期是第{p}期，本期是第{y}期：中间缺了{year}年{}",
                    missing(p, y)
                ),
            )
            .with_hint("核对 issue.toml 的 year_number，或补上缺少的期"),
            "year_number",
        ),
        None if y != 1 && others.iter().any(|o| o.date.year() < year) => push(
            diag(
                "N002",
                format!("本期是{year}年的第一期，却编为第{y}期：按年编号每年从第1期起"),
            )
            .with_hint("把 issue.toml 的 year_number 改为 1"),
            "year_number",
        ),
        _ => {}
    }
}

fn missing(prev: u32, cur: u32) -> String {
    if cur == prev + 2 {
        format!("第{}期", prev + 1)
    } else {
        format!("第{}—{}期", prev + 1, cur - 1)
    }
}
