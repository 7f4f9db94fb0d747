//! Renderers: the model of an issue to its output files, in memory.
//!
//! Like mdBook's `RenderContext`, one [`RenderContext`] is built by the
//! workflow (`ops`) with everything the renderers need (configuration,
//! templates, fonts, output folder) and handed to each renderer; nothing
//! here opens the workspace or reads bulletin.toml again, and `build --all`
//! loads templates and fonts once for every issue.

pub mod html;
pub mod pdf;
mod structure;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::fonts::FontSet;
use crate::model::Issue;
use html::Templates;

/// An output format of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// The requested formats, each once, in the order first asked for.
pub fn unique_formats(formats: &[Format]) -> Vec<Format> {
    let mut out: Vec<Format> = Vec::new();
    for f in formats {
        if !out.contains(f) {
            out.push(*f);
        }
    }
    out
}

/// One rendered file, not yet on disk.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What rendering an issue produced.
#[derive(Debug, Default)]
pub struct Rendered {
    pub outputs: Vec<Output>,
    /// Plain notes for the user.
    pub notes: Vec<String>,
    pub warnings: Diagnostics,
}

/// Everything the renderers need, loaded once.
pub struct RenderContext<'a> {
    pub config: &'a Config,
    /// Loaded when HTML is among the formats.
    pub templates: Option<Templates>,
    /// Loaded when PDF is among the formats; cloned per issue (the clone
    /// shares the font data).
    pub fonts: Option<FontSet>,
    /// Output root: files of issue N go to `<out>/<N>/`.
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    /// Draw a placeholder for a character no font has, and warn, instead
    /// of failing the PDF.
    pub allow_missing_glyphs: bool,
}

impl<'a> RenderContext<'a> {
    /// Load templates and fonts for `formats` from the workspace at `root`.
    pub fn new(
        config: &'a Config,
        root: &Path,
        out_dir: PathBuf,
        formats: &[Format],
        allow_missing_glyphs: bool,
    ) -> Result<RenderContext<'a>, Diagnostics> {
        let formats = unique_formats(formats);
        let templates = if formats.contains(&Format::Html) {
            Some(Templates::load(root)?)
        } else {
            None
        };
        let fonts = if formats.contains(&Format::Pdf) {
            Some(FontSet::from_config(config, root)?)
        } else {
            None
        };
        Ok(RenderContext {
            config,
            templates,
            fonts,
            out_dir,
            formats,
            allow_missing_glyphs,
        })
    }

    /// The folder of issue `number`'s outputs.
    pub fn issue_dir(&self, number: u32) -> PathBuf {
        self.out_dir.join(number.to_string())
    }

    /// Render every requested format of `issue` in memory.
    pub fn render(&self, issue: &Issue) -> Result<Rendered, Diagnostics> {
        let dir = self.issue_dir(issue.number);
        let stem = issue.output_stem();
        let mut r = Rendered::default();
        for f in &self.formats {
            let bytes = match f {
                Format::Html => {
                    let Some(templates) = &self.templates else {
                        continue;
                    };
                    let page = html::render_with(issue, templates, &self.config.html)?;
                    r.warnings.extend(page.warnings);
                    page.html.into_bytes()
                }
                Format::Pdf => {
                    let Some(fonts) = &self.fonts else {
                        continue;
                    };
                    let (bytes, warnings) =
                        pdf::render(issue, self.config, fonts.clone(), self.opts())?;
                    r.warnings.extend(warnings);
                    bytes
                }
            };
            r.outputs.push(Output {
                path: dir.join(format!("{stem}.{}", f.extension())),
                bytes,
            });
        }
        Ok(r)
    }

    /// What the renderers would report for `issue`, without producing
    /// any file: the web edition's warnings, and the typesetter's (glyph
    /// coverage, images) from a typeset that is never serialised.
    pub fn validate(&self, issue: &Issue) -> Diagnostics {
        let mut d = Diagnostics::default();
        if self.templates.is_some() {
            let (_, warnings) = html::issue_context(issue, &self.config.html);
            d.extend(warnings);
        }
        if let Some(fonts) = &self.fonts {
            match pdf::validate(issue, self.config, fonts.clone(), self.opts()) {
                Ok(w) => d.extend(w),
                Err(e) => d.extend(e),
            }
        }
        d
    }

    /// The layout report of `issue`'s PDF (`None` when no PDF is made).
    pub fn layout_report(&self, issue: &Issue) -> Result<Option<String>, Diagnostics> {
        match &self.fonts {
            Some(fonts) if self.formats.contains(&Format::Pdf) => {
                pdf::layout_report(issue, self.config, fonts.clone(), self.opts()).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn opts(&self) -> crate::typeset::TypesetOptions {
        crate::typeset::TypesetOptions {
            allow_missing_glyphs: self.allow_missing_glyphs,
        }
    }
}
