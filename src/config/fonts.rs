//! `[fonts]` of bulletin.toml: the font list of each typographic role.

use serde::Deserialize;

/// One font list: a single name or a list tried in order.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum FontList {
    One(String),
    Many(Vec<String>),
}

impl FontList {
    pub fn entries(&self) -> Vec<&str> {
        match self {
            FontList::One(s) => vec![s.as_str()],
            FontList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// `[fonts]` of bulletin.toml. Each role takes a font or a list of fonts,
/// tried per character in order; an entry is an embedded Fandol name
/// (`FandolFang`), a file path (relative to the workspace) or an installed
/// family name (`方正小标宋简体`, `FangSong`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    pub masthead: Option<FontList>,
    pub title: Option<FontList>,
    pub body: Option<FontList>,
    pub bold: Option<FontList>,
    pub emphasis: Option<FontList>,
    pub heading1: Option<FontList>,
    pub heading2: Option<FontList>,
    pub heading3: Option<FontList>,
    pub page_number: Option<FontList>,
    pub footer: Option<FontList>,
    /// Tried after every role's own list (e.g. an office's extension font).
    #[serde(default)]
    pub fallback: Vec<String>,
    /// After all lists, look for a character in any installed font.
    #[serde(default = "yes")]
    pub system_fallback: bool,
}

fn yes() -> bool {
    true
}

impl Default for FontsConfig {
    fn default() -> Self {
        FontsConfig {
            masthead: None,
            title: None,
            body: None,
            bold: None,
            emphasis: None,
            heading1: None,
            heading2: None,
            heading3: None,
            page_number: None,
            footer: None,
            fallback: Vec::new(),
            system_fallback: true,
        }
    }
}

impl FontsConfig {
    /// Every font named anywhere in `[fonts]`, each once, in order.
    pub fn all_entries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let lists = [
            &self.masthead,
            &self.title,
            &self.body,
            &self.bold,
            &self.emphasis,
            &self.heading1,
            &self.heading2,
            &self.heading3,
            &self.page_number,
            &self.footer,
        ];
        let named = lists
            .into_iter()
            .flatten()
            .flat_map(|l| l.entries())
            .chain(self.fallback.iter().map(String::as_str));
        for e in named {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }

    /// The list of the role whose `[fonts]` key is `key`.
    pub fn by_key(&self, key: &str) -> Option<&FontList> {
        match key {
            "masthead" => self.masthead.as_ref(),
            "title" => self.title.as_ref(),
            "body" => self.body.as_ref(),
            "bold" => self.bold.as_ref(),
            "emphasis" => self.emphasis.as_ref(),
            "heading1" => self.heading1.as_ref(),
            "heading2" => self.heading2.as_ref(),
            "heading3" => self.heading3.as_ref(),
            "page_number" => self.page_number.as_ref(),
            "footer" => self.footer.as_ref(),
            _ => None,
        }
    }
}
