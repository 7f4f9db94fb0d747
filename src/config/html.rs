//! `[html]` of bulletin.toml: settings of the HTML edition.

use super::locate::Located;
use crate::diag::{Diagnostic, Diagnostics};

/// `[html]` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlConfig {
    /// Where the `out/` folder is published, e.g.
    /// `https://mzj.example.gov.cn/gzdt/`; gives absolute links in the feed
    /// and `og:url`.
    pub base_url: Option<String>,
}

impl HtmlConfig {
    /// Read `[html]`; unknown keys and bad values are errors pointing into
    /// bulletin.toml.
    pub fn from_table(table: Option<&toml::Table>, at: &Located) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut s = HtmlConfig::default();
        let Some(table) = table else {
            return Ok(s);
        };
        for (key, value) in table {
            let path = format!("html.{key}");
            match key.as_str() {
                "base_url" => match value.as_str() {
                    Some(u) if is_http_url(u) => {
                        let mut u = u.trim().to_string();
                        if !u.ends_with('/') {
                            u.push('/');
                        }
                        s.base_url = Some(u);
                    }
                    _ => diags.push(
                        at.at_key(
                            Diagnostic::error(
                                "E071",
                                "[html] 的 base_url 应是以 http:// 或 https:// 开头的网址",
                            )
                            .with_hint("例如：base_url = \"https://mzj.example.gov.cn/gzdt/\""),
                            &path,
                        ),
                    ),
                },
                other => {
                    let d = Diagnostic::error("E071", format!("[html] 里没有 `{other}` 这一项"))
                        .with_hint(
                            match crate::config::toml_error::closest(other, ["base_url"]) {
                                Some(c) => format!("是不是想写 `{c}`？[html] 只有 base_url 一项"),
                                None => "[html] 只有 base_url 一项".to_string(),
                            },
                        );
                    diags.push(at.at_key(d, &path));
                }
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(s)
        }
    }
}

fn is_http_url(u: &str) -> bool {
    let u = u.trim();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.contains(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}
