//! The bottom layer: plain data and helpers every other layer uses: byte spans and line
//! columns, text helpers, diagnostics and fixes as data, hashes, paths, tool errors and the
//! source excerpts they show, unified diffs, suggestions.
//!
//! It may not use any other layer of the crate: nothing here knows about rules, settings,
//! files being checked or how findings are reported.

pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod hash;
pub mod paths;
pub mod printable;
pub mod snippet;
pub mod span;
pub mod suggest;
pub mod text;
