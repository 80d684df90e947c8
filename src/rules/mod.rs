//! The rule registry: every rule's metadata, its check, and the context it reports into.
//!
//! A rule only detects. It reads the parsed [`Document`] and reports [`Diagnostic`]s through
//! [`Context`]; it never reads files, reads configuration or prints. The engine stamps each
//! finding with the rule's name and configured severity. A rule's options are its own: it
//! parses its section of the configuration ([`Rule::options`]) and reads them back typed
//! ([`Context::options`]). A repository-wide rule takes one [`Fact`] from each file
//! ([`Rule::fact`]) and compares them in path order ([`Rule::cross_file`]).
//!
//! The rules layer: it may use [`crate::base`] and [`crate::input`] only. It knows nothing of
//! the settings (it is given a [`Setup`]), the engine that runs it, the cache or reports.
//! Inline suppressions ([`suppress`]) live here because they name rules.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::base::diagnostic::{Applicability, Diagnostic, Level, Severity, Text};
use crate::base::error::ToolError;
use crate::base::span::Span;
use crate::input::document::Document;
use crate::input::loaded::Loaded;
use crate::input::schema::Schema;
use crate::input::taxonomy::Taxonomy;
use crate::rules::suppress::Suppressions;

mod duplicate_title;
mod duplicate_yt_video;
pub(crate) mod edits;
mod file_too_large;
mod front_matter_duplicate_key;
mod front_matter_invalid_yaml;
mod front_matter_missing;
mod front_matter_unclosed;
mod heading_duplicate;
mod heading_increment;
mod internal_error;
mod invalid_utf8;
mod schema_violation;
mod scrape_residue;
mod section_empty;
mod stage_hierarchy;
mod stage_label;
mod stage_nesting;
mod stage_order;
pub mod suppress;
mod tag_count;
mod tag_duplicate;
mod tag_exclusive;
mod tag_noncanonical;
mod tag_not_list;
mod tag_order;
mod tag_unknown;
pub(crate) mod tags;
mod unused_suppression;
pub(crate) mod yt_video;

pub use duplicate_title::title_key;

/// What a rule is, for `guidelint rule`, the README table and SARIF.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name, e.g. `heading-increment`.
    pub name: &'static str,
    /// One line, sentence case, no final period.
    pub summary: &'static str,
    /// Severity unless configured otherwise (and when enabled with `--select`).
    pub default_severity: Severity,
    /// Whether the rule runs without being enabled in the configuration.
    pub enabled: bool,
    /// Rules whose finding at the same front matter value this rule's finding replaces (one
    /// problem, one diagnostic).
    pub supersedes: &'static [&'static str],
    /// Options: name and JSON Schema (as JSON text) of each, for the configuration schema.
    pub options: &'static [(&'static str, &'static str)],
    /// Whether the rule compares files (runs once after every file is checked).
    pub repository: bool,
    /// The safest fix the rule can offer, if any.
    pub fix: Option<Applicability>,
    /// Markdown with the sections What it does / Why / Example / Fix safety.
    pub explanation: &'static str,
}

/// One check.
pub trait Rule: Sync {
    /// Static metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Report every problem of this kind in `doc`. Repository-wide rules, and rules whose
    /// findings come from elsewhere (`unused-suppression`), keep this default.
    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let _ = (doc, cx);
    }

    /// Parse the rule's options from its mapping in the configuration (`rules: <name>:`,
    /// found at `pointer` in `file`; `severity` is not an option). The configuration schema
    /// has already checked them against [`RuleMeta::options`]; this builds what the rule
    /// reads back with [`Context::options`], and reports what a schema cannot see (a regular
    /// expression that does not compile) at its place in the file. Rules without options keep
    /// this default.
    ///
    /// # Errors
    /// An option's value cannot be used.
    fn options(
        &self,
        section: &serde_json::Map<String, serde_json::Value>,
        file: &Loaded,
        pointer: &str,
    ) -> Result<Option<ParsedOptions>, ToolError> {
        let _ = (section, file, pointer);
        Ok(None)
    }

    /// For repository-wide rules: the value this rule compares across files, taken from one
    /// document in the per-file pass.
    fn fact(&self, doc: &Document) -> Option<Fact> {
        let _ = doc;
        None
    }

    /// For repository-wide rules: a comparer for one run, given every file's facts in path
    /// order.
    fn cross_file(&self) -> Option<Box<dyn CrossFile>> {
        None
    }
}

