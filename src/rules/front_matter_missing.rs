//! `front-matter-missing`: the article does not start with a YAML front matter block.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::span::Span;
use crate::input::document::{Document, FrontMatter};
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct FrontMatterMissing;

static META: RuleMeta = RuleMeta {
    name: "front-matter-missing",
    summary: "The article has no YAML front matter",
    default_severity: Severity::Error,
    fix: None,
    explanation: "\
## What it does
Reports an article that does not start with a `---` line opening a YAML front matter block.
A TOML block (`+++`) is reported too: only YAML front matter is supported. The help names the
fields the article schema in force requires.

## Why
The guide's site and its search filter articles by `genre`, `stage`, `instrument` and `level`;
an article without front matter cannot be found that way. Articles pasted from a web page often
lack it.

## Example
```markdown
Making Music: The 6 Stages of Music Production

New to the world of music production? …
```
Write instead:
```markdown
---
title: The 6 stages of music production
description: From songwriting to mastering, what each stage of making a track involves.
genre: [all]
stage: [general]
instrument: [all]
level: [beginner]
---
```

## Fix safety
No fix: only the writer knows the title, description and tags.
",
    ..BASE
};

impl Rule for FrontMatterMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.problem.is_some() {
            return;
        }
        let diagnostic = match &doc.front_matter {
            FrontMatter::Missing => {
                let first = doc.lines.line_span(&doc.text, 1);
                let start = first.start.max(usize::from(doc.bom) * 3);
                Diagnostic::new(
                    Span::new(start, first.end.max(start)),
                    "Article has no front matter",
                )
                .with_label("expected a `---` line here")
                .with_help(start_help(&cx.schema().required_fields()))
            }
            FrontMatter::Toml { open, .. } => Diagnostic::new(
                *open,
                "TOML front matter (`+++`) is not supported",
            )
            .with_label("TOML block")
            .with_help(
                "guidelint reads YAML front matter between `---` lines: convert the block to YAML",
            ),
            _ => return,
        };
        cx.report(diagnostic);
    }
}

/// How to start the front matter, naming the fields the schema in force requires.
fn start_help(required: &[&str]) -> String {
    match required {
        [] => "Start the file with a `---` line, its `key: value` fields and a closing `---` line"
            .into(),
        [one] => {
            format!("Start the file with a `---` line, the field `{one}` and a closing `---` line")
        }
        [init @ .., last] => format!(
            "Start the file with a `---` line, the fields {} and `{last}`, and a closing `---` line",
            init.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::start_help;

    #[test]
    fn the_help_names_the_required_fields() {
        assert_eq!(
            start_help(&["title", "genre", "level"]),
            "Start the file with a `---` line, the fields `title`, `genre` and `level`, and a closing `---` line"
        );
        assert_eq!(
            start_help(&["layout"]),
            "Start the file with a `---` line, the field `layout` and a closing `---` line"
        );
        assert!(start_help(&[]).contains("`key: value`"));
    }
}
