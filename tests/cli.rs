//! End-to-end tests of the `guidelint` binary: formats, exit codes, stdin, discovery.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::{bin, copy_tree, diagnostics, field, repo, report_of, stdout_of, write};

/// The binary run in the repository's root, with `NO_COLOR` and `COLUMNS` unset: colours
/// follow `--color` and whether standard output is a terminal.
fn guidelint() -> Command {
    let mut cmd = bin();
    cmd.current_dir(repo())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    cmd
}

/// Replace the run time in the summary line, the only non-deterministic output.
fn redact_time(text: &str) -> String {
    text.lines()
        .map(|line| match (line.find(" in "), line.find("s: ")) {
            (Some(a), Some(b)) if line.starts_with("Checked ") && a < b => {
                format!("{} in [TIME]{}", &line[..a], &line[b + 1..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`guidelint`] run in `dir` instead.
fn guidelint_in(dir: &Path) -> Command {
    let mut cmd = guidelint();
    cmd.current_dir(dir);
    cmd
}

/// The JSON report a run printed on standard output, and its exit code.
fn json_of(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().unwrap();
    (report_of(&out), out.status.code().unwrap())
}

/// `guidelint check --format json ARGS` in `dir`: the report and the exit code.
fn json_check_in(dir: &Path, args: &[&str]) -> (Value, i32) {
    json_of(
        guidelint_in(dir)
            .args(["check", "--format", "json"])
            .args(args),
    )
}

/// `guidelint check fixtures/guide ARGS` in the repository's root: standard output and exit
/// code.
fn check_guide(args: &[&str]) -> (String, i32) {
    stdout_of(guidelint().args(["check", "fixtures/guide"]).args(args))
}

const VALID: &str = "---\ntitle: Mixing vocals\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n## Mixing\nBalance the vocal against the band.\n";

#[test]
fn human_report_of_the_example_guide() {
    let (out, code) = check_guide(&["--color", "never"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(redact_time(&out));
}

#[test]
fn concise_report_of_the_example_guide() {
    let (out, code) = check_guide(&["--format", "concise"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(redact_time(&out));
}

#[test]
fn json_report_follows_the_contract() {
    let (report, code) = json_of(guidelint().args(["check", "fixtures/guide", "--format", "json"]));
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_checked"], 6);
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "diagnostics",
            "failures",
            "files_checked",
            "summary",
            "version"
        ]
    );
    let expected = [
        "baselined",
        "column",
        "end_byte",
        "end_column",
        "end_line",
        "fix",
        "help",
        "line",
        "message",
        "path",
        "pointer",
        "rule",
        "severity",
        "start_byte",
    ];
    for d in report["diagnostics"].as_array().unwrap() {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, expected);
    }
    // Byte offsets and positions agree with the file.
    let first = &report["diagnostics"][0];
    let text = std::fs::read_to_string(repo().join(first["path"].as_str().unwrap())).unwrap();
    let (start, end) = (
        first["start_byte"].as_u64().unwrap() as usize,
        first["end_byte"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "### Ideation");
    assert_eq!(first["line"], 17);
    insta::assert_snapshot!(serde_json::to_string_pretty(&report).unwrap());
}

#[test]
fn exit_code_zero_when_clean() {
    guidelint()
        .args([
            "check",
            "fixtures/guide/pre-production",
            "fixtures/guide/post-production/mastering.md",
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Checked 2 files")
                .and(predicate::str::contains("no problems found")),
        );
}

#[test]
fn missing_path_is_a_failure_but_other_files_are_still_checked() {
    let (report, code) = json_check_in(repo(), &["no/such/dir", "fixtures/guide/six-stages.md"]);
    assert_eq!(code, 2);
    assert_eq!(report["failures"][0]["path"], "no/such/dir");
    assert_eq!(report["failures"][0]["message"], "path does not exist");
    assert_eq!(report["diagnostics"][0]["rule"], "front-matter-missing");
}

#[test]
fn bad_arguments_exit_with_two() {
    guidelint()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    guidelint().args(["check", "--jobs", "0"]).assert().code(2);
    guidelint().args(["frobnicate"]).assert().code(2);
}

#[test]
fn unreadable_or_invalid_schema_exits_with_two() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.json",
        "{\n  \"type\": \"object\",\n  oops\n}\n",
    );
    write(dir.path(), "not-a-schema.json", "{\"type\": 12}");
    let with_schema = |name: &str| {
        guidelint()
            .args(["check", "fixtures/guide", "--schema"])
            .arg(dir.path().join(name))
            .assert()
            .code(2)
    };
    with_schema("broken.json")
        .stdout("")
        .stderr(predicate::str::contains("is not valid JSON").and(predicate::str::contains("3:3")));
    with_schema("not-a-schema.json").stderr(predicate::str::contains("not a valid JSON Schema"));
    with_schema("absent.json").stderr(predicate::str::contains("cannot read"));
}

#[test]
fn a_user_schema_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "schema.json",
        r#"{"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}"#,
    );
    write(
        dir.path(),
        "a.md",
        "---\ntitle: Only a title\n---\n# A\nText.\n",
    );
    write(dir.path(), "b.md", "---\nname: no title\n---\n# B\nText.\n");
    let (report, code) = json_check_in(dir.path(), &["--schema", "schema.json"]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report}");
    assert_eq!(diagnostics[0]["path"], "b.md");
    assert_eq!(diagnostics[0]["message"], "Missing required field `title`");
}

#[test]
fn messages_come_from_the_schema_in_force() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "schema.json",
        r#"{"type": "object", "required": ["layout"], "additionalProperties": false,
            "properties": {"layout": {"type": "string"}, "permalink": {"type": "string"}}}"#,
    );
    write(dir.path(), "bare.md", "# A\nText.\n");
    write(
        dir.path(),
        "extra.md",
        "---\nlayout: post\ngenre: [all]\n---\n# B\nText.\n",
    );
    let (report, code) = json_check_in(dir.path(), &["--schema", "schema.json"]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let of = |rule: &str| {
        diagnostics
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {report}"))
    };
    // The missing front matter names the fields this schema requires, and no other.
    let help = of("front-matter-missing")["help"].as_str().unwrap();
    assert!(help.contains("`layout`"), "{help}");
    for builtin in ["title", "genre", "stage", "instrument", "level"] {
        assert!(!help.contains(builtin), "{help}");
    }
    // An unknown field is not called "not a field of an article" (the label is shown by the
    // human format).
    assert_eq!(of("schema-violation")["message"], "Unknown field `genre`");
    let (human, _) = stdout_of(guidelint_in(dir.path()).args([
        "check",
        "--color",
        "never",
        "--schema",
        "schema.json",
        "extra.md",
    ]));
    assert!(
        human.contains("not a field of the schema in use"),
        "{human}"
    );
    assert!(!human.contains("article"), "{human}");
}

#[test]
fn stdin_is_checked_under_the_given_name() {
    let text = std::fs::read_to_string(repo().join("fixtures/guide/overview.md")).unwrap();
    guidelint()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "guides/overview.md",
            "--format",
            "concise",
        ])
        .write_stdin(text.clone())
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "guides/overview.md:17:1: error[heading-increment] Heading level jumps from H1 to H3\n",
        ));
    guidelint()
        .args(["check", "-", "--format", "concise", "-q"])
        .write_stdin(VALID)
        .assert()
        .code(0)
        .stdout("");
    guidelint()
        .args(["check", "-", "--format", "concise", "-q"])
        .write_stdin("no front matter, just text\n")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "<stdin>:1:1: error[front-matter-missing]",
        ));
}

