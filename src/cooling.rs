//! The cooling-off calculator: "I applied on 3 November — until when can I
//! still undo it?", "号注销快四个月了还有戏吗". From the request date and the
//! period in the knowledge's `[cooling_off]` (usually 60 days, the guide
//! says) it tells the end date, the days left, and that undoing is still
//! possible today and how; when the period is over by the count, that the
//! account has probably been deleted and how to check; when the request
//! date is approximate and the end near, to check in WeChat now.
//!
//! Dates are calendar days in the bot's time zone (`bot.timezone`): the
//! caller passes "today" in, so everything here is a pure function.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp as Instant, ToSpan};

use crate::dates::{Found, Kind, Reading};
use crate::knowledge::{Bilingual, CoolingOff, Entry, Knowledge};
use crate::matcher::Outcome;
use crate::message::Message;
use crate::normalize::normalize;
use crate::store::Timestamp;
use crate::{Lang, Reply, text};

/// The hour of the day (in the bot's time zone) reminders go out.
pub const REMINDER_HOUR: i8 = 10;

/// Today in `tz`.
pub fn today(tz: &TimeZone) -> Date {
    Instant::now().to_zoned_datetime(tz.clone()).date()
}

/// The dates of one deletion request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The day the deletion was requested.
    pub requested: Date,
    /// The day the cooling-off period ends: the request date plus the
    /// period. Undoing is possible up to and including this day.
    pub ends: Date,
    pub today: Date,
    /// The period's length in days.
    pub days: u16,
}

/// How near the end of the period a request date the user gave roughly
/// ("快两个月了") makes the answer "close, check now": about two weeks,
/// either way.
pub const CLOSE_DAYS: i64 = 14;

/// Where today falls in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Undoing is possible; `days_left` days until the end (at least 1).
    Open { days_left: i64 },
    /// Today is the last day.
    LastDay,
    /// The period ended `days_ago` days ago: the deletion is probably final.
    Over { days_ago: i64 },
    /// The request date is approximate and the end within [`CLOSE_DAYS`]
    /// of today, either way (`days_left` is negative once it is past): it
    /// may be over or not.
    Close { days_left: i64 },
}

impl Period {
    /// The period of a request made on `requested`; `None` if its end falls
    /// outside the calendar (years after 9999).
    pub fn new(requested: Date, today: Date, days: u16) -> Option<Period> {
        let ends = requested.checked_add(i64::from(days).days()).ok()?;
        Some(Period {
            requested,
            ends,
            today,
            days,
        })
    }

    /// Where today falls, counting from an exact request date.
    pub fn standing(&self) -> Standing {
        let left = days_between(self.today, self.ends);
        match left {
            1.. => Standing::Open { days_left: left },
            0 => Standing::LastDay,
            _ => Standing::Over { days_ago: -left },
        }
    }

    /// Where today falls, counting from a request date that is `approximate`
    /// or not: near the end, a rough date cannot tell which side it is on.
    pub fn standing_given(&self, approximate: bool) -> Standing {
        let left = days_between(self.today, self.ends);
        if approximate && left.abs() <= CLOSE_DAYS {
            Standing::Close { days_left: left }
        } else {
            self.standing()
        }
    }

    /// The day a reminder `days_before` the end is due, if that is still
    /// ahead (a reminder for today or the past would be pointless: the
    /// answer already says how many days are left).
    pub fn reminder_day(&self, days_before: u16) -> Option<Date> {
        let day = self.ends.checked_sub(i64::from(days_before).days()).ok()?;
        (day > self.today).then_some(day)
    }
}

/// Whole days from `from` to `to` (negative if `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

/// When a reminder due on `day` is sent, and after when it is pointless
/// (the end of the last day of the period), as Unix timestamps in `tz`.
pub fn reminder_times(day: Date, ends: Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let at = day
        .at(REMINDER_HOUR, 0, 0, 0)
        .to_zoned_datetime(tz.clone())
        .ok()?;
    let deadline = ends.tomorrow().ok()?.to_zoned_datetime(tz.clone()).ok()?;
    Some((at.timestamp().as_second(), deadline.timestamp().as_second()))
}

