//! An in-process fake of the Telegram Bot API for end-to-end tests.
//!
//! [`FakeApi::start`] serves the Bot API on `127.0.0.1` (a random port) with
//! axum; point teloxide at it with
//! `Bot::new("TOKEN").set_api_url(fake.api_url())`. Every request
//! (`POST /bot{token}/{Method}`, JSON or multipart body) is recorded as a
//! [`Call`] under its lowercased method name. `getUpdates` follows Telegram's
//! rules: updates queued with [`FakeApi::push_update`] stay until a later
//! call confirms them with a higher `offset`, and a call with `timeout`
//! long-polls until an update arrives. `getMe`, `sendMessage`,
//! `editMessageText`, `getWebhookInfo` and the webhook methods return
//! realistic results; other methods answer `true`. [`FakeApi::fail`] and
//! [`FakeApi::fail_always`] make chosen calls fail the way Telegram does (flood
//! control, a user who blocked the bot, a server error) or break the way
//! networks and proxies do (a real HTTP 500, a response that never ends, a
//! connection closed half way, a body that is not JSON). The free functions at
//! the end build the JSON of incoming updates (without `update_id`) that
//! teloxide deserializes into the expected kinds.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The fake bot's user id.
pub const BOT_ID: i64 = 4242;
/// The fake bot's username (without the `@`).
pub const BOT_USERNAME: &str = "faq_test_bot";

/// The fake bot's first name, as `getMe` and sent messages report it.
const BOT_FIRST_NAME: &str = "FAQ Test Bot";

/// A running fake Bot API server; the server stops when this is dropped.
pub struct FakeApi {
    shared: Arc<Shared>,
    url: url::Url,
    server: JoinHandle<()>,
}

/// One request the bot made.
#[derive(Clone, Debug)]
pub struct Call {
    /// The method name, lowercased (`"sendmessage"`).
    pub method: String,
    /// The request body as JSON (multipart fields become a JSON object; a
    /// field holding JSON, a number or a boolean is parsed, and a file part
    /// becomes the string `"<file NAME>"`).
    pub body: Value,
    /// The position of this call among all calls to this server, from 1.
    pub seq: u64,
    /// When the fake received it.
    pub at: std::time::Instant,
    /// `true` if the call got a [`Failure`] instead of success.
    pub failed: bool,
    /// The `result` the fake answered with (e.g. the sent `Message`); `Null`
    /// for failed calls and for `getUpdates`.
    pub result: Value,
}

/// How a call made to fail with [`FakeApi::fail`] is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Reply 429 with parameters.retry_after = secs.
    TooManyRequests {
        /// Seconds the bot is told to wait.
        retry_after: u32,
    },
    /// Reply 403 "Forbidden: bot was blocked by the user".
    Forbidden,
    /// Reply 401 "Unauthorized", as Telegram does for a wrong token.
    Unauthorized,
    /// Reply `error_code` 500 "Internal Server Error" (with HTTP status 200:
    /// teloxide sleeps 10 s before reading any 5xx response, which would slow
    /// the tests down while giving the bot the same error).
    ServerError,
    /// Reply HTTP 500 with `error_code` 500, as a real server error comes
    /// (teloxide waits 10 s before reading it).
    HttpServerError,
    /// Start a 200 response whose body never ends: the client's timeout
    /// ends the request.
    Hang,
    /// Start a 200 response and close the connection half way through its body.
    CutOff,
    /// Reply 200 with a body that is not JSON, as a broken proxy might.
    MalformedJson,
}

impl Failure {
    fn response(self) -> Response {
        let (status, body) = match self {
            Failure::TooManyRequests { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({
                    "ok": false,
                    "error_code": 429,
                    "description": format!("Too Many Requests: retry after {retry_after}"),
                    "parameters": {"retry_after": retry_after},
                }),
            ),
            Failure::Forbidden => (
                StatusCode::FORBIDDEN,
                json!({
                    "ok": false,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                }),
            ),
            Failure::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                json!({
                    "ok": false,
                    "error_code": 401,
                    "description": "Unauthorized",
                }),
            ),
            Failure::ServerError | Failure::HttpServerError => (
                if self == Failure::ServerError {
                    StatusCode::OK
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                },
                json!({
                    "ok": false,
                    "error_code": 500,
                    "description": "Internal Server Error",
                }),
            ),
            Failure::Hang => {
                let never = tokio_stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
                return json_body(axum::body::Body::from_stream(never));
            }
            Failure::CutOff => {
                let start = axum::body::Bytes::from_static(b"{\"ok\":true,\"result\":");
                let cut = tokio_stream::iter([Ok(start), Err(std::io::Error::other("cut off"))]);
                return json_body(axum::body::Body::from_stream(cut));
            }
            Failure::MalformedJson => {
                return json_body(axum::body::Body::from(
                    "{\"ok\":true,\"result\":{\"message_",
                ));
            }
        };
        (status, axum::Json(body)).into_response()
    }
}

