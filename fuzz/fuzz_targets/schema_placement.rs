//! Any YAML text as front matter: every schema finding is placed on bytes of that text (or
//! on the opening line) and names a JSON Pointer the document has, or a missing field.
#![no_main]

use std::sync::OnceLock;

use guidelint::base::span::Span;
use guidelint::input::schema::{Anchors, Schema};
use libfuzzer_sys::fuzz_target;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::article)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The YAML starts after a 4-byte opening line, as in a file.
    let Ok(tree) = guidelint::input::yaml::load(text, 4, 2) else {
        return;
    };
    let open = Span::new(0, 3);
    for f in schema().validate(&tree, Anchors { open }) {
        assert!(
            f.span == open
                || (f.span.start >= 4
                    && f.span.end <= 4 + text.len()
                    && f.span.start <= f.span.end),
            "{f:?}"
        );
        assert!(
            f.missing
                || f.pointer.is_empty()
                || tree.locate(&f.pointer).is_some()
                || f.message.starts_with("Unknown"),
            "{f:?}"
        );
    }
});
