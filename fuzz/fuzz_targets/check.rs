//! Any bytes as a submission of issue 39, through every check rule (with
//! waivers and levels) as `bulletin check` runs them. Must never panic;
//! every diagnostic renders with a position inside the file, and no rule
//! lists more than its share of one file.
#![no_main]

use std::collections::HashMap;

use bulletin::check::{self, MAX_PER_RULE_AND_FILE, waiver};
use bulletin::source::SourceFile;
use bulletin::workspace::{IssueDir, IssueFiles, IssueMeta, Workspace, submission};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const ISSUE_TOML: &str = "number = 39\ndate = 2025-12-08\n";

fuzz_target!(|data: &[u8]| {
    let root = common::root();
    let path = root.join("issues/39/投稿.md");
    let src = match bulletin::source::decode(&path, data) {
        Ok(text) => SourceFile::new(path, text),
        Err(d) => {
            let _ = d.render(None);
            return;
        }
    };
    let sub = match submission::parse(src, common::config()) {
        Ok(s) => s,
        Err(d) => return common::render_all(&d),
    };
    let ws = Workspace {
        root: root.to_path_buf(),
        config: common::config().clone(),
    };
    let dir = IssueDir {
        number: 39,
        path: root.join("issues/39"),
    };
    let meta_source = SourceFile::new(dir.path.join("issue.toml"), ISSUE_TOML);
    let meta = IssueMeta::parse(&meta_source).expect("fixed issue.toml parses");
    let files = IssueFiles {
        dir,
        meta,
        meta_source: meta_source.clone(),
        submissions: vec![sub],
    };
    let (issue, warnings) = match bulletin::model::assemble(&ws, files) {
        Ok(x) => x,
        Err(d) => return common::render_all(&d),
    };
    common::render_all(&warnings);
    let rules = check::content_rules(&ws.config, &issue, &[]);
    let mut per_code: HashMap<&str, usize> = HashMap::new();
    for d in &rules.items {
        if let Some(loc) = &d.location
            && loc.line > 0
        {
            *per_code.entry(d.code).or_default() += 1;
        }
    }
    for (code, n) in per_code {
        assert!(n <= MAX_PER_RULE_AND_FILE, "{n} × {code}");
    }
    let (rules, waiver_diags) = waiver::apply(&issue, &[meta_source], rules);
    common::render_all(&check::apply_levels(&ws.config, rules));
    common::render_all(&waiver_diags);
});
