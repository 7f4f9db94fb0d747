//! `bulletin key new`: a reviewer's own SM2 key pair.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};

/// A key pair made and stored.
#[derive(Debug)]
pub struct NewKey {
    /// Where the private key is (owner-only).
    pub private_path: PathBuf,
    /// The public key as registered in `[[reviewers]] keys`.
    pub public: String,
    pub fingerprint: String,
}

/// Make a key pair for `name` and keep its private half in this user's
/// key folder (see [`crate::keys::key_dir`]).
pub fn new_key(name: &str) -> Result<NewKey, Diagnostics> {
    let name = name.trim();
    if name.is_empty() {
        return Err(super::one(Diagnostic::error("S004", "姓名不能为空")));
    }
    let Some(dir) = crate::keys::key_dir() else {
        return Err(super::one(
            Diagnostic::error("S013", "找不到存放私钥的目录（没有 HOME 环境变量）").with_hint(
                format!("可以用环境变量 {} 指定目录", crate::keys::KEY_DIR_ENV),
            ),
        ));
    };
    let key = crate::keys::generate();
    let public = crate::keys::public_text(key.verifying_key())
        .map_err(|e| super::one(Diagnostic::error("S013", e)))?;
    let private_path = crate::keys::save_private(&dir, name, &key)
        .map_err(|e| super::one(Diagnostic::error("S013", e)))?;
    Ok(NewKey {
        private_path,
        public,
        fingerprint: crate::keys::fingerprint(key.verifying_key()),
    })
}
