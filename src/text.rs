//! The bot's own words: every user-facing string that is not knowledge, in
//! both languages, in one place.

use crate::Lang;

/// Said when nothing fits: what the bot can help with, and how to ask.
pub fn fallback(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "抱歉，这个问题我回答不了。我只能解答注销微信视频号的相关问题：怎么注销、注销条件、\
             冷静期和撤销注销、注销前的备份和解绑、不注销的替代办法、注销后的影响。\n\
             可以试试问：“视频号怎么注销”“注销后还能恢复吗”“为什么注销不了”。"
        }
        Lang::En => {
            "Sorry, I can't answer that. I only help with deleting a WeChat Channels (视频号) \
             account: how to delete it, the conditions, the cooling-off period and undoing a \
             deletion, what to back up and unlink first, alternatives to deleting, and what \
             happens afterwards.\nTry: \"how do I delete my Channels account\", \"can I undo \
             the deletion\", \"why can't I delete\"."
        }
    }
}

/// Introduces "did you mean" choices (`choices` of them: one is asked
/// about as itself, not as "one of these").
pub fn clarify(lang: Lang, choices: usize) -> &'static str {
    match (lang, choices) {
        (Lang::Zh, 1) => "你是想问这个吗？",
        (Lang::En, 1) => "Did you mean this?",
        (Lang::Zh, _) => "你想问的是哪一个？",
        (Lang::En, _) => "Did you mean one of these?",
    }
}

/// Labels the related topics under an answer.
pub fn related(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "相关问题",
        Lang::En => "Related",
    }
}

/// Labels what a message matched besides the scam warning.
pub fn also(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "你可能还想了解",
        Lang::En => "You may also want",
    }
}

/// The help text of `faqbot chat`.
pub fn chat_help(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "直接输入问题，比如“视频号怎么注销”。\n\
             输入编号选择列出的话题；/topics 列出全部话题；/check 逐条检查能不能注销；\
             /cooling 11月3日 计算冷静期；/cancel 退出检查；/lang zh|en 切换语言；/help 显示本帮助；quit 退出。"
        }
        Lang::En => {
            "Type a question, e.g. \"how do I delete my Channels account\".\n\
             Type a number to pick a listed topic; /topics lists all topics; /check checks step by \
             step whether you can delete; /cooling Nov 3 works out the cooling-off dates; /cancel \
             stops the check; /lang zh|en switches language; /help shows this help; quit leaves."
        }
    }
}

/// Heading of the topic list.
pub fn topics(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "全部话题：",
        Lang::En => "All topics:",
    }
}

/// Said when a typed number is not one of the listed choices.
pub fn no_such_choice(lang: Lang, max: usize) -> String {
    match (lang, max) {
        (Lang::Zh, 0) => "现在没有可选的编号。".to_string(),
        (Lang::En, 0) => "There is nothing numbered to pick right now.".to_string(),
        (Lang::Zh, max) => format!("请输入 1 到 {max} 之间的编号。"),
        (Lang::En, max) => format!("Please type a number from 1 to {max}."),
    }
}

/// The bot's commands for the command menu and /help: (command, Chinese
/// description, English description). Admin commands are listed apart.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "steps",
        "注销步骤",
        "How to delete the account, step by step",
    ),
    (
        "conditions",
        "注销条件",
        "Conditions you must meet to delete",
    ),
    (
        "check",
        "逐条检查我现在能不能注销",
        "Check step by step whether you can delete yet",
    ),
    (
        "cooling",
        "冷静期计算：/cooling 11月3日",
        "Cooling-off dates: /cooling Nov 3",
    ),
    (
        "undo",
        "撤销注销",
        "Undo a deletion during the cooling-off period",
    ),
    ("reminders", "我的冷静期提醒", "Your cooling-off reminders"),
    ("cancel", "退出进行中的检查", "Stop the check under way"),
    (
        "alternatives",
        "不注销的替代办法",
        "Alternatives to deleting",
    ),
    (
        "lang",
        "切换语言：/lang zh 或 /lang en",
        "Reply language: /lang zh or /lang en",
    ),
    ("help", "使用帮助", "How to use this bot"),
    (
        "forget",
        "删除机器人保存的我的数据",
        "Delete what the bot stored about you",
    ),
];

