//! G001: a character that no configured font can draw.
//!
//! The font code lives elsewhere (`src/fonts/`); this rule only needs to
//! know, per character, whether some configured font covers it. Everything
//! printed is checked: masthead, titles, units, body text, captions, code,
//! the end block, and the fixed words the layout adds.

use std::collections::HashSet;
use std::path::Path;

use super::prose::Prose;
use super::{diag, diag_at};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Issue};
use crate::source::SourceFile;

/// Words the layout prints around the content.
const FIXED: &str = "第期总年月日编辑报送发抄（）：—0123456789节选送审稿共印份";

fn missing_msg(c: char) -> String {
    format!("字体里没有“{c}”（U+{:04X}）这个字，印出来会缺字", c as u32)
}

const HINT: &str = "换用常用字或异体字，或在 bulletin.toml 的 [fonts] 里配置含有这个字的字体";

/// Report every character of the issue's printed text for which `covers`
/// is false, at its file:line:col.
pub fn check_glyphs(issue: &Issue, covers: &dyn Fn(char) -> bool) -> Diagnostics {
    let mut out = Diagnostics::default();
    let needs = |c: char| !c.is_whitespace() && !c.is_control() && !covers(c);
    for item in issue.items() {
        let src = &item.source;
        let mut units: Vec<Prose> = Prose::title(item).into_iter().collect();
        units.extend(Prose::body(item));
        for p in &units {
            for (i, c) in p.text.char_indices() {
                if needs(c) {
                    let span = p.source_span(i..i + c.len_utf8());
                    out.push(diag_at(
                        "G001",
                        src,
                        span,
                        missing_msg(c),
                        Some(HINT.into()),
                    ));
                }
            }
        }
        for (i, c) in item.unit.char_indices() {
            if needs(c) {
                let base = src
                    .text
                    .get(item.unit_span.clone())
                    .and_then(|s| s.find(&item.unit))
                    .map_or(item.unit_span.start, |k| item.unit_span.start + k + i);
                out.push(diag_at(
                    "G001",
                    src,
                    base..base + c.len_utf8(),
                    missing_msg(c),
                    Some(HINT.into()),
                ));
            }
        }
        walk_extra(&item.blocks, &mut |text, offset| {
            for c in text.chars().filter(|&c| needs(c)) {
                let at = src
                    .text
                    .get(offset..)
                    .and_then(|t| t.find(c))
                    .map_or(offset, |k| offset + k);
                out.push(diag_at(
                    "G001",
                    src,
                    at..at + c.len_utf8(),
                    missing_msg(c),
                    Some(HINT.into()),
                ));
            }
        });
    }
    // Masthead and end block come from bulletin.toml or issue.toml.
    let config = crate::source::read(&issue.root.join(crate::workspace::CONFIG_FILE)).ok();
    let meta = issue_dir(&issue.root, issue.number)
        .and_then(|p| crate::source::read(&p.join(crate::workspace::ISSUE_FILE)).ok());
    let mut texts: Vec<&str> = vec![&issue.title, &issue.publisher];
    for l in &issue.footer.lines {
        texts.push(&l.label);
        texts.push(&l.text);
    }
    if let Some(e) = &issue.footer.editor {
        texts.push(e);
    }
    for s in &issue.footer.signoffs {
        texts.push(&s.role);
        if let Some(n) = &s.name {
            texts.push(n);
        }
    }
    let mut seen = HashSet::new();
    for t in texts {
        for c in t.chars().filter(|&c| needs(c)) {
            if !seen.insert((t.to_string(), c)) {
                continue;
            }
            out.push(locate_in(&[&meta, &config], t, c));
        }
    }
    for c in FIXED.chars().filter(|&c| needs(c)) {
        out.push(
            diag("G001", missing_msg(c)).with_hint(
                "这是版面固定要印的字：请在 bulletin.toml 的 [fonts] 里配置含有它的字体",
            ),
        );
    }
    out
}

/// The folder of issue `number` (`issues/39`, `issues/039-冬季`).
fn issue_dir(root: &Path, number: u32) -> Option<std::path::PathBuf> {
    std::fs::read_dir(root.join(crate::workspace::ISSUES_DIR))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            p.is_dir() && digits.parse::<u32>().ok() == Some(number)
        })
}

/// Image captions and code blocks: printed, but not in runs.
fn walk_extra(blocks: &[Block], f: &mut dyn FnMut(&str, usize)) {
    for b in blocks {
        match b {
            Block::Image(img) => f(&img.caption, img.offset),
            Block::Code(code) => f(code, 0),
            Block::List { items, .. } => items.iter().for_each(|i| walk_extra(i, f)),
            Block::Quote(inner) => walk_extra(inner, f),
            _ => {}
        }
    }
}

fn locate_in(files: &[&Option<SourceFile>], text: &str, c: char) -> Diagnostic {
    let d = diag("G001", missing_msg(c)).with_hint(HINT);
    for f in files.iter().copied().flatten() {
        if let Some(i) = f.text.find(text) {
            let k = text.find(c).unwrap_or(0);
            return d.at(&f.path, &f.text, i + k..i + k + c.len_utf8());
        }
    }
    d.in_file(Path::new(crate::workspace::CONFIG_FILE))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    #[test]
    fn uncovered_characters_are_located() {
        // A rare character (䶮, U+4DAE) in the title and the body.
        let it = item(
            "a.md",
            Some("刘䶮故里开展敬老活动"),
            "市局办公室",
            "2025-12-01",
            "会议在刘䶮纪念馆召开。\n\n第二段**加粗䶮**。",
        );
        let iss = issue(vec![it], vec![]);
        let covers = |c: char| c != '䶮';
        let d = check_glyphs(&iss, &covers);
        assert_eq!(codes(&d), vec!["G001@2:11", "G001@7:5", "G001@9:8"]);
        assert!(d.items.iter().all(|d| d.is_error()));
        assert!(d.items[0].message.contains("U+4DAE"));
    }

    #[test]
    fn full_coverage_is_silent() {
        let it = item(
            "a.md",
            Some("市民政局召开会议"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实责任。",
        );
        assert!(check_glyphs(&issue(vec![it], vec![]), &|_| true).is_empty());
    }

    #[test]
    fn masthead_and_fixed_words_checked() {
        let it = item("a.md", Some("标题"), "市局办公室", "2025-12-01", "正文。");
        let iss = issue(vec![it], vec![]);
        let d = check_glyphs(&iss, &|c| c != '阳' && c != '期');
        let msgs: Vec<&str> = d.items.iter().map(|d| d.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("“阳”")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("“期”")), "{msgs:?}");
    }
}
