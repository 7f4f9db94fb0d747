//! File names: made safe from free text, and taken without ever replacing
//! a file (`name.ext`, then `name-2.ext`, `name-3.ext`, …).

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::sync_dir;

/// How many names are tried before giving up.
const MAX_CANDIDATES: usize = 10_000;

/// `text` as a file name (without extension) that is safe on Windows and
/// Linux: characters Windows forbids and control characters become `-`,
/// any whitespace a plain space; at most 40 characters, without leading or
/// trailing dots, dashes or spaces. Empty when nothing is left: the caller
/// picks a fallback.
pub fn file_name_safe(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else if c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .take(40)
        .collect();
    s.trim_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
        .to_string()
}

/// `base.ext`, `base-2.ext`, `base-3.ext`, … (no dot when `ext` is empty).
fn candidates(base: &str, ext: &str) -> impl Iterator<Item = String> {
    let ext = if ext.is_empty() {
        String::new()
    } else {
        format!(".{ext}")
    };
    let base = base.to_string();
    (1u32..)
        .map(move |n| {
            if n == 1 {
                format!("{base}{ext}")
            } else {
                format!("{base}-{n}{ext}")
            }
        })
        .take(MAX_CANDIDATES)
}

/// Why no free name could be taken.
#[derive(Debug)]
pub enum UniqueError {
    /// Every candidate name is taken.
    TooMany,
    /// Creating `path` (or moving the file there) failed.
    Io { path: PathBuf, error: io::Error },
}

impl fmt::Display for UniqueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UniqueError::TooMany => f.write_str("同名文件太多"),
            UniqueError::Io { error, .. } => f.write_str(&crate::source::io_reason(error)),
        }
    }
}

impl std::error::Error for UniqueError {}

/// Write `bytes` atomically under `dir/base.ext`, or `base-2.ext`, … —
/// never over an existing file.
pub fn write_unique(
    dir: &Path,
    base: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<PathBuf, UniqueError> {
    for name in candidates(base, ext) {
        let path = dir.join(&name);
        match super::write_new(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(UniqueError::Io { path, error }),
        }
    }
    Err(UniqueError::TooMany)
}

/// Move `src` into `dir` under `name` (or `stem-2.ext`, …), never
/// replacing a file: a hard link to the new name, then the old name goes.
/// Within one filesystem this is atomic per name; no byte is copied.
/// Where there are no hard links (some network shares) a rename to a name
/// checked to be free is used: the caller must hold a lock against other
/// movers into `dir`.
pub fn move_unique(src: &Path, dir: &Path, name: &str) -> Result<PathBuf, UniqueError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |error| UniqueError::Io { path, error }
    };
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let p = Path::new(name);
    let (base, ext) = match (p.file_stem(), p.extension()) {
        (Some(s), Some(e)) => (
            s.to_string_lossy().into_owned(),
            e.to_string_lossy().into_owned(),
        ),
        _ => (name.to_string(), String::new()),
    };
    for cand in candidates(&base, &ext) {
        let dest = dir.join(&cand);
        match fs::hard_link(src, &dest) {
            Ok(()) => {
                sync_dir(dir);
                fs::remove_file(src).map_err(io_err(src))?;
                if let Some(parent) = src.parent() {
                    sync_dir(parent);
                }
                return Ok(dest);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            // No hard links here (some network shares): the caller holds a
            // lock, so a checked rename is safe against other movers.
            Err(_) if !dest.exists() && fs::symlink_metadata(&dest).is_err() => {
                fs::rename(src, &dest).map_err(io_err(&dest))?;
                sync_dir(dir);
                return Ok(dest);
            }
            Err(_) => continue,
        }
    }
    Err(UniqueError::TooMany)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names() {
        assert_eq!(file_name_safe("市局办公室-同名稿件"), "市局办公室-同名稿件");
        assert_eq!(
            file_name_safe("a/b:c*d?\"e\"<f>|g\\h"),
            "a-b-c-d--e--f--g-h"
        );
        assert_eq!(file_name_safe(" ..标题\u{3000}一\t.. "), "标题 一");
        assert_eq!(file_name_safe("?/."), "");
        assert_eq!(file_name_safe(&"字".repeat(50)).chars().count(), 40);
    }

    #[test]
    fn write_unique_numbers_taken_names() {
        let dir = std::env::temp_dir().join(format!("bulletin-unique-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let names: Vec<String> = ["一", "二", "三"]
            .iter()
            .map(|c| {
                let p = write_unique(&dir, "稿件", "md", c.as_bytes()).unwrap();
                p.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(names, ["稿件.md", "稿件-2.md", "稿件-3.md"]);
        assert_eq!(fs::read_to_string(dir.join("稿件.md")).unwrap(), "一");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn move_unique_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("bulletin-move-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("in")).unwrap();
        let mut dests = Vec::new();
        for content in ["一", "二", "三"] {
            let src = dir.join("in/稿件.md");
            fs::write(&src, content).unwrap();
            dests.push(move_unique(&src, &dir.join("out"), "稿件.md").unwrap());
            assert!(!src.exists());
        }
        let names: Vec<String> = dests
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["稿件.md", "稿件-2.md", "稿件-3.md"]);
        let contents: Vec<String> = dests
            .iter()
            .map(|p| fs::read_to_string(p).unwrap())
            .collect();
        assert_eq!(contents, ["一", "二", "三"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
