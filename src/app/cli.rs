//! Command-line interface: argument definitions and the commands.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::app::report::{self, Format};
use crate::base::error::ToolError;
use crate::config::{ConfigSource, Settings};
use crate::engine::linter::{self, FixMode, Linter};
use crate::engine::store::Store;
use crate::input::discover;
use crate::input::document::SourceProblem;
use crate::input::schema::{BUILTIN_ARTICLE_SCHEMA, Schema};
use crate::input::taxonomy::DEFAULT_TAXONOMY;
use crate::rules::RULES;

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
    /// Number of worker threads (default: one per CPU).
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

fn parse_report_file(text: &str) -> Result<(Format, PathBuf), String> {
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

fn parse_shard(text: &str) -> Result<(u32, u32), String> {
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

/// Run a parsed command line; returns the exit code.
///
/// # Errors
/// Only for failures that stop the whole run (exit code 2).
pub fn run(cli: Cli) -> Result<u8, ToolError> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules { format } => list_rules(format),
        Command::Rule { name } => explain(&name),
        Command::Init {
            with_defaults,
            force,
        } => init(with_defaults, force),
        Command::Schema { config, no_config } => print_schema(config, no_config),
    }
}

fn config_source(config: Option<PathBuf>, no_config: bool) -> ConfigSource {
    let cwd = std::env::current_dir().unwrap_or_default();
    match (config, no_config) {
        (Some(file), _) => ConfigSource::File(file),
        (None, true) => ConfigSource::Defaults(cwd),
        (None, false) => ConfigSource::Discover(cwd),
    }
}

fn check_rule_names(names: &[String]) -> Result<(), ToolError> {
    let known: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
    for name in names {
        if !known.contains(&name.as_str()) {
            return Err(ToolError::UnknownRule {
                name: name.clone(),
                hint: crate::base::suggest::closest(name, known.iter().copied())
                    .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)")),
            });
        }
    }
    Ok(())
}

/// Worker threads when `--jobs` is not given: two per CPU with `--fix`, whose threads wait for
/// the disk (each fixed file is synced before it replaces the original) while others could be
/// checking; else 0, rayon's default (one per CPU).
fn default_jobs(fix: bool) -> usize {
    if fix {
        2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        0
    }
}

