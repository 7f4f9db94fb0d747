//! `bulletin check N --sign 角色 --name 姓名` and `--unsign 角色`.

use std::path::PathBuf;

use super::check::Report;
use crate::diag::Diagnostics;
use crate::signoff::{self, Record};
use crate::workspace::Workspace;

/// Why a sign-off was not recorded.
#[derive(Debug)]
pub enum SignRefused {
    /// The issue could not even be assembled.
    NoIssue,
    /// The check found errors: `count` of them, in issue `number`.
    Errors { count: usize, number: u32 },
    /// Recording failed (unknown role, the editor signing …).
    Diags(Diagnostics),
    /// The issue no longer prints as the draft whose review code the
    /// reviewer gave: the current code and what changed since (`None` when
    /// that draft is not known here).
    CodeMismatch {
        given: String,
        now: String,
        changes: Option<Vec<String>>,
    },
}

/// A recorded sign-off and the file it is in.
#[derive(Debug)]
pub struct Signed {
    pub number: u32,
    pub record: Record,
    pub file: PathBuf,
}

/// Sign the issue of a check `report` that found no error; `replace` names
/// the person whose still-valid sign-off of the role this one replaces.
pub fn sign(
    ws: &Workspace,
    report: &Report,
    role: &str,
    name: &str,
    replace: Option<&str>,
    code: Option<&str>,
) -> Result<Signed, SignRefused> {
    let Some(issue) = &report.issue else {
        return Err(SignRefused::NoIssue);
    };
    let mut issue = issue.clone();
    issue.presentation = super::presentation::digest(ws).map_err(SignRefused::Diags)?;
    let issue = &issue;
    if let Some(given) = code {
        let given = given.trim().to_ascii_uppercase();
        let now = signoff::review_code(issue);
        if given != now {
            let changes = signoff::texts::explain_since_draft(&ws.boundary(), issue, &given);
            return Err(SignRefused::CodeMismatch {
                given,
                now,
                changes,
            });
        }
    }
    if report.diags.has_errors() {
        return Err(SignRefused::Errors {
            count: report.diags.error_count(),
            number: issue.number,
        });
    }
    let dir = ws
        .find_issue(Some(issue.number))
        .map_err(SignRefused::Diags)?;
    let record = signoff::sign(
        issue,
        &dir.path,
        role,
        name,
        &signoff::now_rfc3339(),
        replace,
    )
    .map_err(SignRefused::Diags)?;
    Ok(Signed {
        number: issue.number,
        record,
        file: signoff::path(&dir.path),
    })
}

/// Withdraw `role`'s sign-off of issue `number` (default: the newest).
pub fn unsign(ws: &Workspace, number: Option<u32>, role: &str) -> Result<Signed, Diagnostics> {
    let (issue, _) = crate::model::load_issue(ws, number)?;
    let dir = ws.find_issue(Some(issue.number))?;
    let record = signoff::unsign(&issue, &dir.path, role)?;
    Ok(Signed {
        number: issue.number,
        record,
        file: signoff::path(&dir.path),
    })
}