#[test]
fn discovery_honours_ignore_files_hidden_folders_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in [
        "a.md",
        "b.markdown",
        "notes.txt",
        ".hidden/c.md",
        ".draft.md",
        "drafts/d.md",
        "vendor.md",
        "sub/e.md",
    ] {
        write(d, name, "# no front matter\nText.\n");
    }
    write(d, ".gitignore", "drafts/\n");
    write(d, ".guidelintignore", "vendor.md\n");
    let paths = |args: &[&str]| -> Vec<String> {
        let (report, _) = json_check_in(d, args);
        diagnostics(&report)
            .iter()
            .map(|x| field(x, "path"))
            .collect()
    };
    // Hidden files are skipped too, Markdown or not.
    assert_eq!(paths(&[]), ["a.md", "b.markdown", "sub/e.md"]);
    // Named files are always checked, ignored or not, and never twice.
    assert_eq!(
        paths(&["vendor.md", "notes.txt", ".", "./a.md"]),
        ["a.md", "b.markdown", "notes.txt", "sub/e.md", "vendor.md"]
    );
    // A hidden folder named on the command line is walked.
    assert_eq!(paths(&[".hidden"]), [".hidden/c.md"]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_unreadable_files_are_failures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "real/a.md", "# no front matter\nText.\n");
    std::os::unix::fs::symlink(d.join("real"), d.join("link")).unwrap();
    std::os::unix::fs::symlink(d.join("loop"), d.join("loop")).unwrap_or(());
    // A socket cannot be opened as a file, even by root: a portable "unreadable file".
    let _listener = std::os::unix::net::UnixListener::bind(d.join("socket.md")).unwrap();
    let (report, code) = json_check_in(d, &[".", "socket.md"]);
    assert_eq!(code, 2);
    let paths: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["real/a.md"]);
    assert_eq!(report["failures"][0]["path"], "socket.md");
    assert!(
        report["failures"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read file")
    );
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    // Both formats: the human one renders its reports in parallel.
    for format in ["concise", "human"] {
        let run = |jobs: &str| {
            stdout_of(guidelint().args(["check", "fixtures", "-q", "--format", format, "-j", jobs]))
                .0
        };
        let one = run("1");
        assert!(one.lines().count() > 30, "{format}");
        assert_eq!(one, run("2"), "{format}");
        assert_eq!(one, run("8"), "{format}");
    }
}

