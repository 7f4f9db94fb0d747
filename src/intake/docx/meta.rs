//! What a paragraph's text says about the submission: a 来源 line, a
//! （单位） line, a date line, a numbered lead line, a caption; and the
//! document properties (`docProps/core.xml`).

use chrono::NaiveDate;

/// The lead-line level of `text`: `一、` → 1, `（一）` → 2, `1.` / `1．` /
/// `1、` → 3, `（1）` → 4. Whether a paragraph *starts* like a numbered
/// lead line (so it is no title); whether it is a heading is
/// [`crate::model::markdown::lead_line_level`], as in Markdown.
pub fn lead_level(text: &str) -> Option<u8> {
    let cn = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let mut it = text.chars();
    let first = it.next()?;
    if cn(first) {
        let n = text.chars().take_while(|c| cn(*c)).count();
        return (n <= 4 && text.chars().nth(n) == Some('、')).then_some(1);
    }
    if matches!(first, '（' | '(') {
        let inner: String = it
            .clone()
            .take_while(|c| !matches!(c, '）' | ')'))
            .collect();
        let closed = it
            .nth(inner.chars().count())
            .is_some_and(|c| matches!(c, '）' | ')'));
        if !closed || inner.is_empty() || inner.chars().count() > 4 {
            return None;
        }
        if inner.chars().all(cn) {
            return Some(2);
        }
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let n = text.chars().take_while(char::is_ascii_digit).count();
        let mut rest = text.chars().skip(n);
        return match (rest.next(), rest.next()) {
            (Some('.' | '．' | '、'), Some(c)) if !c.is_ascii_digit() && n <= 2 => Some(3),
            _ => None,
        };
    }
    None
}

/// Endings of unit names (民政局, 办公室, 服务中心, 街道, …).
const UNIT_ENDINGS: &[&str] = &[
    "局",
    "厅",
    "委",
    "委员会",
    "办",
    "办公室",
    "中心",
    "院",
    "站",
    "所",
    "会",
    "政府",
    "街道",
    "乡",
    "镇",
    "处",
    "科",
    "部",
    "股",
    "队",
    "馆",
    "园",
    "社",
    "司",
    "协会",
    "联合会",
    "分局",
];

/// Whether `s` reads as a unit's name (or is one of `[units] known`).
pub fn unit_like(s: &str, known: &[String]) -> bool {
    let s = s.trim();
    if known.iter().any(|k| k == s) {
        return true;
    }
    let n = s.chars().count();
    (2..=30).contains(&n)
        && !s
            .chars()
            .any(|c| c.is_whitespace() || "，。；：、！？,.;:!?“”\"".contains(c))
        && s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && UNIT_ENDINGS.iter().any(|e| s.ends_with(e))
}

/// A whole-text date: `2025年12月3日`, `2025-12-03`, `2025.12.3`,
/// `2025/12/3` (full-width digits too).
pub fn text_date(s: &str) -> Option<NaiveDate> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.strip_suffix('日').unwrap_or(&s);
    let parts: Vec<&str> = s.split(['年', '月', '-', '.', '/']).collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(num(parts[0])? as i32, num(parts[1])?, num(parts[2])?)
}

/// `来源：南召县民政局` (also 报送单位、供稿单位、信息来源) → the unit, and a
/// date written after it.
pub fn source_line(text: &str) -> Option<(String, Option<NaiveDate>)> {
    let t = text.trim();
    let rest = [
        "来源",
        "报送单位",
        "供稿单位",
        "信息来源",
        "稿件来源",
        "供稿",
    ]
    .iter()
    .find_map(|p| t.strip_prefix(p))?
    .trim_start();
    let rest = rest.strip_prefix(['：', ':'])?.trim();
    if rest.is_empty() {
        return None;
    }
    // "西峡县民政局　2025年12月3日"
    if let Some((unit, date)) = rest.rsplit_once(|c: char| c.is_whitespace() || c == '\u{3000}')
        && let Some(d) = text_date(date)
    {
        return Some((unit.trim().to_string(), Some(d)));
    }
    Some((rest.to_string(), None))
}

