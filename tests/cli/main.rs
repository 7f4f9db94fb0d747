//! The integration tests: one binary that runs the real `bulletin`
//! executable (and, for layout and PDF checks, the library), one module per
//! area. Shared helpers live in `util` and `html_support`.
//!
//! All tests of this binary run as threads of one process: a test must not
//! change process-wide state (the current directory, environment
//! variables); give a child process its own with `Command::current_dir` and
//! `Command::env` instead.
//!
//! Run one area with `cargo test --test cli kill::`.

mod html_support;
mod util;
mod word_habits;

mod all_at_once;
mod bad_inputs;
mod build_errors;
mod check;
mod check_fix;
mod commands;
mod editor_loop;
mod fonts_report;
mod hostile_fs;
mod hostile_limits;
mod hostile_text;
mod html_archive;
mod html_browser;
mod html_consistency;
mod html_edition;
mod html_xss;
mod intake;
mod intake_docx;
mod kill;
mod limits;
mod page_fit;
mod pdf;
mod signoff;
mod signoff_keys;
mod smoke;
mod tables;
mod tagged;
mod typeset;
mod typography;
mod walkthrough;
mod yearly;
