//! faqbot answers questions about deleting a WeChat Channels (微信视频号)
//! account, in Chinese or English, from a knowledge base of TOML files.
//!
//! # Layout
//!
//! Everything but [`bot`] works without Telegram; the command line and the
//! bot are thin layers over [`Faq::ask`].
//!
//! - [`dates`]: reading a date a user mentions (2026-11-03, 11月3日, 上周三,
//!   3 days ago, last Wednesday), or how long ago something began (注销快两个
//!   月了, 第62天, it's been 70 days), relative to today.
//! - [`knowledge`]: the knowledge files: their types, loading and every rule
//!   `faqbot check` enforces.
//! - [`normalize`]: text folding shared by everything that compares text
//!   (width, case, traditional → simplified, punctuation, invisible characters).
//! - [`privacy`]: masking what users give away (phone numbers, codes, card
//!   and ID numbers, e-mail addresses) before their text is kept or logged.
//! - [`phonetic`]: pinyin: reading typed pinyin and fixing homophone typos
//!   towards the knowledge base's own Chinese words.
//! - [`phrases`]: finding many known phrases in a message in one pass.
//! - [`safety`]: the scam check made before matching: a third party with a
//!   sensitive request, or a known scam phrase.
//! - [`scope`]: the scope gate made before matching: a message about a topic
//!   next to the bot's (renaming, bans, deleting another account) falls back.
//! - [`analyze`]: turns a message into weighted features (synonym concepts,
//!   Chinese character n-grams, English stems, typo correction).
//! - [`message`]: one reading of a message (the matched part, normalised,
//!   each clause's analysis, the date it mentions), made once per turn and
//!   shared by the scam check, the scope gate, the matcher, the calculator's
//!   routing and the date reader.
//! - [`matcher`]: the index over every question variant, scoring, and the
//!   answer / clarify / fallback decision.
//! - [`examples`]: a model of the knowledge's labelled example questions,
//!   which corrects the matcher where it is confident (close choices, an
//!   answer it is sure is wrong, a missed scam scenario), and the cache
//!   that keeps it trained between starts.
//! - [`live`]: the knowledge being served: snapshots, atomic reload, and
//!   watching the knowledge folder for changes.
//! - [`checklist`]: the readiness checklist ("can I delete yet?"): one
//!   condition at a time, the fix for each one not met, and a summary.
//! - [`cooling`]: the cooling-off calculator: from a request date to the
//!   end of the period, the days left, and whether undoing is still possible
//!   (hedged: the period is usually 60 days); whether a date or a duration in
//!   a message is the request's.
//! - [`conversation`]: what a message does beyond a plain answer: the
//!   checklist under way, the calculator, or the bot waiting for a date.
//! - [`reply`]: what the user reads: a [`Reply`] rendered as plain text or JSON.
//! - [`bot`]: the Telegram bot (`faqbot serve`): handlers, buttons, rendering,
//!   flood control, admin commands.
//! - [`store`]: what the bot learns from its users (unanswered questions,
//!   votes, reply languages, counters) and its guided help's conversations
//!   in progress and reminders, kept in SQLite and written off the reply
//!   path.
//! - [`report`]: the admin reports over the store: near-duplicate grouping,
//!   feedback worst first, table/CSV/JSON.
//! - [`triage`]: acting on a group of unanswered questions (add its phrasing
//!   to an entry, or ignore it), for the bot's buttons and `faqbot suggest`.
//! - [`text`]: the bot's own user-facing strings, in both languages.
//! - [`settings`]: configuration (`config/default.toml`, `--config`, `FAQBOT__*`).
//! - [`eval`]: accuracy measurement over a question set (`faqbot eval`).
//! - [`cli`]: the `ask`, `chat`, `check`, `eval`, `report` and `suggest` commands.

pub mod analyze;
pub mod bot;
pub mod checklist;
pub mod cli;
pub mod conversation;
pub mod cooling;
pub mod dates;
pub mod eval;
pub mod examples;
pub mod knowledge;
pub mod live;
pub mod matcher;
pub mod message;
pub mod normalize;
pub mod phonetic;
pub mod phrases;
pub mod privacy;
pub mod reply;
pub mod report;
pub mod safety;
pub mod scope;
pub mod settings;
pub mod store;
pub mod text;
pub mod triage;

mod faq;

pub use faq::Faq;
pub use knowledge::Knowledge;
pub use matcher::{Candidate, Match, Outcome};
pub use message::Message;
pub use reply::Reply;

/// A language the bot answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese (simplified).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language code: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "zh-hans" | "chinese" | "中文" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (expected zh or en)")),
        }
    }
}
