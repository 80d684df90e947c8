//! Generate a synthetic production-guide corpus for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- DIR N [DEFECT_PERCENT]` writes N articles in
//! the shape of a real guide (front matter, phase and stage headings, paragraphs, some links,
//! bold words and lists) into
//! `DIR/<phase>/<nn>/article-<i>.md`. About DEFECT_PERCENT percent of them (default 10) carry
//! one injected defect: a skipped heading level, a tag given as a string, a misspelt field, a
//! missing front matter or broken YAML. Output is deterministic for a given N.

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
const WORDS: [&str; 24] = [
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
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(&WORDS));
    }
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    }) + "."
}

/// A numbered list of steps or a bulleted list of tips, then a blank line.
fn list(rng: &mut Rng, body: &mut String) {
    let numbered = rng.below(2) == 0;
    for n in 1..=3 + rng.below(3) {
        let marker = if numbered {
            format!("{n}.")
        } else {
            "-".to_string()
        };
        let word = rng.pick(&WORDS);
        writeln!(body, "{marker} **{word}**: {}", sentence(rng, 8)).unwrap();
    }
    body.push('\n');
}

fn article(rng: &mut Rng, i: usize, defect: Option<usize>) -> (String, String) {
    let (phase_id, _, stages) = PHASES[i % 3];
    let stage = stages[rng.below(stages.len())];
    let stage_id = stage.to_lowercase().replace(' ', "-");
    let mut fm = String::new();
    writeln!(fm, "---").unwrap();
    writeln!(
        fm,
        "title: {} {}",
        stage,
        sentence(rng, 4).trim_end_matches('.').to_lowercase()
    )
    .unwrap();
    writeln!(
        fm,
        "description: >\n  {} {}",
        sentence(rng, 12),
        sentence(rng, 10)
    )
    .unwrap();
    writeln!(fm, "yt_video:").unwrap();
    writeln!(fm, "genre:\n  - {}", rng.pick(&GENRES)).unwrap();
    match defect {
        Some(1) => writeln!(fm, "stage: {stage_id}").unwrap(),
        Some(2) => writeln!(fm, "stages:\n  - {stage_id}").unwrap(),
        _ => writeln!(fm, "stage:\n  - {stage_id}").unwrap(),
    }
    writeln!(fm, "instrument:\n  - {}", rng.pick(&INSTRUMENTS)).unwrap();
    if defect == Some(4) {
        writeln!(fm, "level: [{}", rng.pick(&LEVELS)).unwrap();
    } else {
        writeln!(fm, "level:\n  - {}", rng.pick(&LEVELS)).unwrap();
    }
    writeln!(fm, "---").unwrap();
    let mut body = String::new();
    // Half the articles have a list (steps or tips) ending one section, as one of the two
    // source articles does; the other half are headings and prose only, like the other.
    let list_in = (rng.below(2) == 0).then(|| (rng.below(3), rng.below(2)));
    for (p, (_, label, stages)) in PHASES.iter().enumerate() {
        writeln!(body, "# {label}").unwrap();
        let list_at = list_in.filter(|&(phase, _)| phase == p).map(|(_, k)| k);
        for (k, s) in stages.iter().enumerate() {
            let hashes = if defect == Some(0) && k == 0 {
                "###"
            } else {
                "##"
            };
            writeln!(body, "{hashes} {s}").unwrap();
            for _ in 0..1 + rng.below(2) {
                // Some paragraphs link to a reference or stress a word, as real ones do.
                let aside = match rng.below(10) {
                    0 => format!(
                        " See [the {} guide](https://example.com/{}).",
                        rng.pick(&WORDS),
                        rng.pick(&WORDS)
                    ),
                    1 => format!(" Keep the **{}** in mind.", rng.pick(&WORDS)),
                    _ => String::new(),
                };
                writeln!(
                    body,
                    "{} {} {}{aside}\n",
                    sentence(rng, 14),
                    sentence(rng, 9),
                    sentence(rng, 11)
                )
                .unwrap();
            }
            if list_at == Some(k) {
                list(rng, &mut body);
            }
        }
    }
    let text = if defect == Some(3) { body } else { fm + &body };
    (
        format!("{phase_id}/{:03}/article-{i:06}.md", i / 100 % 1000),
        text,
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_corpus DIR N [DEFECT_PERCENT]";
    let dir = PathBuf::from(args.next().expect(usage));
    let n: usize = args.next().expect(usage).parse().expect("N is a number");
    let defect_percent: usize = args.next().map_or(10, |p| p.parse().expect("a percentage"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0;
    let mut defects = 0;
    for i in 0..n {
        let defect = (rng.below(100) < defect_percent).then(|| rng.below(5));
        defects += usize::from(defect.is_some());
        let (path, text) = article(&mut rng, i, defect);
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        bytes += text.len();
    }
    eprintln!(
        "wrote {n} articles ({} KiB, {defects} with a defect) to {}",
        bytes / 1024,
        dir.display()
    );
}
