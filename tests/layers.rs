//! The layers of `src/` only point down: a module may use its own layer and the layers below
//! it, never one above (see docs/architecture.md). This test reads every source file and
//! fails, naming the file, the line and the path, on any `crate::` path into a higher layer.

use std::path::{Path, PathBuf};

/// Every layer, bottom first: the first segment of a `crate::` path, which is also the
/// folder (or file) under `src/` that holds it.
const LAYERS: &[&str] = &["base", "input", "rules", "config", "engine", "app"];

fn layer_of(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == name)
}

/// The layer a source file belongs to: its first folder under `src/`, or its own name for a
/// layer that is one file (`config.rs`). `None` for the crate root and the binary.
fn layer_of_file(relative: &Path) -> Option<usize> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    layer_of(first.strip_suffix(".rs").unwrap_or(first))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line without its comment (a `//` outside a string literal ends the code).
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut k = 0;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' if in_string => k += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(k + 1) == Some(&b'/') => return &line[..k],
            _ => {}
        }
        k += 1;
    }
    line
}

/// The first segments of the `crate::` paths in `code`, with `use crate::{a::x, b}` groups
/// opened.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Only the top level of the group: `crate::{a::{x, y}, b}` names a and b.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            found.push(first_segment(&item));
        } else {
            found.push(first_segment(rest));
        }
    }
    found.retain(|s| !s.is_empty());
    found
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every `crate::` path from a file into a higher layer, as `file:line: message`.
fn upward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let Some(own) = layer_of_file(relative) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in crate_paths(code_of(line)) {
                match layer_of(&target) {
                    Some(layer) if layer > own => problems.push(format!(
                        "src/{}:{}: `crate::{target}` is in layer `{}`, above `{}`: {}",
                        relative.display(),
                        n + 1,
                        LAYERS[layer],
                        LAYERS[own],
                        line.trim()
                    )),
                    Some(_) => {}
                    None => problems.push(format!(
                        "src/{}:{}: `crate::{target}` is in no layer (add it to LAYERS or move it into one): {}",
                        relative.display(),
                        n + 1,
                        line.trim()
                    )),
                }
            }
        }
    }
    problems
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = upward_imports(&src);
    assert!(
        problems.is_empty(),
        "{} import(s) point up a layer (layers, bottom first: {}):\n{}",
        problems.len(),
        LAYERS.join(" → "),
        problems.join("\n")
    );
}

#[test]
fn every_folder_of_src_is_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let stem = name.strip_suffix(".rs").unwrap_or(&name);
        assert!(
            layer_of(stem).is_some() || stem == "lib" || stem == "main",
            "src/{name} is in no layer: add it to LAYERS in tests/layers.rs or move it into a layer"
        );
    }
}

#[test]
fn the_scanner_finds_upward_imports_however_they_are_written() {
    let dir = std::env::temp_dir().join(format!("guidelint-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("base")).unwrap();
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(
        dir.join("base/a.rs"),
        "use crate::base::span::Span;\n\
         // use crate::app::cli; (a comment)\n\
         let s = \"crate::app\"; use crate::{base::text, rules::RULES};\n\
         fn f() { crate::engine::linter::run(); }\n\
         use crate::nowhere::x;\n",
    )
    .unwrap();
    std::fs::write(dir.join("rules/b.rs"), "use crate::config::Settings;\n").unwrap();
    std::fs::write(dir.join("config.rs"), "use crate::rules::RULES;\n").unwrap();
    let problems = upward_imports(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let lines: Vec<&str> = problems
        .iter()
        .map(|p| p.split(": `").next().unwrap())
        .collect();
    // The string literal is not code; `crate::app` inside it is still found by the simple
    // scanner, which errs on the side of a false alarm.
    assert_eq!(
        lines,
        [
            "src/base/a.rs:3",
            "src/base/a.rs:3",
            "src/base/a.rs:4",
            "src/base/a.rs:5",
            "src/rules/b.rs:1"
        ],
        "{problems:#?}"
    );
    assert!(problems[4].contains("`crate::config` is in layer `config`, above `rules`"));
    assert!(problems[3].contains("is in no layer"));
}
