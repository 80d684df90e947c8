//! The outline of a plain article (ATX headings and paragraphs) without the Markdown parser.
//!
//! A production-guide article is often nothing but `#` headings and paragraphs of prose. For
//! that shape the general parser does far more than the outline needs, so [`outline`] reads
//! the body line by line and gives up, returning `None`, on any line that could start or
//! continue anything else: a line that starts with a space, a tab or a block marker (list
//! item, quote, fence, HTML, thematic break, setext underline, link definition, table), an
//! ordered-list number, a `|` anywhere (tables), a carriage return or another control
//! character, and a heading whose text holds a character inline parsing or heading
//! attributes treat specially. The caller then runs pulldown-cmark, which is also the
//! reference: for every body where this answers, the headings (level, text, span) are
//! pulldown-cmark's and there is no code block, which `tests/outline_fast.rs` and the
//! `outline_fast` fuzz target check on generated input.

use super::Heading;
use crate::span::Span;

/// Characters that, in a heading's text, inline parsing (escapes, code, emphasis, links,
/// images, HTML, entities) or heading attributes and closing sequences could act on.
fn special_in_heading(b: u8) -> bool {
    matches!(
        b,
        b'\\'
            | b'`'
            | b'*'
            | b'_'
            | b'['
            | b']'
            | b'!'
            | b'<'
            | b'>'
            | b'&'
            | b'{'
            | b'}'
            | b'#'
            | b'~'
            | b'$'
            | b'^'
    )
}

/// Whether a paragraph may start with this byte: letters, any non-ASCII character and
/// punctuation that begins no block. Digits are checked apart (ordered lists).
fn paragraph_start(b: u8) -> bool {
    b.is_ascii_alphabetic()
        || b >= 0x80
        || matches!(
            b,
            b'"' | b'\''
                | b'('
                | b')'
                | b'!'
                | b'?'
                | b'.'
                | b','
                | b';'
                | b'/'
                | b'@'
                | b'$'
                | b'%'
                | b'&'
                | b'^'
                | b'{'
                | b'}'
                | b'\\'
        )
}

/// Bytes no line of a plain article has: control characters (a carriage return, a tab, NUL)
/// and `|`, which may make a table. Folded without an early exit, so the loop vectorises.
fn has_unusual_byte(line: &[u8]) -> bool {
    line.iter().fold(false, |seen, &b| {
        seen | (b < 0x20) | (b == 0x7f) | (b == b'|')
    })
}

/// The headings of `text[body_start..]`, when every line of it is blank, a paragraph line or
/// a plain ATX heading; `None` otherwise. The spans are offsets in `text`.
pub(super) fn outline(text: &str, body_start: usize) -> Option<Vec<Heading>> {
    let mut headings = Vec::new();
    let mut start = body_start;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let bytes = line.as_bytes();
        if let Some(&first) = bytes.first() {
            if has_unusual_byte(bytes) {
                return None;
            }
            if first == b'#' {
                headings.push(heading(line, start)?);
            } else if first.is_ascii_digit() {
                // `1.` or `1)` starts an ordered list; `1990s` or `4 bars` a paragraph.
                let after = bytes.iter().find(|b| !b.is_ascii_digit());
                if matches!(after, Some(b'.' | b')')) {
                    return None;
                }
            } else if !paragraph_start(first) {
                return None;
            }
        }
        start = end + 1;
    }
    Some(headings)
}

/// A line starting with `#`: an ATX heading whose text needs no inline parsing, or `None`.
fn heading(line: &str, start: usize) -> Option<Heading> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    // `#tag` and `####### x` are paragraphs, `#` alone an empty heading: left to the parser.
    if level > 6 || line.as_bytes().get(level) != Some(&b' ') {
        return None;
    }
    let content = &line[level + 1..];
    if content.bytes().any(special_in_heading) {
        return None;
    }
    // What the outline keeps: the text trimmed of any white space, the span of the line
    // trimmed of spaces (the only blank this line can end with).
    let text = content.trim();
    if text.is_empty() {
        return None;
    }
    let end = start + line.trim_end_matches(' ').len();
    Some(Heading {
        level: u8::try_from(level).ok()?,
        text: text.to_string(),
        span: Span::new(start, end),
        setext: false,
    })
}
