//! The tagged PDF: structure (headings, paragraphs, figures with their
//! alternative text) in reading order, the document's language and title,
//! PDF/A-2a with PDF/UA-1 checked at export, and nested bookmarks. The PDF
//! is read back with the Rust PDF reader the other PDF tests use; poppler's
//! view of the structure runs only when BULLETIN_EXTERNAL_TESTS=1.

use std::path::Path;

use crate::util::*;
use pdf_extract::{Dictionary, Document, Object};

fn build_pdf(root: &Path) -> (TempDir, Vec<u8>) {
    let (out, _) = build_into(root, &["39"]);
    let bytes = std::fs::read(out.join(PDF_39)).expect("pdf written");
    (out, bytes)
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    pdf_deref(doc, o).as_dict().expect("a dictionary")
}

fn catalog(doc: &Document) -> &Dictionary {
    dict(doc, doc.trailer.get(b"Root").unwrap())
}

/// One structure element: its type, depth, and its title (/T) or
/// alternative text (/Alt).
#[derive(Debug, Clone, PartialEq)]
struct Elem {
    role: String,
    depth: usize,
    title: Option<String>,
    alt: Option<String>,
}

/// The structure tree, depth first (reading order).
fn structure(doc: &Document) -> Vec<Elem> {
    fn walk(doc: &Document, o: &Object, depth: usize, out: &mut Vec<Elem>) {
        match pdf_deref(doc, o) {
            Object::Array(kids) => kids.iter().for_each(|k| walk(doc, k, depth, out)),
            Object::Dictionary(d) => {
                // Marked-content and object references are leaves.
                if d.get(b"S").is_err() {
                    return;
                }
                let role = String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap());
                out.push(Elem {
                    role: role.into_owned(),
                    depth,
                    title: d.get(b"T").ok().map(pdf_text_string),
                    alt: d.get(b"Alt").ok().map(pdf_text_string),
                });
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    let root = dict(
        doc,
        catalog(doc).get(b"StructTreeRoot").expect("StructTreeRoot"),
    );
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), 0, &mut out);
    // Everything sits in one Document element.
    assert_eq!(out.iter().filter(|e| e.depth == 0).count(), 1, "{out:#?}");
    assert_eq!(out[0].role, "Document");
    out.remove(0);
    out
}

/// One bookmark and the bookmarks it holds.
#[derive(Debug, PartialEq)]
struct Mark {
    title: String,
    children: Vec<Mark>,
}

