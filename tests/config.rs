//! Configuration, taxonomy files, rule selection and the commands around them.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::{article_with_video, diagnostics, field, guidelint, repo, report_of, write};

/// (path, rule) of every finding.
fn findings(cmd: &mut Command) -> (Vec<(String, String)>, i32) {
    let out = cmd.args(["--format", "json"]).output().unwrap();
    let list = diagnostics(&report_of(&out))
        .iter()
        .map(|d| (field(d, "path"), field(d, "rule")))
        .collect();
    (list, out.status.code().unwrap())
}

fn stderr_of(cmd: &mut Command) -> (String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn config_errors_are_reported_at_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let cases = [
        ("unknown_rule", "rules:\n  heading-incremnt: warning\n"),
        ("bad_level", "rules:\n  heading-increment: loud\n"),
        ("unknown_key", "rule:\n  heading-increment: warning\n"),
        ("bad_yaml", "rules:\n  heading-increment: [warning\n"),
        (
            "bad_regex",
            "rules:\n  scrape-residue:\n    patterns: [\"(unclosed\"]\n",
        ),
        (
            "bad_option",
            "rules:\n  heading-increment:\n    severity: warning\n    patterns: [x]\n",
        ),
        ("bad_glob", "exclude: [\"a[.md\"]\n"),
        (
            "option_in_override",
            "overrides:\n  - files: [\"a.md\"]\n    rules:\n      scrape-residue:\n        patterns: [\"x\"]\n",
        ),
    ];
    for (name, text) in cases {
        write(d, "guidelint.yml", text);
        let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
        assert_eq!(code, 2, "{name}: {stderr}");
        insta::assert_snapshot!(format!("config_error_{name}"), stderr);
    }
}

/// `(line, column)` of the first snippet miette shows in `stderr` (`╭─[file:L:C]`).
fn position(stderr: &str) -> (usize, usize) {
    let at = stderr
        .find("guidelint.yml:")
        .expect("a snippet of the configuration")
        + 14;
    let rest = &stderr[at..];
    let end = rest.find(']').unwrap();
    let (line, column) = rest[..end].split_once(':').unwrap();
    (line.parse().unwrap(), column.parse().unwrap())
}

#[test]
fn scrape_residue_patterns_are_bounded_with_an_error_at_the_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let config = |patterns: &[String]| {
        let list: String = patterns
            .iter()
            .map(|p| format!("      - '{p}'\n"))
            .collect();
        format!("rules:\n  scrape-residue:\n    patterns:\n{list}")
    };
    // Item k is on line k + 4.
    let numbered = |n: usize| (0..n).map(|k| format!("^footer {k}$")).collect::<Vec<_>>();
    // As many patterns as allowed are accepted; one more is refused at the first one too many.
    write(d, "guidelint.yml", config(&numbered(200)));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 0, "{stderr}");
    write(d, "guidelint.yml", config(&numbered(2000)));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("at most 200 patterns"), "{stderr}");
    assert_eq!(position(&stderr), (204, 9), "{stderr}");
    // One pattern too large once compiled (Unicode classes repeated a hundred times).
    let mut patterns = numbered(3);
    patterns.insert(1, r"^\w{1,100}$".to_string());
    write(d, "guidelint.yml", config(&patterns));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("too large once compiled"), "{stderr}");
    assert_eq!(position(&stderr), (5, 9), "{stderr}");
    insta::assert_snapshot!("config_error_pattern_too_large", stderr);
    // Patterns each small enough, but not together: the one that passes the limit is named.
    let patterns: Vec<String> = (0..4).map(|k| format!(r"^\w{{1,30}} {k}$")).collect();
    write(d, "guidelint.yml", config(&patterns));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("together"), "{stderr}");
    let (line, column) = position(&stderr);
    assert!((5..=7).contains(&line) && column == 9, "{stderr}");
}

