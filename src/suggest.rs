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

/// The candidate closest to `word`, if it is close enough to be a plausible typo: at most
/// two edits, and fewer edits than a third of the longer word plus one.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        // The distance is at least the difference in length: a word far longer than every
        // candidate (a pasted paragraph) is not compared letter by letter.
        .filter(|c| len.abs_diff(c.chars().count()) <= 2)
        .map(|c| (distance(word, c), c))
        .filter(|&(d, c)| d <= 2 && d <= (len.max(c.chars().count()) / 3).max(1))
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
    let mut best = usize::MAX;
    let mut found = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        // At least as many edits as the lengths differ: a word far longer than every term (a
        // pasted paragraph) is not compared letter by letter.
        if c.chars().count().abs_diff(len) > TAG_EDITS {
            continue;
        }
        let d = distance(word, c);
        if d > TAG_EDITS || d >= len {
            continue;
        }
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
