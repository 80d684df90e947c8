//! `file-too-large`: files over the size limit are not read.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::span::Span;
use crate::input::document::{Document, MAX_FILE_SIZE, SourceProblem};
use crate::rules::{BASE, Context, Rule, RuleMeta};

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
        if let Some(SourceProblem::TooLarge { size, exact }) = doc.problem {
            cx.report(
                Diagnostic::new(Span::empty(0), message(size, exact))
                    .with_label("not checked")
                    .with_help(
                        "Split the file, or list it in `.guidelintignore` if it is not an article",
                    ),
            );
        }
    }
}

/// The finding's message: the size in MiB or GiB, rounded up (a file one byte over the limit
/// is not "10.00 MiB"), and in bytes; or, when reading stopped at the limit, the limit in
/// bytes.
fn message(size: u64, exact: bool) -> String {
    let limit = MAX_FILE_SIZE >> 20;
    if !exact {
        return format!(
            "File is over the {limit} MiB limit (more than {} bytes)",
            grouped(MAX_FILE_SIZE)
        );
    }
    let (unit, name) = if size >= 1 << 30 {
        (1u128 << 30, "GiB")
    } else {
        (1u128 << 20, "MiB")
    };
    let hundredths = (u128::from(size) * 100).div_ceil(unit);
    format!(
        "File is {}.{:02} {name} ({} bytes), over the {limit} MiB limit",
        hundredths / 100,
        hundredths % 100,
        grouped(size)
    )
}

/// `n` with its digits in groups of three (`10,485,761`).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{grouped, message};

    #[test]
    fn sizes_are_rounded_up_and_given_in_bytes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(
            message(10 * 1024 * 1024 + 1, true),
            "File is 10.01 MiB (10,485,761 bytes), over the 10 MiB limit"
        );
        assert_eq!(
            message((1 << 30) - 1, true),
            "File is 1024.00 MiB (1,073,741,823 bytes), over the 10 MiB limit"
        );
        assert!(message(u64::MAX, true).starts_with("File is 17179869184.00 GiB ("));
    }
}
