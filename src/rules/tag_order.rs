//! `tag-order` (off by default): tags not in taxonomy order.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagOrder;

static META: RuleMeta = RuleMeta {
    name: "tag-order",
    summary: "Tags are not in taxonomy order",
    default_severity: Severity::Warning,
    enabled: false,
    explanation: "\
## What it does
Reports a field whose known values are not in the order of the taxonomy (for stages: the
order of production). Off by default; enable it with `rules: {tag-order: warning}`.

## Why
A consistent order makes front matter easy to scan and diffs small.

## Example
```yaml
stage: [mastering, mixing]
```
Write `stage: [mixing, mastering]`.

## Fix safety
No fix yet.
",
    ..BASE
};

impl Rule for TagOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            let mut latest: Option<&super::tags::TagValue<'_>> = None;
            for v in &f.values {
                let Some(i) = v.term() else { continue };
                if let Some(prev) = latest
                    && prev.term().is_some_and(|p| p > i)
                {
                    let (a, b) = (
                        &f.facet.terms[i].id,
                        &f.facet.terms[prev.term().unwrap_or_default()].id,
                    );
                    cx.report(
                        Diagnostic::new(
                            v.span,
                            format!("`{a}` should come before `{b}` in `{}`", f.facet.name),
                        )
                        .with_label("out of order")
                        .with_secondary(prev.span, "comes later in the taxonomy")
                        .with_help("List the values in the taxonomy's order")
                        .with_pointer(v.pointer.clone()),
                    );
                    break;
                }
                if latest.is_none_or(|p| p.term() < Some(i)) {
                    latest = Some(v);
                }
            }
        }
    }
}
