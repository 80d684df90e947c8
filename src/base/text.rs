//! Small text helpers for the hot paths of rules and parsers, and the bound on a finding's
//! text.

/// `text` without white space at either end, like [`str::trim`], answered without decoding
/// characters when both ends are printable ASCII (a heading, a tag, a line of prose): the
/// standard trim decodes a character at each end even when there is nothing to remove.
#[must_use]
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Whether `line` is empty or only white space, deciding most lines by their first byte.
#[must_use]
pub fn is_blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => line.trim_start().is_empty(),
    }
}

/// The most characters of a value quoted in backticks that a finding's text shows.
pub const QUOTED_CHARS: usize = 100;

/// The most characters of a finding's message, help or label.
pub const TEXT_CHARS: usize = 2_000;

/// Whether every quoted part of `text` (between the first and second backtick, the third
/// and fourth, …, or after an odd last one) is at most `most` bytes long.
fn quotes_within(text: &[u8], most: usize) -> bool {
    // A run of more than `most` bytes without a backtick covers a whole aligned chunk of
    // `most / 2` bytes: when every such chunk holds a backtick, no quote is too long. One
    // search per chunk rather than one per backtick (a list of known keys has dozens).
    let chunk = most / 2;
    if chunk > 0
        && text
            .chunks_exact(chunk)
            .all(|c| memchr::memchr(b'`', c).is_some())
    {
        return true;
    }
    let mut open = None;
    for at in memchr::memchr_iter(b'`', text) {
        match open.take() {
            Some(start) if at - start > most => return false,
            Some(_) => {}
            None => open = Some(at + 1),
        }
    }
    open.is_none_or(|start| text.len() - start <= most)
}

/// `text` (a finding's message, help or label) with every value quoted in backticks cut to
/// [`QUOTED_CHARS`] characters and the whole to [`TEXT_CHARS`], each cut marked with `…`.
/// Messages quote the file (a tag, a heading, a key), and a value of a megabyte would
/// otherwise be printed whole in every format, once per finding.
#[must_use]
pub fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    // No quote of more than QUOTED_CHARS characters fits in as many bytes.
    if text.len() <= QUOTED_CHARS {
        return text.into();
    }
    // Most messages: within both limits counted in bytes, so in characters too.
    if text.len() <= TEXT_CHARS && quotes_within(text.as_bytes(), QUOTED_CHARS) {
        return text.into();
    }
    let cut = |part: &str, most: usize| part.char_indices().nth(most).map(|(at, _)| at);
    let mut out = String::with_capacity(text.len().min(4 * TEXT_CHARS));
    let mut changed = false;
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match cut(part, QUOTED_CHARS).filter(|_| i % 2 == 1) {
            Some(at) => {
                out.push_str(&part[..at]);
                out.push('…');
                changed = true;
            }
            None => out.push_str(part),
        }
        if out.len() > 4 * TEXT_CHARS {
            // Past the total limit whatever the rest holds.
            break;
        }
    }
    if let Some(at) = cut(&out, TEXT_CHARS) {
        out.truncate(at);
        out.push('…');
        changed = true;
    }
    if changed { out.into() } else { text.into() }
}

/// A finding's text (message, label, help, pointer): owned by the finding, or shared by many
/// findings that say the same (a schema's help for a field, "Missing required field
/// `genre`" in every file that lacks it), made and bounded once rather than once per finding.
///
/// It reads as a `str` (`Deref`), compares, hashes and serialises as one; how it is held
/// never shows in a report.
#[derive(Clone)]
pub struct Text(Held);

#[derive(Clone)]
enum Held {
    Static(&'static str),
    Owned(String),
    Shared(std::sync::Arc<str>),
    /// Bounded when made ([`Text::bounded`]), so never bounded again; whether it is
    /// printable ASCII through and through, found then too.
    Bounded(std::sync::Arc<str>, bool),
    /// Part of a text shared by the findings of one file (see [`Text::slice`]).
    Slice(std::sync::Arc<str>, u32, u32),
}

impl Text {
    /// A text to be shared by many findings (a pointer): cloning it copies a pointer.
    #[must_use]
    pub fn shared(text: &str) -> Self {
        Self(Held::Shared(std::sync::Arc::from(text)))
    }

    /// A message, label or help to be shared by many findings, cut to what reports show of
    /// it ([`bounded`]) once, here rather than in every finding.
    #[must_use]
    pub fn bounded(text: &str) -> Self {
        let cut = bounded(text);
        let plain = crate::base::printable::plain_ascii(&cut, false);
        Self(Held::Bounded(std::sync::Arc::from(cut.as_ref()), plain))
    }

    /// `all[start..end]`, sharing `all` (the texts of a cached result: one copy for all its
    /// findings instead of one per text). `None` when the range is not one of `all`'s.
    #[must_use]
    pub fn slice(all: &std::sync::Arc<str>, start: usize, end: usize) -> Option<Self> {
        all.get(start..end)?;
        let (Ok(from), Ok(to)) = (u32::try_from(start), u32::try_from(end)) else {
            return all.get(start..end).map(|s| Self::from(s.to_owned()));
        };
        Some(Self(Held::Slice(std::sync::Arc::clone(all), from, to)))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Held::Static(s) => s,
            Held::Owned(s) => s,
            Held::Shared(s) | Held::Bounded(s, _) => s,
            // Checked when made.
            Held::Slice(all, start, end) => all.get(*start as usize..*end as usize).unwrap_or(""),
        }
    }

