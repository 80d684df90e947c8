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
        // Headings are compared ignoring case. ASCII text (nearly every heading) is compared
        // in place; other text is lowercased once, here.
        let texts: Vec<&str> = doc.headings.iter().map(|h| h.text.trim()).collect();
        let lowered: Vec<Option<String>> = texts
            .iter()
            .map(|t| (!t.is_ascii()).then(|| t.to_lowercase()))
            .collect();
        let same = |i: usize, j: usize| match (&lowered[i], &lowered[j]) {
            (None, None) => texts[i].eq_ignore_ascii_case(texts[j]),
            (Some(a), Some(b)) => a == b,
            // An ASCII text against a lowercased one (`K`, the Kelvin sign, lowercases to `k`).
            (Some(a), None) => a.eq_ignore_ascii_case(texts[j]),
            (None, Some(b)) => b.eq_ignore_ascii_case(texts[i]),
        };
        for (i, h) in doc.headings.iter().enumerate() {
            if texts[i].is_empty() {
                continue;
            }
            let first = (0..i).find(|&j| {
                parents[j] == parents[i] && doc.headings[j].level == h.level && same(i, j)
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
