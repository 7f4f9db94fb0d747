//! `bulletin build --all`: every issue, the archive index, the Atom feed,
//! and skipping issues whose inputs have not changed.

use std::collections::BTreeMap;

use crate::html_support::*;
use crate::util::*;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Issues 38 (2025-11-24), 39 (2025-12-08) and 40 (2025-12-22).
fn archive_workspace() -> TempDir {
    let ws = workspace();
    for (n, date) in [(38, "2025-11-24"), (40, "2025-12-22")] {
        ws.write(
            &format!("issues/{n}/issue.toml"),
            format!("number = {n}\ndate = {date}\n"),
        );
    }
    for (n, titles) in [
        (38, vec!["第三十八期甲稿", "第三十八期乙稿"]),
        (39, vec!["第三十九期甲稿"]),
        (40, vec!["第四十期甲稿", "第四十期乙稿", "第四十期丙稿"]),
    ] {
        for (i, t) in titles.iter().enumerate() {
            ws.write(
                &format!("issues/{n}/{i}.md"),
                submission(
                    t,
                    "市局办公室",
                    "2025-11-20",
                    "工作动态",
                    &format!("{t}的正文。"),
                ),
            );
        }
    }
    ws.write(
        "issues/40/简讯.md",
        "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-20\ncategory = \"简讯\"\n+++\n\n12月20日，简讯正文。\n",
    );
    ws
}

fn build_all(ws: &TempDir) -> (i32, String, String) {
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html"],
    );
    (code(&o), stdout(&o), stderr(&o))
}

/// Issue number → "built" / "skipped", from the command's report.
fn outcome(stdout: &str) -> BTreeMap<u32, &'static str> {
    let mut m = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix('第') else {
            continue;
        };
        let Some((n, tail)) = rest.split_once("期：") else {
            continue;
        };
        let Ok(n) = n.parse() else { continue };
        if tail.starts_with("内容未改动，跳过") {
            m.insert(n, "skipped");
        } else if tail.starts_with("已编排") {
            m.insert(n, "built");
        }
    }
    m
}

