//! Matching on the shipped knowledge base: the hard cases of how people type
//! on phones, the three outcomes, language, and the scam override.

use faqbot::{Lang, Match, Outcome};

use faqbot::Faq;

use crate::util::{knowledge_dir, repo, settings, shipped};

/// Asserts that `question` is answered with `id`.
fn answers(question: &str, id: &str) {
    let verdict = shipped().matcher().find(question, None);
    assert_eq!(
        verdict.outcome,
        Outcome::Answer,
        "{question:?}: {verdict:?}"
    );
    assert_eq!(
        verdict.answer.as_ref().map(|c| c.id.as_str()),
        Some(id),
        "{question:?}: {verdict:?}"
    );
}

/// The verdict on a question that must not get the scam warning.
fn not_warned(question: &str) -> Match {
    let verdict = shipped().matcher().find(question, None);
    assert!(!verdict.safety, "{question:?}: {verdict:?}");
    verdict
}

fn falls_back(question: &str) {
    let verdict = shipped().matcher().find(question, None);
    assert_eq!(
        verdict.outcome,
        Outcome::Fallback,
        "{question:?}: {verdict:?}"
    );
    assert!(verdict.answer.is_none() && verdict.suggestions.is_empty());
}

#[test]
fn answers_plain_questions_in_both_languages() {
    answers("视频号怎么注销", "overview");
    answers("how do I undo deletion", "undo-deletion");
    answers("冷静期多久", "cooling-off");
    answers("注销入口在哪", "step-find-entry");
}

#[test]
fn answers_through_typos_pinyin_and_traditional_characters() {
    answers("注消了还能恢复吗", "undo-deletion");
    answers("shipinhao zenme zhuxiao", "overview");
    answers("視頻號怎麼註銷", "overview");
    answers("how to delet my chanels acount", "overview");
    answers(
        "I deleted my channels and now I regret it, can I get it back",
        "undo-deletion",
    );
}

#[test]
fn an_inflection_of_a_known_word_is_not_corrected_to_another() {
    let matcher = shipped().matcher();
    // "withdrawing" is "withdraw", not a typo of "withdrawn".
    let features = matcher.features(&matcher.read("withdrawing my earnings"));
    assert!(features.contains(&"#withdraw".to_string()), "{features:?}");
    // A typo of the same stem is still corrected.
    let features = matcher.features(&matcher.read("withdrawl my earnings"));
    assert!(features.contains(&"#withdraw".to_string()), "{features:?}");
}

#[test]
fn punctuation_emoji_width_and_case_do_not_change_the_answer() {
    // The matcher reads every variant alike. (The model of example
    // questions reads a punctuation mark as a break between words, as it
    // reads a space, so its sums differ a little; it is off here.)
    let config = settings().matcher.without_example_model();
    let faq = Faq::new(shipped().knowledge().clone(), config);
    let plain = faq.matcher().find("视频号注销了还能找回吗", None);
    for variant in [
        "😭视频号注销了还能找回吗",
        "视频号注销了还能找回吗？？？",
        "  视频号，注销了还能找回吗!!  ",
    ] {
        let verdict = faq.matcher().find(variant, None);
        let id = |m: &faqbot::Match| m.answer.as_ref().map(|c| c.id.clone());
        assert_eq!(id(&verdict), id(&plain), "{variant:?}");
    }
    let upper = shipped().matcher().find("HOW DO I UNDO DELETION", None);
    assert_eq!(upper.answer.unwrap().id, "undo-deletion");
}

#[test]
fn synonyms_the_guide_never_uses_still_match() {
    answers("nuke my channels account", "overview");
    answers("删号了还能恢复吗", "undo-deletion");
}

#[test]
fn falls_back_outside_what_it_knows() {
    for question in [
        "今天天气怎么样",
        "你好",
        "hi",
        "thanks!",
        "how do I delete my wechat account",
        "注销微信号",
        "抖音怎么注销",
        "视频号怎么涨粉",
        "how to go viral on channels",
        // Moving the account to another owner, or closing only the shop.
        "视频号可以过户给我老婆吗",
        "can I transfer ownership of my channel to my brother",
        "只想关掉小店 视频号继续做",
        "close the store but keep my channel running",
        // Running the shop, privacy of single videos, other people's videos.
        "买家申请退货了 我该怎么处理",
        "where do I change the settlement bank card for my store",
        "how do I set one clip to private",
        "怎么保存别人的视频到相册",
    ] {
        falls_back(question);
    }
}

