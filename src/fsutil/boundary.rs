//! The filesystem boundary: every read and write of workspace files goes
//! through a [`Boundary`], the folder the tool trusts as it was given (the
//! workspace root, an `--out` folder, an inbox configured by absolute path).
//!
//! - Reads: the file must be a regular file inside the boundary (a symlink
//!   may point elsewhere inside it, never out); FIFOs, devices and sockets
//!   are refused before they are opened, and the file is opened without
//!   blocking and checked again, so nothing can hang; at most `cap` bytes
//!   are read, whatever the file claims.
//! - Writes, moves and locks: nothing below the boundary on the way to the
//!   target is a symlink (folders are created one by one, each checked);
//!   the target itself is not a symlink, a folder or a special file; new
//!   files are created with create-new and without following links.
//!
//! Every refusal is a [`Refused`], which says in Chinese what was refused
//! and names the path relative to the workspace.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

/// Text files (configuration, submissions, templates, records) larger than
/// this are refused unread: no submission is anywhere near it (a 10 MB
/// submission builds in well under a second).
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Images larger than this are refused unread.
pub const MAX_IMAGE_BYTES: u64 = 64 << 20;

/// The trusted folder reads stay inside and writes below which no symlink
/// is followed.
#[derive(Debug, Clone)]
pub struct Boundary {
    base: PathBuf,
    /// `base` with every symlink resolved (what reads must stay inside).
    canon: PathBuf,
    /// Paths in messages are shown relative to this folder.
    shown_from: PathBuf,
}

/// One step of a path below the base.
#[derive(Debug)]
enum Step {
    Name(std::ffi::OsString),
    /// `..`: allowed in reads while the way stays inside, never in writes.
    Up,
}

/// What was wrong with a path.
#[derive(Debug)]
pub enum Problem {
    /// A symlink (this one, relative) leads out of the boundary.
    LinkOutside { link: PathBuf },
    /// A write or move would go through this symlink.
    LinkOnWritePath { link: PathBuf },
    /// The path is outside the boundary (`..`, another folder).
    Outside,
    /// A FIFO, device or socket (what it is, in Chinese).
    NotRegular { kind: &'static str },
    /// A folder where a file was expected.
    IsDir,
    /// A file (or something else) where a folder was expected: this one.
    NotDir { at: PathBuf },
    /// The file has other hard links (it is also somewhere else).
    HardLinked { links: u64 },
    /// Larger than the cap.
    TooBig { len: u64, cap: u64 },
    /// The OS said no.
    Io(io::Error),
}

/// A refused read or write: the path, what was wrong, and the path as
/// shown to the user.
#[derive(Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub problem: Problem,
    /// `path` relative to the workspace where it is inside it.
    pub shown: String,
    shown_from: PathBuf,
}

/// What a special file is, in Chinese.
fn kind_of(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "命名管道（FIFO）";
        }
        if ft.is_char_device() {
            return "字符设备";
        }
        if ft.is_block_device() {
            return "块设备";
        }
        if ft.is_socket() {
            return "套接字";
        }
    }
    if ft.is_symlink() {
        return "符号链接";
    }
    if ft.is_dir() {
        return "文件夹";
    }
    "特殊文件"
}

/// A Chinese description of an OS error (the OS text is English).
pub fn io_text(e: &io::Error) -> String {
    use std::io::ErrorKind as K;
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "是符号链接（或符号链接绕成了环），不会经由它打开".to_string();
    }
    let s = match e.kind() {
        K::NotFound => "找不到文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::DirectoryNotEmpty => "目录不是空的",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::StorageFull => "磁盘空间已满",
        K::QuotaExceeded => "超出了磁盘配额",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名无效或太长",
        K::CrossesDevices => "不能跨磁盘移动",
        K::TooManyLinks => "硬链接太多",
        K::ResourceBusy | K::ExecutableFileBusy | K::WouldBlock => "文件正被别的程序占用",
        K::Interrupted => "操作被中断",
        K::TimedOut => "操作超时",
        K::UnexpectedEof => "文件没有读完就结束了，可能不完整",
        K::InvalidData => "文件内容无效",
        K::InvalidInput => "参数或路径无效",
        K::OutOfMemory => "内存不足",
        K::StaleNetworkFileHandle => "网络盘上的文件已失效（网络盘可能断开了）",
        K::NetworkDown
        | K::NetworkUnreachable
        | K::HostUnreachable
        | K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected => "网络盘无法访问",
        K::Unsupported => "系统不支持这个操作",
        K::WriteZero => "没能写入任何内容（磁盘可能已满）",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误，代码 {code}"),
                // An error made by this program carries its own Chinese
                // text; anything else English stays out.
                None if e
                    .to_string()
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) =>
                {
                    e.to_string()
                }
                None => "未知的系统错误".to_string(),
            };
        }
    };
    s.to_string()
}

