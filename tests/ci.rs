//! Gating pull requests: the CI output formats, hostile input, --changed-since, baselines and
//! shards.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

fn guidelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("guidelint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA");
    cmd
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(cmd: &mut Command) -> (String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn article(stage: &str, title: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: How to mix vocals in a busy arrangement.\nyt_video:\ngenre: [all]\nstage: [{stage}]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n## Mixing\nBalance the vocal.\n"
    )
}

#[test]
fn every_format_of_the_example_guide() {
    for format in ["github", "sarif", "junit", "gitlab", "summary"] {
        let (out, code) =
            stdout(guidelint(repo()).args(["check", "fixtures/guide", "--format", format]));
        assert_eq!(code, 1, "{format}");
        // The run time is the only thing that varies.
        let out = out
            .lines()
            .map(|l| match l.find(" time=\"") {
                Some(i) => format!(
                    "{}{}",
                    &l[..i],
                    &l[l[i + 7..].find('"').map_or(l.len(), |j| i + 8 + j)..]
                ),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(format!("format_{format}"), out);
    }
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let (out, _) = stdout(guidelint(repo()).args(["check", "fixtures/guide", "--format", "sarif"]));
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), guidelint::rules::RULES.len());
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[key]["text"].as_str().unwrap().is_empty(), "{rule}");
        }
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(
            ["error", "warning", "note"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let fixable: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert_eq!(fixable.len(), 6);
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], rule);
    }
}

#[cfg(unix)]
#[test]
fn hostile_content_cannot_inject_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A tag with a newline and a command, a heading that is a command, a message with %0A.
    write(
        d,
        "a%,b:c.md",
        "---\ntitle: \"Injected\\n::error::owned\"\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [\"mix\\n::error file=x::pwned\", \"%0A::warning::x\"]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# ::add-mask::x\n### ::stop-commands::token\nText.\n\n# ::add-mask::x\nAgain.\n",
    );
    let (out, _) = stdout(guidelint(d).args(["check", "--format", "github"]));
    assert!(!out.is_empty());
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=a%25%2Cb%3Ac.md,")
                || line.starts_with("::warning file=a%25%2Cb%3Ac.md,"),
            "every line is one annotation of this file: {line}"
        );
        // Only the command's own `::` separator: none from the data.
        let data = &line[line.find("::").unwrap() + 2..];
        let data = &data[data.find("::").unwrap() + 2..];
        assert!(!data.contains('\n') && !data.contains('\r'));
    }
    assert!(out.contains("mix%0A::error file=x::pwned"), "{out}");
    assert!(out.contains("%250A::warning::x"), "{out}");
    assert!(out.contains("Heading `::add-mask::x` repeats"), "{out}");
    // The summary shows the same text inert.
    let (summary, _) = stdout(guidelint(d).args(["check", "--format", "summary"]));
    assert!(!summary.contains('<'));
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Std::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn changed_since_checks_only_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "old.md", &article("Mixing", "Old article"));
    write(d, "renamed.md", &article("Mixing", "Renamed article"));
    write(d, "edited.md", &article("mixing", "Edited article"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    write(d, "edited.md", &article("Mixing", "Edited article"));
    write(d, "new.md", &article("Mixing", "New article"));
    git(d, &["mv", "renamed.md", "moved.md"]);
    let (out, code) = stdout(guidelint(d).args([
        "check",
        "--no-config",
        "--changed-since",
        "HEAD",
        "--format",
        "concise",
        "-q",
    ]));
    assert_eq!(code, 1);
    let paths: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(paths, ["edited.md", "moved.md", "new.md"], "{out}");
    // Files named on the command line are checked too.
    let (out, _) = stdout(guidelint(d).args([
        "check",
        "--no-config",
        "--changed-since",
        "HEAD",
        "--format",
        "concise",
        "-q",
        ".",
        "old.md",
    ]));
    assert!(out.contains("old.md:"), "{out}");
    // A revision Git does not know is a tool failure.
    guidelint(d)
        .args(["check", "--changed-since", "no-such-ref"])
        .assert()
        .code(2);
}

#[test]
fn baselines_keep_old_findings_from_failing_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", &article("Mixing", "Mixing vocals"));
    guidelint(d).args(["check", "--no-config"]).assert().code(1);
    guidelint(d)
        .args([
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ])
        .assert()
        .code(0);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["findings"]["a.md"][0]["rule"], "tag-noncanonical");
    // Known findings are reported as such but do not fail; lines added above do not matter.
    write(
        d,
        "a.md",
        &article("Mixing", "Mixing vocals").replace("---\ntitle", "---\n# a new comment\n\ntitle"),
    );
    let (out, code) = stdout(guidelint(d).args([
        "check",
        "--no-config",
        "--baseline",
        "baseline.json",
        "--format",
        "concise",
    ]));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("(baselined)") && out.contains("1 baselined"),
        "{out}"
    );
    let (quiet, _) = stdout(guidelint(d).args([
        "check",
        "--no-config",
        "--baseline",
        "baseline.json",
        "--format",
        "concise",
        "-q",
    ]));
    assert_eq!(quiet, "");
    // A new finding counts.
    write(d, "b.md", &article("Mastering", "Mastering"));
    guidelint(d)
        .args(["check", "--no-config", "--baseline", "baseline.json"])
        .assert()
        .code(1);
    // Fixed findings drop out on update.
    write(d, "a.md", &article("mixing", "Mixing vocals"));
    std::fs::remove_file(d.join("b.md")).unwrap();
    guidelint(d)
        .args([
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ])
        .assert()
        .code(0);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["findings"], serde_json::json!({}));
}

