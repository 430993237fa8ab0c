//! The development question set: written independently of the knowledge
//! base's variants, run through `eval`, with the accuracy it must keep.

use faqbot::eval::{evaluate, read_cases};
use faqbot::normalize::normalize;

use crate::util::{data, shipped};

/// What the matcher reaches today on tests/data/questions.jsonl (see the
/// README for the figures and `faqbot eval` to reproduce them). The targets
/// are 95% and 90%; these floors only stop regressions.
const MIN_ACCURACY: f64 = 0.90;
const MIN_REJECTION: f64 = 0.87;

#[test]
fn the_development_set_is_large_enough_and_independent() {
    let cases = read_cases(&data("questions.jsonl"), shipped()).unwrap();
    assert!(cases.len() >= 200, "{} lines", cases.len());
    let out_of_scope = cases.iter().filter(|c| c.expect.is_empty()).count();
    assert!(out_of_scope >= 50, "{out_of_scope} out-of-scope lines");
    let zh = cases
        .iter()
        .filter(|c| {
            c.q.chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
        })
        .count();
    assert!(
        zh >= 50 && cases.len() - zh >= 50,
        "{zh} Chinese lines of {}",
        cases.len()
    );
    // No line may be a knowledge base variant: the set measures generalisation.
    let variants: std::collections::HashSet<String> = shipped()
        .knowledge()
        .entries
        .iter()
        .flat_map(|e| e.questions.zh.iter().chain(&e.questions.en))
        .map(|q| normalize(q))
        .collect();
    let copied: Vec<&str> = cases
        .iter()
        .filter(|c| variants.contains(&normalize(&c.q)))
        .map(|c| c.q.as_str())
        .collect();
    assert!(
        copied.is_empty(),
        "lines copied from the knowledge base: {copied:?}"
    );
}

#[test]
fn accuracy_on_the_development_set() {
    let cases = read_cases(&data("questions.jsonl"), shipped()).unwrap();
    let report = evaluate(shipped(), cases);
    println!("{report}");
    assert!(
        report.all.accuracy() >= MIN_ACCURACY,
        "top-1 accuracy {:.3}\n{report}",
        report.all.accuracy()
    );
    assert!(
        report.all.rejection() >= MIN_REJECTION,
        "rejection {:.3}\n{report}",
        report.all.rejection()
    );
}
