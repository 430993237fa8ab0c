//! Validation of the parsed knowledge files: every rule `faqbot check`
//! enforces, each problem reported at the file and line that causes it.

mod examples;
mod guided;
mod scope;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::raw;
use super::{
    Bilingual, Entry, Kind, Knowledge, OutOfScope, Problem, Safety, Severity, SourceFile,
    SynonymGroup,
};
use crate::normalize::normalize;

/// The most phrases a `[safety]` trigger may join with `+`.
pub const MAX_TRIGGER_PARTS: usize = 8;

/// The size rules for entries (`[knowledge]` in the settings).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Limits {
    /// Longest Chinese answer, in characters (whitespace not counted).
    pub max_answer_chars_zh: usize,
    /// Longest English answer, in words.
    pub max_answer_words_en: usize,
    /// Fewer Chinese question variants than this is a warning.
    pub min_questions_zh: usize,
    /// Fewer English question variants than this is a warning.
    pub min_questions_en: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_answer_chars_zh: 400,
            max_answer_words_en: 120,
            min_questions_zh: 8,
            min_questions_en: 6,
        }
    }
}

/// The longest an id may be, in bytes: ids travel in Telegram callback data,
/// which holds at most 64 bytes.
const MAX_ID_LEN: usize = 40;

/// Where something was defined, for "also defined at" messages.
#[derive(Clone)]
struct Origin {
    file: usize,
    line: usize,
}

/// A parsed file and the byte offset of each line start.
struct Parsed {
    path: PathBuf,
    line_starts: Vec<usize>,
}

impl Parsed {
    fn line(&self, span: Range<usize>) -> usize {
        self.line_starts
            .partition_point(|&start| start <= span.start)
            .max(1)
    }
}

struct Checker<'l> {
    limits: &'l Limits,
    files: Vec<Parsed>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, file: usize, span: Range<usize>, severity: Severity, message: String) {
        let parsed = &self.files[file];
        let line = parsed.line(span);
        self.problems.push(Problem {
            file: parsed.path.clone(),
            line,
            severity,
            message,
        });
    }

    fn error(&mut self, file: usize, span: Range<usize>, message: String) {
        self.report(file, span, Severity::Error, message);
    }

    fn warn(&mut self, file: usize, span: Range<usize>, message: String) {
        self.report(file, span, Severity::Warning, message);
    }

    fn origin(&self, file: usize, span: Range<usize>) -> Origin {
        Origin {
            file,
            line: self.files[file].line(span),
        }
    }

    fn at(&self, origin: &Origin) -> String {
        format!("{}:{}", self.files[origin.file].path.display(), origin.line)
    }
}

