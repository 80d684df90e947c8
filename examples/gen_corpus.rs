//! Generate a synthetic production-guide corpus for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- DIR N [DEFECT_PERCENT] [--legacy]` writes N
//! articles into `DIR/<phase>/<nn>/article-<i>.md`, shaped like articles people write rather
//! than like what guidelint reads fastest: front matter, then 1–20 KB of body with sentences
//! that carry inline code, inline and reference links, emphasis, non-ASCII punctuation
//! (– — ’ “ ” … é), tables, fenced code, block quotes, nested lists, and sub-headings at
//! several levels.
//!
//! About DEFECT_PERCENT percent of the articles (default 10) carry one injected defect: a
//! skipped heading level, a tag given as a string, a misspelt field, a missing front matter
//! or broken YAML. `--legacy` makes a guide that grew without a checker instead: most articles
//! have findings (titles shared by several articles, unknown and non-canonical tags, stage
//! headings in the wrong case, schema violations, pasted web-page residue), about two per
//! article. Output is deterministic for given arguments.

use std::fmt::Write as _;
use std::path::PathBuf;

const PHASES: [(&str, &str, &[&str]); 3] = [
    (
        "pre-production",
        "Pre-production",
        &[
            "Ideation",
            "Songwriting",
            "Arranging",
            "Demo",
            "References",
            "Planning",
        ],
    ),
    (
        "production",
        "Production",
        &["Sound design", "Recording", "Editing"],
    ),
    (
        "post-production",
        "Post-production",
        &["Mixing", "Mastering"],
    ),
];
const GENRES: [&str; 8] = [
    "all",
    "hip-hop",
    "electronic",
    "rock",
    "pop",
    "jazz",
    "lo-fi",
    "drum-and-bass",
];
const INSTRUMENTS: [&str; 8] = [
    "all", "vocals", "drums", "bass", "guitar", "piano", "synth", "strings",
];
const LEVELS: [&str; 3] = ["beginner", "intermediate", "advanced"];
/// Tags a legacy guide uses that no taxonomy knows, or knows under another spelling.
const STRAY_TAGS: [&str; 8] = [
    "Vox", "Drumz", "EDM", "Lofi", "Mixdown", "Guitars", "Jazzz", "Comping",
];
const WORDS: [&str; 64] = [
    "track",
    "mix",
    "vocal",
    "take",
    "reverb",
    "compressor",
    "arrangement",
    "chorus",
    "verse",
    "groove",
    "headroom",
    "reference",
    "session",
    "microphone",
    "room",
    "tempo",
    "melody",
    "loop",
    "balance",
    "automation",
    "producer",
    "song",
    "idea",
    "listener",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "with",
    "your",
    "before",
    "after",
    "every",
    "while",
    "it’s",
    "don’t",
    "you’ll",
    "bus",
    "sidechain",
    "transient",
    "saturation",
    "low-end",
    "high-pass",
    "stereo",
    "mono",
    "fader",
    "plugin",
    "preset",
    "bounce",
    "stem",
    "drum",
    "snare",
    "kick",
    "hi-hat",
    "bassline",
    "pad",
    "lead",
    "café",
    "naïve",
    "rôle",
    "déjà",
    "Ableton",
];
const CODE: [&str; 10] = [
    "-14 LUFS",
    "Ctrl+S",
    "ratio = 4:1",
    "attack: 10 ms",
    "48 kHz",
    "sox in.wav out.wav gain -3",
    "-1 dBTP",
    "Cmd+E",
    "--render stems",
    "f(x) = x / (1 + |x|)",
];
const URLS: [&str; 6] = [
    "https://example.com/mixing/bus-compression",
    "https://example.org/guides/gain-staging?lang=en",
    "../post-production/mastering.md",
    "https://example.net/a/very/long/path/to/a/reference-track#section-2",
    "/production/recording/",
    "https://example.com/café/ünïcode",
];

