//! `stage-order`: sibling headings that name stages appear out of canonical order.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
use crate::input::taxonomy::STAGE_FACET;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct StageOrder;

static META: RuleMeta = RuleMeta {
    name: "stage-order",
    summary: "Stage headings are out of production order",
    default_severity: Severity::Error,
    explanation: "\
## What it does
Among sibling headings (same parent section), headings that name a stage or phase of the
taxonomy (by label, id or alias) must follow the taxonomy's order: Pre-production before
Production before Post-production; Mixing before Mastering.

## Why
A guide that walks through production out of order confuses the reader about what comes
first.

## Example
```markdown
# Post-production
# Production
```

## Fix safety
No fix: moving sections is left to the writer.
",
    ..BASE
};

impl Rule for StageOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(facet) = cx.taxonomy().facet(STAGE_FACET) else {
            return;
        };
        let parents = cx.heading_parents();
        let terms = cx.heading_stage_terms();
        // Per parent section: the heading naming the latest term seen so far (a table: an
        // article can have tens of thousands of sections).
        let mut latest: HashMap<Option<usize>, (usize, usize)> = HashMap::new();
        let mut findings = Vec::new();
        for (i, h) in doc.headings.iter().enumerate() {
            let Some((term, _)) = terms[i] else {
                continue;
            };
            let parent = parents[i];
            match latest.entry(parent) {
                Entry::Occupied(e) if e.get().1 > term => {
                    let (prev_heading, prev_term) = *e.get();
                    let prev = &doc.headings[prev_heading];
                    findings.push(
                        Diagnostic::new(
                            h.span,
                            format!(
                                "`{}` comes after `{}`, but comes before it in production",
                                doc.heading_text(h),
                                doc.heading_text(prev)
                            ),
                        )
                        .with_label(format!(
                            "`{}` belongs before `{}`",
                            facet.terms[term].label, facet.terms[prev_term].label
                        ))
                        .with_secondary(prev.span, "this later stage comes first")
                        .with_help("Reorder the sections to follow the stages of production"),
                    );
                }
                Entry::Occupied(mut e) => *e.get_mut() = (i, term),
                Entry::Vacant(e) => {
                    e.insert((i, term));
                }
            }
        }
        for d in findings {
            cx.report(d);
        }
    }
}
