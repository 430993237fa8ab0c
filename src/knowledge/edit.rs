//! Changing the knowledge files from the bot or the command line: adding a
//! question variant to an entry (triage of unanswered questions).
//!
//! The file is edited with `toml_edit`, so its comments and layout stay as
//! the admin wrote them; the whole folder is validated as `faqbot check`
//! does before anything is written; and the file is replaced atomically
//! (a temporary file beside it, then a rename), so a crash leaves either
//! the old file or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Value};

use super::{Limits, LoadError, Problem, read_folder, validate};
use crate::Lang;
use crate::normalize::normalize;

/// Why a question could not be added.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The folder could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// No knowledge file has an entry with this id.
    #[error("no entry '{0}' in the knowledge folder")]
    NoSuchEntry(String),
    /// The entry has no `questions.<lang>` list to add to.
    #[error("{}: entry '{entry}' has no questions.{lang} list", file.display())]
    NoQuestionList {
        file: PathBuf,
        entry: String,
        lang: Lang,
    },
    /// The entry already has this question (after normalisation).
    #[error("entry '{entry}' already has the question \"{question}\"")]
    AlreadyThere { entry: String, question: String },
    /// The question is empty once normalised.
    #[error("the question is empty")]
    Empty,
    /// The edited folder would not pass `faqbot check`; nothing was written.
    #[error("the edit would break the knowledge folder: {}", .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Problem>),
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Adds `question` to entry `entry`'s `questions.<lang>` in whichever file
/// of `dir` holds the entry. Returns that file.
pub fn add_question(
    dir: &Path,
    limits: &Limits,
    entry: &str,
    lang: Lang,
    question: &str,
) -> Result<PathBuf, EditError> {
    let question = question.trim();
    if normalize(question).is_empty() {
        return Err(EditError::Empty);
    }
    let mut files = read_folder(dir)?;
    let mut edited = None;
    for (index, file) in files.iter().enumerate() {
        // A file that does not parse cannot hold the entry we want; `check`
        // below reports it if it matters.
        let Ok(mut doc) = file.text.parse::<DocumentMut>() else {
            continue;
        };
        match push_question(&mut doc, entry, lang, question) {
            Some(Ok(())) => {
                edited = Some((index, doc.to_string()));
                break;
            }
            Some(Err(Refusal::NoList)) => {
                return Err(EditError::NoQuestionList {
                    file: file.path.clone(),
                    entry: entry.to_string(),
                    lang,
                });
            }
            Some(Err(Refusal::Duplicate)) => {
                return Err(EditError::AlreadyThere {
                    entry: entry.to_string(),
                    question: question.to_string(),
                });
            }
            None => {}
        }
    }
    let Some((index, text)) = edited else {
        return Err(EditError::NoSuchEntry(entry.to_string()));
    };
    let path = files[index].path.clone();
    files[index].text = text.clone();
    let (_, problems) = validate::validate(files, limits);
    let errors: Vec<Problem> = problems.into_iter().filter(Problem::is_error).collect();
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    write_atomically(&path, text.as_bytes()).map_err(|source| EditError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

enum Refusal {
    NoList,
    Duplicate,
}

/// Appends `question` to entry `id`'s list in `doc`, laid out like the
/// items before it. `None` if `doc` has no such entry.
fn push_question(
    doc: &mut DocumentMut,
    id: &str,
    lang: Lang,
    question: &str,
) -> Option<Result<(), Refusal>> {
    let entries = doc.get_mut("entry")?.as_array_of_tables_mut()?;
    let table = entries
        .iter_mut()
        .find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id))?;
    let Some(list) = table
        .get_mut("questions")
        .and_then(|q| q.as_table_like_mut())
        .and_then(|q| q.get_mut(lang.code()))
        .and_then(|l| l.as_array_mut())
    else {
        return Some(Err(Refusal::NoList));
    };
    let wanted = normalize(question);
    if list
        .iter()
        .filter_map(Value::as_str)
        .any(|q| normalize(q) == wanted)
    {
        return Some(Err(Refusal::Duplicate));
    }
    // The last item's prefix may hold the comment after the item before it;
    // keep only its line break and indentation.
    let prefix = match list
        .iter()
        .last()
        .and_then(|last| last.decor().prefix())
        .and_then(|p| p.as_str())
    {
        Some(p) if p.contains('\n') => format!("\n{}", p.rsplit('\n').next().unwrap_or("")),
        Some(p) => p.to_string(),
        None => " ".to_string(),
    };
    let mut value = Value::from(question);
    value.decor_mut().set_prefix(prefix);
    value.decor_mut().set_suffix("");
    list.push_formatted(value);
    Some(Ok(()))
}

/// Replaces `path` with `bytes`: written and synced beside it, then renamed
/// over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Not `*.toml`, so neither the loader nor the folder watcher sees it.
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        // Make the rename itself durable.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Top comment stays.
[[entry]]
id = "first"
kind = "step"
title.zh = "第一"
title.en = "First"
questions.zh = [
  "怎么注销",  # a comment on an item
  "在哪注销",
]
questions.en = ["how to delete", "where to delete"]
answer.zh = "答"
answer.en = "Answer"
"#;

    fn edit(doc: &str, id: &str, lang: Lang, q: &str) -> Option<Result<String, ()>> {
        let mut doc: DocumentMut = doc.parse().unwrap();
        Some(match push_question(&mut doc, id, lang, q)? {
            Ok(()) => Ok(doc.to_string()),
            Err(_) => Err(()),
        })
    }

    #[test]
    fn a_question_is_appended_in_the_lists_own_layout() {
        let out = edit(FILE, "first", Lang::Zh, "注销入口在哪")
            .unwrap()
            .unwrap();
        assert!(out.starts_with("# Top comment stays.\n"), "{out}");
        assert!(
            out.contains("  \"怎么注销\",  # a comment on an item\n"),
            "{out}"
        );
        assert!(
            out.contains("  \"在哪注销\",\n  \"注销入口在哪\",\n]"),
            "appended on its own line with a trailing comma:\n{out}"
        );
        let out = edit(FILE, "first", Lang::En, "delete it").unwrap().unwrap();
        assert!(
            out.contains(r#"questions.en = ["how to delete", "where to delete", "delete it"]"#),
            "{out}"
        );
    }

    #[test]
    fn duplicates_and_unknown_entries_are_refused() {
        assert_eq!(
            edit(FILE, "first", Lang::En, "How to DELETE?"),
            Some(Err(()))
        );
        assert_eq!(edit(FILE, "second", Lang::En, "x"), None);
    }
}
