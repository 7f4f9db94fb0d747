//! `bulletin.toml`: the publication, its sections, its end block and every
//! setting of the outputs, parsed and validated in one place. A mistake in
//! any section is reported when the configuration loads, at its line and
//! column; nothing downstream reads the file again.

pub mod check;
pub mod fonts;
pub mod html;
pub mod intake;
pub mod layout;
pub mod locate;
pub mod pdf;
pub mod reviewers;
pub mod sections;
pub mod toml_error;

use std::sync::Arc;

use serde::Deserialize;

pub use check::{CheckConfig, RuleLevel, UnitsConfig};
pub use fonts::{FontList, FontsConfig};
pub use html::HtmlConfig;
pub use intake::IntakeConfig;
pub use layout::{LayoutConfig, PT_PER_MM, PageNumbers};
pub use locate::{Located, TomlIndex};
pub use pdf::{PdfConfig, Standard};
pub use reviewers::{Reviewer, ReviewerConfig};
pub use sections::{FooterConfig, FooterLine, SectionConfig, SectionStyle};

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// The file name of the configuration at the root of every workspace.
pub const CONFIG_FILE: &str = "bulletin.toml";

/// How issues are numbered (`numbering` in bulletin.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    /// One running number: 第39期 (today's behaviour).
    #[default]
    Continuous,
    /// By year: 2026年第1期, 总第N期 alongside. The folder and `number` of
    /// issue.toml stay the running number; `year_number` is the number
    /// within the year of the date.
    Yearly,
}

/// bulletin.toml as written; [`Config::parse`] validates it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    publisher: String,
    #[serde(default)]
    numbering: Numbering,
    #[serde(default)]
    sections: Vec<SectionConfig>,
    #[serde(default)]
    footer: FooterConfig,
    #[serde(default)]
    fonts: Option<FontsConfig>,
    #[serde(default)]
    layout: Option<LayoutConfig>,
    #[serde(default)]
    pdf: Option<PdfConfig>,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    units: UnitsConfig,
    #[serde(default)]
    intake: IntakeConfig,
    #[serde(default)]
    html: Option<toml::Table>,
    #[serde(default)]
    reviewers: Vec<ReviewerConfig>,
}

/// The validated configuration of a workspace.
#[derive(Debug, Clone)]
pub struct Config {
    /// Masthead name, e.g. 南阳民政工作动态.
    pub title: String,
    /// 编印单位, masthead left.
    pub publisher: String,
    /// How issues are numbered: one running number, or by year.
    pub numbering: Numbering,
    /// Section order of every issue.
    pub sections: Vec<SectionConfig>,
    /// End block (版记) defaults.
    pub footer: FooterConfig,
    /// Font roles for the PDF.
    pub fonts: FontsConfig,
    /// Page geometry and type sizes for the PDF.
    pub layout: LayoutConfig,
    /// PDF output options.
    pub pdf: PdfConfig,
    /// Rule levels and limits for `bulletin check`.
    pub check: CheckConfig,
    /// Known source units.
    pub units: UnitsConfig,
    /// Intake settings (`bulletin intake`).
    pub intake: IntakeConfig,
    /// HTML edition settings.
    pub html: HtmlConfig,
    /// Registered reviewers and their public keys; empty when sign-offs are
    /// not authenticated by keys.
    pub reviewers: Vec<Reviewer>,
    /// The file itself with an index of its keys and values, to point
    /// later diagnostics at the right line and column.
    pub located: Located,
}

