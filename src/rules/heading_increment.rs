//! `heading-increment`: a heading more than one level deeper than the one before it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct HeadingIncrement;

static META: RuleMeta = RuleMeta {
    name: "heading-increment",
    summary: "A heading skips a level",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a heading that is more than one level deeper than the heading before it, e.g. an H3
directly under an H1. Headings inside code blocks and YAML comments in the front matter are
not headings.

## Why
The guide's table of contents and screen readers rely on the outline: a skipped level makes
a stage look like it belongs to a section that does not exist.

## Example
```markdown
# Pre-production
### Ideation
```
Write `## Ideation` instead.

## Fix safety
No fix in this rule yet.
",
    ..BASE
};

impl Rule for HeadingIncrement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for pair in doc.headings.windows(2) {
            let (prev, h) = (&pair[0], &pair[1]);
            if h.level > prev.level + 1 {
                let want = prev.level + 1;
                let help = format!(
                    "Make it a level-{want} heading (`{} {}`), or add the missing level above it",
                    "#".repeat(want.into()),
                    h.text
                );
                cx.report(
                    Diagnostic::new(
                        h.span,
                        format!("Heading level jumps from H{} to H{}", prev.level, h.level),
                    )
                    .with_label(format!("H{} directly under an H{}", h.level, prev.level))
                    .with_secondary(prev.span, format!("previous heading is H{}", prev.level))
                    .with_help(help),
                );
            }
        }
    }
}
