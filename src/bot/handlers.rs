//! The handler tree and its endpoints: messages (commands and questions),
//! button presses and inline queries. Each endpoint decides what to send
//! from the core's answer and logs one line for the update.

use std::sync::Arc;
use std::time::{Duration, Instant};

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    ChatId, InlineQueryResult, InlineQueryResultArticle, InputMessageContent,
    InputMessageContentText, Me, MessageId, ParseMode, User,
};

use super::State;
use super::admin;
use super::callback::Callback;
use super::commands::Command;
use super::flood::Verdict;
use super::guided;
use super::render::{self, Outgoing};
use super::sender::Sender;
use crate::conversation::{self, Response};
use crate::matcher::Outcome;
use crate::store::{Mismatch, Record, Vote};
use crate::{Lang, privacy, report, text};

/// How long a vote's notice waits for the vote to be written; after that
/// the notice says it will be saved shortly.
const VOTE_ACK_WAIT: Duration = Duration::from_secs(2);

/// Telegram allows 50 inline results; the issue asks for at most 10.
const MAX_INLINE_RESULTS: usize = 10;

/// Characters of an answer shown under an inline result's title.
const INLINE_PREVIEW_CHARS: usize = 90;

pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_inline_query().endpoint(on_inline))
}

/// What one update came to, for its log line.
struct Handled {
    outcome: &'static str,
    entry: Option<String>,
    score: Option<f32>,
}

impl Handled {
    fn just(outcome: &'static str) -> Handled {
        Handled {
            outcome,
            entry: None,
            score: None,
        }
    }
}

fn log_update(update: &Update, chat: &'static str, started: Instant, handled: Handled) {
    tracing::info!(
        update_id = update.id.0,
        chat,
        outcome = handled.outcome,
        entry = handled.entry.as_deref().unwrap_or("-"),
        score = handled.score.unwrap_or(0.0),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "update handled"
    );
}

