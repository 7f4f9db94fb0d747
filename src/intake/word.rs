//! Word files on their way into the issue: `.docx` read by [`docx`], old
//! `.doc`/`.wps` converted by LibreOffice first (or rejected with how to
//! save as .docx), the images written beside the submission under names
//! derived from it. Images written for a file that is then rejected (or
//! turns out a duplicate) are removed again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::convert::{Run, Stop, leave, reject};
use super::docx::{self, soffice};
use super::{Outcome, Row};
use crate::config::SectionStyle;
use crate::fsutil::file_name_safe;

/// Images this run wrote into the issue folder; removed on drop unless
/// kept.
#[derive(Debug, Default)]
pub(super) struct Written {
    paths: Vec<PathBuf>,
}

impl Written {
    pub(super) fn keep(mut self) {
        self.paths.clear();
    }
}

impl Drop for Written {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = fs::remove_file(p);
        }
    }
}

/// Extensions handled here.
pub(super) fn is_word(ext: &str) -> bool {
    matches!(ext, "docx" | "doc" | "wps")
}

impl Run<'_> {
    /// A Word file's submission text, with its images written.
    pub(super) fn word(
        &self,
        stem: &str,
        ext: &str,
        bytes: &[u8],
        row: &mut Row,
    ) -> Result<(String, Written), Stop> {
        let category = self
            .opts
            .defaults
            .category
            .clone()
            .or_else(|| self.ws.config.intake.category.clone());
        let Some(category) = category else {
            return Err(leave(
                "Word 稿件需要指定栏目：请用 --category 栏目 再导入（或在 bulletin.toml 的 [intake] 里写 category）",
            ));
        };
        if bytes.is_empty() {
            return Err(reject("文件是空的（可能没有复制完）"));
        }
        let converted;
        let docx_bytes: &[u8] = if bytes.starts_with(b"PK") {
            row.encoding = "Word（.docx）".to_string();
            if ext != "docx" {
                row.conversions.push(format!(
                    "文件实为 .docx 格式（扩展名是 .{ext}），按 .docx 读取"
                ));
            }
            bytes
        } else if ext == "docx" && !bytes.starts_with(soffice::OLE_MAGIC) {
            return Err(reject(format!(
                "不是有效的 Word 文档（.docx 文件应是一个压缩包），可能已损坏或只复制了一部分：{}",
                soffice::SAVE_AS_DOCX
            )));
        } else {
            let old = if ext == "wps" {
                "WPS 文字（.wps）"
            } else {
                "旧版 Word（.doc）"
            };
            let Some(program) = soffice::find() else {
                let what = if ext == "docx" {
                    "这个文件的扩展名是 .docx，内容却是旧版 Word（.doc）格式或设置了密码"
                        .to_string()
                } else {
                    format!("这是{}{old}格式", if ext == "wps" { " " } else { "" })
                };
                return Err(reject(format!(
                    "{what}，本机没有安装 LibreOffice，无法自动转换：{}",
                    soffice::SAVE_AS_DOCX
                )));
            };
            converted = soffice::to_docx(&program, bytes, ext, soffice::TIMEOUT).map_err(reject)?;
            row.encoding = format!("{} → .docx", ext.to_uppercase());
            row.conversions
                .push(format!("{old} 用 LibreOffice 转换为 .docx"));
            &converted
        };
        let brief = self
            .ws
            .config
            .section(&category)
            .is_some_and(|s| s.style == SectionStyle::Brief);
        let today = chrono::Local::now().date_naive();
        let input = docx::Input {
            bytes: docx_bytes,
            file_stem: stem,
            defaults: &self.opts.defaults,
            known_units: &self.ws.config.units.known,
            brief,
            today,
        };
        let draft = docx::read(&input).map_err(Stop::Reject)?;
        row.conversions.extend(draft.notes.iter().cloned());
        let base = {
            let b = file_name_safe(draft.title.as_deref().unwrap_or(""));
            if b.is_empty() {
                let s = file_name_safe(stem);
                if s.is_empty() {
                    "投稿".to_string()
                } else {
                    s
                }
            } else {
                b
            }
        };
        let mut written = Written::default();
        let mut names = Vec::new();
        for (i, pic) in draft.pictures.iter().enumerate() {
            let name = self
                .place_picture(&base, i + 1, pic, &mut written)
                .map_err(|e| Stop::Settled {
                    outcome: Outcome::Failed {
                        why: format!("无法把图片写入 {}（{e}）", self.issue_dir.display()),
                    },
                    kept: None,
                })?;
            names.push(name);
        }
        if !names.is_empty() {
            row.conversions
                .push(format!("图片 {} 张存为 {}", names.len(), names.join("、")));
        }
        Ok((draft.markdown(&category, &names), written))
    }

    /// `<base>-图N.ext` in the issue folder (or `-2`, `-3`, … when taken
    /// by another image); a file already there with the same bytes is
    /// reused, so the same document sent twice gives the same text.
    fn place_picture(
        &self,
        base: &str,
        n: usize,
        pic: &docx::Picture,
        written: &mut Written,
    ) -> io::Result<String> {
        for k in 1..1000 {
            let name = if k == 1 {
                format!("{base}-图{n}.{}", pic.ext)
            } else {
                format!("{base}-图{n}-{k}.{}", pic.ext)
            };
            let path = self.issue_dir.join(&name);
            if same_bytes(&path, &pic.bytes) {
                return Ok(name);
            }
            match crate::fsutil::write_new(&path, &pic.bytes) {
                Ok(()) => {
                    written.paths.push(path);
                    return Ok(name);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("同名图片太多"))
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|b| b == bytes)
}
