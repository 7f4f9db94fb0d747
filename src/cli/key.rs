//! `bulletin key new --name 姓名`

use std::process::ExitCode;

use bulletin::ops;

#[derive(clap::Subcommand, Debug)]
pub enum KeyCommand {
    /// 新建自己的签核密钥（SM2）：私钥存在本机用户目录，公钥交给编辑登记
    #[command(
        next_help_heading = "选项",
        after_help = "示例：\n  bulletin key new --name 张三 --role 核稿\n\n私钥保存在 ~/.config/bulletin/keys/（只有本人能读取；可用环境变量 BULLETIN_KEY_DIR 改放别处，例如 U 盘）。\n把显示的公钥发给编辑，由编辑登记在 bulletin.toml 的 [[reviewers]] 里；之后 bulletin check --sign 会自动用这把私钥签名。"
    )]
    New(NewArgs),
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// 签核人姓名（与签核时 --name 写的一致）
    #[arg(long, value_name = "姓名")]
    name: String,
    /// 你负责签核的角色（bulletin.toml [footer] signoffs 中的，如 核稿）；可写多次
    #[arg(long = "role", value_name = "角色")]
    roles: Vec<String>,
}

pub fn run(c: KeyCommand) -> ExitCode {
    let KeyCommand::New(a) = c;
    match ops::keys::new_key(&a.name) {
        Ok(k) => {
            outln!("已为{}新建签核密钥。", a.name.trim());
            outln!(
                "  私钥：{}（只有你能读取，不要发给任何人）",
                k.private_path.display()
            );
            outln!("  指纹：{}", k.fingerprint);
            outln!("\n请把下面几行发给编辑，由编辑加进 bulletin.toml：\n");
            outln!("[[reviewers]]");
            outln!("name = \"{}\"", a.name.trim());
            if a.roles.is_empty() {
                outln!(
                    "roles = [\"核稿\"]          # 你负责签核的角色：请改成你的（或用 --role 指定）"
                );
            } else {
                let roles: Vec<String> = a
                    .roles
                    .iter()
                    .map(|r| toml::Value::String(r.trim().to_string()).to_string())
                    .collect();
                outln!("roles = [{}]", roles.join(", "));
            }
            outln!("keys = [\"{}\"]", k.public);
            ExitCode::SUCCESS
        }
        Err(d) => super::report_failure(&d, None),
    }
}