/// A 200 response declared as JSON with `body`.
fn json_body(body: axum::body::Body) -> Response {
    (StatusCode::OK, [(CONTENT_TYPE, "application/json")], body).into_response()
}

/// A rule that makes matching calls fail.
struct FailRule {
    method: String,
    chat_id: Option<i64>,
    failure: Failure,
    /// Calls still to fail; `None` for ever.
    remaining: Option<usize>,
}

/// State shared by the server and the test.
struct Shared {
    state: Mutex<Inner>,
    /// Woken when an update is queued, for long-polling `getUpdates`.
    new_update: Notify,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    /// Unconfirmed updates, oldest first, with their ids.
    updates: VecDeque<(i64, Value)>,
    last_update_id: i64,
    confirmed_offset: i64,
    last_message_id: i64,
    fail_rules: Vec<FailRule>,
    webhook: Option<(String, Option<String>)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking test thread must not hide the calls from the others.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn record(&mut self, method: &str, body: Value, failed: bool, result: Value) {
        let seq = self.calls.len() as u64 + 1;
        self.calls.push(Call {
            method: method.to_owned(),
            body,
            seq,
            at: std::time::Instant::now(),
            failed,
            result,
        });
    }

    /// The failure the next call of `method` with this body gets, if any
    /// (using up one of a limited rule's times).
    fn take_failure(&mut self, method: &str, body: &Value) -> Option<Failure> {
        let chat = body.get("chat_id").and_then(as_i64);
        let index = self.fail_rules.iter().position(|rule| {
            rule.method == method && rule.chat_id.is_none_or(|want| chat == Some(want))
        })?;
        let rule = &mut self.fail_rules[index];
        let failure = rule.failure;
        if let Some(remaining) = &mut rule.remaining {
            *remaining -= 1;
            if *remaining == 0 {
                self.fail_rules.remove(index);
            }
        }
        Some(failure)
    }

    /// Drops the updates a `getUpdates` `offset` confirms.
    fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.confirmed_offset = self.confirmed_offset.max(offset);
        } else if offset < 0 {
            // Telegram: keep only the last `-offset` updates, forget the rest.
            let keep = offset.unsigned_abs() as usize;
            let first_kept = if self.updates.len() > keep {
                self.updates[self.updates.len() - keep].0
            } else {
                self.updates
                    .front()
                    .map_or(self.last_update_id + 1, |u| u.0)
            };
            self.confirmed_offset = self.confirmed_offset.max(first_kept);
        }
        let confirmed = self.confirmed_offset;
        self.updates.retain(|(id, _)| *id >= confirmed);
    }

    /// Up to `limit` unconfirmed updates, with their `update_id`s.
    fn batch(&self, limit: usize) -> Vec<Value> {
        self.updates
            .iter()
            .take(limit)
            .map(|(id, update)| {
                let mut update = update.clone();
                if let Value::Object(map) = &mut update {
                    map.insert("update_id".to_owned(), json!(id));
                }
                update
            })
            .collect()
    }

    fn next_message_id(&mut self) -> i64 {
        self.last_message_id += 1;
        self.last_message_id
    }

    /// The `result` of a method other than `getUpdates`.
    fn result(&mut self, method: &str, body: &Value) -> Value {
        match method {
            "getme" => json!({
                "id": BOT_ID,
                "is_bot": true,
                "first_name": BOT_FIRST_NAME,
                "username": BOT_USERNAME,
                "can_join_groups": true,
                "can_read_all_group_messages": false,
                "supports_inline_queries": true,
                "can_connect_to_business": false,
                "has_main_web_app": false,
            }),
            "sendmessage" => {
                let id = self.next_message_id();
                bot_message(id, body, None)
            }
            "editmessagetext" | "editmessagereplymarkup" if body.get("chat_id").is_some() => {
                let id = body.get("message_id").and_then(as_i64).unwrap_or(0);
                bot_message(id, body, Some(now()))
            }
            "getwebhookinfo" => json!({
                "url": self.webhook.as_ref().map_or("", |(url, _)| url.as_str()),
                "has_custom_certificate": false,
                "pending_update_count": self.updates.len(),
            }),
            "setwebhook" => {
                let url = body
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let secret = body
                    .get("secret_token")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if body.get("drop_pending_updates").and_then(Value::as_bool) == Some(true) {
                    self.confirm(self.last_update_id + 1);
                }
                self.webhook = (!url.is_empty()).then_some((url, secret));
                json!(true)
            }
            "deletewebhook" => {
                if body.get("drop_pending_updates").and_then(Value::as_bool) == Some(true) {
                    self.confirm(self.last_update_id + 1);
                }
                self.webhook = None;
                json!(true)
            }
            "getmycommands" => json!([]),
            _ => json!(true),
        }
    }
}

