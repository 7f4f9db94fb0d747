//! The whole in-memory build. The input is split at 0xFF bytes (never in
//! UTF-8 or GB18030): bulletin.toml, issue.toml, then submissions. Every
//! file goes through the same code as `bulletin build`: decode, parse,
//! assemble, render every format. Must never panic.
#![no_main]

use bulletin::render::{Format, RenderContext};
use bulletin::diag::Diagnostics;
use bulletin::source::{self, SourceFile};
use bulletin::workspace::{Config, IssueDir, IssueFiles, IssueMeta, Workspace, submission};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn decode(path: std::path::PathBuf, bytes: &[u8]) -> Option<SourceFile> {
    match source::decode(&path, bytes) {
        Ok(text) => Some(SourceFile::new(path, text)),
        Err(d) => {
            let _ = d.render(None);
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let root = common::root();
    let mut parts = data.split(|b| *b == 0xFF);
    let config_bytes = parts.next().unwrap_or_default();
    let meta_bytes = parts.next().unwrap_or_default();
    // An empty first part stands for the standard configuration.
    let config_bytes = if config_bytes.is_empty() {
        common::CONFIG.as_bytes()
    } else {
        config_bytes
    };
    let Some(config_source) = decode(root.join("bulletin.toml"), config_bytes) else {
        return;
    };
    let config = match Config::parse(&config_source) {
        Ok(c) => c,
        Err(d) => return common::render_all(&d),
    };
    let ws = Workspace {
        root: root.to_path_buf(),
        config,
    };
    let dir = IssueDir {
        number: 39,
        path: root.join("issues/39"),
    };
    let Some(meta_source) = decode(dir.path.join("issue.toml"), meta_bytes) else {
        return;
    };
    let meta = match IssueMeta::parse(&meta_source) {
        Ok(m) => m,
        Err(d) => return common::render_all(&d),
    };
    let mut diags = Diagnostics::default();
    let mut submissions = Vec::new();
    for (i, bytes) in parts.enumerate() {
        let Some(src) = decode(dir.path.join(format!("{i:02}.md")), bytes) else {
            continue;
        };
        match submission::parse(src, &ws.config) {
            Ok(s) => submissions.push(s),
            Err(d) => diags.extend(d),
        }
    }
    common::render_all(&diags);
    let files = IssueFiles {
        dir,
        meta,
        meta_source,
        submissions,
    };
    let (issue, warnings) = match bulletin::model::assemble(&ws, files) {
        Ok(x) => x,
        Err(d) => return common::render_all(&d),
    };
    common::render_all(&warnings);
    let ctx = match RenderContext::new(
        &ws.config,
        &ws.root,
        root.join("out"),
        &[Format::Html, Format::Pdf],
        false,
    ) {
        Ok(c) => c,
        Err(d) => return common::render_all(&d),
    };
    match ctx.render(&issue) {
        Ok(r) => {
            for o in &r.outputs {
                assert!(!o.bytes.is_empty());
            }
        }
        Err(d) => common::render_all(&d),
    }
});
