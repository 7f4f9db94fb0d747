//! `bulletin intake` through the real binary: a messy inbox, reruns,
//! concurrent runs, the lock.

use crate::util::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Make a file look as if it was written a while ago (settled).
fn age(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// Every file below `dir` with its bytes, the lock file left out.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .filter(|p| !p.ends_with(".bulletin-intake.lock"))
        .map(|p| {
            let b = std::fs::read(dir.join(&p)).unwrap();
            (p, b)
        })
        .collect()
}

/// Files under inbox/ that are not reason files: the originals wherever
/// intake put them.
fn originals(ws: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(&ws.join("inbox"))
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".原因.txt"))
        .map(|p| {
            let b = std::fs::read(ws.join("inbox").join(&p)).unwrap();
            (p, b)
        })
        .collect()
}

fn issue_md(ws: &Path) -> Vec<PathBuf> {
    files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect()
}

struct Messy {
    name: &'static str,
    bytes: Vec<u8>,
    settled: bool,
}

fn messy_inbox() -> Vec<Messy> {
    let gbk_md = submission(
        "唐河县民政局召开冬季救助工作部署会",
        "唐河县民政局",
        "2025-11-18",
        "工作动态",
        "11月18日，唐河县民政局召开冬季救助工作部署会，安排困难群众过冬保障。",
    )
    .replace('\n', "\r\n");
    let utf16le_md = submission(
        "西峡县推进婚姻登记“一站式”服务",
        "西峡县民政局",
        "2025-12-01",
        "工作动态",
        "西峡县婚姻登记处优化流程，实现材料一次提交。",
    );
    let utf16be_txt = "淅川县开展养老机构消防安全检查\r\n\r\n　　近日，淅川县民政局对全县23家养老机构开展消防安全检查。\r\n　　检查组现场整改问题11处。\r\n";
    let bom_md = format!(
        "\u{feff}{}",
        submission(
            "社旗县完成困难老年人家庭适老化改造",
            "社旗县民政局",
            "2025-11-30",
            "工作动态",
            "社旗县今年完成困难老年人家庭适老化改造320户。   \n\n第二段，行尾有全角空格。\u{3000}\u{3000}",
        )
    )
    .replace('\n', "\r\n");
    let brief = "+++\nunit = \"镇平县民政局\"\ndate = 2025-12-04\ncategory = \"简讯\"\n+++\n\n12月4日，镇平县民政局组织开展殡葬领域安全检查。\n";
    let missing = "+++\ntitle = \"内乡县开展敬老院消防演练\"\ncategory = \"工作动态\"\n+++\n\n内乡县组织敬老院开展夜间消防疏散演练。\n";
    let bad_key = "+++\ntitle = \"邓州市救助站开展寒冬送温暖专项行动\"\nunit = \"邓州市民政局\"\ndate = 2025-12-05\ncategroy = \"工作动态\"\n+++\n\n邓州市救助站开展寒冬送温暖专项行动。\n";
    vec![
        Messy {
            name: "唐河县稿件.md",
            bytes: gbk(&gbk_md),
            settled: true,
        },
        Messy {
            name: "西峡县稿件.md",
            bytes: utf16(&utf16le_md, true),
            settled: true,
        },
        Messy {
            name: "淅川县民政局_2025-11-29_消防检查.txt",
            bytes: utf16(utf16be_txt, false),
            settled: true,
        },
        Messy {
            name: "社旗县.md",
            bytes: bom_md.into_bytes(),
            settled: true,
        },
        Messy {
            name: "镇平简讯.md",
            bytes: brief.as_bytes().to_vec(),
            settled: true,
        },
        Messy {
            name: "内乡县稿件.md",
            bytes: missing.as_bytes().to_vec(),
            settled: true,
        },
        Messy {
            name: "邓州市.md",
            bytes: gbk(bad_key),
            settled: true,
        },
        Messy {
            name: "新建文本文档.txt",
            bytes: gbk("方城县召开养老服务推进会\r\n方城县召开养老服务推进会，部署年底工作。\r\n"),
            settled: true,
        },
        Messy {
            name: "南召县工作总结.docx",
            bytes:
                b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01\x00\x00 \x05"
                    .to_vec(),
            settled: true,
        },
        Messy {
            name: "只有BOM.md",
            bytes: vec![0xFF, 0xFE],
            settled: true,
        },
        Messy {
            name: "~$南召县工作总结.docx",
            bytes: b"\x0bwps-lock".to_vec(),
            settled: true,
        },
        Messy {
            name: "桐柏县稿件.md.part",
            bytes: gbk("+++\ntitle = \"桐柏县"),
            settled: true,
        },
        Messy {
            name: "卧龙区稿件.md",
            bytes: "+++\ntitle = \"卧龙区".as_bytes().to_vec(),
            settled: false,
        },
    ]
}

