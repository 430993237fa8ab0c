//! Reading a date a user mentions (`2026-11-03`, `11月3号`, `上周三`,
//! `3 days ago`, `last Wednesday`), or how long ago something began
//! (`注销快四个月了`, `申请注销第62天`, `it's been 70 days since`),
//! relative to a given today.
//!
//! [`find`] folds the text (NFKC, so full-width digits read as digits; lower
//! case; the few traditional characters dates use, such as 號 週 禮 兩 個 後
//! 這 還 過) and walks it from the left. At each position it tries a list of
//! small recognisers, one per family of forms, and keeps the longest match;
//! the first position where any recogniser matches wins. A recogniser is
//! tried only if the text holds a word every one of its forms needs (a
//! digit, 月, "ago", …) and only where a character it can start with is. [`is_only_date`]
//! tells whether a message is that date and nothing more.
//!
//! How forms read (today 2026-11-28, a Saturday):
//!
//! - A month and day without a year is the most recent such date not after
//!   today: `12月25日` is 2025-12-25, `2月29日` the most recent leap day.
//!   `11/3` is month/day (as Chinese and US English write it), and only counts
//!   when the month is 1–12 and the day 1–31, so `24/7` and `50/50` are not
//!   dates; `3/4` reads as March 4. `11/3/2026` is month/day/year.
//! - A written year is exact; years outside [`YEARS`] read as
//!   [`Reading::Invalid`]. A two-digit year before 年 (`26年11月3日`) is 20xx.
//! - Weeks start on Monday. `上周三` is Wednesday of the previous calendar
//!   week, `这周一`/`本周日` this week's (possibly in the future), `下周三` the
//!   next week's. A bare `周三`/`Wednesday`/`on Wednesday` is the most recent
//!   Wednesday not after today; `last Wednesday` the most recent one strictly
//!   before today; `this Wednesday` this calendar week's; `next Wednesday` the
//!   first one after today. A weekday followed by a date (`Tuesday, Nov 3`,
//!   `周二 11月3日`) reads as the date.
//! - `一个月前`/`a month ago` is the same day a month earlier, clamped to the
//!   month's end; `上个月3号` the 3rd of the previous month.
//! - A duration since something began reads as the day it began, today minus
//!   the duration ([`Kind::Elapsed`]): Chinese with 了 (`两个月了`,
//!   `快四个月了`, `两个月又一周了`, `都半年了`, `六十二天了`), English after
//!   "been" or before "since" (`it's been 70 days`, `70 days since`). A day
//!   count (`第62天`, `day 62`, `the 62nd day`) counts the first day as day 1:
//!   day 62 began 61 days ago. Compound amounts (`两个月又一周`, `a month and
//!   a week`), halves (`半个月`, `一个半月`, `半年`, `一年半`, `half a year`,
//!   `two and a half months`) and abbreviations (`10d ago`, `3 wks`) read too.
//! - A reading is [`Found::approximate`] when the user says so (`快`, `将近`,
//!   `差不多`, `大概`, `多`, `超过`, `不到`, `左右`, `almost`, `about`, `over`,
//!   `more than`, `like`, `60+`), or counts in months, years or halves, which
//!   people round (`4 months ago`, `一个月前`, `半年了`).
//! - Something shaped like a date that is none (`2月30日`, `2026-13-01`,
//!   `11月32号`, `99999天前`, `第0天`) is [`Reading::Invalid`], never an
//!   error.
//!
//! Deliberately not read: amounts with nothing that says they have passed
//! (`60天`, `冷静期60天`, `3 days`, `for 60 days`), which are as often the
//! length of the cooling-off period, and a Chinese duration without 了
//! (`注销两个月还能恢复吗` may ask about a deletion two months from now);
//! what is left or to come (`还剩3天了`, `只有两个月了`, `3天后`, `in 3
//! days`, `60 days left`, `第60天会删除吗`, `after day 60`); the n-th month or
//! week (`第三个月了`), a span of the calendar (`这两个月了`, `前两个月`);
//! times (`3点`, `3:30`), version numbers (`8.0.50`, `iOS 17.3`), a year or
//! month alone (`2023年下半年`, `11月`, `Nov 2026`, `都2026年了`), a day alone
//! (`3号`, which is as often "number 3", and `the 3rd`), day/month order
//! (`25/12`), vague amounts and ranges (`几天前`, `十几天了`, `两三个月了`,
//! `a few days ago`, `a couple of weeks ago`), and the abbreviations `sat`,
//! `sun`, `mon`, `wed` without `last`/`this`/`next`/`on` or a following date,
//! since they are also ordinary English.

use std::ops::{Range, RangeInclusive};

use jiff::Span;
use jiff::civil::{Date, Weekday};
use unicode_normalization::UnicodeNormalization;

/// A date found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What the expression means, relative to the today [`find`] was given.
    pub reading: Reading,
    /// What kind of expression it is.
    pub kind: Kind,
    /// Whether the day is only roughly known: the user said so (`快四个月了`,
    /// `about 2 months ago`, `60多天`) or counted in months, years or halves
    /// (`4 months ago`, `半年了`).
    pub approximate: bool,
    /// Byte range of the date expression in the text given to [`find`] (on char boundaries).
    pub span: Range<usize>,
}

/// The kinds of expressions [`find`] reads. What a message says happened on
/// the day is found around the expression: a date and [`Kind::Ago`] may come
/// before or after it ("我3天前申请的注销", "注销是3天前"), a duration after
/// it ("注销两个月了").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A calendar or named day: `11月3日`, `上周三`, `昨天`, `Nov 3`.
    Date,
    /// How long ago something happened: `3天前`, `3 days ago`, `70 days
    /// since …`, `day 62 since …`.
    Ago,
    /// How long something has been going on, counted to today: `两个月了`,
    /// `第62天`, `day 62`, `it's been 70 days`.
    Elapsed,
}

/// What a date expression means, relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A real date on or before today.
    Past(Date),
    /// A real date after today.
    Future(Date),
    /// Looks like a date but is none (2月30日, 2026-13-01, 11月32号, 2026-02-29, an absurd "99999 days ago").
    Invalid,
}

/// The written years [`find`] accepts; a date with a year outside them reads
/// as [`Reading::Invalid`].
pub const YEARS: RangeInclusive<i64> = 1900..=2200;

// How far back a relative expression may go (about a century, in each unit);
// beyond it the expression reads as invalid.
const MAX_DAYS: u64 = 36_525;
const MAX_WEEKS: u64 = MAX_DAYS / 7;
const MAX_MONTHS: u64 = 1_200;
const MAX_YEARS: u64 = 100;

/// The first date expression in `text`, read relative to `today`; `None` if nothing in the text looks like a date.
pub fn find(text: &str, today: Date) -> Option<Found> {
    let folded = Folded::new(text);
    // Only the recognisers whose words the text holds at all can match, and
    // each only where a character it can start with is: most messages hold
    // no date, and this tells so quickly.
    let anchors = anchors(&folded.chars);
    let families: Vec<&Family> = FAMILIES.iter().filter(|f| f.needs & anchors != 0).collect();
    if families.is_empty() {
        return None;
    }
    let mut recognisers: Vec<Recogniser> = Vec::with_capacity(families.len());
    (0..folded.chars.len()).find_map(|start| {
        if !folded.starts_source_char(start) || !may_start(&folded.chars, start) {
            return None;
        }
        let class = start_class(folded.chars[start]);
        recognisers.clear();
        recognisers.extend(
            families
                .iter()
                .filter(|f| f.starts & class != 0)
                .map(|f| f.recognise),
        );
        let cursor = Cursor {
            text: &folded,
            pos: start,
        };
        let hit = longest(cursor, today, &recognisers)?;
        Some(Found {
            reading: hit.reading,
            kind: hit.kind,
            approximate: hit.approximate,
            span: folded.span(start, hit.end),
        })
    })
}

/// Whether `text` says nothing but a date: the expression `found` (from
/// [`find`] on the same `text`) plus at most whitespace, punctuation and the
/// filler words "on", "the", 是, 在, 那天. Used to accept a bare date as the
/// answer to "which day did you apply?".
pub fn is_only_date(text: &str, found: &Found) -> bool {
    let span = &found.span;
    match (text.get(..span.start), text.get(span.end..)) {
        (Some(before), Some(after)) => {
            span.start < span.end && is_filler(before) && is_filler(after)
        }
        _ => false,
    }
}

/// Words that may stand beside a date in a reply that is only a date
/// (`it's` is read as `it` and `s`).
const FILLER: &[&str] = &[
    "on", "the", "it", "its", "s", "is", "has", "now", "是", "在", "那天", "已经", "都", "现在",
];

fn is_filler(text: &str) -> bool {
    let folded = Folded::new(text);
    let mut c = Cursor {
        text: &folded,
        pos: 0,
    };
    loop {
        while c
            .peek()
            .is_some_and(|ch| ch.is_whitespace() || is_punctuation(ch))
        {
            c.bump();
        }
        if c.peek().is_none() {
            return true;
        }
        if !FILLER.iter().any(|word| c.eat_word(word)) {
            return false;
        }
    }
}

/// ASCII, general, CJK and full-width punctuation.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0xA1..=0xBF              // Latin-1 punctuation: ¡ « · » ¿
            | 0x2010..=0x205E        // general punctuation: dashes, quotes, …
            | 0x3000..=0x303F        // CJK punctuation: 。、「」
            | 0xFE10..=0xFE1F        // vertical forms
            | 0xFE30..=0xFE6F        // CJK compatibility and small forms
            | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65) // full-width punctuation
}

// ---------------------------------------------------------------------------
// The folded text and a cursor over it

/// The text as the recognisers see it: folded characters, each remembering
/// the bytes of the original character it came from (NFKC can turn one
/// character into several, such as `㏢` into `3日`).
struct Folded {
    chars: Vec<char>,
    source: Vec<Range<usize>>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut source = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let bytes = at..at + c.len_utf8();
            let mut push = |n: char| {
                for lower in n.to_lowercase() {
                    chars.push(simplify(lower));
                    source.push(bytes.clone());
                }
            };
            if crate::normalize::is_plain_nfkc(c) {
                // ASCII and the common Chinese characters are their own NFKC
                // form, and lower-case without the tables.
                chars.push(simplify(c.to_ascii_lowercase()));
                source.push(bytes);
            } else {
                std::iter::once(c).nfkc().for_each(&mut push);
            }
        }
        Folded { chars, source }
    }

    /// Whether folded character `i` is the first one of its original character.
    fn starts_source_char(&self, i: usize) -> bool {
        match (
            i.checked_sub(1).and_then(|p| self.source.get(p)),
            self.source.get(i),
        ) {
            (Some(prev), Some(this)) => prev.start != this.start,
            (None, Some(_)) => true,
            _ => false,
        }
    }

    /// Whether a match ending before folded character `end` ends on an original character.
    fn ends_source_char(&self, end: usize) -> bool {
        end == self.chars.len() || self.starts_source_char(end)
    }

    /// The original bytes of folded characters `start..end` (`start < end`).
    fn span(&self, start: usize, end: usize) -> Range<usize> {
        let from = self.source.get(start).map_or(0, |r| r.start);
        let to = end
            .checked_sub(1)
            .and_then(|last| self.source.get(last))
            .map_or(from, |r| r.end);
        from..to
    }
}

