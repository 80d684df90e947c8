//! The canonical taxonomy: facets (front matter fields holding tags), their terms in
//! canonical order, aliases, and the phase -> stage hierarchy.
//!
//! One source read by the tag rules, the stage-aware heading rules, `guidelint schema` and
//! the docs. The default is `schemas/taxonomy.yml`, embedded; a user file replaces it, or
//! extends it with `extends: default`. Loading goes through the span-aware YAML path and the
//! taxonomy JSON Schema, so every mistake in a taxonomy file is reported at its position.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::base::error::{FileProblem, ToolError};
use crate::base::span::Span;
use crate::base::suggest::Dictionary;
use crate::input::schema::{Schema, TAXONOMY_SCHEMA};

/// The built-in taxonomy.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../schemas/taxonomy.yml");

/// The facet whose terms name the stages of production, used by the heading rules.
pub const STAGE_FACET: &str = "stage";

/// Normalise a tag or heading for lookup: trim, lowercase, drop apostrophes, and turn runs of
/// spaces, underscores and hyphens into one hyphen.
#[must_use]
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// The hash of the spelling -> term tables: a multiply-rotate step per key, over the key's
/// bytes read as at most two words when it is 16 bytes or shorter (nearly every spelling),
/// else over the cache's [`file_hash`](crate::base::hash::file_hash) of it; far cheaper than the
/// default SipHash for the short keys looked up for every tag and heading.
/// It has no secret seed, which is safe here: the tables are built from the taxonomy, which
/// the repository's own maintainers write, and are a few hundred entries long; texts from
/// articles are only looked up, which cannot make a table's chains longer.
#[derive(Default)]
pub(crate) struct TermHasher(u64);

/// The odd multiplier of [`TermHasher`]'s steps.
const TERM_HASH_K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let word = |b: &[u8]| b.iter().rev().fold(0u64, |w, &x| (w << 8) | u64::from(x));
        let n = bytes.len();
        // Every byte is read (two words may overlap); the length is hashed apart.
        let mixed = match n {
            0..=8 => word(bytes),
            9..=16 => word(&bytes[..8]) ^ word(&bytes[n - 8..]).rotate_left(29),
            _ => crate::base::hash::file_hash(bytes),
        };
        self.0 = (self.0.rotate_left(5) ^ mixed).wrapping_mul(TERM_HASH_K);
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(TERM_HASH_K);
    }

    /// The length a byte slice's hash starts with: one step, like a byte.
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(TERM_HASH_K);
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its bucket from the low bits and its tag from the top seven: mix
        // the high bits of the product down.
        self.0 ^ (self.0 >> 29)
    }
}

/// Longest text (in bytes, trimmed) normalised on the stack.
const SHORT: usize = 64;

/// Look `text` up by its [`normalize`]d form, without allocating for it (one buffer per
/// thread is reused).
fn with_normalized<T>(text: &str, look: impl FnOnce(&[u8]) -> T) -> T {
    // Tags and headings are nearly always short ASCII: normalised on the stack, byte by byte.
    let trimmed = crate::base::text::trim(text);
    if trimmed.len() <= SHORT && trimmed.is_ascii() {
        let mut buf = [0u8; SHORT];
        // Each hyphen written stands for at least one skipped byte: never more than the input.
        let mut n = 0;
        let mut gap = false;
        for &b in trimmed.as_bytes() {
            match b {
                b'\'' | b'`' => {}
                b' ' | b'_' | b'-' | b'\t' => gap = true,
                _ => {
                    if gap && n > 0 {
                        buf[n] = b'-';
                        n += 1;
                    }
                    gap = false;
                    buf[n] = b.to_ascii_lowercase();
                    n += 1;
                }
            }
        }
        return look(&buf[..n]);
    }
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            normalize_into(text, &mut buffer);
            look(buffer.as_bytes())
        }
        // Only if `look` itself normalized again: fall back to a fresh string.
        Err(_) => look(normalize(text).as_bytes()),
    })
}

