//! Bounded resources (issue 10, part 2) through the real binary: image
//! bombs, a line of a hundred thousand problems, thousands of look-alike
//! items, `**` repeated, oversized files and issues. Every case runs the
//! binary under an address-space limit and a generous deadline, and
//! asserts the exit status and a Chinese message with its location; how
//! fast is measured by `benches/limits.rs`, not asserted here.

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// Address space the child may map: far above what any case needs when
/// handled as promised, far below what they took before.
const ADDRESS_SPACE: u64 = 2 << 30;

/// A case that has not finished by then is a failure (it would hang).
const DEADLINE: Duration = Duration::from_secs(120);

/// Run the binary in `dir` under [`ADDRESS_SPACE`] and [`DEADLINE`].
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bulletin"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between
    // fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: ADDRESS_SPACE as libc::rlim_t,
                rlim_max: ADDRESS_SPACE as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("run bulletin");
    // Read the pipes on threads so that a chatty child cannot block.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).ok();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).ok();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > DEADLINE {
            child.kill().ok();
            child.wait().ok();
            panic!("bulletin {args:?} did not finish in {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    }
}

/// Exit 1 by the program's own decision: not a signal, no panic, no abort.
fn refused(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{:?}\n{}", o.status, head(&err));
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "{}",
        head(&err)
    );
    err
}

fn ok(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(0), "{:?}\n{}", o.status, head(&err));
    err
}

