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
}
