//! `bulletin list`: issues with number, date and items per section.

use std::process::ExitCode;

use bulletin::model;

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(next_help_heading = "选项", after_help = "示例：\n  bulletin list")]
pub struct Args {}

pub fn run(_a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let dirs = match ws.issue_dirs() {
        Ok(d) => d,
        Err(diags) => return super::report_failure(&diags, Some(&ws.root)),
    };
    if dirs.is_empty() {
        println!("还没有任何一期。新建：bulletin issue new");
        return ExitCode::SUCCESS;
    }
    let mut failed = false;
    for dir in dirs {
        let number = dir.number;
        match ws.read_issue(dir).and_then(|f| model::assemble(&ws, f)) {
            Ok((issue, _)) => {
                let counts: Vec<String> = issue
                    .sections
                    .iter()
                    .map(|s| format!("{} {}", s.name, s.items.len()))
                    .collect();
                println!(
                    "第{}期\t{}\t{}",
                    issue.number,
                    issue.date_label(),
                    counts.join("，")
                );
            }
            Err(diags) => {
                failed = true;
                println!(
                    "第{number}期\t有 {} 个错误（运行 bulletin build {number} 查看）",
                    diags.error_count()
                );
            }
        }
    }
    if failed {
        ExitCode::from(super::EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
