//! The typed model of one issue: what every renderer and check reads.
//! Built from the workspace's files by [`assemble`].

mod assemble;
pub mod clean;
pub mod markdown;
#[cfg(test)]
pub(crate) mod testutil;
pub mod walk;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

pub use assemble::{assemble, assemble_partial, load_issue, load_issue_partial};
pub use walk::visit_blocks;

use crate::config::Located;
pub use crate::config::{FooterLine, SectionStyle};
use crate::source::SourceFile;

/// The marker of a waiver (`<!-- bulletin:allow P013 理由 -->`, or a TOML
/// comment): a comment holding it is never printed. The checks read the
/// waivers themselves (`check::waiver`).
pub const WAIVER_MARKER: &str = "bulletin:allow";

/// One issue, ready to render.
#[derive(Debug, Clone)]
pub struct Issue {
    /// Workspace root.
    pub root: PathBuf,
    /// Publication name (masthead), e.g. 南阳民政工作动态.
    pub title: String,
    /// 编印单位.
    pub publisher: String,
    pub number: u32,
    pub total_number: Option<u32>,
    /// The number within the year of `date`, set only when the workspace
    /// numbers by year (`numbering = "yearly"`): 2026年第1期.
    pub year_number: Option<u32>,
    pub date: NaiveDate,
    /// Sections in configured order; every configured section is present,
    /// possibly empty.
    pub sections: Vec<Section>,
    pub footer: Footer,
    /// issue.toml and bulletin.toml (in that order) with their indexes,
    /// to point at the printed texts they hold.
    pub config_files: Vec<Located>,
    /// Registered reviewers and their keys (`[[reviewers]]`); empty when
    /// sign-offs are not authenticated by keys.
    pub reviewers: Vec<crate::config::Reviewer>,
    /// Digest of what shapes the print besides the text (layout, fonts,
    /// templates); set by the workflow that signs or checks sign-offs,
    /// empty when not computed.
    pub presentation: String,
    /// Image files as first read: the sign-off digest and the renderers
    /// of one workflow read each image once and see the same bytes.
    pub files: crate::fsutil::read_once::ReadOnce,
}

impl Issue {
    /// `南阳民政工作动态第39期` (by year: `南阳民政工作动态2026年第1期`):
    /// the base name of the output files.
    /// The title is cleaned for use in a file name (no separators, `..`,
    /// control characters; at most 40 characters), so that no configured
    /// title can put the outputs outside their folder.
    pub fn file_stem(&self) -> String {
        let title = crate::fsutil::file_name_safe(&self.title);
        let title = if title.is_empty() { "刊物" } else { &title };
        format!("{title}{}", self.number_label())
    }

    /// The base name of this build's output files: a draft (送审稿) gets
    /// its own name, so it never replaces or is taken for the final.
    pub fn output_stem(&self) -> String {
        if self.footer.draft {
            format!("{}（送审稿）", self.file_stem())
        } else {
            self.file_stem()
        }
    }

    /// Every item in print order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// `第39期`; by year `2026年第1期`.
    pub fn number_label(&self) -> String {
        use chrono::Datelike;
        match self.year_number {
            Some(n) => format!("{}年第{n}期", self.date.year()),
            None => format!("第{}期", self.number),
        }
    }

    /// `（总第120期）` when a running total is kept; by year always, the
    /// total being `total_number` or else the running `number`.
    pub fn total_label(&self) -> Option<String> {
        match (self.year_number, self.total_number) {
            (_, Some(n)) => Some(format!("（总第{n}期）")),
            (Some(_), None) => Some(format!("（总第{}期）", self.number)),
            (None, None) => None,
        }
    }

