//! The bytes a [`Cached`] result is stored as: a compact binary form, read back without a
//! parser (a warm run decodes every cached finding it reports, so this is most of its work).
//!
//! Layout: a version byte, the length of the texts and the texts, then the findings, the facts
//! and the suppressions. Numbers are LEB128 variable-length integers, optional values a byte
//! (0 or 1) before the value, lists a count before their items. Every text of the result is
//! stored, in the order it is read, in one UTF-8 run at the start (checked once, not text by
//! text: most of a warm run's texts are a few dozen bytes); where a text belongs, its length.
//! A rule is stored as its place in the registry (one byte; the cache is keyed by the build,
//! so the registry a result is read with is the one it was written with), and a place no rule
//! has makes the entry unreadable. Suppressions
//! (rare, and with more structure) are stored as JSON, as one of the texts.
//!
//! Decoding trusts nothing: a count larger than the bytes left, a text running past the texts
//! or cutting a character in two, an unknown tag, texts that are not UTF-8, or bytes or texts
//! left over make the whole entry unreadable (`None`), never a panic or a large allocation.

use crate::base::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Location, Severity};
use crate::base::span::{LineCol, Span};
use crate::base::text::Text;
use crate::rules::suppress::Suppressions;
use crate::rules::{Fact, Facts, RULES};

use super::{Cached, CachedRef};

/// The first byte of every encoded result; a new layout takes a new number.
const VERSION: u8 = 3;

/// Written for a rule that is not registered: never read back.
const UNKNOWN_RULE: u8 = u8::MAX;

/// Encode a result.
#[must_use]
pub fn encode(result: &CachedRef<'_>) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::with_capacity(16 + result.diagnostics.len() * 24),
        texts: String::with_capacity(64 + result.diagnostics.len() * 140),
    };
    w.count(result.diagnostics.len());
    for d in result.diagnostics {
        w.diagnostic(d);
    }
    let facts: Vec<_> = result.facts.iter().collect();
    w.count(facts.len());
    for (rule, fact) in facts {
        w.rule(rule);
        w.text(&fact.value);
        w.span(fact.span);
        w.location(&fact.location);
        w.number(u64::from(fact.hash));
    }
    if result.suppressions.is_empty() {
        w.byte(0);
    } else {
        w.byte(1);
        // Serialising plain data to JSON cannot fail; an empty text would read back as
        // unreadable, so the entry would be checked again rather than trusted.
        w.text(&serde_json::to_string(result.suppressions).unwrap_or_default());
    }
    let mut head = Writer {
        out: Vec::with_capacity(11 + w.texts.len() + w.out.len()),
        texts: String::new(),
    };
    head.byte(VERSION);
    head.count(w.texts.len());
    head.out.extend_from_slice(w.texts.as_bytes());
    head.out.extend_from_slice(&w.out);
    head.out
}

/// Decode a result, or `None` if the bytes are not one whole encoded result.
#[must_use]
pub fn decode(bytes: &[u8]) -> Option<Cached> {
    let mut r = Reader {
        bytes,
        pos: 0,
        texts: "",
        at: 0,
        shared: None,
    };
    if r.byte()? != VERSION {
        return None;
    }
    let len = r.count()?;
    r.texts = std::str::from_utf8(&bytes[r.pos..r.pos + len]).ok()?;
    r.pos += len;
    let n = r.count()?;
    // The findings' texts are parts of one copy of the result's texts.
    if n > 0 {
        r.shared = Some(std::sync::Arc::from(r.texts));
    }
    let mut diagnostics = Vec::with_capacity(n);
    for _ in 0..n {
        // Read into its place in the list: a finding is a few hundred bytes, not moved twice.
        diagnostics.push(Diagnostic::new(Span::default(), Text::default()));
        r.diagnostic(diagnostics.last_mut()?)?;
    }
    let mut facts = Facts::default();
    for _ in 0..r.count()? {
        let rule = r.rule()?;
        let fact = Fact {
            value: r.text()?,
            span: r.span()?,
            // Kept to the end of the run (repository-wide rules): its own copy, so that it
            // does not keep the texts of the whole result.
            location: r.location(false)?,
            hash: u32::try_from(r.number()?).ok()?,
        };
        facts.insert(rule, fact);
    }
    let suppressions = match r.byte()? {
        0 => Suppressions::default(),
        1 => serde_json::from_str(&r.text()?).ok()?,
        _ => return None,
    };
    (r.pos == bytes.len() && r.at == r.texts.len()).then_some(Cached {
        diagnostics,
        suppressions,
        facts,
    })
}

