//! The example issue in a real browser (headless Chromium, Debian package
//! `chromium`) at phone and desktop widths: no horizontal scrolling, every
//! item title laid out, the masthead red, nothing fetched from the network.
//! Screenshots land in target/html-screenshots/.
//!
//! Needs Chromium: runs only with BULLETIN_EXTERNAL_TESTS=1 (set by CI).
//! BULLETIN_CHROMIUM names another browser binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

fn chromium() -> String {
    if let Ok(c) = std::env::var("BULLETIN_CHROMIUM") {
        return c;
    }
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(c).is_file()));
        if found {
            return c.to_string();
        }
    }
    panic!("BULLETIN_EXTERNAL_TESTS=1 but no Chromium found: apt-get install chromium");
}

/// Run headless Chromium on `url` with the network cut off; stdout.
pub(crate) fn browse(url: &str, extra: &[&str]) -> String {
    let profile = TempDir::new("chromium-profile");
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        // Containers often have a tiny /dev/shm.
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        // No network: every host unresolvable, every proxy connection refused.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(url)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait chromium").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// What the probe reports about a page laid out `width` px wide.
#[derive(Debug)]
struct Probe {
    width: f64,
    client_width: f64,
    scroll_width: f64,
    /// Item titles with their box: text, width, height, right edge.
    titles: Vec<(String, f64, f64, f64)>,
    masthead_color: String,
    resources: Vec<String>,
    /// The 送审稿 mark overlaps the masthead title.
    draft_overlaps: bool,
}

const PROBE_SCRIPT: &str = r#"<script>
(function () {
  var d = document.documentElement;
  var r = {
    w: window.innerWidth, cw: d.clientWidth, sw: Math.max(d.scrollWidth, document.body.scrollWidth),
    titles: [].map.call(document.querySelectorAll("article .item-title"), function (h) {
      var b = h.getBoundingClientRect();
      var s = getComputedStyle(h);
      var shown = s.display !== "none" && s.visibility !== "hidden" && b.width > 0 && b.height > 0;
      return [h.textContent, shown ? b.width : 0, shown ? b.height : 0, b.right];
    }),
    color: (document.querySelector("header h1") ? getComputedStyle(document.querySelector("header h1")).color : ""),
    res: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    overlap: (function () {
      var a = document.querySelector(".draft"), b = document.querySelector("header h1");
      if (!a || !b) return false;
      var r = a.getBoundingClientRect(), t = b.getBoundingClientRect();
      return r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
    })()
  };
  parent.postMessage(JSON.stringify(r), "*");
})();
</script>"#;

/// Lay `page` out in a `width` px frame and measure it. The copy drops the
/// page's CSP (which would block the probe) so that any request the page
/// makes shows up instead of being silently refused.
fn probe(page: &Path, width: u32, dir: &TempDir) -> Probe {
    let v = probe_json(page, width, dir, PROBE_SCRIPT);
    let f = |k: &str| v[k].as_f64().unwrap();
    Probe {
        width: f("w"),
        client_width: f("cw"),
        scroll_width: f("sw"),
        titles: v["titles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t[0].as_str().unwrap().to_string(),
                    t[1].as_f64().unwrap(),
                    t[2].as_f64().unwrap(),
                    t[3].as_f64().unwrap(),
                )
            })
            .collect(),
        masthead_color: v["color"].as_str().unwrap().to_string(),
        resources: v["res"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect(),
        draft_overlaps: v["overlap"].as_bool().unwrap(),
    }
}

