//! A hostile (or careless) workspace: symlinks planted wherever the tool
//! reads, writes, moves or locks, FIFOs, devices, hard links, and titles
//! that try to leave `out/`. Every case runs the real binary under a time
//! limit and asserts the documented exit status with a Chinese message
//! naming the relative path, that a sentinel folder outside the workspace
//! is unchanged byte for byte, and that earlier outputs are intact.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use crate::util::*;

const VICTIM: &str = "外部文件，任何命令都不得改动它。\n";
const SECRET: &str = "title = \"绝密内容\"\n";

/// What stands at a path, without following symlinks.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
    Other,
}

/// Everything below `dir`, not following symlinks.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(base: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            let ft = e.file_type().unwrap();
            if ft.is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&p).unwrap()));
            } else if ft.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(base, &p, out);
            } else if ft.is_file() {
                out.insert(rel, Entry::File(std::fs::read(&p).unwrap()));
            } else {
                out.insert(rel, Entry::Other);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A workspace with a good issue 39 and, beside it, a sentinel folder the
/// tool must never touch.
struct Case {
    ws: TempDir,
    outside: TempDir,
    before_outside: BTreeMap<PathBuf, Entry>,
}

fn good_submission() -> String {
    submission(
        "市民政局召开安全工作推进会",
        "市局办公室",
        "2025-12-01",
        "工作动态",
        "会议强调，要压实安全责任，确保各项工作落到实处。",
    )
}

impl Case {
    fn new() -> Case {
        let ws = workspace();
        ws.write("issues/39/a.md", good_submission());
        let outside = TempDir::new("outside");
        outside.write("victim.txt", VICTIM);
        outside.write("secret.toml", SECRET);
        outside.write("39/issue.toml", "number = 39\ndate = 2025-12-08\n");
        outside.write("39/a.md", good_submission());
        std::fs::create_dir_all(outside.join("empty")).unwrap();
        let before_outside = snapshot(outside.path());
        Case {
            ws,
            outside,
            before_outside,
        }
    }

    /// Plant something in the outside folder before the sentinel snapshot.
    fn plant_outside(&mut self, rel: &str, content: &str) -> PathBuf {
        let p = self.outside.write(rel, content);
        self.before_outside = snapshot(self.outside.path());
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        run_bounded(self.ws.path(), args)
    }

    /// Build issue 39 as HTML successfully; a snapshot of out/.
    fn good_build(&self) -> BTreeMap<PathBuf, Entry> {
        let o = self.run(&["build", "39", "--format", "html"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        snapshot(&self.ws.join("out"))
    }

    fn link(&self, target: impl AsRef<Path>, rel: &str) {
        let p = self.ws.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&p);
        symlink(target, p).unwrap();
    }

    fn fifo(&self, rel: &str) {
        let p = self.ws.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&p);
        mkfifo(&p);
    }

    /// Nothing outside the workspace was written, moved, created or changed.
    fn outside_unchanged(&self) {
        assert_eq!(
            snapshot(self.outside.path()),
            self.before_outside,
            "the folder outside the workspace changed"
        );
    }

    /// Exit 1, each of `needles` in the output, no panic, no outside path
    /// or content echoed, nothing outside changed.
    fn refused(&self, o: &Output, needles: &[&str]) {
        let all = format!("{}{}", stdout(o), stderr(o));
        assert_eq!(code(o), 1, "{all}");
        for n in needles {
            assert!(all.contains(n), "`{n}` not in:\n{all}");
        }
        assert!(!all.contains("panicked"), "{all}");
        assert!(!all.contains("绝密内容"), "outside content echoed:\n{all}");
        assert!(
            !all.contains(self.outside.path().to_str().unwrap()),
            "outside path shown:\n{all}"
        );
        self.outside_unchanged();
    }

    /// An inbox file old enough to be taken.
    fn drop_in_inbox(&self, name: &str, text: &str) -> PathBuf {
        let p = self.ws.write(&format!("inbox/{name}"), text);
        settle(&p);
        p
    }
}

fn settle(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

const BUILD_HTML: &[&str] = &["build", "39", "--format", "html"];
const SIGN: &[&str] = &["check", "39", "--sign", "核稿", "--name", "金路"];

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

// ---- Inputs read through a symlink, a FIFO or a device ----

#[test]
fn issue_toml_symlinked_outside() {
    let c = Case::new();
    let before = c.good_build();
    c.link(c.outside.join("secret.toml"), "issues/39/issue.toml");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["issues/39/issue.toml 是指向工作区之外的符号链接，不会读取"],
    );
    assert_eq!(snapshot(&c.ws.join("out")), before);
}

#[test]
fn issue_toml_symlinked_to_dev_zero() {
    let c = Case::new();
    c.link("/dev/zero", "issues/39/issue.toml");
    let start = std::time::Instant::now();
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["issues/39/issue.toml 是指向工作区之外的符号链接，不会读取"],
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn issue_toml_fifo_build() {
    let c = Case::new();
    let before = c.good_build();
    c.fifo("issues/39/issue.toml");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["issues/39/issue.toml 是命名管道（FIFO），不是普通文件，不会读取"],
    );
    assert_eq!(snapshot(&c.ws.join("out")), before);
}

#[test]
fn issue_toml_fifo_status() {
    let c = Case::new();
    c.fifo("issues/39/issue.toml");
    let o = c.run(&["status", "39"]);
    c.refused(&o, &["issues/39/issue.toml 是命名管道（FIFO）"]);
}

#[test]
fn issue_toml_fifo_list() {
    let c = Case::new();
    c.fifo("issues/39/issue.toml");
    // `list` names a broken issue and its error count, and points at build.
    let o = c.run(&["list"]);
    c.refused(&o, &["第39期", "有 1 个错误"]);
}

#[test]
fn issue_toml_fifo_check() {
    let c = Case::new();
    c.fifo("issues/39/issue.toml");
    let o = c.run(&["check", "39"]);
    c.refused(&o, &["issues/39/issue.toml 是命名管道（FIFO）"]);
}

#[test]
fn issue_toml_char_device() {
    let c = Case::new();
    let p = c.ws.join("issues/39/issue.toml");
    std::fs::remove_file(&p).unwrap();
    let cs = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; (1, 5) is /dev/zero's device number.
    let made = unsafe { libc::mknod(cs.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 5)) };
    if made != 0 {
        eprintln!(
            "跳过：这里不允许 mknod 建立设备文件（需要 CAP_MKNOD），设备文件由 /dev/zero 符号链接一例覆盖"
        );
        return;
    }
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["issues/39/issue.toml 是字符设备，不是普通文件，不会读取"],
    );
}

