//! A model of the knowledge's example questions (`knowledge/examples/`): a
//! linear classifier over the character and word n-grams (tf-idf weighted)
//! of questions as read ([`Read`]: typed pinyin as Chinese, typos fixed),
//! labelled with the entries that answer them (or with none, for questions
//! the bot must not answer), trained as an averaged multiclass perceptron
//! with a margin.
//!
//! The matcher decides; the model corrects it only where it is confident,
//! and only ever picks among the entries the matcher found (see
//! `Matcher::consult` and the `example_*` settings of `MatcherConfig`):
//! it settles close choices, switches or vetoes an answer it is sure is
//! wrong, answers a turn-away it is sure of, and adds or lifts the scam
//! warning where it is all but certain. A scope cue's fallback and an
//! entry's own question word for word always stand.
//!
//! A perceptron rather than naive Bayes: trained on what tells the classes
//! apart rather than on what each class says, it turns away out-of-scope
//! questions of decks it never saw far more reliably (the README's
//! first-contact figures). Its probabilities are a softmax of its
//! scores, which the `example_*` thresholds are set against. Training is
//! three passes over the examples in a fixed shuffled order, so the same
//! knowledge makes the same model on every machine, at every load and
//! live reload. Features are hashed, so the model keeps no strings.

use std::hash::Hasher;

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::knowledge::Knowledge;

mod bytes;
pub mod cache;
mod train;

/// How sharply the probabilities follow the scores: a class scoring one
/// margin above another is `e^SHARPNESS` times as likely.
const SHARPNESS: f32 = 16.0;

/// How the model reads a question: the text its features are taken from.
/// The matcher reads questions as it reads messages
/// ([`crate::message::Message::reading`]: typed pinyin as Chinese, typos
/// fixed); the same reader must read the questions a model is trained on
/// and those it guesses about.
pub type Read<'r> = &'r (dyn Fn(&str) -> String + Sync);

/// The label of an example question that no entry answers.
const OUT_OF_SCOPE: &str = "";

/// The trained model. Immutable; built with the knowledge it belongs to.
#[derive(Debug, Default, PartialEq)]
pub struct ExampleModel {
    /// Class labels: entry ids, and "" for out of scope.
    classes: Vec<String>,
    /// Feature hash → feature number.
    vocabulary: HashMap<u32, u32>,
    /// Per feature: its inverse document frequency.
    idf: Vec<f32>,
    /// Per feature: its weight for each class. The features most classes
    /// weigh (numbered first) have a row of every class's,
    /// `dense[f * classes..][..classes]`; the others list the classes they
    /// weigh, feature `f`'s being
    /// `seen[starts[f - dense_count]..starts[f - dense_count + 1]]`. Dense
    /// rows make the common features' sums vector work; the rare ones'
    /// lists keep the table small.
    dense: Vec<f32>,
    dense_count: u32,
    seen: Vec<(u16, f32)>,
    starts: Vec<u32>,
}

/// Buffers [`ExampleModel::guess`] reuses from one message to the next.
#[derive(Default)]
struct Scratch {
    features: Vec<u32>,
    weighed: Vec<(u32, f32)>,
    scores: Vec<f32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What the model makes of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess<'m> {
    /// The entry it puts first, or `None` for "no entry answers this".
    pub entry: Option<&'m str>,
    /// Its probability (0-1).
    pub probability: f32,
}

impl Guess<'_> {
    /// Whether the model is at least this sure (a threshold of 1 or more,
    /// the settings' "off", is never reached: a probability may round to 1).
    pub fn at_least(&self, threshold: f32) -> bool {
        threshold < 1.0 && self.probability >= threshold
    }
}

impl ExampleModel {
    /// Trains on the knowledge's example questions and on its own: every
    /// entry's questions (labelled with the entry) and every out-of-scope
    /// topic's (labelled with none), which hold the plain phrasings that
    /// people's questions seldom do ("视频号怎么注销").
    /// Each question is read by `read`, as the questions guessed about
    /// must be.
    pub fn from_knowledge(knowledge: &Knowledge, read: Read<'_>) -> ExampleModel {
        ExampleModel::train(training_set(knowledge), read)
    }

