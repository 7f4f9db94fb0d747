//! Reading the text files of a workspace: UTF-8 only, a BOM and CRLF line
//! ends accepted silently, anything else named with its likely encoding.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostic, LineIndex, Location};
use crate::fsutil::Boundary;

/// A text file as read from disk, normalised to LF without a BOM.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Where its lines start, made at the first diagnostic located in it
    /// (the text is not changed after it is read).
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            lines: OnceLock::new(),
        }
    }

    /// The line index of the text, built once.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Where a byte span of the text is: O(log lines + snippet), so a file
    /// with thousands of problems is located in linear time.
    pub fn locate(&self, span: Range<usize>) -> Location {
        crate::diag::locate_indexed(&self.path, &self.text, self.lines(), span)
    }
}

/// Strip a UTF-8 BOM and turn CRLF (and lone CR) into LF.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// The detector needs a sample, not a 10 MB file: the first 256 KB, cut
/// after a newline (0x0A is never part of a GBK, GB18030 or Big5 character).
fn sample(bytes: &[u8]) -> &[u8] {
    const SAMPLE: usize = 256 * 1024;
    if bytes.len() <= SAMPLE {
        return bytes;
    }
    let head = &bytes[..SAMPLE];
    match head.iter().rposition(|&b| b == b'\n') {
        Some(i) => &head[..=i],
        None => head,
    }
}

/// Characters a Chinese text file is made of: ASCII, Han, full-width
/// punctuation and forms, general punctuation, and Latin, Greek and
/// Cyrillic letters. Bytes decoded with the wrong encoding give Hangul,
/// private-use characters, surrogates or controls instead.
fn plausible(c: char) -> bool {
    if c.is_control() {
        return matches!(c, '\t' | '\n' | '\r' | '\u{c}');
    }
    c.is_ascii()
        || crate::text::is_wide(c)
        || matches!(c as u32, 0x2000..=0x206F | 0x2100..=0x27BF | 0xFF61..=0xFFEF)
        || (c.is_alphabetic() && (c as u32) < 0x0530)
}

/// UTF-16 without a byte order mark: the byte order in which the file
/// reads as Chinese text (95% of the characters plausible) while the other
/// order does not (under 80%). When both do, the NUL bytes decide: ASCII
/// characters (newlines, digits, `+++`) have a zero high byte, second in
/// little-endian and first in big-endian. Valid UTF-8 without any NUL is
/// never taken for UTF-16. Checked on the first 64 KB.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    use encoding_rs::{UTF_16BE, UTF_16LE};
    let n = bytes.len().min(64 * 1024) & !1;
    if n < 4 {
        return None;
    }
    let head = &bytes[..n];
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Share of plausible characters when decoded in one byte order.
    let score = |enc: &'static encoding_rs::Encoding| {
        let (text, _) = enc.decode_without_bom_handling(head);
        let (mut good, mut all) = (0usize, 0usize);
        for c in text.chars() {
            all += 1;
            if plausible(c) {
                good += 1;
            }
        }
        if all == 0 {
            0.0
        } else {
            good as f64 / all as f64
        }
    };
    // Plain text without a NUL byte that is valid UTF-8 is UTF-8.
    if even == 0 && odd == 0 && std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    // One byte order reads as text and the other does not; when both do,
    // the NUL bytes of ASCII characters tell.
    let (le, be) = (score(UTF_16LE), score(UTF_16BE));
    let pick = if le >= 0.95 && (be < 0.8 || odd > even) {
        UTF_16LE
    } else if be >= 0.95 && (le < 0.8 || even > odd) {
        UTF_16BE
    } else {
        return None;
    };
    // Enough to go on: 16 characters, or a short text whose NUL bytes all
    // stand where ASCII characters put them.
    let ascii_pattern = if pick == UTF_16LE {
        odd >= 2 && even == 0
    } else {
        even >= 2 && odd == 0
    };
    (n >= 32 || ascii_pattern).then_some(pick)
}

/// The encoding one line of a file is in, when it says so clearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineEncoding {
    /// ASCII only: the same in every encoding.
    Ascii,
    Utf8,
    Gb18030,
    /// Neither, or not clearly Chinese text in either.
    Unclear,
}

/// Mostly Chinese: at least one non-ASCII character, and 80% of them Han
/// or full-width forms.
fn chinese(s: &str) -> bool {
    let (mut wide, mut other) = (0usize, 0usize);
    for c in s.chars().filter(|c| !c.is_ascii()) {
        if crate::text::is_wide(c) {
            wide += 1;
        } else {
            other += 1;
        }
    }
    wide > 0 && wide >= 4 * other
}

fn line_encoding(line: &[u8]) -> LineEncoding {
    if line.is_ascii() {
        return LineEncoding::Ascii;
    }
    if let Ok(s) = std::str::from_utf8(line) {
        return if chinese(s) {
            LineEncoding::Utf8
        } else {
            LineEncoding::Unclear
        };
    }
    let (s, errors) = encoding_rs::GB18030.decode_without_bom_handling(line);
    if !errors && chinese(&s) {
        LineEncoding::Gb18030
    } else {
        LineEncoding::Unclear
    }
}

