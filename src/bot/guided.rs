//! The guided help in the bot: `/check` (the readiness checklist),
//! `/cooling` (the cooling-off calculator), `/cancel`, `/reminders`, their
//! buttons, and the loop that sends reminders when they are due.
//!
//! The decisions are the core's ([`crate::conversation`]); here each chat's
//! conversation is fetched and kept, and reminders are written to the store
//! before the user is told they are set.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use teloxide::types::ChatId;

use super::State;
use super::render::{self, Outgoing};
use super::sender::Sender;
use crate::checklist::{Answer, Next};
use crate::conversation::{self, Response, Step};
use crate::cooling::{Cooling, Period, reminder_times};
use crate::store::{ChatKey, Guided, Reminder};
use crate::{Lang, text};

/// Keeps what `step` leaves under way in `chat` (or ends what was), and
/// counts what it did for `/stats`.
pub(super) fn keep(state: &State, chat: ChatKey, user: u64, step: &Step<'_>) {
    state.keep_conversation(chat, user, step.conversation.clone());
    match &step.response {
        Response::Checklist(turn) => {
            if turn.intro.is_some() {
                state.count_guided(Guided::ChecklistStarted);
            }
            if matches!(turn.next, Next::Summary(_)) {
                state.count_guided(Guided::ChecklistFinished);
            }
        }
        Response::Cooling(Cooling::Dates { .. }) => state.count_guided(Guided::Dates),
        Response::Cooling(Cooling::AskDate { .. }) | Response::Reply(_) => {}
    }
}

/// The chat's pseudonym.
pub(super) fn chat_key(state: &State, chat: ChatId) -> ChatKey {
    state.pseudonyms.chat(chat.0)
}

/// `/check`, or the button under a condition: starts the checklist.
pub(super) fn check(state: &State, chat: ChatId, user: u64, lang: Lang) -> Outgoing {
    let faq = state.faq.snapshot();
    let Some(step) = conversation::start_checklist(&faq, lang, state.next_run()) else {
        return Outgoing::plain(text::guided_unavailable(lang));
    };
    keep(state, chat_key(state, chat), user, &step);
    render::step(&step, faq.knowledge(), state.reminder_days_before)
}

/// `/cancel`: ends what the chat has under way.
pub(super) fn cancel(state: &State, chat: ChatId, user: u64, lang: Lang) -> Outgoing {
    let key = chat_key(state, chat);
    if state.conversation(&key).is_none() {
        return Outgoing::plain(text::nothing_to_cancel(lang));
    }
    state.keep_conversation(key, user, None);
    Outgoing::plain(text::cancelled(lang))
}

/// `/cooling [date]`, or the button under the cooling-off topics.
pub(super) fn cooling(
    state: &State,
    chat: ChatId,
    user: u64,
    arg: Option<&str>,
    lang: Lang,
) -> Outgoing {
    let faq = state.faq.snapshot();
    let Some(step) = conversation::cooling_command(&faq, arg, lang, state.today()) else {
        return Outgoing::plain(text::guided_unavailable(lang));
    };
    keep(state, chat_key(state, chat), user, &step);
    render::step(&step, faq.knowledge(), state.reminder_days_before)
}

/// A checklist answer button; `None` when the button is stale (another
/// run or question than the chat's current one, or nothing under way).
pub(super) fn answer(
    state: &State,
    chat: ChatId,
    user: u64,
    run: u32,
    step: u8,
    answer: Answer,
) -> Option<Outgoing> {
    let faq = state.faq.snapshot();
    let key = chat_key(state, chat);
    let current = state.conversation(&key);
    let step = conversation::answer_checklist(&faq, current, run, usize::from(step), answer)?;
    keep(state, key, user, &step);
    Some(render::step(
        &step,
        faq.knowledge(),
        state.reminder_days_before,
    ))
}

/// The "remind me" button under the calculator's dates: writes the
/// reminder, then says when it will come.
pub(super) async fn remind(
    state: &Arc<State>,
    chat: ChatId,
    user: u64,
    lang: Lang,
    requested: Date,
) -> Outgoing {
    let faq = state.faq.snapshot();
    let Some(section) = faq.knowledge().cooling_off.as_ref() else {
        return Outgoing::plain(text::guided_unavailable(lang));
    };
    let today = state.today();
    let planned = Period::new(requested, today, section.days).and_then(|period| {
        let day = period.reminder_day(state.reminder_days_before)?;
        let (remind_at, deadline) = reminder_times(day, period.ends, &state.timezone)?;
        Some((period, day, remind_at, deadline))
    });
    drop(faq);
    let Some((period, day, remind_at, deadline)) = planned else {
        // The period is (nearly) over since the button was sent.
        return Outgoing::plain(text::stale_button(lang));
    };
    let reminder = Reminder {
        id: 0,
        chat: chat.0,
        user: state.user_key(user),
        lang,
        requested,
        last_day: period.ends,
        remind_at,
        deadline,
        created_at: crate::store::now(),
    };
    match state.read(move |store| store.add_reminder(&reminder)).await {
        Ok((_, new)) => {
            if new {
                state.count_guided(Guided::ReminderSet);
            }
            state.reminder_added.notify_one();
            Outgoing::plain(&text::reminder_set(day, new, lang))
        }
        Err(err) => {
            tracing::error!("cannot save a reminder: {err}");
            Outgoing::plain(text::store_unavailable(lang))
        }
    }
}

