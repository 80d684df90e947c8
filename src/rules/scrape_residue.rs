//! `scrape-residue`: leftovers of a copied web page (social links, footers, prompts).

use std::sync::LazyLock;

use regex::{RegexSet, RegexSetBuilder};
use regex_automata::nfa::thompson::{self, WhichCaptures, pikevm::PikeVM};
use serde_json::{Map, Value};

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::error::{FileProblem, ToolError};
use crate::base::span::Span;
use crate::input::document::Document;
use crate::input::loaded::Loaded;
use crate::rules::{BASE, Context, ParsedOptions, Rule, RuleMeta};

pub(crate) struct ScrapeResidue;

static META: RuleMeta = RuleMeta {
    name: "scrape-residue",
    summary: "Leftovers of a copied web page",
    default_severity: Severity::Warning,
    options: &[(
        "patterns",
        r#"{"description": "Extra regular expressions (case-insensitive) matching whole residue lines.", "type": "array", "x-expected": "a list of regular expressions", "items": {"type": "string", "minLength": 1}}"#,
    )],
    explanation: "\
## What it does
Reports lines left over from a copied web page: social-network links (`Instagram`, `White
Facebook Icon`), `Follow us on:`, copyright footers (`© 2018 by …`), opening hours, street
addresses, `Share this`, newsletter and cookie prompts. Consecutive residue lines (blank lines
between them allowed) are reported once, as a block of up to 20 lines, with each line
labelled. Lines in code blocks are ignored.

## Why
Pasted articles carry the source page's footer; published, it looks broken and can leak a
third party's address.

## Example
```markdown
Follow us on:
  • White Facebook Icon
© 2018 by Some Studio
```

## Fix safety
No fix: delete the lines.

## Options
`patterns`: extra regular expressions (case-insensitive, matched against a whole line
without its list bullet), e.g. `rules: {scrape-residue: {patterns: [\"^back to top$\"]}}`. At
most 200 patterns, taking at most 4 MiB together once compiled: a repeated Unicode class
(`\\w{1,100}`) is large, `\\w+` is not.
",
    ..BASE
};

/// Built-in residue patterns and what each line is.
static PATTERNS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
    [
        (r"^(white |black |color )?(facebook|instagram|twitter|youtube|tiktok|linkedin|pinterest|soundcloud|spotify|bandcamp|vimeo|snapchat|threads|bluesky)( icon| logo| page)?$", "social-network link"),
        // A one-letter name alone is a mark in prose (`x` for a stop in a chord chart), not a
        // link: only with a colour or `icon`, `logo`, `page` is it one.
        (r"^((white |black |color )x( icon| logo| page)?|x( icon| logo| page))$", "social-network link"),
        (r"^(follow|find|connect with|like) us( on| at)?\b.{0,40}$", "follow prompt"),
        (r"^(©|\(c\)|copyright\b).{0,80}$", "copyright footer"),
        (r".{0,60}\ball rights reserved\.?$", "copyright footer"),
        (r"^(open|opening hours|hours|business hours):?\s*(24 hours|24/7|daily|every day|(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.{0,30}|\d{1,2}(:\d\d)?\s*(am|pm)?\s*([-–]|to)\s*\d{1,2}(:\d\d)?\s*(am|pm)?)$", "opening hours"),
        (r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*([-–]|to)\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?:?\s+\d.{0,30}$", "opening hours"),
        (r"^\d+[a-z0-9-]*\s+([a-z0-9.'-]+\s+){0,5}(st|street|ave|avenue|blvd|boulevard|rd|road|lane|ln|drive|dr|way|place|pl|square|sq|court|ct|highway|hwy)\.?(,.{0,60})?$", "street address"),
        (r"^.{0,60},\s*[a-z]{2}\s+\d{5}(-\d{4})?$", "street address"),
        (r"^\d+(st|nd|rd|th) floor\b.{0,60}$", "street address"),
        (r"^share( this)?( article| post| page)?( on)?:?$", "share prompt"),
        (r"^.{0,40}\b(subscribe|sign up)\b.{0,40}\b(newsletter|mailing list)\b.{0,40}$", "newsletter prompt"),
        (r"^.{0,60}\b(this (web)?site uses cookies|accept (all )?cookies|cookie (policy|settings|preferences))\b.{0,60}$", "cookie prompt"),
    ]
    .into_iter()
    .map(|(p, what)| (format!("(?i){p}"), what))
    .collect()
});

/// The built-in patterns as one set: the reference the per-pattern matching must agree with
/// (in tests; a run compiles only the patterns its lines may match).
#[cfg(test)]
static SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(PATTERNS.iter().map(|(p, _)| p)).expect("static patterns are valid")
});

