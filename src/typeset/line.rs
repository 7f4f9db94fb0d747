//! Line breaking at the clreq basic level: forbidden line starts and ends,
//! unbreakable Latin words, numbers and ——/……, squeezing punctuation
//! before pushing a character to the next line. Titles are broken in
//! `title`.
//! Setting a broken line (squeezing, justification) is in `justify`;
//! [`SetLine`] and [`set_line`] are re-exported here.

use std::ops::Range;

use super::justify::{EPS, fits, natural};
pub use super::justify::{SetLine, set_line};
use crate::fonts::{Glyph, Role};
use crate::text::{no_line_end, no_line_start};

/// A word longer than a whole line starts on the current line when that
/// line would otherwise be filled less than this fraction of its measure.
const OVERLONG_WORD_FILL: f32 = 0.75;

/// Most characters a lone last character may pull down from the line before.
const LONE_CHAR_MAX_PULL: usize = 6;

/// How full the line before must stay when it gives characters to a lone
/// last character, as a fraction of its measure.
const LONE_CHAR_MIN_FILL: f32 = 0.6;

/// One character set on the line: its glyph (or a placeholder when no font
/// has it) and natural width.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub ch: char,
    /// Byte range of the character in the paragraph's text.
    pub range: Range<usize>,
    /// `None`: no font has the character (placeholder box).
    pub glyph: Option<Glyph>,
    pub role: Role,
    pub size: f32,
    pub color: [u8; 3],
    /// Natural advance (pt).
    pub width: f32,
    /// Offset of the glyph inside its cell (pt).
    pub offset: f32,
    /// Set on a full-width cell.
    pub wide: bool,
    /// Target of the link the character belongs to.
    pub link: Option<std::sync::Arc<str>>,
    /// The character and the next one stay on one line (inside the
    /// （单位） attribution, or a bracketed group of the end block).
    pub glue: bool,
}

impl Cluster {
    pub fn is_space(&self) -> bool {
        self.ch == ' ' || self.ch == '\u{3000}' || self.ch == '\t'
    }

    pub fn is_newline(&self) -> bool {
        self.ch == '\n'
    }
}

/// Whether a line may break between `a` and `b`.
pub fn can_break(a: &Cluster, b: &Cluster) -> bool {
    if a.is_newline() {
        return true;
    }
    if b.is_newline() || b.is_space() {
        return false;
    }
    if a.glue {
        return false;
    }
    if a.is_space() {
        return true;
    }
    if no_line_end(a.ch) || no_line_start(b.ch) {
        return false;
    }
    if a.ch == b.ch && matches!(a.ch, '—' | '…' | '─') {
        return false;
    }
    // Latin words and numbers stay whole, a number with its unit too.
    if !a.wide && !b.wide {
        return false;
    }
    // A number keeps its unit symbol (50%, 5℃); before a Han character
    // (1500|人次) a break is allowed, at a price (see `fit`).
    if a.ch.is_ascii_digit() && matches!(b.ch, '％' | '℃' | '‰') {
        return false;
    }
    true
}

/// A number followed by a Han character (1500|人次): a break there is
/// allowed but costs (the greedy breaker never takes it; `fit` weighs it).
pub fn number_han(a: &Cluster, b: &Cluster) -> bool {
    a.ch.is_ascii_digit() && b.wide && !crate::text::is_squeezable_punct(b.ch)
}

/// Whether a break before `at` splits what should stay whole: a Latin
/// word, a number (with its unit symbol), a glued group (the attribution).
pub fn splits_group(cl: &[Cluster], at: usize) -> bool {
    if at == 0 || at >= cl.len() {
        return false;
    }
    let (a, b) = (&cl[at - 1], &cl[at]);
    a.glue
        || (a.ch.is_ascii_alphanumeric() && b.ch.is_ascii_alphanumeric())
        || (a.ch.is_ascii_digit() && matches!(b.ch, '%' | '％' | '℃' | '‰' | '.'))
}