/// Validates `files`; returns the knowledge if no problem is an error, and
/// every problem found, sorted by file and line.
pub(super) fn validate(
    files: Vec<SourceFile>,
    limits: &Limits,
) -> (Option<Knowledge>, Vec<Problem>) {
    let mut checker = Checker {
        limits,
        files: Vec::new(),
        problems: Vec::new(),
    };
    let mut parsed_files = Vec::new();
    let mut example_files = Vec::new();
    for (index, source) in files.into_iter().enumerate() {
        let line_starts = std::iter::once(0)
            .chain(source.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        checker.files.push(Parsed {
            path: source.path,
            line_starts,
        });
        if checker.files[index]
            .path
            .extension()
            .is_some_and(|ext| ext == "jsonl")
        {
            example_files.push((index, source.text));
            continue;
        }
        match toml::from_str::<raw::File>(&source.text) {
            Ok(file) => parsed_files.push((index, file)),
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let message = err.message().trim().replace('\n', " ");
                checker.error(index, span, format!("invalid TOML: {message}"));
            }
        }
    }

    let mut knowledge = Knowledge::default();
    let mut entry_origins: HashMap<String, Origin> = HashMap::new();
    let mut related_refs: Vec<(usize, String, Spanned<String>)> = Vec::new();
    let mut question_owner: HashMap<String, (String, Origin)> = HashMap::new();
    let mut stopwords_seen: Option<Origin> = None;
    let mut safety_raw: Option<(usize, raw::Safety)> = None;
    let mut checklist_raw: Option<(usize, Spanned<raw::Checklist>)> = None;
    let mut cooling_raw: Option<(usize, Spanned<raw::CoolingOff>)> = None;
    let mut scope_raw: Option<(usize, Spanned<raw::Scope>)> = None;
    let mut cues_written = Vec::new();
    let mut offer_refs: Vec<(usize, String, Spanned<String>)> = Vec::new();
    let mut concept_terms: HashMap<String, (String, Origin)> = HashMap::new();

    for (file, parsed) in parsed_files {
        for raw_entry in parsed.entry {
            let id_span = raw_entry.id.span();
            let id = raw_entry.id.get_ref().clone();
            if !check_id(&mut checker, file, id_span.clone(), &id, &entry_origins) {
                continue;
            }
            entry_origins.insert(id.clone(), checker.origin(file, id_span.clone()));
            if let Some(entry) = check_entry(
                &mut checker,
                file,
                raw_entry,
                &mut related_refs,
                &mut question_owner,
                &mut cues_written,
            ) {
                knowledge.entries.push(entry);
            }
        }

        for group in parsed.synonym {
            if let Some(group) = check_synonym(&mut checker, file, group, &mut concept_terms) {
                knowledge.synonyms.push(group);
            }
        }

        if let Some(stopwords) = parsed.stopwords {
            let span = stopwords.span();
            if let Some(first) = &stopwords_seen {
                let at = checker.at(first);
                checker.error(
                    file,
                    span,
                    format!("[stopwords] is defined twice (first at {at})"),
                );
            } else {
                stopwords_seen = Some(checker.origin(file, span));
                let stopwords = stopwords.into_inner();
                knowledge.stopwords = Bilingual {
                    zh: stopwords
                        .zh
                        .iter()
                        .map(|w| normalize(w))
                        .filter(|w| !w.is_empty())
                        .collect(),
                    en: stopwords
                        .en
                        .iter()
                        .map(|w| normalize(w))
                        .filter(|w| !w.is_empty())
                        .collect(),
                };
            }
        }

        if let Some(safety) = parsed.safety {
            let span = safety.span();
            if let Some((first_file, _)) = &safety_raw {
                let at = checker.files[*first_file].path.display().to_string();
                checker.error(
                    file,
                    span,
                    format!("[safety] is defined twice (first in {at})"),
                );
            } else {
                safety_raw = Some((file, safety.into_inner()));
            }
        }

        if let Some(checklist) = parsed.checklist {
            once(
                &mut checker,
                "[checklist]",
                file,
                checklist,
                &mut checklist_raw,
            );
        }
        if let Some(cooling) = parsed.cooling_off {
            once(
                &mut checker,
                "[cooling_off]",
                file,
                cooling,
                &mut cooling_raw,
            );
        }

        if let Some(section) = parsed.scope {
            once(&mut checker, "[scope]", file, section, &mut scope_raw);
        }

        for scope in parsed.out_of_scope {
            let span = scope.id.span();
            let id = scope.id.get_ref().clone();
            if !check_id(&mut checker, file, span.clone(), &id, &entry_origins) {
                continue;
            }
            entry_origins.insert(id.clone(), checker.origin(file, span.clone()));
            let questions = check_questions(
                &mut checker,
                file,
                span.clone(),
                &id,
                scope.questions,
                &mut question_owner,
                false,
            );
            let owner = format!("out-of-scope topic '{id}'");
            let reply = scope::reply(&mut checker, file, &span, &id, scope.reply);
            let when = scope::cues(
                &mut checker,
                file,
                &owner,
                "when",
                scope.when,
                &mut cues_written,
            );
            let unless = scope::cues(
                &mut checker,
                file,
                &owner,
                "unless",
                scope.unless,
                &mut cues_written,
            );
            let sure = scope::cues(
                &mut checker,
                file,
                &owner,
                "sure",
                scope.sure,
                &mut cues_written,
            );
            offer_refs.extend(scope.offer.iter().map(|o| (file, id.clone(), o.clone())));
            if let Some(questions) = questions {
                knowledge.out_of_scope.push(OutOfScope {
                    id,
                    questions,
                    reply,
                    framed: scope.framed.unwrap_or(!when.is_empty()),
                    when,
                    unless,
                    sure,
                    offer: scope.offer.into_iter().map(|o| o.into_inner()).collect(),
                });
            }
        }
    }

    let entry_ids: HashMap<&str, ()> = knowledge
        .entries
        .iter()
        .map(|e| (e.id.as_str(), ()))
        .collect();
    for (file, owner, target) in related_refs {
        let span = target.span();
        let target = target.into_inner();
        if target == owner {
            checker.error(
                file,
                span,
                format!("entry '{owner}' lists itself in related"),
            );
        } else if !entry_ids.contains_key(target.as_str()) {
            checker.error(
                file,
                span,
                format!("entry '{owner}': related id '{target}' does not name any entry"),
            );
        }
    }

    for (file, owner, target) in offer_refs {
        if !entry_ids.contains_key(target.get_ref().as_str()) {
            checker.error(
                file,
                target.span(),
                format!(
                    "out-of-scope topic '{owner}': offer '{}' does not name any entry",
                    target.get_ref()
                ),
            );
        }
    }

    if let Some((file, safety)) = safety_raw {
        let span = safety.entry.span();
        let entry = safety.entry.into_inner();
        if !entry_ids.contains_key(entry.as_str()) {
            checker.error(
                file,
                span.clone(),
                format!("[safety] entry '{entry}' does not name any entry"),
            );
        }
        let mut triggers = Vec::new();
        for written in safety.triggers.zh.into_iter().chain(safety.triggers.en) {
            match trigger_parts(written.get_ref()) {
                Ok(expanded) => triggers.extend(expanded),
                Err(problem) => checker.error(file, written.span(), format!("[safety] {problem}")),
            }
        }
        let mut phrases = |key: &str, raw: raw::Triggers| -> Vec<String> {
            let mut out = Vec::new();
            for phrase in raw.zh.into_iter().chain(raw.en) {
                let expanded = match scope::expand_braces(phrase.get_ref()) {
                    Ok(expanded) => expanded,
                    Err(problem) => {
                        checker.error(
                            file,
                            phrase.span(),
                            format!("[safety] {key} '{}': {problem}", phrase.get_ref()),
                        );
                        continue;
                    }
                };
                for written in expanded {
                    let normalized = normalize(&written);
                    if normalized.is_empty() {
                        checker.error(
                            file,
                            phrase.span(),
                            format!("[safety] {key} has an empty phrase"),
                        );
                    } else {
                        out.push(normalized);
                    }
                }
            }
            out
        };
        let parties = phrases("parties", safety.parties);
        let requests = phrases("requests", safety.requests);
        let own = phrases("own", safety.own);
        if parties.is_empty() != requests.is_empty() {
            checker.error(
                file,
                span.clone(),
                "[safety] needs both parties and requests, or neither: one without the other never fires".to_string(),
            );
        }
        if triggers.is_empty() && parties.is_empty() {
            checker.error(file, span, "[safety] lists no triggers".to_string());
        }
        knowledge.safety = Some(Safety {
            entry,
            triggers,
            parties,
            requests,
            own,
        });
    }

    let entry_set: HashSet<&str> = entry_ids.keys().copied().collect();
    let checklist = checklist_raw.and_then(|(file, raw)| {
        let span = raw.span();
        guided::checklist(&mut checker, file, span, raw.into_inner(), &entry_set)
    });
    let cooling_off = cooling_raw.and_then(|(file, raw)| {
        let span = raw.span();
        guided::cooling_off(&mut checker, file, span, raw.into_inner(), &entry_set)
    });
    if let Some((file, raw)) = scope_raw {
        let related: HashMap<&str, &[String]> = knowledge
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.related.as_slice()))
            .collect();
        knowledge.scope = scope::scope(
            &mut checker,
            file,
            raw.into_inner(),
            &related,
            &mut cues_written,
        );
    }
    let concepts: HashSet<&str> = knowledge
        .synonyms
        .iter()
        .map(|s| s.concept.as_str())
        .collect();
    scope::concepts_exist(&mut checker, &cues_written, &concepts);
    drop(concepts);
    for (file, text) in example_files {
        let examples = examples::examples(&mut checker, file, &text, &entry_set);
        knowledge.examples.extend(examples);
    }
    drop(entry_set);
    knowledge.checklist = checklist;
    knowledge.cooling_off = cooling_off;

    if knowledge.entries.is_empty() && checker.problems.is_empty() {
        let file_count = checker.files.len();
        for file in 0..file_count {
            checker.error(
                file,
                0..0,
                "no [[entry]] in this file or any other".to_string(),
            );
        }
    }

    let mut problems = checker.problems;
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }
    knowledge.index_ids();
    (Some(knowledge), problems)
}

