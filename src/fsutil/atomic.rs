//! Atomic file writes: a temporary file in the same directory, fsync, rename.
//! A reader never sees a half-written file under the real name.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::sync_dir;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Write `bytes` to a synced temporary file beside `path`, then hand it to
/// `publish` (rename or link into place); the directory is synced after.
/// The temporary file never outlives the call unless the process dies.
fn write_via_temp(
    path: &Path,
    bytes: &[u8],
    publish: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        fs::create_dir_all(dir)?;
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = super::boundary::create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        publish(&tmp, path)?;
        if let Some(dir) = dir {
            sync_dir(dir);
        }
        Ok(())
    })();
    // After a rename the temporary name is gone; after a link or a failure
    // it must go.
    let _ = fs::remove_file(&tmp);
    result
}

/// Write `bytes` to `path` atomically, creating parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via_temp(path, bytes, |tmp, path| fs::rename(tmp, path))
}

/// Write `bytes` to a synced temporary file beside `path` (creating the
/// folder); the temporary's path.
fn stage(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    // What stands at the target must be replaceable by a rename, so that
    // the second phase does not fail half-way.
    if let Ok(m) = fs::symlink_metadata(path)
        && m.is_dir()
    {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "这个位置上已有一个同名目录",
        ));
    }
    let tmp = temp_path(path);
    let written = (|| {
        let mut f = super::boundary::create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Write several files all together or not at all: each is first written
/// to a synced temporary file beside its target (up to `writers` at a time:
/// syncs from several threads share the journal's commits); only when every
/// one is written are they renamed into place. A failure while writing
/// removes the temporaries and leaves every target as it was. On error, the
/// path that failed and why.
pub fn write_all_atomic(
    files: &[(&Path, &[u8])],
    writers: usize,
) -> Result<(), (PathBuf, io::Error)> {
    let staged: Vec<std::sync::Mutex<Option<io::Result<PathBuf>>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..writers.clamp(1, files.len().max(1)) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, bytes)) = files.get(i) else {
                        break;
                    };
                    let r = stage(path, bytes);
                    if r.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if let Ok(mut slot) = staged[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let staged: Vec<Option<io::Result<PathBuf>>> = staged
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect();
    if failed.load(Ordering::Relaxed) {
        let mut err = None;
        for (r, (path, _)) in staged.into_iter().zip(files) {
            match r {
                Some(Ok(tmp)) => {
                    let _ = fs::remove_file(tmp);
                }
                Some(Err(e)) if err.is_none() => err = Some((path.to_path_buf(), e)),
                _ => {}
            }
        }
        return Err(err.unwrap_or_else(|| (PathBuf::new(), io::Error::other("写入被中断"))));
    }
    // Renames within one folder do not fail for want of space.
    let mut result = Ok(());
    for (r, (path, _)) in staged.into_iter().zip(files) {
        let Some(Ok(tmp)) = r else { continue };
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
            continue;
        }
        if let Err(e) = fs::rename(&tmp, path) {
            let _ = fs::remove_file(&tmp);
            result = Err((path.to_path_buf(), e));
        }
    }
    let mut dirs: Vec<&Path> = files.iter().filter_map(|(p, _)| p.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        sync_dir(dir);
    }
    result
}

/// Create `path` with `bytes` only if nothing is there yet (never overwrites).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // hard_link fails if the target exists: no overwrite, no race.
    write_via_temp(path, bytes, |tmp, path| fs::hard_link(tmp, path))
}

/// Remove temporary files that an interrupted `write_atomic`/`write_new`
/// of `path` left beside it (`.name.tmp-<pid>-<n>`), unless their process
/// may still be writing them. Returns how many were removed.
pub fn clean_stale_temps(path: &Path) -> usize {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = match pid {
            Some(p) if p == std::process::id() => true,
            Some(p) => process_may_be_alive(p, &e.path()),
            None => false,
        };
        if !alive && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// [`clean_stale_temps`] for every file of `dir`.
pub fn clean_stale_temps_in(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if let Some(i) = n.rfind(".tmp-")
            && n.starts_with('.')
            && i > 1
        {
            removed += clean_stale_temps(&dir.join(&n[1..i]));
        }
    }
    removed
}

/// Whether process `pid` may still be writing `temp`: on Linux, whether it
/// exists; elsewhere, whether the file was touched in the last 10 minutes.
fn process_may_be_alive(pid: u32, temp: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    fs::metadata(temp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_all_atomic_changes_nothing_when_one_file_fails() {
        let dir = std::env::temp_dir().join(format!("bulletin-all-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("b.pdf")).unwrap();
        let a = dir.join("a.html");
        fs::write(&a, b"old").unwrap();
        let err = write_all_atomic(&[(&a, b"new"), (&dir.join("b.pdf"), b"pdf")], 4).unwrap_err();
        assert_eq!(err.0, dir.join("b.pdf"));
        assert_eq!(fs::read(&a).unwrap(), b"old");
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.html", "b.pdf"], "no temporary is left");
        fs::remove_dir_all(dir.join("b.pdf")).unwrap();
        write_all_atomic(&[(&a, b"new"), (&dir.join("b.pdf"), b"pdf")], 4).unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"new");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("bulletin-fsutil-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let p = dir.join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert!(write_new(&p, b"three").is_err());
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temps_of_dead_processes_are_cleaned() {
        let dir = std::env::temp_dir().join(format!("bulletin-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("刊物.html");
        // pid 0 is never a user process; our own temps are left alone.
        fs::write(dir.join(".刊物.html.tmp-0-3"), b"half").unwrap();
        let own = dir.join(format!(".刊物.html.tmp-{}-9", std::process::id()));
        fs::write(&own, b"ours").unwrap();
        fs::write(dir.join(".其他.html.tmp-0-1"), b"other file").unwrap();
        assert_eq!(clean_stale_temps(&p), 1);
        assert!(own.exists());
        assert!(dir.join(".其他.html.tmp-0-1").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
