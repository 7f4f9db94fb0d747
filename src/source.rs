//! Reading the text files of a workspace: UTF-8 only, a BOM and CRLF line
//! ends accepted silently, anything else named with its likely encoding.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// A text file as read from disk, normalised to LF without a BOM.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
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
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// A Chinese message for an I/O error on reading `path` (the path is
/// shown relative to the workspace when the diagnostic is rendered).
pub fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "找不到文件".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".to_string(),
        _ => format!("无法读取文件（{}）", io_reason(e)),
    };
    Diagnostic::error("E001", what).in_file(path)
}

/// What went wrong in an I/O error, in Chinese: the one translation of
/// the operating system's (English) messages. Every message about a
/// failed read, write or move names the reason through this.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "路径里的符号链接太多或形成了循环".to_string();
    }
    let s = match e.kind() {
        K::NotFound => "找不到文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::DirectoryNotEmpty => "目录不是空的",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::StorageFull => "磁盘空间已满",
        K::QuotaExceeded => "超出了磁盘配额",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名无效或太长",
        K::CrossesDevices => "不能跨磁盘移动",
        K::TooManyLinks => "硬链接太多",
        K::ResourceBusy | K::ExecutableFileBusy | K::WouldBlock => "文件正被别的程序占用",
        K::Interrupted => "操作被中断",
        K::TimedOut => "操作超时",
        K::UnexpectedEof => "文件没有读完就结束了，可能不完整",
        K::InvalidData => "文件内容无效",
        K::InvalidInput => "参数或路径无效",
        K::OutOfMemory => "内存不足",
        K::StaleNetworkFileHandle => "网络盘上的文件已失效（网络盘可能断开了）",
        K::NetworkDown
        | K::NetworkUnreachable
        | K::HostUnreachable
        | K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected => "网络盘无法访问",
        K::Unsupported => "系统不支持这个操作",
        K::WriteZero => "没能写入任何内容（磁盘可能已满）",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误，代码 {code}"),
                None => "未知的系统错误".to_string(),
            };
        }
    };
    s.to_string()
}

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
}
