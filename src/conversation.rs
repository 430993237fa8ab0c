//! What a message does in a chat, beyond a plain answer: the guided help.
//!
//! A chat may have a [`Conversation`] under way: the readiness checklist,
//! or the bot waiting for the day a deletion was requested. [`message`]
//! decides what a message does with it: answer the checklist's question,
//! give the date that was asked for, or leave it (cleanly: the message is
//! then answered as usual). With nothing under way, a message that names the
//! date of a deletion request, or how long ago it was ("注销快两个月了"),
//! gets the cooling-off calculator ([`cooling::is_request`]), one the
//! matcher answers with the checklist's entry starts the checklist, and
//! everything else is answered by [`Faq::answer`].
//!
//! A message is read once ([`Faq::read`]): every decision here and in the
//! matcher uses that one [`Message`].
//!
//! The bot keeps each chat's conversation in the store; `faqbot chat` keeps
//! one in memory; `faqbot ask` and `faqbot eval` start with none.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::checklist::{Answer, Answered, Progress, Turn};
use crate::cooling::{self, Cooling};
use crate::matcher::Outcome;
use crate::message::Message;
use crate::{Faq, Lang, Reply, dates};

/// A guided conversation under way in one chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conversation {
    /// The readiness checklist.
    Checklist(Progress),
    /// The bot asked which day the deletion was requested.
    AwaitingDate { lang: Lang },
}

/// What the bot says.
#[derive(Debug, Clone)]
pub enum Response<'k> {
    /// An answer, a clarification or the fallback, from the matcher.
    Reply(Reply<'k>),
    /// The checklist's next question or its summary.
    Checklist(Turn<'k>),
    /// The cooling-off calculator's answer, or its question back.
    Cooling(Cooling<'k>),
}

impl Response<'_> {
    pub fn lang(&self) -> Lang {
        match self {
            Response::Reply(reply) => reply.lang(),
            Response::Checklist(turn) => turn.lang,
            Response::Cooling(cooling) => cooling.lang(),
        }
    }
}

/// A response and what the chat has under way after it.
#[derive(Debug, Clone)]
pub struct Step<'k> {
    pub response: Response<'k>,
    /// `None` when nothing is under way any more.
    pub conversation: Option<Conversation>,
    /// A checklist under way was left for this message.
    pub left: bool,
}

impl<'k> Step<'k> {
    fn new(response: Response<'k>, conversation: Option<Conversation>) -> Step<'k> {
        Step {
            response,
            conversation,
            left: false,
        }
    }
}

/// Handles a message in a chat whose conversation is `current`. `lang`
/// forces the reply language (`/lang`); `today` is in the bot's time zone.
/// `run` numbers a checklist the message starts; `None` for one-shot use
/// (`faqbot ask`, `eval`), where the checklist's entry is answered as
/// written instead, since no answer could follow.
///
/// With nothing under way, which of these a message gets does not depend on
/// `today`: whether a message mentions a date at all depends only on its
/// text ([`dates::find`] reads past, future and impossible dates alike), and
/// the calculator answers every reading, the latter two with a question
/// back. `today` only changes the dates the answer gives.
pub fn message<'k>(
    faq: &'k Faq,
    current: Option<Conversation>,
    text: &str,
    lang: Option<Lang>,
    today: Date,
    run: Option<u32>,
) -> Step<'k> {
    let knowledge = faq.knowledge();
    let message = faq.read(text);
    let mut left = false;
    match current {
        Some(Conversation::Checklist(mut progress)) => {
            if let Some(answer) = Answer::parse_normalized(message.whole_normalized()) {
                let (run, step) = (progress.run, progress.step());
                if progress.answer(knowledge, run, step, answer) == Answered::Recorded {
                    return checklist_step(faq, progress, false);
                }
            }
            // Anything else leaves the checklist and is answered as usual.
            left = true;
        }
        Some(Conversation::AwaitingDate { lang: asked_in }) => {
            if let Some(found) = message.date(today) {
                // The answer follows the language the date is written in
                // ("3天前" after an English question is answered in Chinese).
                let lang = lang.unwrap_or_else(|| {
                    let written = message.whole_normalized();
                    if written.is_empty() {
                        asked_in
                    } else {
                        crate::normalize::detect_lang(written)
                    }
                });
                if let Some(cooling) = Cooling::for_reading(
                    knowledge,
                    Some(found.reading),
                    found.approximate,
                    today,
                    lang,
                ) {
                    return cooling_step(cooling);
                }
            }
        }
        None => {}
    }
    let mut step = fresh(faq, &message, lang, today, run);
    step.left = left;
    step
}

