//! The PDF as users get it, from the real binary: text read back with a
//! Rust PDF reader, fonts embedded and subset with ToUnicode, missing
//! glyphs, determinism, PDF/A, configuration errors. Checks with poppler
//! run only when BULLETIN_EXTERNAL_TESTS=1.
mod common;

use std::path::{Path, PathBuf};

use bulletin::model::{self, Block, Issue, plain_text};
use bulletin::workspace::Workspace;
use common::*;
use pdf_extract::{Document, Object};

const PDF_39: &str = "39/南阳民政工作动态第39期.pdf";

fn build(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(root, &args)
}

fn build_39(extra: &[&str]) -> (TempDir, Vec<u8>) {
    let out = TempDir::new("pdf");
    let o = build(&repo_root(), out.path(), &[&["39"], extra].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
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

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
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
        let arr = deref(&doc, desc).as_array().unwrap();
        let cid = deref(&doc, &arr[0]).as_dict().unwrap();
        let fd = deref(&doc, cid.get(b"FontDescriptor").unwrap())
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
        let stream = deref(&doc, ff).as_stream().unwrap();
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
    let info = deref(doc, info).as_dict().unwrap();
    let bytes = info.get(key).unwrap().as_str().unwrap();
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
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

/// (line, column) of the first `needle` in `text`, 1-based, in characters.
fn line_col(text: &str, needle: char) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
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
    let (l1, c1) = line_col(&text, '镕');
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

    t.write(
        "bulletin.toml",
        format!("{CONFIG}\n[fonts]\nbody = \"没有这个字体\"\n"),
    );
    let o = build(t.path(), out.path(), &["39"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("bulletin.toml:"), "{}", stderr(&o));

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

#[test]
fn workspace_made_anywhere_builds_a_pdf() {
    let t = TempDir::new("anywhere");
    let o = run(t.path(), &["init", "工作区"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ws = t.join("工作区");
    let o = run(
        &ws,
        &["issue", "new", "--number", "1", "--date", "2025-12-08"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(
        &ws,
        &[
            "new",
            "--unit",
            "市局办公室",
            "--category",
            "工作动态",
            "--title",
            "新建工作区也能出版",
            "--date",
            "2025-12-01",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&ws, &["build", "1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
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
    let doc = Document::load_mem(&pdf).unwrap();
    assert!(font_dicts(&doc).iter().any(|d| {
        d.get(b"BaseFont")
            .and_then(|n| n.as_name())
            .is_ok_and(|n| String::from_utf8_lossy(n).contains("NotoSerifCJK"))
    }));
}
