//! Which files to check: walk the given paths, honour ignore files, keep explicit files.
//!
//! Directories are walked with the `ignore` crate: `*.md` and `*.markdown` files (in any
//! case), `.gitignore` (also outside a Git repository), `.ignore` and `.guidelintignore` files
//! are honoured, hidden entries are skipped and symbolic links are not followed. A file named on the command line is
//! always checked, whatever its name or ignore rules say. The result is sorted by display path
//! and free of duplicates, so output order never depends on the walk.
//!
//! A file's identity is the file itself, never how its name is shown: paths are compared as
//! they are (bytes, not a lossy text), and when several paths are given, a file reached twice
//! (named twice, or through a symbolic link) is found by its device and inode number and
//! checked once. Names that are not UTF-8 are shown with their odd bytes as `\xFF`.

use std::path::{Component, Path, PathBuf};

use std::sync::PoisonError;

use ignore::{WalkBuilder, WalkState};

use crate::base::paths::absolute;

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Path relative to the working directory with `/` separators (as shown in reports).
    pub display: String,
    /// Path to open.
    pub path: PathBuf,
    /// Named on the command line (rather than found by walking a folder).
    pub explicit: bool,
}

/// Something that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Failure {
    /// Display path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Which files a walk keeps: the configuration's `include` globs (when set) replace the
/// Markdown filter, its `exclude` globs skip files; both match paths relative to `root`.
#[derive(Clone, Copy, Debug)]
pub struct Filter<'a> {
    /// The folder the globs are relative to.
    pub root: &'a Path,
    /// Files to keep when walking (`None`: Markdown files).
    pub include: Option<&'a globset::GlobSet>,
    /// Files to skip when walking.
    pub exclude: Option<&'a globset::GlobSet>,
}

impl Filter<'_> {
    /// `path` relative to the root, with `/` separators, for glob matching.
    #[must_use]
    pub fn relative(&self, path: &Path) -> String {
        let absolute = absolute(path);
        let relative = absolute.strip_prefix(self.root).unwrap_or(&absolute);
        display_path(relative, Path::new(""))
    }
}

/// The name of guidelint's own ignore file.
pub const IGNORE_FILE: &str = ".guidelintignore";

/// Find the Markdown files under `paths`. When walking folders, the configuration's
/// `include` globs (if any) replace the Markdown filter and its `exclude` globs skip files;
/// both match paths relative to the configuration's folder. Folders are walked on up to
/// `walkers` threads (0: one per core), never more than one per core nor [`MAX_WALKERS`].
#[must_use]
pub fn discover(
    paths: &[PathBuf],
    cwd: &Path,
    filter: &Filter<'_>,
    walkers: usize,
) -> (Vec<Target>, Vec<Failure>) {
    // Never more than the walker's own default (one per core, at most 12): a thread per job
    // of a large `--jobs` would only wait (and each must be started and stopped).
    let most = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_WALKERS);
    let walkers = if walkers == 0 {
        most
    } else {
        walkers.min(most)
    };
    let mut targets = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => failures.push(Failure {
                path: display_path(path, cwd),
                message: if e.kind() == std::io::ErrorKind::NotFound {
                    "path does not exist".into()
                } else {
                    format!("cannot read path: {e}")
                },
            }),
            Ok(meta) if meta.is_dir() => {
                walk(path, cwd, filter, walkers, &mut targets, &mut failures);
            }
            Ok(_) => targets.push(Target {
                display: display_path(path, cwd),
                path: path.clone(),
                explicit: true,
            }),
        }
    }
    // Explicit entries sort first among equal paths, so the deduplicated target keeps it.
    // Unstable (no buffer): entries that compare equal name the same file. On the calling
    // thread: sorting on the thread pool cost about 5 MiB more peak memory on 100,000 files
    // (with the system allocator then; see docs/performance.md).
    targets.sort_unstable_by(|a, b| {
        a.display
            .cmp(&b.display)
            .then_with(|| a.path.cmp(&b.path))
            .then(b.explicit.cmp(&a.explicit))
    });
    targets.dedup_by(|a, b| a.path == b.path);
    // One folder walked without following links names each file once; several paths may
    // reach one file by different names.
    // The first name (by display path) is kept, named on the command line if any was.
    if paths.len() > 1 {
        let mut first: std::collections::HashMap<FileId, usize> =
            std::collections::HashMap::with_capacity(targets.len());
        let mut keep = vec![true; targets.len()];
        for i in 0..targets.len() {
            let Some(id) = FileId::of(&targets[i].path) else {
                continue;
            };
            if let Some(&kept) = first.get(&id) {
                keep[i] = false;
                if targets[i].explicit {
                    targets[kept].explicit = true;
                }
            } else {
                first.insert(id, i);
            }
        }
        let mut keep = keep.into_iter();
        targets.retain(|_| keep.next().unwrap_or(true));
    }
    failures.sort();
    failures.dedup();
    (targets, failures)
}

