//! Parsing what a Telegram user controls in a button press or a command:
//! `callback_data` and `/command@bot arguments`.
//!
//! Checks: nothing panics; data that parses is exactly what the bot would
//! have made (it encodes back to the same bytes, within Telegram's 64), and
//! only triage buttons (`g:`, `x:`) are admin actions (the guided help's
//! `c:`, `k:`, `d:`, `r:`, `z:` are anyone's); command parsing is total and
//! names a known command.

#![no_main]

use faqbot::bot::callback::{Callback, MAX_CALLBACK_BYTES};
use faqbot::bot::commands::Command;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(callback) = Callback::parse(&text) {
        let encoded = callback.encode();
        assert_eq!(encoded, text, "only data the bot makes is accepted");
        assert!(encoded.len() <= MAX_CALLBACK_BYTES);
        // Only the triage buttons are admin actions.
        let triage = text.starts_with("g:") || text.starts_with("x:");
        assert_eq!(callback.is_admin_action(), triage, "{text:?}");
    }
    if let Some(command) = Command::parse(&text, "faq_test_bot") {
        assert!(text.starts_with('/'));
        assert!(!command.name().is_empty());
        if let Command::Start(Some(arg)) | Command::Lang(Some(arg)) = &command {
            assert_eq!(arg.trim(), arg, "arguments are trimmed");
            assert!(!arg.is_empty());
        }
    }
});
