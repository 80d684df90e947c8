//! The engine: check files in parallel, then run the repository-wide rules.
//!
//! `paths -> Document (parsed once) -> each enabled rule -> Vec<Diagnostic> -> suppressions`
//! on a rayon pool, in path order (`ordered` streams the results); then the in-order step
//! (`finish`) gives each file's [`Facts`] to the repository-wide rules (duplicate titles
//! and videos) and reports unused suppressions. The settings (schema, taxonomy, rule levels)
//! are built once and shared by every thread. A file that cannot be read, or whose check
//! panics, becomes a [`Failure`] and the run goes on. Reading files is
//! [`crate::engine::read`]'s; the result cache is reached through
//! [`crate::engine::store::Store`].

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::base::diagnostic::Level;
use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::span::Span;
use crate::config::Settings;
use crate::engine::fix::{self, Applied};
use crate::engine::store::{Cached, CachedRef, Store};
use crate::input::discover::{Failure, Target};
use crate::input::document::{Checked, Document, FrontMatter, MAX_FILE_SIZE, Source};
use crate::rules::suppress::{self, Suppressions};
use crate::rules::{self, Context, Facts, RULES};

mod finish;
mod ordered;

pub use finish::{Finisher, Repository};
use finish::{keep_suppressions_in_place, removed, unused_findings};
pub use ordered::{AHEAD, HELD};

use crate::engine::hooks::{CheckHook, WriteFault};
use crate::engine::read::{Stamp, read_bytes, read_stamped, recycle, too_large};

/// Everything a run needs, built once.
#[derive(Debug)]
pub struct Linter {
    settings: Settings,
    /// Rule levels of files no override applies to, shared by all of them.
    levels: Arc<[Level]>,
    fix: Option<FixMode>,
    store: Option<Arc<dyn Store>>,
    fault: Option<WriteFault>,
    hook: Option<CheckHook>,
    prerender: Option<Prerender>,
}

/// Renders each finding of a file on the thread that checked it (for a report that costs
/// more to render than to check, such as one with source lines): the in-order step of a
/// run then only writes the texts (see [`FileResult::rendered`]).
pub struct Prerender(pub Box<Render>);

/// See [`Prerender`]: one text per finding of the file, `None` where none was made; given
/// the text the findings were just made from when it is still in memory.
pub type Render = dyn Fn(&FileResult, Option<Checked<'_>>) -> Vec<Option<String>> + Send + Sync;

impl std::fmt::Debug for Prerender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prerender")
    }
}

/// What `--fix` / `--diff` asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixMode {
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Write the files (`--fix`), or only show the diff (`--diff`).
    pub write: bool,
}

/// The result for one checked file.
#[derive(Debug)]
pub struct FileResult {
    /// Display path.
    pub path: String,
    /// Findings sorted by position, located (lines, columns and text resolved).
    pub diagnostics: Vec<Diagnostic>,
    /// The text the findings were made from, when it cannot be read again from `source`:
    /// stdin, and a file `--fix` or `--diff` changed. Other files are not kept in memory;
    /// a report that shows source lines reads them again (see [`FileResult::text`]).
    pub document: Option<Box<Source>>,
    /// Size and modification time of the file as it was read, to tell whether reading it
    /// again gives the same text.
    pub stamp: Option<Stamp>,
    /// What repository-wide rules need.
    pub facts: Facts,
    /// The file's suppression comments and whether each was used.
    pub suppressions: Suppressions,
    /// Level of every rule for this file.
    pub levels: Arc<[Level]>,
    /// Where to read the file again (`None` for stdin, whose text is always kept).
    pub source: Option<PathBuf>,
    /// Fixes applied (or, with `--diff`, that would be applied).
    pub fixed: Vec<Applied>,
    /// With `--diff`: the unified diff of the fixes.
    pub diff: Option<String>,
    /// Each finding rendered while the file was checked (see [`Linter::with_prerender`]),
    /// in the order of `diagnostics`; `None` for one made later (repository-wide rules,
    /// unused suppressions). Empty when nothing was rendered.
    pub rendered: Vec<Option<String>>,
}