/// Lay `page` out in a `width` px frame (CSP dropped) with `script`
/// appended to its body; the JSON the script posts to its parent.
pub(crate) fn probe_json(
    page: &Path,
    width: u32,
    dir: &TempDir,
    script: &str,
) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let csp_start = html.find("<meta http-equiv=\"Content-Security-Policy\"");
    let html = match csp_start {
        Some(s) => {
            let e = s + html[s..].find('>').unwrap() + 1;
            format!("{}{}", &html[..s], &html[e..])
        }
        None => html,
    };
    let probed = html.replace("</body>", &format!("{script}</body>"));
    let name = format!("probe-{width}.html");
    std::fs::write(page.with_file_name(&name), probed).unwrap();
    let wrapper = dir.write(
        &format!("wrap-{width}.html"),
        format!(
            "<!DOCTYPE html><html><body style=\"margin:0\"><pre id=\"out\"></pre>\
             <script>addEventListener('message', function (e) {{ document.getElementById('out').textContent = e.data; }});</script>\
             <iframe src=\"{}\" style=\"width:{width}px;height:900px;border:0;display:block\"></iframe></body></html>",
            file_url(&page.with_file_name(&name))
        ),
    );
    let dom = browse(
        &file_url(&wrapper),
        &[
            "--window-size=1400,1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
    );
    let start = dom.find("<pre id=\"out\">").expect("probe output") + "<pre id=\"out\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe said {json:?}: {e}"))
}

fn rgb(s: &str) -> (u32, u32, u32) {
    let inner = s
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let n: Vec<u32> = inner
        .split(',')
        .map(|x| x.trim().parse().unwrap_or(0))
        .collect();
    (n[0], n[1], n[2])
}

