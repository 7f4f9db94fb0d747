//! Signing and withdrawing: checks on who may sign, then a
//! read-modify-write of the store under a lock.

use std::path::Path;

use super::records::write;
use super::{Record, digests, path, read, unknown_roles};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fsutil::lock::{FileLock, LockError};
use crate::model::Issue;
use crate::text::{name_key, printable};

fn error(code: &'static str, msg: impl Into<String>) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::error(code, msg));
    d
}

/// Check `role` against the issue's roles (exact, or an error with the
/// closest role).
fn known_role(issue: &Issue, role: &str) -> Result<(), Diagnostics> {
    let roles: Vec<&str> = issue
        .footer
        .signoffs
        .iter()
        .map(|s| s.role.as_str())
        .collect();
    if roles.contains(&role) {
        return Ok(());
    }
    let mut d = Diagnostic::error("S003", format!("本期没有“{role}”这个签核角色"));
    d = if roles.is_empty() {
        d.with_hint("bulletin.toml 的 [footer] signoffs 没有配置签核角色")
    } else {
        match crate::config::toml_error::closest(role, roles.iter().copied()) {
            Some(best) => d.with_hint(format!(
                "是不是“{best}”？本期的签核角色：{}",
                roles.join("、")
            )),
            None => d.with_hint(format!("本期的签核角色：{}", roles.join("、"))),
        }
    };
    let mut ds = Diagnostics::default();
    ds.push(d);
    Err(ds)
}

/// Record `name`'s sign-off for `role` on the issue as it is now, replacing
/// any earlier record of that role; written atomically. `time` is RFC 3339.
pub fn sign(
    issue: &Issue,
    issue_dir: &Path,
    role: &str,
    name: &str,
    time: &str,
) -> Result<Record, Diagnostics> {
    // The name is printed: no invisible or control characters in it, and
    // it is compared under its key (`张 雪`, `张　雪` and `张雪` are one
    // person).
    let cleaned = printable(name.trim()).trim().to_string();
    let name = cleaned.as_str();
    let key = name_key(name);
    known_role(issue, role)?;
    if key.is_empty() {
        return Err(error("S004", "签核人姓名不能为空"));
    }
    if issue.footer.editor.as_deref().map(name_key) == Some(key.clone()) {
        return Err(error(
            "S004",
            format!("{name}是本期编辑，编辑不能签核自己编的稿件"),
        ));
    }
    let _lock = lock(issue_dir)?;
    let mut records = read(issue_dir)?;
    let file = path(issue_dir);
    let unknown = unknown_roles(issue, &file, &records);
    if unknown.has_errors() {
        return Err(unknown);
    }
    if let Some(o) = records
        .iter()
        .find(|r| r.role != role && name_key(&r.name) == key)
    {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(
                "S004",
                format!("{name}已经以“{}”签核本期，同一人不能担任两个角色", o.role),
            )
            .with_hint(format!(
                "请由另一人签“{role}”，或先撤回：bulletin check --unsign {}",
                o.role
            )),
        );
        return Err(d);
    }
    let now = digests(issue);
    let mut rec = Record {
        role: role.to_string(),
        name: name.to_string(),
        time: time.to_string(),
        digest: now.issue,
        masthead: now.masthead,
        end_block: now.end_block,
        items: now.items,
        seal: String::new(),
        line: 0,
    };
    rec.seal = rec.compute_seal();
    records.retain(|r| r.role != role);
    records.push(rec.clone());
    sort_records(issue, &mut records);
    write(&file, &records)?;
    Ok(rec)
}

/// Withdraw `role`'s sign-off.
pub fn unsign(issue: &Issue, issue_dir: &Path, role: &str) -> Result<Record, Diagnostics> {
    known_role(issue, role)?;
    let _lock = lock(issue_dir)?;
    let mut records = read(issue_dir)?;
    let Some(k) = records.iter().position(|r| r.role == role) else {
        return Err(error("S005", format!("“{role}”还没有签核，无需撤回")));
    };
    let removed = records.remove(k);
    write(&path(issue_dir), &records)?;
    Ok(removed)
}

/// The lock file sign and unsign hold in the issue folder.
pub const LOCK_FILE: &str = ".signoffs.lock";

/// How long to wait for another sign-off in progress.
const LOCK_WAIT: std::time::Duration =
    std::time::Duration::from_millis(if cfg!(test) { 300 } else { 3000 });

/// Two reviewers signing at once (on a shared drive) must not lose a
/// record: sign and unsign hold [`LOCK_FILE`] in the issue folder around
/// read-modify-write, waiting a little for one another.
fn lock(issue_dir: &Path) -> Result<FileLock, Diagnostics> {
    let p = issue_dir.join(LOCK_FILE);
    FileLock::acquire(&p, LOCK_WAIT).map_err(|e| {
        let d = match e {
            LockError::Held { .. } => {
                Diagnostic::error("S007", "另一人正在签核本期，请稍后再试")
                    .in_file(&p)
                    .with_hint("签核完成后锁会自动释放；一直如此时，请检查是否有 bulletin check --sign 仍在运行")
            }
            LockError::Io(e) => {
                Diagnostic::error(
                    "S006",
                    format!("无法写入签核记录（{}）", crate::source::io_reason(&e)),
                )
                .in_file(&p)
            }
        };
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })
}

/// In the order the issue lists its roles.
fn sort_records(issue: &Issue, records: &mut [Record]) {
    let pos = |r: &Record| {
        issue
            .footer
            .signoffs
            .iter()
            .position(|s| s.role == r.role)
            .unwrap_or(usize::MAX)
    };
    records.sort_by_key(pos);
}

/// Now, RFC 3339 in local time to the second.
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
