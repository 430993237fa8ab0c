//! Shared helpers: the shipped knowledge base, throwaway knowledge folders,
//! and the `faqbot` binary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use faqbot::Faq;
use faqbot::settings::Settings;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn settings() -> Settings {
    Settings::load(None, HashMap::new()).expect("built-in settings load")
}

/// The shipped knowledge base with the shipped settings, built once.
pub fn shipped() -> &'static Faq {
    static FAQ: OnceLock<Faq> = OnceLock::new();
    FAQ.get_or_init(|| {
        let s = settings();
        Faq::load(&repo().join("knowledge"), &s.limits, s.matcher).expect("shipped knowledge loads")
    })
}

/// A temporary knowledge folder holding `files` (name, contents).
pub fn knowledge_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create knowledge subfolder");
        }
        std::fs::write(path, contents).expect("write knowledge file");
    }
    dir
}

/// A valid entry with id `id`, `related` ids, and question prefix `q` (so
/// that entries' questions differ).
pub fn entry(id: &str, q: &str, related: &[&str]) -> String {
    let related: Vec<String> = related.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        r#"
[[entry]]
id = "{id}"
kind = "step"
title.zh = "标题{q}"
title.en = "Title {q}"
questions.zh = ["{q}一", "{q}二", "{q}三", "{q}四", "{q}五", "{q}六", "{q}七", "{q}八"]
questions.en = ["{q} one", "{q} two", "{q} three", "{q} four", "{q} five", "{q} six"]
answer.zh = "答案{q}"
answer.en = "Answer {q}"
related = [{}]
"#,
        related.join(", ")
    )
}

/// The `faqbot` binary, run from the repository root with no FAQBOT_* or
/// RUST_LOG and TELOXIDE_TOKEN variables from the caller's environment, and
/// with its cache folder in the build's folder for tests rather than the
/// user's.
pub fn faqbot() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    command.current_dir(repo());
    for (key, _) in std::env::vars() {
        if key.starts_with("FAQBOT") || key == "RUST_LOG" || key == "TELOXIDE_TOKEN" {
            command.env_remove(key);
        }
    }
    command.env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"));
    command
}

pub fn path_str(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_string()
}

pub fn data(name: &str) -> PathBuf {
    repo().join("tests").join("data").join(name)
}

/// A copy of the shipped knowledge folder that a test may edit.
pub fn knowledge_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_folder(&repo().join("knowledge"), dir.path());
    dir
}

fn copy_folder(from: &Path, to: &Path) {
    for file in std::fs::read_dir(from).expect("knowledge folder") {
        let path = file.expect("folder entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            std::fs::create_dir(&target).expect("create knowledge subfolder");
            copy_folder(&path, &target);
        } else {
            std::fs::copy(&path, target).expect("copy knowledge file");
        }
    }
}

/// Replaces the English answer of the first entry of the knowledge file
/// `file` with `answer` and returns the entry's id. The file is written
/// whole and renamed into place, as editors save.
pub fn set_first_english_answer(file: &Path, answer: &str) -> String {
    let text = std::fs::read_to_string(file).expect("knowledge file");
    let mut doc: toml::Table = text.parse().expect("knowledge file is TOML");
    let entry = doc["entry"].as_array_mut().expect("entries")[0]
        .as_table_mut()
        .expect("entry table");
    entry["answer"].as_table_mut().expect("answer table")["en"] = answer.into();
    let id = entry["id"].as_str().expect("id").to_string();
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, toml::to_string(&doc).expect("serialise")).expect("write");
    std::fs::rename(&tmp, file).expect("rename");
    id
}

/// A new store in a temporary folder (deleted with the `TempDir`).
pub fn temp_store() -> (
    tempfile::TempDir,
    std::sync::Arc<faqbot::store::SqliteStore>,
) {
    let dir = tempfile::tempdir().unwrap();
    let store = faqbot::store::SqliteStore::open(&dir.path().join("faqbot.sqlite3")).unwrap();
    (dir, std::sync::Arc::new(store))
}

/// The shipped knowledge, live, validated with `settings`' limits.
pub fn live_shipped(settings: &Settings) -> std::sync::Arc<faqbot::live::LiveFaq> {
    let faq = faqbot::live::LiveFaq::load(
        &repo().join("knowledge"),
        settings.limits.clone(),
        settings.matcher.clone(),
    )
    .expect("the shipped knowledge loads");
    std::sync::Arc::new(faq)
}

/// A bot running (`faqbot::bot::run`) with a store of its own until stopped.
pub struct Running {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub reload: tokio::sync::mpsc::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    pub store: std::sync::Arc<faqbot::store::SqliteStore>,
    /// Keeps the store's folder until the bot is dropped.
    _store_dir: std::sync::Arc<tempfile::TempDir>,
}

impl Running {
    /// Runs `bot` (already pointed at its API) on a new store.
    pub fn spawn(
        bot: teloxide::Bot,
        faq: std::sync::Arc<faqbot::live::LiveFaq>,
        options: faqbot::bot::Options,
    ) -> Running {
        let (dir, store) = temp_store();
        Running::spawn_on(bot, faq, options, (std::sync::Arc::new(dir), store))
    }

    /// Runs `bot` on a given store (kept alive by the `TempDir`).
    pub fn spawn_on(
        bot: teloxide::Bot,
        faq: std::sync::Arc<faqbot::live::LiveFaq>,
        options: faqbot::bot::Options,
        (dir, store): (
            std::sync::Arc<tempfile::TempDir>,
            std::sync::Arc<faqbot::store::SqliteStore>,
        ),
    ) -> Running {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (reload, reloads) = tokio::sync::mpsc::channel(1);
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(faqbot::bot::run(
            bot,
            faq,
            store.clone(),
            options,
            shutdown,
            reloads,
        ));
        Running {
            stop: Some(stop),
            reload,
            task,
            store,
            _store_dir: dir,
        }
    }

    /// Stops the bot, which must stop within 5 seconds (it finishes the
    /// updates in hand); how long it took.
    pub async fn stop(self) -> std::time::Duration {
        self.stop_within(std::time::Duration::from_secs(5))
            .await
            .expect("the bot stops within 5 seconds")
    }

    /// Asks the bot to stop and waits up to `limit`: how long stopping
    /// took, or `None` if it did not stop in time. A bot that panics or
    /// ends with an error fails the test.
    pub async fn stop_within(mut self, limit: std::time::Duration) -> Option<std::time::Duration> {
        let started = std::time::Instant::now();
        let _ = self.stop.take().expect("not stopped yet").send(());
        let stopped = tokio::time::timeout(limit, &mut self.task).await.ok()?;
        stopped
            .expect("the bot task does not panic")
            .expect("the bot stops without error");
        Some(started.elapsed())
    }
}
