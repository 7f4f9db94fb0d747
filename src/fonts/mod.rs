//! Fonts for the PDF: the roles of official-document typography, where each
//! role's font comes from (embedded Fandol, a file, an installed family),
//! per-character fallback, and glyph ids and advances (via skrifa).
//!
//! Public API reused by the checker:
//! - [`FontSet::from_config`] resolves `[fonts]` of bulletin.toml;
//! - [`FontSet::missing_glyphs`] lists every character of an issue that no
//!   font can print, each as an error at its file:line:col.

pub mod embedded;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::config::{Config, FontsConfig, Located};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Inline, Issue, Style};
use crate::source::SourceFile;

/// What a piece of text is, typographically; each role has its own font list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Publication name on page 1.
    Masthead,
    /// Item titles.
    Title,
    /// Body text, 第N期, publisher and date.
    Body,
    /// Bold runs (Hei).
    Bold,
    /// Emphasis runs, （节选）, quotes and captions (Kai).
    Emphasis,
    /// Section headings and level-1 headings inside an item (一、).
    Heading1,
    /// Level-2 headings （一）.
    Heading2,
    /// Level-3 and deeper headings.
    Heading3,
    /// "— 1 —".
    PageNumber,
    /// End block (版记) lines.
    Footer,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Masthead,
        Role::Title,
        Role::Body,
        Role::Bold,
        Role::Emphasis,
        Role::Heading1,
        Role::Heading2,
        Role::Heading3,
        Role::PageNumber,
        Role::Footer,
    ];

    /// The key of this role in `[fonts]`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Masthead => "masthead",
            Role::Title => "title",
            Role::Body => "body",
            Role::Bold => "bold",
            Role::Emphasis => "emphasis",
            Role::Heading1 => "heading1",
            Role::Heading2 => "heading2",
            Role::Heading3 => "heading3",
            Role::PageNumber => "page_number",
            Role::Footer => "footer",
        }
    }

    /// The embedded default face of this role.
    pub fn default_face(self) -> &'static str {
        match self {
            Role::Masthead | Role::Title => "FandolSong-Bold",
            Role::Body | Role::Heading3 | Role::Footer => "FandolFang-Regular",
            Role::Bold | Role::Heading1 => "FandolHei-Regular",
            Role::Emphasis | Role::Heading2 => "FandolKai-Regular",
            Role::PageNumber => "FandolSong-Regular",
        }
    }

    /// The role of a run of `style` inside text of role `self`.
    pub fn styled(self, style: Style) -> Role {
        if style.strong {
            Role::Bold
        } else if style.emphasis {
            Role::Emphasis
        } else {
            self
        }
    }

    /// The role of an item's heading of `level`.
    pub fn heading(level: u8) -> Role {
        match level {
            0 | 1 => Role::Heading1,
            2 => Role::Heading2,
            _ => Role::Heading3,
        }
    }
}

/// Index of a face in a [`FontSet`].
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
    fn new(name: String, data: FontData, index: u32) -> Option<Face> {
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

    fn font_ref(&self) -> Option<skrifa::FontRef<'_>> {
        skrifa::FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }

    /// Glyph id and advance (in em) of `c`, if the face has it.
    fn lookup(&self, c: char) -> Option<Glyph> {
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

/// The faces of a build and the role lists over them.
#[derive(Clone)]
pub struct FontSet {
    faces: Vec<Face>,
    chains: HashMap<Role, Vec<FontId>>,
    system_fallback: bool,
    system: Option<fontdb::Database>,
    /// System faces already loaded for fallback, in the order found.
    system_loaded: Vec<FontId>,
    by_source: HashMap<(String, u32), FontId>,
    glyphs: HashMap<(FontId, char), Option<Glyph>>,
    resolved: HashMap<(Role, char), Option<Glyph>>,
    /// Notes from loading (a configured font not found …).
    pub warnings: Diagnostics,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("faces", &self.faces)
            .field("chains", &self.chains)
            .finish()
    }
}

impl FontSet {
    /// The embedded defaults only, with or without installed-font fallback.
    pub fn defaults(system_fallback: bool) -> FontSet {
        let cfg = FontsConfig {
            system_fallback,
            ..FontsConfig::default()
        };
        match FontSet::build(&cfg, Path::new("."), None) {
            Ok(f) => f,
            // Embedded faces always parse; an empty set would report every
            // character as missing rather than panic.
            Err(_) => FontSet::empty(system_fallback),
        }
    }