#[test]
fn submission_fifo() {
    let c = Case::new();
    let before = c.good_build();
    c.fifo("issues/39/b.md");
    let o = c.run(BUILD_HTML);
    c.refused(&o, &["issues/39/b.md 是命名管道（FIFO），不是普通文件"]);
    assert_eq!(snapshot(&c.ws.join("out")), before);
}

#[test]
fn submission_symlinked_outside() {
    let c = Case::new();
    let before = c.good_build();
    c.link(c.outside.join("39/a.md"), "issues/39/b.md");
    let o = c.run(BUILD_HTML);
    c.refused(&o, &["issues/39/b.md 是指向工作区之外的符号链接，不会读取"]);
    assert_eq!(snapshot(&c.ws.join("out")), before);
}

#[test]
fn signoffs_symlinked_outside_status() {
    let c = Case::new();
    c.link(c.outside.join("secret.toml"), "issues/39/signoffs.toml");
    let o = c.run(&["status", "39"]);
    c.refused(
        &o,
        &["issues/39/signoffs.toml 是指向工作区之外的符号链接，不会读取"],
    );
}

#[test]
fn signoffs_symlinked_outside_sign_does_not_write_through() {
    let c = Case::new();
    c.link(c.outside.join("victim.txt"), "issues/39/signoffs.toml");
    let o = c.run(SIGN);
    c.refused(
        &o,
        &["issues/39/signoffs.toml 是指向工作区之外的符号链接，不会读取"],
    );
    assert!(
        std::fs::symlink_metadata(c.ws.join("issues/39/signoffs.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn signoffs_fifo() {
    let c = Case::new();
    c.fifo("issues/39/signoffs.toml");
    let o = c.run(&["status", "39"]);
    c.refused(&o, &["issues/39/signoffs.toml 是命名管道（FIFO）"]);
    let o = c.run(SIGN);
    c.refused(&o, &["issues/39/signoffs.toml 是命名管道（FIFO）"]);
}

#[test]
fn config_symlinked_to_dev_zero() {
    let c = Case::new();
    c.link("/dev/zero", "bulletin.toml");
    let root = c.ws.path().to_str().unwrap().to_string();
    let o = c.run(&["--root", &root, "list"]);
    c.refused(&o, &["bulletin.toml 是指向工作区之外的符号链接，不会读取"]);
}

#[test]
fn config_fifo() {
    let c = Case::new();
    c.fifo("bulletin.toml");
    let root = c.ws.path().to_str().unwrap().to_string();
    let o = c.run(&["--root", &root, "build", "39"]);
    c.refused(&o, &["bulletin.toml 是命名管道（FIFO）"]);
}

#[test]
fn template_symlinked_outside() {
    let mut c = Case::new();
    let before = c.good_build();
    let t = c.plant_outside("issue.html", "<p>绝密内容</p>");
    c.link(t, "templates/issue.html");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["templates/issue.html 是指向工作区之外的符号链接，不会读取"],
    );
    assert_eq!(snapshot(&c.ws.join("out")), before);
}

#[test]
fn templates_folder_symlinked_outside() {
    let mut c = Case::new();
    c.plant_outside("tpl/issue.html", "<p>绝密内容</p>");
    c.link(c.outside.join("tpl"), "templates");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["templates/issue.html 在工作区之外：templates 是指向工作区之外的符号链接"],
    );
}

#[test]
fn template_fifo() {
    let c = Case::new();
    c.fifo("templates/style.css");
    let o = c.run(BUILD_HTML);
    c.refused(&o, &["templates/style.css 是命名管道（FIFO）"]);
}

#[test]
fn image_symlinked_to_dev_zero() {
    let c = Case::new();
    c.link("/dev/zero", "issues/39/图.png");
    c.ws.write("issues/39/a.md", good_submission() + "\n![图](图.png)\n");
    let o = c.run(BUILD_HTML);
    c.refused(&o, &["issues/39/a.md:", "图片路径“图.png”指向工作区之外"]);
}

#[test]
fn image_fifo() {
    let c = Case::new();
    c.fifo("issues/39/图.png");
    c.ws.write("issues/39/a.md", good_submission() + "\n![图](图.png)\n");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &[
            "issues/39/a.md:",
            "图片“图.png”是命名管道（FIFO），不是普通文件",
        ],
    );
}

