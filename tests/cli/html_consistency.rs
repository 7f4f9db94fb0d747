//! The PDF and the HTML edition agree: a 简讯's `title` (printed by
//! neither) is a warning at its line; section headings have the same text,
//! alignment and face in both; the staff line keeps each role with its
//! name; titles break only between words, at the boundaries the PDF's
//! title breaker uses. With BULLETIN_EXTERNAL_TESTS=1, Chromium lays the
//! example issue out at phone width and the title lines and staff pairs
//! are measured.

use bulletin::fonts::FontSet;
use bulletin::model;
use bulletin::typeset::{self, LineKind, TypesetOptions};
use bulletin::workspace::Workspace;
use pdf_extract::Document;

use crate::util::*;

/// A CSS rule's declarations in `html`'s inline style sheet.
fn css_rule<'a>(html: &'a str, selector: &str) -> &'a str {
    let start = html
        .find(&format!("\n{selector} {{"))
        .unwrap_or_else(|| panic!("no rule {selector}"));
    let body = &html[start + selector.len() + 3..];
    &body[..body.find('}').unwrap()]
}

#[test]
fn a_title_on_a_brief_is_a_warning_at_its_line_and_printed_nowhere() {
    let ws = workspace();
    let text = "+++\nunit = \"某某县民政局\"\ndate = 2025-12-02\ncategory = \"简讯\"\ntitle = \"开展冬季救助\"\n+++\n\n12月2日，某某县开展冬季救助。\n";
    ws.write("issues/39/简讯-1.md", text);
    let o = run(ws.path(), &["check", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let e = stderr(&o);
    let (l, c) = line_col(text, "\"开展冬季救助\"");
    assert_eq!(l, 5);
    assert!(e.contains("警告[L004]"), "{e}");
    assert!(e.contains(&format!("简讯-1.md:{l}:{c}")), "{e}");
    // Neither edition prints it.
    let (out, _) = build_into(ws.path(), &["39"]);
    let html = read_html_39(out.path());
    assert!(html.contains("某某县开展冬季救助"));
    assert!(!html.contains("开展冬季救助</h"), "{html}");
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert_eq!(text.matches("开展冬季救助").count(), 1, "{text}");
}

/// A workspace whose sections print bracketed headings, one article (no
/// bold) and one brief.
fn headed_workspace() -> TempDir {
    let ws = TempDir::new("headed");
    ws.write(
        "bulletin.toml",
        CONFIG.replace(
            "name = \"工作动态\"\nheading = \"\"",
            "name = \"工作动态\"\nheading = \"【工作动态】\"",
        ),
    );
    ws.write("issues/39/issue.toml", "number = 39\ndate = 2025-12-08\n");
    ws.write(
        "issues/39/a.md",
        submission(
            "全市养老服务质量提升现场观摩会在方城县召开",
            "市养老服务中心",
            "2025-12-02",
            "工作动态",
            "12月2日，全市养老服务质量提升现场观摩会在方城县召开。",
        ),
    );
    ws.write(
        "issues/39/b.md",
        "+++\nunit = \"桐柏县民政局\"\ndate = 2025-12-04\ncategory = \"简讯\"\n+++\n\n12月4日，桐柏县民政局开展宪法宣传活动。\n",
    );
    ws
}

#[test]
fn section_headings_agree_in_text_alignment_and_face() {
    let ws = headed_workspace();
    let (out, _) = build_into(ws.path(), &["39"]);

    // PDF: the heading's own text, flush left on the text block.
    let w = Workspace::open(ws.path()).unwrap();
    let (issue, _) = model::load_issue(&w, None).unwrap();
    let mut fonts = FontSet::from_config(&w.config, &w.root).unwrap();
    let doc = typeset::typeset(
        &issue,
        &mut fonts,
        &w.config.layout,
        TypesetOptions::default(),
    )
    .unwrap();
    let headings: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::SectionHeading)
        .collect();
    let texts: Vec<&str> = headings.iter().map(|l| l.text.trim()).collect();
    assert_eq!(texts, ["【工作动态】", "简讯"]);
    for l in &headings {
        assert!(
            (l.x - doc.text_block.x).abs() < 0.01,
            "not flush left: {l:?}"
        );
        assert!(l.x + l.width < doc.text_block.right() - 100.0, "{l:?}");
    }
    // The only Hei text of this issue is its section headings.
    let pdf = Document::load_mem(&std::fs::read(out.join(PDF_39)).unwrap()).unwrap();
    let faces: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"BaseFont").ok()?.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert!(
        faces.iter().any(|f| f.ends_with("+FandolHei-Regular")),
        "{faces:?}"
    );

    // HTML: the same text in the same face family, flush left.
    let html = read_html_39(out.path());
    assert!(html.contains("<h2 class=\"section-title\" id=\"section-1-h\">【工作动态】</h2>"));
    assert!(html.contains("<h2 class=\"section-title\" id=\"section-2-h\">简讯</h2>"));
    let rule = css_rule(&html, ".section-title");
    assert!(rule.contains("text-align: left"), "{rule}");
    assert!(!rule.contains("center"), "{rule}");
    assert!(rule.contains("font-family: var(--hei)"), "{rule}");
    let hei = &html[html.find("--hei:").unwrap()..];
    assert!(
        hei[..hei.find(';').unwrap()].contains("\"FandolHei\""),
        "{hei}"
    );
}

