//! Validation of the guided help: `[checklist]` (the readiness checklist)
//! and `[cooling_off]` (the cooling-off calculator). Both refer to entries
//! by id, so they are checked once every entry is known.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::{Checker, check_text, raw};
use crate::knowledge::{Backup, Bilingual, Checklist, ChecklistItem, CoolingOff, YesMeans};
use crate::normalize::normalize;

/// The longest checklist texts: Chinese characters and English words. They
/// are read on a phone one at a time, so they are kept short.
const MAX_INTRO: (usize, usize) = (150, 50);
const MAX_ASK: (usize, usize) = (120, 45);
const MAX_FIX: (usize, usize) = (150, 50);
const MAX_BACKUP: (usize, usize) = (100, 40);
const MAX_HOW_TO_UNDO: (usize, usize) = (150, 50);
/// What the calculator says when the period is over or close to its end.
const MAX_NOTE: (usize, usize) = (150, 60);

/// The longest cooling-off period accepted, in days.
const MAX_DAYS: i64 = 366;

/// Checks that `id` names an entry; false (and an error) if not.
fn names_entry(
    checker: &mut Checker<'_>,
    file: usize,
    section: &str,
    field: &str,
    id: &Spanned<String>,
    entries: &HashSet<&str>,
) -> bool {
    if entries.contains(id.get_ref().as_str()) {
        return true;
    }
    checker.error(
        file,
        id.span(),
        format!(
            "{section} {field} '{}' does not name any entry",
            id.get_ref()
        ),
    );
    false
}

/// An entry reference that must be there.
fn required_entry(
    checker: &mut Checker<'_>,
    file: usize,
    span: &Range<usize>,
    section: &str,
    field: &str,
    id: Option<Spanned<String>>,
    entries: &HashSet<&str>,
) -> Option<String> {
    let Some(id) = id else {
        checker.error(file, span.clone(), format!("{section} has no {field}"));
        return None;
    };
    names_entry(checker, file, section, field, &id, entries).then(|| id.into_inner())
}

/// Validates `[checklist]`.
pub(super) fn checklist(
    checker: &mut Checker<'_>,
    file: usize,
    span: Range<usize>,
    raw: raw::Checklist,
    entries: &HashSet<&str>,
) -> Option<Checklist> {
    const SECTION: &str = "[checklist]";
    let entry = required_entry(checker, file, &span, SECTION, "entry", raw.entry, entries);
    let intro = check_text(
        checker,
        file,
        &span,
        SECTION,
        "intro",
        raw.intro,
        Some(MAX_INTRO),
    );
    let next = match raw.next {
        Some(next) => Some(
            names_entry(checker, file, SECTION, "next", &next, entries)
                .then(|| next.into_inner())?,
        ),
        None => None,
    };

    if raw.item.is_empty() {
        checker.error(
            file,
            span.clone(),
            "[checklist] has no [[checklist.item]]".to_string(),
        );
    }
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut valid = true;
    for item in raw.item {
        let owner = format!("[[checklist.item]] '{}'", item.entry.get_ref());
        let item_span = item.entry.span();
        let known = names_entry(checker, file, SECTION, "item", &item.entry, entries);
        if !seen.insert(item.entry.get_ref().clone()) {
            checker.error(file, item_span.clone(), format!("{owner} is asked twice"));
            valid = false;
        }
        let ask = check_text(
            checker,
            file,
            &item_span,
            &owner,
            "ask",
            item.ask,
            Some(MAX_ASK),
        );
        let fix = check_text(
            checker,
            file,
            &item_span,
            &owner,
            "fix",
            item.fix,
            Some(MAX_FIX),
        );
        let yes_means = match item.yes_means {
            None => Some(YesMeans::Met),
            Some(value) => match value.get_ref().as_str() {
                "met" => Some(YesMeans::Met),
                "not met" => Some(YesMeans::NotMet),
                other => {
                    checker.error(
                        file,
                        value.span(),
                        format!(
                            "{owner} yes_means must be \"met\" or \"not met\", not \"{other}\""
                        ),
                    );
                    None
                }
            },
        };
        match (known, ask, fix, yes_means) {
            (true, Some(ask), Some(fix), Some(yes_means)) => items.push(ChecklistItem {
                entry: item.entry.into_inner(),
                ask,
                yes_means,
                fix,
            }),
            _ => valid = false,
        }
    }

    let mut seen = HashSet::new();
    let mut backups = Vec::new();
    for backup in raw.backup {
        let owner = format!("[[checklist.backup]] '{}'", backup.entry.get_ref());
        let backup_span = backup.entry.span();
        let known = names_entry(checker, file, SECTION, "backup", &backup.entry, entries);
        if !seen.insert(backup.entry.get_ref().clone()) {
            checker.error(
                file,
                backup_span.clone(),
                format!("{owner} is listed twice"),
            );
            valid = false;
        }
        let text = check_text(
            checker,
            file,
            &backup_span,
            &owner,
            "text",
            backup.text,
            Some(MAX_BACKUP),
        );
        match (known, text) {
            (true, Some(text)) => backups.push(Backup {
                entry: backup.entry.into_inner(),
                text,
            }),
            _ => valid = false,
        }
    }

    let checklist = Checklist {
        entry: entry?,
        intro: intro?,
        next,
        items,
        backups,
    };
    (valid && !checklist.items.is_empty()).then_some(checklist)
}