fn walk(
    root: &Path,
    cwd: &Path,
    filter: &Filter<'_>,
    walkers: usize,
    targets: &mut Vec<Target>,
    failures: &mut Vec<Failure>,
) {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .follow_links(false)
        .require_git(false)
        .add_custom_ignore_filename(IGNORE_FILE);
    // Markdown files are picked by their extension here rather than by the walker's file
    // types: a type match lets a hidden file through (it counts as a whitelist, which the
    // hidden check yields to), and costs a glob match per entry.
    let markdown = filter.include.is_none();
    let found = |entry: Result<ignore::DirEntry, ignore::Error>| match entry {
        Ok(entry) => {
            if !entry.file_type().is_some_and(|t| t.is_file())
                || (markdown && !is_markdown(entry.path()))
            {
                return None;
            }
            let path = entry.into_path();
            selected(&path, filter).then(|| {
                Ok(Target {
                    display: display_path(&path, cwd),
                    path,
                    explicit: false,
                })
            })
        }
        Err(e) => Some(Err(Failure {
            path: error_path(&e).map_or_else(|| display_path(root, cwd), |p| display_path(p, cwd)),
            message: walk_message(&e),
        })),
    };
    if walkers <= SEQUENTIAL_WALKERS {
        for entry in builder.build() {
            match found(entry) {
                Some(Ok(target)) => targets.push(target),
                Some(Err(failure)) => failures.push(failure),
                None => {}
            }
        }
        return;
    }
    // Walked on several threads (the caller sorts what is found).
    let all = std::sync::Mutex::new((targets, failures));
    builder.threads(walkers).build_parallel().run(|| {
        Box::new(|entry| {
            if let Some(one) = found(entry) {
                let mut all = all.lock().unwrap_or_else(PoisonError::into_inner);
                match one {
                    Ok(target) => all.0.push(target),
                    Err(failure) => all.1.push(failure),
                }
            }
            WalkState::Continue
        })
    });
}

/// The most threads a walk starts (the `ignore` crate's own default bound).
const MAX_WALKERS: usize = 12;

/// Up to this many threads (`--jobs 1`), folders are walked on the calling thread, with no
/// thread started. With more, the parallel walker pays for its threads on small trees (about
/// 1 ms on hugo-docs' 98 folders, 2 cores) and wins on wide ones (about 4 ms on the Rust
/// book's 1,202 folders): see docs/performance.md.
const SEQUENTIAL_WALKERS: usize = 1;

/// Whether the configuration's `include` globs (when set) and `exclude` globs let `path`
/// through.
fn selected(path: &Path, filter: &Filter<'_>) -> bool {
    let matches =
        |globs: Option<&globset::GlobSet>| globs.map(|g| g.is_match(filter.relative(path)));
    matches(filter.include) != Some(false) && matches(filter.exclude) != Some(true)
}

/// The files among `missing` (changed files a walk of `paths` did not find) that the walk
/// skipped only because `.gitignore` or Git's other exclude files match them. Git tracks
/// them (it listed them as changed), so they are part of the guide: a file added with
/// `git add -f` is still an article. `.ignore` and `.guidelintignore`, hidden entries, the
/// configuration's `include` and `exclude` and the Markdown filter apply as in [`discover`].
/// Only the folders that lead to those files are read.
#[must_use]
pub fn ignored_by_git(
    paths: &[PathBuf],
    cwd: &Path,
    filter: &Filter<'_>,
    missing: &[PathBuf],
) -> Vec<Target> {
    let markdown = filter.include.is_none();
    let missing: Vec<&PathBuf> = missing
        .iter()
        .filter(|p| !markdown || is_markdown(p))
        .collect();
    let mut wanted: std::collections::HashSet<FileId> =
        missing.iter().filter_map(|p| FileId::of_link(p)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let folders: std::collections::HashSet<FileId> = missing
        .iter()
        .flat_map(|p| p.ancestors().skip(1))
        .filter_map(FileId::of)
        .collect();
    let folders = std::sync::Arc::new(folders);
    let mut found = Vec::new();
    for root in paths.iter().filter(|p| p.is_dir()) {
        let mut builder = WalkBuilder::new(root);
        let folders = std::sync::Arc::clone(&folders);
        builder
            .hidden(true)
            .follow_links(false)
            .require_git(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .add_custom_ignore_filename(IGNORE_FILE)
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || !entry.file_type().is_some_and(|t| t.is_dir())
                    || FileId::of_link(entry.path()).is_some_and(|id| folders.contains(&id))
            });
        for entry in builder.build().flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file())
                || markdown && !is_markdown(entry.path())
            {
                continue;
            }
            let Some(id) = FileId::of_link(entry.path()) else {
                continue;
            };
            if wanted.contains(&id) && selected(entry.path(), filter) {
                wanted.remove(&id);
                let path = entry.into_path();
                found.push(Target {
                    display: display_path(&path, cwd),
                    path,
                    explicit: false,
                });
            }
        }
    }
    found
}

