//! `bulletin intake`: files that county offices drop into the inbox become
//! submissions of an issue. Every file ends up in exactly one place:
//!
//! - accepted: a normalised UTF-8 copy in `issues/<N>/`, the original bytes
//!   moved to `inbox/processed/<date>/`;
//! - rejected: moved to `inbox/rejected/` with `<name>.原因.txt` beside it;
//! - left in the inbox for the next run (still being written, temp names).
//!
//! Nothing is deleted and nothing is overwritten. Validation is the build's
//! own code (`submission::parse`, `markdown::parse_body`). One intake runs
//! at a time (see [`lock`]).
//!
//! `inbox` lists the inbox, `convert` takes one file through the
//! steps, `moves` puts it in processed/ or rejected/, `report` is what
//! the run returns.

mod convert;
pub mod decode;
pub mod docx;
mod inbox;
pub mod lock;
mod moves;
mod report;
pub mod txt;
mod word;

use std::path::Path;
use std::time::Duration;

pub use convert::readable_name;
pub use inbox::{inbox_dir, is_temp_name};
pub use report::{Outcome, Report, Row};

use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::fsutil::Boundary;
pub use crate::fsutil::names::{move_unique, write_unique};
use crate::workspace::Workspace;

pub const PROCESSED_DIR: &str = "processed";
pub const REJECTED_DIR: &str = "rejected";
/// Files larger than this are refused without being read.
pub const MAX_FILE_BYTES: u64 = crate::fsutil::boundary::MAX_TEXT_BYTES;

/// Suffix of the reason file written beside a rejected file.
pub const REASON_SUFFIX: &str = ".原因.txt";

/// How one intake run is asked to behave.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Issue number; the newest issue when absent.
    pub issue: Option<u32>,
    /// Unit, date and category for `.txt` files whose name does not say.
    pub defaults: txt::Defaults,
    /// Overrides `[intake] settle_seconds`.
    pub settle: Option<Duration>,
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::default();
    ds.push(d);
    ds
}

/// Run intake over the workspace's inbox.
pub fn run(ws: &Workspace, opts: &Options) -> Result<Report, Diagnostics> {
    let dir = ws.find_issue(opts.issue)?;
    check_categories(ws, opts).map_err(one)?;
    let inbox = inbox_dir(ws);
    check_inbox_place(ws, &inbox).map_err(one)?;
    let inbox_b = inbox::inbox_boundary(ws, &inbox);
    let ws_b = ws.boundary();
    let lock = lock::IntakeLock::acquire(&ws_b, &ws.root).map_err(one)?;
    let mut report = Report {
        issue: dir.number,
        issue_dir: dir.path.clone(),
        inbox: inbox.clone(),
        rows: Vec::new(),
        stale_lock: lock.stale.clone(),
        created_inbox: false,
    };
    if !open_inbox(&inbox_b, &inbox).map_err(one)? {
        report.created_inbox = true;
        return Ok(report);
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    // Every folder intake writes to or moves into is a real folder, not a
    // symlink leading elsewhere: checked before any file is touched.
    ws_b.real_dir(&dir.path)
        .map_err(|r| one(r.diagnostic("写入")))?;
    for d in [
        inbox.join(REJECTED_DIR),
        inbox.join(PROCESSED_DIR),
        inbox.join(PROCESSED_DIR).join(&today),
    ] {
        inbox_b
            .real_dir(&d)
            .map_err(|r| one(r.diagnostic("移动文件")))?;
    }
    let entries = inbox::entries(&inbox).map_err(|e| one(crate::source::io_error(&inbox, &e)))?;
    inbox::clean_leftovers(&dir.path, &inbox, &today);
    let run = convert::Run {
        ws,
        opts,
        ws_b,
        inbox_b,
        issue_dir: &dir.path,
        inbox: &inbox,
        today,
        settle: opts
            .settle
            .unwrap_or(Duration::from_secs(ws.config.intake.settle_seconds)),
        moved: inbox::moved_files(&inbox),
        issue_texts: Default::default(),
    };
    for e in entries {
        let mut row = run.one_file(&e.name, &e.path);
        if e.name_converted {
            row.conversions
                .insert(0, "文件名 GB18030 → UTF-8".to_string());
        }
        report.rows.push(row);
    }
    drop(lock);
    Ok(report)
}

/// The sections named by `[intake] category` and `--category` exist.
fn check_categories(ws: &Workspace, opts: &Options) -> Result<(), Diagnostic> {
    if let Some(c) = &ws.config.intake.category
        && ws.config.section(c).is_none()
    {
        let d = Diagnostic::error(
            "E017",
            format!("[intake] 的 category“{c}”没有在 bulletin.toml 的栏目中定义"),
        )
        .with_hint(ws.config.unknown_section_hint(c));
        return Err(ws.config.located.at_value(d, "intake.category"));
    }
    if let Some(c) = &opts.defaults.category
        && ws.config.section(c).is_none()
    {
        let hint = ws.config.unknown_section_hint(c);
        return Err(Diagnostic::error(
            "E017",
            format!("--category 给的栏目“{c}”没有在 bulletin.toml 中定义，没有处理任何文件"),
        )
        .in_file(&ws.config.source().path)
        .with_hint(hint));
    }
    Ok(())
}

/// The configured inbox is not the workspace or an issue folder.
fn check_inbox_place(ws: &Workspace, inbox: &Path) -> Result<(), Diagnostic> {
    let Some(why) = inbox::inbox_conflict(ws, inbox) else {
        return Ok(());
    };
    let d = Diagnostic::error(
        "E063",
        format!("收件箱不能设为“{}”：{why}", ws.config.intake.inbox),
    )
    .with_hint("在 bulletin.toml 的 [intake] 里把 inbox 设为一个专用目录，例如 inbox = \"inbox\"");
    Err(ws.config.located.at_key(d, "intake.inbox"))
}

/// Whether the inbox folder was there; a missing one is created (and so
/// holds nothing to do).
fn open_inbox(b: &Boundary, inbox: &Path) -> Result<bool, Diagnostic> {
    match b.real_dir(inbox) {
        Ok(true) => Ok(true),
        Ok(false) => {
            b.ensure_dir(inbox)
                .map_err(|r| r.diagnostic("创建收件箱"))?;
            Ok(false)
        }
        Err(r) => Err(r.diagnostic("使用收件箱")),
    }
}

/// The path as shown to the user, relative to the workspace.
pub fn shown(ws: &Workspace, p: &Path) -> String {
    display_path(p, Some(&ws.root))
}
