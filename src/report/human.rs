//! `--format human`: miette reports with the source snippet, labels and help.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan,
    SpanContents,
};

use rayon::prelude::*;

use super::{Options, is_shown, summary_line, write_failures};
use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::{FileResult, RunResult};
use crate::snippet::Excerpt;
use crate::span::LineIndex;

/// How many files' texts are read again at once (in parallel), then rendered and dropped.
const BATCH: usize = 64;

pub(super) fn write(
    result: &RunResult,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(options.width);
    let files: Vec<&FileResult> = result
        .files
        .iter()
        .filter(|f| f.diagnostics.iter().any(|d| is_shown(d, options)))
        .collect();
    // Each batch is read again and rendered in parallel, one string per file, then written
    // in order: the output is the same whatever the number of threads.
    for batch in files.chunks(BATCH) {
        let rendered: Vec<Result<String, fmt::Error>> = batch
            .par_iter()
            .map(|file| render_file(&handler, file, options))
            .collect();
        for text in rendered {
            let text = text.map_err(|_| io::Error::other("cannot render a report"))?;
            out.write_all(text.as_bytes())?;
        }
    }
    write_failures(result, options.color, err)?;
    if !options.quiet {
        writeln!(out, "{}", summary_line(result))?;
    }
    Ok(())
}

/// Every shown finding of one file, rendered, each followed by a blank line.
fn render_file(
    handler: &GraphicalReportHandler,
    file: &FileResult,
    options: Options,
) -> Result<String, fmt::Error> {
    let source = file.text();
    // Stand-ins of one byte length keep every offset and line of the index valid.
    let shown = source
        .as_deref()
        .map(|s| (super::same_length_printable(&s.text), &s.lines));
    let name = super::printable(&file.path, false);
    let mut buffer = String::new();
    for d in file.diagnostics.iter().filter(|d| is_shown(d, options)) {
        let report = Report {
            path: &file.path,
            name: &name,
            doc: shown.as_ref().map(|(text, _)| &**text),
            lines: shown.as_ref().map(|&(_, lines)| lines),
            d,
            marked: super::marked(d, options),
        };
        handler.render_report(&mut buffer, &report)?;
        buffer.push('\n');
    }
    Ok(buffer)
}

/// Said instead of the source lines of a file that changed after it was checked.
const UNSHOWN: &str = "the file changed after it was checked: run again to see its lines";

/// One finding adapted to miette's `Diagnostic` trait.
struct Report<'a> {
    path: &'a str,
    /// `path` as it can be printed.
    name: &'a str,
    /// The file's text; `None` when it changed (or went away) after it was checked, and its
    /// lines cannot be shown.
    doc: Option<&'a str>,
    /// The line index of `doc`.
    lines: Option<&'a LineIndex>,
    d: &'a Diagnostic,
    /// `--fix` would apply its fix: shown as `[*]` after the rule.
    marked: bool,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("rule", &self.d.rule)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.doc.is_none() {
            let start = self.d.location.start;
            write!(
                f,
                "{}:{}:{}: ",
                super::printable(self.path, false),
                start.line,
                start.column
            )?;
        }
        f.write_str(&super::printable(&self.d.message, true))
    }
}

impl std::error::Error for Report<'_> {}

impl Report<'_> {
    /// The file's text as miette reads it: through windows around each label.
    fn excerpt(&self) -> Option<Excerpt<'_>> {
        Some(Excerpt::new(self.name, self.doc?, self.lines?))
    }
}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // Shown as the report's header, like rustc's `error[E0308]`.
        let mark = if self.d.baselined {
            " (baselined)"
        } else if self.marked {
            " [*]"
        } else {
            ""
        };
        Some(Box::new(format!(
            "{}[{}]{mark}",
            self.d.severity.as_str(),
            self.d.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let fix = self.d.fix.as_ref().map(|f| match f.applicability {
            crate::diagnostic::Applicability::Safe => format!("fix: {} (--fix)", f.title),
            crate::diagnostic::Applicability::Unsafe => {
                format!("fix: {} (--fix --unsafe-fixes)", f.title)
            }
        });
        let fix = match (fix, self.doc) {
            (fix, Some(_)) => fix,
            (Some(f), None) => Some(format!("{f}\n{UNSHOWN}")),
            (None, None) => Some(UNSHOWN.to_string()),
        };
        let help = self.d.help.as_deref().map(|h| super::printable(h, true));
        match (help, fix) {
            (Some(h), Some(f)) => Some(Box::new(format!("{h}\n{f}"))),
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(f)) => Some(Box::new(f)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.doc.map(|_| self as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt()?;
        let primary = LabeledSpan::new_primary_with_span(
            self.d
                .label
                .as_deref()
                .map(|l| super::printable(l, false).into_owned()),
            excerpt.source_span(self.d.span),
        );
        let secondary = self
            .d
            .labels
            .iter()
            .filter(move |l| excerpt.near(self.d.span, l.span))
            .map(move |l| {
                LabeledSpan::new_with_span(
                    Some(super::printable(&l.message, false).into_owned()),
                    excerpt.source_span(l.span),
                )
            });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

impl SourceCode for Report<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (Some(text), Some(lines)) = (self.doc, self.lines) else {
            return Err(MietteError::OutOfBounds);
        };
        // (The text has no lone CR, which the index counts as a line break and miette would
        // not: a line feed replaced it.)
        Excerpt::new(self.name, text, lines).read_span(
            span,
            context_lines_before,
            context_lines_after,
        )
    }
}
