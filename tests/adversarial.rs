//! `fixtures/adversarial/`: input built to break parsers. Each file gets a clear finding (or a
//! failure entry), nothing panics or aborts, and every other file is still checked. Inputs too
//! large to commit (a 50 MB file, a 1 MB line) and file-system oddities are made here.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{bin, diagnostics, field, repo, report_of, rules_at};

/// File -> a rule it must be reported under (`None`: must be accepted without any finding
/// beyond the ones every fixture shares).
const EXPECTED: &[(&str, Option<&str>)] = &[
    ("alias-key.md", Some("schema-violation")),
    ("billion-laughs.md", Some("front-matter-invalid-yaml")),
    ("binary-tag.md", Some("front-matter-invalid-yaml")),
    ("bom.md", None),
    ("complex-keys.md", Some("front-matter-invalid-yaml")),
    ("crlf.md", None),
    ("custom-tag.md", None),
    ("dashes-in-body.md", None),
    ("deep-block-nesting.md", Some("front-matter-invalid-yaml")),
    ("deep-nesting.md", Some("front-matter-invalid-yaml")),
    ("duplicate-bool-keys.md", Some("front-matter-duplicate-key")),
    ("empty-front-matter.md", Some("schema-violation")),
    ("empty.md", Some("front-matter-missing")),
    ("front-matter-only.md", None),
    ("huge-integer.md", Some("front-matter-invalid-yaml")),
    ("invalid-utf8.md", Some("invalid-utf8")),
    // A `\r` alone ends a line, as in CommonMark and YAML: an article like any other.
    ("lone-cr.md", None),
    ("long-key.md", Some("front-matter-invalid-yaml")),
    ("merge-keys.md", Some("schema-violation")),
    ("mixed-endings.md", None),
    ("nan-inf.md", Some("front-matter-invalid-yaml")),
    ("nul-bytes.md", Some("invalid-utf8")),
    ("only-bom.md", Some("front-matter-missing")),
    ("tabs.md", Some("front-matter-invalid-yaml")),
    ("toml-front-matter.md", Some("front-matter-missing")),
    ("toml-unclosed.md", Some("front-matter-missing")),
    (
        "unterminated-flow-list.md",
        Some("front-matter-invalid-yaml"),
    ),
    ("unterminated-quote.md", Some("front-matter-invalid-yaml")),
    ("utf16.md", Some("invalid-utf8")),
];

/// Findings every well-formed fixture shares: they all have the same title and end with an
/// empty-looking section in some cases.
const SHARED: &[&str] = &["duplicate-title", "section-empty"];

fn run(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--no-config", "--format", "json"])
        .args(args)
        // A run that waits (on a named pipe) fails instead of blocking the tests.
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (report_of(&out), out.status.code().unwrap())
}

#[test]
fn every_adversarial_file_gets_a_clear_finding() {
    let (report, code) = run(repo(), &["fixtures/adversarial"]);
    assert_eq!(code, 1);
    assert_eq!(report["files_checked"], EXPECTED.len());
    assert_eq!(report["failures"], Value::Array(Vec::new()));
    for (file, expected) in EXPECTED {
        let rules = rules_at(&report, &format!("fixtures/adversarial/{file}"));
        match expected {
            Some(rule) => assert!(
                rules.iter().any(|r| r == rule),
                "{file}: expected `{rule}`, got {rules:?}"
            ),
            None => assert!(
                rules.iter().all(|r| SHARED.contains(&r.as_str())),
                "{file}: unexpected {rules:?}"
            ),
        }
    }
    // Every finding has a position inside its file.
    for d in diagnostics(&report) {
        assert!(
            d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1,
            "{d}"
        );
    }
}

