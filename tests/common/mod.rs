//! Helpers the integration tests share: running the `guidelint` binary, writing files and
//! Git repositories, reading its JSON reports, and a valid article to vary. Each test binary
//! includes this module with `mod common;` and uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The repository's root folder (where `fixtures/` and `schemas/` are).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `guidelint` binary, run with the test's environment and current folder as they are.
pub fn bin() -> Command {
    Command::cargo_bin("guidelint").unwrap()
}

/// The `guidelint` binary run in `dir`, without colours (`NO_COLOR=1`) and with `COLUMNS`
/// unset: what it prints does not depend on the terminal the tests run in.
pub fn guidelint(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    cmd
}

/// Write `contents` to `dir/name`, creating the folders on the way.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// Copy every file below `from` into `to`, with the folders between.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `mkfifo PATH`: a named pipe nothing writes to, whose opening for reading waits for ever.
#[cfg(unix)]
pub fn make_fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// `git ARGS` in `dir`, as a throwaway author and without signing; it must succeed.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Standard output (which must be UTF-8) and exit code of a run.
pub fn stdout_of(cmd: &mut Command) -> (String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

/// The JSON document a run wrote on standard output (a panic showing both outputs if it is
/// not one).
pub fn report_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The findings of a JSON report.
pub fn diagnostics(report: &Value) -> &[Value] {
    report["diagnostics"].as_array().unwrap()
}

/// The string `key` of a JSON object (a finding's `path`, `rule`, `message`...).
pub fn field(object: &Value, key: &str) -> String {
    object[key].as_str().unwrap().to_string()
}

/// The rules of the findings on `path` in a JSON report, in order.
pub fn rules_at(report: &Value, path: &str) -> Vec<String> {
    diagnostics(report)
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| field(d, "rule"))
        .collect()
}

/// An article with every field of the built-in schema, `yt_video` empty (`yt_video:`), at
/// `stage` and titled `title`: clean when the stage is a canonical one.
pub fn article(stage: &str, title: &str) -> String {
    article_text(stage, title, "yt_video:")
}

/// [`article`] with `yt_video: VIDEO` (a space after the colon, even when `video` is empty).
pub fn article_with_video(stage: &str, title: &str, video: &str) -> String {
    article_text(stage, title, &format!("yt_video: {video}"))
}

fn article_text(stage: &str, title: &str, yt_video: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: How to mix vocals in a busy arrangement.\n{yt_video}\ngenre: [all]\nstage: [{stage}]\ninstrument: [vocals]\nlevel: [beginner]\n---\n# Post-production\n## Mixing\nBalance the vocal.\n"
    )
}
