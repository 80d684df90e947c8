//! guidelint lints production-guide repositories: folders of Markdown articles about making
//! music, each with YAML front matter.
//!
//! The code is in layers, each a folder that may use only the layers below it
//! (`tests/layers.rs` keeps it so; `docs/architecture.md` draws it):
//!
//! - [`base`]: spans, text helpers, diagnostics as data, hashes, paths, tool errors;
//! - [`input`]: reading files, finding them, YAML with spans, the parsed [`input::document`],
//!   the article schema and the taxonomy;
//! - [`rules`]: every check, its options, the registry, suppression directives;
//! - [`config`]: `guidelint.yml` into [`config::Settings`];
//! - [`engine`]: checking files on a rayon pool, fixing, streaming results in path order;
//! - [`app`]: the command line, the result cache, baselines, git, reports.
//!
//! The data flow of a run: path → bytes → [`input::document::Document`] → rules →
//! [`base::diagnostic::Diagnostic`] → (fix) → report.

pub mod app;
pub mod base;
pub mod config;
pub mod engine;
pub mod input;
pub mod rules;
