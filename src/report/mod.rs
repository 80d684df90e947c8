//! Renderers: turn a [`RunResult`] into text for people or programs.
//!
//! One module per format. Findings arrive located (lines, columns and text resolved while
//! the file was read); only `human`, which shows source lines, reads files again.

use std::io::{self, Write};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::linter::RunResult;

mod concise;
pub mod github;
mod gitlab;
mod human;
mod json;
mod junit;
pub mod sarif;
mod summary;

/// Output formats of `guidelint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with the source snippet, labels and help (rustc / ruff style).
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON document, for scripts and CI.
    Json,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML: a test suite per file, a failure per finding.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// A Markdown summary (for `$GITHUB_STEP_SUMMARY`).
    Summary,
}

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Use ANSI colours.
    pub color: bool,
    /// Print findings only: no summary line.
    pub quiet: bool,
    /// Terminal width for wrapping human reports.
    pub width: usize,
    /// Count unsafe fixes as available (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Fixes were being applied (`--fix`): the summary says how many.
    pub fixing: bool,
}

/// Write `result` in `format`: the report to `out`, failures of human formats to `err`.
///
/// # Errors
/// Writing failed.
pub fn write(
    format: Format,
    result: &RunResult,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(result, options, out, err),
        Format::Concise => concise::write(result, options, out, err),
        Format::Json => json::write(result, out),
        Format::Github => github::write(result, out),
        Format::Sarif => sarif::write(result, out),
        Format::Junit => junit::write(result, out),
        Format::Gitlab => gitlab::write(result, out),
        Format::Summary => summary::write(result, out),
    }
}

/// Findings with a safe fix, and with only an unsafe one.
pub(crate) fn fixable(result: &RunResult) -> (usize, usize) {
    let count = |a: Applicability| {
        result
            .diagnostics()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a))
            .count()
    };
    (count(Applicability::Safe), count(Applicability::Unsafe))
}

/// Whether a finding's fix is applied by `--fix` with these options: the `[*]` mark.
pub(crate) fn marked(d: &Diagnostic, options: Options) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability == Applicability::Safe || options.unsafe_fixes)
}

/// Print the diffs of `--diff`, and on `err` how many fixes they hold.
///
/// # Errors
/// Writing failed.
pub fn write_diff(
    result: &RunResult,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for f in &result.files {
        if let Some(diff) = &f.diff {
            out.write_all(diff.as_bytes())?;
        }
    }
    write_failures(result, options.color, err)?;
    if !options.quiet {
        let fixes: usize = result.files.iter().map(|f| f.fixed.len()).sum();
        let files = result.files.iter().filter(|f| f.diff.is_some()).count();
        writeln!(
            err,
            "Would fix {fixes} finding{} in {files} file{}",
            if fixes == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// `--show-fixes`: the fixes applied to each file.
///
/// # Errors
/// Writing failed.
pub fn write_fixes(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let files: Vec<_> = result
        .files
        .iter()
        .filter(|f| !f.fixed.is_empty())
        .collect();
    if files.is_empty() {
        return writeln!(out, "No fixes applied");
    }
    writeln!(out, "Fixes applied:")?;
    for f in files {
        writeln!(out, "  {}:", f.path)?;
        for a in &f.fixed {
            writeln!(out, "    {} [{}]", a.title, a.rule)?;
        }
    }
    Ok(())
}

/// `Checked 3 files in 0.01s: 2 errors, 1 warning` (plus failures).
pub(crate) fn summary_line(result: &RunResult) -> String {
    let files = result.files.len();
    let mut parts = Vec::new();
    for (severity, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = result.count(severity);
        if n > 0 {
            parts.push(format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            ));
        }
    }
    let (safe, unsafe_) = fixable(result);
    if safe > 0 {
        parts.push(format!("{safe} fixable with --fix"));
    }
    if unsafe_ > 0 {
        parts.push(format!("{unsafe_} more with --fix --unsafe-fixes"));
    }
    if !result.failures.is_empty() {
        let n = result.failures.len();
        parts.push(format!(
            "{n} {} not checked",
            if n == 1 { "path" } else { "paths" }
        ));
    }
    let baselined = result.baselined();
    if baselined > 0 {
        parts.push(format!("{baselined} baselined"));
    }
    let found = if parts.is_empty() {
        "no problems found".to_string()
    } else {
        parts.join(", ")
    };
    let fixed: usize = result.files.iter().map(|f| f.fixed.len()).sum();
    let prefix = if fixed > 0 {
        format!(
            "Fixed {fixed} finding{}. ",
            if fixed == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    format!(
        "{prefix}Checked {files} {} in {:.2}s: {found}",
        if files == 1 { "file" } else { "files" },
        result.elapsed.as_secs_f64()
    )
}

pub(crate) fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    }
}

/// Print failures (files not checked) for people.
///
/// # Errors
/// Writing failed.
pub fn write_failures(result: &RunResult, color: bool, err: &mut dyn Write) -> io::Result<()> {
    let label = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    for f in &result.failures {
        writeln!(
            err,
            "{label}: {}: {}",
            printable(&f.path, false),
            printable(&f.message, true)
        )?;
    }
    Ok(())
}

/// `text` safe to print to a terminal or a CI log: control characters other than line feeds
/// (kept when `newlines`) and tabs, and the Unicode bidirectional controls, are written as
/// `\u{1b}`-style escapes. Article text reaches messages and paths, and a raw escape sequence
/// or carriage return there could recolour, hide or overwrite what a reader sees.
#[must_use]
pub fn printable(text: &str, newlines: bool) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| (c.is_control() && c != '\t' && (c != '\n' || !newlines)) || is_bidi_control(c);
    replace_chars(
        text,
        |c, _| hidden(c),
        |c, out| out.extend(c.escape_unicode()),
    )
}

/// The Unicode controls that reorder text when shown (embeddings, overrides, isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with the characters [`printable`] escapes replaced by a stand-in of the same
/// length in bytes (`?`, `¿` or `�`), so source lines can be shown safely while byte offsets
/// into them stay valid. Tabs, line feeds and the carriage return of a CRLF are kept; a
/// carriage return alone, which ends a line for every reader (and for the line index), becomes
/// a line feed, so that miette, which takes it for text, breaks lines at the same places.
#[must_use]
pub fn same_length_printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char, next: Option<char>| {
        (c.is_control() && !matches!(c, '\t' | '\n') && !(c == '\r' && next == Some('\n')))
            || is_bidi_control(c)
    };
    replace_chars(text, hidden, |c, out| out.push(stand_in(c)))
}