/// What makes a file itself: its device and inode number where the platform has them, else
/// its canonical path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileId {
    /// Device and inode number.
    Inode(u64, u64),
    /// The path with every link and `..` resolved.
    Canonical(PathBuf),
}

impl FileId {
    /// The identity of the file `path` names (through symbolic links), if it exists.
    #[must_use]
    pub fn of(path: &Path) -> Option<Self> {
        Self::from_metadata(path, std::fs::metadata(path).ok()?)
    }

    /// The identity of `path` itself, a symbolic link not followed.
    #[must_use]
    pub fn of_link(path: &Path) -> Option<Self> {
        Self::from_metadata(path, std::fs::symlink_metadata(path).ok()?)
    }

    #[cfg(unix)]
    #[allow(clippy::unnecessary_wraps)]
    fn from_metadata(_path: &Path, meta: std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(Self::Inode(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn from_metadata(path: &Path, _meta: std::fs::Metadata) -> Option<Self> {
        std::fs::canonicalize(path).ok().map(Self::Canonical)
    }
}

/// Whether `path` names a Markdown file: `*.md` or `*.markdown`, in any case (`x.MD` is
/// rendered as Markdown by site generators and by GitHub, so it is an article to check).
fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn walk_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_message(err)
        }
        // The walk on one thread wraps the system's error in one that repeats the path: the
        // system's own, as the parallel walk gives it.
        ignore::Error::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.source())
            .and_then(|source| source.downcast_ref::<std::io::Error>())
            .unwrap_or(io)
            .to_string(),
        other => other.to_string(),
    }
}

/// `path` as shown in reports: relative to `cwd` when inside it, `/` separators, no `./`.
#[must_use]
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = relative_to(path, cwd);
    // A path the walker made (`root/dir/file.md`, `./dir/file.md`) is usually in that form
    // already, but for the `./` a walk of `.` starts with.
    if std::path::MAIN_SEPARATOR == '/'
        && let Some(mut s) = relative.to_str()
    {
        let walked = s.starts_with("./");
        while let Some(rest) = s.strip_prefix("./") {
            s = rest;
        }
        // `.//x` is `x`, not the absolute `/x`.
        if is_plain(s) && !(walked && s.starts_with('/')) {
            return s.to_owned();
        }
    }
    by_components(relative, shown)
}

/// `path` relative to `cwd` when it is inside it, else as it is.
fn relative_to<'a>(path: &'a Path, cwd: &Path) -> &'a Path {
    if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    }
}

/// What a baseline knows the file `path` by: its display path when that is the path exactly
/// (UTF-8), so that baselines of such paths read the same as ever; else a NUL (which no file
/// name holds) and the path with every `\` doubled and each byte that is not part of a UTF-8
/// character as `\xFF`. Unlike display paths, two paths never share a key: a file named
/// `x\xFF.md` and one whose name has the byte 0xFF both show as `x\xFF.md`.
#[must_use]
pub fn path_key(path: &Path, cwd: &Path) -> String {
    let relative = relative_to(path, cwd);
    if relative.to_str().is_some() {
        return display_path(path, cwd);
    }
    let mut key = String::from("\0");
    key.push_str(&by_components(relative, exact));
    key
}

/// A path component as [`path_key`] writes it.
fn exact(text: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::with_capacity(text.len() + 8);
        for chunk in text.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for byte in chunk.invalid() {
                let _ = write!(out, "\\x{byte:02X}");
            }
        }
        out.into()
    }
    #[cfg(not(unix))]
    {
        use std::fmt::Write;
        // UTF-16 code units, each as four hex digits.
        let mut out = String::new();
        for unit in std::os::windows::ffi::OsStrExt::encode_wide(text) {
            let _ = write!(out, "{unit:04X}");
        }
        out.into()
    }
}

