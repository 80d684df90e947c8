//! `duplicate-title` (repository-wide): two articles with the same title.

use std::collections::HashMap;

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
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Group files by a key and report every member of a group of two or more.
pub(crate) fn report_groups<'a>(
    files: &[(&'a str, &'a Facts)],
    key: impl Fn(&'a Facts) -> Option<(String, &'a Fact)>,
    message: impl Fn(&str, usize) -> String,
    label: &str,
) -> Vec<(usize, Diagnostic)> {
    let mut groups: HashMap<String, Vec<(usize, &Fact)>> = HashMap::new();
    for (i, (_, f)) in files.iter().enumerate() {
        if let Some((k, fact)) = key(f) {
            groups.entry(k).or_default().push((i, fact));
        }
    }
    let mut out = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        for &(i, fact) in members {
            let others: Vec<&str> = members
                .iter()
                .filter(|(j, _)| *j != i)
                .map(|&(j, _)| files[j].0)
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
            out.push((i, d));
        }
    }
    out
}

impl Rule for DuplicateTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_repository(&self, files: &[(&str, &Facts)]) -> Vec<(usize, Diagnostic)> {
        report_groups(
            files,
            |f| f.title.as_deref().map(|t| (title_key(&t.value), t)),
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
