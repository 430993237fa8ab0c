//! Pinyin, used in one direction only: from what the user typed towards the
//! knowledge base's own Chinese words.
//!
//! Two problems are solved here. Typed toneless pinyin ("shipinhao zenme
//! zhuxiao") is split into syllables and replaced by the knowledge base's
//! Chinese words that sound the same (视频号怎么注销). Homophone typos
//! (注消, 视屏号, 冷净期) are fixed by replacing a character sequence that the
//! knowledge base never uses with one it does use that sounds the same and
//! differs in at most one or two characters. Chinese that the knowledge base
//! knows is never touched, so 景点 cannot turn into 经典 unless 景点 is unknown
//! and 经典 is a known word differing in one sound-alike character.
//!
//! "Sounds the same" uses the fuzzy pinyin of Chinese input methods: z/zh,
//! c/ch, s/sh, n/l and the -n/-ng finals are not told apart.

// The index is built from the knowledge base only (never from messages), so
// a fast non-keyed hash is safe here.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

use crate::normalize::is_han;

/// The longest Chinese word, in characters, that pinyin or homophone
/// correction looks for.
const MAX_WORD_CHARS: usize = 4;

/// Every toneless pinyin syllable, as typed (ü as `v` and as `u`).
fn syllables() -> &'static HashSet<String> {
    static SYLLABLES: OnceLock<HashSet<String>> = OnceLock::new();
    SYLLABLES.get_or_init(|| {
        let mut set = HashSet::default();
        for code in 0x4E00u32..=0x9FFF {
            let Some(multi) = char::from_u32(code).and_then(|c| c.to_pinyin_multi()) else {
                continue;
            };
            for reading in multi {
                let plain = reading.plain();
                if plain.contains('ü') {
                    set.insert(plain.replace('ü', "v"));
                    set.insert(plain.replace('ü', "u"));
                } else {
                    set.insert(plain.to_string());
                }
            }
        }
        // Interjections (m, n, ng, hm…) read as English letters far more often.
        set.retain(|s| s.chars().any(|c| "aeiouv".contains(c)));
        set
    })
}

/// Splits an ASCII word into pinyin syllables, preferring the fewest
/// syllables (so `xian` stays one). `None` if it is not all pinyin.
pub fn split_syllables(word: &str) -> Option<Vec<&str>> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let set = syllables();
    let n = word.len();
    // best[i]: fewest syllables covering word[..i], and where the last one starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in end.saturating_sub(6)..end {
            if let Some((count, _)) = best[start]
                && set.contains(&word[start..end])
                && best[end].is_none_or(|(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, start));
            }
        }
    }
    best[n]?;
    let mut parts = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        parts.push(&word[start..end]);
        end = start;
    }
    parts.reverse();
    Some(parts)
}

/// The fuzzy form of one typed or looked-up syllable.
fn fuzzy(syllable: &str) -> String {
    let mut s = syllable.replace('ü', "v");
    for (from, to) in [("zh", "z"), ("ch", "c"), ("sh", "s")] {
        if let Some(rest) = s.strip_prefix(from) {
            s = format!("{to}{rest}");
        }
    }
    if let Some(rest) = s.strip_prefix('n') {
        s = format!("l{rest}");
    }
    if s.len() > 2 && s.ends_with("ng") {
        s.pop();
    }
    s
}

/// The fuzzy reading of a Han character (its most common reading).
fn char_sound(c: char) -> Option<String> {
    c.to_pinyin_multi().map(|multi| fuzzy(multi.get(0).plain()))
}

