//! End-to-end tests of the bot: the real dispatcher (`faqbot::bot::run`)
//! against the fake Bot API on 127.0.0.1, with real update JSON, asserting
//! on the requests the bot makes.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use faqbot::bot::Options;
use faqbot::knowledge::Limits;
use faqbot::live::LiveFaq;
use faqbot::settings::SendLimits;
use faqbot::store::SqliteStore;
use serde_json::Value;

use crate::fake_api::{self as tg, Failure, FakeApi};
use crate::util;

pub const ADMIN: i64 = 1000;
pub const WAIT: Duration = Duration::from_secs(10);

pub use util::Running;

pub fn options() -> Options {
    Options {
        admins: vec![ADMIN as u64],
        flood_messages_per_minute: 20,
        inline_cache: Duration::from_secs(30),
        limits: SendLimits {
            enabled: true,
            messages_per_sec_chat: 1000,
            messages_per_min_chat: 100_000,
            messages_per_min_group: 100_000,
            messages_per_sec_overall: 100_000,
        },
        webhook: None,
        watch: None,
        retention: Duration::from_secs(90 * 86_400),
        timezone: jiff::tz::TimeZone::get("Asia/Shanghai").expect("bundled time zone"),
        reminder_days_before: 3,
        conversation_timeout: Duration::from_secs(30 * 60),
    }
}

pub fn load(dir: &Path, limits: Limits) -> Arc<LiveFaq> {
    let matcher = util::settings().matcher;
    Arc::new(LiveFaq::load(dir, limits, matcher).expect("knowledge loads"))
}

pub fn start_with(fake: &FakeApi, faq: Arc<LiveFaq>, options: Options) -> Running {
    Running::spawn(test_bot(fake), faq, options)
}

/// Starts the bot on a given store (kept alive by the `TempDir`).
pub fn start_with_store(
    fake: &FakeApi,
    faq: Arc<LiveFaq>,
    options: Options,
    store: (Arc<tempfile::TempDir>, Arc<SqliteStore>),
) -> Running {
    Running::spawn_on(test_bot(fake), faq, options, store)
}

fn test_bot(fake: &FakeApi) -> teloxide::Bot {
    teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.api_url())
}

/// The shipped knowledge, live.
pub fn shipped() -> Arc<LiveFaq> {
    load(&util::repo().join("knowledge"), Limits::default())
}

/// The bot on the shipped knowledge with test options.
pub async fn start() -> (FakeApi, Running) {
    start_options(options()).await
}

/// The bot on the shipped knowledge with `options`.
async fn start_options(options: Options) -> (FakeApi, Running) {
    let fake = FakeApi::start().await;
    let running = start_with(&fake, shipped(), options);
    (fake, running)
}

pub fn chat_of(body: &Value) -> i64 {
    body["chat_id"].as_i64().unwrap_or_default()
}

pub fn text_of(body: &Value) -> &str {
    body["text"].as_str().unwrap_or_default()
}

/// The callback data of every button under a sent message.
/// Whether a reply is the fallback: topics to go to instead, no feedback
/// buttons (which only answers have), and not the "did you mean" question.
pub fn falls_back(body: &Value) -> bool {
    let buttons = buttons(body);
    let text = text_of(body);
    buttons.iter().any(|b| b.starts_with("t:"))
        && !buttons.iter().any(|b| b.starts_with("+:"))
        && [faqbot::Lang::Zh, faqbot::Lang::En]
            .iter()
            .all(|&lang| (1..=3).all(|n| text != faqbot::text::clarify(lang, n)))
}

pub fn buttons(body: &Value) -> Vec<String> {
    body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
        .collect()
}

/// Sends `update` and waits for the bot's `n`th message to `chat`.
pub async fn exchange(fake: &FakeApi, chat: i64, update: Value) -> Value {
    let before = fake
        .calls("sendMessage")
        .iter()
        .filter(|c| !c.failed && chat_of(&c.body) == chat)
        .count();
    fake.push_update(update);
    let calls = fake
        .wait_for_ok("sendMessage", before + 1, WAIT, |b| chat_of(b) == chat)
        .await;
    calls[before].body.clone()
}

