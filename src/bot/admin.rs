//! The admin commands (`/reload`, `/stats`, `/unanswered`, `/feedback`) and
//! the triage buttons under `/unanswered`. Admin checks happen in the
//! handlers, before anything here runs.

use std::sync::Arc;

use super::State;
use super::render::{self, Outgoing};
use crate::store::now;
use crate::{Lang, report, text, triage};

/// Groups `/unanswered` shows unless told otherwise, and at most.
const DEFAULT_GROUPS: usize = 5;
const MAX_GROUPS: usize = 20;

/// `/reload`: reload and say what changed, or why not.
pub async fn reload(state: &State, lang: Lang) -> Outgoing {
    match state.reload("command").await {
        Ok(summary) => render::reload_done(&summary, lang),
        Err(err) => render::reload_failed(&err, lang),
    }
}

/// `/stats`: the counters kept in the store.
pub async fn stats(state: &State, lang: Lang) -> Outgoing {
    match state.read(|store| store.counters()).await {
        Ok(counters) => render::stats(&counters, state.started.elapsed(), lang),
        Err(err) => unavailable(err, lang),
    }
}

/// `/unanswered [N]`: a heading, then one message per group with its
/// triage buttons.
pub async fn unanswered(state: &State, arg: Option<&str>, lang: Lang) -> Vec<Outgoing> {
    let n = match arg.map(str::parse::<usize>) {
        None => DEFAULT_GROUPS,
        Some(Ok(n)) if (1..=MAX_GROUPS).contains(&n) => n,
        Some(_) => return vec![Outgoing::plain(text::unanswered_usage(lang))],
    };
    let faq = state.faq.snapshot();
    let since = now() - report::UNANSWERED_WINDOW.as_secs() as i64;
    let listed = {
        let faq = Arc::clone(&faq);
        state
            .read(move |store| triage::top_groups(store, &faq, since, n))
            .await
    };
    match listed {
        Ok((groups, total)) => {
            let mut out = vec![render::unanswered_heading(groups.len(), total, lang)];
            out.extend(
                groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| render::unanswered_group(i + 1, g, faq.knowledge(), lang)),
            );
            out
        }
        Err(err) => vec![unavailable(err, lang)],
    }
}

/// `/feedback`: votes per entry over everything kept, worst first.
pub async fn feedback(state: &State, lang: Lang) -> Outgoing {
    match state.read(|store| store.feedback(0)).await {
        Ok(feedback) => render::feedback(&report::worst_first(feedback), lang),
        Err(err) => unavailable(err, lang),
    }
}

/// A triage button: add group `group` to entry `entry` (then reload), or
/// ignore it (`entry` is `None`). Also says whether the group's buttons
/// are done with (the group was handled, now or before).
pub async fn triage(
    state: &Arc<State>,
    group: String,
    entry: Option<String>,
    lang: Lang,
) -> (Outgoing, bool) {
    let since = now() - report::UNANSWERED_WINDOW.as_secs() as i64;
    let worker = Arc::clone(state);
    let result = tokio::task::spawn_blocking(move || {
        // One edit at a time: two admins tapping at once must not both
        // write the same file from the same old text.
        let _editing = worker.editing.lock().unwrap_or_else(|p| p.into_inner());
        let faq = worker.faq.snapshot();
        let store = &*worker.store;
        let found = triage::find(store, &faq, since, &group)?;
        match &entry {
            Some(entry) => triage::add(store, worker.faq.dir(), worker.faq.limits(), &found, entry),
            None => triage::ignore(store, &found),
        }
    })
    .await
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    let reload = match &result {
        Ok(triage::Triaged::Added { .. }) => Some(state.reload("triage").await),
        _ => None,
    };
    if let Err(err) = &result {
        tracing::warn!("triage did nothing: {err}");
    }
    let done = matches!(result, Ok(_) | Err(triage::TriageError::NoSuchGroup(_)));
    (render::triaged(&result, reload.as_ref(), lang), done)
}

fn unavailable(err: crate::store::StoreError, lang: Lang) -> Outgoing {
    tracing::error!("cannot read the store: {err}");
    Outgoing::plain(text::store_unavailable(lang))
}
