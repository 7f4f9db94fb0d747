//! `bulletin`: compiles a civil-affairs office's periodic bulletin
//! (民政工作动态) from many small Markdown submissions into a print-ready
//! PDF and an HTML edition.
//!
//! Data flow, one way: [`text`], [`wordbreak`], [`diag`], [`source`], [`fsutil`] →
//! [`config`] → [`workspace`] → [`model`] → [`check`], [`signoff`],
//! [`fonts`] → [`typeset`] → [`render`] → [`ops`] (one function per
//! workflow) → the command line.

// Diagnostics are plain values passed up once per problem; boxing them
// would buy nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod config;
pub mod dates;
pub mod diag;
pub mod fonts;
pub mod fsutil;
pub mod intake;
pub mod keys;
pub mod limits;
pub mod model;
pub mod ops;
pub mod render;
pub mod signoff;
pub mod source;
pub mod text;
pub mod typeset;
pub mod wordbreak;
pub mod workspace;
