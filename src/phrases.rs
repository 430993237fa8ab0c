//! Finding many known phrases in a message in one pass.
//!
//! [`Phrases`] holds a set of normalised phrases, each with a label, in one
//! Aho–Corasick automaton, and reports the label of every phrase that occurs
//! in a normalised text. Chinese phrases match anywhere; an English phrase
//! matches whole words only, plus an ending (`s`, `es`, `ed`, `ing`, `d`), so
//! "code" finds "codes" but not "barcode", and "he" does not find "help". A
//! phrase that starts with a determiner ("the link", "a service") names a
//! thing, so only a plural ending follows it: "the link" is not in "the
//! linked accounts".

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// Endings an English phrase may take and still match.
const ENDINGS: [&str; 5] = ["ing", "es", "ed", "s", "d"];

/// Endings a noun phrase ("the link", "a service") may take: the plural.
const NOUN_ENDINGS: [&str; 2] = ["es", "s"];

/// First words that make a phrase of several words a noun phrase.
const DETERMINERS: [&str; 14] = [
    "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
    "their",
];

/// The endings an English phrase whose last word ends in a silent "e"
/// takes without it ("delete" → "deleting", "deletion"; "close" → "closing").
const E_ENDINGS: [&str; 3] = ["ing", "ions", "ion"];

/// A set of labelled phrases.
#[derive(Debug, Clone)]
pub struct Phrases<L> {
    automaton: Option<AhoCorasick>,
    /// Per pattern of the automaton: its label, whether its first character
    /// is a word character (ASCII letter or digit) that needs a word
    /// boundary before it, and what must follow it.
    patterns: Vec<(L, bool, End)>,
}

/// What must follow a pattern for its phrase to occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Anything (the phrase ends in a character that is no word character).
    Anything,
    /// The end of the word, or one of [`ENDINGS`] and then the end.
    Word,
    /// The end of the word, or one of [`NOUN_ENDINGS`] and then the end.
    Noun,
    /// The pattern is the phrase without its final silent "e": one of
    /// [`E_ENDINGS`] and then the end of the word.
    DroppedE,
}

impl<L: Copy> Phrases<L> {
    /// Builds the set from normalised phrases and their labels. Empty
    /// phrases are skipped.
    pub fn new(phrases: impl IntoIterator<Item = (String, L)>) -> Phrases<L> {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for (phrase, label) in phrases {
            let (Some(first), Some(last)) = (phrase.chars().next(), phrase.chars().last()) else {
                continue;
            };
            let noun = is_noun_phrase(&phrase);
            if !noun && let Some(stem) = without_silent_e(&phrase) {
                patterns.push((label, is_word(first), End::DroppedE));
                texts.push(stem.to_string());
            }
            let end = match (is_word(last), noun) {
                (false, _) => End::Anything,
                (true, false) => End::Word,
                (true, true) => End::Noun,
            };
            patterns.push((label, is_word(first), end));
            texts.push(phrase);
        }
        // Building fails only past the automaton's size limits, which a
        // knowledge base's phrase lists are far from; an empty set finds
        // nothing either way.
        let automaton = if texts.is_empty() {
            None
        } else {
            // A contiguous NFA: a DFA scans a message's readings no faster
            // (measured over a 10,000-line batch), but takes a quarter of
            // the load time to build (about 10 ms over three automata).
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&texts)
                .ok()
        };
        Phrases {
            automaton,
            patterns,
        }
    }

    /// Calls `found` with the label of every phrase occurring in `text`
    /// (normalised), once per occurrence.
    pub fn each(&self, text: &str, mut found: impl FnMut(L)) {
        self.each_at(text, |_, label| found(label));
    }

    /// Calls `found` with where in `text` (normalised) each phrase occurs,
    /// and its label.
    pub fn each_at(&self, text: &str, mut found: impl FnMut(Range<usize>, L)) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = text.as_bytes();
        for hit in automaton.find_overlapping_iter(text) {
            let (label, word_start, end) = self.patterns[hit.pattern().as_usize()];
            if word_start && hit.start() > 0 && is_word_byte(bytes[hit.start() - 1]) {
                continue;
            }
            let rest = &text[hit.end()..];
            let ended = match end {
                End::Anything => true,
                End::Word => at_word_end(rest) || ends_with_one_of(rest, &ENDINGS),
                End::Noun => at_word_end(rest) || ends_with_one_of(rest, &NOUN_ENDINGS),
                End::DroppedE => ends_with_one_of(rest, &E_ENDINGS),
            };
            if !ended {
                continue;
            }
            found(hit.range(), label);
        }
    }

    /// `text` (normalised) with every phrase found in it blanked out (each
    /// of its characters a space), or as it is when none occurs.
    pub fn blank<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut spans = Vec::new();
        self.each_at(text, |range, _| spans.push(range));
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let blanked = text
            .char_indices()
            .map(|(at, c)| {
                if spans.iter().any(|span| span.contains(&at)) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        Cow::Owned(blanked)
    }

    /// Whether any phrase occurs in `text` (normalised).
    pub fn any(&self, text: &str) -> bool {
        let mut hit = false;
        self.each(text, |_| hit = true);
        hit
    }
}

