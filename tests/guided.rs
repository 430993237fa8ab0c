//! The guided help end to end through the fake Bot API: the readiness
//! checklist (all yes, some no, cancelled, left for another question,
//! expired, two users at once, across a restart), the cooling-off
//! calculator, and reminders (set, listed, cancelled, sent after a restart).

use std::sync::Arc;
use std::time::Duration;

use faqbot::Lang;
use faqbot::knowledge::{Knowledge, YesMeans};
use faqbot::store::{Reminder, Store, UserKey, now};
use faqbot::text;
use serde_json::Value;

use crate::bot::{self as b, WAIT, buttons, exchange, text_of};
use crate::fake_api::{self as tg, FakeApi};
use crate::util;

fn knowledge() -> &'static Knowledge {
    util::shipped().knowledge()
}

/// The message id of the bot's last message to `chat`.
fn last_message_id(fake: &FakeApi, chat: i64) -> i64 {
    fake.calls("sendMessage")
        .iter()
        .rev()
        .find(|c| !c.failed && b::chat_of(&c.body) == chat)
        .and_then(|c| c.result["message_id"].as_i64())
        .expect("the bot sent a message to this chat")
}

/// Presses the button with `data` under the bot's last message to `user`
/// and returns the notice shown on it and the message that followed, if any.
async fn press(fake: &FakeApi, user: i64, data: &str, expect_message: bool) -> (String, Value) {
    let message = last_message_id(fake, user);
    let answered = fake.calls("answerCallbackQuery").len();
    let sent = sent_to(fake, user);
    fake.push_update(tg::callback(user, message, data));
    let calls = fake
        .wait_for_ok("answerCallbackQuery", answered + 1, WAIT, |_| true)
        .await;
    let notice = calls[answered].body["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let reply = if expect_message {
        fake.wait_for_ok("sendMessage", sent + 1, WAIT, |b| b::chat_of(b) == user)
            .await[sent]
            .body
            .clone()
    } else {
        Value::Null
    };
    (notice, reply)
}

fn sent_to(fake: &FakeApi, chat: i64) -> usize {
    fake.calls("sendMessage")
        .iter()
        .filter(|c| !c.failed && b::chat_of(&c.body) == chat)
        .count()
}

/// The checklist's questions, in order, in `lang`.
fn questions(lang: Lang) -> Vec<String> {
    let checklist = knowledge().checklist.as_ref().expect("shipped checklist");
    checklist
        .items
        .iter()
        .map(|i| i.ask.get(lang).clone())
        .collect()
}

fn fix(index: usize, lang: Lang) -> String {
    knowledge().checklist.as_ref().unwrap().items[index]
        .fix
        .get(lang)
        .clone()
}

/// The answer buttons of a checklist question.
fn answer_buttons(body: &Value) -> Vec<String> {
    buttons(body)
        .into_iter()
        .filter(|d| d.starts_with("k:"))
        .collect()
}

/// Starts the checklist with /check in `lang` and checks the first question.
async fn start_check(fake: &FakeApi, user: i64, lang: Lang) -> Value {
    let code = if lang == Lang::Zh { "zh" } else { "en" };
    let first = exchange(fake, user, tg::private_command(user, code, "/check")).await;
    let checklist = knowledge().checklist.as_ref().unwrap();
    assert!(
        text_of(&first).contains(checklist.intro.get(lang).as_str()),
        "{first}"
    );
    assert!(text_of(&first).contains(&questions(lang)[0]), "{first}");
    assert_eq!(
        answer_buttons(&first).len(),
        3,
        "yes, no, not sure: {first}"
    );
    first
}

/// The checklist's conditions, in order: whether "yes" means met.
fn yes_means_met() -> Vec<bool> {
    let checklist = knowledge().checklist.as_ref().expect("shipped checklist");
    checklist
        .items
        .iter()
        .map(|i| i.yes_means == YesMeans::Met)
        .collect()
}

