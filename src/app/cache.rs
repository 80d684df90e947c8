//! The result cache: per-file findings kept between runs in `.guidelint_cache/`.
//!
//! A run that finds a file unchanged reuses its findings instead of parsing and checking it
//! again. What a file's findings depend on is split in two:
//!
//! - **everything but the file** — guidelint's version and build (the executable's size and
//!   modification time), the configuration, the schema, the
//!   taxonomy, rule levels, `--select`/`--ignore` — is hashed into one key
//!   ([`key`]); a cache written under
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
//!
//! Nothing is written through a symbolic link: a cache folder that is a link (or not a folder)
//! is refused ([`unusable`]), the folder's `.gitignore` and `CACHEDIR.TAG` are only created
//! where nothing is, and the temporary file is always a new one.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::Settings;
use crate::engine::store::{Cached, CachedRef, Store, codec};

/// The folder name used when `--cache-dir` is not given (in the configuration's folder, or
/// the working directory).
pub const DEFAULT_DIR: &str = ".guidelint_cache";

/// The cache file inside the cache folder.
const FILE_NAME: &str = "results-v5.bin";
/// The layout version in [`FILE_NAME`]: cache files of earlier layouts are removed.
const LAYOUT: u32 = 5;

/// First bytes of a cache file; the checksum of the rest follows on the same line.
const MAGIC: &str = "guidelint-cache v5 ";
/// Age after which a temporary cache file is taken as left by a killed run.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);
/// How much of the cache file is read at a time when it is opened.
const LOAD_CHUNK: usize = 128 << 10;
/// The longest header line accepted.
const MAX_HEADER: usize = 256;

/// How much older than the entry a modification time must be for size and time alone to be
/// trusted.
pub const RACY_SECONDS: u64 = 2;

/// Where an entry is in the cache file: offset from the file's start, and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At {
    offset: u64,
    len: usize,
}

/// Append up to `chunk` bytes from `file` to `buf`; how many (0 at the end of the file). The
/// bytes go into `buf`'s spare room as they are read, without zeroing it first.
fn fill(file: &mut std::fs::File, buf: &mut Vec<u8>, chunk: usize) -> std::io::Result<usize> {
    let before = buf.len();
    buf.reserve(chunk);
    // `read_to_end` reads again after an interruption; what it read before an error is dropped.
    std::io::Read::read_to_end(&mut std::io::Read::take(file, chunk as u64), buf)
        .inspect_err(|_| buf.truncate(before))
}

/// Read exactly `buf.len()` bytes of `file` at `offset`, without moving a shared cursor (the
/// file is read from several threads).
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, buf, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// An entry read from the cache file: its fields, and its result still encoded.
struct Stored<'a> {
    path: &'a [u8],
    size: u64,
    mtime: u64,
    settled: bool,
    hash: u64,
    result: &'a [u8],
}

/// A reader over the entries of a cache file's body.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.take(4)?.try_into().ok()?)).ok()
    }

    /// The next entry; `None` at the end or on damage (told apart by `pos`).
    fn entry(&mut self) -> Option<Stored<'a>> {
        let n = self.u32()?;
        let path = self.take(n)?;
        let size = self.u64()?;
        let mtime = self.u64()?;
        let settled = match self.take(1)? {
            [0] => false,
            [1] => true,
            _ => return None,
        };
        let hash = self.u64()?;
        let n = self.u32()?;
        let result = self.take(n)?;
        Some(Stored {
            path,
            size,
            mtime,
            settled,
            hash,
            result,
        })
    }
}

/// One entry in the cache file's layout (the inverse of [`Reader::entry`]); `None` when a
/// length does not fit the layout.
fn encode(path: &str, size: u64, mtime: u64, hash: u64, result: &[u8]) -> Option<Box<[u8]>> {
    let len = |n: usize| u32::try_from(n).ok().map(u32::to_le_bytes);
    let mut out = Vec::with_capacity(4 + path.len() + 8 + 8 + 1 + 8 + 4 + result.len());
    out.extend_from_slice(&len(path.len())?);
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&mtime.to_le_bytes());
    out.push(u8::from(settled(mtime)));
    out.extend_from_slice(&hash.to_le_bytes());
    out.extend_from_slice(&len(result.len())?);
    out.extend_from_slice(result);
    Some(out.into_boxed_slice())
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

