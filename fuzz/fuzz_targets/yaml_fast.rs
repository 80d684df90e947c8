//! The YAML loader's shortcut for simple front matter: wherever it answers, it gives exactly
//! what the general loader gives. Input is front matter (an article's, when it starts with a
//! `---` fence, else the whole input).
#![no_main]

use guidelint::input::yaml::{load_general, load_simple};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = match text.strip_prefix("---\n") {
        Some(rest) => rest.find("\n---").map_or(rest, |end| &rest[..=end]),
        None => text,
    };
    if let Some(fast) = load_simple(src, 4) {
        assert_eq!(Ok(fast), load_general(src, 4, 2), "{src:?}");
    }
});
