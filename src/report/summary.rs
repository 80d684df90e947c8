//! `--format summary`: a Markdown job summary for `$GITHUB_STEP_SUMMARY`: counts per rule,
//! the files with the most findings, and the first findings with links.
//!
//! Article text is untrusted: it is shown in code spans with backticks and pipes escaped, and
//! HTML is neutralised, so a finding cannot restyle or inject content into the summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::linter::RunResult;

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

pub(super) fn write(result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let live: Vec<_> = super::findings(result)
        .filter(|(_, d)| !d.baselined)
        .collect();
    let errors = live
        .iter()
        .filter(|(_, d)| d.severity == Severity::Error)
        .count();
    let warnings = live
        .iter()
        .filter(|(_, d)| d.severity == Severity::Warning)
        .count();
    let status = if errors > 0 || !result.failures.is_empty() {
        "❌"
    } else if warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    writeln!(out, "## {status} guidelint\n")?;
    writeln!(
        out,
        "Checked {} files: **{errors}** errors, **{warnings}** warnings{}.\n",
        result.files.len(),
        if result.failures.is_empty() {
            String::new()
        } else {
            format!(", **{}** files not checked", result.failures.len())
        }
    )?;
    if live.is_empty() && result.failures.is_empty() {
        return Ok(());
    }
    let mut per_rule: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (_, d) in &live {
        let e = per_rule.entry(d.rule).or_insert((0, d.severity.as_str()));
        e.0 += 1;
    }
    writeln!(out, "| Rule | Severity | Findings |\n| --- | --- | ---: |")?;
    let mut rules: Vec<_> = per_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    for (rule, (n, severity)) in rules {
        writeln!(out, "| `{rule}` | {severity} | {n} |")?;
    }
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, _) in &live {
        *per_file.entry(path).or_default() += 1;
    }
    let mut files: Vec<_> = per_file.into_iter().collect();
    files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    writeln!(
        out,
        "\n### Files with the most findings\n\n| File | Findings |\n| --- | ---: |"
    )?;
    for (path, n) in files.iter().take(10) {
        writeln!(out, "| `{}` | {n} |", cell(path))?;
    }
    writeln!(
        out,
        "\n### First findings\n\n| Where | Rule | Message |\n| --- | --- | --- |"
    )?;
    for (path, d) in live.iter().take(FIRST) {
        let start = d.location.start;
        writeln!(
            out,
            "| {} | `{}` | {} |",
            link(path, start.line),
            d.rule,
            cell(&d.message)
        )?;
    }
    if live.len() > FIRST {
        writeln!(out, "\n…and {} more.", live.len() - FIRST)?;
    }
    for f in &result.failures {
        writeln!(
            out,
            "\n- Not checked: `{}`: {}",
            cell(&f.path),
            cell(&f.message)
        )?;
    }
    writeln!(out)
}
