//! `stage-hierarchy` (off by default): a stage listed without its phase.

use std::collections::HashSet;

use super::edits::{self, ItemStyle};
use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct StageHierarchy;

static META: RuleMeta = RuleMeta {
    name: "stage-hierarchy",
    summary: "A stage is listed without its phase",
    default_severity: Severity::Warning,
    enabled: false,
    fix: Some(Applicability::Unsafe),
    explanation: "\
## What it does
Reports a tag whose parent term in the taxonomy is not listed too: `mixing` without
`post-production`. Applies to every facet with nested terms (by default, `stage`). Off by
default, for guides that list phases as well as stages.

## Why
Guides that filter by phase only find an article when its phase is tagged.

## Example
```yaml
stage: [mixing]
```
Write `stage: [post-production, mixing]`.

## Fix safety
Unsafe: the phase is inserted before the first of its stages, in the list's style. It adds
a tag, which changes where the article is listed.
",
    ..BASE
};

impl Rule for StageHierarchy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            // Tables, not lists: a field can list thousands of values.
            let listed: HashSet<usize> = f
                .values
                .iter()
                .filter_map(super::tags::TagValue::term)
                .collect();
            let mut fixed: HashSet<usize> = HashSet::new();
            for v in &f.values {
                let Some(i) = v.term() else { continue };
                let Some(parent) = f.facet.terms[i].parent else {
                    continue;
                };
                if listed.contains(&parent) {
                    continue;
                }
                let (stage, phase) = (&f.facet.terms[i].id, &f.facet.terms[parent].id);
                let mut d = Diagnostic::new(
                    v.span,
                    format!("`{stage}` is listed without its parent `{phase}`"),
                )
                .with_label(format!("belongs to `{phase}`"))
                .with_help(format!("Add `{phase}` to `{}`", f.facet.name))
                .with_pointer(v.pointer());
                // One insertion per missing phase, before its first stage.
                if !fixed.contains(&parent) {
                    let edit = match edits::item_style(doc, v.span) {
                        Some(ItemStyle::Block { indent }) => {
                            let (start, _, _) = edits::line_around(doc, v.span.start);
                            let eol = edits::line_ending_at(doc, v.span.start);
                            Some(Edit::insert(
                                start,
                                format!("{}- {phase}{eol}", " ".repeat(indent)),
                            ))
                        }
                        Some(ItemStyle::Flow) => {
                            Some(Edit::insert(v.span.start, format!("{phase}, ")))
                        }
                        None => None,
                    };
                    if let Some(edit) = edit {
                        fixed.insert(parent);
                        d = d.with_fix(
                            Fix::unsafe_(format!("Add `{phase}`"), vec![edit])
                                .in_scope(format!("/{}", f.facet.name)),
                        );
                    }
                }
                cx.report(d);
            }
        }
    }
}
