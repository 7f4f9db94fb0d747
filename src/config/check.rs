//! `[check]` and `[units]` of bulletin.toml: rule levels, limits and the
//! known source units.

use serde::Deserialize;

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
