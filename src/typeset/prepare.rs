//! Preparation: the model's inline text → segments of one role with their
//! origin → clusters (one per character, glyph and width resolved through
//! the [`FontSet`]), with the engine's state for one issue.

use super::line::Cluster;
use super::output::TypesetOptions;
use super::{LayoutConfig, PT_PER_MM};
use crate::diag::Diagnostics;
use crate::fonts::{FontSet, Role, TextLoc};
use crate::model::{Inline, Item};
use crate::text::is_wide;

/// Width of a character no font has, in em (its placeholder's cell).
const MISSING_GLYPH_WIDTH: f32 = 0.6;

/// A piece of text of one role and size, with its origin.
pub(super) struct Segment {
    pub(super) role: Role,
    pub(super) text: String,
    pub(super) loc: TextLoc,
    pub(super) link: Option<std::sync::Arc<str>>,
    /// Set as one unbreakable group (the （单位） attribution).
    pub(super) whole: bool,
}

/// A paragraph's text and clusters.
pub(super) struct Para {
    pub(super) text: String,
    pub(super) clusters: Vec<Cluster>,
}

/// A glyph note: its code, the character and its line and column.
pub(super) type NoteKey = (&'static str, char, Option<(usize, usize)>);

/// The typesetter's state for one issue.
pub(super) struct Engine<'a> {
    pub(super) cfg: &'a LayoutConfig,
    pub(super) fonts: &'a mut FontSet,
    pub(super) opts: TypesetOptions,
    pub(super) errors: Diagnostics,
    pub(super) warnings: Diagnostics,
    pub(super) width: f32,
    pub(super) pitch: f32,
    pub(super) cell: f32,
    pub(super) para_counter: usize,
    /// Glyph notes already made, by code, character and place: a text set
    /// twice (a title tried at several breaks) is reported once.
    pub(super) noted: std::collections::HashSet<NoteKey>,
    /// Characters printed from a font other than their role's own, each
    /// place once.
    pub(super) fallbacks: Vec<super::output::FallbackUse>,
    pub(super) fallback_seen: std::collections::HashSet<FallbackKey>,
}

/// A fallback use already recorded: character, role and place.
pub(super) type FallbackKey = (char, Role, Option<(std::path::PathBuf, usize, usize)>);

impl Engine<'_> {
    /// Report `d` about `ch` once: per place when `per_place`, else once
    /// for the whole issue.
    fn note(&mut self, d: crate::diag::Diagnostic, ch: char, per_place: bool) {
        let place = d
            .location
            .as_ref()
            .filter(|_| per_place)
            .map(|l| (l.line, l.column));
        if !self.noted.insert((d.code, ch, place)) {
            return;
        }
        if d.is_error() {
            self.errors.push(d);
        } else {
            self.warnings.push(d);
        }
    }

    pub(super) fn mm(&self, v: f32) -> f32 {
        v * PT_PER_MM
    }

    /// Clusters of `segments` at `size`; wide characters take `cell` (the
    /// grid pitch for body text), others their proportional advance.
    pub(super) fn para(
        &mut self,
        segments: Vec<Segment>,
        size: f32,
        cell: f32,
        color: [u8; 3],
    ) -> Para {
        let mut text = String::new();
        let mut clusters = Vec::new();
        for seg in segments {
            let base = text.len();
            text.push_str(&seg.text);
            for (i, ch) in seg.text.char_indices() {
                let range = base + i..base + i + ch.len_utf8();
                if ch == '\n' {
                    clusters.push(Cluster {
                        ch,
                        range,
                        glyph: None,
                        role: seg.role,
                        size,
                        color,
                        width: 0.0,
                        offset: 0.0,
                        wide: false,
                        link: None,
                        glue: false,
                    });
                    continue;
                }
                let ch_for_glyph = if ch == '\t' { ' ' } else { ch };
                let glyph = self.fonts.resolve(seg.role, ch_for_glyph);
                let wide = is_wide(ch);
                let natural = glyph.map_or(1.0, |g| g.advance) * size;
                let (width, offset) = if wide {
                    let w = cell;
                    (w, (w - natural) / 2.0)
                } else if glyph.is_none() && !ch.is_whitespace() {
                    (size * MISSING_GLYPH_WIDTH, 0.0)
                } else {
                    (natural, 0.0)
                };
                if glyph.is_none() && !ch.is_whitespace() && !ch.is_control() {
                    let d = crate::fonts::missing_diagnostic(ch, seg.role, &seg.loc, i);
                    if self.opts.allow_missing_glyphs {
                        let mut w = d.with_hint(
                            "已用方框占位（--allow-missing-glyphs），正式印发前请补上字体",
                        );
                        w.severity = crate::diag::Severity::Warning;
                        w.code = "W081";
                        self.note(w, ch, true);
                    } else {
                        self.note(d, ch, true);
                    }
                } else if let Some(g) = glyph
                    && self.fonts.chain(seg.role).first() != Some(&g.font)
                    && !ch.is_whitespace()
                {
                    // Printed from a font other than the role's own: kept
                    // per place for `bulletin fonts` and W082.
                    let at = seg.loc.location(i, ch);
                    let place = at.as_ref().map(|l| (l.path.clone(), l.line, l.column));
                    if self.fallback_seen.insert((ch, seg.role, place)) {
                        self.fallbacks.push(super::output::FallbackUse {
                            ch,
                            role: seg.role,
                            font: g.font,
                            location: at,
                        });
                    }
                }
                clusters.push(Cluster {
                    ch,
                    range,
                    glyph,
                    role: seg.role,
                    size,
                    color,
                    width,
                    offset,
                    wide,
                    link: seg.link.clone(),
                    glue: seg.whole,
                });
            }
            if seg.whole
                && let Some(last) = clusters.last_mut()
            {
                last.glue = false;
            }
        }
        super::line::compress_adjacent_marks(&mut clusters);
        // Han–Latin gap.
        if self.cfg.latin_gap > 0.0 {
            let gap = self.cfg.latin_gap * size;
            for i in 0..clusters.len().saturating_sub(1) {
                let (a, b) = (&clusters[i], &clusters[i + 1]);
                let latin = |c: &Cluster| c.ch.is_ascii_alphanumeric();
                if (crate::text::is_han(a.ch) && latin(b))
                    || (latin(a) && crate::text::is_han(b.ch))
                {
                    clusters[i].width += gap;
                }
            }
        }
        Para { text, clusters }
    }

    pub(super) fn seg(role: Role, text: impl Into<String>, loc: TextLoc) -> Segment {
        Segment {
            role,
            text: text.into(),
            loc,
            link: None,
            whole: false,
        }
    }

    pub(super) fn inline_segments(inl: &[Inline], base: Role, item: &Item) -> Vec<Segment> {
        inl.iter()
            .map(|i| match i {
                Inline::Text(run) => Segment {
                    link: run.link.as_deref().map(std::sync::Arc::from),
                    ..Self::seg(
                        base.styled(run.style),
                        run.text.clone(),
                        TextLoc::Source {
                            source: item.source.clone(),
                            offset: run.offset,
                            exact: run.exact,
                        },
                    )
                },
                Inline::Break => Self::seg(base, "\n", TextLoc::Generated),
            })
            .collect()
    }

    pub(super) fn attribution(item: &Item) -> Segment {
        Segment {
            whole: true,
            ..Self::seg(
                Role::Body,
                item.attribution(),
                TextLoc::Value {
                    source: item.source.clone(),
                    span: item.unit_span.clone(),
                },
            )
        }
    }
}
