//! Text normalisation: the one place that decides what two spellings of a
//! question have in common.
//!
//! [`normalize`] folds full-width forms and compatibility characters (NFKC),
//! case, traditional to simplified Chinese and written Cantonese to Mandarin;
//! it removes control, bidi and zero-width characters; and it turns
//! punctuation, symbols and emoji into single spaces. Everything that compares
//! texts (the matcher, `faqbot check`'s duplicate detection, the scam
//! triggers) goes through it.

mod cantonese;
mod letter;

pub use letter::without_letter_frame;

use unicode_normalization::{IsNormalized, UnicodeNormalization};

use crate::Lang;

/// Returns the normalised form of `text`: NFKC, lower case, simplified
/// Chinese, with every run of non-word characters collapsed to one space and
/// no leading or trailing space.
///
/// Idempotent: `normalize(&normalize(s)) == normalize(s)`.
pub fn normalize(text: &str) -> String {
    normalize_dialect(text, Dialect::Detect).0
}

/// How [`normalize_dialect`] reads written Cantonese words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// As Mandarin when the text itself shows it is Cantonese.
    Detect,
    /// As Mandarin: the text is one clause of a message that is Cantonese
    /// ("其实我只係想抖下" shows nothing on its own).
    Cantonese,
}

/// [`normalize`], saying whether the text was read as Cantonese.
pub fn normalize_dialect(text: &str, dialect: Dialect) -> (String, bool) {
    let base = normalize_base(text);
    let force = dialect == Dialect::Cantonese;
    match cantonese::to_mandarin(&base, force) {
        Some(mandarin) => (mandarin, true),
        None => (base, force),
    }
}

/// [`normalize`] up to, not including, reading written Cantonese.
fn normalize_base(text: &str) -> String {
    if text.is_ascii() {
        return normalize_ascii(text);
    }
    // Invisible characters go before NFKC too: dropped after it, they would
    // leave combining marks side by side that NFKC had not put in order, and
    // normalising again would reorder them.
    let visible = text
        .chars()
        .filter(|&c| !is_invisible(c) && !is_apostrophe(c));
    // Text already in NFKC (most Chinese) is read as it is. ASCII and the
    // common Chinese characters are in NFKC (a test checks), so text of
    // nothing else needs no table lookups to tell.
    if visible.clone().all(is_plain_nfkc)
        || unicode_normalization::is_nfkc_quick(visible.clone()) == IsNormalized::Yes
    {
        fold(visible, text.len())
    } else {
        fold(visible.nfkc(), text.len())
    }
}

/// The rest of [`normalize`], over the visible characters in NFKC.
fn fold(nfkc: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut folded = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in nfkc {
        if is_invisible(c) || is_apostrophe(c) {
            // "can't" reads as "cant"; a zero-width joiner reads as nothing.
            continue;
        }
        // The common Chinese characters are letters with no case or plain
        // form (a test checks): kept as they are, without looking them up.
        if is_common_han(c) {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push(c);
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            // Pinyin with tone marks (shìpínhào) and accented Latin letters
            // read as their plain letters.
            if let Some(plain) = plain_letter(c) {
                folded.push(plain);
                continue;
            }
            // Lower case can add a combining mark (İ → i + U+0307) that a
            // second pass would turn into a space: keep only letters and
            // digits, so that normalising twice changes nothing.
            folded.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else {
            pending_space = true;
        }
    }
    // Lower case can leave a letter and a mark that compose (ώ and a combining
    // ypogegrammeni are ῴ), which a second pass would join: join them now.
    if !folded.chars().all(is_plain_nfkc)
        && unicode_normalization::is_nfc_quick(folded.chars()) != IsNormalized::Yes
    {
        folded = folded.nfc().collect();
    }
    // fast2s maps character by character (with a little context), so it never
    // reintroduces punctuation or case; the result stays normalised.
    let simplified = fast2s::convert(&folded);
    // 帐号 and 账号 are one word written two ways (帳號 folds to the first).
    if simplified.contains('帐') {
        simplified.replace("帐号", "账号").replace("帐户", "账户")
    } else {
        simplified
    }
}

/// [`normalize`] for ASCII text, which NFKC, lower-casing letter by
/// letter and folding to simplified Chinese leave as it is but for case.
fn normalize_ascii(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_invisible(c) || is_apostrophe(c) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push(c.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    }
    folded
}

/// The plain lower-case letter of a Latin letter with a diacritic (é, ü,
/// the pinyin tone marks ā á ǎ à); `None` for any other character.
fn plain_letter(c: char) -> Option<char> {
    if c.is_ascii() || !matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) {
        return None;
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        base.get_or_insert(d);
    });
    base.filter(|b| b.is_ascii_alphabetic())
        .map(|b| b.to_ascii_lowercase())
}