/// Admin-only commands, shown in admins' own command menus.
pub const ADMIN_COMMANDS: &[(&str, &str, &str)] = &[
    ("reload", "重新加载知识库", "Reload the knowledge files"),
    ("stats", "运行统计", "Questions answered, all time"),
    (
        "unanswered",
        "未解答的问题：/unanswered [N]",
        "Unanswered questions: /unanswered [N]",
    ),
    (
        "feedback",
        "答案评价，最差在前",
        "Answer feedback, worst first",
    ),
];

/// The greeting of /start and /help, before the command list.
pub fn welcome(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "你好！我解答注销微信视频号的问题：怎么注销、为什么注销不了、注销后会失去什么、\
             能否撤销、有没有替代办法。直接发问题给我就行，比如“视频号怎么注销”。"
        }
        Lang::En => {
            "Hi! I answer questions about deleting a WeChat Channels (视频号) account: how to \
             delete it, why it is blocked, what you lose, whether you can undo it, and the \
             alternatives. Just send me a question, e.g. \"how do I delete my Channels account\"."
        }
    }
}

/// Heading of the command list in /help.
pub fn commands_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "命令：",
        Lang::En => "Commands:",
    }
}

/// Labels what a fallback offers next to a topic it does not cover.
pub fn nearby_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "和注销视频号有关的是",
        Lang::En => "What I can tell you, about deleting",
    }
}

/// Labels the main topics offered under a fallback.
pub fn main_topics_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "我能回答的常见问题",
        Lang::En => "What I can help with",
    }
}

/// Heading of the main topics keyboard in the welcome.
pub fn main_topics(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "常见话题：",
        Lang::En => "Common topics:",
    }
}

/// The button and heading for the alternatives to deleting.
pub fn alternatives(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "不注销的替代办法",
        Lang::En => "Alternatives to deleting",
    }
}

/// Said in a private chat about a sticker, photo, voice message and the like.
pub fn text_only(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "我只能回答文字问题，请把问题打出来发给我。",
        Lang::En => "I can only answer text questions; please type your question.",
    }
}

/// Said once to a user who sends too many messages.
pub fn slow_down(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "消息太多了，请稍等一分钟再问。",
        Lang::En => "That's a lot of messages; please wait a minute before asking again.",
    }
}

/// Said about a command the bot does not have.
pub fn unknown_command(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "没有这个命令。发送 /help 查看可用的命令。",
        Lang::En => "I don't know that command. Send /help to see what I can do.",
    }
}

/// Confirms /lang.
pub fn lang_set(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "好的，之后我用中文回复。",
        Lang::En => "OK, I'll reply in English from now on.",
    }
}

/// How to use /lang, after a missing or unknown language.
pub fn lang_usage(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "用法：/lang zh（中文）或 /lang en（English）。",
        Lang::En => "Usage: /lang zh (中文) or /lang en (English).",
    }
}

/// Said to a non-admin who tries an admin command.
pub fn admins_only(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "抱歉，这个命令只有管理员能用。",
        Lang::En => "Sorry, only the bot's admins can use that command.",
    }
}

/// Said about a button whose topic no longer exists or whose data is not ours.
pub fn stale_button(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这个按钮已失效，请重新提问。",
        Lang::En => "This button is out of date; please ask again.",
    }
}

/// Said when a shortcut command's topic is missing from the knowledge.
pub fn topic_missing(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这个话题暂时不可用。",
        Lang::En => "That topic is not available right now.",
    }
}

/// The button under a step: the user's WeChat menus differ from it.
pub fn mismatch_button(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "步骤和我的微信不一样",
        Lang::En => "My app looks different",
    }
}

/// The notice on a 👍 or 👎 once it is saved.
pub fn vote_saved(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "谢谢反馈！",
        Lang::En => "Thanks for the feedback!",
    }
}

/// The notice on a 👍 or 👎 (or a mismatch report) not saved yet.
pub fn vote_pending(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "谢谢！反馈会稍后保存。",
        Lang::En => "Thanks! Your feedback will be saved shortly.",
    }
}

/// The notice on "my app looks different" once it is saved.
pub fn mismatch_saved(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "谢谢告知！我们会按最新版微信核对这一步。",
        Lang::En => "Thanks! We'll check this step against the current WeChat app.",
    }
}

/// Said when the bot's records cannot be read or written just now.
pub fn store_unavailable(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "暂时无法读取记录，请稍后再试。",
        Lang::En => "The bot's records can't be reached right now; please try again later.",
    }
}

/// How to use /unanswered.
pub fn unanswered_usage(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "用法：/unanswered [N]，N 为 1 到 20，默认 5。",
        Lang::En => "Usage: /unanswered [N], N from 1 to 20 (default 5).",
    }
}

