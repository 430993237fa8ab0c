//! What the bot learns from its users, kept durably: questions it could not
//! answer, votes on answers, "my app looks different" reports, each user's
//! reply language and the `/stats` counters; and what its guided help must
//! carry across a restart: each chat's conversation in progress
//! ([`Session`]) and the reminders it promised to send ([`Reminder`]).
//!
//! - [`Store`]: the storage interface the bot and the command line use;
//!   [`SqliteStore`] is the one backend.
//! - [`Recorder`]: writes off the reply path, in batches, on a thread of its
//!   own, so a slow or locked database delays a record, never an answer.
//!
//! No Telegram user id or name is stored. A user is a [`UserKey`]: a keyed
//! hash (SipHash) of the id under a salt made on first start and kept in
//! the store, enough to count distinct users and to find one user's records
//! for `/forget`, not to tell who they are; a chat is a [`ChatKey`] the same
//! way. The one exception is a [`Reminder`], which keeps the Telegram chat id
//! it is to be sent to, only until it is sent, cancelled or dropped after its
//! deadline, or its user sends `/forget`.

mod recorder;
mod sqlite;

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::Lang;
use crate::matcher::{Candidate, Outcome};

pub use recorder::Recorder;
pub use sqlite::SqliteStore;

/// Seconds since the Unix epoch.
pub type Timestamp = i64;

/// The current time as a [`Timestamp`].
pub fn now() -> Timestamp {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The salt user pseudonyms are made with: random, made once per store.
pub type Salt = [u8; 16];

/// Turns Telegram ids into pseudonyms under one store's salt.
#[derive(Clone)]
pub struct Pseudonyms {
    salt: Salt,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonyms(***)")
    }
}

impl Pseudonyms {
    pub fn new(salt: Salt) -> Pseudonyms {
        Pseudonyms { salt }
    }

    /// The pseudonym of a Telegram user.
    pub fn user(&self, id: u64) -> UserKey {
        UserKey(self.hash(&[b"user", &id.to_le_bytes()]))
    }

    /// The pseudonym of a Telegram chat.
    pub fn chat(&self, id: i64) -> ChatKey {
        ChatKey(self.hash(&[b"chat", &id.to_le_bytes()]))
    }

    /// The pseudonym of one message in one chat (what a vote is attached to).
    pub fn message(&self, chat: i64, message: i32) -> String {
        self.hash(&[b"message", &chat.to_le_bytes(), &message.to_le_bytes()])
    }

    fn hash(&self, parts: &[&[u8]]) -> String {
        use std::hash::Hasher;
        let mut hasher = siphasher::sip128::SipHasher13::new_with_key(&self.salt);
        for part in parts {
            hasher.write(part);
            // Length-delimit the parts so that no two inputs collide.
            hasher.write_usize(part.len());
        }
        let hash = siphasher::sip128::Hasher128::finish128(&hasher).as_u128();
        format!("{hash:032x}")
    }
}

/// A user's pseudonym: 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserKey(pub String);

/// A chat's pseudonym ([`Pseudonyms::chat`]): 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChatKey(pub String);

/// One thing to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Question(Question),
    Vote(Vote),
    Mismatch(Mismatch),
    /// A user's reply language, chosen with `/lang`.
    Language {
        user: UserKey,
        lang: Lang,
    },
    /// Adds `by` to a `/stats` counter.
    Count {
        counter: Counter,
        by: u64,
    },
    /// Starts or updates the chat's conversation in progress, replacing the
    /// one stored for that chat.
    Session(Session),
    /// Ends the chat's conversation in progress, if there is one.
    EndSession {
        chat: ChatKey,
    },
}

/// A question the bot did not answer outright (a fallback or a
/// clarification).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub at: Timestamp,
    pub lang: Lang,
    pub outcome: Outcome,
    /// The question as the matcher read it, its personal values masked:
    /// see [`Masked::normalized`](crate::privacy::Masked::normalized).
    pub text: String,
    /// What near-duplicates share: the language and the matcher's features
    /// (see [`signature`](crate::report::signature)).
    pub signature: String,
    /// The entries the matcher nearly chose, best first.
    pub candidates: Vec<Candidate>,
    #[serde(skip)]
    pub user: UserKey,
}

