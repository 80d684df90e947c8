//! Any text: fixing settles, is idempotent, keeps the body (unless a heading was fixed), and
//! never turns front matter that loads into front matter that does not. The same text with
//! suppression comments placed before some of its lines (chosen by its first byte): every
//! comment silences the same findings of the same values after fixing as before.
#![no_main]

use std::sync::OnceLock;

use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use guidelint::input::document::{Document, FrontMatter};
use libfuzzer_sys::fuzz_target;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let mut settings = Settings::defaults(std::env::temp_dir());
        for name in ["tag-order", "stage-hierarchy"] {
            let i = guidelint::rules::RULES
                .iter()
                .position(|r| r.meta().name == name)
                .expect("registered");
            settings.rules[i] = Some(guidelint::base::diagnostic::Severity::Warning);
        }
        Linter::new(settings)
    })
}

fn loads(text: &str) -> bool {
    matches!(Document::parse_text(text.to_string()).front_matter, FrontMatter::Yaml(b) if b.tree.is_ok())
}

fn body(text: &str) -> String {
    let doc = Document::parse_text(text.to_string());
    doc.text[doc.body_start..].to_string()
}

/// Rules a placed comment names (the first: none, every rule).
const NAMED: &[&str] = &[
    "",
    " tag-unknown",
    " tag-noncanonical",
    " tag-duplicate",
    " tag-not-list",
    " stage-label",
];

/// `text` with a `disable-next-line` comment before each line whose number `seed` picks: a
/// YAML comment in the front matter, an HTML one in the body.
fn with_directives(text: &str, seed: u8) -> String {
    let doc = Document::parse_text(text.to_string());
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let pick = (n as u8).wrapping_mul(37).wrapping_add(seed);
        if n > 0 && pick % 3 == 0 {
            let rule = NAMED[usize::from(pick / 3) % NAMED.len()];
            let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
            if at < doc.body_start {
                out.push_str(&format!("{indent}# guidelint-disable-next-line{rule}\n"));
            } else {
                out.push_str(&format!("<!-- guidelint-disable-next-line{rule} -->\n"));
            }
        }
        out.push_str(line);
        at += line.len();
    }
    out
}

/// What each comment silences: (the comment's ordinal, the rule, the finding's text).
fn silenced(text: &str) -> Vec<(usize, String, String)> {
    let linter = linter();
    let levels = linter.settings().levels_for("");
    let doc = Document::parse(text.as_bytes().to_vec());
    if doc.problem.is_some() {
        // Not an article (a NUL byte, too large): nothing in it is checked, or fixed by a run.
        return Vec::new();
    }
    let kept = linter.findings(&doc, &levels);
    let comments: Vec<usize> = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(_, l)| l.contains("guidelint-disable-next-line"))
        .map(|(n, _)| n + 1)
        .collect();
    let mut out: Vec<(usize, String, String)> = linter
        .check_document(&doc, &levels)
        .iter()
        // By rule and place: kept findings carry bounded texts, the full check's are whole.
        .filter(|d| !kept.iter().any(|k| k.rule == d.rule && k.span == d.span))
        .map(|d| {
            let line = doc.line_col(d.span.start).line;
            let ordinal = comments
                .iter()
                .position(|&c| c + 1 == line)
                .unwrap_or(usize::MAX);
            (ordinal, d.rule.to_string(), doc.slice(d.span).to_string())
        })
        .collect();
    out.sort();
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let linter = linter();
    let levels = linter.settings().levels_for("");
    // Only where lines end with `\n`: the comments are placed by `\n`.
    if let Some(&seed) = data.first()
        && !text.contains('\r')
    {
        let marked = with_directives(text, seed);
        for unsafe_fixes in [false, true] {
            let outcome = linter.fix_text(&marked, &levels, unsafe_fixes);
            assert!(outcome.failure.is_none(), "{:?}", outcome.failure);
            assert_eq!(
                silenced(&marked),
                silenced(&outcome.text),
                "{marked}\n->\n{}",
                outcome.text
            );
        }
    }
    for unsafe_fixes in [false, true] {
        let outcome = linter.fix_text(text, &levels, unsafe_fixes);
        assert!(outcome.failure.is_none(), "{:?}", outcome.failure);
        let again = linter.fix_text(&outcome.text, &levels, unsafe_fixes);
        assert!(
            again.applied.is_empty(),
            "not idempotent: {:?}",
            again.applied
        );
        if loads(text) {
            assert!(loads(&outcome.text));
        }
        let heading_fixed = outcome
            .applied
            .iter()
            .any(|a| a.rule == "stage-label" || a.rule == "heading-increment");
        if !heading_fixed {
            assert_eq!(body(text), body(&outcome.text));
        }
    }
});