fn check(args: &CheckArgs) -> Result<u8, ToolError> {
    for names in [args.select.as_deref().unwrap_or_default(), &args.ignore] {
        check_rule_names(names)?;
        if let Some(name) = names.iter().find(|n| *n == crate::rules::INTERNAL_ERROR) {
            return Err(ToolError::AlwaysOn { name: name.clone() });
        }
    }
    let mut settings = Settings::load(&config_source(args.config.clone(), args.no_config))?;
    if let Some(path) = &args.schema {
        settings.setup.schema = Schema::article_from_file(path)?;
        settings.sources.push(path.clone());
    }
    settings.restrict(args.select.as_deref(), &args.ignore);
    let mode = (args.fix || args.diff).then_some(FixMode {
        unsafe_fixes: args.unsafe_fixes,
        write: args.fix,
    });
    // Fixing rewrites files as it goes: it neither reads nor writes the cache.
    let cache_dir = (!args.no_cache && mode.is_none()).then(|| {
        args.cache_dir
            .clone()
            .unwrap_or_else(|| settings.root.join(crate::app::cache::DEFAULT_DIR))
    });
    let cwd = std::env::current_dir().unwrap_or_default();
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    // Asked of Git first: a revision it cannot use stops the run before any work.
    let changed = match &args.changed_since {
        Some(reference) => Some(crate::app::git::changed_since(reference, &cwd)?),
        None => None,
    };
    let cache_dir = cache_dir.filter(|dir| {
        let why = crate::app::cache::unusable(dir).or_else(|| {
            // Gating a change: a cache that came with it could say anything about its files.
            (changed.is_some() && crate::app::git::tracks_anything_in(dir, &cwd))
                .then(|| "files in it are tracked by Git (it came with the checkout)".to_string())
        });
        if let Some(why) = &why {
            eprintln!(
                "warning: not using the result cache in {}: {why}",
                discover::display_path(dir, &cwd)
            );
        }
        why.is_none()
    });
    // The cache file is read while the folders are walked.
    let (cache, (mut targets, failures)) = std::thread::scope(|scope| {
        let key = crate::app::cache::key(&settings);
        let cache =
            cache_dir.map(|dir| scope.spawn(move || crate::app::cache::Cache::open(&dir, key)));
        let found = if paths.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            discover::discover(&paths, &cwd, &settings.filter())
        };
        (cache.and_then(|c| c.join().ok()), found)
    });
    let cache = cache.map(Arc::new);
    let linter = Linter::new(settings)
        .with_fix(mode)
        .with_store(cache.clone().map(|c| c as Arc<dyn Store>));
    let review = match (&changed, &args.changed_since) {
        (Some(changes), Some(reference)) => {
            for path in &changes.unchecked_submodules {
                eprintln!(
                    "warning: submodule `{}` changed since {reference} but is not checked out: its files are not checked (check it out, e.g. `git submodule update --init`)",
                    discover::display_path(path, &cwd)
                );
            }
            review_settings(changes, reference, linter.settings(), args, &cwd)
        }
        _ => Review::default(),
    };
    if let Some(changes) = &changed {
        // By identity: the same file may be spelt differently by Git and by the walk.
        let changed: std::collections::HashSet<discover::FileId> = changes
            .changed
            .iter()
            .filter_map(|p| discover::FileId::of_link(p))
            .collect();
        let ids: Vec<Option<discover::FileId>> = targets
            .iter()
            .map(|t| discover::FileId::of(&t.path))
            .collect();
        // Changed files the walk did not find: `.gitignore` does not hide a file Git tracks.
        let mut missing = changed.clone();
        for id in ids.iter().flatten() {
            missing.remove(id);
        }
        let missing: Vec<PathBuf> = changes
            .changed
            .iter()
            .filter(|p| discover::FileId::of_link(p).is_some_and(|id| missing.contains(&id)))
            .cloned()
            .collect();
        if !review.check_all {
            // And by the way to it: a file reached through a changed link or a folder put in
            // a link's place is the change's too. Only a changed link can lead elsewhere.
            let touched = crate::app::git::Touched::of(changes, &cwd);
            let follow = touched.has_links();
            let mut ids = ids.into_iter();
            targets.retain(|t| {
                let id = ids.next().flatten();
                t.explicit
                    || id.is_some_and(|id| changed.contains(&id))
                    || touched.reaches(&t.path, &cwd, follow)
            });
        }
        if !missing.is_empty() {
            targets.extend(discover::ignored_by_git(
                &paths,
                &cwd,
                &linter.settings().filter(),
                &missing,
            ));
            targets.sort_unstable_by(|a, b| {
                a.display.cmp(&b.display).then_with(|| a.path.cmp(&b.path))
            });
        }
    }
    if let Some((k, n)) = args.shard {
        targets
            .retain(|t| crate::base::hash::fnv1a(&[&t.display]) % u64::from(n) == u64::from(k - 1));
        if !args.quiet && args.format == Format::Human {
            eprintln!(
                "note: shard {k}/{n}: {} files; repository-wide rules (duplicate-title, duplicate-yt-video) run only unsharded",
                targets.len()
            );
        }
    }
    // No more threads than files, and none for stdin alone: idle workers of a pool spin
    // before they sleep, which costs a check of one article (an editor's, on stdin) more than
    // the check itself.
    let jobs = args
        .jobs
        .map_or_else(|| default_jobs(args.fix), usize::from)
        .min(targets.len().max(1));
    let pool = if targets.is_empty() {
        None
    } else {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .map_err(|e| ToolError::Threads(e.to_string()))?,
        )
    };
    let started = std::time::Instant::now();
    let mut failures = failures;
    // Stdin first: its result joins the files' in path order, and with `--fix` the article
    // goes to stdout before any report.
    let (stdin_file, stdin_output) = if stdin.is_empty() {
        (None, None)
    } else {
        let (file, output, problems) = check_stdin(&linter, args)?;
        failures.extend(problems);
        (Some(file), output)
    };
    // The baseline is read before the run: each file's findings are matched as it is reported.
    let baseline_path = args.baseline.as_ref();
    let read_baseline = match baseline_path.filter(|_| !args.update_baseline) {
        None => None,
        Some(path) => Some(
            if let Some(changes) = changed.as_ref().filter(|_| review.baseline_changed) {
                // As it was at the revision: a change cannot excuse its own findings.
                let at = crate::app::git::Touched::of(changes, &cwd).in_repository(path, &cwd);
                match at.and_then(|at| crate::app::git::file_at(changes, &at)) {
                    Some(bytes) => crate::app::baseline::Baseline::parse(
                        &String::from_utf8_lossy(&bytes),
                        path,
                    )?,
                    None => crate::app::baseline::Baseline::default(),
                }
            } else {
                crate::app::baseline::Baseline::load(path)?
            },
        ),
    };
    let known = read_baseline
        .as_ref()
        .map(crate::app::baseline::Baseline::known);
    let mut recorded = (baseline_path.is_some() && args.update_baseline)
        .then(crate::app::baseline::Baseline::default);
    // The human report on the terminal renders findings while their files are checked.
    let prerender = args.format == Format::Human && !args.diff && args.output_file.is_none();
    let options = report::Options {
        color: use_color(args.color),
        quiet: args.quiet,
        width: terminal_width(),
        unsafe_fixes: args.unsafe_fixes,
        fixing: args.fix,
        prerendered: prerender,
    };
    let mut linter = linter.with_prerender(prerender.then(|| report::prerender(options)));
    let mut outputs = report_outputs(args, options, stdin_output.as_ref())?;
    let mut totals = report::Totals::default();
    let mut fixed: Vec<(String, Vec<crate::engine::fix::Applied>)> = Vec::new();
    // Repository-wide rules need every file: not on a shard; and what they see of a run
    // that checks only some files says nothing of the suppressions they did not use.
    let repository = if args.shard.is_some() {
        linter::Repository::Off
    } else if args.changed_since.is_some()
        || targets.iter().any(|t| t.explicit)
        || (targets.is_empty() && stdin_file.is_some())
    {
        linter::Repository::Part
    } else {
        linter::Repository::Whole
    };
    let read_failures = linter.check_ordered(
        pool.as_ref(),
        &targets,
        stdin_file,
        repository,
        |mut file| {
            if let Some(known) = &known {
                known.apply(&mut file, &cwd);
            }
            if let Some(baseline) = &mut recorded {
                // Every current finding is in the baseline being written.
                baseline.record(&file, &cwd);
                file.diagnostics.iter_mut().for_each(|d| d.baselined = true);
            }
            totals.add(&file);
            for output in &mut outputs {
                output.file(&file);
            }
            if args.show_fixes && !file.fixed.is_empty() {
                fixed.push((file.path.clone(), std::mem::take(&mut file.fixed)));
            }
        },
    );
    drop(targets);
    linter.drop_store();
    if let Some(cache) = cache.and_then(Arc::into_inner) {
        let dir = cache.dir().to_path_buf();
        if let Err(e) = cache.save() {
            eprintln!(
                "warning: cannot write the result cache in {}: {e} (use --no-cache or --cache-dir)",
                dir.display()
            );
        }
    }
    if let (Some(path), Some(baseline)) = (baseline_path, &recorded) {
        baseline.save(path)?;
    }
    let mut failures: Vec<discover::Failure> = read_failures.into_iter().chain(failures).collect();
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    totals.elapsed = started.elapsed();
    for output in &mut outputs {
        output.end(&totals, &failures);
        if args.show_fixes {
            // (Only the report on standard output has a tail.)
            output.then(|out| report::write_fixes(&fixed, out));
        }
    }
    for output in outputs {
        output.result()?;
    }
    if args.diff {
        return Ok(if !failures.is_empty() {
            2
        } else {
            u8::from(totals.diffs > 0)
        });
    }
    Ok(totals.exit_code(failures.len()))
}

