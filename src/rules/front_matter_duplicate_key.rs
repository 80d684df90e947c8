//! `front-matter-duplicate-key`: the same key twice in one front-matter mapping.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::{Document, FrontMatter};
use crate::input::yaml::YamlErrorKind;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct FrontMatterDuplicateKey;

static META: RuleMeta = RuleMeta {
    name: "front-matter-duplicate-key",
    summary: "A front matter key appears twice",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a key that appears more than once in the same mapping, at each repeat, with a label
on the first occurrence and the number of times the key is written in the message. At most
1,000 repeats are listed per front matter; the last one listed says how many more follow.

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
        let Err(error) = &block.tree else {
            return;
        };
        // The loader gives the first repeat with every later one.
        for error in std::iter::once(error).chain(&error.others) {
            let YamlErrorKind::DuplicateKey { first } = error.kind else {
                continue;
            };
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
