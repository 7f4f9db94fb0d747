//! Sign-off: reviewers (核稿, 审核 …) record that they approved exactly the
//! printed content of an issue. `issues/N/signoffs.toml` holds one record
//! per role: who, when (RFC 3339), the digest of the whole issue, of its
//! masthead and end block and of every item, and a seal over all of that,
//! so a hand edit of the record (a digest changed, a name swapped) is caught.
//!
//! A record is valid while the digests still match it; otherwise it
//! is stale and [`Change`]s say what changed since.

pub mod digest;
pub mod log;
mod records;
mod signing;
mod status;
#[cfg(test)]
mod tests;
pub mod texts;

pub use digest::{Digests, ItemDigest, digests, review_code};
pub use records::{FILE, Record, parse, path, read, render};
pub use signing::{LOCK_FILE, now_rfc3339, sign, unsign};
pub use status::{
    Change, RoleStatus, changes, display_time, prepare_build, prepare_build_auto,
    prepare_workspace_build, refusal, status, status_logged, unknown_roles,
};