fn outline(doc: &Document) -> Vec<Mark> {
    fn level(doc: &Document, first: Option<&Object>) -> Vec<Mark> {
        let mut out = Vec::new();
        let mut at = first;
        while let Some(o) = at {
            let d = dict(doc, o);
            out.push(Mark {
                title: pdf_text_string(d.get(b"Title").unwrap()),
                children: level(doc, d.get(b"First").ok()),
            });
            at = d.get(b"Next").ok();
        }
        out
    }
    let root = dict(doc, catalog(doc).get(b"Outlines").expect("Outlines"));
    level(doc, root.get(b"First").ok())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_example_issue_is_tagged_in_chinese_with_its_title_shown() {
    let (_out, pdf) = build_pdf(&repo_root());
    let doc = Document::load_mem(&pdf).unwrap();
    let cat = catalog(&doc);
    let mark = dict(&doc, cat.get(b"MarkInfo").expect("MarkInfo"));
    assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
    assert!(cat.has(b"StructTreeRoot"));
    assert_eq!(pdf_text_string(cat.get(b"Lang").unwrap()), "zh-CN");
    let prefs = dict(
        &doc,
        cat.get(b"ViewerPreferences").expect("ViewerPreferences"),
    );
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    assert_eq!(
        pdf_text_string(info.get(b"Title").unwrap()),
        "南阳民政工作动态 第39期"
    );
    // The export was checked as PDF/A-2a and PDF/UA-1: both claims are in
    // the XMP metadata, and krilla writes them only after its validators
    // passed (a violation fails the build instead).
    assert!(contains(&pdf, b"pdfuaid:part>1<") || contains(&pdf, b"pdfuaid:part=\"1\""));
    assert!(
        contains(&pdf, b"pdfaid:conformance>A<") || contains(&pdf, b"pdfaid:conformance=\"A\"")
    );
}

#[test]
fn headings_and_paragraphs_follow_the_reading_order() {
    let (_out, pdf) = build_pdf(&repo_root());
    let doc = Document::load_mem(&pdf).unwrap();
    let s = structure(&doc);
    // The masthead's name is the only H1, first.
    let h1: Vec<_> = s.iter().filter(|e| e.role == "H1").collect();
    assert_eq!(h1.len(), 1, "{s:#?}");
    assert_eq!(h1[0].title.as_deref(), Some("南阳民政工作动态"));
    assert_eq!(s[0].role, "H1", "{s:#?}");
    // Every article title is a heading with its text as /T, in the
    // issue's order; the example's first section prints no heading, so
    // its titles are H2, as is the 简讯 heading.
    let headings: Vec<String> = s
        .iter()
        .filter(|e| e.role == "H2")
        .map(|e| e.title.clone().unwrap())
        .collect();
    let mut want = example_titles();
    want.truncate(5);
    want.push("简讯".to_string());
    assert_eq!(headings, want);
    // Each article is an Art inside a Sect; paragraphs are P.
    assert_eq!(s.iter().filter(|e| e.role == "Sect").count(), 2);
    assert_eq!(s.iter().filter(|e| e.role == "Art").count(), 8);
    assert!(s.iter().filter(|e| e.role == "P").count() > 20);
    // Headings never skip a level in reading order.
    let mut last = 0;
    for e in &s {
        if let Some(n) = e
            .role
            .strip_prefix('H')
            .and_then(|n| n.parse::<usize>().ok())
        {
            assert!(n <= last + 1, "{} after H{last}: {s:#?}", e.role);
            last = n;
        }
    }
    // Nothing but these roles: page numbers, the draft mark and rules are
    // artifacts, outside the tree.
    for e in &s {
        assert!(
            [
                "H1", "H2", "H3", "P", "Sect", "Art", "Figure", "Caption", "Link"
            ]
            .contains(&e.role.as_str()),
            "{e:?}"
        );
    }
}

/// Write the rich workspace's first article (观摩会召开) with `body`.
fn write_first_article(t: &TempDir, body: &str) {
    t.write(
        "issues/39/a.md",
        submission("观摩会召开", "市局办公室", "2025-11-25", "工作动态", body),
    );
}

/// A workspace whose 工作动态 section prints its heading, with one article
/// holding an image with a caption, one without, and two briefs.
fn rich_workspace() -> TempDir {
    let t = TempDir::new("tagged-ws");
    t.write("bulletin.toml", CONFIG.replace("heading = \"\"\n", ""));
    t.write("issues/39/issue.toml", "number = 39\ndate = 2025-12-08\n");
    t.write("issues/39/现场.png", crate::pdf::PNG);
    t.write("issues/39/合影.png", crate::pdf::PNG);
    write_first_article(
        &t,
        "开头一段，详见[民政部网站](https://www.mca.gov.cn)。\n\n## 一、总体情况\n\n![观摩现场](现场.png)\n\n第二段。",
    );
    t.write(
        "issues/39/b.md",
        submission(
            "巡访行动开展",
            "南召县民政局",
            "2025-11-26",
            "工作动态",
            "正文一段。\n\n![](合影.png)\n\n最后一段。",
        ),
    );
    t.write(
        "issues/39/c.md",
        submission("简讯甲", "市救助站", "2025-11-27", "简讯", "第一条简讯。"),
    );
    t.write(
        "issues/39/d.md",
        submission(
            "简讯乙",
            "桐柏县民政局",
            "2025-11-28",
            "简讯",
            "第二条简讯。",
        ),
    );
    t
}

#[test]
fn images_are_figures_with_their_caption_as_alternative_text() {
    let t = rich_workspace();
    let (_out, pdf) = build_pdf(t.path());
    let doc = Document::load_mem(&pdf).unwrap();
    let s = structure(&doc);
    let figures: Vec<_> = s.iter().filter(|e| e.role == "Figure").collect();
    assert_eq!(figures.len(), 2, "{s:#?}");
    assert_eq!(figures[0].alt.as_deref(), Some("观摩现场"));
    // Without a caption the file's name stands in.
    assert_eq!(figures[1].alt.as_deref(), Some("图片：合影"));
    // The caption follows its figure.
    let at = s.iter().position(|e| e.role == "Figure").unwrap();
    assert_eq!(s[at + 1].role, "Caption", "{s:#?}");
    // The link is a Link element inside its paragraph.
    let link = s.iter().position(|e| e.role == "Link").expect("a Link");
    let para = s[..link].iter().rposition(|e| e.role == "P").unwrap();
    assert_eq!(s[link].depth, s[para].depth + 1, "{s:#?}");
    // Under the section's H2, titles are H3 and their inner headings H4.
    let roles: Vec<(&str, Option<&str>)> = s
        .iter()
        .filter(|e| e.role.starts_with('H'))
        .map(|e| (e.role.as_str(), e.title.as_deref()))
        .collect();
    assert_eq!(
        roles,
        [
            ("H1", Some("南阳民政工作动态")),
            ("H2", Some("工作动态")),
            ("H3", Some("观摩会召开")),
            ("H4", Some("一、总体情况")),
            ("H3", Some("巡访行动开展")),
            ("H2", Some("简讯")),
        ]
    );
}

#[test]
fn an_image_without_a_caption_is_a_warning_at_the_image() {
    let t = rich_workspace();
    let found = check_lib(t.path(), 39);
    let w = find(&found, "W083");
    assert!(!w.error);
    assert_eq!(w.path, "issues/39/b.md");
    let text = std::fs::read_to_string(t.join("issues/39/b.md")).unwrap();
    assert_eq!((w.line, w.column), line_col(&text, "合影.png"));
    assert!(
        w.message.contains("合影.png") && w.message.contains("说明"),
        "{}",
        w.message
    );
    // The captioned image is not reported.
    assert_eq!(found.iter().filter(|f| f.code == "W083").count(), 1);
}

#[test]
fn bookmarks_nest_titles_under_their_section_heading() {
    let t = rich_workspace();
    let (_out, pdf) = build_pdf(t.path());
    let doc = Document::load_mem(&pdf).unwrap();
    let leaf = |s: &str| Mark {
        title: s.to_string(),
        children: Vec::new(),
    };
    assert_eq!(
        outline(&doc),
        [
            Mark {
                title: "工作动态".to_string(),
                children: vec![leaf("观摩会召开"), leaf("巡访行动开展")],
            },
            // Briefs print no titles: the section's heading stands alone.
            leaf("简讯"),
        ]
    );
}

#[test]
fn titles_of_a_section_without_heading_stay_at_the_top_level() {
    let (_out, pdf) = build_pdf(&repo_root());
    let doc = Document::load_mem(&pdf).unwrap();
    let marks = outline(&doc);
    let titles: Vec<&str> = marks.iter().map(|m| m.title.as_str()).collect();
    let mut want = example_titles();
    want.truncate(5);
    want.push("简讯".to_string());
    assert_eq!(titles, want);
    assert!(marks.iter().all(|m| m.children.is_empty()));
}

#[test]
fn a_plain_pdf_is_tagged_too() {
    let t = rich_workspace();
    let config = std::fs::read_to_string(t.join("bulletin.toml")).unwrap();
    t.write(
        "bulletin.toml",
        format!("{config}\n[pdf]\nstandard = \"plain\"\n"),
    );
    let (_out, pdf) = build_pdf(t.path());
    let doc = Document::load_mem(&pdf).unwrap();
    assert!(catalog(&doc).has(b"StructTreeRoot"));
    assert!(!contains(&pdf, b"pdfuaid"));
    let s = structure(&doc);
    assert_eq!(s.iter().filter(|e| e.role == "Figure").count(), 2);
}

#[test]
fn poppler_reads_the_structure() {
    if !external_tests_enabled("poppler-utils（pdfinfo）") {
        return;
    }
    let (out, _pdf) = build_pdf(&repo_root());
    let path = out.join(PDF_39);
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let st = std::process::Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(&path)
        .output()
        .expect("pdfinfo runs");
    let st = String::from_utf8_lossy(&st.stdout);
    // The first title's text under an H2, before its first paragraph.
    let first = &example_titles()[0];
    let h2 = st.find("H2 ").expect("an H2");
    let title = st
        .find(&format!("\"{first}\""))
        .expect("the first title's text");
    let p = st.find("P (block)").expect("a paragraph");
    assert!(h2 < title, "{st}");
    assert!(st[..title].contains("H1 "), "{st}");
    assert!(
        p < h2,
        "the masthead's number line is a P before the titles: {st}"
    );
}

/// The rich workspace with a table of three columns in its first article
/// (one body cell empty), and `extra` body rows after its two.
fn table_workspace(extra: usize) -> TempDir {
    let t = rich_workspace();
    let mut table = String::from(
        "| 项目 | 数量 | 备注 |\n| --- | ---: | --- |\n| 养老机构 | 12 |  |\n| 救助管理站 | 3 | 已整改 |\n",
    );
    for i in 1..=extra {
        table.push_str(&format!("| 第{i}服务中心 | {i} | 已建台账 |\n"));
    }
    write_first_article(&t, &format!("检查情况如下：\n\n{table}\n下一步持续跟踪。"));
    t
}

/// The roles of the table's elements, row by row: ["TH TH TH", "TD TD TD", ...].
fn table_rows(s: &[Elem]) -> Vec<String> {
    let at = s.iter().position(|e| e.role == "Table").expect("a Table");
    let depth = s[at].depth;
    let mut rows: Vec<Vec<&str>> = Vec::new();
    for e in s[at + 1..].iter().take_while(|e| e.depth > depth) {
        if e.depth == depth + 1 {
            assert_eq!(e.role, "TR", "only rows in a Table: {s:#?}");
            rows.push(Vec::new());
        } else if e.depth == depth + 2 {
            rows.last_mut().unwrap().push(&e.role);
        }
    }
    rows.iter().map(|r| r.join(" ")).collect()
}

#[test]
fn a_table_is_a_table_of_rows_with_header_cells() {
    let t = table_workspace(0);
    let (_out, pdf) = build_pdf(t.path());
    let doc = Document::load_mem(&pdf).unwrap();
    let s = structure(&doc);
    assert_eq!(s.iter().filter(|e| e.role == "Table").count(), 1);
    // The empty 备注 cell is an empty TD: every row has three cells.
    assert_eq!(
        table_rows(&s),
        ["TH TH TH", "TD TD TD", "TD TD TD"],
        "{s:#?}"
    );
    // The table sits in its article, between the paragraphs around it.
    let at = s.iter().position(|e| e.role == "Table").unwrap();
    let art = s[..at].iter().rposition(|e| e.role == "Art").unwrap();
    assert_eq!(s[at].depth, s[art].depth + 1, "{s:#?}");
    assert_eq!(s[at - 1].role, "P", "{s:#?}");
    // Header cells apply to their column.
    let th = pdf_scopes(&doc);
    assert_eq!(th, ["Column"; 3]);
    // The cells are printed row by row, in reading order.
    let text: String = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut from = 0;
    for part in [
        "检查情况如下",
        "项目",
        "数量",
        "备注",
        "养老机构",
        "12",
        "救助管理站",
        "3",
        "已整改",
        "下一步持续跟踪",
    ] {
        let i = text[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part} after {from}: {text}"));
        from += i + part.len();
    }
}

/// The /Scope of every TH element's attributes, in file order.
fn pdf_scopes(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for o in doc.objects.values() {
        let Ok(d) = o.as_dict() else { continue };
        if d.get(b"S").ok().and_then(|s| s.as_name().ok()) != Some(b"TH".as_slice()) {
            continue;
        }
        let a = d.get(b"A").expect("TH attributes");
        let attrs: Vec<&Object> = match pdf_deref(doc, a) {
            Object::Array(v) => v.iter().collect(),
            other => vec![other],
        };
        for a in attrs {
            if let Ok(scope) = dict(doc, a).get(b"Scope") {
                out.push(String::from_utf8_lossy(scope.as_name().unwrap()).into_owned());
            }
        }
    }
    out
}

#[test]
fn a_table_over_two_pages_keeps_one_header_row_in_the_structure() {
    let t = table_workspace(60);
    let (_out, pdf) = build_pdf(t.path());
    let doc = Document::load_mem(&pdf).unwrap();
    let s = structure(&doc);
    let rows = table_rows(&s);
    // The header printed again on the next page is pagination: one TH row,
    // then every body row once.
    assert_eq!(rows.len(), 63, "{rows:?}");
    assert_eq!(rows[0], "TH TH TH");
    assert!(rows[1..].iter().all(|r| r == "TD TD TD"), "{rows:?}");
    assert_eq!(pdf_scopes(&doc).len(), 3);
}

#[test]
fn poppler_reads_table_cells_in_order() {
    if !external_tests_enabled("poppler-utils（pdfinfo）") {
        return;
    }
    let t = table_workspace(0);
    let (out, _pdf) = build_pdf(t.path());
    let st = std::process::Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(out.join(PDF_39))
        .output()
        .expect("pdfinfo runs");
    let st = String::from_utf8_lossy(&st.stdout);
    // Each cell's text right under its TH or TD, row after row.
    let cells: Vec<(String, String)> = {
        let lines: Vec<&str> = st.lines().map(str::trim).collect();
        let mut v = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let role = l.split([' ', ':']).next().unwrap_or("");
            if role == "TH" || role == "TD" {
                // Attribute lines (/Scope) come before the text.
                let text = lines[i + 1..]
                    .iter()
                    .find(|n| !n.starts_with('/'))
                    .filter(|n| n.starts_with('"'))
                    .map(|n| n.trim_matches('"').to_string())
                    .unwrap_or_default();
                v.push((role.to_string(), text));
            }
        }
        v
    };
    let want = [
        ("TH", "项目"),
        ("TH", "数量"),
        ("TH", "备注"),
        ("TD", "养老机构"),
        ("TD", "12"),
        ("TD", ""),
        ("TD", "救助管理站"),
        ("TD", "3"),
        ("TD", "已整改"),
    ];
    let got: Vec<(&str, &str)> = cells
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    assert_eq!(got, want, "{st}");
}