/// The triage button that ignores a group.
pub fn ignore_button(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "🚫 忽略",
        Lang::En => "🚫 Ignore",
    }
}

/// Said about a triage button whose group is no longer listed.
pub fn group_gone(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这组问题已不在列表中（可能已处理）。",
        Lang::En => "That group is no longer listed (already handled?).",
    }
}

/// A checklist answer as its button shows it.
pub fn checklist_answer(answer: crate::checklist::Answer, lang: Lang) -> &'static str {
    use crate::checklist::Answer;
    match (answer, lang) {
        (Answer::Yes, Lang::Zh) => "✅ 是",
        (Answer::No, Lang::Zh) => "❌ 否",
        (Answer::Unsure, Lang::Zh) => "❓ 不确定",
        (Answer::Yes, Lang::En) => "✅ Yes",
        (Answer::No, Lang::En) => "❌ No",
        (Answer::Unsure, Lang::En) => "❓ Not sure",
    }
}

/// How to answer a checklist question by typing (the terminal, and the
/// buttons' fallback).
pub fn checklist_typed_answers(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "（回答：是 / 否 / 不确定；/cancel 退出检查）",
        Lang::En => "(Answer: yes / no / not sure; /cancel stops the check)",
    }
}

/// Introduces the fix for a condition not met, or answered "not sure".
pub fn checklist_fix_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "💡 怎么处理：",
        Lang::En => "💡 What to do: ",
    }
}

/// Marks a blocker answered "not sure" in the summary.
pub fn checklist_unsure_mark(status: crate::checklist::Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (crate::checklist::Status::Unsure, Lang::Zh) => "（待确认）",
        (crate::checklist::Status::Unsure, Lang::En) => " (to check)",
        _ => "",
    }
}

/// The summary when every condition is met. The app has the last word, as
/// the guide says.
pub fn checklist_ready(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "✅ 按你的回答，“注销须知”里的条件都满足了。最终以微信的审核为准：如果还有不满足的，系统会给出明确提示。"
        }
        Lang::En => {
            "✅ From your answers, you meet the conditions in the Deletion Notice. WeChat has the \
             final say: if anything is still unmet, the app will tell you clearly."
        }
    }
}

/// Heads the list of what still blocks.
pub fn checklist_blocked(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "⛔ 按你的回答，这些条件还要先处理，全部解决后才能注销：",
        Lang::En => "⛔ From your answers, these still need sorting out before you can delete:",
    }
}

/// Heads the backup reminders.
pub fn checklist_backups(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "📦 提交注销前，别忘了先保存（注销后无法找回）：",
        Lang::En => {
            "📦 Before you submit, save what you want to keep (it can't be recovered later):"
        }
    }
}

/// Points to the next step after the summary.
pub fn checklist_next(title: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("准备好了就看下一步：{title}。"),
        Lang::En => format!("When you're ready, the next step: {title}."),
    }
}

/// The button under condition answers that starts the checklist.
pub fn checklist_button(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "▶ 逐条检查我能不能注销",
        Lang::En => "▶ Check step by step if I can delete",
    }
}

/// Said when a message leaves a checklist under way (it is then answered
/// as usual).
pub fn checklist_left(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "（已退出注销条件检查；发送 /check 可重新开始。）",
        Lang::En => "(Stopped the deletion check; send /check to start again.)",
    }
}

/// Confirms /cancel.
pub fn cancelled(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "好的，已退出。有问题可以直接问我。",
        Lang::En => "OK, stopped. Ask me anything when you like.",
    }
}

/// Said about /cancel when nothing is under way.
pub fn nothing_to_cancel(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "现在没有进行中的检查或计算。",
        Lang::En => "There is nothing under way to stop.",
    }
}

/// Said about a checklist button of a run that has ended or expired.
pub fn checklist_stale(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这次检查已经结束或过期了，发送 /check 重新开始。",
        Lang::En => "That check has ended or expired; send /check to start again.",
    }
}

/// Said when the knowledge has no checklist (or no cooling-off section).
pub fn guided_unavailable(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这个功能暂时不可用。",
        Lang::En => "That is not available right now.",
    }
}

/// A calendar date as the user reads it: 2027年1月2日（周六）, Saturday 2 January 2027.
pub fn date(day: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
            let weekday = WEEKDAYS[usize::from(day.weekday().to_monday_zero_offset() as u8)];
            format!(
                "{}年{}月{}日（周{weekday}）",
                day.year(),
                day.month(),
                day.day()
            )
        }
        Lang::En => day.strftime("%A %-d %B %Y").to_string(),
    }
}

