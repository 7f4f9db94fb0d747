//! The workspace on disk: finding it, reading bulletin.toml, listing issue
//! folders and loading one issue's files.

pub mod create;
pub mod issue_meta;
pub mod submission;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::config::{CONFIG_FILE, Config};
pub use issue_meta::{ISSUE_FILE, IssueMeta};
pub use submission::Submission;

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsutil::Boundary;
use crate::limits;
use crate::source::{self, SourceFile};

pub const ISSUES_DIR: &str = "issues";

/// An opened workspace: its root and its parsed configuration.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
}

/// One issue folder on disk.
#[derive(Debug, Clone)]
pub struct IssueDir {
    pub number: u32,
    pub path: PathBuf,
}

/// The files of one issue, parsed but not yet turned into the model.
#[derive(Debug, Clone)]
pub struct IssueFiles {
    pub dir: IssueDir,
    pub meta: IssueMeta,
    pub meta_source: SourceFile,
    pub submissions: Vec<Submission>,
}

/// Find the workspace: `start` or its nearest ancestor holding bulletin.toml.
pub fn discover(start: &Path) -> Result<PathBuf, Diagnostic> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(Diagnostic::error(
        "E003",
        format!(
            "在 {} 及其上级目录中都找不到 bulletin.toml",
            start.display()
        ),
    )
    .with_hint("请在工作区目录中运行，或用 --root 指定工作区；新建工作区：bulletin init 目录"))
}

/// Number in a folder name: its leading ASCII digits (`39`, `039`, `39-冬季`).
fn folder_number(name: &str) -> Option<u32> {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        None
    } else {
        digits.parse().ok()
    }
}

impl Workspace {
    /// Open the workspace at `root` (which must hold bulletin.toml).
    pub fn open(root: &Path) -> Result<Workspace, Diagnostics> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let path = root.join(CONFIG_FILE);
        let mut diags = Diagnostics::default();
        if std::fs::symlink_metadata(&path).is_err() {
            diags.push(
                Diagnostic::error("E003", "找不到 bulletin.toml：这里不是工作区")
                    .in_file(&path)
                    .with_hint("新建工作区：bulletin init 目录"),
            );
            return Err(diags);
        }
        let config_source = source::read(&Boundary::new(&root), &path).map_err(|d| {
            let mut ds = Diagnostics::default();
            ds.push(d);
            ds
        })?;
        let config = Config::parse(&config_source)?;
        Ok(Workspace { root, config })
    }

    /// The boundary every read and write of the workspace's files goes
    /// through.
    pub fn boundary(&self) -> Boundary {
        Boundary::new(&self.root)
    }

    pub fn issues_dir(&self) -> PathBuf {
        self.root.join(ISSUES_DIR)
    }

    /// All issue folders, by number. Two folders with one number, or a
    /// folder whose issue.toml disagrees with its name, are errors.
    pub fn issue_dirs(&self) -> Result<Vec<IssueDir>, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut by_number: BTreeMap<u32, Vec<PathBuf>> = BTreeMap::new();
        let dir = self.issues_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                diags.push(source::io_error(&dir, &e));
                return Err(diags);
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if let Some(n) = folder_number(&name) {
                by_number.entry(n).or_default().push(path);
            }
        }
        let mut out = Vec::new();
        for (number, mut paths) in by_number {
            paths.sort();
            if paths.len() > 1 {
                let names: Vec<String> = paths
                    .iter()
                    .map(|p| crate::diag::display_path(p, Some(&self.root)))
                    .collect();
                diags.push(
                    Diagnostic::error(
                        "E030",
                        format!(
                            "有 {} 个期目录都是第{number}期：{}",
                            paths.len(),
                            names.join("、")
                        ),
                    )
                    .in_file(&paths[1])
                    .with_hint("每一期只能有一个目录；请合并或给其中一个改期号"),
                );
                continue;
            }
            out.push(IssueDir {
                number,
                path: paths.remove(0),
            });
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(out)
        }
    }

    /// The issue folder for `number`, or the newest one.
    pub fn find_issue(&self, number: Option<u32>) -> Result<IssueDir, Diagnostics> {
        let dirs = self.issue_dirs()?;
        let found = match number {
            Some(n) => dirs.into_iter().find(|d| d.number == n),
            None => dirs.into_iter().next_back(),
        };
        found.ok_or_else(|| {
            let mut d = Diagnostics::default();
            let msg = match number {
                Some(n) => format!("找不到第{n}期：没有 issues/{n}/ 目录"),
                None => "工作区里还没有任何一期".to_string(),
            };
            d.push(
                Diagnostic::error("E031", msg)
                    .in_file(&self.issues_dir())
                    .with_hint("新建一期：bulletin issue new --number 期号"),
            );
            d
        })
    }

    /// Read issue.toml and every submission of an issue; all problems reported.
    pub fn read_issue(&self, dir: IssueDir) -> Result<IssueFiles, Diagnostics> {
        match self.read_issue_partial(dir) {
            (Some(files), diags) if !diags.has_errors() => Ok(files),
            (_, diags) => Err(diags),
        }
    }

    /// Read issue.toml and every submission of an issue, reporting every
    /// problem. The files come back whenever issue.toml is readable, with
    /// the submissions whose body could be found — those whose front
    /// matter has errors among them, not `complete` — so that a check can
    /// still look at every body.
    pub fn read_issue_partial(&self, dir: IssueDir) -> (Option<IssueFiles>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let b = self.boundary();
        let meta_path = dir.path.join(ISSUE_FILE);
        let meta_source = match source::read(&b, &meta_path) {
            Ok(s) => Some(s),
            Err(d) => {
                diags.push(d);
                None
            }
        };
        let meta = meta_source
            .as_ref()
            .and_then(|s| match IssueMeta::parse(s) {
                Ok(m) => Some(m),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            });
        if let (Some(m), Some(s)) = (&meta, &meta_source)
            && m.number != dir.number
        {
            let index = crate::config::TomlIndex::new(&s.text);
            let span = index
                .key("number")
                .zip(index.value("number"))
                .map(|(k, v)| k.start..v.end);
            let mut d = Diagnostic::error(
                "E032",
                format!(
                    "issue.toml 写的是第{}期，但目录是第{}期",
                    m.number, dir.number
                ),
            )
            .with_hint("改正 issue.toml 的 number，或给目录改名");
            d = match span {
                Some(sp) => d.at(&s.path, &s.text, sp),
                None => d.in_file(&s.path),
            };
            diags.push(d);
        }
        let mut submissions = Vec::new();
        // Every entry named *.md but folders: a FIFO or a device named like
        // a submission is refused by the boundary, not silently skipped.
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir.path) {
            Ok(entries) => entries
                .flatten()
                .filter(|e| !e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .filter(|p| !p.is_dir())
                .collect(),
            Err(e) => {
                diags.push(source::io_error(&dir.path, &e));
                Vec::new()
            }
        };
        files.sort();
        let mut total_bytes = 0u64;
        for file in files {
            if let Err(d) = size_caps(&file, &mut total_bytes) {
                let stop = d.code == "E005";
                diags.push(d);
                if stop {
                    break;
                }
                continue;
            }
            match source::read(&b, &file) {
                Ok(src) => {
                    let (sub, d) = submission::parse_partial(src, &self.config);
                    diags.extend(d);
                    submissions.extend(sub);
                }
                Err(d) => diags.push(d),
            }
        }
        let (Some(meta), Some(meta_source)) = (meta, meta_source) else {
            return (None, diags);
        };
        let files = IssueFiles {
            dir,
            meta,
            meta_source,
            submissions,
        };
        (Some(files), diags)
    }
}

