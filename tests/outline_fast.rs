//! The outline's shortcut for plain articles against pulldown-cmark: wherever the shortcut
//! answers, its headings (level, text, span, kind) and fenced code blocks must be
//! pulldown-cmark's and the body must have no raw HTML that may hold a suppression comment;
//! and it must answer for the shape production-guide articles have.

use guidelint::input::document::{Document, outline_general, outline_simple};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// Compare the two on the body of `text` from `body_start`; true if the shortcut answered.
fn agree(text: &str, body_start: usize) -> bool {
    let Some(fast) = outline_simple(text, body_start) else {
        return false;
    };
    let general = outline_general(text, body_start);
    assert_eq!(fast.headings, general.headings, "headings of {text:?}");
    assert_eq!(
        fast.code_blocks, general.code_blocks,
        "code blocks of {text:?}"
    );
    assert!(general.comment_html.is_empty(), "comments in {text:?}");
    assert_eq!(fast, general);
    true
}

/// An article in the shape of the guide's own (front matter, phases, stages, prose).
const PLAIN: &str = "---\ntitle: Music Production 101\n---\n# Pre-production\n### Ideation\nIt is about capturing the initial idea. Record it as soon as you have it!\n\n## Composition, Arrangement and Songwriting\nCreating a song from a one-bar loop is a big job (often done with others).\n2 or 3 takes, \"quoted\" and it's fine: 100% & more; see https://example.com/x?y=1.\n\n# Post-Production\n##   Mixing   \nThe blending of tracks.\nÇa va — déjà vu.\n";

#[test]
fn a_plain_article_takes_the_shortcut_and_agrees() {
    let body_start = PLAIN.find("# Pre").unwrap();
    assert!(agree(PLAIN, body_start));
    let headings = outline_simple(PLAIN, body_start).unwrap().headings;
    let shown: Vec<_> = headings
        .iter()
        .map(|h| (h.level, h.text(PLAIN), &PLAIN[h.span.start..h.span.end]))
        .collect();
    assert_eq!(
        shown,
        [
            (1, "Pre-production", "# Pre-production"),
            (3, "Ideation", "### Ideation"),
            (
                2,
                "Composition, Arrangement and Songwriting",
                "## Composition, Arrangement and Songwriting"
            ),
            (1, "Post-Production", "# Post-Production"),
            (2, "Mixing", "##   Mixing"),
        ]
    );
    // What the checker sees is the same either way.
    let doc = Document::parse(PLAIN.as_bytes().to_vec());
    assert_eq!(doc.headings, headings);
    assert!(doc.code_blocks.is_empty());
}

#[test]
fn fenced_code_blocks_take_the_shortcut_and_agree() {
    for body in [
        "```rust\n# not a heading\n```\n# Heading\n",
        "~~~\n",
        "```\ncode\n```\n",
        "~~~\ncode\n~~~\n",
        "Prose\n```\nx | y\n\tindented\n```  \n## After\n",
        "- item\n```\nx\n```\n",
        "````\n```\n````\n",
        "~~~~ info `x` ~~~\n~~~\n  ~~~~\ntext\n",
        "```\nnever closed\n# not a heading",
        "```sh\ncode\n   ```\n",
        "```\n    ```\n# still code\n",
    ] {
        let text = format!("{PREFIX}{body}");
        assert!(agree(&text, PREFIX.len()), "declined {body:?}");
        assert!(
            !outline_simple(&text, PREFIX.len())
                .unwrap()
                .code_blocks
                .is_empty()
        );
    }
}

#[test]
fn the_shortcut_declines_what_it_does_not_cover() {
    for body in [
        "```\ncode\n```\t\n",
        "``` a`b\n",
        "  ```\ncode\n```\n",
        "```\ncode\r\n```\n",
        "```\ncode\x0c\n```\n",
        "```\t\ncode\n```\n",
        "``` a|b\ncode\n```\n",
        "2024.\n",
        "-\n",
        "- \n",
        "1)\n",
        "-  two spaces\n",
        "-     code in an item\n",
        "- # heading in an item\n",
        "- > quote in an item\n",
        "1. - ```\n",
        "- - -\n",
        "* * *\n",
        "-- -\n",
        "= =\n",
        "Title\n==\n",
        "<b>x</b> y\n",
        "> # heading in a quote\n",
        "> > nested quote\n",
        ">     code in a quote\n",
        "> ```\n",
        "> Title\n> ===\n",
        "    indented code\n",
        "     five spaces\n",
        "  # indented heading\n",
        "  \n",
        "\tTab\n",
        "Title\n=====\n",
        "Title\n-----\n",
        "---\n",
        "***\n",
        "___\n",
        "<div>html</div>\n",
        "| a | b |\n| - | - |\n",
        "a | b\n",
        "Text\r\n",
        "# Text\u{0}\n",
        "# Text \u{7f}\n",
        "Text\u{b}\n",
        "Text\u{c}\n",
        "   \n",
        "#tag\n",
        "#\n",
        "####### seven\n",
        "# Closing #\n",
        "# With *emphasis*\n",
        "# With `code`\n",
        "# With [a link](x)\n",
        "# With {#id}\n",
        "# With &amp;\n",
        "# With \\escape\n",
        "# With <b>html</b>\n",
        "#    \n",
    ] {
        assert!(outline_simple(body, 0).is_none(), "{body:?}");
        // The general parser still reads it.
        let _ = outline_general(body, 0);
    }
}

