//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other viewers.
//!
//! Hand-written serde structs for the part of the standard guidelint uses. Columns are
//! Unicode code points (`columnKind`), as everywhere in guidelint.

use std::io::{self, Write};

use serde::Serialize;

use super::{JsonArray, Sink, Totals};
use crate::base::diagnostic::Severity;
use crate::engine::linter::FileResult;
use crate::input::discover::Failure;
use crate::rules::RULES;

/// Where the project and its rule documentation live.
pub const HOMEPAGE: &str = env!("CARGO_PKG_REPOSITORY");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    invocations: Vec<Invocation<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "guidelint/v1")]
    guidelint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: Artifact<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    uri: String,
    #[serde(skip)]
    _path: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Artifact<'a>,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: ByteRegion,
    inserted_content: Content<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
struct Content<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI: relative paths as relative references, absolute ones (outside the
/// working directory) as `file:` URIs; bytes outside the unreserved set percent-encoded (a
/// `:` too, so that no relative path reads as a scheme), except a Windows drive's colon.
fn uri(path: &str) -> String {
    let windows_drive =
        path.as_bytes().get(1) == Some(&b':') && path.as_bytes()[0].is_ascii_alphabetic();
    let mut out = if path.starts_with('/') {
        String::from("file://")
    } else if windows_drive {
        String::from("file:///")
    } else {
        String::new()
    };
    for (i, b) in path.bytes().enumerate() {
        if b.is_ascii_alphanumeric()
            || b"-._~/".contains(&b)
            || (b == b':' && i == 1 && windows_drive)
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The documentation address of a rule.
#[must_use]
pub fn help_uri(rule: &str) -> String {
    format!("{HOMEPAGE}/blob/main/docs/rules.md#{rule}")
}

fn artifact(path: &str) -> Artifact<'_> {
    Artifact {
        uri: uri(path),
        _path: path,
    }
}

fn descriptors() -> Vec<RuleDescriptor> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleDescriptor {
                id: m.name,
                name: m
                    .name
                    .split('-')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next().map_or_else(String::new, |f| {
                            f.to_uppercase().collect::<String>() + c.as_str()
                        })
                    })
                    .collect(),
                short_description: Text {
                    text: format!("{}.", m.summary),
                },
                full_description: Text {
                    text: section(m.explanation, "What it does")
                        .unwrap_or(m.summary)
                        .to_string(),
                },
                help: Help {
                    text: m.explanation.to_string(),
                    markdown: m.explanation.to_string(),
                },
                help_uri: help_uri(m.name),
                default_configuration: Configuration {
                    level: level(m.default_severity),
                    enabled: m.enabled,
                },
            }
        })
        .collect()
}

/// The document with no results, and the invocation made of `failures`.
fn document(failures: &[Failure]) -> String {
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "guidelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: HOMEPAGE,
                    rules: descriptors(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: Vec::new(),
            invocations: vec![Invocation {
                execution_successful: failures.is_empty(),
                tool_execution_notifications: failures
                    .iter()
                    .map(|f| Notification {
                        level: "error",
                        message: Text {
                            text: f.message.clone(),
                        },
                        locations: vec![Location {
                            physical_location: PhysicalLocation {
                                artifact_location: artifact(&f.path),
                                region: None,
                            },
                        }],
                    })
                    .collect(),
            }],
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// Where the results go in the document.
const MARKER: &str = "\"results\": []";

/// The SARIF log: results written file by file, the invocation (failures) at the end.
pub(super) struct Sarif<'a> {
    out: Box<dyn Write + 'a>,
    array: Option<JsonArray>,
}

impl<'a> Sarif<'a> {
    pub(super) fn new(out: Box<dyn Write + 'a>) -> Self {
        Self { out, array: None }
    }
}

impl Sink for Sarif<'_> {
    fn file(&mut self, file: &FileResult) -> io::Result<()> {
        if file.diagnostics.is_empty() {
            return Ok(());
        }
        let array = JsonArray::started(&mut self.array, &mut self.out, || document(&[]), MARKER)?;
        let out = &mut self.out;
        let path = file.path.as_str();
        for (d, print) in file
            .diagnostics
            .iter()
            .zip(crate::app::fingerprint::of_file(file))
        {
            let (start, end) = (d.location.start, d.location.end);
            let item = SarifResult {
                rule_id: d.rule,
                rule_index: RULES
                    .iter()
                    .position(|r| r.meta().name == d.rule)
                    .unwrap_or(0),
                level: level(d.severity),
                message: Text {
                    text: match &d.help {
                        Some(h) => format!("{}. {h}", d.message),
                        None => d.message.to_string(),
                    },
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(path),
                        region: Some(Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                        }),
                    },
                }],
                partial_fingerprints: Fingerprints { guidelint: print },
                fixes: d
                    .fix
                    .iter()
                    .map(|f| SarifFix {
                        description: Text {
                            text: f.title.clone(),
                        },
                        artifact_changes: vec![ArtifactChange {
                            artifact_location: artifact(path),
                            replacements: f
                                .edits
                                .iter()
                                .map(|e| Replacement {
                                    deleted_region: ByteRegion {
                                        byte_offset: e.span.start,
                                        byte_length: e.span.len(),
                                    },
                                    inserted_content: Content { text: &e.content },
                                })
                                .collect(),
                        }],
                    })
                    .collect(),
                baseline_state: d.baselined.then_some("unchanged"),
            };
            array.item(out, &item)?;
        }
        Ok(())
    }

    fn end(&mut self, _: &Totals, failures: &[Failure]) -> io::Result<()> {
        JsonArray::started(&mut self.array, &mut self.out, || document(&[]), MARKER)?;
        let array = self.array.take().expect("started");
        array.end(&mut self.out, &document(failures), MARKER)?;
        self.out.flush()
    }
}

/// The text of a `## title` section of a rule explanation.
fn section<'a>(explanation: &'a str, title: &str) -> Option<&'a str> {
    let start = explanation.find(&format!("## {title}\n"))? + title.len() + 4;
    let rest = &explanation[start..];
    Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uris() {
        assert_eq!(uri("guides/mixing.md"), "guides/mixing.md");
        assert_eq!(uri("a b:c.md"), "a%20b%3Ac.md");
        assert_eq!(uri("/tmp/x.md"), "file:///tmp/x.md");
        assert_eq!(uri("C:/guide/x.md"), "file:///C:/guide/x.md");
    }
}