/// A bound on the compiled size of one built-in pattern: well above what each needs (under
/// 1 MiB), so it only guards against a change that would blow up.
const PATTERN_SIZE_LIMIT: usize = 4 << 20;

/// Each built-in pattern, compiled on first use: most runs meet a residue candidate of a few
/// kinds at most, and compiling all of them as one set (Unicode case folding, `.{0,60}`) costs
/// more than checking a small guide.
static COMPILED: LazyLock<Vec<std::sync::OnceLock<PikeVM>>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .map(|_| std::sync::OnceLock::new())
        .collect()
});

fn pattern(i: usize) -> &'static PikeVM {
    COMPILED[i].get_or_init(|| {
        // Only lines of at most MAX_LINE characters that pass the cheap test meet a pattern:
        // the PikeVM matches them fast enough, and compiling a full `Regex` (a reverse NFA,
        // lazy and one-pass DFAs, a backtracker, capture groups) would cost several times more.
        // Any character as its UTF-8 bytes: a lead byte then its continuation bytes, which
        // in valid UTF-8 (every line is) is exactly one character, compiled several times
        // faster than Unicode's `.` repeated (`.{0,60}`).
        PikeVM::builder()
            .syntax(regex_automata::util::syntax::Config::new().utf8(false))
            .thompson(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(PATTERN_SIZE_LIMIT)),
            )
            .build(&any_as_bytes(&PATTERNS[i].0))
            .expect("static patterns are valid and within their limits")
    })
}

/// One character of valid UTF-8 but a line feed, as bytes.
const ANY_CHAR: &str = r"(?-u:[\x00-\x09\x0b-\x7f]|[\xc2-\xf4][\x80-\xbf]+)";

