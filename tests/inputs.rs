//! Input from strangers: messages far over any length, invisible and
//! direction-changing characters, markup, and forged deep links and buttons
//! (admin triage buttons included).
//! What is matched is capped (the rest is ignored, not refused), and nothing
//! a user sends comes back in the bot's replies.

use std::time::Duration;

use faqbot::Outcome;

use crate::fake_api::{self as tg, FakeApi};
use crate::util::{self, shipped};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn a_huge_message_is_matched_on_its_start_and_end_only() {
    let cap = util::settings().matcher.max_input_chars;
    let question = "视频号注销了还能恢复吗";
    let plain = shipped().matcher().find(question, None);
    assert_eq!(plain.outcome, Outcome::Answer);
    // A megabyte of emoji, joiners and overrides after the question.
    let junk = "😭\u{200D}\u{202E}🙏\u{2066}".repeat(200_000);
    let huge = format!("{question}{junk}");
    assert!(huge.chars().count() > 500 * cap);
    assert_eq!(shipped().matcher().find(&huge, None).answer, plain.answer);
    // Words in the ignored middle change nothing.
    let middle = format!(
        "{question}{}如何备份视频{}",
        "😭".repeat(3 * cap),
        "😭".repeat(3 * cap)
    );
    assert_eq!(shipped().matcher().find(&middle, None).answer, plain.answer);
    // A megabyte with nothing to match falls back.
    let nothing = "\u{0007}\u{200B}&<>".repeat(250_000);
    assert_eq!(
        shipped().matcher().find(&nothing, None).outcome,
        Outcome::Fallback
    );
}

/// Characters that must never reach a reply: controls, bidi embeddings,
/// overrides and isolates, zero-width characters.
fn invisible(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF)
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_a_user_sends_is_echoed_back() {
    let fake = FakeApi::start().await;
    let hostile = [
        "视频号\u{202E}怎么注销\u{200B}<script>alert(1)</script>",
        "<b>how do I undo deletion</b> &amp; \u{0007}\u{001B}[31m",
        "\u{2066}\u{2067}\u{2068}zzqx-marker\u{2069}",
        "/start ../../etc/passwd<i>",
        "/lang <b>zzqx</b>",
        "/zzqx\u{202E}cmd",
    ];
    for (i, text) in hostile.iter().enumerate() {
        fake.push_update(tg::private_text(100 + i as i64, text));
    }
    // A button whose data the bot never made, naming an entry that does not exist.
    fake.push_update(tg::callback(200, 1, "t:en:zzqx-forged"));
    // Admin triage buttons forged by someone who is not an admin.
    fake.push_update(tg::callback(201, 1, "x:0123456789ab"));
    fake.push_update(tg::callback(202, 1, "g:0123456789ab:overview"));
    let settings = util::settings();
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.api_url());
    let running = util::Running::spawn(
        bot,
        util::live_shipped(&settings),
        faqbot::bot::Options::from_settings(&settings),
    );
    let sent = fake
        .wait_for_ok("sendMessage", hostile.len(), WAIT, |_| true)
        .await;
    let notice = fake
        .wait_for_ok("answerCallbackQuery", 3, WAIT, |_| true)
        .await;
    let refused = notice
        .iter()
        .filter(|c| c.body["text"] == faqbot::text::admins_only(faqbot::Lang::En))
        .count();
    assert_eq!(refused, 2, "forged admin buttons are refused");
    for call in sent.iter().chain(&notice) {
        let text = call.body["text"].as_str().unwrap_or_default();
        assert!(!text.chars().any(invisible), "{text:?}");
        for echoed in ["script", "zzqx", "passwd", "alert", "&amp;amp;", "[31m"] {
            assert!(!text.contains(echoed), "{echoed:?} echoed in {text:?}");
        }
    }
    // The forged buttons get a notice, not a topic.
    assert_eq!(fake.calls("sendMessage").len(), hostile.len());
    running.stop_within(WAIT).await.expect("stops");
}
