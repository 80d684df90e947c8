//! Hostile and broken input: each file gets a clear finding or failure entry, nothing panics
//! or aborts, and the other files in the run are still checked.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{bin, diagnostics, field, report_of, rules_at, write};

const GOOD_BUT_SKIPPED_LEVEL: &str = "---\ntitle: Mixing vocals\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n### Mixing\nBalance the vocal.\n";

fn billion_laughs() -> String {
    let mut s = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for n in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    s + "---\n# Laughs\nText.\n"
}

#[test]
fn every_bad_file_is_reported_and_the_rest_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "00-good.md", GOOD_BUT_SKIPPED_LEVEL);
    // 50 MB: over the 10 MiB limit, never read whole.
    let big = std::fs::File::create(d.join("big.md")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    write(
        d,
        "deep-block.md",
        format!("---\nx: {}y\n---\n", "- ".repeat(10_000)),
    );
    write(
        d,
        "deep-flow.md",
        format!(
            "---\nx: {}y{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    write(d, "laughs.md", billion_laughs());
    write(d, "nul.md", b"---\ntitle: a\0b\n---\n");
    write(d, "latin1.md", b"---\ntitle: caf\xe9\n---\n");
    write(d, "utf16.md", [0xFF, 0xFE, b'#', 0, b' ', 0, b'x', 0]);
    write(d, "empty.md", b"");
    write(d, "only-fence.md", b"---\n");
    write(
        d,
        "long-line.md",
        format!("---\ntitle: {}\n---\n", "x".repeat(1 << 20)),
    );
    std::fs::create_dir(d.join("dir.md")).unwrap();

    let out = bin()
        .current_dir(d)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = report_of(&out);
    let rule_of = |path: &str| rules_at(&report, path);
    assert_eq!(rule_of("00-good.md"), ["heading-increment"]);
    assert_eq!(rule_of("big.md"), ["file-too-large"]);
    assert_eq!(rule_of("deep-block.md"), ["front-matter-invalid-yaml"]);
    assert_eq!(rule_of("deep-flow.md"), ["front-matter-invalid-yaml"]);
    assert_eq!(rule_of("laughs.md"), ["front-matter-invalid-yaml"]);
    assert_eq!(rule_of("nul.md"), ["invalid-utf8"]);
    assert_eq!(rule_of("latin1.md"), ["invalid-utf8"]);
    assert_eq!(rule_of("utf16.md"), ["invalid-utf8"]);
    assert_eq!(rule_of("empty.md"), ["front-matter-missing"]);
    assert_eq!(rule_of("only-fence.md"), ["front-matter-unclosed"]);
    assert!(
        rule_of("long-line.md")
            .iter()
            .all(|r| r == "schema-violation")
    );
    assert_eq!(report["files_checked"], 11);
    assert_eq!(report["failures"], Value::Array(vec![]));
    let messages: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"Front matter is nested more than 64 levels deep"));
    assert!(messages.iter().any(|m| m.contains("billion-laughs")));
    assert!(messages.contains(&"File is 50.00 MiB (52,428,800 bytes), over the 10 MiB limit"));
}

#[test]
fn the_human_report_renders_broken_files_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "latin1.md", b"---\ntitle: caf\xe9 cr\xe8me\n---\n");
    write(d, "utf16.md", [0xFF, 0xFE, b'#', 0, b' ', 0, b'x', 0]);
    write(d, "nul.md", b"a\0b");
    let out = bin()
        .current_dir(d)
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("error[invalid-utf8]").count(), 3, "{text}");
    assert!(text.contains("latin1.md:2:11"), "{text}");
}

