//! `heading-duplicate`: two sibling headings with the same text.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct HeadingDuplicate;

static META: RuleMeta = RuleMeta {
    name: "heading-duplicate",
    summary: "Two sibling headings have the same text",
    default_severity: Severity::Warning,
    explanation: "\
## What it does
Reports a heading with the same text (ignoring case and surrounding blanks) as an earlier
heading under the same parent section.

## Why
Two sections with one name are usually a merge accident, and their anchors collide.

## Example
```markdown
# Production
## Recording
## Recording
```

## Fix safety
No fix.
",
    ..BASE
};

impl Rule for HeadingDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let parents = cx.heading_parents();
        // Each heading's comparison key, made once.
        let keys: Vec<String> = doc
            .headings
            .iter()
            .map(|h| h.text.trim().to_lowercase())
            .collect();
        for (i, h) in doc.headings.iter().enumerate() {
            let key = &keys[i];
            if key.is_empty() {
                continue;
            }
            let first = (0..i).find(|&j| {
                parents[j] == parents[i] && doc.headings[j].level == h.level && keys[j] == *key
            });
            if let Some(j) = first {
                cx.report(
                    Diagnostic::new(
                        h.span,
                        format!("Heading `{}` repeats an earlier sibling", h.text),
                    )
                    .with_label("duplicate heading")
                    .with_secondary(doc.headings[j].span, "first here")
                    .with_help("Merge the two sections, or rename one"),
                );
            }
        }
    }
}
