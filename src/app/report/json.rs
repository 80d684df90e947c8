//! `--format json`: one JSON document on stdout (version 1 of the report contract).
//!
//! Written with serde, never with miette's JSON handler, which emits invalid JSON for messages
//! holding control characters.

use std::io::{self, Write};

use serde::Serialize;

use super::{JsonArray, Sink, Totals};
use crate::base::diagnostic::Applicability;
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    /// Written as they come: see [`Json`].
    diagnostics: [(); 0],
    failures: Vec<JsonFailure<'a>>,
    files_checked: usize,
    summary: Summary,
}

#[derive(Default, Serialize)]
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

/// The JSON report: the findings are written file by file, then the failures and counts
/// (so the document's keys come in that order).
pub(super) struct Json<'a> {
    out: Box<dyn Write + 'a>,
    array: Option<JsonArray>,
}

/// Where the findings go in the document.
const MARKER: &str = "\"diagnostics\": []";

impl<'a> Json<'a> {
    pub(super) fn new(out: Box<dyn Write + 'a>) -> Self {
        Self { out, array: None }
    }

    fn document(totals: &Totals, failures: &[Failure]) -> String {
        let report = Report {
            version: 1,
            diagnostics: [],
            failures: failures
                .iter()
                .map(|Failure { path, message }| JsonFailure { path, message })
                .collect(),
            files_checked: totals.files,
            summary: Summary {
                error: totals.errors,
                warning: totals.warnings,
                info: totals.infos,
                fixable: totals.safe_fixable,
                unsafe_fixable: totals.unsafe_fixable,
            },
        };
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }
}

impl Sink for Json<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        if file.diagnostics.is_empty() {
            return Ok(());
        }
        let array = JsonArray::started(
            &mut self.array,
            &mut self.out,
            || Self::document(&Totals::default(), &[]),
            MARKER,
        )?;
        let out = &mut self.out;
        for d in &file.diagnostics {
            let (start, end) = (d.location.start, d.location.end);
            let item = JsonDiagnostic {
                path: &file.path,
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
            };
            array.item(out, &item)?;
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        JsonArray::started(
            &mut self.array,
            &mut self.out,
            || Self::document(&Totals::default(), &[]),
            MARKER,
        )?;
        let array = self.array.take().expect("started");
        array.end(&mut self.out, &Self::document(totals, failures), MARKER)?;
        self.out.flush()
    }
}
