//! Sign-off through the real binary: sign, edit, stale, re-sign, final
//! build; line-ending-only edits keep sign-offs; tampering is caught;
//! `--final` without valid sign-offs refuses and writes nothing.

use std::path::Path;

use crate::util::*;

const A1: &str = "11月25日上午，市民政局召开冬季民政服务机构安全工作推进会，部署今冬明春安全防范工作。\n\n会议要求，各县市区要在12月15日前完成辖区机构全覆盖检查。";
const A2: &str = "12月2日，全市养老服务质量提升现场观摩会在方城县召开，与会人员观摩了区域养老服务中心和村级幸福院。";
const B1: &str = "12月3日，桐柏县民政局开展“宪法宣传周”集中宣传活动，解答群众咨询60余人次。";

/// Issue 39 with two articles and one 简讯.
fn ready() -> TempDir {
    let ws = workspace();
    ws.write(
        "issues/39/01-推进会.md",
        submission(
            "市民政局召开冬季安全工作推进会",
            "市局办公室",
            "2025-11-25",
            "工作动态",
            A1,
        ),
    );
    ws.write(
        "issues/39/02-观摩会.md",
        submission(
            "全市养老服务现场观摩会在方城县召开",
            "市养老服务中心",
            "2025-12-02",
            "工作动态",
            A2,
        ),
    );
    ws.write(
        "issues/39/简讯-1.md",
        format!(
            "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-03\ncategory = \"简讯\"\n+++\n\n{B1}\n"
        ),
    );
    ws
}

fn sign(ws: &TempDir, role: &str, name: &str) -> std::process::Output {
    run(ws.path(), &["check", "39", "--sign", role, "--name", name])
}

fn build(ws: &TempDir, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "39", "--format", "html"];
    args.extend_from_slice(extra);
    run(ws.path(), &args)
}

/// The draft HTML edition as a reader sees it (tags removed).
fn html(ws: &TempDir) -> String {
    visible_text(&read_html_39(&ws.join("out")))
}

/// The final HTML edition as a reader sees it.
fn final_html(ws: &TempDir) -> String {
    visible_text(&std::fs::read_to_string(ws.join("out").join(FINAL_HTML_39)).unwrap())
}

/// `status`: exit 0 exactly when it says the final may be built.
fn status(ws: &TempDir) -> String {
    let o = run(ws.path(), &["status", "39"]);
    let ready = stdout(&o).contains("可以出正式版");
    assert_eq!(code(&o), if ready { 0 } else { 1 }, "{}", stderr(&o));
    stdout(&o)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn sign_edit_stale_resign_final() {
    let ws = ready();
    let o = sign(&ws, "核稿", "金路");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("金路已签核第39期“核稿”（3 篇稿件"),
        "{}",
        stdout(&o)
    );
    let o = sign(&ws, "审核", "郭宇");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let st = status(&ws);
    assert!(st.contains("核稿：金路（") && st.contains("）有效"), "{st}");
    assert!(st.contains("审核：郭宇（"), "{st}");
    assert!(st.contains("可以出正式版"), "{st}");

    // Edit one body: both sign-offs go stale, naming the item.
    edit(
        &ws.join("issues/39/02-观摩会.md"),
        "村级幸福院",
        "村级幸福院和助餐点",
    );
    let st = status(&ws);
    assert_eq!(st.matches("已失效").count(), 2, "{st}");
    assert!(
        st.contains("改动了《全市养老服务现场观摩会在方城县召开》"),
        "{st}"
    );
    assert!(!st.contains("推进会》"), "{st}");
    assert!(st.contains("还不能出正式版"), "{st}");

    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("不能出正式版，没有写出任何文件"), "{err}");
    assert!(
        err.contains("“核稿”的签核（金路）已失效：改动了《全市养老服务现场观摩会在方城县召开》"),
        "{err}"
    );
    assert!(!ws.join("out").exists());

    // A draft prints no stale names and carries the draft mark.
    let o = build(&ws, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = html(&ws);
    assert!(page.contains("送审稿"));
    assert!(!page.contains("金路") && !page.contains("郭宇"));

    // Re-sign one role: the draft prints exactly that name.
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&build(&ws, &[])), 0);
    let page = html(&ws);
    assert!(
        page.contains("核稿：金路") && !page.contains("郭宇"),
        "{page}"
    );
    assert_eq!(code(&build(&ws, &["--final"])), 1);

    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("正式版"), "{}", stdout(&o));
    let page = final_html(&ws);
    assert!(page.contains("编辑：王晨晖"), "{page}");
    assert!(
        page.contains("核稿：金路") && page.contains("审核：郭宇"),
        "{page}"
    );
    assert!(!page.contains("送审稿"));
}

