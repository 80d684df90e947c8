//! Inline suppressions: comments in an article that silence findings.
//!
//! ```markdown
//! <!-- guidelint-disable rule-a, rule-b -->   … <!-- guidelint-enable -->
//! <!-- guidelint-disable-next-line rule -->
//! <!-- guidelint-disable-file rule -->
//! ```
//! and, inside front matter, a `# guidelint-disable-next-line rule` YAML comment. Without rule
//! names, a directive covers every rule. Only real comments are directives: a YAML comment
//! (not a line of a block or quoted scalar), and an HTML comment that CommonMark reads as raw
//! HTML (not one in a code span or block, or in a link's title). A directive that suppresses
//! nothing is reported as `unused-suppression`.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::base::diagnostic::Level;
use crate::base::diagnostic::{Diagnostic, Location};
use crate::base::span::Span;
use crate::input::document::{Document, FrontMatter};
use crate::rules::RULES;

static HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*guidelint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->")
        .expect("valid pattern")
});

/// The most suppression comments honoured in one file. Past them, comments that silence
/// findings are not honoured (their findings are reported, and one `unused-suppression`
/// finding says so); `enable` comments still close regions. Together with the index of regions
/// this bounds the work suppressions take on a file of nothing but suppression comments.
pub const MAX_DIRECTIVES: usize = 1000;

/// The most characters of a rule name a message shows (names are short; a comment is not).
const NAME_SHOWN: usize = 60;

/// The most rule names an `unused-suppression` message lists.
const NAMED: usize = 5;

/// One directive as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Directive {
    /// The comment's bytes.
    span: Span,
    /// Where the comment is (its findings are reported after the text is gone).
    location: Location,
    /// Named rules; empty = every rule.
    rules: Vec<String>,
    /// Whether it suppressed anything.
    used: bool,
}

/// A region where some rules are silenced.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Region {
    /// Index into the directives.
    directive: usize,
    /// `None` = every rule.
    rule: Option<String>,
    /// 1-based lines covered.
    lines: RangeInclusive<usize>,
}

/// The suppressions of one document (boxed: most documents have none, and every checked
/// file's result holds one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Suppressions(Option<Box<Found>>);

/// The directives of a document that has some, and the regions they silence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Found {
    directives: Vec<Directive>,
    regions: Vec<Region>,
    /// The lines covered by `disable-next-line` comments: their coverage is tied to the line
    /// after the comment, so a fix that adds or removes a line break there would change it.
    #[serde(skip)]
    next_lines: Vec<usize>,
    /// Built on first use (not cached: it follows from the regions).
    #[serde(skip)]
    cover: Option<Cover>,
    /// Directives past [`MAX_DIRECTIVES`], not honoured.
    #[serde(default)]
    ignored: Option<Ignored>,
}

/// The directives of a file past [`MAX_DIRECTIVES`]: how many, and where the first is.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Ignored {
    count: usize,
    span: Span,
    location: Location,
}

/// Regions opened by `disable` comments and not closed yet, by rule, each with its first
/// line, its directive and the order it was opened in: an `enable` comment closes the regions of
/// the rules it names without looking at the others, so every region is handled once.
#[derive(Default)]
struct Open {
    /// Regions of every rule.
    all: Vec<(usize, usize, usize)>,
    /// Regions of one rule.
    named: HashMap<String, Vec<(usize, usize, usize)>>,
    /// Regions opened so far.
    count: usize,
}

impl Open {
    fn disable(&mut self, rules: Vec<String>, line: usize, directive: usize) {
        if rules.is_empty() {
            self.all.push((self.count, line, directive));
            self.count += 1;
        }
        for rule in rules {
            self.named
                .entry(rule)
                .or_default()
                .push((self.count, line, directive));
            self.count += 1;
        }
    }

    /// Close the regions of `rules` (all of them when it is empty), in the order they were
    /// opened: `(rule, first line, directive)`.
    fn enable(&mut self, rules: &[String]) -> Vec<(Option<String>, usize, usize)> {
        let mut closing: Vec<(usize, Option<String>, usize, usize)> = Vec::new();
        if rules.is_empty() {
            closing.extend(self.all.drain(..).map(|(k, line, d)| (k, None, line, d)));
            for (rule, regions) in self.named.drain() {
                closing.extend(
                    regions
                        .into_iter()
                        .map(|(k, line, d)| (k, Some(rule.clone()), line, d)),
                );
            }
        } else {
            for rule in rules {
                if let Some((rule, regions)) = self.named.remove_entry(rule) {
                    closing.extend(
                        regions
                            .into_iter()
                            .map(|(k, line, d)| (k, Some(rule.clone()), line, d)),
                    );
                }
            }
        }
        closing.sort_unstable_by_key(|c| c.0);
        closing
            .into_iter()
            .map(|(_, rule, line, d)| (rule, line, d))
            .collect()
    }
}