#[test]
fn large_inputs_and_file_system_oddities() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let article = "---\ntitle: A good article\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n## Mixing\nText.\n";
    std::fs::write(d.join("good.md"), article).unwrap();
    std::fs::File::create(d.join("fifty-megabytes.md"))
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    std::fs::write(
        d.join("long-line.md"),
        article
            .replace("A good", "A long")
            .replace("Text.", &"word ".repeat(200_000)),
    )
    .unwrap();
    std::fs::write(
        d.join("long-title.md"),
        article.replace("A good article", &"x".repeat(1 << 20)),
    )
    .unwrap();
    // A megabyte anchored once and aliased 3,000 times: gigabytes if every copy were made.
    let mut aliases = article.replace(
        "genre: [all]",
        &format!("genre: [all]\nbig: &a {}\nmore:", "x".repeat(1 << 20)),
    );
    aliases = aliases.replace("more:", &format!("more:{}", "\n  - *a".repeat(3000)));
    std::fs::write(d.join("aliases.md"), aliases).unwrap();
    std::fs::create_dir(d.join("folder.md")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("loop-a.md"), d.join("loop-b.md")).unwrap();
        std::os::unix::fs::symlink(d.join("loop-b.md"), d.join("loop-a.md")).unwrap();
        std::os::unix::fs::symlink(d, d.join("self")).unwrap();
        // A named pipe is not a file to walk into (opening it would wait for a writer).
        common::make_fifo(&d.join("pipe.md"));
    }
    let (report, _) = run(d, &[]);
    assert!(rules_at(&report, "good.md").is_empty(), "{report}");
    assert_eq!(rules_at(&report, "fifty-megabytes.md"), ["file-too-large"]);
    assert!(rules_at(&report, "long-line.md").is_empty());
    assert_eq!(rules_at(&report, "long-title.md"), ["schema-violation"]);
    assert_eq!(
        rules_at(&report, "aliases.md"),
        ["front-matter-invalid-yaml"]
    );
    assert_eq!(report["files_checked"], 5);
    assert_eq!(
        report["failures"],
        Value::Array(Vec::new()),
        "links are not followed"
    );
    // Named explicitly, a symlink loop cannot be read, nor a named pipe: failure entries, and
    // the rest is checked.
    #[cfg(unix)]
    {
        let (report, code) = run(d, &["loop-a.md", "pipe.md", "good.md"]);
        assert_eq!(code, 2);
        assert_eq!(report["failures"][0]["path"], "loop-a.md");
        assert_eq!(report["failures"][1]["path"], "pipe.md");
        assert_eq!(report["files_checked"], 1);
    }
}

/// Front matter every generated article below shares.
const FRONT: &str = "---\ntitle: Many findings\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n";

/// `(rule, message)` of every finding in a JSON report.
fn listed(report: &Value) -> Vec<(String, String)> {
    diagnostics(report)
        .iter()
        .map(|x| (field(x, "rule"), field(x, "message")))
        .collect()
}

#[test]
fn findings_of_a_rule_are_capped_per_file_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 3,000 headings `# H`: 2,999 repeats (heading-duplicate) and 3,000 empty sections; the
    // first 500 repeats are suppressed.
    let mut text = format!("{FRONT}# H\n");
    for k in 1..3000 {
        if k <= 500 {
            text.push_str("<!-- guidelint-disable-next-line heading-duplicate -->\n");
        }
        text.push_str("# H\n");
    }
    std::fs::write(d.join("many.md"), &text).unwrap();
    let (report, code) = run(d, &["many.md"]);
    assert_eq!(code, 0, "warnings only");
    let found = listed(&report);
    let of = |rule: &str| found.iter().filter(|(r, _)| r == rule).count();
    assert_eq!(of("heading-duplicate"), 1001);
    assert_eq!(of("section-empty"), 1001);
    assert_eq!(of("unused-suppression"), 0, "every suppression is used");
    let summaries: Vec<&String> = found
        .iter()
        .filter(|(_, m)| m.contains("not shown"))
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        summaries,
        [
            "2000 more findings of this rule are not shown",
            "1499 more findings of this rule are not shown",
        ],
        "{found:?}"
    );
    // The shown repeats are the first ones not suppressed: from the 502nd heading on (the
    // 501st is on line 9 + 2 · 500, after the front matter and 500 comments).
    let first = diagnostics(&report)
        .iter()
        .find(|x| x["rule"] == "heading-duplicate")
        .unwrap();
    assert_eq!(first["line"], 9 + 2 * 500 + 1, "{first}");
    // The same bound in SARIF: a result per shown finding and one per summary.
    let out = bin()
        .current_dir(d)
        .args(["check", "--no-config", "--format", "sarif", "many.md"])
        .output()
        .unwrap();
    let sarif = report_of(&out);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let of = |rule: &str| results.iter().filter(|r| r["ruleId"] == rule).count();
    assert_eq!((of("heading-duplicate"), of("section-empty")), (1001, 1001));
    assert_eq!(results.len(), 2002);
}

