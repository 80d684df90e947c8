//! Failures of the tool itself (exit code 2): bad arguments, unreadable schema, missing paths.
//!
//! A problem in an article is never one of these: it is a [`crate::base::diagnostic::Diagnostic`].

use std::path::{Path, PathBuf};

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};
use thiserror::Error;

use crate::base::snippet::{Excerpt, FileSource};
use crate::base::span::Span;

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
    /// A file the tool reads whole (configuration, schema, taxonomy, baseline) is a named
    /// pipe, a device or a folder: reading it could wait or go on for ever.
    #[error("{what} `{path}` is not a regular file ({kind})")]
    #[diagnostic(
        code(guidelint::not_a_file),
        help("name a regular file: named pipes, devices and folders are not read")
    )]
    NotRegular {
        /// What the file is for.
        what: &'static str,
        /// The path, as shown.
        path: String,
        /// What it is instead (`a named pipe`).
        kind: &'static str,
    },
    /// A file the tool reads whole is over the size limit of its kind.
    #[error("{what} `{path}` is larger than the {limit} limit")]
    #[diagnostic(
        code(guidelint::too_large),
        help(
            "guidelint reads configuration, schema and taxonomy files of up to 10 MiB and \
             baselines of up to 256 MiB"
        )
    )]
    TooLarge {
        /// What the file is for.
        what: &'static str,
        /// The path, as shown.
        path: String,
        /// The limit, e.g. `10 MiB`.
        limit: String,
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
    /// A configuration or taxonomy file with problems, each at its position.
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidFile(Box<InvalidFile>),
    /// `--select`, `--ignore` or `guidelint rule` named a rule that does not exist.
    #[error("no rule named `{name}`{hint}; run `guidelint rules` to list them")]
    #[diagnostic(code(guidelint::unknown_rule))]
    UnknownRule {
        /// The name given.
        name: String,
        /// " (did you mean …?)" or empty.
        hint: String,
    },
    /// `--select` or `--ignore` named a rule that cannot be turned on or off.
    #[error(
        "`{name}` cannot be selected or ignored: it is always on (it reports bugs in guidelint)"
    )]
    #[diagnostic(code(guidelint::always_on))]
    AlwaysOn {
        /// The name given.
        name: String,
    },
    /// `guidelint init` would overwrite a file.
    #[error("`{}` already exists; use --force to overwrite it", path.display())]
    #[diagnostic(code(guidelint::exists))]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    #[diagnostic(code(guidelint::write_file))]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `--changed-since`: Git failed.
    #[error("git: {0}")]
    #[diagnostic(
        code(guidelint::git),
        help("--changed-since needs a Git repository and a revision it knows, e.g. origin/main")
    )]
    Git(String),
    /// `--changed-since`: the working folder is not in a Git repository.
    #[error("not a Git repository: {}", path.display())]
    #[diagnostic(
        code(guidelint::git),
        help("--changed-since compares with a Git revision: run it inside a Git working tree")
    )]
    NotARepository {
        /// The folder.
        path: PathBuf,
    },
    /// `--changed-since`: the revision is refused or unknown.
    #[error("cannot use `{reference}` as a revision: {reason}")]
    #[diagnostic(
        code(guidelint::git),
        help("give a branch, tag or commit Git knows, e.g. --changed-since origin/main")
    )]
    Revision {
        /// The revision as given.
        reference: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A command-line value is malformed.
    #[error("{0}")]
    #[diagnostic(code(guidelint::usage))]
    Usage(String),
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
    /// A file (configuration, taxonomy) with one or more problems.
    #[must_use]
    pub fn invalid_file(
        what: &'static str,
        path: &Path,
        text: &str,
        problems: Vec<FileProblem>,
    ) -> Self {
        let name = path.display().to_string();
        let src = FileSource::new(name.clone(), text);
        // Each problem's spans are cut to what can be shown (a long line is shown only
        // around them) here, while the text is at hand.
        let mut problems = problems
            .into_iter()
            .map(|p| p.shown_in(&src.excerpt()))
            .collect::<Vec<_>>()
            .into_iter();
        let first = problems
            .next()
            .unwrap_or_else(|| FileProblem::new(Span::empty(0), "Invalid file".into(), "here"));
        Self::InvalidFile(Box::new(InvalidFile {
            what,
            name,
            src,
            first,
            rest: problems.collect(),
        }))
    }

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
        let src = FileSource::new(name.clone(), text);
        let at = src.excerpt().source_span(Span::empty(offset));
        Self::JsonSyntax(Box::new(JsonSyntax {
            what,
            name,
            message: e.to_string(),
            src,
            at,
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
    src: FileSource,
    /// Where it failed.
    #[label("here")]
    at: SourceSpan,
}

/// One problem in a configuration or taxonomy file.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct FileProblem {
    message: String,
    label: String,
    span: Span,
    secondary: Option<(Span, String)>,
    help: Option<String>,
}

impl FileProblem {
    /// A problem at `span` (bytes of the file).
    #[must_use]
    pub fn new(span: Span, message: String, label: impl Into<String>) -> Self {
        Self {
            message,
            label: label.into(),
            span,
            secondary: None,
            help: None,
        }
    }

    /// Add a second position in the same file.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, label: String) -> Self {
        self.secondary = Some((span, label));
        self
    }

    /// Add a help line.
    #[must_use]
    pub fn with_help(mut self, help: String) -> Self {
        self.help = Some(help);
        self
    }

    /// The message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// This problem with its spans cut to what `excerpt` shows, and its secondary span
    /// dropped when it cannot be shown with the first.
    fn shown_in(mut self, excerpt: &Excerpt<'_>) -> Self {
        self.secondary = self
            .secondary
            .filter(|(span, _)| excerpt.near(self.span, *span))
            .map(|(span, label)| (excerpt.label_span(span), label));
        self.span = excerpt.label_span(self.span);
        self
    }

    fn spans(&self) -> Vec<LabeledSpan> {
        let mut out = vec![LabeledSpan::new_primary_with_span(
            Some(self.label.clone()),
            SourceSpan::new(self.span.start.into(), self.span.len()),
        )];
        if let Some((span, label)) = &self.secondary {
            out.push(LabeledSpan::new_with_span(
                Some(label.clone()),
                SourceSpan::new(span.start.into(), span.len()),
            ));
        }
        out
    }
}

impl Diagnostic for FileProblem {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.spans().into_iter()))
    }
}

