//! Bounded excerpts of a file for miette's graphical renderer: what the human report and the
//! errors of configuration, schema and taxonomy files show of the text.
//!
//! Given a whole file, miette prints every line a label touches in full, with its context
//! lines, and merges the contexts of labels it finds close into one: a label on a line of
//! megabytes prints megabytes (once per finding), two labels 100,000 lines apart print the
//! lines between them, and a label past column 65,535 panics (its padding is a formatting
//! width). Here miette sees only a window around each label: a label is cut to a few lines and
//! a few hundred bytes ([`Excerpt::label_span`]), a long line is shown only around the label,
//! a context line too long to show is left out, and a request for a larger span (labels merged
//! across a distance) is refused, which makes miette show each label on its own. Nothing here
//! decides what a finding is; positions stay those of the whole file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::base::span::{LineIndex, Span};

/// Lines longer than this (in bytes) are shown only around a label ...
pub const LONG_LINE: usize = 500;
/// ... with this many bytes either side of it.
pub const LINE_CONTEXT: usize = 120;
/// The most of a label shown on a long line, in bytes.
const LABEL_ON_LONG_LINE: usize = 240;
/// The most of a label over several lines shown: lines ...
const LABEL_LINES: usize = 10;
/// ... and bytes.
const LABEL_BYTES: usize = 2_000;
/// The largest span read (labels merged by miette), in lines ...
const READ_LINES: usize = 40;
/// ... and bytes.
const READ_BYTES: usize = 4_096;

/// A file's text, its line index and the name to show, read through windows.
#[derive(Clone, Copy, Debug)]
pub struct Excerpt<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl<'a> Excerpt<'a> {
    /// An excerpt of `text` (indexed by `lines`), shown as `name`. The text must have no lone
    /// carriage return, which the index counts as a line break and miette does not (see
    /// [`crate::base::printable::same_length_printable`], which makes each a line feed).
    #[must_use]
    pub fn new(name: &'a str, text: &'a str, lines: &'a LineIndex) -> Self {
        Self { name, text, lines }
    }

    /// The part of `span` a label marks: clamped to the text and to character boundaries, and
    /// cut to [`LABEL_ON_LONG_LINE`] bytes when it starts on a long line, or to
    /// [`LABEL_LINES`] lines and [`LABEL_BYTES`] bytes otherwise.
    #[must_use]
    pub fn label_span(&self, span: Span) -> Span {
        let text = self.text;
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let (first, line) = self.own_line(start);
        let most = if line.len() > LONG_LINE {
            LABEL_ON_LONG_LINE
        } else {
            LABEL_BYTES
        };
        let lines_end = self
            .lines
            .starts()
            .get(first + LABEL_LINES)
            .map_or(text.len(), |&s| s);
        let mut end = span
            .end
            .clamp(start, text.len())
            .min(start.saturating_add(most))
            .min(lines_end.max(start));
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }

    /// [`Excerpt::label_span`] as miette takes it.
    #[must_use]
    pub fn source_span(&self, span: Span) -> SourceSpan {
        let span = self.label_span(span);
        SourceSpan::new(span.start.into(), span.len())
    }

    /// Whether a secondary label at `span` is shown with a primary label at `primary`: on a
    /// long line only what is shown around the primary label can be labelled.
    #[must_use]
    pub fn near(&self, primary: Span, span: Span) -> bool {
        let primary = self.label_span(primary);
        if self.own_line(primary.start).1.len() <= LONG_LINE {
            return true;
        }
        span.end + LINE_CONTEXT >= primary.start && span.start <= primary.end + LINE_CONTEXT
    }

    /// For a read without context lines (`context` 0: the place miette's header names), the
    /// 0-based line and column of `offset` as the index has them.
    fn position(&self, offset: usize, context: usize) -> Option<(usize, usize)> {
        (context == 0).then(|| {
            let at = self.lines.line_col(self.text, offset);
            (at.line - 1, at.column - 1)
        })
    }

    /// The 0-based number and the span (line ending included) of the line holding `offset`.
    fn own_line(&self, offset: usize) -> (usize, Span) {
        self.lines
            .lines_around(self.text.len(), Span::empty(offset), 0, 0)
    }