/// Why the calculator asks for the date instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No date was given.
    Missing,
    /// The date is after today: a request cannot have been made then.
    Future(Date),
    /// What looked like a date is none (2月30日).
    Invalid,
}

/// The calculator's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cooling<'k> {
    /// The period of a request, and how to undo it.
    Dates {
        lang: Lang,
        period: Period,
        /// The user gave the request date roughly ("快两个月了").
        approximate: bool,
        /// The texts of `[cooling_off]`.
        section: &'k CoolingOff,
        undo: Option<&'k Entry>,
        gone: Option<&'k Entry>,
    },
    /// A question back: which day was the request?
    AskDate { lang: Lang, problem: Problem },
}

impl<'k> Cooling<'k> {
    /// The answer for a date as read from a message, `approximate` or not
    /// ([`Found::approximate`]); `None` if the knowledge has no
    /// `[cooling_off]`.
    pub fn for_reading(
        knowledge: &'k Knowledge,
        reading: Option<Reading>,
        approximate: bool,
        today: Date,
        lang: Lang,
    ) -> Option<Cooling<'k>> {
        let section = knowledge.cooling_off.as_ref()?;
        let problem = match reading {
            None => Problem::Missing,
            Some(Reading::Invalid) => Problem::Invalid,
            Some(Reading::Future(date)) => Problem::Future(date),
            Some(Reading::Past(requested)) => {
                return Some(match Period::new(requested, today, section.days) {
                    Some(period) => Cooling::Dates {
                        lang,
                        period,
                        approximate,
                        section,
                        undo: knowledge.entry(&section.undo_entry),
                        gone: knowledge.entry(&section.final_entry),
                    },
                    None => Cooling::AskDate {
                        lang,
                        problem: Problem::Invalid,
                    },
                });
            }
        };
        Some(Cooling::AskDate { lang, problem })
    }

    pub fn lang(&self) -> Lang {
        match self {
            Cooling::Dates { lang, .. } | Cooling::AskDate { lang, .. } => *lang,
        }
    }

    /// The entries whose questions this answer settles for the user's own
    /// request: where the period stands, whether undoing is still possible
    /// and how, whether the deletion is final (`[cooling_off] entries`, its
    /// undo and final entries), whichever side of the end today is. A
    /// question back settles none.
    pub fn covers(&self) -> Vec<&'k str> {
        let Cooling::Dates { section, .. } = self else {
            return Vec::new();
        };
        let mut ids: Vec<&str> = section.entries.iter().map(String::as_str).collect();
        for id in [&section.undo_entry, &section.final_entry] {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        ids
    }

    /// Whether the bot should wait for a date after this answer.
    pub fn asks(&self) -> bool {
        matches!(self, Cooling::AskDate { .. })
    }

    /// The answer as plain text (the bot escapes the same text).
    pub fn render_text(&self) -> String {
        match self {
            Cooling::Dates {
                lang,
                period,
                approximate,
                section,
                ..
            } => text::cooling_dates(period, *approximate, section, *lang),
            Cooling::AskDate { lang, problem } => text::cooling_ask(*problem, *lang),
        }
    }
}

