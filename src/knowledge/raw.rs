//! The knowledge files' TOML shapes, exactly as authors write them, with the
//! source positions that `faqbot check` reports. Nothing here is validated;
//! [`super::validate`] turns these into a [`super::Knowledge`].

use serde::Deserialize;
use toml::Spanned;

/// One knowledge file. Every table is optional, so a file may hold entries,
/// synonyms, stop words, the safety triggers, out-of-scope examples, or any mix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    #[serde(default)]
    pub entry: Vec<Entry>,
    #[serde(default)]
    pub synonym: Vec<Synonym>,
    pub stopwords: Option<Spanned<Stopwords>>,
    pub safety: Option<Spanned<Safety>>,
    #[serde(default)]
    pub out_of_scope: Vec<OutOfScope>,
    pub checklist: Option<Spanned<Checklist>>,
    pub cooling_off: Option<Spanned<CoolingOff>>,
    pub scope: Option<Spanned<Scope>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: Spanned<String>,
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub title: Text,
    #[serde(default)]
    pub questions: Questions,
    #[serde(default)]
    pub answer: Text,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default)]
    pub cues: Triggers,
}

/// A text in both languages; either may be missing (and is then reported).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: Option<Spanned<String>>,
    pub en: Option<Spanned<String>>,
}

/// Question variants in both languages.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    pub zh: Option<Spanned<Vec<Spanned<String>>>>,
    pub en: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    pub concept: Spanned<String>,
    #[serde(default)]
    pub zh: Vec<Spanned<String>>,
    #[serde(default)]
    pub en: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stopwords {
    #[serde(default)]
    pub zh: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safety {
    pub entry: Spanned<String>,
    #[serde(default)]
    pub triggers: Triggers,
    #[serde(default)]
    pub parties: Triggers,
    #[serde(default)]
    pub requests: Triggers,
    #[serde(default)]
    pub own: Triggers,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    #[serde(default)]
    pub zh: Vec<Spanned<String>>,
    #[serde(default)]
    pub en: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScope {
    pub id: Spanned<String>,
    #[serde(default)]
    pub questions: Questions,
    #[serde(default)]
    pub reply: Text,
    #[serde(default)]
    pub when: Triggers,
    #[serde(default)]
    pub unless: Triggers,
    #[serde(default)]
    pub sure: Triggers,
    pub framed: Option<bool>,
    #[serde(default)]
    pub offer: Vec<Spanned<String>>,
}

/// `[scope]`: what the bot covers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub main: Vec<Spanned<String>>,
    #[serde(default)]
    pub frame: Triggers,
    #[serde(default)]
    pub not_deleting: Triggers,
    #[serde(default)]
    pub contents: Triggers,
    #[serde(default)]
    pub bare: Vec<Spanned<String>>,
    #[serde(default)]
    pub self_framed: Vec<Spanned<String>>,
    #[serde(default)]
    pub twins: Vec<Spanned<Vec<String>>>,
}

/// `[checklist]`: the readiness checklist.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub entry: Option<Spanned<String>>,
    #[serde(default)]
    pub intro: Text,
    pub next: Option<Spanned<String>>,
    #[serde(default)]
    pub item: Vec<ChecklistItem>,
    #[serde(default)]
    pub backup: Vec<Backup>,
}

/// `[[checklist.item]]`: one condition to ask about.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub entry: Spanned<String>,
    #[serde(default)]
    pub ask: Text,
    pub yes_means: Option<Spanned<String>>,
    #[serde(default)]
    pub fix: Text,
}

/// `[[checklist.backup]]`: a reminder shown with the checklist's summary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    pub entry: Spanned<String>,
    #[serde(default)]
    pub text: Text,
}

/// `[cooling_off]`: the cooling-off calculator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoolingOff {
    pub days: Option<Spanned<i64>>,
    pub undo_entry: Option<Spanned<String>>,
    pub final_entry: Option<Spanned<String>>,
    #[serde(default)]
    pub how_to_undo: Text,
    #[serde(default)]
    pub during: Text,
    #[serde(default)]
    pub entries: Vec<Spanned<String>>,
    #[serde(default)]
    pub phrases: Triggers,
    #[serde(default)]
    pub ended: Triggers,
    #[serde(default)]
    pub over: Text,
    #[serde(default)]
    pub close: Text,
    #[serde(default)]
    pub deletion_words: Triggers,
    #[serde(default)]
    pub request_words: Triggers,
    #[serde(default)]
    pub other_words: Triggers,
}
