//! Finalization: paragraphs broken into lines ([`super::line`]) and set
//! ([`super::justify`]) become flow boxes of positioned text runs, missing
//! glyph frames and link areas.

use std::ops::Range;

use super::flow::{FlowBox, FlowContent, PreparedLine};
use super::line::{self, SetLine};
use super::output::{Element, LineInfo, LineKind, MARK_RED, PlacedGlyph, Rect, TextRun};
use super::prepare::{Engine, Para};

/// Height of the ascent above the baseline, in em: where the baseline sits
/// in a line box, and the top of a link's area.
pub(super) const ASCENT: f32 = 0.88;

/// Side of the placeholder square for a missing glyph, in em; its top sits
/// that far above the baseline.
const PLACEHOLDER_SIDE: f32 = 0.8;

/// Stroke width of the missing-glyph placeholder (pt).
const PLACEHOLDER_STROKE: f32 = 0.8;

impl Engine<'_> {
    /// Elements of set line `set` of `p`, starting at x (relative).
    pub(super) fn line_elements(
        &self,
        p: &Para,
        set: &SetLine,
        x0: f32,
        baseline: f32,
    ) -> Vec<Element> {
        let mut out = Vec::new();
        let mut x = x0;
        let mut run: Option<TextRun> = None;
        let mut run_start = 0usize;
        // The link being collected: (url, left x, right x, size).
        let mut link: Option<(std::sync::Arc<str>, f32, f32, f32)> = None;
        let mut links = Vec::new();
        for (k, i) in set.range.clone().enumerate() {
            let c = &p.clusters[i];
            let adv = set.advances[k];
            let off = set.offsets[k];
            if c.is_newline() {
                continue;
            }
            match (&mut link, &c.link) {
                (Some((url, _, right, size)), Some(u)) if url == u => {
                    *right = x + adv;
                    *size = size.max(c.size);
                }
                (_, here) => {
                    if let Some(l) = link.take() {
                        links.push(l);
                    }
                    link = here.as_ref().map(|u| (u.clone(), x, x + adv, c.size));
                }
            }
            match c.glyph {
                Some(g) => {
                    let same = run.as_ref().is_some_and(|r| {
                        r.font == g.font && r.size == c.size && r.color == c.color
                    });
                    if !same {
                        if let Some(r) = run.take() {
                            out.push(Element::Text(r));
                        }
                        run_start = c.range.start;
                        run = Some(TextRun {
                            font: g.font,
                            size: c.size,
                            color: c.color,
                            x,
                            y: baseline,
                            text: String::new(),
                            glyphs: Vec::new(),
                            block: None,
                        });
                    }
                    if let Some(r) = run.as_mut() {
                        let text = &p.text[run_start..c.range.end];
                        r.text = text.to_string();
                        r.glyphs.push(PlacedGlyph {
                            id: g.id,
                            range: c.range.start - run_start..c.range.end - run_start,
                            advance: adv,
                            offset: off,
                        });
                    }
                }
                None => {
                    if let Some(r) = run.take() {
                        out.push(Element::Text(r));
                    }
                    if !c.is_space() {
                        let s = c.size * PLACEHOLDER_SIDE;
                        out.push(Element::Frame {
                            rect: Rect {
                                x: x + (adv - s) / 2.0,
                                y: baseline - c.size * PLACEHOLDER_SIDE,
                                w: s,
                                h: s,
                            },
                            width: PLACEHOLDER_STROKE,
                            color: MARK_RED,
                        });
                    }
                }
            }
            x += adv;
        }
        if let Some(r) = run.take() {
            out.push(Element::Text(r));
        }
        links.extend(link);
        for (url, left, right, size) in links {
            out.push(Element::Link {
                rect: Rect {
                    x: left,
                    y: baseline - ASCENT * size,
                    w: right - left,
                    h: size,
                },
                url,
            });
        }
        out
    }

    pub(super) fn line_text(p: &Para, r: &Range<usize>) -> String {
        p.clusters[r.clone()]
            .iter()
            .filter(|c| !c.is_newline())
            .map(|c| c.ch)
            .collect()
    }

    /// Baseline inside a line box of `height` for type of `size`.
    pub(super) fn baseline(height: f32, size: f32) -> f32 {
        (height - size) / 2.0 + ASCENT * size
    }

    /// The flow box of line `r` of `p`, set as `set` at `x`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn line_box(
        &self,
        p: &Para,
        r: &Range<usize>,
        set: &SetLine,
        x: f32,
        measure: f32,
        line_height: f32,
        kind: LineKind,
        last: bool,
        para: usize,
        keep_with_next: bool,
    ) -> FlowBox {
        let size = p
            .clusters
            .get(r.start)
            .map_or(self.cfg.body_size, |c| c.size);
        let bl = Self::baseline(line_height, size);
        let elements = self.line_elements(p, set, x, bl);
        FlowBox {
            height: line_height,
            space_before: 0.0,
            keep_with_next,
            content: FlowContent::Line(PreparedLine {
                elements,
                info: LineInfo {
                    page: 0,
                    kind,
                    text: Self::line_text(p, r),
                    x,
                    baseline: bl,
                    width: set.width,
                    measure,
                    last,
                    para,
                    stretch: set.stretch / size,
                    split: false,
                    cell: None,
                },
            }),
        }
    }

    /// A justified paragraph: `indent` on the first line, `left` on all.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paragraph_boxes(
        &mut self,
        p: &Para,
        kind: LineKind,
        left: f32,
        first_indent: f32,
        hang: f32,
        line_height: f32,
        out: &mut Vec<FlowBox>,
    ) {
        self.paragraph_boxes_inset(p, kind, left, 0.0, first_indent, hang, line_height, out);
    }

    /// A justified paragraph `left` and `right` in from the text block's
    /// sides: `indent` on the first line, `hang` on the others.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paragraph_boxes_inset(
        &mut self,
        p: &Para,
        kind: LineKind,
        left: f32,
        right: f32,
        first_indent: f32,
        hang: f32,
        line_height: f32,
        out: &mut Vec<FlowBox>,
    ) {
        let para = self.para_counter;
        self.para_counter += 1;
        let measure = self.width - left - right;
        let first = measure - first_indent;
        let rest = measure - hang;
        let lines = super::fit::break_paragraph(&p.clusters, first, rest);
        let n = lines.len();
        let start = out.len();
        for (li, r) in lines.into_iter().enumerate() {
            let forced = r.end > r.start && p.clusters[r.end - 1].is_newline();
            let last = li + 1 == n || forced;
            let (x, m) = if li == 0 {
                (left + first_indent, first)
            } else {
                (left + hang, rest)
            };
            let set = line::set_line(&p.clusters, r.clone(), m, !last);
            let mut b = self.line_box(p, &r, &set, x, m, line_height, kind, last, para, false);
            if let FlowContent::Line(l) = &mut b.content {
                l.info.split = line::splits_group(&p.clusters, r.end);
            }
            out.push(b);
        }
        // Never leave a paragraph's first line alone at a page foot, nor
        // its last line alone at a page top.
        if n >= 2 {
            out[start].keep_with_next = true;
            out[start + n - 2].keep_with_next = true;
        }
    }

    /// Centred lines (titles, headings, masthead).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn centred_boxes(
        &mut self,
        p: &Para,
        kind: LineKind,
        line_height: f32,
        balanced: bool,
        keep: bool,
        out: &mut Vec<FlowBox>,
    ) {
        let para = self.para_counter;
        self.para_counter += 1;
        let lines = if balanced {
            {
                // One character of the title's size in from both sides.
                let inset = p.clusters.first().map_or(0.0, |c| c.size);
                super::title::break_title(&p.clusters, self.width, inset)
            }
        } else {
            line::break_lines(&p.clusters, self.width, self.width)
        };
        for r in lines {
            let set = line::set_line(&p.clusters, r.clone(), self.width, false);
            let x = ((self.width - set.width) / 2.0).max(0.0);
            out.push(self.line_box(
                p,
                &r,
                &set,
                x,
                self.width,
                line_height,
                kind,
                true,
                para,
                keep,
            ));
        }
    }
}