/// The language Telegram reports for a user: Chinese for `zh*`, else English.
fn telegram_lang(user: &User) -> Lang {
    match user.language_code.as_deref() {
        Some(code) if code.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

async fn on_message(
    sender: Sender,
    me: Me,
    state: Arc<State>,
    update: Update,
    msg: Message,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let private = msg.chat.is_private();
    let chat = if private { "private" } else { "group" };
    let handled = handle_message(&sender, &me, &state, &msg, private).await;
    log_update(&update, chat, started, handled);
    Ok(())
}

async fn handle_message(
    sender: &Sender,
    me: &Me,
    state: &Arc<State>,
    msg: &Message,
    private: bool,
) -> Handled {
    // Channel posts and anonymous admins have no user to answer.
    let Some(user) = msg.from.as_ref() else {
        return Handled::just("ignored");
    };
    let question = match msg.text() {
        Some(text) if !private => match addressed_text(text, me, msg) {
            Some(question) => Some(question),
            None => return Handled::just("ignored"),
        },
        Some(text) => Some(text.to_string()),
        None if private => None,
        // Stickers and photos in groups are not for the bot.
        None => return Handled::just("ignored"),
    };
    // What is kept of the text, logged or stored, is masked once, here;
    // the answer is worked out from the text itself.
    let masked = question.as_deref().map(privacy::mask);
    // Only text meant for the bot is logged, and only at debug.
    if let Some(masked) = &masked {
        tracing::debug!(text = %masked, "message text");
    }
    let reply_to = (!private).then_some(msg.id);
    let chosen = state.chosen_lang(user.id.0);
    let user_lang = chosen.unwrap_or_else(|| telegram_lang(user));

    match state.flood.check(user.id.0, Instant::now()) {
        Verdict::Allow => {}
        Verdict::Warn => {
            let out = Outgoing::plain(text::slow_down(user_lang));
            sender.deliver(msg.chat.id, &out, reply_to).await;
            return Handled::just("flood-warned");
        }
        Verdict::Ignore => return Handled::just("flood-ignored"),
    }

    let (Some(question), Some(masked)) = (question, masked) else {
        let out = Outgoing::plain(text::text_only(user_lang));
        sender.deliver(msg.chat.id, &out, reply_to).await;
        return Handled::just("not-text");
    };
    if let Some(command) = Command::parse(&question, me.username()) {
        return handle_command(sender, state, msg, user, user_lang, command, reply_to).await;
    }
    if question.trim().is_empty() {
        return Handled::just("ignored");
    }

    let faq = state.faq.snapshot();
    let chat_key = guided::chat_key(state, msg.chat.id);
    let current = state.conversation(&chat_key);
    let run = state.next_run();
    let step = conversation::message(&faq, current, &question, chosen, state.today(), Some(run));
    guided::keep(state, chat_key, user.id.0, &step);
    let out = render::step(&step, faq.knowledge(), state.reminder_days_before);
    let handled = match &step.response {
        Response::Reply(reply) => {
            let verdict = &reply.verdict;
            let entry = reply.entry.map(|e| e.id.clone());
            // Queued, not written: the writes wait for the store, the reply does not.
            state.count(Some(verdict.outcome), entry.as_deref());
            let user_key = state.user_key(user.id.0);
            let at = crate::store::now();
            if let Some(q) = report::unanswered_question(&faq, &masked, reply, user_key, at) {
                state.recorder.record(Record::Question(q));
            }
            Handled {
                outcome: match verdict.outcome {
                    Outcome::Answer => "answer",
                    Outcome::Clarify => "clarify",
                    Outcome::Fallback => "fallback",
                },
                entry,
                score: Some(verdict.confidence),
            }
        }
        Response::Checklist(_) => Handled::just("checklist"),
        Response::Cooling(_) => Handled::just("cooling"),
    };
    sender.deliver(msg.chat.id, &out, reply_to).await;
    handled
}

/// In a group, the text meant for the bot: a command, a message that
/// mentions it (without the mention), or a reply to one of its messages.
/// `None` for everything else.
fn addressed_text(text: &str, me: &Me, msg: &Message) -> Option<String> {
    if text.starts_with('/') {
        // A command (ours or another bot's); a '/' that starts no command
        // is not a question to this bot.
        return Command::parse(text, me.username()).map(|_| text.to_string());
    }
    let mention = me.mention();
    if let Some(at) = find_ignore_ascii_case(text, &mention) {
        let mut rest = String::with_capacity(text.len());
        rest.push_str(&text[..at]);
        rest.push(' ');
        rest.push_str(&text[at + mention.len()..]);
        return Some(rest.trim().to_string());
    }
    let replied_to_me = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|from| from.id == me.id);
    replied_to_me.then(|| text.to_string())
}

fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?)
        .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
        // A mention is ASCII, so a match starts and ends on char boundaries.
        .filter(|&i| haystack.is_char_boundary(i) && haystack.is_char_boundary(i + n.len()))
}

