//! From a message to weighted features, the same way for the knowledge base's
//! question variants and for users' messages.
//!
//! A clause is normalised ([`crate::normalize`]), split into Chinese runs and
//! other words, typed pinyin is read as the knowledge base's Chinese and
//! homophone typos fixed ([`crate::phonetic`]), English typos are corrected
//! towards the knowledge base's vocabulary with `strsim`, synonyms are folded
//! to concepts (longest term first), and what remains becomes Chinese
//! character unigrams and bigrams and English stems and stem pairs.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, MatchKind};

// The analyser's tables are built from the knowledge base only, so a fast
// non-keyed hash is safe for them; a message's own features keep the std
// (keyed) hash.
use rustc_hash::{FxHashMap, FxHashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::knowledge::Knowledge;
use crate::normalize::{is_han, normalize};
use crate::phonetic::{Phonetic, split_syllables};

/// What a feature is, and how much it counts relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeatureKind {
    /// A synonym concept (`delete`, `undo`, …).
    Concept,
    /// Two adjacent Chinese characters.
    Bigram,
    /// One Chinese character that is not a stop word.
    Unigram,
    /// An English word stem.
    Stem,
    /// Two adjacent English content stems.
    StemPair,
}

impl FeatureKind {
    /// The weight of this kind of feature, before its rarity (idf) is applied.
    pub fn factor(self) -> f32 {
        match self {
            FeatureKind::Concept => 1.4,
            FeatureKind::Bigram => 0.8,
            FeatureKind::Unigram => 0.35,
            FeatureKind::Stem => 0.8,
            FeatureKind::StemPair => 0.4,
        }
    }

    fn prefix(self) -> char {
        match self {
            FeatureKind::Concept => '#',
            FeatureKind::Bigram => 'b',
            FeatureKind::Unigram => 'u',
            FeatureKind::Stem => 'w',
            FeatureKind::StemPair => 'p',
        }
    }
}

/// One feature: its kind and its key (`#delete`, `b注销`, `wdelet`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Feature {
    pub kind: FeatureKind,
    pub key: Key,
}

/// A feature's key. Nearly every key (a character, a pair of them, a stem)
/// is short and kept inline, so reading a message does not allocate a string
/// per feature. Compares, orders and hashes as the `str` it holds.
#[derive(Clone)]
pub struct Key(KeyRepr);

#[derive(Clone)]
enum KeyRepr {
    Inline { len: u8, bytes: [u8; Key::INLINE] },
    Heap(Box<str>),
}

impl Key {
    /// The longest key kept inline, in bytes.
    const INLINE: usize = 22;

    /// The key's UTF-8 bytes.
    fn bytes(&self) -> &[u8] {
        match &self.0 {
            KeyRepr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            KeyRepr::Heap(text) => text.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever filled from a `str` (below), so always UTF-8.
            KeyRepr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            KeyRepr::Heap(text) => text,
        }
    }

    /// The parts, one after another, kept inline; `None` when too long.
    fn inline(parts: &[&[u8]]) -> Option<Key> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len > Key::INLINE {
            return None;
        }
        let mut bytes = [0; Key::INLINE];
        let mut at = 0;
        for part in parts {
            bytes[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        Some(Key(KeyRepr::Inline {
            len: len as u8,
            bytes,
        }))
    }

    /// A key of two words with a space between them.
    fn pair(first: &str, second: &str) -> Key {
        Key::inline(&[first.as_bytes(), b" ", second.as_bytes()])
            .unwrap_or_else(|| Key(KeyRepr::Heap(format!("{first} {second}").into())))
    }

    /// A key of the characters given.
    fn from_chars(chars: &[char]) -> Key {
        let mut buf = [0; Key::INLINE];
        let mut at = 0;
        for c in chars {
            if at + c.len_utf8() > Key::INLINE {
                return Key(KeyRepr::Heap(chars.iter().collect::<String>().into()));
            }
            at += c.encode_utf8(&mut buf[at..]).len();
        }
        Key(KeyRepr::Inline {
            len: at as u8,
            bytes: buf,
        })
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::inline(&[text.as_bytes()]).unwrap_or_else(|| Key(KeyRepr::Heap(text.into())))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        // Strings order by their bytes.
        self.bytes().cmp(other.bytes())
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As a `String` hashes (its bytes, then 0xff), so an index keyed by
        // the hash of a feature does not depend on how its key is kept (a
        // test checks).
        state.write(self.bytes());
        state.write_u8(0xff);
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// The features of one clause, and what the analysis noticed about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Distinct features, sorted.
    pub features: Vec<Feature>,
    /// Words read as typed pinyin.
    pub pinyin_words: usize,
    /// Other words that are not Chinese (numbers not counted).
    pub other_words: usize,
    /// Function words of each language in the reading (the knowledge's stop
    /// words: "的", "吗", "how", "can"): whose grammar a clause that mixes
    /// the two is written in. Counted only in such a clause (zero in others).
    pub grammar: Grammar,
    /// Whether the clause reads as a question (question words or particles).
    pub question: bool,
    /// Which sentence of the message the clause is in (0 for the first; set
    /// by [`crate::message::Message`]).
    pub sentence: u32,
    /// The clause as read: normalised, typed pinyin turned into Chinese,
    /// homophone typos and English typos fixed (what the scam check and the
    /// scope gate look for phrases in).
    pub reading: String,
    /// Whether `reading` is the normalised clause as it was given (nothing
    /// read as pinyin or corrected): it then holds no phrase that the
    /// message's whole normalised text does not.
    pub as_given: bool,
}

/// How many function words of each language a clause holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grammar {
    pub zh: usize,
    pub en: usize,
}

/// Chinese question words and particles.
const ZH_QUESTION: [&str; 14] = [
    "吗",
    "呢",
    "怎么",
    "怎样",
    "如何",
    "什么",
    "哪",
    "能不能",
    "可不可以",
    "多久",
    "为什么",
    "为啥",
    "是否",
    "咋",
];
/// English words that open a question.
const EN_QUESTION: [&str; 27] = [
    "how", "what", "why", "where", "when", "which", "who", "can", "could", "will", "would", "is",
    "are", "do", "does", "did", "should", "any", "whats", "hows", "wheres", "whys", "has", "have",
    "am", "was", "were",
];

/// A piece of a clause on its way to features: a run of Chinese, or a word
/// of the normalised clause (after [`Analyzer::read_pinyin`], the word as
/// corrected).
#[derive(Debug, Clone, PartialEq)]
enum Piece<'x> {
    Han(String),
    Word(&'x str),
}

/// What the analysis makes of one word, once.
struct Spelling<'x> {
    /// A stop word, a word the knowledge base uses, or an inflection of one.
    known: bool,
    /// The knowledge base's word it is a typo of, or the word itself.
    corrected: &'x str,
    /// Its pinyin syllables, if it is not known English (or is pinyin the
    /// knowledge base uses as an English word) and splits into them.
    syllables: Option<Vec<&'x str>>,
    /// Whether it is known English that is also pinyin of a Chinese word
    /// ("weixin"): pinyin only beside other pinyin.
    romanized: bool,
}

