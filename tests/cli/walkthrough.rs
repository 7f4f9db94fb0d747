//! The README's walkthrough (section "从零开始：一个新单位的第一期"),
//! replayed step by step against the real binary in a fresh directory: if a
//! command in it breaks, or the section stops reaching a final edition, this
//! test fails; if the section changes, the test follows it.
//!
//! Conventions of that section, which this test relies on (keep them when
//! editing it):
//!
//! - ` ```sh ` blocks: one command per line, comments after `#`. Lines that
//!   start with `bulletin ` run in order; `cd DIR` changes the folder later
//!   commands run in. Arguments are split on whitespace (no quoting). A
//!   command is expected to exit 0 unless its comment says `退出码 1`.
//!   `<审核码>` stands for the review code the latest draft `bulletin build`
//!   printed.
//! - ` ```toml ` blocks: what the editor changes in bulletin.toml, applied
//!   when reached: a top-level `key = value` replaces the file's line
//!   `key = …` or `# key = …` (or goes to the top); a `[table]` replaces the
//!   file's table of that name (up to its next blank line); `[[array]]`
//!   tables are appended. In a `[[reviewers]]` table, the `keys` line is
//!   replaced by the public key `bulletin key new --name <name>` printed.
//! - ` ```markdown ` blocks: the submissions as the offices write them, in
//!   the order of the `bulletin new` commands: the block's body replaces
//!   the placeholder text. A block that starts with a `+++` header shows the
//!   whole file: its header lines (except `date`, the day the test runs)
//!   must be what `new` wrote; a block without one is the body alone.
//! - ` ```text ` blocks: a file an office sends; its path is the last
//!   `inbox/…` code span before the block. The test writes it (dated two
//!   minutes back, so that `intake` does not wait for it to settle).
//! - Blocks without an info string are output excerpts and are not run.
//!
//! `WALK_SHOW=1 cargo test --test cli walkthrough:: -- --nocapture` prints
//! each command's output (to refresh the excerpts in the README).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use crate::util::*;

const HEADING: &str = "## 从零开始：一个新单位的第一期";

/// One step of the walkthrough, in the README's order.
#[derive(Debug)]
enum Step {
    Command { line: String, expect: i32 },
    Cd(String),
    Config(String),
    Submission(String),
    InboxFile { path: String, text: String },
}

/// The walkthrough section of README.md.
fn section() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find(HEADING)
        .unwrap_or_else(|| panic!("README.md has no section `{HEADING}`"));
    let rest = &readme[start + HEADING.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The last `inbox/…` code span in `text`.
fn last_inbox_path(text: &str) -> Option<String> {
    let at = text.rfind("`inbox/")?;
    let rest = &text[at + 1..];
    Some(rest[..rest.find('`')?].to_string())
}

fn steps(section: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut prose = String::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            prose.push_str(line);
            prose.push('\n');
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        match info.trim() {
            "sh" => {
                for l in body.lines() {
                    let (cmd, comment) = l.split_once('#').unwrap_or((l, ""));
                    let cmd = cmd.trim();
                    if let Some(dir) = cmd.strip_prefix("cd ") {
                        steps.push(Step::Cd(dir.trim().to_string()));
                    } else if cmd.starts_with("bulletin ") {
                        assert!(
                            !cmd.contains(['"', '\'']),
                            "quoting is not part of the convention: {l}"
                        );
                        let expect = if comment.contains("退出码 1") {
                            1
                        } else {
                            0
                        };
                        steps.push(Step::Command {
                            line: cmd.to_string(),
                            expect,
                        });
                    } else {
                        assert!(cmd.is_empty(), "not a bulletin command: {l}");
                    }
                }
            }
            "toml" => steps.push(Step::Config(body)),
            "markdown" => steps.push(Step::Submission(body)),
            "text" => {
                let path = last_inbox_path(&prose)
                    .unwrap_or_else(|| panic!("no `inbox/…` path before the text block:\n{body}"));
                steps.push(Step::InboxFile { path, text: body });
            }
            "" => {}
            other => panic!("a ```{other} block: not part of the convention"),
        }
        prose.clear();
    }
    steps
}

