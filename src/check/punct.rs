//! Punctuation and numerals (GB/T 15834, format-spec.md "Mechanical
//! punctuation checks"): errors 1–8 as P001–P008, warnings 10–14 as
//! P010–P014. Spec error 9 (zero-padded or abbreviated dates) is D003 in
//! [`super::dates`].
//!
//! No rule looks inside code, URLs or e-mail addresses; decimals, times,
//! `1.` numbering and Latin text in quotes are left alone.

use std::ops::Range;

use super::prose::{Kind, Prose, chars};
use crate::diag::Diagnostics;
use crate::model::Issue;
pub use crate::text::is_fw_punct;
use crate::text::{closer_of, is_han, opener_of};

const CN_NUMERALS: &str = "一二两三四五六七八九十";

struct Hit {
    code: &'static str,
    range: Range<usize>,
    message: String,
    hint: Option<String>,
}

/// Run the punctuation rules over every title and body text of the issue.
pub fn check(issue: &Issue) -> Diagnostics {
    let mut out = super::Found::default();
    for item in issue.items() {
        let mut units: Vec<Prose> = Prose::title(item).into_iter().collect();
        units.extend(Prose::body(item));
        for (k, p) in units.iter().enumerate() {
            // A quotation running over several paragraphs opens each of
            // them with “ and closes only the last (GB/T 15834 4.1.3.4).
            let continued = p.kind != Kind::Title
                && units
                    .get(k + 1)
                    .is_some_and(|n| n.kind != Kind::Title && n.text.starts_with('“'));
            for h in check_prose(p, continued) {
                if p.skipped(h.range.start) {
                    continue;
                }
                let span = p.source_span(h.range.clone());
                out.at(h.code, &item.source, span, h.message, h.hint);
            }
        }
    }
    out.finish()
}

/// The punctuation problems of one text unit as (rule code, byte range of
/// `p.text`), outside code, URLs and addresses (for `check::fix`).
pub(crate) fn prose_hits(p: &Prose) -> Vec<(&'static str, Range<usize>)> {
    check_prose(p, false)
        .into_iter()
        .filter(|h| !p.skipped(h.range.start))
        .map(|h| (h.code, h.range))
        .collect()
}

fn check_prose(p: &Prose, continued: bool) -> Vec<Hit> {
    let mut hits = Vec::new();
    let cs = chars(&p.text);
    if !cs.iter().any(|&(_, c)| is_han(c)) {
        // Latin-only text: the Chinese rules do not apply.
        return hits;
    }
    half_width(p, &cs, &mut hits);
    pairs(p, &cs, continued, &mut hits);
    straight_quotes(p, &cs, &mut hits);
    numbering(&cs, &mut hits);
    doubled(&cs, &mut hits);
    ellipsis_dash(p, &cs, &mut hits);
    spaces(&cs, &mut hits);
    number_spaces(p, &cs, &mut hits);
    full_width_alnum(&cs, &mut hits);
    approximation(&cs, &mut hits);
    if let Kind::Paragraph {
        before_list,
        all_strong,
    } = p.kind
    {
        paragraph_end(p, &cs, before_list, all_strong, &mut hits);
    }
    if p.kind == Kind::Title {
        title_end(&cs, &mut hits);
    }
    latin_words(p, &cs, &mut hits);
    ranges(&cs, &mut hits);
    hits
}

fn range_of(cs: &[(usize, char)], from: usize, to: usize) -> Range<usize> {
    let start = cs[from].0;
    let end = cs[to - 1].0 + cs[to - 1].1.len_utf8();
    start..end
}

fn at(cs: &[(usize, char)], k: usize) -> Option<char> {
    cs.get(k).map(|&(_, c)| c)
}

fn before(cs: &[(usize, char)], k: usize) -> Option<char> {
    k.checked_sub(1).and_then(|j| at(cs, j))
}

/// P001: half-width , . : ; ? ! ( ) next to a Han character.
fn half_width(p: &Prose, cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    for (k, &(i, c)) in cs.iter().enumerate() {
        let full = match c {
            ',' => '，',
            '.' => '。',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            '(' => '（',
            ')' => '）',
            _ => continue,
        };
        if p.skipped(i) {
            continue;
        }
        let prev = before(cs, k);
        let next = at(cs, k + 1);
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        // A run of dots is a wrong ellipsis: P006 reports it.
        if c == '.' && (prev == Some('.') || next == Some('.')) {
            continue;
        }
        // Decimals, times, thousands: 3.5, 9:30, 1,000.
        if matches!(c, '.' | ':' | ',') && digit(prev) && digit(next) {
            continue;
        }
        // `1.` numbering at the start of a line.
        if c == '.' && digit(prev) {
            // Only digits back to the line start (each run of digits is
            // walked once: a run ends at the first `.` after it).
            let digits = cs[..k]
                .iter()
                .rev()
                .take_while(|&&(_, c)| c.is_ascii_digit())
                .count();
            if k == digits || cs[k - digits - 1].1 == '\n' {
                continue;
            }
        }
        if !(prev.is_some_and(is_han) || next.is_some_and(is_han)) {
            continue;
        }
        hits.push(Hit {
            code: "P001",
            range: range_of(cs, k, k + 1),
            message: format!("汉字旁用了半角标点“{c}”"),
            hint: Some(format!("改为全角的“{full}”")),
        });
    }
}