#[test]
fn colors_only_when_asked() {
    let (plain, _) = check_guide(&["--color", "never"]);
    assert!(!plain.contains('\x1b'));
    let (auto, _) = check_guide(&[]);
    assert!(!auto.contains('\x1b'), "stdout is not a terminal here");
    let (colored, _) = check_guide(&["--color", "always"]);
    assert!(colored.contains("\x1b["));
    let (concise, _) = check_guide(&["--color", "always", "--format", "concise"]);
    assert!(concise.contains("\x1b[1;31merror"));
}

#[test]
fn quiet_drops_the_summary() {
    let (out, _) = check_guide(&["--format", "concise", "-q"]);
    assert!(!out.contains("Checked"));
    assert_eq!(out.lines().count(), 10);
}

#[test]
fn version_and_help() {
    guidelint()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("guidelint {}\n", env!("CARGO_PKG_VERSION")));
    guidelint()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Exit status")
                .and(predicate::str::contains("--stdin-filename")),
        );
}

#[test]
fn rule_explains_itself() {
    guidelint()
        .args(["rule", "heading-increment"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("## What it does")
                .and(predicate::str::contains("### Ideation")),
        );
    guidelint()
        .args(["rule", "heading-incremnt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `heading-increment`?",
        ));
    let (list, _) = stdout_of(guidelint().args(["rules"]));
    assert_eq!(list.lines().count(), guidelint::rules::RULES.len());
    assert_eq!(list, guidelint::app::cli::rules_table());
    assert!(list.contains("tag-order                    off"));
    let (json, code) = json_of(guidelint().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"scrape-residue") && names.contains(&"duplicate-title"));
    guidelint()
        .args(["rule", "scrape-residue"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Options"));
}

#[test]
fn markdown_extensions_match_in_any_case() {
    // Site generators and GitHub render `x.MD` as Markdown: it is an article like any other.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in [
        "upper.MD",
        "mixed.Markdown",
        "odd.mD",
        "lower.md",
        "other.mdx",
        "notes.txt",
        "MD",
    ] {
        write(d, name, "# no front matter\nText.\n");
    }
    let (report, code) =
        json_of(guidelint_in(d).args(["check", "--no-config", "--no-cache", "--format", "json"]));
    assert_eq!(code, 1);
    let paths: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["lower.md", "mixed.Markdown", "odd.mD", "upper.MD"]);
}

#[test]
fn human_headers_show_the_line_and_column_of_the_other_formats() {
    let dir = tempfile::tempdir().unwrap();
    let accented = VALID
        .replace("Mixing vocals", "Récords, éé")
        .replace("stage: [mixing]", "stage: [mixïng, comping]");
    // Every line ended by a carriage return alone; a byte-order mark and an accent on line 1;
    // an accented line too long to show whole.
    let lone_cr = VALID
        .replace("stage: [mixing]", "stage: [mixing, comping]")
        .replace('\n', "\r");
    let bom = format!("\u{feff}é{VALID}");
    let long = VALID.replace(
        "stage: [mixing]",
        &format!("stage: [{}, comping]", vec!["mïxing"; 120].join(", ")),
    );
    for (name, text) in [
        ("accented.md", accented.as_str()),
        ("lone-cr.md", &lone_cr),
        ("bom.md", &bom),
        ("long.md", &long),
    ] {
        write(dir.path(), name, text);
        let run = |format: &str| {
            stdout_of(guidelint_in(dir.path()).args([
                "check",
                "--no-config",
                "--no-cache",
                "--color",
                "never",
                "--format",
                format,
                name,
            ]))
            .0
        };
        let concise: Vec<String> = run("concise")
            .lines()
            .filter_map(|l| Some(l.split(": ").next()?.to_string()))
            .filter(|at| at.starts_with(name))
            .collect();
        let human = run("human");
        let headers: Vec<String> = human
            .lines()
            .filter_map(|l| Some(l.split_once("╭─[")?.1.trim_end_matches(']').to_string()))
            .collect();
        assert!(!concise.is_empty(), "{name}");
        assert_eq!(headers, concise, "{name}:\n{human}");
        if name == "lone-cr.md" {
            // The snippet shows the lines as the positions count them.
            assert!(human.contains(" 5 │ stage: [mixing, comping]\n"), "{human}");
        }
    }
}

