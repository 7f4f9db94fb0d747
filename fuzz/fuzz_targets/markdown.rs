//! Any text as a submission body: Markdown → model blocks. Must never
//! panic; every run's source offset must be a valid position in the file
//! (diagnostics point there), every image must resolve inside the workspace.
#![no_main]

use bulletin::model::{Block, Inline, markdown};
use bulletin::source::SourceFile;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn check(blocks: &[Block], text: &str, root: &std::path::Path) {
    let inl = |v: &[Inline]| {
        for i in v {
            if let Inline::Text(r) = i {
                assert!(r.offset <= text.len(), "offset {} > {}", r.offset, text.len());
                if r.exact {
                    let end = r.source_offset(r.text.len());
                    assert!(text.get(r.offset..end).is_some(), "{r:?}");
                }
            }
        }
    };
    for b in blocks {
        match b {
            Block::Paragraph(v) => inl(v),
            Block::Heading { content, .. } => inl(content),
            Block::List { items, .. } => items.iter().for_each(|i| check(i, text, root)),
            Block::Quote(v) => check(v, text, root),
            Block::Image(img) => {
                let canon = root.canonicalize().unwrap();
                assert!(img.path.starts_with(&canon), "{:?}", img.path);
            }
            Block::Code(_) => {}
            Block::Table(t) => {
                assert!(t.offset <= text.len(), "table offset {} > {}", t.offset, text.len());
                assert!(t.rows.iter().all(|r| r.len() == t.columns()), "{t:?}");
                check(&t.header, text, root);
                t.rows.iter().for_each(|r| check(r, text, root));
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    // A fixed front matter so offsets are checked relative to a non-zero base.
    let head = "+++\ntitle = \"标题\"\n+++\n";
    let text = format!("{head}{body}");
    let root = common::root();
    let src = SourceFile::new(root.join("issues/39/投稿.md"), text);
    let (blocks, diags) = markdown::parse_body(&src, head.len(), root);
    check(&blocks, &src.text, root);
    common::render_all(&diags);
});
