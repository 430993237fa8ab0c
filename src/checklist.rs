//! The readiness checklist ("can I delete yet?"): walks a user through the
//! conditions of the knowledge's `[checklist]` one at a time, shows how to
//! fix each one an answer says is not met (or "not sure"), and sums up what
//! still blocks, with the backup reminders, at the end.
//!
//! An [`Answer`] is what the user said (yes, no, not sure); a [`Status`] is
//! what that says about the condition, through the item's
//! [`YesMeans`]: "Yes" to "Is your balance withdrawn?" means met, "Yes" to
//! "Have you done an appeal recently?" means not met.
//!
//! [`Progress`] is where a user is (kept per chat by the bot, serialised in
//! the store); [`Turn`] is what to show next. Both work without Telegram:
//! `faqbot chat` runs the same checklist.

use serde::{Deserialize, Serialize};

use crate::knowledge::{Backup, ChecklistItem, Entry, Knowledge, YesMeans};
use crate::normalize::normalize;
use crate::{Lang, text};

/// An answer to one condition's question, as the user gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Unsure,
}

/// What an answer says about its condition.
///
/// Stored as `yes`, `no` and `unsure`: the form answers were stored in when
/// "yes" always meant met, so a checklist under way across an upgrade goes
/// on as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "yes")]
    Met,
    #[serde(rename = "no")]
    NotMet,
    #[serde(rename = "unsure")]
    Unsure,
}

impl Status {
    /// What `answer` to `item`'s question says about its condition.
    pub fn of(answer: Answer, item: &ChecklistItem) -> Status {
        match (answer, item.yes_means) {
            (Answer::Unsure, _) => Status::Unsure,
            (Answer::Yes, YesMeans::Met) | (Answer::No, YesMeans::NotMet) => Status::Met,
            (Answer::Yes, YesMeans::NotMet) | (Answer::No, YesMeans::Met) => Status::NotMet,
        }
    }
}

/// Typed answers, normalised (see [`normalize`]); a message must be one of
/// them, whole, to count as an answer: anything longer is a new question.
const YES: &[&str] = &[
    "是",
    "是的",
    "对",
    "对的",
    "嗯",
    "嗯嗯",
    "满足",
    "都满足",
    "没问题",
    "好了",
    "是啊",
    "yes",
    "y",
    "yep",
    "yeah",
    "yes it is",
    "yes i have",
    "done",
    "sure",
    "correct",
];
const NO: &[&str] = &[
    "否",
    "不是",
    "不",
    "没有",
    "还没",
    "还没有",
    "没",
    "不满足",
    "不对",
    "no",
    "n",
    "nope",
    "not yet",
    "nah",
    "no it isnt",
    "no i havent",
];
const UNSURE: &[&str] = &[
    "不确定",
    "不知道",
    "不清楚",
    "不太确定",
    "不太清楚",
    "说不准",
    "不好说",
    "不一定",
    "也许",
    "可能",
    "not sure",
    "unsure",
    "dont know",
    "i dont know",
    "idk",
    "maybe",
    "no idea",
    "im not sure",
];

impl Answer {
    /// Reads a typed answer (是 / 否 / 不确定, yes / no / not sure and
    /// their common variants); `None` for anything else.
    pub fn parse(text: &str) -> Option<Answer> {
        Answer::parse_normalized(&normalize(text))
    }

    /// [`Answer::parse`] for a text already normalised.
    pub fn parse_normalized(text: &str) -> Option<Answer> {
        let is = |list: &[&str]| list.contains(&text);
        if is(YES) {
            Some(Answer::Yes)
        } else if is(NO) {
            Some(Answer::No)
        } else if is(UNSURE) {
            Some(Answer::Unsure)
        } else {
            None
        }
    }

    /// One letter, for button data: `y`, `n` or `u`.
    pub fn code(self) -> char {
        match self {
            Answer::Yes => 'y',
            Answer::No => 'n',
            Answer::Unsure => 'u',
        }
    }

