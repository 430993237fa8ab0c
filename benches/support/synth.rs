//! Synthetic knowledge bases for the scale benchmark: `n` entries with ten
//! question variants each (five Chinese, five English), written with the
//! shipped synonyms and stop words (`knowledge/language.toml`) so the
//! analyser works as it does on the real knowledge base.
//!
//! Deterministic: the same `n` always gives the same files. Each entry has
//! two Chinese and two English topic words of its own (random Han characters
//! and pronounceable made-up words), mixed with the domain's common words
//! (注销, 视频号, delete, channels…) and question phrasing.

use std::fmt::Write as _;
use std::path::Path;

/// Entries per file, as an author might split a large knowledge base.
const PER_FILE: usize = 500;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const ZH_COMMON: &[&str] = &[
    "注销",
    "视频号",
    "撤销",
    "冷静期",
    "提现",
    "实名",
    "认证",
    "粉丝",
    "作品",
    "直播",
];
const ZH_ASK: &[&str] = &[
    "怎么",
    "如何",
    "能不能",
    "为什么",
    "在哪里",
    "是什么",
    "多久",
];
const ZH_TAIL: &[&str] = &["吗", "呢", "啊", "", "了"];
const EN_COMMON: &[&str] = &[
    "delete",
    "channels",
    "undo",
    "cooling off",
    "withdraw",
    "verify",
    "followers",
    "videos",
    "live",
    "account",
];
const EN_ASK: &[&str] = &[
    "how do i",
    "can i",
    "why does",
    "where is",
    "what is",
    "when will",
    "should i",
];
const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "pl",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou"];

/// A made-up Chinese word of two Han characters from the common block.
fn zh_word(rng: &mut Rng) -> String {
    (0..2)
        .map(|_| char::from_u32(0x4E00 + rng.below(0x5000) as u32).unwrap_or('字'))
        .collect()
}

/// A made-up pronounceable English word of three syllables.
fn en_word(rng: &mut Rng) -> String {
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(rng.pick(ONSETS));
        word.push_str(rng.pick(VOWELS));
    }
    word
}

/// One synthetic entry: its id and its question variants.
pub struct Entry {
    pub id: String,
    pub zh: Vec<String>,
    pub en: Vec<String>,
}

/// The entries of a knowledge base of `n` entries.
pub fn entries(n: usize) -> Vec<Entry> {
    let mut rng = Rng::new(0x5EED ^ n as u64);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let topic_zh = [zh_word(&mut rng), zh_word(&mut rng)];
        let topic_en = [en_word(&mut rng), en_word(&mut rng)];
        let mut zh = Vec::new();
        while zh.len() < 5 {
            let q = match rng.below(3) {
                0 => format!(
                    "{}{}{}{}",
                    rng.pick(ZH_COMMON),
                    topic_zh[0],
                    rng.pick(ZH_ASK),
                    rng.pick(ZH_TAIL)
                ),
                1 => format!(
                    "{}{}{}{}",
                    topic_zh[1],
                    rng.pick(ZH_ASK),
                    topic_zh[0],
                    rng.pick(ZH_TAIL)
                ),
                _ => format!(
                    "{}{}{}{}",
                    rng.pick(ZH_ASK),
                    topic_zh[0],
                    topic_zh[1],
                    rng.pick(ZH_COMMON)
                ),
            };
            if seen.insert(q.clone()) {
                zh.push(q);
            }
        }
        let mut en = Vec::new();
        while en.len() < 5 {
            let q = match rng.below(3) {
                0 => format!(
                    "{} {} {}",
                    rng.pick(EN_ASK),
                    topic_en[0],
                    rng.pick(EN_COMMON)
                ),
                1 => format!(
                    "{} {} {} {}",
                    rng.pick(EN_ASK),
                    rng.pick(EN_COMMON),
                    topic_en[1],
                    topic_en[0]
                ),
                _ => format!(
                    "{} {} {}",
                    topic_en[1],
                    rng.pick(EN_COMMON),
                    rng.pick(EN_ASK)
                ),
            };
            if seen.insert(q.clone()) {
                en.push(q);
            }
        }
        out.push(Entry {
            id: format!("e{i}"),
            zh,
            en,
        });
    }
    out
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|q| format!("{q:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Writes a knowledge base of `entries` into `dir`: `language.toml` copied
/// from `shipped` (the shipped knowledge folder) and the entries, 500 a file.
pub fn write(dir: &Path, shipped: &Path, entries: &[Entry]) -> std::io::Result<()> {
    std::fs::copy(shipped.join("language.toml"), dir.join("language.toml"))?;
    for (f, chunk) in entries.chunks(PER_FILE).enumerate() {
        let mut text = String::new();
        for e in chunk {
            let _ = write!(
                text,
                "[[entry]]\nid = \"{id}\"\nkind = \"step\"\ntitle.zh = \"主题{id}\"\ntitle.en = \"Topic {id}\"\n\
                 questions.zh = {zh}\nquestions.en = {en}\n\
                 answer.zh = \"这是{id}的答案。\"\nanswer.en = \"This is the answer to {id}.\"\n\n",
                id = e.id,
                zh = toml_list(&e.zh),
                en = toml_list(&e.en),
            );
        }
        std::fs::write(dir.join(format!("entries-{f:03}.toml")), text)?;
    }
    Ok(())
}