/// Keeps the first definition of a section that may appear once in the
/// whole folder; a second one is an error naming the first.
fn once<T>(
    checker: &mut Checker<'_>,
    name: &str,
    file: usize,
    section: Spanned<T>,
    first: &mut Option<(usize, Spanned<T>)>,
) {
    match first {
        Some((first_file, _)) => {
            let at = checker.files[*first_file].path.display().to_string();
            checker.error(
                file,
                section.span(),
                format!("{name} is defined twice (first in {at})"),
            );
        }
        None => *first = Some((file, section)),
    }
}

/// Checks an id's spelling and uniqueness; false if it cannot be used.
fn check_id(
    checker: &mut Checker<'_>,
    file: usize,
    span: Range<usize>,
    id: &str,
    seen: &HashMap<String, Origin>,
) -> bool {
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        checker.error(
            file,
            span,
            format!("id '{id}' must be 1-{MAX_ID_LEN} lowercase ASCII letters, digits or '-'"),
        );
        return false;
    }
    if let Some(first) = seen.get(id) {
        let at = checker.at(first);
        checker.error(
            file,
            span,
            format!("duplicate id '{id}' (first defined at {at})"),
        );
        return false;
    }
    true
}

fn check_entry(
    checker: &mut Checker<'_>,
    file: usize,
    raw: raw::Entry,
    related_refs: &mut Vec<(usize, String, Spanned<String>)>,
    question_owner: &mut HashMap<String, (String, Origin)>,
    cues_written: &mut Vec<scope::Written>,
) -> Option<Entry> {
    let id_span = raw.id.span();
    let id = raw.id.into_inner();
    let kind = match raw.kind {
        None => {
            checker.error(file, id_span.clone(), format!("entry '{id}' has no kind"));
            None
        }
        Some(kind) => {
            let parsed = Kind::parse(kind.get_ref());
            if parsed.is_none() {
                let names: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                checker.error(
                    file,
                    kind.span(),
                    format!(
                        "entry '{id}': unknown kind '{}' (expected one of: {})",
                        kind.get_ref(),
                        names.join(", ")
                    ),
                );
            }
            parsed
        }
    };
    let owner = format!("entry '{id}'");
    let title = check_text(checker, file, &id_span, &owner, "title", raw.title, None);
    let max = (
        checker.limits.max_answer_chars_zh,
        checker.limits.max_answer_words_en,
    );
    let answer = check_text(
        checker,
        file,
        &id_span,
        &owner,
        "answer",
        raw.answer,
        Some(max),
    );
    let questions = check_questions(
        checker,
        file,
        id_span,
        &id,
        raw.questions,
        question_owner,
        true,
    );
    let related: Vec<String> = raw.related.iter().map(|r| r.get_ref().clone()).collect();
    related_refs.extend(raw.related.into_iter().map(|r| (file, id.clone(), r)));
    let cues = scope::cues(checker, file, &owner, "cues", raw.cues, cues_written);
    Some(Entry {
        id,
        kind: kind?,
        title: title?,
        questions: questions?,
        answer: answer?,
        related,
        cues,
    })
}

