//! [`Message`]: one reading of a user's message, made once per turn and
//! shared by every decision about it.
//!
//! The scam check, the scope gate and the matcher look at the part of the
//! message that is matched (at most `max_input_chars` characters), its
//! normalised form and each clause's analysis; the checklist's answers, the
//! language of a date given when asked for one, and the calculator's
//! routing look at the whole message normalised; the date reader looks at
//! the whole message as written. Each of these is made at most once here,
//! so no decision normalises or analyses the message again.

use std::borrow::Cow;
use std::cell::OnceCell;

use jiff::civil::Date;

use crate::analyze::{Analysis, Analyzer, FeatureKind};
use crate::dates::{self, Found};
use crate::normalize::{self, Dialect, normalize};

/// A message as the bot reads it. Made by [`crate::Faq::read`] (or
/// [`crate::matcher::Matcher::read`]); borrows the text it reads.
#[derive(Debug, Clone)]
pub struct Message<'t> {
    /// The message as received.
    text: &'t str,
    /// The part that is matched: the whole text, or its start and end when
    /// it is longer than `max_input_chars`.
    matched: Cow<'t, str>,
    /// `matched`, normalised.
    normalized: String,
    /// The whole text normalised, when `matched` is only a part of it; made
    /// on first use.
    whole: OnceCell<String>,
    /// Each clause of `matched`, analysed.
    analyses: Vec<Analysis>,
    /// The first date or duration in the text, with where it was read
    /// (see [`Message::dated`]), and the day it was read against; made on
    /// first use.
    date: OnceCell<(Date, Option<(Found, usize)>)>,
    /// Each sentence of `matched` as read; made on first use.
    sentences: OnceCell<Vec<String>>,
    /// `matched` as read; made on first use.
    reading: OnceCell<String>,
}

/// The part of a message that asks ([`Message::asked`]): its clauses'
/// readings and the synonym concepts they name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked<'m> {
    pub readings: Vec<&'m str>,
    pub concepts: Vec<&'m str>,
}

