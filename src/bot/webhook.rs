//! The webhook server: receives the updates Telegram POSTs and hands them to
//! the dispatcher as a teloxide [`UpdateListener`].
//!
//! It replaces teloxide's own axum route, which compares the secret token in
//! non-constant time (a FIXME in teloxide 0.17), reads bodies of any size and
//! has no timeout for slow clients (`axum::serve` sets no hyper timer). Here:
//!
//! - only `POST` on the URL's path is served (other methods 405, other paths
//!   404);
//! - the `X-Telegram-Bot-Api-Secret-Token` header is compared in constant
//!   time before the body is read (401 when it is missing or wrong);
//! - a body over `bot.webhook.max_body_bytes` is refused (413);
//! - a client slower than `bot.webhook.read_timeout_ms` to send its headers
//!   (the connection is closed) or its body (408) is cut off;
//! - an update is answered 200 only once the dispatcher's queue holds it, so
//!   an accepted update is never lost; a full queue makes Telegram wait, and
//!   after the stop request updates get 503 (Telegram sends them again later).

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use subtle::ConstantTimeEq;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::Update;
use teloxide::update_listeners::{StatefulListener, UpdateListener, webhooks};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::ReceiverStream;

use crate::settings::Webhook;

/// The header Telegram sends the secret token in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Updates accepted but not yet taken by the dispatcher. When it is full,
/// requests wait (and Telegram with them) instead of the bot's memory growing.
const QUEUE: usize = 256;

type Queued = Result<Update, Infallible>;
type Stream = ReceiverStream<Queued>;

/// Registers `settings.url` (and the secret token) with Telegram, and serves
/// it on `socket`. Returns the update listener for the dispatcher and the
/// server task, which ends once the listener is stopped (the dispatcher does
/// that when it shuts down), the webhook is removed, and every request in
/// hand is answered.
pub async fn start(
    bot: Bot,
    settings: &Webhook,
    socket: TcpListener,
) -> Result<(impl UpdateListener<Err = Infallible>, JoinHandle<()>), RequestError> {
    let secret = match &settings.secret_token {
        Some(secret) => secret.expose().to_string(),
        None => webhooks::Options::new(settings.listen, settings.url.clone())
            .get_or_gen_secret_token()
            .to_string(),
    };
    bot.set_webhook(settings.url.clone())
        .secret_token(secret.clone())
        .drop_pending_updates(false)
        .await?;

    let (tx, rx) = mpsc::channel(QUEUE);
    let (stop_token, stop_flag) = mk_stop_token();
    let hook = Hook {
        tx,
        stopped: stop_flag.clone(),
        secret: secret.into_bytes(),
        max_body_bytes: settings.max_body_bytes,
        read_timeout: settings.read_timeout,
    };
    let router = router(settings.url.path(), hook);
    let read_timeout = settings.read_timeout;
    let server = tokio::spawn(async move {
        serve(socket, router, read_timeout, async move {
            stop_flag.await;
            // Telegram stops sending before the server stops listening.
            if let Err(err) = bot.delete_webhook().await {
                tracing::warn!("cannot remove the webhook: {err}");
            }
        })
        .await;
    });
    let listener = StatefulListener::new((ReceiverStream::new(rx), stop_token), stream, stop);
    Ok((listener, server))
}

fn stream(state: &mut (Stream, StopToken)) -> &mut Stream {
    &mut state.0
}

fn stop(state: &mut (Stream, StopToken)) -> StopToken {
    state.1.clone()
}

/// What the route handler needs.
#[derive(Clone)]
struct Hook {
    tx: mpsc::Sender<Queued>,
    stopped: StopFlag,
    secret: Vec<u8>,
    max_body_bytes: usize,
    read_timeout: Duration,
}

/// The one route: `POST path`.
fn router(path: &str, hook: Hook) -> Router {
    Router::new().route(path, post(receive)).with_state(hook)
}

async fn receive(State(hook): State<Hook>, request: Request) -> StatusCode {
    let (parts, body) = request.into_parts();
    if !secret_matches(&parts.headers, &hook.secret) {
        return StatusCode::UNAUTHORIZED;
    }
    if hook.stopped.is_stopped() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > hook.max_body_bytes as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let bytes = match tokio::time::timeout(hook.read_timeout, read(body, hook.max_body_bytes)).await
    {
        Err(_elapsed) => {
            tracing::debug!("webhook request body too slow");
            return StatusCode::REQUEST_TIMEOUT;
        }
        Ok(Err(status)) => return status,
        Ok(Ok(bytes)) => bytes,
    };
    let update: Update = match serde_json::from_slice(&bytes) {
        Ok(update) => update,
        Err(err) => {
            tracing::warn!("webhook request is not an update: {err}");
            return StatusCode::BAD_REQUEST;
        }
    };
    match hook.tx.send(Ok(update)).await {
        Ok(()) => StatusCode::OK,
        // The dispatcher is gone: Telegram will send the update again.
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Reads a body of at most `limit` bytes.
async fn read(body: Body, limit: usize) -> Result<axum::body::Bytes, StatusCode> {
    axum::body::to_bytes(body, limit).await.map_err(|err| {
        // `to_bytes` fails for a body over the limit or a broken connection.
        let too_large = std::error::Error::source(&err)
            .is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
        if too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        }
    })
}

/// Whether the request carries the secret token, compared in constant time
/// (the time taken does not depend on how much of the token is right).
fn secret_matches(headers: &HeaderMap, secret: &[u8]) -> bool {
    let Some(given) = headers.get(SECRET_HEADER) else {
        return false;
    };
    // Only the length may leak (`ct_eq` of slices of different lengths is
    // false at once), and Telegram's tokens have no secret length.
    bool::from(given.as_bytes().ct_eq(secret))
}

/// Serves `router` on `socket` until `shutdown` completes, then lets each
/// connection finish the request in hand and waits for them all.
async fn serve(
    socket: TcpListener,
    router: Router,
    read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let (closing_tx, closing) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = socket.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors and the like: wait, go on.
                    tracing::warn!("webhook accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(router.clone());
        let mut closing = closing.clone();
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!("webhook connection: {err}");
                    }
                    return;
                }
                _ = closing.wait_for(|&closing| closing) => {}
            }
            connection.as_mut().graceful_shutdown();
            if let Err(err) = connection.await {
                tracing::debug!("webhook connection: {err}");
            }
        });
        // Reap finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    drop(socket);
    let _ = closing_tx.send(true);
    while connections.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_secret_matches() {
        let secret = b"hook_secret-1";
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(SECRET_HEADER, value.parse().unwrap());
            headers
        };
        assert!(secret_matches(&with("hook_secret-1"), secret));
        for wrong in [
            "hook_secret-2",
            "hook_secret-",
            "hook_secret-11",
            "HOOK_SECRET-1",
            "",
        ] {
            assert!(!secret_matches(&with(wrong), secret), "{wrong}");
        }
        assert!(!secret_matches(&HeaderMap::new(), secret));
    }
}
