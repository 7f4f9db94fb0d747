//! Total-fit paragraph breaking, in the manner of Knuth and Plass, over
//! the clusters: every way of breaking a paragraph at the places clreq
//! allows is weighed at once, and the one with the least total cost wins.
//! A line's stretch is the space it adds to each gap between characters,
//! its shrink the half cell a closing mark at its end may give up; a line
//! stretched beyond [`STRETCH_LIMIT`] em per gap costs more than any
//! alternative, so it is chosen only when nothing else fits. Breaking
//! between a number and the Han character after it is allowed, at a
//! price; a last line of one Han character costs more still.

use std::ops::Range;

use super::justify::EPS;
use super::line::{Cluster, break_lines, can_break};
use super::report::STRETCH_LIMIT;
use crate::text::{is_han, is_squeezable_punct, no_line_end, no_line_start};

/// How far short of its measure a line is considered at first, in em.
const SLACK: f32 = 4.0;
/// Cost of every line (fewer lines, all else equal).
const LINE: f32 = 10.0;
/// Badness of a line stretched by exactly the limit.
const AT_LIMIT: f32 = 100.0;
/// Added to a line stretched beyond the limit: more than any other choice.
const LOOSE: f32 = 100_000.0;
/// Breaking between a number and the Han character after it (1500|人次).
const NUMBER_HAN: f32 = 150.0;
/// A last line of a single Han character (maybe with its closing mark).
const LONE_LAST: f32 = 3_000.0;
/// A line that cannot be justified at all (nothing to stretch): worse
/// than a loose one.
const RIGID: f32 = 1_000_000.0;

/// The cost of breaking before `at` (after `cl[at - 1]`), or `None` when
/// clreq forbids it.
fn penalty(cl: &[Cluster], at: usize) -> Option<f32> {
    if at == cl.len() {
        return Some(0.0);
    }
    let (a, b) = (&cl[at - 1], &cl[at]);
    if !can_break(a, b) {
        return None;
    }
    if super::line::number_han(a, b) {
        return Some(NUMBER_HAN);
    }
    Some(0.0)
}

/// Whether `c` counts as a gap's side for justification (as `set_line`).
fn gap(a: &Cluster, b: &Cluster) -> bool {
    (a.wide || b.wide || a.is_space() || b.is_space()) && !a.is_newline()
}

/// Break `cl` into lines: the first `measure_first` wide, the rest
/// `measure_rest`. Most paragraphs set line by line already have no loose
/// line and no lone last character — no choice of breaks can do better on
/// either — and keep that setting; the others have all their breaks
/// chosen together ([`total_fit`]).
pub fn break_paragraph(cl: &[Cluster], measure_first: f32, measure_rest: f32) -> Vec<Range<usize>> {
    let greedy = break_lines(cl, measure_first, measure_rest);
    if acceptable(cl, &greedy, measure_first, measure_rest) {
        return greedy;
    }
    total_fit(cl, measure_first, measure_rest)
}

/// Whether `lines` has no loose line, no line that cannot be justified
/// and no last line of one Han character.
fn acceptable(cl: &[Cluster], lines: &[Range<usize>], first: f32, rest: f32) -> bool {
    let k = lines.len();
    for (i, r) in lines.iter().enumerate() {
        let Some(ve) = (r.start..r.end)
            .rev()
            .find(|&j| !cl[j].is_space() && !cl[j].is_newline())
            .map(|j| j + 1)
        else {
            continue;
        };
        let last = i + 1 == k || cl[r.end - 1].is_newline();
        if last {
            if i > 0 && lone(cl, r.start, ve) {
                return false;
            }
            continue;
        }
        let measure = if i == 0 { first } else { rest };
        let w: f32 = cl[r.start..ve].iter().map(|c| c.width).sum();
        let extra = measure - w;
        if extra <= EPS {
            continue;
        }
        let g = (r.start + 1..ve)
            .filter(|&j| gap(&cl[j - 1], &cl[j]))
            .count();
        if g == 0 || extra / g as f32 / cl[ve - 1].size > STRETCH_LIMIT + 1e-4 {
            return false;
        }
    }
    true
}

/// Whether the printing part `s..ve` of a last line is one Han character
/// (maybe with closing marks).
fn lone(cl: &[Cluster], s: usize, ve: usize) -> bool {
    let first_visible = (s..ve).find(|&i| !cl[i].is_space());
    first_visible.is_some_and(|f| is_han(cl[f].ch) && (f + 1..ve).all(|i| no_line_start(cl[i].ch)))
}

