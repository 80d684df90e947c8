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
            text in "[`a\u{e9}]{0,40}",
            most in 0usize..6,
        ) {
            let by_split = text.split('`').skip(1).step_by(2).all(|q| q.len() <= most);
            prop_assert_eq!(super::quotes_within(text.as_bytes(), most), by_split);
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