/// A file whose lines are in two encodings (part UTF-8, part GB18030: text
/// pasted together from two sources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedEncoding {
    /// The encoding of the first non-ASCII line.
    pub first: &'static str,
    /// The other encoding.
    pub second: &'static str,
    /// 1-based line where the encoding first changes.
    pub line: usize,
    /// Lines in each of the two encodings.
    pub counts: (usize, usize),
    /// The file's text, each line decoded in its own encoding (for a
    /// snippet that shows the real words).
    pub text: String,
    /// Byte offset in `text` where line `line` starts.
    pub at: usize,
}

/// Whether `bytes` mix UTF-8 and GB18030 lines. Linear in the size.
pub fn mixed_encoding(bytes: &[u8]) -> Option<MixedEncoding> {
    let name = |e: LineEncoding| match e {
        LineEncoding::Utf8 => "UTF-8",
        _ => "GB18030",
    };
    let mut first = None;
    let mut change = None;
    let mut counts = (0usize, 0usize);
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let e = line_encoding(line);
        if !matches!(e, LineEncoding::Utf8 | LineEncoding::Gb18030) {
            continue;
        }
        match first {
            None => {
                first = Some(e);
                counts.0 += 1;
            }
            Some(f) if f == e => counts.0 += 1,
            Some(_) => {
                counts.1 += 1;
                change.get_or_insert(n + 1);
            }
        }
    }
    let (first, line) = (first?, change?);
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut at = 0;
    for (n, l) in bytes.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            text.push('\n');
        }
        if n + 1 == line {
            at = text.len();
        }
        match std::str::from_utf8(l) {
            Ok(s) => text.push_str(s),
            Err(_) => text.push_str(&encoding_rs::GB18030.decode_without_bom_handling(l).0),
        }
    }
    let second = match first {
        LineEncoding::Utf8 => LineEncoding::Gb18030,
        _ => LineEncoding::Utf8,
    };
    Some(MixedEncoding {
        first: name(first),
        second: name(second),
        line,
        counts,
        text,
        at,
    })
}

/// Best guess at the encoding of bytes that are not UTF-8.
pub fn guess_encoding(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return "UTF-16LE";
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return "UTF-16BE";
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return enc.name();
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample(bytes), true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// The hint for a file in another encoding: convert it.
fn convert_hint(enc: &str) -> String {
    format!(
        "请用 `bulletin intake` 导入（会自动转换编码），或在编辑器中以 UTF-8 另存（记事本：另存为 → 编码选“UTF-8”；WPS/Word：纯文本 → Unicode (UTF-8)）。也可在命令行转换：iconv -f {enc} -t UTF-8"
    )
}

/// The error for a file whose lines are in two encodings.
pub fn mixed_error(path: &Path, m: &MixedEncoding) -> Diagnostic {
    Diagnostic::error(
        "E006",
        format!(
            "文件混用了两种编码：{} 行是 {}，{} 行是 {}，从第{}行起换成了 {}",
            m.counts.0, m.first, m.counts.1, m.second, m.line, m.second
        ),
    )
    .at(path, &m.text, m.at..m.at + 1)
    .with_hint(format!(
        "常见于把不同来源的文字粘贴进同一个文件。请把第{}行起的文字在原文件里重新复制、粘贴（或重新输入），整个文件以 UTF-8 保存；这样的文件不会被当作某一种编码导入，以免成为乱码",
        m.line
    ))
}

/// Decode bytes as a workspace text file, or explain why not.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    // UTF-16 of ASCII is valid UTF-8 full of NULs: tell it first (with a
    // byte order mark it is named below, at its first character).
    if bytes.contains(&0)
        && !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && let Some(enc) = utf16_without_bom(bytes)
    {
        let name = enc.name();
        return Err(Diagnostic::error(
            "E002",
            format!("文件不是 UTF-8 编码，而是没有 BOM 的 {name} 编码"),
        )
        .in_file(path)
        .with_hint(convert_hint(name)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalize_text(text)),
        Err(e) => {
            if let Some(m) = mixed_encoding(bytes) {
                return Err(mixed_error(path, &m));
            }
            let enc = guess_encoding(bytes);
            let valid = &bytes[..e.valid_up_to()];
            // Point at the first bad byte: line and column of the valid prefix.
            let prefix = String::from_utf8_lossy(valid);
            let mut d =
                Diagnostic::error("E002", format!("文件不是 UTF-8 编码，看起来是 {enc} 编码"))
                    .with_hint(convert_hint(enc));
            let text = format!("{prefix}\u{fffd}");
            let at = prefix.len();
            d = d.at(path, &text, at..at + 3);
            Err(d)
        }
    }
}

/// Text files larger than this are refused unread: no submission or
/// configuration is anywhere near it (10 MB submissions build fine).
pub const MAX_TEXT_BYTES: u64 = crate::fsutil::boundary::MAX_TEXT_BYTES;

/// Read and decode a workspace text file through the boundary `b`: a
/// regular file inside the workspace (a symlink leading out, a FIFO or a
/// device is refused before it is opened), at most [`MAX_TEXT_BYTES`].
pub fn read(b: &Boundary, path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = b
        .read(path, MAX_TEXT_BYTES)
        .map_err(|r| r.read_diagnostic())?;
    let text = decode(path, &bytes)?;
    Ok(SourceFile::new(path, text))
}

/// A Chinese message for an I/O error on reading `path` (the path is
/// shown relative to the workspace when the diagnostic is rendered).
pub fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "找不到文件".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".to_string(),
        _ => format!("无法读取文件（{}）", crate::fsutil::boundary::io_text(e)),
    };
    Diagnostic::error("E001", what).in_file(path)
}

