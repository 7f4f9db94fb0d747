//! Benchmark of the HTML edition (`cargo bench --bench html`).
//!
//! 1. The example issue (issues/39) to HTML, as `bulletin build` does it
//!    (templates loaded and compiled, page rendered): target ≤ 2 ms.
//! 2. `bulletin build --all --format html` over 100 generated issues, the
//!    real binary: a cold build (target ≤ 1 s), a warm one (everything
//!    skipped), and one with a single changed submission.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bulletin::render::html::{self, HtmlSettings, Templates};

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let min = v[0];
    let median = v[v.len() / 2];
    let mean = v.iter().sum::<Duration>() / v.len() as u32;
    (min, median, mean)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(d: Duration, target: Duration) -> &'static str {
    if d <= target { "达标" } else { "未达标" }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

fn run_all(ws: &Path) -> Duration {
    let t = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["build", "--all", "--format", "html"])
        .current_dir(ws)
        .output()
        .expect("run bulletin");
    let d = t.elapsed();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    d
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ws = bulletin::workspace::Workspace::open(&root).expect("example workspace");
    let (issue, _) = bulletin::model::load_issue(&ws, Some(39)).expect("example issue");

    // 1. One issue.
    let n = 300;
    for _ in 0..20 {
        html::render(&issue).unwrap();
    }
    let full: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let page = html::render(&issue).unwrap();
            let d = t.elapsed();
            std::hint::black_box(page);
            d
        })
        .collect();
    let templates = Templates::load(&root).unwrap();
    let settings = HtmlSettings::default();
    let page_only: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let page = html::render_with(&issue, &templates, &settings).unwrap();
            let d = t.elapsed();
            std::hint::black_box(page);
            d
        })
        .collect();
    let load: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let r = bulletin::model::load_issue(&ws, Some(39)).unwrap();
            let d = t.elapsed();
            std::hint::black_box(r);
            d
        })
        .collect();
    let (fmin, fmed, fmean) = stats(full);
    let (pmin, pmed, pmean) = stats(page_only);
    let (lmin, lmed, lmean) = stats(load);
    println!("示例第39期网页版（{n} 次）：");
    println!(
        "  模板加载+编译+渲染：最短 {}，中位 {}，平均 {}（目标 ≤ 2 ms：{}）",
        ms(fmin),
        ms(fmed),
        ms(fmean),
        verdict(fmed, Duration::from_millis(2))
    );
    println!(
        "  仅渲染（模板已编译）：最短 {}，中位 {}，平均 {}",
        ms(pmin),
        ms(pmed),
        ms(pmean)
    );
    println!(
        "  （参考）读入并解析本期稿件：最短 {}，中位 {}，平均 {}",
        ms(lmin),
        ms(lmed),
        ms(lmean)
    );

    // 2. 100 issues through the real binary.
    let dir = std::env::temp_dir().join(format!("bulletin-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("issues")).unwrap();
    std::fs::copy(root.join("bulletin.toml"), dir.join("bulletin.toml")).unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 3).unwrap();
    for k in 1..=100u32 {
        let d = dir.join("issues").join(k.to_string());
        copy_dir(&root.join("issues/39"), &d);
        let date = start + chrono::Days::new(u64::from(k) * 14);
        std::fs::write(
            d.join("issue.toml"),
            format!("number = {k}\ndate = {date}\n"),
        )
        .unwrap();
    }
    // Each case several times (the machine is shared): median and best.
    let runs = 5;
    let mut cold = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(dir.join("out"));
        cold.push(run_all(&dir));
    }
    let warm: Vec<Duration> = (0..runs).map(|_| run_all(&dir)).collect();
    let sub = dir.join("issues/50/03-养老服务观摩.md");
    let text = std::fs::read_to_string(&sub).unwrap();
    let one: Vec<Duration> = (0..runs)
        .map(|k| {
            std::fs::write(&sub, text.replace("观摩会", &format!("观摩会（{k}）"))).unwrap();
            run_all(&dir)
        })
        .collect();
    let line = |what: &str, v: Vec<Duration>, target: Option<Duration>| {
        let (min, median, _) = stats(v);
        let t = target
            .map(|t| format!("（目标 ≤ {} ms：{}）", t.as_millis(), verdict(median, t)))
            .unwrap_or_default();
        println!("  {what}：中位 {}，最短 {}{t}", ms(median), ms(min));
    };
    println!("build --all --format html，100 期（真实命令，含进程启动，各 {runs} 次）：");
    line("全部编排", cold, Some(Duration::from_secs(1)));
    line("无改动（全部跳过）", warm, None);
    line("改动一篇稿件（编排 1 期，跳过 99 期）", one, None);
    let _ = std::fs::remove_dir_all(&dir);
}
