//! Sign-offs signed with reviewers' own SM2 keys: only the holder of a
//! registered key can sign; hand edits, copies and removed keys are caught;
//! OpenSSL verifies what the tool signed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::*;

const BODY: &str =
    "11月25日上午，市民政局召开冬季民政服务机构安全工作推进会，部署今冬明春安全防范工作。";

/// `bulletin` with `keys` as this user's private-key folder.
fn as_user(dir: &Path, keys: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BULLETIN_KEY_DIR", keys)
        .output()
        .expect("run bulletin")
}

/// A new key for `name` in `keys`: its registered public text.
fn new_key(ws: &TempDir, keys: &Path, name: &str) -> String {
    let o = as_user(ws.path(), keys, &["key", "new", "--name", name]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("keys = [\""))
        .unwrap_or_else(|| panic!("{out}"));
    line.trim_start_matches("keys = [\"")
        .trim_end_matches("\"]")
        .to_string()
}

struct Office {
    ws: TempDir,
    jinlu: PathBuf,
    guoyu: PathBuf,
    jinlu_key: String,
    guoyu_key: String,
}

/// Issue 39 with 金路 (核稿) and 郭宇 (审核) registered, each with a key
/// on "their own computer" (a folder of their own).
fn office() -> Office {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        submission(
            "市民政局召开冬季安全工作推进会",
            "市局办公室",
            "2025-11-25",
            "工作动态",
            BODY,
        ),
    );
    let (jinlu, guoyu) = (ws.join("home-jinlu"), ws.join("home-guoyu"));
    let jinlu_key = new_key(&ws, &jinlu, "金路");
    let guoyu_key = new_key(&ws, &guoyu, "郭宇");
    let o = Office {
        ws,
        jinlu,
        guoyu,
        jinlu_key,
        guoyu_key,
    };
    register(&o, &o.jinlu_key, &o.guoyu_key);
    o
}

fn register(o: &Office, jinlu: &str, guoyu: &str) {
    o.ws.write(
        "bulletin.toml",
        format!(
            "{CONFIG}\n[[reviewers]]\nname = \"金路\"\nroles = [\"核稿\"]\nkeys = [\"{jinlu}\"]\n\n\
             [[reviewers]]\nname = \"郭宇\"\nroles = [\"审核\"]\nkeys = [\"{guoyu}\"]\n"
        ),
    );
}

fn sign(o: &Office, keys: &Path, role: &str, name: &str) -> Output {
    as_user(
        o.ws.path(),
        keys,
        &["check", "39", "--sign", role, "--name", name],
    )
}

fn status(o: &Office) -> (i32, String) {
    let s = run(o.ws.path(), &["status", "39"]);
    (code(&s), stdout(&s))
}

fn signed_both(o: &Office) {
    assert_eq!(code(&sign(o, &o.jinlu, "核稿", "金路")), 0);
    let s = sign(o, &o.guoyu, "审核", "郭宇");
    assert_eq!(code(&s), 0, "{}", stderr(&s));
    let (c, out) = status(o);
    assert_eq!(c, 0, "{out}");
    assert!(out.contains("密钥签名（指纹"), "{out}");
}

fn signoffs(o: &Office) -> PathBuf {
    o.ws.join("issues/39/signoffs.toml")
}

/// Rewrite the stored records through the library, re-sealing them (what a
/// forger who read the code would do).
fn forge(o: &Office, f: impl FnOnce(&mut Vec<bulletin::signoff::Record>)) {
    let dir = o.ws.join("issues/39");
    let mut records =
        bulletin::signoff::read(&bulletin::fsutil::Boundary::new(o.ws.path()), &dir).unwrap();
    f(&mut records);
    for r in &mut records {
        r.seal = r.compute_seal();
    }
    std::fs::write(signoffs(o), bulletin::signoff::render(&records)).unwrap();
}

