//! `bulletin status [N]`: who signed an issue, when, and whether the
//! sign-off still holds.

use std::process::ExitCode;

use bulletin::{ops, signoff};

use super::Ctx;

#[derive(clap::Args, Debug)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  bulletin status 39\n  bulletin status 39 --format json"
)]
pub struct Args {
    /// 期号（默认最新一期）
    #[arg(value_name = "期号", help_heading = "参数")]
    number: Option<u32>,
    /// 输出格式：text（默认）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// The states as JSON, for other tools.
fn json(issue: &bulletin::model::Issue, states: &[signoff::RoleStatus], ready: bool) -> String {
    let roles: Vec<serde_json::Value> = states
        .iter()
        .map(|s| {
            serde_json::json!({
                "role": s.role,
                "name": s.record.as_ref().map(|r| r.name.clone()),
                "time": s.record.as_ref().map(|r| r.time.clone()),
                "signed": s.record.is_some(),
                "valid": s.is_valid(),
                "problem": s.problem,
                "changes": s.changes.iter().map(signoff::Change::describe).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = serde_json::json!({
        "issue": issue.number,
        "editor": issue.footer.editor,
        "roles": roles,
        "ready_for_final": ready,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Text from files for the terminal: control characters escaped.
fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    bulletin::text::terminal_safe(s)
}

pub fn run(a: Args, ctx: &Ctx) -> ExitCode {
    let ws = match ctx.workspace() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let root = ws.root.clone();
    let st = match ops::status::status(&ws, a.number) {
        Ok(s) => s,
        Err(d) => return super::report_failure(&d, Some(&root)),
    };
    let (issue, states) = (&st.issue, &st.states);
    if a.format == "json" {
        outln!("{}", json(issue, states, st.ready_for_final()));
        return ExitCode::SUCCESS;
    }
    outln!("{}{} 签核状态：", issue.title, issue.number_label());
    if let Some(e) = &issue.footer.editor {
        outln!("  编辑：{}", safe(e));
    }
    if states.is_empty() {
        outln!("  （bulletin.toml 的 [footer] signoffs 没有配置签核角色）");
    }
    for s in states {
        match &s.record {
            None => outln!("  {}：未签核", safe(&s.role)),
            Some(r) => {
                let state = if s.is_valid() { "有效" } else { "已失效" };
                outln!(
                    "  {}：{}（{}）{state}",
                    safe(&s.role),
                    safe(&r.name),
                    safe(&signoff::display_time(&r.time))
                );
                if let Some(p) = &s.problem {
                    outln!("      {}", safe(p));
                }
                for c in &s.changes {
                    outln!("      {}", safe(&c.describe()));
                }
            }
        }
    }
    if st.ready_for_final() {
        outln!(
            "全部签核有效，可以出正式版：bulletin build {} --final",
            issue.number
        );
    } else {
        outln!(
            "还不能出正式版；签核：bulletin check {} --sign 角色 --name 姓名",
            issue.number
        );
    }
    ExitCode::SUCCESS
}