/// A piece with what the analysis makes of its word.
enum Spelled<'x> {
    Han(String),
    Word(&'x str, Spelling<'x>),
}

/// A word of the knowledge base, for typo correction.
#[derive(Debug)]
struct Known {
    word: String,
    /// How often the knowledge base uses it.
    count: u32,
    /// How many times each letter occurs in it.
    letters: Letters,
}

/// Letter counts of an ASCII word (case folded).
type Letters = [u8; 26];

fn letters(word: &str) -> Letters {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_alphabetic) {
        let slot = &mut counts[usize::from(b.to_ascii_lowercase() - b'a')];
        *slot = slot.saturating_add(1);
    }
    counts
}

/// Half the letters two words do not share is at most the number of edits
/// between them (an insertion or deletion changes one count, a substitution
/// two, a transposition none): a cheap bound before the edit distance.
fn letters_apart(a: &Letters, b: &Letters) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u32::from(x.abs_diff(*y)))
        .sum()
}

/// What the analysis needs to know of the knowledge base: synonyms, stop
/// words, the English vocabulary and the Chinese words by sound.
pub struct Analyzer {
    /// The Chinese synonym terms (spaces removed), longest first where
    /// several start at one place; `None` if there are none.
    zh_terms: Option<AhoCorasick>,
    /// Per Chinese term of `zh_terms`, its concept.
    zh_concepts: Vec<usize>,
    /// Synonym terms as stem sequences joined by spaces.
    en_terms: FxHashMap<String, usize>,
    /// Per first stem of an English term, how many stems the longest term
    /// starting with it has.
    en_starts: FxHashMap<String, usize>,
    concepts: Vec<String>,
    zh_stop: FxHashSet<char>,
    en_stop: FxHashSet<String>,
    /// Every English word of the knowledge base, with how often it occurs.
    vocabulary: FxHashMap<String, u32>,
    /// The same words grouped by first letter, for typo correction (a typo in
    /// the first letter is rare, and this keeps correction fast), each group
    /// shortest first.
    by_initial: FxHashMap<u8, Vec<Known>>,
    /// The stems of those words.
    stems: FxHashSet<String>,
    /// The stem of each of those words and of each stop word.
    stem_of: FxHashMap<String, String>,
    /// Those words that are also pinyin of the knowledge base's Chinese
    /// ("weixin", "shipinhao"): beside typed pinyin they read as Chinese.
    romanized: FxHashSet<String>,
    phonetic: Phonetic,
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("concepts", &self.concepts.len())
            .field("vocabulary", &self.vocabulary.len())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// Builds the analyzer from the knowledge base's synonyms, stop words and texts.
    pub fn new(knowledge: &Knowledge) -> Analyzer {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut zh_terms = FxHashMap::default();
        let mut en_terms = FxHashMap::default();
        let mut concepts = Vec::new();
        for (index, group) in knowledge.synonyms.iter().enumerate() {
            concepts.push(group.concept.clone());
            for term in &group.terms.zh {
                zh_terms.insert(term.replace(' ', ""), index);
            }
            for term in &group.terms.en {
                let stems: Vec<String> = term
                    .split(' ')
                    .map(|w| stemmer.stem(w).into_owned())
                    .collect();
                en_terms.insert(stems.join(" "), index);
            }
        }
        // Leftmost-longest: at the first place a term starts, the longest
        // term starting there, then on after it.
        let (zh_patterns, zh_concepts): (Vec<String>, Vec<usize>) = zh_terms
            .into_iter()
            .filter(|(term, _)| !term.is_empty())
            .unzip();
        let zh_terms = (!zh_patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&zh_patterns)
                    .ok()
            })
            .flatten();
        let mut en_starts: FxHashMap<String, usize> = FxHashMap::default();
        for term in en_terms.keys() {
            let first = term.split(' ').next().unwrap_or_default();
            let len = en_starts.entry(first.to_string()).or_default();
            *len = (*len).max(term.split(' ').count());
        }

        let zh_stop = knowledge
            .stopwords
            .zh
            .iter()
            .filter_map(|w| {
                let mut chars = w.chars();
                chars.next().filter(|_| chars.next().is_none())
            })
            .collect();
        let en_stop = knowledge.stopwords.en.iter().cloned().collect();

        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut chinese = Vec::new();
        let english = knowledge
            .entries
            .iter()
            .flat_map(|e| e.questions.en.iter().chain([&e.title.en, &e.answer.en]));
        let english = english
            .chain(
                knowledge
                    .out_of_scope
                    .iter()
                    .flat_map(|o| o.questions.en.iter()),
            )
            .chain(knowledge.synonyms.iter().flat_map(|s| s.terms.en.iter()))
            .map(String::as_str)
            // The scam check's and the scope gate's English phrases, so that
            // a typo of one ("staf", "agant") reads as it too.
            .chain(cue_phrases(knowledge).filter(|p| p.is_ascii()))
            .chain(cooling_words(knowledge));
        for text in english {
            for word in normalize(text).split(' ') {
                if word.bytes().all(|b| b.is_ascii_alphabetic()) && !word.is_empty() {
                    *vocabulary.entry(word.to_string()).or_default() += 1;
                }
            }
        }
        for entry in &knowledge.entries {
            chinese.extend(entry.questions.zh.iter().map(|q| normalize(q)));
            chinese.push(normalize(&entry.title.zh));
        }
        for scope in &knowledge.out_of_scope {
            chinese.extend(scope.questions.zh.iter().map(|q| normalize(q)));
        }
        let terms: Vec<&str> = knowledge
            .synonyms
            .iter()
            .flat_map(|s| s.terms.zh.iter().map(String::as_str))
            .collect();
        chinese.extend(terms.iter().map(|t| t.to_string()));
        // The scam check's and the scope gate's Chinese phrases, so that
        // typed pinyin ("neibu qudao") reads as them too; known, but not
        // counted towards which word a reading prefers.
        let cues = cue_phrases(knowledge).filter(|p| p.chars().any(crate::normalize::is_han));
        let phonetic = Phonetic::new(chinese.iter().map(String::as_str), cues, terms);
        let stem_of: FxHashMap<String, String> = vocabulary
            .keys()
            .chain(&knowledge.stopwords.en)
            .map(|w| (w.clone(), stemmer.stem(w).into_owned()))
            .collect();
        let stems = vocabulary.keys().map(|w| stem_of[w].clone()).collect();
        let mut by_initial: FxHashMap<u8, Vec<Known>> = FxHashMap::default();
        for (word, &count) in &vocabulary {
            by_initial
                .entry(word.as_bytes()[0])
                .or_default()
                .push(Known {
                    word: word.clone(),
                    count,
                    letters: letters(word),
                });
        }
        for group in by_initial.values_mut() {
            group.sort_by_key(|known| known.word.len());
        }
        let romanized = vocabulary
            .keys()
            .filter(|word| {
                split_syllables(word).is_some_and(|s| s.len() >= 2 && phonetic.read_pinyin(&s).1)
            })
            .cloned()
            .collect();

        Analyzer {
            zh_terms,
            zh_concepts,
            en_terms,
            en_starts,
            concepts,
            zh_stop,
            en_stop,
            vocabulary,
            by_initial,
            stems,
            stem_of,
            romanized,
            phonetic,
            stemmer,
        }
    }

    /// The features of one clause.
    pub fn analyze(&self, clause: &str) -> Analysis {
        self.analyze_normalized(&normalize(clause))
    }

    /// The function words of each language in a reading.
    fn grammar(&self, reading: &str) -> Grammar {
        let zh = reading.chars().filter(|c| self.zh_stop.contains(c)).count();
        let en = reading
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty() && self.en_stop.contains(*word))
            .count();
        Grammar { zh, en }
    }

    /// The features of one clause already normalised ([`normalize`]).
    pub fn analyze_normalized(&self, normalized: &str) -> Analysis {
        let mut analysis = Analysis {
            question: ZH_QUESTION.iter().any(|w| normalized.contains(w))
                || normalized
                    .split(' ')
                    .next()
                    .is_some_and(|w| EN_QUESTION.contains(&w)),
            ..Analysis::default()
        };
        let pieces = self.read_pinyin(split_scripts(normalized), &mut analysis);
        let mut features = FxHashSet::default();
        // The words since the last Chinese run, as corrected.
        let mut words: Vec<&str> = Vec::new();
        let mut reading = String::with_capacity(normalized.len());
        let mixed = pieces.iter().any(|p| matches!(p, Piece::Han(_)))
            && pieces
                .iter()
                .any(|p| matches!(p, Piece::Word(w) if has_letter(w)));
        for (i, piece) in pieces.into_iter().enumerate() {
            if i > 0 {
                reading.push(' ');
            }
            match piece {
                Piece::Han(run) => {
                    self.english_features(&words, &mut features);
                    words.clear();
                    let run = self.phonetic.correct(&run);
                    self.chinese_features(&run, &mut features);
                    reading.push_str(&run);
                }
                Piece::Word(corrected) => {
                    reading.push_str(corrected);
                    words.push(corrected);
                }
            }
        }
        analysis.as_given = reading == normalized;
        // Only a clause that mixes the two languages needs its grammar
        // weighed ([`Grammar`]).
        if mixed {
            analysis.grammar = self.grammar(&reading);
        }
        analysis.reading = reading;
        self.english_features(&words, &mut features);
        let mut features: Vec<Feature> = features.into_iter().collect();
        features.sort();
        analysis.features = features;
        analysis
    }

    /// Replaces runs of typed pinyin with Chinese, and merges adjacent
    /// Chinese pieces. A run of words counts as pinyin when none of them is
    /// an English word the knowledge base uses or a stop word, each splits
    /// into syllables, and together they make at least two syllables. A word
    /// that is only a typo away from an English word ("suan", "scan") is
    /// pinyin when a word next to it is pinyin too.
    ///
    /// The words of the pieces returned are as corrected ([`Analyzer::correct_word`]).
    fn read_pinyin<'x>(
        &'x self,
        pieces: Vec<Piece<'x>>,
        analysis: &mut Analysis,
    ) -> Vec<Piece<'x>> {
        // Each word is looked up, corrected and split into syllables once.
        let mut pieces: Vec<Spelled<'x>> = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Word(w) => {
                    let known = self.is_known_english(w);
                    let romanized = known && self.romanized.contains(w);
                    Spelled::Word(
                        w,
                        Spelling {
                            known,
                            corrected: self.correct_word(w),
                            syllables: if known && !romanized {
                                None
                            } else {
                                split_syllables(w)
                            },
                            romanized,
                        },
                    )
                }
                Piece::Han(han) => Spelled::Han(han),
            })
            .collect();
        // A message typed mostly in pinyin ("you ren shuo keyi bang wo
        // zhuxiao") reads its English-looking syllables ("you", "bang") as
        // pinyin too: at least three words that can only be pinyin, and
        // twice as many as the English words that cannot be.
        let only_pinyin = pieces
            .iter()
            .filter(
                |p| matches!(p, Spelled::Word(w, s) if s.syllables.is_some() && s.corrected == *w && !s.romanized),
            )
            .count();
        // (English words are split into syllables only in such a message.)
        let only_english = || {
            pieces
                .iter()
                .filter(
                    |p| matches!(p, Spelled::Word(w, s) if s.known && split_syllables(w).is_none()),
                )
                .count()
        };
        if only_pinyin >= 3 && only_pinyin >= 2 * only_english() {
            for piece in &mut pieces {
                if let Spelled::Word(w, s) = piece
                    && s.known
                    && s.syllables.is_none()
                {
                    s.syllables = split_syllables(w);
                    if s.syllables.is_some() {
                        s.known = false;
                        s.corrected = w;
                    }
                }
            }
        }
        // Whether a word is English as far as the knowledge base can tell: a
        // stop word, a word it uses, an inflection of one, or a typo of one.
        // Such words are never read as pinyin ("deleting" splits into
        // de-le-ting but is not pinyin).
        let is_english = |s: &Spelling<'_>, word: &str| s.known || s.corrected != word;
        // Per piece: whether it may be pinyin, and whether it may only be
        // pinyin (not a typo of an English word).
        let maybe: Vec<(bool, bool)> = pieces
            .iter()
            .map(|p| match p {
                Spelled::Word(w, s) if s.syllables.is_some() => {
                    (true, s.corrected == *w && !s.romanized)
                }
                _ => (false, false),
            })
            .collect();
        let pinyin_at = |i: usize| {
            let (maybe_pinyin, surely) = maybe[i];
            let neighbour = |j: Option<usize>| j.and_then(|j| maybe.get(j)).is_some_and(|m| m.0);
            maybe_pinyin && (surely || neighbour(i.checked_sub(1)) || neighbour(Some(i + 1)))
        };
        let mut out: Vec<Piece<'x>> = Vec::new();
        // (word, as corrected, syllables)
        type Run<'r, 'x> = Vec<(&'x str, &'x str, &'r [&'x str])>;
        let flush = |run: &mut Run<'_, 'x>, out: &mut Vec<Piece<'x>>, a: &mut Analysis| {
            let syllables: usize = run.iter().map(|(_, _, s)| s.len()).sum();
            let all: Vec<&str> = run.iter().flat_map(|(_, _, s)| s.iter().copied()).collect();
            // A lone word reads as pinyin only if it holds a word of the
            // knowledge base ("zhuxiao" is 注销; "remake" is not 热吗可).
            let reading = (syllables >= 2)
                .then(|| self.phonetic.read_pinyin(&all))
                .filter(|(_, has_word)| run.len() > 1 || *has_word);
            if let Some((han, _)) = reading {
                a.pinyin_words += run.len();
                push_han(out, han);
            } else {
                a.other_words += run.iter().filter(|(w, _, _)| has_letter(w)).count();
                out.extend(run.iter().map(|(_, corrected, _)| Piece::Word(corrected)));
            }
            run.clear();
        };
        let mut run: Run<'_, 'x> = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Spelled::Word(word, s) if pinyin_at(i) || !is_english(s, word) => {
                    if let Some(syllables) = s.syllables.as_deref().filter(|_| pinyin_at(i)) {
                        run.push((word, s.corrected, syllables));
                        continue;
                    }
                    flush(&mut run, &mut out, analysis);
                    // A word with no vowel is pinyin typed as initials
                    // ("sph zx" for 视频号注销).
                    if !word.bytes().any(|b| b"aeiou".contains(&b))
                        && let Some(han) = self.phonetic.initials_to_han(word)
                    {
                        analysis.pinyin_words += 1;
                        push_han(&mut out, han.to_string());
                        continue;
                    }
                    analysis.other_words += usize::from(has_letter(word));
                    out.push(Piece::Word(s.corrected));
                }
                Spelled::Word(word, s) => {
                    flush(&mut run, &mut out, analysis);
                    analysis.other_words += usize::from(has_letter(word));
                    out.push(Piece::Word(s.corrected));
                }
                Spelled::Han(han) => {
                    flush(&mut run, &mut out, analysis);
                    push_han(&mut out, han.clone());
                }
            }
        }
        flush(&mut run, &mut out, analysis);
        out
    }

    /// Synonym terms become concepts (at each place, the longest term
    /// starting there); the characters between them, n-grams.
    fn chinese_features(&self, run: &str, features: &mut FxHashSet<Feature>) {
        let mut rest: Vec<char> = Vec::new();
        let mut after = 0;
        for term in self.zh_terms.iter().flat_map(|terms| terms.find_iter(run)) {
            rest.extend(run[after..term.start()].chars());
            self.ngram_features(&rest, features);
            rest.clear();
            features.insert(self.concept(self.zh_concepts[term.pattern().as_usize()]));
            after = term.end();
        }
        rest.extend(run[after..].chars());
        self.ngram_features(&rest, features);
    }

    fn ngram_features(&self, chars: &[char], features: &mut FxHashSet<Feature>) {
        for &c in chars {
            if !self.zh_stop.contains(&c) {
                features.insert(Feature {
                    kind: FeatureKind::Unigram,
                    key: Key::from_chars(&[c]),
                });
            }
        }
        for pair in chars.windows(2) {
            features.insert(Feature {
                kind: FeatureKind::Bigram,
                key: Key::from_chars(pair),
            });
        }
    }

    /// The features of a run of words, each as corrected.
    fn english_features(&self, corrected: &[&str], features: &mut FxHashSet<Feature>) {
        if corrected.is_empty() {
            return;
        }
        // Synonym terms may span stop words ("get rid of"), so they are
        // matched on every word's stem; content stems are those of the
        // words that are not stop words and not part of a term.
        let all: Vec<Cow<'_, str>> = corrected
            .iter()
            .map(|w| match self.stem_of.get(*w) {
                Some(stem) => Cow::Borrowed(stem.as_str()),
                None => self.stemmer.stem(w),
            })
            .collect();
        let mut content: Vec<Option<&str>> = corrected
            .iter()
            .zip(&all)
            .map(|(word, stem)| (!self.en_stop.contains(*word)).then_some(stem.as_ref()))
            .collect();
        let mut key = String::new();
        let mut i = 0;
        while i < all.len() {
            // Only terms starting with this stem, and no longer than the
            // longest of them, can start here.
            let longest = self
                .en_starts
                .get(all[i].as_ref())
                .map_or(0, |&most| most.min(all.len() - i));
            let term = (1..=longest).rev().find_map(|len| {
                key.clear();
                for (n, stem) in all[i..i + len].iter().enumerate() {
                    if n > 0 {
                        key.push(' ');
                    }
                    key.push_str(stem);
                }
                self.en_terms.get(&key).map(|&c| (len, c))
            });
            match term {
                Some((len, concept)) => {
                    features.insert(self.concept(concept));
                    content[i..i + len].iter_mut().for_each(|s| *s = None);
                    i += len;
                }
                None => i += 1,
            }
        }
        let kept: Vec<&str> = content.into_iter().flatten().collect();
        for stem in &kept {
            features.insert(Feature {
                kind: FeatureKind::Stem,
                key: Key::from(*stem),
            });
        }
        for pair in kept.windows(2) {
            features.insert(Feature {
                kind: FeatureKind::StemPair,
                key: Key::pair(pair[0], pair[1]),
            });
        }
    }

    /// Whether a word is a stop word, a word the knowledge base uses, or an
    /// inflection of one.
    fn is_known_english(&self, word: &str) -> bool {
        self.en_stop.contains(word)
            || self.vocabulary.contains_key(word)
            || self.stems.contains(self.stemmer.stem(word).as_ref())
    }

    /// The knowledge base's word closest to an unknown English word, if one
    /// is close enough to be a typo of it; otherwise the word itself.
    fn correct_word<'a>(&'a self, word: &'a str) -> &'a str {
        let len = word.chars().count();
        if len < 4
            || self.vocabulary.contains_key(word)
            || self.en_stop.contains(word)
            || !word.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return word;
        }
        // Two edits only in long words: a seven-letter word two edits from a
        // known one is as often another word ("protect", "product").
        let allowed = if len <= 8 { 1 } else { 2 };
        let Some(candidates) = self.by_initial.get(&word.as_bytes()[0]) else {
            return word;
        };
        // Only words within `allowed` of its length (the group is in order
        // of length), and with nearly the same letters, can be close enough.
        let from = candidates.partition_point(|k| k.word.len() + allowed < len);
        let to = candidates.partition_point(|k| k.word.len() <= len + allowed);
        let counts = letters(word);
        candidates[from..to]
            .iter()
            .filter(|k| letters_apart(&k.letters, &counts) <= 2 * allowed as u32)
            .filter_map(|k| {
                let distance = strsim::damerau_levenshtein(word, &k.word);
                // Of words as close, one the typo is with a doubled letter
                // typed once is the likeliest ("staf" is "staff", not "stay").
                (distance <= allowed).then(|| {
                    let undoubled = is_undoubled(word, &k.word);
                    (distance, !undoubled, std::cmp::Reverse(k.count), &k.word)
                })
            })
            .min()
            .map(|(_, _, _, known)| known.as_str())
            .filter(|known| self.may_correct_to(word, known))
            .unwrap_or(word)
    }

    /// Whether `word` may be corrected to `known`: an inflection of a known
    /// word is that word, not a typo of another with a different stem
    /// ("withdrawing" is not "withdrawn"); a typo of the same stem is still
    /// spelt right ("applyed" is "applied", for the date reader).
    fn may_correct_to(&self, word: &str, known: &str) -> bool {
        let stem = self.stemmer.stem(word);
        !self.stems.contains(stem.as_ref()) || self.stemmer.stem(known) == stem
    }

    fn concept(&self, index: usize) -> Feature {
        Feature {
            kind: FeatureKind::Concept,
            key: Key::from(self.concepts[index].as_str()),
        }
    }
}

