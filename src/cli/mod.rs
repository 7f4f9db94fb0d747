//! Command-line interface: argument parsing (help in Chinese), dispatch,
//! and how diagnostics and exit statuses reach the user.

/// `println!` that ignores a closed stdout (e.g. piped into `head`).
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod build;
mod build_all;
mod check;
mod fonts;
mod init;
mod intake;
mod issue;
mod key;
mod list;
mod new;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bulletin::diag::{Diagnostic, Diagnostics};
use bulletin::workspace::{self, Workspace};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

/// Exit statuses: 0 success (warnings allowed), 1 content errors or a refused
/// build, 2 usage errors.
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}\n";

#[derive(Parser, Debug)]
#[command(
    name = "bulletin",
    version,
    about = "民政工作动态编排工具：把各单位的投稿编成可付印的 PDF 和网页版",
    after_help = "示例：\n  bulletin init 工作动态 --editor 张三    新建工作区\n  bulletin issue new                      新建下一期\n  bulletin new --unit 某某县民政局 --category 工作动态 --title 标题\n  bulletin build 39                       编排第39期\n\n每个命令的详细用法：bulletin 命令 --help",
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项"
)]
pub struct Cli {
    /// 工作区目录（默认：当前目录或最近的含 bulletin.toml 的上级目录）
    #[arg(long, global = true, value_name = "目录")]
    root: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 新建工作区
    Init(init::Args),
    /// 管理期次（新建一期）
    #[command(subcommand)]
    Issue(issue::IssueCommand),
    /// 新建一篇投稿
    New(new::Args),
    /// 编排一期，生成 PDF 和网页版
    Build(build::Args),
    /// 列出所有期次
    List(list::Args),
    /// 检查一期的稿件；签核（--sign）或撤回签核（--unsign）
    Check(check::Args),
    /// 查看一期的签核状态
    Status(status::Args),
    /// 列出一期各用途的字体，以及哪些字由后备字体或本机字体印出、在哪里
    Fonts(fonts::Args),
    /// 把收件箱里各单位的来稿导入一期（自动转换编码，退回有问题的文件）
    Intake(intake::Args),
    /// 签核人的密钥（新建）
    #[command(subcommand)]
    Key(key::KeyCommand),
}

/// Shared state of one run.
pub struct Ctx {
    root: Option<PathBuf>,
}

impl Ctx {
    /// Find and open the workspace, or report why not.
    pub fn workspace(&self) -> Result<Workspace, ExitCode> {
        let root = match &self.root {
            Some(r) => {
                if !r.is_dir() {
                    eprint!(
                        "{}",
                        Diagnostic::error(
                            "E003",
                            format!("--root 指定的目录不存在：{}", r.display())
                        )
                        .render(None)
                    );
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                r.clone()
            }
            None => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                match workspace::discover(&cwd) {
                    Ok(r) => r,
                    Err(d) => {
                        eprint!("{}", d.render(None));
                        return Err(ExitCode::from(EXIT_CONTENT));
                    }
                }
            }
        };
        Workspace::open(&root).map_err(|d| report_failure(&d, Some(&root)))
    }
}

/// Print diagnostics to stderr, paths relative to `base`.
pub fn print_diagnostics(diags: &Diagnostics, base: Option<&Path>) {
    if !diags.is_empty() {
        eprint!("{}", diags.render(base));
    }
}

/// Print diagnostics and a summary line; the exit status for errors.
pub fn report_failure(diags: &Diagnostics, base: Option<&Path>) -> ExitCode {
    print_diagnostics(diags, base);
    eprintln!("{}", summary(diags));
    ExitCode::from(EXIT_CONTENT)
}

pub fn summary(diags: &Diagnostics) -> String {
    format!(
        "共 {} 个错误，{} 个警告",
        diags.error_count(),
        diags.warning_count()
    )
}

/// Apply the Chinese help flag and template to every (sub)command.
fn localize(mut cmd: clap::Command) -> clap::Command {
    cmd = cmd
        .help_template(HELP_TEMPLATE)
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .help("显示帮助信息")
                .action(ArgAction::Help)
                .help_heading("选项"),
        );
    if cmd.get_name() == "bulletin" {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .help("显示版本号")
                .action(ArgAction::Version)
                .help_heading("选项"),
        );
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |s| {
            localize(
                s.subcommand_help_heading("命令")
                    .subcommand_value_name("命令")
                    .disable_help_subcommand(true),
            )
        });
    }
    cmd
}

