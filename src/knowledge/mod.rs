//! The knowledge base: what the bot knows, loaded from a folder of TOML files
//! and validated as a whole.
//!
//! [`Knowledge::load`] reads every `*.toml` file of a folder (in name order)
//! and every `examples/*.jsonl` file (labelled example questions),
//! parses them (`raw.rs`), and validates the lot (`validate.rs`); it returns the
//! knowledge only if there is no error. [`check`] returns every problem, with
//! file and line, for `faqbot check` and for reloads. The bot never loads
//! what `check` rejects, because both go through the same code.

pub mod edit;
mod raw;
mod validate;

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub use validate::Limits;

use crate::Lang;

/// A value in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bilingual<T> {
    pub zh: T,
    pub en: T,
}

impl<T> Bilingual<T> {
    /// The value in `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl<T> Bilingual<Vec<T>> {
    /// Every item, the Chinese ones first.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.zh.iter().chain(&self.en)
    }
}

/// What kind of topic an entry is; used to group topics in menus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Overview,
    Prep,
    Unlink,
    Legal,
    Alternative,
    Step,
    Condition,
    Consequence,
    Safety,
    Meta,
}

impl Kind {
    /// Every kind, in the order topics are listed.
    pub const ALL: [Kind; 10] = [
        Kind::Overview,
        Kind::Prep,
        Kind::Unlink,
        Kind::Legal,
        Kind::Alternative,
        Kind::Step,
        Kind::Condition,
        Kind::Consequence,
        Kind::Safety,
        Kind::Meta,
    ];

    /// The name used in knowledge files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Overview => "overview",
            Kind::Prep => "prep",
            Kind::Unlink => "unlink",
            Kind::Legal => "legal",
            Kind::Alternative => "alternative",
            Kind::Step => "step",
            Kind::Condition => "condition",
            Kind::Consequence => "consequence",
            Kind::Safety => "safety",
            Kind::Meta => "meta",
        }
    }

    fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One topic the bot can answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Stable identifier: lowercase ASCII letters, digits and `-`.
    pub id: String,
    pub kind: Kind,
    pub title: Bilingual<String>,
    /// The ways users ask for this topic; what the matcher learns from.
    pub questions: Bilingual<Vec<String>>,
    pub answer: Bilingual<String>,
    /// Ids of topics a reader may want next; all exist.
    pub related: Vec<String>,
    /// Cues that a message asks exactly this ("微信+也会" for whether
    /// WeChat goes too): a message holding one scores this entry higher.
    pub cues: Vec<Cue>,
}

/// Words that mean the same thing here, folded to one concept before matching
/// (注销, 删号, delete, deactivate → `delete`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SynonymGroup {
    pub concept: String,
    pub terms: Bilingual<Vec<String>>,
}

/// What makes a message a scam scenario, which the bot answers with `entry`
/// first (see [`crate::safety`]). Every phrase is normalised; both
/// languages' phrases are in one list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Safety {
    pub entry: String,
    /// A scam on its own: each trigger is one or more phrases that must all
    /// occur in the message (written `验证码+发给` in the file).
    pub triggers: Vec<Vec<String>>,
    /// A third party: a person, staff, a call, a link, an app, a seller.
    pub parties: Vec<String>,
    /// A sensitive request: codes, passwords, money, installing, clicking.
    pub requests: Vec<String>,
    /// The request comes from WeChat itself: a party and a request together
    /// then do not make a scam.
    pub own: Vec<String>,
}

