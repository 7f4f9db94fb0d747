//! The PDF as users get it, from the real binary: text read back with a
//! Rust PDF reader, fonts embedded and subset with ToUnicode, missing
//! glyphs, determinism, PDF/A, configuration errors. Checks with poppler
//! run only when BULLETIN_EXTERNAL_TESTS=1.

use std::path::{Path, PathBuf};

use crate::util::*;
use bulletin::model::{self, Block, Issue, plain_text};
use bulletin::workspace::Workspace;
use pdf_extract::Document;

fn build(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(root, &args)
}

fn build_39(extra: &[&str]) -> (TempDir, Vec<u8>) {
    let (out, _) = build_into(&repo_root(), &[&["39"], extra].concat());
    let bytes = std::fs::read(out.join(PDF_39)).expect("pdf written");
    (out, bytes)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn blocks_text(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph(i) | Block::Heading { content: i, .. } => out.push(plain_text(i)),
            Block::List { items, .. } => items.iter().for_each(|it| blocks_text(it, out)),
            Block::Quote(inner) => blocks_text(inner, out),
            Block::Image(img) => out.push(img.caption.clone()),
            Block::Code(t) => out.push(t.clone()),
            Block::Table(t) => {
                blocks_text(&t.header, out);
                t.rows.iter().for_each(|r| blocks_text(r, out));
            }
        }
    }
}

/// What the PDF must say, in order, from the issue model alone.
fn expected_text(issue: &Issue) -> String {
    let mut parts = Vec::new();
    if issue.footer.draft {
        parts.push("送审稿".to_string());
    }
    parts.extend([
        issue.title.clone(),
        issue.number_label(),
        issue.publisher.clone(),
        issue.date_label(),
    ]);
    for s in &issue.sections {
        if s.items.is_empty() {
            continue;
        }
        parts.extend(s.heading.clone());
        for item in &s.items {
            if s.style == model::SectionStyle::Article {
                parts.extend(item.title.clone());
                if item.excerpt {
                    parts.push("（节选）".into());
                }
            }
            let mut texts = Vec::new();
            blocks_text(&item.blocks, &mut texts);
            parts.extend(texts);
            parts.push(item.attribution());
        }
    }
    for l in &issue.footer.lines {
        parts.push(format!("{}：{}", l.label, l.text));
    }
    if let Some(e) = &issue.footer.editor {
        parts.push(format!("编辑：{e}"));
    }
    for s in &issue.footer.signoffs {
        parts.push(format!(
            "{}：{}",
            s.role,
            s.name.clone().unwrap_or_default()
        ));
    }
    squash(&parts.concat())
}

/// A draft's review code follows its 送审稿 mark: `审核码XXXX-XXXX`, checked
/// for its form and taken out, so the rest compares with the model's text.
fn strip_review_code(s: &mut String) {
    if let Some(at) = s.find("送审稿审核码") {
        let start = at + "送审稿".len();
        let code: String = s[start + "审核码".len()..].chars().take(9).collect();
        assert!(
            code.len() == 9
                && code.chars().enumerate().all(|(i, c)| if i == 4 {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit() && !c.is_ascii_lowercase()
                }),
            "review code {code:?}"
        );
        s.replace_range(start..start + "审核码".len() + 9, "");
    }
}

/// The PDF's text with whitespace and the page numbers (— N —) removed.
fn extracted_text(pdf: &[u8]) -> (String, usize) {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("extract text");
    let pages = Document::load_mem(pdf).unwrap().get_pages().len();
    let mut s = squash(&text);
    for n in 1..=pages {
        let mark = format!("—{n}—");
        let at = s
            .find(&mark)
            .unwrap_or_else(|| panic!("page number {n} missing"));
        s.replace_range(at..at + mark.len(), "");
    }
    strip_review_code(&mut s);
    (s, pages)
}

fn issue_39() -> Issue {
    let ws = Workspace::open(&repo_root()).unwrap();
    model::load_issue(&ws, Some(39)).unwrap().0
}