#[test]
fn saying_it_is_not_about_deleting_keeps_the_neighbouring_topic() {
    let topic = |question: &str| {
        let verdict = shipped().matcher().find(question, None);
        assert_eq!(
            verdict.outcome,
            Outcome::Fallback,
            "{question:?}: {verdict:?}"
        );
        verdict.topic
    };
    assert_eq!(
        topic("号我不注销，只想把企业微信解绑").as_deref(),
        Some("oos-unbind-other")
    );
    assert_eq!(
        topic("not deleting my channel, I only want to unbind our wecom").as_deref(),
        Some("oos-unbind-other")
    );
    // Deleting mentioned as a maybe, or as what nearly happened, is not
    // what the message asks.
    assert_eq!(
        topic("I sometimes think about deleting it, but for now how do I change its name")
            .as_deref(),
        Some("oos-rename")
    );
    assert_eq!(
        topic("差点因为视频被限流就把号注销了 限流一般多久恢复").as_deref(),
        Some("oos-ban-appeal")
    );
    // Not deleting, and looking for another way: the alternatives answer.
    answers("不想注销，就想让别人看不到我的视频", "alt-hide");
    answers(
        "我要走了，视频号交给同事管，不用注销吧",
        "alt-transfer-admin",
    );
}

#[test]
fn the_cooling_off_period_is_about_deleting_whatever_else_it_names() {
    // "冷静期内" is read as "during" and still frames the message, so posting
    // during the period is not a question about growing a channel; a replay
    // that will be deleted along with the account is not deleting a replay.
    answers("lengjingqi nei hai neng fa shipin ma", "cooling-off");
    answers("冷静期内还能发视频吗", "cooling-off");
    answers(
        "直播回放也会被一起删掉？那我得先存啊",
        "backup-live-replays",
    );
    falls_back("怎么删除某一场直播回放");
}

#[test]
fn undoing_a_deletion_to_go_on_streaming_is_about_the_deletion() {
    // Live streams are another topic, except when the message is about the
    // deletion: "注销" says so in Chinese; in English, so do undoing it and
    // having applied to delete ("delete" alone may be a replay's).
    answers(
        "can i undo it? we still want to do lives on the channel",
        "undo-deletion",
    );
    falls_back("how do i go live on channels");
    falls_back("how to delete one live replay");
}

#[test]
fn deleting_the_whole_wechat_account_in_pinyin_is_not_deleting_channels() {
    // "weixin" is an English synonym of WeChat, so it is not read as 微信:
    // the concept with the rest of the phrase still names the account.
    falls_back("weixin hao zenme zhuxiao");
    answers("weixin shipinhao zenme zhuxiao", "overview");
}

#[test]
fn an_entrys_cue_outweighs_another_entrys_words() {
    // Every word is one of the overview's too; "WeChat too" is what it asks.
    answers(
        "will deleting channels delete my wechat too",
        "unlink-personal-wechat",
    );
}

#[test]
fn scam_triggers_win_whatever_else_matched() {
    let verdict = shipped()
        .matcher()
        .find("有人说可以代注销视频号，要给他验证码吗", None);
    assert_eq!(verdict.outcome, Outcome::Answer);
    assert_eq!(verdict.answer.unwrap().id, "scam-warning");
    assert!(verdict.safety);
    let verdict = shipped().matcher().find(
        "someone asked for my verification code to delete my channels",
        None,
    );
    assert_eq!(verdict.answer.unwrap().id, "scam-warning");
    // Two-part triggers: a code and someone to hand it to.
    let verdict = shipped()
        .matcher()
        .find("有人让我把验证码发给他，说能帮我注销", None);
    assert!(verdict.safety, "{verdict:?}");
    let verdict = shipped().matcher().find(
        "a seller on taobao says he can delete my channels for me",
        None,
    );
    assert!(verdict.safety, "{verdict:?}");
    // Typed pinyin is read before triggers are looked for.
    assert!(shipped().matcher().find("daizhuxiao kekao ma", None).safety);
    // So is pinyin of the scam check's own phrases (内部渠道), not only of
    // the entries' questions.
    let pinyin = "wang shang shuo you neibu qudao keyi mashang zhuxiao shipinhao";
    assert!(shipped().matcher().find(pinyin, None).safety);
    // In a message typed in pinyin, "you ren" is 有人, not the English "you".
    let pinyin = "you ren shuo keyi bang wo zhuxiao shipinhao yao yanzhengma";
    assert!(shipped().matcher().find(pinyin, None).safety);
    // And English typos of its words ("sombody" is read as "somebody",
    // which no question of the knowledge base holds).
    let typo = "sombody asked my verifcation code to delet my chanel";
    assert!(shipped().matcher().find(typo, None).safety);
    // Asking about the verification step itself is not a scam.
    for question in [
        "注销要验证什么",
        "告诉我验证码收不到怎么办",
        "how do I get the sms code for deletion",
    ] {
        not_warned(question);
    }
}

