//! The typesetter: an issue → a [`Document`] of pages of positioned glyphs,
//! rules and images, plus a line list tests can inspect. Knows nothing of
//! PDF; `render::pdf` writes the document.
//!
//! Stages: text → clusters (one per character, glyph and width resolved
//! through the [`FontSet`]) → lines ([`mod@line`]) → a vertical flow of boxes
//! with keep rules → pages, with the end block at the foot of the last page.

pub mod config;
pub mod line;
pub mod sample;

use std::ops::Range;
use std::path::PathBuf;

pub use config::{LayoutConfig, PT_PER_MM, PageNumbers};
use line::{Cluster, SetLine};

use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts::{FontId, FontSet, Role, TextLoc};
use crate::model::{Block, Inline, Issue, Item, SectionStyle};
use crate::text::is_wide;

const BLACK: [u8; 3] = [0, 0, 0];

/// A rectangle in points, y down from the page top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
}

/// One glyph of a [`TextRun`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub id: u32,
    /// Bytes of the run's text this glyph stands for.
    pub range: Range<usize>,
    /// Distance to the next glyph (pt).
    pub advance: f32,
    /// Horizontal offset of the drawn glyph (pt).
    pub offset: f32,
}

/// Glyphs of one face, size and colour on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub font: FontId,
    pub size: f32,
    pub color: [u8; 3],
    /// Pen position of the first glyph and the baseline (pt).
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub glyphs: Vec<PlacedGlyph>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Text(TextRun),
    /// A horizontal rule centred on `y`.
    Rule {
        x0: f32,
        x1: f32,
        y: f32,
        width: f32,
        color: [u8; 3],
    },
    /// A stroked rectangle (draft mark, missing-glyph placeholder).
    Frame {
        rect: Rect,
        width: f32,
        color: [u8; 3],
    },
    Image {
        path: PathBuf,
        rect: Rect,
        /// Where the submission refers to the image (for errors).
        at: Option<crate::diag::Location>,
    },
    /// A clickable area opening `url`.
    Link {
        rect: Rect,
        url: std::sync::Arc<str>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Masthead,
    Number,
    Info,
    SectionHeading,
    Title,
    Excerpt,
    Body,
    Heading,
    Caption,
    Footer,
    Staff,
    PageNumber,
    Draft,
}

/// One printed line, for inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInfo {
    pub page: usize,
    pub kind: LineKind,
    pub text: String,
    /// Left edge and baseline (pt).
    pub x: f32,
    pub baseline: f32,
    /// Sum of the advances (pt).
    pub width: f32,
    /// The width the line was set to (pt).
    pub measure: f32,
    /// Last line of its paragraph (or a forced break): not justified.
    pub last: bool,
    /// Index of the paragraph the line belongs to.
    pub para: usize,
}

/// Where the end block landed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EndBlock {
    pub page: usize,
    pub top: f32,
    /// y of the last (outer) rule.
    pub last_rule: f32,
}

/// A typeset issue.
#[derive(Debug, Clone)]
pub struct Document {
    pub page_width: f32,
    pub page_height: f32,
    pub text_block: Rect,
    pub pages: Vec<Page>,
    pub lines: Vec<LineInfo>,
    pub end_block: Option<EndBlock>,
    /// Missing glyphs drawn as placeholders (with --allow-missing-glyphs).
    pub warnings: Diagnostics,
}

/// Options that are not part of the workspace's configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypesetOptions {
    /// Draw a placeholder for a character no font has (and warn) instead
    /// of failing.
    pub allow_missing_glyphs: bool,
}

/// A piece of text of one role and size, with its origin.
struct Segment {
    role: Role,
    text: String,
    loc: TextLoc,
    link: Option<std::sync::Arc<str>>,
}

/// A paragraph's text and clusters.
struct Para {
    text: String,
    clusters: Vec<Cluster>,
}

