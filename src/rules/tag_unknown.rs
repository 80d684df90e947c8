//! `tag-unknown`: a tag that is neither an id nor an alias of the taxonomy.

use super::edits;
use super::tags::plural;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};
use crate::taxonomy::{Match, normalize};

pub(crate) struct TagUnknown;

static META: RuleMeta = RuleMeta {
    name: "tag-unknown",
    summary: "A tag is not in the taxonomy",
    default_severity: Severity::Error,
    fix: Some(Applicability::Unsafe),
    explanation: "\
## What it does
Reports a tag value that is neither the id nor an alias of a term of its facet in the
taxonomy. The help suggests the closest term when one is close.

## Why
Unknown tags create pages and filters nobody navigates to, and split articles about the same
stage across two spellings.

## Example
```yaml
stage: [mixng]     # did you mean `mixing`?
```

## Fix safety
Unsafe: when exactly one term is closest (within two edits), the value is replaced by its
id. The writer may have meant a term the taxonomy lacks, so review the change. No fix for a
value an alias refers to.
",
    ..BASE
};

impl Rule for TagUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            for v in f.values.iter().filter(|v| v.matched == Match::Unknown) {
                let wanted = normalize(v.text);
                let spellings: Vec<(String, usize)> = f
                    .facet
                    .spellings()
                    .map(|(s, i)| (normalize(s), i))
                    .collect();
                let closest =
                    crate::suggest::closest(&wanted, spellings.iter().map(|(s, _)| s.as_str()))
                        .and_then(|c| spellings.iter().find(|(s, _)| s == c))
                        .map(|&(_, i)| f.facet.terms[i].id.as_str());
                // Unambiguous when every spelling at the closest distance names the same term.
                let unique = closest.filter(|_| {
                    let best = spellings
                        .iter()
                        .map(|(s, _)| crate::suggest::distance(&wanted, s))
                        .min();
                    let mut terms = spellings
                        .iter()
                        .filter(|(s, _)| Some(crate::suggest::distance(&wanted, s)) == best)
                        .map(|&(_, i)| i);
                    let first = terms.next();
                    terms.all(|i| Some(i) == first)
                });
                let help = match closest {
                    Some(id) => format!("Did you mean `{id}`?"),
                    None if f.facet.terms.len() <= 16 => format!(
                        "Known {}: {}",
                        plural(&f.facet.name),
                        f.facet
                            .terms
                            .iter()
                            .map(|t| format!("`{}`", t.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => {
                        "Run `guidelint schema` to list every tag, or add the term to the taxonomy"
                            .into()
                    }
                };
                let mut d =
                    Diagnostic::new(v.span, format!("Unknown {} `{}`", f.facet.name, v.text))
                        .with_label("not in the taxonomy")
                        .with_help(help)
                        .with_pointer(v.pointer());
                if let Some(id) = unique {
                    d = d.with_fix(
                        Fix::unsafe_(
                            format!("Replace with `{id}`"),
                            vec![edits::replace_scalar(doc, v.span, id)],
                        )
                        .in_scope(v.pointer()),
                    );
                }
                cx.report(d);
            }
        }
    }
}