#[test]
fn configuration_globs_and_overrides_are_bounded_with_an_error_at_the_first_too_many() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    // The message on one line, as miette wraps it.
    let flat = |stderr: &str| {
        stderr
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Item k of a list on the second line is on line k + 2, its value at column 5.
    let list = |key: &str, n: usize| {
        let items: String = (0..n)
            .map(|k| format!("  - 'drafts/d{k}/*.md'\n"))
            .collect();
        format!("{key}:\n{items}")
    };
    for key in ["include", "exclude"] {
        write(d, "guidelint.yml", list(key, 1000));
        let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
        assert_eq!(code, 0, "{key}: {stderr}");
        write(d, "guidelint.yml", list(key, 5_000));
        let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
        assert_eq!(code, 2, "{key}: {stderr}");
        assert!(
            flat(&stderr).contains(&format!(
                "Too many `{key}` globs (5000): at most 1000 are allowed"
            )),
            "{stderr}"
        );
        assert_eq!(position(&stderr), (1002, 5), "{stderr}");
    }
    // Overrides of one glob each: override k starts on line 2k + 2, its glob at column 13.
    let overrides = |n: usize, globs: usize| {
        let mut text = String::from("overrides:\n");
        for k in 0..n {
            let files: Vec<String> = (0..globs).map(|j| format!("'d{k}/{j}/*.md'")).collect();
            text.push_str(&format!(
                "  - files: [{}]\n    rules: {{section-empty: off}}\n",
                files.join(", ")
            ));
        }
        text
    };
    write(d, "guidelint.yml", overrides(1000, 1));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 0, "{stderr}");
    write(d, "guidelint.yml", overrides(5_000, 1));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        flat(&stderr).contains("Too many overrides (5000): at most 1000 are allowed"),
        "{stderr}"
    );
    assert_eq!(position(&stderr), (2002, 5), "{stderr}");
    // Two overrides of 600 globs: the 401st of the second is one too many.
    write(d, "guidelint.yml", overrides(2, 600));
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "a.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        flat(&stderr).contains(
            "Too many globs in `overrides` (1200 in all): at most 1000 are allowed in all overrides together"
        ),
        "{stderr}"
    );
    let glob = overrides(2, 600)
        .lines()
        .nth(3)
        .unwrap()
        .find("'d1/400/")
        .unwrap()
        + 1;
    assert_eq!(position(&stderr), (4, glob), "{stderr}");
}

#[test]
fn rule_levels_overrides_and_globs_apply() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each article has one problem: a noncanonical stage.
    for (name, title) in [
        ("guides/a.md", "Mixing vocals"),
        ("drafts/b.md", "Mixing drums"),
        ("vendor/c.md", "Mixing bass"),
        ("notes/d.txt", "Mixing keys"),
    ] {
        write(d, name, article_with_video("Mixing", title, ""));
    }
    write(
        d,
        "guidelint.yml",
        "include: [\"*.md\", \"notes/*.txt\"]\nexclude: [\"vendor/**\"]\nrules:\n  tag-noncanonical: warning\noverrides:\n  - files: [\"drafts/**\"]\n    rules:\n      tag-noncanonical: off\n",
    );
    let (list, code) = findings(guidelint(d).arg("check"));
    assert_eq!(code, 0, "warnings only: {list:?}");
    assert_eq!(
        list,
        [
            ("guides/a.md".to_string(), "tag-noncanonical".to_string()),
            ("notes/d.txt".to_string(), "tag-noncanonical".to_string()),
        ]
    );
    // The configuration is found from a subfolder, and its globs stay relative to it.
    let (list, _) = findings(guidelint(&d.join("drafts")).args(["check", "."]));
    assert!(list.is_empty(), "{list:?}");
    // --no-config: defaults, every file is an error again (explicit files are always checked).
    let (list, code) = findings(guidelint(d).args(["check", "--no-config", ".", "vendor/c.md"]));
    assert_eq!(code, 1);
    assert_eq!(list.len(), 3, "{list:?}");
}

#[test]
fn overrides_apply_in_order_whichever_of_their_globs_match() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each article has one problem: a noncanonical stage (a warning by default).
    for path in [
        "drafts/a.md",
        "drafts/old/b.md",
        "guides/c.md",
        "guides/d.md",
    ] {
        write(d, path, article_with_video("Mixing", path, ""));
    }
    write(
        d,
        "guidelint.yml",
        "overrides:\n  - files: [\"drafts/**\", \"c.md\"]\n    rules: {tag-noncanonical: off}\n  - files: [\"old/*.md\", \"drafts/old/**\", \"guides/*.md\"]\n    rules: {tag-noncanonical: error}\n  - files: [\"guides/d.md\"]\n    rules: {tag-noncanonical: off, duplicate-title: off}\n",
    );
    let (list, code) = findings(guidelint(d).arg("check"));
    // a.md: off; b.md: off, then error; c.md: off (by its name), then error; d.md: error,
    // then off.
    assert_eq!(code, 1, "{list:?}");
    assert_eq!(
        list,
        [
            (
                "drafts/old/b.md".to_string(),
                "tag-noncanonical".to_string()
            ),
            ("guides/c.md".to_string(), "tag-noncanonical".to_string()),
        ]
    );
}

