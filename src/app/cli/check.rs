//! `guidelint check`: one function per step of a run, in the order they happen.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::CheckArgs;
use super::config_source;
use super::output::{report_outputs, terminal_width, use_color};
use super::review::{Review, review_settings};
use super::stdin::check_stdin;
use crate::app::baseline::Baseline;
use crate::app::cache::{self, Cache};
use crate::app::git;
use crate::app::report::{self, Format};
use crate::base::error::ToolError;
use crate::base::hash::fnv1a;
use crate::config::Settings;
use crate::engine::fix::Applied;
use crate::engine::linter::{FixMode, Linter};
use crate::engine::store::Store;
use crate::input::discover::{self, FileId, Target};
use crate::input::schema::Schema;
use crate::rules::RULES;

pub(super) fn check_rule_names(names: &[String]) -> Result<(), ToolError> {
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

/// `guidelint check`: returns the exit code.
pub(super) fn check(args: &CheckArgs) -> Result<u8, ToolError> {
    let settings = settings(args)?;
    let mode = (args.fix || args.diff).then_some(FixMode {
        unsafe_fixes: args.unsafe_fixes,
        write: args.fix,
    });
    let cwd = std::env::current_dir().unwrap_or_default();
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    // Asked of Git first: a revision it cannot use stops the run before any work.
    let changed = match &args.changed_since {
        Some(reference) => Some(git::changed_since(reference, &cwd)?),
        None => None,
    };
    let cache_dir = cache_dir(args, &settings, mode, changed.as_ref(), &cwd);
    // The pool is started before the walk when a folder is walked (its threads are ready when
    // the files are found, and one of them reads the cache meanwhile), unless `--jobs` asks
    // for many threads: then only as many as there are files, after the walk.
    let early = if walks_folders(&paths) && threads(args) <= 2 * cores() {
        pool(args, usize::MAX)?
    } else {
        None
    };
    let (cache, (mut targets, mut failures)) = open_cache_while_walking(
        cache_dir,
        &settings,
        &paths,
        &cwd,
        threads(args),
        early.as_ref(),
    );
    let cache = cache.map(Arc::new);
    let linter = Linter::new(settings)
        .with_fix(mode)
        .with_store(cache.clone().map(|c| c as Arc<dyn Store>));
    let review = match (&changed, &args.changed_since) {
        (Some(changes), Some(reference)) => review(changes, reference, &linter, args, &cwd),
        _ => Review::default(),
    };
    if let Some(changes) = &changed {
        keep_what_changed(changes, &review, &mut targets, &paths, &linter, &cwd);
    }
    if let Some((k, n)) = args.shard {
        shard(&mut targets, k, n, args);
    }
    let pool = match early {
        Some(pool) => Some(pool),
        None => pool(args, targets.len())?,
    };
    let started = std::time::Instant::now();
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
    let known = read_baseline(args, changed.as_ref(), &review, &cwd)?;
    let known = known.as_ref().map(Baseline::known);
    let mut recorded = (args.baseline.is_some() && args.update_baseline).then(Baseline::default);
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
    let mut fixed: Vec<(String, Vec<Applied>)> = Vec::new();
    let repository = repository_scope(args, &targets, stdin_file.is_some());
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
    save_cache(cache);
    if let (Some(path), Some(baseline)) = (&args.baseline, &recorded) {
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

/// The settings of the run: the configuration, `--schema`, `--select` and `--ignore`.
fn settings(args: &CheckArgs) -> Result<Settings, ToolError> {
    for names in [args.select.as_deref().unwrap_or_default(), &args.ignore] {
        check_rule_names(names)?;
        if let Some(name) = names.iter().find(|n| *n == crate::rules::INTERNAL_ERROR) {
            return Err(ToolError::AlwaysOn { name: name.clone() });
        }
    }
    let mut settings = Settings::load(&config_source(args.config.clone(), args.no_config))?;
    if let Some(path) = &args.schema {
        settings.setup.set_schema(Schema::article_from_file(path)?);
        settings.sources.push(path.clone());
    }
    settings.restrict(args.select.as_deref(), &args.ignore);
    Ok(settings)
}

/// The result cache's folder, if the run uses one: not while fixing (files are rewritten as
/// it goes), not with `--no-cache`, and not one that cannot be trusted (said on stderr).
fn cache_dir(
    args: &CheckArgs,
    settings: &Settings,
    mode: Option<FixMode>,
    changed: Option<&git::Changes>,
    cwd: &Path,
) -> Option<PathBuf> {
    if args.no_cache || mode.is_some() {
        return None;
    }
    let dir = args
        .cache_dir
        .clone()
        .unwrap_or_else(|| settings.root.join(cache::DEFAULT_DIR));
    let why = cache::unusable(&dir).or_else(|| {
        // Gating a change: a cache that came with it could say anything about its files.
        (changed.is_some() && git::tracks_anything_in(&dir, cwd))
            .then(|| "files in it are tracked by Git (it came with the checkout)".to_string())
    });
    if let Some(why) = &why {
        eprintln!(
            "warning: not using the result cache in {}: {why}",
            discover::display_path(&dir, cwd)
        );
        return None;
    }
    Some(dir)
}

/// The cache (read on a thread of `pool`, or on its own thread without one) and the files
/// under `paths` with those that could not be reached.
fn open_cache_while_walking(
    cache_dir: Option<PathBuf>,
    settings: &Settings,
    paths: &[PathBuf],
    cwd: &Path,
    walkers: usize,
    pool: Option<&rayon::ThreadPool>,
) -> (Option<Cache>, (Vec<Target>, Vec<discover::Failure>)) {
    let key = cache::key(settings);
    let walk = || {
        if paths.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            discover::discover(paths, cwd, &settings.filter(), walkers)
        }
    };
    let Some(pool) = pool else {
        return std::thread::scope(|scope| {
            let cache = cache_dir.map(|dir| scope.spawn(move || Cache::open(&dir, key)));
            let found = walk();
            (cache.and_then(|c| c.join().ok()), found)
        });
    };
    let mut cache = None;
    let found = pool.in_place_scope(|scope| {
        if let Some(dir) = cache_dir {
            let cache = &mut cache;
            scope.spawn(move |_| *cache = Some(Cache::open(&dir, key)));
        }
        walk()
    });
    (cache, found)
}

/// What a change decides about its own check (see [`review_settings`]), with a warning for
/// each changed submodule that is not checked out.
fn review(
    changes: &git::Changes,
    reference: &str,
    linter: &Linter,
    args: &CheckArgs,
    cwd: &Path,
) -> Review {
    for path in &changes.unchecked_submodules {
        eprintln!(
            "warning: submodule `{}` changed since {reference} but is not checked out: its files are not checked (check it out, e.g. `git submodule update --init`)",
            discover::display_path(path, cwd)
        );
    }
    review_settings(changes, reference, linter.settings(), args, cwd)
}

/// `--changed-since`: keep the files the change touched (unless it changed what decides
/// every file's findings), and add the changed ones the walk skipped only because Git's
/// ignore files match them.
fn keep_what_changed(
    changes: &git::Changes,
    review: &Review,
    targets: &mut Vec<Target>,
    paths: &[PathBuf],
    linter: &Linter,
    cwd: &Path,
) {
    // By identity: the same file may be spelt differently by Git and by the walk.
    let changed: HashSet<FileId> = changes
        .changed
        .iter()
        .filter_map(|p| FileId::of_link(p))
        .collect();
    let ids: Vec<Option<FileId>> = targets.iter().map(|t| FileId::of(&t.path)).collect();
    // Changed files the walk did not find: `.gitignore` does not hide a file Git tracks.
    let mut missing = changed.clone();
    for id in ids.iter().flatten() {
        missing.remove(id);
    }
    let missing: Vec<PathBuf> = changes
        .changed
        .iter()
        .filter(|p| FileId::of_link(p).is_some_and(|id| missing.contains(&id)))
        .cloned()
        .collect();
    if !review.check_all {
        // And by the way to it: a file reached through a changed link or a folder put in
        // a link's place is the change's too. Only a changed link can lead elsewhere.
        let touched = git::Touched::of(changes, cwd);
        let follow = touched.has_links();
        let mut ids = ids.into_iter();
        targets.retain(|t| {
            let id = ids.next().flatten();
            t.explicit
                || id.is_some_and(|id| changed.contains(&id))
                || touched.reaches(&t.path, cwd, follow)
        });
    }
    if !missing.is_empty() {
        targets.extend(discover::ignored_by_git(
            paths,
            cwd,
            &linter.settings().filter(),
            &missing,
        ));
        targets
            .sort_unstable_by(|a, b| a.display.cmp(&b.display).then_with(|| a.path.cmp(&b.path)));
    }
}

/// `--shard K/N`: keep the files of shard `k` (by a hash of their path).
fn shard(targets: &mut Vec<Target>, k: u32, n: u32, args: &CheckArgs) {
    targets.retain(|t| fnv1a(&[&t.display]) % u64::from(n) == u64::from(k - 1));
    if !args.quiet && args.format == Format::Human {
        eprintln!(
            "note: shard {k}/{n}: {} files; repository-wide rules (duplicate-title, duplicate-yt-video) run only unsharded",
            targets.len()
        );
    }
}

/// Whether `paths` name a folder, whose files are known only once it is walked.
fn walks_folders(paths: &[PathBuf]) -> bool {
    paths.iter().any(|p| p.is_dir())
}

/// The cores of this machine.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// The threads a run checks files on, the calling one included: `--jobs`, or one per core
/// (two with `--fix`, whose threads wait for the disk while each fixed file is synced before
/// it replaces the original). At most [`THREADS_PER_CORE`] per core: more only wait for one
/// another (thousands of threads took minutes to start and hundreds of MiB).
fn threads(args: &CheckArgs) -> usize {
    let cores = cores();
    let asked = args
        .jobs
        .map_or(if args.fix { 2 * cores } else { cores }, usize::from);
    asked.min(THREADS_PER_CORE * cores)
}

/// The most threads a run checks files on, per core: enough for threads that wait for the
/// disk (`--fix` syncs every file it writes) or a network file system.
const THREADS_PER_CORE: usize = 8;

/// The thread pool for `files` files: the threads that check files beside the calling
/// thread, which checks them too (and writes the report). None for `--jobs 1` or a single
/// file, and none for stdin alone (idle workers of a pool spin before they sleep, which costs
/// a check of one article, an editor's on stdin, more than the check itself).
fn pool(args: &CheckArgs, files: usize) -> Result<Option<rayon::ThreadPool>, ToolError> {
    let helpers = threads(args).min(files).saturating_sub(1);
    if helpers == 0 {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(helpers)
        .build()
        .map(Some)
        .map_err(|e| ToolError::Threads(e.to_string()))
}

/// The baseline findings are matched against (`--baseline` without `--update-baseline`);
/// when the change under review edits it, as it was at the revision: a change cannot excuse
/// its own findings.
fn read_baseline(
    args: &CheckArgs,
    changed: Option<&git::Changes>,
    review: &Review,
    cwd: &Path,
) -> Result<Option<Baseline>, ToolError> {
    let Some(path) = args.baseline.as_ref().filter(|_| !args.update_baseline) else {
        return Ok(None);
    };
    let Some(changes) = changed.filter(|_| review.baseline_changed) else {
        return Baseline::load(path).map(Some);
    };
    let at = git::Touched::of(changes, cwd).in_repository(path, cwd);
    match at.and_then(|at| git::file_at(changes, &at)) {
        Some(bytes) => Baseline::parse(&String::from_utf8_lossy(&bytes), path).map(Some),
        None => Ok(Some(Baseline::default())),
    }
}

/// Which files repository-wide rules compare: none on a shard; and a run that checks only
/// some files (named ones, stdin alone, a change) says nothing of the suppressions they did
/// not use elsewhere.
fn repository_scope(
    args: &CheckArgs,
    targets: &[Target],
    stdin: bool,
) -> crate::engine::linter::Repository {
    if args.shard.is_some() {
        crate::engine::linter::Repository::Off
    } else if args.changed_since.is_some()
        || targets.iter().any(|t| t.explicit)
        || (targets.is_empty() && stdin)
    {
        crate::engine::linter::Repository::Part
    } else {
        crate::engine::linter::Repository::Whole
    }
}

/// Write the result cache; a cache that cannot be written only costs speed (a warning says
/// why).
fn save_cache(cache: Option<Arc<Cache>>) {
    let Some(cache) = cache.and_then(Arc::into_inner) else {
        return;
    };
    let dir = cache.dir().to_path_buf();
    if let Err(e) = cache.save() {
        eprintln!(
            "warning: cannot write the result cache in {}: {e} (use --no-cache or --cache-dir)",
            dir.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{THREADS_PER_CORE, cores, threads};
    use crate::app::cli::{Cli, Command};
    use clap::Parser;

    fn check_args(args: &[&str]) -> super::CheckArgs {
        match Cli::parse_from(["guidelint", "check"].iter().chain(args)).command {
            Command::Check(args) => *args,
            _ => unreachable!("parsed as check"),
        }
    }

    #[test]
    fn a_run_starts_at_most_eight_threads_per_core_whatever_jobs_asks() {
        let most = THREADS_PER_CORE * cores();
        assert_eq!(threads(&check_args(&["--jobs", "65535"])), most);
        assert_eq!(threads(&check_args(&["--jobs", "1"])), 1);
    }

    #[test]
    fn fixing_uses_two_threads_per_cpu_by_default() {
        assert_eq!(threads(&check_args(&[])), cores());
        assert_eq!(threads(&check_args(&["--fix"])), 2 * cores());
        assert_eq!(threads(&check_args(&["--fix", "--jobs", "3"])), 3);
    }
}
