//! Bytes from a county office's computer → normalised UTF-8 text, with
//! every conversion named so the editor can see what was done.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// A file's text after decoding and normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding as found, e.g. `UTF-8`, `UTF-8（带 BOM）`, `GB18030`.
    pub encoding: String,
    /// What was changed, in Chinese, e.g. `GB18030 → UTF-8`, `CRLF → LF`.
    pub conversions: Vec<String>,
}

/// Why bytes could not be read as text (Chinese, for the reason file).
pub type DecodeError = String;

/// Detect the encoding, decode and normalise (CRLF → LF, no BOM, no
/// trailing spaces, one final newline).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut conversions = Vec::new();
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| utf8_error(rest, e))?;
        conversions.push("去掉 BOM".to_string());
        (text.to_string(), "UTF-8（带 BOM）".to_string())
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, UTF_16LE)?, "UTF-16LE".to_string())
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, UTF_16BE)?, "UTF-16BE".to_string())
    } else if let Some(enc) = bytes
        .contains(&0)
        .then(|| crate::source::utf16_without_bom(bytes))
        .flatten()
    {
        // Checked before UTF-8: UTF-16 of ASCII is valid UTF-8 with NULs.
        let text = utf16(bytes, enc)?;
        (text, format!("{}（无 BOM）", enc.name()))
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        check_text(text)?;
        (text.to_string(), "UTF-8".to_string())
    } else {
        if let Some(enc) = crate::source::utf16_without_bom(bytes) {
            // All Han, no NUL: told by which byte order reads as text.
            let text = utf16(bytes, enc)?;
            let encoding = format!("{}（无 BOM）", enc.name());
            return finish(text, encoding, Vec::new());
        }
        if bytes.contains(&0) {
            return Err(not_text());
        }
        if let Some(m) = crate::source::mixed_encoding(bytes) {
            return Err(format!(
                "第{}行：文件混用了两种编码（{} 行 {}，{} 行 {}），从这一行起换成了 {}：按任何一种编码导入都会有乱码，请把整个文件以 UTF-8 重新保存后再提交",
                m.line, m.counts.0, m.first, m.counts.1, m.second, m.second
            ));
        }
        let guess = crate::source::guess_encoding(bytes);
        let enc: &'static Encoding = match guess {
            "GB18030" => GB18030,
            "Big5" => encoding_rs::BIG5,
            other => {
                return Err(format!(
                    "无法识别文件的编码（看起来像 {other}，不是中文常用编码）：请在编辑器中以 UTF-8 另存后重新提交"
                ));
            }
        };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(format!(
                "文件按 {guess} 编码读取时有无法识别的字节，可能已损坏或不是文本文件"
            ));
        }
        check_text(&text)?;
        (text.into_owned(), guess.to_string())
    };
    finish(text, encoding, conversions)
}

/// Name the conversion, drop a BOM left in the text and normalise.
fn finish(
    text: String,
    encoding: String,
    mut conversions: Vec<String>,
) -> Result<Decoded, DecodeError> {
    if !encoding.starts_with("UTF-8") {
        conversions.insert(0, format!("{encoding} → UTF-8"));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let (text, more) = normalise(&text);
    conversions.extend(more);
    Ok(Decoded {
        text,
        encoding,
        conversions,
    })
}

fn not_text() -> DecodeError {
    "不是文本文件（含有二进制内容）：请另存为纯文本（.txt）或 Markdown（.md）".to_string()
}

fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> DecodeError {
    let prefix = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
    let line = prefix.matches('\n').count() + 1;
    format!("第{line}行：文件开头标明是 UTF-8，但这里有无法识别的字节，文件可能已损坏")
}

fn utf16(bytes: &[u8], enc: &'static Encoding) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(format!(
            "{} 文件的字节数是奇数，文件不完整（可能没有复制完）",
            enc.name()
        ));
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(format!("{} 文件里有无法识别的内容，可能已损坏", enc.name()));
    }
    check_text(&text)?;
    Ok(text.into_owned())
}

/// Text with NUL or other C0 controls (besides tab, LF, CR, form feed) is
/// some binary format that happens to decode.
fn check_text(text: &str) -> Result<(), DecodeError> {
    let bad = text
        .chars()
        .filter(|c| {
            c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') && (*c as u32) < 0x20
        })
        .count();
    if bad > 0 {
        return Err(not_text());
    }
    Ok(())
}