/// `pattern` with each `.` that means any character (not escaped, not in a class) written as
/// [`ANY_CHAR`].
fn any_as_bytes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let (mut escaped, mut class) = (false, 0_usize);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => class += 1,
            ']' if class > 0 => class -= 1,
            '.' if class == 0 => {
                out.push_str(ANY_CHAR);
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Whether built-in pattern `i` matches `line`.
fn pattern_matches(i: usize, line: &str) -> bool {
    let vm = pattern(i);
    vm.is_match(&mut vm.create_cache(), line)
}

// The built-in patterns a line may match, as bits of a mask (bit i: `PATTERNS[i]`).
const SOCIAL: u16 = 1 << 0;
const SOCIAL_X: u16 = 1 << 1;
const FOLLOW: u16 = 1 << 2;
const COPYRIGHT: u16 = 1 << 3;
const RIGHTS: u16 = 1 << 4;
const HOURS: u16 = 1 << 5;
const DAYS: u16 = 1 << 6;
const STREET: u16 = 1 << 7;
const ZIP: u16 = 1 << 8;
const FLOOR: u16 = 1 << 9;
const SHARE: u16 = 1 << 10;
const NEWSLETTER: u16 = 1 << 11;
const COOKIE: u16 = 1 << 12;
/// Every built-in pattern's bit.
const ALL: u16 = (1 << 13) - 1;

/// The most lines one finding reports: a longer run of residue is reported in blocks of this
/// many lines (one finding labelling thousands of lines is unreadable and slow to show).
const MAX_BLOCK: usize = 20;

/// Lines longer than this are prose, never residue.
const MAX_LINE: usize = 120;

/// The built-in patterns a line's first word (in lowercase) can begin (the line without its
/// bullet). Three-letter day prefixes stand for any word they begin (`monday`, `mon.`). A
/// `match`, so the word is compared by length first and then in place.
fn first_word(word: &[u8]) -> u16 {
    let exact = match word {
        b"white" | b"black" | b"color" => SOCIAL | SOCIAL_X,
        b"facebook" | b"instagram" | b"twitter" | b"youtube" | b"tiktok" | b"linkedin"
        | b"pinterest" | b"soundcloud" | b"spotify" | b"bandcamp" | b"vimeo" | b"snapchat"
        | b"threads" | b"bluesky" => SOCIAL,
        b"x" => SOCIAL_X,
        b"follow" | b"find" | b"connect" | b"like" => FOLLOW,
        b"copyright" => COPYRIGHT,
        // (A line starting with `open` or `hours` is a candidate whatever follows: see
        // `candidates`.)
        b"business" => HOURS,
        b"share" => SHARE,
        _ => 0,
    };
    let day = match word {
        [b'm', b'o', b'n', ..]
        | [b't', b'u', b'e', ..]
        | [b'w', b'e', b'd', ..]
        | [b't', b'h', b'u', ..]
        | [b'f', b'r', b'i', ..]
        | [b's', b'a', b't', ..]
        | [b's', b'u', b'n', ..] => DAYS,
        _ => 0,
    };
    exact | day
}

/// Words that built-in patterns look for anywhere in a line (lowercase), each with the index
/// of a letter of it among [`ANCHORS`]: letters rarer in prose than a first letter, so fewer
/// places are compared.
const ANYWHERE: [(&[u8], usize, u16); 4] = [
    (b"all rights reserved", 6, RIGHTS),
    (b"subscribe", 2, NEWSLETTER),
    (b"sign up", 2, NEWSLETTER),
    (b"cookie", 3, COOKIE),
];
const ANCHORS: [u8; 3] = [b'g', b'b', b'k'];

/// A byte standing for `©` in [`proxy`]: the copyright pattern may start with it.
const COPYRIGHT_SIGN: u8 = 0x01;

/// A byte standing for any other character that is not ASCII in [`proxy`]: neither a letter,
/// a digit nor a blank for the cheap test.
const OTHER: u8 = 0x80;

/// What a character is to the cheap test, as one byte: ASCII in lowercase; for the others,
/// what `(?i)`, `\s` and `\d` in the patterns could take them for: a blank for Unicode white
/// space, `0` for a numeral, the ASCII letter a case mapping leads to (`ſ` is `s`, the Kelvin
/// sign `k`), a mark of its own for `©`, and [`OTHER`] for the rest (`é`, `’`, `–`).
fn proxy(c: char) -> u8 {
    if c.is_ascii() {
        return (c as u8).to_ascii_lowercase();
    }
    if c.is_whitespace() {
        return b' ';
    }
    if c.is_numeric() {
        return b'0';
    }
    if c == '\u{a9}' {
        return COPYRIGHT_SIGN;
    }
    c.to_lowercase()
        .chain(c.to_uppercase())
        .find(char::is_ascii_alphabetic)
        .map_or(OTHER, |l| l.to_ascii_lowercase() as u8)
}

/// The built-in patterns a line (without its bullet, at most [`MAX_LINE`] characters long)
/// could match, as a mask (0: none): a cheap test that lets most lines skip the regular
/// expressions, and the others try only the patterns they could match. It never leaves out a
/// pattern that matches (property tests check this over many lines, ASCII or not). It reads
/// the line through [`proxy`]: one byte per character, so prose with accents, curly quotes and
/// dashes is tested as cheaply as ASCII.
fn candidates(line: &str) -> u16 {
    let mut buffer = [0u8; MAX_LINE];
    let mut len = 0;
    if line.is_ascii() {
        // Most lines: each byte is its own proxy, in lowercase.
        let Some(slot) = buffer.get_mut(..line.len()) else {
            return ALL;
        };
        slot.copy_from_slice(line.as_bytes());
        slot.make_ascii_lowercase();
        len = line.len();
    } else {
        for c in line.chars() {
            let Some(slot) = buffer.get_mut(len) else {
                // Longer than any residue line: left to the patterns (the caller drops these).
                return ALL;
            };
            *slot = proxy(c);
            len += 1;
        }
    }
    let lower = &buffer[..len];
    let Some(&first) = lower.first() else {
        return ALL;
    };
    let mut mask = 0;
    if first == b'(' || first == COPYRIGHT_SIGN {
        mask |= COPYRIGHT;
    }
    if first.is_ascii_digit() {
        // The patterns that start with a number (a street number, `12th floor`) go on with
        // letters, digits and `-` and then white space: `1. Step` and `4:1` cannot match.
        let run = lower
            .iter()
            .position(|&b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
            .unwrap_or(lower.len());
        // What `\s` matches in ASCII, vertical tab included (Unicode blanks are spaces here).
        if lower
            .get(run)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        {
            mask |= STREET | FLOOR;
        }
    } else {
        let word_len = lower
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .unwrap_or(lower.len());
        mask |= first_word(&lower[..word_len]);
        // `\s*` after these lets the next word run on (`Opendaily`, `hoursmon-fri`).
        if lower.starts_with(b"open") || lower.starts_with(b"hours") {
            mask |= HOURS;
        }
    }
    // The one pattern with a comma inside ends with a zip code: a digit last.
    if lower.last().is_some_and(u8::is_ascii_digit) && memchr::memchr(b',', lower).is_some() {
        mask |= ZIP;
    }
    for i in memchr::memchr3_iter(ANCHORS[0], ANCHORS[1], ANCHORS[2], lower) {
        for &(word, at, bit) in &ANYWHERE {
            if word[at] == lower[i] && i >= at && lower[i - at..].starts_with(word) {
                mask |= bit;
            }
        }
    }
    refine(mask, lower)
}

/// What `\s` may match, in a line read through [`proxy`] (Unicode blanks are spaces there).
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `at` moved past any blanks of `lower`.
fn skip_blanks(lower: &[u8], mut at: usize) -> usize {
    while lower.get(at).copied().is_some_and(is_blank) {
        at += 1;
    }
    at
}

/// Whether `rest` starts with the three letters every day's name starts with.
fn starts_with_day(rest: &[u8]) -> bool {
    rest.get(..3).is_some_and(|d| first_word(d) & DAYS != 0)
}

/// The candidates of `mask` that also pass a second look at their own pattern: what each
/// pattern needs besides its first word or its anchor (a phrase after the first word, a
/// length, an ending), so that a line merely starting like residue (`Monome grid …`, `Open
/// the file`, `X axis`, `1 kHz`) compiles no pattern. Like the first look, it only ever leaves
/// out a pattern that cannot match: `lower` is the line through [`proxy`], one byte per
/// character, where a character the patterns might take for a letter, digit or blank is one.
fn refine(mask: u16, lower: &[u8]) -> u16 {
    if mask == 0 {
        // Most lines: nothing to look at again.
        return 0;
    }
    let len = lower.len();
    let word_len = lower
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(len);
    let word = &lower[..word_len];
    let rest = &lower[word_len..];
    let contains = |needle: &[u8]| memchr::memmem::find(lower, needle).is_some();
    let passes = |bit: u16| match bit {
        // `white soundcloud logo` is the longest: at most three words of letters.
        SOCIAL => len <= 21 && words_only(lower),
        SOCIAL_X => len <= 12 && len > 1 && words_only(lower),
        FOLLOW => match word {
            b"connect" => rest.starts_with(b" with us"),
            _ => rest.starts_with(b" us"),
        },
        // `copyright` and 80 characters is the longest.
        COPYRIGHT => len <= 89 && (lower[0] != b'(' || lower.starts_with(b"(c)")),
        RIGHTS => {
            lower.ends_with(b"all rights reserved") || lower.ends_with(b"all rights reserved.")
        }
        HOURS => hours_follow(lower),
        DAYS => day_range(lower, word_len),
        STREET => street_word(lower),
        ZIP => zip_code_last(lower),
        FLOOR => {
            let digits = lower.iter().take_while(|b| b.is_ascii_digit()).count();
            matches!(
                lower.get(digits..digits + 2),
                Some(b"st" | b"nd" | b"rd" | b"th")
            ) && lower[digits + 2..].starts_with(b" floor")
        }
        // `share this article on:` is the longest.
        SHARE => len <= 22,
        NEWSLETTER => contains(b"newsletter") || contains(b"mailing list"),
        COOKIE => {
            contains(b"uses cookies")
                || contains(b"cookie policy")
                || contains(b"cookie settings")
                || contains(b"cookie preferences")
                || contains(b"accept cookies")
                || contains(b"accept all cookies")
        }
        _ => true,
    };
    (0..ALL.count_ones())
        .map(|i| 1 << i)
        .filter(|&bit| mask & bit != 0 && passes(bit))
        .fold(0, |kept, bit| kept | bit)
}

/// Whether `lower` is at most three words of letters, one space apart.
fn words_only(lower: &[u8]) -> bool {
    lower.iter().all(|&b| b.is_ascii_lowercase() || b == b' ')
        && lower.iter().filter(|&&b| b == b' ').count() <= 2
}

/// Opening hours: after `open`, `opening hours`, `hours` or `business hours` (the next word
/// may follow at once), an optional colon and blanks, a number, `daily`, `every day` or a
/// day's name.
fn hours_follow(lower: &[u8]) -> bool {
    [&b"opening hours"[..], b"business hours", b"open", b"hours"]
        .iter()
        .filter_map(|start| lower.strip_prefix(*start))
        .any(|rest| {
            let rest = rest.strip_prefix(b":").unwrap_or(rest);
            let rest = &rest[skip_blanks(rest, 0)..];
            rest.first().is_some_and(u8::is_ascii_digit)
                || rest.starts_with(b"daily")
                || rest.starts_with(b"every day")
                || starts_with_day(rest)
        })
}

/// A range of days: a day's name (its letters may run on: `[a-z]*`), then `-`, a dash or
/// `to` (which may be among those letters: `monto…`), then a day's name again.
fn day_range(lower: &[u8], word_len: usize) -> bool {
    (3..=word_len).any(|p| {
        let mut at = p;
        let mut dash = false;
        if p == word_len {
            at += usize::from(lower.get(at) == Some(&b'.'));
            at = skip_blanks(lower, at);
            dash = matches!(lower.get(at), Some(&(b'-' | OTHER)));
        }
        let after = if dash {
            at + 1
        } else if lower[at..].starts_with(b"to") {
            at + 2
        } else {
            return false;
        };
        starts_with_day(&lower[skip_blanks(lower, after)..])
    })
}

/// A street address: a street word (`st`, `avenue`, …) after a blank, then the line's end,
/// a period or a comma.
fn street_word(lower: &[u8]) -> bool {
    (1..lower.len()).any(|i| {
        if !is_blank(lower[i - 1]) || !lower[i].is_ascii_alphabetic() {
            return false;
        }
        let end = lower[i..]
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .map_or(lower.len(), |n| i + n);
        matches!(
            &lower[i..end],
            b"st"
                | b"street"
                | b"ave"
                | b"avenue"
                | b"blvd"
                | b"boulevard"
                | b"rd"
                | b"road"
                | b"lane"
                | b"ln"
                | b"drive"
                | b"dr"
                | b"way"
                | b"place"
                | b"pl"
                | b"square"
                | b"sq"
                | b"court"
                | b"ct"
                | b"highway"
                | b"hwy"
        ) && matches!(lower.get(end), None | Some(b'.' | b','))
    })
}

/// A zip code at the end of the line: five digits, or five, `-` and four.
fn zip_code_last(lower: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let len = lower.len();
    (len >= 5 && digits(&lower[len - 5..]))
        || (len >= 10
            && digits(&lower[len - 4..])
            && lower[len - 5] == b'-'
            && digits(&lower[len - 10..len - 5]))
}

/// Whether the cheap test lets `line` through to the patterns.
#[cfg(test)]
fn may_be_residue(line: &str) -> bool {
    candidates(line) != 0
}

/// Whether `line` is ASCII, longer than [`MAX_LINE`], and starts with a letter or digit and
/// ends with no blank: nothing to trim, so [`classify`] would find it too long to be residue.
/// Decided without trimming or searching it; `ascii` says the whole file is ASCII (then no
/// line needs looking at).
fn plain_long_line(line: &str, ascii: bool) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > MAX_LINE
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_graphic()
        && (ascii || line.is_ascii())
}

/// The first built-in pattern `line` (trimmed) matches. Most lines match nothing, which the
/// cheap test says; the others try, in order, the patterns they may match.
fn builtin(line: &str) -> Option<usize> {
    let mut mask = candidates(line);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if pattern_matches(i, line) {
            return Some(i);
        }
    }
    None
}