#[test]
fn suppression_comments_past_the_limit_are_not_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut text = format!("{FRONT}# H\nText.\n");
    for _ in 0..1005 {
        text.push_str("<!-- guidelint-disable-next-line heading-duplicate -->\n# H\nText.\n");
    }
    std::fs::write(d.join("many.md"), &text).unwrap();
    let (report, _) = run(d, &["many.md"]);
    let found = listed(&report);
    // The first 1,000 comments suppress their repeats; the last five do not.
    let repeats = found
        .iter()
        .filter(|(r, _)| r == "heading-duplicate")
        .count();
    assert_eq!(repeats, 5, "{found:?}");
    assert_eq!(
        found
            .iter()
            .filter(|(r, _)| r == "unused-suppression")
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>(),
        ["5 more suppression comments are not honoured: a file may have at most 1000"]
    );
}

/// Every finding of `rule` in a JSON report, in order.
fn findings_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    diagnostics(report)
        .iter()
        .filter(|x| x["rule"] == rule)
        .collect()
}

#[test]
fn tag_rules_read_a_field_of_many_distinct_values_once() {
    // 40,000 distinct values in `stage` and in `level`, then 40,000 stages without their
    // phase. Comparing each value with every one before it took minutes here (and over 20 s
    // in a release build); a table of the values seen takes a moment.
    // 96,000 values in all: under the limit of 100,000 per front matter.
    let n = 24_000;
    let distinct: String = (0..n).map(|i| format!("  - unk{i}\n")).collect();
    let text = FRONT
        .replace(
            "stage: [mixing]",
            &format!("stage:\n{distinct}  - Unk5\n{}", "  - mixing\n".repeat(n)),
        )
        .replace("level: [beginner]", &format!("level:\n{distinct}"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.md"), text).unwrap();
    let (report, _) = run(
        dir.path(),
        &[
            "--no-cache",
            "--select",
            "tag-duplicate,tag-count,stage-hierarchy",
            "many.md",
        ],
    );
    // `Unk5` repeats `unk5`, then every `mixing` after the first repeats it.
    let duplicates = findings_of(&report, "tag-duplicate");
    assert_eq!(duplicates[0]["message"], "`Unk5` repeats `unk5` in `stage`");
    assert_eq!(
        duplicates[1]["message"],
        "`mixing` repeats `mixing` in `stage`"
    );
    assert_eq!(
        duplicates.last().unwrap()["message"],
        format!("{} more findings of this rule are not shown", n - 1000)
    );
    let count = findings_of(&report, "tag-count");
    assert_eq!(count.len(), 1);
    assert_eq!(
        count[0]["message"],
        format!("`level` has {n} values; at most 1 allowed")
    );
    // One finding per `mixing`; only the first offers to add the phase.
    let hierarchy = findings_of(&report, "stage-hierarchy");
    assert_eq!(hierarchy.len(), 1001);
    assert_eq!(
        hierarchy[0]["message"],
        "`mixing` is listed without its parent `post-production`"
    );
    assert_eq!(
        hierarchy.iter().filter(|d| !d["fix"].is_null()).count(),
        1,
        "{}",
        hierarchy[1]
    );
}

#[test]
fn stage_order_looks_up_the_parent_sections_in_a_table() {
    // 200,000 sections, each with a stage: the latest stage of each parent section was found
    // by a search through every parent seen, which took minutes here (and 8 s for a quarter
    // of them). The last section has its stages out of order.
    let n = 200_000;
    let mut text = String::from(FRONT);
    for i in 0..n {
        text.push_str(&format!("# Part {i}\n## Mixing\n"));
    }
    text.push_str("# Last\n## Mastering\n## Mixing\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.md"), text).unwrap();
    let (report, _) = run(
        dir.path(),
        &["--no-cache", "--select", "stage-order", "many.md"],
    );
    let found = findings_of(&report, "stage-order");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0]["message"],
        "`Mixing` comes after `Mastering`, but comes before it in production"
    );
}

