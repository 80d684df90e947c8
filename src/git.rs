//! `--changed-since REF`: the Markdown files added, modified or renamed since a Git revision.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use crate::error::ToolError;

/// Paths (relative to `cwd`, `/` separators) of files added, modified or renamed between
/// `reference` and the working tree, and of untracked files that are not ignored.
///
/// # Errors
/// Git is missing, `cwd` is not in a repository, or `reference` is unknown.
pub fn changed_since(reference: &str, cwd: &Path) -> Result<HashSet<String>, ToolError> {
    let run = |args: &[&str]| -> Result<Vec<String>, ToolError> {
        let out = Command::new("git")
            .args(["-c", "core.quotepath=off"])
            .args(args)
            .current_dir(cwd)
            .output()
            .map_err(|e| ToolError::Git(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(ToolError::Git(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| p.replace('\\', "/"))
            .collect())
    };
    let mut changed: HashSet<String> = run(&[
        "diff",
        "--name-only",
        "--diff-filter=AMR",
        "--relative",
        "-z",
        reference,
        "--",
    ])?
    .into_iter()
    .collect();
    changed.extend(run(&["ls-files", "--others", "--exclude-standard", "-z"])?);
    Ok(changed)
}
