//! `front-matter-duplicate-key`: the same key twice in one front-matter mapping.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, FrontMatter};
use crate::rules::{BASE, Context, Rule, RuleMeta};
use crate::yaml::YamlErrorKind;

pub(crate) struct FrontMatterDuplicateKey;

static META: RuleMeta = RuleMeta {
    name: "front-matter-duplicate-key",
    summary: "A front matter key appears twice",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a key that appears twice in the same mapping, at the second occurrence, with a label
on the first.

## Why
YAML forbids duplicate keys. Parsers that accept them silently keep one of the two values, so
the article is published with tags the writer may not have meant.

## Example
```yaml
stage: [mixing]
level: [beginner]
stage: [mastering]
```

## Fix safety
No fix: guidelint cannot know which of the two values is meant.
",
    ..BASE
};

impl Rule for FrontMatterDuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let FrontMatter::Yaml(block) = &doc.front_matter else {
            return;
        };
        if let Err(error) = &block.tree
            && let YamlErrorKind::DuplicateKey { first } = error.kind
        {
            let mut diagnostic = Diagnostic::new(error.span, error.message.clone())
                .with_label("duplicate key")
                .with_secondary(first, "first defined here");
            if let Some(help) = &error.help {
                diagnostic = diagnostic.with_help(help.clone());
            }
            cx.report(diagnostic);
        }
    }
}
