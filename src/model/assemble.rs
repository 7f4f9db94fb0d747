//! From the workspace's parsed files to the typed [`Issue`].

use std::sync::Arc;

use super::{Footer, Issue, Item, Section, Signoff, markdown};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits;
use crate::workspace::{IssueFiles, Workspace};

/// Unknown names in issue.toml `order` reported one by one; the rest are
/// counted.
const MAX_ORDER_ERRORS: usize = 50;

/// The submissions and the distinct images they show, together, over
/// [`limits::MAX_ISSUE_BYTES`]: an error naming the issue folder.
fn issue_size(dir: &std::path::Path, sections: &[Section]) -> Option<Diagnostic> {
    let mut total = 0u64;
    let mut images = std::collections::HashSet::new();
    for item in sections.iter().flat_map(|s| &s.items) {
        total += item.source.text.len() as u64;
        for v in super::walk::blocks(&item.blocks) {
            if let super::Block::Image(img) = v.block
                && images.insert(&img.path)
            {
                total += std::fs::metadata(&img.path).map_or(0, |m| m.len());
            }
        }
    }
    (total > limits::MAX_ISSUE_BYTES).then(|| {
        Diagnostic::error(
            "E005",
            format!(
                "本期的投稿和图片合计 {:.1} MB，超过了 {} MB 的上限",
                total as f64 / 1048576.0,
                limits::MAX_ISSUE_BYTES >> 20
            ),
        )
        .in_file(dir)
        .with_hint("请把图片缩小（2000 像素宽以内的 JPEG 一般不到 1 MB），或把部分稿件移到下一期")
    })
}

/// Assemble an issue: items grouped into the configured sections and
/// ordered. Warnings come back with the issue; errors refuse it.
pub fn assemble(ws: &Workspace, files: IssueFiles) -> Result<(Issue, Diagnostics), Diagnostics> {
    let (issue, diags, _) = assemble_partial(ws, files);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((issue, diags))
}