pub(crate) fn screenshots_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("html-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn example_issue_in_chromium_at_phone_and_desktop_widths() {
    if !external_tests_enabled("Chromium") {
        return;
    }
    let (out, html) = build_example_html();
    let page = out.join(HTML_39);
    let expected: Vec<String> = crate::html_support::parse(&html)
        .tags
        .iter()
        .filter(|t| t.attr("class") == Some("item-title"))
        .map(|t| t.attr("id").unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 5);

    // The probe must be able to see overflow at all: a control page with a
    // wide element is caught.
    let control = out.write(
        "control/c.html",
        html.replace("<main>", "<main><div style=\"width:900px\">宽</div>"),
    );
    let c = probe(&control, 375, &out);
    assert!(
        c.scroll_width > c.client_width + 100.0,
        "probe cannot see overflow: {c:?}"
    );

    for width in [375u32, 1280] {
        let p = probe(&page, width, &out);
        assert_eq!(p.width, f64::from(width), "{p:?}");
        assert!(
            p.scroll_width <= p.client_width,
            "{width}px: horizontal scrolling ({} > {})",
            p.scroll_width,
            p.client_width
        );
        assert_eq!(p.titles.len(), 5, "{width}px: {p:?}");
        for (text, w, h, right) in &p.titles {
            assert!(
                html.replace("<wbr>", "").contains(&format!("{text}</h2>")),
                "{text}"
            );
            assert!(*w > 0.0 && *h > 0.0, "{width}px: title {text} not laid out");
            assert!(
                *right <= p.client_width,
                "{width}px: title {text} sticks out"
            );
        }
        let (r, g, b) = rgb(&p.masthead_color);
        assert!(
            r >= 180 && g <= 60 && b <= 60,
            "masthead {}",
            p.masthead_color
        );
        assert!(
            p.resources.is_empty(),
            "{width}px: fetched {:?}",
            p.resources
        );
        // The example builds as a draft (no sign-offs): the mark is shown,
        // clear of the masthead.
        assert!(html.contains("<p class=\"draft\">送审稿<span class=\"review-code\">审核码 "));
        assert!(!p.draft_overlaps, "{width}px: 送审稿 over the masthead");
    }

    // The page as published (CSP on) is readable offline. Headless
    // Chromium's --dump-dom and --screenshot need JavaScript enabled in the
    // browser; the page itself has no script (its CSP would refuse any), so
    // what is shown needs none. Screenshots for a human to check.
    let dom = browse(&file_url(&page), &["--window-size=1280,1000", "--dump-dom"]);
    for t in crate::html_support::parse(&html)
        .tags
        .iter()
        .filter(|t| t.attr("class") == Some("item-title"))
    {
        assert!(dom.contains(t.attr("id").unwrap()), "{dom}");
    }
    assert!(
        dom.replace("<wbr>", "")
            .contains("市民政局召开冬季民政服务机构安全工作推进会")
    );
    assert!(!dom.contains("<script"), "the page must need no script");
    // Printing from the browser gives A4 pages.
    let pdf = out.join("print.pdf");
    browse(
        &file_url(&page),
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("printed PDF");
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<Vec<f64>> = text
        .match_indices("/MediaBox [")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find(']').unwrap()]
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .collect();
    assert!(boxes.len() >= 2, "{} pages", boxes.len());
    for b in &boxes {
        // A4 = 210 × 297 mm = 595.28 × 841.89 pt.
        assert!(
            (b[2] - b[0] - 595.28).abs() < 1.0 && (b[3] - b[1] - 841.89).abs() < 1.0,
            "{b:?}"
        );
    }
    std::fs::copy(&pdf, screenshots_dir().join("issue-39-print.pdf")).unwrap();

    let shots = screenshots_dir();
    for (width, height) in [(375u32, 5200u32), (1280, 3600)] {
        let png = shots.join(format!("issue-39-{width}.png"));
        let _ = std::fs::remove_file(&png);
        browse(
            &file_url(&page),
            &[
                &format!("--window-size={width},{height}"),
                &format!("--screenshot={}", png.display()),
            ],
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(w, width, "screenshot width");
        eprintln!("截图：{}", png.display());
    }
}

/// Content that tends to break narrow layouts: long URLs and Latin words,
/// long code lines, nested lists, a long masthead, a draft, a long end
/// block. At 320 and 375 px nothing may scroll sideways.
#[test]
fn awkward_content_never_scrolls_sideways_on_phones() {
    if !external_tests_enabled("Chromium") {
        return;
    }
    let ws = TempDir::new("browser-stress");
    ws.write(
        "bulletin.toml",
        CONFIG
            .replace("南阳民政工作动态", "南阳市民政局民政工作动态信息简报汇编")
            .replace("[footer]", "[footer]\ncopies = 120"),
    );
    ws.write(
        "issues/7/issue.toml",
        "number = 7\ntotal_number = 1234\ndate = 2025-12-08\n",
    );
    let body = "访问 https://mzj.example.gov.cn/a/very/long/path/that/never/ends/and/keeps/going/index.html?query=1234567890abcdefghijklmnopqrstuvwxyz 查看。\n\n\
        Supercalifragilisticexpialidociousantidisestablishmentarianism 一词，编号 12345678901234567890123456789012345678901234567890。\n\n\
        [一个很长的链接文字https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa](https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)\n\n\
        ```\n一行很长的代码文字aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n```\n\n\
        1. 第一项\n   - 嵌套第一项 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n     - 再嵌套 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n2. 第二项\n\n\
        > 引文 cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n\n\
        # 一、小标题ddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\n\n最后一段。";
    ws.write(
        "issues/7/a.md",
        submission(
            "一个非常非常长的标题用来测试标题在手机屏幕上的换行和平衡效果是否正常以及是否会溢出",
            "市局办公室",
            "2025-12-01",
            "工作动态",
            body,
        ),
    );
    ws.write(
        "issues/7/b.md",
        "+++\nunit = \"某某县民政局社会事务股aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\ndate = 2025-12-02\ncategory = \"简讯\"\n+++\n\n12月2日，简讯。\n",
    );
    let o = run(ws.path(), &["build", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = ws.join("out/7/南阳市民政局民政工作动态信息简报汇编第7期（送审稿）.html");
    for width in [320u32, 375] {
        let p = probe(&page, width, &ws);
        assert_eq!(p.width, f64::from(width));
        assert!(
            p.scroll_width <= p.client_width,
            "{width}px: horizontal scrolling ({} > {})",
            p.scroll_width,
            p.client_width
        );
        assert_eq!(p.titles.len(), 1);
        assert!(p.titles[0].3 <= p.client_width);
        assert!(!p.draft_overlaps, "{width}px: 送审稿 over the masthead");
    }
    let png = screenshots_dir().join("stress-375.png");
    let _ = std::fs::remove_file(&png);
    browse(
        &file_url(&page),
        &[
            "--window-size=375,2600",
            &format!("--screenshot={}", png.display()),
        ],
    );
    assert!(png.is_file());
}
