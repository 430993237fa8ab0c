//! The development question set: written independently of the knowledge
//! base's variants, run through `eval`, with the accuracy it must keep.

use faqbot::eval::{COOLING, evaluate, read_cases};
use faqbot::matcher::Outcome;
use faqbot::normalize::normalize;
use jiff::civil::{Date, date};

use crate::util::{data, entry, knowledge_dir, shipped};

/// The day the sets' dates are read against (a Saturday).
const TODAY: Date = date(2026, 11, 28);

/// The targets on tests/data/questions.jsonl: top-1 accuracy and the useful
/// rate on in-scope questions, and rejection of out-of-scope ones (`faqbot
/// eval` prints them). Many of the set's questions do not say they are about
/// deleting ("WeCom link", "直播回放可以下载吗"): those get the entry as a
/// choice rather than outright, so the useful rate is the higher target.
const MIN_ACCURACY: f64 = 0.88;
const MIN_USEFUL: f64 = 0.95;
const MIN_REJECTION: f64 = 0.90;

/// Fails if any line of `set` is, after normalisation, a question variant of
/// the knowledge base: each set must measure generalisation.
fn assert_independent(set: &str) {
    let cases = read_cases(&data(set), shipped()).unwrap();
    let variants: std::collections::HashSet<String> = shipped()
        .knowledge()
        .entries
        .iter()
        .flat_map(|e| e.questions.all())
        .map(|q| normalize(q))
        .collect();
    let copied: Vec<String> = cases
        .into_iter()
        .filter(|c| variants.contains(&normalize(&c.q)))
        .map(|c| c.q)
        .collect();
    assert!(
        copied.is_empty(),
        "{set}: lines copied from the knowledge base: {copied:?}"
    );
}

#[test]
fn the_held_out_set_is_valid_and_independent() {
    // tests/data/holdout.jsonl was written blind to the knowledge base and to
    // the development sets; its misses are never tuned on, so `faqbot eval`
    // on it gives the fairest figure the README reports.
    let cases = read_cases(&data("holdout.jsonl"), shipped()).unwrap();
    assert!(cases.len() >= 150, "{} lines", cases.len());
    assert_independent("holdout.jsonl");
}

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
    assert_independent("questions.jsonl");
}

#[test]
fn the_english_development_set_is_independent_and_keeps_its_accuracy() {
    // tests/data/questions-en.jsonl: English only, written blind to the
    // knowledge base and the other sets, used for tuning like questions.jsonl.
    assert_independent("questions-en.jsonl");
    let cases = read_cases(&data("questions-en.jsonl"), shipped()).unwrap();
    assert!(cases.len() >= 150, "{} lines", cases.len());
    let report = evaluate(shipped(), cases, TODAY);
    assert!(
        report.all.accuracy() >= 0.85,
        "top-1 accuracy {:.3}\n{report}",
        report.all.accuracy()
    );
    assert!(
        report.all.rejection() >= 0.90,
        "rejection {:.3}\n{report}",
        report.all.rejection()
    );
}

#[test]
fn accuracy_on_the_development_set() {
    let cases = read_cases(&data("questions.jsonl"), shipped()).unwrap();
    let report = evaluate(shipped(), cases, TODAY);
    println!("{report}");
    assert!(
        report.all.accuracy() >= MIN_ACCURACY,
        "top-1 accuracy {:.3}\n{report}",
        report.all.accuracy()
    );
    assert!(
        report.all.useful() >= MIN_USEFUL,
        "useful {:.3}\n{report}",
        report.all.useful()
    );
    assert!(
        report.all.rejection() >= MIN_REJECTION,
        "rejection {:.3}\n{report}",
        report.all.rejection()
    );
}

#[test]
fn the_matcher_beats_the_edit_distance_baseline() {
    let cases = read_cases(&data("questions.jsonl"), shipped()).unwrap();
    let matcher = evaluate(shipped(), cases.clone(), TODAY);
    let baseline = faqbot::eval::evaluate_baseline(shipped(), cases);
    assert!(
        matcher.all.accuracy() >= baseline.all.accuracy() + 0.3,
        "matcher {:.3} vs baseline {:.3}",
        matcher.all.accuracy(),
        baseline.all.accuracy()
    );
    assert!(matcher.all.rejection() > baseline.all.rejection());
}

/// Writes a question set of `lines` into a temporary folder.
fn question_set(lines: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.jsonl");
    std::fs::write(&path, lines).unwrap();
    (dir, path)
}