/// A 👍 or 👎 on an answer. One per user and message: a second vote on the
/// same message replaces the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    pub at: Timestamp,
    pub user: UserKey,
    /// The answer message's pseudonym ([`Pseudonyms::message`]).
    pub message: String,
    pub entry: String,
    pub lang: Lang,
    pub helpful: bool,
}

/// "This step doesn't match my app": a user's menus differ from a step's
/// description. One per user and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub at: Timestamp,
    pub user: UserKey,
    pub message: String,
    pub entry: String,
    pub lang: Lang,
}

/// A guided conversation in progress in one chat (the readiness
/// checklist, or the bot waiting for the date of a deletion request). At
/// most one per chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub chat: ChatKey,
    /// Who started it (for `/forget`).
    pub user: UserKey,
    /// The caller's own encoding of where the conversation is (JSON); the
    /// store does not read it.
    pub state: String,
    pub updated_at: Timestamp,
}

/// A reminder to send before a deletion's cooling-off period ends.
///
/// It keeps the Telegram chat id to send it to, the only chat id in the
/// store: the reminder, id and all, is deleted once it is sent, cancelled,
/// or dropped after its deadline, or when its user sends `/forget`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Assigned by the store ([`Store::add_reminder`] ignores it), never
    /// reused.
    pub id: i64,
    /// The Telegram chat to send it to.
    pub chat: i64,
    pub user: UserKey,
    pub lang: Lang,
    /// The day the deletion was requested.
    pub requested: jiff::civil::Date,
    /// The last day the deletion can be undone.
    pub last_day: jiff::civil::Date,
    /// When to send it.
    pub remind_at: Timestamp,
    /// After this the deletion is final: a reminder not sent by then is
    /// dropped, not sent.
    pub deadline: Timestamp,
    pub created_at: Timestamp,
}

/// A `/stats` counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counter {
    /// Questions with this outcome.
    Outcome(Outcome),
    /// Times an entry was shown (answered, or opened by button or command).
    Topic(String),
    /// Uses of the guided help.
    Guided(Guided),
}

/// What the guided help did, counted for `/stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guided {
    ChecklistStarted,
    ChecklistFinished,
    /// Cooling-off dates given for a request date.
    Dates,
    ReminderSet,
    ReminderSent,
}

impl Guided {
    fn name(self) -> &'static str {
        match self {
            Guided::ChecklistStarted => "checklist-started",
            Guided::ChecklistFinished => "checklist-finished",
            Guided::Dates => "dates",
            Guided::ReminderSet => "reminder-set",
            Guided::ReminderSent => "reminder-sent",
        }
    }
}

impl Counter {
    /// The counter's name in the store.
    pub fn name(&self) -> String {
        match self {
            Counter::Outcome(outcome) => format!("outcome:{outcome}"),
            Counter::Topic(id) => format!("topic:{id}"),
            Counter::Guided(what) => format!("guided:{}", what.name()),
        }
    }
}

/// The `/stats` counters, over the store's whole life.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    pub answered: u64,
    pub clarified: u64,
    pub fallbacks: u64,
    /// Times each entry was shown, most first (ties by id).
    pub topics: Vec<(String, u64)>,
    /// Uses of the guided help.
    pub checklists_started: u64,
    pub checklists_finished: u64,
    pub dates: u64,
    pub reminders_set: u64,
    pub reminders_sent: u64,
}

/// The unanswered questions that share one signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureGroup {
    pub signature: String,
    pub count: u64,
    /// Distinct users who asked.
    pub users: u64,
    /// The time, language, text and candidates of the question recorded
    /// last.
    pub last_at: Timestamp,
    pub lang: Lang,
    pub example: String,
    pub candidates: Vec<Candidate>,
}

/// Votes and mismatch reports on one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntryFeedback {
    pub entry: String,
    pub helpful: u64,
    pub unhelpful: u64,
    /// "This step doesn't match my app" reports.
    pub mismatches: u64,
}

