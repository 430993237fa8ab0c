//! What an inline button carries back to the bot: its `callback_data`,
//! encoded as short ASCII and parsed back with every malformed or foreign
//! value refused.
//!
//! Telegram allows 1-64 bytes of `callback_data`; entry ids are at most 40
//! ASCII bytes (`faqbot check` enforces it), so every button fits.

use crate::Lang;

/// Telegram's limit on `callback_data`, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// A button's action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// Show the entry `id` in `lang`: `t:<lang>:<id>`.
    Topic { lang: Lang, id: String },
    /// List the alternatives to deleting in `lang`: `a:<lang>`.
    Alternatives { lang: Lang },
    /// 👍 (`+:<lang>:<id>`) or 👎 (`-:<lang>:<id>`) on an answer.
    Vote {
        helpful: bool,
        lang: Lang,
        id: String,
    },
    /// "This step doesn't match my app": `m:<lang>:<id>`.
    Mismatch { lang: Lang, id: String },
    /// Admin triage: add a group of unanswered questions to an entry's
    /// questions, `g:<group>:<id>`.
    AddToEntry { group: String, id: String },
    /// Admin triage: ignore a group of unanswered questions, `x:<group>`.
    Ignore { group: String },
}

impl Callback {
    /// The `callback_data` string.
    pub fn encode(&self) -> String {
        match self {
            Callback::Topic { lang, id } => format!("t:{lang}:{id}"),
            Callback::Alternatives { lang } => format!("a:{lang}"),
            Callback::Vote { helpful, lang, id } => {
                format!("{}:{lang}:{id}", if *helpful { '+' } else { '-' })
            }
            Callback::Mismatch { lang, id } => format!("m:{lang}:{id}"),
            Callback::AddToEntry { group, id } => format!("g:{group}:{id}"),
            Callback::Ignore { group } => format!("x:{group}"),
        }
    }

    /// Parses `callback_data`; `None` for anything this bot did not make.
    pub fn parse(data: &str) -> Option<Callback> {
        if data.is_empty() || data.len() > MAX_CALLBACK_BYTES {
            return None;
        }
        let mut parts = data.split(':');
        let kind = parts.next()?;
        let mut lang = || match parts.next()? {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        };
        let callback = match kind {
            "t" | "+" | "-" | "m" => {
                let lang = lang()?;
                let id = parts.next().filter(|id| is_entry_id(id))?.to_string();
                match kind {
                    "t" => Callback::Topic { lang, id },
                    "m" => Callback::Mismatch { lang, id },
                    _ => Callback::Vote {
                        helpful: kind == "+",
                        lang,
                        id,
                    },
                }
            }
            "a" => Callback::Alternatives { lang: lang()? },
            "g" => {
                let group = parts.next().filter(|g| is_group_id(g))?.to_string();
                let id = parts.next().filter(|id| is_entry_id(id))?.to_string();
                Callback::AddToEntry { group, id }
            }
            "x" => Callback::Ignore {
                group: parts.next().filter(|g| is_group_id(g))?.to_string(),
            },
            _ => return None,
        };
        // Nothing may follow.
        parts.next().is_none().then_some(callback)
    }

    /// Whether only admins may press this button.
    pub fn is_admin_action(&self) -> bool {
        matches!(self, Callback::AddToEntry { .. } | Callback::Ignore { .. })
    }
}

/// The shape of a group id (see [`crate::report::UnansweredGroup::id`]).
fn is_group_id(id: &str) -> bool {
    id.len() == 12
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The shape `faqbot check` allows for entry ids.
fn is_entry_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_round_trip_within_telegrams_limit() {
        let longest = "a".repeat(40);
        for callback in [
            Callback::Topic {
                lang: Lang::Zh,
                id: longest.clone(),
            },
            Callback::Topic {
                lang: Lang::En,
                id: "undo-deletion".into(),
            },
            Callback::Alternatives { lang: Lang::En },
            Callback::Vote {
                helpful: false,
                lang: Lang::Zh,
                id: longest.clone(),
            },
            Callback::Mismatch {
                lang: Lang::En,
                id: longest.clone(),
            },
            Callback::AddToEntry {
                group: "0123456789ab".into(),
                id: longest.clone(),
            },
            Callback::Ignore {
                group: "0123456789ab".into(),
            },
        ] {
            let data = callback.encode();
            assert!(data.len() <= MAX_CALLBACK_BYTES, "{data}");
            assert_eq!(Callback::parse(&data), Some(callback));
        }
    }

    #[test]
    fn foreign_and_malformed_data_is_refused() {
        for data in [
            "",
            "t",
            "t:zh",
            "t:fr:overview",
            "t:zh:",
            "t:zh:Overview",
            "t:zh:../etc",
            "t:zh:注销",
            "a:zh:extra",
            "x:zh:overview",
            "reload",
            "+:zh:overview:extra",
            "-:de:overview",
            "m:zh",
            "g:0123456789ab",
            "g:0123456789AB:overview",
            "g:0123456789a:overview",
            "x:",
            "x:0123456789ab:overview",
            &format!("t:zh:{}", "a".repeat(41)),
            &"t:zh:a".repeat(20),
        ] {
            assert_eq!(Callback::parse(data), None, "{data:?}");
        }
    }
}