impl FileResult {
    /// The text this file's findings were made from: the kept copy, or the file read again
    /// when its size and modification time are still those it had when it was checked.
    /// `None` when the file changed, is gone or cannot be read. A file over the size limit
    /// has an empty text, as when it was checked.
    #[must_use]
    pub fn text(&self) -> Option<std::borrow::Cow<'_, Source>> {
        if let Some(doc) = &self.document {
            return Some(std::borrow::Cow::Borrowed(doc));
        }
        let (path, stamp) = (self.source.as_deref()?, self.stamp?);
        if stamp.size > MAX_FILE_SIZE {
            // Never read: its findings were made from no text.
            return Some(std::borrow::Cow::Owned(Source::new(String::new())));
        }
        if stamp.mtime == 0 {
            return None;
        }
        // Looked at before opening: a named pipe put in its place would block the opening.
        crate::input::read::regular_metadata(path).ok()?;
        let file = std::fs::File::open(path).ok()?;
        if Stamp::of(&file.metadata().ok()?) != stamp {
            return None;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(stamp.size).ok()? + 1);
        file.take(stamp.size + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 != stamp.size {
            return None;
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Some(std::borrow::Cow::Owned(Source::new(text)))
    }
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct RunResult {
    /// Checked files in path order (including those without findings).
    pub files: Vec<FileResult>,
    /// Files or paths that could not be checked.
    pub failures: Vec<Failure>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl RunResult {
    /// Number of findings of `severity`.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics()
            .filter(|d| d.severity == severity && !d.baselined)
            .count()
    }

    /// Number of findings known in the baseline.
    #[must_use]
    pub fn baselined(&self) -> usize {
        self.diagnostics().filter(|d| d.baselined).count()
    }

    /// All findings in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    /// Exit code: 2 if something could not be checked (a failure, or an `internal-error`
    /// finding), 1 if an error finding, else 0.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        let internal = || {
            self.diagnostics()
                .any(|d| d.rule == crate::rules::INTERNAL_ERROR)
        };
        if !self.failures.is_empty() || internal() {
            2
        } else if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
}

impl Linter {
    /// A linter with resolved settings.
    #[must_use]
    pub fn new(settings: Settings) -> Self {
        let levels = settings.base_levels().into();
        Self {
            settings,
            levels,
            fix: None,
            store: None,
            fault: None,
            hook: None,
            prerender: None,
        }
    }

    /// Render each file's findings with `prerender` as soon as it is checked.
    #[must_use]
    pub fn with_prerender(mut self, prerender: Option<Prerender>) -> Self {
        self.prerender = prerender;
        self
    }

