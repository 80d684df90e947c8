//! The human report's most common finding written directly, without miette: one label on
//! one line of plain ASCII, its message and help short enough not to wrap, no colour. miette
//! lays out any finding; for these it spends most of a check's time computing what this
//! writes in a few passes. Every other finding goes to miette, and a property test checks
//! that this writes exactly what miette writes wherever it answers.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{HELP_INDENT, MESSAGE_INDENT, Report, fits_lines};
use crate::app::report::concise::push_number;
use crate::base::diagnostic::Severity;
use crate::base::printable::plain_ascii;
use crate::base::snippet::{Excerpt, LONG_LINE};
use crate::input::taxonomy::TermHasher;

/// `report` as miette's graphical handler (Unicode, no colour, `width` columns) writes it,
/// when it has the simple shape; `None` otherwise.
pub(super) fn render(report: &Report<'_>, width: usize) -> Option<String> {
    let (doc, lines) = (report.doc?, report.lines?);
    let d = report.d;
    if !d.labels.is_empty() || !plain_ascii(report.name, false) {
        return None;
    }
    // Texts of printable ASCII are what `printable` leaves them: used as they are.
    let label = d.label.as_deref()?;
    // (With the file's text at hand, the message is the finding's alone.)
    let message = &d.message;
    let mut built = String::new();
    let help = match &d.fix {
        // (With the file's text at hand and no fix, the help is the finding's alone.)
        None => d.help.as_deref(),
        Some(_) => report.help_into(&mut built).then_some(built.as_str()),
    };
    if label.is_empty()
        || !plain_ascii(label, false)
        || !plain_ascii(message, true)
        || !help.is_none_or(|h| plain_ascii(h, true))
    {
        return None;
    }
    let span = Excerpt::new(report.name, doc, lines).label_span(d.span);
    if span.is_empty() {
        return None;
    }
    let at = lines.line_col(doc, span.start);
    let line = lines.line_span(doc, at.line);
    // A long line, or long lines near it, are shown cut or without context (see
    // `Excerpt::read_span`): miette's to show. The bounds here are below the excerpt's (its
    // line counts the line ending; its window is two lines either side, up to four long
    // lines), so a finding near either goes to miette.
    if span.end > line.end
        || line.len() + 2 > LONG_LINE
        || lines.lines_around(doc.len(), span, 2, 2).1.len() > 2 * LONG_LINE
    {
        return None;
    }
    // The line before and the line after, as miette shows them around a label.
    let first = at.line.saturating_sub(1).max(1);
    // (The empty "line" after a final line break is not one miette shows.)
    let last =
        if at.line < lines.line_count() && lines.line_span(doc, at.line + 1).start < doc.len() {
            at.line + 1
        } else {
            at.line
        };
    let text = |n: usize| {
        let s = lines.line_span(doc, n);
        &doc[s.start..s.end]
    };
    // (Line endings other than a line feed, not plain, are miette's to show.)
    let around = &doc[lines.line_span(doc, first).start..lines.line_span(doc, last).end];
    if !plain_ascii(around, true)
        || (around.len() > LONG_LINE && (first..=last).any(|n| text(n).len() > LONG_LINE))
    {
        return None;
    }
    let w = digits(last);
    let start = span.start - line.start;
    let len = span.len();
    let middle = len / 2;
    // Written piece by piece rather than formatted: this runs for nearly every finding.
    let mut out =
        String::with_capacity(256 + 3 * around.len() + message.len() + help.map_or(0, str::len));
    report.code_into(&mut out);
    out.push_str("\n\n");
    let lead = match d.severity {
        Severity::Error => "  × ",
        Severity::Warning => "  ⚠ ",
        Severity::Info => "  ☞ ",
    };
    wrap_into(&mut out, message, MESSAGE_INDENT, width, lead, "  │ ");
    out.push('\n');
    pad(&mut out, w + 2);
    out.push_str("╭─[");
    out.push_str(report.name);
    out.push(':');
    push_number(&mut out, at.line);
    out.push(':');
    push_number(&mut out, at.column);
    out.push_str("]\n");
    for n in first..=last {
        out.push(' ');
        pad(&mut out, w - digits(n));
        push_number(&mut out, n);
        out.push_str(" │ ");
        out.push_str(text(n));
        out.push('\n');
        if n == at.line {
            out.push(' ');
            pad(&mut out, w);
            out.push_str(" · ");
            pad(&mut out, start);
            rule(&mut out, middle);
            out.push('┬');
            rule(&mut out, len - middle - 1);
            out.push_str("\n ");
            pad(&mut out, w);
            out.push_str(" · ");
            pad(&mut out, start + middle);
            out.push_str("╰── ");
            out.push_str(label);
            out.push('\n');
        }
    }
    pad(&mut out, w + 2);
    out.push_str("╰────\n");
    if let Some(help) = help {
        wrap_into(&mut out, help, HELP_INDENT, width, "  help: ", "        ");
        out.push('\n');
    }
    Some(out)
}

/// How many digits `n` has in decimal.
fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// Append `n` spaces.
fn pad(out: &mut String, n: usize) {
    repeat(out, "                                ", n);
}

