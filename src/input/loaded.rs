//! YAML files guidelint reads besides articles (the configuration, a taxonomy), loaded with
//! a span for every value and kept whole, so that every problem found later in them is
//! reported at its line and column.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::base::error::{FileProblem, ToolError};
use crate::base::span::Span;
use crate::input::schema::{Anchors, Schema};
use crate::input::yaml::{self, YamlTree};

/// A YAML file (configuration or taxonomy) loaded with spans, kept for error reports.
#[derive(Debug)]
pub struct Loaded {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The YAML as JSON with spans.
    pub tree: YamlTree,
    what: &'static str,
}

impl Loaded {
    /// Parse YAML text; `what` names the kind of file in errors.
    ///
    /// # Errors
    /// The YAML does not load.
    pub fn parse(text: &str, path: &Path, what: &'static str) -> Result<Self, ToolError> {
        // Name the file as the user would: relative to the working directory when inside it.
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = PathBuf::from(crate::input::discover::display_path(path, &cwd));
        let path = shown.as_path();
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let base = text.len() - body.len();
        match yaml::load_unbounded(body, base, 1) {
            Ok(tree) => Ok(Self {
                path: path.to_path_buf(),
                text: text.to_string(),
                tree,
                what,
            }),
            Err(e) => {
                let mut p = FileProblem::new(e.span, e.message, "here");
                if let yaml::YamlErrorKind::DuplicateKey { first } = e.kind {
                    p = p.with_secondary(first, "first defined here".into());
                }
                if let Some(help) = e.help {
                    p = p.with_help(help);
                }
                Err(ToolError::invalid_file(what, path, text, vec![p]))
            }
        }
    }

    /// The span of the value (or, failing that, nearest ancestor) at `pointer`.
    #[must_use]
    pub fn span_of(&self, pointer: &str) -> Span {
        self.tree
            .locate(pointer)
            .map_or(Span::empty(0), |(_, s)| s.value)
    }

    /// A single problem at `pointer`.
    #[must_use]
    pub fn problem(&self, pointer: &str, message: String) -> ToolError {
        self.problems(vec![FileProblem::new(
            self.span_of(pointer),
            message,
            "here",
        )])
    }

    /// Several problems in this file.
    #[must_use]
    pub fn problems(&self, problems: Vec<FileProblem>) -> ToolError {
        ToolError::invalid_file(self.what, &self.path, &self.text, problems)
    }

    /// Validate the value at `pointer` against `schema`.
    ///
    /// # Errors
    /// Every schema error, placed in this file.
    pub fn validate_at(
        &self,
        _value: &Value,
        pointer: &str,
        schema: &Schema,
    ) -> Result<(), ToolError> {
        let findings = schema.validate_in(
            &self.tree,
            pointer,
            Anchors {
                open: Span::empty(0),
            },
        );
        if findings.is_empty() {
            return Ok(());
        }
        Err(self.problems(
            findings
                .into_iter()
                .map(|f| {
                    let p =
                        FileProblem::new(f.span, f.message.into_string(), f.label.into_string());
                    match f.help {
                        Some(h) => p.with_help(h.into_string()),
                        None => p,
                    }
                })
                .collect(),
        ))
    }
}
