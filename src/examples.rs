//! A model of the knowledge's example questions (`knowledge/examples/`): a
//! linear classifier over the character and word n-grams (tf-idf weighted)
//! of questions labelled with the entries that answer them (or with none,
//! for questions the bot must not answer), trained as an averaged
//! multiclass perceptron with a margin.
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
use crate::normalize::normalize;

/// Passes over the examples in training.
const EPOCHS: usize = 3;

/// How far an example's class must lead every other for the perceptron to
/// leave it be.
const MARGIN: f32 = 1.0;

/// See `lead` in [`ExampleModel::train`].
const SKIP_LEAD: f32 = 1.5;

/// How sharply the probabilities follow the scores: a class scoring one
/// margin above another is `e^SHARPNESS` times as likely.
const SHARPNESS: f32 = 16.0;

/// The seed of the order the examples are read in (the same on every
/// machine, so the same knowledge makes the same model).
const SEED: u64 = 0x5eed;

/// A feature seen in fewer training questions than this is dropped (one
/// writer's quirk teaches nothing).
const MIN_DF: u32 = 2;

/// The label of an example question that no entry answers.
const OUT_OF_SCOPE: &str = "";

/// The trained model. Immutable; built with the knowledge it belongs to.
#[derive(Debug, Default)]
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

