//! `[pdf]` of bulletin.toml: output options of the PDF edition.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Standard {
    /// The archival, accessible PDF: PDF/A-2a together with PDF/UA-1,
    /// checked at export (an A-2a file is also an A-2b file, so the old
    /// name `"pdf/a-2b"` still means this). The variant keeps its first
    /// name: the presentation digest of existing sign-offs spells it.
    #[default]
    #[serde(
        rename = "pdf/a-2a",
        alias = "pdf/a-2b",
        alias = "pdfa-2b",
        alias = "a2b",
        alias = "pdfa-2a",
        alias = "a2a"
    )]
    PdfA2b,
    /// A plain PDF 1.7.
    Plain,
}

/// `[pdf]` of bulletin.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfConfig {
    /// `"pdf/a-2a"` (default; PDF/A-2a + PDF/UA-1) or `"plain"`.
    pub standard: Standard,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_names() {
        let c: PdfConfig = toml::from_str("standard = \"plain\"").unwrap();
        assert_eq!(c.standard, Standard::Plain);
        for name in ["pdf/a-2a", "pdf/a-2b"] {
            let c: PdfConfig = toml::from_str(&format!("standard = \"{name}\"")).unwrap();
            assert_eq!(c.standard, Standard::PdfA2b);
        }
        assert_eq!(PdfConfig::default().standard, Standard::PdfA2b);
        assert!(toml::from_str::<PdfConfig>("standard = \"pdf/x\"").is_err());
        assert!(toml::from_str::<PdfConfig>("version = 2").is_err());
    }
}