    /// Fail writes of fixed files where `fault` says so: fault injection for tests of the
    /// whole run (the original file must stay intact and the run must exit with 2).
    #[must_use]
    #[doc(hidden)]
    pub fn with_write_fault(mut self, fault: WriteFault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Call `hook` before each file is checked (see [`CheckHook`]).
    #[must_use]
    #[doc(hidden)]
    pub fn with_check_hook(mut self, hook: CheckHook) -> Self {
        self.hook = Some(hook);
        self
    }

    /// Fix `original` (the text of a file whose rule levels are `levels`), applying safe
    /// fixes, and unsafe ones too when `unsafe_fixes`.
    #[must_use]
    pub fn fix_text(&self, original: &str, levels: &[Level], unsafe_fixes: bool) -> fix::Outcome {
        fix::fix_keeping(
            original,
            unsafe_fixes,
            |doc| self.findings(doc, levels),
            |doc| self.suppressed(doc, levels),
        )
    }

    /// Reuse and record per-file results in `store` (not used while fixing).
    #[must_use]
    pub fn with_store(mut self, store: Option<Arc<dyn Store>>) -> Self {
        self.store = store;
        self
    }

    /// Let go of the store (its owner saves it after the run).
    pub fn drop_store(&mut self) {
        self.store = None;
    }

    /// Fix files as they are checked.
    #[must_use]
    pub fn with_fix(mut self, mode: Option<FixMode>) -> Self {
        self.fix = mode;
        self
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// `path` relative to the settings root, as rule levels need it: only overrides look at
    /// it, so without overrides it is not computed (empty).
    fn relative(&self, path: &Path) -> String {
        if self.settings.overrides.is_empty() {
            String::new()
        } else {
            self.settings.relative(path)
        }
    }

    /// The level of every rule for a file (`relative` to the settings root).
    #[must_use]
    pub fn levels_for(&self, relative: &str) -> Arc<[Level]> {
        if self.settings.overridden(relative) {
            self.settings.levels_for(relative).into()
        } else {
            Arc::clone(&self.levels)
        }
    }

    /// Check one document's bytes as a whole run of one file would, with the rule levels of
    /// `relative` (a path relative to the settings root), unused suppressions included and
    /// repository-wide rules excluded.
    #[must_use]
    pub fn check_bytes(&self, bytes: Vec<u8>, relative: &str) -> (Document, Vec<Diagnostic>) {
        let levels = self.levels_for(relative);
        let doc = Document::parse(bytes);
        let (mut diagnostics, suppressions) = self.analyze(&doc, &levels, true);
        diagnostics.extend(unused_findings(&suppressions, &levels));
        rules::sort(&mut diagnostics);
        (doc, diagnostics)
    }

    /// Run every enabled per-file rule on a parsed document.
    #[must_use]
    pub fn check_document(&self, doc: &Document, levels: &[Level]) -> Vec<Diagnostic> {
        self.run_rules(Context::new(&self.settings.setup, doc), doc, levels)
            .0
    }

    /// Run every enabled per-file rule in `cx`: first those that supersede others (so that a
    /// limited context knows what is superseded as findings come), then the rest.
    fn run_rules(
        &self,
        mut cx: Context<'_>,
        doc: &Document,
        levels: &[Level],
    ) -> (Vec<Diagnostic>, Option<(Suppressions, Vec<Span>)>) {
        for superseding in [true, false] {
            for (rule, level) in RULES.iter().zip(levels) {
                let meta = rule.meta();
                if let Some(severity) = level
                    && !meta.repository
                    && meta.supersedes.is_empty() != superseding
                {
                    cx.run(*rule, *severity);
                }
            }
        }
        let (mut findings, suppressions) = cx.finish_limited();
        match &doc.front_matter {
            // A file whose front matter does not load is never rewritten: offer no fix there.
            FrontMatter::Yaml(block) if block.tree.is_err() => {
                for d in &mut findings {
                    d.fix = None;
                }
            }
            // An edit inside an anchored node would change every alias of it as well: no fix
            // touches one.
            FrontMatter::Yaml(block) => {
                let aliased = block.tree.as_ref().map_or(&[][..], |t| &t.aliased[..]);
                // An insertion (an empty edit) touches a node it lands inside or just before.
                let touches = |e: &crate::base::diagnostic::Edit| {
                    aliased
                        .iter()
                        .any(|a| e.span.start < a.end && a.start < e.span.end.max(e.span.start + 1))
                };
                for d in &mut findings {
                    if d.fix.as_ref().is_some_and(|f| f.edits.iter().any(touches)) {
                        d.fix = None;
                    }
                }
            }
            _ => {}
        }
        (findings, suppressions)
    }

    /// The findings of one document that rules report and suppressions let through
    /// (per-file rules only), every one of them: what fixing works from.
    #[must_use]
    pub fn findings(&self, doc: &Document, levels: &[Level]) -> Vec<Diagnostic> {
        self.analyze(doc, levels, false).0
    }

    /// What the suppression comments of a document silence: each finding's rule and the text
    /// of its span, sorted.
    #[must_use]
    pub fn suppressed(&self, doc: &Document, levels: &[Level]) -> Vec<(&'static str, String)> {
        let mut suppressions = Suppressions::parse(doc);
        if suppressions.is_empty() {
            return Vec::new();
        }
        let mut diagnostics = self.check_document(doc, levels);
        for d in &mut diagnostics {
            d.locate(&doc.text, &doc.lines);
        }
        let all: Vec<(Span, &'static str)> = diagnostics.iter().map(|d| (d.span, d.rule)).collect();
        suppressions.apply(&mut diagnostics);
        let mut out: Vec<(&'static str, String)> = removed(all, &diagnostics)
            .map(|(span, rule)| (rule, doc.slice(span).to_string()))
            .collect();
        out.sort_unstable();
        out
    }

    /// Rules, then suppressions. `limited`: keep at most
    /// [`MAX_FINDINGS_PER_RULE`](rules::MAX_FINDINGS_PER_RULE) findings of each rule (what is
    /// reported), suppressing findings as they come so that the others are never kept.
    /// Fixes that would change what a suppression covers are withdrawn.
    fn analyze(
        &self,
        doc: &Document,
        levels: &[Level],
        limited: bool,
    ) -> (Vec<Diagnostic>, Suppressions) {
        let (mut diagnostics, suppressions, silenced) = if limited {
            let cx = Context::limited(&self.settings.setup, doc, Suppressions::parse(doc));
            let (diagnostics, suppressions) = self.run_rules(cx, doc, levels);
            let (suppressions, silenced) = suppressions.unwrap_or_default();
            (diagnostics, suppressions, Some(silenced))
        } else {
            (
                self.check_document(doc, levels),
                Suppressions::parse(doc),
                None,
            )
        };
        for i in 0..diagnostics.len() {
            let (before, rest) = diagnostics.split_at_mut(i);
            let d = &mut rest[0];
            match before.last_mut() {
                // Findings at one place (a front matter's missing fields) share its location.
                Some(previous) if previous.span == d.span => {
                    previous.location.excerpt.share();
                    d.location = previous.location.clone();
                }
                _ => d.locate(&doc.text, &doc.lines),
            }
            d.bound_text();
        }
        let mut suppressions = suppressions;
        if suppressions.is_empty() {
            return (diagnostics, suppressions);
        }
        let silenced = silenced.unwrap_or_else(|| {
            let all: Vec<(Span, &'static str)> =
                diagnostics.iter().map(|d| (d.span, d.rule)).collect();
            suppressions.apply(&mut diagnostics);
            removed(all, &diagnostics).map(|(span, _)| span).collect()
        });
        keep_suppressions_in_place(doc, &suppressions, silenced, &mut diagnostics);
        (diagnostics, suppressions)
    }

    /// Check a document that has been read from `source` (`None`: stdin, whose text is
    /// kept), and keep what the reduce step needs.
    #[must_use]
    pub fn check_read(
        &self,
        display: String,
        source: Option<(PathBuf, Stamp)>,
        relative: &str,
        doc: Document,
    ) -> FileResult {
        let mut file = self.check_parsed(display, source, relative, &doc);
        if file.source.is_none() {
            file.document = Some(Box::new(doc.into_source()));
        } else {
            // Rendered from the text at hand rather than from the file read again.
            self.prerender(&mut file, Some(doc.checked()));
            recycle(doc);
        }
        file
    }

    fn check_parsed(
        &self,
        display: String,
        source: Option<(PathBuf, Stamp)>,
        relative: &str,
        doc: &Document,
    ) -> FileResult {
        let levels = self.levels_for(relative);
        let (diagnostics, suppressions) = self.analyze(doc, &levels, true);
        let facts = Facts::of(doc);
        let (source, stamp) = source.unzip();
        FileResult {
            path: display,
            diagnostics,
            document: None,
            stamp,
            facts,
            suppressions,
            levels,
            source,
            fixed: Vec::new(),
            diff: None,
            rendered: Vec::new(),
        }
    }

    /// Check `targets` on the current rayon pool, keeping their order. Call
    /// [`Linter::finish`] once every file (stdin included) is in the result.
    #[must_use]
    pub fn check_targets(&self, targets: Vec<Target>) -> RunResult {
        let start = Instant::now();
        let failures = Mutex::new(Vec::new());
        // Each target is dropped once checked, and the results are gathered in place (the
        // standard library reuses the buffer): a run over many files holds one list.
        let outcomes: Vec<Option<FileResult>> = targets
            .into_par_iter()
            .map(|t| self.check_target(&t, &failures))
            .collect();
        let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
        failures.sort();
        RunResult {
            // `filter_map` (unlike `flatten`) lets the standard library collect in place.
            #[allow(clippy::filter_map_identity)]
            files: outcomes.into_iter().filter_map(|f| f).collect(),
            failures,
            elapsed: start.elapsed(),
        }
    }

    /// Render the findings of `file` with the [`Prerender`] given, if any and if not done.
    fn prerender(&self, file: &mut FileResult, checked: Option<Checked<'_>>) {
        if let Some(prerender) = &self.prerender
            && !file.diagnostics.is_empty()
            && file.rendered.is_empty()
        {
            // A panic there only costs the texts: the report renders them again.
            file.rendered = guard(|| (prerender.0)(file, checked)).unwrap_or_default();
        }
    }

    fn check_target(&self, target: &Target, failures: &Mutex<Vec<Failure>>) -> Option<FileResult> {
        let failure = |message: String| {
            let failure = Failure {
                path: target.display.clone(),
                message,
            };
            failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(failure);
        };
        let outcome = guard(|| {
            if let Some(hook) = &self.hook {
                (hook.0)(&target.path);
            }
            match &self.store {
                Some(store) if self.fix.is_none() => self
                    .check_with_store(store.as_ref(), target)
                    .map(|file| (file, None)),
                _ => read_stamped(&target.path).map(|(doc, stamp)| {
                    let relative = self.relative(&target.path);
                    self.check_or_fix(
                        target.display.clone(),
                        Some((&target.path, stamp)),
                        &relative,
                        doc,
                    )
                }),
            }
        });
        match outcome {
            Ok(Ok((mut file, problem))) => {
                if let Some(message) = problem {
                    failure(message);
                }
                self.prerender(&mut file, None);
                Some(file)
            }
            Ok(Err(e)) => {
                failure(format!("cannot read file: {e}"));
                None
            }
            Err(detail) => Some(self.internal_error(target, &detail)),
        }
    }

    /// The result of a file whose check panicked: one `internal-error` finding, which no
    /// setting or comment turns off.
    fn internal_error(&self, target: &Target, detail: &str) -> FileResult {
        let mut d = Diagnostic::new(
            crate::base::span::Span::empty(0),
            format!("Internal error while checking this file: {detail}"),
        )
        .with_label("not checked")
        .with_help(
            "This is a bug in guidelint: please report it at \
             https://github.com/guidelint/guidelint/issues with the file attached",
        );
        d.rule = crate::rules::INTERNAL_ERROR;
        d.severity = Severity::Error;
        d.bound_text();
        // At 1:1 of an empty text: the file's text is not at hand.
        d.locate("", &crate::base::span::LineIndex::new(""));
        FileResult {
            path: target.display.clone(),
            diagnostics: vec![d],
            document: None,
            stamp: None,
            facts: Facts::default(),
            suppressions: Suppressions::default(),
            levels: self.levels_for(&self.relative(&target.path)),
            source: Some(target.path.clone()),
            fixed: Vec::new(),
            diff: None,
            rendered: Vec::new(),
        }
    }

    /// Check a file, reusing its cached result when the file is unchanged (by size and
    /// modification time, else by the hash of its bytes), and recording a fresh one otherwise.
    fn check_with_store(&self, store: &dyn Store, target: &Target) -> std::io::Result<FileResult> {
        let relative = self.relative(&target.path);
        let key = crate::base::paths::absolute_text(&target.path);
        let meta = crate::input::read::regular_metadata(&target.path)?;
        let stamp = Stamp::of(&meta);
        let check = |doc: Document, stamp: Stamp| {
            self.check_read(
                target.display.clone(),
                Some((target.path.clone(), stamp)),
                &relative,
                doc,
            )
        };
        if stamp.size > MAX_FILE_SIZE {
            return Ok(check(Document::too_large(stamp.size), stamp));
        }
        if let Some(cached) = store.by_stat(&key, stamp.size, stamp.mtime) {
            return Ok(self.file_from_cache(target, &relative, cached, stamp));
        }
        let (bytes, stamp) = read_bytes(&target.path)?;
        if stamp.size > MAX_FILE_SIZE {
            return Ok(check(too_large(&bytes, stamp), stamp));
        }
        let hash = crate::base::hash::file_hash(&bytes);
        if let Some(cached) = store.by_hash(&key, stamp.size, stamp.mtime, hash) {
            return Ok(self.file_from_cache(target, &relative, cached, stamp));
        }
        let file = check(Document::parse(bytes), stamp);
        store.record(
            &key,
            stamp.size,
            stamp.mtime,
            hash,
            &CachedRef {
                diagnostics: &file.diagnostics,
                suppressions: &file.suppressions,
                facts: &file.facts,
            },
        );
        Ok(file)
    }

    fn file_from_cache(
        &self,
        target: &Target,
        relative: &str,
        cached: Cached,
        stamp: Stamp,
    ) -> FileResult {
        FileResult {
            path: target.display.clone(),
            diagnostics: cached.diagnostics,
            document: None,
            stamp: Some(stamp),
            facts: cached.facts,
            suppressions: cached.suppressions,
            levels: self.levels_for(relative),
            source: Some(target.path.clone()),
            fixed: Vec::new(),
            diff: None,
            rendered: Vec::new(),
        }
    }

    /// Check a document read from `path` (`None`: stdin); in fix mode, fix it first
    /// (writing the file when asked) and check the result. The second value says why fixing
    /// failed, if it did.
    #[must_use]
    pub fn check_or_fix(
        &self,
        display: String,
        path: Option<(&Path, Stamp)>,
        relative: &str,
        doc: Document,
    ) -> (FileResult, Option<String>) {
        let source = path.map(|(p, stamp)| (p.to_path_buf(), stamp));
        let Some(mode) = self.fix.filter(|_| doc.problem.is_none()) else {
            return (self.check_read(display, source, relative, doc), None);
        };
        // Check first: most files have nothing to fix, and then this is their only pass.
        let threshold = fix::threshold(mode.unsafe_fixes);
        let mut checked = self.check_parsed(display.clone(), source.clone(), relative, &doc);
        let fixable = checked
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.applicability <= threshold));
        let unchanged = |mut checked: FileResult, doc: Document| {
            if checked.source.is_none() {
                checked.document = Some(Box::new(doc.into_source()));
            } else {
                recycle(doc);
            }
            checked
        };
        if !fixable {
            return (unchanged(checked, doc), None);
        }
        let outcome = self.fix_text(&doc.text, &checked.levels, mode.unsafe_fixes);
        if outcome.applied.is_empty() {
            return (unchanged(checked, doc), outcome.failure);
        }
        let diff =
            (!mode.write).then(|| crate::base::diff::unified(&display, &doc.text, &outcome.text));
        if mode.write
            && let Some((path, _)) = path
            && let Err(why) =
                fix::write_atomic_with(path, doc.text.as_bytes(), &outcome.text, &mut |step| {
                    self.fault.as_ref().map_or(Ok(()), |f| (f.0)(step))
                })
        {
            return (unchanged(checked, doc), Some(why));
        }
        recycle(doc);
        let fixed_doc = Document::parse_text(outcome.text);
        checked = self.check_parsed(display, None, relative, &fixed_doc);
        // The fixed text is kept: with `--diff` it is on no disk, and a written file's new
        // modification time is not the one it was read with.
        checked.source = source.map(|(p, _)| p);
        checked.document = Some(Box::new(fixed_doc.into_source()));
        checked.fixed = outcome.applied;
        checked.diff = diff;
        (checked, None)
    }

    /// The in-order step of a run, for files given in path order: repository-wide rules
    /// (unless `repository` is [`Repository::Off`]), then unused suppressions. Needs no
    /// file's text: facts and findings carry their locations.
    #[must_use]
    pub fn finisher(&self, repository: Repository) -> Finisher {
        let cross = if repository == Repository::Off {
            Vec::new()
        } else {
            RULES
                .iter()
                .enumerate()
                .filter_map(|(r, rule)| Some((r, rule.meta().name, rule.cross_file()?)))
                .collect()
        };
        let partial = (repository != Repository::Whole).then(|| {
            RULES
                .iter()
                .enumerate()
                .filter(|(_, rule)| rule.meta().repository)
                .map(|(r, _)| r)
                .collect()
        });
        Finisher { cross, partial }
    }

    /// [`Linter::finisher`] over every file of `result`.
    pub fn finish(&self, result: &mut RunResult, repository: bool) {
        let started = Instant::now();
        let mut finisher = self.finisher(if repository {
            Repository::Whole
        } else {
            Repository::Off
        });
        for file in &mut result.files {
            finisher.finish(file);
        }
        result.elapsed += started.elapsed();
    }
}

/// Run one file's check so that a panic in it (a bug) becomes that file's `internal-error`
/// finding instead of ending the run. The error is the panic's message.
fn guard<T>(check: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(check)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

#[cfg(test)]
mod tests {
    use super::{Linter, guard, unused_findings};
    use crate::config::Settings;
    use crate::input::document::Document;
    use crate::rules;
    use proptest::prelude::*;

    /// Front matter with tags some rules supersede others on, then lines dense in headings
    /// and suppression comments.
    fn article() -> impl Strategy<Value = String> {
        let stage = prop::sample::select(vec![
            "[mixing]",
            "[Mixing, mixing, Mixing]",
            "[mixing, mixing]",
            "Mixing",
            "[mastering, Mixing, bogus]",
        ]);
        let line = prop::sample::select(vec![
            "# Mixing",
            "## Mixing",
            "### EQ",
            "Text.",
            "",
            "Instagram",
            "<!-- guidelint-disable-next-line -->",
            "<!-- guidelint-disable-next-line heading-duplicate -->",
            "<!-- guidelint-disable heading-duplicate, section-empty -->",
            "<!-- guidelint-disable -->",
            "<!-- guidelint-enable -->",
            "<!-- guidelint-enable section-empty -->",
            "<!-- guidelint-disable-file scrape-residue -->",
        ]);
        (
            stage,
            prop::sample::select(vec![
                "",
                "# guidelint-disable-next-line tag-duplicate\n",
                "# guidelint-disable-next-line tag-noncanonical\n",
            ]),
            prop::collection::vec(line, 0..30),
        )
            .prop_map(|(stage, comment, lines)| {
                let mut text = format!(
                    "---\ntitle: A\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\n{comment}stage: {stage}\ninstrument: [vocals]\nlevel: [beginner]\n---\n"
                );
                for l in lines {
                    text.push_str(l);
                    text.push('\n');
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Below the bound on findings per rule, the limited check (suppressing and dropping
        /// superseded findings as they come) reports what the full one does.
        #[test]
        fn limited_and_full_checks_agree_below_the_bound(text in article()) {
            let linter = Linter::new(Settings::defaults(std::env::temp_dir()));
            let levels = linter.levels_for("");
            let doc = Document::parse(text.into_bytes());
            let by = |limited: bool| {
                let (mut found, suppressions) = linter.analyze(&doc, &levels, limited);
                found.extend(unused_findings(&suppressions, &levels));
                rules::sort(&mut found);
                found
            };
            prop_assert_eq!(by(true), by(false));
        }
    }

    #[test]
    fn a_panic_is_caught_with_its_message() {
        assert_eq!(guard(|| 2 + 2), Ok(4));
        let err = guard(|| -> u8 { panic!("index out of bounds") }).unwrap_err();
        assert_eq!(err, "index out of bounds");
        let n = 7;
        let err = guard(|| -> u8 { panic!("index {n} out of bounds") }).unwrap_err();
        assert_eq!(err, "index 7 out of bounds");
    }
}

#[cfg(test)]
mod front_matter_duplicate_key {
    //! `front-matter-duplicate-key` through the engine: the YAML loader finds the repeats.

    use std::path::PathBuf;

    use crate::base::span::Span;
    use crate::config::Settings;
    use crate::engine::linter::Linter;

    /// `front-matter-duplicate-key` findings of `front_matter` (without its fences): the text
    /// at each, its message and the text at its labels.
    fn findings(front_matter: &str) -> Vec<(String, String, Vec<String>)> {
        let text = format!("---\n{front_matter}---\n# A\n");
        let linter = Linter::new(Settings::defaults(PathBuf::new()));
        let (_, found) = linter.check_bytes(text.clone().into_bytes(), "");
        let at = |s: Span| format!("{}@{}", &text[s.start..s.end], s.start);
        found
            .iter()
            .filter(|d| d.rule == "front-matter-duplicate-key")
            .map(|d| {
                let labels = d.labels.iter().map(|l| at(l.span)).collect();
                (at(d.span), d.message.to_string(), labels)
            })
            .collect()
    }

    #[test]
    fn a_key_written_four_times_is_reported_at_each_repeat() {
        let found = findings(
            "title: a\nstage: [x]\ntitle: b\ntitle: c\nlevel: [y]\ntitle: d\nstage: [z]\n",
        );
        let title = "Key `title` appears 4 times in the same mapping";
        let stage = "Key `stage` appears twice in the same mapping";
        let first_title = vec!["title@4".to_string()];
        let first_stage = vec!["stage@13".to_string()];
        assert_eq!(
            found,
            vec![
                ("title@24".into(), title.into(), first_title.clone()),
                ("title@33".into(), title.into(), first_title.clone()),
                ("title@53".into(), title.into(), first_title),
                ("stage@62".into(), stage.into(), first_stage),
            ]
        );
    }

    #[test]
    fn repeats_inside_a_repeated_value_and_before_a_later_error_are_reported() {
        // Mapping `a` twice, `k` twice in each of its values: all three repeats.
        let found = findings("a:\n  k: 1\n  k: 2\na:\n  k: 3\n  k: 4\n");
        let places: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(places, ["k@16", "a@21", "k@33"]);
        assert_eq!(found[2].2, ["k@26"]);
        // A syntax error after a repeat: the repeat is what is reported, as before.
        let found = findings("title: a\ntitle: b\nstage: [x\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "title@13");
    }
}
