//! guidelint lints production-guide repositories: folders of Markdown articles about making
//! music, each with YAML front matter.
//!
//! The pipeline: [`discover`] finds the files; [`linter`] reads each one on a rayon pool and
//! parses it once into a [`document::Document`] (front matter through [`yaml`] into JSON with a
//! span for every key and value, headings through pulldown-cmark); every rule in
//! [`rules::RULES`] reports [`diagnostic::Diagnostic`]s, plain data with byte spans; a renderer
//! in [`report`] turns them into text or JSON at the edge; the exit code says whether an error
//! was found.

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod document;
pub mod error;
pub mod fingerprint;
pub mod fix;
pub mod git;
pub mod input;
pub mod linter;
pub mod report;
pub mod rules;
pub mod schema;
pub mod snippet;
pub mod span;
pub mod suggest;
pub mod suppress;
pub mod taxonomy;
pub mod text;
pub mod yaml;