// ---- The issue folder itself is a symlink leading out ----

#[test]
fn issue_folder_symlinked_outside_build() {
    let c = Case::new();
    std::fs::remove_dir_all(c.ws.join("issues/39")).unwrap();
    c.link(c.outside.join("39"), "issues/39");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["issues/39/issue.toml 在工作区之外：issues/39 是指向工作区之外的符号链接，不会读取"],
    );
    assert!(snapshot(&c.ws.join("out")).is_empty());
}

#[test]
fn issue_folder_symlinked_outside_sign() {
    let c = Case::new();
    std::fs::remove_dir_all(c.ws.join("issues/39")).unwrap();
    c.link(c.outside.join("39"), "issues/39");
    let o = c.run(SIGN);
    c.refused(&o, &["issues/39 是指向工作区之外的符号链接"]);
}

#[test]
fn issue_folder_symlinked_outside_intake() {
    let c = Case::new();
    std::fs::remove_dir_all(c.ws.join("issues/39")).unwrap();
    c.link(c.outside.join("39"), "issues/39");
    let dropped = c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(&o, &["issues/39 是一个符号链接，不会经由它写入"]);
    assert!(dropped.exists(), "the dropped file stays in the inbox");
}

#[test]
fn issue_folder_symlinked_outside_new() {
    let c = Case::new();
    std::fs::remove_dir_all(c.ws.join("issues/39")).unwrap();
    c.link(c.outside.join("39"), "issues/39");
    let o = c.run(&[
        "new",
        "--issue",
        "39",
        "--unit",
        "市局办公室",
        "--category",
        "工作动态",
        "--title",
        "新稿",
    ]);
    c.refused(&o, &["issues/39 是一个符号链接，不会经由它写入"]);
}

