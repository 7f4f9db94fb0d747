//! XML parts as trees (roxmltree), refused when they hold a DOCTYPE (the
//! door to entity expansion), too many nodes or too deep a nesting; and
//! the few helpers the reader needs to match WordprocessingML names.

use roxmltree::{Document, Node, ParsingOptions};

use super::package::Refusal;

/// Most nodes in one part: far above any real document (a 200-page report
/// has a few hundred thousand), and it bounds the memory of the tree.
pub const MAX_NODES: u32 = 4_000_000;
/// Deepest element nesting accepted (real documents stay below 40; tables
/// in tables add a few levels each).
pub const MAX_DEPTH: usize = 200;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const R_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";

/// The text of a part: UTF-8 (BOM or not) or UTF-16 with a BOM, and
/// without any DOCTYPE.
pub fn text(part: &str, bytes: &[u8]) -> Result<String, Refusal> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        std::str::from_utf8(rest).ok().map(str::to_string)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (t, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        (!bad).then(|| t.into_owned())
    } else {
        std::str::from_utf8(bytes).ok().map(str::to_string)
    };
    let text = text.ok_or_else(|| {
        format!("{part} 的文字编码无效，文件可能已损坏：请在 Word/WPS 中打开后另存为 .docx 再提交")
    })?;
    if has_doctype(&text) {
        return Err(format!(
            "{part} 含有 DOCTYPE 声明，Word 文档不会有这种内容（可能是恶意构造的文件），未读取"
        ));
    }
    Ok(text)
}

fn has_doctype(text: &str) -> bool {
    text.match_indices("<!").any(|(i, _)| {
        let rest = &text.as_bytes()[i + 2..];
        [&b"doctype"[..], b"entity"]
            .iter()
            .any(|k| rest.len() >= k.len() && rest[..k.len()].eq_ignore_ascii_case(k))
    })
}

/// Parse a part's text into a tree, with the limits above.
pub fn parse<'a>(part: &str, text: &'a str) -> Result<Document<'a>, Refusal> {
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => format!(
            "{part} 的元素超过 {MAX_NODES} 个，不像是一篇稿件（可能是恶意构造的文件），未读取"
        ),
        roxmltree::Error::DtdDetected => format!(
            "{part} 含有 DOCTYPE 声明，Word 文档不会有这种内容（可能是恶意构造的文件），未读取"
        ),
        e => format!(
            "{part} 不是有效的 XML（{e}），文件可能已损坏：请在 Word/WPS 中打开后另存为 .docx 再提交"
        ),
    })?;
    check_depth(part, &doc)?;
    Ok(doc)
}

/// Refuse nesting deeper than [`MAX_DEPTH`] (the reader walks the tree
/// recursively). One pass in document order, depth by parent.
fn check_depth(part: &str, doc: &Document) -> Result<(), Refusal> {
    let mut depth: Vec<u16> = Vec::new();
    // Node ids are indices in document order: a parent comes first.
    for n in doc.descendants() {
        let d = n.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        if depth.len() <= n.id().get_usize() {
            depth.resize(n.id().get_usize() + 1, 0);
        }
        if d as usize > MAX_DEPTH {
            return Err(format!(
                "{part} 的元素嵌套超过 {MAX_DEPTH} 层，不像是一篇稿件（可能是恶意构造的文件），未读取"
            ));
        }
        depth[n.id().get_usize()] = d;
    }
    Ok(())
}

/// A WordprocessingML element with this local name.
pub fn is_w(n: Node, local: &str) -> bool {
    n.is_element()
        && n.tag_name().name() == local
        && matches!(n.tag_name().namespace(), Some(W | W_STRICT))
}

/// A `w:` attribute.
pub fn wattr<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((W, local))
        .or_else(|| n.attribute((W_STRICT, local)))
}

/// An `r:` attribute (relationship ids).
pub fn rattr<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((R, local))
        .or_else(|| n.attribute((R_STRICT, local)))
}

/// The first `w:` child with this local name.
pub fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(*c, local))
}

/// `w:val` of the `w:` child `local`.
pub fn child_val<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    child(n, local).and_then(|c| wattr(c, "val"))
}

/// An on/off property (`<w:b/>`, `<w:b w:val="0"/>`, `"false"`, `"off"`):
/// `None` when absent.
pub fn toggle(props: Node, local: &str) -> Option<bool> {
    let c = child(props, local)?;
    Some(!matches!(
        wattr(c, "val"),
        Some("0" | "false" | "off" | "none")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_doctype_and_depth() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><a>&lol;</a>";
        assert!(
            text("word/document.xml", bomb.as_bytes())
                .unwrap_err()
                .contains("DOCTYPE")
        );
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        let t = text("x.xml", deep.as_bytes()).unwrap();
        assert!(parse("x.xml", &t).unwrap_err().contains("嵌套"));
        let ok = "<a><b/><b/></a>";
        assert!(parse("x.xml", ok).is_ok());
    }
}
