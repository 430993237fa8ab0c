//! Masking what users give away before any of it is kept or logged.
//!
//! People being scammed paste phone numbers, SMS codes, bank card and ID
//! numbers into their questions. [`mask`] replaces each with a fixed
//! placeholder per [`Kind`] (`[phone]`, `[code]`, `[card]`, `[id]`,
//! `[number]`, `[email]`), in Chinese and English text alike, reading
//! full-width digits and signs as their ASCII forms (NFKC) and digits grouped
//! by spaces, dashes or an area code in brackets as one number. Two questions
//! that differ only by a masked value mask to the same text. The result is a
//! [`Masked`], the only form of a user's text the store keeps and the logs
//! show; what the user is answered is worked out from the original.
//!
//! What is not personal stays: runs of 1–3 digits (3天, 第62天, 300块),
//! dates (2026-11-03, 2026/11/3, 3.11.2026, 11月3日, 11/3), year ranges
//! (2022-2023), version numbers and decimals of up to 8 digits (8.0.50,
//! 8.0.49.2600, 1234.56), numbers with a unit (5000元, 10000粉丝, ¥1200,
//! 1080p, 1000 views) and numbers after a word about paying (交3000保证金,
//! 转了5000, pay 3000). A 4-digit number is a year, not a code, when it is
//! followed by 年, or when it lies in 1900–2100 and is next to 年 or 月, is
//! part of a date, or follows an English month name ("Nov 3, 2026") or one
//! of in, since, from, until, till, before, after, by, of, year, around. Any
//! other 4-digit number ("code 2024", 验证码2024) is a code: a real code in
//! that range is as likely as any other, and a year taken for a code only
//! loses a detail.

use std::fmt;
use std::ops::Range;

use unicode_normalization::char::decompose_compatible;

use crate::normalize::{is_invisible, normalize};

/// What a masked value was, and the placeholder it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A phone number: a mainland mobile (11 digits, 13–19…, with or
    /// without 86, +86 or 0086), a number written with `+` or with an area
    /// code in brackets, a landline with its 0 area code (10–12 digits), or
    /// a North American 3-3-4 number.
    Phone,
    /// A verification code: any other run of 4–8 digits that is not a year,
    /// a date, a dotted number or a number with a unit.
    Code,
    /// A bank card number: 13–19 digits that are no phone number.
    Card,
    /// A Chinese ID number: 17 digits and a check digit or X, with a birth
    /// date where one belongs.
    Id,
    /// Any other run of 9–12 or more than 19 digits (QQ numbers, order and
    /// account numbers).
    Number,
    /// An e-mail address.
    Email,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::Phone,
        Kind::Code,
        Kind::Card,
        Kind::Id,
        Kind::Number,
        Kind::Email,
    ];

    /// What a value of this kind is replaced with.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Phone => "[phone]",
            Kind::Code => "[code]",
            Kind::Card => "[card]",
            Kind::Id => "[id]",
            Kind::Number => "[number]",
            Kind::Email => "[email]",
        }
    }
}

/// A user's text with every personal value replaced by its placeholder.
/// Made only by [`mask`]: what may be kept or logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked(String);

impl Masked {
    /// The masked text: the original with each masked value replaced.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked text normalised as [`normalize`] does (width, case,
    /// traditional characters, punctuation), the placeholders kept as they
    /// are, each between single spaces.
    pub fn normalized(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in pieces(&self.0) {
            let part = match piece {
                Piece::Text(text) => normalize(text),
                Piece::Placeholder(kind) => kind.placeholder().to_string(),
            };
            if part.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&part);
        }
        out
    }

    /// The masked text with the placeholders taken out: see
    /// [`without_placeholders`].
    pub fn without_placeholders(&self) -> String {
        without_placeholders(&self.0)
    }
}

impl fmt::Display for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `text` with each placeholder replaced by a space: what the matcher reads
/// of a masked text (it would otherwise take `[code]` for the English word),
/// and what an admin adds to the knowledge from one.
pub fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(_) => out.push(' '),
        }
    }
    out
}

