//! Bounded reading of the files a run depends on: only regular files, and never more than a
//! size limit per kind of file.
//!
//! Configuration, schema, taxonomy and baseline files are read whole, so each kind has a
//! limit, checked on the file's size before reading and again while reading (at most one
//! byte past the limit is read, so a file that grows, or a gigabyte of sparse file, costs
//! nothing). Named pipes, devices and folders are refused before they are opened: opening a
//! pipe waits for a writer, and a device such as `/dev/zero` never ends. Articles have their
//! own limit ([`crate::input::document::MAX_FILE_SIZE`]) and the same refusal of anything but a
//! regular file ([`regular_metadata`]). Nothing here parses.

use std::io::Read;
use std::path::Path;

use crate::base::error::ToolError;

/// Largest configuration, schema or taxonomy file read, in bytes (10 MiB): a hundred times
/// the size of a large one.
pub const CONFIG_LIMIT: u64 = 10 * MIB;

/// Largest baseline read, in bytes (256 MiB): a baseline grows with the number of findings it
/// records (about 200 bytes each), so a large repository's can be much larger than its
/// configuration.
pub const BASELINE_LIMIT: u64 = 256 * MIB;

const MIB: u64 = 1024 * 1024;

/// The kinds of file the limits apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `guidelint.yml`.
    Configuration,
    /// An article schema (JSON).
    Schema,
    /// A taxonomy file.
    Taxonomy,
    /// A baseline (JSON).
    Baseline,
}

impl Kind {
    /// What error messages call this kind of file.
    #[must_use]
    pub const fn noun(self) -> &'static str {
        match self {
            Self::Configuration => "configuration",
            Self::Schema => "schema",
            Self::Taxonomy => "taxonomy",
            Self::Baseline => "baseline",
        }
    }

    /// Its size limit in bytes.
    #[must_use]
    pub const fn limit(self) -> u64 {
        match self {
            Self::Baseline => BASELINE_LIMIT,
            _ => CONFIG_LIMIT,
        }
    }
}

/// Read a file of `kind` as UTF-8 text.
///
/// # Errors
/// [`ToolError::NotRegular`] when it is not a regular file (after following symbolic links),
/// [`ToolError::TooLarge`] when it is over the kind's limit, [`ToolError::Read`] when it
/// cannot be read (a missing file keeps its [`std::io::ErrorKind::NotFound`]) or is not UTF-8.
pub fn read_text(path: &Path, kind: Kind) -> Result<String, ToolError> {
    let io = |source: std::io::Error| ToolError::Read {
        path: path.to_path_buf(),
        source,
    };
    let not_regular = |meta: &std::fs::Metadata| ToolError::NotRegular {
        what: kind.noun(),
        path: shown(path),
        kind: kind_of(&meta.file_type()),
    };
    let too_large = || ToolError::TooLarge {
        what: kind.noun(),
        path: shown(path),
        limit: format!("{} MiB", kind.limit() / MIB),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > kind.limit() {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // Replaced between the look and the opening: look again at what was opened.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > kind.limit() {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// The metadata of `path` (following symbolic links) when it is a regular file.
///
/// # Errors
/// It cannot be looked at, or it is something else: the error says what
/// (`not a regular file (a named pipe)`).
pub fn regular_metadata(path: &Path) -> std::io::Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path)?;
    check_regular(&meta)?;
    Ok(meta)
}

/// An error unless `meta` is that of a regular file.
///
/// # Errors
/// As [`regular_metadata`].
pub fn check_regular(meta: &std::fs::Metadata) -> std::io::Result<()> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "not a regular file ({})",
            kind_of(&meta.file_type())
        )))
    }
}

/// What a file that is not a regular file is, for messages.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// `path` as messages show it: relative to the working directory when inside it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::input::discover::display_path(path, &cwd)
}

/// The modification time of `meta` in nanoseconds since the Unix epoch, 0 when unknown.
#[must_use]
pub fn mtime_of(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.yml");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(CONFIG_LIMIT).unwrap();
        assert_eq!(
            read_text(&path, Kind::Configuration).unwrap().len() as u64,
            CONFIG_LIMIT
        );
        file.set_len(CONFIG_LIMIT + 1).unwrap();
        let e = read_text(&path, Kind::Schema).unwrap_err().to_string();
        assert!(e.ends_with("c.yml` is larger than the 10 MiB limit"), "{e}");
        assert!(e.starts_with("schema `"), "{e}");
        // The baseline's limit is larger.
        assert!(read_text(&path, Kind::Baseline).is_ok());
    }

    #[test]
    fn a_missing_file_keeps_its_kind_and_bad_utf8_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_text(&dir.path().join("none.json"), Kind::Baseline);
        assert!(matches!(
            missing,
            Err(ToolError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound
        ));
        let path = dir.path().join("latin1.yml");
        std::fs::write(&path, b"title: caf\xe9\n").unwrap();
        let e = read_text(&path, Kind::Taxonomy).unwrap_err().to_string();
        assert!(e.contains("stream did not contain valid UTF-8"), "{e}");
    }

    #[test]
    fn a_folder_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path(), Kind::Configuration)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("is not a regular file (a folder)"), "{e}");
        let e = regular_metadata(dir.path()).unwrap_err().to_string();
        assert_eq!(e, "not a regular file (a folder)");
    }
}