impl<'t> Message<'t> {
    /// Reads `text`: keeps at most `max_chars` characters of it for
    /// matching, normalises them, and analyses each clause.
    pub(crate) fn new(analyzer: &Analyzer, max_chars: usize, text: &'t str) -> Message<'t> {
        // A letter's "Dear Support," and "Kind regards, PR Manager" are
        // not part of what it asks.
        let matched = normalize::truncate_middle(normalize::without_letter_frame(text), max_chars);
        let (normalized, cantonese) = normalize::normalize_dialect(&matched, Dialect::Detect);
        // Each clause of a Cantonese message is read as Cantonese, though
        // only another clause shows it.
        let dialect = if cantonese {
            Dialect::Cantonese
        } else {
            Dialect::Detect
        };
        let mut sentence = 0;
        let analyses = normalize::clauses_asked(&matched)
            .map(|clause| {
                // A clause that is the matched text but for the punctuation
                // that ended it normalises as the text does.
                let mut analysis = if is_all_but_its_end(&matched, clause.text) {
                    analyzer.analyze_normalized(&normalized)
                } else {
                    analyzer
                        .analyze_normalized(&normalize::normalize_dialect(clause.text, dialect).0)
                };
                analysis.question |= clause.asked;
                analysis.sentence = sentence;
                sentence += u32::from(clause.ends_sentence);
                analysis
            })
            .collect();
        Message {
            text,
            matched,
            normalized,
            whole: OnceCell::new(),
            analyses,
            date: OnceCell::new(),
            sentences: OnceCell::new(),
            reading: OnceCell::new(),
        }
    }

    /// The message as received.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The part of the message that is matched (see `max_input_chars`).
    pub fn matched(&self) -> &str {
        &self.matched
    }

    /// The matched part, normalised.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// The whole message, normalised.
    pub fn whole_normalized(&self) -> &str {
        match &self.matched {
            Cow::Borrowed(_) => &self.normalized,
            Cow::Owned(_) => self.whole.get_or_init(|| normalize(self.text)),
        }
    }

    /// Each clause of the matched part, analysed.
    pub fn analyses(&self) -> &[Analysis] {
        &self.analyses
    }

    /// The texts that phrases are looked for in: the matched part
    /// normalised, then each clause as read (pinyin as Chinese, typos fixed)
    /// where that reading is not already part of the matched part (a clause
    /// read as it was given is in it, and a text searched twice holds no
    /// more phrases).
    pub fn readings(&self) -> impl Iterator<Item = &str> + Clone {
        let normalized = self.normalized.as_str();
        std::iter::once(normalized).chain(
            self.analyses
                .iter()
                .filter(|a| !a.as_given)
                .map(|a| a.reading.as_str())
                .filter(move |reading| *reading != normalized),
        )
    }

    /// The matched part as read: each clause's reading (typed pinyin as
    /// Chinese, homophone and English typos fixed), joined. What the model
    /// of the example questions reads, trained on its questions read alike.
    pub fn reading(&self) -> &str {
        self.reading.get_or_init(|| joined(&self.analyses))
    }

    /// [`Message::reading`], owned.
    pub fn into_reading(mut self) -> String {
        match self.reading.take() {
            Some(reading) => reading,
            None => joined(&self.analyses),
        }
    }

    /// Each sentence of the matched part (ended by a full stop, a question
    /// or exclamation mark, a semicolon or a line break) as read: its
    /// clauses' readings, joined.
    pub fn sentences(&self) -> &[String] {
        self.sentences.get_or_init(|| {
            self.analyses
                .chunk_by(|a, b| a.sentence == b.sentence)
                .map(joined)
                .filter(|sentence| !sentence.is_empty())
                .collect()
        })
    }

    /// The part of a message of two sentences or more that asks: its
    /// clauses that ask a question, or, when none does, its last sentence;
    /// `None` for a message of one sentence, which asks as a whole.
    pub fn asked(&self) -> Option<Asked<'_>> {
        let last = self.analyses.last()?.sentence;
        if last == 0 {
            return None;
        }
        let questions = self.analyses.iter().any(|a| a.question);
        let clauses = || {
            self.analyses.iter().filter(move |a| {
                if questions {
                    a.question
                } else {
                    a.sentence == last
                }
            })
        };
        Some(Asked {
            readings: clauses().map(|a| a.reading.as_str()).collect(),
            concepts: clauses()
                .flat_map(|a| &a.features)
                .filter(|f| f.kind == FeatureKind::Concept)
                .map(|f| f.key.as_str())
                .collect(),
        })
    }

    /// The synonym concepts the clauses name, clause by clause.
    pub fn concepts(&self) -> Vec<&str> {
        self.analyses
            .iter()
            .flat_map(|a| &a.features)
            .filter(|f| f.kind == FeatureKind::Concept)
            .map(|f| f.key.as_str())
            .collect()
    }

    /// The first date or duration the whole message mentions, read relative
    /// to `today` ([`dates::find`]).
    pub fn date(&self, today: Date) -> Option<Found> {
        self.dated(today).map(|(found, _)| found)
    }

    /// [`Message::date`], with the text it was found in (its span is in
    /// that text): the message as typed or, when that mentions none, a
    /// clause typed in pinyin as read ("zhuxiao 20 tian le" is "注销 20 天了").
    pub fn dated(&self, today: Date) -> Option<(Found, &str)> {
        let found = match self.date.get() {
            Some((day, found)) if *day == today => found.clone(),
            // Read against another day: read again, keeping the first.
            Some(_) => self.find_date(today),
            None => self
                .date
                .get_or_init(|| (today, self.find_date(today)))
                .1
                .clone(),
        };
        found.map(|(found, source)| (found, self.date_source(source)))
    }

    /// The texts a date is looked for in, in order: the message as typed,
    /// then each clause typed in pinyin, as read.
    fn date_sources(&self) -> impl Iterator<Item = &str> {
        let pinyin = self
            .analyses
            .iter()
            .filter(|a| !a.as_given && a.pinyin_words > 0);
        std::iter::once(self.text).chain(pinyin.map(|a| a.reading.as_str()))
    }

