//! Word documents (`.docx`, as Word, WPS and LibreOffice write them) →
//! a Markdown submission: front matter guesses (title, unit, date), the
//! body, the images to put beside it, and every transformation in Chinese
//! for the intake report.
//!
//! The container is a zip ([`package`], `zip` crate, inflate only) of XML
//! parts read as trees with `roxmltree`: a tree makes the look-ahead this
//! needs simple (a caption is the paragraph after an image, a title the
//! first centred one, a unit the last line), roxmltree refuses DTDs by
//! itself and caps the node count, and every part is capped in size
//! before it is parsed, so the tree's memory is bounded too.
//!
//! Hostile files are refused with a reason in Chinese (see [`package`]
//! and `xml` for the limits). Old binary formats (.doc, .wps) go
//! through LibreOffice first ([`soffice`]).

mod body;
mod compose;
mod inline;
pub(super) mod meta;
mod numbering;
pub mod package;
pub mod soffice;
mod styles;
mod xml;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::NaiveDate;

use body::{Align, Block, Cell, ImageRef, Inline, Para, Walker};
use package::{MAX_PART, Package, Refusal};

use super::txt::{Defaults, name_fields};
use crate::workspace::create::toml_string;

/// Largest image part, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 << 20;
/// Largest image, in pixels (a 100-megapixel photo is far beyond what a
/// bulletin page shows).
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;
/// Most images in one document.
pub const MAX_IMAGES: usize = 200;

/// What the reader is given besides the bytes.
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// The file name without extension (unit and date may be in it).
    pub file_stem: &'a str,
    /// `--unit`, `--date`: used where the document says nothing.
    pub defaults: &'a Defaults,
    /// `[units] known`.
    pub known_units: &'a [String],
    /// The section is a 简讯 one: no title (简讯 print none).
    pub brief: bool,
    /// Dates in the document properties are trusted up to a year back.
    pub today: NaiveDate,
}

/// An image to write beside the submission.
#[derive(Debug, Clone)]
pub struct Picture {
    pub bytes: Vec<u8>,
    /// `png`, `jpg`, `gif`, `webp` (from the bytes, never the name).
    pub ext: &'static str,
}

#[derive(Debug, Clone)]
enum Piece {
    Md(String),
    /// A list item; `true` for a bullet.
    Item(String, bool),
    /// Picture index, caption.
    Image(usize, String),
}

/// A read document, ready to become a submission once its images have
/// names.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: Option<String>,
    pub unit: String,
    pub date: NaiveDate,
    pub pictures: Vec<Picture>,
    /// Every transformation, in Chinese.
    pub notes: Vec<String>,
    pieces: Vec<Piece>,
}

impl Draft {
    /// The submission's text; `names[i]` is the file name of picture `i`
    /// (beside the submission).
    pub fn markdown(&self, category: &str, names: &[String]) -> String {
        let mut md = String::from("+++\n");
        if let Some(t) = &self.title {
            md.push_str(&format!("title = \"{}\"\n", toml_string(t)));
        }
        md.push_str(&format!(
            "unit = \"{}\"\ndate = {}\ncategory = \"{}\"\n+++\n",
            toml_string(&self.unit),
            self.date.format("%Y-%m-%d"),
            toml_string(category)
        ));
        // Items of one kind of list follow each other line by line.
        let mut prev_item = None;
        for p in &self.pieces {
            let (text, item) = match p {
                Piece::Md(s) => (s.clone(), None),
                Piece::Item(s, bullet) => (s.clone(), Some(*bullet)),
                Piece::Image(i, caption) => {
                    let name = names.get(*i).map_or("", String::as_str);
                    let dest = if name.contains([' ', '(', ')', '<', '>']) {
                        format!("<{name}>")
                    } else {
                        name.to_string()
                    };
                    (format!("![{}]({dest})", inline::escape(caption)), None)
                }
            };
            md.push_str(if item.is_some() && item == prev_item {
                "\n"
            } else {
                "\n\n"
            });
            md.push_str(&text);
            prev_item = item;
        }
        md.push('\n');
        md.replacen("+++\n\n\n", "+++\n\n", 1)
    }
}

fn one(r: Refusal) -> Vec<String> {
    vec![r]
}

/// What a zip without a Word body is, for the reason.
fn not_word(pkg: &Package) -> Refusal {
    let what = if pkg.has("xl/workbook.xml") {
        "这是 Excel 表格（.xlsx），不是 Word 文档"
    } else if pkg.has("ppt/presentation.xml") {
        "这是 PowerPoint 演示文稿（.pptx），不是 Word 文档"
    } else if pkg.has("content.xml") && pkg.has("mimetype") {
        "这是 OpenDocument 文件（.odt 等），不是 Word 文档"
    } else {
        "压缩包里没有 Word 正文（word/document.xml），不是 Word 文档或已损坏"
    };
    format!("{what}：请在 Word/WPS 中另存为“Word 文档 (*.docx)”后重新提交")
}

