//! The README must match the code: its generated rules table, and every example it shows
//! (the pages of docs/ too).
//!
//! An example is a ```` ```console ```` block: each `$ guidelint ...` line is a command, and
//! the lines after it, up to the next `$` line or the end of the block, are what it prints
//! (stdout, then stderr). The commands of a block run in turn, without a shell, in one
//! temporary copy of the example guide `fixtures/guide`, so `--fix` never touches the
//! repository. Examples that cannot run here (a pipe, a redirection, an install) belong in
//! ```` ```sh ```` blocks, without a `$` prompt.

use std::path::Path;

use assert_cmd::Command;

const MAX_README_LINES: usize = 350;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn readme() -> String {
    read("README.md")
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

/// The JSON contract is documented in docs/usage.md, with the version the tool writes.
#[test]
fn usage_shows_the_current_json_contract_version() {
    let out = Command::cargo_bin("guidelint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--no-cache", "--format", "json", "fixtures/guide"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let version = &report["version"];
    assert_eq!(
        version, 1,
        "the JSON contract changed: update docs/usage.md"
    );
    assert!(read("docs/usage.md").contains(&format!("\"version\": {version}")));
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

#[test]
fn readme_is_short() {
    let lines = readme().lines().count();
    assert!(
        lines <= MAX_README_LINES,
        "README.md has {lines} lines, more than {MAX_README_LINES}: move details into docs/"
    );
}

/// A fenced code block of the README.
struct Block {
    /// The info string (`console`, `sh`, ...).
    info: String,
    /// 1-based line number of the opening fence.
    line: usize,
    /// The lines between the fences.
    body: Vec<String>,
}

/// The fenced code blocks of a Markdown text (backtick fences, as the README writes them).
fn fenced_blocks(file: &str, markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (n, line) in markdown.lines().enumerate() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        match &mut open {
            None if ticks >= 3 => {
                let block = Block {
                    info: line[ticks..].trim().to_string(),
                    line: n + 1,
                    body: Vec::new(),
                };
                open = Some((ticks, block));
            }
            None => {}
            Some((fence, _)) if ticks >= *fence && line.trim_end().len() == ticks => {
                blocks.push(open.take().unwrap().1);
            }
            Some((_, block)) => block.body.push(line.to_string()),
        }
    }
    assert!(
        open.is_none(),
        "{file} has a code block that is never closed"
    );
    blocks
}

/// A command of a `console` block and the output shown after it.
struct Example {
    /// 1-based line number of the `$` line in the README.
    line: usize,
    command: String,
    expected: String,
}

fn examples_of(file: &str, block: &Block) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for (i, line) in block.body.iter().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: block.line + 1 + i,
                command: command.to_string(),
                expected: String::new(),
            });
        } else {
            let example = examples.last_mut().unwrap_or_else(|| {
                panic!(
                    "{file}:{}: a console block must start with a `$ guidelint ...` line",
                    block.line
                )
            });
            example.expected.push_str(line);
            example.expected.push('\n');
        }
    }
    examples
}

/// The arguments of a `$ guidelint ...` line, split at blanks: no shell runs them.
fn arguments<'a>(file: &str, example: &'a Example) -> Vec<&'a str> {
    let mut words = example.command.split_whitespace();
    assert_eq!(
        words.next(),
        Some("guidelint"),
        "{file}:{}: a console example must run `guidelint`",
        example.line
    );
    let words: Vec<&str> = words.collect();
    if let Some(word) = words
        .iter()
        .find(|w| w.contains(['\'', '"', '<', '>', '|', '&', ';', '$', '*', '`']))
    {
        panic!(
            "{file}:{}: `{word}` needs a shell; show this example in a ```sh block instead",
            example.line
        );
    }
    words
}