impl Config {
    /// Parse and validate `bulletin.toml`; every problem is reported.
    pub fn parse(src: &SourceFile) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        let raw: RawConfig = match toml::from_str(&src.text) {
            Ok(c) => c,
            Err(e) => {
                diags.push(toml_error::diagnostic(&src.path, &src.text, 0, &e));
                return Err(diags);
            }
        };
        let located = Located::new(Arc::new(src.clone()));
        if raw.title.trim().is_empty() {
            diags.push(located.error_at_key("title", "E015", "刊物名称 `title` 不能为空"));
        }
        if raw.sections.is_empty() {
            diags.push(
                Diagnostic::error("E015", "没有定义任何栏目：至少需要一个 [[sections]]")
                    .in_file(&src.path)
                    .with_hint("例如：\n[[sections]]\nname = \"工作动态\""),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in raw.sections.iter().enumerate() {
            if s.name.trim().is_empty() {
                diags.push(located.error_at_key(
                    &format!("sections.{i}.name"),
                    "E015",
                    "栏目名称 `name` 不能为空",
                ));
            } else if !seen.insert(s.name.as_str()) {
                diags.push(located.error_at_value(
                    &format!("sections.{i}.name"),
                    "E015",
                    &format!("栏目“{}”定义了两次", s.name),
                ));
            }
        }
        let html = match HtmlConfig::from_table(raw.html.as_ref(), &located) {
            Ok(h) => h,
            Err(d) => {
                diags.extend(d);
                HtmlConfig::default()
            }
        };
        let reviewers =
            match reviewers::parse(&raw.reviewers, raw.footer.editor.as_deref(), &located) {
                Ok(r) => r,
                Err(d) => {
                    diags.extend(d);
                    Vec::new()
                }
            };
        let layout = raw.layout.unwrap_or_default();
        for (key, msg) in layout.problems() {
            diags.push(located.error_at_key(&format!("layout.{key}"), "E082", &msg));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Config {
            title: raw.title,
            publisher: raw.publisher,
            numbering: raw.numbering,
            sections: raw.sections,
            footer: raw.footer,
            fonts: raw.fonts.unwrap_or_default(),
            layout,
            pdf: raw.pdf.unwrap_or_default(),
            check: raw.check,
            units: raw.units,
            intake: raw.intake,
            html,
            reviewers,
            located,
        })
    }

    /// The section named `name`.
    pub fn section(&self, name: &str) -> Option<&SectionConfig> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// What to tell a user who named `name`, which is not a section: the
    /// closest section name, if one is close, and every section.
    pub fn unknown_section_hint(&self, name: &str) -> String {
        let names: Vec<&str> = self.sections.iter().map(|s| s.name.as_str()).collect();
        match toml_error::closest(name, names.iter().copied()) {
            Some(b) => format!("是不是“{b}”？可用的栏目：{}", names.join("、")),
            None => format!("可用的栏目：{}", names.join("、")),
        }
    }

    /// The configuration file as read.
    pub fn source(&self) -> &SourceFile {
        &self.located.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(&SourceFile::new(
            PathBuf::from("bulletin.toml"),
            text.to_string(),
        ))
    }

    fn line_col(d: &Diagnostic) -> (usize, usize) {
        let l = d.location.as_ref().expect("located");
        (l.line, l.column)
    }

    #[test]
    fn an_empty_section_name_points_at_its_key_not_a_comment() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n# name of each section below\n\
                    [[sections]]\nname = \"工作动态\"\n[[sections]]\nname = \"\"\n";
        let d = parse(text).unwrap_err();
        assert_eq!(d.items.len(), 1, "{d:?}");
        assert_eq!(line_col(&d.items[0]), (7, 1));
    }

    #[test]
    fn a_layout_mistake_is_reported_at_load_at_its_key() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"a\"\n\
                    [layout]\n# title_size is the size of item titles\ntitle_size = 0\n";
        let d = parse(text).unwrap_err();
        assert_eq!(d.items[0].code, "E082");
        assert_eq!(line_col(&d.items[0]), (7, 1));
    }

    #[test]
    fn a_duplicate_section_points_at_the_second_name() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"简讯\"\n\
                    [[sections]]\nname = \"简讯\"\n";
        let d = parse(text).unwrap_err();
        assert_eq!(line_col(&d.items[0]), (6, 8));
    }

    #[test]
    fn unknown_html_keys_are_refused_at_load() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"a\"\n\
                    [html]\nbase_ur = \"https://x.cn/\"\n";
        let d = parse(text).unwrap_err();
        assert_eq!(d.items[0].code, "E071");
        assert_eq!(line_col(&d.items[0]), (6, 1));
    }
}
