//! Submissions as offices write them, through the real binary: indented
//! paragraphs, indented and fenced "code", pasted HTML, the placeholder of
//! `bulletin new`, and `.txt` names and dates as clerks write them.

use crate::util::*;

use std::time::{Duration, SystemTime};

/// Build issue 39 as HTML; the page as written (panics with the output
/// when the build fails).
fn html_page(ws: &TempDir) -> (String, std::process::Output) {
    let (out, o) = build_into(ws.path(), &["39", "--format", "html"]);
    (read_html_39(out.path()), o)
}

/// Build issue 39 as HTML; the visible text of the page.
fn html_text(ws: &TempDir) -> (String, std::process::Output) {
    let (html, o) = html_page(ws);
    (visible_text(&html), o)
}

fn item(ws: &TempDir, file: &str, body: &str) {
    ws.write(
        &format!("issues/39/{file}"),
        submission("开展检查", "新县民政局", "2025-12-05", "工作动态", body),
    );
}

/// The line:col of a diagnostic as `check` prints it: ` --> file:line:col`.
fn located(all: &str, file: &str, line: usize, col: usize) -> bool {
    all.contains(&format!("{file}:{line}:{col}"))
}

#[test]
fn full_width_indented_lines_are_paragraphs() {
    let ws = workspace();
    item(
        &ws,
        "01-a.md",
        "\u{3000}\u{3000}近日，新县开展养老机构检查。\n\u{3000}\u{3000}检查组走访了12家机构。\n\u{3000}\u{3000}下一步，将持续跟进整改。",
    );
    let (text, _) = html_text(&ws);
    for p in [
        "近日，新县开展养老机构检查。",
        "检查组走访了12家机构。",
        "下一步，将持续跟进整改。",
    ] {
        assert!(text.contains(p), "{p} in {text}");
    }
    // No full-width space is left between the paragraphs, and check no
    // longer blames P007 on the indents.
    assert!(!text.contains("。\u{3000}"), "{text}");
    let found = check_lib(ws.path(), 39);
    assert!(found.iter().all(|f| f.code != "P007"), "{found:#?}");
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
}

#[test]
fn indented_paragraphs_are_never_code() {
    let ws = workspace();
    item(
        &ws,
        "01-a.md",
        "    近日，新县开展养老机构检查。\n    检查组走访了12家机构。\n\n\t下一步，将持续跟进整改。",
    );
    let (html, _) = html_page(&ws);
    assert!(!html.contains("<pre"), "{html}");
    assert!(!html.contains("<code"), "{html}");
    let text = visible_text(&html);
    for p in [
        "近日，新县开展养老机构检查。",
        "检查组走访了12家机构。",
        "下一步，将持续跟进整改。",
    ] {
        assert!(text.contains(p), "{p} in {text}");
    }
    // The unit closes the last paragraph, not a line of its own.
    assert!(
        text.contains("下一步，将持续跟进整改。（新县民政局）"),
        "{text}"
    );
}

#[test]
fn fenced_code_prints_as_paragraphs_with_a_located_warning() {
    let ws = workspace();
    item(
        &ws,
        "01-a.md",
        "近日，新县开展养老机构检查。\n\n```\n检查组走访了12家机构。\n```",
    );
    let (text, o) = html_text(&ws);
    assert!(text.contains("检查组走访了12家机构。"), "{text}");
    assert!(!text.contains("```"), "{text}");
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("W003"), "{all}");
    assert!(all.contains("代码块"), "{all}");
    // The fence is on line 10 of the file (8 lines of front matter and gap).
    assert!(located(&all, "01-a.md", 10, 1), "{all}");
}

#[test]
fn html_tags_are_dropped_and_their_text_kept() {
    let ws = workspace();
    item(
        &ws,
        "01-a.md",
        "<p>近日，新县开展检查。</p>\n<p>共走访<b>120</b>户。</p>",
    );
    let (text, o) = html_text(&ws);
    assert!(text.contains("近日，新县开展检查。"), "{text}");
    assert!(text.contains("共走访120户。（新县民政局）"), "{text}");
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("HTML 标记 <p> 已去掉"), "{all}");
    assert!(located(&all, "01-a.md", 8, 1), "{all}");
    // `<b>` at line 9, column 7.
    assert!(all.contains("<b>"), "{all}");
    assert!(located(&all, "01-a.md", 9, 7), "{all}");
}

#[test]
fn a_body_empty_after_html_is_an_error() {
    let ws = workspace();
    item(&ws, "01-a.md", "<div><img src=\"x.png\"></div>");
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("E023"), "{all}");
    assert!(all.contains("去掉 HTML 标记和注释后没有任何文字"), "{all}");
    assert!(located(&all, "01-a.md", 8, 1), "{all}");
}