/// Vertical content: a line or an image, with keep rules.
struct FlowBox {
    height: f32,
    /// Space above, dropped at a page top.
    space_before: f32,
    /// Never break the page after this box.
    keep_with_next: bool,
    content: FlowContent,
}

enum FlowContent {
    Line(PreparedLine),
    Image {
        path: PathBuf,
        w: f32,
        h: f32,
        at: Option<crate::diag::Location>,
    },
}

/// A line with its elements relative to (text-block left, line-box top).
struct PreparedLine {
    elements: Vec<Element>,
    info: LineInfo,
}

/// The typesetter's state for one issue.
struct Engine<'a> {
    cfg: &'a LayoutConfig,
    fonts: &'a mut FontSet,
    opts: TypesetOptions,
    errors: Diagnostics,
    warnings: Diagnostics,
    width: f32,
    pitch: f32,
    cell: f32,
    para_counter: usize,
}

/// Typeset `issue`. Fails if a character has no glyph (unless allowed) or
/// an image cannot be read.
pub fn typeset(
    issue: &Issue,
    fonts: &mut FontSet,
    cfg: &LayoutConfig,
    opts: TypesetOptions,
) -> Result<Document, Diagnostics> {
    let mut e = Engine {
        cfg,
        fonts,
        opts,
        errors: Diagnostics::default(),
        warnings: Diagnostics::default(),
        width: cfg.text_width_mm() * PT_PER_MM,
        pitch: cfg.line_pitch(),
        cell: cfg.char_pitch(),
        para_counter: 0,
    };
    let flow = e.flow(issue);
    let doc = e.paginate(issue, flow);
    if e.errors.has_errors() {
        return Err(e.errors);
    }
    Ok(doc)
}

