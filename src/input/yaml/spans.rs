//! The spans of a loaded document's nodes, by JSON Pointer.
//!
//! Front matter has a dozen or two nodes and is looked up a few times per article, so a map with
//! one allocated key per node and a hashed lookup costs more than the loading around it. Here
//! the pointers sit one after another in one string and the entries in one vector: two
//! allocations per document. Up to [`SCAN_MAX`] entries a lookup scans them (comparing lengths
//! first, which tells nearly all pointers apart); beyond that they are sorted once and a lookup
//! is a binary search, so no input (the keys are article text) can make lookups slow.

use super::NodeSpan;

/// Most entries looked up by scanning; more are sorted for binary search.
const SCAN_MAX: usize = 32;

/// One node: its pointer (a range of [`Spans::names`]) and its spans.
#[derive(Clone, Copy, Debug)]
struct Entry {
    start: u32,
    end: u32,
    span: NodeSpan,
}

/// JSON Pointer (RFC 6901, `""` for the root) -> spans.
#[derive(Clone, Debug, Default)]
pub struct Spans {
    /// Every pointer, one after another.
    names: String,
    /// One per pointer once [`Spans::finish`] has run; sorted by pointer if there are more
    /// than [`SCAN_MAX`].
    entries: Vec<Entry>,
    /// Whether entries were added since the last [`Spans::finish`].
    unsorted: bool,
}

impl Spans {
    /// Room for a typical article's front matter.
    pub(crate) fn for_front_matter() -> Self {
        Self {
            names: String::with_capacity(256),
            entries: Vec::with_capacity(16),
            unsorted: false,
        }
    }

    /// Record the spans of the node whose pointer is the concatenation of `parts`. The loaders
    /// record each pointer once (a key given twice in one mapping is an error, and escaping
    /// keys into pointers is one-to-one); should one come twice, lookups find the later record.
    pub(crate) fn insert(&mut self, parts: &[&str], span: NodeSpan) {
        let start = self.names.len();
        for part in parts {
            self.names.push_str(part);
        }
        // Checked in debug builds of the crate's users (its own unit tests record a pointer
        // twice on purpose), over as many entries as real front matter has: no quadratic
        // check of a huge generated list.
        #[cfg(debug_assertions)]
        if cfg!(not(test)) && self.entries.len() <= SCAN_MAX {
            let pointer = &self.names[start..];
            debug_assert!(
                self.entries.iter().all(|e| self.name(e) != pointer),
                "{pointer:?} recorded twice"
            );
        }
        // Front matter is bounded far below 4 GiB (see `MAX_FILE_SIZE`); saturate anyway.
        let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.entries.push(Entry {
            start: offset(start),
            end: offset(self.names.len()),
            span,
        });
        self.unsorted = true;
    }

    /// Keep the last record of each pointer and, if there are many, sort them for lookups.
    /// Loaders call it once at the end.
    pub(crate) fn finish(&mut self) {
        if !self.unsorted {
            return;
        }
        self.unsorted = false;
        let names = &self.names;
        let name = |e: &Entry| names.get(e.start as usize..e.end as usize).unwrap_or("");
        if self.entries.len() <= SCAN_MAX {
            // Scanned from the latest record: nothing to do.
            return;
        }
        // Stable, so that of equal pointers the last recorded ends up last...
        self.entries.sort_by(|a, b| name(a).cmp(name(b)));
        // ...and its spans are the ones kept.
        self.entries.dedup_by(|later, kept| {
            let same = name(later) == name(kept);
            if same {
                kept.span = later.span;
            }
            same
        });
    }

    fn name(&self, e: &Entry) -> &str {
        self.names
            .get(e.start as usize..e.end as usize)
            .unwrap_or("")
    }

