//! `invalid-utf8`: the file is not UTF-8 text (a bad byte sequence, a NUL byte, UTF-16).

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::span::Span;
use crate::input::document::{Document, SourceProblem};
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct InvalidUtf8;

static META: RuleMeta = RuleMeta {
    name: "invalid-utf8",
    summary: "The file is not UTF-8 text",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a file that is not UTF-8 text: an invalid byte sequence (e.g. a Latin-1 `é`), a NUL
byte (binary data), or UTF-16 text. The rest of the file is not checked.

## Why
Static-site generators and editors expect UTF-8. A stray Latin-1 byte shows up as `�` on the
published page; a binary file is not an article.

## Example
A file saved as \"Western (Windows 1252)\" by an old editor.

## Fix safety
No fix: re-save the file as UTF-8.
",
    ..BASE
};

impl Rule for InvalidUtf8 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let diagnostic = match doc.problem {
            Some(SourceProblem::InvalidUtf8 { offset }) => {
                Diagnostic::new(Span::new(offset, offset + 1), "File is not valid UTF-8")
                    .with_label("first invalid byte")
                    .with_help("Re-save the file with UTF-8 encoding")
            }
            Some(SourceProblem::NulByte { utf16: true, .. }) => {
                Diagnostic::new(Span::new(0, 2), "File is UTF-16 encoded, not UTF-8")
                    .with_label("UTF-16 byte-order mark")
                    .with_help("Re-save the file with UTF-8 encoding")
            }
            Some(SourceProblem::NulByte {
                offset,
                utf16: false,
            }) => Diagnostic::new(
                Span::new(offset, offset + 1),
                "File contains a NUL byte: it is binary data or UTF-16 text",
            )
            .with_label("NUL byte")
            .with_help("Remove the NUL byte, or re-save the file as UTF-8 text"),
            _ => return,
        };
        cx.report(diagnostic);
    }
}
