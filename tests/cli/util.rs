//! Shared helpers for tests that run the real `bulletin` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The repository root (itself a workspace with example issue 39).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh empty directory under the target dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        self.0.join(p)
    }

    /// Write a file (creating parent dirs).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bulletin.toml of the contract example (Nanyang).
pub const CONFIG: &str = r#"title = "南阳民政工作动态"
publisher = "南阳市民政局办公室"

[[sections]]
name = "工作动态"
heading = ""
[[sections]]
name = "简讯"
style = "brief"

[footer]
editor = "王晨晖"
signoffs = ["核稿", "审核"]
lines = [
  { label = "报", text = "市民政局领导。" },
  { label = "发", text = "各县市区民政局（社会事业局），市局机关各科（室、局）、局属各单位。" },
]
"#;

/// The file stem of issue 39's draft outputs under the contract
/// configuration (a build without `--final` is a draft, 送审稿).
pub const STEM_39: &str = "南阳民政工作动态第39期（送审稿）";
/// Issue 39's draft HTML edition, relative to the output folder.
pub const HTML_39: &str = "39/南阳民政工作动态第39期（送审稿）.html";
/// Issue 39's draft PDF, relative to the output folder.
pub const PDF_39: &str = "39/南阳民政工作动态第39期（送审稿）.pdf";
/// The final edition's HTML (`--final`).
pub const FINAL_HTML_39: &str = "39/南阳民政工作动态第39期.html";

/// A 1×1 PNG.
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A workspace with bulletin.toml and issue 39 (dated 2025-12-08), no items.
pub fn workspace() -> TempDir {
    let t = TempDir::new("ws");
    t.write("bulletin.toml", CONFIG);
    t.write("issues/39/issue.toml", "number = 39\ndate = 2025-12-08\n");
    t
}

/// A submission file's text.
pub fn submission(title: &str, unit: &str, date: &str, category: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nunit = \"{unit}\"\ndate = {date}\ncategory = \"{category}\"\n+++\n\n{body}\n"
    )
}

/// Run the binary with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run bulletin")
}

/// How long [`run_bounded`] lets the binary run.
pub const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Run the binary with `args` in `dir`, killing it and failing the test if
/// it has not finished within [`RUN_LIMIT`] (a FIFO or a device read that
/// hangs).
pub fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run bulletin");
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = pipe(Box::new(child.stdout.take().unwrap()));
    let err = pipe(Box::new(child.stderr.take().unwrap()));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for bulletin") {
            break s;
        }
        if start.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("bulletin {args:?} did not finish within {RUN_LIMIT:?}: it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Issue 39's HTML edition below the output folder `out`.
pub fn read_html_39(out: &Path) -> String {
    std::fs::read_to_string(out.join(HTML_39)).unwrap()
}

/// Run `bulletin build <args> --out <fresh folder>` in `dir` and assert
/// that it succeeds; the folder and the run's output.
pub fn build_into(dir: &Path, args: &[&str]) -> (TempDir, Output) {
    build_into_with(|a| run(dir, a), args)
}

/// [`build_into`] with the binary run by `run` (for tests that set up
/// the environment themselves).
pub fn build_into_with(run: impl FnOnce(&[&str]) -> Output, args: &[&str]) -> (TempDir, Output) {
    let out = TempDir::new("build-out");
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.path().to_str().unwrap()]);
    let o = run(&all);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    (out, o)
}

/// Build the example issue (the repository's own issue 39) as HTML into a
/// fresh folder; the folder and the page.
pub fn build_example_html() -> (TempDir, String) {
    let (out, _) = build_into(&repo_root(), &["39", "--format", "html"]);
    let html = read_html_39(out.path());
    (out, html)
}

/// Write issue 39's one clean item (市民政局召开推进会, dated 2025-12-05).
pub fn write_clean_item(ws: &TempDir) {
    ws.write(
        "issues/39/01.md",
        submission(
            "市民政局召开推进会",
            "市局办公室",
            "2025-12-05",
            "工作动态",
            "会议强调，要压实责任。",
        ),
    );
}

/// The titles of the example issue's articles, read from its files (so
/// that tests do not depend on what the example issue says).
pub fn example_titles() -> Vec<String> {
    let dir = repo_root().join("issues/39");
    let mut titles = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        if let Some(line) = text.lines().find(|l| l.starts_with("title = ")) {
            titles.push(line["title = ".len()..].trim_matches('"').to_string());
        }
    }
    titles
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// (line, column) of the first `needle` in `text`, 1-based, the column
/// in characters: what a diagnostic's `file:line:col` says.
pub fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// Every file below `dir`, relative, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<PathBuf>) {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(base, &p, out);
                } else {
                    out.push(p.strip_prefix(base).unwrap().to_path_buf());
                }
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Whether tests that need outside programs (Chromium, poppler-utils) run.
/// `.ci/run` sets BULLETIN_EXTERNAL_TESTS=1 after installing them; without it
/// such a test says so on stderr and returns.
pub fn external_tests_enabled(what: &str) -> bool {
    let on = std::env::var("BULLETIN_EXTERNAL_TESTS").is_ok_and(|v| v == "1");
    if !on {
        eprintln!("跳过（需要 {what}）：设置 BULLETIN_EXTERNAL_TESTS=1 运行此测试");
    }
    on
}

/// What a reader sees of an HTML page: the body with tags removed, so that
/// assertions do not depend on markup details.
pub fn visible_text(html: &str) -> String {
    let body = &html[html.find("<body").unwrap_or(0)..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// One diagnostic as the library returns it: code, severity label, path
/// relative to the workspace, line, column and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub code: String,
    pub error: bool,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// `bulletin check N` through the library (no process): every diagnostic.
pub fn check_lib(dir: &Path, number: u32) -> Vec<Found> {
    let ws = bulletin::workspace::Workspace::open(dir).expect("workspace opens");
    let report = bulletin::ops::check::check(&ws, Some(number));
    report
        .diags
        .items
        .iter()
        .map(|d| {
            let (path, line, column) = match &d.location {
                Some(l) => (
                    l.path
                        .strip_prefix(&ws.root)
                        .unwrap_or(&l.path)
                        .to_string_lossy()
                        .into_owned(),
                    l.line,
                    l.column,
                ),
                None => (String::new(), 0, 0),
            };
            Found {
                code: d.code.to_string(),
                error: d.is_error(),
                path,
                line,
                column,
                message: d.message.clone(),
            }
        })
        .collect()
}

/// The diagnostic with `code`, or a panic listing all of them.
pub fn find<'a>(found: &'a [Found], code: &str) -> &'a Found {
    found
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {found:#?}"))
}

/// An object of a PDF read back, with a reference followed.
pub fn pdf_deref<'a>(
    doc: &'a pdf_extract::Document,
    o: &'a pdf_extract::Object,
) -> &'a pdf_extract::Object {
    match o {
        pdf_extract::Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

/// A PDF text string (UTF-16BE with a byte order mark, or PDFDocEncoding
/// read as Latin-1).
pub fn pdf_text_string(o: &pdf_extract::Object) -> String {
    let b = o.as_str().expect("a string");
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        None => b.iter().map(|&c| c as char).collect(),
    }
}