/// Break `cl` into lines: the first `measure_first` wide, the rest
/// `measure_rest`. Returns the cluster range of every line.
pub fn break_lines(cl: &[Cluster], measure_first: f32, measure_rest: f32) -> Vec<Range<usize>> {
    let n = cl.len();
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut s = 0;
    while s < n {
        let measure = if lines.is_empty() {
            measure_first
        } else {
            measure_rest
        };
        let mut best: Option<usize> = None;
        let mut fallback: Option<usize> = None;
        let mut e = s + 1;
        let mut forced = false;
        while e <= n {
            let r = s..e;
            let ok = fits(cl, &r, measure);
            if !ok {
                // Past the measure even with every squeeze: stop.
                break;
            }
            fallback = Some(e);
            if cl[e - 1].is_newline() {
                best = Some(e);
                forced = true;
                break;
            }
            if e == n || (can_break(&cl[e - 1], &cl[e]) && !number_han(&cl[e - 1], &cl[e])) {
                best = Some(e);
            }
            e += 1;
        }
        // A word longer than a whole line (a URL) will be broken anyway:
        // start it on this line rather than leave this line half empty.
        if let (Some(b), Some(f)) = (best, fallback)
            && !forced
            && f > b
            && natural(cl, &(s..b)) < measure * OVERLONG_WORD_FILL
        {
            let mut next = b + 1;
            while next < n && !can_break(&cl[next - 1], &cl[next]) {
                next += 1;
            }
            if natural(cl, &(b..next)) > measure_rest {
                best = Some(f);
            }
        }
        let mut end = match (best, fallback) {
            (Some(b), _) => b,
            // Nothing fits by the rules (an overlong word): break where the
            // measure runs out rather than overflow the text block.
            (None, Some(f)) => f,
            (None, None) => s + 1,
        };
        if !forced {
            // Spaces after a line end belong to it (they print as nothing).
            while end < n && cl[end].is_space() {
                end += 1;
            }
        }
        lines.push(s..end);
        s = end;
    }
    avoid_lone_last_char(cl, &mut lines, measure_first, measure_rest);
    lines
}

/// A paragraph's last line with a single Han character takes one more from
/// the line before.
fn avoid_lone_last_char(
    cl: &[Cluster],
    lines: &mut [Range<usize>],
    measure_first: f32,
    measure_rest: f32,
) {
    let k = lines.len();
    if k < 2 {
        return;
    }
    let last = lines[k - 1].clone();
    // A single Han character, maybe with its closing punctuation (次。).
    let visible: Vec<usize> = last
        .clone()
        .filter(|&i| !cl[i].is_space() && !cl[i].is_newline() && !no_line_start(cl[i].ch))
        .collect();
    if visible.len() != 1 || !crate::text::is_han(cl[visible[0]].ch) || visible[0] != last.start {
        return;
    }
    let prev = lines[k - 2].clone();
    if prev.end > 0 && cl[prev.end - 1].is_newline() {
        return;
    }
    // Up to six characters back (a number with its unit moves whole), as
    // long as the line before stays at least 60 % full.
    let measure = if k == 2 { measure_first } else { measure_rest };
    for back in 1..=LONE_CHAR_MAX_PULL {
        let Some(new_end) = prev.end.checked_sub(back) else {
            return;
        };
        if new_end <= prev.start + 1 {
            return;
        }
        if can_break(&cl[new_end - 1], &cl[new_end]) {
            let tail = new_end..last.end;
            let head = prev.start..new_end;
            if fits(cl, &tail, measure_rest)
                && natural(cl, &head) >= LONE_CHAR_MIN_FILL * measure - EPS
            {
                lines[k - 2] = head;
                lines[k - 1] = tail;
            }
            return;
        }
    }
}

/// Adjacent full-width marks are always set the same way (clreq's default,
/// whether or not the line is tight): of a pair, a closing mark gives up
/// the blank half of its cell (。” ，“ 》、), otherwise an opening mark
/// after it does (“《), so two marks take one and a half cells, three
/// (》、《) two.
pub fn compress_adjacent_marks(clusters: &mut [Cluster]) {
    use crate::text::{is_squeezable_punct, no_line_end};
    let mark = |c: &Cluster| c.wide && is_squeezable_punct(c.ch);
    for j in 1..clusters.len() {
        let (a, b) = (&clusters[j - 1], &clusters[j]);
        if !mark(a) || !mark(b) {
            continue;
        }
        let full = |c: &Cluster| c.width > 0.75 * c.size;
        if !no_line_end(a.ch) && full(a) {
            let half = a.width / 2.0;
            clusters[j - 1].width -= half;
        } else if no_line_end(b.ch) && full(b) {
            let half = b.width / 2.0;
            clusters[j].width -= half;
            clusters[j].offset -= half;
        }
    }
}

