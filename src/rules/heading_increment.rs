//! `heading-increment`: a heading more than one level deeper than the one before it.

use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::base::span::Span;
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

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
Unsafe: the heading is raised by the number of levels skipped, with the headings under it and
the sections after it at its level, down to the next shallower heading, so that the outline
among them is kept (`### Ideation` under `# Pre-production` becomes `## Ideation`; a
`##### Scenes` followed by five `#####` sections under a `###` all become `####`). No fix is
offered when the heading after them would then skip a level in turn. The writer may instead
have meant to add the missing level above, so review the change.
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

/// Raise heading `index` by `by` levels, with the headings after it down to the first one
/// shallower than it: its subsections and the sections after it at its level (siblings that
/// share its missing parent), with theirs. All move by the same number of levels, so the
/// outline among them is kept. `None` when a heading is setext or its `#` run is not its level,
/// or when the heading after them would then jump in turn (`# A`, `##### B`, `#### C`: no
/// shift of `B` alone keeps `C` out of it), which only the writer can sort out.
fn raise(doc: &Document, index: usize, by: u8) -> Option<Fix> {
    let level = doc.headings[index].level;
    let run = doc.headings[index..]
        .iter()
        .take_while(|h| h.level >= level)
        .count();
    let moved = &doc.headings[index..index + run];
    if let (Some(last), Some(next)) = (moved.last(), doc.headings.get(index + run))
        && next.level > last.level - by + 1
    {
        return None;
    }
    let mut edits = Vec::with_capacity(run);
    for h in moved {
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
    let levels = if by == 1 { "level" } else { "levels" };
    let siblings = moved.iter().skip(1).filter(|h| h.level == level).count();
    let title = match siblings {
        0 => format!("Raise this section by {by} {levels}"),
        1 => format!("Raise this section and the one after it by {by} {levels}"),
        n => format!("Raise this section and the {n} after it by {by} {levels}"),
    };
    Some(Fix::unsafe_(title, edits))
}