impl Problem {
    /// What was wrong, in Chinese, without the path (the caller names it).
    pub fn describe(&self) -> String {
        match self {
            Problem::LinkOutside { .. } => "是指向工作区之外的符号链接".to_string(),
            Problem::LinkOnWritePath { .. } => "路径中有符号链接".to_string(),
            Problem::Outside => "在工作区之外".to_string(),
            Problem::NotRegular { kind } => format!("是{kind}，不是普通文件"),
            Problem::IsDir => "是一个文件夹".to_string(),
            Problem::NotDir { .. } => "路径中有一段不是文件夹".to_string(),
            Problem::HardLinked { .. } => "是硬链接".to_string(),
            Problem::TooBig { len, cap } => format!(
                "太大（{:.1} MB），超过了 {} MB 的上限",
                *len as f64 / 1048576.0,
                cap >> 20
            ),
            Problem::Io(e) => io_text(e),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Refused {
    fn shown_path(&self, p: &Path) -> String {
        shown(p, &self.shown_from)
    }

    /// What happened, in Chinese, naming the path; `doing` is 读取, 写入 …
    pub fn message(&self, doing: &str) -> String {
        let s = &self.shown;
        match &self.problem {
            Problem::LinkOutside { link } if link == &self.path => {
                format!("{s} 是指向工作区之外的符号链接，不会{doing}")
            }
            Problem::LinkOutside { link } => format!(
                "{s} 在工作区之外：{} 是指向工作区之外的符号链接，不会{doing}",
                self.shown_path(link)
            ),
            Problem::LinkOnWritePath { link } if link == &self.path => {
                format!("{s} 是一个符号链接，不会经由它{doing}")
            }
            Problem::LinkOnWritePath { link } => format!(
                "{} 是一个符号链接，不会经由它{doing} {s}",
                self.shown_path(link)
            ),
            Problem::Outside => format!("{s} 在工作区之外，不会{doing}"),
            Problem::NotRegular { kind } => format!("{s} 是{kind}，不是普通文件，不会{doing}"),
            Problem::IsDir => format!("{s} 是一个文件夹，不是文件"),
            Problem::NotDir { at } => {
                format!(
                    "{} 应当是文件夹，却不是，无法{doing} {s}",
                    self.shown_path(at)
                )
            }
            Problem::HardLinked { links } => format!(
                "{s} 是硬链接（同一份内容还在另外 {} 处），不会{doing}",
                links - 1
            ),
            Problem::TooBig { len, cap } => format!(
                "{s} 太大（{:.1} MB），超过了 {} MB 的上限，不会{doing}",
                *len as f64 / 1048576.0,
                cap >> 20
            ),
            Problem::Io(e) if e.kind() == io::ErrorKind::NotFound && doing == "读取" => {
                format!("找不到文件 {s}")
            }
            Problem::Io(e) => format!("无法{doing} {s}（{}）", io_text(e)),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match &self.problem {
            Problem::LinkOutside { .. } | Problem::Outside => {
                "把文件本身复制到工作区里，不要用指向工作区之外的符号链接（快捷方式）"
            }
            Problem::LinkOnWritePath { .. } => {
                "删除这个符号链接（快捷方式），让程序自己建立文件夹；要把输出写到别处，请用 --out 目录"
            }
            Problem::NotRegular { .. } | Problem::IsDir | Problem::NotDir { .. } => {
                "把它换成普通文件（或文件夹），或者移走"
            }
            Problem::HardLinked { .. } => "请把文件本身复制进来，不要用硬链接",
            Problem::TooBig { .. } => "请检查是否放错了文件；稿件一般只有几十 KB",
            Problem::Io(_) => "请检查文件是否存在、是否有读写权限、磁盘是否已满",
        }
    }

    /// An error diagnostic for a refused read.
    pub fn read_diagnostic(&self) -> Diagnostic {
        self.diagnostic("读取")
    }

    /// An error diagnostic for a refused write (`doing`: 写入, 移动 …).
    pub fn diagnostic(&self, doing: &str) -> Diagnostic {
        let code = match &self.problem {
            Problem::LinkOutside { .. } | Problem::Outside => "E034",
            Problem::LinkOnWritePath { .. } => "E036",
            Problem::NotRegular { .. } | Problem::HardLinked { .. } => "E035",
            Problem::TooBig { .. } => "E004",
            Problem::IsDir | Problem::NotDir { .. } => "E035",
            Problem::Io(_) if doing == "读取" => "E001",
            Problem::Io(_) => "E050",
        };
        Diagnostic::error(code, self.message(doing))
            .in_file(&self.path)
            .with_hint(self.hint())
    }

    /// The underlying OS error, if that is what it was.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match &self.problem {
            Problem::Io(e) => Some(e.kind()),
            _ => None,
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message("处理"))
    }
}

impl std::error::Error for Refused {}

fn shown(p: &Path, from: &Path) -> String {
    match p.strip_prefix(from) {
        Ok(r) if !r.as_os_str().is_empty() => r.display().to_string(),
        _ => p.display().to_string(),
    }
}

/// Open flags for reads and locks: do not follow a final symlink, do not
/// block on a FIFO.
#[cfg(unix)]
fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
}

#[cfg(not(unix))]
fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    o
}