/// `（南召县民政局）` as the whole text → the unit.
pub fn bracketed_unit(text: &str) -> Option<String> {
    let t = text.trim();
    let inner = t
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    (!inner.is_empty() && !inner.contains(['（', '）', '(', ')'])).then(|| inner.to_string())
}

/// A paragraph ending in `（单位）` → (text before, unit).
pub fn trailing_unit<'t>(text: &'t str, known: &[String]) -> Option<(&'t str, String)> {
    let t = text.trim_end();
    let body = t.strip_suffix(['）', ')'])?;
    let open = body.rfind(['（', '('])?;
    let unit = body[open..].trim_start_matches(['（', '(']).trim();
    unit_like(unit, known).then(|| (t[..open].trim_end(), unit.to_string()))
}

/// A caption: starts with 图 and a number, or 图为.
pub fn caption_like(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix('图') else {
        return false;
    };
    t.chars().count() <= 120
        && rest.chars().next().is_some_and(|c| {
            c.is_ascii_digit() || "为一二三四五六七八九十０１２３４５６７８９ 　：:".contains(c)
        })
}

/// From `docProps/core.xml`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CoreProps {
    pub title: Option<String>,
    pub creator: Option<String>,
    pub last_modified_by: Option<String>,
    pub created: Option<NaiveDate>,
    pub modified: Option<NaiveDate>,
}

pub fn core_props(doc: &roxmltree::Document) -> CoreProps {
    let text = |name: &str| {
        doc.root_element()
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let date = |name: &str| {
        let t = text(name)?;
        chrono::DateTime::parse_from_rfc3339(&t)
            .ok()
            .map(|d| d.with_timezone(&chrono::Local).date_naive())
            .or_else(|| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok())
    };
    CoreProps {
        title: text("title"),
        creator: text("creator"),
        last_modified_by: text("lastModifiedBy"),
        created: date("created"),
        modified: date("modified"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_lines() {
        assert_eq!(lead_level("一、主要做法"), Some(1));
        assert_eq!(lead_level("十二、其他"), Some(1));
        assert_eq!(lead_level("（一）强化领导"), Some(2));
        assert_eq!(lead_level("(二)完善设施"), Some(2));
        assert_eq!(lead_level("1.建立台账"), Some(3));
        assert_eq!(lead_level("2、建立台账"), Some(3));
        assert_eq!(lead_level("1．建立台账"), Some(3));
        assert_eq!(lead_level("（1）入户"), Some(4));
        assert_eq!(lead_level("2025.12.3会议"), None);
        assert_eq!(lead_level("3.5万元"), None);
        assert_eq!(lead_level("一是加强领导"), None);
        assert_eq!(lead_level("（南召县民政局）"), None);
    }

    #[test]
    fn units_and_dates() {
        assert!(unit_like("南召县民政局", &[]));
        assert!(unit_like("西峡县社会福利中心", &[]));
        assert!(!unit_like("张三", &[]));
        assert!(!unit_like("python-docx", &[]));
        assert!(unit_like("张三", &["张三".to_string()]));
        let d = NaiveDate::from_ymd_opt(2025, 12, 3);
        assert_eq!(text_date("2025年12月3日"), d);
        assert_eq!(text_date("2025-12-03"), d);
        assert_eq!(text_date("2025.12.3"), d);
        assert_eq!(text_date("２０２５年１２月３日"), d);
        assert_eq!(text_date("2025年13月3日"), None);
        assert_eq!(text_date("12月3日"), None);
        assert_eq!(
            source_line("来源：西峡县民政局"),
            Some(("西峡县民政局".to_string(), None))
        );
        assert_eq!(
            source_line("报送单位: 西峡县民政局　2025年12月3日"),
            Some(("西峡县民政局".to_string(), d))
        );
        assert_eq!(source_line("来源于群众"), None);
        assert_eq!(
            bracketed_unit("（南召县民政局）").as_deref(),
            Some("南召县民政局")
        );
        assert_eq!(
            trailing_unit("全县完成改造。（南召县民政局）", &[]),
            Some(("全县完成改造。", "南召县民政局".to_string()))
        );
        assert_eq!(trailing_unit("增长（同比）", &[]), None);
        assert!(caption_like("图1 工作人员入户走访"));
        assert!(caption_like("图为工作人员入户走访"));
        assert!(!caption_like("图书馆开放"));
    }
}
