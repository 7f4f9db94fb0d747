//! `bulletin check N --fix`: apply the certain fixes of [`crate::check::fix`]
//! to the submissions of an issue, each changed file written atomically
//! through the workspace boundary (a kill leaves it old or new), with a
//! unified diff of each.

use std::path::PathBuf;

use crate::check::fix;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Item;
use crate::source::MAX_TEXT_BYTES;
use crate::workspace::Workspace;

/// One submission the fixes change.
#[derive(Debug)]
pub struct FixedFile {
    pub path: PathBuf,
    /// Unified diff, paths relative to the workspace.
    pub diff: String,
    pub edits: usize,
}

/// What `--fix` did (or, with `dry_run`, would do).
#[derive(Debug)]
pub struct FixReport {
    pub number: u32,
    pub files: Vec<FixedFile>,
    /// Files with fixes that were left alone, with why (warnings).
    pub skipped: Diagnostics,
    pub dry_run: bool,
}

/// The file's bytes as they are on disk for `text`: a UTF-8 BOM and CRLF
/// line ends kept, when the file had them.
fn encode(text: &str, bom: bool, crlf: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    if crlf {
        out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics { items: vec![d] }
}

/// Fix issue `number` (default: the newest). Loading errors come back as
/// they are; a file that cannot be written stops the run (files written
/// before it stay fixed, each whole).
pub fn fix(ws: &Workspace, number: Option<u32>, dry_run: bool) -> Result<FixReport, Diagnostics> {
    let (issue, _) = crate::model::load_issue(ws, number)?;
    // Items by source file, in order of first appearance.
    let mut files: Vec<(PathBuf, Vec<&Item>)> = Vec::new();
    for item in issue.items() {
        match files.iter_mut().find(|(p, _)| *p == item.source.path) {
            Some((_, items)) => items.push(item),
            None => files.push((item.source.path.clone(), vec![item])),
        }
    }
    let b = ws.boundary();
    let mut report = FixReport {
        number: issue.number,
        files: Vec::new(),
        skipped: Diagnostics::default(),
        dry_run,
    };
    for (path, items) in files {
        let text = &items[0].source.text;
        let edits = fix::edits(text, &items);
        if edits.is_empty() {
            continue;
        }
        let new = fix::apply(text, &edits);
        // Only a file whose bytes are its text (UTF-8, maybe with a BOM
        // and CRLF) is rewritten: a converted one (.docx, GBK) is not.
        let raw = b
            .read(&path, MAX_TEXT_BYTES)
            .map_err(|r| one(r.read_diagnostic()))?;
        let bom = raw.starts_with("\u{feff}".as_bytes());
        let crlf = raw.windows(2).any(|w| w == b"\r\n");
        if encode(text, bom, crlf) != raw {
            report.skipped.push(
                Diagnostic::warning(
                    "W090",
                    format!(
                        "有 {} 处可自动改正，但这个文件不是纯文本稿件或换行不统一，没有修改",
                        edits.len()
                    ),
                )
                .in_file(&path)
                .with_hint("请按 bulletin check 列出的问题手工改正"),
            );
            continue;
        }
        let rel = path
            .strip_prefix(&ws.root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let diff = similar::TextDiff::from_lines(text.as_str(), new.as_str())
            .unified_diff()
            .context_radius(1)
            .header(&format!("a/{rel}"), &format!("b/{rel}"))
            .to_string();
        if !dry_run {
            b.write_atomic(&path, &encode(&new, bom, crlf))
                .map_err(|r| one(r.diagnostic("写入")))?;
        }
        report.files.push(FixedFile {
            path,
            diff,
            edits: edits.len(),
        });
    }
    Ok(report)
}
