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
fn folded(word: &str) -> Vec<char> {
    word.chars().map(|c| c.to_ascii_lowercase()).collect()
}

/// [`distance`] of two folded words when it is at most `max`, else `None`, found without
/// filling the rest of the table once two rows in a row exceed `max` (no later row can then
/// come back under it). `rows` are buffers reused from one call to the next.
fn distance_at_most(
    a: &[char],
    b: &[char],
    max: usize,
    rows: &mut [Vec<usize>; 3],
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let [prev2, prev, cur] = rows;
    for row in [&mut *prev2, &mut *prev, &mut *cur] {
        row.clear();
        row.resize(b.len() + 1, 0);
    }
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    let mut prev_min = 0;
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
            row_min = row_min.min(cur[j]);
        }
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

/// Edits a tag may be from a term to be taken for a misspelling of it.
pub const TAG_EDITS: usize = 2;

/// The indices of the candidates nearest to `word` when they are at most [`TAG_EDITS`] edits
/// away and keep at least one of its characters (`x` is not a misspelling of `ab`); empty
/// when none is that close. Several when they are equally near.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let word_chars = folded(word);
    let len = word_chars.len();
    let mut best = usize::MAX;
    let mut found = Vec::new();
    if len == 0 {
        return found;
    }
    // Fewer edits than the word has characters.
    let max = TAG_EDITS.min(len - 1);
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    for (i, c) in candidates.into_iter().enumerate() {
        // At least as many edits as the lengths differ: a word far longer than every term (a
        // pasted paragraph) is not compared letter by letter.
        if c.chars().count().abs_diff(len) > TAG_EDITS {
            continue;
        }
        let Some(d) = distance_at_most(&word_chars, &folded(c), max.min(best), &mut rows) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The bounded distance is the distance whenever it is within the bound.
        #[test]
        fn the_bounded_distance_agrees_with_the_full_one(
            a in "[abcAB\u{e9}]{0,8}",
            b in "[abcAB\u{e9}]{0,8}",
            max in 0usize..4,
        ) {
            let full = distance(&a, &b);
            let mut rows = [Vec::new(), Vec::new(), Vec::new()];
            let bounded = distance_at_most(&folded(&a), &folded(&b), max, &mut rows);
            proptest::prop_assert_eq!(bounded, Some(full).filter(|&d| d <= max));
        }
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
