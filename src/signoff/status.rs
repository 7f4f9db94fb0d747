//! Validity: whether each role's record still matches the issue, what
//! changed since, and what a build may print.

use std::path::Path;

use super::records::line_span;
use super::{Digests, ItemDigest, Record, digests, path, read};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Issue;
use crate::text::{name_key, printable};

/// What changed in the printed content since a sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Removed(String),
    Edited(String),
    Order,
    Masthead,
    EndBlock,
    /// Layout, fonts or templates changed since the sign-off.
    Presentation,
    /// The record itself was altered after signing.
    Tampered,
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Change::Added(t) => format!("新增了{t}"),
            Change::Removed(t) => format!("删除了{t}"),
            Change::Edited(t) => format!("改动了{t}"),
            Change::Order => "稿件顺序或栏目有变动".to_string(),
            Change::Masthead => "报头（刊名、编印单位、期号或日期）有改动".to_string(),
            Change::EndBlock => "版记有改动".to_string(),
            Change::Presentation => {
                "版式、字体或模板有改动（文字没变，印出的样子可能变了）".to_string()
            }
            Change::Tampered => "签核记录在签核后被手工改动过".to_string(),
        }
    }
}

/// The changes between a record and the current digests; empty = valid.
pub fn changes(record: &Record, now: &Digests) -> Vec<Change> {
    if record.compute_seal() != record.seal {
        return vec![Change::Tampered];
    }
    let mut out = Vec::new();
    if !record.presentation.is_empty()
        && !now.presentation.is_empty()
        && record.presentation != now.presentation
    {
        out.push(Change::Presentation);
    }
    if record.digest == now.issue {
        // The printed content is the same (a renamed file changes nothing).
        return out;
    }
    if record.masthead != now.masthead {
        out.push(Change::Masthead);
    }
    let now_has = |file: &str| now.items.iter().any(|i| i.file == file);
    // Recorded items whose file is gone: removed, unless renamed unchanged.
    let mut gone: Vec<&ItemDigest> = record.items.iter().filter(|r| !now_has(&r.file)).collect();
    for i in &now.items {
        match record.items.iter().find(|r| r.file == i.file) {
            Some(r) if r.digest != i.digest => out.push(Change::Edited(i.label.clone())),
            Some(_) => {}
            None => match gone.iter().position(|r| r.digest == i.digest) {
                Some(k) => {
                    gone.remove(k);
                }
                None => out.push(Change::Added(i.label.clone())),
            },
        }
    }
    for r in gone {
        out.push(Change::Removed(r.label.clone()));
    }
    if record.end_block != now.end_block {
        out.push(Change::EndBlock);
    }
    if out.is_empty() && record.digest != now.issue {
        out.push(Change::Order);
    }
    out
}

/// The state of one role's sign-off.
#[derive(Debug, Clone)]
pub struct RoleStatus {
    pub role: String,
    pub record: Option<Record>,
    /// Empty with a record: valid.
    pub changes: Vec<Change>,
    /// Why the record cannot count even if the content matches.
    pub problem: Option<String>,
}

impl RoleStatus {
    pub fn is_valid(&self) -> bool {
        self.record.is_some() && self.changes.is_empty() && self.problem.is_none()
    }
}

/// Every role of the issue with its sign-off state.
pub fn status(issue: &Issue, records: &[Record]) -> Vec<RoleStatus> {
    let now = digests(issue);
    issue
        .footer
        .signoffs
        .iter()
        .map(|s| {
            let record = records.iter().find(|r| r.role == s.role).cloned();
            let changes = record
                .as_ref()
                .map(|r| changes(r, &now))
                .unwrap_or_default();
            let problem = record
                .as_ref()
                .and_then(|r| person_problem(issue, records, r));
            RoleStatus {
                role: s.role.clone(),
                record,
                changes,
                problem,
            }
        })
        .collect()
}

/// The editor cannot sign; one person cannot hold two roles.
/// [`status`] held against the audit log of `issue_dir`: a broken chain
/// invalidates every sign-off, and (once there is a log) a record that no
/// log entry wrote is invalid.
pub fn status_logged(issue: &Issue, issue_dir: &Path, records: &[Record]) -> Vec<RoleStatus> {
    let log = super::log::read(&crate::fsutil::Boundary::new(&issue.root), issue_dir);
    let mut states = status(issue, records);
    for s in &mut states {
        let Some(r) = &s.record else { continue };
        if s.problem.is_some() {
            continue;
        }
        if let Some(p) = log.problems.first() {
            s.problem = Some(p.clone());
        } else if log.present && !log.entries.iter().any(|e| e.wrote(r)) {
            s.problem =
                Some("签核日志里没有这条签核：记录不是由 bulletin check --sign 写入的".to_string());
        }
    }
    states
}

fn person_problem(issue: &Issue, records: &[Record], r: &Record) -> Option<String> {
    let person = name_key(&r.name);
    if issue
        .footer
        .editor
        .as_deref()
        .is_some_and(|e| name_key(e) == person)
    {
        return Some(format!("{}是本期编辑，编辑不能签核", r.name));
    }
    if let Some(p) = key_problem(issue, r) {
        return Some(p);
    }
    records
        .iter()
        .find(|o| o.role != r.role && name_key(&o.name) == person)
        .map(|o| {
            format!(
                "{}同时签了“{}”和“{}”，同一人不能担任两个角色",
                r.name, o.role, r.role
            )
        })
}

