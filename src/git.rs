//! `--changed-since REF`: the files that a change since a Git revision leaves in the tree.
//!
//! Git's output is read as bytes (`-z`), never through a lossy conversion, and each path is
//! resolved against the repository's top folder, so the caller can compare files by identity
//! rather than by spelling. The revision is checked before it reaches any other Git command:
//! one that starts with `-` is refused (it would be read as an option), and the rest must name
//! a commit (`git rev-parse --verify --end-of-options REV^{commit}`); only the commit's id is
//! passed on.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::ToolError;

/// Absolute paths of the files added, copied, modified, renamed or changed in type between
/// `reference` and the working tree (staged or not), and of untracked files that are not
/// ignored. Deleted files are left out; every other status leaves a file to check.
///
/// # Errors
/// `reference` starts with `-` or is not a commit, git is missing, or `cwd` is not in a
/// repository.
pub fn changed_since(reference: &str, cwd: &Path) -> Result<Vec<PathBuf>, ToolError> {
    if reference.starts_with('-') {
        return Err(ToolError::Revision {
            reference: reference.to_string(),
            reason: "it starts with `-`, so Git would read it as an option".into(),
        });
    }
    if reference.is_empty() {
        return Err(ToolError::Revision {
            reference: String::new(),
            reason: "it is empty".into(),
        });
    }
    let top = top_folder(cwd)?;
    let commit = {
        let spec = format!("{reference}^{{commit}}");
        let out = git(
            &top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )?;
        match out {
            Ok(stdout) => String::from_utf8_lossy(&stdout).trim().to_string(),
            Err(_) => {
                return Err(ToolError::Revision {
                    reference: reference.to_string(),
                    reason: "Git knows no commit by that name (fetch it first, e.g. `git fetch origin main`)".into(),
                });
            }
        }
    };
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ToolError::Git(format!(
            "unexpected answer for `{reference}`: {commit}"
        )));
    }
    let diff = git(
        &top,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--diff-filter=d",
            &commit,
            "--",
        ],
    )?
    .map_err(ToolError::Git)?;
    let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?
        .map_err(ToolError::Git)?;
    let mut changed = Vec::new();
    for name in diff.split(|&b| b == 0).chain(untracked.split(|&b| b == 0)) {
        if !name.is_empty() {
            changed.push(top.join(path_from_bytes(name)?));
        }
    }
    Ok(changed)
}

/// Whether Git tracks any file in the folder `dir` (false outside a repository, or when Git
/// cannot tell).
#[must_use]
pub fn tracks_anything_in(dir: &Path, cwd: &Path) -> bool {
    Command::new("git")
        .args(["--literal-pathspecs", "ls-files", "-z", "--"])
        .arg(dir)
        .current_dir(cwd)
        .output()
        .is_ok_and(|out| out.status.success() && !out.stdout.is_empty())
}

/// The repository's top folder, as Git gives it.
fn top_folder(cwd: &Path) -> Result<PathBuf, ToolError> {
    match git(cwd, &["rev-parse", "--show-toplevel"])? {
        Ok(mut out) => {
            while out.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                out.pop();
            }
            if out.is_empty() {
                // A bare repository or the inside of `.git`: no working tree to compare.
                return Err(ToolError::NotARepository {
                    path: cwd.to_path_buf(),
                });
            }
            path_from_bytes(&out)
        }
        Err(message) if message.contains("not a git repository") => {
            Err(ToolError::NotARepository {
                path: cwd.to_path_buf(),
            })
        }
        Err(message) => Err(ToolError::Git(message)),
    }
}

/// Run git in `cwd`: its stdout when it succeeds, else the first line of what it printed on
/// stderr (its usage text, when there is one, is of no help to the reader).
fn git(cwd: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, ToolError> {
    let out = Command::new("git")
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| ToolError::Git(format!("cannot run git: {e}")))?;
    if out.status.success() {
        return Ok(Ok(out.stdout));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("failed without a message");
    let first = first.strip_prefix("fatal: ").unwrap_or(first);
    Ok(Err(first.chars().take(300).collect()))
}

/// A path from Git's bytes, exactly (Git writes `/` on every platform, which Windows accepts).
fn path_from_bytes(bytes: &[u8]) -> Result<PathBuf, ToolError> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes.to_vec())
            .map(PathBuf::from)
            .map_err(|_| ToolError::Git("Git named a file whose name is not UTF-8".into()))
    }
}