/// P002: unbalanced paired marks within one text unit.
fn pairs(p: &Prose, cs: &[(usize, char)], continued: bool, hits: &mut Vec<Hit>) {
    let mut stack: Vec<(usize, char)> = Vec::new();
    // How many openers on the stack wait for each closer.
    let mut open_count: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    for (k, &(i, c)) in cs.iter().enumerate() {
        if p.skipped(i) {
            continue;
        }
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        // An apostrophe in Latin text (China’s).
        if c == '’' && latin(before(cs, k)) && latin(at(cs, k + 1)) {
            continue;
        }
        if let Some(close) = closer_of(c) {
            stack.push((k, close));
            *open_count.entry(close).or_default() += 1;
        } else if let Some(open) = opener_of(c) {
            // Searched only when an opener for it is on the stack: a
            // thousand unmatched closers do not walk the stack each.
            let found = if open_count.get(&c).copied().unwrap_or(0) > 0 {
                stack.iter().rposition(|&(_, cl)| cl == c)
            } else {
                None
            };
            match found {
                Some(j) => {
                    // Openers above the match were never closed.
                    for &(k2, cl) in &stack[j + 1..] {
                        hits.push(unclosed(cs, k2, cl));
                    }
                    for &(_, cl) in &stack[j..] {
                        *open_count.entry(cl).or_default() -= 1;
                    }
                    stack.truncate(j);
                }
                None => hits.push(Hit {
                    code: "P002",
                    range: range_of(cs, k, k + 1),
                    message: format!(
                        "{}前面没有配对的{}",
                        mark_name(c),
                        mark_name(open).trim_end()
                    ),
                    hint: Some(format!(
                        "补上{}，或删去多余的{}",
                        mark_name(open),
                        mark_name(c).trim_end()
                    )),
                }),
            }
        }
    }
    for (n, &(k, cl)) in stack.iter().enumerate() {
        // The quotation goes on in the next paragraph.
        if continued && n == 0 && cs[k].1 == '“' {
            continue;
        }
        hits.push(unclosed(cs, k, cl));
    }
}

/// `左引号 “`: a mark with its name, readable even for quote marks.
fn mark_name(c: char) -> String {
    let name = match c {
        '“' | '‘' => "左引号",
        '”' | '’' => "右引号",
        '（' => "左括号",
        '）' => "右括号",
        '《' | '〈' => "左书名号",
        '》' | '〉' => "右书名号",
        '【' | '〔' => "左方括号",
        '】' | '〕' => "右方括号",
        '「' | '『' => "左引号",
        '」' | '』' => "右引号",
        _ => "标点",
    };
    format!("{name} {c} ")
}

fn unclosed(cs: &[(usize, char)], k: usize, close: char) -> Hit {
    let c = cs[k].1;
    Hit {
        code: "P002",
        range: range_of(cs, k, k + 1),
        message: format!(
            "{}在本段里没有配对的{}",
            mark_name(c),
            mark_name(close).trim_end()
        ),
        hint: Some(format!(
            "补上{}，或删去多余的{}",
            mark_name(close),
            mark_name(c).trim_end()
        )),
    }
}

/// P003: straight quotes in Chinese text.
fn straight_quotes(p: &Prose, cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let mut seen = [0usize; 2];
    for (k, &(i, c)) in cs.iter().enumerate() {
        let which = match c {
            '"' => 0,
            '\'' => 1,
            _ => continue,
        };
        if p.skipped(i) {
            continue;
        }
        let chinese = |c: Option<char>| c.is_some_and(|c| is_han(c) || is_fw_punct(c));
        let prev = before(cs, k);
        let next = at(cs, k + 1);
        let opening = seen[which] % 2 == 0;
        seen[which] += 1;
        if !(chinese(prev) || chinese(next)) {
            continue;
        }
        let want = match (which, opening) {
            (0, true) => "“",
            (0, false) => "”",
            (_, true) => "‘",
            (_, false) => "’",
        };
        hits.push(Hit {
            code: "P003",
            range: range_of(cs, k, k + 1),
            message: format!("中文里用了直引号 {c}"),
            hint: Some(format!("改为中文引号“{want}”")),
        });
    }
}

