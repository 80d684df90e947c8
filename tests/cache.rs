//! The result cache: a warm run reports exactly what a cold one does, and every input that
//! can change a file's findings (the file, the configuration and a rule's options in it, the
//! schema, the taxonomy) invalidates what it must. A damaged cache is ignored and rewritten.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

mod common;
use common::{bin, copy_tree, diagnostics, field, git, repo, report_of};

const CACHE_FILE: &str = ".guidelint_cache/results-v5.bin";

fn run(dir: &Path, args: &[&str]) -> (Value, String) {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (report_of(&out), stderr)
}

/// `(path, rule, line, message)` of every finding.
fn findings(report: &Value) -> Vec<(String, String, u64, String)> {
    diagnostics(report)
        .iter()
        .map(|d| {
            let line = d["line"].as_u64().unwrap();
            (
                field(d, "path"),
                field(d, "rule"),
                line,
                field(d, "message"),
            )
        })
        .collect()
}

/// Set a file's modification time far in the past, so that size and time alone identify it
/// in the cache (a fresh time is always checked by content).
fn age(path: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

const ARTICLE: &str = "---\ntitle: Mixing vocals\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n## Mixing\nBalance the vocal.\n";

#[test]
fn warm_runs_report_exactly_what_cold_runs_do() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("fixtures"), dir.path());
    let args = ["--no-config", "rules", "guide"];
    let (fresh, _) = run(dir.path(), &[&args[..], &["--no-cache"]].concat());
    assert!(
        !dir.path().join(CACHE_FILE).exists(),
        "--no-cache writes nothing"
    );
    let (cold, _) = run(dir.path(), &args);
    assert!(dir.path().join(CACHE_FILE).exists());
    let ignore = std::fs::read_to_string(dir.path().join(".guidelint_cache/.gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "*"),
        "the cache keeps itself out of Git"
    );
    // Second run: by content hash (times are fresh); third: age every file, record again,
    // then a run that trusts size and time.
    let (warm, _) = run(dir.path(), &args);
    assert!(findings(&fresh).len() > 30);
    assert_eq!(fresh, cold);
    assert_eq!(fresh, warm);
    for entry in walk(dir.path()) {
        age(&entry);
    }
    let _ = run(dir.path(), &args);
    let (by_stat, _) = run(dir.path(), &args);
    assert_eq!(fresh, by_stat);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == ".guidelint_cache") {
            continue;
        }
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[test]
fn an_edited_file_is_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.md");
    std::fs::write(&file, ARTICLE).unwrap();
    age(&file);
    let (first, _) = run(dir.path(), &["--no-config"]);
    assert!(findings(&first).is_empty());
    // Same size, new content, new time: checked again.
    std::fs::write(&file, ARTICLE.replace("[mixing]", "[mixinq]")).unwrap();
    let (second, _) = run(dir.path(), &["--no-config"]);
    let rules: Vec<_> = findings(&second).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["tag-unknown"]);
    // Size and time are what the cache trusts for settled files: a same-size edit that
    // keeps the old time (as `touch -r` or an archive restore could) is not seen...
    std::fs::write(&file, ARTICLE).unwrap();
    age(&file);
    let _ = run(dir.path(), &["--no-config"]);
    std::fs::write(&file, ARTICLE.replace("[mixing]", "[mixinq]")).unwrap();
    age(&file);
    let (stale, _) = run(dir.path(), &["--no-config"]);
    assert!(
        findings(&stale).is_empty(),
        "size and time identified the file"
    );
    // ...which `--no-cache` gets around, and any new time fixes.
    let (fresh, _) = run(dir.path(), &["--no-config", "--no-cache"]);
    assert_eq!(findings(&fresh).len(), 1);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(SystemTime::now())
        .unwrap();
    let (touched, _) = run(dir.path(), &["--no-config"]);
    assert_eq!(findings(&touched).len(), 1);
}