fn put(ws: &TempDir, files: &[Messy]) {
    for f in files {
        let p = ws.write(&format!("inbox/{}", f.name), &f.bytes);
        if f.settled {
            age(&p);
        }
    }
}

#[test]
fn messy_inbox_every_file_accounted_for() {
    let ws = workspace();
    let files = messy_inbox();
    put(&ws, &files);
    let before = originals(ws.path());
    assert_eq!(before.len(), files.len());

    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "a file was rejected: {out}\n{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    for conv in [
        "GB18030 → UTF-8",
        "UTF-16LE → UTF-8",
        "UTF-16BE → UTF-8",
        "CRLF → LF",
    ] {
        assert!(out.contains(conv), "{conv} not reported:\n{out}");
    }
    assert!(out.contains("去掉 BOM"), "{out}");

    // File count before == after, every original byte-for-byte somewhere.
    let after = originals(ws.path());
    assert_eq!(after.len(), before.len(), "{after:?}");
    for (name, bytes) in &before {
        let found: Vec<&PathBuf> = after
            .iter()
            .filter(|(_, b)| b == bytes)
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found.len(), 1, "{name:?} found at {found:?}");
    }
    let place = |name: &str| -> PathBuf {
        let bytes = &files.iter().find(|f| f.name == name).unwrap().bytes;
        after.iter().find(|(_, b)| b == bytes).unwrap().0.clone()
    };
    for accepted in [
        "唐河县稿件.md",
        "西峡县稿件.md",
        "淅川县民政局_2025-11-29_消防检查.txt",
        "社旗县.md",
        "镇平简讯.md",
    ] {
        let p = place(accepted);
        assert!(p.starts_with("processed"), "{accepted} → {p:?}\n{out}");
    }
    for rejected in [
        "内乡县稿件.md",
        "邓州市.md",
        "新建文本文档.txt",
        "南召县工作总结.docx",
        "只有BOM.md",
    ] {
        let p = place(rejected);
        assert_eq!(p, Path::new("rejected").join(rejected), "{out}");
        let reason = std::fs::read_to_string(
            ws.join("inbox/rejected")
                .join(format!("{rejected}.原因.txt")),
        )
        .unwrap();
        assert!(reason.contains("未能导入的原因"), "{reason}");
    }
    for left in [
        "~$南召县工作总结.docx",
        "桐柏县稿件.md.part",
        "卧龙区稿件.md",
    ] {
        assert_eq!(place(left), Path::new(left), "{out}");
    }

    // Reasons name each problem with its line.
    let reason =
        |n: &str| std::fs::read_to_string(ws.join(format!("inbox/rejected/{n}.原因.txt"))).unwrap();
    let r = reason("内乡县稿件.md");
    assert!(
        r.contains("第1行第1列：缺少必填的键 `unit`（来源单位）、`date`（日期）"),
        "{r}"
    );
    let r = reason("邓州市.md");
    assert!(r.contains("第5行第1列：未知的键 `categroy`"), "{r}");
    assert!(r.contains("是不是想写 `category`"), "{r}");
    let r = reason("新建文本文档.txt");
    assert!(r.contains("单位_YYYY-MM-DD_标题.txt"), "{r}");
    let r = reason("南召县工作总结.docx");
    assert!(r.contains("已损坏"), "{r}");
    let r = reason("只有BOM.md");
    assert!(r.contains("文件里没有任何文字"), "{r}");

    // Accepted files: clean UTF-8 in the issue, and the issue builds.
    let md = issue_md(ws.path());
    assert_eq!(md.len(), 5, "{md:?}");
    for p in &md {
        let bytes = std::fs::read(ws.join("issues/39").join(p)).unwrap();
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(
            !text.contains('\r') && !text.starts_with('\u{feff}'),
            "{p:?}"
        );
        assert!(
            text.lines()
                .all(|l| l == l.trim_end_matches([' ', '\u{3000}'])),
            "{p:?}: {text}"
        );
    }
    let txt_md =
        std::fs::read_to_string(ws.join("issues/39/淅川县开展养老机构消防安全检查.md")).unwrap();
    assert!(txt_md.contains("unit = \"淅川县民政局\""), "{txt_md}");
    assert!(txt_md.contains("date = 2025-11-29"), "{txt_md}");
    let (html_dir, _) = build_into(ws.path(), &["39", "--format", "html"]);
    // Titles carry <wbr> between words.
    let html = read_html_39(html_dir.path()).replace("<wbr>", "");
    for s in [
        "唐河县民政局召开冬季救助工作部署会",
        "西峡县推进婚姻登记“一站式”服务",
        "淅川县开展养老机构消防安全检查",
        "检查组现场整改问题11处",
        "社旗县完成困难老年人家庭适老化改造",
        "镇平县民政局组织开展殡葬领域安全检查",
    ] {
        assert!(html.contains(s), "{s} missing from the build");
    }

    // Running again changes nothing (the fresh file is still fresh).
    let snap = snapshot(ws.path());
    let again = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&again), 0, "{}", stdout(&again));
    assert_eq!(snapshot(ws.path()), snap);

    // Once it has settled, the half-written file is processed (and, being
    // broken, rejected with its reason).
    age(&ws.join("inbox/卧龙区稿件.md"));
    let third = run(ws.path(), &["intake"]);
    assert_eq!(code(&third), 1, "{}", stdout(&third));
    let r = reason("卧龙区稿件.md");
    assert!(r.contains("第1行"), "{r}");
    assert_eq!(originals(ws.path()).len(), files.len());
}

