//! `bulletin init [DIR]`

use std::path::PathBuf;
use std::process::ExitCode;

use bulletin::ops;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin init 民政工作动态 --editor 张三\n  bulletin init . --title 某某市民政工作动态 --publisher 某某市民政局办公室 --editor 张三\n\n编辑的姓名印在每期版记里；编辑本人不能签核自己编的一期。"
)]
pub struct Args {
    /// 新工作区的目录（默认当前目录；不存在则新建）
    #[arg(value_name = "目录", default_value = ".", help_heading = "参数")]
    dir: PathBuf,
    /// 刊物名称（报头）
    #[arg(long, value_name = "名称", default_value = "民政工作动态")]
    title: String,
    /// 编印单位
    #[arg(long, value_name = "单位", default_value = "市民政局办公室")]
    publisher: String,
    /// 编辑姓名（必填，印在版记里）
    #[arg(long, value_name = "姓名", value_parser = non_empty_name)]
    editor: String,
}

/// A name that is not blank.
fn non_empty_name(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        Err("编辑姓名不能为空，例如 --editor 张三".to_string())
    } else {
        Ok(t.to_string())
    }
}

pub fn run(a: Args) -> ExitCode {
    match ops::create::init(&a.dir, &a.title, &a.publisher, &a.editor) {
        Ok(path) => {
            println!(
                "已新建工作区：{}",
                bulletin::diag::display_path(path.parent().unwrap_or(&a.dir), None)
            );
            println!(
                "下一步：\n  cd {}\n  bulletin issue new\n  bulletin new --unit 单位 --category 工作动态 --title 标题\n  bulletin build",
                bulletin::diag::display_path(&a.dir, None)
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint!("{}", d.render(None));
            ExitCode::from(super::EXIT_CONTENT)
        }
    }
}