/// [`normalize`] into `out` (appended).
fn normalize_into(text: &str, out: &mut String) {
    let mut gap = false;
    for c in text.trim().chars() {
        match c {
            '\'' | '’' | '‘' | '`' => {}
            ' ' | '_' | '-' | '\t' => gap = true,
            c => {
                if gap && !out.is_empty() {
                    out.push('-');
                }
                gap = false;
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
}

/// One term of a facet.
#[derive(Clone, Debug)]
pub struct Term {
    /// The slug written in front matter.
    pub id: String,
    /// How a heading names it.
    pub label: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Whether it cannot be combined with other terms.
    pub exclusive: bool,
    /// Index of the parent term in [`Facet::terms`].
    pub parent: Option<usize>,
    /// 0 for top-level terms (phases), 1 for their children (stages), …
    pub depth: usize,
    /// JSON Pointer of the term in the file it was loaded from; `None` for a built-in term
    /// inherited with `extends: default`.
    source: Option<String>,
    /// Index just past the term's descendants in [`Facet::terms`] (which lists each term's
    /// descendants right after it): ancestry in one comparison, however deep the hierarchy.
    end: usize,
}

/// A front matter field holding tags.
#[derive(Clone, Debug)]
pub struct Facet {
    /// The field name, e.g. `stage`.
    pub name: String,
    /// The JSON Pointer of the field in front matter, e.g. `/stage`.
    pub pointer: String,
    /// The most values an article may give.
    pub max: Option<usize>,
    /// Terms in canonical order (a parent before its children).
    pub terms: Vec<Term>,
    /// Normalised id, label or alias -> (term index, how it matched).
    lookup: HashMap<Box<[u8]>, (usize, Via), BuildHasherDefault<TermHasher>>,
    /// The normalised ids and aliases, for suggestions: made on first use, once per run.
    dictionary: OnceLock<Dictionary>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    Id,
    Label,
    Alias,
}

/// How a written value relates to the taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Exactly a term's id.
    Canonical(usize),
    /// A case, spacing or alias variant of a term.
    Variant(usize),
    /// Not a term.
    Unknown,
}

impl Facet {
    /// Classify a written tag value.
    #[must_use]
    pub fn classify(&self, value: &str) -> Match {
        match with_normalized(value, |key| self.lookup.get(key).copied()) {
            Some((i, _)) if self.terms[i].id == value => Match::Canonical(i),
            Some((i, _)) => Match::Variant(i),
            None => Match::Unknown,
        }
    }

    /// The term a heading names, if any, and whether it names it by its label (or id) rather
    /// than by an alias.
    #[must_use]
    ///
    /// Exclusive terms (`general`, `all`) are catch-alls, not stages: headings never name
    /// them.
    pub fn heading_term(&self, text: &str) -> Option<(usize, bool)> {
        with_normalized(text, |key| self.lookup.get(key).copied())
            .filter(|&(i, _)| !self.terms[i].exclusive)
            .map(|(i, via)| (i, via != Via::Alias))
    }

    /// The normalised ids and aliases (with their terms), for "did you mean" suggestions.
    #[must_use]
    pub fn dictionary(&self) -> &Dictionary {
        self.dictionary
            .get_or_init(|| Dictionary::new(self.spellings().map(|(s, i)| (normalize(s), i))))
    }

    /// Ids and aliases, for "did you mean" suggestions.
    pub fn spellings(&self) -> impl Iterator<Item = (&str, usize)> {
        self.terms.iter().enumerate().flat_map(|(i, t)| {
            std::iter::once((t.id.as_str(), i))
                .chain(t.aliases.iter().map(move |a| (a.as_str(), i)))
        })
    }

    /// Whether term `a` is `b` or one of its ancestors.
    #[must_use]
    pub fn is_ancestor_or_self(&self, a: usize, b: usize) -> bool {
        a <= b && b < self.terms[a].end
    }

    /// Whether term `t` is the parent of some term.
    #[must_use]
    pub fn has_children(&self, t: usize) -> bool {
        self.terms[t].end > t + 1
    }
}

/// The whole taxonomy.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    /// Facets in file order.
    pub facets: Vec<Facet>,
}

#[derive(Deserialize)]
struct RawTaxonomy {
    extends: Option<String>,
    facets: indexmap_lite::OrderedMap<RawFacet>,
}

#[derive(Deserialize)]
struct RawFacet {
    max: Option<usize>,
    #[serde(default)]
    terms: Vec<RawTerm>,
}

#[derive(Deserialize)]
struct RawTerm {
    id: String,
    label: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    exclusive: bool,
    parent: Option<String>,
    #[serde(default)]
    children: Vec<RawTerm>,
}

/// serde_json's map sorts keys; facet order matters (it is the order of `guidelint rules`
/// output and of the schema), so read the mapping as a list of entries in file order.
mod indexmap_lite {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

    pub(super) struct OrderedMap<V>(pub Vec<(String, V)>);

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V2<V>(std::marker::PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
                type Value = OrderedMap<V>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a mapping")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry()? {
                        out.push((k, v));
                    }
                    Ok(OrderedMap(out))
                }
            }
            d.deserialize_map(V2(std::marker::PhantomData))
        }
    }
}