impl FakeApi {
    /// Starts the server on 127.0.0.1:0 in a tokio task.
    pub async fn start() -> FakeApi {
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            new_update: Notify::new(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake API binds a port");
        let addr = listener.local_addr().expect("fake API has an address");
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake API serves");
        });
        let url = url::Url::parse(&format!("http://{addr}/")).expect("fake API URL parses");
        FakeApi {
            shared,
            url,
            server,
        }
    }

    /// Base URL to give teloxide's `Bot::set_api_url`, e.g.
    /// `http://127.0.0.1:PORT/` (`url::Url` is the type `reqwest::Url`
    /// re-exports).
    pub fn api_url(&self) -> url::Url {
        self.url.clone()
    }

    /// Queues an update; `update` is the update JSON WITHOUT "update_id"; the
    /// fake assigns increasing ids starting at 1 and returns the id.
    pub fn push_update(&self, update: Value) -> i64 {
        assert!(
            update.is_object(),
            "an update is a JSON object, got {update}"
        );
        let id = {
            let mut state = self.shared.lock();
            state.last_update_id += 1;
            let id = state.last_update_id;
            state.updates.push_back((id, update));
            id
        };
        self.shared.new_update.notify_waiters();
        id
    }

    /// All recorded calls of `method` (case-insensitive), in order.
    /// getUpdates calls are recorded too.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// How many calls of `method` succeeded, without copying them.
    pub fn count_ok(&self, method: &str) -> usize {
        let method = method.to_ascii_lowercase();
        let state = self.shared.lock();
        state
            .calls
            .iter()
            .filter(|c| c.method == method && !c.failed)
            .count()
    }

    /// Every recorded call in order.
    pub fn all_calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// Waits (polling every ~10 ms, up to `timeout`) until at least `n` calls
    /// of `method` (failed ones included) match `pred` (on the body), and
    /// returns all the matching calls; panics with a clear message listing the
    /// recorded calls of that method if the timeout passes.
    pub async fn wait_for(
        &self,
        method: &str,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Vec<Call> {
        self.wait_for_calls(method, n, timeout, |call| pred(&call.body))
            .await
    }

    /// Like [`FakeApi::wait_for`], but counts only calls that succeeded.
    pub async fn wait_for_ok(
        &self,
        method: &str,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Vec<Call> {
        self.wait_for_calls(method, n, timeout, |call| !call.failed && pred(&call.body))
            .await
    }

    async fn wait_for_calls(
        &self,
        method: &str,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&Call) -> bool,
    ) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let matching: Vec<Call> = self.calls(method).into_iter().filter(&pred).collect();
            if matching.len() >= n {
                return matching;
            }
            if tokio::time::Instant::now() >= deadline {
                let recorded = self.calls(method);
                let mut listing = String::new();
                for call in &recorded {
                    let failed = if call.failed { " (failed)" } else { "" };
                    listing.push_str(&format!("\n  #{}{failed}: {}", call.seq, call.body));
                }
                if recorded.is_empty() {
                    listing.push_str(" none");
                }
                panic!(
                    "timed out after {timeout:?} waiting for {n} matching `{}` call(s); {} \
                     matched; recorded `{}` calls:{listing}",
                    method.to_ascii_lowercase(),
                    matching.len(),
                    method.to_ascii_lowercase(),
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The next `times` calls of `method` whose body's "chat_id" equals
    /// `chat_id` (or any chat if None) get `failure` instead of success (the
    /// failed attempts are still recorded as calls, with `failed` set).
    pub fn fail(&self, method: &str, chat_id: Option<i64>, failure: Failure, times: usize) {
        if times == 0 {
            return;
        }
        self.shared.lock().fail_rules.push(FailRule {
            method: method.to_ascii_lowercase(),
            chat_id,
            failure,
            remaining: Some(times),
        });
    }

    /// Like `fail`, but permanent for that chat (for "user blocked the bot").
    pub fn fail_always(&self, method: &str, chat_id: i64, failure: Failure) {
        self.shared.lock().fail_rules.push(FailRule {
            method: method.to_ascii_lowercase(),
            chat_id: Some(chat_id),
            failure,
            remaining: None,
        });
    }

    /// The highest offset the bot has confirmed (Telegram semantics: a
    /// getUpdates with offset N confirms every update with id < N), 0 if none.
    pub fn confirmed_offset(&self) -> i64 {
        self.shared.lock().confirmed_offset
    }

    /// How many queued updates are not yet confirmed.
    pub fn pending(&self) -> usize {
        self.shared.lock().updates.len()
    }

    /// The webhook url last set with setWebhook, and its secret_token.
    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.shared.lock().webhook.clone()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Answers every request: `POST /bot{token}/{Method}`.
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let mut segments = request.uri().path().trim_start_matches('/').split('/');
    let (Some(bot), Some(method), None) = (segments.next(), segments.next(), segments.next())
    else {
        return not_found();
    };
    if !bot.starts_with("bot") || method.is_empty() {
        return not_found();
    }
    let method = method.to_ascii_lowercase();
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), 64 << 20).await else {
        return bad_request("Bad Request: unreadable body");
    };
    let body = parse_body(&content_type, &bytes);

    if method == "getupdates" {
        return get_updates(&shared, body).await;
    }

    let mut state = shared.lock();
    if let Some(failure) = state.take_failure(&method, &body) {
        state.record(&method, body, true, Value::Null);
        return failure.response();
    }
    let result = state.result(&method, &body);
    state.record(&method, body, false, result.clone());
    ok(result)
}