/// Append `n` horizontal lines (`─`).
fn rule(out: &mut String, n: usize) {
    repeat(out, "────────────────────────────────", n);
}

/// Append `n` copies of the character `run` holds 32 of, up to 32 at a time.
fn repeat(out: &mut String, run: &str, mut n: usize) {
    let size = run.len() / 32;
    while n > 0 {
        let k = n.min(32);
        out.push_str(&run[..k * size]);
        n -= k;
    }
}

/// Append `text` (printable ASCII lines) after `first` and, on each further line, `rest`:
/// as it is when it fits, else as [`wrap`] wraps it. A text that does not fit is wrapped once
/// per thread and width and kept (the same help and message come back for finding after finding); up to
/// [`WRAPPED_MAX`] texts are kept, then the memory starts again.
fn wrap_into(
    out: &mut String,
    text: &str,
    indent: usize,
    width: usize,
    first: &'static str,
    rest: &'static str,
) {
    if fits_lines(text, indent, width) {
        out.push_str(first);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            out.push_str(&text[start..=end]);
            out.push_str(rest);
            start = end + 1;
        }
        out.push_str(&text[start..]);
        return;
    }
    thread_local! {
        static WRAPPED: std::cell::RefCell<Wrapped> = std::cell::RefCell::default();
    }
    WRAPPED.with(|wrapped| {
        let mut wrapped = wrapped.borrow_mut();
        let Wrapped {
            width: kept_width,
            texts,
        } = &mut *wrapped;
        if *kept_width != width || texts.len() >= WRAPPED_MAX {
            *kept_width = width;
            texts.clear();
        }
        if !texts.contains_key(text) {
            texts.insert(text.to_owned(), Vec::new());
        }
        let forms = texts.get_mut(text).expect("just kept");
        let done = match forms.iter().position(|(leads, _)| *leads == (first, rest)) {
            Some(k) => &forms[k].1,
            None => {
                forms.push(((first, rest), wrap(text, width, first, rest)));
                &forms[forms.len() - 1].1
            }
        };
        out.push_str(done);
    });
}

/// The texts a thread has wrapped, for one width: by text, each with the prefixes of its
/// first line and of the lines after it was wrapped with.
#[derive(Default)]
struct Wrapped {
    width: usize,
    /// (Hashed without a seed: at most [`WRAPPED_MAX`] texts are kept, so no chain grows long.)
    texts: HashMap<String, Vec<(Leads, String)>, BuildHasherDefault<TermHasher>>,
}

/// The prefixes of a wrapped text's first line and of the lines after it.
type Leads = (&'static str, &'static str);

/// How many wrapped texts a thread keeps (see [`wrap_into`]).
const WRAPPED_MAX: usize = 512;

