//! `stage-hierarchy` (off by default): a stage listed without its phase.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct StageHierarchy;

static META: RuleMeta = RuleMeta {
    name: "stage-hierarchy",
    summary: "A stage is listed without its phase",
    default_severity: Severity::Warning,
    enabled: false,
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
No fix yet.
",
    ..BASE
};

impl Rule for StageHierarchy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            let listed: Vec<usize> = f
                .values
                .iter()
                .filter_map(super::tags::TagValue::term)
                .collect();
            for v in &f.values {
                let Some(i) = v.term() else { continue };
                let Some(parent) = f.facet.terms[i].parent else {
                    continue;
                };
                if !listed.contains(&parent) {
                    let (stage, phase) = (&f.facet.terms[i].id, &f.facet.terms[parent].id);
                    cx.report(
                        Diagnostic::new(
                            v.span,
                            format!("`{stage}` is listed without its parent `{phase}`"),
                        )
                        .with_label(format!("belongs to `{phase}`"))
                        .with_help(format!("Add `{phase}` to `{}`", f.facet.name))
                        .with_pointer(v.pointer.clone()),
                    );
                }
            }
        }
    }
}
