//! Byte spans into a whole file and the conversion to human positions.
//!
//! Every position inside guidelint is a [`Span`]: a half-open range of **byte offsets into the
//! whole file** (BOM and front matter included). Lines and columns are computed from them by
//! [`LineIndex`], once per finding, while the file's text is at hand. Keeping one unit everywhere avoids the classic bug of
//! front-matter linters whose line numbers are off by the length of the front matter.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the whole file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte, 0-based, inclusive.
    pub start: usize,
    /// One past the last byte, 0-based, exclusive.
    pub end: usize,
}

impl Span {
    /// A span from `start` (inclusive) to `end` (exclusive), both byte offsets.
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub const fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// Length in bytes.
    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The same span moved `delta` bytes to the right.
    #[must_use]
    pub const fn shift(self, delta: usize) -> Self {
        Self::new(self.start + delta, self.end + delta)
    }
}

/// A position as people read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (characters), not bytes. A UTF-8 BOM
    /// at the start of the file is not counted.
    pub column: usize,
}

/// The offset after each line ending of `bytes`: `\n`, `\r\n` (one ending) and a `\r` that no
/// `\n` follows.
pub fn line_breaks(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    // Most files have no carriage return, or only before line feeds: one search, not two.
    let lone_cr = memchr::memchr(b'\r', bytes).is_some();
    let searched: Box<dyn Iterator<Item = usize>> = if lone_cr {
        Box::new(memchr::memchr2_iter(b'\n', b'\r', bytes))
    } else {
        Box::new(memchr::memchr_iter(b'\n', bytes))
    };
    searched
        .filter(move |&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
        .map(|i| i + 1)
}

/// Line starts of one file, for turning byte offsets into [`LineCol`].
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line. Lines end at `\n`, `\r\n` or a `\r` alone,
    /// as in CommonMark and YAML (mixed endings are fine).
    starts: Vec<usize>,
    /// Length of a leading BOM (0 or 3), skipped when counting columns on line 1.
    bom: usize,
    /// The text is ASCII: a column is a byte count (no need to count characters along a line,
    /// which can be megabytes long).
    ascii: bool,
}

impl LineIndex {
    /// Index the line starts of `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(line_breaks(text.as_bytes()));
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self {
            starts,
            bom,
            ascii: text.is_ascii(),
        }
    }

    /// Whether the whole text is ASCII.
    #[must_use]
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// Release the spare capacity reserved while indexing (for indexes kept after a check).
    pub fn shrink_to_fit(&mut self) {
        self.starts.shrink_to_fit();
    }

    /// The line and column of byte `offset` in `text` (the text this index was built from).
    /// Offsets past the end or inside a character are clamped to a valid position.
    #[must_use]
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let mut start = self.starts[line];
        if line == 0 {
            start = start.max(self.bom.min(offset));
        }
        // An offset inside a character (the lossy copy of a non-UTF-8 file) counts that
        // character as passed.
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let column = if self.ascii {
            end - start
        } else {
            text[start..end].chars().count()
        } + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte range of the 1-based line `line`, without its line ending.
    #[must_use]
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&next| next);
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        Span::new(start, start + content.len())
    }

    /// The whole lines around `span` in a text of `len` bytes: from `before` lines above its
    /// first line to `after` lines below its last (line endings included), and the 0-based
    /// number of the first of them. Found by binary search, whatever the size of the text.
    #[must_use]
    pub fn lines_around(
        &self,
        len: usize,
        span: Span,
        before: usize,
        after: usize,
    ) -> (usize, Span) {
        let line_of = |offset: usize| self.starts.partition_point(|&s| s <= offset.min(len)) - 1;
        let first = line_of(span.start).saturating_sub(before);
        let last = line_of(span.end.saturating_sub(1).max(span.start)).saturating_add(after);
        let start = self.starts[first];
        let end = self
            .starts
            .get(last.saturating_add(1))
            .map_or(len, |&next| next);
        (first, Span::new(start, end.max(start)))
    }

    /// Byte offset of the start of each line, in order.
    #[must_use]
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// Number of lines.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_ascii_text_are_byte_counts_and_the_same_as_counting_characters() {
        let ascii = "ab\r\n\tcd\n\nlast";
        // The same layout with a two-byte character, whose columns are counted.
        let other = "\u{e9}b\r\n\tcd\n\nlast";
        let (a, o) = (LineIndex::new(ascii), LineIndex::new(other));
        assert!(a.ascii && !o.ascii);
        for at in 0..=ascii.len() {
            let shifted = if at == 0 { 0 } else { at + 1 };
            assert_eq!(a.line_col(ascii, at), o.line_col(other, shifted), "at {at}");
        }
    }

    #[test]
    fn the_line_around_an_offset_is_the_one_a_scan_for_line_feeds_finds() {
        for text in ["", "a", "\n", "ab\ncd\r\n\nef", "x\n\n"] {
            let index = LineIndex::new(text);
            let bytes = text.as_bytes();
            for at in 0..=text.len() {
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let next = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(text.len(), |i| at + i + 1);
                let (_, line) = index.lines_around(text.len(), Span::empty(at), 0, 0);
                assert_eq!((line.start, line.end), (start, next), "{text:?} at {at}");
            }
        }
    }

    #[test]
    fn lines_around_a_span_are_whole_lines() {
        let text = "zero\none\ntwo\nthree\nfour";
        let index = LineIndex::new(text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            Span::new(start, start + needle.len())
        };
        let slice = |(first, s): (usize, Span)| (first, &text[s.start..s.end]);
        assert_eq!(
            slice(index.lines_around(text.len(), at("two"), 0, 0)),
            (2, "two\n")
        );
        assert_eq!(
            slice(index.lines_around(text.len(), at("two"), 1, 1)),
            (1, "one\ntwo\nthree\n")
        );
        // A span over a line break takes both lines; the context stops at the text's ends.
        assert_eq!(
            slice(index.lines_around(text.len(), at("three\nfour"), 9, 9)),
            (0, text)
        );
        // An empty span at the very end.
        assert_eq!(
            slice(index.lines_around(text.len(), Span::new(text.len(), text.len()), 0, 0)),
            (4, "four")
        );
    }

    #[test]
    fn columns_count_characters_and_skip_the_bom() {
        let text = "\u{feff}ab\né x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 4), LineCol { line: 1, column: 2 });
        // `x` sits after a two-byte `é` and a space.
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 3 });
        let last = text.find("last").unwrap();
        assert_eq!(index.line_col(text, last), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_span(text, 2), Span::new(6, 10));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "ab";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 99), LineCol { line: 1, column: 3 });
    }
}
