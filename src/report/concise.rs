//! `--format concise`: `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use super::{Options, printable, severity_color, summary_line, write_failures};
use crate::linter::RunResult;

pub(super) fn write(
    result: &RunResult,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for (path, d) in super::shown(result, options) {
        // One finding per line: no raw line break or control character from the article.
        let (path, message) = (printable(path, false), printable(&d.message, false));
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
    write_failures(result, options.color, err)?;
    if !options.quiet {
        writeln!(out, "{}", summary_line(result))?;
    }
    Ok(())
}