/// The few English words clap puts into help and usage.
fn chinese_words(s: &str) -> String {
    s.replace("[OPTIONS]", "[选项]")
        .replace("[default: ", "[默认：")
        .replace("[possible values: ", "[可选值：")
        .replace("[aliases: ", "[别名：")
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        other => other.to_string(),
    })
}

/// Why a value was refused, in Chinese: our own parsers' messages are
/// Chinese already, the standard library's number errors are translated.
fn value_reason(e: &(dyn std::error::Error + 'static), value: &str) -> String {
    use std::num::IntErrorKind as K;
    if let Some(p) = e.downcast_ref::<std::num::ParseIntError>() {
        return match p.kind() {
            K::PosOverflow => format!("数太大，最大是 {}", u32::MAX),
            K::NegOverflow | K::InvalidDigit => "应是正整数".to_string(),
            K::Empty => "不能为空".to_string(),
            _ => "不是有效的数".to_string(),
        };
    }
    let s = e.to_string();
    if bulletin::text::has_han(&s) {
        return s;
    }
    // clap's own range errors ("4294967296 is not in 0..=4294967295").
    let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    match value.strip_prefix('-') {
        Some(v) if digits(v) => "应是正整数".to_string(),
        None if digits(value) => format!("数太大，最大是 {}", u32::MAX),
        _ => "格式不对".to_string(),
    }
}

/// A clap error in Chinese. Help and version go to stdout with status 0.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print!("{}", chinese_words(&e.render().to_string()));
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
        _ => {}
    }
    let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(&e, ContextKind::InvalidValue).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 `{arg}`"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有 `{}` 这个命令",
                context(&e, ContextKind::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = context(&e, ContextKind::ValidValue)
                .map(|v| format!("（可用的值：{v}）"))
                .unwrap_or_default();
            let why = std::error::Error::source(&e)
                .map(|s| format!("：{}", value_reason(s, &value)))
                .unwrap_or_default();
            format!("参数 {arg} 的取值“{value}”不对{valid}{why}")
        }
        ErrorKind::ArgumentConflict => match context(&e, ContextKind::PriorArg) {
            Some(prior) => format!("参数 {arg} 不能与 {prior} 同时使用"),
            None => format!("参数 {arg} 不能与其他参数同时使用"),
        },
        ErrorKind::TooManyValues => format!("参数 {arg} 给了太多值"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要用 = 给值"),
        ErrorKind::InvalidUtf8 => "参数里有无法识别的字符（不是 UTF-8）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut out = format!("错误：{msg}\n");
    if let Some(s) = context(&e, ContextKind::SuggestedArg)
        .or_else(|| context(&e, ContextKind::SuggestedSubcommand))
    {
        out.push_str(&format!("  = 提示：是不是想用 `{s}`？\n"));
    }
    if let Some(u) = context(&e, ContextKind::Usage) {
        let u = u.trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n用法：{}\n", chinese_words(u)));
    }
    out.push_str("\n查看帮助：bulletin --help\n");
    eprint!("{out}");
    ExitCode::from(EXIT_USAGE)
}

pub fn run() -> ExitCode {
    let cmd = localize(Cli::command());
    let matches = match cmd.try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    let ctx = Ctx { root: cli.root };
    match cli.command {
        Command::Init(a) => init::run(a),
        Command::Issue(c) => issue::run(c, &ctx),
        Command::New(a) => new::run(a, &ctx),
        Command::Build(a) => build::run(a, &ctx),
        Command::List(a) => list::run(a, &ctx),
        Command::Check(a) => check::run(a, &ctx),
        Command::Status(a) => status::run(a, &ctx),
        Command::Fonts(a) => fonts::run(a, &ctx),
        Command::Intake(a) => intake::run(a, &ctx),
        Command::Key(c) => key::run(c),
    }
}

/// Parse a date argument: 2025-12-22, 2025.12.22, 2025/12/22 or
/// 2025年12月22日.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    bulletin::dates::parse_loose(s).ok_or_else(|| {
        format!("“{s}”不是有效的日期，应写成 2025-12-22、2025.12.22、2025/12/22 或 2025年12月22日")
    })
}

/// Parse an issue number: a whole number from 1, written `48` or `第48期`.
pub fn parse_issue_number(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let t = t.strip_prefix('第').unwrap_or(t);
    let t = t.strip_suffix('期').unwrap_or(t).trim();
    let t: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("期号应是正整数，如 48 或 第48期".to_string());
    }
    match t.parse::<u32>() {
        Ok(0) => Err("期号不能是 0：期号从 1 开始".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("数太大，期号最大是 {}", u32::MAX)),
    }
}

/// Today's date in local time.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
