//! What an inline button carries back to the bot: its `callback_data`,
//! encoded as short ASCII and parsed back with every malformed or foreign
//! value refused.
//!
//! Telegram allows 1-64 bytes of `callback_data`; entry ids are at most 40
//! ASCII bytes (`faqbot check` enforces it), so every button fits.

use jiff::civil::Date;

use crate::Lang;
use crate::checklist::Answer;

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
    /// Start the readiness checklist: `c:<lang>`.
    StartChecklist { lang: Lang },
    /// Answer question `step` (0-based) of checklist run `run`:
    /// `k:<run, 8 hex>:<step>:<y|n|u>`.
    Checklist { run: u32, step: u8, answer: Answer },
    /// Ask for the day a deletion was requested: `d:<lang>`.
    AskCooling { lang: Lang },
    /// Remind before the cooling-off period of the request made on
    /// `requested` ends: `r:<lang>:<yyyymmdd>`.
    Remind { lang: Lang, requested: Date },
    /// Cancel reminder `id`: `z:<id>`.
    CancelReminder { id: i64 },
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
            Callback::StartChecklist { lang } => format!("c:{lang}"),
            Callback::Checklist { run, step, answer } => {
                format!("k:{run:08x}:{step}:{}", answer.code())
            }
            Callback::AskCooling { lang } => format!("d:{lang}"),
            Callback::Remind { lang, requested } => {
                format!("r:{lang}:{}", requested.strftime("%Y%m%d"))
            }
            Callback::CancelReminder { id } => format!("z:{id}"),
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
            "c" => Callback::StartChecklist { lang: lang()? },
            "d" => Callback::AskCooling { lang: lang()? },
            "k" => {
                let run = parts
                    .next()
                    .filter(|r| {
                        r.len() == 8 && r.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                    })
                    .and_then(|r| u32::from_str_radix(r, 16).ok())?;
                let step = parts.next().filter(|s| is_number(s, 3))?.parse().ok()?;
                let answer = Answer::from_code(parts.next()?)?;
                Callback::Checklist { run, step, answer }
            }
            "r" => {
                let lang = lang()?;
                let day = parts
                    .next()
                    .filter(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))?;
                let requested = Date::strptime("%Y%m%d", day).ok()?;
                Callback::Remind { lang, requested }
            }
            "z" => Callback::CancelReminder {
                id: parts.next().filter(|id| is_number(id, 18))?.parse().ok()?,
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

/// A number as `encode` writes it: 1 to `max` ASCII digits, without
/// leading zeros.
fn is_number(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
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
            Callback::StartChecklist { lang: Lang::Zh },
            Callback::Checklist {
                run: u32::MAX,
                step: 255,
                answer: Answer::Unsure,
            },
            Callback::Checklist {
                run: 0,
                step: 0,
                answer: Answer::Yes,
            },
            Callback::AskCooling { lang: Lang::En },
            Callback::Remind {
                lang: Lang::Zh,
                requested: jiff::civil::date(2026, 11, 3),
            },
            Callback::CancelReminder { id: i64::MAX / 10 },
            Callback::CancelReminder { id: 0 },
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
            "c:fr",
            "k:1:0:y",
            "k:0000000g:0:y",
            "k:00000001:0:x",
            "k:00000001:01:y",
            "k:00000001:1000:y",
            "k:00000001:0:y:extra",
            "r:zh:20261303",
            "r:zh:2026113",
            "r:zh:+2026113",
            "z:-1",
            "z:01",
            "z:99999999999999999999",
            "z:",
        ] {
            assert_eq!(Callback::parse(data), None, "{data:?}");
        }
    }
}
