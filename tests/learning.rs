//! What the bot learns, end to end through the fake Bot API: counters and
//! languages that survive a restart, votes and "my app looks different"
//! reports, unanswered questions grouped and triaged into the knowledge
//! files, /forget, and the retention sweep.

use std::sync::Arc;
use std::time::Duration;

use faqbot::knowledge::Limits;
use faqbot::matcher::{Candidate, Outcome};
use faqbot::store::{Question, Record, SqliteStore, Store, now};
use faqbot::{Faq, Lang};
use serde_json::Value;

use crate::bot::{self as b, ADMIN, WAIT};
use crate::fake_api::{self as tg, FakeApi};
use crate::util;

/// The id of the last message the bot sent to `chat`.
fn last_message_id(fake: &FakeApi, chat: i64) -> i64 {
    fake.calls("sendMessage")
        .iter()
        .rev()
        .find(|c| !c.failed && b::chat_of(&c.body) == chat)
        .and_then(|c| c.result["message_id"].as_i64())
        .expect("the bot sent a message to this chat")
}

/// Presses a button and returns the notice the bot showed on it.
async fn press(fake: &FakeApi, user: i64, message: i64, data: &str) -> String {
    let before = fake.calls("answerCallbackQuery").len();
    fake.push_update(tg::callback(user, message, data));
    let calls = fake
        .wait_for_ok("answerCallbackQuery", before + 1, WAIT, |_| true)
        .await;
    calls[before].body["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Sends `update` and returns every message the bot sends to `chat` until
/// `n` have come.
async fn exchange_n(fake: &FakeApi, chat: i64, update: Value, n: usize) -> Vec<Value> {
    let mine = |fake: &FakeApi| {
        fake.calls("sendMessage")
            .into_iter()
            .filter(|c| !c.failed && b::chat_of(&c.body) == chat)
            .collect::<Vec<_>>()
    };
    let before = mine(fake).len();
    fake.push_update(update);
    fake.wait_for_ok("sendMessage", before + n, WAIT, |body| {
        b::chat_of(body) == chat
    })
    .await;
    mine(fake)[before..before + n]
        .iter()
        .map(|c| c.body.clone())
        .collect()
}

fn unanswered(store: &SqliteStore) -> Vec<String> {
    let mut texts: Vec<String> = store
        .unanswered(0)
        .unwrap()
        .into_iter()
        .map(|g| g.example)
        .collect();
    texts.sort();
    texts
}

#[tokio::test(flavor = "multi_thread")]
async fn counters_and_chosen_languages_survive_a_restart() {
    let fake = FakeApi::start().await;
    let (dir, store) = util::temp_store();
    let path = dir.path().join("faqbot.sqlite3");
    let dir = Arc::new(dir);
    let bot = b::start_with_store(&fake, b::shipped(), b::options(), (dir.clone(), store));
    b::exchange(&fake, 7, tg::private_command(7, "zh", "/lang en")).await;
    let reply = b::exchange(&fake, 7, tg::private_text_lang(7, "zh", "视频号怎么注销")).await;
    assert!(
        b::text_of(&reply).starts_with("<b>Deleting a Channels account"),
        "{reply}"
    );
    b::exchange(&fake, 7, tg::private_text(7, "今天天气怎么样")).await;
    bot.stop().await;

    // A new process: the store is opened afresh from the file.
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    let bot = b::start_with_store(&fake, b::shipped(), b::options(), (dir, store));
    let reply = b::exchange(&fake, 7, tg::private_text_lang(7, "zh", "视频号怎么注销")).await;
    assert!(
        b::text_of(&reply).starts_with("<b>Deleting a Channels account"),
        "/lang en is remembered: {reply}"
    );
    let stats = b::exchange(&fake, ADMIN, tg::private_command(ADMIN, "en", "/stats")).await;
    let stats = b::text_of(&stats);
    assert!(
        stats.contains("answered 2, fallbacks 1, clarifications 0"),
        "{stats}"
    );
    assert!(stats.contains("1. overview (2)"), "{stats}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn votes_are_one_per_user_and_message_and_feedback_ranks_them() {
    let (fake, bot) = b::start().await;
    b::exchange(&fake, 8, tg::private_text(8, "how do I undo the deletion")).await;
    let answer = last_message_id(&fake, 8);
    let data = "+:en:undo-deletion";
    assert_eq!(
        press(&fake, 8, answer, data).await,
        "Thanks for the feedback!"
    );
    // The same user changes their mind on the same message: one vote, 👎.
    assert_eq!(
        press(&fake, 8, answer, "-:en:undo-deletion").await,
        "Thanks for the feedback!"
    );
    press(&fake, 9, answer, data).await;
    press(&fake, 9, answer + 1, "-:en:overview").await;

    // A step gets "my app looks different"; an answer that is not a step
    // does not.
    let step = b::exchange(
        &fake,
        8,
        tg::private_text(8, "can't find the delete option"),
    )
    .await;
    assert!(
        b::buttons(&step).contains(&"m:en:step-find-entry".to_string()),
        "{step}"
    );
    let not_step = b::exchange(&fake, 8, tg::private_text(8, "how do I back up my videos")).await;
    assert!(
        b::text_of(&not_step).starts_with("<b>Back up"),
        "{not_step}"
    );
    assert!(
        !b::buttons(&not_step).iter().any(|d| d.starts_with("m:")),
        "{not_step}"
    );
    let step_message = last_message_id(&fake, 8) - 1;
    let notice = press(&fake, 8, step_message, "m:en:step-find-entry").await;
    assert!(notice.contains("current WeChat app"), "{notice}");

    // A vote for an entry that no longer exists is refused.
    let notice = press(&fake, 8, answer, "+:en:no-such-entry").await;
    assert_eq!(notice, faqbot::text::stale_button(Lang::En));

    let feedback = b::exchange(&fake, ADMIN, tg::private_command(ADMIN, "en", "/feedback")).await;
    let lines: Vec<&str> = b::text_of(&feedback).lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "overview: 👍 0 👎 1 (0%)",
            // Level with undo-deletion, and its app differs: first.
            "step-find-entry: 👍 0 👎 0 (-) ⚠️ 1",
            "undo-deletion: 👍 1 👎 1 (50%)",
        ],
        "{feedback}"
    );

    // Not for everyone.
    let refused = b::exchange(&fake, 8, tg::private_command(8, "en", "/feedback")).await;
    assert_eq!(b::text_of(&refused), faqbot::text::admins_only(Lang::En));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unanswered_questions_are_grouped_and_one_tap_adds_them_to_the_knowledge() {
    let fake = FakeApi::start().await;
    let knowledge = util::knowledge_copy();
    let faq = b::load(knowledge.path(), Limits::default());
    let bot = b::start_with(&fake, faq, b::options());
    let avatar = "how do I change the avatar of my channels";
    // Three users, the same question in three spellings; one user twice.
    for (user, q) in [
        (11, avatar),
        (12, "How do I change the AVATAR of my channels??"),
        (13, "how to change my channels avatar please"),
        (13, avatar),
        (14, "视频号头像怎么换"),
        (15, "視頻號頭像怎麼換"),
    ] {
        let reply = b::exchange(&fake, user, tg::private_text(user, q)).await;
        assert!(
            b::text_of(&reply).starts_with("Sorry") || b::text_of(&reply).starts_with("抱歉"),
            "{q} is not answered yet: {reply}"
        );
    }

    let listed = exchange_n(
        &fake,
        ADMIN,
        tg::private_command(ADMIN, "en", "/unanswered"),
        3,
    )
    .await;
    assert!(
        b::text_of(&listed[0]).contains("top 2 of 2 groups"),
        "{}",
        listed[0]
    );
    let first = b::text_of(&listed[1]);
    assert!(
        first.starts_with("<b>1.</b> asked 4 times by 3 users · en"),
        "{first}"
    );
    // The latest phrasing, as the matcher read it.
    let normalized = "how do i change the avatar of my channels";
    assert!(first.contains(normalized), "{first}");
    assert!(first.contains("\nNearest: "), "{first}");
    let second = b::text_of(&listed[2]);
    assert!(
        second.starts_with("<b>2.</b> asked 2 times by 2 users · zh"),
        "{second}"
    );
    assert!(second.contains("视频号头像怎么换"), "{second}");
    let buttons = b::buttons(&listed[1]);
    assert_eq!(
        buttons.len(),
        3,
        "two nearest entries and ignore: {buttons:?}"
    );
    let add = buttons[0].clone();
    let (group, entry) = add
        .strip_prefix("g:")
        .and_then(|rest| rest.split_once(':'))
        .expect("an add button");
    assert_eq!(buttons[2], format!("x:{group}"));

    // A stranger pressing (or forging) the button changes nothing.
    let files = |dir: &std::path::Path| -> String {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| format!("{}\n{}", p.display(), std::fs::read_to_string(p).unwrap()))
            .collect()
    };
    let before = files(knowledge.path());
    let notice = press(&fake, 11, 1, &add).await;
    assert_eq!(notice, faqbot::text::admins_only(Lang::En));
    assert_eq!(files(knowledge.path()), before, "nothing changed");

    // The admin's tap adds the phrasing, reloads, and says so.
    let done = exchange_n(&fake, ADMIN, tg::callback(ADMIN, 1, &add), 1).await;
    let done = b::text_of(&done[0]);
    assert!(
        done.starts_with(&format!("Added \"{normalized}\" to {entry}")),
        "{done}"
    );
    assert!(done.contains("Knowledge reloaded"), "{done}");
    let edited = files(knowledge.path());
    assert!(
        edited.contains(&format!("\"{normalized}\",")),
        "added as a list item"
    );
    assert!(
        !std::fs::read_dir(knowledge.path()).unwrap().any(|f| f
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "no temporary file left behind"
    );
    let answered = b::exchange(&fake, 16, tg::private_text(16, avatar)).await;
    let title = util::shipped()
        .knowledge()
        .entry(entry)
        .unwrap()
        .title
        .en
        .clone();
    assert!(
        b::text_of(&answered).starts_with(&format!("<b>{title}")),
        "{answered}"
    );

    // The group is gone from the list; ignoring the other empties it.
    let listed = exchange_n(
        &fake,
        ADMIN,
        tg::private_command(ADMIN, "en", "/unanswered 10"),
        2,
    )
    .await;
    assert!(b::text_of(&listed[0]).contains("top 1 of 1 groups"));
    let ignore = b::buttons(&listed[1]).pop().unwrap();
    assert!(ignore.starts_with("x:"), "{ignore}");
    let done = exchange_n(&fake, ADMIN, tg::callback(ADMIN, 1, &ignore), 1).await;
    assert!(b::text_of(&done[0]).starts_with("Ignored"), "{}", done[0]);
    let empty = b::exchange(
        &fake,
        ADMIN,
        tg::private_command(ADMIN, "en", "/unanswered"),
    )
    .await;
    assert_eq!(
        b::text_of(&empty),
        "No unanswered questions in the last 30 days."
    );
    // The same button again: the group is no longer there.
    let again = exchange_n(&fake, ADMIN, tg::callback(ADMIN, 1, &add), 1).await;
    assert_eq!(b::text_of(&again[0]), faqbot::text::group_gone(Lang::En));
    let usage = b::exchange(
        &fake,
        ADMIN,
        tg::private_command(ADMIN, "en", "/unanswered 0"),
    )
    .await;
    assert_eq!(b::text_of(&usage), faqbot::text::unanswered_usage(Lang::En));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forget_deletes_everything_stored_about_the_user_and_no_one_else() {
    let (fake, bot) = b::start().await;
    b::exchange(&fake, 21, tg::private_command(21, "en", "/lang zh")).await;
    b::exchange(
        &fake,
        21,
        tg::private_text(21, "how do I undo the deletion"),
    )
    .await;
    press(&fake, 21, last_message_id(&fake, 21), "+:zh:undo-deletion").await;
    b::exchange(
        &fake,
        21,
        tg::private_text(21, "how do I change my channels avatar"),
    )
    .await;
    b::exchange(&fake, 22, tg::private_text(22, "视频号头像怎么换")).await;

    let done = b::exchange(&fake, 21, tg::private_command(21, "en", "/forget")).await;
    assert_eq!(
        b::text_of(&done),
        "已删除我保存的关于你的全部记录：语言设置，1 个答案评价，0 条“和我的微信不一样”反馈，1 条未解答的问题。",
        "confirmed in the user's chosen language"
    );
    let store = &bot.store;
    assert!(store.languages().unwrap().is_empty());
    assert!(store.feedback(0).unwrap().is_empty());
    assert_eq!(unanswered(store), ["视频号头像怎么换"]);
    // The language choice is gone from memory too.
    let reply = b::exchange(
        &fake,
        21,
        tg::private_text(21, "how do I undo the deletion"),
    )
    .await;
    assert!(b::text_of(&reply).starts_with("<b>Undo"), "{reply}");
    bot.stop().await;
}

fn question(faq: &Faq, text: &str, user: u64, at: i64) -> Record {
    let salt = [7; 16];
    Record::Question(Question {
        at,
        lang: Lang::En,
        outcome: Outcome::Fallback,
        text: text.into(),
        signature: faqbot::report::signature(faq, text, Lang::En),
        candidates: vec![Candidate {
            id: "overview".into(),
            score: 0.2,
        }],
        user: faqbot::store::Pseudonyms::new(salt).user(user),
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn records_past_the_retention_period_are_deleted_at_start() {
    let fake = FakeApi::start().await;
    let (dir, store) = util::temp_store();
    let day = 86_400;
    let faq = util::shipped();
    store
        .write(&[
            question(
                faq,
                "how do i change my channels avatar",
                1,
                now() - 91 * day,
            ),
            question(faq, "how do i rename my channels", 2, now() - 89 * day),
        ])
        .unwrap();
    let bot = b::start_with_store(&fake, b::shipped(), b::options(), (Arc::new(dir), store));
    let deadline = std::time::Instant::now() + WAIT;
    while unanswered(&bot.store).len() > 1 {
        assert!(std::time::Instant::now() < deadline, "never swept");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(unanswered(&bot.store), ["how do i rename my channels"]);
    bot.stop().await;
}
