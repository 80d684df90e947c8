//! `--format junit`: JUnit XML, a test suite per file and a failure per finding, for CI
//! systems that show test reports.

use std::io::{self, Write};

use crate::linter::RunResult;

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

pub(super) fn write(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let counted =
        |f: &crate::linter::FileResult| f.diagnostics.iter().filter(|d| !d.baselined).count();
    let findings: usize = result.files.iter().map(counted).sum();
    let tests: usize = result
        .files
        .iter()
        .map(|f| counted(f).max(1))
        .sum::<usize>()
        + result.failures.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="guidelint" tests="{tests}" failures="{findings}" errors="{}" time="{:.3}">"#,
        result.failures.len(),
        result.elapsed.as_secs_f64()
    )?;
    for file in &result.files {
        let n = counted(file);
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
        {
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
        }
        writeln!(out, "  </testsuite>")?;
    }
    if !result.failures.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="guidelint" tests="{0}" failures="0" errors="{0}">"#,
            result.failures.len()
        )?;
        for f in &result.failures {
            writeln!(
                out,
                r#"    <testcase name="{0}" classname="guidelint"><error message="{1}">{1}</error></testcase>"#,
                xml(&f.path),
                xml(&f.message)
            )?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
