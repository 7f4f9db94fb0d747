//! Any bytes as a Word file dropped into the inbox: a whole .docx when
//! they start like a zip, else the body XML (word/document.xml) of a
//! minimal .docx built here. The reader never panics; what it accepts
//! must be a submission the build's own parsers accept without errors.
#![no_main]

use std::io::{Cursor, Write};

use bulletin::intake::{docx, txt};
use bulletin::model::markdown;
use bulletin::source::SourceFile;
use bulletin::workspace::submission;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn wrap(document: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(document).unwrap();
    z.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        wrap(data)
    };
    let defaults = txt::Defaults {
        unit: Some("南召县民政局".to_string()),
        date: chrono::NaiveDate::from_ymd_opt(2025, 12, 5),
        category: None,
    };
    let input = docx::Input {
        bytes: &bytes,
        file_stem: "稿件",
        defaults: &defaults,
        known_units: &[],
        brief: false,
        today: chrono::NaiveDate::from_ymd_opt(2025, 12, 8).unwrap(),
    };
    let Ok(d) = docx::read(&input) else {
        return;
    };
    // Every picture as the image that exists in the scratch issue.
    let names: Vec<String> = d.pictures.iter().map(|_| "照片.png".to_string()).collect();
    let text = d.markdown("工作动态", &names);
    let path = common::root().join("issues/39/稿件.md");
    let src = SourceFile::new(path.clone(), text.clone());
    let sub = submission::parse(src.clone(), common::config())
        .unwrap_or_else(|e| panic!("front matter rejected: {e:?}\n{text}"));
    let (_, diags) = markdown::parse_body(&src, sub.body_start, common::root());
    assert!(!diags.has_errors(), "{diags:?}\n{text}");
});
