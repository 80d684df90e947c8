//! `duplicate-title` (repository-wide): two articles with the same title.

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
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

/// Group files by the comparison key of one of their facts (`normalize` writes it into the
/// buffer it is given) and report every member of a group of two or more.
///
/// Only a hash of each key is kept per file; keys are compared in full only among files
/// whose hashes are equal, so a run over many files holds no string per file.
pub(crate) fn report_groups<'a>(
    files: &[(&'a str, &'a Facts)],
    fact: impl Fn(&'a Facts) -> Option<&'a Fact> + Sync,
    normalize: impl Fn(&str, &mut String) + Sync,
    message: impl Fn(&str, usize) -> String,
    label: &str,
) -> Vec<(usize, Diagnostic)> {
    let hash = |key: &str| crate::cache::content_hash(key.as_bytes());
    groups_by(files, fact, normalize, hash, message, label)
}

/// [`report_groups`] with the hash of keys given (tests make every hash collide).
fn groups_by<'a>(
    files: &[(&'a str, &'a Facts)],
    fact: impl Fn(&'a Facts) -> Option<&'a Fact> + Sync,
    normalize: impl Fn(&str, &mut String) + Sync,
    hash: impl Fn(&str) -> u64 + Sync,
    message: impl Fn(&str, usize) -> String,
    label: &str,
) -> Vec<(usize, Diagnostic)> {
    // Keys are made and hashed in parallel (one buffer per worker), on the caller's pool,
    // straight into one vector (files without the fact are marked, then dropped in place).
    let mut hashed: Vec<(u64, usize)> = files
        .par_iter()
        .enumerate()
        .map_init(String::new, |buffer, (i, (_, f))| match fact(f) {
            Some(fact) => {
                buffer.clear();
                normalize(&fact.value, buffer);
                (hash(buffer), i)
            }
            None => (0, usize::MAX),
        })
        .collect();
    hashed.retain(|&(_, i)| i != usize::MAX);
    let mut buffer = String::new();
    let mut key_of = |i: usize| {
        buffer.clear();
        if let Some(f) = fact(files[i].1) {
            normalize(&f.value, &mut buffer);
        }
        buffer.clone()
    };
    hashed.sort_unstable();
    let mut out = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Equal hashes: split the run by the keys themselves (in file order).
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for &(_, i) in run {
            let key = key_of(i);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        for (_, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
            for &i in members {
                let Some(fact) = fact(files[i].1) else {
                    continue;
                };
                out.push((i, group_finding(files, members, i, fact, &message, label)));
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
            |f| f.title.as_deref(),
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
    use super::{Fact, Facts, groups_by, title_key, title_key_into};
    use crate::span::Span;

    fn facts(title: &str) -> Facts {
        Facts {
            title: Some(Box::new(Fact {
                value: title.into(),
                span: Span::new(0, title.len()),
                location: crate::diagnostic::Location::default(),
            })),
            video: None,
        }
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
            let hash = |k: &str| {
                if collide {
                    0
                } else {
                    crate::cache::content_hash(k.as_bytes())
                }
            };
            let mut found: Vec<(usize, String)> = groups_by(
                &files,
                |f| f.title.as_deref(),
                title_key_into,
                hash,
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
        let found = groups_by(
            &files,
            |f| f.title.as_deref(),
            title_key_into,
            |_| 1,
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
}
