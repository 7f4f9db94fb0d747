//! The layout engine's own line list: clreq line starts and ends, full
//! lines on the 28-character grid, titles kept with their text, the end
//! block on the bottom edge. Runs on the example issue and on generated
//! issues large enough to break many pages.

use crate::util::*;
use bulletin::fonts::FontSet;
use bulletin::model::{self, Issue, Signoff};
use bulletin::text::{no_line_end, no_line_start};
use bulletin::typeset::{self, Document, LayoutConfig, LineKind, PageNumbers, TypesetOptions};
use bulletin::workspace::Workspace;

fn load(root: &std::path::Path) -> (Workspace, Issue) {
    let ws = Workspace::open(root).expect("workspace");
    let (issue, _) = model::load_issue(&ws, None).expect("issue");
    (ws, issue)
}

fn layout(ws: &Workspace, issue: &Issue) -> (Document, LayoutConfig) {
    let cfg = ws.config.layout.clone();
    let mut fonts = FontSet::from_config(&ws.config, &ws.root).expect("fonts");
    let doc =
        typeset::typeset(issue, &mut fonts, &cfg, TypesetOptions::default()).expect("typeset");
    (doc, cfg)
}

fn check_document(doc: &Document, cfg: &LayoutConfig) {
    let full = cfg.char_pitch() * cfg.chars_per_line as f32;
    assert!((doc.text_block.w - full).abs() < 0.01);
    let mut full_lines = 0;
    for l in &doc.lines {
        let Some(first) = l.text.chars().find(|c| !c.is_whitespace()) else {
            continue;
        };
        let last = l.text.chars().rev().find(|c| !c.is_whitespace()).unwrap();
        if matches!(
            l.kind,
            LineKind::Body | LineKind::Footer | LineKind::Title | LineKind::Heading
        ) {
            assert!(!no_line_start(first), "line starts with {first}: {l:?}");
            assert!(!no_line_end(last), "line ends with {last}: {l:?}");
        }
        if l.kind == LineKind::Body && !l.last {
            // Justified: exactly the measure.
            assert!((l.width - l.measure).abs() < 0.02, "{l:?}");
            if (l.measure - full).abs() < 0.01 {
                full_lines += 1;
                let grid = cfg.chars_per_line as f32 * cfg.char_pitch();
                assert!((l.width - grid).abs() < 0.02, "{l:?}");
            }
        }
        // Nothing leaves the text block sideways.
        if l.kind != LineKind::PageNumber && l.kind != LineKind::Draft {
            assert!(l.x >= doc.text_block.x - 0.01, "{l:?}");
            assert!(l.x + l.width <= doc.text_block.right() + 0.05, "{l:?}");
            assert!(l.baseline <= doc.text_block.bottom() + 0.01, "{l:?}");
        }
    }
    let body_lines = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Body)
        .count();
    if body_lines > 10 {
        assert!(
            full_lines * 3 > body_lines,
            "too few full lines: {full_lines} of {body_lines}"
        );
    }

    // Titles never end a page: each title line is followed on its page by
    // at least two body lines (or it is another line of the same title).
    for (i, l) in doc.lines.iter().enumerate() {
        if l.kind != LineKind::Title {
            continue;
        }
        let after: Vec<_> = doc.lines[i + 1..]
            .iter()
            .filter(|m| {
                m.page == l.page
                    && !matches!(
                        m.kind,
                        LineKind::Title
                            | LineKind::Excerpt
                            | LineKind::PageNumber
                            | LineKind::Draft
                    )
            })
            .take(2)
            .collect();
        assert_eq!(
            after.len(),
            2,
            "title without two lines after it on page {}: {}",
            l.page,
            l.text
        );
        assert!(after.iter().all(|m| m.kind == LineKind::Body), "{after:?}");
    }

    // A paragraph's last line is never alone at the top of a page.
    for (i, l) in doc.lines.iter().enumerate().skip(1) {
        let prev = &doc.lines[i - 1];
        if l.kind == LineKind::Body && l.last && prev.para == l.para && prev.page != l.page {
            panic!("widow at the top of page {}: {}", l.page, l.text);
        }
    }

    // End block: last rule on the text block's bottom edge, last page.
    let eb = doc.end_block.expect("end block");
    assert_eq!(eb.page, doc.pages.len() - 1);
    assert!(
        (eb.last_rule - doc.text_block.bottom()).abs() < 0.01,
        "{eb:?}"
    );
    // And below every line of text on that page.
    for l in doc
        .lines
        .iter()
        .filter(|l| l.page == eb.page && matches!(l.kind, LineKind::Body | LineKind::Title))
    {
        assert!(
            l.baseline < eb.top,
            "{l:?} overlaps the end block at {}",
            eb.top
        );
    }
    // One page number per page, alternating sides.
    let numbers: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::PageNumber)
        .collect();
    assert_eq!(numbers.len(), doc.pages.len());
    for (p, n) in numbers.iter().enumerate() {
        assert_eq!(n.text, format!("— {} —", p + 1));
        assert!(n.baseline > doc.text_block.bottom());
        let mid = n.x + n.width / 2.0;
        let centre = doc.text_block.x + doc.text_block.w / 2.0;
        match cfg.page_numbers {
            PageNumbers::Center => assert!((mid - centre).abs() < 0.01),
            // One character (the number's size) in from the block's edge.
            PageNumbers::Alternate if p % 2 == 0 => assert!(
                (n.x + n.width + cfg.page_number_size - doc.text_block.right()).abs() < 0.01
            ),
            PageNumbers::Alternate => {
                assert!((n.x - cfg.page_number_size - doc.text_block.x).abs() < 0.01)
            }
        }
        // 7 mm below the text block (top of the em box).
        let top = n.baseline - 0.88 * cfg.page_number_size;
        let want = doc.text_block.bottom() + cfg.page_number_offset * bulletin::typeset::PT_PER_MM;
        assert!((top - want).abs() < 0.01, "{top} vs {want}");
    }
}