    fn empty(system_fallback: bool) -> FontSet {
        FontSet {
            faces: Vec::new(),
            chains: HashMap::new(),
            system_fallback,
            system: None,
            system_loaded: Vec::new(),
            by_source: HashMap::new(),
            glyphs: HashMap::new(),
            resolved: HashMap::new(),
            warnings: Diagnostics::default(),
        }
    }

    /// Resolve `[fonts]` of the workspace at `root`. A configured font that
    /// cannot be found is a warning (the next entry is used); a role with
    /// no usable entry at all is an error.
    pub fn from_config(config: &Config, root: &Path) -> Result<FontSet, Diagnostics> {
        FontSet::build(&config.fonts, root, Some(&config.located))
    }

    fn build(
        cfg: &FontsConfig,
        root: &Path,
        src: Option<&Located>,
    ) -> Result<FontSet, Diagnostics> {
        let mut set = FontSet::empty(cfg.system_fallback);
        let mut errors = Diagnostics::default();
        let mut cache: HashMap<String, Option<FontId>> = HashMap::new();
        for role in Role::ALL {
            let mut chain = Vec::new();
            let configured: Vec<&str> = cfg
                .by_key(role.key())
                .map(|l| l.entries())
                .unwrap_or_default();
            let mut entries: Vec<&str> = configured.clone();
            entries.extend(cfg.fallback.iter().map(String::as_str));
            for entry in entries {
                let id = match cache.get(entry) {
                    Some(id) => *id,
                    None => {
                        let id = set.load_entry(entry, root, src);
                        cache.insert(entry.to_string(), id);
                        id
                    }
                };
                if let Some(id) = id
                    && !chain.contains(&id)
                {
                    chain.push(id);
                }
            }
            if chain.is_empty() && !configured.is_empty() {
                let d = Diagnostic::error(
                    "E080",
                    format!(
                        "[fonts] 中 {} 列出的字体都找不到或无法读取（文件不存在、不完整或已损坏），无法排版",
                        role.key()
                    ),
                )
                .with_hint("写字体文件的路径（相对工作区），或本机已安装的字体名称；删去此项则使用内置的 Fandol 字体");
                errors.push(config_at(src, &format!("fonts.{}", role.key()), d));
                continue;
            }
            // The embedded default always ends the list, so a GB2312
            // character is never missing just because an office font lacks it.
            let default = role.default_face();
            let id = match cache.get(default) {
                Some(id) => *id,
                None => {
                    let id = set.load_entry(default, root, src);
                    cache.insert(default.to_string(), id);
                    id
                }
            };
            if let Some(id) = id
                && !chain.contains(&id)
            {
                chain.push(id);
            }
            set.chains.insert(role, chain);
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(set)
    }

    fn load_entry(&mut self, entry: &str, root: &Path, src: Option<&Located>) -> Option<FontId> {
        let entry = entry.trim();
        if let Some((name, data)) = embedded::find(entry) {
            let data: FontData = Arc::new(data);
            return self.push_face(name.to_string(), data, 0, (format!("embedded:{name}"), 0));
        }
        // `file.ttc#2` picks a face of a collection.
        let (file, face_no) = match entry.rsplit_once('#') {
            Some((f, n)) if !f.is_empty() && n.parse::<u32>().is_ok() => (f, n.parse::<u32>().ok()),
            _ => (entry, None),
        };
        let lower = file.to_ascii_lowercase();
        let looks_like_path = file.contains('/')
            || file.contains('\\')
            || [".otf", ".ttf", ".ttc", ".otc"]
                .iter()
                .any(|e| lower.ends_with(e));
        if looks_like_path {
            let path = resolve_path(root, file);
            let mut db = fontdb::Database::new();
            let loaded = db.load_font_file(&path).is_ok();
            let chosen = match face_no {
                Some(n) => db.faces().find(|f| f.index == n).map(|f| f.id),
                // In a collection, the Simplified Chinese face first.
                None => db
                    .faces()
                    .find(|f| is_simplified_chinese(f))
                    .or_else(|| db.faces().next())
                    .map(|f| f.id),
            };
            match (loaded, chosen) {
                (true, Some(id)) => {
                    // SAFETY: the font file is mapped read-only for the
                    // duration of the build; bulletin never writes to it.
                    let shared = unsafe { db.make_shared_face_data(id) };
                    if let Some((data, index)) = shared {
                        let key = (path.display().to_string(), index);
                        return self.push_face(entry.to_string(), data, index, key);
                    }
                    self.warn_entry(src, entry, format!("字体文件“{entry}”无法读取"));
                }
                (true, None) if face_no.is_some() => {
                    self.warn_entry(
                        src,
                        entry,
                        format!(
                            "字体文件“{file}”里没有第 {} 号字面，改用列表中的下一个字体",
                            face_no.unwrap_or(0)
                        ),
                    );
                }
                _ => {
                    self.warn_entry(
                        src,
                        entry,
                        format!(
                            "找不到字体文件“{}”（或不是 OpenType/TrueType 字体），改用列表中的下一个字体",
                            path.display()
                        ),
                    );
                }
            }
            return None;
        }
        // An installed family (or PostScript/full name).
        let db = self.system_db();
        let wanted = entry.to_lowercase();
        let mut best: Option<(fontdb::ID, u32)> = None;
        for f in db.faces() {
            let matches = f.families.iter().any(|(n, _)| n.to_lowercase() == wanted)
                || f.post_script_name.to_lowercase() == wanted;
            if !matches {
                continue;
            }
            // Prefer the upright regular face of the family.
            let score = (f.weight.0 as i32 - 400).unsigned_abs()
                + if f.style == fontdb::Style::Normal {
                    0
                } else {
                    1000
                };
            if best.is_none_or(|(_, s)| score < s) {
                best = Some((f.id, score));
            }
        }
        if let Some((id, _)) = best {
            let db = self.system.as_mut()?;
            let name = db
                .face(id)
                .map(|f| f.post_script_name.clone())
                .unwrap_or_else(|| entry.to_string());
            let path = match db.face_source(id) {
                Some((fontdb::Source::File(p), _))
                | Some((fontdb::Source::SharedFile(p, _), _)) => p.display().to_string(),
                _ => name.clone(),
            };
            // SAFETY: as above, installed font files are only read.
            if let Some((data, index)) = unsafe { db.make_shared_face_data(id) } {
                return self.push_face(name, data, index, (path, index));
            }
        }
        self.warn_entry(
            src,
            entry,
            format!("本机没有安装字体“{entry}”，改用列表中的下一个字体"),
        );
        None
    }

    fn warn_entry(&mut self, src: Option<&Located>, entry: &str, msg: String) {
        let d = Diagnostic::warning("W080", msg);
        let d = match src {
            Some(at) => at.attach(d, at.index.string(entry, "fonts.")),
            None => d,
        };
        self.warnings.push(d);
    }

    fn push_face(
        &mut self,
        name: String,
        data: FontData,
        index: u32,
        key: (String, u32),
    ) -> Option<FontId> {
        if let Some(id) = self.by_source.get(&key) {
            return Some(*id);
        }
        let face = Face::new(name, data, index)?;
        self.faces.push(face);
        let id = self.faces.len() - 1;
        self.by_source.insert(key, id);
        Some(id)
    }

    fn system_db(&mut self) -> &fontdb::Database {
        self.system.get_or_insert_with(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        })
    }

