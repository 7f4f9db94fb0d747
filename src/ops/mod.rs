//! The workflows, one function per thing a user does: build one issue or
//! all of them, check, sign and unsign, status, list, create (workspace,
//! issue, submission) and intake. Each returns values and diagnostics; the
//! command line only parses arguments, calls one of these and prints.

pub mod build;
pub mod build_all;
pub mod check;
pub mod create;
pub mod fix;
pub mod fonts;
pub mod intake;
pub mod keys;
pub mod list;
pub mod presentation;
pub mod sign;
pub mod status;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsutil::Boundary;
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

/// The boundary of writes below the output root `out`: the workspace's
/// when `out` is inside it (so a planted `out` symlink is refused), else
/// the `--out` folder itself, trusted as the editor gave it.
pub fn out_boundary(root: &Path, out: &Path) -> Boundary {
    let inside = out.starts_with(root)
        && !out
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
    if inside {
        Boundary::new(root)
    } else {
        Boundary::new(out).shown_from(root)
    }
}

/// Files written at once: the disk syncs each, and syncs from several
/// threads share the journal's commits.
const WRITERS: usize = 16;

/// Write rendered outputs all together or not at all: if any cannot be
/// written, every previous output stays as it was.
/// Nothing is written through a symlink (see [`Boundary`]).
pub fn write_outputs(b: &Boundary, outputs: &[Output]) -> Result<(), Diagnostics> {
    let refused = |r: crate::fsutil::Refused| {
        let d = r.diagnostic("写入");
        one(Diagnostic {
            message: format!("无法写入输出文件：{}，原有的输出都没有改动", d.message),
            code: if d.code == "E001" { "E050" } else { d.code },
            ..d
        })
    };
    for o in outputs {
        b.check_write(&o.path).map_err(refused)?;
    }
    for o in outputs {
        // Temp files of a build that was killed mid-write go first.
        crate::fsutil::clean_stale_temps(&o.path);
    }
    let files: Vec<(&Path, &[u8])> = outputs
        .iter()
        .map(|o| (o.path.as_path(), o.bytes.as_slice()))
        .collect();
    b.write_all_atomic(&files, WRITERS).map_err(refused)
}

/// One diagnostic as a list.
pub(crate) fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::default();
    ds.push(d);
    ds
}
