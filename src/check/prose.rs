//! Printed text as the rules see it: one unit per paragraph, heading, list
//! item paragraph or title, with a map from its bytes back to the
//! submission, and the ranges no prose rule may touch (code, URLs, e-mail
//! addresses).

use std::ops::Range;

use crate::model::{Block, Inline, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A top-level body paragraph.
    Paragraph {
        /// The next block is a list (a lead-in paragraph may end in ：).
        before_list: bool,
        /// Every run is bold: a run-in heading, not a sentence.
        all_strong: bool,
    },
    Heading,
    /// A paragraph inside a list item or a quote.
    Nested,
    /// The item's title (front matter).
    Title,
}

#[derive(Debug, Clone)]
struct Seg {
    start: usize,
    end: usize,
    offset: usize,
    exact: bool,
}

/// One unit of printed text.
#[derive(Debug, Clone)]
pub struct Prose<'a> {
    pub item: &'a Item,
    pub kind: Kind,
    pub text: String,
    segs: Vec<Seg>,
    /// Byte ranges of `text` that hold code, URLs or e-mail addresses.
    pub skip: Vec<Range<usize>>,
}

impl<'a> Prose<'a> {
    fn from_inlines(item: &'a Item, kind: Kind, inlines: &[Inline]) -> Prose<'a> {
        let mut p = Prose {
            item,
            kind,
            text: String::new(),
            segs: Vec::new(),
            skip: Vec::new(),
        };
        for i in inlines {
            match i {
                Inline::Text(r) => {
                    let start = p.text.len();
                    p.text.push_str(&r.text);
                    let end = p.text.len();
                    if r.style.code {
                        p.skip.push(start..end);
                    }
                    p.segs.push(Seg {
                        start,
                        end,
                        offset: r.offset,
                        exact: r.exact,
                    });
                }
                Inline::Break => p.text.push('\n'),
            }
        }
        p.find_addresses();
        p
    }

    /// The item's title, mapped into its front matter.
    pub fn title(item: &'a Item) -> Option<Prose<'a>> {
        let title = item.title.as_ref()?;
        let span = item.title_span.clone()?;
        let src = &item.source.text;
        let (offset, exact) = match src.get(span.clone()).and_then(|s| s.find(title.as_str())) {
            Some(i) => (span.start + i, true),
            None => (span.start, false),
        };
        let mut p = Prose {
            item,
            kind: Kind::Title,
            text: title.clone(),
            segs: vec![Seg {
                start: 0,
                end: title.len(),
                offset,
                exact,
            }],
            skip: Vec::new(),
        };
        p.find_addresses();
        Some(p)
    }

    /// Every text unit of an item's body, in order.
    pub fn body(item: &'a Item) -> Vec<Prose<'a>> {
        crate::model::walk::blocks(&item.blocks)
            .filter_map(|v| match v.block {
                Block::Paragraph(p) => {
                    let kind = if v.nested {
                        Kind::Nested
                    } else {
                        Kind::Paragraph {
                            before_list: matches!(
                                v.next,
                                Some(
                                    Block::List { .. }
                                        | Block::Quote(_)
                                        | Block::Code(_)
                                        | Block::Table(_)
                                )
                            ),
                            all_strong: p.iter().all(|i| match i {
                                Inline::Text(r) => r.style.strong || r.text.trim().is_empty(),
                                Inline::Break => true,
                            }),
                        }
                    };
                    Some(Prose::from_inlines(item, kind, p))
                }
                Block::Heading { content, .. } => {
                    Some(Prose::from_inlines(item, Kind::Heading, content))
                }
                Block::List { .. }
                | Block::Quote(_)
                | Block::Image(_)
                | Block::Code(_)
                | Block::Table(_) => None,
            })
            .collect()
    }

    /// Whether byte `i` of `text` lies in code, a URL or an address
    /// (O(log n): `skip` is sorted and merged once it is complete).
    pub fn skipped(&self, i: usize) -> bool {
        let k = self.skip.partition_point(|r| r.start <= i);
        k > 0 && self.skip[k - 1].contains(&i)
    }

    /// The submission byte span of `range` of `text`.
    pub fn source_span(&self, range: Range<usize>) -> Range<usize> {
        // The segments are in text order and do not overlap: the last one
        // starting at or before the range holds it, if any does.
        let k = self.segs.partition_point(|s| s.start <= range.start);
        let seg = k
            .checked_sub(1)
            .map(|k| &self.segs[k])
            .or(self.segs.first());
        let Some(seg) = seg else {
            return 0..0;
        };
        if !seg.exact {
            let len = self
                .item
                .source
                .text
                .get(seg.offset..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8);
            return seg.offset..seg.offset + len;
        }
        // Clamp into the segment: a range may start on a line break
        // between runs, which has no source byte of its own.
        let clamp = |i: usize| i.clamp(seg.start, seg.end) - seg.start;
        let start = seg.offset + clamp(range.start);
        let end = seg.offset + clamp(range.end);
        start..end.max(start)
    }

    /// The submission byte span of `range` of `text`, only when the range
    /// lies in one segment whose characters map one to one onto the
    /// source (for edits; see `check::fix`).
    pub fn exact_span(&self, range: Range<usize>) -> Option<Range<usize>> {
        let k = self.segs.partition_point(|s| s.start <= range.start);
        let seg = &self.segs[k.checked_sub(1)?];
        (seg.exact && range.end <= seg.end)
            .then(|| seg.offset + range.start - seg.start..seg.offset + range.end - seg.start)
    }

    /// Mark URLs and e-mail addresses as off-limits to the prose rules.
    fn find_addresses(&mut self) {
        let t = &self.text;
        let lower = t.to_ascii_lowercase();
        let url_char = |c: char| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>');
        for prefix in ["http://", "https://", "www.", "mailto:", "ftp://"] {
            let mut from = 0;
            while let Some(i) = lower[from..].find(prefix) {
                let start = from + i;
                let end = t[start..]
                    .char_indices()
                    .find(|&(_, c)| !url_char(c))
                    .map_or(t.len(), |(j, _)| start + j);
                // A sentence mark right after a URL belongs to the prose.
                let end = start
                    + t[start..end]
                        .trim_end_matches(['.', ',', ';', ':', ')', '!', '?'])
                        .len();
                self.skip.push(start..end);
                from = end.max(start + prefix.len());
            }
        }
        for (at, _) in t.match_indices('@') {
            let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
            let start = t[..at]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| word(c))
                .last()
                .map_or(at, |(j, _)| j);
            let end = t[at + 1..]
                .char_indices()
                .find(|&(_, c)| !word(c))
                .map_or(t.len(), |(j, _)| at + 1 + j);
            let end = start + t[start..end].trim_end_matches('.').len();
            if start < at && t[at..end].contains('.') {
                self.skip.push(start..end);
            }
        }
        // Sorted and merged, for `skipped`.
        self.skip.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.skip.len());
        for r in self.skip.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.skip = merged;
    }
}

/// Characters of `text` with their byte offsets, for neighbour lookups.
pub fn chars(text: &str) -> Vec<(usize, char)> {
    text.char_indices().collect()
}
