//! One inbox file on its way into the issue: admitted (a settled, regular
//! file of a known type), read, decoded, turned into Markdown, validated
//! with the build's own code and written under a readable name. Each step
//! may stop the file: leave it for a later run or reject it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::inbox::{file_id, is_temp_name};
use super::{MAX_FILE_BYTES, Options, Outcome, Row, decode, txt};
use crate::diag::Diagnostics;
use crate::fsutil::{Boundary, file_name_safe};
use crate::source::SourceFile;
use crate::workspace::{Workspace, submission};

/// What one run works with.
pub(super) struct Run<'a> {
    pub ws: &'a Workspace,
    pub opts: &'a Options,
    /// Writes into the issue folder go through the workspace's boundary,
    /// moves in the inbox through the inbox's.
    pub ws_b: Boundary,
    pub inbox_b: Boundary,
    pub issue_dir: &'a Path,
    pub inbox: &'a Path,
    /// `YYYY-MM-DD`: the processed/ folder of this run.
    pub today: String,
    pub settle: Duration,
    /// (device, inode) → path of every file under processed/ and rejected/.
    pub moved: HashMap<(u64, u64), PathBuf>,
    /// SHA-256 → submission of the issue with that text: read once per
    /// run (on first need) and kept up to date, so that checking many drops
    /// for duplicates stays linear.
    pub issue_texts: RefCell<Option<HashMap<[u8; 32], PathBuf>>>,
}

/// Why a file goes no further.
pub(super) enum Stop {
    /// Leave it in the inbox for a later run, saying why.
    Leave(String),
    /// Move it to rejected/ with these problems.
    Reject(Vec<String>),
    /// Done with this outcome; the file is not moved (any more).
    Settled {
        outcome: Outcome,
        kept: Option<PathBuf>,
    },
}

pub(super) fn leave(why: impl Into<String>) -> Stop {
    Stop::Leave(why.into())
}

pub(super) fn reject(problem: impl Into<String>) -> Stop {
    Stop::Reject(vec![problem.into()])
}

enum Kind {
    Markdown,
    Text,
    /// .docx, .doc, .wps: the extension.
    Word(String),
}

