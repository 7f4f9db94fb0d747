//! `bulletin new`: a new submission with its front matter filled in.

use std::process::ExitCode;

use bulletin::diag::Diagnostic;
use bulletin::workspace::config::SectionStyle;
use bulletin::workspace::create::{self, NewSubmission};
use bulletin::workspace::toml_error::closest;

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin new --unit 南召县民政局 --category 工作动态 --title 南召县开展特困人员走访慰问\n  bulletin new --unit 桐柏县民政局 --category 简讯 --issue 39"
)]
pub struct Args {
    /// 来源单位，印作（单位）
    #[arg(long, value_name = "单位")]
    unit: String,
    /// 栏目，须是 bulletin.toml 中定义的栏目名
    #[arg(long, value_name = "栏目")]
    category: String,
    /// 标题（简讯栏可不写）
    #[arg(long, value_name = "标题")]
    title: Option<String>,
    /// 放入第几期（默认最新一期）
    #[arg(long, value_name = "期号")]
    issue: Option<u32>,
    /// 稿件日期（默认今天）
    #[arg(long, value_name = "日期", value_parser = super::parse_date)]
    date: Option<chrono::NaiveDate>,
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let fail = |d: Diagnostic| {
        eprint!("{}", d.render(Some(&ws.root)));
        ExitCode::from(super::EXIT_CONTENT)
    };
    let Some(section) = ws.config.section(&a.category) else {
        let names: Vec<&str> = ws.config.sections.iter().map(|s| s.name.as_str()).collect();
        let mut d = Diagnostic::error(
            "E017",
            format!("栏目“{}”没有在 bulletin.toml 中定义", a.category),
        )
        .in_file(&ws.config_source.path);
        d = d.with_hint(match closest(&a.category, names.iter().copied()) {
            Some(b) => format!("是不是“{b}”？可用的栏目：{}", names.join("、")),
            None => format!("可用的栏目：{}", names.join("、")),
        });
        return fail(d);
    };
    let title = a.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if title.is_none() && section.style != SectionStyle::Brief {
        return fail(
            Diagnostic::error("E010", format!("栏目“{}”的稿件需要标题", a.category))
                .with_hint("加上 --title 标题"),
        );
    }
    let dir = match ws.find_issue(a.issue) {
        Ok(d) => d,
        Err(diags) => return super::report_failure(&diags, Some(&ws.root)),
    };
    let sub = NewSubmission {
        unit: a.unit.trim(),
        category: &a.category,
        title,
        date: a.date.unwrap_or_else(super::today),
        body: None,
    };
    match create::new_submission(&dir.path, &sub) {
        Ok(path) => {
            println!(
                "已新建投稿：{}\n请打开文件写正文，然后运行 bulletin build {}",
                bulletin::diag::display_path(&path, Some(&ws.root)),
                dir.number
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(d),
    }
}
