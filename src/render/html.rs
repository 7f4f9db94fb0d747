//! The HTML edition: one self-contained page per issue.

use std::fmt::Write as _;

use crate::model::{Block, Inline, Issue, Item, SectionStyle};

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn inlines(out: &mut String, content: &[Inline]) {
    for i in content {
        match i {
            Inline::Break => out.push_str("<br>"),
            Inline::Text(r) => {
                let mut s = escape(&r.text);
                if r.style.code {
                    s = format!("<code>{s}</code>");
                }
                if r.style.emphasis {
                    s = format!("<em>{s}</em>");
                }
                if r.style.strong {
                    s = format!("<strong>{s}</strong>");
                }
                if let Some(url) = &r.link {
                    s = format!(
                        "<a href=\"{}\" rel=\"noopener noreferrer\">{s}</a>",
                        escape(url)
                    );
                }
                out.push_str(&s);
            }
        }
    }
}

fn blocks(out: &mut String, content: &[Block], tail: Option<&str>) {
    // The attribution joins the last paragraph, if the item ends in one.
    let last_para = content
        .iter()
        .rposition(|b| matches!(b, Block::Paragraph(_)));
    let ends_in_para = last_para == Some(content.len().saturating_sub(1));
    for (i, b) in content.iter().enumerate() {
        match b {
            Block::Paragraph(p) => {
                out.push_str("<p>");
                inlines(out, p);
                if ends_in_para
                    && Some(i) == last_para
                    && let Some(t) = tail
                {
                    let _ = write!(out, "<span class=\"unit\">{}</span>", escape(t));
                }
                out.push_str("</p>\n");
            }
            Block::Heading { level, content } => {
                let h = (*level + 2).min(6);
                let _ = write!(out, "<h{h}>");
                inlines(out, content);
                let _ = writeln!(out, "</h{h}>");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                if *ordered {
                    let _ = write!(out, "<ol start=\"{start}\">");
                } else {
                    out.push_str("<ul>");
                }
                for item in items {
                    out.push_str("<li>");
                    blocks(out, item, None);
                    out.push_str("</li>");
                }
                out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>");
                blocks(out, inner, None);
                out.push_str("</blockquote>\n");
            }
            Block::Image(img) => {
                let _ = writeln!(
                    out,
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                    escape(&img.src),
                    escape(&img.caption),
                    escape(&img.caption)
                );
            }
            Block::Code(code) => {
                let _ = writeln!(out, "<pre>{}</pre>", escape(code));
            }
        }
    }
    if !ends_in_para && let Some(t) = tail {
        let _ = writeln!(
            out,
            "<p class=\"unit-line\"><span class=\"unit\">{}</span></p>",
            escape(t)
        );
    }
}

fn item(out: &mut String, item: &Item, brief: bool) {
    out.push_str("<article>\n");
    if !brief && let Some(t) = &item.title {
        let _ = writeln!(out, "<h2>{}</h2>", escape(t));
        if item.excerpt {
            out.push_str("<p class=\"excerpt\">（节选）</p>\n");
        }
    }
    blocks(out, &item.blocks, Some(&item.attribution()));
    out.push_str("</article>\n");
}

const CSS: &str = r#"body{margin:0;background:#f4f4f2;color:#111;font-family:"FangSong","仿宋","仿宋_GB2312","STFangsong","FandolFang","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:18px;line-height:1.8}
main{max-width:42em;margin:0 auto;background:#fff;padding:2em 1.5em}
header{text-align:center;border-bottom:2px solid #e60000;padding-bottom:.4em;margin-bottom:1.2em}
header h1{color:#e60000;font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimSun","宋体","Songti SC","Noto Serif CJK SC",serif;font-size:2em;letter-spacing:.1em;margin:.2em 0}
.number{margin:.2em 0}.meta{display:flex;justify-content:space-between;flex-wrap:wrap}
article h2{text-align:center;font-family:"SimSun","宋体","Songti SC","Noto Serif CJK SC",serif;font-weight:bold;font-size:1.25em}
p{text-indent:2em;margin:0;text-align:justify}.excerpt{text-align:center;text-indent:0;font-family:"KaiTi","楷体","STKaiti",serif}
strong{font-family:"SimHei","黑体","Heiti SC","Noto Sans CJK SC",sans-serif;font-weight:normal}em{font-style:normal;font-family:"KaiTi","楷体","STKaiti",serif}
section>h2.section{font-family:"SimHei","黑体",sans-serif;font-size:1.1em}
img{max-width:100%;height:auto}figure{margin:1em 0;text-align:center}
footer{margin-top:2em;border-top:2px solid #000;border-bottom:2px solid #000;font-size:.9em}
footer p{text-indent:0;padding-left:1em;border-bottom:1px solid #000}footer p:last-child{border-bottom:0}
.draft{color:#e60000;border:1px solid #e60000;display:inline-block;padding:0 .3em}
@media print{body{background:#fff}main{max-width:none;padding:0}@page{size:A4;margin:37mm 26mm 35mm 28mm}}"#;

/// Render the issue as one self-contained HTML page.
pub fn render(issue: &Issue) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("{} {}", issue.title, issue.number_label());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n",
        escape(&title)
    );
    if issue.footer.draft {
        out.push_str("<p class=\"draft\">送审稿</p>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(&issue.title));
    let _ = write!(out, "<p class=\"number\">{}", escape(&issue.number_label()));
    if let Some(t) = issue.total_label() {
        out.push_str(&escape(&t));
    }
    out.push_str("</p>\n");
    let _ = writeln!(
        out,
        "<p class=\"meta\"><span>{}</span><time datetime=\"{}\">{}</time></p>\n</header>",
        escape(&issue.publisher),
        issue.date.format("%Y-%m-%d"),
        escape(&issue.date_label())
    );
    for section in &issue.sections {
        if section.items.is_empty() {
            continue;
        }
        out.push_str("<section>\n");
        if let Some(h) = &section.heading {
            let _ = writeln!(out, "<h2 class=\"section\">{}</h2>", escape(h));
        }
        let brief = section.style == SectionStyle::Brief;
        for it in &section.items {
            item(&mut out, it, brief);
        }
        out.push_str("</section>\n");
    }
    out.push_str("<footer>\n");
    for line in &issue.footer.lines {
        let _ = writeln!(
            out,
            "<p>{}：{}</p>",
            escape(&line.label),
            escape(&line.text)
        );
    }
    out.push_str("<p class=\"staff\">");
    let mut staff = Vec::new();
    if let Some(e) = &issue.footer.editor {
        staff.push(format!("编辑：{}", escape(e)));
    }
    for s in &issue.footer.signoffs {
        staff.push(format!(
            "{}：{}",
            escape(&s.role),
            escape(s.name.as_deref().unwrap_or(""))
        ));
    }
    out.push_str(&staff.join("\u{3000}"));
    out.push_str("</p>\n</footer>\n</main>\n</body>\n</html>\n");
    out
}