/// P004: numbering punctuation: 一、 not 一，/一. ; 1. not 1、 ; nothing after （一）.
fn numbering(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let starts = std::iter::once(0).chain(
        cs.iter()
            .enumerate()
            .filter(|(_, (_, c))| *c == '\n')
            .map(|(k, _)| k + 1),
    );
    for s in starts {
        let mut k = s;
        while at(cs, k).is_some_and(|c| CN_NUMERALS.contains(c) && c != '两') {
            k += 1;
        }
        if k > s && k - s <= 3 && matches!(at(cs, k), Some('，' | ',' | '.' | '．')) {
            let num: String = cs[s..k].iter().map(|&(_, c)| c).collect();
            hits.push(Hit {
                code: "P004",
                range: range_of(cs, s, k + 1),
                message: format!("序号“{num}”后面用了“{}”", cs[k].1),
                hint: Some(format!("汉字序号后用顿号：{num}、")),
            });
            continue;
        }
        let mut k = s;
        while at(cs, k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        if k > s
            && k - s <= 2
            && at(cs, k) == Some('、')
            && !at(cs, k + 1).is_some_and(|c| c.is_ascii_digit())
        {
            let num: String = cs[s..k].iter().map(|&(_, c)| c).collect();
            hits.push(Hit {
                code: "P004",
                range: range_of(cs, s, k + 1),
                message: format!("序号“{num}”后面用了顿号"),
                hint: Some(format!("阿拉伯数字序号后用下脚点：{num}.")),
            });
        }
    }
    // （一）、 anywhere: nothing follows a bracketed number.
    for (k, &(_, c)) in cs.iter().enumerate() {
        if !matches!(c, '）' | ')') {
            continue;
        }
        let Some(next) = at(cs, k + 1) else { continue };
        if !matches!(next, '、' | '，' | '.' | '．' | ',' | '：') {
            continue;
        }
        let mut j = k;
        while j > 0 && (cs[j - 1].1.is_ascii_digit() || CN_NUMERALS.contains(cs[j - 1].1)) {
            j -= 1;
        }
        if j == k || j == 0 || !matches!(cs[j - 1].1, '（' | '(') || k - j > 3 {
            continue;
        }
        let num: String = cs[j - 1..=k].iter().map(|&(_, c)| c).collect();
        hits.push(Hit {
            code: "P004",
            range: range_of(cs, k + 1, k + 2),
            message: format!("序号“{num}”后面不应再加“{next}”"),
            hint: Some(format!("删去“{next}”：{num}")),
        });
    }
}

/// P005: two sentence marks in a row (？？ ！！ ？！ allowed).
fn doubled(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let mark = |c: char| matches!(c, '，' | '。' | '、' | '；' | '：' | '？' | '！');
    let strong = |c: char| matches!(c, '？' | '！');
    let mut k = 0;
    while k + 1 < cs.len() {
        let (a, b) = (cs[k].1, cs[k + 1].1);
        if mark(a) && mark(b) && !(strong(a) && strong(b)) {
            let mut end = k + 2;
            while end < cs.len() && mark(cs[end].1) {
                end += 1;
            }
            let run: String = cs[k..end].iter().map(|&(_, c)| c).collect();
            // 。。。 is a wrong ellipsis: P006 reports it.
            if !run.chars().all(|c| c == '。') || run.chars().count() < 3 {
                hits.push(Hit {
                    code: "P005",
                    range: range_of(cs, k, end),
                    message: format!("标点重复：“{run}”"),
                    hint: Some("只保留一个标点".to_string()),
                });
            }
            k = end;
        } else {
            k += 1;
        }
    }
}

/// P006: ellipsis and dash forms.
fn ellipsis_dash(p: &Prose, cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let mut k = 0;
    while k < cs.len() {
        let c = cs[k].1;
        let mut end = k + 1;
        while end < cs.len() && cs[end].1 == c {
            end += 1;
        }
        let n = end - k;
        let skipped = p.skipped(cs[k].0);
        let prev = before(cs, k);
        let next = at(cs, end);
        let chinese = |c: Option<char>| c.is_some_and(|c| is_han(c) || is_fw_punct(c));
        let problem = match c {
            '-' | '－' | '–' if n == 1 && !skipped && date_range_hyphen(cs, k) => Some((
                "表示日期起止用了横线",
                "日期起止用“至”或一字线“—”：11月20日至12月3日（bulletin check --fix 改为“至”）",
            )),
            '-' | '－' | '–' if n == 1 && !skipped && number_range_hyphen(cs, k) => Some((
                "表示数值或年份范围用了横线",
                "范围用浪纹线“～”、一字线“—”或“至”：3～5人、2025—2026年",
            )),
            '.' if n >= 3 && !skipped => Some(("省略号写成了“...”", "改为“……”（两个省略号字符）")),
            '。' if n >= 3 => Some(("省略号写成了“。。。”", "改为“……”（两个省略号字符）")),
            '…' if n % 2 == 1 => Some(("省略号只有一半“…”", "省略号是两个字符：“……”")),
            '-' if n >= 2 && !skipped && (chinese(prev) || chinese(next)) => {
                Some(("破折号写成了“--”", "改为“——”（两个破折号字符）"))
            }
            '―' | '－' if n >= 1 && (chinese(prev) || chinese(next)) => {
                Some(("破折号用错了字符", "改为“——”（两个 U+2014 破折号字符）"))
            }
            '—' if n >= 3 => Some(("破折号太长", "破折号是两个字符：“——”")),
            '—' if n == 1 && !is_range_dash(prev, next) => Some((
                "破折号只有一半“—”",
                "破折号是两个字符：“——”；表示起止时用“—”只限数字或日期之间，如 11月20日—12月3日",
            )),
            _ => None,
        };
        if let Some((msg, hint)) = problem {
            hits.push(Hit {
                code: "P006",
                range: range_of(cs, k, end),
                message: msg.to_string(),
                hint: Some(hint.to_string()),
            });
        }
        k = end;
    }
}

/// A date unit (年 月 日).
fn date_unit(c: Option<char>) -> bool {
    c.is_some_and(|c| matches!(c, '年' | '月' | '日'))
}

/// The hyphen at `k` joins two dates written with their units
/// (11月20日-12月3日, 2024年-2025年): certainly a range, fixed to 至.
pub(crate) fn date_range_hyphen(cs: &[(usize, char)], k: usize) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    if !matches!(at(cs, k), Some('-' | '－' | '–')) || k < 2 {
        return false;
    }
    let after = (k + 1..cs.len()).find(|&j| !cs[j].1.is_ascii_digit());
    let date_after = after.is_some_and(|j| j > k + 1 && date_unit(at(cs, j)));
    date_unit(before(cs, k)) && digit(before(cs, k - 1)) && date_after
}

