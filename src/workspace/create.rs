//! Creating things in a workspace: a new workspace, a new issue, a new
//! submission. Nothing existing is ever overwritten.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::{CONFIG_FILE, ISSUE_FILE, ISSUES_DIR, Workspace};
use crate::diag::Diagnostic;
use crate::fsutil;

const INIT_TEMPLATE: &str = include_str!("init.toml");

/// TOML basic-string escaping.
pub fn toml_string(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A refused write as a diagnostic; an existing file is never overwritten.
fn refused(r: &fsutil::Refused) -> Diagnostic {
    if r.io_kind() == Some(std::io::ErrorKind::AlreadyExists) {
        Diagnostic::error("E051", "文件已存在，不会覆盖").in_file(&r.path)
    } else {
        r.diagnostic("写入")
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        Diagnostic::error("E051", "文件已存在，不会覆盖").in_file(path)
    } else {
        Diagnostic::error(
            "E050",
            format!("无法写入文件（{}）", crate::source::io_reason(e)),
        )
        .in_file(path)
    }
}

/// The bulletin.toml a new workspace starts with: every table, the
/// optional ones commented out, inline comments aligned.
pub fn init_config(title: &str, publisher: &str, editor: &str) -> String {
    align_comments(
        &INIT_TEMPLATE
            .replace("{title}", &toml_string(title))
            .replace("{publisher}", &toml_string(publisher))
            .replace("{editor}", &toml_string(editor)),
    )
}

/// Split a TOML line into its code and inline comment: `("# " or "",
/// code, comment)`. A commented-out setting (`# key = value  # why`) counts
/// as code; a line that is only a comment has none.
fn split_comment(line: &str) -> Option<(&str, &str, &str)> {
    let (lead, rest) = match line.strip_prefix("# ") {
        Some(r)
            if r.starts_with('[')
                || (r.starts_with(|c: char| c.is_ascii_alphabetic()) && r.contains(" = ")) =>
        {
            ("# ", r)
        }
        Some(_) => return None,
        None if line.starts_with('#') => return None,
        None => ("", line),
    };
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '#' if !in_str => {
                let code = rest[..i].trim_end();
                if code.is_empty() {
                    return None;
                }
                return Some((lead, code, rest[i..].trim_end()));
            }
            _ => {}
        }
    }
    None
}

/// Inline comments of each paragraph (lines between blank lines) start at
/// the same terminal column, counting CJK characters as two cells.
pub fn align_comments(text: &str) -> String {
    let width = |s: &str| s.chars().map(crate::text::terminal_width).sum::<usize>();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 512);
    let mut start = 0;
    while start < lines.len() {
        let end = lines[start..]
            .iter()
            .position(|l| l.trim().is_empty() || l.trim() == "#")
            .map_or(lines.len(), |p| start + p + 1);
        let block = &lines[start..end];
        let col = block
            .iter()
            .filter_map(|l| split_comment(l))
            .map(|(lead, code, _)| width(lead) + width(code) + 2)
            .max()
            .unwrap_or(0);
        for l in block {
            match split_comment(l) {
                Some((lead, code, comment)) => {
                    let w = width(lead) + width(code);
                    out.push_str(lead);
                    out.push_str(code);
                    out.push_str(&" ".repeat(col - w));
                    out.push_str(comment);
                }
                None => out.push_str(l),
            }
            out.push('\n');
        }
        start = end;
    }
    out
}

/// Make a new workspace in `dir`: bulletin.toml and an empty issues/.
pub fn init_workspace(
    dir: &Path,
    title: &str,
    publisher: &str,
    editor: &str,
) -> Result<PathBuf, Diagnostic> {
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(
            Diagnostic::error("E051", "这里已经是工作区（已有 bulletin.toml），不会覆盖")
                .in_file(&config)
                .with_hint("换一个目录，或直接在这个工作区里用 bulletin issue new 新建一期"),
        );
    }
    // The folder the editor named is trusted as given; below it nothing is
    // written through a symlink.
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    let b = fsutil::Boundary::new(dir);
    b.write_new(&config, init_config(title, publisher, editor).as_bytes())
        .map_err(|r| refused(&r))?;
    let issues = dir.join(ISSUES_DIR);
    b.ensure_dir(&issues).map_err(|r| refused(&r))?;
    Ok(config)
}

/// The issue.toml text of a new issue; `total` is its 总第N期 when known,
/// `year_number` its number within the year when the workspace numbers by
/// year.
pub fn issue_toml(
    number: u32,
    date: NaiveDate,
    total: Option<u32>,
    year_number: Option<u32>,
) -> String {
    let total = match total {
        Some(t) => format!("total_number = {t:<13}# 总第N期（上一期加 1）\n"),
        None => "# total_number = 120        # 总第N期（可选）\n".to_string(),
    };
    let (heading, year) = match year_number {
        Some(y) => (
            format!("{}年第{y}期（总第{number}期）", date.year()),
            format!(
                "year_number = {y:<14}# {}年第{y}期（每年从 1 起）\n",
                date.year()
            ),
        ),
        None => (format!("第{number}期"), String::new()),
    };
    format!(
        "# {heading}\nnumber = {number}\ndate = {}\n{year}{total}# order = [\"a.md\", \"b.md\"]  # 固定稿件顺序（可选）\n",
        date.format("%Y-%m-%d")
    )
}

