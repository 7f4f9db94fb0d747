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

/// The data rows of `list` (header first), split on runs of spaces.
fn list_rows(ws: &TempDir) -> Vec<Vec<String>> {
    let o = run(ws.path(), &["list"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn state_of(ws: &TempDir, n: u32) -> String {
    let rows = list_rows(ws);
    let row = rows
        .iter()
        .find(|r| r[0] == format!("第{n}期"))
        .unwrap_or_else(|| panic!("no row for {n}: {rows:?}"));
    row.last().unwrap().clone()
}

#[test]
fn list_walks_an_issue_from_draft_to_final() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission("标题一", "某某县民政局", "2025-12-01", "工作动态", "正文。"),
    );
    ws.write(
        "issues/39/b.md",
        "+++\nunit = \"某某县民政局\"\ndate = 2025-12-02\ncategory = \"简讯\"\n+++\n\n简讯正文。\n",
    );
    ws.write(
        "issues/39/c.md",
        "+++\nunit = \"某某区民政局\"\ndate = 2025-12-03\ncategory = \"简讯\"\n+++\n\n又一条。\n",
    );
    let rows = list_rows(&ws);
    assert_eq!(
        rows[0],
        ["期号", "日期", "工作动态", "简讯", "签核", "状态"]
    );
    assert_eq!(
        rows[1],
        ["第39期", "2025年12月8日", "1", "2", "0/2", "送审稿"]
    );

    let o = run(
        ws.path(),
        &["check", "39", "--sign", "核稿", "--name", "张三"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(state_of(&ws, 39), "签核中");
    let o = run(
        ws.path(),
        &["check", "39", "--sign", "审核", "--name", "李四"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(state_of(&ws, 39), "可出正式版");

    // A draft build does not make it final.
    let o = run(ws.path(), &["build", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(state_of(&ws, 39), "可出正式版");
    let o = run(ws.path(), &["build", "39", "--final"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(ws.join(format!("out/{FINAL_HTML_39}")).is_file());
    assert_eq!(state_of(&ws, 39), "已出正式版");

    // An edit after signing takes the issue back to 送审稿.
    ws.write(
        "issues/39/a.md",
        submission(
            "标题一",
            "某某县民政局",
            "2025-12-01",
            "工作动态",
            "改过的正文。",
        ),
    );
    assert_eq!(state_of(&ws, 39), "送审稿");
}

#[test]
fn list_columns_line_up_by_display_width() {
    let ws = workspace();
    let o = run(ws.path(), &["issue", "new", "--date", "2026-01-05"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(ws.path(), &["list"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // The state column starts at the same terminal cell on every line.
    let cell = |l: &str, word: &str| {
        let at = l.find(word).unwrap_or_else(|| panic!("{word} in {l}"));
        l[..at]
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    assert_eq!(cell(lines[0], "状态"), cell(lines[1], "送审稿"), "{out}");
    assert_eq!(cell(lines[1], "送审稿"), cell(lines[2], "送审稿"), "{out}");
    assert_eq!(cell(lines[0], "签核"), cell(lines[2], "0/2"), "{out}");
}

#[test]
fn list_as_json() {
    let ws = workspace();
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\ntotal_number = 120\n",
    );
    ws.write(
        "issues/39/a.md",
        submission("标题一", "某某县民政局", "2025-12-01", "工作动态", "正文。"),
    );
    let o = run(ws.path(), &["list", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let i = &v["issues"][0];
    assert_eq!(i["number"], 39);
    assert_eq!(i["date"], "2025-12-08");
    assert_eq!(i["total_number"], 120);
    assert_eq!(i["sections"][0]["name"], "工作动态");
    assert_eq!(i["sections"][0]["items"], 1);
    assert_eq!(i["sections"][1]["items"], 0);
    assert_eq!(i["state"], "draft");
    assert_eq!(i["state_label"], "送审稿");
    assert_eq!(i["roles"], 2);

    // A broken issue is listed with its error count and the run fails.
    ws.write("issues/40/issue.toml", "number = 40\ndate = 2025-13-01\n");
    let o = run(ws.path(), &["list", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["issues"][1]["state"], "broken");
    assert!(v["issues"][1]["errors"].as_u64().unwrap() >= 1);
}

/// Display width on a terminal: CJK characters take two cells.
fn cells(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[test]
fn init_writes_every_table_with_aligned_comments() {
    let t = TempDir::new("init-full");
    let o = run(
        t.path(),
        &[
            "init",
            "w",
            "--editor",
            "张三",
            "--title",
            "信阳民政工作动态",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cfg = std::fs::read_to_string(t.join("w/bulletin.toml")).unwrap();
    for table in [
        "[[sections]]",
        "[footer]",
        "# copies = ",
        "[check]",
        "brief_max_chars = 200",
        "[units]",
        "known = [",
        "[intake]",
        "inbox = \"inbox\"",
        "# [html]",
        "# base_url = ",
        "# [layout]",
        "# [fonts]",
        "# [pdf]",
        "# [[reviewers]]",
        "bulletin key new",
    ] {
        assert!(cfg.contains(table), "{table} missing:\n{cfg}");
    }
    assert!(cfg.contains("editor = \"张三\""), "{cfg}");
    assert!(cfg.contains("title = \"信阳民政工作动态\""), "{cfg}");
    // Within each paragraph, inline comments start at one column.
    // (A line that is only `#` separates paragraphs too.)
    let paragraphs = cfg.replace("\n#\n", "\n\n");
    for block in paragraphs.split("\n\n") {
        let cols: Vec<usize> = block
            .lines()
            .filter_map(|l| {
                let at = l.find("  # ")?;
                Some(cells(&l[..at]) + 2)
            })
            .collect();
        assert!(
            cols.windows(2).all(|w| w[0] == w[1]),
            "misaligned comments {cols:?} in:\n{block}"
        );
    }
    // Uncommenting the optional settings gives a valid configuration.
    let opened: String = cfg
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(r)
                if [
                    "[layout]",
                    "[html]",
                    "[pdf]",
                    "[check.levels]",
                    "P013",
                    "copies",
                    "base_url",
                    "margin_top",
                    "lines_per_page",
                    "page_numbers",
                    "standard",
                    "category",
                ]
                .iter()
                .any(|p| r.starts_with(p)) =>
            {
                format!("{r}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(opened.contains("\n[layout]"), "{opened}");
    let u = TempDir::new("init-opened");
    u.write("bulletin.toml", &opened);
    u.write("issues/1/issue.toml", "number = 1\ndate = 2025-12-08\n");
    let o = run(u.path(), &["check", "1"]);
    assert_eq!(code(&o), 0, "{}\n{opened}", stderr(&o));

    // The new workspace checks without an F001 (its editor is set), and a
    // first issue builds.
    let w = t.join("w");
    let o = run(&w, &["issue", "new"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&w, &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("F001"), "{}", stderr(&o));
}

#[test]
fn init_requires_the_editor() {
    let t = TempDir::new("init-editor");
    for args in [&["init", "w"][..], &["init", "w", "--editor", "  "]] {
        let o = run(t.path(), args);
        assert_eq!(code(&o), 2, "{args:?}");
        let e = stderr(&o);
        assert!(e.contains("--editor"), "{e}");
        assert!(e.starts_with("错误"), "{e}");
        assert!(!t.join("w/bulletin.toml").exists());
    }
}

#[test]
fn an_empty_editor_is_a_warning_pointing_at_bulletin_toml() {
    let ws = workspace();
    let cfg = CONFIG.replace("editor = \"王晨晖\"", "editor = \"\"");
    ws.write("bulletin.toml", &cfg);
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let e = stderr(&o);
    let (l, c) = line_col(&cfg, "editor = \"\"");
    assert!(
        e.contains("警告[F001]") && e.contains(&format!("bulletin.toml:{l}:{}", c + 9)),
        "{e}"
    );
    // Not when the editor is set.
    ws.write("bulletin.toml", CONFIG);
    let o = run(ws.path(), &["check", "39"]);
    assert!(!stderr(&o).contains("F001"), "{}", stderr(&o));
}

#[test]
fn a_title_on_a_brief_item_is_a_warning() {
    let ws = workspace();
    let text = "+++\ntitle = \"开展冬季救助\"\nunit = \"某某县民政局\"\ndate = 2025-12-02\ncategory = \"简讯\"\n+++\n\n12月2日，开展冬季救助。\n";
    ws.write("issues/39/b.md", text);
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let e = stderr(&o);
    let (l, c) = line_col(text, "\"开展冬季救助\"");
    assert!(e.contains("警告[L004]"), "{e}");
    assert!(e.contains(&format!("b.md:{l}:{c}")), "{e}");
    assert!(e.contains("开展冬季救助"), "{e}");
}

/// Names of the example issue's office that must not reach another office.
const EXAMPLE_NAMES: &[&str] = &["南召", "南阳", "桐柏", "金路", "郭宇", "王晨晖"];

fn assert_no_example_names(what: &str, text: &str) {
    for n in EXAMPLE_NAMES {
        assert!(!text.contains(n), "{what} names {n}:\n{text}");
    }
}

/// A new office at 信阳 with its own units and sections.
fn xinyang() -> TempDir {
    let t = TempDir::new("xinyang");
    let o = run(
        t.path(),
        &[
            "init",
            ".",
            "--title",
            "信阳民政工作动态",
            "--publisher",
            "信阳市民政局办公室",
            "--editor",
            "赵敏",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cfg = std::fs::read_to_string(t.join("bulletin.toml"))
        .unwrap()
        .replace(
            "  # \"某某县民政局\",",
            "  \"浉河区民政局\",\n  \"平桥区民政局\",",
        )
        .replace("name = \"工作动态\"", "name = \"基层动态\"")
        .replace("settle_seconds = 5", "settle_seconds = 0");
    t.write("bulletin.toml", cfg);
    let o = run(t.path(), &["issue", "new", "--date", "2026-01-05"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    t
}

#[test]
fn help_texts_name_no_office_of_the_example() {
    let t = TempDir::new("help");
    for args in [
        &["--help"][..],
        &["init", "--help"],
        &["issue", "new", "--help"],
        &["new", "--help"],
        &["build", "--help"],
        &["list", "--help"],
        &["check", "--help"],
        &["status", "--help"],
        &["intake", "--help"],
        &["key", "new", "--help"],
    ] {
        let o = run(t.path(), args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert_no_example_names(&format!("{args:?}"), &stdout(&o));
    }
}

#[test]
fn intake_reasons_use_the_offices_own_units() {
    let ws = xinyang();
    ws.write(
        "inbox/新建文本文档.txt",
        "开展冬季救助\n\n全区开展冬季救助。\n",
    );
    let o = run(ws.path(), &["intake", "--category", "基层动态"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let reason =
        std::fs::read_to_string(ws.join("inbox/rejected/新建文本文档.txt.原因.txt")).unwrap();
    assert!(reason.contains("浉河区民政局_"), "{reason}");
    assert_no_example_names("原因", &reason);
    assert_no_example_names("stdout", &stdout(&o));
}

#[test]
fn check_hints_use_the_workspaces_units_and_sections() {
    let ws = xinyang();
    // A submission without a unit: the example is one of the office's own.
    ws.write(
        "issues/1/a.md",
        "+++\ntitle = \"开展冬季救助\"\ndate = 2026-01-02\ncategory = \"基层动态\"\n+++\n\n正文。\n",
    );
    // A brief over the limit: the hint names the office's own section.
    let long = "1月2日，平桥区开展冬季救助。".repeat(20);
    ws.write(
        "issues/1/b.md",
        format!(
            "+++\nunit = \"平桥区民政局\"\ndate = 2026-01-02\ncategory = \"简讯\"\n+++\n\n{long}\n"
        ),
    );
    // A string without quotes in front matter.
    ws.write(
        "issues/1/c.md",
        "+++\ntitle = 开展冬季救助\nunit = \"平桥区民政局\"\ndate = 2026-01-02\ncategory = \"基层动态\"\n+++\n\n正文。\n",
    );
    let o = run(ws.path(), &["check", "1"]);
    let e = stderr(&o);
    assert!(e.contains("unit = \"浉河区民政局\""), "{e}");
    assert_no_example_names("check", &e);
    // Once the files read, the content rules run.
    std::fs::remove_file(ws.join("issues/1/a.md")).unwrap();
    std::fs::remove_file(ws.join("issues/1/c.md")).unwrap();
    let o = run(ws.path(), &["check", "1"]);
    let e = stderr(&o);
    assert!(e.contains("警告[L001]"), "{e}");
    assert!(e.contains("改投“基层动态”栏目"), "{e}");
    assert_no_example_names("check", &e);
    assert!(!e.contains("工作动态"), "{e}");
}