    /// What miette's `SourceCode::read_span` answers, through a window (see the module
    /// comment). Read without context lines, a span is where miette's header says a label is:
    /// its line and column are then those of the index, as every other format gives them (a
    /// column in characters, not bytes, and not counting a byte-order mark).
    ///
    /// # Errors
    /// The span is outside the text, or larger than any label (labels merged across a
    /// distance).
    pub fn read_span(
        &self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (text, lines) = (self.text, self.lines);
        // miette finds lines by reading the text from its start: given the whole file, each
        // label would cost a pass over it. It gets the lines around the span instead (one more
        // on each side than it reads, so it sees the same lines), and its answer is moved back
        // to file coordinates.
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // The span's first and last lines (one line for most spans).
        let (own_first, head) = self.own_line(start);
        let last = end.saturating_sub(1).max(start);
        let (own_last, tail) = self.own_line(last);
        if span.len() > READ_BYTES || own_last - own_first >= READ_LINES {
            // Larger than any label: miette asks for it to show two labels in one snippet.
            // Refused, it shows them one by one, without the lines between them.
            return Err(MietteError::OutOfBounds);
        }
        let name = || self.name.to_owned();
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
            let (line, column) = self
                .position(start, context_lines_before + context_lines_after)
                .unwrap_or((inner.line() + own_first, inner.column()));
            return Ok(Box::new(MietteSpanContents::new_named(
                name(),
                inner.data(),
                SourceSpan::new(
                    (inner.span().offset() + cut_start).into(),
                    inner.span().len(),
                ),
                line,
                column,
                inner.line_count() + own_first,
            )));
        }
        let (mut first, mut window) = lines.lines_around(
            text.len(),
            Span::new(start, end),
            context_lines_before.saturating_add(1),
            context_lines_after.saturating_add(1),
        );
        let own = Span::new(head.start, tail.end);
        let context_lines = context_lines_before + context_lines_after + 2;
        if window.len() - own.len() > context_lines.saturating_mul(LONG_LINE) {
            // Context lines too long to show (or to read for every label): none.
            (first, window) = (own_first, own);
        }
        let inner = text[window.start..window.end].read_span(
            &SourceSpan::new((start - window.start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let (line, column) = self
            .position(start, context_lines_before + context_lines_after)
            .unwrap_or((inner.line() + first, inner.column()));
        Ok(Box::new(MietteSpanContents::new_named(
            name(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window.start).into(),
                inner.span().len(),
            ),
            line,
            column,
            // miette counts the line breaks it read from the start of the text.
            inner.line_count() + first,
        )))
    }
}

/// A whole file kept for an error report, read through an [`Excerpt`].
#[derive(Debug)]
pub struct FileSource {
    name: String,
    text: String,
    lines: LineIndex,
}

impl FileSource {
    /// The text of the file shown as `name`; control characters are replaced by stand-ins of
    /// the same length (so every offset stays valid).
    #[must_use]
    pub fn new(name: String, text: &str) -> Self {
        let text = crate::base::printable::same_length_printable(text).into_owned();
        let lines = LineIndex::new(&text);
        Self { name, text, lines }
    }