/// The hyphen at `k` joins two plain numbers followed by a unit or a Han
/// character (3-5人, 2025-2026年, 15-30%): a range GB/T 15834 writes with
/// ～, — or 至. Not an ISO date (2025-12-03, D003 reports it), a phone
/// number (0377-63123456), or a code beside Latin letters.
fn number_range_hyphen(cs: &[(usize, char)], k: usize) -> bool {
    let digits_back = cs[..k]
        .iter()
        .rev()
        .take_while(|&&(_, c)| c.is_ascii_digit())
        .count();
    let digits_fwd = cs[k + 1..]
        .iter()
        .take_while(|&&(_, c)| c.is_ascii_digit())
        .count();
    if !(1..=6).contains(&digits_back) || !(1..=6).contains(&digits_fwd) {
        return false;
    }
    let a = k - digits_back;
    if digits_back > 1 && cs[a].1 == '0' {
        return false; // an area code
    }
    let lead = before(cs, a);
    if lead.is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '－' | '.' | '/' | ':' | '_')
    }) {
        return false;
    }
    let next = at(cs, k + 1 + digits_fwd);
    next.is_some_and(|c| is_han(c) || matches!(c, '%' | '％' | '‰'))
}

/// A single — between numbers or dates is the range connector (一字线).
fn is_range_dash(prev: Option<char>, next: Option<char>) -> bool {
    let numeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    (numeric(prev) || prev.is_some_and(|c| matches!(c, '年' | '月' | '日' | '时' | '%' | '号')))
        && (numeric(next) || next.is_some_and(|c| CN_NUMERALS.contains(c)))
}

/// P007: a space between two Han characters or next to full-width punctuation.
fn spaces(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let space = |c: char| matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\t');
    // Title marks before `k`, counted as `k` advances.
    let (mut opened, mut closed, mut counted) = (0usize, 0usize, 0usize);
    let mut k = 0;
    while k < cs.len() {
        if !space(cs[k].1) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < cs.len() && space(cs[end].1) {
            end += 1;
        }
        let prev = before(cs, k);
        let next = at(cs, end);
        let han = |c: Option<char>| c.is_some_and(is_han);
        let fw = |c: Option<char>| c.is_some_and(is_fw_punct);
        // Joint issuers in a document title are separated by a space:
        // 《民政部 财政部关于……的通知》.
        for &(_, c) in &cs[counted..k] {
            opened += usize::from(c == '《');
            closed += usize::from(c == '》');
        }
        counted = k;
        let in_title = opened > closed && han(prev) && han(next);
        if !in_title
            && prev.is_some()
            && next.is_some()
            && ((han(prev) && han(next)) || fw(prev) || fw(next))
        {
            let what = match cs[k].1 {
                '\u{3000}' => "全角空格",
                '\u{a0}' => "不间断空格",
                _ => "空格",
            };
            let place = if han(prev) && han(next) {
                "汉字之间"
            } else {
                "全角标点旁"
            };
            hits.push(Hit {
                code: "P007",
                range: range_of(cs, k, end),
                message: format!("{place}有{what}"),
                hint: Some("删去空格：中文排版不在汉字和全角标点旁加空格".to_string()),
            });
        }
        k = end;
    }
}

