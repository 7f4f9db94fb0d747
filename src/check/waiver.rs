//! Waivers: one occurrence of a rule can be accepted by a visible marker in
//! the submission that names the rule and, ideally, the reason:
//!
//! ```text
//! <!-- bulletin:allow P013 “and”是活动的英文名称 -->
//! 全力做好困难群众救助and帮扶工作。
//! ```
//!
//! In the front matter, and in issue.toml for the numbering rules, the
//! marker is a TOML comment (`# bulletin:allow P012 标题本身是问句`). A marker on a line of its own
//! covers the next non-blank line; a marker after text covers its own line.
//! The marker is never printed. A marker naming an unknown rule (C001),
//! waiving nothing (C002) or giving no reason (C004) is reported.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Issue;
use crate::source::SourceFile;

pub use crate::model::WAIVER_MARKER as MARKER;

#[derive(Debug, Clone)]
pub struct Waiver {
    /// 1-based line the marker covers.
    pub line: usize,
    pub codes: Vec<String>,
    pub reason: String,
    /// Byte span of the marker, for its own diagnostics.
    pub span: std::ops::Range<usize>,
}

/// Every marker in a submission.
pub fn parse(text: &str) -> Vec<Waiver> {
    let lines: Vec<&str> = text.split('\n').collect();
    // The front matter ends at the second `+++` line.
    let front_end = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim() == "+++")
        .nth(1)
        .map_or(0, |(n, _)| n);
    parse_lines(&lines, front_end)
}

/// Every marker in a TOML file (issue.toml): `# bulletin:allow N002 理由`.
pub fn parse_toml(text: &str) -> Vec<Waiver> {
    let lines: Vec<&str> = text.split('\n').collect();
    parse_lines(&lines, lines.len())
}

/// Markers in `lines`; before line `toml_end` they are `#` comments,
/// after it HTML comments.
fn parse_lines(lines: &[&str], front_end: usize) -> Vec<Waiver> {
    let mut out = Vec::new();
    let mut pos = 0;
    for (n, line) in lines.iter().enumerate() {
        let start = pos;
        pos += line.len() + 1;
        let Some(m) = line.find(MARKER) else { continue };
        // A TOML comment in the front matter, an HTML comment in the body
        // (a `#` line in the body would print as a heading).
        let in_comment = if n < front_end {
            line[..m].contains('#')
        } else {
            line[..m].contains("<!--")
        };
        if !in_comment {
            continue;
        }
        let rest = &line[m + MARKER.len()..];
        let rest = rest.split("-->").next().unwrap_or(rest);
        let mut codes = Vec::new();
        let mut reason = Vec::new();
        for tok in rest
            .split([' ', '\t', ',', '，', '、', '\u{3000}'])
            .filter(|t| !t.is_empty())
        {
            let is_code = reason.is_empty()
                && tok.len() == 4
                && tok.as_bytes()[0].is_ascii_uppercase()
                && tok[1..].bytes().all(|b| b.is_ascii_digit());
            if is_code {
                codes.push(tok.to_string());
            } else {
                reason.push(tok);
            }
        }
        // What the line holds besides the marker's comment.
        let comment_start = line[..m]
            .rfind("<!--")
            .or_else(|| line[..m].rfind('#'))
            .unwrap_or(m);
        let comment_end = line[m..].find("-->").map_or(line.len(), |e| m + e + 3);
        let other = format!("{}{}", &line[..comment_start], &line[comment_end..]);
        let line_no = if other.trim().is_empty() {
            // The next non-blank line.
            (n + 1..lines.len())
                .find(|&k| !lines[k].trim().is_empty())
                .map_or(n + 1, |k| k + 1)
        } else {
            n + 1
        };
        out.push(Waiver {
            line: line_no,
            codes,
            reason: reason.join(" "),
            span: start + comment_start..start + comment_end.min(line.len()),
        });
    }
    out
}

/// A file and its markers, each with whether it waived something.
type FileWaivers<'a> = (&'a SourceFile, Vec<(Waiver, bool)>);

