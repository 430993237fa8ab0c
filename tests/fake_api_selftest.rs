//! The fake Bot API answers real teloxide requests the way teloxide expects:
//! results deserialize, failures map to the right errors, and every update
//! builder comes back from `getUpdates` as the intended kind.

use std::time::{Duration, Instant};

use serde_json::json;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup, MaybeInaccessibleMessage,
    MessageEntityKind, UpdateKind,
};
use teloxide::{ApiError, RequestError};

use crate::fake_api::{self, BOT_ID, BOT_USERNAME, Failure, FakeApi};

fn bot(fake: &FakeApi) -> Bot {
    Bot::new("123:TEST").set_api_url(fake.api_url())
}

fn bot_user_id() -> UserId {
    UserId(BOT_ID as u64)
}

#[tokio::test]
async fn get_me_and_send_message_deserialize() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);

    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.username(), BOT_USERNAME);
    assert_eq!(me.id, bot_user_id());
    assert!(me.is_bot);

    let sent = bot
        .send_message(ChatId(7), "hi")
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("hi"));
    assert_eq!(sent.chat.id, ChatId(7));
    assert!(sent.chat.is_private());
    assert_eq!(sent.from.as_ref().map(|u| u.id), Some(bot_user_id()));

    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Yes", "yes")]]);
    let in_group = bot
        .send_message(ChatId(-100), "group ✓")
        .reply_markup(keyboard.clone())
        .await
        .expect("sendMessage to a group");
    assert!(in_group.chat.is_supergroup());
    assert_eq!(in_group.text(), Some("group ✓"));
    assert_eq!(in_group.reply_markup(), Some(&keyboard));
    assert!(in_group.id.0 > sent.id.0, "message ids increase");

    let calls = fake.calls("SendMessage");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].body["chat_id"], json!(7));
    assert_eq!(calls[0].body["text"], json!("hi"));
    assert_eq!(calls[0].result["message_id"], json!(sent.id.0));
    assert!(!calls[0].failed);
    let all = fake.all_calls();
    assert_eq!(
        all.iter().map(|c| c.method.as_str()).collect::<Vec<_>>(),
        ["getme", "sendmessage", "sendmessage"]
    );
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));

    // Methods without a modelled result answer `true`.
    bot.answer_callback_query(CallbackQueryId("cbq-1".to_owned()))
        .await
        .expect("answerCallbackQuery");
    assert_eq!(fake.calls("answercallbackquery").len(), 1);
}

