//! `bulletin build [N]`

use std::path::PathBuf;
use std::process::ExitCode;

use bulletin::ops::{self, build::BuildRequest, build::Stage};
use bulletin::render::Format;

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin build 39\n  bulletin build 39 --format html --out 发布"
)]
pub struct Args {
    /// 期号（默认最新一期）
    #[arg(value_name = "期号", help_heading = "参数", value_parser = super::parse_issue_number)]
    number: Option<u32>,
    /// 输出目录（默认工作区的 out/），文件写入 输出目录/期号/
    #[arg(long, value_name = "目录")]
    out: Option<PathBuf>,
    /// 输出格式，逗号分隔：html、pdf
    #[arg(long, value_name = "格式", value_delimiter = ',', default_value = "html,pdf", value_parser = parse_format)]
    format: Vec<Format>,
    /// 编排所有期次，并生成往期目录 index.html 和订阅源 feed.xml（内容未改动的期次跳过）
    #[arg(long, conflicts_with = "number")]
    all: bool,
    /// 正式版：所有签核都有效才编排，并印出签核人姓名（否则为送审稿）
    #[arg(long = "final", conflicts_with = "all")]
    final_build: bool,
    /// 与 --all 一起用：签核未全部有效的期次也编排成送审稿，并在往期目录和订阅源中标明
    #[arg(long, requires = "all")]
    drafts: bool,
    /// 字体中缺字时画方框占位并警告，而不是报错（仅供出样稿）
    #[arg(long)]
    allow_missing_glyphs: bool,
    /// 同时列出 PDF 的版面报告：每页不在网格上的行、最大字距增量、松散行、拆开的词组、违反保持规则之处
    #[arg(long, conflicts_with = "all")]
    report: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "html" => Ok(Format::Html),
        "pdf" => Ok(Format::Pdf),
        _ => Err("只支持 html 和 pdf".to_string()),
    }
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let req = BuildRequest {
        number: a.number,
        formats: a.format.clone(),
        out_dir: a.out.clone(),
        final_build: a.final_build,
        allow_missing_glyphs: a.allow_missing_glyphs,
        drafts: a.drafts,
        report: a.report,
    };
    if a.all {
        return super::build_all::run(&ws, &req);
    }
    let outcome = ops::build::build(&ws, &req);
    super::print_diagnostics(&outcome.load_warnings, Some(&ws.root));
    let built = match outcome.result {
        Ok(b) => b,
        Err(refused) => {
            match refused.stage {
                Stage::Build => eprintln!("编排失败，没有写出任何文件。"),
                Stage::Final => eprintln!("不能出正式版，没有写出任何文件。"),
                Stage::Write => {}
            }
            return super::report_failure(&refused.diags, Some(&ws.root));
        }
    };
    super::print_diagnostics(&built.warnings, Some(&ws.root));
    for note in &built.notes {
        eprintln!("注意：{}", bulletin::text::terminal_safe(note));
    }
    let kind = if built.draft {
        "送审稿"
    } else {
        "正式版"
    };
    println!(
        "已编排第{}期{kind}（{} 篇稿件）：",
        built.number, built.items
    );
    for o in &built.outputs {
        println!("  {}", bulletin::diag::display_path(o, Some(&ws.root)));
    }
    if let Some(code) = &built.review_code {
        println!("审核码：{code}（印在送审稿上；签核时加 --code {code}，确认签的就是这一稿）");
    }
    match &built.report {
        Some(r) => print!("{r}"),
        None if a.report => {
            println!("没有生成 PDF，所以没有版面报告（去掉 --format 或写 --format pdf）。")
        }
        None => {}
    }
    ExitCode::SUCCESS
}
