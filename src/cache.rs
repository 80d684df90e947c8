//! The result cache: per-file findings kept between runs in `.guidelint_cache/`.
//!
//! A run that finds a file unchanged reuses its findings instead of parsing and checking it
//! again. What a file's findings depend on is split in two:
//!
//! - **everything but the file** — guidelint's version, the configuration, the schema, the
//!   taxonomy, rule levels, `--select`/`--ignore` — is hashed into one key
//!   ([`Settings::cache_key`](crate::config::Settings::cache_key)); a cache written under
//!   another key is discarded as a whole;
//! - **the file** — an entry per absolute path holds its size, modification time and a hash
//!   of its bytes. Size and time alone are trusted only when the time was at least
//!   [`RACY_SECONDS`] older than the moment the entry was made (an edit in the same tick of a
//!   coarse file-system clock could otherwise go unseen); otherwise the bytes are read and
//!   hashed, and only the same hash reuses the entry.
//!
//! Repository-wide rules are never cached: they run on every run from the per-file
//! [`Facts`](crate::rules::Facts), which are cached with the findings.
//!
//! The file starts with a header line holding a checksum of the rest; a cache file that is
//! truncated, corrupt, or from another version is ignored and rewritten, never trusted.
//! Writing is atomic (temporary file, rename); a cache that cannot be written only costs
//! speed, and a warning says why.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Fix, Label, Location, Severity};
use crate::rules::{Fact, RULES};
use crate::span::Span;
use crate::suppress::Suppressions;

/// The folder name used when `--cache-dir` is not given (in the configuration's folder, or
/// the working directory).
pub const DEFAULT_DIR: &str = ".guidelint_cache";

/// The cache file inside the cache folder.
const FILE_NAME: &str = "results-v2.json";

/// First bytes of a cache file; the checksum of the rest follows on the same line.
const MAGIC: &str = "guidelint-cache v2 ";

/// How much older than the entry a modification time must be for size and time alone to be
/// trusted.
pub const RACY_SECONDS: u64 = 2;

/// What is kept of one file's check.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cached {
    /// Per-file findings after suppressions.
    #[serde(with = "stored", default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// The file's suppression directives and whether each was used.
    #[serde(default, skip_serializing_if = "Suppressions::is_empty")]
    pub suppressions: Suppressions,
    /// Title and where it is (for `duplicate-title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<Fact>>,
    /// YouTube video id and where it is (for `duplicate-yt-video`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Box<Fact>>,
}

impl Cached {
    /// Whether every span lies inside a file of `len` bytes: an entry that points outside
    /// its file is not trusted.
    fn fits(&self, len: u64) -> bool {
        let inside = |s: &Span| s.start <= s.end && s.end as u64 <= len;
        self.diagnostics.iter().all(|d| {
            inside(&d.span)
                && d.labels.iter().all(|l| inside(&l.span))
                && d.fix
                    .as_ref()
                    .is_none_or(|f| f.edits.iter().all(|e| inside(&e.span)))
        }) && self
            .title
            .iter()
            .chain(&self.video)
            .all(|f| inside(&f.span))
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

/// One file's entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0: unknown, never trusted).
    mtime: u64,
    /// Size and time alone identify the content (see [`RACY_SECONDS`]).
    settled: bool,
    /// Hash of the file's bytes.
    hash: u64,
    /// Boxed: most files' results are small, and the table holds one per file.
    result: Box<Cached>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    /// [`Settings::cache_key`](crate::config::Settings::cache_key), in hexadecimal.
    key: String,
    entries: HashMap<String, Entry>,
}

/// How many files a run took from the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Reused by size and modification time, without reading the file.
    pub by_stat: usize,
    /// Reused after reading and hashing the file.
    pub by_hash: usize,
    /// Checked and (re)recorded.
    pub checked: usize,
}

/// The cache for one run.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: String,
    old: HashMap<String, Entry>,
    new: Mutex<(HashMap<String, Entry>, Stats)>,
    /// Why the cache on disk was not used, for `--verbose`-style notes and tests.
    discarded: Option<String>,
}