/// A configuration or taxonomy file with problems: the first is the report, the others are
/// related reports in the same file.
#[derive(Debug, Error)]
#[error("invalid {what} `{name}`: {}", first.message)]
pub struct InvalidFile {
    what: &'static str,
    name: String,
    src: FileSource,
    first: FileProblem,
    rest: Vec<FileProblem>,
}

impl InvalidFile {
    /// Every problem's message, in order.
    pub fn messages(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.first.message()).chain(self.rest.iter().map(FileProblem::message))
    }
}

impl Diagnostic for InvalidFile {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(format!("guidelint::{}", self.what)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.first.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.first.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.rest.is_empty() {
            None
        } else {
            Some(Box::new(self.rest.iter().map(|p| p as &dyn Diagnostic)))
        }
    }
}

#[cfg(test)]
mod tests {
    use miette::Diagnostic as _;

    use super::ToolError;

    #[test]
    fn error_codes_name_the_kind_of_error_not_a_module() {
        // The codes are shown to users (`guidelint::git`) and scripts may match them: where
        // the code that raises them lives must not show through.
        let errors = [
            ToolError::Git("x".into()),
            ToolError::NotARepository { path: "a".into() },
        ];
        for e in errors {
            assert_eq!(e.code().unwrap().to_string(), "guidelint::git");
        }
    }
}
