//! `heading-increment`: a heading more than one level deeper than the one before it.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};
use crate::span::Span;

pub(crate) struct HeadingIncrement;

static META: RuleMeta = RuleMeta {
    name: "heading-increment",
    summary: "A heading skips a level",
    default_severity: Severity::Error,
    fix: Some(Applicability::Unsafe),
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
Unsafe: the heading and the headings under it are raised by the number of levels skipped
(`### Ideation` under `# Pre-production` becomes `## Ideation`). The writer may instead have
meant to add the missing level above, so review the change.
",
    ..BASE
};

impl Rule for HeadingIncrement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (k, pair) in doc.headings.windows(2).enumerate() {
            let (prev, h) = (&pair[0], &pair[1]);
            if h.level > prev.level + 1 {
                let want = prev.level + 1;
                let help = format!(
                    "Make it a level-{want} heading (`{} {}`), or add the missing level above it",
                    "#".repeat(want.into()),
                    doc.heading_text(h)
                );
                let d = Diagnostic::new(
                    h.span,
                    format!("Heading level jumps from H{} to H{}", prev.level, h.level),
                )
                .with_label(format!("H{} directly under an H{}", h.level, prev.level))
                .with_secondary(prev.span, format!("previous heading is H{}", prev.level))
                .with_help(help);
                let d = match raise(doc, k + 1, h.level - want) {
                    Some(fix) => d.with_fix(fix),
                    None => d,
                };
                cx.report(d);
            }
        }
    }
}

/// Raise heading `index` and the headings under it by `by` levels: edits of their `#` runs.
fn raise(doc: &Document, index: usize, by: u8) -> Option<Fix> {
    let level = doc.headings[index].level;
    let mut edits = Vec::new();
    let subtree = std::iter::once(&doc.headings[index]).chain(
        doc.headings[index + 1..]
            .iter()
            .take_while(|h| h.level > level),
    );
    for h in subtree {
        if h.setext {
            return None;
        }
        let line = doc.slice(h.span);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let hashes = line[indent..].bytes().take_while(|&b| b == b'#').count();
        if hashes != usize::from(h.level) {
            return None;
        }
        let start = h.span.start + indent;
        edits.push(Edit::replace(
            Span::new(start, start + hashes),
            "#".repeat(usize::from(h.level - by)),
        ));
    }
    Some(Fix::unsafe_(
        format!(
            "Raise this section by {by} level{}",
            if by == 1 { "" } else { "s" }
        ),
        edits,
    ))
}
