//! Bad input in every file the tool reads (bulletin.toml, issue.toml,
//! submissions, images and other paths, signoffs.toml, templates, fonts): each case must stop with a clear
//! Chinese message naming the file (and the line where there is one), exit
//! status 1, no panic, and nothing written under out/.

use crate::util::*;

const GOOD: &str = "+++\ntitle = \"市民政局召开安全工作推进会\"\nunit = \"市局办公室\"\ndate = 2025-11-25\ncategory = \"工作动态\"\n+++\n\n11月25日，市民政局召开安全工作推进会。\n";

struct Case {
    name: &'static str,
    /// Files to write (relative path, bytes); a `None` body removes the file.
    files: Vec<(&'static str, Option<Vec<u8>>)>,
    /// The command (defaults to `build 39 --format html`).
    args: &'static [&'static str],
    /// The file the message must name, and the line if there is one.
    file: &'static str,
    line: Option<usize>,
    /// A fragment of the Chinese message.
    msg: &'static str,
}

fn s(text: &str) -> Option<Vec<u8>> {
    Some(text.as_bytes().to_vec())
}

fn sub(front: &str, body: &str) -> Option<Vec<u8>> {
    s(&format!("+++\n{front}\n+++\n\n{body}\n"))
}

const FRONT: &str =
    "title = \"标题\"\nunit = \"南召县民政局\"\ndate = 2025-12-03\ncategory = \"工作动态\"";

const BUILD: &[&str] = &["build", "39", "--format", "html"];