/// The 总第N期 of the issue before `number`, plus one, when that issue has
/// one and its issue.toml reads cleanly.
fn next_total(ws: &Workspace, dirs: &[super::IssueDir], number: u32) -> Option<u32> {
    let prev = dirs.iter().rev().find(|d| d.number < number)?;
    let meta = read_meta(ws, prev)?;
    meta.total_number?.checked_add(number - prev.number)
}

fn read_meta(ws: &Workspace, dir: &super::IssueDir) -> Option<super::IssueMeta> {
    let src = crate::source::read(&ws.boundary(), &dir.path.join(ISSUE_FILE)).ok()?;
    super::IssueMeta::parse(&src).ok()
}

/// The number within `date`'s year of a new issue: one more than the
/// largest `year_number` of the other issues of that year, or 1.
fn next_year_number(ws: &Workspace, dirs: &[super::IssueDir], date: NaiveDate) -> u32 {
    dirs.iter()
        .filter_map(|d| read_meta(ws, d))
        .filter(|m| m.date.year() == date.year())
        .filter_map(|m| m.year_number)
        .max()
        .map_or(1, |n| n.saturating_add(1))
}

/// Create `issues/<N>/issue.toml`. `number` defaults to the last + 1.
pub fn new_issue(
    ws: &Workspace,
    number: Option<u32>,
    date: NaiveDate,
) -> Result<(u32, PathBuf), Vec<Diagnostic>> {
    let dirs = ws.issue_dirs().map_err(|d| d.items)?;
    if number == Some(0) {
        return Err(vec![
            Diagnostic::error("E052", "期号不能是 0：期号从 1 开始")
                .with_hint("用 --number 指定 1 或更大的期号，或不写 --number 自动取下一期"),
        ]);
    }
    let number = match number {
        Some(n) => n,
        None => match dirs.last() {
            None => 1,
            Some(last) => last.number.checked_add(1).ok_or_else(|| {
                vec![
                    Diagnostic::error(
                        "E052",
                        format!("最后一期已是第{}期，期号不能再大了", last.number),
                    )
                    .in_file(&last.path)
                    .with_hint("期号最大为 4294967295：请检查这个期目录的名字是否写错"),
                ]
            })?,
        },
    };
    if let Some(d) = dirs.iter().find(|d| d.number == number) {
        return Err(vec![
            Diagnostic::error("E051", format!("第{number}期已经存在"))
                .in_file(&d.path)
                .with_hint("不写 --number 时会自动取下一期"),
        ]);
    }
    let path = ws.issues_dir().join(number.to_string()).join(ISSUE_FILE);
    ws.boundary()
        .write_new(
            &path,
            issue_toml(
                number,
                date,
                next_total(ws, &dirs, number),
                (ws.config.numbering == crate::config::Numbering::Yearly)
                    .then(|| next_year_number(ws, &dirs, date)),
            )
            .as_bytes(),
        )
        .map_err(|r| vec![refused(&r)])?;
    Ok((number, path))
}

pub struct NewSubmission<'a> {
    pub unit: &'a str,
    pub category: &'a str,
    pub title: Option<&'a str>,
    pub date: NaiveDate,
    pub body: Option<&'a str>,
}

/// The body `bulletin new` writes when none is given; `check` (C010) and
/// `build --final` refuse it while it is still there.
pub const PLACEHOLDER_BODY: &str = "（请在此处写正文。每段之间空一行。）";

/// The words of [`PLACEHOLDER_BODY`] that are looked for: its brackets or
/// punctuation may have been edited.
pub const PLACEHOLDER_WORDS: &str = "请在此处写正文";

/// The text of a new submission.
pub fn submission_text(s: &NewSubmission) -> String {
    let mut out = String::from("+++\n");
    if let Some(t) = s.title {
        out.push_str(&format!("title = \"{}\"\n", toml_string(t)));
    }
    out.push_str(&format!("unit = \"{}\"\n", toml_string(s.unit)));
    out.push_str(&format!("date = {}\n", s.date.format("%Y-%m-%d")));
    out.push_str(&format!("category = \"{}\"\n", toml_string(s.category)));
    out.push_str("+++\n\n");
    out.push_str(s.body.unwrap_or(PLACEHOLDER_BODY));
    out.push('\n');
    out
}

/// Write a new submission into issue `dir`, never overwriting: a taken name
/// gets -2, -3 ….
pub fn new_submission(
    ws: &Workspace,
    dir: &Path,
    s: &NewSubmission,
) -> Result<PathBuf, Diagnostic> {
    let stem = fsutil::file_name_safe(&format!("{}-{}", s.unit, s.title.unwrap_or(s.category)));
    let stem = if stem.is_empty() { "投稿" } else { &stem };
    let text = submission_text(s);
    ws.boundary()
        .write_unique(dir, stem, "md", text.as_bytes())
        .map_err(|r| refused(&r))
}