/// A repository-wide rule's view of a run: it is given each file's [`Facts`] in path order,
/// and may report a finding on that file from what it kept of the files before it. Nothing
/// after a file changes its findings, so each file can be reported as soon as the files
/// before it are done.
pub trait CrossFile: Send {
    /// The finding on the file at `path` (its display path), if any.
    fn next(&mut self, path: &str, facts: &Facts) -> Option<Diagnostic>;
}

/// What repository-wide rules know about one file: each such rule's [`Fact`], taken in the
/// per-file pass (see [`Rule::fact`]) so that no file is read twice, and cached with the
/// file's findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    by_rule: Vec<(&'static str, Fact)>,
}

/// One value a repository-wide rule compares across files, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// The value (or what is compared of it).
    pub value: String,
    /// The bytes of the value in the file.
    pub span: Span,
    /// The same place as lines and columns.
    pub location: crate::base::diagnostic::Location,
    /// The hash of the value's comparison key, made by the rule in the per-file pass and
    /// folded to 32 bits: grouping then reads it from the file results without hashing again
    /// (equal hashes are told apart by their keys).
    pub hash: u32,
}

impl Fact {
    /// The value at `span` of `doc`, whose comparison key hashes to `hash`.
    #[must_use]
    pub fn new(value: String, span: Span, doc: &Document, hash: u64) -> Self {
        Self {
            value,
            span,
            location: doc.locate(span),
            hash: fold(hash),
        }
    }
}

impl Facts {
    /// Gather the facts of a parsed document, from every repository-wide rule.
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        let mut facts = Self::default();
        for rule in RULES.iter().filter(|r| r.meta().repository) {
            if let Some(fact) = rule.fact(doc) {
                facts.insert(rule.meta().name, fact);
            }
        }
        facts
    }

    /// Keep `fact` as the fact of the rule named `rule` (replacing any before).
    pub fn insert(&mut self, rule: &'static str, fact: Fact) {
        self.by_rule.retain(|(name, _)| *name != rule);
        self.by_rule.push((rule, fact));
    }

    /// The fact of the rule named `rule`, if the file has one.
    #[must_use]
    pub fn get(&self, rule: &str) -> Option<&Fact> {
        self.by_rule
            .iter()
            .find(|(name, _)| *name == rule)
            .map(|(_, fact)| fact)
    }

    /// Every rule's fact, by rule name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Fact)> {
        self.by_rule.iter().map(|(name, fact)| (*name, fact))
    }

    /// Whether the file has no fact.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_rule.is_empty()
    }
}

/// A 64-bit hash folded to 32 bits.
fn fold(hash: u64) -> u32 {
    #[allow(clippy::cast_possible_truncation)]
    let folded = (hash ^ (hash >> 32)) as u32;
    folded
}

/// Default levels of every rule.
#[must_use]
pub fn default_levels() -> Vec<Level> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            m.enabled.then_some(m.default_severity)
        })
        .collect()
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
    &tag_not_list::TagNotList,
    &tag_unknown::TagUnknown,
    &tag_noncanonical::TagNoncanonical,
    &tag_duplicate::TagDuplicate,
    &tag_exclusive::TagExclusive,
    &tag_count::TagCount,
    &tag_order::TagOrder,
    &stage_hierarchy::StageHierarchy,
    &yt_video::YtVideo,
    &heading_increment::HeadingIncrement,
    &stage_order::StageOrder,
    &stage_nesting::StageNesting,
    &stage_label::StageLabel,
    &section_empty::SectionEmpty,
    &heading_duplicate::HeadingDuplicate,
    &scrape_residue::ScrapeResidue,
    &duplicate_title::DuplicateTitle,
    &duplicate_yt_video::DuplicateYtVideo,
    &unused_suppression::UnusedSuppression,
    &internal_error::InternalError,
];

/// The name of the finding of a file whose check panicked (a bug in guidelint).
pub const INTERNAL_ERROR: &str = "internal-error";

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
            m.default_level(),
            m.summary
        ));
    }
    out
}

