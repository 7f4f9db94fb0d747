//! Dates: an item dated after the issue (D001), an item much older than the
//! issue (D002), and dates in prose written with zero padding, a two-digit
//! year or dots/slashes/hyphens (D003, format-spec error 9).

use std::ops::Range;

use super::prose::{Prose, chars};
use super::{Limits, diag_at};
use crate::dates::format_cn;
use crate::diag::Diagnostics;
use crate::model::Issue;
use crate::source::SourceFile;

/// The value span of `key = value` in a submission's front matter.
pub fn front_value_span(src: &SourceFile, key: &str) -> Option<Range<usize>> {
    let text = &src.text;
    let mut pos = 0;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let t = line.trim();
        if t == "+++" {
            fences += 1;
            if fences == 2 {
                break;
            }
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let rest = &line[lead..];
        if let Some(after) = rest.strip_prefix(key)
            && let Some(eq) = after.trim_start().strip_prefix('=')
        {
            let v = eq.trim();
            let vstart = start + line.find(v).unwrap_or(lead);
            return Some(vstart..vstart + v.len());
        }
    }
    None
}

/// `11月28日` or `12月1日—12月4日` at the start of a text: the dates
/// (month, day) it names and the byte length of the opening.
fn opening_dates(text: &str) -> Option<(Vec<(u32, u32)>, usize)> {
    fn one(s: &str) -> Option<((u32, u32), usize)> {
        let m_len = s.chars().take_while(char::is_ascii_digit).count();
        let month: u32 = s.get(..m_len)?.parse().ok()?;
        let rest = s[m_len..].strip_prefix('月')?;
        let d_len = rest.chars().take_while(char::is_ascii_digit).count();
        let day: u32 = rest.get(..d_len)?.parse().ok()?;
        rest[d_len..].strip_prefix('日')?;
        Some((
            (month, day),
            m_len + '月'.len_utf8() + d_len + '日'.len_utf8(),
        ))
    }
    let (first, mut len) = one(text)?;
    let mut dates = vec![first];
    for sep in ['—', '至', '～', '-'] {
        if let Some(rest) = text[len..].strip_prefix(sep) {
            // 12月1日—4日 or 12月1日—12月4日
            let end = one(rest).or_else(|| {
                let d_len = rest.chars().take_while(char::is_ascii_digit).count();
                let day: u32 = rest.get(..d_len)?.parse().ok()?;
                rest[d_len..].strip_prefix('日')?;
                Some(((first.0, day), d_len + '日'.len_utf8()))
            });
            if let Some((d, l)) = end {
                dates.push(d);
                len += sep.len_utf8() + l;
            }
            break;
        }
    }
    Some((dates, len))
}

/// D004: a 简讯 opens with a date (11月28日，…) that is not its `date`.
fn brief_opening(issue: &Issue, out: &mut Diagnostics) {
    use chrono::Datelike;
    for section in &issue.sections {
        if section.style != crate::model::SectionStyle::Brief {
            continue;
        }
        for item in &section.items {
            let Some(p) = Prose::body(item).into_iter().next() else {
                continue;
            };
            let Some((dates, len)) = opening_dates(&p.text) else {
                continue;
            };
            let own = (item.date.month(), item.date.day());
            if dates.contains(&own) {
                continue;
            }
            let written = &p.text[..len];
            out.push(diag_at(
                "D004",
                &item.source,
                p.source_span(0..len),
                format!(
                    "简讯开头的日期“{written}”与稿件的 date（{}）不一致",
                    crate::dates::format_cn_short(item.date)
                ),
                Some("核对正文开头的日期和头信息的 date，两者应是同一天".to_string()),
            ));
        }
    }
}

