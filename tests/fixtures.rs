//! Fixture harness: `fixtures/rules/<rule>/valid*.md` give no finding of that rule,
//! `invalid*.md` give at least one, and every fixture's findings are snapshotted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use guidelint::rules;

mod common;
use common::repo;

fn fixture_root() -> PathBuf {
    repo().join("fixtures/rules")
}

/// Findings of one file, one block per finding: position, rule, message, label, help, pointer.
fn render(linter: &Linter, path: &Path) -> (String, Vec<&'static str>) {
    let bytes = std::fs::read(path).unwrap();
    let (doc, diagnostics) = linter.check_bytes(bytes, "");
    let mut out = String::new();
    let mut rules = Vec::new();
    for d in &diagnostics {
        let start = doc.line_col(d.span.start);
        let end = doc.line_col(d.span.end);
        writeln!(
            out,
            "{}:{}-{}:{} {}[{}] {}",
            start.line,
            start.column,
            end.line,
            end.column,
            d.severity.as_str(),
            d.rule,
            d.message
        )
        .unwrap();
        writeln!(out, "    text: {:?}", doc.slice(d.span)).unwrap();
        if let Some(label) = &d.label {
            writeln!(out, "    label: {label}").unwrap();
        }
        for l in &d.labels {
            let at = doc.line_col(l.span.start);
            writeln!(out, "    also {}:{}: {}", at.line, at.column, l.message).unwrap();
        }
        if let Some(help) = &d.help {
            writeln!(out, "    help: {help}").unwrap();
        }
        if let Some(pointer) = &d.pointer {
            writeln!(out, "    pointer: {pointer:?}").unwrap();
        }
        if let Some(fix) = &d.fix {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|e| format!("{}..{} -> {:?}", e.span.start, e.span.end, e.content))
                .collect();
            writeln!(
                out,
                "    fix ({:?}): {} [{}]",
                fix.applicability,
                fix.title,
                edits.join(", ")
            )
            .unwrap();
        }
        rules.push(d.rule);
    }
    (out, rules)
}

#[test]
fn every_fixture_behaves_as_its_name_says() {
    // Each folder runs with the default settings plus its own rule turned on (some rules are
    // off by default).
    let linter_for = |rule: &str| {
        let mut settings = Settings::defaults(fixture_root());
        let i = rules::RULES
            .iter()
            .position(|r| r.meta().name == rule)
            .unwrap();
        settings.rules[i] = Some(rules::RULES[i].meta().default_severity);
        Linter::new(settings)
    };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixture_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    let registered: Vec<&str> = rules::RULES.iter().map(|r| r.meta().name).collect();
    let mut seen_rules = Vec::new();
    for folder in folders {
        let rule = folder.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            rules::find(&rule).is_some(),
            "fixtures/rules/{rule} does not name a registered rule"
        );
        seen_rules.push(rule.clone());
        let linter = linter_for(&rule);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut valid = 0;
        for file in files {
            let name = file.file_stem().unwrap().to_str().unwrap().to_string();
            let (rendered, found) = render(&linter, &file);
            if name.starts_with("valid") {
                valid += 1;
                assert!(
                    !found.contains(&rule.as_str()),
                    "{rule}/{name}: expected no `{rule}` finding, got:\n{rendered}"
                );
            } else if name.starts_with("invalid") {
                assert!(
                    found.contains(&rule.as_str()),
                    "{rule}/{name}: expected a `{rule}` finding, got:\n{rendered}"
                );
            } else {
                panic!("{rule}/{name}: fixture names start with `valid` or `invalid`");
            }
            insta::assert_snapshot!(format!("{rule}__{name}"), rendered);
        }
        assert!(valid > 0, "{rule}: no valid fixture");
    }
    // `internal-error` has no input that triggers it (it stands for a bug): its test injects
    // a panic (tests/robustness.rs).
    for name in registered.into_iter().filter(|n| *n != "internal-error") {
        assert!(
            seen_rules.iter().any(|r| r == name),
            "rule `{name}` has no fixtures folder"
        );
    }
}
