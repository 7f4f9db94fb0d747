//! The audit log: `issues/N/signoffs.log`, one JSON line per sign, unsign
//! or replace — who, when, with which key, over which digest — each line
//! chained to the one before by SHA-256, so that an entry removed from the
//! middle or edited is detected, and every record of signoffs.toml must
//! match the entry that wrote it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Record;
use crate::diag::Diagnostics;
use crate::fsutil::Boundary;

pub const LOG_FILE: &str = "signoffs.log";

/// One logged action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    /// When the action was taken (RFC 3339).
    pub time: String,
    /// `sign`, `replace` or `unsign`.
    pub action: String,
    pub role: String,
    pub name: String,
    /// Fingerprint of the signing key (empty when not signed by key).
    #[serde(default)]
    pub key: String,
    /// The issue digest the sign-off covers.
    pub digest: String,
    /// For `replace`: whom it replaced.
    #[serde(default)]
    pub replaced: String,
    /// Hash of the previous entry (64 zeros for the first).
    pub prev: String,
    /// Hash of this entry's fields and `prev`.
    pub hash: String,
}

impl Entry {
    fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        for f in [
            "signoff-log-v1",
            &self.seq.to_string(),
            &self.time,
            &self.action,
            &self.role,
            &self.name,
            &self.key,
            &self.digest,
            &self.replaced,
            &self.prev,
        ] {
            h.update(format!("{}:{f};", f.len()).as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether this entry wrote `r`.
    pub fn wrote(&self, r: &Record) -> bool {
        self.action != "unsign"
            && self.role == r.role
            && self.name == r.name
            && self.time == r.time
            && self.digest == r.digest
            && self.key == r.key
    }
}

pub fn path(issue_dir: &Path) -> PathBuf {
    issue_dir.join(LOG_FILE)
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The log as read, and what is wrong with its chain (empty when intact).
#[derive(Debug, Default)]
pub struct Log {
    /// `false` when there is no log file (sign-offs from before the log).
    pub present: bool,
    pub entries: Vec<Entry>,
    pub problems: Vec<String>,
}

/// Read and verify the log of an issue folder (of the workspace `b`).
pub fn read(b: &Boundary, issue_dir: &Path) -> Log {
    let p = path(issue_dir);
    if std::fs::symlink_metadata(&p).is_err() {
        return Log::default();
    }
    let text = match b.read(&p, crate::fsutil::boundary::MAX_TEXT_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(r) => {
            return Log {
                present: true,
                entries: Vec::new(),
                problems: vec![r.message("读取")],
            };
        }
    };
    let mut log = Log {
        present: true,
        ..Log::default()
    };
    let mut prev = GENESIS.to_string();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let n = i + 1;
        let Ok(e) = serde_json::from_str::<Entry>(line) else {
            log.problems
                .push(format!("签核日志第{n}行无法识别，日志被手工改动过"));
            break;
        };
        if e.prev != prev || e.compute_hash() != e.hash || e.seq != log.entries.len() as u64 + 1 {
            log.problems.push(format!(
                "签核日志第{n}行（第{}条）与前一条接不上：日志中有记录被删去或改动过",
                e.seq
            ));
            break;
        }
        prev = e.hash.clone();
        log.entries.push(e);
    }
    log
}

/// Append an entry for `action` on `record` to the log (under the caller's
/// lock). The file is only ever appended to.
pub(super) fn append(
    b: &Boundary,
    issue_dir: &Path,
    action: &str,
    record: &Record,
    replaced: &str,
) -> Result<(), Diagnostics> {
    let log = read(b, issue_dir);
    let prev = log
        .entries
        .last()
        .map_or_else(|| GENESIS.to_string(), |e| e.hash.clone());
    let mut e = Entry {
        seq: log.entries.len() as u64 + 1,
        time: if action == "unsign" {
            super::now_rfc3339()
        } else {
            record.time.clone()
        },
        action: action.to_string(),
        role: record.role.clone(),
        name: record.name.clone(),
        key: record.key.clone(),
        digest: record.digest.clone(),
        replaced: replaced.to_string(),
        prev,
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    let p = path(issue_dir);
    // The whole log is rewritten atomically with the new line at its end:
    // never through a link, never half-written.
    let mut text = String::new();
    for old in log.entries.iter().chain(std::iter::once(&e)) {
        text.push_str(&serde_json::to_string(old).unwrap_or_default());
        text.push('\n');
    }
    b.write_atomic(&p, text.as_bytes()).map_err(|r| {
        let mut d = Diagnostics::default();
        d.push(r.diagnostic("写入签核日志"));
        d
    })
}