/// Break `cl` into lines choosing all breaks together, in the manner of
/// Knuth and Plass. Falls back to the greedy breaker when no way of
/// breaking keeps every line inside its measure (a word longer than a
/// line).
pub fn total_fit(cl: &[Cluster], measure_first: f32, measure_rest: f32) -> Vec<Range<usize>> {
    let n = cl.len();
    if n == 0 {
        return Vec::new();
    }
    // Candidate ends: after a forced break, where clreq allows a break
    // (spaces after a break stay on the line before), and the end.
    let mut pen: Vec<Option<f32>> = vec![None; n + 1];
    let mut forced = vec![false; n + 1];
    for at in 1..=n {
        if cl[at - 1].is_newline() {
            pen[at] = Some(0.0);
            forced[at] = true;
        } else {
            pen[at] = penalty(cl, at);
        }
    }
    // Last printing cluster before each end (for widths and the shrink).
    let mut vis = vec![0usize; n + 1]; // one past the last visible
    let mut v = 0;
    for at in 1..=n {
        let c = &cl[at - 1];
        if !c.is_space() && !c.is_newline() {
            v = at;
        }
        vis[at] = v;
    }
    let mut prefix = vec![0.0f32; n + 1];
    let mut gaps = vec![0u32; n + 1]; // gaps between i-1 and i, summed
    for i in 0..n {
        prefix[i + 1] = prefix[i] + cl[i].width;
        gaps[i + 1] = gaps[i] + u32::from(i > 0 && gap(&cl[i - 1], &cl[i]));
    }
    let t = Tables {
        pen: &pen,
        forced: &forced,
        vis: &vis,
        prefix: &prefix,
        gaps: &gaps,
    };
    // First only lines near their measure (a line short by more than
    // SLACK ems is loose anyway); if that finds no way, every line.
    let slack = SLACK * cl[0].size;
    let from = match fit(cl, &t, measure_first, measure_rest, slack) {
        Some(from) => from,
        None => match fit(cl, &t, measure_first, measure_rest, f32::INFINITY) {
            Some(from) => from,
            None => return break_lines(cl, measure_first, measure_rest),
        },
    };
    let mut lines = Vec::new();
    let mut e = n;
    while e > 0 {
        let s = from[e];
        lines.push(s..e);
        e = s;
    }
    lines.reverse();
    lines
}

/// Per-cluster tables of a paragraph.
struct Tables<'a> {
    /// Cost of a break before each index (`None`: not allowed).
    pen: &'a [Option<f32>],
    /// A forced break before each index.
    forced: &'a [bool],
    /// One past the last printing cluster before each index.
    vis: &'a [usize],
    /// Sum of the widths before each index.
    prefix: &'a [f32],
    /// Gaps between characters before each index.
    gaps: &'a [u32],
}

/// The best break before each end (`from[e]` starts the line ending at
/// `e`), considering only lines at most `slack` short of their measure
/// (the last line of a paragraph excepted), or `None` if the paragraph
/// cannot be broken so.
fn fit(
    cl: &[Cluster],
    t: &Tables,
    measure_first: f32,
    measure_rest: f32,
    slack: f32,
) -> Option<Vec<usize>> {
    let n = cl.len();
    let mut best = vec![f32::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    // The start of the lines that may follow the last forced break.
    let mut floor = 0;
    let try_line = |s: usize, e: usize, best: &mut [f32], from: &mut [usize], p: f32| {
        if !best[s].is_finite() {
            return true;
        }
        let last = e == n || t.forced[e];
        let measure = if s == 0 { measure_first } else { measure_rest };
        let Some(c) = line_cost(cl, s, t.vis[e], measure, t.prefix, t.gaps, last) else {
            return false;
        };
        let total = best[s] + c + p;
        if total < best[e] {
            best[e] = total;
            from[e] = s;
        }
        true
    };
    for e in 1..=n {
        let Some(p) = t.pen[e] else {
            continue;
        };
        let last = e == n || t.forced[e];
        let right = t.prefix[t.vis[e]];
        // Starts whose line is no wider than the measure plus a half
        // cell of shrink, and (unless last) no shorter than the measure
        // less the slack: prefix is non-decreasing, so a range.
        let widest = right - measure_rest - cl[0].size;
        let lo = t.prefix[..e].partition_point(|&x| x < widest).max(floor);
        let hi = if last {
            e
        } else {
            t.prefix[..e]
                .partition_point(|&x| x <= right - measure_rest + slack)
                .min(e)
        };
        for s in (lo.max(1)..hi).rev() {
            if !try_line(s, e, &mut best, &mut from, p) {
                break;
            }
        }
        // The first line has its own measure.
        if floor == 0 {
            let w = right;
            if last || w >= measure_first - slack {
                try_line(0, e, &mut best, &mut from, p);
            }
        }
        if t.forced[e] {
            floor = e;
        }
    }
    best[n].is_finite().then_some(from)
}

/// The cost of a line from `s` whose printing part ends before `ve`, or
/// `None` when it does not fit `measure` even squeezed.
#[allow(clippy::too_many_arguments)]
fn line_cost(
    cl: &[Cluster],
    s: usize,
    ve: usize,
    measure: f32,
    prefix: &[f32],
    gaps: &[u32],
    last: bool,
) -> Option<f32> {
    if ve <= s {
        // Nothing printed (spaces only).
        return Some(LINE);
    }
    let w = prefix[ve] - prefix[s];
    let end = &cl[ve - 1];
    let shrink = if end.wide
        && is_squeezable_punct(end.ch)
        && !no_line_end(end.ch)
        && end.width > 0.75 * end.size
    {
        end.width / 2.0
    } else {
        0.0
    };
    if w - shrink > measure + EPS {
        // A single cluster wider than the line still has to go somewhere.
        return (ve - s == 1).then_some(RIGID);
    }
    let mut cost = LINE;
    if last {
        // Not justified: only a lone last character costs.
        if s > 0 && lone(cl, s, ve) {
            cost += LONE_LAST;
        }
        return Some(cost);
    }
    if w > measure + EPS {
        // Squeezed at the end: a little worse than set solid.
        let r = (w - measure) / shrink;
        return Some(cost + r * r);
    }
    let g = gaps[ve] - gaps[s + 1].min(gaps[ve]);
    let extra = measure - w;
    if extra <= EPS {
        return Some(cost);
    }
    if g == 0 {
        return Some(cost + RIGID);
    }
    let em = extra / g as f32 / end.size;
    let r = em / STRETCH_LIMIT;
    cost += AT_LIMIT * r * r * r;
    if em > STRETCH_LIMIT + 1e-4 {
        cost += LOOSE;
    }
    Some(cost)
}