#[test]
fn issue_new_into_planted_symlink() {
    let c = Case::new();
    c.link(c.outside.join("empty"), "issues/41");
    let o = c.run(&["issue", "new", "--number", "41", "--date", "2025-12-22"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(code(&o), 1, "{all}");
    assert!(all.contains("issues/41"), "{all}");
    c.outside_unchanged();
}

// ---- Outputs: out/, out/39, an output file, the build records ----

#[test]
fn out_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("empty"), "out");
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["out 是一个符号链接，不会经由它写入 out/39/南阳民政工作动态第39期（送审稿）.html"],
    );
}

#[test]
fn out_issue_folder_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("empty"), "out/39");
    let o = c.run(BUILD_HTML);
    c.refused(&o, &["out/39 是一个符号链接，不会经由它写入"]);
}

#[test]
fn output_file_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("victim.txt"), &format!("out/{HTML_39}"));
    let o = c.run(BUILD_HTML);
    c.refused(
        &o,
        &["out/39/南阳民政工作动态第39期（送审稿）.html 是一个符号链接，不会经由它写入"],
    );
}

#[test]
fn build_records_symlinked_outside() {
    let c = Case::new();
    let o = c.run(&["build", "--all", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let before = snapshot(&c.ws.join("out"));
    std::fs::remove_dir_all(c.ws.join("out/.bulletin")).unwrap();
    c.link(c.outside.join("empty"), "out/.bulletin");
    let mut before = before;
    before.retain(|p, _| !p.starts_with(".bulletin"));
    let o = c.run(&["build", "--all", "--format", "html"]);
    c.refused(&o, &["out/.bulletin 是一个符号链接，不会经由它写入"]);
    let mut after = snapshot(&c.ws.join("out"));
    after.retain(|p, _| !p.starts_with(".bulletin"));
    assert_eq!(after, before, "earlier outputs are intact");
}

// ---- Locks ----

#[test]
fn intake_lock_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("victim.txt"), ".bulletin-intake.lock");
    c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(
        &o,
        &[".bulletin-intake.lock 是一个符号链接，不会经由它写入"],
    );
    assert!(c.ws.join("inbox/来稿.md").exists());
}

#[test]
fn intake_lock_fifo() {
    let c = Case::new();
    c.fifo(".bulletin-intake.lock");
    c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(&o, &[".bulletin-intake.lock 是命名管道（FIFO）"]);
    assert!(c.ws.join("inbox/来稿.md").exists());
}

#[test]
fn intake_lock_hard_linked_outside() {
    let c = Case::new();
    std::fs::hard_link(
        c.outside.join("victim.txt"),
        c.ws.join(".bulletin-intake.lock"),
    )
    .unwrap();
    c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(&o, &[".bulletin-intake.lock", "锁文件是硬链接"]);
}

#[test]
fn signoff_lock_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("victim.txt"), "issues/39/.signoffs.lock");
    let o = c.run(SIGN);
    c.refused(
        &o,
        &["issues/39/.signoffs.lock 是一个符号链接，不会经由它写入签核锁文件"],
    );
    assert!(!c.ws.join("issues/39/signoffs.toml").exists());
}

// ---- The inbox and its folders ----

#[test]
fn inbox_rejected_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("empty"), "inbox/rejected");
    let dropped = c.drop_in_inbox("坏稿.docx", "不是稿件");
    let o = c.run(&["intake"]);
    c.refused(&o, &["inbox/rejected 是一个符号链接，不会经由它移动文件"]);
    assert!(dropped.exists());
}

#[test]
fn inbox_processed_symlinked_outside() {
    let c = Case::new();
    c.link(c.outside.join("empty"), "inbox/processed");
    let dropped = c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(&o, &["inbox/processed 是一个符号链接，不会经由它移动文件"]);
    assert!(dropped.exists());
    let issue: Vec<_> = files_below(&c.ws.join("issues/39"));
    assert_eq!(issue, [PathBuf::from("a.md"), PathBuf::from("issue.toml")]);
}

#[test]
fn inbox_processed_today_symlinked_outside() {
    let c = Case::new();
    c.link(
        c.outside.join("empty"),
        &format!("inbox/processed/{}", today()),
    );
    let dropped = c.drop_in_inbox("来稿.md", &good_submission());
    let o = c.run(&["intake"]);
    c.refused(
        &o,
        &[&format!(
            "inbox/processed/{} 是一个符号链接，不会经由它移动文件",
            today()
        )],
    );
    assert!(dropped.exists());
}

