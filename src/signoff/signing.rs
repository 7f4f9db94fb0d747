//! Signing and withdrawing: checks on who may sign, then a
//! read-modify-write of the store under a lock.

use std::path::Path;

use super::records::write;
use super::{Record, digests, path, read, unknown_roles};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fsutil::Boundary;
use crate::fsutil::boundary::LockRefused;
use crate::fsutil::lock::FileLock;
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

/// Record `name`'s sign-off for `role` on the issue as it is now; written
/// atomically. `time` is RFC 3339. An earlier record of the role by the same
/// person is replaced; one by another person only when it is no longer valid
/// or `replace` names that person. With `[[reviewers]]` registered, the
/// record is signed with the signer's own key from [`crate::keys::key_dir`].
pub fn sign(
    issue: &Issue,
    issue_dir: &Path,
    role: &str,
    name: &str,
    time: &str,
    replace: Option<&str>,
) -> Result<Record, Diagnostics> {
    // The name is printed: no invisible or control characters in it, and
    // it is compared under its key (`张 雪`, `张　雪` and `张雪` are one
    // person).
    let cleaned = printable(name.trim()).trim().to_string();
    let name = cleaned.as_str();
    known_role(issue, role)?;
    if name_key(name).is_empty() {
        return Err(error("S004", "签核人姓名不能为空"));
    }
    let person = name_key(name);
    if issue
        .footer
        .editor
        .as_deref()
        .is_some_and(|e| name_key(e) == person)
    {
        return Err(error(
            "S004",
            format!("{name}是本期编辑，编辑不能签核自己编的稿件"),
        ));
    }
    let b = Boundary::new(&issue.root);
    let _lock = lock(&b, issue_dir)?;
    let mut records = read(&b, issue_dir)?;
    let file = path(issue_dir);
    let unknown = unknown_roles(issue, &file, &records);
    if unknown.has_errors() {
        return Err(unknown);
    }
    if let Some(old) = records.iter().find(|r| r.role == role)
        && name_key(&old.name) != person
    {
        let still_valid = super::status(issue, &records)
            .iter()
            .any(|s| s.role == role && s.is_valid());
        let named = replace.is_some_and(|r| name_key(r) == name_key(&old.name));
        if still_valid && !named {
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::error(
                    "S008",
                    format!("“{role}”已由{}签核，而且仍然有效，不会替换", old.name),
                )
                .with_hint(format!(
                    "确实要替换时加上 --replace {}（替换会记入签核日志）",
                    old.name
                )),
            );
            return Err(d);
        }
    }
    if let Some(o) = records
        .iter()
        .find(|r| r.role != role && name_key(&r.name) == person)
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
        presentation: issue.presentation.clone(),
        key: String::new(),
        signature: String::new(),
        line: 0,
    };
    if !issue.reviewers.is_empty() {
        authenticate(issue, &mut rec)?;
    }
    rec.seal = rec.compute_seal();
    let replaced = records
        .iter()
        .find(|r| r.role == role && name_key(&r.name) != person)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    records.retain(|r| r.role != role);
    records.push(rec.clone());
    sort_records(issue, &mut records);
    write(&b, &file, &records)?;
    let action = if replaced.is_empty() {
        "sign"
    } else {
        "replace"
    };
    super::log::append(&b, issue_dir, action, &rec, &replaced)?;
    // What was signed, to show what changes later.
    super::texts::store(&b, issue);
    Ok(rec)
}

/// Sign `rec` with the private key of its registered signer.
fn authenticate(issue: &Issue, rec: &mut Record) -> Result<(), Diagnostics> {
    let person = name_key(&rec.name);
    let Some(reviewer) = issue.reviewers.iter().find(|r| name_key(&r.name) == person) else {
        let names: Vec<&str> = issue.reviewers.iter().map(|r| r.name.as_str()).collect();
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(
                "S011",
                format!("{}没有在 bulletin.toml 的 [[reviewers]] 中登记，不能签核", rec.name),
            )
            .with_hint(format!(
                "登记的签核人：{}；新的签核人请先运行 bulletin key new --name 姓名，再请编辑把公钥登记进 [[reviewers]]",
                names.join("、")
            )),
        );
        return Err(d);
    };
    if !reviewer.may_sign(&rec.role) {
        return Err(error(
            "S012",
            format!(
                "{}登记的签核角色是“{}”，不能签“{}”",
                reviewer.name,
                reviewer.roles.join("、"),
                rec.role
            ),
        ));
    }
    let Some(dir) = crate::keys::key_dir() else {
        return Err(error("S013", "找不到存放私钥的目录（没有 HOME 环境变量）"));
    };
    let key = match crate::keys::find_private(&dir, &reviewer.keys) {
        Ok(Some(k)) => k,
        Ok(None) => {
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::error(
                    "S013",
                    format!(
                        "本机没有{}登记的私钥（在 {} 里找不到），不能以{}的名义签核",
                        reviewer.name,
                        dir.display(),
                        reviewer.name
                    ),
                )
                .with_hint("签核只能在签核人自己的电脑上、用自己的密钥进行；换了电脑请把私钥文件复制到上述目录，或新建密钥后请编辑重新登记公钥"),
            );
            return Err(d);
        }
        Err(why) => return Err(error("S013", why)),
    };
    rec.key = crate::keys::fingerprint(key.verifying_key());
    let text = rec.signed_text(&issue.title, issue.number);
    rec.signature = crate::keys::sign(&key, text.as_bytes());
    Ok(())
}

/// Withdraw `role`'s sign-off.
pub fn unsign(issue: &Issue, issue_dir: &Path, role: &str) -> Result<Record, Diagnostics> {
    known_role(issue, role)?;
    let b = Boundary::new(&issue.root);
    let _lock = lock(&b, issue_dir)?;
    let mut records = read(&b, issue_dir)?;
    let Some(k) = records.iter().position(|r| r.role == role) else {
        return Err(error("S005", format!("“{role}”还没有签核，无需撤回")));
    };
    let removed = records.remove(k);
    write(&b, &path(issue_dir), &records)?;
    super::log::append(&b, issue_dir, "unsign", &removed, "")?;
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
fn lock(b: &Boundary, issue_dir: &Path) -> Result<FileLock, Diagnostics> {
    let p = issue_dir.join(LOCK_FILE);
    b.lock(&p, LOCK_WAIT).map_err(|e| {
        let d = match e {
            LockRefused::Held { .. } => {
                Diagnostic::error("S007", "另一人正在签核本期，请稍后再试")
                    .in_file(&p)
                    .with_hint("签核完成后锁会自动释放；一直如此时，请检查是否有 bulletin check --sign 仍在运行")
            }
            LockRefused::Refused(r) => r.diagnostic("写入签核锁文件"),
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
