//! An item's blocks as HTML. Everything that comes from a submission is
//! escaped here; the result is handed to the templates as safe markup.
//!
//! Only a fixed set of tags is ever produced: p, br, strong, em, code, a
//! (http, https and mailto targets only, already filtered by the model),
//! h3–h6, ol, ul, li, blockquote, figure, img (data: URIs of raster images
//! only), figcaption, pre, span, div, table, thead, tbody, tr, th, td.

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::markdown::safe_link;
use crate::model::{Align, Block, Image, Inline, Item, Table};

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Renders the body of one item; collects warnings (images the web edition
/// cannot show).
pub struct BodyWriter<'a> {
    item: &'a Item,
    out: String,
    pub warnings: Diagnostics,
    /// Heading level of the item title; headings inside the item go below.
    title_level: u8,
    /// Where image files are read (the issue's, to read each once).
    files: crate::fsutil::read_once::ReadOnce,
}

impl<'a> BodyWriter<'a> {
    pub fn new(item: &'a Item, title_level: u8) -> Self {
        BodyWriter {
            item,
            out: String::with_capacity(item.source.text.len() + 256),
            warnings: Diagnostics::default(),
            title_level,
            files: Default::default(),
        }
    }

    /// Read images through `files` (the issue's [`crate::model::Issue::files`]):
    /// bytes already read for the sign-off digest or the PDF are not read
    /// again.
    pub fn with_files(mut self, files: &crate::fsutil::read_once::ReadOnce) -> Self {
        self.files = files.clone();
        self
    }

    /// The item's blocks, its attribution （unit） ending the last paragraph.
    pub fn render(mut self) -> (String, Diagnostics) {
        let tail = self.item.attribution();
        let blocks = &self.item.blocks;
        self.blocks(blocks, Some(&tail));
        (self.out, self.warnings)
    }

    fn inlines(&mut self, content: &[Inline]) {
        for i in content {
            match i {
                Inline::Break => self.out.push_str("<br>"),
                Inline::Text(r) => {
                    // Defence in depth: the model already drops unsafe links.
                    let link = r.link.as_deref().and_then(safe_link);
                    if let Some(url) = &link {
                        self.out.push_str("<a href=\"");
                        escape_into(&mut self.out, url);
                        self.out.push_str("\" rel=\"noopener noreferrer\">");
                    }
                    if r.style.strong {
                        self.out.push_str("<strong>");
                    }
                    if r.style.emphasis {
                        self.out.push_str("<em>");
                    }
                    if r.style.code {
                        self.out.push_str("<code>");
                    }
                    escape_into(&mut self.out, &r.text);
                    if r.style.code {
                        self.out.push_str("</code>");
                    }
                    if r.style.emphasis {
                        self.out.push_str("</em>");
                    }
                    if r.style.strong {
                        self.out.push_str("</strong>");
                    }
                    if link.is_some() {
                        self.out.push_str("</a>");
                    }
                }
            }
        }
    }

    fn unit(&mut self, tail: &str) {
        self.out.push_str("<span class=\"unit\">");
        escape_into(&mut self.out, tail);
        self.out.push_str("</span>");
    }

    fn blocks(&mut self, content: &[Block], tail: Option<&str>) {
        // The attribution joins the last paragraph, if the item ends in one.
        let ends_in_para = matches!(content.last(), Some(Block::Paragraph(_)));
        let last = content.len().saturating_sub(1);
        for (i, b) in content.iter().enumerate() {
            match b {
                Block::Paragraph(p) => {
                    self.out.push_str("<p>");
                    self.inlines(p);
                    if ends_in_para
                        && i == last
                        && let Some(t) = tail
                    {
                        self.unit(t);
                    }
                    self.out.push_str("</p>\n");
                }
                Block::Heading { level, content } => {
                    let h = (self.title_level + *level).min(6);
                    let _ = write!(self.out, "<h{h} class=\"sub{}\">", (*level).min(4));
                    self.inlines(content);
                    let _ = writeln!(self.out, "</h{h}>");
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    if *ordered {
                        if *start == 1 {
                            self.out.push_str("<ol>");
                        } else {
                            let _ = write!(self.out, "<ol start=\"{start}\">");
                        }
                    } else {
                        self.out.push_str("<ul>");
                    }
                    for item in items {
                        self.out.push_str("<li>");
                        self.blocks(item, None);
                        self.out.push_str("</li>");
                    }
                    self.out
                        .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
                }
                Block::Quote(inner) => {
                    self.out.push_str("<blockquote>");
                    self.blocks(inner, None);
                    self.out.push_str("</blockquote>\n");
                }
                Block::Image(img) => self.image(img),
                Block::Code(code) => {
                    self.out.push_str("<pre>");
                    escape_into(&mut self.out, code);
                    self.out.push_str("</pre>\n");
                }
                Block::Table(t) => self.table(t),
            }
        }
        if !ends_in_para && let Some(t) = tail {
            self.out.push_str("<p class=\"unit-line\">");
            self.unit(t);
            self.out.push_str("</p>\n");
        }
    }