#[test]
fn a_finding_labels_at_most_twenty_values_of_a_long_list() {
    // 30,000 levels (one is allowed) and 30,000 genres besides `all` (which stands alone):
    // one label per value made findings the `human` format took seconds to lay out.
    let n = 30_000;
    let values: String = (0..n).map(|i| format!("  - v{i}\n")).collect();
    let text = FRONT
        .replace("level: [beginner]", &format!("level:\n{values}"))
        .replace("genre: [all]", &format!("genre:\n  - all\n{values}"));
    let mut settings = guidelint::config::Settings::defaults(std::env::temp_dir());
    settings.restrict(Some(&["tag-count".into(), "tag-exclusive".into()]), &[]);
    let linter = guidelint::engine::linter::Linter::new(settings);
    let (_, found) = linter.check_bytes(text.into_bytes(), "");
    for (rule, label) in [
        ("tag-count", "also too many"),
        ("tag-exclusive", "combined with this"),
    ] {
        let d = found.iter().find(|d| d.rule == rule).unwrap();
        let labels: Vec<&str> = d.labels.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(labels.len(), guidelint::rules::MAX_LABELS, "{rule}");
        assert!(labels[..19].iter().all(|l| *l == label), "{labels:?}");
        // tag-count labels the values after the first one too many (the second value).
        let more = if rule == "tag-count" {
            n - 2 - 20
        } else {
            n - 20
        };
        assert_eq!(labels[19], format!("{label} (and {more} more after it)"));
    }
}

#[test]
fn tag_suggestions_are_bounded_however_large_the_taxonomy() {
    // A taxonomy of 20,000 terms of nine letters and one of 40,000, and an article of 3,000
    // distinct unknown stages of nine letters. Each unknown tag was compared with every
    // spelling, normalised again for each tag: minutes here.
    let mut taxonomy = String::from("facets:\n  stage:\n    terms:\n");
    for i in 0..20_000 {
        taxonomy.push_str(&format!("      - id: term{i:05}\n"));
    }
    let long = "x".repeat(40_000);
    taxonomy.push_str(&format!("      - id: {long}\n"));
    let mut settings = guidelint::config::Settings::defaults(std::env::temp_dir());
    settings.setup.set_taxonomy(
        guidelint::input::taxonomy::Taxonomy::parse(&taxonomy, Path::new("taxonomy.yml")).unwrap(),
    );
    settings.restrict(Some(&["tag-unknown".into()]), &[]);
    let linter = guidelint::engine::linter::Linter::new(settings);
    // A near miss, the long term misspelt, ten tags of the terms' length (each compared
    // with all 20,000 terms: the file's budget runs out), a near miss again, and more tags.
    let mut stages = format!("  - term00001z\n  - {}y\n", &long[1..]);
    for i in 0..3000 {
        if i == 10 {
            stages.push_str("  - term00002z\n");
        }
        stages.push_str(&format!("  - zz{i:07}\n"));
    }
    let text = FRONT.replace("stage: [mixing]", &format!("stage:\n{stages}"));
    let (_, found) = linter.check_bytes(text.into_bytes(), "");
    let help = |k: usize| found[k].help.as_deref().unwrap_or_default();
    assert!(found.iter().all(|d| d.rule == "tag-unknown"));
    assert_eq!(found.len(), 1001, "capped, with a summary");
    assert_eq!(help(0), "Did you mean `term00001`?");
    // The long term is never suggested; nor is anything once the budget is spent.
    assert!(
        found[12].message.contains("term00002z"),
        "{}",
        found[12].message
    );
    for k in [1, 12] {
        assert_eq!(
            help(k),
            "Run `guidelint schema` to list every tag, or add the term to the taxonomy"
        );
    }
}

#[test]
fn fixes_are_checked_against_the_aliases_of_a_long_list_by_search() {
    // 60,000 list items that are aliases of one tag (front matter may have 100,000 values):
    // each of their 120,000 fixable findings (a repeat of `mixing`, a spelling of it) was
    // compared with every alias to withdraw its fix, which took minutes here.
    let n = 60_000;
    let text = FRONT.replace(
        "stage: [mixing]",
        &format!("x: &a Mixing\nstage:\n  - mixing\n{}", "  - *a\n".repeat(n)),
    );
    let mut settings = guidelint::config::Settings::defaults(std::env::temp_dir());
    settings.restrict(
        Some(&["tag-duplicate".into(), "tag-noncanonical".into()]),
        &[],
    );
    let linter = guidelint::engine::linter::Linter::new(settings);
    let (_, found) = linter.check_bytes(text.into_bytes(), "");
    // tag-duplicate supersedes tag-noncanonical at each item; no fix touches an alias.
    assert_eq!(found.len(), 1001);
    assert!(
        found
            .iter()
            .all(|d| d.rule == "tag-duplicate" && d.fix.is_none())
    );
    assert_eq!(found[0].message, "`Mixing` repeats `mixing` in `stage`");
}
