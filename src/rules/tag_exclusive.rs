//! `tag-exclusive`: `all` or `general` combined with other values.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagExclusive;

static META: RuleMeta = RuleMeta {
    name: "tag-exclusive",
    summary: "An exclusive tag (`all`, `general`) is combined with other tags",
    default_severity: Severity::Error,
    explanation: "\
## What it does
Reports a field that combines a term marked `exclusive` in the taxonomy (`all` genres, `all`
instruments, the `general` stage) with other terms.

## Why
`genre: [all, hip-hop]` says two contradicting things: the article is for every genre, and
for hip-hop.

## Example
```yaml
genre: [all, hip-hop]
```
Keep `all`, or list the genres.

## Fix safety
No fix: only the writer knows which is meant.
",
    ..BASE
};

impl Rule for TagExclusive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            let Some(exclusive) = f
                .values
                .iter()
                .find(|v| v.term().is_some_and(|i| f.facet.terms[i].exclusive))
            else {
                continue;
            };
            let others: Vec<_> = f
                .values
                .iter()
                .filter(|v| v.term() != exclusive.term())
                .collect();
            if others.is_empty() {
                continue;
            }
            let id = &f.facet.terms[exclusive.term().unwrap_or_default()].id;
            let d = Diagnostic::new(
                exclusive.span,
                format!(
                    "`{id}` cannot be combined with other values of `{}`",
                    f.facet.name
                ),
            )
            .with_label(format!("`{id}` stands alone"))
            .with_help(format!(
                "Keep `{id}` alone, or remove it and keep the specific values"
            ))
            .with_pointer(exclusive.pointer());
            let d = super::label_each(d, others.iter().map(|o| o.span), "combined with this");
            cx.report(d);
        }
    }
}
