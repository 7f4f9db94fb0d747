//! Professional typesetting on the line list: every body line on the
//! page's grid, no loose line where an alternative exists, nothing split
//! that should stay whole, keeps held, titles broken between words. The
//! numbers come from `typeset::report`, the same that `build --report`
//! prints.

use crate::util::*;
use bulletin::fonts::FontSet;
use bulletin::model::{self, Issue};
use bulletin::typeset::report::{self, GRID_TOLERANCE};
use bulletin::typeset::{self, Document, LayoutConfig, LineKind, TypesetOptions};
use bulletin::workspace::Workspace;

fn layout_of(root: &std::path::Path) -> (Document, LayoutConfig, Issue) {
    let ws = Workspace::open(root).expect("workspace");
    let (issue, _) = model::load_issue(&ws, None).expect("issue");
    let cfg = ws.config.layout.clone();
    let mut fonts = FontSet::from_config(&ws.config, &ws.root).expect("fonts");
    let doc =
        typeset::typeset(&issue, &mut fonts, &cfg, TypesetOptions::default()).expect("typeset");
    (doc, cfg, issue)
}

/// Every body line's baseline minus the first one's is a whole number of
/// pitches, on every page; the report agrees.
fn assert_grid(doc: &Document, cfg: &LayoutConfig) {
    let pitch = cfg.line_pitch();
    let body: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Body | LineKind::Heading))
        .collect();
    let first = body.first().expect("body lines").baseline;
    let top = first - (first - doc.text_block.y).rem_euclid(pitch);
    for l in &body {
        let k = (l.baseline - first) / pitch;
        assert!(
            (k - k.round()).abs() * pitch < GRID_TOLERANCE,
            "off the grid by {} pt: {l:?}",
            (k - k.round()).abs() * pitch
        );
        // And inside the block's 22 lines.
        let row = ((l.baseline - top) / pitch).round() as usize;
        assert!(row < cfg.lines_per_page as usize, "{l:?}");
    }
    let r = report::report(doc, cfg);
    assert_eq!(r.off_grid(), 0, "{}", r.render());
}

/// Every page but the last ends with its last line in the grid's last
/// row, unless a keep shortened it: the rows left free at its foot must be
/// fewer than what the next page's first block needed there — a heading or
/// title with two lines of its text, or two lines of a paragraph (a first
/// line may not stay alone at a foot, nor a last line alone at a top). A
/// page followed by an image (its caption first) is not judged: the line
/// list does not hold the image's height.
fn assert_pages_end_on_the_bottom(doc: &Document, cfg: &LayoutConfig) {
    let pitch = cfg.line_pitch();
    let top_bl = doc.text_block.y + (pitch - cfg.body_size) / 2.0 + 0.88 * cfg.body_size;
    let bottom_bl = top_bl + (cfg.lines_per_page as f32 - 1.0) * pitch;
    let flow = |l: &&bulletin::typeset::LineInfo| {
        !matches!(
            l.kind,
            LineKind::PageNumber | LineKind::Draft | LineKind::Footer | LineKind::Staff
        )
    };
    let rows = |from: f32, to: f32| ((to - from) / pitch + 0.01).floor() as i64;
    let last_page = doc.pages.len().saturating_sub(1);
    for page in 0..last_page {
        let Some(last) = doc.lines.iter().filter(|l| l.page == page).rfind(flow) else {
            continue;
        };
        let free = rows(last.baseline, bottom_bl);
        if free <= 0 {
            continue;
        }
        let next: Vec<_> = doc
            .lines
            .iter()
            .filter(|l| l.page == page + 1)
            .filter(flow)
            .collect();
        let Some(first) = next.first() else {
            continue;
        };
        // Two lines of body text, or three when the third would be a
        // paragraph's last line alone at the next page's top.
        let body: Vec<_> = next.iter().filter(|l| l.kind == LineKind::Body).collect();
        let through = match (body.get(1), body.get(2)) {
            (Some(b), Some(c)) if c.para == b.para && c.last => *c,
            (Some(b), _) => *b,
            _ => continue,
        };
        // A title's `title_space_before` and a section heading's one line
        // of space, which a page top drops.
        let before = match first.kind {
            LineKind::Caption => continue,
            LineKind::Title => cfg.title_space_before.round() as i64,
            LineKind::SectionHeading => 1,
            _ => 0,
        };
        let needed = rows(top_bl, through.baseline) + 1 + before;
        assert!(
            free < needed,
            "page {} ends {free} rows early, but the next page's first block needs only {needed}: {last:?}\n{:#?}",
            page + 1,
            &next[..next.len().min(6)]
        );
    }
}

#[test]
fn example_issue_is_on_the_grid() {
    let (doc, cfg, _) = layout_of(&repo_root());
    assert_grid(&doc, &cfg);
    assert_pages_end_on_the_bottom(&doc, &cfg);
}