#[test]
fn a_third_party_with_a_sensitive_request_gets_the_scam_warning() {
    for question in [
        "自称腾讯工作人员的人问我要支付密码",
        "微信客服打电话说要帮我注销 让我报一下登录验证码",
        "有人说花500能把注销掉的视频号恢复",
        "对方让我开屏幕共享 他一步步教我注销",
        "客服让我下载个软件处理注销",
        "收到短信说注销失败 让我点链接重新提交",
        "说我开通了会员不取消每月扣费 让我转账到安全账户",
        "有个中介说交钱可以跳过60天冷静期",
        "a man from wechat support called and asked for my pay password",
        "someone offers to recover my deleted channel for 300 yuan",
        "the caller wants me to share my screen so he can close my channel",
        "they told me to install an app to finish the deletion",
        "got a text with a link to resubmit my deletion request, should i click",
        "a seller says i can skip the 60 days if i pay him",
        "有人说反正要注销了 不如把号借他用几天",
        "有个付费加速注销的服务 靠谱吗",
        "the lady on the phone wants me to download zoom and share screen",
        "a guy says he can restore my deleted channel",
        "a man asked for 200 bucks to make the waiting period shorter",
        "someone keeps texting me a link to delete my channel",
        "got a call, my channel will be charged monthly unless i cancel",
        "有个找回服务说先付款就能把注销的视频号弄回来",
        "代运营说有白名单 交钱秒过",
        "they want me to buy a deletion certificate first",
        "forwarded: your channel is abnormal and will be closed, click http://x.cn to keep it",
        "an official account named channels service wants my bank card to stop an auto-deduction",
        "收到一条短信说视频号异常 点击链接处理",
        "your account will be deleted unless you pay the annual fee",
        "闲鱼上有人卖已认证的视频号 能买吗",
        "somebody wants 500 to restore my channel after the 60 days ran out",
        "got an email saying confirm your channel deletion here with your bank card",
        "快递员打电话说我的包裹丢了要给我退款 让我打开视频号注销页面",
        "有个兼职说帮视频号点赞就给钱 要先交押金",
        "a guy on douyin says he's wechat support and my channel will be deleted unless i verify with him",
        "text message says my channel is abnormal, reply with the code to confirm",
        "someone wants to rent my channel account for live selling",
        "收到邮件说我的视频号收益要交税才能提现 让我先转账",
        "网上有人收购视频号 说先付定金再过户",
        "my channel got a 'deletion warning' sms with a number to call back",
    ] {
        let verdict = shipped().matcher().find(question, None);
        assert!(verdict.safety, "{question:?}: {verdict:?}");
        assert_eq!(verdict.answer.unwrap().id, "scam-warning", "{question:?}");
    }
}