/// The knowledge base's Chinese vocabulary, indexed by sound.
///
/// Compact, because a large knowledge base has millions of distinct
/// windows: texts are kept once in `arena`, a word is a `Span` of it, and
/// words and readings are looked up by their 64-bit hash (two different
/// strings sharing one would at worst skip a typo correction or read one
/// pinyin run differently).
#[derive(Debug, Default, Clone)]
pub struct Phonetic {
    /// The knowledge base's runs of Chinese characters, one after another.
    arena: String,
    /// Every 2–4 character sequence in the knowledge base's Chinese questions.
    known: HashSet<u64>,
    /// Exact toneless reading ("shi pin hao") → the most frequent known
    /// sequence (1–4 characters) with that reading.
    by_reading: HashMap<u64, Span>,
    /// Fuzzy reading ("s pin hao") → the most frequent known sequence with
    /// that reading; used when the exact reading finds nothing.
    by_sound: HashMap<u64, Span>,
    /// Fuzzy reading → key term (2–4 characters), the targets of homophone correction.
    terms_by_sound: HashMap<String, String>,
    /// The key terms of three or more characters (企业微信): a window across
    /// one of them, as typed, is not a typo.
    long_terms: HashSet<u64>,
    /// Initials ("s p h") → the most frequent known sequence of 2–4
    /// characters with them (视频号), for pinyin typed as initials only.
    by_initials: HashMap<u64, Span>,
}

/// A word: a byte range of [`Phonetic::arena`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn of(self, arena: &str) -> &str {
        &arena[self.start as usize..(self.start + self.len) as usize]
    }
}