/// Validates `[cooling_off]`.
pub(super) fn cooling_off(
    checker: &mut Checker<'_>,
    file: usize,
    span: Range<usize>,
    raw: raw::CoolingOff,
    entries: &HashSet<&str>,
) -> Option<CoolingOff> {
    const SECTION: &str = "[cooling_off]";
    let days = match raw.days {
        None => {
            checker.error(file, span.clone(), format!("{SECTION} has no days"));
            None
        }
        Some(days) if !(1..=MAX_DAYS).contains(days.get_ref()) => {
            checker.error(
                file,
                days.span(),
                format!(
                    "{SECTION} days must be from 1 to {MAX_DAYS}, not {}",
                    days.get_ref()
                ),
            );
            None
        }
        Some(days) => u16::try_from(days.into_inner()).ok(),
    };
    let undo_entry = required_entry(
        checker,
        file,
        &span,
        SECTION,
        "undo_entry",
        raw.undo_entry,
        entries,
    );
    let final_entry = required_entry(
        checker,
        file,
        &span,
        SECTION,
        "final_entry",
        raw.final_entry,
        entries,
    );
    let how_to_undo = check_text(
        checker,
        file,
        &span,
        SECTION,
        "how_to_undo",
        raw.how_to_undo,
        Some(MAX_HOW_TO_UNDO),
    );
    let during = check_text(
        checker,
        file,
        &span,
        SECTION,
        "during",
        raw.during,
        Some(MAX_HOW_TO_UNDO),
    );
    let over = check_text(
        checker,
        file,
        &span,
        SECTION,
        "over",
        raw.over,
        Some(MAX_NOTE),
    );
    let close = check_text(
        checker,
        file,
        &span,
        SECTION,
        "close",
        raw.close,
        Some(MAX_NOTE),
    );
    let mut valid = true;
    let mut listed = Vec::new();
    for id in raw.entries {
        if names_entry(checker, file, SECTION, "entries", &id, entries) {
            listed.push(id.into_inner());
        } else {
            valid = false;
        }
    }
    let phrases = phrase_lists(checker, file, "phrases", raw.phrases, &mut valid);
    let ended = phrase_lists(checker, file, "ended", raw.ended, &mut valid);
    let deletion_words = phrase_lists(
        checker,
        file,
        "deletion_words",
        raw.deletion_words,
        &mut valid,
    );
    let request_words = phrase_lists(
        checker,
        file,
        "request_words",
        raw.request_words,
        &mut valid,
    );
    // A word cannot both tie a duration to the deletion and to something else.
    for (lang, list) in [("zh", &raw.other_words.zh), ("en", &raw.other_words.en)] {
        for word in list {
            let normalized = normalize(word.get_ref());
            let tied = [
                ("deletion_words", &deletion_words),
                ("request_words", &request_words),
            ]
            .into_iter()
            .find(|(_, words)| {
                let words = if lang == "zh" { &words.zh } else { &words.en };
                words.contains(&normalized)
            });
            if let Some((field, _)) = tied {
                checker.error(
                    file,
                    word.span(),
                    format!(
                        "{SECTION} other_words.{lang} '{}' is also in {field}.{lang}",
                        word.get_ref()
                    ),
                );
                valid = false;
            }
        }
    }
    let other_words = phrase_lists(checker, file, "other_words", raw.other_words, &mut valid);
    let cooling = CoolingOff {
        days: days?,
        undo_entry: undo_entry?,
        final_entry: final_entry?,
        how_to_undo: how_to_undo?,
        during: during?,
        entries: listed,
        phrases,
        ended,
        over: over?,
        close: close?,
        deletion_words,
        request_words,
        other_words,
    };
    valid.then_some(cooling)
}