/// `docs/rules.md`: every rule's explanation, generated from the registry (a test keeps the
/// file in sync). SARIF help links point here.
#[must_use]
pub fn markdown_docs() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule registry by `GUIDELINT_UPDATE_SCHEMAS=1 cargo test`; do not edit. -->\n\n",
    );
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "## {}\n\n{}. Default: `{}`.",
            m.name,
            m.summary,
            m.default_level()
        ));
        if m.repository {
            out.push_str(" Compares files: runs once all files are checked.");
        }
        out.push_str("\n\n");
        let mut in_code = false;
        for line in m.explanation.lines() {
            in_code ^= line.starts_with("```");
            // The explanation's sections become subsections; code blocks stay as written.
            if line.starts_with("## ") && !in_code {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

impl RuleMeta {
    /// `off`, `info`, `warning` or `error`: the level the rule has unless configured.
    #[must_use]
    pub fn default_level(&self) -> &'static str {
        if self.enabled {
            self.default_severity.as_str()
        } else {
            "off"
        }
    }
}

/// A rule's metadata with every field defaulted except the name, summary, severity and
/// explanation; rule files override what they need with struct-update syntax.
pub(crate) const BASE: RuleMeta = RuleMeta {
    name: "",
    summary: "",
    default_severity: Severity::Error,
    enabled: true,
    supersedes: &[],
    options: &[],
    repository: false,
    fix: None,
    explanation: "",
};

/// The stage term a heading names (index into the facet's terms), and whether it names it by
/// its label or id rather than by an alias.
pub(crate) type HeadingTerm = Option<(usize, bool)>;

/// The most findings of one rule kept for one file (when the file is reported, not fixed):
/// past them, one more finding says how many more there are. One article with a million
/// headings otherwise took gigabytes and seconds to report.
pub const MAX_FINDINGS_PER_RULE: usize = 1000;

/// The most secondary labels a finding puts on values of one kind (the values past a facet's
/// `max`, the values combined with an exclusive one): the last then says how many more there
/// are. A list of 30,000 values gave one finding 30,000 labels, which nobody reads and the
/// `human` format took 6 s to lay out.
pub const MAX_LABELS: usize = 20;

/// `d` with a secondary label `message` at each of `spans`, at most [`MAX_LABELS`] of them; the
/// last says how many more there are.
pub(crate) fn label_each(
    mut d: Diagnostic,
    spans: impl ExactSizeIterator<Item = Span>,
    message: &str,
) -> Diagnostic {
    let more = spans.len().saturating_sub(MAX_LABELS);
    for (k, span) in spans.take(MAX_LABELS).enumerate() {
        d = if k + 1 == MAX_LABELS && more > 0 {
            d.with_secondary(span, format!("{message} (and {more} more after it)"))
        } else {
            d.with_secondary(span, message)
        };
    }
    d
}

/// One rule's options once parsed, of the rule's own type (see [`Rule::options`]).
pub type ParsedOptions = Box<dyn std::any::Any + Send + Sync>;

/// What rules read besides the document: the article schema, the taxonomy, and the options
/// of each rule that was given some.
pub struct Setup {
    schema: Part<Schema>,
    taxonomy: Part<Taxonomy>,
    /// The rules' options.
    pub options: Options,
}

/// The schema or the taxonomy of a [`Setup`]: given, or the built-in one, built when first
/// read. Building the built-in schema and taxonomy costs about a tenth of a run whose files
/// all come from the result cache, and such a run never reads them.
struct Part<T> {
    value: std::sync::OnceLock<T>,
    build: fn() -> T,
    /// What the part says, as text (the result cache's key is made from it): the built-in
    /// part's source, or the given part's content.
    key: std::borrow::Cow<'static, str>,
}

impl<T> Part<T> {
    fn builtin(build: fn() -> T, source: &'static str) -> Self {
        Self {
            value: std::sync::OnceLock::new(),
            build,
            key: std::borrow::Cow::Borrowed(source),
        }
    }

    fn get(&self) -> &T {
        self.value.get_or_init(self.build)
    }

    fn set(&mut self, value: T, key: String) {
        self.value = std::sync::OnceLock::from(value);
        self.key = std::borrow::Cow::Owned(key);
    }
}

impl Setup {
    /// The built-in schema and taxonomy, no options.
    #[must_use]
    pub fn builtin() -> Self {
        Self {
            schema: Part::builtin(
                Schema::article,
                crate::input::schema::BUILTIN_ARTICLE_SCHEMA,
            ),
            taxonomy: Part::builtin(Taxonomy::builtin, crate::input::taxonomy::DEFAULT_TAXONOMY),
            options: Options::default(),
        }
    }

    /// The article schema.
    #[must_use]
    pub fn schema(&self) -> &Schema {
        self.schema.get()
    }

    /// The taxonomy.
    #[must_use]
    pub fn taxonomy(&self) -> &Taxonomy {
        self.taxonomy.get()
    }

    /// Use `schema` instead of the built-in one.
    pub fn set_schema(&mut self, schema: Schema) {
        let key = schema.value().to_string();
        self.schema.set(schema, key);
    }

    /// Use `taxonomy` instead of the built-in one.
    pub fn set_taxonomy(&mut self, taxonomy: Taxonomy) {
        let key = taxonomy.key_text();
        self.taxonomy.set(taxonomy, key);
    }

    /// What the schema and the taxonomy say, as text, for the result cache's key: the same
    /// whether or not they were built yet.
    #[must_use]
    pub fn key_texts(&self) -> [&str; 2] {
        [&self.schema.key, &self.taxonomy.key]
    }
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("schema", &self.schema.value.get().map(Schema::value))
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The options of the rules that were given some, each of its rule's own type.
#[derive(Default)]
pub struct Options {
    by_rule: Vec<(&'static str, ParsedOptions)>,
}

impl Options {
    /// Keep `options` for the rule named `rule` (replacing any before).
    pub fn insert(&mut self, rule: &'static str, options: ParsedOptions) {
        self.by_rule.retain(|(name, _)| *name != rule);
        self.by_rule.push((rule, options));
    }

    /// The options of the rule named `rule`, if it was given some of type `T`.
    #[must_use]
    pub fn get<T: 'static>(&self, rule: &str) -> Option<&T> {
        self.by_rule
            .iter()
            .find(|(name, _)| *name == rule)
            .and_then(|(_, options)| options.downcast_ref())
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.by_rule.iter().map(|(name, _)| name))
            .finish()
    }
}

/// What a rule can read besides the document, and where its findings go. It also holds
/// what several rules derive from the same document (tag values, heading terms), computed
/// once per document on first use.
pub struct Context<'a> {
    setup: &'a Setup,
    doc: &'a Document,
    rule: &'static RuleMeta,
    severity: Severity,
    out: Vec<Diagnostic>,
    limit: Option<Limit>,
    tags: OnceCell<Rc<Vec<tags::FacetValues<'a>>>>,
    stage_terms: OnceCell<Rc<Vec<HeadingTerm>>>,
    parents: OnceCell<Rc<Vec<Option<usize>>>>,
    tag_aliases: OnceCell<Aliases>,
}

