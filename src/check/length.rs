//! Length: a 简讯 item over the limit (L001), an article title over the
//! limit (L002), a section without items (L003).

use super::{Limits, diag, diag_at, printed_len};
use crate::diag::Diagnostics;
use crate::model::{Issue, SectionStyle};
use crate::source::SourceFile;

pub fn check(issue: &Issue, limits: &Limits, config: Option<&SourceFile>) -> Diagnostics {
    let mut out = Diagnostics::default();
    // Where a long brief could go instead: the workspace's own first
    // section with titled articles.
    let elsewhere = issue
        .sections
        .iter()
        .find(|s| s.style == SectionStyle::Article)
        .map_or(String::new(), |s| format!("内容多的改投“{}”栏目。", s.name));
    for section in &issue.sections {
        if section.items.is_empty() {
            let d = diag("L003", format!("栏目“{}”本期没有稿件", section.name))
                .with_hint("补充稿件，或确认本期不设这个栏目（空栏目不会印出）");
            let needle = format!("\"{}\"", section.name);
            out.push(
                match config.and_then(|c| c.text.find(&needle).map(|i| (c, i))) {
                    Some((c, i)) => d.at(&c.path, &c.text, i..i + needle.len()),
                    None => d,
                },
            );
        }
        for item in &section.items {
            match section.style {
                SectionStyle::Brief => {
                    let n = printed_len(&item.plain_text());
                    if n > limits.brief_max_chars {
                        let body = body_start(&item.source.text).unwrap_or(0);
                        out.push(diag_at(
                            "L001",
                            &item.source,
                            body..body + 1,
                            format!("简讯有 {n} 字，超过 {} 字", limits.brief_max_chars),
                            Some(format!("简讯宜一段话说清；{elsewhere}字数上限可在 [check] brief_max_chars 设置")),
                        ));
                    }
                }
                SectionStyle::Article => {
                    if let (Some(t), Some(span)) = (&item.title, &item.title_span) {
                        let n = printed_len(t);
                        if n > limits.title_max_chars {
                            out.push(diag_at(
                                "L002",
                                &item.source,
                                span.clone(),
                                format!("标题有 {n} 字，超过 {} 字", limits.title_max_chars),
                                Some(
                                    "精简标题；字数上限可在 [check] title_max_chars 设置"
                                        .to_string(),
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The first non-blank byte after the front matter.
fn body_start(text: &str) -> Option<usize> {
    let mut fences = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        if fences < 2 {
            if line.trim() == "+++" {
                fences += 1;
            }
            continue;
        }
        if !line.trim().is_empty() {
            return Some(start + (line.len() - line.trim_start().len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    fn limits() -> Limits {
        Limits {
            brief_max_chars: 60,
            title_max_chars: 20,
            max_age_days: 60,
        }
    }

    #[test]
    fn long_brief_and_title_and_empty_section() {
        let long = "12月3日，桐柏县民政局联合县司法局开展宪法宣传周集中宣传活动，现场解答群众关于社会救助、养老服务等方面的政策咨询60余人次，发放宣传资料500余份。";
        let brief = item("b.md", None, "桐柏县民政局", "2025-12-03", long);
        let title = "关于全市养老服务质量提升现场观摩会在方城县顺利召开的情况通报";
        let art = item(
            "a.md",
            Some(title),
            "市养老服务中心",
            "2025-12-02",
            "正文。",
        );
        let d = check(&issue(vec![art], vec![brief]), &limits(), None);
        assert_eq!(codes(&d), vec!["L002@2:9", "L001@6:1"]);
        assert!(
            d.items[1].message.contains("超过 60 字"),
            "{}",
            d.items[1].message
        );

        let short = item(
            "b.md",
            None,
            "桐柏县民政局",
            "2025-12-03",
            "12月3日，桐柏县开展宪法宣传活动。",
        );
        let d = check(&issue(vec![], vec![short]), &limits(), None);
        assert_eq!(codes(&d), vec!["L003"]);
    }
}
