//! Glyph coverage: every printed text of an issue with its role and origin,
//! and every character no font can print, located at its file:line:col.

use std::path::PathBuf;
use std::sync::Arc;

use super::role::Role;
use super::set::FontSet;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Inline, Issue};
use crate::source::SourceFile;

impl FontSet {
    /// Every character of `issue` (and of the masthead and end block) that
    /// no font can print, one error each, at its file:line:col; plus a
    /// warning for each character only an installed font has (found by
    /// system fallback), at its first occurrence.
    pub fn missing_glyphs(&mut self, issue: &Issue) -> Diagnostics {
        let mut out = Diagnostics::default();
        let mut seen = std::collections::HashSet::new();
        let mut system_noted = std::collections::HashSet::new();
        walk_text(issue, &mut |role, text, loc| {
            for (i, c) in text.char_indices() {
                if c.is_whitespace() || c.is_control() {
                    continue;
                }
                if let Some(g) = self.resolve(role, c) {
                    // Printed from an installed font: the PDF depends on
                    // this machine; say so once per character.
                    if self.is_system_face(g.font) && system_noted.insert(c) {
                        let face = &self.face(g.font).name;
                        let d = Diagnostic::warning(
                            "W082",
                            format!("字符“{c}”内置字体中没有，改用本机安装的字体 {face} 印出"),
                        )
                        .with_hint(format!(
                            "换一台电脑排版结果可能不同；可在 bulletin.toml 的 [fonts] 里为 {} 指定含此字的字体",
                            role.key()
                        ));
                        out.push(loc.attach(d, i, c));
                    }
                    continue;
                }
                let d = missing_diagnostic(c, role, &loc, i);
                let key = d
                    .location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column, c));
                if seen.insert(key) {
                    out.push(d);
                }
            }
        });
        out
    }
}

/// The diagnostic for a character `c` at byte `i` of a text found at `loc`.
pub fn missing_diagnostic(c: char, role: Role, loc: &TextLoc, i: usize) -> Diagnostic {
    let d = Diagnostic::error(
        "E081",
        format!(
            "字符“{c}”（U+{:04X}）在所有可用字体中都没有字形，无法印出",
            c as u32
        ),
    )
    .with_hint(format!(
        "在 bulletin.toml 的 [fonts] 里为 {} 加一个含此字的字体（例如 fallback = [\"字体文件.ttf\"]），或改用常用字；确需先出样稿可加 --allow-missing-glyphs",
        role.key()
    ));
    loc.attach(d, i, c)
}

/// Where a piece of text came from, to point at one of its characters.
#[derive(Debug, Clone)]
pub enum TextLoc {
    /// Text of a run: byte `i` maps to `offset + i` when `exact`.
    Source {
        source: Arc<SourceFile>,
        offset: usize,
        exact: bool,
    },
    /// A TOML string value whose span (with quotes) is known.
    Value {
        source: Arc<SourceFile>,
        span: std::ops::Range<usize>,
    },
    /// Text from bulletin.toml or issue.toml that is not among their
    /// string values: the file only.
    File(PathBuf),
    /// Generated text (labels, page numbers).
    Generated,
}

impl TextLoc {
    /// Attach the position of the character at byte `i` (char `c`).
    pub fn attach(&self, d: Diagnostic, i: usize, c: char) -> Diagnostic {
        match self {
            TextLoc::Source {
                source,
                offset,
                exact,
            } => {
                let at = if *exact { offset + i } else { *offset };
                let at = at.min(source.text.len());
                let end = next_char_end(&source.text, at);
                d.at(&source.path, &source.text, at..end)
            }
            TextLoc::Value { source, span } => {
                let text = &source.text;
                let at = match text.get(span.clone()) {
                    Some(raw) => match raw.find(c) {
                        // The value is usually a plain quoted string: byte
                        // i of the value is byte i + 1 of the span.
                        Some(_) if raw.get(1 + i..).is_some_and(|r| r.starts_with(c)) => {
                            span.start + 1 + i
                        }
                        Some(p) => span.start + p,
                        None => span.start,
                    },
                    None => span.start.min(text.len()),
                };
                let end = next_char_end(text, at);
                d.at(&source.path, text, at..end)
            }
            TextLoc::File(path) => d.in_file(path),
            TextLoc::Generated => d,
        }
    }
}