/// Apply a toml block to the config text (see the module comment).
fn apply_config(config: &str, block: &str, keys: &[(String, String)]) -> String {
    let mut out: Vec<String> = config.lines().map(str::to_string).collect();
    // Split the block into its top-level lines and its tables.
    let mut top = Vec::new();
    let mut tables: Vec<Vec<String>> = Vec::new();
    for l in block.lines() {
        if l.starts_with('[') {
            tables.push(vec![l.to_string()]);
        } else if let Some(t) = tables.last_mut() {
            t.push(l.to_string());
        } else if !l.trim().is_empty() {
            top.push(l.to_string());
        }
    }
    for l in top {
        let key = l.split('=').next().unwrap().trim();
        let is_key = |x: &String| {
            let x = x.trim_start_matches('#').trim_start();
            x.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        };
        match out.iter().position(is_key) {
            Some(i) => out[i] = l,
            None => out.insert(0, l),
        }
    }
    for mut t in tables {
        while t.last().is_some_and(|l| l.trim().is_empty()) {
            t.pop();
        }
        if t[0] == "[[reviewers]]" {
            let name = t
                .iter()
                .find_map(|l| l.strip_prefix("name = "))
                .expect("a [[reviewers]] table names the reviewer")
                .trim_matches('"')
                .to_string();
            let key = &keys
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("no `bulletin key new --name {name}` before"))
                .1;
            let line = t
                .iter_mut()
                .find(|l| l.starts_with("keys = "))
                .expect("a [[reviewers]] table has keys");
            *line = format!("keys = [\"{key}\"]");
        }
        if t[0].starts_with("[[") {
            out.push(String::new());
            out.extend(t);
        } else {
            let at = out
                .iter()
                .position(|l| *l == t[0])
                .unwrap_or_else(|| panic!("bulletin.toml has no table {}", t[0]));
            let end = (at + 1..out.len())
                .find(|&i| out[i].trim().is_empty() || out[i].starts_with('['))
                .unwrap_or(out.len());
            out.splice(at..end, t);
        }
    }
    out.join("\n") + "\n"
}

/// The text after the closing `+++` of a submission (all of it if it has
/// no header).
fn body_of(submission: &str) -> &str {
    let Some(rest) = submission.trim_start().strip_prefix("+++") else {
        return submission;
    };
    let end = rest.find("\n+++").expect("closing +++");
    rest[end + 4..].trim_start_matches('\n')
}

fn run_in(dir: &Path, keys: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BULLETIN_KEY_DIR", keys)
        .stdin(Stdio::null())
        .output()
        .expect("run bulletin")
}

