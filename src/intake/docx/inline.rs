//! Runs → Markdown inline text: escaping, and `**bold**` / `*italic*`
//! spans placed so that CommonMark reads them as emphasis next to Chinese
//! punctuation (punctuation and spaces at a span's edges go outside it).

use super::body::Inline;

/// Characters CommonMark could read as markup anywhere in a line (the same
/// set the .txt conversion escapes).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '!' | '~' | '|'
    )
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if needs_escape(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line's start made safe from block markers: headings, lists, rules,
/// setext underlines.
pub fn escape_line_start(line: &str) -> String {
    match line.chars().next() {
        Some('#' | '-' | '+' | '=') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            let mut it = rest.chars();
            match (it.next(), it.next()) {
                (Some('.' | ')'), None | Some(' ' | '\t')) => {
                    format!("{}\\{}", &line[..digits], rest)
                }
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// Unicode punctuation and symbols, as far as CommonMark's flanking rules
/// care (ASCII, general and CJK punctuation, full-width forms).
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF | 0x00D7 | 0x00F7
            | 0x2010..=0x2027 | 0x2030..=0x205E
            | 0x2100..=0x23FF | 0x25A0..=0x27BF | 0x2E00..=0x2E7F
            | 0x3001..=0x303F | 0x30FB
            | 0xFE10..=0xFE1F | 0xFE30..=0xFE6F
            | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
            | 0xFFE0..=0xFFEE)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

fn edge(c: char) -> bool {
    is_punct(c) || is_space(c)
}

/// Text pieces with their styles, one line (no breaks, no images).
pub type Line = Vec<(String, bool, bool)>;

/// Split inlines into lines at breaks; images are skipped (the caller
/// places them).
pub fn lines(inlines: &[Inline]) -> Vec<Line> {
    let mut out = vec![Vec::new()];
    for i in inlines {
        match i {
            Inline::Text { text, bold, italic } => {
                out.last_mut()
                    .expect("one line")
                    .push((text.clone(), *bold, *italic))
            }
            Inline::Break => out.push(Vec::new()),
            Inline::Image(_) => {}
        }
    }
    out
}

pub fn plain(line: &Line) -> String {
    line.iter().map(|(t, _, _)| t.as_str()).collect()
}

/// Styles normalised: whitespace-only pieces take the style of the span
/// around them (or none), neighbours of one style merged.
fn normalise(line: &Line) -> Line {
    let mut v: Line = line
        .iter()
        .filter(|(t, _, _)| !t.is_empty())
        .cloned()
        .collect();
    for i in 0..v.len() {
        if v[i].0.chars().all(is_space) {
            let prev = i.checked_sub(1).map(|j| (v[j].1, v[j].2));
            let next = v.get(i + 1).map(|n| (n.1, n.2));
            let (b, it) = match (prev, next) {
                (Some(p), Some(n)) if p == n => p,
                _ => (false, false),
            };
            v[i].1 = b;
            v[i].2 = it;
        }
    }
    let mut out: Line = Vec::new();
    for (t, b, i) in v {
        match out.last_mut() {
            Some(last) if last.1 == b && last.2 == i => last.0.push_str(&t),
            _ => out.push((t, b, i)),
        }
    }
    out
}

/// `text` wrapped in `mark`, with edge punctuation and spaces moved
/// outside; plain when nothing is left inside.
fn wrap(raw: &str, mark: &str, out: &mut String) {
    let lead: String = raw.chars().take_while(|c| edge(*c)).collect();
    if lead.len() == raw.len() {
        out.push_str(&escape(raw));
        return;
    }
    let trail_rev: String = raw.chars().rev().take_while(|c| edge(*c)).collect();
    let trail: String = trail_rev.chars().rev().collect();
    let core = &raw[lead.len()..raw.len() - trail.len()];
    out.push_str(&escape(&lead));
    out.push_str(mark);
    out.push_str(&escape(core));
    out.push_str(mark);
    out.push_str(&escape(&trail));
}

/// One line as Markdown inline text with emphasis; `emphasis` false
/// gives plain escaped text (headings, titles).
pub fn markdown(line: &Line, emphasis: bool) -> String {
    let line = normalise(line);
    let mut out = String::new();
    if !emphasis {
        for (t, _, _) in &line {
            out.push_str(&escape(t));
        }
        return out;
    }
    // Bold spans outermost, italic inside; each span's edges trimmed.
    let mut i = 0;
    while i < line.len() {
        let bold = line[i].1;
        let mut j = i;
        while j < line.len() && line[j].1 == bold {
            j += 1;
        }
        let group = &line[i..j];
        if bold {
            let raw: String = group.iter().map(|p| p.0.as_str()).collect();
            let lead: String = raw.chars().take_while(|c| edge(*c)).collect();
            if lead.len() == raw.len() {
                out.push_str(&escape(&raw));
            } else {
                let trail: String = {
                    let r: String = raw.chars().rev().take_while(|c| edge(*c)).collect();
                    r.chars().rev().collect()
                };
                out.push_str(&escape(&lead));
                out.push_str("**");
                // The group without its edges, italic pieces inside.
                let mut cut = Vec::new();
                let mut skip = lead.len();
                let mut keep = raw.len() - lead.len() - trail.len();
                for (t, _, it) in group {
                    let mut t = t.as_str();
                    let s = skip.min(t.len());
                    t = &t[s..];
                    skip -= s;
                    let k = keep.min(t.len());
                    if k > 0 {
                        cut.push((t[..k].to_string(), *it));
                    }
                    keep -= k;
                }
                for (t, it) in cut {
                    if it {
                        wrap(&t, "*", &mut out);
                    } else {
                        out.push_str(&escape(&t));
                    }
                }
                out.push_str("**");
                out.push_str(&escape(&trail));
            }
        } else {
            for (t, _, it) in group {
                if *it {
                    wrap(t, "*", &mut out);
                } else {
                    out.push_str(&escape(t));
                }
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    /// The emphasis CommonMark sees: text with [b]…[/b] and [i]…[/i].
    fn seen(md: &str) -> String {
        let mut s = String::new();
        for e in Parser::new(md) {
            match e {
                Event::Start(Tag::Strong) => s.push_str("[b]"),
                Event::End(TagEnd::Strong) => s.push_str("[/b]"),
                Event::Start(Tag::Emphasis) => s.push_str("[i]"),
                Event::End(TagEnd::Emphasis) => s.push_str("[/i]"),
                Event::Text(t) => s.push_str(&t),
                _ => {}
            }
        }
        s
    }

    fn l(parts: &[(&str, bool, bool)]) -> Line {
        parts
            .iter()
            .map(|(t, b, i)| (t.to_string(), *b, *i))
            .collect()
    }

    #[test]
    fn emphasis_next_to_chinese_punctuation() {
        type Case<'a> = (&'a [(&'a str, bool, bool)], &'a str);
        let cases: &[Case] = &[
            (
                &[
                    ("县", false, false),
                    ("“重点”", true, false),
                    ("后", false, false),
                ],
                "县“[b]重点[/b]”后",
            ),
            (
                &[
                    ("要求", false, false),
                    ("应保尽保", false, true),
                    ("。", false, false),
                ],
                "要求[i]应保尽保[/i]。",
            ),
            (
                &[
                    ("甲", true, false),
                    ("乙", true, true),
                    ("丙", false, false),
                ],
                "[b]甲[i]乙[/i][/b]丙",
            ),
            (
                &[("甲", false, true), ("乙", true, false)],
                "[i]甲[/i][b]乙[/b]",
            ),
            (
                &[("甲", true, false), ("乙", false, true)],
                "[b]甲[/b][i]乙[/i]",
            ),
            (
                &[("“甲”", true, true), ("，", false, false)],
                "“[i][b]甲[/b][/i]”，",
            ),
            (&[("。", true, false), ("a*b", false, false)], "。a*b"),
            (
                &[
                    ("县", false, false),
                    (" 部署 ", true, false),
                    ("工作", false, false),
                ],
                "县 [b]部署[/b] 工作",
            ),
            (&[("3*4", true, false)], "[b]3*4[/b]"),
        ];
        for (parts, want) in cases {
            let md = markdown(&l(parts), true);
            assert_eq!(seen(&md), *want, "{md}");
        }
    }

    #[test]
    fn line_starts() {
        assert_eq!(escape_line_start("1. 预约"), "1\\. 预约");
        assert_eq!(escape_line_start("1.建立台账"), "1.建立台账");
        assert_eq!(escape_line_start("# 号"), "\\# 号");
        assert_eq!(escape_line_start("2025年"), "2025年");
    }
}