fn all(state: &'static str) -> BTreeMap<u32, &'static str> {
    [(38, state), (39, state), (40, state)]
        .into_iter()
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn index_lists_issues_newest_first_with_titles() {
    let ws = archive_workspace();
    let (c, out, err) = build_all(&ws);
    assert_eq!(c, 0, "{err}");
    assert_eq!(outcome(&out), all("built"), "{out}");
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    assert!(live_markup(&index).is_empty(), "{:?}", live_markup(&index));
    assert!(fetched_urls(&index).is_empty());
    let p = parse(&index);
    let links: Vec<&str> = p
        .tags
        .iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href"))
        .collect();
    // One link per issue, then one per article into its page.
    let issue_links: Vec<&str> = links.iter().copied().filter(|h| !h.contains('#')).collect();
    assert_eq!(issue_links.len(), 3);
    let article_links: Vec<&str> = links.iter().copied().filter(|h| h.contains('#')).collect();
    assert_eq!(article_links.len(), 6);
    // 第40期: three articles, then the brief: anchors item-1..3.
    for (i, h) in article_links[..3].iter().enumerate() {
        assert_eq!(
            percent_decode(h),
            format!("40/南阳民政工作动态第40期（送审稿）.html#item-{}", i + 1)
        );
    }
    let page40 =
        std::fs::read_to_string(ws.join("out/40/南阳民政工作动态第40期（送审稿）.html")).unwrap();
    assert!(page40.contains("id=\"item-3\" class=\"item\""));
    // Titles carry <wbr> between words.
    assert!(
        page40
            .replace("<wbr>", "")
            .contains("id=\"item-3-h\">第四十期丙稿</h2>")
    );
    for (href, n) in issue_links.iter().zip([40, 39, 38]) {
        let path = percent_decode(href);
        assert_eq!(path, format!("{n}/南阳民政工作动态第{n}期（送审稿）.html"));
        assert!(ws.join("out").join(&path).is_file(), "{path}");
    }
    // Each issue with its number, date and titles, in order.
    let pos = |s: &str| index.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("第40期") < pos("第39期") && pos("第39期") < pos("第38期"));
    assert!(pos("2025年12月22日") < pos("第四十期甲稿"));
    assert!(pos("第四十期甲稿") < pos("第四十期乙稿") && pos("第四十期丙稿") < pos("第39期"));
    assert!(index.contains("另有简讯1条"));
    assert!(index.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn feed_parses_as_atom() {
    let ws = archive_workspace();
    let (c, _, err) = build_all(&ws);
    assert_eq!(c, 0, "{err}");
    let text = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "root is {:?}",
        feed.tag_name()
    );
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .unwrap_or_else(|| panic!("<{name}> missing"))
    }
    // RFC 4287 §4.1.1: a feed has exactly one id, title, updated; an author
    // (here on the feed, so entries need none).
    for name in ["id", "title", "updated"] {
        assert_eq!(
            feed.children()
                .filter(|c| c.has_tag_name((ATOM, name)))
                .count(),
            1,
            "{name}"
        );
    }
    assert_eq!(child(feed, "title").text(), Some("南阳民政工作动态"));
    assert_eq!(
        child(feed, "updated").text(),
        Some("2025-12-22T00:00:00+08:00")
    );
    assert!(child(child(feed, "author"), "name").text().is_some());
    let rfc3339 = |s: &str| chrono::DateTime::parse_from_rfc3339(s).is_ok();
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 3);
    let mut ids = std::collections::HashSet::new();
    for (e, n) in entries.iter().zip([40, 39, 38]) {
        assert_eq!(
            child(*e, "title").text().unwrap(),
            format!("南阳民政工作动态第{n}期（送审稿）")
        );
        let id = child(*e, "id").text().unwrap();
        assert!(id.starts_with("urn:uuid:"), "{id}");
        assert!(ids.insert(id.to_string()));
        assert!(rfc3339(child(*e, "updated").text().unwrap()));
        let link = child(*e, "link");
        let href = link.attribute("href").unwrap();
        assert!(
            ws.join("out").join(percent_decode(href)).is_file(),
            "{href}"
        );
        let content = child(*e, "content");
        assert_eq!(content.attribute("type"), Some("html"));
        assert!(content.text().unwrap().contains("<li>"));
    }
    let c40 = child(entries[0], "content").text().unwrap();
    assert!(
        c40.contains("<li>第四十期丙稿</li>") && c40.contains("另有简讯1条"),
        "{c40}"
    );
}

#[test]
fn unchanged_issues_are_skipped_and_any_change_rebuilds() {
    let ws = archive_workspace();
    assert_eq!(outcome(&build_all(&ws).1), all("built"));
    let (c, out, _) = build_all(&ws);
    assert_eq!(c, 0);
    assert_eq!(outcome(&out), all("skipped"), "{out}");
    assert!(out.contains("跳过 3 期"), "{out}");

    // A submission changes: that issue only.
    let page39 = ws.join("out").join(HTML_39);
    ws.write(
        "issues/39/0.md",
        submission(
            "第三十九期甲稿改",
            "市局办公室",
            "2025-11-20",
            "工作动态",
            "改过的正文。",
        ),
    );
    let out = build_all(&ws).1;
    assert_eq!(
        outcome(&out),
        [(38, "skipped"), (39, "built"), (40, "skipped")]
            .into_iter()
            .collect(),
        "{out}"
    );
    assert!(
        std::fs::read_to_string(&page39)
            .unwrap()
            .replace("<wbr>", "")
            .contains("第三十九期甲稿改")
    );
    assert!(
        std::fs::read_to_string(ws.join("out/index.html"))
            .unwrap()
            .replace("<wbr>", "")
            .contains("第三十九期甲稿改")
    );

    // A new file in the issue folder, or issue.toml.
    ws.write("issues/38/issue.toml", "number = 38\ndate = 2025-11-25\n");
    assert_eq!(outcome(&build_all(&ws).1)[&38], "built");

    // State kept beside the submissions counts, desktop litter does not.
    ws.write("issues/40/.签核.toml", "核稿 = \"金路\"\n");
    assert_eq!(outcome(&build_all(&ws).1)[&40], "built");
    ws.write("issues/40/.DS_Store", "x");
    ws.write("issues/40/a.md~", "x");
    assert_eq!(outcome(&build_all(&ws).1), all("skipped"));

    // A template (new override) rebuilds every issue.
    ws.write("templates/style.css", "body { color: #222; }\n");
    assert_eq!(outcome(&build_all(&ws).1), all("built"));
    assert!(
        std::fs::read_to_string(&page39)
            .unwrap()
            .contains("body { color: #222; }")
    );
    assert_eq!(outcome(&build_all(&ws).1), all("skipped"));

    // The config rebuilds every issue.
    let cfg = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
    ws.write("bulletin.toml", cfg.replace("王晨晖", "李明"));
    assert_eq!(outcome(&build_all(&ws).1), all("built"));
    assert!(std::fs::read_to_string(&page39).unwrap().contains("李明"));

    // A deleted output is written again.
    std::fs::remove_file(&page39).unwrap();
    assert_eq!(outcome(&build_all(&ws).1)[&39], "built");
    assert!(page39.is_file());

    // Another format set is another build.
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html,pdf"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(outcome(&stdout(&o)), all("built"));
}

