//! Any bytes as a submission file: decode, split the `+++` front matter,
//! parse it. Must never panic; every diagnostic must render.
#![no_main]

use bulletin::diag::Diagnostics;
use bulletin::workspace::submission;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::root().join("issues/39/投稿.md");
    let src = match bulletin::source::decode(&path, data) {
        Ok(text) => bulletin::source::SourceFile::new(path, text),
        Err(d) => {
            let _ = d.render(None);
            return;
        }
    };
    let len = src.text.len();
    match submission::parse(src, common::config()) {
        Ok(sub) => {
            assert!(sub.body_start <= len);
            assert!(sub.source.text.is_char_boundary(sub.body_start));
            for span in [&sub.unit.span, &sub.date.span, &sub.category.span] {
                assert!(sub.source.text.get(span.clone()).is_some(), "{span:?}");
            }
        }
        Err(d) => {
            assert!(d.has_errors());
            common::render_all(&d);
        }
    }
    let _ = Diagnostics::default();
});