#[test]
fn example_issue_text_reads_back_in_order() {
    let (_out, pdf) = build_39(&[]);
    let (text, pages) = extracted_text(&pdf);
    assert!((3..=8).contains(&pages), "{pages} pages");
    // A build without `--final` is a draft and carries the 送审稿 mark.
    let mut issue = issue_39();
    issue.footer.draft = true;
    let expected = expected_text(&issue);
    if text != expected {
        let common = text
            .chars()
            .zip(expected.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let from = |s: &str| {
            s.chars()
                .skip(common.saturating_sub(10))
                .take(40)
                .collect::<String>()
        };
        panic!(
            "text differs after {common} characters:\n  pdf:      {}\n  expected: {}",
            from(&text),
            from(&expected)
        );
    }
}

fn font_dicts(doc: &Document) -> Vec<pdf_extract::Dictionary> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font"))
        .cloned()
        .collect()
}

#[test]
fn fonts_are_embedded_subset_with_tounicode() {
    let (_out, pdf) = build_39(&[]);
    let doc = Document::load_mem(&pdf).unwrap();
    let fonts = font_dicts(&doc);
    let top: Vec<_> = fonts
        .iter()
        .filter(|d| d.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Type0"))
        .collect();
    // Title (Song Bold), body (Fang), bold (Hei), page numbers (Song),
    // excerpt (Kai).
    assert_eq!(top.len(), 5, "{top:?}");
    let mut names = Vec::new();
    for f in top {
        let base =
            String::from_utf8_lossy(f.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        let (tag, rest) = base.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{base}"
        );
        names.push(rest.to_string());
        assert!(f.has(b"ToUnicode"), "{base} has no ToUnicode");
        let desc = f.get(b"DescendantFonts").unwrap();
        let arr = pdf_deref(&doc, desc).as_array().unwrap();
        let cid = pdf_deref(&doc, &arr[0]).as_dict().unwrap();
        let fd = pdf_deref(&doc, cid.get(b"FontDescriptor").unwrap())
            .as_dict()
            .unwrap();
        assert!(
            fd.has(b"FontFile3") || fd.has(b"FontFile2") || fd.has(b"FontFile"),
            "{base} not embedded"
        );
        // Subset: the embedded program is far smaller than the font file.
        let ff = fd
            .get(b"FontFile3")
            .or_else(|_| fd.get(b"FontFile2"))
            .unwrap();
        let stream = pdf_deref(&doc, ff).as_stream().unwrap();
        assert!(
            stream.content.len() < 400_000,
            "{base}: {} bytes",
            stream.content.len()
        );
    }
    names.sort();
    assert!(
        names.iter().any(|n| n.starts_with("FandolFang")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("FandolSong-Bold")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("FandolHei")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("FandolKai")),
        "{names:?}"
    );
    assert!(pdf.len() < 1_000_000, "{} bytes", pdf.len());
}

#[test]
fn same_input_gives_identical_bytes() {
    let (_a, one) = build_39(&[]);
    let (_b, two) = build_39(&[]);
    assert!(one == two, "two builds of issue 39 differ");
}

fn info_string(doc: &Document, key: &[u8]) -> String {
    let info = doc.trailer.get(b"Info").unwrap();
    let info = pdf_deref(doc, info).as_dict().unwrap();
    pdf_text_string(info.get(key).unwrap())
}

#[test]
fn metadata_and_pdfa_by_default() {
    let (_out, pdf) = build_39(&[]);
    let doc = Document::load_mem(&pdf).unwrap();
    assert_eq!(info_string(&doc, b"Title"), "南阳民政工作动态 第39期");
    assert_eq!(info_string(&doc, b"Author"), "南阳市民政局办公室");
    assert!(info_string(&doc, b"CreationDate").starts_with("D:20251208"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""),
        "no PDF/A-2 XMP"
    );
    assert!(raw.contains("zh-CN"));
    assert!(pdf.starts_with(b"%PDF-1.7"));

    // Opting out of PDF/A.
    let t = workspace();
    let config = format!("{CONFIG}\n[pdf]\nstandard = \"plain\"\n");
    t.write("bulletin.toml", &config);
    t.write(
        "issues/39/a.md",
        submission("标题", "市局办公室", "2025-11-25", "工作动态", "正文。"),
    );
    let out = TempDir::new("plain");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plain = std::fs::read(out.join(PDF_39)).unwrap();
    assert!(!String::from_utf8_lossy(&plain).contains("pdfaid:part"));
}

fn missing_glyph_workspace() -> (TempDir, PathBuf, String) {
    let t = workspace();
    // No installed-font fallback: the result must not depend on the machine.
    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nsystem_fallback = false\n"),
    );
    let text = submission(
        "朱镕基同志题词展",
        "市局办公室",
        "2025-11-25",
        "工作动态",
        "展览开幕。\n\n第二段写到朱镕基同志的题词。",
    );
    let p = t.write("issues/39/a.md", &text);
    (t, p, text)
}

