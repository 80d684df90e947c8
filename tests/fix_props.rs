//! Property tests of `--fix`: generated front matter with comments, quotes, flow and block
//! lists, CRLF, mixed endings, a BOM and arbitrary tag spellings.

use proptest::prelude::*;

use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use guidelint::input::document::{Document, FrontMatter};

mod common;

const SPELLINGS: &[&str] = &[
    "mixing",
    "Mixing",
    "mix",
    "MIXDOWN",
    "mastering",
    "tracking",
    "Post Production",
    "post_production",
    "post-production",
    "pre-production",
    "songwriting",
    "composition",
    "what's missing",
    "mixng",
    "zzz",
    "all",
    "hip hop",
    "hiphop",
    "dnb",
    "vocals",
    "vox",
    "beginner",
    "novice",
    "expert",
    "general",
];

#[derive(Debug, Clone)]
struct Facet {
    name: &'static str,
    style: u8,                      // 0 flow, 1 block, 2 string, 3 string on its own line
    values: Vec<(usize, u8, bool)>, // spelling, quote (0 plain, 1 single, 2 double), trailing comment
    indent: usize,
}

fn quote(text: &str, q: u8) -> String {
    match q {
        1 => format!("'{}'", text.replace('\'', "''")),
        2 => format!("\"{text}\""),
        _ if text.contains('\'') || text.contains(": ") => format!("\"{text}\""),
        _ => text.to_string(),
    }
}

fn facet_strategy(name: &'static str) -> impl Strategy<Value = Facet> {
    (
        0u8..4,
        prop::collection::vec((0..SPELLINGS.len(), 0u8..3, any::<bool>()), 1..4),
        0usize..3,
    )
        .prop_map(move |(style, values, indent)| Facet {
            name,
            style,
            values,
            indent: indent * 2,
        })
}

#[derive(Debug, Clone)]
struct Article {
    bom: bool,
    endings: Vec<bool>, // per line: CRLF?
    comment_lines: Vec<bool>,
    facets: Vec<Facet>,
    yt: u8,
}

fn article_strategy() -> impl Strategy<Value = Article> {
    (
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 64),
        prop::collection::vec(any::<bool>(), 8),
        facet_strategy("genre"),
        facet_strategy("stage"),
        facet_strategy("instrument"),
        facet_strategy("level"),
        0u8..4,
    )
        .prop_map(|(bom, endings, comment_lines, g, s, i, l, yt)| Article {
            bom,
            endings,
            comment_lines,
            facets: vec![g, s, i, l],
            yt,
        })
}

const BODY: &str = "# Introduction\nSome words about the craft.\n\n## Notes\nMore words.\n";

/// The rules a generated suppression comment names (index 0: none, every rule).
const DIRECTIVE_RULES: &[&str] = &[
    "",
    " tag-unknown",
    " tag-noncanonical",
    " tag-duplicate",
    " tag-not-list",
    " tag-order",
];

