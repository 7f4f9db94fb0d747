//! Reviewers' keys: SM2 signatures with SM3 digests (GM/T 0003, GM/T 0004),
//! as OpenSSL 3 makes and checks them (`pkeyutl -rawin -digest sm3`, with
//! the customary distinguishing identifier `1234567812345678`).
//!
//! - A key pair is made by `bulletin key new` and its private half kept in
//!   the user's own configuration folder, readable by the owner only;
//!   never in the workspace.
//! - A public key is written as the base64 of its SubjectPublicKeyInfo
//!   (one line, starts `MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE`), which is what
//!   `[[reviewers]] keys` of bulletin.toml holds; its fingerprint is the
//!   first 16 bytes of SM3 over those bytes, as `3F9A-…`.
//! - A signature is the DER of (r, s), written as hex.

use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm2::elliptic_curve::Generate;
use sm2::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use sm2::{PublicKey, SecretKey};
use sm3::{Digest, Sm3};

/// The distinguishing identifier signed into every signature (GM/T 0009's
/// default, also OpenSSL's when given `distid:1234567812345678`).
pub const DIST_ID: &str = "1234567812345678";

/// Environment variable naming the folder of private keys (tests, or an
/// office that keeps keys on a USB stick).
pub const KEY_DIR_ENV: &str = "BULLETIN_KEY_DIR";

/// A public key as registered in bulletin.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyText {
    /// base64 of the SubjectPublicKeyInfo DER.
    pub spki: String,
}

/// Why a key could not be used, in Chinese.
pub type KeyError = String;

/// A new key pair.
pub fn generate() -> SigningKey {
    let secret = SecretKey::generate();
    // A freshly generated secret is never zero.
    SigningKey::new(DIST_ID, &secret).expect("a generated SM2 key is valid")
}

/// The registered form of `key`'s public half.
pub fn public_text(key: &VerifyingKey) -> Result<String, KeyError> {
    let pk =
        PublicKey::from_sec1_bytes(&key.to_sec1_bytes()).map_err(|_| "公钥无效".to_string())?;
    let der = pk
        .to_public_key_der()
        .map_err(|e| format!("公钥无法编码（{e}）"))?;
    Ok(Base64::encode_string(der.as_bytes()))
}

/// A public key from its registered form (base64 of the SPKI, or a PEM).
pub fn parse_public(text: &str) -> Result<VerifyingKey, KeyError> {
    let body: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = Base64::decode_vec(body.trim()).map_err(|_| "不是有效的 base64 公钥".to_string())?;
    let pk = PublicKey::from_public_key_der(&der)
        .map_err(|_| "不是 SM2 公钥（应由 bulletin key new 生成）".to_string())?;
    VerifyingKey::new(DIST_ID, pk).map_err(|_| "SM2 公钥无效".to_string())
}

/// `3F9A-0C21-…`: the first 16 bytes of SM3 over the public key's SPKI.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let spki = public_text(key)
        .ok()
        .and_then(|t| Base64::decode_vec(&t).ok())
        .unwrap_or_default();
    let digest = Sm3::digest(&spki);
    digest[..16]
        .chunks(2)
        .map(|c| format!("{:02X}{:02X}", c[0], c[1]))
        .collect::<Vec<_>>()
        .join("-")
}

/// Sign `message`: the DER signature as hex.
pub fn sign(key: &SigningKey, message: &[u8]) -> String {
    let sig: Signature = key.sign(message);
    hex(sig.to_der().as_bytes())
}

/// Whether `sig_hex` is a valid signature of `message` by `key`.
pub fn verify(key: &VerifyingKey, message: &[u8], sig_hex: &str) -> bool {
    let Some(der) = unhex(sig_hex) else {
        return false;
    };
    let Ok(sig) = Signature::from_der(&der) else {
        return false;
    };
    key.verify(message, &sig).is_ok()
}

/// Whether two public keys are the same point.
pub fn same_key(a: &VerifyingKey, b: &VerifyingKey) -> bool {
    a.to_sec1_bytes() == b.to_sec1_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// The folder of this user's private keys: `$BULLETIN_KEY_DIR`, else
/// `$XDG_CONFIG_HOME/bulletin/keys`, else `~/.config/bulletin/keys`.
pub fn key_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(KEY_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("bulletin").join("keys"));
    }
    std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".config")
            .join("bulletin")
            .join("keys")
    })
}

