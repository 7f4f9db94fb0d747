//! The HTML edition: one self-contained page per issue (CSS inline, images
//! as data: URIs, no script, nothing fetched from another host), plus the
//! archive index and Atom feed of `bulletin build --all`.
//!
//! Item bodies are rendered to escaped HTML in Rust (`body`); everything
//! else reaches the page through minijinja templates ([`templates`]) with
//! autoescaping on. The variables the templates receive are the `*View`
//! structs below, documented for users in `templates/README.md`.

pub mod archive;
mod body;
pub mod templates;

use minijinja::Value;
use serde::{Deserialize, Serialize};

pub use body::{base64_into, escape, raster_mime};
pub use templates::{TEMPLATES_DIR, Templates};

use crate::diag::Diagnostics;
use crate::model::{Block, Issue, Item, SectionStyle, plain_text};

/// The tool name and version, as printed in `<meta name="generator">`.
pub const GENERATOR: &str = concat!("bulletin ", env!("CARGO_PKG_VERSION"));

/// `[html]` settings, validated when the configuration loads.
pub use crate::config::HtmlConfig as HtmlSettings;

/// Percent-encode a relative path for an href (keeps `/`, unreserved ASCII).
pub fn href_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() * 3);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One issue page, rendered.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub warnings: Diagnostics,
}

