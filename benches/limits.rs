//! Timing of the limits in issue 6, each at 1/4, 1/2 and full size so
//! that super-linear growth shows as a ratio well above 2 per step:
//! a 10 MB submission, a 5,000-item issue, a 1,000-character title, a
//! 100,000-character line with no break opportunity, plus adversarial
//! inputs that produce one diagnostic per line.
//!
//! Run: `cargo bench --bench limits` (release build). Prints a table.

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