/// The spans of the tag values reached through an alias, sorted by start, and for each the
/// furthest end among it and those before it: whether an edit touches one of them is then a
/// binary search, however many there are (a list of 60,000 aliases has as many fixable
/// findings).
struct Aliases {
    spans: Vec<Span>,
    reach: Vec<usize>,
}

impl Aliases {
    /// Whether an edit of `span` (an insertion counts as one byte) overlaps one of them.
    fn touched_by(&self, span: Span) -> bool {
        let end = span.end.max(span.start + 1);
        // The aliases starting before the edit ends; one of them overlaps it when one of them
        // ends after it starts.
        let before = self.spans.partition_point(|a| a.start < end);
        before > 0 && self.reach[before - 1] > span.start
    }
}

impl<'a> Context<'a> {
    /// A context for running rules against one document.
    #[must_use]
    pub fn new(setup: &'a Setup, doc: &'a Document) -> Self {
        Self {
            setup,
            doc,
            rule: RULES[0].meta(),
            severity: Severity::Error,
            out: Vec::new(),
            limit: None,
            tags: OnceCell::new(),
            stage_terms: OnceCell::new(),
            parents: OnceCell::new(),
            tag_aliases: OnceCell::new(),
        }
    }

    /// A context that keeps at most [`MAX_FINDINGS_PER_RULE`] findings of each rule, not
    /// counting those that `suppressions` silence (they are dropped as they are reported, and
    /// their directives marked used) or that another rule supersedes. Rules that supersede
    /// others must run first (see [`RuleMeta::supersedes`]).
    #[must_use]
    pub fn limited(setup: &'a Setup, doc: &'a Document, suppressions: Suppressions) -> Self {
        Self {
            limit: Some(Limit {
                suppressions,
                silenced: Vec::new(),
                shown: 0,
                over: None,
                superseded: HashMap::new(),
            }),
            ..Self::new(setup, doc)
        }
    }

