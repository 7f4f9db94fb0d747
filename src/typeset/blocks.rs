//! Model content into flow boxes: an article's title, its blocks
//! (paragraphs, headings, lists, quotes, code, images, tables) and the reporting
//! unit's attribution.

use std::ops::Range;

use super::PT_PER_MM;
use super::flow::{FlowBox, FlowContent, PreparedLine};
use super::line;
use super::output::{BLACK, LineInfo, LineKind};
use super::prepare::Engine;
use crate::diag::Diagnostic;
use crate::fonts::{Role, TextLoc};
use crate::model::{Block, Item, SectionStyle};

/// Tallest an image may be, as a fraction of the text block's height.
const IMAGE_MAX_HEIGHT: f32 = 0.75;

/// Space above and below an image, in lines.
const IMAGE_SPACE: f32 = 0.25;

impl Engine<'_> {
    pub(super) fn item(&mut self, item: &Item, style: SectionStyle, out: &mut Vec<FlowBox>) {
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
            // The title (at its own pitch), （节选） and the space under
            // them take a whole number of grid lines, the title centred.
            let mut group = Vec::new();
            self.centred_boxes(
                &p,
                LineKind::Title,
                size * cfg.title_leading,
                true,
                true,
                &mut group,
            );
            if item.excerpt {
                let p = self.para(
                    vec![Self::seg(Role::Emphasis, "（节选）", TextLoc::Generated)],
                    body,
                    self.cell,
                    BLACK,
                );
                self.centred_boxes(&p, LineKind::Excerpt, self.pitch, false, true, &mut group);
            }
            if let Some(last) = group.last_mut() {
                last.height += self.pitch * cfg.title_space_after;
            }
            if let Some(first) = group.first_mut() {
                first.space_before = self.pitch * cfg.title_space_before;
            }
            out.push(self.grid_group(group, 0.5));
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
    pub(super) fn blocks(
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
                Block::Table(t) => self.table(t, item, left, out),
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
                        stretch: 0.0,
                        split: false,
                        cell: None,
                    },
                }),
            });
        }
        placed
    }

    pub(super) fn image(&mut self, img: &crate::model::Image, item: &Item, out: &mut Vec<FlowBox>) {
        // The header only, checked against the limits: nothing is decoded
        // for the layout.
        let size = match crate::limits::probe_image_file(&img.path) {
            Ok(s) => s,
            Err(problem) => {
                let span = img_span(img, item);
                let mut d =
                    Diagnostic::error("E083", format!("图片“{}”{}", img.src, problem.message()));
                d.location = Some(item.source.locate(span));
                if matches!(problem, crate::limits::ImageProblem::TooLarge(_)) {
                    d = d.with_hint(crate::limits::IMAGE_TOO_LARGE_HINT);
                }
                self.errors.push(d);
                return;
            }
        };
        let max_h = self.cfg.text_height_mm() * PT_PER_MM * IMAGE_MAX_HEIGHT;
        let mut w = self.width;
        let mut h = w * size.height as f32 / size.width as f32;
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        // The image with space above and under it, and its caption, take
        // a whole number of grid lines.
        let pad = self.pitch * IMAGE_SPACE;
        let alt = image_alt(img);
        if img.caption.trim().is_empty() {
            let mut d = Diagnostic::warning(
                "W083",
                format!("图片“{}”没有图片说明，读屏软件只能读出文件名", img.src),
            )
            .with_hint(
                "请写成 ![图片说明](图片文件)：说明印在图片下方，也是无障碍 PDF 中图片的替代文字",
            );
            d.location = Some(item.source.locate(img_span(img, item)));
            self.warnings.push(d);
        }
        let mut group = vec![FlowBox {
            height: h + 2.0 * pad,
            space_before: 0.0,
            keep_with_next: false,
            content: FlowContent::Group(vec![(
                pad,
                FlowContent::Image {
                    path: img.path.clone(),
                    w,
                    h,
                    at: Some(item.source.locate(img_span(img, item))),
                    alt,
                },
            )]),
        }];
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
            self.centred_boxes(&p, LineKind::Caption, self.pitch, false, false, &mut group);
        }
        out.push(self.grid_group(group, 0.5));
    }
}

/// An image's alternative text for the tagged PDF: its caption, or
/// “图片” with the file's name when it has none.
fn image_alt(img: &crate::model::Image) -> String {
    let caption = img.caption.trim();
    if !caption.is_empty() {
        return caption.to_string();
    }
    let name = img
        .path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.is_empty() {
        "图片".to_string()
    } else {
        format!("图片：{name}")
    }
}

/// The bytes of the submission that name an image (its path, if found
/// after the image's offset).
pub(super) fn img_span(img: &crate::model::Image, item: &Item) -> Range<usize> {
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