/// Check stdin: its result, what `--fix` writes to stdout, and why it could not be fixed.
fn check_stdin(
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
    let input = linter::read_input(std::io::stdin().lock()).map_err(ToolError::Stdin)?;
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

/// One report being written while files are checked: the first error stops it, and is
/// given at the end.
struct Output<'a> {
    sink: Box<dyn report::Sink + 'a>,
    /// The report file, `None` for standard output (or error).
    path: Option<PathBuf>,
    /// Where `--show-fixes` writes after the report.
    tail: Option<Box<dyn Write + 'a>>,
    error: Option<std::io::Error>,
}

impl Output<'_> {
    fn file(&mut self, file: &linter::FileResult) {
        if self.error.is_none()
            && let Err(e) = self.sink.file(file)
        {
            self.error = Some(e);
        }
    }

    fn end(&mut self, totals: &report::Totals, failures: &[discover::Failure]) {
        if self.error.is_none()
            && let Err(e) = self.sink.end(totals, failures)
        {
            self.error = Some(e);
        }
    }

    fn then(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.error.is_none()
            && let Some(tail) = &mut self.tail
            && let Err(e) = write(tail.as_mut()).and_then(|()| tail.flush())
        {
            self.error = Some(e);
        }
    }

    /// The error that stopped it, as the run reports it: a closed pipe on standard output
    /// (`guidelint check | head`) is not one.
    fn result(self) -> Result<(), ToolError> {
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
fn report_outputs<'a>(
    args: &CheckArgs,
    options: report::Options,
    stdin_output: Option<&StdinOutput>,
) -> Result<Vec<Output<'a>>, ToolError> {
    let mut outputs = Vec::new();
    let stdout = || Box::new(std::io::BufWriter::new(std::io::stdout())) as Box<dyn Write>;
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
struct Failures {
    color: bool,
}

