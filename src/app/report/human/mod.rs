//! `--format human`: miette reports with the source snippet, labels and help.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan,
    SpanContents,
};

use super::{Options, Sink, Totals, is_shown};
use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::snippet::Excerpt;
use crate::base::span::LineIndex;
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;
use crate::input::document::{Checked, Source};

/// The human report, file by file.
pub(super) struct Human<'a> {
    handler: Handlers,
    options: Options,
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
}

impl<'a> Human<'a> {
    pub(super) fn new(
        options: Options,
        out: Box<dyn Write + 'a>,
        err: Box<dyn Write + 'a>,
    ) -> Self {
        Self {
            handler: handler(options),
            options,
            out,
            err,
        }
    }
}

impl Sink for Human<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        let options = self.options;
        // What was rendered in the check is right unless the baseline has marked it since.
        let ready = |i: usize, d: &Diagnostic| {
            options.prerendered && !d.baselined && file.rendered.get(i).is_some_and(Option::is_some)
        };
        let late = render_file(&self.handler, file, None, options, |i, d| {
            is_shown(d, options) && !ready(i, d)
        })
        .map_err(|_| io::Error::other("cannot render a report"))?;
        for (i, d) in file.diagnostics.iter().enumerate() {
            if !is_shown(d, options) {
                continue;
            }
            let text = if ready(i, d) {
                file.rendered[i].as_deref()
            } else {
                late[i].as_deref()
            };
            self.out.write_all(text.unwrap_or_default().as_bytes())?;
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        super::end_for_people(&mut self.out, &mut self.err, self.options, totals, failures)
    }
}

/// The findings of `file` picked by `pick` (by index), each rendered and followed by a blank
/// line; `None` for the others. The file's text is `given` (the text just checked), or read
/// again when one is picked.
fn render_file(
    handler: &Handlers,
    file: &FileResult,
    given: Option<Checked<'_>>,
    options: Options,
    pick: impl Fn(usize, &Diagnostic) -> bool,
) -> Result<Vec<Option<String>>, fmt::Error> {
    let mut texts = vec![None; file.diagnostics.len()];
    if !file.diagnostics.iter().enumerate().any(|(i, d)| pick(i, d)) {
        return Ok(texts);
    }
    let kept = if given.is_none() { file.text() } else { None };
    let source = given.or_else(|| kept.as_deref().map(Source::checked));
    // miette is given the text with stand-ins of the same length for what must not reach a
    // terminal (every offset and line of the index stay valid), made only if a finding goes
    // to miette: the direct rendering shows only lines of printable ASCII, the same in both.
    let sanitized = std::cell::OnceCell::new();
    let name = super::printable(&file.path, false);
    for (i, d) in file.diagnostics.iter().enumerate() {
        if !pick(i, d) {
            continue;
        }
        let mut report = Report {
            path: &file.path,
            name: &name,
            doc: source.map(|s| s.text),
            lines: source.map(|s| s.lines),
            d,
            marked: super::marked(d, options),
        };
        let direct = if options.color {
            None
        } else {
            simple::render(&report, handler.width)
        };
        let mut buffer = match direct {
            Some(text) => text,
            None => {
                report.doc = source
                    .map(|s| &**sanitized.get_or_init(|| super::same_length_printable(s.text)));
                let mut buffer = String::new();
                handler.pick(&report).render_report(&mut buffer, &report)?;
                buffer
            }
        };
        buffer.push('\n');
        texts[i] = Some(buffer);
    }
    Ok(texts)
}

/// Render each finding of a file as the human report shows it when it is not baselined: on
/// the thread that checked the file, while the file is fresh in memory.
#[must_use]
pub fn prerender(options: Options) -> crate::engine::linter::Prerender {
    let handler = handler(options);
    crate::engine::linter::Prerender(Box::new(move |file, checked| {
        render_file(&handler, file, checked, options, |_, _| true).unwrap_or_default()
    }))
}

