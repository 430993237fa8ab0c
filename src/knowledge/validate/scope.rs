//! Validation of what the bot covers: `[scope]` (the main topics and the
//! deletion frame) and each `[[out_of_scope]]` topic's reply and cues. Cues
//! name synonym concepts and the main topics name entries, so both are
//! checked once every file is read.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::{Checker, check_text, raw};
use crate::knowledge::{Bilingual, Cue, CuePart, Scope};
use crate::normalize::normalize;

/// The longest out-of-scope reply: Chinese characters and English words. It
/// is one line saying what the bot does not and does cover.
const MAX_REPLY: (usize, usize) = (120, 45);

/// The most parts a cue may join with `+`.
pub const MAX_CUE_PARTS: usize = 4;

/// A cue as written, with where it is, for the concept check at the end.
pub(super) struct Written {
    file: usize,
    span: Range<usize>,
    concepts: Vec<String>,
}

/// Reads a list of cues (`when`, `unless`, `frame`): each is parts joined by
/// `+`, a part `#concept` or a phrase (normalised). Bad cues are errors and
/// dropped; their concepts are kept in `written` to check once every
/// synonym group is known.
pub(super) fn cues(
    checker: &mut Checker<'_>,
    file: usize,
    owner: &str,
    field: &str,
    raw: raw::Triggers,
    written: &mut Vec<Written>,
) -> Vec<Cue> {
    let mut out = Vec::new();
    for (lang, list) in [("zh", raw.zh), ("en", raw.en)] {
        for cue in list {
            let span = cue.span();
            let text = cue.into_inner();
            let parsed: Result<Vec<_>, String> = expand_braces(&text)
                .and_then(|texts| texts.iter().map(|one| parse_cue(one)).collect());
            match parsed {
                Ok(cues) => {
                    for (parts, concepts) in cues {
                        written.push(Written {
                            file,
                            span: span.clone(),
                            concepts,
                        });
                        out.push(parts);
                    }
                }
                Err(problem) => {
                    checker.error(
                        file,
                        span,
                        format!("{owner}: {field}.{lang} cue '{text}': {problem}"),
                    );
                }
            }
        }
    }
    out
}

/// One cue (braces expanded): its parts, and the concepts it names.
fn parse_cue(text: &str) -> Result<(Cue, Vec<String>), String> {
    let mut parts = Vec::new();
    let mut concepts = Vec::new();
    for part in text.split('+') {
        let part = part.trim();
        if let Some(concept) = part.strip_prefix('#') {
            let concept = concept.trim();
            if concept.is_empty() {
                return Err("an empty part".into());
            }
            concepts.push(concept.to_string());
            parts.push(CuePart::Concept(concept.to_string()));
        } else {
            let phrase = normalize(part);
            if phrase.is_empty() {
                return Err("an empty part".into());
            }
            parts.push(CuePart::Phrase(phrase));
        }
    }
    if parts.len() > MAX_CUE_PARTS {
        return Err(format!("more than {MAX_CUE_PARTS} parts"));
    }
    Ok((parts, concepts))
}

/// The most cues one written cue may expand to.
pub const MAX_EXPANSIONS: usize = 1000;

/// Expands each `{a,b,c}` in a cue into one cue per choice, left to right
/// ("{delete,remove} {a ,my ,}video" is six cues; a choice may be empty).
/// Braces do not nest.
pub(super) fn expand_braces(text: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|at| open + at)
            .ok_or("a '{' is not closed")?;
        let choices = &rest[open + 1..close];
        if choices.contains('{') {
            return Err("braces do not nest".into());
        }
        let literal = &rest[..open];
        if literal.contains('}') {
            return Err("a '}' was not opened".into());
        }
        let count = out.len() * choices.split(',').count();
        if count > MAX_EXPANSIONS {
            return Err(format!("expands to more than {MAX_EXPANSIONS} cues"));
        }
        out = out
            .iter()
            .flat_map(|done| {
                choices
                    .split(',')
                    .map(move |choice| format!("{done}{literal}{choice}"))
            })
            .collect();
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err("a '}' was not opened".into());
    }
    for done in &mut out {
        done.push_str(rest);
    }
    Ok(out)
}

/// An out-of-scope topic's reply: both languages or neither.
pub(super) fn reply(
    checker: &mut Checker<'_>,
    file: usize,
    span: &Range<usize>,
    id: &str,
    raw: raw::Text,
) -> Option<Bilingual<String>> {
    if raw.zh.is_none() && raw.en.is_none() {
        return None;
    }
    check_text(
        checker,
        file,
        span,
        &format!("out-of-scope topic '{id}'"),
        "reply",
        raw,
        Some(MAX_REPLY),
    )
}

