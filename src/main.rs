//! The `bulletin` command: a thin layer over the library.

#![allow(clippy::result_large_err)]

mod block_cache;
mod cli;

#[global_allocator]
static ALLOC: block_cache::BlockCache = block_cache::BlockCache::new();

fn main() -> std::process::ExitCode {
    // Output into a closed pipe (`bulletin build 2>&1 | head`) ends the
    // program quietly, as for other command-line tools; Rust's default is a
    // panic at the next print.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread or output exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A fixed mmap threshold: large blocks get their own mapping, returned
    // on free, instead of splitting the heap (see block_cache).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called before any allocation-heavy work or thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, block_cache::LARGE as libc::c_int);
    }
    cli::run()
}