fn cases() -> Vec<Case> {
    let cfg = |text: String| vec![("bulletin.toml", Some(text.into_bytes()))];
    let base = CONFIG.to_string();
    let c = |name, files, file, line, msg| Case {
        name,
        files,
        args: BUILD,
        file,
        line,
        msg,
    };
    vec![
        // ---- bulletin.toml
        c(
            "config syntax error",
            cfg(base.replace(
                "publisher = \"南阳市民政局办公室\"",
                "publisher = \"南阳市民政局办公室",
            )),
            "bulletin.toml",
            Some(2),
            "TOML 语法错误",
        ),
        c(
            "config missing title",
            cfg(base.replace("title = \"南阳民政工作动态\"\n", "")),
            "bulletin.toml",
            None,
            "缺少必填的键 `title`",
        ),
        c(
            "config unknown key",
            cfg(base.replace("publisher =", "publsher =")),
            "bulletin.toml",
            Some(2),
            "未知的键 `publsher`",
        ),
        c(
            "config wrong type",
            cfg(base.replace("publisher = \"南阳市民政局办公室\"", "publisher = 3")),
            "bulletin.toml",
            Some(2),
            "值的类型不对：应为字符串",
        ),
        c(
            "config no sections",
            cfg("title = \"刊名\"\npublisher = \"编印单位\"\n".to_string()),
            "bulletin.toml",
            None,
            "没有定义任何栏目",
        ),
        c(
            "config duplicate section",
            cfg(base.replace("name = \"简讯\"", "name = \"工作动态\"")),
            "bulletin.toml",
            Some(8),
            "栏目“工作动态”定义了两次",
        ),
        c(
            "config unknown style",
            cfg(base.replace("style = \"brief\"", "style = \"brife\"")),
            "bulletin.toml",
            Some(9),
            "不认识的取值 `brife`",
        ),
        c(
            "config in GBK",
            vec![(
                "bulletin.toml",
                Some(encoding_rs::GB18030.encode(&base).0.into_owned()),
            )],
            "bulletin.toml",
            Some(1),
            "文件不是 UTF-8 编码，看起来是 GB18030 编码",
        ),
        c(
            "config empty",
            cfg(String::new()),
            "bulletin.toml",
            None,
            "缺少必填的键 `title`",
        ),
        c(
            "config binary",
            vec![(
                "bulletin.toml",
                Some(b"\x00\x01\x02\xff\xfe\x00garbage".to_vec()),
            )],
            "bulletin.toml",
            Some(1),
            "文件不是 UTF-8 编码",
        ),
        c(
            "config intake wrong type",
            cfg(format!("{base}\n[intake]\nsettle_seconds = \"五秒\"\n")),
            "bulletin.toml",
            Some(20),
            "值的类型不对：应为整数",
        ),
        c(
            "config intake unknown key",
            cfg(format!("{base}\n[intake]\ninbx = \"收件箱\"\n")),
            "bulletin.toml",
            Some(20),
            "未知的键 `inbx`",
        ),
        Case {
            name: "config intake category not a section",
            files: cfg(format!("{base}\n[intake]\ncategory = \"动态\"\n")),
            args: &["intake"],
            file: "bulletin.toml",
            line: None,
            msg: "[intake] 的 category“动态”没有在 bulletin.toml 的栏目中定义",
        },
        Case {
            name: "config intake inbox is the workspace",
            files: cfg(format!("{base}\n[intake]\ninbox = \".\"\n")),
            args: &["intake"],
            file: "bulletin.toml",
            line: Some(20),
            msg: "收件箱不能设为“.”：这是工作区本身",
        },
        Case {
            name: "config intake inbox inside an issue",
            files: cfg(format!("{base}\n[intake]\ninbox = \"issues/39\"\n")),
            args: &["intake"],
            file: "bulletin.toml",
            line: Some(20),
            msg: "它与期目录 issues/ 重叠",
        },
        // ---- issue.toml
        c(
            "issue.toml missing",
            vec![("issues/39/issue.toml", None)],
            "issues/39/issue.toml",
            None,
            "找不到文件",
        ),
        c(
            "issue.toml number disagrees",
            vec![(
                "issues/39/issue.toml",
                s("number = 40\ndate = 2025-12-08\n"),
            )],
            "issues/39/issue.toml",
            Some(1),
            "issue.toml 写的是第40期，但目录是第39期",
        ),
        c(
            "issue.toml impossible date",
            vec![(
                "issues/39/issue.toml",
                s("number = 39\ndate = 2025-02-30\n"),
            )],
            "issues/39/issue.toml",
            Some(2),
            "日期",
        ),
        c(
            "issue.toml syntax error",
            vec![(
                "issues/39/issue.toml",
                s("number = 39\ndate = 2025-12-08\n[footer\n"),
            )],
            "issues/39/issue.toml",
            Some(3),
            "TOML 语法错误",
        ),
        c(
            "issue.toml order names a missing file",
            vec![
                ("issues/39/01.md", s(GOOD)),
                (
                    "issues/39/issue.toml",
                    s("number = 39\ndate = 2025-12-08\norder = [\"01.md\", \"02.md\"]\n"),
                ),
            ],
            "issues/39/issue.toml",
            Some(3),
            "order 里列出的“02.md”不是本期的投稿文件",
        ),
        c(
            "issue.toml unknown key",
            vec![(
                "issues/39/issue.toml",
                s("number = 39\ndate = 2025-12-08\ntotal = 120\n"),
            )],
            "issues/39/issue.toml",
            Some(3),
            "未知的键 `total`",
        ),
        c(
            "issue.toml in UTF-16",
            vec![("issues/39/issue.toml", {
                let mut b = vec![0xFF, 0xFE];
                for u in "number = 39\ndate = 2025-12-08\n".encode_utf16() {
                    b.extend(u.to_le_bytes());
                }
                Some(b)
            })],
            "issues/39/issue.toml",
            Some(1),
            "看起来是 UTF-16LE 编码",
        ),
        c(
            "two folders for one issue",
            vec![(
                "issues/039/issue.toml",
                s("number = 39\ndate = 2025-12-08\n"),
            )],
            "issues/39",
            None,
            "有 2 个期目录都是第39期",
        ),
        Case {
            name: "issue that does not exist",
            files: vec![],
            args: &["build", "40"],
            file: "issues",
            line: None,
            msg: "找不到第40期",
        },
        // ---- submissions
        c(
            "YAML front matter",
            vec![("issues/39/a.md", s("---\ntitle: 标题\n---\n\n正文。\n"))],
            "issues/39/a.md",
            Some(1),
            "头信息用的是 YAML 的 `---`",
        ),
        c(
            "no front matter",
            vec![("issues/39/a.md", s("正文直接开始。\n"))],
            "issues/39/a.md",
            Some(1),
            "文件开头缺少 `+++` 头信息",
        ),
        c(
            "front matter not closed",
            vec![("issues/39/a.md", s(&format!("+++\n{FRONT}\n\n正文。\n")))],
            "issues/39/a.md",
            Some(1),
            "头信息没有结束",
        ),
        c(
            "missing keys",
            vec![("issues/39/a.md", sub("title = \"标题\"", "正文。"))],
            "issues/39/a.md",
            Some(1),
            "缺少必填的键 `unit`（来源单位）、`date`（日期）、`category`（栏目）",
        ),
        c(
            "unknown category",
            vec![(
                "issues/39/a.md",
                sub(&FRONT.replace("工作动态", "工作动太"), "正文。"),
            )],
            "issues/39/a.md",
            Some(5),
            "栏目“工作动太”没有在 bulletin.toml 中定义",
        ),
        c(
            "impossible date",
            vec![(
                "issues/39/a.md",
                sub(&FRONT.replace("2025-12-03", "2025-13-03"), "正文。"),
            )],
            "issues/39/a.md",
            Some(4),
            "日期",
        ),
        c(
            "order of the wrong type",
            vec![(
                "issues/39/a.md",
                sub(&format!("{FRONT}\norder = \"一\""), "正文。"),
            )],
            "issues/39/a.md",
            Some(6),
            "`order`（排序）应为整数，这里是字符串",
        ),
        c(
            "empty body",
            vec![("issues/39/a.md", sub(FRONT, ""))],
            "issues/39/a.md",
            Some(6),
            "正文为空",
        ),
        c(
            "submission in GBK",
            vec![(
                "issues/39/a.md",
                Some(
                    encoding_rs::GB18030
                        .encode(&format!("+++\n{FRONT}\n+++\n\n正文。\n"))
                        .0
                        .into_owned(),
                ),
            )],
            "issues/39/a.md",
            Some(2),
            "文件不是 UTF-8 编码，看起来是 GB18030 编码",
        ),
        c(
            "front matter syntax error",
            vec![(
                "issues/39/a.md",
                sub(
                    &FRONT.replace("unit = \"南召县民政局\"", "unit = 南召县民政局"),
                    "正文。",
                ),
            )],
            "issues/39/a.md",
            Some(3),
            "TOML 语法错误：文字要用英文双引号括起来",
        ),
        c(
            "duplicate key",
            vec![(
                "issues/39/a.md",
                sub(&format!("{FRONT}\ntitle = \"又一个标题\""), "正文。"),
            )],
            "issues/39/a.md",
            Some(6),
            "重复",
        ),
        c(
            "unknown key with suggestion",
            vec![(
                "issues/39/a.md",
                sub(&format!("{FRONT}\nexcrept = true"), "正文。"),
            )],
            "issues/39/a.md",
            Some(6),
            "未知的键 `excrept`",
        ),
        c(
            "truncated UTF-8 (half-copied file)",
            vec![("issues/39/a.md", {
                let mut b = GOOD.as_bytes().to_vec();
                b.truncate(b.len() - 5);
                Some(b)
            })],
            "issues/39/a.md",
            Some(8),
            "文件不是 UTF-8 编码",
        ),
        c(
            "binary file named .md",
            vec![(
                "issues/39/a.md",
                Some(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2".to_vec()),
            )],
            "issues/39/a.md",
            Some(1),
            "文件不是 UTF-8 编码",
        ),
        // ---- images and paths
        c(
            "image climbing out",
            vec![(
                "issues/39/a.md",
                sub(FRONT, "正文。\n\n![图](../../../etc/passwd)"),
            )],
            "issues/39/a.md",
            Some(10),
            "图片路径“../../../etc/passwd”指向工作区之外",
        ),
        c(
            "absolute image path",
            vec![("issues/39/a.md", sub(FRONT, "![图](/etc/passwd)"))],
            "issues/39/a.md",
            Some(8),
            "图片路径“/etc/passwd”是绝对路径",
        ),
        c(
            "image that does not exist",
            vec![("issues/39/a.md", sub(FRONT, "![现场照片](现场.jpg)"))],
            "issues/39/a.md",
            Some(8),
            "找不到图片文件“现场.jpg”",
        ),
        c(
            "image is a folder",
            vec![
                ("issues/39/图片/说明.txt", s("x")),
                ("issues/39/a.md", sub(FRONT, "![图](图片)")),
            ],
            "issues/39/a.md",
            Some(8),
            "图片“图片”不是文件",
        ),
        c(
            "network image",
            vec![(
                "issues/39/a.md",
                sub(FRONT, "![图](https://example.org/a.png)"),
            )],
            "issues/39/a.md",
            Some(8),
            "不支持网络或内嵌图片",
        ),
        c(
            "data URL image",
            vec![(
                "issues/39/a.md",
                sub(FRONT, "![图](data:image/png;base64,AAAA)"),
            )],
            "issues/39/a.md",
            Some(8),
            "不支持网络或内嵌图片",
        ),
        // ---- signoffs.toml
        c(
            "signoffs syntax error",
            vec![(
                "issues/39/signoffs.toml",
                s("[[signoff]\nrole = \"核稿\"\n"),
            )],
            "issues/39/signoffs.toml",
            Some(1),
            "TOML 语法错误",
        ),
        c(
            "signoffs record without digest",
            vec![(
                "issues/39/signoffs.toml",
                s(
                    "[[signoff]]\nrole = \"核稿\"\nname = \"金路\"\ntime = \"2025-12-07T10:00:00+08:00\"\n",
                ),
            )],
            "issues/39/signoffs.toml",
            Some(1),
            "缺少必填的键 `digest`",
        ),
        // ---- templates
        c(
            "template syntax error",
            vec![("templates/issue.html", s("<html>{% if %}\n"))],
            "templates/issue.html",
            Some(1),
            "语法错误",
        ),
        // ---- fonts
        Case {
            name: "font path that does not exist",
            files: cfg(format!("{base}\n[fonts]\nbody = [\"字体/不存在.ttf\"]\n")),
            args: &["build", "39"],
            file: "bulletin.toml",
            line: Some(20),
            msg: "都找不到或无法读取",
        },
        Case {
            name: "truncated font",
            files: vec![
                (
                    "bulletin.toml",
                    s(&format!("{base}\n[fonts]\nbody = [\"坏字体.otf\"]\n")),
                ),
                ("坏字体.otf", Some(truncated_font())),
            ],
            args: &["build", "39"],
            file: "bulletin.toml",
            line: Some(20),
            msg: "不完整或已损坏",
        },
    ]
}

/// The first 5,000 bytes of a real font: a readable header, missing tables.
fn truncated_font() -> Vec<u8> {
    let font = std::fs::read(repo_root().join("fonts/FandolFang-Regular.otf")).unwrap();
    font[..5000].to_vec()
}

/// What is wrong with how the tool handled `case`, if anything.
fn check(case: &Case) -> Option<String> {
    let ws = workspace();
    for (rel, body) in &case.files {
        match body {
            Some(b) => {
                ws.write(rel, b);
            }
            None => std::fs::remove_file(ws.join(rel)).unwrap(),
        }
    }
    let o = run(ws.path(), case.args);
    let err = stderr(&o);
    let name = case.name;
    let at = match case.line {
        Some(l) => format!("--> {}:{l}:", case.file),
        None => format!("--> {}", case.file),
    };
    let written = files_below(&ws.join("out"));
    let problem = if code(&o) != 1 {
        format!("exit status {}", code(&o))
    } else if err.contains("panicked") {
        "panicked".to_string()
    } else if !err.contains("错误") {
        "no 错误".to_string()
    } else if !err.contains(&at) {
        format!("no `{at}`")
    } else if !err.contains(case.msg) {
        format!("no “{}”", case.msg)
    } else if !written.is_empty() {
        format!("wrote {written:?}")
    } else {
        return None;
    };
    Some(format!("[{name}] {problem}\n{err}{}", stdout(&o)))
}

#[test]
fn every_bad_input_gets_a_clear_message() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[cfg(unix)]
#[test]
fn image_symlink_pointing_outside_is_refused() {
    let ws = workspace();
    let outside = TempDir::new("outside");
    outside.write("秘密.png", b"\x89PNG\r\n\x1a\n");
    std::os::unix::fs::symlink(outside.join("秘密.png"), ws.join("issues/39/图.png")).unwrap();
    ws.write(
        "issues/39/a.md",
        format!("+++\n{FRONT}\n+++\n\n![图](图.png)\n"),
    );
    let o = run(ws.path(), BUILD);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("--> issues/39/a.md:8:") && err.contains("图片路径“图.png”指向工作区之外"),
        "{err}"
    );
    // A symlinked folder leading out is refused the same way.
    std::os::unix::fs::symlink(outside.path(), ws.join("issues/39/外部")).unwrap();
    ws.write(
        "issues/39/a.md",
        format!("+++\n{FRONT}\n+++\n\n![图](外部/秘密.png)\n"),
    );
    let o = run(ws.path(), BUILD);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("指向工作区之外"), "{}", stderr(&o));
    assert!(files_below(&ws.join("out")).is_empty());
}