/// Checks a bilingual text of `owner` ("entry 'x'"); `max` is the longest
/// it may be: Chinese characters (whitespace not counted) and English words.
fn check_text(
    checker: &mut Checker<'_>,
    file: usize,
    id_span: &Range<usize>,
    owner: &str,
    field: &str,
    raw: raw::Text,
    max: Option<(usize, usize)>,
) -> Option<Bilingual<String>> {
    let mut get = |lang: &str, value: Option<Spanned<String>>| -> Option<String> {
        let Some(value) = value else {
            checker.error(
                file,
                id_span.clone(),
                format!("{owner} has no {field}.{lang}"),
            );
            return None;
        };
        let span = value.span();
        let text = value.into_inner().trim().to_string();
        if text.is_empty() {
            checker.error(file, span, format!("{owner} has an empty {field}.{lang}"));
            return None;
        }
        if lang == "zh"
            && let Some(mark) = ascii_punctuation_in_chinese(&text)
        {
            checker.warn(
                file,
                span.clone(),
                format!("{owner}: {field}.zh uses the ASCII '{mark}' in Chinese text; use the full-width form"),
            );
        }
        if let Some((max_zh, max_en)) = max {
            let (size, max, unit) = if lang == "zh" {
                let chars = text.chars().filter(|c| !c.is_whitespace()).count();
                (chars, max_zh, "characters")
            } else {
                (text.split_whitespace().count(), max_en, "words")
            };
            if size > max {
                checker.error(
                    file,
                    span,
                    format!("{owner}: {field}.{lang} is too long ({size} {unit}, at most {max})"),
                );
            }
        }
        Some(text)
    };
    let zh = get("zh", raw.zh);
    let en = get("en", raw.en);
    Some(Bilingual { zh: zh?, en: en? })
}

