//! Clean text: characters that must never be printed, in a submission
//! (title, unit, body) or in a string value of issue.toml or bulletin.toml.
//!
//! - T001: bidi controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C):
//!   they can make one text read differently in the PDF and the HTML
//!   (51万元 for 15万元).
//! - T002: zero-width and other invisible characters (U+200B, U+2060,
//!   U+FEFF inside text …; ZWJ/ZWNJ except between two non-Han letters):
//!   they let two names look identical.
//! - T003: C0 and C1 control characters other than tab and newline.
//!
//! The checks read the source files as written, so each character is
//! reported at its own line and column, whether written raw, as a TOML
//! escape (`\u202E`) or as an HTML character reference (`&#x202E;`,
//! `&zwj;`). The printed text never holds them: the model drops them
//! when it is assembled ([`crate::model::clean`]).

use std::ops::Range;
use std::path::Path;

use super::diag;
use crate::diag::{Diagnostics, LineIndex};
use crate::model::Issue;
use crate::text::{Hostile, describe_char, hostile, hostile_at};

/// Characters reported one by one per file and rule; the rest are counted.
const MAX_PER_FILE: usize = 20;

fn code(h: Hostile) -> &'static str {
    match h {
        Hostile::Bidi => "T001",
        Hostile::ZeroWidth => "T002",
        Hostile::Control => "T003",
    }
}

fn kind_cn(h: Hostile) -> &'static str {
    match h {
        Hostile::Bidi => "双向文字控制字符",
        Hostile::ZeroWidth => "看不见的零宽字符",
        Hostile::Control => "控制字符",
    }
}

fn hint(h: Hostile, written: &str) -> String {
    let why = match h {
        Hostile::Bidi => {
            "这种字符看不见，却能颠倒文字的显示顺序（网页显示 15万元，PDF 可能印成 51万元）"
        }
        Hostile::ZeroWidth => "这种字符看不见，却让两个看起来相同的名字或标题成了不同的文字",
        Hostile::Control => "控制字符不是文字，常是从别的软件复制时带进来的",
    };
    let how = if written.starts_with('\\') || written.starts_with('&') {
        format!("删去这里的“{written}”")
    } else {
        "把光标移到这里删去它（可用编辑器的“显示不可见字符”查看），或把这几个字删掉重新输入"
            .to_string()
    };
    format!("{why}。请{how}；刊物里不会印出这个字符")
}

/// One hostile character found in a file.
struct Found {
    /// Byte span of the character as written (raw, escape or reference).
    span: Range<usize>,
    ch: char,
    class: Hostile,
}

/// Characters of a TOML basic string (`"…"` or `"""…"""`, quotes
/// included) written as escapes that decode to hostile characters.
fn toml_escapes(raw: &str, base: usize, out: &mut Vec<Found>) {
    if !raw.starts_with('"') {
        return; // literal strings take no escapes
    }
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let hex = |n: usize| {
            raw.get(i + 2..i + 2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map(|c| (c, 2 + n))
        };
        let esc = match b.get(i + 1) {
            Some(b'u') => hex(4),
            Some(b'U') => hex(8),
            Some(b'x') => hex(2),
            Some(b'e') => Some(('\u{1b}', 2)),
            Some(b'b') => Some(('\u{8}', 2)),
            Some(b'f') => Some(('\u{c}', 2)),
            _ => None,
        };
        match esc {
            Some((c, len)) => {
                if let Some(class) = hostile(c) {
                    out.push(Found {
                        span: base + i..base + i + len,
                        ch: c,
                        class,
                    });
                }
                i += len;
            }
            None => i += 2,
        }
    }
}

/// Named HTML references to invisible characters (pulldown-cmark decodes
/// every HTML5 name; these are the ones that matter here).
const NAMED: &[(&str, char)] = &[
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
    ("ZeroWidthSpace", '\u{200B}'),
    ("NegativeVeryThinSpace", '\u{200B}'),
    ("NegativeThinSpace", '\u{200B}'),
    ("NegativeMediumSpace", '\u{200B}'),
    ("NegativeThickSpace", '\u{200B}'),
    ("NoBreak", '\u{2060}'),
    ("shy", '\u{00AD}'),
    ("af", '\u{2061}'),
    ("ApplyFunction", '\u{2061}'),
    ("it", '\u{2062}'),
    ("InvisibleTimes", '\u{2062}'),
    ("ic", '\u{2063}'),
    ("InvisibleComma", '\u{2063}'),
];

