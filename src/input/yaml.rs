//! YAML text -> `serde_json::Value` plus the byte span of every key and value.
//!
//! Used for article front matter (and, later, configuration files) so that every schema error
//! can point at the exact bytes it is about. The loader drives `saphyr_parser`'s event stream
//! itself instead of building saphyr's `MarkedYaml` tree: one pass gives the JSON value, the
//! spans, every repeat of a key (loading goes on past one), and a nesting-depth guard that
//! stops before deep input can exhaust the stack.
//!
//! saphyr's markers count characters, not bytes; this module converts them to byte offsets
//! into the whole file (see [`Span`]). It never panics on any input.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span as YSpan, Tag};
use serde_json::{Map, Value};

use crate::base::span::Span;

mod explain;
mod fast;
mod spans;

pub use spans::Spans;

/// Deepest nesting of sequences and mappings accepted. Front matter needs two or three levels;
/// thousands of levels would overflow the stack of any recursive consumer.
pub const MAX_DEPTH: usize = 64;

/// Budget, in nodes, for expanding aliases in one document: saphyr's own default
/// (`DEFAULT_ALIAS_LIMIT`), kept so that a billion-laughs document fails fast.
pub const ALIAS_NODE_LIMIT: usize = 100_000;

/// Budget, in bytes of text (strings and keys), for the copies aliases make in one document:
/// a few values can be large, and copied thousands of times they would take gigabytes.
pub const ALIAS_SIZE_LIMIT: usize = 10 << 20;

/// Most values (scalars, lists and mappings, aliases included but not what they copy) one
/// front matter may have. Real front matter has a few dozen; each value takes tens to hundreds
/// of bytes loaded (a mapping, over 600), so a 10 MiB file of tiny values took over a gigabyte.
pub const MAX_VALUES: usize = 100_000;

/// Most repeated keys reported for one document; the last one reported says how many more
/// follow. Loading goes on past a repeat to find the others, so this bounds the errors kept
/// when a file repeats a key millions of times.
pub const MAX_REPEATS: usize = 1_000;

/// Where a key and its value sit in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeSpan {
    /// The key's bytes (quotes included), for values inside a mapping.
    pub key: Option<Span>,
    /// The value's bytes. Quoted scalars include their quotes; `key:` with no value has an
    /// empty span right after the colon.
    pub value: Span,
}

/// A loaded YAML document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YamlTree {
    /// The document as JSON (`null` for an empty document).
    pub value: Value,
    /// JSON Pointer (RFC 6901, `""` for the root) -> spans.
    pub spans: Spans,
    /// The source of every anchored node an alias refers to: an edit there changes the
    /// alias's value too.
    pub aliased: Vec<Span>,
    /// Where comments are.
    pub comments: Comments,
}

/// What loading a YAML text tells of its comments, which the parser passes over: a `#` that
/// starts a line (after blanks) starts a comment, unless the line is inside a scalar (a block
/// scalar's line, a quoted scalar's continuation). Suppression comments in front matter are
/// found with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    /// The scalars written over more than one line (quotes or `|`/`>` header included), in
    /// document order.
    pub multiline: Vec<Span>,
    /// The file offset the text was read to: past it (after an error) nothing is known.
    pub read: usize,
}

impl Comments {
    /// Whether a `#` at file offset `at`, the first character of its line but for blanks,
    /// starts a comment.
    #[must_use]
    pub fn starts_at(&self, at: usize) -> bool {
        // Scalars never overlap: only the last one starting before `at` can hold it.
        let before = self.multiline.partition_point(|s| s.start < at);
        at < self.read
            && before
                .checked_sub(1)
                .is_none_or(|i| self.multiline[i].end <= at)
    }

    /// Note the scalar at `span` (in the file) if it is written over several lines of `src`,
    /// the YAML text, whose first byte is at `base` in the file.
    pub(crate) fn scalar(&mut self, src: &str, base: usize, span: Span) {
        let bytes = src
            .as_bytes()
            .get(span.start - base..span.end - base)
            .unwrap_or_default();
        if memchr::memchr2(b'\n', b'\r', bytes).is_some() {
            self.multiline.push(span);
        }
    }
}

impl YamlTree {
    /// Spans of the node at `pointer`, or of its nearest ancestor that has spans (nodes copied
    /// from an alias are placed at the alias).
    #[must_use]
    pub fn locate<'p>(&self, pointer: &'p str) -> Option<(&'p str, NodeSpan)> {
        let mut p = pointer;
        loop {
            if let Some(span) = self.spans.get(p) {
                return Some((p, *span));
            }
            p = &p[..p.rfind('/')?];
        }
    }
}

/// Why a YAML document could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Not well-formed YAML.
    Syntax,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Alias expansion over [`ALIAS_NODE_LIMIT`] nodes or [`ALIAS_SIZE_LIMIT`] bytes.
    AliasLimit,
    /// More than [`MAX_VALUES`] values.
    TooManyValues,
    /// A key repeated in one mapping (this error's span); `first` is its first occurrence.
    DuplicateKey {
        /// The first occurrence of the key.
        first: Span,
    },
    /// Well-formed YAML that has no JSON equivalent (`.nan`, complex keys, huge integers,
    /// unsupported tags).
    Unrepresentable,
}

