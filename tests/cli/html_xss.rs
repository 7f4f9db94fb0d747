//! Untrusted submissions through the real build: none of an XSS corpus may
//! reach the HTML edition, the archive index or the feed as live markup.

use crate::html_support::*;
use crate::util::*;

/// Markdown bodies meant to smuggle script or active content into a page.
const CORPUS: &[&str] = &[
    "<script>alert(1)</script>",
    "正文<script>alert(2)</script>继续。<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)><circle r=1></svg>",
    "<iframe src=\"javascript:alert(5)\"></iframe>",
    "<div style=\"background:url(javascript:alert(6));width:expression(alert(7))\">x</div>",
    "[点我](javascript:alert(8)) [再点](JaVaScRiPt:alert(9)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=) [vb](vbscript:msgbox(1))",
    "[实体](&#106;avascript:alert(11)) [实体2](jav&#x09;ascript:alert(12)) [空格](< javascript:alert(13)>) [编码](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(14))",
    "&lt;script&gt;alert(15)&lt;/script&gt; &#60;img src=x onerror=alert(16)&#62;",
    "<a href=\"javascript:alert(17)\">链接</a>",
    "<scr<script>ipt>alert(18)</script>",
    "<img src=\"x\" onerror=\"alert(19)\"",
    "<p onmouseover=alert(20)>悬停</p>",
    "`<script>alert(21)</script>`",
    "    <script>alert(22)</script>",
    "![<img src=x onerror=alert(23)>](ok.png \"\\\" onerror=\\\"alert(24)\")",
    "<https://example.org/\"onmouseover=\"alert(25)> <javascript:alert(26)>",
    "<!-- <script>alert(27)</script> -->",
    "<style>body{background:url(\"javascript:alert(28)\")}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(29)>",
    "**粗体<b onclick=alert(30)>**",
    "[合法](https://example.org/?a=1&b=\"><script>alert(31)</script>) [邮件](mailto:office@example.org)",
    "<object data=\"data:text/html,<script>alert(32)</script>\"></object><embed src=x>",
    "<form action=\"javascript:alert(33)\"><button formaction=javascript:alert(34)>提交</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(35)\"><base href=\"javascript:/\">",
    "<a href=\"&#x6A;avascript:alert(36)\">实体链接</a> <IMG SRC=JaVaScRiPt:alert(37)>",
    "<</script>script>alert(38)<</script>/script>",
];

fn hostile_workspace() -> TempDir {
    let ws = workspace();
    ws.write("issues/39/ok.png", PNG_1X1);
    for (i, body) in CORPUS.iter().enumerate() {
        ws.write(
            &format!("issues/39/{i:02}.md"),
            submission(
                &format!("标题{i}</title><script>alert(100)</script>"),
                "\\\"><img src=x onerror=alert(101)>",
                "2025-12-01",
                "工作动态",
                &format!("第{i}条开头。\n\n{body}\n\n第{i}条结尾。"),
            ),
        );
    }
    ws.write(
        "issues/39/简讯.md",
        "+++\nunit = \"<svg/onload=alert(102)>\"\ndate = 2025-12-02\ncategory = \"简讯\"\n+++\n\n<script>alert(103)</script>简讯正文。\n",
    );
    ws
}

#[test]
fn xss_corpus_never_becomes_live_markup() {
    let ws = hostile_workspace();
    let o = run(
        ws.path(),
        &["build", "--all", "--drafts", "--format", "html"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Raw HTML is reported, not silently passed.
    assert!(stderr(&o).contains("W001"), "{}", stderr(&o));

    let page = read_html_39(&ws.join("out"));
    let index = std::fs::read_to_string(ws.join("out/index.html")).unwrap();
    for (name, html) in [("page", &page), ("index", &index)] {
        let bad = live_markup(html);
        assert!(bad.is_empty(), "{name}: {bad:#?}");
        assert!(
            fetched_urls(html)
                .iter()
                .all(|u| u.starts_with("data:image/png;base64,")),
            "{name}"
        );
        let p = parse(html);
        assert!(
            !p.tags.iter().any(|t| matches!(
                t.name.as_str(),
                "script" | "svg" | "iframe" | "object" | "embed" | "form" | "base" | "math"
            )),
            "{name}"
        );
        // Only our own <meta> elements: no refresh smuggled in.
        assert!(
            !p.tags
                .iter()
                .any(|t| t.attr("http-equiv") == Some("refresh")),
            "{name}"
        );
        assert!(!p.comments.iter().any(|c| c.contains("alert")), "{name}");
    }

    // The text around every attack survived; the attack itself is text.
    let p = parse(&page);
    for i in 0..CORPUS.len() {
        assert!(
            p.text.contains(&format!("第{i}条开头。")),
            "item {i} lost its text"
        );
        assert!(
            p.text.contains(&format!("第{i}条结尾。")),
            "item {i} lost its text"
        );
        assert!(
            p.text
                .contains(&format!("标题{i}</title><script>alert(100)</script>"))
        );
    }
    assert!(p.text.contains("（\"><img src=x onerror=alert(101)>）"));
    assert!(p.text.contains("（<svg/onload=alert(102)>）"));
    // Links: only the safe ones keep a target.
    let hrefs: Vec<&str> = p
        .tags
        .iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href"))
        .collect();
    assert!(hrefs.contains(&"mailto:office@example.org"), "{hrefs:?}");
    assert!(
        hrefs
            .iter()
            .all(|h| h.starts_with("https://") || h.starts_with("mailto:")),
        "{hrefs:?}"
    );
    // The image's caption is text in alt, never an attribute break-out.
    let imgs: Vec<_> = p.tags.iter().filter(|t| t.name == "img").collect();
    assert_eq!(imgs.len(), 1);
    let mut names: Vec<&str> = imgs[0].attrs.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["alt", "height", "src", "width"],
        "{:?}",
        imgs[0].attrs
    );

    // The feed: well-formed XML whose text holds the titles as text.
    let feed = std::fs::read_to_string(ws.join("out/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("feed parses");
    let entry_content = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "content")))
        .and_then(|n| n.text())
        .unwrap();
    // type="html" content is itself parsed as HTML by readers: check it too.
    let bad = live_markup(entry_content);
    assert!(bad.is_empty(), "feed content: {bad:#?}");
    assert!(
        entry_content.contains("&lt;script&gt;alert(100)"),
        "{entry_content}"
    );
}
