//! `bulletin check N --fix` through the real binary: the certain fixes are
//! applied and none of their problems is left, untouched files stay byte
//! for byte, `--dry-run` writes nothing, waived lines and 《》 stay as they
//! were, and a killed `--fix` leaves each file old or new.

use crate::util::*;

use std::process::{Command, Stdio};
use std::time::Duration;

const FIXED: &[&str] = &["P001", "P003", "P004", "P008"];

const MESSY: &str = "会议强调,要\"提高站位\",做好困难群众救助(帮扶)工作.\n\n共走访２０户, 11月20日-12月3日开展排查,涉及 120 户。\n\n要求如下：\n\n1、开展排查；\n\n学习《关于做好(临时)救助工作的通知,2025》精神。\n\n<!-- bulletin:allow P001 原文照录 -->\n原文照录,不改。";

const CLEAN: &str = "县民政局召开冬季救助工作部署会，安排困难群众过冬保障工作。";

fn messy_workspace() -> TempDir {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission(
            "召开会议,部署工作",
            "县民政局",
            "2025-12-01",
            "工作动态",
            MESSY,
        ),
    );
    // CRLF line ends, kept as they are, and a file needing nothing.
    ws.write(
        "issues/39/b.md",
        submission(
            "冬季救助",
            "县民政局",
            "2025-12-01",
            "工作动态",
            "走访(入户)核查.",
        )
        .replace('\n', "\r\n"),
    );
    ws.write(
        "issues/39/c.md",
        submission("部署工作", "县民政局", "2025-12-01", "工作动态", CLEAN),
    );
    ws
}

fn fixed_codes_left(ws: &TempDir) -> Vec<Found> {
    check_lib(ws.path(), 39)
        .into_iter()
        .filter(|f| FIXED.contains(&f.code.as_str()))
        .collect()
}

#[test]
fn fix_leaves_none_of_the_fixed_rules() {
    let ws = messy_workspace();
    assert!(!fixed_codes_left(&ws).is_empty());
    let c_before = std::fs::read(ws.join("issues/39/c.md")).unwrap();
    let o = run(ws.path(), &["check", "39", "--fix"]);
    let out = stdout(&o);
    assert!(out.contains("--- a/issues/39/a.md"), "{out}");
    assert!(
        out.contains("+会议强调，要“提高站位”，做好困难群众救助（帮扶）工作。"),
        "{out}"
    );
    assert!(!out.contains("issues/39/c.md"), "{out}");
    assert!(stderr(&o).contains("已改正 2 个文件"), "{}", stderr(&o));

    let a = std::fs::read_to_string(ws.join("issues/39/a.md")).unwrap();
    assert!(a.contains("title = \"召开会议，部署工作\""), "{a}");
    assert!(
        a.contains("共走访20户，11月20日至12月3日开展排查，涉及120户。"),
        "{a}"
    );
    assert!(a.contains("\n1.开展排查；\n"), "{a}");
    // 《》 and the waived line as they were.
    assert!(a.contains("《关于做好(临时)救助工作的通知,2025》"), "{a}");
    assert!(a.contains("\n原文照录,不改。"), "{a}");
    let b = std::fs::read_to_string(ws.join("issues/39/b.md")).unwrap();
    assert_eq!(
        b,
        submission(
            "冬季救助",
            "县民政局",
            "2025-12-01",
            "工作动态",
            "走访（入户）核查。"
        )
        .replace('\n', "\r\n")
    );
    assert_eq!(std::fs::read(ws.join("issues/39/c.md")).unwrap(), c_before);

    // Only what --fix exempts on purpose is left: the waived line is
    // waived, the 《》 title reported for the editor to judge.
    let left = fixed_codes_left(&ws);
    assert!(
        left.iter()
            .all(|f| f.line == a.lines().position(|l| l.contains('《')).unwrap() + 1),
        "{left:#?}"
    );
    // Nothing more to fix.
    let again = run(ws.path(), &["check", "39", "--fix"]);
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
    assert!(stderr(&again).contains("没有可以自动改正的问题"));
}

#[test]
fn dry_run_changes_nothing_and_prints_the_diff() {
    let ws = messy_workspace();
    let before: Vec<Vec<u8>> = ["a", "b", "c"]
        .iter()
        .map(|f| std::fs::read(ws.join(format!("issues/39/{f}.md"))).unwrap())
        .collect();
    let o = run(ws.path(), &["check", "39", "--fix", "--dry-run"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("+++ b/issues/39/a.md"), "{out}");
    assert!(out.contains("-会议强调,要\"提高站位\""), "{out}");
    assert!(out.contains("+title = \"召开会议，部署工作\""), "{out}");
    assert!(stderr(&o).contains("没有修改文件"), "{}", stderr(&o));
    for (f, b) in ["a", "b", "c"].iter().zip(&before) {
        assert_eq!(
            &std::fs::read(ws.join(format!("issues/39/{f}.md"))).unwrap(),
            b
        );
    }
}

#[test]
fn dry_run_needs_fix_and_fix_does_not_sign() {
    let ws = messy_workspace();
    let o = run(ws.path(), &["check", "39", "--dry-run"]);
    assert_ne!(code(&o), 0);
    let o = run(
        ws.path(),
        &["check", "39", "--fix", "--sign", "核稿", "--name", "金路"],
    );
    assert_ne!(code(&o), 0);
    let a = std::fs::read_to_string(ws.join("issues/39/a.md")).unwrap();
    assert!(
        a.contains("会议强调,要"),
        "a refused command changed the file"
    );
}

#[test]
fn killed_fix_leaves_each_file_old_or_new() {
    let ws = workspace();
    let body = MESSY
        .replace("<!-- bulletin:allow P001 原文照录 -->\n", "")
        .repeat(40);
    let names: Vec<String> = (0..30).map(|i| format!("issues/39/{i:02}.md")).collect();
    let old: Vec<String> = names
        .iter()
        .map(|n| {
            submission(
                &format!("第{n}篇"),
                "县民政局",
                "2025-12-01",
                "工作动态",
                &body,
            )
        })
        .collect();
    // The new versions, from one run that is not killed.
    let reference = workspace();
    for (n, t) in names.iter().zip(&old) {
        reference.write(n, t);
    }
    let o = run(reference.path(), &["check", "39", "--fix"]);
    assert!(stderr(&o).contains("已改正 30 个文件"), "{}", stderr(&o));
    let new: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(reference.join(n)).unwrap())
        .collect();

    for round in 0..10u64 {
        for (n, t) in names.iter().zip(&old) {
            ws.write(n, t);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .args(["check", "39", "--fix"])
            .current_dir(ws.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Loading takes most of the first few hundred milliseconds; the
        // later kills land among the writes.
        std::thread::sleep(Duration::from_millis(20 + round * 60));
        let _ = child.kill();
        let _ = child.wait();
        let mut fixed = 0;
        for ((n, o), nw) in names.iter().zip(&old).zip(&new) {
            let now = std::fs::read(ws.join(n)).unwrap();
            assert!(
                now == o.as_bytes() || &now == nw,
                "{n} is neither old nor new after a kill in round {round}"
            );
            fixed += usize::from(&now == nw);
        }
        eprintln!("round {round}: {fixed} of {} files fixed", names.len());
    }
}
