//! The end block (版记): footer lines between rules, the staff line with
//! （共印N份） flush right, set at the foot of the last page.

use super::flow::{FIT_EPS, PreparedLine, shifted_down};
use super::line;
use super::output::{
    BLACK, Element, EndBlock, LineInfo, LineKind, Page, Rect, mark_block, shift_element,
};
use super::prepare::Engine;
use crate::fonts::{Role, TextLoc};
use crate::model::Issue;

/// Least space between the flow and the end block, in lines; with less the
/// end block goes to a page of its own.
const END_BLOCK_GAP: f32 = 0.5;

impl Engine<'_> {
    /// The end block's lines, top to bottom, relative to its top, and its
    /// height. Rules: thick, (line, thin)*, staff, thick.
    pub(super) fn end_block(&mut self, issue: &Issue) -> (Vec<PreparedLine>, Vec<(f32, f32)>, f32) {
        let cfg = self.cfg;
        let size = cfg.footer_size;
        let cell = self.cell * size / cfg.body_size;
        let lh = self.mm(cfg.footer_line_height);
        let indent = cell * cfg.footer_indent;
        let thick = self.mm(cfg.footer_rule_thick);
        let thin = self.mm(cfg.footer_rule_thin);
        let cfg_loc = |s: &str| crate::fonts::config_loc(issue, s);
        let mut lines = Vec::new();
        let mut rules = vec![(0.0, thick)];
        let mut y = 0.0;
        let footer = &issue.footer;
        for fl in &footer.lines {
            let label = format!("{}：", fl.label);
            let mut p = self.para(
                vec![
                    Self::seg(Role::Footer, label.clone(), cfg_loc(&fl.label)),
                    Self::seg(Role::Footer, fl.text.clone(), cfg_loc(&fl.text)),
                ],
                size,
                cell,
                BLACK,
            );
            // 各县（市、区）: a bracketed group never breaks.
            line::glue_brackets(&mut p.clusters);
            let hang: f32 = p.clusters[..label.chars().count()]
                .iter()
                .map(|c| c.width)
                .sum();
            let mut boxes = Vec::new();
            // One character in from both sides (GB/T 9704), hanging after
            // the colon: wrapped lines align with the text.
            self.paragraph_boxes_inset(
                &p,
                LineKind::Footer,
                indent,
                indent,
                0.0,
                hang,
                lh,
                &mut boxes,
            );
            for b in boxes {
                b.content.into_lines(y, &mut lines);
                y += lh;
            }
            rules.push((y, thin));
        }
        // Staff line: 编辑：… 核稿：… 审核：…, （共印N份） flush right.
        let mut segs = Vec::new();
        let gap = "\u{3000}";
        if let Some(ed) = &footer.editor {
            segs.push(Self::seg(Role::Footer, "编辑：", TextLoc::Generated));
            segs.push(Self::seg(Role::Footer, ed.clone(), cfg_loc(ed)));
        }
        for s in &footer.signoffs {
            if !segs.is_empty() {
                segs.push(Self::seg(Role::Footer, gap, TextLoc::Generated));
            }
            segs.push(Self::seg(
                Role::Footer,
                format!("{}：", s.role),
                cfg_loc(&s.role),
            ));
            match &s.name {
                Some(n) => segs.push(Self::seg(Role::Footer, n.clone(), TextLoc::Generated)),
                // Blank until signed: room for a name written by hand.
                None => segs.push(Self::seg(
                    Role::Footer,
                    "\u{3000}\u{3000}\u{3000}",
                    TextLoc::Generated,
                )),
            }
        }
        // The staff line wraps if an office lists many roles; （共印N份）
        // goes flush right on its last line, or on a line of its own.
        let mut staff: Vec<PreparedLine> = Vec::new();
        if !segs.is_empty() {
            let p = self.para(segs, size, cell, BLACK);
            let mut boxes = Vec::new();
            self.paragraph_boxes(&p, LineKind::Staff, indent, 0.0, 0.0, lh, &mut boxes);
            for b in boxes {
                b.content.into_lines(0.0, &mut staff);
            }
        }
        if let Some(n) = footer.copies {
            let cp = self.para(
                vec![Self::seg(
                    Role::Footer,
                    format!("（共印{n}份）"),
                    TextLoc::Generated,
                )],
                size,
                cell,
                BLACK,
            );
            let cset = line::set_line(&cp.clusters, 0..cp.clusters.len(), self.width, false);
            let x = (self.width - indent - cset.width).max(0.0);
            let fits = staff
                .last()
                .is_some_and(|l| l.info.x + l.info.width + cell <= x);
            if !fits {
                let para = self.para_counter;
                self.para_counter += 1;
                staff.push(PreparedLine {
                    elements: Vec::new(),
                    info: LineInfo {
                        page: 0,
                        kind: LineKind::Staff,
                        text: String::new(),
                        x,
                        baseline: Self::baseline(lh, size),
                        width: 0.0,
                        measure: self.width - indent,
                        last: true,
                        para,
                        stretch: 0.0,
                        split: false,
                        cell: None,
                    },
                });
            }
            if let Some(last) = staff.last_mut() {
                let bl = Self::baseline(lh, size);
                last.elements.extend(self.line_elements(&cp, &cset, x, bl));
                last.info.text.push_str(&cp.text);
            }
        }
        for l in staff {
            lines.push(shifted_down(l, y));
            y += lh;
        }
        rules.push((y, thick));
        (lines, rules, y)
    }

    /// Set the end block at the foot of the last page, or of a new one when
    /// it does not fit under the flow, which ends `y` below the text
    /// block's top.
    /// The end block at the foot of the last page, or of a new one; with
    /// the height it needs below the flow (its gap included, 0 without an
    /// end block).
    pub(super) fn place_end_block(
        &mut self,
        issue: &Issue,
        tb: &Rect,
        y: f32,
        pages: &mut Vec<Page>,
        lines: &mut Vec<LineInfo>,
    ) -> (Option<EndBlock>, f32) {
        let (block_lines, rules, block_h) = self.end_block(issue);
        let mut end_block = None;
        let mut need = 0.0;
        if !block_lines.is_empty() || !issue.footer.lines.is_empty() {
            need = self.pitch * END_BLOCK_GAP + block_h;
            if y + self.pitch * END_BLOCK_GAP + block_h > tb.h + FIT_EPS {
                pages.push(Page::default());
            }
            let page = pages.len() - 1;
            let top = tb.bottom() - block_h;
            for mut l in block_lines {
                mark_block(&mut l.elements, &l.info, None, None);
                for el in l.elements {
                    let mut el = el;
                    shift_element(&mut el, tb.x, top);
                    pages[page].elements.push(el);
                }
                let mut info = l.info;
                info.page = page;
                info.x += tb.x;
                info.baseline += top;
                lines.push(info);
            }
            for (ry, w) in &rules {
                pages[page].elements.push(Element::Rule {
                    x0: tb.x,
                    x1: tb.right(),
                    y: top + ry,
                    width: *w,
                    color: BLACK,
                });
            }
            end_block = Some(EndBlock {
                page,
                top,
                last_rule: top + rules.last().map_or(block_h, |r| r.0),
            });
        }
        (end_block, need)
    }
}