/// Path hashes -> something: the keys are already hashes (SipHash of the path), so the
/// tables mix them with one seeded multiplication instead of hashing them again with SipHash.
type ByPath<V> = HashMap<u64, V, PathHashes>;

/// [`ByPath`]'s hasher builder: a seed drawn once per table from the standard library's
/// random state, so that paths chosen to collide in a table's low bits (article names are
/// repository content) cannot make its chains long.
#[derive(Clone, Debug)]
struct PathHashes(u64);

impl Default for PathHashes {
    fn default() -> Self {
        Self(std::hash::BuildHasher::hash_one(
            &std::collections::hash_map::RandomState::new(),
            0u64,
        ))
    }
}

impl std::hash::BuildHasher for PathHashes {
    type Hasher = PathHasher;

    fn build_hasher(&self) -> PathHasher {
        PathHasher(self.0)
    }
}

/// The hasher of [`PathHashes`]: each word is mixed in with a folded 128-bit product.
#[derive(Debug)]
struct PathHasher(u64);

impl PathHasher {
    fn mix(&mut self, word: u64) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let product = u128::from(self.0 ^ word) * u128::from(K);
        #[allow(clippy::cast_possible_truncation)]
        let (low, high) = (product as u64, (product >> 64) as u64);
        self.0 = low ^ high;
    }
}

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash of everything that decides a file's per-file findings: the guidelint version,
/// the configuration, the schema, the taxonomy, rule levels and `--select`/`--ignore`,
/// and the root paths are relative to. The result cache is valid only under the same key.
#[must_use]
pub fn key(settings: &Settings) -> u64 {
    let levels = format!("{:?}", settings.rules);
    let restrict = format!("{:?} {:?}", settings.select, settings.ignore);
    let [schema, taxonomy] = settings.setup.key_texts();
    // Entries name a finding's rule by its place in the registry: a build with other rules,
    // or the same rules in another order, must not read them (whatever its stamp says).
    let rules: String = crate::rules::RULES
        .iter()
        .map(|r| r.meta().name)
        .collect::<Vec<_>>()
        .join(",");
    crate::base::hash::fnv1a(&[
        env!("CARGO_PKG_VERSION"),
        &build_stamp(),
        &rules,
        &settings.root.to_string_lossy(),
        settings.config_json.as_deref().unwrap_or(""),
        schema,
        taxonomy,
        &levels,
        &restrict,
    ])
}

/// The running executable's size and modification time: two builds of one version (a tool
/// built from a branch, then from a later commit) must not share cached findings, since their
/// rules may differ. Empty when the executable cannot be found; the version still counts.
fn build_stamp() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {}", m.len(), crate::input::read::mtime_of(&m)))
        .unwrap_or_default()
}

/// The cache for one run.
///
/// Opening it reads and checks the cache file piece by piece, keeps an index from the hash of
/// each path to where its entry is, and lets the bytes go: an entry is read again (one
/// positioned read of the file still open) and decoded only when its file is looked up, on
/// the thread checking that file. Entries recorded during the run go straight to a temporary
/// next cache file; saving adds the earlier entries still valid and renames it over the old
/// one. A run that finds everything unchanged writes nothing. Neither the old nor the new
/// file is ever held in memory whole.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: u64,
    /// The cache file read at the start, still open (a newer file renamed over it does not
    /// change what this handle reads).
    old: Option<std::fs::File>,
    /// Hash of a path -> where its entry is in `old`.
    index: ByPath<At>,
    /// What this run recorded and reused.
    recorded: Mutex<Recorded>,
    /// Why the cache on disk was not used, for `--verbose`-style notes and tests.
    discarded: Option<String>,
}

fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// The checksum in a cache file's header: a hash of its body, as 16 hex digits.
fn checksum(hash: u64) -> String {
    format!("{hash:016x}")
}