fn classify(line: &str, extra: &RegexSet) -> Option<&'static str> {
    let line = match line.as_bytes() {
        // Printable ASCII at both ends and no bullet: nothing to take away (most lines).
        [first, .., last]
            if first.is_ascii_graphic()
                && !matches!(first, b'*' | b'-' | b'+' | b'|')
                && last.is_ascii_graphic() =>
        {
            line
        }
        _ => line
            .trim()
            .trim_start_matches(['•', '*', '-', '·', '+', '|'])
            .trim(),
    };
    // Counting characters is needed only for long non-ASCII lines.
    if line.is_empty()
        || (line.len() > MAX_LINE && (line.is_ascii() || line.chars().count() > MAX_LINE))
    {
        return None;
    }
    builtin(line).map(|i| PATTERNS[i].1).or_else(|| {
        (!extra.is_empty() && extra.is_match(line)).then_some("matches a configured pattern")
    })
}

/// The rule's options (`rules: scrape-residue: patterns: [...]`).
pub struct Options {
    /// Extra patterns (case-insensitive), as one set: at most [`MAX_RESIDUE_PATTERNS`],
    /// compiled within [`RESIDUE_SIZE_LIMIT`] together.
    pub patterns: RegexSet,
}

static NO_PATTERNS: LazyLock<RegexSet> = LazyLock::new(RegexSet::empty);

