//! `bulletin intake`: files that county offices drop into the inbox become
//! submissions of an issue. Every file ends up in exactly one place:
//!
//! - accepted: a normalised UTF-8 copy in `issues/<N>/`, the original bytes
//!   moved to `inbox/processed/<date>/`;
//! - rejected: moved to `inbox/rejected/` with `<name>.原因.txt` beside it;
//! - left in the inbox for the next run (still being written, temp names).
//!
//! Nothing is deleted and nothing is overwritten. Validation is the build's
//! own code (`submission::parse`, `markdown::parse_body`). One intake runs
//! at a time (see [`lock`]).

pub mod decode;
pub mod lock;
pub mod txt;

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::fsutil::file_name_safe;
pub use crate::fsutil::names::{move_unique, write_unique};
use crate::source::SourceFile;
use crate::workspace::{Workspace, submission};

pub const PROCESSED_DIR: &str = "processed";
pub const REJECTED_DIR: &str = "rejected";
/// Files larger than this are refused without being read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Suffix of the reason file written beside a rejected file.
pub const REASON_SUFFIX: &str = ".原因.txt";

/// How one intake run is asked to behave.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Issue number; the newest issue when absent.
    pub issue: Option<u32>,
    /// Unit, date and category for `.txt` files whose name does not say.
    pub defaults: txt::Defaults,
    /// Overrides `[intake] settle_seconds`.
    pub settle: Option<Duration>,
}

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

/// The inbox folder of a workspace.
pub fn inbox_dir(ws: &Workspace) -> PathBuf {
    let p = Path::new(&ws.config.intake.inbox);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        ws.root.join(p)
    }
}

/// Why `inbox` cannot be the inbox: it is the workspace itself, an issue
/// folder, or holds the issues. Intake moves every file it finds there.
fn inbox_conflict(ws: &Workspace, inbox: &Path) -> Option<&'static str> {
    let norm = |p: &Path| -> PathBuf {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out.canonicalize().unwrap_or(out)
    };
    let inbox = norm(inbox);
    let root = norm(&ws.root);
    let issues = norm(&ws.issues_dir());
    if inbox == root {
        Some("这是工作区本身")
    } else if root.starts_with(&inbox) {
        Some("它包含了整个工作区")
    } else if inbox.starts_with(&issues) || issues.starts_with(&inbox) {
        Some("它与期目录 issues/ 重叠")
    } else {
        None
    }
}

/// Names editors and browsers give files they have not finished writing.
pub fn is_temp_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with(".~")
        || name.starts_with('~')
        || name.ends_with('~')
        || [
            ".part",
            ".partial",
            ".tmp",
            ".temp",
            ".crdownload",
            ".download",
            ".swp",
            ".!qb",
            ".td",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
}

