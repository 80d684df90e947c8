//! `tag-noncanonical`: a tag written as an alias or a spelling variant of its term's id.

use super::edits;
use crate::base::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::input::document::Document;
use crate::input::taxonomy::{Match, normalize};
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagNoncanonical;

static META: RuleMeta = RuleMeta {
    name: "tag-noncanonical",
    summary: "A tag is an alias or a spelling variant of a taxonomy id",
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Reports a tag that names a taxonomy term but not by its id: an alias (`tracking` for
`recording`) or a variant in case, spacing or hyphens (`Post Production` for
`post-production`). The help names the canonical id.

## Why
One spelling per term keeps the site's tag pages and filters whole.

## Example
```yaml
stage: [Post Production, tracking]
```
Write `stage: [post-production, recording]`.

## Fix safety
Safe: the value is replaced by the canonical id, keeping its quotes and the anchor or tag
before it; nothing else in the file changes. No fix for a value an alias refers to (`&a
Mixing` and `*a` elsewhere): the alias would change too.
",
    ..BASE
};

impl Rule for TagNoncanonical {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            for v in &f.values {
                let Match::Variant(i) = v.matched else {
                    continue;
                };
                let term = &f.facet.terms[i];
                let message = if normalize(v.text) == normalize(&term.id)
                    || normalize(v.text) == normalize(&term.label)
                {
                    format!(
                        "`{}` is not the canonical spelling of `{}`",
                        v.text, term.id
                    )
                } else {
                    format!("`{}` is an alias of `{}`", v.text, term.id)
                };
                cx.report(
                    Diagnostic::new(v.span, message)
                        .with_label(format!("write `{}`", term.id))
                        .with_help(format!(
                            "The taxonomy's id for this {} is `{}`",
                            f.facet.name, term.id
                        ))
                        .with_pointer(v.pointer())
                        .with_fix(
                            Fix::safe(
                                format!("Replace with `{}`", term.id),
                                vec![edits::replace_scalar(doc, v.span, &term.id)],
                            )
                            .in_scope(v.pointer()),
                        ),
                );
            }
        }
    }
}
