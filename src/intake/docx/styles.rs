//! `word/styles.xml`: what a paragraph's style means, found by the style's
//! NAME through its `w:basedOn` chain. Style ids differ between writers
//! (`Heading1` from python-docx and LibreOffice, `1` or `a3` from a
//! Chinese Word), the built-in names (`heading 1`, `Title`, `caption`,
//! `List Bullet`) do not.

use std::collections::HashMap;

use roxmltree::Document;

use super::xml::{child, child_val, is_w, toggle, wattr};

#[derive(Debug, Default, Clone)]
struct Style {
    /// Lower-cased name.
    name: String,
    based_on: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    /// `w:jc` of the paragraph properties.
    jc: Option<String>,
    /// `w:numPr`: (numId, ilvl).
    num: Option<(u32, u8)>,
}

/// What a style (with its chain) says about a paragraph.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Meaning {
    /// `heading N` (or `标题 N`) → N.
    pub heading: Option<u8>,
    pub title: bool,
    pub caption: bool,
    /// `List Bullet…` / `List Number…`: a list item, not a lead line.
    pub list: bool,
}

#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    default_para: Option<String>,
}

/// The longest `w:basedOn` chain followed (cycles end there too).
const MAX_CHAIN: usize = 16;

impl Styles {
    pub fn parse(doc: &Document) -> Styles {
        let mut s = Styles::default();
        for st in doc.root_element().children().filter(|n| is_w(*n, "style")) {
            let Some(id) = wattr(st, "styleId") else {
                continue;
            };
            let ppr = child(st, "pPr");
            let rpr = child(st, "rPr");
            let style = Style {
                name: child_val(st, "name").unwrap_or(id).trim().to_lowercase(),
                based_on: child_val(st, "basedOn").map(str::to_string),
                bold: rpr.and_then(|r| toggle(r, "b")),
                italic: rpr.and_then(|r| toggle(r, "i")),
                jc: ppr.and_then(|p| child_val(p, "jc")).map(str::to_string),
                num: ppr.and_then(|p| child(p, "numPr")).and_then(num_pr),
            };
            if wattr(st, "type") == Some("paragraph")
                && matches!(wattr(st, "default"), Some("1" | "true" | "on"))
            {
                s.default_para = Some(id.to_string());
            }
            s.by_id.insert(id.to_string(), style);
        }
        s
    }

    fn chain<'s>(&'s self, id: Option<&str>) -> impl Iterator<Item = &'s Style> + use<'s> {
        let start = id.or(self.default_para.as_deref());
        let mut next = start.and_then(|i| self.by_id.get(i));
        let by_id = &self.by_id;
        std::iter::from_fn(move || {
            let cur = next?;
            next = cur.based_on.as_deref().and_then(|b| by_id.get(b));
            Some(cur)
        })
        .take(MAX_CHAIN)
    }

    pub fn meaning(&self, id: Option<&str>) -> Meaning {
        let mut m = Meaning::default();
        for s in self.chain(id) {
            let n = s.name.as_str();
            if m.heading.is_none() {
                m.heading = heading_level(n);
            }
            if n == "title" || n == "标题" {
                m.title = true;
            }
            if n == "caption" || n == "题注" {
                m.caption = true;
            }
            if n.starts_with("list bullet") || n.starts_with("list number") {
                m.list = true;
            }
        }
        m
    }

    pub fn bold(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).find_map(|s| s.bold)
    }

    pub fn italic(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).find_map(|s| s.italic)
    }

    pub fn jc(&self, id: Option<&str>) -> Option<&str> {
        self.chain(id).find_map(|s| s.jc.as_deref())
    }

    pub fn num(&self, id: Option<&str>) -> Option<(u32, u8)> {
        self.chain(id).find_map(|s| s.num)
    }
}

/// `heading 3`, `Heading3`, `标题 3`, `标题3` → 3.
fn heading_level(name: &str) -> Option<u8> {
    let rest = name
        .strip_prefix("heading")
        .or_else(|| name.strip_prefix("标题"))?
        .trim();
    let n: u8 = rest.parse().ok()?;
    (1..=9).contains(&n).then_some(n)
}

/// `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>`.
pub fn num_pr(n: roxmltree::Node) -> Option<(u32, u8)> {
    let id: u32 = child_val(n, "numId")?.trim().parse().ok()?;
    let lvl: u8 = child_val(n, "ilvl")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Some((id, lvl.min(8)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(heading_level("heading 1"), Some(1));
        assert_eq!(heading_level("标题 2"), Some(2));
        assert_eq!(heading_level("heading"), None);
        assert_eq!(heading_level("heading 1 char"), None);
    }
}
