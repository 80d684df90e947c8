//! The rule registry: every rule's metadata, its check, and the context it reports into.
//!
//! A rule only detects. It reads the parsed [`Document`] and reports [`Diagnostic`]s through
//! [`Context`]; it never reads files, reads configuration or prints. The engine stamps each
//! finding with the rule's name and configured severity.

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::schema::ArticleSchema;

mod file_too_large;
mod front_matter_duplicate_key;
mod front_matter_invalid_yaml;
mod front_matter_missing;
mod front_matter_unclosed;
mod heading_increment;
mod invalid_utf8;
mod schema_violation;

/// What a rule is, for `guidelint rule`, the README table and SARIF.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name, e.g. `heading-increment`.
    pub name: &'static str,
    /// One line, sentence case, no final period.
    pub summary: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// The safest fix the rule can offer, if any.
    pub fix: Option<Applicability>,
    /// Markdown with the sections What it does / Why / Example / Fix safety.
    pub explanation: &'static str,
}

/// One check.
pub trait Rule: Sync {
    /// Static metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Report every problem of this kind in `doc`.
    fn check(&self, doc: &Document, cx: &mut Context<'_>);
}

/// Every rule, in the order they run. One line per rule.
pub static RULES: &[&dyn Rule] = &[
    &file_too_large::FileTooLarge,
    &invalid_utf8::InvalidUtf8,
    &front_matter_missing::FrontMatterMissing,
    &front_matter_unclosed::FrontMatterUnclosed,
    &front_matter_invalid_yaml::FrontMatterInvalidYaml,
    &front_matter_duplicate_key::FrontMatterDuplicateKey,
    &schema_violation::SchemaViolation,
    &heading_increment::HeadingIncrement,
];

/// Look a rule up by name.
#[must_use]
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().name == name)
}

/// The rules table of the README, generated from the registry (a test keeps them in sync).
#[must_use]
pub fn markdown_table() -> String {
    let mut out = String::from("| Rule | Default | What it reports |\n| --- | --- | --- |\n");
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.name,
            m.default_severity.as_str(),
            m.summary
        ));
    }
    out
}

/// What a rule can read besides the document, and where its findings go.
pub struct Context<'a> {
    schema: &'a ArticleSchema,
    rule: &'static RuleMeta,
    severity: Severity,
    out: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    /// A context for running rules against one document.
    #[must_use]
    pub fn new(schema: &'a ArticleSchema) -> Self {
        Self {
            schema,
            rule: RULES[0].meta(),
            severity: Severity::Error,
            out: Vec::new(),
        }
    }

    /// The article schema.
    #[must_use]
    pub fn schema(&self) -> &ArticleSchema {
        self.schema
    }

    /// Record a finding of the rule being run.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.rule = self.rule.name;
        diagnostic.severity = self.severity;
        self.out.push(diagnostic);
    }

    /// Run `rule` with `severity` on `doc`.
    pub fn run(&mut self, rule: &dyn Rule, severity: Severity, doc: &Document) {
        self.rule = rule.meta();
        self.severity = severity;
        rule.check(doc, self);
    }

    /// The findings, sorted by position then rule.
    #[must_use]
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.out.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });
        self.out
    }
}