impl report::Sink for Failures {
    fn file(&mut self, _: &linter::FileResult) -> std::io::Result<()> {
        Ok(())
    }

    fn end(&mut self, _: &report::Totals, failures: &[discover::Failure]) -> std::io::Result<()> {
        report::write_failures(failures, self.color, &mut std::io::stderr())
    }
}

/// What a change since `--changed-since`'s revision did to the run's own settings.
#[derive(Debug, Default)]
struct Review {
    /// The configuration, schema or taxonomy in use changed, or a configuration was deleted:
    /// files the change did not touch may have new findings (or lose some), so every file is
    /// checked.
    check_all: bool,
    /// The baseline changed: it is read as it was at the revision.
    baseline_changed: bool,
}

/// Files that decide what is checked (the configuration, the schema and taxonomy it names,
/// the baseline, ignore files) are the change's own when it changes them: say so, for a
/// reviewer to look at, and decide what this run does about it (see [`Review`]).
fn review_settings(
    changes: &crate::app::git::Changes,
    reference: &str,
    settings: &Settings,
    args: &CheckArgs,
    cwd: &std::path::Path,
) -> Review {
    use discover::FileId;
    let in_use: Vec<FileId> = settings
        .config_path
        .iter()
        .chain(&settings.sources)
        .filter_map(|p| FileId::of(p))
        .collect();
    let baseline = args.baseline.as_deref().filter(|_| !args.update_baseline);
    let baseline_id = baseline.and_then(FileId::of);
    let name_of = |path: &std::path::Path| {
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned()
    };
    let decides = |name: &str| {
        crate::config::CONFIG_NAMES.contains(&name)
            || matches!(name, ".gitignore" | ".ignore" | discover::IGNORE_FILE)
    };
    let shown = |path: &std::path::Path| discover::display_path(path, cwd);
    let mut review = Review::default();
    // A file counts as changed when a changed entry is the file as named or a folder above it,
    // or is one on the way through the links to it, or is the file it names.
    let touched = crate::app::git::Touched::of(changes, cwd);
    let changed: std::collections::HashSet<FileId> = changes
        .changed
        .iter()
        .filter_map(|p| FileId::of_link(p))
        .collect();
    let reached = |path: &std::path::Path| {
        touched.reaches(path, cwd, true) || FileId::of(path).is_some_and(|id| changed.contains(&id))
    };
    if let Some(path) = baseline.filter(|b| reached(b)) {
        review.baseline_changed = true;
        eprintln!(
            "warning: the baseline `{}` changed since {reference}: this run honours only the findings it recorded at {reference}",
            shown(path)
        );
    }
    let mut reported: Vec<&std::path::Path> = Vec::new();
    let mut spelt = Vec::new();
    for path in settings.config_path.iter().chain(&settings.sources) {
        if reached(path) && !reported.contains(&path.as_path()) {
            reported.push(path);
            spelt.extend(touched.in_repository(path, cwd));
            review.check_all = true;
            eprintln!(
                "warning: `{}` changed since {reference}: this run checks with the changed version, and checks every file",
                shown(path)
            );
        }
    }
    for path in &changes.changed {
        let id = FileId::of_link(path);
        let in_use = id.is_some()
            && (id == baseline_id || id.as_ref().is_some_and(|id| in_use.contains(id)));
        let said = touched
            .in_repository(path, cwd)
            .is_some_and(|p| spelt.contains(&p));
        if !in_use && !said && decides(&name_of(path)) {
            eprintln!(
                "warning: `{}` changed since {reference}: this run checks with the changed version",
                shown(path)
            );
        }
    }
    // A deleted file is gone: it is known by its folder and name.
    let folder_of = |path: &std::path::Path| match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => FileId::of(p),
        _ => FileId::of(std::path::Path::new(".")),
    };
    let same_place = |a: &std::path::Path, b: &std::path::Path| {
        a.file_name() == b.file_name() && folder_of(a).is_some_and(|f| Some(f) == folder_of(b))
    };
    // A configuration the run would have found: in the working folder or above it.
    let discovered = args.config.is_none() && !args.no_config;
    let above: Vec<FileId> = cwd.ancestors().filter_map(FileId::of).collect();
    for path in &changes.removed {
        let name = name_of(path);
        if discovered
            && crate::config::CONFIG_NAMES.contains(&name.as_str())
            && folder_of(path).is_some_and(|f| above.contains(&f))
        {
            review.check_all = true;
            eprintln!(
                "warning: `{}` was deleted since {reference}: this run checks with the settings left, and checks every file",
                shown(path)
            );
        } else if baseline.is_some_and(|b| same_place(b, path)) {
            eprintln!(
                "warning: the baseline `{}` was deleted since {reference}: every finding counts",
                shown(path)
            );
        } else if decides(&name) {
            eprintln!("warning: `{}` was deleted since {reference}", shown(path));
        }
    }
    review
}