/// A YAML load failure with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// What kind of failure.
    pub kind: YamlErrorKind,
    /// Sentence-case message for writers.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where, in bytes of the whole file.
    pub span: Span,
    /// Further errors of the same kind, in document order: every repeat of a key after the
    /// first one (at most [`MAX_REPEATS`] in all). Empty for other kinds.
    pub others: Vec<YamlError>,
    /// Where comments are in the text read before the failure (none past it: a repeated key
    /// is found after the whole text is read, a syntax error where reading stops).
    pub comments: Box<Comments>,
}

/// Load `src` (the text between the front matter fences) whose first byte is at byte `base`
/// of the file, on its line `first_line` (1-based; messages that name a line use it).
///
/// # Errors
/// Returns the first problem found, placed in file coordinates.
pub fn load(src: &str, base: usize, first_line: usize) -> Result<YamlTree, YamlError> {
    load_with_limit(src, base, first_line, MAX_VALUES)
}

/// [`load`] without the limit on values, for the files a run is configured with (which are
/// the user's own, and may be large: a taxonomy of 100,000 terms is a valid one).
///
/// # Errors
/// As [`load`].
pub fn load_unbounded(src: &str, base: usize, first_line: usize) -> Result<YamlTree, YamlError> {
    load_with_limit(src, base, first_line, usize::MAX)
}

fn load_with_limit(
    src: &str,
    base: usize,
    first_line: usize,
    max_values: usize,
) -> Result<YamlTree, YamlError> {
    match fast::load(src, base, max_values) {
        Some(tree) => Ok(tree),
        None => general(src, base, first_line, max_values),
    }
}

/// [`load`] for the plain shape most front matter has (a flat mapping of one-line scalars,
/// lists and block scalars), without the general parser; `None` for anything else. Public for
/// the tests that compare it with [`load_general`].
#[must_use]
#[doc(hidden)]
pub fn load_simple(src: &str, base: usize) -> Option<YamlTree> {
    fast::load(src, base, MAX_VALUES)
}

/// [`load`] through saphyr's event parser, for any YAML: the reference the shortcut taken for
/// simple front matter must agree with.
///
/// # Errors
/// As [`load`].
#[doc(hidden)]
pub fn load_general(src: &str, base: usize, first_line: usize) -> Result<YamlTree, YamlError> {
    general(src, base, first_line, MAX_VALUES)
}

fn general(
    src: &str,
    base: usize,
    first_line: usize,
    max_values: usize,
) -> Result<YamlTree, YamlError> {
    let offsets = Offsets::new(src, base);
    let mut loader = Loader {
        offsets: &offsets,
        src,
        first_line,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: ALIAS_NODE_LIMIT,
        alias_bytes: ALIAS_SIZE_LIMIT,
        values: max_values,
        tree: YamlTree {
            value: Value::Null,
            spans: Spans::for_front_matter(),
            aliased: Vec::new(),
            comments: Comments::default(),
        },
        done: false,
        repeats: Repeats::default(),
    };
    for event in Parser::new_from_str(src) {
        let step = match event {
            Ok((ev, span)) => {
                let end = offsets.byte(span.end);
                loader.on_event(ev, span).map(|()| {
                    // The text up to an event is read: a `#` line before it is a comment
                    // unless a scalar holds it.
                    let read = &mut loader.tree.comments.read;
                    *read = (*read).max(end);
                })
            }
            Err(e) => Err(loader.scan_error(&e)),
        };
        if let Err(error) = step {
            // A repeated key came before this error: it is the first problem.
            let mut error = loader.repeated_keys().unwrap_or(error);
            error.comments = Box::new(loader.tree.comments);
            return Err(error);
        }
        if loader.done {
            break;
        }
    }
    loader.tree.spans.finish();
    loader.tree.comments.read = base + src.len();
    match loader.repeated_keys() {
        Some(mut error) => {
            error.comments = Box::new(loader.tree.comments);
            Err(error)
        }
        None => Ok(loader.tree),
    }
}

/// Character index -> byte offset in the file.
struct Offsets<'a> {
    src: &'a str,
    base: usize,
    /// `None` when the text is ASCII (char index == byte index); else the byte offset of every
    /// [`EVERY`]th character (a table of every character took 8 bytes per character).
    marks: Option<Vec<usize>>,
}

/// Characters between two marks of [`Offsets`]: a conversion walks over at most this many.
const EVERY: usize = 64;

impl<'a> Offsets<'a> {
    fn new(src: &'a str, base: usize) -> Self {
        let marks =
            (!src.is_ascii()).then(|| src.char_indices().step_by(EVERY).map(|(i, _)| i).collect());
        Self { src, base, marks }
    }

    fn byte(&self, m: Marker) -> usize {
        let i = m.index();
        self.base
            + match &self.marks {
                None => i,
                Some(marks) => marks.get(i / EVERY).map_or(self.src.len(), |&mark| {
                    self.src[mark..]
                        .char_indices()
                        .nth(i % EVERY)
                        .map_or(self.src.len(), |(at, _)| mark + at)
                }),
            }
    }

    fn span(&self, s: YSpan) -> Span {
        let start = self.byte(s.start);
        Span::new(start, self.byte(s.end).max(start))
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: String,
        start: Span,
        last_end: usize,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        pointer: String,
        start: Span,
        last_end: usize,
        anchor: usize,
        /// The key waiting for its value: (JSON key, key span).
        key: Option<(String, Span)>,
        /// Whether that key repeats one of the map's keys: its value is loaded under a pointer
        /// of its own (see [`Loader::child_pointer`]) so that its spans stay apart.
        repeat: bool,
    },
}

