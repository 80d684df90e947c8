//! Renderers: turn a [`RunResult`] into text for people or programs.
//!
//! One module per format. Findings arrive located (lines, columns and text resolved while
//! the file was read); only `human`, which shows source lines, reads files again.

use std::io::{self, Write};

use crate::base::diagnostic::{Applicability, Diagnostic, Severity};
pub use crate::base::printable::{printable, printable_text, same_length_printable};
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

    /// The array in `slot`, started on first use (its document, holding `marker`, made by
    /// `document`): a report writes nothing before it has something to write.
    pub(crate) fn started<'s>(
        slot: &'s mut Option<Self>,
        out: &mut dyn Write,
        document: impl FnOnce() -> String,
        marker: &str,
    ) -> io::Result<&'s mut Self> {
        if slot.is_none() {
            *slot = Some(Self::start(out, &document(), marker)?);
        }
        Ok(slot.as_mut().expect("started"))
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

/// Whether a finding is shown in people-facing formats: baselined ones are hidden with
/// `--quiet`.
pub(crate) fn is_shown(d: &Diagnostic, options: Options) -> bool {
    !(d.baselined && options.quiet)
}
