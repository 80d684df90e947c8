//! `tag-unknown`: a tag that is neither an id nor an alias of the taxonomy.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::edits;
use super::tags::plural;
use crate::base::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::base::suggest::MAX_COMPARISONS;
use crate::input::document::Document;
use crate::input::taxonomy::{Match, normalize};
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagUnknown;

static META: RuleMeta = RuleMeta {
    name: "tag-unknown",
    summary: "A tag is not in the taxonomy",
    default_severity: Severity::Error,
    fix: Some(Applicability::Unsafe),
    explanation: "\
## What it does
Reports a tag value that is neither the id nor an alias of a term of its facet in the
taxonomy. The help suggests the nearest term, by its id or an alias, when it is at most two
edits away (a letter added, removed, changed, or two swapped; case aside); every term as near
when there are several. Ids and aliases over 100 characters are never suggested, and a file's
suggestions stop after 100,000 comparisons with spellings of about its length (thousands of
distinct unknown tags): the tags left then get none.

## Why
Unknown tags create pages and filters nobody navigates to, and split articles about the same
stage across two spellings.

## Example
```yaml
stage: [mixng]     # did you mean `mixing`?
```

## Fix safety
Unsafe: when exactly one term is nearest (within two edits), the value is replaced by its
id; when several are as near, none is chosen. The writer may have meant a term the taxonomy
lacks, so review the change. No fix for a value an alias refers to.
",
    ..BASE
};

impl Rule for TagUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        // Comparisons with the taxonomy's spellings left for this file's suggestions.
        let mut budget = MAX_COMPARISONS;
        for f in tags.iter() {
            let dictionary = f.facet.dictionary();
            // The nearest terms of each distinct unknown value (normalised), found once.
            let mut nearest: HashMap<String, Vec<usize>> = HashMap::new();
            for v in f.values.iter().filter(|v| v.matched == Match::Unknown) {
                let near = match nearest.entry(normalize(v.text)) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        // The terms of the nearest spellings, each once; none past the budget.
                        let mut near = dictionary.nearest(e.key(), &mut budget).unwrap_or_default();
                        near.sort_unstable();
                        near.dedup();
                        e.insert(near)
                    }
                };
                let mut ids: Vec<&str> =
                    near.iter().map(|&i| f.facet.terms[i].id.as_str()).collect();
                ids.sort_unstable();
                let unique = match ids[..] {
                    [id] => Some(id),
                    _ => None,
                };
                let help = match &ids[..] {
                    [] => None,
                    [one] => Some(format!("Did you mean `{one}`?")),
                    [some @ .., last] => Some(format!(
                        "Did you mean {} or `{last}`?",
                        some.iter()
                            .map(|id| format!("`{id}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                let help = match help {
                    Some(help) => help,
                    None if f.facet.terms.len() <= 16 => format!(
                        "Known {}: {}",
                        plural(&f.facet.name),
                        f.facet
                            .terms
                            .iter()
                            .map(|t| format!("`{}`", t.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => {
                        "Run `guidelint schema` to list every tag, or add the term to the taxonomy"
                            .into()
                    }
                };
                let mut d =
                    Diagnostic::new(v.span, format!("Unknown {} `{}`", f.facet.name, v.text))
                        .with_label("not in the taxonomy")
                        .with_help(help)
                        .with_pointer(v.pointer());
                if let Some(id) = unique {
                    d = d.with_fix(
                        Fix::unsafe_(
                            format!("Replace with `{id}`"),
                            vec![edits::replace_scalar(doc, v.span, id)],
                        )
                        .in_scope(v.pointer()),
                    );
                }
                cx.report(d);
            }
        }
    }
}
