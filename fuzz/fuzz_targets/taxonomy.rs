//! Taxonomies: any text loads or is refused without a panic, and a loaded taxonomy lists each
//! term after its parent, one level below it, with ancestry as its parent links say. Half the
//! inputs are taxonomies whose terms' parents the bytes pick (cycles and chains into cycles
//! included): one is refused exactly when its links have a cycle, with one problem per cycle
//! naming exactly the terms on it.
#![no_main]

use std::collections::BTreeSet;
use std::path::Path;

use guidelint::base::error::ToolError;
use guidelint::input::taxonomy::{Facet, Taxonomy};
use libfuzzer_sys::fuzz_target;

/// Whether `a` is `b` or an ancestor of it, by following parent links.
fn walks_up_to(facet: &Facet, a: usize, b: usize) -> bool {
    let mut at = Some(b);
    for _ in 0..=facet.terms.len() {
        let Some(i) = at else { return false };
        if i == a {
            return true;
        }
        at = facet.terms[i].parent;
    }
    panic!("a parent cycle was loaded")
}

fn check_loaded(taxonomy: &Taxonomy) {
    for facet in &taxonomy.facets {
        let n = facet.terms.len();
        for (i, t) in facet.terms.iter().enumerate() {
            match t.parent {
                Some(p) => {
                    assert!(p < i, "{} comes before its parent", t.id);
                    assert_eq!(t.depth, facet.terms[p].depth + 1);
                }
                None => assert_eq!(t.depth, 0),
            }
        }
        if n <= 200 {
            for a in 0..n {
                assert_eq!(
                    facet.has_children(a),
                    facet.terms.iter().any(|t| t.parent == Some(a))
                );
                for b in 0..n {
                    assert_eq!(facet.is_ancestor_or_self(a, b), walks_up_to(facet, a, b));
                }
            }
        }
    }
}

fn messages(result: Result<Taxonomy, ToolError>) -> Result<Taxonomy, Vec<String>> {
    result.map_err(|e| match e {
        ToolError::InvalidFile(f) => f.messages().map(str::to_string).collect(),
        other => vec![other.to_string()],
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 1 {
        if let Ok(taxonomy) = messages(Taxonomy::parse(
            &String::from_utf8_lossy(rest),
            Path::new("t.yml"),
        )) {
            check_loaded(&taxonomy);
        }
        return;
    }
    // Term k's parent is picked by byte k: none, or one of the terms.
    let n = rest.len().min(64);
    if n == 0 {
        return;
    }
    let parents: Vec<Option<usize>> = rest[..n]
        .iter()
        .map(|&b| (b % 4 != 0).then(|| usize::from(b / 4) % n))
        .collect();
    let mut text = String::from("facets:\n  stage:\n    terms:\n");
    for (k, p) in parents.iter().enumerate() {
        text.push_str(&format!("      - id: t{k}\n"));
        if let Some(p) = p {
            text.push_str(&format!("        parent: t{p}\n"));
        }
    }
    // The cycles, each as the set of its terms.
    let mut cycles: Vec<BTreeSet<String>> = Vec::new();
    for i in 0..n {
        let mut on = BTreeSet::new();
        let mut at = parents[i];
        for _ in 0..n {
            let Some(p) = at else { break };
            on.insert(format!("t{p}"));
            if p == i {
                if !cycles.contains(&on) {
                    cycles.push(on.clone());
                }
                break;
            }
            at = parents[p];
        }
    }
    match messages(Taxonomy::parse(&text, Path::new("t.yml"))) {
        Ok(taxonomy) => {
            assert!(cycles.is_empty(), "{cycles:?} loaded");
            check_loaded(&taxonomy);
        }
        Err(found) => {
            assert_eq!(found.len(), cycles.len(), "{found:?}");
            for message in found {
                // Named in backticks: all of a cycle of at most eight terms, else its first
                // seven and its last.
                let named: BTreeSet<String> = message
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect();
                let names_cycle = |c: &BTreeSet<String>| {
                    if c.len() <= 8 {
                        named == *c
                    } else {
                        named.len() == 8 && named.is_subset(c)
                    }
                };
                assert!(cycles.iter().any(names_cycle), "{message}: {cycles:?}");
            }
        }
    }
});