/// A feature that at least this share of the classes saw gets a dense row.
const DENSE_SHARE: f32 = 1.0 / 3.0;

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
    pub fn from_knowledge(knowledge: &Knowledge) -> ExampleModel {
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
        ExampleModel::train(examples.chain(entries).chain(out_of_scope))
    }

    /// Trains on questions, each with the entries that answer it (none: no
    /// entry does). With no question, or with one class only, the model
    /// knows nothing and [`ExampleModel::guess`] returns `None`.
    pub fn train<'e>(examples: impl IntoIterator<Item = (&'e str, &'e [String])>) -> ExampleModel {
        let mut classes: Vec<String> = Vec::new();
        let mut class_of: HashMap<&str, u16> = HashMap::default();
        // Each example's text and classes: an example that several entries
        // answer belongs to each of them.
        let mut texts: Vec<&str> = Vec::new();
        let mut doc_classes: Vec<Vec<u16>> = Vec::new();
        for (text, entries) in examples {
            let ids: Vec<&str> = if entries.is_empty() {
                vec![OUT_OF_SCOPE]
            } else {
                entries.iter().map(String::as_str).collect()
            };
            let own = ids
                .into_iter()
                .map(|label| {
                    *class_of.entry(label).or_insert_with(|| {
                        classes.push(label.to_string());
                        (classes.len() - 1) as u16
                    })
                })
                .collect();
            doc_classes.push(own);
            texts.push(text);
        }
        if classes.len() < 2 {
            return ExampleModel::default();
        }
        // Reading the examples is half the work of training, and each is
        // read on its own: the second half is read on another thread.
        let (half, rest) = texts.split_at(texts.len() / 2);
        let ((mut features, mut docs), (more, more_docs)) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| read_all(rest));
            let half = read_all(half);
            // Reading only counts; a panic there is a bug to surface.
            let rest = rest
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (half, rest)
        });
        drop(texts);
        let offset = features.len();
        features.extend_from_slice(&more);
        drop(more);
        docs.extend(
            more_docs
                .into_iter()
                .map(|r| r.start + offset..r.end + offset),
        );

        // Document frequencies; features below MIN_DF are dropped.
        let mut df: HashMap<u32, u32> = HashMap::default();
        for range in &docs {
            for (feature, _) in runs(&features[range.clone()]) {
                *df.entry(feature).or_default() += 1;
            }
        }
        let mut kept: Vec<(u32, u32)> = df.into_iter().filter(|&(_, n)| n >= MIN_DF).collect();
        kept.sort_unstable();
        let n = docs.len() as f32;
        let vocabulary: HashMap<u32, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, &(feature, _))| (feature, i as u32))
            .collect();
        let idf: Vec<f32> = kept
            .iter()
            .map(|&(_, d)| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        drop(kept);

        // Each example's weighed features, once: `weighed[spans[doc]]`.
        let class_count = classes.len();
        let mut spans = Vec::with_capacity(docs.len());
        let mut weighed_all: Vec<(u32, f32)> = Vec::new();
        let mut weighed = Vec::new();
        for range in &docs {
            weigh(&features[range.clone()], &vocabulary, &idf, &mut weighed);
            spans.push(weighed_all.len()..weighed_all.len() + weighed.len());
            weighed_all.extend_from_slice(&weighed);
        }
        drop(features);
        // Training numbers the features from the most common down, so that
        // the weights read most often sit together in the cache:
        // `rank[f]` is feature `f`'s row.
        let feature_count = vocabulary.len();
        let mut frequency = vec![0u32; feature_count];
        for &(f, _) in &weighed_all {
            frequency[f as usize] += 1;
        }
        let mut by_frequency: Vec<u32> = (0..feature_count as u32).collect();
        by_frequency.sort_by_key(|&f| std::cmp::Reverse(frequency[f as usize]));
        drop(frequency);
        let mut rank = vec![0u32; feature_count];
        for (r, &f) in by_frequency.iter().enumerate() {
            rank[f as usize] = r as u32;
        }
        drop(by_frequency);
        for (f, _) in &mut weighed_all {
            *f = rank[*f as usize];
        }

        // An averaged multiclass perceptron with a margin: for each example
        // in turn, when its best class does not lead every other class by
        // MARGIN, the example's features are added to that class's weights
        // and taken from the other's. The average over all steps is kept
        // (`weights - steps_weighted / step`), which generalises like a
        // regularised model.
        let mut weights = vec![0.0f32; feature_count * class_count];
        let mut late = vec![0.0f32; feature_count * class_count];
        let mut order: Vec<usize> = (0..docs.len()).collect();
        let mut random = SplitMix(SEED);
        let mut scores = vec![0.0f32; class_count];
        let mut step = 1.0f32;
        // An example whose class led every other by SKIP_LEAD when last
        // read is not read again (it is all but sure to lead still): later
        // passes read mostly the examples near the boundary, and the
        // average counts the skipped steps as steps without an update.
        let mut lead = vec![0.0f32; docs.len()];
        for _ in 0..EPOCHS {
            random.shuffle(&mut order);
            for &doc in &order {
                if lead[doc] >= SKIP_LEAD {
                    step += 1.0;
                    continue;
                }
                let features = &weighed_all[spans[doc].clone()];
                scores.fill(0.0);
                for &(f, value) in features {
                    let row = &weights[f as usize * class_count..][..class_count];
                    for (score, w) in scores.iter_mut().zip(row) {
                        *score += value * w;
                    }
                }
                let own = &doc_classes[doc];
                let (right, right_score) = own
                    .iter()
                    .map(|&c| (c as usize, scores[c as usize]))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap_or((0, 0.0));
                let wrong = scores
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| !own.contains(&(*c as u16)))
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(c, &score)| (c, score));
                if let Some((_, wrong_score)) = wrong {
                    lead[doc] = right_score - wrong_score;
                }
                if let Some((wrong, wrong_score)) = wrong
                    && right_score - wrong_score < MARGIN
                {
                    for &(f, value) in features {
                        let at = f as usize * class_count;
                        weights[at + right] += value;
                        weights[at + wrong] -= value;
                        late[at + right] += step * value;
                        late[at + wrong] -= step * value;
                    }
                }
                step += 1.0;
            }
        }
        drop(weighed_all);
        for (w, l) in weights.iter_mut().zip(&late) {
            *w -= l / step;
        }
        drop(late);

        // How many classes each feature weighs; the features enough
        // classes have a weight for are numbered first, and get dense rows.
        let class_counts: Vec<u32> = weights
            .chunks(class_count)
            .map(|row| row.iter().filter(|&&w| w != 0.0).count() as u32)
            .collect();
        let dense_from = ((class_count as f32 * DENSE_SHARE).ceil() as u32).max(1);
        let is_dense = |f: usize| class_counts[f] >= dense_from;
        let mut number = vec![0u32; feature_count];
        let mut next = 0u32;
        let mut dense_count = 0;
        for dense in [true, false] {
            for f in (0..feature_count).filter(|&f| is_dense(f) == dense) {
                number[f] = next;
                next += 1;
            }
            if dense {
                dense_count = next as usize;
            }
        }
        let mut dense = vec![0.0f32; dense_count * class_count];
        let mut starts = vec![0u32; feature_count - dense_count + 1];
        let mut seen = Vec::new();
        let mut sparse_rows: Vec<(u32, usize)> = Vec::new();
        for (f, row) in weights.chunks(class_count).enumerate() {
            let n = number[f] as usize;
            if n < dense_count {
                dense[n * class_count..][..class_count].copy_from_slice(row);
            } else {
                sparse_rows.push((n as u32, f));
            }
        }
        sparse_rows.sort_unstable();
        for (n, f) in sparse_rows {
            let row = &weights[f * class_count..][..class_count];
            seen.extend(
                row.iter()
                    .enumerate()
                    .filter(|&(_, &w)| w != 0.0)
                    .map(|(c, &w)| (c as u16, w)),
            );
            starts[n as usize - dense_count + 1] = seen.len() as u32;
        }
        drop(weights);
        let mut vocabulary = vocabulary;
        for f in vocabulary.values_mut() {
            *f = number[rank[*f as usize] as usize];
        }
        let mut renumbered_idf = vec![0.0f32; feature_count];
        for (f, idf) in idf.into_iter().enumerate() {
            renumbered_idf[number[rank[f] as usize] as usize] = idf;
        }
        ExampleModel {
            classes,
            vocabulary,
            idf: renumbered_idf,
            dense,
            dense_count: dense_count as u32,
            seen,
            starts,
        }
    }

    /// How many classes (entries, and "no entry") the model tells apart;
    /// 0 when it is untrained.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The class the model puts first for a normalised text
    /// ([`normalize`]), with its probability; `None` if the model is
    /// untrained or knows none of the text's features.
    pub fn guess(&self, normalized: &str) -> Option<Guess<'_>> {
        if self.classes.is_empty() {
            return None;
        }
        SCRATCH.with_borrow_mut(|scratch| self.guess_with(normalized, scratch))
    }

    fn guess_with(&self, normalized: &str, scratch: &mut Scratch) -> Option<Guess<'_>> {
        let Scratch {
            features,
            weighed,
            scores,
        } = scratch;
        features.clear();
        hashes(normalized, features);
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

/// Each text's features ([`hashes`] of its normal form), sorted, one
/// text's after another: `features[range]` of each text.
fn read_all(texts: &[&str]) -> (Vec<u32>, Vec<std::ops::Range<usize>>) {
    let mut features = Vec::new();
    let mut docs = Vec::with_capacity(texts.len());
    for text in texts {
        let start = features.len();
        hashes(&normalize(text), &mut features);
        features[start..].sort_unstable();
        docs.push(start..features.len());
    }
    (features, docs)
}

/// Appends the hashed features of a normalised text to `out`, each as
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

/// The splitmix64 generator: a few lines for a fixed, seeded order, where a
/// crate would bring far more than a shuffle needs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fisher-Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str, entry: Option<&str>) -> (String, Vec<String>) {
        (
            text.to_string(),
            entry.into_iter().map(str::to_string).collect(),
        )
    }

    fn train(examples: &[(String, Vec<String>)]) -> ExampleModel {
        ExampleModel::train(examples.iter().map(|(q, e)| (q.as_str(), e.as_slice())))
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
