//! The one place where printed text loses the characters that must never
//! be printed (bidi controls, zero-width and control characters, see
//! [`crate::text::printable`]): applied when the model is assembled, so
//! the PDF, the HTML and the sign-off digests all read the same logical
//! text. `bulletin check` reports each such character from the source
//! files (rules T001–T003), which this does not change.

use super::{Block, Footer, Inline, Issue, Item, Run, Section};
use crate::text::printable;

/// `s` without hostile characters, in place.
pub fn clean_string(s: &mut String) {
    if let std::borrow::Cow::Owned(o) = printable(s) {
        *s = o;
    }
}

/// A run without hostile characters. An exact run (its characters one to
/// one with the source) is split where a character goes, so that every
/// piece still points at its own source bytes.
fn clean_run(run: Run, out: &mut Vec<Inline>) {
    let cleaned = printable(&run.text);
    if matches!(cleaned, std::borrow::Cow::Borrowed(_)) {
        out.push(Inline::Text(run));
        return;
    }
    if !run.exact {
        let text = cleaned.into_owned();
        if !text.is_empty() {
            out.push(Inline::Text(Run { text, ..run }));
        }
        return;
    }
    // Pieces of kept characters between removed ones.
    let kept: Vec<bool> = {
        let mut v = Vec::new();
        let chars: Vec<char> = run.text.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            let prev = k.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(k + 1).copied();
            v.push(crate::text::hostile_at(prev, c, next).is_none());
        }
        v
    };
    let mut start: Option<usize> = None;
    let mut pieces = Vec::new();
    for ((i, _), keep) in run.text.char_indices().zip(&kept) {
        match (keep, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                pieces.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        pieces.push(s..run.text.len());
    }
    for p in pieces {
        out.push(Inline::Text(Run {
            text: run.text[p.clone()].to_string(),
            style: run.style,
            link: run.link.clone(),
            offset: run.offset + p.start,
            exact: true,
        }));
    }
}

fn clean_inlines(inlines: &mut Vec<Inline>) {
    if !inlines.iter().any(|i| match i {
        Inline::Text(r) => matches!(printable(&r.text), std::borrow::Cow::Owned(_)),
        Inline::Break => false,
    }) {
        return;
    }
    let mut out = Vec::with_capacity(inlines.len() + 2);
    for i in inlines.drain(..) {
        match i {
            Inline::Text(r) => clean_run(r, &mut out),
            Inline::Break => out.push(Inline::Break),
        }
    }
    *inlines = out;
}

/// Blocks without hostile characters. Iterative: the model is shallow
/// (nesting is capped when it is parsed), but nothing here recurses.
pub fn clean_blocks(blocks: &mut [Block]) {
    let mut stack: Vec<&mut [Block]> = vec![blocks];
    while let Some(level) = stack.pop() {
        for b in level.iter_mut() {
            match b {
                Block::Paragraph(p) | Block::Heading { content: p, .. } => clean_inlines(p),
                Block::Image(img) => clean_string(&mut img.caption),
                Block::Code(c) => clean_string(c),
                Block::Quote(inner) => stack.push(inner),
                Block::Table(t) => {
                    stack.push(&mut t.header);
                    for row in t.rows.iter_mut() {
                        stack.push(row);
                    }
                }
                Block::List { items, .. } => {
                    for it in items.iter_mut() {
                        stack.push(it);
                    }
                }
            }
        }
    }
}

pub fn clean_item(item: &mut Item) {
    if let Some(t) = &mut item.title {
        clean_string(t);
    }
    clean_string(&mut item.unit);
    clean_blocks(&mut item.blocks);
}

fn clean_footer(f: &mut Footer) {
    for l in &mut f.lines {
        clean_string(&mut l.label);
        clean_string(&mut l.text);
    }
    if let Some(e) = &mut f.editor {
        clean_string(e);
    }
    for s in &mut f.signoffs {
        clean_string(&mut s.role);
        if let Some(n) = &mut s.name {
            clean_string(n);
        }
    }
}

fn clean_section(s: &mut Section) {
    if let Some(h) = &mut s.heading {
        clean_string(h);
    }
    for item in &mut s.items {
        clean_item(item);
    }
}

/// Every printed text of `issue` without hostile characters.
pub fn clean_issue(issue: &mut Issue) {
    clean_string(&mut issue.title);
    clean_string(&mut issue.publisher);
    for s in &mut issue.sections {
        clean_section(s);
    }
    clean_footer(&mut issue.footer);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::item;

    #[test]
    fn exact_runs_are_split_and_keep_their_offsets() {
        let body = "今年发放\u{202E}15\u{202C}万元，**重点\u{200B}保障**。";
        let mut it = item(
            "a.md",
            Some("标\u{200B}题"),
            "市\u{2060}局",
            "2025-12-01",
            body,
        );
        clean_item(&mut it);
        assert_eq!(it.title.as_deref(), Some("标题"));
        assert_eq!(it.unit, "市局");
        assert_eq!(it.plain_text(), "今年发放15万元，重点保障。\n");
        let Block::Paragraph(p) = &it.blocks[0] else {
            panic!("{:?}", it.blocks)
        };
        for i in p {
            if let Inline::Text(r) = i
                && r.exact
            {
                assert_eq!(&it.source.text[r.offset..r.offset + r.text.len()], r.text);
            }
        }
    }
}
