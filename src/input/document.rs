//! One Markdown article, parsed once: its text, its front matter and its headings.
//!
//! Front matter is cut out by hand (never with pulldown-cmark's metadata-block option, which
//! swallows `---` blocks in the body and misreads front matter after a BOM). The body alone is
//! handed to pulldown-cmark and every range is shifted back into file coordinates, so every
//! [`Span`] in a [`Document`] is a byte range of the whole file.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::base::span::{LineIndex, Span};
use crate::input::yaml::{self, YamlError, YamlTree};

mod fast;

/// Files larger than this are reported (`file-too-large`) and not read further.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Why a file's bytes could not be treated as an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceProblem {
    /// Not valid UTF-8: the byte offset of the first bad byte.
    InvalidUtf8 {
        /// First offending byte.
        offset: usize,
    },
    /// A NUL byte: binary content or UTF-16 text.
    NulByte {
        /// First NUL byte.
        offset: usize,
        /// Whether the file starts with a UTF-16 byte-order mark.
        utf16: bool,
    },
    /// Larger than [`MAX_FILE_SIZE`]; only its size is known.
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// Whether `size` is the whole size; if not, reading stopped there (standard input is
        /// not read past the limit, and a file can grow while it is read).
        exact: bool,
    },
}

/// The state of an article's front matter.
#[derive(Clone, Debug)]
pub enum FrontMatter {
    /// The file does not start with a `---` line.
    Missing,
    /// The file starts with a `+++` line (TOML front matter, not supported).
    Toml {
        /// The opening `+++` line.
        open: Span,
        /// The closing `+++` line, if there is one.
        close: Option<Span>,
    },
    /// A `---` line that no `---` or `...` line closes.
    Unclosed {
        /// The opening `---` line.
        open: Span,
    },
    /// A closed YAML block.
    Yaml(Box<YamlBlock>),
}

/// A closed front-matter block and its loaded content.
#[derive(Clone, Debug)]
pub struct YamlBlock {
    /// The opening `---` line, without its line ending.
    pub open: Span,
    /// The YAML text between the fences.
    pub content: Span,
    /// The closing `---` or `...` line, without its line ending.
    pub close: Span,
    /// The loaded YAML, or where and why it failed.
    pub tree: Result<YamlTree, YamlError>,
}

/// A heading's plain text (inline markup removed, no white space at either end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadingText {
    /// Written as is in the file: these bytes of it (most headings, kept without a copy).
    Source(Span),
    /// Made by inline parsing: markup removed, escapes and entities resolved, lines joined.
    Parsed(String),
}

/// A Markdown heading in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text: read it with [`Heading::text`] or [`Document::heading_text`].
    pub text: HeadingText,
    /// The heading's bytes: for ATX the `#` line, for setext the text and its underline, in
    /// both cases without the final line ending.
    pub span: Span,
    /// Whether it is a setext heading (underlined with `=` or `-`).
    pub setext: bool,
}

impl Heading {
    /// The heading's plain text; `source` is the text of the file it was found in.
    #[must_use]
    pub fn text<'a>(&'a self, source: &'a str) -> &'a str {
        match &self.text {
            HeadingText::Source(span) => source.get(span.start..span.end).unwrap_or(""),
            HeadingText::Parsed(text) => text,
        }
    }
}

/// An article, parsed once and shared by every rule.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file's text. For files with a [`SourceProblem`] this is a lossy rendering used only
    /// to show positions (or empty for files too large to read).
    pub text: String,
    /// Set when the bytes are not an article at all; nothing else is parsed then.
    pub problem: Option<SourceProblem>,
    /// Whether the text starts with a UTF-8 BOM.
    pub bom: bool,
    /// The front matter.
    pub front_matter: FrontMatter,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Headings of the body, in order. Empty when the front matter is unclosed, since the
    /// body cannot be told apart from the YAML then.
    pub headings: Vec<Heading>,
    /// Code blocks of the body (fenced or indented), fences included, in order (they never
    /// overlap).
    pub code_blocks: Vec<Span>,
    /// Raw HTML of the body that may hold a suppression comment (see [`Outline`]).
    pub comment_html: Vec<Span>,
    /// Line starts, for positions.
    pub lines: LineIndex,
}