impl Cache {
    /// Open the cache in `dir` for runs under `key`. A missing, unreadable, corrupt or
    /// differently keyed cache file gives an empty cache.
    #[must_use]
    pub fn open(dir: &Path, key: u64) -> Self {
        let (old, index, discarded) = match Self::load(&dir.join(FILE_NAME), key) {
            Ok(Some((old, index))) => (Some(old), index, None),
            Ok(None) => (None, ByPath::default(), None),
            Err(why) => (None, ByPath::default(), Some(why)),
        };
        Self {
            dir: dir.to_path_buf(),
            key,
            old,
            index,
            recorded: Mutex::new(Recorded::default()),
            discarded,
        }
    }

    /// The cache file, open, and the index of its entries; `None` when there is no file.
    /// Anything but a regular file (a symbolic link, a pipe) is not read: it was not written
    /// by guidelint.
    #[allow(clippy::type_complexity)]
    fn load(file: &Path, key: u64) -> Result<Option<(std::fs::File, ByPath<At>)>, String> {
        match std::fs::symlink_metadata(file) {
            Ok(meta) if !meta.file_type().is_file() => return Err("not a regular file".into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            _ => {}
        }
        match std::fs::File::open(file) {
            Ok(handle) => Self::index(handle, key, LOAD_CHUNK).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read: {e}")),
        }
    }

    /// Read the cache file in pieces of `chunk` bytes (never the whole file at once: its
    /// bytes are not kept), checking its checksum and indexing its entries.
    fn index(
        mut handle: std::fs::File,
        key: u64,
        chunk: usize,
    ) -> Result<(std::fs::File, ByPath<At>), String> {
        let read_error = |e: std::io::Error| format!("cannot read: {e}");
        let mut buf = Vec::with_capacity(chunk);
        // The header line: the magic string and the checksum of the body.
        let newline = loop {
            if let Some(i) = memchr::memchr(b'\n', &buf) {
                break i;
            }
            if buf.len() > MAX_HEADER
                || fill(&mut handle, &mut buf, chunk).map_err(read_error)? == 0
            {
                return Err("no header line".into());
            }
        };
        let header = std::str::from_utf8(&buf[..newline]).map_err(|_| "bad header")?;
        let sum = header
            .strip_prefix(MAGIC)
            .ok_or("not a cache file of this version")?
            .to_string();
        let mut hasher = crate::base::hash::FileHasher::default();
        hasher.write(&buf[newline + 1..]);
        // `base`: the offset in the file of `buf[0]`; `pos`: where reading stopped in `buf`.
        let mut base = 0u64;
        let mut pos = newline + 1;
        let mut eof = false;
        let mut more = |buf: &mut Vec<u8>, pos: &mut usize, base: &mut u64| {
            buf.drain(..*pos);
            *base += *pos as u64;
            *pos = 0;
            let before = buf.len();
            let n = fill(&mut handle, buf, chunk).map_err(read_error)?;
            hasher.write(&buf[before..]);
            Ok::<_, String>(n == 0)
        };
        while buf.len() - pos < 8 && !eof {
            eof = more(&mut buf, &mut pos, &mut base)?;
        }
        let mut reader = Reader { bytes: &buf, pos };
        if reader.u64() != Some(key) {
            return Err("written under other settings".into());
        }
        pos = reader.pos;
        let mut index = ByPath::default();
        let damaged;
        loop {
            let mut reader = Reader { bytes: &buf, pos };
            if let Some(entry) = reader.entry() {
                let Ok(path) = std::str::from_utf8(entry.path) else {
                    damaged = true;
                    break;
                };
                let at = At {
                    offset: base + pos as u64,
                    len: reader.pos - pos,
                };
                // Two paths with one hash (never seen in practice): the first keeps its
                // entry, the second is checked again.
                index.entry(path_hash(path)).or_insert(at);
                pos = reader.pos;
            } else if eof {
                damaged = pos < buf.len();
                break;
            } else {
                // An entry runs on past what was read (or is damaged: then reading on to
                // the end shows it).
                eof = more(&mut buf, &mut pos, &mut base)?;
            }
        }
        // A damaged entry stops the indexing; what follows it still counts for the checksum.
        while !eof {
            let mut end = buf.len();
            eof = more(&mut buf, &mut end, &mut base)?;
        }
        if sum != checksum(hasher.finish()) {
            return Err("checksum mismatch (truncated or corrupt)".into());
        }
        if damaged {
            return Err("unreadable: a damaged entry".into());
        }
        Ok((handle, index))
    }

    /// `read` the bytes of the entry recorded for the path hashed `hash` in the cache file,
    /// if there is one. They are read into a buffer each thread reuses (entries are a few
    /// hundred bytes; a rare large one gets a buffer of its own).
    fn with_stored<T>(&self, hash: u64, read: impl Fn(&[u8]) -> Option<T>) -> Option<T> {
        /// Largest entry read into the reused buffer.
        const REUSED_MAX: usize = 64 * 1024;
        thread_local! {
            static ENTRY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let at = *self.index.get(&hash)?;
        let old = self.old.as_ref()?;
        if at.len <= REUSED_MAX {
            // `None` only if the buffer is in use (`read` looking up another entry).
            let reused = ENTRY.with(|buffer| {
                let mut buffer = buffer.try_borrow_mut().ok()?;
                // Grown (and zeroed) only when a longer entry comes; never shrunk.
                if buffer.len() < at.len {
                    buffer.resize(at.len, 0);
                }
                let bytes = &mut buffer[..at.len];
                Some(
                    read_at(old, bytes, at.offset)
                        .ok()
                        .and_then(|()| read(bytes)),
                )
            });
            if let Some(result) = reused {
                return result;
            }
        }
        let mut bytes = vec![0; at.len];
        read_at(old, &mut bytes, at.offset).ok()?;
        read(&bytes)
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

    fn note(&self, update: impl FnOnce(&mut Recorded)) {
        update(
            &mut self
                .recorded
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    /// Write `entry` (of the path hashed `path`) to the next cache file, started if need be.
    fn write_entry(&self, recorded: &mut Recorded, path: u64, entry: Option<Box<[u8]>>) {
        let Some(entry) = entry else { return };
        // The first entry of a path this run is the one kept.
        if !recorded.replaced.insert(path) {
            return;
        }
        let next = recorded
            .next
            .get_or_insert_with(|| Next::start(&self.dir, self.key));
        if let Ok(writer) = next
            && let Err(e) = writer.write(&entry)
        {
            *next = Err(e);
        }
    }

    /// What this run took from the cache so far.
    #[must_use]
    pub fn stats(&self) -> Stats {
        self.recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .stats
    }

    /// Write the cache: the entries of this run over those of earlier runs. Files not seen
    /// this run keep their entries while they exist (a run over part of the guide forgets
    /// nothing); entries of files that are gone are dropped. Nothing is written when nothing
    /// changed.
    ///
    /// # Errors
    /// The folder or file cannot be written.
    pub fn save(self) -> std::io::Result<()> {
        let recorded = self
            .recorded
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut next = match recorded.next {
            Some(next) => next?,
            None if self.discarded.is_none() => return Ok(()),
            None => Next::start(&self.dir, self.key)?,
        };
        // Earlier entries not replaced this run, copied as they are, in file order.
        let mut kept: Vec<At> = self.index.values().copied().collect();
        kept.sort_unstable_by_key(|at| at.offset);
        let mut entry = Vec::new();
        for at in kept {
            entry.resize(at.len, 0);
            let Some(old) = &self.old else { break };
            if read_at(old, &mut entry, at.offset).is_err() {
                continue;
            }
            let dropped = Reader {
                bytes: &entry,
                pos: 0,
            }
            .entry()
            .and_then(|e| std::str::from_utf8(e.path).ok())
            .is_none_or(|p| {
                let hash = path_hash(p);
                recorded.replaced.contains(&hash)
                    || (!recorded.seen.contains(&hash) && std::fs::symlink_metadata(p).is_err())
            });
            if !dropped {
                next.write(&entry)?;
            }
        }
        next.commit(&self.dir.join(FILE_NAME))
    }
}

impl Store for Cache {
    /// The entry of `path` if size and time identify it as unchanged.
    fn by_stat(&self, path: &str, size: u64, mtime: u64) -> Option<Cached> {
        let hash = path_hash(path);
        let result = self.with_stored(hash, |bytes| {
            let e = stored(bytes, path)?;
            if !(e.settled && mtime != 0 && e.size == size && e.mtime == mtime) {
                return None;
            }
            decode(e.result, size)
        })?;
        self.note(|recorded| {
            recorded.stats.by_stat += 1;
            recorded.seen.insert(hash);
        });
        Some(result)
    }

    /// The entry of `path` if its bytes hash to `hash`; records the file's current time.
    fn by_hash(&self, path: &str, size: u64, mtime: u64, hash: u64) -> Option<Cached> {
        let key = path_hash(path);
        let (result, entry) = self.with_stored(key, |bytes| {
            let e = stored(bytes, path)?;
            if e.size != size || e.hash != hash {
                return None;
            }
            let result = decode(e.result, size)?;
            Some((result, encode(path, size, mtime, hash, e.result)))
        })?;
        self.note(|recorded| {
            recorded.stats.by_hash += 1;
            self.write_entry(recorded, key, entry);
        });
        Some(result)
    }

    /// Record a freshly checked file.
    fn record(&self, path: &str, size: u64, mtime: u64, hash: u64, result: &CachedRef<'_>) {
        // A result too long for the layout is simply not cached.
        let entry = encode(path, size, mtime, hash, &codec::encode(result));
        self.note(|recorded| {
            recorded.stats.checked += 1;
            self.write_entry(recorded, path_hash(path), entry);
        });
    }
}

/// What a run recorded and reused. Recorded entries go straight to the next cache file
/// (they are not held: 100,000 of them take about 40 MB).
#[derive(Debug, Default)]
struct Recorded {
    /// The next cache file, from the first entry recorded on (or why it could not be written).
    next: Option<std::io::Result<Next>>,
    /// Paths (hashed) with an entry in the next file.
    replaced: HashSet<u64, PathHashes>,
    stats: Stats,
    /// Paths (hashed) reused by size and modification time.
    seen: HashSet<u64, PathHashes>,
}

/// A cache file being written: a temporary file, renamed over the cache file when whole, and
/// removed if it never is.
#[derive(Debug)]
struct Next {
    out: std::io::BufWriter<std::fs::File>,
    /// The hash of the body written so far.
    hasher: crate::base::hash::FileHasher,
    /// The temporary file (`None` once renamed).
    temp: Option<PathBuf>,
}

impl Next {
    /// Prepare the folder and start a file: its header (the checksum a placeholder, written
    /// over at the end: the body is written as it is made, never held whole) and `key`.
    fn start(dir: &Path, key: u64) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        if let Some(why) = unusable(dir) {
            return Err(std::io::Error::other(why));
        }
        // Keep the folder out of version control and out of backups. Created only where
        // nothing is: whatever is there (a file, a link, even one to nowhere) is left alone.
        write_new(&dir.join(".gitignore"), "# Created by guidelint\n*\n")?;
        write_new(
            &dir.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by guidelint.\n",
        )?;
        sweep(dir);
        let temp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        // A new file, never one that is there already: a link put in its place would have
        // the cache written wherever it points. What is there is left by a run that had this
        // process id, or put there on purpose; it is removed (the link itself, not its target).
        let create = || {
            std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&temp)
        };
        let file = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(&temp)?;
                create()?
            }
            other => other?,
        };
        let mut next = Self {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            hasher: crate::base::hash::FileHasher::default(),
            temp: Some(temp),
        };
        next.out.write_all(MAGIC.as_bytes())?;
        next.out.write_all(checksum(0).as_bytes())?;
        next.out.write_all(b"\n")?;
        next.write(&key.to_le_bytes())?;
        Ok(next)
    }

    /// Write part of the body.
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.write(bytes);
        self.out.write_all(bytes)
    }

