//! `[pdf]` of bulletin.toml: output options of the PDF edition.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Standard {
    /// PDF/A-2b, checked at export.
    #[default]
    #[serde(rename = "pdf/a-2b", alias = "pdfa-2b", alias = "a2b")]
    PdfA2b,
    /// A plain PDF 1.7.
    Plain,
}

/// `[pdf]` of bulletin.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfConfig {
    /// `"pdf/a-2b"` (default) or `"plain"`.
    pub standard: Standard,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_names() {
        let c: PdfConfig = toml::from_str("standard = \"plain\"").unwrap();
        assert_eq!(c.standard, Standard::Plain);
        let c: PdfConfig = toml::from_str("standard = \"pdf/a-2b\"").unwrap();
        assert_eq!(c.standard, Standard::PdfA2b);
        assert_eq!(PdfConfig::default().standard, Standard::PdfA2b);
        assert!(toml::from_str::<PdfConfig>("standard = \"pdf/x\"").is_err());
        assert!(toml::from_str::<PdfConfig>("version = 2").is_err());
    }
}
