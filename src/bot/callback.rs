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
}

impl Callback {
    /// The `callback_data` string.
    pub fn encode(&self) -> String {
        match self {
            Callback::Topic { lang, id } => format!("t:{lang}:{id}"),
            Callback::Alternatives { lang } => format!("a:{lang}"),
        }
    }

    /// Parses `callback_data`; `None` for anything this bot did not make.
    pub fn parse(data: &str) -> Option<Callback> {
        if data.is_empty() || data.len() > MAX_CALLBACK_BYTES {
            return None;
        }
        let mut parts = data.splitn(3, ':');
        let kind = parts.next()?;
        let lang = match parts.next()? {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            _ => return None,
        };
        match (kind, parts.next()) {
            ("t", Some(id)) if is_entry_id(id) => Some(Callback::Topic {
                lang,
                id: id.to_string(),
            }),
            ("a", None) => Some(Callback::Alternatives { lang }),
            _ => None,
        }
    }
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
            &format!("t:zh:{}", "a".repeat(41)),
            &"t:zh:a".repeat(20),
        ] {
            assert_eq!(Callback::parse(data), None, "{data:?}");
        }
    }
}
