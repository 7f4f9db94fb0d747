//! SIGKILL at random points: a killed build never leaves a truncated file
//! under an output's real name, earlier outputs stay intact, and the temp
//! files it leaves are cleaned by the next build. A killed intake never
//! loses or duplicates a file.

use crate::util::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// A small xorshift generator: random kill points, reproducible per seed.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("kill test seed: {seed}");
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

const BODY: &str = "县民政局召开冬季救助工作部署会，安排困难群众过冬保障工作，要求各乡镇逐户走访，做到底数清、情况明。";

fn big_workspace(items: usize) -> TempDir {
    let ws = workspace();
    let body = BODY.repeat(8);
    for i in 0..items {
        ws.write(
            &format!("issues/39/{i:04}.md"),
            submission(
                &format!("第{i}篇稿件"),
                "县民政局",
                "2025-12-01",
                "工作动态",
                &format!("{body}\n\n{body}"),
            ),
        );
    }
    ws
}

fn build(ws: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["build", "39", "--format", "html", "--out"])
        .arg(out)
        .current_dir(ws)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn set_version(ws: &Path, v: usize) {
    std::fs::write(
        ws.join("issues/39/0000.md"),
        submission(
            &format!("第0篇稿件（第{v}版）"),
            "县民政局",
            "2025-12-01",
            "工作动态",
            BODY,
        ),
    )
    .unwrap();
}

#[test]
fn killed_builds_never_leave_truncated_outputs() {
    let ws = big_workspace(2500);
    let mut rng = Rng::new();
    // The two complete outputs a build can produce.
    let mut complete = Vec::new();
    let mut took = Duration::ZERO;
    for v in 0..2 {
        set_version(ws.path(), v);
        let out = TempDir::new("kill-ref");
        let t = Instant::now();
        let status = build(ws.path(), out.path()).wait().unwrap();
        took = took.max(t.elapsed());
        assert!(status.success());
        complete.push(std::fs::read(out.join(HTML_39)).unwrap());
    }
    assert_ne!(complete[0], complete[1]);

    let out = TempDir::new("kill-out");
    let real = out.join(HTML_39);
    let mut killed = 0;
    let mut temps_seen = 0;
    let rounds = 40u64;
    for i in 0..rounds {
        set_version(ws.path(), (i % 2) as usize);
        // Growing delays across the whole build, with jitter.
        let span = took.as_micros() as u64 * 5 / 4;
        let delay = span * i / rounds + rng.below(span / rounds + 1);
        let mut child = build(ws.path(), out.path());
        if i % 2 == 0 {
            std::thread::sleep(Duration::from_micros(delay));
        } else {
            // Aim at the write itself: kill soon after the temp file shows.
            let start = Instant::now();
            while child.try_wait().unwrap().is_none() && start.elapsed() < took * 4 {
                let writing = std::fs::read_dir(out.join("39"))
                    .map(|rd| {
                        rd.flatten()
                            .any(|e| e.file_name().to_string_lossy().contains(".tmp-"))
                    })
                    .unwrap_or(false);
                if writing {
                    std::thread::sleep(Duration::from_micros(rng.below(4000)));
                    break;
                }
            }
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        }
        if real.exists() {
            let bytes = std::fs::read(&real).unwrap();
            assert!(
                bytes == complete[0] || bytes == complete[1],
                "round {i}: {} bytes under the real name, not a complete output",
                bytes.len()
            );
        }
        for p in files_below(out.path()) {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p != Path::new(HTML_39) {
                assert!(
                    name.starts_with(".南阳民政工作动态第39期（送审稿）.html.tmp-"),
                    "round {i}: unexpected {p:?}"
                );
                temps_seen += 1;
            }
        }
    }
    eprintln!("{killed} of {rounds} builds killed, {temps_seen} temp files seen");
    assert!(killed > 0, "no build was killed: the test proves nothing");

    // The next complete build cleans up and writes the right output.
    set_version(ws.path(), 1);
    let status = build(ws.path(), out.path()).wait().unwrap();
    assert!(status.success());
    assert_eq!(files_below(out.path()), vec![PathBuf::from(HTML_39)]);
    assert_eq!(std::fs::read(&real).unwrap(), complete[1]);
}

#[test]
fn killed_intakes_never_lose_or_duplicate() {
    let ws = workspace();
    let mut rng = Rng::new();
    let n = 60;
    let mut originals = Vec::new();
    for i in 0..n {
        let text = submission(
            &format!("第{i}篇来稿"),
            "县民政局",
            "2025-12-01",
            "工作动态",
            &BODY.repeat(1 + i % 5),
        );
        // Every fifth file is broken and gets rejected.
        let bytes = if i % 5 == 4 {
            text.replace("unit =", "unti =").into_bytes()
        } else {
            encoding_rs::GB18030.encode(&text).0.into_owned()
        };
        let p = ws.write(&format!("inbox/来稿{i:02}.md"), &bytes);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
        originals.push(bytes);
    }
    let t = Instant::now();
    let probe = TempDir::new("kill-probe");
    for f in files_below(&ws.join("inbox")) {
        let dest = probe.join(format!("inbox/{}", f.display()));
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(ws.join("inbox").join(&f), &dest).unwrap();
    }
    probe.write("bulletin.toml", CONFIG);
    probe.write("issues/39/issue.toml", "number = 39\ndate = 2025-12-08\n");
    let o = run(probe.path(), &["intake", "--settle", "0"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let took = t.elapsed();

    let mut killed = 0;
    for i in 0..30u64 {
        let span = took.as_micros() as u64;
        let delay = span * i / 30 + rng.below(span / 30 + 1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .args(["intake", "--settle", "0"])
            .current_dir(ws.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        if child.wait().unwrap().code().is_none() {
            killed += 1;
        }
        // Nothing lost at any point: every original is somewhere.
        let now: Vec<Vec<u8>> = files_below(&ws.join("inbox"))
            .into_iter()
            .map(|p| std::fs::read(ws.join("inbox").join(p)).unwrap())
            .collect();
        for (k, o) in originals.iter().enumerate() {
            assert!(now.contains(o), "round {i}: 来稿{k:02}.md lost");
        }
    }
    assert!(killed > 0);
    // A last complete run finishes whatever was interrupted.
    let o = run(ws.path(), &["intake", "--settle", "0"]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let kept: Vec<Vec<u8>> = files_below(&ws.join("inbox"))
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".原因.txt"))
        .map(|p| std::fs::read(ws.join("inbox").join(p)).unwrap())
        .collect();
    assert_eq!(kept.len(), n, "each original kept exactly once");
    for o in &originals {
        assert_eq!(kept.iter().filter(|k| *k == o).count(), 1);
    }
    let md: Vec<PathBuf> = files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(md.len(), n - n / 5, "{md:?}");
    let hidden: Vec<&PathBuf> = md
        .iter()
        .filter(|p| p.to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    for i in (0..n).filter(|i| i % 5 != 4) {
        assert!(
            md.contains(&PathBuf::from(format!("第{i}篇来稿.md"))),
            "第{i}篇来稿 missing or renamed: {md:?}"
        );
    }
    assert!(
        files_below(&ws.join("issues/39"))
            .iter()
            .all(|p| { !p.to_string_lossy().contains(".tmp-") })
    );
    let b = run(ws.path(), &["build", "--format", "html"]);
    assert_eq!(code(&b), 0, "{}", stderr(&b));
}