/// Whether `c` is a Han (Chinese) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF      // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B.. and compatibility supplement
}

/// Whether `c` is a CJK Unified Ideograph of the basic block, where most
/// Chinese text is.
fn is_common_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF)
}

/// Whether `c` is ASCII or a common Chinese character: unchanged by NFC and
/// NFKC, alone or beside any other such character.
pub(crate) fn is_plain_nfkc(c: char) -> bool {
    c.is_ascii() || is_common_han(c)
}

/// Whether `c` belongs to a CJK script (Han, kana, hangul, CJK punctuation).
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3000..=0x30FF      // CJK punctuation, hiragana, katakana
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xFF01..=0xFF60) // full-width forms
}

/// The language a reply to `text` should be in: Chinese if the message holds
/// any CJK character, English otherwise.
pub fn detect_lang(text: &str) -> Lang {
    if text.chars().any(is_cjk) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// Control characters, bidi overrides and zero-width characters: they carry no
/// meaning for matching and must never be echoed back.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD                // soft hyphen
            | 0x180E              // Mongolian vowel separator
            | 0x200B..=0x200F     // zero-width space/joiners, LRM/RLM
            | 0x202A..=0x202E     // bidi embeddings and overrides
            | 0x2060..=0x2064     // word joiner, invisible operators
            | 0x2066..=0x2069     // bidi isolates
            | 0xFE00..=0xFE0F     // variation selectors
            | 0xFEFF) // byte-order mark
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Splits `text` into clauses at sentence and clause punctuation and line
/// breaks, so that a long message can be matched one clause at a time. Empty
/// clauses are dropped.
pub fn clauses(text: &str) -> impl Iterator<Item = &str> {
    clauses_asked(text).map(|clause| clause.text)
}

/// A clause of a message ([`clauses_asked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause<'t> {
    /// The clause, without the punctuation that ended it.
    pub text: &'t str,
    /// Whether a question mark ended it.
    pub asked: bool,
    /// Whether it ended a sentence (a full stop, a question or exclamation
    /// mark, a semicolon or a line break; not a comma).
    pub ends_sentence: bool,
}

/// [`clauses`], each with how it ended.
pub fn clauses_asked(text: &str) -> impl Iterator<Item = Clause<'_>> {
    text.split_inclusive(is_clause_end)
        .map(|piece| {
            let end = piece
                .char_indices()
                .next_back()
                .filter(|&(_, c)| is_clause_end(c));
            Clause {
                text: end.map_or(piece, |(at, _)| &piece[..at]),
                asked: piece.ends_with(['?', '？']),
                ends_sentence: end.is_some_and(|(_, c)| is_sentence_end(c)),
            }
        })
        .filter(|clause| clause.text.chars().any(char::is_alphanumeric))
}

/// Whether a character ends a sentence (a comma ends only a clause).
fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '.' | '!' | '?' | ';' | '。' | '！' | '？' | '；' | '…' | '．' | '｡'
    )
}

/// Whether a character ends a clause.
pub(crate) fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '.'
            | '!'
            | '?'
            | ';'
            | ','
            | '。'
            | '！'
            | '？'
            | '；'
            | '，'
            | '…'
            | '~'
            | '～'
            | '、'
            | '．'
            | '｡'
    )
}

