//! The shape of an issue beyond its text: an end block without an editor
//! (F001), a 简讯 item with a title that will not be printed (L004).

use super::{diag, diag_at};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::{Issue, SectionStyle};

pub fn check(issue: &Issue, config: &Config) -> Diagnostics {
    let mut out = Diagnostics::default();
    let editor = issue.footer.editor.as_deref().map(str::trim).unwrap_or("");
    if editor.is_empty() {
        let d = diag("F001", "版记没有写编辑：印出的版记里不会有“编辑”一行").with_hint(
            "在 bulletin.toml 的 [footer] 里写上编辑的姓名，例如 editor = \"张三\"；\
                 没有编辑时，也无法阻止编辑本人签核自己编的一期",
        );
        out.push(config.located.at_value(d, "footer.editor"));
    }
    for section in &issue.sections {
        if section.style != SectionStyle::Brief {
            continue;
        }
        for item in &section.items {
            let (Some(title), Some(span)) = (&item.title, &item.title_span) else {
                continue;
            };
            out.push(diag_at(
                "L004",
                &item.source,
                span.clone(),
                format!(
                    "简讯栏“{}”的稿件写了标题“{title}”：简讯不印标题",
                    section.name
                ),
                Some("删去 title 一行；若这篇要印标题，把 category 改成有标题的栏目".to_string()),
            ));
        }
    }
    out
}
