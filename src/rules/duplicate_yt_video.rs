//! `duplicate-yt-video` (repository-wide): two articles with the same video.

use super::duplicate_title::report_groups;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{BASE, Facts, Rule, RuleMeta};

pub(crate) struct DuplicateYtVideo;

static META: RuleMeta = RuleMeta {
    name: "duplicate-yt-video",
    summary: "Another article links the same video",
    default_severity: Severity::Warning,
    repository: true,
    explanation: "\
## What it does
After every file is checked, reports YouTube videos (compared by video id, whatever the form
of the address) used by two or more articles, on every article involved, naming the others.

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

    fn check_repository(&self, files: &[(&str, &Facts)]) -> Vec<(usize, Diagnostic)> {
        report_groups(
            files,
            Facts::video_hash,
            Facts::video,
            |id, key| key.push_str(id),
            |_, n| {
                format!(
                    "Video is also used by {n} other article{}",
                    if n == 1 { "" } else { "s" }
                )
            },
            "also in",
        )
        .into_iter()
        .map(|(i, d)| (i, d.with_pointer("/yt_video")))
        .collect()
    }
}