/// What an anchor names: a key's text, or the node at a pointer (found in the tree when an
/// alias names it, instead of a copy kept for every anchor: anchors nested 60 deep around a
/// large list made 60 copies of it).
enum Anchored {
    Key(String),
    Node(String),
}

struct Loader<'a> {
    offsets: &'a Offsets<'a>,
    src: &'a str,
    /// The file's line number of the first line of `src`.
    first_line: usize,
    stack: Vec<Frame>,
    /// Each anchor's node, and its span.
    anchors: HashMap<usize, (Anchored, Span)>,
    /// Values aliases may still copy ([`ALIAS_NODE_LIMIT`] at first)...
    alias_budget: usize,
    /// ... and bytes of text ([`ALIAS_SIZE_LIMIT`] at first).
    alias_bytes: usize,
    /// Values the document may still have (see [`MAX_VALUES`]).
    values: usize,
    tree: YamlTree,
    done: bool,
    /// Repeated keys: each is reported, and loading goes on after one.
    repeats: Repeats,
}

/// The repeated keys of a document, kept while it loads.
#[derive(Default)]
struct Repeats {
    /// Each key that repeats: its first occurrence's pointer, its text and how many times it
    /// is written in all.
    keys: Vec<(String, String, usize)>,
    /// Index in `keys` by first occurrence's pointer.
    index: HashMap<String, usize>,
    /// The repeats reported (at most [`MAX_REPEATS`]): index in `keys`, and span.
    reported: Vec<(usize, Span)>,
    /// Repeats past [`MAX_REPEATS`].
    unreported: usize,
    /// Repeats so far, for the pointers of their values.
    seen: usize,
}

impl Repeats {
    /// Note a repeat at `span` of the key `key` first written at `pointer`.
    fn add(&mut self, pointer: String, key: &str, span: Span) {
        self.seen += 1;
        if let Some(&k) = self.index.get(&pointer) {
            self.keys[k].2 += 1;
            if self.reported.len() < MAX_REPEATS {
                self.reported.push((k, span));
            } else {
                self.unreported += 1;
            }
        } else if self.reported.len() < MAX_REPEATS {
            // A key first repeated past the limit is only counted: nothing names it.
            self.index.insert(pointer.clone(), self.keys.len());
            self.reported.push((self.keys.len(), span));
            self.keys.push((pointer, key.to_owned(), 2));
        } else {
            self.unreported += 1;
        }
    }
}

