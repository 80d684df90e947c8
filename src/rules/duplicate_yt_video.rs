//! `duplicate-yt-video` (repository-wide): two articles with the same video.

use super::duplicate_title::{Compare, Groups, key_hash};
use super::yt_video;
use crate::base::diagnostic::Severity;
use crate::input::document::Document;
use crate::rules::{BASE, CrossFile, Fact, Rule, RuleMeta};

pub(crate) struct DuplicateYtVideo;

static META: RuleMeta = RuleMeta {
    name: "duplicate-yt-video",
    summary: "Another article links the same video",
    default_severity: Severity::Warning,
    repository: true,
    explanation: "\
## What it does
Reports YouTube videos (compared by video id, whatever the form of the address) used by two
or more articles: every article whose video an article before it (in path order) already
uses gets a finding naming the earlier ones; the first keeps its video without one.

## Why
The same video on two articles is usually a copy-paste left over from a template.

## Example
`yt_video: https://youtu.be/dQw4w9WgXcQ` in one file and
`yt_video: https://www.youtube.com/watch?v=dQw4w9WgXcQ` in another.

## Fix safety
No fix.
",
    ..BASE
};

impl Rule for DuplicateYtVideo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn fact(&self, doc: &Document) -> Option<Fact> {
        let tree = doc.yaml()?;
        let url = tree.value.get("yt_video")?.as_str()?;
        let span = tree.spans.get("/yt_video")?.value;
        let id = yt_video::parse(url)?.id;
        let hash = key_hash(&id);
        Some(Fact::new(id, span, doc, hash))
    }

    fn cross_file(&self) -> Option<Box<dyn CrossFile>> {
        Some(Box::new(Groups::new(Compare {
            rule: META.name,
            normalize: |id, key| key.push_str(id),
            message: |n| {
                format!(
                    "Video is already used by {n} article{} before this one",
                    if n == 1 { "" } else { "s" }
                )
            },
            label: "also in",
            pointer: "/yt_video",
        })))
    }
}