impl Article {
    /// The lines, with a `guidelint-disable-next-line` comment before the n-th field or
    /// block item when `directives[n]` is `Some` (naming `DIRECTIVE_RULES[k]`).
    fn lines_with(&self, directives: &[Option<usize>]) -> Vec<String> {
        let mut slot = 0;
        let mut directive = |lines: &mut Vec<String>, indent: usize| {
            if let Some(Some(k)) = directives.get(slot) {
                lines.push(format!(
                    "{}# guidelint-disable-next-line{}",
                    " ".repeat(indent),
                    DIRECTIVE_RULES[*k % DIRECTIVE_RULES.len()]
                ));
            }
            slot += 1;
        };
        let mut lines = vec![
            "---".to_string(),
            "title: \"Mixing: a first look\"  # title comment".to_string(),
            "description: A practical walk through the stages of making a track at home."
                .to_string(),
        ];
        lines.push(match self.yt {
            0 => "yt_video:".into(),
            1 => "yt_video: https://youtu.be/dQw4w9WgXcQ".into(),
            2 => "yt_video: 'https://www.youtube.com/embed/dQw4w9WgXcQ'  # video".into(),
            _ => "yt_video: https://www.youtube.com/watch?v=dQw4w9WgXcQ".into(),
        });
        for (k, f) in self.facets.iter().enumerate() {
            if self.comment_lines[k] {
                lines.push(format!("# comment before {}", f.name));
            }
            directive(&mut lines, 0);
            let comment = |c: bool, n: usize| {
                if c {
                    format!("  # c{k}{n}")
                } else {
                    String::new()
                }
            };
            match f.style {
                0 => {
                    let items: Vec<String> = f
                        .values
                        .iter()
                        .map(|&(s, q, _)| quote(SPELLINGS[s], q))
                        .collect();
                    lines.push(format!(
                        "{}: [{}]{}",
                        f.name,
                        items.join(", "),
                        comment(f.values[0].2, 0)
                    ));
                }
                1 => {
                    lines.push(format!("{}:", f.name));
                    for (n, &(s, q, c)) in f.values.iter().enumerate() {
                        directive(&mut lines, f.indent);
                        lines.push(format!(
                            "{}- {}{}",
                            " ".repeat(f.indent),
                            quote(SPELLINGS[s], q),
                            comment(c, n)
                        ));
                    }
                }
                2 => {
                    let (s, q, c) = f.values[0];
                    lines.push(format!(
                        "{}: {}{}",
                        f.name,
                        quote(SPELLINGS[s], q),
                        comment(c, 0)
                    ));
                }
                _ => {
                    // The value below its key, a comment after the colon.
                    let (s, q, c) = f.values[0];
                    lines.push(format!("{}:{}", f.name, comment(true, 9)));
                    lines.push(format!(
                        "{}{}{}",
                        " ".repeat(f.indent.max(2)),
                        quote(SPELLINGS[s], q),
                        comment(c, 0)
                    ));
                }
            }
        }
        lines.push("---".into());
        lines.extend(BODY.lines().map(str::to_string));
        lines
    }

    fn text(&self) -> String {
        self.text_with(&[])
    }

    fn text_with(&self, directives: &[Option<usize>]) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        for (n, line) in self.lines_with(directives).iter().enumerate() {
            out.push_str(line);
            out.push_str(if self.endings[n % self.endings.len()] {
                "\r\n"
            } else {
                "\n"
            });
        }
        out
    }
}

fn linter() -> Linter {
    let mut settings = Settings::defaults(std::env::temp_dir());
    // Every fixable rule on, so that the fixes interact.
    for name in ["tag-order", "stage-hierarchy"] {
        let i = guidelint::rules::RULES
            .iter()
            .position(|r| r.meta().name == name)
            .unwrap();
        settings.rules[i] = Some(guidelint::base::diagnostic::Severity::Warning);
    }
    Linter::new(settings)
}

fn comments(text: &str) -> Vec<String> {
    text.split(['\n', '\r'])
        .filter_map(|l| l.find("# c").map(|i| l[i..].trim().to_string()))
        .collect()
}

fn body(text: &str) -> String {
    let doc = Document::parse_text(text.to_string());
    doc.text[doc.body_start..].to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn fixes_keep_everything_they_do_not_mean_to_change(article in article_strategy(), unsafe_fixes in any::<bool>()) {
        let linter = linter();
        let levels = linter.settings().levels_for("");
        let input = article.text();
        let outcome = linter.fix_text(&input, &levels, unsafe_fixes);
        prop_assert_eq!(&outcome.failure, &None, "input:\n{}", input);
        let output = &outcome.text;
        // The fixed front matter loads.
        let doc = Document::parse_text(output.clone());
        let loads = matches!(&doc.front_matter, FrontMatter::Yaml(b) if b.tree.is_ok());
        prop_assert!(loads, "fixed front matter does not load:\n{}", output);
        // Idempotent.
        let again = linter.fix_text(output, &levels, unsafe_fixes);
        prop_assert!(again.applied.is_empty(), "second pass applied {:?} to\n{}", again.applied, output);
        // BOM, comments, the body, the title and description lines are untouched.
        prop_assert_eq!(input.starts_with('\u{feff}'), output.starts_with('\u{feff}'));
        let (before, after) = (comments(&input), comments(output));
        for c in &after {
            prop_assert!(before.contains(c), "comment {} appeared", c);
        }
        // Removing a duplicate item removes its line, comment included; every other
        // comment survives, in order.
        let removed = outcome.applied.iter().filter(|a| a.rule == "tag-duplicate").count();
        prop_assert!(after.len() + removed >= before.len(), "comments lost:\n{}\n->\n{}", input, output);
        prop_assert_eq!(body(&input), body(output));
        for line in ["title: \"Mixing: a first look\"  # title comment", "description: A practical walk"] {
            prop_assert!(output.contains(line));
        }
        // Line endings: an all-LF or all-CRLF file stays so.
        let lf_only = !input.contains('\r');
        let crlf_only = input.matches('\n').count() == input.matches("\r\n").count();
        if lf_only {
            prop_assert!(!output.contains('\r'));
        }
        if crlf_only {
            prop_assert_eq!(output.matches('\n').count(), output.matches("\r\n").count(), "{}", output);
        }
    }
}