/// P015: a space typed between a Han character and a digit (11 月 26 日,
/// 共 12 个, 4416 名). Not after a number that follows a Latin word
/// (Windows 11 系统), nor inside 《》. `check::fix` deletes exactly these.
fn number_spaces(p: &Prose, cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let space = |c: char| matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\t');
    let han = |c: Option<char>| c.is_some_and(is_han);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let mut depth = 0usize;
    let mut k = 0;
    while k < cs.len() {
        let c = cs[k].1;
        if !space(c) {
            match c {
                '《' => depth += 1,
                '》' => depth = depth.saturating_sub(1),
                _ => {}
            }
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < cs.len() && space(cs[end].1) {
            end += 1;
        }
        let (prev, next) = (before(cs, k), at(cs, end));
        // A number inside code, a URL or an address is not prose.
        let skipped = |j: usize| cs.get(j).is_some_and(|&(i, _)| p.skipped(i));
        let fires = if k == 0 || skipped(k - 1) || skipped(end) {
            false
        } else if han(prev) && digit(next) {
            true
        } else if digit(prev) && han(next) {
            // The number's own start: after a Latin word and a space, the
            // number belongs to the Latin text (Windows 11, iPhone 15).
            let n = cs[..k]
                .iter()
                .rev()
                .take_while(|&&(_, c)| c.is_ascii_digit() || c == '.')
                .count();
            let lead = k - n;
            let latin = |j: usize| cs[j].1.is_ascii_alphabetic();
            let after_latin = lead >= 1
                && (latin(lead - 1) || lead >= 2 && space(cs[lead - 1].1) && latin(lead - 2));
            !after_latin
        } else {
            false
        };
        if fires && depth == 0 {
            let what = match c {
                '\u{3000}' => "全角空格",
                '\u{a0}' => "不间断空格",
                _ => "空格",
            };
            let written: String = cs[k.saturating_sub(1)..(end + 1).min(cs.len())]
                .iter()
                .map(|&(_, c)| c)
                .collect();
            hits.push(Hit {
                code: "P015",
                range: range_of(cs, k, end),
                message: format!("汉字与数字之间有{what}“{written}”"),
                hint: Some(
                    "删去空格：中文排版不在汉字和数字之间加空格（bulletin check --fix 可自动删去）"
                        .to_string(),
                ),
            });
        }
        k = end;
    }
}

/// P008: full-width digits and Latin letters.
fn full_width_alnum(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let fw = |c: char| matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A);
    let mut k = 0;
    while k < cs.len() {
        if !fw(cs[k].1) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < cs.len() && fw(cs[end].1) {
            end += 1;
        }
        let run: String = cs[k..end].iter().map(|&(_, c)| c).collect();
        let half: String = run
            .chars()
            .map(|c| char::from_u32(c as u32 - 0xFEE0).unwrap_or(c))
            .collect();
        hits.push(Hit {
            code: "P008",
            range: range_of(cs, k, end),
            message: format!("用了全角数字或字母“{run}”"),
            hint: Some(format!("改为半角：{half}")),
        });
        k = end;
    }
}

fn numeral_value(c: char) -> Option<u32> {
    "一二三四五六七八九十"
        .chars()
        .position(|n| n == c)
        .map(|i| i as u32 + 1)
        .or((c == '两').then_some(2))
}

/// P010: 、 between neighbouring numerals that express an approximation.
fn approximation(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    const MEASURES: &str = "天个次人名岁倍遍户家件本条张位成米里斤周层辆所座项处";
    for k in 1..cs.len().saturating_sub(2) {
        if cs[k].1 != '、' {
            continue;
        }
        let (a, b, m) = (cs[k - 1].1, cs[k + 1].1, cs[k + 2].1);
        let (Some(va), Some(vb)) = (numeral_value(a), numeral_value(b)) else {
            continue;
        };
        let before_a = before(cs, k - 1);
        if k - 1 == 0
            || before_a
                .is_some_and(|c| numeral_value(c).is_some() || matches!(c, '、' | '第' | '\n'))
        {
            continue;
        }
        let measure = MEASURES.contains(m)
            || (m == '年' && at(cs, k + 3) != Some('级'))
            || (m == '小' && at(cs, k + 3) == Some('时'))
            || (m == '分' && at(cs, k + 3) == Some('钟'));
        if vb > va && vb - va <= 2 && measure {
            hits.push(Hit {
                code: "P010",
                range: range_of(cs, k, k + 1),
                message: format!("表示概数的“{a}、{b}”中间不用顿号"),
                hint: Some(format!("写成“{a}{b}{m}”")),
            });
        }
    }
}

/// P011: a body paragraph ends without 。？！…… or a closing mark.
fn paragraph_end(
    p: &Prose,
    cs: &[(usize, char)],
    before_list: bool,
    all_strong: bool,
    hits: &mut Vec<Hit>,
) {
    if all_strong || is_run_in_heading(cs) {
        return;
    }
    let Some(k) = cs.iter().rposition(|&(_, c)| !c.is_whitespace()) else {
        return;
    };
    let (i, c) = cs[k];
    if p.skipped(i) {
        return;
    }
    let ok = matches!(
        c,
        '。' | '？' | '！' | '…' | '”' | '’' | '）' | '》' | '】' | '」' | '』' | '〕'
    ) || (before_list && matches!(c, '：' | ':'));
    if !ok {
        hits.push(Hit {
            code: "P011",
            range: range_of(cs, k, k + 1),
            message: "段落没有以句末标点结束".to_string(),
            hint: Some("段末加上“。”（或问号、叹号）".to_string()),
        });
    }
}

