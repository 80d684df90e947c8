//! The application: the command line ([`cli`]), the result cache ([`cache`]), fingerprints
//! and baselines, git, and reports ([`report`]), each a renderer at the edge.
//!
//! The top layer: it may use every layer below; nothing below uses it.

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod fingerprint;
pub mod git;
pub mod report;