/// A `[cooling_off]` list of phrases in both languages, normalised like
/// messages; an empty one is an error (and clears `valid`).
fn phrase_lists(
    checker: &mut Checker<'_>,
    file: usize,
    field: &str,
    raw: raw::Triggers,
    valid: &mut bool,
) -> Bilingual<Vec<String>> {
    let mut lists: Bilingual<Vec<String>> = Bilingual::default();
    for (lang, list, out) in [("zh", raw.zh, &mut lists.zh), ("en", raw.en, &mut lists.en)] {
        for phrase in list {
            let normalized = normalize(phrase.get_ref());
            if normalized.is_empty() {
                checker.error(
                    file,
                    phrase.span(),
                    format!("[cooling_off] has an empty phrase in {field}.{lang}"),
                );
                *valid = false;
            } else {
                out.push(normalized);
            }
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::knowledge::{Limits, Problem, YesMeans, check_texts};

    /// One entry (`a`) to refer to, then `sections`.
    fn check(sections: &str) -> (Option<crate::Knowledge>, Vec<Problem>) {
        let entry = r#"
[[entry]]
id = "a"
kind = "condition"
title.zh = "甲"
title.en = "A"
questions.zh = ["甲怎么办"]
questions.en = ["what about a"]
answer.zh = "这样办。"
answer.en = "Like this."
"#;
        check_texts(
            [
                (PathBuf::from("a.toml"), entry.to_string()),
                (PathBuf::from("b.toml"), sections.to_string()),
            ],
            &Limits {
                min_questions_zh: 1,
                min_questions_en: 1,
                ..Limits::default()
            },
        )
    }

    fn errors(problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| format!("{}:{}: {}", p.file.display(), p.line, p.message))
            .collect()
    }

    const CHECKLIST: &str = r#"
[checklist]
entry = "a"
intro.zh = "逐条核对。"
intro.en = "One at a time."

[[checklist.item]]
entry = "a"
ask.zh = "满足甲吗？"
ask.en = "Is A met?"
fix.zh = "先办甲。"
fix.en = "Do A first."

[[checklist.backup]]
entry = "a"
text.zh = "备份甲。"
text.en = "Back up A."
"#;

    const COOLING: &str = r#"
[cooling_off]
days = 60
undo_entry = "a"
final_entry = "a"
how_to_undo.zh = "撤销。"
how_to_undo.en = "Undo."
during.zh = "冻结中。"
during.en = "Frozen."
entries = ["a"]
phrases.zh = ["申請注銷"]
phrases.en = ["Applied to DELETE"]
over.zh = "多半已删除。"
over.en = "Probably deleted."
close.zh = "快到了，去看看。"
close.en = "Close: check now."
deletion_words.zh = ["註銷"]
deletion_words.en = ["Deleted"]
request_words.zh = ["申請"]
request_words.en = ["applied"]
other_words.zh = ["封號"]
other_words.en = ["banned"]
"#;

    #[test]
    fn valid_sections_load() {
        let (knowledge, problems) = check(&format!("{CHECKLIST}{COOLING}"));
        assert_eq!(errors(&problems), Vec::<String>::new());
        let knowledge = knowledge.expect("valid");
        let checklist = knowledge.checklist.expect("checklist");
        assert_eq!(checklist.items.len(), 1);
        assert_eq!(
            checklist.item("a").map(|i| i.fix.en.as_str()),
            Some("Do A first.")
        );
        assert_eq!(checklist.backups.len(), 1);
        let cooling = knowledge.cooling_off.expect("cooling_off");
        assert_eq!(cooling.days, 60);
        // Words are normalised like messages: traditional, case.
        assert_eq!(cooling.phrases.zh, ["申请注销"]);
        assert_eq!(cooling.phrases.en, ["applied to delete"]);
        assert_eq!(cooling.over.en, "Probably deleted.");
        assert_eq!(cooling.close.zh, "快到了，去看看。");
        assert_eq!(cooling.deletion_words.zh, ["注销"]);
        assert_eq!(cooling.deletion_words.en, ["deleted"]);
        assert_eq!(cooling.request_words.zh, ["申请"]);
        assert_eq!(cooling.other_words.zh, ["封号"]);
        // Without yes_means, yes means met.
        assert_eq!(checklist.items[0].yes_means, YesMeans::Met);
    }

    #[test]
    fn yes_means_is_met_or_not_met() {
        let text = CHECKLIST.replace(
            "ask.en = \"Is A met?\"\n",
            "ask.en = \"Is A met?\"\nyes_means = \"not met\"\n",
        );
        let (knowledge, problems) = check(&text);
        assert_eq!(errors(&problems), Vec::<String>::new());
        let checklist = knowledge.unwrap().checklist.unwrap();
        assert_eq!(checklist.items[0].yes_means, YesMeans::NotMet);

        let text = CHECKLIST.replace(
            "ask.en = \"Is A met?\"\n",
            "ask.en = \"Is A met?\"\nyes_means = \"no\"\n",
        );
        let (knowledge, problems) = check(&text);
        assert!(knowledge.is_none());
        assert_eq!(
            errors(&problems),
            [
                "b.toml:11: [[checklist.item]] 'a' yes_means must be \"met\" or \"not met\", not \"no\""
            ]
        );
    }

    #[test]
    fn the_calculators_notes_are_required_and_a_word_ties_to_one_side() {
        let text = COOLING.replace("over.en = \"Probably deleted.\"\n", "");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:2: [cooling_off] has no over.en"]
        );
        let text = COOLING.replace("close.zh = \"快到了，去看看。\"\n", "");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:2: [cooling_off] has no close.zh"]
        );
        // The same word after normalisation, in other_words and deletion_words.
        let text = COOLING.replace(
            "other_words.zh = [\"封號\"]",
            "other_words.zh = [\"封號\", \"注銷\"]",
        );
        let line = text
            .lines()
            .position(|l| l.starts_with("other_words.zh"))
            .unwrap()
            + 1;
        assert_eq!(
            errors(&check(&text).1),
            [format!(
                "b.toml:{line}: [cooling_off] other_words.zh '注銷' is also in deletion_words.zh"
            )]
        );
        let text = COOLING.replace(
            "other_words.en = [\"banned\"]",
            "other_words.en = [\"banned\", \"APPLIED\"]",
        );
        let line = text
            .lines()
            .position(|l| l.starts_with("other_words.en"))
            .unwrap()
            + 1;
        assert_eq!(
            errors(&check(&text).1),
            [format!(
                "b.toml:{line}: [cooling_off] other_words.en 'APPLIED' is also in request_words.en"
            )]
        );
        let text = COOLING.replace(
            "request_words.en = [\"applied\"]",
            "request_words.en = [\" \"]",
        );
        let line = text
            .lines()
            .position(|l| l.starts_with("request_words.en"))
            .unwrap()
            + 1;
        assert_eq!(
            errors(&check(&text).1),
            [format!(
                "b.toml:{line}: [cooling_off] has an empty phrase in request_words.en"
            )]
        );
    }

    #[test]
    fn references_to_missing_entries_are_errors_at_their_line() {
        let text = CHECKLIST.replace("entry = \"a\"\nask", "entry = \"nope\"\nask");
        let (knowledge, problems) = check(&text);
        assert!(knowledge.is_none());
        assert_eq!(
            errors(&problems),
            ["b.toml:8: [checklist] item 'nope' does not name any entry"]
        );
        let text = COOLING.replace("entries = [\"a\"]", "entries = [\"a\", \"gone\"]");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:10: [cooling_off] entries 'gone' does not name any entry"]
        );
    }

    #[test]
    fn missing_texts_bad_days_and_repeats_are_errors() {
        let text = CHECKLIST.replace("fix.en = \"Do A first.\"\n", "");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:8: [[checklist.item]] 'a' has no fix.en"]
        );
        let text = COOLING.replace("days = 60", "days = 0");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:3: [cooling_off] days must be from 1 to 366, not 0"]
        );
        let text = COOLING.replace("days = 60\n", "");
        assert_eq!(
            errors(&check(&text).1),
            ["b.toml:2: [cooling_off] has no days"]
        );
        let item = "\n[[checklist.item]]\nentry = \"a\"\nask.zh = \"又问？\"\nask.en = \"Again?\"\nfix.zh = \"办。\"\nfix.en = \"Do.\"\n";
        let text = format!("{CHECKLIST}{item}");
        // The second item's `entry` line.
        let lines: Vec<&str> = text.lines().collect();
        let line = lines.iter().rposition(|l| *l == "entry = \"a\"").unwrap() + 1;
        let errs = errors(&check(&text).1);
        assert_eq!(
            errs,
            [format!(
                "b.toml:{line}: [[checklist.item]] 'a' is asked twice"
            )]
        );
        // Twice in one file is a TOML error; across files, ours.
        let (_, problems) = check_texts(
            [
                (PathBuf::from("a.toml"), COOLING.to_string()),
                (PathBuf::from("b.toml"), COOLING.to_string()),
            ],
            &Limits::default(),
        );
        assert!(
            errors(&problems)
                .contains(&"b.toml:2: [cooling_off] is defined twice (first in a.toml)".into()),
            "{problems:?}"
        );
    }

    #[test]
    fn an_empty_checklist_is_an_error() {
        let text = "[checklist]\nentry = \"a\"\nintro.zh = \"核对。\"\nintro.en = \"Check.\"\n";
        assert_eq!(
            errors(&check(text).1),
            ["b.toml:1: [checklist] has no [[checklist.item]]"]
        );
    }
}
