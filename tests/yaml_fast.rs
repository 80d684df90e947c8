//! The loader's shortcut for simple front matter against the general loader: wherever the
//! shortcut answers, its answer (value, key order, every span) must be the general loader's,
//! and it must answer for the shapes articles really have.

use guidelint::input::yaml::{load_general, load_simple};
use proptest::prelude::*;

/// Compare the two loaders on `src` placed at byte `base` of a file; true if the shortcut
/// answered.
fn agree(src: &str, base: usize) -> bool {
    let Some(fast) = load_simple(src, base) else {
        return false;
    };
    let general = load_general(src, base, 2);
    assert_eq!(
        general.as_ref().map(|t| &t.value),
        Ok(&fast.value),
        "value of {src:?}"
    );
    let general = general.unwrap();
    let keys = |t: &guidelint::input::yaml::YamlTree| {
        t.value
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
    };
    assert_eq!(keys(&general), keys(&fast), "key order of {src:?}");
    let mut pointers: Vec<_> = general.spans.keys().collect();
    pointers.sort();
    for p in pointers {
        assert_eq!(
            fast.spans.get(p),
            Some(&general.spans[p]),
            "span of {p:?} in {src:?}"
        );
    }
    assert_eq!(general, fast, "{src:?}");
    true
}

#[test]
fn typical_front_matter_takes_the_shortcut_and_agrees() {
    let cases = [
        "title: Mixing vocals\ndescription: How to mix vocals.\nyt_video: https://www.youtube.com/watch?v=abc\ngenre: [all]\n",
        "title: Mixing vocals\ndescription: >\n  A long description that goes on\n  over two lines.\nyt_video:\ngenre:\n  - hip-hop\n  - electronic\nstage:\n  - mixing\nlevel:\n  - beginner\n",
        "title: \"Mixing: the basics\"\ndescription: 'Quoted, with a colon: here'\nstage:\n- mastering\n- mixing\n",
        "title: Ça va — déjà vu\ndescription: |\n   Line one\n   Line two\n\n\ninstrument:\n    -   guitar\n",
        "title: 2024\nlevel: true\nyt_video: null\ngenre: ~\ndescription: 1.10\n",
        "title:    spaced out\n\n\nstage:\n  - mixing\n\nlevel:\n  - advanced\n",
    ];
    let mut answered = 0;
    for (i, src) in cases.iter().enumerate() {
        if agree(src, 4 + i) {
            answered += 1;
        } else if i != 0 {
            panic!("the shortcut declined {src:?}");
        }
    }
    // The first case has a flow list: the general loader's job.
    assert!(load_simple(cases[0], 4).is_none());
    assert_eq!(answered, cases.len() - 1);
}

#[test]
fn the_shortcut_declines_what_it_does_not_cover() {
    for src in [
        "",
        "\n\n",
        "title: a\ntitle: b\n",
        "title: a # comment\n",
        "# comment\ntitle: a\n",
        "title:\ta\n",
        "title: a\r\n",
        "title: a",
        "title: &x a\ncopy: *x\n",
        "title: !!str 1\n",
        "title: \"say \\\"hi\\\"\"\n",
        "title: 'it''s'\n",
        "title: a\n  continued\n",
        "meta:\n  nested: 1\n",
        "description: >-\n  text\n",
        "description: >\n  text\n    more indented\n",
        "description: >\n  text\n\n  after a blank line\n",
        "genre:\n  - a\n\n  - b\n",
        "genre:\n  - a\n    continued\n",
        "genre:\n  - - nested\n",
        "genre:\n  -\n",
        "value: .nan\n",
        "value: 123456789012345678901234567890\n",
        "title: a: b\n",
        "title: trailing \n",
        "? complex\n: key\n",
        "---\ntitle: a\n",
        "title: \u{85}next line\n",
    ] {
        assert!(load_simple(src, 0).is_none(), "{src:?}");
    }
}

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9é][A-Za-z0-9 ,.:/'?=é—-]{0,12}[A-Za-z0-9.é]",
        2 => prop::sample::select(vec![
            "", "a", "Mixing vocals", "a: b", "a:b", "a #b", "a#b", "#x", "'q'", "\"d\"", "\"a\\\"b\"",
            "'it''s'", "\"\"", "''", "'", "\"", "x ", " x", "1.10", "0x1F", "0o17", ".nan", ".inf",
            "-.inf", "~", "null", "Null", "NULL", "true", "True", "FALSE", "yes", "no", "-", "- x",
            "-1", "+1", "1e3", "inf", "nan", "infinity", "[a]", "[a, b]", "{x: 1}", "{x", "a, b",
            "é", "Ça — va", "123456789012345678901234567890", "12345678901234567", "!tag x",
            "!!str 1", "&a x", "*a", "|", ">", ">-", "@x", "`x`", "%x", "?", "? x", ":", ": x",
            "a:", "https://example.com/x?v=1#t", "C#", "a\u{a0}b", "\u{feff}x", "x\u{2028}y",
            "a ' b", "\"a\" b", "'a' b", "\"a'b\"", "'a\"b'", "\"a\\b\"", "a\\b",
        ])
        .prop_map(String::from),
        1 => "[a-zA-Z0-9 ,.:#'\"\\\\!&*|>%@`{}~é-]{0,10}",
    ]
}