/// `getUpdates`: confirms by `offset`, then returns up to `limit` updates,
/// waiting up to `timeout` seconds for one if there are none.
async fn get_updates(shared: &Shared, body: Value) -> Response {
    let offset = body.get("offset").and_then(as_i64).unwrap_or(0);
    let limit = body
        .get("limit")
        .and_then(as_i64)
        .unwrap_or(100)
        .clamp(1, 100) as usize;
    let timeout = body.get("timeout").and_then(as_i64).unwrap_or(0).max(0) as u64;
    {
        let mut state = shared.lock();
        if let Some(failure) = state.take_failure("getupdates", &body) {
            state.record("getupdates", body, true, Value::Null);
            return failure.response();
        }
        state.record("getupdates", body, false, Value::Null);
        state.confirm(offset);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = shared.new_update.notified();
        tokio::pin!(notified);
        // Register before looking, so an update pushed in between wakes us.
        notified.as_mut().enable();
        let batch = shared.lock().batch(limit);
        if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
            return ok(Value::Array(batch));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn not_found() -> Response {
    let body = json!({"ok": false, "error_code": 404, "description": "Not Found"});
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

fn bad_request(description: &str) -> Response {
    let body = json!({"ok": false, "error_code": 400, "description": description});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// A number, or a string holding one (as multipart fields arrive).
fn as_i64(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_str()?.parse().ok())
}

/// The request body as JSON: a JSON body as is, a multipart form as an object.
fn parse_body(content_type: &str, bytes: &[u8]) -> Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Value::Object(Map::new());
    }
    if content_type.starts_with("multipart/form-data")
        && let Some(form) = parse_multipart(content_type, bytes)
    {
        return form;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// Fields teloxide sends as plain text that must stay strings even when they
/// look like numbers.
const STRING_FIELDS: &[&str] = &[
    "url",
    "secret_token",
    "text",
    "caption",
    "ip_address",
    "title",
    "description",
];

/// A `multipart/form-data` body (how teloxide sends `setWebhook` and uploads)
/// as a JSON object.
fn parse_multipart(content_type: &str, bytes: &[u8]) -> Option<Value> {
    let boundary = content_type
        .split(';')
        .find_map(|param| param.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut form = Map::new();
    let mut rest = &bytes[find(bytes, delimiter.as_bytes())? + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())?;
        let part = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];

        let header_end = find(part, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&part[..header_end]);
        let content = &part[header_end + 4..];
        let disposition = headers.lines().find(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
        })?;
        let param = |key: &str| {
            disposition.split(';').find_map(|p| {
                let value = p.trim().strip_prefix(key)?.strip_prefix('=')?;
                Some(value.trim_matches('"').to_owned())
            })
        };
        let name = param("name")?;
        let value = if let Some(file_name) = param("filename") {
            Value::String(format!("<file {file_name}>"))
        } else {
            let text = String::from_utf8_lossy(content).into_owned();
            match serde_json::from_str::<Value>(&text) {
                Ok(parsed) if !parsed.is_string() && !STRING_FIELDS.contains(&name.as_str()) => {
                    parsed
                }
                _ => Value::String(text),
            }
        };
        form.insert(name, value);
    }
    Some(Value::Object(form))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The bot's own user object.
fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME})
}

