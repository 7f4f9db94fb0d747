//! Turning the toml crate's (English) errors into Chinese diagnostics.

use std::path::Path;

use crate::diag::Diagnostic;

/// Did-you-mean: the closest candidate within a small edit distance.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn backticked(msg: &str) -> Vec<&str> {
    msg.split('`').skip(1).step_by(2).collect()
}

fn type_name_cn(t: &str) -> &str {
    let t = t.trim();
    if t.starts_with("string") || t.contains("a string") {
        "字符串"
    } else if t.starts_with("integer")
        || t.contains("u32")
        || t.contains("i64")
        || t.contains("u64")
        || t.contains("integer")
    {
        "整数"
    } else if t.starts_with("boolean") || t.contains("a boolean") {
        "布尔值（true 或 false）"
    } else if t.contains("sequence") || t.contains("array") {
        "数组"
    } else if t.contains("map") || t.contains("table") || t.starts_with("struct") {
        "表"
    } else if t.contains("float") || t.contains("f64") || t.contains("f32") {
        "数值"
    } else if t.contains("date") {
        "日期"
    } else {
        t
    }
}

/// The toml parser's syntax messages in Chinese.
fn syntax_cn(msg: &str) -> Option<&'static str> {
    let first = msg.lines().next().unwrap_or("");
    let first = first.split(", expected").next().unwrap_or(first).trim();
    Some(match first {
        "missing assignment between key-value pairs"
        | "extra assignment between key-value pairs" => "键和值之间应当是一个 `=`",
        "string values must be quoted" | "missing opening quote" => {
            "文字要用英文双引号括起来，例如 title = \"标题\""
        }
        "invalid unquoted key" | "invalid key" | "unquoted keys cannot be empty" => {
            "键名不对：不加引号的键名只能用英文字母、数字、- 和 _"
        }
        "missing comma between array elements" => "数组的元素之间缺少英文逗号 `,`",
        "missing comma between key-value pairs" => "内联表的键值对之间缺少英文逗号 `,`",
        "extra comma in array" => "数组里多了一个逗号",
        "extra comma in inline table" => "内联表里多了一个逗号",
        "unclosed array" => "数组缺少结尾的 `]`",
        "unclosed inline table" => "内联表缺少结尾的 `}`",
        "unclosed table" => "表头缺少结尾的 `]`",
        "unclosed array table" => "表数组的表头缺少结尾的 `]]`",
        "invalid basic string" | "invalid string" => {
            "字符串不对：可能缺少结尾的双引号，或含有未转义的 `\\`"
        }
        "invalid literal string" => "单引号字符串不对：可能缺少结尾的单引号",
        "invalid multi-line basic string" | "invalid multi-line literal string" => {
            "多行字符串不对：可能缺少结尾的三个引号"
        }
        "missing escaped value" | "too few unicode value digits" => {
            "反斜杠 `\\` 后面的转义写法不对"
        }
        "missing value" | "missing value for key" | "key with no value" => "`=` 后面缺少值",
        "extra `=`" | "unexpected `=` in array" => "多了一个 `=`",
        "unexpected content" | "unexpected key or value" | "invalid key-value pair" => {
            "这里有多余的内容：一行只写一个 键 = 值"
        }
        "invalid value" => "值的写法不对：文字要加双引号，日期写成 2025-12-08，数字不加引号",
        "cannot recurse further; max recursion depth met" | "recursion limit" => {
            "数组或表嵌套的层数太多"
        }
        "unexpected leading zero" => "数字不能以 0 开头",
        "invalid comment character" => "注释里有不允许的控制字符",
        "carriage return must be followed by newline" => "回车符后面必须是换行符",
        "invalid date-time" => "日期时间的写法不对，日期写成 2025-12-08",
        "invalid boolean" => "布尔值只能写 true 或 false",
        "invalid integer number"
        | "invalid float"
        | "invalid fraction"
        | "invalid exponent"
        | "invalid mantissa" => "数字的写法不对",
        "invalid table" | "missing table open" => "表头的写法不对，例如 [footer]",
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "键名不能用多行字符串"
        }
        _ => return None,
    })
}

