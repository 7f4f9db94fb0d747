//! The vertical flow: the issue as a list of boxes (lines and images) with
//! keep rules, paginated into pages with page numbers, the draft mark and
//! the end block ([`super::endblock`]) at the foot of the last page.

use std::path::PathBuf;

use super::finalize::ASCENT;
use super::output::{
    BLACK, Document, Element, LineInfo, LineKind, MARK_RED, Page, Rect, mark_block, shift_element,
};
use super::prepare::Engine;
use super::{PT_PER_MM, PageNumbers, line};
use crate::fonts::{Role, TextLoc};
use crate::model::Issue;

/// Tolerance when checking that a box fits the text block (pt).
pub(super) const FIT_EPS: f32 = 0.01;

/// Space above a section heading that does not open the page, in lines
/// (whole lines: the heading stays on the grid).
const SECTION_SPACE_BEFORE: f32 = 1.0;

/// Padding between the draft mark's text and its frame, in em.
const DRAFT_PAD: f32 = 0.35;

/// Height of the draft mark's frame top above the text block, in em.
const DRAFT_RAISE: f32 = 2.6;

/// Stroke width of the draft mark's frame (pt).
const DRAFT_FRAME_WIDTH: f32 = 1.2;

/// At most this many lines of text alone on the last page are worth a
/// page-fit warning (W084): a few lines cut earlier save the sheet.
const FEW_LAST_LINES: usize = 5;

/// Vertical content: a line or an image, with keep rules.
pub(super) struct FlowBox {
    pub(super) height: f32,
    /// Space above, dropped at a page top.
    pub(super) space_before: f32,
    /// Never break the page after this box.
    pub(super) keep_with_next: bool,
    pub(super) content: FlowContent,
}

pub(super) enum FlowContent {
    Line(PreparedLine),
    Image {
        path: PathBuf,
        w: f32,
        h: f32,
        at: Option<crate::diag::Location>,
        alt: String,
    },
    /// Several pieces set as one box (a title with its （节选）, the
    /// masthead, an image with its caption), each at its offset from the
    /// box's top: the box takes a whole number of grid lines and never
    /// splits across pages.
    Group(Vec<(f32, FlowContent)>),
    /// Drawn elements (a table's rules), relative to the text block's
    /// left and the top of the box they are in.
    Elements(Vec<Element>),
    /// A table row after the header: when it opens a page, the header
    /// row (its height and content) is set above it.
    Continued {
        row: Box<FlowContent>,
        header: std::rc::Rc<(f32, FlowContent)>,
    },
}

impl FlowContent {
    /// The printed lines in the content, top to bottom.
    fn line_count(&self) -> usize {
        match self {
            FlowContent::Line(_) => 1,
            FlowContent::Image { .. } | FlowContent::Elements(_) => 0,
            FlowContent::Group(parts) => parts.iter().map(|(_, c)| c.line_count()).sum(),
            FlowContent::Continued { row, .. } => row.line_count(),
        }
    }

    /// Mark the text runs of the content's lines as in `section` and
    /// `item` (for the tagged PDF).
    fn mark(&mut self, section: Option<usize>, item: Option<usize>) {
        match self {
            FlowContent::Line(l) => mark_block(&mut l.elements, &l.info, section, item),
            FlowContent::Image { .. } | FlowContent::Elements(_) => {}
            FlowContent::Group(parts) => {
                for (_, c) in parts {
                    c.mark(section, item);
                }
            }
            // A header row set again at a page top stays unmarked: a
            // repeated header is pagination, read once where it first is.
            FlowContent::Continued { row, .. } => row.mark(section, item),
        }
    }

    /// The lines of the content, each moved down by its offset.
    pub(super) fn into_lines(self, y: f32, out: &mut Vec<PreparedLine>) {
        match self {
            FlowContent::Line(l) => out.push(shifted_down(l, y)),
            FlowContent::Image { .. } | FlowContent::Elements(_) => {}
            FlowContent::Group(parts) => {
                for (dy, c) in parts {
                    c.into_lines(y + dy, out);
                }
            }
            FlowContent::Continued { row, .. } => row.into_lines(y, out),
        }
    }
}

/// A line with its elements relative to (text-block left, line-box top).
pub(super) struct PreparedLine {
    pub(super) elements: Vec<Element>,
    pub(super) info: LineInfo,
}

