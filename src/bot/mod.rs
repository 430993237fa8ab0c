//! The Telegram bot (`faqbot serve`): a thin layer of teloxide handlers over
//! the same [`Faq`](crate::Faq) the command line uses.
//!
//! - [`run`] starts the bot with everything injected: a `Bot` already pointed
//!   at its API server, the live knowledge, the options, a shutdown future
//!   and a channel of reload requests (SIGHUP in `main`).
//! - `handlers`: the handler tree and one endpoint per kind of update.
//! - `commands`: `/cmd[@bot] args` parsing and the bilingual command menus.
//! - [`callback`]: what the inline buttons carry.
//! - `render`: HTML messages and buttons, escaping and splitting.
//! - `sender`: the way out to Telegram: rate limits, retries, error logging.
//! - `admin`: the admin commands and triage buttons.
//! - `guided`: `/check`, `/cooling`, `/cancel`, `/reminders`, their buttons,
//!   and the loop that sends reminders; each chat's conversation (the
//!   checklist under way) is kept in `State` and in the store.
//! - `flood`: per-user flood control.
//! - `webhook`: the webhook server (secret token, size and time limits).
//!
//! What the bot learns (unanswered questions, votes, languages, counters)
//! goes to the [`store`](crate::store) through a [`Recorder`], never on
//! the reply path.

mod admin;
pub mod callback;
pub mod commands;
mod flood;
mod guided;
mod handlers;
pub mod render;
mod sender;
mod webhook;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use teloxide::RequestError;
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::{Dispatcher, ShutdownToken};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};
use teloxide::update_listeners::{Polling, UpdateListener};
use tokio::sync::{mpsc, watch};

use crate::Lang;
use crate::conversation::Conversation;
use crate::live::{LiveFaq, ReloadSummary};
use crate::matcher::Outcome;
use crate::settings::{SendLimits, Settings, Webhook};
use crate::store::{
    ChatKey, Counter, Pseudonyms, Record, Recorder, Session, Store, StoreError, Timestamp, UserKey,
};

pub use commands::Command;
pub use render::{MAX_MESSAGE_UTF16, split};
use sender::Sender;

/// How long a getUpdates long poll waits for updates.
const POLL_TIMEOUT: Duration = Duration::from_secs(10);

/// Updates are handled in this many parallel lanes. One chat's updates
/// always share a lane, so they are handled in order; a full lane holds back
/// polling, so a burst waits at Telegram instead of in memory. (teloxide's
/// default, a worker per chat, holds ~60 KB per chat during a burst.)
const LANES: i64 = 256;

/// The lane of an update: by chat, or by user for updates without a chat
/// (inline queries).
fn lane(update: &Update) -> Option<i64> {
    let key = match update.chat() {
        Some(chat) => chat.id.0,
        None => update.from()?.id.0 as i64,
    };
    Some(key.rem_euclid(LANES))
}

/// How the bot runs, from the settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub admins: Vec<u64>,
    pub flood_messages_per_minute: u32,
    pub inline_cache: Duration,
    pub limits: SendLimits,
    pub webhook: Option<Webhook>,
    /// Reload when the knowledge folder changes, debounced by this.
    pub watch: Option<Duration>,
    /// What the store keeps is deleted after this long.
    pub retention: Duration,
    /// "Today" for the cooling-off calculator and reminders.
    pub timezone: jiff::tz::TimeZone,
    /// Cooling-off reminders go out this many days before the period ends.
    pub reminder_days_before: u16,
    /// A checklist (or a question back) unanswered this long is dropped.
    pub conversation_timeout: Duration,
}

