//! Diagnostics in the style of rustc: `path:line:col`, a code, a Chinese
//! message, a snippet with a caret, and an optional hint.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::text::terminal_safe;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// A resolved position in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of the line around the position (without its line end),
    /// for the snippet: the whole line when it has at most
    /// [`SNIPPET_CHARS`] characters, else a window of that many around the
    /// column with `…` where it was cut. A diagnostic never holds more, so
    /// thousands of problems on one long line stay small.
    #[serde(skip)]
    pub line_text: String,
    /// 1-based column of the position within `line_text`.
    #[serde(skip)]
    pub snippet_column: usize,
    /// How many characters the caret underlines (at least 1).
    #[serde(skip)]
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Point at a byte range of `text`, the whole content of `path`.
    pub fn at(mut self, path: &Path, text: &str, span: Range<usize>) -> Self {
        self.location = Some(locate(path, text, span));
        self
    }

    /// Name a file without a position in it.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.location = Some(Location {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            line_text: String::new(),
            snippet_column: 0,
            width: 0,
        });
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render for a terminal, paths shown relative to `base` where possible.
    /// Control, bidi and zero-width characters from file names, lines or
    /// messages are shown escaped ([`crate::text::terminal_safe`]).
    pub fn render(&self, base: Option<&Path>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            self.severity.label(),
            self.code,
            terminal_safe(&self.message)
        );
        if let Some(loc) = &self.location {
            let shown = display_path(&loc.path, base);
            if loc.line == 0 {
                let _ = writeln!(out, "  --> {shown}");
            } else {
                let _ = writeln!(out, "  --> {shown}:{}:{}", loc.line, loc.column);
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let _ = writeln!(out, "{pad} |");
                let (line_text, column) = (&loc.line_text, loc.snippet_column);
                let _ = writeln!(out, "{num} | {}", terminal_safe(line_text));
                let lead: usize = line_text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char_cells)
                    .sum();
                let carets: usize = line_text
                    .chars()
                    .skip(column.saturating_sub(1))
                    .take(loc.width.max(1))
                    .map(char_cells)
                    .sum::<usize>()
                    .max(1);
                let _ = writeln!(out, "{pad} | {}{}", " ".repeat(lead), "^".repeat(carets));
            }
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = 提示：{}", terminal_safe(hint));
        }
        out
    }
}

/// Characters of a snippet line kept at most; longer lines are cut to a
/// window around the column, marked with `…`.
pub const SNIPPET_CHARS: usize = 120;

/// The window of a line shown for a position: the line's text from
/// `line_start` to `line_end` (bytes of `text`), the position's 0-based
/// character column `col0`, and the line's length in characters. Returns
/// the window (with `…` marks) and the 1-based column within it. Costs
/// O(window), not O(line).
fn snippet_window(
    text: &str,
    line_start: usize,
    line_end: usize,
    pos: usize,
    col0: usize,
    count: usize,
) -> (String, usize) {
    if count <= SNIPPET_CHARS {
        return (text[line_start..line_end].to_string(), col0 + 1);
    }
    let col0 = col0.min(count);
    let start = col0.saturating_sub(SNIPPET_CHARS / 3);
    let end = (start + SNIPPET_CHARS).min(count);
    // Walk back from the position to the window's start, then forward.
    let back = col0 - start;
    let from = text[line_start..pos]
        .char_indices()
        .rev()
        .nth(back.saturating_sub(1))
        .map_or(pos, |(i, _)| line_start + i);
    let from = if back == 0 { pos } else { from };
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.extend(text[from..line_end].chars().take(end - start));
    if end < count {
        s.push('…');
    }
    (s, col0 - start + 1 + usize::from(start > 0))
}

/// Width of a character on a terminal as shown: 2 for wide (CJK)
/// characters, its escape's length for a control character.
fn char_cells(c: char) -> usize {
    crate::text::terminal_width(c)
}

/// A path for the terminal: relative to `base` where possible, control
/// characters in it escaped.
pub fn display_path(path: &Path, base: Option<&Path>) -> String {
    let shown = match base.and_then(|b| path.strip_prefix(b).ok()) {
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    };
    terminal_safe(&shown).into_owned()
}

