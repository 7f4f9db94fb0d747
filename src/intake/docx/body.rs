//! `word/document.xml` → blocks: paragraphs (runs joined, bold and italic
//! resolved through styles, generated number labels), tables and image
//! references. Tracked changes are accepted (insertions and move targets
//! kept, deletions and move sources dropped), comments and field codes
//! dropped (field results kept), hidden text dropped.

use std::collections::HashMap;

use roxmltree::Node;

use super::numbering::{Label, Numbering};
use super::package::resolve_target;
use super::styles::{Meaning, Styles, num_pr};
use super::xml::{W, W_STRICT, child, child_val, is_w, rattr, toggle, wattr};

/// Widest table kept (columns); wider grids are cut there.
pub const MAX_COLUMNS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A line break inside the paragraph (`w:br`, `w:cr`).
    Break,
    /// An image: index into [`Walker::images`].
    Image(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Start,
    Center,
    End,
}

#[derive(Debug, Clone, Default)]
pub struct Para {
    pub inlines: Vec<Inline>,
    pub meaning: Meaning,
    pub align: Align,
    /// The generated number label, if the paragraph is numbered.
    pub label: Option<Label>,
    /// Indented by formatting (`w:ind` first line or left).
    pub indent_fmt: bool,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub paras: Vec<Para>,
    /// Grid columns covered (`w:gridSpan`).
    pub span: usize,
    /// The continuation of a vertical merge (`w:vMerge` without restart).
    pub merged: bool,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

/// An image relationship as found in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// A part of the package, e.g. `word/media/image1.png`.
    Part(String),
    /// Linked, not embedded (or the relationship is missing).
    Unavailable(String),
}

/// What the walk met and dropped or kept, for the report.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub insertions: usize,
    pub deletions: usize,
    pub moves: usize,
    pub comments: usize,
    pub fields: usize,
    pub page_breaks: usize,
    pub hidden: usize,
    pub text_boxes: usize,
    pub notes: usize,
    pub deleted_rows: usize,
    pub cut_columns: usize,
}

/// A relationship of the main part: target and whether it is external.
#[derive(Debug, Clone)]
pub struct Rel {
    pub target: String,
    pub external: bool,
    /// The last segment of the relationship type: `image`, `styles`,
    /// `numbering`, `officeDocument`, `core-properties`.
    pub kind: String,
}

/// Relationships (`*.rels`) by id.
pub fn parse_rels(doc: &roxmltree::Document) -> HashMap<String, Rel> {
    doc.root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter_map(|n| {
            Some((
                n.attribute("Id")?.to_string(),
                Rel {
                    target: n.attribute("Target")?.to_string(),
                    external: n
                        .attribute("TargetMode")
                        .is_some_and(|m| m.eq_ignore_ascii_case("external")),
                    kind: n
                        .attribute("Type")
                        .and_then(|t| t.rsplit('/').next())
                        .unwrap_or("")
                        .to_string(),
                },
            ))
        })
        .collect()
}

pub struct Walker<'s> {
    pub styles: &'s Styles,
    pub numbering: Numbering,
    pub rels: HashMap<String, Rel>,
    /// Folder of the main part, e.g. `word`, for relationship targets.
    pub base_dir: String,
    pub images: Vec<ImageRef>,
    pub stats: Stats,
    /// Open complex fields: `true` once past `separate` (the result).
    fields: Vec<bool>,
}

#[derive(Clone, Copy)]
struct RunBase {
    bold: bool,
    italic: bool,
}

