//! Any bytes: parsing and checking never panic, and every finding lies inside the file.
#![no_main]

use std::sync::OnceLock;

use guidelint::config::Settings;
use guidelint::engine::linter::Linter;
use libfuzzer_sys::fuzz_target;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(Settings::defaults(std::env::temp_dir())))
}

fuzz_target!(|data: &[u8]| {
    let (doc, diagnostics) = linter().check_bytes(data.to_vec(), "");
    for d in &diagnostics {
        assert!(d.span.start <= d.span.end, "{d:?}");
        if doc.problem.is_none() {
            assert!(d.span.end <= doc.text.len(), "{d:?}");
            assert!(
                doc.text.is_char_boundary(d.span.start) && doc.text.is_char_boundary(d.span.end),
                "{d:?}"
            );
        }
        let (start, end) = (doc.line_col(d.span.start), doc.line_col(d.span.end));
        assert!(start <= end, "{d:?}");
    }
});
