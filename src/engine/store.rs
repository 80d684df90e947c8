//! How the engine reaches the result cache: the [`Store`] trait it defines, which the
//! application implements with its cache file, and what is kept of one file's check
//! ([`Cached`], with the form it is stored in).
//!
//! A store is consulted only for files read from disk, never while fixing.

use serde::{Deserialize, Serialize};

use crate::base::diagnostic::{Diagnostic, Fix, Label, Location, Severity};
use crate::base::span::Span;
use crate::rules::suppress::Suppressions;
use crate::rules::{Facts, RULES};

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
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cached {
    /// Per-file findings after suppressions.
    #[serde(with = "stored", default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// The file's suppression directives and whether each was used.
    #[serde(default, skip_serializing_if = "Suppressions::is_empty")]
    pub suppressions: Suppressions,
    /// What repository-wide rules compare, by rule.
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    pub facts: Facts,
}

/// A file's result to record, borrowed from the run's result (stored as a [`Cached`]).
#[derive(Serialize)]
pub struct CachedRef<'a> {
    /// Per-file findings after suppressions.
    #[serde(
        serialize_with = "stored::serialize",
        skip_serializing_if = "<[_]>::is_empty"
    )]
    pub diagnostics: &'a [Diagnostic],
    /// The file's suppression directives and whether each was used.
    #[serde(skip_serializing_if = "Suppressions::is_empty")]
    pub suppressions: &'a Suppressions,
    /// What repository-wide rules compare, by rule.
    #[serde(skip_serializing_if = "Facts::is_empty")]
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

/// Findings as stored: the rule by name, and read back only if it is a registered rule.
mod stored {
    use super::{Deserialize, Diagnostic, Fix, Label, Location, RULES, Serialize, Severity, Span};
    use serde::{Deserializer, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Stored {
        rule: String,
        severity: Severity,
        message: String,
        span: Span,
        label: Option<String>,
        labels: Vec<Label>,
        help: Option<String>,
        pointer: Option<String>,
        fix: Option<Fix>,
        location: Location,
    }

    pub(super) fn serialize<S: Serializer>(list: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
        let stored: Vec<Stored> = list
            .iter()
            .map(|d| Stored {
                rule: d.rule.to_string(),
                severity: d.severity,
                message: d.message.clone(),
                span: d.span,
                label: d.label.clone(),
                labels: d.labels.clone(),
                help: d.help.clone(),
                pointer: d.pointer.clone(),
                fix: d.fix.clone(),
                location: d.location.clone(),
            })
            .collect();
        stored.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<Diagnostic>, D::Error> {
        Vec::<Stored>::deserialize(d)?
            .into_iter()
            .map(|s| {
                let rule = RULES
                    .iter()
                    .map(|r| r.meta().name)
                    .find(|n| *n == s.rule)
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("unknown rule `{}`", s.rule))
                    })?;
                let mut d = Diagnostic::new(s.span, s.message);
                d.rule = rule;
                d.severity = s.severity;
                d.label = s.label;
                d.labels = s.labels;
                d.help = s.help;
                d.pointer = s.pointer;
                d.fix = s.fix;
                d.location = s.location;
                Ok(d)
            })
            .collect()
    }
}
