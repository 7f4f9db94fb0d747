//! The build pipeline: issue model → outputs in memory → files written
//! atomically. A build that fails writes nothing.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Issue;

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

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub formats: Vec<Format>,
    /// Output root; `<root>/out` by default. Files go to `<out>/<N>/`.
    pub out_dir: Option<PathBuf>,
    /// The workspace configuration (`[layout]`, `[fonts]`, `[pdf]`); defaults
    /// when `None`.
    pub config: Option<crate::workspace::config::Config>,
    /// Draw a placeholder for a character no font has, and warn, instead
    /// of failing the PDF.
    pub allow_missing_glyphs: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            formats: vec![Format::Html, Format::Pdf],
            out_dir: None,
            config: None,
            allow_missing_glyphs: false,
        }
    }
}

/// One rendered file, not yet on disk.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What a build did besides writing files.
#[derive(Debug, Default)]
pub struct Rendered {
    pub outputs: Vec<Output>,
    /// Plain notes for the user (e.g. a format not available yet).
    pub notes: Vec<String>,
    pub warnings: Diagnostics,
}

/// The directory an issue's outputs go to.
pub fn issue_out_dir(root: &Path, out: Option<&Path>, number: u32) -> PathBuf {
    let base = match out {
        Some(o) if o.is_absolute() => o.to_path_buf(),
        Some(o) => std::env::current_dir()
            .map(|d| d.join(o))
            .unwrap_or_else(|_| o.to_path_buf()),
        None => root.join("out"),
    };
    base.join(number.to_string())
}

/// Render every requested format in memory.
pub fn render(issue: &Issue, opts: &BuildOptions) -> Result<Rendered, Diagnostics> {
    let dir = issue_out_dir(&issue.root, opts.out_dir.as_deref(), issue.number);
    let stem = issue.file_stem();
    let mut r = Rendered::default();
    for f in &opts.formats {
        match f {
            Format::Html => {
                let page = crate::render::html::render(issue)?;
                r.warnings.extend(page.warnings);
                r.outputs.push(Output {
                    path: dir.join(format!("{stem}.html")),
                    bytes: page.html.into_bytes(),
                });
            }
            Format::Pdf => {
                let ts = crate::typeset::TypesetOptions {
                    allow_missing_glyphs: opts.allow_missing_glyphs,
                };
                let (bytes, warnings) =
                    crate::render::pdf::render(issue, opts.config.as_ref(), ts)?;
                r.warnings.extend(warnings);
                r.outputs.push(Output {
                    path: dir.join(format!("{stem}.pdf")),
                    bytes,
                });
            }
        }
    }
    Ok(r)
}

/// Write rendered outputs, each atomically.
pub fn write_outputs(outputs: &[Output]) -> Result<(), Diagnostics> {
    for o in outputs {
        // Temp files of a build that was killed mid-write go first.
        crate::fsutil::clean_stale_temps(&o.path);
        if let Err(e) = crate::fsutil::write_atomic(&o.path, &o.bytes) {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("E050", format!("无法写入输出文件（{e}）")).in_file(&o.path));
            return Err(d);
        }
    }
    Ok(())
}