#[test]
fn same_text_twice_is_a_duplicate_and_same_title_gets_a_suffix() {
    let ws = workspace();
    let a = submission(
        "桐柏县开展低保专项治理",
        "桐柏县民政局",
        "2025-12-01",
        "工作动态",
        "桐柏县开展低保专项治理，抽查档案45份。",
    );
    let b = a.replace("45份", "60份");
    age(&ws.write("inbox/a.md", &a));
    age(&ws.write("inbox/b.md", &b));
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let md = issue_md(ws.path());
    assert_eq!(
        md,
        vec![
            PathBuf::from("桐柏县开展低保专项治理-2.md"),
            PathBuf::from("桐柏县开展低保专项治理.md"),
        ]
    );
    // The same file sent again: kept, not imported a second time.
    age(&ws.write("inbox/a.md", &a));
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("重复"), "{}", stdout(&o));
    assert_eq!(issue_md(ws.path()).len(), 2);
    let kept: Vec<PathBuf> = files_below(&ws.join("inbox/processed"))
        .into_iter()
        .map(|p| PathBuf::from(p.file_name().unwrap()))
        .collect();
    assert_eq!(
        kept,
        vec![
            PathBuf::from("a-2.md"),
            PathBuf::from("a.md"),
            PathBuf::from("b.md")
        ]
    );
}

