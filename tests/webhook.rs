//! The webhook server under abuse: forged secrets, other methods and paths,
//! oversized bodies, slow clients, bodies that are not updates, and a burst
//! of real updates, each accepted one answered exactly once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::fake_api::{self as tg, FakeApi};
use crate::util;

pub const SECRET: &str = "hook_secret-1";
const WAIT: Duration = Duration::from_secs(10);
/// The body limit the tests configure (the smallest allowed).
const MAX_BODY: usize = 1024;

/// The bot in webhook mode against a fake API.
pub struct Hooked {
    pub fake: FakeApi,
    pub addr: SocketAddr,
    running: util::Running,
}

impl Hooked {
    /// Stops the bot; it must stop cleanly and remove its webhook.
    pub async fn stop(self) {
        // A bound for a stuck bot (a request in teloxide's 10 s wait after
        // a server error finishes first), not a speed assertion.
        if self.running.stop_within(3 * WAIT).await.is_none() {
            // Say what the bot was doing, to find out why it hung.
            let calls: Vec<String> = self
                .fake
                .all_calls()
                .iter()
                .rev()
                .take(12)
                .map(|c| format!("{} failed={} {}", c.method, c.failed, c.body))
                .collect();
            panic!(
                "the bot did not stop; its last calls, newest first:\n{}",
                calls.join("\n")
            );
        }
        assert!(self.fake.webhook().is_none(), "webhook removed");
    }
}

/// The bot in webhook mode on a free port, with a 1 KiB body limit and a
/// `read_timeout_ms` read timeout, serving once the port accepts.
async fn start(read_timeout_ms: u64) -> Hooked {
    let fake = FakeApi::start().await;
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.api_url());
    start_with(fake, bot, read_timeout_ms).await
}

