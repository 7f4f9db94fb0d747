//! One loaded font face: its data (shared with the PDF writer), and glyph
//! ids and advances read with skrifa.

use std::sync::Arc;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// Index of a face in a [`FontSet`](super::FontSet).
pub type FontId = usize;

/// Font data shared with the PDF writer (embedded, or memory-mapped).
pub type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One loaded face.
#[derive(Clone)]
pub struct Face {
    /// Display name (file stem or family).
    pub name: String,
    pub data: FontData,
    pub index: u32,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({} #{})", self.name, self.index)
    }
}

impl Face {
    pub(super) fn new(name: String, data: FontData, index: u32) -> Option<Face> {
        let font = skrifa::FontRef::from_index((*data).as_ref(), index).ok()?;
        // A truncated or damaged file can still have a readable header:
        // every table must lie inside the file.
        let len = (*data).as_ref().len() as u64;
        let complete = font
            .table_directory()
            .table_records()
            .iter()
            .all(|r| u64::from(r.offset()) + u64::from(r.length()) <= len);
        if !complete {
            return None;
        }
        let upem = font
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em;
        Some(Face {
            name,
            data,
            index,
            units_per_em: f32::from(upem.max(1)),
        })
    }

    pub(super) fn font_ref(&self) -> Option<skrifa::FontRef<'_>> {
        skrifa::FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }

    /// Glyph id and advance (in em) of `c`, if the face has it.
    pub(super) fn lookup(&self, c: char) -> Option<Glyph> {
        let font = self.font_ref()?;
        let gid = font.charmap().map(c)?;
        if gid.to_u32() == 0 {
            return None;
        }
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let adv = metrics.advance_width(gid).unwrap_or(self.units_per_em);
        Some(Glyph {
            font: 0,
            id: gid.to_u32(),
            advance: adv / self.units_per_em,
        })
    }
}

/// A character resolved to a face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub font: FontId,
    pub id: u32,
    /// Advance width in em.
    pub advance: f32,
}
