//! Inline suppressions: comments in an article that silence findings.
//!
//! ```markdown
//! <!-- guidelint-disable rule-a, rule-b -->   … <!-- guidelint-enable -->
//! <!-- guidelint-disable-next-line rule -->
//! <!-- guidelint-disable-file rule -->
//! ```
//! and, inside front matter, a `# guidelint-disable-next-line rule` YAML comment. Without rule
//! names, a directive covers every rule. Comments inside code blocks are not directives. A
//! directive that suppresses nothing is reported as `unused-suppression`.

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::config::Level;
use crate::diagnostic::{Diagnostic, Location};
use crate::document::{Document, FrontMatter};
use crate::rules::RULES;
use crate::span::Span;

static HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*guidelint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->")
        .expect("valid pattern")
});

/// One directive as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Directive {
    /// The comment's bytes.
    span: Span,
    /// Where the comment is (its findings are reported after the text is gone).
    location: Location,
    /// Named rules; empty = every rule.
    rules: Vec<String>,
    /// Whether it suppressed anything.
    used: bool,
}

/// A region where some rules are silenced.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Region {
    /// Index into the directives.
    directive: usize,
    /// `None` = every rule.
    rule: Option<String>,
    /// 1-based lines covered.
    lines: RangeInclusive<usize>,
}

/// The suppressions of one document (boxed: most documents have none, and every checked
/// file's result holds one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Suppressions(Option<Box<Found>>);

/// The directives of a document that has some, and the regions they silence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Found {
    directives: Vec<Directive>,
    regions: Vec<Region>,
    /// The lines covered by `disable-next-line` comments: their coverage is tied to the line
    /// after the comment, so a fix that adds or removes a line break there would change it.
    #[serde(skip)]
    next_lines: Vec<usize>,
}

