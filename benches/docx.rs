//! Benchmark of Word intake: a 50-page .docx with 20 images (about 4 MB)
//! through `bulletin intake` (the whole process: read, convert, validate,
//! write the item and its images, move the original), and the reader
//! alone in this process. The document is made by python-docx when it is
//! installed (a real writer), else built here with the zip crate.
//! Run: `cargo bench --bench docx`. Prints numbers; fails only if intake
//! fails.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

const PAGES: usize = 50;
const IMAGES: usize = 20;

const CONFIG: &str = "title = \"南阳民政工作动态\"\npublisher = \"南阳市民政局办公室\"\n\n[[sections]]\nname = \"工作动态\"\nheading = \"\"\n\n[footer]\neditor = \"王晨晖\"\nsignoffs = [\"核稿\"]\nlines = []\n";

const SENTENCE: &str = "县民政局围绕困难群众基本生活保障，逐户走访核查低保、特困对象，建立动态管理台账，确保政策落实到位。";

/// A deterministic noisy PNG of `w × h` (photos do not compress much).
fn png(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    for _ in 0..h {
        // Filter type 0, then the row's noisy bytes.
        raw.extend(std::iter::once(0).chain((0..w * 3).map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xFF) as u8
        })));
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend(crc(&body).to_be_bytes());
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    out
}

const PY: &str = r#"
import io, sys, docx
from docx.enum.text import WD_BREAK
from docx.shared import Cm
pages, images, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
d = docx.Document()
d.add_heading("南阳市民政系统冬季救助工作情况汇编", 0)
pngs = [open(p, "rb").read() for p in sys.argv[4:]]
n = 0
for page in range(pages):
    d.add_heading("%d、第%d部分工作情况" % (page + 1, page + 1), 1)
    for i in range(16):
        p = d.add_paragraph("　　")
        p.add_run("%d月%d日，" % (12, page % 28 + 1))
        p.add_run("重点工作").bold = True
        p.add_run(SENTENCE * 2)
    if page % 10 == 0:
        t = d.add_table(rows=4, cols=3)
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                cell.text = "第%d行第%d列" % (r + 1, c + 1)
    if n < images and page % (pages // images) == 0:
        d.add_picture(io.BytesIO(pngs[n]), width=Cm(12))
        d.add_paragraph("图%d 工作现场" % (n + 1), style="Caption")
        n += 1
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
d.add_paragraph("（南阳市民政局）")
d.save(out)
"#;

fn with_python(dir: &Path, pngs: &[Vec<u8>]) -> Option<Vec<u8>> {
    let ok = Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .ok()?
        .status
        .success();
    if !ok {
        return None;
    }
    let mut args = vec![
        "-c".to_string(),
        PY.replace("SENTENCE", &format!("\"{SENTENCE}\"")),
        PAGES.to_string(),
        IMAGES.to_string(),
        dir.join("bench.docx").display().to_string(),
    ];
    for (i, p) in pngs.iter().enumerate() {
        let f = dir.join(format!("img{i}.png"));
        std::fs::write(&f, p).unwrap();
        args.push(f.display().to_string());
    }
    let o = Command::new("python3").args(&args).output().ok()?;
    if !o.status.success() {
        eprintln!("python-docx failed: {}", String::from_utf8_lossy(&o.stderr));
        return None;
    }
    std::fs::read(dir.join("bench.docx")).ok()
}

/// The same document built here: WordprocessingML as Word writes it.
fn with_zip(pngs: &[Vec<u8>]) -> Vec<u8> {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let a = "http://schemas.openxmlformats.org/drawingml/2006/main";
    let mut body = String::from(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>南阳市民政系统冬季救助工作情况汇编</w:t></w:r></w:p>",
    );
    let mut rels = String::new();
    let mut n = 0;
    for page in 0..PAGES {
        body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>{}、第{}部分工作情况</w:t></w:r></w:p>",
            page + 1,
            page + 1
        ));
        for _ in 0..16 {
            body.push_str(&format!(
                "<w:p><w:pPr><w:ind w:firstLineChars=\"200\"/></w:pPr><w:r><w:t xml:space=\"preserve\">　　12月{}日，</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>重点工作</w:t></w:r><w:r><w:t>{SENTENCE}{SENTENCE}</w:t></w:r></w:p>",
                page % 28 + 1
            ));
        }
        if page % 10 == 0 {
            body.push_str("<w:tbl>");
            for row in 0..4 {
                body.push_str("<w:tr>");
                for col in 0..3 {
                    body.push_str(&format!(
                        "<w:tc><w:p><w:r><w:t>第{}行第{}列</w:t></w:r></w:p></w:tc>",
                        row + 1,
                        col + 1
                    ));
                }
                body.push_str("</w:tr>");
            }
            body.push_str("</w:tbl>");
        }
        if n < IMAGES && page % (PAGES / IMAGES) == 0 {
            body.push_str(&format!(
                "<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:blip r:embed=\"rIdImg{n}\"/></a:graphicData></a:graphic></w:drawing></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"Caption\"/></w:pPr><w:r><w:t>图{} 工作现场</w:t></w:r></w:p>",
                n + 1
            ));
            rels.push_str(&format!(
                "<Relationship Id=\"rIdImg{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{n}.png\"/>"
            ));
            n += 1;
        }
        body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }
    body.push_str("<w:p><w:r><w:t>（南阳市民政局）</w:t></w:r></w:p>");
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"{w}\" xmlns:r=\"{r}\" xmlns:a=\"{a}\"><w:body>{body}</w:body></w:document>"
    );
    let styles = format!(
        "<w:styles xmlns:w=\"{w}\"><w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/></w:style></w:styles>"
    );
    let root_rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let doc_rels = format!(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>{rels}</Relationships>"
    );
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, bytes: &[u8]| {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    };
    put("_rels/.rels", root_rels.as_bytes());
    put("word/document.xml", doc.as_bytes());
    put("word/styles.xml", styles.as_bytes());
    put("word/_rels/document.xml.rels", doc_rels.as_bytes());
    for (i, p) in pngs.iter().enumerate() {
        put(&format!("word/media/image{i}.png"), p);
    }
    z.finish().unwrap().into_inner()
}

