//! "Did you mean …?" suggestions: the closest candidate by edit distance.

/// Edit distance with adjacent transpositions (optimal string alignment), over characters,
/// ignoring ASCII case.
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The characters of `word` in ASCII lowercase, as the distance compares them.
#[must_use]
pub fn folded(word: &str) -> Vec<char> {
    word.chars().map(|c| c.to_ascii_lowercase()).collect()
}

/// [`distance`] of two folded words when it is at most `max`, else `None`. Only the cells
/// within `max` of the table's diagonal are filled (a cell further off is more than `max`
/// edits, and is read as `max + 1`), and none once two rows in a row exceed `max` (no later
/// row can then come back under it): at most `2 · max + 1` cells a row. `rows` are buffers
/// reused from one call to the next.
fn distance_at_most(
    a: &[char],
    b: &[char],
    max: usize,
    rows: &mut [Vec<usize>; 3],
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Any count over `max`: what a cell off the band reads as.
    let over = max + 1;
    let [prev2, prev, cur] = rows;
    for row in [&mut *prev2, &mut *prev, &mut *cur] {
        row.clear();
        row.resize(b.len() + 2, over);
    }
    for (j, cell) in prev.iter_mut().enumerate().take(over.min(b.len() + 1)) {
        *cell = j;
    }
    let mut prev_min = 0;
    for i in 1..=a.len() {
        let (lo, hi) = (i.saturating_sub(max).max(1), (i + max).min(b.len()));
        cur[lo - 1] = if lo == 1 && i <= max { i } else { over };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
            row_min = row_min.min(cur[j]);
        }
        // The next row reads one cell past this one's band.
        cur[hi + 1] = over;
        if row_min > max && prev_min > max {
            return None;
        }
        prev_min = row_min;
        std::mem::swap(prev2, prev);
        std::mem::swap(prev, cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo: at most
/// two edits, and fewer edits than a third of the longer word plus one.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_chars = folded(word);
    let len = word_chars.len();
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    candidates
        .into_iter()
        // The distance is at least the difference in length: a word far longer than every
        // candidate (a pasted paragraph) is not compared letter by letter.
        .filter(|c| len.abs_diff(c.chars().count()) <= 2)
        .filter_map(|c| {
            let other = folded(c);
            let max = 2.min((len.max(other.len()) / 3).max(1));
            distance_at_most(&word_chars, &other, max, &mut rows).map(|d| (d, c))
        })
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// [`closest`] among candidates given with their [`folded`] characters.
#[must_use]
pub fn closest_folded<'a>(word: &str, candidates: &'a [(String, Vec<char>)]) -> Option<&'a str> {
    let word_chars = folded(word);
    let len = word_chars.len();
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    candidates
        .iter()
        .filter(|(_, other)| len.abs_diff(other.len()) <= 2)
        .filter_map(|(c, other)| {
            let max = 2.min((len.max(other.len()) / 3).max(1));
            distance_at_most(&word_chars, other, max, &mut rows).map(|d| (d, c.as_str()))
        })
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Edits a tag may be from a term to be taken for a misspelling of it.
pub const TAG_EDITS: usize = 2;

/// The indices of the candidates nearest to `word` when they are at most [`TAG_EDITS`] edits
/// away and keep at least one of its characters (`x` is not a misspelling of `ab`); empty
/// when none is that close. Several when they are equally near.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let len = word.chars().count();
    // At least as many edits as the lengths differ: a word far longer than every term (a
    // pasted paragraph) is not compared letter by letter.
    let near: Vec<(usize, Vec<char>)> = candidates
        .into_iter()
        .enumerate()
        .filter(|(_, c)| c.chars().count().abs_diff(len) <= TAG_EDITS)
        .map(|(i, c)| (i, folded(c)))
        .collect();
    nearest_of(&folded(word), near.iter().map(|(_, c)| c.as_slice()))
        .into_iter()
        .map(|k| near[k].0)
        .collect()
}

