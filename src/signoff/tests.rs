//! Unit tests of sign-off: records, validity, signing.

use std::path::PathBuf;

use super::*;
use crate::fsutil::lock::FileLock;
use crate::model::testutil::{issue, item};
use crate::model::{Issue, Signoff};
use crate::source::SourceFile;

fn sample() -> Issue {
    let a = item(
        "01.md",
        Some("市民政局召开安全工作推进会"),
        "市局办公室",
        "2025-12-01",
        "会议强调，要压实责任。",
    );
    let b = item(
        "02.md",
        None,
        "桐柏县民政局",
        "2025-12-03",
        "12月3日，桐柏县开展宪法宣传活动。",
    );
    let mut i = issue(vec![a], vec![b]);
    // The records are written below the temporary folder: the workspace.
    i.root = std::env::temp_dir();
    i.footer.editor = Some("王晨晖".into());
    i.footer.signoffs = ["核稿", "审核"]
        .iter()
        .map(|r| Signoff {
            role: r.to_string(),
            name: None,
        })
        .collect();
    i
}

fn record(issue: &Issue, role: &str, name: &str) -> Record {
    let d = digests(issue);
    let mut r = Record {
        presentation: String::new(),
        key: String::new(),
        signature: String::new(),
        role: role.into(),
        name: name.into(),
        time: "2025-12-08T10:30:00+08:00".into(),
        digest: d.issue,
        masthead: d.masthead,
        end_block: d.end_block,
        items: d.items,
        seal: String::new(),
        line: 0,
    };
    r.seal = r.compute_seal();
    r
}

#[test]
fn render_parse_round_trip() {
    let i = sample();
    let recs = vec![record(&i, "核稿", "金路"), record(&i, "审核", "郭宇")];
    let src = SourceFile::new(PathBuf::from("signoffs.toml"), render(&recs));
    let back = parse(&src).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].line, 5);
    for (a, b) in recs.iter().zip(&back) {
        assert_eq!(a.compute_seal(), b.compute_seal());
        assert_eq!(b.seal, b.compute_seal());
    }
}

#[test]
fn edits_are_named() {
    let i = sample();
    let r = record(&i, "核稿", "金路");
    assert!(changes(&r, &digests(&i)).is_empty());
    let mut edited = sample();
    edited.sections[0].items[0] = item(
        "01.md",
        Some("市民政局召开安全工作推进会"),
        "市局办公室",
        "2025-12-01",
        "会议强调，要压实安全责任。",
    );
    assert_eq!(
        changes(&r, &digests(&edited)),
        vec![Change::Edited("《市民政局召开安全工作推进会》".into())]
    );
    let mut removed = sample();
    removed.sections[1].items.clear();
    let c = changes(&r, &digests(&removed));
    assert_eq!(c.len(), 1);
    assert!(
        matches!(&c[0], Change::Removed(t) if t.starts_with("简讯“12月3日")),
        "{c:?}"
    );
    let mut foot = sample();
    foot.footer.copies = Some(80);
    assert_eq!(changes(&r, &digests(&foot)), vec![Change::EndBlock]);
}

#[test]
fn renaming_a_file_changes_nothing_printed() {
    let i = sample();
    let r = record(&i, "核稿", "金路");
    let mut renamed = sample();
    renamed.sections[0].items[0] = item(
        "01-改名.md",
        Some("市民政局召开安全工作推进会"),
        "市局办公室",
        "2025-12-01",
        "会议强调，要压实责任。",
    );
    assert!(changes(&r, &digests(&renamed)).is_empty());
    // Renamed and edited: the old one is removed, the new one added.
    renamed.sections[0].items[0] = item(
        "01-改名.md",
        Some("市民政局召开安全工作推进会"),
        "市局办公室",
        "2025-12-01",
        "会议强调，要压实安全责任。",
    );
    let c = changes(&r, &digests(&renamed));
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(matches!(&c[0], Change::Added(_)) && matches!(&c[1], Change::Removed(_)));
}

