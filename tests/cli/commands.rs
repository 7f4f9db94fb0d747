//! Every command of the foundation, run as a user would.

use crate::util::*;

/// The text of the HTML edition as a reader sees it.
fn html_of(ws: &TempDir, stem: &str, n: u32) -> String {
    visible_text(
        &std::fs::read_to_string(ws.join(format!("out/{n}/{stem}第{n}期（送审稿）.html"))).unwrap(),
    )
}

#[test]
fn init_issue_new_new_build_round_trip() {
    let t = TempDir::new("init");
    let o = run(t.path(), &["init", "w", "--editor", "张三"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let w = t.join("w");
    let cfg = std::fs::read_to_string(w.join("bulletin.toml")).unwrap();
    assert!(cfg.contains("# 刊物名称"), "comments in Chinese: {cfg}");
    assert!(w.join("issues").is_dir());

    let o = run(&w, &["issue", "new"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(w.join("issues/1/issue.toml").is_file());

    let o = run(
        &w,
        &[
            "new",
            "--unit",
            "南召县民政局",
            "--category",
            "工作动态",
            "--title",
            "测试",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let sub = std::fs::read_to_string(w.join("issues/1/南召县民政局-测试.md")).unwrap();
    assert!(
        sub.starts_with("+++\ntitle = \"测试\"\nunit = \"南召县民政局\"\n"),
        "{sub}"
    );

    let o = run(&w, &["build"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(w.join("out/1/民政工作动态第1期（送审稿）.html")).unwrap();
    assert!(html.contains("测试"));
    assert!(html.contains("（南召县民政局）"));
    assert!(html.contains("请在此处写正文"));
}

#[test]
fn init_refuses_an_existing_workspace() {
    let ws = workspace();
    let before = std::fs::read(ws.join("bulletin.toml")).unwrap();
    let o = run(ws.path(), &["init", ".", "--editor", "张三"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("不会覆盖"), "{}", stderr(&o));
    assert_eq!(std::fs::read(ws.join("bulletin.toml")).unwrap(), before);
}

#[test]
fn issue_new_numbers_and_dates() {
    let ws = workspace();
    let o = run(ws.path(), &["issue", "new", "--date", "2025-12-22"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let t = std::fs::read_to_string(ws.join("issues/40/issue.toml")).unwrap();
    assert!(
        t.contains("number = 40") && t.contains("date = 2025-12-22"),
        "{t}"
    );

    let o = run(ws.path(), &["issue", "new", "--number", "40"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("第40期已经存在"));

    let o = run(ws.path(), &["issue", "new", "--date", "2025-12-32"]);
    assert_eq!(code(&o), 2, "bad date is a usage error");
    assert!(stderr(&o).contains("不是有效的日期"));

    // Default date is today.
    let o = run(ws.path(), &["issue", "new"]);
    assert_eq!(code(&o), 0);
    let t = std::fs::read_to_string(ws.join("issues/41/issue.toml")).unwrap();
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert!(t.contains(&today), "{t}");
}

#[test]
fn new_never_overwrites_and_checks_the_category() {
    let ws = workspace();
    let args = [
        "new",
        "--unit",
        "市局办公室",
        "--category",
        "工作动态",
        "--title",
        "同名稿件",
        "--issue",
        "39",
    ];
    assert_eq!(code(&run(ws.path(), &args)), 0);
    let first = ws.join("issues/39/市局办公室-同名稿件.md");
    std::fs::write(&first, "+++\n已经编辑过的内容\n").unwrap();
    assert_eq!(code(&run(ws.path(), &args)), 0);
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "+++\n已经编辑过的内容\n"
    );
    assert!(ws.join("issues/39/市局办公室-同名稿件-2.md").is_file());

    let o = run(
        ws.path(),
        &[
            "new",
            "--unit",
            "市局办公室",
            "--category",
            "工作动太",
            "--title",
            "x",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("是不是“工作动态”"), "{}", stderr(&o));

    // A brief needs no title; an article does.
    assert_eq!(
        code(&run(
            ws.path(),
            &["new", "--unit", "桐柏县民政局", "--category", "简讯"]
        )),
        0
    );
    let o = run(
        ws.path(),
        &["new", "--unit", "桐柏县民政局", "--category", "工作动态"],
    );
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("需要标题"));
}

#[test]
fn list_shows_numbers_dates_and_counts() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission("甲", "市局办公室", "2025-11-27", "工作动态", "正文。"),
    );
    ws.write("issues/39/b.md", "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-01\ncategory = \"简讯\"\n+++\n\n12月1日，开展活动。\n");
    ws.write("issues/40/issue.toml", "number = 40\ndate = 2025-12-22\n");
    let o = run(ws.path(), &["list"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        ["期号", "日期", "工作动态", "简讯", "签核", "状态"],
        "{out}"
    );
    assert_eq!(
        rows[1],
        ["第39期", "2025年12月8日", "1", "1", "0/2", "送审稿"],
        "{out}"
    );
    assert_eq!(
        rows[2],
        ["第40期", "2025年12月22日", "0", "0", "0/2", "送审稿"],
        "{out}"
    );
}

#[test]
fn help_is_chinese_with_examples_for_every_command() {
    let t = TempDir::new("help");
    for args in [
        vec!["--help"],
        vec!["init", "--help"],
        vec!["issue", "new", "--help"],
        vec!["new", "--help"],
        vec!["build", "--help"],
        vec!["list", "--help"],
    ] {
        let o = run(t.path(), &args);
        assert_eq!(code(&o), 0, "{args:?}");
        let out = stdout(&o);
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(out.contains("示例："), "{args:?}: {out}");
        assert!(
            !out.contains("Usage") && !out.contains("Print help"),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn usage_errors_exit_2_in_chinese() {
    let ws = workspace();
    let o = run(ws.path(), &["biuld"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("没有 `biuld` 这个命令"),
        "{}",
        stderr(&o)
    );
    let o = run(ws.path(), &["build", "--format", "docx"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("只支持 html 和 pdf") || stderr(&o).contains("不对"),
        "{}",
        stderr(&o)
    );
    let o = run(ws.path(), &["build", "--root", "/nonexistent/dir"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn workspace_is_found_from_a_subdirectory() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission("甲", "市局办公室", "2025-11-27", "工作动态", "正文。"),
    );
    let o = run(&ws.join("issues/39"), &["build", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(ws.join("out").join(HTML_39).is_file());
    // The test temp dirs live inside the repository (a workspace itself).
    let outside = std::env::temp_dir().join(format!("bulletin-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let o = run(&outside, &["build"]);
    let _ = std::fs::remove_dir_all(&outside);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("找不到 bulletin.toml"),
        "{}",
        stderr(&o)
    );
}

/// A workspace laid out exactly as the contract says, written by someone
/// else: every title, paragraph and （unit） in order, and the end block.
#[test]
fn contract_workspace_builds_in_order() {
    let ws = workspace();
    ws.write(
        "issues/39/zz-late.md",
        "+++\ntitle = \"第三篇：无排序号\"\nunit = \"宛城区民政局\"\ndate = \"2025-11-20\"\ncategory = \"工作动态\"\n+++\n\n第三篇正文。\n",
    );
    ws.write(
        "issues/39/b.md",
        "+++\ntitle = \"第二篇：排序号二\"\nunit = \"市养老服务中心\"\ndate = 2025-11-27\ncategory = \"工作动态\"\norder = 2\nexcerpt = true\n+++\n\n11月27日，召开会议。**一是**提高站位；**二是**规范服务。\n\n第二段。\n",
    );
    ws.write(
        "issues/39/a.md",
        "+++\ntitle = \"第一篇：排序号一\"\nunit = \"市局办公室\"\ndate = 2025-11-28\ncategory = \"工作动态\"\norder = 1\n+++\n\n第一篇正文。\n",
    );
    ws.write(
        "issues/39/aa-early.md",
        "+++\ntitle = \"第四篇：日期相同按文件名\"\nunit = \"南召县民政局\"\ndate = 2025-11-20\ncategory = \"工作动态\"\n+++\n\n第四篇正文。\n",
    );
    ws.write("issues/39/brief-2.md", "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-04\ncategory = \"简讯\"\n+++\n\n12月4日，简讯乙。\n");
    ws.write("issues/39/brief-1.md", "+++\nunit = \"市救助服务中心\"\ndate = 2025-11-28\ncategory = \"简讯\"\n+++\n\n11月28日，简讯甲。\n");
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = html_of(&ws, "南阳民政工作动态", 39);
    let order = [
        "南阳民政工作动态",
        "第39期",
        "南阳市民政局办公室",
        "2025年12月8日",
        "第一篇：排序号一",
        "第一篇正文。",
        "（市局办公室）",
        "第二篇：排序号二",
        "（节选）",
        "11月27日，召开会议。",
        "一是",
        "第二段。",
        "（市养老服务中心）",
        "第四篇：日期相同按文件名",
        "（南召县民政局）",
        "第三篇：无排序号",
        "（宛城区民政局）",
        "简讯",
        "11月28日，简讯甲。",
        "（市救助服务中心）",
        "12月4日，简讯乙。",
        "（桐柏县民政局）",
        "报：市民政局领导。",
        "发：各县市区民政局（社会事业局），市局机关各科（室、局）、局属各单位。",
        "编辑：王晨晖",
        "核稿：",
        "审核：",
    ];
    let mut at = 0;
    for needle in order {
        let found = html[at..]
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` missing after byte {at}:\n{html}"));
        at += found + needle.len();
    }

    // issue.toml `order` overrides.
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\norder = [\"zz-late.md\", \"a.md\"]\n",
    );
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = html_of(&ws, "南阳民政工作动态", 39);
    let pos = |s: &str| html.find(s).unwrap();
    assert!(pos("第三篇：无排序号") < pos("第一篇：排序号一"));
    assert!(pos("第一篇：排序号一") < pos("第二篇：排序号二"));
    assert!(pos("第二篇：排序号二") < pos("第四篇：日期相同按文件名"));

    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\norder = [\"nope.md\"]\n",
    );
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("issues/39/issue.toml:3:10"),
        "{}",
        stderr(&o)
    );
}

/// Another office: other section headings, a footer with only 发至 and
/// 抄送, a per-issue footer override. Nothing about Nanyang is hard-coded.
#[test]
fn another_office_is_not_nanyang() {
    let ws = TempDir::new("other");
    ws.write(
        "bulletin.toml",
        "title = \"信阳民政简报\"\npublisher = \"信阳市民政局\"\n[[sections]]\nname = \"市级\"\nheading = \"●市级动态\"\n[[sections]]\nname = \"县区\"\nheading = \"●县区动态\"\n[footer]\nsignoffs = [\"签发\"]\nlines = [ { label = \"发至\", text = \"各县区民政局。\" }, { label = \"抄送\", text = \"市委办公室。\" } ]\n",
    );
    ws.write(
        "issues/7/issue.toml",
        "number = 7\ndate = 2026-03-02\ntotal_number = 120\n[footer]\neditor = \"李明\"\n",
    );
    ws.write(
        "issues/7/a.md",
        submission("县区稿件", "息县民政局", "2026-02-27", "县区", "县区正文。"),
    );
    ws.write(
        "issues/7/b.md",
        submission("市级稿件", "市局办公室", "2026-02-28", "市级", "市级正文。"),
    );
    let o = run(ws.path(), &["build", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = html_of(&ws, "信阳民政简报", 7);
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("`{s}` missing:\n{html}"))
    };
    assert!(pos("●市级动态") < pos("市级稿件"));
    assert!(pos("市级稿件") < pos("●县区动态"));
    assert!(pos("●县区动态") < pos("县区稿件"));
    pos("（总第120期）");
    pos("2026年3月2日");
    pos("发至：各县区民政局。");
    pos("抄送：市委办公室。");
    pos("编辑：李明");
    pos("签发：");
    assert!(!html.contains("南阳") && !html.contains("报："), "{html}");
}

/// A format named twice is rendered and written once.
#[test]
fn a_repeated_format_is_built_once() {
    let ws = workspace();
    write_clean_item(&ws);
    let o = run(ws.path(), &["build", "39", "--format", "html,pdf,html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches(".html").count(), 1, "{out}");
    assert_eq!(out.matches(".pdf").count(), 1, "{out}");
}