#[test]
fn example_issue_layout() {
    let (ws, issue) = load(&repo_root());
    let (doc, cfg) = layout(&ws, &issue);
    check_document(&doc, &cfg);
    // Masthead on page 1: name, 第39期, publisher and date.
    let first: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.page == 0)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(first[0], "南阳民政工作动态");
    assert_eq!(first[1], "第39期");
    assert_eq!(first[2], "南阳市民政局办公室2025年12月8日");
    // Every item's unit ends a body line.
    for item in issue.items() {
        let att = item.attribution();
        let all: String = doc
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Body)
            .map(|l| l.text.as_str())
            .collect();
        assert!(all.contains(&att), "{att} missing");
    }
    // The staff line with blank sign-offs.
    let staff = doc
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Staff)
        .unwrap();
    assert!(staff.text.starts_with("编辑：王晨晖"), "{}", staff.text);
    assert!(staff.text.contains("核稿：") && staff.text.contains("审核："));
    assert!(!doc.lines.iter().any(|l| l.kind == LineKind::Draft));
}

#[test]
fn generated_issues_layout() {
    for (items, seed) in [(12, 1), (40, 7), (90, 42)] {
        let t = TempDir::new("gen");
        bulletin::typeset::sample::write_workspace(t.path(), items, seed).unwrap();
        let (ws, issue) = load(t.path());
        assert_eq!(issue.items().count(), items);
        let (doc, cfg) = layout(&ws, &issue);
        assert!(
            doc.pages.len() > items / 6,
            "{} pages for {items} items",
            doc.pages.len()
        );
        check_document(&doc, &cfg);
    }
}

