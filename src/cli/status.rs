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
    #[arg(value_name = "期号", help_heading = "参数", value_parser = super::parse_issue_number)]
    number: Option<u32>,
    /// 输出格式：text（默认）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
    /// 列出签核日志：每一次签核、撤回、替换（谁、何时、用哪把密钥、签的是哪个版本）
    #[arg(long)]
    history: bool,
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
                "key": s.record.as_ref().map(|r| r.key.clone()).filter(|k| !k.is_empty()),
                "changes": s.changes.iter().map(signoff::Change::describe).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = serde_json::json!({
        "issue": issue.number,
        "editor": issue.footer.editor,
        "roles": roles,
        "ready_for_final": ready,
        "authenticated": !issue.reviewers.is_empty(),
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
    // 0 only when the final may be built: scripts can test it.
    let exit = if st.ready_for_final() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_CONTENT)
    };
    if a.format == "json" {
        outln!("{}", json(issue, states, st.ready_for_final()));
        return exit;
    }
    outln!("{}{} 签核状态：", issue.title, issue.number_label());
    if let Some(e) = &issue.footer.editor {
        outln!("  编辑：{}", safe(e));
    }
    if states.is_empty() {
        outln!("  （bulletin.toml 的 [footer] signoffs 没有配置签核角色）");
    }
    for (s, diffs) in states.iter().zip(&st.diffs) {
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
                if !r.key.is_empty() {
                    outln!("      密钥签名（指纹 {}）", r.key);
                }
                if let Some(p) = &s.problem {
                    outln!("      {}", safe(p));
                }
                for c in &s.changes {
                    outln!("      {}", safe(&c.describe()));
                }
                for d in diffs {
                    outln!("        {d}");
                }
            }
        }
    }
    if a.history {
        outln!("签核日志（issues/{}/signoffs.log）：", issue.number);
        if !st.log.present {
            outln!("  （还没有签核日志）");
        }
        for e in &st.log.entries {
            let what = match e.action.as_str() {
                "unsign" => "撤回",
                "replace" => "替换签核",
                _ => "签核",
            };
            let key = if e.key.is_empty() {
                String::new()
            } else {
                format!("，密钥 {}", e.key)
            };
            let replaced = if e.replaced.is_empty() {
                String::new()
            } else {
                format!("（替换了{}）", e.replaced)
            };
            outln!(
                "  {}. {} {}{what}“{}”{replaced}，版本 {}{key}",
                e.seq,
                signoff::display_time(&e.time),
                e.name,
                e.role,
                e.digest.get(..12).unwrap_or(&e.digest)
            );
        }
        for p in &st.log.problems {
            outln!("  注意：{p}");
        }
    }
    if issue.reviewers.is_empty() && !states.is_empty() {
        outln!(
            "注意：bulletin.toml 没有登记签核人的密钥（[[reviewers]]），签核没有经过身份认证，任何人都能以任何姓名签核。\n      登记办法见 docs/review.md。"
        );
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
    exit
}