enum Piece<'a> {
    Text(&'a str),
    Placeholder(Kind),
}

/// `text` cut into placeholders and the text between them.
fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(at) = rest[from..].find('[').map(|i| from + i) {
            let found = Kind::ALL
                .into_iter()
                .find(|k| rest[at..].starts_with(k.placeholder()));
            match found {
                Some(kind) if at == 0 => {
                    rest = &rest[kind.placeholder().len()..];
                    return Some(Piece::Placeholder(kind));
                }
                Some(_) => {
                    let (text, after) = rest.split_at(at);
                    rest = after;
                    return Some(Piece::Text(text));
                }
                None => from = at + 1,
            }
        }
        Some(Piece::Text(std::mem::take(&mut rest)))
    })
}

/// Masks every phone number, verification code, bank card number, ID
/// number, other long digit run and e-mail address in `text` (see the
/// [module documentation](self) for what counts as which, and what stays).
/// Everything else is kept as it was written.
pub fn mask(text: &str) -> Masked {
    let Some(mut masked) = mask_once(text) else {
        return Masked(text.to_string());
    };
    // A number kept for its neighbours (the 5678 of 1234.5678, the year of
    // 3/2026) is read again once a neighbour is masked, so that masking a
    // masked text changes nothing. Each round masks at least one more digit
    // or @, so this ends.
    while let Some(again) = mask_once(&masked) {
        masked = again;
    }
    Masked(masked)
}

