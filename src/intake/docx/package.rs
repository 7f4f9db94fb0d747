//! The zip container of a .docx, opened with limits: a bounded number of
//! entries, no suspicious entry names, every part read with a cap on its
//! declared and its actual inflated size, and a cap on all parts together.
//! Parts are only ever read into memory by their (case-insensitive) name;
//! nothing is extracted to disk by an entry's name.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

/// Most entries a Word document is expected to hold (a long document with
/// many images has a few hundred).
pub const MAX_ENTRIES: usize = 2000;
/// Largest inflated size of one XML part.
pub const MAX_PART: u64 = 50 << 20;
/// Largest inflated size of all parts read, images included.
pub const MAX_TOTAL: u64 = 200 << 20;

/// Why a file is refused, in Chinese for the reason file.
pub type Refusal = String;

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → name as stored (OPC names ignore case).
    names: HashMap<String, String>,
    /// Bytes inflated so far.
    used: u64,
}

/// The number of entries the end-of-central-directory record claims, so
/// that a zip claiming millions of entries is refused before its central
/// directory is read. `None` when there is no such record (not a zip).
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let from = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[from..];
    let at = tail.windows(4).rposition(|w| w == EOCD)?;
    let rec = tail.get(at..at + 22)?;
    Some(u16::from_le_bytes([rec[10], rec[11]]) as usize)
}

fn suspicious_name(name: &str) -> bool {
    name.starts_with('/')
        || name.starts_with('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|c| c == "..")
}

fn zip_problem(e: &ZipError, what: &str) -> Refusal {
    match e {
        ZipError::UnsupportedArchive(m) if m.contains("assword") => {
            "文件设置了密码（加密）：请在 Word/WPS 中取消密码后另存为 .docx 再提交".to_string()
        }
        ZipError::InvalidPassword => {
            "文件设置了密码（加密）：请在 Word/WPS 中取消密码后另存为 .docx 再提交".to_string()
        }
        ZipError::CompressionMethodNotSupported(_) | ZipError::UnsupportedArchive(_) => format!(
            "{what}使用了 Word 不会使用的压缩方式，无法读取：请在 Word/WPS 中打开后另存为 .docx 再提交"
        ),
        _ => format!(
            "{what}已损坏，无法解压（{e}）：可能没有复制完整，请在 Word/WPS 中打开后另存为 .docx 再提交"
        ),
    }
}

impl<'a> Package<'a> {
    /// Open the container; refuse what is not a zip, holds too many
    /// entries or names an entry outside itself.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, Refusal> {
        match declared_entries(bytes) {
            Some(n) if n > MAX_ENTRIES => {
                return Err(too_many(n));
            }
            _ => {}
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_problem(&e, "文件"))?;
        if zip.len() > MAX_ENTRIES {
            return Err(too_many(zip.len()));
        }
        let mut names = HashMap::new();
        for name in zip.file_names() {
            let name = name.map_err(|e| zip_problem(&e, "文件"))?;
            if suspicious_name(&name) {
                return Err(format!(
                    "压缩包里有指向包外的条目名“{}”，不是正常的 Word 文档（可能是恶意构造的文件），未读取",
                    name.chars().take(80).collect::<String>()
                ));
            }
            names.insert(name.to_lowercase(), name.into_owned());
        }
        Ok(Package {
            zip,
            names,
            used: 0,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_lowercase())
    }

    /// The inflated bytes of a part, `None` when there is no such part.
    /// At most `cap` bytes, and within what is left of [`MAX_TOTAL`]; both
    /// the size the entry declares and the bytes actually inflated are
    /// checked, so a lying header does not get past.
    pub fn read(&mut self, name: &str, cap: u64) -> Result<Option<Vec<u8>>, Refusal> {
        let Some(stored) = self.names.get(&name.to_lowercase()).cloned() else {
            return Ok(None);
        };
        let left = MAX_TOTAL.saturating_sub(self.used);
        let limit = cap.min(left);
        let what = format!("其中的 {stored} ");
        let file = match self.zip.by_name(&stored) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_problem(&e, &what)),
        };
        if file.encrypted() {
            return Err(zip_problem(&ZipError::InvalidPassword, &what));
        }
        if !matches!(
            file.compression(),
            zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
        ) {
            return Err(zip_problem(&ZipError::UnsupportedArchive("method"), &what));
        }
        let too_big = |size: u64| {
            if size > cap {
                format!(
                    "{stored} 解压后超过 {} MB（可能是“压缩炸弹”），未读取：请检查文件是否正常",
                    cap >> 20
                )
            } else {
                format!(
                    "文件解压后总大小超过 {} MB（可能是“压缩炸弹”），未读取：请检查文件是否正常",
                    MAX_TOTAL >> 20
                )
            }
        };
        if file.size() > limit {
            return Err(too_big(file.size()));
        }
        let mut out = Vec::with_capacity(file.size().min(limit) as usize);
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                if e.to_string().contains("declared") {
                    format!(
                        "{stored} 解压后比它声明的大小大（可能是“压缩炸弹”），未读取：请检查文件是否正常"
                    )
                } else {
                    format!(
                        "{what}已损坏，无法解压（{e}）：可能没有复制完整，请在 Word/WPS 中打开后另存为 .docx 再提交"
                    )
                }
            })?;
        if out.len() as u64 > limit {
            return Err(too_big(out.len() as u64));
        }
        self.used += out.len() as u64;
        Ok(Some(out))
    }
}

fn too_many(n: usize) -> Refusal {
    format!("压缩包里有 {n} 个条目（上限 {MAX_ENTRIES}），不像是一篇稿件的 Word 文档，未读取")
}

/// `base` joined with a relationship target, as a part name: `word/` +
/// `media/image1.png` → `word/media/image1.png`; `/word/x` is absolute.
/// `None` when the target climbs out of the package.
pub fn resolve_target(base_dir: &str, target: &str) -> Option<String> {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            resolve_target("word", "media/image1.png").as_deref(),
            Some("word/media/image1.png")
        );
        assert_eq!(
            resolve_target("word", "/word/media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            resolve_target("word", "../media/a.png").as_deref(),
            Some("media/a.png")
        );
        assert_eq!(resolve_target("word", "../../etc/passwd"), None);
    }

    #[test]
    fn names() {
        assert!(suspicious_name("../evil.png"));
        assert!(suspicious_name("word/../../evil"));
        assert!(suspicious_name("/etc/passwd"));
        assert!(suspicious_name("C:\\x"));
        assert!(!suspicious_name("word/media/image1.png"));
        assert!(!suspicious_name("word/..media"));
    }
}