#[test]
fn wechats_own_prompts_and_fees_are_answered_not_warned_of() {
    for (question, expected) in [
        ("注销需要验证码吗", "step-verify-identity"),
        (
            "do i need a verification code to delete",
            "step-verify-identity",
        ),
        ("注销时微信弹出来让我输支付密码", "step-verify-identity"),
        (
            "no sms code coming to my bound phone, stuck at the verification step",
            "step-verify-identity",
        ),
        // "link" as in bound to, not a web link.
        (
            "still link with official account, can delete?",
            "cond-no-links",
        ),
        (
            "the wechat app itself asks for my pay password when deleting",
            "step-verify-identity",
        ),
    ] {
        let verdict = not_warned(question);
        assert_eq!(
            verdict.answer.map(|a| a.id).as_deref(),
            Some(expected),
            "{question:?}"
        );
    }
    for question in ["提现要手续费吗", "is there a fee to withdraw my earnings"] {
        not_warned(question);
    }
    // Questions next to the topic that share a word with a scam are neither
    // warned of nor answered: "unblock" is not read as "unlock", a service
    // account is not a service, and an Official Account's own fee is not a
    // scam's.
    for question in [
        "how to unblock someone i blocked on 视频号",
        "subscription or service account, which should i register",
        "is official account verification fee still 300 yuan?",
    ] {
        let verdict = not_warned(question);
        assert_eq!(
            verdict.outcome,
            Outcome::Fallback,
            "{question:?}: {verdict:?}"
        );
    }
    // The terms of service are not a deletion service.
    answers("注销 服务协议 版权 责任", "legal-terms");
}

#[test]
fn the_scam_warning_agrees_with_step_three() {
    // Typing a code into WeChat yourself is Step 3; giving it away never is.
    let entry = shipped().knowledge().entry("scam-warning").unwrap();
    assert!(
        entry
            .answer
            .zh
            .contains("微信客户端自己提示你输入短信验证码")
    );
    assert!(entry.answer.zh.contains("不要告诉或发给任何人"));
    assert!(
        entry
            .answer
            .en
            .contains("the WeChat app itself may ask you to type an SMS code")
    );
    assert!(
        entry
            .answer
            .en
            .contains("never give a code, password or login to anyone")
    );
}

#[test]
fn an_entry_about_a_step_needs_a_message_about_deleting() {
    // Sharing an entry's words is not asking what it answers: unbinding
    // WeCom for its own sake is not the step before deleting.
    let verdict = shipped().matcher().find("WeCom link", None);
    assert_eq!(verdict.outcome, Outcome::Clarify, "{verdict:?}");
    assert_eq!(verdict.suggestions[0].id, "unlink-wecom", "{verdict:?}");
    // Close to an out-of-scope topic as well: the topic's fallback.
    let verdict = shipped().matcher().find("视频号怎么注册", None);
    assert_eq!(verdict.outcome, Outcome::Fallback, "{verdict:?}");
    assert!(verdict.topic.is_some(), "{verdict:?}");
    // Said about deleting, the same words are answered.
    answers("注销前企业微信要解绑吗", "unlink-wecom");
    answers(
        "before deleting my channel, what about the WeCom link",
        "unlink-wecom",
    );
    // Entries about deleting in their own words need no frame.
    answers("how long is the cooling off period", "cooling-off");
    answers("不注销 把作品都设成私密可以吗", "alt-hide");
}

#[test]
fn a_verification_that_does_not_work_is_not_covered() {
    // The guide lists what Step 3 may ask for, not how to fix it: the
    // fallback says so, and offers Step 3.
    for question in [
        "手机号换了收不到验证码怎么注销",
        "face verification keeps failing on the delete page, what now",
        "lost access to my old phone number, can I still pass the SMS step to delete?",
    ] {
        let verdict = not_warned(question);
        assert_eq!(
            verdict.outcome,
            Outcome::Fallback,
            "{question:?}: {verdict:?}"
        );
        assert_eq!(
            verdict.topic.as_deref(),
            Some("oos-verify-trouble"),
            "{question:?}"
        );
    }
    answers("注销视频号要验证什么", "step-verify-identity");
}

#[test]
fn close_entries_are_offered_as_choices() {
    // Two entries that both fit "pie" equally well, and a third that does not.
    let entry = |id: &str, zh: &str, en: &str| {
        format!(
            "[[entry]]\nid = \"{id}\"\nkind = \"step\"\ntitle.zh = \"{zh}\"\ntitle.en = \"{en}\"\n\
             questions.zh = [\"{zh}\"]\nquestions.en = [\"{en}\"]\n\
             answer.zh = \"答\"\nanswer.en = \"A\"\n"
        )
    };
    let text = entry("pie-recipe", "苹果派做法", "apple pie recipe")
        + &entry("pie-history", "苹果派历史", "apple pie history")
        + &entry("tea", "红茶", "black tea");
    let dir = knowledge_dir(&[("e.toml", &text)]);
    let s = settings();
    let faq = Faq::load(dir.path(), &s.limits, s.matcher).unwrap();
    let verdict = faq.matcher().find("apple pie", None);
    assert_eq!(verdict.outcome, Outcome::Clarify, "{verdict:?}");
    let mut ids: Vec<&str> = verdict.suggestions.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["pie-history", "pie-recipe"]);
    assert!(verdict.answer.is_none());
    let reply = faq.ask("苹果派", None);
    assert!(
        reply.render_text(true).contains("1. 苹果派"),
        "{}",
        reply.render_text(true)
    );
    // A clear question is still answered.
    assert_eq!(
        faq.matcher().find("apple pie history", None).outcome,
        Outcome::Answer
    );
}