/// The cooling-off dates of a request, hedged as the guide hedges ("usually
/// 60 days") and with WeChat's own dates as what counts. `approximate` says
/// the user gave the request date roughly ("快两个月了"); `section` gives
/// the knowledge's texts: how to undo and what the account is like while
/// the period runs, what to check when it is over by the count, or close to
/// its end with a rough date.
pub fn cooling_dates(
    period: &crate::cooling::Period,
    approximate: bool,
    section: &crate::knowledge::CoolingOff,
    lang: Lang,
) -> String {
    use crate::cooling::Standing;
    let (requested, ends, days) = (
        date(period.requested, lang),
        date(period.ends, lang),
        period.days,
    );
    let (how_to_undo, during) = (section.how_to_undo.get(lang), section.during.get(lang));
    let (over, close) = (section.over.get(lang), section.close.get(lang));
    let (about_zh, about_en) = if approximate {
        ("大约 ", "about ")
    } else {
        (" ", "")
    };
    let basis = match (approximate, lang) {
        (false, Lang::Zh) => format!("按{requested}申请注销、冷静期通常为 {days} 天推算："),
        (true, Lang::Zh) => format!("按大约{requested}申请注销、冷静期通常为 {days} 天粗略推算："),
        (false, Lang::En) => format!(
            "Counting from a request on {requested}, with the usual {days}-day cooling-off period:"
        ),
        (true, Lang::En) => format!(
            "Counting roughly from a request around {requested}, with the usual {days}-day cooling-off period:"
        ),
    };
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    let standing = period.standing_given(approximate);
    let state = match (standing, lang) {
        (Standing::Open { days_left }, Lang::Zh) => format!(
            "冷静期{}到{ends}结束，还剩{about_zh}{days_left} 天。\n✅ 现在还可以撤销：{how_to_undo}",
            if approximate { "大约" } else { "" }
        ),
        (Standing::Open { days_left }, Lang::En) => format!(
            "it ends {} {ends}, {about_en}{days_left} {} from now.\n✅ You can still undo the deletion: {how_to_undo}",
            if approximate { "around" } else { "on" },
            plural(days_left)
        ),
        (Standing::LastDay, Lang::Zh) => format!(
            "冷静期到今天（{ends}）结束。\n⚠️ 今天是最后一天，想撤销请马上操作：{how_to_undo}"
        ),
        (Standing::LastDay, Lang::En) => format!(
            "it ends today, {ends}.\n⚠️ This is the last day; to undo, do it now: {how_to_undo}"
        ),
        (Standing::Close { .. }, Lang::Zh) => {
            format!("冷静期大约在{ends}前后结束，离今天很近。\n⚠️ {close}")
        }
        (Standing::Close { .. }, Lang::En) => {
            format!("it ends around {ends}, close to today.\n⚠️ {close}")
        }
        (Standing::Over { days_ago }, Lang::Zh) if approximate => {
            format!("冷静期应已在{ends}前后结束（{about_zh}{days_ago} 天前）。\n⛔ {over}")
        }
        (Standing::Over { days_ago }, Lang::Zh) => {
            format!("冷静期应已于{ends}结束（{days_ago} 天前）。\n⛔ {over}")
        }
        (Standing::Over { days_ago }, Lang::En) => format!(
            "it would have ended {} {ends}, {about_en}{days_ago} {} ago.\n⛔ {over}",
            if approximate { "around" } else { "on" },
            plural(days_ago)
        ),
    };
    let caveat = match lang {
        Lang::Zh => "具体日期以微信视频号里显示的为准。",
        Lang::En => "The dates shown in WeChat Channels itself are what counts.",
    };
    let gap = if lang == Lang::Zh { "" } else { " " };
    let during = match standing {
        Standing::Open { .. } | Standing::LastDay => format!("\n{during}"),
        Standing::Close { .. } | Standing::Over { .. } => String::new(),
    };
    format!("{basis}{gap}{state}{during}\n{caveat}")
}

