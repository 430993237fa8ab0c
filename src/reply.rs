//! What the user reads: a [`Reply`] joins the matcher's verdict with the
//! knowledge it points at, and renders it as plain text (terminal) or JSON.
//! The Telegram layer renders the same `Reply`.

use serde::Serialize;

use crate::knowledge::{Bilingual, Entry, Knowledge};
use crate::matcher::{Match, Outcome};
use crate::{Lang, text};

/// A reply to one message.
#[derive(Debug, Clone)]
pub struct Reply<'k> {
    /// The matcher's verdict.
    pub verdict: Match,
    /// The entry answered, if any.
    pub entry: Option<&'k Entry>,
    /// Entries offered next, with their scores: the choices of a
    /// clarification, the runners-up of an answer.
    pub suggestions: Vec<(&'k Entry, f32)>,
    /// The answered entry's related topics.
    pub related: Vec<&'k Entry>,
    /// For a fallback decided by an out-of-scope topic, that topic's reply.
    pub topic_reply: Option<&'k Bilingual<String>>,
    /// For a fallback, the entries it offers: the out-of-scope topic's
    /// own (`offer`), or else the main topics.
    pub main: Vec<&'k Entry>,
    /// Whether `main` is the topic's own offer.
    pub offered: bool,
}

impl<'k> Reply<'k> {
    /// Joins a verdict with the knowledge it refers to.
    pub fn new(verdict: Match, knowledge: &'k Knowledge) -> Reply<'k> {
        let entry = verdict.answer.as_ref().and_then(|c| knowledge.entry(&c.id));
        let suggestions = verdict
            .suggestions
            .iter()
            .filter_map(|c| knowledge.entry(&c.id).map(|e| (e, c.score)))
            .collect();
        let related = entry
            .map(|e| {
                e.related
                    .iter()
                    .filter_map(|id| knowledge.entry(id))
                    .collect()
            })
            .unwrap_or_default();
        let fallback = verdict.outcome == Outcome::Fallback;
        let topic_reply = verdict
            .topic
            .as_deref()
            .filter(|_| fallback)
            .and_then(|id| knowledge.out_of_scope.iter().find(|t| t.id == id))
            .and_then(|t| t.reply.as_ref());
        let topic = verdict
            .topic
            .as_deref()
            .filter(|_| fallback)
            .and_then(|id| knowledge.out_of_scope.iter().find(|t| t.id == id));
        let offered = topic.is_some_and(|t| !t.offer.is_empty());
        let main = match topic {
            Some(t) if offered => t
                .offer
                .iter()
                .filter_map(|id| knowledge.entry(id))
                .collect(),
            _ if fallback => knowledge
                .scope
                .main
                .iter()
                .filter_map(|id| knowledge.entry(id))
                .collect(),
            _ => Vec::new(),
        };
        Reply {
            verdict,
            entry,
            suggestions,
            related,
            topic_reply,
            main,
            offered,
        }
    }

    /// The language of the reply.
    pub fn lang(&self) -> Lang {
        self.verdict.lang
    }

    /// The main text: the answer, the "did you mean" question, or the
    /// fallback message.
    pub fn body(&self) -> String {
        let lang = self.lang();
        match (self.verdict.outcome, self.entry) {
            (Outcome::Answer, Some(entry)) => {
                format!("{}\n\n{}", entry.title.get(lang), entry.answer.get(lang))
            }
            (Outcome::Clarify, _) => text::clarify(lang, self.suggestions.len()).to_string(),
            _ => match self.topic_reply {
                Some(reply) => reply.get(lang).clone(),
                None => text::fallback(lang).to_string(),
            },
        }
    }

    /// The topics offered after the body, and their label: the choices of a
    /// clarification, what a scam warning displaced, or related topics.
    pub fn options(&self) -> (&'static str, Vec<&'k Entry>) {
        let lang = self.lang();
        match self.verdict.outcome {
            Outcome::Clarify => ("", self.suggestions.iter().map(|(e, _)| *e).collect()),
            Outcome::Answer if self.verdict.safety && !self.suggestions.is_empty() => (
                text::also(lang),
                self.suggestions.iter().map(|(e, _)| *e).collect(),
            ),
            Outcome::Answer => (text::related(lang), self.related.clone()),
            Outcome::Fallback if self.offered => (text::nearby_label(lang), self.main.clone()),
            Outcome::Fallback => (text::main_topics_label(lang), self.main.clone()),
        }
    }

    /// The reply as plain text; with `numbered`, options are numbered so a
    /// terminal user can pick one by typing its number.
    pub fn render_text(&self, numbered: bool) -> String {
        let lang = self.lang();
        let mut out = self.body();
        let (label, options) = self.options();
        if options.is_empty() {
            return out;
        }
        out.push_str("\n\n");
        if !label.is_empty() {
            out.push_str(label);
            out.push_str(if lang == Lang::Zh { "：" } else { ":" });
            if numbered {
                out.push('\n');
            } else if lang == Lang::En {
                out.push(' ');
            }
        } else if !numbered {
            // A clarification lists its choices one per line.
            numbered_list(&mut out, &options, lang, false);
            return out;
        }
        if numbered {
            numbered_list(&mut out, &options, lang, true);
        } else {
            let sep = if lang == Lang::Zh { "、" } else { "; " };
            let titles: Vec<&str> = options.iter().map(|e| e.title.get(lang).as_str()).collect();
            out.push_str(&titles.join(sep));
        }
        out
    }

    /// The reply as the JSON object printed by `faqbot ask --json`.
    pub fn to_json(&self) -> JsonReply<'_> {
        let lang = self.lang();
        JsonReply {
            matched: self.verdict.outcome == Outcome::Answer,
            outcome: self.verdict.outcome,
            id: self.entry.map(|e| e.id.as_str()),
            score: self.verdict.confidence,
            lang,
            answer: self.render_text(false),
            topic: self
                .verdict
                .topic
                .as_deref()
                .filter(|_| self.verdict.outcome == Outcome::Fallback),
            suggestions: self
                .suggestions
                .iter()
                .map(|(e, score)| JsonSuggestion {
                    id: &e.id,
                    title: e.title.get(lang),
                    score: *score,
                })
                .collect(),
        }
    }
}

fn numbered_list(out: &mut String, options: &[&Entry], lang: Lang, numbered: bool) {
    for (i, entry) in options.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if numbered {
            out.push_str(&format!("{}. {}", i + 1, entry.title.get(lang)));
        } else {
            out.push_str(&format!("- {}", entry.title.get(lang)));
        }
    }
}

/// The JSON form of a reply.
#[derive(Debug, Serialize)]
pub struct JsonReply<'a> {
    /// True only when an entry was answered.
    pub matched: bool,
    pub outcome: Outcome,
    pub id: Option<&'a str>,
    /// The matcher's confidence in the outcome.
    pub score: f32,
    pub lang: Lang,
    /// The reply text as a user reads it.
    pub answer: String,
    /// For a fallback, the out-of-scope topic that decided it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<&'a str>,
    pub suggestions: Vec<JsonSuggestion<'a>>,
}

/// A suggested entry in the JSON form.
#[derive(Debug, Serialize)]
pub struct JsonSuggestion<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub score: f32,
}