/// What each suppression comment of `text` suppresses: (the comment's ordinal, the rule, the
/// text of the finding's span).
fn suppressed(linter: &Linter, text: &str) -> std::collections::BTreeSet<(usize, String, String)> {
    let levels = linter.settings().levels_for("");
    let doc = Document::parse_text(text.to_string());
    let kept = linter.findings(&doc, &levels);
    let all = linter.check_document(&doc, &levels);
    // The comment lines, by their 1-based line number.
    let comments: Vec<usize> = doc
        .text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(_, l)| l.contains("# guidelint-disable-next-line"))
        .map(|(n, _)| n + 1)
        .collect();
    all.iter()
        .filter(|d| {
            !kept
                .iter()
                .any(|k| k.rule == d.rule && k.span == d.span && k.message == d.message)
        })
        .map(|d| {
            let line = doc.line_col(d.span.start).line;
            let ordinal = comments
                .iter()
                .position(|&c| c + 1 == line)
                .unwrap_or(usize::MAX);
            (ordinal, d.rule.to_string(), doc.slice(d.span).to_string())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// After `--fix` (with and without unsafe fixes), every suppression comment suppresses
    /// the same findings of the same values as before: no fix moves a value out from under
    /// its comment, moves another under it, or rewrites a suppressed value.
    #[test]
    fn fixes_keep_what_each_suppression_covers(
        article in article_strategy(),
        directives in prop::collection::vec(prop::option::weighted(0.4, 0usize..6), 16),
        unsafe_fixes in any::<bool>(),
    ) {
        let linter = linter();
        let levels = linter.settings().levels_for("");
        let input = article.text_with(&directives);
        let before = suppressed(&linter, &input);
        let outcome = linter.fix_text(&input, &levels, unsafe_fixes);
        prop_assert_eq!(&outcome.failure, &None, "input:\n{}", input);
        let after = suppressed(&linter, &outcome.text);
        prop_assert_eq!(before, after, "input:\n{}\noutput:\n{}", input, outcome.text);
    }
}

/// The fuzz target's invariants, replayed on every committed fixture (fuzzing crashes become
/// fixtures): fixing reports no failure, settles in one run, keeps front matter that loads
/// loadable and keeps the body unless a heading fix was applied.
#[test]
fn fix_invariants_hold_on_every_fixture() {
    let linter = linter();
    let levels = linter.settings().levels_for("");
    let mut files = Vec::new();
    let mut stack = vec![common::repo().join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 50, "fixtures found: {}", files.len());
    let loads = |text: &str| matches!(Document::parse_text(text.to_string()).front_matter, FrontMatter::Yaml(b) if b.tree.is_ok());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // invalid UTF-8 and UTF-16 fixtures are never fixed
        };
        for unsafe_fixes in [false, true] {
            let outcome = linter.fix_text(&text, &levels, unsafe_fixes);
            assert_eq!(outcome.failure, None, "{}", path.display());
            let again = linter.fix_text(&outcome.text, &levels, unsafe_fixes);
            assert!(
                again.applied.is_empty(),
                "{}: not idempotent: {:?}",
                path.display(),
                again.applied
            );
            if loads(&text) {
                assert!(loads(&outcome.text), "{}", path.display());
            }
            let heading_fixed = outcome
                .applied
                .iter()
                .any(|a| a.rule == "stage-label" || a.rule == "heading-increment");
            if !heading_fixed {
                assert_eq!(body(&text), body(&outcome.text), "{}", path.display());
            }
        }
    }
}