/// Whether a message that mentions a date (`found`, from [`dates::find`])
/// is about when a deletion was requested. A message that says the period
/// has ended ("冷静期昨天结束了") is not: its date is no request date.
///
/// A date is a request date when the matcher answered the message with one
/// of `[cooling_off]`'s entries (or offers one first), or the message uses one of its phrases
/// ("申请注销", "requested deletion") and is not about something the bot
/// does not cover (another app's deletion, a divorce's cooling-off period:
/// the matcher fell back because an out-of-scope example fits it best),
/// and the words in its own clause do not say something else happened on
/// that day ("我11月3日申请了提现", "I opened WeChat today").
///
/// A duration ("注销快两个月了", "3 days ago", "it's been 70 days since I
/// applied") goes by the words around it ([`about`]): next to a deletion
/// word it is the time since the request, whatever entry the matcher chose,
/// unless out of scope; next to another event ("我被封号3个月了能注销吗") it
/// is not. With neither, "3天前" is taken like a date, and "两个月了" or
/// "day 61" only when the matcher answered with one of `[cooling_off]`'s
/// entries or offers one first ("day 61, can I still recover it"): how long something has been
/// going on, with nothing to say what, is otherwise no request date.
///
/// [`dates::find`]: crate::dates::find
pub fn is_request(
    section: &CoolingOff,
    message: &Message<'_>,
    found: &Found,
    reply: &Reply<'_>,
) -> bool {
    // The message as typed and as read (typos corrected, pinyin read as
    // Chinese): "applyed", "注消" and "sph zx" say what they mean.
    let normalized = message.whole_normalized();
    let corrected: Vec<&str> = message
        .readings()
        .filter(|reading| *reading != normalized)
        .collect();
    let says = |phrases: &Bilingual<Vec<String>>| {
        std::iter::once(normalized)
            .chain(corrected.iter().copied())
            .any(|text| {
                phrases.zh.iter().any(|p| text.contains(p.as_str()))
                    || phrases.en.iter().any(|p| has_words(text, p))
            })
    };
    if says(&section.ended) {
        return false;
    }
    // The matcher found the message asks about the period: it answered
    // with one of the period's entries, or offers one first.
    let first_choice = match reply.verdict.outcome {
        Outcome::Clarify => reply.suggestions.first().map(|(e, _)| *e),
        _ => None,
    };
    let answered = reply
        .entry
        .or(first_choice)
        .is_some_and(|e| section.entries.contains(&e.id));
    let dated = || answered || (says(&section.phrases) && !out_of_scope(reply));
    // A date counts only where the reply or the message's words are about
    // the period; only then are the words in its clause looked at.
    if found.kind == Kind::Date {
        return dated() && about(section, message.text(), found) != About::Other;
    }
    let about = match about(section, message.text(), found) {
        // Nothing as typed says what the duration is of: the reading may
        // ("sph zx第58天" reads as 注销…第58天), around the same expression.
        About::Unknown => {
            let typed = message.text().get(found.span.clone()).unwrap_or_default();
            corrected
                .iter()
                .filter_map(|reading| {
                    let start = reading.find(typed).filter(|_| !typed.is_empty())?;
                    let mut there = found.clone();
                    there.span = start..start + typed.len();
                    Some(about(section, reading, &there))
                })
                .find(|about| *about != About::Unknown)
                .unwrap_or(About::Unknown)
        }
        about => about,
    };
    match about {
        About::Deletion => !out_of_scope(reply),
        About::Other => false,
        // "3天前" is taken like a date. "day 61, can I still recover it": a
        // count with nothing said of what it counts is the deletion's only
        // when the matcher found the message asks about the period
        // (undoing, the end of it).
        About::Unknown if found.kind == Kind::Ago => dated(),
        About::Unknown => answered,
    }
}

/// Whether `phrase` occurs in `text` (normalised) as whole words: with a
/// space, or the text's start or end, on either side. The same as
/// `format!(" {text} ").contains(&format!(" {phrase} "))`, without making
/// either string.
fn has_words(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find(phrase)) {
        let at = from + at;
        let end = at + phrase.len();
        let before = at == 0 || text[..at].ends_with(' ');
        let after = end == text.len() || text[end..].starts_with(' ');
        if before && after {
            return true;
        }
        match text[at..].chars().next() {
            Some(c) => from = at + c.len_utf8(),
            None => return false,
        }
    }
    false
}

/// What the words around a duration say it counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// The deletion, or a request with nothing else named nearer.
    Deletion,
    /// Something else: a ban, a withdrawal, an appeal.
    Other,
    /// No word of `[cooling_off]`'s lists near it.
    Unknown,
}

/// What ends the clause a date or a duration is in.
const CLAUSE_ENDS: &str = "，。！？；,.!?;\n";