    /// The values of every taxonomy facet in the front matter.
    pub(crate) fn tags(&self) -> Rc<Vec<tags::FacetValues<'a>>> {
        self.tags
            .get_or_init(|| Rc::new(tags::facets(self.doc, self.setup.taxonomy())))
            .clone()
    }

    /// For each heading, the stage-facet term it names, and whether by label or id (rather
    /// than by an alias).
    pub(crate) fn heading_stage_terms(&self) -> Rc<Vec<HeadingTerm>> {
        self.stage_terms
            .get_or_init(|| {
                let facet = self
                    .setup
                    .taxonomy()
                    .facet(crate::input::taxonomy::STAGE_FACET);
                Rc::new(
                    self.doc
                        .headings
                        .iter()
                        .map(|h| facet.and_then(|f| f.heading_term(self.doc.heading_text(h))))
                        .collect(),
                )
            })
            .clone()
    }

    /// For each heading, its parent heading.
    pub(crate) fn heading_parents(&self) -> Rc<Vec<Option<usize>>> {
        self.parents
            .get_or_init(|| Rc::new(self.doc.heading_parents()))
            .clone()
    }

    /// The article schema.
    #[must_use]
    pub fn schema(&self) -> &'a Schema {
        self.setup.schema()
    }

    /// The taxonomy.
    #[must_use]
    pub fn taxonomy(&self) -> &'a Taxonomy {
        self.setup.taxonomy()
    }

    /// The options of the rule being run, if it was given some (see [`Rule::options`]).
    #[must_use]
    pub fn options<T: 'static>(&self) -> Option<&'a T> {
        self.setup.options.get(self.rule.name)
    }

    /// Record a finding of the rule being run, at the rule's configured severity.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.rule = self.rule.name;
        diagnostic.severity = self.severity;
        self.drop_fix_through_alias(&mut diagnostic);
        self.push(diagnostic);
    }

    /// A fix touching a tag value reached through an alias would rewrite the alias (and not
    /// what it names): it is not offered.
    fn drop_fix_through_alias(&self, diagnostic: &mut Diagnostic) {
        let Some(fix) = &diagnostic.fix else { return };
        // The aliases, each once (a list of 30,000 tags has 30,000 fixable findings).
        let aliases = self.tag_aliases.get_or_init(|| {
            let mut spans: Vec<Span> = self
                .tags()
                .iter()
                .flat_map(|f| f.values.iter())
                .filter(|v| v.through_alias)
                .map(|v| v.span)
                .collect();
            spans.sort_unstable_by_key(|s| (s.start, s.end));
            spans.dedup();
            let reach = spans
                .iter()
                .scan(0, |reach, s| {
                    *reach = s.end.max(*reach);
                    Some(*reach)
                })
                .collect();
            Aliases { spans, reach }
        });
        if fix.edits.iter().any(|e| aliases.touched_by(e.span)) {
            diagnostic.fix = None;
        }
    }

    /// Record a milder finding of the rule being run: at most `cap` (e.g. a valid but
    /// non-canonical video address is a warning even when the rule is an error).
    pub fn report_at_most(&mut self, mut diagnostic: Diagnostic, cap: Severity) {
        diagnostic.rule = self.rule.name;
        diagnostic.severity = self.severity.min(cap);
        self.push(diagnostic);
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        if let Some(limit) = &mut self.limit
            && !limit.admit(self.rule, &diagnostic, self.doc)
        {
            return;
        }
        if self.out.capacity() == 0 {
            // Findings come several at a time (a schema's missing fields): one allocation
            // instead of growing through 4 and 8.
            self.out.reserve(8);
        }
        self.out.push(diagnostic);
    }

    /// Run `rule` with `severity` on the document.
    pub fn run(&mut self, rule: &dyn Rule, severity: Severity) {
        self.rule = rule.meta();
        self.severity = severity;
        rule.check(self.doc, self);
        if let Some(limit) = &mut self.limit
            && let Some(summary) = limit.summary()
        {
            self.out.push(Diagnostic {
                rule: self.rule.name,
                ..summary
            });
        }
    }

    /// The findings: superseded ones dropped, sorted by position then rule.
    #[must_use]
    pub fn finish(self) -> Vec<Diagnostic> {
        self.finish_limited().0
    }

    /// [`Context::finish`], and the suppressions of a [`Context::limited`] context, with the
    /// directives that silenced a finding marked used, and the spans of the findings they
    /// silenced.
    #[must_use]
    pub fn finish_limited(mut self) -> (Vec<Diagnostic>, Option<(Suppressions, Vec<Span>)>) {
        // Pointer -> the rules whose findings there are superseded (a map: a document can
        // have hundreds of thousands of findings).
        let mut superseded: std::collections::HashMap<Text, Vec<&'static str>> =
            std::collections::HashMap::new();
        // The rule of the finding before, and what it supersedes (a rule's findings come one
        // after the other): looked up in the registry once per rule, not once per finding.
        let mut last: (&str, &[&str]) = ("", &[]);
        for d in &self.out {
            if let Some(pointer) = &d.pointer {
                if d.rule != last.0 {
                    last = (d.rule, find(d.rule).map_or(&[], |r| r.meta().supersedes));
                }
                let supersedes = last.1;
                if !supersedes.is_empty() {
                    superseded
                        .entry(pointer.clone())
                        .or_default()
                        .extend_from_slice(supersedes);
                }
            }
        }
        if !superseded.is_empty() {
            self.out.retain(|d| {
                !d.pointer
                    .as_deref()
                    .and_then(|p| superseded.get(p))
                    .is_some_and(|rules| rules.contains(&d.rule))
            });
        }
        sort(&mut self.out);
        (self.out, self.limit.map(|l| (l.suppressions, l.silenced)))
    }
}

