//! `bulletin check N`: the build's own validation, every content rule,
//! waivers and levels, and the sign-off file, in one report. Writes
//! nothing and serialises nothing: the issue is typeset in memory only for
//! glyph coverage and image problems.

use crate::check::{self, waiver};
use crate::diag::Diagnostics;
use crate::model::Issue;
use crate::render::{Format, RenderContext};
use crate::workspace::{ISSUE_FILE, IssueMeta, Workspace};

/// Everything `bulletin check` reports for one issue.
#[derive(Debug)]
pub struct Report {
    /// The assembled issue, when the build validation let it through.
    pub issue: Option<Issue>,
    pub diags: Diagnostics,
}

/// The metadata of every issue of the workspace but `number`.
pub fn other_issues(ws: &Workspace, number: u32) -> Vec<IssueMeta> {
    let Ok(dirs) = ws.issue_dirs() else {
        return Vec::new();
    };
    let b = ws.boundary();
    dirs.into_iter()
        .filter(|d| d.number != number)
        .filter_map(|d| crate::source::read(&b, &d.path.join(ISSUE_FILE)).ok())
        .filter_map(|src| IssueMeta::parse(&src).ok())
        .collect()
}

/// Rules that judge a front-matter value (unit, date): not reported for a
/// file whose front matter has errors, where the value is a placeholder.
const FRONT_MATTER_RULES: &[&str] = &["U001", "D001", "D002", "D004"];

/// Load issue `number` (default: the newest) and report every problem:
/// an error in one file's front matter or body does not stop the content
/// rules on its body or on the other files.
pub fn check(ws: &Workspace, number: Option<u32>) -> Report {
    let mut diags = check::config_problems(&ws.config);
    let (loaded, load_diags) = crate::model::load_issue_partial(ws, number);
    let load_failed = load_diags.has_errors();
    diags.extend(load_diags);
    let Some((issue, incomplete)) = loaded else {
        diags.sort();
        return Report { issue: None, diags };
    };
    // Typesetting (glyph coverage, images) only for an issue that loads
    // cleanly: an item with a missing image or placeholders is not set.
    if !load_failed {
        // Every format, with the workspace's own [layout], [fonts] and [pdf].
        let out = super::out_root(&ws.root, None);
        match RenderContext::new(
            &ws.config,
            &ws.root,
            out,
            &[Format::Html, Format::Pdf],
            false,
        ) {
            Ok(ctx) => diags.extend(ctx.validate(&issue)),
            Err(d) => diags.extend(d),
        }
    }
    let others = other_issues(ws, issue.number);
    let mut rules = check::content_rules(&ws.config, &issue, &others);
    rules.items.retain(|d| {
        !(FRONT_MATTER_RULES.contains(&d.code)
            && d.location
                .as_ref()
                .is_some_and(|l| incomplete.contains(&l.path)))
    });
    let issue_toml: Vec<crate::source::SourceFile> = issue
        .config_files
        .first()
        .map(|f| (*f.source).clone())
        .into_iter()
        .collect();
    let (rules, waiver_diags) = waiver::apply(&issue, &issue_toml, rules);
    diags.extend(check::apply_levels(&ws.config, rules));
    diags.extend(waiver_diags);
    // A broken sign-off file is reported here too, before anyone signs.
    if let Ok(dir) = ws.find_issue(Some(issue.number)) {
        match crate::signoff::read(&ws.boundary(), &dir.path) {
            Ok(records) => diags.extend(crate::signoff::unknown_roles(
                &issue,
                &crate::signoff::path(&dir.path),
                &records,
            )),
            Err(d) => diags.extend(d),
        }
    }
    diags.sort();
    // Only an issue the build would accept is handed on (to sign-off).
    Report {
        issue: (!load_failed).then_some(issue),
        diags,
    }
}