#[test]
fn shared_image_outside_the_issue_folder_is_an_input() {
    let ws = archive_workspace();
    // A 1×1 PNG header (an image of absurd size would be refused), then
    // bytes that differ between versions.
    let png = |fill: u8| {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01".to_vec();
        b.extend([fill; 16]);
        b
    };
    ws.write("images/徽标.png", png(1));
    ws.write(
        "issues/39/0.md",
        submission(
            "带图",
            "市局办公室",
            "2025-11-20",
            "工作动态",
            "正文。\n\n![徽标](../../images/徽标.png)\n",
        ),
    );
    assert_eq!(outcome(&build_all(&ws).1), all("built"));
    assert_eq!(outcome(&build_all(&ws).1), all("skipped"));
    ws.write("images/徽标.png", png(2));
    let out = build_all(&ws).1;
    assert_eq!(
        outcome(&out),
        [(38, "skipped"), (39, "built"), (40, "skipped")]
            .into_iter()
            .collect(),
        "{out}"
    );
}

#[test]
fn a_broken_issue_writes_nothing() {
    let ws = archive_workspace();
    ws.write(
        "issues/38/bad.md",
        "+++\ntitle = \"缺字段\"\n+++\n\n正文。\n",
    );
    let (c, out, err) = build_all(&ws);
    assert_eq!(c, 1, "{out}{err}");
    assert!(err.contains("issues/38/bad.md"), "{err}");
    assert!(err.contains("没有写出任何文件"), "{err}");
    assert!(
        !ws.join("out").exists(),
        "{:?}",
        files_below(&ws.join("out"))
    );
}

