//! `tag-count`: more values than a facet allows.

use std::collections::HashSet;

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagCount;

static META: RuleMeta = RuleMeta {
    name: "tag-count",
    summary: "A tag field has more values than the taxonomy allows",
    default_severity: Severity::Error,
    explanation: "\
## What it does
Reports a field with more distinct values than its facet's `max` in the taxonomy (the
default allows one `level`).

## Why
An article is for beginners or for experts; two levels make the level filter useless.

## Example
```yaml
level: [beginner, advanced]
```

## Fix safety
No fix: only the writer knows which value is right.
",
    ..BASE
};

impl Rule for TagCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            let Some(max) = f.facet.max else { continue };
            // The distinct values so far, in a table: a list can hold thousands of them.
            let mut seen = HashSet::new();
            let mut extra = Vec::new();
            for v in &f.values {
                let key = v.term().map_or(v.text, |i| f.facet.terms[i].id.as_str());
                if !seen.insert(key) {
                    continue;
                }
                if seen.len() > max {
                    extra.push(v);
                }
            }
            let Some(first) = extra.first() else { continue };
            let d = Diagnostic::new(
                first.span,
                format!(
                    "`{}` has {} values; at most {max} allowed",
                    f.facet.name,
                    seen.len()
                ),
            )
            .with_label("one too many")
            .with_help(format!(
                "Keep {} value{} of `{}`",
                max,
                if max == 1 { "" } else { "s" },
                f.facet.name
            ))
            .with_pointer(first.pointer());
            let d = super::label_each(d, extra[1..].iter().map(|e| e.span), "also too many");
            cx.report(d);
        }
    }
}