/// [`nearest`] among folded candidates.
fn nearest_of<'a>(word: &[char], candidates: impl IntoIterator<Item = &'a [char]>) -> Vec<usize> {
    let len = word.len();
    let mut best = usize::MAX;
    let mut found = Vec::new();
    if len == 0 {
        return found;
    }
    // Fewer edits than the word has characters.
    let max = TAG_EDITS.min(len - 1);
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    for (i, c) in candidates.into_iter().enumerate() {
        let Some(d) = distance_at_most(word, c, max.min(best), &mut rows) else {
            continue;
        };
        if d < best {
            best = d;
            found.clear();
        }
        if d == best {
            found.push(i);
        }
    }
    found
}

/// The longest word, in characters, a [`Dictionary`] keeps: longer ones (a pasted paragraph)
/// are never suggested, nor compared with anything.
pub const MAX_WORD: usize = 100;

/// The most comparisons of a word with a dictionary's words made for one file's suggestions
/// (see [`Dictionary::nearest`]). Each fills at most `(2 · TAG_EDITS + 1) · (MAX_WORD +
/// TAG_EDITS)` cells of a table: with the built-in taxonomy, a file has suggestions for
/// thousands of distinct unknown tags before reaching it.
pub const MAX_COMPARISONS: usize = 100_000;

/// Words to suggest, each with a value (what it stands for), sorted by their number of
/// characters: a word is compared only with those within [`TAG_EDITS`] of its own length.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    /// Each word's characters as [`distance`] compares them, and its value.
    words: Vec<(Box<[char]>, usize)>,
}

