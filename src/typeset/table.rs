//! Tables: ruled, in the body face one size smaller than body text, the
//! columns fitted to the text block in proportion to their content, cells
//! broken with the body text's line breaker. Every row takes a whole
//! number of grid lines and never splits; the header row is set again at
//! the top of every page the table continues on.

use std::rc::Rc;

use super::flow::{FlowBox, FlowContent, PreparedLine};
use super::line::{self, Cluster};
use super::output::{BLACK, CellRef, Element, LineInfo, LineKind, Rect};
use super::prepare::{Engine, Para};
use crate::fonts::Role;
use crate::model::{Align, Block, Item, Table};

/// Stroke width of the rules (pt).
pub(super) const RULE_WIDTH: f32 = 0.5;

/// Space between a cell's text and its rules, in em of the table's type.
const PAD_X: f32 = 0.4;

/// Least space between a cell's text and the rules above and below, in em.
const PAD_Y: f32 = 0.2;

/// A cell at most this wide (in em of the table's type) is never broken,
/// where the table can afford it: a header such as 序号 or a number stays
/// on one line.
const SHORT_CELL: f32 = 4.0;

/// Line height inside a cell, in em of the table's type.
const CELL_LEADING: f32 = 1.45;

impl Engine<'_> {
    /// A table `left` in from the text block's left edge, as flow boxes:
    /// the header row, then one box per body row.
    pub(super) fn table(&mut self, t: &Table, item: &Item, left: f32, out: &mut Vec<FlowBox>) {
        let cols = t.columns();
        if cols == 0 {
            return;
        }
        let size = self.cfg.caption_size.min(self.cfg.body_size);
        let pad_x = PAD_X * size;
        let paras = |e: &mut Self, row: &[Block], role: Role| -> Vec<Para> {
            row.iter()
                .map(|c| {
                    let segs = Self::inline_segments(Table::cell(c), role, item);
                    e.para(segs, size, size, BLACK)
                })
                .collect()
        };
        let header = paras(self, &t.header, Role::Bold);
        let rows: Vec<Vec<Para>> = t.rows.iter().map(|r| paras(self, r, Role::Body)).collect();
        let widths = column_widths(
            std::iter::once(&header).chain(rows.iter()),
            cols,
            self.width - left,
            pad_x,
        );
        let table = self.para_counter;
        let at = |row| CellRef {
            table,
            row,
            col: 0,
            cols,
            header: row == 0,
        };
        let header_row = |e: &mut Self| e.row(&header, &widths, t, at(0), left, size);
        let first = header_row(self);
        let repeat = Rc::new((first.height, header_row(self).content));
        out.push(FlowBox {
            keep_with_next: true,
            ..first
        });
        for (i, r) in rows.iter().enumerate() {
            let b = self.row(r, &widths, t, at(i + 1), left, size);
            out.push(FlowBox {
                content: FlowContent::Continued {
                    row: Box::new(b.content),
                    header: repeat.clone(),
                },
                ..b
            });
        }
    }

    /// One row: its cells' lines, cell by cell, then its rules. The row
    /// takes a whole number of grid lines; each cell's text is centred in
    /// it vertically. `at` is the row's place in the table (its column
    /// is set per cell).
    fn row(
        &mut self,
        cells: &[Para],
        widths: &[f32],
        t: &Table,
        at: CellRef,
        left: f32,
        size: f32,
    ) -> FlowBox {
        let head = at.header;
        let pad_x = PAD_X * size;
        let lh = CELL_LEADING * size;
        let broken: Vec<Vec<std::ops::Range<usize>>> = cells
            .iter()
            .zip(widths)
            .map(|(p, w)| {
                if p.clusters.is_empty() {
                    Vec::new()
                } else {
                    super::fit::break_paragraph(&p.clusters, *w, *w)
                }
            })
            .collect();
        let most = broken.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let height = self.grid_height(most as f32 * lh + 2.0 * PAD_Y * size);
        let mut parts = Vec::new();
        let mut frames = Vec::new();
        let mut x = left;
        for (k, (p, lines)) in cells.iter().zip(&broken).enumerate() {
            let w = widths[k];
            let para = self.para_counter;
            self.para_counter += 1;
            let top = (height - lines.len() as f32 * lh) / 2.0;
            let n = lines.len();
            for (li, r) in lines.iter().enumerate() {
                let set = line::set_line(&p.clusters, r.clone(), w, false);
                let align = t.align.get(k).copied().unwrap_or_default();
                let dx = match (align, head) {
                    (Align::Center, _) | (Align::None, true) => (w - set.width).max(0.0) / 2.0,
                    (Align::Right, _) => (w - set.width).max(0.0),
                    _ => 0.0,
                };
                let lx = x + pad_x + dx;
                let bl = Self::baseline(lh, size);
                let elements = self.line_elements(p, &set, lx, bl);
                parts.push((
                    top + li as f32 * lh,
                    FlowContent::Line(PreparedLine {
                        elements,
                        info: LineInfo {
                            page: 0,
                            kind: LineKind::TableCell,
                            text: Self::line_text(p, r),
                            x: lx,
                            baseline: bl,
                            width: set.width,
                            measure: w,
                            last: li + 1 == n,
                            para,
                            stretch: 0.0,
                            split: false,
                            cell: Some(CellRef { col: k, ..at }),
                        },
                    }),
                ));
            }
            let cw = w + 2.0 * pad_x;
            frames.push(Element::Frame {
                rect: Rect {
                    x,
                    y: 0.0,
                    w: cw,
                    h: height,
                },
                width: RULE_WIDTH,
                color: BLACK,
            });
            x += cw;
        }
        parts.push((0.0, FlowContent::Elements(frames)));
        FlowBox {
            height,
            space_before: 0.0,
            keep_with_next: false,
            content: FlowContent::Group(parts),
        }
    }
}

