//! C010: the placeholder body that `bulletin new` writes
//! ([`PLACEHOLDER_BODY`]) is still in a submission. A draft still builds
//! (showing it); `check`, sign-off and `build --final` refuse it.

use super::Found;
use crate::diag::Diagnostics;
use crate::model::{Block, Inline, Issue};
use crate::workspace::create::{PLACEHOLDER_BODY, PLACEHOLDER_WORDS};

pub fn check(issue: &Issue) -> Diagnostics {
    let mut found = Found::default();
    for item in issue.items() {
        for v in crate::model::walk::blocks(&item.blocks) {
            let (Block::Paragraph(p) | Block::Heading { content: p, .. }) = v.block else {
                continue;
            };
            for inline in p {
                let Inline::Text(run) = inline else { continue };
                for (i, _) in run.text.match_indices(PLACEHOLDER_WORDS) {
                    let start = run.source_offset(i);
                    let end = if run.exact {
                        start + PLACEHOLDER_WORDS.len()
                    } else {
                        start
                    };
                    found.at(
                        "C010",
                        &item.source,
                        start..end,
                        format!("正文里还留着新建稿件时的占位文字“{PLACEHOLDER_BODY}”"),
                        Some("把这一段换成稿件正文；还没有正文的稿件先移出本期".to_string()),
                    );
                }
            }
        }
    }
    found.finish()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    #[test]
    fn placeholder_is_found_where_it_is() {
        let a = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            PLACEHOLDER_BODY,
        );
        let b = item(
            "b.md",
            Some("标题二"),
            "市局办公室",
            "2025-12-01",
            "已写好的正文。\n\n还有请在此处写正文几个字。",
        );
        let c = item("c.md", Some("标题三"), "市局办公室", "2025-12-01", "正文。");
        let d = check(&issue(vec![a, b, c], vec![]));
        assert_eq!(codes(&d), vec!["C010@7:2", "C010@9:3"]);
        assert!(
            d.items
                .iter()
                .all(|d| d.severity == crate::diag::Severity::Error)
        );
    }
}
