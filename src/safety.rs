//! The scam check, made before a message is matched.
//!
//! A message is a scam scenario when it holds one of the knowledge's
//! `[safety]` triggers ("代注销", "safe account"; a trigger written `A+B`
//! needs both), or when it names a third party (a person, "staff", a call, a
//! link, an app, a seller) and a sensitive request (a code, a password,
//! money, a sum such as "花500" or "300 yuan", installing, clicking), unless it says the request comes from
//! WeChat itself ("微信弹出", "into WeChat myself"): typing a code or the Pay
//! password into the WeChat app is Step 3 of deleting, not a scam. A request
//! an English negation denies just before it ("she doesn't need my
//! password", "so strangers do not see my face") is not made.
//!
//! In a message of several sentences, the party and the request must come
//! in one sentence or two in a row, and in a story of
//! [`STORY_SENTENCES`] or more, in one: a long story names "the seller" in
//! one place and "a refund" in another without anyone asking the user for
//! anything, while a retold scam says who asked for what together ("he
//! asked for the code").

use crate::knowledge::Safety;
use crate::phrases::Phrases;

/// From this many sentences on, a message is a story: its party and
/// request must come in one sentence.
pub const STORY_SENTENCES: usize = 4;

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
    /// Every phrase, labelled with its place in `cues` and `texts`.
    phrases: Phrases<u32>,
    cues: Vec<Cue>,
    texts: Vec<String>,
    /// Per trigger, the bit mask of all its parts, and the trigger as written.
    complete: Vec<(u8, String)>,
}

/// Why a message is a scam scenario ([`ScamCheck::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// It holds all parts of this trigger (written `A+B`).
    Trigger(String),
    /// It names this party and this request, in one sentence or two in a row.
    PartyAndRequest { party: String, request: String },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Trigger(trigger) => write!(f, "the trigger \"{trigger}\""),
            Why::PartyAndRequest { party, request } => {
                write!(f, "the party \"{party}\" with the request \"{request}\"")
            }
        }
    }
}

impl ScamCheck {
    /// Builds the check from the knowledge's `[safety]`.
    pub fn new(safety: &Safety) -> ScamCheck {
        let mut cues = Vec::new();
        let mut texts = Vec::new();
        let mut complete = Vec::with_capacity(safety.triggers.len());
        for (trigger, parts) in safety.triggers.iter().enumerate() {
            // Validation keeps triggers to MAX_TRIGGER_PARTS (8) parts, so
            // one byte holds a trigger's parts.
            let parts = &parts[..parts.len().min(8)];
            complete.push((((1u16 << parts.len()) - 1) as u8, parts.join("+")));
            for (part, phrase) in parts.iter().enumerate() {
                cues.push(Cue::Trigger {
                    trigger: trigger as u32,
                    part: part as u8,
                });
                texts.push(phrase.clone());
            }
        }
        for (list, cue) in [
            (&safety.parties, Cue::Party),
            (&safety.requests, Cue::Request),
            (&safety.own, Cue::Own),
        ] {
            for phrase in list {
                cues.push(cue);
                texts.push(phrase.clone());
            }
        }
        let phrases = Phrases::new(texts.iter().cloned().zip(0..));
        ScamCheck {
            entry: safety.entry.clone(),
            phrases,
            cues,
            texts,
            complete,
        }
    }

    /// The entry that answers a scam scenario.
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// Whether a message, given as one or more normalised readings of it
    /// (as typed, and with pinyin read as Chinese), is a scam scenario.
    /// `sentences` gives the message's sentences, normalised; it is called
    /// only when a party and a request are both in the message.
    pub fn is_scam<'t, 's>(
        &self,
        readings: impl IntoIterator<Item = &'t str>,
        sentences: impl FnOnce() -> &'s [String],
    ) -> bool {
        self.explain(readings, sentences).is_some()
    }

    /// [`ScamCheck::is_scam`], saying why.
    pub fn explain<'t, 's>(
        &self,
        readings: impl IntoIterator<Item = &'t str>,
        sentences: impl FnOnce() -> &'s [String],
    ) -> Option<Why> {
        let mut seen = vec![0u8; self.complete.len()];
        let mut found = Found::default();
        for text in readings {
            found = found.or(self.find(text, &mut seen));
        }
        if let Some((_, (_, trigger))) = seen
            .iter()
            .zip(&self.complete)
            .find(|(seen, (all, _))| *seen == all)
        {
            return Some(Why::Trigger(trigger.clone()));
        }
        if found.own {
            return None;
        }
        found.party?;
        found.request?;
        let sentences = sentences();
        let near = if sentences.len() < 2 {
            Some(found)
        } else {
            // A party and a request in one sentence, or (short of a story)
            // in two in a row.
            let each: Vec<Found> = sentences
                .iter()
                .map(|text| self.find(text, &mut seen))
                .collect();
            let story = sentences.len() >= STORY_SENTENCES;
            each.iter()
                .zip(each.iter().skip(1).map(Some).chain([None]))
                .map(|(this, next)| match next {
                    Some(next) if !story => this.or(*next),
                    _ => *this,
                })
                .find(|both| both.party.is_some() && both.request.is_some())
        }?;
        let (Some(party), Some(request)) = (near.party, near.request) else {
            return None;
        };
        let text = |phrase: u32| match phrase {
            SUM => "a sum of money".to_string(),
            phrase => self.texts[phrase as usize].clone(),
        };
        Some(Why::PartyAndRequest {
            party: text(party),
            request: text(request),
        })
    }