fn escape_pointer(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

fn unescape_pointer(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// `parent/token` as a JSON Pointer, in one allocation (`token` already escaped).
fn child(parent: &str, token: &str) -> String {
    let mut p = String::with_capacity(parent.len() + 1 + token.len());
    p.push_str(parent);
    p.push('/');
    p.push_str(token);
    p
}

/// `n` in decimal, written into `buf` without the formatting machinery.
pub(crate) fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &str {
    // List indexes are nearly always one digit.
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if let Some(digit) = DIGITS.get(n) {
        return digit;
    }
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// The values in `v` and the bytes of text (strings and keys) they hold: what a copy of it
/// costs.
fn measure(v: &Value) -> (usize, usize) {
    // Iterative so that no shape of value can exhaust the stack.
    let (mut nodes, mut bytes) = (0, 0);
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        nodes += 1;
        match v {
            Value::Array(a) => todo.extend(a.iter()),
            Value::Object(o) => {
                bytes += o.keys().map(String::len).sum::<usize>();
                todo.extend(o.values());
            }
            Value::String(s) => bytes += s.len(),
            _ => {}
        }
    }
    (nodes, bytes)
}

impl Loader<'_> {
    fn scan_error(&self, e: &ScanError) -> YamlError {
        let at = self.offsets.byte(*e.marker());
        if e.info().contains("recursion limit") {
            // The scanner's own guard against deep flow nesting (`[[[[…`).
            return too_deep(Span::empty(at));
        }
        let base = self.offsets.base;
        let explained = explain::explain(e.info(), self.src, at - base, self.first_line);
        YamlError {
            kind: YamlErrorKind::Syntax,
            message: explained.message,
            help: explained.help,
            span: Span::new(base + explained.at.start, base + explained.at.end),
            others: Vec::new(),
            comments: Box::default(),
        }
    }

    fn byte_at(&self, file_offset: usize) -> Option<u8> {
        self.src
            .as_bytes()
            .get(file_offset.checked_sub(self.offsets.base)?)
            .copied()
    }

    /// The span of a quoted scalar: from its opening quote to just after its closing one.
    fn quoted_span(&self, span: Span) -> Span {
        let base = self.offsets.base;
        let Some(rest) = self.src.get(span.start - base..) else {
            return span;
        };
        let mut chars = rest.char_indices();
        let Some((_, quote)) = chars.next() else {
            return span;
        };
        if quote != '"' && quote != '\'' {
            return span;
        }
        while let Some((i, c)) = chars.next() {
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && rest[i + 1..].starts_with('\'') {
                    chars.next();
                    continue;
                }
                return Span::new(span.start, span.start + i + 1);
            }
        }
        span
    }

    /// The file offset of the `|` or `>` that opens the block scalar whose content starts at
    /// `content` (or `content` itself when no header is found): the header is the last line
    /// before the content that is not blank, and the indicator the first `|` or `>` on it
    /// followed only by indentation and chomping indicators, blanks and a comment.
    fn block_header(&self, content: usize) -> usize {
        let base = self.offsets.base;
        let Some(before) = content.checked_sub(base).and_then(|at| self.src.get(..at)) else {
            return content;
        };
        let before = before.trim_end_matches(|c: char| c.is_ascii_whitespace());
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = &before[line_start..];
        line.match_indices(['|', '>'])
            .find(|&(i, _)| {
                let rest = line[i + 1..]
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
                let blanks = rest.trim_start_matches([' ', '\t']);
                blanks.is_empty() || (blanks.starts_with('#') && blanks.len() < rest.len())
            })
            .map_or(content, |(i, _)| base + line_start + i)
    }

    /// Block scalars (`>` and `|`) end after their last line break: point at the text only.
    fn trim_trailing_space(&self, span: Span) -> Span {
        let base = self.offsets.base;
        let bytes = self.src.as_bytes();
        let mut end = span.end;
        while end > span.start
            && matches!(
                bytes.get(end - base - 1),
                Some(b' ' | b'\t' | b'\r' | b'\n')
            )
        {
            end -= 1;
        }
        Span::new(span.start, end)
    }

    /// The pointer a new child node gets, given the innermost open collection.
    fn child_pointer(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Seq { items, pointer, .. }) => {
                let mut digits = [0u8; 20];
                Some(child(pointer, decimal(items.len(), &mut digits)))
            }
            Some(Frame::Map {
                key: Some((k, _)),
                pointer,
                repeat,
                ..
            }) => {
                let pointer = child(pointer, &escape_pointer(k));
                // A repeat's value, and everything in it, goes under `#N` and the pointer:
                // no real pointer starts with `#`, so its spans never replace the first
                // value's. The tree is not returned (a repeat is an error).
                Some(if *repeat {
                    format!("#{}{pointer}", self.repeats.seen)
                } else {
                    pointer
                })
            }
            // A collection in key position: reported as unrepresentable by the caller.
            Some(Frame::Map { key: None, .. }) => None,
        }
    }

    /// The value anchor `id` names, and the anchored node's span.
    fn anchored(&self, id: usize) -> Option<(Cow<'_, Value>, Span)> {
        let (anchored, span) = self.anchors.get(&id)?;
        let value = match anchored {
            Anchored::Key(key) => Cow::Owned(Value::String(key.clone())),
            Anchored::Node(pointer) => Cow::Borrowed(self.resolve(pointer)?),
        };
        Some((value, *span))
    }

    /// The complete node at `pointer`: inside the innermost open collection that holds it, or
    /// in the finished document.
    fn resolve(&self, pointer: &str) -> Option<&Value> {
        for frame in self.stack.iter().rev() {
            let (Frame::Seq { pointer: at, .. } | Frame::Map { pointer: at, .. }) = frame;
            let Some(rest) = pointer.strip_prefix(at.as_str()) else {
                continue;
            };
            let Some(token) = rest.strip_prefix('/') else {
                continue;
            };
            let (token, tail) = token.find('/').map_or((token, ""), |i| token.split_at(i));
            let child = match frame {
                Frame::Seq { items, .. } => items.get(token.parse::<usize>().ok()?)?,
                Frame::Map { map, .. } => map.get(&*unescape_pointer(token))?,
            };
            return child.pointer(tail);
        }
        if self.stack.is_empty() {
            return self.tree.value.pointer(pointer);
        }
        // A repeated key's value is loaded under `#N` and its pointer; once complete, it
        // replaced the first value, at the pointer without the prefix.
        let (_, unprefixed) = pointer.strip_prefix('#')?.split_at(pointer.find('/')? - 1);
        self.resolve(unprefixed)
    }

    fn in_key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Count one more value, at `span`.
    fn count_value(&mut self, span: Span) -> Result<(), YamlError> {
        match self.values.checked_sub(1) {
            Some(left) => {
                self.values = left;
                Ok(())
            }
            None => Err(YamlError {
                kind: YamlErrorKind::TooManyValues,
                message: format!("Front matter has more than {MAX_VALUES} values"),
                help: Some(
                    "Front matter needs a few dozen values; this looks like generated or corrupted input"
                        .into(),
                ),
                span,
                others: Vec::new(),
                comments: Box::default(),
            }),
        }
    }

    fn on_event(&mut self, ev: Event<'_>, yspan: YSpan) -> Result<(), YamlError> {
        let span = self.offsets.span(yspan);
        match ev {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                self.count_value(Span::empty(span.start))?;
                let Some(pointer) = self.child_pointer() else {
                    return Err(complex_key(span));
                };
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        pointer,
                        start: span,
                        last_end: span.end,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        pointer,
                        start: span,
                        last_end: span.end,
                        anchor,
                        key: None,
                        repeat: false,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (value, pointer, start, last_end, anchor) = match frame {
                    Frame::Seq {
                        items,
                        pointer,
                        start,
                        last_end,
                        anchor,
                    } => (Value::Array(items), pointer, start, last_end, anchor),
                    Frame::Map {
                        map,
                        pointer,
                        start,
                        last_end,
                        anchor,
                        ..
                    } => (Value::Object(map), pointer, start, last_end, anchor),
                };
                // Flow collections end at their closing bracket; block ones at their last child.
                // saphyr's end span can run on over a trailing comment: stop at the bracket.
                let closing = self.byte_at(span.start);
                let end = if matches!(closing, Some(b']' | b'}')) {
                    span.start + 1
                } else {
                    last_end
                };
                let whole = Span::new(start.start, end.max(start.start));
                self.insert(value, whole, pointer, anchor)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let span = match style {
                    // saphyr's span of a quoted scalar can run on over a trailing comment.
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => self.quoted_span(span),
                    // saphyr's span of a block scalar starts at its content: take in the
                    // `|`/`>` header, so an edit of the value replaces all of it.
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        let content = self.trim_trailing_space(span);
                        Span::new(self.block_header(content.start), content.end)
                    }
                    _ => self.trim_trailing_space(span),
                };
                self.tree.comments.scalar(self.src, self.offsets.base, span);
                let value = scalar(&text, style, tag.as_ref(), span)?;
                if self.in_key_position() {
                    let key = match &value {
                        Value::String(s) => s.clone(),
                        Value::Null => String::from("null"),
                        other => other.to_string(),
                    };
                    if anchor > 0 {
                        self.anchors
                            .insert(anchor, (Anchored::Key(key.clone()), span));
                    }
                    self.set_key(key, span)?;
                } else {
                    self.count_value(span)?;
                    let Some(pointer) = self.child_pointer() else {
                        return Err(complex_key(span));
                    };
                    self.insert(value, span, pointer, anchor)?;
                }
            }
            Event::Alias(id) => {
                let unknown = || YamlError {
                    kind: YamlErrorKind::Syntax,
                    message: "Alias refers to an unknown anchor".into(),
                    help: None,
                    span,
                    others: Vec::new(),
                    comments: Box::default(),
                };
                let (nodes, bytes) = measure(&self.anchored(id).ok_or_else(unknown)?.0);
                let over = if nodes > self.alias_budget {
                    Some(format!("{ALIAS_NODE_LIMIT} values"))
                } else if bytes > self.alias_bytes {
                    Some(format!("{} MiB of text", ALIAS_SIZE_LIMIT >> 20))
                } else {
                    None
                };
                if let Some(over) = over {
                    return Err(YamlError {
                        kind: YamlErrorKind::AliasLimit,
                        message: format!(
                            "Aliases expand to more than {over} (a possible billion-laughs attack)"
                        ),
                        help: Some("Write the values out instead of nesting aliases".into()),
                        span,
                        others: Vec::new(),
                        comments: Box::default(),
                    });
                }
                self.alias_budget -= nodes;
                self.alias_bytes -= bytes;
                let (value, anchored) = self.anchored(id).ok_or_else(unknown)?;
                let value = value.into_owned();
                self.tree.aliased.push(anchored);
                if self.in_key_position() {
                    let key = match value {
                        Value::String(s) => s,
                        _ => return Err(complex_key(span)),
                    };
                    self.set_key(key, span)?;
                } else {
                    self.count_value(span)?;
                    let Some(pointer) = self.child_pointer() else {
                        return Err(complex_key(span));
                    };
                    self.insert(value, span, pointer, 0)?;
                }
            }
            Event::DocumentEnd => {
                if self.stack.is_empty() {
                    self.done = true;
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {}
        }
        Ok(())
    }

    fn set_key(&mut self, key: String, span: Span) -> Result<(), YamlError> {
        if let Some(Frame::Map {
            map,
            pointer,
            key: slot,
            last_end,
            repeat,
            ..
        }) = self.stack.last_mut()
        {
            // Keys get their value before the next key comes: the keys seen so far are the
            // map's keys.
            *repeat = map.contains_key(&key);
            if *repeat {
                self.repeats
                    .add(child(pointer, &escape_pointer(&key)), &key, span);
            }
            *slot = Some((key, span));
            *last_end = span.end;
        }
        Ok(())
    }

    /// The error for the repeated keys found, if any: the first repeat, with the others.
    fn repeated_keys(&mut self) -> Option<YamlError> {
        let repeats = std::mem::take(&mut self.repeats);
        if repeats.reported.is_empty() {
            return None;
        }
        self.tree.spans.finish();
        let last = repeats.reported.len() - 1;
        let mut errors = repeats.reported.iter().enumerate().map(|(n, &(k, span))| {
            let (pointer, key, count) = &repeats.keys[k];
            // The first occurrence's spans are recorded under its own pointer.
            let first = self
                .tree
                .spans
                .get(pointer)
                .and_then(|s| s.key)
                .unwrap_or(span);
            let times = match count {
                2 => "twice".to_string(),
                n => format!("{n} times"),
            };
            let mut message = format!("Key `{key}` appears {times} in the same mapping");
            if n == last && repeats.unreported > 0 {
                message.push_str(&format!(
                    " ({} more repeated keys after this one are not listed)",
                    repeats.unreported
                ));
            }
            YamlError {
                kind: YamlErrorKind::DuplicateKey { first },
                message,
                help: Some("Keep one of them: only one value can be used".into()),
                span,
                others: Vec::new(),
                comments: Box::default(),
            }
        });
        let mut error = errors.next()?;
        error.others = errors.collect();
        Some(error)
    }

    fn insert(
        &mut self,
        value: Value,
        span: Span,
        pointer: String,
        anchor: usize,
    ) -> Result<(), YamlError> {
        if anchor > 0 {
            self.anchors
                .insert(anchor, (Anchored::Node(pointer.clone()), span));
        }
        match self.stack.last_mut() {
            None => {
                self.tree.spans.insert(
                    &[&pointer],
                    NodeSpan {
                        key: None,
                        value: span,
                    },
                );
                self.tree.value = value;
            }
            Some(Frame::Seq {
                items, last_end, ..
            }) => {
                items.push(value);
                *last_end = (*last_end).max(span.end);
                self.tree.spans.insert(
                    &[&pointer],
                    NodeSpan {
                        key: None,
                        value: span,
                    },
                );
            }
            Some(Frame::Map {
                map, key, last_end, ..
            }) => {
                let Some((k, key_span)) = key.take() else {
                    return Err(complex_key(span));
                };
                map.insert(k, value);
                *last_end = (*last_end).max(span.end);
                self.tree.spans.insert(
                    &[&pointer],
                    NodeSpan {
                        key: Some(key_span),
                        value: span,
                    },
                );
            }
        }
        Ok(())
    }
}

