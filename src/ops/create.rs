//! `bulletin init`, `bulletin issue new` and `bulletin new`: nothing that
//! exists is ever overwritten.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::SectionStyle;
use crate::diag::{Diagnostic, Diagnostics};
use crate::workspace::Workspace;
use crate::workspace::create::{self, NewSubmission};

/// A new workspace in `dir`; the path of its bulletin.toml.
pub fn init(dir: &Path, title: &str, publisher: &str, editor: &str) -> Result<PathBuf, Diagnostic> {
    create::init_workspace(dir, title, publisher, editor)
}

/// A new issue (default number: the last + 1); its number and issue.toml.
pub fn new_issue(
    ws: &Workspace,
    number: Option<u32>,
    date: NaiveDate,
) -> Result<(u32, PathBuf), Vec<Diagnostic>> {
    create::new_issue(ws, number, date)
}

/// What `bulletin new` asks for.
#[derive(Debug, Clone)]
pub struct SubmissionRequest<'a> {
    pub unit: &'a str,
    pub category: &'a str,
    pub title: Option<&'a str>,
    /// The issue (default: the newest).
    pub issue: Option<u32>,
    pub date: NaiveDate,
}

/// A new submission with its front matter filled in; its path and the
/// issue number.
pub fn new_submission(
    ws: &Workspace,
    req: &SubmissionRequest<'_>,
) -> Result<(PathBuf, u32), Diagnostics> {
    let one = super::one;
    let Some(section) = ws.config.section(req.category) else {
        return Err(one(Diagnostic::error(
            "E017",
            format!("栏目“{}”没有在 bulletin.toml 中定义", req.category),
        )
        .in_file(&ws.config.source().path)
        .with_hint(ws.config.unknown_section_hint(req.category))));
    };
    let title = req.title.map(str::trim).filter(|t| !t.is_empty());
    if title.is_none() && section.style != SectionStyle::Brief {
        return Err(one(Diagnostic::error(
            "E010",
            format!("栏目“{}”的稿件需要标题", req.category),
        )
        .with_hint("加上 --title 标题")));
    }
    let dir = ws.find_issue(req.issue)?;
    let sub = NewSubmission {
        unit: req.unit.trim(),
        category: req.category,
        title,
        date: req.date,
        body: None,
    };
    let path = create::new_submission(ws, &dir.path, &sub).map_err(one)?;
    Ok((path, dir.number))
}