/// Glue every bracketed group of `cl` — （…）, 〔…〕, 【…】 — so that no
/// line breaks inside it (the end block's 各县（市、区）).
pub fn glue_brackets(cl: &mut [Cluster]) {
    let mut open: Option<usize> = None;
    for i in 0..cl.len() {
        match cl[i].ch {
            '（' | '〔' | '【' => open = Some(i),
            '）' | '〕' | '】' => {
                if let Some(o) = open.take() {
                    for c in &mut cl[o..i] {
                        c.glue = true;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Clusters for unit tests: 10 pt cells for wide characters, 5 pt for
/// the others, no glyphs.
#[cfg(test)]
pub(crate) fn test_clusters(s: &str, role: Role) -> Vec<Cluster> {
    s.char_indices()
        .map(|(i, ch)| {
            let wide = crate::text::is_wide(ch);
            Cluster {
                ch,
                range: i..i + ch.len_utf8(),
                glyph: None,
                role,
                size: 10.0,
                color: [0, 0, 0],
                width: if wide { 10.0 } else { 5.0 },
                offset: 0.0,
                wide,
                link: None,
                glue: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters(s: &str) -> Vec<Cluster> {
        test_clusters(s, Role::Body)
    }

    fn texts(s: &str, lines: &[Range<usize>]) -> Vec<String> {
        let cl = clusters(s);
        lines
            .iter()
            .map(|r| cl[r.clone()].iter().map(|c| c.ch).collect())
            .collect()
    }

    #[test]
    fn no_comma_at_line_start_squeezes_first() {
        // Cells of 10 pt, measure 55: 一二三四五 fits, the comma would
        // start line 2, but squeezed to half a cell it stays on line 1.
        let s = "一二三四五，六七";
        let cl = clusters(s);
        let lines = break_lines(&cl, 55.0, 55.0);
        assert_eq!(texts(s, &lines), ["一二三四五，", "六七"]);
        let set = set_line(&cl, lines[0].clone(), 55.0, true);
        assert!((set.width - 55.0).abs() < 0.01, "{}", set.width);
        // At 50 squeezing is not enough: 五 goes down with its comma.
        let lines = break_lines(&cl, 50.0, 50.0);
        assert_eq!(texts(s, &lines), ["一二三四", "五，六七"]);
    }

    #[test]
    fn pushes_when_squeezing_is_not_enough() {
        let s = "一二三四五。”六";
        let cl = clusters(s);
        // 。” together can give up 10 pt only at measure 60 … at 50 the
        // line must push 五 down.
        let lines = break_lines(&cl, 50.0, 50.0);
        let t = texts(s, &lines);
        assert!(!t[1].starts_with('。') && !t[1].starts_with('”'), "{t:?}");
        for l in &t {
            let first = l.chars().next().unwrap();
            assert!(!no_line_start(first), "{t:?}");
        }
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        let s = "一二三四《五六》七";
        let lines = break_lines(&clusters(s), 50.0, 50.0);
        let t = texts(s, &lines);
        assert_eq!(t[0], "一二三四");
        assert!(t[1].starts_with('《'));
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let s = "一二三abcd四1500人次";
        let lines = break_lines(&clusters(s), 40.0, 40.0);
        let t = texts(s, &lines);
        assert!(t.iter().any(|l| l.contains("abcd")), "{t:?}");
        assert!(t.iter().any(|l| l.contains("1500人")), "{t:?}");
    }

    #[test]
    fn an_overlong_word_starts_on_the_current_line() {
        // 16 Latin letters (80 pt) can never fit a 50 pt line.
        let s = "一二三abcdefghijklmnop";
        let lines = break_lines(&clusters(s), 50.0, 50.0);
        let t = texts(s, &lines);
        assert_eq!(t[0], "一二三abcd", "{t:?}");
        // A word that fits a line of its own moves down whole.
        let s = "一二三四abcdefgh";
        let t = texts(s, &break_lines(&clusters(s), 50.0, 50.0));
        assert_eq!(t, ["一二三四", "abcdefgh"]);
    }

    #[test]
    fn justifies_to_the_measure() {
        let s = "一二三四五六七八九十";
        let cl = clusters(s);
        let lines = break_lines(&cl, 45.0, 45.0);
        let set = set_line(&cl, lines[0].clone(), 45.0, true);
        assert_eq!(lines[0].len(), 4);
        assert!((set.width - 45.0).abs() < 0.01);
    }

    #[test]
    fn no_lone_han_on_last_line() {
        let s = "一二三四五六七八九十壹";
        let lines = break_lines(&clusters(s), 50.0, 50.0);
        let t = texts(s, &lines);
        assert!(t.last().unwrap().chars().count() >= 2, "{t:?}");
    }

    #[test]
    fn lone_han_with_its_period_is_pulled_back() {
        let s = "一二三四五六七八九十次。";
        let t = texts(s, &break_lines(&clusters(s), 50.0, 50.0));
        assert!(t.last().unwrap().chars().count() >= 3, "{t:?}");
        // The total-fit breaker keeps a number with what it counts when
        // it can: 1500人次 stays whole.
        let s = "一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾甲乙丙丁戊己1500人次。";
        let t = texts(
            s,
            &crate::typeset::fit::break_paragraph(&clusters(s), 280.0, 280.0),
        );
        assert_eq!(t.last().unwrap(), "1500人次。", "{t:?}");
    }

    #[test]
    fn bracketed_groups_stay_whole() {
        // Wherever the measure falls, 各县（市、区） does not split.
        let s = "各县（市、区）民政局，市局机关各科（室、局）、局属各单位。";
        for cells in 6..=16 {
            let mut cl = clusters(s);
            glue_brackets(&mut cl);
            let m = 10.0 * cells as f32;
            let lines = crate::typeset::fit::break_paragraph(&cl, m, m);
            for r in &lines {
                let t: String = cl[r.clone()].iter().map(|c| c.ch).collect();
                let open = t.matches('（').count();
                assert_eq!(open, t.matches('）').count(), "{cells}: {t}");
            }
        }
    }

    #[test]
    fn random_text_keeps_every_rule() {
        let alphabet: Vec<char> = "民政工作动态会议要求，。、；：？！“”（）《》——……abcXYZ0123%"
            .chars()
            .collect();
        let mut rng = crate::typeset::sample::Rng::new(11);
        for round in 0..300 {
            let len = rng.range(1, 120);
            let s: String = (0..len)
                .map(|_| alphabet[rng.range(0, alphabet.len())])
                .collect();
            let cl = clusters(&s);
            let measure = 10.0 * rng.range(4, 30) as f32;
            let lines = break_lines(&cl, measure, measure);
            // Every character in exactly one line, in order.
            let mut next = 0;
            for r in &lines {
                assert_eq!(r.start, next, "{s}");
                assert!(r.end > r.start, "{s}");
                next = r.end;
            }
            assert_eq!(next, cl.len(), "{s}");
            for (k, r) in lines.iter().enumerate() {
                let set = set_line(&cl, r.clone(), measure, k + 1 < lines.len());
                assert!(
                    set.width <= measure + 0.05,
                    "round {round}: line wider than {measure}: {s}"
                );
                if k > 0 {
                    let prev = &cl[r.start - 1];
                    let first = &cl[r.start];
                    // A forbidden break is only taken when nothing else fits
                    // (the line before is then exactly full or one cluster).
                    if !can_break(prev, first) {
                        let p = &lines[k - 1];
                        let natural: f32 = cl[p.clone()].iter().map(|c| c.width).sum();
                        assert!(
                            natural > measure - 10.0 - 0.01 || p.len() == 1,
                            "round {round}: avoidable forbidden break before {:?} in {s}",
                            first.ch
                        );
                    }
                }
            }
        }
    }
}