fn names(text: &str) -> Vec<String> {
    text.split([',', ' ', '\t', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Suppressions {
    /// Find the directives of a document.
    #[must_use]
    pub fn parse(doc: &Document) -> Self {
        let mut s = Found::default();
        if doc.problem.is_some() {
            return Self::default();
        }
        let last_line = doc.lines.line_count();
        // YAML comments in front matter.
        // Each search starts with the needle's rarest byte (`#`, `<`): most articles have
        // neither where it is looked for, and are done after one fast scan.
        if let FrontMatter::Yaml(block) = &doc.front_matter
            && let yaml = &doc.text.as_bytes()[block.content.start..block.content.end]
            && memchr::memchr(b'#', yaml).is_some()
            && memchr::memmem::find(yaml, b"guidelint-").is_some()
        {
            let mut pos = block.content.start;
            for line in doc.text[block.content.start..block.content.end].split_inclusive('\n') {
                let trimmed = line.trim();
                if let Some(rest) = trimmed.strip_prefix('#').map(str::trim_start)
                    && let Some(rules) = rest.strip_prefix("guidelint-disable-next-line")
                {
                    let start = pos + (line.len() - line.trim_start().len());
                    let span = Span::new(start, start + trimmed.len());
                    let next = doc.line_col(start).line + 1;
                    s.add(doc, span, names(rules), next..=next);
                    s.next_lines.push(next);
                }
                pos += line.len();
            }
        }
        // HTML comments in the body (most articles have none: skip the regex then).
        let body = &doc.text[doc.body_start..];
        if memchr::memchr(b'<', body.as_bytes()).is_none()
            || memchr::memmem::find(body.as_bytes(), b"<!--").is_none()
            || memchr::memmem::find(body.as_bytes(), b"guidelint-").is_none()
        {
            return Self::found(s);
        }
        let mut open: Vec<(Option<String>, usize, usize)> = Vec::new();
        for m in HTML.captures_iter(body) {
            let whole = m.get(0).expect("group 0 always matches");
            let span = Span::new(whole.start(), whole.end()).shift(doc.body_start);
            if doc.in_code(span.start) {
                continue;
            }
            let rules = names(&m[2]);
            let line = doc.line_col(span.start).line;
            let end_line = doc.line_col(span.end).line;
            match &m[1] {
                "disable-next-line" => {
                    s.add(doc, span, rules, end_line + 1..=end_line + 1);
                    s.next_lines.push(end_line + 1);
                }
                "disable-file" => s.add(doc, span, rules, 1..=last_line),
                "disable" => {
                    let d = s.push(doc, span, rules.clone());
                    if rules.is_empty() {
                        open.push((None, line, d));
                    } else {
                        open.extend(rules.into_iter().map(|r| (Some(r), line, d)));
                    }
                }
                _ => {
                    // `enable`: close the named rules, or every open region.
                    let (closing, staying): (Vec<_>, Vec<_>) =
                        open.into_iter().partition(|(r, _, _)| {
                            rules.is_empty() || r.as_ref().is_some_and(|r| rules.contains(r))
                        });
                    open = staying;
                    for (rule, from, d) in closing {
                        s.regions.push(Region {
                            directive: d,
                            rule,
                            lines: from..=line,
                        });
                    }
                }
            }
        }
        for (rule, from, d) in open {
            s.regions.push(Region {
                directive: d,
                rule,
                lines: from..=last_line,
            });
        }
        Self::found(s)
    }

    fn found(s: Found) -> Self {
        Self((!s.directives.is_empty()).then(|| Box::new(s)))
    }
}

impl Found {
    fn push(&mut self, doc: &Document, span: Span, rules: Vec<String>) -> usize {
        self.directives.push(Directive {
            span,
            location: doc.locate(span),
            rules,
            used: false,
        });
        self.directives.len() - 1
    }

    fn add(
        &mut self,
        doc: &Document,
        span: Span,
        rules: Vec<String>,
        lines: RangeInclusive<usize>,
    ) {
        let d = self.push(doc, span, rules.clone());
        if rules.is_empty() {
            self.regions.push(Region {
                directive: d,
                rule: None,
                lines,
            });
        } else {
            for r in rules {
                self.regions.push(Region {
                    directive: d,
                    rule: Some(r),
                    lines: lines.clone(),
                });
            }
        }
    }
}

impl Suppressions {
    /// Whether there is no directive at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The 1-based lines covered by `disable-next-line` comments (each the line right after
    /// its comment).
    #[must_use]
    pub fn next_lines(&self) -> &[usize] {
        self.0.as_deref().map_or(&[], |f| &f.next_lines)
    }

    /// Remove suppressed findings, marking the directives that suppressed them. The findings
    /// must be located (see [`Diagnostic::locate`]).
    pub fn apply(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let Some(found) = self.0.as_deref_mut() else {
            return;
        };
        if found.regions.is_empty() {
            return;
        }
        diagnostics.retain(|d| {
            let line = d.location.start.line;
            let hit = found.regions.iter().find(|r| {
                r.lines.contains(&line) && r.rule.as_deref().is_none_or(|name| name == d.rule)
            });
            match hit {
                Some(r) => {
                    found.directives[r.directive].used = true;
                    false
                }
                None => true,
            }
        });
    }

    /// `unused-suppression` findings (without rule name and severity: the caller stamps
    /// them). Directives naming only rules that are off (`levels`) are not reported.
    #[must_use]
    pub fn unused(&self, levels: &[Level]) -> Vec<Diagnostic> {
        let known = |name: &str| RULES.iter().position(|r| r.meta().name == name);
        let mut out = Vec::new();
        let Some(found) = self.0.as_deref() else {
            return out;
        };
        for d in &found.directives {
            let unknown: Vec<&String> = d.rules.iter().filter(|r| known(r).is_none()).collect();
            if let Some(name) = unknown.first() {
                let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
                let mut diag = Diagnostic::new(
                    d.span,
                    format!("Suppression names an unknown rule `{name}`"),
                )
                .with_label("unknown rule");
                diag.location = d.location.clone();
                diag = match crate::suggest::closest(name, names) {
                    Some(c) => diag.with_help(format!("Did you mean `{c}`?")),
                    None => diag.with_help("Run `guidelint rules` to list the rules"),
                };
                out.push(diag);
                continue;
            }
            if d.used {
                continue;
            }
            let all_off = !d.rules.is_empty()
                && d.rules
                    .iter()
                    .all(|r| known(r).is_some_and(|i| levels[i].is_none()));
            if all_off {
                continue;
            }
            let what = if d.rules.is_empty() {
                "any finding".to_string()
            } else {
                d.rules
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut diag =
                Diagnostic::new(d.span, format!("Suppression of {what} suppresses nothing"))
                    .with_label("unused")
                    .with_help("Remove the comment");
            diag.location = d.location.clone();
            out.push(diag);
        }
        out
    }
}

/// The index of `unused-suppression` in the registry.
#[must_use]
pub fn unused_rule() -> usize {
    RULES
        .iter()
        .position(|r| r.meta().name == "unused-suppression")
        .expect("unused-suppression is registered")
}