impl Taxonomy {
    /// The built-in taxonomy.
    ///
    /// # Panics
    /// If the embedded taxonomy is invalid; a test loads it.
    #[must_use]
    pub fn builtin() -> Self {
        // Not checked against the taxonomy schema on every run: a test does it once.
        let loaded = crate::input::loaded::Loaded::parse(
            DEFAULT_TAXONOMY,
            Path::new("<built-in taxonomy>"),
            "taxonomy",
        )
        .expect("the built-in taxonomy is YAML");
        Self::from_loaded(&loaded).expect("the built-in taxonomy is valid")
    }

    /// Everything the taxonomy says, as text (its lookup tables follow from it): for the
    /// result cache's key.
    #[must_use]
    pub fn key_text(&self) -> String {
        let mut out = String::new();
        for f in &self.facets {
            out.push_str(&format!("{}|{:?}\n", f.name, f.max));
            for t in &f.terms {
                out.push_str(&format!(
                    "  {}|{}|{:?}|{}|{:?}\n",
                    t.id, t.label, t.aliases, t.exclusive, t.parent
                ));
            }
        }
        out
    }

    /// Load a taxonomy file.
    ///
    /// # Errors
    /// Unreadable, not YAML, not matching the taxonomy schema, or contradicting itself.
    pub fn from_file(path: &Path) -> Result<Self, ToolError> {
        let text = crate::input::read::read_text(path, crate::input::read::Kind::Taxonomy)?;
        Self::parse(&text, path)
    }

    /// Load a taxonomy given inline in a configuration file, at `pointer` of `tree`.
    ///
    /// # Errors
    /// As [`Taxonomy::from_file`], reported in the configuration file.
    pub fn from_inline(
        value: &Value,
        config: &crate::input::loaded::Loaded,
        pointer: &str,
    ) -> Result<Self, ToolError> {
        let schema = Schema::builtin(TAXONOMY_SCHEMA, "a taxonomy");
        config.validate_at(value, pointer, &schema)?;
        let raw = RawTaxonomy::deserialize(value)
            .map_err(|e| config.problem(pointer, format!("Invalid taxonomy: {e}")))?;
        Self::build(
            raw,
            |p| config.span_of(&format!("{pointer}{p}")),
            &config.path,
            &config.text,
        )
    }

    /// Load taxonomy text; `path` names it in errors.
    ///
    /// # Errors
    /// As [`Taxonomy::from_file`].
    pub fn parse(text: &str, path: &Path) -> Result<Self, ToolError> {
        let loaded = crate::input::loaded::Loaded::parse(text, path, "taxonomy")?;
        let schema = Schema::builtin(TAXONOMY_SCHEMA, "a taxonomy");
        loaded.validate_at(&loaded.tree.value, "", &schema)?;
        Self::from_loaded(&loaded)
    }

    /// A taxonomy from its parsed text, which the taxonomy schema accepts.
    fn from_loaded(loaded: &crate::input::loaded::Loaded) -> Result<Self, ToolError> {
        let raw = RawTaxonomy::deserialize(&loaded.tree.value)
            .map_err(|e| loaded.problem("", format!("Invalid taxonomy: {e}")))?;
        Self::build(raw, |p| loaded.span_of(p), &loaded.path, &loaded.text)
    }