/// Natural width of a cell's text on one line (its widest line when it
/// has breaks) and the widest piece that cannot be broken.
fn cell_widths(cl: &[Cluster]) -> (f32, f32) {
    let short = cl.first().map_or(0.0, |c| c.size * SHORT_CELL);
    let (mut nat, mut line_w, mut least, mut piece) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (i, c) in cl.iter().enumerate() {
        if c.is_newline() {
            nat = nat.max(line_w);
            least = least.max(piece);
            line_w = 0.0;
            piece = 0.0;
            continue;
        }
        line_w += c.width;
        piece += c.width;
        if cl.get(i + 1).is_some_and(|n| line::can_break(c, n)) {
            least = least.max(piece);
            piece = 0.0;
        }
    }
    let nat = nat.max(line_w);
    (nat, least.max(piece).max(nat.min(short)))
}

/// Text widths of the columns (without padding) filling `width`: each
/// column gets at least its widest unbreakable piece where that fits, and
/// the rest in proportion to how much more its content would like.
fn column_widths<'a>(
    rows: impl Iterator<Item = &'a Vec<Para>>,
    cols: usize,
    width: f32,
    pad_x: f32,
) -> Vec<f32> {
    let mut nat = vec![0.0f32; cols];
    let mut least = vec![0.0f32; cols];
    for row in rows {
        for (k, p) in row.iter().enumerate().take(cols) {
            let (n, l) = cell_widths(&p.clusters);
            nat[k] = nat[k].max(n);
            least[k] = least[k].max(l);
        }
    }
    let avail = (width - 2.0 * pad_x * cols as f32).max(cols as f32);
    // An empty column still gets a little room.
    for k in 0..cols {
        nat[k] = nat[k].max(2.0 * pad_x);
        least[k] = least[k].min(nat[k]).max(pad_x);
    }
    let sum_nat: f32 = nat.iter().sum();
    let sum_least: f32 = least.iter().sum();
    if sum_nat <= avail {
        return nat.iter().map(|n| n * avail / sum_nat).collect();
    }
    if sum_least >= avail {
        return least.iter().map(|l| l * avail / sum_least).collect();
    }
    let want = sum_nat - sum_least;
    nat.iter()
        .zip(&least)
        .map(|(n, l)| l + (avail - sum_least) * (n - l) / want)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(s: &str) -> Para {
        Para {
            text: s.to_string(),
            clusters: line::test_clusters(s, Role::Body),
        }
    }

    #[test]
    fn columns_fill_the_width_in_proportion() {
        let rows = [
            vec![para("项目"), para("数量")],
            vec![para("养老机构"), para("12")],
        ];
        let w = column_widths(rows.iter(), 2, 400.0, 5.0);
        assert!((w.iter().sum::<f32>() - 380.0).abs() < 0.01, "{w:?}");
        assert!(w[0] > w[1], "{w:?}");
    }

    #[test]
    fn long_text_wraps_but_short_columns_keep_their_words() {
        let long = "全市共排查各类养老服务机构安全隐患并逐项建立台账限期整改到位".repeat(3);
        let rows = [vec![para("序号"), para(&long), para("2025年")]];
        let w = column_widths(rows.iter(), 3, 400.0, 5.0);
        let (_, least_year) = cell_widths(&para("2025年").clusters);
        assert!(w[2] + 0.01 >= least_year, "{w:?}");
        assert!(w[1] > w[0] && w[1] > w[2], "{w:?}");
        assert!((w.iter().sum::<f32>() - 370.0).abs() < 0.01, "{w:?}");
    }
}