fn head(s: &str) -> &str {
    let mut end = s.len().min(3000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn item(body: &str) -> String {
    submission("图片稿件", "县民政局", "2025-12-01", "工作动态", body)
}

/// A PNG of `w` × `h` with the given IDAT payload (a zlib stream), with
/// correct chunk CRCs.
fn png(w: u32, h: u32, depth: u8, colour: u8, idat: &[u8]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([depth, colour, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The zlib stream of a `w` × `h` image of zero pixels (`bytes_per_row`
/// bytes each row after its filter byte): small, inflating to the bitmap.
fn zero_pixels(h: u32, bytes_per_row: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let row = vec![0u8; bytes_per_row + 1];
    for _ in 0..h {
        z.write_all(&row).unwrap();
    }
    z.finish().unwrap()
}

/// The message and the snippet of an image error at the reference.
fn assert_image_error(err: &str, what: &str) {
    assert!(err.contains("图片“炸弹.png”太大"), "{}", head(err));
    assert!(err.contains(what), "{}", head(err));
    let (line, col) = (8, 1);
    assert!(
        err.contains(&format!("--> issues/39/a.md:{line}:{col}")),
        "{}",
        head(err)
    );
    assert!(err.contains("缩小"), "{}", head(err));
}

#[test]
fn a_png_header_claiming_ten_billion_pixels_is_refused_not_aborted() {
    let ws = workspace();
    // 69 bytes: a header of 100,000 × 100,000 and an empty stream.
    let bomb = png(100_000, 100_000, 8, 6, &zero_pixels(0, 0));
    assert!(bomb.len() < 100, "{}", bomb.len());
    ws.write("issues/39/炸弹.png", &bomb);
    ws.write("issues/39/a.md", item("![现场](炸弹.png)"));
    for args in [
        &["build", "39"][..],
        &["check", "39"],
        &["check", "39", "--sign", "核稿", "--name", "金路"],
    ] {
        let o = run_bounded(ws.path(), args);
        let err = refused(&o);
        assert_image_error(&err, "100000 × 100000 像素（约 100.0 亿像素）");
    }
    assert!(files_below(&ws.join("out")).is_empty());
    assert!(!ws.join("issues/39/signoffs.toml").exists());
}

#[test]
fn a_small_png_that_inflates_to_a_huge_bitmap_is_refused_from_its_header() {
    let ws = workspace();
    // 8,000 × 8,000 grey pixels: 64 MB of zeros in a stream of ~60 KB.
    let bomb = png(8000, 8000, 8, 0, &zero_pixels(8000, 8000));
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    ws.write("issues/39/炸弹.png", &bomb);
    ws.write("issues/39/a.md", item("![现场](炸弹.png)"));
    let err = refused(&run_bounded(ws.path(), &["build", "39"]));
    assert_image_error(&err, "超过了 4000 万像素的上限");
    assert!(files_below(&ws.join("out")).is_empty());
}

#[test]
fn an_image_within_the_pixel_cap_but_over_the_decoded_bytes_cap_is_refused() {
    let ws = workspace();
    // 5,000 × 4,500 of 16-bit RGBA: 22.5 megapixels, 180 MB decoded.
    let bomb = png(5000, 4500, 16, 6, &zero_pixels(4500, 5000 * 8));
    ws.write("issues/39/炸弹.png", &bomb);
    ws.write("issues/39/a.md", item("![现场](炸弹.png)"));
    let err = refused(&run_bounded(ws.path(), &["check", "39"]));
    assert_image_error(&err, "解码后要占");
}

#[test]
fn a_modest_image_still_goes_into_the_pdf() {
    let ws = workspace();
    let photo = png(1200, 800, 8, 2, &zero_pixels(800, 1200 * 3));
    ws.write("issues/39/照片.png", &photo);
    ws.write("issues/39/a.md", item("![现场](照片.png)\n\n正文。"));
    ok(&run_bounded(ws.path(), &["build", "39"]));
    assert!(ws.join("out").join(PDF_39).is_file());
    assert!(read_html_39(&ws.join("out")).contains("width=\"1200\" height=\"800\""));
}

#[test]
fn a_line_of_a_hundred_thousand_problems_is_summarised_in_bounded_memory() {
    let ws = workspace();
    // 160 KB on one line: 40,000 half-width commas next to Han characters.
    let line = "中,".repeat(40_000);
    ws.write("issues/39/a.md", item(&line));
    let o = run_bounded(ws.path(), &["check", "39"]);
    let err = refused(&o);
    let listed = err.matches("错误[P001]: 汉字旁用了半角标点").count();
    assert_eq!(listed, 50, "{}", head(&err));
    assert!(
        err.contains("另有 39950 处同类问题未列出"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(err.contains("--> issues/39/a.md:8:2"), "{}", head(&err));
    // The snippet is a window of the line, not the line.
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
    assert!(err.lines().count() < 600, "{} lines", err.lines().count());
}

#[test]
fn thousands_of_look_alike_items_are_each_reported_once() {
    let ws = workspace();
    let body =
        "县民政局召开冬季救助工作部署会，安排困难群众过冬保障，要求逐户走访、做到底数清情况明。";
    let n = 2000;
    for i in 0..n {
        ws.write(
            &format!("issues/39/{i:04}.md"),
            submission(
                &format!("县民政局召开冬季救助工作部署会第{i}次"),
                "县民政局",
                "2025-12-01",
                "工作动态",
                body,
            ),
        );
    }
    let o = run_bounded(ws.path(), &["check", "39"]);
    let err = ok(&o);
    let r001 = err.matches("警告[R001]").count();
    let r002 = err.matches("警告[R002]").count();
    // Each item is reported at most once per rule, naming one earlier
    // item: every body repeats the first ones (item 1 only repeats item 0,
    // whose title it nearly repeats too, which is reported instead).
    assert_eq!(r002, n - 2, "R001 {r001}, R002 {r002}");
    assert!(r001 > 0 && r001 < n, "R001 {r001}, R002 {r002}");
    assert!(err.contains("正文与 0000.md 的正文相同"), "{}", head(&err));
    assert!(err.contains("--> issues/39/0001.md:"), "{}", head(&err));
}

#[test]
fn unmatched_double_asterisks_repeated_build_and_check() {
    let ws = workspace();
    // `。**中` never closes under CommonMark: 350 KB of openers in one
    // paragraph, an even number, paired in order as bold.
    let body = "。**中".repeat(50_000);
    ws.write("issues/39/a.md", item(&body));
    ok(&run_bounded(
        ws.path(),
        &["build", "39", "--format", "html"],
    ));
    let html = read_html_39(&ws.join("out"));
    assert_eq!(html.matches("<strong>").count(), 25_000);
    assert!(!html.contains("**"));
    run_bounded(ws.path(), &["check", "39"]);
}

#[test]
fn a_submission_over_the_size_cap_is_refused_unread() {
    let ws = workspace();
    ws.write("issues/39/a.md", item("正文。"));
    // 13 MB, sparse: refused from its size, never read.
    let big = std::fs::File::create(ws.join("issues/39/大.md")).unwrap();
    big.set_len(13 << 20).unwrap();
    let err = refused(&run_bounded(ws.path(), &["build", "39"]));
    assert!(
        err.contains("错误[E004]: 投稿文件太大（13.0 MB），超过了每篇 12 MB 的上限"),
        "{}",
        head(&err)
    );
    assert!(err.contains("--> issues/39/大.md"), "{}", head(&err));
    assert!(files_below(&ws.join("out")).is_empty());
}

#[test]
fn an_issue_over_the_total_cap_is_refused() {
    let ws = workspace();
    // Four images of 19 MB (a valid header, then zeros: sparse on disk),
    // each within the per-image limits, 76 MB together.
    let head_bytes = png(100, 100, 8, 2, &zero_pixels(100, 300));
    let mut body = String::new();
    for i in 0..4 {
        let p = ws.write(&format!("issues/39/图{i}.png"), &head_bytes);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(19 << 20)
            .unwrap();
        body.push_str(&format!("![图{i}](图{i}.png)\n\n"));
    }
    ws.write("issues/39/a.md", item(&body));
    let err = refused(&run_bounded(ws.path(), &["check", "39"]));
    assert!(
        err.contains("错误[E005]: 本期的投稿和图片合计 76.0 MB，超过了 64 MB 的上限"),
        "{}",
        head(&err)
    );
    assert!(err.contains("--> issues/39"), "{}", head(&err));
}

#[test]
fn thousands_of_unknown_names_in_order_are_counted() {
    let ws = workspace();
    ws.write("issues/39/a.md", item("正文。"));
    let names: String = (0..20_000).map(|i| format!("  \"稿{i}.md\",\n")).collect();
    ws.write(
        "issues/39/issue.toml",
        format!("number = 39\ndate = 2025-12-08\norder = [\n{names}]\n"),
    );
    let err = refused(&run_bounded(ws.path(), &["check", "39"]));
    assert_eq!(err.matches("错误[E033]: order 里列出的").count(), 50);
    assert!(
        err.contains("order 里另有 19950 个名字同样不是本期的投稿文件"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(
        err.contains("--> issues/39/issue.toml:4:3"),
        "{}",
        head(&err)
    );
}
