//! `bulletin build --all`: every issue, the archive index `out/index.html`
//! and the Atom feed `out/feed.xml`.
//!
//! An issue whose inputs have not changed since its last build is skipped.
//! Its inputs are hashed (SHA-256): every file in the issue folder (hidden
//! ones too, editor litter aside), files it uses from elsewhere in the
//! workspace (images), bulletin.toml, every template (built-in and
//! overriding), the requested formats, font files named in `[fonts]` (for
//! PDF), the tool version and the program file itself (size and time). The
//! hash, the files written and the issue's archive entry are kept in
//! `out/.bulletin/builds.json`; a skipped issue is not read again.
//!
//! Everything is rendered in memory first: if any issue fails, nothing is
//! written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::build::BuildRequest;
use crate::diag::Diagnostics;
use crate::fsutil::Boundary;
use crate::model::{self, Block, Issue};
use crate::render::html::archive::{render_feed, render_index, sort_newest_first};
use crate::render::html::{ArchiveEntry, GENERATOR, Templates};
use crate::render::{Format, Output, RenderContext};
use crate::workspace::{IssueDir, Workspace};

/// The build records, relative to the output root.
pub const STAMP_FILE: &str = ".bulletin/builds.json";
const STAMP_VERSION: u32 = 1;
/// The build records are refused beyond this (they hold a few lines per
/// issue).
const STAMPS_MAX_BYTES: u64 = 64 << 20;

/// Every issue's record, by number.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stamps {
    version: u32,
    issues: std::collections::BTreeMap<u32, Stamp>,
}

/// What was recorded after an issue was built.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stamp {
    hash: String,
    /// Output files, relative to the output root.
    outputs: Vec<String>,
    /// Input files outside the issue folder, relative to the workspace.
    extra_inputs: Vec<String>,
    entry: ArchiveEntry,
}

/// What happened to one issue.
#[derive(Debug, Clone)]
pub struct IssueOutcome {
    pub number: u32,
    /// Inputs unchanged since the last build: nothing rendered.
    pub skipped: bool,
    pub items: usize,
    pub outputs: Vec<PathBuf>,
    /// Not every sign-off holds, and drafts were not asked for: nothing
    /// built for it. `true` in `kept_final` when the last valid final stays
    /// published.
    pub held_back: bool,
    pub kept_final: bool,
}

/// The result of `build --all`.
#[derive(Debug, Default)]
pub struct ArchiveBuild {
    pub issues: Vec<IssueOutcome>,
    /// index.html and feed.xml, when HTML was requested.
    pub archive_files: Vec<PathBuf>,
    pub warnings: Diagnostics,
    pub notes: Vec<String>,
}

