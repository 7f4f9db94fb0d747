//! `bulletin list`: issues with number, date and items per section.

use std::process::ExitCode;

use bulletin::ops::{self, list::Listed};

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(next_help_heading = "选项", after_help = "示例：\n  bulletin list")]
pub struct Args {}

pub fn run(_a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let listed = match ops::list::list(&ws) {
        Ok(l) => l,
        Err(diags) => return super::report_failure(&diags, Some(&ws.root)),
    };
    if listed.is_empty() {
        println!("还没有任何一期。新建：bulletin issue new");
        return ExitCode::SUCCESS;
    }
    let mut failed = false;
    for entry in listed {
        match entry {
            Listed::Issue {
                number,
                date,
                sections,
            } => {
                let counts: Vec<String> = sections
                    .iter()
                    .map(|(name, n)| format!("{name} {n}"))
                    .collect();
                println!(
                    "第{number}期\t{}\t{}",
                    bulletin::dates::format_cn(date),
                    bulletin::text::terminal_safe(&counts.join("，"))
                );
            }
            Listed::Broken { number, errors } => {
                failed = true;
                println!("第{number}期\t有 {errors} 个错误（运行 bulletin build {number} 查看）");
            }
        }
    }
    if failed {
        ExitCode::from(super::EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