/// Drop the rule diagnostics a marker waives. Returns the remaining rule
/// diagnostics and the problems with the markers themselves.
/// `toml_files` are TOML files whose `#` comments may hold markers
/// (issue.toml, for the numbering rules).
pub fn apply(
    issue: &Issue,
    toml_files: &[SourceFile],
    rules: Diagnostics,
) -> (Diagnostics, Diagnostics) {
    let mut files: HashMap<PathBuf, FileWaivers> = HashMap::new();
    let sources = issue
        .items()
        .map(|i| (&*i.source, parse(&i.source.text)))
        .chain(toml_files.iter().map(|f| (f, parse_toml(&f.text))));
    for (src, ws) in sources {
        if !ws.is_empty() {
            files.insert(
                src.path.clone(),
                (src, ws.into_iter().map(|w| (w, false)).collect()),
            );
        }
    }
    let mut kept = Diagnostics::default();
    for d in rules.items {
        let waived = d.location.as_ref().and_then(|l| {
            let (_, ws) = files.get_mut(&l.path)?;
            ws.iter_mut()
                .find(|(w, _)| w.line == l.line && w.codes.iter().any(|c| c == d.code))
                .map(|(_, used)| *used = true)
        });
        if waived.is_none() {
            kept.push(d);
        }
    }
    let mut problems = Diagnostics::default();
    let mut paths: Vec<&PathBuf> = files.keys().collect();
    paths.sort();
    for p in paths {
        let (src, ws) = &files[p];
        for (w, used) in ws {
            let at = |d: Diagnostic| d.at(&src.path, &src.text, w.span.clone());
            if w.codes.is_empty() {
                problems.push(
                    at(Diagnostic::warning("C001", "豁免标记没有写规则代码")).with_hint(
                        "写成 <!-- bulletin:allow P013 理由 -->，代码见 bulletin check 的输出",
                    ),
                );
                continue;
            }
            for c in &w.codes {
                if super::find_rule(c).is_none() {
                    problems.push(
                        at(Diagnostic::warning(
                            "C001",
                            format!("豁免标记里的“{c}”不是检查规则的代码"),
                        ))
                        .with_hint("规则代码见 bulletin check --rules"),
                    );
                }
            }
            if !used {
                problems.push(
                    at(Diagnostic::warning(
                        "C002",
                        format!("豁免标记（{}）下一行没有要豁免的问题", w.codes.join("、")),
                    ))
                    .with_hint("问题已改正的话，请删去这个标记"),
                );
            }
            if w.reason.is_empty() {
                problems.push(
                    at(Diagnostic::warning("C004", "豁免标记没有写理由")).with_hint(
                        "在规则代码后写上理由，方便审核：<!-- bulletin:allow P013 理由 -->",
                    ),
                );
            }
        }
    }
    (kept, problems)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    #[test]
    fn marker_covers_next_line() {
        let ws = parse("a\n<!-- bulletin:allow P013, P001 活动英文名 -->\n\n正文and正文\n");
        assert_eq!(ws.len(), 1);
        assert_eq!(ws[0].line, 4);
        assert_eq!(ws[0].codes, vec!["P013", "P001"]);
        assert_eq!(ws[0].reason, "活动英文名");
        let ws = parse("正文and正文 <!-- bulletin:allow P013 原文如此 -->\n");
        assert_eq!(ws[0].line, 1);
        let ws = parse("+++\n# bulletin:allow P012 标题是引语\ntitle = \"好。\"\n+++\n\n正文\n");
        assert_eq!(ws[0].line, 3);
        // In the body only an HTML comment is a marker.
        assert!(parse("+++\n+++\n# bulletin:allow P013 理由\n正文and正文\n").is_empty());
        assert!(parse("+++\n+++\n正文 bulletin:allow P013\n").is_empty());
    }

    #[test]
    fn waiver_removes_exactly_one_occurrence() {
        let body = "<!-- bulletin:allow P013 活动的英文名称 -->\n全力做好救助and帮扶工作。\n\n全力做好救助and帮扶工作。";
        let it = item("a.md", Some("标题"), "市局办公室", "2025-12-01", body);
        let iss = issue(vec![it], vec![]);
        let rules = super::super::punct::check(&iss);
        assert_eq!(codes(&rules), vec!["P013@8:7", "P013@10:7"]);
        let (kept, problems) = apply(&iss, &[], rules);
        assert_eq!(codes(&kept), vec!["P013@10:7"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn marker_problems_reported() {
        let body = "<!-- bulletin:allow P999 -->\n正文。";
        let it = item("a.md", Some("标题"), "市局办公室", "2025-12-01", body);
        let iss = issue(vec![it], vec![]);
        let (_, problems) = apply(&iss, &[], Diagnostics::default());
        let got: Vec<&str> = problems.items.iter().map(|d| d.code).collect();
        assert_eq!(got, vec!["C001", "C002", "C004"]);
    }
}
