//! The outline of a plain article (ATX headings, paragraphs, simple lists) without the
//! Markdown parser.
//!
//! A production-guide article is often nothing but `#` headings, paragraphs of prose and
//! one-line list items. For that shape the general parser does far more than the outline
//! needs, so [`outline`] reads the body line by line and gives up, returning `None`, on any
//! line that could start or continue anything else: a line indented by a tab or by four
//! spaces or more, an indented heading, a line that starts with a block marker (indented
//! fence, HTML, thematic break, setext underline, table), an empty list item or one whose
//! text is not a paragraph line, a block quote line other than a blank one or one space and
//! a paragraph line or list item, a `|` (tables) or a tab outside code blocks, a carriage
//! return, a vertical tab or a form feed anywhere, a closing fence followed by a tab, a body
//! holding both `<!--` and `guidelint-` (it may hold a suppression
//! comment, which only inline parsing tells from text in a code span), and a heading whose
//! text holds a control character or a character inline parsing or heading attributes treat
//! specially. Other control characters inside a paragraph line change no block: they are
//! passed over. Inline markup in paragraphs and list items (emphasis, links, code spans) is
//! passed over: it cannot make or hide a heading that starts a line. Code blocks fenced with
//! backticks or tildes at the start of a line are read too (their lines are code, whatever
//! they hold, up to a closing fence or the end). The caller then runs pulldown-cmark, which is
//! also the reference: for every body where this answers, the headings (level, text, span)
//! and code blocks are pulldown-cmark's and there is no raw HTML holding `guidelint-`, which
//! `tests/outline_fast.rs` and the `outline_fast` fuzz target check on generated input.

use super::{Heading, HeadingText};
use crate::base::span::Span;

/// Characters that, in a heading's text, inline parsing (escapes, code, emphasis, links,
/// images, HTML, entities) or heading attributes and closing sequences could act on, and
/// control characters (the parser replaces NUL; the others are left to it too).
fn special_in_heading(b: u8) -> bool {
    b < b' '
        || b == 0x7f
        || matches!(
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
/// punctuation that begins no block. Digits and the other punctuation are looked at apart.
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
                | b'['
                | b':'
        )
}

/// Whether `line` holds a byte other than `c` and a space: `**bold**` and `-3 dB` do, the
/// thematic breaks and setext underlines `***`, `- - -`, `===` do not.
fn has_other_than(line: &[u8], c: u8) -> bool {
    line.iter().any(|&b| b != c && b != b' ')
}

/// Whether a line that is neither blank nor a heading can be passed over: a paragraph line,
/// or a list item (`- `, `* `, `+ `, `1. `, `1) `, nested or not) whose text is one. A list
/// item's text that is a heading, a quote or a block of code, an empty item, a thematic
/// break, a setext underline and a fence are not. A loop, not a recursion: a line of a
/// million `- ` is a million nested items.
fn passable(line: &[u8]) -> bool {
    let mut rest = line;
    loop {
        let Some(&first) = rest.first() else {
            // An empty list item.
            return false;
        };
        let marker = match first {
            b'-' | b'*' | b'+' => 1,
            b'0'..=b'9' => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                if !matches!(rest.get(digits), Some(b'.' | b')')) {
                    // "1990s", "4 bars".
                    return true;
                }
                digits + 1
            }
            // Emphasis or a word with underscores, not a thematic break.
            b'_' | b'=' => return has_other_than(rest, first),
            // Code or strikethrough, not a fence.
            b'`' | b'~' => return rest.iter().take_while(|&&b| b == first).count() < 3,
            _ => return paragraph_start(first),
        };
        match rest.get(marker) {
            // A list item: its text must be passable too.
            Some(b' ') => rest = &rest[marker + 1..],
            // "1.5 dB", "2)x", "**bold**", "-3 dB", "+1"; not `***`, `---`, "-", "1.".
            Some(_) => return first.is_ascii_digit() || has_other_than(rest, first),
            None => return false,
        }
    }
}

/// Whether a line of a block quote, after its `>`, can be passed over: blank, or one space and
/// then a paragraph line or a list item (see [`passable`]). Anything else in a quote (a
/// heading, a nested quote, code, a thematic break or setext underline, a second space) is
/// left to the parser.
fn quote_line(quoted: &[u8]) -> bool {
    let text = quoted.strip_prefix(b" ").unwrap_or(quoted);
    text.is_empty() || passable(text)
}

/// Whether `body` has a byte no plain article has anywhere, code blocks included: a carriage
/// return, a vertical tab or a form feed (which the parser counts as line ends or white space
/// in places). One vectorised search.
fn has_unusual_byte(body: &[u8]) -> bool {
    memchr::memchr3(b'\r', b'\x0b', b'\x0c', body).is_some()
}