/// A submission over [`limits::MAX_SUBMISSION_BYTES`] (E004), or one
/// that takes the issue's submissions over [`limits::MAX_ISSUE_BYTES`]
/// (E005), is refused before it is read.
fn size_caps(file: &Path, total: &mut u64) -> Result<(), Diagnostic> {
    let len = std::fs::metadata(file).map_or(0, |m| m.len());
    if len > limits::MAX_SUBMISSION_BYTES {
        return Err(Diagnostic::error(
            "E004",
            format!(
                "投稿文件太大（{:.1} MB），超过了每篇 {} MB 的上限，没有读取",
                len as f64 / 1048576.0,
                limits::MAX_SUBMISSION_BYTES >> 20
            ),
        )
        .in_file(file)
        .with_hint(
            "请检查是否放错了文件；稿件一般只有几十 KB，图片请单独存放、用 ![说明](图片.jpg) 引用",
        ));
    }
    *total += len;
    if *total > limits::MAX_ISSUE_BYTES {
        return Err(Diagnostic::error(
            "E005",
            format!(
                "本期的投稿合计超过了 {} MB 的上限，从这个文件起没有读取",
                limits::MAX_ISSUE_BYTES >> 20
            ),
        )
        .in_file(file)
        .with_hint("请检查本期目录里是否放了不属于本期的大文件；稿件一般只有几十 KB"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_number_points_at_number_not_total_number() {
        let dir = std::env::temp_dir().join(format!("bulletin-ws-number-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("issues/5")).unwrap();
        std::fs::write(
            dir.join(CONFIG_FILE),
            "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"a\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("issues/5").join(ISSUE_FILE),
            "total_number = 100\nnumber = 6\ndate = 2025-12-01\n",
        )
        .unwrap();
        let ws = Workspace::open(&dir).unwrap();
        let d = ws
            .find_issue(Some(5))
            .and_then(|i| ws.read_issue(i))
            .unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        let e = d.items.iter().find(|d| d.code == "E032").expect("E032");
        let at = e.location.as_ref().expect("located");
        assert_eq!((at.line, at.column), (2, 1));
    }
}
