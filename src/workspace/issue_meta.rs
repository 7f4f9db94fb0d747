//! `issues/<N>/issue.toml`: the number, date and overrides of one issue.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::config::FooterConfig;
use crate::diag::Diagnostics;
use crate::source::SourceFile;

pub const ISSUE_FILE: &str = "issue.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueMeta {
    pub number: u32,
    #[serde(with = "crate::config::toml_error::date")]
    pub date: NaiveDate,
    /// 总第N期, printed when set.
    #[serde(default)]
    pub total_number: Option<u32>,
    /// The number within the year (`numbering = "yearly"`): 2026年第1期.
    #[serde(default)]
    pub year_number: Option<u32>,
    /// Overrides of the publication's footer for this issue.
    #[serde(default)]
    pub footer: FooterConfig,
    /// File names, fixing the item order.
    #[serde(default)]
    pub order: Option<Vec<String>>,
}

impl IssueMeta {
    pub fn parse(src: &SourceFile) -> Result<IssueMeta, Diagnostics> {
        toml::from_str(&src.text).map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(crate::config::toml_error::diagnostic(
                &src.path, &src.text, 0, &e,
            ));
            d
        })
    }
}
