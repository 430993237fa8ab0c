//! The bot's commands: parsing `/cmd[@botname] [args]` and the command
//! menus registered with Telegram in both languages.
//!
//! teloxide's `BotCommands` derive describes commands in one language only;
//! the menus here come from [`text::COMMANDS`] in Chinese and English.

use crate::text;

/// A command sent to the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start [topic-id]`: the welcome, or a topic by deep link.
    Start(Option<String>),
    Help,
    Steps,
    Conditions,
    Alternatives,
    Undo,
    /// `/lang [zh|en]`.
    Lang(Option<String>),
    /// `/forget`: delete what the bot stored about the user.
    Forget,
    /// `/check`: the readiness checklist.
    Check,
    /// `/cooling [date]`: the cooling-off calculator.
    Cooling(Option<String>),
    /// `/reminders`: list and cancel cooling-off reminders.
    Reminders,
    /// `/cancel`: stop the checklist (or a question the bot asked).
    Cancel,
    Reload,
    Stats,
    /// `/unanswered [N]`.
    Unanswered(Option<String>),
    Feedback,
    /// A command this bot does not have.
    Unknown(String),
    /// A command addressed to another bot (`/help@OtherBot`): ignored.
    OtherBot,
}

impl Command {
    /// Parses `text` as a command to the bot named `username`; `None` when
    /// the text is not a command at all.
    pub fn parse(text: &str, username: &str) -> Option<Command> {
        let rest = text.strip_prefix('/')?;
        let (word, args) = match rest.find(char::is_whitespace) {
            Some(at) => (&rest[..at], rest[at..].trim()),
            None => (rest, ""),
        };
        let (name, target) = match word.split_once('@') {
            Some((name, target)) => (name, Some(target)),
            None => (word, None),
        };
        if target.is_some_and(|t| !t.eq_ignore_ascii_case(username)) {
            return Some(Command::OtherBot);
        }
        if name.is_empty() {
            return None;
        }
        let arg = (!args.is_empty()).then(|| args.to_string());
        Some(match name.to_ascii_lowercase().as_str() {
            "start" => Command::Start(arg),
            "help" => Command::Help,
            "steps" => Command::Steps,
            "conditions" => Command::Conditions,
            "alternatives" => Command::Alternatives,
            "undo" => Command::Undo,
            "lang" => Command::Lang(arg),
            "forget" => Command::Forget,
            "check" => Command::Check,
            "cooling" => Command::Cooling(arg),
            "reminders" => Command::Reminders,
            "cancel" => Command::Cancel,
            "reload" => Command::Reload,
            "stats" => Command::Stats,
            "unanswered" => Command::Unanswered(arg),
            "feedback" => Command::Feedback,
            _ => Command::Unknown(name.to_string()),
        })
    }

    /// Whether only admins may use the command.
    pub fn is_admin_only(&self) -> bool {
        matches!(
            self,
            Command::Reload | Command::Stats | Command::Unanswered(_) | Command::Feedback
        )
    }

    /// The command's name as logged.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Start(_) => "start",
            Command::Help => "help",
            Command::Steps => "steps",
            Command::Conditions => "conditions",
            Command::Alternatives => "alternatives",
            Command::Undo => "undo",
            Command::Lang(_) => "lang",
            Command::Forget => "forget",
            Command::Check => "check",
            Command::Cooling(_) => "cooling",
            Command::Reminders => "reminders",
            Command::Cancel => "cancel",
            Command::Reload => "reload",
            Command::Stats => "stats",
            Command::Unanswered(_) => "unanswered",
            Command::Feedback => "feedback",
            Command::Unknown(_) => "unknown",
            Command::OtherBot => "other-bot",
        }
    }
}

/// The command menu in one language: (command, description) pairs, with the
/// admin commands when `admin`.
pub fn menu(lang: crate::Lang, admin: bool) -> Vec<(&'static str, &'static str)> {
    let admin_commands = if admin { text::ADMIN_COMMANDS } else { &[] };
    text::COMMANDS
        .iter()
        .chain(admin_commands)
        .map(|&(command, zh, en)| {
            (
                command,
                match lang {
                    crate::Lang::Zh => zh,
                    crate::Lang::En => en,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "faq_test_bot";

    #[test]
    fn commands_parse_with_and_without_the_bot_name() {
        assert_eq!(Command::parse("/help", ME), Some(Command::Help));
        assert_eq!(
            Command::parse("/HELP@Faq_Test_Bot", ME),
            Some(Command::Help)
        );
        assert_eq!(
            Command::parse("/start undo-deletion", ME),
            Some(Command::Start(Some("undo-deletion".into())))
        );
        assert_eq!(
            Command::parse("/lang  en ", ME),
            Some(Command::Lang(Some("en".into())))
        );
        assert_eq!(Command::parse("/lang", ME), Some(Command::Lang(None)));
        assert_eq!(
            Command::parse("/cooling 11月3日", ME),
            Some(Command::Cooling(Some("11月3日".into())))
        );
        assert_eq!(Command::parse("/check", ME), Some(Command::Check));
        assert_eq!(
            Command::parse("/frobnicate now", ME),
            Some(Command::Unknown("frobnicate".into()))
        );
    }

    #[test]
    fn other_bots_commands_and_plain_text_are_not_ours() {
        assert_eq!(
            Command::parse("/help@OtherBot", ME),
            Some(Command::OtherBot)
        );
        assert_eq!(Command::parse("how do I /undo", ME), None);
        assert_eq!(Command::parse("/", ME), None);
        assert_eq!(Command::parse("/ 注销", ME), None);
    }

    #[test]
    fn menus_are_complete_in_both_languages() {
        let zh = menu(crate::Lang::Zh, false);
        let en = menu(crate::Lang::En, true);
        assert_eq!(zh.len() + text::ADMIN_COMMANDS.len(), en.len());
        for (command, description) in zh.iter().chain(&en) {
            // Telegram: 1-32 characters of a-z, 0-9 and _; description 1-256.
            assert!(command.len() <= 32 && command.bytes().all(|b| b.is_ascii_lowercase()));
            assert!((1..=256).contains(&description.chars().count()));
            assert!(
                Command::parse(&format!("/{command}"), ME).is_some_and(|c| c.name() == *command)
            );
        }
    }
}
