//! How the engine reaches the result cache: the [`Store`] trait it defines, which the
//! application implements with its cache file, and what is kept of one file's check
//! ([`Cached`], and the bytes it is stored as: [`codec`]).
//!
//! A store is consulted only for files read from disk, never while fixing.

pub mod codec;

use crate::base::diagnostic::Diagnostic;
use crate::base::span::Span;
use crate::rules::Facts;
use crate::rules::suppress::Suppressions;

/// Where per-file results are kept between runs. A file is known by its absolute path
/// (text), its size and modification time, and the hash of its bytes.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The result recorded for `path` when its size and modification time alone can be
    /// trusted to say the file is unchanged.
    fn by_stat(&self, path: &str, size: u64, mtime: u64) -> Option<Cached>;
    /// The result recorded for `path` when the hash of its bytes is the same.
    fn by_hash(&self, path: &str, size: u64, mtime: u64, hash: u64) -> Option<Cached>;
    /// Record a fresh result for `path`.
    fn record(&self, path: &str, size: u64, mtime: u64, hash: u64, result: &CachedRef<'_>);
}

/// What is kept of one file's check.
#[derive(Clone, Debug)]
pub struct Cached {
    /// Per-file findings after suppressions.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's suppression directives and whether each was used.
    pub suppressions: Suppressions,
    /// What repository-wide rules compare, by rule.
    pub facts: Facts,
}

/// A file's result to record, borrowed from the run's result (stored as a [`Cached`]).
pub struct CachedRef<'a> {
    /// Per-file findings after suppressions.
    pub diagnostics: &'a [Diagnostic],
    /// The file's suppression directives and whether each was used.
    pub suppressions: &'a Suppressions,
    /// What repository-wide rules compare, by rule.
    pub facts: &'a Facts,
}

impl Cached {
    /// Whether every span lies inside a file of `len` bytes: an entry that points outside
    /// its file is not trusted.
    #[must_use]
    pub fn fits(&self, len: u64) -> bool {
        let inside = |s: &Span| s.start <= s.end && s.end as u64 <= len;
        self.diagnostics.iter().all(|d| {
            inside(&d.span)
                && d.labels.iter().all(|l| inside(&l.span))
                && d.fix
                    .as_ref()
                    .is_none_or(|f| f.edits.iter().all(|e| inside(&e.span)))
        }) && self.facts.iter().all(|(_, f)| inside(&f.span))
    }
}
