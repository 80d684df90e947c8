//! `yt-video`: `yt_video` must be a YouTube video address (or empty).

use std::sync::LazyLock;

use regex_automata::nfa::thompson::pikevm::PikeVM;

use super::edits;
use crate::base::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::input::document::Document;
use crate::rules::{BASE, Context, Rule, RuleMeta};

pub(crate) struct YtVideo;

static META: RuleMeta = RuleMeta {
    name: "yt-video",
    summary: "`yt_video` is not a YouTube video address",
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    explanation: "\
## What it does
Checks `yt_video`: empty, or a YouTube video address with an 11-character video id. Accepted
forms: `youtube.com/watch?v=ID` (with `www.`, `m.` or `music.`, and extra parameters),
`youtu.be/ID`, `youtube.com/embed/ID`, `/shorts/ID`, `/live/ID`, `/v/ID` and
`youtube-nocookie.com/embed/ID`. Any form but `https://www.youtube.com/watch?v=ID` is
reported as a warning naming the canonical address. Nothing is fetched from the network.

## Why
The site embeds the video from its id; an address it cannot parse shows an empty player.

## Example
```yaml
yt_video: https://youtu.be/dQw4w9WgXcQ?t=42
```
Write `yt_video: https://www.youtube.com/watch?v=dQw4w9WgXcQ`.

## Fix safety
Safe for a valid non-canonical address: it is replaced by the canonical one (same video
id). No fix for an address without a video id, or one an alias refers to.
",
    ..BASE
};

/// A parsed video address.
pub(crate) struct Video {
    /// The 11-character id.
    pub id: String,
    /// Whether the address is exactly `https://www.youtube.com/watch?v=ID`.
    pub canonical: bool,
}

/// The forms of a video address, the id in the first group. Compiled for the PikeVM alone:
/// an address is matched once per file, and a full `Regex` (lazy and one-pass DFAs, a reverse
/// NFA, a backtracker) costs more to build than a whole check of one article on stdin.
static FORMS: LazyLock<[PikeVM; 3]> =
    LazyLock::new(|| FORMS_TEXT.map(|p| PikeVM::new(p).expect("static patterns are valid")));

const FORMS_TEXT: [&str; 3] = [
    r"^(?:https?://)?(?:www\.|m\.|music\.)?youtube\.com/watch/?\?(?:[^#]*&)?v=([A-Za-z0-9_-]{11})(?:[&#].*)?$",
    r"^(?:https?://)?youtu\.be/([A-Za-z0-9_-]{11})(?:[?#].*)?$",
    r"^(?:https?://)?(?:www\.|m\.)?youtube(?:-nocookie)?\.com/(?:embed|shorts|live|v)/([A-Za-z0-9_-]{11})(?:[?#/].*)?$",
];

/// Parse a YouTube video address.
pub(crate) fn parse(url: &str) -> Option<Video> {
    let url = url.trim();
    FORMS.iter().find_map(|vm| {
        let mut caps = vm.create_captures();
        vm.captures(&mut vm.create_cache(), url, &mut caps);
        let id = url.get(caps.get_group(1)?.range())?.to_string();
        Some(Video {
            canonical: url == canonical(&id),
            id,
        })
    })
}

/// `https://www.youtube.com/watch?v=ID`.
pub(crate) fn canonical(id: &str) -> String {
    format!("https://www.youtube.com/watch?v={id}")
}

impl Rule for YtVideo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(tree) = doc.yaml() else { return };
        let (Some(url), Some(span)) = (
            tree.value.get("yt_video").and_then(|v| v.as_str()),
            tree.spans.get("/yt_video"),
        ) else {
            return;
        };
        if url.trim().is_empty() {
            return;
        }
        match parse(url) {
            Some(video) if video.canonical => {}
            Some(video) => {
                let canonical = canonical(&video.id);
                cx.report_at_most(
                    Diagnostic::new(
                        span.value,
                        format!("`yt_video` is not in the canonical form `{canonical}`"),
                    )
                    .with_label("non-canonical video address")
                    .with_help(format!("Write `yt_video: {canonical}`"))
                    .with_pointer("/yt_video")
                    .with_fix(
                        Fix::safe(
                            "Use the canonical video address",
                            vec![edits::replace_scalar(doc, span.value, &canonical)],
                        )
                        .in_scope("/yt_video"),
                    ),
                    Severity::Warning,
                );
            }
            None => cx.report(
                Diagnostic::new(
                    span.value,
                    format!("`yt_video` is not a YouTube video address: `{url}`"),
                )
                .with_label("no 11-character video id found")
                .with_help("Use `https://www.youtube.com/watch?v=ID`, or leave `yt_video:` empty")
                .with_pointer("/yt_video"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The PikeVM forms find the id the same full regular expressions find.
        #[test]
        fn the_pikevm_forms_agree_with_full_regexes(
            url in "(https?://)?(www\\.|m\\.|music\\.)?(youtube(-nocookie)?\\.com/(watch/?\\?([a-z=&#]{0,4}&)?v=|embed/|shorts/|v/)|youtu\\.be/)[A-Za-z0-9_-]{9,12}([?&#/][a-z\n&#=]{0,5})?",
        ) {
            let full: Vec<regex::Regex> = FORMS_TEXT.iter().map(|p| regex::Regex::new(p).unwrap()).collect();
            let expected = full
                .iter()
                .find_map(|re| re.captures(url.trim()))
                .map(|c| c[1].to_string());
            proptest::prop_assert_eq!(parse(&url).map(|v| v.id), expected);
        }
    }

    #[test]
    fn accepted_forms() {
        let id = "dQw4w9WgXcQ";
        assert!(
            parse(&format!("https://www.youtube.com/watch?v={id}"))
                .unwrap()
                .canonical
        );
        for url in [
            format!("https://youtube.com/watch?v={id}"),
            format!("http://m.youtube.com/watch?feature=share&v={id}&t=4s"),
            format!("https://youtu.be/{id}?t=42"),
            format!("https://www.youtube.com/embed/{id}"),
            format!("https://www.youtube.com/shorts/{id}"),
            format!("https://www.youtube-nocookie.com/embed/{id}?rel=0"),
            format!("www.youtube.com/watch?v={id}"),
        ] {
            let v = parse(&url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(v.id, id);
            assert!(!v.canonical, "{url}");
        }
        for url in [
            "https://www.youtube.com/watch?v=short",
            "https://vimeo.com/123456",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
            "https://www.youtube.com/channel/UC1234567890",
            "dQw4w9WgXcQ",
        ] {
            assert!(parse(url).is_none(), "{url}");
        }
    }
}