    /// How many classes (entries, and "no entry") the model tells apart;
    /// 0 when it is untrained.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The class the model puts first for a question as read (by the
    /// [`Read`] it was trained with), with its probability; `None` if the
    /// model is untrained or knows none of the text's features.
    pub fn guess(&self, read: &str) -> Option<Guess<'_>> {
        if self.classes.is_empty() {
            return None;
        }
        SCRATCH.with_borrow_mut(|scratch| self.guess_with(read, scratch))
    }

    fn guess_with(&self, read: &str, scratch: &mut Scratch) -> Option<Guess<'_>> {
        let Scratch {
            features,
            weighed,
            scores,
        } = scratch;
        features.clear();
        hashes(read, features);
        features.sort_unstable();
        weigh(features, &self.vocabulary, &self.idf, weighed);
        if weighed.is_empty() {
            return None;
        }
        scores.clear();
        scores.resize(self.classes.len(), 0.0);
        let classes = self.classes.len();
        let dense_count = self.dense_count as usize;
        for &(feature, value) in weighed.iter() {
            let f = feature as usize;
            if f < dense_count {
                let row = &self.dense[f * classes..][..classes];
                for (score, delta) in scores.iter_mut().zip(row) {
                    *score += value * delta;
                }
            } else {
                let f = f - dense_count;
                let range = self.starts[f] as usize..self.starts[f + 1] as usize;
                for &(class, delta) in &self.seen[range] {
                    scores[class as usize] += value * delta;
                }
            }
        }
        let (best, &top) = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        let sum: f32 = scores.iter().map(|s| ((s - top) * SHARPNESS).exp()).sum();
        let label = self.classes[best].as_str();
        Some(Guess {
            entry: (label != OUT_OF_SCOPE).then_some(label),
            probability: 1.0 / sum,
        })
    }
}

/// What [`ExampleModel::from_knowledge`] trains on, in order: each
/// question with the entries that answer it.
fn training_set(knowledge: &Knowledge) -> impl Iterator<Item = (&str, &[String])> {
    let examples = knowledge
        .examples
        .iter()
        .map(|e| (e.text.as_str(), e.entries.as_slice()));
    let entries = knowledge.entries.iter().flat_map(|e| {
        let id = std::slice::from_ref(&e.id);
        e.questions.all().map(move |q| (q.as_str(), id))
    });
    let out_of_scope = knowledge
        .out_of_scope
        .iter()
        .flat_map(|o| o.questions.all().map(|q| (q.as_str(), &[][..])));
    examples.chain(entries).chain(out_of_scope)
}

/// Appends the hashed features of a text as read to `out`, each as
/// often as it occurs: character n-grams of each word padded with a space
/// either side (1 to 3 characters; 3 to 5 for a word of ASCII letters), and
/// word unigrams and bigrams (a word: a run of letters, digits or Han
/// characters, of at least two characters).
fn hashes(text: &str, out: &mut Vec<u32>) {
    // 32 bits: a few of the rarest features may share a hash (the hashing
    // trick), which a model of counts shrugs off.
    fn hash(kind: u8, parts: impl IntoIterator<Item = char>) -> u32 {
        let mut hasher = FxHasher::default();
        hasher.write_u8(kind);
        for c in parts {
            hasher.write_u32(c as u32);
        }
        let h = hasher.finish();
        (h ^ (h >> 32)) as u32
    }
    let mut padded = Vec::new();
    for word in text.split_whitespace() {
        // A Latin letter alone says little: English words give 3- to
        // 5-grams, which carry their stems and endings.
        if word.is_ascii() {
            padded.clear();
            padded.push(b' ');
            padded.extend_from_slice(word.as_bytes());
            padded.push(b' ');
            for n in 3..=5 {
                out.extend(
                    padded
                        .windows(n)
                        .map(|g| hash(b'c', g.iter().map(|&b| char::from(b)))),
                );
            }
            continue;
        }
        let mut a = ' ';
        let mut b = ' ';
        for c in word.chars().chain([' ']) {
            if c != ' ' {
                out.push(hash(b'c', [c]));
            }
            out.push(hash(b'c', [b, c]));
            if b != ' ' {
                out.push(hash(b'c', [a, b, c]));
            }
            (a, b) = (b, c);
        }
    }
    let mut previous: Option<&str> = None;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
    {
        out.push(hash(b'w', word.chars()));
        if let Some(previous) = previous {
            out.push(hash(
                b'b',
                previous.chars().chain(['|']).chain(word.chars()),
            ));
        }
        previous = Some(word);
    }
}

