//! The README's generated parts must match the code.

use assert_cmd::Command;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn rules_section(readme: &str) -> &str {
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    &readme[start..end]
}

#[test]
fn readme_rules_table_matches_the_registry() {
    let readme = readme();
    let expected = guidelint::rules::markdown_table();
    assert_eq!(
        rules_section(&readme),
        expected,
        "README rules table is out of date; replace it with:\n{expected}"
    );
}

#[test]
fn readme_rules_table_matches_guidelint_rules() {
    let out = Command::cargo_bin("guidelint")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let listed: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.split_whitespace();
            (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().to_string(),
            )
        })
        .collect();
    let readme = readme();
    let documented: Vec<(String, String)> = rules_section(&readme)
        .lines()
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_string(), cells[2].to_string())
        })
        .collect();
    assert_eq!(documented, listed);
}

#[test]
fn readme_shows_the_current_json_contract_version() {
    assert!(readme().contains("\"version\": 1"));
}

#[test]
fn rule_docs_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let expected = guidelint::rules::markdown_docs();
    if std::env::var_os("GUIDELINT_UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/docs")).unwrap();
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run `GUIDELINT_UPDATE_SCHEMAS=1 cargo test --test readme`"
    );
}