#[test]
fn one_walker_and_many_find_the_same_files_and_failures() {
    use guidelint::config::Settings;
    use guidelint::input::discover::discover;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, name) in [
        "a.md",
        "a-b.md",
        "a/x.md",
        "A.MD",
        "b.markdown",
        "notes.txt",
        ".hidden/c.md",
        ".draft.md",
        "drafts/d.md",
        "vendor.md",
        "deep/1/2/3/4/5/e.md",
        "deep/1/keep.md",
        "deep/1/skip.md",
        "caf\u{e9}/\u{2014}.md",
    ]
    .iter()
    .enumerate()
    {
        write(d, name, format!("# {i}\n"));
    }
    for n in 0..40 {
        write(d, &format!("wide/{n}/page.md"), "# page\n");
    }
    write(d, ".gitignore", "drafts/\n");
    write(d, ".guidelintignore", "vendor.md\n");
    write(d, "deep/1/.ignore", "skip.md\n");
    // Links are not followed by either walk.
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("loop"), d.join("loop")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("deep"), d.join("wide/link")).unwrap();
    let settings = Settings::defaults(d.to_path_buf());
    let walk = |walkers| discover(&[d.to_path_buf()], d, &settings.filter(), walkers);
    let (one, one_failures) = walk(1);
    let shown: Vec<&str> = one.iter().map(|t| t.display.as_str()).collect();
    assert!(shown.contains(&"deep/1/2/3/4/5/e.md"), "{shown:?}");
    assert!(shown.contains(&"caf\u{e9}/\u{2014}.md"), "{shown:?}");
    for skipped in [
        "drafts/d.md",
        "vendor.md",
        "deep/1/skip.md",
        ".hidden/c.md",
        "notes.txt",
    ] {
        assert!(!shown.contains(&skipped), "{skipped} in {shown:?}");
    }
    assert_eq!(one.len(), 8 + 40, "{shown:?}");
    for walkers in [2, 3, 8] {
        assert_eq!(
            walk(walkers),
            (one.clone(), one_failures.clone()),
            "{walkers} walkers"
        );
    }
}

/// A folder the walk cannot read gives one failure, said the same whatever the number of
/// walker threads (the walk on one thread wraps the system's error in another).
#[cfg(unix)]
#[test]
fn a_folder_the_walk_cannot_read_is_the_same_failure_for_any_number_of_walkers() {
    use guidelint::config::Settings;
    use guidelint::input::discover::discover;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", "# A\n");
    // A folder whose path is longer than the system takes (root can read any folder, not one
    // it cannot name): made in two halves, the second through a link to the first.
    let part = "x".repeat(100);
    let half = |n: usize| vec![part.as_str(); n].join("/");
    let first = d.join("deep").join(half(30));
    std::fs::create_dir_all(&first).unwrap();
    std::os::unix::fs::symlink(&first, d.join("link")).unwrap();
    std::fs::create_dir_all(d.join("link").join(half(15))).unwrap();
    std::fs::write(d.join("link").join(half(15)).join("z.md"), "# Z\n").unwrap();
    let settings = Settings::defaults(d.to_path_buf());
    let walk = |walkers| discover(&[d.to_path_buf()], d, &settings.filter(), walkers);
    let (targets, failures) = walk(1);
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        !failures[0].message.contains("operation on"),
        "the system's error alone: {}",
        failures[0].message
    );
    for walkers in [2, 4] {
        assert_eq!(
            walk(walkers),
            (targets.clone(), failures.clone()),
            "{walkers} walkers"
        );
    }
}

/// The files of `dir`, found as a run finds them.
fn targets(
    dir: &Path,
    linter: &guidelint::engine::linter::Linter,
) -> Vec<guidelint::input::discover::Target> {
    let (targets, failures) = guidelint::input::discover::discover(
        &[dir.to_path_buf()],
        dir,
        &linter.settings().filter(),
        0,
    );
    assert!(failures.is_empty());
    targets
}

#[test]
fn a_file_deleted_between_walk_and_read_is_a_failure_and_the_rest_is_checked() {
    use guidelint::config::Settings;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", GOOD_BUT_SKIPPED_LEVEL);
    write(d, "b.md", GOOD_BUT_SKIPPED_LEVEL);
    write(d, "c.md", GOOD_BUT_SKIPPED_LEVEL);
    for cached in [false, true] {
        let cache = cached.then(|| {
            std::sync::Arc::new(guidelint::app::cache::Cache::open(&d.join(".cache"), 1))
                as std::sync::Arc<dyn guidelint::engine::store::Store>
        });
        let linter = Linter::new(Settings::defaults(d.to_path_buf())).with_store(cache);
        let found = targets(d, &linter);
        assert_eq!(found.len(), 3);
        std::fs::remove_file(d.join("b.md")).unwrap();
        let mut result = linter.check_targets(found);
        linter.finish(&mut result, true);
        assert_eq!(result.exit_code(), 2);
        assert_eq!(result.failures.len(), 1);
        assert!(result.failures[0].path.ends_with("b.md"));
        assert!(
            result.failures[0].message.contains("cannot read"),
            "{}",
            result.failures[0].message
        );
        let checked: Vec<_> = result.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(checked.len(), 2, "{checked:?}");
        assert!(
            result.diagnostics().any(|x| x.rule == "heading-increment"),
            "the other files are checked"
        );
        write(d, "b.md", GOOD_BUT_SKIPPED_LEVEL);
    }
}

