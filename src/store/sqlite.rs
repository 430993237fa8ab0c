//! The SQLite store: one file, WAL mode (the bot writes while `faqbot
//! report` reads), schema migrations versioned in [`MIGRATIONS`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

use super::{
    ChatKey, Counter, Counters, Decision, EntryFeedback, Forgotten, Pruned, Record, Reminder, Salt,
    Session, SignatureGroup, Store, StoreError, Timestamp, UserKey,
};
use crate::Lang;
use crate::matcher::{Candidate, Outcome};

/// One step of [`MIGRATIONS`].
enum Migration {
    /// A schema change.
    Sql(&'static str),
    /// A change to what is stored that SQL cannot express.
    Data(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

/// The schema, one step per version: `MIGRATIONS[i]` takes a store from
/// version `i` to `i + 1` (`PRAGMA user_version`). Append only.
const MIGRATIONS: &[Migration] = &[
    // 1: the first schema.
    Migration::Sql(
        "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user TEXT NOT NULL,
        lang TEXT NOT NULL,
        outcome TEXT NOT NULL,
        text TEXT NOT NULL,
        signature TEXT NOT NULL,
        candidates TEXT NOT NULL
    );
    CREATE INDEX questions_at ON questions (at);
    CREATE INDEX questions_signature ON questions (signature, at);
    CREATE INDEX questions_user ON questions (user);
    CREATE TABLE decisions (
        signature TEXT PRIMARY KEY,
        decision TEXT NOT NULL,
        entry TEXT,
        at INTEGER NOT NULL
    );
    CREATE TABLE votes (
        user TEXT NOT NULL,
        message TEXT NOT NULL,
        entry TEXT NOT NULL,
        lang TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (user, message)
    );
    CREATE INDEX votes_at ON votes (at);
    CREATE TABLE mismatches (
        user TEXT NOT NULL,
        message TEXT NOT NULL,
        entry TEXT NOT NULL,
        lang TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (user, message)
    );
    CREATE INDEX mismatches_at ON mismatches (at);
    CREATE TABLE languages (user TEXT PRIMARY KEY, lang TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    ",
    ),
    // 2: the guided help's conversations in progress and reminders. Dates
    // are 'YYYY-MM-DD'. The unique (chat, requested) index also serves
    // lookups by chat. AUTOINCREMENT: a reminder id is never reused, so a
    // stale "cancel" button cannot cancel a later reminder.
    Migration::Sql(
        "
    CREATE TABLE sessions (
        chat TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_updated_at ON sessions (updated_at);
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat INTEGER NOT NULL,
        user TEXT NOT NULL,
        lang TEXT NOT NULL,
        requested TEXT NOT NULL,
        last_day TEXT NOT NULL,
        remind_at INTEGER NOT NULL,
        deadline INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX reminders_remind_at ON reminders (remind_at);
    CREATE UNIQUE INDEX reminders_chat_requested ON reminders (chat, requested);
    ",
    ),
    // 3: the questions already stored, and the signatures decided on,
    // masked as new ones are (crate::privacy).
    Migration::Data(mask_questions),
];

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A store in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    salt: Salt,
    /// Writes go through one connection and reads through another, so that
    /// a report never waits for a batch of records (WAL readers do not block
    /// the writer).
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens the store at `path`, creating it (and its folder) on first use,
    /// and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| open_error(path, e))?;
        }
        SqliteStore::open_with(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens an existing store; a missing file is an error (for the
    /// command-line reports, which must not create an empty store).
    pub fn open_existing(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: "no such file (faqbot serve creates it on first start; see store.path)"
                    .into(),
            });
        }
        SqliteStore::open_with(path, OpenFlags::empty())
    }

    fn open_with(path: &Path, extra: OpenFlags) -> Result<SqliteStore, StoreError> {
        let connect = || -> Result<Connection, StoreError> {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI
                | extra;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
            conn.busy_timeout(BUSY_TIMEOUT)
                .map_err(|e| open_error(path, e))?;
            // WAL: readers and one writer at once; NORMAL sync: a commit
            // survives the process being killed (not a power cut), at a
            // fraction of FULL's fsyncs.
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| open_error(path, e))?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(|e| open_error(path, e))?;
            Ok(conn)
        };
        let mut writer = connect()?;
        check_integrity(&writer, path)?;
        migrate(&mut writer, path)?;
        let salt = load_salt(&writer).map_err(|e| open_error(path, e))?;
        let reader = connect()?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            salt,
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA integrity_check`: `Ok` when the file is sound, else the
    /// problems SQLite found.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        check_integrity(&lock(&self.reader), &self.path)
    }

    fn write_batch(&self, records: &[Record]) -> rusqlite::Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        {
            let mut question = tx.prepare_cached(
                "INSERT INTO questions (at, user, lang, outcome, text, signature, candidates)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut vote = tx.prepare_cached(
                "INSERT INTO votes (user, message, entry, lang, helpful, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user, message) DO UPDATE SET
                   entry = excluded.entry, lang = excluded.lang,
                   helpful = excluded.helpful, at = excluded.at",
            )?;
            let mut mismatch = tx.prepare_cached(
                "INSERT INTO mismatches (user, message, entry, lang, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user, message) DO NOTHING",
            )?;
            let mut language = tx.prepare_cached(
                "INSERT INTO languages (user, lang, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user) DO UPDATE SET lang = excluded.lang, at = excluded.at",
            )?;
            let mut count = tx.prepare_cached(
                "INSERT INTO counters (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
            )?;
            let mut session = tx.prepare_cached(
                "INSERT INTO sessions (chat, user, state, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (chat) DO UPDATE SET
                   user = excluded.user, state = excluded.state,
                   updated_at = excluded.updated_at",
            )?;
            let mut end_session = tx.prepare_cached("DELETE FROM sessions WHERE chat = ?1")?;
            let now = super::now();
            let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
            for record in records {
                match record {
                    Record::Question(q) => {
                        question.execute(params![
                            q.at,
                            q.user.0,
                            q.lang.code(),
                            q.outcome.to_string(),
                            q.text,
                            q.signature,
                            encode_candidates(&q.candidates),
                        ])?;
                    }
                    Record::Vote(v) => {
                        vote.execute(params![
                            v.user.0,
                            v.message,
                            v.entry,
                            v.lang.code(),
                            v.helpful,
                            v.at
                        ])?;
                    }
                    Record::Mismatch(m) => {
                        mismatch.execute(params![
                            m.user.0,
                            m.message,
                            m.entry,
                            m.lang.code(),
                            m.at
                        ])?;
                    }
                    Record::Language { user, lang } => {
                        language.execute(params![user.0, lang.code(), now])?;
                    }
                    Record::Count { counter, by } => {
                        *counts.entry(counter.name()).or_default() += *by as i64;
                    }
                    // In order with the batch's other session records, so
                    // that the last one for a chat wins.
                    Record::Session(s) => {
                        session.execute(params![s.chat.0, s.user.0, s.state, s.updated_at])?;
                    }
                    Record::EndSession { chat } => {
                        end_session.execute([&chat.0])?;
                    }
                }
            }
            // One update per counter and batch, however often it was hit.
            for (name, by) in counts {
                count.execute(params![name, by])?;
            }
        }
        tx.commit()
    }
}

impl Store for SqliteStore {
    fn salt(&self) -> Salt {
        self.salt
    }

    fn write(&self, records: &[Record]) -> Result<(), StoreError> {
        self.write_batch(records).map_err(backend)
    }

    fn languages(&self) -> Result<Vec<(UserKey, Lang)>, StoreError> {
        let conn = lock(&self.reader);
        let mut stmt = conn
            .prepare("SELECT user, lang FROM languages")
            .map_err(backend)?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(backend)?;
        let mut langs = Vec::new();
        for row in rows {
            let (user, lang) = row.map_err(backend)?;
            // A language this faqbot does not know is skipped, not fatal.
            if let Ok(lang) = lang.parse() {
                langs.push((UserKey(user), lang));
            }
        }
        Ok(langs)
    }

    fn counters(&self) -> Result<Counters, StoreError> {
        let conn = lock(&self.reader);
        let mut stmt = conn
            .prepare("SELECT name, value FROM counters")
            .map_err(backend)?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(backend)?;
        let mut counters = Counters::default();
        for row in rows {
            let (name, value) = row.map_err(backend)?;
            let value = value.max(0) as u64;
            let outcome = |o: Outcome| Counter::Outcome(o).name();
            if name == outcome(Outcome::Answer) {
                counters.answered = value;
            } else if name == outcome(Outcome::Clarify) {
                counters.clarified = value;
            } else if name == outcome(Outcome::Fallback) {
                counters.fallbacks = value;
            } else if let Some(id) = name.strip_prefix("topic:") {
                counters.topics.push((id.to_string(), value));
            } else {
                use super::Guided;
                let guided = |g: Guided| Counter::Guided(g).name();
                let field = match name {
                    n if n == guided(Guided::ChecklistStarted) => &mut counters.checklists_started,
                    n if n == guided(Guided::ChecklistFinished) => {
                        &mut counters.checklists_finished
                    }
                    n if n == guided(Guided::Dates) => &mut counters.dates,
                    n if n == guided(Guided::ReminderSet) => &mut counters.reminders_set,
                    n if n == guided(Guided::ReminderSent) => &mut counters.reminders_sent,
                    _ => continue,
                };
                *field = value;
            }
        }
        counters
            .topics
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(counters)
    }

    fn unanswered(&self, since: Timestamp) -> Result<Vec<SignatureGroup>, StoreError> {
        let conn = lock(&self.reader);
        // With one max() aggregate, SQLite takes the bare columns (at, lang,
        // text, candidates) from that row: the latest written of each group.
        let mut stmt = conn
            .prepare_cached(
                "SELECT signature, count(*), count(DISTINCT user), max(id), at, lang, text, candidates
                 FROM questions
                 WHERE at >= ?1
                   AND signature NOT IN (SELECT signature FROM decisions)
                 GROUP BY signature",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map([since], |row| {
                Ok(SignatureGroup {
                    signature: row.get(0)?,
                    count: row.get::<_, i64>(1)? as u64,
                    users: row.get::<_, i64>(2)? as u64,
                    last_at: row.get(4)?,
                    lang: row.get::<_, String>(5)?.parse().unwrap_or(crate::Lang::En),
                    example: row.get(6)?,
                    candidates: decode_candidates(&row.get::<_, String>(7)?),
                })
            })
            .map_err(backend)?;
        rows.collect::<rusqlite::Result<_>>().map_err(backend)
    }

    fn feedback(&self, since: Timestamp) -> Result<Vec<EntryFeedback>, StoreError> {
        let conn = lock(&self.reader);
        let mut by_entry: std::collections::BTreeMap<String, EntryFeedback> = Default::default();
        let mut votes = conn
            .prepare_cached(
                "SELECT entry, sum(helpful != 0), sum(helpful = 0) FROM votes
                 WHERE at >= ?1 GROUP BY entry",
            )
            .map_err(backend)?;
        let rows = votes
            .query_map([since], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })
            .map_err(backend)?;
        for row in rows {
            let (entry, up, down) = row.map_err(backend)?;
            let e = by_entry.entry(entry.clone()).or_default();
            e.entry = entry;
            e.helpful = up as u64;
            e.unhelpful = down as u64;
        }
        let mut mismatches = conn
            .prepare_cached("SELECT entry, count(*) FROM mismatches WHERE at >= ?1 GROUP BY entry")
            .map_err(backend)?;
        let rows = mismatches
            .query_map([since], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(backend)?;
        for row in rows {
            let (entry, n) = row.map_err(backend)?;
            let e = by_entry.entry(entry.clone()).or_default();
            e.entry = entry;
            e.mismatches = n as u64;
        }
        Ok(by_entry.into_values().collect())
    }

    fn decide(
        &self,
        signatures: &[String],
        decision: &Decision,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (name, entry) = match decision {
            Decision::Added { entry } => ("added", Some(entry.as_str())),
            Decision::Ignored => ("ignored", None),
        };
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().map_err(backend)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO decisions (signature, decision, entry, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (signature) DO UPDATE SET
                       decision = excluded.decision, entry = excluded.entry, at = excluded.at",
                )
                .map_err(backend)?;
            for signature in signatures {
                stmt.execute(params![signature, name, entry, at])
                    .map_err(backend)?;
            }
        }
        tx.commit().map_err(backend)
    }

    fn forget(&self, user: &UserKey) -> Result<Forgotten, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().map_err(backend)?;
        let delete = |table: &str| -> Result<u64, StoreError> {
            tx.execute(&format!("DELETE FROM {table} WHERE user = ?1"), [&user.0])
                .map(|n| n as u64)
                .map_err(backend)
        };
        let forgotten = Forgotten {
            language: delete("languages")? > 0,
            votes: delete("votes")?,
            mismatches: delete("mismatches")?,
            questions: delete("questions")?,
            sessions: delete("sessions")?,
            reminders: delete("reminders")?,
        };
        tx.commit().map_err(backend)?;
        Ok(forgotten)
    }

    fn prune(&self, before: Timestamp) -> Result<Pruned, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().map_err(backend)?;
        let delete = |table: &str| -> Result<u64, StoreError> {
            tx.execute(&format!("DELETE FROM {table} WHERE at < ?1"), [before])
                .map(|n| n as u64)
                .map_err(backend)
        };
        let pruned = Pruned {
            questions: delete("questions")?,
            votes: delete("votes")?,
            mismatches: delete("mismatches")?,
        };
        tx.commit().map_err(backend)?;
        Ok(pruned)
    }

    fn sessions(&self, since: Timestamp) -> Result<Vec<Session>, StoreError> {
        let conn = lock(&self.reader);
        let mut stmt = conn
            .prepare_cached(
                "SELECT chat, user, state, updated_at FROM sessions WHERE updated_at >= ?1
                 ORDER BY updated_at, chat",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map([since], |row| {
                Ok(Session {
                    chat: ChatKey(row.get(0)?),
                    user: UserKey(row.get(1)?),
                    state: row.get(2)?,
                    updated_at: row.get(3)?,
                })
            })
            .map_err(backend)?;
        rows.collect::<rusqlite::Result<_>>().map_err(backend)
    }

    fn end_sessions_before(&self, before: Timestamp) -> Result<u64, StoreError> {
        lock(&self.writer)
            .execute("DELETE FROM sessions WHERE updated_at < ?1", [before])
            .map(|n| n as u64)
            .map_err(backend)
    }

    fn add_reminder(&self, r: &Reminder) -> Result<(i64, bool), StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().map_err(backend)?;
        let inserted = tx
            .execute(
                "INSERT INTO reminders
                   (chat, user, lang, requested, last_day, remind_at, deadline, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (chat, requested) DO NOTHING",
                params![
                    r.chat,
                    r.user.0,
                    r.lang.code(),
                    r.requested.to_string(),
                    r.last_day.to_string(),
                    r.remind_at,
                    r.deadline,
                    r.created_at,
                ],
            )
            .map_err(backend)?
            > 0;
        let id = if inserted {
            tx.last_insert_rowid()
        } else {
            tx.query_row(
                "SELECT id FROM reminders WHERE chat = ?1 AND requested = ?2",
                params![r.chat, r.requested.to_string()],
                |row| row.get(0),
            )
            .map_err(backend)?
        };
        tx.commit().map_err(backend)?;
        Ok((id, inserted))
    }

    fn reminders_for(&self, chat: i64) -> Result<Vec<Reminder>, StoreError> {
        self.reminders_where("chat = ?1", chat)
    }

    fn cancel_reminder(&self, chat: i64, id: i64) -> Result<bool, StoreError> {
        lock(&self.writer)
            .execute(
                "DELETE FROM reminders WHERE id = ?1 AND chat = ?2",
                [id, chat],
            )
            .map(|n| n > 0)
            .map_err(backend)
    }

    fn due_reminders(&self, now: Timestamp) -> Result<Vec<Reminder>, StoreError> {
        self.reminders_where("remind_at <= ?1", now)
    }

    fn next_reminder_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let conn = lock(&self.reader);
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {REMINDER_COLUMNS} FROM reminders ORDER BY remind_at, id"
            ))
            .map_err(backend)?;
        let mut rows = stmt.query([]).map_err(backend)?;
        // The soonest that can be read: one that cannot is never due (see
        // `read_reminder`), so waking for it would only wake again.
        while let Some(row) = rows.next().map_err(backend)? {
            if let Some(reminder) = read_reminder(row).map_err(backend)? {
                return Ok(Some(reminder.remind_at));
            }
        }
        Ok(None)
    }

    fn remove_reminder(&self, id: i64) -> Result<(), StoreError> {
        lock(&self.writer)
            .execute("DELETE FROM reminders WHERE id = ?1", [id])
            .map(drop)
            .map_err(backend)
    }
}

/// A reminder's columns, in the order [`read_reminder`] reads them.
const REMINDER_COLUMNS: &str =
    "id, chat, user, lang, requested, last_day, remind_at, deadline, created_at";

impl SqliteStore {
    /// The reminders matching `condition` (with one parameter, `?1`),
    /// soonest first.
    fn reminders_where(&self, condition: &str, param: i64) -> Result<Vec<Reminder>, StoreError> {
        let conn = lock(&self.reader);
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {REMINDER_COLUMNS} FROM reminders WHERE {condition}
                 ORDER BY remind_at, id"
            ))
            .map_err(backend)?;
        let mut rows = stmt.query([param]).map_err(backend)?;
        let mut reminders = Vec::new();
        while let Some(row) = rows.next().map_err(backend)? {
            reminders.extend(read_reminder(row).map_err(backend)?);
        }
        Ok(reminders)
    }
}

/// One row of [`REMINDER_COLUMNS`]; `None` (and a warning) if its language
/// or a date cannot be read, which only a hand-edited file has. Such a row
/// is left in place, for `/forget` or whoever edited it.
fn read_reminder(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Reminder>> {
    let id: i64 = row.get(0)?;
    let lang: String = row.get(3)?;
    let requested: String = row.get(4)?;
    let last_day: String = row.get(5)?;
    let (Ok(lang), Ok(requested_date), Ok(last_day_date)) = (
        lang.parse::<Lang>(),
        requested.parse::<jiff::civil::Date>(),
        last_day.parse::<jiff::civil::Date>(),
    ) else {
        tracing::warn!(
            reminder = id,
            lang,
            requested,
            last_day,
            "skipping a reminder that cannot be read"
        );
        return Ok(None);
    };
    Ok(Some(Reminder {
        id,
        chat: row.get(1)?,
        user: UserKey(row.get(2)?),
        lang,
        requested: requested_date,
        last_day: last_day_date,
        remind_at: row.get(6)?,
        deadline: row.get(7)?,
        created_at: row.get(8)?,
    }))
}

/// A poisoned lock only means another thread panicked mid-statement; the
/// connection itself is still usable (SQLite rolls back the transaction).
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|p| p.into_inner())
}

fn open_error(path: &Path, err: impl std::fmt::Display) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

fn backend(err: rusqlite::Error) -> StoreError {
    StoreError::Backend(err.to_string())
}

fn check_integrity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| open_error(path, e))?;
    let problems: Vec<String> = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| open_error(path, e))?;
    if problems == ["ok"] {
        Ok(())
    } else {
        Err(open_error(
            path,
            format!("the database is damaged: {}", problems.join("; ")),
        ))
    }
}

/// Brings the schema up to [`MIGRATIONS`]' version, each step in its own
/// transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| open_error(path, e))?;
    if version > known {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    for (step, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(|e| open_error(path, e))?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql),
            Migration::Data(change) => change(&tx),
        }
        .and_then(|()| tx.pragma_update(None, "user_version", step as i64 + 1))
        .and_then(|()| tx.commit())
        .map_err(|e| open_error(path, format!("migration to version {}: {e}", step + 1)))?;
    }
    Ok(())
}

/// Masks the text and signature of every stored question, and every
/// decided signature, as [`crate::report::unanswered_question`] masks a new
/// question.
fn mask_questions(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let questions: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, text, signature FROM questions")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE questions SET text = ?1, signature = ?2 WHERE id = ?3")?;
    let mut renamed = std::collections::HashMap::new();
    for (id, text, signature) in questions {
        let (masked, masked_signature) = crate::report::mask_stored(&text, &signature);
        if (&masked, &masked_signature) != (&text, &signature) {
            update.execute(params![masked, masked_signature, id])?;
        }
        renamed.insert(signature, masked_signature);
    }
    let decided: Vec<String> = tx
        .prepare("SELECT signature FROM decisions")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Two decisions may come to the same signature: the one renamed last
    // is kept.
    let mut rename =
        tx.prepare("UPDATE OR REPLACE decisions SET signature = ?1 WHERE signature = ?2")?;
    for signature in decided {
        let masked = renamed
            .get(&signature)
            .cloned()
            .unwrap_or_else(|| crate::report::mask_stored_signature(&signature));
        if masked != signature {
            rename.execute(params![masked, signature])?;
        }
    }
    Ok(())
}

/// The store's salt, made on first use.
fn load_salt(conn: &Connection) -> Result<Salt, String> {
    let existing: Option<Vec<u8>> = conn
        .query_row("SELECT value FROM meta WHERE key = 'salt'", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(|e| e.to_string())?;
    if let Some(bytes) = existing {
        return bytes
            .try_into()
            .map_err(|_| "the stored salt is not 16 bytes".to_string());
    }
    let mut salt = Salt::default();
    getrandom::fill(&mut salt).map_err(|e| format!("cannot make a salt: {e}"))?;
    // Another process may have made one meanwhile: keep whichever is stored.
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('salt', ?1) ON CONFLICT (key) DO NOTHING",
        [&salt[..]],
    )
    .map_err(|e| e.to_string())?;
    let stored: Vec<u8> = conn
        .query_row("SELECT value FROM meta WHERE key = 'salt'", [], |row| {
            row.get(0)
        })
        .map_err(|e| e.to_string())?;
    stored
        .try_into()
        .map_err(|_| "the stored salt is not 16 bytes".to_string())
}

/// Candidates as `id score` pairs separated by `,` (ids have no spaces or
/// commas).
fn encode_candidates(candidates: &[Candidate]) -> String {
    candidates
        .iter()
        .map(|c| format!("{} {:.3}", c.id, c.score))
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_candidates(text: &str) -> Vec<Candidate> {
    text.split(',')
        .filter_map(|pair| {
            let (id, score) = pair.split_once(' ')?;
            Some(Candidate {
                id: id.to_string(),
                score: score.parse().ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pseudonyms, Question, Vote};
    use jiff::civil::date;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("sub/faqbot.sqlite3")).unwrap();
        (dir, store)
    }

    fn question(user: &UserKey, text: &str, at: Timestamp) -> Record {
        Record::Question(Question {
            at,
            lang: Lang::Zh,
            outcome: Outcome::Fallback,
            text: text.into(),
            signature: format!("zh:{text}"),
            candidates: vec![
                Candidate {
                    id: "overview".into(),
                    score: 0.25,
                },
                Candidate {
                    id: "undo-deletion".into(),
                    score: 0.125,
                },
            ],
            user: user.clone(),
        })
    }

    #[test]
    fn the_salt_is_made_once_and_kept() {
        let (dir, store) = store();
        let salt = store.salt();
        drop(store);
        let again = SqliteStore::open(&dir.path().join("sub/faqbot.sqlite3")).unwrap();
        assert_eq!(again.salt(), salt);
        let (_other_dir, other) = self::store();
        assert_ne!(other.salt(), salt, "each store has its own salt");
    }

    #[test]
    fn questions_group_by_signature_with_the_latest_example() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        let (a, b) = (p.user(1), p.user(2));
        store
            .write(&[
                question(&a, "猫", 100),
                question(&a, "猫", 200),
                question(&b, "猫", 300),
                question(&a, "狗", 50),
                question(&a, "old", 5),
            ])
            .unwrap();
        let mut groups = store.unanswered(10).unwrap();
        groups.sort_by_key(|g| std::cmp::Reverse(g.count));
        assert_eq!(groups.len(), 2);
        let cat = &groups[0];
        assert_eq!(
            (cat.signature.as_str(), cat.count, cat.users, cat.last_at),
            ("zh:猫", 3, 2, 300)
        );
        assert_eq!(cat.candidates[0].id, "overview");
        assert_eq!(cat.candidates[1].score, 0.125);

        store
            .decide(&["zh:猫".into()], &Decision::Ignored, 400)
            .unwrap();
        let left: Vec<String> = store
            .unanswered(10)
            .unwrap()
            .into_iter()
            .map(|g| g.signature)
            .collect();
        assert_eq!(left, ["zh:狗"]);
    }

    #[test]
    fn a_second_vote_on_a_message_replaces_the_first() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        let vote = |user: u64, message: i32, helpful: bool| {
            Record::Vote(Vote {
                at: 10,
                user: p.user(user),
                message: p.message(user as i64, message),
                entry: "overview".into(),
                lang: Lang::En,
                helpful,
            })
        };
        store.write(&[vote(1, 7, true), vote(2, 7, true)]).unwrap();
        store.write(&[vote(1, 7, false), vote(1, 8, true)]).unwrap();
        let feedback = store.feedback(0).unwrap();
        assert_eq!(
            feedback,
            [EntryFeedback {
                entry: "overview".into(),
                helpful: 2,
                unhelpful: 1,
                mismatches: 0,
            }]
        );
    }

    #[test]
    fn counters_add_up_across_batches() {
        let (_dir, store) = store();
        let count = |counter, by| Record::Count { counter, by };
        store
            .write(&[
                count(Counter::Outcome(Outcome::Answer), 2),
                count(Counter::Topic("b".into()), 1),
                count(Counter::Outcome(Outcome::Fallback), 1),
            ])
            .unwrap();
        store
            .write(&[
                count(Counter::Outcome(Outcome::Answer), 1),
                count(Counter::Topic("a".into()), 3),
            ])
            .unwrap();
        let c = store.counters().unwrap();
        assert_eq!((c.answered, c.clarified, c.fallbacks), (3, 0, 1));
        assert_eq!(c.topics, [("a".to_string(), 3), ("b".to_string(), 1)]);
    }

    #[test]
    fn forget_and_prune_delete_only_what_they_should() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        let (a, b) = (p.user(1), p.user(2));
        store
            .write(&[
                question(&a, "x", 100),
                question(&b, "y", 100),
                question(&b, "z", 10),
                Record::Language {
                    user: a.clone(),
                    lang: Lang::En,
                },
                Record::Language {
                    user: b.clone(),
                    lang: Lang::Zh,
                },
            ])
            .unwrap();
        let forgotten = store.forget(&a).unwrap();
        assert_eq!(
            forgotten,
            Forgotten {
                language: true,
                votes: 0,
                mismatches: 0,
                questions: 1,
                sessions: 0,
                reminders: 0,
            }
        );
        assert_eq!(store.languages().unwrap(), [(b.clone(), Lang::Zh)]);
        let pruned = store.prune(50).unwrap();
        assert_eq!(pruned.questions, 1);
        let left: Vec<String> = store
            .unanswered(0)
            .unwrap()
            .into_iter()
            .map(|g| g.example)
            .collect();
        assert_eq!(left, ["y"]);
    }

    fn session(p: &Pseudonyms, chat: i64, user: u64, state: &str, at: Timestamp) -> Record {
        Record::Session(Session {
            chat: p.chat(chat),
            user: p.user(user),
            state: state.into(),
            updated_at: at,
        })
    }

    fn end(p: &Pseudonyms, chat: i64) -> Record {
        Record::EndSession { chat: p.chat(chat) }
    }

    fn states(store: &SqliteStore, since: Timestamp) -> Vec<(ChatKey, String)> {
        store
            .sessions(since)
            .unwrap()
            .into_iter()
            .map(|s| (s.chat, s.state))
            .collect()
    }

    #[test]
    fn session_records_apply_in_order_within_and_across_batches() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        // Within one batch: chat 1 starts, updates and ends; chat 2 ends
        // (nothing to end) and starts.
        store
            .write(&[
                session(&p, 1, 1, "a", 10),
                session(&p, 1, 1, "b", 11),
                end(&p, 1),
                end(&p, 2),
                session(&p, 2, 2, "c", 12),
            ])
            .unwrap();
        assert_eq!(states(&store, 0), [(p.chat(2), "c".to_string())]);
        // Across batches.
        store.write(&[session(&p, 1, 1, "d", 20)]).unwrap();
        store.write(&[end(&p, 2)]).unwrap();
        store.write(&[session(&p, 1, 1, "e", 21)]).unwrap();
        let sessions = store.sessions(0).unwrap();
        assert_eq!(
            sessions,
            [Session {
                chat: p.chat(1),
                user: p.user(1),
                state: "e".into(),
                updated_at: 21,
            }]
        );
    }

    #[test]
    fn sessions_since_and_the_expiry_sweep() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        store
            .write(&[
                session(&p, 1, 1, "old", 100),
                session(&p, 2, 2, "edge", 200),
                session(&p, 3, 3, "new", 300),
            ])
            .unwrap();
        assert_eq!(
            states(&store, 200),
            [
                (p.chat(2), "edge".to_string()),
                (p.chat(3), "new".to_string())
            ],
            "updated_at >= since, oldest first"
        );
        assert_eq!(store.end_sessions_before(200).unwrap(), 1);
        assert_eq!(store.end_sessions_before(200).unwrap(), 0);
        assert_eq!(states(&store, 0).len(), 2);
        assert_eq!(store.end_sessions_before(1_000).unwrap(), 2);
        assert!(store.sessions(0).unwrap().is_empty());
    }

    fn reminder(
        p: &Pseudonyms,
        chat: i64,
        requested: jiff::civil::Date,
        at: Timestamp,
    ) -> Reminder {
        Reminder {
            id: 0,
            chat,
            user: p.user(chat as u64),
            lang: Lang::Zh,
            requested,
            last_day: requested.saturating_add(jiff::Span::new().days(30)),
            remind_at: at,
            deadline: at + 86_400,
            created_at: 1,
        }
    }

    #[test]
    fn reminders_one_per_chat_and_day_listed_soonest_first() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        assert_eq!(store.next_reminder_at().unwrap(), None);
        let late = reminder(&p, 7, date(2025, 3, 1), 3_000);
        let soon = reminder(&p, 7, date(2025, 3, 2), 1_000);
        let other = reminder(&p, -100, date(2025, 3, 1), 2_000);
        let (late_id, new) = store.add_reminder(&late).unwrap();
        assert!(new);
        let (soon_id, new) = store.add_reminder(&soon).unwrap();
        assert!(new);
        let (other_id, new) = store.add_reminder(&other).unwrap();
        assert!(new);
        assert_ne!(late_id, soon_id);

        // The same chat and day again: the first is kept.
        let again = Reminder {
            remind_at: 5,
            ..late.clone()
        };
        assert_eq!(store.add_reminder(&again).unwrap(), (late_id, false));

        let listed = store.reminders_for(7).unwrap();
        assert_eq!(
            listed,
            [
                Reminder {
                    id: soon_id,
                    ..soon.clone()
                },
                Reminder {
                    id: late_id,
                    ..late.clone()
                }
            ],
            "read back whole, soonest first"
        );
        assert_eq!(store.next_reminder_at().unwrap(), Some(1_000));
        let due = |now| -> Vec<i64> {
            store
                .due_reminders(now)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(due(999), [0_i64; 0]);
        assert_eq!(due(2_000), [soon_id, other_id], "remind_at <= now");
        assert_eq!(
            due(1_000_000),
            [soon_id, other_id, late_id],
            "past their deadline too"
        );

        assert!(
            !store.cancel_reminder(-100, soon_id).unwrap(),
            "not its chat"
        );
        assert_eq!(store.reminders_for(7).unwrap().len(), 2);
        assert!(store.cancel_reminder(7, soon_id).unwrap());
        assert!(!store.cancel_reminder(7, soon_id).unwrap(), "already gone");
        assert_eq!(store.next_reminder_at().unwrap(), Some(2_000));

        store.remove_reminder(other_id).unwrap();
        store.remove_reminder(other_id).unwrap();
        assert!(store.reminders_for(-100).unwrap().is_empty());
        assert_eq!(store.next_reminder_at().unwrap(), Some(3_000));

        // Once gone, the day can be reminded of again, under a new id.
        let (id, new) = store.add_reminder(&soon).unwrap();
        assert!(new);
        assert!(id > other_id, "ids are never reused");
    }

    #[test]
    fn a_reminder_that_cannot_be_read_is_skipped() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        let (bad, _) = store
            .add_reminder(&reminder(&p, 1, date(2025, 1, 1), 10))
            .unwrap();
        let (good, _) = store
            .add_reminder(&reminder(&p, 1, date(2025, 1, 2), 20))
            .unwrap();
        lock(&store.writer)
            .execute(
                "UPDATE reminders SET last_day = '2025-02-30' WHERE id = ?1",
                [bad],
            )
            .unwrap();
        let ids = |rs: Vec<Reminder>| rs.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(store.reminders_for(1).unwrap()), [good]);
        assert_eq!(ids(store.due_reminders(100).unwrap()), [good]);
        assert_eq!(
            store.next_reminder_at().unwrap(),
            Some(20),
            "never due, so never waited for"
        );
    }

    #[test]
    fn forget_deletes_the_users_sessions_and_reminders_only() {
        let (_dir, store) = store();
        let p = Pseudonyms::new(store.salt());
        store
            .write(&[
                session(&p, 1, 1, "mine", 10),
                session(&p, -50, 1, "mine in a group", 10),
                session(&p, 2, 2, "theirs", 10),
            ])
            .unwrap();
        store
            .add_reminder(&reminder(&p, 1, date(2025, 1, 1), 10))
            .unwrap();
        store
            .add_reminder(&reminder(&p, 1, date(2025, 1, 2), 10))
            .unwrap();
        store
            .add_reminder(&reminder(&p, 2, date(2025, 1, 1), 10))
            .unwrap();
        let forgotten = store.forget(&p.user(1)).unwrap();
        assert_eq!((forgotten.sessions, forgotten.reminders), (2, 2));
        assert_eq!(states(&store, 0), [(p.chat(2), "theirs".to_string())]);
        assert!(store.reminders_for(1).unwrap().is_empty());
        assert_eq!(store.reminders_for(2).unwrap().len(), 1);
    }

    #[test]
    fn a_version_1_store_upgrades_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite3");
        let salt = [7u8; 16];
        {
            let conn = Connection::open(&path).unwrap();
            let Migration::Sql(first) = MIGRATIONS[0] else {
                unreachable!("the first schema is SQL")
            };
            conn.execute_batch(first).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('salt', ?1)",
                [&salt[..]],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO votes (user, message, entry, lang, helpful, at)
                 VALUES ('u', 'm', 'overview', 'en', 1, 10)",
                [],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.salt(), salt);
        assert_eq!(
            store.feedback(0).unwrap(),
            [EntryFeedback {
                entry: "overview".into(),
                helpful: 1,
                unhelpful: 0,
                mismatches: 0,
            }],
            "the vote is kept"
        );
        let version: i64 = lock(&store.reader)
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let p = Pseudonyms::new(salt);
        store.write(&[session(&p, 1, 1, "s", 10)]).unwrap();
        assert_eq!(store.sessions(0).unwrap().len(), 1);
        let (id, _) = store
            .add_reminder(&reminder(&p, 1, date(2025, 1, 1), 10))
            .unwrap();
        assert_eq!(store.due_reminders(10).unwrap()[0].id, id);
        drop(store);
        // Opening again changes nothing.
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(again.sessions(0).unwrap().len(), 1);
        assert_eq!(again.feedback(0).unwrap().len(), 1);
    }

    #[test]
    fn a_version_2_store_has_its_questions_and_decisions_masked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..2] {
                let Migration::Sql(sql) = migration else {
                    unreachable!("versions 1 and 2 are SQL")
                };
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            let question = |user: &str, text: &str, signature: &str| {
                conn.execute(
                    "INSERT INTO questions (at, user, lang, outcome, text, signature, candidates)
                     VALUES (10, ?1, 'zh', 'fallback', ?2, ?3, 'overview 0.500')",
                    [user, text, signature],
                )
                .unwrap();
            };
            question(
                "a",
                "我的手机号13812345678收不到验证码384756",
                "zh:#code #phone w13812345678 w384756",
            );
            question(
                "b",
                "我的手机号13812345678收不到验证码102938",
                "zh:#code #phone w102938 w13812345678",
            );
            question(
                "c",
                "卡号6222021234567890被冻结",
                "zh:b冻结 w6222021234567890",
            );
            conn.execute_batch(
                "INSERT INTO decisions (signature, decision, entry, at) VALUES
                   ('zh:b冻结 w6222021234567890', 'ignored', NULL, 10),
                   ('en:wcode w55667788', 'ignored', NULL, 10);",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let groups = store.unanswered(0).unwrap();
        assert_eq!(
            groups.len(),
            1,
            "the two differ only by the code: {groups:?}"
        );
        assert_eq!(groups[0].count, 2);
        assert_eq!(groups[0].signature, "zh:#code #phone");
        assert_eq!(groups[0].example, "我的手机号 [phone] 收不到验证码 [code]");
        let conn = lock(&store.reader);
        let decided: Vec<String> = conn
            .prepare("SELECT signature FROM decisions ORDER BY signature")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(decided, ["en:wcode", "zh:b冻结"], "still decided");
        let stored: String = conn
            .query_row(
                "SELECT group_concat(text || signature) FROM questions",
                [],
                |row| row.get(0),
            )
            .unwrap();
        for value in ["13812345678", "384756", "102938", "6222021234567890"] {
            assert!(!stored.contains(value), "{value} in {stored}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("faqbot.sqlite3");
        let junk = b"this is not a database, it is a shopping list\n".repeat(100);
        std::fs::write(&path, &junk).unwrap();
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), junk, "never replaced");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let (dir, store) = store();
        drop(store);
        let path = dir.path().join("sub/faqbot.sqlite3");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerSchema { found: 99, .. }),
            "{err}"
        );
    }

    #[test]
    fn reports_do_not_create_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.sqlite3");
        let err = SqliteStore::open_existing(&path).unwrap_err().to_string();
        assert!(err.contains("no such file"), "{err}");
        assert!(!path.exists());
    }
}