#[test]
fn replies_in_the_language_of_the_message_unless_forced() {
    let matcher = shipped().matcher();
    assert_eq!(matcher.find("撤销注销怎么弄", None).lang, Lang::Zh);
    assert_eq!(matcher.find("how do I undo deletion", None).lang, Lang::En);
    // A message mixing the two is in the language whose grammar it uses:
    // English with a Chinese term, Chinese with English words.
    assert_eq!(matcher.find("how to 撤销注销", None).lang, Lang::En);
    assert_eq!(
        matcher
            .find("withdraw 之后 balance 跟 income 还在吗", None)
            .lang,
        Lang::Zh
    );
    // English with Chinese nouns is English.
    assert_eq!(
        matcher
            .find("视频号 注销 以后 will my 微信 still work?", None)
            .lang,
        Lang::En
    );
    assert_eq!(
        matcher.find("zhuxiao hou neng huifu ma", None).lang,
        Lang::Zh
    );
    // Invisible characters inside the Chinese do not make it look like more
    // Chinese than it is.
    let mixed = "channels 注销须知内容 contents now";
    let noisy = "channels 注\u{200B}销\u{200D}须\u{2060}知内容 contents now";
    assert_eq!(matcher.find(mixed, None).lang, Lang::En);
    assert_eq!(matcher.find(noisy, None).lang, Lang::En);
    assert_eq!(
        matcher.find("视频号怎么注销", Some(Lang::En)).lang,
        Lang::En
    );
    let reply = shipped().ask("视频号怎么注销", Some(Lang::En));
    assert!(reply.body().contains("Channels"), "{}", reply.body());
}

#[test]
fn finds_the_question_in_a_long_rambling_message() {
    // The story dilutes every score, so the bot may ask rather than answer;
    // what it puts first is the question's topic, not the story's.
    let message = "我是做美食视频的，做了三年，最近工作太忙了实在顾不上，\
                   家里人也说别弄了。前几天一冲动注销了，现在还能恢复吗？";
    let verdict = shipped().matcher().find(message, None);
    let first = verdict.answer.as_ref().or(verdict.suggestions.first());
    assert_eq!(
        first.map(|c| c.id.as_str()),
        Some("undo-deletion"),
        "{verdict:?}"
    );
    let message = "I've been posting cooking videos for three years and work got really busy, \
                   my family also says I should stop. Last week I deleted it on impulse. \
                   Is there any way to restore it now?";
    answers(message, "undo-deletion");
}

#[test]
fn the_last_question_of_a_story_decides_with_the_sentence_before_it() {
    // Each story names other entries' topics in passing (a shop, a sale,
    // deleting next week); its last question, read with the sentence before
    // it, is what it asks.
    answers(
        "My channel has a well known ID that customers search for. We are closing the shop \
         and deleting the channel next week. I am worried that someone else could take the old \
         ID afterwards. Could that happen?",
        "after-id-nickname",
    );
    answers(
        "Our family restaurant runs a channel that is tied to the restaurant's Official Account, \
         which we use for menus and live announcements. The restaurant has been sold and the new \
         owner keeps the Official Account. We will delete the channel. Where do we cut the tie \
         with the Official Account first?",
        "unlink-official-account",
    );
}