/// What `check --fix -` writes on stdout.
enum StdinOutput {
    /// The article's text, fixed or as it was.
    Text(String),
    /// Bytes that are not an article, as read; then, when `rest`, the rest of stdin, which
    /// was not read (an input over the size limit), copied through without being kept.
    Verbatim { bytes: Vec<u8>, rest: bool },
}

impl StdinOutput {
    /// Write it to `out`. The outer error is a failure to read stdin, the inner one a failure
    /// to write (a closed pipe is not an error for the caller).
    fn write(&self, out: &mut impl Write) -> Result<std::io::Result<()>, ToolError> {
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

/// A report written to a file (appended to for job summaries, which other steps share).
fn report_file<'a>(
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
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    if a == b {
        return true;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
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

fn emit(text: &str) -> Result<u8, ToolError> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(ToolError::Write(e)),
        _ => Ok(0),
    }
}

/// The `guidelint rules` table.
#[must_use]
pub fn rules_table() -> String {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            format!("{:<28} {:<8} {}\n", m.name, m.default_level(), m.summary)
        })
        .collect()
}

fn list_rules(format: ListFormat) -> Result<u8, ToolError> {
    match format {
        ListFormat::Table => emit(&rules_table()),
        ListFormat::Json => {
            let rules: Vec<Value> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    json!({
                        "name": m.name,
                        "summary": m.summary,
                        "default": m.default_level(),
                        "severity": m.default_severity.as_str(),
                        "fix": m.fix,
                        "repository": m.repository,
                        "options": m.options.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
                    })
                })
                .collect();
            emit(&(serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"))
        }
    }
}

