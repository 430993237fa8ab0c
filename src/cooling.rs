//! The cooling-off calculator: "I applied on 3 November — until when can I
//! still undo it?" From the request date and the period in the knowledge's
//! `[cooling_off]` (60 days in the guide) it tells the end date, the days
//! left, and whether undoing is still possible today and how; or, when the
//! period is over, that the deletion is final.
//!
//! Dates are calendar days in the bot's time zone (`bot.timezone`): the
//! caller passes "today" in, so everything here is a pure function.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp as Instant, ToSpan};

use crate::dates::Reading;
use crate::knowledge::{Bilingual, CoolingOff, Entry, Knowledge};
use crate::matcher::{Matcher, Outcome};
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

/// Where today falls in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Undoing is possible; `days_left` days until the end (at least 1).
    Open { days_left: i64 },
    /// Today is the last day.
    LastDay,
    /// The period ended `days_ago` days ago: the deletion is final.
    Over { days_ago: i64 },
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

    pub fn standing(&self) -> Standing {
        let left = days_between(self.today, self.ends);
        match left {
            1.. => Standing::Open { days_left: left },
            0 => Standing::LastDay,
            _ => Standing::Over { days_ago: -left },
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
        how_to_undo: &'k str,
        /// What the account is like while the period runs.
        during: &'k str,
        undo: Option<&'k Entry>,
        gone: Option<&'k Entry>,
    },
    /// A question back: which day was the request?
    AskDate { lang: Lang, problem: Problem },
}

impl<'k> Cooling<'k> {
    /// The answer for a date as read from a message; `None` if the
    /// knowledge has no `[cooling_off]`.
    pub fn for_reading(
        knowledge: &'k Knowledge,
        reading: Option<Reading>,
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
                        how_to_undo: section.how_to_undo.get(lang),
                        during: section.during.get(lang),
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
                how_to_undo,
                during,
                ..
            } => text::cooling_dates(period, how_to_undo, during, *lang),
            Cooling::AskDate { lang, problem } => text::cooling_ask(*problem, *lang),
        }
    }
}

/// Whether a message that mentions a date is about when a deletion was
/// requested: the matcher answered it with one of `[cooling_off]`'s
/// entries, or it uses one of its phrases ("申请注销", "requested deletion")
/// and is not about something the bot does not cover (another app's
/// deletion, a divorce's cooling-off period: the matcher fell back because an
/// out-of-scope example fits it best). A message that says the period has
/// ended ("冷静期昨天结束了") is not: its date is no request date.
pub fn is_request(
    section: &CoolingOff,
    matcher: &Matcher,
    message: &str,
    reply: &Reply<'_>,
) -> bool {
    let normalized = normalize(message);
    let says = |phrases: &Bilingual<Vec<String>>| {
        let padded = format!(" {normalized} ");
        phrases.zh.iter().any(|p| normalized.contains(p.as_str()))
            || phrases
                .en
                .iter()
                .any(|p| padded.contains(&format!(" {p} ")))
    };
    if says(&section.ended) {
        return false;
    }
    let answered = reply.entry.is_some_and(|e| section.entries.contains(&e.id));
    answered || (says(&section.phrases) && !out_of_scope(matcher, message, reply))
}

/// Whether the matcher fell back on `message` because an out-of-scope
/// example fits it best.
fn out_of_scope(matcher: &Matcher, message: &str, reply: &Reply<'_>) -> bool {
    reply.verdict.outcome == Outcome::Fallback
        && matcher
            .rank(message)
            .first()
            .is_some_and(|(_, in_scope, _)| !in_scope)
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