/// The first ASCII comma, colon, semicolon, bracket, `!` or `?` written next
/// to a Chinese character, where Chinese text takes the full-width form.
fn ascii_punctuation_in_chinese(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let beside_han = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| chars.get(j))
            .any(|&n| crate::normalize::is_han(n));
        (",:;()!?".contains(c) && beside_han).then_some(c)
    })
}

/// Checks question variants: present, non-empty, and not the same (after
/// normalisation) as a question of another entry.
fn check_questions(
    checker: &mut Checker<'_>,
    file: usize,
    id_span: Range<usize>,
    id: &str,
    raw: raw::Questions,
    owner: &mut HashMap<String, (String, Origin)>,
    is_entry: bool,
) -> Option<Bilingual<Vec<String>>> {
    let (min_zh, min_en) = (
        checker.limits.min_questions_zh,
        checker.limits.min_questions_en,
    );
    let mut get = |lang: &str, list: Option<Spanned<Vec<Spanned<String>>>>, min: usize| {
        let Some(list) = list else {
            checker.error(
                file,
                id_span.clone(),
                format!("'{id}' has no questions.{lang}"),
            );
            return None;
        };
        let list_span = list.span();
        let mut questions = Vec::new();
        for question in list.into_inner() {
            let span = question.span();
            let text = question.into_inner().trim().to_string();
            let key = normalize(&text);
            if key.is_empty() {
                checker.error(
                    file,
                    span,
                    format!("'{id}' has an empty question in questions.{lang}"),
                );
                continue;
            }
            match owner.get(&key) {
                Some((other, origin)) if other != id => {
                    let at = checker.at(origin);
                    checker.error(
                        file,
                        span,
                        format!(
                            "question '{text}' of '{id}' is also a question of '{other}' ({at})"
                        ),
                    );
                }
                Some(_) => {
                    checker.warn(
                        file,
                        span,
                        format!("question '{text}' is repeated in '{id}'"),
                    );
                }
                None => {
                    let origin = checker.origin(file, span);
                    owner.insert(key, (id.to_string(), origin));
                    questions.push(text);
                }
            }
        }
        if is_entry && questions.len() < min {
            checker.warn(
                file,
                list_span,
                format!(
                    "'{id}' has {} questions.{lang}, fewer than {min}",
                    questions.len()
                ),
            );
        }
        Some(questions)
    };
    let zh = get("zh", raw.zh, min_zh);
    let en = get("en", raw.en, min_en);
    Some(Bilingual { zh: zh?, en: en? })
}