impl Engine<'_> {
    /// The whole issue as a vertical flow (masthead first).
    pub(super) fn flow(&mut self, issue: &Issue) -> Vec<FlowBox> {
        let mut out = Vec::new();
        let cfg = self.cfg;
        let cfg_loc = |s: &str| crate::fonts::config_loc(issue, s);

        let mut masthead = Vec::new();
        self.masthead(issue, &cfg_loc, &mut masthead);
        // The masthead takes whole grid lines; the spare space goes under
        // its red rule.
        out.push(self.grid_group(masthead, 0.0));
        let masthead_end = out.len();
        for b in &mut out {
            b.content.mark(None, None);
        }

        let body = cfg.body_size;
        for (si, section) in issue.sections.iter().enumerate() {
            if section.items.is_empty() {
                continue;
            }
            if let Some(h) = &section.heading {
                let size = cfg.section_heading_size;
                let p = self.para(
                    vec![Self::seg(Role::Heading1, h.clone(), cfg_loc(h))],
                    size,
                    self.cell * size / body,
                    BLACK,
                );
                let start = out.len();
                self.paragraph_boxes(
                    &p,
                    LineKind::SectionHeading,
                    0.0,
                    0.0,
                    0.0,
                    self.pitch,
                    &mut out,
                );
                if out.len() > masthead_end && start < out.len() {
                    out[start].space_before = self.pitch * SECTION_SPACE_BEFORE;
                }
                for b in &mut out[start..] {
                    b.keep_with_next = true;
                    b.content.mark(Some(si), None);
                }
            }
            for (ii, item) in section.items.iter().enumerate() {
                let start = out.len();
                self.item(item, section.style, &mut out);
                for b in &mut out[start..] {
                    b.content.mark(Some(si), Some(ii));
                }
            }
        }
        keep_headings_with_two_lines(&mut out);
        out
    }

    pub(super) fn paginate(&mut self, issue: &Issue, flow: Vec<FlowBox>) -> Document {
        let cfg = self.cfg;
        let tb = Rect {
            x: self.mm(cfg.margin_left),
            y: self.mm(cfg.margin_top),
            w: self.width,
            h: cfg.text_height_mm() * PT_PER_MM,
        };
        let mut pages: Vec<Page> = vec![Page::default()];
        let mut lines: Vec<LineInfo> = Vec::new();
        let mut y = 0.0f32;
        let mut i = 0;
        let mut page_start = 0usize;
        // Where each box starts on its page (before its space), and where
        // the page before the last one ends: for the page-fit warning.
        let mut y_at = vec![0.0f32; flow.len()];
        let mut prev_page_end: Option<f32> = None;
        while i < flow.len() {
            let b = &flow[i];
            let space = if y > 0.0 { b.space_before } else { 0.0 };
            if y > 0.0 && y + space + b.height > tb.h + FIT_EPS {
                // Page break before box i — move back over kept boxes.
                let mut bp = i;
                while bp > page_start && flow[bp - 1].keep_with_next {
                    bp -= 1;
                }
                // A kept run that fills the whole page (a title longer
                // than a page) breaks where it must: moving it would only
                // leave one line per page.
                if bp == page_start {
                    bp = i;
                }
                prev_page_end = Some(if bp > page_start && bp < i {
                    y_at[bp]
                } else {
                    y
                });
                if bp > page_start && bp < i {
                    // Take the boxes bp..i back off this page.
                    let page = pages.len() - 1;
                    let removed: usize = flow[bp..i].iter().map(|b| b.content.line_count()).sum();
                    lines.truncate(lines.len() - removed);
                    let n_el: usize = flow[bp..i].iter().map(element_count).sum();
                    let len = pages[page].elements.len();
                    pages[page].elements.truncate(len - n_el);
                    i = bp;
                }
                pages.push(Page::default());
                page_start = i;
                y = 0.0;
                continue;
            }
            y_at[i] = y;
            y += space;
            let page = pages.len() - 1;
            if y == 0.0
                && let FlowContent::Continued { header, .. } = &b.content
            {
                // A table continued from the page before: its header again.
                place(&header.1, &tb, tb.y, page, &mut pages[page], &mut lines);
                y += header.0;
            }
            place(
                &b.content,
                &tb,
                tb.y + y,
                page,
                &mut pages[page],
                &mut lines,
            );
            y += b.height;
            i += 1;
        }

        // End block at the foot of the last page, or of a new one.
        let content_pages = pages.len();
        let last_lines = lines.iter().filter(|l| l.page == content_pages - 1).count();
        let (end_block, need) = self.place_end_block(issue, &tb, y, &mut pages, &mut lines);
        let fit = if pages.len() > content_pages {
            // The end block alone on a page: the flow must end `need`
            // above the foot of the last content page.
            Some((0, y + need - tb.h, content_pages))
        } else {
            prev_page_end
                .filter(|_| content_pages > 1 && last_lines <= FEW_LAST_LINES)
                .map(|prev| (last_lines, y + need - (tb.h - prev), content_pages - 1))
        };
        if let Some((n, over, keep)) = fit {
            self.warnings
                .push(page_fit_note(n, need > 0.0, over, self.pitch, keep));
        }

        // Page numbers and the draft mark.
        let total = pages.len();
        for (pi, page) in pages.iter_mut().enumerate() {
            let (els, info) = self.page_number(pi, total, &tb);
            page.elements.extend(els);
            lines.push(info);
        }
        if issue.footer.draft {
            // First on the page, so that text extraction reads it first.
            let (els, info) = self.draft_mark(&tb, issue.footer.review_code.as_deref());
            pages[0].elements.splice(0..0, els);
            lines.push(info);
        }

        Document {
            page_width: self.mm(cfg.page_width),
            page_height: self.mm(cfg.page_height),
            text_block: tb,
            pages,
            lines,
            end_block,
            warnings: std::mem::take(&mut self.warnings),
            fallbacks: std::mem::take(&mut self.fallbacks),
        }
    }

    pub(super) fn page_number(
        &mut self,
        pi: usize,
        _total: usize,
        tb: &Rect,
    ) -> (Vec<Element>, LineInfo) {
        let cfg = self.cfg;
        let size = cfg.page_number_size;
        let n = pi + 1;
        let p = self.para(
            vec![Self::seg(
                Role::PageNumber,
                format!("— {n} —"),
                TextLoc::Generated,
            )],
            size,
            size,
            BLACK,
        );
        let set = line::set_line(&p.clusters, 0..p.clusters.len(), tb.w, false);
        let cell = size;
        let x = match cfg.page_numbers {
            PageNumbers::Center => tb.x + (tb.w - set.width) / 2.0,
            PageNumbers::Alternate if n % 2 == 1 => tb.right() - cell - set.width,
            PageNumbers::Alternate => tb.x + cell,
        };
        let top = tb.bottom() + self.mm(cfg.page_number_offset);
        let bl = top + ASCENT * size;
        let els = self.line_elements(&p, &set, x, bl);
        let info = LineInfo {
            page: pi,
            kind: LineKind::PageNumber,
            text: p.text.clone(),
            x,
            baseline: bl,
            width: set.width,
            measure: tb.w,
            last: true,
            para: usize::MAX,
            stretch: 0.0,
            split: false,
            cell: None,
        };
        (els, info)
    }

    /// The red 送审稿 frame at the top right of page 1, with the draft's
    /// review code (审核码) when it has one.
    pub(super) fn draft_mark(&mut self, tb: &Rect, code: Option<&str>) -> (Vec<Element>, LineInfo) {
        let size = self.cfg.draft_size;
        let red = MARK_RED;
        let mut segs = vec![Self::seg(Role::Bold, "送审稿", TextLoc::Generated)];
        if let Some(code) = code {
            segs.push(Self::seg(
                Role::Body,
                format!(" 审核码 {code}"),
                TextLoc::Generated,
            ));
        }
        let p = self.para(segs, size, size, red);
        let set = line::set_line(&p.clusters, 0..p.clusters.len(), tb.w, false);
        let pad = size * DRAFT_PAD;
        let frame = Rect {
            x: tb.right() - set.width - 2.0 * pad,
            y: tb.y - size * DRAFT_RAISE,
            w: set.width + 2.0 * pad,
            h: size + 2.0 * pad,
        };
        let bl = frame.y + pad + ASCENT * size;
        let mut els = self.line_elements(&p, &set, frame.x + pad, bl);
        els.push(Element::Frame {
            rect: frame,
            width: DRAFT_FRAME_WIDTH,
            color: red,
        });
        let info = LineInfo {
            page: 0,
            kind: LineKind::Draft,
            text: p.text.clone(),
            x: frame.x + pad,
            baseline: bl,
            width: set.width,
            measure: tb.w,
            last: true,
            para: usize::MAX,
            stretch: 0.0,
            split: false,
            cell: None,
        };
        (els, info)
    }
}

