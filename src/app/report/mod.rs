//! Renderers: turn a [`RunResult`] into text for people or programs.
//!
//! One module per format. Findings arrive located (lines, columns and text resolved while
//! the file was read); only `human`, which shows source lines, reads files again.

use std::io::{self, Write};

use crate::base::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::fix::Applied;
use crate::engine::linter::{FileResult, RunResult};
use crate::input::discover::Failure;

mod concise;
pub mod github;
mod gitlab;
mod human;
pub use human::prerender;
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
    /// The findings' texts were rendered with these options while their files were checked
    /// ([`prerender`]): a human report writes them as they are.
    pub prerendered: bool,
}

/// What a report says at the end of a run, counted file by file.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Files checked.
    pub files: usize,
    /// Findings not in the baseline, by severity: error, warning, info.
    pub errors: usize,
    /// See `errors`.
    pub warnings: usize,
    /// See `errors`.
    pub infos: usize,
    /// Findings known in the baseline.
    pub baselined: usize,
    /// Findings with a safe fix, and with only an unsafe one.
    pub safe_fixable: usize,
    /// See `safe_fixable`.
    pub unsafe_fixable: usize,
    /// Fixes applied (or, with `--diff`, that would be).
    pub fixed: usize,
    /// Files with a diff (`--diff`).
    pub diffs: usize,
    /// An `internal-error` finding was made.
    pub internal: bool,
    /// Wall time of the run.
    pub elapsed: std::time::Duration,
}

impl Totals {
    /// Count `file` in.
    pub fn add(&mut self, file: &FileResult) {
        self.files += 1;
        for d in &file.diagnostics {
            if d.baselined {
                self.baselined += 1;
            } else {
                match d.severity {
                    Severity::Error => self.errors += 1,
                    Severity::Warning => self.warnings += 1,
                    Severity::Info => self.infos += 1,
                }
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => self.safe_fixable += 1,
                Some(Applicability::Unsafe) => self.unsafe_fixable += 1,
                None => {}
            }
            self.internal |= d.rule == crate::rules::INTERNAL_ERROR;
        }
        self.fixed += file.fixed.len();
        self.diffs += usize::from(file.diff.is_some());
    }

    /// The totals of a whole result.
    #[must_use]
    pub fn of(result: &RunResult) -> Self {
        let mut totals = Self::default();
        for file in &result.files {
            totals.add(file);
        }
        totals.elapsed = result.elapsed;
        totals
    }

    /// Findings of `severity` not in the baseline.
    #[must_use]
    pub const fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        }
    }

    /// Exit code: 2 if something could not be checked (one of `failures`, or an
    /// `internal-error` finding), 1 if an error finding, else 0.
    #[must_use]
    pub const fn exit_code(&self, failures: usize) -> u8 {
        if failures > 0 || self.internal {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}

/// A report written file by file: each file's findings as soon as it is finished (in path
/// order), then what only the end of the run knows (failures, counts).
pub trait Sink {
    /// Write the findings of the next file.
    ///
    /// # Errors
    /// Writing failed.
    fn file(&mut self, file: &FileResult) -> io::Result<()>;

    /// Write the end of the report.
    ///
    /// # Errors
    /// Writing failed.
    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()>;
}

/// A report in `format`, written to `out` (failures of human formats to `err`).
#[must_use]
pub fn sink<'a>(
    format: Format,
    options: Options,
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
) -> Box<dyn Sink + 'a> {
    match format {
        Format::Human => Box::new(human::Human::new(options, out, err)),
        Format::Concise => Box::new(concise::Concise { options, out, err }),
        Format::Json => Box::new(json::Json::new(out)),
        Format::Github => Box::new(github::Github { out }),
        Format::Sarif => Box::new(sarif::Sarif::new(out)),
        Format::Junit => Box::new(junit::Junit::new(out)),
        Format::Gitlab => Box::new(gitlab::Gitlab::new(out)),
        Format::Summary => Box::new(summary::Summary::new(out)),
    }
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
    let mut report = sink(format, options, Box::new(out), Box::new(err));
    for file in &result.files {
        report.file(file)?;
    }
    report.end(&Totals::of(result), &result.failures)
}

/// Whether a finding's fix is applied by `--fix` with these options: the `[*]` mark.
pub(crate) fn marked(d: &Diagnostic, options: Options) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability == Applicability::Safe || options.unsafe_fixes)
}

/// `--diff`: each file's diff on `out`; at the end, failures and how many fixes the diffs
/// hold on `err`.
pub struct Diffs<'a> {
    /// Where the diffs go.
    pub out: Box<dyn Write + 'a>,
    /// Where failures and the count go.
    pub err: Box<dyn Write + 'a>,
    /// How to render.
    pub options: Options,
}

