//! Building blocks for fixes: byte-exact edits of YAML scalars, list items and lines that keep
//! the writer's quoting, indentation, comments and line endings.

use saphyr::Scalar;

use crate::base::diagnostic::Edit;
use crate::base::span::Span;
use crate::input::document::Document;

/// Whether `text` reads back as the same string when written as a plain YAML scalar.
#[must_use]
pub fn plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || text.starts_with(' ') || text.ends_with(' ') {
        return false;
    }
    if text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(needs_escape)
    {
        return false;
    }
    matches!(Scalar::parse_from_cow(text.into()), Scalar::String(_))
}

/// Whether `c` must be written as an escape inside a double-quoted scalar: control characters
/// (a raw carriage return or line feed would read as a line break, a tab next to one would be
/// trimmed, the others are not allowed in YAML at all), the Unicode line and paragraph
/// separators and the byte order mark.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// `text` as a double-quoted YAML scalar on one line that reads back as exactly `text`.
#[must_use]
pub fn double_quoted(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` reads back as the same string when written as a plain scalar inside a flow
/// collection (`[a, b]`), where `,`, `[`, `]`, `{` and `}` end or open values.
#[must_use]
pub fn flow_safe(text: &str) -> bool {
    // saphyr 0.3 does not read a plain scalar ending in ` -` inside a flow list.
    plain_safe(text) && !text.contains([',', '[', ']', '{', '}']) && !text.ends_with(" -")
}

/// Write `value` in the style of the scalar at `span`: inside the same quotes when it was
/// quoted, plain when that reads back the same, double-quoted otherwise.
#[must_use]
pub fn scalar_like(doc: &Document, span: Span, value: &str) -> String {
    match doc.slice(span).chars().next() {
        // A single-quoted scalar cannot escape: a line break in it would fold to a blank.
        Some('\'') if value.chars().any(needs_escape) => double_quoted(value),
        Some('\'') => format!("'{}'", value.replace('\'', "''")),
        Some('"') => double_quoted(value),
        _ if plain_safe(value) => value.to_string(),
        _ => double_quoted(value),
    }
}

/// Replace the scalar at `span` with `value`, keeping its quoting style and the anchor and
/// tag written before it (`&a Mixing`, `!!str Mixing`). A fix touching a node an alias refers
/// to is dropped where findings are gathered ([`Linter::check_document`]).
///
/// [`Linter::check_document`]: crate::engine::linter::Linter::check_document
#[must_use]
pub fn replace_scalar(doc: &Document, span: Span, value: &str) -> Edit {
    let span = Span::new(span.start + properties_len(doc.slice(span)), span.end);
    Edit::replace(span, scalar_like(doc, span, value))
}

/// The length of the node properties (anchor, tag, and the blanks after each) at the start
/// of a scalar's source text.
fn properties_len(text: &str) -> usize {
    let mut rest = text;
    while rest.starts_with(['&', '!']) {
        let Some(gap) = rest.find(|c: char| c.is_ascii_whitespace()) else {
            break;
        };
        rest = rest[gap..].trim_start_matches(|c: char| c.is_ascii_whitespace());
    }
    text.len() - rest.len()
}

/// The line holding byte `at`: its start, the end of its content, and the end including its
/// line ending.
#[must_use]
pub fn line_around(doc: &Document, at: usize) -> (usize, usize, usize) {
    let text = doc.text.as_bytes();
    // From the line index, not by scanning: a flow list can put thousands of values on one
    // line.
    let (_, line) = doc.lines.lines_around(text.len(), Span::empty(at), 0, 0);
    let (start, next) = (line.start, line.end);
    let mut content_end = next;
    if content_end > start && text.get(content_end - 1) == Some(&b'\n') {
        content_end -= 1;
    }
    if content_end > start && text.get(content_end - 1) == Some(&b'\r') {
        content_end -= 1;
    }
    (start, content_end, next)
}

/// The line ending used by the line holding byte `at` (`\r\n`, `\r` or `\n`; `\n` at the end of
/// a file without a final newline).
#[must_use]
pub fn line_ending_at(doc: &Document, at: usize) -> &'static str {
    let (_, content_end, next) = line_around(doc, at);
    match doc.text.get(content_end..next) {
        Some("\r\n") => "\r\n",
        Some("\r") => "\r",
        _ => "\n",
    }
}

/// How a list item is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemStyle {
    /// `- value` on its own line; `indent` is the column of the dash.
    Block {
        /// Bytes before the dash on its line.
        indent: usize,
    },
    /// An element of `[a, b]`.
    Flow,
}

/// The style of the list item whose value is at `span`, when it is simple enough to edit:
/// a block item alone on its line (a trailing comment allowed), or a flow element.
#[must_use]
pub fn item_style(doc: &Document, span: Span) -> Option<ItemStyle> {
    let (start, content_end, _) = line_around(doc, span.start);
    let before = &doc.text[start..span.start];
    let trimmed = before.trim_end();
    if trimmed.ends_with('-') && trimmed[..trimmed.len() - 1].trim().is_empty() {
        // The value must end on this line, followed only by blanks or a comment.
        let after = doc.text.get(span.end..content_end)?;
        let after = after.trim_start();
        if span.end <= content_end && (after.is_empty() || after.starts_with('#')) {
            return Some(ItemStyle::Block {
                indent: trimmed.len() - 1,
            });
        }
        return None;
    }
    if trimmed.ends_with([',', '[']) {
        return Some(ItemStyle::Flow);
    }
    None
}

/// Edits removing the list item whose value is at `span` (the whole line of a block item;
/// the element and one comma of a flow list).
#[must_use]
pub fn remove_item(doc: &Document, span: Span) -> Option<Edit> {
    match item_style(doc, span)? {
        ItemStyle::Block { .. } => {
            let (start, _, next) = line_around(doc, span.start);
            Some(Edit::delete(Span::new(start, next)))
        }
        ItemStyle::Flow => {
            let text = doc.text.as_bytes();
            // Prefer the comma before: `a, b` -> `a`.
            let mut i = span.start;
            while i > 0 && matches!(text[i - 1], b' ' | b'\t') {
                i -= 1;
            }
            if i > 0 && text[i - 1] == b',' {
                return Some(Edit::delete(Span::new(i - 1, span.end)));
            }
            // First element: remove it, its comma and the blanks after.
            let mut j = span.end;
            while j < text.len() && matches!(text[j], b' ' | b'\t') {
                j += 1;
            }
            if j < text.len() && text[j] == b',' {
                j += 1;
                while j < text.len() && matches!(text[j], b' ' | b'\t') {
                    j += 1;
                }
                return Some(Edit::delete(Span::new(span.start, j)));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_before_a_scalar_are_skipped() {
        assert_eq!(properties_len("Mixing"), 0);
        assert_eq!(properties_len("&a Mixing"), 3);
        assert_eq!(properties_len("!!str &a  'Mixing'"), 10);
        assert_eq!(properties_len("&a\n    Mixing"), 7);
        assert_eq!(properties_len("&only"), 0);
    }

    #[test]
    fn plain_scalars_that_read_back_the_same() {
        for ok in [
            "mixing",
            "post-production",
            "https://www.youtube.com/watch?v=abc",
            "Post-production",
        ] {
            assert!(plain_safe(ok), "{ok}");
        }
        for quoted in [
            "true", "null", "1.5", "a: b", "#x", "- x", "", "x #y", "yes: no",
        ] {
            assert!(!plain_safe(quoted), "{quoted}");
        }
    }

    /// Strings mixing the characters that need care in YAML with ordinary ones.
    fn tricky() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let special = prop::sample::select(vec![
            '\r',
            '\n',
            '\t',
            '\0',
            '\u{7f}',
            '\u{85}',
            '\u{a0}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '"',
            '\'',
            '\\',
            ' ',
            ':',
            '#',
            ',',
            '[',
            '-',
            'a',
            'é',
            '\u{1F3B9}',
        ]);
        prop::collection::vec(prop_oneof![special, any::<char>()], 0..12)
            .prop_map(|chars| chars.into_iter().collect())
    }

    fn load_value(yaml: &str) -> Option<serde_json::Value> {
        let tree = crate::input::yaml::load(yaml, 0, 1).ok()?;
        tree.value.get("k").cloned()
    }

    proptest::proptest! {
        #[test]
        fn double_quoted_reads_back_the_same(text in tricky()) {
            let written = double_quoted(&text);
            proptest::prop_assert!(!written.contains(['\n', '\r']));
            let expected = serde_json::Value::String(text.clone());
            proptest::prop_assert_eq!(load_value(&format!("k: {written}\n")), Some(expected.clone()));
            proptest::prop_assert_eq!(
                load_value(&format!("k: [{written}]\n")),
                Some(serde_json::Value::Array(vec![expected]))
            );
        }

        #[test]
        fn plain_safe_text_reads_back_the_same(text in tricky()) {
            let expected = serde_json::Value::String(text.clone());
            if plain_safe(&text) {
                proptest::prop_assert_eq!(load_value(&format!("k: {text}\n")), Some(expected.clone()));
            }
            if flow_safe(&text) {
                proptest::prop_assert_eq!(
                    load_value(&format!("k: [{text}]\n")),
                    Some(serde_json::Value::Array(vec![expected]))
                );
            }
        }
    }
}