    /// Write the checksum, make the file durable and rename it to `target`.
    fn commit(mut self, target: &Path) -> std::io::Result<()> {
        self.out.flush()?;
        let sum = checksum(self.hasher.finish());
        let file = self.out.get_mut();
        std::io::Seek::seek(file, std::io::SeekFrom::Start(MAGIC.len() as u64))?;
        file.write_all(sum.as_bytes())?;
        file.sync_all()?;
        if let Some(temp) = &self.temp {
            std::fs::rename(temp, target)?;
        }
        self.temp = None;
        Ok(())
    }
}

/// Why `dir` cannot hold the result cache, if it cannot. It must be a folder, not a symbolic
/// link to one (a link committed to a repository could send the cache's `.gitignore`, `*`,
/// into the guide itself, and later runs would check nothing) and not anything else; one that
/// does not exist yet is created.
#[must_use]
pub fn unusable(dir: &Path) -> Option<String> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Some("it is a symbolic link".into()),
        Ok(meta) if !meta.is_dir() => Some("it is not a folder".into()),
        // Missing (or unreachable): creating it makes a folder, or fails with a warning.
        Ok(_) | Err(_) => None,
    }
}

/// Create `path` with `text` unless something (anything, a dangling link too) is there.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    match std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => file.write_all(text.as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remove temporary cache files left by runs that were killed: those not written to for an
/// hour (a running guidelint writes to its own as it checks files); and cache files of
/// earlier layouts, which no build that writes this layout reads (a later layout's file is
/// left to the build that wrote it).
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_TEMP)
        };
        // A layout number as this tool writes it: decimal digits, no sign, no leading zero.
        let layout = |n: &str| {
            Some(n)
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
                .and_then(|n| n.parse::<u32>().ok())
        };
        let earlier = name
            .strip_prefix("results-v")
            .and_then(|rest| rest.strip_suffix(".bin"))
            .and_then(layout)
            .is_some_and(|n| n < LAYOUT);
        // Temporary files of any layout: one left by a killed run of an older build too.
        let temporary = name
            .strip_prefix(".results-v")
            .and_then(|rest| rest.split_once(".bin."))
            .is_some_and(|(n, rest)| layout(n).is_some() && rest.ends_with(".tmp"));
        if earlier || temporary && stale() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for Next {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// The entry in `bytes` if it is whole and is the entry of `path`.
fn stored<'a>(bytes: &'a [u8], path: &str) -> Option<Stored<'a>> {
    let mut reader = Reader { bytes, pos: 0 };
    reader
        .entry()
        .filter(|e| e.path == path.as_bytes() && reader.pos == bytes.len())
}