/// What the Markdown parse of a body gives the checker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// The headings, in order.
    pub headings: Vec<Heading>,
    /// Code blocks (fenced or indented), fences included, in order.
    pub code_blocks: Vec<Span>,
    /// The raw HTML that holds `guidelint-`, in order: each inline HTML comment, and each line
    /// of an HTML block. Only there can a suppression comment be: text that merely looks like
    /// one (in a code span or block, a link's title, an attribute's value) is not raw HTML.
    pub comment_html: Vec<Span>,
}

impl Document {
    /// Parse raw file bytes.
    #[must_use]
    pub fn parse(bytes: Vec<u8>) -> Self {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
                let problem = match memchr::memchr(0, &bytes) {
                    Some(nul) if utf16 => SourceProblem::NulByte { offset: nul, utf16 },
                    _ => SourceProblem::InvalidUtf8 { offset },
                };
                return Self::unreadable(String::from_utf8_lossy(&bytes).into_owned(), problem);
            }
        };
        if let Some(offset) = memchr::memchr(0, text.as_bytes()) {
            return Self::unreadable(
                text,
                SourceProblem::NulByte {
                    offset,
                    utf16: false,
                },
            );
        }
        Self::parse_text(text)
    }

    /// A document for a file too large to read, of `size` bytes.
    #[must_use]
    pub fn too_large(size: u64) -> Self {
        Self::unreadable(String::new(), SourceProblem::TooLarge { size, exact: true })
    }

    /// A document for input too large to read, of which `read` bytes were read before
    /// reading stopped.
    #[must_use]
    pub fn too_large_after(read: u64) -> Self {
        Self::unreadable(
            String::new(),
            SourceProblem::TooLarge {
                size: read,
                exact: false,
            },
        )
    }

    fn unreadable(text: String, problem: SourceProblem) -> Self {
        let lines = LineIndex::new(&text);
        Self {
            text,
            problem: Some(problem),
            bom: false,
            front_matter: FrontMatter::Missing,
            body_start: 0,
            headings: Vec::new(),
            code_blocks: Vec::new(),
            comment_html: Vec::new(),
            lines,
        }
    }

    /// Parse valid UTF-8 text.
    #[must_use]
    pub fn parse_text(text: String) -> Self {
        let bom = text.starts_with('\u{feff}');
        let start = if bom { 3 } else { 0 };
        let (front_matter, body_start) = split_front_matter(&text, start);
        let unclosed = matches!(
            front_matter,
            FrontMatter::Unclosed { .. } | FrontMatter::Toml { close: None, .. }
        );
        let lines = LineIndex::new(&text);
        let outline = if unclosed {
            Outline::default()
        } else {
            outline(&text, body_start, lines.starts())
        };
        Self {
            text,
            problem: None,
            bom,
            front_matter,
            body_start,
            headings: outline.headings,
            code_blocks: outline.code_blocks,
            comment_html: outline.comment_html,
            lines,
        }
    }

    /// For each heading, the index of its parent: the nearest earlier heading of a lower
    /// level.
    #[must_use]
    pub fn heading_parents(&self) -> Vec<Option<usize>> {
        let mut stack: Vec<usize> = Vec::new();
        self.headings
            .iter()
            .enumerate()
            .map(|(i, h)| {
                while stack
                    .last()
                    .is_some_and(|&j| self.headings[j].level >= h.level)
                {
                    stack.pop();
                }
                let parent = stack.last().copied();
                stack.push(i);
                parent
            })
            .collect()
    }

    /// Whether byte `offset` is inside a code block.
    #[must_use]
    pub fn in_code(&self, offset: usize) -> bool {
        // The last block starting at or before `offset` is the only one that can hold it.
        let after = self.code_blocks.partition_point(|c| c.start <= offset);
        after > 0 && offset < self.code_blocks[after - 1].end
    }

    /// The loaded front matter, when it is a closed block of valid YAML.
    #[must_use]
    pub fn yaml(&self) -> Option<&YamlTree> {
        match &self.front_matter {
            FrontMatter::Yaml(block) => block.tree.as_ref().ok(),
            _ => None,
        }
    }

    /// The 1-based line and character column of byte `offset`.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> crate::base::span::LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// Lines, columns and text of `span`.
    #[must_use]
    pub fn locate(&self, span: Span) -> crate::base::diagnostic::Location {
        crate::base::diagnostic::Location::of(span, &self.text, &self.lines)
    }

    /// The text and line starts, borrowed.
    #[must_use]
    pub fn checked(&self) -> Checked<'_> {
        Checked {
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// Keep only what rendering findings needs, dropping the parsed front matter and outline.
    #[must_use]
    pub fn into_source(mut self) -> Source {
        self.lines.shrink_to_fit();
        Source {
            text: self.text,
            lines: self.lines,
        }
    }

    /// The plain text of one of this document's headings.
    #[must_use]
    pub fn heading_text<'a>(&'a self, heading: &'a Heading) -> &'a str {
        heading.text(&self.text)
    }

    /// The bytes of a span, for messages.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// A checked file's text and line starts: what rendering its findings needs, kept after the
/// parsed [`Document`] is dropped.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file's text (a lossy copy when it is not UTF-8).
    pub text: String,
    /// Line starts, for positions.
    pub lines: LineIndex,
}

