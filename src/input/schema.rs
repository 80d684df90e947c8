//! The article JSON Schema: compiled once, shared by all threads, errors mapped to spans.
//!
//! Validation runs offline (no `$ref` is ever fetched), checks formats, and uses a
//! linear-time regex engine because users can supply their own schema. Each validator error
//! becomes a [`SchemaFinding`] placed on the bytes it is about and worded for writers.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{PatternOptions, ValidationError, Validator};
use serde_json::Value;

use crate::base::error::ToolError;
use crate::base::span::Span;
use crate::base::suggest;
use crate::base::text::Text;
use crate::input::yaml::YamlTree;

/// The built-in article schema, embedded at compile time.
pub const BUILTIN_ARTICLE_SCHEMA: &str = include_str!("../../schemas/article.schema.json");

/// What an article schema validates, for messages (see [`Schema::compile`]'s `owner`).
const ARTICLE: &str = "an article";

/// The built-in taxonomy schema.
pub const TAXONOMY_SCHEMA: &str = include_str!("../../schemas/taxonomy.schema.json");

/// A compiled JSON Schema: the article schema, or the schema of a configuration or taxonomy
/// file.
pub struct Schema {
    validator: Validator,
    schema: Value,
    /// What the validated document is, for messages: "an article", "the configuration".
    owner: &'static str,
    /// Whether this is one of guidelint's own schemas, which `owner` describes. A user's
    /// article schema (`--schema`) is named in messages by its `title` instead: its fields
    /// are its own.
    builtin: bool,
    /// The help line of each top-level property that has a description, made once.
    help: Table<Text>,
    /// The texts of a missing top-level field's finding, by field name, made once (the most
    /// common finding of all on a guide that does not follow the schema).
    missing: Table<Missing>,
    /// What is said of unknown keys, by the schema path of the subschema that forbids them:
    /// made on first use, since many files have the same unknown keys.
    unknown: std::sync::Mutex<Table<Arc<UnknownWords>>>,
    /// The top level's required and known keys, when they are checked here rather than by
    /// the validator (see [`RootKeys`]).
    root_keys: Option<RootKeys>,
}

/// A schema's top-level `required` and `additionalProperties: false`, checked by hand when
/// nothing else at the top level bears on a mapping's keys (`properties`, `type` and
/// annotations only): the validator is then built without those two keywords. On a guide
/// whose front matter is not an article's, nearly every finding is a missing or unknown
/// field, and the validator's error for each (paths, a copy of the schema's words) costs
/// more than the finding.
struct RootKeys {
    /// `required`, in the order of the fields' pointers.
    required: Vec<String>,
    /// What is said of each when it is missing at the top.
    texts: Vec<Option<Missing>>,
    /// The names of `properties`.
    known: Table<()>,
}

impl RootKeys {
    /// Whether every `$ref` under `value` is into `#/$defs/` or `#/definitions/`, and no
    /// `$id` below the top (`top`), anchor or dynamic reference changes what one means.
    fn refers_to_definitions_only(value: &Value, top: bool) -> bool {
        match value {
            Value::Object(map) => map.iter().all(|(key, v)| match key.as_str() {
                "$ref" => v
                    .as_str()
                    .is_some_and(|r| r.starts_with("#/$defs/") || r.starts_with("#/definitions/")),
                "$id" if top => true,
                "$id" | "$anchor" | "$dynamicAnchor" | "$recursiveAnchor" | "$dynamicRef"
                | "$recursiveRef" => false,
                _ => Self::refers_to_definitions_only(v, false),
            }),
            Value::Array(items) => items
                .iter()
                .all(|v| Self::refers_to_definitions_only(v, false)),
            _ => true,
        }
    }

    /// The top-level keywords that leave `required` and `additionalProperties` to mean what
    /// they say alone.
    const ALONE: &[&str] = &[
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "examples",
        "default",
        "type",
        "properties",
        "required",
        "additionalProperties",
    ];

    fn of(schema: &Value) -> Option<Self> {
        let top = schema.as_object()?;
        if top
            .keys()
            .any(|k| !Self::ALONE.contains(&k.as_str()) && !k.starts_with("x-"))
        {
            return None;
        }
        if top.get("additionalProperties") != Some(&Value::Bool(false)) {
            return None;
        }
        // Nothing may refer back to the top level or to the keywords left out of the
        // validator: references only into `$defs` / `definitions`, no other base or anchor.
        if !Self::refers_to_definitions_only(schema, true) {
            return None;
        }
        // Only a `required` every draft's meta-schema accepts (non-empty, unique strings),
        // so that leaving it out of the validator cannot hide a schema error.
        let required: Vec<String> = match top.get("required") {
            None => Vec::new(),
            Some(Value::Array(names)) if !names.is_empty() => names
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect::<Option<_>>()?,
            Some(_) => return None,
        };
        let unique: HashSet<&str> = required.iter().map(String::as_str).collect();
        if unique.len() != required.len() {
            return None;
        }
        // In the order of their pointers, the order findings at one place are reported in.
        let mut required = required;
        required.sort_by_cached_key(|name| escape(name).into_owned());
        // Without `properties` the validator words its error otherwise ("False schema does
        // not allow …").
        let Some(Value::Object(properties)) = top.get("properties") else {
            return None;
        };
        let known = properties.keys().map(|k| (k.clone(), ())).collect();
        Some(Self {
            required,
            known,
            texts: Vec::new(),
        })
    }
}

/// A table by a name or path the schema holds (never by a text of the article, which is only
/// looked up): hashed without a seed, like the taxonomy's tables.
type Table<T> = std::collections::HashMap<
    String,
    T,
    std::hash::BuildHasherDefault<crate::input::taxonomy::TermHasher>,
>;

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

/// The texts of the finding of a missing top-level field.
#[derive(Clone)]
struct Missing {
    pointer: Text,
    message: Text,
    label: Text,
    /// The field's help line (see [`Schema::help`]).
    help: Option<Text>,
}

impl Missing {
    /// The finding, at `span`.
    fn finding(&self, span: Span) -> SchemaFinding {
        SchemaFinding {
            span,
            help: self.help.clone(),
            pointer: self.pointer.clone(),
            message: self.message.clone(),
            label: self.label.clone(),
            suggestion: None,
            missing: true,
        }
    }
}