#[test]
fn the_shortcut_passes_over_lists_and_inline_markup() {
    let body = "# Gear\n\
        - **Microphone**: a large-diaphragm condenser.\n\
        * *Cable*, `XLR`\n\
        + [Stand](https://example.com)\n\
        - - nested\n\
        1. First take\n\
        2) Second take\n\
        10. Tenth\n\
        **Note:** gain first.\n\
        *Tip*: listen.\n\
        __Loud__ and ``code``, ~~old~~\n\
        -3 dB or +1 dB, 1.5 dB, 2)x\n\
        A NUL \u{0}, a DEL \u{7f} and \u{1b}[1m escapes change no block.\n\
        [ref]: https://example.com\n\
        ==x\n\
        \x20 1. Songwriting\n\
        \x20  - indented item\n\
        \x20• Instagram\n\
        \x20one space\n\
        > [!NOTE]\n\
        > A quote with **emphasis**,\n\
        >\n\
        > - a list in it\n\
        : a line starting with a colon\n\
        :---\n\
        ## Takes\n";
    assert!(agree(body, 0), "the shortcut declined {body:?}");
    let headings = outline_simple(body, 0).unwrap().headings;
    let texts: Vec<_> = headings.iter().map(|h| (h.level, h.text(body))).collect();
    assert_eq!(texts, [(1, "Gear"), (2, "Takes")]);
}

/// Pieces of a line the shortcut reads as they are: words, digits, safe punctuation,
/// non-ASCII text and white space.
fn plain_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Mixing",
        "vocals",
        "a",
        "1990s",
        "4",
        " ",
        "  ",
        ",",
        ".",
        ":",
        ";",
        "'",
        "\"",
        "(",
        ")",
        "?",
        "/",
        "@",
        "%",
        "-",
        "=",
        "+",
        "é",
        "Ça",
        "—",
        "\u{a0}",
        "\u{2028}",
        "\u{3000}",
        "\u{feff}",
        "http://x.y/z",
    ])
}

/// Pieces of a line with every character the shortcut treats specially.
fn any_piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        plain_piece(),
        prop::sample::select(vec![
            "1.",
            "2)",
            "\t",
            "!",
            "$",
            "&",
            "&amp;",
            "^",
            "{",
            "}",
            "{#id}",
            "\\",
            "\\#",
            "#",
            "*",
            "**b**",
            "_",
            "`",
            "`c`",
            "[",
            "]",
            "[l](u)",
            "![i](p)",
            "<",
            ">",
            "<b>",
            "|",
            "~",
            "~~s~~",
            "\r",
            "\u{0}",
            "\u{7f}",
            "\u{b}",
            "\u{c}",
            "\u{1}",
            "\u{1b}",
            "<!--",
            "-->",
            "guidelint-",
            "<!-- guidelint-disable -->",
            "`<!-- guidelint-x -->`",
        ]),
    ]
}