#[test]
fn missing_glyph_fails_with_position_and_passes_with_flag() {
    let (t, _path, text) = missing_glyph_workspace();
    let out = TempDir::new("missing");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("镕") && err.contains("U+9555"), "{err}");
    // Both places: the title in the front matter and the body.
    let (l1, c1) = line_col(&text, "镕");
    let body_at = text.rfind('镕').unwrap();
    let l2 = text[..body_at].matches('\n').count() + 1;
    let c2 = text[..body_at].rsplit('\n').next().unwrap().chars().count() + 1;
    assert!(err.contains(&format!("a.md:{l1}:{c1}")), "{err}");
    assert!(err.contains(&format!("a.md:{l2}:{c2}")), "{err}");
    assert!(err.contains("--allow-missing-glyphs"), "{err}");
    assert!(
        files_below(out.path()).is_empty(),
        "a failed build wrote files"
    );

    let o = build(t.path(), out.path(), &["39", "--allow-missing-glyphs"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("警告") && err.contains(&format!("a.md:{l2}:{c2}")),
        "{err}"
    );
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    // The rest of the text is there; the missing character is not faked.
    assert!(
        squash(&text).contains("第二段写到朱基同志的题词。"),
        "{text}"
    );
}

#[test]
fn layout_and_font_settings_are_checked() {
    let t = workspace();
    t.write(
        "issues/39/a.md",
        submission("标题", "市局办公室", "2025-11-25", "工作动态", "正文。"),
    );
    let out = TempDir::new("cfg");

    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[layout]\nbodysize = 15\n"),
    );
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("bodysize"), "{}", stderr(&o));

    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[layout]\nbody_size = 0\n"),
    );
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("body_size") && stderr(&o).contains("大于 0"),
        "{}",
        stderr(&o)
    );

    let config = format!("{CONFIG}\n[fonts]\nbody = \"没有这个字体\"\n");
    t.write("bulletin.toml", &config);
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    // The message points at the `body` key of [fonts].
    let (line, col) = line_col(&config, "body =");
    assert!(
        stderr(&o).contains(&format!("--> bulletin.toml:{line}:{col}")),
        "{}",
        stderr(&o)
    );

    // A list with a usable entry: a warning, and the build goes on.
    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nbody = [\"没有这个字体\", \"FandolKai\"]\n[layout]\npage_numbers = \"center\"\n"),
    );
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("没有这个字体") && stderr(&o).contains("警告"),
        "{}",
        stderr(&o)
    );
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let doc = Document::load_mem(&pdf).unwrap();
    let kai = font_dicts(&doc).iter().any(|d| {
        d.get(b"BaseFont")
            .and_then(|n| n.as_name())
            .is_ok_and(|n| String::from_utf8_lossy(n).contains("FandolKai"))
    });
    assert!(kai, "body font setting ignored");
}

