//! Loading and checking arbitrary knowledge files, as `faqbot check` and a
//! reload do. The input is split at NUL bytes into up to four files.
//!
//! Checks: nothing panics; knowledge that passes the checks builds a matcher
//! that answers, and every entry it returns exists.

#![no_main]

use std::path::PathBuf;

use faqbot::Faq;
use faqbot::knowledge::{Limits, check_texts};
use faqbot::matcher::MatcherConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = data.split(|&b| b == 0).take(4).enumerate().map(|(i, bytes)| {
        let name = PathBuf::from(format!("k{i}.toml"));
        (name, String::from_utf8_lossy(bytes).into_owned())
    });
    let (knowledge, problems) = check_texts(files, &Limits::default());
    let Some(knowledge) = knowledge else {
        assert!(problems.iter().any(|p| p.is_error()), "no knowledge without an error");
        return;
    };
    assert!(problems.iter().all(|p| !p.is_error()));
    let faq = Faq::new(knowledge, MatcherConfig::default());
    for question in ["how do I delete it", "视频号怎么注销", "zhuxiao"] {
        let verdict = faq.matcher().find(question, None);
        for candidate in verdict.answer.iter().chain(&verdict.suggestions) {
            assert!(faq.knowledge().entry(&candidate.id).is_some(), "{candidate:?}");
        }
    }
    for entry in &faq.knowledge().entries {
        assert!(faq.topic(&entry.id, faqbot::Lang::En).is_some());
    }
});