/// Run intake over the workspace's inbox.
pub fn run(ws: &Workspace, opts: &Options) -> Result<Report, Diagnostics> {
    let one = |d: Diagnostic| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    };
    let dir = ws.find_issue(opts.issue)?;
    if let Some(c) = &ws.config.intake.category
        && ws.config.section(c).is_none()
    {
        return Err(one(Diagnostic::error(
            "E017",
            format!("[intake] 的 category“{c}”没有在 bulletin.toml 的栏目中定义"),
        )
        .in_file(&ws.config_source.path)));
    }
    if let Some(c) = &opts.defaults.category
        && ws.config.section(c).is_none()
    {
        let names: Vec<&str> = ws.config.sections.iter().map(|s| s.name.as_str()).collect();
        let hint = match crate::workspace::toml_error::closest(c, names.iter().copied()) {
            Some(b) => format!("是不是“{b}”？可用的栏目：{}", names.join("、")),
            None => format!("可用的栏目：{}", names.join("、")),
        };
        return Err(one(Diagnostic::error(
            "E017",
            format!("--category 给的栏目“{c}”没有在 bulletin.toml 中定义，没有处理任何文件"),
        )
        .in_file(&ws.config_source.path)
        .with_hint(hint)));
    }
    let inbox = inbox_dir(ws);
    if let Some(why) = inbox_conflict(ws, &inbox) {
        let at = ws.config_source.text.find("inbox");
        let d = Diagnostic::error(
            "E063",
            format!("收件箱不能设为“{}”：{why}", ws.config.intake.inbox),
        )
        .with_hint(
            "在 bulletin.toml 的 [intake] 里把 inbox 设为一个专用目录，例如 inbox = \"inbox\"",
        );
        return Err(one(match at {
            Some(i) => d.at(&ws.config_source.path, &ws.config_source.text, i..i + 5),
            None => d.in_file(&ws.config_source.path),
        }));
    }
    let lock = lock::IntakeLock::acquire(&ws.root).map_err(one)?;
    let mut report = Report {
        issue: dir.number,
        issue_dir: dir.path.clone(),
        inbox: inbox.clone(),
        rows: Vec::new(),
        stale_lock: lock.stale.clone(),
        created_inbox: false,
    };
    match fs::metadata(&inbox) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(one(Diagnostic::error(
                "E062",
                "收件箱应当是一个文件夹，这里却是一个文件",
            )
            .in_file(&inbox)));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(&inbox).map_err(|e| {
                one(Diagnostic::error("E062", format!("无法创建收件箱（{e}）")).in_file(&inbox))
            })?;
            report.created_inbox = true;
            return Ok(report);
        }
        Err(e) => return Err(one(crate::source::io_error(&inbox, &e))),
    }
    let mut entries: Vec<(OsString, PathBuf)> = fs::read_dir(&inbox)
        .map_err(|e| one(crate::source::io_error(&inbox, &e)))?
        .flatten()
        .map(|e| (e.file_name(), e.path()))
        .collect();
    entries.sort();
    let settle = opts
        .settle
        .unwrap_or(Duration::from_secs(ws.config.intake.settle_seconds));
    // Leftovers of a run that was killed: temp files of half-done writes,
    // and files already linked into processed/ or rejected/ whose inbox
    // name was not yet removed.
    for d in [
        dir.path.clone(),
        inbox.join(REJECTED_DIR),
        inbox
            .join(PROCESSED_DIR)
            .join(chrono::Local::now().format("%Y-%m-%d").to_string()),
    ] {
        crate::fsutil::clean_stale_temps_in(&d);
    }
    let run = Run {
        ws,
        opts,
        issue_dir: &dir.path,
        inbox: &inbox,
        today: chrono::Local::now().format("%Y-%m-%d").to_string(),
        settle,
        moved: moved_files(&inbox),
    };
    for (name, path) in entries {
        let (shown, name_converted) = file_name_text(&name);
        if (shown == PROCESSED_DIR || shown == REJECTED_DIR) && path.is_dir() {
            continue;
        }
        let mut row = run.one_file(&shown, &path);
        if name_converted {
            row.conversions
                .insert(0, "文件名 GB18030 → UTF-8".to_string());
        }
        report.rows.push(row);
    }
    drop(lock);
    Ok(report)
}

/// A file name as text. Names in GBK (zip files and shares from Windows)
/// are decoded; the file keeps its name on disk until it is moved, and is
/// moved under the decoded name. `true` when decoded from GB18030.
fn file_name_text(name: &std::ffi::OsStr) -> (String, bool) {
    if let Some(s) = name.to_str() {
        return (s.to_string(), false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(name.as_bytes());
        if !had_errors && !text.contains(['/', '\0']) {
            return (text.into_owned(), true);
        }
    }
    (name.to_string_lossy().into_owned(), false)
}

struct Run<'a> {
    ws: &'a Workspace,
    opts: &'a Options,
    issue_dir: &'a Path,
    inbox: &'a Path,
    today: String,
    settle: Duration,
    /// (device, inode) → path of every file under processed/ and rejected/.
    moved: std::collections::HashMap<(u64, u64), PathBuf>,
}

#[cfg(unix)]
fn file_id(m: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Every file already moved out of the inbox, by identity.
fn moved_files(inbox: &Path) -> std::collections::HashMap<(u64, u64), PathBuf> {
    let mut out = std::collections::HashMap::new();
    let mut dirs = vec![inbox.join(REJECTED_DIR)];
    if let Ok(rd) = fs::read_dir(inbox.join(PROCESSED_DIR)) {
        dirs.extend(rd.flatten().map(|e| e.path()));
    }
    for d in dirs {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            if let Ok(m) = fs::symlink_metadata(e.path())
                && let Some(id) = file_id(&m)
            {
                out.insert(id, e.path());
            }
        }
    }
    out
}