/// An OS error in Chinese (one table for the whole program, kept with the
/// file-system boundary).
pub use crate::fsutil::boundary::io_text as io_reason;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn io_errors_are_chinese() {
        use std::io::{Error, ErrorKind};
        for kind in [
            ErrorKind::NotFound,
            ErrorKind::PermissionDenied,
            ErrorKind::StorageFull,
            ErrorKind::Other,
        ] {
            let r = io_reason(&Error::from(kind));
            assert!(crate::text::has_han(&r) && !r.is_ascii(), "{kind:?}: {r}");
        }
        let r = io_reason(&Error::from_raw_os_error(28)); // ENOSPC
        assert_eq!(r, "磁盘空间已满");
        let d = io_error(Path::new("a.md"), &Error::other("disk on fire"));
        assert!(!d.message.contains("disk"), "{}", d.message);
    }

    #[test]
    fn gb18030_is_recognised() {
        let (bytes, _, _) = encoding_rs::GB18030
            .encode("市民政局召开养老服务领域重点工作视频会议，会议强调要提高政治站位。");
        let err = decode(Path::new("a.md"), &bytes).unwrap_err();
        assert!(err.message.contains("GB18030"), "{}", err.message);
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

    const SUBMISSION: &str = "+++\ntitle = \"市民政局召开会议\"\nunit = \"市局办公室\"\n+++\n\n会议强调，要提高政治站位。\n";

    #[test]
    fn utf16_without_bom_is_named() {
        use encoding_rs::{UTF_16BE, UTF_16LE};
        assert_eq!(utf16_without_bom(&utf16(SUBMISSION, false)), Some(UTF_16LE));
        assert_eq!(utf16_without_bom(&utf16(SUBMISSION, true)), Some(UTF_16BE));
        assert_eq!(utf16_without_bom(&utf16("abc\n", false)), Some(UTF_16LE));
        let han = "民政局召开养老服务会议强调提高政治站位";
        assert_eq!(utf16_without_bom(&utf16(han, true)), Some(UTF_16BE));
        assert_eq!(utf16_without_bom(&utf16(han, false)), Some(UTF_16LE));
        // Not UTF-16: UTF-8, GB18030, a binary file, a UTF-8 file with a NUL.
        assert_eq!(utf16_without_bom(SUBMISSION.as_bytes()), None);
        let (gb, _, _) = encoding_rs::GB18030.encode(SUBMISSION);
        assert_eq!(utf16_without_bom(&gb), None);
        assert_eq!(
            utf16_without_bom(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4"),
            None
        );
        assert_eq!(utf16_without_bom(b"+++\ntitle = \"a\0b\"\n+++\n"), None);
        // Binary junk whose few pairs happen to read as Han.
        assert_eq!(utf16_without_bom(b"\x00\x01\x02\xff\xfe\x00garbage"), None);
        // A short ASCII file: the NUL pattern alone tells.
        assert_eq!(utf16_without_bom(&utf16("n = 39\n", false)), Some(UTF_16LE));
        assert_eq!(guess_encoding(&utf16(SUBMISSION, false)), "UTF-16LE");
        assert_eq!(guess_encoding(&utf16(SUBMISSION, true)), "UTF-16BE");
        let err = decode(Path::new("a.md"), &utf16(SUBMISSION, false)).unwrap_err();
        assert!(err.message.contains("UTF-16LE"), "{}", err.message);
    }

    #[test]
    fn mixed_encodings_are_found_with_their_line() {
        let (gb, _, _) = encoding_rs::GB18030.encode("这一段是国标码。\n还是国标码。\n");
        let mut bytes = SUBMISSION.as_bytes().to_vec();
        bytes.extend_from_slice(&gb);
        let m = mixed_encoding(&bytes).unwrap();
        assert_eq!(
            (m.first, m.second, m.line, m.counts),
            ("UTF-8", "GB18030", 7, (3, 2))
        );
        assert!(m.text[m.at..].starts_with("这一段是国标码。"));
        let d = decode(Path::new("a.md"), &bytes).unwrap_err();
        assert_eq!(d.code, "E006");
        assert_eq!(d.location.as_ref().unwrap().line, 7);
        // One encoding throughout is not mixed.
        let (all_gb, _, _) = encoding_rs::GB18030.encode(SUBMISSION);
        assert!(mixed_encoding(&all_gb).is_none());
        assert!(mixed_encoding(SUBMISSION.as_bytes()).is_none());
    }
}
