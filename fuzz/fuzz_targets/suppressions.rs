//! Suppression comments: the index finds, for any findings, the regions a scan of every
//! region finds (the same findings removed, the same comments used); and a check that keeps at
//! most 1,000 findings per rule, suppressing them as they come, reports what the full check
//! does when no rule reaches that bound. Half the inputs are articles made of lines dense in
//! suppression comments (picked by the input's bytes), the others any text.
#![no_main]

use std::sync::OnceLock;

use guidelint::base::diagnostic::Diagnostic;
use guidelint::base::span::{LineCol, Span};
use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use guidelint::input::document::Document;
use guidelint::rules::suppress::{self, Suppressions};
use guidelint::rules::{self, MAX_FINDINGS_PER_RULE, RULES};
use libfuzzer_sys::fuzz_target;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(Settings::defaults(std::env::temp_dir())))
}

const LINES: &[&str] = &[
    "# A",
    "## A",
    "Text.",
    "",
    "```",
    "Instagram",
    "<!-- guidelint-disable-next-line -->",
    "<!-- guidelint-disable-next-line heading-duplicate -->",
    "<!-- guidelint-disable-next-line section-empty, heading-duplicate -->",
    "<!-- guidelint-disable heading-duplicate -->",
    "<!-- guidelint-disable heading-duplicate section-empty heading-duplicate -->",
    "<!-- guidelint-disable -->",
    "<!-- guidelint-enable -->",
    "<!-- guidelint-enable section-empty -->",
    "<!-- guidelint-enable heading-duplicate, tag-order -->",
    "<!-- guidelint-disable-file scrape-residue -->",
    "<!-- guidelint-disable-next-line no-such-rule -->",
    "<!-- guidelint-disable tag-order --> <!-- guidelint-enable --> # B",
];

const FRONT: &[&str] = &[
    "",
    "---\ntitle: A\nstage: [Mixing, mixing, Mixing]\n---\n",
    "---\ntitle: A\n# guidelint-disable-next-line tag-noncanonical\nstage: [Mixing, mixing]\n---\n",
    "---\ntitle: A\n# guidelint-disable-next-line tag-duplicate, schema-violation\nstage: [Mixing, mixing]\n---\n",
];

const RULE_NAMES: &[&str] = &[
    "heading-duplicate",
    "section-empty",
    "scrape-residue",
    "tag-order",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (text_bytes, picks) = rest.split_at(rest.len() / 2);
    let text = if first % 2 == 0 {
        let mut text = FRONT[usize::from(first / 2) % FRONT.len()].to_string();
        for &b in text_bytes {
            text.push_str(LINES[usize::from(b) % LINES.len()]);
            text.push('\n');
        }
        text
    } else {
        String::from_utf8_lossy(text_bytes).into_owned()
    };
    let doc = Document::parse(text.clone().into_bytes());
    let levels = linter().levels_for("");

    // The index against the scan, on findings of some rules on any lines.
    let findings: Vec<Diagnostic> = picks
        .chunks(2)
        .map(|pair| {
            let line = usize::from(pair[0]) % (doc.lines.line_count() + 2);
            let mut d = Diagnostic::new(Span::empty(0), format!("{line}"));
            d.rule = RULE_NAMES[usize::from(pair.get(1).copied().unwrap_or(0)) % RULE_NAMES.len()];
            d.location.start = LineCol { line, column: 1 };
            d
        })
        .collect();
    let (mut by_index, mut by_scan) = (Suppressions::parse(&doc), Suppressions::parse(&doc));
    let (mut indexed, mut scanned) = (findings.clone(), findings);
    by_index.apply(&mut indexed);
    by_scan.apply_by_scan(&mut scanned);
    assert_eq!(indexed, scanned);
    assert_eq!(by_index.unused(&levels), by_scan.unused(&levels));

    // The limited check (as files are reported) against the full one (as fixing sees them).
    let (_, limited) = linter().check_bytes(text.into_bytes(), "");
    // Every finding suppressions let through, located, with bounded texts and without the
    // fixes that would change what a suppression covers (what fixing works from).
    let mut full = linter().findings(&doc, &levels);
    // The comments those findings leave unused (suppressions cover findings by their lines).
    let mut raw = linter().check_document(&doc, &levels);
    for d in &mut raw {
        d.locate(&doc.text, &doc.lines);
    }
    let mut suppressions = Suppressions::parse(&doc);
    suppressions.apply(&mut raw);
    let unused = suppress::unused_rule();
    if let Some(severity) = levels[unused] {
        full.extend(suppressions.unused(&levels).into_iter().map(|mut d| {
            d.rule = RULES[unused].meta().name;
            d.severity = severity;
            d
        }));
    }
    rules::sort(&mut full);
    let most = RULES
        .iter()
        .map(|r| full.iter().filter(|d| d.rule == r.meta().name).count())
        .max()
        .unwrap_or(0);
    if most <= MAX_FINDINGS_PER_RULE {
        assert_eq!(limited, full);
    } else {
        for r in RULES {
            let shown = limited.iter().filter(|d| d.rule == r.meta().name).count();
            assert!(
                shown <= MAX_FINDINGS_PER_RULE + 1,
                "{shown} findings of {}",
                r.meta().name
            );
        }
    }
});