/// Where a schema error belongs and what to tell the writer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaFinding {
    /// The offending bytes.
    pub span: Span,
    /// JSON Pointer of the value concerned (for a missing field: the field it would have).
    pub pointer: Text,
    /// Sentence-case message.
    pub message: Text,
    /// Label under the span.
    pub label: Text,
    /// What to do.
    pub help: Option<Text>,
    /// For an unknown field: the known field it is probably a misspelling of.
    pub suggestion: Option<String>,
    /// Whether this reports a missing required field.
    pub missing: bool,
}

/// A finding placed but not yet worded (see [`Schema::validate_each`]).
enum Placed {
    /// Worded at once: every finding but unknown keys.
    Worded(SchemaFinding),
    /// An unknown key, worded when it is taken.
    Unknown {
        span: Span,
        pointer: Text,
        key: KeyWords,
        label: Text,
    },
}

/// What is said of one unknown key (see [`UnknownWords::key`]): shared texts, cheap to clone.
#[derive(Clone)]
struct KeyWords {
    message: Text,
    help: Option<Text>,
    /// The known key it is probably a misspelling of.
    suggestion: Option<Text>,
    /// The key as the last segment of a JSON Pointer: `/` and the key, escaped.
    segment: Text,
}

/// What the findings of the unknown keys of one mapping share.
struct UnknownWords {
    /// The message up to the key: "Unknown field `".
    message: String,
    label: Text,
    /// The help when no known key is close: the list of known keys.
    known: Option<Text>,
    /// The known keys, and each folded for comparisons.
    names: Vec<(String, Vec<char>)>,
    /// What is said of each unknown key met so far with its suggestion (the same few recur
    /// from file to file), up to [`SUGGESTIONS_KEPT`] keys.
    suggested: std::sync::Mutex<std::collections::HashMap<String, KeyWords>>,
}

/// How many unknown keys' suggestions a schema keeps.
const SUGGESTIONS_KEPT: usize = 4096;

impl UnknownWords {
    /// What is said of the unknown key `key`: with a suggestion of the known key it is
    /// probably a misspelling of when `suggest` (the comparisons are within the budget).
    fn key(&self, key: &str, suggest: bool) -> KeyWords {
        let word = |found: Option<&str>| KeyWords {
            message: Text::bounded(&concat(&[&self.message, key, "`"])),
            help: match found {
                Some(close) => Some(Text::bounded(&concat(&["Did you mean `", close, "`?"]))),
                None => self.known.clone(),
            },
            suggestion: found.map(Text::shared),
            segment: Text::shared(&concat(&["/", &escape(key)])),
        };
        if !suggest {
            return word(None);
        }
        let mut kept = self.suggested.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(words) = kept.get(key) {
            return words.clone();
        }
        let words = word(suggest::closest_folded(key, &self.names));
        if kept.len() < SUGGESTIONS_KEPT {
            kept.insert(key.to_string(), words.clone());
        }
        words
    }
}

impl Placed {
    fn pointer(&self) -> &str {
        match self {
            Self::Worded(f) => &f.pointer,
            Self::Unknown { pointer, .. } => pointer,
        }
    }

    fn span(&self) -> Span {
        match self {
            Self::Worded(f) => f.span,
            Self::Unknown { span, .. } => *span,
        }
    }

    fn suggestion(&self) -> Option<&str> {
        match self {
            Self::Worded(f) => f.suggestion.as_deref(),
            Self::Unknown { key, .. } => key.suggestion.as_deref(),
        }
    }

    fn missing(&self) -> bool {
        matches!(self, Self::Worded(f) if f.missing)
    }

    fn word(self) -> SchemaFinding {
        match self {
            Self::Worded(f) => f,
            Self::Unknown {
                span,
                pointer,
                key,
                label,
            } => SchemaFinding {
                span,
                pointer,
                message: key.message,
                label,
                help: key.help,
                suggestion: key.suggestion.map(Text::into_string),
                missing: false,
            },
        }
    }
}

/// A schema annotation naming what a value should be, in words for writers (e.g. "a list of
/// tags"); used in type errors instead of the bare JSON type.
pub const EXPECTED_KEYWORD: &str = "x-expected";

/// A schema annotation naming the keys of an object, e.g. "rule": unknown keys are then
/// reported as "Unknown rule `x`" instead of "Unknown field `x`".
pub const KEY_NOUN_KEYWORD: &str = "x-key-noun";

/// The place findings about the document as a whole go (the front matter's opening `---`
/// line, or the start of a configuration file).
#[derive(Clone, Copy, Debug)]
pub struct Anchors {
    /// Where missing required fields of the root are reported.
    pub open: Span,
}

/// The most known names an unknown-key finding lists in its help.
const KNOWN_LISTED: usize = 50;

/// The most name comparisons "did you mean" makes for the unknown keys of one mapping.
const SUGGESTION_COMPARISONS: usize = 100_000;

/// The most subschemas that may apply to one value along one path of the data: each `anyOf`
/// of two references to a further `anyOf` doubles the work of validating a value, so 20 of
/// them in a 2 KB schema would take a million evaluations and gigabytes.
pub const MAX_EVALUATION_PATHS: usize = 10_000;

