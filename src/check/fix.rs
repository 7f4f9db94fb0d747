//! `bulletin check --fix`: the fixes that are certain, as edits of each
//! submission's source text (byte range and replacement). A pure function
//! of the model; `ops::fix` applies the edits and writes the files.
//!
//! Fixed: half-width , . : ; ? ! ( ) beside Han (P001; parentheses only as
//! a matched pair, a `.` before Latin letters or digits never, 通知.docx),
//! straight quotes that pair up within a paragraph (P003), full-width
//! digits and letters (P008), `1、` at a line start (P004), spaces typed
//! between Han and digits (P015, exactly where the rule reports them), and
//! a hyphen between two dates (P006, 11月20日-12月3日 to 至). Never touched: text inside 《》, code, URLs and e-mail addresses,
//! the front matter but the title's value, any line a waiver marker
//! covers, text whose source is not its printed text one to one (escapes,
//! entities), and a line whose Markdown meaning an edit would change (a
//! new `1. ` list marker).

use std::collections::HashSet;
use std::ops::Range;

use super::prose::{Prose, chars};
use super::{punct, waiver};
use crate::model::Item;
use crate::text::is_han;

/// One replacement in a submission's source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range of the source text.
    pub range: Range<usize>,
    pub replacement: String,
    /// The rule whose problem the edit fixes.
    pub code: &'static str,
}

/// The certain edits of the submission text `text`, from every item read
/// from it (a file may hold several briefs): sorted, without overlaps,
/// none on a waived line.
pub fn edits(text: &str, items: &[&Item]) -> Vec<Edit> {
    let mut out = Vec::new();
    for item in items {
        if item.source.text != text {
            continue;
        }
        let units = Prose::title(item).into_iter().chain(Prose::body(item));
        for p in units {
            unit_edits(&p, text, &mut out);
        }
    }
    out.sort_by_key(|e| (e.range.start, e.range.end));
    out.dedup();
    // No overlaps (two items never share text; kept as a guard).
    let mut kept: Vec<Edit> = Vec::with_capacity(out.len());
    for e in out {
        if kept.last().is_none_or(|l| l.range.end <= e.range.start) {
            kept.push(e);
        }
    }
    let waived: HashSet<usize> = waiver::parse(text).iter().map(|w| w.line).collect();
    let line_of = |i: usize| text[..i].bytes().filter(|&b| b == b'\n').count() + 1;
    kept.retain(|e| !waived.contains(&line_of(e.range.start)));
    drop_structural(text, kept)
}