#[tokio::test]
async fn meeting_every_condition_by_buttons_ends_ready_with_the_backup_reminders() {
    let (fake, running) = b::start().await;
    let user = 501;
    let mut message = start_check(&fake, user, Lang::En).await;
    let asked = questions(Lang::En);
    let met = yes_means_met();
    // "Have you done an appeal recently?" is met by "No".
    assert_eq!(met, [true, true, true, true, false]);
    for (i, question) in asked.iter().enumerate() {
        assert!(
            text_of(&message).contains(question.as_str()),
            "{i}: {message}"
        );
        assert!(
            text_of(&message).contains(&format!("{}/{}", i + 1, asked.len())),
            "{message}"
        );
        let meets = if met[i] { ":y" } else { ":n" };
        let button = answer_buttons(&message)
            .into_iter()
            .find(|d| d.ends_with(meets))
            .expect("a yes and a no button");
        let (notice, next) = press(&fake, user, &button, true).await;
        assert_eq!(notice, "");
        message = next;
    }
    let summary = text_of(&message);
    assert!(
        summary.contains(text::checklist_ready(Lang::En)),
        "{summary}"
    );
    for backup in &knowledge().checklist.as_ref().unwrap().backups {
        assert!(summary.contains(backup.text.en.as_str()), "{summary}");
    }
    // The answered questions lost their buttons.
    assert!(fake.count_ok("editMessageReplyMarkup") >= asked.len());
    // Nothing is under way any more: "yes" is just a message now.
    let after = exchange(&fake, user, tg::private_text(user, "yes")).await;
    assert!(!text_of(&after).contains(&asked[0]), "{after}");
    assert!(answer_buttons(&after).is_empty(), "{after}");
    // Admins see it counted.
    let stats = exchange(
        &fake,
        b::ADMIN,
        tg::private_command(b::ADMIN, "en", "/stats"),
    )
    .await;
    assert!(
        text_of(&stats).contains("Checklists: 1 started, 1 finished"),
        "{stats}"
    );
    running.stop().await;
}

#[tokio::test]
async fn typed_no_and_not_sure_show_the_fix_and_end_in_the_blockers() {
    let (fake, running) = b::start().await;
    let user = 502;
    start_check(&fake, user, Lang::Zh).await;
    let asked = questions(Lang::Zh);
    let typed = ["是", "否", "是的", "不确定", "对"];
    // "否" to a condition, "不确定", and "对" to "have you done an appeal
    // recently?" block.
    let blocks = [false, true, false, true, true];
    let mut last = Value::Null;
    for (i, answer) in typed.iter().enumerate() {
        let reply = exchange(&fake, user, tg::private_text_lang(user, "zh", answer)).await;
        let shown = text_of(&reply);
        if blocks[i] {
            assert!(shown.contains(&fix(i, Lang::Zh)), "fix {i}: {shown}");
        } else {
            assert!(!shown.contains(&fix(i, Lang::Zh)), "{shown}");
        }
        if let Some(next) = asked.get(i + 1) {
            assert!(shown.contains(next.as_str()), "{shown}");
        }
        last = reply;
    }
    let summary = text_of(&last);
    assert!(
        summary.contains(text::checklist_blocked(Lang::Zh)),
        "{summary}"
    );
    // The three blockers with their fixes, the others not.
    for (i, blocks) in blocks.into_iter().enumerate() {
        let title = &knowledge()
            .entry(&knowledge().checklist.as_ref().unwrap().items[i].entry)
            .unwrap()
            .title
            .zh;
        assert_eq!(
            summary.contains(title.as_str()),
            blocks,
            "{title}: {summary}"
        );
    }
    assert!(
        [1, 3, 4]
            .into_iter()
            .all(|i| summary.contains(&fix(i, Lang::Zh)))
    );
    // The summary's buttons open the blocking topics.
    let topics = buttons(&last);
    assert!(
        topics.contains(&"t:zh:cond-no-orders".to_string()),
        "{topics:?}"
    );
    running.stop().await;
}