/// The structure of a result goes to `out`, its texts to `texts`.
struct Writer {
    out: Vec<u8>,
    texts: String,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            // Seven bits per byte, the high bit saying more follow: truncation is the point.
            #[allow(clippy::cast_possible_truncation)]
            self.out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        #[allow(clippy::cast_possible_truncation)]
        self.out.push(n as u8);
    }

    fn count(&mut self, n: usize) {
        self.number(n as u64);
    }

    fn text(&mut self, s: &str) {
        self.count(s.len());
        self.texts.push_str(s);
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1);
                self.text(s);
            }
        }
    }

    fn rule(&mut self, name: &str) {
        let place = RULE_NAMES.iter().position(|&n| n == name);
        self.byte(
            place
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(UNKNOWN_RULE),
        );
    }

    fn span(&mut self, s: Span) {
        self.count(s.start);
        self.count(s.end);
    }

    fn location(&mut self, l: &Location) {
        for at in [l.start, l.end] {
            self.count(at.line);
            self.count(at.column);
        }
        self.text(&l.excerpt);
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.rule(d.rule);
        self.byte(match d.severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        });
        self.text(&d.message);
        self.span(d.span);
        self.optional(d.label.as_deref());
        self.count(d.labels.len());
        for l in &d.labels {
            self.span(l.span);
            self.text(&l.message);
        }
        self.optional(d.help.as_deref());
        self.optional(d.pointer.as_deref());
        match &d.fix {
            None => self.byte(0),
            Some(f) => {
                self.byte(match f.applicability {
                    Applicability::Safe => 1,
                    Applicability::Unsafe => 2,
                });
                self.text(&f.title);
                self.count(f.edits.len());
                for e in &f.edits {
                    self.span(e.span);
                    self.text(&e.content);
                }
            }
        }
        self.location(&d.location);
    }
}

