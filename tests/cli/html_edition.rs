//! The HTML edition of one issue, through the real binary.

use crate::html_support::*;
use crate::util::*;

#[test]
fn example_page_is_semantic_and_complete() {
    let (_out, html) = build_example_html();
    let p = parse(&html);
    let html_tag = &p.tags[0];
    assert_eq!(html_tag.name, "html");
    assert_eq!(html_tag.attr("lang"), Some("zh-CN"));
    let meta = |attr: &str, key: &str| {
        p.tags
            .iter()
            .find(|t| t.name == "meta" && t.attr(attr) == Some(key))
            .and_then(|t| t.attr("content"))
            .map(str::to_string)
    };
    assert!(
        meta("name", "viewport")
            .unwrap()
            .contains("width=device-width")
    );
    // Without sign-offs a build is a draft (送审稿), and a shared link says so.
    assert_eq!(
        meta("property", "og:title").as_deref(),
        Some("南阳民政工作动态 第39期（送审稿）")
    );
    assert_eq!(meta("name", "robots").as_deref(), Some("noindex"));
    let desc = meta("property", "og:description").unwrap();
    assert!(
        desc.starts_with("11月25日上午，市民政局召开冬季民政服务机构安全工作推进会"),
        "{desc}"
    );
    assert_eq!(meta("name", "description").unwrap(), desc);
    assert!(html.contains("<title>南阳民政工作动态 第39期（送审稿）</title>"));

    // Masthead in a header, end block in a footer, one article per item.
    for t in ["header", "main", "footer"] {
        assert_eq!(p.tags.iter().filter(|x| x.name == t).count(), 1, "<{t}>");
    }
    assert_eq!(p.tags.iter().filter(|x| x.name == "article").count(), 8);
    assert!(html.contains("<h1>南阳民政工作动态</h1>"));
    assert!(html.contains("<p class=\"number\">第39期</p>"));
    assert!(
        html.contains(
            "南阳市民政局办公室</span><time datetime=\"2025-12-08\">2025年12月8日</time>"
        )
    );

    // Every article title as a heading, in print order.
    let titles = example_titles();
    assert_eq!(titles.len(), 5);
    let mut at = 0;
    for t in &titles {
        let needle = "class=\"item-title\" id=\"item-";
        let pos = html[at..].find(needle).map(|i| at + i).unwrap();
        let h_end = html[pos..].find("</h2>").unwrap() + pos;
        assert!(
            html[pos..h_end].replace("<wbr>", "").ends_with(t.as_str()),
            "{t} not at {}",
            &html[pos..h_end]
        );
        at = h_end;
    }

    // 简讯 column with its items, each ending in （unit）.
    assert!(html.contains("<h2 class=\"section-title\" id=\"section-2-h\">简讯</h2>"));
    assert!(html.contains("<span class=\"unit\">（市救助服务中心）</span></p>"));
    // The attribution closes the last paragraph of an article.
    assert!(html.contains("予以通报。<span class=\"unit\">（市局办公室）</span></p>\n</article>"));
    // （节选） under the excerpted item's title only.
    assert_eq!(html.matches("<p class=\"excerpt\">（节选）</p>").count(), 1);
    // End block: lines and staff line.
    assert!(
        html.contains(
            "<span class=\"label\">报：</span><span class=\"text\"><span class=\"entry\">市民政局领导。</span></span>"
        )
    );
    assert!(html.contains("编辑：<span class=\"name\">王晨晖</span>"));
    assert!(html.contains("核稿：<span class=\"name\"></span>"));
    // Without sign-offs and `--final`, a build is a draft and says so.
    assert!(html.contains("送审稿"));

    // Defence in depth: the page forbids scripts and every outside fetch.
    let csp = meta("http-equiv", "Content-Security-Policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("img-src data:"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    // Self-contained: nothing fetched, no script.
    assert!(fetched_urls(&html).is_empty(), "{:?}", fetched_urls(&html));
    assert!(live_markup(&html).is_empty(), "{:?}", live_markup(&html));
    assert!(!p.tags.iter().any(|t| t.name == "script"));
    // Typography mirrors the print edition.
    assert!(html.contains("FangSong"));
    assert!(html.contains("text-indent: 2em"));
    assert!(html.contains("@page { size: A4"));
}

#[test]
fn draft_mark_and_signoff_names_reach_the_page() {
    let ws = bulletin::workspace::Workspace::open(&repo_root()).unwrap();
    let (mut issue, _) = bulletin::model::load_issue(&ws, Some(39)).unwrap();
    let plain = bulletin::render::html::render(&issue).unwrap().html;
    assert!(!plain.contains("送审稿"));
    issue.footer.draft = true;
    issue.footer.signoffs[0].name = Some("金路".to_string());
    let html = bulletin::render::html::render(&issue).unwrap().html;
    assert!(
        html.contains("<p class=\"draft\">送审稿</p>"),
        "draft mark missing"
    );
    assert!(html.contains("<title>南阳民政工作动态 第39期（送审稿）</title>"));
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!plain.contains("noindex"));
    assert!(html.contains("核稿：<span class=\"name\">金路</span>"));
    assert!(html.contains("审核：<span class=\"name\"></span>"));
    // As text (copied, read aloud) the staff line reads as printed.
    let text = crate::html_support::parse(&html).text;
    assert!(
        text.contains("编辑：王晨晖\u{3000}核稿：金路\u{3000}审核："),
        "{text}"
    );
}