#[test]
fn txt_metadata_from_flags() {
    let ws = workspace();
    age(&ws.write(
        "inbox/新建文本文档 (2).txt",
        gbk("宛城区开展社区养老服务评估\r\n宛城区对辖区18个社区养老服务站开展评估。\r\n1. 服务质量；\r\n* 安全管理。\r\n"),
    ));
    let o = run(
        ws.path(),
        &[
            "intake",
            "--unit",
            "宛城区民政局",
            "--date",
            "2025-12-06",
            "--category",
            "工作动态",
        ],
    );
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let text = std::fs::read_to_string(ws.join("issues/39/宛城区开展社区养老服务评估.md")).unwrap();
    assert!(
        text.contains("unit = \"宛城区民政局\"\ndate = 2025-12-06\n"),
        "{text}"
    );
    // Plain text stays plain: no list is made of "1." or "*".
    assert!(text.contains("1\\. 服务质量；"), "{text}");
    let (html_dir, _) = build_into(ws.path(), &["--format", "html"]);
    let html = read_html_39(html_dir.path());
    assert!(html.contains("1. 服务质量；"), "{html}");
    assert!(html.contains("* 安全管理。"), "{html}");
    // A category that does not exist: nothing is touched.
    let p = ws.write("inbox/宛城区民政局_2025-12-07_第二篇.txt", "标题\n正文。\n");
    age(&p);
    let before = snapshot(ws.path());
    let o = run(ws.path(), &["intake", "--category", "工作动"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("--category 给的栏目“工作动”没有在 bulletin.toml 中定义"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("是不是“工作动态”"), "{}", stderr(&o));
    assert_eq!(snapshot(ws.path()), before);
    // No category at all: the .txt waits in the inbox, with the reason.
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("纯文本稿件需要指定栏目"),
        "{}",
        stdout(&o)
    );
    assert!(p.exists());
    // The workspace may name a default category for .txt files.
    let cfg = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
    ws.write(
        "bulletin.toml",
        format!("{cfg}\n[intake]\ncategory = \"简讯\"\n"),
    );
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let text = std::fs::read_to_string(ws.join("issues/39/标题.md")).unwrap();
    assert!(text.contains("category = \"简讯\""), "{text}");
}

#[test]
fn paths_leaving_the_workspace_are_rejected() {
    let ws = workspace();
    let body = "正文。\n\n![图](../../../../etc/passwd)\n";
    age(&ws.write(
        "inbox/越界.md",
        submission("越界图片", "市局办公室", "2025-12-01", "工作动态", body),
    ));
    #[cfg(unix)]
    {
        let link = ws.join("inbox/外链.md");
        std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
    }
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let r = std::fs::read_to_string(ws.join("inbox/rejected/越界.md.原因.txt")).unwrap();
    assert!(
        r.contains("第10行第1列：图片路径“../../../../etc/passwd”指向工作区之外"),
        "{r}"
    );
    #[cfg(unix)]
    {
        let moved = ws.join("inbox/rejected/外链.md");
        assert!(moved.symlink_metadata().unwrap().file_type().is_symlink());
        assert!(std::path::Path::new("/etc/hostname").exists());
        let r = std::fs::read_to_string(ws.join("inbox/rejected/外链.md.原因.txt")).unwrap();
        assert!(r.contains("符号链接"), "{r}");
    }
    assert!(issue_md(ws.path()).is_empty());
}

#[test]
fn lock_held_refuses_and_stale_lock_is_taken_over() {
    let ws = workspace();
    age(&ws.write(
        "inbox/a.md",
        submission("标题甲", "市局办公室", "2025-12-01", "工作动态", "正文甲。"),
    ));
    let lock_path = ws.join(".bulletin-intake.lock");
    std::fs::write(&lock_path, "pid=424242\nstarted=2025-12-01 08:00:00\n").unwrap();
    let f = std::fs::File::options()
        .read(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    f.lock().unwrap();
    let before = snapshot(ws.path());
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("另一个 bulletin intake 正在运行（进程 424242，开始于 2025-12-01 08:00:00）"),
        "{err}"
    );
    assert!(err.contains(".bulletin-intake.lock"), "{err}");
    assert_eq!(snapshot(ws.path()), before);
    // The holder dies without cleaning up: its lock goes, the file stays.
    drop(f);
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("没有正常结束"), "{}", stderr(&o));
    assert_eq!(issue_md(ws.path()), vec![PathBuf::from("标题甲.md")]);
}

