//! The PDF writer: a typeset [`Document`] to PDF bytes with krilla. The only
//! code that touches krilla. Fonts are embedded as subsets with ToUnicode
//! maps (text is searchable and copyable); metadata comes from the issue
//! only, so the same input gives the same bytes; PDF/A-2b by default.

use std::collections::HashMap;
use std::path::Path;

use krilla::Document as PdfDoc;
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect as KRect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts::FontSet;
use crate::model::Issue;
use crate::typeset::{Document, Element, LayoutConfig, TypesetOptions};
use crate::workspace::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Standard {
    /// PDF/A-2b, checked at export.
    #[default]
    #[serde(rename = "pdf/a-2b", alias = "pdfa-2b", alias = "a2b")]
    PdfA2b,
    /// A plain PDF 1.7.
    Plain,
}

/// `[pdf]` of bulletin.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfConfig {
    /// `"pdf/a-2b"` (default) or `"plain"`.
    pub standard: Standard,
}

/// Typeset and write the issue's PDF.
pub fn render(
    issue: &Issue,
    config: Option<&Config>,
    opts: TypesetOptions,
) -> Result<(Vec<u8>, Diagnostics), Diagnostics> {
    let layout = config.and_then(|c| c.layout.clone()).unwrap_or_default();
    check_layout(&layout, &issue.root)?;
    let mut fonts = match config {
        Some(c) => FontSet::from_config(c, &issue.root)?,
        None => FontSet::defaults(true),
    };
    let mut warnings = std::mem::take(&mut fonts.warnings);
    let found = fonts.missing_glyphs(issue);
    if found.has_errors() && !opts.allow_missing_glyphs {
        return Err(found);
    }
    // With --allow-missing-glyphs the typesetter warns at each placeholder.
    warnings
        .items
        .extend(found.items.into_iter().filter(|d| !d.is_error()));
    let doc = crate::typeset::typeset(issue, &mut fonts, &layout, opts)?;
    warnings.extend(doc.warnings.clone());
    let standard = config
        .and_then(|c| c.pdf.as_ref())
        .map(|p| p.standard)
        .unwrap_or_default();
    let bytes = write(issue, &doc, &fonts, standard)?;
    Ok((bytes, warnings))
}

fn check_layout(layout: &LayoutConfig, root: &Path) -> Result<(), Diagnostics> {
    let problems = layout.problems();
    if problems.is_empty() {
        return Ok(());
    }
    let path = root.join(crate::workspace::config::CONFIG_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut d = Diagnostics::default();
    for (key, msg) in problems {
        let diag = Diagnostic::error("E082", msg);
        d.push(match text.find(key) {
            Some(p) => diag.at(&path, &text, p..p + key.len()),
            None => diag.in_file(&path),
        });
    }
    Err(d)
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
    let mut settings = krilla::SerializeSettings::default();
    if standard == Standard::PdfA2b {
        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish();
        match configuration {
            Ok(c) => settings.configuration = c,
            Err(e) => return Err(one(fail(format!("PDF/A-2b 配置无效（{e:?}）")))),
        }
    }
    let mut pdf = PdfDoc::new_with(settings);
    let mut kfonts: HashMap<usize, Font> = HashMap::new();
    let mut images: HashMap<std::path::PathBuf, Image> = HashMap::new();
    for page in &doc.pages {
        let Some(ps) = PageSettings::from_wh(doc.page_width, doc.page_height) else {
            return Err(one(fail("页面尺寸无效".to_string())));
        };
        let mut p = pdf.start_page_with(ps);
        let mut s = p.surface();
        for el in &page.elements {
            match el {
                Element::Text(run) => {
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
                Element::Image { path, rect } => {
                    let img = match images.get(path) {
                        Some(i) => i.clone(),
                        None => {
                            let img = load_image(path)?;
                            images.insert(path.clone(), img.clone());
                            img
                        }
                    };
                    let Some(size) = Size::from_wh(rect.w, rect.h) else {
                        continue;
                    };
                    s.push_transform(&krilla::geom::Transform::from_translate(rect.x, rect.y));
                    s.draw_image(img, size);
                    s.pop();
                }
            }
        }
        s.finish();
        p.finish();
    }
    pdf.set_metadata(metadata(issue));
    pdf.finish().map_err(|e| match e {
        krilla::error::KrillaError::Validation(v) => {
            let list: Vec<String> = v.iter().map(|(e, _)| format!("{e:?}")).collect();
            one(
                fail(format!("生成的 PDF 不符合 PDF/A-2b：{}", list.join("；"))).with_hint(
                    "可在 bulletin.toml 的 [pdf] 中设 standard = \"plain\" 生成普通 PDF",
                ),
            )
        }
        other => one(fail(format!("PDF 写出失败（{other:?}）"))),
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

fn load_image(path: &Path) -> Result<Image, Diagnostics> {
    let bytes =
        std::fs::read(path).map_err(|e| one(fail(format!("无法读取图片（{e}）")).in_file(path)))?;
    let kind = imagesize::image_type(&bytes).ok();
    let data: krilla::Data = bytes.into();
    let r = match kind {
        Some(imagesize::ImageType::Png) => Image::from_png(data, true),
        Some(imagesize::ImageType::Jpeg) => Image::from_jpeg(data, true),
        Some(imagesize::ImageType::Gif) => Image::from_gif(data, true),
        Some(imagesize::ImageType::Webp) => Image::from_webp(data, true),
        _ => Err("不支持的图片格式（只支持 PNG、JPEG、GIF、WebP）".to_string()),
    };
    r.map_err(|e| one(fail(format!("图片无法嵌入 PDF：{e}")).in_file(path)))
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
    Metadata::new()
        .title(format!("{} {}", issue.title, issue.number_label()))
        .authors(vec![issue.publisher.clone()])
        .language("zh-CN".to_string())
        .creator(format!("bulletin {}", env!("CARGO_PKG_VERSION")))
        .creation_date(date)
}
