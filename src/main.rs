//! The `bulletin` command: a thin layer over the library.

#![allow(clippy::result_large_err)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
