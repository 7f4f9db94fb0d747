//! `bulletin fonts [N]`: which font prints each role, and every character
//! of an issue printed from another font (a fallback, an installed font)
//! or from none, with each place it stands and what to do about it.

use std::path::PathBuf;

use crate::diag::{Diagnostics, Location};
use crate::fonts::set::FaceStyle;
use crate::fonts::{FontSet, Role};
use crate::model::{self, Issue};
use crate::typeset::TypesetOptions;
use crate::workspace::Workspace;

/// The font of one role.
#[derive(Debug, Clone)]
pub struct RoleFont {
    pub role: Role,
    /// The role's own face (the first of its list).
    pub font: String,
    /// Its file, or `内置 FandolSong-Bold`.
    pub source: String,
    pub style: Option<FaceStyle>,
}

/// One character printed from a font other than its role's own, or from
/// none: with the font, the roles and every place.
#[derive(Debug, Clone)]
pub struct FallbackChar {
    pub ch: char,
    /// The face that printed it; `None` when no font has it.
    pub font: Option<String>,
    /// Its file (or `内置 …`).
    pub source: Option<String>,
    /// Whether the face is an installed font (machine-dependent).
    pub installed: bool,
    pub style: Option<FaceStyle>,
    /// The roles it is printed in, in order of first use.
    pub roles: Vec<Role>,
    /// Every place, in the order set.
    pub places: Vec<Location>,
}

impl FallbackChar {
    /// Whether the face that printed it has the style of every role that
    /// uses it (Song for Song …).
    pub fn style_matches(&self, roles: &[RoleFont]) -> bool {
        self.font.is_some()
            && self.roles.iter().all(|r| {
                roles
                    .iter()
                    .find(|f| f.role == *r)
                    .is_none_or(|f| f.style.is_none() || f.style == self.style)
            })
    }

    /// What to do, in Chinese, with the real `[fonts]` keys.
    pub fn advice(&self, roles: &[RoleFont]) -> String {
        let styles: Vec<&str> = {
            let mut v: Vec<&str> = Vec::new();
            for r in &self.roles {
                if let Some(s) = roles.iter().find(|f| f.role == *r).and_then(|f| f.style) {
                    let l = s.label();
                    if !v.contains(&l) {
                        v.push(l);
                    }
                }
            }
            v
        };
        let style = if styles.is_empty() {
            "同风格".to_string()
        } else {
            styles.join("、")
        };
        let keys: Vec<&str> = self.roles.iter().map(|r| r.key()).collect();
        let first = self.roles.first().copied().unwrap_or(Role::Body);
        let own = roles
            .iter()
            .find(|f| f.role == first)
            .map_or(first.default_face().to_string(), |f| f.font.clone());
        let example = format!(
            "[fonts] 里写 {} = [\"{own}\", \"fonts/含此字的{}字体.ttf\"]",
            first.key(),
            styles.first().copied().unwrap_or("同风格")
        );
        let what = match (&self.font, self.installed) {
            (None, _) => "没有任何字体有这个字，现在无法印出".to_string(),
            (Some(_), true) if !self.style_matches(roles) => {
                "现在用的是本机安装的字体，风格与本用途不同，换一台电脑也可能不同".to_string()
            }
            (Some(_), true) => "现在用的是本机安装的字体，换一台电脑排版结果可能不同".to_string(),
            (Some(_), false) if !self.style_matches(roles) => {
                "现在用的是列表里后面的字体，风格与本用途不同".to_string()
            }
            (Some(_), false) => "现在用的是列表里后面的字体".to_string(),
        };
        format!(
            "{what}。可在本机安装含此字的{style}字体；或把含此字的字体文件放进工作区，在 bulletin.toml 的 [fonts] 里为 {} 加上它（例如 {example}）",
            keys.join("、")
        )
    }
}