/// One reading of `text`: the text with what it finds masked, or `None`
/// if it finds nothing.
fn mask_once(text: &str) -> Option<String> {
    // The folded characters, and the bytes of `text` each comes from.
    let mut chars = Vec::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        fold(c, |folded| {
            chars.push(folded);
            origins.push(at..at + c.len_utf8());
        });
    }
    let spans = find(&chars);
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, kind) in spans {
        // Two values may share a character that folds to several (㉑ is 21).
        let start = origins[span.start].start.max(copied);
        out.push_str(&text[copied..start]);
        out.push_str(kind.placeholder());
        copied = origins[span.end - 1].end.max(copied);
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// `c` as the scanner reads it, given to `push`: its compatibility form
/// (NFKD: full-width digits, signs and spaces become ASCII, ㉑ becomes 21),
/// dashes as `-`, and nothing for an invisible character (zero-width,
/// bidi, control) that could hide inside a number.
fn fold(c: char, mut push: impl FnMut(char)) {
    match c {
        _ if c.is_ascii() && !c.is_ascii_control() => push(c),
        '\n' => push(c),
        _ if c.is_whitespace() => push(' '),
        _ if is_invisible(c) => {}
        '\u{2010}'..='\u{2015}' | '\u{2212}' => push('-'),
        _ => decompose_compatible(c, push),
    }
}

/// The values to mask in the folded characters `s`: character ranges in
/// order, not overlapping.
fn find(s: &[char]) -> Vec<(Range<usize>, Kind)> {
    let emails: Vec<Range<usize>> = {
        let mut found: Vec<Range<usize>> = Vec::new();
        for (at, _) in s.iter().enumerate().filter(|&(_, &c)| c == '@') {
            if found.last().is_some_and(|last| at < last.end) {
                continue;
            }
            let floor = found.last().map_or(0, |last| last.end);
            found.extend(email_at(s, floor, at));
        }
        found
    };
    let mut spans = Vec::new();
    let mut next_email = emails.iter().peekable();
    let mut i = 0;
    while i < s.len() {
        if let Some(email) = next_email.next_if(|e| e.start <= i) {
            spans.push((email.clone(), Kind::Email));
            i = i.max(email.end);
            continue;
        }
        // A number never runs into an address.
        let limit = next_email.peek().map_or(s.len(), |e| e.start);
        let c = s[i];
        let starts = c.is_ascii_digit()
            || (c == '+'
                && matches!(s.get(i + 1), Some(d) if d.is_ascii_digit() || *d == '(')
                && !(i > 0 && s[i - 1].is_ascii_alphanumeric()))
            || (c == '(' && group_at(&s[..limit], i).is_some());
        if !starts {
            i += 1;
            continue;
        }
        if let Some(end) = date_at(&s[..limit], i) {
            i = end;
            continue;
        }
        let Some(token) = token_at(&s[..limit], i) else {
            i += 1;
            continue;
        };
        if token.paren && token.groups.len() == 1 {
            // Brackets around one number are just brackets: read the number.
            i += 1;
            continue;
        }
        if let Some(kind) = classify(s, &token) {
            spans.push((token.start..token.end, kind));
        }
        i = token.end;
    }
    spans
}

/// The e-mail address around the `@` at `at`, starting at `floor` or
/// later: a local part of letters, digits and `._%+-`, then at least two
/// dot-separated labels, the last of two or more letters.
fn email_at(s: &[char], floor: usize, at: usize) -> Option<Range<usize>> {
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let label = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let mut start = at;
    while start > floor && local(s[start - 1]) {
        start -= 1;
    }
    while start < at && s[start] == '.' {
        start += 1;
    }
    if start == at {
        return None;
    }
    let mut end = at + 1;
    let mut labels = Vec::new();
    loop {
        let from = end;
        while end < s.len() && label(s[end]) {
            end += 1;
        }
        if end == from {
            break;
        }
        labels.push(from..end);
        if end + 1 < s.len() && s[end] == '.' && label(s[end + 1]) {
            end += 1;
        } else {
            break;
        }
    }
    // The address ends with the last label that can be a top-level domain
    // ("a@qq.com.cn", not the "1" of "a@qq.com.1").
    while let Some(last) = labels.last() {
        let tld = &s[last.clone()];
        if labels.len() >= 2 && tld.len() >= 2 && tld.iter().all(char::is_ascii_alphabetic) {
            return Some(start..last.end);
        }
        labels.pop();
    }
    None
}

/// Digits grouped into one number: where it starts and ends (characters)
/// and its digit groups.
#[derive(Debug)]
struct Token {
    start: usize,
    end: usize,
    groups: Vec<Range<usize>>,
    /// Written with a leading `+`.
    plus: bool,
    /// A group is in brackets.
    paren: bool,
    /// Ends with an ID number's X.
    x: bool,
}

/// The digits at `i`, or in brackets at `i`: the digit range and where the
/// group ends (after the closing bracket), and whether it was bracketed.
fn group_at(s: &[char], i: usize) -> Option<(Range<usize>, usize, bool)> {
    let open = s.get(i) == Some(&'(');
    let from = if open { i + 1 } else { i };
    let to = from + digits_at(s, from);
    if to == from {
        return None;
    }
    if !open {
        return Some((from..to, to, false));
    }
    (s.get(to) == Some(&')')).then_some((from..to, to + 1, true))
}

fn digits_at(s: &[char], i: usize) -> usize {
    s.get(i..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

/// The number starting at `i` (a digit, `+` or `(`): digit groups joined by
/// one space, one dash (` - ` too) or brackets. A joined group has at least
/// two digits and starts no date.
fn token_at(s: &[char], i: usize) -> Option<Token> {
    let plus = s[i] == '+';
    let first = if plus { i + 1 } else { i };
    let (group, mut end, mut paren) = group_at(s, first)?;
    let first_end = end;
    let first_bracketed = paren;
    let mut groups = vec![group];
    let mut closed = paren;
    loop {
        let after = [" - ", "-", " ", ""].into_iter().find_map(|sep| {
            let next = end + sep.chars().count();
            let written = s.get(end..next)?.iter().copied().eq(sep.chars());
            // Nothing between groups only after or before brackets.
            let allowed = !sep.is_empty() || closed || s.get(next) == Some(&'(');
            if !written || !allowed {
                return None;
            }
            let (digits, after, bracketed) = group_at(s, next)?;
            (digits.len() >= 2 && date_at(s, digits.start).is_none())
                .then_some((digits, after, bracketed))
        });
        let Some((digits, after, bracketed)) = after else {
            break;
        };
        groups.push(digits);
        end = after;
        paren |= bracketed;
        closed = bracketed;
    }
    let mut token = Token {
        start: i,
        end,
        groups,
        plus,
        paren,
        x: false,
    };
    if !well_grouped(s, &token) {
        // Two numbers side by side ("13812345678 1234"): the first alone.
        token.end = first_end;
        token.paren = first_bracketed;
        token.groups.truncate(1);
    }
    let digits: usize = token.groups.iter().map(|g| g.len()).sum();
    if digits == 17
        && matches!(s.get(token.end), Some('X' | 'x'))
        && !s
            .get(token.end + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        token.x = true;
        token.end += 1;
    }
    Some(token)
}

/// Whether a token's groups are how people write one number: groups of at
/// most four digits (138 1234 5678, 6222 0212 3456 7890), a prefix and a
/// number (+86 13812345678, 010-12345678, (010) 12345678), or an ID number
/// as 6-8-4.
fn well_grouped(s: &[char], t: &Token) -> bool {
    let lens: Vec<usize> = t.groups.iter().map(|g| g.len()).collect();
    let area_code = (3..=4).contains(&lens[0]) && s[t.groups[0].start] == '0';
    lens.len() == 1
        || lens.iter().all(|&n| n <= 4)
        || (lens.len() == 2 && (t.plus || t.paren || area_code))
        || lens == [6, 8, 4]
        || lens == [6, 8, 3]
}

/// The end of a date at `i`: year-month-day or day-month-year (either
/// order of day and month), separated by `-`, `/` or `.`, the same each
/// time, with a year in 1900–2100.
fn date_at(s: &[char], i: usize) -> Option<usize> {
    let number = |from: usize, len: usize| -> u32 {
        s[from..from + len]
            .iter()
            .fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0))
    };
    let a = digits_at(s, i);
    let sep = *s.get(i + a)?;
    if !(1..=4).contains(&a) || !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let b_at = i + a + 1;
    let b = digits_at(s, b_at);
    if !(1..=2).contains(&b) || s.get(b_at + b) != Some(&sep) {
        return None;
    }
    let c_at = b_at + b + 1;
    let c = digits_at(s, c_at);
    if !(1..=4).contains(&c) {
        return None;
    }
    let (x, y, z) = (number(i, a), number(b_at, b), number(c_at, c));
    let ymd =
        a == 4 && is_plausible_year(x) && (1..=12).contains(&y) && c <= 2 && (1..=31).contains(&z);
    let dmy = c == 4
        && is_plausible_year(z)
        && a <= 2
        && (1..=31).contains(&x)
        && (1..=31).contains(&y)
        && (x <= 12 || y <= 12);
    (ymd || dmy).then_some(c_at + c)
}

fn is_plausible_year(n: u32) -> bool {
    (1900..=2100).contains(&n)
}

/// What the number `t` in `s` is, or `None` if it is not personal.
fn classify(s: &[char], t: &Token) -> Option<Kind> {
    let digits: Vec<u8> = t
        .groups
        .iter()
        .flat_map(|g| s[g.clone()].iter().map(|&c| c as u8))
        .collect();
    let n = digits.len();
    if n <= 3 {
        return None;
    }
    if t.x || (n == 18 && is_id(&digits)) {
        return Some(Kind::Id);
    }
    if is_phone(t, &digits) {
        return Some(Kind::Phone);
    }
    match n {
        4..=8 => (!is_not_a_code(s, t, &digits)).then_some(Kind::Code),
        13..=19 => Some(Kind::Card),
        _ => Some(Kind::Number),
    }
}

/// 18 digits that read as a Chinese ID number: a region code starting 1–8,
/// then a birth date.
fn is_id(d: &[u8]) -> bool {
    let number = |r: Range<usize>| d[r].iter().fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'));
    (b'1'..=b'8').contains(&d[0])
        && is_plausible_year(number(6..10))
        && (1..=12).contains(&number(10..12))
        && (1..=31).contains(&number(12..14))
}

fn is_phone(t: &Token, d: &[u8]) -> bool {
    let n = d.len();
    let mobile = |d: &[u8]| d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1]);
    let lens: Vec<usize> = t.groups.iter().map(|g| g.len()).collect();
    ((t.plus || t.paren) && n >= 7)
        || mobile(d)
        || (d.starts_with(b"86") && mobile(&d[2..]))
        || (d.starts_with(b"0086") && mobile(&d[4..]))
        || (d[0] == b'0' && (10..=12).contains(&n))
        || lens == [3, 3, 4]
        || (lens == [1, 3, 3, 4] && d[0] == b'1')
}

