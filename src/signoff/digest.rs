//! The canonical printed content of an issue and its SHA-256 digests.
//!
//! Only what appears in the outputs goes in: masthead data, the order and
//! printed headings of sections, each item's printed title, excerpt flag,
//! unit and body (text, styles, links, images with their file contents),
//! and the end-block lines. Not the signers' names or the draft mark (they
//! follow from the sign-offs), not templates or fonts, and not how the
//! Markdown was laid out: line ends, reflowed lines and extra blank lines
//! give the same model, and runs split by line breaks are merged first.

use sha2::{Digest, Sha256};

use crate::fsutil::read_once::ReadOnce;
use crate::model::{Block, Inline, Issue, Item, SectionStyle, Style};

/// Digests of an issue's printed content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// Everything together.
    pub issue: String,
    /// Publication name, publisher, number, running total, date.
    pub masthead: String,
    /// Distribution lines, editor, roles, copies.
    pub end_block: String,
    pub items: Vec<ItemDigest>,
    /// The issue's presentation digest (see `Issue::presentation`).
    pub presentation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDigest {
    /// Submission file name: identifies the item across edits.
    pub file: String,
    /// How users know the item: its title, or the opening of a 简讯.
    pub label: String,
    pub digest: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Length-prefixed fields: no separator can be forged by content.
struct Canon(Vec<u8>);

impl Canon {
    fn new(kind: &str) -> Canon {
        let mut c = Canon(Vec::new());
        c.field(kind);
        c
    }
    fn field(&mut self, s: &str) -> &mut Self {
        self.0.extend_from_slice(format!("{}:", s.len()).as_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self.0.push(b';');
        self
    }
    fn finish(&self) -> String {
        hex(&Sha256::digest(&self.0))
    }
}

/// Whitespace runs become one space; ends are trimmed by the callers.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn style_tag(s: &Style) -> String {
    format!(
        "{}{}{}",
        if s.strong { "b" } else { "" },
        if s.emphasis { "i" } else { "" },
        if s.code { "c" } else { "" }
    )
}

fn inlines(c: &mut Canon, content: &[Inline]) {
    // Merge neighbouring runs of one style and link first.
    let mut merged: Vec<(String, String, String)> = Vec::new();
    for i in content {
        let (text, tag, link) = match i {
            Inline::Text(r) => (
                r.text.clone(),
                style_tag(&r.style),
                r.link.clone().unwrap_or_default(),
            ),
            Inline::Break => ("\u{2028}".to_string(), "br".to_string(), String::new()),
        };
        match merged.last_mut() {
            Some(last) if last.1 == tag && last.2 == link && tag != "br" => last.0.push_str(&text),
            _ => merged.push((text, tag, link)),
        }
    }
    let n = merged.len();
    for (k, (text, tag, link)) in merged.iter().enumerate() {
        let mut t = squeeze(text);
        if k == 0 {
            t = t.trim_start().to_string();
        }
        if k + 1 == n {
            t = t.trim_end().to_string();
        }
        if t.is_empty() {
            continue;
        }
        c.field(tag).field(link).field(&t);
    }
}

fn blocks(c: &mut Canon, content: &[Block], files: &ReadOnce) {
    for b in content {
        match b {
            Block::Paragraph(p) => {
                c.field("p");
                inlines(c, p);
                c.field("/p");
            }
            Block::Heading { level, content } => {
                c.field("h").field(&level.to_string());
                inlines(c, content);
                c.field("/h");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                c.field("list")
                    .field(if *ordered { "ol" } else { "ul" })
                    .field(&start.to_string());
                for it in items {
                    c.field("li");
                    blocks(c, it, files);
                    c.field("/li");
                }
                c.field("/list");
            }
            Block::Quote(inner) => {
                c.field("quote");
                blocks(c, inner, files);
                c.field("/quote");
            }
            Block::Image(img) => {
                let file = files
                    .image(&img.path)
                    .map(|b| hex(&Sha256::digest(b.as_slice())))
                    .unwrap_or_else(|_| "missing".to_string());
                c.field("img")
                    .field(&img.src)
                    .field(&squeeze(img.caption.trim()))
                    .field(&file);
            }
            Block::Code(code) => {
                let lines: Vec<&str> = code.lines().map(str::trim_end).collect();
                c.field("code").field(&lines.join("\n"));
            }
            Block::Table(t) => {
                c.field("table");
                for a in &t.align {
                    c.field(&format!("{a:?}"));
                }
                for row in std::iter::once(&t.header).chain(t.rows.iter()) {
                    c.field("tr");
                    blocks(c, row, files);
                    c.field("/tr");
                }
                c.field("/table");
            }
        }
    }
}

/// The digest of one item as printed in a section of `style`, its images
/// read through `files` (the issue's [`Issue::files`]).
pub fn item_digest(item: &Item, style: SectionStyle, files: &ReadOnce) -> String {
    let mut c = Canon::new("item-v1");
    match style {
        SectionStyle::Article => {
            c.field("article")
                .field(item.title.as_deref().unwrap_or(""))
                .field(if item.excerpt { "excerpt" } else { "" });
        }
        SectionStyle::Brief => {
            c.field("brief");
        }
    }
    c.field(&item.unit);
    blocks(&mut c, &item.blocks, files);
    c.finish()
}

/// How users know an item: its title, or the opening words of a 简讯.
pub fn item_label(item: &Item) -> String {
    if let Some(t) = &item.title {
        return format!("《{t}》");
    }
    let text: String = item
        .plain_text()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let head: String = text.chars().take(18).collect();
    let more = if text.chars().count() > 18 {
        "……"
    } else {
        ""
    };
    format!("简讯“{head}{more}”")
}

pub fn digests(issue: &Issue) -> Digests {
    let mut m = Canon::new("masthead-v1");
    m.field(&issue.title)
        .field(&issue.publisher)
        .field(&issue.number.to_string())
        .field(
            &issue
                .total_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
        )
        .field(&issue.date.format("%Y-%m-%d").to_string());
    let masthead = m.finish();

    let f = &issue.footer;
    let mut e = Canon::new("end-block-v1");
    for l in &f.lines {
        e.field("line")
            .field(&l.label)
            .field(&squeeze(l.text.trim()));
    }
    e.field("editor").field(f.editor.as_deref().unwrap_or(""));
    for s in &f.signoffs {
        e.field("role").field(&s.role);
    }
    e.field("copies")
        .field(&f.copies.map(|n| n.to_string()).unwrap_or_default());
    let end_block = e.finish();

    let mut all = Canon::new("issue-v1");
    all.field(&masthead).field(&end_block);
    let mut items = Vec::new();
    for section in &issue.sections {
        if section.items.is_empty() {
            // Empty sections are not printed.
            continue;
        }
        all.field("section")
            .field(section.heading.as_deref().unwrap_or(""))
            .field(match section.style {
                SectionStyle::Article => "article",
                SectionStyle::Brief => "brief",
            });
        for item in &section.items {
            let d = item_digest(item, section.style, &issue.files);
            all.field(&d);
            items.push(ItemDigest {
                file: item.file_name(),
                label: item_label(item),
                digest: d,
            });
        }
    }
    Digests {
        issue: all.finish(),
        masthead,
        end_block,
        items,
        presentation: issue.presentation.clone(),
    }
}

/// The review code (审核码) of the issue as it prints now: `3F9A-0C21`,
/// from the content and presentation digests. Two drafts with one code
/// print the same.
pub fn review_code(issue: &Issue) -> String {
    let d = digests(issue);
    let mut c = Canon::new("review-code-v1");
    c.field(&d.issue).field(&d.presentation);
    let h = c.finish().to_ascii_uppercase();
    format!("{}-{}", &h[..4], &h[4..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::{issue, item};

    #[test]
    fn reflowing_lines_keeps_the_digest() {
        let a = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实责任，\n全面排查隐患。Smart\nHome 项目。\n\n\n第二段。",
        );
        let b = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "会议强调，要压实责任，全面排查隐患。Smart Home 项目。\n\n第二段。   ",
        );
        assert_eq!(
            digests(&issue(vec![a], vec![])),
            digests(&issue(vec![b], vec![]))
        );
    }

    #[test]
    fn printed_changes_change_the_digest() {
        let base = || {
            item(
                "a.md",
                Some("标题"),
                "市局办公室",
                "2025-12-01",
                "会议强调，要压实责任。",
            )
        };
        let d0 = digests(&issue(vec![base()], vec![]));
        let edits = [
            item(
                "a.md",
                Some("标题"),
                "市局办公室",
                "2025-12-01",
                "会议强调，要压实安全责任。",
            ),
            item(
                "a.md",
                Some("新标题"),
                "市局办公室",
                "2025-12-01",
                "会议强调，要压实责任。",
            ),
            item(
                "a.md",
                Some("标题"),
                "市局机关",
                "2025-12-01",
                "会议强调，要压实责任。",
            ),
            item(
                "a.md",
                Some("标题"),
                "市局办公室",
                "2025-12-01",
                "会议强调，**要压实责任**。",
            ),
        ];
        for e in edits {
            let d = digests(&issue(vec![e], vec![]));
            assert_ne!(d.issue, d0.issue);
            assert_ne!(d.items[0].digest, d0.items[0].digest);
            assert_eq!(d.masthead, d0.masthead);
        }
        let mut moved = issue(vec![], vec![base()]);
        moved.sections[1].items[0].title = None;
        assert_ne!(digests(&moved).issue, d0.issue);
        let mut other_date = issue(vec![base()], vec![]);
        other_date.date = crate::model::testutil::date("2025-12-09");
        let d = digests(&other_date);
        assert_ne!(d.masthead, d0.masthead);
        assert_eq!(d.items, d0.items);
    }

    #[test]
    fn item_date_is_not_printed() {
        let a = item("a.md", Some("标题"), "市局办公室", "2025-12-01", "正文。");
        let b = item("a.md", Some("标题"), "市局办公室", "2025-12-02", "正文。");
        assert_eq!(
            digests(&issue(vec![a], vec![])),
            digests(&issue(vec![b], vec![]))
        );
    }
}