/// The regions by rule, for finding the first region that covers a line: a region list can
/// be long (a file of suppression comments), and findings many.
#[derive(Debug, Clone, Default)]
struct Cover {
    /// Regions of every rule.
    all: Option<Tree>,
    /// Regions of one rule, by its name.
    named: HashMap<String, Tree>,
}

impl Cover {
    fn new(regions: &[Region]) -> Self {
        let mut all = Vec::new();
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        for (r, region) in regions.iter().enumerate() {
            match &region.rule {
                None => all.push(r),
                Some(rule) => named.entry(rule).or_default().push(r),
            }
        }
        Self {
            all: (!all.is_empty()).then(|| Tree::new(regions, &all)),
            named: named
                .into_iter()
                .map(|(rule, list)| (rule.to_string(), Tree::new(regions, &list)))
                .collect(),
        }
    }
}

/// A segment tree over the lines where some of the regions start or end: each node holds the
/// first region (lowest index) covering all of its lines, so the first region covering a line
/// is the lowest along the path from that line's leaf to the root. Built in
/// O(regions · log regions), asked in O(log regions).
#[derive(Debug, Clone)]
struct Tree {
    /// Sorted lines where the regions start, or end (the line after their last): leaf `k`
    /// stands for the lines from `bounds[k]` up to `bounds[k + 1]`.
    bounds: Vec<usize>,
    /// Nodes of a tree with `bounds.len()` leaves, stored bottom-up (node `k` has children
    /// `2k` and `2k + 1`, leaves from `bounds.len()`); `usize::MAX`: none.
    first: Vec<usize>,
}

impl Tree {
    fn new(regions: &[Region], list: &[usize]) -> Self {
        let mut bounds: Vec<usize> = list
            .iter()
            .flat_map(|&r| {
                let lines = &regions[r].lines;
                [*lines.start(), lines.end().saturating_add(1)]
            })
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let n = bounds.len();
        let mut first = vec![usize::MAX; 2 * n];
        for &r in list {
            let lines = &regions[r].lines;
            if lines.is_empty() {
                continue;
            }
            // Leaves [lo, hi), mapped onto the nodes that cover exactly them.
            let leaf = |line: usize| bounds.partition_point(|&b| b < line);
            let (mut lo, mut hi) = (
                leaf(*lines.start()) + n,
                leaf(lines.end().saturating_add(1)) + n,
            );
            while lo < hi {
                if lo & 1 == 1 {
                    first[lo] = first[lo].min(r);
                    lo += 1;
                }
                if hi & 1 == 1 {
                    hi -= 1;
                    first[hi] = first[hi].min(r);
                }
                lo /= 2;
                hi /= 2;
            }
        }
        Self { bounds, first }
    }

    /// The first region covering `line`.
    fn first(&self, line: usize) -> Option<usize> {
        let k = self.bounds.partition_point(|&b| b <= line).checked_sub(1)?;
        let mut node = k + self.bounds.len();
        let mut best = usize::MAX;
        while node > 0 {
            best = best.min(self.first[node]);
            node /= 2;
        }
        (best != usize::MAX).then_some(best)
    }
}

/// A rule name as a message shows it: at most [`NAME_SHOWN`] characters, then `…`.
fn clip(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(NAME_SHOWN) {
        Some((end, _)) => format!("{}…", &name[..end]).into(),
        None => name.into(),
    }
}

/// The 1-based line of byte `offset` (the line of [`Document::line_col`], without counting
/// the characters before it on its line).
pub(crate) fn line_of(doc: &Document, offset: usize) -> usize {
    let offset = offset.min(doc.text.len());
    doc.lines.starts().partition_point(|&s| s <= offset)
}

