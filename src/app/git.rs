//! `--changed-since REF`: the files that a change since a Git revision leaves in the tree.
//!
//! Git's output is read as bytes (`-z`), never through a lossy conversion, and each path is
//! resolved against the repository's top folder, so the caller can compare files by identity
//! rather than by spelling. The revision is checked before it reaches any other Git command:
//! one that starts with `-` is refused (it would be read as an option), and the rest must name
//! a commit (`git rev-parse --verify --end-of-options REV^{commit}`); only the commit's id is
//! passed on.
//!
//! Deleted files are not checked, but they are listed: a deleted configuration changes what
//! is checked as much as a changed one.
//!
//! A submodule whose commit changed is looked into: its files that differ from its earlier
//! commit (all of them when that commit is not there, or the submodule is new) count as
//! changed, through submodules of its own. One that is not checked out is listed apart.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::base::error::ToolError;

/// What a change since a Git revision did to the working tree.
#[derive(Debug, Default)]
pub struct Changes {
    /// Absolute paths of the files added, copied, modified, renamed or changed in type between
    /// the revision and the working tree (staged or not), and of untracked files that are not
    /// ignored: every file a change leaves to check.
    pub changed: Vec<PathBuf>,
    /// Absolute paths of the files deleted since the revision, or renamed away from there.
    pub removed: Vec<PathBuf>,
    /// Submodules whose commit changed (absolute paths) that are not checked out: their files
    /// cannot be listed, nor checked.
    pub unchecked_submodules: Vec<PathBuf>,
    /// The commit the revision names (its full id).
    pub commit: String,
    /// The repository's top folder, as Git gives it.
    pub top: PathBuf,
}

/// The entries a change touched (changed or removed, links and files alike), by their paths
/// relative to the repository's top folder: what a path names, before any link in it is
/// resolved, is compared with them.
#[derive(Debug)]
pub struct Touched {
    top: PathBuf,
    top_id: Option<crate::input::discover::FileId>,
    entries: std::collections::HashSet<PathBuf>,
    /// Whether a changed entry is a symbolic link now.
    links: bool,
    /// The working folder, relative to the top folder.
    cwd: Option<PathBuf>,
}

impl Touched {
    /// The entries `changes` lists, for paths relative to the working folder `cwd`.
    #[must_use]
    pub fn of(changes: &Changes, cwd: &Path) -> Self {
        let entries = changes
            .changed
            .iter()
            .chain(&changes.removed)
            // A submodule: the files that changed in it are listed themselves.
            .filter(|p| !std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
            .filter_map(|p| p.strip_prefix(&changes.top).ok())
            .map(Path::to_path_buf)
            .collect();
        let links = changes
            .changed
            .iter()
            .any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
        let mut touched = Self {
            top: changes.top.clone(),
            top_id: crate::input::discover::FileId::of(&changes.top),
            entries,
            links,
            cwd: None,
        };
        touched.cwd = touched.relative(&normal(cwd));
        touched
    }

    /// Whether a changed entry is a symbolic link.
    #[must_use]
    pub fn has_links(&self) -> bool {
        self.links
    }

    /// `path` (absolute, without `.` or `..`) relative to the repository's top folder, as
    /// spelt: the top folder is found among its folders by identity when the spelling differs.
    #[must_use]
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        if let Ok(rest) = path.strip_prefix(&self.top) {
            return Some(rest.to_path_buf());
        }
        let top = self.top_id.as_ref()?;
        // The outermost: a link inside the repository may lead back to its top.
        path.ancestors()
            .filter(|a| crate::input::discover::FileId::of(a).as_ref() == Some(top))
            .last()
            .and_then(|a| path.strip_prefix(a).ok())
            .map(Path::to_path_buf)
    }

    /// `path` (relative to `cwd`) relative to the repository's top folder, as spelt.
    #[must_use]
    pub fn in_repository(&self, path: &Path, cwd: &Path) -> Option<PathBuf> {
        self.relative(&normal(&cwd.join(path)))
    }

    /// Whether the absolute `path`, as spelt, or a folder above it is a touched entry.
    fn names(&self, path: &Path) -> bool {
        self.relative(path).is_some_and(|rel| self.lists(&rel))
    }

    /// Whether `rel` (relative to the top folder) or a folder above it is a touched entry.
    fn lists(&self, rel: &Path) -> bool {
        rel.ancestors()
            .any(|a| !a.as_os_str().is_empty() && self.entries.contains(a))
    }

    /// Whether `path` (relative to `cwd`) is reached through a touched entry: as spelt, or
    /// (when `follow`) as each symbolic link on the way to the file it names rewrites it.
    #[must_use]
    pub fn reaches(&self, path: &Path, cwd: &Path, follow: bool) -> bool {
        if !follow && path.is_relative() {
            // Most often a file the walk found: no need to look for the top folder again.
            let rel = normal(path);
            if let (Some(top), false) = (&self.cwd, rel.starts_with("..")) {
                return self.lists(&top.join(rel));
            }
        }
        let spelt = normal(&cwd.join(path));
        if !follow {
            return self.names(&spelt);
        }
        spellings(spelt).iter().any(|p| self.names(p))
    }
}

/// `path` without `.`, and with each `..` taking away the name before it.
fn normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            _ => out.push(part),
        }
    }
    out
}

