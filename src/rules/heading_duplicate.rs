//! `heading-duplicate`: two sibling headings with the same text.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::Hasher;

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::input::document::Document;
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
        let keys: Vec<Key<'_>> = doc
            .headings
            .iter()
            .zip(parents.iter())
            .map(|(h, &parent)| Key::new(parent, h.level, doc.heading_text(h)))
            .collect();
        let twins = earlier_twins(&keys, keys.len() > FEW);
        for (h, first) in doc.headings.iter().zip(twins) {
            if let Some(j) = first {
                cx.report(
                    Diagnostic::new(
                        h.span,
                        format!(
                            "Heading `{}` repeats an earlier sibling",
                            doc.heading_text(h)
                        ),
                    )
                    .with_label("duplicate heading")
                    .with_secondary(doc.headings[j].span, "first here")
                    .with_help("Merge the two sections, or rename one"),
                );
            }
        }
    }
}

/// Up to this many headings, each is compared with the earlier ones directly; beyond, through
/// a map (a file can have a million headings). Articles have a few dozen.
const FEW: usize = 32;

/// What two headings are compared by.
struct Key<'a> {
    parent: Option<usize>,
    level: u8,
    /// The text without surrounding blanks.
    text: &'a str,
    /// Its lowercase form, for non-ASCII text only: ASCII text (nearly every heading) is
    /// compared in place.
    lowered: Option<String>,
}

impl<'a> Key<'a> {
    fn new(parent: Option<usize>, level: u8, text: &'a str) -> Self {
        let text = crate::base::text::trim(text);
        Self {
            parent,
            level,
            text,
            lowered: (!text.is_ascii()).then(|| text.to_lowercase()),
        }
    }

    fn same_text(&self, other: &Self) -> bool {
        match (&self.lowered, &other.lowered) {
            (None, None) => self.text.eq_ignore_ascii_case(other.text),
            (Some(a), Some(b)) => a == b,
            // An ASCII text against a lowercased one (`K`, the Kelvin sign, lowercases to `k`).
            (Some(a), None) => a.eq_ignore_ascii_case(other.text),
            (None, Some(b)) => b.eq_ignore_ascii_case(self.text),
        }
    }

    fn twin(&self, other: &Self) -> bool {
        self.parent == other.parent && self.level == other.level && self.same_text(other)
    }
}

/// For each heading, the first earlier one with its parent, level and text (none for an
/// empty text). `by_map` chooses the way, not the answer.
fn earlier_twins(keys: &[Key<'_>], by_map: bool) -> Vec<Option<usize>> {
    if !by_map {
        return keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if k.text.is_empty() {
                    return None;
                }
                (0..i).find(|&j| k.twin(&keys[j]))
            })
            .collect();
    }
    // The first heading of each (parent, level, text), the text hashed as compared.
    let mut firsts: HashMap<(Option<usize>, u8, u64), usize> = HashMap::with_capacity(keys.len());
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            if k.text.is_empty() {
                return None;
            }
            let hash = folded_hash(k.text, k.lowered.as_deref());
            match firsts.entry((k.parent, k.level, hash)) {
                Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
                Entry::Occupied(e) if k.same_text(&keys[*e.get()]) => Some(*e.get()),
                // Two texts with one hash: look for the first twin the long way.
                Entry::Occupied(_) => (0..i).find(|&j| k.twin(&keys[j])),
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::{Key, earlier_twins};
    use proptest::prelude::*;

    proptest! {
        /// The direct comparison used for a few headings and the map used for many agree.
        #[test]
        fn both_ways_find_the_same_twins(
            headings in prop::collection::vec(
                (
                    prop::option::of(0usize..3),
                    1u8..4,
                    prop::sample::select(vec!["", " ", "Mixing", "mixing ", "MIXING", "Mix", "Ünder", "ünder", "\u{212a}ey", "key", "Key"]),
                ),
                0..40,
            )
        ) {
            let keys: Vec<Key<'_>> = headings.iter().map(|&(p, l, t)| Key::new(p, l, t)).collect();
            let direct = earlier_twins(&keys, false);
            prop_assert_eq!(&direct, &earlier_twins(&keys, true));
            // And the answer is the first earlier twin.
            for (i, first) in direct.iter().enumerate() {
                if let Some(j) = *first {
                    prop_assert!(j < i && keys[j].twin(&keys[i]));
                    prop_assert!((0..j).all(|m| !keys[m].twin(&keys[i])));
                }
            }
        }
    }
}