/// A raw control character on the line of a syntax error is the error:
/// TOML allows none in strings or comments. Named by code point.
fn control_in_line(path: &Path, text: &str, span: std::ops::Range<usize>) -> Option<Diagnostic> {
    let start = span.start.min(text.len());
    let start = (0..=start).rev().find(|&i| text.is_char_boundary(i))?;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let (at, c) = text[line_start..line_end]
        .char_indices()
        .find(|&(_, c)| crate::text::hostile(c) == Some(crate::text::Hostile::Control))?;
    let at = line_start + at;
    Some(
        Diagnostic::error(
            "E014",
            format!(
                "TOML 语法错误：这里有控制字符 {}，TOML 的字符串和注释里不允许",
                crate::text::describe_char(c)
            ),
        )
        .at(path, text, at..at + c.len_utf8())
        .with_hint("控制字符看不见，常是从别的软件复制时带进来的：把光标移到这里删去它，或把这几个字删掉重新输入"),
    )
}

/// A diagnostic for a toml error in `path` whose content is `text`.
/// `offset` is where the TOML starts inside the file (front matter).
pub fn diagnostic(path: &Path, text: &str, offset: usize, err: &toml::de::Error) -> Diagnostic {
    let msg = err.message().trim().to_string();
    let span = err.span().map(|s| s.start + offset..s.end + offset);
    if let Some(d) = span.clone().and_then(|s| control_in_line(path, text, s)) {
        return d;
    }
    let mut hint = None;
    let (code, message) = if let Some(rest) = msg.strip_prefix("unknown field") {
        let names = backticked(rest);
        let key = names.first().copied().unwrap_or("?");
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        if let Some(best) = closest(key, allowed.iter().copied()) {
            hint = Some(format!("是不是想写 `{best}`？"));
        } else if !allowed.is_empty() {
            hint = Some(format!("可用的键：{}", allowed.join("、")));
        }
        ("E011", format!("未知的键 `{key}`"))
    } else if let Some(rest) = msg.strip_prefix("missing field") {
        let key = backticked(rest).first().copied().unwrap_or("?").to_string();
        ("E010", format!("缺少必填的键 `{key}`"))
    } else if let Some(rest) = msg.strip_prefix("invalid type:") {
        let (found, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        (
            "E012",
            format!(
                "值的类型不对：应为{}，这里是{}",
                type_name_cn(expected),
                type_name_cn(found)
            ),
        )
    } else if let Some(rest) = msg.strip_prefix("unknown variant") {
        let names = backticked(rest);
        let v = names.first().copied().unwrap_or("?");
        hint = Some(format!(
            "可用的值：{}",
            names.iter().skip(1).copied().collect::<Vec<_>>().join("、")
        ));
        ("E012", format!("不认识的取值 `{v}`"))
    } else if msg.starts_with("duplicate key") {
        match backticked(&msg).first() {
            Some(key) => ("E013", format!("键 `{key}` 重复定义")),
            None => ("E013", "键重复定义".to_string()),
        }
    } else if msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        ("E012", "取值不对".to_string())
    } else if msg.starts_with("invalid date") || msg.starts_with("invalid time") {
        hint = Some("日期写成 2025-11-27 的形式，并且要是日历上真实存在的日子".to_string());
        ("E016", "不是有效的日期".to_string())
    } else if msg.starts_with("bulletin:") {
        (
            "E012",
            msg.trim_start_matches("bulletin:").trim().to_string(),
        )
    } else {
        match syntax_cn(&msg) {
            Some(cn) => ("E014", format!("TOML 语法错误：{cn}")),
            // The parser's own words are English: say where, not what.
            None => ("E014", "TOML 语法错误：这里的写法不对".to_string()),
        }
    };
    let mut d = Diagnostic::error(code, message);
    d = match span {
        Some(span) => d.at(path, text, span),
        None => d.in_file(path),
    };
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// Serde helper: a date given as a TOML date or as a "YYYY-MM-DD" string.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, de::Error};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Date(toml::value::Datetime),
        Text(String),
    }

    fn from_raw<E: Error>(raw: Raw) -> Result<NaiveDate, E> {
        match raw {
            Raw::Date(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                        .ok_or_else(|| E::custom("bulletin: 不是有效的日期"))
                }
                _ => Err(E::custom("bulletin: 日期只写年月日，例如 2025-12-08")),
            },
            Raw::Text(s) => crate::dates::parse_iso(&s).ok_or_else(|| {
                E::custom(format!(
                    "bulletin: “{s}”不是有效的日期，应写成 2025-12-08 的形式"
                ))
            }),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        from_raw(Raw::deserialize(d)?)
    }
}