#[test]
fn concurrent_intakes_never_duplicate_or_lose() {
    let ws = workspace();
    let n = 30;
    for i in 0..n {
        let p = ws.write(
            &format!("inbox/稿件{i:02}.md"),
            submission(
                &format!("第{i}篇稿件的标题"),
                "市局办公室",
                "2025-12-01",
                "工作动态",
                &format!("第{i}篇稿件的正文。"),
            ),
        );
        age(&p);
    }
    let mut refused = 0;
    for _round in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
                    .arg("intake")
                    .current_dir(ws.path())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            match o.status.code() {
                Some(0) => {}
                Some(1) => {
                    assert!(err.contains("另一个 bulletin intake 正在运行"), "{err}");
                    refused += 1;
                }
                other => panic!("exit {other:?}: {err}"),
            }
        }
    }
    eprintln!("{refused} of 12 intakes found the lock held");
    let md = issue_md(ws.path());
    assert_eq!(md.len(), n, "{md:?}");
    let kept = files_below(&ws.join("inbox/processed"));
    assert_eq!(kept.len(), n, "{kept:?}");
    for i in 0..n {
        assert!(md.contains(&PathBuf::from(format!("第{i}篇稿件的标题.md"))));
    }
    let top: Vec<_> = std::fs::read_dir(ws.join("inbox"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .collect();
    assert!(top.is_empty());
}

#[test]
fn missing_inbox_is_created_and_reported() {
    let ws = workspace();
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("原先不存在，已新建"), "{}", stdout(&o));
    assert!(ws.join("inbox").is_dir());
    let o = run(ws.path(), &["intake", "--issue", "40"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("找不到第40期"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn gbk_file_names_are_decoded() {
    use std::os::unix::ffi::OsStrExt;
    let ws = workspace();
    let name = gbk("南召县民政局_2025-12-03_冬季救助.txt");
    let raw = std::ffi::OsStr::from_bytes(&name);
    let p = ws.join("inbox").join(raw);
    std::fs::create_dir_all(ws.join("inbox")).unwrap();
    std::fs::write(
        &p,
        gbk("南召县开展冬季救助\r\n南召县为困难群众发放棉衣棉被。\r\n"),
    )
    .unwrap();
    age(&p);
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("文件名 GB18030 → UTF-8"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(ws.join("issues/39/南召县开展冬季救助.md")).unwrap();
    assert!(text.contains("unit = \"南召县民政局\""), "{text}");
    let kept = files_below(&ws.join("inbox/processed"));
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0].ends_with("南召县民政局_2025-12-03_冬季救助.txt"),
        "{kept:?}"
    );
}

#[test]
fn huge_files_are_refused_unread() {
    let ws = workspace();
    let p = ws.write("inbox/录像.md", b"");
    // Sparse: no real disk space, and intake must not read it anyway.
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_len(65 << 20).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
    drop(f);
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let r = std::fs::read_to_string(ws.join("inbox/rejected/录像.md.原因.txt")).unwrap();
    assert!(r.contains("文件太大（65.0 MB）"), "{r}");
    assert_eq!(
        std::fs::metadata(ws.join("inbox/rejected/录像.md"))
            .unwrap()
            .len(),
        65 << 20
    );
}