async fn handle_command(
    sender: &Sender,
    state: &Arc<State>,
    msg: &Message,
    user: &User,
    lang: Lang,
    command: Command,
    reply_to: Option<MessageId>,
) -> Handled {
    let name = command.name();
    let admin = state.is_admin(user.id.0);
    if command.is_admin_only() && !admin {
        tracing::warn!(user = user.id.0, command = name, "admin command refused");
        let out = Outgoing::plain(text::admins_only(lang));
        sender.deliver(msg.chat.id, &out, reply_to).await;
        return Handled::just(name);
    }
    let faq = state.faq.snapshot();
    let knowledge = faq.knowledge();
    let topic = |id: &str| {
        let out = render::topic(&faq, id, lang);
        if out.is_some() {
            state.count(None, Some(id));
        }
        out.unwrap_or_else(|| Outgoing::plain(text::topic_missing(lang)))
    };
    let out = match command {
        Command::OtherBot => return Handled::just("ignored"),
        Command::Start(Some(id)) if knowledge.entry(&id).is_some() => topic(&id),
        Command::Start(_) | Command::Help => render::welcome(knowledge, lang, admin),
        Command::Steps => topic("overview"),
        Command::Conditions => topic("conditions"),
        Command::Undo => topic("undo-deletion"),
        Command::Alternatives => render::alternatives(knowledge, lang),
        Command::Lang(arg) => match arg.as_deref().map(str::parse::<Lang>) {
            Some(Ok(chosen)) => {
                state.choose_lang(user.id.0, chosen);
                Outgoing::plain(text::lang_set(chosen))
            }
            _ => Outgoing::plain(text::lang_usage(lang)),
        },
        Command::Check => guided::check(state, msg.chat.id, user.id.0, lang),
        Command::Cancel => guided::cancel(state, msg.chat.id, user.id.0, lang),
        Command::Cooling(arg) => {
            guided::cooling(state, msg.chat.id, user.id.0, arg.as_deref(), lang)
        }
        Command::Reminders => guided::reminders(state, msg.chat.id, lang).await,
        Command::Forget => match state.forget(user.id.0).await {
            Ok(forgotten) => render::forgotten(&forgotten, lang),
            Err(err) => {
                tracing::error!("/forget failed: {err}");
                Outgoing::plain(text::store_unavailable(lang))
            }
        },
        Command::Reload => {
            // Release this snapshot before the swap, so the old knowledge can go.
            drop(faq);
            admin::reload(state, lang).await
        }
        Command::Stats => admin::stats(state, lang).await,
        Command::Feedback => admin::feedback(state, lang).await,
        Command::Unanswered(arg) => {
            drop(faq);
            for out in admin::unanswered(state, arg.as_deref(), lang).await {
                sender.deliver(msg.chat.id, &out, reply_to).await;
            }
            return Handled::just(name);
        }
        Command::Unknown(_) => Outgoing::plain(text::unknown_command(lang)),
    };
    sender.deliver(msg.chat.id, &out, reply_to).await;
    Handled::just(name)
}

async fn on_callback(
    sender: Sender,
    state: Arc<State>,
    update: Update,
    query: CallbackQuery,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let handled = handle_callback(&sender, &state, &query).await;
    log_update(&update, "callback", started, handled);
    Ok(())
}