    /// Whether the text is known to be printable ASCII through and through (found when a
    /// shared text is made; `false` says nothing).
    #[must_use]
    pub fn known_plain(&self) -> bool {
        matches!(self.0, Held::Bounded(_, true))
    }

    /// Hold the text so that clones share it (a copy now, none later).
    pub fn share(&mut self) {
        if let Held::Owned(s) = &self.0 {
            self.0 = Held::Shared(std::sync::Arc::from(s.as_str()));
        }
    }

    /// Cut the text to what any report shows of it ([`bounded`]); a shared text already is.
    pub fn bound(&mut self) {
        if matches!(self.0, Held::Bounded(..)) {
            return;
        }
        if let std::borrow::Cow::Owned(cut) = bounded(self.as_str()) {
            self.0 = Held::Owned(cut);
        }
    }

    /// The text as an owned `String` (a copy unless it was owned).
    #[must_use]
    pub fn into_string(self) -> String {
        match self.0 {
            Held::Owned(s) => s,
            Held::Static(s) => s.to_owned(),
            Held::Shared(s) | Held::Bounded(s, _) => s.as_ref().to_owned(),
            Held::Slice(..) => self.as_str().to_owned(),
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Self(Held::Static(""))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(Held::Owned(text))
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Self {
        Self(Held::Static(text))
    }
}

impl From<std::borrow::Cow<'static, str>> for Text {
    fn from(text: std::borrow::Cow<'static, str>) -> Self {
        match text {
            std::borrow::Cow::Borrowed(s) => s.into(),
            std::borrow::Cow::Owned(s) => s.into(),
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.into_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn long_quoted_values_and_long_texts_are_cut() {
        use super::{QUOTED_CHARS, TEXT_CHARS, bounded};
        assert_eq!(bounded("Unknown genre `alll`"), "Unknown genre `alll`");
        let value = "v".repeat(1 << 20);
        let message = format!("Unknown instrument `{value}` in `tags`");
        let want = format!(
            "Unknown instrument `{}…` in `tags`",
            "v".repeat(QUOTED_CHARS)
        );
        assert_eq!(bounded(&message), want);
        // Characters, not bytes, and the quote's closing backtick is kept.
        let value = "é".repeat(QUOTED_CHARS + 1);
        assert_eq!(
            bounded(&format!("`{value}`")),
            format!("`{}…`", "é".repeat(QUOTED_CHARS))
        );
        // A quote of exactly the limit is kept.
        let value = "x".repeat(QUOTED_CHARS);
        assert_eq!(bounded(&format!("a `{value}` b")), format!("a `{value}` b"));
        // Unquoted text, or thousands of short quotes, is cut as a whole.
        let prose = "word ".repeat(10_000);
        let cut = bounded(&prose);
        assert_eq!(cut.chars().count(), TEXT_CHARS + 1);
        assert!(cut.ends_with('…'));
        let quotes = "`a`, ".repeat(100_000);
        assert_eq!(bounded(&quotes).chars().count(), TEXT_CHARS + 1);
    }

    proptest! {
        /// The shortcuts answer as the standard library does.
        #[test]
        fn trim_and_blank_agree_with_the_standard_library(
            text in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}a-z#*.\u{e9}\u{2022}]{0,12}",
        ) {
            prop_assert_eq!(super::trim(&text), text.trim());
            prop_assert_eq!(super::is_blank(&text), text.trim().is_empty());
        }

        /// The quoted parts are measured as splitting at every backtick would measure them.
        #[test]
        fn quoted_parts_are_measured_between_backticks(
            text in "[`a\u{e9}]{0,40}|[`a]{0,3}(a{0,4}`){0,12}[a`]{0,3}",
            most in 0usize..12,
        ) {
            let by_split = text.split('`').skip(1).step_by(2).all(|q| q.len() <= most);
            prop_assert_eq!(super::quotes_within(text.as_bytes(), most), by_split);
        }
    }

    proptest! {
        /// However a finding's text is held, it reads, compares, serialises and is bounded the
        /// same; a text made bounded is what bounding an owned copy makes.
        #[test]
        fn a_text_reads_the_same_however_it_is_held(
            text in "[`a\u{e9} ]{0,60}|(`[a-z]{0,150}` ?){0,3}|[a-z ]{1990,2010}",
        ) {
            use super::{Text, bounded};
            let mut owned = Text::from(text.clone());
            let mut shared = Text::shared(&text);
            prop_assert_eq!(owned.as_str(), text.as_str());
            prop_assert_eq!(&owned, &shared);
            prop_assert_eq!(
                serde_json::to_string(&shared).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
            let made = Text::bounded(&text);
            let cut = bounded(&text);
            prop_assert_eq!(made.as_str(), cut.as_ref());
            owned.bound();
            shared.bound();
            prop_assert_eq!(&owned, &made);
            prop_assert_eq!(&shared, &made);
            let mut again = made.clone();
            again.bound();
            prop_assert_eq!(again, made);
        }
    }

    #[test]
    fn printable_ends_are_kept_as_they_are() {
        assert_eq!(super::trim("## Mixing"), "## Mixing");
        assert_eq!(super::trim(" Mixing\t"), "Mixing");
        assert_eq!(super::trim("\u{a0}Mixing\u{3000}"), "Mixing");
        assert_eq!(super::trim(""), "");
        assert!(super::is_blank(" \t\u{a0}"));
        assert!(!super::is_blank("  x"));
        assert!(!super::is_blank("\u{e9}"));
    }
}
