//! `duplicate-title` (repository-wide): two articles with the same title.

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fingerprint::{FNV_OFFSET, fnv_step, fnv1a};
use crate::rules::{BASE, Fact, Facts, Rule, RuleMeta};

pub(crate) struct DuplicateTitle;

static META: RuleMeta = RuleMeta {
    name: "duplicate-title",
    summary: "Another article has the same title",
    default_severity: Severity::Warning,
    repository: true,
    explanation: "\
## What it does
After every file is checked, reports titles shared by two or more articles (ignoring case and
runs of blanks), on every article involved, naming the others. Not run on a `--shard` of a
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

/// Group files by the comparison key of one of their facts and report every member of a
/// group of two or more. `hash` gives the hash of a file's key (made in the per-file pass,
/// see [`Facts::new`]); `normalize` writes the key itself into the buffer it is given.
///
/// Only the hashes are read for every file; keys are made and compared only among files
/// whose hashes are equal, so a run over many files holds no string per file.
pub(crate) fn report_groups<'a>(
    files: &[(&'a str, &'a Facts)],
    hash: impl Fn(&Facts) -> Option<u32>,
    fact: impl Fn(&'a Facts) -> Option<&'a Fact>,
    normalize: impl Fn(&str, &mut String),
    message: impl Fn(&str, usize) -> String,
    label: &str,
) -> Vec<(usize, Diagnostic)> {
    let mut hashed: Vec<(u32, usize)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, (_, f))| hash(f).map(|h| (h, i)))
        .collect();
    let key_of = |i: usize| {
        let mut key = String::new();
        if let Some(f) = fact(files[i].1) {
            normalize(&f.value, &mut key);
        }
        key
    };
    hashed.par_sort_unstable();
    let mut out = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Equal hashes: split the run by the keys themselves (sorted, so that a run of many
        // colliding keys takes no quadratic time; members stay in file order).
        let mut keyed: Vec<(String, usize)> = run.iter().map(|&(_, i)| (key_of(i), i)).collect();
        keyed.sort_unstable();
        for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            let members: Vec<usize> = group.iter().map(|&(_, i)| i).collect();
            for &i in &members {
                let Some(fact) = fact(files[i].1) else {
                    continue;
                };
                out.push((i, group_finding(files, &members, i, fact, &message, label)));
            }
        }
    }
    out
}

/// The finding on member `i` of a group.
fn group_finding(
    files: &[(&str, &Facts)],
    members: &[usize],
    i: usize,
    fact: &Fact,
    message: &impl Fn(&str, usize) -> String,
    label: &str,
) -> Diagnostic {
    let others: Vec<&str> = members
        .iter()
        .filter(|&&j| j != i)
        .map(|&j| files[j].0)
        .collect();
    let shown = others
        .iter()
        .take(5)
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if others.len() > 5 {
        format!(" and {} more", others.len() - 5)
    } else {
        String::new()
    };
    let mut d = Diagnostic::new(fact.span, message(files[i].0, others.len()))
        .with_label(format!("{label} {shown}{more}"))
        .with_help("Make each article's value unique");
    d.location = fact.location.clone();
    d
}

impl Rule for DuplicateTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_repository(&self, files: &[(&str, &Facts)]) -> Vec<(usize, Diagnostic)> {
        report_groups(
            files,
            Facts::title_hash,
            Facts::title,
            title_key_into,
            |_, n| {
                format!(
                    "Title is shared with {n} other article{}",
                    if n == 1 { "" } else { "s" }
                )
            },
            "also the title of",
        )
        .into_iter()
        .map(|(i, d)| (i, d.with_pointer("/title")))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Fact, Facts, key_hash, report_groups, title_hash, title_key, title_key_into};
    use crate::span::Span;

    fn facts(title: &str) -> Facts {
        Facts::new(
            Some(Box::new(Fact {
                value: title.into(),
                span: Span::new(0, title.len()),
                location: crate::diagnostic::Location::default(),
            })),
            None,
        )
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
        let all: Vec<Facts> = titles.iter().map(|t| facts(t)).collect();
        let files: Vec<(&str, &Facts)> = all
            .iter()
            .enumerate()
            .map(|(i, f)| (["a", "b", "c", "d", "e", "f"][i], f))
            .collect();
        for collide in [false, true] {
            let hash = |f: &Facts| {
                if collide { Some(0) } else { f.title_hash() }
            };
            let mut found: Vec<(usize, String)> = report_groups(
                &files,
                hash,
                Facts::title,
                title_key_into,
                |_, n| format!("{n}"),
                "also",
            )
            .into_iter()
            .map(|(i, d)| (i, d.label.unwrap()))
            .collect();
            found.sort();
            assert_eq!(
                found,
                [
                    (0, "also `c`".to_string()),
                    (1, "also `e`".to_string()),
                    (2, "also `a`".to_string()),
                    (4, "also `b`".to_string()),
                ],
                "collide: {collide}"
            );
        }
    }

    #[test]
    fn a_large_group_names_five_others_and_counts_the_rest() {
        let all: Vec<Facts> = (0..8).map(|_| facts("Same")).collect();
        let names: Vec<String> = (0..8).map(|i| format!("{i}.md")).collect();
        let files: Vec<(&str, &Facts)> = names.iter().map(String::as_str).zip(&all).collect();
        let found = report_groups(
            &files,
            |_| Some(1),
            Facts::title,
            title_key_into,
            |_, n| format!("{n} others"),
            "also",
        );
        assert_eq!(found.len(), 8);
        let (i, d) = &found[0];
        assert_eq!(*i, 0);
        assert_eq!(d.message, "7 others");
        assert_eq!(
            d.label.as_deref(),
            Some("also `1.md`, `2.md`, `3.md`, `4.md`, `5.md` and 2 more")
        );
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