/// The absolute `path`, then each spelling of it that resolving one more symbolic link in it
/// gives (the first from the left), up to the file it names.
fn spellings(path: PathBuf) -> Vec<PathBuf> {
    let mut found = vec![path];
    // As many links as Linux follows before it gives up.
    for _ in 0..40 {
        let Some(current) = found.last() else { break };
        let parts: Vec<_> = current.components().collect();
        let mut prefix = PathBuf::new();
        let mut next = None;
        for (i, part) in parts.iter().enumerate() {
            prefix.push(part);
            if !std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink()) {
                continue;
            }
            let Ok(target) = std::fs::read_link(&prefix) else {
                break;
            };
            // The folders before the link are none: what `..` in its target means is plain.
            let mut rewritten = prefix.parent().unwrap_or(Path::new("/")).join(target);
            rewritten.extend(&parts[i + 1..]);
            next = Some(normal(&rewritten));
            break;
        }
        match next {
            Some(next) if !found.contains(&next) => found.push(next),
            _ => break,
        }
    }
    found
}

/// What changed between `reference` and the working tree of the repository `cwd` is in.
///
/// # Errors
/// `reference` starts with `-` or is not a commit, git is missing, or `cwd` is not in a
/// repository.
pub fn changed_since(reference: &str, cwd: &Path) -> Result<Changes, ToolError> {
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
    let mut changes = Changes {
        commit,
        top: top.clone(),
        ..Changes::default()
    };
    diff(&top, &changes.commit.clone(), &mut changes)?;
    untracked(&top, &mut changes)?;
    Ok(changes)
}

/// Add the untracked files that are not ignored in the repository whose top folder is `top`.
fn untracked(top: &Path, changes: &mut Changes) -> Result<(), ToolError> {
    let names =
        git(top, &["ls-files", "--others", "--exclude-standard", "-z"])?.map_err(ToolError::Git)?;
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        changes.changed.push(top.join(path_from_bytes(name)?));
    }
    Ok(())
}

/// Add the files of the submodule checked out at `path` that differ from its commit `old`
/// (every file when there was none, or this checkout does not have it), through any
/// submodules of its own; or note it as not checked out.
fn submodule(path: PathBuf, old: Option<&str>, changes: &mut Changes) -> Result<(), ToolError> {
    use crate::input::discover::FileId;
    // Not checked out, Git finds the repository around it instead.
    let top = match top_folder(&path) {
        Ok(top) if FileId::of(&top).is_some() && FileId::of(&top) == FileId::of(&path) => top,
        _ => {
            changes.unchecked_submodules.push(path);
            return Ok(());
        }
    };
    let known = old.filter(|commit| {
        let spec = format!("{commit}^{{commit}}");
        matches!(git(&top, &["cat-file", "-e", &spec]), Ok(Ok(_)))
    });
    if let Some(commit) = known {
        diff(&top, commit, changes)?;
    } else {
        let names =
            git(&top, &["ls-files", "-z", "--recurse-submodules"])?.map_err(ToolError::Git)?;
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            changes.changed.push(top.join(path_from_bytes(name)?));
        }
    }
    untracked(&top, changes)
}

/// Add what `git diff` says changed between `commit` and the working tree of the repository
/// whose top folder is `top` to `changes`.
fn diff(top: &Path, commit: &str, changes: &mut Changes) -> Result<(), ToolError> {
    // `--raw -z`: for each file, `:MODE MODE ID ID STATUS`, then its path, then (renames and
    // copies) the new path, each ended by a NUL byte.
    let out = git(
        top,
        &[
            "diff",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            // Whatever the configuration or `.gitmodules` say: a submodule's new commit is a
            // change like any other.
            "--ignore-submodules=none",
            commit,
            "--",
        ],
    )?
    .map_err(ToolError::Git)?;
    let unexpected = || ToolError::Git("unexpected output from git diff --raw".into());
    let mut fields = out.split(|&b| b == 0);
    // Submodules to look into once the list is read: path and earlier commit, if any.
    let mut submodules = Vec::new();
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let meta = std::str::from_utf8(meta).map_err(|_| unexpected())?;
        let parts: Vec<&str> = meta
            .strip_prefix(':')
            .ok_or_else(unexpected)?
            .split(' ')
            .collect();
        let [old_mode, new_mode, old_id, _, status] = parts[..] else {
            return Err(unexpected());
        };
        let mut path = || -> Result<PathBuf, ToolError> {
            let name = fields
                .next()
                .filter(|n| !n.is_empty())
                .ok_or_else(unexpected)?;
            Ok(top.join(path_from_bytes(name)?))
        };
        let kept = match status.chars().next().ok_or_else(unexpected)? {
            'D' => {
                changes.removed.push(path()?);
                continue;
            }
            'R' => {
                changes.removed.push(path()?);
                path()?
            }
            'C' => {
                path()?;
                path()?
            }
            _ => path()?,
        };
        // A gitlink: the files that changed are inside the submodule.
        if new_mode == GITLINK {
            let old = (old_mode == GITLINK).then(|| old_id.to_owned());
            submodules.push((kept.clone(), old));
        }
        changes.changed.push(kept);
    }
    for (path, old) in submodules {
        submodule(path, old.as_deref(), changes)?;
    }
    Ok(())
}

/// The mode Git gives a submodule's entry (a gitlink).
const GITLINK: &str = "160000";

/// The bytes of the file at `path` (relative to the top folder of the repository `changes`
/// is about, as spelt, with no link resolved) as it was in the revision; `None` when it was not
/// there, or Git cannot give it.
#[must_use]
pub fn file_at(changes: &Changes, path: &Path) -> Option<Vec<u8>> {
    let mut spec = std::ffi::OsString::from(format!("{}:", changes.commit));
    // Git names entries with `/` on every platform.
    let mut first = true;
    for part in path.components() {
        if !first {
            spec.push("/");
        }
        first = false;
        spec.push(part.as_os_str());
    }
    let out = Command::new("git")
        .args(["cat-file", "blob"])
        .arg(spec)
        .current_dir(&changes.top)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
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
