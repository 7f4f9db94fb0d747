//! `bulletin intake`: the inbox's files into an issue.

use crate::diag::Diagnostics;
use crate::intake::{self, Options, Report};
use crate::workspace::Workspace;

/// Bring every settled file of the inbox into the issue of `opts`.
pub fn intake(ws: &Workspace, opts: &Options) -> Result<Report, Diagnostics> {
    intake::run(ws, opts)
}
