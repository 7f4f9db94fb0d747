//! `[[reviewers]]` of bulletin.toml: who may sign which roles, with the
//! public keys their sign-offs must verify against.

use serde::Deserialize;

use super::locate::Located;
use crate::diag::{Diagnostic, Diagnostics};

/// One reviewer as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerConfig {
    /// The name they sign with (compared after normalisation).
    pub name: String,
    /// The roles they may sign (e.g. 核稿); empty = every role.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Public keys from `bulletin key new` (base64, one line each).
    pub keys: Vec<String>,
}

/// A registered reviewer with parsed keys.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub name: String,
    pub roles: Vec<String>,
    pub keys: Vec<sm2::dsa::VerifyingKey>,
}

impl Reviewer {
    /// Whether this reviewer may sign `role`.
    pub fn may_sign(&self, role: &str) -> bool {
        self.roles.is_empty() || self.roles.iter().any(|r| r == role)
    }
}

/// Parse the registered keys; every bad key, empty name, duplicate person
/// or reviewer who is the editor is an error at its place.
pub fn parse(
    raw: &[ReviewerConfig],
    editor: Option<&str>,
    at: &Located,
) -> Result<Vec<Reviewer>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut out: Vec<Reviewer> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let here = |key: &str| format!("reviewers.{i}.{key}");
        if r.name.trim().is_empty() {
            diags.push(at.error_at_value(
                &here("name"),
                "E019",
                "[[reviewers]] 的 name（姓名）不能为空",
            ));
            continue;
        }
        let person = crate::text::name_key(&r.name);
        if editor.is_some_and(|e| crate::text::name_key(e) == person) {
            diags.push(
                at.at_value(
                    Diagnostic::error(
                        "E019",
                        format!(
                            "{}是编辑，不能登记为签核人：编辑不能签核自己编的稿件",
                            r.name.trim()
                        ),
                    )
                    .with_hint("请删去这一项，或在 [footer] 里改填真正的编辑"),
                    &here("name"),
                ),
            );
        }
        if out.iter().any(|o| crate::text::name_key(&o.name) == person) {
            diags.push(at.error_at_value(
                &here("name"),
                "E019",
                &format!(
                    "{}在 [[reviewers]] 里登记了两次；一人的多个公钥请写在同一项的 keys 里",
                    r.name.trim()
                ),
            ));
        }
        if r.keys.is_empty() {
            diags.push(
                at.at_value(
                    Diagnostic::error("E019", format!("{}没有登记公钥", r.name.trim())).with_hint(
                        "请签核人运行 bulletin key new --name 姓名，把显示的公钥填进 keys",
                    ),
                    &here("name"),
                ),
            );
        }
        let mut keys = Vec::new();
        for (k, text) in r.keys.iter().enumerate() {
            match crate::keys::parse_public(text) {
                Ok(vk) => keys.push(vk),
                Err(why) => diags.push(
                    at.at_value(
                        Diagnostic::error("E019", format!("{}的第{}个公钥无效：{why}", r.name.trim(), k + 1))
                            .with_hint("公钥是 bulletin key new 显示的一行文字（以 MFkwEwYH 开头），请完整复制"),
                        &format!("{}.{k}", here("keys")),
                    ),
                ),
            }
        }
        out.push(Reviewer {
            name: r.name.trim().to_string(),
            roles: r.roles.clone(),
            keys,
        });
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}