/// The registered rules' names, read once (a cached result names a rule per finding).
static RULE_NAMES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| RULES.iter().map(|r| r.meta().name).collect());

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// The result's texts, and where the next one starts in them.
    texts: &'a str,
    at: usize,
    /// `texts` as one copy the findings' texts are parts of.
    shared: Option<std::sync::Arc<str>>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            // The tenth byte may carry one bit only.
            if shift == 63 && bits > 1 {
                return None;
            }
            n |= bits << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    /// A count of items, each at least one byte long: never more than the bytes left, so
    /// a corrupt count cannot ask for a large allocation.
    fn count(&mut self) -> Option<usize> {
        self.usize().filter(|&n| n <= self.bytes.len() - self.pos)
    }

    /// The next text: its length here, its bytes in the texts.
    fn str(&mut self) -> Option<&'a str> {
        let end = self.at.checked_add(self.usize()?)?;
        let text = self.texts.get(self.at..end)?;
        self.at = end;
        Some(text)
    }

    fn text(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    /// The next text, as a part of the shared copy when there is one.
    fn shared_text(&mut self) -> Option<Text> {
        if self.shared.is_none() {
            return self.text().map(Text::from);
        }
        let start = self.at;
        let end = start.checked_add(self.usize()?)?;
        // The shared copy holds the same texts: `slice` checks the range, as `str` would.
        let text = Text::slice(self.shared.as_ref()?, start, end)?;
        self.at = end;
        Some(text)
    }

    fn optional(&mut self) -> Option<Option<Text>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.shared_text().map(Some),
            _ => None,
        }
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.usize()?, self.usize()?))
    }

    fn line_col(&mut self) -> Option<LineCol> {
        Some(LineCol {
            line: self.usize()?,
            column: self.usize()?,
        })
    }

    /// A location; its excerpt a part of the shared copy of the texts when `shared`.
    fn location(&mut self, shared: bool) -> Option<Location> {
        Some(Location {
            start: self.line_col()?,
            end: self.line_col()?,
            excerpt: if shared {
                self.shared_text()?
            } else {
                self.text()?.into()
            },
        })
    }

    /// A registered rule's name.
    fn rule(&mut self) -> Option<&'static str> {
        RULE_NAMES.get(usize::from(self.byte()?)).copied()
    }

    fn diagnostic(&mut self, d: &mut Diagnostic) -> Option<()> {
        let rule = self.rule()?;
        let severity = match self.byte()? {
            0 => Severity::Info,
            1 => Severity::Warning,
            2 => Severity::Error,
            _ => return None,
        };
        d.message = self.shared_text()?;
        d.span = self.span()?;
        d.rule = rule;
        d.severity = severity;
        d.label = self.optional()?;
        let n = self.count()?;
        d.labels = Vec::with_capacity(n);
        for _ in 0..n {
            d.labels.push(Label {
                span: self.span()?,
                message: self.text()?,
            });
        }
        d.help = self.optional()?;
        d.pointer = self.optional()?;
        d.fix = match self.byte()? {
            0 => None,
            tag @ (1 | 2) => {
                let title = self.text()?;
                let n = self.count()?;
                let mut edits = Vec::with_capacity(n);
                for _ in 0..n {
                    let span = self.span()?;
                    edits.push(Edit::replace(span, self.text()?));
                }
                let fix = Fix::safe(title, edits);
                Some(if tag == 1 {
                    fix
                } else {
                    Fix {
                        applicability: Applicability::Unsafe,
                        ..fix
                    }
                })
            }
            _ => return None,
        };
        d.location = self.location(true)?;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::document::Document;
    use proptest::prelude::*;

    fn location(line: usize, excerpt: &str) -> Location {
        Location {
            start: LineCol { line, column: 3 },
            end: LineCol {
                line: line + 1,
                column: 1,
            },
            excerpt: excerpt.to_owned().into(),
        }
    }

    /// A finding with every field set, its texts made from `text`.
    fn full(rule: &'static str, text: &str, n: usize) -> Diagnostic {
        let mut d = Diagnostic::new(Span::new(n, n + 300), format!("Message {text}"));
        d.rule = rule;
        d.severity = [Severity::Info, Severity::Warning, Severity::Error][n % 3];
        d.label = Some(format!("label {text}").into());
        d.labels = vec![Label {
            span: Span::new(1, 2),
            message: text.into(),
        }];
        d.help = n.is_multiple_of(2).then(|| format!("help {text}").into());
        d.pointer = Some("/genre/0".into());
        d.fix = Some(Fix {
            applicability: if n.is_multiple_of(2) {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            ..Fix::safe(
                "Replace",
                vec![
                    Edit::replace(Span::new(4, 9), text),
                    Edit::delete(Span::empty(0)),
                ],
            )
        });
        d.location = location(n + 1, text);
        d
    }

    fn sample(text: &str) -> (Vec<Diagnostic>, Suppressions, Facts) {
        let rules: Vec<&'static str> = RULES.iter().map(|r| r.meta().name).collect();
        let diagnostics = vec![
            full(rules[0], text, 0),
            full(rules[rules.len() - 1], text, usize::MAX - 400),
            Diagnostic::new(Span::empty(0), ""),
        ]
        .into_iter()
        .map(|mut d| {
            if d.rule.is_empty() {
                d.rule = rules[1];
            }
            d
        })
        .collect();
        let mut facts = Facts::default();
        facts.insert(
            "duplicate-title",
            Fact {
                value: text.into(),
                span: Span::new(7, 9),
                location: location(2, text),
                hash: u32::MAX,
            },
        );
        let doc = Document::parse(
            b"---\ntitle: A\n---\n<!-- guidelint-disable-next-line tag-unknown -->\n# A\n".to_vec(),
        );
        (diagnostics, Suppressions::parse(&doc), facts)
    }

    fn encoded(sample: &(Vec<Diagnostic>, Suppressions, Facts)) -> Vec<u8> {
        encode(&CachedRef {
            diagnostics: &sample.0,
            suppressions: &sample.1,
            facts: &sample.2,
        })
    }

    fn reencoded(c: &Cached) -> Vec<u8> {
        encode(&CachedRef {
            diagnostics: &c.diagnostics,
            suppressions: &c.suppressions,
            facts: &c.facts,
        })
    }

    /// An encoded result's texts, and what follows them.
    fn split(bytes: &[u8]) -> (String, Vec<u8>) {
        let mut r = Reader {
            bytes,
            pos: 1,
            texts: "",
            at: 0,
            shared: None,
        };
        let len = r.count().unwrap();
        let texts = std::str::from_utf8(&bytes[r.pos..r.pos + len]).unwrap();
        (texts.to_owned(), bytes[r.pos + len..].to_vec())
    }

    /// An encoded result of these texts and this structure.
    fn join(texts: &str, rest: &[u8]) -> Vec<u8> {
        let mut w = Writer {
            out: vec![VERSION],
            texts: String::new(),
        };
        w.count(texts.len());
        w.out.extend_from_slice(texts.as_bytes());
        w.out.extend_from_slice(rest);
        w.out
    }

    #[test]
    fn every_field_reads_back_as_written() {
        let sample = sample("tëxt “quoted” \u{0}\u{7f}");
        assert!(!sample.1.is_empty(), "the sample has a suppression");
        let bytes = encoded(&sample);
        let back = decode(&bytes).expect("reads back");
        assert_eq!(back.diagnostics, sample.0);
        assert_eq!(
            back.facts.iter().collect::<Vec<_>>(),
            sample.2.iter().collect::<Vec<_>>()
        );
        assert_eq!(
            serde_json::to_string(&back.suppressions).unwrap(),
            serde_json::to_string(&sample.1).unwrap()
        );
        assert_eq!(reencoded(&back), bytes);
    }

    #[test]
    fn an_empty_result_is_no_text_two_counts_and_a_flag() {
        let bytes = encode(&CachedRef {
            diagnostics: &[],
            suppressions: &Suppressions::default(),
            facts: &Facts::default(),
        });
        assert_eq!(bytes, [VERSION, 0, 0, 0, 0]);
        let back = decode(&bytes).unwrap();
        assert!(back.diagnostics.is_empty() && back.facts.is_empty());
        assert!(back.suppressions.is_empty());
    }

    #[test]
    fn unknown_rules_versions_tags_and_trailing_bytes_are_unreadable() {
        let sample = sample("x");
        let bytes = encoded(&sample);
        let mut other_version = bytes.clone();
        other_version[0] = VERSION + 1;
        assert!(decode(&other_version).is_none());
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode(&trailing).is_none());
        // After the texts: the number of findings, then the first one's rule.
        let (texts, rest) = split(&bytes);
        assert_eq!(rest[1], 0, "the first rule registered");
        for place in [RULES.len(), usize::from(UNKNOWN_RULE)] {
            let mut unknown = rest.clone();
            unknown[1] = u8::try_from(place).unwrap();
            assert!(decode(&join(&texts, &unknown)).is_none(), "{place}");
        }
        // A rule that is not registered is written as one no rule has.
        let mut stray = sample.0.clone();
        stray[0].rule = "not-a-rule";
        let stray = encoded(&(stray, sample.1.clone(), sample.2.clone()));
        assert!(decode(&stray).is_none());
        // A text left over, after all that was read.
        assert_eq!(
            decode(&join(&texts, &rest)).map(|c| reencoded(&c)),
            Some(bytes)
        );
        assert!(decode(&join(&format!("{texts}x"), &rest)).is_none());
        // A text running past the texts, or cutting a character in two.
        for (texts, length) in [("ab", 3), ("é", 1)] {
            let mut r = Reader {
                bytes: &[length],
                pos: 0,
                texts,
                at: 0,
                shared: None,
            };
            assert_eq!(r.str(), None, "{texts:?} {length}");
        }
        // A count as large as a number can be.
        let mut huge = vec![VERSION];
        huge.extend_from_slice(&[0xff; 9]);
        huge.push(0x01);
        assert!(decode(&huge).is_none());
        // An eleventh byte of a number is refused, not shifted away.
        let mut long = vec![VERSION];
        long.extend_from_slice(&[0x80; 10]);
        long.push(0);
        assert!(decode(&long).is_none());
    }

    proptest! {
        #[test]
        fn any_text_round_trips(text in "\\PC{0,40}") {
            let sample = sample(&text);
            let bytes = encoded(&sample);
            let back = decode(&bytes).expect("reads back");
            prop_assert_eq!(back.diagnostics, sample.0);
            prop_assert_eq!(
                back.facts.iter().collect::<Vec<_>>(),
                sample.2.iter().collect::<Vec<_>>()
            );
        }

        #[test]
        fn cut_or_changed_bytes_never_panic(cut in 0usize..2000, at in 0usize..2000, to: u8) {
            let bytes = encoded(&sample("text"));
            // Every proper prefix is refused (the last byte is always needed).
            prop_assert!(decode(&bytes[..cut % bytes.len()]).is_none());
            let mut changed = bytes.clone();
            let at = at % changed.len();
            changed[at] = to;
            // Whatever it reads, it reads without panicking, and what it reads encodes to
            // bytes of its own.
            if let Some(c) = decode(&changed) {
                let _ = reencoded(&c);
            }
        }
    }
}
