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

pub fn check(issue: &Issue, limits: &Limits) -> Diagnostics {
    let mut out = Diagnostics::default();
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
                out.push(diag_at("D003", src, p.source_span(range), msg, Some(hint)));
            }
        }
    }
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
