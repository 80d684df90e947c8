//! `front-matter-invalid-yaml`: the front matter is not YAML guidelint can read.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::{Document, FrontMatter};
use crate::input::yaml::YamlErrorKind;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct FrontMatterInvalidYaml;

static META: RuleMeta = RuleMeta {
    name: "front-matter-invalid-yaml",
    summary: "The front matter is not valid YAML",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports front matter that the YAML 1.2 parser rejects, at the parser's position and with its
reason: a tab used for indentation (at the tab), items that do not line up, an unterminated
quote or flow list, an invalid escape in double quotes (at the escape: `\\q`, `\\uD800`),
nesting deeper than 64 levels, aliases that expand past 100,000 values or 10 MiB of text (a
billion-laughs attack, at the alias that goes over), more than 100,000 values in all, or
values with no JSON equivalent (`.nan`, `.inf`, integers too large to read exactly, complex
keys, unknown `!!` tags). Duplicate keys have their own rule, `front-matter-duplicate-key`.

## Why
A site generator that cannot read the front matter drops the article or fails the build.

## Example
```yaml
title: \"Mixing vocals
stage:
\t- mixing
```

## Fix safety
No fix.
",
    ..BASE
};

impl Rule for FrontMatterInvalidYaml {
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
        if matches!(error.kind, YamlErrorKind::DuplicateKey { .. }) {
            return;
        }
        let label = match error.kind {
            YamlErrorKind::TooDeep => "nested too deep",
            YamlErrorKind::AliasLimit => "expansion stopped here",
            YamlErrorKind::TooManyValues => "one value too many",
            YamlErrorKind::Unrepresentable => "cannot be read",
            _ => "YAML error here",
        };
        let mut diagnostic = Diagnostic::new(error.span, error.message.clone()).with_label(label);
        if let Some(help) = &error.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        cx.report(diagnostic);
    }
}
