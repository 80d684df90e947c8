//! `stage-label`: a heading names a stage with a variant of its label.

use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::base::span::Span;
use crate::input::document::{Document, HeadingText};
use crate::input::taxonomy::STAGE_FACET;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct StageLabel;

static META: RuleMeta = RuleMeta {
    name: "stage-label",
    summary: "A heading spells a stage differently from its label",
    default_severity: Severity::Warning,
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Reports a heading that names a stage or phase by a case, spacing or hyphen variant of its
label in the taxonomy: `# Post-Production` for `Post-production`, `## Sound Design` for
`Sound design`. Headings that use an alias (`## Recording a demo`) are left alone.

## Why
Consistent headings make the guide read as one work and keep anchors stable.

## Example
```markdown
# Post-Production
```
Write `# Post-production`.

## Fix safety
Safe: the heading text is replaced by the label; the `#` marks, inline markup around the
text and the rest of the file are kept. No fix when the text is not written plainly.
",
    ..BASE
};

impl Rule for StageLabel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(facet) = cx.taxonomy().facet(STAGE_FACET) else {
            return;
        };
        let terms = cx.heading_stage_terms();
        for (h, named) in doc.headings.iter().zip(terms.iter()) {
            let Some((term, true)) = *named else {
                continue;
            };
            let label = &facet.terms[term].label;
            let text = doc.heading_text(h);
            if text != label {
                // Point at the heading's text, after the `#` marks, when it is written plainly.
                let span = match &h.text {
                    HeadingText::Source(span) => *span,
                    HeadingText::Parsed(text) => match doc.slice(h.span).find(text.as_str()) {
                        Some(at) => Span::new(h.span.start + at, h.span.start + at + text.len()),
                        None => h.span,
                    },
                };
                let mut d = Diagnostic::new(span, format!("`{text}` should be spelled `{label}`"))
                    .with_label(format!("the taxonomy's label is `{label}`"))
                    .with_help(format!("Write the heading as `{label}`"));
                if doc.slice(span) == text {
                    d = d.with_fix(Fix::safe(
                        format!("Rename to `{label}`"),
                        vec![Edit::replace(span, label.clone())],
                    ));
                }
                cx.report(d);
            }
        }
    }
}
