//! The date reader (`faqbot::dates`): arbitrary text, read relative to a
//! today taken from the first two bytes (any day from 1970-01-01 to
//! 2100-12-31).
//!
//! Checks: nothing panics; the span is a non-empty part of the text on char
//! boundaries; a past date is on or before today and a future one after it,
//! and a duration ("两个月了", "3 days ago") is never in the future; the
//! expression reads the same (reading, kind, approximate) when the text
//! starts at the span, and when the text is only the span (which
//! `is_only_date` then accepts).

#![no_main]

use faqbot::dates::{Found, Kind, Reading, find, is_only_date};
use jiff::Span;
use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;

/// Days from 1970-01-01 to 2100-12-31 inclusive.
const DAYS: u16 = 47_847;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let offset = u16::from_le_bytes([*a, *b]) % DAYS;
    let today = Date::constant(1970, 1, 1) + Span::new().days(offset);
    let text = String::from_utf8_lossy(rest);
    let Some(found) = find(&text, today) else {
        return;
    };
    let span = found.span.clone();
    let Some(expression) = text.get(span.clone()) else {
        panic!("span {span:?} is not on char boundaries of {} bytes", text.len());
    };
    assert!(!expression.is_empty(), "empty span");
    match found.reading {
        Reading::Past(d) => assert!(d <= today, "past {d} after today {today}"),
        Reading::Future(d) => {
            assert!(d > today, "future {d} not after today {today}");
            assert_eq!(found.kind, Kind::Date, "a duration in the future");
        }
        Reading::Invalid => {}
    }
    let _ = is_only_date(&text, &found);

    let from_start = find(&text[span.start..], today);
    assert_eq!(
        from_start,
        Some(Found {
            span: 0..span.len(),
            ..found.clone()
        }),
        "text from the span on"
    );
    let alone = find(expression, today);
    assert_eq!(
        alone
            .as_ref()
            .map(|f| (f.reading, f.kind, f.approximate, f.span.clone())),
        Some((found.reading, found.kind, found.approximate, 0..expression.len())),
        "the expression alone"
    );
    if let Some(alone) = alone {
        assert!(is_only_date(expression, &alone), "is_only_date on the expression alone");
    }
});
