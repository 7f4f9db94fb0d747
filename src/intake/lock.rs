//! The intake lock: `.bulletin-intake.lock` in the workspace root, a
//! [`FileLock`] held for the whole run. A second intake is refused at once
//! rather than made to wait.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::fsutil::Boundary;
use crate::fsutil::boundary::LockRefused;
use crate::fsutil::lock::{FileLock, describe_holder};

pub const LOCK_FILE: &str = ".bulletin-intake.lock";

/// Held while alive; the lock is released (and the file emptied) on drop.
#[derive(Debug)]
pub struct IntakeLock {
    _lock: FileLock,
    pub path: PathBuf,
    /// What a previous run that did not finish left in the file.
    pub stale: Option<String>,
}

impl IntakeLock {
    /// Take the lock, or say who holds it.
    pub fn acquire(b: &Boundary, root: &Path) -> Result<IntakeLock, Diagnostic> {
        let path = root.join(LOCK_FILE);
        match b.lock(&path, Duration::ZERO) {
            Ok(lock) => Ok(IntakeLock {
                path,
                stale: lock.stale.as_deref().map(describe_holder),
                _lock: lock,
            }),
            Err(LockRefused::Held { holder }) => Err(Diagnostic::error(
                "E061",
                format!(
                    "另一个 bulletin intake 正在运行（{}），本次没有处理任何文件",
                    describe_holder(&holder)
                ),
            )
            .in_file(&path)
            .with_hint("等它结束后再运行；同一时间只能有一个导入在处理收件箱")),
            Err(LockRefused::Refused(r)) => {
                let d = r.diagnostic("写入导入锁文件");
                Err(Diagnostic { code: "E060", ..d })
            }
        }
    }
}