    fn build(
        raw: RawTaxonomy,
        span_of: impl Fn(&str) -> Span,
        path: &Path,
        text: &str,
    ) -> Result<Self, ToolError> {
        let mut facets: Vec<Facet> = Vec::new();
        if raw.extends.as_deref() == Some("default") {
            facets = Self::builtin().facets;
            for t in facets.iter_mut().flat_map(|f| f.terms.iter_mut()) {
                t.source = None;
            }
        }
        let mut problems = Vec::new();
        for (name, raw_facet) in raw.facets.0 {
            let fi = if let Some(i) = facets.iter().position(|f| f.name == name) {
                i
            } else {
                facets.push(Facet {
                    pointer: format!("/{}", name.replace('~', "~0").replace('/', "~1")),
                    name: name.clone(),
                    max: None,
                    terms: Vec::new(),
                    lookup: HashMap::default(),
                    dictionary: OnceLock::new(),
                });
                facets.len() - 1
            };
            if raw_facet.max.is_some() {
                facets[fi].max = raw_facet.max;
            }
            let base = format!("/facets/{}/terms", escape(&name));
            let mut pending_parents = Vec::new();
            flatten(
                &raw_facet.terms,
                &base,
                None,
                0,
                &mut facets[fi].terms,
                &mut pending_parents,
            );
            // Terms placed with `parent:` instead of nesting, each looked up in a table of the
            // facet's ids (the first term of an id, should an id be given twice).
            let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(facets[fi].terms.len());
            for (i, t) in facets[fi].terms.iter().enumerate() {
                by_id.entry(t.id.as_str()).or_insert(i);
            }
            let parents: Vec<Option<usize>> = pending_parents
                .iter()
                .map(|(_, parent_id, _)| by_id.get(parent_id.as_str()).copied())
                .collect();
            for ((child, parent_id, pointer), parent) in pending_parents.into_iter().zip(parents) {
                match parent {
                    Some(p) => facets[fi].terms[child].parent = Some(p),
                    None => problems.push(FileProblem::new(
                        span_of(&pointer),
                        format!("Unknown parent `{parent_id}` in facet `{name}`"),
                        "no term has this id",
                    )),
                }
            }
        }
        for facet in &mut facets {
            break_cycles(facet, &span_of, &mut problems);
            order_and_depth(facet);
            index(facet, &span_of, &mut problems);
        }
        if problems.is_empty() {
            Ok(Self { facets })
        } else {
            Err(ToolError::invalid_file("taxonomy", path, text, problems))
        }
    }