#[test]
fn a_failing_write_during_fix_keeps_the_file_and_exits_with_2() {
    use guidelint::config::Settings;
    use guidelint::engine::fix::Step;
    use guidelint::engine::hooks::WriteFault;
    use guidelint::engine::linter::{FixMode, Linter};
    let original = GOOD_BUT_SKIPPED_LEVEL.replace("[mixing]", "[Mixing]");
    for (failing, what) in [
        (Step::Create, "No space left on device"),
        (Step::Write, "No space left on device"),
        (Step::Sync, "Input/output error"),
        (Step::Rename, "Permission denied"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.md", &original);
        write(d, "z.md", &original);
        let fault = WriteFault(Box::new(move |step| {
            if step == failing {
                Err(std::io::Error::other(what))
            } else {
                Ok(())
            }
        }));
        let linter = Linter::new(Settings::defaults(d.to_path_buf()))
            .with_fix(Some(FixMode {
                unsafe_fixes: false,
                write: true,
            }))
            .with_write_fault(fault);
        let found = targets(d, &linter);
        let mut result = linter.check_targets(found);
        linter.finish(&mut result, true);
        assert_eq!(result.exit_code(), 2, "{failing:?}");
        assert_eq!(result.failures.len(), 2, "{failing:?}");
        for f in &result.failures {
            assert!(f.message.contains(what), "{failing:?}: {}", f.message);
        }
        // Originals intact, no temporary file left behind, findings still reported.
        for name in ["a.md", "z.md"] {
            assert_eq!(std::fs::read_to_string(d.join(name)).unwrap(), original);
        }
        let names: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(result.diagnostics().any(|x| x.rule == "tag-noncanonical"));
    }
}

#[test]
fn a_file_appended_to_while_fix_runs_keeps_its_lines_and_is_a_failure() {
    use guidelint::config::Settings;
    use guidelint::engine::fix::Step;
    use guidelint::engine::hooks::WriteFault;
    use guidelint::engine::linter::{FixMode, Linter};
    use std::io::Write;
    let original = GOOD_BUT_SKIPPED_LEVEL.replace("[mixing]", "[Mixing]");
    // While the fixed text is written, and at the last moment before it replaces the file.
    for step in [Step::Write, Step::Rename] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.md", &original);
        let path = d.join("a.md");
        let fault = WriteFault(Box::new(move |now| {
            if now == step {
                let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
                file.write_all(b"A line written meanwhile.\n")?;
            }
            Ok(())
        }));
        let linter = Linter::new(Settings::defaults(d.to_path_buf()))
            .with_fix(Some(FixMode {
                unsafe_fixes: false,
                write: true,
            }))
            .with_write_fault(fault);
        let found = targets(d, &linter);
        let mut result = linter.check_targets(found);
        linter.finish(&mut result, true);
        assert_eq!(result.exit_code(), 2, "{step:?}");
        assert_eq!(result.failures.len(), 1, "{step:?}");
        assert!(
            result.failures[0].message.contains("changed on disk"),
            "{step:?}: {}",
            result.failures[0].message
        );
        assert_eq!(
            std::fs::read_to_string(d.join("a.md")).unwrap(),
            format!("{original}A line written meanwhile.\n"),
            "{step:?}"
        );
        assert_eq!(std::fs::read_dir(d).unwrap().count(), 1, "{step:?}");
    }
}