#[tokio::test]
async fn failures_map_to_teloxide_errors() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);

    fake.fail(
        "sendMessage",
        Some(7),
        Failure::TooManyRequests { retry_after: 1 },
        1,
    );
    let other_chat = bot.send_message(ChatId(8), "unaffected").await;
    assert!(other_chat.is_ok(), "{other_chat:?}");
    match bot.send_message(ChatId(7), "flood").await {
        Err(RequestError::RetryAfter(secs)) => assert_eq!(secs.seconds(), 1),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    bot.send_message(ChatId(7), "again")
        .await
        .expect("only one failure was asked for");

    fake.fail_always("sendMessage", 9, Failure::Forbidden);
    for _ in 0..2 {
        match bot.send_message(ChatId(9), "blocked").await {
            Err(RequestError::Api(ApiError::BotBlocked)) => {}
            other => panic!("expected BotBlocked, got {other:?}"),
        }
    }

    fake.fail("sendMessage", None, Failure::ServerError, 1);
    let started = Instant::now();
    match bot.send_message(ChatId(10), "oops").await {
        Err(RequestError::Api(ApiError::Unknown(text))) => {
            assert_eq!(text, "Internal Server Error")
        }
        other => panic!("expected an unknown API error, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no 5xx back-off in teloxide"
    );

    let failed: Vec<_> = fake.calls("sendmessage").iter().map(|c| c.failed).collect();
    assert_eq!(failed, [false, true, false, true, true, true]);
    let ok = fake
        .wait_for_ok("sendmessage", 2, Duration::from_millis(100), |b| {
            b["chat_id"] != json!(9)
        })
        .await;
    assert_eq!(ok.len(), 2);
}

#[tokio::test]
async fn every_builder_deserializes_into_its_update_kind() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);

    fake.push_update(fake_api::private_text(1, "如何注销视频号？ 🙏"));
    fake.push_update(fake_api::private_text_lang(2, "zh-hans", "/start"));
    fake.push_update(fake_api::private_command(3, "en", "/help topics"));
    fake.push_update(fake_api::group_text(-100, 4, "/help@faq_test_bot"));
    fake.push_update(fake_api::group_text(
        -100,
        5,
        "问一下 🙏 @faq_test_bot 怎么删除？",
    ));
    fake.push_update(fake_api::group_reply_to_bot(-100, 6, "thanks", 77));
    fake.push_update(fake_api::private_sticker(7));
    fake.push_update(fake_api::callback(8, 55, "lang:zh"));
    let last = fake.push_update(fake_api::inline_query(9, "delete account"));
    assert_eq!(last, 9);

    let updates = bot.get_updates().await.expect("getUpdates");
    assert_eq!(updates.len(), 9);
    for (i, update) in updates.iter().enumerate() {
        assert_eq!(update.id.0 as usize, i + 1);
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "update {i}: {:?}",
            update.kind
        );
    }
    let message = |i: usize| match &updates[i].kind {
        UpdateKind::Message(m) => m,
        other => panic!("update {i} is not a message: {other:?}"),
    };

    let m = message(0);
    assert_eq!(m.text(), Some("如何注销视频号？ 🙏"));
    assert_eq!(m.chat.id, ChatId(1));
    assert!(m.chat.is_private());
    assert_eq!(
        m.from.as_ref().and_then(|u| u.language_code.as_deref()),
        Some("en")
    );
    assert!(m.entities().unwrap_or_default().is_empty());

    let m = message(1);
    assert_eq!(
        m.from.as_ref().and_then(|u| u.language_code.as_deref()),
        Some("zh-hans")
    );
    let entities = m.parse_entities().expect("text message");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind(), &MessageEntityKind::BotCommand);
    assert_eq!(entities[0].text(), "/start");

    let entities = message(2).parse_entities().expect("text message");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].text(), "/help");

    let m = message(3);
    assert!(m.chat.is_supergroup());
    assert_eq!(m.chat.id, ChatId(-100));
    let entities = m.parse_entities().expect("text message");
    assert_eq!(
        entities.len(),
        1,
        "no separate mention inside the command word"
    );
    assert_eq!(entities[0].kind(), &MessageEntityKind::BotCommand);
    assert_eq!(entities[0].text(), "/help@faq_test_bot");

    let entities = message(4).parse_entities().expect("text message");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind(), &MessageEntityKind::Mention);
    assert_eq!(
        entities[0].text(),
        "@faq_test_bot",
        "UTF-16 offsets line up"
    );

    let replied = message(5).reply_to_message().expect("a reply");
    assert_eq!(replied.id.0, 77);
    assert_eq!(replied.from.as_ref().map(|u| u.id), Some(bot_user_id()));
    assert_eq!(message(5).text(), Some("thanks"));

    let sticker = message(6).sticker().expect("a sticker message");
    assert_eq!(sticker.width, 512);
    assert!(sticker.is_regular());
    assert!(message(6).text().is_none());

    match &updates[7].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.data.as_deref(), Some("lang:zh"));
            assert_eq!(q.from.id, UserId(8));
            match &q.message {
                Some(MaybeInaccessibleMessage::Regular(m)) => {
                    assert_eq!(m.id.0, 55);
                    assert_eq!(m.chat.id, ChatId(8));
                    assert_eq!(m.from.as_ref().map(|u| u.id), Some(bot_user_id()));
                }
                other => panic!("callback message: {other:?}"),
            }
        }
        other => panic!("not a callback query: {other:?}"),
    }
    match &updates[8].kind {
        UpdateKind::InlineQuery(q) => {
            assert_eq!(q.query, "delete account");
            assert_eq!(q.from.id, UserId(9));
        }
        other => panic!("not an inline query: {other:?}"),
    }

    // Returned updates stay until confirmed.
    assert_eq!(fake.pending(), 9);
    assert_eq!(fake.confirmed_offset(), 0);
}

