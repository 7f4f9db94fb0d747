//! The printed text a reviewer signed, kept so that a stale sign-off can
//! show exactly what changed: at signing, each item's text is stored under
//! `.bulletin/signed/<item digest>.txt` in the workspace (content-addressed,
//! written once); `status` and a refused `--final` diff it, character by
//! character, against the item as it is now.

use std::path::{Path, PathBuf};

use similar::{ChangeTag, TextDiff};

use super::Record;
use super::digest::item_digest;
use crate::fsutil::Boundary;
use crate::model::{Issue, Item};

/// Where signed texts are kept, relative to the workspace.
pub const SIGNED_DIR: &str = ".bulletin/signed";

/// How many characters of unchanged text to show around a change.
const CONTEXT: usize = 8;

/// An item as a reader reads it: title, body, （unit）.
pub fn item_text(item: &Item) -> String {
    let mut s = String::new();
    if let Some(t) = &item.title {
        s.push_str(t);
        s.push('\n');
    }
    s.push_str(item.plain_text().trim_end());
    s.push_str(&item.attribution());
    s
}

fn file_of(root: &Path, digest: &str) -> PathBuf {
    root.join(SIGNED_DIR).join(format!("{digest}.txt"))
}

/// Keep the text of every item of `issue` (best effort: a failure only
/// means a later change cannot be shown in detail).
pub fn store(b: &Boundary, issue: &Issue) {
    for section in &issue.sections {
        for item in &section.items {
            let digest = item_digest(item, section.style, &issue.files);
            let path = file_of(&issue.root, &digest);
            if std::fs::symlink_metadata(&path).is_ok() {
                continue;
            }
            let _ = b.write_new(&path, item_text(item).as_bytes());
        }
    }
}

/// Where each draft's list of items is kept, by review code.
pub const DRAFTS_DIR: &str = ".bulletin/drafts";

/// Keep what the draft with review code `code` printed: each item's text
/// and a list of `file\tdigest\tlabel` lines.
pub fn store_draft(b: &Boundary, issue: &Issue, code: &str) {
    store(b, issue);
    let path = issue.root.join(DRAFTS_DIR).join(format!("{code}.txt"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return;
    }
    let mut list = String::new();
    for section in &issue.sections {
        for item in &section.items {
            let label = super::digest::item_label(item).replace(['\t', '\n'], " ");
            list.push_str(&format!(
                "{}\t{}\t{label}\n",
                item.file_name(),
                item_digest(item, section.style, &issue.files)
            ));
        }
    }
    let _ = b.write_new(&path, list.as_bytes());
}

/// What changed since the draft with review code `code`, one line per item;
/// `None` when that draft is not known here.
pub fn explain_since_draft(b: &Boundary, issue: &Issue, code: &str) -> Option<Vec<String>> {
    let path = issue.root.join(DRAFTS_DIR).join(format!("{code}.txt"));
    let bytes = b
        .read(&path, crate::fsutil::boundary::MAX_TEXT_BYTES)
        .ok()?;
    let list = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for line in list.lines() {
        let mut f = line.splitn(3, '\t');
        let (Some(file), Some(digest), Some(label)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        seen.push(file.to_string());
        let now = issue.sections.iter().find_map(|s| {
            s.items
                .iter()
                .find(|i| i.file_name() == file)
                .map(|i| (i, item_digest(i, s.style, &issue.files)))
        });
        match now {
            None => out.push(format!("删去了{label}")),
            Some((_, d)) if d == digest => {}
            Some((item, _)) => {
                let old = b
                    .read(
                        &file_of(&issue.root, digest),
                        crate::fsutil::boundary::MAX_TEXT_BYTES,
                    )
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                out.push(format!("{label}：{}", char_diff(&old, &item_text(item))));
            }
        }
    }
    for item in issue.items() {
        if !seen.contains(&item.file_name()) {
            out.push(format!("新增了{}", super::digest::item_label(item)));
        }
    }
    if out.is_empty() {
        out.push("文字没有变化，版式、字体或模板有改动".to_string());
    }
    Some(out)
}

/// What changed in each edited item since `record` was signed, one line
/// per item: its label and the changed text with a little context.
pub fn explain(b: &Boundary, issue: &Issue, record: &Record) -> Vec<String> {
    let mut out = Vec::new();
    for section in &issue.sections {
        for item in &section.items {
            let Some(signed) = record.items.iter().find(|i| i.file == item.file_name()) else {
                continue;
            };
            let now = item_digest(item, section.style, &issue.files);
            if signed.digest == now {
                continue;
            }
            let path = file_of(&issue.root, &signed.digest);
            let Ok(bytes) = b.read(&path, crate::fsutil::boundary::MAX_TEXT_BYTES) else {
                continue;
            };
            let old = String::from_utf8_lossy(&bytes);
            let diff = char_diff(&old, &item_text(item));
            if !diff.is_empty() {
                out.push(format!("{}：{diff}", signed.label));
            }
        }
    }
    out
}

/// The changes from `old` to `new`: deleted text as 〔删：…〕, inserted as
/// 〔增：…〕, with up to `CONTEXT` unchanged characters around each, runs
/// of unchanged text between changes shortened to ……; empty when equal.
pub fn char_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_chars(old, new);
    // Group the characters into runs of one kind.
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for c in diff.iter_all_changes() {
        let v = c.value().replace('\n', "⏎");
        match runs.last_mut() {
            Some((tag, s)) if *tag == c.tag() => s.push_str(&v),
            _ => runs.push((c.tag(), v)),
        }
    }
    if runs.iter().all(|(t, _)| *t == ChangeTag::Equal) {
        return String::new();
    }
    let n = runs.len();
    let mut out = String::new();
    for (k, (tag, s)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Delete => out.push_str(&format!("〔删：{s}〕")),
            ChangeTag::Insert => out.push_str(&format!("〔增：{s}〕")),
            ChangeTag::Equal => {
                let chars: Vec<char> = s.chars().collect();
                let (first, last) = (k == 0, k + 1 == n);
                if chars.len() <= 2 * CONTEXT || (first && chars.len() <= CONTEXT) {
                    out.push_str(s);
                } else if first {
                    out.push('…');
                    out.extend(&chars[chars.len() - CONTEXT..]);
                } else if last {
                    out.extend(&chars[..CONTEXT]);
                    out.push('…');
                } else {
                    out.extend(&chars[..CONTEXT]);
                    out.push_str("……");
                    out.extend(&chars[chars.len() - CONTEXT..]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_is_shown_with_context() {
        let old = "11月27日，市民政局召开全市养老服务工作推进会，部署今冬明春工作。";
        let new = "11月27日，市民政局召开全市殡葬服务工作推进会，部署今冬明春工作。";
        let d = char_diff(old, new);
        assert_eq!(
            d,
            "11月27日，市民政局召开全市〔删：养老〕〔增：殡葬〕服务工作推进会，…"
        );
        let long = format!("{}{old}", "前文".repeat(20));
        let changed = format!("{}{new}", "前文".repeat(20));
        assert!(char_diff(&long, &changed).starts_with("…市民政局召开全市〔删：养老〕"));
        assert_eq!(char_diff(old, old), "");
    }
}
