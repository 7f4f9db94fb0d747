//! Build a small issue in memory for unit tests.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::model::{Footer, Issue, Item, Section, SectionStyle, markdown};
use crate::source::SourceFile;

pub fn date(s: &str) -> NaiveDate {
    crate::dates::parse_iso(s).unwrap()
}

/// An item from a title (None for 简讯) and Markdown body.
pub fn item(file: &str, title: Option<&str>, unit: &str, d: &str, body: &str) -> Item {
    let mut text = String::from("+++\n");
    let title_span = title.map(|t| {
        text.push_str("title = ");
        let s = text.len();
        text.push_str(&format!("\"{t}\""));
        let span = s..text.len();
        text.push('\n');
        span
    });
    text.push_str("unit = ");
    let us = text.len();
    text.push_str(&format!("\"{unit}\""));
    let unit_span = us..text.len();
    text.push_str(&format!("\ndate = {d}\n+++\n\n"));
    let body_start = text.len();
    text.push_str(body);
    text.push('\n');
    let source = SourceFile::new(PathBuf::from(format!("/ws/issues/39/{file}")), text);
    let (blocks, _) = markdown::parse_body(&source, body_start, std::path::Path::new("/ws"));
    Item {
        source: Arc::new(source),
        title: title.map(str::to_string),
        title_span,
        unit: unit.to_string(),
        unit_span,
        date: date(d),
        excerpt: false,
        blocks,
    }
}

pub fn issue(articles: Vec<Item>, briefs: Vec<Item>) -> Issue {
    Issue {
        config_files: Vec::new(),
        reviewers: Vec::new(),
        presentation: String::new(),
        files: Default::default(),
        root: PathBuf::from("/ws"),
        title: "南阳民政工作动态".into(),
        publisher: "南阳市民政局办公室".into(),
        number: 39,
        total_number: None,
        year_number: None,
        date: date("2025-12-08"),
        sections: vec![
            Section {
                name: "工作动态".into(),
                heading: None,
                style: SectionStyle::Article,
                items: articles,
            },
            Section {
                name: "简讯".into(),
                heading: None,
                style: SectionStyle::Brief,
                items: briefs,
            },
        ],
        footer: Footer::default(),
    }
}

/// Codes of the diagnostics, with the line:col of each.
pub fn codes(d: &crate::diag::Diagnostics) -> Vec<String> {
    d.items
        .iter()
        .map(|d| match &d.location {
            Some(l) => format!("{}@{}:{}", d.code, l.line, l.column),
            None => d.code.to_string(),
        })
        .collect()
}