/// A heading typed as a plain paragraph (一、总体要求 / （一）摸底排查 /
/// 1.工作目标) or an attachment line (附件：……): no sentence, no full stop.
fn is_run_in_heading(cs: &[(usize, char)]) -> bool {
    let text: String = cs.iter().map(|&(_, c)| c).collect();
    if text.contains(['。', '？', '！']) {
        return false;
    }
    if text.starts_with("附件") {
        return true;
    }
    let numeral = |c: char| CN_NUMERALS.contains(c) || c.is_ascii_digit();
    let body = text.trim_start_matches(['（', '(']);
    let digits = body.chars().take_while(|&c| numeral(c)).count();
    if digits == 0 || digits > 3 {
        return false;
    }
    let after = body.chars().nth(digits);
    let bracketed = body.len() != text.len();
    (bracketed && matches!(after, Some('）' | ')')))
        || (!bracketed && matches!(after, Some('、' | '.')))
}

/// P012: a title ends in punctuation other than ？！ or a closing mark.
fn title_end(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let Some(&(_, c)) = cs.last() else { return };
    if matches!(
        c,
        '。' | '，' | '、' | '；' | '：' | '…' | '.' | ',' | ';' | ':' | '—'
    ) {
        let k = cs.len() - 1;
        hits.push(Hit {
            code: "P012",
            range: range_of(cs, k, k + 1),
            message: format!("标题末尾有标点“{c}”"),
            hint: Some("标题末尾不加标点（问号、叹号除外）".to_string()),
        });
    }
}

/// Lower-case Latin words Chinese prose uses as its own.
const LOANWORDS: &[&str] = &["app", "wifi", "wi-fi", "vlog", "pdf", "ok"];