/// A report of `result` in `format`, as a plain-text run would write it.
fn render(
    result: &guidelint::engine::linter::RunResult,
    format: guidelint::app::report::Format,
) -> String {
    let options = guidelint::app::report::Options {
        color: false,
        quiet: true,
        width: 100,
        unsafe_fixes: false,
        fixing: false,
        prerendered: false,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    guidelint::app::report::write(format, result, options, &mut out, &mut err).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn texts_are_not_kept_and_a_file_changed_before_rendering_is_shown_without_its_lines() {
    use guidelint::app::report::Format;
    use guidelint::config::Settings;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", GOOD_BUT_SKIPPED_LEVEL);
    let linter = Linter::new(Settings::defaults(d.to_path_buf()));
    let found = targets(d, &linter);
    let mut result = linter.check_targets(found);
    linter.finish(&mut result, true);
    let file = &result.files[0];
    assert!(file.document.is_none(), "the text is read again, not kept");
    let finding = &file.diagnostics[0];
    assert_eq!(finding.rule, "heading-increment");
    assert_eq!(
        (finding.location.start.line, finding.location.start.column),
        (10, 1)
    );
    assert_eq!(finding.location.excerpt, "### Mixing");
    let human = render(&result, Format::Human);
    assert!(human.contains("10 │ ### Mixing"), "{human}");
    assert!(!human.contains("changed after it was checked"), "{human}");
    let json = render(&result, Format::Json);
    // The file changes before the report is written: its lines are not shown (they would
    // not match the finding), but where the finding was is.
    std::fs::write(
        d.join("a.md"),
        GOOD_BUT_SKIPPED_LEVEL.replace("Balance", "Level"),
    )
    .unwrap();
    let human = render(&result, Format::Human);
    assert!(!human.contains("### Mixing"), "{human}");
    assert!(human.contains("a.md:10:1: Heading level"), "{human}");
    assert!(human.contains("changed after it was checked"), "{human}");
    assert_eq!(
        render(&result, Format::Json),
        json,
        "positions do not depend on the text"
    );
}

#[test]
fn a_panic_in_one_file_is_an_internal_error_finding_and_the_rest_is_checked() {
    use guidelint::app::report::Format;
    use guidelint::config::Settings;
    use guidelint::engine::hooks::CheckHook;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["a.md", "b.md", "c.md"] {
        write(d, name, GOOD_BUT_SKIPPED_LEVEL);
    }
    // Also with a cache, and with the rule turned off (`--ignore`): it stays on.
    for cached in [false, true] {
        let mut settings = Settings::defaults(d.to_path_buf());
        settings.restrict(None, &["internal-error".to_string()]);
        let cache = cached.then(|| {
            std::sync::Arc::new(guidelint::app::cache::Cache::open(&d.join(".cache"), 1))
                as std::sync::Arc<dyn guidelint::engine::store::Store>
        });
        let linter = Linter::new(settings)
            .with_store(cache)
            .with_check_hook(CheckHook(Box::new(|path| {
                assert!(!path.ends_with("b.md"), "index 3 out of bounds");
            })));
        let found = targets(d, &linter);
        let mut result = linter.check_targets(found);
        linter.finish(&mut result, true);
        assert!(result.failures.is_empty(), "{:?}", result.failures);
        assert_eq!(result.exit_code(), 2, "a bug is never a clean run");
        let b = result
            .files
            .iter()
            .find(|f| f.path.ends_with("b.md"))
            .unwrap();
        assert_eq!(b.diagnostics.len(), 1, "{:?}", b.diagnostics);
        let finding = &b.diagnostics[0];
        assert_eq!(finding.rule, "internal-error");
        assert!(
            finding.message.contains("index 3 out of bounds"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .help
                .as_deref()
                .unwrap()
                .contains("please report it")
        );
        for other in ["a.md", "c.md"] {
            let f = result
                .files
                .iter()
                .find(|f| f.path.ends_with(other))
                .unwrap();
            assert!(
                f.diagnostics.iter().any(|x| x.rule == "heading-increment"),
                "{other} is still checked"
            );
        }
        let json: Value = serde_json::from_str(&render(&result, Format::Json)).unwrap();
        let internal: Vec<_> = diagnostics(&json)
            .iter()
            .filter(|x| x["rule"] == "internal-error")
            .collect();
        assert_eq!(internal.len(), 1);
        assert_eq!(internal[0]["line"], 1);
        assert!(internal[0]["path"].as_str().unwrap().ends_with("b.md"));
    }
}

#[test]
fn a_file_over_the_size_limit_is_reported_as_not_read_rather_than_changed() {
    use guidelint::app::report::Format;
    use guidelint::config::Settings;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let size = usize::try_from(guidelint::input::document::MAX_FILE_SIZE).unwrap() + 1;
    write(d, "big.md", vec![b'a'; size]);
    let linter = Linter::new(Settings::defaults(d.to_path_buf()));
    let found = targets(d, &linter);
    let mut result = linter.check_targets(found);
    linter.finish(&mut result, true);
    let human = render(&result, Format::Human);
    assert!(human.contains("file-too-large"), "{human}");
    assert!(!human.contains("changed after it was checked"), "{human}");
}

#[test]
fn control_characters_from_articles_never_reach_the_output_raw() {
    use clap::ValueEnum;
    use guidelint::app::report::Format;
    use guidelint::config::Settings;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An escape sequence in a YAML value (it reaches the message), raw ones and a lone carriage
    // return in a heading (they reach the shown source line), a bidirectional override, and a
    // path holding an escape character.
    let text = GOOD_BUT_SKIPPED_LEVEL
        .replace("[vocals]", "[\"\\e[2J\\rvocals\"]")
        .replace("### Mixing", "### Mix\x1b[31m\ring\u{202e}");
    // Windows does not allow control characters in file names.
    let name = if cfg!(windows) {
        "e.md"
    } else {
        "e\x1b[1mx.md"
    };
    write(d, name, &text);
    let linter = Linter::new(Settings::defaults(d.to_path_buf()));
    let found = targets(d, &linter);
    let mut result = linter.check_targets(found);
    linter.finish(&mut result, true);
    let rules: Vec<&str> = result.files[0].diagnostics.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"tag-unknown"), "{rules:?}");
    assert!(rules.contains(&"heading-increment"), "{rules:?}");
    for format in Format::value_variants() {
        let out = render(&result, *format);
        assert!(!out.is_empty(), "{format:?}");
        // Machine formats keep text as data (their own escaping keeps them valid); formats
        // people read also escape the bidirectional controls.
        let read_by_people = matches!(
            format,
            Format::Human | Format::Concise | Format::Github | Format::Summary
        );
        for bad in ['\x1b', '\r', '\u{202e}'] {
            if bad == '\u{202e}' && !read_by_people {
                continue;
            }
            assert!(
                !out.contains(bad),
                "{format:?} writes {bad:?} raw:\n{}",
                out.escape_debug()
            );
        }
    }
    // The stand-ins keep the shown line the same length, so the label still points at it; the
    // carriage return ends the heading's line, as it does for every reader.
    let human = render(&result, Format::Human);
    assert!(human.contains(" │ ### Mix?[31m\n"), "{human}");
    assert!(human.contains(" │ ing\u{fffd}\n"), "{human}");
    assert!(
        human.contains(r"Unknown instrument `\u{1b}[2J\u{d}vocals`"),
        "{human}"
    );
}

#[test]
fn a_very_long_line_is_shown_around_each_finding_not_whole() {
    let dir = tempfile::tempdir().unwrap();
    let items = vec!["Mixing"; 2_000].join(", ");
    let text = GOOD_BUT_SKIPPED_LEVEL.replace("stage: [mixing]", &format!("stage: [{items}]"));
    write(dir.path(), "long.md", &text);
    let out = bin()
        .args(["check", "--no-config", "--no-cache", "--color", "never"])
        .arg(dir.path().join("long.md"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Every element but the first repeats it: 1,000 repeats are shown and one more finding
    // counts the rest; each finding shows a piece of the line.
    assert_eq!(stdout.matches("warning[tag-duplicate]").count(), 1_001);
    assert!(
        stdout.contains("999 more findings of this rule are not shown"),
        "{stdout}"
    );
    let longest = stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a line of {longest} characters was printed");
    // The last finding is shown with its own line number and the text around it.
    let last = stdout.rfind("warning[tag-duplicate]").unwrap();
    let last = &stdout[last..];
    assert!(last.contains(" 5 │ "), "{last}");
    assert!(last.contains("Mixing, Mixing"), "{last}");
}

#[cfg(unix)]
#[test]
fn an_article_that_is_a_fifo_or_a_device_is_a_failure_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.md", GOOD_BUT_SKIPPED_LEVEL);
    common::make_fifo(&d.join("pipe.md"));
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.md")).unwrap();
    for mode in [&["--no-cache"][..], &[], &["--fix"]] {
        let out = bin()
            .current_dir(d)
            .args(["check", "--no-config", "--format", "json"])
            .args(mode)
            .args(["pipe.md", "zero.md", "/dev/null", "good.md"])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mode:?}: {stderr}");
        let report = report_of(&out);
        assert_eq!(report["files_checked"], 1, "{mode:?}: {report}");
        let failures: Vec<(&str, &str)> = report["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
            .collect();
        assert_eq!(
            failures,
            [
                (
                    "/dev/null",
                    "cannot read file: not a regular file (a device)"
                ),
                (
                    "pipe.md",
                    "cannot read file: not a regular file (a named pipe)"
                ),
                ("zero.md", "cannot read file: not a regular file (a device)"),
            ],
            "{mode:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_fifo_before_rendering_is_shown_without_its_lines() {
    use guidelint::app::report::Format;
    use guidelint::config::Settings;
    use guidelint::engine::linter::Linter;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    write(&d, "a.md", GOOD_BUT_SKIPPED_LEVEL);
    let linter = Linter::new(Settings::defaults(d.clone()));
    let found = targets(&d, &linter);
    let mut result = linter.check_targets(found);
    linter.finish(&mut result, true);
    std::fs::remove_file(d.join("a.md")).unwrap();
    common::make_fifo(&d.join("a.md"));
    // Rendered on another thread: a report that opened the pipe would never finish.
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(render(&result, Format::Human)).unwrap());
    let human = receive
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the report opened the named pipe");
    assert!(human.contains("a.md:10:1: Heading level"), "{human}");
    assert!(human.contains("changed after it was checked"), "{human}");
}

#[test]
fn a_finding_on_a_huge_value_is_shown_bounded_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mega = 1 << 20;
    let base = GOOD_BUT_SKIPPED_LEVEL.replace("### Mixing", "## Mixing");
    // A megabyte of tag value (quoted by the message), of heading (quoted by the message and
    // the help, the span a whole line), of comment on the line above a finding (a context
    // line), and of block text in the middle of a multi-line value.
    let cases = [
        (
            "tag.md",
            base.replace("[vocals]", &format!("[{}]", "v".repeat(mega))),
        ),
        (
            "heading.md",
            base.replace("## Mixing", &format!("#### {}", "h".repeat(mega))),
        ),
        (
            "context.md",
            base.replace(
                "genre: [all]",
                &format!("# {}\ngenre: [alll]", "c".repeat(mega)),
            ),
        ),
        (
            "block.md",
            base.replace(
                "description: How to mix vocals in a busy arrangement.",
                &format!("description: |\n  first\n  {}\n  last", "d".repeat(mega)),
            ),
        ),
        (
            // The first of two keys a hundred thousand lines away from the second.
            "far-labels.md",
            base.replace(
                "level: [beginner]",
                &format!(
                    "level: [beginner]\n{}level: [advanced]",
                    "#\n".repeat(100_000)
                ),
            ),
        ),
    ];
    for (name, text) in &cases {
        write(d, name, text);
    }
    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit", "summary",
    ] {
        for (name, _) in &cases {
            let out = bin()
                .current_dir(d)
                .args(["check", "--no-config", "--no-cache", "--color", "never"])
                .args(["--format", format, name])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{format} {name}: {stderr}");
            assert_eq!(out.status.code(), Some(1), "{format} {name}: {stderr}");
            // SARIF lists every rule's description: about 60 kB whatever the findings.
            let budget = if format == "sarif" { 80_000 } else { 16_000 };
            assert!(
                out.stdout.len() + out.stderr.len() < budget,
                "{format} {name}: {} bytes",
                out.stdout.len() + out.stderr.len()
            );
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_reported_with_its_real_size() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let limit = 10 * 1024 * 1024;
    // Just over the limit, and far over it (sparse: nothing is written, nothing is read).
    for (name, len) in [("just-over.md", limit + 1), ("huge.md", 5 << 30)] {
        std::fs::File::create(d.join(name))
            .unwrap()
            .set_len(len)
            .unwrap();
    }
    let message_of = |report: &Value, path: &str| -> String {
        diagnostics(report)
            .iter()
            .find(|x| x["path"] == path)
            .map(|x| field(x, "message"))
            .unwrap_or_default()
    };
    for cache in ["--no-cache", "--cache-dir=cache"] {
        let out = bin()
            .current_dir(d)
            .args(["check", "--no-config", "--format", "json", cache])
            .output()
            .unwrap();
        let report = report_of(&out);
        assert_eq!(
            message_of(&report, "just-over.md"),
            "File is 10.01 MiB (10,485,761 bytes), over the 10 MiB limit"
        );
        assert_eq!(
            message_of(&report, "huge.md"),
            "File is 5.00 GiB (5,368,709,120 bytes), over the 10 MiB limit"
        );
    }
    // Standard input is read only up to the limit: its size is not known.
    let out = bin()
        .args(["check", "--no-config", "--format", "json", "-"])
        .write_stdin(vec![b'x'; 20 << 20])
        .output()
        .unwrap();
    let report = report_of(&out);
    assert_eq!(
        message_of(&report, "<stdin>"),
        "File is over the 10 MiB limit (more than 10,485,760 bytes)"
    );
}

/// A guide of `n` articles in nested folders, most with findings: shared titles (a
/// repository-wide rule), unknown and non-canonical tags, skipped heading levels, comments
/// that suppress, and some bytes that are not UTF-8.
fn generated_guide(dir: &Path, n: usize) {
    for i in 0..n {
        let folder = dir.join(format!("s{:02}/t{}", i % 13, i % 3));
        std::fs::create_dir_all(&folder).unwrap();
        let title = format!("Topic {}", i % 700);
        let genre = ["all", "hiphop", "Fonk", "rock"][i % 4];
        let stage = ["mixing", "Mastering", "tracking", "mixdown"][(i % 4) ^ ((i / 4) % 2)];
        let heading = if i % 5 == 0 { "###" } else { "##" };
        let suppress = if i % 11 == 0 {
            "# guidelint-disable-next-line duplicate-title\n"
        } else {
            ""
        };
        let text = format!(
            "---\n{suppress}title: {title}\ndescription: How to do topic {i} in a mix.\n\
             genre: [{genre}]\nstage: [{stage}]\ninstrument: [vocals]\nlevel: [beginner]\n---\n\
             # Topic {i}\n{heading} Part\nText {i}.\n"
        );
        let mut bytes = text.into_bytes();
        if i % 97 == 0 {
            bytes.extend_from_slice(b"\xff\xfe broken\n");
        }
        std::fs::write(folder.join(format!("a{i:05}.md")), bytes).unwrap();
    }
}

#[test]
fn streamed_reports_equal_collected_ones_whatever_the_threads_and_the_order_files_finish() {
    use guidelint::app::report::{self, Format, Totals};
    use guidelint::config::Settings;
    use guidelint::engine::hooks::CheckHook;
    use guidelint::engine::linter::{Linter, Repository};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_guide(d, 3000);
    let linter = Linter::new(Settings::defaults(d.to_path_buf()));
    let mut collected = linter.check_targets(targets(d, &linter));
    linter.finish(&mut collected, true);
    let with_findings = collected
        .files
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .count();
    assert!(with_findings > 2500, "{with_findings}");
    assert!(
        collected.diagnostics().any(|d| d.rule == "duplicate-title"),
        "the repository-wide rule has findings"
    );
    let formats = [
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Gitlab,
        Format::Github,
        Format::Junit,
        Format::Summary,
        Format::Human,
    ];
    let same = |text: String| {
        // JUnit states the run's time.
        let at = text.find(" time=\"").map_or(text.len(), |i| i + 7);
        let end = text[at..].find('"').map_or(at, |n| at + n);
        format!("{}{}", &text[..at], &text[end..])
    };
    let expected: Vec<String> = formats
        .iter()
        .map(|&f| same(render(&collected, f)))
        .collect();
    for jobs in [1, 8] {
        // Every 50th file finishes late, so that later ones wait for it.
        let options = report::Options {
            color: false,
            quiet: true,
            width: 100,
            unsafe_fixes: false,
            fixing: false,
            prerendered: true,
        };
        // The human report's texts are rendered while files are checked, as on a terminal.
        let slow = Linter::new(Settings::defaults(d.to_path_buf()))
            .with_prerender(Some(report::prerender(options)))
            .with_check_hook(CheckHook(Box::new(|path| {
                let name = path.file_name().unwrap().to_string_lossy();
                if name == "a00000.md" {
                    // The first file holds the others back: the files done after it wait
                    // for it to be written, and the pool stops some way ahead.
                    std::thread::sleep(std::time::Duration::from_millis(400));
                } else if name.ends_with("50.md") || name.ends_with("00.md") {
                    std::thread::sleep(std::time::Duration::from_millis(3));
                }
            })));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .unwrap();
        let mut outs: Vec<(Vec<u8>, Vec<u8>)> =
            formats.iter().map(|_| Default::default()).collect();
        let mut sinks: Vec<Box<dyn report::Sink + '_>> = formats
            .iter()
            .zip(&mut outs)
            .map(|(&f, (out, err))| report::sink(f, options, Box::new(out), Box::new(err)))
            .collect();
        let mut totals = Totals::default();
        let failures = slow.check_ordered(
            Some(&pool),
            &targets(d, &slow),
            None,
            Repository::Whole,
            |file| {
                totals.add(&file);
                for sink in &mut sinks {
                    sink.file(&file).unwrap();
                }
            },
        );
        for sink in &mut sinks {
            sink.end(&totals, &failures).unwrap();
        }
        drop(sinks);
        for ((format, (out, _)), expected) in formats.iter().zip(outs).zip(&expected) {
            let streamed = same(String::from_utf8(out).unwrap());
            assert!(
                streamed == *expected,
                "{format:?} with {jobs} threads differs from the collected report"
            );
        }
    }
}

#[test]
fn the_report_is_the_same_with_one_thread_and_with_eight() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_guide(d, 3000);
    let run = |jobs: &str, format: &str| {
        let out = bin()
            .current_dir(d)
            .args([
                "check",
                "--no-cache",
                "--quiet",
                "--jobs",
                jobs,
                "--format",
                format,
                ".",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    for format in ["concise", "json"] {
        let one = run("1", format);
        assert!(
            one.lines().count() > 5000,
            "{format}: {}",
            one.lines().count()
        );
        assert!(
            one == run("8", format),
            "{format}: --jobs 1 and --jobs 8 differ"
        );
    }
}

/// The calling thread checks files too while the next results to report are not ready: a
/// pool whose threads are slow does not hold the run back to their pace (and `--jobs N`
/// means N threads, the calling one among them).
#[test]
fn the_calling_thread_checks_files_while_the_pool_is_slow() {
    use guidelint::config::Settings;
    use guidelint::engine::hooks::CheckHook;
    use guidelint::engine::linter::{Linter, Repository};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_guide(d, 60);
    static ON_CALLER: AtomicUsize = AtomicUsize::new(0);
    let caller = std::thread::current().id();
    let linter = Linter::new(Settings::defaults(d.to_path_buf())).with_check_hook(CheckHook(
        Box::new(move |_| {
            if std::thread::current().id() == caller {
                ON_CALLER.fetch_add(1, Ordering::SeqCst);
            } else {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }),
    ));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut paths = Vec::new();
    let failures = linter.check_ordered(
        Some(&pool),
        &targets(d, &linter),
        None,
        Repository::Whole,
        |file| paths.push(file.path),
    );
    assert!(failures.is_empty());
    assert_eq!(paths.len(), 60);
    assert!(paths.is_sorted(), "results are given in path order");
    // The pool's thread takes a chunk (a few files) at a time, 50 ms a file: in the time it
    // needs for its first chunks, the calling thread checks all the others.
    let on_caller = ON_CALLER.load(Ordering::SeqCst);
    assert!(
        on_caller >= 40,
        "{on_caller} of 60 files checked on the calling thread"
    );
}

#[test]
fn files_with_many_findings_do_not_pile_up_behind_a_slow_one() {
    use guidelint::config::Settings;
    use guidelint::engine::hooks::CheckHook;
    use guidelint::engine::linter::{HELD, Linter, Repository};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each article: hundreds of findings (skipped levels, repeated headings, residue lines).
    let body = "# A\n### B\n## Mastering\n## Mastering\nBack to top\n".repeat(200);
    for i in 0..300 {
        write(d, &format!("a{i:03}.md"), &body);
    }
    static CHECKED: AtomicUsize = AtomicUsize::new(0);
    static AHEAD: AtomicUsize = AtomicUsize::new(0);
    let linter = Linter::new(Settings::defaults(d.to_path_buf())).with_check_hook(CheckHook(
        Box::new(|path| {
            if path.ends_with("a000.md") {
                // The first file is slow: see how far the others get meanwhile.
                let start = std::time::Instant::now();
                while CHECKED.load(Ordering::SeqCst) < 250
                    && start.elapsed() < std::time::Duration::from_secs(3)
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                AHEAD.store(CHECKED.load(Ordering::SeqCst), Ordering::SeqCst);
            } else {
                CHECKED.fetch_add(1, Ordering::SeqCst);
            }
        }),
    ));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let mut findings = 0;
    let mut files = 0;
    linter.check_ordered(
        Some(&pool),
        &targets(d, &linter),
        None,
        Repository::Whole,
        |file| {
            findings += file.diagnostics.len();
            files += 1;
        },
    );
    assert_eq!(files, 300);
    let per_file = findings / files;
    assert!(per_file > 200, "{per_file} findings per file");
    // At most the findings allowed to wait, a chunk per worker, and the files in hand.
    let ahead = AHEAD.load(Ordering::SeqCst);
    let bound = HELD / per_file + 4 * 16 + 4;
    assert!(
        ahead <= bound,
        "{ahead} files checked behind the slow one (bound {bound})"
    );
}

/// A file whose modification time is unknown (the epoch, or before it) cannot be told unchanged
/// when read again; the human report shows the lines it checked, rendered from the text the
/// check read, rather than saying the file changed.
#[test]
fn the_human_report_shows_the_lines_checked_when_the_file_time_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", GOOD_BUT_SKIPPED_LEVEL);
    let file = std::fs::File::options()
        .write(true)
        .open(dir.path().join("a.md"))
        .unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH)
        .unwrap();
    drop(file);
    let out = bin()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-config",
            "--no-cache",
            "--color",
            "never",
            "a.md",
        ])
        .output()
        .unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.contains("10 │ ### Mixing"), "{human}");
    assert!(!human.contains("changed after it was checked"), "{human}");
}
