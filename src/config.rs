//! Configuration: `guidelint.yml` -> resolved, immutable [`Settings`].
//!
//! The file is found from the working directory upwards (`guidelint.yml`, then
//! `.guidelint.yml`), or named with `--config`. It is read through the same span-aware YAML
//! path as articles and validated by the configuration schema (generated from the rule
//! registry, and shipped as `schemas/guidelint.schema.json` for editors), so every mistake is
//! reported at its line and column. Paths and globs in it are relative to its folder.
//!
//! The configuration layer: it may use [`crate::base`], [`crate::input`] and [`crate::rules`]
//! (each rule parses its own options, [`crate::rules::Rule::options`]), never the engine or
//! the application; the result cache's key is made above it ([`crate::app::cache::key`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::base::diagnostic::Level;
use crate::base::diagnostic::Severity;
use crate::base::error::{FileProblem, ToolError};
use crate::input::discover::Filter;
use crate::input::loaded::Loaded;
use crate::input::schema::Schema;
use crate::input::taxonomy::Taxonomy;
use crate::rules::{RULES, Setup, default_levels};

/// Names of the configuration file, in the order they are looked for in each folder.
pub const CONFIG_NAMES: [&str; 2] = ["guidelint.yml", ".guidelint.yml"];

/// The JSON Schema of the configuration file, generated from the rule registry.
#[must_use]
pub fn config_schema() -> Value {
    let level = json!({"enum": ["off", "info", "warning", "error"]});
    let mut rules = Map::new();
    // In an override a rule takes a level only: options apply to every file.
    let mut override_rules = Map::new();
    for rule in RULES {
        let meta = rule.meta();
        if meta.name == crate::rules::INTERNAL_ERROR {
            let always = json!({
                "description": "it is always on, so that a bug in guidelint is never silenced",
                "not": {}
            });
            rules.insert(meta.name.to_string(), always.clone());
            override_rules.insert(meta.name.to_string(), always);
            continue;
        }
        override_rules.insert(
            meta.name.to_string(),
            json!({
                "description": meta.summary,
                "if": {"type": "string"},
                "then": {"$ref": "#/$defs/level"},
                "else": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {"severity": {"$ref": "#/$defs/level"}},
                    "x-expected": "a mapping with `severity` only (a rule's options are set under the top-level `rules`, for every file)"
                },
                "x-expected": "`off`, `info`, `warning`, `error`, or a mapping with `severity` (options are set under the top-level `rules`)"
            }),
        );
        let mut object = json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {"severity": {"$ref": "#/$defs/level"}}
        });
        for (name, schema) in meta.options {
            object["properties"][*name] =
                serde_json::from_str(schema).expect("rule option schemas are valid JSON");
        }
        rules.insert(
            meta.name.to_string(),
            json!({
                "description": meta.summary,
                "if": {"type": "string"},
                "then": {"$ref": "#/$defs/level"},
                "else": object,
                "x-expected": "`off`, `info`, `warning`, `error`, or a mapping with `severity` and the rule's options"
            }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "guidelint configuration",
        "description": "Configuration of guidelint, the production-guide linter (guidelint.yml).",
        "type": "object",
        "x-expected": "a mapping of settings",
        "additionalProperties": false,
        "properties": {
            "schema": {"description": "Path of a JSON Schema file replacing the built-in article schema.", "type": ["string", "null"]},
            "taxonomy": {
                "description": "Path of a taxonomy file, or the taxonomy itself (`facets:` …).",
                "type": ["string", "object", "null"],
                "x-expected": "a path or a taxonomy mapping"
            },
            "include": {"description": "Globs of the files to check when walking folders (default: `*.md` and `*.markdown` files, in any case).", "$ref": "#/$defs/globs"},
            "exclude": {"description": "Globs of files not to check when walking folders.", "$ref": "#/$defs/globs"},
            "rules": {"description": "Severity (and options) per rule.", "$ref": "#/$defs/rules"},
            "overrides": {
                "description": "Rule settings for some files.",
                "type": ["array", "null"],
                "maxItems": MAX_OVERRIDES,
                "x-expected": "a list of overrides",
                "items": {
                    "type": "object",
                    "x-expected": "an override (`files`, `rules`)",
                    "additionalProperties": false,
                    "required": ["files"],
                    "properties": {
                        "files": {"$ref": "#/$defs/globs"},
                        "rules": {"$ref": "#/$defs/override_rules"}
                    }
                }
            }
        },
        "$defs": {
            "level": level,
            "globs": {"type": ["array", "null"], "x-expected": "a list of globs", "maxItems": MAX_GLOBS, "items": {"type": "string", "minLength": 1}},
            "rules": {
                "type": ["object", "null"],
                "x-key-noun": "rule",
                "x-expected": "a mapping of rule names to settings",
                "additionalProperties": false,
                "properties": rules
            },
            "override_rules": {
                "type": ["object", "null"],
                "x-key-noun": "rule",
                "x-expected": "a mapping of rule names to settings",
                "additionalProperties": false,
                "properties": override_rules
            }
        }
    })
}

