//! Fixes: fixture pairs (`fixtures/fix/<rule>/<case>.md` -> `<case>.fixed.md`, and the rules
//! still reported after the fix in `<case>.findings` when there is one), the CLI's
//! `--fix`, `--diff`, `--unsafe-fixes`, `--show-fixes` and stdin, and the write guarantees.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use guidelint::input::document::{Document, FrontMatter};
use guidelint::rules::RULES;

mod common;
use common::{guidelint, repo};

fn root() -> PathBuf {
    repo().join("fixtures/fix")
}

fn linter_for(rule: &str) -> Linter {
    let mut settings = Settings::defaults(root());
    let i = RULES.iter().position(|r| r.meta().name == rule).unwrap();
    settings.rules[i] = Some(RULES[i].meta().default_severity);
    Linter::new(settings)
}

#[test]
fn fixture_pairs() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    let mut covered = Vec::new();
    for folder in folders {
        let rule = folder.file_name().unwrap().to_str().unwrap().to_string();
        let meta = RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.name == rule)
            .unwrap_or_else(|| panic!("fixtures/fix/{rule} does not name a rule"));
        let declared = meta.fix.unwrap_or_else(|| panic!("{rule} declares no fix"));
        covered.push(rule.clone());
        let linter = linter_for(&rule);
        let levels = linter.settings().levels_for("");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.to_string_lossy();
                !name.ends_with(".fixed.md") && !name.ends_with(".findings")
            })
            .collect();
        cases.sort();
        assert!(!cases.is_empty());
        for case in cases {
            let name = case.file_stem().unwrap().to_str().unwrap().to_string();
            let input = std::fs::read_to_string(&case).unwrap();
            let expected = std::fs::read_to_string(case.with_extension("fixed.md")).unwrap();
            let unsafe_fixes = name.contains("unsafe");
            let outcome = linter.fix_text(&input, &levels, unsafe_fixes);
            assert_eq!(outcome.failure, None, "{rule}/{name}");
            assert!(
                outcome.text == expected,
                "{rule}/{name}: fixed text differs\n--- got\n{}\n--- expected\n{expected}",
                outcome.text
            );
            // Only this rule's declared kind of fix was needed.
            for a in &outcome.applied {
                let m = RULES
                    .iter()
                    .map(|r| r.meta())
                    .find(|m| m.name == a.rule)
                    .unwrap();
                assert!(
                    m.fix.is_some_and(|f| f <= declared || a.rule != rule),
                    "{rule}/{name}: {a:?}"
                );
            }
            if input != expected {
                assert!(
                    outcome.applied.iter().any(|a| a.rule == rule),
                    "{rule}/{name}: no `{rule}` fix applied"
                );
            }
            // `<case>.findings`, when present: the rules still reported after the fix, one
            // per line (sorted).
            let findings = case.with_extension("findings");
            if findings.exists() {
                let expected = std::fs::read_to_string(&findings).unwrap();
                let (_, after) = linter.check_bytes(outcome.text.clone().into_bytes(), "");
                let mut rules: Vec<&str> = after.iter().map(|d| d.rule).collect();
                rules.sort_unstable();
                assert_eq!(
                    rules,
                    expected.lines().collect::<Vec<_>>(),
                    "{rule}/{name}: findings after the fix"
                );
            }
            // Idempotent, and the result still loads.
            let again = linter.fix_text(&outcome.text, &levels, unsafe_fixes);
            assert!(
                again.applied.is_empty(),
                "{rule}/{name}: a second pass changed {:?}",
                again.applied
            );
            let doc = Document::parse_text(outcome.text.clone());
            if let FrontMatter::Yaml(block) = &doc.front_matter
                && !input.contains("genre: [all\n")
            {
                assert!(
                    block.tree.is_ok(),
                    "{rule}/{name}: fixed front matter does not load"
                );
            }
        }
    }
    for rule in RULES.iter().map(|r| r.meta()).filter(|m| m.fix.is_some()) {
        assert!(
            covered.iter().any(|c| c == rule.name),
            "fixable rule `{}` has no fixtures/fix folder",
            rule.name
        );
    }
}

fn copy_case(dir: &Path, rule: &str, case: &str, name: &str) -> (String, String) {
    let input = std::fs::read_to_string(root().join(rule).join(format!("{case}.md"))).unwrap();
    let expected =
        std::fs::read_to_string(root().join(rule).join(format!("{case}.fixed.md"))).unwrap();
    std::fs::write(dir.join(name), &input).unwrap();
    (input, expected)
}

