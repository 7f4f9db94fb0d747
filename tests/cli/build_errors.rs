//! Every bad input of the foundation contract: a clear Chinese message
//! naming file:line:col, exit status 1, nothing written.

use crate::util::*;

/// Build issue 39 of `ws`; assert it is refused, nothing is written, and
/// stderr names `needle` (a `path:line:col`) and `msg`.
fn refused(ws: &TempDir, needle: &str, msg: &str) -> String {
    let o = run(ws.path(), &["build", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "exit status\n{err}");
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    assert!(err.contains(msg), "expected `{msg}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !ws.join("out").exists(),
        "a refused build wrote {:?}",
        files_below(&ws.join("out"))
    );
    err
}

fn good(ws: &TempDir, name: &str) {
    ws.write(
        &format!("issues/39/{name}"),
        submission(
            "市民政局召开安全工作会议",
            "市局办公室",
            "2025-11-27",
            "工作动态",
            "会议强调，要守牢安全底线。",
        ),
    );
}

#[test]
fn front_matter_not_closed() {
    let ws = workspace();
    good(&ws, "ok.md");
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\"\nunit = \"市局办公室\"\n\n正文。\n",
    );
    refused(&ws, "issues/39/a.md:1:1", "找不到第二个 `+++` 行");
}

#[test]
fn yaml_front_matter_gets_a_hint() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "---\ntitle: 标题\nunit: 市局办公室\n---\n\n正文。\n",
    );
    let err = refused(&ws, "issues/39/a.md:1:1", "YAML");
    assert!(err.contains("+++"), "{err}");
}

#[test]
fn toml_syntax_error() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\nunit = \"市局办公室\"\ndate = 2025-11-27\ncategory = \"工作动态\"\n+++\n\n正文。\n",
    );
    refused(&ws, "issues/39/a.md:2:", "TOML 语法错误");
}

#[test]
fn missing_required_key() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\"\ndate = 2025-11-27\ncategory = \"工作动态\"\n+++\n\n正文。\n",
    );
    refused(&ws, "issues/39/a.md:1:1", "缺少必填的键 `unit`");
}

#[test]
fn unknown_key_with_did_you_mean() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\"\nunti = \"市局办公室\"\nunit = \"市局办公室\"\ndate = 2025-11-27\ncategory = \"工作动态\"\n+++\n\n正文。\n",
    );
    let err = refused(&ws, "issues/39/a.md:3:1", "未知的键 `unti`");
    assert!(err.contains("是不是想写 `unit`"), "{err}");
}

#[test]
fn wrong_type() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\"\nunit = \"市局办公室\"\ndate = 2025-11-27\ncategory = \"工作动态\"\norder = \"第一\"\n+++\n\n正文。\n",
    );
    refused(&ws, "issues/39/a.md:6:9", "应为整数");
}

#[test]
fn date_that_is_no_date() {
    for (value, col) in [
        ("2025-02-30", "4:8"),
        ("\"2025年11月27日\"", "4:8"),
        ("\"2025-13-01\"", "4:8"),
    ] {
        let ws = workspace();
        ws.write(
            "issues/39/a.md",
            format!("+++\ntitle = \"标题\"\nunit = \"市局办公室\"\ndate = {value}\ncategory = \"工作动态\"\n+++\n\n正文。\n"),
        );
        refused(&ws, &format!("issues/39/a.md:{col}"), "日期");
    }
}

#[test]
fn category_not_in_config() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission("标题", "市局办公室", "2025-11-27", "工作动太", "正文。"),
    );
    let err = refused(
        &ws,
        "issues/39/a.md:5:12",
        "栏目“工作动太”没有在 bulletin.toml 中定义",
    );
    assert!(err.contains("是不是“工作动态”"), "{err}");
}

#[test]
fn empty_body() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"标题\"\nunit = \"市局办公室\"\ndate = 2025-11-27\ncategory = \"工作动态\"\n+++\n\n  \n",
    );
    refused(&ws, "issues/39/a.md:6:1", "正文为空");
}

