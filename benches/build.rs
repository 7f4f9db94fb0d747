//! Benchmark of the whole `bulletin build` process (PDF + HTML): the
//! example issue and generated issues of 50, 500 and 2,000 items. Reports
//! wall time (median and best of several runs) and peak resident memory of
//! the child process (getrusage via wait4). Run: `cargo bench --bench build`.
//! Not a timed test: it prints numbers and fails only if a build fails.
//! On a shared machine wall time includes waiting for a core; the CPU time
//! (user + system) of the child is the steadier figure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Run {
    wall: Duration,
    /// User + system CPU time of the child.
    cpu: Duration,
    max_rss_kb: i64,
}

/// Run `bulletin build N --out out` in `root`; wall time and peak RSS.
fn build_once(root: &Path, number: u32, out: &Path) -> Run {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["build", &number.to_string(), "--out"])
        .arg(out)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start bulletin");
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
        "bulletin build failed in {}",
        root.display()
    );
    drop(child);
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

fn pdf_info(out: &Path) -> (usize, u64) {
    fn find(d: &Path, acc: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                find(&p, acc);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                acc.push(p);
            }
        }
    }
    let mut v = Vec::new();
    find(out, &mut v);
    let bytes = std::fs::read(&v[0]).unwrap();
    let pages = pdf_extract::Document::load_mem(&bytes)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);
    (pages, bytes.len() as u64)
}

fn measure(label: &str, root: &Path, number: u32, runs: usize, items: usize) {
    let out = root.join("bench-out");
    // One warm-up run (page cache).
    build_once(root, number, &out);
    let mut results: Vec<Run> = (0..runs).map(|_| build_once(root, number, &out)).collect();
    results.sort_by_key(|r| r.wall);
    let median = results[results.len() / 2].wall;
    let best = results[0].wall;
    let rss = results.iter().map(|r| r.max_rss_kb).max().unwrap_or(0);
    let mut cpus: Vec<Duration> = results.iter().map(|r| r.cpu).collect();
    cpus.sort();
    let cpu = cpus[cpus.len() / 2];
    let (pages, size) = pdf_info(&out);
    println!(
        "{label:<14} {items:>6} items {pages:>5} pages {:>8.1} KB pdf | wall median {:>8.1} ms, best {:>8.1} ms, cpu median {:>8.1} ms, {:>6.3} ms/item | peak RSS {:>6.1} MB",
        size as f64 / 1024.0,
        median.as_secs_f64() * 1000.0,
        best.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0,
        median.as_secs_f64() * 1000.0 / items.max(1) as f64,
        rss as f64 / 1024.0,
    );
}

fn main() {
    let base = std::env::temp_dir().join(format!("bulletin-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!(
        "bulletin build (whole process, PDF + HTML), {}",
        env!("CARGO_BIN_EXE_bulletin")
    );

    let example = base.join("example");
    std::fs::create_dir_all(&example).unwrap();
    std::fs::copy(repo.join("bulletin.toml"), example.join("bulletin.toml")).unwrap();
    copy_dir(&repo.join("issues/39"), &example.join("issues/39"));
    measure("example (39)", &example, 39, 21, 8);

    for (items, runs) in [(50, 11), (500, 5), (2000, 3)] {
        let dir = base.join(format!("gen-{items}"));
        let n = bulletin::typeset::sample::write_workspace(&dir, items, 2025).unwrap();
        measure("generated", &dir, n, runs, items);
    }
    let _ = std::fs::remove_dir_all(&base);
}
