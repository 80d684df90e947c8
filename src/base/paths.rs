//! Absolute paths, made cheaply: the working directory is looked up once per process, and a
//! plain relative path is appended to it as text. What the result cache and the settings'
//! globs know a file by.

use std::path::{Path, PathBuf};

/// `path` made absolute against the working directory, which is looked up once per process
/// (`std::path::absolute` asks the system for it on every call, a cost per file).
#[must_use]
pub fn absolute(path: &Path) -> PathBuf {
    let joined;
    let path = match &*CWD {
        Some(cwd) if path.is_relative() => {
            joined = cwd.join(path);
            joined.as_path()
        }
        _ => path,
    };
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The working directory, looked up once per process.
static CWD: std::sync::LazyLock<Option<PathBuf>> =
    std::sync::LazyLock::new(|| std::env::current_dir().ok());

/// The working directory as text, when it is UTF-8 and [`absolute`] leaves it as it is (it
/// has no `.` component, repeated or trailing slash): then a plain relative path can be
/// appended to it as text.
static CWD_TEXT: std::sync::LazyLock<Option<String>> = std::sync::LazyLock::new(|| {
    let cwd = CWD.as_ref()?;
    let text = cwd.to_str()?;
    // Compared as text: paths compare equal by components, `/a//b` equal to `/a/b`.
    let same = std::path::absolute(cwd).ok()?.as_os_str() == cwd.as_os_str();
    (cfg!(unix) && text.starts_with('/') && same).then(|| text.to_owned())
});

/// [`absolute`] as text: the key a file is known by in the result cache. A path that is not
/// UTF-8 gets a key no UTF-8 path can have (a NUL first, then the path with `\\` doubled and
/// each odd byte as `\\xFF`), so two files never share a key. A relative path of plain components (what the walk finds under a
/// folder named without `.` or repeated slashes) is appended to the working directory
/// without taking either apart, and an absolute one is kept as it is, which is what
/// [`absolute`] would return; anything else goes through it.
#[must_use]
pub fn absolute_text(path: &Path) -> String {
    let text = path.to_str();
    // An absolute path of plain components is what `absolute` would return.
    if let Some(rest) = text.and_then(|t| t.strip_prefix('/'))
        && plain_relative(rest)
    {
        return text.unwrap_or_default().to_owned();
    }
    // `./` at the start names the working directory, as nothing would.
    let mut relative = text;
    while let Some(rest) = relative.and_then(|t| t.strip_prefix("./")) {
        relative = Some(rest);
    }
    if let (Some(cwd), Some(text)) = (CWD_TEXT.as_deref(), relative)
        && plain_relative(text)
    {
        let mut out = String::with_capacity(cwd.len() + 1 + text.len());
        out.push_str(cwd);
        if !cwd.ends_with('/') {
            out.push('/');
        }
        out.push_str(text);
        return out;
    }
    let path = absolute(path);
    match path.to_str() {
        Some(text) => text.to_owned(),
        None => key_of_non_utf8(path.as_os_str()),
    }
}

#[cfg(unix)]
fn key_of_non_utf8(path: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::from("\0");
    for chunk in path.as_bytes().utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    out
}

#[cfg(not(unix))]
fn key_of_non_utf8(path: &std::ffi::OsStr) -> String {
    let mut out = String::from("\0");
    for unit in std::os::windows::ffi::OsStrExt::encode_wide(path) {
        out.push_str(&format!("{unit:04X}"));
    }
    out
}

/// Whether `path` is relative and made of components that are kept as written: none empty
/// (no leading, repeated or trailing slash) and none `.` (`..` is kept by [`absolute`]). Also
/// what follows the slash of an absolute path kept as written.
fn plain_relative(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut start = 0;
    for end in memchr::memchr_iter(b'/', bytes).chain(std::iter::once(bytes.len())) {
        if matches!(&bytes[start..end], b"" | b".") {
            return false;
        }
        start = end + 1;
    }
    cfg!(unix)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::{absolute, absolute_text};

    proptest! {
        /// The text shortcut gives what taking the path apart gives, for plain paths and for
        /// the ones it must leave alone (`.`, `..`, empty components, absolute paths).
        #[test]
        fn absolute_text_agrees_with_absolute(
            parts in prop::collection::vec(
                prop::sample::select(vec!["a", "b.md", ".", "..", "", "x y", "é", ".hidden", "c\\d"]),
                1..6,
            ),
            lead in prop::sample::select(vec!["", "/", "./", "//", "///", "/./", "././", ".//", "./../"]),
        ) {
            let path = format!("{lead}{}", parts.join("/"));
            let expected = absolute(Path::new(&path)).to_string_lossy().into_owned();
            prop_assert_eq!(absolute_text(Path::new(&path)), expected, "{:?}", path);
        }
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_have_keys_of_their_own() {
        use std::os::unix::ffi::OsStrExt;
        let key = |bytes: &[u8]| absolute_text(Path::new(std::ffi::OsStr::from_bytes(bytes)));
        assert_ne!(key(b"/x\xFE.md"), key(b"/x\xFF.md"));
        assert_ne!(key(b"/x\xFE.md"), key(b"/x\\xFE.md"));
        assert_ne!(key(b"/\xFE\\xFF"), key(b"/\\xFE\xFF"));
        assert_eq!(key(b"/x\\xFE.md"), "/x\\xFE.md");
    }

    #[test]
    fn a_plain_relative_path_is_appended_to_the_working_directory() {
        let cwd = std::env::current_dir().expect("a working directory");
        let key = absolute_text(Path::new("docs/mixing/eq.md"));
        assert_eq!(Path::new(&key), cwd.join("docs/mixing/eq.md"));
        assert!(Path::new(&key).is_absolute());
    }
}