/// Keeps at most `max_chars` characters of `text`: the first and the last
/// half. The middle of a very long message is ignored (questions tend to come
/// at the start or the end), which bounds the time spent on any one message.
pub fn truncate_middle(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= max_chars {
        return text.into();
    }
    let head = max_chars / 2;
    let tail = max_chars - head;
    let mut out: String = text.chars().take(head).collect();
    out.push('\n');
    out.extend(text.chars().skip(count - tail));
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_han_characters_are_letters_that_fold_to_themselves() {
        for c in (0x4E00..=0x9FFF).filter_map(char::from_u32) {
            assert!(c.is_alphanumeric(), "{c}");
            assert!(c.to_lowercase().eq([c]), "{c}");
            assert_eq!(plain_letter(c), None, "{c}");
        }
    }

    #[test]
    fn ascii_and_common_han_characters_are_in_nfc_and_nfkc() {
        let plain = (0..0x80u32)
            .chain(0x4E00..=0x9FFF)
            .filter_map(char::from_u32);
        for c in plain {
            assert!(is_plain_nfkc(c), "{c}");
            assert_eq!(
                unicode_normalization::is_nfkc_quick([c].into_iter()),
                IsNormalized::Yes,
                "{c}"
            );
            assert_eq!(
                unicode_normalization::is_nfc_quick([c].into_iter()),
                IsNormalized::Yes,
                "{c}"
            );
        }
        assert!(!is_plain_nfkc('Ｗ') && !is_plain_nfkc('\u{3000}'));
    }

    #[test]
    fn folds_width_case_and_punctuation() {
        assert_eq!(normalize("ＷｅＣｈａｔ　视频号？？？"), "wechat 视频号");
        assert_eq!(
            normalize("  How do I UNDO deletion?! "),
            "how do i undo deletion"
        );
        assert_eq!(
            normalize("😭视频号注销了还能找回吗"),
            "视频号注销了还能找回吗"
        );
    }

    #[test]
    fn folds_both_spellings_of_account() {
        assert_eq!(normalize("帳號"), "账号");
        assert_eq!(normalize("视频号帐号"), "视频号账号");
        assert_eq!(normalize("帐户"), "账户");
        assert_eq!(normalize("蚊帐"), "蚊帐");
    }

    #[test]
    fn a_clause_of_a_cantonese_message_is_read_as_cantonese() {
        // Nothing in this clause shows it is Cantonese; its message does.
        let clause = "其實我只係想抖下";
        assert_eq!(
            normalize_dialect(clause, Dialect::Detect),
            ("其实我只系想抖下".to_string(), false)
        );
        assert_eq!(
            normalize_dialect(clause, Dialect::Cantonese),
            ("其实我只是想休息一下".to_string(), true)
        );
        assert_eq!(
            normalize_dialect("係咪唔使註銷", Dialect::Detect),
            ("是不是不用注销".to_string(), true)
        );
    }

    #[test]
    fn folds_traditional_to_simplified() {
        assert_eq!(normalize("視頻號怎麼註銷"), "视频号怎么注销");
        assert_eq!(normalize("註銷後能恢復嗎"), "注销后能恢复吗");
        assert_eq!(normalize("冷靜期多久"), "冷静期多久");
    }

    #[test]
    fn strips_invisible_characters_and_apostrophes() {
        assert_eq!(normalize("注\u{200B}销\u{202E}视频号"), "注销视频号");
        assert_eq!(normalize("I can't delete it"), "i cant delete it");
        assert_eq!(normalize("a\u{0007}b"), "ab");
    }

    /// [`normalize`] as first written: NFKC always, whatever the text.
    fn normalize_through_nfkc(text: &str) -> String {
        let visible = text
            .chars()
            .filter(|&c| !is_invisible(c) && !is_apostrophe(c));
        fold(visible.nfkc(), text.len())
    }

    #[test]
    fn ascii_and_nfkc_text_normalise_as_through_nfkc() {
        for s in [
            "",
            "  How do I UNDO deletion?! ",
            "I can't delete it\u{7}\t\r\n",
            "a'b\u{7f}c--d__e",
            "视频号怎么注销",
            "視頻號怎麼註銷？？",
            "ＷｅＣｈａｔ　视频号",
            "e\u{301} é ﬃ ß ẞ Σσς",
            "İstanbul Ǆ",
            "Shìpínhào zhùxiāo ǚ",
            "\u{345}\0\u{363}",
            "Ώ\u{345}",
            "注\u{200B}销\u{202E}视频号",
            "😭视频号注销了还能找回吗",
            "㏢ ① ¼",
        ] {
            assert_eq!(normalize(s), normalize_through_nfkc(s), "{s:?}");
        }
        for b in 0u8..128 {
            let s = format!("a{}B", b as char);
            assert_eq!(normalize(&s), normalize_through_nfkc(&s), "{s:?}");
        }
    }

    #[test]
    fn is_idempotent() {
        for s in [
            "視頻號 怎麼 註銷？",
            "ＡＢＣ def",
            "注销-视频号!!",
            "",
            "   ",
            "Ǆ ǅ ǆ",
            // Lower-casing İ gives i and a combining dot.
            "İstanbul İ",
            "ﬃ ß ẞ Σσς",
            "e\u{200B}\u{301}",
            // Found by the property test: marks NFKC orders once adjacent,
            // and a mark that composes with a letter once it is lower case.
            "\u{345}\0\u{363}",
            "Ώ\u{345}",
            "Shìpínhào zhùxiāo ǚ",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }

    #[test]
    fn detects_language_by_script() {
        assert_eq!(detect_lang("how to 撤销"), Lang::Zh);
        assert_eq!(detect_lang("how do I undo"), Lang::En);
        assert_eq!(detect_lang("？"), Lang::Zh);
    }

    #[test]
    fn splits_clauses_and_truncates_the_middle() {
        let parts: Vec<_> = clauses("我上个月注销了。现在后悔了，还能恢复吗？").collect();
        assert_eq!(parts, ["我上个月注销了", "现在后悔了", "还能恢复吗"]);
        assert_eq!(truncate_middle("abcdef", 4), "ab\nef");
        assert_eq!(truncate_middle("abc", 4), "abc");
    }
}
