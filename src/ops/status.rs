//! `bulletin status N`: each role's sign-off and whether it still holds.

use crate::diag::Diagnostics;
use crate::model::Issue;
use crate::signoff::{self, RoleStatus};
use crate::workspace::Workspace;

/// The sign-off state of one issue.
#[derive(Debug)]
pub struct Status {
    pub issue: Issue,
    pub states: Vec<RoleStatus>,
    /// The audit log (`status --history`).
    pub log: signoff::log::Log,
    /// For each state: what changed in each edited item since it was
    /// signed, character by character.
    pub diffs: Vec<Vec<String>>,
}

impl Status {
    /// Every configured role holds a valid sign-off.
    pub fn ready_for_final(&self) -> bool {
        !self.states.is_empty() && self.states.iter().all(RoleStatus::is_valid)
    }
}

/// The sign-off state of issue `number` (default: the newest).
pub fn status(ws: &Workspace, number: Option<u32>) -> Result<Status, Diagnostics> {
    let (mut issue, _) = crate::model::load_issue(ws, number)?;
    issue.presentation = super::presentation::digest(ws)?;
    let dir = ws.find_issue(Some(issue.number))?;
    let records = signoff::read(&ws.boundary(), &dir.path)?;
    let unknown = signoff::unknown_roles(&issue, &signoff::path(&dir.path), &records);
    if unknown.has_errors() {
        return Err(unknown);
    }
    let states = signoff::status_logged(&issue, &dir.path, &records);
    let log = signoff::log::read(&ws.boundary(), &dir.path);
    let b = ws.boundary();
    let diffs = states
        .iter()
        .map(|s| match &s.record {
            Some(r) if !s.changes.is_empty() => signoff::texts::explain(&b, &issue, r),
            _ => Vec::new(),
        })
        .collect();
    Ok(Status {
        issue,
        states,
        log,
        diffs,
    })
}