#[test]
fn draft_mark_and_signoff_names() {
    let (ws, mut issue) = load(&repo_root());
    issue.footer.draft = true;
    issue.footer.signoffs = vec![
        Signoff {
            role: "核稿".into(),
            name: Some("金路".into()),
        },
        Signoff {
            role: "审核".into(),
            name: Some("郭宇".into()),
        },
    ];
    let (doc, _) = layout(&ws, &issue);
    let draft = doc
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Draft)
        .expect("draft mark");
    assert_eq!(draft.text, "送审稿");
    assert_eq!(draft.page, 0);
    assert!(
        draft.baseline < doc.text_block.y && draft.x > doc.text_block.x + doc.text_block.w / 2.0
    );
    let staff = doc
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Staff)
        .unwrap();
    assert_eq!(
        staff.text,
        "编辑：王晨晖\u{3000}核稿：金路\u{3000}审核：郭宇"
    );
}

#[test]
fn end_block_moves_to_a_new_page_when_it_does_not_fit() {
    // Grow the body until the last page is nearly full: the end block must
    // then start a page of its own, still on the bottom edge.
    let mut moved = false;
    for n in 1..30 {
        let t = workspace();
        let body = "民政服务机构安全工作容不得半点松懈，要把责任落到岗位。".repeat(n);
        t.write(
            "issues/39/a.md",
            submission(
                "安全工作推进会",
                "市局办公室",
                "2025-11-25",
                "工作动态",
                &body,
            ),
        );
        let (ws, issue) = load(t.path());
        let (doc, cfg) = layout(&ws, &issue);
        check_document(&doc, &cfg);
        let eb = doc.end_block.unwrap();
        let last_text = doc
            .lines
            .iter()
            .rfind(|l| l.kind == LineKind::Body)
            .unwrap();
        if last_text.page < eb.page {
            moved = true;
            break;
        }
    }
    assert!(moved, "the end block never needed a page of its own");
}

#[test]
fn other_grids_and_centred_page_numbers() {
    let t = TempDir::new("grid");
    bulletin::typeset::sample::write_workspace(t.path(), 30, 3).unwrap();
    let (ws, issue) = load(t.path());
    let mut fonts = FontSet::from_config(&ws.config, &ws.root).unwrap();
    for cfg in [
        LayoutConfig {
            chars_per_line: 26,
            lines_per_page: 23,
            body_size: 15.75,
            page_numbers: PageNumbers::Center,
            ..LayoutConfig::default()
        },
        LayoutConfig {
            margin_left: 20.0,
            margin_right: 20.0,
            chars_per_line: 30,
            title_size: 16.0,
            ..LayoutConfig::default()
        },
    ] {
        let doc = typeset::typeset(&issue, &mut fonts, &cfg, TypesetOptions::default()).unwrap();
        check_document(&doc, &cfg);
    }
}

#[test]
fn long_staff_line_wraps_and_copies_stay_inside() {
    let (ws, mut issue) = load(&repo_root());
    issue.footer.copies = Some(120);
    issue.footer.signoffs = ["核稿", "审核", "签发", "校对", "复核"]
        .iter()
        .map(|r| Signoff {
            role: r.to_string(),
            name: Some("欧阳晓明".into()),
        })
        .collect();
    let (doc, cfg) = layout(&ws, &issue);
    check_document(&doc, &cfg);
    let staff: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Staff)
        .collect();
    assert!(staff.len() >= 2, "{staff:?}");
    let all: String = staff.iter().map(|l| l.text.as_str()).collect();
    assert!(
        all.starts_with("编辑：王晨晖") && all.ends_with("（共印120份）"),
        "{all}"
    );
    for r in ["核稿", "审核", "签发", "校对", "复核"] {
        assert!(all.contains(&format!("{r}：欧阳晓明")), "{all}");
    }
    // Nothing runs past the text block, and the copies do not overlap text.
    let page = doc.end_block.unwrap().page;
    let copies_x = doc.pages[page]
        .elements
        .iter()
        .filter_map(|e| match e {
            bulletin::typeset::Element::Text(r) if r.text.contains("共印") => Some(r.x),
            _ => None,
        })
        .next()
        .unwrap();
    let last = staff.last().unwrap();
    assert!(last.x + last.width <= copies_x || last.text == "（共印120份）");
    for l in &staff {
        assert!(l.x + l.width <= doc.text_block.right() + 0.05, "{l:?}");
    }
}
