//! Unified diffs for `--diff`: line-based, three lines of context.

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Above this many lines in the changed middle, the middle is shown as one replacement
/// instead of being aligned line by line (aligning is quadratic).
const ALIGN_LIMIT: usize = 2000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Same,
    Del,
    Add,
}

/// A unified diff of `old` and `new`, labelled `a/path` and `b/path`; empty when equal.
#[must_use]
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = align(&a, &b);
    // Walk the script, numbering lines, and cut it into hunks.
    let mut rows: Vec<(Op, usize, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    for op in ops {
        match op {
            Op::Same => {
                rows.push((op, i, j, a[i]));
                i += 1;
                j += 1;
            }
            Op::Del => {
                rows.push((op, i, j, a[i]));
                i += 1;
            }
            Op::Add => {
                rows.push((op, i, j, b[j]));
                j += 1;
            }
        }
    }
    let changed: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0 != Op::Same)
        .map(|(k, _)| k)
        .collect();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 2 * CONTEXT + 1 {
            end = changed[k];
            k += 1;
        }
        let end = (end + CONTEXT + 1).min(rows.len());
        let hunk = &rows[start..end];
        let old_count = hunk.iter().filter(|r| r.0 != Op::Add).count();
        let new_count = hunk.iter().filter(|r| r.0 != Op::Del).count();
        let old_start = hunk[0].1 + usize::from(old_count > 0);
        let new_start = hunk[0].2 + usize::from(new_count > 0);
        out.push_str(&format!(
            "@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"
        ));
        for (op, _, _, line) in hunk {
            out.push(match op {
                Op::Same => ' ',
                Op::Del => '-',
                Op::Add => '+',
            });
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// An edit script: common prefix and suffix, and a longest-common-subsequence alignment of
/// the middle when it is small enough.
fn align(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops = vec![Op::Same; prefix];
    if am.len() + bm.len() > ALIGN_LIMIT {
        ops.extend(std::iter::repeat_n(Op::Del, am.len()));
        ops.extend(std::iter::repeat_n(Op::Add, bm.len()));
    } else {
        // lcs[i][j]: length of the LCS of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if am[i] == bm[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same);
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
                ops.push(Op::Add);
                j += 1;
            } else {
                ops.push(Op::Del);
                i += 1;
            }
        }
    }
    ops.extend(std::iter::repeat_n(Op::Same, suffix));
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn one_changed_line_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified("x.md", old, new),
            "--- a/x.md\n+++ b/x.md\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(unified("x.md", old, old), "");
    }

    #[test]
    fn a_replaced_line_shows_the_removal_first() {
        let diff = unified("x.md", "a\nb\n", "a\nB\n");
        assert_eq!(
            diff,
            "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n"
        );
    }

    #[test]
    fn removed_line_and_missing_final_newline() {
        let diff = unified("x.md", "a\nb\nc", "a\nc");
        assert_eq!(
            diff,
            "--- a/x.md\n+++ b/x.md\n@@ -1,3 +1,2 @@\n a\n-b\n c\n\\ No newline at end of file\n"
        );
    }
}
