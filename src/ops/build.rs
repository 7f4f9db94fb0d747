//! `bulletin build N`: one issue, draft or final, every requested format
//! rendered in memory and then written atomically. A build that fails
//! writes nothing.

use std::path::PathBuf;

use crate::diag::Diagnostics;
use crate::model;
use crate::render::{Format, RenderContext};
use crate::workspace::Workspace;

/// What the editor asked for.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The issue (default: the newest).
    pub number: Option<u32>,
    pub formats: Vec<Format>,
    /// Output root; `<workspace>/out` by default. Files go to `<out>/<N>/`.
    pub out_dir: Option<PathBuf>,
    /// A final edition (every sign-off must hold) instead of a draft.
    pub final_build: bool,
    /// Draw a placeholder for a character no font has, and warn, instead
    /// of failing the PDF.
    pub allow_missing_glyphs: bool,
    /// `build --all`: also build and publish issues whose sign-offs do not
    /// all hold, as drafts marked in the index and the feed.
    pub drafts: bool,
    /// Also produce the layout report of the PDF (grid, stretch, split
    /// groups, keeps).
    pub report: bool,
}

impl Default for BuildRequest {
    fn default() -> Self {
        BuildRequest {
            number: None,
            formats: vec![Format::Html, Format::Pdf],
            out_dir: None,
            final_build: false,
            allow_missing_glyphs: false,
            drafts: false,
            report: false,
        }
    }
}

/// A build that was written.
#[derive(Debug)]
pub struct Built {
    pub number: u32,
    pub items: usize,
    /// A draft (送审稿) rather than a final.
    pub draft: bool,
    /// The draft's review code (审核码).
    pub review_code: Option<String>,
    pub outputs: Vec<PathBuf>,
    pub notes: Vec<String>,
    pub warnings: Diagnostics,
    /// The PDF's layout report, when asked for (and a PDF was made).
    pub report: Option<String>,
}

/// Where a build stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and assembling the issue, or rendering it.
    Build,
    /// The sign-offs do not allow the final.
    Final,
    /// Writing the outputs.
    Write,
}

/// A build that wrote nothing.
#[derive(Debug)]
pub struct Refused {
    pub stage: Stage,
    pub diags: Diagnostics,
}

/// The result of a build: the warnings found while loading (reported
/// either way), then what was written or why nothing was.
#[derive(Debug)]
pub struct BuildOutcome {
    pub load_warnings: Diagnostics,
    pub result: Result<Built, Refused>,
}

/// Build one issue of the workspace.
pub fn build(ws: &Workspace, req: &BuildRequest) -> BuildOutcome {
    let refuse = |stage, diags| Err(Refused { stage, diags });
    let (mut issue, load_warnings) = match model::load_issue(ws, req.number) {
        Ok(x) => x,
        Err(diags) => {
            return BuildOutcome {
                load_warnings: Diagnostics::default(),
                result: refuse(Stage::Build, diags),
            };
        }
    };
    // The placeholder body of `bulletin new` (C010): a draft shows it, a
    // final refuses it.
    let mut load_warnings = load_warnings;
    let placeholder =
        crate::check::apply_levels(&ws.config, crate::check::placeholder::check(&issue));
    if req.final_build && placeholder.has_errors() {
        return BuildOutcome {
            load_warnings,
            result: refuse(Stage::Final, placeholder),
        };
    }
    for mut d in placeholder.items {
        d.severity = crate::diag::Severity::Warning;
        load_warnings.push(d);
    }
    let result = (|| {
        issue.presentation = super::presentation::digest(ws).map_err(|diags| Refused {
            stage: Stage::Build,
            diags,
        })?;
        if let Err(d) = crate::signoff::prepare_workspace_build(ws, &mut issue, req.final_build) {
            let stage = if req.final_build {
                Stage::Final
            } else {
                Stage::Build
            };
            return refuse(stage, d);
        }
        if issue.footer.draft {
            let code = crate::signoff::review_code(&issue);
            crate::signoff::texts::store_draft(&ws.boundary(), &issue, &code);
            issue.footer.review_code = Some(code);
        }
        let out = super::out_root(&ws.root, req.out_dir.as_deref());
        let ctx = RenderContext::new(
            &ws.config,
            &ws.root,
            out,
            &req.formats,
            req.allow_missing_glyphs,
        )
        .map_err(|diags| Refused {
            stage: Stage::Build,
            diags,
        })?;
        let rendered = ctx.render(&issue).map_err(|diags| Refused {
            stage: Stage::Build,
            diags,
        })?;
        let report = if req.report {
            ctx.layout_report(&issue).map_err(|diags| Refused {
                stage: Stage::Build,
                diags,
            })?
        } else {
            None
        };
        let b = super::out_boundary(&ws.root, &ctx.out_dir);
        super::write_outputs(&b, &rendered.outputs).map_err(|diags| Refused {
            stage: Stage::Write,
            diags,
        })?;
        Ok(Built {
            number: issue.number,
            items: issue.items().count(),
            draft: issue.footer.draft,
            review_code: issue.footer.review_code.clone(),
            outputs: rendered.outputs.into_iter().map(|o| o.path).collect(),
            notes: rendered.notes,
            warnings: rendered.warnings,
            report,
        })
    })();
    BuildOutcome {
        load_warnings,
        result,
    }
}