impl Run<'_> {
    /// Take one inbox file as far as it goes; the row says where it ended.
    pub(super) fn one_file(&self, name: &str, path: &Path) -> Row {
        let mut row = Row {
            file: name.to_string(),
            encoding: String::new(),
            conversions: Vec::new(),
            outcome: Outcome::Left { why: String::new() },
            kept: None,
        };
        match self.convert(name, path, &mut row) {
            Ok(outcome) => self.keep_original(name, path, row, outcome),
            Err(Stop::Leave(why)) => {
                row.outcome = Outcome::Left { why };
                row
            }
            Err(Stop::Reject(problems)) => self.reject(name, path, row, problems),
            Err(Stop::Settled { outcome, kept }) => {
                row.outcome = outcome;
                row.kept = kept;
                row
            }
        }
    }

    /// The steps; the encoding and conversions go into `row` as found.
    /// `Ok` is an accepted or duplicate file whose original is still to be
    /// kept.
    fn convert(&self, name: &str, path: &Path, row: &mut Row) -> Result<Outcome, Stop> {
        let meta = self.admit(name, path)?;
        let kind = kind_of(name, &meta)?;
        let bytes = self.read_settled(path, &meta)?;
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Images a Word file brought are removed again unless it is accepted.
        let (text, images) = match kind {
            Kind::Word(ext) => self.word(&stem, &ext, &bytes, row)?,
            kind => {
                let decoded = decode_into(&bytes, row)?;
                (
                    self.to_markdown(kind, &stem, decoded, row)?,
                    Default::default(),
                )
            }
        };
        let (sub, warnings) = self.validate(name, &text)?;
        if let Some(existing) = self.same_text_in_issue(text.as_bytes()) {
            return Ok(Outcome::Duplicate { existing });
        }
        let base = readable_name(&sub, &stem);
        let dest = self
            .ws_b
            .write_unique(self.issue_dir, &base, "md", text.as_bytes())
            .map_err(|r| Stop::Settled {
                outcome: Outcome::Failed {
                    why: r.message("写入"),
                },
                kept: None,
            })?;
        self.remember_text(text.as_bytes(), &dest);
        images.keep();
        Ok(Outcome::Accepted { dest, warnings })
    }

    /// Whether the entry is a settled regular file to work on.
    fn admit(&self, name: &str, path: &Path) -> Result<fs::Metadata, Stop> {
        let meta = fs::symlink_metadata(path)
            .map_err(|e| leave(format!("无法读取（{}）", crate::source::io_reason(&e))))?;
        self.finish_interrupted_move(path, &meta)?;
        if meta.file_type().is_symlink() {
            return Err(reject(
                "这是一个符号链接（快捷方式），不是文件本身：请把文件本身放进收件箱",
            ));
        }
        if meta.is_dir() {
            return Err(leave("是文件夹，不处理：请把文件直接放在收件箱里"));
        }
        if is_temp_name(name) {
            return Err(leave("临时文件或未下载完的文件，下次再处理"));
        }
        if name.starts_with('.') {
            return Err(leave("隐藏文件，不处理"));
        }
        if !meta.is_file() {
            return Err(leave("不是普通文件（命名管道、设备等），不处理"));
        }
        // The same content is also somewhere else on the disk (perhaps
        // outside the workspace): not imported, and never changed.
        if links(&meta) > 1 {
            return Err(reject(
                "这个文件是硬链接（同一份内容还在磁盘的其他位置），不会导入：请把文件本身复制进收件箱",
            ));
        }
        if let Some(why) = self.still_written(&meta) {
            return Err(leave(why));
        }
        Ok(meta)
    }

    /// The same file (not a copy) is already in processed/ or rejected/:
    /// a run was killed between the two steps of the move. Finish it.
    fn finish_interrupted_move(&self, path: &Path, meta: &fs::Metadata) -> Result<(), Stop> {
        let Some(other) = file_id(meta).and_then(|id| self.moved.get(&id)) else {
            return Ok(());
        };
        Err(match fs::remove_file(path) {
            Ok(()) => Stop::Settled {
                outcome: Outcome::Duplicate {
                    existing: other.clone(),
                },
                kept: Some(other.clone()),
            },
            Err(e) => Stop::Settled {
                outcome: Outcome::Failed {
                    why: format!(
                        "上次导入中断，但无法完成移动（{}）",
                        crate::source::io_reason(&e)
                    ),
                },
                kept: None,
            },
        })
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

    /// The decoded text as a submission: Markdown as it is, plain text
    /// converted (which needs a section to put it in).
    fn to_markdown(
        &self,
        kind: Kind,
        stem: &str,
        decoded: decode::Decoded,
        row: &mut Row,
    ) -> Result<String, Stop> {
        match kind {
            Kind::Markdown | Kind::Word(_) => Ok(decoded.text),
            // The sender cannot fix this by renaming: leave it for a run
            // that says which section.
            Kind::Text
                if self.opts.defaults.category.is_none()
                    && self.ws.config.intake.category.is_none() =>
            {
                Err(leave(
                    "纯文本稿件需要指定栏目：请用 --category 栏目 再导入（或在 bulletin.toml 的 [intake] 里写 category）",
                ))
            }
            Kind::Text => {
                let md =
                    txt::to_markdown(stem, &decoded.text, &self.opts.defaults, &self.ws.config)
                        .map_err(Stop::Reject)?;
                row.conversions.push("纯文本 → Markdown".to_string());
                Ok(md)
            }
        }
    }

    /// Validate with the build's own code, as if the file were already in
    /// the issue (images resolve from there). Diagnostics name the file in
    /// the inbox; warnings come back as lines.
    fn validate(
        &self,
        name: &str,
        text: &str,
    ) -> Result<(submission::Submission, Vec<String>), Stop> {
        let in_inbox = self.inbox.join(name);
        // Every reason at once: the body is read even when the front
        // matter has errors, and the 原因 file lists both.
        let (sub, mut diags) = submission::parse_partial(
            SourceFile::new(in_inbox.clone(), text.to_string()),
            &self.ws.config,
        );
        let Some(sub) = sub else {
            return Err(Stop::Reject(problem_lines(&diags)));
        };
        let as_dest = SourceFile::new(self.issue_dir.join(name), text.to_string());
        let (_, mut body) =
            crate::model::markdown::parse_body(&as_dest, sub.body_start, &self.ws.root);
        for d in &mut body.items {
            if let Some(l) = &mut d.location {
                l.path = in_inbox.clone();
            }
        }
        diags.extend(body);
        if diags.has_errors() {
            diags.sort();
            return Err(Stop::Reject(problem_lines(&diags)));
        }
        Ok((sub, problem_lines(&diags)))
    }

    /// The file's bytes, if it did not change while read (someone still
    /// writing it). Read through the boundary: a regular file with one
    /// name, opened without following links or blocking.
    fn read_settled(&self, path: &Path, meta: &fs::Metadata) -> Result<Vec<u8>, Stop> {
        let bytes = self
            .inbox_b
            .read_single_link(path, MAX_FILE_BYTES)
            .map_err(|r| leave(format!("{}，下次再试", r.message("读取"))))?;
        match fs::symlink_metadata(path) {
            Ok(m) if m.len() == bytes.len() as u64 && m.modified().ok() == meta.modified().ok() => {
                Ok(bytes)
            }
            _ => Err(leave("读取时文件还在变化，下次再处理")),
        }
    }

    /// A submission of the issue with exactly this text (the first by
    /// name when several are).
    fn same_text_in_issue(&self, bytes: &[u8]) -> Option<PathBuf> {
        let mut cache = self.issue_texts.borrow_mut();
        let texts = cache.get_or_insert_with(|| {
            let mut texts = HashMap::new();
            let Ok(rd) = fs::read_dir(self.issue_dir) else {
                return texts;
            };
            let mut names: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
            names.sort();
            for p in names {
                if p.extension().is_some_and(|e| e == "md")
                    && fs::symlink_metadata(&p).is_ok_and(|m| m.is_file())
                    && let Ok(b) = self.ws_b.read(&p, MAX_FILE_BYTES)
                {
                    texts.entry(sha(&b)).or_insert(p);
                }
            }
            texts
        });
        let p = texts.get(&sha(bytes))?;
        // A hash match is confirmed byte for byte.
        self.ws_b
            .read(p, MAX_FILE_BYTES)
            .is_ok_and(|b| b == bytes)
            .then(|| p.clone())
    }

    /// Remember a submission just written, for [`Run::same_text_in_issue`].
    fn remember_text(&self, bytes: &[u8], path: &Path) {
        if let Some(texts) = self.issue_texts.borrow_mut().as_mut() {
            texts
                .entry(sha(bytes))
                .or_insert_with(|| path.to_path_buf());
        }
    }
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// How many names the file has (1 where unknown).
fn links(m: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        1
    }
}