/// Whether 4–8 digits are something other than a code: a date or year
/// range, a year, part of a dotted number, a number with a unit or a sum
/// of money.
fn is_not_a_code(s: &[char], t: &Token, d: &[u8]) -> bool {
    let value = |r: &Range<usize>| {
        s[r.clone()]
            .iter()
            .fold(0u32, |n, c| n * 10 + c.to_digit(10).unwrap_or(0))
    };
    let date_like = (2..=3).contains(&t.groups.len())
        && t.groups
            .iter()
            .all(|g| g.len() <= 2 || (g.len() == 4 && is_plausible_year(value(g))));
    if date_like && !t.plus && !t.paren {
        return true;
    }
    if t.groups.len() == 1 && d.len() == 4 && !t.plus && is_year(s, t, value(&t.groups[0])) {
        return true;
    }
    is_dotted_number(s, t) || has_unit(s, t)
}

/// Whether `t` is part of a dotted number of at most 8 digits in all: a
/// version (8.0.49.2600), a decimal (1234.56), not a phone number written
/// with dots (138.1234.5678).
fn is_dotted_number(s: &[char], t: &Token) -> bool {
    let digit = |i: usize| s.get(i).is_some_and(char::is_ascii_digit);
    // A dot between digits continues the number.
    let joins = |i: usize| s[i] == '.' && i > 0 && digit(i - 1) && digit(i + 1);
    let mut start = t.start;
    while start > 0 && (digit(start - 1) || joins(start - 1)) {
        start -= 1;
    }
    let mut end = t.end;
    while end < s.len() && (digit(end) || joins(end)) {
        end += 1;
    }
    let dots = s[start..end].iter().filter(|&&c| c == '.').count();
    dots > 0 && end - start - dots <= 8
}

