//! `--format json`: one JSON document on stdout (version 1 of the report contract).
//!
//! Written with serde, never with miette's JSON handler, which emits invalid JSON for messages
//! holding control characters.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Applicability, Severity};
use crate::discover::Failure;
use crate::linter::RunResult;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files_checked: usize,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    failures: Vec<JsonFailure<'a>>,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
    fixable: usize,
    unsafe_fixable: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_byte: usize,
    end_byte: usize,
    pointer: Option<&'a str>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
    baselined: bool,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start_byte: usize,
    end_byte: usize,
    content: &'a str,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    path: &'a str,
    message: &'a str,
}

pub(super) fn write(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = super::findings(result)
        .map(|(path, d)| {
            let (start, end) = (d.location.start, d.location.end);
            JsonDiagnostic {
                path,
                rule: d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                start_byte: d.span.start,
                end_byte: d.span.end,
                pointer: d.pointer.as_deref(),
                help: d.help.as_deref(),
                baselined: d.baselined,
                fix: d.fix.as_ref().map(|f| JsonFix {
                    applicability: f.applicability,
                    title: &f.title,
                    edits: f
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            start_byte: e.span.start,
                            end_byte: e.span.end,
                            content: &e.content,
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    let report = Report {
        version: 1,
        files_checked: result.files.len(),
        summary: Summary {
            error: result.count(Severity::Error),
            warning: result.count(Severity::Warning),
            info: result.count(Severity::Info),
            fixable: super::fixable(result).0,
            unsafe_fixable: super::fixable(result).1,
        },
        diagnostics,
        failures: result
            .failures
            .iter()
            .map(|Failure { path, message }| JsonFailure { path, message })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
