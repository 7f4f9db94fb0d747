//! Parsing helpers for the HTML edition tests: a real HTML5 tokenizer
//! (html5gum) so the checks see what a browser would.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// A start tag: name and attributes (entity-decoded, as a browser sees them).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a page is made of, token by token.
#[derive(Debug, Default)]
pub struct Parsed {
    pub tags: Vec<Tag>,
    /// Text outside tags, entity-decoded, concatenated.
    pub text: String,
    pub comments: Vec<String>,
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn parse(html: &str) -> Parsed {
    let mut emitter = DefaultEmitter::default();
    // Raw text inside <style> / <title> as a browser tokenizes it.
    emitter.naively_switch_states(true);
    let mut p = Parsed::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => p.tags.push(Tag {
                name: s(&t.name),
                attrs: t
                    .attributes
                    .iter()
                    .map(|(k, v)| (s(k), s(&v.value)))
                    .collect(),
            }),
            Token::String(x) => p.text.push_str(&s(&x.value)),
            Token::Comment(c) => p.comments.push(s(&c.value)),
            _ => {}
        }
    }
    p
}

/// Every element the HTML edition may contain.
pub const ALLOWED_TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "link",
    "body",
    "div",
    "header",
    "main",
    "section",
    "article",
    "footer",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "span",
    "time",
    "strong",
    "em",
    "code",
    "a",
    "br",
    "wbr",
    "ol",
    "ul",
    "li",
    "blockquote",
    "figure",
    "img",
    "figcaption",
    "pre",
];

/// Every problem that would make submitted text live markup. Empty = safe.
pub fn live_markup(html: &str) -> Vec<String> {
    let p = parse(html);
    let mut bad = Vec::new();
    let mut styles = 0;
    for t in &p.tags {
        if !ALLOWED_TAGS.contains(&t.name.as_str()) {
            bad.push(format!("unexpected element <{}>", t.name));
        }
        if t.name == "style" {
            styles += 1;
        }
        for (name, value) in &t.attrs {
            let n = name.to_ascii_lowercase();
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if n.starts_with("on") {
                bad.push(format!("event handler {name}=\"{value}\" on <{}>", t.name));
            }
            if matches!(
                n.as_str(),
                "style" | "srcdoc" | "formaction" | "xlink:href" | "action"
            ) {
                bad.push(format!("attribute {name} on <{}>", t.name));
            }
            if v.contains("javascript:") || v.contains("vbscript:") {
                bad.push(format!("script URL in {name}=\"{value}\""));
            }
            let safe_link = v.starts_with("http://")
                || v.starts_with("https://")
                || v.starts_with("mailto:")
                || v.starts_with('#')
                // A relative path: no scheme before the first / ? #.
                || (!v.starts_with("//")
                    && !v.split(['/', '?', '#']).next().unwrap_or("").contains(':'));
            let raster = ["png", "jpeg", "gif", "webp"]
                .iter()
                .any(|m| v.starts_with(&format!("data:image/{m};base64,")));
            match (t.name.as_str(), n.as_str()) {
                ("a", "href") if !safe_link => bad.push(format!("link to \"{value}\"")),
                ("img", "src") if !raster => bad.push(format!("image source \"{value}\"")),
                ("link", "href") if v.starts_with("data:") || v.starts_with("//") => {
                    bad.push(format!("link element to \"{value}\""))
                }
                ("a" | "img" | "link", _) => {}
                (_, "src" | "href" | "content") if v.starts_with("data:") => {
                    bad.push(format!("data: URL in {name} on <{}>", t.name));
                }
                _ => {}
            }
        }
    }
    if styles > 1 {
        bad.push(format!("{styles} <style> elements"));
    }
    bad
}

/// Every URL the page would fetch by itself (not links the reader follows).
pub fn fetched_urls(html: &str) -> Vec<String> {
    let p = parse(html);
    let mut out = Vec::new();
    for t in &p.tags {
        for (name, value) in &t.attrs {
            let fetch = matches!(
                (t.name.as_str(), name.as_str()),
                ("img", "src")
                    | ("img", "srcset")
                    | ("link", "href")
                    | ("script", "src")
                    | ("iframe", "src")
                    | ("source", "src")
                    | ("video", "src")
                    | ("audio", "src")
                    | ("object", "data")
                    | ("embed", "src")
            );
            let is_nav_link =
                t.name == "link" && matches!(t.attr("rel"), Some("canonical") | Some("alternate"));
            if fetch && !is_nav_link {
                out.push(value.clone());
            }
        }
    }
    // url(...) in the stylesheet
    let mut rest = html;
    while let Some(i) = rest.find("url(") {
        let tail = &rest[i + 4..];
        let end = tail.find(')').unwrap_or(tail.len());
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    if html.contains("@import") {
        out.push("@import".to_string());
    }
    out
}