enum Kind {
    Markdown,
    Text,
}

impl Run<'_> {
    fn row(&self, file: &str, outcome: Outcome) -> Row {
        Row {
            file: file.to_string(),
            encoding: String::new(),
            conversions: Vec::new(),
            outcome,
            kept: None,
        }
    }

    fn one_file(&self, name: &str, path: &Path) -> Row {
        let left = |why: &str| {
            self.row(
                name,
                Outcome::Left {
                    why: why.to_string(),
                },
            )
        };
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => return left(&format!("无法读取（{e}）")),
        };
        // The same file (not a copy) is already in processed/ or rejected/:
        // a run was killed between the two steps of the move. Finish it.
        if let Some(other) = file_id(&meta).and_then(|id| self.moved.get(&id)) {
            return match fs::remove_file(path) {
                Ok(()) => {
                    let mut row = self.row(
                        name,
                        Outcome::Duplicate {
                            existing: other.clone(),
                        },
                    );
                    row.kept = Some(other.clone());
                    row
                }
                Err(e) => self.row(
                    name,
                    Outcome::Failed {
                        why: format!("上次导入中断，但无法完成移动（{e}）"),
                    },
                ),
            };
        }
        if meta.file_type().is_symlink() {
            return self.reject(
                name,
                path,
                self.row(name, Outcome::Left { why: String::new() }),
                vec![
                    "这是一个符号链接（快捷方式），不是文件本身：请把文件本身放进收件箱"
                        .to_string(),
                ],
            );
        }
        if meta.is_dir() {
            return left("是文件夹，不处理：请把文件直接放在收件箱里");
        }
        if is_temp_name(name) {
            return left("临时文件或未下载完的文件，下次再处理");
        }
        if name.starts_with('.') {
            return left("隐藏文件，不处理");
        }
        if !meta.is_file() {
            return left("不是普通文件，不处理");
        }
        if let Some(why) = self.still_written(&meta) {
            return left(&why);
        }
        let ext = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let kind = match ext.as_str() {
            "md" | "markdown" => Kind::Markdown,
            "txt" => Kind::Text,
            "" => {
                return self.reject(
                    name,
                    path,
                    self.row(name, Outcome::Left { why: String::new() }),
                    vec!["文件没有扩展名，无法判断类型：请提交 .md 或 .txt 文件".to_string()],
                );
            }
            other => {
                return self.reject(
                    name,
                    path,
                    self.row(name, Outcome::Left { why: String::new() }),
                    vec![format!(
                        "不支持 .{other} 文件：请把稿件另存为纯文本（.txt，WPS/Word：另存为 → 纯文本）或 Markdown（.md）后重新提交"
                    )],
                );
            }
        };
        if meta.len() > MAX_FILE_BYTES {
            return self.reject(
                name,
                path,
                self.row(name, Outcome::Left { why: String::new() }),
                vec![format!(
                    "文件太大（{:.1} MB），不像是一篇稿件（上限 {} MB）：请检查是否放错了文件",
                    meta.len() as f64 / 1048576.0,
                    MAX_FILE_BYTES >> 20
                )],
            );
        }
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) => return left(&format!("无法读取（{e}），下次再试")),
        };
        // Changed while we read it: someone is still writing.
        match fs::metadata(path) {
            Ok(m) if m.len() == bytes.len() as u64 && m.modified().ok() == meta.modified().ok() => {
            }
            _ => return left("读取时文件还在变化，下次再处理"),
        }
        let mut row = self.row(name, Outcome::Left { why: String::new() });
        if bytes.is_empty() {
            return self.reject(
                name,
                path,
                row,
                vec!["文件是空的（可能没有复制完）".to_string()],
            );
        }
        let decoded = match decode::decode(&bytes) {
            Ok(d) => d,
            Err(why) => return self.reject(name, path, row, vec![why]),
        };
        row.encoding = decoded
            .conversions
            .iter()
            .find(|c| c.contains("→ UTF-8"))
            .cloned()
            .unwrap_or_else(|| decoded.encoding.clone());
        row.conversions = decoded.conversions.clone();
        if decoded.text.trim().is_empty() {
            return self.reject(
                name,
                path,
                row,
                vec!["文件里没有任何文字（可能没有复制完，或保存时出错）".to_string()],
            );
        }
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match kind {
            Kind::Markdown => decoded.text,
            Kind::Text
                if self.opts.defaults.category.is_none()
                    && self.ws.config.intake.category.is_none() =>
            {
                // The sender cannot fix this by renaming: leave it for a run
                // that says which section.
                row.outcome = Outcome::Left {
                    why: "纯文本稿件需要指定栏目：请用 --category 栏目 再导入（或在 bulletin.toml 的 [intake] 里写 category）".to_string(),
                };
                return row;
            }
            Kind::Text => {
                match txt::to_markdown(&stem, &decoded.text, &self.opts.defaults, &self.ws.config) {
                    Ok(md) => {
                        row.conversions.push("纯文本 → Markdown".to_string());
                        md
                    }
                    Err(problems) => return self.reject(name, path, row, problems),
                }
            }
        };
        // Validate with the build's own code, as if the file were already
        // in the issue (images resolve from there).
        let in_inbox = self.inbox.join(name);
        let sub = match submission::parse(
            SourceFile {
                path: in_inbox.clone(),
                text: text.clone(),
            },
            &self.ws.config,
        ) {
            Ok(s) => s,
            Err(diags) => return self.reject(name, path, row, problem_lines(&diags, &text)),
        };
        let as_dest = SourceFile {
            path: self.issue_dir.join(name),
            text: text.clone(),
        };
        let (_, mut diags) =
            crate::model::markdown::parse_body(&as_dest, sub.body_start, &self.ws.root);
        for d in &mut diags.items {
            if let Some(l) = &mut d.location {
                l.path = in_inbox.clone();
            }
        }
        if diags.has_errors() {
            return self.reject(name, path, row, problem_lines(&diags, &text));
        }
        let warnings = problem_lines(&diags, &text);

        if let Some(existing) = self.same_text_in_issue(text.as_bytes()) {
            return self.keep_original(name, path, row, Outcome::Duplicate { existing });
        }
        let base = readable_name(&sub, &stem);
        let dest = match write_unique(self.issue_dir, &base, "md", text.as_bytes()) {
            Ok(p) => p,
            Err(e) => {
                row.outcome = Outcome::Failed {
                    why: format!("无法写入 {}（{e}）", self.issue_dir.display()),
                };
                return row;
            }
        };
        self.keep_original(name, path, row, Outcome::Accepted { dest, warnings })
    }

    /// The file's age says it may still be growing.
    fn still_written(&self, meta: &fs::Metadata) -> Option<String> {
        let modified = meta.modified().ok()?;
        let now = SystemTime::now();
        match now.duration_since(modified) {
            Ok(age) if age >= self.settle => None,
            Ok(_) => Some(format!(
                "{} 秒内刚修改过，可能还在写入，下次再处理",
                self.settle.as_secs().max(1)
            )),
            // In the future by more than the settle time: a skewed clock on
            // the sender's side; anything else counts as just written.
            Err(e) if e.duration() > self.settle + Duration::from_secs(60) => None,
            Err(_) => Some("刚修改过，可能还在写入，下次再处理".to_string()),
        }
    }

    /// A submission of the issue with exactly this text.
    fn same_text_in_issue(&self, bytes: &[u8]) -> Option<PathBuf> {
        let rd = fs::read_dir(self.issue_dir).ok()?;
        let mut names: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        names.sort();
        names.into_iter().find(|p| {
            p.extension().is_some_and(|e| e == "md")
                && fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && fs::read(p).is_ok_and(|b| b == bytes)
        })
    }

    /// Move the original into processed/<date>/ and finish the row.
    fn keep_original(&self, name: &str, path: &Path, mut row: Row, outcome: Outcome) -> Row {
        let dir = self.inbox.join(PROCESSED_DIR).join(&self.today);
        match move_unique(path, &dir, name) {
            Ok(kept) => {
                row.kept = Some(kept);
                row.outcome = outcome;
            }
            Err(e) => {
                let done = match &outcome {
                    Outcome::Accepted { dest, .. } => format!(
                        "已导入为 {}，但原文件无法移入 processed/（{e}）；下次导入会识别为重复",
                        dest.display()
                    ),
                    _ => format!("原文件无法移入 processed/（{e}）"),
                };
                row.outcome = Outcome::Failed { why: done };
            }
        }
        row
    }

    /// Move the file to rejected/ and write the reason beside it.
    fn reject(&self, name: &str, path: &Path, mut row: Row, problems: Vec<String>) -> Row {
        let dir = self.inbox.join(REJECTED_DIR);
        let dest = match move_unique(path, &dir, name) {
            Ok(d) => d,
            Err(e) => {
                row.outcome = Outcome::Failed {
                    why: format!(
                        "应退回，但无法移入 rejected/（{e}）：{}",
                        problems.join("；")
                    ),
                };
                return row;
            }
        };
        let final_name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = reason_text(name, &final_name, &problems);
        let reason_base = format!("{final_name}{}", REASON_SUFFIX.trim_end_matches(".txt"));
        let reason_file = match write_unique(&dir, &reason_base, "txt", text.as_bytes()) {
            Ok(p) => p,
            Err(e) => {
                row.outcome = Outcome::Failed {
                    why: format!("已移入 rejected/，但无法写原因文件（{e}）"),
                };
                return row;
            }
        };
        row.outcome = Outcome::Rejected {
            dest,
            reason_file,
            problems,
        };
        row
    }
}