/// The bound a [`Context::limited`] context keeps on each rule's findings.
struct Limit {
    suppressions: Suppressions,
    /// The spans of the findings the suppressions silenced (no fix may touch them).
    silenced: Vec<Span>,
    /// Findings of the rule being run kept so far.
    shown: usize,
    /// Findings of the rule being run past the bound: how many, where the first is, and the
    /// highest severity among them.
    over: Option<(usize, Span, Severity)>,
    /// Pointer -> the rules whose findings there are superseded, by the findings so far.
    superseded: HashMap<Text, Vec<&'static str>>,
}

impl Limit {
    /// Whether to keep a finding of `rule`: not superseded, not suppressed, and within the
    /// bound (else it is counted).
    fn admit(&mut self, rule: &RuleMeta, d: &Diagnostic, doc: &Document) -> bool {
        if let Some(pointer) = &d.pointer {
            if !rule.supersedes.is_empty() {
                self.superseded
                    .entry(pointer.clone())
                    .or_default()
                    .extend_from_slice(rule.supersedes);
            }
            if self
                .superseded
                .get(pointer)
                .is_some_and(|rules| rules.contains(&d.rule))
            {
                return false;
            }
        }
        if self
            .suppressions
            .suppress(crate::rules::suppress::line_of(doc, d.span.start), d.rule)
        {
            self.silenced.push(d.span);
            return false;
        }
        if self.shown < MAX_FINDINGS_PER_RULE {
            self.shown += 1;
            return true;
        }
        match &mut self.over {
            Some((count, _, severity)) => {
                *count += 1;
                *severity = (*severity).max(d.severity);
            }
            None => self.over = Some((1, d.span, d.severity)),
        }
        false
    }

    /// After a rule has run: the finding that counts what it reported past the bound, if
    /// anything (without its rule name); the count starts again for the next rule.
    fn summary(&mut self) -> Option<Diagnostic> {
        self.shown = 0;
        let (count, span, severity) = self.over.take()?;
        let what = if count == 1 {
            "1 more finding of this rule is not shown".to_string()
        } else {
            format!("{count} more findings of this rule are not shown")
        };
        let mut d = Diagnostic::new(span, what)
            .with_label("the first not shown")
            .with_help(format!(
                "A file shows at most {MAX_FINDINGS_PER_RULE} findings of each rule: fix these and check again"
            ));
        d.severity = severity;
        Some(d)
    }
}