/// A file's text and line starts, borrowed: from the [`Document`] just checked, or from a
/// kept [`Source`].
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    /// The text (a lossy copy when the file is not UTF-8).
    pub text: &'a str,
    /// Its line starts.
    pub lines: &'a LineIndex,
}

impl Source {
    /// The text and line starts, borrowed.
    #[must_use]
    pub fn checked(&self) -> Checked<'_> {
        Checked {
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// Index `text`.
    #[must_use]
    pub fn new(text: String) -> Self {
        let mut lines = LineIndex::new(&text);
        lines.shrink_to_fit();
        Self { text, lines }
    }

    /// The 1-based line and character column of byte `offset`.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> crate::base::span::LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The bytes of a span, for messages.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// One line of `text` starting at `start`: (content without line ending, offset after it).
/// A line ends at `\n`, `\r\n` or a `\r` alone.
fn line_at(text: &str, start: usize) -> (&str, usize) {
    let rest = &text[start..];
    match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
        Some(i) if rest.as_bytes()[i] == b'\r' && rest.as_bytes().get(i + 1) == Some(&b'\n') => {
            (&rest[..i], start + i + 2)
        }
        Some(i) => (&rest[..i], start + i + 1),
        None => (rest, text.len()),
    }
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.strip_prefix(fence)
        .is_some_and(|rest| rest.trim_end_matches([' ', '\t']).is_empty())
}

fn split_front_matter(text: &str, start: usize) -> (FrontMatter, usize) {
    let (first, after_first) = line_at(text, start);
    let open = Span::new(start, start + first.len());
    if is_fence(first, "+++") && after_first > start + first.len() {
        // The block is skipped, not read: the body (and its headings) starts after it.
        let mut pos = after_first;
        while pos < text.len() {
            let (line, next) = line_at(text, pos);
            if is_fence(line, "+++") {
                let close = Some(Span::new(pos, pos + line.len()));
                return (FrontMatter::Toml { open, close }, next);
            }
            pos = next;
        }
        return (FrontMatter::Toml { open, close: None }, after_first);
    }
    // An opening fence needs a line ending after it: a file that is just `---` is a
    // thematic break, not front matter.
    if !is_fence(first, "---") || after_first == start + first.len() {
        return (FrontMatter::Missing, start);
    }
    let mut pos = after_first;
    while pos < text.len() {
        let (line, next) = line_at(text, pos);
        if is_fence(line, "---") || is_fence(line, "...") {
            let content = Span::new(after_first, pos);
            let close = Span::new(pos, pos + line.len());
            let first_line =
                1 + crate::base::span::line_breaks(&text.as_bytes()[..content.start]).count();
            let tree = yaml::load(&text[content.start..content.end], content.start, first_line);
            let block = YamlBlock {
                open,
                content,
                close,
                tree,
            };
            return (FrontMatter::Yaml(Box::new(block)), next);
        }
        pos = next;
    }
    (FrontMatter::Unclosed { open }, after_first)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The outline of `text[body_start..]`: by the plain-article shortcut when it answers,
/// otherwise by pulldown-cmark.
fn outline(text: &str, body_start: usize, starts: &[usize]) -> Outline {
    outline_simple_in(text, body_start, starts).unwrap_or_else(|| outline_general(text, body_start))
}

fn outline_simple_in(text: &str, body_start: usize, starts: &[usize]) -> Option<Outline> {
    fast::outline(text, body_start, starts).map(|(headings, code_blocks)| Outline {
        headings,
        code_blocks,
        comment_html: Vec::new(),
    })
}

/// The plain-article shortcut alone: `None` when the body has anything but paragraphs, blank
/// lines, simple list items, plain ATX headings and fenced code blocks, or may hold a
/// suppression comment (for tests and benchmarks; [`Document::parse`] uses it). Where it
/// answers, the body has no raw HTML holding `guidelint-`.
#[must_use]
#[doc(hidden)]
pub fn outline_simple(text: &str, body_start: usize) -> Option<Outline> {
    outline_simple_in(text, body_start, LineIndex::new(text).starts())
}

/// The outline of `text[body_start..]` by pulldown-cmark: the reference the shortcut must
/// agree with.
#[must_use]
#[doc(hidden)]
pub fn outline_general(text: &str, body_start: usize) -> Outline {
    let body = &text[body_start..];
    // A `\r` alone ends a line in CommonMark, and pulldown-cmark reads it so, except after a
    // heading when heading attributes are on (it then takes the next line into the heading).
    // The parser reads a copy where each such `\r` is a `\n`: one byte for one, so every
    // offset is the same in both.
    let copy;
    let body = if has_lone_cr(body.as_bytes()) {
        copy = lone_cr_as_lf(body);
        copy.as_str()
    } else {
        body
    };
    let mut out = Vec::new();
    let mut code = Vec::new();
    let mut comment_html = Vec::new();
    // The heading being read and its text so far.
    let mut current: Option<(Heading, String)> = None;
    // Only the options that change what counts as a heading; never metadata blocks.
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let raw = &body[range.clone()];
                let trimmed = raw.trim_end_matches(['\n', '\r', ' ', '\t']);
                let setext = !raw.trim_start().starts_with('#');
                let heading = Heading {
                    level: level_number(level),
                    text: HeadingText::Parsed(String::new()),
                    span: Span::new(range.start, range.start + trimmed.len()).shift(body_start),
                    setext,
                };
                // Its text is at most about as long as its source: usually one allocation.
                current = Some((heading, String::with_capacity(trimmed.len())));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                code.push(Span::new(range.start, range.end).shift(body_start))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((mut h, mut parsed)) = current.take() {
                    // Trimmed in place: no second string per heading.
                    let end = parsed.trim_end().len();
                    parsed.truncate(end);
                    let start = parsed.len() - parsed.trim_start().len();
                    parsed.drain(..start);
                    h.text = as_written(text, &h, parsed);
                    out.push(h);
                }
            }
            Event::Html(t) if memchr::memmem::find(t.as_bytes(), b"guidelint-").is_some() => {
                comment_html.push(Span::new(range.start, range.end).shift(body_start));
            }
            Event::InlineHtml(t) => {
                if t.starts_with("<!--")
                    && memchr::memmem::find(t.as_bytes(), b"guidelint-").is_some()
                {
                    comment_html.push(Span::new(range.start, range.end).shift(body_start));
                }
                if let Some((_, parsed)) = current.as_mut() {
                    parsed.push_str(&t);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, parsed)) = current.as_mut() {
                    parsed.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, parsed)) = current.as_mut() {
                    parsed.push(' ');
                }
            }
            _ => {}
        }
    }
    Outline {
        headings: out,
        code_blocks: code,
        comment_html,
    }
}