fn local(n: Node) -> &'static str {
    // Only WordprocessingML names are matched by local name alone.
    if n.is_element() && matches!(n.tag_name().namespace(), Some(W | W_STRICT)) {
        match n.tag_name().name() {
            "p" => "p",
            "tbl" => "tbl",
            "sdt" => "sdt",
            "sdtContent" => "sdtContent",
            "customXml" => "customXml",
            "ins" => "ins",
            "del" => "del",
            "moveTo" => "moveTo",
            "moveFrom" => "moveFrom",
            "r" => "r",
            "hyperlink" => "hyperlink",
            "smartTag" => "smartTag",
            "fldSimple" => "fldSimple",
            "dir" => "dir",
            "bdo" => "bdo",
            "t" => "t",
            "tab" => "tab",
            "ptab" => "ptab",
            "br" => "br",
            "cr" => "cr",
            "noBreakHyphen" => "noBreakHyphen",
            "softHyphen" => "softHyphen",
            "sym" => "sym",
            "fldChar" => "fldChar",
            "drawing" => "drawing",
            "pict" => "pict",
            "object" => "object",
            "footnoteReference" => "footnoteReference",
            "endnoteReference" => "endnoteReference",
            "commentReference" => "commentReference",
            "tr" => "tr",
            "tc" => "tc",
            _ => "",
        }
    } else if n.is_element() && n.tag_name().name() == "AlternateContent" {
        "AlternateContent"
    } else {
        ""
    }
}

/// The first `mc:Choice` of an `mc:AlternateContent` (the fallback
/// repeats the same content for older readers).
fn choice<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == "Choice")
        .or_else(|| {
            n.children()
                .find(|c| c.is_element() && c.tag_name().name() == "Fallback")
        })
}

impl<'s> Walker<'s> {
    pub fn new(
        styles: &'s Styles,
        numbering: Numbering,
        rels: HashMap<String, Rel>,
        base_dir: &str,
    ) -> Self {
        Walker {
            styles,
            numbering,
            rels,
            base_dir: base_dir.to_string(),
            images: Vec::new(),
            stats: Stats::default(),
            fields: Vec::new(),
        }
    }

