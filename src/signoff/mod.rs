//! Sign-off: reviewers (核稿, 审核 …) record that they approved exactly the
//! printed content of an issue. `issues/N/signoffs.toml` holds one record
//! per role: who, when (RFC 3339), the digest of the whole issue, of its
//! masthead and end block and of every item, and a seal over all of that,
//! so a hand edit of the record (a digest changed, a name swapped) is caught.
//!
//! A record is valid while the issue's digests still match it; otherwise it
//! is stale and [`Change`]s say what changed since.

pub mod digest;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

pub use digest::{Digests, ItemDigest, digests};

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsutil::lock::{FileLock, LockError};
use crate::model::Issue;
use crate::source::SourceFile;

pub const FILE: &str = "signoffs.toml";

const HAND_EDIT_HINT: &str =
    "签核记录由 bulletin check --sign 写入，不要手工修改；可用 --unsign 撤回后重新签核";

/// One sign-off as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub role: String,
    pub name: String,
    /// RFC 3339.
    pub time: String,
    pub digest: String,
    pub masthead: String,
    pub end_block: String,
    pub items: Vec<ItemDigest>,
    pub seal: String,
    /// 1-based line of the record in the file (0 when not from a file).
    pub line: usize,
}

impl Record {
    /// The seal binds every field: recomputed on read, it shows whether the
    /// record is as written by `--sign`.
    pub fn compute_seal(&self) -> String {
        let mut h = Sha256::new();
        for f in [
            "signoff-v1",
            &self.role,
            &self.name,
            &self.time,
            &self.digest,
            &self.masthead,
            &self.end_block,
        ] {
            h.update(format!("{}:{f};", f.len()).as_bytes());
        }
        for i in &self.items {
            for f in [&i.file, &i.label, &i.digest] {
                h.update(format!("{}:{f};", f.len()).as_bytes());
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    #[serde(default)]
    signoff: Vec<RecordDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordDe {
    role: toml::Spanned<String>,
    name: toml::Spanned<String>,
    time: toml::Spanned<String>,
    digest: toml::Spanned<String>,
    masthead: String,
    end_block: String,
    seal: String,
    #[serde(default)]
    items: Vec<ItemDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemDe {
    file: String,
    title: String,
    digest: String,
}

pub fn path(issue_dir: &Path) -> PathBuf {
    issue_dir.join(FILE)
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Read the sign-offs of an issue folder (none if the file is absent).
/// A malformed file is an error naming the line.
pub fn read(issue_dir: &Path) -> Result<Vec<Record>, Diagnostics> {
    let p = path(issue_dir);
    if !p.exists() {
        return Ok(Vec::new());
    }
    let one = |d: Diagnostic| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    };
    let src = crate::source::read(&p).map_err(one)?;
    parse(&src)
}

/// Parse signoffs.toml text (see [`read`]).
pub fn parse(src: &SourceFile) -> Result<Vec<Record>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let file: FileDe = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(e) => {
            let mut d = crate::workspace::toml_error::diagnostic(&src.path, &src.text, 0, &e);
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h}\n  = 提示：{HAND_EDIT_HINT}"),
                None => HAND_EDIT_HINT.to_string(),
            });
            diags.push(d);
            return Err(diags);
        }
    };
    let mut out = Vec::new();
    for r in file.signoff {
        let err = |span: std::ops::Range<usize>, msg: String| {
            Diagnostic::error("S001", msg)
                .at(&src.path, &src.text, span)
                .with_hint(HAND_EDIT_HINT)
        };
        let line = crate::diag::locate(&src.path, &src.text, r.role.span()).line;
        if r.role.get_ref().trim().is_empty() {
            diags.push(err(r.role.span(), "签核记录的 role（角色）为空".into()));
        }
        if r.name.get_ref().trim().is_empty() {
            diags.push(err(r.name.span(), "签核记录的 name（姓名）为空".into()));
        }
        if chrono::DateTime::parse_from_rfc3339(r.time.get_ref()).is_err() {
            diags.push(err(
                r.time.span(),
                format!("签核时间“{}”不是 RFC 3339 格式", r.time.get_ref()),
            ));
        }
        if !is_hex64(r.digest.get_ref()) {
            diags.push(err(
                r.digest.span(),
                "签核记录的 digest 不是 SHA-256 摘要".into(),
            ));
        }
        out.push(Record {
            role: r.role.into_inner(),
            name: r.name.into_inner(),
            time: r.time.into_inner(),
            digest: r.digest.into_inner(),
            masthead: r.masthead,
            end_block: r.end_block,
            items: r
                .items
                .into_iter()
                .map(|i| ItemDigest {
                    file: i.file,
                    label: i.title,
                    digest: i.digest,
                })
                .collect(),
            seal: r.seal,
            line,
        });
    }
    // One record per role.
    for (k, r) in out.iter().enumerate() {
        if let Some(first) = out[..k].iter().find(|o| o.role == r.role) {
            diags.push(
                Diagnostic::error(
                    "S001",
                    format!(
                        "角色“{}”有两条签核记录（另一条在第{}行）",
                        r.role, first.line
                    ),
                )
                .at(&src.path, &src.text, line_span(&src.text, r.line))
                .with_hint("删去多余的一条，或用 bulletin check --unsign 撤回后重新签核"),
            );
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end
}

/// The file text for `records` (in the order given).
pub fn render(records: &[Record]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# 签核记录：由 bulletin check --sign 写入，请勿手工修改（改动会使签核失效）。\n\
         # 撤回签核：bulletin check 期号 --unsign 角色\n",
    );
    for r in records {
        let _ = write!(
            out,
            "\n[[signoff]]\nrole = {}\nname = {}\ntime = {}\ndigest = {}\nmasthead = {}\nend_block = {}\nseal = {}\nitems = [\n",
            q(&r.role),
            q(&r.name),
            q(&r.time),
            q(&r.digest),
            q(&r.masthead),
            q(&r.end_block),
            q(&r.seal)
        );
        for i in &r.items {
            let _ = writeln!(
                out,
                "  {{ file = {}, title = {}, digest = {} }},",
                q(&i.file),
                q(&i.label),
                q(&i.digest)
            );
        }
        out.push_str("]\n");
    }
    out
}

/// What changed in the printed content since a sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Removed(String),
    Edited(String),
    Order,
    Masthead,
    EndBlock,
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
            Change::Tampered => "签核记录在签核后被手工改动过".to_string(),
        }
    }
}