/// Where the lines of a text start, and how many characters lie before
/// regular checkpoints: built once per file, so that locating many
/// diagnostics in a big file (or on one long line) stays linear.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// `(byte, characters before it)` at every [`CHECKPOINT`] bytes
    /// (floored to a character boundary).
    checkpoints: Vec<(u32, u32)>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT: usize = 4096;

impl LineIndex {
    /// Index `text` (texts are capped far below 4 GB when read).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(text.match_indices('\n').map(|(i, _)| (i + 1) as u32));
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let (mut at, mut chars) = (0usize, 0usize);
        while at < text.len() {
            checkpoints.push((at as u32, chars as u32));
            let next = floor_char_boundary(text, (at + CHECKPOINT).min(text.len()));
            let next = if next <= at { text.len() } else { next };
            chars += text[at..next].chars().count();
            at = next;
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// 1-based line of byte `at`, and the bytes where that line starts and
    /// ends (without its `\n`).
    fn line_of(&self, text: &str, at: usize) -> (usize, usize, usize) {
        let i = self.starts.partition_point(|&s| s as usize <= at).max(1) - 1;
        let start = (self.starts[i] as usize).min(at);
        let end = self
            .starts
            .get(i + 1)
            .map_or(text.len(), |&s| (s as usize).saturating_sub(1))
            .clamp(at, text.len());
        (i + 1, start, floor_char_boundary(text, end))
    }

    /// Characters of `text` before byte `at` (a character boundary).
    fn chars_before(&self, text: &str, at: usize) -> usize {
        let k = self.checkpoints.partition_point(|&(b, _)| b as usize <= at);
        match k.checked_sub(1).map(|k| self.checkpoints[k]) {
            Some((b, c)) => c as usize + text[b as usize..at].chars().count(),
            None => text[..at].chars().count(),
        }
    }
}

impl Diagnostic {
    /// [`Diagnostic::at`] with a prepared [`LineIndex`] of `text`.
    pub fn at_indexed(
        mut self,
        path: &Path,
        text: &str,
        index: &LineIndex,
        span: Range<usize>,
    ) -> Self {
        self.location = Some(locate_indexed(path, text, index, span));
        self
    }
}

/// Turn a byte span of `text` into a 1-based line and character column.
/// O(length of the file before the span): use [`locate_indexed`] for many.
pub fn locate(path: &Path, text: &str, span: Range<usize>) -> Location {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..start].matches('\n').count() + 1;
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let col0 = text[line_start..start].chars().count();
    let count = col0 + text[start..line_end].chars().count();
    locate_in_line(path, text, span, line, line_start, line_end, col0, count)
}

/// [`locate`] in O(log lines + window), whatever the length of the line.
pub fn locate_indexed(path: &Path, text: &str, index: &LineIndex, span: Range<usize>) -> Location {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let (line, line_start, line_end) = index.line_of(text, start);
    let before_line = index.chars_before(text, line_start);
    let col0 = index.chars_before(text, start) - before_line;
    let count = index.chars_before(text, line_end) - before_line;
    locate_in_line(path, text, span, line, line_start, line_end, col0, count)
}

