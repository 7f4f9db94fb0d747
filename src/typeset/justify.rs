//! Punctuation compression and justification of one line (clreq basic
//! level): a line that is too long gives up half a cell at a closing mark
//! at its end and between adjacent marks; a line that is too short spreads
//! what is left over the gaps between characters.

use std::ops::Range;

use super::line::Cluster;
use crate::text::{is_squeezable_punct, no_line_end};

/// Tolerance when comparing widths with a measure (pt).
pub(super) const EPS: f32 = 0.01;

impl Cluster {
    fn closing(&self) -> bool {
        is_squeezable_punct(self.ch) && !no_line_end(self.ch)
    }

    /// Half of the cell, what a squeezable mark can give up.
    fn half(&self) -> f32 {
        self.width / 2.0
    }
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

/// The squeezes available on line `r`: a closing mark at its end that
/// still has its full cell gives up half of it. (Adjacent marks are
/// compressed once for all in `prepare`, the same way on every line.)
fn squeezes(cl: &[Cluster], r: &Range<usize>) -> Vec<Squeeze> {
    let mut out = Vec::new();
    let Some(last) = last_visible(cl, r) else {
        return out;
    };
    let c = &cl[last];
    if c.wide && c.closing() && c.width > 0.75 * c.size {
        out.push(Squeeze {
            idx: last,
            amount: c.half(),
            shift: false,
        });
    }
    out
}

/// Natural width of `r` (trailing spaces and breaks count zero).
pub(super) fn natural(cl: &[Cluster], r: &Range<usize>) -> f32 {
    let end = last_visible(cl, r).map_or(r.start, |i| i + 1);
    cl[r.start..end].iter().map(|c| c.width).sum()
}

pub(super) fn fits(cl: &[Cluster], r: &Range<usize>, measure: f32) -> bool {
    let w = natural(cl, r);
    if w <= measure + EPS {
        return true;
    }
    let s: f32 = squeezes(cl, r).iter().map(|s| s.amount).sum();
    w - s <= measure + EPS
}

/// A line set for printing: every cluster's advance and glyph offset (pt).
#[derive(Debug, Clone)]
pub struct SetLine {
    pub range: Range<usize>,
    pub advances: Vec<f32>,
    pub offsets: Vec<f32>,
    /// Sum of the advances of the printing clusters.
    pub width: f32,
    /// Space added to each gap to justify the line (pt).
    pub stretch: f32,
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
    let mut stretch = 0.0;
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
            stretch = each;
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
        stretch,
    }
}