/// Whether the 4-digit number `year` at `t` is a year (see the module
/// documentation).
fn is_year(s: &[char], t: &Token, year: u32) -> bool {
    let next = s[t.end..].iter().find(|&&c| c != ' ').copied();
    if next == Some('年') {
        return true;
    }
    if !is_plausible_year(year) {
        return false;
    }
    let prev = s[..t.start].iter().rev().find(|&&c| c != ' ').copied();
    if matches!(prev, Some('年' | '月')) || next == Some('月') {
        return true;
    }
    // A date written with slashes or dots, the year first or last.
    let digit = |i: usize| s.get(i).is_some_and(char::is_ascii_digit);
    if (matches!(s.get(t.end), Some('/' | '.' | '-')) && digit(t.end + 1))
        || (t.start >= 2 && matches!(s[t.start - 1], '/' | '.' | '-') && digit(t.start - 2))
    {
        return true;
    }
    // "in 2023", "Nov 3, 2026", "November 3rd 2026".
    let k = skip_back(s, t.start);
    let word = word_before(s, k);
    if is_month(&word) || YEAR_WORDS.contains(&word.as_str()) {
        return true;
    }
    let k = if matches!(word.as_str(), "st" | "nd" | "rd" | "th") {
        k - word.len()
    } else {
        k
    };
    let day = s[..k]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=2).contains(&day) && is_month(&word_before(s, skip_back(s, k - day)))
}

