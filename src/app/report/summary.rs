//! `--format summary`: a Markdown job summary for `$GITHUB_STEP_SUMMARY`: counts per rule,
//! the files with the most findings, and the first findings with links.
//!
//! Article text is untrusted: it is shown in code spans with backticks and pipes escaped, and
//! HTML is neutralised, so a finding cannot restyle or inject content into the summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Sink, Totals};
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;

/// How many findings are listed.
const FIRST: usize = 20;

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    super::printable(text, false)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn link(path: &str, line: usize) -> String {
    let server = std::env::var("GITHUB_SERVER_URL").unwrap_or_default();
    let repo = std::env::var("GITHUB_REPOSITORY").unwrap_or_default();
    let sha = std::env::var("GITHUB_SHA").unwrap_or_default();
    let shown = format!("`{}:{line}`", cell(path).replace('`', "'"));
    if server.is_empty() || repo.is_empty() || sha.is_empty() {
        return shown;
    }
    let encoded: String = path
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("[{shown}]({server}/{repo}/blob/{sha}/{encoded}#L{line})")
}

/// How many files the table of files with the most findings lists.
const MOST: usize = 10;

/// The Markdown summary: written at the end, from counts and the first findings kept on the
/// way (its size does not grow with the number of files or findings).
pub(super) struct Summary<'a> {
    out: Box<dyn Write + 'a>,
    /// Findings not in the baseline.
    live: usize,
    /// Per rule: findings and severity.
    per_rule: BTreeMap<&'static str, (usize, &'static str)>,
    /// The files with the most findings so far: (findings, path), most first.
    most: Vec<(usize, String)>,
    /// The first findings: where (path, line), rule and message.
    first: Vec<(String, usize, &'static str, String)>,
}

impl<'a> Summary<'a> {
    pub(super) fn new(out: Box<dyn Write + 'a>) -> Self {
        Self {
            out,
            live: 0,
            per_rule: BTreeMap::new(),
            most: Vec::new(),
            first: Vec::new(),
        }
    }
}

impl Sink for Summary<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        let mut n = 0;
        for d in file.diagnostics.iter().filter(|d| !d.baselined) {
            n += 1;
            let e = self
                .per_rule
                .entry(d.rule)
                .or_insert((0, d.severity.as_str()));
            e.0 += 1;
            if self.first.len() < FIRST {
                self.first.push((
                    file.path.clone(),
                    d.location.start.line,
                    d.rule,
                    d.message.to_string(),
                ));
            }
        }
        self.live += n;
        // Files come in path order: a later file with as many findings ranks after.
        if n > 0 && (self.most.len() < MOST || self.most.last().is_some_and(|m| m.0 < n)) {
            let at = self.most.partition_point(|m| m.0 >= n);
            self.most.insert(at, (n, file.path.clone()));
            self.most.truncate(MOST);
        }
        Ok(())
    }

    fn end(&mut self, totals: &Totals, failures: &[Failure]) -> io::Result<()> {
        let out = &mut self.out;
        let (errors, warnings) = (totals.errors, totals.warnings);
        let status = if errors > 0 || !failures.is_empty() {
            "❌"
        } else if warnings > 0 {
            "⚠️"
        } else {
            "✅"
        };
        writeln!(out, "## {status} guidelint\n")?;
        let plural = |n: usize, word: &str| format!("{word}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "Checked {} {}: **{errors}** {}, **{warnings}** {}{}.\n",
            totals.files,
            plural(totals.files, "file"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            if failures.is_empty() {
                String::new()
            } else {
                format!(
                    ", **{}** {} not checked",
                    failures.len(),
                    plural(failures.len(), "file")
                )
            }
        )?;
        if self.live == 0 && failures.is_empty() {
            return out.flush();
        }
        writeln!(out, "| Rule | Severity | Findings |\n| --- | --- | ---: |")?;
        let mut rules: Vec<_> = self.per_rule.iter().collect();
        rules.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (rule, (n, severity)) in rules {
            writeln!(out, "| `{rule}` | {severity} | {n} |")?;
        }
        writeln!(
            out,
            "\n### Files with the most findings\n\n| File | Findings |\n| --- | ---: |"
        )?;
        for (n, path) in &self.most {
            writeln!(out, "| `{}` | {n} |", cell(path))?;
        }
        writeln!(
            out,
            "\n### First findings\n\n| Where | Rule | Message |\n| --- | --- | --- |"
        )?;
        for (path, line, rule, message) in &self.first {
            writeln!(
                out,
                "| {} | `{rule}` | {} |",
                link(path, *line),
                cell(message)
            )?;
        }
        if self.live > FIRST {
            writeln!(out, "\n…and {} more.", self.live - FIRST)?;
        }
        for f in failures {
            writeln!(
                out,
                "\n- Not checked: `{}`: {}",
                cell(&f.path),
                cell(&f.message)
            )?;
        }
        writeln!(out)?;
        out.flush()
    }
}
