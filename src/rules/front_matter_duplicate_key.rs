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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::base::span::Span;
    use crate::config::Settings;
    use crate::engine::linter::Linter;

    /// `front-matter-duplicate-key` findings of `front_matter` (without its fences): the text
    /// at each, its message and the text at its labels.
    fn findings(front_matter: &str) -> Vec<(String, String, Vec<String>)> {
        let text = format!("---\n{front_matter}---\n# A\n");
        let linter = Linter::new(Settings::defaults(PathBuf::new()));
        let (_, found) = linter.check_bytes(text.clone().into_bytes(), "");
        let at = |s: Span| format!("{}@{}", &text[s.start..s.end], s.start);
        found
            .iter()
            .filter(|d| d.rule == "front-matter-duplicate-key")
            .map(|d| {
                let labels = d.labels.iter().map(|l| at(l.span)).collect();
                (at(d.span), d.message.clone(), labels)
            })
            .collect()
    }

    #[test]
    fn a_key_written_four_times_is_reported_at_each_repeat() {
        let found = findings(
            "title: a\nstage: [x]\ntitle: b\ntitle: c\nlevel: [y]\ntitle: d\nstage: [z]\n",
        );
        let title = "Key `title` appears 4 times in the same mapping";
        let stage = "Key `stage` appears twice in the same mapping";
        let first_title = vec!["title@4".to_string()];
        let first_stage = vec!["stage@13".to_string()];
        assert_eq!(
            found,
            vec![
                ("title@24".into(), title.into(), first_title.clone()),
                ("title@33".into(), title.into(), first_title.clone()),
                ("title@53".into(), title.into(), first_title),
                ("stage@62".into(), stage.into(), first_stage),
            ]
        );
    }

    #[test]
    fn repeats_inside_a_repeated_value_and_before_a_later_error_are_reported() {
        // Mapping `a` twice, `k` twice in each of its values: all three repeats.
        let found = findings("a:\n  k: 1\n  k: 2\na:\n  k: 3\n  k: 4\n");
        let places: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(places, ["k@16", "a@21", "k@33"]);
        assert_eq!(found[2].2, ["k@26"]);
        // A syntax error after a repeat: the repeat is what is reported, as before.
        let found = findings("title: a\ntitle: b\nstage: [x\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "title@13");
    }
}