/// A heading, section heading or title keeps with two lines of its text:
/// the line after it keeps with the next one too.
fn keep_headings_with_two_lines(flow: &mut [FlowBox]) {
    fn heading(c: &FlowContent) -> bool {
        match c {
            FlowContent::Line(l) => {
                matches!(l.info.kind, LineKind::Heading | LineKind::SectionHeading)
            }
            FlowContent::Image { .. }
            | FlowContent::Elements(_)
            | FlowContent::Continued { .. } => false,
            FlowContent::Group(parts) => parts
                .iter()
                .any(|(_, c)| matches!(c, FlowContent::Line(l) if l.info.kind == LineKind::Title)),
        }
    }
    for i in 1..flow.len() {
        if heading(&flow[i - 1].content)
            && !heading(&flow[i].content)
            && matches!(flow[i].content, FlowContent::Line(_))
        {
            flow[i].keep_with_next = true;
        }
    }
}

pub(super) fn element_count(b: &FlowBox) -> usize {
    fn count(c: &FlowContent) -> usize {
        match c {
            FlowContent::Line(l) => l.elements.len(),
            FlowContent::Image { .. } => 1,
            FlowContent::Group(parts) => parts.iter().map(|(_, c)| count(c)).sum(),
            FlowContent::Elements(els) => els.len(),
            FlowContent::Continued { row, .. } => count(row),
        }
    }
    count(&b.content)
}

