//! The HTML templates: defaults built into the binary, each overridable by
//! a file of the same name in the workspace's `templates/` folder. Rendered
//! with minijinja, autoescaping on for .html and .xml templates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};

/// The workspace folder that overrides default templates.
pub const TEMPLATES_DIR: &str = "templates";

/// Files in the workspace's templates/ folder read as templates; anything
/// else there (a README, pictures) is left alone.
pub const TEMPLATE_EXTENSIONS: &[&str] = &["html", "htm", "xml", "css", "txt", "jinja", "j2"];

/// The default templates, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("issue.html", include_str!("../../../templates/issue.html")),
    ("index.html", include_str!("../../../templates/index.html")),
    ("feed.xml", include_str!("../../../templates/feed.xml")),
    ("style.css", include_str!("../../../templates/style.css")),
];

/// Where a template's text came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The workspace file, or `None` for a built-in default.
    pub path: Option<PathBuf>,
    pub text: String,
}

/// A compiled set of templates.
pub struct Templates {
    env: Environment<'static>,
    sources: BTreeMap<String, TemplateSource>,
    root: PathBuf,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("names", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Templates {
    /// The defaults, overridden (and extended) by the files in
    /// `<root>/templates/`. Every template is compiled now, so a syntax error
    /// is reported before anything is rendered.
    pub fn load(root: &Path) -> Result<Templates, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut sources: BTreeMap<String, TemplateSource> = DEFAULTS
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    TemplateSource {
                        path: None,
                        text: text.to_string(),
                    },
                )
            })
            .collect();
        let dir = root.join(TEMPLATES_DIR);
        let boundary = crate::fsutil::Boundary::new(root);
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .flatten()
                    // Folders are skipped; anything else with a template's
                    // name (a symlink leading out, a FIFO) is refused by
                    // the boundary when read.
                    .filter(|e| !e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .filter(|p| !p.is_dir())
                    .filter(|p| {
                        p.file_name().is_some_and(|n| {
                            let n = n.to_string_lossy();
                            !n.starts_with('.') && !n.ends_with('~')
                        }) && p.extension().is_some_and(|e| {
                            TEMPLATE_EXTENSIONS
                                .iter()
                                .any(|x| e.eq_ignore_ascii_case(x))
                        })
                    })
                    .collect();
                files.sort();
                for path in files {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    match crate::source::read(&boundary, &path) {
                        Ok(src) => {
                            sources.insert(
                                name,
                                TemplateSource {
                                    path: Some(path),
                                    text: src.text,
                                },
                            );
                        }
                        Err(d) => diags.push(d),
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => diags.push(crate::source::io_error(&dir, &e)),
        }
        if diags.has_errors() {
            return Err(diags);
        }

        let mut env = Environment::new();
        env.set_debug(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_auto_escape_callback(|name| match name.rsplit('.').next() {
            Some("html" | "htm" | "xml" | "svg") => minijinja::AutoEscape::Html,
            _ => minijinja::AutoEscape::None,
        });
        let mut templates = Templates {
            env: Environment::new(),
            sources,
            root: root.to_path_buf(),
        };
        for (name, src) in &templates.sources {
            if let Err(e) = env.add_template_owned(name.clone(), src.text.clone()) {
                diags.push(templates.diagnostic(&e, name));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        templates.env = env;
        Ok(templates)
    }

    /// Every template's name and text, for the build's input hash.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &TemplateSource)> {
        self.sources.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// Render template `name` with `ctx`.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, Diagnostics> {
        let result = self
            .env
            .get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(&ctx)));
        result.map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(self.diagnostic(&e, name));
            d
        })
    }

    /// Where a template lives, for messages: its workspace file, or
    /// `templates/NAME` under the workspace for a built-in one.
    fn shown_path(&self, name: &str) -> (PathBuf, bool) {
        match self.sources.get(name).and_then(|s| s.path.clone()) {
            Some(p) => (p, false),
            None => (self.root.join(TEMPLATES_DIR).join(name), true),
        }
    }

    /// A template error as a Chinese diagnostic naming file and line. An
    /// error inside an included template is reported where it happened,
    /// with the include named in the hint.
    fn diagnostic(&self, outer: &minijinja::Error, rendering: &str) -> Diagnostic {
        let mut e = outer;
        let mut via = None;
        while let Some(inner) =
            std::error::Error::source(e).and_then(|s| s.downcast_ref::<minijinja::Error>())
        {
            if let (Some(n), Some(l)) = (e.name(), e.line()) {
                via = Some(format!("（由 {n} 第{l}行引用）"));
            }
            e = inner;
        }
        let name = e.name().unwrap_or(rendering).to_string();
        let (path, builtin) = self.shown_path(&name);
        let what = match e.kind() {
            ErrorKind::SyntaxError => "语法错误",
            ErrorKind::UndefinedError => "用到了不存在的变量或属性",
            ErrorKind::UnknownFilter => "用到了不存在的过滤器",
            ErrorKind::UnknownTest => "用到了不存在的判断",
            ErrorKind::UnknownFunction => "用到了不存在的函数",
            ErrorKind::UnknownMethod => "用到了不存在的方法",
            ErrorKind::TemplateNotFound => "引用的模板不存在",
            ErrorKind::BadInclude => "include 用法有误",
            ErrorKind::TooManyArguments | ErrorKind::MissingArgument => "函数参数个数不对",
            ErrorKind::InvalidOperation | ErrorKind::CannotUnpack => "运算无法进行",
            ErrorKind::BadEscape => "字符串里有无效的转义",
            _ => "渲染出错",
        };
        let kind = if builtin { "内置模板" } else { "模板" };
        let mut msg = format!("{kind} {name} {what}");
        let detail = e.detail().unwrap_or("").trim();
        let hint = if detail.is_empty() {
            "模板语法见 templates/README.md".to_string()
        } else {
            format!("模板引擎的说明：{detail}；模板语法见 templates/README.md")
        };
        if let Some(v) = via {
            msg.push_str(&v);
        }
        let text = self.sources.get(&name).map(|s| s.text.as_str());
        let d = match (text, e.range(), e.line()) {
            (Some(text), Some(r), _) if r.start <= text.len() => {
                let r = r.start..r.end.min(text.len());
                Diagnostic::error("E070", msg).at(&path, text, r)
            }
            (Some(text), None, Some(line)) => {
                let start = line_start(text, line);
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                Diagnostic::error("E070", msg).at(&path, text, start..end)
            }
            _ => {
                if let Some(line) = e.line() {
                    msg.push_str(&format!("（第{line}行）"));
                }
                Diagnostic::error("E070", msg).in_file(&path)
            }
        };
        d.with_hint(hint)
    }
}