impl Feature {
    /// A compact, unique string for this feature (`#delete`, `b注销`).
    pub fn tag(&self) -> String {
        let key = self.key.as_str();
        let mut tag = String::with_capacity(key.len() + 1);
        tag.push(self.kind.prefix());
        tag.push_str(key);
        tag
    }
}

/// Whether a word has a letter (a number is a word of no language).
fn has_letter(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
}

fn push_han(out: &mut Vec<Piece>, han: String) {
    if han.is_empty() {
        return;
    }
    if let Some(Piece::Han(last)) = out.last_mut() {
        last.push_str(&han);
    } else {
        out.push(Piece::Han(han));
    }
}

/// Splits normalised text into Chinese runs and other words.
fn split_scripts(normalized: &str) -> Vec<Piece<'_>> {
    // A number run into the word after it is two words ("60tian",
    // "3months").
    fn push<'t>(pieces: &mut Vec<Piece<'t>>, text: &'t str, han: bool) {
        if han {
            pieces.push(Piece::Han(text.to_string()));
            return;
        }
        let (number, rest) = split_number(text);
        if !number.is_empty() {
            pieces.push(Piece::Word(number));
        }
        pieces.push(Piece::Word(rest));
    }
    let mut pieces = Vec::new();
    for token in normalized.split(' ') {
        let mut start = 0;
        let mut current_han = false;
        for (at, c) in token.char_indices() {
            let han = is_han(c);
            if han != current_han && at > start {
                push(&mut pieces, &token[start..at], current_han);
                start = at;
            }
            current_han = han;
        }
        if start < token.len() {
            push(&mut pieces, &token[start..], current_han);
        }
    }
    pieces
}