    /// The answer a [`code`](Answer::code) stands for.
    pub fn from_code(code: &str) -> Option<Answer> {
        match code {
            "y" => Some(Answer::Yes),
            "n" => Some(Answer::No),
            "u" => Some(Answer::Unsure),
            _ => None,
        }
    }

    /// The answer as a button shows it.
    pub fn label(self, lang: Lang) -> &'static str {
        text::checklist_answer(self, lang)
    }

    /// Every answer, in button order.
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unsure];
}

/// Where one run of the checklist is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Tells this run's buttons from an earlier run's.
    pub run: u32,
    pub lang: Lang,
    /// The condition entries to ask about, in order, as the checklist was
    /// when the run started: a reload mid-way changes the texts shown, and
    /// drops conditions no longer listed, but never asks one twice.
    pub items: Vec<String>,
    /// What the answers so far say, by condition entry; taken when the
    /// answer is given, so that a reload that rewords a question cannot
    /// change what an earlier answer meant.
    pub answers: Vec<(String, Status)>,
}

/// What answering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Recorded; the run goes on or is done.
    Recorded,
    /// The button was for another question or run than the current one.
    Stale,
}

impl Progress {
    /// Starts a run over the knowledge's checklist; `None` if it has none.
    pub fn start(knowledge: &Knowledge, lang: Lang, run: u32) -> Option<Progress> {
        let checklist = knowledge.checklist.as_ref()?;
        Some(Progress {
            run,
            lang,
            items: checklist.items.iter().map(|i| i.entry.clone()).collect(),
            answers: Vec::new(),
        })
    }

    /// The 0-based number of the question being asked (the answers so far).
    pub fn step(&self) -> usize {
        self.answers.len()
    }

    /// The condition asked now, if any is left.
    fn current<'k>(&self, knowledge: &'k Knowledge) -> Option<Asked<'k>> {
        self.items
            .iter()
            .filter(|id| !self.answers.iter().any(|(done, _)| done == *id))
            .find_map(|id| Asked::find(knowledge, id))
    }

    /// Whether every condition still in the checklist is answered.
    pub fn is_done(&self, knowledge: &Knowledge) -> bool {
        self.current(knowledge).is_none()
    }

    /// Records `answer` to question number `step` (0-based) of run `run`,
    /// as a button says it; typed answers pass the current step and run.
    pub fn answer(
        &mut self,
        knowledge: &Knowledge,
        run: u32,
        step: usize,
        answer: Answer,
    ) -> Answered {
        if run != self.run || step != self.step() {
            return Answered::Stale;
        }
        let Some(asked) = self.current(knowledge) else {
            return Answered::Stale;
        };
        let status = Status::of(answer, asked.item);
        self.answers.push((asked.item.entry.clone(), status));
        Answered::Recorded
    }

    /// What to show now: the next question or the summary. `intro` shows
    /// the checklist's introduction first (at the start); after an answer
    /// that says the condition is not met, or "not sure", its fix comes
    /// first.
    pub fn turn<'k>(&self, knowledge: &'k Knowledge, intro: bool) -> Turn<'k> {
        let checklist = knowledge.checklist.as_ref();
        let intro = intro
            .then(|| checklist.map(|c| c.intro.get(self.lang).as_str()))
            .flatten();
        let fix = self
            .answers
            .last()
            .filter(|(_, status)| *status != Status::Met)
            .and_then(|(id, status)| Blocker::find(knowledge, id, *status));
        let next = match self.current(knowledge) {
            Some(asked) => Next::Ask {
                number: self.step() + 1,
                total: self.step()
                    + self
                        .items
                        .iter()
                        .filter(|id| !self.answers.iter().any(|(done, _)| done == *id))
                        .filter(|id| Asked::find(knowledge, id).is_some())
                        .count(),
                entry: asked.entry,
                item: asked.item,
            },
            None => Next::Summary(Summary {
                blockers: self
                    .answers
                    .iter()
                    .filter(|(_, status)| *status != Status::Met)
                    .filter_map(|(id, status)| Blocker::find(knowledge, id, *status))
                    .collect(),
                backups: checklist
                    .map(|c| {
                        c.backups
                            .iter()
                            .filter_map(|b| Some((knowledge.entry(&b.entry)?, b)))
                            .collect()
                    })
                    .unwrap_or_default(),
                next: checklist
                    .and_then(|c| c.next.as_deref())
                    .and_then(|id| knowledge.entry(id)),
            }),
        };
        Turn {
            lang: self.lang,
            run: self.run,
            step: self.step(),
            intro,
            fix,
            next,
        }
    }
}