#[test]
fn fix_writes_files_and_reports_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, expected) = copy_case(
        d,
        "tag-noncanonical",
        "block_and_flow_with_comments",
        "a.md",
    );
    let (broken, _) = copy_case(d, "stage-label", "broken_yaml_is_never_rewritten", "b.md");
    guidelint(d)
        .args([
            "check",
            "--no-config",
            "--fix",
            "--show-fixes",
            "--format",
            "concise",
        ])
        .assert()
        .code(1) // b.md's YAML error remains
        .stdout(
            predicate::str::contains("Fixed 4 findings.")
                .and(predicate::str::contains(
                    "  a.md:\n    Replace with `recording` [tag-noncanonical]",
                ))
                .and(predicate::str::contains(
                    "b.md:5:6: error[front-matter-invalid-yaml]",
                ))
                // A file whose YAML does not load is never fixed, so nothing there is fixable.
                .and(predicate::str::contains("1 warning\n")),
        );
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), expected);
    assert_eq!(std::fs::read_to_string(d.join("b.md")).unwrap(), broken);
    // Nothing left to fix: a second run changes nothing.
    guidelint(d)
        .args(["check", "--no-config", "--fix", "a.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed").not());
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), expected);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn diff_shows_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (input, _) = copy_case(d, "tag-not-list", "block_style_file", "a.md");
    let out = guidelint(d)
        .args(["check", "--no-config", "--diff", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("Would fix 2 findings in 1 file")
    );
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), input);
    // Nothing to change: exit 0 and no output.
    std::fs::write(
        d.join("clean.md"),
        std::fs::read_to_string(root().join("tag-not-list/block_style_file.fixed.md")).unwrap(),
    )
    .unwrap();
    guidelint(d)
        .args(["check", "--no-config", "--diff", "clean.md"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (input, expected) = copy_case(d, "heading-increment", "unsafe_subtree", "a.md");
    guidelint(d)
        .args(["check", "--no-config", "--fix", "a.md"])
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), input);
    guidelint(d)
        .args(["check", "--no-config", "--format", "concise", "a.md"])
        .assert()
        .stdout(predicate::str::contains("1 more with --fix --unsafe-fixes"));
    guidelint(d)
        .args(["check", "--no-config", "--fix", "--unsafe-fixes", "a.md"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), expected);
}

#[test]
fn stdin_fix_prints_the_fixed_article() {
    let dir = tempfile::tempdir().unwrap();
    let input = std::fs::read_to_string(root().join("yt-video/short_link_quoted.md")).unwrap();
    let expected =
        std::fs::read_to_string(root().join("yt-video/short_link_quoted.fixed.md")).unwrap();
    guidelint(dir.path())
        .args([
            "check",
            "--no-config",
            "--fix",
            "-",
            "--stdin-filename",
            "a.md",
            "--format",
            "concise",
        ])
        .write_stdin(input)
        .assert()
        .code(0)
        .stdout(expected)
        .stderr(predicate::str::contains("Fixed 1 finding."));
}