impl Options {
    pub fn from_settings(settings: &Settings) -> Options {
        Options {
            admins: settings.admins.clone(),
            flood_messages_per_minute: settings.bot.flood_messages_per_minute,
            inline_cache: settings.bot.inline_cache,
            limits: settings.bot.limits,
            webhook: settings.bot.webhook.clone(),
            watch: settings.watch,
            retention: settings.store.retention,
            timezone: settings.bot.timezone.clone(),
            reminder_days_before: settings.bot.reminder_days_before,
            conversation_timeout: settings.bot.conversation_timeout,
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct State {
    faq: Arc<LiveFaq>,
    store: Arc<dyn Store>,
    recorder: Recorder,
    pseudonyms: Pseudonyms,
    flood: flood::FloodGuard,
    /// Reply languages chosen with /lang, per user; kept in the store too.
    langs: Mutex<HashMap<UserKey, Lang>>,
    admins: HashSet<u64>,
    inline_cache: Duration,
    started: Instant,
    /// One knowledge edit at a time.
    editing: Mutex<()>,
    /// The guided conversation under way in each chat; kept in the store too.
    conversations: Mutex<HashMap<ChatKey, Live>>,
    conversation_timeout: Duration,
    timezone: jiff::tz::TimeZone,
    reminder_days_before: u16,
    /// Wakes the reminder loop when a reminder is added.
    reminder_added: tokio::sync::Notify,
    /// The next checklist run's number (see [`State::next_run`]).
    runs: AtomicU32,
}

/// A chat's conversation, who started it, and when it last moved.
#[derive(Debug, Clone)]
struct Live {
    conversation: Conversation,
    user: UserKey,
    updated_at: Timestamp,
}

impl State {
    fn is_admin(&self, user: u64) -> bool {
        self.admins.contains(&user)
    }

    fn user_key(&self, user: u64) -> UserKey {
        self.pseudonyms.user(user)
    }

    fn chosen_lang(&self, user: u64) -> Option<Lang> {
        let key = self.user_key(user);
        self.langs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .copied()
    }

    fn choose_lang(&self, user: u64, lang: Lang) {
        let key = self.user_key(user);
        self.langs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.clone(), lang);
        self.recorder.record(Record::Language { user: key, lang });
    }

    /// `/forget`: drops the user's language and conversations here and
    /// everything about them in the store (after the records queued before).
    async fn forget(&self, user: u64) -> Result<crate::store::Forgotten, StoreError> {
        let key = self.user_key(user);
        self.langs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
        self.conversations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, live| live.user != key);
        self.recorder.forget(key).await
    }

    /// "Today" in the bot's time zone.
    fn today(&self) -> jiff::civil::Date {
        crate::cooling::today(&self.timezone)
    }

    /// The conversation under way in `chat`, unless it has expired (an
    /// expired one is dropped here and in the store).
    fn conversation(&self, chat: &ChatKey) -> Option<Conversation> {
        let mut conversations = self.conversations.lock().unwrap_or_else(|p| p.into_inner());
        let live = conversations.get(chat)?;
        let expires = live.updated_at + self.conversation_timeout.as_secs() as Timestamp;
        if crate::store::now() < expires {
            return Some(live.conversation.clone());
        }
        conversations.remove(chat);
        self.recorder
            .record(Record::EndSession { chat: chat.clone() });
        None
    }

    /// Keeps `next` as what `chat` has under way (started or moved on by
    /// `user`), or ends what it had.
    fn keep_conversation(&self, chat: ChatKey, user: u64, next: Option<Conversation>) {
        let mut conversations = self.conversations.lock().unwrap_or_else(|p| p.into_inner());
        let Some(conversation) = next else {
            if conversations.remove(&chat).is_some() {
                self.recorder.record(Record::EndSession { chat });
            }
            return;
        };
        let user = self.user_key(user);
        let updated_at = crate::store::now();
        match serde_json::to_string(&conversation) {
            Ok(state) => self.recorder.record(Record::Session(Session {
                chat: chat.clone(),
                user: user.clone(),
                state,
                updated_at,
            })),
            Err(err) => tracing::error!("cannot encode a conversation, kept in memory only: {err}"),
        }
        conversations.insert(
            chat,
            Live {
                conversation,
                user,
                updated_at,
            },
        );
    }

    /// Drops conversations that have expired, here and in the store.
    async fn expire_conversations(&self) {
        let before = crate::store::now() - self.conversation_timeout.as_secs() as Timestamp;
        self.conversations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, live| live.updated_at >= before);
        match self
            .read(move |store| store.end_sessions_before(before))
            .await
        {
            Ok(0) => {}
            Ok(ended) => tracing::debug!(ended, "expired conversations dropped"),
            Err(err) => tracing::warn!("cannot drop expired conversations: {err}"),
        }
    }

    /// Counts a question's outcome and the entry it showed.
    fn count(&self, outcome: Option<Outcome>, entry: Option<&str>) {
        if let Some(outcome) = outcome {
            self.recorder.record(Record::Count {
                counter: Counter::Outcome(outcome),
                by: 1,
            });
        }
        if let Some(id) = entry {
            self.recorder.record(Record::Count {
                counter: Counter::Topic(id.to_string()),
                by: 1,
            });
        }
    }