/// The most `scrape-residue` patterns a configuration may give.
pub const MAX_RESIDUE_PATTERNS: usize = 200;

/// The most memory the `scrape-residue` patterns may take once compiled, all together (regex's
/// `size_limit`): a few repeated Unicode classes (`\w{1,100}`) compile to megabytes each, and
/// thousands of them took gigabytes.
pub const RESIDUE_SIZE_LIMIT: usize = 4 << 20;

/// The most memory the patterns' lazy DFA may use per thread (regex's `dfa_size_limit`; past
/// it, matching goes on with a slower engine, never with more memory).
pub const RESIDUE_DFA_SIZE_LIMIT: usize = 2 << 20;

/// Compile the `scrape-residue` patterns into one set, or say which pattern passes a limit or
/// does not compile, at its position.
fn residue_patterns(
    patterns: &[Value],
    loaded: &Loaded,
    pointer: &str,
) -> Result<RegexSet, ToolError> {
    let at = |k: usize| loaded.span_of(&format!("{pointer}/patterns/{k}"));
    let megabytes = RESIDUE_SIZE_LIMIT >> 20;
    if patterns.len() > MAX_RESIDUE_PATTERNS {
        return Err(loaded.problems(vec![
            FileProblem::new(
                at(MAX_RESIDUE_PATTERNS),
                format!(
                    "Too many `scrape-residue` patterns ({}): at most {MAX_RESIDUE_PATTERNS} patterns are allowed",
                    patterns.len()
                ),
                "one too many",
            )
            .with_help("Combine patterns with `|`, or remove some".to_string()),
        ]));
    }
    // Case-insensitive as written: `(?i)` first, so a pattern can still turn it off.
    let sources: Vec<String> = patterns
        .iter()
        .map(|p| format!("(?i){}", p.as_str().unwrap_or_default()))
        .collect();
    let build = |sources: &[String]| {
        RegexSetBuilder::new(sources)
            .size_limit(RESIDUE_SIZE_LIMIT)
            .dfa_size_limit(RESIDUE_DFA_SIZE_LIMIT)
            .build()
    };
    let too_large = |k: usize, message: String| {
        FileProblem::new(at(k), message, "too large").with_help(
            "A repeated Unicode class (`\\w{1,100}`) compiles to a large automaton: repeat it with \
             `+` or `*`, or match ASCII only with `(?-u:\\w)`"
                .to_string(),
        )
    };
    // Syntax first, each pattern on its own: compiling with no room at all stops at once
    // after the pattern has been read, so a pattern that does not read is named with its
    // reason without compiling anything.
    // (As the user wrote it: `(?i)` changes no pattern's syntax, and the error quotes it.)
    let problems: Vec<FileProblem> = patterns
        .iter()
        .map(|p| p.as_str().unwrap_or_default())
        .enumerate()
        .filter_map(
            |(k, source)| match RegexSetBuilder::new([source]).size_limit(0).build() {
                Err(regex::Error::CompiledTooBig(_)) | Ok(_) => None,
                Err(e) => Some(FileProblem::new(
                    at(k),
                    format!("Invalid regular expression: {e}"),
                    "not a valid pattern",
                )),
            },
        )
        .collect();
    if !problems.is_empty() {
        return Err(loaded.problems(problems));
    }
    if let Ok(set) = build(&sources) {
        return Ok(set);
    }
    // Too large: find the first pattern with which the set passes the limit (a few
    // compilations, each stopped at the limit), and whether it does so on its own.
    let (mut fits, mut over) = (0, sources.len());
    while over - fits > 1 {
        let mid = usize::midpoint(fits, over);
        if build(&sources[..mid]).is_ok() {
            fits = mid;
        } else {
            over = mid;
        }
    }
    let k = over - 1;
    let message = if build(std::slice::from_ref(&sources[k])).is_err() {
        format!("Pattern is too large once compiled (over {megabytes} MiB)")
    } else {
        format!(
            "The `scrape-residue` patterns up to this one are too large together once compiled (over {megabytes} MiB)"
        )
    };
    Err(loaded.problems(vec![too_large(k, message)]))
}

