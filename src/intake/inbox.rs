//! The inbox folder: where it is, whether it may be used, and what is in
//! it (names decoded, folders of earlier runs and leftovers of killed runs
//! set aside).

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use super::{PROCESSED_DIR, REJECTED_DIR};
use crate::workspace::Workspace;

/// The inbox folder of a workspace.
pub fn inbox_dir(ws: &Workspace) -> PathBuf {
    let p = Path::new(&ws.config.intake.inbox);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        ws.root.join(p)
    }
}

/// The boundary of moves in the inbox: the workspace's when the inbox is
/// inside it (so a symlinked `inbox` is refused), else the configured
/// folder itself, trusted as the editor wrote it.
pub(super) fn inbox_boundary(ws: &Workspace, inbox: &Path) -> crate::fsutil::Boundary {
    if inbox.starts_with(&ws.root)
        && !inbox
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        ws.boundary()
    } else {
        crate::fsutil::Boundary::new(inbox).shown_from(&ws.root)
    }
}

/// Why `inbox` cannot be the inbox: it is the workspace itself, an issue
/// folder, or holds the issues. Intake moves every file it finds there.
pub(super) fn inbox_conflict(ws: &Workspace, inbox: &Path) -> Option<&'static str> {
    let norm = |p: &Path| -> PathBuf {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out.canonicalize().unwrap_or(out)
    };
    let inbox = norm(inbox);
    let root = norm(&ws.root);
    let issues = norm(&ws.issues_dir());
    if inbox == root {
        Some("这是工作区本身")
    } else if root.starts_with(&inbox) {
        Some("它包含了整个工作区")
    } else if inbox.starts_with(&issues) || issues.starts_with(&inbox) {
        Some("它与期目录 issues/ 重叠")
    } else {
        None
    }
}

/// Names editors and browsers give files they have not finished writing.
pub fn is_temp_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with(".~")
        || name.starts_with('~')
        || name.ends_with('~')
        || [
            ".part",
            ".partial",
            ".tmp",
            ".temp",
            ".crdownload",
            ".download",
            ".swp",
            ".!qb",
            ".td",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
}

/// One entry of the inbox to process.
pub(super) struct Entry {
    /// The name as text (see [`file_name_text`]).
    pub name: String,
    pub path: PathBuf,
    /// The name on disk was GB18030, not UTF-8.
    pub name_converted: bool,
}

/// The inbox's entries sorted by name on disk, without the processed/ and
/// rejected/ folders of earlier runs.
pub(super) fn entries(inbox: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries: Vec<(OsString, PathBuf)> = fs::read_dir(inbox)?
        .flatten()
        .map(|e| (e.file_name(), e.path()))
        .collect();
    entries.sort();
    Ok(entries
        .into_iter()
        .map(|(name, path)| {
            let (name, name_converted) = file_name_text(&name);
            Entry {
                name,
                path,
                name_converted,
            }
        })
        .filter(|e| !((e.name == PROCESSED_DIR || e.name == REJECTED_DIR) && e.path.is_dir()))
        .collect())
}

/// Leftovers of a run that was killed: temp files of half-done writes in
/// the issue folder, rejected/ and today's processed/ folder.
pub(super) fn clean_leftovers(issue_dir: &Path, inbox: &Path, today: &str) {
    for d in [
        issue_dir.to_path_buf(),
        inbox.join(REJECTED_DIR),
        inbox.join(PROCESSED_DIR).join(today),
    ] {
        crate::fsutil::clean_stale_temps_in(&d);
    }
}

/// A file name as text. Names in GBK (zip files and shares from Windows)
/// are decoded; the file keeps its name on disk until it is moved, and is
/// moved under the decoded name. `true` when decoded from GB18030.
fn file_name_text(name: &OsStr) -> (String, bool) {
    if let Some(s) = name.to_str() {
        return (s.to_string(), false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(name.as_bytes());
        if !had_errors && !text.contains(['/', '\0']) {
            return (text.into_owned(), true);
        }
    }
    (name.to_string_lossy().into_owned(), false)
}

/// A file's identity on disk: (device, inode).
#[cfg(unix)]
pub(super) fn file_id(m: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(super) fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Every file already moved out of the inbox (under processed/ and
/// rejected/), by identity: (device, inode) → path.
pub(super) fn moved_files(inbox: &Path) -> HashMap<(u64, u64), PathBuf> {
    let mut out = HashMap::new();
    let mut dirs = vec![inbox.join(REJECTED_DIR)];
    if let Ok(rd) = fs::read_dir(inbox.join(PROCESSED_DIR)) {
        dirs.extend(rd.flatten().map(|e| e.path()));
    }
    for d in dirs {
        // Only real folders: a symlink in processed/ leads elsewhere.
        if !fs::symlink_metadata(&d).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            if let Ok(m) = fs::symlink_metadata(e.path())
                && let Some(id) = file_id(&m)
            {
                out.insert(id, e.path());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        for n in [
            "~$稿件.docx",
            "稿件.md.part",
            "稿件.TMP",
            "下载.txt.crdownload",
            ".~lock.稿件.odt#",
            "稿件.md~",
        ] {
            assert!(is_temp_name(n), "{n}");
        }
        for n in ["稿件.md", "南召县民政局_2025-12-03_标题.txt", "partners.md"] {
            assert!(!is_temp_name(n), "{n}");
        }
    }
}