#[test]
fn only_the_holder_of_a_registered_key_can_sign() {
    let o = office();
    // 金路's computer has no key of 郭宇: he cannot sign as 郭宇.
    let s = sign(&o, &o.jinlu, "审核", "郭宇");
    assert_eq!(code(&s), 1);
    assert!(stderr(&s).contains("错误[S013]"), "{}", stderr(&s));
    assert!(!signoffs(&o).exists());
    // An unregistered name, the editor, a role not theirs.
    let s = sign(&o, &o.jinlu, "核稿", "张三");
    assert!(stderr(&s).contains("错误[S011]"), "{}", stderr(&s));
    let s = sign(&o, &o.jinlu, "核稿", "王 晨晖");
    assert!(stderr(&s).contains("编辑不能签核"), "{}", stderr(&s));
    let s = sign(&o, &o.guoyu, "核稿", "郭宇");
    assert!(stderr(&s).contains("错误[S012]"), "{}", stderr(&s));
    // Each on their own key: valid, and the final builds.
    signed_both(&o);
    let b = run(o.ws.path(), &["build", "39", "--final", "--format", "html"]);
    assert_eq!(code(&b), 0, "{}", stderr(&b));
}

#[test]
fn names_are_compared_normalised() {
    let o = office();
    // “金　路” is 金路 (a full-width space inside a two-character name).
    let s = sign(&o, &o.jinlu, "核稿", "金　路");
    assert_eq!(code(&s), 0, "{}", stderr(&s));
    // The same person cannot take the second role under a spaced name.
    let s = sign(&o, &o.jinlu, "审核", "金 路");
    assert_eq!(code(&s), 1, "{}", stderr(&s));
}

#[test]
fn replacing_a_valid_signoff_needs_replace() {
    let o = office();
    signed_both(&o);
    // 郭宇 may also sign 核稿 once registered for it.
    o.ws.write(
        "bulletin.toml",
        format!(
            "{CONFIG}\n[[reviewers]]\nname = \"金路\"\nroles = [\"核稿\"]\nkeys = [\"{}\"]\n\n\
             [[reviewers]]\nname = \"郭宇\"\nkeys = [\"{}\"]\n",
            o.jinlu_key, o.guoyu_key
        ),
    );
    // (He cannot hold both roles, so he withdraws 审核 first.)
    assert_eq!(
        code(&run(o.ws.path(), &["check", "39", "--unsign", "审核"])),
        0
    );
    let s = sign(&o, &o.guoyu, "核稿", "郭宇");
    assert_eq!(code(&s), 1);
    assert!(stderr(&s).contains("错误[S008]"), "{}", stderr(&s));
    assert!(stderr(&s).contains("--replace 金路"), "{}", stderr(&s));
    let s = as_user(
        o.ws.path(),
        &o.guoyu,
        &[
            "check",
            "39",
            "--sign",
            "核稿",
            "--name",
            "郭宇",
            "--replace",
            "金路",
        ],
    );
    assert_eq!(code(&s), 0, "{}", stderr(&s));
}

/// A change a forger makes to the stored records.
type Forgery = dyn Fn(&mut Vec<bulletin::signoff::Record>);

#[test]
fn forgeries_are_rejected() {
    let cases: Vec<(&str, Box<Forgery>)> = vec![
        ("name swapped", Box::new(|r| r[0].name = "郭宇".into())),
        (
            "time changed",
            Box::new(|r| r[0].time = "2025-12-09T09:00:00+08:00".into()),
        ),
        (
            "signature copied from the other record",
            Box::new(|r| r[0].signature = r[1].signature.clone()),
        ),
        (
            "signature removed",
            Box::new(|r| {
                r[0].signature.clear();
                r[0].key.clear();
            }),
        ),
        (
            "digest recomputed",
            Box::new(|r| r[0].digest = "0".repeat(64)),
        ),
    ];
    for (what, f) in cases {
        let o = office();
        signed_both(&o);
        forge(&o, f);
        let (c, out) = status(&o);
        assert_eq!(c, 1, "{what}: {out}");
        assert!(out.contains("已失效"), "{what}: {out}");
        let b = run(o.ws.path(), &["build", "39", "--final", "--format", "html"]);
        assert_eq!(code(&b), 1, "{what}: {}", stderr(&b));
    }
}

#[test]
fn a_signoff_copied_to_another_issue_is_invalid() {
    let o = office();
    signed_both(&o);
    o.ws.write("issues/40/issue.toml", "number = 40\ndate = 2025-12-08\n");
    std::fs::copy(o.ws.join("issues/39/01.md"), o.ws.join("issues/40/01.md")).unwrap();
    std::fs::copy(signoffs(&o), o.ws.join("issues/40/signoffs.toml")).unwrap();
    let s = run(o.ws.path(), &["status", "40"]);
    assert_eq!(code(&s), 1, "{}", stdout(&s));
    assert!(stdout(&s).contains("已失效"), "{}", stdout(&s));
}

