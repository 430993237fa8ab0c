//! [`Recorder`]: the bot's way into the store. Handlers hand it records and
//! go on answering; a thread of its own writes them in batches (one
//! transaction each), retrying while the store is unavailable and logging
//! the trouble at most once a minute.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::{Forgotten, Record, Store, StoreError, UserKey};

/// Records written in one transaction at most.
const MAX_BATCH: usize = 1_000;

/// Records waiting at most; beyond this (a store down for a long time)
/// new records are dropped, and counted in the log.
const MAX_PENDING: usize = 100_000;

/// Trouble is logged at most this often.
const LOG_EVERY: Duration = Duration::from_secs(60);

/// The longest wait between retries while the store fails.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

enum Job {
    Record(Record, Option<oneshot::Sender<bool>>),
    Forget(UserKey, oneshot::Sender<Result<Forgotten, String>>),
    /// Answered once everything queued before it is written (or given up).
    Barrier(oneshot::Sender<bool>),
}

/// Writes records in the background. Cloning shares the same writer; when
/// the last clone is dropped (or on [`Recorder::close`]) the writer writes
/// what is queued and stops.
#[derive(Clone, Debug)]
pub struct Recorder {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    dropped: Mutex<Throttled>,
    shared: Arc<Shared>,
}

/// What the writer thread shares with the handles.
#[derive(Debug, Default)]
struct Shared {
    pending: AtomicUsize,
    closing: AtomicBool,
}

impl Recorder {
    /// Starts the writer thread over `store`.
    pub fn start(store: Arc<dyn Store>) -> std::io::Result<Recorder> {
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared::default());
        let writer = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("faqbot-store".into())
            .spawn(move || write_loop(&*store, rx, &writer))?;
        let inner = Arc::new(Inner {
            jobs: Mutex::new(Some(tx)),
            thread: Mutex::new(None),
            dropped: Mutex::new(Throttled::default()),
            shared,
        });
        *inner.thread.lock().unwrap_or_else(|p| p.into_inner()) = Some(thread);
        Ok(Recorder { inner })
    }

    /// Queues a record; returns at once.
    pub fn record(&self, record: Record) {
        self.send(Job::Record(record, None));
    }

    /// Queues a record; the returned future says whether it was committed
    /// (`false` if it was dropped, or the store is closing). It may wait
    /// while the store is unavailable: callers bound it with a timeout.
    pub fn record_committed(&self, record: Record) -> impl Future<Output = bool> + use<> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Record(record, Some(tx)));
        async move { rx.await.unwrap_or(false) }
    }

    /// Deletes everything stored about `user`, after the records queued
    /// before it are written.
    pub async fn forget(&self, user: UserKey) -> Result<Forgotten, StoreError> {
        let (tx, rx) = oneshot::channel();
        if !self.send(Job::Forget(user, tx)) {
            return Err(StoreError::Backend("the store is closed".into()));
        }
        match rx.await {
            Ok(result) => result.map_err(StoreError::Backend),
            Err(_) => Err(StoreError::Backend("the store is closed".into())),
        }
    }

    /// Waits until every record queued before this call is written; `false`
    /// if some could not be. Reports call it so that they include
    /// everything that happened before they were asked for.
    pub async fn written(&self) -> bool {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Barrier(tx)) && rx.await.unwrap_or(false)
    }

    /// Records queued and not yet written.
    pub fn pending(&self) -> usize {
        self.inner.shared.pending.load(Ordering::Relaxed)
    }

    /// Writes what is queued and stops the writer. Waits while the store
    /// answers; a store that keeps failing gets one last try.
    pub async fn close(&self) {
        self.inner.shared.closing.store(true, Ordering::Relaxed);
        drop(
            self.inner
                .jobs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
        );
        let thread = self
            .inner
            .thread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }

    fn send(&self, job: Job) -> bool {
        let jobs = self.inner.jobs.lock().unwrap_or_else(|p| p.into_inner());
        let Some(jobs) = jobs.as_ref() else {
            return false;
        };
        if matches!(job, Job::Record(..))
            && self.inner.shared.pending.load(Ordering::Relaxed) >= MAX_PENDING
        {
            let mut dropped = self.inner.dropped.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = dropped.hit() {
                tracing::error!(
                    dropped = n,
                    "the store is far behind; dropping new records until it catches up"
                );
            }
            return false;
        }
        self.inner.shared.pending.fetch_add(1, Ordering::Relaxed);
        jobs.send(job).is_ok()
    }
}

