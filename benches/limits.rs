//! Timing of the limits in issue 6, each at 1/4, 1/2 and full size so
//! that super-linear growth shows as a ratio well above 2 per step:
//! a 10 MB submission, a 5,000-item issue, a 1,000-character title, a
//! 100,000-character line with no break opportunity, plus adversarial
//! inputs that produce one diagnostic per line.
//!
//! The second table (issue 10, bounded resources) runs the real
//! `bulletin` binary on hostile inputs at 1×, 2× and 4× size and reports
//! its time and peak memory (the child's maximum resident set, from
//! `wait4`), with the growth of each per doubling.
//!
//! Run: `cargo bench --bench limits` (release build). Prints the tables;
//! `cargo bench --bench limits -- bounded` prints only the second.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulletin::render::{Format, RenderContext};
use bulletin::workspace::Workspace;

const CONFIG: &str = r#"title = "南阳民政工作动态"
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
"#;

const SENTENCE: &str =
    "县民政局召开冬季救助工作部署会，安排困难群众过冬保障，要求逐户走访、做到底数清情况明。";

struct Ws(PathBuf);

impl Ws {
    fn new(tag: &str) -> Ws {
        let root =
            std::env::temp_dir().join(format!("bulletin-bench-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("issues/39")).unwrap();
        std::fs::write(root.join("bulletin.toml"), CONFIG).unwrap();
        std::fs::write(
            root.join("issues/39/issue.toml"),
            "number = 39\ndate = 2025-12-08\n",
        )
        .unwrap();
        Ws(root)
    }
    fn put_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    fn put(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

impl Drop for Ws {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn submission(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nunit = \"县民政局\"\ndate = 2025-12-01\ncategory = \"工作动态\"\n+++\n\n{body}\n"
    )
}

/// Load, assemble and render (HTML; PDF once the typesetter is merged).
/// Returns the time and a one-word outcome.
fn build_once(root: &Path) -> (Duration, String) {
    let t = Instant::now();
    let ws = Workspace::open(root).expect("workspace");
    let outcome = match bulletin::model::load_issue(&ws, Some(39)) {
        Ok((issue, _warnings)) => {
            let ctx = RenderContext::new(
                &ws.config,
                &ws.root,
                root.join("out"),
                &[Format::Html, Format::Pdf],
                false,
            )
            .expect("render context");
            match ctx.render(&issue) {
                Ok(r) => {
                    let bytes: usize = r.outputs.iter().map(|o| o.bytes.len()).sum();
                    format!("ok, {} KB out", bytes / 1024)
                }
                Err(d) => format!("refused ({} errors)", d.error_count()),
            }
        }
        Err(d) => {
            // Rendering the diagnostics is part of the cost of refusing.
            let shown = d.render(Some(root));
            format!(
                "refused ({} errors, {} KB message)",
                d.error_count(),
                shown.len() / 1024
            )
        }
    };
    (t.elapsed(), outcome)
}

fn row(name: &str, size: &str, d: Duration, outcome: &str, prev: Option<Duration>) {
    let ratio = prev
        .map(|p| format!("×{:.2}", d.as_secs_f64() / p.as_secs_f64().max(1e-9)))
        .unwrap_or_default();
    println!(
        "{name:<34} {size:>14} {:>10.1} ms {ratio:>7}  {outcome}",
        d.as_secs_f64() * 1000.0
    );
}

/// Time `make(n)` for n = full/4, full/2, full.
fn scale(name: &str, full: usize, unit: &str, make: impl Fn(&Ws, usize)) {
    let mut prev = None;
    for n in [full / 4, full / 2, full] {
        let ws = Ws::new(name.split_whitespace().next().unwrap_or("x"));
        make(&ws, n);
        // Best of three: the machine is shared.
        let (mut d, outcome) = build_once(&ws.0);
        for _ in 0..2 {
            d = d.min(build_once(&ws.0).0);
        }
        row(name, &format!("{n} {unit}"), d, &outcome, prev);
        prev = Some(d);
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` must not run it.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if !std::env::args().any(|a| a == "bounded") {
        in_process();
    }
    bounded();
}

/// Time and peak memory of one run of the binary in `dir`.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run_child(dir: &Path, args: &[&str]) -> (Duration, u64, i32) {
    let t = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run bulletin");
    let mut status = 0;
    // SAFETY: plain wait4 on our own child, with buffers we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(r, child.id() as libc::pid_t, "wait4");
    let elapsed = t.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    // ru_maxrss is in kilobytes on Linux.
    (elapsed, usage.ru_maxrss as u64 * 1024, code)
}

/// Run `args` on `make(n)` for n, 2n, 4n; print time, peak memory and the
/// growth of each per doubling.
fn bounded_case(name: &str, args: &[&str], base: usize, unit: &str, make: impl Fn(&Ws, usize)) {
    let mut prev: Option<(Duration, u64)> = None;
    for n in [base, base * 2, base * 4] {
        let ws = Ws::new("bounded");
        make(&ws, n);
        // Best of two: the machine is shared.
        let (mut d, mut mem, code) = run_child(&ws.0, args);
        let (d2, mem2, _) = run_child(&ws.0, args);
        d = d.min(d2);
        mem = mem.min(mem2);
        let growth = prev
            .map(|(pd, pm)| {
                format!(
                    "×{:.2} ×{:.2}",
                    d.as_secs_f64() / pd.as_secs_f64().max(1e-9),
                    mem as f64 / pm.max(1) as f64
                )
            })
            .unwrap_or_default();
        println!(
            "{name:<30} {:>16} {:>10.1} ms {:>8.1} MB {growth:>13}  exit {code}",
            format!("{n} {unit}"),
            d.as_secs_f64() * 1000.0,
            mem as f64 / 1048576.0
        );
        prev = Some((d, mem));
    }
}

/// A PNG of `w` × `h` grey pixels, all zero: tiny on disk, huge decoded.
fn zero_png(w: u32, h: u32) -> Vec<u8> {
    bulletin::typeset::sample::grey_png(w, h, h)
}

/// Issue 10's hostile inputs through the real binary.
fn bounded() {
    println!(
        "\n{:<30} {:>16} {:>13} {:>11} {:>13}  outcome",
        "bounded resources (binary)", "size", "time", "peak", "per doubling"
    );
    let check = ["check", "39"];
    let build = ["build", "39"];
    bounded_case(
        "PNG header claims w×w",
        &build,
        25_000,
        "px wide",
        |ws, n| {
            let mut png = zero_png(1, 1);
            png[16..20].copy_from_slice(&(n as u32).to_be_bytes());
            png[20..24].copy_from_slice(&(n as u32).to_be_bytes());
            // The CRC no longer matches: the header check never gets that far.
            ws.put_bytes("issues/39/炸弹.png", &png);
            ws.put("issues/39/a.md", &submission("图", "![图](炸弹.png)"));
        },
    );
    bounded_case(
        "small PNG, huge bitmap",
        &build,
        8_000,
        "px wide",
        |ws, n| {
            ws.put_bytes("issues/39/炸弹.png", &zero_png(n as u32, n as u32));
            ws.put("issues/39/a.md", &submission("图", "![图](炸弹.png)"));
        },
    );
    bounded_case("`中,` on one line", &check, 40_000, "problems", |ws, n| {
        ws.put("issues/39/a.md", &submission("逗号", &"中,".repeat(n)));
    });
    bounded_case("look-alike items", &check, 2_500, "items", |ws, n| {
        for i in 0..n {
            ws.put(
                &format!("issues/39/{i:05}.md"),
                &submission(&format!("县民政局召开冬季救助工作部署会第{i}次"), SENTENCE),
            );
        }
    });
    bounded_case(
        "`。**中` repeated (check)",
        &check,
        100_000,
        "times",
        |ws, n| {
            ws.put("issues/39/a.md", &submission("星号", &"。**中".repeat(n)));
        },
    );
    bounded_case(
        "`。**中` repeated (build)",
        &build,
        100_000,
        "times",
        |ws, n| {
            ws.put("issues/39/a.md", &submission("星号", &"。**中".repeat(n)));
        },
    );
    bounded_case(
        "unknown names in order",
        &check,
        10_000,
        "names",
        |ws, n| {
            ws.put("issues/39/a.md", &submission("正文", SENTENCE));
            let names: String = (0..n).map(|i| format!("\"稿{i}.md\",\n")).collect();
            ws.put(
                "issues/39/issue.toml",
                &format!("number = 39\ndate = 2025-12-08\norder = [\n{names}]\n"),
            );
        },
    );
    bounded_case(
        "`1.中` (numbering scan)",
        &check,
        40_000,
        "times",
        |ws, n| {
            ws.put("issues/39/a.md", &submission("编号", &"中1.".repeat(n)));
        },
    );
    bounded_case("`中 ` (spaces scan)", &check, 40_000, "times", |ws, n| {
        ws.put("issues/39/a.md", &submission("空格", &"中 ".repeat(n)));
    });
    bounded_case("`a`中 (code spans)", &check, 40_000, "times", |ws, n| {
        ws.put("issues/39/a.md", &submission("代码", &"`a`中".repeat(n)));
    });
    bounded_case("submission over the cap", &build, 13, "MB", |ws, n| {
        ws.put("issues/39/a.md", &submission("正文", SENTENCE));
        let f = std::fs::File::create(ws.0.join("issues/39/大.md")).unwrap();
        f.set_len((n as u64) << 20).unwrap();
    });
}

fn in_process() {
    println!(
        "{:<34} {:>14} {:>13} {:>7}  outcome",
        "case", "size", "time", "step"
    );
    scale("10 MB submission", 10 << 20, "bytes", |ws, bytes| {
        let para = SENTENCE.repeat(20);
        let mut body = String::new();
        while body.len() < bytes {
            body.push_str(&para);
            body.push_str("\n\n");
        }
        ws.put("issues/39/big.md", &submission("大文件", &body));
    });
    scale("5,000-item issue", 5000, "items", |ws, n| {
        let body = SENTENCE.repeat(6);
        for i in 0..n {
            ws.put(
                &format!("issues/39/{i:05}.md"),
                &submission(&format!("第{i}篇稿件"), &body),
            );
        }
    });
    scale("5,000 items in issue.toml order", 5000, "items", |ws, n| {
        let body = SENTENCE.repeat(6);
        let mut order = String::from("number = 39\ndate = 2025-12-08\norder = [\n");
        for i in (0..n).rev() {
            ws.put(
                &format!("issues/39/{i:05}.md"),
                &submission(&format!("第{i}篇稿件"), &body),
            );
            order.push_str(&format!("  \"{i:05}.md\",\n"));
        }
        order.push_str("]\n");
        ws.put("issues/39/issue.toml", &order);
    });
    scale("1,000-character title", 1000, "chars", |ws, n| {
        let title: String = "民政".chars().cycle().take(n).collect();
        ws.put("issues/39/a.md", &submission(&title, SENTENCE));
    });
    scale("100,000-char line, no break", 100_000, "chars", |ws, n| {
        ws.put("issues/39/a.md", &submission("长行", &"a".repeat(n)));
    });
    scale("100,000-char line of Han", 100_000, "chars", |ws, n| {
        let line: String = SENTENCE.chars().cycle().take(n).collect();
        ws.put("issues/39/a.md", &submission("长行", &line));
    });
    scale("raw HTML tag on every line", 200_000, "lines", |ws, n| {
        ws.put(
            "issues/39/a.md",
            &submission("标记", &"<b>粗</b>\n".repeat(n)),
        );
    });
    scale("unknown front-matter keys", 100_000, "keys", |ws, n| {
        let keys: String = (0..n).map(|i| format!("k{i} = 1\n")).collect();
        ws.put(
            "issues/39/a.md",
            &format!("+++\n{keys}title = \"x\"\n+++\n\n正文。\n"),
        );
    });
    scale("missing image on every line", 20_000, "images", |ws, n| {
        ws.put(
            "issues/39/a.md",
            &submission("图片", &"![图](没有.png)\n\n".repeat(n)),
        );
    });
    scale("deeply nested quotes", 50_000, "levels", |ws, n| {
        ws.put(
            "issues/39/a.md",
            &submission("嵌套", &format!("{}正文", "> ".repeat(n))),
        );
    });
    scale("deeply nested lists", 20_000, "levels", |ws, n| {
        // `- - - 项`: n nested lists in 2n bytes.
        ws.put(
            "issues/39/a.md",
            &submission("列表", &format!("{}项", "- ".repeat(n))),
        );
    });
}