/// The report of one issue.
#[derive(Debug)]
pub struct FontsReport {
    pub issue: Issue,
    pub roles: Vec<RoleFont>,
    pub chars: Vec<FallbackChar>,
    /// Notes from loading the fonts and the issue.
    pub warnings: Diagnostics,
}

/// The fonts of issue `number` (default: the newest).
pub fn fonts(ws: &Workspace, number: Option<u32>) -> Result<FontsReport, Diagnostics> {
    let (issue, mut warnings) = model::load_issue(ws, number)?;
    let mut set = FontSet::from_config(&ws.config, &ws.root)?;
    warnings.extend(std::mem::take(&mut set.warnings));
    // Every character is set, those no font has as placeholders.
    let opts = TypesetOptions {
        allow_missing_glyphs: true,
    };
    let doc = crate::typeset::typeset(&issue, &mut set, &ws.config.layout, opts)?;
    let roles: Vec<RoleFont> = Role::ALL
        .iter()
        .filter_map(|&role| {
            let id = *set.chain(role).first()?;
            Some(RoleFont {
                role,
                font: set.face(id).name.clone(),
                source: set.face_source(id),
                style: set.role_style(role),
            })
        })
        .collect();
    let mut chars: Vec<FallbackChar> = Vec::new();
    for u in &doc.fallbacks {
        let name = set.face(u.font).name.clone();
        let i = match chars
            .iter()
            .position(|c| c.ch == u.ch && c.font.as_deref() == Some(&name))
        {
            Some(i) => i,
            None => {
                chars.push(FallbackChar {
                    ch: u.ch,
                    style: FaceStyle::of_name(&name),
                    source: Some(set.face_source(u.font)),
                    installed: set.is_system_face(u.font),
                    font: Some(name),
                    roles: Vec::new(),
                    places: Vec::new(),
                });
                chars.len() - 1
            }
        };
        add(&mut chars[i], u.role, u.location.clone());
    }
    // Characters no font has: the placeholders' notes, one per place.
    for d in doc.warnings.items.iter().filter(|d| d.code == "W081") {
        let Some(ch) = d.message.split('“').nth(1).and_then(|r| r.chars().next()) else {
            continue;
        };
        let i = match chars.iter().position(|c| c.ch == ch && c.font.is_none()) {
            Some(i) => i,
            None => {
                chars.push(FallbackChar {
                    ch,
                    font: None,
                    source: None,
                    installed: false,
                    style: None,
                    roles: Vec::new(),
                    places: Vec::new(),
                });
                chars.len() - 1
            }
        };
        let role = role_in_hint(d.hint.as_deref()).unwrap_or(Role::Body);
        add(&mut chars[i], role, d.location.clone());
    }
    for c in &mut chars {
        c.places
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    }
    // The characters' own warnings are the report itself; the page-fit
    // note (W084) belongs to check and build, not to a fonts report.
    for d in doc.warnings.items {
        if !matches!(d.code, "W081" | "W082" | "W084") {
            warnings.push(d);
        }
    }
    Ok(FontsReport {
        issue,
        roles,
        chars,
        warnings,
    })
}

fn add(c: &mut FallbackChar, role: Role, at: Option<Location>) {
    if !c.roles.contains(&role) {
        c.roles.push(role);
    }
    if let Some(at) = at
        && !c
            .places
            .iter()
            .any(|p| (&p.path, p.line, p.column) == (&at.path, at.line, at.column))
    {
        c.places.push(at);
    }
}

/// The role a missing-glyph hint names (`为 title 加一个…`).
fn role_in_hint(hint: Option<&str>) -> Option<Role> {
    let h = hint?;
    let key = h.split("里为 ").nth(1)?.split(' ').next()?;
    Role::ALL.into_iter().find(|r| r.key() == key)
}

/// A place as `issues/39/01.md:3:5`, relative to `root`.
pub fn place(root: &std::path::Path, l: &Location) -> String {
    let path: PathBuf = l.path.clone();
    format!(
        "{}:{}:{}",
        crate::diag::display_path(&path, Some(root)),
        l.line,
        l.column
    )
}
