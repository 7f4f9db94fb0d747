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

use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

pub use convert::readable_name;
pub use inbox::{inbox_dir, is_temp_name};
pub use report::{Outcome, Report, Row};

use crate::diag::{Diagnostic, Diagnostics, display_path};
pub use crate::fsutil::names::{move_unique, write_unique};
use crate::workspace::Workspace;

pub const PROCESSED_DIR: &str = "processed";
pub const REJECTED_DIR: &str = "rejected";
/// Files larger than this are refused without being read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

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
    let lock = lock::IntakeLock::acquire(&ws.root).map_err(one)?;
    let mut report = Report {
        issue: dir.number,
        issue_dir: dir.path.clone(),
        inbox: inbox.clone(),
        rows: Vec::new(),
        stale_lock: lock.stale.clone(),
        created_inbox: false,
    };
    if !open_inbox(&inbox).map_err(one)? {
        report.created_inbox = true;
        return Ok(report);
    }
    let entries = inbox::entries(&inbox).map_err(|e| one(crate::source::io_error(&inbox, &e)))?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    inbox::clean_leftovers(&dir.path, &inbox, &today);
    let run = convert::Run {
        ws,
        opts,
        issue_dir: &dir.path,
        inbox: &inbox,
        today,
        settle: opts
            .settle
            .unwrap_or(Duration::from_secs(ws.config.intake.settle_seconds)),
        moved: inbox::moved_files(&inbox),
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
fn open_inbox(inbox: &Path) -> Result<bool, Diagnostic> {
    match fs::metadata(inbox) {
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => Err(
            Diagnostic::error("E062", "收件箱应当是一个文件夹，这里却是一个文件").in_file(inbox),
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(inbox).map_err(|e| {
                Diagnostic::error("E062", format!("无法创建收件箱（{e}）")).in_file(inbox)
            })?;
            Ok(false)
        }
        Err(e) => Err(crate::source::io_error(inbox, &e)),
    }
}

/// The path as shown to the user, relative to the workspace.
pub fn shown(ws: &Workspace, p: &Path) -> String {
    display_path(p, Some(&ws.root))
}