#[test]
fn a_removed_key_invalidates_its_signoffs() {
    let o = office();
    signed_both(&o);
    // 金路's key is withdrawn and a new one registered.
    let other = o.ws.join("home-new");
    let fresh = new_key(&o.ws, &other, "金路");
    register(&o, &fresh, &o.guoyu_key);
    let (c, out) = status(&o);
    assert_eq!(c, 1, "{out}");
    assert!(out.contains("没有登记在金路名下"), "{out}");
}

#[test]
fn the_editor_cannot_be_registered_and_bad_keys_are_located() {
    let o = office();
    o.ws.write(
        "bulletin.toml",
        format!(
            "{CONFIG}\n[[reviewers]]\nname = \"王晨晖\"\nkeys = [\"{}\"]\n\n[[reviewers]]\nname = \"郭宇\"\nkeys = [\"MFkwEwYH不是公钥\"]\n",
            o.jinlu_key
        ),
    );
    let s = run(o.ws.path(), &["status", "39"]);
    assert_eq!(code(&s), 1);
    let err = stderr(&s);
    assert!(err.contains("王晨晖是编辑，不能登记为签核人"), "{err}");
    let (line, _) = line_col(
        &std::fs::read_to_string(o.ws.join("bulletin.toml")).unwrap(),
        "\"MFkwEwYH不是公钥\"",
    );
    assert!(err.contains(&format!("bulletin.toml:{line}:")), "{err}");
}

#[cfg(unix)]
#[test]
fn a_private_key_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let o = office();
    for e in std::fs::read_dir(&o.jinlu).unwrap() {
        let p = e.unwrap().path();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let s = sign(&o, &o.jinlu, "核稿", "金路");
    assert_eq!(code(&s), 1);
    assert!(stderr(&s).contains("权限过宽"), "{}", stderr(&s));
}

#[test]
fn without_reviewers_status_says_signoffs_are_not_authenticated() {
    let ws = workspace();
    ws.write(
        "issues/39/01.md",
        submission(
            "市民政局召开冬季安全工作推进会",
            "市局办公室",
            "2025-11-25",
            "工作动态",
            BODY,
        ),
    );
    let s = run(ws.path(), &["status", "39"]);
    assert!(
        stdout(&s).contains("签核没有经过身份认证"),
        "{}",
        stdout(&s)
    );
}

/// OpenSSL 3 (an independent SM2 implementation) verifies a sign-off.
#[test]
fn openssl_verifies_the_signature() {
    if !external_tests_enabled("openssl") {
        return;
    }
    let o = office();
    signed_both(&o);
    let records = bulletin::signoff::read(
        &bulletin::fsutil::Boundary::new(o.ws.path()),
        &o.ws.join("issues/39"),
    )
    .unwrap();
    let r = &records[0];
    let dir = o.ws.join("openssl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("msg"), r.signed_text("南阳民政工作动态", 39)).unwrap();
    let der: Vec<u8> = (0..r.signature.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&r.signature[i..i + 2], 16).unwrap())
        .collect();
    std::fs::write(dir.join("sig"), der).unwrap();
    let body: Vec<String> = o
        .jinlu_key
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    std::fs::write(
        dir.join("pub.pem"),
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            body.join("\n")
        ),
    )
    .unwrap();
    let verify = |msg: &str| {
        Command::new("openssl")
            .args([
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "pub.pem",
                "-rawin",
                "-in",
                msg,
                "-sigfile",
                "sig",
                "-digest",
                "sm3",
                "-pkeyopt",
                "distid:1234567812345678",
            ])
            .current_dir(&dir)
            .output()
            .expect("openssl runs")
    };
    let ok = verify("msg");
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("Signature Verified Successfully"),
        "{}{}",
        String::from_utf8_lossy(&ok.stdout),
        String::from_utf8_lossy(&ok.stderr)
    );
    // A changed record does not verify.
    std::fs::write(dir.join("msg2"), r.signed_text("南阳民政工作动态", 40)).unwrap();
    let bad = verify("msg2");
    assert!(!bad.status.success());
}