    /// The facet for a front matter field.
    #[must_use]
    pub fn facet(&self, name: &str) -> Option<&Facet> {
        self.facets.iter().find(|f| f.name == name)
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn flatten(
    raw: &[RawTerm],
    pointer: &str,
    parent: Option<usize>,
    depth: usize,
    out: &mut Vec<Term>,
    pending: &mut Vec<(usize, String, String)>,
) {
    for (i, t) in raw.iter().enumerate() {
        let here = format!("{pointer}/{i}");
        let index = out.len();
        out.push(Term {
            id: t.id.clone(),
            label: t.label.clone().unwrap_or_else(|| t.id.replace('-', " ")),
            aliases: t.aliases.clone(),
            exclusive: t.exclusive,
            parent,
            depth,
            source: Some(here.clone()),
            end: index + 1,
        });
        if let Some(p) = &t.parent {
            pending.push((index, p.clone(), format!("{here}/parent")));
        }
        flatten(
            &t.children,
            &format!("{here}/children"),
            Some(index),
            depth + 1,
            out,
            pending,
        );
    }
}

/// The most terms of a parent cycle named in its message.
const CYCLE_NAMED: usize = 8;

/// Report and cut every parent cycle (`a` under `b` under `a`), in time linear in the number
/// of terms: each term has at most one parent, so one walk up from each term not yet seen,
/// colouring the terms it passes, ends at a root, at a term an earlier walk finished, or at a
/// term of its own walk: then the terms from that one on form a cycle. Only they are named
/// (terms leading into a cycle are not on it), and the link from the cycle's first term in
/// file order to its parent is cut.
fn break_cycles(
    facet: &mut Facet,
    span_of: &impl Fn(&str) -> Span,
    problems: &mut Vec<FileProblem>,
) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Colour {
        Unseen,
        OnWalk,
        Done,
    }
    let mut colour = vec![Colour::Unseen; facet.terms.len()];
    let mut walk = Vec::new();
    for start in 0..facet.terms.len() {
        let mut at = Some(start);
        while let Some(i) = at {
            match colour[i] {
                Colour::Unseen => {
                    colour[i] = Colour::OnWalk;
                    walk.push(i);
                    at = facet.terms[i].parent;
                }
                Colour::OnWalk => {
                    let from = walk
                        .iter()
                        .rposition(|&j| j == i)
                        .expect("i is on the walk");
                    let cycle = &walk[from..];
                    problems.push(cycle_problem(facet, cycle, span_of));
                    let first = *cycle.iter().min().expect("a cycle has a term");
                    facet.terms[first].parent = None;
                    break;
                }
                Colour::Done => break,
            }
        }
        for j in walk.drain(..) {
            colour[j] = Colour::Done;
        }
    }
}

/// The problem of a parent cycle (its terms in parent order), at its first term in file order.
fn cycle_problem(facet: &Facet, cycle: &[usize], span_of: &impl Fn(&str) -> Span) -> FileProblem {
    let parent_span = |t: usize| {
        facet.terms[t]
            .source
            .as_ref()
            .map_or(Span::empty(0), |s| span_of(&format!("{s}/parent")))
    };
    let name = |t: usize| format!("`{}`", facet.terms[t].id);
    // From the first term in file order round to it again.
    let at = (0..cycle.len())
        .min_by_key(|&k| cycle[k])
        .expect("a cycle has a term");
    let order = || cycle[at..].iter().chain(&cycle[..at]).copied();
    let first = cycle[at];
    let mut chain: Vec<String> = if cycle.len() <= CYCLE_NAMED {
        order().map(name).collect()
    } else {
        let mut some: Vec<String> = order().take(CYCLE_NAMED - 1).map(name).collect();
        some.push("…".to_string());
        some.push(name(order().last().expect("a cycle has a term")));
        some
    };
    chain.push(name(first));
    let what = if cycle.len() <= CYCLE_NAMED {
        "a parent cycle".to_string()
    } else {
        format!("a parent cycle of {} terms", cycle.len())
    };
    let problem = FileProblem::new(
        parent_span(first),
        format!(
            "Term {} is its own ancestor ({what}: {})",
            name(first),
            chain.join(" → ")
        ),
        "parent cycle",
    );
    let last = order().last().expect("a cycle has a term");
    if last == first {
        problem
    } else {
        problem.with_secondary(
            parent_span(last),
            format!("{} has parent {} again", name(last), name(first)),
        )
    }
}

/// Put every term after its parent and before the parent's next sibling (terms attached with
/// `parent:` go after the parent's nested children), and set depths.
fn order_and_depth(facet: &mut Facet) {
    let n = facet.terms.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, t) in facet.terms.iter().enumerate() {
        match t.parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    let mut depth = vec![0; n];
    while let Some((i, d)) = stack.pop() {
        order.push(i);
        depth[i] = d;
        for &c in children[i].iter().rev() {
            stack.push((c, d + 1));
        }
    }
    let mut new_index = vec![0; n];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Term>> = std::mem::take(&mut facet.terms)
        .into_iter()
        .map(Some)
        .collect();
    for &old in &order {
        let mut t = slots[old].take().expect("each term is placed once");
        t.parent = t.parent.map(|p| new_index[p]);
        t.depth = depth[old];
        facet.terms.push(t);
    }
    // A term's descendants follow it: its range ends where its last child's does.
    for (i, t) in facet.terms.iter_mut().enumerate() {
        t.end = i + 1;
    }
    for i in (0..n).rev() {
        if let Some(p) = facet.terms[i].parent {
            facet.terms[p].end = facet.terms[p].end.max(facet.terms[i].end);
        }
    }
}

/// Build the lookup table, reporting spellings that name two different terms.
fn index(facet: &mut Facet, span_of: &impl Fn(&str) -> Span, problems: &mut Vec<FileProblem>) {
    let mut lookup: HashMap<String, (usize, Via, String)> = HashMap::new();
    for (i, t) in facet.terms.iter().enumerate() {
        let mut keys = vec![
            (normalize(&t.id), Via::Id, "id".to_string()),
            (normalize(&t.label), Via::Label, "label".to_string()),
        ];
        for (k, a) in t.aliases.iter().enumerate() {
            keys.push((normalize(a), Via::Alias, format!("aliases/{k}")));
        }
        for (key, via, field) in keys {
            let Some((j, prev_via, prev_field)) = lookup.get(&key).cloned() else {
                lookup.insert(key, (i, via, field));
                continue;
            };
            if j == i {
                continue;
            }
            let other = &facet.terms[j];
            let what = match (via, prev_via) {
                (Via::Id, Via::Id) => "an id used twice",
                (Via::Alias, Via::Id) | (Via::Id, Via::Alias) => {
                    "an alias equal to another term's id"
                }
                (Via::Alias, Via::Alias) => "an alias used twice",
                _ => "a spelling used by two terms",
            };
            let here = t
                .source
                .as_ref()
                .map_or(Span::empty(0), |s| span_of(&format!("{s}/{field}")));
            let mut problem = FileProblem::new(
                here,
                format!(
                    "Taxonomy contradicts itself in facet `{}`: {what} (`{key}` names both `{}` and `{}`)",
                    facet.name, other.id, t.id
                ),
                "conflicting spelling",
            );
            problem = match &other.source {
                Some(s) => problem.with_secondary(
                    span_of(&format!("{s}/{prev_field}")),
                    format!("already names `{}` here", other.id),
                ),
                None => problem.with_help(format!(
                    "`{key}` already names `{}` in the built-in taxonomy",
                    other.id
                )),
            };
            problems.push(problem);
        }
    }
    facet.lookup = lookup
        .into_iter()
        .map(|(k, (i, via, _))| (k.into_bytes().into_boxed_slice(), (i, via)))
        .collect();
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Taxonomy, normalize, with_normalized};
    use crate::base::error::ToolError;
    use proptest::prelude::*;

