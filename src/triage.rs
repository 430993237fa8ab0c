//! Acting on a group of unanswered questions: add its phrasing to an
//! entry's question variants, or ignore it. Either way the group stops
//! appearing in the reports. Shared by the bot's triage buttons and
//! `faqbot suggest --apply`.

use std::path::{Path, PathBuf};

use crate::knowledge::Limits;
use crate::knowledge::edit::{self, EditError};
use crate::privacy::without_placeholders;
use crate::report::{self, UnansweredGroup};
use crate::store::{Decision, Store, StoreError, Timestamp};
use crate::{Faq, Lang};

/// What a triage did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Triaged {
    /// The phrasing was added to `entry` in `file`.
    Added {
        entry: String,
        question: String,
        file: PathBuf,
    },
    /// The entry already had the phrasing; the group is marked as added.
    AlreadyThere {
        entry: String,
        question: String,
    },
    Ignored,
}

/// Why a triage failed; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    /// No group has this id (any more) in the window looked at.
    #[error("no group of unanswered questions has the id {0} (already handled?)")]
    NoSuchGroup(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Edit(EditError),
}

/// The groups of unanswered questions since `since`, most asked first, with
/// their nearest entries in `faq`.
pub fn groups(
    store: &dyn Store,
    faq: &Faq,
    since: Timestamp,
) -> Result<Vec<UnansweredGroup>, StoreError> {
    let mut groups = report::group(store.unanswered(since)?);
    report::with_nearest(faq, &mut groups);
    Ok(groups)
}

/// The `n` most asked groups since `since` with their nearest entries, and
/// how many groups there are in all: what `/unanswered N` shows.
pub fn top_groups(
    store: &dyn Store,
    faq: &Faq,
    since: Timestamp,
    n: usize,
) -> Result<(Vec<UnansweredGroup>, usize), StoreError> {
    let mut groups = report::group(store.unanswered(since)?);
    let total = groups.len();
    groups.truncate(n);
    report::with_nearest(faq, &mut groups);
    Ok((groups, total))
}

/// Finds the group `id` among those since `since`.
pub fn find(
    store: &dyn Store,
    faq: &Faq,
    since: Timestamp,
    id: &str,
) -> Result<UnansweredGroup, TriageError> {
    groups(store, faq, since)?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| TriageError::NoSuchGroup(id.to_string()))
}

/// What adding `group` to an entry adds: its example phrasing without the
/// placeholders of masked values (a knowledge question has the words, not
/// the `[code]`).
pub fn phrasing(group: &UnansweredGroup) -> String {
    without_placeholders(&group.example)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds `group`'s [`phrasing`] to `entry` in the knowledge folder `dir`
/// (validated as `faqbot check` does, written atomically), then marks the
/// group as added. The caller reloads the knowledge.
pub fn add(
    store: &dyn Store,
    dir: &Path,
    limits: &Limits,
    group: &UnansweredGroup,
    entry: &str,
) -> Result<Triaged, TriageError> {
    let question = phrasing(group);
    let lang = list_lang(&question);
    let triaged = match edit::add_question(dir, limits, entry, lang, &question) {
        Ok(file) => Triaged::Added {
            entry: entry.to_string(),
            question,
            file,
        },
        Err(EditError::AlreadyThere { .. }) => Triaged::AlreadyThere {
            entry: entry.to_string(),
            question,
        },
        Err(err) => return Err(TriageError::Edit(err)),
    };
    let decision = Decision::Added {
        entry: entry.to_string(),
    };
    store.decide(&group.signatures, &decision, crate::store::now())?;
    Ok(triaged)
}

/// The question list a phrasing belongs in, by its own script: `zh` if it
/// has Chinese characters. (Pinyin or English typed by a user who reads
/// Chinese is still Latin text.)
pub fn list_lang(question: &str) -> Lang {
    if question.chars().any(crate::normalize::is_han) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// Marks `group` as ignored.
pub fn ignore(store: &dyn Store, group: &UnansweredGroup) -> Result<Triaged, TriageError> {
    store.decide(&group.signatures, &Decision::Ignored, crate::store::now())?;
    Ok(Triaged::Ignored)
}
