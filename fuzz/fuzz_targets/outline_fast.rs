//! The outline's shortcut for plain articles: wherever it answers, its headings and fenced
//! code blocks are pulldown-cmark's and the body has no raw HTML that may hold a suppression
//! comment. Input is an article (its body read after a `---` fenced front matter, when it
//! starts with one) or a body.
#![no_main]

use guidelint::input::document::{outline_general, outline_simple};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let body_start = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n"))
        .map_or(0, |end| 4 + end + 5);
    if let Some(fast) = outline_simple(text, body_start) {
        assert_eq!(fast, outline_general(text, body_start), "{text:?}");
    }
});
