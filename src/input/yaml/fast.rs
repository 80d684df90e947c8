//! A loader for the plain shape nearly all front matter has, without the general YAML parser.
//!
//! Front matter is usually a mapping of plain keys to one-line scalars, lists of one-line
//! scalars (block lists, or flow lists on one line), `>`/`|` block scalars and mappings of the
//! same shape nested under a key. For that shape the general parser costs far more than the
//! text warrants (it is most of the time spent on a typical article), so [`load`] reads it
//! line by line and gives up, returning `None`, on anything outside it: comments, tabs, CR,
//! control characters, anchors, aliases, tags, flow mappings, flow lists over several lines,
//! with an empty item or a nested collection or with a quote, `:` or `#` inside a plain item,
//! escapes, mappings nested more than [`MAX_DEPTH`] deep, multi-line plain or quoted scalars,
//! block scalars with indicators or uneven indentation, blank lines inside a list, duplicate
//! keys, and every value the general loader would reject. The caller then runs the general
//! loader, which is also the reference: for every input where this one answers, the answer
//! (value, spans, key order) is the general loader's, which `tests/yaml_fast.rs` and the
//! `yaml_fast` fuzz target check on generated input.

use saphyr_parser::ScalarStyle;
use serde_json::{Map, Value};

use super::{Comments, NodeSpan, Spans, YamlTree, scalar};
use crate::base::span::Span;

/// One line of the text: its bytes without the line break, and where it starts.
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }
}

#[derive(Clone)]
struct Lines<'a> {
    src: &'a str,
    pos: usize,
    /// The length of the line at `pos`, once searched for (a line is peeked at more than
    /// once).
    len: Option<usize>,
}

impl<'a> Lines<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            src,
            pos: 0,
            len: None,
        }
    }

    fn peek(&mut self) -> Option<Line<'a>> {
        let rest = self.src.get(self.pos..).filter(|r| !r.is_empty())?;
        let len = *self
            .len
            .get_or_insert_with(|| memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len()));
        Some(Line {
            text: &rest[..len],
            start: self.pos,
        })
    }

    /// Move past `line`, the line [`Lines::peek`] gave.
    fn advance(&mut self, line: Line<'_>) {
        self.pos = line.start + line.text.len() + 1;
        self.len = None;
    }
}

/// Characters the fast path accepts anywhere: printable ASCII and the printable characters
/// beyond it that YAML treats as ordinary text.
fn plain_text(src: &str) -> bool {
    // No control character (but the line feed): one pass without an early exit, which the
    // compiler turns into vector instructions.
    let control = src.bytes().fold(false, |seen, b| {
        seen | ((b < b' ' && b != b'\n') | (b == 0x7f))
    });
    !control
        && (src.is_ascii()
            || src.chars().all(|c| match c {
                '\n' | ' '..='~' => true,
                '\u{a0}'..='\u{d7ff}' => !matches!(c, '\u{2028}' | '\u{2029}'),
                '\u{e000}'..='\u{fffd}' => c != '\u{feff}',
                '\u{10000}'.. => true,
                _ => false,
            }))
}

/// Load `src` whose first byte is at byte `base` of the file, if it has the simple shape and
/// at most `max_values` values (the root mapping, each key's value and each list item).
pub(super) fn load(src: &str, base: usize, max_values: usize) -> Option<YamlTree> {
    // A last line without a line break would end a block scalar differently: leave it.
    if !src.ends_with('\n') || !plain_text(src) {
        return None;
    }
    let mut reader = Reader {
        lines: Lines::new(src),
        base,
        spans: Spans::for_front_matter(),
        comments: Comments::default(),
        max_values,
    };
    let (map, root) = reader.mapping(0, "", 0)?;
    let Reader {
        mut spans,
        mut comments,
        ..
    } = reader;
    spans.insert(
        &[],
        NodeSpan {
            key: None,
            value: root,
        },
    );
    spans.finish();
    comments.read = base + src.len();
    Some(YamlTree {
        value: Value::Object(map),
        spans,
        aliased: Vec::new(),
        comments,
    })
}

/// Mappings nested deeper than this are the general loader's (which guards against deep
/// nesting); front matter rarely nests more than twice.
const MAX_DEPTH: usize = 8;

/// What a load reads from, and what it records as it goes.
struct Reader<'a> {
    lines: Lines<'a>,
    base: usize,
    spans: Spans,
    comments: Comments,
    max_values: usize,
}