/// What the duration `found` in `message` counts from: the nearest word of
/// `[cooling_off]`'s `deletion_words` and `other_words` before it ("注销快
/// 两个月了", "我被封号3个月了"), or, for "3天前", "3 days ago" and "70 days
/// since", the first one after it in its clause ("3天前点了注销", "70 days
/// since I requested deletion"), which counts first. `request_words`
/// ("申请", "applied") count as the deletion when no other word is found on
/// that side. A date ([`Kind::Date`]) goes by the nearer of the words on
/// either side of it in its own clause ("我11月3日申请了提现", "I opened
/// WeChat today").
pub fn about(section: &CoolingOff, message: &str, found: &Found) -> About {
    let (Some(before), Some(after)) = (
        message.get(..found.span.start),
        message.get(found.span.end..),
    ) else {
        return About::Unknown;
    };
    let clause = after
        .split(|c: char| CLAUSE_ENDS.contains(c))
        .next()
        .unwrap_or_default();
    let back = || nearest(section, &normalize(before), Side::Before);
    match found.kind {
        // A day says what happened on it in its own clause, whichever word
        // is nearer ("我11月3日申请了提现", "I opened WeChat today and …").
        Kind::Date => {
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| CLAUSE_ENDS.contains(c))
                .map_or(0, |(at, c)| at + c.len_utf8());
            let before = &before[start..];
            let back = nearest_at(section, &normalize(before), Side::Before);
            let ahead = nearest_at(section, &normalize(clause), Side::After);
            match (back, ahead) {
                (Some(back), Some(ahead)) if ahead.0 < back.0 => ahead.1,
                (Some(back), _) => back.1,
                (None, Some(ahead)) => ahead.1,
                (None, None) => About::Unknown,
            }
        }
        // "day 58 of the cooling off", "day 20 into the waiting period": what
        // the count is of follows it.
        Kind::Elapsed => match back() {
            About::Unknown => {
                let clause = normalize(clause);
                match clause.split_once(' ') {
                    Some(("of" | "into" | "in", rest)) => nearest(section, rest, Side::After),
                    _ => About::Unknown,
                }
            }
            about => about,
        },
        Kind::Ago => match nearest(section, &normalize(clause), Side::After) {
            About::Unknown => back(),
            about => about,
        },
    }
}

/// Which side of a duration a text is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

/// The word of `section`'s lists in `text` (normalised) nearest the
/// duration on `side` of it.
fn nearest(section: &CoolingOff, text: &str, side: Side) -> About {
    nearest_at(section, text, side).map_or(About::Unknown, |(_, about)| about)
}

/// [`nearest`], with how far (in bytes of `text`) the word is from the
/// duration's side of `text`; `None` for [`About::Unknown`].
fn nearest_at(section: &CoolingOff, text: &str, side: Side) -> Option<(usize, About)> {
    if text.trim().is_empty() {
        return None;
    }
    // (start, end, what) of every word found, counted as if `text` had a
    // space on either side; English words whole.
    let mut found: Vec<(usize, usize, About)> = Vec::new();
    let mut requests: Vec<(usize, usize, About)> = Vec::new();
    for (words, about) in [
        (&section.deletion_words, Some(About::Deletion)),
        (&section.other_words, Some(About::Other)),
        (&section.request_words, None),
    ] {
        let zh = words.zh.iter().flat_map(|w| {
            text.match_indices(w.as_str())
                .map(move |(at, _)| (at + 1, at + 1 + w.len()))
        });
        let en = words.en.iter().flat_map(|w| {
            text.match_indices(w.as_str())
                .filter(|&(at, _)| {
                    let end = at + w.len();
                    (at == 0 || text[..at].ends_with(' '))
                        && (end == text.len() || text[end..].starts_with(' '))
                })
                .map(move |(at, _)| (at + 1, at + 1 + w.len()))
        });
        for (start, end) in zh.chain(en) {
            match about {
                Some(about) => found.push((start, end, about)),
                None => requests.push((start, end, About::Deletion)),
            }
        }
    }
    // Nearest first; of two that end (or start) together, the longer
    // ("撤销注销" over "注销"). A request word counts as the deletion only
    // when no other word is found.
    let nearest = |found: Vec<(usize, usize, About)>| match side {
        Side::Before => found
            .into_iter()
            .max_by_key(|&(start, end, _)| (end, std::cmp::Reverse(start)))
            .map(|(_, end, about)| ((text.len() + 1).saturating_sub(end), about)),
        Side::After => found
            .into_iter()
            .min_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)))
            .map(|(start, _, about)| (start.saturating_sub(1), about)),
    };
    nearest(found).or_else(|| nearest(requests))
}