    /// Every loaded face.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    pub fn face(&self, id: FontId) -> &Face {
        &self.faces[id]
    }

    /// The faces tried for `role`, in order.
    pub fn chain(&self, role: Role) -> &[FontId] {
        self.chains.get(&role).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The glyph of `c` in face `font`, if it has one.
    pub fn glyph_in(&mut self, font: FontId, c: char) -> Option<Glyph> {
        if let Some(g) = self.glyphs.get(&(font, c)) {
            return *g;
        }
        let g = self.faces.get(font).and_then(|f| f.lookup(c)).map(|mut g| {
            g.font = font;
            g
        });
        self.glyphs.insert((font, c), g);
        g
    }

    /// The glyph that prints `c` in `role`: the role's list, then the
    /// common fallback, then (if enabled) any installed font that has it.
    pub fn resolve(&mut self, role: Role, c: char) -> Option<Glyph> {
        if let Some(g) = self.resolved.get(&(role, c)) {
            return *g;
        }
        let mut found = None;
        for i in 0..self.chain(role).len() {
            let id = self.chain(role)[i];
            if let Some(g) = self.glyph_in(id, c) {
                found = Some(g);
                break;
            }
        }
        if found.is_none() && self.system_fallback && !c.is_control() {
            found = self.system_glyph(c);
        }
        self.resolved.insert((role, c), found);
        found
    }

    /// Find `c` in any installed font, loading faces as needed.
    fn system_glyph(&mut self, c: char) -> Option<Glyph> {
        for i in 0..self.system_loaded.len() {
            let id = self.system_loaded[i];
            if let Some(g) = self.glyph_in(id, c) {
                return Some(g);
            }
        }
        self.system_db();
        let db = self.system.as_ref()?;
        // Simplified Chinese faces first: they match the page best.
        let mut candidates: Vec<(bool, fontdb::ID)> = db
            .faces()
            .map(|f| (!is_simplified_chinese(f), f.id))
            .collect();
        candidates.sort_by_key(|(not_cn, _)| *not_cn);
        for (_, id) in candidates {
            let db = self.system.as_mut()?;
            let (path, name) = match (db.face_source(id), db.face(id)) {
                (Some((fontdb::Source::File(p), _)), Some(f))
                | (Some((fontdb::Source::SharedFile(p, _), _)), Some(f)) => {
                    (p.display().to_string(), f.post_script_name.clone())
                }
                _ => continue,
            };
            let index = db.face(id).map(|f| f.index).unwrap_or(0);
            if self.by_source.contains_key(&(path.clone(), index)) {
                continue;
            }
            // SAFETY: installed font files are mapped read-only.
            let Some((data, index)) = (unsafe { db.make_shared_face_data(id) }) else {
                continue;
            };
            let Some(face) = Face::new(name, data, index) else {
                continue;
            };
            if face.lookup(c).is_none() {
                continue;
            }
            self.faces.push(face);
            let fid = self.faces.len() - 1;
            self.by_source.insert((path, index), fid);
            self.system_loaded.push(fid);
            return self.glyph_in(fid, c);
        }
        None
    }

    /// Every character of `issue` (and of the masthead and end block) that
    /// no font can print, one error each, at its file:line:col; plus a
    /// warning for each character only an installed font has (found by
    /// system fallback), at its first occurrence.
    pub fn missing_glyphs(&mut self, issue: &Issue) -> Diagnostics {
        let mut out = Diagnostics::default();
        let mut seen = std::collections::HashSet::new();
        let mut system_noted = std::collections::HashSet::new();
        walk_text(issue, &mut |role, text, loc| {
            for (i, c) in text.char_indices() {
                if c.is_whitespace() || c.is_control() {
                    continue;
                }
                if let Some(g) = self.resolve(role, c) {
                    // Printed from an installed font: the PDF depends on
                    // this machine; say so once per character.
                    if self.system_loaded.contains(&g.font) && system_noted.insert(c) {
                        let face = &self.faces[g.font].name;
                        let d = Diagnostic::warning(
                            "W082",
                            format!("字符“{c}”内置字体中没有，改用本机安装的字体 {face} 印出"),
                        )
                        .with_hint(format!(
                            "换一台电脑排版结果可能不同；可在 bulletin.toml 的 [fonts] 里为 {} 指定含此字的字体",
                            role.key()
                        ));
                        out.push(loc.attach(d, i, c));
                    }
                    continue;
                }
                let d = missing_diagnostic(c, role, &loc, i);
                let key = d
                    .location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column, c));
                if seen.insert(key) {
                    out.push(d);
                }
            }
        });
        out
    }
}