/// What [`same_length_printable`] writes for a character it hides.
fn stand_in(c: char) -> char {
    match c.len_utf8() {
        // A carriage return it hides is alone (one before a line feed is kept).
        _ if c == '\r' => '\n',
        1 => '?',
        2 => '\u{bf}',
        _ => '\u{fffd}',
    }
}

/// `text` with each character `hidden` picks (given the character after it) written by
/// `write`; borrowed when there is none.
fn replace_chars(
    text: &str,
    hidden: impl Fn(char, Option<char>) -> bool,
    write: impl Fn(char, &mut String),
) -> std::borrow::Cow<'_, str> {
    let Some(first) = first_hidden(text, &hidden) else {
        return text.into();
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        if hidden(c, chars.peek().copied()) {
            write(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The byte offset of the first character `hidden` picks. Printable ASCII, the bulk of any
/// text, is never hidden and is skipped a byte at a time without decoding.
fn first_hidden(text: &str, hidden: &impl Fn(char, Option<char>) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b' '..=b'~') {
            i += 1;
            continue;
        }
        let mut rest = text[i..].chars();
        let c = rest.next()?;
        if hidden(c, rest.next()) {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// Whether a finding is shown in people-facing formats: baselined ones are hidden with
/// `--quiet`.
pub(crate) fn is_shown(d: &Diagnostic, options: Options) -> bool {
    !(d.baselined && options.quiet)
}

/// Findings to show in people-facing formats, with their file's path.
pub(crate) fn shown(
    result: &RunResult,
    options: Options,
) -> impl Iterator<Item = (&str, &Diagnostic)> {
    findings(result).filter(move |(_, d)| is_shown(d, options))
}

/// Every finding in output order, with its file's path.
pub(crate) fn findings(result: &RunResult) -> impl Iterator<Item = (&str, &Diagnostic)> {
    result
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f.path.as_str(), d)))
}

#[cfg(test)]
mod printable_tests {
    use super::{printable, same_length_printable};

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert!(matches!(
            printable("plain `text`\tok", false),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(printable("a\x1b[2Jb\rc", false), r"a\u{1b}[2Jb\u{d}c");
        assert_eq!(printable("one\ntwo", true), "one\ntwo");
        assert_eq!(printable("one\ntwo", false), r"one\u{a}two");
        assert_eq!(printable("é\u{202e}x\u{85}", false), r"é\u{202e}x\u{85}");
    }

    #[test]
    fn stand_ins_keep_every_byte_offset() {
        let text = "# Mix\x1b[31m\ring\u{202e} é\u{85}\r\nnext\r";
        let shown = same_length_printable(text);
        assert_eq!(shown, "# Mix?[31m\ning\u{fffd} é\u{bf}\r\nnext\n");
        assert_eq!(shown.len(), text.len());
        for (i, _) in text.char_indices() {
            assert!(shown.is_char_boundary(i), "{i}");
        }
    }

    /// The character-by-character definition `replace_chars` shortcuts.
    fn reference(
        text: &str,
        hidden: impl Fn(char, Option<char>) -> bool,
        write: impl Fn(char, &mut String),
    ) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if hidden(c, chars.get(i + 1).copied()) {
                write(c, &mut out);
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_ascii_skip_changes_nothing(
            text in "([ -~]|[\\x00-\\x1f\\x7f]|\\r\\n|[é\\u{85}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{2067}\\u{1f3b8}]){0,40}",
            newlines: bool,
        ) {
            let stand_in = |c: char, out: &mut String| {
                out.push(match c.len_utf8() {
                    _ if c == '\r' => '\n',
                    1 => '?',
                    2 => '\u{bf}',
                    _ => '\u{fffd}',
                });
            };
            let kept = |c: char, next: Option<char>| {
                (c.is_control() && !matches!(c, '\t' | '\n') && !(c == '\r' && next == Some('\n')))
                    || super::is_bidi_control(c)
            };
            proptest::prop_assert_eq!(same_length_printable(&text), reference(&text, kept, stand_in));
            let escaped = |c: char, _: Option<char>| {
                (c.is_control() && c != '\t' && (c != '\n' || !newlines)) || super::is_bidi_control(c)
            };
            proptest::prop_assert_eq!(
                printable(&text, newlines),
                reference(&text, escaped, |c, out| out.extend(c.escape_unicode()))
            );
        }
    }
}
