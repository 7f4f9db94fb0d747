//! Duplicates: two items with the same or nearly the same title (R001) or
//! body (R002), usually one submission sent twice or by two units.

use std::collections::{BTreeSet, HashMap};

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
            Block::List { .. } | Block::Quote(_) | Block::Code(_) | Block::Table(_) => None,
        })
        .unwrap_or(0);
    let len = item.source.text[at..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    at..at + len
}

/// Titles longer than this (in letters and digits) are compared for
/// equality only: no real title is near it, and the edit distance of two
/// costs the product of their lengths.
const NEAR_TITLE_MAX: usize = 200;

/// Earlier items checked in full against one item, at most: the
/// candidates share a piece of the title or a rare pair of characters of
/// the body, so in a real issue they are a handful; this keeps a hostile
/// issue of thousands of look-alikes linear.
const MAX_CANDIDATES: usize = 64;

/// Largest edit distance at which a title of `len` letters can still be
/// "nearly the same" as another: d ≤ 0.1·max(len, other) and
/// other ≤ len + d give d ≤ len / 9.
fn max_title_distance(len: usize) -> usize {
    len / 9
}

/// `s` cut into `k + 1` pieces of nearly equal length: a string within
/// edit distance `k` of `s` contains one of them unchanged (pigeonhole).
fn pieces(s: &[char], k: usize) -> Vec<&[char]> {
    let n = k + 1;
    let (base, extra) = (s.len() / n, s.len() % n);
    let mut out = Vec::with_capacity(n);
    let mut at = 0;
    for i in 0..n {
        let len = base + usize::from(i < extra);
        out.push(&s[at..at + len]);
        at += len;
    }
    out
}

/// Earlier titles by their exact form and by their pieces.
#[derive(Default)]
struct TitleIndex {
    exact: HashMap<String, usize>,
    pieces: HashMap<Vec<char>, Vec<usize>>,
    /// Lengths of the pieces indexed, to know which substrings to look up.
    piece_lens: BTreeSet<usize>,
}

impl TitleIndex {
    /// The earliest item whose title is the same as or nearly the same as
    /// `norm` (already normalised): its index and whether it is the same.
    fn find(&self, norm: &str, titles: &[Option<Vec<char>>]) -> Option<(usize, bool)> {
        if let Some(&i) = self.exact.get(norm) {
            return Some((i, true));
        }
        let cs: Vec<char> = norm.chars().collect();
        if cs.len() > NEAR_TITLE_MAX {
            return None;
        }
        let mut candidates: Vec<usize> = Vec::new();
        for &len in &self.piece_lens {
            for w in cs.windows(len) {
                if let Some(list) = self.pieces.get(w) {
                    candidates.extend_from_slice(list);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for i in candidates.into_iter().take(MAX_CANDIDATES) {
            let Some(a) = &titles[i] else { continue };
            // The rule: the earlier title has at least 6 letters.
            if a.len() < 6 || a.len().abs_diff(cs.len()) > max_title_distance(a.len()) {
                continue;
            }
            let distance = strsim::generic_levenshtein(a, &cs);
            let sim = 1.0 - distance as f64 / a.len().max(cs.len()) as f64;
            if sim >= TITLE_SIMILAR {
                return Some((i, false));
            }
        }
        None
    }

    fn add(&mut self, i: usize, norm: &str, cs: &[char]) {
        self.exact.entry(norm.to_string()).or_insert(i);
        let k = max_title_distance(cs.len());
        if cs.len() < 6 || k == 0 || cs.len() > NEAR_TITLE_MAX {
            return;
        }
        for piece in pieces(cs, k) {
            self.piece_lens.insert(piece.len());
            push_capped(self.pieces.entry(piece.to_vec()).or_default(), i);
        }
    }
}

/// Add item `i` to a list of candidates, which keeps only the earliest
/// [`MAX_CANDIDATES`]: only those are ever checked in full.
fn push_capped(list: &mut Vec<usize>, i: usize) {
    if list.len() < MAX_CANDIDATES && list.last() != Some(&i) {
        list.push(i);
    }
}

/// Length of the prefix of a body's bigram set (ordered rarest first) that
/// any body at least [`BODY_SIMILAR`] alike shares an element of.
fn prefix_len(n: usize) -> usize {
    n - (BODY_SIMILAR * n as f64).ceil() as usize + 1
}

/// Each item is compared with the items before it and reported once, for
/// the first it repeats: titles through an index of their exact form and
/// of their pieces, bodies through the rarest of their character pairs
/// (prefix filtering). Time grows with the number of items, not its square.
pub fn check(issue: &Issue) -> Diagnostics {
    let mut out = Diagnostics::default();
    let items: Vec<&Item> = issue.items().collect();
    let bodies: Vec<Vec<u64>> = items.iter().map(|i| bigrams(&i.plain_text())).collect();
    // The prefix of every set ordered rarest bigram first (then by value).
    let mut freq: HashMap<u64, u32> = HashMap::new();
    for b in &bodies {
        for &g in b {
            *freq.entry(g).or_default() += 1;
        }
    }
    let prefixes: Vec<Vec<u64>> = bodies
        .iter()
        .map(|b| {
            let mut v = b.clone();
            v.sort_unstable_by_key(|g| (freq[g], *g));
            v.truncate(prefix_len(v.len()));
            v
        })
        .collect();
    drop(freq);
    let mut prefix_index: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut titles_index = TitleIndex::default();
    let norm_titles: Vec<Option<String>> = items
        .iter()
        .map(|i| i.title.as_deref().map(normalise).filter(|t| !t.is_empty()))
        .collect();
    let title_chars: Vec<Option<Vec<char>>> = norm_titles
        .iter()
        .map(|t| t.as_ref().map(|t| t.chars().collect()))
        .collect();
    for (j, b) in items.iter().enumerate() {
        let mut title_match = None;
        if let Some(nb) = &norm_titles[j] {
            if let Some((i, same)) = titles_index.find(nb, &title_chars) {
                let a = items[i];
                let what = if same { "相同" } else { "几乎相同" };
                out.push(diag_at(
                    "R001",
                    &b.source,
                    b.title_span.clone().unwrap_or(0..3),
                    format!(
                        "标题与 {} 的标题{what}：“{}”",
                        a.file_name(),
                        a.title.as_deref().unwrap_or_default()
                    ),
                    Some("是不是同一篇稿件投了两次？删去一篇，或改写标题".to_string()),
                ));
                title_match = Some(i);
            }
            titles_index.add(j, nb, title_chars[j].as_deref().unwrap_or_default());
        }
        let body = &bodies[j];
        if body.len() >= 20 {
            let prefix = &prefixes[j];
            // Earliest items first, each once (a sorted Vec: far cheaper
            // than a tree set for lists this size).
            let mut candidates: Vec<usize> = Vec::new();
            for g in prefix {
                if let Some(list) = prefix_index.get(g) {
                    candidates.extend_from_slice(list);
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for i in candidates.into_iter().take(MAX_CANDIDATES) {
                if Some(i) == title_match {
                    continue;
                }
                let sim = jaccard(&bodies[i], body);
                if sim >= BODY_SIMILAR {
                    let a = items[i];
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
                    break;
                }
            }
            for &g in prefix {
                push_capped(prefix_index.entry(g).or_default(), j);
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
        // Each repeat is reported once, naming the first item it repeats.
        assert_eq!(codes(&d), vec!["R001@2:9", "R001@2:9"]);
        assert!(d.items[0].message.contains("a.md") && d.items[0].message.contains("相同"));
        assert!(d.items[1].message.contains("a.md") && d.items[1].message.contains("几乎相同"));
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