impl Sink for Diffs<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        if let Some(diff) = &file.diff {
            self.out.write_all(diff.as_bytes())?;
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        self.out.flush()?;
        write_failures(failures, self.options.color, &mut self.err)?;
        if !self.options.quiet {
            let (fixes, files) = (totals.fixed, totals.diffs);
            writeln!(
                self.err,
                "Would fix {fixes} finding{} in {files} file{}",
                if fixes == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
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
    let mut diffs = Diffs {
        out: Box::new(out),
        err: Box::new(err),
        options,
    };
    for file in &result.files {
        diffs.file(file)?;
    }
    diffs.end(&Totals::of(result), &result.failures)
}

/// `--show-fixes`: the fixes applied to each file, given as (path, fixes) of the files fixed.
///
/// # Errors
/// Writing failed.
pub fn write_fixes(fixed: &[(String, Vec<Applied>)], out: &mut dyn Write) -> io::Result<()> {
    if fixed.is_empty() {
        return writeln!(out, "No fixes applied");
    }
    writeln!(out, "Fixes applied:")?;
    for (path, applied) in fixed {
        writeln!(out, "  {path}:")?;
        for a in applied {
            writeln!(out, "    {} [{}]", a.title, a.rule)?;
        }
    }
    Ok(())
}

/// The end of a report for people: failures on `err` (after what `out` holds so far), then
/// the summary line unless quiet.
pub(crate) fn end_for_people(
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
    totals: &Totals,
    failures: &[Failure],
) -> io::Result<()> {
    out.flush()?;
    write_failures(failures, options.color, err)?;
    if !options.quiet {
        writeln!(out, "{}", summary_line(totals, failures.len()))?;
    }
    out.flush()
}

/// `Checked 3 files in 0.01s: 2 errors, 1 warning` (plus failures).
pub(crate) fn summary_line(totals: &Totals, failures: usize) -> String {
    let files = totals.files;
    let mut parts = Vec::new();
    for (severity, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = totals.count(severity);
        if n > 0 {
            parts.push(format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            ));
        }
    }
    let (safe, unsafe_) = (totals.safe_fixable, totals.unsafe_fixable);
    if safe > 0 {
        parts.push(format!("{safe} fixable with --fix"));
    }
    if unsafe_ > 0 {
        parts.push(format!("{unsafe_} more with --fix --unsafe-fixes"));
    }
    if failures > 0 {
        let n = failures;
        parts.push(format!(
            "{n} {} not checked",
            if n == 1 { "path" } else { "paths" }
        ));
    }
    let baselined = totals.baselined;
    if baselined > 0 {
        parts.push(format!("{baselined} baselined"));
    }
    let found = if parts.is_empty() {
        "no problems found".to_string()
    } else {
        parts.join(", ")
    };
    let fixed = totals.fixed;
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
        totals.elapsed.as_secs_f64()
    )
}

/// A pretty-printed JSON document holding one array whose items are written as they come:
/// the same text `serde_json::to_writer_pretty` writes for the whole document.
pub(crate) struct JsonArray {
    /// What the document's text holds after the array.
    after: String,
    /// The items' indentation.
    indent: String,
    items: usize,
}

impl JsonArray {
    /// Start the array of `document` (pretty-printed, holding `marker` once, e.g.
    /// `"results": []`): write what comes before it.
    pub(crate) fn start(out: &mut dyn Write, document: &str, marker: &str) -> io::Result<Self> {
        let at = document.find(marker).unwrap_or(0) + marker.len() - 2;
        let line = document[..at].rfind('\n').map_or(0, |n| n + 1);
        let spaces = document[line..].len() - document[line..].trim_start().len();
        out.write_all(&document.as_bytes()[..at])?;
        Ok(Self {
            after: String::new(),
            indent: " ".repeat(spaces + 2),
            items: 0,
        })
    }

    /// Write one item.
    pub(crate) fn item(
        &mut self,
        out: &mut dyn Write,
        item: &impl serde::Serialize,
    ) -> io::Result<()> {
        out.write_all(if self.items == 0 { b"[\n" } else { b",\n" })?;
        out.write_all(self.indent.as_bytes())?;
        let text = serde_json::to_string_pretty(item)?;
        let mut lines = text.split('\n');
        out.write_all(lines.next().unwrap_or("").as_bytes())?;
        for line in lines {
            out.write_all(b"\n")?;
            out.write_all(self.indent.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
        self.items += 1;
        Ok(())
    }

    /// End the array, then write the rest of `document` (the same document as given to
    /// [`JsonArray::start`], with what the end of the run knows) and a line feed.
    pub(crate) fn end(
        mut self,
        out: &mut dyn Write,
        document: &str,
        marker: &str,
    ) -> io::Result<()> {
        let at = document.find(marker).unwrap_or(0) + marker.len();
        self.after = document[at..].to_string();
        if self.items == 0 {
            out.write_all(b"[]")?;
        } else {
            out.write_all(b"\n")?;
            out.write_all(&self.indent.as_bytes()[2..])?;
            out.write_all(b"]")?;
        }
        out.write_all(self.after.as_bytes())?;
        out.write_all(b"\n")
    }
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
pub fn write_failures(failures: &[Failure], color: bool, err: &mut dyn Write) -> io::Result<()> {
    let label = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    for f in failures {
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