/// Counts events and says when to log them: at most once per [`LOG_EVERY`].
#[derive(Debug, Default)]
struct Throttled {
    last: Option<Instant>,
    since_last: u64,
}

impl Throttled {
    /// Counts one event; `Some(events since the last log)` when it is time
    /// to log.
    fn hit(&mut self) -> Option<u64> {
        self.since_last += 1;
        let due = self.last.is_none_or(|t| t.elapsed() >= LOG_EVERY);
        due.then(|| {
            self.last = Some(Instant::now());
            std::mem::take(&mut self.since_last)
        })
    }
}

fn write_loop(store: &dyn Store, jobs: mpsc::Receiver<Job>, inner: &Shared) {
    let mut failures = Throttled::default();
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut records = Vec::new();
        let mut acks = Vec::new();
        for job in batch {
            match job {
                Job::Record(record, ack) => {
                    records.push(record);
                    acks.extend(ack);
                }
                Job::Forget(user, reply) => {
                    // Earlier records first, so nothing of this user's is
                    // written after it is forgotten.
                    let _ = flush(store, &mut records, &mut acks, inner, &mut failures);
                    let result = store.forget(&user).map_err(|e| e.to_string());
                    let _ = reply.send(result);
                }
                Job::Barrier(reply) => {
                    let written = flush(store, &mut records, &mut acks, inner, &mut failures);
                    let _ = reply.send(written);
                }
            }
        }
        let _ = flush(store, &mut records, &mut acks, inner, &mut failures);
    }
}