/// The hash words and readings are looked up by.
fn key(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl Phonetic {
    /// Builds the index from Chinese texts (question variants, titles,
    /// synonym terms), more texts whose words it should know without them
    /// weighing on which of two words alike is read (`also`: the checks'
    /// cue phrases, which spell out one word many times over: adding a cue
    /// must not change how "tj" or "chexiao" reads), and the key terms that
    /// typos are corrected towards.
    pub fn new<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        also: impl IntoIterator<Item = &'a str>,
        terms: impl IntoIterator<Item = &'a str>,
    ) -> Phonetic {
        let mut arena = String::new();
        // Word hash → (count, first occurrence).
        let mut counts: HashMap<u64, (u32, Span)> = HashMap::default();
        let texts = texts.into_iter().map(|t| (t, true));
        for (text, counted) in texts.chain(also.into_iter().map(|t| (t, false))) {
            for run in han_runs(text) {
                let base = arena.len();
                arena.extend(&run);
                // Byte offset of each character of the run, and of its end.
                let mut offsets: Vec<usize> = Vec::with_capacity(run.len() + 1);
                let mut at = base;
                for c in &run {
                    offsets.push(at);
                    at += c.len_utf8();
                }
                offsets.push(at);
                for len in 1..=MAX_WORD_CHARS.min(run.len()) {
                    for start in 0..=run.len() - len {
                        let (from, to) = (offsets[start], offsets[start + len]);
                        let span = Span {
                            start: from as u32,
                            len: (to - from) as u32,
                        };
                        counts
                            .entry(key(&arena[from..to]))
                            .and_modify(|(count, _)| *count += u32::from(counted))
                            .or_insert((1, span));
                    }
                }
            }
        }
        let by_reading = most_frequent_by(&counts, &arena, char_reading, 1);
        let by_sound = most_frequent_by(&counts, &arena, char_sound, 1);
        let by_initials = most_frequent_by(&counts, &arena, char_initial, 2);
        let mut terms_by_sound = HashMap::default();
        let mut long_terms = HashSet::default();
        for term in terms {
            let len = term.chars().count();
            let han = term.chars().all(is_han);
            if len >= 3 && han {
                long_terms.insert(key(term));
            }
            if (2..=MAX_WORD_CHARS).contains(&len)
                && han
                && let Some(sound) = sound_of(term)
            {
                terms_by_sound
                    .entry(sound)
                    .or_insert_with(|| term.to_string());
            }
        }
        let known = counts
            .into_iter()
            .filter(|(_, (_, span))| span.of(&arena).chars().nth(1).is_some())
            .map(|(hash, _)| hash)
            .collect();
        Phonetic {
            arena,
            known,
            by_reading,
            by_sound,
            terms_by_sound,
            long_terms,
            by_initials,
        }
    }

    /// Replaces the syllables of typed pinyin by the knowledge base's Chinese,
    /// longest words first, an exact reading before a fuzzy one (bei feng is
    /// 被封 before 备份). Syllables with no known reading are dropped.
    /// Also says whether the reading holds a word of two or more characters:
    /// a lone Latin word read as single characters ("remake" as 热吗可) is
    /// more likely English than pinyin.
    pub fn read_pinyin(&self, syllables: &[&str]) -> (String, bool) {
        let exact: Vec<String> = syllables.iter().map(|s| s.replace('ü', "v")).collect();
        let fuzzy: Vec<String> = syllables.iter().map(|s| fuzzy(s)).collect();
        let mut out = String::new();
        let mut has_word = false;
        let mut i = 0;
        while i < fuzzy.len() {
            let longest = MAX_WORD_CHARS.min(fuzzy.len() - i);
            let found = (1..=longest).rev().find_map(|len| {
                self.by_reading
                    .get(&key(&exact[i..i + len].join(" ")))
                    .or_else(|| self.by_sound.get(&key(&fuzzy[i..i + len].join(" "))))
                    .map(|w| (len, w.of(&self.arena)))
            });
            match found {
                Some((len, word)) => {
                    out.push_str(word);
                    has_word |= len >= 2;
                    i += len;
                }
                None => i += 1,
            }
        }
        (out, has_word)
    }

    /// Reads a word of pinyin initials ("sph", "gzh", "zx") as the knowledge
    /// base's most frequent word of 2–4 characters with those initials
    /// (视频号, 公众号, 注销); `None` if there is none.
    pub fn initials_to_han(&self, word: &str) -> Option<&str> {
        let n = word.chars().count();
        if !(2..=MAX_WORD_CHARS).contains(&n) || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let mut spaced = String::with_capacity(2 * n);
        for c in word.chars() {
            if !spaced.is_empty() {
                spaced.push(' ');
            }
            spaced.push(c);
        }
        self.by_initials
            .get(&key(&spaced))
            .map(|w| w.of(&self.arena))
    }

    /// Fixes homophone typos in a run of Han characters: each 4-, 3- and then
    /// 2-character window that the knowledge base does not use, but that
    /// sounds like a key term differing in one character (two for four
    /// characters), is replaced by that term.
    pub fn correct(&self, text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        if chars.len() < 2 || self.known.is_empty() {
            return text.to_string();
        }
        // A character's sound is looked up only when a window it is in is
        // unknown: the knowledge base's own texts (indexed at every load)
        // have none, so they cost no pinyin lookups.
        let mut sounds: Vec<Option<Option<String>>> = vec![None; chars.len()];
        // The characters of a key term as typed: a shorter window across one
        // is not a typo (到企 in 到企业微信 is not 到期).
        let mut kept = vec![false; chars.len()];
        // One window, and its sound, at a time.
        let mut word = String::new();
        let mut sound = String::new();
        for len in (2..=MAX_WORD_CHARS.min(chars.len())).rev() {
            let allowed = if len >= 4 { 2 } else { 1 };
            for start in 0..=chars.len() - len {
                let window = &chars[start..start + len];
                if !window.iter().all(|&c| is_han(c)) {
                    continue;
                }
                word.clear();
                word.extend(window);
                let hash = key(&word);
                if self.known.contains(&hash) {
                    if self.long_terms.contains(&hash) {
                        kept[start..start + len].fill(true);
                    }
                    continue;
                }
                if kept[start..start + len].contains(&true) {
                    continue;
                }
                for (offset, sound) in sounds[start..start + len].iter_mut().enumerate() {
                    if sound.is_none() {
                        *sound = Some(char_sound(chars[start + offset]));
                    }
                }
                // The characters' sounds joined by spaces, if each has one.
                sound.clear();
                let mut sounded = true;
                for (i, one) in sounds[start..start + len].iter().enumerate() {
                    let Some(Some(one)) = one else {
                        sounded = false;
                        break;
                    };
                    if i > 0 {
                        sound.push(' ');
                    }
                    sound.push_str(one);
                }
                if !sounded {
                    continue;
                }
                let Some(known) = self.terms_by_sound.get(&sound) else {
                    continue;
                };
                let replacement: Vec<char> = known.chars().collect();
                let differing = window
                    .iter()
                    .zip(&replacement)
                    .filter(|(a, b)| a != b)
                    .count();
                if replacement.len() == len && (1..=allowed).contains(&differing) {
                    for (offset, &c) in replacement.iter().enumerate() {
                        chars[start + offset] = c;
                        sounds[start + offset] = Some(char_sound(c));
                    }
                }
            }
        }
        chars.into_iter().collect()
    }
}

