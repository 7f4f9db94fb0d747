//! Tables and lead lines in submissions: a Markdown pipe table prints as a
//! ruled table in the PDF (header repeated on every page it runs onto,
//! rows never split) and as a <table> in the HTML, never as raw pipes;
//! checks see the cells' text at its place in the file; a lead line such
//! as 一、主要做法 on its own becomes a heading in its conventional face.
//! A Word table goes through intake into the same table.

use crate::util::*;
use bulletin::fonts::FontSet;
use bulletin::model;
use bulletin::typeset::{self, Document, Element, LineKind, TypesetOptions};
use bulletin::workspace::Workspace;

const FILE: &str = "新县.md";

/// A table of `n` body rows: 序号, 机构名称, 隐患数, 整改情况.
fn long_table(n: usize) -> String {
    let mut t =
        String::from("| 序号 | 机构名称 | 隐患数 | 整改情况 |\n| :---: | --- | ---: | --- |\n");
    for i in 1..=n {
        t.push_str(&format!(
            "| {i} | 新县第{i}养老服务中心 | {} | 已完成整改并建立台账 |\n",
            i * 3
        ));
    }
    t
}

const LEADS: &str = "一、主要做法\n\n（一）强化组织领导\n\n县局成立工作专班，统筹推进安全检查。\n\n1.健全机制\n\n一、坚持问题导向，全面排查隐患。县局对全县养老机构开展拉网式排查。\n\n一是摸清底数，逐一登记造册。";

const SMALL_TABLE: &str = "检查情况如下：\n\n| 项目 | 数量 |\n| --- | ---: |\n| 养老机构 | 12 |\n| 救助管理站 | 3 |\n\n下一步，县局将持续跟踪整改。";

fn item_ws(body: &str) -> TempDir {
    let ws = workspace();
    ws.write(
        &format!("issues/39/{FILE}"),
        submission(
            "新县开展养老机构安全检查",
            "新县民政局",
            "2025-12-05",
            "工作动态",
            body,
        ),
    );
    ws
}

