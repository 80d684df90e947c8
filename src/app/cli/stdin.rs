//! Checking (and fixing) the article given on standard input.

use std::io::{Read, Write};

use super::args::CheckArgs;
use crate::base::error::ToolError;
use crate::engine::linter::{self, Linter};
use crate::input::discover;
use crate::input::document::SourceProblem;

/// Check stdin: its result, what `--fix` writes to stdout, and why it could not be fixed.
pub(super) fn check_stdin(
    linter: &Linter,
    args: &CheckArgs,
) -> Result<
    (
        linter::FileResult,
        Option<StdinOutput>,
        Vec<discover::Failure>,
    ),
    ToolError,
> {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".into());
    let input =
        crate::engine::read::read_input(std::io::stdin().lock()).map_err(ToolError::Stdin)?;
    let doc = input.document;
    let relative = args.stdin_filename.as_ref().map_or_else(String::new, |n| {
        linter.settings().relative(std::path::Path::new(n))
    });
    // Bytes that are not an article cannot be fixed: with `--fix`, they are written back
    // as they came, and the run fails so that no one takes them for a fixed article.
    let unfixable = doc.problem.as_ref().filter(|_| args.fix).map(|problem| {
        let rest = matches!(problem, SourceProblem::TooLarge { .. });
        let why = match problem {
            SourceProblem::InvalidUtf8 { offset } => {
                format!("it is not valid UTF-8 (from byte offset {offset})")
            }
            SourceProblem::NulByte { .. } => "it has a NUL byte".into(),
            SourceProblem::TooLarge { .. } => format!(
                "it is over the {} MiB limit",
                crate::input::document::MAX_FILE_SIZE / (1024 * 1024)
            ),
        };
        (why, rest)
    });
    let original = doc.text.clone();
    let (file, problem) = linter.check_or_fix(name.clone(), None, &relative, doc);
    let mut output = None;
    if args.fix {
        // The article goes to stdout: fixed, or as it was when nothing changed.
        output = Some(match (input.verbatim, &unfixable) {
            (Some(bytes), unfixable) => StdinOutput::Verbatim {
                bytes,
                rest: unfixable.as_ref().is_some_and(|(_, rest)| *rest),
            },
            (None, _) => {
                StdinOutput::Text(file.document.as_ref().map_or(original, |d| d.text.clone()))
            }
        });
    }
    let unfixable = unfixable.map(|(why, _)| {
        format!("cannot fix it: {why}; it was written to standard output unchanged")
    });
    let failures = problem
        .into_iter()
        .chain(unfixable)
        .map(|message| discover::Failure {
            path: name.clone(),
            message,
        })
        .collect();
    Ok((file, output, failures))
}

/// What `check --fix -` writes on stdout.
pub(super) enum StdinOutput {
    /// The article's text, fixed or as it was.
    Text(String),
    /// Bytes that are not an article, as read; then, when `rest`, the rest of stdin, which
    /// was not read (an input over the size limit), copied through without being kept.
    Verbatim { bytes: Vec<u8>, rest: bool },
}

impl StdinOutput {
    /// Write it to `out`. The outer error is a failure to read stdin, the inner one a failure
    /// to write (a closed pipe is not an error for the caller).
    pub(super) fn write(&self, out: &mut impl Write) -> Result<std::io::Result<()>, ToolError> {
        let (bytes, rest) = match self {
            Self::Text(text) => return Ok(out.write_all(text.as_bytes())),
            Self::Verbatim { bytes, rest } => (bytes, *rest),
        };
        if let Err(e) = out.write_all(bytes) {
            return Ok(Err(e));
        }
        if !rest {
            return Ok(Ok(()));
        }
        let mut stdin = std::io::stdin().lock();
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let n = match stdin.read(&mut buffer) {
                Ok(0) => return Ok(Ok(())),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ToolError::Stdin(e)),
            };
            if let Err(e) = out.write_all(&buffer[..n]) {
                return Ok(Err(e));
            }
        }
    }
}