/// Writes `records` in one transaction, retrying with backoff while the
/// store fails and the recorder is open; then answers the acks. Returns
/// whether they were written.
fn flush(
    store: &dyn Store,
    records: &mut Vec<Record>,
    acks: &mut Vec<oneshot::Sender<bool>>,
    inner: &Shared,
    failures: &mut Throttled,
) -> bool {
    if records.is_empty() {
        return true;
    }
    let mut backoff = Duration::from_millis(100);
    let committed = loop {
        match store.write(records) {
            Ok(()) => break true,
            Err(err) => {
                if let Some(n) = failures.hit() {
                    tracing::error!(
                        failures = n,
                        waiting = records.len() + inner.pending.load(Ordering::Relaxed),
                        "cannot write to the store, still answering and retrying: {err}"
                    );
                }
                if inner.closing.load(Ordering::Relaxed) {
                    tracing::error!(lost = records.len(), "store closed with unwritten records");
                    break false;
                }
                sleep_unless_closing(backoff, inner);
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    };
    inner.pending.fetch_sub(records.len(), Ordering::Relaxed);
    records.clear();
    for ack in acks.drain(..) {
        let _ = ack.send(committed);
    }
    committed
}

fn sleep_unless_closing(total: Duration, inner: &Shared) {
    let until = Instant::now() + total;
    while Instant::now() < until && !inner.closing.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50).min(total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::matcher::Outcome;
    use crate::store::{Counter, Counters, Decision, EntryFeedback, Pruned, Salt, SignatureGroup};
    use crate::store::{Reminder, Session, SqliteStore, Timestamp};

    /// A store that fails its first `failures` writes.
    #[derive(Debug)]
    struct Flaky {
        inner: SqliteStore,
        failures: AtomicUsize,
    }

    impl Store for Flaky {
        fn salt(&self) -> Salt {
            self.inner.salt()
        }
        fn write(&self, records: &[Record]) -> Result<(), StoreError> {
            if self
                .failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(StoreError::Backend("database is locked".into()));
            }
            self.inner.write(records)
        }
        fn languages(&self) -> Result<Vec<(UserKey, Lang)>, StoreError> {
            self.inner.languages()
        }
        fn counters(&self) -> Result<Counters, StoreError> {
            self.inner.counters()
        }
        fn unanswered(&self, since: Timestamp) -> Result<Vec<SignatureGroup>, StoreError> {
            self.inner.unanswered(since)
        }
        fn feedback(&self, since: Timestamp) -> Result<Vec<EntryFeedback>, StoreError> {
            self.inner.feedback(since)
        }
        fn decide(&self, s: &[String], d: &Decision, at: Timestamp) -> Result<(), StoreError> {
            self.inner.decide(s, d, at)
        }
        fn forget(&self, user: &UserKey) -> Result<Forgotten, StoreError> {
            self.inner.forget(user)
        }
        fn prune(&self, before: Timestamp) -> Result<Pruned, StoreError> {
            self.inner.prune(before)
        }
        fn sessions(&self, since: Timestamp) -> Result<Vec<Session>, StoreError> {
            self.inner.sessions(since)
        }
        fn end_sessions_before(&self, before: Timestamp) -> Result<u64, StoreError> {
            self.inner.end_sessions_before(before)
        }
        fn add_reminder(&self, reminder: &Reminder) -> Result<(i64, bool), StoreError> {
            self.inner.add_reminder(reminder)
        }
        fn reminders_for(&self, chat: i64) -> Result<Vec<Reminder>, StoreError> {
            self.inner.reminders_for(chat)
        }
        fn cancel_reminder(&self, chat: i64, id: i64) -> Result<bool, StoreError> {
            self.inner.cancel_reminder(chat, id)
        }
        fn due_reminders(&self, now: Timestamp) -> Result<Vec<Reminder>, StoreError> {
            self.inner.due_reminders(now)
        }
        fn next_reminder_at(&self) -> Result<Option<Timestamp>, StoreError> {
            self.inner.next_reminder_at()
        }
        fn remove_reminder(&self, id: i64) -> Result<(), StoreError> {
            self.inner.remove_reminder(id)
        }
    }

    fn answered() -> Record {
        Record::Count {
            counter: Counter::Outcome(Outcome::Answer),
            by: 1,
        }
    }

    #[test]
    fn trouble_is_logged_at_most_once_a_minute_with_a_count() {
        let mut t = Throttled::default();
        assert_eq!(t.hit(), Some(1));
        assert_eq!(t.hit(), None);
        assert_eq!(t.hit(), None);
        t.last = Some(Instant::now() - LOG_EVERY);
        assert_eq!(t.hit(), Some(3), "the events since the last line");
    }

    #[tokio::test]
    async fn records_survive_a_store_that_fails_for_a_while() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Flaky {
            inner: SqliteStore::open(&dir.path().join("s.sqlite3")).unwrap(),
            failures: AtomicUsize::new(3),
        });
        let recorder = Recorder::start(store.clone()).unwrap();
        for _ in 0..10 {
            recorder.record(answered());
        }
        assert!(recorder.record_committed(answered()).await);
        assert_eq!(store.counters().unwrap().answered, 11);
        assert_eq!(recorder.pending(), 0);
        recorder.close().await;
    }

    #[tokio::test]
    async fn forget_comes_after_the_records_queued_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("s.sqlite3")).unwrap());
        let recorder = Recorder::start(store.clone()).unwrap();
        let user = crate::store::Pseudonyms::new(store.salt()).user(7);
        recorder.record(Record::Language {
            user: user.clone(),
            lang: Lang::En,
        });
        let forgotten = recorder.forget(user).await.unwrap();
        assert!(forgotten.language);
        assert!(store.languages().unwrap().is_empty());
        recorder.close().await;
    }

    #[tokio::test]
    async fn sessions_are_written_in_order_and_forgotten_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("s.sqlite3")).unwrap());
        let recorder = Recorder::start(store.clone()).unwrap();
        let p = crate::store::Pseudonyms::new(store.salt());
        let (user, chat) = (p.user(7), p.chat(7));
        let session = |state: &str| {
            Record::Session(Session {
                chat: chat.clone(),
                user: user.clone(),
                state: state.into(),
                updated_at: 10,
            })
        };
        recorder.record(session("{\"step\":1}"));
        recorder.record(Record::EndSession { chat: chat.clone() });
        recorder.record(session("{\"step\":2}"));
        assert!(recorder.written().await);
        let sessions = store.sessions(0).unwrap();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].state, "{\"step\":2}");

        recorder.record(session("{\"step\":3}"));
        let forgotten = recorder.forget(user).await.unwrap();
        assert_eq!(forgotten.sessions, 1, "the queued update, then forgotten");
        assert!(store.sessions(0).unwrap().is_empty());
        recorder.close().await;
    }

    #[test]
    fn dropping_the_last_handle_writes_what_is_queued() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("s.sqlite3")).unwrap());
        let recorder = Recorder::start(store.clone()).unwrap();
        let thread = recorder.inner.thread.lock().unwrap().take().unwrap();
        for _ in 0..100 {
            recorder.clone().record(answered());
        }
        drop(recorder);
        thread.join().unwrap();
        assert_eq!(store.counters().unwrap().answered, 100);
    }

    #[tokio::test]
    async fn close_writes_everything_queued() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("s.sqlite3")).unwrap());
        let recorder = Recorder::start(store.clone()).unwrap();
        for _ in 0..5_000 {
            recorder.record(answered());
        }
        recorder.close().await;
        assert_eq!(store.counters().unwrap().answered, 5_000);
        assert!(!recorder.record_committed(answered()).await, "closed");
    }
}