/// A stored result, if it reads back and every span in it lies inside a file of `size` bytes.
fn decode(bytes: &[u8], size: u64) -> Option<Cached> {
    codec::decode(bytes).filter(|c| c.fits(size))
}

/// The index key of a path (never stored: the index is made again from the paths at every
/// load).
fn path_hash(path: &str) -> u64 {
    crate::base::hash::file_hash(path.as_bytes())
}

/// Whether a file modified at `mtime` is old enough for size and time to identify it.
fn settled(mtime: u64) -> bool {
    mtime != 0 && mtime.saturating_add(RACY_SECONDS * 1_000_000_000) < now_nanos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Location;
    use crate::base::span::Span;
    use crate::rules::suppress::Suppressions;
    use crate::rules::{Fact, Facts};

    #[test]
    fn path_tables_spread_keys_that_differ_only_in_high_bits() {
        // Keys a pass-through hasher would put in one bucket: their low 32 bits are equal.
        let hashes = PathHashes::default();
        let buckets: HashSet<u64> = (0..4096u64)
            .map(|k| std::hash::BuildHasher::hash_one(&hashes, (k << 32) | 0x1234) & 0xfff)
            .collect();
        // 4,096 random values in 4,096 buckets fill about 63 % of them.
        assert!(buckets.len() > 2000, "{} buckets", buckets.len());
    }

    /// Record a result with a title spanning bytes 10..17.
    fn record(cache: &Cache, path: &str, size: u64, mtime: u64, hash: u64) {
        let mut facts = Facts::default();
        facts.insert(
            "duplicate-title",
            Fact {
                value: "A title".into(),
                span: Span::new(10, 17),
                location: Location::default(),
                hash: 7,
            },
        );
        let result = CachedRef {
            diagnostics: &[],
            suppressions: &Suppressions::default(),
            facts: &facts,
        };
        cache.record(path, size, mtime, hash, &result);
    }

    #[test]
    fn round_trip_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        assert!(cache.discarded().is_none());
        record(&cache, "/a.md", 100, 1, 42);
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
        record(&cache, "/a.md", 100, now, 42);
        cache.save().unwrap();
        let again = Cache::open(dir.path(), 1);
        assert!(again.by_stat("/a.md", 100, now).is_none());
        assert!(again.by_hash("/a.md", 100, now, 42).is_some());
    }

    #[test]
    fn the_file_read_in_pieces_of_any_size_gives_the_same_index() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 7);
        for i in 0..40 {
            record(&cache, &format!("/guide/article-{i}.md"), 100 + i, 1, i);
        }
        cache.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        let open = |chunk| Cache::index(std::fs::File::open(&file).unwrap(), 7, chunk);
        let (_, whole) = open(1 << 20).unwrap();
        assert_eq!(whole.len(), 40);
        // Pieces smaller than the header, than one entry, and not dividing either.
        for chunk in [1, 3, 8, 29, 100, 4096] {
            let (_, index) = open(chunk).unwrap_or_else(|e| panic!("chunk {chunk}: {e}"));
            assert_eq!(index, whole, "chunk {chunk}");
        }
        let again = Cache::open(dir.path(), 7);
        assert!(again.by_hash("/guide/article-39.md", 139, 1, 39).is_some());
        // Damage near the end is found whatever the piece size.
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        for chunk in [1, 29, 1 << 20] {
            assert!(
                open(chunk).unwrap_err().contains("checksum"),
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn recorded_entries_are_written_as_they_come_and_an_unsaved_run_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let temps = || {
            std::fs::read_dir(dir.path())
                .map(|d| {
                    d.filter(|e| {
                        e.as_ref()
                            .unwrap()
                            .file_name()
                            .to_string_lossy()
                            .ends_with(".tmp")
                    })
                    .count()
                })
                .unwrap_or(0)
        };
        let cache = Cache::open(dir.path(), 3);
        assert_eq!(temps(), 0, "nothing is written before an entry is recorded");
        record(&cache, "/a.md", 100, 1, 42);
        assert_eq!(
            temps(),
            1,
            "the next cache file is started by the first entry"
        );
        // A second entry for one path in one run: the first is kept.
        record(&cache, "/a.md", 200, 1, 43);
        drop(cache);
        assert_eq!(
            temps(),
            0,
            "a run that is not saved leaves no temporary file"
        );
        assert!(!dir.path().join(FILE_NAME).exists());
        // Left by killed runs: one of them long ago, one maybe still running.
        let old = dir.path().join(format!(".{FILE_NAME}.1.tmp"));
        let recent = dir.path().join(format!(".{FILE_NAME}.2.tmp"));
        for file in [&old, &recent] {
            std::fs::write(file, "partial").unwrap();
        }
        let long_ago = SystemTime::now() - STALE_TEMP - std::time::Duration::from_secs(60);
        let file = std::fs::File::options().write(true).open(&old).unwrap();
        file.set_modified(long_ago).unwrap();
        drop(file);
        let cache = Cache::open(dir.path(), 3);
        record(&cache, "/a.md", 100, 1, 42);
        record(&cache, "/a.md", 200, 1, 43);
        record(&cache, "/b.md", 100, 1, 44);
        cache.save().unwrap();
        assert!(!old.exists(), "a stale temporary file is removed");
        assert!(recent.exists(), "another run's file is left alone");
        std::fs::remove_file(&recent).unwrap();
        assert_eq!(temps(), 0);
        let again = Cache::open(dir.path(), 3);
        assert!(again.discarded().is_none());
        assert_eq!(again.index.len(), 2);
        assert!(again.by_hash("/a.md", 100, 1, 42).is_some());
        assert!(again.by_hash("/a.md", 200, 1, 43).is_none());
        assert!(again.by_hash("/b.md", 100, 1, 44).is_some());
    }

    #[test]
    fn corrupt_truncated_and_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        record(&cache, "/a.md", 100, 1, 42);
        cache.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        let good = std::fs::read(&file).unwrap();
        // Truncated.
        std::fs::write(&file, &good[..good.len() / 2]).unwrap();
        let c = Cache::open(dir.path(), 1);
        assert!(c.discarded().unwrap().contains("checksum"));
        assert!(c.by_hash("/a.md", 100, 1, 42).is_none());
        // One byte changed, in a way that still reads as an entry.
        let mut edited = good.clone();
        let at = memchr::memmem::find(&edited, b"A title").unwrap();
        edited[at] = b'B';
        std::fs::write(&file, edited).unwrap();
        assert!(
            Cache::open(dir.path(), 1)
                .discarded()
                .unwrap()
                .contains("checksum")
        );
        // Not a cache file.
        std::fs::write(&file, "hello\n{}").unwrap();
        assert!(Cache::open(dir.path(), 1).discarded().is_some());
        // A checksum that matches but an entry cut short.
        let mut body = 1u64.to_le_bytes().to_vec();
        body.extend_from_slice(&[5, 0, 0, 0, b'/', b'a']);
        let mut forged =
            format!("{MAGIC}{}\n", checksum(crate::base::hash::file_hash(&body))).into_bytes();
        forged.extend_from_slice(&body);
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
    fn entries_not_seen_are_kept_while_their_file_exists_and_an_open_cache_survives_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, "x").unwrap();
            path.to_string_lossy().into_owned()
        };
        let (a, b, c, gone) = (file("a.md"), file("b.md"), file("c.md"), file("gone.md"));
        let cache_dir = dir.path().join("cache");
        let first = Cache::open(&cache_dir, 1);
        record(&first, &a, 100, 1, 42);
        record(&first, &b, 200, 1, 43);
        record(&first, &gone, 300, 1, 46);
        first.save().unwrap();
        std::fs::remove_file(&gone).unwrap();
        // A run that sees a.md (unchanged, newer time) and a new c.md, but not b.md.
        let second = Cache::open(&cache_dir, 1);
        // Another run rewrites the file meanwhile: what `second` reads does not change.
        let other = Cache::open(&cache_dir, 1);
        record(&other, "/z.md", 300, 1, 44);
        other.save().unwrap();
        assert!(second.by_hash(&a, 100, 7, 42).is_some());
        record(&second, &c, 300, 1, 45);
        assert!(
            second.by_stat("/z.md", 300, 1).is_none(),
            "not in the file it opened"
        );
        assert_eq!(
            second.stats(),
            Stats {
                by_stat: 0,
                by_hash: 1,
                checked: 1
            }
        );
        second.save().unwrap();
        let third = Cache::open(&cache_dir, 1);
        assert!(third.discarded().is_none());
        assert!(
            third.by_stat(&b, 200, 1).is_some(),
            "kept though not seen: it exists"
        );
        assert!(
            third.by_stat(&gone, 300, 1).is_none(),
            "dropped: the file is gone"
        );
        assert!(third.by_stat(&c, 300, 1).is_some());
        assert!(
            third.by_stat(&a, 100, 7).is_some(),
            "recorded with its new time"
        );
        assert!(third.by_stat(&a, 100, 1).is_none());
        // An entry reused by size and time is kept without looking at the file again.
        std::fs::remove_file(&b).unwrap();
        assert!(third.by_stat(&b, 200, 1).is_some());
        record(&third, &c, 301, 1, 47);
        third.save().unwrap();
        assert!(Cache::open(&cache_dir, 1).by_stat(&b, 200, 1).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_where_the_next_file_goes_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("article.md");
        std::fs::write(&victim, "An article.\n").unwrap();
        let cache_dir = dir.path().join("cache");
        std::fs::create_dir(&cache_dir).unwrap();
        // Where this process would write its temporary file.
        let temp = cache_dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &temp).unwrap();
        let cache = Cache::open(&cache_dir, 1);
        record(&cache, "/a.md", 100, 1, 42);
        cache.save().unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"An article.\n");
        assert!(
            Cache::open(&cache_dir, 1)
                .by_hash("/a.md", 100, 1, 42)
                .is_some()
        );
    }

    #[test]
    fn an_entry_pointing_outside_its_file_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        // The title span ends at byte 17: not inside a 16-byte file.
        record(&cache, "/a.md", 16, 1, 42);
        record(&cache, "/b.md", 17, 1, 42);
        cache.save().unwrap();
        let again = Cache::open(dir.path(), 1);
        assert!(again.by_hash("/a.md", 16, 1, 42).is_none());
        assert!(again.by_stat("/a.md", 16, 1).is_none());
        assert!(again.by_hash("/b.md", 17, 1, 42).is_some());
    }
}
