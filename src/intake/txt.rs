//! Plain-text submissions (`.txt`): the first non-empty line is the title,
//! the rest the body, one paragraph per line. Unit, date and category come
//! from the file name `单位_YYYY-MM-DD_标题.txt`, or from the command line
//! for what the name does not give.

use chrono::NaiveDate;

use crate::config::{Config, SectionStyle};
use crate::workspace::create::toml_string;

/// What the file name `单位_YYYY-MM-DD_标题.txt` gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameFields {
    pub unit: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Metadata given on the command line, used where the file name is silent.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub unit: Option<String>,
    pub date: Option<NaiveDate>,
    pub category: Option<String>,
}

/// `南召县民政局_2025-12-03_标题` → unit and date. Full-width underscores
/// and `20251203` are accepted too; anything else gives nothing.
pub fn parse_name(stem: &str) -> NameFields {
    let stem = stem.replace('＿', "_");
    let mut parts = stem.splitn(3, '_');
    let (Some(unit), Some(date)) = (parts.next(), parts.next()) else {
        return NameFields::default();
    };
    let unit = unit.trim();
    let date = parse_date(date.trim());
    match date {
        Some(d) if !unit.is_empty() => NameFields {
            unit: Some(unit.to_string()),
            date: Some(d),
        },
        _ => NameFields::default(),
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::dates::parse_iso(s).or_else(|| {
        (s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
            .flatten()
    })
}

/// Escape what CommonMark would read as markup, so plain text stays plain.
pub fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '!' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // Block markers at the start of a line: headings, lists, rules.
    let first = out.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        out.insert(0, '\\');
    } else {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

/// The problems with a .txt file's metadata, in Chinese.
pub type Problems = Vec<String>;

/// Turn a .txt file's normalised text into a submission's Markdown text.
pub fn to_markdown(
    file_stem: &str,
    text: &str,
    defaults: &Defaults,
    config: &Config,
) -> Result<String, Problems> {
    let name = parse_name(file_stem);
    let unit = name.unit.or_else(|| defaults.unit.clone());
    let date = name.date.or(defaults.date);
    let category = defaults
        .category
        .clone()
        .or_else(|| config.intake.category.clone());
    let mut problems = Vec::new();
    if unit.is_none() || date.is_none() {
        let mut missing = Vec::new();
        if unit.is_none() {
            missing.push("来源单位");
        }
        if date.is_none() {
            missing.push("日期");
        }
        problems.push(format!(
            "文件名“{file_stem}.txt”不符合“单位_YYYY-MM-DD_标题.txt”的格式，无法得知{}：请按此格式改名（例如 {}_{}_标题.txt），或导入时用 {} 指定",
            missing.join("和"),
            config.units.known.first().map_or("单位", String::as_str),
            date.unwrap_or_else(|| chrono::Local::now().date_naive())
                .format("%Y-%m-%d"),
            missing
                .iter()
                .map(|m| if *m == "日期" { "--date" } else { "--unit" })
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    let style = match &category {
        None => {
            problems.push("不知道放入哪个栏目：导入时用 --category 指定（或在 bulletin.toml 的 [intake] 里写 category）".to_string());
            SectionStyle::Article
        }
        Some(c) => match config.section(c) {
            Some(s) => s.style,
            None => {
                problems.push(format!(
                    "栏目“{c}”没有在 bulletin.toml 中定义（{}）",
                    config.unknown_section_hint(c)
                ));
                SectionStyle::Article
            }
        },
    };
    let trimmed: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches([' ', '\t', '\u{3000}', '\u{a0}']))
        .collect();
    let first = trimmed.iter().position(|l| !l.is_empty());
    let rest: &[&str] = first.map_or(&[], |i| &trimmed[i + 1..]);
    let rest_is_empty = rest.iter().all(|l| l.is_empty());
    let (title, body) = match first {
        None => {
            problems.push("文件里没有任何文字".to_string());
            (None, Vec::new())
        }
        // A one-line 简讯 is all body, no title.
        Some(i) if rest_is_empty && style == SectionStyle::Brief => {
            (None, vec![escape_line(trimmed[i])])
        }
        Some(_) if rest_is_empty => {
            problems.push("第1个非空行是标题，但标题之后没有正文".to_string());
            (None, Vec::new())
        }
        Some(i) => (Some(trimmed[i]), paragraphs(rest)),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(unit), Some(date), Some(category)) = (unit, date, category) else {
        return Err(problems);
    };
    let mut md = String::from("+++\n");
    if let Some(t) = title {
        md.push_str(&format!("title = \"{}\"\n", toml_string(t)));
    }
    md.push_str(&format!(
        "unit = \"{}\"\ndate = {}\ncategory = \"{}\"\n+++\n",
        toml_string(&unit),
        date.format("%Y-%m-%d"),
        toml_string(&category)
    ));
    for para in body {
        md.push('\n');
        md.push_str(&para);
        md.push('\n');
    }
    Ok(md)
}

/// The body's paragraphs as Markdown. Text with blank lines between its
/// paragraphs keeps them (lines in between are joined, as when a sender
/// wrapped lines by hand); text without any is one paragraph per line, as
/// Word and WPS save it.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    let lines = &lines[start..end];
    let blank_separated = lines.iter().any(|l| l.is_empty());
    if !blank_separated {
        return lines.iter().map(|l| escape_line(l)).collect();
    }
    lines
        .split(|l| l.is_empty())
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.iter()
                .map(|l| escape_line(l))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_pattern() {
        let n = parse_name("南召县民政局_2025-12-03_开展冬季救助");
        assert_eq!(n.unit.as_deref(), Some("南召县民政局"));
        assert_eq!(n.date, NaiveDate::from_ymd_opt(2025, 12, 3));
        assert_eq!(
            parse_name("南召县民政局＿20251203＿标题").unit.as_deref(),
            Some("南召县民政局")
        );
        assert_eq!(parse_name("新建文本文档 (3)"), NameFields::default());
        assert_eq!(parse_name("南召县_2025-13-03_标题"), NameFields::default());
    }

    #[test]
    fn paragraphs_by_line_or_by_blank_line() {
        assert_eq!(paragraphs(&["一段。", "二段。"]), ["一段。", "二段。"]);
        assert_eq!(
            paragraphs(&["", "第一段前半", "第一段后半。", "", "", "第二段。", ""]),
            ["第一段前半\n第一段后半。", "第二段。"]
        );
    }

    #[test]
    fn escaping_keeps_text_plain() {
        assert_eq!(escape_line("1. 预约办理"), "1\\. 预约办理");
        assert_eq!(escape_line("# 不是标题"), "\\# 不是标题");
        assert_eq!(escape_line("a*b*<c>"), "a\\*b\\*\\<c\\>");
        assert_eq!(escape_line("增长3.5%"), "增长3.5%");
    }
}