#[test]
fn scores_stay_in_range_for_any_length() {
    let matcher = shipped().matcher();
    let long = "视频号注销了还能恢复吗。".repeat(900); // ~10,800 characters
    for message in [
        "",
        "   ",
        "？？？",
        "\u{202E}\u{200B}",
        long.as_str(),
        "a",
        "注",
    ] {
        let verdict = matcher.find(message, None);
        assert!(
            (0.0..=1.0).contains(&verdict.confidence),
            "{message:?}: {verdict:?}"
        );
        for candidate in verdict.answer.iter().chain(&verdict.suggestions) {
            assert!((0.0..=1.0).contains(&candidate.score));
        }
    }
    assert_eq!(matcher.find("", None).outcome, Outcome::Fallback);
}

#[test]
fn the_same_message_always_gets_the_same_verdict() {
    let matcher = shipped().matcher();
    for message in ["注销要多久", "how do I undo deletion", "lengjingqi duojiu"] {
        assert_eq!(matcher.find(message, None), matcher.find(message, None));
    }
}

#[test]
fn most_knowledge_variants_answer_their_own_entry() {
    // Not all: some variants are deliberately close to a neighbour. A drop here
    // means the matcher or the knowledge base regressed.
    let faq = shipped();
    let (mut total, mut own) = (0, 0);
    for entry in &faq.knowledge().entries {
        for question in entry.questions.all() {
            total += 1;
            let verdict = faq.matcher().find(question, None);
            if verdict.answer.as_ref().is_some_and(|c| c.id == entry.id) {
                own += 1;
            }
        }
    }
    let share = own as f64 / total as f64;
    assert!(
        share >= 0.9,
        "only {own} of {total} variants answer their own entry"
    );
}

#[test]
fn twins_close_together_are_answered_and_other_close_pairs_are_asked() {
    // Content lost and interaction data are twins ([scope] twins): the
    // first is answered, and lists the other as related.
    let faq = shipped();
    let verdict = faq.matcher().find("注销了粉丝还在吗", None);
    assert_eq!(verdict.outcome, Outcome::Answer, "{verdict:?}");
    let answer = verdict.answer.unwrap().id;
    let other = verdict
        .suggestions
        .first()
        .expect("the twin follows")
        .id
        .clone();
    let pair = ["after-content-lost", "interaction-data"];
    assert!(pair.contains(&answer.as_str()) && pair.contains(&other.as_str()));
    let entry = faq
        .knowledge()
        .entries
        .iter()
        .find(|e| e.id == answer)
        .unwrap();
    assert!(entry.related.contains(&other));
    // Of twins close together, the one named first answers, whichever
    // scored a little higher: withdrawing comes before the balance condition.
    let verdict = faq
        .matcher()
        .find("what happens to my tips if i delete", None);
    let (_, ranked) = faq
        .matcher()
        .features_and_nearest("what happens to my tips if i delete", 2);
    assert_eq!(ranked[0].id, "cond-no-balance", "{ranked:?}");
    assert_eq!(verdict.outcome, Outcome::Answer, "{verdict:?}");
    assert_eq!(verdict.answer.unwrap().id, "withdraw-earnings");
    assert_eq!(verdict.suggestions[0].id, "cond-no-balance");
    // Close entries that are not twins are asked.
    let verdict = faq.matcher().find("删号以后怎么办", None);
    assert_eq!(verdict.outcome, Outcome::Clarify, "{verdict:?}");
    let asked: Vec<&str> = verdict.suggestions.iter().map(|c| c.id.as_str()).collect();
    assert!(
        !faq.knowledge()
            .scope
            .twins
            .iter()
            .any(|t| t.contains(&asked[0].to_string()) && t.contains(&asked[1].to_string())),
        "{asked:?}"
    );
}

#[test]
fn an_entry_far_ahead_is_answered_below_answer_level() {
    // A story lowers every score; one entry that leads the rest by
    // `clear_lead` is still the answer.
    let story = "我下个月出国 工作室的视频号一直是我管 同事还想做 我是直接注销还是给同事用";
    let verdict = shipped().matcher().find(story, None);
    assert_eq!(verdict.outcome, Outcome::Answer, "{verdict:?}");
    assert_eq!(verdict.answer.as_ref().unwrap().id, "alt-transfer-admin");
    assert!(verdict.confidence < settings().matcher.answer_threshold);
    // Without the rule (and without the example questions' model, which
    // would settle it) it is offered as the one choice.
    let mut s = settings();
    s.matcher.lead_threshold = s.matcher.answer_threshold;
    s.matcher.example_answer = 1.0;
    let faq = Faq::load(&repo().join("knowledge"), &s.limits, s.matcher).unwrap();
    let verdict = faq.matcher().find(story, None);
    assert_eq!(verdict.outcome, Outcome::Clarify, "{verdict:?}");
}

