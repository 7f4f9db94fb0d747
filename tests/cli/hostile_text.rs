//! Hostile text through the real binary: bidi controls, zero-width and
//! control characters in every place text comes from (title, unit, body,
//! bulletin.toml), the PDF and the HTML printing one logical order, the
//! terminal never receiving a raw control character, names compared under
//! their key, UTF-16 without BOM, files mixing encodings, issue number
//! overflow and very long titles.

use std::path::Path;

use crate::util::*;

const BODY: &str = "11月25日，市民政局召开冬季安全工作推进会，部署今冬明春安全防范工作。";

/// A workspace whose issue 39 holds one article `a.md` with these parts.
fn one_item(title: &str, unit: &str, body: &str) -> TempDir {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission(title, unit, "2025-12-01", "工作动态", body),
    );
    ws
}

/// Every diagnostic of a run as `CODE@place`, e.g. `T001@issues/39/a.md:2:11`.
fn located(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut code = None;
    for line in stderr.lines() {
        if let Some(rest) = line
            .strip_prefix("错误[")
            .or_else(|| line.strip_prefix("警告["))
        {
            code = rest.split(']').next().map(str::to_string);
        } else if let Some(at) = line.strip_prefix("  --> ")
            && let Some(c) = code.take()
        {
            out.push(format!("{c}@{at}"));
        }
    }
    out
}

/// `bulletin check 39`: exit code, stderr, and the located diagnostics.
fn check(ws: &TempDir) -> (i32, String, Vec<String>) {
    let o = run(ws.path(), &["check", "39"]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    let at = located(&err);
    (code(&o), err, at)
}

/// `path:line:col` of the first `needle` in the file `rel` of `ws`.
fn place(ws: &TempDir, rel: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(ws.join(rel)).unwrap();
    let (l, c) = line_col(&text, needle);
    format!("{rel}:{l}:{c}")
}

/// No raw control character (but newline) reaches the terminal.
fn assert_terminal_clean(s: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}')
        })
        .collect();
    assert!(bad.is_empty(), "raw {bad:?} in output:\n{s}");
}

/// Check fails with `code` at `at`, its message naming `named`, with a hint.
fn assert_reported(ws: &TempDir, code_: &str, at: &str, named: &str) -> String {
    let (c, err, found) = check(ws);
    assert_eq!(c, 1, "{err}");
    let want = format!("{code_}@{at}");
    assert!(found.contains(&want), "{want} not in {found:?}\n{err}");
    assert!(err.contains(named), "{named} not named:\n{err}");
    assert!(err.contains("= 提示："), "{err}");
    assert_terminal_clean(&err);
    err
}

// Bidi controls (T001).

#[test]
fn bidi_override_in_title() {
    let ws = one_item("今年发放\u{202E}15\u{202C}万元", "市局办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\u{202E}");
    let err = assert_reported(&ws, "T001", &at, "U+202E（从右到左强制符）");
    assert!(err.contains("标题里有双向文字控制字符"), "{err}");
}

#[test]
fn bidi_isolate_in_unit_written_as_toml_escape() {
    let ws = one_item("标题", "市局\\u2067办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\\u2067");
    let err = assert_reported(&ws, "T001", &at, "U+2067（从右到左隔离符）");
    assert!(err.contains("来源单位里"), "{err}");
}

#[test]
fn bidi_in_body_raw_and_as_character_reference() {
    let body = "今年发放&#x202E;15&#x202C;万元，\u{200F}惠及群众。";
    let ws = one_item("标题", "市局办公室", body);
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    for needle in ["&#x202E;", "&#x202C;", "\u{200F}"] {
        let want = format!("T001@{}", place(&ws, "issues/39/a.md", needle));
        assert!(found.contains(&want), "{want} not in {found:?}\n{err}");
    }
    assert!(err.contains("U+200F（从右到左标记）"), "{err}");
    assert!(err.contains("正文里"), "{err}");
}

