//! `bulletin check` through the real binary: rules fire at file:line:col
//! and stay silent on clean Chinese text, levels and waivers work, JSON is
//! well formed, and nothing is written.

use crate::util::*;

fn sub(title: &str, body: &str) -> String {
    submission(title, "市局办公室", "2025-12-05", "工作动态", body)
}

const CLEAN: &str = "12月5日上午9:30，市民政局召开全市养老服务工作推进会，通报前三季度工作进展。会议指出，全市养老机构入住率达到68.5%，比去年同期提高3个百分点。\n\n会议要求，各县市区要对照《养老机构服务质量基本规范》逐项整改，相关材料请发送至 yanglao@nanyang.gov.cn，或登录 https://mzj.nanyang.gov.cn/fuwu/index.html?id=12 查询。";

/// The example issue has no errors. Whether it has warnings depends on its
/// text (the zero-warning case is `clean_text_is_silent_...`): here the
/// summary line only has to count what was reported.
#[test]
fn example_issue_passes() {
    let o = run(&repo_root(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    let errors = err.lines().filter(|l| l.starts_with("错误[")).count();
    let warnings = err.lines().filter(|l| l.starts_with("警告[")).count();
    assert_eq!(errors, 0, "{err}");
    assert_eq!(
        err.lines().last(),
        Some(format!("第39期检查完毕：共 0 个错误，{warnings} 个警告").as_str()),
        "{err}"
    );
}

#[test]
fn clean_text_is_silent_and_nothing_is_written() {
    let ws = workspace();
    ws.write(
        "issues/39/01-推进会.md",
        sub("市民政局召开全市养老服务工作推进会", CLEAN),
    );
    ws.write(
        "issues/39/简讯-1.md",
        "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-03\ncategory = \"简讯\"\n+++\n\n12月3日，桐柏县民政局开展“宪法宣传周”活动，解答群众咨询60余人次。\n",
    );
    let before = files_below(ws.path());
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The text is clean; the only note is about the layout: this issue's
    // end block takes a page of its own (W084, see page_fit.rs).
    let e = stderr(&o);
    let warnings: Vec<&str> = e.lines().filter(|l| l.starts_with("警告[")).collect();
    assert!(warnings.iter().all(|l| l.starts_with("警告[W084]")), "{e}");
    assert!(e.contains("共 0 个错误"), "{e}");
    assert_eq!(files_below(ws.path()), before);
}

#[test]
fn punctuation_errors_are_located_with_caret_and_hint() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        sub(
            "市民政局召开推进会",
            "会议强调,要压实责任。\n\n推行\"一门受理\"机制，每隔三、五天巡访一次。",
        ),
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    // Line 8 is the first body line (front matter is 6 lines, then a blank).
    assert!(err.contains("错误[P001]: 汉字旁用了半角标点“,”"), "{err}");
    assert!(err.contains("--> issues/39/01.md:8:5"), "{err}");
    assert!(err.contains("8 | 会议强调,要压实责任。"), "{err}");
    assert!(err.contains("  |         ^\n"), "{err}");
    assert!(err.contains("= 提示：改为全角的“，”"), "{err}");
    assert!(err.contains("错误[P003]"), "{err}");
    assert!(err.contains("--> issues/39/01.md:10:3"), "{err}");
    assert!(err.contains("警告[P010]"), "{err}");
    // Both straight quotes are reported; the empty 简讯 section warns too.
    assert_eq!(err.matches("错误[P003]").count(), 2, "{err}");
    assert!(err.contains("共 3 个错误，2 个警告"), "{err}");
}

#[test]
fn dates_units_duplicates_length_numbering() {
    let ws = workspace();
    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[units]\nknown = [\"市局办公室\", \"南召县民政局\"]\n\n[check]\nbrief_max_chars = 30\n"),
    );
    ws.write("issues/37/issue.toml", "number = 37\ndate = 2025-11-20\n");
    ws.write(
        "issues/39/01.md",
        submission(
            "南召县开展留守老人巡访",
            "南召县民证局",
            "2025-12-09",
            "工作动态",
            "于2025年06月3日启动巡访。",
        ),
    );
    ws.write(
        "issues/39/02.md",
        submission(
            "南召县开展留守老人巡访",
            "南召县民政局",
            "2025-09-01",
            "工作动态",
            "巡访工作全面完成。",
        ),
    );
    ws.write(
        "issues/39/简讯-1.md",
        "+++\nunit = \"市局办公室\"\ndate = 2025-12-03\ncategory = \"简讯\"\n+++\n\n12月3日，市局办公室组织全体干部职工开展消防安全培训和应急疏散演练，提升应急处置能力。\n",
    );
    let found = check_lib(ws.path(), 39);
    let at = |code: &str| {
        let f = find(&found, code);
        (f.error, f.path.as_str(), f.line, f.column)
    };
    assert_eq!(at("D001"), (true, "issues/39/01.md", 4, 8));
    assert_eq!(
        find(&found, "D001").message,
        "稿件日期 2025年12月9日 晚于本期日期 2025年12月8日"
    );
    assert_eq!(find(&found, "D003").message, "日期“06月”前面补了零");
    assert!(find(&found, "D003").error);
    assert_eq!(
        find(&found, "U001").message,
        "来源单位“南召县民证局”不在已知单位名单里"
    );
    assert!(!find(&found, "U001").error && !find(&found, "D002").error);
    // 02.md is older, so it comes first in print order.
    assert_eq!(
        find(&found, "R001").message,
        "标题与 02.md 的标题相同：“南召县开展留守老人巡访”"
    );
    assert_eq!(at("R001"), (false, "issues/39/01.md", 2, 9));
    assert!(find(&found, "L001").message.starts_with("简讯有"));
    assert_eq!(
        find(&found, "N002").message,
        "上一期是第37期，本期是第39期：中间缺了第38期"
    );
    assert_eq!(at("N002"), (false, "issues/39/issue.toml", 1, 1));
    // The same report through the binary: exit 1, and the hint is shown.
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("是不是“南召县民政局”"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn empty_section_is_a_warning() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        sub("市民政局召开推进会", "会议强调，要压实责任。"),
    );
    let found = check_lib(ws.path(), 39);
    assert!(found.iter().all(|f| !f.error), "{found:#?}");
    let f = find(&found, "L003");
    assert_eq!(f.message, "栏目“简讯”本期没有稿件");
    // The section's name in bulletin.toml.
    assert_eq!(
        (f.path.as_str(), f.line, f.column),
        (
            "bulletin.toml",
            line_col(CONFIG, "\"简讯\"").0,
            line_col(CONFIG, "\"简讯\"").1
        )
    );
}