/// Whether the matcher fell back because an out-of-scope topic decided
/// (its cues, or its examples fitting best).
fn out_of_scope(reply: &Reply<'_>) -> bool {
    reply.verdict.outcome == Outcome::Fallback && reply.verdict.topic.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_period_ends_the_given_number_of_days_after_the_request() {
        let today = date(2026, 11, 28);
        let period = Period::new(date(2026, 11, 3), today, 60).unwrap();
        assert_eq!(period.ends, date(2027, 1, 2));
        assert_eq!(period.standing(), Standing::Open { days_left: 35 });
        assert_eq!(period.reminder_day(3), Some(date(2026, 12, 30)));

        let last = Period::new(date(2026, 9, 29), today, 60).unwrap();
        assert_eq!(last.ends, today);
        assert_eq!(last.standing(), Standing::LastDay);
        assert_eq!(last.reminder_day(3), None);

        let over = Period::new(date(2026, 9, 1), today, 60).unwrap();
        assert_eq!(over.ends, date(2026, 10, 31));
        assert_eq!(over.standing(), Standing::Over { days_ago: 28 });

        // Across a leap day.
        let leap = Period::new(date(2028, 1, 15), date(2028, 2, 1), 60).unwrap();
        assert_eq!(leap.ends, date(2028, 3, 15));
        // Requested today: the whole period is ahead.
        let fresh = Period::new(today, today, 60).unwrap();
        assert_eq!(fresh.standing(), Standing::Open { days_left: 60 });
        // The end of the calendar is no panic.
        assert_eq!(Period::new(date(9999, 12, 1), date(9999, 12, 2), 60), None);
    }

    fn shipped() -> Knowledge {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Knowledge::load(&dir, &crate::knowledge::Limits::default()).expect("shipped knowledge")
    }

    /// What the calculator says, today 2026-11-28, about a request made
    /// `days` days ago.
    fn says(knowledge: &Knowledge, days: i64, approximate: bool, lang: Lang) -> String {
        let today = date(2026, 11, 28);
        let requested = today.checked_sub(days.days()).unwrap();
        Cooling::for_reading(
            knowledge,
            Some(Reading::Past(requested)),
            approximate,
            today,
            lang,
        )
        .unwrap()
        .render_text()
    }

    #[test]
    fn an_answer_with_dates_covers_the_periods_entries() {
        let knowledge = shipped();
        let today = date(2026, 11, 28);
        let covers = |reading: Reading| {
            Cooling::for_reading(&knowledge, Some(reading), false, today, Lang::En)
                .unwrap()
                .covers()
        };
        let period = ["cooling-off", "undo-deletion", "final-deletion"];
        // Running or over, it says whether undoing is possible and whether
        // the deletion is final.
        assert_eq!(covers(Reading::Past(date(2026, 11, 18))), period);
        assert_eq!(covers(Reading::Past(date(2026, 8, 1))), period);
        // A question back covers nothing.
        assert!(covers(Reading::Future(date(2026, 12, 3))).is_empty());
        assert!(covers(Reading::Invalid).is_empty());
    }

    #[test]
    fn a_rough_date_near_the_end_is_close_either_way() {
        let today = date(2026, 11, 28);
        let ends_in = |days: i64| {
            let requested = today.checked_add((days - 60).days()).unwrap();
            Period::new(requested, today, 60).unwrap()
        };
        for days in [-CLOSE_DAYS, -1, 0, 1, CLOSE_DAYS] {
            assert_eq!(
                ends_in(days).standing_given(true),
                Standing::Close { days_left: days }
            );
        }
        assert_eq!(
            ends_in(CLOSE_DAYS + 1).standing_given(true),
            Standing::Open {
                days_left: CLOSE_DAYS + 1
            }
        );
        assert_eq!(
            ends_in(-CLOSE_DAYS - 1).standing_given(true),
            Standing::Over {
                days_ago: CLOSE_DAYS + 1
            }
        );
        // An exact date is never "close": it knows which side it is on.
        assert_eq!(
            ends_in(-1).standing_given(false),
            Standing::Over { days_ago: 1 }
        );
        assert_eq!(ends_in(0).standing_given(false), Standing::LastDay);
    }

    #[test]
    fn every_answer_hedges_and_none_states_the_deletion_as_fact() {
        let knowledge = shipped();
        let section = knowledge.cooling_off.as_ref().unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let (usual, counts) = match lang {
                Lang::Zh => ("冷静期通常为 60 天", "具体日期以微信视频号里显示的为准。"),
                Lang::En => (
                    "the usual 60-day cooling-off period",
                    "The dates shown in WeChat Channels itself are what counts.",
                ),
            };
            let how_to_undo = section.how_to_undo.get(lang).as_str();
            let during = section.during.get(lang).as_str();
            let over = section.over.get(lang).as_str();
            let close = section.close.get(lang).as_str();
            // (days since the request, approximate, what must be said, what must not)
            let cases: [(i64, bool, &[&str], &[&str]); 8] = [
                (25, false, &[how_to_undo, during], &[over, close]),
                (25, true, &[how_to_undo, during], &[over, close]),
                (60, false, &[how_to_undo], &[over, close]),
                (61, false, &[over], &[how_to_undo, during, close]),
                (120, true, &[over], &[how_to_undo, during, close]),
                (50, true, &[close], &[how_to_undo, over]),
                (60, true, &[close], &[how_to_undo, over]),
                (70, true, &[close], &[how_to_undo, over]),
            ];
            for (days, approximate, said, unsaid) in cases {
                let text = says(&knowledge, days, approximate, lang);
                assert!(text.contains(usual), "{days} {approximate}: {text}");
                assert!(text.ends_with(counts), "{days} {approximate}: {text}");
                for s in said {
                    assert!(
                        text.contains(s),
                        "{days} {approximate}: {s:?} not in {text}"
                    );
                }
                for s in unsaid {
                    assert!(!text.contains(s), "{days} {approximate}: {s:?} in {text}");
                }
            }
        }
        // Over, the deletion is likely, and WeChat shows whether undoing is
        // still offered.
        assert!(section.over.zh.contains("很可能") && section.over.zh.contains("撤销注销"));
        assert!(section.over.en.contains("probably") && section.over.en.contains("Undo deletion"));
        assert!(section.close.zh.contains("现在") && section.close.en.contains("now"));
    }

    #[test]
    fn the_calculators_words() {
        let knowledge = shipped();
        let zh = |days, approximate| says(&knowledge, days, approximate, Lang::Zh);
        let en = |days, approximate| says(&knowledge, days, approximate, Lang::En);
        assert!(
            zh(25, false).starts_with(
                "按2026年11月3日（周二）申请注销、冷静期通常为 60 天推算：冷静期到2027年1月2日（周六）结束，还剩 35 天。\n✅ 现在还可以撤销："
            ),
            "{}",
            zh(25, false)
        );
        assert!(
            zh(25, true).starts_with(
                "按大约2026年11月3日（周二）申请注销、冷静期通常为 60 天粗略推算：冷静期大约到2027年1月2日（周六）结束，还剩大约 35 天。"
            ),
            "{}",
            zh(25, true)
        );
        assert!(
            zh(88, false)
                .contains("冷静期应已于2026年10月31日（周六）结束（28 天前）。\n⛔ 账号很可能"),
            "{}",
            zh(88, false)
        );
        assert!(
            zh(88, true).contains("冷静期应已在2026年10月31日（周六）前后结束（大约 28 天前）。"),
            "{}",
            zh(88, true)
        );
        assert!(
            zh(62, true).contains("冷静期大约在2026年11月26日（周四）前后结束，离今天很近。\n⚠️ "),
            "{}",
            zh(62, true)
        );
        assert!(
            en(25, true).starts_with(
                "Counting roughly from a request around Tuesday 3 November 2026, with the usual 60-day cooling-off period: it ends around Saturday 2 January 2027, about 35 days from now."
            ),
            "{}",
            en(25, true)
        );
        assert!(
            en(61, false).contains("it would have ended on Friday 27 November 2026, 1 day ago.\n⛔ The account has probably"),
            "{}",
            en(61, false)
        );
        assert!(
            en(62, true).contains("it ends around Thursday 26 November 2026, close to today.\n⚠️ "),
            "{}",
            en(62, true)
        );
    }

    #[test]
    fn an_english_phrase_is_found_as_whole_words() {
        for text in [
            "",
            "a",
            "i applied",
            "applied to delete",
            "reapplied",
            "a a a",
            "x a a a",
        ] {
            let padded = format!(" {text} ");
            for phrase in [
                "",
                "a",
                "a a",
                "applied",
                "applied to",
                "delete",
                "pplied",
                " ",
            ] {
                assert_eq!(
                    has_words(text, phrase),
                    padded.contains(&format!(" {phrase} ")),
                    "{text:?} {phrase:?}"
                );
            }
        }
    }

    #[test]
    fn a_duration_is_about_the_nearest_word() {
        let knowledge = shipped();
        let section = knowledge.cooling_off.as_ref().unwrap();
        let today = date(2026, 11, 28);
        for (text, want) in [
            ("注销两个月了", About::Deletion),
            ("注销申请两个月了", About::Deletion),
            // A request with nothing else named is the deletion's...
            ("申请两个月了", About::Deletion),
            ("day 62 since i applied", About::Deletion),
            // A count of what follows it ("day 58 of").
            ("day 58 of the cooling off", About::Deletion),
            ("day 3 of my withdrawal request", About::Other),
            // ...but not a request for something else.
            ("申请提现两个月了", About::Other),
            ("提现申请两个月了", About::Other),
            ("我被封号了，注销两个月了", About::Deletion),
            ("我申请注销被拒了，封号两个月了", About::Other),
            ("我撤销注销两个月了", About::Other),
            // "前" and "since" look after it first, in its clause.
            ("3天前点了注销", About::Deletion),
            ("3天前申请了提现，能注销吗", About::Other),
            ("注销了，3天前被封号", About::Other),
            ("我注销了，3天前的事", About::Deletion),
            ("70 days since I requested deletion", About::Deletion),
            ("deleted it, and 3 weeks ago I was banned", About::Other),
            // Nothing near it; and a date is not a duration.
            ("两个月了", About::Unknown),
            // A day goes by the nearest word in its clause.
            ("我11月3日申请了提现", About::Other),
            ("我11月3日申请的注销", About::Deletion),
            (
                "i requested deletion yesterday, and banned today",
                About::Deletion,
            ),
            ("i opened wechat today and it shows undo", About::Other),
            ("今天想看看 11月3日", About::Unknown),
            // Only the date's own clause counts, after a Chinese comma too.
            ("我被封号了，11月3日申请的注销", About::Deletion),
            ("我申请了注销，11月3日开通的", About::Other),
        ] {
            let found = crate::dates::find(text, today).unwrap();
            assert_eq!(about(section, text, &found), want, "{text}");
        }
    }

    #[test]
    fn reminders_go_out_in_the_bots_time_zone() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let (at, deadline) = reminder_times(date(2026, 12, 30), date(2027, 1, 2), &tz).unwrap();
        // 10:00 in Shanghai is 02:00 UTC; the deadline is the end of 2 January there.
        assert_eq!(
            at,
            "2026-12-30T02:00:00Z"
                .parse::<Instant>()
                .unwrap()
                .as_second()
        );
        assert_eq!(
            deadline,
            "2027-01-02T16:00:00Z"
                .parse::<Instant>()
                .unwrap()
                .as_second()
        );
    }
}