async fn handle_callback(sender: &Sender, state: &Arc<State>, query: &CallbackQuery) -> Handled {
    let user = &query.from;
    let fallback_lang = state
        .chosen_lang(user.id.0)
        .unwrap_or_else(|| telegram_lang(user));
    match state.flood.check(user.id.0, Instant::now()) {
        Verdict::Allow => {}
        Verdict::Warn => {
            sender
                .answer_callback(&query.id, Some(text::slow_down(fallback_lang)))
                .await;
            return Handled::just("flood-warned");
        }
        Verdict::Ignore => {
            sender.answer_callback(&query.id, None).await;
            return Handled::just("flood-ignored");
        }
    }

    let Some(callback) = query.data.as_deref().and_then(Callback::parse) else {
        // Not a button this bot made.
        sender
            .answer_callback(&query.id, Some(text::stale_button(fallback_lang)))
            .await;
        return Handled::just("stale-button");
    };
    if callback.is_admin_action() && !state.is_admin(user.id.0) {
        tracing::warn!(user = user.id.0, "admin button refused");
        sender
            .answer_callback(&query.id, Some(text::admins_only(fallback_lang)))
            .await;
        return Handled::just("admin-refused");
    }
    let chat = query
        .message
        .as_ref()
        .map_or(ChatId(user.id.0 as i64), |m| m.chat().id);
    let faq = state.faq.snapshot();
    let knowledge = faq.knowledge();
    let (out, entry) = match callback {
        Callback::Topic { lang, id } => (render::topic(&faq, &id, lang), Some(id)),
        Callback::Alternatives { lang } => (Some(render::alternatives(knowledge, lang)), None),
        Callback::Vote { helpful, lang, id } if knowledge.entry(&id).is_some() => {
            return handle_feedback(sender, state, query, lang, id, Some(helpful)).await;
        }
        Callback::Mismatch { lang, id } if knowledge.entry(&id).is_some() => {
            return handle_feedback(sender, state, query, lang, id, None).await;
        }
        Callback::AddToEntry { group, id } => {
            drop(faq);
            triage(
                sender,
                state,
                query,
                chat,
                group,
                Some(id.clone()),
                fallback_lang,
            )
            .await;
            return Handled {
                outcome: "triage-add",
                entry: Some(id),
                score: None,
            };
        }
        Callback::Ignore { group } => {
            drop(faq);
            triage(sender, state, query, chat, group, None, fallback_lang).await;
            return Handled::just("triage-ignore");
        }
        Callback::StartChecklist { lang } => {
            (Some(guided::check(state, chat, user.id.0, lang)), None)
        }
        Callback::Checklist { run, step, answer } => {
            let Some(out) = guided::answer(state, chat, user.id.0, run, step, answer) else {
                sender
                    .answer_callback(&query.id, Some(text::checklist_stale(fallback_lang)))
                    .await;
                return Handled::just("stale-button");
            };
            sender.answer_callback(&query.id, None).await;
            // The question is answered: its buttons have done their job.
            if let Some(message) = &query.message {
                sender.clear_buttons(chat, message.id()).await;
            }
            sender.deliver(chat, &out, None).await;
            return Handled::just("checklist");
        }
        Callback::AskCooling { lang } => (
            Some(guided::cooling(state, chat, user.id.0, None, lang)),
            None,
        ),
        Callback::Remind { lang, requested } => {
            drop(faq);
            sender.answer_callback(&query.id, None).await;
            let out = guided::remind(state, chat, user.id.0, lang, requested).await;
            sender.deliver(chat, &out, None).await;
            return Handled::just("remind");
        }
        Callback::CancelReminder { id } => {
            drop(faq);
            sender.answer_callback(&query.id, None).await;
            let out = guided::cancel_reminder(state, chat, id, fallback_lang).await;
            sender.deliver(chat, &out, None).await;
            return Handled::just("cancel-reminder");
        }
        // A vote on an entry removed since.
        Callback::Vote { .. } | Callback::Mismatch { .. } => (None, None),
    };
    let Some(out) = out else {
        // A topic removed since the button was sent.
        sender
            .answer_callback(&query.id, Some(text::stale_button(fallback_lang)))
            .await;
        return Handled::just("stale-button");
    };
    sender.answer_callback(&query.id, None).await;
    if let Some(id) = &entry {
        state.count(None, Some(id));
    }
    sender.deliver(chat, &out, None).await;
    Handled {
        outcome: "button",
        entry,
        score: None,
    }
}

/// A triage button: acts, replies with the result, and takes the buttons
/// off the group's message once the group is handled.
async fn triage(
    sender: &Sender,
    state: &Arc<State>,
    query: &CallbackQuery,
    chat: ChatId,
    group: String,
    entry: Option<String>,
    lang: Lang,
) {
    sender.answer_callback(&query.id, None).await;
    let (out, done) = admin::triage(state, group, entry, lang).await;
    if let (true, Some(message)) = (done, &query.message) {
        sender.clear_buttons(chat, message.id()).await;
    }
    sender.deliver(chat, &out, None).await;
}