impl Dictionary {
    /// A dictionary of `words` and their values, leaving out words longer than [`MAX_WORD`].
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = (S, usize)>) -> Self {
        let mut words: Vec<(Box<[char]>, usize)> = words
            .into_iter()
            .filter(|(w, _)| w.as_ref().chars().nth(MAX_WORD).is_none())
            .map(|(w, value)| (folded(w.as_ref()).into_boxed_slice(), value))
            .collect();
        words.sort_by_key(|(w, _)| w.len());
        Self { words }
    }

    /// The number of words kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word was kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The values of the words [`nearest`] would choose for `word`, when comparing it takes at
    /// most `budget` comparisons (one per word within [`TAG_EDITS`] of its length), which are
    /// then taken off the budget; `None`, without comparing anything, when it would take more.
    pub fn nearest(&self, word: &str, budget: &mut usize) -> Option<Vec<usize>> {
        // Counted no further than a word could be and still be near one of the dictionary's.
        let len = word.chars().take(MAX_WORD + TAG_EDITS + 1).count();
        if len == 0 || len > MAX_WORD + TAG_EDITS {
            return Some(Vec::new());
        }
        let from = self
            .words
            .partition_point(|(w, _)| w.len() + TAG_EDITS < len);
        let to = self
            .words
            .partition_point(|(w, _)| w.len() <= len + TAG_EDITS);
        let near = &self.words[from..to.max(from)];
        *budget = budget.checked_sub(near.len())?;
        let found = nearest_of(&folded(word), near.iter().map(|(w, _)| &**w));
        Some(found.into_iter().map(|k| near[k].1).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Candidates folded beforehand give the same suggestion as folding them each time.
        #[test]
        fn closest_folded_agrees_with_closest(
            word in "[abcAB_\u{e9}]{0,8}",
            candidates in proptest::collection::vec("[abcAB_\u{e9}]{0,8}", 0..8),
        ) {
            let folded: Vec<(String, Vec<char>)> =
                candidates.iter().map(|c| (c.clone(), super::folded(c))).collect();
            proptest::prop_assert_eq!(
                closest_folded(&word, &folded),
                closest(&word, candidates.iter().map(String::as_str))
            );
        }
    }

    proptest::proptest! {
        /// The bounded distance is the distance whenever it is within the bound.
        #[test]
        fn the_bounded_distance_agrees_with_the_full_one(
            a in "[abcAB\u{e9}]{0,14}",
            b in "[abcAB\u{e9}]{0,14}",
            max in 0usize..4,
        ) {
            let full = distance(&a, &b);
            let mut rows = [Vec::new(), Vec::new(), Vec::new()];
            let bounded = distance_at_most(&folded(&a), &folded(&b), max, &mut rows);
            proptest::prop_assert_eq!(bounded, Some(full).filter(|&d| d <= max));
        }
    }

    proptest::proptest! {
        /// A dictionary finds what a search through every candidate finds, at the cost of one
        /// comparison per word within two characters of the word's length.
        #[test]
        fn a_dictionary_finds_the_nearest_words_comparing_only_those_of_about_the_length(
            word in "[abAB\u{e9}]{0,7}",
            words in proptest::collection::vec("[abAB\u{e9}]{0,9}", 0..12),
        ) {
            let dictionary = Dictionary::new(words.iter().enumerate().map(|(i, w)| (w, i)));
            let mut budget = MAX_COMPARISONS;
            let mut found = dictionary.nearest(&word, &mut budget).unwrap();
            found.sort_unstable();
            proptest::prop_assert_eq!(found, nearest(&word, words.iter().map(String::as_str)));
            let len = word.chars().count();
            let compared = if len == 0 {
                0
            } else {
                words.iter().filter(|w| w.chars().count().abs_diff(len) <= TAG_EDITS).count()
            };
            proptest::prop_assert_eq!(MAX_COMPARISONS - budget, compared);
        }
    }

    #[test]
    fn a_dictionary_leaves_out_long_words_and_stops_at_its_budget() {
        let long = "m".repeat(MAX_WORD + 1);
        let dictionary = Dictionary::new([
            ("mixing", 0),
            ("mixing", 1),
            ("mastering", 2),
            (long.as_str(), 3),
            (&long[1..], 4),
        ]);
        assert_eq!(dictionary.len(), 4);
        // A word as long as the one left out, or of 40,000 characters: nothing to compare.
        let mut budget = 10;
        assert_eq!(dictionary.nearest(&long, &mut budget), Some(vec![4]));
        assert_eq!(budget, 9);
        assert_eq!(
            dictionary.nearest(&"m".repeat(40_000), &mut budget),
            Some(vec![])
        );
        assert_eq!(budget, 9);
        // `mixng` is compared with both spellings of `mixing`; with one comparison left, not at
        // all, and the budget is kept for a word that needs fewer.
        assert_eq!(dictionary.nearest("mixng", &mut budget), Some(vec![0, 1]));
        assert_eq!(budget, 7);
        budget = 1;
        assert_eq!(dictionary.nearest("mixng", &mut budget), None);
        assert_eq!(budget, 1);
        assert_eq!(dictionary.nearest("masterinng", &mut budget), Some(vec![2]));
        assert_eq!(budget, 0);
    }

    #[test]
    fn typical_typos_are_close() {
        assert_eq!(distance("stages", "stage"), 1);
        assert_eq!(distance("titel", "title"), 1);
        assert_eq!(distance("Level", "level"), 0);
        let fields = ["title", "stage", "level", "genre"];
        assert_eq!(closest("stages", fields), Some("stage"));
        assert_eq!(closest("titel", fields), Some("title"));
        assert_eq!(closest("banana", fields), None);
        assert_eq!(closest("x", ["y"]), Some("y"));
        assert_eq!(closest("ab", ["xy"]), None);
        assert_eq!(closest("mixing", ["mixingxx"]), Some("mixingxx"));
        assert_eq!(closest("mixing", ["mixingxxx"]), None);
        assert_eq!(closest(&"m".repeat(100_000), fields), None);
    }

    #[test]
    fn nearest_takes_every_candidate_at_the_least_distance_up_to_two() {
        let terms = ["indie", "folk", "funk", "mix", "pop"];
        assert_eq!(nearest("Indy", terms), [0]);
        assert_eq!(nearest("Fonk", terms), [1, 2]);
        assert_eq!(nearest("Mixed", terms), [3]);
        assert_eq!(nearest("Mixeddd", terms), Vec::<usize>::new());
        // Two edits of a two-letter word would replace it whole.
        assert_eq!(nearest("po", ["pop"]), [0]);
        assert_eq!(nearest("xy", ["x"]), [0]);
        assert_eq!(nearest("q", ["x"]), Vec::<usize>::new());
        assert_eq!(nearest("", ["x"]), Vec::<usize>::new());
    }
}
