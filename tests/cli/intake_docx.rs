//! Word files through `bulletin intake` (the real binary): real .docx
//! files made by python-docx and LibreOffice (tests/fixtures/docx/) become
//! items that build; hostile and broken Word files are each rejected with
//! a reason and kept; .doc goes through LibreOffice.

use crate::util::*;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use zip::write::SimpleFileOptions;

fn age(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures/docx").join(name)).unwrap()
}

/// Put a settled file into the inbox.
fn drop_in(ws: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = ws.write(&format!("inbox/{name}"), bytes);
    age(&p);
    p
}

/// Run the binary with its own PATH (e.g. one without LibreOffice).
fn run_with_path(dir: &Path, path: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .output()
        .expect("run bulletin")
}

fn build_html(ws: &TempDir) -> String {
    let (out, _) = build_into(ws.path(), &["--format", "html"]);
    read_html_39(out.path())
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn document(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><w:body>{body}</w:body></w:document>"
    )
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

fn image_rels(target: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{target}\"/></Relationships>"
    )
}

const IMAGE_PARA: &str = "<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:blip r:embed=\"rId5\"/></a:graphicData></a:graphic></w:drawing></w:r></w:p>";

/// A zip of `parts`, deflated (or stored).
fn zip_of(parts: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A small valid .docx with this body and extra parts.
fn docx_with(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let doc = document(body);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    zip_of(&parts, false)
}

fn simple_body() -> String {
    format!(
        "{}{}",
        para("南召县开展冬季救助"),
        para("南召县民政局开展冬季救助工作。")
    )
}

/// Change a header field of the entry `name` in both its local header
/// and its central directory record.
fn patch_entry(zip: &mut [u8], name: &str, local_off: usize, central_off: usize, value: &[u8]) {
    let mut patched = 0;
    for (sig, name_at, off) in [
        (b"PK\x03\x04", 30, local_off),
        (b"PK\x01\x02", 46, central_off),
    ] {
        let mut i = 0;
        while i + name_at + name.len() <= zip.len() {
            if &zip[i..i + 4] == sig
                && &zip[i + name_at..i + name_at + name.len()] == name.as_bytes()
            {
                zip[i + off..i + off + value.len()].copy_from_slice(value);
                patched += 1;
                break;
            }
            i += 1;
        }
    }
    assert_eq!(patched, 2, "entry {name} not found");
}

/// A PNG header that claims `w × h` pixels.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    v.extend(w.to_be_bytes());
    v.extend(h.to_be_bytes());
    v.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v
}