/// Store `key` for `name` in `dir` (created owner-only), as PKCS#8 PEM in a
/// file named by its fingerprint, readable by the owner only. Never
/// replaces a file.
pub fn save_private(dir: &Path, name: &str, key: &SigningKey) -> Result<PathBuf, KeyError> {
    make_private_dir(dir)?;
    let secret = SecretKey::from_bytes(&key.to_bytes()).map_err(|_| "私钥无效".to_string())?;
    let pem = secret
        .to_pkcs8_pem(Default::default())
        .map_err(|e| format!("私钥无法编码（{e}）"))?;
    let fp = fingerprint(key.verifying_key());
    let path = dir.join(format!("{fp}.pem"));
    let text = format!("# bulletin 签核私钥：{name}（指纹 {fp}）\n{}", pem.as_str());
    write_owner_only(&path, text.as_bytes())?;
    Ok(path)
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("无法建立密钥目录 {}（{e}）", dir.display()))?;
    }
    let m = std::fs::symlink_metadata(dir).map_err(|e| format!("无法读取密钥目录（{e}）"))?;
    if !m.is_dir() {
        return Err(format!("{} 不是目录", dir.display()));
    }
    if m.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("无法收紧密钥目录的权限（{e}）"))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private_dir(dir: &Path) -> Result<(), KeyError> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法建立密钥目录 {}（{e}）", dir.display()))
}

#[cfg(unix)]
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| format!("无法写入私钥文件 {}（{e}）", path.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("无法写入私钥文件 {}（{e}）", path.display()))
}

#[cfg(not(unix))]
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    crate::fsutil::write_new(path, bytes)
        .map_err(|e| format!("无法写入私钥文件 {}（{e}）", path.display()))
}

/// Read one private key file, refusing one that others can read.
pub fn load_private(path: &Path) -> Result<SigningKey, KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::symlink_metadata(path)
            .map_err(|e| format!("无法读取私钥文件 {}（{e}）", path.display()))?;
        if !m.is_file() {
            return Err(format!("私钥 {} 不是普通文件", path.display()));
        }
        let mode = m.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "私钥文件 {} 的权限过宽（{:o}），别人也能读取，不能使用；请运行 chmod 600 {} 后再签核",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取私钥文件 {}（{e}）", path.display()))?;
    let start = text.find("-----BEGIN").unwrap_or(0);
    let secret = SecretKey::from_pkcs8_pem(&text[start..])
        .map_err(|_| format!("私钥文件 {} 已损坏或不是 SM2 私钥", path.display()))?;
    SigningKey::new(DIST_ID, &secret).map_err(|_| format!("私钥文件 {} 无效", path.display()))
}

/// The private key in `dir` whose public half is one of `wanted`.
pub fn find_private(dir: &Path, wanted: &[VerifyingKey]) -> Result<Option<SigningKey>, KeyError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut names: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pem"))
        .collect();
    names.sort();
    for path in names {
        // Only the file named by a wanted fingerprint is opened.
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if !wanted
            .iter()
            .any(|w| stem.as_deref() == Some(fingerprint(w).as_str()))
        {
            continue;
        }
        let key = load_private(&path)?;
        if wanted.iter().any(|w| same_key(w, key.verifying_key())) {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_round_trip_and_tampering_fails() {
        let key = generate();
        let public = public_text(key.verifying_key()).unwrap();
        assert!(
            public.starts_with("MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE"),
            "{public}"
        );
        let vk = parse_public(&public).unwrap();
        assert!(same_key(&vk, key.verifying_key()));
        let sig = sign(&key, "第39期 核稿 金路".as_bytes());
        assert!(verify(&vk, "第39期 核稿 金路".as_bytes(), &sig));
        assert!(!verify(&vk, "第39期 核稿 郭宇".as_bytes(), &sig));
        let other = generate();
        assert!(!verify(
            other.verifying_key(),
            "第39期 核稿 金路".as_bytes(),
            &sig
        ));
        assert!(!verify(&vk, "第39期 核稿 金路".as_bytes(), "zz"));
        assert_eq!(fingerprint(&vk).len(), 39);
    }

    #[cfg(unix)]
    #[test]
    fn private_keys_are_owner_only_and_loose_ones_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("bulletin-keys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let key = generate();
        let path = save_private(&dir, "金路", &key).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let found = find_private(&dir, std::slice::from_ref(key.verifying_key()))
            .unwrap()
            .unwrap();
        assert!(same_key(found.verifying_key(), key.verifying_key()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = find_private(&dir, std::slice::from_ref(key.verifying_key())).unwrap_err();
        assert!(err.contains("权限过宽"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
