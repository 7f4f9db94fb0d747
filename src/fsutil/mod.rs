//! File-system helpers shared by every command: atomic writes ([`atomic`]),
//! an exclusive lock on a file ([`lock`]) and names that never replace an
//! existing file ([`names`]), the boundary every read and write of
//! workspace files goes through ([`boundary`]), and files read once per
//! workflow ([`read_once`]).

pub mod atomic;
pub mod boundary;
pub mod lock;
pub mod names;
pub mod read_once;

use std::fs::File;
use std::path::Path;

pub use atomic::{
    clean_stale_temps, clean_stale_temps_in, write_all_atomic, write_atomic, write_new,
};
pub use boundary::{Boundary, Refused};
pub use names::{file_name_safe, move_unique, write_unique};

/// Make the entries of `dir` durable (best effort: errors are ignored,
/// and some platforms cannot open a directory).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
