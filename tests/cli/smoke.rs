//! The quickest sign of life: the example issue builds as HTML and shows
//! its first article.

use crate::util::*;

#[test]
fn example_issue_builds_html() {
    let (_out, html) = build_example_html();
    let first = example_titles()
        .into_iter()
        .next()
        .expect("example has articles");
    // Titles carry <wbr> between words.
    let text = html.replace("<wbr>", "");
    assert!(text.contains(&first), "{first} missing from the page");
}