/// Sort findings by position, then rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(order);
}

/// The order of findings in a file: by position, then rule.
#[must_use]
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Aliases, Fact, Facts, Options, RULES, Setup, Span};
    use crate::base::diagnostic::Location;

    #[test]
    fn the_built_in_parts_are_built_when_read_and_keyed_alike_before_and_after() {
        let setup = Setup::builtin();
        let before = setup.key_texts().map(str::to_owned);
        assert!(setup.schema.value.get().is_none() && setup.taxonomy.value.get().is_none());
        assert!(setup.schema().required_fields().contains(&"title"));
        assert!(setup.taxonomy().facet("stage").is_some());
        assert_eq!(setup.key_texts(), before.each_ref().map(String::as_str));
        // A given part is keyed by what it says.
        let mut given = Setup::builtin();
        let taxonomy = "facets:\n  stage:\n    terms:\n      - id: mixing\n";
        given.set_taxonomy(
            crate::input::taxonomy::Taxonomy::parse(taxonomy, std::path::Path::new("t.yml"))
                .unwrap(),
        );
        assert_eq!(given.key_texts()[0], before[0]);
        assert_ne!(given.key_texts()[1], before[1]);
        assert!(given.taxonomy().facet("stage").is_some());
    }

    #[test]
    fn a_rules_fact_replaces_its_earlier_one() {
        let fact = |value: &str| Fact {
            value: value.into(),
            span: Span::new(4, 9),
            location: Location::default(),
            hash: 42,
        };
        let mut facts = Facts::default();
        facts.insert("duplicate-title", fact("Mixing"));
        facts.insert("duplicate-yt-video", fact("abc"));
        facts.insert("duplicate-title", fact("Mastering"));
        assert_eq!(facts.get("duplicate-title").unwrap().value, "Mastering");
        assert_eq!(facts.get("duplicate-yt-video").unwrap().value, "abc");
        assert_eq!(facts.iter().count(), 2);
        assert!(facts.get("no-such-rule").is_none());
    }

    #[test]
    fn a_rules_options_are_read_back_as_its_own_type_only() {
        let mut options = Options::default();
        options.insert("scrape-residue", Box::new(7u32));
        assert_eq!(options.get::<u32>("scrape-residue"), Some(&7));
        assert_eq!(options.get::<String>("scrape-residue"), None);
        assert_eq!(options.get::<u32>("tag-count"), None);
    }

    #[test]
    fn every_repository_rule_takes_a_fact_and_compares_files() {
        let doc = crate::input::document::Document::parse(
            b"---\ntitle: A\nyt_video: https://youtu.be/dQw4w9WgXcQ\n---\n# A\n".to_vec(),
        );
        for rule in RULES.iter().filter(|r| r.meta().repository) {
            assert!(rule.cross_file().is_some(), "{}", rule.meta().name);
            assert!(rule.fact(&doc).is_some(), "{}", rule.meta().name);
        }
        assert_eq!(Facts::of(&doc).iter().count(), 2);
    }

    proptest! {
        /// The binary search finds an alias an edit overlaps exactly when comparing the edit
        /// with every alias does.
        #[test]
        fn an_edit_touches_an_alias_when_some_alias_overlaps_it(
            aliases in prop::collection::vec((0usize..40, 0usize..8), 0..20),
            edit in (0usize..48, 0usize..6),
        ) {
            let mut spans: Vec<Span> = aliases.iter().map(|&(s, n)| Span::new(s, s + n)).collect();
            spans.sort_unstable_by_key(|s| (s.start, s.end));
            let reach = spans
                .iter()
                .scan(0, |reach, s| {
                    *reach = s.end.max(*reach);
                    Some(*reach)
                })
                .collect();
            let edit = Span::new(edit.0, edit.0 + edit.1);
            let pairwise = spans
                .iter()
                .any(|a| edit.start < a.end && a.start < edit.end.max(edit.start + 1));
            let aliases = Aliases { spans, reach };
            prop_assert_eq!(aliases.touched_by(edit), pairwise);
        }
    }
}