#[test]
fn select_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", "---\ntitle: x\n---\n# A\n### B\n");
    let (all, _) = findings(guidelint(d).args(["check", "--no-config"]));
    assert!(all.len() > 2);
    let (only, code) =
        findings(guidelint(d).args(["check", "--no-config", "--select", "heading-increment"]));
    assert_eq!(code, 1);
    assert_eq!(
        only,
        [("a.md".to_string(), "heading-increment".to_string())]
    );
    let (ignored, _) = findings(guidelint(d).args([
        "check",
        "--no-config",
        "--ignore",
        "heading-increment,schema-violation",
    ]));
    assert!(
        !ignored
            .iter()
            .any(|(_, r)| r == "heading-increment" || r == "schema-violation")
    );
    // An off-by-default rule can be selected.
    write(
        d,
        "b.md",
        article_with_video("mastering, mixing", "Order", ""),
    );
    let (order, _) =
        findings(guidelint(d).args(["check", "--no-config", "--select", "tag-order", "b.md"]));
    assert_eq!(order, [("b.md".to_string(), "tag-order".to_string())]);
    let (stderr, code) = stderr_of(guidelint(d).args(["check", "--select", "tag-ordr"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `tag-order`?"), "{stderr}");
}

#[test]
fn taxonomy_files_replace_or_extend_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.md",
        article_with_video("stem-mastering", "Stem mastering", ""),
    );
    // Extending: the new stage is known, and belongs under mastering.
    write(
        d,
        "taxonomy.yml",
        "extends: default\nfacets:\n  stage:\n    terms:\n      - id: stem-mastering\n        label: Stem mastering\n        parent: post-production\n",
    );
    write(d, "guidelint.yml", "taxonomy: taxonomy.yml\n");
    let (list, code) = findings(guidelint(d).arg("check"));
    assert_eq!(code, 0, "{list:?}");
    // Without the extension the tag is unknown.
    let (list, _) = findings(guidelint(d).args(["check", "--no-config"]));
    assert!(list.contains(&("a.md".to_string(), "tag-unknown".to_string())));
    // Inline in the configuration, replacing the default: `mixing` is unknown there.
    write(d, "b.md", article_with_video("mixing", "Mixing", ""));
    write(
        d,
        "guidelint.yml",
        "taxonomy:\n  facets:\n    stage:\n      terms:\n        - id: stem-mastering\n",
    );
    let (list, _) = findings(guidelint(d).args(["check", "b.md"]));
    assert_eq!(list, [("b.md".to_string(), "tag-unknown".to_string())]);
}

#[test]
fn contradictory_taxonomies_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let cases = [
        (
            "alias_twice",
            "facets:\n  stage:\n    terms:\n      - id: mixing\n        aliases: [mix]\n      - id: mastering\n        aliases: [mix]\n",
        ),
        (
            "alias_is_an_id",
            "facets:\n  stage:\n    terms:\n      - id: mixing\n      - id: mastering\n        aliases: [mixing]\n",
        ),
        (
            "parent_cycle",
            "facets:\n  stage:\n    terms:\n      - id: a\n        parent: b\n      - id: b\n        parent: a\n",
        ),
        (
            "parent_chain_into_cycle",
            "facets:\n  stage:\n    terms:\n      - id: up\n        parent: a\n      - id: a\n        parent: b\n      - id: b\n        parent: a\n",
        ),
        (
            "unknown_parent",
            "facets:\n  stage:\n    terms:\n      - id: a\n        parent: nowhere\n",
        ),
        (
            "bad_id",
            "facets:\n  stage:\n    terms:\n      - id: Not Kebab\n",
        ),
        (
            "extends_conflict",
            "extends: default\nfacets:\n  stage:\n    terms:\n      - id: mixdown-prep\n        aliases: [mixdown]\n",
        ),
    ];
    for (name, text) in cases {
        write(d, "taxonomy.yml", text);
        write(d, "guidelint.yml", "taxonomy: taxonomy.yml\n");
        let (stderr, code) = stderr_of(guidelint(d).arg("check"));
        assert_eq!(code, 2, "{name}: {stderr}");
        insta::assert_snapshot!(format!("taxonomy_error_{name}"), stderr);
    }
}

