//! `--format human`: miette reports with the source snippet, labels and help.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use rayon::prelude::*;

use super::{Options, is_shown, summary_line, write_failures};
use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::{FileResult, RunResult};
use crate::span::{LineIndex, Span};

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
    let mut buffer = String::new();
    for d in file.diagnostics.iter().filter(|d| is_shown(d, options)) {
        let report = Report {
            path: &file.path,
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

/// Lines longer than this (in bytes) are shown only around a finding's span ...
const LONG_LINE: usize = 500;
/// ... with this many bytes either side of it.
const LINE_CONTEXT: usize = 120;

/// Said instead of the source lines of a file that changed after it was checked.
const UNSHOWN: &str = "the file changed after it was checked: run again to see its lines";

/// One finding adapted to miette's `Diagnostic` trait.
struct Report<'a> {
    path: &'a str,
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
    /// A span miette can slice: clamped to the text and to character boundaries (the text of
    /// a file that is not UTF-8 is a lossy copy).
    fn source_span(&self, text: &str, span: Span) -> SourceSpan {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        SourceSpan::new(start.into(), end - start)
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
        let text = self.doc?;
        let primary = LabeledSpan::new_primary_with_span(
            self.d
                .label
                .as_deref()
                .map(|l| super::printable(l, false).into_owned()),
            self.source_span(text, self.d.span),
        );
        // On a very long line only what is shown around the primary span can be labelled
        // (see `read_span`).
        let near = |span: Span| match self.lines {
            Some(lines)
                if lines
                    .lines_around(text.len(), Span::empty(self.d.span.start), 0, 0)
                    .1
                    .len()
                    > LONG_LINE =>
            {
                span.end + LINE_CONTEXT >= self.d.span.start
                    && span.start <= self.d.span.end + LINE_CONTEXT
            }
            _ => true,
        };
        let secondary = self.d.labels.iter().filter(move |l| near(l.span)).map(|l| {
            LabeledSpan::new_with_span(
                Some(super::printable(&l.message, false).into_owned()),
                self.source_span(text, l.span),
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
        // miette finds lines by reading the text from its start: given the whole file, each
        // finding would cost a pass over it. It gets the lines around the span instead (one
        // more on each side than it reads, so it sees the same lines), and its answer is moved
        // back to file coordinates. (The text has no lone CR, which miette would count as a
        // line break and the index does not: its stand-in replaced it.)
        let start = span.offset();
        let name = || super::printable(self.path, false).into_owned();
        let end = start + span.len();
        // The span's first and last lines (one line for most spans).
        let (own_first, head) = lines.lines_around(text.len(), Span::empty(start), 0, 0);
        let last = end.saturating_sub(1).max(start);
        let (_, tail) = lines.lines_around(text.len(), Span::empty(last), 0, 0);
        if head.len() > LONG_LINE || tail.len() > LONG_LINE {
            // A line of thousands of characters (a flow list on one line) is shown around
            // the span only, without context lines: printing it whole for each of its
            // findings would print it thousands of times (and reading it, for each, take
            // as long).
            let mut cut_start = start.saturating_sub(LINE_CONTEXT).max(head.start);
            while !text.is_char_boundary(cut_start) {
                cut_start -= 1;
            }
            let mut cut_end = (end + LINE_CONTEXT).min(tail.end).max(end);
            while !text.is_char_boundary(cut_end) {
                cut_end += 1;
            }
            let inner = text[cut_start..cut_end].read_span(
                &SourceSpan::new((start - cut_start).into(), span.len()),
                context_lines_before.min(1),
                context_lines_after.min(1),
            )?;
            // Without context miette gives the span's column (in bytes): count the bytes
            // cut off the line's start too.
            let column = if context_lines_before == 0 {
                inner.column() + (cut_start - head.start)
            } else {
                inner.column()
            };
            return Ok(Box::new(MietteSpanContents::new_named(
                name(),
                inner.data(),
                SourceSpan::new(
                    (inner.span().offset() + cut_start).into(),
                    inner.span().len(),
                ),
                inner.line() + own_first,
                column,
                inner.line_count() + own_first,
            )));
        }
        let (first, window) = lines.lines_around(
            text.len(),
            Span::new(start, end),
            context_lines_before.saturating_add(1),
            context_lines_after.saturating_add(1),
        );
        let inner = text[window.start..window.end].read_span(
            &SourceSpan::new((start - window.start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            name(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window.start).into(),
                inner.span().len(),
            ),
            inner.line() + first,
            inner.column(),
            // miette counts the line breaks it read from the start of the text.
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of `d` on `text`, as `write` makes it.
    fn report_on<'a>(text: &'a str, lines: &'a LineIndex, d: &'a Diagnostic) -> Report<'a> {
        Report {
            path: "a.md",
            doc: Some(text),
            lines: Some(lines),
            d,
            marked: false,
        }
    }

    #[test]
    fn the_lines_around_a_span_are_those_miette_reads_from_the_whole_text() {
        let texts = [
            "a\nb\nc\nd\ne\nf\ng\n",
            "\u{feff}one\r\ntwo\r\n\r\nthree\r\nfour",
            "x",
            "",
            "\n\n",
            "é\nü\n\nlast line without an ending",
        ];
        let d = Diagnostic::new(Span::new(0, 0), "m");
        for text in texts {
            let lines = LineIndex::new(text);
            let report = report_on(text, &lines, &d);
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &offsets {
                for &end in offsets.iter().filter(|&&e| e >= start) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                        let span = SourceSpan::new(start.into(), end - start);
                        let want = text.read_span(&span, before, after).unwrap();
                        let got = report.read_span(&span, before, after).unwrap();
                        assert_eq!(
                            (
                                got.data(),
                                got.span(),
                                got.line(),
                                got.column(),
                                got.line_count()
                            ),
                            (
                                want.data(),
                                want.span(),
                                want.line(),
                                want.column(),
                                want.line_count()
                            ),
                            "{text:?} {start}..{end}, {before} before, {after} after"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn on_a_very_long_line_the_position_of_a_span_is_kept() {
        let line = "word, ".repeat(300);
        let text = format!("first\nstage: [{line}é, {line}end]\nlast\n");
        let lines = LineIndex::new(&text);
        let d = Diagnostic::new(Span::new(0, 0), "m");
        let report = report_on(&text, &lines, &d);
        // A span over many ordinary lines, longer than a long line in all, is shown with its
        // context lines as miette shows it from the whole text.
        let many = (0..40).fold(String::new(), |t, i| {
            t + &format!("line {i:02} of some text\n")
        });
        let many_lines = LineIndex::new(&many);
        let report_many = report_on(&many, &many_lines, &d);
        let span = SourceSpan::new(many.find("line 05").unwrap().into(), 30 * 22);
        for context in [0, 1, 2] {
            let want = many.as_str().read_span(&span, context, context).unwrap();
            let got = report_many.read_span(&span, context, context).unwrap();
            assert_eq!(
                (got.data(), got.span(), got.line(), got.column()),
                (want.data(), want.span(), want.line(), want.column())
            );
        }
        for needle in ["word", "é", "end"] {
            let start = text.rfind(needle).unwrap();
            let span = SourceSpan::new(start.into(), needle.len());
            // Without context: exactly what miette reads from the whole text.
            let want = text.as_str().read_span(&span, 0, 0).unwrap();
            let got = report.read_span(&span, 0, 0).unwrap();
            assert_eq!(
                (got.data(), got.span(), got.line(), got.column()),
                (want.data(), want.span(), want.line(), want.column()),
                "{needle}"
            );
            // With context: a piece of the line around the span, on the span's line.
            let got = report.read_span(&span, 1, 1).unwrap();
            assert_eq!(got.line(), 1);
            assert!(got.data().len() <= needle.len() + 2 * LINE_CONTEXT + 2);
            let data_start = got.span().offset();
            assert_eq!(
                &got.data()[start - data_start..][..needle.len()],
                needle.as_bytes()
            );
            assert_eq!(
                &text.as_bytes()[data_start..][..got.data().len()],
                got.data()
            );
        }
    }
}
