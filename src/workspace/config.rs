//! `bulletin.toml`: the publication, its sections and its end block.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

pub const CONFIG_FILE: &str = "bulletin.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Masthead name, e.g. 南阳民政工作动态.
    pub title: String,
    /// 编印单位, masthead left.
    pub publisher: String,
    /// Section order of every issue.
    #[serde(default)]
    pub sections: Vec<SectionConfig>,
    /// End block (版记) defaults.
    #[serde(default)]
    pub footer: FooterConfig,
    /// Font roles for the PDF (typed by the typesetter).
    #[serde(default)]
    pub fonts: Option<crate::fonts::FontsConfig>,
    /// Page geometry for the PDF (typed by the typesetter).
    #[serde(default)]
    pub layout: Option<crate::typeset::LayoutConfig>,
    /// PDF output options.
    #[serde(default)]
    pub pdf: Option<crate::render::pdf::PdfConfig>,
    /// Rule levels and limits for `bulletin check`.
    #[serde(default)]
    pub check: CheckConfig,
    /// Known source units.
    #[serde(default)]
    pub units: UnitsConfig,
    /// Intake settings (`bulletin intake`).
    #[serde(default)]
    pub intake: IntakeConfig,
    /// HTML edition settings.
    #[serde(default)]
    pub html: Option<toml::Table>,
}

/// `[check]`: limits of the length and date rules and per-rule levels.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Longest 简讯 item, in characters (default 200).
    #[serde(default)]
    pub brief_max_chars: Option<usize>,
    /// Longest article title, in characters (default 40).
    #[serde(default)]
    pub title_max_chars: Option<usize>,
    /// Oldest item date before the issue date, in days (default 60).
    #[serde(default)]
    pub max_age_days: Option<i64>,
    /// Rule code → level, e.g. `P013 = "off"`.
    #[serde(default)]
    pub levels: std::collections::BTreeMap<String, RuleLevel>,
}

/// How a check rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    Off,
}

/// `[units]`: the source units submissions may name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsConfig {
    #[serde(default)]
    pub known: Vec<String>,
}

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

/// `[intake]`: where county offices drop their files.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IntakeConfig {
    /// The inbox folder, relative to the workspace (or absolute).
    #[serde(default = "IntakeConfig::default_inbox")]
    pub inbox: String,
    /// A file modified less than this many seconds ago is still being
    /// written and is left for the next run.
    #[serde(default = "IntakeConfig::default_settle")]
    pub settle_seconds: u64,
    /// Category for `.txt` files when `--category` is not given.
    #[serde(default)]
    pub category: Option<String>,
}

impl IntakeConfig {
    fn default_inbox() -> String {
        "inbox".to_string()
    }
    fn default_settle() -> u64 {
        5
    }
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            inbox: Self::default_inbox(),
            settle_seconds: Self::default_settle(),
            category: None,
        }
    }
}

impl Config {
    /// Parse and validate `bulletin.toml`.
    pub fn parse(src: &SourceFile) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        let config: Config = match toml::from_str(&src.text) {
            Ok(c) => c,
            Err(e) => {
                diags.push(super::toml_error::diagnostic(&src.path, &src.text, 0, &e));
                return Err(diags);
            }
        };
        let here = |what: &str| find_span(&src.text, what);
        if config.title.trim().is_empty() {
            diags.push(at(
                &src.path,
                &src.text,
                here("title"),
                "E015",
                "刊物名称 `title` 不能为空",
            ));
        }
        if config.sections.is_empty() {
            diags.push(
                Diagnostic::error("E015", "没有定义任何栏目：至少需要一个 [[sections]]")
                    .in_file(&src.path)
                    .with_hint("例如：\n[[sections]]\nname = \"工作动态\""),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for s in &config.sections {
            if s.name.trim().is_empty() {
                diags.push(at(
                    &src.path,
                    &src.text,
                    here("name"),
                    "E015",
                    "栏目名称 `name` 不能为空",
                ));
            } else if !seen.insert(s.name.as_str()) {
                let needle = format!("\"{}\"", s.name);
                diags.push(at(
                    &src.path,
                    &src.text,
                    rfind_span(&src.text, &needle),
                    "E015",
                    &format!("栏目“{}”定义了两次", s.name),
                ));
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(config)
        }
    }

    pub fn section(&self, name: &str) -> Option<&SectionConfig> {
        self.sections.iter().find(|s| s.name == name)
    }
}

fn find_span(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    text.find(needle).map(|i| i..i + needle.len())
}

fn rfind_span(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    text.rfind(needle).map(|i| i..i + needle.len())
}

fn at(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    code: &'static str,
    msg: &str,
) -> Diagnostic {
    let d = Diagnostic::error(code, msg);
    match span {
        Some(s) => d.at(path, text, s),
        None => d.in_file(path),
    }
}