#[test]
fn configuration_schema_and_taxonomy_changes_invalidate_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("a.md");
    std::fs::write(&file, ARTICLE.replace("[mixing]", "[mixdown-ish]")).unwrap();
    age(&file);
    std::fs::write(d.join("guidelint.yml"), "taxonomy: taxonomy.yml\n").unwrap();
    let term = |id: &str| {
        format!(
            "extends: default\nfacets:\n  stage:\n    terms:\n      - id: {id}\n        label: Extra\n        parent: post-production\n"
        )
    };
    std::fs::write(d.join("taxonomy.yml"), term("stem-mastering")).unwrap();
    let rules =
        |report: &Value| -> Vec<String> { findings(report).into_iter().map(|f| f.1).collect() };
    let (before, stderr) = run(d, &[]);
    assert_eq!(rules(&before), ["tag-unknown"], "{stderr}");
    let (again, _) = run(d, &[]);
    assert_eq!(rules(&again), ["tag-unknown"]);

    // The configuration: the rule turned off, then on again.
    std::fs::write(
        d.join("guidelint.yml"),
        "taxonomy: taxonomy.yml\nrules:\n  tag-unknown: off\n",
    )
    .unwrap();
    let (config, _) = run(d, &[]);
    assert!(rules(&config).is_empty());
    std::fs::write(d.join("guidelint.yml"), "taxonomy: taxonomy.yml\n").unwrap();
    let (restored, _) = run(d, &[]);
    assert_eq!(rules(&restored), ["tag-unknown"]);

    // The taxonomy file (the configuration is unchanged): the value becomes a known term.
    std::fs::write(d.join("taxonomy.yml"), term("mixdown-ish")).unwrap();
    let (taxonomy, _) = run(d, &[]);
    assert!(rules(&taxonomy).is_empty());

    // The schema: a shorter maximum title length.
    let builtin: Value =
        serde_json::from_str(include_str!("../schemas/article.schema.json")).unwrap();
    let mut schema = builtin.clone();
    schema["properties"]["title"]["maxLength"] = Value::from(5);
    std::fs::write(d.join("short.schema.json"), schema.to_string()).unwrap();
    let (short, _) = run(d, &["--schema", "short.schema.json"]);
    assert_eq!(rules(&short), ["schema-violation"]);
    std::fs::write(d.join("short.schema.json"), builtin.to_string()).unwrap();
    let (back, _) = run(d, &["--schema", "short.schema.json"]);
    assert!(rules(&back).is_empty());

    // A rule's option alone: a scrape-residue pattern matching a line of the body, then
    // another pattern (the same levels, the same files).
    let body_line = ARTICLE
        .lines()
        .skip_while(|l| !l.starts_with('#'))
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .expect("a line of prose")
        .to_string();
    let pattern = |p: &str| {
        format!(
            "taxonomy: taxonomy.yml\nrules:\n  tag-unknown: off\n  scrape-residue:\n    patterns: [{p:?}]\n"
        )
    };
    std::fs::write(d.join("guidelint.yml"), pattern("^no such line$")).unwrap();
    let (unmatched, _) = run(d, &[]);
    assert!(rules(&unmatched).is_empty());
    std::fs::write(
        d.join("guidelint.yml"),
        pattern(&format!("^{}$", regex::escape(&body_line))),
    )
    .unwrap();
    let (matched, stderr) = run(d, &[]);
    assert_eq!(
        rules(&matched),
        ["scrape-residue"],
        "{body_line:?}: {stderr}"
    );

    // Rule selection on the command line.
    std::fs::write(d.join("guidelint.yml"), "taxonomy: taxonomy.yml\n").unwrap();
    std::fs::write(d.join("taxonomy.yml"), term("stem-mastering")).unwrap();
    let (all, _) = run(d, &[]);
    assert_eq!(rules(&all), ["tag-unknown"]);
    let (ignored, _) = run(d, &["--ignore", "tag-unknown"]);
    assert!(rules(&ignored).is_empty());
}

/// The settings key a cache file was written under: the first 8 bytes after its header line.
fn cache_key_of(dir: &Path) -> Vec<u8> {
    let bytes = std::fs::read(dir.join(CACHE_FILE)).unwrap();
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    bytes[newline + 1..newline + 9].to_vec()
}