    /// `2025年12月8日`.
    pub fn date_label(&self) -> String {
        crate::dates::format_cn(self.date)
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The category name submissions use.
    pub name: String,
    /// The printed heading, if any.
    pub heading: Option<String>,
    pub style: SectionStyle,
    pub items: Vec<Item>,
}

/// One news item (one submission file).
#[derive(Debug, Clone)]
pub struct Item {
    /// The submission file, text normalised (LF, no BOM).
    pub source: Arc<SourceFile>,
    /// Item title; `None` only in brief sections.
    pub title: Option<String>,
    /// Byte span of the title's value in `source.text`.
    pub title_span: Option<std::ops::Range<usize>>,
    /// Source unit, printed as （unit）.
    pub unit: String,
    pub unit_span: std::ops::Range<usize>,
    pub date: NaiveDate,
    pub excerpt: bool,
    pub blocks: Vec<Block>,
}

impl Item {
    /// `（市局办公室）`: the attribution that ends the item's last paragraph.
    pub fn attribution(&self) -> String {
        format!("（{}）", self.unit)
    }

    /// The printed body text: every paragraph, heading, table cell, image
    /// caption and code block in reading order, each followed by a newline.
    pub fn plain_text(&self) -> String {
        let mut s = String::new();
        visit_blocks(&self.blocks, &mut |b| match b {
            Block::Paragraph(p) | Block::Heading { content: p, .. } => {
                s.push_str(&plain_text(p));
                s.push('\n');
            }
            Block::Image(img) => {
                s.push_str(&img.caption);
                s.push('\n');
            }
            Block::Code(c) => {
                s.push_str(c);
                s.push('\n');
            }
            Block::List { .. } | Block::Quote(_) | Block::Table(_) => {}
        });
        s
    }

    pub fn file_name(&self) -> String {
        self.source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The end block (版记).
#[derive(Debug, Clone, Default)]
pub struct Footer {
    /// Distribution lines: 报：… 发：…
    pub lines: Vec<FooterLine>,
    /// 编辑.
    pub editor: Option<String>,
    /// Roles that sign off, in print order, with the signer's name when a
    /// valid sign-off exists.
    pub signoffs: Vec<Signoff>,
    /// （共印N份）.
    pub copies: Option<u32>,
    /// A draft (送审稿) rather than a final build.
    pub draft: bool,
    /// A draft's review code (审核码), derived from what it prints: the
    /// reviewer signs with it to show which draft they read.
    pub review_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signoff {
    pub role: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// A heading inside an item (level 1 = 一、 in Hei, 2 = （一） in Kai …).
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Image(Image),
    /// Preformatted text, kept line by line.
    Code(String),
    /// A table (a Markdown pipe table).
    Table(Table),
}

/// A table: a header row and body rows of cells. Every cell is one
/// [`Block::Paragraph`] (empty when the cell is), so that every check that
/// walks the blocks reads the cells' text with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Alignment of each column, as the delimiter row sets it.
    pub align: Vec<Align>,
    /// The header row's cells.
    pub header: Vec<Block>,
    /// The body rows, each as wide as the header.
    pub rows: Vec<Vec<Block>>,
    /// Byte offset of the table in the submission.
    pub offset: usize,
}

impl Table {
    /// Number of columns.
    pub fn columns(&self) -> usize {
        self.header.len()
    }

    /// The inlines of a cell (a cell is one paragraph).
    pub fn cell(b: &Block) -> &[Inline] {
        match b {
            Block::Paragraph(p) => p,
            _ => &[],
        }
    }
}

/// Alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Resolved path inside the workspace.
    pub path: PathBuf,
    /// The path as written in the submission.
    pub src: String,
    /// Caption (the Markdown alt text, or the image title).
    pub caption: String,
    /// Byte offset of the image in the submission.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(Run),
    /// A hard line break inside a paragraph.
    Break,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: Style,
    /// Target of a link (only http, https and mailto survive).
    pub link: Option<String>,
    /// Byte offset in the submission where this run's text starts; the run's
    /// characters map one to one onto the source when `exact` is set.
    pub offset: usize,
    pub exact: bool,
}

impl Run {
    /// Byte offset in the submission of the character at byte `i` of `text`.
    pub fn source_offset(&self, i: usize) -> usize {
        if self.exact {
            self.offset + i
        } else {
            self.offset
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// Bold: set in Hei.
    pub strong: bool,
    /// Emphasis: set in Kai.
    pub emphasis: bool,
    pub code: bool,
}

/// Plain text of a list of inlines (breaks as newlines).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(r) => s.push_str(&r.text),
            Inline::Break => s.push('\n'),
        }
    }
    s
}
