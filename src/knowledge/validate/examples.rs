//! Validation of the example questions (`examples/*.jsonl`): one JSON
//! object per line, `{"q": "...", "expect": ["entry-id", ...]}`, whose ids
//! name entries, or whose `expect` is empty for a question no entry
//! answers. Other fields (`lang`, `tags`, notes) are ignored, so a
//! question set can be used as it is.

use std::collections::HashSet;

use serde::Deserialize;

use super::Checker;
use crate::knowledge::Example;

#[derive(Deserialize)]
struct Line {
    q: String,
    #[serde(default)]
    expect: Vec<String>,
}

/// The examples of one file; every line that is not one is reported.
/// Ids that start with `@` (a guided-help answer such as `@cooling`) name
/// no entry and are left out; an example with only such ids is skipped.
pub(super) fn examples(
    checker: &mut Checker<'_>,
    file: usize,
    text: &str,
    entries_known: &HashSet<&str>,
) -> Vec<Example> {
    let source = checker.files[file]
        .path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut examples = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let span = start..start + line.len();
        start += line.len();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed: Line = match serde_json::from_str(line) {
            Ok(parsed) => parsed,
            Err(err) => {
                checker.error(file, span, format!("invalid example line: {err}"));
                continue;
            }
        };
        if parsed.q.trim().is_empty() {
            checker.error(file, span, "example with an empty \"q\"".to_string());
            continue;
        }
        // `@cooling` and the like are guided-help answers, not entries.
        let mut entries = Vec::new();
        let mut unknown = None;
        for id in parsed.expect.iter().filter(|id| !id.starts_with('@')) {
            if entries.contains(id) {
                continue;
            }
            if entries_known.contains(id.as_str()) {
                entries.push(id.clone());
            } else {
                unknown.get_or_insert(id);
            }
        }
        if let Some(id) = unknown {
            checker.error(file, span, format!("example names no entry: {id:?}"));
            continue;
        }
        if entries.is_empty() && !parsed.expect.is_empty() {
            continue;
        }
        examples.push(Example {
            text: parsed.q,
            entries,
            source: source.clone(),
        });
    }
    examples
}
