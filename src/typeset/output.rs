//! What the typesetter produces: pages of positioned glyphs, rules, frames,
//! images and links, and the list of printed lines tests inspect.

use std::ops::Range;
use std::path::PathBuf;

use crate::diag::Diagnostics;
use crate::fonts::FontId;

/// Ink colour of text and rules unless configured otherwise.
pub(super) const BLACK: [u8; 3] = [0, 0, 0];

/// Red of the draft mark and of missing-glyph placeholders.
pub(super) const MARK_RED: [u8; 3] = [230, 0, 0];

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
    /// What the run belongs to, for the tagged PDF's structure; `None`
    /// for page furniture (page numbers, the draft mark).
    pub block: Option<BlockRef>,
}

/// The block a printed run belongs to: the PDF writer groups runs into
/// structure elements (headings, paragraphs, captions) by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockRef {
    pub kind: LineKind,
    /// The paragraph ([`LineInfo::para`]): lines of one paragraph, on one
    /// page or several, are one element.
    pub para: usize,
    /// Index of the section the run is in (`None`: masthead, end
    /// block).
    pub section: Option<usize>,
    /// Index of the item in its section (`None`: the section heading).
    pub item: Option<usize>,
    /// The cell the run is in, for a table's line.
    pub cell: Option<CellRef>,
}

/// A table cell's place in its table, for the tagged PDF's table
/// structure (table, rows, header and data cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellRef {
    /// The table: the paragraph index of its first cell, unique in the
    /// issue.
    pub table: usize,
    /// Row in the table (0: the header row).
    pub row: usize,
    /// Column in the row.
    pub col: usize,
    /// Number of columns of the table.
    pub cols: usize,
    /// A header-row cell.
    pub header: bool,
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
        /// Alternative text: the caption, or a stand-in naming the file.
        alt: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// A line of a table cell (header or body row).
    TableCell,
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
    /// Space added to each gap between characters to justify the line,
    /// in em of the line's type (0 when it was not stretched).
    pub stretch: f32,
    /// The break after this line splits what should stay whole (a Latin
    /// word, a number with its unit, the （单位） attribution, a bracketed
    /// group): taken only when nothing else fits.
    pub split: bool,
    /// The table cell the line is in (`None` outside tables).
    pub cell: Option<CellRef>,
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
    /// Missing glyphs drawn as placeholders (with --allow-missing-glyphs),
    /// and characters printed from an installed font (W082).
    pub warnings: Diagnostics,
    /// Every place a character was printed from a font other than its
    /// role's own (a configured fallback, the embedded default after an
    /// office font, or an installed font), in the order set.
    pub fallbacks: Vec<FallbackUse>,
}

/// A character printed from a font other than its role's own.
#[derive(Debug, Clone)]
pub struct FallbackUse {
    pub ch: char,
    pub role: crate::fonts::Role,
    pub font: crate::fonts::FontId,
    /// Where the character stands (none for generated text).
    pub location: Option<crate::diag::Location>,
}

/// Options that are not part of the workspace's configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypesetOptions {
    /// Draw a placeholder for a character no font has (and warn) instead
    /// of failing.
    pub allow_missing_glyphs: bool,
}

/// Mark the text runs of a line's `elements` as belonging to their line's paragraph,
/// in `section` and `item`.
pub(super) fn mark_block(
    elements: &mut [Element],
    info: &LineInfo,
    section: Option<usize>,
    item: Option<usize>,
) {
    for el in elements {
        if let Element::Text(r) = el {
            r.block = Some(BlockRef {
                kind: info.kind,
                para: info.para,
                section,
                item,
                cell: info.cell,
            });
        }
    }
}

/// Move `el` right by `dx` and down by `dy`.
pub(super) fn shift_element(el: &mut Element, dx: f32, dy: f32) {
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
