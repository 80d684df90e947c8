//! Gating pull requests: the CI output formats, hostile input, --changed-since, baselines and
//! shards.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{article, diagnostics, field, git, repo, report_of, stdout_of, write};

/// [`common::guidelint`] without the variables GitHub Actions sets: links in the reports would
/// name the repository the tests run in.
fn guidelint(dir: &Path) -> Command {
    let mut cmd = common::guidelint(dir);
    cmd.env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA");
    cmd
}

#[test]
fn every_format_of_the_example_guide() {
    for format in ["github", "sarif", "junit", "gitlab", "summary"] {
        let (out, code) =
            stdout_of(guidelint(repo()).args(["check", "fixtures/guide", "--format", format]));
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
    let (out, _) =
        stdout_of(guidelint(repo()).args(["check", "fixtures/guide", "--format", "sarif"]));
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
    let (out, _) = stdout_of(guidelint(d).args(["check", "--format", "github"]));
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
    let (summary, _) = stdout_of(guidelint(d).args(["check", "--format", "summary"]));
    assert!(!summary.contains('<'));
}

#[test]
fn changed_since_checks_only_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "old.md", article("Mixing", "Old article"));
    write(d, "renamed.md", article("Mixing", "Renamed article"));
    write(d, "edited.md", article("mixing", "Edited article"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    write(d, "edited.md", article("Mixing", "Edited article"));
    write(d, "new.md", article("Mixing", "New article"));
    git(d, &["mv", "renamed.md", "moved.md"]);
    let (out, code) = stdout_of(guidelint(d).args([
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
    let (out, _) = stdout_of(guidelint(d).args([
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
    write(d, "a.md", article("Mixing", "Mixing vocals"));
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
        article("Mixing", "Mixing vocals").replace("---\ntitle", "---\n# a new comment\n\ntitle"),
    );
    let (out, code) = stdout_of(guidelint(d).args([
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
    let (quiet, _) = stdout_of(guidelint(d).args([
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
    write(d, "b.md", article("Mastering", "Mastering"));
    guidelint(d)
        .args(["check", "--no-config", "--baseline", "baseline.json"])
        .assert()
        .code(1);
    // Fixed findings drop out on update.
    write(d, "a.md", article("mixing", "Mixing vocals"));
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
            article("Mixing", &format!("Article {i}")),
        );
    }
    let mut all = Vec::new();
    for k in 1..=3 {
        let (out, _) = stdout_of(guidelint(d).args([
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
    write(d, "dup.md", article("mixing", "Article 1"));
    let (whole, _) =
        stdout_of(guidelint(d).args(["check", "--no-config", "--format", "concise", "-q"]));
    assert!(whole.contains("duplicate-title"));
    let (sharded, _) = stdout_of(guidelint(d).args([
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
    write(d, "a.md", article("Mixing", "Mixing vocals"));
    write(d, "summary.md", "Earlier step.\n");
    let (out, code) = stdout_of(guidelint(d).args([
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
    let (out, _) = stdout_of(guidelint(d).args([
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

/// The paths that have findings in a JSON report of `guidelint check ARGS` in `dir`, sorted,
/// and the number of files checked.
fn checked(dir: &Path, args: &[&str]) -> (Vec<String>, u64, i32) {
    let out = guidelint(dir)
        .args(["check", "--no-config", "--no-cache", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let report = report_of(&out);
    let mut paths: Vec<String> = diagnostics(&report)
        .iter()
        .map(|d| field(d, "path"))
        .collect();
    paths.sort();
    paths.dedup();
    (paths, report["files_checked"].as_u64().unwrap(), code)
}

/// A repository with one committed clean article, `base.md`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "base.md", article("mixing", "Base article"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    dir
}

#[test]
fn changed_since_checks_a_name_with_a_backslash() {
    if cfg!(windows) {
        return;
    }
    let dir = repository();
    let d = dir.path();
    write(d, "back\\slash.md", article("Mixing", "Backslash"));
    git(d, &["add", "."]);
    let (paths, files, code) = checked(d, &["--changed-since", "HEAD", "."]);
    assert_eq!((files, code), (1, 1), "{paths:?}");
    assert_eq!(paths, ["back\\slash.md"]);
}

#[cfg(unix)]
#[test]
fn look_alike_names_that_are_not_utf8_are_two_files() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let name = |byte: u8| std::ffi::OsStr::from_bytes(&[b'x', byte, b'.', b'm', b'd']).to_owned();
    std::fs::write(d.join(name(0xFE)), article("mixing", "Clean")).unwrap();
    std::fs::write(d.join(name(0xFF)), article("Mixing", "Broken")).unwrap();
    let (paths, files, code) = checked(d, &["."]);
    assert_eq!((files, code), (2, 1), "{paths:?}");
    // Each is shown with its own bytes, so the two can be told apart in a report.
    assert_eq!(paths, ["x\\xFF.md"]);
    // Named on the command line, both too.
    let out = guidelint(d)
        .args(["check", "--no-config", "--no-cache", "--format", "json"])
        .arg(name(0xFE))
        .arg(name(0xFF))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files_checked"], 2);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn changed_since_refuses_a_revision_that_looks_like_an_option() {
    let dir = repository();
    let d = dir.path();
    write(d, "overview.md", article("mixing", "Overview"));
    let before = std::fs::read(d.join("overview.md")).unwrap();
    for reference in [
        "--output=overview.md",
        "-ooverview.md",
        "-",
        "--end-of-options",
    ] {
        let out = guidelint(d)
            .args(["check", "--no-config"])
            .arg(format!("--changed-since={reference}"))
            .arg(".")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{reference}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("starts with `-`"), "{reference}: {err}");
        assert_eq!(std::fs::read(d.join("overview.md")).unwrap(), before);
    }
    // As a separate argument, the command line itself refuses it.
    let out = guidelint(d)
        .args([
            "check",
            "--no-config",
            "--changed-since",
            "--output=overview.md",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(d.join("overview.md")).unwrap(), before);
    // A revision that is not a commit is refused before it reaches git diff.
    let out = guidelint(d)
        .args(["check", "--no-config", "--changed-since", "HEAD:base.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HEAD:base.md"), "{err}");
}

#[test]
fn changed_since_checks_every_status_that_leaves_a_markdown_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let mut names: Vec<String> = vec![
        "modified.md".into(),
        "renamed.md".into(),
        "copied.md".into(),
        "type-changed.md".into(),
        "target.md".into(),
    ];
    write(d, "modified.md", article("mixing", "Modified"));
    write(d, "renamed.md", article("mixing", "Renamed"));
    write(d, "copied.md", article("mixing", "Copied"));
    write(d, "target.md", article("mixing", "Target"));
    let symlinks = cfg!(unix);
    #[cfg(unix)]
    std::os::unix::fs::symlink("target.md", d.join("type-changed.md")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    // M, R, C (a copy of a committed file, staged), T (a symbolic link become a file).
    write(d, "modified.md", article("Mixing", "Modified"));
    git(d, &["mv", "renamed.md", "moved.md"]);
    write(d, "moved.md", article("Mixing", "Renamed"));
    write(d, "copy.md", article("Mixing", "Copied"));
    if symlinks {
        std::fs::remove_file(d.join("type-changed.md")).unwrap();
        write(d, "type-changed.md", article("Mixing", "Type changed"));
    }
    // A (staged) and untracked, under hostile names.
    let mut hostile = vec![
        "with space.md",
        "-leading-dash.md",
        "--output=x.md",
        "quote\"d.md",
        "single'quote.md",
        "tab\there.md",
        "caf\u{e9}-nfc.md",
        "cafe\u{301}-nfd.md",
    ];
    if !cfg!(windows) {
        hostile.extend(["new\nline.md", "back\\slash.md", "star*.md"]);
    }
    for (i, name) in hostile.iter().enumerate() {
        write(d, name, article("Mixing", &format!("Hostile {i}")));
        if i % 2 == 0 {
            git(d, &["add", "--", name]);
        }
    }
    git(d, &["add", "-N", "--", "copy.md"]);
    names.retain(|n| n != "renamed.md" && n != "copied.md" && n != "target.md");
    names.extend(["moved.md".into(), "copy.md".into()]);
    if !symlinks {
        names.retain(|n| n != "type-changed.md");
    }
    names.extend(hostile.iter().map(|s| (*s).to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let raw = std::ffi::OsStr::from_bytes(b"raw\xFF.md");
        std::fs::write(d.join(raw), article("Mixing", "Not UTF-8")).unwrap();
        names.push("raw\\xFF.md".into());
    }
    names.sort();
    let (paths, files, code) = checked(d, &["--changed-since", "HEAD", "."]);
    assert_eq!(code, 1);
    assert_eq!(paths, names);
    assert_eq!(files as usize, names.len());
}

#[test]
fn changed_since_from_a_subfolder_checks_the_requested_paths() {
    let dir = repository();
    let d = dir.path();
    write(d, "docs/guide.md", article("mixing", "Guide"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "docs"]);
    write(d, "changed.md", article("Mixing", "Changed at the top"));
    write(d, "docs/guide.md", article("Mixing", "Guide"));
    write(
        d,
        "docs/sub/new.md",
        article("Mixing", "New in a subfolder"),
    );
    let sub = d.join("docs/sub");
    let (paths, files, code) = checked(&sub, &["--changed-since", "HEAD", ".."]);
    assert_eq!((files, code), (2, 1));
    assert_eq!(paths, ["../guide.md", "../sub/new.md"]);
    let (paths, _, _) = checked(&sub, &["--changed-since", "HEAD", "../.."]);
    assert_eq!(
        paths,
        [
            "../../changed.md",
            "../../docs/guide.md",
            "../../docs/sub/new.md"
        ]
    );
    // Only what was asked for: the sub-folder alone.
    let (paths, files, _) = checked(&sub, &["--changed-since", "HEAD", "."]);
    assert_eq!((paths.as_slice(), files), (&["new.md".to_string()][..], 1));
}

#[test]
fn a_file_reached_twice_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "docs/a.md", article("Mixing", "Twice"));
    let (_, files, _) = checked(
        d,
        &["docs/a.md", "./docs/a.md", "docs", "docs/../docs/a.md"],
    );
    assert_eq!(files, 1);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("docs/a.md", d.join("link.md")).unwrap();
        std::os::unix::fs::symlink("docs", d.join("linked-docs")).unwrap();
        let (paths, files, _) = checked(d, &["docs/a.md", "link.md", "linked-docs"]);
        assert_eq!(files, 1, "{paths:?}");
        assert_eq!(paths, ["docs/a.md"]);
    }
}

#[test]
fn changed_since_outside_a_repository_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", article("mixing", "Outside"));
    let out = guidelint(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["check", "--no-config", "--changed-since", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a Git repository"), "{err}");
    assert!(!err.contains("usage:"), "{err}");
    assert!(
        err.lines().filter(|l| !l.trim().is_empty()).count() <= 4,
        "{err}"
    );
}

#[test]
fn changed_since_warns_when_what_decides_the_checks_changed() {
    let dir = repository();
    let d = dir.path();
    write(d, "a.md", article("mixing", "Unchanged"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "a"]);
    let warned = |args: &[&str]| {
        let out = guidelint(d)
            .args(["check", "--changed-since", "HEAD"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(!warned(&["--no-config"]).contains("warning"));
    write(d, ".guidelintignore", "drafts/\n");
    let err = warned(&["--no-config"]);
    assert!(
        err.contains("`.guidelintignore` changed since HEAD"),
        "{err}"
    );
    write(d, "docs/.gitignore", "*.md\n");
    write(d, "guidelint.yml", "rules:\n  section-empty: off\n");
    let err = warned(&[]);
    assert!(
        err.contains("`docs/.gitignore` changed since HEAD"),
        "{err}"
    );
    assert!(err.contains("`guidelint.yml` changed since HEAD"), "{err}");
}

/// Run the Action's script (`scripts/action-run.sh`) on `paths` in `dir` with only `tools` on
/// the `PATH` (found on the test's own `PATH`) and the given inputs: its exit code, and the
/// step outputs it wrote.
#[cfg(unix)]
fn run_action(dir: &Path, tools: &[&str], inputs: &[(&str, &str)]) -> (i32, String, String) {
    let runner = tempfile::tempdir().unwrap();
    let bin = runner.path().join("guidelint-bin/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("guidelint"),
        bin.join("guidelint"),
    )
    .unwrap();
    let path_dir = runner.path().join("path");
    std::fs::create_dir(&path_dir).unwrap();
    let search = std::env::var_os("PATH").unwrap_or_default();
    for tool in tools {
        let found = std::env::split_paths(&search)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is not on the PATH"));
        std::os::unix::fs::symlink(found, path_dir.join(tool)).unwrap();
    }
    let (outputs, summary) = (runner.path().join("out"), runner.path().join("summary"));
    let out = Std::new(path_dir.join("bash"))
        .arg(repo().join("scripts/action-run.sh"))
        .current_dir(dir)
        .env("PATH", &path_dir)
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_CHANGED_ONLY", "false")
        .envs(inputs.iter().copied())
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(outputs).unwrap_or_default();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), outputs, log)
}

#[cfg(unix)]
#[test]
fn the_action_fails_on_errors_and_warnings_without_python() {
    // What the script needs, and no python3.
    let tools = ["bash", "mkdir", "od", "tr", "cat", "awk", "git", "rm"];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "guide/error.md", article("Mixing", "With an error"));
    write(
        d,
        "warned/warning.md",
        article("mixing", "With a warning").replace("Balance the vocal.\n", ""),
    );
    write(d, "clean/clean.md", article("mixing", "Clean"));
    let (code, outputs, log) = run_action(d, &tools, &[("INPUT_PATHS", "guide")]);
    assert_eq!(code, 1, "{log}");
    assert!(outputs.contains("errors=1\n"), "{outputs}");
    // No result cache: one that came with the pull request could say anything.
    assert!(!d.join(".guidelint_cache").exists());
    let cache = [("INPUT_PATHS", "guide"), ("INPUT_ARGS", "--cache-dir .c")];
    assert_eq!(run_action(d, &tools, &cache).0, 2);
    let warned = [("INPUT_PATHS", "warned"), ("INPUT_FAIL_ON", "warning")];
    let (code, outputs, log) = run_action(d, &tools, &warned);
    assert_eq!(code, 1, "{log}");
    assert!(outputs.contains("errors=0\nwarnings=1\n"), "{outputs}");
    let (code, _, log) = run_action(d, &tools, &[("INPUT_PATHS", "warned")]);
    assert_eq!(code, 0, "{log}");
    let (code, outputs, log) = run_action(d, &tools, &[("INPUT_PATHS", "clean")]);
    assert_eq!(code, 0, "{log}");
    assert!(outputs.contains("errors=0\nwarnings=0\n"), "{outputs}");
    // guidelint's own verdict decides when the counts cannot be read (no awk either).
    let bare = ["bash", "mkdir", "od", "tr", "cat", "rm"];
    let (code, _, log) = run_action(d, &bare, &[("INPUT_PATHS", "guide")]);
    assert_eq!(code, 1, "{log}");
    let (code, _, log) = run_action(d, &bare, &warned);
    assert_ne!(code, 0, "{log}");
    let (code, _, log) = run_action(d, &bare, &[("INPUT_PATHS", "missing")]);
    assert_eq!(code, 2, "{log}");
}

/// `guidelint check --format json ARGS` in `dir`: the `(path, rule, baselined)` of every
/// finding, sorted, the exit code and standard error.
fn gate(dir: &Path, args: &[&str]) -> (Vec<(String, String, bool)>, i32, String) {
    let out = guidelint(dir)
        .args(["check", "--no-cache", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut found: Vec<(String, String, bool)> = diagnostics(&report_of(&out))
        .iter()
        .map(|d| {
            let baselined = d["baselined"].as_bool().unwrap();
            (field(d, "path"), field(d, "rule"), baselined)
        })
        .collect();
    found.sort();
    (found, out.status.code().unwrap(), stderr)
}

fn finding(path: &str, rule: &str) -> (String, String, bool) {
    (path.to_string(), rule.to_string(), false)
}

#[test]
fn changed_since_checks_every_file_when_the_taxonomy_or_schema_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let taxonomy = |extra: &str| {
        format!(
            "extends: default\nfacets:\n  stage:\n    terms:\n      - id: {extra}\n        label: Extra\n        parent: post-production\n"
        )
    };
    write(
        d,
        "guidelint.yml",
        "taxonomy: taxonomy.yml\nschema: article.schema.json\n",
    );
    write(d, "taxonomy.yml", taxonomy("stem-mastering"));
    let schema = include_str!("../schemas/article.schema.json");
    write(d, "article.schema.json", schema);
    write(
        d,
        "docs/old.md",
        article("stem-mastering", "Unchanged article"),
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    let (found, code, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert_eq!((found.len(), code), (0, 0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    // The taxonomy drops the term the unchanged article uses.
    write(d, "taxonomy.yml", taxonomy("other-term"));
    let (found, code, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert!(
        stderr.contains("`taxonomy.yml` changed since HEAD") && stderr.contains("every file"),
        "{stderr}"
    );
    assert_eq!(found, [finding("docs/old.md", "tag-unknown")], "{stderr}");
    assert_eq!(code, 1);
    git(d, &["checkout", "-q", "--", "taxonomy.yml"]);
    // The schema allows shorter titles only.
    let mut short: Value = serde_json::from_str(schema).unwrap();
    short["properties"]["title"]["maxLength"] = Value::from(5);
    write(d, "article.schema.json", short.to_string());
    let (found, code, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert!(
        stderr.contains("`article.schema.json` changed since HEAD"),
        "{stderr}"
    );
    assert_eq!(
        found,
        [finding("docs/old.md", "schema-violation")],
        "{stderr}"
    );
    assert_eq!(code, 1);
    git(d, &["checkout", "-q", "--", "article.schema.json"]);
    // A schema named on the command line counts as well.
    write(d, "short.schema.json", short.to_string());
    git(d, &["add", "short.schema.json"]);
    git(d, &["commit", "-q", "-m", "short schema"]);
    write(d, "short.schema.json", schema);
    let args = ["--changed-since", "HEAD", "--schema", "short.schema.json"];
    let (_, _, stderr) = gate(d, &args);
    assert!(
        stderr.contains("`short.schema.json` changed since HEAD"),
        "{stderr}"
    );
}

#[test]
fn changed_since_checks_every_file_when_the_configuration_was_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "guidelint.yml", "rules:\n  tag-noncanonical: off\n");
    write(d, "old.md", article("Mixing", "Unchanged article"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    std::fs::remove_file(d.join("guidelint.yml")).unwrap();
    let (found, code, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert!(
        stderr.contains("`guidelint.yml` was deleted since HEAD") && stderr.contains("every file"),
        "{stderr}"
    );
    assert_eq!(found, [finding("old.md", "tag-noncanonical")], "{stderr}");
    assert_eq!(code, 1);
    // Deleted in the index as well, or renamed away.
    git(d, &["rm", "-q", "--cached", "guidelint.yml"]);
    let (_, _, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert!(stderr.contains("`guidelint.yml` was deleted"), "{stderr}");
    git(d, &["reset", "-q", "--hard"]);
    git(d, &["mv", "guidelint.yml", "unused.yml"]);
    let (found, _, stderr) = gate(d, &["--changed-since", "HEAD"]);
    assert!(stderr.contains("`guidelint.yml` was deleted"), "{stderr}");
    assert_eq!(found, [finding("old.md", "tag-noncanonical")], "{stderr}");
}

#[test]
fn changed_since_honours_only_what_the_baseline_recorded_at_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "old.md", article("Mixing", "Old article"));
    let update = [
        "--no-config",
        "--baseline",
        "baseline.json",
        "--update-baseline",
    ];
    assert_eq!(gate(d, &update).1, 0);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    // The pull request edits the old article (its known finding stays), adds a bad one and
    // records the new finding in the baseline.
    write(
        d,
        "old.md",
        format!("{}More text.\n", article("Mixing", "Old article")),
    );
    write(d, "new.md", article("Mastering", "New article"));
    assert_eq!(gate(d, &update).1, 0);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "pull request"]);
    let args = [
        "--no-config",
        "--baseline",
        "baseline.json",
        "--changed-since",
        "HEAD~1",
    ];
    let (found, code, stderr) = gate(d, &args);
    assert!(
        stderr.contains("`baseline.json` changed since HEAD~1"),
        "{stderr}"
    );
    assert_eq!(
        found,
        [
            finding("new.md", "tag-noncanonical"),
            ("old.md".into(), "tag-noncanonical".into(), true),
        ],
        "{stderr}"
    );
    assert_eq!(code, 1);
    // A run that is not gating a change reads the baseline as it is.
    let (_, code, _) = gate(d, &args[..3]);
    assert_eq!(code, 0);
}

#[test]
fn changed_since_checks_the_changed_articles_of_a_submodule() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, guide) = (dir.path().join("lib"), dir.path().join("guide"));
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::create_dir_all(&guide).unwrap();
    git(&lib, &["init", "-q", "-b", "main"]);
    write(&lib, "old.md", article("Mixing", "Old article"));
    git(&lib, &["add", "."]);
    git(&lib, &["commit", "-q", "-m", "old"]);
    git(&guide, &["init", "-q", "-b", "main"]);
    write(&guide, "base.md", article("mixing", "Base article"));
    git(&guide, &["add", "."]);
    git(&guide, &["commit", "-q", "-m", "base"]);
    let add = ["-c", "protocol.file.allow=always", "submodule", "add", "-q"];
    let lib_url = lib.to_str().unwrap();
    git(&guide, &[&add[..], &[lib_url, "ext"]].concat());
    git(&guide, &["commit", "-q", "-m", "add the submodule"]);
    // A new submodule: every file in it is new.
    let (paths, _, code) = checked(&guide, &["--changed-since", "HEAD~1", "."]);
    assert_eq!(
        (paths.as_slice(), code),
        (&["ext/old.md".to_string()][..], 1)
    );
    // The library gains a bad article; the pull request only moves the gitlink (and asks Git
    // to ignore the submodule).
    write(&lib, "new.md", article("Mastering", "New article"));
    git(&lib, &["add", "."]);
    git(&lib, &["commit", "-q", "-m", "new"]);
    let ext = guide.join("ext");
    git(
        &ext,
        &[
            "-c",
            "protocol.file.allow=always",
            "pull",
            "-q",
            "origin",
            "main",
        ],
    );
    git(
        &guide,
        &["config", "-f", ".gitmodules", "submodule.ext.ignore", "all"],
    );
    git(&guide, &["add", "ext", ".gitmodules"]);
    git(&guide, &["commit", "-q", "-m", "bump"]);
    let (paths, files, code) = checked(&guide, &["--changed-since", "HEAD~1", "."]);
    assert_eq!(paths, ["ext/new.md"]);
    assert_eq!((files, code), (1, 1));
    // Not checked out (a clone without its submodules): nothing to check, and a warning.
    let clone = dir.path().join("clone");
    let out = Std::new("git")
        .args(["clone", "-q"])
        .arg(&guide)
        .arg(&clone)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = guidelint(&clone)
        .args([
            "check",
            "--no-config",
            "--no-cache",
            "--changed-since",
            "HEAD~1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("submodule `ext` changed since HEAD~1 but is not checked out"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_baselined_finding_does_not_silence_a_file_whose_name_looks_the_same() {
    use std::os::unix::ffi::OsStrExt;
    // `x\xFF.md` spelt with a backslash, and `x?.md` with the byte 0xFF, which is shown as
    // `\xFF`: two files that read the same in a report.
    let literal = std::ffi::OsStr::new("x\\xFF.md");
    let raw = std::ffi::OsStr::from_bytes(b"x\xFF.md");
    let bad = article("Mixing", "Look-alike");
    for (first, second) in [(literal, raw), (raw, literal)] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Another title, the same finding (its fingerprint does not depend on the title).
        std::fs::write(d.join(first), bad.replace("Look-alike", "First")).unwrap();
        let update = [
            "--no-config",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ];
        assert_eq!(gate(d, &update).1, 0);
        let args = ["--no-config", "--baseline", "baseline.json"];
        let (found, code, _) = gate(d, &args);
        assert_eq!((found.len(), code), (1, 0), "{first:?} is baselined");
        std::fs::write(d.join(second), &bad).unwrap();
        let (found, code, stderr) = gate(d, &args);
        let open: Vec<_> = found.iter().filter(|f| !f.2).collect();
        assert_eq!(
            (open.len(), code),
            (1, 1),
            "{first:?} then {second:?}: {found:?} {stderr}"
        );
        assert_eq!(open[0].1, "tag-noncanonical");
    }
    // A baseline of a UTF-8 name keeps its key: the name as shown.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(literal), &bad).unwrap();
    let update = [
        "--no-config",
        "--baseline",
        "baseline.json",
        "--update-baseline",
    ];
    gate(d, &update);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("baseline.json")).unwrap()).unwrap();
    assert!(baseline["findings"]["x\\xFF.md"].is_array(), "{baseline}");
}

#[test]
fn changed_since_checks_a_tracked_file_that_gitignore_matches() {
    let dir = repository();
    let d = dir.path();
    write(d, ".gitignore", "drafts/\n*.tmp.md\n");
    write(d, ".guidelintignore", "vendor/\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "ignore files"]);
    // Added with `git add -f`: ignored by `.gitignore`, yet part of the guide.
    for name in ["drafts/forced.md", "docs/forced.tmp.md", "vendor/forced.md"] {
        write(d, name, article("Mixing", name));
        git(d, &["add", "-f", "--", name]);
    }
    // Not added: ignored and untracked, not part of the change.
    write(d, "drafts/local.md", article("Mixing", "Local draft"));
    let (paths, files, code) = checked(d, &["--changed-since", "HEAD", "."]);
    assert_eq!(paths, ["docs/forced.tmp.md", "drafts/forced.md"]);
    assert_eq!((files, code), (2, 1));
    // From a subfolder, and the same file committed and changed again.
    git(d, &["commit", "-q", "-m", "forced"]);
    write(d, "drafts/forced.md", article("Mastering", "Changed again"));
    let (paths, _, _) = checked(&d.join("drafts"), &["--changed-since", "HEAD", "."]);
    assert_eq!(paths, ["forced.md"]);
    // A full run walks as before: `.gitignore` still decides there.
    let (paths, _, _) = checked(d, &["."]);
    assert!(paths.is_empty(), "{paths:?}");
}

/// A repository whose `main` is what `base` wrote, on a branch `pr` with what `change` did
/// committed.
#[cfg(unix)]
fn pull_request(base: impl FnOnce(&Path), change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    base(d);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    git(d, &["checkout", "-q", "-b", "pr"]);
    change(d);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "pull request"]);
    dir
}

/// Point the symbolic link `link` (replaced if there) at `target`.
#[cfg(unix)]
fn repoint(dir: &Path, link: &str, target: &str) {
    let link = dir.join(link);
    if std::fs::symlink_metadata(&link).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(&link).unwrap();
    } else if std::fs::symlink_metadata(&link).is_ok() {
        std::fs::remove_file(&link).unwrap();
    }
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
#[test]
fn changed_since_checks_every_file_when_a_link_to_the_settings_changed() {
    let gate_pr = |dir: &Path, args: &[&str]| {
        let mut all = vec!["--changed-since", "main"];
        all.extend_from_slice(args);
        all.push(".");
        gate(dir, &all)
    };
    // The taxonomy is a link, pointed at an older file that lacks a term in use.
    let taxonomy = |term: &str| {
        format!(
            "extends: default\nfacets:\n  stage:\n    terms:\n      - id: {term}\n        label: Extra\n        parent: post-production\n"
        )
    };
    let dir = pull_request(
        |d| {
            write(d, "guidelint.yml", "taxonomy: taxonomy.yml\n");
            write(d, "tax/v1.yml", taxonomy("other-term"));
            write(d, "tax/v2.yml", taxonomy("stem-mastering"));
            repoint(d, "taxonomy.yml", "tax/v2.yml");
            write(d, "old.md", article("stem-mastering", "Unchanged article"));
        },
        |d| repoint(d, "taxonomy.yml", "tax/v1.yml"),
    );
    let (found, code, stderr) = gate_pr(dir.path(), &[]);
    assert!(
        stderr.contains("`taxonomy.yml` changed since main") && stderr.contains("every file"),
        "{stderr}"
    );
    assert_eq!(found, [finding("old.md", "tag-unknown")], "{stderr}");
    assert_eq!(code, 1);
    // The schema's folder is replaced by a link to a stricter one.
    let schema = include_str!("../schemas/article.schema.json");
    let mut short: Value = serde_json::from_str(schema).unwrap();
    short["properties"]["title"]["maxLength"] = Value::from(5);
    let dir = pull_request(
        |d| {
            write(d, "guidelint.yml", "schema: s/a.json\n");
            write(d, "s/a.json", schema);
            write(d, "s2/a.json", short.to_string());
            write(d, "old.md", article("mixing", "Unchanged article"));
        },
        |d| repoint(d, "s", "s2"),
    );
    let (found, code, stderr) = gate_pr(dir.path(), &[]);
    assert!(stderr.contains("every file"), "{stderr}");
    assert_eq!(found, [finding("old.md", "schema-violation")], "{stderr}");
    assert_eq!(code, 1);
    // The configuration is a link, pointed at other settings.
    let dir = pull_request(
        |d| {
            write(d, "cfg/lenient.yml", "rules:\n  tag-noncanonical: off\n");
            write(d, "cfg/strict.yml", "rules:\n  heading-increment: off\n");
            repoint(d, "guidelint.yml", "cfg/lenient.yml");
            write(d, "old.md", article("Mixing", "Unchanged article"));
        },
        |d| repoint(d, "guidelint.yml", "cfg/strict.yml"),
    );
    let (found, code, stderr) = gate_pr(dir.path(), &[]);
    assert!(
        stderr.contains("`guidelint.yml` changed since main") && stderr.contains("every file"),
        "{stderr}"
    );
    assert_eq!(found, [finding("old.md", "tag-noncanonical")], "{stderr}");
    assert_eq!(code, 1);
    // A link the settings are reached through, named on the command line.
    let (found, _, stderr) = gate_pr(dir.path(), &["--config", "guidelint.yml"]);
    assert!(stderr.contains("every file"), "{stderr}");
    assert_eq!(found, [finding("old.md", "tag-noncanonical")], "{stderr}");
}

#[cfg(unix)]
#[test]
fn changed_since_reads_a_baseline_that_became_a_link_as_it_was() {
    let dir = pull_request(
        |d| {
            write(d, "bad.md", article("Mixing", "Bad article"));
            let update = [
                "--no-config",
                "--baseline",
                "sample.json",
                "--update-baseline",
            ];
            gate(d, &update);
            std::fs::remove_file(d.join("bad.md")).unwrap();
            let update = ["--no-config", "--baseline", "bl.json", "--update-baseline"];
            gate(d, &update);
        },
        |d| {
            write(d, "bad.md", article("Mixing", "Bad article"));
            repoint(d, "bl.json", "sample.json");
        },
    );
    let args = [
        "--no-config",
        "--baseline",
        "bl.json",
        "--changed-since",
        "main",
        ".",
    ];
    let (found, code, stderr) = gate(dir.path(), &args);
    assert!(stderr.contains("`bl.json` changed since main"), "{stderr}");
    assert_eq!(found, [finding("bad.md", "tag-noncanonical")], "{stderr}");
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn changed_since_checks_articles_reached_through_a_changed_link() {
    let dir = pull_request(
        |d| {
            write(d, "good.md", article("mixing", "Good article"));
            write(d, "bad.md", article("Mixing", "Bad article"));
            write(d, "d1/a.md", article("mixing", "Good article"));
            write(d, "d2/a.md", article("Mixing", "Bad article"));
            repoint(d, "link.md", "good.md");
            repoint(d, "docs", "d1");
            write(d, "real/x.md", article("mixing", "Good article"));
            write(d, "real/sub/y.md", article("Mixing", "Bad article"));
            repoint(d, "deep", "real/sub");
        },
        |d| {
            repoint(d, "link.md", "bad.md");
            repoint(d, "docs", "d2");
            repoint(d, "deep", "real");
        },
    );
    let (paths, _, code) = checked(dir.path(), &["--changed-since", "main", "docs"]);
    assert_eq!((paths, code), (vec!["docs/a.md".to_string()], 1));
    let (paths, _, code) = checked(dir.path(), &["--changed-since", "main", "docs/"]);
    assert_eq!((paths, code), (vec!["docs/a.md".to_string()], 1));
    let (paths, _, code) = checked(dir.path(), &["--changed-since", "main", "link.md", "deep"]);
    assert_eq!(
        (paths, code),
        (vec!["deep/sub/y.md".into(), "link.md".into()], 1)
    );
    // Through a folder in the link's place: every file reached through it is the change's.
    let (_, files, _) = checked(dir.path(), &["--changed-since", "main", "deep"]);
    assert_eq!(files, 2);
}
