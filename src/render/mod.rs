//! Renderers: the model of an issue to its output files.

pub mod html;
pub mod pdf;