#[test]
fn the_default_taxonomy_is_consistent_and_covers_the_seed_stages() {
    let taxonomy = guidelint::input::taxonomy::Taxonomy::builtin();
    let stage = taxonomy.facet("stage").unwrap();
    let ids: Vec<&str> = stage.terms.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "general",
            "pre-production",
            "ideation",
            "songwriting",
            "arranging",
            "demo",
            "references",
            "planning",
            "production",
            "sound-design",
            "recording",
            "editing",
            "post-production",
            "mixing",
            "mastering",
        ]
    );
    // The six stages of the second source article all resolve.
    for name in [
        "Songwriting",
        "Arranging",
        "Tracking",
        "Editing",
        "Mixing",
        "Mastering",
    ] {
        assert!(stage.heading_term(name).is_some(), "{name}");
    }
    assert_eq!(taxonomy.facet("level").unwrap().max, Some(1));
    for facet in ["genre", "instrument"] {
        assert!(taxonomy.facet(facet).unwrap().terms[0].exclusive);
    }
    // No spelling names two terms: the loader would have refused the file otherwise, and
    // every alias resolves to its own term.
    for f in &taxonomy.facets {
        for (i, t) in f.terms.iter().enumerate() {
            for a in &t.aliases {
                assert_eq!(f.heading_term(a).map(|(j, _)| j), Some(i), "{a}");
            }
        }
    }
}

#[test]
fn duplicate_titles_and_videos_are_reported_on_every_later_file_naming_the_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = "dQw4w9WgXcQ";
    write(
        d,
        "a.md",
        article_with_video(
            "mixing",
            "Mixing Vocals",
            &format!("https://www.youtube.com/watch?v={id}"),
        ),
    );
    write(
        d,
        "b.md",
        article_with_video(
            "mixing",
            "mixing  vocals",
            &format!("https://youtu.be/{id}"),
        ),
    );
    write(
        d,
        "c.md",
        article_with_video("mixing", "Something else", ""),
    );
    write(d, "d.md", article_with_video("mixing", "MIXING VOCALS", ""));
    let (list, _) = findings(guidelint(d).args(["check", "--no-config"]));
    let of = |rule: &str| -> Vec<String> {
        list.iter()
            .filter(|(_, r)| r == rule)
            .map(|(p, _)| p.clone())
            .collect()
    };
    // The first article in path order keeps its title; the later ones are told.
    assert_eq!(of("duplicate-title"), ["b.md", "d.md"]);
    assert_eq!(of("duplicate-yt-video"), ["b.md"]);
    let out = guidelint(d)
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "a.md",
            "b.md",
            "c.md",
            "d.md",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "b.md:2:8: warning[duplicate-title] Title is already used by 1 article before this one"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "d.md:2:8: warning[duplicate-title] Title is already used by 2 articles before this one"
        ),
        "{text}"
    );
    assert!(!text.contains("a.md:"), "{text}");
    // A suppression in one file silences it there only.
    write(
        d,
        "b.md",
        article_with_video(
            "mixing",
            "mixing  vocals",
            &format!("https://youtu.be/{id}"),
        )
        .replace(
            "title:",
            "# guidelint-disable-next-line duplicate-title\ntitle:",
        ),
    );
    let (list, _) = findings(guidelint(d).args(["check", "--no-config"]));
    let titles: Vec<&String> = list
        .iter()
        .filter(|(_, r)| r == "duplicate-title")
        .map(|(p, _)| p)
        .collect();
    assert_eq!(titles, ["d.md"]);
    assert!(
        !list.iter().any(|(_, r)| r == "unused-suppression"),
        "{list:?}"
    );
}

#[test]
fn init_writes_a_configuration_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    guidelint(d).arg("init").assert().success();
    let text = std::fs::read_to_string(d.join("guidelint.yml")).unwrap();
    assert!(text.contains("# heading-increment: error"));
    guidelint(d).arg("check").assert().code(0);
    guidelint(d)
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    guidelint(d)
        .args(["init", "--with-defaults", "--force"])
        .assert()
        .success();
    for f in ["guidelint.yml", "article.schema.json", "taxonomy.yml"] {
        assert!(d.join(f).is_file(), "{f}");
    }
    guidelint(d).arg("check").assert().code(0);
}