/// Byte offset where 1-based `line` starts (the end of text if past it).
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bulletin-tpl-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(TEMPLATES_DIR)).unwrap();
        d
    }

    #[test]
    fn defaults_compile() {
        let d = temp("defaults");
        let t = Templates::load(&d).unwrap();
        assert!(t.sources().count() >= DEFAULTS.len());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let d = temp("syntax");
        std::fs::write(
            d.join("templates/index.html"),
            "<p>一</p>\n<p>二</p>\n{% if x %}\n<p>{{ x }</p>\n",
        )
        .unwrap();
        let err = Templates::load(&d).unwrap_err();
        let e = &err.items[0];
        let loc = e.location.as_ref().unwrap();
        assert!(loc.path.ends_with("templates/index.html"), "{loc:?}");
        assert_eq!(loc.line, 4, "{}", e.render(None));
        assert!(e.message.contains("语法错误"), "{}", e.message);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn autoescape_on_for_html_and_off_for_css() {
        let d = temp("escape");
        std::fs::write(d.join("templates/x.html"), "{{ v }}").unwrap();
        std::fs::write(d.join("templates/x.css"), "{{ v }}").unwrap();
        let t = Templates::load(&d).unwrap();
        let ctx = minijinja::context! { v => "<b>\"&" };
        assert_eq!(t.render("x.html", &ctx).unwrap(), "&lt;b&gt;&quot;&amp;");
        assert_eq!(t.render("x.css", &ctx).unwrap(), "<b>\"&");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn error_in_included_template_points_into_it() {
        let d = temp("include");
        std::fs::write(d.join("templates/part.css"), "a {}\n\n{{ nosuch.x }}\n").unwrap();
        std::fs::write(
            d.join("templates/z.html"),
            "一\n二\n{% include \"part.css\" %}\n",
        )
        .unwrap();
        let t = Templates::load(&d).unwrap();
        let err = t.render("z.html", minijinja::context! {}).unwrap_err();
        let e = &err.items[0];
        let loc = e.location.as_ref().unwrap();
        assert!(
            loc.path.ends_with("templates/part.css"),
            "{}",
            e.render(None)
        );
        assert_eq!(loc.line, 3);
        assert!(e.message.contains("由 z.html 第3行引用"), "{}", e.message);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn undefined_variable_is_an_error_with_line() {
        let d = temp("undef");
        std::fs::write(d.join("templates/y.html"), "一\n{{ issue.nosuch.x }}\n").unwrap();
        let t = Templates::load(&d).unwrap();
        let err = t
            .render(
                "y.html",
                minijinja::context! { issue => minijinja::context!{} },
            )
            .unwrap_err();
        let loc = err.items[0].location.as_ref().unwrap();
        assert_eq!(loc.line, 2, "{}", err.render(None));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
