//! [`Faq`]: a validated knowledge base and the matcher built over it, the
//! one entry point the command line and the bot share.

use std::path::Path;

use crate::knowledge::{Knowledge, Limits, LoadError};
use crate::matcher::{Candidate, Match, Matcher, MatcherConfig, Outcome};
use crate::message::Message;
use crate::{Lang, Reply};

/// A knowledge base ready to answer questions. Immutable: a reload builds a
/// new `Faq` and swaps it in whole.
#[derive(Debug)]
pub struct Faq {
    knowledge: Knowledge,
    matcher: Matcher,
}

impl Faq {
    /// Builds the matcher over already validated knowledge.
    pub fn new(knowledge: Knowledge, config: MatcherConfig) -> Faq {
        let matcher = Matcher::new(&knowledge, config);
        Faq { knowledge, matcher }
    }

    /// Loads and validates the knowledge folder `dir`, then builds the matcher.
    pub fn load(dir: &Path, limits: &Limits, config: MatcherConfig) -> Result<Faq, LoadError> {
        Ok(Faq::new(Knowledge::load(dir, limits)?, config))
    }

    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Answers a message; `lang` forces the reply language.
    pub fn ask(&self, message: &str, lang: Option<Lang>) -> Reply<'_> {
        self.answer(&self.read(message), lang)
    }

    /// Reads a message once, for every decision made about it.
    pub fn read<'t>(&self, text: &'t str) -> Message<'t> {
        self.matcher.read(text)
    }

    /// [`Faq::ask`] for a message already read.
    pub fn answer(&self, message: &Message<'_>, lang: Option<Lang>) -> Reply<'_> {
        Reply::new(self.matcher.verdict(message, lang), &self.knowledge)
    }

    /// The reply for a topic chosen directly (a numbered choice, a button),
    /// or `None` if no entry has that id.
    pub fn topic(&self, id: &str, lang: Lang) -> Option<Reply<'_>> {
        self.knowledge.entry(id)?;
        let verdict = Match {
            outcome: Outcome::Answer,
            confidence: 1.0,
            lang,
            answer: Some(Candidate {
                id: id.to_string(),
                score: 1.0,
            }),
            suggestions: Vec::new(),
            safety: false,
            topic: None,
        };
        Some(Reply::new(verdict, &self.knowledge))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bot shares one `Faq` between tasks and swaps it on reload.
    #[test]
    fn faq_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Faq>();
    }
}