/// Each distinct hash of a sorted list, with how often it occurs.
fn runs(sorted: &[u32]) -> impl Iterator<Item = (u32, u32)> + '_ {
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u32))
}

/// Sublinear tf × idf of the known features of a sorted list of hashes,
/// scaled to unit length, into `out`.
fn weigh(sorted: &[u32], vocabulary: &HashMap<u32, u32>, idf: &[f32], out: &mut Vec<(u32, f32)>) {
    out.clear();
    out.extend(runs(sorted).filter_map(|(hash, count)| {
        let f = *vocabulary.get(&hash)?;
        Some((f, (1.0 + (count as f32).ln()) * idf[f as usize]))
    }));
    let norm = out.iter().map(|&(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in out.iter_mut() {
            *v /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn example(text: &str, entry: Option<&str>) -> (String, Vec<String>) {
        (
            text.to_string(),
            entry.into_iter().map(str::to_string).collect(),
        )
    }

    fn train(examples: &[(String, Vec<String>)]) -> ExampleModel {
        ExampleModel::train(
            examples.iter().map(|(q, e)| (q.as_str(), e.as_slice())),
            &normalize,
        )
    }

    fn guess<'m>(model: &'m ExampleModel, text: &str) -> Option<Guess<'m>> {
        model.guess(&normalize(text))
    }

    fn model() -> ExampleModel {
        let examples = [
            example("注销前怎么备份视频", Some("backup")),
            example("注销之前视频怎么保存下来", Some("backup")),
            example("how do I save my videos before deleting", Some("backup")),
            example("download all my videos first", Some("backup")),
            example("注销后还能撤销吗", Some("undo")),
            example("冷静期里怎么撤销注销", Some("undo")),
            example("can I cancel the deletion", Some("undo")),
            example("how to cancel my deletion request", Some("undo")),
            example("视频号怎么改名字", None),
            example("怎么改视频号的名字", None),
            example("how do I rename my channel", None),
            example("rename the channel please", None),
        ];
        train(&examples)
    }

    #[test]
    fn it_puts_the_class_of_similar_examples_first() {
        let model = model();
        let backup = guess(&model, "注销前视频怎么备份").unwrap();
        assert_eq!(backup.entry, Some("backup"));
        assert!(backup.probability > 0.5, "{backup:?}");
        assert_eq!(
            guess(&model, "cancel deletion").unwrap().entry,
            Some("undo")
        );
        assert_eq!(guess(&model, "改名字").unwrap().entry, None);
    }

    #[test]
    fn traditional_characters_and_case_read_as_their_normal_form() {
        let model = model();
        assert_eq!(
            guess(&model, "註銷後還能撤銷嗎").unwrap().entry,
            Some("undo")
        );
        assert_eq!(
            guess(&model, "SAVE MY VIDEOS").unwrap().entry,
            Some("backup")
        );
    }

    #[test]
    fn without_examples_or_known_features_there_is_no_guess() {
        assert_eq!(guess(&train(&[]), "注销"), None);
        assert_eq!(train(&[]).class_count(), 0);
        assert_eq!(guess(&model(), "🙂"), None);
    }

    #[test]
    fn probabilities_are_between_0_and_1() {
        let model = model();
        for text in ["备份", "undo", "x", "注销前怎么备份视频 cancel rename 名字"] {
            if let Some(guess) = guess(&model, text) {
                assert!(
                    (0.0..=1.0).contains(&guess.probability),
                    "{text}: {guess:?}"
                );
            }
        }
    }
}
