//! Side by side: `bulletin build 39` (PDF + HTML, whole process) against
//! Typst compiling an equivalent hand-written document of the same issue
//! (`benches/typst/issue39.typ`: same text, A4 with 37/35/28/26 mm margins,
//! 16 pt body, the Fandol fonts of `fonts/` only). The two are run
//! alternately, 20 times each, in one run; the medians of wall time, CPU
//! time (user + system) and peak resident memory are printed with the ratio.
//!
//! Typst is optional: install it with `cargo install typst-cli --locked`
//! (or put a `typst` binary on PATH, or set `TYPST=/path/to/typst`). Without
//! it, bulletin's figures are printed and the peer is reported missing.
//! Run: `cargo bench --bench typst_compare`. Not a timed test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 20;

#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: i64,
}

/// Run `cmd` to the end; wall time, CPU time and peak RSS of the child.
fn run(mut cmd: Command, what: &str) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain wait4 on our own child with valid out-pointers; the
    // `Child` handle is not waited on again.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{what} failed"
    );
    drop(child);
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
    }
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

struct Summary {
    wall: Duration,
    cpu: Duration,
    rss_mb: f64,
}

fn summarise(runs: &[Run]) -> Summary {
    Summary {
        wall: median(runs.iter().map(|r| r.wall).collect()),
        cpu: median(runs.iter().map(|r| r.cpu).collect()),
        rss_mb: median(runs.iter().map(|r| r.max_rss_kb).collect()) as f64 / 1024.0,
    }
}

fn print(label: &str, s: &Summary, pdf: &Path) {
    let size = std::fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
    println!(
        "{label:<28} wall median {:>7.1} ms | cpu median {:>7.1} ms | peak RSS median {:>5.1} MB | PDF {:>6.1} KB",
        s.wall.as_secs_f64() * 1000.0,
        s.cpu.as_secs_f64() * 1000.0,
        s.rss_mb,
        size as f64 / 1024.0
    );
}

fn find_pdf(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
}

/// The Typst binary: `$TYPST`, else `typst` if it runs.
fn typst() -> Option<PathBuf> {
    let candidate = std::env::var_os("TYPST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("typst"));
    let ok = Command::new(&candidate)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(candidate)
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::env::temp_dir().join(format!("bulletin-typst-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let ws = base.join("ws");
    std::fs::create_dir_all(ws.join("issues/39")).unwrap();
    std::fs::copy(repo.join("bulletin.toml"), ws.join("bulletin.toml")).unwrap();
    for e in std::fs::read_dir(repo.join("issues/39")).unwrap().flatten() {
        std::fs::copy(e.path(), ws.join("issues/39").join(e.file_name())).unwrap();
    }
    let out = base.join("out");
    let typ_pdf = base.join("issue39-typst.pdf");
    let bulletin_cmd = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bulletin"));
        c.args(["build", "39", "--out"]).arg(&out).current_dir(&ws);
        c
    };
    let peer = typst();
    let typst_cmd = |bin: &Path| {
        let mut c = Command::new(bin);
        c.arg("compile")
            .arg("--font-path")
            .arg(repo.join("fonts"))
            .arg("--ignore-system-fonts")
            .arg(repo.join("benches/typst/issue39.typ"))
            .arg(&typ_pdf);
        c
    };
    // Warm-up (page cache, font files).
    run(bulletin_cmd(), "bulletin build 39");
    if let Some(t) = &peer {
        run(typst_cmd(t), "typst compile");
    }
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..RUNS {
        ours.push(run(bulletin_cmd(), "bulletin build 39"));
        if let Some(t) = &peer {
            theirs.push(run(typst_cmd(t), "typst compile"));
        }
    }
    println!("example issue 39, {RUNS} alternating runs, whole processes");
    let a = summarise(&ours);
    let pdf = find_pdf(&out.join("39")).unwrap_or_default();
    print("bulletin build 39 (PDF+HTML)", &a, &pdf);
    match &peer {
        Some(_) => {
            let b = summarise(&theirs);
            print("typst compile (PDF)", &b, &typ_pdf);
            println!(
                "ratio typst / bulletin: wall {:.2}x, cpu {:.2}x, peak memory {:.2}x",
                b.wall.as_secs_f64() / a.wall.as_secs_f64(),
                b.cpu.as_secs_f64() / a.cpu.as_secs_f64().max(1e-9),
                b.rss_mb / a.rss_mb
            );
        }
        None => println!(
            "typst: not found (peer missing) — install with `cargo install typst-cli --locked` \
             or set TYPST=/path/to/typst; only bulletin's figures are shown"
        ),
    }
    let _ = std::fs::remove_dir_all(&base);
}