#[allow(clippy::too_many_arguments)]
fn locate_in_line(
    path: &Path,
    text: &str,
    span: Range<usize>,
    line: usize,
    line_start: usize,
    line_end: usize,
    col0: usize,
    count: usize,
) -> Location {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    // The line without a trailing `\r` (texts are normalised to LF, but a
    // diagnostic may point into raw text).
    let (line_end, count) = if text[line_start..line_end].ends_with('\r') && line_end > start {
        (line_end - 1, count - 1)
    } else {
        (line_end, count)
    };
    let (line_text, snippet_column) =
        snippet_window(text, line_start, line_end.max(start), start, col0, count);
    // The caret never runs past the window, so counting stops there.
    let width = text[start..end.min(line_end).max(start)]
        .chars()
        .take(SNIPPET_CHARS + 1)
        .count();
    Location {
        path: path.to_path_buf(),
        line,
        column: col0 + 1,
        line_text,
        snippet_column,
        width: width.max(1),
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Keep one diagnostic per position (the first found there).
    pub fn dedup_positions(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.items.retain(|d| match &d.location {
            Some(l) if l.line > 0 => seen.insert((l.path.clone(), l.line, l.column)),
            _ => true,
        });
    }

    /// Sort by file, then position, keeping discovery order for ties.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let ka = a
                .location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column));
            let kb = b
                .location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column));
            ka.cmp(&kb)
        });
    }

    pub fn render(&self, base: Option<&Path>) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(base));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let text = "+++\ntitle = \"标题\"\nunit = 3\n";
        let at = text.find('3').unwrap();
        let loc = locate(Path::new("a.md"), text, at..at + 1);
        assert_eq!((loc.line, loc.column), (3, 8));
        assert_eq!(loc.line_text, "unit = 3");
        let at = text.find("标题").unwrap();
        let loc = locate(Path::new("a.md"), text, at..at + "标题".len());
        assert_eq!((loc.line, loc.column, loc.width), (2, 10, 2));
    }

    #[test]
    fn indexed_locate_agrees_with_locate() {
        let text = "+++\ntitle = \"标题\"\n\nunit = 3\n末行没有换行";
        let index = LineIndex::new(text);
        for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let a = locate(Path::new("a.md"), text, at..at + 1);
            let b = locate_indexed(Path::new("a.md"), text, &index, at..at + 1);
            assert_eq!(a, b, "at {at}");
            assert_eq!(
                (a.line_text.clone(), a.width),
                (b.line_text.clone(), b.width)
            );
        }
    }

    #[test]
    fn long_lines_are_shown_as_a_window() {
        let text = format!("{}错误{}", "甲".repeat(5000), "乙".repeat(5000));
        let at = text.find("错误").unwrap();
        let d = Diagnostic::error("E000", "示例").at(Path::new("x.md"), &text, at..at + 6);
        let out = d.render(None);
        assert!(out.contains("x.md:1:5001"), "{out}");
        let snippet = out.lines().nth(3).unwrap();
        assert!(
            snippet.starts_with("1 | …甲") && snippet.ends_with("乙…"),
            "{snippet}"
        );
        assert!(snippet.chars().count() < 140, "{snippet}");
        let caret = out.lines().nth(4).unwrap();
        let lead = caret.find('^').unwrap();
        // Both lines start with "N | "; the caret sits under 错误.
        let before: String = snippet.chars().take_while(|&c| c != '错').collect();
        let cells: usize = before
            .chars()
            .map(|c| if crate::text::is_wide(c) { 2 } else { 1 })
            .sum();
        assert_eq!(lead, cells, "{out}");
        assert_eq!(caret.matches('^').count(), 4);
    }

    #[test]
    fn render_puts_caret_under_wide_characters() {
        let text = "标题：错误";
        let at = text.find("错误").unwrap();
        let d = Diagnostic::error("E000", "示例").at(Path::new("x.md"), text, at..at + 6);
        let out = d.render(None);
        assert!(out.contains("x.md:1:4"), "{out}");
        assert!(out.contains("  |       ^^^^"), "{out}");
    }

    #[test]
    fn control_characters_reach_no_terminal() {
        let text = "标题\u{1b}[2J错误";
        let at = text.find("错误").unwrap();
        let d = Diagnostic::error("E000", "示例\u{1b}]0;x\u{7}")
            .with_hint("提示\u{9b}")
            .at(Path::new("x\u{1b}[31m.md"), text, at..at + 6);
        let out = d.render(None);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("x\\x1b[31m.md:1:7"), "{out}");
        assert!(out.contains("1 | 标题\\x1b[2J错误"), "{out}");
        // The caret stays under 错误: 标题 (4 cells) + \x1b[2J (7 cells).
        assert!(
            out.contains(&format!("  | {}^^^^", " ".repeat(11))),
            "{out}"
        );
    }
}