#[tokio::test]
async fn cancel_midway_ends_the_checklist_and_its_buttons() {
    let (fake, running) = b::start().await;
    let user = 503;
    let first = start_check(&fake, user, Lang::En).await;
    let second = exchange(&fake, user, tg::private_text(user, "yes")).await;
    assert!(text_of(&second).contains(&questions(Lang::En)[1]));
    let cancelled = exchange(&fake, user, tg::private_command(user, "en", "/cancel")).await;
    assert_eq!(text_of(&cancelled), text::cancelled(Lang::En));
    // A button of the cancelled run is refused with a notice.
    let stale = answer_buttons(&second)[0].clone();
    let (notice, _) = press(&fake, user, &stale, false).await;
    assert_eq!(notice, text::checklist_stale(Lang::En));
    let first_button = answer_buttons(&first)[0].clone();
    let (notice, _) = press(&fake, user, &first_button, false).await;
    assert_eq!(notice, text::checklist_stale(Lang::En));
    // And a second /cancel has nothing to stop.
    let again = exchange(&fake, user, tg::private_command(user, "en", "/cancel")).await;
    assert_eq!(text_of(&again), text::nothing_to_cancel(Lang::En));
    running.stop().await;
}

#[tokio::test]
async fn an_unrelated_question_leaves_the_checklist_and_is_answered() {
    let (fake, running) = b::start().await;
    let user = 504;
    start_check(&fake, user, Lang::Zh).await;
    let reply = exchange(
        &fake,
        user,
        tg::private_text_lang(user, "zh", "注销后还能恢复吗"),
    )
    .await;
    let shown = text_of(&reply);
    assert!(shown.starts_with(text::checklist_left(Lang::Zh)), "{shown}");
    let undo = knowledge().entry("undo-deletion").unwrap();
    assert!(shown.contains(undo.title.zh.as_str()), "{shown}");
    // The checklist is over: "是" is no answer any more.
    let after = exchange(&fake, user, tg::private_text_lang(user, "zh", "是")).await;
    assert!(
        !text_of(&after).contains(&questions(Lang::Zh)[1]),
        "{after}"
    );
    assert!(!text_of(&after).starts_with(text::checklist_left(Lang::Zh)));
    running.stop().await;
}

#[tokio::test]
async fn an_abandoned_checklist_expires() {
    let mut options = b::options();
    options.conversation_timeout = Duration::from_secs(1);
    let fake = FakeApi::start().await;
    let running = b::start_with(&fake, b::shipped(), options);
    let user = 505;
    let first = start_check(&fake, user, Lang::En).await;
    // Timestamps are whole seconds: two of them are surely past the timeout.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (notice, _) = press(&fake, user, &answer_buttons(&first)[0], false).await;
    assert_eq!(notice, text::checklist_stale(Lang::En));
    let typed = exchange(&fake, user, tg::private_text(user, "yes")).await;
    assert!(
        !text_of(&typed).contains(&questions(Lang::En)[1]),
        "{typed}"
    );
    running.stop().await;
}

#[tokio::test]
async fn two_users_go_through_their_own_checklists_at_once() {
    let (fake, running) = b::start().await;
    let (ann, bob) = (506, 507);
    start_check(&fake, ann, Lang::En).await;
    start_check(&fake, bob, Lang::Zh).await;
    let en = questions(Lang::En);
    let zh = questions(Lang::Zh);
    // Ann answers twice, Bob once, interleaved.
    let a = exchange(&fake, ann, tg::private_text(ann, "no")).await;
    assert!(text_of(&a).contains(&en[1]) && text_of(&a).contains(&fix(0, Lang::En)));
    let b1 = exchange(&fake, bob, tg::private_text_lang(bob, "zh", "是")).await;
    assert!(text_of(&b1).contains(&zh[1]), "{b1}");
    let a = exchange(&fake, ann, tg::private_text(ann, "yes")).await;
    assert!(text_of(&a).contains(&en[2]), "{a}");
    let b2 = exchange(&fake, bob, tg::private_text_lang(bob, "zh", "不确定")).await;
    assert!(text_of(&b2).contains(&zh[2]) && text_of(&b2).contains(&fix(1, Lang::Zh)));
    // Ann's button is not Bob's.
    let anns = answer_buttons(&a)[0].clone();
    let (notice, _) = press(&fake, bob, &anns, false).await;
    assert_eq!(notice, text::checklist_stale(Lang::En));
    running.stop().await;
}