#[cfg(unix)]
#[test]
fn fixing_keeps_permissions_and_writes_through_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, expected) = copy_case(d, "tag-noncanonical", "no_final_newline", "real.md");
    std::fs::set_permissions(d.join("real.md"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink(d.join("real.md"), d.join("link.md")).unwrap();
    guidelint(d)
        .args(["check", "--no-config", "--fix", "link.md"])
        .assert()
        .code(0);
    assert!(
        std::fs::symlink_metadata(d.join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(d.join("real.md")).unwrap(),
        expected
    );
    let mode = std::fs::metadata(d.join("real.md"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_file_changed_after_reading_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, "edited by someone else\n").unwrap();
    let err =
        guidelint::engine::fix::write_atomic(&path, b"what was read\n", "fixed\n").unwrap_err();
    assert!(err.contains("changed on disk"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "edited by someone else\n"
    );
    guidelint::engine::fix::write_atomic(&path, b"edited by someone else\n", "fixed\n").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed\n");
}

/// The help and fix `tag-unknown` gives for `value` in the `genre`, `stage` or other facet.
fn unknown_tag_advice(facet: &str, value: &str) -> (String, Option<String>) {
    let linter = linter_for("tag-unknown");
    let levels = linter.settings().levels_for("");
    let text = format!(
        "---\ntitle: Suggestions\ndescription: What an unknown tag is taken for.\n{facet}: [{value}]\n---\n# Mixing\nText.\n"
    );
    let doc = Document::parse_text(text);
    let found: Vec<_> = linter
        .findings(&doc, &levels)
        .into_iter()
        .filter(|d| d.rule == "tag-unknown")
        .collect();
    assert_eq!(found.len(), 1, "{value}: {found:?}");
    let d = &found[0];
    (
        d.help.clone().unwrap_or_default().into(),
        d.fix.as_ref().map(|f| f.title.clone()),
    )
}

#[test]
fn tag_unknown_suggests_the_one_term_within_two_edits() {
    // Two edits away from exactly one term (an id or one of its aliases).
    let (help, fix) = unknown_tag_advice("genre", "Indy");
    assert_eq!(help, "Did you mean `indie`?");
    assert_eq!(fix.as_deref(), Some("Replace with `indie`"));
    let (help, fix) = unknown_tag_advice("stage", "Mixed");
    assert_eq!(help, "Did you mean `mixing`?");
    assert_eq!(fix.as_deref(), Some("Replace with `mixing`"));
    // Three edits from everything: no suggestion.
    let (help, fix) = unknown_tag_advice("stage", "Mxxxxing");
    assert!(!help.starts_with("Did you mean"), "{help}");
    assert_eq!(fix, None);
}

#[test]
fn tag_unknown_names_every_term_as_close_and_fixes_none() {
    let (help, fix) = unknown_tag_advice("genre", "Fonk");
    assert_eq!(help, "Did you mean `folk` or `funk`?");
    assert_eq!(fix, None);
}

#[test]
fn tags_reached_through_an_alias_are_checked_and_never_fixed() {
    let linter = linter_for("tag-unknown");
    let levels = linter.settings().levels_for("");
    let text = "---\ntitle: Tags through an alias\ndescription: A tag field that repeats another list through an alias.\nauthors: &a [Jazzz, Vox]\ngenre: [all]\nstage: [mixing]\ninstrument: *a\nlevel: &l beginner\nextra: *l\n---\n# Mixing\nText.\n";
    let doc = Document::parse_text(text.to_string());
    let found = linter.findings(&doc, &levels);
    let at_alias: Vec<(&str, String)> = found
        .iter()
        .filter(|d| d.rule.starts_with("tag-"))
        .map(|d| (d.rule, d.message.to_string()))
        .collect();
    assert!(
        at_alias.contains(&("tag-unknown", "Unknown instrument `Jazzz`".into())),
        "{at_alias:?}"
    );
    assert!(
        at_alias
            .iter()
            .any(|(r, m)| *r == "tag-noncanonical" && m.contains("Vox")),
        "{at_alias:?}"
    );
    // Reported at the alias, which no fix may rewrite.
    let alias = text.find("*a").unwrap();
    for d in found.iter().filter(|d| d.rule.starts_with("tag-")) {
        if d.message.contains("instrument") || d.message.contains("Vox") {
            assert_eq!(d.span.start, alias, "{d:?}");
            assert!(d.fix.is_none(), "{d:?}");
        }
    }
    let outcome = linter.fix_text(text, &levels, true);
    assert!(!outcome.text.contains("instrument: ["), "{}", outcome.text);
    assert!(
        outcome.text.contains("instrument: *a\n"),
        "{}",
        outcome.text
    );
}

/// `guidelint check --fix -` with `input` on stdin: (exit code, stdout bytes, stderr).
fn fix_stdin(dir: &Path, input: Vec<u8>) -> (Option<i32>, Vec<u8>, String) {
    let out = guidelint(dir)
        .args(["check", "--no-config", "--fix", "-", "--format", "concise"])
        .write_stdin(input)
        .output()
        .unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn stdin_fix_with_nothing_to_fix_prints_the_input_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let clean =
        std::fs::read_to_string(root().join("yt-video/short_link_quoted.fixed.md")).unwrap();
    // A BOM, CRLF line endings and no final newline all come through.
    let input = format!("\u{feff}{}", clean.replace('\n', "\r\n"));
    let input = input.trim_end().as_bytes().to_vec();
    let (code, stdout, stderr) = fix_stdin(dir.path(), input.clone());
    assert_ne!(code, Some(2), "{stderr}");
    assert!(stdout == input, "{stderr}");
}

#[test]
fn stdin_fix_echoes_bytes_that_are_not_utf8_unchanged_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = b"---\ntitle: Caf\xe9 \xff\nstage: [Mixing]\n---\n# H\xe9\n".to_vec();
    let nul = b"---\ntitle: A\0title\nstage: [Mixing]\n---\n".to_vec();
    let utf16 = b"\xff\xfe-\0-\0-\0\n\0".to_vec();
    for input in [latin1, nul, utf16] {
        let (code, stdout, stderr) = fix_stdin(dir.path(), input.clone());
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stdout == input, "{:?}", String::from_utf8_lossy(&stdout));
        assert!(
            stderr.contains("<stdin>: cannot fix") && stderr.contains("unchanged"),
            "{stderr}"
        );
    }
}

#[test]
fn stdin_fix_echoes_input_over_the_size_limit_unchanged_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // Over the 10 MiB limit, with a fixable finding at the top and lines to the end.
    let mut input = b"---\ntitle: T\nstage: [Mixing]\n---\n".to_vec();
    let line = b"A line of the body that goes on for a while, numbered ";
    let mut n = 0u32;
    while input.len() <= 10 * 1024 * 1024 + 100_000 {
        input.extend_from_slice(line);
        input.extend_from_slice(format!("{n}\n").as_bytes());
        n += 1;
    }
    let (code, stdout, stderr) = fix_stdin(dir.path(), input.clone());
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout.len(), input.len());
    assert!(stdout == input);
    assert!(stderr.contains("over the 10 MiB limit"), "{stderr}");
}