/// An article whose body is one heading per entry of `levels` (ATX, `#` runs of that length),
/// each followed by a line of text.
fn outline(levels: &[u8]) -> String {
    let mut text = String::from(
        "---\ntitle: Mixing vocals\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n",
    );
    for (n, &level) in levels.iter().enumerate() {
        text.push_str(&format!(
            "{} Heading {n}\nText {n}.\n\n",
            "#".repeat(level.into())
        ));
    }
    text
}

/// `heading-increment` findings of `text`: (index of the heading reported, its fix if any).
fn heading_jumps(
    linter: &Linter,
    text: &str,
) -> (
    Document,
    Vec<(usize, Option<guidelint::base::diagnostic::Fix>)>,
) {
    let levels = linter.settings().levels_for("");
    let doc = Document::parse_text(text.to_string());
    let found = linter
        .findings(&doc, &levels)
        .into_iter()
        .filter(|d| d.rule == "heading-increment")
        .map(|d| {
            let at = doc
                .headings
                .iter()
                .position(|h| h.span == d.span)
                .expect("a heading-increment finding is on a heading");
            (at, d.fix)
        })
        .collect();
    (doc, found)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    /// Each fix of a heading jump moves a run of headings starting at the reported one, all by
    /// the same number of levels (so the level differences among them are unchanged), and
    /// applying it leaves no jump at the moved headings or at the heading after them. After
    /// every fix is applied, no jump that is left has a fix.
    #[test]
    fn heading_fixes_keep_the_structure_of_the_headings_they_move(
        levels in prop::collection::vec(1u8..=6, 1..14)
    ) {
        let linter = linter();
        let text = outline(&levels);
        let (doc, jumps) = heading_jumps(&linter, &text);
        for (at, fix) in jumps {
            let Some(fix) = fix else { continue };
            let mut moved: Vec<(usize, u8)> = fix
                .edits
                .iter()
                .map(|e| {
                    let i = doc
                        .headings
                        .iter()
                        .position(|h| h.span.start == e.span.start)
                        .expect("an edit starts a heading");
                    let new = u8::try_from(e.content.len()).unwrap();
                    prop_assert_eq!(e.content.bytes().filter(|&b| b == b'#').count(), e.content.len());
                    prop_assert_eq!(e.span.end - e.span.start, usize::from(levels[i]));
                    Ok((i, new))
                })
                .collect::<Result<_, TestCaseError>>()?;
            moved.sort_unstable();
            // A run of consecutive headings from the reported one.
            prop_assert_eq!(moved[0].0, at, "{:?}", levels);
            for (k, &(i, _)) in moved.iter().enumerate() {
                prop_assert_eq!(i, at + k, "{:?}", levels);
            }
            // The same shift for each: the differences between them are unchanged.
            let shift = i16::from(levels[at]) - i16::from(moved[0].1);
            prop_assert!(shift > 0);
            for &(i, new) in &moved {
                prop_assert_eq!(i16::from(levels[i]) - i16::from(new), shift, "{:?}", levels);
            }
            // Applied alone, it leaves no jump at the reported heading or the one after the
            // run, and none among the moved headings but those that were there before.
            let mut fixed = text.clone();
            for e in fix.edits.iter().rev() {
                fixed.replace_range(e.span.start..e.span.end, &e.content);
            }
            let last = moved[moved.len() - 1].0;
            let (_, after) = heading_jumps(&linter, &fixed);
            for (j, _) in after {
                let kept = j > at && j <= last && levels[j] > levels[j - 1] + 1;
                prop_assert!(j < at || j > last + 1 || kept, "{:?}: jump at {} after fixing {}", levels, j, at);
            }
        }
        // The fix loop settles with no fixable jump left.
        let outcome = linter.fix_text(&text, &linter.settings().levels_for(""), true);
        prop_assert_eq!(&outcome.failure, &None);
        let (_, left) = heading_jumps(&linter, &outcome.text);
        for (j, fix) in left {
            prop_assert!(fix.is_none(), "{:?}: fixable jump left at {}", levels, j);
        }
    }
}