#[tokio::test]
async fn a_checklist_under_way_survives_a_restart() {
    let fake = FakeApi::start().await;
    let (dir, store) = util::temp_store();
    let store = (Arc::new(dir), store);
    let running = b::start_with_store(&fake, b::shipped(), b::options(), store.clone());
    let user = 508;
    start_check(&fake, user, Lang::En).await;
    exchange(&fake, user, tg::private_text(user, "yes")).await;
    running.stop().await;

    let running = b::start_with_store(&fake, b::shipped(), b::options(), store);
    let third = exchange(&fake, user, tg::private_text(user, "no")).await;
    assert!(text_of(&third).contains(&fix(1, Lang::En)), "{third}");
    assert!(text_of(&third).contains(&questions(Lang::En)[2]), "{third}");
    running.stop().await;
}

#[tokio::test]
async fn condition_answers_offer_the_checklist_and_can_i_delete_starts_it() {
    let (fake, running) = b::start().await;
    let user = 509;
    let conditions = exchange(&fake, user, tg::private_text(user, "deletion conditions")).await;
    assert!(
        buttons(&conditions).contains(&"c:en".to_string()),
        "{conditions}"
    );
    let (_, first) = press(&fake, user, "c:en", true).await;
    assert!(text_of(&first).contains(&questions(Lang::En)[0]), "{first}");

    let other = 510;
    let started = exchange(
        &fake,
        other,
        tg::private_text_lang(other, "zh", "我能注销吗"),
    )
    .await;
    assert!(
        text_of(&started).contains(&questions(Lang::Zh)[0]),
        "{started}"
    );
    assert_eq!(answer_buttons(&started).len(), 3);
    running.stop().await;
}

/// Today in the bot's time zone, and `days` before it as YYYY-MM-DD.
fn days_ago(days: i64) -> (jiff::civil::Date, String) {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let today = faqbot::cooling::today(&tz);
    let day = today.checked_sub(jiff::Span::new().days(days)).unwrap();
    (day, day.to_string())
}

#[tokio::test]
async fn a_request_date_gets_the_dates_and_a_reminder_that_can_be_cancelled() {
    let (fake, running) = b::start().await;
    let user = 511;
    let (day, iso) = days_ago(10);
    let ends = day.checked_add(jiff::Span::new().days(60)).unwrap();
    let dates = exchange(
        &fake,
        user,
        tg::private_text(
            user,
            &format!("I applied to delete on {iso}, can I still undo it?"),
        ),
    )
    .await;
    let shown = text_of(&dates);
    assert!(shown.contains(&text::date(ends, Lang::En)), "{shown}");
    assert!(shown.contains("50 days"), "{shown}");
    let how = &knowledge().cooling_off.as_ref().unwrap().how_to_undo.en;
    assert!(shown.contains(how.as_str()), "{shown}");
    let remind = format!("r:en:{}", day.strftime("%Y%m%d"));
    assert!(buttons(&dates).contains(&remind), "{dates}");

    let (_, set) = press(&fake, user, &remind, true).await;
    // Counted for /stats (written off the reply path: wait for it).
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let stats = running.store.counters().unwrap();
        if (stats.dates, stats.reminders_set) == (1, 1) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{stats:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let remind_on = ends.checked_sub(jiff::Span::new().days(3)).unwrap();
    assert_eq!(text_of(&set), text::reminder_set(remind_on, true, Lang::En));
    // Pressing again does not make a second one.
    let (_, again) = press(&fake, user, &remind, true).await;
    assert_eq!(
        text_of(&again),
        text::reminder_set(remind_on, false, Lang::En)
    );

    let list = exchange(&fake, user, tg::private_command(user, "en", "/reminders")).await;
    assert!(
        text_of(&list).starts_with(&text::reminders_heading(1, Lang::En)),
        "{list}"
    );
    let cancel = buttons(&list);
    assert_eq!(cancel.len(), 1, "{list}");
    let stored = running.store.reminders_for(user).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].requested, stored[0].last_day), (day, ends));

    let (_, done) = press(&fake, user, &cancel[0], true).await;
    assert_eq!(text_of(&done), text::reminder_cancelled(true, Lang::En));
    assert!(running.store.reminders_for(user).unwrap().is_empty());
    let (_, gone) = press(&fake, user, &cancel[0], true).await;
    assert_eq!(text_of(&gone), text::reminder_cancelled(false, Lang::En));
    let none = exchange(&fake, user, tg::private_command(user, "en", "/reminders")).await;
    assert_eq!(text_of(&none), text::reminders_heading(0, Lang::En));
    running.stop().await;
}

