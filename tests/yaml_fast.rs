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
        // Documentation sites' front matter: flow lists, nested mappings.
        "title: Fill\ncategories: []\nkeywords: [metadata, exif]\nparams:\n  functions_and_methods:\n    returnType: images.ImageResource\n    signatures: [RESOURCE.Fill SPECIFICATION]\n",
        "title: A\naliases: [/about-hugo/,/docs/, '/q/', \"/d/\"]\nweight: 10\nmenu:\n  docs:\n    parent: guides\n    weight: 2\n  main: [ ]\n",
        "title: A\ncascade:\n  build:\n    list: never\n    render: always\n\n  params:\n    - a\n    - b\n  other:\n  - indentless\n  note: >\n    folded\n    text\ndone: true\n",
        "title: A\ntags: [1, 2.5, true, null, é]\n",
    ];
    for (i, src) in cases.iter().enumerate() {
        assert!(agree(src, 4 + i), "the shortcut declined {src:?}");
    }
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
        "k: [a, ]\n",
        "k: [a,,b]\n",
        "k: [,]\n",
        "k: [a: b]\n",
        "k: [[a]]\n",
        "k: [{x: 1}]\n",
        "k: [a #b]\n",
        "k: ['it''s']\n",
        "k: [\"a\\\"b\"]\n",
        "k: [a] # c\n",
        "k: [a]x\n",
        "k: [a\n",
        "k: [-a]\n",
        "k: [*a]\n",
        "meta:\n  a: 1\n b: 2\n",
        "meta:\n  a: 1\n    b: 2\n",
        "meta:\n  a:\n- x\n",
        "meta:\n  a: >\n  text\n",
        "meta:\n  a\n",
        "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n         j:\n          k: deep\n",
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
    /// A flow list: its items, the separator and the blanks inside the brackets.
    Flow(String, Vec<String>, &'static str, &'static str),
    /// A nested mapping, its keys this many columns further in.
    Map(String, usize, Vec<Entry>),
    Empty(String),
    Seq(String, usize, Vec<(usize, String)>),
    Block(String, &'static str, usize, Vec<(usize, String)>, usize),
    Raw(&'static str),
}

fn flow_item() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Za-z0-9/._é][A-Za-z0-9 /._é-]{0,8}[A-Za-z0-9/é]",
        1 => prop::sample::select(vec![
            "", " ", "a", "a b", "a  b", "'q'", "\"d\"", "'a,b'", "'it''s'", "\"a\\\"b\"", "a:b", "a: b",
            "a #b", "a#b", "[a]", "{x: 1}", "-a", "- a", ".inf", ".5", "1", "1.10", "true", "null", "~",
            "é", "/x/", "_x", "*a", "&a x", "!t x", "?x", "a'b", "a\"b", "a\\b", "x ", " x",
        ])
        .prop_map(String::from),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    let leaf = leaf();
    prop_oneof![
        6 => leaf.clone(),
        2 => (
            key_text(),
            prop_oneof![6 => Just(2usize), 1 => 1..5usize],
            prop::collection::vec(
                prop_oneof![
                    5 => leaf.clone(),
                    1 => (
                        key_text(),
                        prop_oneof![6 => Just(2usize), 1 => 1..4usize],
                        prop::collection::vec(leaf.clone(), 1..3)
                    )
                        .prop_map(|(k, i, e)| Entry::Map(k, i, e)),
                ],
                1..4,
            ),
        )
            .prop_map(|(k, i, e)| Entry::Map(k, i, e)),
    ]
}

fn leaf() -> BoxedStrategy<Entry> {
    prop_oneof![
        2 => (
            key_text(),
            prop::collection::vec(flow_item(), 0..4),
            prop::sample::select(vec![", ", ",", " , ", ",  "]),
            prop::sample::select(vec!["", "", "", " "]),
        )
            .prop_map(|(k, items, sep, pad)| Entry::Flow(k, items, sep, pad)),
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
    .boxed()
}

/// `entries` without their junk lines, at any depth.
fn without_raw(entries: Vec<Entry>) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| !matches!(e, Entry::Raw(_)))
        .map(|e| match e {
            Entry::Map(k, i, nested) => Entry::Map(k, i, without_raw(nested)),
            other => other,
        })
        .collect()
}

fn render(entries: &[Entry], blank_between: bool, final_newline: bool) -> String {
    let mut s = String::new();
    render_into(&mut s, entries, 0, blank_between);
    if !final_newline {
        s.pop();
    }
    s
}

/// Write `entries` with their keys `at` columns in.
fn render_into(s: &mut String, entries: &[Entry], at: usize, blank_between: bool) {
    let pad = " ".repeat(at);
    for e in entries {
        match e {
            Entry::Inline(k, v, spaces) => {
                s.push_str(&format!("{pad}{k}:{}{v}\n", " ".repeat(spaces + 1)));
            }
            Entry::Flow(k, items, sep, inside) => {
                s.push_str(&format!(
                    "{pad}{k}: [{inside}{}{inside}]\n",
                    items.join(sep)
                ));
            }
            Entry::Map(k, indent, nested) => {
                s.push_str(&format!("{pad}{k}:\n"));
                render_into(s, nested, at + indent, blank_between);
            }
            Entry::Empty(k) => s.push_str(&format!("{pad}{k}:\n")),
            Entry::Seq(k, indent, items) => {
                s.push_str(&format!("{pad}{k}:\n"));
                for (extra, item) in items {
                    s.push_str(&format!(
                        "{}-{}{item}\n",
                        " ".repeat(at + indent),
                        " ".repeat(extra + 1)
                    ));
                }
            }
            Entry::Block(k, header, indent, lines, blanks) => {
                s.push_str(&format!("{pad}{k}: {header}\n"));
                for (extra, line) in lines {
                    s.push_str(&format!("{}{line}\n", " ".repeat(at + indent + extra)));
                }
                s.push_str(&"\n".repeat(*blanks));
            }
            Entry::Raw(r) => {
                s.push_str(&pad);
                s.push_str(r);
                s.push('\n');
            }
        }
        if blank_between {
            s.push('\n');
        }
    }
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
        if !junk {
            entries = without_raw(entries);
        }
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
        entries = without_raw(entries);
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