pub fn check(issue: &Issue, limits: &Limits) -> Diagnostics {
    let mut out = Diagnostics::default();
    let mut d003 = super::Found::default();
    brief_opening(issue, &mut out);
    for item in issue.items() {
        let src = &item.source;
        let span = front_value_span(src, "date").unwrap_or(0..3);
        if item.date > issue.date {
            out.push(diag_at(
                "D001",
                src,
                span.clone(),
                format!(
                    "稿件日期 {} 晚于本期日期 {}",
                    format_cn(item.date),
                    format_cn(issue.date)
                ),
                Some("核对稿件的 date，或把稿件移到下一期".to_string()),
            ));
        } else {
            let age = (issue.date - item.date).num_days();
            if age > limits.max_age_days {
                out.push(diag_at(
                    "D002",
                    src,
                    span,
                    format!(
                        "稿件日期 {} 比本期日期早 {age} 天（超过 {} 天）",
                        format_cn(item.date),
                        limits.max_age_days
                    ),
                    Some("核对稿件的 date；旧闻是否还要刊登？期限可在 bulletin.toml 的 [check] max_age_days 设置".to_string()),
                ));
            }
        }
        let mut units: Vec<Prose> = Prose::title(item).into_iter().collect();
        units.extend(Prose::body(item));
        for p in &units {
            for (range, msg, hint) in prose_dates(&p.text) {
                if p.skipped(range.start) {
                    continue;
                }
                d003.at("D003", src, p.source_span(range), msg, Some(hint));
            }
        }
    }
    out.extend(d003.finish());
    out
}