/// Each diagnostic as one Chinese line: `第3行第9列：… （提示：…）` and the
/// line it points at.
fn problem_lines(diags: &Diagnostics, _text: &str) -> Vec<String> {
    diags
        .items
        .iter()
        .map(|d| {
            let mut s = String::new();
            if let Some(l) = &d.location
                && l.line > 0
            {
                s.push_str(&format!("第{}行第{}列：", l.line, l.column));
            }
            s.push_str(&d.message);
            if let Some(l) = &d.location
                && l.line > 0
                && !l.line_text.trim().is_empty()
            {
                s.push_str(&format!("\n      原文：{}", l.line_text));
            }
            if let Some(h) = &d.hint {
                s.push_str(&format!("\n      提示：{h}"));
            }
            s
        })
        .collect()
}

fn reason_text(original: &str, stored: &str, problems: &[String]) -> String {
    let mut t = format!(
        "退回的文件：{original}\n保存为：rejected/{stored}\n处理时间：{}\n\n未能导入的原因：\n",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
    );
    for (i, p) in problems.iter().enumerate() {
        t.push_str(&format!("{}. {p}\n", i + 1));
    }
    t.push_str("\n处理办法：请改正以上问题后，把文件重新放入收件箱，再运行 bulletin intake。\n");
    t
}

/// A file name from the submission's title (or unit and date for a 简讯
/// without one), safe on Windows and Linux, at most 40 characters.
pub fn readable_name(sub: &submission::Submission, stem: &str) -> String {
    let raw = match &sub.title {
        Some(t) => t.value.clone(),
        None => format!("{}-{}", sub.unit.value, sub.date.value.format("%Y-%m-%d")),
    };
    let name = file_name_safe(&raw);
    if !name.is_empty() {
        return name;
    }
    let name = file_name_safe(stem);
    if name.is_empty() {
        "投稿".to_string()
    } else {
        name
    }
}

/// The path as shown to the user, relative to the workspace.
pub fn shown(ws: &Workspace, p: &Path) -> String {
    display_path(p, Some(&ws.root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        for n in [
            "~$稿件.docx",
            "稿件.md.part",
            "稿件.TMP",
            "下载.txt.crdownload",
            ".~lock.稿件.odt#",
            "稿件.md~",
        ] {
            assert!(is_temp_name(n), "{n}");
        }
        for n in ["稿件.md", "南召县民政局_2025-12-03_标题.txt", "partners.md"] {
            assert!(!is_temp_name(n), "{n}");
        }
    }
}