/// Whether `word` is `known` with one of its doubled letters typed once
/// ("staf" and "staff", "pasword" and "password").
fn is_undoubled(word: &str, known: &str) -> bool {
    let (w, k) = (word.as_bytes(), known.as_bytes());
    k.len() == w.len() + 1
        && (1..k.len()).any(|i| k[i] == k[i - 1] && k[..i] == w[..i] && k[i + 1..] == w[i..])
}

/// A word that starts with digits and goes on with at least two letters
/// ("60tian", "3months"), as the number and the rest; any other word as ""
/// and itself. English ordinals ("2nd", "21st") stay whole.
fn split_number(word: &str) -> (&str, &str) {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &word[digits..];
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if digits == 0 || letters < 2 || ["st", "nd", "rd", "th"].contains(&rest) {
        return ("", word);
    }
    (&word[..digits], rest)
}

/// Every phrase of the scam check's lists and of the scope gate's cues
/// (normalised, as the knowledge keeps them).
fn cue_phrases(knowledge: &Knowledge) -> impl Iterator<Item = &str> {
    let safety = knowledge.safety.iter().flat_map(|s| {
        s.triggers
            .iter()
            .flatten()
            .chain(&s.parties)
            .chain(&s.requests)
            .chain(&s.own)
    });
    let cues = knowledge
        .out_of_scope
        .iter()
        .flat_map(|t| t.when.iter().chain(&t.unless).chain(&t.sure))
        .chain(&knowledge.scope.frame)
        .chain(&knowledge.scope.not_deleting)
        .chain(&knowledge.scope.contents)
        .chain(knowledge.entries.iter().flat_map(|e| &e.cues))
        .flatten()
        .filter_map(|part| match part {
            crate::knowledge::CuePart::Phrase(p) => Some(p),
            crate::knowledge::CuePart::Concept(_) => None,
        });
    safety.chain(cues).map(String::as_str)
}

