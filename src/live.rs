//! The live knowledge base: one immutable [`Faq`] snapshot that readers take
//! per message, replaced whole by [`LiveFaq::reload`], and a watcher that
//! tells when the knowledge folder changed.
//!
//! A reload reads and validates the folder exactly as `faqbot check` does and
//! builds the new matcher before anything is swapped, so a question answered
//! during a reload sees either the old or the new knowledge, never a mix, and
//! a failed reload leaves the old knowledge live.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use tokio::sync::mpsc;

use crate::Faq;
use std::collections::HashMap;

use crate::knowledge::{Entry, Knowledge, Limits, LoadError};
use crate::matcher::MatcherConfig;

/// The knowledge base being served, and where it comes from.
#[derive(Debug)]
pub struct LiveFaq {
    current: ArcSwap<Faq>,
    dir: PathBuf,
    limits: Limits,
    matcher: MatcherConfig,
    /// Serialises reloads, so that the last one to start is the last stored.
    reloading: Mutex<()>,
}

/// What a successful reload changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadSummary {
    /// Ids of entries that are new.
    pub added: Vec<String>,
    /// Ids of entries whose title, questions, answer or related topics changed.
    pub changed: Vec<String>,
    /// Ids of entries that are gone.
    pub removed: Vec<String>,
    /// Entries now live.
    pub entries: usize,
    /// How long reading, validating and indexing took.
    pub elapsed: Duration,
}

impl LiveFaq {
    /// Loads and validates `dir`; the error is the same as `faqbot check`'s.
    pub fn load(dir: &Path, limits: Limits, matcher: MatcherConfig) -> Result<LiveFaq, LoadError> {
        let faq = Faq::load(dir, &limits, matcher.clone())?;
        Ok(LiveFaq::new(faq, dir, limits, matcher))
    }

    /// Serves `faq`, reloading later from `dir` with the same limits and
    /// matcher settings.
    pub fn new(faq: Faq, dir: &Path, limits: Limits, matcher: MatcherConfig) -> LiveFaq {
        LiveFaq {
            current: ArcSwap::from_pointee(faq),
            dir: dir.to_path_buf(),
            limits,
            matcher,
            reloading: Mutex::new(()),
        }
    }

    /// The knowledge folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The limits every reload validates with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The knowledge as it is now. Hold the snapshot for the whole of one
    /// message so that every lookup sees the same version.
    pub fn snapshot(&self) -> Arc<Faq> {
        self.current.load_full()
    }

    /// Re-reads the folder and, if it is valid, swaps it in. Blocking (it
    /// reads files and builds the index): call it from a blocking thread in
    /// async code. On error the old knowledge stays live; for invalid files
    /// the error is [`LoadError::Invalid`] carrying every problem.
    pub fn reload(&self) -> Result<ReloadSummary, LoadError> {
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let started = Instant::now();
        let faq = Faq::load(&self.dir, &self.limits, self.matcher.clone())?;
        let (added, changed, removed) = diff(self.snapshot().knowledge(), faq.knowledge());
        let entries = faq.knowledge().entries.len();
        self.current.store(Arc::new(faq));
        Ok(ReloadSummary {
            added,
            changed,
            removed,
            entries,
            elapsed: started.elapsed(),
        })
    }
}

/// Entry ids added, changed and removed from `old` to `new`.
fn diff(old: &Knowledge, new: &Knowledge) -> (Vec<String>, Vec<String>, Vec<String>) {
    fn by_id(k: &Knowledge) -> HashMap<&str, &Entry> {
        k.entries.iter().map(|e| (e.id.as_str(), e)).collect()
    }
    let (before, after) = (by_id(old), by_id(new));
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for entry in &new.entries {
        match before.get(entry.id.as_str()) {
            None => added.push(entry.id.clone()),
            Some(&was) if was != entry => changed.push(entry.id.clone()),
            Some(_) => {}
        }
    }
    let removed = old
        .entries
        .iter()
        .filter(|e| !after.contains_key(e.id.as_str()))
        .map(|e| e.id.clone())
        .collect();
    (added, changed, removed)
}

/// Watches the knowledge folder (the folder, not the files: editors save by
/// writing a new file and renaming it over the old one).
///
/// Each change to a `*.toml` file in it, or to a `*.jsonl` file of its
/// `examples` subfolder (watched when it exists at start), sends one `()`; bursts of changes
/// (one editor save is often several events) come out as one signal once the
/// folder has been quiet for `debounce`. Keep the returned watcher alive as
/// long as signals are wanted.
pub fn watch(
    dir: &Path,
    debounce: Duration,
) -> notify::Result<(notify::RecommendedWatcher, mpsc::Receiver<()>)> {
    use notify::{EventKind, RecursiveMode, Watcher};

    let (raw_tx, mut raw_rx) = mpsc::unbounded_channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) && event.paths.iter().any(|p| {
            p.extension()
                .is_some_and(|ext| ext == "toml" || ext == "jsonl")
        });
        if relevant {
            // The receiver is gone only when the bot is stopping.
            let _ = raw_tx.send(());
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    let examples = dir.join(crate::knowledge::EXAMPLES_DIR);
    if examples.is_dir() {
        watcher.watch(&examples, RecursiveMode::NonRecursive)?;
    }

    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        while raw_rx.recv().await.is_some() {
            // Wait until the folder has been quiet for `debounce`.
            while let Ok(Some(())) = tokio::time::timeout(debounce, raw_rx.recv()).await {}
            if tx.send(()).await.is_err() {
                break;
            }
        }
    });
    Ok((watcher, rx))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> LiveFaq {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        LiveFaq::load(&dir, Limits::default(), MatcherConfig::default()).unwrap()
    }

    #[test]
    fn reloading_unchanged_files_changes_nothing() {
        let live = shipped();
        let before = live.snapshot();
        let summary = live.reload().unwrap();
        assert!(summary.added.is_empty() && summary.changed.is_empty());
        assert!(summary.removed.is_empty());
        assert_eq!(summary.entries, before.knowledge().entries.len());
        // A new snapshot was stored; the old one is still whole for its holder.
        assert!(!Arc::ptr_eq(&before, &live.snapshot()));
        assert!(before.knowledge().entry("overview").is_some());
    }

    #[test]
    fn diff_names_added_changed_and_removed_entries() {
        let live = shipped();
        let old = live.snapshot();
        let mut new = old.knowledge().clone();
        new.entries.retain(|e| e.id != "alt-hide");
        new.entries[0].answer.en.push_str(" More.");
        let mut extra = new.entries[1].clone();
        extra.id = "brand-new".into();
        new.entries.push(extra);
        let (added, changed, removed) = diff(old.knowledge(), &new);
        assert_eq!(added, ["brand-new"]);
        assert_eq!(changed, [old.knowledge().entries[0].id.clone()]);
        assert_eq!(removed, ["alt-hide"]);
    }
}