#[tokio::test]
async fn a_duration_since_the_request_gets_the_dates_hedged_and_a_reminder_only_when_exact() {
    let (fake, running) = b::start().await;
    let user = 514;
    let section = knowledge().cooling_off.as_ref().unwrap();

    // Day 10: the request was 9 days ago, an exact date.
    let (day, _) = days_ago(9);
    let ends = day.checked_add(jiff::Span::new().days(60)).unwrap();
    let dates = exchange(
        &fake,
        user,
        tg::private_text_lang(user, "zh", "注销第10天了，还能撤销吗"),
    )
    .await;
    let shown = text_of(&dates);
    assert!(shown.contains(&text::date(ends, Lang::Zh)), "{shown}");
    assert!(shown.contains("还剩 51 天"), "{shown}");
    assert!(shown.contains(section.how_to_undo.zh.as_str()), "{shown}");
    let remind = format!("r:zh:{}", day.strftime("%Y%m%d"));
    assert!(buttons(&dates).contains(&remind), "{dates}");
    assert!(
        buttons(&dates).contains(&"t:zh:undo-deletion".to_string()),
        "{dates}"
    );

    // Nearly two months, given roughly: the end is close either way, so
    // check in WeChat now; no reminder counted from a rough date.
    let close = exchange(
        &fake,
        user,
        tg::private_text_lang(user, "zh", "申请注销快两个月了"),
    )
    .await;
    let shown = text_of(&close);
    assert!(shown.contains(section.close.zh.as_str()), "{shown}");
    assert!(shown.contains("冷静期通常为 60 天"), "{shown}");
    assert!(
        !buttons(&close).iter().any(|b| b.starts_with("r:")),
        "{close}"
    );
    assert!(
        buttons(&close).contains(&"t:zh:undo-deletion".to_string()),
        "{close}"
    );

    // Four months: probably deleted; check whether Undo deletion is offered.
    let over = exchange(
        &fake,
        user,
        tg::private_text(user, "I deleted it 4 months ago"),
    )
    .await;
    let shown = text_of(&over);
    assert!(shown.contains(section.over.en.as_str()), "{shown}");
    assert!(shown.contains("the usual 60-day"), "{shown}");
    assert!(!shown.contains(section.how_to_undo.en.as_str()), "{shown}");
    assert!(
        !buttons(&over).iter().any(|b| b.starts_with("r:")),
        "{over}"
    );
    assert!(
        buttons(&over).contains(&"t:en:final-deletion".to_string()),
        "{over}"
    );

    // Three months of a ban are not three months since a request.
    let ban = exchange(
        &fake,
        user,
        tg::private_text_lang(user, "zh", "我被封号3个月了能注销吗"),
    )
    .await;
    let violations = knowledge().entry("cond-no-violations").unwrap();
    assert!(
        text_of(&ban).contains(violations.title.zh.as_str()),
        "{ban}"
    );
    assert!(!text_of(&ban).contains("冷静期通常为"), "{ban}");
    running.stop().await;
}

#[tokio::test]
async fn cooling_asks_for_the_date_and_reads_the_next_message() {
    let (fake, running) = b::start().await;
    let user = 512;
    let asked = exchange(&fake, user, tg::private_command(user, "zh", "/cooling")).await;
    assert_eq!(
        text_of(&asked),
        text::cooling_ask(faqbot::cooling::Problem::Missing, Lang::Zh)
    );
    let (day, _) = days_ago(3);
    let ends = day.checked_add(jiff::Span::new().days(60)).unwrap();
    let dates = exchange(&fake, user, tg::private_text_lang(user, "zh", "3天前")).await;
    assert!(
        text_of(&dates).contains(&text::date(ends, Lang::Zh)),
        "{dates}"
    );

    // A future date is asked about again, and an unrelated question after
    // that is answered as usual.
    let future = exchange(
        &fake,
        user,
        tg::private_command(user, "en", "/cooling tomorrow"),
    )
    .await;
    assert!(text_of(&future).contains("hasn't come yet"), "{future}");
    let other = exchange(
        &fake,
        user,
        tg::private_text(user, "how do I back up my videos"),
    )
    .await;
    let backup = knowledge().entry("backup-videos").unwrap();
    assert!(
        text_of(&other).contains(backup.title.en.as_str()),
        "{other}"
    );
    running.stop().await;
}