#[test]
fn base_url_gives_absolute_addresses() {
    let ws = archive_workspace();
    let cfg = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
    ws.write(
        "bulletin.toml",
        format!("{cfg}\n[html]\nbase_url = \"https://mzj.example.gov.cn/gzdt\"\n"),
    );
    let (c, _, err) = build_all(&ws);
    assert_eq!(c, 0, "{err}");
    let feed = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "id")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(ids[0], "https://mzj.example.gov.cn/gzdt/feed.xml");
    assert!(
        ids[1].starts_with("https://mzj.example.gov.cn/gzdt/40/"),
        "{ids:?}"
    );
    let page =
        std::fs::read_to_string(ws.join("out/40/南阳民政工作动态第40期（送审稿）.html")).unwrap();
    let p = parse(&page);
    let og_url = p
        .tags
        .iter()
        .find(|t| t.attr("property") == Some("og:url"))
        .and_then(|t| t.attr("content"))
        .unwrap();
    assert_eq!(
        percent_decode(og_url),
        "https://mzj.example.gov.cn/gzdt/40/南阳民政工作动态第40期.html"
    );

    let bad = format!("{cfg}\n[html]\nbase_url = \"javascript:alert(1)\"\n");
    ws.write("bulletin.toml", &bad);
    std::fs::remove_dir_all(ws.join("out")).unwrap();
    let (c, _, err) = build_all(&ws);
    assert_eq!(c, 1, "{err}");
    // The message points at the `base_url` key.
    let (line, col) = line_col(&bad, "base_url = \"javascript");
    assert!(
        err.contains("E071") && err.contains(&format!("--> bulletin.toml:{line}:{col}")),
        "{err}"
    );
    assert!(!ws.join("out").exists());

    ws.write(
        "bulletin.toml",
        format!("{cfg}\n[html]\nbase_ulr = \"https://a.example/\"\n"),
    );
    let (c, _, err) = build_all(&ws);
    assert_eq!(c, 1, "{err}");
    assert!(
        err.contains("base_ulr") && err.contains("base_url"),
        "{err}"
    );
}

#[test]
fn all_and_a_number_conflict() {
    let ws = archive_workspace();
    let o = run(ws.path(), &["build", "39", "--all"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("不能与 --all 同时使用"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn empty_workspace_gets_an_empty_archive() {
    let ws = TempDir::new("empty-archive");
    ws.write("bulletin.toml", CONFIG);
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    assert!(index.contains("还没有任何一期"));
    let feed = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    roxmltree::Document::parse(&feed).unwrap();
}

#[test]
fn damaged_build_record_means_rebuild() {
    let ws = archive_workspace();
    assert_eq!(outcome(&build_all(&ws).1), all("built"));
    let record = ws.join("out/.bulletin/builds.json");
    assert!(record.is_file());
    for junk in ["{ 不是 JSON", "{\"version\": 99, \"issues\": {}}", ""] {
        std::fs::write(&record, junk).unwrap();
        let (c, out, err) = build_all(&ws);
        assert_eq!(c, 0, "{err}");
        assert_eq!(outcome(&out), all("built"), "{junk}: {out}");
    }
    assert_eq!(outcome(&build_all(&ws).1), all("skipped"));
}

#[test]
fn all_without_html_leaves_the_archive_alone() {
    let ws = archive_workspace();
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "pdf"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("往期目录 index.html 和订阅源 feed.xml 未更新"),
        "{}",
        stderr(&o)
    );
    assert!(!ws.join("out/index.html").exists());
    assert!(!ws.join("out/feed.xml").exists());
    assert_eq!(outcome(&stdout(&o)), all("built"));
}

#[test]
fn font_files_are_inputs_of_pdf_builds_only() {
    let ws = workspace();
    ws.write(
        "issues/39/a.md",
        submission("标题甲", "市局办公室", "2025-12-01", "工作动态", "正文。"),
    );
    let fonts = repo_root().join("fonts");
    let font = ws.join("字体/正文.otf");
    std::fs::create_dir_all(font.parent().unwrap()).unwrap();
    std::fs::copy(fonts.join("FandolFang-Regular.otf"), &font).unwrap();
    ws.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nbody = \"字体/正文.otf\"\n"),
    );
    let both = |ws: &TempDir| {
        let o = run(
            ws.path(),
            &["build", "--all", "--drafts", "--format", "html,pdf"],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        outcome(&stdout(&o))[&39]
    };
    assert_eq!(both(&ws), "built");
    assert_eq!(both(&ws), "skipped");
    std::fs::copy(fonts.join("FandolSong-Regular.otf"), &font).unwrap();
    assert_eq!(both(&ws), "built");
    // The web edition does not use the font files.
    assert_eq!(outcome(&build_all(&ws).1)[&39], "built");
    std::fs::copy(fonts.join("FandolFang-Regular.otf"), &font).unwrap();
    assert_eq!(outcome(&build_all(&ws).1)[&39], "skipped");
}
