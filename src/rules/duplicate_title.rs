//! `duplicate-title` (repository-wide): two articles with the same title.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::hash::{FNV_OFFSET, fnv_step, fnv1a};
use crate::input::document::Document;
use crate::rules::{BASE, CrossFile, Fact, Facts, Rule, RuleMeta};

pub(crate) struct DuplicateTitle;

static META: RuleMeta = RuleMeta {
    name: "duplicate-title",
    summary: "Another article has the same title",
    default_severity: Severity::Warning,
    repository: true,
    explanation: "\
## What it does
Reports titles shared by two or more articles (ignoring case and runs of blanks): every
article whose title an article before it (in path order) already has gets a finding naming
the earlier ones; the first keeps its title without one. Not run on a `--shard` of a
repository, nor on stdin alone.

## Why
Readers and search engines cannot tell two articles with one title apart.

## Example
Two files with `title: Mixing vocals`.

## Fix safety
No fix.
",
    ..BASE
};

/// The comparison key of a title: lowercase, blanks collapsed.
#[must_use]
pub fn title_key(title: &str) -> String {
    let mut key = String::with_capacity(title.len());
    title_key_into(title, &mut key);
    key
}

/// [`title_key`] into `out` (appended).
fn title_key_into(title: &str, out: &mut String) {
    for (n, word) in title.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
}

/// The hash files are grouped by (the fingerprints' FNV-1a).
#[must_use]
pub(crate) fn key_hash(key: &str) -> u64 {
    fnv1a(&[key])
}

/// `key_hash(&title_key(title))`; for an ASCII title, without making the key.
#[must_use]
pub(crate) fn title_hash(title: &str) -> u64 {
    if !title.is_ascii() {
        return key_hash(&title_key(title));
    }
    // The blanks `split_whitespace` splits ASCII text at: tab, LF, VT, FF, CR and space.
    let blank = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let mut hash = FNV_OFFSET;
    let (mut words, mut gap) = (false, false);
    for &b in title.as_bytes() {
        if blank(b) {
            gap = words;
            continue;
        }
        if gap {
            hash = fnv_step(hash, b' ');
            gap = false;
        }
        hash = fnv_step(hash, b.to_ascii_lowercase());
        words = true;
    }
    // The end of the one part, as `fnv1a` marks it.
    fnv_step(hash, 0xff)
}

/// How a repository-wide rule compares its fact of the files (see [`Rule::fact`]): whose
/// fact, how its comparison key is written, and what the finding says.
pub(crate) struct Compare {
    /// The rule whose fact is compared.
    pub rule: &'static str,
    /// Write the comparison key of a value into the buffer (appended).
    pub normalize: fn(&str, &mut String),
    /// The message, given how many articles before this one share the value.
    pub message: fn(usize) -> String,
    /// Starts the label that names those articles.
    pub label: &'static str,
    /// The JSON Pointer of the value.
    pub pointer: &'static str,
}

/// How many of the articles sharing a value a finding names.
const NAMED: usize = 5;

/// Files met so far that share one comparison key. Laid out for the common case of a key
/// met once: one allocation holds the key and the first file's path.
struct Group {
    /// The key, then the first file's path.
    text: Box<str>,
    /// Where the path starts in `text`.
    split: u32,
    /// How many files there are.
    count: u32,
    /// The next group whose key has the same hash (an index into the groups), or `NONE`.
    next: u32,
    /// The second to [`NAMED`]th files' paths.
    more: Vec<Box<str>>,
    /// Whether the key is the short form of a long one (see [`KEPT`]).
    long: bool,
}

/// The longest key kept whole: a longer one is kept as its first part, its length and a hash
/// of the whole, so that a guide of huge distinct titles costs no more than this per title.
const KEPT: usize = 1024;

/// The form of `key` a group keeps, and whether it is the short form of a long key.
fn kept(key: &str) -> (std::borrow::Cow<'_, str>, bool) {
    if key.len() <= KEPT {
        return (key.into(), false);
    }
    let mut cut = KEPT / 2;
    while !key.is_char_boundary(cut) {
        cut -= 1;
    }
    let short = format!("{}:{}:{:016x}", &key[..cut], key.len(), fnv1a(&[key]));
    (short.into(), true)
}

/// No group.
const NONE: u32 = u32::MAX;

impl Group {
    fn key(&self) -> &str {
        &self.text[..self.split as usize]
    }