/// The changes between a record and the current digests; empty = valid.
pub fn changes(record: &Record, now: &Digests) -> Vec<Change> {
    if record.compute_seal() != record.seal {
        return vec![Change::Tampered];
    }
    if record.digest == now.issue {
        // The printed content is the same (a renamed file changes nothing).
        return Vec::new();
    }
    let mut out = Vec::new();
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
fn person_problem(issue: &Issue, records: &[Record], r: &Record) -> Option<String> {
    if issue.footer.editor.as_deref() == Some(r.name.as_str()) {
        return Some(format!("{}是本期编辑，编辑不能签核", r.name));
    }
    records
        .iter()
        .find(|o| o.role != r.role && o.name == r.name)
        .map(|o| {
            format!(
                "{}同时签了“{}”和“{}”，同一人不能担任两个角色",
                r.name, o.role, r.role
            )
        })
}

/// Unknown roles in the file are errors naming their line.
pub fn unknown_roles(issue: &Issue, src_path: &Path, records: &[Record]) -> Diagnostics {
    let mut d = Diagnostics::default();
    let roles: Vec<&str> = issue
        .footer
        .signoffs
        .iter()
        .map(|s| s.role.as_str())
        .collect();
    if let Ok(src) = crate::source::read(src_path) {
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
        match crate::workspace::toml_error::closest(role, roles.iter().copied()) {
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
    let name = name.trim();
    known_role(issue, role)?;
    if name.is_empty() {
        return Err(error("S004", "签核人姓名不能为空"));
    }
    if issue.footer.editor.as_deref() == Some(name) {
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
    if let Some(o) = records.iter().find(|r| r.role != role && r.name == name) {
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
                Diagnostic::error("S006", format!("无法写入签核记录（{e}）")).in_file(&p)
            }
        };
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })
}

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

fn write(file: &Path, records: &[Record]) -> Result<(), Diagnostics> {
    crate::fsutil::write_atomic(file, render(records).as_bytes()).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("S006", format!("无法写入签核记录（{e}）")).in_file(file));
        d
    })
}