/// Where a text printed from bulletin.toml or issue.toml stands: the
/// string value equal to it (issue.toml's overrides first), else the
/// configuration file.
pub fn config_loc(issue: &Issue, text: &str) -> TextLoc {
    for at in &issue.config_files {
        if let Some(span) = at.index.string(text, "") {
            return TextLoc::Value {
                source: at.source.clone(),
                span,
            };
        }
    }
    match issue.config_files.last() {
        Some(at) => TextLoc::File(at.source.path.clone()),
        None => TextLoc::Generated,
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Visit every printed text of `issue` with its role and origin, in print
/// order: masthead, items (title, （节选）, blocks, （unit）), end block.
/// The typesetter prints exactly these texts (plus generated labels).
pub fn walk_text(issue: &Issue, f: &mut dyn FnMut(Role, &str, TextLoc)) {
    let cfg = |needle: &str| config_loc(issue, needle);
    f(Role::Masthead, &issue.title, cfg(&issue.title));
    f(Role::Body, &issue.number_label(), TextLoc::Generated);
    if let Some(t) = issue.total_label() {
        f(Role::Body, &t, TextLoc::Generated);
    }
    f(Role::Body, &issue.publisher, cfg(&issue.publisher));
    f(Role::Body, &issue.date_label(), TextLoc::Generated);
    for section in &issue.sections {
        if section.items.is_empty() {
            continue;
        }
        if let Some(h) = &section.heading {
            f(Role::Heading1, h, cfg(h));
        }
        for item in &section.items {
            if let (Some(title), Some(span)) = (&item.title, &item.title_span) {
                f(
                    Role::Title,
                    title,
                    TextLoc::Value {
                        source: item.source.clone(),
                        span: span.clone(),
                    },
                );
            }
            if item.excerpt {
                f(Role::Emphasis, "（节选）", TextLoc::Generated);
            }
            walk_blocks(&item.blocks, Role::Body, &item.source, f);
            f(
                Role::Body,
                &item.attribution(),
                TextLoc::Value {
                    source: item.source.clone(),
                    span: item.unit_span.clone(),
                },
            );
        }
    }
    let footer = &issue.footer;
    for line in &footer.lines {
        f(Role::Footer, &line.label, cfg(&line.label));
        f(Role::Footer, &line.text, cfg(&line.text));
    }
    if let Some(e) = &footer.editor {
        f(Role::Footer, e, cfg(e));
    }
    for s in &footer.signoffs {
        f(Role::Footer, &s.role, cfg(&s.role));
        if let Some(n) = &s.name {
            f(Role::Footer, n, TextLoc::Generated);
        }
    }
}

fn walk_blocks(
    blocks: &[Block],
    role: Role,
    source: &Arc<SourceFile>,
    f: &mut dyn FnMut(Role, &str, TextLoc),
) {
    for b in blocks {
        match b {
            Block::Paragraph(inl) => walk_inlines(inl, role, source, f),
            Block::Heading { level, content } => {
                walk_inlines(content, Role::heading(*level), source, f)
            }
            Block::List { items, .. } => {
                for it in items {
                    walk_blocks(it, role, source, f);
                }
            }
            Block::Quote(inner) => walk_blocks(inner, Role::Emphasis, source, f),
            Block::Image(img) => f(
                Role::Emphasis,
                &img.caption,
                TextLoc::Source {
                    source: source.clone(),
                    offset: img.offset,
                    exact: false,
                },
            ),
            Block::Code(text) => f(
                role,
                text,
                TextLoc::Source {
                    source: source.clone(),
                    offset: source.text.find(text.as_str()).unwrap_or(0),
                    exact: source.text.contains(text.as_str()),
                },
            ),
        }
    }
}

fn walk_inlines(
    inlines: &[Inline],
    role: Role,
    source: &Arc<SourceFile>,
    f: &mut dyn FnMut(Role, &str, TextLoc),
) {
    for i in inlines {
        if let Inline::Text(run) = i {
            f(
                role.styled(run.style),
                &run.text,
                TextLoc::Source {
                    source: source.clone(),
                    offset: run.offset,
                    exact: run.exact,
                },
            );
        }
    }
}