/// The hash of a file's bytes.
#[must_use]
pub fn content_hash(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: fast, well mixed, the same in every run of one build. A
    // different build may hash differently, which only costs a miss (the version is in the
    // key as well).
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The modification time of `meta` in nanoseconds since the Unix epoch, 0 when unknown.
#[must_use]
pub fn mtime_of(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

fn checksum(bytes: &[u8]) -> String {
    format!("{:016x}", content_hash(bytes))
}

impl Cache {
    /// Open the cache in `dir` for runs under `key`. A missing, unreadable, corrupt or
    /// differently keyed cache file gives an empty cache.
    #[must_use]
    pub fn open(dir: &Path, key: u64) -> Self {
        let key = format!("{key:016x}");
        let (old, discarded) = match Self::load(&dir.join(FILE_NAME), &key) {
            Ok(entries) => (entries, None),
            Err(why) => (HashMap::new(), Some(why)),
        };
        Self {
            dir: dir.to_path_buf(),
            key,
            old,
            new: Mutex::new((HashMap::new(), Stats::default())),
            discarded,
        }
    }

    fn load(file: &Path, key: &str) -> Result<HashMap<String, Entry>, String> {
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
            Err(e) => return Err(format!("cannot read: {e}")),
        };
        let newline = memchr::memchr(b'\n', &bytes).ok_or("no header line")?;
        let header = std::str::from_utf8(&bytes[..newline]).map_err(|_| "bad header")?;
        let sum = header
            .strip_prefix(MAGIC)
            .ok_or("not a cache file of this version")?;
        let body = &bytes[newline + 1..];
        if sum != checksum(body) {
            return Err("checksum mismatch (truncated or corrupt)".into());
        }
        let parsed: CacheFile =
            serde_json::from_slice(body).map_err(|e| format!("unreadable: {e}"))?;
        if parsed.key != key {
            return Err("written under other settings".into());
        }
        Ok(parsed.entries)
    }

    /// Why the cache on disk was not used, if it was not (missing is not a reason).
    #[must_use]
    pub fn discarded(&self) -> Option<&str> {
        self.discarded.as_deref()
    }

    /// The cache folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry of `path` if size and time identify it as unchanged.
    #[must_use]
    pub fn by_stat(&self, path: &str, size: u64, mtime: u64) -> Option<Cached> {
        let e = self.old.get(path)?;
        let hit =
            e.settled && mtime != 0 && e.size == size && e.mtime == mtime && e.result.fits(size);
        hit.then(|| {
            let mut new = self
                .new
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            new.1.by_stat += 1;
            Cached::clone(&e.result)
        })
    }

    /// The entry of `path` if its bytes hash to `hash`; records the file's current time.
    #[must_use]
    pub fn by_hash(&self, path: &str, size: u64, mtime: u64, hash: u64) -> Option<Cached> {
        let e = self.old.get(path)?;
        if e.size != size || e.hash != hash || !e.result.fits(size) {
            return None;
        }
        let result = Cached::clone(&e.result);
        let entry = Entry {
            size,
            mtime,
            settled: settled(mtime),
            hash,
            result: Box::new(result.clone()),
        };
        let mut new = self
            .new
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        new.1.by_hash += 1;
        new.0.insert(path.to_string(), entry);
        Some(result)
    }

    /// Record a freshly checked file.
    pub fn record(&self, path: &str, size: u64, mtime: u64, hash: u64, result: Cached) {
        let entry = Entry {
            size,
            mtime,
            settled: settled(mtime),
            hash,
            result: Box::new(result),
        };
        let mut new = self
            .new
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        new.1.checked += 1;
        new.0.insert(path.to_string(), entry);
    }

    /// What this run took from the cache so far.
    #[must_use]
    pub fn stats(&self) -> Stats {
        self.new
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
    }

    /// Write the cache: the entries of this run over those of earlier runs (files not seen
    /// this run keep their entries). Nothing is written when nothing changed.
    ///
    /// # Errors
    /// The folder or file cannot be written.
    pub fn save(self) -> std::io::Result<()> {
        let (new, _) = self
            .new
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if new.is_empty() && self.discarded.is_none() {
            return Ok(());
        }
        let mut entries = self.old;
        entries.extend(new);
        let file = CacheFile {
            key: self.key,
            entries,
        };
        let body = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        // Keep the folder out of version control and out of backups.
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# Created by guidelint\n*\n")?;
        }
        let tag = self.dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            std::fs::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by guidelint.\n",
            )?;
        }
        let target = self.dir.join(FILE_NAME);
        let temp = self
            .dir
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut out = std::fs::File::create(&temp)?;
            out.write_all(MAGIC.as_bytes())?;
            out.write_all(checksum(&body).as_bytes())?;
            out.write_all(b"\n")?;
            out.write_all(&body)?;
            out.sync_all()?;
            std::fs::rename(&temp, &target)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