fn handler(options: Options) -> Handlers {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let wrapping = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(options.width);
    Handlers {
        plain: wrapping.clone().with_wrap_lines(false),
        ascii: wrapping
            .clone()
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation),
        wrapping,
        width: options.width,
    }
}

/// miette's renderer twice: one that wraps the message and help to the width (with Unicode
/// line breaking, most of what rendering a finding costs), and one that does not, for the
/// findings whose message and help fit as they are, where both write the same text.
struct Handlers {
    wrapping: GraphicalReportHandler,
    plain: GraphicalReportHandler,
    /// Wraps at spaces only, never at a hyphen: for ASCII texts, which then break only
    /// between words, never inside a rule name or a key (`front-matter-` / `missing`).
    ascii: GraphicalReportHandler,
    width: usize,
}

impl Handlers {
    /// The renderer for `report`.
    fn pick(&self, report: &Report<'_>) -> &GraphicalReportHandler {
        use miette::Diagnostic as _;
        let message = report.to_string();
        let help = report.help().map(|h| h.to_string());
        if fits(&message, MESSAGE_INDENT, self.width)
            && help
                .as_deref()
                .is_none_or(|h| fits(h, HELP_INDENT, self.width))
        {
            &self.plain
        } else if message.is_ascii() && help.as_deref().is_none_or(str::is_ascii) {
            &self.ascii
        } else {
            &self.wrapping
        }
    }
}

/// The columns miette puts before each line of a message (`  × `) and of a help (`  help: `).
const MESSAGE_INDENT: usize = 4;
const HELP_INDENT: usize = 8;

/// Whether wrapping `text` to `width` columns (miette wraps to two less), after `indent`
/// columns, would leave it as it is: every line printable ASCII (one column per byte), none
/// empty, none starting or ending with a blank, and each short enough.
fn fits(text: &str, indent: usize, width: usize) -> bool {
    crate::base::printable::plain_ascii(text, true) && fits_lines(text, indent, width)
}

/// [`fits`] of a text already known to be lines of printable ASCII.
fn fits_lines(text: &str, indent: usize, width: usize) -> bool {
    let room = width.saturating_sub(2).saturating_sub(indent);
    let fine = |line: &[u8]| {
        line.len() <= room
            && line.first().is_some_and(|&b| b != b' ')
            && line.last().is_some_and(|&b| b != b' ')
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    memchr::memchr_iter(b'\n', bytes).all(|end| {
        let line = &bytes[start..end];
        start = end + 1;
        fine(line)
    }) && fine(&bytes[start..])
}

mod simple;

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
        f.write_str(&super::printable_text(&self.d.message, true))
    }
}

impl std::error::Error for Report<'_> {}