#[test]
fn bidi_in_bulletin_toml_value() {
    let ws = one_item("标题", "市局办公室", BODY);
    ws.write(
        "bulletin.toml",
        CONFIG.replace("editor = \"王晨晖\"", "editor = \"王\u{202D}晨晖\""),
    );
    let at = place(&ws, "bulletin.toml", "\u{202D}");
    let err = assert_reported(&ws, "T001", &at, "U+202D（从左到右强制符）");
    assert!(err.contains("footer.editor"), "{err}");
}

// Zero-width characters (T002).

#[test]
fn zero_width_space_in_title() {
    let ws = one_item("市民政局\u{200B}召开会议", "市局办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\u{200B}");
    assert_reported(&ws, "T002", &at, "U+200B（零宽空格）");
}

#[test]
fn byte_order_mark_inside_unit() {
    let ws = one_item("标题", "市局\u{FEFF}办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\u{FEFF}");
    assert_reported(&ws, "T002", &at, "U+FEFF");
}

#[test]
fn zero_width_in_body_raw_and_as_named_reference() {
    let body = "会议&ZeroWidthSpace;强调，要压实\u{2060}责任，张\u{200D}雪参加。";
    let ws = one_item("标题", "市局办公室", body);
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    for needle in ["&ZeroWidthSpace;", "\u{2060}", "\u{200D}"] {
        let want = format!("T002@{}", place(&ws, "issues/39/a.md", needle));
        assert!(found.contains(&want), "{want} not in {found:?}\n{err}");
    }
    assert!(err.contains("U+200D（零宽连字）"), "{err}");
}

#[test]
fn zero_width_in_bulletin_toml_value() {
    let ws = one_item("标题", "市局办公室", BODY);
    ws.write(
        "bulletin.toml",
        CONFIG.replace("南阳市民政局办公室", "南阳市民政局\\u200B办公室"),
    );
    let at = place(&ws, "bulletin.toml", "\\u200B");
    let err = assert_reported(&ws, "T002", &at, "U+200B（零宽空格）");
    assert!(err.contains("publisher"), "{err}");
}

#[test]
fn joiner_between_letters_that_use_it_is_allowed() {
    // Persian spells with ZWNJ; Chinese text around it is untouched.
    let body = "会议邀请伊朗专家介绍“می\u{200C}خواهم”一词的写法。";
    let ws = one_item("标题", "市局办公室", body);
    let (c, err, found) = check(&ws);
    assert!(
        !found.iter().any(|f| f.starts_with('T')),
        "{found:?}\n{err}"
    );
    assert_eq!(c, 0, "{err}");
}

// Control characters (T003).

#[test]
fn control_in_title_written_as_toml_escape() {
    let ws = one_item("标题\\u001B[2J", "市局办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\\u001B");
    assert_reported(&ws, "T003", &at, "U+001B（转义符 ESC）");
}

#[test]
fn raw_control_in_title_is_named_by_the_toml_error() {
    let ws = one_item("标题\u{1b}[2J", "市局办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\u{1b}");
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    assert!(found.contains(&format!("E014@{at}")), "{found:?}\n{err}");
    assert!(err.contains("U+001B（转义符 ESC）"), "{err}");
    assert_terminal_clean(&err);
}

#[test]
fn control_in_unit_written_as_toml_escape() {
    let ws = one_item("标题", "市局\\u0007办公室", BODY);
    let at = place(&ws, "issues/39/a.md", "\\u0007");
    let err = assert_reported(&ws, "T003", &at, "U+0007（响铃符 BEL）");
    assert!(err.contains("来源单位里有控制字符"), "{err}");
}

#[test]
fn nul_and_escape_in_body_are_located_and_never_printed_raw() {
    let body = "会议\0强调，\u{1b}[31m要压实责任\u{1b}[0m。";
    let ws = one_item("标题", "市局办公室", body);
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    let nul = format!("T003@{}", place(&ws, "issues/39/a.md", "\0"));
    let esc = format!("T003@{}", place(&ws, "issues/39/a.md", "\u{1b}"));
    assert!(
        found.contains(&nul) && found.contains(&esc),
        "{found:?}\n{err}"
    );
    assert!(err.contains("U+0000（空字符 NUL）"), "{err}");
    // The snippet shows the line with its escapes made visible.
    assert!(err.contains("\\x1b[31m要压实责任\\x1b[0m"), "{err}");
    assert_terminal_clean(&err);
    // Neither output holds them.
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = read_html_39(&ws.join("out"));
    assert!(!html.contains('\0') && !html.contains('\u{1b}'));
    assert!(
        visible_text(&html).contains("[31m要压实责任[0m。"),
        "{html}"
    );
}

