//! Findings as plain data: what is wrong, where, and how it could be fixed.
//!
//! Nothing here renders. Rules create [`Diagnostic`]s through [`crate::rules::Context`]; the
//! engine stamps the rule name and configured severity; renderers in [`crate::app::report`] turn
//! them into text, JSON or other formats.

use serde::{Deserialize, Serialize};

use crate::base::span::{LineCol, LineIndex, Span};
pub use crate::base::text::Text;

/// How serious a finding is. Only `Error` findings make `guidelint check` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Should be fixed; does not fail a run.
    Warning,
    /// Must be fixed; fails the run.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A rule's setting: `None` = off.
pub type Level = Option<Severity>;

/// A secondary place that helps explain a finding (e.g. the first of two duplicate keys).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Where, in bytes of the whole file.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// Whether a fix may be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning the writer intended; applied by `--fix`.
    Safe,
    /// Likely right but may change meaning; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes of `span` with `content`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The bytes to replace, in the whole file.
    pub span: Span,
    /// The replacement text.
    pub content: String,
}

/// A proposed change: byte-range edits plus how safe they are to apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// Imperative, e.g. "Replace with `mixing`".
    pub title: String,
    /// Non-overlapping edits.
    pub edits: Vec<Edit>,
    /// The front matter value (JSON Pointer) the fix may change, `None` for a fix of the body.
    /// After fixing, the front matter must read the same everywhere outside these values.
    #[serde(skip)]
    pub scope: Option<String>,
}

impl Fix {
    /// A safe fix.
    #[must_use]
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Safe,
            title: title.into(),
            edits,
            scope: None,
        }
    }

    /// An unsafe fix.
    #[must_use]
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            ..Self::safe(title, edits)
        }
    }

    /// Limit the front matter values the fix may change.
    #[must_use]
    pub fn in_scope(mut self, pointer: impl Into<String>) -> Self {
        self.scope = Some(pointer.into());
        self
    }
}

impl Edit {
    /// Replace `span` with `content`.
    #[must_use]
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Self {
            span,
            content: content.into(),
        }
    }

    /// Delete `span`.
    #[must_use]
    pub fn delete(span: Span) -> Self {
        Self::replace(span, "")
    }

    /// Insert `content` at byte `at`.
    #[must_use]
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Self::replace(Span::empty(at), content)
    }
}

/// Where a span is, as people read it, and what it holds: resolved once, while the file's
/// text is at hand, so that reports and fingerprints need not keep or read the text again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Line and column of the span's first byte.
    pub start: LineCol,
    /// Line and column just past the span's last byte.
    pub end: LineCol,
    /// The span's text with every run of blanks collapsed to one space (what a finding's
    /// fingerprint is made from).
    pub excerpt: Text,
}

impl Location {
    /// Resolve `span` in `text`, whose line starts are `lines`.
    #[must_use]
    pub fn of(span: Span, text: &str, lines: &LineIndex) -> Self {
        let slice = text.get(span.start..span.end).unwrap_or("");
        let bytes = slice.as_bytes();
        // Most spans (a tag, a key, a heading) are printable ASCII words with single spaces
        // between them: already what the loop below would make of them.
        let words = bytes.first().is_none_or(u8::is_ascii_graphic)
            && bytes.last().is_none_or(u8::is_ascii_graphic)
            && single_spaced(bytes);
        let excerpt = if words {
            slice.to_owned().into()
        } else {
            let mut excerpt = String::with_capacity(slice.len());
            for word in slice.split_whitespace() {
                if !excerpt.is_empty() {
                    excerpt.push(' ');
                }
                excerpt.push_str(word);
            }
            excerpt.into()
        };
        let start = lines.line_col(text, span.start);
        // A span of printable ASCII ends on its first line, one column per byte further.
        let end = if words && slice.len() == span.end.wrapping_sub(span.start) {
            LineCol {
                line: start.line,
                column: start.column + slice.len(),
            }
        } else {
            lines.line_col(text, span.end)
        };
        Self {
            start,
            end,
            excerpt,
        }
    }
}

