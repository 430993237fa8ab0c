//! The scam check, made before a message is matched.
//!
//! A message is a scam scenario when it holds one of the knowledge's
//! `[safety]` triggers ("代注销", "safe account"; a trigger written `A+B`
//! needs both), or when it names a third party (a person, "staff", a call, a
//! link, an app, a seller) and a sensitive request (a code, a password,
//! money, a sum such as "花500" or "300 yuan", installing, clicking), unless it says the request comes from
//! WeChat itself ("微信弹出", "into WeChat myself"): typing a code or the Pay
//! password into the WeChat app is Step 3 of deleting, not a scam.

use crate::knowledge::Safety;
use crate::phrases::Phrases;

/// What a phrase of `[safety]` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Part `part` of trigger `trigger`.
    Trigger {
        trigger: u32,
        part: u8,
    },
    Party,
    Request,
    Own,
}

/// The scam check over one knowledge base. Immutable once built.
#[derive(Debug, Clone)]
pub struct ScamCheck {
    entry: String,
    phrases: Phrases<Cue>,
    /// Per trigger, the bit mask of all its parts.
    complete: Vec<u8>,
}

impl ScamCheck {
    /// Builds the check from the knowledge's `[safety]`.
    pub fn new(safety: &Safety) -> ScamCheck {
        let mut phrases = Vec::new();
        let mut complete = Vec::with_capacity(safety.triggers.len());
        for (trigger, parts) in safety.triggers.iter().enumerate() {
            // Validation keeps triggers to MAX_TRIGGER_PARTS (8) parts, so
            // one byte holds a trigger's parts.
            let parts = &parts[..parts.len().min(8)];
            complete.push(((1u16 << parts.len()) - 1) as u8);
            for (part, phrase) in parts.iter().enumerate() {
                let cue = Cue::Trigger {
                    trigger: trigger as u32,
                    part: part as u8,
                };
                phrases.push((phrase.clone(), cue));
            }
        }
        for (list, cue) in [
            (&safety.parties, Cue::Party),
            (&safety.requests, Cue::Request),
            (&safety.own, Cue::Own),
        ] {
            phrases.extend(list.iter().map(|p| (p.clone(), cue)));
        }
        ScamCheck {
            entry: safety.entry.clone(),
            phrases: Phrases::new(phrases),
            complete,
        }
    }

    /// The entry that answers a scam scenario.
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// Whether a message, given as one or more normalised readings of it
    /// (as typed, and with pinyin read as Chinese), is a scam scenario.
    pub fn is_scam<'t>(&self, readings: impl IntoIterator<Item = &'t str>) -> bool {
        let mut seen = vec![0u8; self.complete.len()];
        let (mut party, mut request, mut own) = (false, false, false);
        for text in readings {
            request |= names_a_sum(text);
            self.phrases.each(text, |cue| match cue {
                Cue::Trigger { trigger, part } => seen[trigger as usize] |= 1 << part,
                Cue::Party => party = true,
                Cue::Request => request = true,
                Cue::Own => own = true,
            });
        }
        let triggered = seen.iter().zip(&self.complete).any(|(s, c)| s == c);
        triggered || (party && request && !own)
    }
}

/// Whether a normalised text names a sum of money: a number of two or more
/// digits after a word of paying (花500, 交300, pay 199) or before a currency
/// (300元, 800块, 150 rmb, 300 yuan).
fn names_a_sum(text: &str) -> bool {
    const BEFORE: [&str; 9] = ["花", "交", "付", "收", "转", "充", "给", "pay ", "paid "];
    const AFTER: [&str; 9] = [
        "元", "块", "rmb", " rmb", " yuan", " usd", " dollars", " bucks", " kuai",
    ];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start >= 2 {
            let (before, after) = (&text[..start], &text[i..]);
            if BEFORE.iter().any(|w| before.ends_with(w))
                || AFTER.iter().any(|w| after.starts_with(w))
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn check() -> ScamCheck {
        let list = |words: &[&str]| words.iter().map(|w| normalize(w)).collect();
        ScamCheck::new(&Safety {
            entry: "scam-warning".into(),
            triggers: vec![list(&["代注销"]), list(&["验证码", "发给"])],
            parties: list(&["有人", "客服", "someone"]),
            requests: list(&["验证码", "转账", "code"]),
            own: list(&["微信弹出", "into wechat myself"]),
        })
    }

    fn scam(text: &str) -> bool {
        check().is_scam([normalize(text).as_str()])
    }

    #[test]
    fn a_trigger_alone_is_a_scam_and_all_its_parts_are_needed() {
        assert!(scam("有人能代注销吗"));
        assert!(scam("把验证码发给对方"));
        assert!(!scam("验证码是什么"));
    }

    #[test]
    fn a_party_with_a_request_is_a_scam() {
        assert!(scam("客服让我转账"));
        assert!(scam("someone wants my code"));
        assert!(scam("有人要我的驗證碼"));
        assert!(!scam("客服电话是多少"));
        assert!(!scam("注销时要输验证码吗"));
    }

    #[test]
    fn a_request_from_wechat_itself_is_not() {
        assert!(!scam("微信弹出来让我输验证码 客服说正常"));
        assert!(!scam("someone said i type the code into wechat myself"));
        // A trigger still fires.
        assert!(scam("微信弹出验证码 有人让我把验证码发给他"));
    }

    #[test]
    fn a_sum_of_money_is_a_request() {
        for text in [
            "有人说花500能恢复",
            "客服说交300",
            "someone wants 150 rmb",
            "someone wants 100 bucks",
            "有人要800块",
        ] {
            assert!(scam(text), "{text}");
        }
        assert!(!names_a_sum("申请注销第62天"));
        assert!(!names_a_sum("2023年11月3日"));
        assert!(!names_a_sum("花了3天"));
    }

    #[test]
    fn readings_count_together() {
        let c = check();
        assert!(c.is_scam(["有人打电话", "要验证码"]));
    }
}