    proptest! {
        /// The stack-buffer path for short ASCII text gives what `normalize` gives.
        #[test]
        fn lookups_see_the_normalized_text(
            text in "[ \t\u{b}'`_a-zA-Z0-9.\u{2019}\u{c9}-]{0,70}",
        ) {
            prop_assert_eq!(with_normalized(&text, <[u8]>::to_vec), normalize(&text).into_bytes());
        }
    }

    /// The messages of a taxonomy that does not load.
    fn problems(text: &str) -> Vec<String> {
        match Taxonomy::parse(text, Path::new("taxonomy.yml")) {
            Ok(_) => Vec::new(),
            Err(ToolError::InvalidFile(f)) => f.messages().map(str::to_string).collect(),
            Err(e) => panic!("{e}"),
        }
    }

    /// A taxonomy of one facet, `stage`, whose terms are `(id, parent)`.
    fn terms(list: &[(&str, Option<&str>)]) -> String {
        let mut out = String::from("facets:\n  stage:\n    terms:\n");
        for (id, parent) in list {
            out.push_str(&format!("      - id: {id}\n"));
            if let Some(p) = parent {
                out.push_str(&format!("        parent: {p}\n"));
            }
        }
        out
    }

    /// Whether `a` is `b` or an ancestor of it, by following parent links.
    fn walks_up_to(facet: &super::Facet, a: usize, b: usize) -> bool {
        let mut at = Some(b);
        while let Some(i) = at {
            if i == a {
                return true;
            }
            at = facet.terms[i].parent;
        }
        false
    }