/// Character references (`&#x202E;`, `&#8238;`, `&zwj;`) in Markdown
/// text that decode to hostile characters.
fn references(text: &str, from: usize, out: &mut Vec<Found>) {
    let mut pos = from;
    while let Some(k) = text[pos..].find('&') {
        let at = pos + k;
        pos = at + 1;
        let rest = &text[at + 1..];
        let Some(semi) = rest.find(';').filter(|&s| s > 0 && s <= 32) else {
            continue;
        };
        let name = &rest[..semi];
        let c = if let Some(num) = name.strip_prefix('#') {
            let v = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            v.and_then(char::from_u32)
        } else {
            NAMED.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
        };
        let Some(c) = c else { continue };
        let end = at + 1 + semi + 1;
        let prev = text[..at].chars().next_back();
        let next = text[end..].chars().next();
        if let Some(class) = hostile_at(prev, c, next) {
            out.push(Found {
                span: at..end,
                ch: c,
                class,
            });
        }
        pos = end;
    }
}

/// Raw hostile characters anywhere in `text`.
fn raw(text: &str, out: &mut Vec<Found>) {
    out.extend(
        crate::text::find_hostile(text)
            .into_iter()
            .map(|(i, ch, class)| Found {
                span: i..i + ch.len_utf8(),
                ch,
                class,
            }),
    );
}

/// Diagnostics for what was found in one file, at most [`MAX_PER_FILE`]
/// per rule and a count of the rest. `place` names the part of the file
/// a byte offset is in (标题, 正文, `footer.editor` …).
fn report(
    path: &Path,
    text: &str,
    mut found: Vec<Found>,
    place: &dyn Fn(usize) -> String,
    out: &mut Diagnostics,
) {
    if found.is_empty() {
        return;
    }
    found.sort_by_key(|f| f.span.start);
    let index = LineIndex::new(text);
    let mut counts = std::collections::HashMap::new();
    for f in &found {
        let n = counts.entry(f.class).or_insert(0usize);
        *n += 1;
        if *n > MAX_PER_FILE {
            continue;
        }
        let written = &text[f.span.clone()];
        let shown = if written.chars().count() > 1 {
            format!("，写作“{written}”")
        } else {
            String::new()
        };
        let d = diag(
            code(f.class),
            format!(
                "{}里有{} {}{shown}",
                place(f.span.start),
                kind_cn(f.class),
                describe_char(f.ch)
            ),
        )
        .at_indexed(path, text, &index, f.span.clone())
        .with_hint(hint(f.class, written));
        out.push(d);
    }
    let mut rest: Vec<(Hostile, usize)> = counts
        .into_iter()
        .filter(|&(_, n)| n > MAX_PER_FILE)
        .collect();
    rest.sort_by_key(|&(h, _)| code(h));
    for (h, n) in rest {
        out.push(
            diag(
                code(h),
                format!(
                    "这个文件里共有 {n} 个{}，上面只列出了前 {MAX_PER_FILE} 个",
                    kind_cn(h)
                ),
            )
            .in_file(path)
            .with_hint("整个文件可能是从网页或别的软件复制来的：请用纯文本重新粘贴后检查"),
        );
    }
}