#[test]
fn word_files_become_items_that_build() {
    let ws = workspace();
    let basic = fixture("南召县民政局_2025-12-05_冬季救助.docx");
    drop_in(&ws, "南召县民政局_2025-12-05_冬季救助.docx", &basic);
    drop_in(
        &ws,
        "西峡县民政局关于养老服务工作的信息.docx",
        &fixture("西峡县民政局关于养老服务工作的信息.docx"),
    );
    drop_in(
        &ws,
        "镇平县民政局_2025-12-06_殡葬检查.docx",
        &fixture("镇平县民政局_2025-12-06_殡葬检查.docx"),
    );
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    for note in [
        "Word 文档 → Markdown",
        "来源单位“南召县民政局”：取自文末的“（南召县民政局）”",
        "来源单位“西峡县民政局”：取自“来源：西峡县民政局”一行",
        "图片 1 张存为 南召县开展冬季困难群众救助工作-图1.png",
        "修订按接受处理",
        "导入 3",
    ] {
        assert!(out.contains(note), "{note}:\n{out}");
    }
    let item = ws.join("issues/39/南召县开展冬季困难群众救助工作.md");
    let text = std::fs::read_to_string(&item).unwrap();
    assert!(
        text.contains("![图1 工作人员入户走访](南召县开展冬季困难群众救助工作-图1.png)"),
        "{text}"
    );
    let png = std::fs::read(ws.join("issues/39/南召县开展冬季困难群众救助工作-图1.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // The original is kept, byte for byte.
    let kept = files_below(&ws.join("inbox/processed"));
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(
        kept.iter()
            .any(|p| std::fs::read(ws.join("inbox/processed").join(p)).unwrap() == basic)
    );

    let html = build_html(&ws);
    for want in [
        "12月5日，南召县民政局召开专题会议，<strong>部署冬季救助工作</strong>，要求<em>应保尽保</em>。",
        "class=\"sub1\">一、主要做法</h",
        "class=\"sub2\">（一）摸底排查</h",
        "<ul><li><p>走访低保家庭</p>",
        "今年以来，西峡县民政局多措并举推进居家养老服务，",
        "class=\"sub3\">1.建立工作台账</h",
        "12月6日，镇平县民政局联合应急部门开展殡葬领域安全检查。",
        "alt=\"图1 工作人员入户走访\"",
        "<img src=\"data:image/png;base64,",
    ] {
        assert!(html.contains(want), "{want} not in HTML:\n{html}");
    }
    for gone in ["单独", "（旧位置）", "这一段被删除了", "DATE", "　　"] {
        assert!(!html.contains(gone), "{gone} in HTML");
    }

    // The same document again: a duplicate, and no second image.
    drop_in(&ws, "南召县民政局_2025-12-05_冬季救助(1).docx", &basic);
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("重复，未导入"), "{}", stdout(&o));
    let pngs: Vec<PathBuf> = files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert_eq!(pngs.len(), 1, "{pngs:?}");
}

#[test]
fn word_files_need_a_category_and_wait_for_one() {
    let ws = workspace();
    let p = drop_in(
        &ws,
        "镇平县民政局_2025-12-06_殡葬检查.docx",
        &fixture("镇平县民政局_2025-12-06_殡葬检查.docx"),
    );
    let o = run(ws.path(), &["intake"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Word 稿件需要指定栏目"),
        "{}",
        stdout(&o)
    );
    assert!(p.exists());
}

/// Each hostile or broken file is rejected with its own reason, the
/// original kept byte for byte in rejected/, nothing written outside.
#[test]
fn hostile_and_broken_word_files_are_rejected_and_kept() {
    let ws = workspace();
    let basic = fixture("南召县民政局_2025-12-05_冬季救助.docx");
    let body = simple_body();
    let n = |s: &str| format!("南召县民政局_2025-12-05_{s}");

    let mut cases: Vec<(String, Vec<u8>, &str)> = Vec::new();
    let mut add = |name: String, bytes: Vec<u8>, why: &'static str| cases.push((name, bytes, why));

    add(
        n("不是压缩包.docx"),
        "这是一段改了扩展名的文字".as_bytes().to_vec(),
        "不是有效的 Word 文档",
    );
    add(n("空文件.docx"), Vec::new(), "文件是空的");
    add(
        n("只复制了一半.docx"),
        basic[..basic.len() * 6 / 10].to_vec(),
        "已损坏",
    );
    add(
        n("表格.docx"),
        zip_of(
            &[
                ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
                ("xl/workbook.xml", b"<workbook/>"),
            ],
            false,
        ),
        "Excel",
    );
    add(
        n("演示.docx"),
        zip_of(&[("ppt/presentation.xml", b"<p/>")], false),
        "PowerPoint",
    );
    add(
        n("没有正文.docx"),
        zip_of(&[("[Content_Types].xml", CONTENT_TYPES.as_bytes())], false),
        "没有 Word 正文",
    );
    // 60 MB of spaces inside the body, declared honestly.
    let big = document(&" ".repeat(60 << 20));
    let honest = zip_of(
        &[
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", big.as_bytes()),
        ],
        false,
    );
    add(n("压缩炸弹.docx"), honest.clone(), "压缩炸弹");
    // The same, its headers claiming 2,000 bytes.
    let mut lying = honest;
    patch_entry(
        &mut lying,
        "word/document.xml",
        22,
        24,
        &2000u32.to_le_bytes(),
    );
    add(n("谎报大小.docx"), lying, "压缩炸弹");
    // Six parts of 40 MB: each under the part cap, together over 200 MB.
    let forty = format!("<x>{}</x>", " ".repeat(40 << 20));
    let parts_doc = document(&format!("{body}<!--{}-->", " ".repeat(40 << 20)));
    add(
        n("总量炸弹.docx"),
        zip_of(
            &[
                ("_rels/.rels", ROOT_RELS.as_bytes()),
                ("word/document.xml", parts_doc.as_bytes()),
                ("word/_rels/document.xml.rels", forty.as_bytes()),
                ("word/styles.xml", forty.as_bytes()),
                ("word/numbering.xml", forty.as_bytes()),
                ("docProps/core.xml", forty.as_bytes()),
            ],
            false,
        ),
        "总大小超过 200 MB",
    );
    add(
        n("路径穿越.docx"),
        docx_with(
            &format!("{body}{IMAGE_PARA}"),
            &[
                (
                    "word/_rels/document.xml.rels",
                    image_rels("../../evil.png").as_bytes(),
                ),
                ("../../evil.png", PNG_1X1),
            ],
        ),
        "指向包外",
    );
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>";
    add(
        n("实体炸弹.docx"),
        zip_of(
            &[
                ("_rels/.rels", ROOT_RELS.as_bytes()),
                ("word/document.xml", laughs.as_bytes()),
            ],
            false,
        ),
        "DOCTYPE",
    );
    add(
        n("样式里的DOCTYPE.docx"),
        docx_with(
            &body,
            &[(
                "word/styles.xml",
                b"<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><w:styles/>",
            )],
        ),
        "DOCTYPE",
    );
    let deep = format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(50_000),
        "</w:sdtContent></w:sdt>".repeat(50_000)
    );
    add(
        n("嵌套.docx"),
        docx_with(&format!("{body}{deep}"), &[]),
        "嵌套超过",
    );
    add(
        n("巨图.docx"),
        docx_with(
            &format!("{body}{IMAGE_PARA}"),
            &[
                (
                    "word/_rels/document.xml.rels",
                    image_rels("media/image1.png").as_bytes(),
                ),
                ("word/media/image1.png", &png_claiming(30_000, 30_000)),
            ],
        ),
        "像素",
    );
    let mut heavy = png_claiming(100, 100);
    heavy.resize(25 << 20, 0);
    add(
        n("大图.docx"),
        docx_with(
            &format!("{body}{IMAGE_PARA}"),
            &[
                (
                    "word/_rels/document.xml.rels",
                    image_rels("media/image1.png").as_bytes(),
                ),
                ("word/media/image1.png", &heavy),
            ],
        ),
        "超过 20 MB",
    );
    let names: Vec<String> = (0..3000).map(|i| format!("word/media/x{i}.bin")).collect();
    let mut many: Vec<(&str, &[u8])> = vec![("_rels/.rels", ROOT_RELS.as_bytes())];
    many.extend(names.iter().map(|s| (s.as_str(), &b""[..])));
    add(n("条目太多.docx"), zip_of(&many, true), "条目");
    let mut encrypted = docx_with(&body, &[]);
    patch_entry(&mut encrypted, "word/document.xml", 6, 8, &[0x01]);
    add(n("加密.docx"), encrypted, "密码");
    let mut method = docx_with(&body, &[]);
    patch_entry(
        &mut method,
        "word/document.xml",
        8,
        10,
        &12u16.to_le_bytes(),
    );
    add(n("压缩方式.docx"), method, "压缩方式");
    let doc = document(&body);
    let mut crc = zip_of(
        &[
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
        ],
        true,
    );
    let at = crc
        .windows("冬季".len())
        .position(|w| w == "冬季".as_bytes())
        .unwrap();
    crc[at] ^= 0x01;
    add(n("校验错.docx"), crc, "已损坏");
    add(
        n("坏XML.docx"),
        zip_of(
            &[
                ("_rels/.rels", ROOT_RELS.as_bytes()),
                ("word/document.xml", b"<w:document><w:body><w:p>"),
            ],
            false,
        ),
        "不是有效的 XML",
    );
    add(
        n("没有文字.docx"),
        docx_with(
            "<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p><w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>",
            &[],
        ),
        "没有任何文字",
    );
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1old binary word".to_vec();
    add(n("旧格式.doc"), ole.clone(), "本机没有安装 LibreOffice");
    add(n("改名的旧格式.docx"), ole.clone(), "内容却是旧版 Word");
    add(n("金山.wps"), ole, "这是 WPS 文字（.wps）格式");

    assert!(cases.len() >= 15);
    for (name, bytes, _) in &cases {
        drop_in(&ws, name, bytes);
    }
    // A PATH without LibreOffice: .doc and .wps cannot be converted here.
    let empty_path = TempDir::new("no-soffice");
    let start = std::time::Instant::now();
    let o = run_with_path(
        ws.path(),
        empty_path.path().to_str().unwrap(),
        &["intake", "--category", "工作动态"],
    );
    eprintln!("{} hostile files in {:?}", cases.len(), start.elapsed());
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}\n{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(out.contains(&format!("退回 {}", cases.len())), "{out}");
    for (name, bytes, why) in &cases {
        let kept = ws.join("inbox/rejected").join(name);
        assert_eq!(
            &std::fs::read(&kept).unwrap(),
            bytes,
            "{name} not kept as it was"
        );
        let reason =
            std::fs::read_to_string(ws.join(format!("inbox/rejected/{name}.原因.txt"))).unwrap();
        // The reasons only, not the file name above them.
        let reasons = reason.split_once("未能导入的原因").unwrap().1;
        assert!(reasons.contains(why), "{name}: want “{why}”:\n{reason}");
    }
    let reason =
        |n: &str| std::fs::read_to_string(ws.join(format!("inbox/rejected/{n}.原因.txt"))).unwrap();
    // The lying header is caught either way: by the cap or as damage.
    let r = reason(&n("谎报大小.docx"));
    assert!(r.contains("比它声明的大小大"), "{r}");
    // The clerk is told how to save as .docx.
    let r = reason(&n("旧格式.doc"));
    assert!(
        r.contains("另存为") && r.contains("Word 文档 (*.docx)"),
        "{r}"
    );
    // Nothing was extracted by an entry's name, nothing left in the issue.
    assert!(!ws.path().parent().unwrap().join("evil.png").exists());
    assert!(!ws.join("evil.png").exists());
    let issue: Vec<PathBuf> = files_below(&ws.join("issues/39"));
    assert_eq!(issue, [PathBuf::from("issue.toml")], "{issue:?}");
}

/// A .doc goes through whatever `soffice` is on PATH: here a stand-in
/// that "converts" to a known .docx, as LibreOffice would.
#[cfg(unix)]
#[test]
fn doc_goes_through_soffice_on_path() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace();
    let bin = TempDir::new("fake-soffice");
    let docx = repo_root().join("tests/fixtures/docx/南召县民政局_2025-12-05_冬季救助.docx");
    let script = format!(
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in --outdir) out=$2; shift;; -env:*) prof=$1;; esac\n  last=$1; shift\ndone\ncase \"$prof\" in -env:UserInstallation=file:///*) ;; *) exit 9;; esac\nname=$(basename \"$last\")\ncp '{}' \"$out/${{name%.*}}.docx\"\n",
        docx.display()
    );
    let soffice = bin.join("soffice");
    std::fs::write(&soffice, script).unwrap();
    std::fs::set_permissions(&soffice, std::fs::Permissions::from_mode(0o755)).unwrap();
    let old = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 stand-in for a .doc".to_vec();
    drop_in(&ws, "南召县民政局_2025-12-05_冬季救助.doc", &old);
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let o = run_with_path(ws.path(), &path, &["intake", "--category", "工作动态"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(
        out.contains("旧版 Word（.doc） 用 LibreOffice 转换为 .docx"),
        "{out}"
    );
    assert!(
        ws.join("issues/39/南召县开展冬季困难群众救助工作.md")
            .exists()
    );
    let kept = files_below(&ws.join("inbox/processed"));
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read(ws.join("inbox/processed").join(&kept[0])).unwrap(),
        old
    );
}