fn rel(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Desktop and editor litter, and the sign-off lock file (kept between
/// runs, holding no content): nothing that feeds a build.
fn is_litter(name: &str) -> bool {
    matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini")
        || name == crate::signoff::LOCK_FILE
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.starts_with(".~lock.")
        || name.starts_with("~$")
}

/// Every file below `dir` (hidden ones too: state kept beside the
/// submissions, such as sign-offs, is an input), sorted. Symlinked folders
/// are not entered (the link itself is an entry).
fn files_below(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)?
        .flatten()
        .filter(|e| !is_litter(&e.file_name().to_string_lossy()))
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        if is_dir {
            files_below(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Feed one named piece into the hash, length-prefixed so pieces can't
/// run together.
fn feed(h: &mut Sha256, label: &str, bytes: &[u8]) {
    h.update((label.len() as u64).to_le_bytes());
    h.update(label.as_bytes());
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Size and modification time of the running program: a rebuilt or
/// reinstalled `bulletin` (whose rendering may differ at the same version
/// number) rebuilds every issue.
fn executable_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{t}", m.len())
        })
        .unwrap_or_default()
}

/// Font files named in bulletin.toml's `[fonts]` that exist (relative to
/// the workspace or absolute), with their size and modification time: a
/// replaced font file changes every PDF.
fn font_files(ws: &Workspace) -> Vec<(String, String)> {
    fn strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            toml::Value::Table(t) => t.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    if let Ok(table) = ws.config.source().text.parse::<toml::Table>()
        && let Some(fonts) = table.get("fonts")
    {
        strings(fonts, &mut names);
    }
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|n| {
            let p = Path::new(&n);
            let full = if p.is_absolute() {
                p.to_path_buf()
            } else {
                ws.root.join(p)
            };
            let m = std::fs::metadata(&full).ok().filter(|m| m.is_file())?;
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            Some((n, format!("{}:{t}", m.len())))
        })
        .collect()
}

/// The hash shared by every issue: tool, formats, config, templates.
fn common_hash(ws: &Workspace, templates: &Templates, formats: &[Format]) -> Sha256 {
    let mut h = Sha256::new();
    feed(&mut h, "stamp", &STAMP_VERSION.to_le_bytes());
    feed(&mut h, "tool", GENERATOR.as_bytes());
    feed(&mut h, "executable", executable_identity().as_bytes());
    let mut fmts: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
    fmts.sort_unstable();
    fmts.dedup();
    feed(&mut h, "formats", fmts.join(",").as_bytes());
    feed(&mut h, "bulletin.toml", ws.config.source().text.as_bytes());
    if formats.contains(&Format::Pdf) {
        for (path, identity) in font_files(ws) {
            feed(&mut h, &format!("font:{path}"), identity.as_bytes());
        }
    }
    for (name, src) in templates.sources() {
        feed(&mut h, &format!("template:{name}"), src.text.as_bytes());
    }
    h
}

/// The hash of one issue's inputs.
fn issue_hash(
    common: &Sha256,
    ws: &Workspace,
    dir: &IssueDir,
    extra: &[String],
) -> Result<String, Diagnostics> {
    let mut h = common.clone();
    let mut files = Vec::new();
    if let Err(e) = files_below(&dir.path, &mut files) {
        let mut d = Diagnostics::default();
        d.push(crate::source::io_error(&dir.path, &e));
        return Err(d);
    }
    let b = ws.boundary();
    for f in files {
        let label = format!("issue:{}", rel(&f, &dir.path));
        match b.read(&f, crate::fsutil::boundary::MAX_IMAGE_BYTES) {
            Ok(bytes) => feed(&mut h, &label, &bytes),
            // What the build itself refuses (a FIFO, a link leading out, a
            // huge file) is hashed by what it is, never read or waited on.
            Err(r) => feed(&mut h, &label, identity(&f, &r).as_bytes()),
        }
    }
    for x in extra {
        // A missing extra input hashes differently from any content.
        match b.read(&ws.root.join(x), crate::fsutil::boundary::MAX_IMAGE_BYTES) {
            Ok(bytes) => feed(&mut h, &format!("extra:{x}"), &bytes),
            Err(_) => feed(&mut h, &format!("missing:{x}"), b""),
        }
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// What stands at `path` when it is not read: its kind, size, time and
/// link target.
fn identity(path: &Path, r: &crate::fsutil::Refused) -> String {
    let m = std::fs::symlink_metadata(path);
    let link = std::fs::read_link(path).ok();
    let time = m
        .as_ref()
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!(
        "unread:{}:{}:{time}:{link:?}",
        r.message("读取"),
        m.map_or(0, |m| m.len())
    )
}

/// Files outside the issue folder the issue uses (images).
fn extra_inputs(issue: &Issue, ws: &Workspace, dir: &IssueDir) -> Vec<String> {
    let mut paths = Vec::new();
    for item in issue.items() {
        model::visit_blocks(&item.blocks, &mut |b| {
            if let Block::Image(img) = b {
                paths.push(img.path.clone());
            }
        });
    }
    let canon_root = ws.root.canonicalize().unwrap_or_else(|_| ws.root.clone());
    let canon_dir = dir.path.canonicalize().unwrap_or_else(|_| dir.path.clone());
    let mut out: Vec<String> = paths
        .iter()
        .filter(|p| !p.starts_with(&canon_dir))
        .filter_map(|p| p.strip_prefix(&canon_root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn read_stamps(b: &Boundary, path: &Path) -> Stamps {
    b.read(path, STAMPS_MAX_BYTES)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Stamps>(&bytes).ok())
        .filter(|s| s.version == STAMP_VERSION)
        .unwrap_or_default()
}

/// Build every issue of the workspace and the archive; see the module docs.
pub fn build_all(ws: &Workspace, req: &BuildRequest) -> Result<ArchiveBuild, Diagnostics> {
    let out = super::out_root(&ws.root, req.out_dir.as_deref());
    let ctx = RenderContext::new(
        &ws.config,
        &ws.root,
        out.clone(),
        &req.formats,
        req.allow_missing_glyphs,
    )?;
    // Templates are inputs of every issue's hash, whatever the formats.
    let loaded;
    let templates = match &ctx.templates {
        Some(t) => t,
        None => {
            loaded = Templates::load(&ws.root)?;
            &loaded
        }
    };
    let settings = &ws.config.html;
    let dirs = ws.issue_dirs()?;
    let presentation = super::presentation::digest(ws)?;
    let mut common = common_hash(ws, templates, &ctx.formats);
    feed(&mut common, "drafts", &[u8::from(req.drafts)]);
    let out_b = super::out_boundary(&ws.root, &out);
    let stamps_path = out.join(STAMP_FILE);
    let old_stamps = read_stamps(&out_b, &stamps_path);
    let mut stamps = Stamps {
        version: STAMP_VERSION,
        ..Stamps::default()
    };

    let mut result = ArchiveBuild::default();
    let mut errors = Diagnostics::default();
    let mut entries = Vec::new();
    let mut outputs: Vec<Output> = Vec::new();
    let mut pending = Vec::new();

    for dir in dirs {
        if let Some(stamp) = old_stamps.issues.get(&dir.number) {
            let fresh = issue_hash(&common, ws, &dir, &stamp.extra_inputs)
                .is_ok_and(|h| h == stamp.hash)
                && stamp
                    .outputs
                    .iter()
                    .all(|o| out_b.check_read(&out.join(o)).is_ok());
            if fresh {
                result.issues.push(IssueOutcome {
                    number: dir.number,
                    skipped: true,
                    items: stamp.entry.items,
                    outputs: stamp.outputs.iter().map(|o| out.join(o)).collect(),
                    held_back: false,
                    kept_final: false,
                });
                entries.push(stamp.entry.clone());
                stamps.issues.insert(dir.number, stamp.clone());
                continue;
            }
        }
        let mut issue = match ws
            .read_issue(dir.clone())
            .and_then(|files| model::assemble(ws, files))
        {
            Ok((issue, warnings)) => {
                result.warnings.extend(warnings);
                issue
            }
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        issue.presentation = presentation.clone();
        // Final where every role holds a valid sign-off; otherwise a draft,
        // built and published only when drafts were asked for.
        let is_final = match crate::signoff::prepare_build_auto(&mut issue, &dir.path) {
            Ok(f) => f,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        if !is_final && !req.drafts {
            // The last valid final, if there is one, stays published.
            let kept = old_stamps
                .issues
                .get(&dir.number)
                .filter(|s| !s.entry.draft && s.outputs.iter().all(|o| out.join(o).is_file()));
            if let Some(stamp) = kept {
                entries.push(stamp.entry.clone());
                stamps.issues.insert(dir.number, stamp.clone());
            }
            result.issues.push(IssueOutcome {
                number: dir.number,
                skipped: true,
                items: issue.items().count(),
                outputs: Vec::new(),
                held_back: true,
                kept_final: kept.is_some(),
            });
            continue;
        }
        if issue.footer.draft {
            issue.footer.review_code = Some(crate::signoff::review_code(&issue));
        }
        pending.push((dir, issue));
    }
    // Rendering (typesetting, PDF serialisation) is the costly part and
    // independent per issue: spread it over every core, then record the
    // results in the original order.
    let rendered_all = render_parallel(&ctx, &pending);
    for ((dir, issue), rendered) in pending.into_iter().zip(rendered_all) {
        let rendered = match rendered {
            Ok(r) => r,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        // Publishing the archive is no time to cut lines: the page-fit
        // note (W084) belongs to `build N` and `check`.
        for d in rendered.warnings.items {
            if d.code != "W084" {
                result.warnings.push(d);
            }
        }
        for n in rendered.notes {
            if !result.notes.contains(&n) {
                result.notes.push(n);
            }
        }
        let extra = extra_inputs(&issue, ws, &dir);
        let hash = match issue_hash(&common, ws, &dir, &extra) {
            Ok(h) => h,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        let entry = ArchiveEntry::of(&issue);
        result.issues.push(IssueOutcome {
            number: issue.number,
            skipped: false,
            items: issue.items().count(),
            outputs: rendered.outputs.iter().map(|o| o.path.clone()).collect(),
            held_back: false,
            kept_final: false,
        });
        stamps.issues.insert(
            issue.number,
            Stamp {
                hash,
                outputs: rendered
                    .outputs
                    .iter()
                    .map(|o| rel(&o.path, &out))
                    .collect(),
                extra_inputs: extra,
                entry: entry.clone(),
            },
        );
        entries.push(entry);
        outputs.extend(rendered.outputs);
    }
    if errors.has_errors() {
        return Err(errors);
    }

    let html = ctx.formats.contains(&Format::Html);
    if html {
        sort_newest_first(&mut entries);
        let (title, publisher) = (&ws.config.title, &ws.config.publisher);
        let index = render_index(title, publisher, &entries, settings, templates)?;
        let feed = render_feed(title, publisher, &entries, settings, templates)?;
        for (name, text) in [("index.html", index), ("feed.xml", feed)] {
            let path = out.join(name);
            result.archive_files.push(path.clone());
            // Unchanged archive files are left alone.
            if out_b
                .read(&path, text.len() as u64)
                .is_ok_and(|old| old == text.as_bytes())
            {
                continue;
            }
            outputs.push(Output {
                path,
                bytes: text.into_bytes(),
            });
        }
    } else {
        result
            .notes
            .push("没有要求生成网页版，往期目录 index.html 和订阅源 feed.xml 未更新".to_string());
    }

    // Outputs first, then the records: an interrupted build leaves an old
    // record whose hash no longer matches, so the issue is built again.
    super::write_outputs(&out_b, &outputs)?;
    super::write_outputs(
        &out_b,
        &[Output {
            path: stamps_path,
            bytes: serde_json::to_vec_pretty(&stamps).unwrap_or_default(),
        }],
    )?;
    result.issues.sort_by_key(|o| o.number);
    Ok(result)
}

/// Render every issue of `pending` with `ctx`, on as many threads as there
/// are cores (each thread takes the next issue not yet taken); the results
/// in the order of `pending`.
fn render_parallel(
    ctx: &RenderContext<'_>,
    pending: &[(crate::workspace::IssueDir, Issue)],
) -> Vec<Result<crate::render::Rendered, Diagnostics>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(pending.len());
    if threads <= 1 {
        return pending.iter().map(|(_, i)| ctx.render(i)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<crate::render::Rendered, Diagnostics>>>> =
        pending.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((_, issue)) = pending.get(i) else {
                        break;
                    };
                    let r = ctx.render(issue);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(pending)
        .map(|(m, (_, issue))| {
            // A slot is empty only if its thread stopped early: render here.
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| ctx.render(issue))
        })
        .collect()
}
