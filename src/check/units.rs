//! U001: a source unit that `[units] known` in bulletin.toml does not list.
//! Silent when no list is configured.

use super::diag_at;
use crate::config::toml_error::closest;
use crate::diag::Diagnostics;
use crate::model::Issue;

pub fn check(issue: &Issue, known: &[String]) -> Diagnostics {
    let mut out = Diagnostics::default();
    if known.is_empty() {
        return out;
    }
    // Compared under their keys: a full-width letter, a space of any width
    // or an invisible character does not make a unit unknown, and cannot
    // make an unknown one pass for a known one either.
    let keys: std::collections::HashSet<String> =
        known.iter().map(|k| crate::text::name_key(k)).collect();
    for item in issue.items() {
        if keys.contains(&crate::text::name_key(&item.unit)) {
            continue;
        }
        let hint = match closest(&item.unit, known.iter().map(String::as_str)) {
            Some(best) => format!("是不是“{best}”？新单位请加到 bulletin.toml 的 [units] known"),
            None => "核对单位全称；新单位请加到 bulletin.toml 的 [units] known".to_string(),
        };
        out.push(diag_at(
            "U001",
            &item.source,
            item.unit_span.clone(),
            format!("来源单位“{}”不在已知单位名单里", item.unit),
            Some(hint),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{codes, issue, item};
    use super::*;

    #[test]
    fn unknown_unit_suggests_closest() {
        let known = vec!["南召县民政局".to_string(), "市局办公室".to_string()];
        let a = item("a.md", Some("标题"), "南召县民证局", "2025-12-01", "正文。");
        let b = item("b.md", Some("标题二"), "市局办公室", "2025-12-01", "正文。");
        let d = check(&issue(vec![a, b], vec![]), &known);
        assert_eq!(codes(&d), vec!["U001@3:8"]);
        assert!(d.items[0].hint.as_deref().unwrap().contains("南召县民政局"));
        // Spaces of any width and full-width letters are the same unit.
        let a = item(
            "a.md",
            Some("标题"),
            "南召县　民政局",
            "2025-12-01",
            "正文。",
        );
        let b = item(
            "b.md",
            Some("标题二"),
            "市局办公室 ",
            "2025-12-01",
            "正文。",
        );
        assert!(check(&issue(vec![a, b], vec![]), &known).is_empty());
        let a = item("a.md", Some("标题"), "任意单位", "2025-12-01", "正文。");
        assert!(check(&issue(vec![a], vec![]), &[]).is_empty());
    }
}
