//! `schema-violation`: the front matter does not match the article schema.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::{Document, FrontMatter};
use crate::input::schema::Anchors;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct SchemaViolation;

static META: RuleMeta = RuleMeta {
    name: "schema-violation",
    summary: "The front matter does not match the article schema",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Validates the front matter against the article JSON Schema (the built-in
`schemas/article.schema.json`, or the file given with `--schema`). Each error is placed on
the offending value (wrong type, too short or too long, wrong form, invalid date), on the
offending key (a field the schema does not know, with a suggestion when a known field is
close), or on the opening `---` line (a required field is missing).

## Why
The site and its filters rely on every article having the same fields with the same types.
A typo such as `stages:` silently drops the article from every stage page.

## Example
```yaml
title: Mixing vocals
stages: mixing        # unknown field; did you mean `stage`?
```

## Fix safety
No fix in this rule.
",
    ..BASE
};

impl Rule for SchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let FrontMatter::Yaml(block) = &doc.front_matter else {
            return;
        };
        let Ok(tree) = &block.tree else {
            return;
        };
        // One finding at a time: past the limit on findings, each is counted and dropped.
        let schema = cx.schema();
        schema.validate_each(tree, Anchors { open: block.open }, |f| {
            // Filled in place: a finding is a few hundred bytes.
            let mut diagnostic = Diagnostic::new(f.span, f.message);
            diagnostic.label = Some(f.label);
            diagnostic.pointer = Some(f.pointer);
            diagnostic.help = f.help;
            cx.report(diagnostic);
        });
    }
}