/// Put `content` on `page` (number `pi`) with its top `dy` below the page
/// top, recording its lines.
fn place(
    content: &FlowContent,
    tb: &Rect,
    dy: f32,
    pi: usize,
    page: &mut Page,
    lines: &mut Vec<LineInfo>,
) {
    match content {
        FlowContent::Line(l) => {
            for el in &l.elements {
                let mut el = el.clone();
                shift_element(&mut el, tb.x, dy);
                page.elements.push(el);
            }
            let mut info = l.info.clone();
            info.page = pi;
            info.x += tb.x;
            info.baseline += dy;
            lines.push(info);
        }
        FlowContent::Image {
            path,
            w,
            h,
            at,
            alt,
        } => {
            page.elements.push(Element::Image {
                path: path.clone(),
                at: at.clone(),
                alt: alt.clone(),
                rect: Rect {
                    x: tb.x + (tb.w - w) / 2.0,
                    y: dy,
                    w: *w,
                    h: *h,
                },
            });
        }
        FlowContent::Group(parts) => {
            for (off, c) in parts {
                place(c, tb, dy + off, pi, page, lines);
            }
        }
        FlowContent::Elements(els) => {
            for el in els {
                let mut el = el.clone();
                shift_element(&mut el, tb.x, dy);
                page.elements.push(el);
            }
        }
        FlowContent::Continued { row, .. } => place(row, tb, dy, pi, page, lines),
    }
}

impl Engine<'_> {
    /// `parts` set as one box that takes a whole number of grid lines:
    /// the spare space goes `above` (a fraction) over the parts and the
    /// rest under them. The first part's space before, rounded to whole
    /// lines, is the box's; the last part's keep is the box's.
    pub(super) fn grid_group(&self, parts: Vec<FlowBox>, above: f32) -> FlowBox {
        let pitch = self.pitch;
        let space_before = parts
            .first()
            .map_or(0.0, |b| (b.space_before / pitch).round() * pitch);
        let keep_with_next = parts.last().is_some_and(|b| b.keep_with_next);
        let mut y = 0.0;
        let mut content = Vec::with_capacity(parts.len());
        for (i, b) in parts.into_iter().enumerate() {
            if i > 0 {
                y += b.space_before;
            }
            content.push((y, b.content));
            y += b.height;
        }
        let height = self.grid_height(y);
        let shift = (height - y) * above;
        for (off, _) in &mut content {
            *off += shift;
        }
        FlowBox {
            height,
            space_before,
            keep_with_next,
            content: FlowContent::Group(content),
        }
    }

    /// `h` rounded up to whole grid lines (at least one).
    pub(super) fn grid_height(&self, h: f32) -> f32 {
        let lines = (h / self.pitch - 1e-3).ceil().max(1.0);
        lines * self.pitch
    }
}

/// A prepared line moved down by `y`, elements and recorded baseline alike.
pub(super) fn shifted_down(mut l: PreparedLine, y: f32) -> PreparedLine {
    for el in &mut l.elements {
        shift_element(el, 0.0, y);
    }
    l.info.baseline += y;
    l
}

/// W084: the last page holds only the end block (`lines` 0) or a few
/// lines (with the end block when `end_block`); `over` is how far the last
/// page's content overruns the room left on the page before, `keep` the
/// number of pages the issue could have.
fn page_fit_note(
    lines: usize,
    end_block: bool,
    over: f32,
    pitch: f32,
    keep: usize,
) -> crate::diag::Diagnostic {
    let cut = ((over - FIT_EPS) / pitch).ceil().max(1.0) as usize;
    let what = match (lines, end_block) {
        (0, _) => "版记单独占了最后一页".to_string(),
        (n, true) => format!("最后一页只有 {n} 行正文和版记"),
        (n, false) => format!("最后一页只有 {n} 行正文"),
    };
    crate::diag::Diagnostic::warning(
        "W084",
        format!(
            "{what}（共 {} 页）：前面至少删去 {cut} 行，就能排成 {keep} 页，省下一页",
            keep + 1
        ),
    )
    .with_hint(format!(
        "删减或压缩前面稿件的文字（约 {cut} 行），或把一篇稿件移到下一期；改后重新 bulletin build 看是否已省下"
    ))
}