/// The JSON value of a scalar, typed as YAML 1.2's core schema types it (saphyr's rules).
fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
    span: Span,
) -> Result<Value, YamlError> {
    let Some(scalar) = Scalar::parse_from_cow_and_metadata(Cow::Borrowed(text), style, tag) else {
        let tag = tag.map_or_else(String::new, |t| {
            if t.is_yaml_core_schema() {
                format!("!!{}", t.suffix)
            } else {
                t.to_string()
            }
        });
        return Err(YamlError {
            kind: YamlErrorKind::Unrepresentable,
            message: format!("`{text}` cannot be read as a `{tag}` value"),
            help: Some("Remove the tag or quote the value".into()),
            span,
            others: Vec::new(),
            comments: Box::default(),
        });
    };
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::from(i),
        Scalar::FloatingPoint(f) => {
            let f = f.into_inner();
            if !f.is_finite() {
                return Err(YamlError {
                    kind: YamlErrorKind::Unrepresentable,
                    message: format!("`{text}` is not a finite number"),
                    help: Some("Quote the value if it is meant as text".into()),
                    span,
                    others: Vec::new(),
                    comments: Box::default(),
                });
            }
            let digits = text.trim_start_matches(['+', '-']);
            if digits.len() > 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(YamlError {
                    kind: YamlErrorKind::Unrepresentable,
                    message: format!("Integer `{text}` is too large to be read exactly"),
                    help: Some("Quote the value if it is meant as text".into()),
                    span,
                    others: Vec::new(),
                    comments: Box::default(),
                });
            }
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        Scalar::String(s) => Value::String(s.into_owned()),
    })
}

