//! Written Cantonese read as Mandarin: "點樣刪除視頻號" and "怎样删除视频号"
//! are one question. Hong Kong, Macau and overseas users write the
//! Cantonese words (唔, 冇, 嘅, 咗, 喺, 係咪, 幾耐) that a matcher built on
//! Mandarin would not know.
//!
//! The table maps words after the fold to simplified characters (係 is 系
//! by then), longest first. A word whose Mandarin reading needs context is
//! listed only in the combinations that fix it (系 is 是 in 系咪 and 就系,
//! but 联系 and 系统 keep it), so Mandarin text never changes.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Cantonese words and their Mandarin readings. A reading folds to itself,
/// so folding twice changes nothing (a test checks).
const WORDS: &[(&str, &str)] = &[
    // Questions: how, why, where, how long, how much, whether.
    ("点样", "怎么"),
    ("点解", "为什么"),
    ("点算", "怎么办"),
    ("边度", "哪里"),
    ("边到", "哪里"),
    ("边个", "谁"),
    ("边间", "哪个"),
    ("几耐", "多久"),
    ("几多", "多少"),
    ("乜嘢", "什么"),
    ("咩嘢", "什么"),
    ("做咩", "做什么"),
    ("系咪", "是不是"),
    ("系唔系", "是不是"),
    ("得唔得", "行不行"),
    ("使唔使", "需不需要"),
    ("有冇", "有没有"),
    // 系 is 是 in these (and keeps its own meaning in 联系, 关系, 系统).
    ("唔系", "不是"),
    ("就系", "就是"),
    ("都系", "都是"),
    ("只系", "只是"),
    ("但系", "但是"),
    ("真系", "真是"),
    ("即系", "就是"),
    ("我系", "我是"),
    ("佢系", "他是"),
    // Not, none, not need.
    ("唔使", "不用"),
    ("唔该", "谢谢"),
    ("唔", "不"),
    ("冇", "没有"),
    // Particles of structure and aspect.
    ("嘅", "的"),
    ("咗", "了"),
    ("啲", "些"),
    ("喺", "在"),
    ("嚟", "来"),
    ("删晒", "删掉"),
    ("冇埋", "没了"),
    // People.
    ("佢哋", "他们"),
    ("我哋", "我们"),
    ("你哋", "你们"),
    ("人哋", "别人"),
    ("佢", "他"),
    // Verbs.
    ("睇", "看"),
    ("揾", "找"),
    ("搵", "找"),
    ("攞", "拿"),
    ("畀", "给"),
    ("俾人", "被人"),
    ("俾", "给"),
    ("呃", "骗"),
    ("识唔识", "会不会"),
    ("攞返", "拿回"),
    ("揾返", "找回"),
    ("救返", "救回"),
    ("用返", "用回"),
    ("留返", "留下"),
    ("拎返", "拿回"),
    // Resting, keeping, quitting.
    ("抖下", "休息一下"),
    ("唞下", "休息一下"),
    ("放住", "放着"),
    ("收皮", "不做了"),
    ("储落", "存到"),
    ("定系", "还是"),
    // Time and things.
    ("而家", "现在"),
    ("咁样", "这样"),
    ("噉样", "这样"),
    ("噉", "这样"),
    ("咁", "这么"),
    ("嘢", "东西"),
    ("咩", "什么"),
    ("乜", "什么"),
    ("仲有", "还有"),
    ("仲会", "还会"),
    ("仲可以", "还可以"),
    ("仲未", "还没"),
    ("仲系", "还是"),
    ("仲要", "还要"),
    ("掣", "按钮"),
    // What is named: 个名 is the name, 啲片 the videos.
    ("个名字", "个名字"),
    ("个名", "名字"),
    ("啲片", "些视频"),
    ("条片", "条视频"),
    // Sentence-final particles: nothing to read.
    ("㗎", ""),
    ("喇", ""),
    ("啩", ""),
    ("噃", ""),
    ("咧", ""),
];