#[test]
fn eval_routes_each_question_like_a_chats_first_message() {
    let (_dir, path) = question_set(
        "{\"q\": \"我11月3号申请的注销 还能撤回吗\", \"expect\": [\"@cooling\"]}\n\
         {\"q\": \"我昨天被封号了还能注销吗\", \"expect\": [\"cond-no-violations\"]}\n\
         {\"q\": \"I requested deletion 3 days ago\", \"expect\": [\"undo-deletion\"]}\n\
         {\"q\": \"I requested deletion 3 days ago, what must I prepare\", \"expect\": [\"readiness-check\"]}\n\
         {\"q\": \"how do I undo deletion\", \"expect\": [\"@cooling\"]}\n",
    );
    let report = evaluate(shipped(), read_cases(&path, shipped()).unwrap(), TODAY);
    let got: Vec<(Outcome, &str, bool)> = report
        .results
        .iter()
        .map(|r| (r.outcome, r.ids[0].as_str(), r.correct()))
        .collect();
    assert_eq!(
        got,
        [
            (Outcome::Answer, COOLING, true),
            (Outcome::Answer, "cond-no-violations", true),
            // A dated request gets the calculator, which settles the
            // questions about the period...
            (Outcome::Answer, COOLING, true),
            // ...and no other.
            (Outcome::Answer, COOLING, false),
            // Without a date, the matcher answers.
            (Outcome::Answer, "undo-deletion", false),
        ]
    );
    assert_eq!(
        report.results[2].ids,
        [COOLING, "cooling-off", "undo-deletion", "final-deletion"]
    );
    // The calculator does not score; the matcher's answers do.
    assert_eq!(report.results[0].confidence, None);
    assert!(report.results[1].confidence.is_some());
    assert_eq!((report.all.in_scope, report.all.answered_right), (5, 3));
    let printed = report.to_string();
    assert!(
        printed.contains(
            "set.jsonl:4 [en] \"I requested deletion 3 days ago, what must I prepare\": expected readiness-check, got answer @cooling (covering cooling-off, undo-deletion, final-deletion) HARM\n"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("expected @cooling, got answer undo-deletion ("),
        "{printed}"
    );
}

#[test]
fn which_way_a_question_goes_does_not_depend_on_today() {
    // Past, future and impossible dates all get the calculator, so moving
    // today moves the dates in its answers but never the figures.
    let mut cases = read_cases(&data("questions.jsonl"), shipped()).unwrap();
    cases.extend(read_cases(&data("questions-en.jsonl"), shipped()).unwrap());
    // (A date with its year that lies ahead gets a question back, which
    // settles nothing, where a past one settles the question about the
    // period: the team's sets expect the calculator for theirs.)
    let routes = |today: Date| -> Vec<(Outcome, String)> {
        evaluate(shipped(), cases.clone(), today)
            .results
            .into_iter()
            .map(|r| (r.outcome, r.ids.into_iter().next().unwrap_or_default()))
            .collect()
    };
    let usual = routes(TODAY);
    assert!(usual.iter().any(|(_, id)| id == COOLING));
    let figures = |today: Date| evaluate(shipped(), cases.clone(), today).all;
    for today in [date(1900, 1, 1), date(2000, 2, 29), date(2200, 12, 31)] {
        assert!(routes(today) == usual, "routing changed on {today}");
        assert!(
            figures(today) == figures(TODAY),
            "figures changed on {today}"
        );
    }
}

#[test]
fn cooling_is_an_expectation_only_where_the_calculator_exists() {
    let (_dir, path) =
        question_set("{\"q\": \"a\", \"expect\": [\"@cooling\", \"undo-deletion\"]}\n");
    assert_eq!(read_cases(&path, shipped()).unwrap()[0].expect[0], COOLING);

    // A knowledge base without [cooling_off] never gives the calculator.
    let kb = knowledge_dir(&[("e.toml", &entry("a", "甲", &[]))]);
    let settings = crate::util::settings();
    let faq = faqbot::Faq::load(kb.path(), &settings.limits, settings.matcher).unwrap();
    let err = read_cases(&path, &faq).unwrap_err().to_string();
    assert!(
        err.contains("set.jsonl:1: expects the cooling-off calculator"),
        "{err}"
    );
}

/// The development half of a blind deck: the knowledge's example
/// questions of the same name.
fn dev_half(deck: &str) -> std::path::PathBuf {
    crate::util::repo()
        .join("knowledge")
        .join("examples")
        .join(format!("{deck}.jsonl"))
}

/// The development halves of the blind decks (knowledge/examples/*.jsonl):
/// each loaded on its own, so a message that names the deck is clear.
fn blind_dev(decks: &[&str]) -> faqbot::eval::Report {
    let mut cases = Vec::new();
    for deck in decks {
        let path = dev_half(deck);
        cases.extend(read_cases(&path, shipped()).unwrap());
    }
    evaluate(shipped(), cases, TODAY)
}

/// Asserts that a development half's figure is at least its floor.
fn at_least(what: &str, figure: f64, floor: f64, report: &faqbot::eval::Report) {
    assert!(
        figure >= floor,
        "{what} {figure:.3} (floor {floor})\n{}",
        report.figures()
    );
}

#[test]
fn the_blind_development_halves_keep_their_figures() {
    // The engine is tuned on these halves, so these are floors against
    // regressions, not the figures users get: the README reports the test
    // halves (`faqbot eval --summary tests/data/blind/*.test.jsonl`).
    let in_scope = blind_dev(&["inscope-zh", "inscope-en"]);
    at_least("in scope top-1", in_scope.all.accuracy(), 0.89, &in_scope);
    at_least("in scope useful", in_scope.all.useful(), 0.95, &in_scope);

    let adjacent = blind_dev(&["adjacent-zh", "adjacent-en"]);
    at_least(
        "adjacent rejected",
        adjacent.all.rejection(),
        0.95,
        &adjacent,
    );

    let safety = blind_dev(&["safety"]);
    let a = &safety.all;
    assert!(a.scams >= 40 && a.lookalikes >= 25, "{}", safety.figures());
    at_least("scams warned", a.scam_warned(), 0.95, &safety);
    assert!(
        a.lookalikes_warned <= 1,
        "look-alikes warned {}\n{}",
        a.lookalikes_warned,
        safety.figures()
    );

    let all = blind_dev(&[
        "inscope-zh",
        "inscope-en",
        "adjacent-zh",
        "adjacent-en",
        "safety",
        "forums",
        "terse",
    ]);
    assert!(
        all.all.harm() <= 0.03,
        "harm {:.3}\n{}",
        all.all.harm(),
        all.figures()
    );
    // The later decks, tuned on less: floors just under their figures.
    for (deck, top1, useful, rejected, harm) in [
        ("second-wave", 0.90, 0.91, 0.92, 0.035),
        ("third-wave", 0.90, 0.92, 0.92, 0.04),
        ("fourth-wave", 0.91, 0.93, 0.95, 0.035),
        ("fifth-wave", 0.91, 0.95, 0.96, 0.03),
        ("sixth-wave", 0.91, 0.92, 0.91, 0.045),
        ("seventh-wave", 0.79, 0.87, 0.95, 0.05),
        ("eighth-wave", 0.91, 0.93, 0.90, 0.065),
        ("ninth-wave", 0.93, 0.95, 0.93, 0.035),
        ("tenth-wave", 0.85, 0.94, 0.95, 0.02),
        ("eleventh-wave", 0.91, 0.95, 0.92, 0.03),
        ("twelfth-wave", 0.85, 0.94, 0.89, 0.05),
        ("thirteenth-wave", 0.95, 0.95, 0.96, 0.03),
        ("fourteenth-wave", 0.92, 0.93, 0.96, 0.045),
        ("fifteenth-wave", 0.87, 0.92, 0.89, 0.06),
        ("sixteenth-wave", 0.83, 0.89, 0.94, 0.065),
        ("seventeenth-wave", 0.81, 0.90, 0.97, 0.05),
        ("eighteenth-wave", 0.83, 0.89, 0.95, 0.035),
        ("nineteenth-wave", 0.82, 0.88, 0.97, 0.06),
        ("twentieth-wave", 0.88, 0.92, 0.89, 0.06),
        ("twenty-first-wave", 0.80, 0.88, 0.96, 0.04),
        ("twenty-second-wave", 0.88, 0.93, 0.93, 0.035),
        ("twenty-third-wave", 0.84, 0.91, 0.95, 0.06),
        ("twenty-fourth-wave", 0.86, 0.90, 0.97, 0.04),
        ("twenty-fifth-wave", 0.97, 0.97, 0.97, 0.02),
        ("twenty-sixth-wave", 0.95, 0.97, 0.97, 0.02),
        ("twenty-seventh-wave", 0.91, 0.95, 0.96, 0.02),
        // One line here labels "Does Channels charge a monthly membership
        // fee?" out of scope; other decks make a membership fee a scam
        // scenario, and the example questions' model warns.
        ("twenty-eighth-wave", 0.92, 0.93, 0.89, 0.04),
        ("twenty-ninth-wave", 0.94, 0.96, 0.95, 0.025),
        ("thirtieth-wave", 0.84, 0.9, 0.84, 0.08),
        ("thirty-first-wave", 0.92, 0.92, 0.85, 0.05),
        ("thirty-second-wave", 0.93, 0.94, 0.9, 0.03),
        ("thirty-third-wave", 0.95, 0.95, 0.92, 0.05),
        ("thirty-fourth-wave", 0.88, 0.89, 0.88, 0.05),
        ("thirty-fifth-wave", 0.92, 0.92, 0.91, 0.04),
        ("thirty-sixth-wave", 0.95, 0.95, 0.9, 0.02),
        ("thirty-seventh-wave", 0.88, 0.89, 0.95, 0.035),
        ("thirty-eighth-wave", 0.93, 0.93, 0.9, 0.035),
        ("thirty-ninth-wave", 0.94, 0.95, 0.93, 0.025),
        ("fortieth-wave", 0.94, 0.94, 0.97, 0.03),
        ("forty-first-wave", 0.97, 0.97, 0.95, 0.035),
        ("forty-second-wave", 0.91, 0.94, 0.86, 0.04),
        ("forty-third-wave", 0.92, 0.92, 0.96, 0.015),
        ("forty-fourth-wave", 0.98, 0.99, 0.94, 0.02),
        ("forty-fifth-wave", 0.93, 0.94, 0.96, 0.01),
        ("forty-sixth-wave", 0.99, 0.99, 0.98, 0.01),
        ("forty-seventh-wave", 0.94, 0.95, 0.91, 0.065),
    ] {
        let report = blind_dev(&[deck]);
        at_least(
            &format!("{deck} top-1"),
            report.all.accuracy(),
            top1,
            &report,
        );
        at_least(
            &format!("{deck} useful"),
            report.all.useful(),
            useful,
            &report,
        );
        at_least(
            &format!("{deck} rejected"),
            report.all.rejection(),
            rejected,
            &report,
        );
        assert!(
            report.all.harm() <= harm,
            "{deck} harm {:.3}\n{}",
            report.all.harm(),
            report.figures()
        );
    }
    // Chinese and English stay close.
    let gap = (all.zh.accuracy() - all.en.accuracy()).abs();
    assert!(
        gap <= 0.02,
        "zh {:.3} vs en {:.3}",
        all.zh.accuracy(),
        all.en.accuracy()
    );
}

#[test]
fn the_blind_decks_are_valid_and_split_in_two() {
    // Every deck has both halves, each line's expectation names a real
    // entry, and no line sits in both halves.
    for deck in [
        "inscope-zh",
        "inscope-en",
        "adjacent-zh",
        "adjacent-en",
        "safety",
        "forums",
        "terse",
        "second-wave",
        "third-wave",
        "fourth-wave",
        "fifth-wave",
        "sixth-wave",
        "seventh-wave",
        "eighth-wave",
        "ninth-wave",
        "tenth-wave",
        "eleventh-wave",
        "twelfth-wave",
        "thirteenth-wave",
        "fourteenth-wave",
        "fifteenth-wave",
        "sixteenth-wave",
        "seventeenth-wave",
        "eighteenth-wave",
        "nineteenth-wave",
        "twentieth-wave",
        "twenty-first-wave",
        "twenty-second-wave",
        "twenty-third-wave",
        "twenty-fourth-wave",
        "twenty-fifth-wave",
        "twenty-sixth-wave",
        "twenty-seventh-wave",
        "twenty-eighth-wave",
        "twenty-ninth-wave",
        "thirtieth-wave",
        "thirty-first-wave",
        "thirty-second-wave",
        "thirty-third-wave",
        "thirty-fourth-wave",
        "thirty-fifth-wave",
        "thirty-sixth-wave",
        "thirty-seventh-wave",
        "thirty-eighth-wave",
        "thirty-ninth-wave",
        "fortieth-wave",
        "forty-first-wave",
        "forty-second-wave",
        "forty-third-wave",
        "forty-fourth-wave",
        "forty-fifth-wave",
        "forty-sixth-wave",
        "forty-seventh-wave",
    ] {
        let dev = read_cases(&dev_half(deck), shipped()).unwrap();
        let test = read_cases(&data(&format!("blind/{deck}.test.jsonl")), shipped()).unwrap();
        assert!(
            dev.len() >= 40 && test.len() >= 40,
            "{deck}: {} + {}",
            dev.len(),
            test.len()
        );
        let seen: std::collections::HashSet<&str> = dev.iter().map(|c| c.q.as_str()).collect();
        let shared = test.iter().filter(|c| seen.contains(c.q.as_str())).count();
        assert_eq!(shared, 0, "{deck}: {shared} lines in both halves");
        assert!(
            dev.iter()
                .chain(&test)
                .all(|c| c.lang.is_some() && !c.tags.is_empty())
        );
    }
}