#[derive(Deserialize, Default)]
struct RawConfig {
    schema: Option<String>,
    taxonomy: Option<Value>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<String, Value>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
struct RawOverride {
    files: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, Value>,
}

/// Rule settings for the files matching some globs: every override's globs in one set, so
/// that a file is matched once against all of them.
#[derive(Debug, Default)]
pub struct Overrides {
    globs: GlobSet,
    /// For each glob of the set, the override it belongs to.
    owners: Vec<usize>,
    /// Each override's rule settings, in order.
    rules: Vec<Vec<(usize, Level)>>,
}

impl Overrides {
    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The overrides with a glob matching `relative`, in order.
    fn matching(&self, relative: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .globs
            .matches(relative)
            .into_iter()
            .map(|g| self.owners[g])
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Everything a run needs to know, resolved once.
#[derive(Debug)]
pub struct Settings {
    /// The folder paths and globs are relative to (the configuration's, else the working
    /// directory).
    pub root: PathBuf,
    /// The configuration file, if one was used.
    pub config_path: Option<PathBuf>,
    /// What the rules read: the article schema, the taxonomy, the rules' options.
    pub setup: Setup,
    /// Files to check when walking (`None`: Markdown files).
    pub include: Option<GlobSet>,
    /// Files to skip when walking.
    pub exclude: Option<GlobSet>,
    /// Level per rule, indexed like [`RULES`].
    pub rules: Vec<Level>,
    /// Per-file rule settings, applied in order.
    pub overrides: Overrides,
    /// Rules kept (`--select`), if given.
    pub select: Option<Vec<usize>>,
    /// Rules turned off (`--ignore`).
    pub ignore: Vec<usize>,
    /// The configuration as loaded (canonical JSON), for the result cache's key.
    pub config_json: Option<String>,
    /// The files besides the configuration that the settings were read from: the schema and
    /// taxonomy files it names.
    pub sources: Vec<PathBuf>,
}

/// Which configuration to use.
#[derive(Clone, Debug)]
pub enum ConfigSource {
    /// Look for `guidelint.yml` / `.guidelint.yml` from this folder upwards.
    Discover(PathBuf),
    /// This file.
    File(PathBuf),
    /// None: defaults only (`--no-config`).
    Defaults(PathBuf),
}

fn rule_index(name: &str) -> Option<usize> {
    RULES.iter().position(|r| r.meta().name == name)
}

fn parse_level(s: &str) -> Level {
    match s {
        "info" => Some(Severity::Info),
        "warning" => Some(Severity::Warning),
        "error" => Some(Severity::Error),
        _ => None,
    }
}

impl Settings {
    /// Defaults: built-in schema and taxonomy, default rule levels.
    #[must_use]
    pub fn defaults(root: PathBuf) -> Self {
        Self {
            root,
            config_path: None,
            setup: Setup::builtin(),
            include: None,
            exclude: None,
            rules: default_levels(),
            overrides: Overrides::default(),
            select: None,
            ignore: Vec::new(),
            config_json: None,
            sources: Vec::new(),
        }
    }

    /// Resolve settings from a configuration source.
    ///
    /// # Errors
    /// The configuration, schema or taxonomy cannot be read or is invalid.
    pub fn load(source: &ConfigSource) -> Result<Self, ToolError> {
        let path = match source {
            ConfigSource::Defaults(root) => return Ok(Self::defaults(root.clone())),
            ConfigSource::File(path) => path.clone(),
            ConfigSource::Discover(start) => match find_config(start) {
                Some(path) => path,
                None => return Ok(Self::defaults(start.clone())),
            },
        };
        let text = crate::input::read::read_text(&path, crate::input::read::Kind::Configuration)?;
        Self::from_text(&text, &path)
    }

    /// Resolve settings from configuration text read from `path`.
    ///
    /// # Errors
    /// As [`Settings::load`].
    pub fn from_text(text: &str, path: &Path) -> Result<Self, ToolError> {
        let loaded = Loaded::parse(text, path, "configuration")?;
        bounded_lists(&loaded)?;
        let schema = Schema::own(config_schema(), "the configuration");
        loaded.validate_at(&loaded.tree.value, "", &schema)?;
        // An empty setting (`rules:` followed only by comments) means "not set".
        let mut value = loaded.tree.value.clone();
        strip_nulls(&mut value);
        if let Some(Value::Array(overrides)) = value.get_mut("overrides") {
            overrides.iter_mut().for_each(strip_nulls);
        }
        let raw: RawConfig = if value.is_null() {
            RawConfig::default()
        } else {
            serde_json::from_value(value)
                .map_err(|e| loaded.problem("", format!("Invalid configuration: {e}")))?
        };
        let root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = std::path::absolute(&root).unwrap_or(root);
        let mut settings = Self::defaults(root.clone());
        settings.config_path = Some(path.to_path_buf());
        settings.config_json = Some(loaded.tree.value.to_string());
        if let Some(schema) = &raw.schema {
            let file = root.join(schema);
            settings.setup.set_schema(Schema::article_from_file(&file)?);
            settings.sources.push(file);
        }
        match &raw.taxonomy {
            Some(Value::String(file)) => {
                let file = root.join(file);
                settings.setup.set_taxonomy(Taxonomy::from_file(&file)?);
                settings.sources.push(file);
            }
            Some(inline @ Value::Object(_)) => {
                settings
                    .setup
                    .set_taxonomy(Taxonomy::from_inline(inline, &loaded, "/taxonomy")?);
            }
            _ => {}
        }
        settings.include = raw
            .include
            .as_ref()
            .map(|g| globs(g, "include", &loaded))
            .transpose()?;
        settings.exclude = raw
            .exclude
            .as_ref()
            .map(|g| globs(g, "exclude", &loaded))
            .transpose()?;
        for (name, value) in &raw.rules {
            let i = rule_index(name).expect("the schema admits registered rules only");
            settings.rules[i] = level_of(value, i);
        }
        settings.overrides = overrides(&raw.overrides, &loaded)?;
        for (name, value) in &raw.rules {
            if let Value::Object(section) = value {
                let rule =
                    RULES[rule_index(name).expect("the schema admits registered rules only")];
                let pointer = format!("/rules/{name}");
                if let Some(options) = rule.options(section, &loaded, &pointer)? {
                    settings.setup.options.insert(rule.meta().name, options);
                }
            }
        }
        Ok(settings)
    }

    /// Apply `--select` and `--ignore` (rule names, already checked).
    pub fn restrict(&mut self, select: Option<&[String]>, ignore: &[String]) {
        self.select = select.map(|names| names.iter().filter_map(|n| rule_index(n)).collect());
        self.ignore = ignore.iter().filter_map(|n| rule_index(n)).collect();
    }

    /// Whether an override of the configuration applies to a file (`relative` to
    /// [`Settings::root`]); if not, its levels are those of every other such file.
    #[must_use]
    pub fn overridden(&self, relative: &str) -> bool {
        !self.overrides.is_empty() && self.overrides.globs.is_match(relative)
    }

    /// The level of every rule for a file (`path` relative to [`Settings::root`], `/`
    /// separators).
    #[must_use]
    pub fn levels_for(&self, relative: &str) -> Vec<Level> {
        self.levels(Some(relative))
    }

    /// The level of every rule for a file no override applies to.
    #[must_use]
    pub fn base_levels(&self) -> Vec<Level> {
        self.levels(None)
    }

    fn levels(&self, relative: Option<&str>) -> Vec<Level> {
        let mut levels = self.rules.clone();
        if let Some(relative) = relative.filter(|_| !self.overrides.is_empty()) {
            for o in self.overrides.matching(relative) {
                for &(i, level) in &self.overrides.rules[o] {
                    levels[i] = level;
                }
            }
        }
        if let Some(select) = &self.select {
            for (i, level) in levels.iter_mut().enumerate() {
                if select.contains(&i) {
                    *level = level.or(Some(RULES[i].meta().default_severity));
                } else {
                    *level = None;
                }
            }
        }
        for &i in &self.ignore {
            levels[i] = None;
        }
        levels
    }

    /// Which files a walk keeps (the `include` and `exclude` globs).
    #[must_use]
    pub fn filter(&self) -> Filter<'_> {
        Filter {
            root: &self.root,
            include: self.include.as_ref(),
            exclude: self.exclude.as_ref(),
        }
    }

    /// `path` relative to the settings root, with `/` separators, for glob matching.
    #[must_use]
    pub fn relative(&self, path: &Path) -> String {
        self.filter().relative(path)
    }
}

fn strip_nulls(value: &mut Value) {
    if let Value::Object(o) = value {
        o.retain(|_, v| !v.is_null());
    }
}

fn level_of(value: &Value, rule: usize) -> Level {
    match value {
        Value::String(s) => parse_level(s),
        Value::Object(o) => match o.get("severity").and_then(Value::as_str) {
            Some(s) => parse_level(s),
            None => {
                let m = RULES[rule].meta();
                Some(m.default_severity)
            }
        },
        _ => None,
    }
}

/// The most globs `include` and `exclude` may each give, and all `overrides` together: each
/// file found is matched against them, and 20,000 took 8 s for 2,000 files (50,000 overrides,
/// two minutes).
pub const MAX_GLOBS: usize = 1000;

/// The most `overrides` a configuration may give.
pub const MAX_OVERRIDES: usize = 1000;

/// What to do about too many globs.
const FEWER_GLOBS: &str =
    "Cover several files with one glob (`drafts/**`, `**/*-draft.md`), or remove some";

/// The error at the first item past a limit (at `pointer`).
fn too_many(loaded: &Loaded, pointer: &str, message: String, help: &str) -> ToolError {
    loaded.problems(vec![
        FileProblem::new(loaded.span_of(pointer), message, "one too many")
            .with_help(help.to_string()),
    ])
}

/// Refuse more than [`MAX_GLOBS`] globs in `include`, in `exclude` or in all `overrides`, or
/// more than [`MAX_OVERRIDES`] overrides, at the first one too many. Counted on the file as
/// loaded, before its schema is checked: a file of 150,000 overrides took 1.5 GB to check.
fn bounded_lists(loaded: &Loaded) -> Result<(), ToolError> {
    let list = |key: &str| loaded.tree.value.get(key).and_then(Value::as_array);
    for key in ["include", "exclude"] {
        if let Some(globs) = list(key).filter(|g| g.len() > MAX_GLOBS) {
            return Err(too_many(
                loaded,
                &format!("/{key}/{MAX_GLOBS}"),
                format!(
                    "Too many `{key}` globs ({}): at most {MAX_GLOBS} are allowed",
                    globs.len()
                ),
                FEWER_GLOBS,
            ));
        }
    }
    let Some(overrides) = list("overrides") else {
        return Ok(());
    };
    if overrides.len() > MAX_OVERRIDES {
        return Err(too_many(
            loaded,
            &format!("/overrides/{MAX_OVERRIDES}"),
            format!(
                "Too many overrides ({}): at most {MAX_OVERRIDES} are allowed",
                overrides.len()
            ),
            "Merge the overrides that set the same rules, or remove some",
        ));
    }
    let files = |o: &Value| o.get("files").and_then(Value::as_array).map_or(0, Vec::len);
    let total: usize = overrides.iter().map(files).sum();
    if total > MAX_GLOBS {
        // The override holding the first glob too many, and its place there.
        let mut before = 0;
        for (k, o) in overrides.iter().enumerate() {
            if before + files(o) > MAX_GLOBS {
                return Err(too_many(
                    loaded,
                    &format!("/overrides/{k}/files/{}", MAX_GLOBS - before),
                    format!(
                        "Too many globs in `overrides` ({total} in all): at most {MAX_GLOBS} are allowed in all overrides together"
                    ),
                    FEWER_GLOBS,
                ));
            }
            before += files(o);
        }
    }
    Ok(())
}

/// The globs of `include` or `exclude` (`key`) as one set.
fn globs(patterns: &[String], key: &str, loaded: &Loaded) -> Result<GlobSet, ToolError> {
    let mut builder = GlobSetBuilder::new();
    let mut problems = Vec::new();
    for (k, p) in patterns.iter().enumerate() {
        add_glob(
            &mut builder,
            p,
            &format!("/{key}/{k}"),
            loaded,
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(loaded.problems(problems));
    }
    builder
        .build()
        .map_err(|e| loaded.problem(&format!("/{key}"), format!("Invalid globs: {e}")))
}

/// Every override's globs in one set.
fn overrides(raw: &[RawOverride], loaded: &Loaded) -> Result<Overrides, ToolError> {
    let mut builder = GlobSetBuilder::new();
    let mut out = Overrides::default();
    let mut problems = Vec::new();
    for (k, o) in raw.iter().enumerate() {
        for (j, p) in o.files.iter().enumerate() {
            add_glob(
                &mut builder,
                p,
                &format!("/overrides/{k}/files/{j}"),
                loaded,
                &mut problems,
            );
            out.owners.push(k);
        }
        out.rules.push(
            o.rules
                .iter()
                .map(|(name, value)| {
                    let i = rule_index(name).expect("the schema admits registered rules only");
                    (i, level_of(value, i))
                })
                .collect(),
        );
    }
    if !problems.is_empty() {
        return Err(loaded.problems(problems));
    }
    out.globs = builder
        .build()
        .map_err(|e| loaded.problem("/overrides", format!("Invalid globs: {e}")))?;
    Ok(out)
}

/// Add glob `p` (at `pointer`) to `builder`, or say why it is not one.
fn add_glob(
    builder: &mut GlobSetBuilder,
    p: &str,
    pointer: &str,
    loaded: &Loaded,
    problems: &mut Vec<FileProblem>,
) {
    // A pattern without a slash matches at any depth, as in `.gitignore`.
    let pattern = if p.contains('/') {
        p.trim_start_matches("./").to_string()
    } else {
        format!("**/{p}")
    };
    match Glob::new(&pattern) {
        Ok(g) => {
            builder.add(g);
        }
        Err(e) => problems.push(FileProblem::new(
            loaded.span_of(pointer),
            format!("Invalid glob: {}", e.kind()),
            "not a valid glob",
        )),
    }
}

/// The nearest configuration file at or above `start`.
#[must_use]
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    start.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::config_schema;
    use crate::input::schema::Schema;

    #[test]
    fn the_configuration_schema_means_the_same_in_draft_7_as_in_draft_2020_12() {
        // As the article and taxonomy schemas (input::schema's tests): no keyword beside `$ref`.
        let mut found = Vec::new();
        crate::input::schema::tests::refs_with_siblings(&config_schema(), "", &mut found);
        assert!(found.is_empty(), "configuration schema: {found:?}");
        Schema::compile(config_schema(), "a configuration").unwrap();
    }
}
