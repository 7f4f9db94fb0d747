//! The intake lock: `.bulletin-intake.lock` in the workspace root, held
//! with an OS file lock for the whole run. The OS drops the lock when the
//! process ends however it ends, so a lock file left by a killed run is
//! simply taken over; the file itself is never removed (removing it would
//! let two runs lock two different files).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

pub const LOCK_FILE: &str = ".bulletin-intake.lock";

/// Held while alive; the lock is released (and the file emptied) on drop.
#[derive(Debug)]
pub struct IntakeLock {
    file: File,
    pub path: PathBuf,
    /// What a previous run that did not finish left in the file.
    pub stale: Option<String>,
}

fn describe(holder: &str) -> String {
    let mut pid = None;
    let mut started = None;
    for line in holder.lines() {
        if let Some(v) = line.strip_prefix("pid=") {
            pid = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("started=") {
            started = Some(v.trim().to_string());
        }
    }
    match (pid, started) {
        (Some(p), Some(s)) => format!("进程 {p}，开始于 {s}"),
        (Some(p), None) => format!("进程 {p}"),
        _ => "进程未知".to_string(),
    }
}

impl IntakeLock {
    /// Take the lock, or say who holds it.
    pub fn acquire(root: &Path) -> Result<IntakeLock, Diagnostic> {
        let path = root.join(LOCK_FILE);
        let io = |e: std::io::Error| {
            Diagnostic::error("E060", format!("无法创建导入锁文件（{e}）")).in_file(&path)
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(Diagnostic::error(
                    "E061",
                    format!(
                        "另一个 bulletin intake 正在运行（{}），本次没有处理任何文件",
                        describe(&holder)
                    ),
                )
                .in_file(&path)
                .with_hint("等它结束后再运行；同一时间只能有一个导入在处理收件箱"));
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let stale = (!previous.trim().is_empty()).then(|| describe(&previous));
        let stamp = format!(
            "pid={}\nstarted={}\n",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        let write = |f: &mut File| -> std::io::Result<()> {
            f.set_len(0)?;
            f.seek(SeekFrom::Start(0))?;
            f.write_all(stamp.as_bytes())?;
            f.sync_all()
        };
        write(&mut file).map_err(io)?;
        Ok(IntakeLock { file, path, stale })
    }
}

impl Drop for IntakeLock {
    fn drop(&mut self) {
        // An empty file marks a run that ended normally.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}