    /// A number for a checklist run. Its buttons carry it, so that an
    /// earlier run's buttons are refused: runs count up from a random start,
    /// so they differ within a process and, almost surely, across restarts.
    fn next_run(&self) -> u32 {
        self.runs.fetch_add(1, Ordering::Relaxed)
    }

    /// Counts a use of the guided help.
    fn count_guided(&self, what: crate::store::Guided) {
        self.recorder.record(Record::Count {
            counter: Counter::Guided(what),
            by: 1,
        });
    }

    /// Runs a blocking store call off the async threads, once what was
    /// recorded before it is written (or after [`READ_WAIT`], if the store
    /// is slow), so that a report includes everything before it.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let _ = tokio::time::timeout(READ_WAIT, self.recorder.written()).await;
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(&*store))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))
    }

    /// Reloads the knowledge off the async threads and logs the result.
    async fn reload(
        &self,
        trigger: &'static str,
    ) -> Result<ReloadSummary, crate::knowledge::LoadError> {
        let faq = Arc::clone(&self.faq);
        let result = tokio::task::spawn_blocking(move || faq.reload())
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
        match &result {
            Ok(s) => tracing::info!(
                trigger,
                entries = s.entries,
                added = s.added.len(),
                changed = s.changed.len(),
                removed = s.removed.len(),
                elapsed_ms = s.elapsed.as_secs_f64() * 1000.0,
                "knowledge reloaded"
            ),
            Err(err) => tracing::error!(trigger, "reload failed, old knowledge kept: {err}"),
        }
        result
    }
}

/// Runs the bot until `shutdown` resolves: registers the command menus,
/// then takes updates by long polling or, when `options.webhook` is set, by
/// webhook. Each message of `reloads` (and, with `options.watch`, each
/// change in the knowledge folder) reloads the knowledge.
///
/// On shutdown it stops taking updates, finishes the ones in hand, confirms
/// the update offset (polling) or removes the webhook, and returns.
pub async fn run(
    bot: Bot,
    faq: Arc<LiveFaq>,
    store: Arc<dyn Store>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
    reloads: mpsc::Receiver<()>,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let stopped = move || {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    };

    let limits = options.limits;
    let sender = if limits.enabled {
        Sender::Throttled(Throttle::new_spawn(
            bot.clone(),
            Limits {
                messages_per_sec_chat: limits.messages_per_sec_chat,
                messages_per_min_chat: limits.messages_per_min_chat,
                messages_per_min_channel_or_supergroup: limits.messages_per_min_group,
                messages_per_sec_overall: limits.messages_per_sec_overall,
            },
        ))
    } else {
        Sender::Direct(bot.clone())
    };

    // Wait for the API to answer before anything else, retrying with backoff:
    // a network outage at start is waited out, not a crash loop.
    let me = tokio::select! {
        me = get_me_with_retry(&bot) => me?,
        () = stopped() => return Ok(()),
    };
    tracing::info!(username = me.username(), "connected to the Bot API");
    register_commands(&bot, &options.admins).await;

    let recorder = Recorder::start(Arc::clone(&store)).context("cannot start the store writer")?;
    let langs = {
        let store = Arc::clone(&store);
        match tokio::task::spawn_blocking(move || store.languages()).await {
            Ok(Ok(langs)) => langs.into_iter().collect(),
            Ok(Err(err)) => {
                tracing::error!("cannot read the chosen languages, starting without: {err}");
                HashMap::new()
            }
            Err(panic) => std::panic::resume_unwind(panic.into_panic()),
        }
    };
    let conversations = load_conversations(&store, options.conversation_timeout).await;
    let state = Arc::new(State {
        faq,
        pseudonyms: Pseudonyms::new(store.salt()),
        store,
        recorder: recorder.clone(),
        flood: flood::FloodGuard::new(options.flood_messages_per_minute),
        langs: Mutex::new(langs),
        admins: options.admins.iter().copied().collect(),
        inline_cache: options.inline_cache,
        started: Instant::now(),
        editing: Mutex::new(()),
        conversations: Mutex::new(conversations),
        conversation_timeout: options.conversation_timeout,
        timezone: options.timezone.clone(),
        reminder_days_before: options.reminder_days_before,
        reminder_added: tokio::sync::Notify::new(),
        // The time, if the system has no randomness to give.
        runs: AtomicU32::new(getrandom::u32().unwrap_or_else(|_| crate::store::now() as u32)),
    });
    let reloader = tokio::spawn(reload_loop(
        Arc::clone(&state),
        reloads,
        options.watch,
        stopped(),
    ));
    let sweeper = tokio::spawn(retention_loop(
        Arc::clone(&state),
        options.retention,
        stopped(),
    ));
    let reminders = tokio::spawn(guided::reminder_loop(
        Arc::clone(&state),
        sender.clone(),
        stopped(),
    ));

    let mut dispatcher = Dispatcher::builder(bot.clone(), handlers::schema())
        .dependencies(dptree::deps![Arc::clone(&state), sender])
        .distribution_function(lane)
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "error handling an update",
        ))
        .build();
    tokio::spawn(stop_dispatcher(dispatcher.shutdown_token(), stopped()));

    let listener_errors = LoggingErrorHandler::with_custom_text("error getting updates");
    let result = match &options.webhook {
        None => {
            // A webhook left by an earlier run would make getUpdates fail.
            let mut polling = Polling::builder(bot.clone())
                .timeout(POLL_TIMEOUT)
                .delete_webhook()
                .await
                .build();
            stop_listener_when(&mut polling, stopped());
            dispatcher
                .try_dispatch_with_listener(polling, listener_errors)
                .await
        }
        Some(webhook) => {
            // Bind before registering the URL, so a busy port is an error
            // at start rather than a webhook nobody serves.
            let socket = tokio::net::TcpListener::bind(webhook.listen)
                .await
                .with_context(|| {
                    format!("cannot listen on {} (bot.webhook.listen)", webhook.listen)
                })?;
            let (mut listener, server) = webhook::start(bot.clone(), webhook, socket)
                .await
                .context("cannot register the webhook with Telegram")?;
            stop_listener_when(&mut listener, stopped());
            tracing::info!(listen = %webhook.listen, url = %webhook.url, "webhook listening");
            let result = dispatcher
                .try_dispatch_with_listener(listener, listener_errors)
                .await;
            if let Err(err) = server.await {
                tracing::error!("webhook server stopped: {err}");
            }
            result
        }
    };
    reloader.abort();
    sweeper.abort();
    reminders.abort();
    drop(state);
    // Everything handled has been queued; write it before returning.
    recorder.close().await;
    result?;
    tracing::info!("stopped");
    Ok(())
}

