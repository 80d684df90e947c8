//! The command line's arguments (clap): the subcommands and the options of `check`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::report::Format;

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
    /// error was found, 2 when guidelint could not do its job (bad arguments, an invalid
    /// configuration, schema or taxonomy, a path that does not exist or cannot be read).
    Check(Box<CheckArgs>),
    /// List every rule with its default level.
    Rules {
        /// `table` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Explain a rule: what it does, why, an example, fix safety, options.
    Rule {
        /// A rule name such as `heading-increment`.
        name: String,
    },
    /// Write a commented starter `guidelint.yml` in the current folder.
    Init {
        /// Also write `article.schema.json` and `taxonomy.yml`, copies of the built-in schema
        /// and taxonomy, and point the configuration at them.
        #[arg(long)]
        with_defaults: bool,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Print the article JSON Schema, with the taxonomy's ids as the allowed tag values, for
    /// editors (yaml-language-server) to complete and check front matter.
    Schema {
        /// Configuration file (default: `guidelint.yml` found from the current folder up).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Ignore configuration files.
        #[arg(long, conflicts_with = "config")]
        no_config: bool,
    },
}

/// Output of `guidelint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Table,
    /// A JSON array.
    Json,
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
    /// Folders are searched for `*.md` and `*.markdown` files (in any case), honouring
    /// `.gitignore` and `.guidelintignore`; files named here are always checked.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Configuration file (default: `guidelint.yml` or `.guidelint.yml`, found from the
    /// current folder upwards).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files: built-in defaults only.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// JSON Schema file that replaces the article schema (built-in or configured).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Run only these rules (comma-separated); rules that are off by default are turned on.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Do not run these rules (comma-separated).
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Name shown for the article read from standard input (`-`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Number of threads that check files, the main thread among them (default: one per
    /// CPU, two per CPU with --fix; at most eight per CPU).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only, without the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Apply safe fixes and write the files; the remaining findings are reported. With `-`,
    /// print the fixed article on stdout and the findings on stderr.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix` or `--diff`, apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what `--fix` would change and write nothing; exit with 1 when
    /// there is something to change.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// After the report, list the fixes applied to each file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Write the `--format` report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Also write a SARIF report to FILE (in the same run as the main report).
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Also write a JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub json_file: Option<PathBuf>,
    /// Also append a Markdown summary to FILE (e.g. `$GITHUB_STEP_SUMMARY`).
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE (repeatable), e.g. `--report-file
    /// github=annotations.txt`. `summary` appends; the others replace the file.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report_file)]
    pub report_file: Vec<(Format, PathBuf)>,
    /// Check only Markdown files added, modified or renamed since the Git revision REF (and
    /// untracked ones), plus files named on the command line; every file when the
    /// configuration, schema or taxonomy changed.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Findings recorded in FILE do not count toward the exit code; they are reported as
    /// baselined (hidden with `--quiet`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to the `--baseline` file (findings that disappeared are
    /// dropped).
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Check only the K-th of N deterministic slices of the files (e.g. `--shard 2/4`), to fan
    /// a large guide out over a CI matrix. Repository-wide rules do not run on a shard.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Do not read or write the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Folder of the result cache (default: `.guidelint_cache` beside the configuration file,
    /// else in the current folder).
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
}

pub(super) fn parse_report_file(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = text
        .split_once('=')
        .ok_or("expected FORMAT=FILE, e.g. sarif=report.sarif")?;
    let format = <Format as ValueEnum>::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format `{format}` (one of: {})", names.join(", "))
    })?;
    if file.is_empty() {
        return Err("the file name is empty".into());
    }
    Ok((format, PathBuf::from(file)))
}

pub(super) fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, e.g. 2/4")?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| "K is not a number")?,
        n.trim().parse().map_err(|_| "N is not a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("K must be between 1 and N (got {k}/{n})"));
    }
    Ok((k, n))
}