/// `text` (printable ASCII lines, which do not all fit) after `first` and, on each further
/// line, `rest`, wrapped to `width` as the human report's ASCII handler wraps it: at spaces,
/// never at a hyphen, by textwrap with miette's options.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(width.saturating_sub(2))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::render;
    use crate::app::report::human::{Report, handler, tests::options};
    use crate::base::diagnostic::{Diagnostic, Fix, Severity};
    use crate::base::span::{LineIndex, Span};

    /// What miette writes for `report`.
    fn miette(report: &Report<'_>, width: usize) -> String {
        let handlers = handler(options(width));
        let mut out = String::new();
        handlers
            .pick(report)
            .render_report(&mut out, report)
            .unwrap();
        out
    }

    fn article() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            8 => "[ -~]{0,30}",
            1 => "[ -~]{60,200}",
            1 => "[ -~]{495,505}",
            1 => "[a-z ]{900,1100}",
            1 => "[a-z ]{0,12}\t",
            1 => "é[a-z]{0,4}",
            1 => "[a-z ]{0,8}\r",
        ];
        prop::collection::vec(line, 1..14).prop_map(|lines| {
            let mut text = lines.join("\n");
            text.push('\n');
            text
        })
    }

    proptest! {
        /// Wherever the direct rendering answers, it is what miette writes.
        #[test]
        fn simple_findings_render_as_miette_renders_them(
            doc in article(),
            at in 0usize..1200,
            len in 0usize..12,
            message in "[ -~]{1,50}|[a-z`-]{1,12}( [a-z`-]{1,12}){4,16}",
            label in proptest::option::weighted(0.9, "[ -~]{0,30}"),
            help in proptest::option::of("[ -~]{1,60}(\n[ -~]{1,40})?|[a-z`,-]{1,14}( [a-z`,-]{1,14}){4,20}(\n[ -~]{0,40})?"),
            severity in prop::sample::select(vec![Severity::Error, Severity::Warning, Severity::Info]),
            fix in proptest::option::of(("[ -~]{1,40}|`[a-z]{1,8}` → `[a-z]{1,8}`", any::<bool>())),
            (marked, baselined) in (any::<bool>(), proptest::bool::weighted(0.2)),
            width in 30usize..120,
        ) {
            let start = at.min(doc.len());
            let end = (start + len).min(doc.len());
            prop_assume!(doc.is_char_boundary(start) && doc.is_char_boundary(end));
            let lines = LineIndex::new(&doc);
            let mut d = Diagnostic::new(Span::new(start, end), message);
            d.rule = "tag-unknown";
            d.severity = severity;
            d.label = label.map(Into::into);
            if let Some(h) = help {
                d = d.with_help(h);
            }
            if let Some((title, safe)) = fix {
                d = d.with_fix(if safe { Fix::safe(title, Vec::new()) } else { Fix::unsafe_(title, Vec::new()) });
            }
            d.baselined = baselined;
            d.locate(&doc, &lines);
            let report = Report {
                path: "guide/a.md",
                name: "guide/a.md",
                doc: Some(&doc),
                lines: Some(&lines),
                d: &d,
                marked,
            };
            if let Some(text) = render(&report, width) {
                prop_assert_eq!(text, miette(&report, width));
            }
        }
    }

    /// Articles with what the report must not print raw (escape sequences, C1 and
    /// bidirectional controls, lone carriage returns) among plain lines.
    fn hostile_article() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            6 => "[ -~]{0,30}",
            1 => "[a-z ]{0,6}\u{1b}\\[31m[a-z ]{0,6}",
            1 => "[a-z ]{0,6}[\u{7f}\u{85}\u{9b}\u{202e}\u{2066}][a-z ]{0,6}",
            1 => "[a-z ]{0,8}\r[a-z ]{0,4}",
            1 => "[a-z ]{0,8}\r",
        ];
        prop::collection::vec(line, 1..10).prop_map(|lines| lines.join("\n") + "\n")
    }

    proptest! {
        /// The report hands the direct rendering the file's own text and miette a copy with
        /// stand-ins for what must not be printed: wherever the direct rendering answers on
        /// the file's text, it answers the same on the copy.
        #[test]
        fn the_direct_rendering_never_shows_what_the_stand_ins_hide(
            doc in hostile_article(),
            at in 0usize..300,
            len in 0usize..8,
        ) {
            let start = at.min(doc.len());
            let end = (start + len).min(doc.len());
            prop_assume!(doc.is_char_boundary(start) && doc.is_char_boundary(end));
            let lines = LineIndex::new(&doc);
            let mut d = Diagnostic::new(Span::new(start, end), "Unknown tag `x`");
            d.rule = "tag-unknown";
            d.label = Some("not in the taxonomy".into());
            d.locate(&doc, &lines);
            let shown = crate::base::printable::same_length_printable(&doc);
            let report = |doc| Report {
                path: "a.md",
                name: "a.md",
                doc: Some(doc),
                lines: Some(&lines),
                d: &d,
                marked: false,
            };
            if let Some(text) = render(&report(&doc), 80) {
                prop_assert!(text.chars().all(|c| c == '\n' || !c.is_control()), "{text:?}");
                prop_assert_eq!(Some(text), render(&report(&shown), 80));
            }
        }
    }

    /// The article of the two tests below and its line index.
    const TAGGED: &str = "---\ntitle: A\nstage: [Mixing]\n---\n# Mixing\n";

    /// A non-canonical-tag finding on [`TAGGED`]'s `Mixing`, with `help`.
    fn tag_finding(lines: &LineIndex, help: &str) -> Diagnostic {
        let mut d = Diagnostic::new(Span::new(20, 26), "`Mixing` is not the canonical spelling")
            .with_help(help.to_owned());
        d.rule = "tag-noncanonical";
        d.label = Some("not canonical".into());
        d.locate(TAGGED, lines);
        d
    }

    #[test]
    fn the_usual_finding_is_written_directly_and_as_miette_writes_it() {
        let doc = TAGGED;
        let lines = LineIndex::new(doc);
        let d = tag_finding(&lines, "Write `mixing`");
        let report = Report {
            path: "a.md",
            name: "a.md",
            doc: Some(doc),
            lines: Some(&lines),
            d: &d,
            marked: false,
        };
        let text = render(&report, 80).expect("the simple shape");
        assert_eq!(text, miette(&report, 80));
        assert!(
            text.contains(" 3 │ stage: [Mixing]\n   ·        ───┬──\n"),
            "{text}"
        );
        assert!(
            text.contains("╰── not canonical\n 4 │ ---\n   ╰────\n  help: Write"),
            "{text}"
        );
    }

    #[test]
    fn a_wrapped_text_kept_for_the_next_finding_is_wrapped_to_the_next_width() {
        let doc = TAGGED;
        let lines = LineIndex::new(doc);
        let help = "A description of the field that goes on for long enough to be wrapped \
                    over several lines at any of the widths tried here";
        let d = tag_finding(&lines, help);
        let report = Report {
            path: "a.md",
            name: "a.md",
            doc: Some(doc),
            lines: Some(&lines),
            d: &d,
            marked: false,
        };
        // The same help at one width, another, and the first again: each as miette writes it.
        let mut seen = Vec::new();
        for width in [40, 60, 40, 60, 40] {
            let text = render(&report, width).expect("the simple shape");
            assert_eq!(text, miette(&report, width), "width {width}");
            seen.push(text);
        }
        assert_ne!(seen[0], seen[1]);
        assert_eq!(seen[0], seen[4]);
    }
}
