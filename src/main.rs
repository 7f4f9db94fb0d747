//! The `bulletin` command: a thin layer over the library.

#![allow(clippy::result_large_err)]

mod cli;

fn main() -> std::process::ExitCode {
    // Output into a closed pipe (`bulletin build 2>&1 | head`) ends the
    // program quietly, as for other command-line tools; Rust's default is a
    // panic at the next print.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread or output exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::run()
}