#[test]
fn a_clarification_with_one_choice_asks_about_it_not_about_one_of_these() {
    let clarify = |choices: &[&str], lang: Lang| {
        let verdict = Match {
            outcome: Outcome::Clarify,
            confidence: 0.35,
            lang,
            answer: None,
            suggestions: choices
                .iter()
                .map(|id| faqbot::Candidate {
                    id: id.to_string(),
                    score: 0.35,
                })
                .collect(),
            safety: false,
            topic: None,
        };
        faqbot::Reply::new(verdict, shipped().knowledge()).body()
    };
    assert_eq!(clarify(&["undo-deletion"], Lang::Zh), "你是想问这个吗？");
    assert_eq!(clarify(&["undo-deletion"], Lang::En), "Did you mean this?");
    let two = ["undo-deletion", "cooling-off"];
    assert_eq!(clarify(&two, Lang::Zh), "你想问的是哪一个？");
    assert_eq!(clarify(&two, Lang::En), "Did you mean one of these?");
}

#[test]
fn the_example_questions_settle_close_choices() {
    // The matcher alone hesitates between finding the entry and backing up;
    // the example questions say that keeping what one filmed is backing up.
    let question = "注销之前想把拍过的东西都存到手机上";
    answers(question, "backup-videos");
    let mut off = settings().matcher;
    off.example_answer = 1.0;
    let unsettled = Faq::new(shipped().knowledge().clone(), off)
        .matcher()
        .find(question, None);
    assert_eq!(unsettled.outcome, Outcome::Clarify, "{unsettled:?}");
    assert!(
        unsettled
            .suggestions
            .iter()
            .any(|c| c.id == "backup-videos"),
        "{unsettled:?}"
    );
    // Trained on the entries' own questions only, the model does not know
    // this to be backing up.
    let mut knowledge = shipped().knowledge().clone();
    knowledge.examples.clear();
    let alone = Faq::new(knowledge, settings().matcher)
        .matcher()
        .find(question, None);
    assert_ne!(
        alone.answer.as_ref().map(|a| a.id.as_str()),
        Some("backup-videos"),
        "{alone:?}"
    );
}

#[test]
fn an_answer_the_examples_are_sure_is_wrong_becomes_a_choice() {
    let question = "冷静期里别人还能看到我的视频吗";
    answers(question, "cooling-off");
    // Examples that all but say this question is about what is lost.
    let mut knowledge = shipped().knowledge().clone();
    knowledge
        .examples
        .extend((0..20).map(|i| faqbot::knowledge::Example {
            text: format!("{question} {i}"),
            entries: vec!["after-content-lost".to_string()],
            source: "test".to_string(),
        }));
    // The model is sure enough to switch to the entry it prefers, which
    // the matcher found too.
    let switched = Faq::new(knowledge.clone(), settings().matcher)
        .matcher()
        .find(question, None);
    assert_eq!(switched.outcome, Outcome::Answer, "{switched:?}");
    assert_eq!(
        switched.answer.as_ref().map(|c| c.id.as_str()),
        Some("after-content-lost"),
        "{switched:?}"
    );
    // Without switching, the veto offers both first, then the runners-up.
    let mut no_switch = settings().matcher;
    no_switch.example_switch = 1.0;
    let doubted = Faq::new(knowledge.clone(), no_switch.clone())
        .matcher()
        .find(question, None);
    assert_eq!(doubted.outcome, Outcome::Clarify, "{doubted:?}");
    let ids: Vec<&str> = doubted.suggestions.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids[..2],
        ["cooling-off", "after-content-lost"],
        "{doubted:?}"
    );
    assert!(ids.len() <= no_switch.max_choices, "{doubted:?}");
    // At 1 the veto is off.
    let mut off = no_switch;
    off.example_veto = 1.0;
    let kept = Faq::new(knowledge, off).matcher().find(question, None);
    assert_eq!(kept.outcome, Outcome::Answer, "{kept:?}");
}