/// xorshift64*: small, fast and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Words in a row, some of them dressed as writers do: code, emphasis, links, quotes, dashes.
fn sentence(rng: &mut Rng, words: usize, refs: &mut Vec<String>) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push_str(match rng.below(40) {
                0 => " – ",
                1 => " — ",
                2 => ", ",
                _ => " ",
            });
        }
        let word = rng.pick(&WORDS);
        match rng.below(30) {
            0 => write!(s, "`{}`", rng.pick(&CODE)).unwrap(),
            1 => write!(s, "*{word}*").unwrap(),
            2 => write!(s, "**{word}**").unwrap(),
            3 => write!(s, "[{word} {}]({})", rng.pick(&WORDS), rng.pick(&URLS)).unwrap(),
            4 => {
                let label = format!("{word}-{}", refs.len() + 1);
                write!(s, "[{word}][{label}]").unwrap();
                refs.push(label);
            }
            5 => write!(s, "“{word}”").unwrap(),
            _ => s.push_str(word),
        }
    }
    let end = match rng.below(12) {
        0 => "…",
        1 => "?",
        2 => "!",
        _ => ".",
    };
    capitalised(&s) + end
}

fn paragraph(rng: &mut Rng, body: &mut String, refs: &mut Vec<String>) {
    let n = 1 + rng.below(4);
    for k in 0..n {
        if k > 0 {
            // Some paragraphs wrap their lines, as editors with a ruler do.
            body.push(if rng.chance(30) { '\n' } else { ' ' });
        }
        let words = 6 + rng.below(18);
        body.push_str(&sentence(rng, words, refs));
    }
    body.push_str("\n\n");
}

/// A list of steps or tips, some items with a nested list, then a blank line.
fn list(rng: &mut Rng, body: &mut String, refs: &mut Vec<String>) {
    let numbered = rng.chance(50);
    for n in 1..=3 + rng.below(4) {
        let marker = if numbered {
            format!("{n}.")
        } else {
            "-".to_string()
        };
        let word = rng.pick(&WORDS);
        let words = 5 + rng.below(10);
        writeln!(
            body,
            "{marker} **{}**: {}",
            capitalised(word),
            sentence(rng, words, refs)
        )
        .unwrap();
        if rng.chance(25) {
            let indent = " ".repeat(marker.len() + 1);
            for _ in 0..1 + rng.below(3) {
                let words = 4 + rng.below(8);
                writeln!(body, "{indent}- {}", sentence(rng, words, refs)).unwrap();
            }
        }
    }
    body.push('\n');
}

fn table(rng: &mut Rng, body: &mut String) {
    body.push_str("| Setting | Value | Why |\n| --- | ---: | --- |\n");
    for _ in 0..2 + rng.below(5) {
        writeln!(
            body,
            "| {} | `{}` | {} {} {} |",
            capitalised(rng.pick(&WORDS)),
            rng.pick(&CODE),
            rng.pick(&WORDS),
            rng.pick(&WORDS),
            rng.pick(&WORDS)
        )
        .unwrap();
    }
    body.push('\n');
}

fn code_block(rng: &mut Rng, body: &mut String) {
    let lang = rng.pick(&["sh", "text", "yaml", ""]);
    writeln!(body, "```{lang}").unwrap();
    for _ in 0..2 + rng.below(8) {
        writeln!(
            body,
            "{} # {} {}",
            rng.pick(&CODE),
            rng.pick(&WORDS),
            rng.pick(&WORDS)
        )
        .unwrap();
    }
    body.push_str("```\n\n");
}

fn quote(rng: &mut Rng, body: &mut String, refs: &mut Vec<String>) {
    for _ in 0..1 + rng.below(3) {
        let words = 8 + rng.below(12);
        writeln!(body, "> {}", sentence(rng, words, refs)).unwrap();
    }
    body.push('\n');
}

/// The content of one section: paragraphs, now and then a list, table, code or quote.
fn section(rng: &mut Rng, body: &mut String, refs: &mut Vec<String>, budget: usize) {
    let start = body.len();
    while body.len() - start < budget {
        match rng.below(10) {
            0 => list(rng, body, refs),
            1 if rng.chance(50) => table(rng, body),
            2 if rng.chance(50) => code_block(rng, body),
            3 if rng.chance(50) => quote(rng, body, refs),
            _ => paragraph(rng, body, refs),
        }
    }
}