/// Replace the run time of summary lines (`Checked 6 files in 0.01s: ...`), the one part of
/// the output that changes from run to run.
fn redact_time(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let Some(checked) = line.find("Checked ") else {
                return line.to_string();
            };
            let Some(in_) = line[checked..].find(" in ").map(|i| checked + i) else {
                return line.to_string();
            };
            match line[in_..].find("s: ").map(|i| in_ + i) {
                Some(colon) => format!("{} in [TIME]{}", &line[..in_], &line[colon + 1..]),
                None => line.to_string(),
            }
        })
        .collect()
}

/// Copy a folder of the repository into `to`, keeping its relative path.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding copies of the example guide at `fixtures/guide`, the path the
/// README's commands name, and at `my-guide`, the copy it tells readers to make before
/// `--fix`.
fn example_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/guide");
    copy_tree(&guide, &dir.path().join("fixtures/guide"));
    copy_tree(&guide, &dir.path().join("my-guide"));
    dir
}

fn run(file: &str, example: &Example, dir: &Path) -> String {
    let output = Command::cargo_bin("guidelint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .args(arguments(file, example))
        .output()
        .unwrap();
    let mut shown = String::from_utf8_lossy(&output.stdout).into_owned();
    shown.push_str(&String::from_utf8_lossy(&output.stderr));
    shown
}

/// Run the console examples of one Markdown file of the repository; returns how many ran and
/// what failed.
fn check_examples(file: &str) -> (usize, Vec<String>) {
    let text = read(file);
    let mut ran = 0;
    let mut failures = Vec::new();
    for block in fenced_blocks(file, &text) {
        if block.info != "console" {
            if let Some(i) = block.body.iter().position(|l| l.starts_with("$ ")) {
                failures.push(format!(
                    "{file}:{}: a command with a `$` prompt outside a ```console block; mark \
                     the block ```console so that it is tested, or drop the prompt",
                    block.line + 1 + i
                ));
            }
            continue;
        }
        let dir = example_folder();
        for example in examples_of(file, &block) {
            let actual = run(file, &example, dir.path());
            ran += 1;
            if redact_time(&actual) != redact_time(&example.expected) {
                failures.push(format!(
                    "{file}:{}: `{}` prints something else than {file} shows. It prints \
                     (stdout, then stderr):\n$ {}\n{actual}",
                    example.line, example.command, example.command
                ));
            }
        }
    }
    (ran, failures)
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let (ran, failures) = check_examples("README.md");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 5, "only {ran} console examples found in README.md");
}

/// The pages of docs/ may hold console examples too; they are held to the same standard.
#[test]
fn docs_examples_print_what_the_docs_show() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut pages: Vec<String> = std::fs::read_dir(docs)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    pages.sort();
    let failures: Vec<String> = pages
        .iter()
        .flat_map(|page| check_examples(page).1)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_time_of_a_summary_line_is_redacted() {
    assert_eq!(
        redact_time("x\nFixed 5 findings. Checked 6 files in 0.03s: 4 errors\n"),
        "x\nFixed 5 findings. Checked 6 files in [TIME]: 4 errors\n"
    );
    assert_eq!(
        redact_time("Checked 1 file in 12.50s: no problems found"),
        "Checked 1 file in [TIME]: no problems found"
    );
}

#[test]
fn console_blocks_are_parsed_into_commands_and_outputs() {
    let markdown = "text\n\n````console\n$ guidelint rule x\n# x\n```markdown\n# y\n```\n\n$ guidelint rules\na\n````\n";
    let blocks = fenced_blocks("test.md", markdown);
    assert_eq!(blocks.len(), 1);
    let examples = examples_of("test.md", &blocks[0]);
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].line, 4);
    assert_eq!(examples[0].command, "guidelint rule x");
    assert_eq!(examples[0].expected, "# x\n```markdown\n# y\n```\n\n");
    assert_eq!(examples[1].line, 10);
    assert_eq!(arguments("test.md", &examples[1]), ["rules"]);
    assert_eq!(examples[1].expected, "a\n");
}
