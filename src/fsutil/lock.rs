//! An exclusive lock on a lock file, held with an OS file lock while the
//! [`FileLock`] lives. The OS drops the lock when the process ends however
//! it ends, so a lock file left by a killed run is simply taken over; the
//! file itself is never removed (removing it would let two runs lock two
//! different files). The holder writes its process id and start time into
//! the file and empties it on release: a non-empty file found on taking the
//! lock was left by a run that did not finish.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting [`FileLock::acquire`] tries again.
const RETRY: Duration = Duration::from_millis(100);

/// Held while alive; the lock is released (and the file emptied) on drop.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    pub path: PathBuf,
    /// What a previous holder that did not finish left in the file
    /// (`pid=…` and `started=…` lines), if anything.
    pub stale: Option<String>,
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another holder still has it; `holder` is what it wrote in the file.
    Held { holder: String },
    /// The lock file could not be opened, locked or written.
    Io(io::Error),
}

impl FileLock {
    /// Take the lock on `path` (created if missing), waiting up to `wait`
    /// for another holder to let go.
    pub fn acquire(path: &Path, wait: Duration) -> Result<FileLock, LockError> {
        // Not through a symlink, not a FIFO, not a hard link to another
        // file: the lock file is emptied in place.
        let mut file = super::boundary::open_lock_file(path).map_err(LockError::Io)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(RETRY);
                }
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(LockError::Held { holder });
                }
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let stale = (!previous.trim().is_empty()).then_some(previous);
        let stamp = format!(
            "pid={}\nstarted={}\n",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        let write = |f: &mut File| -> io::Result<()> {
            f.set_len(0)?;
            f.seek(SeekFrom::Start(0))?;
            f.write_all(stamp.as_bytes())?;
            f.sync_all()
        };
        write(&mut file).map_err(LockError::Io)?;
        Ok(FileLock {
            file,
            path: path.to_path_buf(),
            stale,
        })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // An empty file marks a run that ended normally.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// A holder as written in a lock file, for messages: `进程 123，开始于 …`.
pub fn describe_holder(holder: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_waits_then_refuses_and_a_dead_holder_is_taken_over() {
        let dir = std::env::temp_dir().join(format!("bulletin-flock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(".x.lock");
        // Left by a run that was killed: the OS lock is gone, the text stays.
        std::fs::write(&p, "pid=424242\nstarted=2025-12-01 08:00:00\n").unwrap();
        let held = FileLock::acquire(&p, Duration::ZERO).unwrap();
        assert_eq!(
            held.stale.as_deref().map(describe_holder).as_deref(),
            Some("进程 424242，开始于 2025-12-01 08:00:00")
        );
        let t = Instant::now();
        match FileLock::acquire(&p, Duration::from_millis(250)) {
            Err(LockError::Held { holder }) => {
                assert!(holder.contains(&format!("pid={}", std::process::id())));
            }
            other => panic!("{other:?}"),
        }
        assert!(t.elapsed() >= Duration::from_millis(250));
        drop(held);
        assert_eq!(std::fs::read(&p).unwrap(), b"");
        let again = FileLock::acquire(&p, Duration::ZERO).unwrap();
        assert!(again.stale.is_none());
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