/// Stops `listener` once `stopped` resolves. The dispatcher stops it too
/// on shutdown, but teloxide 0.17 tells it with `Notify::notify_waiters`,
/// which a dispatcher busy with an update misses: it would then notice only
/// at the next update, which a quiet webhook may never send. With the
/// listener stopped its stream ends, and the dispatcher finishes the updates
/// in hand and returns.
fn stop_listener_when(
    listener: &mut impl UpdateListener,
    stopped: impl Future<Output = ()> + Send + 'static,
) {
    let token = listener.stop_token();
    tokio::spawn(async move {
        stopped.await;
        token.stop();
    });
}

/// How long a report waits for earlier records to be written.
const READ_WAIT: Duration = Duration::from_secs(2);

/// How often the retention sweep runs.
const SWEEP_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Deletes records older than `retention` at start and then daily, and
/// drops expired conversations every minute, until `stopped`.
async fn retention_loop(state: Arc<State>, retention: Duration, stopped: impl Future<Output = ()>) {
    tokio::pin!(stopped);
    let mut last_sweep: Option<Instant> = None;
    loop {
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            last_sweep = Some(Instant::now());
            let before = crate::store::now() - retention.as_secs() as i64;
            match state.read(move |store| store.prune(before)).await {
                Ok(pruned) => tracing::info!(
                    deleted = pruned.total(),
                    questions = pruned.questions,
                    votes = pruned.votes,
                    mismatches = pruned.mismatches,
                    "retention sweep"
                ),
                Err(err) => tracing::error!("retention sweep failed, will retry: {err}"),
            }
        }
        state.expire_conversations().await;
        tokio::select! {
            () = &mut stopped => return,
            () = tokio::time::sleep(EXPIRE_EVERY) => {}
        }
    }
}

/// How often expired conversations are dropped.
const EXPIRE_EVERY: Duration = Duration::from_secs(60);

