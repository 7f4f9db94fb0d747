//! The faces of a build and each role's list over them: `[fonts]` resolved
//! (embedded Fandol, files, installed families), per-character fallback.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::embedded;
use super::face::{Face, FontData, FontId, Glyph};
use super::role::Role;
use crate::config::{Config, FontsConfig, Located};
use crate::diag::{Diagnostic, Diagnostics};

/// The environment variable naming the folders searched for installed
/// fonts instead of the system's.
pub const FONT_DIRS_ENV: &str = "BULLETIN_FONT_DIRS";

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
            // `BULLETIN_FONT_DIRS` (folders, separated like PATH) replaces
            // the system's font folders: to test, or to pin a build to
            // the fonts of one folder.
            match std::env::var_os(FONT_DIRS_ENV).filter(|v| !v.is_empty()) {
                Some(dirs) => {
                    for d in std::env::split_paths(&dirs) {
                        db.load_fonts_dir(d);
                    }
                }
                None => db.load_system_fonts(),
            }
            db
        })
    }

    /// Every loaded face.
    /// Whether `id` was loaded from an installed font for fallback.
    pub fn is_system_face(&self, id: FontId) -> bool {
        self.system_loaded.contains(&id)
    }

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
            found = self.system_glyph(role, c);
        }
        self.resolved.insert((role, c), found);
        found
    }

    /// The style (Song, Kai, Hei, Fang) of `role`'s own face.
    pub fn role_style(&self, role: Role) -> Option<FaceStyle> {
        self.chain(role)
            .first()
            .and_then(|&id| FaceStyle::of_name(&self.face(id).name))
            .or_else(|| FaceStyle::of_name(role.default_face()))
    }

    /// Where face `id` comes from: its file, or `内置 FandolSong-Bold`.
    pub fn face_source(&self, id: FontId) -> String {
        self.by_source
            .iter()
            .find(|(_, v)| **v == id)
            .map(|((src, _), _)| match src.strip_prefix("embedded:") {
                Some(name) => format!("内置 {name}"),
                None => src.clone(),
            })
            .unwrap_or_else(|| self.face(id).name.clone())
    }

    /// Find `c` in an installed font, loading faces as needed: a face of
    /// the role's own style (Song for Song, Kai for Kai …) when one has
    /// it, else any, Simplified Chinese faces first.
    fn system_glyph(&mut self, role: Role, c: char) -> Option<Glyph> {
        let wanted = self.role_style(role);
        let same = |name: &str| wanted.is_some() && FaceStyle::of_name(name) == wanted;
        let mut other_loaded = None;
        for i in 0..self.system_loaded.len() {
            let id = self.system_loaded[i];
            if let Some(g) = self.glyph_in(id, c) {
                if same(&self.faces[id].name) {
                    return Some(g);
                }
                other_loaded = other_loaded.or(Some(g));
            }
        }
        self.system_db();
        let db = self.system.as_ref()?;
        // Faces of the role's style first, then Simplified Chinese faces:
        // they match the page best.
        let mut candidates: Vec<(bool, bool, fontdb::ID)> = db
            .faces()
            .map(|f| {
                let style = f
                    .families
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .chain([f.post_script_name.as_str()])
                    .find_map(FaceStyle::of_name);
                (
                    wanted.is_none() || style != wanted,
                    !is_simplified_chinese(f),
                    f.id,
                )
            })
            .collect();
        candidates.sort_by_key(|(other, not_cn, _)| (*other, *not_cn));
        for (other_style, _, id) in candidates {
            // A face of the role's style already loaded is better than
            // any other face not yet loaded.
            if other_style && other_loaded.is_some() {
                return other_loaded;
            }
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
        other_loaded
    }
}

/// The style of a Chinese face, read from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceStyle {
    /// 宋体 (Song, Ming, Serif).
    Song,
    /// 楷体.
    Kai,
    /// 黑体 (Hei, Sans, Gothic).
    Hei,
    /// 仿宋.
    Fang,
}

impl FaceStyle {
    /// The style a face name suggests (`FandolFang-Regular`, `Noto Serif
    /// CJK SC`, `方正小标宋简体`), if any.
    pub fn of_name(name: &str) -> Option<FaceStyle> {
        let n = name.to_lowercase();
        let has = |ws: &[&str]| ws.iter().any(|w| n.contains(w));
        // 仿宋 / FangSong before Song.
        if has(&["fang", "仿"]) {
            Some(FaceStyle::Fang)
        } else if has(&["kai", "楷"]) {
            Some(FaceStyle::Kai)
        } else if has(&["hei", "sans", "gothic", "黑"]) {
            Some(FaceStyle::Hei)
        } else if has(&["song", "serif", "ming", "宋", "明"]) {
            Some(FaceStyle::Song)
        } else {
            None
        }
    }

    /// `宋体`, `楷体`, `黑体`, `仿宋`.
    pub fn label(self) -> &'static str {
        match self {
            FaceStyle::Song => "宋体",
            FaceStyle::Kai => "楷体",
            FaceStyle::Hei => "黑体",
            FaceStyle::Fang => "仿宋",
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