#[test]
fn build_validation_is_reported() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        "+++\ntitle = \"标题\"\nunit = \"市局办公室\"\ncategory = \"工作动态\"\n+++\n\n正文。\n",
    );
    let found = check_lib(ws.path(), 39);
    let f = find(&found, "E010");
    assert!(f.error);
    assert_eq!(f.message, "缺少必填的键 `date`（日期）");
    assert_eq!((f.path.as_str(), f.line), ("issues/39/01.md", 1));
}

#[test]
fn levels_change_and_silence_rules() {
    let body = "会议要求各地抓好落实";
    let ws = workspace();
    ws.write("issues/39/01.md", sub("市民政局召开推进会", body));
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0);
    assert!(stderr(&o).contains("警告[P011]"), "{}", stderr(&o));

    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[check.levels]\nP011 = \"error\"\n"),
    );
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("错误[P011]"), "{}", stderr(&o));

    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[check.levels]\nP011 = \"off\"\nL003 = \"off\"\n"),
    );
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("共 0 个错误，0 个警告"),
        "{}",
        stderr(&o)
    );

    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[check.levels]\nP11 = \"off\"\n"),
    );
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("错误[C003]: [check.levels] 里的“P11”不是检查规则的代码"),
        "{err}"
    );
    assert!(err.contains("--> bulletin.toml:20:1"), "{err}");

    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[check.levels]\nP011 = \"loud\"\n"),
    );
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("bulletin.toml:20"), "{}", stderr(&o));
}