/// Traditional characters that date expressions and the words around
/// durations use, as simplified.
fn simplify(c: char) -> char {
    match c {
        '號' => '号',
        '週' => '周',
        '禮' => '礼',
        '兩' => '两',
        '倆' => '俩',
        '個' => '个',
        '後' => '后',
        '這' => '这',
        '還' => '还',
        '過' => '过',
        '將' => '将',
        '約' => '约',
        '經' => '经',
        '從' => '从',
        '會' => '会',
        '內' => '内',
        '來' => '来',
        '為' => '为',
        '頭' => '头',
        '碼' => '码',
        '開' => '开',
        _ => c,
    }
}

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' | '俩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn zh_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

fn is_zh_numeral(c: char) -> bool {
    zh_digit(c).is_some() || zh_unit(c).is_some()
}

/// Whether an expression may start at folded character `i`: not on
/// whitespace; a number may not continue another number or a word (`12026`,
/// `8.0.50`, `iOS17`), a word not another word.
fn may_start(chars: &[char], i: usize) -> bool {
    let at = |k: usize| chars.get(k).copied();
    let Some(c) = at(i).filter(|c| !c.is_whitespace()) else {
        return false;
    };
    let prev = i.checked_sub(1).and_then(at);
    let before_prev = i.checked_sub(2).and_then(at);
    if c.is_ascii_digit() {
        match prev {
            Some(p) if p.is_ascii_alphanumeric() => false,
            Some('.' | ',' | '/' | ':' | '-') => !before_prev.is_some_and(|b| b.is_ascii_digit()),
            _ => true,
        }
    } else if c.is_ascii_alphabetic() {
        !prev.is_some_and(|p| p.is_ascii_alphanumeric())
    } else if is_zh_numeral(c) {
        !prev.is_some_and(|p| is_zh_numeral(p) || p.is_ascii_digit())
    } else {
        // The first characters of the Chinese words that start an
        // expression (今天, 昨天, 前天, 大前天, 明天, 后天, 上周, 这周, 本月,
        // 下个月, 去年, 周三, 星期三, 礼拜三, and before an amount 快, 将近,
        // 接近, 差不多, 大概, 约莫, 超过, 不到, 至少, 起码, 少说, 半年,
        // 第62天): checking them here spares the recognisers every other
        // character of a long message.
        ZH_STARTS.contains(c)
    }
}

/// See [`may_start`]; the table tests below read every form, so a word
/// missing here fails them.
const ZH_STARTS: &str = "今昨前大明后上这本下去周星礼快将接差约超不至起少半第";

/// A position in the folded text.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    text: &'a Folded,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text.chars.get(self.pos).copied()
    }

    fn peek_next(&self) -> Option<char> {
        self.text.chars.get(self.pos + 1).copied()
    }

    fn prev(&self) -> Option<char> {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.text.chars.get(p))
            .copied()
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    fn eat_char(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.bump();
        }
        hit
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Consumes `literal` (lower case; a space in it stands for one or more
    /// whitespace characters), or nothing.
    fn eat(&mut self, literal: &str) -> bool {
        let mut c = *self;
        for l in literal.chars() {
            if l == ' ' {
                if !c.peek().is_some_and(char::is_whitespace) {
                    return false;
                }
                c.skip_spaces();
            } else if !c.eat_char(l) {
                return false;
            }
        }
        *self = c;
        true
    }

    /// Like [`Cursor::eat`], but a literal ending in an ASCII letter must end a word.
    fn eat_word(&mut self, word: &str) -> bool {
        let mut c = *self;
        let needs_end = word.ends_with(|l: char| l.is_ascii_alphabetic());
        if c.eat(word) && !(needs_end && c.peek().is_some_and(|n| n.is_ascii_alphanumeric())) {
            *self = c;
            return true;
        }
        false
    }

    /// Whether one of `words` is here (consumed, the first that fits).
    fn eat_any(&mut self, words: &[&str]) -> bool {
        words.iter().any(|word| self.eat_word(word))
    }

    /// Whether the text just before the cursor ends with one of `words`,
    /// spaces between them aside (`冷静期 60天了`).
    fn follows(&self, words: &[&str]) -> bool {
        let before = self.text.chars.get(..self.pos).unwrap_or_default();
        let end = before
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |i| i + 1);
        let before = &before[..end];
        words.iter().any(|word| {
            let mut back = before.iter().rev();
            word.chars().rev().all(|w| back.next() == Some(&w))
        })
    }

    /// The value of the first word of `table` found here, consumed.
    fn eat_from<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        table
            .iter()
            .find(|(word, _)| self.eat_word(word))
            .map(|&(_, value)| value)
    }

    /// A run of ASCII digits: its value (saturating) and length.
    fn digits(&mut self) -> Option<(u64, usize)> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(d) = self
            .peek()
            .and_then(|c| c.to_digit(10).filter(|_| c.is_ascii()))
        {
            value = value.saturating_mul(10).saturating_add(u64::from(d));
            self.bump();
        }
        let len = self.pos - start;
        (len > 0).then_some((value, len))
    }

    /// Whether a number just read really ends here: no digit, `%` or
    /// separator-and-digit follows (`11/3` but not `11/3/5`, `11/3%`).
    fn number_ends(&self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii_digit() || c == '%' => false,
            Some('.' | '/' | ':' | '-') => !self.peek_next().is_some_and(|n| n.is_ascii_digit()),
            _ => true,
        }
    }

    /// A Chinese number up to 9999: 三, 十一, 二十, 三十一, 两, 一百零五.
    fn zh_number(&mut self) -> Option<u64> {
        let start = self.pos;
        let mut total = 0;
        let mut digit: Option<u64> = None;
        let mut last_unit = 10_000;
        while let Some(c) = self.peek() {
            if let Some(d) = zh_digit(c) {
                if digit.is_some() {
                    break; // 三三 is no number
                }
                if d != 0 || total == 0 {
                    digit = Some(d); // 零 after a unit only holds a place (一百零五)
                }
            } else if let Some(unit) = zh_unit(c) {
                if unit >= last_unit {
                    break;
                }
                total += digit.take().unwrap_or(1) * unit;
                last_unit = unit;
            } else {
                break;
            }
            self.bump();
        }
        (self.pos > start).then(|| total + digit.unwrap_or(0))
    }

    /// Exactly `n` Chinese digits read digit by digit (二〇二六).
    fn zh_digit_run(&mut self, n: usize) -> Option<u64> {
        let mut value = 0;
        for _ in 0..n {
            value = value * 10 + self.peek().and_then(zh_digit)?;
            self.bump();
        }
        (!self.peek().is_some_and(is_zh_numeral)).then_some(value)
    }

    /// A day or month number: one or two ASCII digits, or a Chinese number.
    fn day_number(&mut self) -> Option<u64> {
        if self.peek()?.is_ascii_digit() {
            let (value, len) = self.digits()?;
            (len <= 2).then_some(value)
        } else {
            self.zh_number()
        }
    }

    /// An English amount: a number, or "a"/"an" for one.
    fn en_amount(&mut self) -> Option<u64> {
        if self.eat_word("a") || self.eat_word("an") {
            return Some(1);
        }
        if let Some(tens) = self.eat_from(TENS) {
            let mut c = *self;
            if (c.eat_char('-') || c.eat_char(' '))
                && let Some(ones) = c.eat_from(&ONES[..9])
            {
                *self = c;
                return Some(tens + ones);
            }
            return Some(tens);
        }
        self.eat_from(ONES)
    }

    /// An optional English ordinal suffix after a day number (3rd, 21st).
    fn ordinal(&mut self) -> bool {
        ["st", "nd", "rd", "th"].iter().any(|s| self.eat_word(s))
    }

    /// An English month name or abbreviation, with an optional full stop.
    fn month_name(&mut self) -> Option<u64> {
        let month = self.eat_from(MONTHS)?;
        self.eat_char('.');
        Some(month)
    }

    /// Whether the word before the cursor is one of `words`.
    fn prev_word_is(&self, words: &[&str]) -> bool {
        let chars = self.text.chars.get(..self.pos).unwrap_or_default();
        let end = chars
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |i| i + 1);
        let start = chars[..end]
            .iter()
            .rposition(|c| !c.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        let word = &chars[start..end];
        words.iter().any(|w| word.iter().copied().eq(w.chars()))
    }
}