#[test]
fn schema_command_lists_the_taxonomy_ids() {
    let dir = tempfile::tempdir().unwrap();
    let out = guidelint(dir.path())
        .args(["schema", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stages = schema["properties"]["stage"]["items"]["enum"]
        .as_array()
        .unwrap();
    assert!(stages.contains(&Value::from("mixing")));
    assert!(!stages.contains(&Value::from("tracking")));
    // It is a valid schema that accepts a canonical article and rejects an alias.
    let validator = jsonschema::validator_for(&schema).unwrap();
    let ok = serde_json::json!({"title": "Mixing vocals", "description": "How to mix vocals in a busy arrangement.", "genre": ["all"], "stage": ["mixing"], "instrument": ["vocals"], "level": ["beginner"]});
    assert!(validator.is_valid(&ok));
    let mut alias = ok.clone();
    alias["stage"] = serde_json::json!(["tracking"]);
    assert!(!validator.is_valid(&alias));
}

#[test]
fn the_shipped_configuration_schema_is_current() {
    let path = repo().join("schemas/guidelint.schema.json");
    let expected =
        serde_json::to_string_pretty(&guidelint::config::config_schema()).unwrap() + "\n";
    if std::env::var_os("GUIDELINT_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "schemas/guidelint.schema.json is out of date: run `GUIDELINT_UPDATE_SCHEMAS=1 cargo test --test config`"
    );
}

#[test]
fn internal_error_cannot_be_configured_selected_or_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", "---\ntitle: T\n---\n# A\n");
    write(d, "guidelint.yml", "rules:\n  internal-error: off\n");
    let out = guidelint(d).args(["check", "a.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // Unwrapped: the report is wrapped at the terminal's width.
    let flat = |text: &str| {
        text.split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        flat(&stderr).contains("`rules.internal-error` cannot be set: it is always on"),
        "{stderr}"
    );
    assert!(stderr.contains("guidelint.yml:2:19"), "{stderr}");
    for flag in ["--select", "--ignore"] {
        let out = guidelint(d)
            .args(["check", "--no-config", flag, "internal-error", "a.md"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            flat(&stderr).contains("cannot be selected or ignored"),
            "{flag}: {stderr}"
        );
    }
    // It is still explained like any rule.
    let out = guidelint(d)
        .args(["rule", "internal-error"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

/// Each kind of file the tool reads whole besides articles, as `(name, what the message calls
/// it, the limit it names, setup)`: the setup writes the configuration that makes the run read
/// `name` (the file under test), or returns the extra arguments that do.
fn tool_files() -> [(
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
); 4] {
    [
        ("guidelint.yml", "configuration", "10 MiB", &[]),
        (
            "schema.json",
            "schema",
            "10 MiB",
            &["--schema", "schema.json"],
        ),
        ("taxonomy.yml", "taxonomy", "10 MiB", &[]),
        (
            "baseline.json",
            "baseline",
            "256 MiB",
            &["--baseline", "baseline.json"],
        ),
    ]
}

/// Run `check` on `a.md` with `name` in place (and, for a taxonomy, a configuration naming
/// it), stopping the run after 20 seconds so that a hang fails rather than blocks the tests.
fn check_reading(d: &Path, name: &str, args: &[&str]) -> (String, Option<i32>) {
    if name == "taxonomy.yml" {
        write(d, "guidelint.yml", "taxonomy: taxonomy.yml\n");
    }
    let mut cmd = guidelint(d);
    cmd.args(["check", "--no-cache", "a.md"])
        .args(args)
        .timeout(std::time::Duration::from_secs(20));
    if name != "guidelint.yml" && name != "taxonomy.yml" {
        cmd.arg("--no-config");
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn oversized_configuration_schema_taxonomy_and_baseline_are_refused_unread() {
    for (name, what, limit, args) in tool_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
        // A sparse gigabyte: reading it whole would take a gigabyte of memory.
        std::fs::File::create(d.join(name))
            .unwrap()
            .set_len(1 << 30)
            .unwrap();
        let (stderr, code) = check_reading(d, name, args);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{what} `{name}` is larger than the {limit} limit")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn configuration_schema_taxonomy_and_baseline_that_are_not_regular_files_are_refused() {
    for (name, what, _, args) in tool_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
        // A folder in its place.
        std::fs::create_dir(d.join(name)).unwrap();
        let (stderr, code) = if name == "guidelint.yml" {
            // A folder named like a configuration is not one when looking for it: name it.
            let mut cmd = guidelint(d);
            let out = cmd
                .args(["check", "--no-cache", "--config", name, "a.md"])
                .output()
                .unwrap();
            (
                String::from_utf8_lossy(&out.stderr).into_owned(),
                out.status.code(),
            )
        } else {
            check_reading(d, name, args)
        };
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{what} `{name}` is not a regular file (a folder)")),
            "{name}: {stderr}"
        );
        #[cfg(unix)]
        {
            // A named pipe that nothing writes to: opening it would wait for ever.
            std::fs::remove_dir(d.join(name)).unwrap();
            common::make_fifo(&d.join(name));
            let config: &[&str] = if name == "guidelint.yml" {
                &["--config", "guidelint.yml"]
            } else {
                args
            };
            let (stderr, code) = check_reading(d, name, config);
            assert_eq!(code, Some(2), "{name}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "{what} `{name}` is not a regular file (a named pipe)"
                )),
                "{name}: {stderr}"
            );
            // A device that never ends, through a symbolic link (as a checkout can hold).
            std::fs::remove_file(d.join(name)).unwrap();
            std::os::unix::fs::symlink("/dev/zero", d.join(name)).unwrap();
            let (stderr, code) = check_reading(d, name, config);
            assert_eq!(code, Some(2), "{name}: {stderr}");
            assert!(
                stderr.contains(&format!("{what} `{name}` is not a regular file (a device)")),
                "{name}: {stderr}"
            );
        }
    }
}

/// `check` with the configuration `guidelint.yml` in `d`: stderr and exit code, after checking
/// that nothing panicked and that the report is short whatever the size of the file.
fn bounded_error(d: &Path) -> (String, i32) {
    let out = guidelint(d).args(["check", "a.md"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.len() < 4_000, "{} bytes of report", stderr.len());
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} characters was printed");
    (stderr, out.status.code().unwrap())
}

#[test]
fn a_configuration_error_past_column_65535_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let pad = " ".repeat(70_000);
    let text = format!("rules: {{{pad}heading-incremnt: off, {pad}section-empty: loud}}\n");
    write(d, "guidelint.yml", &text);
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    // Each problem is shown at its place (1-based byte columns), with the text around it.
    let first = text.find("heading-incremnt").unwrap() + 1;
    let second = text.find("loud").unwrap() + 1;
    assert!(first > 65_535);
    assert!(
        stderr.contains(&format!("guidelint.yml:1:{first}]")),
        "{stderr}"
    );
    assert!(stderr.contains("heading-incremnt: off,"), "{stderr}");
    assert!(
        stderr.contains(&format!("guidelint.yml:1:{second}]")),
        "{stderr}"
    );
    assert!(stderr.contains("section-empty: loud}"), "{stderr}");
}

#[test]
fn a_schema_error_past_column_65535_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let long = "x".repeat(70_000);
    write(
        d,
        "schema.json",
        format!("{{\"type\": \"object\", \"description\": \"{long}\", }}"),
    );
    write(d, "guidelint.yml", "schema: schema.json\n");
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("column 70039"), "{stderr}");
    assert!(stderr.contains("schema.json:1:70039]"), "{stderr}");
    assert!(stderr.contains("xxx\", }"), "{stderr}");
}

#[test]
fn a_taxonomy_error_past_column_65535_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    let pad = " ".repeat(70_000);
    let text = format!("facets: {{{pad}stage: 3}}\n");
    write(d, "taxonomy.yml", &text);
    write(d, "guidelint.yml", "taxonomy: taxonomy.yml\n");
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    let at = text.find('3').unwrap() + 1;
    assert!(at > 65_535);
    assert!(
        stderr.contains(&format!("taxonomy.yml:1:{at}]")),
        "{stderr}"
    );
    assert!(stderr.contains("stage: 3}"), "{stderr}");
    // Broken YAML there too.
    write(d, "taxonomy.yml", format!("facets: {{{pad}stage: [}}\n"));
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("taxonomy.yml:1:"), "{stderr}");
}

#[test]
fn a_schema_of_one_long_line_is_shown_around_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", article_with_video("mixing", "Mixing vocals", ""));
    // Four megabytes on one line, broken near its start.
    let long = "x".repeat(4 << 20);
    write(
        d,
        "schema.json",
        format!("{{\"type\": \"object\",, \"description\": \"{long}\"}}"),
    );
    write(d, "guidelint.yml", "schema: schema.json\n");
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("schema.json:1:19]"), "{stderr}");
    assert!(
        stderr.contains("{\"type\": \"object\",, \"description\": \"xxx"),
        "{stderr}"
    );
    // A configuration too: one long line, wrong near its end.
    write(
        d,
        "guidelint.yml",
        format!("exclude: [\"{}\", \"a[.md\"]\n", "y".repeat(4 << 20)),
    );
    let (stderr, code) = bounded_error(d);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("yyy\", \"a[.md\"]"), "{stderr}");
}