/// For each reading (`reading` of each character, joined by spaces), the
/// most frequent word with it; ties go to the smaller word so that the result
/// is deterministic. Each character is read once (a large knowledge base has
/// millions of windows but a few thousand characters).
fn most_frequent_by(
    counts: &HashMap<u64, (u32, Span)>,
    arena: &str,
    reading: fn(char) -> Option<String>,
    min_chars: usize,
) -> HashMap<u64, Span> {
    let mut per_char: HashMap<char, Option<String>> = HashMap::default();
    let mut best: HashMap<u64, (u32, Span)> = HashMap::default();
    let mut text = String::new();
    'words: for &(count, span) in counts.values() {
        let word = span.of(arena);
        if word.chars().nth(min_chars - 1).is_none() {
            continue;
        }
        text.clear();
        for c in word.chars() {
            let Some(syllable) = per_char.entry(c).or_insert_with(|| reading(c)) else {
                continue 'words;
            };
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(syllable);
        }
        best.entry(key(&text))
            .and_modify(|slot| {
                if count > slot.0 || (count == slot.0 && word < slot.1.of(arena)) {
                    *slot = (count, span);
                }
            })
            .or_insert((count, span));
    }
    best.into_iter()
        .map(|(reading, (_, span))| (reading, span))
        .collect()
}

/// The exact toneless reading of a character (ü as v).
fn char_reading(c: char) -> Option<String> {
    c.to_pinyin_multi()
        .map(|m| m.get(0).plain().replace('ü', "v"))
}

/// The first letter of a character's reading (视 → s), as typed for
/// initials-only pinyin.
fn char_initial(c: char) -> Option<String> {
    char_reading(c).and_then(|r| r.get(..1).map(str::to_string))
}

/// The fuzzy reading of a word, syllables separated by spaces.
fn sound_of(word: &str) -> Option<String> {
    let sounds: Option<Vec<String>> = word.chars().map(char_sound).collect();
    sounds.map(|s| s.join(" "))
}

