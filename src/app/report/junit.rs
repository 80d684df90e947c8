//! `--format junit`: JUnit XML, a test suite per file and a failure per finding, for CI
//! systems that show test reports.

use std::io::{self, Seek, Write};

use super::{Sink, Totals};
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

/// Escape text for XML content and attribute values; characters XML 1.0 cannot hold are
/// dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The JUnit report. Its first line counts every test and failure, which only the end of
/// the run knows: the test suites are written to a temporary file as they come, and copied
/// after that line at the end (so the report's size, not the memory, grows with findings).
pub(super) struct Junit<'a> {
    out: Box<dyn Write + 'a>,
    /// The test suites so far, or why they could not be kept.
    suites: io::Result<io::BufWriter<std::fs::File>>,
    tests: usize,
    findings: usize,
}

impl<'a> Junit<'a> {
    pub(super) fn new(out: Box<dyn Write + 'a>) -> Self {
        Self {
            out,
            suites: tempfile::tempfile().map(io::BufWriter::new),
            tests: 0,
            findings: 0,
        }
    }
}

impl Sink for Junit<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        let out = match &mut self.suites {
            Ok(out) => out,
            Err(e) => return Err(io::Error::new(e.kind(), e.to_string())),
        };
        let n = file.diagnostics.iter().filter(|d| !d.baselined).count();
        self.tests += n.max(1);
        self.findings += n;
        let path = xml(&file.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{n}" errors="0">"#,
            n.max(1)
        )?;
        if n == 0 {
            writeln!(
                out,
                r#"    <testcase name="guidelint" classname="{path}"/>"#
            )?;
        }
        for d in file.diagnostics.iter().filter(|d| !d.baselined) {
            let start = d.location.start;
            let message = xml(&d.message);
            writeln!(
                out,
                r#"    <testcase name="{}:{}:{} {}" classname="{path}" file="{path}" line="{}">"#,
                path, start.line, start.column, d.rule, start.line
            )?;
            let body = format!(
                "{}:{}:{}: {}[{}] {}{}",
                file.path,
                start.line,
                start.column,
                d.severity.as_str(),
                d.rule,
                d.message,
                d.help
                    .as_ref()
                    .map_or_else(String::new, |h| format!("\nhelp: {h}"))
            );
            writeln!(
                out,
                r#"      <failure type="{}" message="{message}">{}</failure>"#,
                d.rule,
                xml(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        let suites = std::mem::replace(&mut self.suites, Err(io::Error::other("written")));
        let mut suites = suites?
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        let out = &mut self.out;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="guidelint" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
            self.tests + failures.len(),
            self.findings,
            failures.len(),
            totals.elapsed.as_secs_f64()
        )?;
        suites.seek(io::SeekFrom::Start(0))?;
        io::copy(&mut suites, out)?;
        if !failures.is_empty() {
            writeln!(
                out,
                r#"  <testsuite name="guidelint" tests="{0}" failures="0" errors="{0}">"#,
                failures.len()
            )?;
            for f in failures {
                writeln!(
                    out,
                    r#"    <testcase name="{0}" classname="guidelint"><error message="{1}">{1}</error></testcase>"#,
                    xml(&f.path),
                    xml(&f.message)
                )?;
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")?;
        out.flush()
    }
}
