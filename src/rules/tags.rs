//! Shared by the tag rules: the tag values of each taxonomy facet in a document.

use crate::base::span::Span;
use crate::input::document::Document;
use crate::input::taxonomy::{Facet, Match, Taxonomy};

/// One written tag value.
pub(crate) struct TagValue<'a> {
    /// As written (quotes removed).
    pub text: &'a str,
    /// The value's bytes.
    pub span: Span,
    /// The facet's JSON Pointer, e.g. `/stage`.
    facet_pointer: &'a str,
    /// Position in the list (`None` for a string given instead of a list).
    index: Option<usize>,
    /// How it relates to the taxonomy.
    pub matched: Match,
    /// Reached through an alias (`instrument: *a`): `span` is the alias, which no fix may
    /// rewrite.
    pub through_alias: bool,
}

impl TagValue<'_> {
    /// JSON Pointer, e.g. `/stage/1` (or `/stage` for a string given instead of a list); made
    /// only for a finding.
    pub fn pointer(&self) -> String {
        match self.index {
            Some(i) => format!("{}/{i}", self.facet_pointer),
            None => self.facet_pointer.to_string(),
        }
    }

    /// The term it names, canonical or not.
    pub fn term(&self) -> Option<usize> {
        match self.matched {
            Match::Canonical(i) | Match::Variant(i) => Some(i),
            Match::Unknown => None,
        }
    }
}

/// The values of one facet field.
pub(crate) struct FacetValues<'a> {
    /// The facet.
    pub facet: &'a Facet,
    /// The field's value span (the list, or the string).
    pub span: Span,
    /// Whether the field is a string instead of a list.
    pub is_string: bool,
    /// String values in order (non-string list items are left to the schema).
    pub values: Vec<TagValue<'a>>,
}

/// Every taxonomy facet present in the front matter, in taxonomy order.
pub(crate) fn facets<'a>(doc: &'a Document, taxonomy: &'a Taxonomy) -> Vec<FacetValues<'a>> {
    let Some(tree) = doc.yaml() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Pointers of list items are looked up through one buffer.
    let mut key = String::new();
    for facet in &taxonomy.facets {
        let Some(value) = tree.value.get(&facet.name) else {
            continue;
        };
        let pointer = &facet.pointer;
        let Some(field) = tree.spans.get(pointer) else {
            continue;
        };
        let mut values = Vec::new();
        let is_string = value.is_string();
        let is_alias = |span: Span| doc.slice(span).starts_with('*');
        let field_alias = is_alias(field.value);
        if let Some(text) = value.as_str() {
            values.push(TagValue {
                text,
                span: field.value,
                matched: facet.classify(text),
                facet_pointer: pointer,
                index: None,
                through_alias: field_alias,
            });
        } else if let Some(items) = value.as_array() {
            values.reserve(items.len());
            for (i, item) in items.iter().enumerate() {
                key.clear();
                key.push_str(pointer);
                key.push('/');
                key.push_str(crate::input::yaml::decimal(i, &mut [0u8; 20]));
                let Some(text) = item.as_str() else { continue };
                // An item with no place of its own came through an alias: it is reported
                // at the field's value, the alias.
                let (span, through_alias) = match tree.spans.get(&key) {
                    Some(span) => (span.value, field_alias || is_alias(span.value)),
                    None => (field.value, true),
                };
                values.push(TagValue {
                    text,
                    span,
                    matched: facet.classify(text),
                    facet_pointer: pointer,
                    index: Some(i),
                    through_alias,
                });
            }
        } else {
            continue;
        }
        out.push(FacetValues {
            facet,
            span: field.value,
            is_string,
            values,
        });
    }
    out
}

/// "stage" -> "stages", for messages.
pub(crate) fn plural(facet: &str) -> String {
    if facet.ends_with('s') {
        facet.to_string()
    } else {
        format!("{facet}s")
    }
}