/// `/reminders`: the chat's reminders with cancel buttons.
pub(super) async fn reminders(state: &Arc<State>, chat: ChatId, lang: Lang) -> Outgoing {
    match state.read(move |store| store.reminders_for(chat.0)).await {
        Ok(list) => render::reminders(&list, &state.timezone, lang),
        Err(err) => {
            tracing::error!("cannot read reminders: {err}");
            Outgoing::plain(text::store_unavailable(lang))
        }
    }
}

/// A reminder's cancel button.
pub(super) async fn cancel_reminder(
    state: &Arc<State>,
    chat: ChatId,
    id: i64,
    lang: Lang,
) -> Outgoing {
    match state
        .read(move |store| store.cancel_reminder(chat.0, id))
        .await
    {
        Ok(done) => Outgoing::plain(text::reminder_cancelled(done, lang)),
        Err(err) => {
            tracing::error!("cannot cancel a reminder: {err}");
            Outgoing::plain(text::store_unavailable(lang))
        }
    }
}

/// The longest the reminder loop sleeps: it also picks up reminders that
/// another process (or a clock change) made due.
const REMINDER_POLL: Duration = Duration::from_secs(60);

/// A reminder that could not be delivered this many times (a poll apart)
/// is dropped.
const MAX_ATTEMPTS: u32 = 5;

/// Sends reminders when they are due, until `stopped`. One missed while the
/// bot was down goes out at start, unless its deadline has passed: then it
/// is dropped, since undoing is no longer possible.
pub(super) async fn reminder_loop(
    state: Arc<State>,
    sender: Sender,
    stopped: impl Future<Output = ()>,
) {
    tokio::pin!(stopped);
    let mut failures: HashMap<i64, u32> = HashMap::new();
    loop {
        let now = crate::store::now();
        // After a failure (the store, or Telegram), wait a whole poll before
        // trying again rather than spinning on the same due reminder.
        let mut failed = false;
        match state.read(move |store| store.due_reminders(now)).await {
            Ok(due) => {
                for reminder in due {
                    failed |= !send_reminder(&state, &sender, reminder, now, &mut failures).await;
                }
            }
            Err(err) => {
                tracing::error!("cannot read due reminders, will retry: {err}");
                failed = true;
            }
        }
        let next = state
            .read(|store| store.next_reminder_at())
            .await
            .ok()
            .flatten();
        let wait = match next {
            Some(at) if !failed => {
                let secs = (at - crate::store::now()).clamp(0, REMINDER_POLL.as_secs() as i64);
                Duration::from_secs(secs as u64)
            }
            _ => REMINDER_POLL,
        };
        tokio::select! {
            () = &mut stopped => return,
            () = state.reminder_added.notified() => {}
            () = tokio::time::sleep(wait.max(Duration::from_millis(200))) => {}
        }
    }
}

/// Sends one due reminder (or drops it if its deadline has passed) and
/// removes it; false if it could not be sent and stays for another try.
async fn send_reminder(
    state: &Arc<State>,
    sender: &Sender,
    reminder: Reminder,
    now: i64,
    failures: &mut HashMap<i64, u32>,
) -> bool {
    let id = reminder.id;
    let done = if now >= reminder.deadline {
        tracing::info!(
            reminder = id,
            "reminder dropped: its deadline passed while the bot was down"
        );
        true
    } else {
        let how = state
            .faq
            .snapshot()
            .knowledge()
            .cooling_off
            .as_ref()
            .map(|c| c.how_to_undo.get(reminder.lang).clone())
            .unwrap_or_default();
        let out = Outgoing::plain(&text::reminder(reminder.last_day, &how, reminder.lang));
        if sender.deliver(ChatId(reminder.chat), &out, None).await {
            tracing::info!(reminder = id, "reminder sent");
            state.count_guided(Guided::ReminderSent);
            true
        } else {
            let attempts = failures.entry(id).or_default();
            *attempts += 1;
            if *attempts < MAX_ATTEMPTS {
                return false;
            }
            tracing::warn!(
                reminder = id,
                attempts = *attempts,
                "reminder dropped: cannot be delivered"
            );
            true
        }
    };
    if done {
        failures.remove(&id);
        if let Err(err) = state.read(move |store| store.remove_reminder(id)).await {
            tracing::error!(reminder = id, "cannot remove a handled reminder: {err}");
            return false;
        }
    }
    true
}