/// The runs of consecutive Han characters in `text`.
fn han_runs(text: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for c in text.chars() {
        if is_han(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_merges_the_sounds_typists_confuse() {
        for (syllable, sound) in [
            ("zhuang", "zuan"),
            ("chi", "ci"),
            ("shang", "san"),
            ("nü", "lv"),
            ("ni", "li"),
            ("lü", "lv"),
            ("ying", "yin"),
            ("ang", "an"),
            ("an", "an"),
            ("", ""),
        ] {
            assert_eq!(fuzzy(syllable), sound, "{syllable}");
        }
    }

    fn kb() -> Phonetic {
        Phonetic::new(
            [
                "视频号怎么注销",
                "注销了还能恢复吗",
                "冷静期多久",
                "提现到银行卡",
                "解绑公众号",
                "商品怎么办",
                "冷静期到期了",
                "企业微信怎么解绑",
            ],
            [],
            [
                "注销",
                "视频号",
                "冷静期",
                "提现",
                "解绑",
                "恢复",
                "到期",
                "企业微信",
            ],
        )
    }

    #[test]
    fn words_only_known_from_cues_weigh_nothing_on_a_reading() {
        let texts = ["注销条件", "有哪些条件", "提交申请"];
        // 条件 is used twice, 提交 once: "tj" reads as 条件...
        let plain = Phonetic::new(texts, [], []);
        assert_eq!(plain.initials_to_han("tj"), Some("条件"));
        // ...however often cues spell out 提交.
        let cues = ["怎么提交", "如何提交", "在哪提交", "提交按钮"];
        let cued = Phonetic::new(texts, cues, []);
        assert_eq!(cued.initials_to_han("tj"), Some("条件"));
        // Counted like questions, they would change it.
        let counted = Phonetic::new(texts.into_iter().chain(cues), [], []);
        assert_eq!(counted.initials_to_han("tj"), Some("提交"));
        // A word only a cue uses is still known.
        let only = Phonetic::new(["视频号"], ["内部渠道"], []);
        assert_eq!(only.initials_to_han("nbqd"), Some("内部渠道"));
    }

    #[test]
    fn splits_pinyin_into_fewest_syllables() {
        assert_eq!(
            split_syllables("shipinhao"),
            Some(vec!["shi", "pin", "hao"])
        );
        assert_eq!(split_syllables("zenme"), Some(vec!["zen", "me"]));
        assert_eq!(split_syllables("xian"), Some(vec!["xian"]));
        assert_eq!(split_syllables("lvse"), Some(vec!["lv", "se"]));
        assert_eq!(split_syllables("hello"), None);
        // Some English words split into syllables; the analyzer keeps them English.
        assert_eq!(split_syllables("delete"), Some(vec!["de", "le", "te"]));
        assert_eq!(split_syllables("how"), None);
        assert_eq!(split_syllables(""), None);
        assert_eq!(split_syllables("Shi"), None);
    }

    #[test]
    fn reads_typed_pinyin_as_known_words() {
        let kb = kb();
        let typed = ["shi", "pin", "hao", "zen", "me", "zhu", "xiao"];
        assert_eq!(kb.read_pinyin(&typed).0, "视频号怎么注销");
        assert_eq!(kb.read_pinyin(&["leng", "jing", "qi"]).0, "冷静期");
        // z/zh and -n/-ng are not told apart.
        assert_eq!(kb.read_pinyin(&["zu", "xiao"]).0, "注销");
        assert_eq!(kb.read_pinyin(&["blorp"]).0, "");
    }

    #[test]
    fn fixes_homophone_typos_only_in_unknown_words() {
        let kb = kb();
        assert_eq!(kb.correct("注消了还能恢复吗"), "注销了还能恢复吗");
        assert_eq!(kb.correct("视屏号怎么注消"), "视频号怎么注销");
        assert_eq!(kb.correct("冷净期多久"), "冷静期多久");
        assert_eq!(kb.correct("体现到银行卡"), "提现到银行卡");
        assert_eq!(kb.correct("解帮公众号"), "解绑公众号");
        // Known text and text that sounds like nothing known stay as they are.
        assert_eq!(kb.correct("视频号怎么注销"), "视频号怎么注销");
        assert_eq!(kb.correct("今天天气很好"), "今天天气很好");
        // Only key terms are targets: 屏 stays although 品怎 is known and sounds alike.
        assert_eq!(kb.correct("电脑蓝屏怎么办"), "电脑蓝屏怎么办");
        // A window across a key term as typed is not a typo: 到企 of 到企业微信
        // sounds like 到期, but 企 belongs to 企业微信.
        assert_eq!(kb.correct("到其了吗"), "到期了吗");
        assert_eq!(kb.correct("引流到企业微信"), "引流到企业微信");
    }
}
