//! Trained example models kept between starts. Training takes most of a
//! start (over 100 ms); a start whose knowledge and program are those of
//! an earlier one reads that start's model from a file instead.
//!
//! A cached model is found by a key: a hash of everything the model is
//! made of, namely the whole knowledge (its questions, and everything that
//! changes how they are read: synonyms, stop words, the words of entries
//! and cues), and the program that trains it (its version, and the size
//! and modification time of its executable, so that a rebuilt program
//! never reads the model of an older build). A file holds its key and a
//! checksum of its bytes; one whose key or checksum does not match, or
//! that does not read as a whole model, is trained anew and written again.
//! Files are written whole under another name and then renamed, so a
//! reader never sees half of one, and only the newest few are kept.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{ExampleModel, Read};
use crate::knowledge::Knowledge;

/// How many models the cache keeps (the newest): a few knowledge versions
/// at once, as an admin editing and reloading makes.
const KEEP: usize = 4;

/// The start and end of a cached model's file name; the key goes between.
const PREFIX: &str = "examples-";
const SUFFIX: &str = ".model";

/// A folder of trained example models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCache {
    dir: PathBuf,
}

impl ModelCache {
    /// A cache in `dir`, created when a model is first written.
    pub fn new(dir: impl Into<PathBuf>) -> ModelCache {
        ModelCache { dir: dir.into() }
    }

    /// The folder the models are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The model of `knowledge`'s examples
    /// ([`ExampleModel::from_knowledge`]): read from the cache when it
    /// holds this knowledge's model, otherwise trained and written to the
    /// cache. A cache that cannot be read or written costs only the
    /// training (the failure to write is logged).
    /// `reader` reads each question as in [`ExampleModel::from_knowledge`];
    /// it must be the program's own (the key does not cover it).
    pub fn model(&self, knowledge: &Knowledge, reader: Read<'_>) -> ExampleModel {
        let Some(key) = key(knowledge) else {
            return ExampleModel::from_knowledge(knowledge, reader);
        };
        let path = self.path(key);
        if let Some(model) = read(&path, key) {
            tracing::debug!(path = %path.display(), "example model read from the cache");
            return model;
        }
        let model = ExampleModel::from_knowledge(knowledge, reader);
        match self.write(&path, key, &model) {
            Ok(()) => tracing::debug!(path = %path.display(), "example model cached"),
            Err(err) => tracing::warn!(
                dir = %self.dir.display(),
                "cannot cache the example model ({err}); it is trained at every start \
                 (knowledge.cache = false stops trying)"
            ),
        }
        model
    }

    fn path(&self, key: u64) -> PathBuf {
        self.dir.join(format!("{PREFIX}{key:016x}{SUFFIX}"))
    }

    /// Writes a model's file whole, then removes all but the newest
    /// [`KEEP`] models.
    fn write(&self, path: &Path, key: u64, model: &ExampleModel) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let body = model.to_bytes();
        let mut bytes = Vec::with_capacity(16 + body.len());
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&checksum(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        // A name of this write's own (the process, and a count within it),
        // so that two starts or two reloads writing the same model at once
        // never write into one file.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let partial = path.with_extension(format!(
            "partial-{}-{}",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::rename(&partial, path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&partial);
            })?;
        self.prune();
        Ok(())
    }

    /// Removes the cached models beyond the newest [`KEEP`] (best effort:
    /// another start may be removing them too).
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut models: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with(PREFIX) && name.ends_with(SUFFIX)
            })
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        models.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
        for (_, path) in models.into_iter().skip(KEEP) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The model in the file at `path`, if the file holds the model of `key`
/// whole.
fn read(path: &Path, key: u64) -> Option<ExampleModel> {
    let bytes = std::fs::read(path).ok()?;
    let (head, body) = bytes.split_at_checked(16)?;
    let (stored_key, sum) = head.split_at(8);
    if u64::from_le_bytes(stored_key.try_into().ok()?) != key
        || u64::from_le_bytes(sum.try_into().ok()?) != checksum(body)
    {
        return None;
    }
    ExampleModel::from_bytes(body)
}