/// Words before a 4-digit number that make it a year.
const YEAR_WORDS: &[&str] = &[
    "in", "since", "from", "until", "till", "before", "after", "by", "of", "year", "around",
];

fn is_month(word: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    word.len() >= 3
        && MONTHS
            .iter()
            .any(|m| *m == word || (m.starts_with(word) && word.len() <= 4))
}

/// Where the spaces, commas and dots before `i` start.
fn skip_back(s: &[char], i: usize) -> usize {
    i - s[..i]
        .iter()
        .rev()
        .take_while(|c| matches!(c, ' ' | ',' | '.'))
        .count()
}

/// The ASCII word ending at `i`, lower case.
fn word_before(s: &[char], i: usize) -> String {
    let len = s[..i]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    s[i - len..i]
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The ASCII word starting at `i`, lower case.
fn word_after(s: &[char], i: usize) -> String {
    s.get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Chinese units after a number that make it a quantity.
const ZH_UNITS: &str =
    "元块圆毛角万千百亿个次人位条天日周月年岁分秒粉赞播字张部篇集页件名倍米斤克层";

/// English units written after a number and a space.
const EN_UNITS: &[&str] = &[
    "yuan",
    "rmb",
    "cny",
    "usd",
    "dollars",
    "bucks",
    "euros",
    "views",
    "followers",
    "fans",
    "likes",
    "videos",
    "posts",
    "comments",
    "subscribers",
    "plays",
    "days",
    "hours",
    "minutes",
    "seconds",
    "weeks",
    "months",
    "years",
    "times",
    "people",
    "users",
    "words",
    "characters",
    "messages",
];

/// Units written straight after a number.
const ATTACHED_UNITS: &[&str] = &[
    "k", "w", "p", "kb", "mb", "gb", "tb", "fps", "px", "ms", "mah", "km", "kg",
];

/// Currencies, and words about paying, written before a sum of money.
const MONEY_WORDS: &[&str] = &[
    "rmb",
    "cny",
    "usd",
    "hkd",
    "pay",
    "paid",
    "transfer",
    "transferred",
    "deposit",
    "fee",
    "fine",
    "charge",
    "charged",
    "cost",
    "costs",
    "refund",
    "earn",
    "earned",
];

/// Chinese characters about paying before a sum of money (交3000保证金,
/// 转了5000, 罚款2000, 押金1000).
const ZH_MONEY: &str = "交付转赔罚充花退借欠赚款费金";

/// Whether the number `t` has a unit after it, or is a sum of money.
fn has_unit(s: &[char], t: &Token) -> bool {
    let before = skip_back_spaces(s, t.start);
    if before > 0 && matches!(s[before - 1], '¥' | '$' | '€' | '£') {
        return true;
    }
    // 转5000, 转了5000.
    let verb = match s[..before] {
        [.., verb, '了'] | [.., verb] => Some(verb),
        [] => None,
    };
    if verb.is_some_and(|c| ZH_MONEY.contains(c)) {
        return true;
    }
    if MONEY_WORDS.contains(&word_before(s, before).as_str()) {
        return true;
    }
    if ATTACHED_UNITS.contains(&word_after(s, t.end).as_str()) {
        return true;
    }
    let after = t.end + s[t.end..].iter().take_while(|&&c| c == ' ').count();
    s.get(after).is_some_and(|c| ZH_UNITS.contains(*c))
        || (after > t.end && EN_UNITS.contains(&word_after(s, after).as_str()))
}

fn skip_back_spaces(s: &[char], i: usize) -> usize {
    i - s[..i].iter().rev().take_while(|&&c| c == ' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> String {
        mask(text).as_str().to_string()
    }

    #[test]
    fn masks_phone_numbers() {
        for (text, masked) in [
            ("13812345678", "[phone]"),
            (
                "我的手机号是13812345678，收不到验证码",
                "我的手机号是[phone]，收不到验证码",
            ),
            ("手机 138 1234 5678 怎么解绑", "手机 [phone] 怎么解绑"),
            ("138-1234-5678", "[phone]"),
            ("+86 138-1234-5678", "[phone]"),
            ("+86 13812345678", "[phone]"),
            ("8613812345678", "[phone]"),
            ("call +1 (415) 555-0100 now", "call [phone] now"),
            ("(415) 555-0100", "[phone]"),
            ("415-555-0100", "[phone]"),
            ("座机010-12345678", "座机[phone]"),
            ("(010) 6552 9988", "[phone]"),
            ("+44 20 7946 0958", "[phone]"),
        ] {
            assert_eq!(m(text), masked, "{text}");
        }
    }

    #[test]
    fn masks_codes() {
        for (text, masked) in [
            ("验证码是384756", "验证码是[code]"),
            ("验证码：384756，别告诉别人", "验证码：[code]，别告诉别人"),
            (
                "the code 1234 does not work",
                "the code [code] does not work",
            ),
            ("code 1234", "code [code]"),
            ("code: 12345678.", "code: [code]."),
            ("验证码 123 456", "验证码 [code]"),
            ("he asked for the code 2024", "he asked for the code [code]"),
            ("验证码2024", "验证码[code]"),
            ("wxid_12345678", "wxid_[code]"),
        ] {
            assert_eq!(m(text), masked, "{text}");
        }
    }

    #[test]
    fn masks_cards_ids_and_long_numbers() {
        for (text, masked) in [
            ("卡号6222021234567890123", "卡号[card]"),
            ("card 6222 0212 3456 7890", "card [card]"),
            ("4111-1111-1111-1111", "[card]"),
            ("身份证11010119900307123X", "身份证[id]"),
            ("身份证号110101199003071234没填", "身份证号[id]没填"),
            ("id 11010119900307123x", "id [id]"),
            ("110101 19900307 123X", "[id]"),
            ("QQ号123456789", "QQ号[number]"),
            ("订单号 123456789012345678901234", "订单号 [number]"),
            // 18 digits with no birth date in them: a card.
            ("622202123456789012", "[card]"),
            // Dots make no version of a phone number.
            ("138.1234.5678", "138.[code].[code]"),
        ] {
            assert_eq!(m(text), masked, "{text}");
        }
    }

    #[test]
    fn masks_email_addresses() {
        for (text, masked) in [
            ("邮箱abc.def@qq.com收不到", "邮箱[email]收不到"),
            (
                "mail me at John.Doe+wx@example.co.uk.",
                "mail me at [email].",
            ),
            ("12345678@qq.com", "[email]"),
            ("13812345678 12345678@163.com", "[phone] [email]"),
            ("a@qq.com.b@163.com", "[email].[email]"),
        ] {
            assert_eq!(m(text), masked, "{text}");
        }
        for text in ["@yourbot 视频号怎么注销", "a@b", "me@localhost", "x@1.2"] {
            assert_eq!(m(text), text);
        }
    }

    #[test]
    fn reads_full_width_digits_and_signs() {
        assert_eq!(m("手机１３８１２３４５６７８"), "手机[phone]");
        assert_eq!(m("验证码是３８４７５６"), "验证码是[code]");
        assert_eq!(m("＋８６　１３８－１２３４－５６７８"), "[phone]");
        assert_eq!(m("ａｂｃ＠ｑｑ．ｃｏｍ"), "[email]");
        assert_eq!(m("138—1234—5678"), "[phone]");
        assert_eq!(m("验证码③⑧④⑦⑤⑥"), "验证码[code]");
        assert_eq!(m("㉑㉑㉑㉑㉑"), "[number]");
    }

    #[test]
    fn invisible_characters_do_not_hide_a_number() {
        assert_eq!(m("138\u{200B}1234\u{200B}5678"), "[phone]");
        assert_eq!(m("验证码3\u{00AD}8\u{202E}4756"), "验证码[code]");
        assert_eq!(m("a\u{200B}b 1234\u{200B}"), "a\u{200B}b [code]\u{200B}");
    }

    #[test]
    fn numbers_side_by_side_are_masked_one_by_one() {
        assert_eq!(m("13812345678 1234"), "[phone] [code]");
        assert_eq!(m("1234 13812345678"), "[code] [phone]");
        assert_eq!(m("86 13812345678"), "86 [phone]");
        assert_eq!(
            m("2026-11-03 13812345678"),
            "2026-11-03 [phone]",
            "a date starts no number"
        );
        assert_eq!(m("13812345678 2026-11-03"), "[phone] 2026-11-03");
    }

    #[test]
    fn keeps_what_is_not_personal() {
        for text in [
            "3天",
            "第62天了还能撤销吗",
            "收了我300块",
            "60天冷静期",
            "注销要4个月吗",
            "我2026-11-03申请的",
            "2026/11/3",
            "2026.11.03",
            "3.11.2026",
            "11/03/2026",
            "11月3日申请的注销",
            "11/3",
            "2023年的步骤现在还能用吗",
            "2023 年",
            "2026年11月3日",
            "these instructions are from 2023, still valid",
            "in 2022 we opened it",
            "on Nov 3, 2026",
            "November 3rd 2026",
            "2022-2023",
            "微信版本8.0.50",
            "8.0.49.2600",
            "1234.56元",
            "5000元",
            "10000粉丝",
            "1000万",
            "¥1200",
            "$ 2500",
            "rmb 5000",
            "想注销就得先交3000保证金",
            "转了5000",
            "罚款2000",
            "they told me to pay 3000 first",
            "per 1000 views",
            "about 2,000 followers",
            "1080p",
            "I'm 50/50 about deleting",
            "9:00-18:00",
            "3-5天",
            "192.168.1.1",
            "",
            "视频号怎么注销",
            "[code] typed by hand",
        ] {
            assert_eq!(m(text), text, "{text}");
        }
    }

    #[test]
    fn questions_that_differ_by_a_masked_value_mask_alike() {
        let a = mask("有人让我报验证码384756，手机13812345678");
        let b = mask("有人让我报验证码 102938，手机 139-8765-4321");
        assert_eq!(a.normalized(), b.normalized());
        assert_eq!(a.normalized(), "有人让我报验证码 [code] 手机 [phone]");
    }

    #[test]
    fn normalised_and_without_placeholders() {
        let masked = mask("視頻號綁定的手機13812345678換了，驗證碼123456收不到！");
        assert_eq!(
            masked.as_str(),
            "視頻號綁定的手機[phone]換了，驗證碼[code]收不到！"
        );
        assert_eq!(
            masked.normalized(),
            "视频号绑定的手机 [phone] 换了 验证码 [code] 收不到"
        );
        assert_eq!(
            masked.without_placeholders(),
            "視頻號綁定的手機 換了，驗證碼 收不到！"
        );
        assert_eq!(mask("[email]").normalized(), "[email]");
        assert_eq!(without_placeholders("a [code] b [x]"), "a   b [x]");
        assert_eq!(mask("Code ［1234］").normalized(), "code [code]");
    }

    #[test]
    fn masking_is_idempotent() {
        for text in [
            "验证码384756 手机+86 138 1234 5678 邮箱a@qq.com",
            "13812345678 1234 2026-11-03",
            "[phone] 1234",
            // Found by the property test: the second number is not part of
            // a dotted number once the first is masked.
            "(00)00000.00000",
            "1234.123456789",
        ] {
            let once = mask(text);
            assert_eq!(mask(once.as_str()), once, "{text}");
        }
    }
}
