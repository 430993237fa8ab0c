//! `faqbot serve` as an operator runs it: the binary against the fake Bot
//! API, with real signals; and webhook mode with its secret token.

use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fake_api::{self as tg, FakeApi};
use crate::util;

const TOKEN: &str = "987654:SECRET-token-never-logged";
const WAIT: Duration = Duration::from_secs(15);

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name}");
}

/// Waits up to `limit` for the child to exit; kills it if it does not.
fn wait_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    None
}

#[test]
fn serve_without_a_token_is_a_one_line_error() {
    let out = util::faqbot().arg("serve").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: no bot token"), "{err}");
    assert!(err.contains("TELOXIDE_TOKEN"), "{err}");

    let out = util::faqbot()
        .arg("serve")
        .env("TELOXIDE_TOKEN", "12 34:secret-part")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("bot.token") && !err.contains("secret-part"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_answers_reloads_on_sighup_and_stops_cleanly_on_sigterm() {
    let fake = FakeApi::start().await;
    let dir = util::knowledge_copy();
    let mut child = util::faqbot()
        .arg("serve")
        .env("FAQBOT__STORE__PATH", dir.path().join("store.sqlite3"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("FAQBOT__BOT__API_URL", fake.api_url().as_str())
        .env("FAQBOT__KNOWLEDGE__DIR", dir.path())
        .env("FAQBOT__BOT__LIMITS__MESSAGES_PER_SEC_CHAT", "100")
        // Everything teloxide and reqwest can log, to show the token and
        // what users give away are never in it.
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    fake.push_update(tg::private_text(1, "how do I undo the deletion"));
    let first = fake.wait_for_ok("sendMessage", 1, WAIT, |_| true).await;
    assert!(first[0].body["text"].as_str().unwrap().contains("Undo"));
    // Message text is logged at debug, masked.
    fake.push_update(tg::private_text(
        2,
        "my phone 13812345678 gets no code, is 384756 the one? mail a.b@example.com",
    ));
    fake.wait_for_ok("sendMessage", 2, WAIT, |_| true).await;

    // SIGHUP reloads the edited knowledge.
    let id = util::set_first_english_answer(&dir.path().join("after.toml"), "Reloaded by SIGHUP.");
    signal(&child, "HUP");
    let deadline = Instant::now() + WAIT;
    loop {
        let before = fake.calls("sendMessage").len();
        fake.push_update(tg::callback(1, 1, &format!("t:en:{id}")));
        let sent = fake
            .wait_for_ok("sendMessage", before + 1, WAIT, |_| true)
            .await;
        if sent[before].body["text"]
            .as_str()
            .unwrap()
            .contains("Reloaded by SIGHUP.")
        {
            break;
        }
        assert!(Instant::now() < deadline, "SIGHUP never reloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // SIGTERM: the bot confirms its offset and exits 0 within 5 seconds.
    let answered = fake.calls("sendMessage").len();
    signal(&child, "TERM");
    let status = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(5)))
        .await
        .unwrap()
        .expect("exits within 5 seconds of SIGTERM");
    assert!(status.success(), "{status:?}");
    assert_eq!(fake.pending(), 0, "every update confirmed");
    assert_eq!(fake.calls("sendMessage").len(), answered);

    let log = log.join().unwrap();
    assert!(
        !log.contains("SECRET-token"),
        "the token leaked into the log"
    );
    assert!(
        log.contains("my phone [phone] gets no code, is [code] the one? mail [email]"),
        "{log}"
    );
    for value in ["13812345678", "384756", "a.b@example.com"] {
        assert!(!log.contains(value), "{value} leaked into the log");
    }
    assert!(log.contains("update handled"), "one line per update");
    assert!(log.contains("update_id="), "{log}");
    assert!(log.contains("SIGHUP received") && log.contains("knowledge reloaded"));
}

/// Sends a raw HTTP POST and returns the status code.
async fn post(addr: std::net::SocketAddr, path: &str, secret: Option<&str>, body: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let secret = secret
        .map(|s| format!("X-Telegram-Bot-Api-Secret-Token: {s}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{secret}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

/// Bot options and the shipped knowledge for webhook mode on `addr`, with a
/// secret token if given.
fn webhook_bot(
    addr: std::net::SocketAddr,
    secret: Option<&str>,
) -> (faqbot::bot::Options, Arc<faqbot::live::LiveFaq>) {
    let mut env: std::collections::HashMap<String, String> = [
        (
            "FAQBOT__BOT__WEBHOOK__URL",
            format!("http://{addr}/tg-hook"),
        ),
        ("FAQBOT__BOT__WEBHOOK__LISTEN", addr.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(secret) = secret {
        env.insert("FAQBOT__BOT__WEBHOOK__SECRET_TOKEN".into(), secret.into());
    }
    let settings = faqbot::settings::Settings::load(None, env).unwrap();
    (
        faqbot::bot::Options::from_settings(&settings),
        util::live_shipped(&settings),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_mode_registers_the_url_and_requires_the_secret_token() {
    let fake = FakeApi::start().await;
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (options, faq) = webhook_bot(addr, Some("hook_secret-1"));
    let bot = teloxide::Bot::new(TOKEN).set_api_url(fake.api_url());
    let running = util::Running::spawn(bot, faq, options);

    fake.wait_for("setWebhook", 1, WAIT, |_| true).await;
    let (url, secret) = fake.webhook().expect("a webhook is set");
    assert_eq!(url, format!("http://{addr}/tg-hook"));
    assert_eq!(secret.as_deref(), Some("hook_secret-1"));
    // The server may take a moment to bind after setWebhook.
    let mut update: Value = tg::private_text(3, "视频号怎么注销");
    update["update_id"] = 1.into();
    let body = update.to_string();
    let deadline = Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "the webhook server never listened"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(post(addr, "/tg-hook", None, &body).await, 401);
    assert_eq!(post(addr, "/tg-hook", Some("wrong"), &body).await, 401);
    assert_eq!(
        fake.calls("sendMessage").len(),
        0,
        "rejected updates are not handled"
    );
    assert_eq!(
        post(addr, "/tg-hook", Some("hook_secret-1"), &body).await,
        200
    );
    let sent = fake.wait_for_ok("sendMessage", 1, WAIT, |_| true).await;
    assert_eq!(sent[0].body["chat_id"], 3);

    running.stop().await;
    assert!(
        fake.webhook().is_none(),
        "the webhook is removed on the way out"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_telegram_refuses_ends_serve_with_an_error() {
    let fake = FakeApi::start().await;
    fake.fail("getMe", None, tg::Failure::Unauthorized, 1000);
    let out = tokio::task::spawn_blocking({
        let url = fake.api_url().to_string();
        move || {
            let store = tempfile::tempdir().unwrap();
            util::faqbot()
                .arg("serve")
                .env("FAQBOT__STORE__PATH", store.path().join("store.sqlite3"))
                .env("TELOXIDE_TOKEN", TOKEN)
                .env("FAQBOT__BOT__API_URL", url)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("refused the token"), "{err}");
    assert!(!err.contains("SECRET-token"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_webhook_port_is_an_error_at_start() {
    let fake = FakeApi::start().await;
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let (options, faq) = webhook_bot(addr, None);
    let (_reload, reloads) = tokio::sync::mpsc::channel(1);
    let bot = teloxide::Bot::new(TOKEN).set_api_url(fake.api_url());
    let (_store_dir, store) = util::temp_store();
    let err = tokio::time::timeout(
        WAIT,
        faqbot::bot::run(bot, faq, store, options, std::future::pending(), reloads),
    )
    .await
    .expect("fails at once")
    .expect_err("a busy port is an error");
    assert!(format!("{err:#}").contains("cannot listen on"), "{err:#}");
    assert!(
        fake.webhook().is_none(),
        "no webhook registered that nobody serves"
    );
    drop(busy);
}