/// The diagnostic for a character `c` at byte `i` of a text found at `loc`.
pub fn missing_diagnostic(c: char, role: Role, loc: &TextLoc, i: usize) -> Diagnostic {
    let d = Diagnostic::error(
        "E081",
        format!(
            "字符“{c}”（U+{:04X}）在所有可用字体中都没有字形，无法印出",
            c as u32
        ),
    )
    .with_hint(format!(
        "在 bulletin.toml 的 [fonts] 里为 {} 加一个含此字的字体（例如 fallback = [\"字体文件.ttf\"]），或改用常用字；确需先出样稿可加 --allow-missing-glyphs",
        role.key()
    ));
    loc.attach(d, i, c)
}

/// Where a piece of text came from, to point at one of its characters.
#[derive(Debug, Clone)]
pub enum TextLoc {
    /// Text of a run: byte `i` maps to `offset + i` when `exact`.
    Source {
        source: Arc<SourceFile>,
        offset: usize,
        exact: bool,
    },
    /// A TOML string value whose span (with quotes) is known.
    Value {
        source: Arc<SourceFile>,
        span: std::ops::Range<usize>,
    },
    /// Text from bulletin.toml or issue.toml that is not among their
    /// string values: the file only.
    File(PathBuf),
    /// Generated text (labels, page numbers).
    Generated,
}

