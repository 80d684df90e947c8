//! Any text: fixing settles, is idempotent, keeps the body (unless a heading was fixed), and
//! never turns front matter that loads into front matter that does not.
#![no_main]

use std::sync::OnceLock;

use guidelint::config::Settings;
use guidelint::document::{Document, FrontMatter};
use guidelint::fix::fix_text;
use guidelint::linter::Linter;
use libfuzzer_sys::fuzz_target;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let mut settings = Settings::defaults(std::env::temp_dir());
        for name in ["tag-order", "stage-hierarchy"] {
            let i = guidelint::rules::RULES.iter().position(|r| r.meta().name == name).expect("registered");
            settings.rules[i] = Some(guidelint::diagnostic::Severity::Warning);
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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let linter = linter();
    let levels = linter.settings().levels_for("");
    for unsafe_fixes in [false, true] {
        let outcome = fix_text(linter, text, &levels, unsafe_fixes);
        assert!(outcome.failure.is_none(), "{:?}", outcome.failure);
        let again = fix_text(linter, &outcome.text, &levels, unsafe_fixes);
        assert!(again.applied.is_empty(), "not idempotent: {:?}", again.applied);
        if loads(text) {
            assert!(loads(&outcome.text));
        }
        let heading_fixed = outcome.applied.iter().any(|a| a.rule == "stage-label" || a.rule == "heading-increment");
        if !heading_fixed {
            assert_eq!(body(text), body(&outcome.text));
        }
    }
});
