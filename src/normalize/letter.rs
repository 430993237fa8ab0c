//! A message written like a letter: "Dear Support, … Kind regards, PR
//! Manager". The greeting and the sign-off say nothing about the question,
//! but their words are read like any others ("regards" like "rewards",
//! "Manager" like an admin to hand the account to), so they are left out of
//! what is matched.

/// Words that open a letter, before the name of whom it is to.
const GREETINGS: [&str; 9] = [
    "dear",
    "hello",
    "hi",
    "hey",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "to whom it may concern",
];

/// Words that close a letter, before the sender's name or title.
const SIGN_OFFS: [&str; 12] = [
    "kind regards",
    "best regards",
    "warm regards",
    "warmest regards",
    "regards",
    "sincerely",
    "yours sincerely",
    "yours faithfully",
    "yours truly",
    "best wishes",
    "many thanks",
    "thank you in advance",
];

/// The most words a greeting's addressee has ("Sir or Madam", "WeChat
/// Channels support team").
const MAX_ADDRESSEE_WORDS: usize = 4;

/// The most words a sign-off's signature has ("Associate, IP & Media
/// Practice").
const MAX_NAME_WORDS: usize = 6;

/// How many bytes at a message's end may hold a sign-off and its signature.
const SIGN_OFF_TAIL: usize = 160;

/// Words of a question, never of an addressee.
const NOT_A_NAME: [&str; 14] = [
    "i", "my", "me", "we", "our", "want", "how", "can", "please", "is", "do", "delete", "what",
    "why",
];

/// `text` without a letter's greeting at its start and sign-off at its end;
/// `text` itself when it has neither, or when nothing would be left.
pub fn without_letter_frame(text: &str) -> &str {
    let body = without_sign_off(without_greeting(text));
    if body.trim().is_empty() { text } else { body }
}

/// `text` after "Dear Support," or "Hello," at its start: a greeting, at
/// most [`MAX_ADDRESSEE_WORDS`] words, then a comma, a colon or a line
/// break.
fn without_greeting(text: &str) -> &str {
    let trimmed = text.trim_start();
    let Some(after) = GREETINGS
        .iter()
        .find_map(|greeting| strip_prefix_ignore_case(trimmed, greeting))
    else {
        return text;
    };
    // The greeting is a word of its own ("Hi," not "History").
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return text;
    }
    let Some(end) = after.find([',', ':', '\n', '，', '：']) else {
        return text;
    };
    let name = &after[..end];
    // An addressee is a few words, none of them the question's own ("Hello
    // I want to delete, how?" is no greeting).
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    if words.len() > MAX_ADDRESSEE_WORDS
        || name.contains(['?', '.', '!'])
        || words.iter().any(|w| NOT_A_NAME.contains(&w.as_str()))
    {
        return text;
    }
    let delimiter = after[end..].chars().next().map_or(0, char::len_utf8);
    &after[end + delimiter..]
}

/// `text` before "Kind regards, PR Manager" at its end: a sign-off after a
/// sentence or a line break, then at most [`MAX_NAME_WORDS`] words with no
/// question in them.
fn without_sign_off(text: &str) -> &str {
    // A sign-off and its signature fit in a message's last few words, and
    // they are English: only that tail is looked at, and only when it has
    // a Latin letter (most Chinese messages are passed over at once).
    let mut start = text.len().saturating_sub(SIGN_OFF_TAIL);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let tail = &text[start..];
    if !tail.bytes().any(|b| b.is_ascii_alphabetic()) {
        return text;
    }
    let lower = tail.to_ascii_lowercase();
    let cut = SIGN_OFFS
        .iter()
        .filter_map(|sign_off| lower.rfind(sign_off))
        .filter(|&at| {
            let before = text[..start + at].trim_end_matches([' ', '\t', '\r']);
            let starts_sentence =
                before.is_empty() || before.ends_with(['.', '!', '?', '\n', ',', '。', '！', '？']);
            let signature = lower[at..].split_once(|c: char| !c.is_alphabetic() && c != ' ');
            let rest = match signature {
                Some((_, rest)) => rest,
                None => "",
            };
            starts_sentence
                && !rest.contains('?')
                && rest.split_whitespace().count() <= MAX_NAME_WORDS
        })
        .min();
    match cut.map(|at| start + at) {
        Some(at) if !text[..at].trim().is_empty() => &text[..at],
        _ => text,
    }
}

/// `text` after `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letters_greeting_and_sign_off_are_left_out() {
        for (text, body) in [
            (
                "Dear Support,\n\nWe submitted the closure request on Monday. Can we still post?\n\nKind regards,\nCommunications Manager",
                "\n\nWe submitted the closure request on Monday. Can we still post?\n\n",
            ),
            (
                "Hello, my channel is restricted. Can I delete it? Regards, PR Manager",
                " my channel is restricted. Can I delete it? ",
            ),
            (
                "Dear Sir or Madam, I cannot find the button. Yours faithfully, Margaret",
                " I cannot find the button. ",
            ),
            (
                "Hi, how do I delete my channel",
                " how do I delete my channel",
            ),
            (
                "How do I delete my channel? Many thanks",
                "How do I delete my channel? ",
            ),
        ] {
            assert_eq!(without_letter_frame(text), body, "{text}");
        }
    }

    #[test]
    fn what_only_looks_like_a_greeting_or_sign_off_is_kept() {
        for text in [
            // A greeting followed by the question itself.
            "Hello I want to delete my channel, but how?",
            "History of my channel, is it deleted too?",
            "Hi",
            // "regards" inside a sentence, and a question after a sign-off.
            "With regards to my balance, must I withdraw it first?",
            "Thanks. But what about my videos, are they kept?",
            "Hello I want to delete, how?",
            "注销视频号 谢谢",
        ] {
            assert_eq!(without_letter_frame(text), text, "{text}");
        }
    }
}