#[test]
fn readme_walkthrough_reaches_a_final_edition() {
    let steps = steps(&section());
    let commands: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Command { line, .. } => Some(line.as_str()),
            _ => None,
        })
        .collect();
    // The walkthrough covers the whole way, from nothing to the archive.
    for needed in [
        "bulletin init ",
        "bulletin issue new",
        "bulletin new ",
        "bulletin intake",
        "--fix",
        "bulletin fonts",
        "bulletin key new",
        "--sign ",
        "bulletin status",
        "--final",
        "bulletin list",
        "bulletin build --all",
    ] {
        assert!(
            commands.iter().any(|c| c.contains(needed)),
            "the walkthrough has no `{needed}`: {commands:#?}"
        );
    }

    let t = TempDir::new("walkthrough");
    let keys = t.join("keys");
    let mut cwd = t.path().to_path_buf();
    let mut review_code: Option<String> = None;
    let mut public_keys: Vec<(String, String)> = Vec::new();
    let mut new_files: Vec<PathBuf> = Vec::new();
    let mut submissions = 0;
    let mut final_issue: Option<String> = None;

    for step in &steps {
        match step {
            Step::Cd(dir) => {
                cwd = cwd.join(dir);
                assert!(cwd.is_dir(), "cd {dir}: no such folder");
            }
            Step::Command { line, expect } => {
                let mut args: Vec<String> = line
                    .split_whitespace()
                    .skip(1)
                    .map(str::to_string)
                    .collect();
                for a in &mut args {
                    if a == "<审核码>" {
                        *a = review_code
                            .clone()
                            .unwrap_or_else(|| panic!("`{line}`: no draft built before"));
                    }
                }
                let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                let o = run_in(&cwd, &keys, &argv);
                let out = stdout(&o);
                if std::env::var_os("WALK_SHOW").is_some() {
                    eprintln!("$ {line}\n{out}{}", stderr(&o));
                }
                assert_eq!(
                    code(&o),
                    *expect,
                    "`{line}` exited {}:\n{out}\n{}",
                    code(&o),
                    stderr(&o)
                );
                if argv.first() == Some(&"build")
                    && !argv.contains(&"--final")
                    && !argv.contains(&"--all")
                {
                    let l = out
                        .lines()
                        .find_map(|l| l.strip_prefix("审核码："))
                        .unwrap_or_else(|| panic!("`{line}` printed no review code:\n{out}"));
                    review_code = Some(l.chars().take_while(|c| *c != '（').collect());
                }
                if argv.starts_with(&["key", "new"]) {
                    let name = argv[argv.iter().position(|a| *a == "--name").unwrap() + 1];
                    let key = out
                        .lines()
                        .find_map(|l| l.strip_prefix("keys = [\""))
                        .and_then(|l| l.strip_suffix("\"]"))
                        .unwrap_or_else(|| panic!("`{line}` printed no key:\n{out}"));
                    if let Some(i) = argv.iter().position(|a| *a == "--role") {
                        let roles = format!("roles = [\"{}\"]", argv[i + 1]);
                        assert!(out.lines().any(|l| l == roles), "no `{roles}`:\n{out}");
                    }
                    public_keys.push((name.to_string(), key.to_string()));
                }
                if argv.first() == Some(&"new") {
                    let rel = out
                        .lines()
                        .find_map(|l| l.strip_prefix("已新建投稿："))
                        .unwrap_or_else(|| panic!("`{line}` named no file:\n{out}"));
                    new_files.push(cwd.join(rel.trim()));
                }
                if argv.first() == Some(&"build") && argv.contains(&"--final") {
                    final_issue = Some(argv[1].to_string());
                }
            }
            Step::Config(block) => {
                let p = cwd.join("bulletin.toml");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, apply_config(&text, block, &public_keys)).unwrap();
            }
            Step::Submission(block) => {
                let file = new_files.get(submissions).unwrap_or_else(|| {
                    panic!("a submission block without its `bulletin new`:\n{block}")
                });
                submissions += 1;
                let written = std::fs::read_to_string(file).unwrap();
                let header_end = written.rfind("+++\n").unwrap() + 4;
                let header = if block.starts_with("+++") { block } else { "" };
                for l in header.lines().skip(1) {
                    if l == "+++" {
                        break;
                    }
                    if !l.starts_with("date") {
                        assert!(
                            written[..header_end].lines().any(|w| w == l),
                            "{} has no line `{l}`:\n{written}",
                            file.display()
                        );
                    }
                }
                let text = format!("{}\n{}", &written[..header_end], body_of(block));
                std::fs::write(file, text).unwrap();
            }
            Step::InboxFile { path, text } => {
                let p = cwd.join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, text).unwrap();
                let f = std::fs::File::options().write(true).open(&p).unwrap();
                f.set_modified(SystemTime::now() - Duration::from_secs(120))
                    .unwrap();
            }
        }
    }
    assert_eq!(
        submissions,
        new_files.len(),
        "every `bulletin new` has its submission"
    );

    // The end: a final edition, signed, listed and published.
    let n = final_issue.expect("the walkthrough builds a final edition");
    let out = cwd.join("out").join(&n);
    let finals: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| !f.contains("送审稿"))
        .collect();
    let pdf = finals.iter().find(|f| f.ends_with(".pdf"));
    let html = finals.iter().find(|f| f.ends_with(".html"));
    let (Some(pdf), Some(html)) = (pdf, html) else {
        panic!("no final PDF and HTML in out/{n}: {finals:?}");
    };
    assert!(std::fs::read(out.join(pdf)).unwrap().starts_with(b"%PDF-"));
    let page = visible_text(&std::fs::read_to_string(out.join(html)).unwrap());
    for (name, _) in &public_keys {
        assert!(
            page.contains(name.as_str()),
            "{name} not in the final edition"
        );
    }
    assert!(cwd.join("out/index.html").is_file());

    let status = run_in(&cwd, &keys, &["status", &n]);
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    let list = run_in(&cwd, &keys, &["list"]);
    assert_eq!(code(&list), 0, "{}", stderr(&list));
    assert!(stdout(&list).contains("已出正式版"), "{}", stdout(&list));
}

#[test]
fn config_blocks_replace_keys_and_tables_and_append_reviewers() {
    let config = "title = \"甲\"\n# numbering = \"yearly\"  # 按年\n\n[units]\nknown = [\n  # \"某县\",\n]\n\n[intake]\ninbox = \"inbox\"\n";
    let block = "numbering = \"yearly\"\n\n[units]\nknown = [\"乙\"]\n\n[[reviewers]]\nname = \"丙\"\nkeys = [\"MFkw…\"]\n";
    let got = apply_config(config, block, &[("丙".into(), "KEY".into())]);
    assert_eq!(
        got,
        "title = \"甲\"\nnumbering = \"yearly\"\n\n[units]\nknown = [\"乙\"]\n\n[intake]\ninbox = \"inbox\"\n\n[[reviewers]]\nname = \"丙\"\nkeys = [\"KEY\"]\n"
    );
}