/// A message with nothing under way.
fn fresh<'k>(
    faq: &'k Faq,
    message: &Message<'_>,
    lang: Option<Lang>,
    today: Date,
    run: Option<u32>,
) -> Step<'k> {
    let knowledge = faq.knowledge();
    let reply = faq.answer(message, lang);
    // A scam scenario gets the warning, whatever date it mentions ("今天下午
    // 有人打电话说我申请的注销有问题，要验证码").
    if let Some(section) = &knowledge.cooling_off
        && !reply.verdict.safety
        && let Some((found, source)) = message.dated(today)
        && (dates::is_only_date(source, &found)
            || cooling::is_request(section, message, &found, &reply))
        && let Some(cooling) = Cooling::for_reading(
            knowledge,
            Some(found.reading),
            found.approximate,
            today,
            reply.lang(),
        )
    {
        return cooling_step(cooling);
    }
    let starts_checklist = reply.verdict.outcome == Outcome::Answer
        && knowledge
            .checklist
            .as_ref()
            .zip(reply.entry)
            .is_some_and(|(checklist, entry)| checklist.entry == entry.id);
    if starts_checklist
        && let Some(run) = run
        && let Some(step) = start_checklist(faq, reply.lang(), run)
    {
        return step;
    }
    Step::new(Response::Reply(reply), None)
}

/// `/check`: starts the checklist; `None` if the knowledge has none.
pub fn start_checklist(faq: &Faq, lang: Lang, run: u32) -> Option<Step<'_>> {
    let progress = Progress::start(faq.knowledge(), lang, run)?;
    Some(checklist_step(faq, progress, true))
}

/// A checklist button: `answer` to question `step` of run `run`. `None` if
/// the button is stale (another run or question, or nothing under way).
pub fn answer_checklist(
    faq: &Faq,
    current: Option<Conversation>,
    run: u32,
    step: usize,
    answer: Answer,
) -> Option<Step<'_>> {
    let Some(Conversation::Checklist(mut progress)) = current else {
        return None;
    };
    match progress.answer(faq.knowledge(), run, step, answer) {
        Answered::Recorded => Some(checklist_step(faq, progress, false)),
        Answered::Stale => None,
    }
}

fn checklist_step(faq: &Faq, progress: Progress, intro: bool) -> Step<'_> {
    let knowledge = faq.knowledge();
    let turn = progress.turn(knowledge, intro);
    let conversation = (!progress.is_done(knowledge)).then_some(Conversation::Checklist(progress));
    Step::new(Response::Checklist(turn), conversation)
}

/// `/cooling [date]`: the dates for `arg`, or a question back for the date;
/// `None` if the knowledge has no `[cooling_off]`.
pub fn cooling_command<'k>(
    faq: &'k Faq,
    arg: Option<&str>,
    lang: Lang,
    today: Date,
) -> Option<Step<'k>> {
    let (reading, approximate) = match arg.map(str::trim).filter(|a| !a.is_empty()) {
        None => (None, false),
        Some(arg) => match dates::find(arg, today) {
            Some(found) => (Some(found.reading), found.approximate),
            None => (Some(dates::Reading::Invalid), false),
        },
    };
    Cooling::for_reading(faq.knowledge(), reading, approximate, today, lang).map(cooling_step)
}