impl Rule for ScrapeResidue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn options(
        &self,
        section: &Map<String, Value>,
        file: &Loaded,
        pointer: &str,
    ) -> Result<Option<ParsedOptions>, ToolError> {
        let Some(Value::Array(patterns)) = section.get("patterns") else {
            return Ok(None);
        };
        let patterns = residue_patterns(patterns, file, pointer)?;
        Ok(Some(Box::new(Options { patterns })))
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let extra = cx
            .options::<Options>()
            .map_or(&*NO_PATTERNS, |o| &o.patterns);
        let mut blocks: Vec<Vec<(Span, &str)>> = Vec::new();
        let mut open = false;
        let text = &doc.text;
        let ascii = doc.lines.is_ascii();
        // The body's lines, from the file's line index (no second search for line breaks).
        let starts = doc.lines.starts();
        let after = starts.partition_point(|&s| s <= doc.body_start);
        let mut starts = std::iter::once(doc.body_start)
            .chain(starts[after..].iter().copied())
            .peekable();
        while let Some(pos) = starts.next() {
            if pos >= text.len() {
                break;
            }
            let end = starts.peek().map_or(text.len(), |&next| next - 1);
            let mut line = &text[pos..end];
            if line.ends_with('\r') {
                line = line.trim_end_matches('\r');
            }
            let span = Span::new(pos, pos + line.len());
            if plain_long_line(line, ascii) {
                // Prose: what most lines of an article are (tested first: it starts with a
                // letter or digit, so it is not blank).
                open = false;
            } else if crate::base::text::is_blank(line) {
                // Blank lines do not end a block.
            } else if let Some(what) = (!doc.in_code(pos)).then(|| classify(line, extra)).flatten()
            {
                let trimmed = line.trim_start();
                let start = span.start + (line.len() - trimmed.len());
                let item = (Span::new(start, span.end), what);
                if open && blocks.last().is_some_and(|b| b.len() < MAX_BLOCK) {
                    blocks.last_mut().expect("an open block exists").push(item);
                } else {
                    blocks.push(vec![item]);
                    open = true;
                }
            } else {
                open = false;
            }
        }
        for block in blocks {
            let (first, last) = (block[0].0, block[block.len() - 1].0);
            let n = block.len();
            let mut d = Diagnostic::new(
                Span::new(first.start, last.end),
                format!("Leftovers of a copied web page ({n} line{})", if n == 1 { "" } else { "s" }),
            )
            .with_help("Delete these lines: they belong to the page the text was copied from, not to the article");
            if n == 1 {
                d = d.with_label(block[0].1);
            } else {
                for (span, what) in block {
                    d = d.with_secondary(span, what);
                }
            }
            cx.report(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        ANCHORS, ANYWHERE, PATTERNS, SET, builtin, classify, may_be_residue, plain_long_line,
    };
    use proptest::prelude::*;
    use regex::RegexSet;

    /// Lines a built-in pattern matches, or nearly: each pattern's own examples with their
    /// words in other cases, spacing and punctuation.
    fn near_residue() -> impl Strategy<Value = String> {
        let parts = prop::sample::select(vec![
            "Instagram",
            "WHITE facebook icon",
            "x",
            "X",
            "follow us",
            "Like us at",
            "(c) 2020",
            "(C)",
            "copyright",
            "All Rights Reserved.",
            "open:",
            "Opening Hours",
            "hours: 9am",
            "Monday",
            "mon.",
            "SUN",
            "to",
            "-",
            "\u{2013}",
            "9",
            "12th floor",
            "123 Main St.",
            "1.",
            "2)",
            "4:1",
            "221-b",
            "12B",
            "9am",
            "3rd",
            "\t",
            "\u{b}",
            "Main",
            "St",
            "floor",
            ", NY 11433",
            ",",
            "share",
            "Share this post on:",
            "sign up",
            "Subscribe",
            "newsletter",
            "mailing list",
            "cookie policy",
            "this site uses cookies",
            "accept",
            " ",
            "  ",
            "a",
            "Z",
            "\u{a9}",
            "\u{17f}ubscribe",
            "\u{212a}",
            "##",
            "mix",
            "24/7",
            "\u{a0}",
            "\u{2003}",
            "\u{3000}",
            "\u{663}",
            "\u{ff11}",
            "\u{e9}",
            "\u{2013}",
            "\u{2019}",
            "\u{130}",
            "\u{131}",
            "\u{17f}hare",
            "\u{212a}",
            "Ma\u{131}n St",
            "\u{2160}",
            "montomon 9",
            "mon to",
            "Tue.",
            "fri.-sun",
            "monome",
            "connect with us",
            "connect",
            "with",
            " us",
            "business hours",
            "opening hours:",
            "daily",
            "every day",
            "x icon",
            "accept all cookies",
            "cookie settings",
            "uses cookies",
            "mailing list",
            "12345",
            "12345-6789",
            ", CA 90210",
            "Ave.",
            " Rd,",
            "1st",
            " floor",
            "\u{17f}t",
            "reserved",
            "all rights",
            "(c",
            "share this article on:",
            "Open",
            "hours",
            "opening",
        ]);
        prop::collection::vec(parts, 1..6).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// A line the shortcut passes over is one `classify` would find no residue in, even
        /// with a pattern that matches anything.
        #[test]
        fn a_plain_long_line_is_never_residue(
            line in "[a-z0-9 ,.\t\u{b}\u{c}*•|(-]{1,4}[a-z ,.(]{110,125}[a-z0-9 \t\u{b}\u{c}é.)]{1,4}",
        ) {
            let anything = RegexSet::new([""]).unwrap();
            if plain_long_line(&line, false) {
                prop_assert_eq!(classify(&line, &anything), None);
            }
        }

        /// Trying only the patterns the cheap test names finds what the whole set finds.
        #[test]
        fn the_patterns_tried_find_what_the_whole_set_finds(line in near_residue()) {
            let line = line.trim();
            prop_assume!(!line.is_empty());
            prop_assert_eq!(builtin(line), SET.matches(line).iter().next(), "{:?}", line);
        }

        /// Characters of one to four bytes where the patterns count them (`.{0,80}`), around
        /// the bounds.
        #[test]
        fn characters_of_every_width_count_once(
            start in prop::sample::select(vec!["© ", "(c) ", "follow us on ", "", "12th floor "]),
            middle in "[aé€😀 ,]{30,90}",
            end in prop::sample::select(vec!["", " all rights reserved", ", ca 90210"]),
        ) {
            let line = format!("{start}{middle}{end}");
            let line = line.trim();
            prop_assume!(!line.is_empty());
            prop_assert_eq!(builtin(line), SET.matches(line).iter().next(), "{:?}", line);
        }

        #[test]
        fn any_text_gets_what_the_whole_set_finds(line in "\\PC{1,60}") {
            let line = line.trim();
            prop_assume!(!line.is_empty());
            prop_assert_eq!(builtin(line), SET.matches(line).iter().next(), "{:?}", line);
        }

        #[test]
        fn the_cheap_test_never_rejects_a_residue_line(line in near_residue()) {
            let line = line.trim();
            prop_assume!(!line.is_empty());
            if SET.is_match(line) {
                prop_assert!(may_be_residue(line), "{line:?}");
            }
        }
    }

    #[test]
    fn the_cheap_test_rejects_ordinary_lines() {
        for line in [
            "# Mixing",
            "## Pre-production",
            "Mixing",
            "Set the ratio to 4:1.",
            "1. **Song**: write the chorus first",
            "2) Record the demo",
            "4:1 works for vocals",
            // Prose with accents, curly quotes and dashes, and commas.
            "Don\u{2019}t over-compress \u{2013} it flattens the chorus\u{2026}",
            "Caf\u{e9} sessions, late at night, with the band in one room.",
            "The verse sits at 92 BPM, the chorus at 96.",
        ] {
            assert!(!may_be_residue(line), "{line}");
        }
        // Lines starting with a number that the patterns do match, with every ASCII blank.
        for line in [
            "123 Main St.",
            "9\u{b}123 main st.",
            "9\tMain Street, Springfield",
            "221-b\x0cBaker Street",
            "12th floor, Suite 4",
            "3rd floor",
            "4\rMain St",
        ] {
            assert!(SET.is_match(line), "{line:?}");
            assert!(may_be_residue(line), "{line:?}");
        }
        assert_eq!(PATTERNS.len(), SET.len());
        for (word, at, _) in ANYWHERE {
            assert!(ANCHORS.contains(&word[at]), "{word:?}");
        }
    }

    #[test]
    fn a_line_reading_just_x_is_not_a_social_link() {
        for line in ["x", "X", "  • X", "- x", "x."] {
            assert_eq!(classify(line, &RegexSet::empty()), None, "{line:?}");
        }
        // Named as a link, the one-letter platform still is one.
        for line in ["X icon", "  • White X Icon", "x logo", "Black X", "X page"] {
            assert_eq!(
                classify(line, &RegexSet::empty()),
                Some("social-network link"),
                "{line:?}"
            );
        }
    }

    #[test]
    fn residue_lines_and_prose() {
        for (line, what) in [
            ("  • Instagram", "social-network link"),
            ("  • White Facebook Icon", "social-network link"),
            ("Follow us on:", "follow prompt"),
            ("© 2018 by RaMed Studios", "copyright footer"),
            ("Open 24 hours", "opening hours"),
            ("Mon - Fri 9am-5pm", "opening hours"),
            ("Opening hours: Mon-Sat 10:00 - 18:00", "opening hours"),
            ("Open 9am - 6pm", "opening hours"),
            // `\s*`: the next word may follow the first at once.
            ("Opendaily", "opening hours"),
            ("openmonday", "opening hours"),
            ("Hoursmon-fri", "opening hours"),
            ("openevery day", "opening hours"),
            ("opening hoursdaily", "opening hours"),
            ("92-22 Guy R Brewer Blvd", "street address"),
            ("2nd floor, Jamaica, NY 11433", "street address"),
            ("Share this:", "share prompt"),
            ("Subscribe to our newsletter", "newsletter prompt"),
            (
                "This website uses cookies to improve your experience.",
                "cookie prompt",
            ),
        ] {
            assert_eq!(classify(line, &RegexSet::empty()), Some(what), "{line}");
        }
        for line in [
            "Open the compressor and set the ratio to 4:1 before you listen again.",
            "Instagram is where many producers share short clips of their sessions.",
            "1. Songwriting",
            "Mixing",
            "Follow the signal from the microphone to the interface, then into the DAW and onward.",
        ] {
            assert_eq!(classify(line, &RegexSet::empty()), None, "{line}");
        }
    }
}
