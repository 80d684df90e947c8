//! `--format concise`: `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use super::{Options, Sink, Totals, is_shown, printable, printable_text, severity_color};
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
        // One finding per line: no raw line break or control character from the article.
        let path = printable(&file.path, false);
        let mut line = String::with_capacity(path.len() + 120);
        for d in file.diagnostics.iter().filter(|d| is_shown(d, options)) {
            let message = printable_text(&d.message, false);
            let start = d.location.start;
            let severity = d.severity.as_str();
            let fixable = if d.baselined {
                " (baselined)"
            } else if super::marked(d, options) {
                " [*]"
            } else {
                ""
            };
            line.clear();
            if options.color {
                line.push_str("\x1b[1m");
            }
            line.push_str(&path);
            line.push(':');
            push_number(&mut line, start.line);
            line.push(':');
            push_number(&mut line, start.column);
            if options.color {
                line.push_str("\x1b[0m: ");
                line.push_str(severity_color(d.severity));
                line.push_str(severity);
                line.push_str("\x1b[0m[");
            } else {
                line.push_str(": ");
                line.push_str(severity);
                line.push('[');
            }
            line.push_str(d.rule);
            line.push_str("] ");
            line.push_str(&message);
            line.push_str(fixable);
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        super::end_for_people(&mut self.out, &mut self.err, self.options, totals, failures)
    }
}

/// Append `n` in decimal (what `write!` would, without the formatting machinery: a finding's
/// line is written for each of possibly hundreds of thousands of findings).
pub(super) fn push_number(line: &mut String, mut n: usize) {
    // Most lines and columns have one or two digits.
    if n < 100 {
        // Digits: `n / 10` and `n % 10` are below 10.
        #[allow(clippy::cast_possible_truncation)]
        let (tens, ones) = ((n / 10) as u8, (n % 10) as u8);
        if tens > 0 {
            line.push(char::from(b'0' + tens));
        }
        line.push(char::from(b'0' + ones));
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        // A digit: `n % 10` is below 10.
        #[allow(clippy::cast_possible_truncation)]
        {
            digits[at] = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        line.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn numbers_are_written_as_display_writes_them(n in prop_oneof![0usize..200, any::<usize>()]) {
            let mut line = String::from("x");
            super::push_number(&mut line, n);
            prop_assert_eq!(line, format!("x{n}"));
        }
    }

    #[test]
    fn the_edges_of_the_range() {
        for n in [0, 9, 10, 99, 100, usize::MAX] {
            let mut line = String::new();
            super::push_number(&mut line, n);
            assert_eq!(line, n.to_string());
        }
    }
}