#[test]
fn generated_issues_are_on_the_grid() {
    for (items, seed) in [(50, 3), (500, 5)] {
        let t = TempDir::new("grid");
        bulletin::typeset::sample::write_workspace(t.path(), items, seed).unwrap();
        let (doc, cfg, _) = layout_of(t.path());
        assert_grid(&doc, &cfg);
        assert_pages_end_on_the_bottom(&doc, &cfg);
    }
}

/// Titles one character (of their size) in from both sides, and nothing
/// that should stay whole split across lines: the attribution, a Latin
/// word, a number with its unit.
fn assert_titles_and_groups(doc: &Document, cfg: &LayoutConfig, issue: &Issue) {
    let tb = doc.text_block;
    for l in doc.lines.iter().filter(|l| l.kind == LineKind::Title) {
        assert!(l.x >= tb.x + cfg.title_size - 0.01, "{l:?}");
        assert!(l.x + l.width <= tb.right() - cfg.title_size + 0.01, "{l:?}");
    }
    let r = report::report(doc, cfg);
    assert_eq!(r.split(), 0, "{}", r.render());
    // Every attribution is printed whole on one line.
    for item in issue.items() {
        let att = item.attribution();
        assert!(
            doc.lines.iter().any(|l| l.text.contains(&att)),
            "{att} is split"
        );
    }
}

#[test]
fn titles_inset_and_groups_whole() {
    let (doc, cfg, issue) = layout_of(&repo_root());
    assert_titles_and_groups(&doc, &cfg, &issue);
    for (items, seed) in [(50, 3), (500, 5)] {
        let t = TempDir::new("groups");
        bulletin::typeset::sample::write_workspace(t.path(), items, seed).unwrap();
        let (doc, cfg, issue) = layout_of(t.path());
        assert_titles_and_groups(&doc, &cfg, &issue);
    }
}

/// No justified line stretches beyond 1/10 em per gap in the example
/// issue; in generated issues (long Latin words, numbers), only where
/// every way of breaking the paragraph has one — rare.
#[test]
fn no_loose_lines() {
    let (doc, cfg, _) = layout_of(&repo_root());
    let r = report::report(&doc, &cfg);
    assert_eq!(r.loose(), 0, "{}", r.render());
    for (items, seed) in [(50, 3), (500, 5)] {
        let t = TempDir::new("loose");
        bulletin::typeset::sample::write_workspace(t.path(), items, seed).unwrap();
        let (doc, cfg, _) = layout_of(t.path());
        let r = report::report(&doc, &cfg);
        let body = doc
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Body)
            .count();
        assert!(r.loose() * 200 <= body, "{}", r.render());
    }
}

/// Keeps: a heading or title with two lines of its text, no single first
/// line of a paragraph at a page foot, no last line alone at a page top.
#[test]
fn keeps_hold() {
    let (doc, cfg, _) = layout_of(&repo_root());
    let r = report::report(&doc, &cfg);
    assert_eq!(r.keeps(), 0, "{}", r.render());
    for (items, seed) in [(50, 3), (500, 5)] {
        let t = TempDir::new("keeps");
        bulletin::typeset::sample::write_workspace(t.path(), items, seed).unwrap();
        let (doc, cfg, _) = layout_of(t.path());
        let r = report::report(&doc, &cfg);
        assert_eq!(r.keeps(), 0, "{}", r.render());
    }
}

/// The end block's distribution lines sit one character in from both
/// sides, and no line breaks inside a bracketed group.
#[test]
fn end_block_lines_inset_and_brackets_whole() {
    let (doc, cfg, _) = layout_of(&repo_root());
    let cell = cfg.char_pitch() * cfg.footer_size / cfg.body_size;
    let tb = doc.text_block;
    let footer: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Footer)
        .collect();
    assert!(footer.len() >= 2);
    for l in footer {
        assert!(l.x >= tb.x + cell - 0.01, "{l:?}");
        assert!(l.x + l.width <= tb.right() - cell + 0.01, "{l:?}");
        assert_eq!(
            l.text.matches('（').count(),
            l.text.matches('）').count(),
            "{l:?}"
        );
    }
}

/// `bulletin build N --report` prints the same numbers the tests assert
/// on, page by page.
#[test]
fn build_report_lists_pages() {
    let (out, o) = build_into(&repo_root(), &["39", "--format", "pdf", "--report"]);
    let text = stdout(&o);
    let (doc, cfg, _) = layout_of(&repo_root());
    let r = report::report(&doc, &cfg);
    assert!(text.contains(&r.render()), "{text}");
    assert!(text.contains("不在网格上的行 0"), "{text}");
    for p in 1..=doc.pages.len() {
        assert!(text.contains(&format!("第{p}页：")), "{text}");
    }
    // Without a PDF there is no report, and the editor is told why.
    let o = run(
        &repo_root(),
        &[
            "build",
            "39",
            "--out",
            out.path().to_str().unwrap(),
            "--format",
            "html",
            "--report",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("没有版面报告"), "{}", stdout(&o));
}