/// The cooling-off calculator's English words, so that a typo of one
/// ("applyed", "submited") reads as it. (Its Chinese words stay out of the
/// phonetic vocabulary: they include the typo 注消, which must still be read
/// as 注销.)
fn cooling_words(knowledge: &Knowledge) -> impl Iterator<Item = &str> {
    knowledge.cooling_off.iter().flat_map(|c| {
        [
            &c.phrases.en,
            &c.ended.en,
            &c.deletion_words.en,
            &c.request_words.en,
            &c.other_words.en,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_the_string_it_holds_however_it_is_kept() {
        use std::hash::BuildHasher;
        let hash = |x: &dyn Fn(&mut rustc_hash::FxHasher)| {
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            x(&mut h);
            std::hash::Hasher::finish(&h)
        };
        let long = "a stem pair longer than twenty-two bytes";
        for text in ["注", "注销", "delet", "delet account", long, ""] {
            let key = Key::from(text);
            assert_eq!(key.as_str(), text);
            assert_eq!(
                hash(&|h| std::hash::Hash::hash(&key, h)),
                hash(&|h| std::hash::Hash::hash(&text.to_string(), h))
            );
        }
        let chars: Vec<char> = "注销".chars().collect();
        assert_eq!(Key::from_chars(&chars), Key::from("注销"));
        assert_eq!(Key::pair("delet", "account"), Key::from("delet account"));
        assert_eq!(Key::pair(long, long).as_str(), format!("{long} {long}"));
        assert!(Key::from("b") > Key::from("a") && Key::from(long) > Key::from("a"));
    }
    use crate::knowledge::{Bilingual, SynonymGroup};

    fn analyzer() -> Analyzer {
        let mut knowledge = Knowledge::default();
        knowledge.synonyms = vec![
            SynonymGroup {
                concept: "delete".into(),
                terms: Bilingual {
                    zh: vec!["注销".into(), "删号".into()],
                    en: vec!["delete".into(), "get rid of".into()],
                },
            },
            SynonymGroup {
                concept: "cooling".into(),
                terms: Bilingual {
                    zh: vec!["冷静期".into()],
                    en: vec![],
                },
            },
            SynonymGroup {
                concept: "channels".into(),
                terms: Bilingual {
                    zh: vec!["视频号".into()],
                    en: vec!["channels".into(), "shipinhao".into()],
                },
            },
        ];
        knowledge.stopwords = Bilingual {
            zh: vec!["吗".into()],
            en: vec!["how".into(), "do".into(), "i".into(), "my".into()],
        };
        knowledge.out_of_scope = vec![examples(
            &["视频号怎么注销", "冷静期多久"],
            &["how do I undo my account deletion"],
        )];
        Analyzer::new(&knowledge)
    }

    /// An out-of-scope topic with only these example questions: texts the
    /// analyzer learns its words from.
    fn examples(zh: &[&str], en: &[&str]) -> crate::knowledge::OutOfScope {
        let texts = |list: &[&str]| list.iter().map(|q| q.to_string()).collect();
        crate::knowledge::OutOfScope {
            id: "x".into(),
            questions: Bilingual {
                zh: texts(zh),
                en: texts(en),
            },
            reply: None,
            when: Vec::new(),
            unless: Vec::new(),
            sure: Vec::new(),
            framed: false,
            offer: Vec::new(),
        }
    }

    fn tags(analysis: &Analysis) -> Vec<String> {
        analysis.features.iter().map(Feature::tag).collect()
    }

    #[test]
    fn folds_synonyms_to_concepts_in_both_languages() {
        let a = analyzer();
        let zh = tags(&a.analyze("删号视频号"));
        assert_eq!(zh, ["#channels", "#delete"]);
        let en = tags(&a.analyze("how do I get rid of my Channels"));
        assert_eq!(en, ["#channels", "#delete"]);
        let en = tags(&a.analyze("deleting channels"));
        assert_eq!(en, ["#channels", "#delete"]);
    }

    #[test]
    fn reads_pinyin_and_fixes_typos() {
        let a = analyzer();
        let typed = a.analyze("shipinhao zenme zhuxiao");
        assert_eq!(typed.pinyin_words, 3);
        assert_eq!(tags(&typed), tags(&a.analyze("视频号怎么注销")));
        assert_eq!(
            tags(&a.analyze("冷净期多久")),
            tags(&a.analyze("冷静期多久"))
        );
        assert_eq!(
            tags(&a.analyze("undo acount deletion")),
            tags(&a.analyze("undo account deletion"))
        );
    }

    #[test]
    fn a_lone_word_is_pinyin_only_if_it_reads_as_a_word() {
        let a = analyzer();
        // "remake" splits into re-ma-ke, but reads as no word of the
        // knowledge base, only single characters.
        let english = a.analyze("remake my account");
        assert_eq!(english.pinyin_words, 0);
        let lone = a.analyze("how to zhuxiao my account");
        assert_eq!(lone.pinyin_words, 1);
        assert!(tags(&lone).contains(&"#delete".to_string()));
    }

    #[test]
    fn pinyin_the_knowledge_uses_as_a_word_reads_as_chinese_beside_pinyin() {
        let a = analyzer();
        // "shipinhao" is one of the knowledge base's English terms; beside
        // other pinyin it is part of the Chinese they read as together, so
        // phrases written in Chinese ("视频号怎么注销") are found in it.
        let typed = a.analyze("shipinhao zenme zhuxiao");
        assert_eq!(typed.reading, "视频号怎么注销");
        assert_eq!(typed.pinyin_words, 3);
        let alone = a.analyze("delete shipinhao");
        assert_eq!(alone.reading, "delete shipinhao");
        assert_eq!(alone.pinyin_words, 0);
    }

    #[test]
    fn a_doubled_letter_typed_once_is_the_likeliest_typo() {
        assert!(is_undoubled("staf", "staff"));
        assert!(is_undoubled("pasword", "password"));
        assert!(is_undoubled("aple", "apple"));
        assert!(!is_undoubled("stay", "staff"));
        assert!(!is_undoubled("staf", "stay"));
        assert!(!is_undoubled("stff", "staff"));
        let mut knowledge = Knowledge::default();
        knowledge.out_of_scope = vec![examples(&[], &["stay stay stay with the staff"])];
        let a = Analyzer::new(&knowledge);
        assert_eq!(a.correct_word("staf"), "staff");
    }

    #[test]
    fn a_number_run_into_a_word_is_two_words() {
        assert_eq!(split_number("60tian"), ("60", "tian"));
        assert_eq!(split_number("3months"), ("3", "months"));
        assert_eq!(split_number("2nd"), ("", "2nd"));
        assert_eq!(split_number("5g"), ("", "5g"));
        assert_eq!(split_number("mp4"), ("", "mp4"));
        let a = analyzer();
        assert_eq!(
            tags(&a.analyze("60tian lengjingqi")),
            tags(&a.analyze("60 冷静期"))
        );
    }

    #[test]
    fn keeps_english_words_that_look_like_pinyin() {
        let a = analyzer();
        let analysis = a.analyze("undo my account");
        assert_eq!(analysis.pinyin_words, 0);
        assert!(tags(&analysis).contains(&"wundo".to_string()));
    }

    /// Typo correction as it was first written: every known word with the
    /// same first letter, by edit distance (then a doubled letter typed once,
    /// then frequency).
    fn correct_by_trying_every_word<'a>(a: &'a Analyzer, word: &'a str) -> &'a str {
        let len = word.chars().count();
        if len < 4
            || a.vocabulary.contains_key(word)
            || a.en_stop.contains(word)
            || !word.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return word;
        }
        let allowed = if len <= 8 { 1 } else { 2 };
        a.vocabulary
            .iter()
            .filter(|(known, _)| known.as_bytes()[0] == word.as_bytes()[0])
            .filter(|(known, _)| known.len().abs_diff(len) <= allowed)
            .filter_map(|(known, count)| {
                let distance = strsim::damerau_levenshtein(word, known);
                (distance <= allowed).then(|| {
                    let undoubled = is_undoubled(word, known);
                    (distance, !undoubled, std::cmp::Reverse(*count), known)
                })
            })
            .min()
            .map(|(_, _, _, known)| known.as_str())
            .filter(|known| a.may_correct_to(word, known))
            .unwrap_or(word)
    }

    #[test]
    fn typo_correction_agrees_with_trying_every_word() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = Knowledge::load(&dir, &crate::knowledge::Limits::default()).unwrap();
        let a = Analyzer::new(&knowledge);
        let mut words: Vec<&String> = a.vocabulary.keys().collect();
        words.sort();
        let mut typos = Vec::new();
        for word in words.iter().step_by(7) {
            let chars: Vec<char> = word.chars().collect();
            for i in 0..chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(i);
                typos.push(dropped.iter().collect::<String>());
                let mut changed = chars.clone();
                changed[i] = if chars[i] == 'e' { 'a' } else { 'e' };
                typos.push(changed.iter().collect());
                if i + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    typos.push(swapped.iter().collect());
                    // Two edits, for long words.
                    swapped.push('s');
                    typos.push(swapped.iter().collect());
                }
            }
            typos.push(format!("{word}xy"));
        }
        assert!(typos.len() > 1000);
        for typo in &typos {
            assert_eq!(
                a.correct_word(typo),
                correct_by_trying_every_word(&a, typo),
                "{typo}"
            );
        }
    }

    #[test]
    fn chinese_terms_are_found_as_a_scan_trying_the_longest_first_finds_them() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = Knowledge::load(&dir, &crate::knowledge::Limits::default()).unwrap();
        let a = Analyzer::new(&knowledge);
        let mut terms: FxHashMap<String, usize> = FxHashMap::default();
        for (index, group) in knowledge.synonyms.iter().enumerate() {
            for term in &group.terms.zh {
                terms.insert(term.replace(' ', ""), index);
            }
        }
        let longest = terms.keys().map(|t| t.chars().count()).max().unwrap();
        // At each character, the longest term starting there, if any.
        let scan = |run: &str| {
            let chars: Vec<char> = run.chars().collect();
            let mut features = FxHashSet::default();
            let mut rest = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                let term = (1..=longest.min(chars.len() - i)).rev().find_map(|len| {
                    let word: String = chars[i..i + len].iter().collect();
                    terms.get(&word).map(|&concept| (len, concept))
                });
                match term {
                    Some((len, concept)) => {
                        a.ngram_features(&rest, &mut features);
                        rest.clear();
                        features.insert(a.concept(concept));
                        i += len;
                    }
                    None => {
                        rest.push(chars[i]);
                        i += 1;
                    }
                }
            }
            a.ngram_features(&rest, &mut features);
            features
        };
        let mut runs: Vec<String> = knowledge
            .entries
            .iter()
            .flat_map(|e| e.questions.zh.iter())
            .map(|q| normalize(q).chars().filter(|&c| is_han(c)).collect())
            .collect();
        // Terms side by side, overlapping.
        let all: String = terms.keys().map(String::as_str).collect();
        runs.push(all.clone());
        runs.push(all.chars().rev().collect());
        for run in &runs {
            let mut features = FxHashSet::default();
            a.chinese_features(run, &mut features);
            assert_eq!(features, scan(run), "{run}");
        }
    }

    #[test]
    fn splits_mixed_scripts() {
        let a = analyzer();
        let mixed = tags(&a.analyze("视频号delete之后"));
        assert!(mixed.contains(&"#channels".to_string()) && mixed.contains(&"#delete".to_string()));
        assert!(mixed.contains(&"b之后".to_string()));
    }
}