#[test]
fn layout_only_edits_keep_the_signoff() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    // CRLF line ends, a BOM, reflowed lines, extra blank lines, trailing spaces.
    let p = ws.join("issues/39/01-推进会.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text
        .replacen("推进会，", "推进会，\n", 1)
        .replace("\n\n会议要求", "\n\n\n\n会议要求");
    let text = format!("\u{feff}{}", text.replace('\n', " \r\n"));
    std::fs::write(&p, text).unwrap();
    let st = status(&ws);
    assert!(st.contains("核稿：金路（") && st.contains("）有效"), "{st}");
    assert!(!st.contains("已失效"), "{st}");

    // A front-matter change that is not printed (the item date) keeps it too.
    edit(&ws.join("issues/39/简讯-1.md"), "2025-12-03", "2025-12-04");
    assert!(!status(&ws).contains("已失效"));
}

#[test]
fn added_removed_masthead_and_end_block_changes_are_named() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    std::fs::remove_file(ws.join("issues/39/简讯-1.md")).unwrap();
    ws.write(
        "issues/39/03-新稿.md",
        submission(
            "南召县开展留守老人关爱巡访",
            "南召县民政局",
            "2025-11-20",
            "工作动态",
            "巡访工作全面展开。",
        ),
    );
    ws.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-09\n\n[footer]\ncopies = 80\n",
    );
    let st = status(&ws);
    for want in [
        "核稿：金路（",
        "已失效",
        "新增了《南召县开展留守老人关爱巡访》",
        "删除了简讯“12月3日，桐柏县民政局开展“宪法宣……”",
        "报头（刊名、编印单位、期号或日期）有改动",
        "版记有改动",
    ] {
        assert!(st.contains(want), "missing {want:?} in\n{st}");
    }
}

#[test]
fn final_without_signoffs_refuses_and_writes_nothing() {
    let ws = ready();
    let before = files_below(ws.path());
    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("错误[S010]: “核稿”还没有签核"), "{err}");
    assert!(err.contains("错误[S010]: “审核”还没有签核"), "{err}");
    assert_eq!(files_below(ws.path()), before);
}

#[test]
fn tampered_signoffs_are_caught() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    let file = ws.join("issues/39/signoffs.toml");
    let good = std::fs::read_to_string(&file).unwrap();

    // Names swapped by hand.
    let swapped = good
        .replace("name = \"金路\"", "name = \"@\"")
        .replace("name = \"郭宇\"", "name = \"金路\"")
        .replace("name = \"@\"", "name = \"郭宇\"");
    std::fs::write(&file, &swapped).unwrap();
    let st = status(&ws);
    assert_eq!(
        st.matches("签核记录在签核后被手工改动过").count(),
        2,
        "{st}"
    );
    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 1);
    assert!(!ws.join("out").exists());

    // A digest changed by hand.
    let d = good.find("digest = \"").unwrap() + "digest = \"".len();
    let mut forged = good.clone();
    forged.replace_range(
        d..d + 4,
        if &good[d..d + 4] == "0000" {
            "1111"
        } else {
            "0000"
        },
    );
    std::fs::write(&file, &forged).unwrap();
    let st = status(&ws);
    assert!(
        st.contains("核稿：金路（") && st.contains("签核记录在签核后被手工改动过"),
        "{st}"
    );
    assert_eq!(code(&build(&ws, &["--final"])), 1);

    // Broken TOML: an error naming the line.
    std::fs::write(&file, good.replacen("name = \"金路\"", "name = 金路", 1)).unwrap();
    let o = run(ws.path(), &["status", "39"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("--> issues/39/signoffs.toml:6:"),
        "{}",
        stderr(&o)
    );
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("issues/39/signoffs.toml:6:"),
        "{}",
        stderr(&o)
    );
    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 1);
    assert!(!ws.join("out").exists());

    // A role that the issue does not have.
    std::fs::write(
        &file,
        good.replacen("role = \"审核\"", "role = \"签发\"", 1),
    )
    .unwrap();
    let o = run(ws.path(), &["status", "39"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("错误[S002]: 签核记录里的角色“签发”不是本期的签核角色"),
        "{err}"
    );
    assert!(err.contains("issues/39/signoffs.toml:"), "{err}");
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("错误[S002]"), "{}", stderr(&o));

    // Restored: valid again.
    std::fs::write(&file, &good).unwrap();
    assert_eq!(code(&build(&ws, &["--final"])), 0);
}

