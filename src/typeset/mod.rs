//! The typesetter: an issue → a [`Document`] of pages of positioned glyphs,
//! rules and images, plus a line list tests can inspect. Knows nothing of
//! PDF; `render::pdf` writes the document.
//!
//! Stages, one module each:
//! - `prepare`: text → clusters (one per character, glyph and width
//!   resolved through the [`FontSet`]), and the engine's state;
//! - [`mod@line`]: clusters → lines (clreq breaking rules), [`fit`]: the
//!   total-fit choice of a paragraph's breaks, and `justify`:
//!   punctuation compression and justification of a line;
//! - `finalize`: set lines → flow boxes of positioned elements;
//! - `masthead`, `blocks` (article content) and `endblock` (版记):
//!   the parts of an issue as flow boxes;
//! - `flow`: a vertical flow of boxes with keep rules → pages, with the
//!   end block at the foot of the last page;
//! - `output`: the document that comes out;
//! - [`report`]: what a typesetter would check on the result (grid,
//!   stretch, split groups, keeps), from the line list.

mod blocks;
mod endblock;
mod finalize;
pub mod fit;
mod flow;
mod justify;
pub mod line;
mod masthead;
mod output;
mod prepare;
pub mod report;
pub mod sample;
mod table;
pub mod title;

pub use crate::config::{LayoutConfig, PT_PER_MM, PageNumbers};
pub use output::{
    BlockRef, CellRef, Document, Element, EndBlock, FallbackUse, LineInfo, LineKind, Page,
    PlacedGlyph, Rect, TextRun, TypesetOptions,
};

use crate::diag::Diagnostics;
use crate::fonts::FontSet;
use crate::model::Issue;
use prepare::Engine;

/// Typeset `issue`. Fails if a character has no glyph (unless allowed) or
/// an image cannot be read.
pub fn typeset(
    issue: &Issue,
    fonts: &mut FontSet,
    cfg: &LayoutConfig,
    opts: TypesetOptions,
) -> Result<Document, Diagnostics> {
    let mut e = Engine {
        cfg,
        fonts,
        opts,
        errors: Diagnostics::default(),
        warnings: Diagnostics::default(),
        width: cfg.text_width_mm() * PT_PER_MM,
        pitch: cfg.line_pitch(),
        cell: cfg.char_pitch(),
        para_counter: 0,
        noted: Default::default(),
        fallbacks: Vec::new(),
        fallback_seen: Default::default(),
    };
    let flow = e.flow(issue);
    let mut doc = e.paginate(issue, flow);
    if e.errors.has_errors() {
        return Err(e.errors);
    }
    let notes = installed_font_notes(&doc.fallbacks, e.fonts);
    doc.warnings.extend(notes);
    Ok(doc)
}

/// W082 once per character printed from an installed font: at its first
/// place, naming every role it is printed in.
fn installed_font_notes(uses: &[FallbackUse], fonts: &FontSet) -> Diagnostics {
    let mut out = Diagnostics::default();
    let mut done: Vec<char> = Vec::new();
    for u in uses {
        if !fonts.is_system_face(u.font) || done.contains(&u.ch) {
            continue;
        }
        done.push(u.ch);
        let mut roles: Vec<crate::fonts::Role> = Vec::new();
        for r in uses.iter().filter(|o| o.ch == u.ch).map(|o| o.role) {
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
        let places = uses.iter().filter(|o| o.ch == u.ch).count();
        let mut d = crate::fonts::system_font_note(u.ch, &roles, &fonts.face(u.font).name, places);
        d.location = u.location.clone();
        out.push(d);
    }
    out
}
