//! Page fit (W084): when the end block, or a few lines with it, spill onto
//! a last page of their own, `build` and `check` say so and how many lines
//! would have to go; the number is checked by cutting exactly that many.

use crate::util::*;

/// Issue 39 with one item of `n` one-line paragraphs.
fn with_lines(ws: &TempDir, n: usize) {
    let body: Vec<String> = (0..n)
        .map(|i| format!("第{i}段，会议强调要压实责任。"))
        .collect();
    ws.write(
        "issues/39/01.md",
        submission(
            "市民政局召开会议",
            "市局办公室",
            "2025-12-05",
            "工作动态",
            &body.join("\n\n"),
        ),
    );
}

/// The W084 message of `bulletin check 39`, if any.
fn w084(ws: &TempDir) -> Option<String> {
    let o = run(ws.path(), &["check", "39"]);
    stderr(&o)
        .lines()
        .find(|l| l.contains("W084"))
        .map(str::to_string)
}

/// The number of lines a W084 message asks to cut.
fn cut(msg: &str) -> usize {
    let after = msg.split("至少删去 ").nth(1).expect(msg);
    after.split(' ').next().unwrap().parse().expect(msg)
}

/// The smallest paragraph count from `from` whose W084 message contains
/// `what`.
fn first_with(ws: &TempDir, from: usize, what: &str) -> (usize, String) {
    for n in from..from + 60 {
        with_lines(ws, n);
        if let Some(m) = w084(ws)
            && m.contains(what)
        {
            return (n, m);
        }
    }
    panic!("no W084 with {what} from {from} paragraphs");
}

#[test]
fn an_end_block_alone_on_the_last_page_is_reported_with_the_lines_to_cut() {
    let ws = workspace();
    let (first, _) = first_with(&ws, 1, "版记单独占了最后一页");
    // Two lines more: cutting the number said saves the page, one less
    // does not.
    let n = first + 2;
    with_lines(&ws, n);
    let msg = w084(&ws).expect("W084");
    assert!(
        msg.contains("共 2 页") && msg.contains("排成 1 页"),
        "{msg}"
    );
    let c = cut(&msg);
    assert_eq!(c, 3, "{msg}");
    with_lines(&ws, n - c);
    assert_eq!(w084(&ws), None);
    with_lines(&ws, n - c + 1);
    assert!(w084(&ws).is_some());
    // `build` says the same.
    with_lines(&ws, n);
    let (_out, o) = build_into(ws.path(), &["39", "--format", "pdf"]);
    assert!(
        stderr(&o).contains("W084") && stderr(&o).contains("至少删去 3 行"),
        "{}",
        stderr(&o)
    );
    // Publishing the archive does not repeat it.
    let (_out, o) = build_into(ws.path(), &["--all", "--drafts"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("第39期"), "{all}");
    assert!(!all.contains("W084"), "{all}");
}

#[test]
fn a_few_lines_with_the_end_block_on_the_last_page_are_reported() {
    let ws = workspace();
    let (n, msg) = first_with(&ws, 1, "行正文和版记");
    assert!(msg.contains("最后一页只有 1 行正文和版记"), "{msg}");
    let c = cut(&msg);
    with_lines(&ws, n - c);
    assert_eq!(w084(&ws), None);
    with_lines(&ws, n - c + 1);
    assert!(w084(&ws).is_some());
}

#[test]
fn an_issue_with_room_to_spare_has_no_warning() {
    let ws = workspace();
    let (first, _) = first_with(&ws, 1, "版记单独占了最后一页");
    for n in [first - 3, first - 1] {
        with_lines(&ws, n);
        assert_eq!(w084(&ws), None, "{n} paragraphs");
    }
    // Many lines on the last page: not a page to save by cutting a few.
    let (few, _) = first_with(&ws, first, "行正文和版记");
    with_lines(&ws, few + 12);
    assert_eq!(w084(&ws), None);
}
