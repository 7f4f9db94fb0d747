//! The archive: `out/index.html` (every issue, newest first) and the Atom
//! feed `out/feed.xml`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{ArchiveEntry, GENERATOR, HtmlSettings, Templates, escape};
use crate::diag::Diagnostics;

/// Variables of `index.html` and `feed.xml` about the publication.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub publisher: String,
    pub description: String,
    pub base_url: Option<String>,
    pub index_url: Option<String>,
    pub feed_url: Option<String>,
    /// Atom feed id: the feed's address, or a stable urn:uuid.
    pub id: String,
    /// Newest issue date (RFC 3339), the feed's `<updated>`.
    pub updated: String,
    pub generator: &'static str,
    pub version: &'static str,
}

/// One issue in the feed: the archive entry plus Atom fields.
#[derive(Debug, Serialize)]
pub struct FeedEntryView {
    #[serde(flatten)]
    pub entry: ArchiveEntry,
    pub id: String,
    pub updated: String,
    /// The item titles as an HTML list, unescaped (the template escapes it
    /// once more for `<content type="html">`).
    pub content_html: String,
}

#[derive(Serialize)]
struct ArchiveContext<'a, E: Serialize> {
    site: &'a SiteView,
    issues: &'a [E],
}

/// A UUID (version 5 layout, SHA-256 based) naming `what` stably.
fn stable_uuid(what: &str) -> String {
    let h = Sha256::digest(what.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE/F)
/// removed; a pasted form feed must not break the feed.
pub fn xml_clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !(matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
                || c == '\u{fffe}'
                || c == '\u{ffff}')
        })
        .collect()
}

/// RFC 3339 midnight in China (UTC+8) of an ISO date.
fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00+08:00")
}

/// Entries newest first: by date, then number.
pub fn sort_newest_first(entries: &mut [ArchiveEntry]) {
    entries.sort_by(|a, b| (&b.date, b.number).cmp(&(&a.date, a.number)));
}

pub(crate) fn site(
    title: &str,
    publisher: &str,
    entries: &[ArchiveEntry],
    s: &HtmlSettings,
) -> SiteView {
    let base = s.base_url.clone();
    let newest = entries.iter().map(|e| e.date.as_str()).max();
    SiteView {
        title: xml_clean(title),
        publisher: xml_clean(publisher),
        description: match entries.first() {
            Some(e) => xml_clean(&format!(
                "{}往期目录，共{}期，最新一期为{}（{}）",
                title,
                entries.len(),
                e.number_label,
                e.date_label
            )),
            None => format!("{title}往期目录"),
        },
        index_url: base.as_ref().map(|b| format!("{b}index.html")),
        feed_url: base.as_ref().map(|b| format!("{b}feed.xml")),
        id: match &base {
            Some(b) => format!("{b}feed.xml"),
            None => stable_uuid(&format!("bulletin feed {title}")),
        },
        updated: rfc3339(newest.unwrap_or("1970-01-01")),
        base_url: base,
        generator: GENERATOR,
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// `index.html`: `entries` must already be newest first.
pub fn render_index(
    title: &str,
    publisher: &str,
    entries: &[ArchiveEntry],
    settings: &HtmlSettings,
    templates: &Templates,
) -> Result<String, Diagnostics> {
    let site = site(title, publisher, entries, settings);
    templates.render(
        "index.html",
        ArchiveContext {
            site: &site,
            issues: entries,
        },
    )
}

/// The feed's entries, in the order given.
pub(crate) fn feed_entries(
    entries: &[ArchiveEntry],
    settings: &HtmlSettings,
) -> Vec<FeedEntryView> {
    entries
        .iter()
        .map(|e| {
            let mut content = String::from("<ul>");
            for t in &e.titles {
                content.push_str("<li>");
                content.push_str(&escape(t));
                content.push_str("</li>");
            }
            content.push_str("</ul>");
            let briefs = e.items.saturating_sub(e.titles.len());
            if briefs > 0 {
                content.push_str(&format!("<p>另有简讯{briefs}条</p>"));
            }
            let mut entry = e.clone();
            entry.title = xml_clean(&entry.title);
            entry.description = xml_clean(&entry.description);
            entry.titles = entry.titles.iter().map(|t| xml_clean(t)).collect();
            for a in &mut entry.articles {
                a.title = xml_clean(&a.title);
            }
            FeedEntryView {
                id: match &settings.base_url {
                    Some(b) => format!("{b}{}", e.href),
                    None => stable_uuid(&format!("bulletin issue {} {}", e.title, e.number)),
                },
                updated: rfc3339(&e.date),
                content_html: xml_clean(&content),
                entry,
            }
        })
        .collect()
}

/// `feed.xml`: `entries` must already be newest first.
pub fn render_feed(
    title: &str,
    publisher: &str,
    entries: &[ArchiveEntry],
    settings: &HtmlSettings,
    templates: &Templates,
) -> Result<String, Diagnostics> {
    let site = site(title, publisher, entries, settings);
    let feed = feed_entries(entries, settings);
    templates.render(
        "feed.xml",
        ArchiveContext {
            site: &site,
            issues: &feed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_stable_and_well_formed() {
        let a = stable_uuid("x");
        assert_eq!(a, stable_uuid("x"));
        assert_ne!(a, stable_uuid("y"));
        let u = a.strip_prefix("urn:uuid:").unwrap();
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('5'));
    }

    #[test]
    fn xml_clean_drops_controls_only() {
        assert_eq!(xml_clean("a\u{c}b\tc\nd\u{1}e"), "ab\tc\nde");
    }

    #[test]
    fn newest_first_by_date_then_number() {
        let e = |n: u32, d: &str| ArchiveEntry {
            number: n,
            title: String::new(),
            number_label: String::new(),
            total_label: None,
            date: d.to_string(),
            date_label: String::new(),
            href: String::new(),
            titles: vec![],
            articles: vec![],
            items: 0,
            description: String::new(),
            draft: false,
        };
        let mut v = vec![e(1, "2026-01-05"), e(39, "2025-12-08"), e(40, "2025-12-22")];
        sort_newest_first(&mut v);
        assert_eq!(v.iter().map(|e| e.number).collect::<Vec<_>>(), [1, 40, 39]);
    }
}