/// Create `path` for writing: a new file only, never through a symlink.
pub fn create_new(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().write(true).create_new(true)).open(path)
}

/// Open an existing file read-write for locking (created if missing) without
/// following a symlink and without blocking; it must be a regular file with
/// no other hard link (it is emptied in place).
pub fn open_lock_file(path: &Path) -> io::Result<File> {
    let file = no_follow(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)?;
    let m = file.metadata()?;
    if !m.is_file() {
        return Err(io::Error::other(format!(
            "锁文件是{}，不是普通文件",
            kind_of(&m.file_type())
        )));
    }
    if links(&m) > 1 {
        return Err(io::Error::other("锁文件是硬链接，不会改动它"));
    }
    clear_nonblock(&file);
    Ok(file)
}

#[cfg(unix)]
fn clear_nonblock(f: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl on a descriptor this File owns.
    unsafe {
        let fd = f.as_raw_fd();
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
}

#[cfg(not(unix))]
fn clear_nonblock(_: &File) {}

/// How many names the file has.
fn links(m: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        1
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Read a file already known to be where it should be (an image resolved
/// inside the workspace): opened without following a final symlink and
/// without blocking, refused unless a regular file, at most `cap` bytes.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, Problem> {
    let before = fs::symlink_metadata(path).map_err(Problem::Io)?;
    read_checked(path, &before, cap, false)
}

fn read_checked(
    path: &Path,
    before: &fs::Metadata,
    cap: u64,
    single_link: bool,
) -> Result<Vec<u8>, Problem> {
    let ft = before.file_type();
    if ft.is_dir() {
        return Err(Problem::IsDir);
    }
    if !ft.is_file() {
        return Err(Problem::NotRegular { kind: kind_of(&ft) });
    }
    if single_link && links(before) > 1 {
        return Err(Problem::HardLinked {
            links: links(before),
        });
    }
    if before.len() > cap {
        return Err(Problem::TooBig {
            len: before.len(),
            cap,
        });
    }
    let file = no_follow(OpenOptions::new().read(true))
        .open(path)
        .map_err(Problem::Io)?;
    let now = file.metadata().map_err(Problem::Io)?;
    if !now.is_file() || !same_file(before, &now) {
        // Swapped between the look and the open.
        return Err(Problem::NotRegular {
            kind: kind_of(&now.file_type()),
        });
    }
    clear_nonblock(&file);
    let mut bytes = Vec::with_capacity(now.len().min(cap) as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(Problem::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Problem::TooBig {
            len: now.len().max(bytes.len() as u64),
            cap,
        });
    }
    Ok(bytes)
}

impl Boundary {
    /// The boundary at `base`; paths are shown relative to it.
    pub fn new(base: &Path) -> Boundary {
        let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
        let canon = base.canonicalize().unwrap_or_else(|_| base.clone());
        Boundary {
            shown_from: base.clone(),
            base,
            canon,
        }
    }

    /// Show paths relative to `root` (the workspace) instead.
    pub fn shown_from(mut self, root: &Path) -> Boundary {
        self.shown_from = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        self
    }

    pub fn base(&self) -> &Path {
        &self.base
    }

    fn refused(&self, path: &Path, problem: Problem) -> Refused {
        Refused {
            path: path.to_path_buf(),
            shown: shown(path, &self.shown_from),
            shown_from: self.shown_from.clone(),
            problem,
        }
    }

    /// `path` below the base, as plain names (no `..`), or why not.
    fn below(&self, path: &Path) -> Result<Vec<Step>, Refused> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs
            .strip_prefix(&self.base)
            .or_else(|_| abs.strip_prefix(&self.canon))
            .map_err(|_| self.refused(path, Problem::Outside))?;
        let mut out = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(n) => out.push(Step::Name(n.to_os_string())),
                Component::ParentDir => out.push(Step::Up),
                Component::CurDir => {}
                _ => return Err(self.refused(path, Problem::Outside)),
            }
        }
        Ok(out)
    }

    /// The real path of `path` (every symlink resolved), which must be
    /// inside the boundary; `path` itself need not exist, its folder must.
    /// Errors name the first symlink that leads out.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Refused> {
        let comps = self.below(path)?;
        let mut cur = self.canon.clone();
        let mut lexical = self.base.clone();
        for step in comps {
            let c = match step {
                Step::Up => {
                    lexical.pop();
                    cur.pop();
                    if !cur.starts_with(&self.canon) {
                        return Err(self.refused(path, Problem::Outside));
                    }
                    continue;
                }
                Step::Name(c) => c,
            };
            lexical.push(&c);
            let next = cur.join(&c);
            match fs::symlink_metadata(&next) {
                Ok(m) if m.file_type().is_symlink() => {
                    let real = next
                        .canonicalize()
                        .map_err(|e| self.refused(path, Problem::Io(e)))?;
                    if !real.starts_with(&self.canon) {
                        return Err(self.refused(path, Problem::LinkOutside { link: lexical }));
                    }
                    cur = real;
                }
                Ok(_) => cur = next,
                Err(e) if e.kind() == io::ErrorKind::NotFound => cur = next,
                Err(e) => return Err(self.refused(path, Problem::Io(e))),
            }
        }
        Ok(cur)
    }

    /// Read `path`: a regular file inside the boundary, at most `cap` bytes.
    pub fn read(&self, path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
        self.read_with(path, cap, false)
    }

    /// [`Boundary::read`], also refusing a file with other hard links
    /// (an inbox file that is also somewhere else on the disk).
    pub fn read_single_link(&self, path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
        self.read_with(path, cap, true)
    }

    fn read_with(&self, path: &Path, cap: u64, single: bool) -> Result<Vec<u8>, Refused> {
        let real = self.resolve(path)?;
        let before = fs::symlink_metadata(&real).map_err(|e| self.refused(path, Problem::Io(e)))?;
        read_checked(&real, &before, cap, single).map_err(|p| self.refused(path, p))
    }

    /// Check a file to read without reading it: what [`Boundary::read`]
    /// refuses before opening. The real path.
    pub fn check_read(&self, path: &Path) -> Result<PathBuf, Refused> {
        let real = self.resolve(path)?;
        let m = fs::symlink_metadata(&real).map_err(|e| self.refused(path, Problem::Io(e)))?;
        let ft = m.file_type();
        if ft.is_dir() {
            return Err(self.refused(path, Problem::IsDir));
        }
        if !ft.is_file() {
            return Err(self.refused(path, Problem::NotRegular { kind: kind_of(&ft) }));
        }
        Ok(real)
    }

    /// Make sure `dir` is a real folder below the base, creating what is
    /// missing one folder at a time; no part of the way is a symlink.
    pub fn ensure_dir(&self, dir: &Path) -> Result<(), Refused> {
        self.walk_dirs(dir, true).map(|_| ())
    }

    /// Whether `dir` exists as a real folder below the base (not through a
    /// symlink); `Ok(false)` when it does not exist.
    pub fn real_dir(&self, dir: &Path) -> Result<bool, Refused> {
        self.walk_dirs(dir, false)
    }

    fn walk_dirs(&self, dir: &Path, create: bool) -> Result<bool, Refused> {
        let comps = self.below(dir)?;
        // The base itself is trusted as given (it may be reached through a
        // symlink the editor made); it may still have to be made.
        match fs::metadata(&self.base) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(self.refused(
                    dir,
                    Problem::NotDir {
                        at: self.base.clone(),
                    },
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && !create => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&self.base)
                    .map_err(|e| self.refused(&self.base, Problem::Io(e)))?;
            }
            Err(e) => return Err(self.refused(&self.base, Problem::Io(e))),
        }
        let mut cur = self.base.clone();
        for step in comps {
            let Step::Name(c) = step else {
                return Err(self.refused(dir, Problem::Outside));
            };
            cur.push(&c);
            let mut made = false;
            loop {
                match fs::symlink_metadata(&cur) {
                    Ok(m) if m.file_type().is_symlink() => {
                        return Err(
                            self.refused(dir, Problem::LinkOnWritePath { link: cur.clone() })
                        );
                    }
                    Ok(m) if m.is_dir() => break,
                    Ok(_) => {
                        return Err(self.refused(dir, Problem::NotDir { at: cur.clone() }));
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound && !create => return Ok(false),
                    Err(e) if e.kind() == io::ErrorKind::NotFound && !made => {
                        made = true;
                        match fs::create_dir(&cur) {
                            // Someone else made it: look again.
                            Ok(()) => {}
                            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                            Err(e) => return Err(self.refused(&cur, Problem::Io(e))),
                        }
                    }
                    Err(e) => return Err(self.refused(&cur, Problem::Io(e))),
                }
            }
        }
        Ok(true)
    }

    /// Make a file at `path` writable by replacing it: its folder is made
    /// real (see [`Boundary::ensure_dir`]), and whatever stands there now is
    /// a regular file or nothing.
    pub fn check_write(&self, path: &Path) -> Result<(), Refused> {
        if let Some(parent) = path.parent() {
            self.ensure_dir(parent)
                .map_err(|r| self.refused(path, r.problem))?;
        }
        match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => Err(self.refused(
                path,
                Problem::LinkOnWritePath {
                    link: path.to_path_buf(),
                },
            )),
            Ok(m) if m.is_dir() => Err(self.refused(path, Problem::IsDir)),
            Ok(m) if !m.is_file() => Err(self.refused(
                path,
                Problem::NotRegular {
                    kind: kind_of(&m.file_type()),
                },
            )),
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.refused(path, Problem::Io(e))),
        }
    }

    /// Wrap an OS error on `path` as a refusal.
    pub fn io(&self, path: &Path, e: io::Error) -> Refused {
        self.refused(path, Problem::Io(e))
    }

    /// Write `bytes` to `path` atomically (see [`super::write_atomic`]).
    pub fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), Refused> {
        self.check_write(path)?;
        super::write_atomic(path, bytes).map_err(|e| self.io(path, e))
    }

    /// Create `path` with `bytes` only if nothing is there (see
    /// [`super::write_new`]).
    pub fn write_new(&self, path: &Path, bytes: &[u8]) -> Result<(), Refused> {
        self.check_write(path)?;
        super::write_new(path, bytes).map_err(|e| self.io(path, e))
    }

    /// Several files, all or none (see [`super::write_all_atomic`]); every
    /// target checked first.
    pub fn write_all_atomic(
        &self,
        files: &[(&Path, &[u8])],
        writers: usize,
    ) -> Result<(), Refused> {
        for (p, _) in files {
            self.check_write(p)?;
        }
        super::write_all_atomic(files, writers).map_err(|(p, e)| self.io(&p, e))
    }

    /// Write under a free name in `dir` (see [`super::write_unique`]).
    pub fn write_unique(
        &self,
        dir: &Path,
        base: &str,
        ext: &str,
        bytes: &[u8],
    ) -> Result<PathBuf, Refused> {
        self.ensure_dir(dir)?;
        super::write_unique(dir, base, ext, bytes).map_err(|e| self.unique(dir, e))
    }

    /// Move `src` into `dir` under a free name (see [`super::move_unique`]).
    pub fn move_unique(&self, src: &Path, dir: &Path, name: &str) -> Result<PathBuf, Refused> {
        self.ensure_dir(dir)?;
        super::move_unique(src, dir, name).map_err(|e| self.unique(dir, e))
    }

    fn unique(&self, dir: &Path, e: super::names::UniqueError) -> Refused {
        match e {
            super::names::UniqueError::TooMany => self.io(
                dir,
                io::Error::new(io::ErrorKind::AlreadyExists, "同名文件太多"),
            ),
            super::names::UniqueError::Io { path, error } => self.io(&path, error),
        }
    }

    /// Take the lock on `path` (see [`super::lock::FileLock`]); its folder
    /// and the lock file are checked like any write.
    pub fn lock(
        &self,
        path: &Path,
        wait: std::time::Duration,
    ) -> Result<super::lock::FileLock, LockRefused> {
        self.check_write(path).map_err(LockRefused::Refused)?;
        super::lock::FileLock::acquire(path, wait).map_err(|e| match e {
            super::lock::LockError::Held { holder } => LockRefused::Held { holder },
            super::lock::LockError::Io(e) => LockRefused::Refused(self.io(path, e)),
        })
    }
}

