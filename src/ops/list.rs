//! `bulletin list`: every issue with its date and items per section.

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::model;
use crate::workspace::Workspace;

/// One issue of the list.
#[derive(Debug)]
pub enum Listed {
    Issue {
        number: u32,
        date: NaiveDate,
        /// (section name, number of items), in section order.
        sections: Vec<(String, usize)>,
    },
    /// The issue cannot be assembled: how many errors it has.
    Broken { number: u32, errors: usize },
}

/// Every issue of the workspace, by number.
pub fn list(ws: &Workspace) -> Result<Vec<Listed>, Diagnostics> {
    let dirs = ws.issue_dirs()?;
    Ok(dirs
        .into_iter()
        .map(|dir| {
            let number = dir.number;
            match ws.read_issue(dir).and_then(|f| model::assemble(ws, f)) {
                Ok((issue, _)) => Listed::Issue {
                    number: issue.number,
                    date: issue.date,
                    sections: issue
                        .sections
                        .iter()
                        .map(|s| (s.name.clone(), s.items.len()))
                        .collect(),
                },
                Err(diags) => Listed::Broken {
                    number,
                    errors: diags.error_count(),
                },
            }
        })
        .collect())
}
