//! A submission: one Markdown file with TOML front matter between `+++`
//! lines. Every problem in it is reported, each at its line and column.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};

use crate::config::toml_error::closest;
use crate::config::{Config, SectionStyle};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::source::SourceFile;

/// A value with the byte span it came from in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub source: SourceFile,
    pub title: Option<Field<String>>,
    pub unit: Field<String>,
    pub date: Field<NaiveDate>,
    pub category: Field<String>,
    pub order: Option<Field<i64>>,
    pub excerpt: bool,
    /// Where the Markdown body starts in `source.text`.
    pub body_start: usize,
    /// Span of the front matter's opening `+++`.
    pub front_span: Range<usize>,
    /// False when the front matter had errors: the values it lacked are
    /// placeholders with an empty span (no title, unit "", date
    /// 0001-01-01, the first section). Only [`parse_partial`] returns such
    /// a submission, so that the body is still checked.
    pub complete: bool,
}

impl Submission {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_start..]
    }

    pub fn file_name(&self) -> String {
        self.source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Problems listed one by one per file; beyond that, a count.
pub const MAX_DIAGNOSTICS: usize = 50;

pub const KEYS: &[&str] = &["title", "unit", "date", "category", "order", "excerpt"];

fn key_cn(key: &str) -> &'static str {
    match key {
        "title" => "标题",
        "unit" => "来源单位",
        "date" => "日期",
        "category" => "栏目",
        "order" => "排序",
        "excerpt" => "是否节选",
        _ => "",
    }
}

/// The front matter's TOML text and where it and the body start.
struct Split {
    toml_start: usize,
    toml_end: usize,
    body_start: usize,
    open: Range<usize>,
}

fn split(src: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &src.text;
    // Leading blank lines are tolerated.
    let lead = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let lead = text[..lead].rfind('\n').map_or(0, |i| i + 1);
    let first_end = text[lead..].find('\n').map_or(text.len(), |i| lead + i);
    let first = text[lead..first_end].trim_end();
    if first == "---" {
        return Err(Diagnostic::error(
            "E020",
            "头信息用的是 YAML 的 `---`，本工具只认 TOML 的 `+++`",
        )
        .at(&src.path, text, lead..lead + 3)
        .with_hint("把首尾两行 `---` 改成 `+++`，并把 `键: 值` 改写成 TOML 的 `键 = \"值\"`"));
    }
    if first != "+++" {
        return Err(Diagnostic::error("E020", "文件开头缺少 `+++` 头信息")
            .at(&src.path, text, lead..first_end.max(lead + 1))
            .with_hint("投稿文件应以 `+++` 行开头，写明 title、unit、date、category，再以 `+++` 行结束；可用 `bulletin new` 生成"));
    }
    let open = lead..lead + 3;
    let toml_start = (first_end + 1).min(text.len());
    let mut pos = toml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            return Ok(Split {
                toml_start,
                toml_end: pos,
                body_start: (end + 1).min(text.len()),
                open,
            });
        }
        pos = end + 1;
    }
    Err(
        Diagnostic::error("E021", "头信息没有结束：找不到第二个 `+++` 行")
            .at(&src.path, text, open)
            .with_hint("在头信息的最后一个键后面加一行 `+++`，再写正文"),
    )
}

fn int_value(v: &DeValue) -> Option<i64> {
    let i = v.as_integer()?;
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

fn type_cn(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "字符串",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "布尔值",
        DeValue::Datetime(_) => "日期时间",
        DeValue::Array(_) => "数组",
        DeValue::Table(_) => "表",
    }
}

/// Parse one submission against the publication's sections.
pub fn parse(src: SourceFile, config: &Config) -> Result<Submission, Diagnostics> {
    match parse_partial(src, config) {
        (Some(s), diags) if !diags.has_errors() => Ok(s),
        (_, diags) => Err(diags),
    }
}

