//! Shared by the fuzz targets: a fixed configuration and a scratch
//! workspace on disk (for image resolution), made once per process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bulletin::diag::Diagnostics;
use bulletin::source::SourceFile;
use bulletin::workspace::Config;

pub const CONFIG: &str = r#"title = "南阳民政工作动态"
publisher = "南阳市民政局办公室"

[[sections]]
name = "工作动态"
heading = ""
[[sections]]
name = "简讯"
style = "brief"

[footer]
editor = "王晨晖"
signoffs = ["核稿", "审核"]
lines = [{ label = "报", text = "市民政局领导。" }]
"#;

/// A scratch workspace: `issues/39/` with one image and one symlink that
/// points outside the workspace.
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("bulletin-fuzz-{}", std::process::id()));
        let issue = root.join("issues/39");
        std::fs::create_dir_all(&issue).unwrap();
        std::fs::write(root.join("bulletin.toml"), CONFIG).unwrap();
        std::fs::write(issue.join("照片.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink("/etc/hostname", issue.join("外链.png"));
        }
        root
    })
}

pub fn config() -> &'static Config {
    static CFG: OnceLock<Config> = OnceLock::new();
    CFG.get_or_init(|| {
        let src = SourceFile::new(root().join("bulletin.toml"), CONFIG.to_string());
        Config::parse(&src).expect("fixed config parses")
    })
}

/// Render every diagnostic (which exercises span → line:column) and check
/// what a user would read: a `错误[CODE]: message` / `警告[CODE]: message`
/// head, and for a position `--> path:line:col` with 1-based numbers, the
/// line itself and a caret under it.
pub fn render_all(d: &Diagnostics) {
    let base = Some(root());
    let mut whole = String::new();
    for diag in &d.items {
        let code = diag.code.as_bytes();
        assert!(
            code.len() == 4
                && code[0].is_ascii_uppercase()
                && code[1..].iter().all(u8::is_ascii_digit),
            "code {:?}",
            diag.code
        );
        assert!(!diag.message.is_empty(), "[{}] without a message", diag.code);
        let out = diag.render(base);
        let head = format!("{}[{}]: ", diag.severity.label(), diag.code);
        assert!(out.starts_with(&head), "{out}");
        if let Some(loc) = &diag.location
            && loc.line > 0
        {
            assert!(loc.column >= 1 && loc.width >= 1, "{loc:?}");
            assert!(!loc.line_text.contains('\n'), "{loc:?}");
            let shown = bulletin::diag::display_path(&loc.path, base);
            let at = format!("  --> {shown}:{}:{}\n", loc.line, loc.column);
            assert!(out.contains(&at), "expected `{at}` in:\n{out}");
            let caret = out
                .lines()
                .any(|l| l.contains(" | ") && l.trim_end().ends_with('^'));
            assert!(caret, "no caret in:\n{out}");
        }
        whole.push_str(&out);
        whole.push('\n');
    }
    assert_eq!(d.render(base), whole);
}
