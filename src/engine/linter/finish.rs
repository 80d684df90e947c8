//! The in-order step of a run: repository-wide rules, unused suppressions, and the fixes a
//! suppression keeps from being applied.

use super::*;

/// What repository-wide rules see of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repository {
    /// They do not run (a shard of the files).
    Off,
    /// They compare the files of the run, which are part of the guide (files named one by
    /// one, those changed since a revision, stdin): a suppression of theirs that silences
    /// nothing may be needed by the files not checked, and is not reported unused.
    Part,
    /// They compare every file of the guide.
    Whole,
}

/// The in-order step of a run (see [`Linter::finisher`]).
pub struct Finisher {
    /// Repository-wide rules: their index, name and comparer.
    pub(super) cross: Vec<(usize, &'static str, Box<dyn crate::rules::CrossFile>)>,
    /// When the run is not the whole guide: the repository-wide rules, whose unused
    /// suppressions are not reported.
    pub(super) partial: Option<Vec<usize>>,
}

impl Finisher {
    /// Finish `file`, the next in path order: its repository-wide findings (from the files
    /// before it), its unused suppressions, its findings in report order.
    pub fn finish(&mut self, file: &mut FileResult) {
        let before = file.diagnostics.len();
        for (r, name, cross) in &mut self.cross {
            let Some(mut d) = cross.next(&file.path, &file.facts) else {
                continue;
            };
            let Some(severity) = file.levels[*r] else {
                continue;
            };
            d.rule = name;
            d.severity = severity;
            d.bound_text();
            let mut one = vec![d];
            file.suppressions.apply(&mut one);
            file.diagnostics.extend(one);
        }
        let unused = match &self.partial {
            None => unused_findings(&file.suppressions, &file.levels),
            Some(rules) => {
                let mut levels = file.levels.to_vec();
                for &r in rules {
                    levels[r] = None;
                }
                unused_findings(&file.suppressions, &levels)
            }
        };
        file.diagnostics.extend(unused);
        if file.rendered.len() != before {
            file.rendered.clear();
            rules::sort(&mut file.diagnostics);
        } else if !file
            .diagnostics
            .is_sorted_by(|a, b| rules::order(a, b).is_le())
        {
            // The texts rendered in the check follow their findings; the new ones have none.
            let mut both: Vec<(Diagnostic, Option<String>)> = std::mem::take(&mut file.diagnostics)
                .into_iter()
                .zip(
                    std::mem::take(&mut file.rendered)
                        .into_iter()
                        .chain(std::iter::repeat(None)),
                )
                .collect();
            both.sort_by(|(a, _), (b, _)| rules::order(a, b));
            (file.diagnostics, file.rendered) = both.into_iter().unzip();
        }
    }
}

/// The findings of `all` (span and rule) that are not in `kept`, a subsequence of them: those
/// a suppression removed.
pub(super) fn removed<'a>(
    all: Vec<(Span, &'static str)>,
    kept: &'a [Diagnostic],
) -> impl Iterator<Item = (Span, &'static str)> + 'a {
    let mut kept = kept.iter().peekable();
    all.into_iter().filter(move |&(span, rule)| {
        if kept
            .peek()
            .is_some_and(|d| d.span == span && d.rule == rule)
        {
            kept.next();
            false
        } else {
            true
        }
    })
}

/// Withdraw the fixes that would change what a suppression comment covers: a fix that edits
/// a suppressed finding's text (it would fix or move what the writer chose to keep), or that
/// adds or removes a line break between a `disable-next-line` comment and the end of the line
/// it covers (the comment would then cover another line). Such a finding keeps its place in
/// the report, with a help that says why it has no fix.
pub(super) fn keep_suppressions_in_place(
    doc: &Document,
    suppressions: &Suppressions,
    suppressed: Vec<Span>,
    diagnostics: &mut [Diagnostic],
) {
    if !diagnostics.iter().any(|d| d.fix.is_some()) {
        return;
    }
    let text = doc.text.as_bytes();
    // From the end of the comment's line (its line break) to the end of the covered line
    // (its line break included).
    let starts = doc.lines.starts();
    let zones: Vec<Span> = suppressions
        .next_lines()
        .iter()
        .filter(|&&line| line >= 2 && line <= starts.len())
        .map(|&line| {
            let comment_end = doc.lines.line_span(&doc.text, line - 1).end;
            let covered_end = starts.get(line).copied().unwrap_or(text.len());
            Span::new(comment_end, covered_end)
        })
        .collect();
    let suppressed = SpanSet::new(suppressed);
    let zones = SpanSet::new(zones);
    let breaks = |bytes: &[u8]| memchr::memchr2(b'\n', b'\r', bytes).is_some();
    for d in diagnostics.iter_mut() {
        let Some(fix) = &d.fix else { continue };
        let conflict = fix.edits.iter().any(|e| {
            let replaced = text.get(e.span.start..e.span.end).unwrap_or_default();
            suppressed.touches(e.span)
                || ((breaks(replaced) || breaks(e.content.as_bytes())) && zones.touches(e.span))
        });
        if conflict {
            d.fix = None;
            let why =
                "not fixed automatically: the fix would change what a suppression comment covers";
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({why})").into(),
                None => format!("It is {why}").into(),
            });
        }
    }
}

/// Spans, for asking whether an edit touches any of them in O(log n): sorted by start, with
/// the greatest end among each prefix.
struct SpanSet {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl SpanSet {
    fn new(mut spans: Vec<Span>) -> Self {
        spans.sort_unstable_by_key(|s| s.start);
        let mut max_end = Vec::with_capacity(spans.len());
        let mut end = 0;
        for s in &spans {
            end = end.max(s.end);
            max_end.push(end);
        }
        Self {
            starts: spans.iter().map(|s| s.start).collect(),
            max_end,
        }
    }

    /// Whether an edit of `edit` overlaps a span, or (an insertion) lands inside or at the
    /// start of one.
    fn touches(&self, edit: Span) -> bool {
        let reach = edit.end.max(edit.start + 1);
        let before = self.starts.partition_point(|&s| s < reach);
        before > 0 && self.max_end[before - 1] > edit.start
    }
}

/// Stamp `unused-suppression` findings of a file.
pub(super) fn unused_findings(suppressions: &Suppressions, levels: &[Level]) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return Vec::new();
    }
    let index = suppress::unused_rule();
    let Some(severity) = levels[index] else {
        return Vec::new();
    };
    suppressions
        .unused(levels)
        .into_iter()
        .map(|mut d| {
            d.rule = RULES[index].meta().name;
            d.severity = severity;
            d.bound_text();
            d
        })
        .collect()
}
