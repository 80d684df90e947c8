//! `tag-order` (off by default): tags not in taxonomy order.

use super::edits::{self, ItemStyle};
use super::tags::FacetValues;
use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::base::span::Span;
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct TagOrder;

static META: RuleMeta = RuleMeta {
    name: "tag-order",
    summary: "Tags are not in taxonomy order",
    default_severity: Severity::Warning,
    enabled: false,
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Reports a field whose known values are not in the order of the taxonomy (for stages: the
order of production). Off by default; enable it with `rules: {tag-order: warning}`.

## Why
A consistent order makes front matter easy to scan and diffs small.

## Example
```yaml
stage: [mastering, mixing]
```
Write `stage: [mixing, mastering]`.

## Fix safety
Safe: the values are put in taxonomy order (unknown values last, in their order), each
kept as written, comments and line endings of block items moving with their item, the
separators of a flow list staying as written. A flow list written over several lines is
joined onto one line (a value written over several lines keeps its line
breaks). No fix when a block list holds comment lines or other lines between its items, or a
flow list holds a comment.
",
    ..BASE
};

impl Rule for TagOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let tags = cx.tags();
        for f in tags.iter() {
            let mut latest: Option<&super::tags::TagValue<'_>> = None;
            for v in &f.values {
                let Some(i) = v.term() else { continue };
                if let Some(prev) = latest
                    && prev.term().is_some_and(|p| p > i)
                {
                    let (a, b) = (
                        &f.facet.terms[i].id,
                        &f.facet.terms[prev.term().unwrap_or_default()].id,
                    );
                    let mut d = Diagnostic::new(
                        v.span,
                        format!("`{a}` should come before `{b}` in `{}`", f.facet.name),
                    )
                    .with_label("out of order")
                    .with_secondary(prev.span, "comes later in the taxonomy")
                    .with_help("List the values in the taxonomy's order")
                    .with_pointer(v.pointer());
                    if let Some(edit) = reorder(doc, f) {
                        d = d.with_fix(
                            Fix::safe("Sort in taxonomy order", vec![edit])
                                .in_scope(format!("/{}", f.facet.name)),
                        );
                    }
                    cx.report(d);
                    break;
                }
                if latest.is_none_or(|p| p.term() < Some(i)) {
                    latest = Some(v);
                }
            }
        }
    }
}

/// One edit rewriting the list in taxonomy order, or `None` when the list is not simple.
fn reorder(doc: &Document, f: &FacetValues<'_>) -> Option<Edit> {
    let key = |v: &super::tags::TagValue<'_>| v.term().unwrap_or(usize::MAX);
    let mut sorted: Vec<&super::tags::TagValue<'_>> = f.values.iter().collect();
    sorted.sort_by_key(|v| key(v));
    let first = f.values.first()?;
    let last = f.values.last()?;
    match edits::item_style(doc, first.span)? {
        ItemStyle::Flow => {
            // Elements separated by commas and blanks only. Each separator stays where it
            // was, so the writer's spacing is kept; a list over several lines is joined onto
            // one, with `, `.
            let mut separators = Vec::new();
            for pair in f.values.windows(2) {
                let between = doc.text.get(pair[0].span.end..pair[1].span.start)?;
                if between.trim() != "," {
                    return None;
                }
                separators.push(between);
            }
            if separators.iter().any(|s| s.contains(['\n', '\r'])) {
                separators.fill(", ");
            }
            let mut text = String::new();
            for (k, v) in sorted.iter().enumerate() {
                if k > 0 {
                    text.push_str(separators[k - 1]);
                }
                text.push_str(doc.slice(v.span));
            }
            Some(Edit::replace(
                Span::new(first.span.start, last.span.end),
                text,
            ))
        }
        ItemStyle::Block { .. } => {
            // Whole item lines, each following the previous one directly.
            let mut lines = Vec::new();
            let mut expected_start = None;
            for v in &f.values {
                if !matches!(edits::item_style(doc, v.span)?, ItemStyle::Block { .. }) {
                    return None;
                }
                let (start, _, _) = edits::line_around(doc, v.span.start);
                if expected_start.is_some_and(|e| e != start) {
                    return None;
                }
                let next = edits::line_around(doc, v.span.start).2;
                expected_start = Some(next);
                // The line with its ending.
                lines.push((v, &doc.text[start..next]));
            }
            // Each item moves with its own line ending (the last one's included).
            let region_start = edits::line_around(doc, first.span.start).0;
            let region_end = edits::line_around(doc, last.span.start).2;
            let by_value = |v: &&super::tags::TagValue<'_>| {
                lines
                    .iter()
                    .find(|(w, _)| std::ptr::eq(*w, *v))
                    .map(|(_, l)| *l)
            };
            let text: Vec<&str> = sorted.iter().filter_map(by_value).collect();
            // A last line without an ending would take another's place without one.
            if text.len() != lines.len() || !text.iter().all(|l| l.ends_with(['\n', '\r'])) {
                return None;
            }
            Some(Edit::replace(
                Span::new(region_start, region_end),
                text.concat(),
            ))
        }
    }
}