    /// The first [`NAMED`] files' paths.
    fn named(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.text[self.split as usize..]).chain(self.more.iter().map(|p| &**p))
    }
}

/// Groups files by the comparison key of one of their facts as they come in path order, and
/// reports every file whose key an earlier file had, naming the earlier ones. A file's
/// finding depends only on the files before it, so a report can be written file by file.
///
/// What is kept is one key and at most [`NAMED`] paths per distinct value; keys are looked
/// up by the hash made in the per-file pass and told apart by comparing them, so colliding
/// hashes cost a comparison, never a wrong finding.
pub(crate) struct Groups {
    compare: Compare,
    groups: Vec<Group>,
    /// The first group of each hash.
    by_hash: std::collections::HashMap<u32, u32>,
    key: String,
}

impl Groups {
    pub(crate) fn new(compare: Compare) -> Self {
        Self {
            compare,
            groups: Vec::new(),
            by_hash: std::collections::HashMap::new(),
            key: String::new(),
        }
    }

    /// The group of `key` (as [`kept`] makes it), whose hash is `hash`, or where a new one
    /// is linked.
    fn find(&self, hash: u32, key: &str, long: bool) -> Result<usize, Option<usize>> {
        let Some(&first) = self.by_hash.get(&hash) else {
            return Err(None);
        };
        let mut at = first as usize;
        loop {
            let group = &self.groups[at];
            if group.long == long && group.key() == key {
                return Ok(at);
            }
            if group.next == NONE {
                return Err(Some(at));
            }
            at = group.next as usize;
        }
    }
}

impl CrossFile for Groups {
    fn next(&mut self, path: &str, facts: &Facts) -> Option<Diagnostic> {
        let c = &self.compare;
        let fact = facts.get(c.rule)?;
        let hash = fact.hash;
        self.key.clear();
        (c.normalize)(&fact.value, &mut self.key);
        let key = std::mem::take(&mut self.key);
        let (short, long) = kept(&key);
        let found = self.find(hash, &short, long);
        let at = match found {
            Ok(at) => at,
            Err(last) => {
                // Past 4 G distinct values the rest are not compared (they cannot be named).
                let (Ok(index), Ok(split)) =
                    (u32::try_from(self.groups.len()), u32::try_from(short.len()))
                else {
                    return None;
                };
                if index == NONE {
                    return None;
                }
                match last {
                    Some(last) => self.groups[last].next = index,
                    None => {
                        self.by_hash.insert(hash, index);
                    }
                }
                let mut text = String::with_capacity(short.len() + path.len());
                text.push_str(&short);
                text.push_str(path);
                self.groups.push(Group {
                    text: text.into(),
                    split,
                    count: 1,
                    next: NONE,
                    more: Vec::new(),
                    long,
                });
                drop(short);
                self.key = key;
                return None;
            }
        };
        drop(short);
        self.key = key;
        let c = &self.compare;
        let group = &mut self.groups[at];
        let shown = group
            .named()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if group.count as usize > NAMED {
            format!(" and {} more", group.count as usize - NAMED)
        } else {
            String::new()
        };
        let count = group.count as usize;
        let mut d = Diagnostic::new(fact.span, (c.message)(count))
            .with_label(format!("{} {shown}{more}", c.label))
            .with_help("Make each article's value unique")
            .with_pointer(c.pointer);
        d.location = fact.location.clone();
        if group.more.len() + 1 < NAMED {
            group.more.push(path.into());
        }
        group.count = group.count.saturating_add(1);
        Some(d)
    }
}

