//! Text made safe to show: article text reaches messages, paths and source excerpts, and a
//! raw escape sequence, carriage return or bidirectional control there could recolour, hide,
//! reorder or overwrite what a reader sees.

/// `text` safe to print to a terminal or a CI log: control characters other than line feeds
/// (kept when `newlines`) and tabs, and the Unicode bidirectional controls, are written as
/// `\u{1b}`-style escapes. Article text reaches messages and paths, and a raw escape sequence
/// or carriage return there could recolour, hide or overwrite what a reader sees.
#[must_use]
pub fn printable(text: &str, newlines: bool) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| (c.is_control() && c != '\t' && (c != '\n' || !newlines)) || is_bidi_control(c);
    replace_chars(
        text,
        |c, _| hidden(c),
        |c, out| out.extend(c.escape_unicode()),
    )
}

/// [`printable`] for a finding's text, answered at once for a text known to be plain.
#[must_use]
pub fn printable_text(text: &crate::base::text::Text, newlines: bool) -> std::borrow::Cow<'_, str> {
    if text.known_plain() {
        return text.as_str().into();
    }
    printable(text, newlines)
}

/// The Unicode controls that reorder text when shown (embeddings, overrides, isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with the characters [`printable`] escapes replaced by a stand-in of the same
/// length in bytes (`?`, `¿` or `�`), so source lines can be shown safely while byte offsets
/// into them stay valid. Tabs, line feeds and the carriage return of a CRLF are kept; a
/// carriage return alone, which ends a line for every reader (and for the line index), becomes
/// a line feed, so that miette, which takes it for text, breaks lines at the same places.
#[must_use]
pub fn same_length_printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char, next: Option<char>| {
        (c.is_control() && !matches!(c, '\t' | '\n') && !(c == '\r' && next == Some('\n')))
            || is_bidi_control(c)
    };
    replace_chars(text, hidden, |c, out| out.push(stand_in(c)))
}

/// What [`same_length_printable`] writes for a character it hides.
fn stand_in(c: char) -> char {
    match c.len_utf8() {
        // A carriage return it hides is alone (one before a line feed is kept).
        _ if c == '\r' => '\n',
        1 => '?',
        2 => '\u{bf}',
        _ => '\u{fffd}',
    }
}

/// `text` with each character `hidden` picks (given the character after it) written by
/// `write`; borrowed when there is none.
fn replace_chars(
    text: &str,
    hidden: impl Fn(char, Option<char>) -> bool,
    write: impl Fn(char, &mut String),
) -> std::borrow::Cow<'_, str> {
    let Some(first) = first_hidden(text, &hidden) else {
        return text.into();
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        if hidden(c, chars.peek().copied()) {
            write(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Whether every byte of `text` is printable ASCII (no tab, no control character) or, when
/// `newlines`, a line feed: one pass without an early exit, which the compiler turns into
/// vector instructions.
#[must_use]
pub fn plain_ascii(text: &str, newlines: bool) -> bool {
    let newline = if newlines { b'\n' } else { b' ' };
    text.bytes().fold(true, |plain, b| {
        plain & (matches!(b, b' '..=b'~') | (b == newline))
    })
}

/// The byte offset of the first character `hidden` picks. Printable ASCII, the bulk of any
/// text, is never hidden and is skipped a byte at a time without decoding.
fn first_hidden(text: &str, hidden: &impl Fn(char, Option<char>) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    // Most texts are printable ASCII through and through.
    if plain_ascii(text, false) {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b' '..=b'~') {
            i += 1;
            continue;
        }
        let mut rest = text[i..].chars();
        let c = rest.next()?;
        if hidden(c, rest.next()) {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{printable, same_length_printable};

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert!(matches!(
            printable("plain `text`\tok", false),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(printable("a\x1b[2Jb\rc", false), r"a\u{1b}[2Jb\u{d}c");
        assert_eq!(printable("one\ntwo", true), "one\ntwo");
        assert_eq!(printable("one\ntwo", false), r"one\u{a}two");
        assert_eq!(printable("é\u{202e}x\u{85}", false), r"é\u{202e}x\u{85}");
    }

    #[test]
    fn stand_ins_keep_every_byte_offset() {
        let text = "# Mix\x1b[31m\ring\u{202e} é\u{85}\r\nnext\r";
        let shown = same_length_printable(text);
        assert_eq!(shown, "# Mix?[31m\ning\u{fffd} é\u{bf}\r\nnext\n");
        assert_eq!(shown.len(), text.len());
        for (i, _) in text.char_indices() {
            assert!(shown.is_char_boundary(i), "{i}");
        }
    }

    /// The character-by-character definition `replace_chars` shortcuts.
    fn reference(
        text: &str,
        hidden: impl Fn(char, Option<char>) -> bool,
        write: impl Fn(char, &mut String),
    ) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if hidden(c, chars.get(i + 1).copied()) {
                write(c, &mut out);
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_ascii_skip_changes_nothing(
            text in "([ -~]|[\\x00-\\x1f\\x7f]|\\r\\n|[é\\u{85}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{2067}\\u{1f3b8}]){0,40}",
            newlines: bool,
        ) {
            let stand_in = |c: char, out: &mut String| {
                out.push(match c.len_utf8() {
                    _ if c == '\r' => '\n',
                    1 => '?',
                    2 => '\u{bf}',
                    _ => '\u{fffd}',
                });
            };
            let kept = |c: char, next: Option<char>| {
                (c.is_control() && !matches!(c, '\t' | '\n') && !(c == '\r' && next == Some('\n')))
                    || super::is_bidi_control(c)
            };
            proptest::prop_assert_eq!(same_length_printable(&text), reference(&text, kept, stand_in));
            let escaped = |c: char, _: Option<char>| {
                (c.is_control() && c != '\t' && (c != '\n' || !newlines)) || super::is_bidi_control(c)
            };
            proptest::prop_assert_eq!(
                printable(&text, newlines),
                reference(&text, escaped, |c, out| out.extend(c.escape_unicode()))
            );
        }
    }
}