/// Build issue 39 (PDF and HTML); the output folder.
fn build_both(ws: &TempDir) -> TempDir {
    build_into(ws.path(), &["39"]).0
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `parts` occur in `text` in this order.
fn in_order(text: &str, parts: &[&str]) {
    let mut at = 0;
    for p in parts {
        match text[at..].find(p) {
            Some(i) => at += i + p.len(),
            None => panic!("`{p}` not found after byte {at} in:\n{text}"),
        }
    }
}

/// The typeset document of issue 39 and the names of its faces.
fn typeset_39(root: &std::path::Path) -> (Document, FontSet, f32) {
    let ws = Workspace::open(root).expect("workspace");
    let (issue, _) = model::load_issue(&ws, Some(39)).expect("issue");
    let cfg = ws.config.layout.clone();
    let mut fonts = FontSet::from_config(&ws.config, &ws.root).expect("fonts");
    let doc =
        typeset::typeset(&issue, &mut fonts, &cfg, TypesetOptions::default()).expect("typeset");
    (doc, fonts, cfg.line_pitch())
}

/// The face name of the first text run holding `text`.
fn face_of(doc: &Document, fonts: &FontSet, text: &str) -> String {
    for p in &doc.pages {
        for e in &p.elements {
            if let Element::Text(r) = e
                && r.text.contains(text)
            {
                return fonts.face(r.font).name.clone();
            }
        }
    }
    panic!("no text run holds {text}");
}

#[test]
fn a_markdown_table_prints_as_a_table_in_pdf_and_html() {
    let ws = item_ws(SMALL_TABLE);
    let out = build_both(&ws);
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("extract text");
    assert!(!text.contains('|'), "raw pipes in the PDF:\n{text}");
    in_order(
        &squash(&text),
        &[
            "检查情况如下：",
            "项目",
            "数量",
            "养老机构",
            "12",
            "救助管理站",
            "3",
            "下一步，县局将持续跟踪整改。",
        ],
    );

    let html = read_html_39(out.path());
    in_order(
        &html,
        &[
            "<table>",
            "<thead><tr><th scope=\"col\">项目</th><th scope=\"col\" class=\"r\">数量</th></tr></thead>",
            "<tbody>",
            "<tr><td>养老机构</td><td class=\"r\">12</td></tr>",
            "<tr><td>救助管理站</td><td class=\"r\">3</td></tr>",
            "</tbody></table></div>",
        ],
    );
    assert!(!visible_text(&html).contains('|'), "{html}");
    // Scrolls sideways inside its own box on a phone, never the page.
    let css = std::fs::read_to_string(repo_root().join("templates/style.css")).unwrap();
    assert!(css.contains("div.table { max-width: 100%; overflow-x: auto;"));
}

#[test]
fn a_table_is_ruled_fitted_to_the_text_block_and_on_the_grid() {
    let ws = item_ws(SMALL_TABLE);
    let (doc, _, pitch) = typeset_39(ws.path());
    let tb = doc.text_block;
    let frames: Vec<_> = doc
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .filter_map(|e| match e {
            Element::Frame { rect, width, .. } if (*width - 0.5).abs() < 1e-3 => Some(*rect),
            _ => None,
        })
        .collect();
    // Three rows of two cells, each ruled.
    assert_eq!(frames.len(), 6, "{frames:?}");
    let left = frames.iter().map(|r| r.x).fold(f32::MAX, f32::min);
    let right = frames.iter().map(|r| r.right()).fold(0.0, f32::max);
    assert!((left - tb.x).abs() < 0.05 && (right - tb.right()).abs() < 0.05);
    for r in &frames {
        let lines = r.h / pitch;
        assert!((lines - lines.round()).abs() < 1e-3, "{r:?}");
    }
    // The paragraph after the table is back on the body grid.
    let body: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Body)
        .collect();
    let grid = |b: f32| {
        let k = (b - tb.y) / pitch;
        k - k.floor()
    };
    let before = body.iter().find(|l| l.text.contains("检查情况")).unwrap();
    let after = body.iter().find(|l| l.text.contains("下一步")).unwrap();
    assert!(
        (grid(before.baseline) - grid(after.baseline)).abs() < 1e-3,
        "{before:?} {after:?}"
    );
    let cells: Vec<&str> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::TableCell)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(cells, ["项目", "数量", "养老机构", "12", "救助管理站", "3"]);
}

#[test]
fn a_long_table_repeats_its_header_and_never_splits_a_row() {
    let ws = item_ws(&format!("检查情况如下：\n\n{}", long_table(60)));
    let (doc, fonts, _) = typeset_39(ws.path());
    let cells: Vec<_> = doc
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::TableCell)
        .collect();
    let pages: std::collections::BTreeSet<usize> = cells.iter().map(|l| l.page).collect();
    assert!(pages.len() >= 3, "60 rows fit on {pages:?}");
    for p in &pages {
        let first = cells.iter().find(|l| l.page == *p).unwrap();
        assert_eq!(first.text, "序号", "page {p} does not open with the header");
    }
    // Each row's cells (its number, name, count and note) on one page.
    for i in 1..=60 {
        let name = format!("第{i}养老");
        let row: Vec<_> = cells
            .iter()
            .enumerate()
            .filter(|(_, l)| l.text.contains(&name))
            .collect();
        assert!(!row.is_empty(), "row {i} missing");
        let (k, l) = row[0];
        assert_eq!(cells[k - 1].text, i.to_string());
        assert_eq!(cells[k - 1].page, l.page, "row {i} split");
        assert!(
            cells[k..]
                .iter()
                .take_while(|m| m.text != (i + 1).to_string() && m.text != "序号")
                .all(|m| m.page == l.page),
            "row {i} split"
        );
    }
    // The header in Hei, the cells in the body face.
    assert!(face_of(&doc, &fonts, "整改情况").contains("Hei"));
    assert!(face_of(&doc, &fonts, "已完成整改").contains("Fang"));
}