/// Badly written dates in a text: (byte range, message, hint).
pub fn prose_dates(text: &str) -> Vec<(Range<usize>, String, String)> {
    let cs = chars(text);
    let mut out = Vec::new();
    let digits_from = |k: usize| {
        let mut j = k;
        while j < cs.len() && cs[j].1.is_ascii_digit() {
            j += 1;
        }
        j
    };
    let num = |a: usize, b: usize| -> u32 {
        cs[a..b].iter().fold(0u32, |n, &(_, c)| {
            n.saturating_mul(10).saturating_add(c as u32 - '0' as u32)
        })
    };
    let byte = |a: usize, b: usize| cs[a].0..cs[b - 1].0 + cs[b - 1].1.len_utf8();
    let mut k = 0;
    while k < cs.len() {
        if !cs[k].1.is_ascii_digit()
            || (k > 0 && (cs[k - 1].1.is_ascii_digit() || cs[k - 1].1 == '.'))
        {
            k += 1;
            continue;
        }
        let e = digits_from(k);
        let len = e - k;
        let next = cs.get(e).map(|&(_, c)| c);
        // 2024.6.1, 2024/06/01, 2024-6-1
        if len == 4 && matches!(next, Some('.' | '/' | '-')) {
            let sep = next.unwrap_or('.');
            let m_end = digits_from(e + 1);
            if (1..=2).contains(&(m_end - e - 1)) && cs.get(m_end).map(|&(_, c)| c) == Some(sep) {
                let d_end = digits_from(m_end + 1);
                let tail_ok = !cs
                    .get(d_end)
                    .is_some_and(|&(_, c)| c.is_ascii_digit() || c == sep || c == '.');
                if (1..=2).contains(&(d_end - m_end - 1)) && tail_ok {
                    let (y, m, d) = (num(k, e), num(e + 1, m_end), num(m_end + 1, d_end));
                    if let Some(date) = chrono::NaiveDate::from_ymd_opt(y as i32, m, d) {
                        let written: String = cs[k..d_end].iter().map(|&(_, c)| c).collect();
                        out.push((
                            byte(k, d_end),
                            format!("日期“{written}”不是正文的写法"),
                            format!("写成 {}", format_cn(date)),
                        ));
                        k = d_end;
                        continue;
                    }
                }
            }
        }
        // 06月, 08日
        if len == 2 && cs[k].1 == '0' && cs[k + 1].1 != '0' && matches!(next, Some('月' | '日')) {
            let u = next.unwrap_or('月');
            out.push((
                byte(k, e + 1),
                format!("日期“0{}{u}”前面补了零", cs[k + 1].1),
                format!("不补零：{}{u}", cs[k + 1].1),
            ));
        }
        // 25年6月
        if len == 2 && next == Some('年') {
            let m_end = digits_from(e + 1);
            if (1..=2).contains(&(m_end - e - 1))
                && cs.get(m_end).map(|&(_, c)| c) == Some('月')
                && (1..=12).contains(&num(e + 1, m_end))
            {
                let yy = num(k, e);
                out.push((
                    byte(k, e + 1),
                    format!("年份“{yy:02}年”只写了两位"),
                    format!("年份写全：20{yy:02}年"),
                ));
            }
        }
        k = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    fn limits() -> Limits {
        Limits {
            brief_max_chars: 200,
            title_max_chars: 40,
            max_age_days: 60,
        }
    }

    #[test]
    fn item_dates_against_the_issue() {
        let late = item("a.md", Some("标题"), "市局办公室", "2025-12-09", "正文。");
        let old = item("b.md", Some("标题二"), "市局办公室", "2025-09-30", "正文。");
        let ok = item("c.md", Some("标题三"), "市局办公室", "2025-10-09", "正文。");
        let d = check(&issue(vec![late, old, ok], vec![]), &limits());
        assert_eq!(codes(&d), vec!["D001@4:8", "D002@4:8"]);
        assert!(d.items[0].is_error() && !d.items[1].is_error());
    }

    #[test]
    fn prose_dates_fire() {
        let found = |t: &str| {
            prose_dates(t)
                .into_iter()
                .map(|(_, m, h)| format!("{m}|{h}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("2025年06月3日召开"),
            vec!["日期“06月”前面补了零|不补零：6月"]
        );
        assert_eq!(
            found("6月08日召开"),
            vec!["日期“08日”前面补了零|不补零：8日"]
        );
        assert_eq!(
            found("25年6月启动"),
            vec!["年份“25年”只写了两位|年份写全：2025年"]
        );
        assert_eq!(
            found("于2024.6.1印发"),
            vec!["日期“2024.6.1”不是正文的写法|写成 2024年6月1日"]
        );
        assert_eq!(
            found("于2024-06-01印发"),
            vec!["日期“2024-06-01”不是正文的写法|写成 2024年6月1日"]
        );
    }

    #[test]
    fn prose_dates_stay_silent() {
        for t in [
            "2025年12月8日上午9:30召开",
            "近25年来，累计救助3.5万人次",
            "比例为2024.5，增长10.25个百分点",
            "编号2024-118-3352的档案",
            "1—3月共办理100件",
        ] {
            assert!(prose_dates(t).is_empty(), "{t}: {:?}", prose_dates(t));
        }
    }

    #[test]
    fn brief_opening_date_matches_its_date() {
        let ok = item(
            "b1.md",
            None,
            "桐柏县民政局",
            "2025-12-03",
            "12月3日，桐柏县开展宪法宣传活动。",
        );
        let range = item(
            "b2.md",
            None,
            "卧龙区民政局",
            "2025-12-04",
            "12月1日—12月4日，卧龙区开展联合检查。",
        );
        let short = item(
            "b3.md",
            None,
            "卧龙区民政局",
            "2025-12-04",
            "12月1日—4日，卧龙区开展联合检查。",
        );
        let vague = item(
            "b4.md",
            None,
            "宛城区民政局",
            "2025-12-02",
            "近日，宛城区开展婚俗改革宣传。",
        );
        let d = check(&issue(vec![], vec![ok, range, short, vague]), &limits());
        assert!(d.is_empty(), "{:?}", codes(&d));
        let wrong = item(
            "b5.md",
            None,
            "桐柏县民政局",
            "2025-12-04",
            "12月3日，桐柏县开展宪法宣传活动。",
        );
        let d = check(&issue(vec![], vec![wrong]), &limits());
        assert_eq!(codes(&d), vec!["D004@6:1"]);
        assert!(d.items[0].message.contains("“12月3日”") && d.items[0].message.contains("12月4日"));
    }

    #[test]
    fn body_date_located() {
        let it = item(
            "a.md",
            Some("标题"),
            "市局办公室",
            "2025-12-01",
            "于2025年06月3日召开。",
        );
        let d = check(&issue(vec![it], vec![]), &limits());
        assert_eq!(codes(&d), vec!["D003@7:7"]);
    }
}