impl Reader<'_> {
    /// The block mapping whose keys start at column `indent`, its pointer `pointer`, `depth`
    /// mappings deep: its value and span (from its first key to the end of its last value). It
    /// ends before the first line indented less (or, for the root, at the end).
    fn mapping(
        &mut self,
        indent: usize,
        pointer: &str,
        depth: usize,
    ) -> Option<(Map<String, Value>, Span)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let base = self.base;
        let mut map = Map::new();
        let mut first: Option<usize> = None;
        let mut last_end = 0;
        while let Some(line) = self.lines.peek() {
            if line.text.is_empty() {
                self.lines.advance(line);
                continue;
            }
            let line_indent = line.indent();
            if line_indent < indent {
                break;
            }
            if line_indent > indent {
                return None;
            }
            self.lines.advance(line);
            let text = &line.text[indent..];
            let colon = memchr::memchr(b':', text.as_bytes())?;
            let (key, rest) = (&text[..colon], &text[colon + 1..]);
            if key.is_empty()
                || key.len() > 512
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                || !key.as_bytes()[0].is_ascii_alphabetic()
            {
                return None;
            }
            let key_start = base + line.start + indent;
            let key_span = Span::new(key_start, key_start + key.len());
            let Value::String(key) = plain(key, key_span)? else {
                return None;
            };
            if map.contains_key(&key) {
                return None;
            }
            // Keys of this shape need no escaping in a pointer.
            let path = [pointer, "/", &key].concat();
            let (value, span) = if rest.is_empty() {
                match self.lines.peek() {
                    Some(next) if next.text.trim_start_matches(' ').starts_with('-') => {
                        self.sequence(indent, &path)?
                    }
                    Some(next) if next.indent() > indent => {
                        let (nested, span) = self.mapping(next.indent(), &path, depth + 1)?;
                        (Value::Object(nested), span)
                    }
                    _ => (Value::Null, Span::empty(key_span.end)),
                }
            } else {
                let text = rest.strip_prefix(' ')?.trim_start_matches(' ');
                let at = line.start + line.text.len() - text.len();
                match text {
                    ">" | "|" => {
                        let (value, span) = self.block_scalar(indent, at, text == ">")?;
                        self.comments.scalar(self.lines.src, base, span);
                        (value, span)
                    }
                    _ if text.starts_with('[') => self.flow(text, base + at, &path)?,
                    _ => one_line(text, base + at)?,
                }
            };
            first.get_or_insert(key_span.start);
            last_end = last_end.max(key_span.end).max(span.end);
            self.spans.insert(
                &[&path],
                NodeSpan {
                    key: Some(key_span),
                    value: span,
                },
            );
            map.insert(key, value);
            // The values so far: one per record, and the root. Past the limit the general
            // loader reports it.
            if self.spans.len() >= self.max_values {
                return None;
            }
        }
        Some((map, Span::new(first?, last_end)))
    }

    /// Record the span of item `n` of the list at `pointer`; `None` when the records reach
    /// the limit.
    fn item(&mut self, pointer: &str, n: usize, span: Span) -> Option<()> {
        let mut digits = [0u8; 20];
        self.spans.insert(
            &[pointer, "/", super::decimal(n, &mut digits)],
            NodeSpan {
                key: None,
                value: span,
            },
        );
        (self.spans.len() < self.max_values).then_some(())
    }

    /// A one-line flow list (`[a, b c, '/d/']`) of plain scalars and quoted ones without
    /// escapes, which ends its line; `None` for anything else (an empty item, a comma before
    /// `]`, nested collections, `:`, `#` or quotes inside a plain item). `at` is its file
    /// offset.
    fn flow(&mut self, text: &str, at: usize, pointer: &str) -> Option<(Value, Span)> {
        let inner = text.strip_prefix('[')?.strip_suffix(']')?;
        let span = Span::new(at, at + text.len());
        let mut items = Vec::new();
        if inner.bytes().all(|b| b == b' ') {
            return Some((Value::Array(items), span));
        }
        let mut start = 1;
        for part in inner.split(',') {
            let item = part.trim_matches(' ');
            let item_at = at + start + (part.len() - part.trim_start_matches(' ').len());
            start += part.len() + 1;
            let bytes = item.as_bytes();
            let item_span = Span::new(item_at, item_at + item.len());
            let value = match *bytes.first()? {
                b'"' | b'\'' => quoted(item)?,
                first
                    if first.is_ascii_alphanumeric()
                        || matches!(first, b'/' | b'_' | b'.')
                        || first >= 0x80 =>
                {
                    if bytes.iter().any(|b| {
                        matches!(
                            b,
                            b'[' | b']'
                                | b'{'
                                | b'}'
                                | b'#'
                                | b':'
                                | b'"'
                                | b'\''
                                | b'&'
                                | b'*'
                                | b'!'
                                | b'|'
                                | b'>'
                                | b'%'
                                | b'@'
                                | b'`'
                                | b'?'
                                | b'\\'
                        )
                    }) {
                        return None;
                    }
                    plain(item, item_span)?
                }
                _ => return None,
            };
            self.item(pointer, items.len(), item_span)?;
            items.push(value);
        }
        Some((Value::Array(items), span))
    }

    /// A block list of one-line scalars, all at one indentation, right under its key (whose
    /// column is `key_indent`).
    fn sequence(&mut self, key_indent: usize, pointer: &str) -> Option<(Value, Span)> {
        let base = self.base;
        let first = self.lines.peek()?;
        let indent = first.indent();
        if indent < key_indent {
            return None;
        }
        let mut items = Vec::new();
        // A list indented under its key starts at its first `-`; one at the key's own
        // indentation (an "indentless" list) at its first item, as the general parser has it.
        let mut start = base + first.start + indent;
        let mut end = 0;
        while let Some(line) = self.lines.peek() {
            if line.text.is_empty() {
                // The list ends here; what follows must be the next key.
                break;
            }
            let line_indent = line.indent();
            if line_indent <= key_indent
                && !(line_indent == indent && line.text[line_indent..].starts_with('-'))
            {
                // The next key.
                break;
            }
            if line_indent != indent {
                return None;
            }
            let item = line.text[indent..].strip_prefix("- ")?;
            let text = item.trim_start_matches(' ');
            let at = base + line.start + line.text.len() - text.len();
            let (value, span) = one_line(text, at)?;
            if indent == key_indent && items.is_empty() {
                start = span.start;
            }
            self.item(pointer, items.len(), span)?;
            items.push(value);
            end = span.end;
            self.lines.advance(line);
        }
        Some((Value::Array(items), Span::new(start, end.max(start))))
    }

    /// A `>` or `|` block scalar (clipped) of a key at column `key_indent`, whose lines all
    /// have one indentation and no blank line between them. `header` is the offset of the
    /// indicator in the text.
    fn block_scalar(
        &mut self,
        key_indent: usize,
        header: usize,
        folded: bool,
    ) -> Option<(Value, Span)> {
        let lines = &mut self.lines;
        let first = lines.peek()?;
        let indent = first.indent();
        if indent <= key_indent || indent == first.text.len() {
            return None;
        }
        // The block's lines are measured first, so that its text takes one allocation.
        let mut size = 0;
        let mut end = 0;
        while let Some(line) = lines.peek() {
            let line_indent = line.indent();
            if line_indent <= key_indent {
                break;
            }
            if line_indent != indent || line.text.ends_with(' ') {
                return None;
            }
            size += line.text.len() - indent + 1;
            end = line.start + line.text.len();
            lines.advance(line);
        }
        let mut text = String::with_capacity(size);
        for line in lines.src[first.start..end].split('\n') {
            if !text.is_empty() {
                text.push(if folded { ' ' } else { '\n' });
            }
            text.push_str(&line[indent..]);
        }
        // Blank lines after the scalar are fine when a key no deeper than this one follows.
        let mut after = lines.clone();
        while let Some(line) = after.peek() {
            if !line.text.is_empty() {
                if line.indent() > key_indent {
                    return None;
                }
                break;
            }
            after.advance(line);
        }
        text.push('\n');
        Some((
            Value::String(text),
            Span::new(self.base + header, self.base + end),
        ))
    }
}