fn workspace(base: &Path, n: usize, docx: &[u8]) -> PathBuf {
    let ws = base.join(format!("ws{n}"));
    std::fs::create_dir_all(ws.join("issues/1")).unwrap();
    std::fs::create_dir_all(ws.join("inbox")).unwrap();
    std::fs::write(ws.join("bulletin.toml"), CONFIG).unwrap();
    std::fs::write(
        ws.join("issues/1/issue.toml"),
        "number = 1\ndate = 2025-12-08\n",
    )
    .unwrap();
    let f = ws.join("inbox/南阳市民政局_2025-12-05_冬季救助汇编.docx");
    std::fs::write(&f, docx).unwrap();
    let file = std::fs::File::options().write(true).open(&f).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(600))
        .unwrap();
    ws
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let base = std::env::temp_dir().join(format!("bulletin-bench-docx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let pngs: Vec<Vec<u8>> = (0..IMAGES as u32).map(|i| png(400, 300, i + 1)).collect();
    let (docx, writer) = match with_python(&base, &pngs) {
        Some(d) => (d, "python-docx"),
        None => (with_zip(&pngs), "zip crate"),
    };
    println!(
        "{PAGES}-page .docx with {IMAGES} images, written by {writer}: {:.1} MB",
        docx.len() as f64 / 1048576.0
    );

    // The reader alone, in this process.
    let defaults = bulletin::intake::txt::Defaults::default();
    let input = bulletin::intake::docx::Input {
        bytes: &docx,
        file_stem: "南阳市民政局_2025-12-05_冬季救助汇编",
        defaults: &defaults,
        known_units: &[],
        brief: false,
        today: chrono::NaiveDate::from_ymd_opt(2025, 12, 8).unwrap(),
    };
    let mut reads = Vec::new();
    let mut md_len = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let d = bulletin::intake::docx::read(&input).expect("the document reads");
        let names: Vec<String> = (0..d.pictures.len()).map(|i| format!("{i}.png")).collect();
        md_len = d.markdown("工作动态", &names).len();
        reads.push(t.elapsed());
    }
    println!(
        "reader alone (read + Markdown, {} KB of Markdown): median {:?}, best {:?}",
        md_len / 1024,
        median(reads.clone()),
        reads.iter().min().unwrap()
    );

    // The whole `bulletin intake` process, a fresh workspace each run.
    let mut runs = Vec::new();
    for n in 0..5 {
        let ws = workspace(&base, n, &docx);
        let t = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .args(["intake", "--category", "工作动态"])
            .current_dir(&ws)
            .output()
            .expect("run bulletin");
        runs.push(t.elapsed());
        assert!(
            o.status.success(),
            "intake failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let images = std::fs::read_dir(ws.join("issues/1"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
            .count();
        assert_eq!(images, IMAGES, "every image written");
    }
    println!(
        "bulletin intake (whole process): median {:?}, best {:?}",
        median(runs.clone()),
        runs.iter().min().unwrap()
    );
    let _ = std::fs::remove_dir_all(&base);
}