/// Whether `bytes` has a `\r` that no `\n` follows.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// `text` with each `\r` that no `\n` follows replaced by `\n`.
fn lone_cr_as_lf(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        out.push(if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            b'\n'
        } else {
            b
        });
    }
    // One ASCII byte replaced by another: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A parsed heading text as the bytes of the file where it is written as is: right after the
/// heading's opening `#`s (or, for setext, its indentation) and any white space. This is how
/// the shortcut keeps every heading it reads, so both give the same [`Heading`].
fn as_written(text: &str, h: &Heading, parsed: String) -> HeadingText {
    let raw = text.get(h.span.start..h.span.end).unwrap_or("");
    let mut content = raw.trim_start();
    if !h.setext {
        content = content.trim_start_matches('#').trim_start();
    }
    if content.starts_with(parsed.as_str()) {
        let start = h.span.start + (raw.len() - content.len());
        HeadingText::Source(Span::new(start, start + parsed.len()))
    } else {
        HeadingText::Parsed(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(text.as_bytes().to_vec())
    }

    #[test]
    fn front_matter_with_bom_and_crlf() {
        let d = doc("\u{feff}--- \r\ntitle: A\r\n...\r\n# H\r\n");
        let FrontMatter::Yaml(block) = &d.front_matter else {
            panic!("expected YAML front matter");
        };
        assert_eq!(d.slice(block.open), "--- ");
        assert_eq!(d.slice(block.close), "...");
        assert_eq!(d.yaml().unwrap().value["title"], "A");
        assert_eq!(d.headings.len(), 1);
        assert_eq!(d.slice(d.headings[0].span), "# H");
    }

    #[test]
    fn lone_carriage_returns_end_lines_everywhere() {
        // In the body: two headings and a paragraph, as CommonMark reads them.
        let d = doc("---\ntitle: A\n---\n# A\r### B\rText.\r");
        let headings: Vec<(u8, &str, &str)> = d
            .headings
            .iter()
            .map(|h| (h.level, d.heading_text(h), d.slice(h.span)))
            .collect();
        assert_eq!(headings, [(1, "A", "# A"), (3, "B", "### B")]);
        assert_eq!(d.line_col(d.headings[1].span.start).line, 5);
        // The front matter's fences and lines too.
        let d = doc("---\rtitle: A\rstage: [mixing]\r---\r# H\rText.\r");
        let FrontMatter::Yaml(block) = &d.front_matter else {
            panic!("expected YAML front matter: {:?}", d.front_matter);
        };
        assert_eq!(d.slice(block.close), "---");
        assert_eq!(d.yaml().unwrap().value["stage"][0], "mixing");
        assert_eq!(d.headings.len(), 1);
        assert_eq!(d.line_col(d.headings[0].span.start).line, 5);
    }

    #[test]
    fn missing_unclosed_and_toml() {
        assert!(matches!(
            doc("# Title\n").front_matter,
            FrontMatter::Missing
        ));
        assert!(matches!(doc("---").front_matter, FrontMatter::Missing));
        assert!(matches!(
            doc("---\ntitle: a\n").front_matter,
            FrontMatter::Unclosed { .. }
        ));
        let toml = doc("+++\ntitle = 'a'\n# a TOML comment\n+++\n# Body\n");
        assert!(matches!(
            toml.front_matter,
            FrontMatter::Toml { close: Some(_), .. }
        ));
        // A TOML comment is not a heading; the body after the block is read.
        let texts: Vec<_> = toml.headings.iter().map(|h| toml.heading_text(h)).collect();
        assert_eq!(texts, ["Body"]);
        let unclosed = doc("+++\n#\n###\n");
        assert!(matches!(
            unclosed.front_matter,
            FrontMatter::Toml { close: None, .. }
        ));
        assert!(unclosed.headings.is_empty());
    }

    #[test]
    fn headings_in_fences_and_yaml_comments_are_not_headings() {
        let d = doc(
            "---\n# a comment\ntitle: x\n---\n```\n# not a heading\n```\nText\n====\n\n## Real `code`\n",
        );
        let texts: Vec<_> = d
            .headings
            .iter()
            .map(|h| (h.level, d.heading_text(h), h.setext))
            .collect();
        assert_eq!(texts, [(1, "Text", true), (2, "Real code", false)]);
        assert_eq!(d.slice(d.headings[0].span), "Text\n====");
    }

    #[test]
    fn a_dashed_block_in_the_body_is_not_front_matter() {
        let d = doc("---\ntitle: x\n---\nbody\n\n---\nnot: yaml\n---\n");
        assert_eq!(d.yaml().unwrap().value["title"], "x");
        // The second block is body text: a thematic break then a setext heading.
        assert_eq!(d.headings.len(), 1);
        assert!(d.headings[0].span.start > d.body_start);
    }

    #[test]
    fn bad_bytes_are_problems() {
        let d = Document::parse(b"ok\n\xff bad".to_vec());
        assert_eq!(d.problem, Some(SourceProblem::InvalidUtf8 { offset: 3 }));
        let d = Document::parse(b"a\0b".to_vec());
        assert_eq!(
            d.problem,
            Some(SourceProblem::NulByte {
                offset: 1,
                utf16: false
            })
        );
        let d = Document::parse(b"\xff\xfe#\0 \0".to_vec());
        assert!(matches!(
            d.problem,
            Some(SourceProblem::NulByte { utf16: true, .. })
        ));
    }
}
