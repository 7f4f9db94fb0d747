//! Every problem of every file in one run: a front-matter error no longer
//! hides the body problems of its own file or of the others, in `check`
//! and in the reasons `intake` writes.

use crate::util::*;

use std::time::{Duration, SystemTime};

/// The first file: front matter without `unit` and with a bad date, and a
/// half-width comma in the body.
const BROKEN: &str = "+++\ntitle = \"市民政局召开推进会\"\ndate = \"2025-13-40\"\ncategory = \"工作动态\"\n+++\n\n会议强调,要压实责任。\n";

#[test]
fn check_reports_front_matter_and_body_problems_of_every_file() {
    let ws = workspace();
    ws.write("issues/39/01-推进会.md", BROKEN);
    // The second file is well formed but dated after the issue (D001).
    ws.write(
        "issues/39/02-巡访.md",
        submission(
            "桐柏县开展留守老人巡访",
            "市局办公室",
            "2025-12-20",
            "工作动态",
            "12月5日，桐柏县民政局开展巡访，走访老人60余人次。",
        ),
    );
    let o = run(ws.path(), &["check", "39", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let diags = v["diagnostics"].as_array().unwrap();
    let at = |code: &str| -> Vec<(String, u64, u64)> {
        diags
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (
                    d["path"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    let first = "issues/39/01-推进会.md".to_string();
    // Front matter: the bad date at its value, the missing unit at `+++`.
    assert_eq!(at("E016"), vec![(first.clone(), 3, 8)], "{diags:#?}");
    assert_eq!(at("E010"), vec![(first.clone(), 1, 1)], "{diags:#?}");
    // The body of the same file is still checked, at its true place.
    let (line, col) = line_col(BROKEN, ",");
    assert_eq!(
        at("P001"),
        vec![(first.clone(), line as u64, col as u64)],
        "{diags:#?}"
    );
    // The other file is checked as if the first were fine.
    assert_eq!(
        at("D001"),
        vec![("issues/39/02-巡访.md".to_string(), 4, 8)],
        "{diags:#?}"
    );
    // Placeholders of the broken front matter raise nothing of their own.
    assert!(at("U001").is_empty(), "{diags:#?}");
    assert!(at("D002").is_empty(), "{diags:#?}");
    assert_eq!(v["issue"], serde_json::Value::Null);
}

#[test]
fn a_clean_issue_still_gets_its_issue_number() {
    let ws = workspace();
    write_clean_item(&ws);
    let o = run(ws.path(), &["check", "39", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["issue"], 39);
}

#[test]
fn intake_lists_every_reason_of_a_file() {
    let ws = workspace();
    let body = "正文。\n\n![图](../../../../etc/passwd)\n";
    let p = ws.write(
        "inbox/两处错.md",
        format!(
            "+++\ntitle = \"越界图片\"\ndate = 2025-12-01\ncategory = \"工作动态\"\n+++\n\n{body}"
        ),
    );
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
    drop(f);
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let r = std::fs::read_to_string(ws.join("inbox/rejected/两处错.md.原因.txt")).unwrap();
    assert!(r.contains("缺少必填的键 `unit`"), "{r}");
    assert!(
        r.contains("第9行第1列：图片路径“../../../../etc/passwd”指向工作区之外"),
        "{r}"
    );
}