/// What an admin decided about a group of unanswered questions; a decided
/// group no longer appears in `/unanswered`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The phrasing was added to this entry's questions.
    Added { entry: String },
    /// Not worth an entry.
    Ignored,
}

/// What `/forget` deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub language: bool,
    pub votes: u64,
    pub mismatches: u64,
    pub questions: u64,
    /// Conversations in progress the user started.
    pub sessions: u64,
    /// Pending reminders.
    pub reminders: u64,
}

/// What a retention sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub questions: u64,
    pub votes: u64,
    pub mismatches: u64,
}

impl Pruned {
    pub fn total(&self) -> u64 {
        self.questions + self.votes + self.mismatches
    }
}

/// Where the bot keeps what it learns. Every method may block (disk, locks):
/// call them off the async threads, or through a [`Recorder`].
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The salt user pseudonyms are made with.
    fn salt(&self) -> Salt;
    /// Writes records, all or none.
    fn write(&self, records: &[Record]) -> Result<(), StoreError>;
    /// Every user's chosen reply language.
    fn languages(&self) -> Result<Vec<(UserKey, Lang)>, StoreError>;
    fn counters(&self) -> Result<Counters, StoreError>;
    /// Unanswered questions since `since`, grouped by signature, leaving
    /// out signatures an admin has decided on.
    fn unanswered(&self, since: Timestamp) -> Result<Vec<SignatureGroup>, StoreError>;
    /// Votes and mismatch reports since `since`, per entry.
    fn feedback(&self, since: Timestamp) -> Result<Vec<EntryFeedback>, StoreError>;
    /// Records an admin's decision on the questions with these signatures.
    fn decide(
        &self,
        signatures: &[String],
        decision: &Decision,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Deletes everything stored about one user, their sessions and
    /// reminders included.
    fn forget(&self, user: &UserKey) -> Result<Forgotten, StoreError>;
    /// Deletes questions, votes and reports from before `before`. Sessions
    /// and reminders are left alone: they have expiries of their own
    /// ([`Store::end_sessions_before`], [`Reminder::deadline`]).
    fn prune(&self, before: Timestamp) -> Result<Pruned, StoreError>;

    /// Every session updated at or after `since`, oldest first.
    fn sessions(&self, since: Timestamp) -> Result<Vec<Session>, StoreError>;
    /// Ends every session last updated before `before`; returns how many.
    fn end_sessions_before(&self, before: Timestamp) -> Result<u64, StoreError>;

    /// Stores a reminder, with an id of the store's choosing (`reminder.id`
    /// is ignored). A chat has at most one pending reminder per requested
    /// day: if it already has one, that one is kept and this one is not
    /// stored. Returns the pending reminder's id, and whether it is the new
    /// one.
    fn add_reminder(&self, reminder: &Reminder) -> Result<(i64, bool), StoreError>;
    /// A chat's pending reminders, soonest first.
    fn reminders_for(&self, chat: i64) -> Result<Vec<Reminder>, StoreError>;
    /// Deletes reminder `id` if it belongs to `chat`; whether it did.
    fn cancel_reminder(&self, chat: i64, id: i64) -> Result<bool, StoreError>;
    /// Every pending reminder due at `now` (`remind_at <= now`), soonest
    /// first, those past their deadline included.
    fn due_reminders(&self, now: Timestamp) -> Result<Vec<Reminder>, StoreError>;
    /// When the soonest pending reminder is due; `None` if there is none.
    fn next_reminder_at(&self) -> Result<Option<Timestamp>, StoreError>;
    /// Deletes reminder `id` (sent or dropped); nothing if it is gone.
    fn remove_reminder(&self, id: i64) -> Result<(), StoreError>;
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is missing, unreadable, not a database or damaged. Never
    /// repaired or replaced automatically.
    #[error("cannot use the store {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    /// The file was made by a newer faqbot.
    #[error(
        "the store {} has schema version {found}, newer than this faqbot knows ({known}); use a newer faqbot",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A read or write failed (disk full, locked for too long, I/O error).
    #[error("store: {0}")]
    Backend(String),
}