/// A condition as asked: its entry and checklist item.
struct Asked<'k> {
    entry: &'k Entry,
    item: &'k ChecklistItem,
}

impl<'k> Asked<'k> {
    fn find(knowledge: &'k Knowledge, id: &str) -> Option<Asked<'k>> {
        Some(Asked {
            entry: knowledge.entry(id)?,
            item: knowledge.checklist.as_ref()?.item(id)?,
        })
    }
}

/// A condition not met, or not known to be, with its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocker<'k> {
    pub entry: &'k Entry,
    pub item: &'k ChecklistItem,
    pub status: Status,
}

impl<'k> Blocker<'k> {
    fn find(knowledge: &'k Knowledge, id: &str, status: Status) -> Option<Blocker<'k>> {
        let Asked { entry, item } = Asked::find(knowledge, id)?;
        Some(Blocker {
            entry,
            item,
            status,
        })
    }
}

/// What to show after a step of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn<'k> {
    pub lang: Lang,
    pub run: u32,
    /// The 0-based number of the question in `next` (for its buttons).
    pub step: usize,
    /// The checklist's introduction, at the start.
    pub intro: Option<&'k str>,
    /// The fix for the condition just answered not met or "not sure".
    pub fix: Option<Blocker<'k>>,
    pub next: Next<'k>,
}

/// The next question, or the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next<'k> {
    Ask {
        /// 1-based, of `total`.
        number: usize,
        total: usize,
        entry: &'k Entry,
        item: &'k ChecklistItem,
    },
    Summary(Summary<'k>),
}

/// The end of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'k> {
    /// What still blocks (not met or "not sure"), in order.
    pub blockers: Vec<Blocker<'k>>,
    /// What to save before the final step.
    pub backups: Vec<(&'k Entry, &'k Backup)>,
    /// The step to go on with.
    pub next: Option<&'k Entry>,
}

impl Turn<'_> {
    /// The turn as plain text, for the terminal (the bot renders the same
    /// pieces as HTML).
    pub fn render_text(&self) -> String {
        let lang = self.lang;
        let mut parts: Vec<String> = Vec::new();
        if let Some(intro) = self.intro {
            parts.push(intro.to_string());
        }
        if let Some(fix) = &self.fix {
            parts.push(format!(
                "{}{}",
                text::checklist_fix_heading(lang),
                fix.item.fix.get(lang)
            ));
        }
        match &self.next {
            Next::Ask {
                number,
                total,
                item,
                ..
            } => parts.push(format!(
                "({number}/{total}) {}\n{}",
                item.ask.get(lang),
                text::checklist_typed_answers(lang)
            )),
            Next::Summary(summary) => parts.push(summary.render_text(lang)),
        }
        parts.join("\n\n")
    }
}