/// A topic next to the bot's, which it must not answer (renaming a channel,
/// bans and appeals, deleting the whole WeChat account, other apps, small
/// talk). Its examples compete with the entries in matching: when one of them
/// fits best, the bot falls back. A message that holds one of its `when` cues,
/// none of its `unless` cues and (if `framed`) none of the frame's, or one of
/// its `sure` cues, falls back before matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutOfScope {
    pub id: String,
    pub questions: Bilingual<Vec<String>>,
    /// What the bot says when this topic decides a fallback: that it does
    /// not cover this, and what it does cover. `None`: the general fallback.
    pub reply: Option<Bilingual<String>>,
    /// Cues that make a message this topic.
    pub when: Vec<Cue>,
    /// Cues that put the topic out of play for a message: its `when` cues
    /// do not decide and its examples do not turn the message away.
    pub unless: Vec<Cue>,
    /// Cues that make a message this topic even when an `unless` cue or the
    /// frame holds: they name what is being deleted so plainly ("注销微信账号",
    /// "delete my WeChat account") that the Channels account named elsewhere
    /// in the message does not change it.
    pub sure: Vec<Cue>,
    /// Whether `[scope] frame` also puts the topic out of play (a message
    /// about deleting the Channels account is not about renaming it). False
    /// for topics about deleting something else, whose messages talk about
    /// deleting too.
    pub framed: bool,
    /// The entries a fallback for this topic offers instead of the main
    /// topics: what the bot does answer next to it (renaming → what happens
    /// to a name after deleting).
    pub offer: Vec<String>,
}

/// Parts that must all occur in a message: synonym concepts (written
/// `#delete` in the files) and normalised phrases, joined with `+`.
pub type Cue = Vec<CuePart>;

/// One part of a [`Cue`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CuePart {
    /// A synonym concept the message's analysis must hold.
    Concept(String),
    /// A normalised phrase the message must contain.
    Phrase(String),
}

/// What the bot covers (`[scope]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Scope {
    /// The entries a fallback offers, in order.
    pub main: Vec<String>,
    /// Cues that a message is about deleting the Channels account (or what
    /// comes before, during, after or instead of it): they put the framed
    /// out-of-scope topics out of play.
    pub frame: Vec<Cue>,
    /// Cues that a message is not about deleting the Channels account
    /// ("不注销", "the whole WeChat account, not just Channels"): they cancel
    /// the frame, and their phrases are blanked before other cues are sought.
    pub not_deleting: Vec<Cue>,
    /// Phrases that name something inside the account ("视频号里的", "视频号
    /// 上的"): blanked before cues are sought, so that "删除视频号里的一条视频"
    /// does not read as "删除视频号". They do not cancel the frame.
    pub contents: Vec<Cue>,
    /// Concepts that name only what a question is about (视频号, 名字, 直播),
    /// not what it asks: a message holding nothing else is never answered
    /// outright, only offered choices.
    pub bare: Vec<String>,
    /// The entries whose own words say they are about deleting the Channels
    /// account (the cooling-off period, undoing, the alternatives): they
    /// answer a message without the frame. Any other entry answers such a
    /// message only as a choice, or not at all when an out-of-scope topic's
    /// examples come close ("视频号怎么注册" is not about the account-age
    /// condition).
    pub self_framed: Vec<String>,
    /// Pairs of entries whose answers overlap so much (content lost and
    /// interaction data; the balance condition and withdrawing) that when
    /// the two come first and close together, the one named first is
    /// answered, with the other after it, rather than asking which one was
    /// meant.
    pub twins: Vec<[String; 2]>,
}

/// The readiness checklist (`[checklist]`): the conditions to ask about, in
/// order, each with its fix, and the reminders shown with the summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checklist {
    /// The entry whose answer, in a chat, starts the checklist instead.
    pub entry: String,
    pub intro: Bilingual<String>,
    /// The entry offered after the summary: the next step of the deletion.
    pub next: Option<String>,
    pub items: Vec<ChecklistItem>,
    pub backups: Vec<Backup>,
}

impl Checklist {
    /// The item about the condition entry `id`.
    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|item| item.entry == id)
    }
}

/// One condition of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChecklistItem {
    /// The condition's entry (its title names the condition).
    pub entry: String,
    /// The question.
    pub ask: Bilingual<String>,
    /// What "yes" to the question says about the condition.
    pub yes_means: YesMeans,
    /// How to meet or check the condition, shown when an answer says it is
    /// not met or the user is not sure.
    pub fix: Bilingual<String>,
}