/// `text` with `edits` (sorted, not overlapping) applied.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Drop the edits of any line whose ordered-list-marker look an edit would
/// change (`１. 开展` to `1. 开展` would start a list).
fn drop_structural(text: &str, edits: Vec<Edit>) -> Vec<Edit> {
    let marker = |line: &str| {
        let l = line.trim_start_matches([' ', '\t', '>']);
        let digits = l.bytes().take_while(u8::is_ascii_digit).count();
        (1..=9).contains(&digits)
            && matches!(l.as_bytes().get(digits), Some(b'.' | b')'))
            && matches!(l.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'))
    };
    let mut out = Vec::with_capacity(edits.len());
    let mut k = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let n = edits[k..]
            .iter()
            .take_while(|e| e.range.start < line_end)
            .count();
        let mine = &edits[k..k + n];
        k += n;
        if !mine.is_empty() {
            let shifted: Vec<Edit> = mine
                .iter()
                .map(|e| Edit {
                    range: e.range.start - line_start..e.range.end - line_start,
                    ..e.clone()
                })
                .collect();
            if marker(line) == marker(&apply(line, &shifted)) {
                out.extend_from_slice(mine);
            }
        }
        line_start = line_end;
    }
    out
}

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '.' => '。',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Edits of one text unit, mapped into the source `src`.
fn unit_edits(p: &Prose, src: &str, out: &mut Vec<Edit>) {
    let cs = chars(&p.text);
    if !cs.iter().any(|&(_, c)| is_han(c)) {
        return;
    }
    let at = |k: usize| cs.get(k).map(|&(_, c)| c);
    // Spaces typed beside a half-width mark go with it: a full-width mark
    // has its own (P007 reports a space beside one).
    let spaces_after = |k: usize| {
        let n = cs[k + 1..].iter().take_while(|&&(_, c)| c == ' ').count();
        if at(k + 1 + n).is_some_and(|c| c != '\n') {
            n
        } else {
            0
        }
    };
    let spaces_before = |k: usize| {
        let n = cs[..k].iter().rev().take_while(|&&(_, c)| c == ' ').count();
        if k > n && cs[k - n - 1].1 != '\n' {
            n
        } else {
            0
        }
    };
    let hits = punct::prose_hits(p);
    let flagged = |code: &str| -> HashSet<usize> {
        hits.iter()
            .filter(|(c, _)| *c == code)
            .map(|(_, r)| r.start)
            .collect()
    };
    // Char index of each byte offset of `text`.
    let index = |i: usize| cs.partition_point(|&(j, _)| j < i);
    let mut found: Vec<(usize, usize, String, &'static str)> = Vec::new();

    // P001, parentheses aside.
    let p001 = flagged("P001");
    for &i in &p001 {
        let k = index(i);
        let c = cs[k].1;
        if matches!(c, '(' | ')') {
            continue;
        }
        if c == '.' && at(k + 1).is_some_and(|n| n.is_ascii_alphanumeric()) {
            continue;
        }
        if let Some(f) = full_width(c) {
            found.push((k, k + 1 + spaces_after(k), f.to_string(), "P001"));
        }
    }
    // Parentheses: a matched pair, either of them flagged.
    let mut stack = Vec::new();
    for (k, &(i, c)) in cs.iter().enumerate() {
        if p.skipped(i) {
            continue;
        }
        match c {
            '(' => stack.push(k),
            ')' => {
                if let Some(o) = stack.pop()
                    && (p001.contains(&cs[o].0) || p001.contains(&i))
                {
                    found.push((o - spaces_before(o), o + 1, "（".into(), "P001"));
                    found.push((k, k + 1 + spaces_after(k), "）".into(), "P001"));
                }
            }
            _ => {}
        }
    }
    // P003: straight quotes that pair up, a pair fixed if either is flagged.
    let p003 = flagged("P003");
    for (q, open, close) in [('"', "“", "”"), ('\'', "‘", "’")] {
        let ks: Vec<usize> = cs
            .iter()
            .enumerate()
            .filter(|&(_, &(i, c))| c == q && !p.skipped(i))
            .map(|(k, _)| k)
            .collect();
        if !ks.len().is_multiple_of(2) {
            continue;
        }
        for pair in ks.chunks(2) {
            let (a, b) = (pair[0], pair[1]);
            if p003.contains(&cs[a].0) || p003.contains(&cs[b].0) {
                found.push((a, a + 1, open.into(), "P003"));
                found.push((b, b + 1, close.into(), "P003"));
            }
        }
    }
    for (code, r) in &hits {
        let (s, e) = (index(r.start), index(r.end));
        match *code {
            // P008: each full-width digit or letter.
            "P008" => {
                for (k, &(_, c)) in cs.iter().enumerate().take(e).skip(s) {
                    let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
                    found.push((k, k + 1, half.to_string(), "P008"));
                }
            }
            // P004: `1、` at a line start, not before a space.
            "P004" => {
                let digits = cs[s..e].iter().take_while(|(_, c)| c.is_ascii_digit());
                if digits.count() + 1 == e - s
                    && at(e - 1) == Some('、')
                    && !at(e).is_some_and(char::is_whitespace)
                {
                    found.push((e - 1, e, ".".into(), "P004"));
                }
            }
            _ => {}
        }
    }
    // P015: the spaces typed between Han and digits, exactly as reported.
    for (code, r) in &hits {
        if *code == "P015" {
            found.push((index(r.start), index(r.end), String::new(), "P015"));
        }
    }
    // P006: a hyphen between two dates (11月20日-12月3日, 2024年-2025年)
    // to 至; other ranges (3-5人) are not certain and keep the hint only.
    for (code, r) in &hits {
        let k = index(r.start);
        if *code == "P006" && index(r.end) == k + 1 && punct::date_range_hyphen(&cs, k) {
            found.push((k, k + 1, "至".into(), "P006"));
        }
    }

    let titled = inside_title_marks(&cs);
    for (s, e, replacement, code) in found {
        if (s..e).any(|k| titled[k] || p.skipped(cs[k].0)) {
            continue;
        }
        let start = cs[s].0;
        let end = cs.get(e).map_or(p.text.len(), |&(i, _)| i);
        let Some(span) = p.exact_span(start..end) else {
            continue;
        };
        // The source must hold the printed text itself, and not after a
        // backslash (`\(` would become `\（`, printed with its backslash).
        if src.get(span.clone()) != Some(&p.text[start..end]) || src[..span.start].ends_with('\\') {
            continue;
        }
        out.push(Edit {
            range: span,
            replacement,
            code,
        });
    }
}

/// Per character: whether it lies within 《》 (marks included).
fn inside_title_marks(cs: &[(usize, char)]) -> Vec<bool> {
    let mut depth = 0usize;
    cs.iter()
        .map(|&(_, c)| match c {
            '《' => {
                depth += 1;
                true
            }
            '》' => {
                let was = depth > 0;
                depth = depth.saturating_sub(1);
                was
            }
            _ => depth > 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{issue, item};
    use super::*;

    const FIXED: &[&str] = &["P001", "P003", "P004", "P008", "P015"];

    /// The item's source after fixing, and the fixed rules' codes left.
    fn fix_body(title: &str, body: &str) -> (String, String, Vec<String>) {
        let it = item("a.md", Some(title), "市局办公室", "2025-12-01", body);
        let text = it.source.text.clone();
        let e = edits(&text, &[&it]);
        let fixed = apply(&text, &e);
        let body_start = text.find("+++\n\n").unwrap() + 5;
        let new_title = fixed.lines().nth(1).unwrap().to_string();
        let new_body = fixed[body_start..].trim_end().to_string();
        // Through the same rules again.
        let t = new_title
            .strip_prefix("title = \"")
            .and_then(|s| s.strip_suffix('"'))
            .unwrap()
            .to_string();
        let again = item("a.md", Some(&t), "市局办公室", "2025-12-01", &new_body);
        let d = punct::check(&issue(vec![again], vec![]));
        let left = d
            .items
            .iter()
            .filter(|d| FIXED.contains(&d.code))
            .map(|d| d.code.to_string())
            .collect();
        (t, new_body, left)
    }

    fn body(b: &str) -> String {
        fix_body("标题", b).1
    }

    #[test]
    fn half_width_punctuation_beside_han() {
        let (_, b, left) = fix_body("标题", "会议强调,要提高站位.会议要求:一是;二是?好!");
        assert_eq!(b, "会议强调，要提高站位。会议要求：一是；二是？好！");
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn spaces_beside_a_fixed_mark_go() {
        let (_, b, left) = fix_body("标题", "共走访20户, 11月开展排查 (入户) 核查.");
        assert_eq!(b, "共走访20户，11月开展排查（入户）核查。");
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn decimals_times_and_file_names_stay() {
        assert_eq!(
            body("增长3.5个百分点,时间9:30,附件通知.docx已发。"),
            "增长3.5个百分点，时间9:30，附件通知.docx已发。"
        );
    }

    #[test]
    fn parentheses_only_as_a_pair() {
        let (_, b, left) = fix_body("标题", "召开会议(第一次)。工作(1)要求。");
        assert_eq!(b, "召开会议（第一次）。工作（1）要求。");
        assert!(left.is_empty(), "{left:?}");
        // An unmatched one is left for the editor.
        assert_eq!(body("召开会议(第一次。"), "召开会议(第一次。");
    }

    #[test]
    fn straight_quotes_pair_up() {
        let (_, b, left) = fix_body("标题", "他说\"要抓落实\",大家说'好'。");
        assert_eq!(b, "他说“要抓落实”，大家说‘好’。");
        assert!(left.is_empty(), "{left:?}");
        // An odd number: nothing certain.
        assert_eq!(body("他说\"要抓\"落实\"。"), "他说\"要抓\"落实\"。");
        // Pairing is within one paragraph.
        assert_eq!(body("他说\"要抓。\n\n落实\"。"), "他说\"要抓。\n\n落实\"。");
    }

    #[test]
    fn full_width_alnum_to_half_width() {
        let (_, b, left) = fix_body("标题", "共发放２０２５元，ＡＢｃ项目。");
        assert_eq!(b, "共发放2025元，ABc项目。");
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn numbering_at_line_start() {
        let (_, b, left) = fix_body("标题", "要求如下：\n\n1、开展排查；\n\n2、落实责任。");
        assert_eq!(b, "要求如下：\n\n1.开展排查；\n\n2.落实责任。");
        assert!(left.is_empty(), "{left:?}");
        // `1、 ` would become a Markdown list: left alone.
        assert_eq!(
            body("要求如下：\n\n1、 开展排查。"),
            "要求如下：\n\n1、 开展排查。"
        );
        // 12、13 stays (P004 leaves a 、 between numbers alone).
        assert_eq!(body("12、13号楼。"), "12、13号楼。");
    }

    #[test]
    fn spaces_between_han_and_digits() {
        assert_eq!(
            body("2025 年 12 月召开第 3 次会议，共 120 人参加。"),
            "2025年12月召开第3次会议，共120人参加。"
        );
        // Between Han and Latin letters: not certain.
        assert_eq!(body("使用 App 办理。"), "使用 App 办理。");
        // Exactly where P015 reports: not after a Latin word, not in 《》.
        assert_eq!(
            body("升级到Windows 11 系统，学习《2025 年要点》，共 3 人。"),
            "升级到Windows 11 系统，学习《2025 年要点》，共3人。"
        );
    }

    #[test]
    fn hyphen_between_dates() {
        assert_eq!(
            body("11月20日-12月3日开展排查，2024年-2025年持续推进。"),
            "11月20日至12月3日开展排查，2024年至2025年持续推进。"
        );
        assert_eq!(body("编号A-3的项目。"), "编号A-3的项目。");
        // A number range is reported (P006) but not certain: left.
        assert_eq!(body("每组3-5人。"), "每组3-5人。");
    }

    #[test]
    fn book_title_marks_code_and_urls_untouched() {
        let src = "学习《关于做好(临时)救助工作的通知,2025》精神,见`a,b`和https://mca.gov.cn/a,b。";
        assert_eq!(
            body(src),
            "学习《关于做好(临时)救助工作的通知,2025》精神，见`a,b`和https://mca.gov.cn/a,b。"
        );
    }

    #[test]
    fn waived_line_untouched() {
        let b =
            "<!-- bulletin:allow P001 原文照录 -->\n会议强调,要提高站位。\n\n会议强调,要提高站位。";
        assert_eq!(
            body(b),
            "<!-- bulletin:allow P001 原文照录 -->\n会议强调,要提高站位。\n\n会议强调，要提高站位。"
        );
    }

    #[test]
    fn title_fixed_front_matter_else_untouched() {
        let it = item(
            "a.md",
            Some("召开会议,部署工作"),
            "市局办公室,一科",
            "2025-12-01",
            "正文。",
        );
        let text = it.source.text.clone();
        let fixed = apply(&text, &edits(&text, &[&it]));
        assert!(fixed.contains("title = \"召开会议，部署工作\""), "{fixed}");
        assert!(fixed.contains("unit = \"市局办公室,一科\""), "{fixed}");
    }

    #[test]
    fn no_new_list_marker() {
        assert_eq!(body("要求：\n\n１. 开展排查。"), "要求：\n\n１. 开展排查。");
        // The same digits mid-line are fixed.
        assert_eq!(body("第１号文件。"), "第1号文件。");
    }

    #[test]
    fn escaped_source_untouched() {
        // `\(` prints as ( but is two bytes in the source.
        assert_eq!(body("会议\\(第一次\\)召开。"), "会议\\(第一次\\)召开。");
    }

    #[test]
    fn clean_text_has_no_edits() {
        let it = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要“提高”站位。",
        );
        assert!(edits(&it.source.text, &[&it]).is_empty());
    }

    #[test]
    fn fixing_is_idempotent() {
        let messy = "会议强调,要\"提高\"站位(全面).\n共２０人, 11月20日-12月3日。";
        let once = body(messy);
        assert_eq!(body(&once), once);
    }
}
