//! Plain-text submissions (`.txt`): the first non-empty line is the title,
//! the rest the body, one paragraph per line (or per blank-line-separated
//! block, where an indented line still starts a new paragraph). The unit
//! comes from a trailing （单位） line, the file name
//! (`单位_YYYY-MM-DD_标题.txt`, or a known unit at its start:
//! `罗山县民政局关于养老服务工作的信息.txt`) or the command line; the date
//! from a trailing date line, a date anywhere in the file name (2025-12-03,
//! 2025.12.3, 20251203, 2025年12月3日) or the command line.

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
/// are accepted, and the date as 2025-12-03, 2025.12.3, 20251203 or
/// 2025年12月3日; anything else gives nothing.
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

/// What a file name gives, as clerks name files: the
/// `单位_YYYY-MM-DD_标题` pattern, else a unit of `known` at the start of
/// the name and a date anywhere in it.
pub fn name_fields(stem: &str, known: &[String]) -> NameFields {
    let n = parse_name(stem);
    if n.unit.is_some() {
        return n;
    }
    let unit = known
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty() && stem.starts_with(k))
        .max_by_key(|k| k.len())
        .map(str::to_string);
    NameFields {
        unit,
        date: date_in(stem),
    }
}

/// The first date written anywhere in `s`: a run of digits and date
/// separators that reads as one.
fn date_in(s: &str) -> Option<NaiveDate> {
    let is_part = |c: char| c.is_ascii_digit() || "-./年月日".contains(c);
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let run = &rest[i..];
        let len = run.find(|c: char| !is_part(c)).unwrap_or(run.len());
        let token = run[..len].trim_end_matches(['-', '.', '/', '年', '月']);
        if let Some(d) = parse_date(token) {
            return Some(d);
        }
        rest = &run[len.max(1)..];
    }
    None
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    super::docx::meta::text_date(s)
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
    let known = &config.units.known;
    let mut lines: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    // The end of the text: a date line and a （单位） line, in either order.
    let (mut end_unit, mut end_date) = (None, None);
    for _ in 0..2 {
        let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) else {
            break;
        };
        let t = lines[last].trim_matches(INDENT);
        if end_date.is_none()
            && let Some(d) = super::docx::meta::text_date(t)
        {
            end_date = Some(d);
        } else if end_unit.is_none()
            && let Some(u) = super::docx::meta::bracketed_unit(t)
                .filter(|u| super::docx::meta::unit_like(u, known))
        {
            end_unit = Some(u);
        } else {
            break;
        }
        lines.truncate(last);
    }
    let name = name_fields(file_stem, known);
    let unit = end_unit.or(name.unit).or_else(|| defaults.unit.clone());
    let date = end_date.or(name.date).or(defaults.date);
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
            "无法得知{}：文末没有（单位）或日期，文件名“{file_stem}.txt”也不符合“单位_YYYY-MM-DD_标题.txt”的格式：请在文末写上（单位），或按此格式改名（例如 {}_{}_标题.txt），或导入时用 {} 指定",
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
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim_matches(INDENT)).collect();
    let first = trimmed.iter().position(|l| !l.is_empty());
    let rest: &[&str] = first.map_or(&[], |i| &lines[i + 1..]);
    let rest_is_empty = rest.iter().all(|l| l.trim_matches(INDENT).is_empty());
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

/// Indentation as typed: spaces, tabs, full-width and no-break spaces.
const INDENT: [char; 4] = [' ', '\t', '\u{3000}', '\u{a0}'];

/// The body's paragraphs as Markdown, from its lines as written (with
/// their indentation). Text with blank lines between its paragraphs keeps
/// them (lines in between are joined, as when a sender wrapped lines by
/// hand, except that an indented line starts a new paragraph); text
/// without any is one paragraph per line, as Word and WPS save it.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let blank = |l: &&str| l.trim_matches(INDENT).is_empty();
    let start = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !blank(l))
        .map_or(start, |i| i + 1);
    let lines = &lines[start..end];
    let blank_separated = lines.iter().any(blank);
    let text = |l: &str| escape_line(l.trim_matches(INDENT));
    if !blank_separated {
        return lines.iter().map(|l| text(l)).collect();
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut open = false;
    for l in lines {
        if blank(l) {
            open = false;
            continue;
        }
        if !open || l.starts_with(INDENT) {
            out.push(Vec::new());
            open = true;
        }
        out.last_mut().expect("a paragraph is open").push(text(l));
    }
    out.into_iter().map(|p| p.join("\n")).collect()
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
    fn names_as_clerks_write_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (name, date) in [
            ("新县民政局_2026.12.3_标题", d(2026, 12, 3)),
            ("新县民政局_2025年12月3日_标题", d(2025, 12, 3)),
            ("新县民政局_20251203_标题", d(2025, 12, 3)),
        ] {
            let n = parse_name(name);
            assert_eq!(n.unit.as_deref(), Some("新县民政局"), "{name}");
            assert_eq!(n.date, date, "{name}");
        }
        let known = vec!["罗山县民政局".to_string(), "罗山县".to_string()];
        let n = name_fields("罗山县民政局关于养老服务工作的信息", &known);
        assert_eq!(n.unit.as_deref(), Some("罗山县民政局"));
        assert_eq!(n.date, None);
        let n = name_fields("罗山县民政局关于养老服务工作的信息（2025.12.3）", &known);
        assert_eq!(n.date, d(2025, 12, 3));
        let n = name_fields("养老服务2025年12月3日", &known);
        assert_eq!((n.unit, n.date), (None, d(2025, 12, 3)));
        assert_eq!(
            name_fields("新建文本文档 (3)", &known),
            NameFields::default()
        );
        assert_eq!(date_in("第2025.13.3期"), None);
    }

    #[test]
    fn indented_lines_start_paragraphs_in_blank_separated_text() {
        assert_eq!(
            paragraphs(&["　　第一段，", "接着。", "　　第二段。", "", "第三段。"]),
            ["第一段，\n接着。", "第二段。", "第三段。"]
        );
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