#[test]
fn placeholder_fails_check_signoff_and_final_but_a_draft_builds() {
    let ws = workspace();
    let o = run(
        ws.path(),
        &[
            "new",
            "--unit",
            "新县民政局",
            "--category",
            "工作动态",
            "--title",
            "开展检查",
            "--date",
            "2025-12-05",
        ],
    );
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let file = files_below(&ws.join("issues/39"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("bulletin new wrote a submission");
    let name = file.file_name().unwrap().to_string_lossy().into_owned();

    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("C010"), "{all}");
    assert!(all.contains("占位文字"), "{all}");
    let text = std::fs::read_to_string(ws.join("issues/39").join(&file)).unwrap();
    let (line, col) = line_col(&text, "请在此处写正文");
    assert!(
        located(&all, &name, line, col),
        "{name}:{line}:{col} in {all}"
    );

    let o = run(
        ws.path(),
        &["check", "39", "--sign", "核稿", "--name", "李明"],
    );
    assert_ne!(code(&o), 0, "{}", stdout(&o));
    assert!(!ws.join("issues/39/signoffs.toml").exists());

    // A draft builds and says so.
    let (page, o) = html_text(&ws);
    assert!(page.contains("请在此处写正文"), "{page}");
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("C010"), "{all}");

    let out = TempDir::new("words-final");
    let o = run(
        ws.path(),
        &[
            "build",
            "39",
            "--final",
            "--format",
            "html",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_ne!(code(&o), 0, "{}", stdout(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("C010"), "{all}");
    assert!(!out.join(FINAL_HTML_39).exists());
}

/// Make a file look as if it was written a while ago (settled).
fn age(p: &std::path::Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
}

#[test]
fn txt_names_and_dates_as_clerks_write_them() {
    let ws = workspace();
    let mut config = CONFIG.to_string();
    config.push_str("\n[units]\nknown = [\"罗山县民政局\", \"新县民政局\"]\n");
    ws.write("bulletin.toml", config);
    // A known unit at the start of the name, the date at the end of the text.
    age(&ws.write(
        "inbox/罗山县民政局关于养老服务工作的信息.txt",
        "罗山县推进养老服务工作\n\u{3000}\u{3000}近日，罗山县推进养老服务工作。\n\u{3000}\u{3000}全县新建助餐点8个。\n2025年12月2日\n",
    ));
    // A dotted date in the name; the unit from the trailing （单位） line.
    age(&ws.write(
        "inbox/信息_2025.12.3_冬季救助.txt",
        "新县开展冬季救助\n\n近日，新县开展冬季救助，\n发放棉衣200件。\n\u{3000}\u{3000}下一步将持续走访。\n\n此次共走访30户。\n\n（新县民政局）\n",
    ));
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let md = std::fs::read_to_string(ws.join("issues/39/罗山县推进养老服务工作.md")).unwrap();
    assert!(
        md.contains("unit = \"罗山县民政局\"\ndate = 2025-12-02\n"),
        "{md}"
    );
    let md = std::fs::read_to_string(ws.join("issues/39/新县开展冬季救助.md")).unwrap();
    assert!(
        md.contains("unit = \"新县民政局\"\ndate = 2025-12-03\n"),
        "{md}"
    );
    assert!(!md.contains("（新县民政局）"), "{md}");
    let (text, _) = html_text(&ws);
    assert!(
        text.contains("全县新建助餐点8个。（罗山县民政局）"),
        "{text}"
    );
    assert!(
        text.contains("近日，新县开展冬季救助，发放棉衣200件。"),
        "{text}"
    );
    // Lines wrapped by hand join; the indented line is a paragraph.
    assert!(text.contains("下一步将持续走访。\n"), "{text}");
    assert!(text.contains("此次共走访30户。（新县民政局）"), "{text}");
    assert!(!text.contains("2025年12月2日"), "{text}");
}

#[test]
fn txt_without_unit_is_rejected_with_a_chinese_reason() {
    let ws = workspace();
    let p = ws.write("inbox/关于养老服务工作的信息.txt", "标题\n正文。\n");
    age(&p);
    let o = run(
        ws.path(),
        &["intake", "--category", "工作动态", "--date", "2025-12-03"],
    );
    let reason =
        std::fs::read_to_string(ws.join("inbox/rejected/关于养老服务工作的信息.txt.原因.txt"))
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&o), stderr(&o)));
    assert!(reason.contains("无法得知来源单位"), "{reason}");
    assert!(reason.contains("文末写上（单位）"), "{reason}");
}
