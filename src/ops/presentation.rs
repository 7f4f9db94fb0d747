//! The presentation digest: everything besides the text that shapes how an
//! issue prints — `[layout]`, `[pdf]`, `[html]`, `[fonts]` with the bytes of
//! every font file it names, and every template and style sheet (the
//! workspace's overrides and the built-in ones). A sign-off binds it beside
//! the content, so a change to either makes the sign-off stale, and status
//! says which.

use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;
use crate::render::html::Templates;
use crate::workspace::Workspace;

fn feed(h: &mut Sha256, label: &str, bytes: &[u8]) {
    h.update(format!("{label}:{}:", bytes.len()).as_bytes());
    h.update(bytes);
}

/// The presentation digest of the workspace (hex SHA-256).
pub fn digest(ws: &Workspace) -> Result<String, Diagnostics> {
    let c = &ws.config;
    let mut h = Sha256::new();
    feed(&mut h, "v", b"presentation-v1");
    // The program prints: its version stands for the embedded fonts and
    // the typesetter's own rules.
    feed(&mut h, "tool", env!("CARGO_PKG_VERSION").as_bytes());
    feed(&mut h, "layout", format!("{:?}", c.layout).as_bytes());
    feed(&mut h, "pdf", format!("{:?}", c.pdf).as_bytes());
    feed(&mut h, "html", format!("{:?}", c.html).as_bytes());
    feed(&mut h, "fonts", format!("{:?}", c.fonts).as_bytes());
    for entry in c.fonts.all_entries() {
        let file = entry.split('#').next().unwrap_or(entry);
        let p = std::path::Path::new(file);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            ws.root.join(p)
        };
        // A font file's bytes (a glyph swapped inside it changes the
        // print); an installed family or an embedded name by its name.
        if let Ok(bytes) = std::fs::read(&full) {
            feed(&mut h, &format!("font:{entry}"), &bytes);
        }
    }
    let templates = Templates::load(&ws.root)?;
    for (name, src) in templates.sources() {
        feed(&mut h, &format!("template:{name}"), src.text.as_bytes());
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