    /// A table in a box that scrolls sideways on a narrow screen; its
    /// cells wrap, so most tables fit a phone without scrolling.
    fn table(&mut self, t: &Table) {
        let align = |k: usize| match t.align.get(k) {
            Some(Align::Left) => " class=\"l\"",
            Some(Align::Center) => " class=\"c\"",
            Some(Align::Right) => " class=\"r\"",
            _ => "",
        };
        self.out
            .push_str("<div class=\"table\" role=\"region\" aria-label=\"表格\" tabindex=\"0\"><table>\n<thead><tr>");
        for (k, cell) in t.header.iter().enumerate() {
            let _ = write!(self.out, "<th scope=\"col\"{}>", align(k));
            self.inlines(Table::cell(cell));
            self.out.push_str("</th>");
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in &t.rows {
            self.out.push_str("<tr>");
            for (k, cell) in row.iter().enumerate() {
                let _ = write!(self.out, "<td{}>", align(k));
                self.inlines(Table::cell(cell));
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody></table></div>\n");
    }

    fn image(&mut self, img: &Image) {
        self.out.push_str("<figure>");
        // Never embed (or read) more than an image may have: the model has
        // refused larger ones, but the file may have grown since.
        let read = match std::fs::metadata(&img.path) {
            Ok(m) if m.len() > crate::limits::MAX_IMAGE_FILE_BYTES => Err(format!(
                "有 {:.1} MB，超过了 {} MB 的上限",
                m.len() as f64 / 1048576.0,
                crate::limits::MAX_IMAGE_FILE_BYTES >> 20
            )),
            _ => match self.files.image(&img.path) {
                Ok(b) if b.len() as u64 > crate::limits::MAX_IMAGE_FILE_BYTES => Err(format!(
                    "有 {:.1} MB，超过了 {} MB 的上限",
                    b.len() as f64 / 1048576.0,
                    crate::limits::MAX_IMAGE_FILE_BYTES >> 20
                )),
                r => r.map_err(|p| p.describe()),
            },
        };
        match read {
            Ok(bytes) => match raster_mime(&bytes) {
                Some(mime) => {
                    if bytes.len() > LARGE_IMAGE {
                        self.warn(
                            img,
                            "W071",
                            format!(
                                "图片“{}”有 {:.1} MB，嵌入网页版后手机打开会很慢",
                                img.src,
                                bytes.len() as f64 / (1024.0 * 1024.0)
                            ),
                            "建议把图片缩小到 2000 像素宽以内、1 MB 以下（JPEG 质量 80 左右即可）",
                        );
                    }
                    let _ = write!(self.out, "<img src=\"data:{mime};base64,");
                    base64_into(&mut self.out, &bytes);
                    self.out.push('"');
                    // The size lets the browser reserve the space before
                    // decoding (no text jumping on slow phones).
                    if let Some((w, h)) = raster_size(&bytes) {
                        let _ = write!(self.out, " width=\"{w}\" height=\"{h}\"");
                    }
                    self.out.push_str(" alt=\"");
                    escape_into(&mut self.out, &img.caption);
                    self.out.push_str("\">");
                }
                None => self.warn(
                    img,
                    "W070",
                    format!(
                        "网页版只能嵌入 JPEG、PNG、GIF、WebP 图片，“{}”不是这几种格式，网页版只印图片说明",
                        img.src
                    ),
                    "请把图片另存为 JPEG 或 PNG 后再引用",
                ),
            },
            Err(e) => self.warn(
                img,
                "W070",
                format!(
                    "无法读取图片“{}”（{}），网页版只印图片说明",
                    img.src, e
                ),
                "检查图片文件是否存在、是否有读取权限",
            ),
        }
        if !img.caption.trim().is_empty() {
            self.out.push_str("<figcaption>");
            escape_into(&mut self.out, &img.caption);
            self.out.push_str("</figcaption>");
        }
        self.out.push_str("</figure>\n");
    }

    fn warn(&mut self, img: &Image, code: &'static str, msg: String, hint: &str) {
        let text = &self.item.source.text;
        let end = text[img.offset.min(text.len())..]
            .find(')')
            .map_or(img.offset, |e| img.offset + e + 1);
        self.warnings.push(
            Diagnostic::warning(code, msg)
                .at(&self.item.source.path, text, img.offset..end)
                .with_hint(hint),
        );
    }
}

/// Images larger than this get a warning: they are embedded in the page.
const LARGE_IMAGE: usize = 2 * 1024 * 1024;

/// The MIME type of a raster image a browser shows, from its first bytes
/// (never from the file name, which a submitter controls).
pub fn raster_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Width and height in pixels of a PNG, GIF, JPEG or WebP image, read from
/// its header; `None` when the header is not understood.
pub fn raster_size(b: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| Some(u32::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])));
    let le16 = |i: usize| Some(u32::from(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?])));
    let le24 = |i: usize| {
        Some(u32::from_le_bytes([
            *b.get(i)?,
            *b.get(i + 1)?,
            *b.get(i + 2)?,
            0,
        ]))
    };
    let size = match raster_mime(b)? {
        "image/png" if b.get(12..16) == Some(b"IHDR") => {
            let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
            let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
            (w, h)
        }
        "image/gif" => (le16(6)?, le16(8)?),
        "image/jpeg" => {
            // Walk the segments to the first start-of-frame marker.
            let mut i = 2;
            loop {
                while b.get(i)? == &0xFF && b.get(i + 1)? == &0xFF {
                    i += 1;
                }
                if *b.get(i)? != 0xFF {
                    return None;
                }
                let marker = *b.get(i + 1)?;
                let len = be16(i + 2)? as usize;
                let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if sof {
                    break (be16(i + 7)?, be16(i + 5)?);
                }
                if len < 2 {
                    return None;
                }
                i += 2 + len;
            }
        }
        "image/webp" => match b.get(12..16)? {
            b"VP8 " => (le16(26)? & 0x3FFF, le16(28)? & 0x3FFF),
            b"VP8L" => {
                let v = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                ((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1)
            }
            b"VP8X" => (le24(24)? + 1, le24(27)? + 1),
            _ => return None,
        },
        _ => return None,
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, appended to `out`.
pub fn base64_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(b: &[u8]) -> String {
        let mut s = String::new();
        base64_into(&mut s, b);
        s
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(b64(b""), "");
        assert_eq!(b64(b"f"), "Zg==");
        assert_eq!(b64(b"fo"), "Zm8=");
        assert_eq!(b64(b"foo"), "Zm9v");
        assert_eq!(b64(b"foob"), "Zm9vYg==");
        assert_eq!(b64(b"fooba"), "Zm9vYmE=");
        assert_eq!(b64(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64(&[0xFF, 0xFE, 0xFD]), "//79");
    }

    #[test]
    fn mime_comes_from_content_not_name() {
        assert_eq!(raster_mime(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(raster_mime(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(raster_mime(b"GIF89a..."), Some("image/gif"));
        assert_eq!(raster_mime(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(raster_mime(b"<svg onload=alert(1)>"), None);
        assert_eq!(raster_mime(b""), None);
    }

    #[test]
    fn raster_sizes_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(raster_size(&png), Some((640, 480)));

        let gif = b"GIF89a\x20\x03\x58\x02rest";
        assert_eq!(raster_size(gif), Some((800, 600)));

        // SOI, an APP0 segment, then SOF0 with height 300, width 400.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0x2C, 0x01, 0x90, 0x03,
        ];
        assert_eq!(raster_size(&jpeg), Some((400, 300)));
        // DHT (0xC4) is not a frame header.
        let jpeg_dht = [
            0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x02, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00,
            0x20,
        ];
        assert_eq!(raster_size(&jpeg_dht), Some((32, 16)));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        webp.extend([0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]); // 1920 × 1080, minus one
        assert_eq!(raster_size(&webp), Some((1920, 1080)));

        // Truncated or unknown: no size, no panic.
        assert_eq!(raster_size(&png[..18]), None);
        assert_eq!(raster_size(&jpeg[..9]), None);
        assert_eq!(raster_size(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(raster_size(b"RIFF\0\0\0\0WEBPVP8Z"), None);
    }

    #[test]
    fn raster_size_survives_garbage() {
        // xorshift: deterministic pseudo-random bytes after each magic.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let magics: [&[u8]; 6] = [
            b"\x89PNG\r\n\x1a\n",
            &[0xFF, 0xD8, 0xFF],
            b"GIF89a",
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"RIFF\0\0\0\0WEBPVP8L",
            b"RIFF\0\0\0\0WEBPVP8X",
        ];
        for m in magics {
            for len in 0..64 {
                for _ in 0..50 {
                    let mut b = m.to_vec();
                    b.extend((0..len).map(|_| (next() & 0xFF) as u8));
                    let _ = raster_size(&b);
                }
            }
        }
    }

    #[test]
    fn escape_covers_attribute_quotes() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;"
        );
    }
}