/// Whether a line outside code blocks has a tab (white space the parser counts in columns)
/// or `|`, which may make a table.
fn has_unusual_in_line(line: &[u8]) -> bool {
    memchr::memchr2(b'|', b'\t', line).is_some()
}

/// Whether `body` may hold a suppression comment: only the parser can tell an HTML comment
/// in a paragraph from one in a code span. Most articles have no `<` at all: one search for
/// a single byte answers for them.
fn may_suppress(body: &[u8]) -> bool {
    memchr::memchr(b'<', body).is_some_and(|lt| {
        memchr::memmem::find(&body[lt..], b"<!--").is_some()
            && memchr::memmem::find(body, b"guidelint-").is_some()
    })
}

/// The headings and fenced code blocks of `text[body_start..]`, when every line of it is
/// blank, a paragraph line, a simple list item, a plain ATX heading or part of a code block
/// fenced at the start of its line; `None` otherwise. `starts` are the starts of the lines of
/// `text` (its line index: the line breaks are not searched for again). The spans are
/// offsets in `text`.
pub(super) fn outline(
    text: &str,
    body_start: usize,
    starts: &[usize],
) -> Option<(Vec<Heading>, Vec<Span>)> {
    let body = &text.as_bytes()[body_start..];
    if has_unusual_byte(body) || may_suppress(body) {
        return None;
    }
    // An article has a dozen or two headings: one allocation, not five.
    let mut headings = Vec::with_capacity(16);
    let mut code = Vec::new();
    // The code block being read: its fence character and length, and where it starts.
    let mut fence: Option<(u8, usize, usize)> = None;
    let mut start = body_start;
    let after = starts.partition_point(|&s| s <= body_start);
    let ends = starts[after..]
        .iter()
        .map(|&next| next - 1)
        .chain(std::iter::once(text.len()));
    for end in ends {
        let line = &text[start..end];
        let bytes = line.as_bytes();
        if let Some((c, n, open)) = fence {
            // Everything is code but a closing fence: up to three spaces, at least as many
            // fence characters as the opening, then nothing but spaces.
            let indent = bytes.iter().take_while(|&&b| b == b' ').count();
            let run = bytes[indent..].iter().take_while(|&&b| b == c).count();
            if indent <= 3 && run >= n {
                let rest = &bytes[indent + run..];
                if rest.iter().all(|&b| b == b' ') {
                    code.push(Span::new(open, end));
                    fence = None;
                } else if rest.iter().all(|&b| matches!(b, b' ' | b'\t')) {
                    // White space the parser may count as blank after a closing fence.
                    return None;
                }
            }
        } else if has_unusual_in_line(bytes) {
            return None;
        } else if let Some(&first) = bytes.first() {
            if first == b'#' {
                headings.push(heading(line, start)?);
            } else if let Some(n) = opening_fence(bytes) {
                fence = Some((first, n, start));
            } else {
                // Up to three spaces of indent make no code block, at the top level or in a
                // list item; a heading after them is left to the parser.
                let indent = bytes.iter().take_while(|&&b| b == b' ').count();
                if indent > 3 || bytes.get(indent) == Some(&b'#') {
                    return None;
                }
                let rest = &bytes[indent..];
                let fine = match rest.strip_prefix(b">") {
                    Some(quoted) => quote_line(quoted),
                    None => passable(rest),
                };
                if !fine {
                    return None;
                }
            }
        }
        start = end + 1;
    }
    // A block never closed runs to the end of the body.
    if let Some((_, _, open)) = fence {
        code.push(Span::new(open, text.len()));
    }
    Some((headings, code))
}

/// The length of the fence when `line` opens a fenced code block at its start (three or more
/// backticks or tildes, and after backticks no backtick: that would be inline code).
fn opening_fence(line: &[u8]) -> Option<usize> {
    let c = *line.first().filter(|&&c| c == b'`' || c == b'~')?;
    let n = line.iter().take_while(|&&b| b == c).count();
    (n >= 3 && (c == b'~' || !line[n..].contains(&b'`'))).then_some(n)
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
    let text = crate::base::text::trim(content);
    if text.is_empty() {
        return None;
    }
    let end = start + line.trim_end_matches(' ').len();
    // The text is where the line has it (a part of it): no copy.
    let at = start + (text.as_ptr() as usize - line.as_ptr() as usize);
    Some(Heading {
        level: u8::try_from(level).ok()?,
        text: HeadingText::Source(Span::new(at, at + text.len())),
        span: Span::new(start, end),
        setext: false,
    })
}
