//! Normalisation and matching of arbitrary bytes (read as UTF-8, invalid
//! sequences replaced) against the shipped knowledge base, and the reply
//! rendered as the bot would send it.
//!
//! Checks: nothing panics; normalisation is idempotent and leaves no control,
//! bidi or zero-width character; confidence and scores stay in [0, 1]; the
//! same message gets the same verdict twice; every chunk sent fits Telegram's
//! limit.

#![no_main]

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use faqbot::bot::render;
use faqbot::normalize::normalize;
use faqbot::{Faq, Outcome};
use libfuzzer_sys::fuzz_target;

fn faq() -> &'static Faq {
    static FAQ: OnceLock<Faq> = OnceLock::new();
    FAQ.get_or_init(|| {
        let settings = faqbot::settings::Settings::load(None, HashMap::new()).expect("settings");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge");
        Faq::load(&dir, &settings.limits, settings.matcher).expect("shipped knowledge")
    })
}

fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let once = normalize(&text);
    assert_eq!(normalize(&once), once, "normalisation is idempotent");
    assert!(!once.chars().any(invisible), "{once:?}");

    let faq = faq();
    let verdict = faq.matcher().find(&text, None);
    assert!((0.0..=1.0).contains(&verdict.confidence), "{verdict:?}");
    for candidate in verdict.answer.iter().chain(&verdict.suggestions) {
        assert!((0.0..=1.0).contains(&candidate.score), "{verdict:?}");
    }
    assert_eq!(verdict.outcome == Outcome::Answer, verdict.answer.is_some());
    assert_eq!(faq.matcher().find(&text, None), verdict, "deterministic");

    let reply = faq.ask(&text, None);
    let outgoing = render::reply(&reply, faq.knowledge());
    for chunk in outgoing.chunks() {
        let units: usize = chunk.chars().map(char::len_utf16).sum();
        assert!(units <= render::MAX_MESSAGE_UTF16);
    }
});
