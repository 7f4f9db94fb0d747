//! Numbering by year (`numbering = "yearly"`): 2026年第1期 with 总第N期
//! alongside, in the masthead, the file names, `issue new` and the
//! numbering checks.

use crate::util::*;

/// A workspace numbering by year whose last issue is 2025年第48期, 总第120期.
fn yearly_workspace() -> TempDir {
    let t = TempDir::new("yearly");
    t.write("bulletin.toml", format!("numbering = \"yearly\"\n{CONFIG}"));
    t.write(
        "issues/120/issue.toml",
        "number = 120\ndate = 2025-12-22\nyear_number = 48\n",
    );
    t
}

fn issue_toml(ws: &TempDir, n: u32) -> String {
    std::fs::read_to_string(ws.join(format!("issues/{n}/issue.toml"))).unwrap()
}

fn item(ws: &TempDir, n: u32) {
    ws.write(
        &format!("issues/{n}/01.md"),
        submission(
            "市民政局召开安全工作推进会",
            "市局办公室",
            "2026-01-05",
            "工作动态",
            "会议强调，要压实责任。",
        ),
    );
}

#[test]
fn issue_new_restarts_at_one_in_a_new_year_and_counts_on_within_it() {
    let ws = yearly_workspace();
    let o = run(ws.path(), &["issue", "new", "--date", "2026-01-05"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let t = issue_toml(&ws, 121);
    assert!(t.contains("\nyear_number = 1 "), "{t}");
    assert!(t.contains("2026年第1期"), "{t}");
    let o = run(ws.path(), &["issue", "new", "--date", "2026-01-12"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(issue_toml(&ws, 122).contains("\nyear_number = 2 "));
    // The first issue of a year, numbered 1, is no numbering problem.
    item(&ws, 121);
    let o = run(ws.path(), &["check", "121"]);
    assert!(!stderr(&o).contains("N00"), "{}", stderr(&o));
}

#[test]
fn masthead_and_file_names_carry_the_year_and_the_total() {
    let ws = yearly_workspace();
    ws.write(
        "issues/121/issue.toml",
        "number = 121\ndate = 2026-01-05\nyear_number = 1\n",
    );
    item(&ws, 121);
    let (out, _) = build_into(ws.path(), &["121", "--format", "html"]);
    let page = out.join("121/南阳民政工作动态2026年第1期（送审稿）.html");
    let html = std::fs::read_to_string(&page)
        .unwrap_or_else(|e| panic!("{}: {e}; {:?}", page.display(), files_below(out.path())));
    let text = visible_text(&html);
    assert!(text.contains("2026年第1期"), "{text}");
    assert!(text.contains("总第121期"), "{text}");
    // The PDF takes the same name.
    let (out, _) = build_into(ws.path(), &["121", "--format", "pdf"]);
    assert!(
        out.join("121/南阳民政工作动态2026年第1期（送审稿）.pdf")
            .is_file()
    );
}

#[test]
fn continuous_numbering_is_unchanged() {
    let ws = workspace();
    item(&ws, 39);
    let (out, _) = build_into(ws.path(), &["39", "--format", "html"]);
    let text = visible_text(&read_html_39(out.path()));
    assert!(
        text.contains("第39期") && !text.contains("年第39期"),
        "{text}"
    );
}

#[test]
fn gaps_and_duplicates_within_a_year_are_reported() {
    let ws = yearly_workspace();
    for (n, date, y) in [
        (121, "2026-01-05", 1),
        (122, "2026-01-12", 1),
        (123, "2026-01-26", 4),
    ] {
        ws.write(
            &format!("issues/{n}/issue.toml"),
            format!("number = {n}\ndate = {date}\nyear_number = {y}\n"),
        );
        item(&ws, n);
    }
    let e = stderr(&run(ws.path(), &["check", "122"]));
    assert!(
        e.contains("N001") && e.contains("2026年第1期已被总第121期"),
        "{e}"
    );
    assert!(e.contains("issues/122/issue.toml:3:"), "{e}");
    let e = stderr(&run(ws.path(), &["check", "123"]));
    assert!(
        e.contains("N002") && e.contains("中间缺了2026年第2—3期"),
        "{e}"
    );
}

#[test]
fn a_new_year_not_starting_at_one_is_reported() {
    let ws = yearly_workspace();
    ws.write(
        "issues/121/issue.toml",
        "number = 121\ndate = 2026-01-05\nyear_number = 49\n",
    );
    item(&ws, 121);
    let e = stderr(&run(ws.path(), &["check", "121"]));
    assert!(e.contains("N002") && e.contains("每年从第1期起"), "{e}");
}

#[test]
fn a_yearly_issue_without_year_number_is_refused_in_chinese() {
    let ws = yearly_workspace();
    ws.write("issues/121/issue.toml", "number = 121\ndate = 2026-01-05\n");
    item(&ws, 121);
    let o = run(ws.path(), &["build", "121", "--format", "html"]);
    assert_ne!(code(&o), 0);
    let e = stderr(&o);
    assert!(e.contains("E037") && e.contains("year_number"), "{e}");
}

#[test]
fn init_mentions_the_yearly_option() {
    let t = TempDir::new("yearly-init");
    let o = run(t.path(), &["init", "ws", "--editor", "王晨晖"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cfg = std::fs::read_to_string(t.join("ws/bulletin.toml")).unwrap();
    assert!(cfg.contains("# numbering = \"yearly\""), "{cfg}");
}

#[test]
fn list_names_issues_by_year_with_the_running_number() {
    let ws = yearly_workspace();
    ws.write(
        "issues/121/issue.toml",
        "number = 121\ndate = 2026-01-05\nyear_number = 1\n",
    );
    item(&ws, 121);
    let o = run(ws.path(), &["list"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let row = text
        .lines()
        .find(|l| l.contains("2026年1月5日"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.starts_with("2026年第1期（总第121期）"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("2025年第48期（总第120期）")),
        "{text}"
    );
    assert!(!text.contains("第121期  "), "{text}");

    let o = run(ws.path(), &["list", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issues = v["issues"].as_array().unwrap();
    let last = issues.iter().find(|i| i["number"] == 121).unwrap();
    assert_eq!(last["year_number"], 1);
    assert_eq!(last["label"], "2026年第1期");
    let first = issues.iter().find(|i| i["number"] == 120).unwrap();
    assert_eq!(first["year_number"], 48);
    assert_eq!(first["label"], "2025年第48期");
}
