//! Dates as GB/T 15835 wants them in prose: 2025年12月8日.

use chrono::{Datelike, NaiveDate};

/// `2025年12月8日`: Arabic numerals, full year, no zero padding.
pub fn format_cn(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// `12月8日`, as a 简讯 item opens.
pub fn format_cn_short(date: NaiveDate) -> String {
    format!("{}月{}日", date.month(), date.day())
}

/// Parse `YYYY-MM-DD` strictly.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parse a date as an editor types it: `2025-12-22`, `2025.12.22`,
/// `2025/12/22` or `2025年12月22日` (month and day with or without a
/// leading zero; full-width digits accepted).
pub fn parse_loose(s: &str) -> Option<NaiveDate> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '．' => '.',
            '／' => '/',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        let sep = s.chars().find(|c| matches!(c, '-' | '.' | '/'))?;
        s.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str, max_len: usize| -> Option<u32> {
        let p = p.trim();
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    if y.trim().len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_zero_padding() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 8).unwrap();
        assert_eq!(format_cn(d), "2025年12月8日");
        assert_eq!(format_cn_short(d), "12月8日");
        assert_eq!(parse_iso("2025-12-08"), Some(d));
        assert_eq!(parse_iso("2025-13-08"), None);
        assert_eq!(parse_iso("2025-2-8"), None);
    }

    #[test]
    fn loose_forms() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 22).unwrap();
        for s in [
            "2025-12-22",
            "2025.12.22",
            "2025/12/22",
            "2025年12月22日",
            "２０２５年１２月２２日",
            " 2025-12-22 ",
        ] {
            assert_eq!(parse_loose(s), Some(d), "{s}");
        }
        let e = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(parse_loose("2026.1.5"), Some(e));
        assert_eq!(parse_loose("2026年1月5日"), Some(e));
        for s in [
            "2025-13-01",
            "2025.12",
            "2025-12/22",
            "25-12-22",
            "2025年12月22",
            "2025-02-30",
            "",
            "第48期",
            "2025-12-22-1",
        ] {
            assert_eq!(parse_loose(s), None, "{s}");
        }
    }
}