/// How many subschemas apply to a value validated against `schema`, counted along every path
/// of `$ref` and the applicator keywords; an error past [`MAX_EVALUATION_PATHS`] or on a
/// `$ref` cycle that never descends into the value. Recursion through a keyword that
/// descends (`properties`, `items`, ...) is counted once: it is bounded by the data's depth.
fn evaluation_paths(root: &Value) -> Result<usize, String> {
    const SAME: &[&str] = &["not", "if", "then", "else"];
    const SAME_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];
    const SAME_MAPS: &[&str] = &["dependentSchemas"];
    const DOWN: &[&str] = &[
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "additionalItems",
        "unevaluatedItems",
        "contains",
        "propertyNames",
    ];
    const DOWN_LISTS: &[&str] = &["prefixItems", "items"];
    const DOWN_MAPS: &[&str] = &["properties", "patternProperties"];
    struct Walk<'a> {
        root: &'a Value,
        visits: usize,
        // Pointers being walked, with the number of descents made before each.
        stack: Vec<(String, usize)>,
    }
    impl Walk<'_> {
        fn visit(&mut self, pointer: String, descents: usize) -> Result<(), String> {
            if let Some(&(_, before)) = self.stack.iter().find(|(p, _)| *p == pointer) {
                if before == descents {
                    return Err(format!(
                        "`$ref` at `{pointer}` leads back to itself without descending into the value"
                    ));
                }
                return Ok(());
            }
            self.visits += 1;
            if self.visits > MAX_EVALUATION_PATHS {
                return Err(format!(
                    "the schema applies more than {MAX_EVALUATION_PATHS} subschemas to one value (nested `anyOf`, `oneOf` or `allOf` through `$ref`): validating would take exponential time"
                ));
            }
            let Some(schema) = self.root.pointer(&pointer).and_then(Value::as_object) else {
                return Ok(());
            };
            self.stack.push((pointer.clone(), descents));
            let child = |key: &str| format!("{pointer}/{}", escape(key));
            for &k in SAME {
                if schema.contains_key(k) {
                    self.visit(child(k), descents)?;
                }
            }
            for &k in DOWN {
                if schema.get(k).is_some_and(Value::is_object) {
                    self.visit(child(k), descents + 1)?;
                }
            }
            for (&k, down) in SAME_LISTS
                .iter()
                .map(|k| (k, 0))
                .chain(DOWN_LISTS.iter().map(|k| (k, 1)))
            {
                if let Some(items) = schema.get(k).and_then(Value::as_array) {
                    for i in 0..items.len() {
                        self.visit(format!("{}/{i}", child(k)), descents + down)?;
                    }
                }
            }
            for (&k, down) in SAME_MAPS
                .iter()
                .map(|k| (k, 0))
                .chain(DOWN_MAPS.iter().map(|k| (k, 1)))
            {
                if let Some(map) = schema.get(k).and_then(Value::as_object) {
                    for key in map.keys() {
                        self.visit(format!("{}/{}", child(k), escape(key)), descents + down)?;
                    }
                }
            }
            for k in ["$ref", "$dynamicRef"] {
                if let Some(target) = schema
                    .get(k)
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .filter(|r| r.is_empty() || r.starts_with('/'))
                {
                    let target = percent_decoded(target);
                    self.visit(target, descents)?;
                }
            }
            self.stack.pop();
            Ok(())
        }
    }
    let mut walk = Walk {
        root,
        visits: 0,
        stack: Vec::new(),
    };
    walk.visit(String::new(), 0)?;
    Ok(walk.visits)
}