/// Variables of `issue.html`: the masthead.
#[derive(Debug, Serialize)]
pub struct IssueView {
    pub title: String,
    pub publisher: String,
    pub number: u32,
    pub number_label: String,
    pub total_number: Option<u32>,
    pub total_label: Option<String>,
    pub date: String,
    pub date_label: String,
    pub draft: bool,
    /// A draft's review code (审核码), printed beside the 送审稿 mark.
    pub review_code: Option<String>,
    pub file_name: String,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub name: String,
    pub heading: Option<String>,
    pub brief: bool,
    pub id: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub id: String,
    pub title: Option<String>,
    /// The title as escaped, safe HTML with `<wbr>` at every place the PDF
    /// may break it (word boundaries, [`crate::wordbreak::title_breaks`]);
    /// its text is `title`'s.
    pub title_html: Option<Value>,
    /// Heading level of the title (2, or 3 under a section heading).
    pub level: u8,
    pub unit: String,
    pub attribution: String,
    pub date: String,
    pub date_label: String,
    pub excerpt: bool,
    /// The body as escaped, safe HTML, （unit） at its end.
    pub body: Value,
    /// The body as plain text (no markup), for descriptions.
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct FooterLineView {
    pub label: String,
    pub text: String,
    /// `text` cut after each top-level 、，；, the mark kept with its
    /// entry (各县市区民政局（社会事业局），| 市局机关各科（室、局）、|
    /// 局属各单位。): the page wraps a line between entries first.
    pub entries: Vec<String>,
}

/// A distribution list's entries: `text` cut after every 、，； outside
/// brackets and quotes, each mark staying with the entry it ends.
pub fn list_entries(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in text.chars() {
        cur.push(c);
        match c {
            '（' | '(' | '《' | '“' | '‘' | '【' | '〔' => depth += 1,
            '）' | ')' | '》' | '”' | '’' | '】' | '〕' => depth -= 1,
            '、' | '，' | '；' if depth <= 0 => out.push(std::mem::take(&mut cur)),
            _ => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[derive(Debug, Serialize)]
pub struct StaffView {
    pub role: String,
    /// Empty when nobody has signed yet.
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct FooterView {
    pub lines: Vec<FooterLineView>,
    pub editor: Option<String>,
    pub signoffs: Vec<StaffView>,
    /// 编辑 then every sign-off role, in print order.
    pub staff: Vec<StaffView>,
    pub copies: Option<u32>,
    pub copies_label: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PageView {
    /// The document `<title>`: `南阳民政工作动态 第39期`, `（送审稿）` added
    /// to a draft.
    pub title: String,
    /// The first item's opening, for `<meta name="description">` and og.
    pub description: String,
    /// Absolute address of this page when `[html] base_url` is set.
    pub url: Option<String>,
    pub generator: &'static str,
}

/// Everything `issue.html` receives.
#[derive(Debug, Serialize)]
pub struct IssueContext {
    pub page: PageView,
    pub issue: IssueView,
    pub sections: Vec<SectionView>,
    pub footer: FooterView,
}

/// Up to `max` characters of `text`, whitespace collapsed, "……" if cut.
pub fn summarize(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut s: String = flat.chars().take(max).collect();
    s = s
        .trim_end_matches(['，', '、', '；', '：', ',', ' '])
        .to_string();
    s.push_str("……");
    s
}

/// Plain text of an item's blocks, paragraphs joined (images left out).
fn item_text(item: &Item) -> String {
    let mut s = String::new();
    crate::model::visit_blocks(&item.blocks, &mut |b| match b {
        Block::Paragraph(p) | Block::Heading { content: p, .. } => {
            s.push_str(&plain_text(p));
            s.push('\n');
        }
        Block::Code(c) => {
            s.push_str(c);
            s.push('\n');
        }
        Block::List { .. } | Block::Quote(_) | Block::Image(_) | Block::Table(_) => {}
    });
    s.trim_end().to_string()
}

/// `title` escaped, with `<wbr>` where it may break between words: with
/// `word-break: keep-all` on the title, a browser breaks it there only.
pub fn title_html(title: &str) -> String {
    let breaks = crate::wordbreak::title_breaks(title);
    let mut out = String::with_capacity(title.len() + breaks.len() * 5);
    let mut next = breaks.iter().peekable();
    let mut buf = [0u8; 4];
    for (i, c) in title.chars().enumerate() {
        if next.next_if(|&&b| b == i).is_some() {
            out.push_str("<wbr>");
        }
        body::escape_into(&mut out, c.encode_utf8(&mut buf));
    }
    out
}

/// The issue's masthead data.
pub fn issue_view(issue: &Issue) -> IssueView {
    IssueView {
        title: issue.title.clone(),
        publisher: issue.publisher.clone(),
        number: issue.number,
        number_label: issue.number_label(),
        total_number: issue.total_number,
        total_label: issue.total_label(),
        date: issue.date.format("%Y-%m-%d").to_string(),
        date_label: issue.date_label(),
        draft: issue.footer.draft,
        review_code: issue.footer.review_code.clone(),
        file_name: format!("{}.html", issue.file_stem()),
    }
}

/// The description of an issue: its first item's opening.
pub fn description(issue: &Issue) -> String {
    issue
        .items()
        .map(item_text)
        .find(|t| !t.trim().is_empty())
        // Paragraphs of Chinese text join without a space.
        .map(|t| summarize(&t.lines().map(str::trim).collect::<String>(), 110))
        .unwrap_or_else(|| format!("{}{}", issue.title, issue.number_label()))
}

/// Render an issue with the workspace's templates and settings.
pub fn render(issue: &Issue) -> Result<Page, Diagnostics> {
    let templates = Templates::load(&issue.root)?;
    render_with(issue, &templates, &HtmlSettings::default())
}

/// Render an issue with the given templates.
pub fn render_with(
    issue: &Issue,
    templates: &Templates,
    settings: &HtmlSettings,
) -> Result<Page, Diagnostics> {
    let (ctx, warnings) = issue_context(issue, settings);
    let html = templates.render("issue.html", &ctx)?;
    Ok(Page { html, warnings })
}

/// The variables of `issue.html` for an issue, and warnings about what the
/// web edition cannot show.
pub fn issue_context(issue: &Issue, settings: &HtmlSettings) -> (IssueContext, Diagnostics) {
    let mut warnings = Diagnostics::default();
    let iv = issue_view(issue);
    let mut n = 0;
    let sections: Vec<SectionView> = issue
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.items.is_empty())
        .map(|(si, s)| {
            let level = if s.heading.is_some() { 3 } else { 2 };
            let items = s
                .items
                .iter()
                .map(|it| {
                    n += 1;
                    let (html, w) = body::BodyWriter::new(it, level)
                        .with_files(&issue.files)
                        .render();
                    warnings.extend(w);
                    let title = match s.style {
                        SectionStyle::Brief => None,
                        SectionStyle::Article => it.title.clone(),
                    };
                    ItemView {
                        id: format!("item-{n}"),
                        title_html: title
                            .as_deref()
                            .map(|t| Value::from_safe_string(title_html(t))),
                        title,
                        level,
                        unit: it.unit.clone(),
                        attribution: it.attribution(),
                        date: it.date.format("%Y-%m-%d").to_string(),
                        date_label: crate::dates::format_cn(it.date),
                        excerpt: it.excerpt,
                        body: Value::from_safe_string(html),
                        text: item_text(it),
                    }
                })
                .collect();
            SectionView {
                name: s.name.clone(),
                heading: s.heading.clone(),
                brief: s.style == SectionStyle::Brief,
                id: format!("section-{}", si + 1),
                items,
            }
        })
        .collect();
    let f = &issue.footer;
    let signoffs: Vec<StaffView> = f
        .signoffs
        .iter()
        .map(|s| StaffView {
            role: s.role.clone(),
            name: s.name.clone().unwrap_or_default(),
        })
        .collect();
    let mut staff = Vec::new();
    if let Some(e) = &f.editor {
        staff.push(StaffView {
            role: "编辑".to_string(),
            name: e.clone(),
        });
    }
    staff.extend(signoffs.iter().map(|s| StaffView {
        role: s.role.clone(),
        name: s.name.clone(),
    }));
    let footer = FooterView {
        lines: f
            .lines
            .iter()
            .map(|l| FooterLineView {
                label: l.label.clone(),
                text: l.text.clone(),
                entries: list_entries(&l.text),
            })
            .collect(),
        editor: f.editor.clone(),
        signoffs,
        staff,
        copies: f.copies,
        copies_label: f.copies.map(|c| format!("（共印{c}份）")),
    };
    let page = PageView {
        title: format!(
            "{} {}{}",
            issue.title,
            issue.number_label(),
            if issue.footer.draft {
                "（送审稿）"
            } else {
                ""
            }
        ),
        description: description(issue),
        url: settings.base_url.as_ref().map(|b| {
            format!(
                "{b}{}",
                href_path(&format!("{}/{}", issue.number, iv.file_name))
            )
        }),
        generator: GENERATOR,
    };
    (
        IssueContext {
            page,
            issue: iv,
            sections,
            footer,
        },
        warnings,
    )
}

/// What the archive keeps of one issue (also stored between builds so an
/// unchanged issue need not be read again).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ArchiveEntry {
    pub number: u32,
    pub title: String,
    pub number_label: String,
    pub total_label: Option<String>,
    pub date: String,
    pub date_label: String,
    /// The issue page, relative to the archive index (percent-encoded).
    pub href: String,
    /// Item titles in print order (brief items have none).
    pub titles: Vec<String>,
    /// The same titles with a link to the item in the issue page.
    pub articles: Vec<ArticleLink>,
    /// How many items, briefs included.
    pub items: usize,
    pub description: String,
    pub draft: bool,
}

/// An article title in the archive, linking into its issue page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ArticleLink {
    pub title: String,
    /// `39/…html#item-2`, relative to the archive index.
    pub href: String,
}

impl ArchiveEntry {
    pub fn of(issue: &Issue) -> ArchiveEntry {
        let page = href_path(&format!("{}/{}.html", issue.number, issue.output_stem()));
        // Item anchors number every item in print order, as the page does.
        let mut articles = Vec::new();
        let mut n = 0;
        for s in &issue.sections {
            for it in &s.items {
                n += 1;
                if let (SectionStyle::Article, Some(t)) = (s.style, &it.title) {
                    articles.push(ArticleLink {
                        title: t.clone(),
                        href: format!("{page}#item-{n}"),
                    });
                }
            }
        }
        ArchiveEntry {
            articles,
            number: issue.number,
            title: issue.title.clone(),
            number_label: issue.number_label(),
            total_label: issue.total_label(),
            date: issue.date.format("%Y-%m-%d").to_string(),
            date_label: issue.date_label(),
            href: page,
            titles: issue
                .sections
                .iter()
                .filter(|s| s.style == SectionStyle::Article)
                .flat_map(|s| s.items.iter().filter_map(|i| i.title.clone()))
                .collect(),
            items: issue.items().count(),
            description: description(issue),
            draft: issue.footer.draft,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarize_cuts_on_characters() {
        assert_eq!(summarize("一二三", 5), "一二三");
        assert_eq!(summarize("一二三，四五六", 4), "一二三……");
        assert_eq!(summarize("a\n b", 10), "a b");
    }

    /// Every variable a template receives is documented in
    /// templates/README.md as `object.field`.
    #[test]
    fn readme_documents_every_template_variable() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let readme = std::fs::read_to_string(root.join("templates/README.md")).unwrap();
        let ws = crate::workspace::Workspace::open(&root).unwrap();
        let (issue, _) = crate::model::load_issue(&ws, Some(39)).unwrap();
        let (ctx, _) = issue_context(&issue, &HtmlSettings::default());
        let v = serde_json::to_value(&ctx).unwrap();
        let mut missing = Vec::new();
        let mut check = |prefix: &str, obj: &serde_json::Value| {
            for key in obj.as_object().unwrap().keys() {
                if !readme.contains(&format!("`{prefix}.{key}`")) {
                    missing.push(format!("{prefix}.{key}"));
                }
            }
        };
        check("page", &v["page"]);
        check("issue", &v["issue"]);
        check("footer", &v["footer"]);
        check("section", &v["sections"][0]);
        check("item", &v["sections"][0]["items"][0]);
        let entry = serde_json::to_value(ArchiveEntry::of(&issue)).unwrap();
        check("e", &entry);
        for field in ["label", "text", "role", "name"] {
            assert!(readme.contains(&format!("`{field}`")), "{field}");
        }
        let entries = [ArchiveEntry::of(&issue)];
        let site = archive::site("刊", "单位", &entries, &HtmlSettings::default());
        check("site", &serde_json::to_value(&site).unwrap());
        let feed = archive::feed_entries(&entries, &HtmlSettings::default());
        check("e", &serde_json::to_value(&feed[0]).unwrap());
        assert!(
            missing.is_empty(),
            "not in templates/README.md: {missing:?}"
        );
    }

    #[test]
    fn href_path_encodes_non_ascii() {
        assert_eq!(href_path("39/第39期.html"), "39/%E7%AC%AC39%E6%9C%9F.html");
        assert_eq!(href_path("a b\"<"), "a%20b%22%3C");
    }
}