/// Whether a file modified at `mtime` is old enough for size and time to identify it.
fn settled(mtime: u64) -> bool {
    mtime != 0 && mtime.saturating_add(RACY_SECONDS * 1_000_000_000) < now_nanos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result() -> Cached {
        Cached {
            diagnostics: Vec::new(),
            suppressions: Suppressions::default(),
            title: Some(Box::new(Fact {
                value: "A title".into(),
                span: Span::new(10, 17),
                location: Location::default(),
            })),
            video: None,
        }
    }

    #[test]
    fn round_trip_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        assert!(cache.discarded().is_none());
        cache.record("/a.md", 100, 1, 42, result());
        cache.save().unwrap();
        assert!(dir.path().join(".gitignore").exists());
        let again = Cache::open(dir.path(), 1);
        assert!(again.by_hash("/a.md", 100, 5, 42).is_some());
        assert!(again.by_hash("/a.md", 100, 5, 43).is_none(), "other bytes");
        assert!(again.by_hash("/a.md", 101, 5, 42).is_none(), "other size");
        // An old modification time is settled: size and time alone identify the file.
        assert!(again.by_stat("/a.md", 100, 1).is_some());
        assert!(again.by_stat("/a.md", 100, 2).is_none());
        let other = Cache::open(dir.path(), 2);
        assert_eq!(other.discarded(), Some("written under other settings"));
        assert!(other.by_hash("/a.md", 100, 5, 42).is_none());
    }

    #[test]
    fn a_fresh_modification_time_is_not_trusted_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        let now = now_nanos();
        cache.record("/a.md", 100, now, 42, result());
        cache.save().unwrap();
        let again = Cache::open(dir.path(), 1);
        assert!(again.by_stat("/a.md", 100, now).is_none());
        assert!(again.by_hash("/a.md", 100, now, 42).is_some());
    }

    #[test]
    fn corrupt_truncated_and_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        cache.record("/a.md", 100, 1, 42, result());
        cache.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        let good = std::fs::read(&file).unwrap();
        // Truncated.
        std::fs::write(&file, &good[..good.len() / 2]).unwrap();
        let c = Cache::open(dir.path(), 1);
        assert!(c.discarded().unwrap().contains("checksum"));
        assert!(c.by_hash("/a.md", 100, 1, 42).is_none());
        // One byte changed, in a way that still parses as JSON.
        let text = String::from_utf8(good.clone()).unwrap();
        std::fs::write(&file, text.replace("A title", "B title")).unwrap();
        assert!(
            Cache::open(dir.path(), 1)
                .discarded()
                .unwrap()
                .contains("checksum")
        );
        // Not a cache file.
        std::fs::write(&file, "hello\n{}").unwrap();
        assert!(Cache::open(dir.path(), 1).discarded().is_some());
        // A checksum that matches but content that does not deserialize.
        let body = br#"{"key":"0000000000000001","entries":{"/a.md":{"size":1}}}"#;
        let mut forged = format!("{MAGIC}{}\n", checksum(body)).into_bytes();
        forged.extend_from_slice(body);
        std::fs::write(&file, forged).unwrap();
        assert!(
            Cache::open(dir.path(), 1)
                .discarded()
                .unwrap()
                .contains("unreadable")
        );
        // A discarded cache is rewritten by the next save.
        let c = Cache::open(dir.path(), 1);
        c.save().unwrap();
        assert!(Cache::open(dir.path(), 1).discarded().is_none());
    }

    #[test]
    fn an_entry_pointing_outside_its_file_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        // The title span ends at byte 17: not inside a 16-byte file.
        cache.record("/a.md", 16, 1, 42, result());
        cache.record("/b.md", 17, 1, 42, result());
        cache.save().unwrap();
        let again = Cache::open(dir.path(), 1);
        assert!(again.by_hash("/a.md", 16, 1, 42).is_none());
        assert!(again.by_stat("/a.md", 16, 1).is_none());
        assert!(again.by_hash("/b.md", 17, 1, 42).is_some());
    }
}
