//! Small text helpers for the hot paths of rules and parsers.

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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The shortcuts answer as the standard library does.
        #[test]
        fn trim_and_blank_agree_with_the_standard_library(
            text in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}a-z#*.\u{e9}\u{2022}]{0,12}",
        ) {
            prop_assert_eq!(super::trim(&text), text.trim());
            prop_assert_eq!(super::is_blank(&text), text.trim().is_empty());
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