/// The real LibreOffice on a real .doc (written by LibreOffice itself).
#[test]
fn doc_through_real_libreoffice() {
    if !external_tests_enabled("LibreOffice（soffice）") {
        return;
    }
    let ws = workspace();
    let name = "唐河县民政局_2025-12-05_冬季救助.doc";
    drop_in(&ws, name, &fixture(name));
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(out.contains("用 LibreOffice 转换为 .docx"), "{out}");
    let html = build_html(&ws);
    for want in [
        "<strong>部署冬季救助工作</strong>",
        "class=\"sub1\">一、主要做法</h",
        "alt=\"图1 工作人员入户走访\"",
    ] {
        assert!(html.contains(want), "{want} not in HTML");
    }
}

/// Numbered lead lines from Word follow the Markdown rule: a short line
/// with no sentence punctuation (at most 30 characters) is a heading; a
/// longer one, or one ending in 。, stays body text, as it would in a
/// Markdown submission.
#[test]
fn word_lead_lines_become_headings_by_the_markdown_rule() {
    let ws = workspace();
    let long = format!(
        "1.{}",
        "全面排查养老机构消防安全隐患并建立整改台账逐项销号".repeat(2)
    );
    assert!(long.chars().count() > 30 && long.chars().count() <= 60);
    let body = [
        para("南召县开展冬季救助"),
        para("南召县民政局开展冬季救助工作。"),
        para("一、主要做法"),
        para("（一）强化组织领导。"),
        para("县局成立工作专班。"),
        para("1.健全机制"),
        para(&long),
    ]
    .concat();
    drop_in(
        &ws,
        "南召县民政局_2025-12-05_冬季救助.docx",
        &docx_with(&body, &[]),
    );
    let o = run(ws.path(), &["intake", "--category", "工作动态"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let md: Vec<PathBuf> = files_below(&ws.join("issues/39"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(md.len(), 1, "{md:?}");
    let text = std::fs::read_to_string(ws.join("issues/39").join(&md[0])).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"# 一、主要做法"), "{text}");
    assert!(lines.contains(&"### 1.健全机制"), "{text}");
    // Sentence punctuation or more than 30 characters: body text.
    assert!(lines.contains(&"（一）强化组织领导。"), "{text}");
    assert!(lines.contains(&long.as_str()), "{text}");
    assert!(!text.contains("# （一）"), "{text}");
}