#[test]
fn c1_control_in_bulletin_toml_value() {
    let ws = one_item("标题", "市局办公室", BODY);
    ws.write(
        "bulletin.toml",
        CONFIG.replace("市民政局领导。", "市民政局\\u009B领导。"),
    );
    let at = place(&ws, "bulletin.toml", "\\u009B");
    assert_reported(&ws, "T003", &at, "U+009B（控制序列引导符 CSI）");
}

// One logical order in both outputs.

const AMOUNT: &str = "今年共发放救助资金\u{202E}15\u{202C}万元，惠及困难群众。";

#[test]
fn bidi_override_prints_logical_order_in_html_and_typeset_lines() {
    let ws = one_item("救助资金发放到位", "市局办公室", AMOUNT);
    let o = run(ws.path(), &["build", "39", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = read_html_39(&ws.join("out"));
    assert!(!html.contains('\u{202E}') && !html.contains('\u{202C}'));
    let seen = visible_text(&html);
    assert!(seen.contains("救助资金15万元"), "{seen}");

    // The PDF's own line list, from the same model.
    let w = bulletin::workspace::Workspace::open(ws.path()).unwrap();
    let (issue, _) = bulletin::model::load_issue(&w, Some(39)).unwrap();
    let mut fonts = bulletin::fonts::FontSet::from_config(&w.config, &w.root).unwrap();
    let doc = bulletin::typeset::typeset(
        &issue,
        &mut fonts,
        &w.config.layout,
        bulletin::typeset::TypesetOptions::default(),
    )
    .unwrap();
    let body: String = doc
        .lines
        .iter()
        .filter(|l| l.kind == bulletin::typeset::LineKind::Body)
        .map(|l| l.text.as_str())
        .collect();
    assert!(body.contains("救助资金15万元"), "{body}");
    assert!(
        !body.contains('\u{202E}') && !body.contains("51万元"),
        "{body}"
    );
    // The check still reports both characters.
    let (c, _, found) = check(&ws);
    assert_eq!(c, 1);
    assert_eq!(found.iter().filter(|f| f.starts_with("T001")).count(), 2);
}

#[test]
fn pdf_text_order_equals_html_text_order() {
    if !external_tests_enabled("poppler-utils（pdftotext）") {
        return;
    }
    let ws = one_item("救助资金发放到位", "市局办公室", AMOUNT);
    let o = run(ws.path(), &["build", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let html = squash(&visible_text(&read_html_39(&ws.join("out"))));
    let o = std::process::Command::new("pdftotext")
        .args([ws.join("out").join(PDF_39).as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let pdf = squash(&String::from_utf8_lossy(&o.stdout));
    let window = |s: &str| -> String {
        let at = s.find("共发放").unwrap_or_else(|| panic!("{s}"));
        s[at..].chars().take(14).collect()
    };
    assert_eq!(window(&pdf), window(&html));
    assert!(window(&html).starts_with("共发放救助资金15万元"), "{html}");
}

// The terminal.

#[test]
fn escape_in_a_file_name_is_shown_escaped() {
    let ws = workspace();
    ws.write("issues/39/坏\u{1b}[2J名.md", "没有头信息的稿件\n");
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    assert!(
        found.iter().any(|f| f.contains("坏\\x1b[2J名.md")),
        "{found:?}\n{err}"
    );
    assert_terminal_clean(&err);
    let o = run(ws.path(), &["build", "39"]);
    assert_terminal_clean(&stderr(&o));
    assert_terminal_clean(&stdout(&o));
}

#[test]
fn escape_sequence_in_a_line_is_shown_escaped() {
    let body = "会议强调，要压实责任。\u{1b}]0;标题被改\u{7}\u{9b}2J";
    let ws = one_item("标题", "市局办公室", body);
    let (c, err, _) = check(&ws);
    assert_eq!(c, 1, "{err}");
    assert!(err.contains("\\x1b]0;标题被改\\x07\\x9b2J"), "{err}");
    assert_terminal_clean(&err);
}

// Names under their key.

/// Issue 39 ready to sign, edited by 张雪.
fn signable() -> TempDir {
    let ws = one_item("市民政局召开冬季安全工作推进会", "市局办公室", BODY);
    ws.write(
        "bulletin.toml",
        CONFIG.replace("editor = \"王晨晖\"", "editor = \"张雪\""),
    );
    ws.write(
        "issues/39/b.md",
        "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-03\ncategory = \"简讯\"\n+++\n\n12月3日，桐柏县民政局开展宪法宣传活动。\n",
    );
    ws
}

fn sign(ws: &TempDir, role: &str, name: &str) -> std::process::Output {
    run(ws.path(), &["check", "39", "--sign", role, "--name", name])
}

#[test]
fn editor_cannot_sign_under_a_spaced_or_invisible_name() {
    let ws = signable();
    for name in ["张 雪", "张　雪", "张\u{200B}雪", "ＺＸ"] {
        let o = sign(&ws, "核稿", name);
        let err = stderr(&o);
        if name == "ＺＸ" {
            // Not the editor: signs.
            assert_eq!(code(&o), 0, "{err}");
            continue;
        }
        assert_eq!(code(&o), 1, "{name:?} signed:\n{err}");
        assert!(err.contains("编辑不能签核"), "{name:?}: {err}");
        assert_terminal_clean(&err);
    }
}

#[test]
fn one_person_cannot_hold_two_roles_as_two_spellings() {
    let ws = signable();
    let o = sign(&ws, "核稿", "金路");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = sign(&ws, "审核", "金　路");
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("同一人不能担任两个角色"),
        "{}",
        stderr(&o)
    );
    // A zero-width character in a name is not printed.
    let o = sign(&ws, "审核", "李\u{200B}明");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(ws.path(), &["build", "39", "--final", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(ws.join("out").join(FINAL_HTML_39)).unwrap();
    assert!(
        html.contains("李明") && !html.contains('\u{200B}'),
        "{html}"
    );
}

#[test]
fn units_are_compared_under_their_key() {
    let ws = one_item("标题", "市局　办公室", BODY);
    let mut cfg = CONFIG.to_string();
    cfg.push_str("\n[units]\nknown = [\"市局办公室\"]\n");
    ws.write("bulletin.toml", &cfg);
    let (_, err, found) = check(&ws);
    assert!(
        !found.iter().any(|f| f.starts_with("U001")),
        "{found:?}\n{err}"
    );
    ws.write(
        "issues/39/a.md",
        submission("标题", "市局办室", "2025-12-01", "工作动态", BODY),
    );
    let (_, err, found) = check(&ws);
    assert!(found.iter().any(|f| f.starts_with("U001")), "{err}");
}

#[test]
fn titles_differing_by_invisible_characters_are_duplicates() {
    let ws = one_item("市民政局召开冬季安全工作推进会", "市局办公室", BODY);
    ws.write(
        "issues/39/b.md",
        submission(
            "市民政局召开冬季\u{200B}安全工作推进会",
            "市局办公室",
            "2025-12-01",
            "工作动态",
            "另一篇稿件的正文，内容完全不同，讲的是养老服务。",
        ),
    );
    let (_, err, found) = check(&ws);
    assert!(found.iter().any(|f| f.starts_with("R001")), "{err}");
}

// Encodings.

fn utf16_no_bom(s: &str, big_endian: bool) -> Vec<u8> {
    s.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn article() -> String {
    submission(
        "社区养老服务站建成投用",
        "市局办公室",
        "2025-12-01",
        "工作动态",
        BODY,
    )
}

#[test]
fn utf16_without_bom_is_named_by_build() {
    for (big, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
        let ws = workspace();
        ws.write("issues/39/a.md", utf16_no_bom(&article(), big));
        let o = run(ws.path(), &["build", "39", "--format", "html"]);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{err}");
        assert!(err.contains(&format!("没有 BOM 的 {name} 编码")), "{err}");
        assert!(err.contains("issues/39/a.md"), "{err}");
        assert!(!err.contains("GB18030"), "{err}");
        assert!(!ws.join("out").exists());
    }
}

fn settled(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(120))
        .unwrap();
}

#[test]
fn utf16_without_bom_is_converted_by_intake() {
    let ws = workspace();
    settled(&ws.write("inbox/小端.md", utf16_no_bom(&article(), false)));
    let other = article().replace("社区养老服务站建成投用", "敬老院冬季消防检查");
    settled(&ws.write("inbox/大端.md", utf16_no_bom(&other, true)));
    let o = run(ws.path(), &["intake"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(out.contains("UTF-16LE（无 BOM）"), "{out}");
    assert!(out.contains("UTF-16BE（无 BOM）"), "{out}");
    let imported: Vec<String> = files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(ws.join("issues/39").join(p)).unwrap())
        .collect();
    assert_eq!(imported.len(), 2, "{out}");
    assert!(imported.contains(&article()), "{imported:?}");
    assert!(imported.contains(&other), "{imported:?}");
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_file_mixing_encodings_is_refused_with_the_line() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("这一段是从另一个文件粘贴来的国标码文字。\n");
    let mut bytes = article().into_bytes();
    bytes.extend_from_slice(&gbk);
    let line = article().lines().count() + 1;

    let ws = workspace();
    ws.write("issues/39/a.md", &bytes);
    let (c, err, found) = check(&ws);
    assert_eq!(c, 1, "{err}");
    assert!(
        found.contains(&format!("E006@issues/39/a.md:{line}:1")),
        "{found:?}\n{err}"
    );
    assert!(err.contains("混用了两种编码"), "{err}");
    // The snippet shows the words, not mojibake.
    assert!(
        err.contains("这一段是从另一个文件粘贴来的国标码文字"),
        "{err}"
    );

    let ws = workspace();
    settled(&ws.write("inbox/混合.md", &bytes));
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let reason = std::fs::read_to_string(ws.join("inbox/rejected/混合.md.原因.txt")).unwrap();
    assert!(reason.contains(&format!("第{line}行")), "{reason}");
    assert!(reason.contains("混用了两种编码"), "{reason}");
    assert!(
        !files_below(&ws.join("issues/39"))
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "md"))
    );
}

// Numbers and lengths.

#[test]
fn issue_number_cannot_overflow() {
    let ws = workspace();
    ws.write(
        "issues/4294967295/issue.toml",
        "number = 4294967295\ndate = 2025-12-08\n",
    );
    let o = run(ws.path(), &["issue", "new"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(err.contains("期号不能再大了"), "{err}");
    assert!(!ws.join("issues/0").exists());
    let o = run(ws.path(), &["issue", "new", "--number", "4294967296"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("数太大"), "{}", stderr(&o));
}

#[test]
fn issue_number_zero_is_refused() {
    let ws = workspace();
    let o = run(ws.path(), &["issue", "new", "--number", "0"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(stderr(&o).contains("期号不能是 0"), "{}", stderr(&o));
    assert!(!ws.join("issues/0").exists());
}

#[test]
fn a_2000_character_title_builds_a_pdf() {
    let title = "关于进一步加强困难群众基本生活保障工作的通知".repeat(100);
    assert!(title.chars().count() >= 2000);
    let ws = one_item(&title, "市局办公室", BODY);
    let o = run(ws.path(), &["build", "39"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(!err.contains("TooLongString"), "{err}");
    let pdf = std::fs::read(ws.join("out").join(PDF_39)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let mut text: String = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // About 80 lines of title: a few pages, not one line a page.
    let mut pages = 0;
    for n in (1..=100).rev() {
        let mark = format!("—{n}—");
        if text.contains(&mark) {
            pages = pages.max(n);
            text = text.replace(&mark, "");
        }
    }
    assert!((3..=8).contains(&pages), "{pages} pages");
    assert!(text.contains(&title), "the whole title is printed:\n{text}");
}