/// Owner and group ids of `path`.
#[cfg(unix)]
fn owner(path: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.uid(), meta.gid())
}

#[cfg(unix)]
#[test]
fn fixing_keeps_the_owner_and_group_of_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, expected) = copy_case(d, "tag-noncanonical", "no_final_newline", "a.md");
    // Another user's file in a folder this user may write to: only the superuser can give
    // a file away, so the test needs to be one (as CI is).
    if std::os::unix::fs::chown(d.join("a.md"), Some(4321), Some(8765)).is_err() {
        eprintln!("skipped: giving a file to another user needs the superuser");
        return;
    }
    std::fs::set_permissions(d.join("a.md"), std::fs::Permissions::from_mode(0o664)).unwrap();
    guidelint(d)
        .args(["check", "--no-config", "--fix", "a.md"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), expected);
    assert_eq!(owner(&d.join("a.md")), (4321, 8765));
    let mode = std::fs::metadata(d.join("a.md"))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(mode, 0o664);
}

#[cfg(unix)]
#[test]
fn fixing_leaves_a_file_with_hard_links_unchanged_and_says_why() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (input, _) = copy_case(d, "tag-noncanonical", "no_final_newline", "a.md");
    std::fs::create_dir(d.join("elsewhere")).unwrap();
    std::fs::hard_link(d.join("a.md"), d.join("elsewhere/b.txt")).unwrap();
    guidelint(d)
        .args([
            "check",
            "--no-config",
            "--fix",
            "--format",
            "concise",
            "a.md",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.md: it has 2 hard links"));
    for name in ["a.md", "elsewhere/b.txt"] {
        assert_eq!(std::fs::read_to_string(d.join(name)).unwrap(), input);
    }
    let ino = |name: &str| std::fs::metadata(d.join(name)).unwrap().ino();
    assert_eq!(ino("a.md"), ino("elsewhere/b.txt"), "still one file");
}

#[test]
fn fixing_a_file_whose_name_is_255_bytes_long() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The longest name most file systems allow: a temporary name made from it would not fit.
    let name = format!("{}.md", "n".repeat(252));
    let (_, expected) = copy_case(d, "tag-noncanonical", "no_final_newline", &name);
    guidelint(d)
        .args(["check", "--no-config", "--fix", &name])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(d.join(&name)).unwrap(), expected);
    assert_eq!(
        std::fs::read_dir(d).unwrap().count(),
        1,
        "no file left behind"
    );
}

/// The line after each `guidelint-disable-next-line` comment of `text`.
fn covered_lines(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].contains("guidelint-disable-next-line"))
        .map(|w| (w[0].trim().to_string(), w[1].trim().to_string()))
        .collect()
}

