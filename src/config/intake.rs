//! `[intake]` of bulletin.toml: the inbox of `bulletin intake`.

use serde::Deserialize;

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