/// Why [`Boundary::lock`] did not take the lock.
#[derive(Debug)]
pub enum LockRefused {
    /// Another holder has it; what it wrote in the file.
    Held {
        holder: String,
    },
    Refused(Refused),
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tmp(tag: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("bulletin-boundary-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_stay_inside_and_refuse_special_files() {
        let d = tmp("read");
        let ws = d.join("ws");
        fs::create_dir_all(ws.join("a")).unwrap();
        fs::write(ws.join("a/in.txt"), "内").unwrap();
        fs::write(d.join("secret.txt"), "秘").unwrap();
        symlink(d.join("secret.txt"), ws.join("a/out.txt")).unwrap();
        symlink(ws.join("a/in.txt"), ws.join("a/link.txt")).unwrap();
        symlink(&d, ws.join("up")).unwrap();
        symlink("/dev/zero", ws.join("zero")).unwrap();
        let b = Boundary::new(&ws);
        assert_eq!(b.read(&ws.join("a/in.txt"), 10).unwrap(), "内".as_bytes());
        assert_eq!(b.read(&ws.join("a/link.txt"), 10).unwrap(), "内".as_bytes());
        let e = b.read(&ws.join("a/out.txt"), 10).unwrap_err();
        assert_eq!(
            e.message("读取"),
            "a/out.txt 是指向工作区之外的符号链接，不会读取"
        );
        let e = b.read(&ws.join("up/secret.txt"), 10).unwrap_err();
        assert_eq!(
            e.message("读取"),
            "up/secret.txt 在工作区之外：up 是指向工作区之外的符号链接，不会读取"
        );
        assert!(matches!(
            b.read(&ws.join("zero"), 10).unwrap_err().problem,
            Problem::LinkOutside { .. }
        ));
        assert!(matches!(
            b.read(&ws.join("../secret.txt"), 10).unwrap_err().problem,
            Problem::Outside
        ));
        assert!(matches!(
            b.read(&ws.join("a/in.txt"), 2).unwrap_err().problem,
            Problem::TooBig { len: 3, cap: 2 }
        ));
        // A FIFO is refused without blocking.
        let fifo = ws.join("a/pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(
            b.read(&fifo, 10).unwrap_err().problem,
            Problem::NotRegular { .. }
        ));
        assert!(matches!(
            read_regular(&fifo, 10).unwrap_err(),
            Problem::NotRegular { .. }
        ));
        // Hard links.
        fs::hard_link(ws.join("a/in.txt"), ws.join("a/hard.txt")).unwrap();
        assert!(b.read(&ws.join("a/hard.txt"), 10).is_ok());
        assert!(matches!(
            b.read_single_link(&ws.join("a/hard.txt"), 10)
                .unwrap_err()
                .problem,
            Problem::HardLinked { links: 2 }
        ));
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn writes_never_go_through_a_symlink() {
        let d = tmp("write");
        let ws = d.join("ws");
        let outside = d.join("outside");
        fs::create_dir_all(&ws).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("victim"), "keep").unwrap();
        symlink(&outside, ws.join("out")).unwrap();
        symlink(outside.join("victim"), ws.join(".lock")).unwrap();
        let b = Boundary::new(&ws);
        let e = b.write_atomic(&ws.join("out/39/x.html"), b"x").unwrap_err();
        assert_eq!(
            e.message("写入"),
            "out 是一个符号链接，不会经由它写入 out/39/x.html"
        );
        let e = b
            .lock(&ws.join(".lock"), std::time::Duration::ZERO)
            .unwrap_err();
        assert!(matches!(e, LockRefused::Refused(_)));
        assert_eq!(fs::read(outside.join("victim")).unwrap(), b"keep");
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 1);
        // Real folders are made as needed.
        b.write_atomic(&ws.join("real/39/x.html"), b"x").unwrap();
        assert_eq!(fs::read(ws.join("real/39/x.html")).unwrap(), b"x");
        // The lock file itself, opened directly, is refused as a link too.
        assert!(open_lock_file(&ws.join(".lock")).is_err());
        fs::remove_dir_all(&d).unwrap();
    }
}