fn explain(name: &str) -> Result<u8, ToolError> {
    check_rule_names(&[name.to_string()])?;
    let meta = RULES
        .iter()
        .find(|r| r.meta().name == name)
        .map(|r| r.meta())
        .expect("checked above");
    emit(&format!(
        "# {}\n\n{}. Default: {}.{}\n\n{}",
        meta.name,
        meta.summary,
        meta.default_level(),
        if meta.repository {
            " Compares files: runs once all files are checked."
        } else {
            ""
        },
        meta.explanation
    ))
}

/// The starter configuration written by `guidelint init`.
#[must_use]
pub fn starter_config(with_defaults: bool) -> String {
    let mut out = String::from(
        "# guidelint configuration. Paths and globs are relative to this file's folder.\n\
         # Run `guidelint rules` to list the rules and `guidelint rule NAME` for one rule.\n\n",
    );
    if with_defaults {
        out.push_str("# Copies of the built-in article schema and taxonomy, to edit.\nschema: article.schema.json\ntaxonomy: taxonomy.yml\n\n");
    } else {
        out.push_str(
            "# A JSON Schema replacing the built-in article schema:\n# schema: article.schema.json\n\
             # A taxonomy replacing the built-in one (start it with `extends: default` to add to it):\n# taxonomy: taxonomy.yml\n\n",
        );
    }
    out.push_str(
        "# Files to check when walking folders (default: Markdown files), and files to skip:\n\
         # include: [\"**/*.md\"]\n# exclude: [\"drafts/**\"]\n\n\
         # Level of each rule: off, info, warning or error. The defaults are shown.\nrules:\n",
    );
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!("  # {}: {}\n", m.name, m.default_level()));
    }
    out.push_str(
        "\n# Other levels for some files:\n# overrides:\n#   - files: [\"drafts/**\"]\n#     rules:\n#       section-empty: off\n",
    );
    out
}

fn init(with_defaults: bool, force: bool) -> Result<u8, ToolError> {
    let mut files = vec![("guidelint.yml", starter_config(with_defaults))];
    if with_defaults {
        files.push(("article.schema.json", BUILTIN_ARTICLE_SCHEMA.to_string()));
        files.push(("taxonomy.yml", DEFAULT_TAXONOMY.to_string()));
    }
    if !force {
        for (name, _) in &files {
            if std::path::Path::new(name).exists() {
                return Err(ToolError::Exists {
                    path: PathBuf::from(name),
                });
            }
        }
    }
    for (name, text) in &files {
        std::fs::write(name, text).map_err(|source| ToolError::WriteFile {
            path: PathBuf::from(name),
            source,
        })?;
        eprintln!("wrote {name}");
    }
    Ok(0)
}

/// The article schema with each taxonomy facet's ids as the allowed values of its items.
#[must_use]
pub fn editor_schema(settings: &Settings) -> Value {
    let mut schema = settings.setup.schema.value().clone();
    for facet in &settings.setup.taxonomy.facets {
        if let Some(property) = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut(&facet.name))
            && let Some(object) = property.as_object_mut()
        {
            let ids: Vec<&str> = facet.terms.iter().map(|t| t.id.as_str()).collect();
            object.insert("items".into(), json!({"type": "string", "enum": ids}));
        }
    }
    schema
}

fn print_schema(config: Option<PathBuf>, no_config: bool) -> Result<u8, ToolError> {
    let settings = Settings::load(&config_source(config, no_config))?;
    emit(&(serde_json::to_string_pretty(&editor_schema(&settings)).unwrap_or_default() + "\n"))
}

#[cfg(test)]
mod tests {
    use super::default_jobs;

    #[test]
    fn fixing_uses_two_threads_per_cpu_by_default() {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        // 0: rayon's own default, one thread per CPU.
        assert_eq!(default_jobs(false), 0);
        assert_eq!(default_jobs(true), 2 * cpus);
    }
}
