//! The workflows, one function per thing a user does: build one issue or
//! all of them, check, sign and unsign, status, list, create (workspace,
//! issue, submission) and intake. Each returns values and diagnostics; the
//! command line only parses arguments, calls one of these and prints.

pub mod build;
pub mod build_all;
pub mod check;
pub mod create;
pub mod intake;
pub mod list;
pub mod sign;
pub mod status;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::Output;

/// The output root: `--out` (relative to the current folder), or
/// `<workspace>/out`.
pub fn out_root(root: &Path, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) if o.is_absolute() => o.to_path_buf(),
        Some(o) => std::env::current_dir()
            .map(|d| d.join(o))
            .unwrap_or_else(|_| o.to_path_buf()),
        None => root.join("out"),
    }
}

/// Files written at once: the disk syncs each, and syncs from several
/// threads share the journal's commits.
const WRITERS: usize = 16;

/// Write rendered outputs all together or not at all: if any cannot be
/// written, every previous output stays as it was.
pub fn write_outputs(outputs: &[Output]) -> Result<(), Diagnostics> {
    for o in outputs {
        // Temp files of a build that was killed mid-write go first.
        crate::fsutil::clean_stale_temps(&o.path);
    }
    let files: Vec<(&Path, &[u8])> = outputs
        .iter()
        .map(|o| (o.path.as_path(), o.bytes.as_slice()))
        .collect();
    crate::fsutil::write_all_atomic(&files, WRITERS).map_err(|(path, e)| {
        one(Diagnostic::error(
            "E050",
            format!(
                "无法写入输出文件（{}），原有的输出都没有改动",
                crate::source::io_reason(&e)
            ),
        )
        .in_file(&path))
    })
}

/// One diagnostic as a list.
pub(crate) fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::default();
    ds.push(d);
    ds
}
