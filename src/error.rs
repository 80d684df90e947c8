//! Failures of the tool itself (exit code 2): bad arguments, unreadable schema, missing paths.
//!
//! A problem in an article is never one of these: it is a [`crate::diagnostic::Diagnostic`].

use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// Why guidelint could not do its job.
#[derive(Debug, Error, Diagnostic)]
pub enum ToolError {
    /// A path named on the command line does not exist.
    #[error("path `{}` does not exist", path.display())]
    #[diagnostic(code(guidelint::path_not_found))]
    PathNotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// A file the tool needs could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    #[diagnostic(code(guidelint::read))]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A JSON file (schema) does not parse.
    #[error(transparent)]
    #[diagnostic(transparent)]
    JsonSyntax(Box<JsonSyntax>),
    /// The schema is JSON but not a valid JSON Schema.
    #[error("schema `{}` is not a valid JSON Schema: {message}", path.display())]
    #[diagnostic(code(guidelint::invalid_schema))]
    InvalidSchema {
        /// Its path.
        path: PathBuf,
        /// The validator's reason.
        message: String,
    },
    /// Standard input could not be read.
    #[error("cannot read standard input: {0}")]
    #[diagnostic(code(guidelint::stdin))]
    Stdin(std::io::Error),
    /// The thread pool could not be built.
    #[error("cannot start worker threads: {0}")]
    #[diagnostic(code(guidelint::threads))]
    Threads(String),
    /// Writing the report failed (other than a closed pipe).
    #[error("cannot write the report: {0}")]
    #[diagnostic(code(guidelint::write))]
    Write(std::io::Error),
}

impl ToolError {
    /// A JSON syntax error with the failing position marked in the file.
    #[must_use]
    pub fn json_syntax(path: &Path, text: &str, e: &serde_json::Error, what: &'static str) -> Self {
        let mut offset = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if i + 1 == e.line() {
                let col = e.column().saturating_sub(1);
                offset += line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
                break;
            }
            offset += line.len();
        }
        let name = path.display().to_string();
        Self::JsonSyntax(Box::new(JsonSyntax {
            what,
            name: name.clone(),
            message: e.to_string(),
            src: NamedSource::new(name, text.to_string()),
            at: SourceSpan::new(offset.min(text.len()).into(), 0),
        }))
    }
}

/// A JSON file that does not parse, with the failing position.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} `{name}` is not valid JSON: {message}")]
#[diagnostic(code(guidelint::json_syntax))]
pub struct JsonSyntax {
    /// What the file is for.
    what: &'static str,
    /// Its path.
    name: String,
    /// serde_json's reason.
    message: String,
    /// The file text.
    #[source_code]
    src: NamedSource<String>,
    /// Where it failed.
    #[label("here")]
    at: SourceSpan,
}