#[test]
fn a_waiver_covers_one_occurrence_and_is_never_printed() {
    let ws = workspace();
    let body = "<!-- bulletin:allow P013 活动的英文名称原文如此 -->\n全力做好救助and帮扶工作。\n\n全力做好救助and帮扶工作。";
    ws.write("issues/39/01.md", sub("市民政局召开推进会", body));
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert_eq!(err.matches("[P013]").count(), 1, "{err}");
    assert!(err.contains("--> issues/39/01.md:11:7"), "{err}");
    assert!(!err.contains("W001"), "{err}");

    let (out, o) = build_into(ws.path(), &["39", "--format", "html"]);
    assert!(!stderr(&o).contains("W001"), "{}", stderr(&o));
    let html = read_html_39(out.path());
    assert!(!html.contains("bulletin:allow") && !html.contains("<!--"));
    assert!(html.contains("全力做好救助and帮扶工作。"));
}

#[test]
fn a_waiver_without_its_problem_is_reported() {
    let ws = workspace();
    let body = "<!-- bulletin:allow P013 -->\n全力做好救助帮扶工作。";
    ws.write("issues/39/01.md", sub("市民政局召开推进会", body));
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("警告[C002]"), "{err}");
    assert!(err.contains("警告[C004]: 豁免标记没有写理由"), "{err}");
    assert!(err.contains("--> issues/39/01.md:8:1"), "{err}");
}

#[test]
fn json_output() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        sub("市民政局召开推进会", "会议强调,要压实责任。"),
    );
    let o = run(ws.path(), &["check", "39", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["issue"], 39);
    assert_eq!(v["errors"], 1);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "P001")
        .expect("P001 present");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "issues/39/01.md");
    assert_eq!(d["line"], 8);
    assert_eq!(d["column"], 5);
    assert_eq!(d["hint"], "改为全角的“，”");
}

#[test]
fn usage_errors() {
    let ws = workspace();
    let o = run(ws.path(), &["check", "39", "--format", "xml"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("错误："), "{}", stderr(&o));
    let o = run(ws.path(), &["check", "39", "--name", "金路"]);
    assert_eq!(code(&o), 2);
    let o = run(ws.path(), &["check", "39", "--sign", "核稿"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("缺少必需的参数"), "{}", stderr(&o));
    let o = run(ws.path(), &["check", "--rules"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("P001") && stdout(&o).contains("N003"));
}

/// A character no font has is found by the same font code the PDF uses,
/// at its file:line:col, and check exits 1.
#[test]
fn a_character_no_font_has_is_an_error_at_its_position() {
    let ws = workspace();
    // No installed-font fallback: the result must not depend on the machine.
    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nsystem_fallback = false\n"),
    );
    ws.write(
        "issues/39/01.md",
        sub(
            "市民政局召开工作会议",
            "会议由王镕同志主持，研究部署冬季救助工作。",
        ),
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("E081") && err.contains("“镕”"), "{err}");
    assert!(err.contains("issues/39/01.md:8:5"), "{err}");
}

#[test]
fn a_front_matter_waiver_covers_the_title() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        "+++\n# bulletin:allow P012 标题是活动口号，原文如此\ntitle = \"温暖过冬，我们在行动。\"\nunit = \"市局办公室\"\ndate = 2025-12-05\ncategory = \"工作动态\"\n+++\n\n会议强调，要压实责任。\n",
    );
    ws.write(
        "issues/39/02.md",
        sub("关爱老人，我们在行动。", "各地开展关爱巡访活动。"),
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert_eq!(err.matches("[P012]").count(), 1, "{err}");
    assert!(err.contains("--> issues/39/02.md:2:"), "{err}");
    assert!(!err.contains("01.md"), "{err}");
}

#[test]
fn numbering_against_the_previous_issue() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        sub("市民政局召开推进会", "会议强调，要压实责任。"),
    );
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\ntotal_number = 121\n",
    );
    // A consecutive previous issue, earlier date, total one less: silent.
    ws.write(
        "issues/38/issue.toml",
        "number = 38\ndate = 2025-11-24\ntotal_number = 120\n",
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(!err.contains("[N00"), "{err}");

    // Later date than this issue, and the same running total.
    ws.write(
        "issues/38/issue.toml",
        "number = 38\ndate = 2025-12-10\ntotal_number = 121\n",
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("警告[N001]: 总第121期已被第38期使用"), "{err}");
    assert!(err.contains("--> issues/39/issue.toml:3:1"), "{err}");
    assert!(
        err.contains(
            "警告[N003]: 本期日期 2025年12月8日 早于上一期（第38期）的日期 2025年12月10日"
        ),
        "{err}"
    );
}

