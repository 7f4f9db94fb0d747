//! Line breaking and line setting at the clreq basic level: forbidden line
//! starts and ends, unbreakable Latin words, numbers and ——/……, squeezing
//! punctuation before pushing a character to the next line, and
//! justification over the gaps between characters.

use std::ops::Range;

use crate::fonts::{Glyph, Role};
use crate::text::{is_squeezable_punct, no_line_end, no_line_start};

const EPS: f32 = 0.01;

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
    /// Which source segment and byte in it (for diagnostics).
    pub seg: usize,
    pub seg_byte: usize,
}

impl Cluster {
    pub fn is_space(&self) -> bool {
        self.ch == ' ' || self.ch == '\u{3000}' || self.ch == '\t'
    }

    pub fn is_newline(&self) -> bool {
        self.ch == '\n'
    }

    fn closing(&self) -> bool {
        is_squeezable_punct(self.ch) && !no_line_end(self.ch)
    }

    fn opening(&self) -> bool {
        is_squeezable_punct(self.ch) && no_line_end(self.ch)
    }

    /// Half of the cell, what a squeezable mark can give up.
    fn half(&self) -> f32 {
        self.width / 2.0
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
    if a.ch.is_ascii_digit() && !b.ch.is_ascii_punctuation() {
        return false;
    }
    true
}

/// A squeeze: cluster index, amount (pt) and whether the glyph moves left
/// by the amount (opening marks keep their ink on the right half).
#[derive(Debug, Clone, Copy)]
struct Squeeze {
    idx: usize,
    amount: f32,
    shift: bool,
}

/// The last index of the line that prints something (skips trailing spaces
/// and a forced break).
fn last_visible(cl: &[Cluster], r: &Range<usize>) -> Option<usize> {
    (r.start..r.end)
        .rev()
        .find(|&i| !cl[i].is_space() && !cl[i].is_newline())
}

/// The squeezes available on line `r`, line end first.
fn squeezes(cl: &[Cluster], r: &Range<usize>) -> Vec<Squeeze> {
    let mut out = Vec::new();
    let Some(last) = last_visible(cl, r) else {
        return out;
    };
    if cl[last].wide && cl[last].closing() {
        out.push(Squeeze {
            idx: last,
            amount: cl[last].half(),
            shift: false,
        });
    }
    let mut j = r.start;
    while j < last {
        let (a, b) = (&cl[j], &cl[j + 1]);
        if a.wide && b.wide && is_squeezable_punct(a.ch) && is_squeezable_punct(b.ch) {
            if a.closing() && j != last {
                out.push(Squeeze {
                    idx: j,
                    amount: a.half(),
                    shift: false,
                });
                j += 2;
                continue;
            }
            if b.opening() && j + 1 != last {
                out.push(Squeeze {
                    idx: j + 1,
                    amount: b.half(),
                    shift: true,
                });
                j += 2;
                continue;
            }
        }
        j += 1;
    }
    out
}

/// Natural width of `r` (trailing spaces and breaks count zero).
fn natural(cl: &[Cluster], r: &Range<usize>) -> f32 {
    let end = last_visible(cl, r).map_or(r.start, |i| i + 1);
    cl[r.start..end].iter().map(|c| c.width).sum()
}

fn fits(cl: &[Cluster], r: &Range<usize>, measure: f32) -> bool {
    let w = natural(cl, r);
    if w <= measure + EPS {
        return true;
    }
    let s: f32 = squeezes(cl, r).iter().map(|s| s.amount).sum();
    w - s <= measure + EPS
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
            if e == n || can_break(&cl[e - 1], &cl[e]) {
                best = Some(e);
            }
            e += 1;
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
    let visible: Vec<usize> = last
        .clone()
        .filter(|&i| !cl[i].is_space() && !cl[i].is_newline())
        .collect();
    if visible.len() != 1 || !crate::text::is_han(cl[visible[0]].ch) {
        return;
    }
    let prev = lines[k - 2].clone();
    if prev.end > 0 && cl[prev.end - 1].is_newline() {
        return;
    }
    for back in 1..=3 {
        let Some(new_end) = prev.end.checked_sub(back) else {
            return;
        };
        if new_end <= prev.start + 1 {
            return;
        }
        if can_break(&cl[new_end - 1], &cl[new_end]) {
            let measure = if k == 2 { measure_first } else { measure_rest };
            let _ = measure;
            let tail = new_end..last.end;
            if fits(cl, &tail, measure_rest) {
                lines[k - 2] = prev.start..new_end;
                lines[k - 1] = tail;
            }
            return;
        }
    }
}

/// A line set for printing: every cluster's advance and glyph offset (pt).
#[derive(Debug, Clone)]
pub struct SetLine {
    pub range: Range<usize>,
    pub advances: Vec<f32>,
    pub offsets: Vec<f32>,
    /// Sum of the advances of the printing clusters.
    pub width: f32,
}

/// Set line `r` to `measure`: squeeze if it is too long; if `justify`,
/// spread what is left over the gaps between characters.
pub fn set_line(cl: &[Cluster], r: Range<usize>, measure: f32, justify: bool) -> SetLine {
    let mut advances: Vec<f32> = cl[r.clone()].iter().map(|c| c.width).collect();
    let mut offsets: Vec<f32> = cl[r.clone()].iter().map(|c| c.offset).collect();
    let end = last_visible(cl, &r).map_or(r.start, |i| i + 1);
    for i in end..r.end {
        advances[i - r.start] = 0.0;
    }
    let w = natural(cl, &r);
    if w > measure + EPS {
        // Squeeze: the line-end mark first, then pairs of marks.
        let mut need = w - measure;
        for sq in squeezes(cl, &r) {
            if need <= 0.0 {
                break;
            }
            let take = sq.amount.min(need);
            advances[sq.idx - r.start] -= take;
            if sq.shift {
                offsets[sq.idx - r.start] -= take;
            }
            need -= take;
        }
    } else if justify && w < measure - EPS {
        let extra = measure - w;
        let gaps: Vec<usize> = (r.start..end.saturating_sub(1))
            .filter(|&i| {
                let (a, b) = (&cl[i], &cl[i + 1]);
                (a.wide || b.wide || a.is_space() || b.is_space()) && !a.is_newline()
            })
            .collect();
        if !gaps.is_empty() {
            let each = extra / gaps.len() as f32;
            for g in gaps {
                advances[g - r.start] += each;
            }
        }
    }
    let width = advances[..end.saturating_sub(r.start)].iter().sum();
    SetLine {
        range: r,
        advances,
        offsets,
        width,
    }
}

/// Break a title into the fewest lines, then balance them: the narrowest
/// measure that still gives that many lines (no lone last character).
pub fn break_balanced(cl: &[Cluster], measure: f32) -> Vec<Range<usize>> {
    let greedy = break_lines(cl, measure, measure);
    let k = greedy.len();
    if k < 2 {
        return greedy;
    }
    let total = natural(cl, &(0..cl.len()));
    let (mut lo, mut hi) = ((total / k as f32).min(measure), measure);
    let mut best = greedy;
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        let lines = break_lines(cl, mid, mid);
        if lines.len() <= k {
            best = lines;
            hi = mid;
        } else {
            lo = mid;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::is_wide;

    fn clusters(s: &str) -> Vec<Cluster> {
        let mut out = Vec::new();
        for (i, ch) in s.char_indices() {
            let wide = is_wide(ch);
            out.push(Cluster {
                ch,
                range: i..i + ch.len_utf8(),
                glyph: None,
                role: Role::Body,
                size: 10.0,
                color: [0, 0, 0],
                width: if wide { 10.0 } else { 5.0 },
                offset: 0.0,
                wide,
                seg: 0,
                seg_byte: i,
            });
        }
        out
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
    fn balanced_title() {
        let s = "一二三四五六七八九十壹贰";
        let lines = break_balanced(&clusters(s), 100.0);
        let t = texts(s, &lines);
        assert_eq!(t, ["一二三四五六", "七八九十壹贰"]);
    }
}