#[cfg(unix)]
#[test]
fn submission_symlink_pointing_outside_is_refused() {
    let ws = workspace();
    let outside = TempDir::new("outside-sub");
    let secret = outside.write("机密.md", GOOD.replace("11月25日", "绝密内容"));
    std::os::unix::fs::symlink(&secret, ws.join("issues/39/a.md")).unwrap();
    let o = run(ws.path(), BUILD);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("--> issues/39/a.md")
            && err.contains("issues/39/a.md 是指向工作区之外的符号链接，不会读取"),
        "{err}"
    );
    assert!(!err.contains("绝密内容"), "{err}");
    assert!(files_below(&ws.join("out")).is_empty());
    // A link to a file inside the workspace is fine.
    std::fs::remove_file(ws.join("issues/39/a.md")).unwrap();
    ws.write("素材/b.md", GOOD);
    std::os::unix::fs::symlink(ws.join("素材/b.md"), ws.join("issues/39/a.md")).unwrap();
    let o = run(ws.path(), BUILD);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn huge_submission_is_refused_unread() {
    let ws = workspace();
    let p = ws.write("issues/39/a.md", GOOD);
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let o = run(ws.path(), BUILD);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("--> issues/39/a.md")
            && err.contains("文件太大（65.0 MB），超过了每篇 12 MB 的上限"),
        "{err}"
    );
    assert!(files_below(&ws.join("out")).is_empty());
}

#[test]
fn output_folder_that_is_a_file() {
    let ws = workspace();
    ws.write("issues/39/01.md", GOOD);
    ws.write("out", "这是一个文件，不是目录");
    let o = run(ws.path(), BUILD);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(!err.contains("panicked"));
    assert!(
        err.contains("无法写入输出文件") && err.contains("out/39"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("out")).unwrap(),
        "这是一个文件，不是目录"
    );
}

#[test]
fn the_good_baseline_builds() {
    // The cases above fail for their own reason, not because the baseline
    // workspace is broken.
    let ws = workspace();
    ws.write("issues/39/01.md", GOOD);
    let o = run(ws.path(), BUILD);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(files_below(&ws.join("out")).len(), 1);
}

#[cfg(unix)]
#[test]
fn closed_output_pipe_does_not_panic() {
    use std::process::{Command, Stdio};
    let ws = workspace();
    // Enough errors that the messages cannot fit in a pipe buffer.
    for i in 0..200 {
        ws.write(
            &format!("issues/39/{i:03}.md"),
            "没有头信息的正文。\n".repeat(50),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(BUILD)
        .current_dir(ws.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101), "{status:?}");
    assert!(files_below(&ws.join("out")).is_empty());
}
