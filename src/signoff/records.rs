//! The store: `issues/N/signoffs.toml`, one `[[signoff]]` record per
//! role, read (every problem named by line) and written atomically.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::ItemDigest;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

pub const FILE: &str = "signoffs.toml";

const HAND_EDIT_HINT: &str =
    "签核记录由 bulletin check --sign 写入，不要手工修改；可用 --unsign 撤回后重新签核";

/// One sign-off as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub role: String,
    pub name: String,
    /// RFC 3339.
    pub time: String,
    pub digest: String,
    pub masthead: String,
    pub end_block: String,
    pub items: Vec<ItemDigest>,
    pub seal: String,
    /// 1-based line of the record in the file (0 when not from a file).
    pub line: usize,
}

impl Record {
    /// The seal binds every field: recomputed on read, it shows whether the
    /// record is as written by `--sign`.
    pub fn compute_seal(&self) -> String {
        let mut h = Sha256::new();
        for f in [
            "signoff-v1",
            &self.role,
            &self.name,
            &self.time,
            &self.digest,
            &self.masthead,
            &self.end_block,
        ] {
            h.update(format!("{}:{f};", f.len()).as_bytes());
        }
        for i in &self.items {
            for f in [&i.file, &i.label, &i.digest] {
                h.update(format!("{}:{f};", f.len()).as_bytes());
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    #[serde(default)]
    signoff: Vec<RecordDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordDe {
    role: toml::Spanned<String>,
    name: toml::Spanned<String>,
    time: toml::Spanned<String>,
    digest: toml::Spanned<String>,
    masthead: String,
    end_block: String,
    seal: String,
    #[serde(default)]
    items: Vec<ItemDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemDe {
    file: String,
    title: String,
    digest: String,
}

pub fn path(issue_dir: &Path) -> PathBuf {
    issue_dir.join(FILE)
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Read the sign-offs of an issue folder (none if the file is absent).
/// A malformed file is an error naming the line.
pub fn read(issue_dir: &Path) -> Result<Vec<Record>, Diagnostics> {
    let p = path(issue_dir);
    if !p.exists() {
        return Ok(Vec::new());
    }
    let one = |d: Diagnostic| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    };
    let src = crate::source::read(&p).map_err(one)?;
    parse(&src)
}

/// Parse signoffs.toml text (see [`read`]).
pub fn parse(src: &SourceFile) -> Result<Vec<Record>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let file: FileDe = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(e) => {
            let mut d = crate::config::toml_error::diagnostic(&src.path, &src.text, 0, &e);
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h}\n  = 提示：{HAND_EDIT_HINT}"),
                None => HAND_EDIT_HINT.to_string(),
            });
            diags.push(d);
            return Err(diags);
        }
    };
    let mut out = Vec::new();
    for r in file.signoff {
        let err = |span: std::ops::Range<usize>, msg: String| {
            Diagnostic::error("S001", msg)
                .at(&src.path, &src.text, span)
                .with_hint(HAND_EDIT_HINT)
        };
        let line = crate::diag::locate(&src.path, &src.text, r.role.span()).line;
        if r.role.get_ref().trim().is_empty() {
            diags.push(err(r.role.span(), "签核记录的 role（角色）为空".into()));
        }
        if r.name.get_ref().trim().is_empty() {
            diags.push(err(r.name.span(), "签核记录的 name（姓名）为空".into()));
        }
        if chrono::DateTime::parse_from_rfc3339(r.time.get_ref()).is_err() {
            diags.push(err(
                r.time.span(),
                format!("签核时间“{}”不是 RFC 3339 格式", r.time.get_ref()),
            ));
        }
        if !is_hex64(r.digest.get_ref()) {
            diags.push(err(
                r.digest.span(),
                "签核记录的 digest 不是 SHA-256 摘要".into(),
            ));
        }
        out.push(Record {
            role: r.role.into_inner(),
            name: r.name.into_inner(),
            time: r.time.into_inner(),
            digest: r.digest.into_inner(),
            masthead: r.masthead,
            end_block: r.end_block,
            items: r
                .items
                .into_iter()
                .map(|i| ItemDigest {
                    file: i.file,
                    label: i.title,
                    digest: i.digest,
                })
                .collect(),
            seal: r.seal,
            line,
        });
    }
    // One record per role.
    for (k, r) in out.iter().enumerate() {
        if let Some(first) = out[..k].iter().find(|o| o.role == r.role) {
            diags.push(
                Diagnostic::error(
                    "S001",
                    format!(
                        "角色“{}”有两条签核记录（另一条在第{}行）",
                        r.role, first.line
                    ),
                )
                .at(&src.path, &src.text, line_span(&src.text, r.line))
                .with_hint("删去多余的一条，或用 bulletin check --unsign 撤回后重新签核"),
            );
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

pub(super) fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end
}

/// The file text for `records` (in the order given).
pub fn render(records: &[Record]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# 签核记录：由 bulletin check --sign 写入，请勿手工修改（改动会使签核失效）。\n\
         # 撤回签核：bulletin check 期号 --unsign 角色\n",
    );
    for r in records {
        let _ = write!(
            out,
            "\n[[signoff]]\nrole = {}\nname = {}\ntime = {}\ndigest = {}\nmasthead = {}\nend_block = {}\nseal = {}\nitems = [\n",
            q(&r.role),
            q(&r.name),
            q(&r.time),
            q(&r.digest),
            q(&r.masthead),
            q(&r.end_block),
            q(&r.seal)
        );
        for i in &r.items {
            let _ = writeln!(
                out,
                "  {{ file = {}, title = {}, digest = {} }},",
                q(&i.file),
                q(&i.label),
                q(&i.digest)
            );
        }
        out.push_str("]\n");
    }
    out
}

/// Write the file for `records` atomically.
pub(super) fn write(file: &Path, records: &[Record]) -> Result<(), Diagnostics> {
    crate::fsutil::write_atomic(file, render(records).as_bytes()).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(
                "S006",
                format!("无法写入签核记录（{}）", crate::source::io_reason(&e)),
            )
            .in_file(file),
        );
        d
    })
}