#[test]
fn who_may_sign() {
    let ws = ready();
    let o = sign(&ws, "签发", "郭宇");
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("错误[S003]: 本期没有“签发”这个签核角色"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("核稿、审核"), "{}", stderr(&o));
    let o = sign(&ws, "核稿", "王晨晖");
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("编辑不能签核"), "{}", stderr(&o));
    assert!(!ws.join("issues/39/signoffs.toml").exists());
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    let o = sign(&ws, "审核", "金路");
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("金路已经以“核稿”签核本期，同一人不能担任两个角色"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn signing_is_refused_while_errors_remain() {
    let ws = ready();
    edit(&ws.join("issues/39/01-推进会.md"), "推进会，", "推进会,");
    let o = sign(&ws, "核稿", "金路");
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("错误[P001]"), "{err}");
    assert!(err.contains("还有 1 个错误，不能签核"), "{err}");
    assert!(!ws.join("issues/39/signoffs.toml").exists());
}

#[test]
fn unsign_withdraws() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    let o = run(ws.path(), &["check", "39", "--unsign", "核稿"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("已撤回第39期“核稿”的签核（金路"),
        "{}",
        stdout(&o)
    );
    assert!(status(&ws).contains("核稿：未签核"));
    let o = run(ws.path(), &["check", "39", "--unsign", "核稿"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("“核稿”还没有签核，无需撤回"),
        "{}",
        stderr(&o)
    );
    // After withdrawing, 金路 may take the other role.
    assert_eq!(code(&sign(&ws, "审核", "金路")), 0);
}

#[test]
fn json_check_with_sign_keeps_stdout_json() {
    let ws = ready();
    let o = run(
        ws.path(),
        &[
            "check", "39", "--format", "json", "--sign", "核稿", "--name", "金路",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    assert_eq!(v["errors"], 0);
    assert!(
        stderr(&o).contains("金路已签核第39期“核稿”"),
        "{}",
        stderr(&o)
    );
    assert!(ws.join("issues/39/signoffs.toml").exists());
}

#[test]
fn status_as_json() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    edit(
        &ws.join("issues/39/01-推进会.md"),
        "部署今冬",
        "全面部署今冬",
    );
    let o = run(ws.path(), &["status", "39", "--format", "json"]);
    assert_eq!(code(&o), 1, "not ready: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["issue"], 39);
    assert_eq!(v["editor"], "王晨晖");
    assert_eq!(v["ready_for_final"], false);
    let roles = v["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 2);
    assert_eq!(roles[0]["role"], "核稿");
    assert_eq!(roles[0]["name"], "金路");
    assert_eq!(roles[0]["signed"], true);
    assert_eq!(roles[0]["valid"], false);
    assert_eq!(
        roles[0]["changes"][0],
        "改动了《市民政局召开冬季安全工作推进会》"
    );
    assert_eq!(roles[1]["signed"], false);
    assert!(roles[1]["name"].is_null());
}

/// Draft and final have their own names: a draft build never replaces the
/// final, and `build --all` publishes only finals unless drafts are asked
/// for, marked as drafts.
#[test]
fn drafts_never_replace_or_pass_for_finals() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    assert_eq!(code(&build(&ws, &["--final"])), 0);
    let final_path = ws.join("out").join(FINAL_HTML_39);
    let final_bytes = std::fs::read(&final_path).unwrap();
    // A draft afterwards goes beside it.
    assert_eq!(code(&build(&ws, &[])), 0);
    assert_eq!(std::fs::read(&final_path).unwrap(), final_bytes);
    assert!(ws.join("out").join(HTML_39).is_file());
    // The archive lists the final, not the draft.
    let o = run(ws.path(), &["build", "--all", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    assert!(index.contains("%E7%AC%AC39%E6%9C%9F.html"), "{index}");
    assert!(!index.contains("送审稿"), "{index}");
    assert_eq!(std::fs::read(&final_path).unwrap(), final_bytes);
    // An edit makes the sign-offs stale: the issue is held back, and the
    // last valid final stays published.
    edit(
        &ws.join("issues/39/01-推进会.md"),
        "部署今冬",
        "全面部署今冬",
    );
    let o = run(ws.path(), &["build", "--all", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("继续发布上次的正式版"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read(&final_path).unwrap(), final_bytes);
    let feed = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    assert!(!feed.contains("送审稿"), "{feed}");
    // With --drafts the draft is published, marked as such.
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let feed = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    assert!(feed.contains("第39期（送审稿）</title>"), "{feed}");
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    assert!(index.contains("送审稿"), "{index}");
}

/// A workspace with no valid final publishes nothing without --drafts.
#[test]
fn build_all_without_finals_publishes_no_draft() {
    let ws = ready();
    let o = run(ws.path(), &["build", "--all", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("加 --drafts"), "{}", stdout(&o));
    assert!(!ws.join("out").join(HTML_39).exists());
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    assert!(!index.contains("第39期"), "{index}");
}

/// Every sign, replace and unsign is logged and chained: `status --history`
/// lists them, and an entry removed or edited invalidates the sign-offs.
#[test]
fn the_audit_log_is_chained_and_checked() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    assert_eq!(
        code(&run(ws.path(), &["check", "39", "--unsign", "审核"])),
        0
    );
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    let o = run(ws.path(), &["status", "39", "--history"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("1. ") && out.contains("金路签核“核稿”"),
        "{out}"
    );
    assert!(
        out.contains("3. ") && out.contains("郭宇撤回“审核”"),
        "{out}"
    );
    assert!(out.contains("4. "), "{out}");
    let log = ws.join("issues/39/signoffs.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    // An entry removed from the middle.
    std::fs::write(&log, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3])).unwrap();
    let o = run(ws.path(), &["status", "39"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("日志中有记录被删去或改动过"),
        "{}",
        stdout(&o)
    );
    // An entry edited (a name changed).
    std::fs::write(&log, text.replacen("郭宇", "李明", 1)).unwrap();
    assert_eq!(code(&run(ws.path(), &["status", "39"])), 1);
    assert_eq!(code(&build(&ws, &["--final"])), 1);
    // Intact again: valid.
    std::fs::write(&log, &text).unwrap();
    assert_eq!(code(&run(ws.path(), &["status", "39"])), 0);
    // A record that no entry wrote (hand-written, re-sealed).
    let dir = ws.join("issues/39");
    let mut records =
        bulletin::signoff::read(&bulletin::fsutil::Boundary::new(ws.path()), &dir).unwrap();
    records[0].time = "2025-12-08T08:00:00+08:00".into();
    records[0].seal = records[0].compute_seal();
    std::fs::write(
        dir.join("signoffs.toml"),
        bulletin::signoff::render(&records),
    )
    .unwrap();
    let o = run(ws.path(), &["status", "39"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("签核日志里没有这条签核"),
        "{}",
        stdout(&o)
    );
}

/// Everything that shapes the print is bound: a template, the style sheet,
/// a layout value or a font file changed after both roles signed makes the
/// sign-off stale, and status says it was the presentation. A change that
/// prints nothing does not.
#[test]
fn presentation_changes_make_signoffs_stale() {
    let builtin =
        |name: &str| std::fs::read_to_string(repo_root().join("templates").join(name)).unwrap();
    type Change = Box<dyn Fn(&TempDir)>;
    let font = repo_root().join("fonts/FandolFang-Regular.otf");
    let cases: Vec<(&str, Change)> = vec![
        (
            "template hides an item",
            Box::new(move |ws| {
                ws.write(
                    "templates/issue.html",
                    builtin("issue.html").replacen("{{", "{# hidden #}{{", 1),
                );
            }),
        ),
        (
            "style sheet",
            Box::new(move |ws| {
                ws.write(
                    "templates/style.css",
                    format!("{}\n.item {{ display: none }}\n", builtin("style.css")),
                );
            }),
        ),
        (
            "masthead colour",
            Box::new(|ws| {
                let c = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
                ws.write(
                    "bulletin.toml",
                    format!("{c}\n[layout]\nmasthead_color = [255, 255, 255]\n"),
                );
            }),
        ),
        (
            "body size",
            Box::new(|ws| {
                let c = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
                ws.write("bulletin.toml", format!("{c}\n[layout]\nbody_size = 0.5\n"));
            }),
        ),
        (
            "font file bytes",
            Box::new(|ws| {
                // One byte inside a glyph outline changed.
                let mut bytes = std::fs::read(ws.join("office.otf")).unwrap();
                let n = bytes.len() / 2;
                bytes[n] ^= 0xFF;
                ws.write("office.otf", bytes);
            }),
        ),
    ];
    for (what, change) in cases {
        let ws = ready();
        ws.write("office.otf", std::fs::read(&font).unwrap());
        let c = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
        ws.write(
            "bulletin.toml",
            c.replacen(
                "[footer]",
                "[fonts]\nfallback = [\"office.otf\"]\n\n[footer]",
                1,
            ),
        );
        assert_eq!(code(&sign(&ws, "核稿", "金路")), 0, "{what}");
        assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0, "{what}");
        assert!(status(&ws).contains("可以出正式版"), "{what}");
        change(&ws);
        let out = status(&ws);
        assert!(out.contains("版式、字体或模板有改动"), "{what}: {out}");
        assert!(!out.contains("可以出正式版"), "{what}: {out}");
    }
    // An image nobody uses, added after signing, changes nothing printed.
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    ws.write("issues/39/没用上的照片.png", PNG_1X1);
    assert!(status(&ws).contains("可以出正式版"));
}

/// A stale sign-off shows what changed, character by character, so the
/// reviewer reads only the change; a refused --final shows it too.
#[test]
fn a_stale_signoff_shows_the_change() {
    let ws = ready();
    assert_eq!(code(&sign(&ws, "核稿", "金路")), 0);
    assert_eq!(code(&sign(&ws, "审核", "郭宇")), 0);
    edit(
        &ws.join("issues/39/01-推进会.md"),
        "部署今冬",
        "全面部署今冬",
    );
    let out = status(&ws);
    assert!(
        out.contains("《市民政局召开冬季安全工作推进会》：…")
            && out.contains("〔增：全面〕部署今冬明春"),
        "{out}"
    );
    let o = build(&ws, &["--final"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("〔增：全面〕"), "{}", stderr(&o));
}

/// Sign what you read: a draft carries a review code (in the HTML and the
/// PDF's metadata); signing with it succeeds while the issue prints the
/// same, and is refused with the changes once it does not.
#[test]
fn signing_takes_the_review_code_of_the_draft_read() {
    let ws = ready();
    let o = build(&ws, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let code_text = out
        .split("审核码：")
        .nth(1)
        .and_then(|r| r.get(..9))
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();
    assert!(html(&ws).contains(&format!("审核码 {code_text}")));
    // The issue is edited after the reviewer read the draft.
    edit(
        &ws.join("issues/39/01-推进会.md"),
        "部署今冬",
        "全面部署今冬",
    );
    let o = run(
        ws.path(),
        &[
            "check", "39", "--sign", "核稿", "--name", "金路", "--code", &code_text,
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("错误[S014]"), "{err}");
    assert!(err.contains("〔增：全面〕"), "{err}");
    assert!(!ws.join("issues/39/signoffs.toml").exists());
    // The new draft's code signs.
    let o = build(&ws, &[]);
    let new_code = stdout(&o).split("审核码：").nth(1).unwrap()[..9].to_string();
    assert_ne!(new_code, code_text);
    let o = run(
        ws.path(),
        &[
            "check", "39", "--sign", "核稿", "--name", "金路", "--code", &new_code,
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}
