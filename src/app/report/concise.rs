//! `--format concise`: `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use super::{Options, Sink, Totals, is_shown, printable, severity_color};
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

/// The concise report, file by file.
pub(super) struct Concise<'a> {
    pub(super) options: Options,
    pub(super) out: Box<dyn Write + 'a>,
    pub(super) err: Box<dyn Write + 'a>,
}

impl Sink for Concise<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        let (options, out) = (self.options, &mut self.out);
        for d in file.diagnostics.iter().filter(|d| is_shown(d, options)) {
            // One finding per line: no raw line break or control character from the article.
            let (path, message) = (printable(&file.path, false), printable(&d.message, false));
            let start = d.location.start;
            let severity = d.severity.as_str();
            let fixable = if d.baselined {
                " (baselined)"
            } else if super::marked(d, options) {
                " [*]"
            } else {
                ""
            };
            if options.color {
                writeln!(
                    out,
                    "\x1b[1m{path}:{}:{}\x1b[0m: {}{severity}\x1b[0m[{}] {}{fixable}",
                    start.line,
                    start.column,
                    severity_color(d.severity),
                    d.rule,
                    message
                )?;
            } else {
                writeln!(
                    out,
                    "{path}:{}:{}: {severity}[{}] {}{fixable}",
                    start.line, start.column, d.rule, message
                )?;
            }
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        super::end_for_people(&mut self.out, &mut self.err, self.options, totals, failures)
    }
}
