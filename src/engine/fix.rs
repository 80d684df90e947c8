//! Applying fixes: byte-range edits, in passes, verified before anything is written.
//!
//! Fixes never re-serialise YAML: each is a list of edits of the exact bytes of a value, a
//! list item or a heading, so comments, quoting, key order, indentation, line endings, the BOM
//! and the body stay as they were. The loop applies every non-overlapping fix, checks the
//! result again, and repeats until nothing changes (at most [`MAX_PASSES`] passes). The result
//! is then verified: the front matter must still load, and read the same everywhere outside
//! the values the applied fixes meant to change; the body may differ only on heading lines.
//! A file whose front matter does not load is never fixed.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde_json::Value;

use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::base::span::Span;
use crate::input::document::{Document, FrontMatter};

/// Passes after which a file whose fixes keep changing it is left as it was.
pub const MAX_PASSES: usize = 10;

/// One applied fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The rule whose finding it fixed.
    pub rule: &'static str,
    /// The fix's title.
    pub title: String,
}

/// What fixing one document gave.
#[derive(Debug)]
pub struct Outcome {
    /// The fixed text (the original when nothing applied, or on failure).
    pub text: String,
    /// The fixes applied, in order.
    pub applied: Vec<Applied>,
    /// Why the fixes were abandoned, if they were.
    pub failure: Option<String>,
}

/// The least safe fix a run applies: unsafe ones only with `--unsafe-fixes`.
#[must_use]
pub fn threshold(unsafe_fixes: bool) -> Applicability {
    if unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    }
}

/// The fix loop, with the findings of a document given by `findings`.
#[cfg(test)]
fn fix_with(
    original: &str,
    unsafe_fixes: bool,
    findings: impl Fn(&Document) -> Vec<Diagnostic>,
) -> Outcome {
    fix_keeping(original, unsafe_fixes, findings, |_| Vec::new())
}

/// The fix loop, with the findings of a document given by `findings` and what its
/// suppression comments silence by `suppressed` (each finding's rule and text, sorted). A
/// pass after which the comments would silence anything else is applied again one fix at a
/// time, leaving out each fix that would.
pub(crate) fn fix_keeping(
    original: &str,
    unsafe_fixes: bool,
    findings: impl Fn(&Document) -> Vec<Diagnostic>,
    suppressed: impl Fn(&Document) -> Vec<(&'static str, String)>,
) -> Outcome {
    let unchanged = |failure: Option<String>| Outcome {
        text: original.to_string(),
        applied: Vec::new(),
        failure,
    };
    let threshold = threshold(unsafe_fixes);
    let first = Document::parse_text(original.to_string());
    if matches!(&first.front_matter, FrontMatter::Yaml(block) if block.tree.is_err()) {
        return unchanged(None);
    }
    let mut text = original.to_string();
    let mut applied = Vec::new();
    let mut scopes: Vec<Option<String>> = Vec::new();
    let silenced = suppressed(&first);
    let mut doc = first;
    for _ in 0..MAX_PASSES {
        let findings = findings(&doc);
        let candidates: Vec<&Diagnostic> = findings
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability <= threshold))
            .collect();
        let (mut next, mut used) = apply(&text, candidates.iter().filter_map(|d| d.fix.as_ref()));
        if !used.is_empty() && suppressed(&Document::parse_text(next.clone())) != silenced {
            (next, used) = one_by_one(&text, &candidates, &silenced, &suppressed);
        }
        if used.is_empty() {
            return verify(original, text, applied, &scopes);
        }
        for i in used {
            let d = candidates[i];
            let fix = d.fix.as_ref().expect("candidates have fixes");
            applied.push(Applied {
                rule: d.rule,
                title: fix.title.clone(),
            });
            scopes.push(fix.scope.clone());
        }
        text = next;
        doc = Document::parse_text(text.clone());
    }
    // Still changing after the last pass?
    let pending = findings(&doc)
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .any(|f| f.applicability <= threshold);
    if pending {
        return unchanged(Some(format!(
            "fixes did not settle after {MAX_PASSES} passes; the file was left unchanged (please report this)"
        )));
    }
    verify(original, text, applied, &scopes)
}