const ONES: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: &[(&str, u64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Month names, each full name before its abbreviations.
const MONTHS: &[(&str, u64)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

// ---------------------------------------------------------------------------
// Recognisers

/// A match: what it reads as and the folded position just after it.
#[derive(Clone, Copy)]
struct Hit {
    reading: Reading,
    kind: Kind,
    approximate: bool,
    end: usize,
}

impl Hit {
    /// A date that ends at `after`.
    fn new(reading: Reading, after: Cursor<'_>) -> Option<Hit> {
        Some(Hit::date(reading, after.pos))
    }

    fn date(reading: Reading, end: usize) -> Hit {
        Hit {
            reading,
            kind: Kind::Date,
            approximate: false,
            end,
        }
    }

    /// How long ago something happened, or how long it has been, up to `after`.
    fn relative(reading: Reading, kind: Kind, approximate: bool, after: Cursor<'_>) -> Option<Hit> {
        Some(Hit {
            reading,
            kind,
            approximate,
            end: after.pos,
        })
    }
}

/// Reads one family of forms at the cursor, or returns `None`.
type Recogniser = fn(Cursor<'_>, Date) -> Option<Hit>;

/// A recogniser, the characters it can start with, and what a text must
/// hold for it to match anywhere.
struct Family {
    recognise: Recogniser,
    /// Which of [`DIGIT`], [`LETTER`] and [`OTHER`] its first character may be.
    starts: u8,
    /// The [`anchors`] it needs, any one of them (each of its forms holds one).
    needs: u16,
}

/// What a character that starts an expression may be: an ASCII digit, an
/// ASCII letter, or anything else (Chinese).
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const OTHER: u8 = 4;

fn start_class(c: char) -> u8 {
    if c.is_ascii_digit() {
        DIGIT
    } else if c.is_ascii_alphabetic() {
        LETTER
    } else {
        OTHER
    }
}

// What a text holds, as bits ([`anchors`]).
/// An ASCII digit.
const HAS_DIGIT: u16 = 1 << 0;
/// 第 (第62天).
const HAS_ORDINAL: u16 = 1 << 1;
/// 月 (11月3日, 上个月3号).
const HAS_MONTH: u16 = 1 << 2;
/// 天 or 日 (今天, 昨日).
const HAS_DAY: u16 = 1 << 3;
/// A Chinese unit of time: 月, 天, 日, 周, 年, or 星/礼 (星期, 礼拜).
const HAS_UNIT: u16 = 1 << 4;
/// 周, 星 or 礼 (周三, 星期三, 礼拜三).
const HAS_WEEK: u16 = 1 << 5;
/// "ago" (or "a go"), "back", "since" or "been".
const HAS_AGO: u16 = 1 << 6;
/// "today", "yesterday" or "tomorrow".
const HAS_NAMED_DAY: u16 = 1 << 7;
/// The start of an English weekday: "mon", "tue", "wed", "thu", "fri",
/// "sat", "sun".
const HAS_WEEKDAY: u16 = 1 << 8;

/// What of the words the recognisers need `chars` (folded) hold.
fn anchors(chars: &[char]) -> u16 {
    let mut found = 0;
    let mut letters = false;
    for &c in chars {
        found |= match c {
            '0'..='9' => HAS_DIGIT,
            '第' => HAS_ORDINAL,
            '月' => HAS_MONTH | HAS_UNIT,
            '天' | '日' => HAS_DAY | HAS_UNIT,
            '年' => HAS_UNIT,
            '周' | '星' | '礼' => HAS_UNIT | HAS_WEEK,
            _ => 0,
        };
        letters |= c.is_ascii_alphabetic();
    }
    if letters {
        // The letters as a string, anything else as a byte no word has.
        let ascii: String = chars
            .iter()
            .map(|&c| if c.is_ascii() { c } else { '\0' })
            .collect();
        let any = |words: &[&str]| words.iter().any(|w| ascii.contains(w));
        for (words, anchor) in [
            (&["ago", "a go", "back", "since", "been"][..], HAS_AGO),
            (&["today", "yesterday", "tomorrow"][..], HAS_NAMED_DAY),
            (
                &["mon", "tue", "wed", "thu", "fri", "sat", "sun"][..],
                HAS_WEEKDAY,
            ),
        ] {
            if any(words) {
                found |= anchor;
            }
        }
    }
    found
}

/// Every recogniser [`find`] tries at each position, in order (of two
/// matches as long, the first listed wins).
const FAMILIES: &[Family] = &[
    Family {
        recognise: numeric_date,
        starts: DIGIT,
        needs: HAS_DIGIT,
    },
    Family {
        recognise: zh_date,
        starts: DIGIT | OTHER,
        needs: HAS_MONTH,
    },
    Family {
        recognise: zh_month_relative,
        starts: OTHER,
        needs: HAS_MONTH,
    },
    Family {
        recognise: month_name_first,
        starts: LETTER,
        needs: HAS_DIGIT,
    },
    Family {
        recognise: day_first,
        starts: DIGIT,
        needs: HAS_DIGIT,
    },
    Family {
        recognise: zh_relative,
        starts: DIGIT | OTHER,
        needs: HAS_UNIT,
    },
    Family {
        recognise: en_relative,
        starts: DIGIT | LETTER,
        needs: HAS_AGO,
    },
    Family {
        recognise: day_count,
        starts: DIGIT | LETTER | OTHER,
        needs: HAS_DIGIT | HAS_ORDINAL,
    },
    Family {
        recognise: named_day,
        starts: LETTER | OTHER,
        needs: HAS_DAY | HAS_NAMED_DAY,
    },
    Family {
        recognise: zh_weekday,
        starts: OTHER,
        needs: HAS_WEEK,
    },
    Family {
        recognise: en_weekday,
        starts: LETTER,
        needs: HAS_WEEKDAY,
    },
];

/// The recognisers of calendar dates, which may follow a weekday.
const CALENDAR: &[Recogniser] = &[numeric_date, zh_date, month_name_first, day_first];

/// The longest match of `recognisers` at `c` that ends on an original character.
fn longest(c: Cursor<'_>, today: Date, recognisers: &[Recogniser]) -> Option<Hit> {
    recognisers
        .iter()
        .filter_map(|recognise| recognise(c, today))
        .filter(|hit| hit.end > c.pos && c.text.ends_source_char(hit.end))
        .fold(None, |best: Option<Hit>, hit| match best {
            Some(b) if b.end >= hit.end => Some(b),
            _ => Some(hit),
        })
}

/// `2026-11-03`, `2026/11/3`, `2026.11.3`; `11/3` and `11/3/2026` (month first).
fn numeric_date(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let (first, first_len) = c.digits()?;
    let sep = c.peek().filter(|s| matches!(s, '-' | '/' | '.'))?;
    c.bump();
    let (second, second_len) = c.digits()?;
    if second_len > 2 {
        return None;
    }
    if first_len == 4 {
        if !c.eat_char(sep) {
            return None;
        }
        let (day, day_len) = c.digits()?;
        if day_len > 2 || !c.number_ends() {
            return None;
        }
        return Hit::new(written(first, second, day, today), c);
    }
    if sep != '/' || first_len > 2 {
        return None;
    }
    let mut with_year = c;
    if with_year.eat_char('/')
        && let Some((year, 4)) = with_year.digits()
        && with_year.number_ends()
    {
        return Hit::new(written(year, first, second, today), with_year);
    }
    // Without a year, only what can be a month and a day: `24/7` is no date.
    if !c.number_ends() || !(1..=12).contains(&first) || !(1..=31).contains(&second) {
        return None;
    }
    Hit::new(recent(first, second, today), c)
}

/// `2026年11月3日`, `二〇二六年十一月三号`, `去年12月25日`, `11月3号`, `十一月三日`.
fn zh_date(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let year = zh_year(&mut c, today);
    if year.is_some() {
        c.skip_spaces();
    }
    let month = c.day_number()?;
    c.skip_spaces();
    if !c.eat_char('月') {
        return None;
    }
    c.skip_spaces();
    let day = c.day_number()?;
    c.skip_spaces();
    if !(c.eat_char('日') || c.eat_char('号')) {
        return None;
    }
    let reading = match year {
        None => recent(month, day, today),
        Some(Some(year)) => reading(date(year, month, day), today),
        Some(None) => Reading::Invalid,
    };
    Hit::new(reading, c)
}

/// The year part of a Chinese date, consumed with its 年: `None` if there is
/// none, `Some(None)` if it is no valid year.
fn zh_year(c: &mut Cursor<'_>, today: Date) -> Option<Option<i64>> {
    const RELATIVE: &[(&str, i64)] = &[("前年", -2), ("去年", -1), ("今年", 0), ("明年", 1)];
    if let Some(offset) = c.eat_from(RELATIVE) {
        return Some(Some(i64::from(today.year()) + offset));
    }
    let mut y = *c;
    let year = if y.peek()?.is_ascii_digit() {
        let (value, len) = y.digits()?;
        let value = i64::try_from(value).ok();
        match len {
            2 => value.map(|v| 2000 + v),
            4 => value,
            _ => None,
        }
    } else {
        y.zh_digit_run(4).and_then(|v| i64::try_from(v).ok())
    };
    y.skip_spaces();
    if !y.eat_char('年') {
        return None;
    }
    *c = y;
    Some(year.filter(|year| YEARS.contains(year)))
}

/// `上个月3号`, `上月3日`, `这个月3号`, `本月3日`, `下个月3号`.
fn zh_month_relative(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    const MONTHS_AWAY: &[(&str, i64)] = &[
        ("上上个月", -2),
        ("上个月", -1),
        ("上月", -1),
        ("这个月", 0),
        ("这月", 0),
        ("本月", 0),
        ("下个月", 1),
        ("下月", 1),
    ];
    let months = c.eat_from(MONTHS_AWAY)?;
    c.skip_spaces();
    let day = c.day_number()?;
    c.skip_spaces();
    if !(c.eat_char('日') || c.eat_char('号')) {
        return None;
    }
    let first = shift_months(today.first_of_month(), months);
    let date = first.and_then(|f| date(i64::from(f.year()), month_of(f), day));
    Hit::new(reading(date, today), c)
}

/// `Nov 3`, `Nov. 3`, `November 3rd`, `November the 3rd`, `Nov 3, 2026`.
fn month_name_first(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let month = c.month_name()?;
    c.skip_spaces();
    if c.eat_word("the") {
        c.skip_spaces();
    }
    let (day, len) = c.digits()?;
    if len > 2 || !(c.ordinal() || c.number_ends()) {
        return None;
    }
    Some(with_english_year(c, month, day, today))
}

/// `3 November`, `3rd November`, `3rd of November`, `3 Nov 2026`.
fn day_first(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let (day, len) = c.digits()?;
    if len > 2 {
        return None;
    }
    c.ordinal();
    c.skip_spaces();
    if c.eat_word("of") {
        c.skip_spaces();
    }
    let month = c.month_name()?;
    Some(with_english_year(c, month, day, today))
}

/// An English month and day read at `c`, with the year that may follow
/// (`, 2026` or ` 2026`).
fn with_english_year(c: Cursor<'_>, month: u64, day: u64, today: Date) -> Hit {
    let mut y = c;
    y.skip_spaces();
    if y.eat_char(',') {
        y.skip_spaces();
    }
    if y.pos > c.pos
        && let Some((year, 4)) = y.digits()
        && y.number_ends()
    {
        return Hit::date(written(year, month, day, today), y.pos);
    }
    Hit::date(recent(month, day, today), c.pos)
}

/// A unit of a relative amount, smallest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// An amount of time as months and days (a year counts twelve months, a
/// week seven days): `3天`, `两个月又一周`, `a year and a half`.
#[derive(Clone, Copy)]
struct Amount {
    months: u64,
    days: u64,
    /// Some part goes back more than about a century: reads as invalid.
    absurd: bool,
    /// Months, years, halves and "多" are rough.
    approximate: bool,
}

impl Amount {
    /// `n` `unit`s.
    fn of(n: u64, unit: Unit) -> Amount {
        let (limit, months, days) = match unit {
            Unit::Day => (MAX_DAYS, 0, 1),
            Unit::Week => (MAX_WEEKS, 0, 7),
            Unit::Month => (MAX_MONTHS, 1, 0),
            Unit::Year => (MAX_YEARS, 12, 0),
        };
        Amount {
            months: n.saturating_mul(months),
            days: n.saturating_mul(days),
            absurd: n > limit,
            approximate: matches!(unit, Unit::Month | Unit::Year),
        }
    }

    /// Half a month (15 days) or half a year (6 months).
    fn half(unit: Unit) -> Option<Amount> {
        let (months, days) = match unit {
            Unit::Month => (0, 15),
            Unit::Year => (6, 0),
            Unit::Day | Unit::Week => return None,
        };
        Some(Amount {
            months,
            days,
            absurd: false,
            approximate: true,
        })
    }

    fn plus(self, other: Amount) -> Amount {
        Amount {
            months: self.months.saturating_add(other.months),
            days: self.days.saturating_add(other.days),
            absurd: self.absurd || other.absurd,
            approximate: self.approximate || other.approximate,
        }
    }

    fn rough(self, rough: bool) -> Amount {
        Amount {
            approximate: self.approximate || rough,
            ..self
        }
    }

    /// The day this long before `today`: the months first (clamped to the
    /// month's end), then the days.
    fn before(self, today: Date) -> Reading {
        if self.absurd {
            return Reading::Invalid;
        }
        let date = i64::try_from(self.months)
            .ok()
            .and_then(|months| shift_months(today, -months))
            .zip(i64::try_from(self.days).ok())
            .and_then(|(day, days)| {
                let span = Span::new().try_days(-days).ok()?;
                day.checked_add(span).ok()
            });
        reading(date, today)
    }
}

/// Words before a Chinese amount that say it is rough (`快四个月了`,
/// `将近两个月前`); `有` may follow them (`差不多有两个月了`).
const ZH_ABOUT: &[&str] = &[
    "快要",
    "快",
    "将近",
    "接近",
    "差不多",
    "大概",
    "大约",
    "约莫",
    "超过",
    "不止",
    "不到",
    "至少",
    "起码",
    "少说",
];

/// What may come just before a Chinese duration with 了 that makes it time
/// left or to come, or a span of the calendar, rather than time passed:
/// `还剩3天了`, `只有两个月了`, `要两个月了`, `第三个月了`, `这两个月了`,
/// `冷静期60天了`.
const ZH_NOT_PASSED: &[&str] = &[
    "还有",
    "只有",
    "仅有",
    "就有",
    "没有",
    "剩",
    "还差",
    "差",
    "最后",
    "再",
    "要",
    "过",
    "期",
    "每",
    "这",
    "那",
    "前",
    "头",
    "上",
    "下",
    "第",
    "近",
    "倒计时",
];

/// `n` Chinese `unit`s, one part of an amount: `3天`, `两个月`, `六十多天`,
/// `十来天`, `一个多月`, `一个半月`, `一年半`, `一年多`, `半个月`, `半年`,
/// `俩月`; with whether its unit is 日 (`3日前`, but `3日了` is no duration).
fn zh_part(c: &mut Cursor<'_>) -> Option<(Amount, Unit, bool)> {
    let mut d = *c;
    if d.eat_char('半') {
        let counted = d.eat_char('个');
        let rough = d.eat_char('多');
        let unit = if d.eat_char('月') {
            Unit::Month
        } else if !counted && d.eat_char('年') {
            Unit::Year
        } else {
            return None;
        };
        *c = d;
        return Some((Amount::half(unit)?.rough(rough), unit, false));
    }
    let n = if d.peek()?.is_ascii_digit() {
        d.digits()?.0
    } else {
        d.zh_number()?
    };
    // 俩月, 两月: "two months" without 个 (but 3月 is March).
    let pair = matches!(d.prev(), Some('两' | '俩'));
    d.skip_spaces();
    let mut rough = d.eat_char('多') || d.eat_char('来');
    let mut half = false;
    let mut day_of_month = false;
    let unit = if d.eat_char('个') {
        rough |= d.eat_char('多');
        half = d.eat_char('半');
        if d.eat_char('月') {
            Unit::Month
        } else if !half && (d.eat("星期") || d.eat("礼拜") || d.eat_char('周')) {
            Unit::Week
        } else {
            return None;
        }
    } else if d.eat_char('天') {
        Unit::Day
    } else if d.eat_char('日') {
        day_of_month = true;
        Unit::Day
    } else if d.eat("星期") || d.eat("礼拜") || d.eat_char('周') {
        Unit::Week
    } else if d.eat_char('年') {
        // `2023年前`, `都2026年了` speak of a calendar year, not of 2023 years.
        if n >= 1000 {
            return None;
        }
        half = d.eat_char('半');
        Unit::Year
    } else if pair && d.eat_char('月') {
        Unit::Month
    } else {
        return None;
    };
    rough |= d.eat_char('多');
    let mut amount = Amount::of(n, unit).rough(rough);
    if half {
        amount = amount.plus(Amount::half(unit)?);
    }
    *c = d;
    Some((amount, unit, day_of_month))
}

/// A Chinese amount: one part, or two with the second in a smaller unit
/// (`两个月又一周`, `一个月零三天`, `一年两个月`), then maybe `左右`; with
/// whether a unit is 日.
fn zh_amount(c: &mut Cursor<'_>) -> Option<(Amount, bool)> {
    let (mut amount, unit, mut day_of_month) = zh_part(c)?;
    let mut d = *c;
    let _ = d.eat_char('又') || d.eat_char('零') || d.eat_char('加') || d.eat_char('和');
    if let Some((more, smaller, ri)) = zh_part(&mut d)
        && smaller < unit
    {
        amount = amount.plus(more);
        day_of_month |= ri;
        *c = d;
    }
    if c.eat("左右") {
        amount = amount.rough(true);
    }
    Some((amount, day_of_month))
}

/// `3天前`, `一个月前`, `两个多月前`, `半年前`, `十天以前` (how long ago);
/// `两个月了`, `快四个月了`, `两个月又一周了`, `一个半月了`, `六十二天了`
/// (how long it has been).
fn zh_relative(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let start = c;
    let about = c.eat_any(ZH_ABOUT);
    if about {
        c.eat_char('有');
    }
    c.skip_spaces();
    let (amount, day_of_month) = zh_amount(&mut c)?;
    let amount = amount.rough(about);
    c.skip_spaces();
    if c.eat("以前") || c.eat("之前") || c.eat_char('前') {
        return Hit::relative(amount.before(today), Kind::Ago, amount.approximate, c);
    }
    if day_of_month
        || !(c.eat_char('了') || c.eat_char('啦') || c.eat_char('咯') || c.eat_char('喽'))
        // 了解, 了结, 了然: 了 starts another word.
        || c.peek().is_some_and(|n| "解结然却断".contains(n))
        || start.follows(ZH_NOT_PASSED)
    {
        return None;
    }
    Hit::relative(amount.before(today), Kind::Elapsed, amount.approximate, c)
}

/// Words before an English amount that say it is rough.
const EN_ABOUT: &[&str] = &[
    "a little more than",
    "a bit more than",
    "a little over",
    "a bit over",
    "just over",
    "just under",
    "more than",
    "less than",
    "at least",
    "close to",
    "almost",
    "nearly",
    "about",
    "around",
    "over",
    "under",
    "roughly",
    "approximately",
    "approx",
    "like",
    "maybe",
    "probably",
    "some",
];

/// English units, with the abbreviations people type (`10d`, `3 wks`, `2 mos`).
const EN_UNITS: &[(&str, Unit)] = &[
    ("days", Unit::Day),
    ("day", Unit::Day),
    ("d", Unit::Day),
    ("weeks", Unit::Week),
    ("week", Unit::Week),
    ("wks", Unit::Week),
    ("wk", Unit::Week),
    ("months", Unit::Month),
    ("month", Unit::Month),
    ("mths", Unit::Month),
    ("mth", Unit::Month),
    ("mos", Unit::Month),
    ("mo", Unit::Month),
    ("years", Unit::Year),
    ("year", Unit::Year),
    ("yrs", Unit::Year),
    ("yr", Unit::Year),
];

/// One part of an English amount: `3 days`, `a week`, `60+ days`, `two and
/// a half months`, `a year and a half`.
fn en_part(c: &mut Cursor<'_>) -> Option<(Amount, Unit)> {
    let mut d = *c;
    let (n, plus) = if d.peek()?.is_ascii_digit() {
        let (n, _) = d.digits()?;
        (n, d.eat_char('+'))
    } else {
        (d.en_amount()?, false)
    };
    d.skip_spaces();
    let mut half = d.eat_word("and a half");
    d.skip_spaces();
    let unit = d.eat_from(EN_UNITS)?;
    let mut after = d;
    after.skip_spaces();
    if !half && after.eat_word("and a half") {
        half = true;
        d = after;
    }
    let mut amount = Amount::of(n, unit).rough(plus);
    if half {
        amount = amount.plus(Amount::half(unit)?);
    }
    *c = d;
    Some((amount, unit))
}

/// An English amount: `half a year`, or one part, or two joined by "and"
/// with the second in a smaller unit (`a month and a week`).
fn en_amount_of_time(c: &mut Cursor<'_>) -> Option<Amount> {
    let mut d = *c;
    if d.eat_word("half") {
        d.skip_spaces();
        if !(d.eat_word("a") || d.eat_word("an")) {
            return None;
        }
        d.skip_spaces();
        let amount = Amount::half(d.eat_from(EN_UNITS)?)?;
        *c = d;
        return Some(amount);
    }
    let (mut amount, unit) = en_part(c)?;
    let mut d = *c;
    d.skip_spaces();
    if d.eat_word("and") {
        d.skip_spaces();
        if let Some((more, smaller)) = en_part(&mut d)
            && smaller < unit
        {
            amount = amount.plus(more);
            *c = d;
        }
    }
    Some(amount)
}

/// `3 days ago`, `about two months ago`, `half a year ago`, `2 months back`,
/// `70 days since`; `been 70 days`, `been over two months since`.
fn en_relative(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let been = c.eat_word("been");
    c.skip_spaces();
    let about = c.eat_any(EN_ABOUT);
    c.skip_spaces();
    let amount = en_amount_of_time(&mut c)?.rough(about);
    let mut d = c;
    d.skip_spaces();
    // "3 months (have) passed since", "two weeks went by since".
    let mut passed = d;
    if passed.eat_any(&["have", "has"]) {
        passed.skip_spaces();
    }
    let passed_since = passed.eat_any(&["passed", "pass", "gone by", "went by"]) && {
        passed.skip_spaces();
        passed.eat_word("since")
    };
    let kind = if passed_since {
        c = passed;
        Kind::Ago
    } else if !been && (d.eat_word("ago") || d.eat_word("a go") || d.eat_word("back"))
        || d.eat_word("since")
    {
        c = d;
        Kind::Ago
    } else if been {
        Kind::Elapsed
    } else {
        return None;
    };
    Hit::relative(amount.before(today), kind, amount.approximate, c)
}

/// A day count, where the first day is day 1: `第62天`, `第六十二天了`,
/// `day 62`, `day 62 since`, `the 62nd day`.
fn day_count(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    let start = c;
    let mut kind = Kind::Elapsed;
    let n = if c.eat_char('第') {
        let n = if c.peek()?.is_ascii_digit() {
            c.digits()?.0
        } else {
            c.zh_number()?
        };
        c.skip_spaces();
        if !c.eat_char('天') {
            return None;
        }
        // 第60天会删除吗, 第60天后, 到第60天: a day still to come.
        if !(c.eat_char('了') || c.eat_char('啦'))
            && c.peek()
                .is_some_and(|n| "会后以之就才开起内的再时".contains(n))
            || start.follows(&["到", "从", "每"])
        {
            return None;
        }
        n
    } else {
        let n = if c.eat_word("day") {
            c.skip_spaces();
            let (n, _) = c.digits()?;
            if !c.number_ends() || c.peek().is_some_and(|n| n.is_ascii_alphabetic()) {
                return None;
            }
            n
        } else {
            let (n, _) = c.digits()?;
            if !c.ordinal() {
                return None;
            }
            c.skip_spaces();
            if !c.eat_word("day") {
                return None;
            }
            n
        };
        // after day 60, from day 1, every day 3: not today's count.
        if start.prev_word_is(&[
            "after", "before", "until", "till", "by", "from", "within", "since", "every", "each",
            "per",
        ]) {
            return None;
        }
        let mut d = c;
        d.skip_spaces();
        if d.eat_word("after") {
            return None;
        }
        if d.eat_word("since") {
            c = d;
            kind = Kind::Ago;
        }
        n
    };
    let reading = match n.checked_sub(1) {
        Some(days) if days <= MAX_DAYS => shift_days(today, -i64::try_from(days).ok()?),
        _ => Reading::Invalid,
    };
    Hit::relative(reading, kind, false, c)
}

/// `今天`, `昨天`, `前天`, `大前天`, `明天`, `后天`, `today`, `yesterday`,
/// `the day before yesterday`, `tomorrow`.
fn named_day(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    // (words, days from today, characters that make it part of another word
    // when they come just before: 以前天天, 然后天天, 聪明天才, 如今天天)
    const NAMED: &[(&str, i64, &str)] = &[
        ("大前天", -3, ""),
        ("大后天", 3, ""),
        ("前天", -2, "以之从提往目向眼跟"),
        ("后天", 2, "以之然最此往先落背午日前今随稍过向死善事"),
        ("昨天", -1, ""),
        ("昨日", -1, ""),
        ("今天", 0, "如至迄而"),
        ("今日", 0, "如至迄而"),
        ("明天", 1, "聪光说表证文发鲜透清分简声标失英精阐"),
        ("明日", 1, "聪光说表证文发鲜透清分简声标失英精阐"),
        ("the day before yesterday", -2, ""),
        ("day before yesterday", -2, ""),
        ("the day after tomorrow", 2, ""),
        ("day after tomorrow", 2, ""),
        ("yesterday", -1, ""),
        ("today", 0, ""),
        ("tomorrow", 1, ""),
    ];
    let prev = c.prev();
    let &(_, days, _) = NAMED.iter().find(|(word, _, not_after)| {
        !prev.is_some_and(|p| not_after.contains(p)) && c.eat_word(word)
    })?;
    Hit::new(shift_days(today, days), c)
}

/// `周三`, `星期三`, `礼拜天`, `上周三`, `上个星期三`, `这周一`, `本周日`, `下周三`.
fn zh_weekday(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    const WEEKS_AWAY: &[(&str, i64)] = &[
        ("上上", -2),
        ("上", -1),
        ("这", 0),
        ("本", 0),
        ("下下", 2),
        ("下", 1),
    ];
    const WEEKDAYS: &[(&str, Weekday)] = &[
        ("一", Weekday::Monday),
        ("二", Weekday::Tuesday),
        ("三", Weekday::Wednesday),
        ("四", Weekday::Thursday),
        ("五", Weekday::Friday),
        ("六", Weekday::Saturday),
        ("日", Weekday::Sunday),
        ("天", Weekday::Sunday),
    ];
    let weeks = c.eat_from(WEEKS_AWAY);
    if weeks.is_some() {
        c.eat_char('个');
    } else if c
        .prev()
        .is_some_and(|p| is_zh_numeral(p) || p.is_ascii_digit() || "每个几半整".contains(p))
    {
        return None; // 一周一次, 每周三, 两个星期天: not a day
    }
    if !(c.eat("星期") || c.eat("礼拜") || c.eat("周")) {
        return None;
    }
    let weekday = c.eat_from(WEEKDAYS)?;
    // 这周一直…, 这周天气…: the weekday character starts another word.
    let next = c.peek().unwrap_or(' ');
    let prev = c.prev().unwrap_or(' ');
    if (prev == '一' && "直样般切共些致向旦律再定次".contains(next))
        || (prev == '天' && next == '气')
        || (prev == '日' && "常期子".contains(next))
    {
        return None;
    }
    let reading = match weeks {
        Some(weeks) => in_week(today, weeks, weekday),
        None => on_or_before(today, weekday),
    };
    Some(then_date(c, reading, today))
}

/// `Wednesday`, `on Wednesday`, `last Wed`, `this Monday`, `next Fri.`.
fn en_weekday(mut c: Cursor<'_>, today: Date) -> Option<Hit> {
    #[derive(Clone, Copy)]
    enum Which {
        Last,
        This,
        Next,
        OnOrBefore,
    }
    const PREFIXES: &[(&str, Which)] = &[
        ("last ", Which::Last),
        ("this ", Which::This),
        ("next ", Which::Next),
        ("on ", Which::OnOrBefore),
    ];
    // (name, weekday, whether it is also an ordinary word and needs a prefix)
    const WEEKDAYS: &[(&str, (Weekday, bool))] = &[
        ("monday", (Weekday::Monday, false)),
        ("mon", (Weekday::Monday, true)),
        ("tuesday", (Weekday::Tuesday, false)),
        ("tues", (Weekday::Tuesday, false)),
        ("tue", (Weekday::Tuesday, false)),
        ("wednesday", (Weekday::Wednesday, false)),
        ("wed", (Weekday::Wednesday, true)),
        ("thursday", (Weekday::Thursday, false)),
        ("thurs", (Weekday::Thursday, false)),
        ("thur", (Weekday::Thursday, false)),
        ("thu", (Weekday::Thursday, false)),
        ("friday", (Weekday::Friday, false)),
        ("fri", (Weekday::Friday, false)),
        ("saturday", (Weekday::Saturday, false)),
        ("sat", (Weekday::Saturday, true)),
        ("sunday", (Weekday::Sunday, false)),
        ("sun", (Weekday::Sunday, true)),
    ];
    let prefix = c.eat_from(PREFIXES);
    if prefix.is_none() && c.prev_word_is(&["every", "each"]) {
        return None;
    }
    let (weekday, ordinary_word) = c.eat_from(WEEKDAYS)?;
    c.eat_char('.');
    let reading = match prefix.unwrap_or(Which::OnOrBefore) {
        Which::Last => before(today, weekday),
        Which::This => in_week(today, 0, weekday),
        Which::Next => after(today, weekday),
        Which::OnOrBefore => on_or_before(today, weekday),
    };
    let hit = then_date(c, reading, today);
    if prefix.is_none() && ordinary_word && hit.end == c.pos {
        return None; // "I sat", "the sun", "c'mon"
    }
    Some(hit)
}

/// A weekday read up to `c`, or the calendar date that follows it
/// (`Tuesday, Nov 3`, `周二（11月3日）`), which then wins.
fn then_date(c: Cursor<'_>, weekday: Reading, today: Date) -> Hit {
    let mut d = c;
    d.skip_spaces();
    if d.eat_char(',') || d.eat_char('(') || d.eat_char('、') {
        d.skip_spaces();
    }
    longest(d, today, CALENDAR).unwrap_or(Hit::date(weekday, c.pos))
}

// ---------------------------------------------------------------------------
// Calendar arithmetic

fn classify(date: Date, today: Date) -> Reading {
    if date <= today {
        Reading::Past(date)
    } else {
        Reading::Future(date)
    }
}

fn reading(date: Option<Date>, today: Date) -> Reading {
    date.map_or(Reading::Invalid, |d| classify(d, today))
}

/// The date `year-month-day`, if it exists.
fn date(year: i64, month: u64, day: u64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn month_of(date: Date) -> u64 {
    u64::try_from(date.month()).unwrap_or_default()
}

/// A date with a written year: exact, and invalid outside [`YEARS`].
fn written(year: u64, month: u64, day: u64, today: Date) -> Reading {
    match i64::try_from(year) {
        Ok(year) if YEARS.contains(&year) => reading(date(year, month, day), today),
        _ => Reading::Invalid,
    }
}

/// The most recent `month-day` not after today.
fn recent(month: u64, day: u64, today: Date) -> Reading {
    // A leap day can be eight years back (2096, then 2104).
    let year = i64::from(today.year());
    (0..=8)
        .filter_map(|back| date(year - back, month, day))
        .find(|d| *d <= today)
        .map_or(Reading::Invalid, Reading::Past)
}

fn shift_days(today: Date, days: i64) -> Reading {
    let date = Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| today.checked_add(span).ok());
    reading(date, today)
}

/// The same day `months` months away, clamped to the end of that month.
fn shift_months(from: Date, months: i64) -> Option<Date> {
    let index = i64::from(from.year()) * 12 + i64::from(from.month()) - 1 + months;
    let month = u64::try_from(index.rem_euclid(12) + 1).ok()?;
    let first = date(index.div_euclid(12), month, 1)?;
    first
        .with()
        .day(from.day().min(first.days_in_month()))
        .build()
        .ok()
}

fn weekday_index(weekday: Weekday) -> i64 {
    i64::from(weekday.to_monday_zero_offset())
}

/// `weekday` of the calendar week `weeks` away from today's (weeks start on Monday).
fn in_week(today: Date, weeks: i64, weekday: Weekday) -> Reading {
    let days = weeks * 7 + weekday_index(weekday) - weekday_index(today.weekday());
    shift_days(today, days)
}

/// The most recent `weekday` on or before today.
fn on_or_before(today: Date, weekday: Weekday) -> Reading {
    let back = (weekday_index(today.weekday()) - weekday_index(weekday)).rem_euclid(7);
    shift_days(today, -back)
}

/// The most recent `weekday` strictly before today.
fn before(today: Date, weekday: Weekday) -> Reading {
    let back = (weekday_index(today.weekday()) - weekday_index(weekday) - 1).rem_euclid(7) + 1;
    shift_days(today, -back)
}

/// The first `weekday` strictly after today.
fn after(today: Date, weekday: Weekday) -> Reading {
    let ahead = (weekday_index(weekday) - weekday_index(today.weekday()) - 1).rem_euclid(7) + 1;
    shift_days(today, ahead)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks one table: `(text, want)`, where want is a past date
    /// (`2026-11-03`), a future one (`+2026-11-29`), either marked `~` when
    /// it is approximate (`~2026-08-28`), `invalid` or `none`.
    fn check(today: &str, table: &[(&str, &str)]) {
        let today: Date = today.parse().unwrap();
        let mut failures = Vec::new();
        for &(text, want) in table {
            agrees_with_trying_everything(text, today);
            let found = find(text, today);
            let rough = if found.as_ref().is_some_and(|f| f.approximate) {
                "~"
            } else {
                ""
            };
            let got = match found.map(|f| f.reading) {
                None => "none".to_string(),
                Some(Reading::Invalid) => "invalid".to_string(),
                Some(Reading::Past(d)) => format!("{rough}{d}"),
                Some(Reading::Future(d)) => format!("{rough}+{d}"),
            };
            if got != want {
                failures.push(format!("{text:?}: want {want}, got {got}"));
            }
        }
        assert!(
            failures.is_empty(),
            "today {today}:\n{}",
            failures.join("\n")
        );
    }

    /// Today 2026-11-28, a Saturday.
    const TODAY: &str = "2026-11-28";

    /// [`find`] as first written: every recogniser at every position.
    fn find_trying_everything(text: &str, today: Date) -> Option<Found> {
        let all: Vec<Recogniser> = FAMILIES.iter().map(|f| f.recognise).collect();
        let folded = Folded::new(text);
        (0..folded.chars.len()).find_map(|start| {
            if !folded.starts_source_char(start) || !may_start(&folded.chars, start) {
                return None;
            }
            let cursor = Cursor {
                text: &folded,
                pos: start,
            };
            let hit = longest(cursor, today, &all)?;
            Some(Found {
                reading: hit.reading,
                kind: hit.kind,
                approximate: hit.approximate,
                span: folded.span(start, hit.end),
            })
        })
    }

    /// `find` skips only recognisers that cannot match: it reads `text`,
    /// and `text` in a sentence, as trying every one everywhere does.
    fn agrees_with_trying_everything(text: &str, today: Date) {
        for text in [
            text.to_string(),
            format!("我{text}申请的注销"),
            format!("I applied {text}, can I undo it"),
            format!("{text}{text}"),
            text.to_uppercase(),
        ] {
            assert_eq!(
                find(&text, today),
                find_trying_everything(&text, today),
                "{text}"
            );
        }
    }

    #[test]
    fn only_recognisers_that_cannot_match_are_skipped() {
        let today: Date = TODAY.parse().unwrap();
        for text in [
            "",
            "视频号怎么注销",
            "how do I get my money back",
            "I have been waiting since monday",
            "it's been a month",
            "sat on it for 2 weeks, now back",
            "星期天",
            "礼拜三下午",
            "周末",
            "第二天",
            "十来天了",
            "半年前",
            "一年多了",
            "3d ago",
            "day 62",
            "the 62nd day",
            "Nov 3",
            "3 Nov",
            "today",
            "ＴＯＤＡＹ",
            "２０２６年１１月３日",
            "㏢",
            "yesterday's",
            "mon.",
            "sunday, 11/3",
        ] {
            agrees_with_trying_everything(text, today);
        }
    }

    #[test]
    fn written_dates() {
        check(
            TODAY,
            &[
                ("2026-11-03", "2026-11-03"),
                ("2026/11/3", "2026-11-03"),
                ("2026.11.3", "2026-11-03"),
                ("2026年11月3日", "2026-11-03"),
                ("2026年11月3号", "2026-11-03"),
                ("2026 年 11 月 3 日", "2026-11-03"),
                ("26年11月3日", "2026-11-03"),
                ("二〇二六年十一月三日", "2026-11-03"),
                ("11/3/2026", "2026-11-03"),
                ("2026-12-01", "+2026-12-01"),
                ("2024-02-29", "2024-02-29"),
                ("2026-02-29", "invalid"),
                ("2100-02-29", "invalid"),
                ("2026-13-01", "invalid"),
                ("2026-99-99", "invalid"),
                ("0000-00-00", "invalid"),
                ("1800-01-01", "invalid"),
                ("2201-01-01", "invalid"),
                ("12026年11月3日", "invalid"),
                ("1900-01-01", "1900-01-01"),
                ("2026年2月30日", "invalid"),
                ("去年12月25日", "2025-12-25"),
                ("去年11月3日", "2025-11-03"),
                ("今年12月25日", "+2026-12-25"),
                ("前年3月1号", "2024-03-01"),
                ("2026-11-03T10:00", "2026-11-03"),
                ("2026-11-03,2026-11-05", "2026-11-03"),
            ],
        );
    }

    #[test]
    fn month_and_day_without_year() {
        check(
            TODAY,
            &[
                ("11月3日", "2026-11-03"),
                ("11月3号", "2026-11-03"),
                ("十一月三日", "2026-11-03"),
                ("十一月三号", "2026-11-03"),
                ("11/3", "2026-11-03"),
                ("03月05日", "2026-03-05"),
                ("十月十日", "2026-10-10"),
                ("二月二十日", "2026-02-20"),
                ("十月三十一日", "2026-10-31"),
                ("一月两号", "2026-01-02"),
                ("11月28日", "2026-11-28"),
                ("11月29日", "2025-11-29"),
                ("12月25日", "2025-12-25"),
                ("2月29日", "2024-02-29"),
                ("1月31日", "2026-01-31"),
                ("4月30日", "2026-04-30"),
                ("4月31日", "invalid"),
                ("2月30日", "invalid"),
                ("13月1日", "invalid"),
                ("11月32号", "invalid"),
                ("十一月三十二号", "invalid"),
                ("0月0日", "invalid"),
                ("99月99日", "invalid"),
                ("2/30", "invalid"),
                ("3/4 of my videos", "2026-03-04"),
                ("Nov 3", "2026-11-03"),
                ("Nov. 3", "2026-11-03"),
                ("nov 3", "2026-11-03"),
                ("NOVEMBER 3", "2026-11-03"),
                ("November 3", "2026-11-03"),
                ("November 3rd", "2026-11-03"),
                ("November the 3rd", "2026-11-03"),
                ("3 November", "2026-11-03"),
                ("3rd November", "2026-11-03"),
                ("3rd of November", "2026-11-03"),
                ("the 3rd of November", "2026-11-03"),
                ("November 3rd 2026", "2026-11-03"),
                ("November 3rd, 2026", "2026-11-03"),
                ("Nov 3, 2026", "2026-11-03"),
                ("3 Nov 2026", "2026-11-03"),
                ("Dec 25 2026", "+2026-12-25"),
                ("Sept 9", "2026-09-09"),
                ("Sep 9", "2026-09-09"),
                ("September 9th", "2026-09-09"),
                ("Feb 29", "2024-02-29"),
                ("Feb 30", "invalid"),
                ("November 32", "invalid"),
                ("Nov 0", "invalid"),
                ("Nov 3, 1066", "invalid"),
            ],
        );
    }

    #[test]
    fn weekdays() {
        // Saturday 2026-11-28; this calendar week runs from Monday 11-23 to Sunday 11-29.
        check(
            TODAY,
            &[
                ("上周三", "2026-11-18"),
                ("上星期三", "2026-11-18"),
                ("上个星期三", "2026-11-18"),
                ("上礼拜三", "2026-11-18"),
                ("上个礼拜天", "2026-11-22"),
                ("上周日", "2026-11-22"),
                ("上上周一", "2026-11-09"),
                ("这周一", "2026-11-23"),
                ("本周一", "2026-11-23"),
                ("这个星期六", "2026-11-28"),
                ("本周日", "+2026-11-29"),
                ("下周三", "+2026-12-02"),
                ("周三", "2026-11-25"),
                ("星期三", "2026-11-25"),
                ("礼拜六", "2026-11-28"),
                ("星期天", "2026-11-22"),
                ("周二 11月3日", "2026-11-03"),
                ("last Wednesday", "2026-11-25"),
                ("last Saturday", "2026-11-21"),
                ("Last  Wed", "2026-11-25"),
                ("Wednesday", "2026-11-25"),
                ("on Wednesday", "2026-11-25"),
                ("Saturday", "2026-11-28"),
                ("on sat", "2026-11-28"),
                ("this Monday", "2026-11-23"),
                ("this Sunday", "+2026-11-29"),
                ("next Monday", "+2026-11-30"),
                ("next Saturday", "+2026-12-05"),
                ("on Tues.", "2026-11-24"),
                ("thurs", "2026-11-26"),
                ("last Thur", "2026-11-26"),
                ("last thu", "2026-11-26"),
                ("last fri", "2026-11-27"),
                ("last sun", "2026-11-22"),
                ("last mon", "2026-11-23"),
                ("Tuesday, November 3, 2026", "2026-11-03"),
                ("Wed, Nov 4", "2026-11-04"),
            ],
        );
    }

    #[test]
    fn relative_days() {
        check(
            TODAY,
            &[
                ("今天", "2026-11-28"),
                ("今日", "2026-11-28"),
                ("昨天", "2026-11-27"),
                ("前天", "2026-11-26"),
                ("大前天", "2026-11-25"),
                ("明天", "+2026-11-29"),
                ("后天", "+2026-11-30"),
                ("後天", "+2026-11-30"),
                ("3天前", "2026-11-25"),
                ("三天前", "2026-11-25"),
                ("两天前", "2026-11-26"),
                ("兩天前", "2026-11-26"),
                ("3日前", "2026-11-25"),
                ("3 天 前", "2026-11-25"),
                ("十天以前", "2026-11-18"),
                ("0天前", "2026-11-28"),
                ("一周前", "2026-11-21"),
                ("1个星期前", "2026-11-21"),
                ("一個禮拜前", "2026-11-21"),
                ("两周前", "2026-11-14"),
                ("一个月前", "~2026-10-28"),
                ("三个月前", "~2026-08-28"),
                ("一年前", "~2025-11-28"),
                ("上个月3号", "2026-10-03"),
                ("上月3日", "2026-10-03"),
                ("上个月31号", "2026-10-31"),
                ("这个月3号", "2026-11-03"),
                ("本月3日", "2026-11-03"),
                ("本月30日", "+2026-11-30"),
                ("本月31日", "invalid"),
                ("下个月3号", "+2026-12-03"),
                ("today", "2026-11-28"),
                ("Today", "2026-11-28"),
                ("yesterday", "2026-11-27"),
                ("the day before yesterday", "2026-11-26"),
                ("day before yesterday", "2026-11-26"),
                ("3 days ago", "2026-11-25"),
                ("3days ago", "2026-11-25"),
                ("three days ago", "2026-11-25"),
                ("twenty-one days ago", "2026-11-07"),
                ("thirty days ago", "2026-10-29"),
                ("a day ago", "2026-11-27"),
                ("a week ago", "2026-11-21"),
                ("2 weeks ago", "2026-11-14"),
                ("a month ago", "~2026-10-28"),
                ("two years ago", "~2024-11-28"),
                ("tomorrow", "+2026-11-29"),
                ("the day after tomorrow", "+2026-11-30"),
            ],
        );
    }

    #[test]
    fn month_ends_leap_years_and_year_boundaries() {
        check(
            "2026-03-31",
            &[("a month ago", "~2026-02-28"), ("一个月前", "~2026-02-28")],
        );
        check(
            "2024-03-31",
            &[("a month ago", "~2024-02-29"), ("一年前", "~2023-03-31")],
        );
        check(
            "2024-02-29",
            &[("一年前", "~2023-02-28"), ("上个月29号", "2024-01-29")],
        );
        check(
            "2026-12-31",
            &[("上个月31号", "invalid"), ("上个月30号", "2026-11-30")],
        );
        check(
            "2028-03-01",
            &[("2月29日", "2028-02-29"), ("昨天", "2028-02-29")],
        );
        check("2027-01-10", &[("2月29日", "2024-02-29")]);
        check("2101-01-01", &[("2月29日", "2096-02-29")]);
        check("2104-03-01", &[("2月29日", "2104-02-29")]);
        check("2104-02-28", &[("2月29日", "2096-02-29")]);
        // Saturday 2027-01-02: its week began on Monday 2026-12-28.
        check(
            "2027-01-02",
            &[
                ("昨天", "2027-01-01"),
                ("前天", "2026-12-31"),
                ("12月31日", "2026-12-31"),
                ("Dec 30", "2026-12-30"),
                ("上周三", "2026-12-23"),
                ("这周一", "2026-12-28"),
                ("周三", "2026-12-30"),
                ("last Wednesday", "2026-12-30"),
                ("3 days ago", "2026-12-30"),
                ("上个月3号", "2026-12-03"),
                ("一个月前", "~2026-12-02"),
                ("1月3日", "2026-01-03"),
            ],
        );
        check(
            "2026-01-01",
            &[
                ("1月2日", "2025-01-02"),
                ("1月1日", "2026-01-01"),
                ("明天", "+2026-01-02"),
            ],
        );
        // A Monday: "last Monday" is a week back, a bare Monday is today.
        check(
            "2026-11-23",
            &[
                ("last Monday", "2026-11-16"),
                ("Monday", "2026-11-23"),
                ("上周一", "2026-11-16"),
            ],
        );
        // A Sunday still belongs to the week that began on Monday.
        check(
            "2026-11-29",
            &[("这周一", "2026-11-23"), ("上周日", "2026-11-22")],
        );
    }

    #[test]
    fn absurd_amounts_are_invalid() {
        check(
            TODAY,
            &[
                ("99999天前", "invalid"),
                ("99999 days ago", "invalid"),
                ("99999999999999999999999999999天前", "invalid"),
                ("9999 weeks ago", "invalid"),
                ("5000个月前", "invalid"),
                ("200 years ago", "invalid"),
                ("100 years ago", "~1926-11-28"),
                ("36525天前", "1926-11-28"),
            ],
        );
        // Near the ends of what jiff represents: no overflow, no panic.
        check(
            "-009999-01-01",
            &[
                ("3天前", "invalid"),
                ("一个月前", "invalid"),
                ("上周三", "invalid"),
            ],
        );
        check(
            "9999-12-31",
            &[
                ("明天", "invalid"),
                ("next Monday", "invalid"),
                ("下个月3号", "invalid"),
            ],
        );
        check(
            "-009999-01-03",
            &[("12月25日", "invalid"), ("today", "-009999-01-03")],
        );
    }

    #[test]
    fn durations_since_something_began() {
        // Today 2026-11-28: 61 days back is 2026-09-28, 70 days 2026-09-19.
        check(
            TODAY,
            &[
                // Chinese, with 了: how long it has been.
                ("号注销快四个月了还有戏吗", "~2026-07-28"),
                ("我注销已经两个月又一周了", "~2026-09-21"),
                ("注销整整两个月了", "~2026-09-28"),
                ("申请注销都半年了", "~2026-05-28"),
                ("注销申请交了一个半月了", "~2026-10-13"),
                ("两周了", "2026-11-14"),
                ("一周了", "2026-11-21"),
                ("3天了", "2026-11-25"),
                ("六十二天了", "2026-09-27"),
                ("60天了", "2026-09-29"),
                ("两个月了", "~2026-09-28"),
                ("俩月了", "~2026-09-28"),
                ("两个多月了", "~2026-09-28"),
                ("两个月多了", "~2026-09-28"),
                ("两个月左右了", "~2026-09-28"),
                ("60多天了", "~2026-09-29"),
                ("十来天了", "~2026-11-18"),
                ("快两个月了", "~2026-09-28"),
                ("快要两个月了", "~2026-09-28"),
                ("将近两个月了", "~2026-09-28"),
                ("差不多有两个月了", "~2026-09-28"),
                ("超过60天了", "~2026-09-29"),
                ("不到60天了", "~2026-09-29"),
                ("至少两周了", "~2026-11-14"),
                ("已经三周了", "2026-11-07"),
                ("半个月了", "~2026-11-13"),
                ("半个多月了", "~2026-11-13"),
                ("一年多了", "~2025-11-28"),
                ("一年半了", "~2025-05-28"),
                ("一个月零三天了", "~2026-10-25"),
                ("一年两个月了", "~2025-09-28"),
                ("两周又三天了", "2026-11-11"),
                ("过去两个月啦", "~2026-09-28"),
                // A day count: day 1 is the day itself.
                ("申请注销第62天了", "2026-09-28"),
                ("注销第45天", "2026-10-15"),
                ("第六十二天", "2026-09-28"),
                ("现在是第1天", "2026-11-28"),
                ("第0天", "invalid"),
                ("第99999天", "invalid"),
                // Chinese, ago, now with amounts people round.
                ("两个多月前", "~2026-09-28"),
                ("大概两个月前", "~2026-09-28"),
                ("半年前", "~2026-05-28"),
                ("一个半月前", "~2026-10-13"),
                ("十多天前", "~2026-11-18"),
                ("半个月前", "~2026-11-13"),
                // English.
                ("I deleted it 4 months ago", "~2026-07-28"),
                ("it's been 70 days since I requested deletion", "2026-09-19"),
                ("70 days since I applied", "2026-09-19"),
                (
                    "already 3 months pass since I submit deletion",
                    "~2026-08-28",
                ),
                ("two weeks have passed since I applied", "2026-11-14"),
                ("10 days went by since", "2026-11-18"),
                ("about fifty days a go", "~2026-10-09"),
                ("its been 59 days", "2026-09-30"),
                ("it has been over two months", "~2026-09-28"),
                ("been about a month now", "~2026-10-28"),
                ("day 62 since i applied", "2026-09-28"),
                ("it's day 62", "2026-09-28"),
                ("on day 45 now", "2026-10-15"),
                ("the 62nd day since I applied", "2026-09-28"),
                ("day 0", "invalid"),
                ("applied over two months ago", "~2026-09-28"),
                ("about 2 months ago", "~2026-09-28"),
                ("almost a month ago", "~2026-10-28"),
                ("more than 60 days ago", "~2026-09-29"),
                ("like 10 days ago", "~2026-11-18"),
                ("nearly 3 weeks ago", "~2026-11-07"),
                ("a little over a week ago", "~2026-11-21"),
                ("60+ days ago", "~2026-09-29"),
                ("10d ago", "2026-11-18"),
                ("3 wks ago", "2026-11-07"),
                ("2 mos ago", "~2026-09-28"),
                ("2 months back", "~2026-09-28"),
                ("half a year ago", "~2026-05-28"),
                ("a year and a half ago", "~2025-05-28"),
                ("two and a half months ago", "~2026-09-13"),
                ("a month and a half ago", "~2026-10-13"),
                ("a month and a week ago", "~2026-10-21"),
                ("99999 days since", "invalid"),
            ],
        );
        // Near the start of what jiff represents: no overflow, no panic.
        check(
            "-009999-01-01",
            &[
                ("两个月了", "invalid"),
                ("第3天", "invalid"),
                ("day 1", "-009999-01-01"),
            ],
        );
    }

    #[test]
    fn durations_in_traditional_and_full_width() {
        check(
            TODAY,
            &[
                ("我註銷已經兩個月又一週了，還有機會嗎", "~2026-09-21"),
                ("註銷申請已經三個月了", "~2026-08-28"),
                ("兩週了", "2026-11-14"),
                ("３個月了", "~2026-08-28"),
                ("第６２天了", "2026-09-28"),
                ("將近兩個月了", "~2026-09-28"),
                ("倆月了", "~2026-09-28"),
                ("ｄａｙ ６２", "2026-09-28"),
                ("還剩３天了", "none"),
            ],
        );
    }

    #[test]
    fn durations_that_are_not_time_passed() {
        check(
            TODAY,
            &[
                // The period's length, or an amount with nothing that says it passed.
                ("冷静期60天", "none"),
                ("冷静期60天了吗", "none"),
                ("冷静期 60 天了吗", "none"),
                ("注销两个月还能恢复吗", "none"),
                ("注销后60天内可以撤销", "none"),
                ("cooling off is 60 days", "none"),
                ("for 60 days", "none"),
                // Time left or to come.
                ("还剩3天了", "none"),
                ("冷静期还有两个月了", "none"),
                ("只有两天了", "none"),
                ("还差5天了", "none"),
                ("要两个月了", "none"),
                ("过两天了", "none"),
                ("最后3天了", "none"),
                ("3天后", "none"),
                ("第60天会删除吗", "none"),
                ("第60天后就删了", "none"),
                ("等到第60天", "none"),
                ("60 days left", "none"),
                ("in 60 days", "none"),
                ("60 days later", "none"),
                ("after day 60", "none"),
                ("from day 1", "none"),
                ("day 60 after the request", "none"),
                // A month or week of the calendar, not an amount.
                ("第三个月了", "none"),
                ("这两个月了", "none"),
                ("最近两个月了", "none"),
                ("前两个月", "none"),
                ("都2026年了", "none"),
                ("3月了", "none"),
                ("十一月了", "none"),
                ("3日了", "none"),
                // Vague amounts and ranges.
                ("十几天了", "none"),
                ("两三个月了", "none"),
                ("几个月了", "none"),
                ("a couple of weeks ago", "none"),
                ("a few months ago", "none"),
                ("been a while", "none"),
                ("been banned for 3 days", "none"),
                // 了 that starts another word.
                ("花了两个月了解注销", "none"),
                ("两个星期天", "none"),
            ],
        );
    }

    #[test]
    fn kinds_spans_and_reading_from_the_span_on() {
        let today: Date = TODAY.parse().unwrap();
        let table = [
            ("号注销快四个月了还有戏吗", "快四个月了", Kind::Elapsed),
            ("我注销已经两个月又一周了", "两个月又一周了", Kind::Elapsed),
            ("申请注销第62天了", "第62天了", Kind::Elapsed),
            ("注销第45天", "第45天", Kind::Elapsed),
            ("申请注销都半年了", "半年了", Kind::Elapsed),
            (
                "我註銷已經兩個月又一週了，還有機會嗎",
                "兩個月又一週了",
                Kind::Elapsed,
            ),
            (
                "it's been 70 days since I requested deletion",
                "been 70 days since",
                Kind::Ago,
            ),
            (
                "its been 70 days, can I undo",
                "been 70 days",
                Kind::Elapsed,
            ),
            ("day 62 since i applied", "day 62 since", Kind::Ago),
            ("applied 注销 day 30 now", "day 30", Kind::Elapsed),
            (
                "applied over two months ago",
                "over two months ago",
                Kind::Ago,
            ),
            ("I deleted it 4 months ago", "4 months ago", Kind::Ago),
            ("视频号3天前点了注销", "3天前", Kind::Ago),
            ("我11月3号申请的", "11月3号", Kind::Date),
            ("上周三申请的", "上周三", Kind::Date),
        ];
        for (text, want, kind) in table {
            let found = find(text, today).unwrap_or_else(|| panic!("{text:?}: nothing found"));
            assert_eq!(&text[found.span.clone()], want, "{text:?}");
            assert_eq!(found.kind, kind, "{text:?}");
            // What the fuzz target checks: the same reading from the span on,
            // and for the expression alone, which is then only a date.
            let from = find(&text[found.span.start..], today).unwrap();
            assert_eq!(
                (from.reading, from.kind, from.approximate, from.span),
                (found.reading, found.kind, found.approximate, 0..want.len()),
                "{text:?} from the span on"
            );
            let alone = find(want, today).unwrap();
            assert_eq!(
                (alone.reading, alone.kind, alone.approximate),
                (found.reading, found.kind, found.approximate),
                "{want:?} alone"
            );
            assert!(is_only_date(want, &alone), "{want:?} alone");
        }
    }

    /// What the fuzz target checks, on texts made of the pieces of every
    /// form (a fixed random sequence, so a failure repeats).
    #[test]
    fn any_mix_of_the_forms_reads_the_same_from_the_span_on() {
        const PIECES: &[&str] = &[
            "快",
            "将近",
            "差不多",
            "有",
            "两",
            "俩",
            "个",
            "月",
            "多",
            "半",
            "年",
            "天",
            "周",
            "了",
            "前",
            "第",
            "又",
            "零",
            "3",
            "62",
            "十",
            "六十二",
            " ",
            "，",
            "还",
            "剩",
            "day",
            "been",
            "since",
            "ago",
            "a",
            "half",
            "and",
            "over",
            "months",
            "d",
            "the",
            "nd",
            "注销",
            "日",
            "号",
            "11",
            "/",
            "-",
            "期",
            "左右",
            "来",
            "以",
            "解",
            "上",
            "这",
            "周三",
            "today",
            "２",
            "個",
            "週",
            "兩",
            "後",
            "+",
            "of",
            "after",
            "on",
            "it's",
            "是",
            "now",
            "2026",
            "99999",
            "a little over",
            "wks",
            "back",
            "个多",
            "起码",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % below as u64).unwrap()
        };
        for _ in 0..20_000 {
            let text: String = (0..=next(8)).map(|_| PIECES[next(PIECES.len())]).collect();
            let today = Date::constant(1970, 1, 1) + Span::new().days(next(47_847) as i64);
            let Some(found) = find(&text, today) else {
                continue;
            };
            let expression = &text[found.span.clone()];
            match found.reading {
                Reading::Past(d) => assert!(d <= today, "{text:?}"),
                Reading::Future(d) => assert!(d > today && found.kind == Kind::Date, "{text:?}"),
                Reading::Invalid => {}
            }
            let from = find(&text[found.span.start..], today);
            let moved = Found {
                span: 0..expression.len(),
                ..found.clone()
            };
            assert_eq!(from.as_ref(), Some(&moved), "{text:?} from the span on");
            assert_eq!(find(expression, today).as_ref(), Some(&moved), "{text:?}");
            assert!(is_only_date(expression, &moved), "{expression:?}");
        }
    }

    #[test]
    fn full_width_and_traditional() {
        check(
            TODAY,
            &[
                ("２０２６－１１－０３", "2026-11-03"),
                ("２０２６／１１／３", "2026-11-03"),
                ("１１月３日", "2026-11-03"),
                ("１１／３", "2026-11-03"),
                ("十一月三號", "2026-11-03"),
                ("上週三", "2026-11-18"),
                ("上禮拜三", "2026-11-18"),
                ("上個月3號", "2026-10-03"),
                ("這週一", "2026-11-23"),
                ("３天前", "2026-11-25"),
                ("ＮＯＶ ３", "2026-11-03"),
                ("11月㏢", "2026-11-03"),
            ],
        );
    }

    #[test]
    fn not_dates() {
        check(
            TODAY,
            &[
                ("", "none"),
                ("asdf", "none"),
                ("🙂", "none"),
                ("十三月", "none"),
                ("60天", "none"),
                ("冷静期还有3天", "none"),
                ("3天", "none"),
                ("等了三天", "none"),
                ("3天后", "none"),
                ("60天后才能注销", "none"),
                ("3 days", "none"),
                ("in 3 days", "none"),
                ("a few days ago", "none"),
                ("几天前", "none"),
                ("3点", "none"),
                ("3:30", "none"),
                ("8.0.50", "none"),
                ("iOS 17.3", "none"),
                ("v8.0.50", "none"),
                ("微信版本 8.0.50", "none"),
                ("2023年下半年", "none"),
                ("2023年前", "none"),
                ("2026年", "none"),
                ("2026年11月", "none"),
                ("11月", "none"),
                ("Nov 2026", "none"),
                ("下半年", "none"),
                ("50%", "none"),
                ("11/3%", "none"),
                ("11 3", "none"),
                ("24/7", "none"),
                ("50/50", "none"),
                ("11/3/20", "none"),
                ("13812345678", "none"),
                ("+86 138-1234-5678", "none"),
                ("010-8888-1234", "none"),
                ("12026-11-03", "none"),
                ("2026-11-033", "none"),
                ("2026-11-03-5", "none"),
                ("11111111111111111111111111111111111111111111", "none"),
                ("3号", "none"),
                ("一周一次", "none"),
                ("每周三", "none"),
                ("两个星期天", "none"),
                ("这周一直在等", "none"),
                ("这周天气很好", "none"),
                ("上周", "none"),
                ("以前天天用", "none"),
                ("然后天天刷", "none"),
                ("聪明天才", "none"),
                ("如今天天刷", "none"),
                ("every Wednesday", "none"),
                ("I sat down", "none"),
                ("the sun", "none"),
                ("c'mon", "none"),
                ("we wed in June", "none"),
                ("Wednesdays", "none"),
                ("todays", "none"),
                ("may I ask", "none"),
                ("market 3", "none"),
            ],
        );
    }

    #[test]
    fn first_date_and_its_span() {
        let today: Date = TODAY.parse().unwrap();
        let table = [
            ("我在11月3号申请的", "11月3号"),
            ("我是2026年11月3日申请注销的", "2026年11月3日"),
            ("I applied on Nov 3, 2026 and waited", "Nov 3, 2026"),
            ("I applied on Wednesday", "on Wednesday"),
            ("I applied last Wednesday, what now", "last Wednesday"),
            ("3 days ago; 11月3日", "3 days ago"),
            ("冷静期60天，我11月3号申请的，昨天又看了", "11月3号"),
            ("上周三申请的", "上周三"),
            ("我十一月三號申請的", "十一月三號"),
            ("２０２６－１１－０３申请", "２０２６－１１－０３"),
            ("周二（11月3日）申请", "周二（11月3日"),
            ("v8 2026-11-03", "2026-11-03"),
            // A five-digit year is a written year, if a wrong one (read as invalid).
            ("12026年11月3日", "12026年11月3日"),
            ("applied 11月㏢ (3日 in one character)", "11月㏢"),
        ];
        for (text, want) in table {
            let found = find(text, today).unwrap_or_else(|| panic!("{text:?}: nothing found"));
            assert_eq!(&text[found.span.clone()], want, "{text:?}");
        }
    }

    #[test]
    fn only_a_date() {
        let today: Date = TODAY.parse().unwrap();
        let table = [
            ("11月3号", true),
            (" Nov 3 ", true),
            ("2026-11-03。", true),
            ("上周三", true),
            ("是11月3号", true),
            ("在上周三", true),
            ("那天是11月3号！", true),
            ("on the 3rd of November", true),
            ("on Nov 3.", true),
            ("2月30日", true),
            ("已经两个月了", true),
            ("快四个月了。", true),
            ("现在是第62天", true),
            ("it's been 70 days", true),
            ("day 62 now", true),
            ("注销两个月了", false),
            ("我11月3日申请的注销 什么时候能撤销", false),
            ("11月3号申请的", false),
            ("one Nov 3", false),
            ("Nov 3 then", false),
        ];
        for (text, want) in table {
            let found = find(text, today).unwrap_or_else(|| panic!("{text:?}: nothing found"));
            assert_eq!(is_only_date(text, &found), want, "{text:?}");
        }
        // A span that does not fit the text is no answer, and no panic.
        let stray = Found {
            reading: Reading::Invalid,
            kind: Kind::Date,
            approximate: false,
            span: 1..2,
        };
        assert!(!is_only_date("上周三", &stray));
        assert!(!is_only_date("", &stray));
    }
}