/// The calculator's question back, when it has no usable date.
pub fn cooling_ask(problem: crate::cooling::Problem, lang: Lang) -> String {
    use crate::cooling::Problem;
    let ask = match lang {
        Lang::Zh => "你是哪天提交注销申请的？告诉我日期就行，比如“11月3日”“上周三”“3天前”。",
        Lang::En => {
            "Which day did you submit the deletion request? Just tell me the date, e.g. \
             \"Nov 3\", \"last Wednesday\" or \"3 days ago\"."
        }
    };
    match (problem, lang) {
        (Problem::Missing, _) => ask.to_string(),
        (Problem::Future(day), Lang::Zh) => {
            format!(
                "{}还没到，注销申请只能是今天或更早提交的。{ask}",
                date(day, lang)
            )
        }
        (Problem::Future(day), Lang::En) => format!(
            "{} hasn't come yet; a request can only have been made today or earlier. {ask}",
            date(day, lang)
        ),
        (Problem::Invalid, Lang::Zh) => format!("这个日期不存在或看不明白。{ask}"),
        (Problem::Invalid, Lang::En) => {
            format!("I can't read that as a real date. {ask}")
        }
    }
}

/// The button that asks the calculator for the user's dates.
pub fn cooling_button(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "📅 算算我的冷静期到哪天",
        Lang::En => "📅 Work out my cooling-off dates",
    }
}

/// The "remind me" button under the calculator's answer.
pub fn remind_button(day: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("⏰ {}月{}日提醒我", day.month(), day.day()),
        Lang::En => format!("⏰ Remind me on {}", day.strftime("%b %-d")),
    }
}

/// Confirms a reminder.
pub fn reminder_set(day: jiff::civil::Date, new: bool, lang: Lang) -> String {
    match (new, lang) {
        (true, Lang::Zh) => format!(
            "好的，我会在{}提醒你。发送 /reminders 可以查看或取消。",
            date(day, lang)
        ),
        (true, Lang::En) => format!(
            "OK, I'll remind you on {}. Send /reminders to see or cancel it.",
            date(day, lang)
        ),
        (false, Lang::Zh) => format!("这个提醒已经设好了：{}。", date(day, lang)),
        (false, Lang::En) => format!("That reminder is already set for {}.", date(day, lang)),
    }
}

/// The reminder itself, sent before the cooling-off period ends.
pub fn reminder(ends: jiff::civil::Date, how_to_undo: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "⏰ 提醒：你的视频号注销冷静期将在{}结束（按申请日推算，以微信显示为准）。在那之前还可以撤销：{how_to_undo}\n如果决定注销，就什么都不用做。",
            date(ends, lang)
        ),
        Lang::En => format!(
            "⏰ Reminder: the cooling-off period of your Channels deletion ends on {} (counted from your request date; WeChat's own dates count). Until then you can still undo it: {how_to_undo}\nIf you do want the account gone, there is nothing to do.",
            date(ends, lang)
        ),
    }
}

/// Heads the list of /reminders.
pub fn reminders_heading(count: usize, lang: Lang) -> String {
    match (count, lang) {
        (0, Lang::Zh) => "你没有待发送的提醒。查询冷静期（/cooling）后可以设置。".to_string(),
        (0, Lang::En) => {
            "You have no reminders. You can set one after checking your dates with /cooling."
                .to_string()
        }
        (n, Lang::Zh) => format!("你有 {n} 个提醒，点按钮可以取消："),
        (n, Lang::En) => format!("You have {n} reminder(s); press a button to cancel one:"),
    }
}

/// One reminder in /reminders.
pub fn reminder_line(day: jiff::civil::Date, ends: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "• {}提醒（冷静期到{}结束）",
            date(day, lang),
            date(ends, lang)
        ),
        Lang::En => format!(
            "• {} (the cooling-off period ends {})",
            date(day, lang),
            date(ends, lang)
        ),
    }
}

/// The button that cancels a reminder.
pub fn cancel_reminder_button(day: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("取消 {}月{}日的提醒", day.month(), day.day()),
        Lang::En => format!("Cancel {}", day.strftime("%b %-d")),
    }
}

/// Confirms a cancelled reminder, or says it was gone already.
pub fn reminder_cancelled(done: bool, lang: Lang) -> &'static str {
    match (done, lang) {
        (true, Lang::Zh) => "提醒已取消。",
        (true, Lang::En) => "Reminder cancelled.",
        (false, Lang::Zh) => "这个提醒已经不在了（已发送或已取消）。",
        (false, Lang::En) => "That reminder is gone already (sent or cancelled).",
    }
}

/// `/reminders` in `faqbot chat`, which cannot send messages later.
pub fn reminders_on_telegram(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "提醒只能在 Telegram 上设置和查看。",
        Lang::En => "Reminders can only be set and listed on Telegram.",
    }
}
