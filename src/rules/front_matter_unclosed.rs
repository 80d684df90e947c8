//! `front-matter-unclosed`: a `---` line opens front matter that nothing closes.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::{Document, FrontMatter};
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct FrontMatterUnclosed;

static META: RuleMeta = RuleMeta {
    name: "front-matter-unclosed",
    summary: "The front matter block is never closed",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports a file whose first line is `---` but which has no later `---` (or `...`) line to
close the front matter. The body's headings are not checked then, because the body cannot be
told apart from the YAML.

## Why
Site generators either fail on such a file or publish the YAML as text.

## Example
```markdown
---
title: Mixing vocals
# Mixing vocals
```

## Fix safety
No fix: guidelint cannot know where the writer meant the front matter to end.
",
    ..BASE
};

impl Rule for FrontMatterUnclosed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if let FrontMatter::Unclosed { open } = &doc.front_matter {
            cx.report(
                Diagnostic::new(*open, "Front matter is opened but never closed")
                    .with_label("opened here")
                    .with_help("Add a `---` line after the last front matter field"),
            );
        }
    }
}
