//! Files read once per workflow: a file's bytes as first read, shared by
//! every later reader holding the same [`ReadOnce`]. A final build digests
//! each image for the sign-off check and then embeds it in the PDF and the
//! HTML: all of them see the bytes read the first time, so the file is read
//! once and a file replaced in between cannot slip into a signed edition.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::boundary::{self, Problem};

/// The bytes of a file, or why it could not be read.
pub type ReadResult = Result<Arc<Vec<u8>>, Arc<Problem>>;

/// A shared record of the files read so far (clones share it).
#[derive(Debug, Clone, Default)]
pub struct ReadOnce(Arc<Mutex<HashMap<PathBuf, ReadResult>>>);

impl ReadOnce {
    /// The bytes of the image file `path`, read through the boundary (a
    /// regular file, at most [`boundary::MAX_IMAGE_BYTES`]) the first time
    /// it is asked for; the same bytes (or the same refusal) after that.
    /// Callers apply their own, smaller, size limits to the bytes.
    pub fn image(&self, path: &Path) -> ReadResult {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = files.get(path) {
            return r.clone();
        }
        let r = boundary::read_regular(path, boundary::MAX_IMAGE_BYTES)
            .map(Arc::new)
            .map_err(Arc::new);
        files.insert(path.to_path_buf(), r.clone());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_once_and_clones_share_it() {
        let dir = std::env::temp_dir().join(format!("read-once-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.png");
        std::fs::write(&p, b"first").unwrap();
        let files = ReadOnce::default();
        let shared = files.clone();
        assert_eq!(files.image(&p).unwrap().as_slice(), b"first");
        // Replaced after the first read: every reader still sees the
        // bytes first read.
        std::fs::write(&p, b"second").unwrap();
        assert_eq!(shared.image(&p).unwrap().as_slice(), b"first");
        // A fresh record reads the file again.
        assert_eq!(ReadOnce::default().image(&p).unwrap().as_slice(), b"second");
        assert!(files.image(&dir.join("missing.png")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