/// Like [`start`], with the `bot` given (pointed at `fake`).
pub async fn start_with(fake: FakeApi, bot: teloxide::Bot, read_timeout_ms: u64) -> Hooked {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let env: HashMap<String, String> = [
        (
            "FAQBOT__BOT__WEBHOOK__URL",
            format!("http://{addr}/tg-hook"),
        ),
        ("FAQBOT__BOT__WEBHOOK__LISTEN", addr.to_string()),
        ("FAQBOT__BOT__WEBHOOK__SECRET_TOKEN", SECRET.into()),
        ("FAQBOT__BOT__WEBHOOK__MAX_BODY_BYTES", MAX_BODY.to_string()),
        (
            "FAQBOT__BOT__WEBHOOK__READ_TIMEOUT_MS",
            read_timeout_ms.to_string(),
        ),
        ("FAQBOT__BOT__LIMITS__ENABLED", "false".into()),
        ("FAQBOT__BOT__FLOOD_MESSAGES_PER_MINUTE", "0".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let settings = faqbot::settings::Settings::load(None, env).unwrap();
    let running = util::Running::spawn(
        bot,
        util::live_shipped(&settings),
        faqbot::bot::Options::from_settings(&settings),
    );
    fake.wait_for("setWebhook", 1, WAIT, |_| true).await;
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(addr).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "the webhook server never listened"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Hooked {
        fake,
        addr,
        running,
    }
}

/// The JSON of update `id`: `text` from `user` in a private chat.
pub fn update(id: i64, user: i64, text: &str) -> String {
    let mut update: Value = tg::private_text(user, text);
    update["update_id"] = id.into();
    update.to_string()
}

/// Sends raw bytes and returns the response's status code, or `None` if the
/// server closed the connection without one.
pub async fn exchange(addr: SocketAddr, raw: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(raw).await.unwrap();
    status_of(&mut stream).await
}

async fn status_of(stream: &mut TcpStream) -> Option<u16> {
    let mut response = Vec::new();
    // A bound for a broken server, not a speed assertion.
    let read = tokio::time::timeout(WAIT, stream.read_to_end(&mut response))
        .await
        .expect("the server answers or closes the connection");
    if read.is_err() && response.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace().nth(1).and_then(|c| c.parse().ok())
}

/// A POST to `path` with `headers` (each ending in CRLF) and `body`.
pub fn post(path: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{headers}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The secret token header with `value`.
pub fn secret(value: &str) -> String {
    format!("X-Telegram-Bot-Api-Secret-Token: {value}\r\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn only_post_on_the_path_with_the_exact_secret_is_handled() {
    let hook = start(10_000).await;
    let body = update(1, 3, "视频号怎么注销");
    let right = secret(SECRET);
    for (raw, expected) in [
        (post("/tg-hook", "", &body), Some(401)),
        (post("/tg-hook", &secret("hook_secret-2"), &body), Some(401)),
        (post("/tg-hook", &secret("hook_secret-"), &body), Some(401)),
        (
            post("/tg-hook", &secret("hook_secret-11"), &body),
            Some(401),
        ),
        (post("/tg-hook", &secret("HOOK_SECRET-1"), &body), Some(401)),
        (post("/other", &right, &body), Some(404)),
        (post("/tg-hook/x", &right, &body), Some(404)),
        (
            format!("GET /tg-hook HTTP/1.1\r\nHost: bot\r\n{right}Connection: close\r\n\r\n")
                .into_bytes(),
            Some(405),
        ),
        (
            String::from_utf8(post("/tg-hook", &right, &body))
                .unwrap()
                .replacen("POST", "PUT", 1)
                .into_bytes(),
            Some(405),
        ),
    ] {
        let request = String::from_utf8_lossy(&raw)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        assert_eq!(exchange(hook.addr, &raw).await, expected, "{request}");
    }
    assert_eq!(
        hook.fake.calls("sendMessage").len(),
        0,
        "nothing refused is handled"
    );

    assert_eq!(
        exchange(hook.addr, &post("/tg-hook", &right, &body)).await,
        Some(200)
    );
    let sent = hook
        .fake
        .wait_for_ok("sendMessage", 1, WAIT, |_| true)
        .await;
    assert_eq!(sent[0].body["chat_id"], 3);
    hook.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_over_the_limit_and_bodies_that_are_not_updates_are_refused() {
    let hook = start(10_000).await;
    let right = secret(SECRET);
    let big = update(1, 3, &"注销".repeat(MAX_BODY));
    assert!(big.len() > MAX_BODY);
    // Declared too long: refused before the body is read.
    assert_eq!(
        exchange(hook.addr, &post("/tg-hook", &right, &big)).await,
        Some(413)
    );
    // Chunked, with no length declared: refused once the limit is passed.
    let chunked = format!(
        "POST /tg-hook HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\n{right}\
         Connection: close\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    assert_eq!(exchange(hook.addr, chunked.as_bytes()).await, Some(413));
    for junk in ["", "{", "[]", "{\"update_id\": \"x\"}", "\u{0}\u{1}"] {
        assert_eq!(
            exchange(hook.addr, &post("/tg-hook", &right, junk)).await,
            Some(400),
            "{junk:?}"
        );
    }
    assert_eq!(hook.fake.calls("sendMessage").len(), 0);

    // The server is still serving.
    let fine = update(2, 4, "how do I undo deletion");
    assert_eq!(
        exchange(hook.addr, &post("/tg-hook", &right, &fine)).await,
        Some(200)
    );
    let sent = hook
        .fake
        .wait_for_ok("sendMessage", 1, WAIT, |_| true)
        .await;
    assert_eq!(sent[0].body["chat_id"], 4);
    hook.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_clients_are_cut_off_and_others_still_served() {
    let hook = start(300).await;
    let body = update(1, 3, "视频号怎么注销");
    let full = post("/tg-hook", &secret(SECRET), &body);

    // Headers sent, then the body trickles and stops half way.
    let split = full.len() - body.len() / 2;
    let mut slow_body = TcpStream::connect(hook.addr).await.unwrap();
    slow_body.write_all(&full[..split]).await.unwrap();
    // Headers never finished.
    let mut slow_headers = TcpStream::connect(hook.addr).await.unwrap();
    slow_headers.write_all(&full[..20]).await.unwrap();

    // Meanwhile another client is served.
    let other = update(2, 4, "how do I undo deletion");
    let request = post("/tg-hook", &secret(SECRET), &other);
    assert_eq!(exchange(hook.addr, &request).await, Some(200));

    assert_eq!(status_of(&mut slow_body).await, Some(408));
    // hyper closes a connection whose headers time out (408 or no answer).
    assert!(matches!(
        status_of(&mut slow_headers).await,
        None | Some(408)
    ));
    hook.fake
        .wait_for_ok("sendMessage", 1, WAIT, |_| true)
        .await;
    let chats: Vec<Value> = hook
        .fake
        .calls("sendMessage")
        .iter()
        .map(|c| c.body["chat_id"].clone())
        .collect();
    assert_eq!(chats, [4], "only the complete request is handled");
    hook.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_accepted_update_of_a_burst_is_answered_once() {
    let hook = start(10_000).await;
    const N: i64 = 200;
    let mut posts = Vec::new();
    for i in 1..=N {
        let addr = hook.addr;
        posts.push(tokio::spawn(async move {
            let body = update(i, 10_000 + i, "视频号怎么注销");
            exchange(addr, &post("/tg-hook", &secret(SECRET), &body)).await
        }));
    }
    for post in posts {
        assert_eq!(post.await.unwrap(), Some(200));
    }
    let sent = hook
        .fake
        // 200 replies from a debug build on a busy 2-core machine: the wait
        // ends as soon as they are all in, and only a failure waits it out.
        .wait_for_ok("sendMessage", N as usize, 6 * WAIT, |_| true)
        .await;
    let mut chats: Vec<i64> = sent
        .iter()
        .map(|c| c.body["chat_id"].as_i64().unwrap())
        .collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len(), N as usize, "each update answered once");
    hook.stop().await;
}
