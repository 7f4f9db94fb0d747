//! File names: made safe from free text, and taken without ever replacing
//! a file (`name.ext`, then `name-2.ext`, `name-3.ext`, …).

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::sync_dir;

/// How many names are tried before giving up.
const MAX_CANDIDATES: usize = 10_000;

/// `text` as a file name (without extension) that is safe on Windows and
/// Linux: separators, characters Windows forbids, control characters,
/// bidirectional controls and zero-width characters become `-`,
/// any whitespace a plain space; at most 40 characters, without leading or
/// trailing dots, dashes or spaces. Empty when nothing is left: the caller
/// picks a fallback.
pub fn file_name_safe(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_control()
                || is_invisible_format(c)
                || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            {
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

/// Bidirectional controls and zero-width characters: in a file name they
/// make it look like another name (or read backwards).
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The `n`th candidate: `base.ext`, `base-2.ext`, `base-3.ext`, … (no dot
/// when `ext` is empty).
fn candidate(base: &str, ext: &str, n: usize) -> String {
    let dot = if ext.is_empty() { "" } else { "." };
    if n == 1 {
        format!("{base}{dot}{ext}")
    } else {
        format!("{base}-{n}{dot}{ext}")
    }
}

/// Where the search for a free `dir/base.ext` last ended, so that many
/// files of one name (a batch of same-titled drops) are named in linear
/// time, not each trying `-2`, `-3`, … again. Only a hint: a name is still
/// taken with create-new (or a hard link), never by trusting it.
static NEXT: Mutex<Option<HashMap<NameKey, usize>>> = Mutex::new(None);

/// Folder, base name and extension.
type NameKey = (PathBuf, String, String);

/// Try candidates from the remembered suffix on: `take` returns
/// `Ok(Some(x))` when it took the name, `Ok(None)` when the name is in use.
fn first_free<T>(
    dir: &Path,
    base: &str,
    ext: &str,
    mut take: impl FnMut(&str) -> Result<Option<T>, UniqueError>,
) -> Result<T, UniqueError> {
    let key = (dir.to_path_buf(), base.to_string(), ext.to_string());
    let start = NEXT
        .lock()
        .ok()
        .and_then(|m| m.as_ref().and_then(|m| m.get(&key).copied()))
        .unwrap_or(1);
    // From the hint to the end, then (names freed since) from the start.
    let order = (start..=MAX_CANDIDATES).chain(1..start);
    for n in order {
        if let Some(x) = take(&candidate(base, ext, n))? {
            if let Ok(mut m) = NEXT.lock() {
                m.get_or_insert_with(HashMap::new).insert(key, n + 1);
            }
            return Ok(x);
        }
    }
    Err(UniqueError::TooMany)
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
            UniqueError::Io { error, .. } => f.write_str(&super::boundary::io_text(error)),
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
    first_free(dir, base, ext, |name| {
        let path = dir.join(name);
        match super::write_new(&path, bytes) {
            Ok(()) => Ok(Some(path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
            Err(error) => Err(UniqueError::Io { path, error }),
        }
    })
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
    first_free(dir, &base, &ext, |cand| {
        let dest = dir.join(cand);
        match fs::hard_link(src, &dest) {
            Ok(()) => {
                sync_dir(dir);
                fs::remove_file(src).map_err(io_err(src))?;
                if let Some(parent) = src.parent() {
                    sync_dir(parent);
                }
                Ok(Some(dest))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
            // No hard links here (some network shares): the caller holds a
            // lock, so a checked rename is safe against other movers.
            Err(_) if fs::symlink_metadata(&dest).is_err() => {
                fs::rename(src, &dest).map_err(io_err(&dest))?;
                sync_dir(dir);
                Ok(Some(dest))
            }
            Err(_) => Ok(None),
        }
    })
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
        assert_eq!(file_name_safe("../../x"), "x");
        assert_eq!(file_name_safe("a/b\u{1b}[31m\u{202e}c"), "a-b-[31m-c");
        assert_eq!(file_name_safe(".."), "");
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
    fn many_same_names_do_not_retry_every_suffix() {
        let dir = std::env::temp_dir().join(format!("bulletin-many-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for _ in 0..100 {
            write_unique(&dir, "同名", "md", b"x").unwrap();
        }
        // Each name after the first starts where the last one ended: the
        // 101st tries one name, not 101.
        let mut tries = 0;
        let p = first_free(&dir, "同名", "md", |name| {
            tries += 1;
            Ok((!dir.join(name).exists()).then(|| name.to_string()))
        })
        .unwrap();
        assert_eq!((p.as_str(), tries), ("同名-101.md", 1));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 100);
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
