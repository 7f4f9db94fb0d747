//! The limits of issue 6 through the real binary: each input either builds
//! or stops with a clear message, and does not panic. How fast is measured
//! by `benches/limits.rs`, not asserted here.

use crate::util::*;

const SENTENCE: &str =
    "县民政局召开冬季救助工作部署会，安排困难群众过冬保障，要求逐户走访、做到底数清情况明。";

fn build(ws: &TempDir) -> std::process::Output {
    run(ws.path(), &["build", "39", "--format", "html"])
}

fn html(ws: &TempDir) -> String {
    read_html_39(&ws.join("out"))
}

fn ok(o: &std::process::Output) {
    assert_eq!(code(o), 0, "{}", stderr(o));
    assert!(!stderr(o).contains("panicked"));
}

#[test]
fn ten_megabyte_submission_builds() {
    let ws = workspace();
    let para = format!("{}\n\n", SENTENCE.repeat(30));
    let body = para.repeat((10 << 20) / para.len() + 1);
    assert!(body.len() >= 10 << 20);
    ws.write(
        "issues/39/大.md",
        submission("大文件", "县民政局", "2025-12-01", "工作动态", &body),
    );
    let o = build(&ws);
    ok(&o);
    let out = html(&ws);
    assert!(out.len() > 10 << 20);
    assert_eq!(
        out.matches("<p>县民政局召开").count(),
        body.matches("\n\n").count()
    );
}

#[test]
fn five_thousand_items_build() {
    let ws = workspace();
    for i in 0..5000 {
        ws.write(
            &format!("issues/39/{i:04}.md"),
            submission(
                &format!("第{i}篇稿件"),
                "县民政局",
                "2025-12-01",
                "工作动态",
                SENTENCE,
            ),
        );
    }
    let o = build(&ws);
    ok(&o);
    assert!(stdout(&o).contains("5000 篇稿件"), "{}", stdout(&o));
    assert_eq!(html(&ws).matches("<article ").count(), 5000);
}

#[test]
fn thousand_character_title_builds() {
    let ws = workspace();
    let title: String = "民政工作".chars().cycle().take(1000).collect();
    ws.write(
        "issues/39/a.md",
        submission(&title, "县民政局", "2025-12-01", "工作动态", SENTENCE),
    );
    ok(&build(&ws));
    // Titles carry <wbr> between words.
    assert!(html(&ws).replace("<wbr>", "").contains(&title));
    // Intake names the file after the title, cut to a sane length.
    let ws = workspace();
    let p = ws.write(
        "inbox/长标题.md",
        submission(&title, "县民政局", "2025-12-01", "工作动态", SENTENCE),
    );
    drop(p);
    let o = run(ws.path(), &["intake", "--settle", "0"]);
    ok(&o);
    let names: Vec<_> = files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(names.len(), 1);
    let stem = names[0].file_stem().unwrap().to_string_lossy().into_owned();
    assert_eq!(stem.chars().count(), 40, "{stem}");
}

#[test]
fn hundred_thousand_character_line_without_break_builds() {
    let ws = workspace();
    let line = "a".repeat(100_000);
    ws.write(
        "issues/39/a.md",
        submission("长行", "县民政局", "2025-12-01", "工作动态", &line),
    );
    ok(&build(&ws));
    assert!(html(&ws).contains(&line));
}

#[test]
fn thousands_of_problems_in_one_file_are_summarised() {
    let ws = workspace();
    let keys: String = (0..20_000).map(|i| format!("k{i} = 1\n")).collect();
    ws.write(
        "issues/39/a.md",
        format!("+++\n{keys}title = \"x\"\n+++\n\n正文。\n"),
    );
    let o = build(&ws);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("--> issues/39/a.md:2:1"),
        "{}",
        &err[..2000.min(err.len())]
    );
    assert!(
        err.contains("这个文件的问题太多，只列出了前 50 个"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(err.lines().count() < 1000, "{} lines", err.lines().count());
    assert!(files_below(&ws.join("out")).is_empty());
}

#[test]
fn deep_nesting_is_flattened_with_a_warning() {
    let ws = workspace();
    let body = format!("{}引用\n\n{}项\n", "> ".repeat(20_000), "- ".repeat(20_000));
    ws.write(
        "issues/39/a.md",
        submission("嵌套", "县民政局", "2025-12-01", "工作动态", &body),
    );
    let o = build(&ws);
    ok(&o);
    assert!(stderr(&o).contains("嵌套超过 24 层"), "{}", stderr(&o));
    let out = html(&ws);
    assert!(out.contains("引用") && out.contains("项"));
    assert_eq!(out.matches("<blockquote>").count(), 24);
}

#[test]
fn ten_megabyte_gbk_text_goes_through_intake() {
    let ws = workspace();
    let mut text = String::from("宛城区开展社区养老服务评估\r\n");
    while text.len() < 10 << 20 {
        text.push_str(SENTENCE);
        text.push_str("\r\n");
    }
    ws.write(
        "inbox/宛城区民政局_2025-12-06_评估.txt",
        encoding_rs::GB18030.encode(&text).0,
    );
    let o = run(
        ws.path(),
        &["intake", "--settle", "0", "--category", "工作动态"],
    );
    ok(&o);
    assert!(stdout(&o).contains("GB18030 → UTF-8"), "{}", stdout(&o));
    ok(&build(&ws));
}