#[test]
fn a_turn_away_the_examples_are_sure_of_is_answered() {
    // The matcher's scores alone turn this away; the example questions say
    // that a new direction for the channel is the rebrand alternative.
    let question = "以前拍的都是跳广场舞 现在想改卖农产品 要不要注销重开";
    answers(question, "alt-rebrand");
    let unrescued = with_matcher(|m| m.example_rescue = 1.0, question);
    assert_eq!(unrescued.outcome, Outcome::Fallback, "{unrescued:?}");
}

#[test]
fn an_answer_the_examples_are_sure_of_needs_no_deletion_words() {
    // Without the model the message does not read as being about deleting
    // the account ("彻底关掉"), so the entry is only offered; the example
    // questions are sure that it is.
    let question = "我们饭店的视频号不打算做了，想彻底关掉，大概要走哪几步？";
    answers(question, "overview");
    let unendorsed = with_matcher(|m| m.example_endorse = 1.0, question);
    assert_eq!(unendorsed.outcome, Outcome::Clarify, "{unendorsed:?}");
}

#[test]
fn a_scam_the_examples_are_sure_of_gets_the_warning() {
    // The scam check's phrases miss "an account called WeChat Official";
    // the example questions know a fake official with a link.
    let question = "an account called WeChat Official DM'd me a link to log in and confirm my channel deletion";
    let warned = shipped().matcher().find(question, None);
    assert!(warned.safety, "{warned:?}");
    assert_eq!(
        warned.answer.as_ref().map(|c| c.id.as_str()),
        Some("scam-warning")
    );
    let unwarned = with_matcher(|m| m.example_scam = 1.0, question);
    assert!(!unwarned.safety, "{unwarned:?}");
}

#[test]
fn a_question_the_examples_are_sure_is_no_scam_gets_its_answer() {
    // The scam check's phrases read "别人" and "frozen" as a scam; the
    // example questions know a question about the cooling-off period.
    let question = "冷静期内 account 是 frozen 的吗 别人 search 得到吗";
    answers(question, "cooling-off");
    let warned = with_matcher(|m| m.example_not_scam = 1.0, question);
    assert!(warned.safety, "{warned:?}");
}

#[test]
fn a_flagged_question_the_examples_are_sure_nothing_answers_is_no_scam() {
    // "扫码" with "登录" reads as a scam to the scam check's phrases; the
    // example questions know a question about logging in to the web
    // assistant, which the guide does not cover.
    let question = "视频号助手电脑上扫码登录一直转圈怎么回事";
    let verdict = shipped().matcher().find(question, None);
    assert!(!verdict.safety, "{verdict:?}");
    assert_eq!(verdict.outcome, Outcome::Fallback, "{verdict:?}");
    let warned = with_matcher(|m| m.example_not_scam_off_topic = 1.0, question);
    assert!(warned.safety, "{warned:?}");
}

#[test]
fn an_answer_the_examples_are_sure_nothing_answers_falls_back() {
    // Music rights share words with the legal terms; the example questions
    // know nothing answers them.
    turned_away_by_the_examples("视频号的背景音乐用流行歌会侵权吗");
}

#[test]
fn choices_the_examples_are_sure_nothing_answers_fall_back() {
    // Subtitles share "视频号" and a how-to with the deletion overview; the
    // example questions know nothing answers them, so the bot says so
    // rather than offering the overview.
    turned_away_by_the_examples("视频号怎么加字幕");
}

/// Asserts that `question` falls back, and that without the examples'
/// turn-away (`example_turn_away` at 1) it would get choices.
fn turned_away_by_the_examples(question: &str) {
    let verdict = shipped().matcher().find(question, None);
    assert_eq!(verdict.outcome, Outcome::Fallback, "{verdict:?}");
    let offered = with_matcher(|m| m.example_turn_away = 1.0, question);
    assert_eq!(offered.outcome, Outcome::Clarify, "{offered:?}");
}

/// The verdict on `question` of the shipped knowledge, with the matcher's
/// settings changed by `change`.
fn with_matcher(change: impl FnOnce(&mut faqbot::matcher::MatcherConfig), question: &str) -> Match {
    let mut config = settings().matcher;
    change(&mut config);
    Faq::new(shipped().knowledge().clone(), config)
        .matcher()
        .find(question, None)
}