/// Unknown roles in the file are errors naming their line.
/// With `[[reviewers]]` registered: why `r` is not signed by its signer's
/// registered key, if it is not.
fn key_problem(issue: &Issue, r: &Record) -> Option<String> {
    if issue.reviewers.is_empty() {
        return None;
    }
    let person = name_key(&r.name);
    let Some(reviewer) = issue.reviewers.iter().find(|x| name_key(&x.name) == person) else {
        return Some(format!(
            "{}没有在 [[reviewers]] 中登记（或已被撤下），签核无效",
            r.name
        ));
    };
    if !reviewer.may_sign(&r.role) {
        return Some(format!("{}登记的签核角色不含“{}”", reviewer.name, r.role));
    }
    if r.signature.is_empty() {
        return Some(
            "签核没有密钥签名：登记了 [[reviewers]] 之后，签核须由本人用自己的密钥重新签（bulletin check --sign）"
                .to_string(),
        );
    }
    let text = r.signed_text(&issue.title, issue.number);
    if reviewer
        .keys
        .iter()
        .any(|k| crate::keys::verify(k, text.as_bytes(), &r.signature))
    {
        return None;
    }
    let registered = reviewer
        .keys
        .iter()
        .any(|k| crate::keys::fingerprint(k) == r.key);
    Some(if registered {
        "签名不符：记录在签核后被改动，或是从别的记录、别的期复制来的".to_string()
    } else {
        format!(
            "签名所用的密钥（指纹 {}）没有登记在{}名下（可能已从 [[reviewers]] 撤下），签核无效",
            if r.key.is_empty() { "未知" } else { &r.key },
            reviewer.name
        )
    })
}

pub fn unknown_roles(issue: &Issue, src_path: &Path, records: &[Record]) -> Diagnostics {
    let mut d = Diagnostics::default();
    let roles: Vec<&str> = issue
        .footer
        .signoffs
        .iter()
        .map(|s| s.role.as_str())
        .collect();
    if let Ok(src) = crate::source::read(&crate::fsutil::Boundary::new(&issue.root), src_path) {
        for r in records {
            if !roles.contains(&r.role.as_str()) {
                d.push(
                    Diagnostic::error(
                        "S002",
                        format!("签核记录里的角色“{}”不是本期的签核角色", r.role),
                    )
                    .at(&src.path, &src.text, line_span(&src.text, r.line))
                    .with_hint(format!("本期的签核角色：{}", roles.join("、"))),
                );
            }
        }
    }
    d
}

/// Prepare an issue for a build: a final build requires a valid sign-off
/// for every role and prints all names; a draft is marked 送审稿 and prints
/// only the names whose sign-off is still valid. Errors refuse the build.
pub fn prepare_build(
    issue: &mut Issue,
    issue_dir: &Path,
    final_build: bool,
) -> Result<(), Diagnostics> {
    let records = read(&crate::fsutil::Boundary::new(&issue.root), issue_dir)?;
    let unknown = unknown_roles(issue, &path(issue_dir), &records);
    if unknown.has_errors() {
        return Err(unknown);
    }
    let states = status_logged(issue, issue_dir, &records);
    if final_build {
        let mut diags = Diagnostics::default();
        if states.is_empty() {
            diags.push(
                Diagnostic::error("S010", "本期没有配置签核角色，不能出正式版")
                    .with_hint("在 bulletin.toml 的 [footer] signoffs 里列出签核角色，例如 [\"核稿\", \"审核\"]"),
            );
        }
        let b = crate::fsutil::Boundary::new(&issue.root);
        for s in &states {
            if let Some(msg) = refusal(s) {
                let mut hint = String::new();
                if let Some(r) = &s.record {
                    for line in super::texts::explain(&b, issue, r) {
                        hint.push_str(&format!("{line}\n"));
                    }
                }
                hint.push_str(&format!(
                    "请“{}”重新核对后签核：bulletin check {} --sign {} --name 姓名",
                    s.role, issue.number, s.role
                ));
                diags.push(Diagnostic::error("S010", msg).with_hint(hint));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
    }
    issue.footer.draft = !final_build;
    for (slot, s) in issue.footer.signoffs.iter_mut().zip(&states) {
        slot.name = s
            .is_valid()
            .then(|| s.record.as_ref().map(|r| printable(&r.name).into_owned()))
            .flatten();
    }
    Ok(())
}

/// [`prepare_build`] for an issue of workspace `ws`.
pub fn prepare_workspace_build(
    ws: &crate::workspace::Workspace,
    issue: &mut Issue,
    final_build: bool,
) -> Result<(), Diagnostics> {
    let dir = ws.find_issue(Some(issue.number))?;
    prepare_build(issue, &dir.path, final_build)
}

/// For builds of many issues at once (an archive): final when every role
/// holds a valid sign-off, a draft otherwise. Returns whether it is final.
pub fn prepare_build_auto(issue: &mut Issue, issue_dir: &Path) -> Result<bool, Diagnostics> {
    let records = read(&crate::fsutil::Boundary::new(&issue.root), issue_dir)?;
    let states = status_logged(issue, issue_dir, &records);
    let all_valid = !states.is_empty() && states.iter().all(RoleStatus::is_valid);
    prepare_build(issue, issue_dir, all_valid)?;
    Ok(all_valid)
}

/// Why a role's sign-off does not allow a final build.
pub fn refusal(s: &RoleStatus) -> Option<String> {
    let Some(r) = &s.record else {
        return Some(format!("“{}”还没有签核", s.role));
    };
    if let Some(p) = &s.problem {
        return Some(format!("“{}”的签核无效：{p}", s.role));
    }
    if !s.changes.is_empty() {
        let what: Vec<String> = s.changes.iter().map(Change::describe).collect();
        return Some(format!(
            "“{}”的签核（{}）已失效：{}",
            s.role,
            r.name,
            what.join("；")
        ));
    }
    None
}

/// `2025-12-08 10:30` from an RFC 3339 time, as written otherwise.
pub fn display_time(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| t.to_string())
}