    /// The first party and request, and whether own words are, in one
    /// text; and (into `seen`) the trigger parts.
    fn find(&self, text: &str, seen: &mut [u8]) -> Found {
        let mut found = Found {
            request: names_a_sum(text).then_some(SUM),
            ..Found::default()
        };
        self.phrases
            .each_at(text, |at, phrase| match self.cues[phrase as usize] {
                Cue::Trigger { trigger, part } => seen[trigger as usize] |= 1 << part,
                Cue::Party => found.party = found.party.or(Some(phrase)),
                // "she doesn't need my password", "so strangers do not see
                // my face": a request denied is not made.
                Cue::Request if !denied(&text[..at.start]) => {
                    found.request = found.request.or(Some(phrase));
                }
                Cue::Request => {}
                Cue::Own => found.own = true,
            });
        found
    }
}

/// The request found when a text names a sum of money rather than a phrase.
const SUM: u32 = u32::MAX;

/// What [`ScamCheck::find`] found in a text: the first party and request
/// phrase, and whether an own phrase.
#[derive(Debug, Clone, Copy, Default)]
struct Found {
    party: Option<u32>,
    request: Option<u32>,
    own: bool,
}

impl Found {
    fn or(self, other: Found) -> Found {
        Found {
            party: self.party.or(other.party),
            request: self.request.or(other.request),
            own: self.own || other.own,
        }
    }
}

/// How many words before an English request a negation denies it ("never
/// to share a code").
const DENIED_WITHIN: usize = 4;

/// Whether the words just before a request (`before`, normalised) deny it:
/// a "not", "never" or "no" among the last [`DENIED_WITHIN`] English words.
fn denied(before: &str) -> bool {
    const NEGATIONS: [&str; 11] = [
        "not", "never", "no", "dont", "doesnt", "didnt", "wont", "isnt", "arent", "without",
        "nobody",
    ];
    before
        .split_whitespace()
        .rev()
        .take(DENIED_WITHIN)
        .take_while(|word| word.is_ascii())
        .any(|word| NEGATIONS.contains(&word))
}

/// Whether a normalised text names a sum of money: a number of two or more
/// digits after a word of paying (花500, 交300, pay 199) or before a currency
/// (300元, 800块, 150 rmb, 300 yuan), or of three or more after "for" (not
/// "for 100 days").
fn names_a_sum(text: &str) -> bool {
    const BEFORE: [&str; 9] = ["花", "交", "付", "收", "转", "充", "给", "pay ", "paid "];
    const AFTER: [&str; 9] = [
        "元", "块", "rmb", " rmb", " yuan", " usd", " dollars", " bucks", " kuai",
    ];
    // What a number after "for" counts when it is not money.
    const NOT_MONEY: [&str; 9] = [
        " day",
        " week",
        " month",
        " year",
        " fan",
        " follower",
        " video",
        " view",
        " like",
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
                // "for 1500 they can recover it"; not "for 100 days".
                || (i - start >= 3
                    && before.ends_with("for ")
                    && !NOT_MONEY.iter().any(|w| after.starts_with(w)))
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
        check().is_scam([normalize(text).as_str()], || &[])
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
    fn a_request_denied_is_not_made() {
        assert!(!scam("she says she doesn't need my password"));
        assert!(!scam("so strangers do not see my code"));
        assert!(!scam("someone told me never to share a code"));
        // Only the request denied: another in the message still counts.
        assert!(scam(
            "someone said no code is needed now, then he wants my code"
        ));
        assert!(scam("someone wants my code"));
        // Four words on, a negation no longer reaches the request.
        assert!(scam("someone said not now but later please send the code"));
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
        assert!(names_a_sum("they can recover it for 1500 he said"));
        assert!(!names_a_sum("i posted for 100 days"));
        assert!(!names_a_sum("for 60 of them"));
    }

    #[test]
    fn in_a_long_message_the_party_and_the_request_come_near_each_other() {
        let c = check();
        // As a message reads it: the whole normalised, and each sentence.
        let explain = |text: &str| {
            let sentences: Vec<String> = text
                .split('.')
                .map(normalize)
                .filter(|s| !s.is_empty())
                .collect();
            c.explain([normalize(text).as_str()], || &sentences)
        };
        // Apart: a story naming someone, then a code for something else.
        assert_eq!(
            explain("someone sold me a jacket. it broke. the shop sent a code for a discount"),
            None
        );
        // In one sentence, or in two in a row.
        assert!(explain("i got a call. someone wants my code. what now").is_some());
        assert_eq!(
            explain("someone called. he wants my code"),
            Some(Why::PartyAndRequest {
                party: "someone".into(),
                request: "code".into()
            })
        );
        // In a story of four sentences or more, only in one.
        assert_eq!(
            explain("we sell tea. someone left the shop. a code came by sms. can we go on"),
            None
        );
        assert!(explain("we sell tea. i got a call. someone wants my code. i gave it").is_some());
        // A trigger counts anywhere.
        assert_eq!(
            explain("我的号. 还有. 代注销多少钱"),
            Some(Why::Trigger("代注销".into()))
        );
    }

    #[test]
    fn readings_count_together() {
        let c = check();
        assert!(c.is_scam(["有人打电话", "要验证码"], || &[]));
    }
}
