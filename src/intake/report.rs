//! What one intake run did, file by file: the rows `bulletin intake`
//! prints.

use std::path::PathBuf;

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A submission now in the issue; warnings (Chinese) if any.
    Accepted {
        dest: PathBuf,
        warnings: Vec<String>,
    },
    /// The same text is already in the issue (e.g. sent twice).
    Duplicate { existing: PathBuf },
    Rejected {
        dest: PathBuf,
        reason_file: PathBuf,
        problems: Vec<String>,
    },
    /// Left in the inbox for a later run.
    Left { why: String },
    /// Could not be moved (permissions, disk): left where it was.
    Failed { why: String },
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The file's name in the inbox.
    pub file: String,
    /// The encoding found, e.g. `GB18030 → UTF-8`; empty when not read.
    pub encoding: String,
    /// Every normalisation applied.
    pub conversions: Vec<String>,
    pub outcome: Outcome,
    /// Where the original bytes were kept (accepted and duplicate files).
    pub kept: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Report {
    pub issue: u32,
    pub issue_dir: PathBuf,
    pub inbox: PathBuf,
    pub rows: Vec<Row>,
    /// A previous intake was killed while holding the lock.
    pub stale_lock: Option<String>,
    /// The inbox did not exist and was created.
    pub created_inbox: bool,
}

impl Report {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }

    /// Exit status 1: a file was rejected or could not be moved.
    pub fn has_failures(&self) -> bool {
        self.count(|o| matches!(o, Outcome::Rejected { .. } | Outcome::Failed { .. })) > 0
    }
}
