//! Reading the text files of a workspace: UTF-8 only, a BOM and CRLF line
//! ends accepted silently, anything else named with its likely encoding.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostic, LineIndex, Location};

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

/// Best guess at the encoding of bytes that are not UTF-8.
pub fn guess_encoding(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return "UTF-16LE";
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return "UTF-16BE";
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

/// Decode bytes as a workspace text file, or explain why not.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalize_text(text)),
        Err(e) => {
            let enc = guess_encoding(bytes);
            let valid = &bytes[..e.valid_up_to()];
            // Point at the first bad byte: line and column of the valid prefix.
            let prefix = String::from_utf8_lossy(valid);
            let mut d = Diagnostic::error(
                "E002",
                format!("文件不是 UTF-8 编码，看起来是 {enc} 编码"),
            )
            .with_hint(format!(
                "请用 `bulletin intake` 导入（会自动转换编码），或在编辑器中以 UTF-8 另存（记事本：另存为 → 编码选“UTF-8”；WPS/Word：纯文本 → Unicode (UTF-8)）。也可在命令行转换：iconv -f {enc} -t UTF-8"
            ));
            let text = format!("{prefix}\u{fffd}");
            let at = prefix.len();
            d = d.at(path, &text, at..at + 3);
            Err(d)
        }
    }
}

/// Text files larger than this are refused unread: no submission or
/// configuration is anywhere near it (10 MB submissions build fine).
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Read and decode a workspace text file.
pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
    if let Ok(m) = std::fs::metadata(path)
        && m.is_file()
        && m.len() > MAX_TEXT_BYTES
    {
        return Err(Diagnostic::error(
            "E004",
            format!(
                "文件太大（{:.1} MB），超过了 {} MB 的上限，没有读取",
                m.len() as f64 / 1048576.0,
                MAX_TEXT_BYTES >> 20
            ),
        )
        .in_file(path)
        .with_hint("请检查是否放错了文件；稿件一般只有几十 KB"));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    let text = decode(path, &bytes)?;
    Ok(SourceFile::new(path, text))
}

/// A Chinese message for an I/O error on `path`.
pub fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "找不到文件".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".to_string(),
        _ => format!("无法读取文件（{e}）"),
    };
    Diagnostic::error("E001", what).in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn gb18030_is_recognised() {
        let (bytes, _, _) = encoding_rs::GB18030
            .encode("市民政局召开养老服务领域重点工作视频会议，会议强调要提高政治站位。");
        let err = decode(Path::new("a.md"), &bytes).unwrap_err();
        assert!(err.message.contains("GB18030"), "{}", err.message);
    }
}