/// Whether `bytes` are printable ASCII with no two spaces in a row, in one pass.
fn single_spaced(bytes: &[u8]) -> bool {
    let mut space = false;
    for &b in bytes {
        if b == b' ' {
            if space {
                return false;
            }
            space = true;
        } else if b.is_ascii_graphic() {
            space = false;
        } else {
            return false;
        }
    }
    true
}

/// One finding in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Registered rule name, e.g. `heading-increment`. Stamped by the engine.
    pub rule: &'static str,
    /// Stamped by the engine from the rule's configured severity.
    pub severity: Severity,
    /// Sentence case, no final period, the offending value in backticks.
    pub message: Text,
    /// The offending bytes (may be empty, e.g. a YAML key with no value).
    pub span: Span,
    /// Short text shown under the primary span.
    pub label: Option<Text>,
    /// Secondary places.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<Text>,
    /// JSON Pointer into the front matter, when the finding is about a front-matter value.
    pub pointer: Option<Text>,
    /// A machine-applicable fix, when one exists.
    pub fix: Option<Fix>,
    /// Lines, columns and text of `span`. Filled in by the engine.
    pub location: Location,
    /// Known in the baseline (`--baseline`): reported, but not counted toward the exit code.
    pub baselined: bool,
}

impl Diagnostic {
    /// A finding at `span`. The engine stamps the rule name and severity when the rule
    /// reports it, so a rule cannot mislabel its findings.
    #[must_use]
    pub fn new(span: Span, message: impl Into<Text>) -> Self {
        Self {
            rule: "",
            severity: Severity::Error,
            message: message.into(),
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            pointer: None,
            fix: None,
            location: Location::default(),
            baselined: false,
        }
    }

    /// Resolve the location of the span in `text` (see [`Location`]).
    pub fn locate(&mut self, text: &str, lines: &LineIndex) {
        self.location = Location::of(self.span, text, lines);
    }

    /// Cut the texts of the finding (message, help, labels, fix title) to what any report
    /// shows of them: see [`crate::base::text::bounded`]. The engine does this to every finding.
    pub fn bound_text(&mut self) {
        let bound = |text: &mut String| {
            if let std::borrow::Cow::Owned(cut) = crate::base::text::bounded(text) {
                *text = cut;
            }
        };
        self.message.bound();
        self.label.iter_mut().for_each(Text::bound);
        self.help.iter_mut().for_each(Text::bound);
        self.labels.iter_mut().for_each(|l| bound(&mut l.message));
        self.fix.iter_mut().for_each(|f| bound(&mut f.title));
    }

    /// Set the label under the primary span.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<Text>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Add a secondary label.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Set the help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Set the JSON Pointer of the front-matter value concerned.
    #[must_use]
    pub fn with_pointer(mut self, pointer: impl Into<Text>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Attach a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Location;
    use crate::base::span::{LineIndex, Span};

    proptest! {
        /// A location's excerpt is the span's words joined by single spaces, and its ends
        /// are where the line index puts them, whatever path makes them.
        #[test]
        fn the_excerpt_is_the_words_of_the_span(
            text in "[ a-z\t\n`-]{0,12}|[ -~]{0,40}|[ a-zé\u{a0}\u{2003}]{0,20}|\u{feff}?[a-z é\n]{0,20}",
            at in 0usize..40,
            len in 0usize..40,
        ) {
            let boundary = |mut i: usize| {
                i = i.min(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let (start, end) = (boundary(at), boundary(at + len));
            let lines = LineIndex::new(&text);
            let location = Location::of(Span::new(start, end), &text, &lines);
            let words: Vec<&str> = text[start..end].split_whitespace().collect();
            prop_assert_eq!(location.excerpt, words.join(" "));
            prop_assert_eq!(location.start, lines.line_col(&text, start));
            prop_assert_eq!(location.end, lines.line_col(&text, end));
        }
    }
}