fn names(text: &str) -> Vec<String> {
    text.split([',', ' ', '\t', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Suppressions {
    /// Find the directives of a document.
    #[must_use]
    pub fn parse(doc: &Document) -> Self {
        let mut s = Found::default();
        if doc.problem.is_some() {
            return Self::default();
        }
        let last_line = doc.lines.line_count();
        // YAML comments in front matter.
        // Each search starts with the needle's rarest byte (`#`, `<`): most articles have
        // neither where it is looked for, and are done after one fast scan.
        if let FrontMatter::Yaml(block) = &doc.front_matter
            && let yaml = &doc.text.as_bytes()[block.content.start..block.content.end]
            && memchr::memchr(b'#', yaml).is_some()
            && memchr::memmem::find(yaml, b"guidelint-").is_some()
        {
            // Only a real comment counts: not a line of a block or quoted scalar, nor one
            // after a syntax error (where nothing is known).
            let comments = match &block.tree {
                Ok(tree) => &tree.comments,
                Err(error) => &*error.comments,
            };
            // Lines as the line index has them: a `\r` alone ends one too.
            let first = line_of(doc, block.content.start);
            let last = line_of(
                doc,
                block.content.end.saturating_sub(1).max(block.content.start),
            );
            for number in first..=last {
                let line = doc.lines.line_span(&doc.text, number);
                let pos = line.start.max(block.content.start);
                let line = &doc.text[pos..line.end.min(block.content.end).max(pos)];
                // Blanks, as YAML has them, then `#`.
                let comment = line.trim_start_matches([' ', '\t']).trim_end();
                if let Some(rest) = comment.strip_prefix('#').map(str::trim_start)
                    && let Some(rules) = rest.strip_prefix("guidelint-disable-next-line")
                    && let start = pos + (line.len() - line.trim_start_matches([' ', '\t']).len())
                    && comments.starts_at(start)
                {
                    let span = Span::new(start, start + comment.len());
                    let next = line_of(doc, start) + 1;
                    s.add(doc, span, names(rules), next..=next);
                    s.next_lines.push(next);
                }
            }
        }
        // HTML comments in the body: only in the raw HTML the outline found (most articles
        // have none), never in text that looks like a comment (a code span, a link's title).
        if doc.comment_html.is_empty() {
            return Self::found(s);
        }
        let mut open = Open::default();
        let comments = doc.comment_html.iter().flat_map(|html| {
            HTML.captures_iter(&doc.text[html.start..html.end])
                .map(|m| (m, html.start))
        });
        for (m, at) in comments {
            let whole = m.get(0).expect("group 0 always matches");
            let span = Span::new(whole.start(), whole.end()).shift(at);
            let rules = names(&m[2]);
            let line = line_of(doc, span.start);
            let end_line = line_of(doc, span.end);
            match &m[1] {
                "disable-next-line" => {
                    s.add(doc, span, rules, end_line + 1..=end_line + 1);
                    s.next_lines.push(end_line + 1);
                }
                "disable-file" => s.add(doc, span, rules, 1..=last_line),
                "disable" => {
                    if let Some(d) = s.push(doc, span, rules.clone()) {
                        open.disable(rules, line, d);
                    }
                }
                _ => {
                    // `enable`: close the named rules, or every open region.
                    for (rule, from, d) in open.enable(&rules) {
                        s.regions.push(Region {
                            directive: d,
                            rule,
                            lines: from..=line,
                        });
                    }
                }
            }
        }
        for (rule, from, d) in open.enable(&[]) {
            s.regions.push(Region {
                directive: d,
                rule,
                lines: from..=last_line,
            });
        }
        Self::found(s)
    }

    fn found(s: Found) -> Self {
        Self((!s.directives.is_empty()).then(|| Box::new(s)))
    }
}

impl Found {
    /// Record a directive, unless the file has [`MAX_DIRECTIVES`] already: then it is
    /// counted and not honoured (`None`).
    fn push(&mut self, doc: &Document, span: Span, rules: Vec<String>) -> Option<usize> {
        if self.directives.len() == MAX_DIRECTIVES {
            if self.ignored.is_none() {
                self.ignored = Some(Ignored {
                    count: 0,
                    span,
                    location: doc.locate(span),
                });
            }
            if let Some(ignored) = &mut self.ignored {
                ignored.count += 1;
            }
            return None;
        }
        self.directives.push(Directive {
            span,
            location: doc.locate(span),
            rules,
            used: false,
        });
        Some(self.directives.len() - 1)
    }

    fn add(
        &mut self,
        doc: &Document,
        span: Span,
        rules: Vec<String>,
        lines: RangeInclusive<usize>,
    ) {
        let Some(d) = self.push(doc, span, rules.clone()) else {
            return;
        };
        if rules.is_empty() {
            self.regions.push(Region {
                directive: d,
                rule: None,
                lines,
            });
        } else {
            for r in rules {
                self.regions.push(Region {
                    directive: d,
                    rule: Some(r),
                    lines: lines.clone(),
                });
            }
        }
    }
}

impl Suppressions {
    /// Whether there is no directive at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The 1-based lines covered by `disable-next-line` comments (each the line right after
    /// its comment).
    #[must_use]
    pub fn next_lines(&self) -> &[usize] {
        self.0.as_deref().map_or(&[], |f| &f.next_lines)
    }

    /// Remove suppressed findings, marking the directives that suppressed them. The findings
    /// must be located (see [`Diagnostic::locate`]). A finding is suppressed by the first
    /// region (in the order they were found) that covers its line and its rule.
    pub fn apply(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        if self.0.as_ref().is_none_or(|found| found.regions.is_empty()) {
            return;
        }
        diagnostics.retain(|d| !self.suppress(d.location.start.line, d.rule));
    }

    /// Whether a finding of `rule` on the 1-based `line` is suppressed; if so, the directive
    /// that suppresses it is marked used. O(log regions), with no finding located: the engine
    /// asks this of each finding as it is reported.
    pub fn suppress(&mut self, line: usize, rule: &str) -> bool {
        let Some(found) = self.0.as_deref_mut() else {
            return false;
        };
        if found.regions.is_empty() {
            return false;
        }
        let regions = &found.regions;
        let cover = found.cover.get_or_insert_with(|| Cover::new(regions));
        let first = |tree: Option<&Tree>| tree.and_then(|t| t.first(line));
        let hit = match (first(cover.all.as_ref()), first(cover.named.get(rule))) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match hit {
            Some(r) => {
                found.directives[found.regions[r].directive].used = true;
                true
            }
            None => false,
        }
    }

    /// [`Suppressions::apply`] as a scan of every region for every finding: the definition
    /// the index must agree with (for tests and fuzzing).
    #[doc(hidden)]
    pub fn apply_by_scan(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let Some(found) = self.0.as_deref_mut() else {
            return;
        };
        diagnostics.retain(|d| {
            let line = d.location.start.line;
            let hit = found.regions.iter().find(|r| {
                r.lines.contains(&line) && r.rule.as_deref().is_none_or(|name| name == d.rule)
            });
            match hit {
                Some(r) => {
                    found.directives[r.directive].used = true;
                    false
                }
                None => true,
            }
        });
    }

    /// `unused-suppression` findings (without rule name and severity: the caller stamps
    /// them). Directives naming only rules that are off (`levels`) are not reported.
    #[must_use]
    pub fn unused(&self, levels: &[Level]) -> Vec<Diagnostic> {
        let known = |name: &str| RULES.iter().position(|r| r.meta().name == name);
        let mut out = Vec::new();
        let Some(found) = self.0.as_deref() else {
            return out;
        };
        for d in &found.directives {
            let unknown: Vec<&String> = d.rules.iter().filter(|r| known(r).is_none()).collect();
            if let Some(name) = unknown.first() {
                let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
                let mut diag = Diagnostic::new(
                    d.span,
                    format!("Suppression names an unknown rule `{}`", clip(name)),
                )
                .with_label("unknown rule");
                diag.location = d.location.clone();
                diag = match crate::base::suggest::closest(name, names) {
                    Some(c) => diag.with_help(format!("Did you mean `{c}`?")),
                    None => diag.with_help("Run `guidelint rules` to list the rules"),
                };
                out.push(diag);
                continue;
            }
            if d.used {
                continue;
            }
            let all_off = !d.rules.is_empty()
                && d.rules
                    .iter()
                    .all(|r| known(r).is_some_and(|i| levels[i].is_none()));
            if all_off {
                continue;
            }
            let what = if d.rules.is_empty() {
                "any finding".to_string()
            } else {
                // A comment can name a rule thousands of times: the message names a few.
                let mut named: Vec<String> = d
                    .rules
                    .iter()
                    .take(NAMED)
                    .map(|r| format!("`{}`", clip(r)))
                    .collect();
                if d.rules.len() > NAMED {
                    named.push(format!("{} more", d.rules.len() - NAMED));
                }
                named.join(", ")
            };
            let mut diag =
                Diagnostic::new(d.span, format!("Suppression of {what} suppresses nothing"))
                    .with_label("unused")
                    .with_help("Remove the comment");
            diag.location = d.location.clone();
            out.push(diag);
        }
        if let Some(ignored) = &found.ignored {
            let mut diag = Diagnostic::new(
                ignored.span,
                format!(
                    "{} more suppression comments are not honoured: a file may have at most {MAX_DIRECTIVES}",
                    ignored.count
                ),
            )
            .with_label("the first not honoured")
            .with_help("Fix the findings instead, or silence a rule for the whole file with `guidelint-disable-file`");
            diag.location = ignored.location.clone();
            out.push(diag);
        }
        out
    }
}

/// The index of `unused-suppression` in the registry.
#[must_use]
pub fn unused_rule() -> usize {
    RULES
        .iter()
        .position(|r| r.meta().name == "unused-suppression")
        .expect("unused-suppression is registered")
}

#[cfg(test)]
mod tests {
    use super::Suppressions;
    use crate::base::diagnostic::Diagnostic;
    use crate::base::span::{LineCol, Span};
    use crate::input::document::Document;
    use crate::rules::default_levels;
    use proptest::prelude::*;

    /// Lines of an article dense in suppression comments.
    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "# A",
            "Text.",
            "",
            "```",
            "<!-- guidelint-disable-next-line -->",
            "<!-- guidelint-disable-next-line heading-duplicate -->",
            "<!-- guidelint-disable-next-line section-empty, heading-duplicate -->",
            "<!-- guidelint-disable heading-duplicate -->",
            "<!-- guidelint-disable heading-duplicate section-empty heading-duplicate -->",
            "<!-- guidelint-disable -->",
            "<!-- guidelint-enable -->",
            "<!-- guidelint-enable section-empty -->",
            "<!-- guidelint-enable heading-duplicate, tag-order -->",
            "<!-- guidelint-disable-file section-empty -->",
            "<!-- guidelint-disable-next-line no-such-rule -->",
            "<!-- guidelint-disable tag-order --> <!-- guidelint-enable --> # B",
        ])
    }

    fn article() -> impl Strategy<Value = String> {
        (prop::bool::ANY, prop::collection::vec(line(), 0..40)).prop_map(|(fm, lines)| {
            let mut text = String::new();
            if fm {
                text.push_str("---\ntitle: A\n# guidelint-disable-next-line schema-violation\nstage: [x]\n---\n");
            }
            for l in lines {
                text.push_str(l);
                text.push('\n');
            }
            text
        })
    }

    /// Findings of some rules on some lines (0 and past the end included).
    fn findings() -> impl Strategy<Value = Vec<(usize, &'static str)>> {
        let rule = prop::sample::select(vec![
            "heading-duplicate",
            "section-empty",
            "schema-violation",
            "tag-order",
        ]);
        prop::collection::vec((0..50usize, rule), 0..60)
    }

    #[test]
    fn an_enable_closes_regions_in_the_order_they_were_opened() {
        // Both regions cover the finding: the first opened is the one used.
        let text = "<!-- guidelint-disable heading-duplicate -->\n<!-- guidelint-disable -->\n# A\n<!-- guidelint-enable -->\n";
        let doc = Document::parse(text.as_bytes().to_vec());
        let mut finding = Diagnostic::new(Span::empty(0), "A");
        finding.rule = "heading-duplicate";
        finding.location.start = LineCol { line: 3, column: 1 };
        let mut suppressions = Suppressions::parse(&doc);
        let mut findings = vec![finding];
        suppressions.apply(&mut findings);
        assert!(findings.is_empty());
        let unused = suppressions.unused(&default_levels());
        assert_eq!(unused.len(), 1, "{unused:#?}");
        assert_eq!(unused[0].location.start.line, 2, "{unused:#?}");
    }

    /// How many directives `text` has.
    fn directives(text: &str) -> usize {
        let doc = Document::parse(text.as_bytes().to_vec());
        Suppressions::parse(&doc)
            .0
            .map_or(0, |found| found.directives.len())
    }

    #[test]
    fn only_real_comments_are_directives() {
        for text in [
            // Lines of YAML scalars.
            "---\ndescription: |\n  # guidelint-disable-next-line tag-unknown\nstage: [comping]\n---\n",
            "---\ndescription: >-\n  text\n\n  # guidelint-disable-next-line\nstage: [x]\n---\n",
            "---\na:\n  - |\n    # guidelint-disable-next-line\n  - x\n---\n",
            "---\ntitle: \"two\n  # guidelint-disable-next-line tag-unknown\n  lines\"\n---\n",
            "---\ntitle: 'two\n\t# guidelint-disable-next-line\n  lines'\n---\n",
            "---\rdescription: |\r  # guidelint-disable-next-line\rstage: [x]\r---\r",
            // After a syntax error, nothing is known to be a comment.
            "---\ndescription: |\n  # guidelint-disable-next-line\n\tbad\n---\n",
            "---\na: [\n# guidelint-disable-next-line\n---\n",
            // Not a YAML blank before the `#`.
            "---\na: x\n\u{a0}# guidelint-disable-next-line\n---\n",
            // Code spans, code blocks, link titles.
            "---\ntitle: x\n---\nText `<!-- guidelint-disable -->` here.\n",
            "Text ``<!-- guidelint-disable-file -->`` here.\n",
            "- item `<!-- guidelint-disable-next-line -->`\n",
            "# Heading `<!-- guidelint-disable -->`\n",
            "```\n<!-- guidelint-disable -->\n```\n",
            "~~~\n<!-- guidelint-disable -->\n",
            "    <!-- guidelint-disable -->\n",
            "> ```\n> <!-- guidelint-disable -->\n",
            "[a]: /url \"<!-- guidelint-disable -->\"\n",
            "[a]: /url\n  '<!-- guidelint-disable -->'\n",
            "[link](/u \"<!-- guidelint-disable -->\")\n",
            "Text &lt;!-- guidelint-disable --> here.\n",
            "Text \\<!-- guidelint-disable --> here.\n",
        ] {
            assert_eq!(directives(text), 0, "{text:?}");
        }
        for text in [
            // YAML comments: after a block scalar, in a flow list, before a repeated key (the
            // whole text is read), before a syntax error.
            "---\ndescription: |\n  text\n# guidelint-disable-next-line tag-unknown\nstage: [x]\n---\n",
            "---\na: [x,\n  # guidelint-disable-next-line\n  y]\n---\n",
            "---\na: 1\n# guidelint-disable-next-line\na: 2\n---\n",
            "---\ntitle: x\n# guidelint-disable-next-line\nb: \"open\n---\n",
            "---\rtitle: x\r\t# guidelint-disable-next-line\rstage: [x]\r---\r",
            // Raw HTML: inline, in a list item, a heading or a link's text, an HTML block
            // (in a quote too), a line of an HTML block.
            "Text <!-- guidelint-disable --> and `code`.\n",
            "- item <!-- guidelint-disable-next-line -->\n",
            "# Heading <!-- guidelint-disable-next-line -->\n",
            "[text <!-- guidelint-disable -->](/u)\n",
            "<!-- guidelint-disable -->\n# A\n",
            "> <!-- guidelint-disable -->\n",
            "<div>\n<!-- guidelint-disable -->\n</div>\n",
            "---\ntitle: x\n---\n<!-- guidelint-disable-next-line -->\r# A\r",
        ] {
            assert_eq!(directives(text), 1, "{text:?}");
        }
    }

    #[test]
    fn messages_show_long_rule_names_clipped_and_few_of_many() {
        let name = "a".repeat(10_000);
        let text = format!(
            "<!-- guidelint-disable-next-line {name} -->\n<!-- guidelint-disable-next-line {} -->\n",
            vec!["heading-duplicate"; 1000].join(", ")
        );
        let doc = Document::parse(text.into_bytes());
        let unused = Suppressions::parse(&doc).unused(&default_levels());
        let messages: Vec<&str> = unused.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                format!("Suppression names an unknown rule `{}…`", &name[..60]),
                format!(
                    "Suppression of {}, 995 more suppresses nothing",
                    ["`heading-duplicate`"; 5].join(", ")
                ),
            ]
        );
    }

    proptest! {
        /// The index removes the findings, and marks the directives, that a scan of every
        /// region for every finding does.
        #[test]
        fn the_index_suppresses_what_a_scan_of_every_region_does(
            text in article(),
            found in findings(),
        ) {
            let doc = Document::parse(text.into_bytes());
            let diagnostics: Vec<Diagnostic> = found
                .iter()
                .map(|&(line, rule)| {
                    let mut d = Diagnostic::new(Span::empty(0), format!("{line} {rule}"));
                    d.rule = rule;
                    d.location.start = LineCol { line, column: 1 };
                    d
                })
                .collect();
            let (mut by_index, mut by_scan) = (Suppressions::parse(&doc), Suppressions::parse(&doc));
            let (mut indexed, mut scanned) = (diagnostics.clone(), diagnostics);
            by_index.apply(&mut indexed);
            by_scan.apply_by_scan(&mut scanned);
            prop_assert_eq!(&indexed, &scanned);
            let levels = default_levels();
            prop_assert_eq!(by_index.unused(&levels), by_scan.unused(&levels));
        }
    }
}