/// The title of the shipped entry `id`, in Chinese or English.
fn title(id: &str, zh: bool) -> String {
    let entry = util::shipped().knowledge().entry(id).expect("entry exists");
    if zh {
        entry.title.zh.clone()
    } else {
        entry.title.en.clone()
    }
}

/// Whether a sent message is the answer of entry `id`: it opens with the
/// entry's title in bold.
fn answers(body: &Value, id: &str, zh: bool) -> bool {
    text_of(body).starts_with(&format!("<b>{}</b>", title(id, zh)))
}

#[tokio::test(flavor = "multi_thread")]
async fn start_and_help_greet_in_the_users_language_with_topic_buttons() {
    let (fake, bot) = start().await;
    let zh = exchange(&fake, 1, tg::private_command(1, "zh-hans", "/start")).await;
    assert!(text_of(&zh).contains("视频号"), "{zh}");
    assert!(text_of(&zh).contains("/steps"), "{zh}");
    assert_eq!(zh["parse_mode"], "HTML");
    let data = buttons(&zh);
    assert!(data.contains(&"t:zh:overview".to_string()), "{data:?}");
    assert!(data.contains(&"a:zh".to_string()), "{data:?}");
    assert!(data.iter().all(|d| d.len() <= 64));

    let en = exchange(&fake, 2, tg::private_command(2, "en-GB", "/help")).await;
    assert!(text_of(&en).starts_with("Hi!"), "{en}");
    assert!(text_of(&en).contains("/undo"), "{en}");
    assert!(buttons(&en).contains(&"t:en:conditions".to_string()));
    // Admin commands are listed for admins only.
    assert!(!text_of(&en).contains("/reload"));
    let admin = exchange(&fake, ADMIN, tg::private_command(ADMIN, "en", "/help")).await;
    assert!(text_of(&admin).contains("/reload"));

    // A deep link opens its topic.
    let deep = exchange(
        &fake,
        3,
        tg::private_command(3, "zh", "/start undo-deletion"),
    )
    .await;
    assert!(
        text_of(&deep).contains(&title("undo-deletion", true)),
        "{deep}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_menu_is_registered_in_both_languages() {
    let (fake, bot) = start().await;
    let calls = fake.wait_for("setMyCommands", 4, WAIT, |_| true).await;
    let default_scope = |c: &&tg::Call| c.body["scope"]["type"] == "default";
    let zh = calls
        .iter()
        .filter(default_scope)
        .find(|c| c.body["language_code"] == "zh")
        .expect("a Chinese default menu");
    let en = calls
        .iter()
        .filter(default_scope)
        .find(|c| c.body["language_code"].is_null())
        .expect("an English default menu");
    let names = |c: &tg::Call| -> Vec<String> {
        c.body["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["command"].as_str().unwrap().to_string())
            .collect()
    };
    for wanted in [
        "steps",
        "conditions",
        "alternatives",
        "undo",
        "lang",
        "help",
    ] {
        assert!(names(zh).iter().any(|n| n == wanted), "{wanted}");
        assert!(names(en).iter().any(|n| n == wanted), "{wanted}");
    }
    assert!(!names(en).iter().any(|n| n == "reload"));
    assert!(
        zh.body["commands"][0]["description"]
            .as_str()
            .unwrap()
            .contains('注')
    );
    // The admin's own chat gets the admin commands too.
    let admin = calls
        .iter()
        .find(|c| c.body["scope"]["chat_id"] == ADMIN)
        .expect("an admin menu");
    assert!(names(admin).iter().any(|n| n == "reload"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_get_answers_clarifications_or_the_fallback() {
    let (fake, bot) = start().await;
    let zh = exchange(&fake, 1, tg::private_text(1, "视频号怎么注销")).await;
    assert!(answers(&zh, "overview", true), "{zh}");
    assert!(
        !buttons(&zh).is_empty(),
        "an answer offers its related topics"
    );
    assert!(
        buttons(&zh)
            .iter()
            .all(|d| ["t:zh:", "+:zh:", "-:zh:"].iter().any(|p| d.starts_with(p))),
        "{zh}"
    );
    let feedback: Vec<String> = buttons(&zh)
        .into_iter()
        .filter(|d| !d.starts_with("t:"))
        .collect();
    assert_eq!(
        feedback,
        ["+:zh:overview", "-:zh:overview"],
        "👍 and 👎 under every answer"
    );

    let en = exchange(&fake, 1, tg::private_text(1, "how do I undo the deletion")).await;
    assert!(answers(&en, "undo-deletion", false), "{en}");
    assert!(
        buttons(&en)
            .iter()
            .all(|d| ["t:en:", "+:en:", "-:en:", "m:en:", "d:en"]
                .iter()
                .any(|p| d.starts_with(p))),
        "{en}"
    );
    // Under undoing: a button that works out the user's own dates.
    assert!(buttons(&en).contains(&"d:en".to_string()), "{en}");

    // A domain word alone says what a question is about, not what it asks.
    let clarify = exchange(&fake, 1, tg::private_text(1, "视频号")).await;
    assert_eq!(
        text_of(&clarify),
        faqbot::text::clarify(faqbot::Lang::Zh, 3)
    );
    assert!(buttons(&clarify).len() >= 2, "{clarify}");

    // A message as long as Telegram allows is answered too.
    let long = format!("{}视频号怎么注销？", "我真的很着急。".repeat(583));
    assert_eq!(long.encode_utf16().count(), 4089);
    let reply = exchange(&fake, 1, tg::private_text(1, &long)).await;
    assert!(answers(&reply, "overview", true), "{reply}");

    let fallback = exchange(&fake, 1, tg::private_text(1, "今天天气怎么样")).await;
    assert!(text_of(&fallback).starts_with("抱歉"), "{fallback}");
    assert!(buttons(&fallback).contains(&"t:zh:overview".to_string()));
    // A question next to the topic gets that topic's own line, and the
    // main topics.
    let adjacent = exchange(&fake, 1, tg::private_text(1, "视频号怎么改名字")).await;
    let topic = util::shipped()
        .knowledge()
        .out_of_scope
        .iter()
        .find(|t| t.id == "oos-rename")
        .and_then(|t| t.reply.as_ref())
        .expect("oos-rename has a reply");
    assert_eq!(text_of(&adjacent), topic.zh, "{adjacent}");
    // With what the bot does answer next to it: a name after deleting.
    assert!(
        buttons(&adjacent).contains(&"t:zh:after-id-nickname".to_string()),
        "{adjacent}"
    );
    assert!(falls_back(&adjacent));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shortcut_commands_and_lang_go_straight_to_their_topics() {
    let (fake, bot) = start().await;
    for (command, id) in [
        ("/steps", "overview"),
        ("/conditions", "conditions"),
        ("/undo", "undo-deletion"),
    ] {
        let reply = exchange(&fake, 5, tg::private_command(5, "zh-CN", command)).await;
        assert!(
            text_of(&reply).contains(&title(id, true)),
            "{command}: {reply}"
        );
    }
    let alternatives = exchange(&fake, 5, tg::private_command(5, "en", "/alternatives")).await;
    let data = buttons(&alternatives);
    assert!(data.contains(&"t:en:alt-hide".to_string()), "{data:?}");
    assert!(data.iter().all(|d| d.starts_with("t:en:alt-")), "{data:?}");

    // /lang en makes even a Chinese question answered in English.
    let set = exchange(&fake, 5, tg::private_command(5, "zh", "/lang en")).await;
    assert!(text_of(&set).contains("English"), "{set}");
    let reply = exchange(&fake, 5, tg::private_text(5, "视频号怎么注销")).await;
    assert!(answers(&reply, "overview", false), "{reply}");
    let usage = exchange(&fake, 5, tg::private_command(5, "zh", "/lang fr")).await;
    assert!(text_of(&usage).contains("/lang zh"), "{usage}");
    let unknown = exchange(&fake, 5, tg::private_command(5, "en", "/frobnicate")).await;
    assert!(text_of(&unknown).contains("/help"), "{unknown}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_button_press_is_answered_and_opens_its_topic() {
    let (fake, bot) = start().await;
    let update = tg::callback(7, 55, "t:en:cooling-off");
    let callback_id = update["callback_query"]["id"].as_str().unwrap().to_string();
    let reply = exchange(&fake, 7, update).await;
    assert!(answers(&reply, "cooling-off", false), "{reply}");
    let answered = fake
        .wait_for("answerCallbackQuery", 1, WAIT, |b| {
            b["callback_query_id"] == callback_id
        })
        .await;
    assert!(
        answered[0].body["text"].is_null(),
        "no alert for a good button"
    );

    // A stale or forged button gets a notice on the button, and no message.
    let sent_before = fake.calls("sendMessage").len();
    for data in ["t:en:no-such-topic", "reload", "t:xx:overview"] {
        let update = tg::callback(7, 55, data);
        let id = update["callback_query"]["id"].as_str().unwrap().to_string();
        fake.push_update(update);
        let answered = fake
            .wait_for("answerCallbackQuery", 1, WAIT, |b| {
                b["callback_query_id"] == id
            })
            .await;
        assert!(
            answered[0].body["text"]
                .as_str()
                .unwrap()
                .contains("out of date")
        );
    }
    // The alternatives button lists them.
    let alternatives = exchange(&fake, 7, tg::callback(7, 55, "a:zh")).await;
    assert!(
        buttons(&alternatives)
            .iter()
            .all(|d| d.starts_with("t:zh:alt-"))
    );
    assert_eq!(fake.calls("sendMessage").len(), sent_before + 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn inline_queries_return_the_best_topics() {
    let (fake, bot) = start().await;
    fake.push_update(tg::inline_query(8, "撤销"));
    let call = fake.wait_for("answerInlineQuery", 1, WAIT, |_| true).await;
    let results = call[0].body["results"].as_array().unwrap().clone();
    assert!(!results.is_empty() && results.len() <= 10, "{results:?}");
    assert_eq!(results[0]["id"], "undo-deletion");
    assert_eq!(results[0]["type"], "article");
    assert_eq!(results[0]["title"], title("undo-deletion", true));
    let content = &results[0]["input_message_content"];
    assert_eq!(content["parse_mode"], "HTML");
    assert!(content["message_text"].as_str().unwrap().contains("撤销"));
    assert_eq!(call[0].body["cache_time"], 30);

    // An empty query offers the main topics; nonsense offers nothing; the
    // results are in the query's language (typed pinyin is Chinese).
    fake.push_update(tg::inline_query(8, ""));
    fake.push_update(tg::inline_query(8, "what's the weather in Paris"));
    fake.push_update(tg::inline_query(8, "how do I undo it"));
    fake.push_update(tg::inline_query(8, "chexiao zhuxiao"));
    let calls = fake.wait_for("answerInlineQuery", 5, WAIT, |_| true).await;
    assert!(calls[1].body["results"].as_array().unwrap().len() >= 3);
    assert!(calls[2].body["results"].as_array().unwrap().is_empty());
    assert_eq!(
        calls[3].body["results"][0]["title"],
        title("undo-deletion", false)
    );
    assert_eq!(
        calls[4].body["results"][0]["title"],
        title("undo-deletion", true)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_groups_only_commands_mentions_and_replies_to_the_bot_are_answered() {
    let (fake, bot) = start().await;
    let group = -100;
    // Ignored: plain chatter, another bot's command, a sticker-free photo-less
    // message that is not for the bot.
    fake.push_update(tg::group_text(group, 11, "视频号怎么注销"));
    fake.push_update(tg::group_text(group, 11, "/help@OtherBot"));
    fake.push_update(tg::group_text(group, 11, "/ 视频号怎么注销"));
    fake.push_update(tg::group_text(group, 11, "how do I undo the deletion"));
    // Answered, in order.
    let command = exchange(
        &fake,
        group,
        tg::group_text(group, 11, "/undo@faq_test_bot"),
    )
    .await;
    assert!(text_of(&command).contains(&title("undo-deletion", false)));
    assert!(
        command["reply_parameters"]["message_id"].is_i64(),
        "replies in groups quote"
    );
    let plain_command = exchange(&fake, group, tg::group_text(group, 11, "/steps")).await;
    assert!(text_of(&plain_command).contains(&title("overview", false)));
    let mention = exchange(
        &fake,
        group,
        tg::group_text(group, 12, "@faq_test_bot 视频号怎么注销"),
    )
    .await;
    assert!(answers(&mention, "overview", true), "{mention}");
    let reply = exchange(
        &fake,
        group,
        tg::group_reply_to_bot(group, 13, "can I undo it", 77),
    )
    .await;
    assert!(answers(&reply, "undo-deletion", false), "{reply}");
    // Exactly the four addressed messages were answered.
    let to_group = fake
        .calls("sendMessage")
        .iter()
        .filter(|c| chat_of(&c.body) == group)
        .count();
    assert_eq!(to_group, 4);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn non_text_messages_get_a_hint_in_private_chats() {
    let (fake, bot) = start().await;
    let hint = exchange(&fake, 9, tg::private_sticker(9)).await;
    assert!(text_of(&hint).contains("text"), "{hint}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn long_replies_are_split_and_knowledge_text_is_escaped() {
    let dir = util::knowledge_copy();
    // A long English answer full of HTML-like text.
    let sentence = "Keep <b>this</b> & that <script>x</script> in mind. ";
    let first_id =
        util::set_first_english_answer(&dir.path().join("after.toml"), &sentence.repeat(120));
    let limits = Limits {
        max_answer_words_en: 100_000,
        ..Limits::default()
    };
    let faq = load(dir.path(), limits);

    let fake = FakeApi::start().await;
    let bot = start_with(&fake, faq, options());
    fake.push_update(tg::callback(4, 1, &format!("t:en:{first_id}")));
    // The last part carries the buttons.
    fake.wait_for_ok("sendMessage", 1, WAIT, |b| {
        chat_of(b) == 4 && !buttons(b).is_empty()
    })
    .await;
    let parts: Vec<tg::Call> = fake
        .calls("sendMessage")
        .into_iter()
        .filter(|c| chat_of(&c.body) == 4)
        .collect();
    assert!(parts.len() >= 2, "{}", parts.len());
    let utf16 = |s: &str| s.encode_utf16().count();
    for part in &parts {
        assert!(
            utf16(text_of(&part.body)) <= 4096,
            "{}",
            utf16(text_of(&part.body))
        );
        assert!(!text_of(&part.body).contains("<script>"));
    }
    assert!(text_of(&parts[0].body).contains("&lt;b&gt;this&lt;/b&gt; &amp; that"));
    // Buttons go under the last part only.
    assert!(buttons(&parts[0].body).is_empty());
    assert!(!buttons(&parts[parts.len() - 1].body).is_empty());
    let joined: String = parts.iter().map(|p| text_of(&p.body)).collect();
    assert_eq!(joined.matches("in mind.").count(), 120);
    bot.stop().await;
}

/// Asks for topic `id` by button and returns the reply text.
async fn topic_text(fake: &FakeApi, chat: i64, id: &str) -> String {
    let reply = exchange(fake, chat, tg::callback(chat, 1, &format!("t:en:{id}"))).await;
    text_of(&reply).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_reload_changed_knowledge_and_broken_files_keep_the_old() {
    let dir = util::knowledge_copy();
    let fake = FakeApi::start().await;
    let bot = start_with(&fake, load(dir.path(), Limits::default()), options());
    let file = dir.path().join("after.toml");
    let id = util::set_first_english_answer(&file, "Freshly reloaded answer.");

    // A non-admin is refused and nothing is reloaded.
    let refused = exchange(&fake, 20, tg::private_command(20, "en", "/reload")).await;
    assert!(
        text_of(&refused).contains("only the bot's admins"),
        "{refused}"
    );
    assert!(!topic_text(&fake, 20, &id).await.contains("Freshly"));
    let stats = exchange(&fake, 20, tg::private_command(20, "en", "/stats")).await;
    assert!(text_of(&stats).contains("only the bot's admins"));

    // The admin reloads: the reply says what changed.
    let done = exchange(&fake, ADMIN, tg::private_command(ADMIN, "en", "/reload")).await;
    let done = text_of(&done);
    assert!(done.contains("Knowledge reloaded in"), "{done}");
    assert!(done.contains(&format!("Changed 1 ({id})")), "{done}");
    assert!(
        done.contains("Added 0") && done.contains("Removed 0"),
        "{done}"
    );
    assert!(
        topic_text(&fake, 20, &id)
            .await
            .contains("Freshly reloaded answer.")
    );

    // A broken file: the admin gets file:line errors; the old knowledge stays.
    std::fs::write(
        dir.path().join("broken.toml"),
        "[[entry]]\nid = \"x\"\nkind = \"nonsense\"\n",
    )
    .unwrap();
    util::set_first_english_answer(&file, "Should never be served.");
    let failed = exchange(&fake, ADMIN, tg::private_command(ADMIN, "zh", "/reload")).await;
    let failed = text_of(&failed);
    assert!(failed.contains("重新加载失败"), "{failed}");
    assert!(failed.contains("broken.toml:"), "{failed}");
    assert!(
        topic_text(&fake, 20, &id)
            .await
            .contains("Freshly reloaded answer.")
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_count_answers_fallbacks_and_clarifications() {
    let (fake, bot) = start().await;
    for q in [
        "视频号怎么注销",
        "how do I delete my channels account",
        "今天天气怎么样",
        "视频号",
    ] {
        exchange(&fake, 30, tg::private_text(30, q)).await;
    }
    let stats = exchange(&fake, ADMIN, tg::private_command(ADMIN, "en", "/stats")).await;
    let stats = text_of(&stats);
    assert!(stats.contains("Uptime"), "{stats}");
    assert!(
        stats.contains("answered 2, fallbacks 1, clarifications 1"),
        "{stats}"
    );
    assert!(stats.contains("1. overview (2)"), "{stats}");
    bot.stop().await;
}

/// Asks for topic `id` until its answer says `text` (a reload has happened).
async fn topic_comes_to_say(fake: &FakeApi, id: &str, text: &str) {
    let deadline = Instant::now() + WAIT;
    while !topic_text(fake, 40, id).await.contains(text) {
        assert!(
            Instant::now() < deadline,
            "never reloaded: {id} does not say {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_request_and_a_file_change_both_reload() {
    let dir = util::knowledge_copy();
    let fake = FakeApi::start().await;
    let mut opts = options();
    opts.watch = Some(Duration::from_millis(100));
    let bot = start_with(&fake, load(dir.path(), Limits::default()), opts);
    // Let the watcher start before the first edit.
    fake.wait_for("getUpdates", 1, WAIT, |_| true).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let id = util::set_first_english_answer(&dir.path().join("before.toml"), "Changed on disk.");
    topic_comes_to_say(&fake, &id, "Changed on disk.").await;

    // The reload channel (SIGHUP in `faqbot serve`) reloads too.
    let other_id =
        util::set_first_english_answer(&dir.path().join("after.toml"), "Reloaded by signal.");
    bot.reload.send(()).await.unwrap();
    topic_comes_to_say(&fake, &other_id, "Reloaded by signal.").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_is_waited_out_and_a_403_does_not_stop_the_bot() {
    let (fake, bot) = start().await;
    fake.fail(
        "sendMessage",
        Some(50),
        Failure::TooManyRequests { retry_after: 1 },
        1,
    );
    fake.fail_always("sendMessage", 51, Failure::Forbidden);
    fake.push_update(tg::private_text(51, "视频号怎么注销"));
    let reply = exchange(&fake, 50, tg::private_text(50, "视频号怎么注销")).await;
    assert!(answers(&reply, "overview", true));
    let to_50 = fake
        .calls("sendMessage")
        .into_iter()
        .filter(|c| chat_of(&c.body) == 50)
        .collect::<Vec<_>>();
    assert_eq!(to_50.len(), 2, "one 429, then the retry");
    assert!(to_50[0].failed && !to_50[1].failed);
    // The blocked user's send failed; others are still served.
    fake.wait_for("sendMessage", 1, WAIT, |b| chat_of(b) == 51)
        .await;
    let later = exchange(
        &fake,
        52,
        tg::private_text(52, "how do I undo the deletion"),
    )
    .await;
    assert!(answers(&later, "undo-deletion", false));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flooding_user_is_warned_once_and_others_are_unaffected() {
    let (fake, bot) = start().await;
    for i in 0..25 {
        fake.push_update(tg::private_text(60, &format!("视频号怎么注销 {i}")));
    }
    let other = exchange(
        &fake,
        61,
        tg::private_text(61, "how do I undo the deletion"),
    )
    .await;
    assert!(answers(&other, "undo-deletion", false));
    // 20 answers and a notice; the rest are dropped, so nothing marks the
    // end: wait for the 21, then a little longer for any extra.
    let sent = fake
        .wait_for_ok("sendMessage", 21, WAIT, |b| chat_of(b) == 60)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent_to_60: Vec<tg::Call> = fake
        .calls("sendMessage")
        .into_iter()
        .filter(|c| chat_of(&c.body) == 60)
        .collect();
    assert_eq!(sent_to_60.len(), 21, "20 answers and one notice");
    assert_eq!(sent.len(), 21);
    let notices = sent_to_60
        .iter()
        .filter(|c| text_of(&c.body).contains("wait a minute"))
        .count();
    assert_eq!(notices, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_1000_updates_is_answered_once_each() {
    let mut opts = options();
    opts.flood_messages_per_minute = 0;
    let (fake, bot) = start_options(opts).await;
    let questions = [
        "视频号怎么注销",
        "how do I undo the deletion",
        "今天天气怎么样",
        "注销后粉丝还在吗",
    ];
    for i in 0..1000i64 {
        let chat = 10_000 + i % 100;
        fake.push_update(tg::private_text(chat, questions[(i % 4) as usize]));
    }
    fake.wait_for_ok("sendMessage", 1000, Duration::from_secs(60), |_| true)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = fake.calls("sendMessage");
    assert_eq!(sent.len(), 1000, "none lost, none answered twice");
    for chat in 10_000..10_100 {
        assert_eq!(
            sent.iter().filter(|c| chat_of(&c.body) == chat).count(),
            10,
            "chat {chat}"
        );
    }
    bot.stop().await;
    assert_eq!(fake.pending(), 0, "every update confirmed");
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_shutdown_and_restart_no_update_is_answered_twice() {
    let fake = FakeApi::start().await;
    let faq = shipped();
    let first = start_with(&fake, Arc::clone(&faq), options());
    for i in 0..5 {
        fake.push_update(tg::private_text(70 + i, "视频号怎么注销"));
    }
    fake.wait_for_ok("sendMessage", 5, WAIT, |_| true).await;
    let took = first.stop().await;
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(fake.pending(), 0, "the offset was confirmed on the way out");

    let second = start_with(&fake, faq, options());
    let reply = exchange(
        &fake,
        80,
        tg::private_text(80, "how do I undo the deletion"),
    )
    .await;
    assert!(answers(&reply, "undo-deletion", false));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.calls("sendMessage").len(), 6);
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_throttle_queue_replies_go_at_once_and_a_429_is_still_waited_out() {
    let mut opts = options();
    opts.limits.enabled = false;
    let (fake, bot) = start_options(opts).await;
    fake.fail(
        "sendMessage",
        Some(90),
        Failure::TooManyRequests { retry_after: 1 },
        1,
    );
    let reply = exchange(
        &fake,
        90,
        tg::private_text(90, "how do I undo the deletion"),
    )
    .await;
    assert!(answers(&reply, "undo-deletion", false));
    let to_90: Vec<tg::Call> = fake
        .calls("sendMessage")
        .into_iter()
        .filter(|c| chat_of(&c.body) == 90)
        .collect();
    assert_eq!(to_90.len(), 2);
    assert!(to_90[0].failed && !to_90[1].failed);
    assert!(
        to_90[1].at - to_90[0].at >= Duration::from_millis(900),
        "waited retry_after"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn polling_removes_a_webhook_left_by_an_earlier_run() {
    use teloxide::requests::Requester;
    let fake = FakeApi::start().await;
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.api_url());
    bot.set_webhook("https://example.org/old-hook".parse().unwrap())
        .await
        .unwrap();
    assert!(fake.webhook().is_some());
    let running = start_with(&fake, shipped(), options());
    let reply = exchange(&fake, 91, tg::private_text(91, "视频号怎么注销")).await;
    assert!(answers(&reply, "overview", true));
    assert!(fake.webhook().is_none());
    running.stop().await;
}
