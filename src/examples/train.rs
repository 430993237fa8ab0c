//! Training the example model: an averaged multiclass perceptron with a
//! margin over the examples' tf-idf weighted features.

use rustc_hash::FxHashMap as HashMap;

use super::{ExampleModel, OUT_OF_SCOPE, Read, hashes, runs, weigh};

/// Passes over the examples in training.
const EPOCHS: usize = 3;

/// How far an example's class must lead every other for the perceptron to
/// leave it be.
const MARGIN: f32 = 1.0;

/// See `lead` in [`ExampleModel::train`].
const SKIP_LEAD: f32 = 1.5;

/// The seed of the order the examples are read in (the same on every
/// machine, so the same knowledge makes the same model).
const SEED: u64 = 0x5eed;

/// A feature seen in fewer training questions than this is dropped (one
/// writer's quirk teaches nothing).
const MIN_DF: u32 = 2;

/// A feature that at least this share of the classes saw gets a dense row.
const DENSE_SHARE: f32 = 1.0 / 3.0;

impl ExampleModel {
    /// Trains on questions, each with the entries that answer it (none: no
    /// entry does), each read by `read`. With no question, or with one
    /// class only, the model knows nothing and [`ExampleModel::guess`]
    /// returns `None`.
    pub fn train<'e>(
        examples: impl IntoIterator<Item = (&'e str, &'e [String])>,
        read: Read<'_>,
    ) -> ExampleModel {
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
        // Reading the examples is most of the work of training, and each
        // is read on its own: the second half is read on another thread.
        let (half, rest) = texts.split_at(texts.len() / 2);
        let ((mut features, mut docs), (more, more_docs)) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| read_all(rest, read));
            let half = read_all(half, read);
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
}

/// Each text's features ([`hashes`] of it as read), sorted, one text's
/// after another: `features[range]` of each text.
fn read_all(texts: &[&str], read: Read<'_>) -> (Vec<u32>, Vec<std::ops::Range<usize>>) {
    let mut features = Vec::new();
    let mut docs = Vec::with_capacity(texts.len());
    for text in texts {
        let start = features.len();
        hashes(&read(text), &mut features);
        features[start..].sort_unstable();
        docs.push(start..features.len());
    }
    (features, docs)
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
