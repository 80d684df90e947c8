//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! Every piece of text comes from the article (tag values, headings, file names) and is
//! untrusted: data is escaped as GitHub's runner expects (`%`, CR, LF), properties also (`:`
//! and `,`), so no article can end an annotation early or start a workflow command of its own.

use std::io::{self, Write};

use super::{Sink, Totals};
use crate::base::diagnostic::Severity;
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

/// Escape the message part of a workflow command.
#[must_use]
pub fn escape_data(text: &str) -> String {
    super::printable(text, true)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
#[must_use]
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Annotations, file by file.
pub(super) struct Github<'a> {
    pub(super) out: Box<dyn Write + 'a>,
}

impl Sink for Github<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        let path = &file.path;
        for d in file.diagnostics.iter().filter(|d| !d.baselined) {
            let (start, end) = (d.location.start, d.location.end);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = format!(
                "file={},line={},endLine={}",
                escape_property(path),
                start.line,
                end.line
            );
            // GitHub draws columns only within one line.
            if start.line == end.line {
                properties.push_str(&format!(",col={},endColumn={}", start.column, end.column));
            }
            properties.push_str(&format!(
                ",title={}",
                escape_property(&format!("guidelint {}", d.rule))
            ));
            let mut message = d.message.to_string();
            if let Some(help) = &d.help {
                message.push('\n');
                message.push_str(help);
            }
            writeln!(
                self.out,
                "::{command} {properties}::{}",
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    fn end(&mut self, _: &Totals, failures: &[Failure]) -> io::Result<()> {
        for f in failures {
            writeln!(
                self.out,
                "::error file={},title={}::{}",
                escape_property(&f.path),
                escape_property("guidelint could not check this file"),
                escape_data(&f.message)
            )?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_break_out() {
        assert_eq!(escape_data("a\n::error::b"), "a%0A::error::b");
        assert_eq!(escape_data("100%0A"), "100%250A");
        assert_eq!(escape_property("a,b:c%\r\n"), "a%2Cb%3Ac%25\\u{d}%0A");
        assert_eq!(escape_data("\x1b[2Jx"), "\\u{1b}[2Jx");
    }
}