/// What "yes" to a checklist question says about its condition
/// (`yes_means` in `[[checklist.item]]`). A question is best asked the way
/// a user answers it without thinking twice: "Is your balance withdrawn?"
/// (yes: met), "Have you done an appeal recently?" (yes: not met), never
/// "Have you done no appeal recently?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum YesMeans {
    /// "Yes" means the condition is met (`"met"`, the default).
    #[default]
    Met,
    /// "Yes" means the condition is not met (`"not met"`).
    NotMet,
}

/// A reminder of what to save before deleting, shown with the summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Backup {
    pub entry: String,
    pub text: Bilingual<String>,
}

/// The cooling-off calculator (`[cooling_off]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoolingOff {
    /// The period's length: it ends this many days after the request.
    pub days: u16,
    pub undo_entry: String,
    pub final_entry: String,
    pub how_to_undo: Bilingual<String>,
    /// What the account is like while the period runs (frozen, hidden).
    pub during: Bilingual<String>,
    /// A message with a date that the matcher answers with one of these
    /// entries is read as a request date.
    pub entries: Vec<String>,
    /// Normalised phrases that make a message with a date a request date
    /// ("申请注销", "requested deletion").
    pub phrases: Bilingual<Vec<String>>,
    /// Normalised phrases that say the period has ended ("冷静期昨天结束了",
    /// "ended yesterday"): the date is then not a request date.
    pub ended: Bilingual<Vec<String>>,
    /// Said when, by the count, the period has ended: the account has
    /// probably been deleted; how to check.
    pub over: Bilingual<String>,
    /// Said when the request date is approximate and the period ends close
    /// to today, either way: check in WeChat now.
    pub close: Bilingual<String>,
    /// Normalised words that name the deletion ("注销", "deleted"): a
    /// duration next to one ("注销快两个月了") is the time since the request.
    pub deletion_words: Bilingual<Vec<String>>,
    /// Normalised words that name a request of any kind ("申请", "applied"):
    /// a duration next to one is the time since the request unless a word of
    /// `other_words` is nearer ("申请提现两个月了").
    pub request_words: Bilingual<Vec<String>>,
    /// Normalised words that name something else that happens to an account
    /// ("封号", "banned", "提现"): a duration next to one is about it.
    pub other_words: Bilingual<Vec<String>>,
}

/// A question someone asked, labelled with the entries that answer it
/// (`knowledge/examples/*.jsonl`, one `{"q": ..., "expect": [ids]}` per line;
/// an empty `expect` means no entry answers it). The matcher trains a model
/// on them ([`crate::examples`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Example {
    pub text: String,
    /// The entries that answer it, best first; none when no entry does.
    pub entries: Vec<String>,
    /// The name of the file it comes from, without extension: question
    /// sets are measured against a model trained without their own file
    /// (`faqbot eval --leave-out`).
    pub source: String,
}

/// The whole validated knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    pub entries: Vec<Entry>,
    pub synonyms: Vec<SynonymGroup>,
    pub stopwords: Bilingual<Vec<String>>,
    pub safety: Option<Safety>,
    pub out_of_scope: Vec<OutOfScope>,
    pub checklist: Option<Checklist>,
    pub cooling_off: Option<CoolingOff>,
    pub scope: Scope,
    /// Labelled example questions, in file and line order.
    pub examples: Vec<Example>,
    by_id: HashMap<String, usize>,
}

/// Hashes all the knowledge says (the index of entry ids follows from the
/// entries): two loads of the same files hash alike, and any edit changes
/// the hash, however it changes how questions are read and answered.
impl Hash for Knowledge {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Knowledge {
            entries,
            synonyms,
            stopwords,
            safety,
            out_of_scope,
            checklist,
            cooling_off,
            scope,
            examples,
            by_id: _,
        } = self;
        entries.hash(state);
        synonyms.hash(state);
        stopwords.hash(state);
        safety.hash(state);
        out_of_scope.hash(state);
        checklist.hash(state);
        cooling_off.hash(state);
        scope.hash(state);
        examples.hash(state);
    }
}