impl Summary<'_> {
    /// Whether nothing blocks.
    pub fn ready(&self) -> bool {
        self.blockers.is_empty()
    }

    /// The summary as plain text.
    pub fn render_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        if self.ready() {
            out.push_str(text::checklist_ready(lang));
        } else {
            out.push_str(text::checklist_blocked(lang));
            for blocker in &self.blockers {
                out.push_str(&format!(
                    "\n• {}{}\n  {}",
                    blocker.entry.title.get(lang),
                    text::checklist_unsure_mark(blocker.status, lang),
                    blocker.item.fix.get(lang)
                ));
            }
        }
        if !self.backups.is_empty() {
            out.push_str("\n\n");
            out.push_str(text::checklist_backups(lang));
            for (_, backup) in &self.backups {
                out.push_str(&format!("\n• {}", backup.text.get(lang)));
            }
        }
        if let Some(next) = self.next {
            out.push_str("\n\n");
            out.push_str(&text::checklist_next(next.title.get(lang), lang));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{Knowledge, Limits};

    fn shipped() -> Knowledge {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Knowledge::load(&dir, &Limits::default()).expect("shipped knowledge loads")
    }

    #[test]
    fn typed_answers_are_read_whole_and_only_whole() {
        for (text, answer) in [
            ("是", Some(Answer::Yes)),
            ("是的！", Some(Answer::Yes)),
            ("YES", Some(Answer::Yes)),
            ("否", Some(Answer::No)),
            ("没有", Some(Answer::No)),
            ("no.", Some(Answer::No)),
            ("不确定", Some(Answer::Unsure)),
            ("不確定", Some(Answer::Unsure)),
            ("Not sure", Some(Answer::Unsure)),
            ("I don't know", Some(Answer::Unsure)),
            ("是不是要先提现", None),
            ("no idea how to withdraw my balance", None),
            ("注销后还能恢复吗", None),
            ("", None),
        ] {
            assert_eq!(Answer::parse(text), answer, "{text:?}");
        }
        for answer in Answer::ALL {
            assert_eq!(Answer::from_code(&answer.code().to_string()), Some(answer));
        }
    }

    #[test]
    fn a_run_asks_each_condition_once_then_sums_up() {
        let knowledge = shipped();
        let checklist = knowledge.checklist.as_ref().unwrap();
        let mut progress = Progress::start(&knowledge, Lang::En, 7).unwrap();
        let first = progress.turn(&knowledge, true);
        assert_eq!(first.intro, Some(checklist.intro.en.as_str()));
        let total = checklist.items.len();
        let answers = [
            Answer::Yes,
            Answer::No,
            Answer::Yes,
            Answer::Unsure,
            Answer::Yes,
        ];
        assert_eq!(answers.len(), total, "the test answers every shipped item");
        for (step, answer) in answers.into_iter().enumerate() {
            let Next::Ask {
                number,
                total: t,
                item,
                ..
            } = progress.turn(&knowledge, false).next
            else {
                panic!("question {step} not asked");
            };
            assert_eq!((number, t), (step + 1, total));
            assert_eq!(item.entry, checklist.items[step].entry);
            // A button for another step or run changes nothing.
            assert_eq!(
                progress.answer(&knowledge, 7, step + 1, answer),
                Answered::Stale
            );
            assert_eq!(
                progress.answer(&knowledge, 8, step, answer),
                Answered::Stale
            );
            assert_eq!(
                progress.answer(&knowledge, 7, step, answer),
                Answered::Recorded
            );
            let turn = progress.turn(&knowledge, false);
            // An answer that says "not met", and "not sure", show that
            // condition's fix next.
            let met = Status::of(answer, &checklist.items[step]) == Status::Met;
            assert_eq!(
                turn.fix.map(|f| f.item.entry.as_str()),
                (!met).then_some(checklist.items[step].entry.as_str())
            );
        }
        assert!(progress.is_done(&knowledge));
        let Next::Summary(summary) = progress.turn(&knowledge, false).next else {
            panic!("no summary");
        };
        let blocking: Vec<_> = summary
            .blockers
            .iter()
            .map(|b| b.item.entry.as_str())
            .collect();
        // The last condition asks "have you done an appeal recently?": its
        // "yes" is a blocker.
        assert_eq!(checklist.items[4].yes_means, YesMeans::NotMet);
        assert_eq!(
            blocking,
            [
                &checklist.items[1].entry,
                &checklist.items[3].entry,
                &checklist.items[4].entry
            ]
        );
        assert!(!summary.ready());
        assert_eq!(summary.backups.len(), checklist.backups.len());
        let text = summary.render_text(Lang::En);
        for blocker in &summary.blockers {
            assert!(text.contains(blocker.item.fix.en.as_str()), "{text}");
        }
        // Answering after the end is refused.
        assert_eq!(
            progress.answer(&knowledge, 7, total, Answer::Yes),
            Answered::Stale
        );
    }

    /// The answer that says `item`'s condition is met.
    fn meets(item: &ChecklistItem) -> Answer {
        match item.yes_means {
            YesMeans::Met => Answer::Yes,
            YesMeans::NotMet => Answer::No,
        }
    }

    #[test]
    fn answers_that_meet_every_condition_are_ready_and_a_reload_that_drops_a_condition_skips_it() {
        let mut knowledge = shipped();
        let mut progress = Progress::start(&knowledge, Lang::Zh, 1).unwrap();
        let dropped = knowledge.checklist.as_mut().unwrap().items.remove(2);
        let total = knowledge.checklist.as_ref().unwrap().items.len();
        for step in 0..total {
            let turn = progress.turn(&knowledge, false);
            let Next::Ask { item, total: t, .. } = turn.next else {
                panic!("no question")
            };
            assert_ne!(item.entry, dropped.entry);
            assert_eq!(t, total);
            progress.answer(&knowledge, 1, step, meets(item));
        }
        let Next::Summary(summary) = progress.turn(&knowledge, false).next else {
            panic!("no summary");
        };
        assert!(summary.ready());
        assert!(
            summary
                .render_text(Lang::Zh)
                .starts_with(text::checklist_ready(Lang::Zh))
        );
    }

    #[test]
    fn yes_means_what_the_item_says_and_keeps_meaning_it_across_a_reload() {
        let item = |yes_means| ChecklistItem {
            entry: "a".into(),
            ask: Default::default(),
            yes_means,
            fix: Default::default(),
        };
        for (answer, met, not_met) in [
            (Answer::Yes, Status::Met, Status::NotMet),
            (Answer::No, Status::NotMet, Status::Met),
            (Answer::Unsure, Status::Unsure, Status::Unsure),
        ] {
            assert_eq!(Status::of(answer, &item(YesMeans::Met)), met);
            assert_eq!(Status::of(answer, &item(YesMeans::NotMet)), not_met);
        }

        // "Yes, I did an appeal recently" blocks, even if an admin then
        // rewords the question so that yes would mean met.
        let mut knowledge = shipped();
        let mut progress = Progress::start(&knowledge, Lang::En, 2).unwrap();
        let items = knowledge.checklist.as_ref().unwrap().items.clone();
        let last = items.len() - 1;
        for (step, item) in items.iter().enumerate().take(last) {
            progress.answer(&knowledge, 2, step, meets(item));
        }
        progress.answer(&knowledge, 2, last, Answer::Yes);
        knowledge.checklist.as_mut().unwrap().items[last].yes_means = YesMeans::Met;
        let Next::Summary(summary) = progress.turn(&knowledge, false).next else {
            panic!("no summary");
        };
        let blocking: Vec<_> = summary.blockers.iter().map(|b| &b.item.entry).collect();
        assert_eq!(blocking, [&items[last].entry]);
    }

    #[test]
    fn statuses_are_stored_as_answers_were() {
        // Progress stored before items could invert reads as it was meant.
        for (status, stored) in [
            (Status::Met, "\"yes\""),
            (Status::NotMet, "\"no\""),
            (Status::Unsure, "\"unsure\""),
        ] {
            assert_eq!(serde_json::to_string(&status).unwrap(), stored);
            assert_eq!(serde_json::from_str::<Status>(stored).unwrap(), status);
        }
    }

    #[test]
    fn progress_survives_serialisation() {
        let knowledge = shipped();
        let mut progress = Progress::start(&knowledge, Lang::En, 3).unwrap();
        progress.answer(&knowledge, 3, 0, Answer::Unsure);
        let json = serde_json::to_string(&progress).unwrap();
        assert_eq!(serde_json::from_str::<Progress>(&json).unwrap(), progress);
    }
}