    /// The excerpt of the whole file.
    #[must_use]
    pub fn excerpt(&self) -> Excerpt<'_> {
        Excerpt::new(&self.name, &self.text, &self.lines)
    }
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.excerpt()
            .read_span(span, context_lines_before, context_lines_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What miette reads of `span` in the whole `text`, but for the position of a read without
    /// context (the header's), which is the index's.
    fn expected<'a>(
        text: &'a str,
        lines: &LineIndex,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> (&'a [u8], SourceSpan, usize, usize) {
        let want = text.read_span(span, before, after).unwrap();
        let (line, column) = if before + after == 0 {
            let at = lines.line_col(text, span.offset());
            (at.line - 1, at.column - 1)
        } else {
            (want.line(), want.column())
        };
        (want.data(), *want.span(), line, column)
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
        for text in texts {
            let lines = LineIndex::new(text);
            let excerpt = Excerpt::new("a.md", text, &lines);
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &offsets {
                for &end in offsets.iter().filter(|&&e| e >= start) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                        let span = SourceSpan::new(start.into(), end - start);
                        let want = text.read_span(&span, before, after).unwrap();
                        let got = excerpt.read_span(&span, before, after).unwrap();
                        assert_eq!(
                            (
                                got.data(),
                                *got.span(),
                                got.line(),
                                got.column(),
                                got.line_count()
                            ),
                            {
                                let (data, span, line, column) =
                                    expected(text, &lines, &span, before, after);
                                (data, span, line, column, want.line_count())
                            },
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
        let excerpt = Excerpt::new("a.md", &text, &lines);
        // A span over many ordinary lines, longer than a long line in all, is shown with its
        // context lines as miette shows it from the whole text.
        let many = (0..40).fold(String::new(), |t, i| {
            t + &format!("line {i:02} of some text\n")
        });
        let many_lines = LineIndex::new(&many);
        let excerpt_many = Excerpt::new("a.md", &many, &many_lines);
        let span = SourceSpan::new(many.find("line 05").unwrap().into(), 30 * 22);
        for context in [0, 1, 2] {
            let got = excerpt_many.read_span(&span, context, context).unwrap();
            assert_eq!(
                (got.data(), *got.span(), got.line(), got.column()),
                expected(&many, &many_lines, &span, context, context)
            );
        }
        for needle in ["word", "é", "end"] {
            let start = text.rfind(needle).unwrap();
            let span = SourceSpan::new(start.into(), needle.len());
            // Without context: what miette reads from the whole text, at the index's column.
            let got = excerpt.read_span(&span, 0, 0).unwrap();
            assert_eq!(
                (got.data(), *got.span(), got.line(), got.column()),
                expected(&text, &lines, &span, 0, 0),
                "{needle}"
            );
            // With context: a piece of the line around the span, on the span's line.
            let got = excerpt.read_span(&span, 1, 1).unwrap();
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

    #[test]
    fn labels_are_cut_to_a_few_lines_and_bytes() {
        let long = "x".repeat(10_000);
        let text = format!("short\n{long}\n{}", "line\n".repeat(50));
        let lines = LineIndex::new(&text);
        let excerpt = Excerpt::new("a.md", &text, &lines);
        // On a long line: a few hundred bytes from its start.
        let on_long = excerpt.label_span(Span::new(6, 6 + 10_000));
        assert_eq!(on_long, Span::new(6, 6 + LABEL_ON_LONG_LINE));
        // Over many short lines: ten lines.
        let from = text.find("line").unwrap();
        let many = excerpt.label_span(Span::new(from, text.len()));
        assert_eq!(&text[many.start..many.end], "line\n".repeat(LABEL_LINES));
        // A short span is kept, and one past the end is clamped.
        assert_eq!(excerpt.label_span(Span::new(0, 5)), Span::new(0, 5));
        assert_eq!(
            excerpt.label_span(Span::new(text.len() + 3, text.len() + 9)),
            Span::empty(text.len())
        );
    }

    #[test]
    fn long_context_lines_and_far_apart_spans_are_not_read() {
        let long = "c".repeat(100_000);
        let text = format!("{long}\nkey: value\n{long}\n");
        let lines = LineIndex::new(&text);
        let excerpt = Excerpt::new("a.md", &text, &lines);
        let at = text.find("value").unwrap();
        let got = excerpt
            .read_span(&SourceSpan::new(at.into(), 5), 1, 1)
            .unwrap();
        assert_eq!(got.data(), b"key: value\n");
        assert_eq!((got.line(), got.column()), (1, 0));
        let got = excerpt
            .read_span(&SourceSpan::new(at.into(), 5), 0, 0)
            .unwrap();
        assert_eq!(
            (got.data(), got.line(), got.column()),
            (&b"value"[..], 1, 5)
        );
        // Two places 100 lines apart are never read as one span.
        let far = format!("a: 1\n{}a: 2\n", "#\n".repeat(100));
        let far_lines = LineIndex::new(&far);
        let far_excerpt = Excerpt::new("a.md", &far, &far_lines);
        assert!(
            far_excerpt
                .read_span(&SourceSpan::new(0.into(), far.len()), 1, 1)
                .is_err()
        );
    }
}
