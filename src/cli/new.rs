//! `bulletin new`: a new submission with its front matter filled in.

use std::process::ExitCode;

use bulletin::ops;

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin new --unit 某某县民政局 --category 工作动态 --title 某某县开展特困人员走访慰问\n  bulletin new --unit 某某区民政局 --category 简讯 --issue 39"
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
    #[arg(long, value_name = "期号", value_parser = super::parse_issue_number)]
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
    let req = ops::create::SubmissionRequest {
        unit: &a.unit,
        category: &a.category,
        title: a.title.as_deref(),
        issue: a.issue,
        date: a.date.unwrap_or_else(super::today),
    };
    match ops::create::new_submission(&ws, &req) {
        Ok((path, number)) => {
            println!(
                "已新建投稿：{}\n请打开文件写正文，然后运行 bulletin build {number}",
                bulletin::diag::display_path(&path, Some(&ws.root)),
            );
            ExitCode::SUCCESS
        }
        Err(diags) => super::report_failure(&diags, Some(&ws.root)),
    }
}
