//! Old binary Word and WPS files (.doc, .wps) → .docx through LibreOffice
//! (`soffice --headless --convert-to docx`), when it is installed. Each
//! conversion runs in its own temporary folder with its own LibreOffice
//! profile (two conversions never share one), on a copy of the file under
//! a plain name, and is killed with its whole process group after a
//! timeout.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// How long one conversion may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// First bytes of an OLE compound file (.doc, .wps, .xls, encrypted
/// .docx).
pub const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// How a clerk saves a file as .docx, for reason files.
pub const SAVE_AS_DOCX: &str = "请在 Word 或 WPS 中打开这个文件，点“文件 → 另存为”，保存类型选“Word 文档 (*.docx)”，再把新的 .docx 文件放入收件箱";

/// `soffice` (or `libreoffice`) on PATH, or where macOS puts it.
pub fn find() -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["soffice.exe", "soffice.com"]
    } else {
        &["soffice", "libreoffice"]
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            for n in names {
                let p = dir.join(n);
                if p.is_file() {
                    return Some(p);
                }
            }
        }
    }
    let mac = Path::new("/Applications/LibreOffice.app/Contents/MacOS/soffice");
    mac.is_file().then(|| mac.to_path_buf())
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> io::Result<TempDir> {
    static N: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    for _ in 0..100 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let p = base.join(format!(
            "bulletin-soffice-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        match std::fs::create_dir(&p) {
            Ok(()) => return Ok(TempDir(p)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("无法创建临时目录"))
}

/// A path as a `file://` URL (LibreOffice's `-env:UserInstallation`).
fn file_url(p: &Path) -> String {
    let mut s = String::from("file://");
    let text = p.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        s.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// Convert `bytes` (a file with extension `ext`) to .docx with `program`,
/// killed after `timeout`. The error is Chinese, for the reason file.
pub fn to_docx(
    program: &Path,
    bytes: &[u8],
    ext: &str,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let fail = |why: String| format!("用 LibreOffice 转换为 .docx 失败（{why}）：{SAVE_AS_DOCX}");
    let tmp = temp_dir().map_err(|e| fail(format!("无法创建临时目录：{e}")))?;
    let input = tmp.0.join(format!("input.{ext}"));
    let out_dir = tmp.0.join("out");
    let profile = tmp.0.join("profile");
    std::fs::write(&input, bytes).map_err(|e| fail(e.to_string()))?;
    std::fs::create_dir(&out_dir).map_err(|e| fail(e.to_string()))?;
    let mut cmd = Command::new(program);
    cmd.arg(format!("-env:UserInstallation={}", file_url(&profile)))
        .args(["--headless", "--norestore", "--nolockcheck", "--convert-to"])
        .arg("docx:MS Word 2007 XML")
        .arg("--outdir")
        .arg(&out_dir)
        .arg(&input)
        .current_dir(&tmp.0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| fail(format!("无法启动 soffice：{e}")))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() >= timeout => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(_) => break None,
        }
    };
    // The whole group: soffice starts soffice.bin, which may outlive it.
    kill_group(&mut child);
    let Some(status) = status else {
        return Err(fail(format!(
            "超过 {} 秒没有完成，已中止",
            timeout.as_secs()
        )));
    };
    let out = out_dir.join("input.docx");
    match std::fs::metadata(&out) {
        Ok(m) if m.len() > super::super::MAX_FILE_BYTES => Err(fail("转换结果太大".to_string())),
        Ok(_) => std::fs::read(&out).map_err(|e| fail(e.to_string())),
        Err(_) if !status.success() => Err(fail(format!("soffice 退出码 {status}"))),
        Err(_) => Err(fail(
            "没有生成 .docx，文件可能已损坏或设置了密码".to_string(),
        )),
    }
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // SAFETY: kill(2) on the process group this conversion created
        // (process_group(0) made the child its leader); no memory involved.
        unsafe {
            libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn script(dir: &Path, body: &str) -> PathBuf {
        let p = dir.join("fake-soffice");
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn hanging_converter_is_killed() {
        let t = temp_dir().unwrap();
        let p = script(&t.0, "sleep 30 & sleep 30");
        let start = Instant::now();
        let e = to_docx(&p, b"x", "doc", Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("没有完成"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn converter_output_is_read_and_failures_explained() {
        let t = temp_dir().unwrap();
        let ok = script(
            &t.0,
            "while [ $# -gt 0 ]; do if [ \"$1\" = --outdir ]; then out=$2; fi; shift; done\nprintf PKconverted > \"$out/input.docx\"",
        );
        assert_eq!(to_docx(&ok, b"x", "doc", TIMEOUT).unwrap(), b"PKconverted");
        let bad = script(&t.0, "exit 3");
        let e = to_docx(&bad, b"x", "wps", TIMEOUT).unwrap_err();
        assert!(e.contains("另存为"), "{e}");
    }

    #[test]
    fn urls() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/配置")),
            "file:///tmp/a%20b/%E9%85%8D%E7%BD%AE"
        );
    }
}