/// The file's type by extension; other types and oversized files are
/// rejected unread.
fn kind_of(name: &str, meta: &fs::Metadata) -> Result<Kind, Stop> {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "md" | "markdown" => Kind::Markdown,
        "txt" => Kind::Text,
        e if super::word::is_word(e) => Kind::Word(e.to_string()),
        "" => {
            return Err(reject(
                "文件没有扩展名，无法判断类型：请提交 .docx、.md 或 .txt 文件",
            ));
        }
        other => {
            return Err(reject(format!(
                "不支持 .{other} 文件：请把稿件另存为 Word 文档（.docx，WPS/Word：另存为 → Word 文档）、纯文本（.txt）或 Markdown（.md）后重新提交"
            )));
        }
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(reject(format!(
            "文件太大（{:.1} MB），不像是一篇稿件（上限 {} MB）：请检查是否放错了文件",
            meta.len() as f64 / 1048576.0,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(kind)
}

/// The bytes as text; the encoding found and the conversions applied go
/// into `row`. Empty files and files without any text are rejected.
fn decode_into(bytes: &[u8], row: &mut Row) -> Result<decode::Decoded, Stop> {
    if bytes.is_empty() {
        return Err(reject("文件是空的（可能没有复制完）"));
    }
    let decoded = decode::decode(bytes).map_err(|why| Stop::Reject(vec![why]))?;
    row.encoding = decoded
        .conversions
        .iter()
        .find(|c| c.contains("→ UTF-8"))
        .cloned()
        .unwrap_or_else(|| decoded.encoding.clone());
    row.conversions = decoded.conversions.clone();
    if decoded.text.trim().is_empty() {
        return Err(reject("文件里没有任何文字（可能没有复制完，或保存时出错）"));
    }
    Ok(decoded)
}

/// Each diagnostic as one Chinese line: `第3行第9列：… （提示：…）` and the
/// line it points at.
fn problem_lines(diags: &Diagnostics) -> Vec<String> {
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