fn key_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => prop::sample::select(vec![
            "title", "description", "yt_video", "genre", "stage", "instrument", "level", "a",
            "true", "null", "y", "no", "inf", "nan", "x1", "a-b", "a_b", "Key", "1a", "e3", "_k",
            "-k", "k k", "k#", "\"title\"", "'title'", "0x1",
        ])
        .prop_map(String::from),
        3 => "[a-z][a-z0-9_-]{0,6}",
    ]
}

#[derive(Debug, Clone)]
enum Entry {
    Inline(String, String, usize),
    Empty(String),
    Seq(String, usize, Vec<(usize, String)>),
    Block(String, &'static str, usize, Vec<(usize, String)>, usize),
    Raw(&'static str),
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        4 => (key_text(), scalar_text(), 0..3usize).prop_map(|(k, v, s)| Entry::Inline(k, v, s)),
        1 => key_text().prop_map(Entry::Empty),
        3 => (
            key_text(),
            0..4usize,
            prop::collection::vec((prop_oneof![6 => Just(0usize), 1 => 0..4usize], scalar_text()), 1..4)
        )
            .prop_map(|(k, i, items)| Entry::Seq(k, i, items)),
        2 => (
            key_text(),
            prop::sample::select(vec![">", ">", ">", "|", "|", ">-", "|+", "> ", ">2", "| # c"]),
            1..4usize,
            prop::collection::vec((prop_oneof![12 => Just(0usize), 1 => 0..3usize], scalar_text()), 1..4),
            0..3usize,
        )
            .prop_map(|(k, h, i, lines, blanks)| Entry::Block(k, h, i, lines, blanks)),
        1 => prop::sample::select(vec![
            "", "# comment", "\t", "  x: y", "---", "...", "- a", "  more", "k: v # c",
            "k:\tv", "k:v", " ", "k: [a,", "k: \"open", "%YAML 1.2", "k: v\r",
        ])
        .prop_map(Entry::Raw),
    ]
}

fn render(entries: &[Entry], blank_between: bool, final_newline: bool) -> String {
    let mut s = String::new();
    for e in entries {
        match e {
            Entry::Inline(k, v, spaces) => {
                s.push_str(&format!("{k}:{}{v}\n", " ".repeat(spaces + 1)));
            }
            Entry::Empty(k) => s.push_str(&format!("{k}:\n")),
            Entry::Seq(k, indent, items) => {
                s.push_str(&format!("{k}:\n"));
                for (extra, item) in items {
                    s.push_str(&format!(
                        "{}-{}{item}\n",
                        " ".repeat(*indent),
                        " ".repeat(extra + 1)
                    ));
                }
            }
            Entry::Block(k, header, indent, lines, blanks) => {
                s.push_str(&format!("{k}: {header}\n"));
                for (extra, line) in lines {
                    s.push_str(&format!("{}{line}\n", " ".repeat(indent + extra)));
                }
                s.push_str(&"\n".repeat(*blanks));
            }
            Entry::Raw(r) => {
                s.push_str(r);
                s.push('\n');
            }
        }
        if blank_between {
            s.push('\n');
        }
    }
    if !final_newline {
        s.pop();
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn where_the_shortcut_answers_it_agrees_with_the_general_loader(
        entries in prop::collection::vec(entry(), 0..6),
        blank_between in prop::bool::weighted(0.2),
        final_newline in prop::bool::weighted(0.95),
        base in 0usize..8,
        junk in prop::bool::weighted(0.3),
    ) {
        let mut entries = entries;
        // Most cases without junk lines, so that many reach the shortcut.
        entries.retain(|e| junk || !matches!(e, Entry::Raw(_)));
        let src = render(&entries, blank_between, final_newline);
        agree(&src, base);
    }
}

/// The property above says nothing if the shortcut never answers: make sure the generator
/// reaches it often, with several keys.
#[test]
fn the_generated_cases_often_reach_the_shortcut() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (
        prop::collection::vec(entry(), 0..6),
        prop::bool::weighted(0.2),
    );
    let (mut answered, mut several) = (0, 0);
    for _ in 0..2000 {
        let (mut entries, blank_between) = strategy.new_tree(&mut runner).unwrap().current();
        entries.retain(|e| !matches!(e, Entry::Raw(_)));
        if agree(&render(&entries, blank_between, true), 3) {
            answered += 1;
            several += usize::from(entries.len() >= 3);
        }
    }
    assert!(answered >= 300, "{answered} of 2000");
    assert!(several >= 100, "{several} of 2000");
}

/// The two examples the README gives.
#[test]
fn the_readme_examples_go_where_the_readme_says() {
    let shortcut = "title: \"Mixing: the basics\"\ndescription: >\n  How to balance a first mix.\nstage:\n  - mixing\n";
    assert!(agree(shortcut, 4));
    let general = "title: Mixing vocals  # draft\nstage: [mixing]\n";
    assert!(load_simple(general, 4).is_none());
    assert!(load_general(general, 4, 2).is_ok());
}
