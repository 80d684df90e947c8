//! saphyr's scanner messages turned into sentences for writers, placed on the bytes they are
//! about.
//!
//! The scanner reports some errors away from their cause: a tab in the indentation of the line
//! after a plain scalar at the scalar's first character, a tab before a list item one column
//! after it, and an invalid escape in a double-quoted value at the opening quote (as "quoted
//! scalar" trouble, which reads like an unclosed quote). This module finds the byte meant and
//! names it. It only reads `src`; it never panics on any input.

use std::ops::Range;

/// A scanner error as shown to writers.
pub(super) struct Explained {
    pub message: String,
    pub help: Option<String>,
    /// Byte range in `src`: the tab or escape meant, or an empty range at the scanner's
    /// position.
    pub at: Range<usize>,
}

/// Explain the scanner message `info` reported at byte `at` of `src` (the char-based marker
/// converted to bytes); `first_line` is the file's line number of the first line of `src`.
pub(super) fn explain(info: &str, src: &str, at: usize, first_line: usize) -> Explained {
    let here = src.get(at..).and_then(|s| s.chars().next());
    let before = src.get(..at).unwrap_or("");
    let line_before = before.rsplit('\n').next().unwrap_or("");
    let mut message = info.to_string();
    if let Some(first) = message.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mut range = at..at;
    let help = if let Some(escape) = (info.contains("escape") || info.contains("hexadecimal"))
        .then(|| bad_escape(src, at))
        .flatten()
    {
        let text = src.get(escape.range.clone()).unwrap_or_default();
        range = escape.range;
        let (m, h) = match escape.problem {
            EscapeProblem::Unknown => (
                format!("Unknown escape `{text}` in a double-quoted value"),
                "In double quotes a backslash starts an escape such as `\\n` or `\\\"`: write `\\\\` for a backslash, or put the value in single quotes",
            ),
            EscapeProblem::Digits(n) => (
                format!("Escape `{text}` needs {n} hexadecimal digits"),
                "Write `\\x` with 2 hexadecimal digits, `\\u` with 4 or `\\U` with 8, e.g. `\\u00e9` for `é`",
            ),
            EscapeProblem::NotAChar => (
                format!("Escape `{text}` is not a Unicode character"),
                "Surrogate halves (`\\uD800` to `\\uDFFF`) and values over `\\U0010FFFF` cannot stand in text: write the character itself",
            ),
        };
        message = m;
        Some(h.into())
    } else if here == Some('\t') || line_before.ends_with('\t') || info.contains("tab") {
        if let Some(tab) = offending_tab(src, at) {
            range = tab..tab + 1;
        }
        message = "Tab character where YAML expects spaces".into();
        Some("YAML indentation and the gap after `:` must be spaces, not tabs".into())
    } else if info.contains("quoted scalar") {
        message = "Quoted value is not closed before the next field".into();
        Some("Close the quote on the same line, e.g. `title: \"Mixing vocals\"`".into())
    } else if let Some(line) = unclosed_bracket(before) {
        let line = line + first_line - 1;
        message = format!("List or mapping opened on line {line} is not closed");
        Some("Close the `[` or `{` on the same line, e.g. `genre: [all, hip-hop]`".into())
    } else if info.contains("simple key expect") {
        message = "Key is not followed by `:`, or is longer than 1024 characters".into();
        Some("Write keys as `key: value`; YAML does not allow keys over 1024 characters".into())
    } else if info.contains("mapping values are not allowed") {
        Some("Quote a value that contains `: `, e.g. `title: \"Mixing: the basics\"`".into())
    } else if info.contains("unexpected end of stream") {
        Some("Check for a quote, bracket or brace that is opened but never closed".into())
    } else if info.contains("indent") || info.contains("block") || info.contains("expected key") {
        Some("Check the indentation: items of one list or mapping must line up".into())
    } else {
        None
    };
    Explained {
        message,
        help,
        at: range,
    }
}

/// The byte offset of the tab a tab error at `at` is about: the tab at `at` or just before it
/// (the first of a run of them), or else the first tab after `at` in the indentation of a
/// line (where the scanner reports it at the scalar or block scalar header the line
/// continues), or else the first tab after `at`.
fn offending_tab(src: &str, at: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let first_of_run = |mut i: usize| {
        while i > 0 && bytes[i - 1] == b'\t' {
            i -= 1;
        }
        i
    };
    if bytes.get(at) == Some(&b'\t') {
        return Some(first_of_run(at));
    }
    if at > 0 && bytes.get(at - 1) == Some(&b'\t') {
        return Some(first_of_run(at - 1));
    }
    let rest = bytes.get(at..)?;
    let mut line_start = false;
    let mut first = None;
    for (i, &b) in rest.iter().enumerate() {
        match b {
            b'\n' | b'\r' => line_start = true,
            b'\t' if line_start => return Some(at + i),
            b'\t' => {
                first.get_or_insert(at + i);
            }
            b' ' => {}
            _ => line_start = false,
        }
    }
    first
}

enum EscapeProblem {
    /// A character that starts no escape.
    Unknown,
    /// Fewer hexadecimal digits than the escape needs.
    Digits(usize),
    /// A code that is no Unicode scalar value (a surrogate half, or over U+10FFFF).
    NotAChar,
}

struct BadEscape {
    /// The escape's bytes: the backslash, its letter and the digits read.
    range: Range<usize>,
    problem: EscapeProblem,
}

/// The first invalid escape of the double-quoted scalar whose opening quote is at `quote`, by
/// YAML 1.2's escapes (§5.7, as saphyr reads them).
fn bad_escape(src: &str, quote: usize) -> Option<BadEscape> {
    let rest = src.get(quote..)?.strip_prefix('"')?;
    let start = quote + 1;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {}
            _ => continue,
        }
        let (j, letter) = chars.next()?;
        let digits = match letter {
            '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"' | '/' | '\\'
            | 'N' | '_' | 'L' | 'P' | '\n' | '\r' => continue,
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => {
                return Some(BadEscape {
                    range: start + i..start + j + letter.len_utf8(),
                    problem: EscapeProblem::Unknown,
                });
            }
        };
        let mut end = start + j + 1;
        let mut value = 0u32;
        for _ in 0..digits {
            match chars.peek() {
                Some(&(k, d)) if d.is_ascii_hexdigit() => {
                    value = (value << 4) | d.to_digit(16).unwrap_or(0);
                    end = start + k + 1;
                    chars.next();
                }
                _ => {
                    return Some(BadEscape {
                        range: start + i..end,
                        problem: EscapeProblem::Digits(digits),
                    });
                }
            }
        }
        if char::from_u32(value).is_none() {
            return Some(BadEscape {
                range: start + i..end,
                problem: EscapeProblem::NotAChar,
            });
        }
    }
    None
}

/// The 1-based line of the last `[` or `{` in `before` that no bracket closes, ignoring
/// quoted text and comments: the usual cause of a confusing error further down.
fn unclosed_bracket(before: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    for (n, line) in before.split('\n').enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') if prev == ' ' => break,
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => open.push(n + 1),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    open.last().copied()
}