impl Knowledge {
    /// Reads and validates the knowledge folder `dir`.
    ///
    /// Fails if the folder cannot be read or if `check` finds any error;
    /// warnings do not stop loading.
    pub fn load(dir: &Path, limits: &Limits) -> Result<Knowledge, LoadError> {
        let report = check(dir, limits)?;
        match report.knowledge {
            Some(knowledge) => Ok(knowledge),
            None => Err(LoadError::Invalid {
                dir: dir.to_path_buf(),
                problems: report
                    .problems
                    .into_iter()
                    .filter(Problem::is_error)
                    .collect(),
            }),
        }
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    fn index_ids(&mut self) {
        self.by_id = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
    }
}

/// What `check` found: every problem, and the knowledge if none is an error.
#[derive(Debug)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub knowledge: Option<Knowledge>,
    /// How many files were read.
    pub files: usize,
}

impl Report {
    /// Whether any problem is an error (warnings alone do not count).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// The subfolder of the knowledge folder that holds example questions.
pub const EXAMPLES_DIR: &str = "examples";

/// Validates the knowledge folder `dir`, collecting every problem.
///
/// Only I/O failures (a missing folder, an unreadable file) are returned as
/// `Err`; problems with the content are in the report.
pub fn check(dir: &Path, limits: &Limits) -> Result<Report, LoadError> {
    let files = read_folder(dir)?;
    let count = files.len();
    let (knowledge, problems) = validate::validate(files, limits);
    Ok(Report {
        problems,
        knowledge,
        files: count,
    })
}

/// Validates knowledge files given as `(name, text)` pairs, exactly as
/// [`check`] validates a folder's files (taken in the order given): the
/// knowledge if no problem is an error, and every problem. For tools and
/// fuzzing that hold the files in memory.
pub fn check_texts(
    files: impl IntoIterator<Item = (PathBuf, String)>,
    limits: &Limits,
) -> (Option<Knowledge>, Vec<Problem>) {
    let files = files
        .into_iter()
        .map(|(path, text)| SourceFile { path, text })
        .collect();
    validate::validate(files, limits)
}

/// A knowledge file's path and text.
struct SourceFile {
    path: PathBuf,
    text: String,
}

fn read_folder(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let mut paths = files_named(dir, "toml")?;
    if paths.is_empty() {
        return Err(LoadError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    let examples = dir.join(EXAMPLES_DIR);
    if examples.is_dir() {
        paths.extend(files_named(&examples, "jsonl")?);
    }
    paths
        .into_iter()
        .map(|path| match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(SourceFile { path, text }),
                Err(_) => Err(LoadError::NotUtf8 { path }),
            },
            Err(source) => Err(LoadError::File { path, source }),
        })
        .collect()
}

/// The files of `dir` (not of its subfolders) ending in `.ext`, in name order.
fn files_named(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, LoadError> {
    let folder_error = |source| LoadError::Folder {
        dir: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for item in std::fs::read_dir(dir).map_err(folder_error)? {
        let path = item.map_err(folder_error)?.path();
        if path.extension().is_some_and(|e| e == ext) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Why the knowledge could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder does not exist or cannot be listed.
    #[error("cannot read knowledge folder {}", dir.display())]
    Folder {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The folder holds no `*.toml` file.
    #[error("knowledge folder {} has no .toml files", dir.display())]
    Empty { dir: PathBuf },
    /// A file cannot be read.
    #[error("cannot read {}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not UTF-8.
    #[error("{}:1: not valid UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    /// `check` found errors; each carries its file and line. Displays the
    /// first on one line; `problems` holds them all.
    #[error("invalid knowledge: {}", FirstProblem(problems))]
    Invalid {
        dir: PathBuf,
        problems: Vec<Problem>,
    },
}

/// The first problem, and how many more there are.
struct FirstProblem<'a>(&'a [Problem]);

impl fmt::Display for FirstProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("no details"),
            [only] => write!(f, "{only}"),
            [first, rest @ ..] => write!(
                f,
                "{first} (and {} more; `faqbot check` lists them all)",
                rest.len()
            ),
        }
    }
}

/// How serious a problem is: errors stop loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in the knowledge folder, at a file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        f.write_str(&self.message)
    }
}
