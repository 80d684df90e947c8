//! Reading articles: files within the size limit into recycled buffers, with the size and
//! modification time they were read at, and standard input.

use std::io::Read;
use std::path::Path;

use crate::input::document::{Document, MAX_FILE_SIZE};

/// A file's size and modification time, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0: unknown).
    pub mtime: u64,
}

impl Stamp {
    /// The stamp of `meta`.
    #[must_use]
    pub fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            size: meta.len(),
            mtime: crate::input::read::mtime_of(meta),
        }
    }
}

/// Read and parse one file; a file over the size limit is not read at all.
///
/// # Errors
/// The file cannot be opened or read.
pub fn read(path: &Path) -> std::io::Result<Document> {
    read_stamped(path).map(|(doc, _)| doc)
}

/// [`read`], with the file's size and modification time as read.
pub(crate) fn read_stamped(path: &Path) -> std::io::Result<(Document, Stamp)> {
    let (bytes, stamp) = read_bytes(path)?;
    if stamp.size > MAX_FILE_SIZE {
        return Ok((too_large(&bytes, stamp), stamp));
    }
    Ok((Document::parse(bytes), stamp))
}

/// The document of a file over the size limit, from what [`read_bytes`] gave: nothing when
/// the file's size said so (then it is exact), else the bytes read until the limit was passed
/// (the file grew while it was read: its size is not known).
pub(crate) fn too_large(bytes: &[u8], stamp: Stamp) -> Document {
    if bytes.is_empty() {
        Document::too_large(stamp.size)
    } else {
        Document::too_large_after(bytes.len() as u64)
    }
}

/// The bytes of a file and its stamp (with the number of bytes read as its size); nothing is
/// read when the file is over the size limit (and at most one byte past it, in case the file
/// grew since its size was taken). Anything but a regular file is an error, found before it
/// is opened: opening a named pipe waits for a writer, and a device may never end.
pub(crate) fn read_bytes(path: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    crate::input::read::regular_metadata(path)?;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    crate::input::read::check_regular(&meta)?;
    let mut stamp = Stamp::of(&meta);
    if stamp.size > MAX_FILE_SIZE {
        return Ok((Vec::new(), stamp));
    }
    // Sized from the metadata, so reading needs no probing.
    let mut bytes = SPARE.take();
    bytes.clear();
    bytes.reserve_exact(usize::try_from(stamp.size).unwrap_or(0) + 1);
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != stamp.size {
        // The file changed while it was read: never trust a re-read of it.
        stamp = Stamp {
            size: bytes.len() as u64,
            mtime: 0,
        };
    }
    Ok((bytes, stamp))
}

/// Largest buffer kept for the next read on a thread: most articles fit, and a thread that
/// met one huge file does not hold on to its memory.
const SPARE_MAX: usize = 256 * 1024;

thread_local! {
    /// The text buffer of the last article checked on this thread, emptied, for the next
    /// read: large enough for most files, so reading one takes no allocation (which for a
    /// buffer of a few KiB is one of the allocator's slow paths).
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Give a checked document's text buffer to the next read on this thread.
pub(crate) fn recycle(doc: Document) {
    let bytes = doc.text.into_bytes();
    if bytes.capacity() <= SPARE_MAX {
        SPARE.set(bytes);
    }
}

/// Read one document from a reader (stdin), bounded like a file.
///
/// # Errors
/// Reading failed.
pub fn read_from(reader: impl Read) -> std::io::Result<Document> {
    read_input(reader).map(|input| input.document)
}

/// An article read from standard input, with what `--fix -` needs to write it back byte for
/// byte when it cannot be fixed.
#[derive(Debug)]
pub struct Input {
    /// The article; a [`SourceProblem`](crate::input::document::SourceProblem) when the bytes are
    /// not one.
    pub document: Document,
    /// The bytes read, when the document's text is not them: bytes that are not UTF-8 (the
    /// text is a lossy rendering of them), or the first [`MAX_FILE_SIZE`] bytes and one more
    /// of an input over the limit (which has no text), the rest of which is still unread.
    pub verbatim: Option<Vec<u8>>,
}

/// [`read_from`], keeping the bytes read where the document's text is not them.
///
/// # Errors
/// Reading failed.
pub fn read_input(reader: impl Read) -> std::io::Result<Input> {
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Ok(Input {
            document: Document::too_large_after(bytes.len() as u64),
            verbatim: Some(bytes),
        });
    }
    // Only bytes that are not UTF-8 are changed by parsing (into a lossy rendering).
    let verbatim = std::str::from_utf8(&bytes).is_err().then(|| bytes.clone());
    Ok(Input {
        document: Document::parse(bytes),
        verbatim,
    })
}
