//! `file-too-large`: files over the size limit are not read.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, MAX_FILE_SIZE, SourceProblem};
use crate::rules::{BASE, Context, Rule, RuleMeta};
use crate::span::Span;

pub(crate) struct FileTooLarge;

static META: RuleMeta = RuleMeta {
    name: "file-too-large",
    summary: "The file is larger than 10 MiB and was not checked",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a Markdown file larger than 10 MiB. Such a file is not read further.

## Why
An article is a few kilobytes. A file this large is almost always generated output or a
mistake, and reading it would slow every run down.

## Example
A 50 MB `export.md` dumped into the guide folder.

## Fix safety
No fix: split the file, or exclude it in `.guidelintignore`.
",
    ..BASE
};

impl Rule for FileTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if let Some(SourceProblem::TooLarge { size }) = doc.problem {
            #[allow(clippy::cast_precision_loss)]
            let mib = size as f64 / 1024.0 / 1024.0;
            cx.report(
                Diagnostic::new(
                    Span::empty(0),
                    format!(
                        "File is {mib:.1} MiB, over the {} MiB limit",
                        MAX_FILE_SIZE >> 20
                    ),
                )
                .with_label("not checked")
                .with_help(
                    "Split the file, or list it in `.guidelintignore` if it is not an article",
                ),
            );
        }
    }
}
