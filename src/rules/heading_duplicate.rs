//! `heading-duplicate`: two sibling headings with the same text.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::Hasher;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct HeadingDuplicate;

static META: RuleMeta = RuleMeta {
    name: "heading-duplicate",
    summary: "Two sibling headings have the same text",
    default_severity: Severity::Warning,
    explanation: "\
## What it does
Reports a heading with the same text (ignoring case and surrounding blanks) as an earlier
heading under the same parent section.

## Why
Two sections with one name are usually a merge accident, and their anchors collide.

## Example
```markdown
# Production
## Recording
## Recording
```

## Fix safety
No fix.
",
    ..BASE
};

impl Rule for HeadingDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let parents = cx.heading_parents();
        // Headings are compared ignoring case. ASCII text (nearly every heading) is compared
        // in place; other text is lowercased once, here.
        let texts: Vec<&str> = doc.headings.iter().map(|h| h.text.trim()).collect();
        let lowered: Vec<Option<String>> = texts
            .iter()
            .map(|t| (!t.is_ascii()).then(|| t.to_lowercase()))
            .collect();
        let same = |i: usize, j: usize| match (&lowered[i], &lowered[j]) {
            (None, None) => texts[i].eq_ignore_ascii_case(texts[j]),
            (Some(a), Some(b)) => a == b,
            // An ASCII text against a lowercased one (`K`, the Kelvin sign, lowercases to `k`).
            (Some(a), None) => a.eq_ignore_ascii_case(texts[j]),
            (None, Some(b)) => b.eq_ignore_ascii_case(texts[i]),
        };
        // The first heading of each (parent, level, text), the text hashed as compared (a
        // map, not a scan of the earlier headings: a file can have a million of them).
        let mut firsts: HashMap<(Option<usize>, u8, u64), usize> =
            HashMap::with_capacity(doc.headings.len());
        for (i, h) in doc.headings.iter().enumerate() {
            if texts[i].is_empty() {
                continue;
            }
            let key = (
                parents[i],
                h.level,
                folded_hash(texts[i], lowered[i].as_deref()),
            );
            let first = match firsts.entry(key) {
                Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
                Entry::Occupied(e) if same(i, *e.get()) => Some(*e.get()),
                // Two texts with one hash: look for the first same sibling the long way.
                Entry::Occupied(_) => (0..i).find(|&j| {
                    parents[j] == parents[i] && doc.headings[j].level == h.level && same(i, j)
                }),
            };
            if let Some(j) = first {
                cx.report(
                    Diagnostic::new(
                        h.span,
                        format!("Heading `{}` repeats an earlier sibling", h.text),
                    )
                    .with_label("duplicate heading")
                    .with_secondary(doc.headings[j].span, "first here")
                    .with_help("Merge the two sections, or rename one"),
                );
            }
        }
    }
}

/// A hash of `text` as headings are compared: its lowercase form (`lowered`, given for
/// non-ASCII text) or, for ASCII text, its bytes folded to lowercase without a copy.
fn folded_hash(text: &str, lowered: Option<&str>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match lowered {
        Some(lowered) => hasher.write(lowered.as_bytes()),
        None => {
            let mut buf = [0u8; 64];
            for chunk in text.as_bytes().chunks(buf.len()) {
                let folded = &mut buf[..chunk.len()];
                folded.copy_from_slice(chunk);
                folded.make_ascii_lowercase();
                hasher.write(folded);
            }
        }
    }
    hasher.finish()
}