#[tokio::test]
async fn offsets_confirm_updates() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);
    for i in 0..3 {
        fake.push_update(fake_api::private_text(1, &format!("message {i}")));
    }

    let updates = bot.get_updates().offset(2).await.expect("getUpdates");
    assert_eq!(updates.iter().map(|u| u.id.0).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(fake.confirmed_offset(), 2);
    assert_eq!(fake.pending(), 2);

    let updates = bot.get_updates().limit(1).await.expect("getUpdates");
    assert_eq!(
        updates.iter().map(|u| u.id.0).collect::<Vec<_>>(),
        [2],
        "limit, from offset"
    );

    let updates = bot.get_updates().offset(4).await.expect("getUpdates");
    assert!(updates.is_empty());
    assert_eq!(fake.confirmed_offset(), 4);
    assert_eq!(fake.pending(), 0);

    let calls = fake.calls("getUpdates");
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0].body["offset"], json!(2));
    assert_eq!(calls[1].body["limit"], json!(1));
}

#[tokio::test]
async fn long_poll_wakes_on_push_and_does_not_block_other_requests() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);

    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(10).await }
    });
    fake.wait_for("getupdates", 1, Duration::from_secs(1), |b| {
        b["timeout"] == json!(10)
    })
    .await;
    // The long poll is in flight; other requests are still answered.
    bot.get_me().await.expect("getMe during a long poll");

    let started = Instant::now();
    fake.push_update(fake_api::inline_query(3, "hello"));
    let updates = tokio::time::timeout(Duration::from_secs(1), poll)
        .await
        .expect("the long poll returns once an update is pushed")
        .expect("poll task")
        .expect("getUpdates");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(updates.len(), 1);
    assert!(matches!(updates[0].kind, UpdateKind::InlineQuery(_)));

    // With nothing queued, a long poll returns [] once its timeout passes.
    let started = Instant::now();
    let updates = bot
        .get_updates()
        .offset(2)
        .timeout(1)
        .await
        .expect("getUpdates");
    assert!(updates.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn webhook_methods_round_trip() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);

    let info = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert!(info.url.is_none());
    assert_eq!(fake.webhook(), None);

    let hook = url::Url::parse("https://bot.example.com/hook").expect("URL");
    // teloxide sends setWebhook as multipart/form-data.
    bot.set_webhook(hook.clone())
        .secret_token("s3cret_123")
        .await
        .expect("setWebhook");
    assert_eq!(
        fake.webhook(),
        Some((
            "https://bot.example.com/hook".to_owned(),
            Some("s3cret_123".to_owned())
        ))
    );
    let info = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert_eq!(info.url, Some(hook));

    bot.delete_webhook().await.expect("deleteWebhook");
    assert_eq!(fake.webhook(), None);
    let methods: Vec<_> = fake.all_calls().into_iter().map(|c| c.method).collect();
    assert_eq!(
        methods,
        [
            "getwebhookinfo",
            "setwebhook",
            "getwebhookinfo",
            "deletewebhook"
        ]
    );
}

#[tokio::test]
async fn teloxide_polling_dispatcher_runs_against_the_fake() {
    let fake = FakeApi::start().await;
    let bot = bot(&fake);
    fake.push_update(fake_api::private_text(5, "hello"));

    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        let text = format!("echo: {}", msg.text().unwrap_or_default());
        bot.send_message(msg.chat.id, text).await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let replies = fake
        .wait_for("sendMessage", 1, Duration::from_secs(1), |b| {
            b["chat_id"] == json!(5)
        })
        .await;
    assert_eq!(replies[0].body["text"], json!("echo: hello"));
    // Updates pushed while the dispatcher long-polls are delivered too.
    fake.push_update(fake_api::private_text(6, "again"));
    fake.wait_for("sendMessage", 1, Duration::from_secs(1), |b| {
        b["chat_id"] == json!(6)
    })
    .await;

    shutdown.shutdown().expect("dispatcher is running").await;
    running.await.expect("dispatcher task");

    let methods: Vec<_> = fake.all_calls().into_iter().map(|c| c.method).collect();
    assert_eq!(
        &methods[..3],
        ["getwebhookinfo", "getme", "getupdates"],
        "{methods:?}"
    );
    let last = fake.calls("getUpdates").pop().expect("getUpdates calls");
    assert_eq!(
        last.body["limit"],
        json!(1),
        "graceful stop: {:?}",
        last.body
    );
    assert_eq!(last.body["timeout"], json!(0));
    assert_eq!(fake.confirmed_offset(), 3);
    assert_eq!(fake.pending(), 0);
}