    /// The spans of the node at `pointer`.
    #[must_use]
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        if self.unsorted || self.entries.len() <= SCAN_MAX {
            // The latest record first: before `finish` (while loading) a pointer may have two.
            // Lengths, then last bytes (`/genre/0`, `/genre/1`), tell nearly all apart.
            let (want, names) = (pointer.as_bytes(), self.names.as_bytes());
            return self
                .entries
                .iter()
                .rev()
                .find(|e| {
                    let (start, end) = (e.start as usize, e.end as usize);
                    end - start == want.len()
                        && want
                            .last()
                            .is_none_or(|last| names.get(end - 1) == Some(last))
                        && names.get(start..end) == Some(want)
                })
                .map(|e| &e.span);
        }
        self.entries
            .binary_search_by(|e| self.name(e).cmp(pointer))
            .ok()
            .map(|i| &self.entries[i].span)
    }

    /// Every pointer and its spans, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpan)> {
        self.entries.iter().map(|e| (self.name(e), &e.span))
    }

    /// Every pointer, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// How many records there are: the number of nodes with spans.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no node has spans.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl std::ops::Index<&str> for Spans {
    type Output = NodeSpan;

    /// # Panics
    /// No node has `pointer`.
    fn index(&self, pointer: &str) -> &NodeSpan {
        self.get(pointer)
            .unwrap_or_else(|| panic!("no spans for {pointer:?}"))
    }
}

impl PartialEq for Spans {
    /// The same pointers with the same spans, however they were recorded.
    fn eq(&self, other: &Self) -> bool {
        fn sorted(s: &Spans) -> Vec<(&str, &NodeSpan)> {
            let mut all: Vec<_> = s.iter().collect();
            all.sort_unstable_by(|a, b| a.0.cmp(b.0));
            all
        }
        self.len() == other.len() && sorted(self) == sorted(other)
    }
}

#[cfg(test)]
mod tests {
    use super::{NodeSpan, Spans};
    use crate::base::span::Span;

    fn at(n: usize) -> NodeSpan {
        NodeSpan {
            key: None,
            value: Span::empty(n),
        }
    }

    #[test]
    fn lookups_find_each_pointer_few_or_many() {
        // A few (scanned) and many (sorted, then searched).
        for n in [6, super::SCAN_MAX - 1, super::SCAN_MAX, 1000] {
            let mut spans = Spans::default();
            for i in (0..n).rev() {
                spans.insert(&["/tags/", &i.to_string()], at(i));
            }
            spans.insert(&[""], at(9999));
            spans.finish();
            assert_eq!(spans.len(), n + 1, "{n}");
            for i in 0..n {
                assert_eq!(spans[&format!("/tags/{i}")], at(i), "{n}");
            }
            assert_eq!(spans[""], at(9999), "{n}");
            for absent in [
                "/tags",
                "/tags/",
                &format!("/tags/{n}"),
                "/tag/0",
                "/tags/01",
            ] {
                assert_eq!(spans.get(absent), None, "{absent} of {n}");
            }
            let mut keys: Vec<_> = spans.keys().collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), n + 1, "{n}");
            // Recorded twice (which the loaders never do): the later record is found.
            spans.insert(&["/tags/1"], at(5000));
            spans.finish();
            assert_eq!(spans.get("/tags/1"), Some(&at(5000)), "{n}");
        }
    }

    #[test]
    fn parts_make_one_pointer_and_the_last_record_wins() {
        let mut spans = Spans::for_front_matter();
        spans.insert(&["/", "genre", "/", "0"], at(1));
        spans.insert(&["/genre/0"], at(2));
        spans.insert(&["/genre"], at(3));
        // While loading, the latest record is found too.
        assert_eq!(spans.get("/genre/0"), Some(&at(2)));
        spans.finish();
        assert_eq!(spans.get("/genre/0"), Some(&at(2)));
        assert_eq!(spans["/genre"], at(3));
        assert_eq!(spans.get("/genre/"), None);
    }

    #[test]
    fn a_loaded_document_has_its_spans_sorted() {
        // Unsorted, every lookup scans all the records: a front matter with many keys (and a
        // schema finding for each) would take time in the square of its size.
        let many: String = (0..100).map(|i| format!("k{i}: [x]\n")).collect();
        for src in [many.clone(), format!("{many}a: {{b: 1}}\n")] {
            let tree = crate::input::yaml::load_general(&src, 0, 1).unwrap();
            assert!(tree.spans.len() > super::SCAN_MAX);
            assert!(!tree.spans.unsorted, "{src}");
        }
    }

    #[test]
    fn equality_ignores_the_order_of_records() {
        let mut a = Spans::default();
        a.insert(&["/x"], at(1));
        a.insert(&["/y"], at(2));
        a.finish();
        let mut b = Spans::default();
        b.insert(&["/y"], at(2));
        b.insert(&["/x"], at(1));
        b.finish();
        assert_eq!(a, b);
        b.insert(&["/z"], at(3));
        b.finish();
        assert_ne!(a, b);
    }
}
