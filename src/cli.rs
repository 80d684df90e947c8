//! Command-line interface: argument definitions and the `check` / `rule` commands.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::discover::{self, Failure};
use crate::document::MAX_FILE_SIZE;
use crate::error::ToolError;
use crate::linter::{FileResult, Linter, RunResult};
use crate::report::{self, Format};
use crate::rules::{self, RULES};
use crate::schema::ArticleSchema;

/// Lint production-guide repositories: Markdown articles with YAML front matter.
#[derive(Debug, Parser)]
#[command(name = "guidelint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Markdown articles and report problems.
    ///
    /// Exit status: 0 when no error was found (warnings are allowed), 1 when at least one
    /// error was found, 2 when guidelint could not do its job (bad arguments, unreadable
    /// schema, a path that does not exist or cannot be read).
    Check(CheckArgs),
    /// Explain a rule, or list all rules.
    Rule {
        /// A rule name such as `heading-increment`; lists every rule when omitted.
        name: Option<String>,
    },
}

/// When to use colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options of `guidelint check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads one article from standard input.
    /// Folders are searched for `*.md` and `*.markdown` files, honouring `.gitignore` and
    /// `.guidelintignore`; files named here are always checked.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// JSON Schema file that replaces the built-in article schema.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Name shown for the article read from standard input (`-`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Number of worker threads (default: one per CPU).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only, without the summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Run a parsed command line; returns the exit code.
///
/// # Errors
/// Only for failures that stop the whole run (exit code 2).
pub fn run(cli: Cli) -> Result<u8, ToolError> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rule { name } => explain(name.as_deref()),
    }
}

fn check(args: &CheckArgs) -> Result<u8, ToolError> {
    let schema = match &args.schema {
        Some(path) => ArticleSchema::from_file(path)?,
        None => ArticleSchema::builtin(),
    };
    let linter = Linter::new(schema);
    let cwd = std::env::current_dir().unwrap_or_default();
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let (targets, failures) = if paths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        discover::discover(&paths, &cwd)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
        .map_err(|e| ToolError::Threads(e.to_string()))?;
    let mut result: RunResult = pool.install(|| linter.check_targets(&targets));
    result.failures.extend(failures);
    if !stdin.is_empty() {
        let started = std::time::Instant::now();
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into());
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_FILE_SIZE + 1)
            .read_to_end(&mut bytes)
            .map_err(ToolError::Stdin)?;
        let (document, diagnostics) = if bytes.len() as u64 > MAX_FILE_SIZE {
            let doc = crate::document::Document::too_large(bytes.len() as u64);
            let diagnostics = linter.check_document(&doc);
            (doc, diagnostics)
        } else {
            linter.check_bytes(bytes)
        };
        result.files.push(FileResult {
            path: name,
            document: (!diagnostics.is_empty()).then_some(document),
            diagnostics,
        });
        result.files.sort_by(|a, b| a.path.cmp(&b.path));
        result.elapsed += started.elapsed();
    }
    result
        .failures
        .sort_by(|a: &Failure, b: &Failure| a.path.cmp(&b.path));
    let options = report::Options {
        color: use_color(args.color),
        quiet: args.quiet,
        width: terminal_width(),
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let written =
        report::write(args.format, &result, options, &mut out, &mut err).and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        // A closed pipe (`guidelint check | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(ToolError::Write(e)),
    }
    Ok(result.exit_code())
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}

fn explain(name: Option<&str>) -> Result<u8, ToolError> {
    let mut out = std::io::stdout().lock();
    let text = match name {
        Some(name) => match rules::find(name) {
            Some(rule) => {
                let meta = rule.meta();
                format!(
                    "# {}\n\n{}. Default severity: {}.\n\n{}",
                    meta.name,
                    meta.summary,
                    meta.default_severity.as_str(),
                    meta.explanation
                )
            }
            None => {
                let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
                let hint = crate::suggest::closest(name, names.iter().copied())
                    .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"));
                eprintln!("error: no rule named `{name}`{hint}; run `guidelint rule` to list them");
                return Ok(2);
            }
        },
        None => RULES
            .iter()
            .map(|r| {
                let m = r.meta();
                format!(
                    "{:<28} {:<8} {}\n",
                    m.name,
                    m.default_severity.as_str(),
                    m.summary
                )
            })
            .collect(),
    };
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(ToolError::Write(e)),
        _ => Ok(0),
    }
}
