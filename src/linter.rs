//! The engine: check files in parallel and collect results in a stable order.
//!
//! `paths -> Document (parsed once) -> each rule -> Vec<Diagnostic>`. Files are checked on a
//! rayon pool; the schema is compiled once and shared by every thread. A file that cannot be
//! read, or whose check panics, becomes a [`Failure`] and the run goes on.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{Failure, Target};
use crate::document::{Document, MAX_FILE_SIZE};
use crate::rules::{Context, RULES};
use crate::schema::ArticleSchema;

/// Everything a run needs, built once.
#[derive(Debug)]
pub struct Linter {
    schema: ArticleSchema,
}

/// The result for one checked file.
#[derive(Debug)]
pub struct FileResult {
    /// Display path.
    pub path: String,
    /// Findings sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed file, kept only when there are findings to render.
    pub document: Option<Document>,
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
            .filter(|d| d.severity == severity)
            .count()
    }

    /// All findings in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    /// Exit code: 2 if something could not be checked, 1 if an error finding, else 0.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        if !self.failures.is_empty() {
            2
        } else if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
}

impl Linter {
    /// A linter validating front matter with `schema`.
    #[must_use]
    pub fn new(schema: ArticleSchema) -> Self {
        Self { schema }
    }

    /// Check one document's bytes.
    #[must_use]
    pub fn check_bytes(&self, bytes: Vec<u8>) -> (Document, Vec<Diagnostic>) {
        let doc = Document::parse(bytes);
        let diagnostics = self.check_document(&doc);
        (doc, diagnostics)
    }

    /// Run every rule on a parsed document.
    #[must_use]
    pub fn check_document(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut cx = Context::new(&self.schema);
        for rule in RULES {
            cx.run(*rule, rule.meta().default_severity, doc);
        }
        cx.finish()
    }

    /// Check one file on disk.
    ///
    /// # Errors
    /// The file cannot be opened or read.
    pub fn check_file(&self, path: &Path) -> std::io::Result<(Document, Vec<Diagnostic>)> {
        let file = std::fs::File::open(path)?;
        // A file already known to be too large is not read at all.
        let size = file.metadata()?.len();
        if size > MAX_FILE_SIZE {
            let doc = Document::too_large(size);
            let diagnostics = self.check_document(&doc);
            return Ok((doc, diagnostics));
        }
        let mut bytes = Vec::new();
        // Read at most one byte past the limit, in case the file grew since.
        file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_SIZE {
            let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
            let doc = Document::too_large(size);
            let diagnostics = self.check_document(&doc);
            return Ok((doc, diagnostics));
        }
        Ok(self.check_bytes(bytes))
    }

    /// Check `targets` on the current rayon pool, keeping their order.
    #[must_use]
    pub fn check_targets(&self, targets: &[Target]) -> RunResult {
        let start = Instant::now();
        let outcomes: Vec<Result<FileResult, Failure>> = targets
            .par_iter()
            .map(|target| self.check_target(target))
            .collect();
        let mut result = RunResult::default();
        for outcome in outcomes {
            match outcome {
                Ok(file) => result.files.push(file),
                Err(failure) => result.failures.push(failure),
            }
        }
        result.elapsed = start.elapsed();
        result
    }

    fn check_target(&self, target: &Target) -> Result<FileResult, Failure> {
        let outcome = catch_unwind(AssertUnwindSafe(|| self.check_file(&target.path)));
        match outcome {
            Ok(Ok((doc, diagnostics))) => Ok(FileResult {
                path: target.display.clone(),
                document: (!diagnostics.is_empty()).then_some(doc),
                diagnostics,
            }),
            Ok(Err(e)) => Err(Failure {
                path: target.display.clone(),
                message: format!("cannot read file: {e}"),
            }),
            Err(_) => Err(Failure {
                path: target.display.clone(),
                message: "internal error while checking this file; please report it with the file attached".into(),
            }),
        }
    }
}