impl Rule for DuplicateTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn fact(&self, doc: &Document) -> Option<Fact> {
        let tree = doc.yaml()?;
        let title = tree.value.get("title")?.as_str()?;
        let span = tree.spans.get("/title")?.value;
        Some(Fact::new(title.to_string(), span, doc, title_hash(title)))
    }

    fn cross_file(&self) -> Option<Box<dyn CrossFile>> {
        Some(Box::new(Groups::new(Compare {
            rule: META.name,
            normalize: title_key_into,
            message: |n| {
                format!(
                    "Title is already used by {n} article{} before this one",
                    if n == 1 { "" } else { "s" }
                )
            },
            label: "also the title of",
            pointer: "/title",
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Compare, CrossFile, Fact, Facts, Groups, key_hash, title_hash, title_key, title_key_into,
    };
    use crate::base::span::Span;

    /// A file whose title is `title`, its key hashed by `hash` (`None`: the rule's hash).
    fn facts_hashed(title: &str, hash: Option<u64>) -> Facts {
        let mut facts = Facts::default();
        facts.insert(
            "duplicate-title",
            Fact {
                value: title.into(),
                span: Span::new(0, title.len()),
                location: crate::base::diagnostic::Location::default(),
                hash: super::super::fold(hash.unwrap_or_else(|| title_hash(title))),
            },
        );
        facts
    }

    fn facts(title: &str) -> Facts {
        facts_hashed(title, None)
    }

    fn compare() -> Compare {
        Compare {
            rule: "duplicate-title",
            normalize: title_key_into,
            message: |n| format!("{n} before"),
            label: "also",
            pointer: "/title",
        }
    }

    /// Each file's finding, fed in order: (index, message, label).
    fn run(groups: &mut Groups, files: &[(&str, Facts)]) -> Vec<(usize, String, String)> {
        files
            .iter()
            .enumerate()
            .filter_map(|(i, (path, f))| {
                groups
                    .next(path, f)
                    .map(|d| (i, d.message.into(), d.label.unwrap_or_default().into()))
            })
            .collect()
    }

    #[test]
    fn groups_are_made_by_key_even_when_every_hash_collides() {
        assert_eq!(title_key("  Mixing\tVOCALS  now "), "mixing vocals now");
        let titles = [
            "Mixing vocals",
            "Mastering",
            "mixing  Vocals",
            "Other",
            "MASTERING",
            "x",
        ];
        for hash in [None, Some(0)] {
            let files: Vec<(&str, Facts)> = ["a", "b", "c", "d", "e", "f"]
                .into_iter()
                .zip(titles.iter().map(|t| facts_hashed(t, hash)))
                .collect();
            let found = run(&mut Groups::new(compare()), &files);
            assert_eq!(
                found,
                [
                    (2, "1 before".to_string(), "also `a`".to_string()),
                    (4, "1 before".to_string(), "also `b`".to_string()),
                ],
            );
        }
    }

    #[test]
    fn only_later_articles_are_reported_and_five_earlier_ones_named() {
        let names: Vec<String> = (0..8).map(|i| format!("{i}.md")).collect();
        let files: Vec<(&str, Facts)> = names.iter().map(|n| (n.as_str(), facts("Same"))).collect();
        let found = run(&mut Groups::new(compare()), &files);
        let first: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            first,
            [1, 2, 3, 4, 5, 6, 7],
            "the first article has no finding"
        );
        assert_eq!(found[0].1, "1 before");
        assert_eq!(found[0].2, "also `0.md`");
        let last = &found[6];
        assert_eq!(last.1, "7 before");
        assert_eq!(
            last.2,
            "also `0.md`, `1.md`, `2.md`, `3.md`, `4.md` and 2 more"
        );
    }

    #[test]
    fn long_titles_are_kept_short_and_still_told_apart() {
        let long = "x".repeat(5000);
        let files = vec![
            ("a", facts_hashed(&long, Some(0))),
            ("b", facts_hashed(&format!("{long}y"), Some(0))),
            (
                "c",
                facts_hashed(&format!("{}  x", "x".repeat(4999)), Some(0)),
            ),
            ("d", facts_hashed(&long.to_uppercase(), Some(0))),
        ];
        let mut groups = Groups::new(compare());
        let found = run(&mut groups, &files);
        // b differs at its end, c only in blanks (one key), d only in case.
        let reported: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(reported, [3]);
        assert!(groups.groups.iter().all(|g| g.text.len() < 2 * super::KEPT));
        let (_, long_kept) = super::kept(&long);
        assert!(long_kept);
    }

    #[test]
    fn a_file_without_the_fact_is_skipped() {
        let files = vec![("a", Facts::default()), ("b", Facts::default())];
        assert!(run(&mut Groups::new(compare()), &files).is_empty());
    }

    proptest::proptest! {
        /// The hash made without the key is the hash of the key, whatever the blanks, case
        /// and characters.
        #[test]
        fn title_hash_is_the_hash_of_the_key(title in "[ \t\n\r\u{b}\u{c}aZ.é\u{a0}\u{2003}]{0,12}") {
            proptest::prop_assert_eq!(title_hash(&title), key_hash(&title_key(&title)));
        }
    }
}