/// Parse one submission and report every problem; the submission comes
/// back even when its front matter has errors (marked not `complete`,
/// with placeholders), so that its body can still be checked. `None` only
/// when the body cannot be found (no `+++` lines).
pub fn parse_partial(src: SourceFile, config: &Config) -> (Option<Submission>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let path = src.path.clone();
    let text = &src.text;
    let sp = match split(&src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let toml_text = &text[sp.toml_start..sp.toml_end];
    // Recover from syntax errors so that every problem is reported at once.
    let (table, syntax_errors) = DeTable::parse_recoverable(toml_text);
    let table = table.into_inner();
    let syntax_ok = syntax_errors.is_empty();
    let bad_spans: Vec<Range<usize>> = syntax_errors.iter().filter_map(|e| e.span()).collect();
    for e in syntax_errors.iter().take(MAX_DIAGNOSTICS) {
        diags.push(crate::config::toml_error::diagnostic(
            &path,
            text,
            sp.toml_start,
            e,
        ));
    }
    let off = |r: Range<usize>| r.start + sp.toml_start..r.end + sp.toml_start;
    let index = LineIndex::new(text);
    let err = |code, msg: String, span: Range<usize>| {
        Diagnostic::error(code, msg).at_indexed(&path, text, &index, span)
    };

    let mut title = None;
    let mut unit = None;
    let mut date = None;
    let mut category: Option<Field<String>> = None;
    let mut order = None;
    let mut excerpt = false;

    for (key, value) in table.iter() {
        let k: &str = key.get_ref();
        let kspan = off(key.span());
        let vspan = off(value.span());
        let v = value.get_ref();
        let raw = value.span();
        if bad_spans
            .iter()
            .any(|b| b.start < raw.end && raw.start < b.end)
        {
            continue; // already reported as a syntax error
        }
        let wrong = |want: &str| {
            err(
                "E012",
                format!("`{k}`（{}）应为{want}，这里是{}", key_cn(k), type_cn(v)),
                vspan.clone(),
            )
        };
        match k {
            "title" | "unit" | "category" => match v.as_str() {
                Some(s) if s.trim().is_empty() => diags.push(err(
                    "E015",
                    format!("`{k}`（{}）不能为空", key_cn(k)),
                    vspan.clone(),
                )),
                Some(s) => {
                    let f = Field {
                        value: s.trim().to_string(),
                        span: vspan.clone(),
                    };
                    match k {
                        "title" => title = Some(f),
                        "unit" => unit = Some(f),
                        _ => category = Some(f),
                    }
                }
                None => diags.push(wrong("字符串，例如 \"……\"")),
            },
            "date" => {
                let parsed = match v {
                    DeValue::Datetime(dt) => match (dt.date, dt.time) {
                        (Some(d), None) => {
                            NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                        }
                        _ => None,
                    },
                    DeValue::String(s) => crate::dates::parse_iso(s),
                    _ => None,
                };
                match parsed {
                    Some(d) => {
                        date = Some(Field {
                            value: d,
                            span: vspan.clone(),
                        })
                    }
                    None => diags.push(
                        err(
                            "E016",
                            "`date`（日期）不是有效的日期".to_string(),
                            vspan.clone(),
                        )
                        .with_hint("写成 date = 2025-11-27 或 date = \"2025-11-27\""),
                    ),
                }
            }
            "order" => match int_value(v) {
                Some(n) => {
                    order = Some(Field {
                        value: n,
                        span: vspan.clone(),
                    })
                }
                None => diags.push(wrong("整数")),
            },
            "excerpt" => match v.as_bool() {
                Some(b) => excerpt = b,
                None => diags.push(wrong("true 或 false")),
            },
            _ => {
                let mut d = err("E011", format!("未知的键 `{k}`"), kspan);
                d = match closest(k, KEYS.iter().copied()) {
                    Some(best) => d.with_hint(format!("是不是想写 `{best}`（{}）？", key_cn(best))),
                    None => d.with_hint(format!("可用的键：{}", KEYS.join("、"))),
                };
                diags.push(d);
            }
        }
    }

    // Category must name a section.
    let mut style = SectionStyle::Article;
    if let Some(c) = &category {
        match config.section(&c.value) {
            Some(s) => style = s.style,
            None => {
                let hint = config.unknown_section_hint(&c.value);
                diags.push(
                    err(
                        "E017",
                        format!("栏目“{}”没有在 bulletin.toml 中定义", c.value),
                        c.span.clone(),
                    )
                    .with_hint(hint),
                );
            }
        }
    }

    let example = |k: &str| match k {
        "date" => "date = 2025-11-27".to_string(),
        "unit" => format!(
            "unit = \"{}\"",
            config
                .units
                .known
                .first()
                .map_or("来稿单位全称", String::as_str)
        ),
        "category" => format!(
            "category = \"{}\"",
            config
                .sections
                .first()
                .map_or("工作动态", |s| s.name.as_str())
        ),
        _ => "title = \"……\"".to_string(),
    };
    if syntax_ok {
        let mut absent = Vec::new();
        if title.is_none() && style == SectionStyle::Article && !table.contains_key("title") {
            absent.push("title");
        }
        for k in ["unit", "date", "category"] {
            if !table.contains_key(k) {
                absent.push(k);
            }
        }
        // One diagnostic for all of them: they share the `+++` position.
        if !absent.is_empty() {
            let keys: Vec<String> = absent
                .iter()
                .map(|k| format!("`{k}`（{}）", key_cn(k)))
                .collect();
            let examples: Vec<String> = absent.iter().map(|k| example(k)).collect();
            diags.push(
                Diagnostic::error("E010", format!("缺少必填的键 {}", keys.join("、")))
                    .at(&path, text, sp.open.clone())
                    .with_hint(format!("例如：{}", examples.join("；"))),
            );
        }
    }

    let body = &text[sp.body_start..];
    if body.trim().is_empty() {
        let at = sp.toml_end..(sp.toml_end + 3).min(text.len());
        diags.push(
            Diagnostic::error("E022", "正文为空：头信息之后没有内容")
                .at(&path, text, at)
                .with_hint("在第二个 `+++` 行下面写正文"),
        );
    }

    if diags.has_errors() {
        diags.sort();
        let total = diags.items.len().max(syntax_errors.len());
        if total > MAX_DIAGNOSTICS {
            diags.items.truncate(MAX_DIAGNOSTICS);
            diags.push(
                Diagnostic::error(
                    "E019",
                    format!(
                        "这个文件的问题太多，只列出了前 {MAX_DIAGNOSTICS} 个（共约 {total} 个）"
                    ),
                )
                .in_file(&path)
                .with_hint("先改正上面列出的问题，再重新检查"),
            );
        }
    }
    let complete = !diags.has_errors();
    fn placeholder<T>(value: T) -> Field<T> {
        Field { value, span: 0..0 }
    }
    // An unknown category falls back to the first section, as a missing one.
    let category = category
        .filter(|c| config.section(&c.value).is_some())
        .or_else(|| config.sections.first().map(|s| placeholder(s.name.clone())));
    let Some(category) = category else {
        return (None, diags);
    };
    let body_start = sp.body_start;
    let front_span = sp.open;
    let sub = Submission {
        source: src,
        title,
        unit: unit.unwrap_or_else(|| placeholder(String::new())),
        date: date.unwrap_or_else(|| placeholder(NaiveDate::MIN)),
        category,
        order,
        excerpt,
        body_start,
        front_span,
        complete,
    };
    (Some(sub), diags)
}
