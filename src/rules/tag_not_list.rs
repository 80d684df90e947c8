//! `tag-not-list`: a tag field given as a string instead of a list.

use super::edits::{self, ItemStyle};
use super::tags::FacetValues;
use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::base::span::Span;
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagNotList;

static META: RuleMeta = RuleMeta {
    name: "tag-not-list",
    summary: "A tag field is a string instead of a list",
    default_severity: Severity::Error,
    supersedes: &["schema-violation"],
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Reports a taxonomy field (`genre`, `stage`, `instrument`, `level`) written as a single string
instead of a list. It replaces the generic `schema-violation` at that value.

## Why
Site generators read the field as a list of tags; a string is either rejected or split into
characters.

## Example
```yaml
stage: mixing
```
Write `stage: [mixing]`, or a block list.

## Fix safety
Safe: the value becomes a one-item list in the style the file already uses for lists: a
block list indented like the others, or a flow list `[value]` (also when the file has no
other list).
",
    ..BASE
};

impl Rule for TagNotList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            if !f.is_string {
                continue;
            }
            let text = f.values.first().map_or("", |v| v.text);
            let name = &f.facet.name;
            let mut d = Diagnostic::new(
                f.span,
                format!("`{name}` should be a list of tags, found the string `{text}`"),
            )
            .with_label("expected a list")
            .with_help(format!("Write it as a list: `{name}: [{text}]`"))
            .with_pointer(format!("/{name}"));
            if let Some(edit) = as_list(doc, &tags, f) {
                d = d
                    .with_fix(Fix::safe("Make it a list", vec![edit]).in_scope(format!("/{name}")));
            }
            cx.report(d);
        }
    }
}

/// The node properties (anchor, tag) at the start of a value's source, and the value after
/// them: `&st⏎  Mixing` is (`[&st]`, `Mixing`). `None` when a comment sits between them (it
/// would be lost).
fn split_properties(source: &str) -> Option<(Vec<&str>, &str)> {
    let mut properties = Vec::new();
    let mut rest = source;
    while rest.starts_with(['&', '!']) {
        let end = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        properties.push(&rest[..end]);
        rest = rest[end..].trim_start_matches([' ', '\t', '\n', '\r']);
        if rest.starts_with('#') {
            return None;
        }
    }
    Some((properties, rest))
}

/// The edit turning the string at `f.span` into a one-item list, in the file's list style;
/// `None` when that would lose a comment.
fn as_list(doc: &Document, all: &[FacetValues<'_>], f: &FacetValues<'_>) -> Option<Edit> {
    // An empty block scalar (`stage: >` and nothing under it) ends with its line break: the
    // edit stops before it, or the next line would join this one.
    let end = f.span.start + doc.slice(f.span).trim_end_matches(['\n', '\r']).len();
    let span = Span::new(f.span.start, end);
    let (properties, source) = split_properties(doc.slice(span))?;
    let decoded = f.values.first().map_or(source, |v| v.text);
    // A value written over several lines would lose its indentation when moved, and a block
    // scalar's header is not a value: write it on one line, double-quoted. A carriage return
    // alone breaks a line in YAML too.
    let multiline = source.contains(['\n', '\r']) || source.starts_with(['>', '|']);
    let mut value = if multiline {
        edits::double_quoted(decoded)
    } else {
        source.to_string()
    };
    // An anchor or a tag stays with the value, on its line.
    if !properties.is_empty() {
        value = format!("{} {value}", properties.join(" "));
    }
    let tree = doc.yaml();
    let key_of = |facet: &str| {
        tree.and_then(|t| t.spans.get(&format!("/{facet}")))
            .and_then(|s| s.key)
    };
    // A block list elsewhere makes this one a block list, its dash as many columns right of
    // its key as there.
    let block_offset = all.iter().filter(|o| !o.is_string).find_map(|o| {
        let item = o.values.first()?;
        let ItemStyle::Block { indent } = edits::item_style(doc, item.span)? else {
            return None;
        };
        let key = key_of(&o.facet.name)?;
        Some(indent.saturating_sub(key.start - edits::line_around(doc, key.start).0))
    });
    match (block_offset, key_of(&f.facet.name)) {
        (Some(offset), Some(key)) => {
            let key_col = key.start - edits::line_around(doc, key.start).0;
            let indent = " ".repeat(key_col + offset);
            let eol = edits::line_ending_at(doc, span.start);
            // Replace from just after the colon, so no blank is left at the end of the line.
            let colon = doc.text[key.end..span.start]
                .find(':')
                .map_or(key.end, |i| key.end + i + 1);
            if doc.text[colon..span.start].contains('\n') {
                // The value has a line of its own (a comment may follow the colon): keep the
                // key's line and turn the value's line into the item.
                let line_start = edits::line_around(doc, span.start).0;
                Some(Edit::replace(
                    Span::new(line_start, span.end),
                    format!("{indent}- {value}"),
                ))
            } else {
                Some(Edit::replace(
                    Span::new(colon, span.end),
                    format!("{eol}{indent}- {value}"),
                ))
            }
        }
        _ => {
            // A plain value may hold characters that mean something in a flow list
            // (`2[all]`): quote it then.
            let quoted = source.starts_with(['"', '\'']);
            let item = if multiline || quoted || edits::flow_safe(decoded) {
                value
            } else {
                edits::double_quoted(decoded)
            };
            Some(Edit::replace(span, format!("[{item}]")))
        }
    }
}
