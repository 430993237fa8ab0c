//! Everything the handlers send to Telegram goes through [`Sender`]: HTML
//! messages with buttons, callback and inline answers. It queues within
//! Telegram's limits (teloxide's `Throttle`) unless limits are turned off,
//! waits out a 429 and retries network errors, malformed answers and server
//! errors a few times (at least once delivery), and logs what
//! still fails, so one unreachable user never stops the bot.

use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::payloads::{
    AnswerCallbackQuerySetters, AnswerInlineQuerySetters, SendMessageSetters,
};
use teloxide::prelude::*;
use teloxide::requests::Requester;
use teloxide::types::{
    CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryId, InlineQueryResult,
    LinkPreviewOptions, MessageId, ParseMode, ReplyParameters,
};
use teloxide::{ApiError, RequestError};

use super::render::Outgoing;

/// Attempts per request when the API answers 429 or the network fails.
const ATTEMPTS: u32 = 4;

/// The longest 429 wait honoured before giving up on one message.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The bot's way out to Telegram.
#[derive(Clone, Debug)]
pub enum Sender {
    /// Requests queued to keep within Telegram's limits.
    Throttled(Throttle<Bot>),
    /// Requests sent at once (a self-hosted Bot API server, benchmarks).
    Direct(Bot),
}

impl Sender {
    /// Sends `out` to `chat`, split within Telegram's limit, with the buttons
    /// under the last part; the first part quotes `reply_to`. False if a
    /// part could not be sent (the error is logged).
    pub async fn deliver(&self, chat: ChatId, out: &Outgoing, reply_to: Option<MessageId>) -> bool {
        let chunks = out.chunks();
        let last = chunks.len() - 1;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let has_buttons = !out.buttons.is_empty() || !out.actions.is_empty();
            let keyboard = (i == last && has_buttons).then(|| keyboard(out));
            let quote = reply_to.filter(|_| i == 0);
            let result = match self {
                Sender::Throttled(bot) => send(bot, chat, &chunk, quote, keyboard).await,
                Sender::Direct(bot) => send(bot, chat, &chunk, quote, keyboard).await,
            };
            if let Err(err) = result {
                report(&err, "send message");
                // The rest would read as nonsense without this part.
                return false;
            }
        }
        true
    }

    /// Answers a button press, with a short notice on the button if `text`.
    pub async fn answer_callback(&self, id: &CallbackQueryId, text: Option<&str>) {
        let result = match self {
            Sender::Throttled(bot) => answer_callback(bot, id, text).await,
            Sender::Direct(bot) => answer_callback(bot, id, text).await,
        };
        if let Err(err) = result {
            report(&err, "answer callback query");
        }
    }

    /// Removes the buttons under a message the bot sent (once they have
    /// done their job, as triage buttons have).
    pub async fn clear_buttons(&self, chat: ChatId, message: MessageId) {
        let result = match self {
            Sender::Throttled(bot) => clear_buttons(bot, chat, message).await,
            Sender::Direct(bot) => clear_buttons(bot, chat, message).await,
        };
        match result {
            // Already without buttons (pressed twice): nothing to do.
            Err(RequestError::Api(ApiError::MessageNotModified)) => {}
            Err(err) => report(&err, "remove buttons"),
            Ok(()) => {}
        }
    }

    /// Answers an inline query; Telegram may cache the results `cache_time`.
    pub async fn answer_inline(
        &self,
        id: &InlineQueryId,
        results: Vec<InlineQueryResult>,
        cache_time: Duration,
    ) {
        let cache = cache_time.as_secs().try_into().unwrap_or(u32::MAX);
        let result = match self {
            Sender::Throttled(bot) => answer_inline(bot, id, &results, cache).await,
            Sender::Direct(bot) => answer_inline(bot, id, &results, cache).await,
        };
        if let Err(err) = result {
            report(&err, "answer inline query");
        }
    }
}

/// Link previews would show whatever a knowledge text links to; they are off.
pub fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// One button per row, then the action rows.
fn keyboard(out: &Outgoing) -> InlineKeyboardMarkup {
    let button = |b: &super::render::Button| {
        InlineKeyboardButton::callback(b.label.clone(), b.callback.encode())
    };
    let column = out.buttons.iter().map(|b| vec![button(b)]);
    let actions = out
        .actions
        .iter()
        .map(|row| row.iter().map(button).collect());
    InlineKeyboardMarkup::new(column.chain(actions))
}

async fn send<R>(
    bot: &R,
    chat: ChatId,
    html: &str,
    reply_to: Option<MessageId>,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    retrying(|| {
        let mut request = bot
            .send_message(chat, html)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(id) = reply_to {
            request =
                request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
        }
        if let Some(keyboard) = &keyboard {
            request = request.reply_markup(keyboard.clone());
        }
        async move { request.await.map(drop) }
    })
    .await
}

async fn answer_callback<R>(
    bot: &R,
    id: &CallbackQueryId,
    text: Option<&str>,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    retrying(|| {
        let mut request = bot.answer_callback_query(id.clone());
        if let Some(text) = text {
            request = request.text(text);
        }
        async move { request.await.map(drop) }
    })
    .await
}

async fn clear_buttons<R>(bot: &R, chat: ChatId, message: MessageId) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    retrying(|| {
        let request = bot.edit_message_reply_markup(chat, message);
        async move { request.await.map(drop) }
    })
    .await
}

async fn answer_inline<R>(
    bot: &R,
    id: &InlineQueryId,
    results: &[InlineQueryResult],
    cache_time: u32,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    retrying(|| {
        let request = bot
            .answer_inline_query(id.clone(), results.to_vec())
            .cache_time(cache_time);
        async move { request.await.map(drop) }
    })
    .await
}

/// Runs `attempt` until it succeeds, waiting out 429s and backing off after
/// network errors, at most [`ATTEMPTS`] times.
async fn retrying<F, Fut>(mut attempt: F) -> Result<(), RequestError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), RequestError>>,
{
    let mut tries = 1;
    loop {
        let err = match attempt().await {
            Ok(()) => return Ok(()),
            Err(err) => err,
        };
        let wait = match &err {
            RequestError::RetryAfter(after) if after.duration() <= MAX_RETRY_AFTER => {
                after.duration()
            }
            // The request may or may not have been handled: sending again
            // risks a duplicate, which beats a question left unanswered.
            RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
                Duration::from_millis(250 * 2u64.pow(tries))
            }
            RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
                Duration::from_millis(250 * 2u64.pow(tries))
            }
            _ => return Err(err),
        };
        if tries >= ATTEMPTS {
            return Err(err);
        }
        tracing::warn!(
            attempt = tries,
            "request failed ({err}), retrying in {wait:?}"
        );
        tokio::time::sleep(wait).await;
        tries += 1;
    }
}

/// Whether an API error is Telegram failing to handle the request (HTTP
/// 5xx), worth trying again. teloxide keeps only the description.
fn is_server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|prefix| description.starts_with(prefix))
}

/// Logs a request that failed for good: users who blocked the bot or left
/// are expected (info); anything else is a warning.
fn report(err: &RequestError, what: &str) {
    match err {
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::ChatNotFound,
        ) => tracing::info!("{what}: the user or chat is unreachable (blocked the bot or left)"),
        err => tracing::warn!("{what} failed: {err}"),
    }
}