/// The key of the model of `knowledge` as this program trains it; `None`
/// when the program cannot tell which build it is.
fn key(knowledge: &Knowledge) -> Option<u64> {
    let program = std::env::current_exe().ok()?.metadata().ok()?;
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    program.len().hash(&mut hasher);
    program.modified().ok()?.hash(&mut hasher);
    knowledge.hash(&mut hasher);
    Some(hasher.finish())
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tests' reader: the normal form (how the matcher reads is not
    /// what they are about).
    const READ: Read<'static> = &crate::normalize::normalize;

    fn knowledge() -> Knowledge {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Knowledge::load(&dir, &crate::knowledge::Limits::default()).expect("shipped knowledge")
    }

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    #[test]
    fn a_second_start_reads_the_model_the_first_trained() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ModelCache::new(dir.path().join("cache"));
        let knowledge = knowledge();
        let trained = cache.model(&knowledge, READ);
        assert!(trained.class_count() > 1);
        let written = files(cache.dir());
        assert_eq!(written.len(), 1, "{written:?}");
        let key = key(&knowledge).unwrap();
        assert_eq!(read(&written[0], key).as_ref(), Some(&trained));
        assert_eq!(cache.model(&knowledge, READ), trained);
        assert_eq!(files(cache.dir()), written);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_trained_anew_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ModelCache::new(dir.path());
        let knowledge = knowledge();
        let trained = ExampleModel::from_knowledge(&knowledge, READ);
        let key = key(&knowledge).unwrap();
        let path = cache.path(key);
        let good = {
            cache.write(&path, key, &trained).unwrap();
            std::fs::read(&path).unwrap()
        };
        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        let mut foreign = good.clone();
        foreign[0] ^= 1;
        for damaged in [
            flipped,
            foreign,
            good[..good.len() - 3].to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            assert_eq!(read(&path, key), None);
            assert_eq!(cache.model(&knowledge, READ), trained);
            assert_eq!(std::fs::read(&path).unwrap(), good);
        }
    }

    #[test]
    fn other_knowledge_has_another_key_and_old_models_are_pruned() {
        let knowledge = knowledge();
        let mut keys = vec![key(&knowledge).unwrap()];
        let mut edited = knowledge.clone();
        edited.examples[0].text.push('?');
        keys.push(key(&edited).unwrap());
        let mut relabelled = knowledge.clone();
        let other = relabelled.entries[1].id.clone();
        relabelled.examples[0].entries = vec![other];
        keys.push(key(&relabelled).unwrap());
        // A synonym changes how questions are read, so the model.
        let mut synonym = knowledge.clone();
        synonym.synonyms[0].terms.en.push("obliterate".to_string());
        keys.push(key(&synonym).unwrap());
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 4);
        // Two loads of the same files hash alike.
        assert_eq!(key(&self::knowledge()), key(&knowledge));

        let dir = tempfile::tempdir().unwrap();
        let cache = ModelCache::new(dir.path());
        let untrained = ExampleModel::default();
        for key in 0..KEEP as u64 + 2 {
            cache.write(&cache.path(key), key, &untrained).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "kept").unwrap();
        let left = files(dir.path());
        assert_eq!(left.len(), KEEP + 1, "{left:?}");
        assert!(left.iter().any(|p| p.ends_with("notes.txt")));
    }

    #[test]
    fn models_written_at_once_leave_one_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ModelCache::new(dir.path());
        let knowledge = knowledge();
        let models: Vec<ExampleModel> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..3)
                .map(|_| scope.spawn(|| cache.model(&knowledge, READ)))
                .collect();
            starts.into_iter().map(|s| s.join().unwrap()).collect()
        });
        assert!(models.windows(2).all(|w| w[0] == w[1]));
        let written = files(dir.path());
        assert_eq!(written.len(), 1, "{written:?}");
        assert_eq!(
            read(&written[0], key(&knowledge).unwrap()).as_ref(),
            Some(&models[0])
        );
    }

    #[test]
    fn an_unwritable_cache_still_gives_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "not a folder").unwrap();
        let knowledge = knowledge();
        let model = ModelCache::new(file.join("cache")).model(&knowledge, READ);
        assert_eq!(model, ExampleModel::from_knowledge(&knowledge, READ));
    }
}