/// Characters only Cantonese writes.
fn is_cantonese_character(c: char) -> bool {
    matches!(
        c,
        '唔' | '冇'
            | '嘅'
            | '咗'
            | '啲'
            | '喺'
            | '嚟'
            | '佢'
            | '哋'
            | '睇'
            | '揾'
            | '搵'
            | '攞'
            | '畀'
            | '俾'
            | '嘢'
            | '咩'
            | '噉'
            | '㗎'
            | '啩'
            | '噃'
    )
}

/// Words that show a text is Cantonese though each of their characters is
/// Mandarin too (a word holding a character of [`is_cantonese_character`]
/// shows it already).
const SIGNS: &[&str] = &[
    "点样", "点解", "点算", "边度", "边到", "边个", "边间", "几耐", "几多", "乜嘢", "系咪", "而家",
];

static AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        // A hundred short words: a DFA is small and the fastest to scan
        // every message with.
        .kind(Some(AhoCorasickKind::DFA))
        .build(WORDS.iter().map(|(word, _)| word))
        .expect("the Cantonese words build an automaton")
});

/// `text` (normalised, simplified) with its Cantonese words in Mandarin, or
/// `None` when it holds none or, unless `force`, is not Cantonese.
pub(super) fn to_mandarin(text: &str, force: bool) -> Option<String> {
    // Only a text that is Cantonese is read so: 系 and 仲 are Mandarin
    // words too, and 联系我 must not become 联是我.
    let mut words = AUTOMATON.find_iter(text).peekable();
    words.peek()?;
    if !force
        && !text.chars().any(is_cantonese_character)
        && !words.any(|m| SIGNS.contains(&WORDS[m.pattern().as_usize()].0))
    {
        return None;
    }
    let mut out = replace_words(text);
    // A particle read as nothing may leave a space at an end or two together
    // ("噃 ø"): normalised text has neither.
    if out.starts_with(' ') || out.ends_with(' ') || out.contains("  ") {
        out = out
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    Some(out)
}

/// `text` with every word of the table replaced by its reading.
fn replace_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    AUTOMATON.replace_all_with(text, &mut out, |m, _, out| {
        out.push_str(WORDS[m.pattern().as_usize()].1);
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cantonese_questions_as_mandarin() {
        for (cantonese, mandarin) in [
            ("点样删除视频号", "怎么删除视频号"),
            ("注销要等几耐", "注销要等多久"),
            ("系咪要开满一年", "是不是要开满一年"),
            ("我个号开咗一个礼拜", "我个号开了一个礼拜"),
            (
                "删晒之后啲片仲会唔会喺人哋度见到",
                "删掉之后些视频还会不会在别人度见到",
            ),
            ("有冇其他方法", "有没有其他方法"),
        ] {
            assert_eq!(to_mandarin(cantonese, false).as_deref(), Some(mandarin));
        }
    }

    #[test]
    fn a_particle_read_as_nothing_leaves_no_stray_space() {
        assert_eq!(to_mandarin("噃 ø", false).as_deref(), Some("ø"));
        assert_eq!(to_mandarin("好 㗎 啦", false).as_deref(), Some("好 啦"));
    }

    #[test]
    fn leaves_mandarin_alone() {
        for mandarin in [
            "怎么注销视频号",
            "联系客服",
            "系统提示不满足条件",
            "关系到我的微信吗",
            "我是说而且",
            "点开设置",
            "几天能注销",
            "联系我 就系统 仲裁",
            "晒太阳",
        ] {
            assert_eq!(to_mandarin(mandarin, false), None, "{mandarin}");
        }
    }

    #[test]
    fn folding_a_reading_again_changes_nothing() {
        for (_, reading) in WORDS {
            assert_eq!(
                replace_words(reading),
                *reading,
                "{reading} would change when folded again"
            );
        }
    }
}
