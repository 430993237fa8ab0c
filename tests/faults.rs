//! Fault injection through the fake Bot API: real HTTP 500s, responses that
//! never end, connections closed half way, bodies that are not JSON. The bot
//! must get over each by itself, and every update it accepted must still be
//! answered, once.

use std::time::Duration;

use serde_json::Value;

use crate::fake_api::{self as tg, Failure, FakeApi};
use crate::webhook::{self, SECRET};

const WAIT: Duration = Duration::from_secs(30);

/// The chats that received a reply (successful sends only), sorted.
fn answered(fake: &FakeApi) -> Vec<i64> {
    let mut chats: Vec<i64> = fake
        .calls("sendMessage")
        .iter()
        .filter(|c| !c.failed)
        .filter_map(|c| c.body["chat_id"].as_i64())
        .collect();
    chats.sort_unstable();
    chats
}

/// Each reply meets one fault (in its own chat, so they run side by side);
/// the bot, whose HTTP client gives up after three seconds, sends each again.
/// The slowest is the real HTTP 500, which teloxide waits 10 s before reading.
#[tokio::test(flavor = "multi_thread")]
async fn replies_survive_server_errors_timeouts_cut_offs_and_bad_json() {
    let fake = FakeApi::start().await;
    let faults = [
        (11, Failure::HttpServerError),
        (12, Failure::ServerError),
        (13, Failure::Hang),
        (14, Failure::CutOff),
        (15, Failure::MalformedJson),
    ];
    for (chat, failure) in faults {
        fake.fail("sendMessage", Some(chat), failure, 1);
    }
    let client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let bot = teloxide::Bot::with_client("123456:TEST-TOKEN", client).set_api_url(fake.api_url());
    let hook = webhook::start_with(fake, bot, 10_000).await;

    for (id, chat) in (11..=16).enumerate() {
        let body = webhook::update(id as i64 + 1, chat, "视频号怎么注销");
        let request = webhook::post("/tg-hook", &webhook::secret(SECRET), &body);
        assert_eq!(webhook::exchange(hook.addr, &request).await, Some(200));
    }
    hook.fake
        .wait_for_ok("sendMessage", 6, WAIT, |_| true)
        .await;
    assert_eq!(answered(&hook.fake), [11, 12, 13, 14, 15, 16], "each once");
    let failed: Vec<Value> = hook
        .fake
        .calls("sendMessage")
        .iter()
        .filter(|c| c.failed)
        .map(|c| c.body["chat_id"].clone())
        .collect();
    assert_eq!(failed.len(), faults.len(), "each fault was met: {failed:?}");

    // And it goes on as before.
    let body = webhook::update(7, 17, "how do I undo deletion");
    let request = webhook::post("/tg-hook", &webhook::secret(SECRET), &body);
    assert_eq!(webhook::exchange(hook.addr, &request).await, Some(200));
    hook.fake
        .wait_for_ok("sendMessage", 7, WAIT, |_| true)
        .await;
    hook.stop().await;
}

/// getUpdates cut off half way and answered with bad JSON: the polling
/// listener backs off and asks again from the same offset, so the updates
/// waiting are neither lost nor answered twice.
#[tokio::test(flavor = "multi_thread")]
async fn polling_survives_cut_off_and_malformed_get_updates() {
    let fake = FakeApi::start().await;
    fake.fail("getUpdates", None, Failure::CutOff, 1);
    fake.fail("getUpdates", None, Failure::MalformedJson, 1);
    for chat in 21..=23 {
        fake.push_update(tg::private_text(chat, "视频号怎么注销"));
    }
    let settings = crate::util::settings();
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.api_url());
    let running = crate::util::Running::spawn(
        bot,
        crate::util::live_shipped(&settings),
        faqbot::bot::Options::from_settings(&settings),
    );

    fake.wait_for_ok("sendMessage", 3, WAIT, |_| true).await;
    assert_eq!(answered(&fake), [21, 22, 23]);
    let failed = fake.calls("getUpdates").iter().filter(|c| c.failed).count();
    assert_eq!(failed, 2, "both faults were met");
    fake.push_update(tg::private_text(24, "how do I undo deletion"));
    fake.wait_for_ok("sendMessage", 4, WAIT, |_| true).await;

    running.stop_within(WAIT).await.expect("stops");
    assert_eq!(answered(&fake), [21, 22, 23, 24], "none twice");
    assert_eq!(fake.pending(), 0, "every update confirmed");
}
