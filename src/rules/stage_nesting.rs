//! `stage-nesting`: a stage heading under the wrong phase heading.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
use crate::input::taxonomy::STAGE_FACET;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct StageNesting;

static META: RuleMeta = RuleMeta {
    name: "stage-nesting",
    summary: "A stage heading is under the wrong phase heading",
    default_severity: Severity::Error,
    explanation: "\
## What it does
In an article with phase headings (Pre-production, Production, Post-production), reports a
heading that names a stage under a phase it does not belong to in the taxonomy.

## Why
`## Mixing` under `# Production` tells the reader mixing happens during production.

## Example
```markdown
# Production
## Mixing
```
Move Mixing under `# Post-production`.

## Fix safety
No fix: moving sections is left to the writer.
",
    ..BASE
};

impl Rule for StageNesting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(facet) = cx.taxonomy().facet(STAGE_FACET) else {
            return;
        };
        let terms: Vec<Option<usize>> = cx
            .heading_stage_terms()
            .iter()
            .map(|t| t.map(|(t, _)| t))
            .collect();
        let has_children = |t: usize| facet.has_children(t);
        // Only articles organised by phase are checked.
        if !terms.iter().flatten().any(|&t| has_children(t)) {
            return;
        }
        let parents = cx.heading_parents();
        for (i, h) in doc.headings.iter().enumerate() {
            let Some(term) = terms[i] else { continue };
            if facet.terms[term].parent.is_none() {
                continue;
            }
            // The nearest enclosing heading that names a term with children.
            let mut at = parents[i];
            while let Some(p) = at {
                if let Some(phase) = terms[p].filter(|&t| has_children(t)) {
                    if !facet.is_ancestor_or_self(phase, term) {
                        let owner = facet.terms[term]
                            .parent
                            .map_or("", |o| facet.terms[o].label.as_str());
                        cx.report(
                            Diagnostic::new(
                                h.span,
                                format!(
                                    "`{}` is under `{}`, but belongs to `{owner}`",
                                    doc.heading_text(h),
                                    doc.heading_text(&doc.headings[p])
                                ),
                            )
                            .with_label(format!("a stage of {owner}"))
                            .with_secondary(doc.headings[p].span, "under this phase")
                            .with_help(format!("Move this section under the `{owner}` heading")),
                        );
                    }
                    break;
                }
                at = parents[p];
            }
        }
    }
}