/// P013: a lower-case Latin word between Chinese characters, outside quotes
/// and brackets (often a conversion or translation slip).
fn latin_words(p: &Prose, cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let mut depth = 0i32;
    let mut k = 0;
    while k < cs.len() {
        let c = cs[k].1;
        if matches!(
            c,
            '“' | '‘' | '《' | '〈' | '「' | '『' | '（' | '(' | '【' | '"'
        ) {
            // A straight quote toggles.
            if c == '"' && depth > 0 {
                depth -= 1;
            } else {
                depth += 1;
            }
            k += 1;
            continue;
        }
        if matches!(c, '”' | '’' | '》' | '〉' | '」' | '』' | '）' | ')' | '】') {
            depth = (depth - 1).max(0);
            k += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < cs.len()
            && (cs[end].1.is_ascii_alphabetic()
                || (matches!(cs[end].1, '\'' | '-')
                    && at(cs, end + 1).is_some_and(|c| c.is_ascii_alphabetic())))
        {
            end += 1;
        }
        let word: String = cs[k..end].iter().map(|&(_, c)| c).collect();
        // All lower case: names (iPhone) and acronyms (GDP) are meant.
        let lower = word.chars().all(|c| !c.is_ascii_uppercase())
            && !LOANWORDS.contains(&word.to_ascii_lowercase().as_str());
        let prev = cs[..k].iter().rev().map(|&(_, c)| c).find(|c| *c != ' ');
        let next = cs[end..].iter().map(|&(_, c)| c).find(|c| *c != ' ');
        let chinese = |c: Option<char>| c.is_some_and(|c| is_han(c) || is_fw_punct(c));
        if depth == 0
            && lower
            && word.len() >= 2
            && !p.skipped(cs[k].0)
            && chinese(prev)
            && chinese(next)
        {
            hits.push(Hit {
                code: "P013",
                range: range_of(cs, k, end),
                message: format!("中文句子里夹有英文单词“{word}”"),
                hint: Some(
                    "如果是转换或翻译的遗留，请改成中文；确需保留的外文可加引号".to_string(),
                ),
            });
        }
        k = end;
    }
}

/// P014: a range whose first number lacks the unit: 15～30% → 15%～30%.
fn ranges(cs: &[(usize, char)], hits: &mut Vec<Hit>) {
    let num_end = |from: usize| {
        let mut j = from;
        while j < cs.len() && (cs[j].1.is_ascii_digit() || (cs[j].1 == '.' && j > from)) {
            j += 1;
        }
        j
    };
    let mut k = 0;
    while k < cs.len() {
        let c = cs[k].1;
        let starts_number =
            c.is_ascii_digit() && !before(cs, k).is_some_and(|p| p.is_ascii_digit() || p == '.');
        if !starts_number {
            k += 1;
            continue;
        }
        let a_end = num_end(k);
        let conn = at(cs, a_end);
        if !conn.is_some_and(|c| matches!(c, '～' | '~' | '〜' | '—' | '-' | '－' | '至' | '到'))
        {
            k = a_end.max(k + 1);
            continue;
        }
        let b_start = a_end + 1;
        if !at(cs, b_start).is_some_and(|c| c.is_ascii_digit()) {
            k = b_start;
            continue;
        }
        let b_end = num_end(b_start);
        let unit = at(cs, b_end);
        // GB/T 15835: 15%～30%, 9亿～16亿, 13万元～17万元 repeat the unit;
        // -36～-8℃, 100～150kg do not.
        if let Some(u) = unit.filter(|u| matches!(u, '%' | '％' | '‰' | '万' | '亿')) {
            let a: String = cs[k..a_end].iter().map(|&(_, c)| c).collect();
            let b: String = cs[b_start..b_end].iter().map(|&(_, c)| c).collect();
            let con = conn.unwrap_or('～');
            hits.push(Hit {
                code: "P014",
                range: range_of(cs, k, b_end + 1),
                message: format!("数值范围“{a}{con}{b}{u}”前一个数缺少单位"),
                hint: Some(format!("两个数都带单位：{a}{u}{con}{b}{u}")),
            });
        }
        k = b_end.max(k + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    fn run(body: &str) -> Vec<String> {
        let it = item(
            "a.md",
            Some("市民政局召开冬季安全工作会议"),
            "市局办公室",
            "2025-12-01",
            body,
        );
        let d = check(&issue(vec![it], vec![]));
        codes(&d)
            .into_iter()
            .map(|c| c.split('@').next().unwrap().to_string())
            .collect()
    }

    fn fires(code: &str, body: &str) {
        let got = run(body);
        assert!(
            got.iter().any(|c| c == code),
            "{code} should fire on {body:?}, got {got:?}"
        );
    }

    fn silent(body: &str) {
        let got = run(body);
        assert!(
            got.is_empty(),
            "no rule should fire on {body:?}, got {got:?}"
        );
    }

    #[test]
    fn clean_prose_is_silent() {
        silent("12月3日上午9:30，全县共发放救助资金3.5万元，覆盖率达到98.6%，比去年提高15%～20%。");
        silent("详情请访问 https://mzj.nanyang.gov.cn/news/2025/index.html?id=3,4 查看。");
        silent("咨询邮箱：mzj@nanyang.gov.cn。");
        silent("1.加强组织领导，明确责任分工。");
        silent("会议传达了“Smart Home”项目的推进情况，要求抓好落实。");
        silent("活动主题为“Care for the elderly, every day.”，现场气氛热烈。");
        silent("据《中国民政》报道，本次会议由市局主办（视频形式）。");
        silent("12月1日—12月4日，检查组对12家机构开展联合检查。");
        silent("他说：“你们辛苦了！”大家很受鼓舞。");
        silent("会议要求抓好以下工作：\n\n- 摸底排查\n- 发放物资\n");
        silent("**一、工作进展**");
        silent("全市建成GDP监测平台和App服务终端，群众可通过微信公众号办理。");
        silent("这是真的吗？！大家都很惊讶。");
        silent("第一、二批试点单位已经完成验收，一、二等奖各评出3名。");
        silent("一、总体要求");
        silent("（二）强化资金监管");
        silent("附件：南召县特困人员走访慰问名单");
        silent("室外气温为-8～5℃，每户补助100～150元。");
        silent("群众可通过app查询，也可使用iPhone拍照上传。");
        silent("共有`config.toml`和`a--b`两个文件需要修改。");
    }

    #[test]
    fn half_width_next_to_han() {
        fires("P001", "会议强调,要压实责任。");
        fires("P001", "会议(视频)召开。");
        fires("P001", "请注意:明天开会。");
    }

    #[test]
    fn unbalanced_pairs() {
        fires("P002", "会议强调“要压实责任。");
        fires("P002", "印发《工作方案的通知。");
        fires("P002", "会议强调要压实责任）。");
    }

    #[test]
    fn quotation_over_several_paragraphs() {
        silent("他在信中写道：“感谢民政部门的帮助。\n\n“让我们一家渡过了难关。”");
        fires("P002", "他在信中写道：“感谢民政部门的帮助。\n\n他说。");
    }

    #[test]
    fn straight_quotes() {
        fires("P003", "推行\"一门受理\"机制。");
    }

    #[test]
    fn numbering_marks() {
        fires("P004", "一，加强组织领导。");
        fires("P004", "1、加强组织领导。");
        fires("P004", "（一）、加强组织领导。");
    }

    #[test]
    fn doubled_marks() {
        fires("P005", "会议强调，，要压实责任。");
        fires("P005", "会议结束。。");
        fires("P005", "会议结束，。");
    }

    #[test]
    fn ellipsis_and_dash() {
        fires("P006", "包括棉衣、棉被...等物资。");
        fires("P006", "包括棉衣、棉被。。。等物资。");
        fires("P006", "包括棉衣、棉被…等物资。");
        fires("P006", "这项工作--关爱巡访--已全面展开。");
        fires("P006", "这项工作—关爱巡访—已全面展开。");
        silent("这项工作——关爱巡访——已全面展开。");
        silent("包括棉衣、棉被……等物资。");
    }

    #[test]
    fn spaces() {
        fires("P007", "会议 强调要压实责任。");
        fires("P007", "会议强调， 要压实责任。");
        fires("P007", "会议强调\u{3000}要压实责任。");
        // A space beside a number is P015's, not P007's.
        assert_eq!(run("全市共有 1500 名志愿者参加。"), vec!["P015", "P015"]);
        silent("传达学习了《民政部 财政部关于加强困难群众基本生活保障工作的通知》。");
    }

    #[test]
    fn full_width_digits() {
        fires("P008", "共发放物资１２０余份。");
    }

    #[test]
    fn approximation() {
        fires("P010", "每隔三、五天巡访一次。");
        fires("P010", "每户配备两、三个灭火器。");
    }

    #[test]
    fn paragraph_end() {
        fires("P011", "会议要求各地抓好落实");
        silent("会议要求各地抓好落实。\n\n他问：“准备好了吗？”");
    }

    #[test]
    fn title_end() {
        let it = item(
            "a.md",
            Some("市民政局召开冬季安全工作会议。"),
            "市局办公室",
            "2025-12-01",
            "正文。",
        );
        let d = check(&issue(vec![it], vec![]));
        assert_eq!(codes(&d), vec!["P012@2:24"]);
        let it = item(
            "a.md",
            Some("救助资金发放到位了吗？"),
            "市局办公室",
            "2025-12-01",
            "正文。",
        );
        assert!(check(&issue(vec![it], vec![])).is_empty());
    }

    #[test]
    fn latin_words() {
        fires("P013", "全力做好困难群众救助and帮扶工作。");
    }

    #[test]
    fn ranges() {
        fires("P014", "覆盖率提高15～30%。");
        fires("P014", "每人补助2～5万元。");
    }

    #[test]
    fn positions_after_a_hard_break() {
        let it = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "会议强调：  \n要压实责任,落实到人。",
        );
        let d = check(&issue(vec![it], vec![]));
        assert_eq!(codes(&d), vec!["P001@8:6"]);
    }

    #[test]
    fn positions_point_into_the_file() {
        let it = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "第一段。\n\n会议强调,要压实责任。",
        );
        let d = check(&issue(vec![it], vec![]));
        // +++ / title / unit / date / +++ / blank / 第一段 / blank / line 9
        assert_eq!(codes(&d), vec!["P001@9:5"]);
    }

    fn at_of(body: &str) -> Vec<String> {
        let it = item("a.md", Some("标题"), "市局办公室", "2025-12-01", body);
        codes(&check(&issue(vec![it], vec![])))
    }

    #[test]
    fn spaces_between_han_and_digits() {
        assert_eq!(
            at_of("11 月 26 日，共 12 个单位4416 名干部参加。"),
            vec![
                "P015@7:3",
                "P015@7:5",
                "P015@7:8",
                "P015@7:12",
                "P015@7:15",
                "P015@7:23"
            ]
        );
        // A full-width space too.
        fires("P015", "共　12个。");
    }

    #[test]
    fn spaces_by_numbers_left_alone() {
        // After a Latin word the number is Latin text.
        silent("全部电脑升级到Windows 11系统，配发iPhone 15 手机。");
        // Inside 《》, and between a number and a Latin unit.
        silent("全长12 km。");
        silent("学习《2025 年工作要点》。");
        // Between two digits, or a digit and punctuation.
        silent("电话0377-63123456。");
        // A number that ends a URL is the URL's.
        silent("详情请访问 https://mzj.nanyang.gov.cn/news/index.html?id=3 查看。");
    }

    #[test]
    fn hyphen_ranges() {
        let msg = |body: &str| {
            let it = item("a.md", Some("标题"), "市局办公室", "2025-12-01", body);
            check(&issue(vec![it], vec![]))
                .items
                .iter()
                .filter(|d| d.code == "P006")
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            msg("11月20日-12月3日开展排查。"),
            vec!["表示日期起止用了横线"]
        );
        assert_eq!(
            msg("2024年－2025年持续推进。"),
            vec!["表示日期起止用了横线"]
        );
        assert_eq!(
            msg("每组3-5人，2025-2026年完成。"),
            vec!["表示数值或年份范围用了横线"; 2]
        );
        assert_eq!(
            msg("覆盖率提高到15-30%。"),
            vec!["表示数值或年份范围用了横线"]
        );
        // The range dash and 至 are right.
        silent("11月20日—12月3日开展排查，每组3～5人，2025至2026年完成。");
        // Not ranges: an ISO date (D003's), a phone number, a code.
        assert!(msg("2025-12-03召开会议。").is_empty());
        assert!(msg("电话0377-63123456。").is_empty());
        assert!(msg("编号A-3的项目，G312-3号线。").is_empty());
    }
}