/// T001–T003 for every submission of `issue` and for issue.toml and
/// bulletin.toml.
pub fn check(issue: &Issue) -> Diagnostics {
    let mut out = Diagnostics::default();
    for item in issue.items() {
        let src = &item.source;
        let text = src.text.as_str();
        let mut found = Vec::new();
        raw(text, &mut found);
        let spans: Vec<&Range<usize>> = item.title_span.iter().chain([&item.unit_span]).collect();
        for s in &spans {
            if let Some(v) = text.get((*s).clone()) {
                toml_escapes(v, s.start, &mut found);
            }
        }
        let body = body_start(text);
        references(text, body, &mut found);
        let title = item.title_span.clone();
        let unit = item.unit_span.clone();
        let place = move |at: usize| {
            if title.as_ref().is_some_and(|t| t.contains(&at)) {
                "标题".to_string()
            } else if unit.contains(&at) {
                "来源单位".to_string()
            } else if at >= body {
                "正文".to_string()
            } else {
                "头信息".to_string()
            }
        };
        report(&src.path, text, found, &place, &mut out);
    }
    for file in &issue.config_files {
        let text = file.source.text.as_str();
        let mut found = Vec::new();
        raw(text, &mut found);
        let strings: Vec<(String, Range<usize>)> = file
            .index
            .strings()
            .map(|(p, span, _)| (p.to_string(), span))
            .collect();
        for (_, span) in &strings {
            if let Some(v) = text.get(span.clone()) {
                toml_escapes(v, span.start, &mut found);
            }
        }
        let name = file
            .source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let place = move |at: usize| match strings.iter().find(|(_, s)| s.contains(&at)) {
            Some((p, _)) => format!("{name} 的 {p} 的值"),
            None => name.clone(),
        };
        report(&file.source.path, text, found, &place, &mut out);
    }
    out
}

/// Where the Markdown body of a submission starts: after the second `+++`
/// line (0 when there is none).
fn body_start(text: &str) -> usize {
    let mut pos = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        pos += line.len();
        if line.trim_end() == "+++" {
            seen += 1;
            if seen == 2 {
                return pos;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    #[test]
    fn raw_characters_are_located() {
        let a = item(
            "a.md",
            Some("标\u{200B}题"),
            "市\u{202E}局",
            "2025-12-01",
            "今年发放\u{202E}15\u{202C}万元。\n\n有\u{1b}[31m颜色。",
        );
        let d = check(&issue(vec![a], vec![]));
        assert_eq!(
            codes(&d),
            vec!["T002@2:11", "T001@3:10", "T001@7:5", "T001@7:8", "T003@9:2"]
        );
        assert!(
            d.items[0].message.contains("标题"),
            "{}",
            d.items[0].message
        );
        assert!(d.items[1].message.contains("来源单位"));
        assert!(
            d.items[2]
                .message
                .contains("正文里有双向文字控制字符 U+202E（从右到左强制符）"),
            "{}",
            d.items[2].message
        );
        assert!(d.items[4].message.contains("U+001B（转义符 ESC）"));
        assert!(d.items.iter().all(|x| x.is_error() && x.hint.is_some()));
    }

    #[test]
    fn escapes_and_references_are_located() {
        let a = item(
            "a.md",
            Some("标\\u200B题\\\\u202E"),
            "市局\\e",
            "2025-12-01",
            "发放&#x202E;15万元&zwj;。`&amp;`",
        );
        let d = check(&issue(vec![a], vec![]));
        // `\\u202E` is an escaped backslash, not an escape.
        assert_eq!(
            codes(&d),
            vec!["T002@2:11", "T003@3:11", "T001@7:3", "T002@7:15"]
        );
        assert!(d.items[0].message.contains("写作“\\u200B”"));
    }

    #[test]
    fn joiners_between_letters_and_clean_text_are_silent() {
        let a = item(
            "a.md",
            Some("波斯文 می\u{200C}خواهم 的写法"),
            "市局",
            "2025-12-01",
            "正文\t有制表符。\n\n第二段。",
        );
        assert!(check(&issue(vec![a], vec![])).is_empty());
    }

    #[test]
    fn many_are_counted_not_listed() {
        let body = "字\u{200B}".repeat(100);
        let a = item("a.md", Some("标题"), "市局", "2025-12-01", &body);
        let d = check(&issue(vec![a], vec![]));
        assert_eq!(d.items.len(), MAX_PER_FILE + 1);
        assert!(d.items.last().unwrap().message.contains("共有 100 个"));
    }
}