/// In the workspace `ws`: issue 1, one submission titled `title` (with
/// the placeholder body), and a build of it; each step must succeed.
fn new_issue_with_one_item_builds(ws: &std::path::Path, title: &str) {
    let ok = |o: std::process::Output| assert_eq!(code(&o), 0, "{}", stderr(&o));
    ok(run(
        ws,
        &["issue", "new", "--number", "1", "--date", "2025-12-08"],
    ));
    ok(run(
        ws,
        &[
            "new",
            "--unit",
            "市局办公室",
            "--category",
            "工作动态",
            "--title",
            title,
            "--date",
            "2025-12-01",
        ],
    ));
    ok(run(ws, &["build", "1"]));
}

#[test]
fn workspace_made_anywhere_builds_a_pdf() {
    let t = TempDir::new("anywhere");
    let o = run(t.path(), &["init", "工作区", "--editor", "张三"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ws = t.join("工作区");
    new_issue_with_one_item_builds(&ws, "新建工作区也能出版");
    let pdfs: Vec<_> = files_below(&ws.join("out"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let pdf = std::fs::read(ws.join("out").join(&pdfs[0])).unwrap();
    let text = squash(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains("新建工作区也能出版"), "{text}");
}

#[test]
fn poppler_sees_embedded_subset_unicode_fonts() {
    if !external_tests_enabled("poppler-utils（pdffonts、pdftotext）") {
        return;
    }
    let (out, _) = build_39(&[]);
    let path = out.join(PDF_39);
    let o = std::process::Command::new("pdffonts")
        .arg(&path)
        .output()
        .expect("pdffonts");
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    let rows: Vec<_> = table.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{table}");
    for r in rows {
        let cols: Vec<_> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{r}");
    }
    let o = std::process::Command::new("pdftotext")
        .args([path.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let mut text = squash(&String::from_utf8_lossy(&o.stdout));
    for n in 1..=10 {
        if let Some(at) = text.find(&format!("—{n}—")) {
            text.replace_range(at..at + format!("—{n}—").len(), "");
        }
    }
    strip_review_code(&mut text);
    let mut issue = issue_39();
    issue.footer.draft = true;
    assert_eq!(text, expected_text(&issue));
}

#[test]
fn fallback_font_file_prints_a_character_fandol_lacks() {
    // Needs a CJK font with 镕 at a known path (Debian: fonts-noto-cjk).
    if !external_tests_enabled(
        "fonts-noto-cjk（/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc）",
    ) {
        return;
    }
    let font = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
    assert!(
        Path::new(font).is_file(),
        "{font} missing: apt-get install fonts-noto-cjk"
    );
    let (t, _path, _text) = missing_glyph_workspace();
    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nsystem_fallback = false\nfallback = [\"{font}\"]\n"),
    );
    let out = TempDir::new("fallback");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let text = squash(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(
        text.contains("朱镕基同志题词展") && text.contains("第二段写到朱镕基同志的题词。"),
        "{text}"
    );
    // A collection without an index: its Simplified Chinese face.
    assert!(has_font(&pdf, "NotoSerifCJKsc"));

    // `file.ttc#N` picks face N (here the Traditional Chinese one).
    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nsystem_fallback = false\nfallback = [\"{font}#3\"]\n"),
    );
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    assert!(has_font(&pdf, "NotoSerifCJKtc") && !has_font(&pdf, "NotoSerifCJKsc"));
}

fn has_font(pdf: &[u8], name: &str) -> bool {
    let doc = Document::load_mem(pdf).unwrap();
    font_dicts(&doc).iter().any(|d| {
        d.get(b"BaseFont")
            .and_then(|n| n.as_name())
            .is_ok_and(|n| String::from_utf8_lossy(n).contains(name))
    })
}

/// A 2 × 1 PNG (one red, one blue pixel).
pub(crate) const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7B, 0x40, 0xE8,
    0xDD, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x78, 0xC6, 0x00, 0x04,
    0xCF, 0x00, 0x06, 0x51, 0x01, 0xCD, 0x8C, 0x8A, 0x7D, 0x7C, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[test]
fn headings_lists_quotes_images_and_masthead_extras() {
    let t = workspace();
    t.write(
        "issues/39/issue.toml",
        "number = 39\ndate = 2025-12-08\ntotal_number = 120\n\n[footer]\ncopies = 60\n",
    );
    t.write("issues/39/现场.png", PNG);
    let body = "开头一段。\n\n# 一、总体情况\n\n## （一）工作进展\n\n1. 第一项工作。\n2. 第二项工作。\n\n- 要点甲\n- 要点乙\n\n> 引用的一段话。\n\n![观摩现场](现场.png)\n\n*强调*和**加粗**都在最后一段。";
    t.write(
        "issues/39/a.md",
        submission("综合稿件", "市局办公室", "2025-11-25", "工作动态", body),
    );
    let out = TempDir::new("rich");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let (text, _) = extracted_text(&pdf);
    // A build without `--final` is a draft: the 送审稿 mark reads first.
    let want = squash(
        "送审稿南阳民政工作动态第39期（总第120期）南阳市民政局办公室2025年12月8日综合稿件开头一段。\
         一、总体情况（一）工作进展1.第一项工作。2.第二项工作。●要点甲●要点乙引用的一段话。\
         观摩现场强调和加粗都在最后一段。（市局办公室）\
         报：市民政局领导。发：各县市区民政局（社会事业局），市局机关各科（室、局）、局属各单位。\
         编辑：王晨晖核稿：审核：（共印60份）",
    );
    assert_eq!(text, want);
    // The image is embedded.
    let doc = Document::load_mem(&pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .count();
    assert_eq!(images, 1);
}

#[test]
fn a_corrupt_image_fails_naming_the_file() {
    let t = workspace();
    let mut bad = PNG.to_vec();
    // Break the pixel data (the IDAT checksum no longer matches).
    bad[45] ^= 0xFF;
    t.write("issues/39/坏图.png", &bad);
    let text = submission(
        "标题",
        "市局办公室",
        "2025-11-25",
        "工作动态",
        "正文。\n\n![现场](坏图.png)",
    );
    t.write("issues/39/a.md", &text);
    let out = TempDir::new("badimg");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("坏图.png") && err.contains("图片"), "{err}");
    // Points at the image's path in the submission.
    let (line, col) = line_col(&text, "坏");
    assert!(err.contains(&format!("a.md:{line}:{col}")), "{err}");
    assert!(files_below(out.path()).is_empty());
}

#[test]
fn commented_pdf_settings_of_init_are_valid() {
    // Uncomment the [layout]/[fonts]/[pdf] example that `bulletin init`
    // writes: every key must be accepted and the build must succeed (the
    // office fonts named there are usually not installed: warnings only).
    let t = TempDir::new("initcfg");
    let o = run(t.path(), &["init", "w", "--editor", "张三"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ws = t.join("w");
    let cfg = std::fs::read_to_string(ws.join("bulletin.toml")).unwrap();
    let at = cfg
        .find("# [layout]")
        .expect("layout example in init template");
    let uncommented: String = cfg[at..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .filter(|l| *l != "#")
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("[fonts]") && uncommented.contains("[pdf]"));
    std::fs::write(
        ws.join("bulletin.toml"),
        format!("{}{uncommented}\n", &cfg[..at]),
    )
    .unwrap();
    new_issue_with_one_item_builds(&ws, "配置示例");
}

#[test]
fn awkward_content_still_sets_and_reads_back() {
    let t = workspace();
    let url = "https://www.example.gov.cn/minzheng/gongzuo/dongtai/2025/12/08/a-very-long-address-without-any-break-opportunity-at-all.html";
    let body = format!(
        "见[通知原文]({url})，网址为 {url} 。\n\n第一行  \n第二行（硬换行）\n\n```\n代码 第一行\n    缩进的第二行\n```\n\n- 外层\n  - 内层一\n  - 内层二\n\n全角　空格与\t制表符。\n\n## 只有标题的结尾"
    );
    t.write(
        "issues/39/a.md",
        submission("ABC", "市局办公室", "2025-11-25", "工作动态", &body),
    );
    t.write(
        "issues/39/b.md",
        "+++\nunit = \"卧龙区民政局\"\ndate = 2025-11-26\ncategory = \"简讯\"\n+++\n\n12月1日，短讯。\n",
    );
    let out = TempDir::new("awkward");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let pdf = std::fs::read(out.join(PDF_39)).unwrap();
    let (text, _) = extracted_text(&pdf);
    for part in [
        url,
        "第一行第二行（硬换行）",
        "代码第一行缩进的第二行",
        "●外层",
        "●内层一●内层二",
        "全角空格与制表符。",
        "只有标题的结尾（市局办公室）",
        "12月1日，短讯。（卧龙区民政局）",
    ] {
        assert!(text.contains(&squash(part)), "missing {part} in {text}");
    }
    // The Markdown link is clickable.
    let doc = Document::load_mem(&pdf).unwrap();
    let uris: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Link"))
        .filter_map(|d| {
            let a = pdf_deref(&doc, d.get(b"A").ok()?).as_dict().ok()?;
            Some(String::from_utf8_lossy(a.get(b"URI").ok()?.as_str().ok()?).into_owned())
        })
        .collect();
    assert_eq!(uris, [url]);
}

#[test]
fn the_unit_is_printed_once_whatever_the_item_ends_with() {
    let t = workspace();
    let endings = [
        "正文。\n\n- 甲项\n- 乙项",
        "正文。\n\n> 引文一段。",
        "正文。\n\n## 小标题",
        "正文。\n\n1. 第一\n\n   第一项的第二段。",
    ];
    for (i, body) in endings.iter().enumerate() {
        t.write(
            &format!("issues/39/{i}.md"),
            submission(
                &format!("稿件{i}"),
                &format!("单位{i}"),
                "2025-11-25",
                "工作动态",
                body,
            ),
        );
    }
    let out = TempDir::new("once");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (text, _) = extracted_text(&std::fs::read(out.join(PDF_39)).unwrap());
    for i in 0..endings.len() {
        assert_eq!(text.matches(&format!("（单位{i}）")).count(), 1, "{text}");
    }
    assert!(
        text.contains("乙项（单位0）") && text.contains("引文一段。（单位1）"),
        "{text}"
    );
    assert!(
        text.contains("小标题（单位2）") && text.contains("第二段。（单位3）"),
        "{text}"
    );
}

#[test]
fn bookmarks_list_titles_and_headings() {
    let (_out, pdf) = build_39(&[]);
    let doc = Document::load_mem(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let outlines = pdf_deref(&doc, catalog.get(b"Outlines").unwrap())
        .as_dict()
        .unwrap();
    let mut node = outlines.get(b"First").ok();
    let mut titles = Vec::new();
    while let Some(n) = node {
        let d = pdf_deref(&doc, n).as_dict().unwrap();
        titles.push(pdf_text_string(d.get(b"Title").unwrap()));
        node = d.get(b"Next").ok();
    }
    let issue = issue_39();
    let mut want: Vec<String> = Vec::new();
    for s in &issue.sections {
        if s.items.is_empty() {
            continue;
        }
        want.extend(s.heading.clone());
        want.extend(
            s.items
                .iter()
                .filter_map(|i| i.title.clone())
                .filter(|_| s.style == model::SectionStyle::Article),
        );
    }
    assert_eq!(titles, want);
}

#[test]
fn missing_glyph_in_bulletin_toml_points_there() {
    let t = workspace();
    let config = CONFIG.replace("南阳市民政局办公室", "南阳市民政局喆办公室")
        + "\n[fonts]\nsystem_fallback = false\n";
    t.write("bulletin.toml", &config);
    t.write(
        "issues/39/a.md",
        submission("标题", "市局办公室", "2025-11-25", "工作动态", "正文。"),
    );
    let out = TempDir::new("tomlglyph");
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let (line, col) = line_col(&config, "喆");
    assert!(
        stderr(&o).contains(&format!("bulletin.toml:{line}:{col}")),
        "{}",
        stderr(&o)
    );
}
