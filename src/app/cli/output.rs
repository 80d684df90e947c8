//! Where reports go: standard output, `--output-file`, `--report-file`, and the colour
//! and width they are written with.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::args::{CheckArgs, ColorChoice};
use super::stdin::StdinOutput;
use crate::app::report::{self, Format};
use crate::base::error::ToolError;
use crate::engine::linter::{self};
use crate::input::discover;

/// One report being written while files are checked: the first error stops it, and is
/// given at the end.
pub(super) struct Output<'a> {
    pub(super) sink: Box<dyn report::Sink + 'a>,
    /// The report file, `None` for standard output (or error).
    pub(super) path: Option<PathBuf>,
    /// Where `--show-fixes` writes after the report.
    pub(super) tail: Option<Box<dyn Write + 'a>>,
    pub(super) error: Option<std::io::Error>,
}

impl Output<'_> {
    pub(super) fn file(&mut self, file: &linter::FileResult) {
        if self.error.is_none()
            && let Err(e) = self.sink.file(file)
        {
            self.error = Some(e);
        }
    }

    pub(super) fn end(&mut self, totals: &report::Totals, failures: &[discover::Failure]) {
        if self.error.is_none()
            && let Err(e) = self.sink.end(totals, failures)
        {
            self.error = Some(e);
        }
    }

    pub(super) fn then(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.error.is_none()
            && let Some(tail) = &mut self.tail
            && let Err(e) = write(tail.as_mut()).and_then(|()| tail.flush())
        {
            self.error = Some(e);
        }
    }

    /// The error that stopped it, as the run reports it: a closed pipe on standard output
    /// (`guidelint check | head`) is not one.
    pub(super) fn result(self) -> Result<(), ToolError> {
        match (self.error, self.path) {
            (None, _) => Ok(()),
            (Some(source), Some(path)) => Err(ToolError::WriteFile { path, source }),
            (Some(e), None) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            (Some(e), None) => Err(ToolError::Write(e)),
        }
    }
}

/// Every report the run writes: the one asked for with `--format` (to standard output, or
/// `--output-file`), and each report file.
pub(super) fn report_outputs<'a>(
    args: &CheckArgs,
    options: report::Options,
    stdin_output: Option<&StdinOutput>,
) -> Result<Vec<Output<'a>>, ToolError> {
    let mut outputs = Vec::new();
    // Into a pipe or a file, the report is written in large pieces (a few system calls for
    // thousands of findings); on a terminal, in the usual small ones, so that it shows as
    // files are checked.
    let piece = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        8 * 1024
    } else {
        64 * 1024
    };
    let stdout =
        || Box::new(std::io::BufWriter::with_capacity(piece, std::io::stdout())) as Box<dyn Write>;
    let stderr = || Box::new(std::io::stderr()) as Box<dyn Write>;
    let main = |sink, tail| Output {
        sink,
        path: None,
        tail,
        error: None,
    };
    // `--show-fixes` follows a report for people; next to any other report it goes to stderr.
    let for_people = matches!(args.format, Format::Human | Format::Concise);
    let to_file = |file: &std::path::Path| {
        report_file(
            file,
            args.format,
            false,
            report::Options {
                color: false,
                prerendered: false,
                ..options
            },
        )
    };
    // Failures still reach the terminal next to a report written to a file.
    let failures = || Output {
        sink: Box::new(Failures {
            color: options.color,
        }),
        path: None,
        tail: Some(stderr()),
        error: None,
    };
    if args.diff {
        let sink = Box::new(report::Diffs {
            out: stdout(),
            err: stderr(),
            options,
        });
        outputs.push(main(sink, None));
    } else if let Some(article) = stdin_output {
        // stdout carries the article; the report goes to `--output-file`, else to stderr.
        // (Failures, which the human formats write apart, go there too.)
        let mut out = std::io::stdout().lock();
        let written = article.write(&mut out)?.and_then(|()| out.flush());
        let mut report = match &args.output_file {
            Some(file) => {
                outputs.push(to_file(file)?);
                failures()
            }
            None => main(
                report::sink(args.format, options, stderr(), stderr()),
                Some(stderr()),
            ),
        };
        report.error = written.err();
        outputs.push(report);
    } else if let Some(file) = &args.output_file {
        outputs.push(to_file(file)?);
        outputs.push(failures());
    } else {
        outputs.push(main(
            report::sink(args.format, options, stdout(), stderr()),
            Some(if for_people { stdout() } else { stderr() }),
        ));
    }
    let shorthands = [
        (Format::Sarif, &args.sarif_file),
        (Format::Json, &args.json_file),
        (Format::Summary, &args.summary_file),
    ];
    let extra = shorthands
        .into_iter()
        .filter_map(|(format, file)| file.as_ref().map(|f| (format, f)))
        .chain(
            args.report_file
                .iter()
                .map(|(format, file)| (*format, file)),
        );
    let defaults = report::Options {
        color: false,
        quiet: false,
        width: 100,
        unsafe_fixes: false,
        fixing: false,
        prerendered: false,
    };
    let mut paths: Vec<&PathBuf> = args.output_file.iter().collect();
    for (format, file) in extra {
        // Two reports in one file would be neither.
        if let Some(other) = paths.iter().find(|p| same_file(p, file)) {
            return Err(ToolError::Usage(format!(
                "two reports would be written to the same file: `{}` and `{}`",
                other.display(),
                file.display()
            )));
        }
        paths.push(file);
        outputs.push(report_file(
            file,
            format,
            format == Format::Summary,
            defaults,
        )?);
    }
    Ok(outputs)
}

/// The failures of a run, for people, on stderr (next to a report written to a file).
pub(super) struct Failures {
    pub(super) color: bool,
}

impl report::Sink for Failures {
    fn file(&mut self, _: &linter::FileResult) -> std::io::Result<()> {
        Ok(())
    }

    fn end(&mut self, _: &report::Totals, failures: &[discover::Failure]) -> std::io::Result<()> {
        report::write_failures(failures, self.color, &mut std::io::stderr())
    }
}

/// A report written to a file (appended to for job summaries, which other steps share).
pub(super) fn report_file<'a>(
    path: &std::path::Path,
    format: Format,
    append: bool,
    options: report::Options,
) -> Result<Output<'a>, ToolError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(path)
        .map_err(|source| ToolError::WriteFile {
            path: path.to_path_buf(),
            source,
        })?;
    let out = Box::new(std::io::BufWriter::new(file));
    Ok(Output {
        sink: report::sink(format, options, out, Box::new(std::io::sink())),
        path: Some(path.to_path_buf()),
        tail: None,
        error: None,
    })
}

/// Whether two report paths name one file: the same text, or, for files that exist, the
/// same file.
pub(super) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    if a == b {
        return true;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

pub(super) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}