#[test]
fn tampering_is_caught() {
    let i = sample();
    let mut r = record(&i, "核稿", "金路");
    r.name = "郭宇".into();
    assert_eq!(changes(&r, &digests(&i)), vec![Change::Tampered]);
    let mut r = record(&i, "核稿", "金路");
    r.digest = "0".repeat(64);
    assert_eq!(changes(&r, &digests(&i)), vec![Change::Tampered]);
}

#[test]
fn editor_and_double_roles_are_invalid() {
    let i = sample();
    let recs = vec![record(&i, "核稿", "王晨晖"), record(&i, "审核", "郭宇")];
    let st = status(&i, &recs);
    assert!(!st[0].is_valid() && st[1].is_valid());
    let recs = vec![record(&i, "核稿", "郭宇"), record(&i, "审核", "郭宇")];
    assert!(status(&i, &recs).iter().all(|s| !s.is_valid()));
}

#[test]
fn build_preparation_fills_only_valid_names() {
    let dir = std::env::temp_dir().join(format!("bulletin-signoff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let i = sample();
    sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00", None).unwrap();

    let mut draft = sample();
    prepare_build(&mut draft, &dir, false).unwrap();
    assert!(draft.footer.draft);
    assert_eq!(draft.footer.signoffs[0].name.as_deref(), Some("金路"));
    assert_eq!(draft.footer.signoffs[1].name, None);
    let mut fin = sample();
    let e = prepare_build(&mut fin, &dir, true).unwrap_err();
    assert_eq!(e.items.len(), 1);
    assert!(e.items[0].message.contains("“审核”还没有签核"));
    let mut auto = sample();
    assert!(!prepare_build_auto(&mut auto, &dir).unwrap());
    assert!(auto.footer.draft);

    sign(&i, &dir, "审核", "郭宇", "2025-12-08T11:00:00+08:00", None).unwrap();
    let mut fin = sample();
    prepare_build(&mut fin, &dir, true).unwrap();
    assert!(!fin.footer.draft);
    let names: Vec<_> = fin.footer.signoffs.iter().map(|s| s.name.clone()).collect();
    assert_eq!(
        names,
        vec![Some("金路".to_string()), Some("郭宇".to_string())]
    );
    let mut auto = sample();
    assert!(prepare_build_auto(&mut auto, &dir).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_signing_waits_and_stale_locks_are_taken_over() {
    let dir = std::env::temp_dir().join(format!("bulletin-lock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let i = sample();
    // Held by someone else: refused after waiting, nothing written.
    let lock = dir.join(LOCK_FILE);
    let held = FileLock::acquire(&lock, std::time::Duration::ZERO).unwrap();
    let e = sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00", None).unwrap_err();
    assert_eq!(e.items[0].code, "S007");
    assert!(!path(&dir).exists());
    // Left by a run that was killed: the OS lock is gone, taken over.
    drop(held);
    std::fs::write(&lock, "pid=424242\n").unwrap();
    sign(&i, &dir, "核稿", "金路", "2025-12-08T10:30:00+08:00", None).unwrap();
    assert_eq!(std::fs::read(&lock).unwrap(), b"");
    // Many signers at once: no record is lost.
    std::thread::scope(|s| {
        for (role, name) in [("审核", "郭宇"), ("核稿", "李明")] {
            let (i, dir) = (&i, &dir);
            // 李明 replaces 金路's valid sign-off, so he names him.
            let replace = (role == "核稿").then_some("金路");
            s.spawn(move || {
                sign(i, dir, role, name, "2025-12-08T11:00:00+08:00", replace).unwrap()
            });
        }
    });
    let names: Vec<String> = read(&crate::fsutil::Boundary::new(&i.root), &dir)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, vec!["李明", "郭宇"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_file_names_the_line() {
    let src = SourceFile::new(
        PathBuf::from("signoffs.toml"),
        "[[signoff]]\nrole = \"核稿\"\nname = 金路\n",
    );
    let e = parse(&src).unwrap_err();
    assert_eq!(e.items[0].location.as_ref().unwrap().line, 3);
}