/// `text` as shown: as it is when it is UTF-8, else each byte that is not part of a UTF-8
/// character as `\xFF` (so names that differ only there are told apart).
#[must_use]
pub fn shown(text: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    if let Some(s) = text.to_str() {
        return s.into();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::with_capacity(text.len() + 8);
        for chunk in text.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                let _ = write!(out, "\\x{byte:02X}");
            }
        }
        out.into()
    }
    #[cfg(not(unix))]
    {
        text.to_string_lossy()
    }
}

/// Whether `path` (with `/` separators) is what [`by_components`] makes of it: not empty or
/// `.`, no `./` at its start, no `.` or empty component inside, no `/` at its end.
fn is_plain(path: &str) -> bool {
    !path.is_empty()
        && path != "."
        && !path.starts_with("./")
        && !path.ends_with('/')
        && !path.ends_with("/.")
        && !path.contains("//")
        && !path.contains("/./")
}

/// `path` rebuilt from its components, each written by `write`, joined with `/`, without `.`
/// components.
fn by_components(
    relative: &Path,
    write: for<'a> fn(&'a std::ffi::OsStr) -> std::borrow::Cow<'a, str>,
) -> String {
    let mut joined = String::with_capacity(relative.as_os_str().len());
    let mut first = true;
    for c in relative.components() {
        let part = match c {
            Component::CurDir => continue,
            Component::RootDir => "".into(),
            Component::Prefix(p) => write(p.as_os_str()),
            Component::ParentDir => "..".into(),
            Component::Normal(s) => write(s),
        };
        if !first {
            joined.push('/');
        }
        joined.push_str(&part);
        first = false;
    }
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut for paths already in the shown form gives what rebuilding the path
        /// from its components gives.
        #[test]
        fn a_display_path_is_the_path_rebuilt_from_its_components(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b.md", ".", "..", "", "x y", "\u{e9}", ".hidden"]),
                1..6,
            ),
            lead in proptest::sample::select(vec!["", "/", "./", "././", ".//", "/work/guide/", "/work/guide/./"]),
        ) {
            let path = format!("{lead}{}", parts.join("/"));
            let cwd = Path::new("/work/guide");
            let rebuilt = by_components(relative_to(Path::new(&path), cwd), shown);
            proptest::prop_assert_eq!(display_path(Path::new(&path), cwd), rebuilt, "{:?}", path);
        }
    }

    #[test]
    fn display_paths_are_relative_with_slashes() {
        let cwd = Path::new("/work/guide");
        assert_eq!(display_path(Path::new("./a/b.md"), cwd), "a/b.md");
        assert_eq!(display_path(Path::new("/work/guide/a/b.md"), cwd), "a/b.md");
        assert_eq!(
            display_path(Path::new("/elsewhere/b.md"), cwd),
            "/elsewhere/b.md"
        );
        assert_eq!(display_path(Path::new("../x.md"), cwd), "../x.md");
        assert_eq!(display_path(Path::new("a//b/./c/"), cwd), "a/b/c");
        assert_eq!(display_path(Path::new("."), cwd), ".");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_shown_with_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| {
            display_path(
                Path::new(std::ffi::OsStr::from_bytes(bytes)),
                Path::new("/"),
            )
        };
        assert_eq!(name(b"a/x\xFE.md"), "a/x\\xFE.md");
        assert_ne!(name(b"x\xFE.md"), name(b"x\xFF.md"));
        assert_eq!(name("caf\u{e9}.md".as_bytes()), "caf\u{e9}.md");
        assert_eq!(name(b"\xC3.md"), "\\xC3.md");
    }

    #[cfg(unix)]
    #[test]
    fn path_keys_tell_look_alike_names_apart() {
        use std::os::unix::ffi::OsStrExt;
        let key = |bytes: &[u8]| {
            path_key(
                Path::new(std::ffi::OsStr::from_bytes(bytes)),
                Path::new("/guide"),
            )
        };
        // UTF-8 names keep their display path.
        assert_eq!(key(b"/guide/a/x\\xFF.md"), "a/x\\xFF.md");
        assert_eq!(key(b"caf\xC3\xA9.md"), "caf\u{e9}.md");
        assert_eq!(key(b"/guide/a/x\xFF.md"), "\0a/x\\xFF.md");
        let keys = [
            key(b"x\\xFF.md"),
            key(b"x\xFF.md"),
            key(b"x\\\xFF.md"),
            key(b"x\\\\xFF\xFE.md"),
            key(b"x\\xFF\xFE.md"),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    proptest::proptest! {
        /// A path taken as it is would be rebuilt the same from its components.
        #[test]
        fn plain_paths_need_no_rebuilding(path in "[a./]{0,10}") {
            if std::path::MAIN_SEPARATOR == '/' && is_plain(&path) {
                proptest::prop_assert_eq!(by_components(Path::new(&path), shown), path);
            }
        }
    }
}