#[test]
fn gb18030_file_names_the_encoding_and_the_fix() {
    let ws = workspace();
    let text = submission(
        "市民政局召开会议",
        "市局办公室",
        "2025-11-27",
        "工作动态",
        "会议要求各地抓好落实。",
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    ws.write("issues/39/gbk.md", &bytes);
    let err = refused(&ws, "issues/39/gbk.md:2:", "GB18030");
    assert!(err.contains("UTF-8"), "{err}");
    assert!(err.contains("bulletin intake"), "{err}");
}

#[test]
fn all_problems_of_a_run_are_reported() {
    let ws = workspace();
    ws.write("issues/39/a.md", "+++\ntitle = \"甲\"\n+++\n\n正文。\n");
    ws.write("issues/39/b.md", "---\n---\n");
    // The missing keys share one position: one diagnostic names them all.
    let err = refused(&ws, "issues/39/a.md:1:1", "缺少必填的键 `unit`");
    assert!(err.contains("`date`（日期）"), "{err}");
    assert!(err.contains("`category`（栏目）"), "{err}");
    assert!(err.contains("issues/39/b.md:1:1"), "{err}");
    assert!(err.contains("共 2 个错误"), "{err}");
}

#[test]
fn issue_missing() {
    let ws = workspace();
    let o = run(ws.path(), &["build", "40"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("找不到第40期"), "{}", stderr(&o));
    assert!(!ws.join("out").exists());
}

#[test]
fn two_folders_claim_one_number() {
    let ws = workspace();
    good(&ws, "a.md");
    ws.write("issues/039/issue.toml", "number = 39\ndate = 2025-12-08\n");
    let o = run(ws.path(), &["build", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("issues/039") && err.contains("issues/39"),
        "{err}"
    );
    assert!(err.contains("都是第39期"), "{err}");
    assert!(!ws.join("out").exists());
}

#[test]
fn issue_toml_number_differs_from_folder() {
    let ws = workspace();
    good(&ws, "a.md");
    ws.write("issues/39/issue.toml", "number = 38\ndate = 2025-12-08\n");
    refused(
        &ws,
        "issues/39/issue.toml:1:1",
        "issue.toml 写的是第38期，但目录是第39期",
    );
}

#[test]
fn issue_toml_invalid() {
    let ws = workspace();
    good(&ws, "a.md");
    ws.write("issues/39/issue.toml", "number = 39\ndate = \"昨天\"\n");
    refused(&ws, "issues/39/issue.toml:2:8", "不是有效的日期");
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\nnumbr = 3\n",
    );
    let err = refused(&ws, "issues/39/issue.toml:3:1", "未知的键 `numbr`");
    assert!(err.contains("number"), "{err}");
}

#[test]
fn bulletin_toml_missing() {
    let ws = TempDir::new("noconfig");
    ws.write("issues/39/issue.toml", "number = 39\ndate = 2025-12-08\n");
    let o = run(
        ws.path(),
        &["--root", ws.path().to_str().unwrap(), "build", "39"],
    );
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("bulletin.toml"), "{}", stderr(&o));
    assert!(!ws.join("out").exists());
}

#[test]
fn bulletin_toml_invalid() {
    let ws = workspace();
    good(&ws, "a.md");
    ws.write(
        "bulletin.toml",
        CONFIG.replace("style = \"brief\"", "style = \"short\""),
    );
    let err = refused(&ws, "bulletin.toml:9:9", "不认识的取值 `short`");
    assert!(err.contains("brief"), "{err}");
    ws.write("bulletin.toml", CONFIG.replace("publisher", "publsher"));
    refused(&ws, "bulletin.toml:2:1", "未知的键 `publsher`");
    ws.write("bulletin.toml", "title = \"刊名\"\n");
    refused(&ws, "bulletin.toml", "缺少必填的键 `publisher`");
}

#[test]
fn bom_and_crlf_are_accepted_silently() {
    let ws = workspace();
    let text = submission(
        "市民政局召开安全工作会议",
        "市局办公室",
        "2025-11-27",
        "工作动态",
        "第一段。\n\n第二段。",
    )
    .replace('\n', "\r\n");
    ws.write(
        "issues/39/a.md",
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("警告"), "{}", stderr(&o));
    let html = read_html_39(&ws.join("out"));
    assert!(html.contains("<p>第一段。</p>"), "{html}");
    assert!(
        html.contains("第二段。<span class=\"unit\">（市局办公室）</span>"),
        "{html}"
    );
    assert!(!html.contains('\r'));
}

#[test]
fn failed_build_leaves_earlier_outputs_intact() {
    let ws = workspace();
    good(&ws, "a.md");
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = ws.join("out").join(HTML_39);
    let before = std::fs::read(&out).unwrap();
    ws.write("issues/39/b.md", "+++\ntitle = \"坏\"\n");
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 1);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert_eq!(
        files_below(&ws.join("out")).len(),
        1,
        "{:?}",
        files_below(&ws.join("out"))
    );
}