#[test]
fn staff_pairs_stay_together_and_titles_break_between_words() {
    let (_out, html) = build_example_html();
    // Each role with its name in one span that does not wrap inside.
    assert!(
        html.contains(
            "<p class=\"staff\"><span class=\"role\">编辑：<span class=\"name\">王晨晖</span>　</span>\
             <span class=\"role\">核稿：<span class=\"name\"></span>　</span>\
             <span class=\"role\">审核：<span class=\"name\"></span></span></p>"
        ),
        "{}",
        &html[html.find("<footer").unwrap()..]
    );
    assert!(css_rule(&html, ".endblock .role").contains("white-space: nowrap"));
    // The 发 list wraps between its entries (、，； outside brackets).
    assert!(html.contains(
        "<span class=\"label\">发：</span><span class=\"text\">\
         <span class=\"entry\">各县市区民政局（社会事业局），</span>\
         <span class=\"entry\">市局机关各科（室、局）、</span>\
         <span class=\"entry\">局属各单位。</span></span>"
    ));
    assert!(css_rule(&html, ".endblock .entry").contains("display: inline-block"));

    // Titles: no break between Han characters but at <wbr>.
    assert!(css_rule(&html, ".item-title").contains("word-break: keep-all"));
    let marked = "全市<wbr>养老服务<wbr>质量<wbr>提升<wbr>现场观摩会<wbr>在方城县<wbr>召开";
    assert!(
        html.contains(&format!("id=\"item-3-h\">{marked}</h2>")),
        "{html}"
    );
    // Every title's <wbr> are exactly the word boundaries of the PDF's
    // title breaker, and the text is the title's.
    let titles = example_titles();
    for t in &titles {
        let breaks = bulletin::wordbreak::title_breaks(t);
        assert!(!breaks.is_empty(), "{t}");
        let mut want = String::new();
        for (i, c) in t.chars().enumerate() {
            if breaks.contains(&i) {
                want.push_str("<wbr>");
            }
            want.push(c);
        }
        assert!(html.contains(&format!("{want}</h2>")), "{want}");
    }
    // 养老服务 and 民政局 are never split.
    for w in ["养老服务", "民政局"] {
        for (i, _) in html.match_indices(&w[..3]) {
            let rest = &html[i..];
            if rest.replace("<wbr>", "").starts_with(w) {
                assert!(rest.starts_with(w), "{w} split: {}", &rest[..40]);
            }
        }
    }
}

const LINES_SCRIPT: &str = r#"<script>
(function () {
  function lines(el) {
    var out = [], top = null, walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var n;
    while ((n = walker.nextNode())) {
      for (var i = 0; i < n.data.length; i++) {
        var r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        var b = r.getClientRects()[0];
        if (!b) continue;
        if (top === null || b.top > top + 2) { out.push(""); top = b.top; }
        out[out.length - 1] += n.data[i];
      }
    }
    return out;
  }
  var r = {
    titles: [].map.call(document.querySelectorAll(".item-title"), lines),
    pairs: [].map.call(document.querySelectorAll(".endblock .role, .endblock .entry"), function (p) {
      return lines(p).map(function (l) { return l.trim(); }).filter(function (l) { return l; });
    }),
    heading: [].map.call(document.querySelectorAll(".section-title"), function (h) {
      var m = document.querySelector("main").getBoundingClientRect();
      var r = document.createRange(); r.selectNodeContents(h);
      return [getComputedStyle(h).textAlign, r.getBoundingClientRect().left - m.left];
    })
  };
  parent.postMessage(JSON.stringify(r), "*");
})();
</script>"#;

#[test]
fn in_chromium_at_phone_width_titles_break_between_words_and_pairs_hold() {
    if !external_tests_enabled("Chromium") {
        return;
    }
    let (out, html) = build_example_html();
    let page = out.join(HTML_39);
    assert!(html.contains("class=\"section-title\""));
    let v = crate::html_browser::probe_json(&page, 375, &out, LINES_SCRIPT);
    let titles = v["titles"].as_array().unwrap();
    assert_eq!(titles.len(), 5, "{v}");
    let mut wrapped = 0;
    for t in titles {
        let lines: Vec<&str> = t
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let title: String = lines.concat();
        let breaks = bulletin::wordbreak::title_breaks(&title);
        let mut at = 0;
        for l in &lines[..lines.len() - 1] {
            at += l.chars().count();
            assert!(
                breaks.contains(&at),
                "{title} broken inside a word: {lines:?}"
            );
            wrapped += 1;
        }
    }
    assert!(wrapped >= 3, "titles hardly wrap at 375 px: {v}");
    for p in v["pairs"].as_array().unwrap() {
        assert_eq!(p.as_array().unwrap().len(), 1, "pair or entry split: {p}");
    }
    for h in v["heading"].as_array().unwrap() {
        assert_eq!(h[0], "left", "{h}");
        assert!(h[1].as_f64().unwrap().abs() < 1.0, "{h}");
    }
}
