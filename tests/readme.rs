//! The README's generated parts must match the code.

#[test]
fn readme_rules_table_matches_the_registry() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let expected = guidelint::rules::markdown_table();
    assert_eq!(
        &readme[start..end],
        expected,
        "README rules table is out of date; replace it with:\n{expected}"
    );
}

#[test]
fn readme_shows_the_current_json_contract_version() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("\"version\": 1"));
}
