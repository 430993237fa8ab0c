//! What the bot learns, end to end through the fake Bot API: counters and
//! languages that survive a restart, votes and "my app looks different"
//! reports, unanswered questions masked, grouped and triaged into the
//! knowledge files, /forget, and the retention sweep.

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
        assert!(b::falls_back(&reply), "{q} is not answered yet: {reply}");
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
            .filter(|p| p.is_file())
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
    let cleared = fake.calls("editMessageReplyMarkup");
    assert_eq!(cleared.len(), 1, "the group's buttons are taken off");
    assert_eq!(cleared[0].body["chat_id"], ADMIN);
    assert_eq!(cleared[0].body["message_id"], 1);
    assert!(
        cleared[0].body.get("reply_markup").is_none(),
        "{:?}",
        cleared[0].body
    );
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

#[tokio::test(flavor = "multi_thread")]
async fn phone_numbers_and_codes_are_masked_before_they_are_kept_or_shown() {
    let fake = FakeApi::start().await;
    let (dir, store) = util::temp_store();
    let path = dir.path().join("faqbot.sqlite3");
    let dir = Arc::new(dir);
    let bot = b::start_with_store(&fake, b::shipped(), b::options(), (dir.clone(), store));
    // Three people, the same question with their own phone number and code.
    let given = [
        (41, "我的手机号13812345678收不到抖音验证码384756，怎么办"),
        (42, "我的手机号13812345678收不到抖音验证码102938，怎么办"),
        (
            43,
            "我的手机号+86 139-8765-4321收不到抖音验证码5566，怎么办",
        ),
    ];
    let personal = [
        "13812345678",
        "384756",
        "102938",
        "139-8765-4321",
        "8765",
        "5566",
    ];
    for (user, q) in given {
        let reply = b::exchange(&fake, user, tg::private_text(user, q)).await;
        assert!(b::falls_back(&reply), "{q}: {reply}");
    }
    let masked = "我的手机号 [phone] 收不到抖音验证码 [code] 怎么办";
    assert_eq!(unanswered(&bot.store), [masked], "one group, masked");
    assert_eq!(bot.store.unanswered(0).unwrap()[0].count, 3);

    let listed = exchange_n(
        &fake,
        ADMIN,
        tg::private_command(ADMIN, "zh", "/unanswered"),
        2,
    )
    .await;
    let group = b::text_of(&listed[1]);
    assert!(group.contains("被问 3 次，3 位用户"), "{group}");
    assert!(group.contains(masked), "{group}");
    bot.stop().await;

    let (ok, table, err) = desk(&path, &["report", "unanswered"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "the three questions are one group: {table}");
    assert!(
        lines[1].contains(&format!("3      3      zh    {masked}")),
        "{table}"
    );
    let (ok, suggested, err) = desk(&path, &["suggest"]);
    assert!(ok, "{err}");
    assert!(
        suggested.contains(&format!("# asked: {masked}\n")),
        "{suggested}"
    );
    assert!(
        suggested.contains("\n  \"我的手机号 收不到抖音验证码 怎么办\",\n"),
        "the phrasing to paste has no placeholders: {suggested}"
    );

    // Nothing of what they gave is shown, or anywhere in the store's files.
    let mut kept = vec![group.to_string(), table, suggested];
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        kept.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    for value in personal {
        assert!(kept.iter().all(|k| !k.contains(value)), "{value} is kept");
    }
}

fn question(faq: &Faq, text: &str, user: u64, at: i64) -> Record {
    let salt = [7; 16];
    Record::Question(Question {
        at,
        lang: Lang::En,
        outcome: Outcome::Fallback,
        text: text.into(),
        signature: faqbot::report::signature(faq, &faqbot::privacy::mask(text), Lang::En),
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

/// A store file with unanswered questions and votes, as a bot would have
/// left it.
fn store_with_records() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("faqbot.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let faq = util::shipped();
    let hour = 3600;
    // In the order the bot would have written them.
    let mut records = vec![
        question(
            faq,
            "can i rename my channels, \"quickly\"",
            4,
            now() - 10 * 24 * hour,
        ),
        question(
            faq,
            "how to change my channels avatar please",
            3,
            now() - 2 * hour,
        ),
        question(
            faq,
            "how do i change the avatar of my channels",
            1,
            now() - hour,
        ),
        question(
            faq,
            "how do i change the avatar of my channels",
            2,
            now() - hour,
        ),
    ];
    let p = faqbot::store::Pseudonyms::new(store.salt());
    for (user, helpful) in [(1, false), (2, false), (3, true)] {
        records.push(Record::Vote(faqbot::store::Vote {
            at: now() - hour,
            user: p.user(user),
            message: p.message(user as i64, 5),
            entry: "cooling-off".into(),
            lang: Lang::En,
            helpful,
        }));
    }
    store.write(&records).unwrap();
    (dir, path)
}

fn desk(store: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = util::faqbot()
        .env("FAQBOT__STORE__PATH", store)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn reports_at_a_desk_in_table_csv_and_json() {
    let (_dir, store) = store_with_records();
    let (ok, table, err) = desk(&store, &["report", "unanswered"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("group"), "{table}");
    assert!(
        lines[1].contains("  3      3      en    how do i change the avatar of my channels"),
        "{table}"
    );
    assert_eq!(lines.len(), 3, "{table}");

    let (ok, json, _) = desk(&store, &["report", "unanswered", "--format", "json"]);
    assert!(ok);
    let rows: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["count"], 3);
    assert_eq!(rows[0]["users"], 3);
    assert_eq!(rows[0]["lang"], "en");
    assert_eq!(rows[0]["nearest"].as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["id"].as_str().unwrap().len(), 12);

    let (ok, csv, _) = desk(
        &store,
        &["report", "unanswered", "--format", "csv", "--since", "7d"],
    );
    assert!(ok);
    assert_eq!(
        csv.lines().count(),
        2,
        "the 10-day-old question is outside 7d: {csv}"
    );
    let (_, csv, _) = desk(
        &store,
        &["report", "unanswered", "--format", "csv", "--since", "30d"],
    );
    assert!(
        csv.contains(",1,1,en,\"can i rename my channels, \"\"quickly\"\"\","),
        "quoted: {csv}"
    );

    let (ok, feedback, _) = desk(&store, &["report", "feedback"]);
    assert!(ok);
    assert_eq!(
        feedback,
        "entry        helpful  unhelpful  helpful_share  mismatches\n\
         cooling-off  1        2          33%            0\n"
    );
    let (_, json, _) = desk(&store, &["report", "feedback", "--format", "json"]);
    let row: Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(row["helpful_share"], 0.333);

    let (ok, _, err) = desk(&store, &["report", "feedback", "--since", "soon"]);
    assert!(!ok);
    assert!(err.contains("--since: 'soon'"), "{err}");
}

#[test]
fn suggest_prints_toml_to_paste_and_apply_edits_the_knowledge() {
    let (_dir, store) = store_with_records();
    let knowledge = util::knowledge_copy();
    let k = util::path_str(knowledge.path());
    let (ok, out, err) = desk(&store, &["--knowledge", &k, "suggest"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("# group "), "{out}");
    assert!(out.contains("asked 3 times by 3 users · en"), "{out}");
    assert!(
        out.contains("\n  \"how do i change the avatar of my channels\",\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  'can i rename my channels, \"quickly\"',\n")
            || out.contains("\n  \"can i rename my channels, \\\"quickly\\\"\",\n"),
        "a valid TOML string: {out}"
    );
    let id = out
        .split_whitespace()
        .nth(2)
        .expect("a group id")
        .to_string();

    let (ok, out, err) = desk(
        &store,
        &[
            "--knowledge",
            &k,
            "suggest",
            "--apply",
            &id,
            "--to",
            "alt-rebrand",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with("added \"how do i change the avatar of my channels\" to alt-rebrand in "),
        "{out}"
    );
    let check = util::faqbot()
        .args(["--knowledge", &k, "check"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "the edited folder still passes check"
    );
    let faq = Faq::load(
        knowledge.path(),
        &Limits::default(),
        util::settings().matcher,
    )
    .unwrap();
    let reply = faq.ask("how do I change the avatar of my channels?", None);
    assert_eq!(reply.entry.map(|e| e.id.as_str()), Some("alt-rebrand"));

    // Applied groups are not suggested again; an unknown id is an error.
    let (_, out, _) = desk(&store, &["--knowledge", &k, "suggest"]);
    assert!(!out.contains("avatar"), "{out}");
    let (ok, _, err) = desk(&store, &["--knowledge", &k, "suggest", "--apply", &id]);
    assert!(!ok);
    assert!(
        err.contains("no group of unanswered questions has the id"),
        "{err}"
    );

    // Ignoring the last group leaves nothing to suggest.
    let (_, out, _) = desk(&store, &["--knowledge", &k, "suggest"]);
    let last = out.split_whitespace().nth(2).unwrap().to_string();
    let (ok, out, _) = desk(&store, &["--knowledge", &k, "suggest", "--ignore", &last]);
    assert!(ok && out.contains("ignored"), "{out}");
    let (_, out, _) = desk(&store, &["--knowledge", &k, "suggest"]);
    assert_eq!(out, "# No unanswered questions in this window.\n");
}

#[test]
fn a_question_of_masked_values_only_has_nothing_to_add() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("faqbot.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    store
        .write(&[question(util::shipped(), "[phone]", 1, now() - 60)])
        .unwrap();
    let (ok, out, err) = desk(&path, &["suggest"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("\n# nothing to paste: the question is only masked values\n"),
        "{out}"
    );
    let id = out.split_whitespace().nth(2).unwrap().to_string();
    let knowledge = util::knowledge_copy();
    let k = util::path_str(knowledge.path());
    let (ok, _, err) = desk(
        &path,
        &[
            "--knowledge",
            &k,
            "suggest",
            "--apply",
            &id,
            "--to",
            "overview",
        ],
    );
    assert!(!ok);
    assert!(err.contains("the question is empty"), "{err}");
}

#[test]
fn a_missing_or_damaged_store_is_a_clear_error_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.sqlite3");
    let (ok, _, err) = desk(&missing, &["report", "feedback"]);
    assert!(!ok);
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("no such file"),
        "{err}"
    );
    assert!(!missing.exists(), "a report does not create a store");

    let damaged = dir.path().join("damaged.sqlite3");
    let junk = "not a database\n".repeat(500);
    std::fs::write(&damaged, &junk).unwrap();
    for args in [&["report", "feedback"][..], &["serve"][..]] {
        let out = util::faqbot()
            .env("FAQBOT__STORE__PATH", &damaged)
            .env("TELOXIDE_TOKEN", "123456:TEST-TOKEN")
            .env("FAQBOT__BOT__API_URL", "http://127.0.0.1:9/")
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!("cannot use the store {}", damaged.display())),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read_to_string(&damaged).unwrap(), junk);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_vote_acknowledged_before_a_sigkill_is_there_after_restart() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let serve = || {
        util::faqbot()
            .arg("serve")
            .env("FAQBOT__STORE__PATH", &path)
            .env("TELOXIDE_TOKEN", "123456:TEST-TOKEN")
            .env("FAQBOT__BOT__API_URL", fake.api_url().as_str())
            .env("FAQBOT__BOT__LIMITS__ENABLED", "false")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut bot = serve();
    // A burst of votes, each from its own user on their own answer.
    let mut voter_of = std::collections::HashMap::new();
    for i in 0..3_000 {
        let user = 100_000 + i;
        let data = if i % 3 == 0 {
            "-:en:cooling-off"
        } else {
            "+:en:overview"
        };
        let update = tg::callback(user, 1, data);
        let id = update["callback_query"]["id"].as_str().unwrap().to_string();
        voter_of.insert(id, user);
        fake.push_update(update);
    }
    let saved = |body: &Value| body["text"] == faqbot::text::vote_saved(Lang::En);
    fake.wait_for_ok("answerCallbackQuery", 300, WAIT, saved)
        .await;
    bot.kill().unwrap(); // SIGKILL, mid-burst
    bot.wait().unwrap();
    let acknowledged: Vec<i64> = fake
        .calls("answerCallbackQuery")
        .iter()
        .filter(|c| !c.failed && saved(&c.body))
        .map(|c| voter_of[c.body["callback_query_id"].as_str().unwrap()])
        .collect();
    assert!(acknowledged.len() >= 300);
    eprintln!(
        "acknowledged before the kill: {} of 3000",
        acknowledged.len()
    );

    // Restarted on the same file: it opens (integrity checked) and serves.
    let polls = fake.calls("getUpdates").len();
    let mut bot = serve();
    fake.wait_for("getUpdates", polls + 1, WAIT, |_| true).await;
    let (ok, json, err) = desk(&path, &["report", "feedback", "--format", "json"]);
    assert!(ok, "{err}");
    let votes: u64 = json
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|row| row["helpful"].as_u64().unwrap() + row["unhelpful"].as_u64().unwrap())
        .sum();
    assert!(
        votes >= acknowledged.len() as u64,
        "{votes} < {}",
        acknowledged.len()
    );

    let store = SqliteStore::open(&path).unwrap();
    store.integrity_check().unwrap();
    let p = faqbot::store::Pseudonyms::new(store.salt());
    let db = rusqlite::Connection::open(&path).unwrap();
    let mut present = db
        .prepare("SELECT count(*) FROM votes WHERE user = ?1 AND message = ?2")
        .unwrap();
    for user in &acknowledged {
        let n: i64 = present
            .query_row((&p.user(*user as u64).0, &p.message(*user, 1)), |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(n, 1, "the acknowledged vote of user {user} is kept");
    }
    let _ = bot.kill();
    let _ = bot.wait();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_store_delays_the_records_not_the_answers() {
    let (fake, bot) = b::start().await;
    // Another process holds the write lock.
    let other = rusqlite::Connection::open(bot.store.path()).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    for user in 40..43 {
        let reply = b::exchange(
            &fake,
            user,
            tg::private_text(user, "how do I change my channels avatar"),
        )
        .await;
        assert!(b::falls_back(&reply), "answered while locked: {reply}");
    }
    assert!(unanswered(&bot.store).is_empty(), "nothing written yet");
    other.execute_batch("COMMIT").unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    // The writer may have taken the first question alone before the lock
    // stopped it: wait for all three, in however many batches.
    let written = || {
        let groups = bot.store.unanswered(0).unwrap();
        groups.first().map(|g| (groups.len(), g.count, g.users))
    };
    while written() != Some((1, 3, 3)) {
        assert!(
            std::time::Instant::now() < deadline,
            "written once the lock is gone: {:?}",
            written()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bot.stop().await;
}
