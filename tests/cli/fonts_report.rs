//! `bulletin fonts [N]`: each role's font, and every character printed
//! from another font with its places. The search for installed fonts is
//! pointed at tests/fixtures/fonts (subsets of Noto Serif / Sans CJK SC
//! holding only 浉, which the bundled Fandol fonts lack), so the tests do
//! not depend on the fonts of the machine.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::*;

fn run_fonts(dir: &Path, font_dirs: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BULLETIN_FONT_DIRS", font_dirs)
        .output()
        .expect("run bulletin")
}

fn fixture_fonts() -> std::path::PathBuf {
    repo_root().join("tests/fixtures/fonts")
}

const ITEM: &str = "+++\ntitle = \"浉河区召开养老服务推进会\"\nunit = \"浉河区民政局\"\ndate = 2025-12-05\ncategory = \"工作动态\"\n+++\n\n12月5日，**浉河区**召开会议。\n";

/// Issue 39 with one item whose title, unit and body (plain and bold) hold 浉.
fn shi_workspace() -> TempDir {
    let ws = workspace();
    ws.write("issues/39/01.md", ITEM);
    ws
}

#[test]
fn the_report_names_the_character_its_places_and_the_font() {
    let ws = shi_workspace();
    let o = run_fonts(ws.path(), &fixture_fonts(), &["fonts", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // Each role's own font, with its [fonts] key.
    assert!(
        out.contains("title") && out.contains("FandolSong-Bold"),
        "{out}"
    );
    assert!(
        out.contains("body") && out.contains("FandolFang-Regular"),
        "{out}"
    );
    assert!(out.contains("“浉” U+6D49"), "{out}");
    let (l, c) = line_col(ITEM, "浉河区召开");
    assert!(out.contains(&format!("issues/39/01.md:{l}:{c}")), "{out}");
    let (l, c) = line_col(ITEM, "浉河区民政局");
    assert!(out.contains(&format!("issues/39/01.md:{l}:{c}")), "{out}");
    // The Song title takes the Serif (Song) face, the bold run the Sans
    // (Hei) face: a face of the role's own style is preferred.
    let serif = out
        .lines()
        .position(|x| x.contains("NotoSerifCJKsc"))
        .expect(&out);
    let sans = out
        .lines()
        .position(|x| x.contains("NotoSansCJKsc"))
        .expect(&out);
    let block = |from: usize| -> String {
        out.lines()
            .skip(from)
            .take_while(|x| !x.contains("处理"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(block(serif).contains("title"), "{out}");
    assert!(!block(serif).contains("bold"), "{out}");
    assert!(block(sans).contains("bold"), "{out}");
    let (l, c) = line_col(ITEM, "浉河区**");
    assert!(block(sans).contains(&format!("01.md:{l}:{c}")), "{out}");
    // What to do, with the real key.
    assert!(
        out.contains("[fonts] 里写 title = [\"FandolSong-Bold\""),
        "{out}"
    );
}

#[test]
fn the_report_as_json() {
    let ws = shi_workspace();
    let o = run_fonts(ws.path(), &fixture_fonts(), &["fonts", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["issue"], 39);
    let title = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "title")
        .unwrap();
    assert_eq!(title["font"], "FandolSong-Bold");
    let chars = v["chars"].as_array().unwrap();
    let song = chars
        .iter()
        .find(|c| c["char"] == "浉" && c["roles"].as_array().unwrap().contains(&"title".into()))
        .expect("浉 in the title");
    assert_eq!(song["code"], "U+6D49");
    assert_eq!(song["installed"], true);
    assert!(
        song["font"].as_str().unwrap().starts_with("NotoSerifCJKsc"),
        "{song}"
    );
    let (l, c) = line_col(ITEM, "浉河区召开");
    assert!(
        song["places"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "issues/39/01.md" && p["line"] == l && p["column"] == c),
        "{song}"
    );
}

#[test]
fn a_character_no_font_has_is_listed_with_its_places() {
    let ws = shi_workspace();
    let empty = TempDir::new("no-fonts");
    let o = run_fonts(ws.path(), empty.path(), &["fonts", "39"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("“浉” U+6D49：没有任何字体有此字"), "{out}");
    let (l, c) = line_col(ITEM, "浉河区民政局");
    assert!(out.contains(&format!("issues/39/01.md:{l}:{c}")), "{out}");
}

#[test]
fn an_issue_in_its_own_fonts_says_so() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        submission(
            "市民政局召开会议",
            "市局办公室",
            "2025-12-05",
            "工作动态",
            "会议强调，要压实责任。",
        ),
    );
    let o = run_fonts(ws.path(), &fixture_fonts(), &["fonts"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("本期每个字都由所在用途自己的字体印出"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_build_warning_names_every_role_of_the_character() {
    let ws = shi_workspace();
    let (_out, o) = build_into_with(
        |args| run_fonts(ws.path(), &fixture_fonts(), args),
        &["39", "--format", "pdf"],
    );
    let e = stderr(&o);
    assert_eq!(e.matches("W082").count(), 1, "{e}");
    for key in ["title（", "body（", "bold（"] {
        assert!(e.contains(key), "{key}: {e}");
    }
}