/// A 👍/👎 (`helpful`) or, with `helpful` `None`, a "my app looks
/// different" report on entry `id`.
async fn handle_feedback(
    sender: &Sender,
    state: &State,
    query: &CallbackQuery,
    lang: Lang,
    id: String,
    helpful: Option<bool>,
) -> Handled {
    let Some(message) = &query.message else {
        // A button in an inline message: no message to attach a vote to.
        sender
            .answer_callback(&query.id, Some(text::stale_button(lang)))
            .await;
        return Handled::just("stale-button");
    };
    let user = state.user_key(query.from.id.0);
    let message = state
        .pseudonyms
        .message(message.chat().id.0, message.id().0);
    let at = crate::store::now();
    let entry = id.clone();
    let record = match helpful {
        Some(helpful) => Record::Vote(Vote {
            at,
            user,
            message,
            entry,
            lang,
            helpful,
        }),
        None => Record::Mismatch(Mismatch {
            at,
            user,
            message,
            entry,
            lang,
        }),
    };
    // The notice says "saved" only once it is: a vote the user was thanked
    // for survives a crash.
    let saved = tokio::time::timeout(VOTE_ACK_WAIT, state.recorder.record_committed(record))
        .await
        .unwrap_or(false);
    let notice = match (saved, helpful) {
        (true, Some(_)) => text::vote_saved(lang),
        (true, None) => text::mismatch_saved(lang),
        (false, _) => text::vote_pending(lang),
    };
    sender.answer_callback(&query.id, Some(notice)).await;
    Handled {
        outcome: if helpful.is_some() {
            "vote"
        } else {
            "mismatch"
        },
        entry: Some(id),
        score: None,
    }
}

async fn on_inline(
    sender: Sender,
    state: Arc<State>,
    update: Update,
    query: InlineQuery,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let handled = handle_inline(&sender, &state, &query).await;
    log_update(&update, "inline", started, handled);
    Ok(())
}

async fn handle_inline(sender: &Sender, state: &State, query: &InlineQuery) -> Handled {
    let user = &query.from;
    if state.flood.check(user.id.0, Instant::now()) != Verdict::Allow {
        return Handled::just("flood-ignored");
    }
    let faq = state.faq.snapshot();
    let knowledge = faq.knowledge();
    let text = query.query.trim();
    let chosen = state.chosen_lang(user.id.0);
    // The best matches, in the query's language; the main topics for an
    // empty query, in the user's.
    let (ids, lang, handled) = if text.is_empty() {
        let ids: Vec<String> = knowledge.scope.main.clone();
        let lang = chosen.unwrap_or_else(|| telegram_lang(user));
        (ids, lang, Handled::just("inline-menu"))
    } else {
        tracing::debug!(text = %privacy::mask(text), "inline query text");
        let reply = faq.ask(text, chosen);
        let mut ids: Vec<String> = Vec::new();
        if reply.verdict.outcome != Outcome::Fallback {
            let answer = reply.entry.into_iter();
            let suggested = reply.suggestions.iter().map(|(e, _)| *e);
            for entry in answer.chain(suggested).chain(reply.related.iter().copied()) {
                if !ids.contains(&entry.id) {
                    ids.push(entry.id.clone());
                }
            }
        }
        let handled = Handled {
            outcome: "inline",
            entry: ids.first().cloned(),
            score: Some(reply.verdict.confidence),
        };
        (ids, reply.lang(), handled)
    };
    let results: Vec<InlineQueryResult> = ids
        .iter()
        .filter_map(|id| knowledge.entry(id))
        .take(MAX_INLINE_RESULTS)
        .map(|entry| {
            // An inline result is one message: an over-long answer is cut
            // where a reply would be split.
            let html = render::split(&render::entry_html(entry, lang), render::MAX_MESSAGE_UTF16)
                .swap_remove(0);
            let content = InputMessageContentText::new(html)
                .parse_mode(ParseMode::Html)
                .link_preview_options(super::sender::no_preview());
            InlineQueryResultArticle::new(
                entry.id.clone(),
                entry.title.get(lang).clone(),
                InputMessageContent::Text(content),
            )
            .description(render::preview(entry, lang, INLINE_PREVIEW_CHARS))
            .into()
        })
        .collect();
    sender
        .answer_inline(&query.id, results, state.inline_cache)
        .await;
    handled
}
