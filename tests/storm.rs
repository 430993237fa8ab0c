//! A reload storm: the knowledge folder is rewritten and reloaded over and
//! over while many tasks ask questions. The folder is small (three entries in
//! two files) so that a debug build reloads it dozens of times a second. Every answer must come from one
//! whole version (never a mix of two files' versions), each task must never
//! see an older version after a newer one, nothing may panic, and the last
//! version written must be the one live at the end.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use faqbot::Lang;
use faqbot::knowledge::Limits;
use faqbot::live::LiveFaq;

use crate::util::{self, set_first_english_answer};

/// Versions written (each rewrites two files, then reloads).
const VERSIONS: usize = 200;
/// Tasks asking questions throughout.
const ASKERS: usize = 16;

fn answer(version: usize, what: &str) -> String {
    format!("{what}, version {version}.")
}

/// The version number in an answer, if it has exactly one.
fn version_in(text: &str) -> Option<usize> {
    let mut found = text.match_indices("version ").map(|(at, _)| {
        text[at + "version ".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<usize>()
            .ok()
    });
    let first = found.next()??;
    found.next().is_none().then_some(first)
}

/// Writes version `v` of both files: the first English answer of `a.toml`
/// and of `b.toml` (each written whole and renamed into place). Returns the
/// two entries' ids.
fn write_version(dir: &Path, v: usize) -> (String, String) {
    let a = set_first_english_answer(&dir.join("a.toml"), &answer(v, "First"));
    let b = set_first_english_answer(&dir.join("b.toml"), &answer(v, "Second"));
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_stay_whole_during_a_reload_storm_and_the_last_reload_wins() {
    let a = util::entry("alpha", "apple", &["beta"]) + &util::entry("gamma", "grape", &[]);
    let dir = util::knowledge_dir(&[
        ("a.toml", &a),
        ("b.toml", &util::entry("beta", "banana", &[])),
    ]);
    let (after_id, before_id) = write_version(dir.path(), 0);
    let matcher = util::settings().matcher;
    let live = Arc::new(LiveFaq::load(dir.path(), Limits::default(), matcher).expect("loads"));
    // A variant of each entry, asked in English, so the reply shows its answer.
    let snapshot = live.snapshot();
    let question = |id: &str| {
        let entry = snapshot.knowledge().entry(id).expect("entry exists");
        entry.questions.en[0].clone()
    };
    let questions = Arc::new([
        (after_id.clone(), question(&after_id)),
        (before_id.clone(), question(&before_id)),
    ]);
    drop(snapshot);

    // Files are written under this lock and reloads read under it, so that
    // every reload reads a whole version (as an admin's atomic edit would).
    let files = Arc::new(Mutex::new(()));
    let storming = Arc::new(AtomicBool::new(true));
    let reloads = Arc::new(AtomicUsize::new(0));

    // The writer: a new version, then a reload, as fast as it can.
    let writer = {
        let (live, files, reloads) = (live.clone(), files.clone(), reloads.clone());
        let dir = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || {
            for v in 1..=VERSIONS {
                let _whole = files.lock().unwrap();
                write_version(&dir, v);
                live.reload().expect("every version is valid");
                reloads.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // A second reloader that only reloads, racing the writer's reloads.
    let racer = {
        let (live, files, reloads, storming) = (
            live.clone(),
            files.clone(),
            reloads.clone(),
            storming.clone(),
        );
        tokio::task::spawn_blocking(move || {
            while storming.load(Ordering::Relaxed) {
                let _whole = files.lock().unwrap();
                live.reload().expect("the folder is always valid");
                reloads.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let mut askers = Vec::new();
    for task in 0..ASKERS {
        let (live, storming, questions) = (live.clone(), storming.clone(), questions.clone());
        askers.push(tokio::spawn(async move {
            let mut last_seen = 0;
            let mut seen = std::collections::BTreeSet::new();
            let mut asked = 0usize;
            loop {
                // Check the flag before asking, so the last round runs after
                // the storm and sees the final version.
                let more = storming.load(Ordering::Relaxed);
                let faq = live.snapshot();
                let versions: Vec<usize> = questions
                    .iter()
                    .map(|(id, _)| {
                        let entry = faq.knowledge().entry(id).expect("entry in every version");
                        version_in(&entry.answer.en).expect("one version per answer")
                    })
                    .collect();
                assert_eq!(
                    versions[0], versions[1],
                    "task {task}: a snapshot mixes versions"
                );
                let version = versions[0];
                assert!(
                    version >= last_seen,
                    "task {task}: version {version} after {last_seen}"
                );
                last_seen = version;
                seen.insert(version);
                let (id, question) = &questions[asked % questions.len()];
                let reply = faq.ask(question, Some(Lang::En));
                assert_eq!(
                    reply.verdict.answer.as_ref().map(|a| a.id.as_str()),
                    Some(id.as_str()),
                    "{question}"
                );
                assert_eq!(
                    version_in(&reply.body()),
                    Some(version),
                    "task {task}: the reply is not from its snapshot"
                );
                asked += 1;
                if !more {
                    return (last_seen, seen.len(), asked);
                }
                tokio::task::yield_now().await;
            }
        }));
    }

    writer.await.expect("the writer does not panic");
    storming.store(false, Ordering::Relaxed);
    racer.await.expect("the racer does not panic");
    let mut versions_seen = 0;
    for asker in askers {
        let (last, seen, asked) = asker.await.expect("no asker panics");
        assert_eq!(last, VERSIONS, "the last version is live at the end");
        assert!(asked > 0);
        versions_seen = versions_seen.max(seen);
    }
    assert!(
        versions_seen > 1,
        "the askers ran during the storm and saw it change"
    );
    assert!(reloads.load(Ordering::Relaxed) >= VERSIONS);
    let last = live.snapshot();
    let entry = last.knowledge().entry(&after_id).unwrap();
    assert_eq!(version_in(&entry.answer.en), Some(VERSIONS));
}