/// A URI fragment with its `%XX` escapes decoded (a JSON pointer in a `$ref`).
fn percent_decoded(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Schema {
    /// The built-in article schema.
    #[must_use]
    pub fn article() -> Self {
        Self::builtin(BUILTIN_ARTICLE_SCHEMA, ARTICLE)
    }

    /// Compile an embedded schema.
    ///
    /// # Panics
    /// If the embedded text is not a valid schema; tests compile every embedded schema.
    #[must_use]
    pub fn builtin(text: &str, owner: &'static str) -> Self {
        let schema: Value = serde_json::from_str(text).expect("built-in schema is valid JSON");
        Self::own(schema, owner)
    }

    /// Compile a schema guidelint wrote (embedded, or made from the rules' options).
    ///
    /// Checked against the meta-schema of draft 7 rather than the draft 2020-12 it declares:
    /// checking a schema against the 2020-12 meta-schema costs about as much as the rest of a
    /// run on one article, and guidelint's schemas use only keywords that mean the same in
    /// both drafts (`$ref` has nothing but annotations beside it; a test keeps it so).
    ///
    /// # Panics
    /// If the schema does not compile; tests compile every schema guidelint writes.
    #[must_use]
    pub fn own(schema: Value, owner: &'static str) -> Self {
        Self::compile_as(schema, owner, Some(jsonschema::Draft::Draft7), true)
            .expect("guidelint's own schema compiles")
    }

    /// Load a user's article schema from a JSON file.
    ///
    /// # Errors
    /// The file cannot be read, is not JSON, or is not a valid JSON Schema.
    pub fn article_from_file(path: &Path) -> Result<Self, ToolError> {
        let text = crate::input::read::read_text(path, crate::input::read::Kind::Schema)?;
        let schema: Value = serde_json::from_str(&text)
            .map_err(|e| ToolError::json_syntax(path, &text, &e, "schema"))?;
        Self::compile(schema, "an article").map_err(|message| ToolError::InvalidSchema {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Compile a schema.
    ///
    /// # Errors
    /// The schema is not valid, or refers to a document outside itself.
    pub fn compile(schema: Value, owner: &'static str) -> Result<Self, String> {
        Self::compile_as(schema, owner, None, true)
    }

    /// Compile a schema as `draft`, or as the draft it declares.
    fn compile_as(
        schema: Value,
        owner: &'static str,
        draft: Option<jsonschema::Draft>,
        by_hand: bool,
    ) -> Result<Self, String> {
        let mut options = jsonschema::options()
            .offline()
            .should_validate_formats(true)
            .with_pattern_options(PatternOptions::regex());
        if let Some(draft) = draft {
            options = options.with_draft(draft);
        }
        evaluation_paths(&schema)?;
        let mut root_keys = RootKeys::of(&schema).filter(|_| by_hand);
        let validator = match &root_keys {
            Some(_) => {
                let mut rest = schema.clone();
                if let Value::Object(top) = &mut rest {
                    top.remove("required");
                    top.remove("additionalProperties");
                }
                options.build(&rest)
            }
            None => options.build(&schema),
        }
        .map_err(|e| e.to_string())?;
        // Only an article schema can be the user's; it is guidelint's when it is the
        // built-in one.
        let builtin = owner != ARTICLE
            || draft.is_some()
            || serde_json::from_str::<Value>(BUILTIN_ARTICLE_SCHEMA).is_ok_and(|b| b == schema);
        let help: Table<Text> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .filter_map(|(name, p)| {
                        let description = p.get("description")?.as_str()?;
                        let help = concat(&["`", name, "`: ", description]);
                        Some((name.clone(), Text::bounded(&help)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Every name the top level declares or requires.
        let names = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys().map(String::as_str))
            .chain(
                schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
        let missing = names
            .map(|name| {
                let texts = Missing {
                    pointer: Text::shared(&concat(&["/", &escape(name)])),
                    message: Text::bounded(&concat(&["Missing required field `", name, "`"])),
                    label: Text::bounded(&concat(&["`", name, "` is required"])),
                    help: help.get(name).cloned(),
                };
                (name.to_string(), texts)
            })
            .collect::<Table<Missing>>();
        if let Some(keys) = &mut root_keys {
            keys.texts = (keys.required.iter())
                .map(|name| missing.get(name).cloned())
                .collect();
        }
        Ok(Self {
            validator,
            schema,
            owner,
            builtin,
            help,
            missing,
            unknown: std::sync::Mutex::default(),
            root_keys,
        })
    }

    /// The schema document.
    #[must_use]
    pub fn value(&self) -> &Value {
        &self.schema
    }

    /// The fields the document must have: the root's `required` names, in the schema's order.
    #[must_use]
    pub fn required_fields(&self) -> Vec<&str> {
        self.schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// What a key that is not a field of the document is, as a label: "not a field of an
    /// article" for guidelint's own schemas, and for a user's schema a phrase naming that
    /// schema (by its `title` when it has one), whose fields are the only ones that count.
    fn not_a_field(&self) -> String {
        if self.builtin {
            return format!("not a field of {}", self.owner);
        }
        match self.schema.get("title").and_then(Value::as_str) {
            Some(title) => format!("not a field of the schema `{title}`"),
            None => "not a field of the schema in use".to_string(),
        }
    }

    /// Validate a loaded front matter and place every error.
    #[must_use]
    pub fn validate(&self, tree: &YamlTree, anchors: Anchors) -> Vec<SchemaFinding> {
        self.validate_in(tree, "", anchors)
    }

    /// Validate the value at `prefix` (a JSON Pointer) of `tree`; findings carry pointers
    /// and spans in the whole tree.
    #[must_use]
    pub fn validate_in(
        &self,
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
    ) -> Vec<SchemaFinding> {
        let mut out = Vec::new();
        self.validate_each_in(tree, prefix, anchors, |f| out.push(f));
        out
    }

    /// [`Schema::validate`], handing each finding to `take` in order as it is worded: a
    /// mapping of junk can have hundreds of thousands of unknown keys, of which a report shows
    /// a thousand, and worded all at once they took hundreds of bytes each.
    pub fn validate_each(
        &self,
        tree: &YamlTree,
        anchors: Anchors,
        take: impl FnMut(SchemaFinding),
    ) {
        self.validate_each_in(tree, "", anchors, take);
    }

    fn validate_each_in(
        &self,
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
        mut take: impl FnMut(SchemaFinding),
    ) {
        // An empty block is an empty mapping, so that each missing field is named.
        let empty = Value::Object(serde_json::Map::new());
        let instance = match tree.value.pointer(prefix) {
            None | Some(Value::Null) => &empty,
            Some(v) => v,
        };
        // The top level's missing and unknown keys, when checked here.
        let (mut missing, mut unknown) = (Vec::new(), Vec::new());
        if let (Some(keys), Value::Object(mapping)) = (&self.root_keys, instance) {
            missing.extend(
                (keys.required.iter().enumerate())
                    .filter(|(_, name)| !mapping.contains_key(name.as_str()))
                    .map(|(i, name)| (name.as_str(), keys.texts.get(i).and_then(Option::as_ref))),
            );
            unknown.extend(
                (mapping.keys())
                    .filter(|key| !keys.known.contains_key(key.as_str()))
                    .map(String::as_str),
            );
        }
        // Most front matter is valid: the validator answers that without building errors.
        let valid = self.validator.is_valid(instance);
        if valid && missing.is_empty() && unknown.is_empty() {
            return;
        }
        let mut errors: Vec<ValidationError<'_>> = if valid {
            Vec::new()
        } else {
            self.validator.iter_errors(instance).collect()
        };
        // Report type errors before the others, then one finding per place.
        errors.sort_by_key(|e| u8::from(!matches!(e.kind(), ValidationErrorKind::Type { .. })));
        let mut placed = Vec::with_capacity(errors.len() + missing.len() + unknown.len());
        for error in &errors {
            self.place(error, tree, prefix, anchors, &mut placed);
        }
        // No error of the validator is at a missing or an unknown key's place (it knows no
        // rule about either), so their order among the errors does not matter.
        for (name, texts) in missing {
            let found = match texts.filter(|_| prefix.is_empty()) {
                Some(texts) => texts.finding(anchors.open),
                None => self.missing_field(name, "", tree, prefix, anchors),
            };
            placed.push(Placed::Worded(found));
        }
        if !unknown.is_empty() {
            let at = ("", "/additionalProperties");
            self.place_unknown(unknown.drain(..), at, tree, prefix, anchors, &mut placed);
        }
        // One finding per place: the first placed there. Told apart by pointer, sorted (as
        // pointers with their index, not the findings themselves) rather than copied into a set.
        // Missing and unknown keys found here are at places of their own.
        let mut keep = vec![true; placed.len()];
        if !errors.is_empty() {
            let mut by_pointer: Vec<(&str, usize)> = placed
                .iter()
                .enumerate()
                .map(|(i, p)| (p.pointer(), i))
                .collect();
            by_pointer.sort_unstable();
            for pair in by_pointer.windows(2) {
                if pair[0].0 == pair[1].0 {
                    keep[pair[1].1] = false;
                }
            }
        }
        // A misspelt field (`stages:`) is one problem, not two: keep the "unknown field, did
        // you mean `stage`?" finding and drop "missing required field `stage`".
        let suggested: HashSet<String> = placed
            .iter()
            .zip(&keep)
            .filter(|(_, kept)| **kept)
            .filter_map(|(p, _)| {
                let s = p.suggestion()?;
                Some(format!("{}/{}", parent(p.pointer()), escape(s)))
            })
            .collect();
        for (p, kept) in placed.iter().zip(&mut keep) {
            *kept = *kept && !(p.missing() && suggested.contains(p.pointer()));
        }
        // In place and pointer order: kept pointers are distinct, so the order is total.
        let mut order: Vec<(Span, &str, usize)> = placed
            .iter()
            .enumerate()
            .filter(|&(i, _)| keep[i])
            .map(|(i, p)| (p.span(), p.pointer(), i))
            .collect();
        order.sort_unstable();
        let order: Vec<usize> = order.into_iter().map(|(_, _, i)| i).collect();
        let mut slots: Vec<Option<Placed>> = placed.into_iter().map(Some).collect();
        for i in order {
            if let Some(p) = slots[i].take() {
                take(p.word());
            }
        }
    }

    /// Place the findings of `error` in `out`.
    fn place(
        &self,
        error: &ValidationError<'_>,
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
        out: &mut Vec<Placed>,
    ) {
        let (ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected }) = error.kind()
        else {
            let worded = self.place_one(error, tree, prefix, anchors);
            out.push(Placed::Worded(worded));
            return;
        };
        let keys = unexpected.iter().map(String::as_str);
        let at = (error.instance_path().as_str(), error.schema_path().as_str());
        self.place_unknown(keys, at, tree, prefix, anchors, out);
    }

    /// Place the findings of the unknown keys `keys` of the mapping at `relative`, forbidden
    /// by the schema at `schema_path` (`at`), in `out`.
    fn place_unknown<'k>(
        &self,
        keys: impl ExactSizeIterator<Item = &'k str>,
        (relative, schema_path): (&str, &str),
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
        out: &mut Vec<Placed>,
    ) {
        let pointer = joined(prefix, relative);
        let value_span = tree.locate(&pointer).map_or(anchors.open, |(_, s)| s.value);
        let words = self.unknown_words(schema_path);
        out.reserve(keys.len());
        // Each key is compared with every known name: a budget per error, so that a schema of
        // many properties and an article of many unknown keys cannot multiply into minutes.
        let mut budget = SUGGESTION_COMPARISONS;
        for key in keys {
            let suggest = budget >= words.names.len();
            if suggest {
                budget -= words.names.len();
            }
            let said = words.key(key, suggest);
            // At the top, the key's pointer is its segment, made once per key.
            let child: Text = if pointer.is_empty() {
                said.segment.clone()
            } else {
                concat(&[&pointer, &said.segment]).into()
            };
            let span = tree
                .spans
                .get(&child)
                .and_then(|s| s.key)
                .unwrap_or(value_span);
            out.push(Placed::Unknown {
                span,
                pointer: child,
                key: said,
                label: words.label.clone(),
            });
        }
    }

    /// The finding of the field `name` missing from the mapping at `relative`: the most
    /// common of all (every field an article lacks), worded without what the others need (the
    /// value's place and name, the field's help).
    fn missing_field(
        &self,
        name: &str,
        relative: &str,
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
    ) -> SchemaFinding {
        let pointer = joined(prefix, relative);
        let span = if relative.is_empty() && prefix.is_empty() {
            anchors.open
        } else {
            tree.locate(&pointer)
                .map_or(anchors.open, |(_, s)| s.key.unwrap_or(s.value))
        };
        // At the top, with the texts made once.
        if let Some(texts) = self.missing.get(name).filter(|_| pointer.is_empty()) {
            return texts.finding(span);
        }
        // The field's help is that of the top-level field it is in: its own at the top.
        let help = if relative.is_empty() {
            self.help.get(name).cloned()
        } else {
            self.field_help(relative)
        };
        SchemaFinding {
            span,
            help,
            pointer: concat(&[&pointer, "/", &escape(name)]).into(),
            message: concat(&["Missing required field `", name, "`"]).into(),
            label: concat(&["`", name, "` is required"]).into(),
            suggestion: None,
            missing: true,
        }
    }

    /// The finding of an error other than unknown keys.
    fn place_one(
        &self,
        error: &ValidationError<'_>,
        tree: &YamlTree,
        prefix: &str,
        anchors: Anchors,
    ) -> SchemaFinding {
        // `relative` is the pointer inside the validated value; `pointer` in the whole tree.
        let relative = error.instance_path().as_str();
        if let ValidationErrorKind::Required { property } = error.kind() {
            let name: std::borrow::Cow<'_, str> = property
                .as_str()
                .map_or_else(|| property.to_string().into(), Into::into);
            return self.missing_field(&name, relative, tree, prefix, anchors);
        }
        let pointer = joined(prefix, relative);
        let instance = error.instance();
        let value_span = tree.locate(&pointer).map_or(anchors.open, |(_, s)| s.value);
        let field = subject(&pointer);
        let help = self.field_help(relative);
        let single = |message: String, label: &str, help: Option<Text>| SchemaFinding {
            span: value_span,
            pointer: pointer.to_string().into(),
            message: message.into(),
            label: label.to_string().into(),
            help,
            suggestion: None,
            missing: false,
        };
        match error.kind() {
            ValidationErrorKind::Type { kind } => {
                let expected = self
                    .subschema(error.schema_path().as_str(), 1)
                    .and_then(|s| s.get(EXPECTED_KEYWORD))
                    .and_then(Value::as_str)
                    .map_or_else(|| expected_types(kind), str::to_string);
                let found = describe(instance);
                let help = if matches!(kind, TypeKind::Single(jsonschema::JsonType::Array)) {
                    match instance.as_ref() {
                        Value::String(s) => Some(format!("Write it as a list: `[{s}]`").into()),
                        _ => help,
                    }
                } else {
                    help
                };
                single(
                    format!("{field} should be {expected}, found {found}"),
                    &format!("expected {expected}"),
                    help,
                )
            }
            ValidationErrorKind::MinLength { limit } | ValidationErrorKind::MaxLength { limit } => {
                let n = instance.as_str().map_or(0, |s| s.chars().count());
                let (what, bound) = if matches!(error.kind(), ValidationErrorKind::MinLength { .. })
                {
                    ("too short", "at least")
                } else {
                    ("too long", "at most")
                };
                let message = if n == 0 {
                    format!("{field} is empty")
                } else {
                    format!("{field} is {what}: {n} {}", plural(n, "character"))
                };
                single(
                    message,
                    &format!(
                        "{bound} {limit} {} expected",
                        plural_u64(*limit, "character")
                    ),
                    help,
                )
            }
            ValidationErrorKind::MinItems { limit } | ValidationErrorKind::MaxItems { limit } => {
                let n = instance.as_array().map_or(0, Vec::len);
                let bound = if matches!(error.kind(), ValidationErrorKind::MinItems { .. }) {
                    "at least"
                } else {
                    "at most"
                };
                let message = if n == 0 {
                    format!("{field} is an empty list")
                } else {
                    format!("{field} has {n} {}", plural(n, "entry"))
                };
                single(
                    message,
                    &format!("{bound} {limit} {} expected", plural_u64(*limit, "entry")),
                    help,
                )
            }
            ValidationErrorKind::Pattern { .. } => single(
                format!("{field} has an unexpected form: {}", describe(instance)),
                "does not match the expected form",
                help,
            ),
            ValidationErrorKind::Format { format } => single(
                format!("{field} is not a valid {format}: {}", describe(instance)),
                &format!("not a valid {format}"),
                help,
            ),
            ValidationErrorKind::Enum { options } => {
                let allowed = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|v| format!("`{}`", plain(v)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                single(
                    format!(
                        "{field} has a value that is not allowed: {}",
                        describe(instance)
                    ),
                    "not an allowed value",
                    Some(format!("Allowed values: {allowed}").into()),
                )
            }
            ValidationErrorKind::Not { .. } => {
                let why = self
                    .subschema(error.schema_path().as_str(), 1)
                    .and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or("it is not allowed here");
                single(
                    format!("{field} cannot be set: {why}"),
                    "remove this setting",
                    help,
                )
            }
            ValidationErrorKind::Constant { expected_value } => single(
                format!(
                    "{field} should be `{}`, found {}",
                    plain(expected_value),
                    describe(instance)
                ),
                "not the expected value",
                help,
            ),
            _ => single(
                format!("{field} is not valid: {error}"),
                "does not match the schema",
                help,
            ),
        }
    }

    /// The (sub)schema at `schema_path` with its last `drop` segments removed, following
    /// local `$ref`s.
    fn subschema(&self, schema_path: &str, drop: usize) -> Option<&Value> {
        let segments: Vec<&str> = schema_path.split('/').skip(1).collect();
        let keep = segments.len().checked_sub(drop)?;
        let mut current = &self.schema;
        for seg in &segments[..keep] {
            let seg = unescape(seg);
            if seg == "$ref" {
                let target = current.get("$ref")?.as_str()?.strip_prefix('#')?;
                current = self.schema.pointer(target)?;
                continue;
            }
            current = match current {
                Value::Object(o) => o.get(seg.as_ref())?,
                Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// Property names declared next to the `additionalProperties` keyword that failed.
    /// What is said of the unknown keys of an error at `schema_path` (see [`UnknownWords`]).
    fn unknown_words(&self, schema_path: &str) -> Arc<UnknownWords> {
        let mut made = self.unknown.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(words) = made.get(schema_path) {
            return Arc::clone(words);
        }
        let parent_schema = self.subschema(schema_path, 1);
        let known = self.known_properties(schema_path);
        let noun = parent_schema
            .and_then(|s| s.get(KEY_NOUN_KEYWORD))
            .and_then(Value::as_str)
            .unwrap_or("field");
        let words = Arc::new(UnknownWords {
            message: format!("Unknown {noun} `"),
            label: Text::bounded(&if noun == "field" {
                self.not_a_field()
            } else {
                format!("not a known {noun}")
            }),
            known: (!known.is_empty()).then(|| {
                let mut listed = known
                    .iter()
                    .take(KNOWN_LISTED)
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if known.len() > KNOWN_LISTED {
                    listed.push_str(&format!(" and {} more", known.len() - KNOWN_LISTED));
                }
                Text::bounded(&format!("Known {noun}s: {listed}"))
            }),
            names: known
                .into_iter()
                .map(|k| {
                    let folded = suggest::folded(&k);
                    (k, folded)
                })
                .collect(),
            suggested: std::sync::Mutex::default(),
        });
        // Schema paths come from the schema, not the article: the map stays small.
        made.insert(schema_path.to_string(), Arc::clone(&words));
        words
    }

    fn known_properties(&self, schema_path: &str) -> Vec<String> {
        self.subschema(schema_path, 1)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The `description` of the top-level property a pointer is in, as a help line.
    fn field_help(&self, pointer: &str) -> Option<Text> {
        let top = pointer.split('/').nth(1)?;
        self.help.get(unescape(top).as_ref()).cloned()
    }
}

/// The texts one after the other (what `format!` makes of them, at a fraction of its cost:
/// schema errors are worded by the thousand on a guide that does not follow the schema).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `prefix` then `rest`: borrowed when there is no prefix (the top of the front matter).
fn joined<'a>(prefix: &str, rest: &'a str) -> std::borrow::Cow<'a, str> {
    if prefix.is_empty() {
        rest.into()
    } else {
        concat(&[prefix, rest]).into()
    }
}

fn parent(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |i| &pointer[..i])
}

/// `key` as one segment of a JSON Pointer (`~` and `/` escaped); borrowed when neither is in
/// it (nearly always).
fn escape(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains(['~', '/']) {
        key.replace('~', "~0").replace('/', "~1").into()
    } else {
        key.into()
    }
}

/// A JSON Pointer segment unescaped; borrowed when it has no escape.
fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// How a message names a value: `` `stage[0]` `` for `/stage/0`, `` `a.b` `` for `/a/b`,
/// "Front matter" for the root.
fn subject(pointer: &str) -> String {
    if pointer.is_empty() {
        "Front matter".into()
    } else {
        format!("`{}`", display_path(pointer))
    }
}

/// `/stage/0` -> `stage[0]`, `/a/b` -> `a.b`.
fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = unescape(seg);
        if seg.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How a value is named in a message: "the string `mixing`", "a list", "nothing".
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (an empty value)".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => {
            let shown: String = s.chars().take(60).collect();
            let more = if s.chars().count() > 60 { "…" } else { "" };
            format!("the string `{shown}{more}`")
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

fn type_name(t: jsonschema::JsonType) -> &'static str {
    use jsonschema::JsonType as T;
    match t {
        T::Array => "a list",
        T::Boolean => "`true` or `false`",
        T::Integer => "a whole number",
        T::Null => "empty",
        T::Number => "a number",
        T::Object => "a mapping of fields",
        T::String => "text",
    }
}

fn expected_types(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => type_name(*t).into(),
        TypeKind::Multiple(set) => {
            let names: Vec<&str> = set.iter().map(type_name).collect();
            names.join(" or ")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    plural_u64(n as u64, word)
}

fn plural_u64(n: u64, word: &str) -> String {
    match (n, word) {
        (1, w) => w.to_string(),
        (_, "entry") => "entries".into(),
        (_, w) => format!("{w}s"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::input::yaml;

    fn findings(src: &str) -> Vec<SchemaFinding> {
        let tree = yaml::load(src, 4, 2).unwrap();
        Schema::article().validate(
            &tree,
            Anchors {
                open: Span::new(0, 3),
            },
        )
    }

    /// Objects holding a `$ref` with a keyword beside it that is not an annotation.
    pub(crate) fn refs_with_siblings(value: &Value, at: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    for key in map.keys() {
                        let annotation = matches!(key.as_str(), "$ref" | "description" | "title")
                            || key.starts_with("x-");
                        if !annotation {
                            out.push(format!("{at}/{key}"));
                        }
                    }
                }
                for (key, v) in map {
                    refs_with_siblings(v, &format!("{at}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    refs_with_siblings(v, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn own_schemas_mean_the_same_in_draft_7_as_in_draft_2020_12() {
        // `Schema::own` checks them against draft 7's meta-schema: a keyword beside `$ref`
        // would be ignored there, and applied in 2020-12.
        let own = [
            (
                "article",
                serde_json::from_str(BUILTIN_ARTICLE_SCHEMA).unwrap(),
            ),
            ("taxonomy", serde_json::from_str(TAXONOMY_SCHEMA).unwrap()),
        ];
        for (name, schema) in own {
            let mut found = Vec::new();
            refs_with_siblings(&schema, "", &mut found);
            assert!(found.is_empty(), "{name} schema: {found:?}");
            // Valid in the draft it declares too.
            Schema::compile(schema, "an article").unwrap_or_else(|e| panic!("{name} schema: {e}"));
        }
    }

    #[test]
    fn a_schema_whose_references_branch_exponentially_is_refused() {
        // Each definition an `anyOf` of two references to the next: 2^40 paths in 3 KB.
        let mut defs = serde_json::Map::new();
        for i in 0..40 {
            let next = serde_json::json!({"$ref": format!("#/$defs/d{}", i + 1)});
            defs.insert(
                format!("d{i}"),
                serde_json::json!({"anyOf": [next.clone(), next]}),
            );
        }
        defs.insert("d40".into(), serde_json::json!({"type": "integer"}));
        let schema = serde_json::json!({
            "$defs": defs, "type": "object",
            "properties": {"title": {"$ref": "#/$defs/d0"}}
        });
        let error = Schema::compile(schema, "an article").err().unwrap();
        assert!(error.contains("more than 10000 subschemas"), "{error}");
        // A reference that comes back to itself without descending into the value.
        let looping = serde_json::json!({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"});
        let error = Schema::compile(looping, "an article").err().unwrap();
        assert!(error.contains("leads back to itself"), "{error}");
    }

    #[test]
    fn recursive_and_shared_definitions_are_accepted() {
        // A tree: the recursion descends into the value at each step.
        let tree = serde_json::json!({
            "$defs": {"node": {"type": "object", "properties": {
                "name": {"$ref": "#/$defs/name"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}
            }}, "name": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
            "$ref": "#/$defs/node"
        });
        assert!(evaluation_paths(&tree).unwrap() < 20);
        assert!(Schema::compile(tree, "an article").is_ok());
        for (name, text) in [
            ("article", BUILTIN_ARTICLE_SCHEMA),
            ("taxonomy", TAXONOMY_SCHEMA),
        ] {
            let paths = evaluation_paths(&serde_json::from_str(text).unwrap()).unwrap();
            assert!(paths < 1_000, "{name}: {paths}");
        }
    }

    #[test]
    fn unknown_keys_against_a_schema_of_many_fields_are_bounded() {
        let properties: serde_json::Map<String, Value> = (0..5_000)
            .map(|i| (format!("f{i:05}"), serde_json::json!({})))
            .collect();
        let schema = Schema::compile(
            serde_json::json!({"type": "object", "additionalProperties": false, "properties": properties}),
            "an article",
        )
        .unwrap();
        let yaml: String = (0..100).map(|i| format!("f{i:05}x: 1\n")).collect();
        let tree = yaml::load(&yaml, 4, 2).unwrap();
        let found = schema.validate(
            &tree,
            Anchors {
                open: Span::new(0, 3),
            },
        );
        assert_eq!(found.len(), 100);
        // The help of a key without a suggestion lists 50 names and counts the others.
        let help = found[99].help.as_deref().unwrap();
        assert!(help.ends_with("and 4950 more"), "{help}");
        assert_eq!(help.matches('`').count(), 100);
        // 100,000 comparisons: 20 keys of 5,000 names get a suggestion, the rest none.
        let suggested = found.iter().filter(|f| f.suggestion.is_some()).count();
        assert_eq!(suggested, 20);
        assert_eq!(found[0].suggestion.as_deref(), Some("f00000"));
    }

    const VALID: &str = "title: Mixing vocals\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n";

    #[test]
    fn an_unknown_field_is_labelled_by_the_schema_in_force() {
        let tree = yaml::load("layout: post\ngenre: [all]\n", 4, 2).unwrap();
        let label = |schema: Value| {
            let schema = Schema::compile(schema, "an article").unwrap();
            let found = schema.validate(
                &tree,
                Anchors {
                    open: Span::new(0, 3),
                },
            );
            assert_eq!(found.len(), 1, "{found:?}");
            found[0].label.clone()
        };
        let bare = serde_json::json!({
            "type": "object", "additionalProperties": false,
            "properties": {"layout": {"type": "string"}}
        });
        assert_eq!(label(bare.clone()), "not a field of the schema in use");
        let mut titled = bare;
        titled["title"] = "Jekyll post".into();
        assert_eq!(label(titled), "not a field of the schema `Jekyll post`");
        // guidelint's own article schema still speaks of an article.
        let found = Schema::article().validate(
            &tree,
            Anchors {
                open: Span::new(0, 3),
            },
        );
        let layout = found.iter().find(|f| f.pointer == "/layout").unwrap();
        assert_eq!(layout.label, "not a field of an article");
        assert_eq!(
            Schema::article().required_fields(),
            [
                "title",
                "description",
                "genre",
                "stage",
                "instrument",
                "level"
            ]
        );
    }

    #[test]
    fn a_complete_article_is_valid() {
        assert_eq!(findings(VALID), []);
        let with_optionals = format!(
            "{VALID}yt_video:\ndate: 2024-02-29\ndraft: false\nslug: mixing-vocals\nauthors: [Ana]\nweight: 3\n"
        );
        assert_eq!(findings(&with_optionals), []);
    }

    #[test]
    fn a_string_instead_of_a_list_is_placed_on_the_value() {
        let src = VALID.replace("stage: [mixing]", "stage: mixing");
        let f = findings(&src);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "`stage` should be a list of tags, found the string `mixing`"
        );
        let at = src.find("mixing\n").unwrap() + 4;
        assert_eq!(f[0].span, Span::new(at, at + 6));
        assert_eq!(f[0].help.as_deref(), Some("Write it as a list: `[mixing]`"));
    }

    #[test]
    fn unknown_keys_are_placed_on_the_key_with_a_suggestion() {
        let src = VALID.replace("stage:", "stages:");
        let f = findings(&src);
        let unknown = f.iter().find(|f| f.pointer == "/stages").unwrap();
        let at = src.find("stages").unwrap() + 4;
        assert_eq!(unknown.span, Span::new(at, at + 6));
        assert_eq!(unknown.help.as_deref(), Some("Did you mean `stage`?"));
        // The misspelling is one problem: no second finding about the missing `stage`.
        assert_eq!(f.len(), 1, "{f:?}");
        let src = VALID.replace("stage: [mixing]\n", "");
        let missing = findings(&src);
        assert_eq!(missing[0].span, Span::new(0, 3));
        assert_eq!(missing[0].message, "Missing required field `stage`");
    }

    #[test]
    fn lengths_formats_and_patterns() {
        let src = VALID.replace("Mixing vocals", "Mx") + "date: 2024-02-30\nslug: Mixing Vocals\n";
        let f = findings(&src);
        let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`title` is too short: 2 characters",
                "`date` is not a valid date: the string `2024-02-30`",
                "`slug` has an unexpected form: the string `Mixing Vocals`",
            ]
        );
    }

    #[test]
    fn empty_front_matter_names_every_missing_field() {
        let f = findings("");
        assert_eq!(f.len(), 6);
        assert!(f.iter().all(|f| f.span == Span::new(0, 3)));
    }

    #[test]
    fn one_finding_per_value() {
        let src = VALID.to_string() + "date: 24-1-1\n";
        let f = findings(&src);
        assert_eq!(f.len(), 1, "{f:?}");
    }

    /// A schema of a few required and known keys, with a noun for its keys.
    const KEYED: &str = r##"{
        "type": "object",
        "x-key-noun": "setting",
        "required": ["a", "b~c", "d/e"],
        "additionalProperties": false,
        "properties": {
            "a": {"type": "string", "minLength": 2},
            "b~c": {"type": "array", "items": {"enum": ["x", "y"]}},
            "d/e": {"$ref": "#/$defs/n"},
            "f": {"type": "object", "required": ["g"], "additionalProperties": false,
                  "properties": {"g": {"type": "integer"}}}
        },
        "$defs": {"n": {"type": "integer", "maximum": 3}}
    }"##;

    proptest::proptest! {
        /// Missing and unknown top-level keys checked by hand give the findings the validator
        /// gives when it checks them itself, among every other error, in the same order.
        #[test]
        fn top_level_keys_checked_by_hand_are_found_as_the_validator_finds_them(
            entries in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "title", "description", "genre", "stage", "stages", "instrument",
                        "level", "yt_video", "date", "draft", "slug", "authors", "weight",
                        "titel", "categories", "a", "b~c", "d/e", "f", "\u{e9}", "x y",
                    ]),
                    proptest::sample::select(vec![
                        "Mixing vocals with care", "x", "[mixing]", "[all, mixing]", "[]",
                        "3", "-1", "true", "2024-01-01", "{g: 1}", "{g: x, h: 2}", "[x, z]",
                        "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "null", "~",
                    ]),
                ),
                0..9,
            ),
            keyed in proptest::bool::ANY,
        ) {
            let mut yaml = String::new();
            let mut seen = HashSet::new();
            for (key, value) in &entries {
                if seen.insert(*key) {
                    yaml.push_str(&format!("\"{key}\": {value}\n"));
                }
            }
            let schema: Value = if keyed {
                serde_json::from_str(KEYED).unwrap()
            } else {
                serde_json::from_str(BUILTIN_ARTICLE_SCHEMA).unwrap()
            };
            let by_hand = Schema::compile_as(schema.clone(), ARTICLE, None, true).unwrap();
            let whole = Schema::compile_as(schema, ARTICLE, None, false).unwrap();
            proptest::prop_assert!(by_hand.root_keys.is_some() && whole.root_keys.is_none());
            let Ok(tree) = yaml::load(&yaml, 4, 2) else {
                return Ok(());
            };
            let anchors = Anchors { open: Span::new(0, 3) };
            proptest::prop_assert_eq!(
                by_hand.validate(&tree, anchors),
                whole.validate(&tree, anchors),
                "{}", yaml
            );
        }
    }

    #[test]
    fn top_level_keys_are_left_to_the_validator_when_other_keywords_bear_on_them() {
        let keys = |extra: &str| {
            let text = format!(r#"{{"required": ["a"], "additionalProperties": false{extra}}}"#);
            RootKeys::of(&serde_json::from_str(&text).unwrap()).is_some()
        };
        assert!(!keys(""));
        assert!(keys(r#", "properties": {}"#));
        assert!(keys(
            r#", "properties": {"a": {}}, "x-key-noun": "rule", "title": "t""#
        ));
        assert!(!keys(r#", "patternProperties": {"^x": {}}"#));
        assert!(!keys(r#", "allOf": [{"required": ["b"]}]"#));
        assert!(!keys(r#", "unevaluatedProperties": false"#));
        assert!(!keys(r##", "$ref": "#/$defs/x""##));
        let not = |text: &str| RootKeys::of(&serde_json::from_str(text).unwrap()).is_none();
        assert!(not(
            r#"{"required": ["a"], "additionalProperties": {"type": "string"}}"#
        ));
        assert!(not(r#"{"required": [], "additionalProperties": false}"#));
        assert!(not(
            r#"{"required": ["a", "a"], "additionalProperties": false}"#
        ));
        assert!(not(r#"{"required": [1], "additionalProperties": false}"#));
    }

    /// Schemas whose top-level keys cannot be checked apart from the validator (found by
    /// trying): a reference back to the top level, by `#`, by `$id` or through `$defs`, or to
    /// a keyword left out; `additionalProperties: false` without `properties`. Each gives
    /// the findings the validator gives.
    #[test]
    fn top_level_keys_referred_to_from_elsewhere_are_left_to_the_validator() {
        let schemas = [
            r##"{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{},"sub":{"$ref":"#"}}}"##,
            r##"{"$id":"https://example.com/s","type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{},"sub":{"$ref":"https://example.com/s"}}}"##,
            r##"{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{},"sub":{"$ref":"#/$defs/n"}},"$defs":{"n":{"$ref":"#"}}}"##,
            r##"{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{},"x":{"$ref":"#/additionalProperties"}}}"##,
            r##"{"type":"object","required":["a"],"additionalProperties":false}"##,
            r##"{"additionalProperties":false}"##,
        ];
        for text in schemas {
            let schema: Value = serde_json::from_str(text).unwrap();
            assert!(RootKeys::of(&schema).is_none(), "{text}");
            let by_hand = Schema::compile_as(schema.clone(), ARTICLE, None, true);
            let whole = Schema::compile_as(schema, ARTICLE, None, false);
            let (by_hand, whole) = (by_hand.unwrap(), whole.unwrap());
            for yaml in [
                "a: 1\nsub:\n  zzz: 1\n",
                "x: 1\ny: [1]\n",
                "a: 1\nx: 2\n",
                "",
            ] {
                let tree = yaml::load(yaml, 4, 2).unwrap();
                let anchors = Anchors {
                    open: Span::new(0, 3),
                };
                assert_eq!(
                    by_hand.validate(&tree, anchors),
                    whole.validate(&tree, anchors)
                );
            }
        }
    }
}
