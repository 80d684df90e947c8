//! Baselines: known findings that do not fail a run, so that old problems in untouched files
//! do not block anyone while new ones do.
//!
//! A baseline is a JSON file of findings keyed by path, rule and fingerprint (see
//! [`crate::app::fingerprint`]): not by line number, so edits above a finding do not resurrect it.
//! The path is the one reports show, except for a name that is not UTF-8: it gets a key no
//! other path has ([`crate::input::discover::path_key`]), since its shown form can be another
//! file's name.
//! `--update-baseline` rewrites it with the current findings, dropping those that are gone.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::error::ToolError;
use crate::engine::linter::{FileResult, RunResult};

/// What the baseline knows `file` by: [`crate::input::discover::path_key`] of the file it was read
/// from (its display path for standard input).
fn key(file: &FileResult, cwd: &Path) -> String {
    file.source.as_deref().map_or_else(
        || file.path.clone(),
        |source| crate::input::discover::path_key(source, cwd),
    )
}

/// The baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// Findings per path.
    pub findings: BTreeMap<String, Vec<Entry>>,
}

/// One known finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Rule name.
    pub rule: String,
    /// Fingerprint of the finding.
    pub fingerprint: String,
    /// The message when it was recorded, for people reading the file.
    pub message: String,
}

impl Baseline {
    /// Read a baseline; a missing file is an empty baseline (so `--update-baseline` can
    /// create it). Only a regular file of up to [`crate::input::read::BASELINE_LIMIT`] bytes is
    /// read.
    ///
    /// # Errors
    /// The file exists but cannot be read or is not a baseline.
    pub fn load(path: &Path) -> Result<Self, ToolError> {
        let text = match crate::input::read::read_text(path, crate::input::read::Kind::Baseline) {
            Ok(text) => text,
            Err(ToolError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(Self::default());
            }
            Err(e) => return Err(e),
        };
        Self::parse(&text, path)
    }

    /// A baseline from its text; `path` names it in errors.
    ///
    /// # Errors
    /// The text is not a baseline.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ToolError> {
        serde_json::from_str(text).map_err(|e| ToolError::json_syntax(path, text, &e, "baseline"))
    }

    /// The current findings of a run (not failures), whose paths were shown relative to
    /// `cwd`.
    #[must_use]
    pub fn of(result: &RunResult, cwd: &Path) -> Self {
        let mut baseline = Self {
            version: 1,
            findings: BTreeMap::new(),
        };
        for file in &result.files {
            baseline.record(file, cwd);
        }
        baseline
    }

    /// Add the findings of `file`.
    pub fn record(&mut self, file: &FileResult, cwd: &Path) {
        self.version = 1;
        if file.diagnostics.is_empty() {
            return;
        }
        let entries = self.findings.entry(key(file, cwd)).or_default();
        for (d, fingerprint) in file
            .diagnostics
            .iter()
            .zip(crate::app::fingerprint::of_file(file))
        {
            entries.push(Entry {
                rule: d.rule.to_string(),
                fingerprint,
                message: d.message.to_string(),
            });
        }
    }

    /// Mark the findings of `result` known in the baseline.
    pub fn apply(&self, result: &mut RunResult, cwd: &Path) {
        let known = self.known();
        for file in &mut result.files {
            known.apply(file, cwd);
        }
    }

    /// What the baseline knows, ready to be looked up file by file.
    #[must_use]
    pub fn known(&self) -> Known<'_> {
        Known(
            self.findings
                .iter()
                .flat_map(|(path, entries)| {
                    entries
                        .iter()
                        .map(move |e| (path.as_str(), e.rule.as_str(), e.fingerprint.as_str()))
                })
                .collect(),
        )
    }

    /// Write the baseline.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn save(&self, path: &Path) -> Result<(), ToolError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        std::fs::write(path, text).map_err(|source| ToolError::WriteFile {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// The findings of a baseline by (path key, rule, fingerprint).
#[derive(Debug, Default)]
pub struct Known<'a>(HashSet<(&'a str, &'a str, &'a str)>);

impl Known<'_> {
    /// Mark the findings of `file` known in the baseline.
    pub fn apply(&self, file: &mut FileResult, cwd: &Path) {
        if file.diagnostics.is_empty() || self.0.is_empty() {
            return;
        }
        let prints = crate::app::fingerprint::of_file(file);
        let key = key(file, cwd);
        for (d, print) in file.diagnostics.iter_mut().zip(prints) {
            d.baselined = self.0.contains(&(key.as_str(), d.rule, print.as_str()));
        }
    }
}
