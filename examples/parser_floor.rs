//! The floor the parsers set: what reading a tree and running only the parsers guidelint uses
//! costs, without any rule, schema or report.
//!
//! `cargo run --release --example parser_floor -- MODE DIR [JOBS]` walks `DIR` the way
//! `guidelint check` does (same discovery, same thread pool size), reads every file and then,
//! by `MODE`:
//!
//! - `read`: counts lines starting with `#` (what `rg -c '^#'` does);
//! - `markdown`: reads the body's headings as guidelint does: its shortcut for articles of
//!   headings and prose only, else pulldown-cmark with guidelint's options, every event;
//! - `yaml`: reads the front matter as guidelint does: its shortcut for the usual shape
//!   (which also builds the value and spans), else saphyr's event parser;
//! - `parsers`: both;
//! - `deps`: both, with the front matter loaded into JSON (guidelint's loader) and validated
//!   against the built-in article schema by jsonschema alone (every error iterated, none
//!   placed or worded): what the three libraries a check stands on cost together.
//!
//! `scripts/bench.sh` times these beside `guidelint check` and ripgrep, so the benchmark shows
//! how much of guidelint's time the chosen parsers alone take.

use std::path::PathBuf;
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

// The allocator guidelint's binary uses, so that the floor is measured the same way.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Markdown,
    Yaml,
    Parsers,
    Deps,
}

/// The built-in article schema, compiled by jsonschema.
static VALIDATOR: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
    let schema = serde_json::from_str(guidelint::input::schema::BUILTIN_ARTICLE_SCHEMA)
        .expect("the built-in schema is JSON");
    jsonschema::validator_for(&schema).expect("the built-in schema compiles")
});

/// The text between `---` fences at the start of `text`, if any, and where the body starts.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..=end], 4 + end + 5))
}

/// Work one file, returning a number so that nothing is optimised away.
fn work(mode: Mode, text: &str) -> usize {
    let mut n = 0;
    if mode == Mode::Read {
        return text.lines().filter(|l| l.starts_with('#')).count();
    }
    let (yaml, body_start) = front_matter(text).map_or((None, 0), |(y, b)| (Some(y), b));
    if mode == Mode::Deps
        && let Some(yaml) = yaml
    {
        let tree = guidelint::input::yaml::load_simple(yaml, 4)
            .or_else(|| guidelint::input::yaml::load_general(yaml, 4, 2).ok());
        if let Some(tree) = tree {
            n += tree.spans.len() + VALIDATOR.iter_errors(&tree.value).count();
        }
    }
    if matches!(mode, Mode::Yaml | Mode::Parsers)
        && let Some(yaml) = yaml
    {
        n += match guidelint::input::yaml::load_simple(yaml, 4) {
            Some(tree) => tree.spans.len(),
            None => saphyr_parser::Parser::new_from_str(yaml)
                .take_while(Result::is_ok)
                .count(),
        };
    }
    if matches!(mode, Mode::Markdown | Mode::Parsers | Mode::Deps) {
        n += match guidelint::input::document::outline_simple(text, body_start) {
            Some(outline) => outline.headings.len() + outline.code_blocks.len(),
            None => {
                let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
                Parser::new_ext(&text[body_start..], options)
                    .into_offset_iter()
                    .count()
            }
        };
    }
    n
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some("read") => Mode::Read,
        Some("markdown") => Mode::Markdown,
        Some("yaml") => Mode::Yaml,
        Some("parsers") => Mode::Parsers,
        Some("deps") => Mode::Deps,
        _ => {
            eprintln!("usage: parser_floor read|markdown|yaml|parsers|deps DIR [JOBS]");
            return ExitCode::from(2);
        }
    };
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: parser_floor read|markdown|yaml|parsers|deps DIR [JOBS]");
        return ExitCode::from(2);
    };
    let jobs = args
        .get(2)
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let cwd = std::env::current_dir().unwrap_or_default();
    let settings = guidelint::config::Settings::defaults(cwd.clone());
    let (targets, _) = guidelint::input::discover::discover(&[dir], &cwd, &settings.filter(), jobs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("a thread pool");
    let total: usize = pool.install(|| {
        targets
            .par_iter()
            .map(|t| {
                std::fs::read(&t.path)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .map_or(0, |text| work(mode, &text))
            })
            .sum()
    });
    println!("{} files, {total}", targets.len());
    ExitCode::SUCCESS
}