/// The chat a bot request's `chat_id` names: private for a positive id, a
/// supergroup for a negative one, a channel for an `@username`.
fn chat_for(chat_id: &Value) -> Value {
    match as_i64(chat_id) {
        Some(id) if id > 0 => json!({"id": id, "type": "private", "first_name": "Test"}),
        Some(id) => json!({"id": id, "type": "supergroup", "title": "Test group"}),
        None => {
            let username = chat_id.as_str().unwrap_or("").trim_start_matches('@');
            json!({"id": -1_001_000_000_001_i64, "type": "channel", "title": "Test channel",
                   "username": username})
        }
    }
}

/// The `Message` the bot sent or edited, as Telegram returns it.
fn bot_message(message_id: i64, body: &Value, edit_date: Option<i64>) -> Value {
    let mut message = json!({
        "message_id": message_id,
        "date": now(),
        "chat": chat_for(body.get("chat_id").unwrap_or(&Value::Null)),
        "from": bot_user(),
        "text": body.get("text").and_then(Value::as_str).unwrap_or(""),
    });
    // teloxide's `Message::reply_markup` is an inline keyboard only.
    if let Some(markup) = body
        .get("reply_markup")
        .filter(|m| m.get("inline_keyboard").is_some())
    {
        message["reply_markup"] = markup.clone();
    }
    if let Some(date) = edit_date {
        message["edit_date"] = json!(date);
    }
    message
}

// ---------------------------------------------------------------------------
// Builders for incoming updates (JSON without "update_id").
// ---------------------------------------------------------------------------

/// Ids for incoming messages and queries, distinct from the bot's own.
static NEXT_INCOMING_ID: AtomicI64 = AtomicI64::new(100_000);

fn next_incoming_id() -> i64 {
    NEXT_INCOMING_ID.fetch_add(1, Ordering::Relaxed)
}

/// A user (not a bot) with this id and language.
fn user(user_id: i64, language_code: &str) -> Value {
    json!({
        "id": user_id,
        "is_bot": false,
        "first_name": "Test",
        "last_name": "User",
        "username": format!("user{user_id}"),
        "language_code": language_code,
    })
}

/// The private chat with this user.
fn private_chat(user_id: i64) -> Value {
    json!({
        "id": user_id,
        "type": "private",
        "first_name": "Test",
        "last_name": "User",
        "username": format!("user{user_id}"),
    })
}

