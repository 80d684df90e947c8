//! `tag-not-list`: a tag field given as a string instead of a list.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagNotList;

static META: RuleMeta = RuleMeta {
    name: "tag-not-list",
    summary: "A tag field is a string instead of a list",
    default_severity: Severity::Error,
    supersedes: &["schema-violation"],
    explanation: "\
## What it does
Reports a taxonomy field (`genre`, `stage`, `instrument`, `level`) written as a single string
instead of a list. It replaces the generic `schema-violation` at that value.

## Why
Site generators read the field as a list of tags; a string is either rejected or split into
characters.

## Example
```yaml
stage: mixing
```
Write `stage: [mixing]`, or a block list.

## Fix safety
No fix yet.
",
    ..BASE
};

impl Rule for TagNotList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            if !f.is_string {
                continue;
            }
            let text = f.values.first().map_or("", |v| v.text);
            let name = &f.facet.name;
            cx.report(
                Diagnostic::new(
                    f.span,
                    format!("`{name}` should be a list of tags, found the string `{text}`"),
                )
                .with_label("expected a list")
                .with_help(format!("Write it as a list: `{name}: [{text}]`"))
                .with_pointer(format!("/{name}")),
            );
        }
    }
}
