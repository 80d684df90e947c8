//! `internal-error`: guidelint itself failed while checking a file.

use crate::base::diagnostic::Severity;
use crate::rules::{BASE, Rule, RuleMeta};

pub(crate) struct InternalError;

static META: RuleMeta = RuleMeta {
    name: "internal-error",
    summary: "Checking the file stopped on a bug in guidelint",
    default_severity: Severity::Error,
    explanation: "\
## What it does
Reports a file whose check stopped on a bug in guidelint (a panic). The file is not checked;
every other file is, and the run exits with 2, as when a file cannot be read. The finding
cannot be turned off or suppressed: setting its level in the configuration, or naming it in
`--select` or `--ignore`, is an error.

## Why
A bug must not end the run, nor pass silently: the finding names the file and what went
wrong, so that it can be reported.

## Example
`Internal error while checking this file: index out of bounds …`.

## Fix safety
No fix: report it at https://github.com/guidelint/guidelint/issues with the file attached.
",
    ..BASE
};

impl Rule for InternalError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