/// Apply the fixes of `candidates` one at a time, each on the text the ones kept before it
/// made, keeping those after which the suppression comments silence what they silenced
/// (`silenced`). Returns the new text and the indices of the fixes kept.
fn one_by_one(
    text: &str,
    candidates: &[&Diagnostic],
    silenced: &[(&'static str, String)],
    suppressed: &impl Fn(&Document) -> Vec<(&'static str, String)>,
) -> (String, Vec<usize>) {
    let mut text = text.to_string();
    let mut kept = Vec::new();
    for (i, d) in candidates.iter().enumerate() {
        let Some(fix) = &d.fix else { continue };
        // Positions are of the text the findings were made on: once a fix is kept, later
        // ones may no longer fit; they are offered again in the next pass.
        if !kept.is_empty() {
            break;
        }
        let (next, used) = apply(&text, std::iter::once(fix));
        if used.is_empty() {
            continue;
        }
        if suppressed(&Document::parse_text(next.clone())) == silenced {
            text = next;
            kept.push(i);
        }
    }
    (text, kept)
}

/// Apply every fix whose edits overlap no edit of a fix applied before it (in order of
/// position). Returns the new text and the indices of the fixes applied.
pub fn apply<'a>(text: &str, fixes: impl Iterator<Item = &'a Fix>) -> (String, Vec<usize>) {
    let mut order: Vec<(usize, &Fix)> = fixes
        .enumerate()
        .filter(|(_, f)| !f.edits.is_empty())
        .collect();
    order.sort_by_key(|(i, f)| (f.edits.iter().map(|e| e.span.start).min().unwrap_or(0), *i));
    // The edits taken so far, by (start, end), and the edits themselves.
    let mut spans: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut taken: Vec<&Edit> = Vec::new();
    let mut used = Vec::new();
    for (i, fix) in order {
        let clashes = fix.edits.iter().any(|e| clashes(&spans, e.span));
        let in_bounds = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        if !clashes && in_bounds {
            spans.extend(fix.edits.iter().map(|e| (e.span.start, e.span.end)));
            taken.extend(fix.edits.iter());
            used.push(i);
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    used.sort_unstable();
    (out, used)
}

/// Whether an edit of `span` overlaps one of the edits taken (`spans`: pairwise disjoint but
/// for insertions). Only the taken edits starting at or before its end can; going back from
/// the last of them, the first replacement ending before it ends the search (those before it
/// end earlier still). A look at a few neighbours, however many edits there are.
fn clashes(spans: &BTreeSet<(usize, usize)>, span: Span) -> bool {
    for &(start, end) in spans.range(..=(span.end, usize::MAX)).rev() {
        let other = Span::new(start, end);
        if overlap(span, other) {
            return true;
        }
        if !other.is_empty() && end < span.start {
            return false;
        }
    }
    false
}

fn overlap(a: Span, b: Span) -> bool {
    if a.is_empty() || b.is_empty() {
        // An insertion clashes with another at the same place, or inside a replaced range.
        return a.start == b.start
            || (a.is_empty() && b.start < a.start && a.start < b.end)
            || (b.is_empty() && a.start < b.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

fn verify(
    original: &str,
    text: String,
    applied: Vec<Applied>,
    scopes: &[Option<String>],
) -> Outcome {
    if applied.is_empty() || text == original {
        return Outcome {
            text: original.to_string(),
            applied: Vec::new(),
            failure: None,
        };
    }
    let failure = |why: &str| Outcome {
        text: original.to_string(),
        applied: Vec::new(),
        failure: Some(format!(
            "internal error: {why}; the file was left unchanged (please report this)"
        )),
    };
    let before = Document::parse_text(original.to_string());
    let after = Document::parse_text(text.clone());
    match (&before.front_matter, &after.front_matter) {
        (FrontMatter::Yaml(a), FrontMatter::Yaml(b)) => match (&a.tree, &b.tree) {
            (Ok(a), Ok(b)) => {
                let scopes: Vec<&str> = scopes.iter().flatten().map(String::as_str).collect();
                if !same_outside(&a.value, &b.value, "", &scopes) {
                    return failure("the fixed front matter changed values no fix meant to change");
                }
            }
            (Ok(_), Err(_)) => return failure("the fixed front matter no longer loads"),
            _ => {}
        },
        // Blocks guidelint does not read must come through byte for byte.
        (FrontMatter::Missing, FrontMatter::Missing)
        | (FrontMatter::Toml { .. }, FrontMatter::Toml { .. })
        | (FrontMatter::Unclosed { .. }, FrontMatter::Unclosed { .. })
            if before.text[..before.body_start] == after.text[..after.body_start] => {}
        _ => return failure("the fixes changed the front matter block itself"),
    }
    // The body may differ only on heading lines: one walk along the lines and the headings
    // (in order of position), which a fix of every heading of a long file needs.
    let (old, new) = (
        &before.text[before.body_start..],
        &after.text[after.body_start..],
    );
    if old.split_inclusive('\n').count() != new.split_inclusive('\n').count() {
        return failure("the fixes changed the number of lines of the body");
    }
    // Each heading's bytes (at least one): a line overlapping them is a heading's line,
    // though the heading may start after indentation.
    let mut headings: Vec<(usize, usize)> = before
        .headings
        .iter()
        .map(|h| (h.span.start, h.span.end.max(h.span.start + 1)))
        .collect();
    headings.sort_unstable();
    let mut next = 0;
    let mut offset = before.body_start;
    for (a, b) in old.split_inclusive('\n').zip(new.split_inclusive('\n')) {
        let end = offset + a.len();
        // Headings that end before this line cannot overlap it or any later one.
        while headings.get(next).is_some_and(|&(_, e)| e <= offset) {
            next += 1;
        }
        // The first heading left starts first: if it starts after the line, all do.
        if a != b && headings.get(next).is_none_or(|&(s, _)| s >= end) {
            return failure("the fixes changed body text outside a heading");
        }
        offset = end;
    }
    Outcome {
        text,
        applied,
        failure: None,
    }
}

/// Whether `a` and `b` are equal everywhere except under the pointers in `scopes`.
fn same_outside(a: &Value, b: &Value, path: &str, scopes: &[&str]) -> bool {
    if scopes
        .iter()
        .any(|s| path == *s || path.starts_with(&format!("{s}/")))
    {
        return true;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    let child = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                    y.get(k).is_some_and(|w| same_outside(v, w, &child, scopes))
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .enumerate()
                    .all(|(i, (v, w))| same_outside(v, w, &format!("{path}/{i}"), scopes))
        }
        _ => a == b,
    }
}

/// The steps of an atomic write, at which tests inject faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Creating the temporary file.
    Create,
    /// Writing the fixed text into it.
    Write,
    /// Flushing it to disk.
    Sync,
    /// Giving it the original's owner and group.
    Owner,
    /// Giving it the original's permissions.
    Permissions,
    /// Renaming it over the original, once it was last seen unchanged: the moment when a
    /// concurrent writer can still slip in.
    Rename,
}

/// Replace `path` with `text` atomically: a temporary file in the same folder, flushed and
/// synced, given the original's owner, group and permissions, renamed over it. The file is
/// skipped when its content is no longer `expected` (it changed since it was read), checked
/// before writing and again just before the rename (the same file, its size and modification
/// time, its bytes). A write that still reaches the original after that last check is
/// noticed after the rename (its size or modification time changed), and the original's
/// new content is put back (a program that holds the file open and writes into it later
/// still writes into the replaced file, as with any editor that saves by renaming). A file
/// with more than one hard link is left unchanged: renaming over one of its names would split
/// it into two files, and writing into it in place could not be atomic.
///
/// # Errors
/// A message saying what happened; the file has the content it had (with whatever was
/// written into it meanwhile), and no temporary file is left.
pub fn write_atomic(path: &Path, expected: &[u8], text: &str) -> Result<(), String> {
    write_atomic_with(path, expected, text, &mut |_| Ok(()))
}

/// Why a file that changed is not written.
const CHANGED: &str = "the file changed on disk while it was being fixed; it was not written";

/// [`write_atomic`], calling `fault` before each step; an error it returns is that step's
/// failure (fault injection in tests).
///
/// # Errors
/// As [`write_atomic`].
#[doc(hidden)]
pub fn write_atomic_with(
    path: &Path,
    expected: &[u8],
    text: &str,
    fault: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<(), String> {
    // Write through a symbolic link to its target rather than replacing the link.
    let target =
        std::fs::canonicalize(path).map_err(|e| format!("cannot resolve the file: {e}"))?;
    // Held open to the end: after the rename, it still reads the file that was replaced.
    let mut original = std::fs::File::open(&target)
        .map_err(|e| format!("cannot open the file again: {e}; it was left unchanged"))?;
    let meta = original.metadata().map_err(|e| e.to_string())?;
    hard_links(&meta)?;
    let seen = Version::of(&meta);
    if !holds(&mut original, expected) {
        return Err(CHANGED.into());
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let (tmp, mut file) = create_temporary(dir, fault)?;
    let mut steps = || -> Result<(), String> {
        let io = |step: &str, e: std::io::Error| {
            format!("cannot {step}: {e}; the file was left unchanged")
        };
        fault(Step::Write)
            .and_then(|()| file.write_all(text.as_bytes()))
            .map_err(|e| io("write the fixed file", e))?;
        fault(Step::Sync)
            .and_then(|()| file.sync_all())
            .map_err(|e| io("flush the fixed file to disk", e))?;
        // The owner first: changing it may clear the set-user-ID and set-group-ID bits.
        fault(Step::Owner)
            .and_then(|()| keep_owner(&file, &meta))
            .map_err(|e| io("keep the file's owner and group", e))?;
        fault(Step::Permissions)
            .and_then(|()| file.set_permissions(meta.permissions()))
            .map_err(|e| io("keep the file's permissions", e))?;
        // The last look: still the same file, of the same size and time, with the same bytes.
        let same_file = std::fs::metadata(&target)
            .and_then(|now| Ok(same_file(&now, &original.metadata()?)))
            .unwrap_or(false);
        if !same_file
            || original.metadata().map(|m| Version::of(&m)).ok() != Some(seen)
            || !holds(&mut original, expected)
        {
            return Err(CHANGED.into());
        }
        fault(Step::Rename).map_err(|e| io("replace the file", e))?;
        std::fs::rename(&tmp, &target).map_err(|e| io("replace the file", e))
    };
    let result = steps();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    // A write may have reached the original between the last look and the rename (or after
    // it, from a program that had it open): then its content, not the fix, is what the file
    // must hold.
    if original.metadata().map(|m| Version::of(&m)).ok() == Some(seen) {
        return Ok(());
    }
    Err(restore(&mut original, &target, &meta, &file, fault))
}

/// Put the content of `original` (the file a rename just replaced, written into meanwhile)
/// back at `target` (now the fixed file, `fixed`), the same way: a temporary file renamed
/// over it. Returns the failure to report. Should the fixed file have been written into as
/// well, or a step fail, the content is kept in the temporary file, which the message names.
fn restore(
    original: &mut std::fs::File,
    target: &Path,
    meta: &std::fs::Metadata,
    fixed: &std::fs::File,
    fault: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> String {
    use std::io::{Seek, SeekFrom};
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let fixed_seen = fixed.metadata().map(|m| Version::of(&m)).ok();
    let (tmp, mut file) = match create_temporary(dir, fault) {
        Ok(created) => created,
        Err(e) => {
            return format!(
                "the file changed on disk while it was being replaced, and the change could not be put back ({e}); check it"
            );
        }
    };
    let copied = original
        .seek(SeekFrom::Start(0))
        .and_then(|_| std::io::copy(original, &mut file))
        .and_then(|_| file.sync_all())
        .and_then(|()| keep_owner(&file, meta))
        .and_then(|()| file.set_permissions(meta.permissions()));
    // Only over the fixed file as written: anything newer there is someone else's too.
    let untouched = || {
        std::fs::metadata(target).is_ok_and(|now| {
            fixed
                .metadata()
                .is_ok_and(|f| same_file(&now, &f) && Some(Version::of(&f)) == fixed_seen)
        })
    };
    if copied.is_ok() && untouched() && std::fs::rename(&tmp, target).is_ok() {
        return format!("{CHANGED} (what was written meanwhile is kept)");
    }
    format!(
        "the file changed on disk while it was being replaced; the fixed text is in it, and what it held before is kept in {}",
        tmp.display()
    )
}

/// What tells that a file was written to: its size and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Version {
    size: u64,
    modified: Option<std::time::SystemTime>,
}

impl Version {
    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            size: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Whether `a` and `b` are the metadata of the same file (not only of files of one name).
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Whether `file` holds exactly `expected`, read from its start.
fn holds(file: &mut std::fs::File, expected: &[u8]) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let mut bytes = Vec::with_capacity(expected.len() + 1);
    file.seek(SeekFrom::Start(0)).is_ok()
        && (&mut *file)
            .take(expected.len() as u64 + 1)
            .read_to_end(&mut bytes)
            .is_ok()
        && bytes == expected
}

/// Refuse a file with more than one hard link (the other names may be anywhere, outside the
/// folders the run was asked to fix). Replacing it by a rename would split it: the name fixed
/// would get the new text, the others would keep the old one, silently. Writing into the
/// file in place would keep the link but is not atomic: a full disk or a crash midway would
/// leave every name with a truncated file. So it is left as it is, and the failure says why.
#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    match meta.nlink() {
        0 | 1 => Ok(()),
        n => Err(format!(
            "it has {n} hard links, which replacing it would split (the other names would keep \
             the old text); it was left unchanged (see --diff to fix it by hand)"
        )),
    }
}

#[cfg(not(unix))]
fn hard_links(_: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

/// Give `file` the owner and group of the file it replaces (`meta`), where they differ: a
/// file fixed by the superuser would otherwise come to belong to the superuser, and one
/// fixed by a member of its group could change group. Changing the owner needs the
/// superuser; a file that cannot keep its owner or group is not replaced.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = file.metadata()?;
    if (now.uid(), now.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// A new temporary file in `dir`. Its name is short (the process id and a counter), so that
/// it fits wherever the file it replaces does, even one whose name has the longest length
/// the file system allows; it starts with a dot, like other hidden files.
fn create_temporary(
    dir: &Path,
    fault: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<(std::path::PathBuf, std::fs::File), String> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut attempt = 0;
    loop {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".guidelint-{}-{n}.tmp", std::process::id()));
        let opened = fault(Step::Create).and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
        });
        match opened {
            Ok(file) => return Ok((tmp, file)),
            // Left by another process with the same id.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => {
                return Err(format!(
                    "cannot create a temporary file next to it: {e}; the file was left unchanged"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::span::Span;

    const TEXT: &str = "---\ntitle: A title\nstage: [mixing]  # keep\n---\n# Heading\nBody text.\n";

    fn finding(fix: Fix) -> Diagnostic {
        let mut d = Diagnostic::new(Span::empty(0), "test").with_fix(fix);
        d.rule = "test-rule";
        d
    }

    fn at(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in text");
        Span::new(start, start + needle.len())
    }

    proptest::proptest! {
        /// The clash test on the taken edits' neighbours agrees with comparing every pair.
        #[test]
        fn clashes_agrees_with_every_pair(
            edits in proptest::collection::vec((0usize..40, 0usize..6), 0..60)
        ) {
            let mut spans = BTreeSet::new();
            let mut taken: Vec<Span> = Vec::new();
            for (start, len) in edits {
                // Insertions a third of the time.
                let span = Span::new(start, start + if len < 2 { 0 } else { len });
                let slow = taken.iter().any(|&t| overlap(span, t));
                proptest::prop_assert_eq!(clashes(&spans, span), slow, "{:?} against {:?}", span, taken);
                if !slow {
                    spans.insert((span.start, span.end));
                    taken.push(span);
                }
            }
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "abcdef";
        let fixes = [
            Fix::safe("x", vec![Edit::replace(Span::new(1, 3), "X")]),
            Fix::safe("y", vec![Edit::replace(Span::new(2, 4), "Y")]),
            Fix::safe("z", vec![Edit::insert(5, "Z")]),
        ];
        let (out, used) = apply(text, fixes.iter());
        assert_eq!(out, "aXdeZf");
        assert_eq!(used, [0, 2]);
    }

    #[test]
    fn a_fix_that_never_settles_leaves_the_file_unchanged() {
        // Each pass toggles the title between two spellings.
        let outcome = fix_with(TEXT, false, |doc| {
            let span = at(
                &doc.text,
                if doc.text.contains("A title") {
                    "A title"
                } else {
                    "B title"
                },
            );
            let next = if doc.text.contains("A title") {
                "B title"
            } else {
                "A title"
            };
            vec![finding(
                Fix::safe("toggle", vec![Edit::replace(span, next)]).in_scope("/title"),
            )]
        });
        assert_eq!(outcome.text, TEXT);
        assert!(outcome.applied.is_empty());
        assert!(
            outcome
                .failure
                .unwrap()
                .contains("did not settle after 10 passes")
        );
    }

    #[test]
    fn a_fix_that_breaks_the_yaml_is_not_kept() {
        let outcome = fix_with(TEXT, false, |doc| {
            if doc.text.contains("[mixing") && doc.text.contains("]  #") {
                vec![finding(
                    Fix::safe("break", vec![Edit::delete(at(&doc.text, "]"))]).in_scope("/stage"),
                )]
            } else {
                Vec::new()
            }
        });
        assert_eq!(outcome.text, TEXT);
        assert!(outcome.failure.unwrap().contains("no longer loads"));
    }

    #[test]
    fn a_fix_that_changes_another_value_is_not_kept() {
        let outcome = fix_with(TEXT, false, |doc| {
            if doc.text.contains("A title") {
                vec![finding(
                    Fix::safe(
                        "sneaky",
                        vec![Edit::replace(at(&doc.text, "A title"), "Other")],
                    )
                    .in_scope("/stage"),
                )]
            } else {
                Vec::new()
            }
        });
        assert_eq!(outcome.text, TEXT);
        assert!(
            outcome
                .failure
                .unwrap()
                .contains("changed values no fix meant to change")
        );
    }

    #[test]
    fn a_fix_that_changes_body_text_is_not_kept() {
        let outcome = fix_with(TEXT, false, |doc| {
            if doc.text.contains("Body text") {
                vec![finding(Fix::safe(
                    "rewrite",
                    vec![Edit::replace(at(&doc.text, "Body text"), "Other")],
                ))]
            } else {
                Vec::new()
            }
        });
        assert_eq!(outcome.text, TEXT);
        assert!(outcome.failure.unwrap().contains("outside a heading"));
    }

    #[test]
    fn a_fix_of_every_heading_is_verified_in_one_walk() {
        // 100,000 headings, each renamed by its own fix, between lines of text: the check that
        // the body changed only on heading lines looked through every heading for each changed
        // line, which took close to a minute in a debug build (a second now).
        let n = 100_000;
        let original = format!(
            "---\ntitle: A title\n---\n{}Last text.\n",
            "# old\ntext\n".repeat(n)
        );
        let outcome = fix_with(&original, false, |doc| {
            doc.headings
                .iter()
                .filter(|h| doc.slice(h.span) == "# old")
                .map(|h| {
                    let span = Span::new(h.span.start + 2, h.span.end);
                    finding(Fix::safe("rename", vec![Edit::replace(span, "new")]))
                })
                .collect()
        });
        assert_eq!(outcome.failure, None);
        assert_eq!(outcome.applied.len(), n);
        assert_eq!(outcome.text, original.replace("# old", "# new"));
        // A fix that also changes a text line is still refused.
        let outcome = fix_with(&original, false, |doc| {
            if !doc.text.contains("Last") {
                return Vec::new();
            }
            let h = doc.headings.last().expect("headings");
            vec![finding(Fix::safe(
                "rewrite",
                vec![
                    Edit::replace(Span::new(h.span.start + 2, h.span.end), "new"),
                    Edit::replace(at(&doc.text, "Last"), "First"),
                ],
            ))]
        });
        assert!(outcome.failure.unwrap().contains("outside a heading"));
    }

    #[test]
    fn unsafe_fixes_need_the_flag() {
        let propose = |doc: &Document| {
            if doc.text.contains("# Heading") {
                vec![finding(Fix::unsafe_(
                    "rename",
                    vec![Edit::replace(at(&doc.text, "Heading"), "Title")],
                ))]
            } else {
                Vec::new()
            }
        };
        assert_eq!(fix_with(TEXT, false, propose).text, TEXT);
        let fixed = fix_with(TEXT, true, propose);
        assert_eq!(fixed.text, TEXT.replace("# Heading", "# Title"));
        assert_eq!(fixed.applied.len(), 1);
    }

    fn fixture() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "original\n").expect("write");
        (dir, path)
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "a.md")
            .collect()
    }

    #[test]
    fn every_failing_step_leaves_the_original_intact() {
        for failing in [
            Step::Create,
            Step::Write,
            Step::Sync,
            Step::Owner,
            Step::Permissions,
            Step::Rename,
        ] {
            let (dir, path) = fixture();
            let err = write_atomic_with(&path, b"original\n", "fixed\n", &mut |step| {
                if step == failing {
                    // What a full disk reports.
                    Err(std::io::Error::new(
                        std::io::ErrorKind::StorageFull,
                        "No space left on device",
                    ))
                } else {
                    Ok(())
                }
            })
            .expect_err("the step fails");
            assert!(
                err.contains("No space left on device") && err.contains("left unchanged"),
                "{failing:?}: {err}"
            );
            assert_eq!(
                std::fs::read_to_string(&path).expect("read"),
                "original\n",
                "{failing:?}"
            );
            assert!(
                leftovers(dir.path()).is_empty(),
                "{failing:?}: {:?}",
                leftovers(dir.path())
            );
        }
    }

    #[test]
    fn a_file_appended_to_just_before_the_rename_keeps_the_appended_lines() {
        // Appended by path, and through a handle opened before the fix was written (as a
        // program writing a log would): both reach the file the rename replaces.
        let (dir, path) = fixture();
        let mut held = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        let err = write_atomic_with(&path, b"original\n", "fixed\n", &mut |step| {
            if step == Step::Rename {
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(dir.path().join("a.md"))?
                    .write_all(b"appended\n")?;
                held.write_all(b"and more\n")?;
            }
            Ok(())
        })
        .expect_err("the change is noticed");
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "original\nappended\nand more\n"
        );
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn a_file_written_to_before_and_after_the_rename_loses_neither_version() {
        // Appended to just before the rename, and the fixed file too, just after it: the
        // fixed file is not replaced again, and what the original held is kept beside it.
        let (dir, path) = fixture();
        let mut renamed = false;
        let err = write_atomic_with(&path, b"original\n", "fixed\n", &mut |step| {
            let late = match step {
                Step::Rename => b"appended\n".as_slice(),
                Step::Create if renamed => b"late\n".as_slice(),
                _ => return Ok(()),
            };
            renamed = step == Step::Rename;
            std::fs::OpenOptions::new()
                .append(true)
                .open(dir.path().join("a.md"))?
                .write_all(late)
        })
        .expect_err("the change is noticed");
        assert!(err.contains("kept in"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "fixed\nlate\n"
        );
        let kept = leftovers(dir.path());
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(err.contains(&kept[0]), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(&kept[0])).expect("read"),
            "original\nappended\n"
        );
    }

    #[test]
    fn a_file_replaced_during_the_write_is_kept() {
        let (dir, path) = fixture();
        let err = write_atomic_with(&path, b"original\n", "fixed\n", &mut |step| {
            if step == Step::Rename {
                std::fs::write(dir.path().join("a.md"), "someone else's edit\n")?;
            }
            Ok(())
        })
        .expect_err("the change is noticed");
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "someone else's edit\n"
        );
        assert!(leftovers(dir.path()).is_empty());
    }
}
