//! The project's other free-text parsers and formatters: settings given as
//! `FAQBOT__*` environment variables (numbers, URLs, addresses, the secret
//! token), language names, pinyin syllables, time spans (`--since 7d`), and
//! the escaping and splitting of text into Telegram messages.
//!
//! The first byte picks the parser; the rest is its input.
//!
//! Checks: nothing panics; a bad setting is an error naming a key; every
//! message piece fits the limit and escaped text never contains a raw `<`.

#![no_main]

use std::collections::HashMap;

use faqbot::bot::render;
use faqbot::settings::Settings;
use libfuzzer_sys::fuzz_target;

/// Settings keys an operator sets from the environment.
const KEYS: &[&str] = &[
    "FAQBOT__BOT__API_URL",
    "FAQBOT__BOT__WEBHOOK__URL",
    "FAQBOT__BOT__WEBHOOK__LISTEN",
    "FAQBOT__BOT__WEBHOOK__SECRET_TOKEN",
    "FAQBOT__BOT__FLOOD_MESSAGES_PER_MINUTE",
    "FAQBOT__MATCHER__ANSWER_THRESHOLD",
    "FAQBOT__MATCHER__MAX_INPUT_CHARS",
    "FAQBOT__ADMIN__USER_IDS",
    "FAQBOT__LOG__LEVEL",
    "FAQBOT__KNOWLEDGE__WATCH",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 4 {
        0 => {
            // Up to three settings, `value\x1fvalue…`, keys picked by the bytes.
            let env: HashMap<String, String> = text
                .split('\u{1f}')
                .take(3)
                .enumerate()
                .map(|(i, value)| {
                    let key = KEYS[(which as usize / 4 + i * 7) % KEYS.len()];
                    (key.to_string(), value.to_string())
                })
                .collect();
            if let Err(err) = Settings::load(None, env) {
                assert!(!err.to_string().is_empty());
            }
        }
        1 => {
            let _ = text.parse::<faqbot::Lang>();
            let _ = faqbot::phonetic::split_syllables(&text);
            if let Ok(span) = faqbot::report::parse_span(&text) {
                // A span is digits and one unit letter, nothing else.
                let t = text.trim();
                assert!(t.len() >= 2 && t[..t.len() - 1].bytes().all(|b| b.is_ascii_digit()));
                assert!(span.as_secs() >= t[..t.len() - 1].parse::<u64>().unwrap_or(0));
            }
        }
        _ => {
            // At least one escaped character (`&quot;`) must fit.
            let limit = 8 + (which as usize / 4) * 64;
            let outgoing = render::Outgoing::plain(&text);
            assert!(!outgoing.html.contains('<'), "escaped");
            for chunk in render::split(&outgoing.html, limit) {
                let units: usize = chunk.chars().map(char::len_utf16).sum();
                assert!(units <= limit, "{units} > {limit}");
            }
        }
    }
});
