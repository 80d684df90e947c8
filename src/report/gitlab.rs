//! `--format gitlab`: GitLab Code Quality JSON, with stable fingerprints.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::linter::RunResult;

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

pub(super) fn write(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for file in &result.files {
        for (d, fingerprint) in file
            .diagnostics
            .iter()
            .zip(crate::fingerprint::of_file(file))
        {
            if d.baselined {
                continue;
            }
            let (start, end) = (d.location.start, d.location.end);
            issues.push(Issue {
                description: d.message.clone(),
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
            });
        }
    }
    for f in &result.failures {
        issues.push(Issue {
            description: format!("guidelint could not check this file: {}", f.message),
            check_name: "guidelint-failure",
            fingerprint: format!("{:016x}", crate::fingerprint::fnv1a(&[&f.path, "failure"])),
            severity: "blocker",
            location: IssueLocation {
                path: &f.path,
                lines: Lines { begin: 1, end: 1 },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