impl Report<'_> {
    /// The file's text as miette reads it: through windows around each label.
    fn excerpt(&self) -> Option<Excerpt<'_>> {
        Some(Excerpt::new(self.name, self.doc?, self.lines?))
    }

    /// Append the report's header, like rustc's `error[E0308]`: the severity and rule, then
    /// ` (baselined)` or, when `--fix` would apply its fix, ` [*]`.
    fn code_into(&self, out: &mut String) {
        out.push_str(self.d.severity.as_str());
        out.push('[');
        out.push_str(self.d.rule);
        out.push(']');
        out.push_str(if self.d.baselined {
            " (baselined)"
        } else if self.marked {
            " [*]"
        } else {
            ""
        });
    }

    /// Append the help, one part per line: the finding's help, its fix and how to apply it,
    /// and, when the file changed after it was checked, why its lines are not shown. Whether
    /// there was any.
    fn help_into(&self, out: &mut String) -> bool {
        let mut any = false;
        let mut part = |out: &mut String| {
            if std::mem::replace(&mut any, true) {
                out.push('\n');
            }
        };
        if let Some(help) = &self.d.help {
            part(out);
            out.push_str(&super::printable(help, true));
        }
        if let Some(fix) = &self.d.fix {
            part(out);
            out.push_str("fix: ");
            out.push_str(&fix.title);
            out.push_str(match fix.applicability {
                crate::base::diagnostic::Applicability::Safe => " (--fix)",
                crate::base::diagnostic::Applicability::Unsafe => " (--fix --unsafe-fixes)",
            });
        }
        if self.doc.is_none() {
            part(out);
            out.push_str(UNSHOWN);
        }
        any
    }
}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut code = String::new();
        self.code_into(&mut code);
        Some(Box::new(code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut help = String::new();
        self.help_into(&mut help)
            .then(|| Box::new(help) as Box<dyn fmt::Display>)
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

#[cfg(test)]
pub(super) mod tests {
    use proptest::prelude::*;

    use super::{Handlers, Report, fits, handler};
    use crate::app::report::Options;
    use crate::base::diagnostic::Diagnostic;
    use crate::base::span::{LineIndex, Span};

    pub(super) fn options(width: usize) -> Options {
        Options {
            color: false,
            quiet: false,
            width,
            unsafe_fixes: false,
            fixing: false,
            prerendered: false,
        }
    }

    fn render(handlers: &Handlers, wrap: bool, d: &Diagnostic, doc: &str) -> String {
        let lines = LineIndex::new(doc);
        let report = Report {
            path: "a.md",
            name: "a.md",
            doc: Some(doc),
            lines: Some(&lines),
            d,
            marked: false,
        };
        let handler = if wrap {
            &handlers.wrapping
        } else {
            &handlers.plain
        };
        let mut out = String::new();
        handler.render_report(&mut out, &report).unwrap();
        out
    }

    proptest! {
        /// Where `fits` says the message and help need no wrapping, the renderer that does
        /// not wrap writes exactly what the wrapping one writes.
        #[test]
        fn texts_that_fit_render_the_same_without_wrapping(
            message in "[ -~]{0,70}(\n[ -~]{0,70})?|[ a-zé“”–]{0,40}",
            help in proptest::option::of("[ -~]{0,70}(\n[ -~]{0,70}){0,2}"),
            width in 20usize..110,
        ) {
            let doc = "---\ntitle: A\n---\n# Mixing\n";
            let mut d = Diagnostic::new(Span::new(4, 9), message.clone());
            d.rule = "tag-unknown";
            if let Some(h) = &help {
                d = d.with_help(h.clone());
            }
            let handlers = handler(options(width));
            let fit = fits(&message, super::MESSAGE_INDENT, width)
                && help.as_deref().is_none_or(|h| fits(h, super::HELP_INDENT, width));
            if fit {
                prop_assert_eq!(render(&handlers, true, &d, doc), render(&handlers, false, &d, doc));
            }
        }
    }

    #[test]
    fn long_ascii_help_breaks_between_words_not_inside_names() {
        let doc = "---\ntitle: A\n---\n# Mixing\n";
        let help = "Remove the repeated key, or suppress with guidelint-disable-next-line front-matter-duplicate-key";
        let d = Diagnostic::new(Span::new(4, 9), "Key appears twice").with_help(help);
        let handlers = handler(options(60));
        let report = Report {
            path: "a.md",
            name: "a.md",
            doc: Some(doc),
            lines: Some(&LineIndex::new(doc)),
            d: &d,
            marked: false,
        };
        assert!(std::ptr::eq(handlers.pick(&report), &handlers.ascii));
        let out = render(&handlers, false, &d, doc);
        let out = {
            let mut text = String::new();
            handlers.ascii.render_report(&mut text, &report).unwrap();
            assert_ne!(text, out, "the help is wrapped");
            text
        };
        assert!(out.contains("front-matter-duplicate-key"), "{out}");
        assert!(out.contains("guidelint-disable-next-line"), "{out}");
    }

    #[test]
    fn long_or_unusual_texts_are_wrapped() {
        assert!(fits("Unknown key `x`", 4, 80));
        assert!(!fits(&"x".repeat(75), 4, 80));
        assert!(fits(&"x".repeat(74), 4, 80));
        assert!(!fits("é", 4, 80));
        assert!(!fits(" leading", 4, 80));
        assert!(!fits("a\n\nb", 4, 80));
    }
}