#[test]
fn another_build_of_the_same_version_does_not_reuse_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), ARTICLE).unwrap();
    run(d, &[]);
    let first = cache_key_of(d);
    run(d, &[]);
    assert_eq!(cache_key_of(d), first, "the same build keeps its key");
    // A copy of the executable stands for another build: same version, other file.
    let bin = tempfile::tempdir().unwrap();
    let copy = bin
        .path()
        .join(format!("guidelint{}", std::env::consts::EXE_SUFFIX));
    let mut built = std::fs::read(assert_cmd::cargo::cargo_bin("guidelint")).unwrap();
    built.extend_from_slice(b"another build");
    std::fs::write(&copy, built).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = std::process::Command::new(&copy)
        .current_dir(d)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    assert_ne!(
        cache_key_of(d),
        first,
        "another build writes under another key"
    );
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, text) in [
        ("good.md", ARTICLE.to_string()),
        ("bad.md", ARTICLE.replace("[mixing]", "mixing")),
    ] {
        std::fs::write(d.join(name), text).unwrap();
        age(&d.join(name));
    }
    let (expected, _) = run(d, &["--no-config", "--no-cache"]);
    let _ = run(d, &["--no-config"]);
    let cache = d.join(CACHE_FILE);
    let good = std::fs::read(&cache).unwrap();
    let mut edited = good.clone();
    let at = edited
        .windows(16)
        .position(|w| w == b"should be a list")
        .expect("a cached message");
    edited.splice(at..at + 16, b"is fine".iter().copied());
    let damaged: Vec<Vec<u8>> = vec![
        good[..good.len() / 2].to_vec(),                     // truncated
        edited,                                              // edited
        b"guidelint-cache v5 0000000000000000\n{}".to_vec(), // bad checksum
        Vec::new(),                                          // empty
        vec![0xff; 64],                                      // binary
    ];
    assert_ne!(damaged[1], good, "the edit hit a cached message");
    for bytes in damaged {
        std::fs::write(&cache, &bytes).unwrap();
        let (report, stderr) = run(d, &["--no-config"]);
        assert_eq!(report, expected, "{stderr}");
        let rewritten = std::fs::read(&cache).unwrap();
        assert!(rewritten.starts_with(b"guidelint-cache v5 "));
        assert_ne!(rewritten, bytes);
    }
}

#[test]
fn fixing_bypasses_the_cache_and_a_cache_that_cannot_be_written_only_warns() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), ARTICLE.replace("[mixing]", "[Mixing]")).unwrap();
    let out = bin()
        .current_dir(d)
        .args(["check", "--no-config", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!d.join(".guidelint_cache").exists());
    // A file where the cache folder should be.
    std::fs::write(d.join("blocked"), "").unwrap();
    let out = bin()
        .current_dir(d)
        .args(["check", "--no-config", "--cache-dir", "blocked/cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write the result cache"), "{stderr}");
    // --cache-dir puts it elsewhere.
    let _ = run(d, &["--no-config", "--cache-dir", "elsewhere"]);
    assert!(d.join("elsewhere/results-v5.bin").exists());
}

