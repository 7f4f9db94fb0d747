//! Any bytes as a file dropped into the inbox: detect the encoding,
//! normalise, and (as a .txt) turn into a submission. Whatever decodes must
//! come out as clean text; whatever converts must pass the build's own
//! parser, and a plain-text line must reach the model character for
//! character (no stray Markdown).
#![no_main]

use bulletin::intake::{decode, txt};
use bulletin::model::{Block, markdown, plain_text};
use bulletin::source::SourceFile;
use bulletin::workspace::submission;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(d) = decode::decode(data) else {
        return;
    };
    let text = &d.text;
    assert!(!text.contains('\r') && !text.starts_with('\u{feff}'));
    assert!(text.ends_with('\n'));
    for line in text.lines() {
        assert_eq!(line, line.trim_end_matches([' ', '\t', '\u{3000}']));
    }
    let defaults = txt::Defaults {
        category: Some("工作动态".to_string()),
        ..Default::default()
    };
    let Ok(md) = txt::to_markdown("县民政局_2025-12-01_标题", text, &defaults, common::config())
    else {
        return;
    };
    let root = common::root();
    let src = SourceFile::new(root.join("issues/39/来稿.md"), md.clone());
    let sub = match submission::parse(src.clone(), common::config()) {
        Ok(s) => s,
        Err(d) => panic!("converted .txt does not parse:\n{md}\n{}", d.render(None)),
    };
    let (blocks, diags) = markdown::parse_body(&src, sub.body_start, root);
    assert!(!diags.has_errors(), "{}", diags.render(None));
    // One paragraph per line when the text has no blank lines.
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches([' ', '\t', '\u{3000}', '\u{a0}']))
        .filter(|l| !l.is_empty())
        .collect();
    let body_lines = &lines[1..];
    let first = text.lines().position(|l| !l.trim_matches([' ', '\t', '\u{3000}', '\u{a0}']).is_empty());
    let after_title: Vec<&str> = text.lines().skip(first.map_or(0, |i| i + 1)).collect();
    let inner_blank = {
        let t: Vec<&str> = after_title
            .iter()
            .map(|l| l.trim_matches([' ', '\t', '\u{3000}', '\u{a0}']))
            .collect();
        let s = t.iter().position(|l| !l.is_empty()).unwrap_or(t.len());
        let e = t.iter().rposition(|l| !l.is_empty()).map_or(s, |i| i + 1);
        t[s..e].iter().any(|l| l.is_empty())
    };
    if !inner_blank && !body_lines.is_empty() {
        let paras: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => plain_text(p),
                other => panic!("plain text became {other:?}\n{md}"),
            })
            .collect();
        assert_eq!(paras, body_lines, "\n{md}");
    }
});
