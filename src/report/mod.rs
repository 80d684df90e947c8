//! Renderers: turn a [`RunResult`] into text for people or programs.
//!
//! One module per format. Renderers compute lines and columns from byte spans; nothing else
//! in guidelint does.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::linter::RunResult;
use crate::span::{LineCol, Span};

mod concise;
mod human;
mod json;

/// Output formats of `guidelint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with the source snippet, labels and help (rustc / ruff style).
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON document, for scripts and CI.
    Json,
}

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Use ANSI colours.
    pub color: bool,
    /// Print findings only: no summary line.
    pub quiet: bool,
    /// Terminal width for wrapping human reports.
    pub width: usize,
}

/// Write `result` in `format`: the report to `out`, failures of human formats to `err`.
///
/// # Errors
/// Writing failed.
pub fn write(
    format: Format,
    result: &RunResult,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(result, options, out, err),
        Format::Concise => concise::write(result, options, out, err),
        Format::Json => json::write(result, out),
    }
}

/// Start and end (exclusive) of a span as lines and columns.
pub(crate) fn positions(doc: &Document, span: Span) -> (LineCol, LineCol) {
    (doc.line_col(span.start), doc.line_col(span.end))
}

/// `Checked 3 files in 0.01s: 2 errors, 1 warning` (plus failures).
pub(crate) fn summary_line(result: &RunResult) -> String {
    let files = result.files.len();
    let mut parts = Vec::new();
    for (severity, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = result.count(severity);
        if n > 0 {
            parts.push(format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            ));
        }
    }
    let fixable = result.diagnostics().filter(|d| d.fix.is_some()).count();
    if fixable > 0 {
        parts.push(format!("{fixable} fixable"));
    }
    if !result.failures.is_empty() {
        let n = result.failures.len();
        parts.push(format!(
            "{n} {} not checked",
            if n == 1 { "path" } else { "paths" }
        ));
    }
    let found = if parts.is_empty() {
        "no problems found".to_string()
    } else {
        parts.join(", ")
    };
    format!(
        "Checked {files} {} in {:.2}s: {found}",
        if files == 1 { "file" } else { "files" },
        result.elapsed.as_secs_f64()
    )
}

pub(crate) fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    }
}

pub(crate) fn write_failures(
    result: &RunResult,
    color: bool,
    err: &mut dyn Write,
) -> io::Result<()> {
    for f in &result.failures {
        if color {
            writeln!(err, "\x1b[1;31merror\x1b[0m: {}: {}", f.path, f.message)?;
        } else {
            writeln!(err, "error: {}: {}", f.path, f.message)?;
        }
    }
    Ok(())
}

pub(crate) fn with_documents(
    result: &RunResult,
) -> impl Iterator<Item = (&str, &Document, &Diagnostic)> {
    result.files.iter().flat_map(|f| {
        f.document
            .iter()
            .flat_map(move |doc| f.diagnostics.iter().map(move |d| (f.path.as_str(), doc, d)))
    })
}