/// Residue of a web page pasted into a legacy article.
const RESIDUE: [&str; 4] = [
    "Follow us on:\n\nInstagram\n\nFacebook\n",
    "© 2019 by The Home Studio. Proudly created with Wix.com\n",
    "Share this:\n\nTwitter\n",
    "Subscribe to our newsletter\n",
];

struct Profile {
    defect_percent: usize,
    legacy: bool,
}

fn front_matter(rng: &mut Rng, i: usize, stage_id: &str, stage: &str, p: &Profile) -> String {
    let mut refs = Vec::new();
    let mut fm = String::from("---\n");
    // A legacy guide reuses titles: one article in four shares its title with others.
    let title = if p.legacy && rng.chance(25) {
        format!("{stage} tips")
    } else {
        format!(
            "{stage} {} ({i})",
            sentence(rng, 4, &mut refs)
                .trim_end_matches(['.', '?', '!', '…'])
                .to_lowercase()
        )
    };
    writeln!(fm, "title: {}", yaml_quoted(&title)).unwrap();
    let mut refs = Vec::new();
    let description = format!(
        "{} {}",
        sentence(rng, 12, &mut refs),
        sentence(rng, 10, &mut refs)
    );
    writeln!(fm, "description: >\n  {}", yaml_folded(&description)).unwrap();
    if rng.chance(30) {
        let id: String = (0..11)
            .map(|_| {
                let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                char::from(c[rng.below(c.len())])
            })
            .collect();
        writeln!(fm, "yt_video: https://www.youtube.com/watch?v={id}").unwrap();
    } else {
        writeln!(fm, "yt_video:").unwrap();
    }
    let genre = if p.legacy && rng.chance(30) {
        rng.pick(&STRAY_TAGS)
    } else {
        rng.pick(&GENRES)
    };
    if rng.chance(50) {
        writeln!(fm, "genre: [{genre}]").unwrap();
    } else {
        writeln!(fm, "genre:\n  - {genre}").unwrap();
    }
    if p.legacy && rng.chance(30) {
        writeln!(fm, "stage: {}", capitalised(stage_id)).unwrap();
    } else {
        writeln!(fm, "stage:\n  - {stage_id}").unwrap();
    }
    let instrument = if p.legacy && rng.chance(40) {
        rng.pick(&STRAY_TAGS)
    } else {
        rng.pick(&INSTRUMENTS)
    };
    writeln!(fm, "instrument:\n  - {instrument}").unwrap();
    if p.legacy && rng.chance(15) {
        writeln!(fm, "level: expert").unwrap();
    } else {
        writeln!(fm, "level:\n  - {}", rng.pick(&LEVELS)).unwrap();
    }
    if p.legacy && rng.chance(20) {
        writeln!(
            fm,
            "author: {}",
            rng.pick(&["Sam", "Ana Lúcia", "J. O’Neil"])
        )
        .unwrap();
    }
    fm.push_str("---\n");
    fm
}

