//! Where a file goes when intake is done with it: the original of an
//! accepted (or duplicate) file into `processed/<date>/`, a rejected file
//! into `rejected/` with a reason file beside it. Nothing is overwritten.

use std::path::Path;

use super::convert::Run;
use super::{Outcome, PROCESSED_DIR, REASON_SUFFIX, REJECTED_DIR, Row};

impl Run<'_> {
    /// Move the original into processed/<date>/ and finish the row.
    pub(super) fn keep_original(
        &self,
        name: &str,
        path: &Path,
        mut row: Row,
        outcome: Outcome,
    ) -> Row {
        let dir = self.inbox.join(PROCESSED_DIR).join(&self.today);
        match self.inbox_b.move_unique(path, &dir, name) {
            Ok(kept) => {
                row.kept = Some(kept);
                row.outcome = outcome;
            }
            Err(e) => {
                let done = match &outcome {
                    Outcome::Accepted { dest, .. } => format!(
                        "已导入为 {}，但原文件无法移入 processed/（{e}）；下次导入会识别为重复",
                        crate::diag::display_path(dest, Some(&self.ws.root))
                    ),
                    _ => format!("原文件无法移入 processed/（{e}）"),
                };
                row.outcome = Outcome::Failed { why: done };
            }
        }
        row
    }

    /// Move the file to rejected/ and write the reason beside it.
    pub(super) fn reject(
        &self,
        name: &str,
        path: &Path,
        mut row: Row,
        problems: Vec<String>,
    ) -> Row {
        let dir = self.inbox.join(REJECTED_DIR);
        let dest = match self.inbox_b.move_unique(path, &dir, name) {
            Ok(d) => d,
            Err(e) => {
                row.outcome = Outcome::Failed {
                    why: format!(
                        "应退回，但无法移入 rejected/（{e}）：{}",
                        problems.join("；")
                    ),
                };
                return row;
            }
        };
        let final_name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = reason_text(name, &final_name, &problems);
        let reason_base = format!("{final_name}{}", REASON_SUFFIX.trim_end_matches(".txt"));
        let reason_file =
            match self
                .inbox_b
                .write_unique(&dir, &reason_base, "txt", text.as_bytes())
            {
                Ok(p) => p,
                Err(e) => {
                    row.outcome = Outcome::Failed {
                        why: format!("已移入 rejected/，但无法写原因文件（{e}）"),
                    };
                    return row;
                }
            };
        row.outcome = Outcome::Rejected {
            dest,
            reason_file,
            problems,
        };
        row
    }
}

/// The text of the reason file of a rejected file.
fn reason_text(original: &str, stored: &str, problems: &[String]) -> String {
    let mut t = format!(
        "退回的文件：{original}\n保存为：rejected/{stored}\n处理时间：{}\n\n未能导入的原因：\n",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
    );
    for (i, p) in problems.iter().enumerate() {
        t.push_str(&format!("{}. {p}\n", i + 1));
    }
    t.push_str("\n处理办法：请改正以上问题后，把文件重新放入收件箱，再运行 bulletin intake。\n");
    t
}