/// Issue 39 of `ws` with one item, `a.md` (标题甲, 市局办公室), whose body
/// is `body`.
fn write_item_a(ws: &TempDir, body: &str) {
    ws.write(
        "issues/39/a.md",
        submission("标题甲", "市局办公室", "2025-12-01", "工作动态", body),
    );
}

/// `bulletin build --format html` in `ws`, which must succeed: its output
/// and the page it wrote.
fn build_html_page(ws: &TempDir) -> (std::process::Output, String) {
    let o = run(ws.path(), &["build", "--format", "html"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(ws.join(format!("out/39/{STEM_39}.html"))).unwrap();
    (o, html)
}

#[test]
fn workspace_template_overrides_default() {
    let ws = workspace();
    write_item_a(&ws, "正文。");
    ws.write(
        "templates/issue.html",
        "<!DOCTYPE html><html lang=\"zh-CN\"><title>{{ page.title }}</title>\
         {% for s in sections %}{% for i in s.items %}<h2>{{ i.title }}</h2>{{ i.body }}{% endfor %}{% endfor %}\
         <p>自定义模板</p></html>\n",
    );
    // Other files in templates/ are not templates.
    ws.write("templates/logo.png", [0x89u8, 0xFF, 0xFE, 0x00]);
    ws.write("templates/说明.md", "{{ 不是模板 }");
    let (_o, html) = build_html_page(&ws);
    assert!(html.contains("<p>自定义模板</p>"), "{html}");
    assert!(
        html.contains("<h2>标题甲</h2><p>正文。<span class=\"unit\">（市局办公室）</span></p>")
    );
}

/// A one-item workspace whose `templates/issue.html` is `template`, built
/// as HTML: the build must be refused; the workspace and its stderr.
fn refused_with_template(template: &str) -> (TempDir, String) {
    let ws = workspace();
    write_item_a(&ws, "正文。");
    ws.write("templates/issue.html", template);
    let o = run(ws.path(), &["build", "--format", "html"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    (ws, stderr(&o))
}

#[test]
fn template_syntax_error_names_file_and_line_and_writes_nothing() {
    let (ws, err) = refused_with_template(
        "<!DOCTYPE html>\n<html>\n<body>\n{% for s in sections %}\n<p>{{ s.name }</p>\n{% endfor %}\n</body>\n",
    );
    assert!(err.contains("模板 issue.html 语法错误"), "{err}");
    assert!(err.contains("templates/issue.html:5:"), "{err}");
    assert!(err.contains("没有写出任何文件"), "{err}");
    assert!(
        !ws.join("out").exists(),
        "{:?}",
        files_below(&ws.join("out"))
    );

    // The same through --all.
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/issue.html:5:"),
        "{}",
        stderr(&o)
    );
    assert!(!ws.join("out").exists());
}

#[test]
fn template_with_unknown_variable_is_refused() {
    let (ws, err) = refused_with_template("<html>\n{{ issue.titel }}\n</html>\n");
    assert!(err.contains("不存在的变量"), "{err}");
    assert!(err.contains("templates/issue.html:2:"), "{err}");
    assert!(!ws.join("out").exists());
}

#[test]
fn images_are_inlined_with_caption_as_alt() {
    let ws = workspace();
    ws.write("issues/39/现场.png", PNG_1X1);
    ws.write("images/共用.png", PNG_1X1);
    write_item_a(
        &ws,
        "正文。\n\n![观摩会现场](现场.png)\n\n![共用图片](../../images/共用.png)\n\n结尾。",
    );
    let (_o, html) = build_html_page(&ws);
    let p = parse(&html);
    let imgs: Vec<_> = p.tags.iter().filter(|t| t.name == "img").collect();
    assert_eq!(imgs.len(), 2);
    assert_eq!(imgs[0].attr("alt"), Some("观摩会现场"));
    // The size from the PNG_1X1 header, so the page does not jump while loading.
    assert_eq!(
        (imgs[0].attr("width"), imgs[0].attr("height")),
        (Some("1"), Some("1"))
    );
    assert_eq!(imgs[1].attr("alt"), Some("共用图片"));
    let mut b64 = String::new();
    bulletin::render::html::base64_into(&mut b64, PNG_1X1);
    assert_eq!(
        imgs[0].attr("src").unwrap(),
        format!("data:image/png;base64,{b64}")
    );
    assert!(html.contains("<figcaption>观摩会现场</figcaption>"));
    // Nothing copied beside the page: it stands alone.
    assert_eq!(files_below(&ws.join("out/39")).len(), 1);
    assert!(
        fetched_urls(&html)
            .iter()
            .all(|u| u.starts_with("data:image/png;base64,"))
    );
}

#[test]
fn images_outside_the_workspace_refuse_the_build() {
    let outside = TempDir::new("outside");
    outside.write("secret.png", PNG_1X1);
    let ws = workspace();
    let rel = format!(
        "../../../{}/secret.png",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    for (i, src) in [
        rel.as_str(),
        "/etc/passwd",
        "https://example.org/a.png",
        "data:image/png;base64,AAAA",
    ]
    .iter()
    .enumerate()
    {
        write_item_a(&ws, &format!("正文。\n\n![图{i}]({src})\n"));
        let o = run(ws.path(), &["build", "--format", "html"]);
        assert_eq!(code(&o), 1, "{src}: {}", stderr(&o));
        assert!(stderr(&o).contains("E040"), "{src}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("issues/39/a.md:10:"),
            "{src}: {}",
            stderr(&o)
        );
        assert!(!ws.join("out").exists());
    }
}

#[test]
fn svg_images_are_not_embedded() {
    let ws = workspace();
    ws.write(
        "issues/39/图.png",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>",
    );
    write_item_a(&ws, "正文。\n\n![假图片](图.png)\n");
    let (o, html) = build_html_page(&ws);
    assert!(stderr(&o).contains("W070"), "{}", stderr(&o));
    assert!(stderr(&o).contains("issues/39/a.md:10:1"), "{}", stderr(&o));
    assert!(!html.contains("<img"));
    assert!(!html.contains("alert"));
    assert!(html.contains("<figcaption>假图片</figcaption>"));
}

#[test]
fn large_images_are_embedded_with_a_warning() {
    let ws = workspace();
    let mut big = PNG_1X1.to_vec();
    big.resize(3 * 1024 * 1024, 0);
    ws.write("issues/39/大图.png", &big);
    write_item_a(&ws, "正文。\n\n![大图](大图.png)\n");
    let (o, html) = build_html_page(&ws);
    let err = stderr(&o);
    assert!(err.contains("W071") && err.contains("3.0 MB"), "{err}");
    assert!(err.contains("issues/39/a.md:10:1"), "{err}");
    assert!(html.len() > 4 * 1024 * 1024);
}
