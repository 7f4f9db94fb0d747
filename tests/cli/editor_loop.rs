//! The editor's everyday loop at another office: numbering, dates, the
//! issue list with its sign-off state, a complete `init`, and hints drawn
//! from the workspace itself.

use crate::util::*;

fn issue_toml(ws: &TempDir, n: u32) -> String {
    std::fs::read_to_string(ws.join(format!("issues/{n}/issue.toml"))).unwrap()
}

#[test]
fn issue_new_carries_total_number_forward() {
    let ws = workspace();
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\ntotal_number = 120\n",
    );
    let o = run(ws.path(), &["issue", "new", "--date", "2025-12-15"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let t = issue_toml(&ws, 40);
    assert!(t.contains("\ntotal_number = 121 "), "{t}");
    // And on from there, through the binary's own output.
    let o = run(ws.path(), &["issue", "new", "--date", "2025-12-22"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(issue_toml(&ws, 41).contains("\ntotal_number = 122 "));
    // The new issues check clean for numbering (no N-rule about totals).
    let o = run(ws.path(), &["check", "41"]);
    assert!(!stderr(&o).contains("total_number"), "{}", stderr(&o));
}

#[test]
fn without_a_previous_total_none_is_invented() {
    let ws = workspace();
    let o = run(ws.path(), &["issue", "new"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let t = issue_toml(&ws, 40);
    assert!(t.contains("# total_number"), "{t}");
    assert!(!t.contains("\ntotal_number"), "{t}");
}

#[test]
fn issue_numbers_are_refused_in_chinese_with_usage_status() {
    let ws = workspace();
    for (arg, want) in [
        ("0", "期号从 1 开始"),
        ("第x期", "期号应是正整数"),
        ("-3", "期号应是正整数"),
        ("4294967296", "数太大"),
    ] {
        let o = run(ws.path(), &["issue", "new", &format!("--number={arg}")]);
        assert_eq!(code(&o), 2, "{arg}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(want), "{arg}: {e}");
        assert!(!e.contains("invalid digit"), "{e}");
        assert!(!ws.join("issues/0").exists());
    }
    // The same rule wherever a number is asked for.
    for args in [
        &["build", "0"][..],
        &["check", "第x期"],
        &["status", "0"],
        &["new", "--issue", "0", "--unit", "x", "--category", "简讯"],
    ] {
        let o = run(ws.path(), args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("期号"), "{}", stderr(&o));
    }
}

#[test]
fn issue_number_may_be_written_as_the_masthead_says() {
    let ws = workspace();
    let o = run(ws.path(), &["issue", "new", "--number", "第48期"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(issue_toml(&ws, 48).contains("number = 48\n"));
}

#[test]
fn dates_in_the_common_chinese_forms() {
    let ws = workspace();
    for (n, date) in [
        (40, "2025-12-22"),
        (41, "2025.12.22"),
        (42, "2025/12/22"),
        (43, "2025年12月22日"),
    ] {
        let o = run(
            ws.path(),
            &["issue", "new", "--number", &n.to_string(), "--date", date],
        );
        assert_eq!(code(&o), 0, "{date}: {}", stderr(&o));
        assert!(issue_toml(&ws, n).contains("date = 2025-12-22\n"), "{date}");
    }
    let o = run(
        ws.path(),
        &[
            "new",
            "--unit",
            "某某县民政局",
            "--category",
            "简讯",
            "--issue",
            "43",
            "--date",
            "2025年12月9日",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(ws.path(), &["issue", "new", "--date", "2025年13月1日"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("2025年12月22日"), "{}", stderr(&o));
}