/// Read a part as text (DOCTYPE refused); `None` when absent.
fn part_text(pkg: &mut Package, name: &str) -> Result<Option<String>, Refusal> {
    match pkg.read(name, MAX_PART)? {
        Some(b) => xml::text(name, &b).map(Some),
        None => Ok(None),
    }
}

/// Read a .docx into a draft; the problems (Chinese) when it cannot be.
pub fn read(input: &Input) -> Result<Draft, Vec<String>> {
    let mut pkg = Package::open(input.bytes).map_err(one)?;
    // The main part, as the package's relationships name it.
    let root_rels = part_text(&mut pkg, "_rels/.rels").map_err(one)?;
    let root_rels = match &root_rels {
        Some(t) => body::parse_rels(&xml::parse("_rels/.rels", t).map_err(one)?),
        None => HashMap::new(),
    };
    let main = root_rels
        .values()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .and_then(|r| package::resolve_target("", &r.target))
        .filter(|p| pkg.has(p))
        .unwrap_or_else(|| "word/document.xml".to_string());
    let core_name = root_rels
        .values()
        .find(|r| r.kind == "core-properties" && !r.external)
        .and_then(|r| package::resolve_target("", &r.target))
        .unwrap_or_else(|| "docProps/core.xml".to_string());
    if !pkg.has(&main) {
        return Err(one(not_word(&pkg)));
    }
    let (base_dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let base_dir = base_dir.to_string();
    let doc_text = part_text(&mut pkg, &main)
        .map_err(one)?
        .ok_or_else(|| one(not_word(&pkg)))?;
    let rels_name = if base_dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{base_dir}/_rels/{file}.rels")
    };
    let rels = match part_text(&mut pkg, &rels_name).map_err(one)? {
        Some(t) => body::parse_rels(&xml::parse(&rels_name, &t).map_err(one)?),
        None => HashMap::new(),
    };
    let part_of = |kind: &str, fallback: &str| {
        rels.values()
            .find(|r| r.kind == kind && !r.external)
            .and_then(|r| package::resolve_target(&base_dir, &r.target))
            .unwrap_or_else(|| format!("{base_dir}/{fallback}"))
    };
    let styles_name = part_of("styles", "styles.xml");
    let numbering_name = part_of("numbering", "numbering.xml");
    let styles = match part_text(&mut pkg, &styles_name).map_err(one)? {
        Some(t) => styles::Styles::parse(&xml::parse(&styles_name, &t).map_err(one)?),
        None => styles::Styles::default(),
    };
    let numbering = match part_text(&mut pkg, &numbering_name).map_err(one)? {
        Some(t) => numbering::Numbering::parse(&xml::parse(&numbering_name, &t).map_err(one)?),
        None => numbering::Numbering::default(),
    };
    let props = match part_text(&mut pkg, &core_name).map_err(one)? {
        Some(t) => meta::core_props(&xml::parse(&core_name, &t).map_err(one)?),
        None => meta::CoreProps::default(),
    };
    let doc = xml::parse(&main, &doc_text).map_err(one)?;
    let Some(body_node) = xml::child(doc.root_element(), "body") else {
        return Err(one(format!(
            "{main} 里没有正文（w:body），文件可能已损坏：请在 Word/WPS 中打开后另存为 .docx 再提交"
        )));
    };
    let mut walker = Walker::new(&styles, numbering, rels.clone(), &base_dir);
    let mut blocks = Vec::new();
    walker.blocks(body_node, &mut blocks);
    drop(doc);
    let stats = walker.stats.clone();
    let (pictures, picture_of, mut notes) = load_pictures(&mut pkg, &walker.images)?;
    let mut c = Composer {
        input,
        picture_of,
        notes: Vec::new(),
        counts: Counts::default(),
    };
    let items = c.prepare(blocks);
    let draft = c.compose(items, &props, pictures)?;
    let mut all = draft.notes.clone();
    all.extend(stats_notes(&stats));
    all.append(&mut notes);
    Ok(Draft {
        notes: all,
        ..draft
    })
}

/// Read the images the document shows: only raster formats the bulletin
/// can print (PNG, JPEG, GIF, WebP), each capped in bytes and pixels.
type Loaded = (Vec<Picture>, Vec<Option<usize>>, Vec<String>);