fn check_synonym(
    checker: &mut Checker<'_>,
    file: usize,
    raw: raw::Synonym,
    concept_terms: &mut HashMap<String, (String, Origin)>,
) -> Option<SynonymGroup> {
    let span = raw.concept.span();
    let concept = raw.concept.into_inner();
    if concept.is_empty() || !concept.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        checker.error(
            file,
            span,
            format!("synonym concept '{concept}' must be lowercase ASCII letters or '-'"),
        );
        return None;
    }
    let mut terms: Bilingual<Vec<String>> = Bilingual::default();
    for (lang, list, out) in [("zh", raw.zh, &mut terms.zh), ("en", raw.en, &mut terms.en)] {
        for term in list {
            let span = term.span();
            let normalized = normalize(term.get_ref());
            if normalized.is_empty() {
                checker.error(
                    file,
                    span,
                    format!("synonym '{concept}' has an empty {lang} term"),
                );
                continue;
            }
            if let Some((other, origin)) = concept_terms.get(&normalized) {
                let at = checker.at(origin);
                let message = if *other == concept {
                    format!("synonym term '{normalized}' is repeated in '{concept}' ({at})")
                } else {
                    format!(
                        "synonym term '{normalized}' is in both '{other}' and '{concept}' ({at})"
                    )
                };
                checker.error(file, span, message);
                continue;
            }
            let origin = checker.origin(file, span);
            concept_terms.insert(normalized.clone(), (concept.clone(), origin));
            out.push(normalized);
        }
    }
    if terms.zh.is_empty() && terms.en.is_empty() {
        checker.error(file, span, format!("synonym '{concept}' lists no terms"));
        return None;
    }
    Some(SynonymGroup { concept, terms })
}

/// A scam trigger's parts (normalised), one list per choice of its braces
/// ("{帮他,帮她}收+验证码" is two triggers of two parts).
fn trigger_parts(written: &str) -> Result<Vec<Vec<String>>, String> {
    scope::expand_braces(written)
        .map_err(|problem| format!("trigger '{written}': {problem}"))?
        .into_iter()
        .map(|trigger| {
            let parts: Vec<String> = trigger.split('+').map(normalize).collect();
            if parts.iter().any(String::is_empty) {
                Err(format!("has an empty trigger or part: '{trigger}'"))
            } else if parts.len() > MAX_TRIGGER_PARTS {
                Err(format!(
                    "trigger '{trigger}' has more than {MAX_TRIGGER_PARTS} parts"
                ))
            } else {
                Ok(parts)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_with_braces_is_one_trigger_per_choice() {
        assert_eq!(
            trigger_parts("{帮他,帮她}收+验证码").unwrap(),
            [["帮他收", "验证码"], ["帮她收", "验证码"]]
        );
        assert_eq!(trigger_parts("代注销").unwrap(), [["代注销"]]);
        assert!(
            trigger_parts("{帮他收+验证码")
                .unwrap_err()
                .contains("not closed")
        );
        assert!(trigger_parts("{a,}+b").unwrap_err().contains("empty"));
    }
}