/// CRLF and lone CR → LF, trailing spaces (ASCII, tab, full-width) off
/// every line, exactly one newline at the end.
pub fn normalise(text: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    if crlf > 0 {
        notes.push("CRLF → LF".to_string());
    }
    if cr > 0 {
        notes.push("CR → LF".to_string());
    }
    // Word and WPS put a form feed at a page break: Markdown would drop it
    // as blank space at a paragraph's end, so it becomes a line break.
    let ff = text.matches('\u{c}').count();
    if ff > 0 {
        notes.push(format!("{ff} 个分页符 → 换行"));
    }
    let unified = text.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n");
    let mut out = String::with_capacity(unified.len() + 1);
    let mut trimmed = 0usize;
    for line in unified.split('\n') {
        let t = line.trim_end_matches([' ', '\t', '\u{3000}']);
        if t.len() != line.len() {
            trimmed += 1;
        }
        out.push_str(t);
        out.push('\n');
    }
    if trimmed > 0 {
        notes.push(format!("去掉 {trimmed} 行的行尾空格"));
    }
    // `split` yields one piece after the last newline: keep exactly one.
    let body = out.trim_end_matches('\n');
    if out.len() - body.len() > 2 && !body.is_empty() {
        notes.push("去掉文末空行".to_string());
    }
    let out = format!("{body}\n");
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++\ntitle = \"社区养老服务站建成投用\"\n+++\n\n正文第一段。\n";

    #[test]
    fn utf8_plain_is_untouched() {
        let d = decode(TEXT.as_bytes()).unwrap();
        assert_eq!(d.text, TEXT);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.conversions.is_empty(), "{:?}", d.conversions);
    }

    #[test]
    fn gbk_is_converted_and_reported() {
        let (bytes, _, _) = GB18030.encode(TEXT);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, TEXT);
        assert_eq!(d.conversions, vec!["GB18030 → UTF-8".to_string()]);
    }

    #[test]
    fn utf16_both_orders_with_bom() {
        let units: Vec<u16> = TEXT.encode_utf16().collect();
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in &units {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, TEXT);
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        le.pop();
        assert!(decode(&le).unwrap_err().contains("不完整"));
    }

    #[test]
    fn bom_crlf_and_trailing_spaces() {
        let raw = "\u{feff}第一行  \r\n第二行\u{3000}\r\n\r\n\r\n";
        let d = decode(raw.as_bytes()).unwrap();
        assert_eq!(d.text, "第一行\n第二行\n");
        assert!(d.conversions.contains(&"去掉 BOM".to_string()));
        assert!(d.conversions.contains(&"CRLF → LF".to_string()));
        assert!(d.conversions.contains(&"去掉 2 行的行尾空格".to_string()));
    }

    #[test]
    fn form_feed_becomes_a_line_break() {
        // Found by the intake_text fuzz target: a form feed at a line's end
        // vanished in the build, so the text no longer matched the file.
        let d = decode("标题\n第一段。\u{c}\n第二段。\u{c}第三段。\n".as_bytes()).unwrap();
        assert_eq!(d.text, "标题\n第一段。\n\n第二段。\n第三段。\n");
        assert!(d.conversions.contains(&"2 个分页符 → 换行".to_string()));
    }

    #[test]
    fn binary_is_refused() {
        let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01";
        assert!(decode(zip).unwrap_err().contains("不是文本文件"));
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_without_bom_is_converted() {
        let le = decode(&utf16(TEXT, false)).unwrap();
        assert_eq!(le.text, TEXT);
        assert_eq!(le.encoding, "UTF-16LE（无 BOM）");
        assert_eq!(le.conversions[0], "UTF-16LE（无 BOM） → UTF-8");
        let be = decode(&utf16(TEXT, true)).unwrap();
        assert_eq!(be.text, TEXT);
        assert_eq!(be.encoding, "UTF-16BE（无 BOM）");
        // Han alone, not one NUL byte.
        let han = "民政局召开养老服务会议强调提高政治站位切实保障困难群众基本生活";
        assert_eq!(decode(&utf16(han, false)).unwrap().text, format!("{han}\n"));
    }

    #[test]
    fn mixed_encodings_are_refused() {
        let (gbk, _, _) = GB18030.encode("第三段是从另一个文件复制来的国标码文字。\n");
        let mut bytes = "+++\ntitle = \"社区养老服务站建成投用\"\n+++\n\n正文第一段。\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(&gbk);
        let e = decode(&bytes).unwrap_err();
        assert!(e.starts_with("第6行：文件混用了两种编码"), "{e}");
        assert!(e.contains("GB18030"), "{e}");
    }
}