/// The calculator's answer; after a question back, the chat waits for the
/// date.
fn cooling_step(cooling: Cooling<'_>) -> Step<'_> {
    let conversation = cooling.asks().then(|| Conversation::AwaitingDate {
        lang: cooling.lang(),
    });
    Step::new(Response::Cooling(cooling), conversation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Limits;
    use crate::matcher::MatcherConfig;

    fn shipped() -> Faq {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Faq::load(&dir, &Limits::default(), MatcherConfig::default()).expect("shipped knowledge")
    }

    const TODAY: Date = jiff::civil::date(2026, 11, 28);

    fn kind(step: &Step<'_>) -> &'static str {
        match &step.response {
            Response::Reply(_) => "reply",
            Response::Checklist(_) => "checklist",
            Response::Cooling(Cooling::Dates { .. }) => "dates",
            Response::Cooling(Cooling::AskDate { .. }) => "ask-date",
        }
    }

    #[test]
    fn a_date_gets_the_calculator_only_when_it_dates_a_request() {
        let faq = shipped();
        for (text, expected) in [
            ("我11月3号申请的注销 还能撤销吗", "dates"),
            ("I applied on Nov 3", "dates"),
            ("11月3日", "dates"),
            // Typos and homophones are read as the words they stand for.
            (
                "applyed to delete on the 2nd of may, what date is final deletion",
                "dates",
            ),
            ("注消申请是上周五提交的 什么时候真正注销", "dates"),
            ("申请注销 明天", "ask-date"),
            ("2月30日申请的注销", "ask-date"),
            // Dates that are not a request date, or no date at all.
            ("我昨天被封号了还能注销吗", "reply"),
            ("我3天前申请了提现，钱还没到账，能注销吗", "reply"),
            ("抖音账号3天前申请注销了 冷静期还剩几天", "reply"),
            (
                "cooling off ended yesterday, can i still recover anything?",
                "reply",
            ),
            ("冷静期是多少天", "reply"),
            // One-shot: "can I delete yet?" is answered as written.
            ("我能注销吗", "reply"),
        ] {
            let step = message(&faq, None, text, None, TODAY, None);
            assert_eq!(kind(&step), expected, "{text}");
            assert_eq!(
                step.conversation.is_some(),
                expected == "ask-date",
                "{text}"
            );
        }
        // In a chat, it starts the checklist.
        let step = message(&faq, None, "我能注销吗", None, TODAY, Some(1));
        assert_eq!(kind(&step), "checklist");
        assert!(matches!(
            step.conversation,
            Some(Conversation::Checklist(_))
        ));
    }

    #[test]
    fn a_duration_since_the_deletion_gets_the_calculator() {
        let faq = shipped();
        // (message, whether the user gave the date roughly)
        for (text, approximate) in [
            ("号注销快四个月了还有戏吗", true),
            ("我注销已经两个月又一周了", true),
            ("申请注销第62天了", false),
            ("注销第45天", false),
            ("注销整整两个月了", true),
            ("申请注销都半年了", true),
            ("注销申请交了一个半月了 现在撤销来得及不", true),
            ("我申请了注销，已经过去两个月了，还能恢复吗", true),
            ("视频号删号十来天了还能找回吗", true),
            ("註銷申請已經三個月了，帳號還救得回來嗎", true),
            ("我註銷已經兩個月又一週了，還有機會嗎", true),
            ("注销６２天了", false),
            ("I deleted it 4 months ago", true),
            ("it's been 70 days since I requested deletion", false),
            ("day 62 since i applied", false),
            ("applied over two months ago", true),
            (
                "requested deletion about 3 weeks ago, can I still undo?",
                true,
            ),
            ("i applied to delete and its been 45 days", false),
            // A bare count, asked about undoing: what else would be undone.
            ("两个月了还能撤销吗", true),
            ("day 61 can i still recover it", false),
        ] {
            let step = message(&faq, None, text, None, TODAY, None);
            let Response::Cooling(Cooling::Dates {
                approximate: rough, ..
            }) = step.response
            else {
                panic!("{text}: {}", kind(&step));
            };
            assert_eq!(rough, approximate, "{text}");
            assert_eq!(step.conversation, None, "{text}");
        }
        // Even where the matcher puts another entry first.
        let text = "申请注销第62天了";
        let verdict = faq.matcher().find(text, None);
        let entry = verdict
            .answer
            .as_ref()
            .or(verdict.suggestions.first())
            .map(|c| c.id.as_str());
        assert!(
            entry.is_some_and(|id| {
                !faq.knowledge()
                    .cooling_off
                    .as_ref()
                    .unwrap()
                    .entries
                    .iter()
                    .any(|e| e == id)
            }),
            "{entry:?}"
        );
        assert_eq!(kind(&message(&faq, None, text, None, TODAY, None)), "dates");
    }

    #[test]
    fn a_duration_about_something_else_is_answered_as_usual() {
        let faq = shipped();
        for text in [
            // The ban, the withdrawal, the use of the account: not the request.
            "我被封号3个月了能注销吗",
            "我3天前被封号了还能注销吗",
            "申请提现两个月了还没到账能注销吗",
            "这个号用了两年了，注销了还能恢复吗",
            "I was banned 3 months ago, can I delete?",
            "I've been restricted for 2 weeks, it's been 14 days since my appeal, can I delete",
            "我撤销注销两个月了",
            // Another app, or a divorce.
            "抖音注销两个月了",
            "快手号注销两个月了还能恢复吗",
            "离婚冷静期30天了",
            // A duration with nothing that says what it counts from, and a
            // question about something else than the period.
            "两个月了还能提现吗",
            // No duration read: the period's length, a deletion to come.
            "冷静期60天了吗",
            "lengjingqi 60 tian le ma",
            "注销两个月还能恢复吗",
            "冷静期还剩3天了",
            "第60天会自动删除吗",
        ] {
            let step = message(&faq, None, text, None, TODAY, None);
            assert_eq!(kind(&step), "reply", "{text}");
        }
    }

    #[test]
    fn a_scam_scenario_gets_the_warning_whatever_date_it_names() {
        let faq = shipped();
        for text in [
            "今天下午有人打电话说我3天前申请的注销有问题，要我把验证码念给他",
            "I applied to delete on Nov 3 and today a caller from 'WeChat support' wants my SMS code to finish it",
        ] {
            let step = message(&faq, None, text, None, TODAY, None);
            let Response::Reply(reply) = &step.response else {
                panic!("{text}: {}", kind(&step));
            };
            assert!(reply.verdict.safety, "{text}");
            assert_eq!(reply.entry.map(|e| e.id.as_str()), Some("scam-warning"));
        }
    }

    #[test]
    fn a_question_back_waits_for_the_date_in_the_language_it_comes_in() {
        let faq = shipped();
        let step = cooling_command(&faq, None, Lang::En, TODAY).unwrap();
        assert_eq!(kind(&step), "ask-date");
        let waiting = step.conversation;
        assert_eq!(waiting, Some(Conversation::AwaitingDate { lang: Lang::En }));
        let step = message(&faq, waiting.clone(), "3天前", None, TODAY, Some(1));
        assert_eq!((kind(&step), step.response.lang()), ("dates", Lang::Zh));
        assert_eq!(step.conversation, None);
        // Anything without a date leaves it and is answered as usual.
        let step = message(
            &faq,
            waiting,
            "how do I back up my videos",
            None,
            TODAY,
            Some(1),
        );
        assert_eq!((kind(&step), step.conversation), ("reply", None));
    }
}