    fn date_source(&self, i: usize) -> &str {
        self.date_sources().nth(i).unwrap_or(self.text)
    }

    fn find_date(&self, today: Date) -> Option<(Found, usize)> {
        self.date_sources()
            .enumerate()
            .find_map(|(i, text)| dates::find(text, today).map(|found| (found, i)))
    }
}

/// Whether `clause` is `text` but for the clause punctuation and line
/// breaks that ended it ([`normalize::clauses_asked`] drops one such
/// character): those normalise to nothing at the end of a text, so the two
/// normalise alike.
fn is_all_but_its_end(text: &str, clause: &str) -> bool {
    text.strip_prefix(clause)
        .is_some_and(|rest| rest.chars().all(normalize::is_clause_end))
}

/// The readings of `clauses`, joined by a space (a clause read as nothing
/// adds none).
fn joined(clauses: &[Analysis]) -> String {
    let mut text = String::with_capacity(clauses.iter().map(|a| a.reading.len() + 1).sum());
    for reading in clauses
        .iter()
        .map(|a| a.reading.as_str())
        .filter(|r| !r.is_empty())
    {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(reading);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_that_is_the_text_but_its_end_normalises_alike() {
        for text in [
            "视频号怎么注销？",
            "how do I undo deletion?!",
            "冷静期多久。。。",
            "What's this…",
            "e\u{301}?",
            "注销了～\n",
            "能恢复吗、",
            "Ｑ．",
        ] {
            let clause = normalize::clauses_asked(text).last().unwrap().text;
            assert!(is_all_but_its_end(text, clause), "{text}");
            assert_eq!(normalize(clause), normalize(text), "{text}");
        }
        assert!(!is_all_but_its_end("a, b", "a"));
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks_not_commas() {
        let analyzer = Analyzer::new(&crate::knowledge::Knowledge::default());
        let message = Message::new(
            &analyzer,
            2000,
            "So, I got a call. He wants my code!\n冷静期多久。好的？？",
        );
        assert_eq!(
            message.sentences(),
            ["so i got a call", "he wants my code", "冷静期多久", "好的"]
        );
    }

    #[test]
    fn the_reading_is_each_clause_as_read_joined() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge =
            crate::knowledge::Knowledge::load(&dir, &crate::knowledge::Limits::default())
                .expect("shipped knowledge");
        let analyzer = Analyzer::new(&knowledge);
        let reading = |text: &str| {
            let message = Message::new(&analyzer, 2000, text);
            let reading = message.reading().to_string();
            assert_eq!(message.into_reading(), reading, "{text}");
            reading
        };
        // Typed pinyin reads as Chinese, and a homophone typo as the word
        // the knowledge uses, as the matcher reads them.
        assert_eq!(reading("shipinhao zenme zhuxiao"), "视频号怎么注销");
        assert_eq!(reading("视频号怎么注消"), "视频号怎么注销");
        // Each clause once, without its punctuation.
        assert_eq!(
            reading("So, I got a call. Can I delete?"),
            "so i got a call can i delete"
        );
        assert_eq!(reading(""), "");
    }

    #[test]
    fn the_part_that_asks_is_the_question_or_else_the_last_sentence() {
        let analyzer = Analyzer::new(&crate::knowledge::Knowledge::default());
        let asked = |text: &str| {
            let message = Message::new(&analyzer, 2000, text);
            message.asked().map(|asked| asked.readings.join(" | "))
        };
        assert_eq!(asked("视频号怎么注销？"), None);
        assert_eq!(asked("how do I undo deletion"), None);
        assert_eq!(
            asked("One video was taken down in 2022. Can I still delete my channel?"),
            Some("can i still delete my channel".to_string())
        );
        assert_eq!(
            asked("去年改过名字。现在不想做了，号要注销了"),
            Some("现在不想做了 | 号要注销了".to_string())
        );
    }
}