/// Whether `rest`, the text after an English word, is the word's end:
/// nothing, or a character that is no word character.
fn at_word_end(rest: &str) -> bool {
    rest.bytes().next().is_none_or(|b| !is_word_byte(b))
}

/// Whether `rest`, the text after an English phrase, is one of `endings`
/// and then the word's end.
fn ends_with_one_of(rest: &str, endings: &[&str]) -> bool {
    endings
        .iter()
        .any(|e| rest.strip_prefix(e).is_some_and(at_word_end))
}

/// Whether an English phrase of several words starts with a determiner,
/// so that it names a thing ("the link", "a service").
fn is_noun_phrase(phrase: &str) -> bool {
    phrase
        .split_once(' ')
        .is_some_and(|(first, rest)| !rest.is_empty() && DETERMINERS.contains(&first))
}

/// An English phrase whose last word ends in a silent "e" after a
/// consonant, and is long enough for that to be so ("delete", "close",
/// "remove"; not "he", "see" or "one"), without that "e".
fn without_silent_e(phrase: &str) -> Option<&str> {
    let last_word = phrase.rsplit(' ').next()?;
    let stem = phrase.strip_suffix('e')?;
    let before = stem.bytes().last()?;
    let letters = last_word.bytes().all(|b| b.is_ascii_lowercase());
    let consonant = before.is_ascii_lowercase() && !b"aeiou".contains(&before);
    (letters && consonant && last_word.len() >= 5).then_some(stem)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(phrases: &Phrases<u8>, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        phrases.each(text, |l| out.push(l));
        out.sort_unstable();
        out
    }

    #[test]
    fn blanking_spaces_out_each_phrase_found() {
        let p = Phrases::new([("不注销".to_string(), ()), ("not deleting".to_string(), ())]);
        assert_eq!(p.blank("我不注销，只想改名"), "我   ，只想改名");
        assert_eq!(p.blank("not deleting anything"), "             anything");
        assert_eq!(p.blank("deleting"), "deleting");
        assert!(matches!(p.blank("注销"), Cow::Borrowed(_)));
    }

    #[test]
    fn english_phrases_match_whole_words_and_their_endings() {
        let p = Phrases::new([("code".to_string(), 1), ("he".to_string(), 2)]);
        assert_eq!(labels(&p, "send the codes"), [1]);
        assert_eq!(labels(&p, "a barcode"), Vec::<u8>::new());
        assert_eq!(labels(&p, "he wants my code"), [1, 2]);
        assert_eq!(labels(&p, "help them"), Vec::<u8>::new());
        assert_eq!(labels(&p, "验证code"), [1]);
    }

    #[test]
    fn a_phrase_naming_a_thing_takes_only_a_plural_ending() {
        let p = Phrases::new([("the link".to_string(), 1), ("a service".to_string(), 2)]);
        assert_eq!(labels(&p, "open the link"), [1]);
        assert_eq!(labels(&p, "unbind the linked accounts"), Vec::<u8>::new());
        assert_eq!(labels(&p, "the links he sent"), [1]);
        assert_eq!(labels(&p, "a services company"), [2]);
        assert_eq!(labels(&p, "a servicing fee"), Vec::<u8>::new());
    }

    #[test]
    fn a_silent_e_drops_before_ing_and_ion() {
        let p = Phrases::new([
            ("delete".to_string(), 1),
            ("close my".to_string(), 2),
            ("terminate".to_string(), 3),
            ("close".to_string(), 4),
            ("one".to_string(), 5),
        ]);
        assert_eq!(labels(&p, "deleting it"), [1]);
        assert_eq!(labels(&p, "after deletion"), [1]);
        assert_eq!(labels(&p, "deletes and deleted"), [1, 1]);
        assert_eq!(labels(&p, "termination of"), [3]);
        assert_eq!(labels(&p, "closing"), [4]);
        // Only the phrase's last word ("close my" is no "closing my"), only
        // before those endings.
        assert_eq!(labels(&p, "closing my"), [4]);
        assert_eq!(labels(&p, "deletx"), Vec::<u8>::new());
        assert_eq!(labels(&p, "closet"), Vec::<u8>::new());
        assert_eq!(labels(&p, "oning"), Vec::<u8>::new());
    }

    #[test]
    fn chinese_phrases_match_anywhere_and_overlap() {
        let p = Phrases::new([
            ("验证码".to_string(), 1),
            ("验证".to_string(), 2),
            ("个app".to_string(), 3),
        ]);
        assert_eq!(labels(&p, "把验证码发给他"), [1, 2]);
        assert_eq!(labels(&p, "下了个app"), [3]);
        assert_eq!(labels(&p, "下了个apple"), Vec::<u8>::new());
    }

    #[test]
    fn an_empty_set_finds_nothing() {
        let p: Phrases<u8> = Phrases::new([(String::new(), 1)]);
        assert!(!p.any("anything"));
    }
}
