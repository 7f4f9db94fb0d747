//! The PDF writer: a typeset [`Document`] to PDF bytes with krilla. With
//! `render::structure`, the only code that touches krilla. Fonts are
//! embedded as subsets with ToUnicode maps (text is searchable and
//! copyable); metadata comes from the issue only, so the same input gives
//! the same bytes; tagged (structure in reading order, see
//! `render::structure`), and by default checked as PDF/A-2a and PDF/UA-1
//! at export.

use std::collections::HashMap;
use std::path::Path;

use krilla::Document as PdfDoc;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect as KRect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::config::{Config, Standard};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::fonts::FontSet;
use crate::model::Issue;
use crate::typeset::{Document, Element, LineKind, TypesetOptions};

use super::structure::Structure;

/// The document's language (catalog and structure root).
const LANG: &str = "zh-CN";

/// What the marked-content sequence being drawn belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Marked {
    /// A structure element (a node of [`Structure`]).
    Block(usize),
    /// Page furniture: page numbers, the draft mark.
    Pagination,
    /// Rules and frames.
    Layout,
}

/// Make `want` the marked-content sequence being drawn on `s`, closing
/// the open one if it differs; a new block sequence goes to its
/// structure element.
fn mark(s: &mut Surface, open: &mut Option<Marked>, want: Marked, tree: &mut Structure) {
    if *open == Some(want) {
        return;
    }
    if open.is_some() {
        s.end_tagged();
    }
    match want {
        Marked::Block(n) => {
            let id = s.start_tagged(ContentTag::Other);
            tree.content(n, id);
        }
        Marked::Pagination => {
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::PaginationOther,
            )));
        }
        Marked::Layout => {
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::Layout,
            )));
        }
    }
    *open = Some(want);
}

/// Typeset and write the issue's PDF with `fonts` (loaded once by the
/// caller for every issue).
pub fn render(
    issue: &Issue,
    config: &Config,
    mut fonts: FontSet,
    opts: TypesetOptions,
) -> Result<(Vec<u8>, Diagnostics), Diagnostics> {
    let (doc, warnings) = typeset(issue, config, &mut fonts, opts)?;
    let bytes = write(issue, &doc, &fonts, config.pdf.standard)?;
    Ok((bytes, warnings))
}