/// A copy of the example guide in a temporary folder (for runs that fix files).
fn guide_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("fixtures/guide"), dir.path());
    dir
}

#[test]
fn show_fixes_never_breaks_a_machine_report_on_stdout() {
    // `check --fix --show-fixes` in a copy of the guide of its own.
    let fix_a_copy = |format: &str| {
        let dir = guide_copy();
        guidelint_in(dir.path())
            .args(["check", "--no-cache", "--fix", "--show-fixes"])
            .args(["--format", format, "."])
            .output()
            .unwrap()
    };
    for format in ["json", "sarif", "gitlab"] {
        let out = fix_a_copy(format);
        let report: Result<Value, _> = serde_json::from_slice(&out.stdout);
        assert!(report.is_ok(), "{format}: stdout is not one JSON document");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("Fixes applied:"), "{format}: {err}");
    }
    let out = fix_a_copy("junit");
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.trim_end().ends_with("</testsuites>"), "{xml}");
}

#[test]
fn a_fixed_article_on_stdin_leaves_the_report_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let article =
        std::fs::read(repo().join("fixtures/guide/post-production/mixing-drums.md")).unwrap();
    let out = guidelint_in(dir.path())
        .args([
            "check",
            "--no-cache",
            "--fix",
            "--show-fixes",
            "-",
            "--stdin-filename",
            "m.md",
            "--format",
            "json",
            "--output-file",
            "r.json",
        ])
        .write_stdin(article)
        .output()
        .unwrap();
    let fixed = String::from_utf8(out.stdout).unwrap();
    assert!(
        fixed.starts_with("---\n"),
        "stdout carries the article: {fixed}"
    );
    assert!(fixed.contains("hip-hop"), "the article is fixed: {fixed}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["files_checked"], 1);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Fixes applied:"), "{err}");
    assert!(
        !err.contains("\"diagnostics\""),
        "the report is not on stderr: {err}"
    );
}

#[test]
fn two_reports_are_never_written_to_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let guide = repo().join("fixtures/guide");
    guidelint_in(dir.path())
        .arg("check")
        .arg(&guide)
        .args(["--json-file", "x", "--sarif-file", "./x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("same file"));
}

#[test]
fn the_output_file_honours_quiet_and_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.txt");
    let check = || {
        let mut cmd = guidelint();
        cmd.args(["check", "--no-cache", "-q", "--unsafe-fixes"])
            .args(["--format", "concise", "fixtures/guide"]);
        cmd
    };
    let (shown, _) = stdout_of(&mut check());
    check().arg("--output-file").arg(&file).assert().code(1);
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, shown);
    assert!(
        written.contains("[*]") && !written.contains("Checked "),
        "{written}"
    );
}

#[test]
fn suppressions_of_repository_rules_are_unused_only_when_the_whole_guide_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", VALID);
    write(
        d,
        "b.md",
        VALID.replace(
            "title: Mixing vocals",
            "# guidelint-disable-next-line duplicate-title\ntitle: Other title",
        ),
    );
    let unused = |cmd: &mut Command| stdout_of(cmd).0.contains("unused-suppression");
    let check = || {
        let mut cmd = guidelint_in(d);
        cmd.args(["check", "--no-cache", "--format", "concise"]);
        cmd
    };
    // The whole guide: nothing shares b's title, the comment silences nothing.
    assert!(unused(check().arg(".")));
    // Part of it (files named, stdin, a shard): other articles might need it.
    assert!(!unused(check().arg("b.md")));
    assert!(!unused(
        check()
            .args(["-", "--stdin-filename", "b.md"])
            .write_stdin(std::fs::read(d.join("b.md")).unwrap())
    ));
    for shard in ["1/2", "2/2"] {
        assert!(!unused(check().args(["--shard", shard, "."])));
    }
}

#[test]
fn the_job_summary_counts_in_words() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", "# No front matter\n");
    let (text, _) = stdout_of(guidelint_in(dir.path()).args([
        "check",
        "--no-cache",
        "--format",
        "summary",
        ".",
    ]));
    assert!(
        text.contains("Checked 1 file: **1** error, **1** warning."),
        "{text}"
    );
}