/// Fix `text` with `rule` on (safe fixes, then unsafe ones too) and check that every
/// suppression comment still covers the line it covered, and that no comment became unused.
fn fix_keeps_suppressions(rule: &str, text: &str) -> Vec<String> {
    let linter = linter_for(rule);
    let levels = linter.settings().levels_for("");
    let mut remaining = Vec::new();
    for unsafe_fixes in [false, true] {
        let outcome = linter.fix_text(text, &levels, unsafe_fixes);
        assert_eq!(outcome.failure, None);
        assert_eq!(
            covered_lines(&outcome.text),
            covered_lines(text),
            "unsafe: {unsafe_fixes}\n{}",
            outcome.text
        );
        let unused = |findings: &[guidelint::base::diagnostic::Diagnostic]| {
            findings
                .iter()
                .filter(|d| d.rule == "unused-suppression")
                .count()
        };
        let (_, before) = linter.check_bytes(text.as_bytes().to_vec(), "");
        let (_, after) = linter.check_bytes(outcome.text.into_bytes(), "");
        assert_eq!(unused(&before), unused(&after), "{after:?}");
        remaining = after.iter().map(|d| d.rule.to_string()).collect();
    }
    remaining
}

const HEAD: &str = "---\ntitle: Suppressions and fixes\ndescription: A comment that silences one finding on the next line.\n";
const TAIL: &str = "---\n# Post-production\n## Mixing\nBalance the vocal.\n";

#[test]
fn a_fix_never_moves_a_suppressed_value_off_its_comment_line() {
    // The block-list style of the file would put `comping` on a line of its own.
    let text = format!(
        "{HEAD}genre:\n  - all\n# guidelint-disable-next-line tag-unknown\nstage: comping\ninstrument:\n  - vocals\nlevel:\n  - beginner\n{TAIL}"
    );
    let remaining = fix_keeps_suppressions("tag-not-list", &text);
    assert!(
        remaining.iter().any(|r| r == "tag-not-list"),
        "{remaining:?}"
    );
    assert!(
        !remaining.iter().any(|r| r == "tag-unknown"),
        "{remaining:?}"
    );
}

#[test]
fn removing_a_duplicate_never_moves_a_comment_onto_the_next_item() {
    let text = format!(
        "{HEAD}genre: [all]\nstage: [mixing]\ninstrument:\n  - vocals\n  # guidelint-disable-next-line tag-noncanonical\n  - Vox\n  - kazoo\nlevel: [beginner]\n{TAIL}"
    );
    let remaining = fix_keeps_suppressions("tag-duplicate", &text);
    // The real error on the next item is still reported.
    assert!(
        remaining.iter().any(|r| r == "tag-unknown"),
        "{remaining:?}"
    );
}

#[test]
fn an_inserted_line_never_lands_under_a_suppression_comment() {
    let text = format!(
        "{HEAD}genre: [all]\nstage:\n  # guidelint-disable-next-line tag-noncanonical\n  - Mixdown\ninstrument: [vocals]\nlevel: [beginner]\n{TAIL}"
    );
    fix_keeps_suppressions("stage-hierarchy", &text);
    // The suppressed value is never rewritten, even with unsafe fixes.
    let linter = linter_for("stage-hierarchy");
    let levels = linter.settings().levels_for("");
    let outcome = linter.fix_text(&text, &levels, true);
    assert!(outcome.text.contains("  - Mixdown\n"), "{}", outcome.text);
}

#[test]
fn an_empty_block_scalar_made_a_list_keeps_the_line_after_it() {
    let linter = linter_for("tag-not-list");
    let levels = linter.settings().levels_for("");
    for header in [">", "|", ">-", "|+"] {
        // Flow lists elsewhere, then block lists elsewhere: both styles of the fix.
        for (genre, instrument) in [
            ("genre: [all]", "instrument: [vocals]"),
            ("genre:\n  - all", "instrument:\n  - vocals"),
        ] {
            let text =
                format!("{HEAD}{genre}\nstage: {header}\n{instrument}\nlevel: [beginner]\n{TAIL}");
            let outcome = linter.fix_text(&text, &levels, false);
            assert_eq!(outcome.failure, None, "{header}\n{text}");
            assert_eq!(outcome.applied.len(), 1, "{header}\n{}", outcome.text);
            let (_, after) = linter.check_bytes(outcome.text.clone().into_bytes(), "");
            assert!(
                !after.iter().any(|d| d.rule == "tag-not-list"),
                "{header}\n{}\n{after:?}",
                outcome.text
            );
            assert!(
                outcome.text.contains(&format!("\n{instrument}\n")),
                "{header}\n{}",
                outcome.text
            );
        }
    }
}
