//! `bulletin list`: every issue with its date, items per section and where
//! it stands on the way to the final edition.

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::model;
use crate::signoff;
use crate::workspace::Workspace;

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No valid sign-off yet.
    Draft,
    /// Some roles hold a valid sign-off, not all.
    Signing,
    /// Every role holds a valid sign-off: `build --final` may run.
    Ready,
    /// Ready, and the final edition is in out/N/ under its final name.
    Published,
}

impl Stage {
    /// The word the office uses.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "送审稿",
            Stage::Signing => "签核中",
            Stage::Ready => "可出正式版",
            Stage::Published => "已出正式版",
        }
    }

    /// A stable name for other tools.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Signing => "signing",
            Stage::Ready => "ready",
            Stage::Published => "published",
        }
    }
}

/// One issue of the list.
#[derive(Debug)]
pub enum Listed {
    Issue {
        number: u32,
        date: NaiveDate,
        total_number: Option<u32>,
        /// The number within the year, when the workspace numbers by year.
        year_number: Option<u32>,
        /// How the issue is called: `第39期`, by year `2026年第1期`.
        label: String,
        /// `（总第121期）` when a total is kept (always by year).
        total_label: Option<String>,
        /// (section name, number of items), in section order.
        sections: Vec<(String, usize)>,
        stage: Stage,
        /// Roles with a valid sign-off, and roles in all.
        signed: usize,
        roles: usize,
    },
    /// The issue cannot be assembled: how many errors it has.
    Broken { number: u32, errors: usize },
}

/// Every issue of the workspace, by number.
pub fn list(ws: &Workspace) -> Result<Vec<Listed>, Diagnostics> {
    let dirs = ws.issue_dirs()?;
    // The presentation digest is the same for every issue: computed once.
    let presentation = super::presentation::digest(ws)?;
    let out = super::out_root(&ws.root, None);
    Ok(dirs
        .into_iter()
        .map(|dir| {
            let number = dir.number;
            let path = dir.path.clone();
            let assembled = ws.read_issue(dir).and_then(|f| model::assemble(ws, f));
            let (mut issue, _) = match assembled {
                Ok(x) => x,
                Err(diags) => {
                    return Listed::Broken {
                        number,
                        errors: diags.error_count(),
                    };
                }
            };
            issue.presentation = presentation.clone();
            let states = match signoff::read(&ws.boundary(), &path) {
                Ok(records) => signoff::status_logged(&issue, &path, &records),
                Err(diags) => {
                    return Listed::Broken {
                        number,
                        errors: diags.error_count(),
                    };
                }
            };
            let signed = states.iter().filter(|s| s.is_valid()).count();
            let roles = states.len();
            let stage = if roles > 0 && signed == roles {
                let stem = issue.file_stem();
                let dir = out.join(issue.number.to_string());
                let published = ["pdf", "html"]
                    .iter()
                    .any(|ext| dir.join(format!("{stem}.{ext}")).is_file());
                if published {
                    Stage::Published
                } else {
                    Stage::Ready
                }
            } else if signed > 0 {
                Stage::Signing
            } else {
                Stage::Draft
            };
            Listed::Issue {
                number: issue.number,
                date: issue.date,
                total_number: issue.total_number,
                year_number: issue.year_number,
                label: issue.number_label(),
                total_label: issue.total_label(),
                sections: issue
                    .sections
                    .iter()
                    .map(|s| (s.name.clone(), s.items.len()))
                    .collect(),
                stage,
                signed,
                roles,
            }
        })
        .collect())
}
