//! `bulletin issue new`

use std::process::ExitCode;

use bulletin::ops;

use super::Ctx;

#[derive(clap::Subcommand, Debug)]
pub enum IssueCommand {
    /// 新建一期：生成 issues/期号/issue.toml
    New(NewArgs),
}

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin issue new\n  bulletin issue new --number 40 --date 2025-12-22"
)]
pub struct NewArgs {
    /// 期号（默认：最后一期 + 1）
    #[arg(long, value_name = "期号", value_parser = super::parse_issue_number)]
    number: Option<u32>,
    /// 出刊日期，如 2025-12-08（默认今天）
    #[arg(long, value_name = "日期", value_parser = super::parse_date)]
    date: Option<chrono::NaiveDate>,
}

pub fn run(c: IssueCommand, ctx: &Ctx) -> ExitCode {
    let IssueCommand::New(a) = c;
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let date = a.date.unwrap_or_else(super::today);
    match ops::create::new_issue(&ws, a.number, date) {
        Ok((n, path)) => {
            println!(
                "已新建第{n}期：{}",
                bulletin::diag::display_path(&path, Some(&ws.root))
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            for d in diags {
                eprint!("{}", d.render(Some(&ws.root)));
            }
            ExitCode::from(super::EXIT_CONTENT)
        }
    }
}
