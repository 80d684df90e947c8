//! The layers of `src/` only point down: a module may use its own layer and the layers below
//! it, never one above (see docs/architecture.md). This test reads every source file in a
//! layer and fails, naming the file, the line and the path, on any path into a higher layer:
//! `crate::…` (groups and spaces included, over several lines), `super::…` that climbs out of
//! the layer, and the ways around both (`#[path]`, `use crate as …`, `extern crate self`,
//! globs of the crate root).

use std::path::{Path, PathBuf};

use regex::Regex;

/// Every layer, bottom first: the first segment of a `crate::` path, which is also the
/// folder (or file) under `src/` that holds it.
const LAYERS: &[&str] = &["base", "input", "rules", "config", "engine", "app"];

fn layer_of(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == name)
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

/// The module path of a file under `src/`: `base/hash.rs` is `base::hash`, `engine/linter/
/// mod.rs` is `engine::linter`; the crate root and the binary are the empty path.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") || parts == ["lib"] || parts == ["main"] {
        parts.pop();
    }
    parts
}

/// `src` with comments, string literals and character literals replaced by blanks (line
/// breaks kept, so offsets and line numbers still hold): only code is left to read.
fn code_of(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut out[from..to] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let prev_ident = i > 0 && ident(b[i - 1]);
        if b[i..].starts_with(b"//") {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let (mut depth, mut j) = (1, i + 2);
            while j < b.len() && depth > 0 {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if !prev_ident && (b[i] == b'r' || b[i..].starts_with(b"br")) && {
            let k = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[k..].iter().take_while(|&&c| c == b'#').count();
            b.get(k + hashes) == Some(&b'"')
        } {
            let k = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[k..].iter().take_while(|&&c| c == b'#').count();
            let mut closing = vec![b'"'];
            closing.extend(std::iter::repeat_n(b'#', hashes));
            let body = k + hashes + 1;
            let end = b[body..]
                .windows(closing.len())
                .position(|w| w == closing.as_slice())
                .map_or(b.len(), |n| body + n + closing.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '"', '\u{1F600}'), or a lifetime ('a), left.
            let len = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&c| c == b'\'').map(|n| n + 3)
            } else {
                let c = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + c) == Some(&b'\'')).then_some(c + 2)
            };
            match len {
                Some(len) => {
                    blank(&mut out, i, i + len);
                    i += len;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("only ASCII bytes were changed")
}

/// The inline modules of `code` (`mod tests { … }`): where each starts and ends, and its name.
fn inline_modules(code: &str) -> Vec<(usize, usize, String)> {
    let opening = Regex::new(r"\bmod\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{").unwrap();
    let mut found = Vec::new();
    for m in opening.captures_iter(code) {
        let start = m.get(0).unwrap().end();
        let mut depth = 1;
        let mut end = code.len();
        for (k, c) in code[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push((start, end, m[1].to_string()));
    }
    found
}

/// The module path at `offset` of a file whose module is `file`: the file's, then the inline
/// modules around the offset.
fn module_at(file: &[String], inline: &[(usize, usize, String)], offset: usize) -> Vec<String> {
    let mut path = file.to_vec();
    path.extend(
        inline
            .iter()
            .filter(|(start, end, _)| *start <= offset && offset < *end)
            .map(|(_, _, name)| name.clone()),
    );
    path
}

/// The first segments of the items a `crate::{…}` group names, with nested groups skipped.
fn group_items(group: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut depth, mut item) = (0, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth == 0 && c != '}' {
            item.push(c);
        }
    }
    items.push(item);
    items
        .iter()
        .map(|i| i.split("::").next().unwrap_or("").trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// The text of the group that starts at `open` (a `{`), without its braces.
fn group_at(code: &str, open: usize) -> &str {
    let mut depth = 0;
    for (k, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &code[open + 1..open + k];
                }
            }
            _ => {}
        }
    }
    &code[open + 1..]
}

/// What a file reaches at the crate's top level, with the offset of each path: the first
/// segment after `crate::`, or after the `super::`s that climb to the crate root.
fn top_level_paths(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let inline = inline_modules(code);
    let mut found = Vec::new();
    let crate_path = Regex::new(r"\bcrate\s*::\s*(\{|\*|[A-Za-z_][A-Za-z0-9_]*)").unwrap();
    for m in crate_path.captures_iter(code) {
        let at = m.get(0).unwrap().start();
        let next = m.get(1).unwrap();
        match next.as_str() {
            "{" => {
                for item in group_items(group_at(code, next.start())) {
                    found.push((at, item));
                }
            }
            other => found.push((at, other.to_string())),
        }
    }
    let super_path = Regex::new(r"\b((?:super\s*::\s*)+)(\{|\*|[A-Za-z_][A-Za-z0-9_]*)").unwrap();
    for m in super_path.captures_iter(code) {
        let at = m.get(0).unwrap().start();
        // A `super::` inside a longer path (`self::super::x`, `crate::a::super`) is not one
        // that starts at this module; Rust allows `super` only first or after `super`.
        let before = code[..at].trim_end();
        if before.ends_with("::") {
            continue;
        }
        let climbs = m[1].matches("super").count();
        let here = module_at(module, &inline, at);
        if climbs < here.len() {
            continue;
        }
        let next = m.get(2).unwrap();
        match next.as_str() {
            "{" => {
                for item in group_items(group_at(code, next.start())) {
                    found.push((at, item));
                }
            }
            other => found.push((at, other.to_string())),
        }
    }
    found
}

/// Constructs that reach the crate root without a path the scan could follow.
fn escapes(code: &str) -> Vec<(usize, &'static str)> {
    let forms = [
        (
            r"#\s*\[\s*path\s*=",
            "a `#[path]` attribute (a module file outside its layer)",
        ),
        (
            r"\bextern\s+crate\s+self\b",
            "`extern crate self` (a second name for the crate)",
        ),
        (
            r"\buse\s+crate\s+as\b",
            "`use crate as …` (a second name for the crate)",
        ),
    ];
    let mut found = Vec::new();
    for (pattern, what) in forms {
        for m in Regex::new(pattern).unwrap().find_iter(code) {
            found.push((m.start(), what));
        }
    }
    found
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Every path from a file into a higher layer, as `file:line: message`.
fn upward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let module = module_of(relative);
        let text = std::fs::read_to_string(&file).unwrap();
        let code = code_of(&text);
        let shown = |offset: usize| {
            let n = line_of(&text, offset);
            (n, text.lines().nth(n - 1).unwrap_or("").trim().to_string())
        };
        let name = relative.display();
        // The crate root and the binary declare the layers: they may name them all.
        let Some(own) = module.first().and_then(|m| layer_of(m)) else {
            continue;
        };
        let mut found: Vec<(usize, String)> = escapes(&code)
            .into_iter()
            .map(|(offset, what)| (offset, format!("{what} is not allowed")))
            .collect();
        for (offset, target) in top_level_paths(&code, &module) {
            match layer_of(&target) {
                Some(layer) if layer > own => found.push((
                    offset,
                    format!(
                        "`{target}` is in layer `{}`, above `{}`",
                        LAYERS[layer], LAYERS[own]
                    ),
                )),
                Some(_) => {}
                None => found.push((
                    offset,
                    format!(
                        "`{target}` at the crate root is in no layer (add it to LAYERS or move it into one)"
                    ),
                )),
            }
        }
        found.sort_by_key(|(offset, _)| *offset);
        for (offset, what) in found {
            let (n, line) = shown(offset);
            problems.push(format!("src/{name}:{n}: {what}: {line}"));
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

/// Write `files` (path under `src/`, text) into a fresh folder and scan it: the line numbers
/// of the problems found, as `path:line`.
fn scan(files: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let problems = upward_imports(dir.path());
    let places = problems
        .iter()
        .map(|p| p.split(": ").next().unwrap().to_string())
        .collect();
    (places, problems)
}

#[test]
fn the_scanner_finds_upward_paths_however_they_are_written() {
    let (places, problems) = scan(&[
        (
            "base/a.rs",
            "use crate::base::span::Span;\n\
             // use crate::app::cli; (a comment)\n\
             let s = \"crate::app\"; use crate::{base::text, rules::RULES};\n\
             fn f() { crate :: engine::linter::run(); }\n\
             use crate::{\n    base::x,\n    app::cli::Cli,\n};\n\
             use crate::\n    config::Settings;\n\
             fn g() -> usize { super::super::rules::RULES.len() }\n\
             let c = '\"'; let u = \"http://x\"; use crate::app::y;\n\
             /* use crate::app::z; /* nested */ crate::app::w */\n\
             let r = r#\"crate::app \"quoted\"\"#; use crate::nowhere::x;\n",
        ),
        ("base/mod.rs", "pub use super::app::cli::Cli;\nmod a;\n"),
        (
            "base/b.rs",
            "#[path = \"../app/cli/mod.rs\"]\nmod cli;\nuse crate as root;\nextern crate self as g;\nuse crate::*;\n",
        ),
        (
            "rules/c.rs",
            "use crate::config::Settings;\nmod tests {\n    use super::super::RULES;\n    fn f() { super::super::super::app::run(); }\n}\n",
        ),
        (
            "config.rs",
            "use crate::rules::RULES;\nuse super::engine::x;\n",
        ),
        ("lib.rs", "pub mod app;\npub mod base;\n"),
    ]);
    assert_eq!(
        places,
        [
            "src/base/a.rs:3",
            "src/base/a.rs:4",
            "src/base/a.rs:5",
            "src/base/a.rs:9",
            "src/base/a.rs:11",
            "src/base/a.rs:12",
            "src/base/a.rs:14",
            "src/base/b.rs:1",
            "src/base/b.rs:3",
            "src/base/b.rs:4",
            "src/base/b.rs:5",
            "src/base/mod.rs:1",
            "src/config.rs:2",
            "src/rules/c.rs:1",
            "src/rules/c.rs:4",
        ],
        "{problems:#?}"
    );
    assert!(problems[0].contains("`rules` is in layer `rules`, above `base`"));
    assert!(problems[6].contains("is in no layer"));
    assert!(problems[7].contains("`#[path]`"));
    assert!(problems[10].contains("`*` at the crate root is in no layer"));
}