/// A scalar that ends its line: plain, or quoted without escapes. `at` is its file offset.
fn one_line(text: &str, at: usize) -> Option<(Value, Span)> {
    let span = Span::new(at, at + text.len());
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'"' | b'\'' => Some((quoted(text)?, span)),
        // Indicators that give a plain scalar's first character another meaning.
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' | b' ' => None,
        _ => {
            if text.ends_with([' ', ':']) || has_separator(text.as_bytes()) {
                return None;
            }
            Some((plain(text, span)?, span))
        }
    }
}

/// The value of `text`, a scalar in double or single quotes that holds no quote and no
/// backslash (nothing to unescape), or `None`.
fn quoted(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let inner = text.get(1..text.len() - 1).filter(|_| text.len() >= 2)?;
    if bytes[bytes.len() - 1] != bytes[0] || inner.contains(['"', '\'', '\\']) {
        return None;
    }
    Some(Value::String(inner.to_owned()))
}

/// Whether a one-line plain scalar holds `: ` (a mapping inside it) or ` #` (a comment after
/// it): both are a space next to something, so the spaces are visited once instead of
/// searching for each pair.
fn has_separator(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b' ', bytes)
        .any(|i| (i > 0 && bytes[i - 1] == b':') || bytes.get(i + 1) == Some(&b'#'))
}

/// The value of a plain scalar, typed by YAML 1.2's core schema. Text with no digit that is
/// not one of the few words and `.` forms the schema gives a meaning (`null`, `~`, `true`,
/// `false`, `.inf`, `.nan` and their case variants) is text: it is decided here without the
/// general typing, which tries the number forms first. `None` for values JSON cannot hold.
fn plain(text: &str, span: Span) -> Option<Value> {
    let special = matches!(
        text,
        "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) || text.starts_with(['.', '+', '-'])
        || text.bytes().any(|b| b.is_ascii_digit());
    if special {
        scalar(text, ScalarStyle::Plain, None, span).ok()
    } else {
        Some(Value::String(text.to_owned()))
    }
}