#[tokio::test]
async fn a_missed_reminder_is_sent_at_start_unless_its_deadline_passed() {
    let fake = FakeApi::start().await;
    let (dir, store) = util::temp_store();
    let at = now();
    let reminder = |chat: i64, remind_at: i64, deadline: i64| Reminder {
        id: 0,
        chat,
        user: UserKey("0".repeat(32)),
        lang: Lang::En,
        requested: jiff::civil::date(2026, 11, 3),
        last_day: jiff::civil::date(2027, 1, 2),
        remind_at,
        deadline,
        created_at: at - 86_400,
    };
    store
        .add_reminder(&reminder(601, at - 3600, at + 3600))
        .unwrap();
    store
        .add_reminder(&reminder(602, at - 7200, at - 60))
        .unwrap();
    store
        .add_reminder(&reminder(603, at + 86_400, at + 90_000))
        .unwrap();
    let running = b::start_with_store(&fake, b::shipped(), b::options(), (Arc::new(dir), store));

    let sent = fake
        .wait_for_ok("sendMessage", 1, WAIT, |b| b::chat_of(b) == 601)
        .await;
    let how = &knowledge().cooling_off.as_ref().unwrap().how_to_undo.en;
    assert_eq!(
        text_of(&sent[0].body),
        text::reminder(jiff::civil::date(2027, 1, 2), how, Lang::En)
    );
    // The late one is dropped, the future one kept.
    let store = running.store.clone();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !store.due_reminders(now()).unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "due reminders left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(store.reminders_for(601).unwrap().is_empty());
    assert!(store.reminders_for(602).unwrap().is_empty());
    assert_eq!(store.reminders_for(603).unwrap().len(), 1);
    assert_eq!(
        fake.calls("sendMessage")
            .iter()
            .filter(|c| b::chat_of(&c.body) == 602)
            .count(),
        0
    );
    running.stop().await;
}

#[tokio::test]
async fn an_admin_edits_the_checklist_and_reloads_mid_run() {
    let dir = util::knowledge_copy();
    let fake = FakeApi::start().await;
    let faq = b::load(dir.path(), faqbot::knowledge::Limits::default());
    let running = b::start_with(&fake, faq, b::options());
    let user = 513;
    start_check(&fake, user, Lang::En).await;

    // The admin rewrites the first condition's fix and drops the last
    // condition, then reloads.
    let file = dir.path().join("guided.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let old_fix = fix(0, Lang::En);
    let new_fix = "Withdraw everything first (edited by an admin).";
    let last = knowledge()
        .checklist
        .as_ref()
        .unwrap()
        .items
        .last()
        .unwrap();
    let last_item = format!("[[checklist.item]]\nentry = \"{}\"", last.entry);
    let cut = text.find(&last_item).expect("the last item in guided.toml");
    let end = text[cut..].find("\n\n").map_or(text.len(), |n| cut + n);
    let edited = format!("{}{}", &text[..cut], &text[end..]).replace(&old_fix, new_fix);
    std::fs::write(&file, edited).unwrap();
    let reloaded = exchange(
        &fake,
        b::ADMIN,
        tg::private_command(b::ADMIN, "en", "/reload"),
    )
    .await;
    assert!(
        text_of(&reloaded).starts_with("Knowledge reloaded"),
        "{reloaded}"
    );

    // The run goes on with the new texts and without the dropped condition.
    let next = exchange(&fake, user, tg::private_text(user, "no")).await;
    assert!(text_of(&next).contains(new_fix), "{next}");
    let total = questions(Lang::En).len() - 1;
    assert!(text_of(&next).contains(&format!("2/{total}")), "{next}");
    let mut last_message = next;
    for _ in 1..total {
        last_message = exchange(&fake, user, tg::private_text(user, "yes")).await;
    }
    let summary = text_of(&last_message);
    assert!(
        summary.contains(text::checklist_blocked(Lang::En)),
        "{summary}"
    );
    assert!(
        summary.contains(new_fix) && !summary.contains(&old_fix),
        "{summary}"
    );
    assert!(!summary.contains(last.ask.en.as_str()), "{summary}");
    running.stop().await;
}