fn load_pictures(pkg: &mut Package, refs: &[ImageRef]) -> Result<Loaded, Vec<String>> {
    if refs.len() > MAX_IMAGES {
        return Err(one(format!(
            "文档里有 {} 张图片（上限 {MAX_IMAGES}），不像是一篇稿件：请精简后重新提交",
            refs.len()
        )));
    }
    let mut pictures = Vec::new();
    let mut of = Vec::new();
    let mut notes = Vec::new();
    for r in refs {
        let part = match r {
            ImageRef::Part(p) => p,
            ImageRef::Unavailable(target) => {
                notes.push(format!(
                    "图片“{target}”是链接到文档外的图片，没有嵌入文档，未导入：请在 Word 中插入图片本身"
                ));
                of.push(None);
                continue;
            }
        };
        let Some(bytes) = pkg.read(part, MAX_IMAGE_BYTES).map_err(|e| {
            if e.contains("压缩炸弹") && !e.contains("总大小") {
                one(format!(
                    "图片 {part} 超过 {} MB，太大：请压缩图片后重新插入再提交",
                    MAX_IMAGE_BYTES >> 20
                ))
            } else {
                one(e)
            }
        })?
        else {
            notes.push(format!("文档引用的图片 {part} 不在文件里，未导入"));
            of.push(None);
            continue;
        };
        let ext = match imagesize::image_type(&bytes) {
            Ok(imagesize::ImageType::Png) => "png",
            Ok(imagesize::ImageType::Jpeg) => "jpg",
            Ok(imagesize::ImageType::Gif) => "gif",
            Ok(imagesize::ImageType::Webp) => "webp",
            _ => {
                let shown = part.rsplit('/').next().unwrap_or(part);
                notes.push(format!(
                    "图片 {shown} 的格式刊物不支持（只支持 PNG、JPEG、GIF、WebP），未导入：请把图片另存为 JPG 或 PNG 后重新插入"
                ));
                of.push(None);
                continue;
            }
        };
        match imagesize::blob_size(&bytes) {
            Ok(size) if (size.width as u64) * (size.height as u64) > MAX_IMAGE_PIXELS => {
                return Err(one(format!(
                    "图片 {part} 有 {} × {} 像素，太大（上限 {} 万像素）：请压缩图片后重新插入再提交",
                    size.width,
                    size.height,
                    MAX_IMAGE_PIXELS / 10_000
                )));
            }
            Ok(_) => {}
            Err(_) => {
                notes.push(format!("图片 {part} 已损坏，无法读出尺寸，未导入"));
                of.push(None);
                continue;
            }
        }
        of.push(Some(pictures.len()));
        pictures.push(Picture { bytes, ext });
    }
    Ok((pictures, of, notes))
}

/// One note for each count above zero: `{}` in its text stands for it.
fn counted_notes(counted: &[(usize, &str)]) -> Vec<String> {
    counted
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| what.replacen("{}", &n.to_string(), 1))
        .collect()
}

fn stats_notes(s: &body::Stats) -> Vec<String> {
    let mut n = Vec::new();
    if s.insertions + s.deletions + s.moves + s.deleted_rows > 0 {
        n.push(format!(
            "修订按接受处理：保留插入 {} 处，去掉删除 {} 处，移动 {} 处",
            s.insertions,
            s.deletions + s.deleted_rows,
            s.moves
        ));
    }
    n.extend(counted_notes(&[
        (s.comments, "去掉批注 {} 条"),
        (s.fields, "域（页码、日期等）{} 个只保留显示的结果"),
        (s.page_breaks, "去掉分页符 {} 处"),
        (s.hidden, "隐藏文字 {} 处未导入"),
        (
            s.text_boxes,
            "注意：文本框 {} 个里的文字未导入，如需要请把文字移到正文",
        ),
        (s.notes, "注意：脚注、尾注 {} 个未导入"),
    ]));
    if s.cut_columns > 0 {
        n.push(format!(
            "注意：表格超过 {} 列的部分未导入",
            body::MAX_COLUMNS
        ));
    }
    n
}

/// Counts for the report.
#[derive(Default)]
struct Counts {
    indents: usize,
    indent_fmt: usize,
    empty: usize,
    headings_style: usize,
    headings_lead: usize,
    labels: usize,
    items: usize,
    tables: usize,
    merged: bool,
    captions: usize,
    split: usize,
}

enum Item {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

struct Composer<'a> {
    input: &'a Input<'a>,
    /// Image index (walker) → picture index.
    picture_of: Vec<Option<usize>>,
    notes: Vec<String>,
    counts: Counts,
}

const INDENT: [char; 4] = [' ', '\u{3000}', '\u{a0}', '\t'];

/// The paragraph's text, lines joined.
fn plain(p: &Para) -> String {
    p.inlines
        .iter()
        .filter_map(|i| match i {
            Inline::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn all_bold(p: &Para) -> bool {
    let mut any = false;
    for i in &p.inlines {
        if let Inline::Text { text, bold, .. } = i
            && !text.trim_matches(INDENT).is_empty()
        {
            if !bold {
                return false;
            }
            any = true;
        }
    }
    any
}

fn short(s: &str, n: usize) -> String {
    let mut t: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        t.push('…');
    }
    t
}