impl Engine<'_> {
    fn mm(&self, v: f32) -> f32 {
        v * PT_PER_MM
    }

    /// Clusters of `segments` at `size`; wide characters take `cell` (the
    /// grid pitch for body text), others their proportional advance.
    fn para(&mut self, segments: Vec<Segment>, size: f32, cell: f32, color: [u8; 3]) -> Para {
        let mut text = String::new();
        let mut clusters = Vec::new();
        for seg in segments {
            let base = text.len();
            text.push_str(&seg.text);
            for (i, ch) in seg.text.char_indices() {
                let range = base + i..base + i + ch.len_utf8();
                if ch == '\n' {
                    clusters.push(Cluster {
                        ch,
                        range,
                        glyph: None,
                        role: seg.role,
                        size,
                        color,
                        width: 0.0,
                        offset: 0.0,
                        wide: false,
                        link: None,
                    });
                    continue;
                }
                let ch_for_glyph = if ch == '\t' { ' ' } else { ch };
                let glyph = self.fonts.resolve(seg.role, ch_for_glyph);
                let wide = is_wide(ch);
                let natural = glyph.map_or(1.0, |g| g.advance) * size;
                let (width, offset) = if wide {
                    let w = cell;
                    (w, (w - natural) / 2.0)
                } else if glyph.is_none() && !ch.is_whitespace() {
                    (size * 0.6, 0.0)
                } else {
                    (natural, 0.0)
                };
                if glyph.is_none() && !ch.is_whitespace() {
                    let d = crate::fonts::missing_diagnostic(ch, seg.role, &seg.loc, i);
                    if self.opts.allow_missing_glyphs {
                        let mut w = d.with_hint(
                            "已用方框占位（--allow-missing-glyphs），正式印发前请补上字体",
                        );
                        w.severity = crate::diag::Severity::Warning;
                        w.code = "W081";
                        self.warnings.push(w);
                    } else {
                        self.errors.push(d);
                    }
                }
                clusters.push(Cluster {
                    ch,
                    range,
                    glyph,
                    role: seg.role,
                    size,
                    color,
                    width,
                    offset,
                    wide,
                    link: seg.link.clone(),
                });
            }
        }
        // Han–Latin gap.
        if self.cfg.latin_gap > 0.0 {
            let gap = self.cfg.latin_gap * size;
            for i in 0..clusters.len().saturating_sub(1) {
                let (a, b) = (&clusters[i], &clusters[i + 1]);
                let latin = |c: &Cluster| c.ch.is_ascii_alphanumeric();
                if (crate::text::is_han(a.ch) && latin(b))
                    || (latin(a) && crate::text::is_han(b.ch))
                {
                    clusters[i].width += gap;
                }
            }
        }
        Para { text, clusters }
    }

    /// Elements of set line `set` of `p`, starting at x (relative).
    fn line_elements(&self, p: &Para, set: &SetLine, x0: f32, baseline: f32) -> Vec<Element> {
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
                        let s = c.size * 0.8;
                        out.push(Element::Frame {
                            rect: Rect {
                                x: x + (adv - s) / 2.0,
                                y: baseline - c.size * 0.8,
                                w: s,
                                h: s,
                            },
                            width: 0.8,
                            color: [230, 0, 0],
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
                    y: baseline - 0.88 * size,
                    w: right - left,
                    h: size,
                },
                url,
            });
        }
        out
    }

    fn line_text(p: &Para, r: &Range<usize>) -> String {
        p.clusters[r.clone()]
            .iter()
            .filter(|c| !c.is_newline())
            .map(|c| c.ch)
            .collect()
    }

    /// Baseline inside a line box of `height` for type of `size`.
    fn baseline(height: f32, size: f32) -> f32 {
        (height - size) / 2.0 + 0.88 * size
    }

    /// The flow box of line `r` of `p`, set as `set` at `x`.
    #[allow(clippy::too_many_arguments)]
    fn line_box(
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
                },
            }),
        }
    }

    /// A justified paragraph: `indent` on the first line, `left` on all.
    #[allow(clippy::too_many_arguments)]
    fn paragraph_boxes(
        &mut self,
        p: &Para,
        kind: LineKind,
        left: f32,
        first_indent: f32,
        hang: f32,
        line_height: f32,
        out: &mut Vec<FlowBox>,
    ) {
        let para = self.para_counter;
        self.para_counter += 1;
        let measure = self.width - left;
        let first = measure - first_indent;
        let rest = measure - hang;
        let lines = line::break_lines(&p.clusters, first, rest);
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
            out.push(self.line_box(p, &r, &set, x, m, line_height, kind, last, para, false));
        }
        // Never leave a paragraph's last line alone at a page top.
        if n >= 2 {
            out[start + n - 2].keep_with_next = true;
        }
    }

    /// Centred lines (titles, headings, masthead).
    #[allow(clippy::too_many_arguments)]
    fn centred_boxes(
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
            line::break_balanced(&p.clusters, self.width)
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

    fn seg(role: Role, text: impl Into<String>, loc: TextLoc) -> Segment {
        Segment {
            role,
            text: text.into(),
            loc,
            link: None,
        }
    }

    fn inline_segments(inl: &[Inline], base: Role, item: &Item) -> Vec<Segment> {
        inl.iter()
            .map(|i| match i {
                Inline::Text(run) => Segment {
                    link: run.link.as_deref().map(std::sync::Arc::from),
                    ..Self::seg(
                        base.styled(run.style),
                        run.text.clone(),
                        TextLoc::Source {
                            source: item.source.clone(),
                            offset: run.offset,
                            exact: run.exact,
                        },
                    )
                },
                Inline::Break => Self::seg(base, "\n", TextLoc::Generated),
            })
            .collect()
    }

    fn attribution(item: &Item) -> Segment {
        Self::seg(
            Role::Body,
            item.attribution(),
            TextLoc::Value {
                source: item.source.clone(),
                span: item.unit_span.clone(),
            },
        )
    }

    /// The whole issue as a vertical flow (masthead first).
    fn flow(&mut self, issue: &Issue) -> Vec<FlowBox> {
        let mut out = Vec::new();
        let cfg = self.cfg;
        let config_path = issue.root.join(crate::workspace::config::CONFIG_FILE);
        let cfg_loc = |s: &str| TextLoc::Config {
            path: config_path.clone(),
            needle: s.to_string(),
        };
        let red = cfg.masthead_color;

        // Masthead.
        let p = self.para(
            vec![Self::seg(
                Role::Masthead,
                issue.title.clone(),
                cfg_loc(&issue.title),
            )],
            cfg.masthead_size,
            cfg.masthead_size,
            red,
        );
        self.centred_boxes(
            &p,
            LineKind::Masthead,
            cfg.masthead_size * 1.5,
            false,
            true,
            &mut out,
        );
        let info = cfg.masthead_info_size;
        let info_cell = self.cell * info / cfg.body_size;
        let p = self.para(
            vec![Self::seg(
                Role::Body,
                issue.number_label(),
                TextLoc::Generated,
            )],
            info,
            info_cell,
            BLACK,
        );
        self.centred_boxes(&p, LineKind::Number, self.pitch, false, true, &mut out);
        if let Some(t) = issue.total_label() {
            let p = self.para(
                vec![Self::seg(Role::Body, t, TextLoc::Generated)],
                info,
                info_cell,
                BLACK,
            );
            self.centred_boxes(&p, LineKind::Number, self.pitch, false, true, &mut out);
        }
        // Publisher left, date right, on one line.
        let pubp = self.para(
            vec![Self::seg(
                Role::Body,
                issue.publisher.clone(),
                cfg_loc(&issue.publisher),
            )],
            info,
            info_cell,
            BLACK,
        );
        let datep = self.para(
            vec![Self::seg(
                Role::Body,
                issue.date_label(),
                TextLoc::Generated,
            )],
            info,
            info_cell,
            BLACK,
        );
        let bl = Self::baseline(self.pitch, info);
        let pub_set = line::set_line(&pubp.clusters, 0..pubp.clusters.len(), self.width, false);
        let date_set = line::set_line(&datep.clusters, 0..datep.clusters.len(), self.width, false);
        let mut elements = self.line_elements(&pubp, &pub_set, 0.0, bl);
        let date_x = self.width - date_set.width;
        elements.extend(self.line_elements(&datep, &date_set, date_x, bl));
        let rule_w = self.mm(cfg.masthead_rule);
        // The red rule sits a third of a line under the info line.
        let rule_y = self.pitch + self.pitch / 3.0;
        elements.push(Element::Rule {
            x0: 0.0,
            x1: self.width,
            y: rule_y,
            width: rule_w,
            color: red,
        });
        let para = self.para_counter;
        self.para_counter += 1;
        out.push(FlowBox {
            height: rule_y + self.pitch * cfg.masthead_space_after,
            space_before: 0.0,
            keep_with_next: true,
            content: FlowContent::Line(PreparedLine {
                elements,
                info: LineInfo {
                    page: 0,
                    kind: LineKind::Info,
                    text: format!("{}{}", issue.publisher, issue.date_label()),
                    x: 0.0,
                    baseline: bl,
                    width: self.width,
                    measure: self.width,
                    last: true,
                    para,
                },
            }),
        });
        let masthead_end = out.len();

        let body = cfg.body_size;
        for section in &issue.sections {
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
                if out.len() > masthead_end + 1 && start < out.len() {
                    out[start].space_before = self.pitch * 0.5;
                }
                for b in &mut out[start..] {
                    b.keep_with_next = true;
                }
            }
            for item in &section.items {
                self.item(item, section.style, &mut out);
            }
        }
        out
    }

    fn item(&mut self, item: &Item, style: SectionStyle, out: &mut Vec<FlowBox>) {
        let cfg = self.cfg;
        let body = cfg.body_size;
        if style == SectionStyle::Article
            && let Some(title) = &item.title
        {
            let loc = match &item.title_span {
                Some(span) => TextLoc::Value {
                    source: item.source.clone(),
                    span: span.clone(),
                },
                None => TextLoc::Generated,
            };
            let size = cfg.title_size;
            let p = self.para(
                vec![Self::seg(Role::Title, title.clone(), loc)],
                size,
                size,
                BLACK,
            );
            let start = out.len();
            self.centred_boxes(
                &p,
                LineKind::Title,
                size * cfg.title_leading,
                true,
                true,
                out,
            );
            if let Some(first) = out.get_mut(start) {
                first.space_before = self.pitch * cfg.title_space_before;
            }
            if item.excerpt {
                let p = self.para(
                    vec![Self::seg(Role::Emphasis, "（节选）", TextLoc::Generated)],
                    body,
                    self.cell,
                    BLACK,
                );
                self.centred_boxes(&p, LineKind::Excerpt, self.pitch, false, true, out);
            }
            if let Some(last) = out.last_mut() {
                last.height += self.pitch * cfg.title_space_after;
            }
            // Title + first two body lines stay together.
            let title_end = out.len();
            self.blocks(&item.blocks, item, Role::Body, 0.0, true, out);
            for b in out.iter_mut().skip(title_end).take(1) {
                b.keep_with_next = true;
            }
        } else {
            let start = out.len();
            self.blocks(&item.blocks, item, Role::Body, 0.0, true, out);
            if start == out.len() {
                let p = self.para(vec![Self::attribution(item)], body, self.cell, BLACK);
                let indent = self.cell * cfg.paragraph_indent;
                self.paragraph_boxes(&p, LineKind::Body, 0.0, indent, 0.0, self.pitch, out);
            }
        }
    }

    /// Typeset blocks; `attribute` appends （unit） to the last paragraph
    /// (or sets it flush right after the last block). Returns whether the
    /// unit was placed.
    fn blocks(
        &mut self,
        blocks: &[Block],
        item: &Item,
        role: Role,
        left: f32,
        attribute: bool,
        out: &mut Vec<FlowBox>,
    ) -> bool {
        let cfg = self.cfg;
        let body = cfg.body_size;
        let indent = self.cell * cfg.paragraph_indent;
        let mut placed = false;
        let last_para = if attribute {
            match blocks.last() {
                Some(Block::Paragraph(_)) => Some(blocks.len() - 1),
                _ => None,
            }
        } else {
            None
        };
        for (bi, b) in blocks.iter().enumerate() {
            match b {
                Block::Paragraph(inl) => {
                    let mut segs = Self::inline_segments(inl, role, item);
                    if last_para == Some(bi) {
                        segs.push(Self::attribution(item));
                        placed = true;
                    }
                    let p = self.para(segs, body, self.cell, BLACK);
                    self.paragraph_boxes(&p, LineKind::Body, left, indent, 0.0, self.pitch, out);
                }
                Block::Heading { level, content } => {
                    let segs = Self::inline_segments(content, Role::heading(*level), item);
                    let p = self.para(segs, body, self.cell, BLACK);
                    let start = out.len();
                    self.paragraph_boxes(&p, LineKind::Heading, left, indent, 0.0, self.pitch, out);
                    for b in &mut out[start..] {
                        b.keep_with_next = true;
                    }
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    for (k, it) in items.iter().enumerate() {
                        let marker = if *ordered {
                            format!("{}.", start + k as u64)
                        } else {
                            "●".to_string()
                        };
                        // The marker opens the item's first paragraph.
                        let mut first = true;
                        for (ib, blk) in it.iter().enumerate() {
                            let is_last_block = k + 1 == items.len() && ib + 1 == it.len();
                            match blk {
                                Block::Paragraph(inl) if first => {
                                    first = false;
                                    let mut segs = vec![Self::seg(
                                        role,
                                        format!("{marker} "),
                                        TextLoc::Generated,
                                    )];
                                    if *ordered {
                                        segs[0].text = marker.clone();
                                    }
                                    segs.extend(Self::inline_segments(inl, role, item));
                                    if attribute && bi + 1 == blocks.len() && is_last_block {
                                        segs.push(Self::attribution(item));
                                        placed = true;
                                    }
                                    let p = self.para(segs, body, self.cell, BLACK);
                                    self.paragraph_boxes(
                                        &p,
                                        LineKind::Body,
                                        left,
                                        indent,
                                        0.0,
                                        self.pitch,
                                        out,
                                    );
                                }
                                other => {
                                    let last = attribute && bi + 1 == blocks.len() && is_last_block;
                                    placed |= self.blocks(
                                        std::slice::from_ref(other),
                                        item,
                                        role,
                                        left + indent,
                                        last,
                                        out,
                                    );
                                }
                            }
                        }
                    }
                }
                Block::Quote(inner) => {
                    let last = attribute && bi + 1 == blocks.len();
                    placed |= self.blocks(inner, item, Role::Emphasis, left + indent, last, out);
                }
                Block::Code(text) => {
                    let segs = vec![Self::seg(
                        role,
                        text.trim_end_matches('\n').to_string(),
                        TextLoc::Source {
                            source: item.source.clone(),
                            offset: item.source.text.find(text.as_str()).unwrap_or(0),
                            exact: item.source.text.contains(text.as_str()),
                        },
                    )];
                    let p = self.para(segs, body, self.cell, BLACK);
                    self.paragraph_boxes(
                        &p,
                        LineKind::Body,
                        left + indent,
                        0.0,
                        0.0,
                        self.pitch,
                        out,
                    );
                }
                Block::Image(img) => self.image(img, item, out),
            }
        }
        if attribute && !placed && !blocks.is_empty() && left == 0.0 {
            placed = true;
            // The item ends with a list, image or heading: the unit gets a
            // line of its own, flush right.
            let p = self.para(vec![Self::attribution(item)], body, self.cell, BLACK);
            let set = line::set_line(&p.clusters, 0..p.clusters.len(), self.width, false);
            let x = (self.width - set.width).max(0.0);
            let bl = Self::baseline(self.pitch, body);
            let elements = self.line_elements(&p, &set, x, bl);
            let para = self.para_counter;
            self.para_counter += 1;
            out.push(FlowBox {
                height: self.pitch,
                space_before: 0.0,
                keep_with_next: false,
                content: FlowContent::Line(PreparedLine {
                    elements,
                    info: LineInfo {
                        page: 0,
                        kind: LineKind::Body,
                        text: item.attribution(),
                        x,
                        baseline: bl,
                        width: set.width,
                        measure: self.width,
                        last: true,
                        para,
                    },
                }),
            });
        }
        placed
    }

    fn image(&mut self, img: &crate::model::Image, item: &Item, out: &mut Vec<FlowBox>) {
        let size = match imagesize::size(&img.path) {
            Ok(s) if s.width > 0 && s.height > 0 => s,
            _ => {
                let span = img_span(img, item);
                self.errors.push(
                    Diagnostic::error(
                        "E083",
                        format!("图片“{}”无法读取或不是 PNG/JPEG/GIF/WebP 图片", img.src),
                    )
                    .at(&item.source.path, &item.source.text, span),
                );
                return;
            }
        };
        let max_h = self.cfg.text_height_mm() * PT_PER_MM * 0.75;
        let mut w = self.width;
        let mut h = w * size.height as f32 / size.width as f32;
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        let start = out.len();
        out.push(FlowBox {
            height: h + self.pitch * 0.25,
            space_before: self.pitch * 0.25,
            keep_with_next: !img.caption.trim().is_empty(),
            content: FlowContent::Image {
                path: img.path.clone(),
                w,
                h,
                at: Some(crate::diag::locate(
                    &item.source.path,
                    &item.source.text,
                    img_span(img, item),
                )),
            },
        });
        if !img.caption.trim().is_empty() {
            let size = self.cfg.caption_size;
            let p = self.para(
                vec![Self::seg(
                    Role::Emphasis,
                    img.caption.clone(),
                    TextLoc::Source {
                        source: item.source.clone(),
                        offset: img.offset,
                        exact: false,
                    },
                )],
                size,
                self.cell * size / self.cfg.body_size,
                BLACK,
            );
            self.centred_boxes(&p, LineKind::Caption, self.pitch, false, false, out);
        }
        let _ = start;
    }

    /// The end block's lines, top to bottom, relative to its top, and its
    /// height. Rules: thick, (line, thin)*, staff, thick.
    fn end_block(&mut self, issue: &Issue) -> (Vec<PreparedLine>, Vec<(f32, f32)>, f32) {
        let cfg = self.cfg;
        let size = cfg.footer_size;
        let cell = self.cell * size / cfg.body_size;
        let lh = self.mm(cfg.footer_line_height);
        let indent = cell * cfg.footer_indent;
        let thick = self.mm(cfg.footer_rule_thick);
        let thin = self.mm(cfg.footer_rule_thin);
        let config_path = issue.root.join(crate::workspace::config::CONFIG_FILE);
        let cfg_loc = |s: &str| TextLoc::Config {
            path: config_path.clone(),
            needle: s.to_string(),
        };
        let mut lines = Vec::new();
        let mut rules = vec![(0.0, thick)];
        let mut y = 0.0;
        let footer = &issue.footer;
        for fl in &footer.lines {
            let label = format!("{}：", fl.label);
            let p = self.para(
                vec![
                    Self::seg(Role::Footer, label.clone(), cfg_loc(&fl.label)),
                    Self::seg(Role::Footer, fl.text.clone(), cfg_loc(&fl.text)),
                ],
                size,
                cell,
                BLACK,
            );
            let hang: f32 = p.clusters[..label.chars().count()]
                .iter()
                .map(|c| c.width)
                .sum();
            let mut boxes = Vec::new();
            // Hanging after the colon: wrapped lines align with the text.
            self.paragraph_boxes(&p, LineKind::Footer, indent, 0.0, hang, lh, &mut boxes);
            for b in boxes {
                if let FlowContent::Line(l) = b.content {
                    lines.push(shifted_down(l, y));
                }
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
            staff.extend(boxes.into_iter().filter_map(|b| match b.content {
                FlowContent::Line(l) => Some(l),
                FlowContent::Image { .. } => None,
            }));
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

    fn paginate(&mut self, issue: &Issue, flow: Vec<FlowBox>) -> Document {
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
        let eps = 0.01;
        let mut i = 0;
        let mut page_start = 0usize;
        while i < flow.len() {
            let b = &flow[i];
            let space = if y > 0.0 { b.space_before } else { 0.0 };
            if y > 0.0 && y + space + b.height > tb.h + eps {
                // Page break before box i — move back over kept boxes.
                let mut bp = i;
                while bp > page_start + 1 && flow[bp - 1].keep_with_next {
                    bp -= 1;
                }
                if bp > page_start && bp < i {
                    // Take the boxes bp..i back off this page.
                    let page = pages.len() - 1;
                    let removed = flow[bp..i]
                        .iter()
                        .filter(|b| matches!(b.content, FlowContent::Line(_)))
                        .count();
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
            y += space;
            let page = pages.len() - 1;
            let (dx, dy) = (tb.x, tb.y + y);
            match &b.content {
                FlowContent::Line(l) => {
                    for el in &l.elements {
                        let mut el = el.clone();
                        shift_element(&mut el, dx, dy);
                        pages[page].elements.push(el);
                    }
                    let mut info = l.info.clone();
                    info.page = page;
                    info.x += dx;
                    info.baseline += dy;
                    lines.push(info);
                }
                FlowContent::Image { path, w, h, at } => {
                    pages[page].elements.push(Element::Image {
                        path: path.clone(),
                        at: at.clone(),
                        rect: Rect {
                            x: tb.x + (tb.w - w) / 2.0,
                            y: dy,
                            w: *w,
                            h: *h,
                        },
                    });
                }
            }
            y += b.height;
            i += 1;
        }

        // End block at the foot of the last page, or of a new one.
        let (block_lines, rules, block_h) = self.end_block(issue);
        let mut end_block = None;
        if !block_lines.is_empty() || !issue.footer.lines.is_empty() {
            if y + self.pitch * 0.5 + block_h > tb.h + eps {
                pages.push(Page::default());
            }
            let page = pages.len() - 1;
            let top = tb.bottom() - block_h;
            for l in block_lines {
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

        // Page numbers and the draft mark.
        let total = pages.len();
        for (pi, page) in pages.iter_mut().enumerate() {
            let (els, info) = self.page_number(pi, total, &tb);
            page.elements.extend(els);
            lines.push(info);
        }
        if issue.footer.draft {
            // First on the page, so that text extraction reads it first.
            let (els, info) = self.draft_mark(&tb);
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
        }
    }

    fn page_number(&mut self, pi: usize, _total: usize, tb: &Rect) -> (Vec<Element>, LineInfo) {
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
        let bl = top + 0.88 * size;
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
        };
        (els, info)
    }

    fn draft_mark(&mut self, tb: &Rect) -> (Vec<Element>, LineInfo) {
        let size = self.cfg.draft_size;
        let red = [230, 0, 0];
        let p = self.para(
            vec![Self::seg(Role::Bold, "送审稿", TextLoc::Generated)],
            size,
            size,
            red,
        );
        let set = line::set_line(&p.clusters, 0..p.clusters.len(), tb.w, false);
        let pad = size * 0.35;
        let frame = Rect {
            x: tb.right() - set.width - 2.0 * pad,
            y: tb.y - size * 2.6,
            w: set.width + 2.0 * pad,
            h: size + 2.0 * pad,
        };
        let bl = frame.y + pad + 0.88 * size;
        let mut els = self.line_elements(&p, &set, frame.x + pad, bl);
        els.push(Element::Frame {
            rect: frame,
            width: 1.2,
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
        };
        (els, info)
    }
}

/// The bytes of the submission that name an image (its path, if found
/// after the image's offset).
fn img_span(img: &crate::model::Image, item: &Item) -> Range<usize> {
    let text = &item.source.text;
    let at = img.offset.min(text.len());
    match text.get(at..).and_then(|t| t.find(img.src.as_str())) {
        Some(p) if !img.src.is_empty() => at + p..at + p + img.src.len(),
        _ => {
            at..text
                .get(at..)
                .and_then(|t| t.chars().next())
                .map_or(at, |c| at + c.len_utf8())
        }
    }
}

fn element_count(b: &FlowBox) -> usize {
    match &b.content {
        FlowContent::Line(l) => l.elements.len(),
        FlowContent::Image { .. } => 1,
    }
}

/// A prepared line moved down by `y`, elements and recorded baseline alike.
fn shifted_down(mut l: PreparedLine, y: f32) -> PreparedLine {
    for el in &mut l.elements {
        shift_element(el, 0.0, y);
    }
    l.info.baseline += y;
    l
}

fn shift_element(el: &mut Element, dx: f32, dy: f32) {
    match el {
        Element::Text(r) => {
            r.x += dx;
            r.y += dy;
        }
        Element::Rule { x0, x1, y, .. } => {
            *x0 += dx;
            *x1 += dx;
            *y += dy;
        }
        Element::Frame { rect, .. } | Element::Image { rect, .. } | Element::Link { rect, .. } => {
            rect.x += dx;
            rect.y += dy;
        }
    }
}
