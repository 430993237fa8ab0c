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

/// Introduces "did you mean" choices.
pub fn clarify(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "你想问的是哪一个？",
        Lang::En => "Did you mean one of these?",
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
             输入编号选择列出的话题；/topics 列出全部话题；/lang zh|en 切换语言；/help 显示本帮助；quit 退出。"
        }
        Lang::En => {
            "Type a question, e.g. \"how do I delete my Channels account\".\n\
             Type a number to pick a listed topic; /topics lists all topics; /lang zh|en switches \
             language; /help shows this help; quit leaves."
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
