//! The intake lock: `.bulletin-intake.lock` in the workspace root, a
//! [`FileLock`] held for the whole run. A second intake is refused at once
//! rather than made to wait.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::fsutil::lock::{FileLock, LockError, describe_holder};

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
    pub fn acquire(root: &Path) -> Result<IntakeLock, Diagnostic> {
        let path = root.join(LOCK_FILE);
        match FileLock::acquire(&path, Duration::ZERO) {
            Ok(lock) => Ok(IntakeLock {
                path,
                stale: lock.stale.as_deref().map(describe_holder),
                _lock: lock,
            }),
            Err(LockError::Held { holder }) => Err(Diagnostic::error(
                "E061",
                format!(
                    "另一个 bulletin intake 正在运行（{}），本次没有处理任何文件",
                    describe_holder(&holder)
                ),
            )
            .in_file(&path)
            .with_hint("等它结束后再运行；同一时间只能有一个导入在处理收件箱")),
            Err(LockError::Io(e)) => Err(Diagnostic::error(
                "E060",
                format!("无法创建导入锁文件（{}）", crate::source::io_reason(&e)),
            )
            .in_file(&path)),
        }
    }
}