/// A double-quoted YAML scalar when the plain one would not read back the same.
fn yaml_quoted(s: &str) -> String {
    if s.contains([
        ':', '#', '`', '*', '[', ']', '“', '"', '\'', '&', '!', '|', '>', '%', '@',
    ]) || s.starts_with(['-', '?', '{'])
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// A folded block scalar's content: one line, nothing that ends it early.
fn yaml_folded(s: &str) -> String {
    s.replace('\n', " ")
}

fn article(rng: &mut Rng, i: usize, p: &Profile) -> (String, String) {
    let defect = rng.chance(p.defect_percent).then(|| rng.below(5));
    let (phase_id, _, stages) = PHASES[i % 3];
    let stage = stages[rng.below(stages.len())];
    let stage_id = stage.to_lowercase().replace(' ', "-");
    let mut fm = front_matter(rng, i, &stage_id, stage, p);
    match defect {
        Some(1) => {
            fm = fm.replacen(
                &format!("stage:\n  - {stage_id}"),
                &format!("stage: {stage_id}"),
                1,
            )
        }
        Some(2) => fm = fm.replacen("\nstage:", "\nstages:", 1),
        Some(4) => fm = fm.replacen("\nlevel:\n  - ", "\nlevel: [", 1),
        _ => {}
    }
    // 1–20 KB of body, most articles at the small end, as in real guides.
    let target = 512 + (rng.below(20) * rng.below(20) * 19 * 1024) / 500;
    // An article covers the stages of its own phase it is about, and now and then those of
    // the other phases: a handful of sections in most articles, a dozen in the longest.
    let own = i % 3;
    let mut outline: Vec<(usize, Vec<usize>)> = Vec::new();
    for (p_index, (_, _, phase_stages)) in PHASES.iter().enumerate() {
        if p_index != own && !rng.chance(15) {
            continue;
        }
        let mut picked: Vec<usize> = (0..phase_stages.len()).filter(|_| rng.chance(35)).collect();
        if picked.is_empty() {
            picked.push(rng.below(phase_stages.len()));
        }
        outline.push((p_index, picked));
    }
    let sections: usize = outline.iter().map(|(_, s)| s.len()).sum();
    let per_section = target / sections.max(1);
    let mut refs = Vec::new();
    let mut body = String::new();
    if rng.chance(40) {
        paragraph(rng, &mut body, &mut refs);
    }
    for (p_index, picked) in outline {
        let (_, label, phase_stages) = PHASES[p_index];
        writeln!(body, "# {label}\n").unwrap();
        for (n, k) in picked.into_iter().enumerate() {
            let s = phase_stages[k];
            let hashes = if defect == Some(0) && n == 0 {
                "###"
            } else {
                "##"
            };
            let heading = if p.legacy && rng.chance(8) {
                s.to_uppercase()
            } else {
                s.to_string()
            };
            writeln!(body, "{hashes} {heading}\n").unwrap();
            // Sub-sections at the levels below, sometimes two deep, share half the budget.
            let subsections = rng.below(1 + (per_section / 1500).min(3));
            let share = per_section / 2 / subsections.max(1);
            section(rng, &mut body, &mut refs, per_section - share * subsections);
            for _ in 0..subsections {
                let words = 2 + rng.below(4);
                let title = sentence(rng, words, &mut Vec::new());
                let title = title.trim_end_matches(['.', '?', '!', '…']);
                writeln!(body, "### {title}\n").unwrap();
                section(rng, &mut body, &mut refs, share * 2 / 3);
                if rng.chance(30) {
                    writeln!(
                        body,
                        "#### {} {}\n",
                        capitalised(rng.pick(&WORDS)),
                        rng.pick(&WORDS)
                    )
                    .unwrap();
                    section(rng, &mut body, &mut refs, share / 3);
                }
            }
        }
    }
    if p.legacy && rng.chance(15) {
        body.push('\n');
        body.push_str(rng.pick(&RESIDUE));
    }
    if !refs.is_empty() {
        body.push('\n');
        for label in &refs {
            writeln!(
                body,
                "[{label}]: {} \"{}\"",
                rng.pick(&URLS),
                rng.pick(&WORDS)
            )
            .unwrap();
        }
    }
    let text = if defect == Some(3) { body } else { fm + &body };
    (
        format!("{phase_id}/{:03}/article-{i:06}.md", i / 100 % 1000),
        text,
    )
}

fn main() {
    let usage = "usage: gen_corpus DIR N [DEFECT_PERCENT] [--legacy]";
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let legacy = if let Some(at) = args.iter().position(|a| a == "--legacy") {
        args.remove(at);
        true
    } else {
        false
    };
    let mut args = args.into_iter();
    let dir = PathBuf::from(args.next().expect(usage));
    let n: usize = args.next().expect(usage).parse().expect("N is a number");
    let defect_percent: usize = args.next().map_or(if legacy { 20 } else { 10 }, |p| {
        p.parse().expect("a percentage")
    });
    let profile = Profile {
        defect_percent,
        legacy,
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0;
    for i in 0..n {
        let (path, text) = article(&mut rng, i, &profile);
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        bytes += text.len();
    }
    eprintln!(
        "wrote {n} {}articles ({} KiB) to {}",
        if legacy { "legacy " } else { "" },
        bytes / 1024,
        dir.display()
    );
}