/// Typeset the issue and read its images, as [`render`] does, without
/// writing a PDF: the warnings, or the errors a build would meet.
pub fn validate(
    issue: &Issue,
    config: &Config,
    mut fonts: FontSet,
    opts: TypesetOptions,
) -> Result<Diagnostics, Diagnostics> {
    let (doc, warnings) = typeset(issue, config, &mut fonts, opts)?;
    let mut errors = Diagnostics::default();
    let mut seen = std::collections::HashSet::new();
    for page in &doc.pages {
        for el in &page.elements {
            if let Element::Image { path, at, .. } = el
                && seen.insert(path.clone())
                && let Err(d) = load_image(&issue.files, path, at.as_ref())
            {
                errors.extend(d);
            }
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(warnings)
    }
}

/// The layout report of `issue` as typeset for the PDF (grid, stretch,
/// split groups, keeps), as `bulletin build --report` prints it.
pub fn layout_report(
    issue: &Issue,
    config: &Config,
    mut fonts: FontSet,
    opts: TypesetOptions,
) -> Result<String, Diagnostics> {
    let (doc, _) = typeset(issue, config, &mut fonts, opts)?;
    Ok(crate::typeset::report::report(&doc, &config.layout).render())
}

/// The typeset document and the warnings so far.
fn typeset(
    issue: &Issue,
    config: &Config,
    fonts: &mut FontSet,
    opts: TypesetOptions,
) -> Result<(Document, Diagnostics), Diagnostics> {
    let mut warnings = std::mem::take(&mut fonts.warnings);
    // The typesetter reports glyph coverage as it sets each character:
    // every character no font has (an error, or with
    // --allow-missing-glyphs a warning at its placeholder), and each one
    // printed from an installed font.
    let doc = crate::typeset::typeset(issue, fonts, &config.layout, opts)?;
    warnings.extend(doc.warnings.clone());
    Ok((doc, warnings))
}

fn color(c: [u8; 3]) -> rgb::Color {
    rgb::Color::new(c[0], c[1], c[2])
}

/// Write `doc` as PDF.
pub fn write(
    issue: &Issue,
    doc: &Document,
    fonts: &FontSet,
    standard: Standard,
) -> Result<Vec<u8>, Diagnostics> {
    // Tagged in every case; by default also checked at export against
    // PDF/A-2a (archival, tagged) and PDF/UA-1 (accessible).
    let mut settings = krilla::SerializeSettings {
        enable_tagging: true,
        ..Default::default()
    };
    if standard == Standard::PdfA2b {
        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_A)
            .with_accessibility_validator(Accessibility::UA1)
            .finish();
        match configuration {
            Ok(c) => settings.configuration = c,
            Err(e) => return Err(one(fail(format!("PDF/A-2a 配置无效（{e:?}）")))),
        }
    }
    let mut tree = Structure::default();
    let mut pdf = PdfDoc::new_with(settings);
    let mut kfonts: HashMap<usize, Font> = HashMap::new();
    let mut images: HashMap<std::path::PathBuf, (Image, Option<Location>)> = HashMap::new();
    for page in &doc.pages {
        let Some(ps) = PageSettings::from_wh(doc.page_width, doc.page_height) else {
            return Err(one(fail("页面尺寸无效".to_string())));
        };
        let mut p = pdf.start_page_with(ps);
        let mut links = Vec::new();
        let mut s = p.surface();
        let mut open: Option<Marked> = None;
        for el in &page.elements {
            match el {
                Element::Text(run) => {
                    let want = match &run.block {
                        Some(b) => Marked::Block(tree.block(b, &run.text)),
                        None => Marked::Pagination,
                    };
                    mark(&mut s, &mut open, want, &mut tree);
                    let font = match kfonts.get(&run.font) {
                        Some(f) => f.clone(),
                        None => {
                            let face = fonts.face(run.font);
                            let data: krilla::Data = face.data.clone().into();
                            let Some(f) = Font::new(data, face.index) else {
                                return Err(one(fail(format!("字体“{}”无法嵌入 PDF", face.name))));
                            };
                            kfonts.insert(run.font, f.clone());
                            f
                        }
                    };
                    let size = run.size;
                    let glyphs: Vec<KrillaGlyph> = run
                        .glyphs
                        .iter()
                        .map(|g| {
                            KrillaGlyph::new(
                                GlyphId::new(g.id),
                                g.advance / size,
                                g.offset / size,
                                0.0,
                                0.0,
                                g.range.clone(),
                                None,
                            )
                        })
                        .collect();
                    s.set_fill(Some(Fill {
                        paint: color(run.color).into(),
                        ..Fill::default()
                    }));
                    s.set_stroke(None);
                    s.draw_glyphs(
                        Point::from_xy(run.x, run.y),
                        &glyphs,
                        font,
                        &run.text,
                        size,
                        false,
                    );
                }
                Element::Rule {
                    x0,
                    x1,
                    y,
                    width,
                    color: c,
                } => {
                    mark(&mut s, &mut open, Marked::Layout, &mut tree);
                    // A filled rectangle: exact thickness, no caps.
                    if let Some(r) = KRect::from_xywh(*x0, y - width / 2.0, x1 - x0, *width) {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(r);
                        if let Some(path) = pb.finish() {
                            s.set_stroke(None);
                            s.set_fill(Some(Fill {
                                paint: color(*c).into(),
                                ..Fill::default()
                            }));
                            s.draw_path(&path);
                        }
                    }
                }
                Element::Frame {
                    rect,
                    width,
                    color: c,
                } => {
                    mark(&mut s, &mut open, Marked::Layout, &mut tree);
                    if let Some(r) = KRect::from_xywh(rect.x, rect.y, rect.w, rect.h) {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(r);
                        if let Some(path) = pb.finish() {
                            s.set_fill(None);
                            s.set_stroke(Some(Stroke {
                                paint: color(*c).into(),
                                width: *width,
                                ..Stroke::default()
                            }));
                            s.draw_path(&path);
                            s.set_stroke(None);
                        }
                    }
                }
                Element::Link { rect, url } => {
                    // In the block whose text it covers (drawn before it).
                    let block = match open {
                        Some(Marked::Block(n)) => Some(n),
                        _ => None,
                    };
                    links.push((*rect, url.clone(), block));
                }
                Element::Image {
                    path,
                    rect,
                    at,
                    alt,
                } => {
                    let img = match images.get(path) {
                        Some((i, _)) => i.clone(),
                        None => {
                            let img = load_image(&issue.files, path, at.as_ref())?;
                            images.insert(path.clone(), (img.clone(), at.clone()));
                            img
                        }
                    };
                    let Some(size) = Size::from_wh(rect.w, rect.h) else {
                        continue;
                    };
                    if open.take().is_some() {
                        s.end_tagged();
                    }
                    let id = s.start_tagged(ContentTag::Other);
                    tree.figure(alt, id);
                    s.push_transform(&krilla::geom::Transform::from_translate(rect.x, rect.y));
                    s.draw_image(img, size);
                    s.pop();
                    s.end_tagged();
                }
            }
        }
        if open.is_some() {
            s.end_tagged();
        }
        s.finish();
        for (rect, url, block) in links {
            let Some(r) = KRect::from_xywh(rect.x, rect.y, rect.w, rect.h) else {
                continue;
            };
            let action: krilla::action::Action = LinkAction::new(url.to_string()).into();
            let annotation = Annotation::new_link(
                LinkAnnotation::new(r, Target::Action(action)),
                Some(url.to_string()),
            );
            match block {
                Some(n) => {
                    let id = p.add_tagged_annotation(annotation);
                    tree.link(n, id);
                }
                None => p.add_annotation(annotation),
            }
        }
        p.finish();
    }
    pdf.set_outline(outline(doc));
    pdf.set_metadata(metadata(issue));
    pdf.set_tag_tree(tree.into_tree(LANG));
    pdf.finish().map_err(|e| match e {
        krilla::error::KrillaError::Validation(v) => {
            let list: Vec<String> = v.iter().map(|(e, _)| validation_cn(e)).collect();
            one(fail(format!(
                "生成的 PDF 不符合 PDF/A-2a 或 PDF/UA-1：{}",
                list.join("；")
            ))
            .with_hint("可在 bulletin.toml 的 [pdf] 中设 standard = \"plain\" 生成普通 PDF"))
        }
        krilla::error::KrillaError::Image(img, _, msg) => {
            let name = images
                .iter()
                .find(|(_, (i, _))| *i == img)
                .and_then(|(p, _)| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let d = fail(format!(
                "图片“{name}”无法嵌入 PDF（{}）",
                writer_reason(&msg)
            ))
            .with_hint("请用看图软件打开并另存为 PNG 或 JPEG 后再试");
            match images.iter().find(|(_, (i, _))| *i == img) {
                Some((_, (_, Some(at)))) => one(Diagnostic {
                    location: Some(at.clone()),
                    ..d
                }),
                Some((path, _)) => one(d.in_file(path)),
                None => one(d),
            }
        }
        krilla::error::KrillaError::Font(font, msg) => {
            let name = kfonts
                .iter()
                .find(|(_, f)| **f == font)
                .map(|(id, _)| fonts.face(*id).name.clone())
                .unwrap_or_default();
            one(fail(format!(
                "字体“{name}”无法嵌入 PDF（{}）",
                writer_reason(&msg)
            ))
            .with_hint(
                "有的字体文件禁止嵌入或已损坏：请在 bulletin.toml 的 [fonts] 中换用其他字体",
            ))
        }
        other => {
            let name = format!("{other:?}");
            let name = name
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or_default()
                .to_string();
            one(fail(format!("PDF 写出失败（内部错误 {name}）")))
        }
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut out = Diagnostics::default();
    out.push(d);
    out
}

fn fail(msg: String) -> Diagnostic {
    Diagnostic::error("E084", msg)
}

/// An image's file name for a message (its place is the diagnostic's
/// location): never an absolute path.
fn shown_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The image at `path` for the PDF, its bytes read through `files` (the
/// issue's: bytes a sign-off digest has read already are not read again).
fn load_image(
    files: &crate::fsutil::read_once::ReadOnce,
    path: &Path,
    at: Option<&Location>,
) -> Result<Image, Diagnostics> {
    use crate::limits::ImageProblem;
    let place = |d: Diagnostic| match at {
        Some(l) => Diagnostic {
            location: Some(l.clone()),
            ..d
        },
        None => d.in_file(path),
    };
    let name = shown_name(path);
    let too_large = |m: String| {
        one(place(fail(format!("图片“{name}”太大，没有嵌入 PDF：{m}")))
            .with_hint(crate::limits::IMAGE_TOO_LARGE_HINT))
    };
    // Its size before it is read: a huge file is not read at all.
    if let Ok(m) = std::fs::metadata(path)
        && let Err(ImageProblem::TooLarge(m)) = crate::limits::check_image_file_size(m.len())
    {
        return Err(too_large(m));
    }
    let bytes = files.image(path).map_err(|p| {
        one(place(fail(format!(
            "无法读取图片“{name}”（{}）",
            p.describe()
        ))))
    })?;
    // The file may have grown since its size was looked at.
    if let Err(ImageProblem::TooLarge(m)) = crate::limits::check_image_file_size(bytes.len() as u64)
    {
        return Err(too_large(m));
    }
    image_from_bytes(bytes).map_err(|e| match e {
        ImageProblem::TooLarge(m) => too_large(m),
        ImageProblem::Unreadable => one(place(fail(format!(
            "图片“{name}”无法嵌入 PDF：不支持的图片格式（只支持 PNG、JPEG、GIF、WebP）"
        )))),
        // The PDF writer's own messages are English: only ours is shown.
        ImageProblem::Damaged(e) => one(place(fail(format!(
            "图片“{name}”无法嵌入 PDF：{}",
            writer_reason(&e)
        )))),
    })
}

/// An image for the PDF, checked from its header before anything decodes
/// it (a header that claims 100,000 × 100,000 pixels never reaches the
/// decoder), and again from the header as krilla's decoder reads it.
fn image_from_bytes(bytes: std::sync::Arc<Vec<u8>>) -> Result<Image, crate::limits::ImageProblem> {
    use crate::limits::{ImageFormat, ImageProblem};
    let info = crate::limits::probe_image(&bytes)?;
    let data: krilla::Data = bytes.into();
    let img = match info.format {
        ImageFormat::Png => Image::from_png(data, false),
        ImageFormat::Jpeg => Image::from_jpeg(data, false),
        ImageFormat::Gif => Image::from_gif(data, false),
        ImageFormat::Webp => Image::from_webp(data, false),
    }
    .map_err(ImageProblem::Damaged)?;
    // The decoder's own reading of the size must be within the limits too.
    let (w, h) = img.size();
    crate::limits::check_dimensions(w.into(), h.into(), 4)?;
    Ok(img)
}

/// A one-page PDF showing only the image `bytes`, through the same checks
/// and decoder as a build (for the `images` fuzz target). The PDF, or why
/// the image was refused.
pub fn image_pdf(bytes: Vec<u8>) -> Result<Vec<u8>, crate::limits::ImageProblem> {
    let img = image_from_bytes(std::sync::Arc::new(bytes))?;
    let mut pdf = PdfDoc::new();
    let Some(ps) = PageSettings::from_wh(200.0, 200.0) else {
        return Err(crate::limits::ImageProblem::Unreadable);
    };
    let mut p = pdf.start_page_with(ps);
    let mut s = p.surface();
    if let Some(size) = Size::from_wh(100.0, 100.0) {
        s.draw_image(img, size);
    }
    s.finish();
    p.finish();
    pdf.finish()
        .map_err(|e| crate::limits::ImageProblem::Damaged(format!("{e:?}")))
}

/// Characters of a bookmark or metadata string at most. A PDF string may
/// hold 32767 bytes (PDF/A, ISO 32000-1 annex C), and krilla writes text
/// strings as UTF-16 (up to 4 bytes a character): 2000 characters keep
/// any title far inside the limit.
const MAX_PDF_STRING_CHARS: usize = 2000;

/// `s` cut to [`MAX_PDF_STRING_CHARS`], marked with `…` when cut.
fn pdf_string(s: &str) -> String {
    match s.char_indices().nth(MAX_PDF_STRING_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A PDF/A rule the document breaks, in Chinese.
fn validation_cn(e: &krilla::configure::ValidationError) -> String {
    let name = format!("{e:?}");
    let name = name.split(['(', ' ', '{']).next().unwrap_or_default();
    match name {
        "TooLongString" => "有一段文字超过了 PDF 允许的长度".to_string(),
        "TooLongName" => "有一个名称超过了 PDF 允许的长度".to_string(),
        "TooLargeFloat" => "有数值超过了 PDF 允许的范围（版面设置的尺寸是否过大？）".to_string(),
        "TooManyIndirectObjects" => "文档太大，对象数超过了 PDF 允许的数目".to_string(),
        "ContainsNotDefGlyph" => "有字体里没有的字".to_string(),
        "Transparency" => "含有透明效果".to_string(),
        "MissingAltText" => "有图片没有替代文字".to_string(),
        "MissingHeadingTitle" => "有标题没有文字".to_string(),
        "MissingAnnotationAltText" => "有链接没有说明文字".to_string(),
        "NoDocumentTitle" => "文档没有标题".to_string(),
        "NoDocumentLanguage" => "文档没有注明语言".to_string(),
        "MissingTagging" => "文档没有结构标记".to_string(),
        _ => format!("规范不允许的内容（{name}）"),
    }
}

/// A message of the PDF writer, kept only when it is Chinese.
fn writer_reason(msg: &str) -> String {
    if crate::text::has_han(msg) {
        msg.to_string()
    } else {
        "文件可能已损坏，或是不支持的类型".to_string()
    }
}

/// Bookmarks: every section heading, holding the titles of its items, and
/// the titles of items in sections without a heading, in order.
fn outline(doc: &Document) -> Outline {
    // The section of each heading and title paragraph.
    let mut section_of: HashMap<usize, Option<usize>> = HashMap::new();
    for page in &doc.pages {
        for el in &page.elements {
            if let Element::Text(run) = el
                && let Some(b) = &run.block
                && matches!(b.kind, LineKind::Title | LineKind::SectionHeading)
            {
                section_of.entry(b.para).or_insert(b.section);
            }
        }
    }
    let mut out = Outline::new();
    // The open section heading: its section and node.
    let mut open: Option<(Option<usize>, OutlineNode)> = None;
    let mut i = 0;
    while i < doc.lines.len() {
        let l = &doc.lines[i];
        if !matches!(l.kind, LineKind::Title | LineKind::SectionHeading) {
            i += 1;
            continue;
        }
        // A title may run over several lines of one paragraph.
        let mut text = l.text.clone();
        let mut j = i + 1;
        while j < doc.lines.len() && doc.lines[j].para == l.para && doc.lines[j].kind == l.kind {
            text.push_str(&doc.lines[j].text);
            j += 1;
        }
        let top = (l.baseline - 30.0).max(0.0);
        let node = OutlineNode::new(
            pdf_string(&text),
            XyzDestination::new(l.page, Point::from_xy(doc.text_block.x, top)),
        );
        let section = section_of.get(&l.para).copied().flatten();
        if l.kind == LineKind::SectionHeading {
            if let Some((_, done)) = open.take() {
                out.push_child(done);
            }
            open = Some((section, node));
        } else {
            match &mut open {
                Some((s, parent)) if section.is_some() && *s == section => parent.push_child(node),
                _ => {
                    if let Some((_, done)) = open.take() {
                        out.push_child(done);
                    }
                    out.push_child(node);
                }
            }
        }
        i = j;
    }
    if let Some((_, done)) = open.take() {
        out.push_child(done);
    }
    out
}

/// Title, author, language and dates, all from the issue.
fn metadata(issue: &Issue) -> Metadata {
    use chrono::Datelike;
    let d = issue.date;
    let date = DateTime::new(d.year().clamp(0, u16::MAX as i32) as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(8)
        .utc_offset_minute(0);
    let mut m = Metadata::new();
    if let Some(code) = &issue.footer.review_code {
        m = m
            .description(format!("送审稿 审核码 {code}"))
            .keywords(vec!["送审稿".to_string(), format!("审核码 {code}")]);
    }
    m.title(pdf_string(&format!(
        "{} {}",
        issue.title,
        issue.number_label()
    )))
    .authors(vec![pdf_string(&issue.publisher)])
    .language(LANG.to_string())
    .creator(format!("bulletin {}", env!("CARGO_PKG_VERSION")))
    .creation_date(date)
}

#[cfg(test)]
mod image_tests {
    use super::*;
    use crate::limits::ImageProblem;

    use crate::typeset::sample::grey_png as png;

    #[test]
    fn a_small_image_is_decoded_into_a_pdf() {
        let pdf = image_pdf(png(30, 20, 20)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_header_bomb_never_reaches_the_decoder() {
        match image_pdf(png(100_000, 100_000, 0)) {
            Err(ImageProblem::TooLarge(m)) => assert!(m.contains("亿像素"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            image_pdf(b"GIF".to_vec()).err(),
            Some(ImageProblem::Unreadable)
        );
    }
}
