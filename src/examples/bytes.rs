//! The example model as bytes, for the cache of trained models
//! ([`super::cache`]): its arrays one after another, little-endian, each
//! led by its length where the others do not imply it.
//!
//! Written by hand: the model is a handful of flat arrays of numbers, and a
//! serialisation crate would be a dependency for these few lines. Reading
//! checks every length and index, so bytes that do not make a whole,
//! consistent model are refused, never trusted.

use rustc_hash::FxHashMap as HashMap;

use super::ExampleModel;

/// The first bytes of an encoded model, with the layout's version: a change
/// of layout changes them, so older bytes are refused.
const MAGIC: &[u8; 8] = b"faqbEM01";

impl ExampleModel {
    /// The model as bytes, for [`ExampleModel::from_bytes`].
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            64 + 8 * self.idf.len() + 4 * self.dense.len() + 6 * self.seen.len(),
        );
        out.extend_from_slice(MAGIC);
        put_len(&mut out, self.classes.len());
        for class in &self.classes {
            put_len(&mut out, class.len());
            out.extend_from_slice(class.as_bytes());
        }
        if self.classes.is_empty() {
            return out;
        }
        // The vocabulary as the hash of each feature number in turn.
        let mut hashes = vec![0u32; self.idf.len()];
        for (&hash, &feature) in &self.vocabulary {
            hashes[feature as usize] = hash;
        }
        put_len(&mut out, hashes.len());
        for hash in hashes {
            out.extend_from_slice(&hash.to_le_bytes());
        }
        for idf in &self.idf {
            out.extend_from_slice(&idf.to_le_bytes());
        }
        out.extend_from_slice(&self.dense_count.to_le_bytes());
        for weight in &self.dense {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        for start in &self.starts {
            out.extend_from_slice(&start.to_le_bytes());
        }
        put_len(&mut out, self.seen.len());
        for &(class, weight) in &self.seen {
            out.extend_from_slice(&class.to_le_bytes());
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    /// The model [`ExampleModel::to_bytes`] wrote, or `None` if `bytes` are
    /// not one whole, consistent model of this layout.
    pub(super) fn from_bytes(bytes: &[u8]) -> Option<ExampleModel> {
        let mut r = Reader(bytes);
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let class_count = r.len()?;
        let classes = (0..class_count)
            .map(|_| {
                let len = r.len()?;
                String::from_utf8(r.take(len)?.to_vec()).ok()
            })
            .collect::<Option<Vec<String>>>()?;
        // An untrained model is written as no classes and nothing else.
        if classes.is_empty() {
            return r.0.is_empty().then(ExampleModel::default);
        }
        let feature_count = r.len()?;
        let mut vocabulary = HashMap::default();
        vocabulary.reserve(feature_count);
        for feature in 0..feature_count as u32 {
            if vocabulary.insert(r.u32()?, feature).is_some() {
                return None;
            }
        }
        let idf = r.f32s(feature_count)?;
        let dense_count = r.u32()?;
        let dense_features = dense_count as usize;
        if dense_features > feature_count {
            return None;
        }
        let dense = r.f32s(dense_features.checked_mul(class_count)?)?;
        let starts = (0..feature_count - dense_features + 1)
            .map(|_| r.u32())
            .collect::<Option<Vec<u32>>>()?;
        let seen_len = r.len()?;
        let seen = (0..seen_len)
            .map(|_| {
                let class = u16::from_le_bytes(r.take(2)?.try_into().ok()?);
                Some((class, r.f32()?))
            })
            .collect::<Option<Vec<(u16, f32)>>>()?;
        let starts_fit = starts.first() == Some(&0)
            && starts.last() == Some(&(seen_len as u32))
            && starts.windows(2).all(|w| w[0] <= w[1]);
        let classes_fit = seen.iter().all(|&(c, _)| usize::from(c) < class_count);
        (r.0.is_empty() && starts_fit && classes_fit).then_some(ExampleModel {
            classes,
            vocabulary,
            idf,
            dense,
            dense_count,
            seen,
            starts,
        })
    }
}

/// Writes a length as four bytes (the model's lengths are far below 2³²).
fn put_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

/// Reads numbers off the front of a byte slice; `None` when it runs out.
struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A length, no larger than what is left to read could hold (so a
    /// corrupt length never reserves memory it cannot fill).
    fn len(&mut self) -> Option<usize> {
        let len = self.u32()? as usize;
        (len <= self.0.len()).then_some(len)
    }

    fn f32s(&mut self, n: usize) -> Option<Vec<f32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ExampleModel {
        let examples: Vec<(String, Vec<String>)> = [
            ("注销前怎么备份视频", Some("backup")),
            ("how do I save my videos before deleting", Some("backup")),
            ("download all my videos first", Some("backup")),
            ("注销后还能撤销吗", Some("undo")),
            ("冷静期里怎么撤销注销", Some("undo")),
            ("can I cancel the deletion", Some("undo")),
            ("视频号怎么改名字", None),
            ("how do I rename my channel", None),
        ]
        .into_iter()
        .map(|(q, e)| (q.to_string(), e.into_iter().map(str::to_string).collect()))
        .collect();
        ExampleModel::train(
            examples.iter().map(|(q, e)| (q.as_str(), e.as_slice())),
            &crate::normalize::normalize,
        )
    }

    #[test]
    fn a_model_reads_back_as_itself() {
        let model = model();
        assert!(model.class_count() > 1);
        assert_eq!(ExampleModel::from_bytes(&model.to_bytes()), Some(model));
        let untrained = ExampleModel::default();
        assert_eq!(
            ExampleModel::from_bytes(&untrained.to_bytes()),
            Some(untrained)
        );
    }

    #[test]
    fn cut_or_altered_bytes_are_refused() {
        let bytes = model().to_bytes();
        for len in [0, 4, 8, 12, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(ExampleModel::from_bytes(&bytes[..len]), None, "{len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(ExampleModel::from_bytes(&longer), None);
        let mut other_layout = bytes.clone();
        other_layout[7] ^= 1;
        assert_eq!(ExampleModel::from_bytes(&other_layout), None);
        // A class count far beyond what the bytes hold.
        let mut huge = bytes;
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(ExampleModel::from_bytes(&huge), None);
    }
}