#[test]
fn the_header_is_on_every_page_pdftotext_reads() {
    if !external_tests_enabled("poppler-utils（pdftotext）") {
        return;
    }
    let ws = item_ws(&format!("检查情况如下：\n\n{}", long_table(60)));
    let out = build_both(&ws);
    let pdf = out.join(PDF_39);
    let page = |n: usize| {
        let o = std::process::Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        assert!(o.status.success());
        squash(&String::from_utf8_lossy(&o.stdout))
    };
    let (p2, p3) = (page(2), page(3));
    for p in [&p2, &p3] {
        assert!(p.contains("机构名称") && p.contains("整改情况"), "{p}");
        assert!(!p.contains('|'), "{p}");
    }
    // Row by row, cell by cell.
    in_order(
        &page(1),
        &[
            "序号",
            "机构名称",
            "隐患数",
            "整改情况",
            "1",
            "新县第1养老服务中心",
            "3",
        ],
    );
}

#[test]
fn checks_read_table_cells_at_their_place_in_the_file() {
    let ws =
        item_ws("检查情况如下：\n\n| 项目 | 情况 |\n| --- | --- |\n| 养老机构 | 已检查,已整改 |");
    let text = std::fs::read_to_string(ws.join(format!("issues/39/{FILE}"))).unwrap();
    let (line, col) = line_col(&text, ",已整改");
    let found = check_lib(ws.path(), 39);
    let p = find(&found, "P001");
    assert_eq!(
        (p.path.as_str(), p.line, p.column),
        (format!("issues/39/{FILE}").as_str(), line, col),
        "{p:?}"
    );
}

#[test]
fn lead_lines_become_headings_in_their_faces() {
    let ws = item_ws(LEADS);
    let out = build_both(&ws);
    let html = read_html_39(out.path());
    in_order(
        &html,
        &[
            "<h3 class=\"sub1\">一、主要做法</h3>",
            "<h4 class=\"sub2\">（一）强化组织领导</h4>",
            "<p>县局成立工作专班",
            "<h5 class=\"sub3\">1.健全机制</h5>",
            "<p>一、坚持问题导向，全面排查隐患。",
            "<p>一是摸清底数",
        ],
    );
    let (doc, fonts, _) = typeset_39(ws.path());
    let kind = |t: &str| doc.lines.iter().find(|l| l.text.contains(t)).unwrap().kind;
    assert_eq!(kind("主要做法"), LineKind::Heading);
    assert_eq!(kind("强化组织领导"), LineKind::Heading);
    assert_eq!(kind("健全机制"), LineKind::Heading);
    assert_eq!(kind("坚持问题导向"), LineKind::Body);
    assert_eq!(kind("摸清底数"), LineKind::Body);
    assert!(face_of(&doc, &fonts, "主要做法").contains("Hei"));
    assert!(face_of(&doc, &fonts, "强化组织领导").contains("Kai"));
}

#[test]
fn a_word_table_goes_through_intake_into_a_real_table() {
    let ws = workspace();
    let name = "南召县民政局_2025-12-05_冬季救助.docx";
    let bytes = std::fs::read(repo_root().join("tests/fixtures/docx").join(name)).unwrap();
    let p = ws.write(&format!("inbox/{name}"), bytes);
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(120))
        .unwrap();
    drop(f);
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let md = files_below(&ws.join("issues/39"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("an item");
    let md = std::fs::read_to_string(ws.join("issues/39").join(md)).unwrap();
    assert!(md.contains("| --- |"), "no pipe table from Word:\n{md}");
    let out = build_both(&ws);
    let html = read_html_39(out.path());
    // The Word cell's own “300|床” keeps its bar, inside its cell; no
    // other bar is printed.
    in_order(
        &html,
        &[
            "<table>",
            "<thead><tr><th scope=\"col\">项目</th><th scope=\"col\">数量</th></tr></thead>",
            "<tr><td>发放棉被</td><td>300|床</td></tr>",
        ],
    );
    assert_eq!(visible_text(&html).matches('|').count(), 1, "{html}");
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert_eq!(text.matches('|').count(), 1, "{text}");
    in_order(
        &squash(&text),
        &["项目", "数量", "走访户数", "1200", "发放棉被", "300|床"],
    );
    let (doc, _, _) = typeset_39(ws.path());
    assert!(doc.lines.iter().any(|l| l.kind == LineKind::TableCell));
}
