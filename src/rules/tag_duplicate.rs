//! `tag-duplicate`: the same term twice in one facet.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::edits;
use crate::base::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::input::document::Document;
use crate::input::taxonomy::normalize;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagDuplicate;

static META: RuleMeta = RuleMeta {
    name: "tag-duplicate",
    summary: "The same tag appears twice in one field",
    default_severity: Severity::Warning,
    // Removing the duplicate also removes its spelling problem.
    supersedes: &["tag-noncanonical"],
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Reports a tag that names the same term as an earlier tag of the same field, after
normalising case, spacing and aliases (`mixing` and `Mix` are the same term).

## Why
Duplicates are noise, and often the trace of a merge or a copy-paste.

## Example
```yaml
stage: [mixing, mastering, Mixing]
```

## Fix safety
Safe: the later duplicates are removed (the whole `- item` line of a block list, with a
comment on it; the element and its comma in a flow list). No fix for a flow element that does
not follow its comma on the same line.
",
    ..BASE
};

impl Rule for TagDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            // The first value of each term, by its key: a term's id (borrowed), or an unknown
            // value normalised into a string. A table, so that a list of thousands of distinct
            // values is read once rather than each value against all before it.
            let mut firsts: HashMap<Cow<'_, str>, usize> = HashMap::new();
            for (k, v) in f.values.iter().enumerate() {
                let key: Cow<'_, str> = v.term().map_or_else(
                    || normalize(v.text).into(),
                    |i| f.facet.terms[i].id.as_str().into(),
                );
                let first = match firsts.entry(key) {
                    Entry::Occupied(e) => &f.values[*e.get()],
                    Entry::Vacant(e) => {
                        e.insert(k);
                        continue;
                    }
                };
                let mut d = Diagnostic::new(
                    v.span,
                    format!(
                        "`{}` repeats `{}` in `{}`",
                        v.text, first.text, f.facet.name
                    ),
                )
                .with_label("duplicate")
                .with_secondary(first.span, "first here")
                .with_help("Remove the repeated tag")
                .with_pointer(v.pointer());
                if let Some(edit) = edits::remove_item(doc, v.span) {
                    d = d.with_fix(
                        Fix::safe(format!("Remove the duplicate `{}`", v.text), vec![edit])
                            .in_scope(format!("/{}", f.facet.name)),
                    );
                }
                cx.report(d);
            }
        }
    }
}
