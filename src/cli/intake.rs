//! `bulletin intake`: bring the inbox's files into an issue.

use std::process::ExitCode;
use std::time::Duration;

use bulletin::intake::{self, Options, Outcome, Report, txt::Defaults};
use bulletin::text::is_wide;

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "收件箱（默认工作区的 inbox/）里的每个文件：\n  .md   须带 +++ 头信息，与投稿要求相同\n  .txt  第一个非空行是标题，其余是正文：一行一段，\n        若段与段之间有空行，则以空行分段；\n        来源单位和日期取自文件名“单位_YYYY-MM-DD_标题.txt”，\n        例如 某某县民政局_2025-12-03_开展冬季救助.txt；\n        文件名里没有的，用 --unit、--date 指定；\n        栏目用 --category 指定（或 bulletin.toml 的 [intake] category），\n        没有指定栏目的 .txt 留在收件箱\n  .docx Word/WPS 文档：一段一段照原文，保留加粗、倾斜、小标题\n        （标题样式或 一、（一）1. 开头的短句）、列表、表格、图片及图片说明；\n        去掉段首空格缩进、空段、分页符和批注，修订按接受处理；\n        标题取自“标题”样式或居中/加粗的第一段；来源单位和日期依次取自\n        “来源：”一行、文末的（单位）和日期、文件名、文档属性、--unit/--date；\n        栏目同 .txt；图片存为“标题-图1.png”等，与稿件放在一起\n  .doc .wps  旧格式，本机装有 LibreOffice 时先转为 .docx，否则退回并说明如何另存\n  其他  退回\n\n编码（GBK/GB18030、UTF-16、带 BOM 的 UTF-8）和换行会自动转换为 UTF-8。\n导入的稿件放入 issues/期号/，原文件保存在 inbox/processed/日期/；\n退回的文件移到 inbox/rejected/，旁边的“文件名.原因.txt”写明原因。\n正在写入的文件（几秒内刚修改、~$、.part、.tmp、.crdownload）留待下次。\n任何文件都不会被删除或覆盖。有文件被退回时退出码为 1。\n\n示例：\n  bulletin intake\n  bulletin intake --issue 39 --category 简讯\n  bulletin intake --unit 某某县民政局 --date 2025-12-03 --category 工作动态"
)]
pub struct Args {
    /// 导入到第几期（默认最新一期）
    #[arg(long, value_name = "期号", value_parser = super::parse_issue_number)]
    issue: Option<u32>,
    /// .txt、Word 稿件里找不到单位时使用的来源单位
    #[arg(long, value_name = "单位")]
    unit: Option<String>,
    /// .txt、Word 稿件里找不到日期时使用的稿件日期
    #[arg(long, value_name = "日期", value_parser = super::parse_date)]
    date: Option<chrono::NaiveDate>,
    /// .txt、Word 稿件放入的栏目
    #[arg(long, value_name = "栏目")]
    category: Option<String>,
    /// 多少秒内修改过的文件视为仍在写入、留待下次（默认 5，可在 bulletin.toml 的 [intake] 设置）
    #[arg(long, value_name = "秒")]
    settle: Option<u64>,
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let opts = Options {
        issue: a.issue,
        defaults: Defaults {
            unit: a
                .unit
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty()),
            date: a.date,
            category: a.category.map(|c| c.trim().to_string()),
        },
        settle: a.settle.map(Duration::from_secs),
    };
    let report = match bulletin::ops::intake::intake(&ws, &opts) {
        Ok(r) => r,
        Err(diags) => return super::report_failure(&diags, Some(&ws.root)),
    };
    let shown = |p: &std::path::Path| intake::shown(&ws, p);
    if let Some(s) = &report.stale_lock {
        eprintln!("注意：上一次导入（{s}）没有正常结束，已接管它留下的锁文件。");
    }
    if report.created_inbox {
        println!(
            "收件箱 {} 原先不存在，已新建。请把各单位的来稿放进去，再运行 bulletin intake。",
            shown(&report.inbox)
        );
        return ExitCode::SUCCESS;
    }
    if report.rows.is_empty() {
        println!("收件箱 {} 里没有待导入的文件。", shown(&report.inbox));
        return ExitCode::SUCCESS;
    }
    print_table(&report, &shown);
    if report.has_failures() {
        ExitCode::from(super::EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file name or note for the terminal: control characters escaped.
fn safe(s: &str) -> String {
    bulletin::text::terminal_safe(s).into_owned()
}

fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn print_table(report: &Report, shown: &dyn Fn(&std::path::Path) -> String) {
    let mut rows: Vec<[String; 4]> = vec![[
        "文件".to_string(),
        "结果".to_string(),
        "编码".to_string(),
        "去向".to_string(),
    ]];
    let mut notes = Vec::new();
    for r in &report.rows {
        let (result, dest) = match &r.outcome {
            Outcome::Accepted { dest, warnings } => {
                for w in warnings {
                    notes.push(format!("{}：警告：{w}", r.file));
                }
                (
                    if warnings.is_empty() {
                        "已导入"
                    } else {
                        "已导入（有警告）"
                    },
                    shown(dest),
                )
            }
            Outcome::Duplicate { existing } => {
                ("重复，未导入", format!("已有 {}", shown(existing)))
            }
            Outcome::Rejected {
                dest,
                reason_file,
                problems,
            } => {
                for p in problems {
                    notes.push(format!("{}：{p}", r.file));
                }
                notes.push(format!("{}：原因已写入 {}", r.file, shown(reason_file)));
                ("退回", shown(dest))
            }
            Outcome::Left { why } => {
                notes.push(format!("{}：{why}", r.file));
                ("暂不处理", "留在收件箱".to_string())
            }
            Outcome::Failed { why } => {
                notes.push(format!("{}：{why}", r.file));
                ("失败", "留在收件箱".to_string())
            }
        };
        let others: Vec<&String> = r.conversions.iter().filter(|c| **c != r.encoding).collect();
        if !others.is_empty() {
            notes.push(format!(
                "{}：{}",
                r.file,
                others
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("，")
            ));
        }
        let enc = if r.encoding.is_empty() {
            "—".to_string()
        } else {
            r.encoding.clone()
        };
        rows.push([safe(&r.file), result.to_string(), enc, dest]);
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    println!(
        "导入到第{}期（{}）：",
        report.issue,
        shown(&report.issue_dir)
    );
    for (n, r) in rows.iter().enumerate() {
        let line: Vec<String> = (0..4).map(|i| pad(&r[i], widths[i])).collect();
        println!("  {}", line.join("  ").trim_end());
        if n == 0 {
            println!("  {}", "-".repeat(widths.iter().sum::<usize>() + 6));
        }
    }
    if !notes.is_empty() {
        println!("\n说明：");
        for n in notes {
            println!("  {}", safe(&n));
        }
    }
    let count = |f: fn(&Outcome) -> bool| report.count(f);
    println!(
        "\n共 {} 个文件：导入 {}，重复 {}，退回 {}，暂不处理 {}，失败 {}",
        report.rows.len(),
        count(|o| matches!(o, Outcome::Accepted { .. })),
        count(|o| matches!(o, Outcome::Duplicate { .. })),
        count(|o| matches!(o, Outcome::Rejected { .. })),
        count(|o| matches!(o, Outcome::Left { .. })),
        count(|o| matches!(o, Outcome::Failed { .. })),
    );
}
