//! `--format gitlab`: GitLab Code Quality JSON, with stable fingerprints.

use std::io::{self, Write};

use serde::Serialize;

use super::{JsonArray, Sink, Totals};
use crate::base::diagnostic::Severity;
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The Code Quality report: one JSON array, written file by file.
pub(super) struct Gitlab<'a> {
    out: Box<dyn Write + 'a>,
    array: Option<JsonArray>,
}

impl<'a> Gitlab<'a> {
    pub(super) fn new(out: Box<dyn Write + 'a>) -> Self {
        Self { out, array: None }
    }
}

impl Sink for Gitlab<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        if file.diagnostics.iter().all(|d| d.baselined) {
            return Ok(());
        }
        let array = JsonArray::started(&mut self.array, &mut self.out, || "[]".into(), "[]")?;
        let out = &mut self.out;
        for (d, fingerprint) in file
            .diagnostics
            .iter()
            .zip(crate::app::fingerprint::of_file(file))
        {
            if d.baselined {
                continue;
            }
            let (start, end) = (d.location.start, d.location.end);
            let issue = Issue {
                description: d.message.to_string(),
                check_name: d.rule,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: IssueLocation {
                    path: &file.path,
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            };
            array.item(out, &issue)?;
        }
        Ok(())
    }

    fn end(&mut self, _: &Totals, failures: &[Failure]) -> io::Result<()> {
        let array = JsonArray::started(&mut self.array, &mut self.out, || "[]".into(), "[]")?;
        let out = &mut self.out;
        for f in failures {
            let issue = Issue {
                description: format!("guidelint could not check this file: {}", f.message),
                check_name: "guidelint-failure",
                fingerprint: format!("{:016x}", crate::base::hash::fnv1a(&[&f.path, "failure"])),
                severity: "blocker",
                location: IssueLocation {
                    path: &f.path,
                    lines: Lines { begin: 1, end: 1 },
                },
            };
            array.item(out, &issue)?;
        }
        let array = self.array.take().expect("started");
        array.end(&mut self.out, "[]", "[]")?;
        self.out.flush()
    }
}
