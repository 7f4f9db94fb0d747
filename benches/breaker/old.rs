//! Today's breaker before issue 12, kept as it was for the benchmark:
//! greedy line by line, punctuation pairs squeezed only on tight lines, a
//! number and the Han character after it never broken.

use std::ops::Range;

use bulletin::text::{is_squeezable_punct, no_line_end, no_line_start};
use bulletin::typeset::line::Cluster;

const EPS: f32 = 0.01;
const OVERLONG_WORD_FILL: f32 = 0.75;
const LONE_CHAR_MAX_PULL: usize = 6;
const LONE_CHAR_MIN_FILL: f32 = 0.6;

fn closing(c: &Cluster) -> bool {
    is_squeezable_punct(c.ch) && !no_line_end(c.ch)
}

fn opening(c: &Cluster) -> bool {
    is_squeezable_punct(c.ch) && no_line_end(c.ch)
}

fn half(c: &Cluster) -> f32 {
    c.width / 2.0
}

/// A squeeze: cluster index, amount (pt) and whether the glyph moves left
/// by the amount (opening marks keep their ink on the right half).
#[allow(dead_code)]
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
    if cl[last].wide && closing(&cl[last]) {
        out.push(Squeeze {
            idx: last,
            amount: half(&cl[last]),
            shift: false,
        });
    }
    let mut j = r.start;
    while j < last {
        let (a, b) = (&cl[j], &cl[j + 1]);
        if a.wide && b.wide && is_squeezable_punct(a.ch) && is_squeezable_punct(b.ch) {
            if closing(a) && j != last {
                out.push(Squeeze {
                    idx: j,
                    amount: half(a),
                    shift: false,
                });
                j += 2;
                continue;
            }
            if opening(b) && j + 1 != last {
                out.push(Squeeze {
                    idx: j + 1,
                    amount: half(b),
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

/// Whether a line may break between `a` and `b`.
fn can_break(a: &Cluster, b: &Cluster) -> bool {
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
    if a.ch.is_ascii_digit() && !b.ch.is_ascii_punctuation() {
        return false;
    }
    true
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
    if visible.len() != 1 || !bulletin::text::is_han(cl[visible[0]].ch) || visible[0] != last.start
    {
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