#[test]
fn shards_partition_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..20 {
        write(
            d,
            &format!("a{i:02}.md"),
            &article("Mixing", &format!("Article {i}")),
        );
    }
    let mut all = Vec::new();
    for k in 1..=3 {
        let (out, _) = stdout(guidelint(d).args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "-q",
            "--shard",
            &format!("{k}/3"),
        ]));
        let paths: Vec<String> = out
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        assert!(!paths.is_empty() && paths.len() < 20);
        all.extend(paths);
    }
    all.sort();
    let expected: Vec<String> = (0..20).map(|i| format!("a{i:02}.md")).collect();
    assert_eq!(all, expected);
    guidelint(d)
        .args(["check", "--shard", "4/3"])
        .assert()
        .code(2);
    // Repository-wide rules only run unsharded.
    write(d, "dup.md", &article("mixing", "Article 1"));
    let (whole, _) =
        stdout(guidelint(d).args(["check", "--no-config", "--format", "concise", "-q"]));
    assert!(whole.contains("duplicate-title"));
    let (sharded, _) = stdout(guidelint(d).args([
        "check",
        "--no-config",
        "--format",
        "concise",
        "-q",
        "--shard",
        "1/1",
    ]));
    assert!(!sharded.contains("duplicate-title"));
}

#[test]
fn one_run_writes_annotations_sarif_json_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", &article("Mixing", "Mixing vocals"));
    write(d, "summary.md", "Earlier step.\n");
    let (out, code) = stdout(guidelint(d).args([
        "check",
        "a.md",
        "--no-config",
        "--format",
        "github",
        "--sarif-file",
        "out.sarif",
        "--json-file",
        "out.json",
        "--summary-file",
        "summary.md",
    ]));
    assert_eq!(code, 1);
    assert!(out.starts_with("::error file=a.md,line=6,"), "{out}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "tag-noncanonical");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["error"], 1);
    let summary = std::fs::read_to_string(d.join("summary.md")).unwrap();
    assert!(
        summary.starts_with("Earlier step.\n## ❌ guidelint"),
        "appended: {summary}"
    );
    // --output-file moves the main report off stdout.
    let (out, _) = stdout(guidelint(d).args([
        "check",
        "a.md",
        "--no-config",
        "--format",
        "junit",
        "--output-file",
        "report.xml",
    ]));
    assert_eq!(out, "");
    assert!(
        std::fs::read_to_string(d.join("report.xml"))
            .unwrap()
            .contains("<testsuites")
    );
}