/// The conversations under way when the bot stopped, unless expired since.
async fn load_conversations(store: &Arc<dyn Store>, timeout: Duration) -> HashMap<ChatKey, Live> {
    let since = crate::store::now() - timeout.as_secs() as Timestamp;
    let store = Arc::clone(store);
    let sessions = match tokio::task::spawn_blocking(move || store.sessions(since)).await {
        Ok(Ok(sessions)) => sessions,
        Ok(Err(err)) => {
            tracing::error!("cannot read the conversations under way, starting without: {err}");
            return HashMap::new();
        }
        Err(panic) => std::panic::resume_unwind(panic.into_panic()),
    };
    sessions
        .into_iter()
        .filter_map(|session| match serde_json::from_str(&session.state) {
            Ok(conversation) => Some((
                session.chat,
                Live {
                    conversation,
                    user: session.user,
                    updated_at: session.updated_at,
                },
            )),
            Err(err) => {
                tracing::warn!("skipping a stored conversation that cannot be read: {err}");
                None
            }
        })
        .collect()
}

/// Asks the API who the bot is, waiting out network trouble with backoff;
/// an error from Telegram itself (a wrong token) ends the bot.
async fn get_me_with_retry(bot: &Bot) -> anyhow::Result<teloxide::types::Me> {
    let mut delay = Duration::from_millis(500);
    loop {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(RequestError::Api(err)) => {
                anyhow::bail!("the Bot API refused the token ({err}); check TELOXIDE_TOKEN")
            }
            Err(err) => {
                tracing::warn!("cannot reach the Bot API ({err}); retrying in {delay:?}");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// Registers the command menu in English (the default) and Chinese, and the
/// menu with admin commands in each admin's private chat. Failures are
/// logged: the bot works without menus.
async fn register_commands(bot: &Bot, admins: &[u64]) {
    let commands = |lang, admin| {
        commands::menu(lang, admin)
            .into_iter()
            .map(|(command, description)| BotCommand::new(command, description))
            .collect::<Vec<_>>()
    };
    let mut scopes = vec![(BotCommandScope::Default, false)];
    scopes.extend(admins.iter().map(|&id| {
        let chat = Recipient::Id(ChatId(id as i64));
        (BotCommandScope::Chat { chat_id: chat }, true)
    }));
    for (scope, admin) in scopes {
        for lang in [Lang::En, Lang::Zh] {
            let mut request = bot
                .set_my_commands(commands(lang, admin))
                .scope(scope.clone());
            if lang == Lang::Zh {
                request = request.language_code("zh");
            }
            if let Err(err) = request.await {
                tracing::warn!(%lang, admin, "cannot register the command menu: {err}");
            }
        }
    }
}

/// Stops the dispatcher once `stopped` resolves. The token refuses while the
/// dispatcher is still starting, so keep asking.
async fn stop_dispatcher(token: ShutdownToken, stopped: impl Future<Output = ()>) {
    stopped.await;
    tracing::info!("stopping: finishing the updates in hand");
    loop {
        match token.shutdown() {
            Ok(done) => {
                done.await;
                return;
            }
            Err(_idle) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Reloads on each request and, when watching, on each (debounced) change
/// of the knowledge folder, until `stopped`.
async fn reload_loop(
    state: Arc<State>,
    mut requests: mpsc::Receiver<()>,
    watch: Option<Duration>,
    stopped: impl Future<Output = ()>,
) {
    // The watcher stops when dropped, so it lives as long as this loop.
    let (_watcher, mut changes) = match watch {
        Some(debounce) => match crate::live::watch(state.faq.dir(), debounce) {
            Ok((watcher, changes)) => {
                tracing::info!(dir = %state.faq.dir().display(), "watching the knowledge folder");
                (Some(watcher), Some(changes))
            }
            Err(err) => {
                tracing::error!(
                    "cannot watch the knowledge folder, reload by SIGHUP or /reload: {err}"
                );
                (None, None)
            }
        },
        None => (None, None),
    };
    let mut requests_open = true;
    tokio::pin!(stopped);
    loop {
        let trigger = tokio::select! {
            () = &mut stopped => return,
            request = requests.recv(), if requests_open => match request {
                Some(()) => "signal",
                None => { requests_open = false; continue; }
            },
            Some(()) = async { changes.as_mut()?.recv().await } => "file change",
        };
        let _ = state.reload(trigger).await;
    }
}