fn text(piece: impl Strategy<Value = &'static str>) -> impl Strategy<Value = String> {
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn line() -> impl Strategy<Value = String> {
    let heading = |levels: std::ops::Range<usize>, seps: Vec<&'static str>, t| {
        (levels, prop::sample::select(seps), t)
            .prop_map(|(n, sep, t): (usize, &str, String)| format!("{}{sep}{t}", "#".repeat(n)))
    };
    let prose = |t: BoxedStrategy<String>| {
        (
            prop::sample::select(vec![
                "Mixing", "The", "A", "É", "\"Q\"", "(x)", "42", "It's", "!", "&", "**B**", "*e*",
                "[l](u)", "`c`", "__u__", "~~s~~", "-1", "1.5",
            ]),
            t,
        )
            .prop_map(|(w, t)| format!("{w}{t}"))
    };
    prop_oneof![
        8 => heading(1..7, vec![" ", "  "], text(plain_piece()).boxed()),
        8 => prose(text(plain_piece()).boxed()),
        3 => Just(String::new()),
        1 => heading(0..8, vec![" ", "", "\t", "\u{a0}"], text(any_piece()).boxed()),
        1 => prose(text(any_piece()).boxed()),
        1 => text(any_piece()),
        // Block markers.
        1 => prop::sample::select(vec![
            "- item", "* item", "+ item", "1. one", "3) three", "> quote", "```", "```rust",
            "~~~", "    code", "  two", "---", "===", "***", "___", "- - -", "<div>", "</div>",
            "<!-- c -->", "<!-- guidelint-enable -->", "[ref]: /url", "[^1]: note", "| a | b |", "|---|---|", "a | b",
            "--- | ---", ":-:", "   ", "\t", "Term", ": definition", "$$", "[ref]:",
            "[ref]: /url \"t", "(t)", "- ", "-", "1.", "1)", "- - x", "-  x", "-     x",
            "- # x", "- > x", "1. # x", "* * *", "-- -", "= =", "==x", "__x__", "**b** x",
            "*e* x", "`c` x", "``c`` x", "~~s~~ x", "-3 dB", "+1", "1.5 dB", "2)x", "  1. x",
            " - x", "   x", "    x", "  # x",
            "   ---", "  ===", "   ```", " > x", "  <div>", "   - - -",
            "````", "~~~~", "``` x`y", "~~~ a`b", "```\t", "``` ", "```  ", "\t```", "````x",
            "~~~", "```", "  ```", "    ```", "code | pipe", "\tcode", "# in code?",
        ]).prop_map(str::to_string),
        // Block quotes, and lines starting with a colon.
        1 => prop::sample::select(vec![
            ">", "> ", ">  ", "> [!NOTE]", ">}}", "> quote", ">quote", "> - item", "> 1. x",
            "> # x", ">#x", "> ## x", "> ```", "> ~~~", "> ===", "> ---", "> ***", ">> x",
            "> > x", ">  x", ">     code", ">\tx", "   > x", "    > x", "> <div>", "> | a |",
            "> `c` x", "> **b** x", "> -", "> - ", "> 1.", ": def", ":x", ": (`string`) x", ":-:",
            ": # x", "> : x", "> =", "> Title", "Title",
        ]).prop_map(str::to_string),
        1 => (
            prop::sample::select(vec!["> ", ">", "> - ", "  > ", ": "]),
            prop_oneof![prose(text(plain_piece()).boxed()), text(any_piece())],
        )
            .prop_map(|(m, t)| format!("{m}{t}")),
        // List items with text of every kind.
        2 => (
            prop::sample::select(vec![
                "- ", "* ", "+ ", "1. ", "2) ", "- - ", "1. - ", "-  ", " - ", "  1. ", "   * ",
                "  ", "   ",
            ]),
            prop_oneof![prose(text(plain_piece()).boxed()), text(any_piece())],
        )
            .prop_map(|(m, t)| format!("{m}{t}")),
    ]
}

fn body() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..8),
        prop::sample::select(vec!["\n", "\n", "\n", "\r\n"]),
        any::<bool>(),
    )
        .prop_map(|(lines, eol, last)| {
            let mut s = lines.join(eol);
            if last && !s.is_empty() {
                s.push_str(eol);
            }
            s
        })
}

/// Front matter before the body, so spans are checked as offsets in the file.
const PREFIX: &str = "---\ntitle: x\n---\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_shortcut_agrees_with_pulldown_cmark(body in body()) {
        let text = format!("{PREFIX}{body}");
        agree(&text, PREFIX.len());
    }
}

/// Bodies made mostly of fences, code and headings: where fenced code blocks open, close and
/// do not.
fn fenced_body() -> impl Strategy<Value = String> {
    let line = prop::sample::select(vec![
        "```",
        "```",
        "~~~",
        "~~~",
        "````",
        "~~~~",
        "```rust",
        "~~~ x `y`",
        "``` a`b",
        "  ```",
        "   ~~~",
        "    ```",
        "```  ",
        "``` x",
        "```\t",
        "\t```",
        "`` x",
        "# Heading",
        "## H2",
        "code",
        "x | y",
        "\tcode",
        "",
        "",
        "- item",
        "1. one",
        "Prose here.",
        "> quote",
        "> ```",
        ">",
        "> # H",
        "<!-- c -->",
        "  ~~~",
        "~~~~~",
        "````x",
        " ```",
        "```` ```",
    ]);
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn fenced_bodies_agree_with_pulldown_cmark(body in fenced_body(), end in any::<bool>()) {
        let text = format!("{PREFIX}{body}{}", if end { "\n" } else { "" });
        agree(&text, PREFIX.len());
    }
}

/// The property above says nothing if the shortcut seldom answers: it must answer for a fair
/// share of the generated bodies, headings included.
#[test]
fn the_generator_reaches_the_shortcut() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = body();
    let (mut answered, mut with_headings) = (0, 0);
    for _ in 0..2000 {
        let body = strategy.new_tree(&mut runner).unwrap().current();
        let text = format!("{PREFIX}{body}");
        if let Some(o) = outline_simple(&text, PREFIX.len()) {
            answered += 1;
            with_headings += usize::from(!o.headings.is_empty());
        }
    }
    assert!(answered > 200, "{answered} of 2000");
    assert!(with_headings > 100, "{with_headings} of 2000");
    // And the fenced bodies often have code blocks where it answers.
    let strategy = fenced_body();
    let mut with_code = 0;
    for _ in 0..2000 {
        let body = strategy.new_tree(&mut runner).unwrap().current();
        let text = format!("{PREFIX}{body}\n");
        with_code += usize::from(
            outline_simple(&text, PREFIX.len()).is_some_and(|o| o.code_blocks.len() >= 2),
        );
    }
    assert!(with_code > 100, "{with_code} of 2000");
}