#[test]
fn inbox_itself_symlinked_outside() {
    let mut c = Case::new();
    c.plant_outside("inbox/来稿.md", &good_submission());
    settle(&c.outside.join("inbox/来稿.md"));
    c.before_outside = snapshot(c.outside.path());
    c.link(c.outside.join("inbox"), "inbox");
    let o = c.run(&["intake"]);
    c.refused(&o, &["inbox 是一个符号链接，不会经由它使用收件箱"]);
}

#[test]
fn inbox_fifo_is_left_without_hanging() {
    let c = Case::new();
    c.fifo("inbox/管道.md");
    let o = c.run(&["intake"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(code(&o), 0, "{all}");
    assert!(all.contains("不是普通文件"), "{all}");
    assert!(
        std::fs::symlink_metadata(c.ws.join("inbox/管道.md")).is_ok(),
        "left where it was"
    );
    c.outside_unchanged();
}

#[test]
fn inbox_hard_link_is_rejected_unread() {
    let mut c = Case::new();
    let src = c.plant_outside("稿件.md", &good_submission());
    settle(&src);
    c.before_outside = snapshot(c.outside.path());
    std::fs::hard_link(&src, c.ws.join("inbox/硬链接.md")).unwrap_or_else(|_| {
        std::fs::create_dir_all(c.ws.join("inbox")).unwrap();
        std::fs::hard_link(&src, c.ws.join("inbox/硬链接.md")).unwrap()
    });
    let o = c.run(&["intake"]);
    c.refused(&o, &["硬链接.md"]);
    let reason = std::fs::read_to_string(c.ws.join("inbox/rejected/硬链接.md.原因.txt")).unwrap();
    assert!(reason.contains("硬链接"), "{reason}");
    assert_eq!(
        files_below(&c.ws.join("issues/39")),
        [PathBuf::from("a.md"), PathBuf::from("issue.toml")],
        "not imported"
    );
}

#[test]
fn inbox_symlink_to_dev_zero_is_rejected() {
    let c = Case::new();
    c.link("/dev/zero", "inbox/零.md");
    let o = c.run(&["intake"]);
    c.refused(&o, &["零.md"]);
    assert!(
        std::fs::symlink_metadata(c.ws.join("inbox/rejected/零.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

// ---- File names from configuration ----

fn titled(title: &str) -> (Case, Output) {
    let c = Case::new();
    let config = CONFIG.replacen(
        "title = \"南阳民政工作动态\"",
        &format!("title = \"{title}\""),
        1,
    );
    c.ws.write("bulletin.toml", config);
    let o = c.run(BUILD_HTML);
    (c, o)
}

/// The outputs were written below out/39/ only, as plain names.
fn outputs_stay_in_out(c: &Case, expected: &str) {
    let root: Vec<String> = std::fs::read_dir(c.ws.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut root = root;
    root.sort();
    // .bulletin keeps what drafts printed (review codes).
    assert_eq!(root, [".bulletin", "bulletin.toml", "issues", "out"]);
    let out: Vec<PathBuf> = files_below(&c.ws.join("out"));
    assert_eq!(out, [PathBuf::from(format!("39/{expected}"))]);
    c.outside_unchanged();
}

#[test]
fn title_with_parent_dirs_stays_in_out() {
    let (c, o) = titled("../../x");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    outputs_stay_in_out(&c, "x第39期（送审稿）.html");
}

#[test]
fn title_with_separator_makes_no_folder() {
    let (c, o) = titled("a/b");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    outputs_stay_in_out(&c, "a-b第39期（送审稿）.html");
}

#[test]
fn title_with_control_characters_is_cleaned() {
    let (c, o) = titled("刊\\u001B[31m物\\u0007\\u202E");
    // Whether check lets such a title pass is the text checks' business;
    // a written name never holds a control character.
    if code(&o) == 0 {
        outputs_stay_in_out(&c, "刊[31m物第39期（送审稿）.html");
    } else {
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(!c.ws.join("out").exists());
        c.outside_unchanged();
    }
}