#[test]
fn numbering_can_be_waived_in_issue_toml() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        sub("市民政局召开推进会", "会议强调，要压实责任。"),
    );
    ws.write("issues/37/issue.toml", "number = 37\ndate = 2025-11-20\n");
    ws.write(
        "issues/39/issue.toml",
        "# bulletin:allow N002 第38期为专刊，另行编号\nnumber = 39\ndate = 2025-12-08\n",
    );
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(!err.contains("N002") && !err.contains("C002"), "{err}");
}

/// P015 (spaces between Han and digits) and P006's date ranges through the
/// binary: reported where typed, cleared by `--fix`, which leaves the
/// uncertain number range, a waived line, 《》 and other files as they were.
#[test]
fn number_spaces_and_hyphen_ranges_are_reported_and_fixed() {
    let ws = workspace();
    let body = "11 月 26 日，全市 4416 名干部参加，升级到Windows 11 系统。\n\n11月20日-12月3日开展排查，每组3-5人。\n\n学习《2025 年工作要点》。\n\n<!-- bulletin:allow P015 原文照录 -->\n原文照录共 12 个。";
    let a = ws.write("issues/39/a.md", sub("市民政局召开推进会", body));
    let b = ws.write("issues/39/b.md", sub("市民政局部署工作", CLEAN));
    let b_before = std::fs::read(&b).unwrap();

    let found = check_lib(ws.path(), 39);
    let at = |found: &[Found], code: &str| -> Vec<(usize, usize)> {
        found
            .iter()
            .filter(|f| f.code == code)
            .map(|f| (f.line, f.column))
            .collect()
    };
    let (l, _) = line_col(&std::fs::read_to_string(&a).unwrap(), "11 月");
    assert_eq!(
        at(&found, "P015"),
        vec![(l, 3), (l, 5), (l, 8), (l, 13), (l, 18)],
        "{found:#?}"
    );
    assert_eq!(
        at(&found, "P006"),
        vec![(l + 2, 7), (l + 2, 21)],
        "{found:#?}"
    );

    let o = run(ws.path(), &["check", "39", "--fix"]);
    assert!(stderr(&o).contains("已改正 1 个文件"), "{}", stderr(&o));
    let fixed = std::fs::read_to_string(&a).unwrap();
    assert!(
        fixed.contains("11月26日，全市4416名干部参加，升级到Windows 11 系统。"),
        "{fixed}"
    );
    assert!(
        fixed.contains("11月20日至12月3日开展排查，每组3-5人。"),
        "{fixed}"
    );
    assert!(fixed.contains("《2025 年工作要点》"), "{fixed}");
    assert!(fixed.contains("\n原文照录共 12 个。"), "{fixed}");
    assert_eq!(std::fs::read(&b).unwrap(), b_before);

    // Nothing P015 reports is left; the number range keeps its P006.
    let found = check_lib(ws.path(), 39);
    assert!(at(&found, "P015").is_empty(), "{found:#?}");
    assert_eq!(at(&found, "P006"), vec![(l + 2, 21)], "{found:#?}");
}