    proptest! {
        /// Any parent links: a taxonomy without cycles loads with ancestry as its links say;
        /// one with cycles is refused with one problem per cycle naming exactly its terms.
        #[test]
        fn parent_links_load_or_name_each_cycle(
            parents in (1..9usize).prop_flat_map(|n| prop::collection::vec(prop::option::of(0..n), n)),
        ) {
            let n = parents.len();
            let ids: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
            let list: Vec<(&str, Option<&str>)> = parents
                .iter()
                .enumerate()
                .map(|(i, p)| (ids[i].as_str(), p.map(|p| ids[p].as_str())))
                .collect();
            // The cycles, each as the set of its terms: a term is on one when its links lead
            // back to it.
            let mut cycles: Vec<std::collections::BTreeSet<String>> = Vec::new();
            for i in 0..n {
                let mut on = std::collections::BTreeSet::new();
                let mut at = parents[i];
                for _ in 0..n {
                    let Some(p) = at else { break };
                    on.insert(ids[p].clone());
                    if p == i {
                        if !cycles.contains(&on) {
                            cycles.push(on.clone());
                        }
                        break;
                    }
                    at = parents[p];
                }
            }
            let text = terms(&list);
            if cycles.is_empty() {
                let taxonomy = Taxonomy::parse(&text, Path::new("taxonomy.yml")).unwrap();
                let stage = taxonomy.facet("stage").unwrap();
                for a in 0..n {
                    prop_assert_eq!(
                        stage.has_children(a),
                        stage.terms.iter().any(|t| t.parent == Some(a))
                    );
                    for b in 0..n {
                        prop_assert_eq!(stage.is_ancestor_or_self(a, b), walks_up_to(stage, a, b));
                    }
                }
            } else {
                let found = problems(&text);
                prop_assert_eq!(found.len(), cycles.len(), "{:?}", found);
                for message in found {
                    let named: std::collections::BTreeSet<String> = message
                        .split('`')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_string)
                        .collect();
                    prop_assert!(cycles.contains(&named), "{message}: {cycles:?}");
                }
            }
        }
    }

    #[test]
    fn the_builtin_taxonomy_matches_the_taxonomy_schema() {
        // `Taxonomy::builtin` does not check it on every run.
        let path = Path::new("taxonomy.yml");
        let from_text = Taxonomy::parse(super::DEFAULT_TAXONOMY, path).unwrap();
        assert_eq!(from_text.key_text(), Taxonomy::builtin().key_text());
    }

    #[test]
    fn ancestry_of_the_builtin_taxonomy_follows_its_parent_links() {
        let taxonomy = Taxonomy::builtin();
        for facet in &taxonomy.facets {
            for a in 0..facet.terms.len() {
                for b in 0..facet.terms.len() {
                    assert_eq!(facet.is_ancestor_or_self(a, b), walks_up_to(facet, a, b));
                }
            }
        }
    }

    #[test]
    fn a_chain_into_a_parent_cycle_blames_only_the_terms_on_the_cycle() {
        // `up` and `upper` lead into the cycle `a` -> `b` -> `c` -> `a` without being on it.
        let text = terms(&[
            ("upper", Some("up")),
            ("up", Some("b")),
            ("a", Some("b")),
            ("b", Some("c")),
            ("c", Some("a")),
            ("self", Some("self")),
            ("fine", None),
        ]);
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("`a` → `b` → `c` → `a`"), "{found:#?}");
        assert!(found[1].contains("`self` → `self`"), "{found:#?}");
        for p in &found {
            assert!(!p.contains("`up") && !p.contains("fine"), "{p}");
        }
    }

    #[test]
    fn a_long_parent_chain_loads_in_order_with_its_depths() {
        let n = 3000;
        let ids: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
        // Written deepest first, so every term comes before its parent in the file.
        let list: Vec<(&str, Option<&str>)> = (0..n)
            .rev()
            .map(|i| (ids[i].as_str(), i.checked_sub(1).map(|p| ids[p].as_str())))
            .collect();
        let taxonomy = Taxonomy::parse(&terms(&list), Path::new("taxonomy.yml")).unwrap();
        let stage = taxonomy.facet("stage").unwrap();
        for (i, t) in stage.terms.iter().enumerate() {
            assert_eq!((t.id.as_str(), t.depth), (ids[i].as_str(), i));
            assert_eq!(t.parent, i.checked_sub(1));
        }
        assert!(stage.is_ancestor_or_self(0, n - 1));
        assert!(stage.is_ancestor_or_self(n - 1, n - 1));
        assert!(!stage.is_ancestor_or_self(n - 1, 0));
        assert!(stage.has_children(n - 2) && !stage.has_children(n - 1));
        // The same chain closed into a cycle at its top: one finding, naming the cycle.
        let mut list = list;
        list[n - 1].1 = Some(ids[n - 1].as_str());
        let found = problems(&terms(&list));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("3000 terms"), "{}", found[0]);
    }

    #[test]
    fn spellings_meet_in_one_key() {
        assert_eq!(normalize("  Post_Production "), "post-production");
        assert_eq!(normalize("Rock 'n' roll"), "rock-n-roll");
        assert_eq!(
            normalize("Mixing \u{2019}N\u{2019} Mastering"),
            "mixing-n-mastering"
        );
        assert_eq!(normalize("\u{c9}DITING"), "\u{e9}diting");
    }
}