    /// Block-level content of `parent` (the body, a cell, a content
    /// control) appended to `out`.
    pub fn blocks(&mut self, parent: Node, out: &mut Vec<Block>) {
        let mut join_next = false;
        for c in parent.children() {
            match local(c) {
                "p" => {
                    let (p, mark_deleted) = self.para(c);
                    // A deleted paragraph mark: accepted, the paragraph
                    // runs on into the next one.
                    if join_next && let Some(Block::Para(prev)) = out.last_mut() {
                        prev.inlines.extend(p.inlines);
                    } else {
                        out.push(Block::Para(p));
                    }
                    join_next = mark_deleted;
                }
                "tbl" => {
                    join_next = false;
                    let t = self.table(c);
                    out.push(Block::Table(t));
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.blocks(content, out);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(c, out),
                "del" | "moveFrom" => self.stats.deletions += 1,
                "AlternateContent" => {
                    if let Some(ch) = choice(c) {
                        self.blocks(ch, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// One paragraph; `true` when its mark is a tracked deletion.
    fn para(&mut self, p: Node) -> (Para, bool) {
        let ppr = child(p, "pPr");
        let style = ppr.and_then(|x| child_val(x, "pStyle"));
        let meaning = self.styles.meaning(style);
        let jc = ppr
            .and_then(|x| child_val(x, "jc"))
            .or_else(|| self.styles.jc(style));
        let align = match jc {
            Some("center") => Align::Center,
            Some("right" | "end") => Align::End,
            _ => Align::Start,
        };
        let num = match ppr.and_then(|x| child(x, "numPr")) {
            Some(n) => {
                // An own w:numPr may give only the level: the list is the style's.
                let style_num = self.styles.num(style);
                num_pr(n).or_else(|| {
                    let lvl = child_val(n, "ilvl").and_then(|v| v.parse().ok());
                    style_num.map(|(id, l)| (id, lvl.unwrap_or(l)))
                })
            }
            None => self.styles.num(style),
        };
        let label = num
            .filter(|(id, _)| *id != 0)
            .and_then(|(id, lvl)| self.numbering.next(id, lvl));
        let indent_fmt = ppr.and_then(|x| child(x, "ind")).is_some_and(|ind| {
            [
                "firstLine",
                "firstLineChars",
                "left",
                "start",
                "leftChars",
                "startChars",
            ]
            .iter()
            .any(|a| wattr(ind, a).is_some_and(|v| v.trim_start_matches('-') != "0"))
        });
        let mark_deleted = ppr
            .and_then(|x| child(x, "rPr"))
            .is_some_and(|r| child(r, "del").is_some());
        let base = RunBase {
            bold: self.styles.bold(style).unwrap_or(false),
            italic: self.styles.italic(style).unwrap_or(false),
        };
        let mut inlines = Vec::new();
        self.inline(p, base, &mut inlines);
        (
            Para {
                inlines,
                meaning,
                align,
                label,
                indent_fmt,
            },
            mark_deleted,
        )
    }

    fn inline(&mut self, n: Node, base: RunBase, out: &mut Vec<Inline>) {
        for c in n.children() {
            match local(c) {
                "r" => self.run(c, base, out),
                "ins" => {
                    self.stats.insertions += 1;
                    self.inline(c, base, out);
                }
                "moveTo" => {
                    self.stats.moves += 1;
                    self.inline(c, base, out);
                }
                "del" => self.stats.deletions += 1,
                "moveFrom" => {}
                "fldSimple" => {
                    self.stats.fields += 1;
                    self.inline(c, base, out);
                }
                "hyperlink" | "smartTag" | "customXml" | "dir" | "bdo" => self.inline(c, base, out),
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inline(content, base, out);
                    }
                }
                "AlternateContent" => {
                    if let Some(ch) = choice(c) {
                        self.inline(ch, base, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn in_field_code(&self) -> bool {
        self.fields.last() == Some(&false)
    }

    fn run(&mut self, r: Node, base: RunBase, out: &mut Vec<Inline>) {
        let rpr = child(r, "rPr");
        let char_style = rpr.and_then(|x| child_val(x, "rStyle"));
        let bold = rpr
            .and_then(|x| toggle(x, "b"))
            .or_else(|| char_style.and_then(|s| self.styles.bold(Some(s))))
            .unwrap_or(base.bold);
        let italic = rpr
            .and_then(|x| toggle(x, "i"))
            .or_else(|| char_style.and_then(|s| self.styles.italic(Some(s))))
            .unwrap_or(base.italic);
        let hidden = rpr.and_then(|x| toggle(x, "vanish")) == Some(true);
        let mut counted_hidden = false;
        let mut push = |this: &mut Self, text: &str, out: &mut Vec<Inline>| {
            if text.is_empty() || this.in_field_code() {
                return;
            }
            if hidden {
                if !counted_hidden {
                    this.stats.hidden += 1;
                    counted_hidden = true;
                }
                return;
            }
            if let Some(Inline::Text {
                text: t,
                bold: b,
                italic: i,
            }) = out.last_mut()
                && *b == bold
                && *i == italic
            {
                t.push_str(text);
                return;
            }
            out.push(Inline::Text {
                text: text.to_string(),
                bold,
                italic,
            });
        };
        for c in r.children() {
            match local(c) {
                "t" => push(self, c.text().unwrap_or(""), out),
                "tab" | "ptab" => push(self, " ", out),
                "noBreakHyphen" => push(self, "-", out),
                "sym" => {
                    let ch = wattr(c, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        // Symbol-font private-use codes have no meaning outside the font.
                        .filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch));
                    if let Some(ch) = ch {
                        push(self, ch.encode_utf8(&mut [0; 4]), out);
                    }
                }
                "br" | "cr" => match wattr(c, "type") {
                    Some("page") => self.stats.page_breaks += 1,
                    Some("column") => {}
                    _ if !self.in_field_code() && !hidden => out.push(Inline::Break),
                    _ => {}
                },
                "fldChar" => match wattr(c, "fldCharType") {
                    Some("begin") => {
                        if self.fields.is_empty() {
                            self.stats.fields += 1;
                        }
                        self.fields.push(false);
                    }
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "drawing" | "pict" | "object" if !self.in_field_code() && !hidden => {
                    self.pictures(c, out)
                }
                "footnoteReference" | "endnoteReference" => self.stats.notes += 1,
                "commentReference" => self.stats.comments += 1,
                "AlternateContent" => {
                    if let Some(ch) = choice(c) {
                        // A run's alternate content holds run content.
                        let wrapper = ch;
                        for cc in wrapper.children() {
                            if matches!(local(cc), "drawing" | "pict" | "object")
                                && !self.in_field_code()
                            {
                                self.pictures(cc, out);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Images inside a `w:drawing` / `w:pict`: DrawingML `a:blip` and VML
    /// `v:imagedata`. Text boxes are counted, not read.
    fn pictures(&mut self, d: Node, out: &mut Vec<Inline>) {
        let mut boxes = 0;
        for n in d.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            if name == "txbxContent" {
                boxes += 1;
                continue;
            }
            if n.ancestors().any(|a| a.tag_name().name() == "txbxContent") {
                continue;
            }
            let id = match name {
                "blip" => rattr(n, "embed").or_else(|| rattr(n, "link")),
                "imagedata" => rattr(n, "id").or_else(|| rattr(n, "pict")),
                _ => None,
            };
            let Some(id) = id else { continue };
            let r = match self.rels.get(id) {
                Some(rel) if !rel.external => resolve_target(&self.base_dir, &rel.target)
                    .map_or_else(|| ImageRef::Unavailable(rel.target.clone()), ImageRef::Part),
                Some(rel) => ImageRef::Unavailable(rel.target.clone()),
                None => ImageRef::Unavailable(id.to_string()),
            };
            let idx = match self.images.iter().position(|i| *i == r) {
                Some(i) => i,
                None => {
                    self.images.push(r);
                    self.images.len() - 1
                }
            };
            out.push(Inline::Image(idx));
        }
        self.stats.text_boxes += boxes;
    }

    fn table(&mut self, t: Node) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for tr in content_children(t, "tr") {
            let deleted = child(tr, "trPr").is_some_and(|p| child(p, "del").is_some());
            if deleted {
                self.stats.deleted_rows += 1;
                continue;
            }
            let mut cells = Vec::new();
            let mut width = 0;
            for tc in content_children(tr, "tc") {
                let pr = child(tc, "tcPr");
                let span: usize = pr
                    .and_then(|p| child_val(p, "gridSpan"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(1usize)
                    .clamp(1, MAX_COLUMNS);
                let merged = pr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|v| wattr(v, "val").is_none_or(|x| x == "continue"));
                if width + span > MAX_COLUMNS {
                    self.stats.cut_columns += 1;
                    break;
                }
                width += span;
                let mut blocks = Vec::new();
                self.blocks(tc, &mut blocks);
                let mut paras = Vec::new();
                flatten(blocks, &mut paras);
                cells.push(Cell {
                    paras,
                    span,
                    merged,
                });
            }
            rows.push(cells);
        }
        rows
    }
}

/// `w:` children named `name`, looking through content controls and
/// custom XML wrappers (rows and cells may sit inside them).
fn content_children<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in n.children() {
        if is_w(c, name) {
            out.push(c);
        } else if is_w(c, "sdt") {
            if let Some(content) = child(c, "sdtContent") {
                out.extend(content_children(content, name));
            }
        } else if is_w(c, "customXml") {
            out.extend(content_children(c, name));
        }
    }
    out
}

/// Nested tables inside a cell become their cells' paragraphs.
fn flatten(blocks: Vec<Block>, out: &mut Vec<Para>) {
    for b in blocks {
        match b {
            Block::Para(p) => out.push(p),
            Block::Table(rows) => {
                for c in rows.into_iter().flatten() {
                    out.extend(c.paras);
                }
            }
        }
    }
}
