//! `section-empty`: a heading with nothing under it.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct SectionEmpty;

static META: RuleMeta = RuleMeta {
    name: "section-empty",
    summary: "A section has no content",
    default_severity: Severity::Warning,
    explanation: "\
## What it does
Reports a heading followed directly by a heading of the same or a higher level, or by the end
of the file, with nothing but blank lines and HTML comments in between.

## Why
An empty section is a placeholder that was never written, or text that was lost.

## Example
```markdown
## Mixing
## Mastering
Loudness targets for streaming.
```

## Fix safety
No fix: write the section or remove the heading.
",
    ..BASE
};

/// Whether `text` holds nothing but whitespace and HTML comments.
fn is_blank(text: &str) -> bool {
    // Blank at the end or not, a text is blank when nothing is left after its start is.
    let mut rest = text.trim_start();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

impl Rule for SectionEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (i, h) in doc.headings.iter().enumerate() {
            let (end, next) = match doc.headings.get(i + 1) {
                Some(n) if n.level <= h.level => (n.span.start, Some(n)),
                Some(_) => continue,
                None => (doc.text.len(), None),
            };
            if !is_blank(doc.text.get(h.span.end..end).unwrap_or("")) {
                continue;
            }
            let mut d = Diagnostic::new(
                h.span,
                format!("Section `{}` is empty", doc.heading_text(h)),
            )
            .with_help("Write the section, or remove the heading");
            d = match next {
                Some(n) => d
                    .with_label("no content before the next heading")
                    .with_secondary(n.span, "next section starts here"),
                None => d.with_label("no content before the end of the file"),
            };
            cx.report(d);
        }
    }
}