fn group_chat(chat_id: i64) -> Value {
    json!({"id": chat_id, "type": "supergroup", "title": "Test group"})
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Entities Telegram would mark in `text`: a `bot_command` for a leading
/// `/command` word and a `mention` for each `@faq_test_bot` outside it,
/// with offsets and lengths in UTF-16 code units.
fn entities(text: &str) -> Vec<Value> {
    let mut entities = Vec::new();
    let mut command_end = 0;
    if text.starts_with('/') {
        command_end = text.find(char::is_whitespace).unwrap_or(text.len());
        entities.push(json!({
            "type": "bot_command",
            "offset": 0,
            "length": utf16_len(&text[..command_end]),
        }));
    }
    let mention = format!("@{BOT_USERNAME}");
    // ASCII lowercasing keeps byte positions, and usernames are ASCII.
    for (pos, _) in text.to_ascii_lowercase().match_indices(&mention) {
        if pos < command_end {
            continue;
        }
        entities.push(json!({
            "type": "mention",
            "offset": utf16_len(&text[..pos]),
            "length": utf16_len(&mention),
        }));
    }
    entities
}

/// A text message with the entities of its text.
fn text_message(chat: Value, from: Value, text: &str) -> Value {
    let mut message = json!({
        "message_id": next_incoming_id(),
        "date": now(),
        "chat": chat,
        "from": from,
        "text": text,
    });
    let entities = entities(text);
    if !entities.is_empty() {
        message["entities"] = Value::Array(entities);
    }
    message
}

/// An earlier message from the bot in `chat`.
fn earlier_bot_message(chat: Value, message_id: i64) -> Value {
    json!({
        "message_id": message_id,
        // Not 0: teloxide reads date 0 as an inaccessible message.
        "date": now() - 60,
        "chat": chat,
        "from": bot_user(),
        "text": "An earlier answer from the bot.",
    })
}

/// A private text message from `user_id` (language "en"); a leading
/// `/command` gets a bot_command entity.
pub fn private_text(user_id: i64, text: &str) -> Value {
    private_text_lang(user_id, "en", text)
}

/// A private text message from a user whose app language is `language_code`.
pub fn private_text_lang(user_id: i64, language_code: &str, text: &str) -> Value {
    json!({"message": text_message(private_chat(user_id), user(user_id, language_code), text)})
}

/// A message in the supergroup `chat_id` (negative) from `user_id`, with a
/// bot_command entity for a leading `/command` (e.g. "/help@faq_test_bot")
/// and a mention entity for each "@faq_test_bot".
pub fn group_text(chat_id: i64, user_id: i64, text: &str) -> Value {
    json!({"message": text_message(group_chat(chat_id), user(user_id, "en"), text)})
}

/// A message in the supergroup `chat_id` that replies to the bot's message
/// `replied_message_id`.
pub fn group_reply_to_bot(
    chat_id: i64,
    user_id: i64,
    text: &str,
    replied_message_id: i64,
) -> Value {
    let mut update = group_text(chat_id, user_id, text);
    update["message"]["reply_to_message"] =
        earlier_bot_message(group_chat(chat_id), replied_message_id);
    update
}

/// A private `/command` message (panics if `text` does not start with '/').
pub fn private_command(user_id: i64, language_code: &str, text: &str) -> Value {
    assert!(text.starts_with('/'), "a command starts with '/': {text:?}");
    private_text_lang(user_id, language_code, text)
}

/// A private message holding a regular static sticker.
pub fn private_sticker(user_id: i64) -> Value {
    json!({"message": {
        "message_id": next_incoming_id(),
        "date": now(),
        "chat": private_chat(user_id),
        "from": user(user_id, "en"),
        "sticker": {
            "file_id": "CAACAgIAAxkBAAEBtestStickerFileId",
            "file_unique_id": "AgADtestSticker",
            "file_size": 20_480,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": false,
            "is_video": false,
            "emoji": "👍",
            "set_name": "TestStickers",
        },
    }})
}

/// A callback query from pressing a button with `data` on the bot's message
/// `message_id` in the user's private chat.
pub fn callback(user_id: i64, message_id: i64, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("cbq-{}", next_incoming_id()),
        "from": user(user_id, "en"),
        "message": earlier_bot_message(private_chat(user_id), message_id),
        "chat_instance": format!("ci-{user_id}"),
        "data": data,
    }})
}

/// An inline query `query` typed by `user_id` in their chat with the bot.
pub fn inline_query(user_id: i64, query: &str) -> Value {
    json!({"inline_query": {
        "id": format!("iq-{}", next_incoming_id()),
        "from": user(user_id, "en"),
        "query": query,
        "offset": "",
        "chat_type": "sender",
    }})
}