impl TextLoc {
    /// Attach the position of the character at byte `i` (char `c`).
    pub fn attach(&self, d: Diagnostic, i: usize, c: char) -> Diagnostic {
        match self {
            TextLoc::Source {
                source,
                offset,
                exact,
            } => {
                let at = if *exact { offset + i } else { *offset };
                let at = at.min(source.text.len());
                let end = next_char_end(&source.text, at);
                d.at(&source.path, &source.text, at..end)
            }
            TextLoc::Value { source, span } => {
                let text = &source.text;
                let at = match text.get(span.clone()) {
                    Some(raw) => match raw.find(c) {
                        // The value is usually a plain quoted string: byte
                        // i of the value is byte i + 1 of the span.
                        Some(_) if raw.get(1 + i..).is_some_and(|r| r.starts_with(c)) => {
                            span.start + 1 + i
                        }
                        Some(p) => span.start + p,
                        None => span.start,
                    },
                    None => span.start.min(text.len()),
                };
                let end = next_char_end(text, at);
                d.at(&source.path, text, at..end)
            }
            TextLoc::File(path) => d.in_file(path),
            TextLoc::Generated => d,
        }
    }
}

/// Where a text printed from bulletin.toml or issue.toml stands: the
/// string value equal to it (issue.toml's overrides first), else the
/// configuration file.
pub fn config_loc(issue: &Issue, text: &str) -> TextLoc {
    for at in &issue.config_files {
        if let Some(span) = at.index.string(text, "") {
            return TextLoc::Value {
                source: at.source.clone(),
                span,
            };
        }
    }
    match issue.config_files.last() {
        Some(at) => TextLoc::File(at.source.path.clone()),
        None => TextLoc::Generated,
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Visit every printed text of `issue` with its role and origin, in print
/// order: masthead, items (title, （节选）, blocks, （unit）), end block.
/// The typesetter prints exactly these texts (plus generated labels).
pub fn walk_text(issue: &Issue, f: &mut dyn FnMut(Role, &str, TextLoc)) {
    let cfg = |needle: &str| config_loc(issue, needle);
    f(Role::Masthead, &issue.title, cfg(&issue.title));
    f(Role::Body, &issue.number_label(), TextLoc::Generated);
    if let Some(t) = issue.total_label() {
        f(Role::Body, &t, TextLoc::Generated);
    }
    f(Role::Body, &issue.publisher, cfg(&issue.publisher));
    f(Role::Body, &issue.date_label(), TextLoc::Generated);
    for section in &issue.sections {
        if section.items.is_empty() {
            continue;
        }
        if let Some(h) = &section.heading {
            f(Role::Heading1, h, cfg(h));
        }
        for item in &section.items {
            if let (Some(title), Some(span)) = (&item.title, &item.title_span) {
                f(
                    Role::Title,
                    title,
                    TextLoc::Value {
                        source: item.source.clone(),
                        span: span.clone(),
                    },
                );
            }
            if item.excerpt {
                f(Role::Emphasis, "（节选）", TextLoc::Generated);
            }
            walk_blocks(&item.blocks, Role::Body, &item.source, f);
            f(
                Role::Body,
                &item.attribution(),
                TextLoc::Value {
                    source: item.source.clone(),
                    span: item.unit_span.clone(),
                },
            );
        }
    }
    let footer = &issue.footer;
    for line in &footer.lines {
        f(Role::Footer, &line.label, cfg(&line.label));
        f(Role::Footer, &line.text, cfg(&line.text));
    }
    if let Some(e) = &footer.editor {
        f(Role::Footer, e, cfg(e));
    }
    for s in &footer.signoffs {
        f(Role::Footer, &s.role, cfg(&s.role));
        if let Some(n) = &s.name {
            f(Role::Footer, n, TextLoc::Generated);
        }
    }
}

fn walk_blocks(
    blocks: &[Block],
    role: Role,
    source: &Arc<SourceFile>,
    f: &mut dyn FnMut(Role, &str, TextLoc),
) {
    for b in blocks {
        match b {
            Block::Paragraph(inl) => walk_inlines(inl, role, source, f),
            Block::Heading { level, content } => {
                walk_inlines(content, Role::heading(*level), source, f)
            }
            Block::List { items, .. } => {
                for it in items {
                    walk_blocks(it, role, source, f);
                }
            }
            Block::Quote(inner) => walk_blocks(inner, Role::Emphasis, source, f),
            Block::Image(img) => f(
                Role::Emphasis,
                &img.caption,
                TextLoc::Source {
                    source: source.clone(),
                    offset: img.offset,
                    exact: false,
                },
            ),
            Block::Code(text) => f(
                role,
                text,
                TextLoc::Source {
                    source: source.clone(),
                    offset: source.text.find(text.as_str()).unwrap_or(0),
                    exact: source.text.contains(text.as_str()),
                },
            ),
        }
    }
}

fn walk_inlines(
    inlines: &[Inline],
    role: Role,
    source: &Arc<SourceFile>,
    f: &mut dyn FnMut(Role, &str, TextLoc),
) {
    for i in inlines {
        if let Inline::Text(run) = i {
            f(
                role.styled(run.style),
                &run.text,
                TextLoc::Source {
                    source: source.clone(),
                    offset: run.offset,
                    exact: run.exact,
                },
            );
        }
    }
}

/// A face meant for Simplified Chinese (glyph shapes differ from the
/// Japanese and Traditional faces of the same collection).
fn is_simplified_chinese(f: &fontdb::FaceInfo) -> bool {
    f.families.iter().any(|(n, l)| {
        matches!(
            l,
            fontdb::Language::Chinese_PeoplesRepublicOfChina | fontdb::Language::Chinese_Singapore
        ) || n.ends_with(" SC")
            || n.contains(" SC ")
            || n.ends_with("CN")
    })
}

fn resolve_path(root: &Path, entry: &str) -> PathBuf {
    let p = PathBuf::from(entry);
    if p.is_absolute() { p } else { root.join(p) }
}

/// `d` pointed at the key at `path` of bulletin.toml (e.g. `fonts.title`).
fn config_at(src: Option<&Located>, path: &str, d: Diagnostic) -> Diagnostic {
    match src {
        Some(at) => at.at_key(d, path),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_faces_cover_gb2312_but_not_rong() {
        let mut set = FontSet::defaults(false);
        for role in Role::ALL {
            let g = set.resolve(role, '民').expect("民 in every role");
            assert!(g.id > 0);
            assert!((g.advance - 1.0).abs() < 0.01, "{role:?} {}", g.advance);
        }
        assert!(set.resolve(Role::Body, '镕').is_none());
        let a = set.resolve(Role::Body, 'i').unwrap().advance;
        let m = set.resolve(Role::Body, 'm').unwrap().advance;
        assert!(a < m && m < 1.0, "proportional Latin: i {a}, m {m}");
    }

    #[test]
    fn roles_use_their_default_faces() {
        let set = FontSet::defaults(false);
        let name = |r: Role| set.face(set.chain(r)[0]).name.clone();
        assert_eq!(name(Role::Title), "FandolSong-Bold");
        assert_eq!(name(Role::Body), "FandolFang-Regular");
        assert_eq!(name(Role::Bold), "FandolHei-Regular");
        assert_eq!(name(Role::Emphasis), "FandolKai-Regular");
        assert_eq!(name(Role::PageNumber), "FandolSong-Regular");
    }

    #[test]
    fn a_title_font_problem_points_at_fonts_title_not_the_publication_title() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"a\"\n\
                    [fonts]\nsystem_fallback = false\ntitle = \"没有这个字体\"\n";
        let src = SourceFile {
            path: PathBuf::from("bulletin.toml"),
            text: text.to_string(),
        };
        let config = Config::parse(&src).expect("config");
        let d = FontSet::from_config(&config, Path::new(".")).unwrap_err();
        let e = d.items.iter().find(|d| d.code == "E080").expect("E080");
        let at = e.location.as_ref().expect("located");
        // Line 1 is the publication's `title =`; the role's key is line 7.
        assert_eq!((at.line, at.column), (7, 1), "{e:?}");
    }
}
