//! Duplicates: two items with the same or nearly the same title (R001) or
//! body (R002), usually one submission sent twice or by two units.

use super::diag_at;
use crate::diag::Diagnostics;
use crate::model::{Block, Issue, Item};

/// Title similarity at or above which two titles count as the same.
const TITLE_SIMILAR: f64 = 0.9;
/// Body similarity (character bigrams, Jaccard) at or above which two
/// bodies count as the same.
const BODY_SIMILAR: f64 = 0.8;

/// Letters and digits only, under their name key (NFKC, no invisible
/// characters): punctuation, spaces, full-width forms and zero-width
/// characters do not make titles differ.
fn normalise(s: &str) -> String {
    crate::text::name_key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Distinct character bigrams, sorted (each pair packed into a u64).
fn bigrams(s: &str) -> Vec<u64> {
    let cs: Vec<char> = normalise(s).chars().collect();
    let mut v: Vec<u64> = cs
        .windows(2)
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Jaccard similarity of two sorted sets.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // |A∩B| / |A∪B| ≤ |small| / |large|: most pairs stop here.
    if large.is_empty() || (small.len() as f64) < BODY_SIMILAR * large.len() as f64 {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Where an item's body starts in its file.
fn body_span(item: &Item) -> std::ops::Range<usize> {
    let at = crate::model::walk::blocks(&item.blocks)
        .find_map(|v| match v.block {
            Block::Paragraph(p) | Block::Heading { content: p, .. } => {
                p.iter().find_map(|i| match i {
                    crate::model::Inline::Text(r) => Some(r.offset),
                    _ => None,
                })
            }
            Block::Image(img) => Some(img.offset),
            Block::List { .. } | Block::Quote(_) | Block::Code(_) => None,
        })
        .unwrap_or(0);
    let len = item.source.text[at..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    at..at + len
}

pub fn check(issue: &Issue) -> Diagnostics {
    let mut out = Diagnostics::default();
    let items: Vec<&Item> = issue.items().collect();
    let bodies: Vec<Vec<u64>> = items.iter().map(|i| bigrams(&i.plain_text())).collect();
    for (j, b) in items.iter().enumerate() {
        for (i, a) in items.iter().enumerate().take(j) {
            if let (Some(ta), Some(tb)) = (&a.title, &b.title) {
                let (na, nb) = (normalise(ta), normalise(tb));
                let sim = strsim::normalized_levenshtein(&na, &nb);
                if !na.is_empty() && (na == nb || (na.chars().count() >= 6 && sim >= TITLE_SIMILAR))
                {
                    let what = if na == nb { "相同" } else { "几乎相同" };
                    out.push(diag_at(
                        "R001",
                        &b.source,
                        b.title_span.clone().unwrap_or(0..3),
                        format!("标题与 {} 的标题{what}：“{ta}”", a.file_name()),
                        Some("是不是同一篇稿件投了两次？删去一篇，或改写标题".to_string()),
                    ));
                    continue;
                }
            }
            let sim = jaccard(&bodies[i], &bodies[j]);
            if bodies[i].len().min(bodies[j].len()) >= 20 && sim >= BODY_SIMILAR {
                out.push(diag_at(
                    "R002",
                    &b.source,
                    body_span(b),
                    format!(
                        "正文与 {} 的正文{}（相似度 {:.0}%）",
                        a.file_name(),
                        if sim >= 0.999 {
                            "相同"
                        } else {
                            "几乎相同"
                        },
                        sim * 100.0
                    ),
                    Some("是不是同一篇稿件投了两次？删去一篇".to_string()),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    const BODY: &str = "11月25日上午，县民政局组织工作人员深入乡镇敬老院开展冬季消防安全检查，重点查看电气线路、燃气管道和消防通道，当场督促整改隐患5处。";

    #[test]
    fn same_and_near_titles() {
        let a = item(
            "a.md",
            Some("南召县开展敬老院冬季消防安全检查"),
            "南召县民政局",
            "2025-12-01",
            "甲文。",
        );
        let b = item(
            "b.md",
            Some("南召县开展敬老院冬季消防安全检查！"),
            "南召县民政局",
            "2025-12-01",
            "乙文。",
        );
        let c = item(
            "c.md",
            Some("南召县开展敬老院冬季消防安全大检查"),
            "南召县民政局",
            "2025-12-01",
            "丙文。",
        );
        let d = check(&issue(vec![a, b, c], vec![]));
        assert_eq!(codes(&d), vec!["R001@2:9", "R001@2:9", "R001@2:9"]);
    }

    #[test]
    fn same_body_different_titles() {
        let a = item(
            "a.md",
            Some("南召县开展消防检查"),
            "南召县民政局",
            "2025-12-01",
            BODY,
        );
        let b = item(
            "b.md",
            Some("敬老院安全隐患整改到位"),
            "南召县民政局",
            "2025-12-01",
            &BODY.replace("5处", "6处"),
        );
        let d = check(&issue(vec![a, b], vec![]));
        assert_eq!(codes(&d), vec!["R002@7:1"]);
        assert!(d.items[0].message.contains("a.md"));
    }

    #[test]
    fn different_items_are_silent() {
        let a = item(
            "a.md",
            Some("南召县开展消防检查"),
            "南召县民政局",
            "2025-12-01",
            BODY,
        );
        let b = item(
            "b.md",
            Some("桐柏县开展宪法宣传活动"),
            "桐柏县民政局",
            "2025-12-01",
            "12月3日，桐柏县民政局联合县司法局开展宪法宣传周集中宣传活动，现场解答群众关于社会救助、养老服务等方面的政策咨询60余人次。",
        );
        assert!(check(&issue(vec![a, b], vec![])).is_empty());
    }
}
