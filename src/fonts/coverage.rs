//! Glyph coverage notes, made by the typesetter as it sets each character:
//! where a printed text came from ([`TextLoc`]), a character no font can
//! print, or one printed from an installed font, at its file:line:col.

use std::path::PathBuf;
use std::sync::Arc;

use super::role::Role;
use crate::diag::Diagnostic;
use crate::model::Issue;
use crate::source::SourceFile;

/// The note for a character `c`, printed in `roles`, that only the
/// installed font `face` has; it stands at `places` places of the issue.
pub fn system_font_note(c: char, roles: &[Role], face: &str, places: usize) -> Diagnostic {
    let keys: Vec<String> = roles
        .iter()
        .map(|r| format!("{}（{}）", r.key(), r.label()))
        .collect();
    let first = roles.first().map_or("body", |r| r.key());
    Diagnostic::warning(
        "W082",
        format!(
            "字符“{c}”（U+{:04X}）内置字体中没有，改用本机安装的字体 {face} 印出（共 {places} 处）",
            c as u32
        ),
    )
    .with_hint(format!(
        "换一台电脑排版结果可能不同。用在：{}；可安装含此字的同风格字体，或在 bulletin.toml 的 [fonts] 里为这些键指定含此字的字体（例如 {first} = [\"{}\", \"字体文件.ttf\"]）；`bulletin fonts` 列出每一处",
        keys.join("、"),
        roles.first().map_or("FandolFang", |r| r.default_face())
    ))
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
    /// The place of the character at byte `i` (char `c`): in a
    /// submission through its line index, so that a place per character
    /// of a long file stays cheap.
    pub fn location(&self, i: usize, c: char) -> Option<crate::diag::Location> {
        match self {
            TextLoc::Source {
                source,
                offset,
                exact,
            } => Some(source.locate(source_range(source, *offset, *exact, i))),
            _ => self.attach(Diagnostic::warning("W082", ""), i, c).location,
        }
    }

    /// Attach the position of the character at byte `i` (char `c`).
    pub fn attach(&self, d: Diagnostic, i: usize, c: char) -> Diagnostic {
        match self {
            TextLoc::Source {
                source,
                offset,
                exact,
            } => d.at(
                &source.path,
                &source.text,
                source_range(source, *offset, *exact, i),
            ),
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

/// The bytes of the character at byte `i` of a run whose text starts at
/// `offset` in `source` (at `offset` itself when the mapping is not exact).
fn source_range(
    source: &SourceFile,
    offset: usize,
    exact: bool,
    i: usize,
) -> std::ops::Range<usize> {
    let at = if exact { offset + i } else { offset };
    let at = at.min(source.text.len());
    at..next_char_end(&source.text, at)
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