fn too_deep(span: Span) -> YamlError {
    YamlError {
        kind: YamlErrorKind::TooDeep,
        message: format!("Front matter is nested more than {MAX_DEPTH} levels deep"),
        help: Some(
            "Front matter needs only a few levels of lists and mappings; this looks like generated or corrupted input"
                .into(),
        ),
        span,
        others: Vec::new(),
        comments: Box::default(),
    }
}

fn complex_key(span: Span) -> YamlError {
    YamlError {
        kind: YamlErrorKind::Unrepresentable,
        message: "Only plain text keys are supported in front matter".into(),
        help: Some("Use a simple `key: value` line".into()),
        span,
        others: Vec::new(),
        comments: Box::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_indices_are_written_in_decimal() {
        for n in [0, 7, 10, 12_345, usize::MAX] {
            let mut buf = [0u8; 20];
            assert_eq!(decimal(n, &mut buf), n.to_string());
        }
        assert_eq!(child("/a~1b", "10"), "/a~1b/10");
    }

    #[test]
    fn spans_of_keys_and_values_are_in_file_bytes() {
        let src = "title: Mix\nstage:\n  - mixing\n  - \"mastering\"\n";
        let tree = load(src, 100, 1).unwrap();
        assert_eq!(tree.value["stage"][1], "mastering");
        let title = tree.spans["/title"];
        assert_eq!(title.key, Some(Span::new(100, 105)));
        assert_eq!(title.value, Span::new(107, 110));
        let quoted = tree.spans["/stage/1"].value;
        assert_eq!(&src[quoted.start - 100..quoted.end - 100], "\"mastering\"");
    }

    #[test]
    fn marks_every_few_characters_give_each_character_its_byte() {
        let src: String = (0..300).map(|i| ['a', 'é', '€', '🎛'][i % 7 % 4]).collect();
        let offsets = Offsets::new(&src, 7);
        let mut table: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        table.extend([src.len(); 3]);
        for (index, byte) in table.into_iter().enumerate() {
            let marker = Marker::new(index, 1, index);
            assert_eq!(offsets.byte(marker), 7 + byte, "{index}");
        }
    }

    #[test]
    fn non_ascii_markers_become_byte_offsets() {
        let src = "title: Café crème\nlevel: x\n";
        let tree = load(src, 0, 1).unwrap();
        let level = tree.spans["/level"].value;
        assert_eq!(&src[level.start..level.end], "x");
    }

    #[test]
    fn spans_stop_before_trailing_comments() {
        for (src, pointer, expected) in [
            (
                "a:\n  - \"tracking\"   # c\n  - x\n",
                "/a/0",
                "\"tracking\"",
            ),
            ("a: 'it''s'  # c\nb: 1\n", "/a", "'it''s'"),
            ("a: \"x \\\" y\" # c\n", "/a", "\"x \\\" y\""),
            ("a: [\"x\" , 'y' ]  # c\n", "/a", "[\"x\" , 'y' ]"),
            ("a: {k: v}  # c\n", "/a", "{k: v}"),
            ("a: plain words   # c\nb: 1\n", "/a", "plain words"),
            ("a: \"two\n  lines\"  # c\n", "/a", "\"two\n  lines\""),
        ] {
            let tree = load(src, 0, 1).unwrap();
            let span = tree.spans[pointer].value;
            assert_eq!(&src[span.start..span.end], expected, "{src:?}");
        }
    }

    #[test]
    fn empty_value_is_null_with_an_empty_span() {
        let src = "yt_video:\ntitle: a\n";
        let tree = load(src, 0, 1).unwrap();
        assert!(tree.value["yt_video"].is_null());
        assert!(tree.spans["/yt_video"].value.is_empty());
    }

    #[test]
    fn duplicate_keys_report_both_positions() {
        let src = "title: a\nstage: [x]\ntitle: b\n";
        let err = load(src, 0, 1).unwrap_err();
        assert_eq!(
            err.kind,
            YamlErrorKind::DuplicateKey {
                first: Span::new(0, 5)
            }
        );
        assert_eq!(err.span, Span::new(20, 25));
    }

    #[test]
    fn repeats_past_the_limit_are_counted_not_listed() {
        let src = "a: 1\nb: 2\n".repeat(MAX_REPEATS + 500);
        let err = load(&src, 0, 1).unwrap_err();
        assert_eq!(
            err.kind,
            YamlErrorKind::DuplicateKey {
                first: Span::new(0, 1)
            }
        );
        assert_eq!(err.span, Span::new(10, 11));
        assert_eq!(err.others.len(), MAX_REPEATS - 1);
        let n = MAX_REPEATS + 500;
        assert_eq!(
            err.message,
            format!("Key `a` appears {n} times in the same mapping")
        );
        let last = err.others.last().unwrap();
        // 2 × (n − 1) repeats in all, MAX_REPEATS listed.
        let more = 2 * (n - 1) - MAX_REPEATS;
        assert_eq!(
            last.message,
            format!(
                "Key `b` appears {n} times in the same mapping ({more} more repeated keys after this one are not listed)"
            )
        );
        assert_eq!(
            last.kind,
            YamlErrorKind::DuplicateKey {
                first: Span::new(5, 6)
            }
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = format!("a: {}x{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = load(&src, 0, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::TooDeep);
        let block = "- ".repeat(10_000) + "x";
        assert_eq!(load(&block, 0, 1).unwrap_err().kind, YamlErrorKind::TooDeep);
    }

    #[test]
    fn billion_laughs_hits_the_alias_limit() {
        let mut src = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            src.push_str(&format!("{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = n;
        }
        assert_eq!(
            load(&src, 0, 1).unwrap_err().kind,
            YamlErrorKind::AliasLimit
        );
    }

    #[test]
    fn aliases_of_a_large_value_stop_at_the_size_limit() {
        // A megabyte anchored once and named by 20 aliases: few values, but 20 MiB of copies.
        let mut src = format!("big: &a {}\nmore:\n", "x".repeat(1 << 20));
        let mut aliases = Vec::new();
        for _ in 0..20 {
            src.push_str("  - ");
            aliases.push(100 + src.len());
            src.push_str("*a\n");
        }
        let err = load(&src, 100, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::AliasLimit);
        // Ten copies make 10 MiB: the eleventh goes over.
        let at = aliases[ALIAS_SIZE_LIMIT / (1 << 20)];
        assert_eq!(err.span, Span::new(at, at + 2), "{}", err.message);
        assert!(err.message.contains("10 MiB"), "{}", err.message);
        // Up to the limit, aliases are copied.
        let ten = &src[..aliases[10] - 100 - "  - ".len()];
        let tree = load(ten, 100, 1).unwrap();
        assert_eq!(tree.value["more"].as_array().unwrap().len(), 10);
    }

    #[test]
    fn front_matter_of_too_many_values_is_refused_at_the_first_one_over() {
        // The root mapping and one value per key: the last key's value is one too many. Flat,
        // as the shortcut reads it, and in a flow list, as only the general loader does.
        let keys: String = (0..MAX_VALUES).map(|i| format!("k{i}: 1\n")).collect();
        let list = format!("a: [{}]\n", "1, ".repeat(MAX_VALUES - 2) + "1");
        for (src, last) in [(&keys, keys.len() - 2), (&list, list.len() - 3)] {
            let err = load(src, 10, 1).unwrap_err();
            assert_eq!(err.kind, YamlErrorKind::TooManyValues);
            assert_eq!(err.span, Span::new(10 + last, 11 + last));
            // One value fewer loads, and any number without the limit.
            let fewer = &src[..src[..src.len() - 1].rfind(['\n', ',']).unwrap()];
            let fewer = format!("{fewer}{}\n", if src == &list { "]" } else { "" });
            assert!(load(&fewer, 10, 1).is_ok());
            assert!(load_unbounded(src, 10, 1).is_ok());
        }
    }

    #[test]
    fn aliases_copy_the_anchored_node_wherever_it_is() {
        for (src, expected) in [
            // In the open root mapping, in an open list, in a finished nested node.
            ("a: &x 1\nb: *x\n", r#"{"a": 1, "b": 1}"#),
            ("a: [&x [1, 2], *x]\n", r#"{"a": [[1, 2], [1, 2]]}"#),
            (
                "a: {b: [0, &x {c: d}]}\ne: *x\n",
                r#"{"a": {"b": [0, {"c": "d"}]}, "e": {"c": "d"}}"#,
            ),
            // Keys a pointer escapes, and an anchored key.
            (
                "a/b: {c~d: &x [1]}\ne: *x\n&k f: 2\ng: *k\n",
                r#"{"a/b": {"c~d": [1]}, "e": [1], "f": 2, "g": "f"}"#,
            ),
            // Anchors nested around one list: each alias copies its own.
            (
                "a: &x [&y [&z [1]]]\nb: [*z, *y, *x]\n",
                r#"{"a": [[[1]]], "b": [[1], [[1]], [[[1]]]]}"#,
            ),
            // An anchor named again names the later node.
            ("a: &x 1\nb: &x 2\nc: *x\n", r#"{"a": 1, "b": 2, "c": 2}"#),
        ] {
            let tree = load_general(src, 0, 1).unwrap();
            let expected: Value = serde_json::from_str(expected).unwrap();
            assert_eq!(tree.value, expected, "{src}");
        }
        // Inside a repeated key's value (an error in the end), open and finished.
        let src = "a: 1\na: {b: &x [1], c: *x}\nd: *x\n";
        let err = load_general(src, 0, 1).unwrap_err();
        assert!(matches!(err.kind, YamlErrorKind::DuplicateKey { .. }));
        assert_eq!(err.others, []);
    }

    #[test]
    fn nan_and_huge_integers_are_reported() {
        assert_eq!(
            load("a: .nan\n", 0, 1).unwrap_err().kind,
            YamlErrorKind::Unrepresentable
        );
        let huge = "a: 123456789012345678901234567890\n";
        assert_eq!(
            load(huge, 0, 1).unwrap_err().kind,
            YamlErrorKind::Unrepresentable
        );
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = load("title: \"unterminated\nstage: x\n", 10, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::Syntax);
        assert!(err.span.start >= 10);
    }

    #[test]
    fn a_tab_is_reported_at_the_tab_itself() {
        // Each input with the byte offset of the tab meant.
        for (src, tab) in [
            // Indentation of the next key, after a plain scalar (was reported at `A`).
            ("title: A\n\tstage: x\n", 9),
            // A tab inside the value is text: the one in the indentation is meant.
            ("title: A\tB\n\tstage: x\n", 11),
            ("title: A\nstage:\n  - x\n\t- all\n", 22),
            ("a:\n  - x\n \t- y\n", 10),
            // Indentation of a list item or a key (was reported one column after the tab).
            ("genre:\n\t- all\nstage: [mixing]\n", 7),
            ("genre:\n\t\t- all\n", 7),
            ("a:\n\tb: 1\n", 3),
            // After a colon, and at the start of a block scalar's content.
            ("yt_video:\tnone\ngenre:\n  - all\n", 9),
            ("a: |\n\tx\n", 5),
        ] {
            assert_eq!(src.as_bytes()[tab], b'\t', "{src:?}");
            let err = load(src, 10, 1).unwrap_err();
            assert_eq!(err.kind, YamlErrorKind::Syntax, "{src:?}");
            assert_eq!(err.span, Span::new(10 + tab, 11 + tab), "{src:?}: {err:?}");
            assert!(err.message.starts_with("Tab"), "{src:?}: {}", err.message);
        }
    }

    #[test]
    fn an_invalid_escape_is_named_at_its_position() {
        // Each input with the escape meant and a word the message must hold.
        for (src, escape, word) in [
            ("title: \"\\q\"\n", "\\q", "Unknown escape `\\q`"),
            (
                "title: \"\\uD800\"\n",
                "\\uD800",
                "`\\uD800` is not a Unicode character",
            ),
            (
                "title: \"\\U00110000\"\n",
                "\\U00110000",
                "not a Unicode character",
            ),
            (
                "title: \"ok \\\" \\u12 x\"\n",
                "\\u12",
                "4 hexadecimal digits",
            ),
            ("title: \"a\\xZ\"\n", "\\x", "2 hexadecimal digits"),
            (
                "title: \"two\n  lines \\é\"\n",
                "\\é",
                "Unknown escape `\\é`",
            ),
            ("a: [\"\\n\", \"\\%\"]\n", "\\%", "Unknown escape"),
        ] {
            let err = load(src, 10, 1).unwrap_err();
            assert_eq!(err.kind, YamlErrorKind::Syntax, "{src:?}");
            let at = src.find(escape).unwrap() + 10;
            assert_eq!(
                err.span,
                Span::new(at, at + escape.len()),
                "{src:?}: {err:?}"
            );
            assert!(err.message.contains(word), "{src:?}: {}", err.message);
            assert!(!err.message.contains("not closed"), "{src:?}");
        }
    }

    #[test]
    fn locate_falls_back_to_the_nearest_ancestor() {
        let tree = load("a: &x [1, 2]\nb: *x\n", 0, 1).unwrap();
        let (p, span) = tree.locate("/b/1").unwrap();
        assert_eq!(p, "/b");
        assert_eq!(span.value, Span::new(16, 18));
    }

    #[test]
    fn a_block_scalar_spans_its_header_and_content() {
        let src = "a>b: |+2 # note\n\n    Mixing\n    more\nc:\n  - >-\n    x\n  - |\nd: 1\n";
        let tree = load(src, 10, 1).unwrap();
        let at = |pointer: &str| {
            let s = tree.spans[pointer].value;
            &src[s.start - 10..s.end - 10]
        };
        assert_eq!(at("/a>b"), "|+2 # note\n\n    Mixing\n    more");
        assert_eq!(at("/c/0"), ">-\n    x");
        assert!(at("/c/1").starts_with('|'), "{:?}", at("/c/1"));
        assert_eq!(tree.value["c"][1], "");
    }
}