/// Assemble an issue whatever its errors, for a check that reports every
/// problem at once: with the diagnostics, and the files whose front matter
/// had errors (their items hold placeholders: no title, unit "", the
/// issue's date, the first section when the category was bad).
pub fn assemble_partial(
    ws: &Workspace,
    files: IssueFiles,
) -> (Issue, Diagnostics, Vec<std::path::PathBuf>) {
    let mut incomplete = Vec::new();
    let mut diags = Diagnostics::default();
    let config = &ws.config;
    let meta = &files.meta;
    let files_dir = files.dir.path.clone();
    let meta_at = crate::config::Located::new(Arc::new(files.meta_source.clone()));

    // issue.toml `order`: listed files first, in that order.
    let mut rank = std::collections::HashMap::new();
    if let Some(order) = &meta.order {
        let names: std::collections::HashSet<String> =
            files.submissions.iter().map(|s| s.file_name()).collect();
        let mut unknown = 0usize;
        for (i, name) in order.iter().enumerate() {
            if !names.contains(name) {
                unknown += 1;
                if unknown > MAX_ORDER_ERRORS {
                    continue;
                }
                let d =
                    Diagnostic::error("E033", format!("order 里列出的“{name}”不是本期的投稿文件"))
                        .with_hint("order 里只写本期目录下 .md 文件的文件名");
                diags.push(meta_at.at_value(d, &format!("order.{i}")));
            }
            rank.entry(name.clone()).or_insert(i);
        }
        if unknown > MAX_ORDER_ERRORS {
            diags.push(
                Diagnostic::error(
                    "E033",
                    format!(
                        "order 里另有 {} 个名字同样不是本期的投稿文件（只列出了前 {MAX_ORDER_ERRORS} 个）",
                        unknown - MAX_ORDER_ERRORS
                    ),
                )
                .in_file(&meta_at.source.path),
            );
        }
    }

    let mut sections: Vec<Section> = config
        .sections
        .iter()
        .map(|s| Section {
            name: s.name.clone(),
            heading: s.printed_heading().map(str::to_string),
            style: s.style,
            items: Vec::new(),
        })
        .collect();

    let mut keyed = Vec::new();
    for sub in files.submissions {
        let (blocks, d) = markdown::parse_body(&sub.source, sub.body_start, &ws.root);
        diags.extend(d);
        let file_name = sub.file_name();
        let key = (
            rank.get(&file_name).copied().unwrap_or(usize::MAX),
            sub.order.is_none(),
            sub.order.as_ref().map_or(0, |o| o.value),
            sub.date.value,
            file_name,
        );
        let Some(section) = sections.iter().position(|s| s.name == sub.category.value) else {
            continue; // reported by the submission parser
        };
        let mut date = sub.date.value;
        if !sub.complete {
            incomplete.push(sub.source.path.clone());
            if sub.date.span.is_empty() {
                date = meta.date;
            }
        }
        let item = Item {
            title: sub.title.as_ref().map(|t| t.value.clone()),
            title_span: sub.title.as_ref().map(|t| t.span.clone()),
            unit: sub.unit.value.clone(),
            unit_span: sub.unit.span.clone(),
            date,
            excerpt: sub.excerpt,
            blocks,
            source: Arc::new(sub.source),
        };
        keyed.push((section, key, item));
    }
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (section, _, item) in keyed {
        sections[section].items.push(item);
    }

    let footer_cfg = config.footer.merged(&meta.footer);
    let footer = Footer {
        lines: footer_cfg.lines.clone().unwrap_or_default(),
        editor: footer_cfg.editor.clone().filter(|e| !e.trim().is_empty()),
        signoffs: footer_cfg
            .signoffs
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|role| Signoff { role, name: None })
            .collect(),
        copies: footer_cfg.copies,
        draft: false,
        review_code: None,
    };

    let yearly = config.numbering == crate::config::Numbering::Yearly;
    if yearly && meta.year_number.is_none() {
        diags.push(
            Diagnostic::error(
                "E037",
                "bulletin.toml 设了按年编号（numbering = \"yearly\"），但 issue.toml 没有写年内期号 year_number",
            )
            .in_file(&meta_at.source.path)
            .with_hint("在 issue.toml 里加一行，例如：year_number = 1  # 本年第1期"),
        );
    }
    if meta.year_number == Some(0) {
        diags.push(
            meta_at.at_value(
                Diagnostic::error("E037", "年内期号 year_number 不能是 0：每年从第1期开始")
                    .with_hint("改为 1 或更大的数"),
                "year_number",
            ),
        );
    }
    if let Some(d) = issue_size(&files_dir, &sections) {
        diags.push(d);
    }
    let mut issue = Issue {
        root: ws.root.clone(),
        title: config.title.clone(),
        publisher: config.publisher.clone(),
        number: meta.number,
        total_number: meta.total_number,
        year_number: meta.year_number.filter(|_| yearly),
        date: meta.date,
        sections,
        footer,
        config_files: vec![meta_at, config.located.clone()],
        files: Default::default(),
        reviewers: config.reviewers.clone(),
        presentation: String::new(),
    };
    // The one place printed text loses bidi, zero-width and control
    // characters: every renderer reads this model.
    super::clean::clean_issue(&mut issue);
    (issue, diags, incomplete)
}

/// Open the workspace's issue `number` (or the newest) as a model.
pub fn load_issue(
    ws: &Workspace,
    number: Option<u32>,
) -> Result<(Issue, Diagnostics), Diagnostics> {
    let dir = ws.find_issue(number)?;
    let files = ws.read_issue(dir)?;
    assemble(ws, files)
}

/// Open issue `number` (or the newest) for a check of every problem at
/// once: the issue as far as it could be read (`None` when issue.toml
/// or the folder is unusable), every diagnostic, and the files whose front
/// matter had errors. See [`assemble_partial`].
pub fn load_issue_partial(
    ws: &Workspace,
    number: Option<u32>,
) -> (Option<(Issue, Vec<std::path::PathBuf>)>, Diagnostics) {
    let dir = match ws.find_issue(number) {
        Ok(d) => d,
        Err(d) => return (None, d),
    };
    let (files, mut diags) = ws.read_issue_partial(dir);
    let Some(files) = files else {
        return (None, diags);
    };
    let (issue, d, incomplete) = assemble_partial(ws, files);
    diags.extend(d);
    (Some((issue, incomplete)), diags)
}