/// Prepare an issue for a build: a final build requires a valid sign-off
/// for every role and prints all names; a draft is marked 送审稿 and prints
/// only the names whose sign-off is still valid. Errors refuse the build.
pub fn prepare_build(
    issue: &mut Issue,
    issue_dir: &Path,
    final_build: bool,
) -> Result<(), Diagnostics> {
    let records = read(issue_dir)?;
    let unknown = unknown_roles(issue, &path(issue_dir), &records);
    if unknown.has_errors() {
        return Err(unknown);
    }
    let states = status(issue, &records);
    if final_build {
        let mut diags = Diagnostics::default();
        if states.is_empty() {
            diags.push(
                Diagnostic::error("S010", "本期没有配置签核角色，不能出正式版")
                    .with_hint("在 bulletin.toml 的 [footer] signoffs 里列出签核角色，例如 [\"核稿\", \"审核\"]"),
            );
        }
        for s in &states {
            if let Some(msg) = refusal(s) {
                diags.push(Diagnostic::error("S010", msg).with_hint(format!(
                    "请“{}”重新核对后签核：bulletin check {} --sign {} --name 姓名",
                    s.role, issue.number, s.role
                )));
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
            .then(|| s.record.as_ref().map(|r| r.name.clone()))
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
    let records = read(issue_dir)?;
    let states = status(issue, &records);
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

/// Now, RFC 3339 in local time to the second.
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Signoff;
    use crate::model::testutil::{issue, item};

    fn sample() -> Issue {
        let a = item(
            "01.md",
            Some("市民政局召开安全工作推进会"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实责任。",
        );
        let b = item(
            "02.md",
            None,
            "桐柏县民政局",
            "2025-12-03",
            "12月3日，桐柏县开展宪法宣传活动。",
        );
        let mut i = issue(vec![a], vec![b]);
        i.footer.editor = Some("王晨晖".into());
        i.footer.signoffs = ["核稿", "审核"]
            .iter()
            .map(|r| Signoff {
                role: r.to_string(),
                name: None,
            })
            .collect();
        i
    }

    fn record(issue: &Issue, role: &str, name: &str) -> Record {
        let d = digests(issue);
        let mut r = Record {
            role: role.into(),
            name: name.into(),
            time: "2025-12-08T10:30:00+08:00".into(),
            digest: d.issue,
            masthead: d.masthead,
            end_block: d.end_block,
            items: d.items,
            seal: String::new(),
            line: 0,
        };
        r.seal = r.compute_seal();
        r
    }

    #[test]
    fn render_parse_round_trip() {
        let i = sample();
        let recs = vec![record(&i, "核稿", "金路"), record(&i, "审核", "郭宇")];
        let src = SourceFile {
            path: PathBuf::from("signoffs.toml"),
            text: render(&recs),
        };
        let back = parse(&src).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].line, 5);
        for (a, b) in recs.iter().zip(&back) {
            assert_eq!(a.compute_seal(), b.compute_seal());
            assert_eq!(b.seal, b.compute_seal());
        }
    }

    #[test]
    fn edits_are_named() {
        let i = sample();
        let r = record(&i, "核稿", "金路");
        assert!(changes(&r, &digests(&i)).is_empty());
        let mut edited = sample();
        edited.sections[0].items[0] = item(
            "01.md",
            Some("市民政局召开安全工作推进会"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实安全责任。",
        );
        assert_eq!(
            changes(&r, &digests(&edited)),
            vec![Change::Edited("《市民政局召开安全工作推进会》".into())]
        );
        let mut removed = sample();
        removed.sections[1].items.clear();
        let c = changes(&r, &digests(&removed));
        assert_eq!(c.len(), 1);
        assert!(
            matches!(&c[0], Change::Removed(t) if t.starts_with("简讯“12月3日")),
            "{c:?}"
        );
        let mut foot = sample();
        foot.footer.copies = Some(80);
        assert_eq!(changes(&r, &digests(&foot)), vec![Change::EndBlock]);
    }

    #[test]
    fn renaming_a_file_changes_nothing_printed() {
        let i = sample();
        let r = record(&i, "核稿", "金路");
        let mut renamed = sample();
        renamed.sections[0].items[0] = item(
            "01-改名.md",
            Some("市民政局召开安全工作推进会"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实责任。",
        );
        assert!(changes(&r, &digests(&renamed)).is_empty());
        // Renamed and edited: the old one is removed, the new one added.
        renamed.sections[0].items[0] = item(
            "01-改名.md",
            Some("市民政局召开安全工作推进会"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实安全责任。",
        );
        let c = changes(&r, &digests(&renamed));
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(matches!(&c[0], Change::Added(_)) && matches!(&c[1], Change::Removed(_)));
    }

    #[test]
    fn tampering_is_caught() {
        let i = sample();
        let mut r = record(&i, "核稿", "金路");
        r.name = "郭宇".into();
        assert_eq!(changes(&r, &digests(&i)), vec![Change::Tampered]);
        let mut r = record(&i, "核稿", "金路");
        r.digest = "0".repeat(64);
        assert_eq!(changes(&r, &digests(&i)), vec![Change::Tampered]);
    }

    #[test]
    fn editor_and_double_roles_are_invalid() {
        let i = sample();
        let recs = vec![record(&i, "核稿", "王晨晖"), record(&i, "审核", "郭宇")];
        let st = status(&i, &recs);
        assert!(!st[0].is_valid() && st[1].is_valid());
        let recs = vec![record(&i, "核稿", "郭宇"), record(&i, "审核", "郭宇")];
        assert!(status(&i, &recs).iter().all(|s| !s.is_valid()));
    }

    #[test]
    fn build_preparation_fills_only_valid_names() {
        let dir = std::env::temp_dir().join(format!("bulletin-signoff-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let i = sample();
        sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00").unwrap();

        let mut draft = sample();
        prepare_build(&mut draft, &dir, false).unwrap();
        assert!(draft.footer.draft);
        assert_eq!(draft.footer.signoffs[0].name.as_deref(), Some("金路"));
        assert_eq!(draft.footer.signoffs[1].name, None);
        let mut fin = sample();
        let e = prepare_build(&mut fin, &dir, true).unwrap_err();
        assert_eq!(e.items.len(), 1);
        assert!(e.items[0].message.contains("“审核”还没有签核"));
        let mut auto = sample();
        assert!(!prepare_build_auto(&mut auto, &dir).unwrap());
        assert!(auto.footer.draft);

        sign(&i, &dir, "审核", "郭宇", "2025-12-08T11:00:00+08:00").unwrap();
        let mut fin = sample();
        prepare_build(&mut fin, &dir, true).unwrap();
        assert!(!fin.footer.draft);
        let names: Vec<_> = fin.footer.signoffs.iter().map(|s| s.name.clone()).collect();
        assert_eq!(
            names,
            vec![Some("金路".to_string()), Some("郭宇".to_string())]
        );
        let mut auto = sample();
        assert!(prepare_build_auto(&mut auto, &dir).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_signing_waits_and_stale_locks_are_taken_over() {
        let dir = std::env::temp_dir().join(format!("bulletin-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let i = sample();
        // Held by someone else: refused after waiting, nothing written.
        let lock = dir.join(LOCK_FILE);
        let held = FileLock::acquire(&lock, std::time::Duration::ZERO).unwrap();
        let e = sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00").unwrap_err();
        assert_eq!(e.items[0].code, "S007");
        assert!(!path(&dir).exists());
        // Left by a run that was killed: the OS lock is gone, taken over.
        drop(held);
        std::fs::write(&lock, "pid=424242\n").unwrap();
        sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00").unwrap();
        assert_eq!(std::fs::read(&lock).unwrap(), b"");
        // Many signers at once: no record is lost.
        std::thread::scope(|s| {
            for (role, name) in [("审核", "郭宇"), ("核稿", "李明")] {
                let (i, dir) = (&i, &dir);
                s.spawn(move || sign(i, dir, role, name, "2025-12-08T11:00:00+08:00").unwrap());
            }
        });
        let names: Vec<String> = read(&dir).unwrap().into_iter().map(|r| r.name).collect();
        assert_eq!(names, vec!["李明", "郭宇"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn malformed_file_names_the_line() {
        let src = SourceFile {
            path: PathBuf::from("signoffs.toml"),
            text: "[[signoff]]\nrole = \"核稿\"\nname = 金路\n".into(),
        };
        let e = parse(&src).unwrap_err();
        assert_eq!(e.items[0].location.as_ref().unwrap().line, 3);
    }
}