/// The rules of every finding in a run of `guidelint check --no-config` in `dir`, and its
/// standard error.
fn rules_found(dir: &Path) -> (Vec<String>, String) {
    let (report, stderr) = run(dir, &["--no-config"]);
    let rules = findings(&report).into_iter().map(|f| f.1).collect();
    (rules, stderr)
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_symbolic_link_is_refused_and_never_written_through() {
    let bad = ARTICLE.replace("[mixing]", "[mixinq]");
    // `.guidelint_cache` committed as a link to the guide's own folder, or to another one:
    // writing the cache there would put a `.gitignore` of `*` over the articles.
    for target in [".", "guide", "missing"] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("guide")).unwrap();
        std::fs::write(d.join("guide/a.md"), &bad).unwrap();
        std::os::unix::fs::symlink(target, d.join(".guidelint_cache")).unwrap();
        for run_number in 0..2 {
            let (rules, stderr) = rules_found(d);
            assert_eq!(
                rules,
                ["tag-unknown"],
                "{target}, run {run_number}: {stderr}"
            );
            assert!(
                stderr.contains("not using the result cache") && stderr.contains("symbolic link"),
                "{target}: {stderr}"
            );
        }
        for written in [".gitignore", "CACHEDIR.TAG", "results-v5.bin"] {
            assert!(!d.join(written).exists(), "{target}: {written}");
            assert!(
                !d.join("guide").join(written).exists(),
                "{target}: {written}"
            );
        }
        assert!(!d.join("missing").exists(), "{target}");
        // A file is no cache folder either.
        std::fs::remove_file(d.join(".guidelint_cache")).unwrap();
        std::fs::write(d.join(".guidelint_cache"), "").unwrap();
        let (rules, stderr) = rules_found(d);
        assert_eq!(rules, ["tag-unknown"]);
        assert!(stderr.contains("not using the result cache"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_cache_folder_are_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("guide")).unwrap();
    std::fs::write(
        d.join("guide/a.md"),
        ARTICLE.replace("[mixing]", "[mixinq]"),
    )
    .unwrap();
    let cache = d.join(".guidelint_cache");
    std::fs::create_dir(&cache).unwrap();
    // Dangling links where the cache writes its files: following them would create
    // `guide/.gitignore` (`*`) and overwrite an article with the cache.
    std::os::unix::fs::symlink("../guide/.gitignore", cache.join(".gitignore")).unwrap();
    std::os::unix::fs::symlink("../guide/CACHEDIR.TAG", cache.join("CACHEDIR.TAG")).unwrap();
    std::fs::write(
        d.join("guide/b.md"),
        ARTICLE.replace("Mixing vocals", "Mixing drums"),
    )
    .unwrap();
    let article = std::fs::read(d.join("guide/b.md")).unwrap();
    std::os::unix::fs::symlink("../guide/b.md", cache.join("results-v5.bin")).unwrap();
    for _ in 0..2 {
        let (rules, stderr) = rules_found(d);
        assert_eq!(rules, ["tag-unknown"], "{stderr}");
    }
    assert!(!d.join("guide/.gitignore").exists());
    assert!(!d.join("guide/CACHEDIR.TAG").exists());
    assert_eq!(std::fs::read(d.join("guide/b.md")).unwrap(), article);
}

/// Rewrite every entry of a cache file to say its file has no findings, with a checksum that
/// matches: what someone who knows the format (and the key of the run to fool) can commit.
fn forge_clean(file: &Path) {
    let bytes = std::fs::read(file).unwrap();
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let body = &bytes[newline + 1..];
    let u32_at = |at: usize| u32::from_le_bytes(body[at..at + 4].try_into().unwrap()) as usize;
    let mut forged = body[..8].to_vec();
    let mut at = 8;
    while at < body.len() {
        let path = u32_at(at);
        // Path, size, time, settled, hash: kept.
        let fixed = 4 + path + 8 + 8 + 1 + 8;
        forged.extend_from_slice(&body[at..at + fixed]);
        let result = u32_at(at + fixed);
        // An encoded result with no text, no finding, no fact and no suppression, in the
        // layout of the entry it replaces (its first byte).
        let layout = body[at + fixed + 4];
        forged.extend_from_slice(&5u32.to_le_bytes());
        forged.extend_from_slice(&[layout, 0, 0, 0, 0]);
        at += fixed + 4 + result;
    }
    let sum = guidelint::base::hash::file_hash(&forged);
    let mut out = format!("guidelint-cache v5 {sum:016x}\n").into_bytes();
    out.extend_from_slice(&forged);
    std::fs::write(file, out).unwrap();
}

#[test]
fn a_cache_folder_committed_to_the_repository_is_not_trusted_when_gating_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::write(d.join("base.md"), ARTICLE).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    // The pull request: a bad article, and a cache that calls it clean.
    let bad = ARTICLE
        .replace("[mixing]", "[mixinq]")
        .replace("Mixing vocals", "Mixing drums");
    std::fs::write(d.join("bad.md"), bad).unwrap();
    let (rules, _) = rules_found(d);
    assert_eq!(rules, ["tag-unknown"]);
    forge_clean(&d.join(CACHE_FILE));
    let (forged, _) = rules_found(d);
    assert!(forged.is_empty(), "the forged entry is read: {forged:?}");
    git(d, &["add", "-f", "."]);
    git(d, &["commit", "-q", "-m", "pull request"]);
    let (report, stderr) = run(d, &["--no-config", "--changed-since", "HEAD~1"]);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["tag-unknown"], "{stderr}");
    assert!(
        stderr.contains("not using the result cache") && stderr.contains("tracked by Git"),
        "{stderr}"
    );
}

#[test]
fn a_cache_file_of_an_earlier_layout_is_removed_and_a_later_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), ARTICLE).unwrap();
    let cache = d.join(".guidelint_cache");
    std::fs::create_dir(&cache).unwrap();
    for old in ["results-v1.bin", "results-v3.bin", "results-v4.bin"] {
        std::fs::write(cache.join(old), "guidelint-cache v3 0\n").unwrap();
    }
    // Names no build writes are left alone.
    let others = [
        "results-v99.bin",
        "results-vX.bin",
        "results-v+3.bin",
        "results-v03.bin",
    ];
    for other in others {
        std::fs::write(cache.join(other), "not this build's").unwrap();
    }
    // A temporary file an older build's killed run left, and a fresh one (a run going on).
    let stale = cache.join(".results-v3.bin.12345.tmp");
    std::fs::write(&stale, "").unwrap();
    age(&stale);
    std::fs::write(cache.join(".results-v3.bin.12346.tmp"), "").unwrap();
    let (report, _) = run(d, &["--no-config"]);
    assert!(findings(&report).is_empty());
    assert!(d.join(CACHE_FILE).exists());
    assert!(!cache.join("results-v1.bin").exists());
    assert!(!cache.join("results-v3.bin").exists());
    assert!(!cache.join("results-v4.bin").exists());
    assert!(!stale.exists());
    assert!(cache.join(".results-v3.bin.12346.tmp").exists());
    for other in others {
        assert!(cache.join(other).exists(), "{other}");
    }
}