/// `[scope]`: the main topics, the self-framed entries and the twins must
/// name entries (`entries`: each entry's related entries, by id), and twins
/// must list each other as related, so that the one answered shows the other.
pub(super) fn scope(
    checker: &mut Checker<'_>,
    file: usize,
    raw: raw::Scope,
    entries: &HashMap<&str, &[String]>,
    written: &mut Vec<Written>,
) -> Scope {
    let main = entry_list(checker, file, raw.main, entries, "main topic");
    let self_framed = entry_list(checker, file, raw.self_framed, entries, "self-framed entry");
    let frame = cues(checker, file, "[scope]", "frame", raw.frame, written);
    let not_deleting = cues(
        checker,
        file,
        "[scope]",
        "not_deleting",
        raw.not_deleting,
        written,
    );
    let contents = cues(checker, file, "[scope]", "contents", raw.contents, written);
    let mut bare = Vec::new();
    for concept in raw.bare {
        let span = concept.span();
        let name = concept.into_inner();
        let name = name.trim().trim_start_matches('#').to_string();
        written.push(Written {
            file,
            span,
            concepts: vec![name.clone()],
        });
        bare.push(name);
    }
    let mut twins: Vec<[String; 2]> = Vec::new();
    for pair in raw.twins {
        let span = pair.span();
        let pair = pair.into_inner();
        let [a, b] = pair.as_slice() else {
            checker.error(
                file,
                span,
                format!("[scope] twins: {pair:?} is not a pair of entry ids"),
            );
            continue;
        };
        let related =
            |x: &String, y: &String| entries.get(x.as_str()).is_some_and(|r| r.contains(y));
        if let Some(unknown) = [a, b]
            .into_iter()
            .find(|id| !entries.contains_key(id.as_str()))
        {
            checker.error(
                file,
                span,
                format!("[scope] twins: '{unknown}' does not name any entry"),
            );
        } else if a == b {
            checker.error(
                file,
                span,
                format!("[scope] twins: '{a}' is paired with itself"),
            );
        } else if let Some((x, y)) = [(a, b), (b, a)].into_iter().find(|(x, y)| !related(x, y)) {
            checker.error(
                file,
                span,
                format!("[scope] twins: '{x}' does not list '{y}' in related"),
            );
        } else if twins.iter().any(|t| t.contains(a) && t.contains(b)) {
            checker.error(
                file,
                span,
                format!("[scope] twins: '{a}' and '{b}' are paired twice"),
            );
        } else {
            twins.push([a.clone(), b.clone()]);
        }
    }
    Scope {
        main,
        frame,
        not_deleting,
        contents,
        bare,
        self_framed,
        twins,
    }
}

/// A `[scope]` list of entry ids: each must name an entry, once.
fn entry_list(
    checker: &mut Checker<'_>,
    file: usize,
    raw: Vec<Spanned<String>>,
    entries: &HashMap<&str, &[String]>,
    what: &str,
) -> Vec<String> {
    let mut ids = Vec::new();
    for id in raw {
        let span = id.span();
        let id = id.into_inner();
        if !entries.contains_key(id.as_str()) {
            checker.error(
                file,
                span,
                format!("[scope] {what} '{id}' does not name any entry"),
            );
        } else if ids.contains(&id) {
            checker.error(file, span, format!("[scope] lists {what} '{id}' twice"));
        } else {
            ids.push(id);
        }
    }
    ids
}

/// Every concept a cue names must be a synonym group's.
pub(super) fn concepts_exist(
    checker: &mut Checker<'_>,
    written: &[Written],
    known: &HashSet<&str>,
) {
    for cue in written {
        for concept in &cue.concepts {
            if !known.contains(concept.as_str()) {
                checker.error(
                    cue.file,
                    cue.span.clone(),
                    format!("cue names '#{concept}', which no [[synonym]] group defines"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cue_is_concepts_and_phrases_joined_by_plus() {
        let (parts, concepts) = parse_cue("#delete + 微信号").unwrap();
        assert_eq!(
            parts,
            [
                CuePart::Concept("delete".into()),
                CuePart::Phrase("微信号".into())
            ]
        );
        assert_eq!(concepts, ["delete"]);
        assert_eq!(parse_cue("#+注销").unwrap_err(), "an empty part");
        assert_eq!(parse_cue("注销+ ").unwrap_err(), "an empty part");
        assert!(parse_cue("a+b+c+d+e").unwrap_err().contains("more than"));
    }

    #[test]
    fn braces_expand_to_one_cue_per_choice() {
        assert_eq!(expand_braces("注销").unwrap(), ["注销"]);
        assert_eq!(
            expand_braces("{delete,remove} {a ,}video+#channels").unwrap(),
            [
                "delete a video+#channels",
                "delete video+#channels",
                "remove a video+#channels",
                "remove video+#channels",
            ]
        );
        assert_eq!(
            expand_braces("删{这条,一条}评论").unwrap(),
            ["删这条评论", "删一条评论"]
        );
        assert!(expand_braces("{a,b").is_err());
        assert!(expand_braces("a,b}").is_err());
        assert!(expand_braces("{a,{b}}").is_err());
        let huge = "{a,b,c,d,e,f,g,h,i,j}".repeat(4);
        assert!(expand_braces(&huge).is_err());
    }
}
