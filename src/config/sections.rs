//! `[[sections]]` and `[footer]` of bulletin.toml: the sections of every
//! issue and the end block (版记) defaults.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionStyle {
    /// Items with titles and paragraphs.
    #[default]
    Article,
    /// One paragraph per item, no printed title (简讯).
    Brief,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionConfig {
    /// The `category` value submissions use.
    pub name: String,
    /// Printed heading: absent = name, "" = none.
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub style: SectionStyle,
}

impl SectionConfig {
    /// The heading to print, if any.
    pub fn printed_heading(&self) -> Option<&str> {
        match &self.heading {
            None => Some(&self.name),
            Some(h) if h.trim().is_empty() => None,
            Some(h) => Some(h),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FooterConfig {
    /// 编辑.
    #[serde(default)]
    pub editor: Option<String>,
    /// Roles that sign off, in print order (e.g. 核稿, 审核).
    #[serde(default)]
    pub signoffs: Option<Vec<String>>,
    /// Distribution lines (报, 送, 发, 抄送 …).
    #[serde(default)]
    pub lines: Option<Vec<FooterLine>>,
    /// Optional （共印N份）.
    #[serde(default)]
    pub copies: Option<u32>,
}

impl FooterConfig {
    /// This footer with every field `over` sets taking precedence.
    pub fn merged(&self, over: &FooterConfig) -> FooterConfig {
        FooterConfig {
            editor: over.editor.clone().or_else(|| self.editor.clone()),
            signoffs: over.signoffs.clone().or_else(|| self.signoffs.clone()),
            lines: over.lines.clone().or_else(|| self.lines.clone()),
            copies: over.copies.or(self.copies),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FooterLine {
    pub label: String,
    pub text: String,
}
