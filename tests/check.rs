//! Loading and validating knowledge folders: the shipped one passes, and
//! every kind of mistake is reported at its file and line.

use faqbot::Knowledge;
use faqbot::knowledge::{self, LoadError, Problem};

use crate::util::{entry, knowledge_dir, repo, settings, shipped};

const REQUIRED_IDS: [&str; 34] = [
    "overview",
    "backup-videos",
    "backup-live-replays",
    "interaction-data",
    "withdraw-earnings",
    "shop-showcase",
    "unlink-personal-wechat",
    "unlink-official-account",
    "unlink-wecom",
    "other-business-links",
    "legal-terms",
    "alt-hide",
    "alt-rebrand",
    "alt-dormant",
    "alt-transfer-admin",
    "step-find-entry",
    "step-read-notice",
    "conditions",
    "cond-no-balance",
    "cond-no-orders",
    "cond-no-violations",
    "cond-no-links",
    "cond-not-cooldown",
    "cond-account-age",
    "step-verify-identity",
    "step-submit",
    "cooling-off",
    "undo-deletion",
    "final-deletion",
    "after-content-lost",
    "after-id-nickname",
    "after-brand-reset",
    "scam-warning",
    "version-note",
];

fn problems(files: &[(&str, &str)]) -> Vec<Problem> {
    let dir = knowledge_dir(files);
    let report = knowledge::check(dir.path(), &settings().limits).expect("folder readable");
    report.problems
}

/// The single error of a folder, as `file-name:line: message`.
fn only_error(files: &[(&str, &str)]) -> String {
    let errors: Vec<Problem> = problems(files)
        .into_iter()
        .filter(Problem::is_error)
        .collect();
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    let e = &errors[0];
    format!(
        "{}:{}: {}",
        e.file.file_name().unwrap().to_string_lossy(),
        e.line,
        e.message
    )
}

#[test]
fn shipped_knowledge_is_valid_without_warnings() {
    let report = knowledge::check(&repo().join("knowledge"), &settings().limits).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let knowledge = report.knowledge.expect("valid");
    for id in REQUIRED_IDS {
        let entry = knowledge
            .entry(id)
            .unwrap_or_else(|| panic!("missing entry {id}"));
        assert!(
            entry.questions.zh.len() >= 8,
            "{id}: {} zh questions",
            entry.questions.zh.len()
        );
        assert!(
            entry.questions.en.len() >= 6,
            "{id}: {} en questions",
            entry.questions.en.len()
        );
    }
    let safety = knowledge
        .safety
        .as_ref()
        .expect("scam triggers are defined");
    assert_eq!(safety.entry, "scam-warning");
    assert!(!knowledge.synonyms.is_empty() && !knowledge.out_of_scope.is_empty());
}

#[test]
fn shipped_answers_keep_the_guides_hedges() {
    let faq = shipped();
    let k = faq.knowledge();
    // The guide says the cooling-off period is "usually" 60 days, and that
    // personal WeChat is "usually not" affected.
    let cooling = k.entry("cooling-off").unwrap();
    assert!(cooling.answer.zh.contains("通常") && cooling.answer.zh.contains("60"));
    assert!(cooling.answer.en.to_lowercase().contains("usually"));
    let wechat = k.entry("unlink-personal-wechat").unwrap();
    assert!(wechat.answer.zh.contains("通常"), "{}", wechat.answer.zh);
}

#[test]
fn a_minimal_folder_loads() {
    let text = entry("a", "甲", &["b"]) + &entry("b", "乙", &["a"]);
    let dir = knowledge_dir(&[("entries.toml", &text)]);
    let knowledge = Knowledge::load(dir.path(), &settings().limits).unwrap();
    assert_eq!(knowledge.entries.len(), 2);
    assert_eq!(knowledge.entry("b").unwrap().related, ["a"]);
}

#[test]
fn reports_an_unknown_kind_at_its_line() {
    let text = entry("a", "甲", &[]).replace("kind = \"step\"", "kind = \"stepp\"");
    let error = only_error(&[("e.toml", &text)]);
    assert!(
        error.starts_with("e.toml:4: entry 'a': unknown kind 'stepp'"),
        "{error}"
    );
}

#[test]
fn reports_a_duplicate_id_across_files() {
    let error = only_error(&[
        ("1.toml", &entry("a", "甲", &[])),
        ("2.toml", &entry("a", "乙", &[])),
    ]);
    assert!(
        error.starts_with("2.toml:3: duplicate id 'a' (first defined at "),
        "{error}"
    );
    assert!(error.contains("1.toml:3"), "{error}");
}

#[test]
fn reports_related_ids_that_point_nowhere() {
    let error = only_error(&[("e.toml", &entry("a", "甲", &["nowhere"]))]);
    assert!(
        error.contains("related id 'nowhere' does not name any entry"),
        "{error}"
    );
    assert!(error.starts_with("e.toml:11:"), "{error}");
}

#[test]
fn reports_a_missing_language() {
    let text = entry("a", "甲", &[]).replace("answer.en = \"Answer 甲\"\n", "");
    let error = only_error(&[("e.toml", &text)]);
    assert_eq!(error, "e.toml:3: entry 'a' has no answer.en");
}

#[test]
fn reports_an_empty_answer() {
    let text = entry("a", "甲", &[]).replace("答案甲", "  ");
    let error = only_error(&[("e.toml", &text)]);
    assert_eq!(error, "e.toml:9: entry 'a' has an empty answer.zh");
}

#[test]
fn reports_the_same_question_under_two_entries_after_normalisation() {
    // Traditional characters, full width and punctuation do not make a question new.
    let second = entry("b", "乙", &[])
        .replace("\"乙一\"", "\"甲一？\"")
        .replace("乙二", "甲二");
    let second = second.replace("甲二", "ＴＩＴＬＥ");
    let problems = problems(&[("e.toml", &(entry("a", "甲", &[]) + &second))]);
    let error = problems.iter().find(|p| p.is_error()).expect("an error");
    assert!(
        error
            .message
            .contains("question '甲一？' of 'b' is also a question of 'a'"),
        "{error}"
    );
}

#[test]
fn reports_an_over_long_answer() {
    let long = "很".repeat(401);
    let text = entry("a", "甲", &[]).replace("答案甲", &long);
    let error = only_error(&[("e.toml", &text)]);
    assert!(
        error.contains("answer.zh is too long (401 characters, at most 400)"),
        "{error}"
    );
    let long = "word ".repeat(121);
    let text = entry("a", "甲", &[]).replace("Answer 甲", &long);
    let error = only_error(&[("e.toml", &text)]);
    assert!(
        error.contains("answer.en is too long (121 words, at most 120)"),
        "{error}"
    );
}

#[test]
fn reports_invalid_toml_and_unknown_fields_with_a_line() {
    let error = only_error(&[("e.toml", "[[entry]]\nid = \"a\"\nkind = \n")]);
    assert!(error.starts_with("e.toml:3: invalid TOML"), "{error}");
    let text = entry("a", "甲", &[]).replace("related", "relatd");
    let error = only_error(&[("e.toml", &text)]);
    assert!(error.contains("relatd"), "{error}");
}

#[test]
fn warns_about_too_few_variants_but_still_loads() {
    let text = entry("a", "甲", &[]).replace(", \"甲八\"", "");
    let problems = problems(&[("e.toml", &text)]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(!problems[0].is_error());
    assert!(
        problems[0]
            .to_string()
            .contains("warning: 'a' has 7 questions.zh, fewer than 8")
    );
}

#[test]
fn reports_synonym_and_safety_mistakes() {
    let base = entry("a", "甲", &[]);
    let synonyms = "[[synonym]]\nconcept = \"x\"\nzh = [\"注销\"]\n[[synonym]]\nconcept = \"y\"\nzh = [\"註銷\"]\n";
    let found = problems(&[("e.toml", &base), ("s.toml", synonyms)]);
    let message = "s.toml:6: synonym term '注销' is in both 'x' and 'y'";
    assert!(
        found.iter().any(|p| p.to_string().contains(message)),
        "{found:#?}"
    );
    let safety = "[safety]\nentry = \"scam\"\ntriggers.zh = [\"代注销\"]\n";
    let error = only_error(&[("e.toml", &base), ("safety.toml", safety)]);
    assert!(
        error.contains("[safety] entry 'scam' does not name any entry"),
        "{error}"
    );
    // Parties, requests and own words take braces like triggers do.
    let safety = "[safety]\nentry = \"a\"\ntriggers.en = [\"apk\"]\nparties.en = [\"{fake,tech} support\", \"{fake,tech support\"]\nrequests.en = [\"code\"]\n";
    let found = problems(&[("e.toml", &base), ("safety.toml", safety)]);
    let message = "safety.toml:4: [safety] parties '{fake,tech support': a '{' is not closed";
    assert!(
        found.iter().any(|p| p.to_string().contains(message)),
        "{found:#?}"
    );
    assert_eq!(
        found.iter().filter(|p| p.is_error()).count(),
        1,
        "{found:#?}"
    );
}

#[test]
fn scope_lists_must_name_entries_once() {
    let base = entry("a", "甲", &[]);
    let scope = "[scope]\nmain = [\"a\"]\nself_framed = [\"a\", \"nowhere\"]\n";
    let error = only_error(&[("e.toml", &base), ("scope.toml", scope)]);
    assert!(
        error.contains("scope.toml:3: [scope] self-framed entry 'nowhere' does not name any entry"),
        "{error}"
    );
    let scope = "[scope]\nself_framed = [\"a\", \"a\"]\n";
    let error = only_error(&[("e.toml", &base), ("scope.toml", scope)]);
    assert!(
        error.contains("[scope] lists self-framed entry 'a' twice"),
        "{error}"
    );
}

#[test]
fn twins_are_pairs_of_entries_that_list_each_other() {
    let entries = format!(
        "{}{}{}",
        entry("a", "甲", &["b"]),
        entry("b", "乙", &["a"]),
        entry("c", "丙", &[])
    );
    let twins = |list: &str| format!("[scope]\ntwins = {list}\n");
    let found = problems(&[
        ("e.toml", &entries),
        ("scope.toml", &twins("[[\"a\", \"b\"]]")),
    ]);
    assert!(found.is_empty(), "{found:#?}");
    for (list, message) in [
        (
            "[[\"a\", \"nowhere\"]]",
            "scope.toml:2: [scope] twins: 'nowhere' does not name any entry",
        ),
        ("[[\"a\", \"b\", \"c\"]]", "is not a pair of entry ids"),
        ("[[\"a\", \"a\"]]", "'a' is paired with itself"),
        ("[[\"a\", \"c\"]]", "'a' does not list 'c' in related"),
        (
            "[[\"a\", \"b\"], [\"b\", \"a\"]]",
            "'b' and 'a' are paired twice",
        ),
    ] {
        let error = only_error(&[("e.toml", &entries), ("scope.toml", &twins(list))]);
        assert!(error.contains(message), "{list}: {error}");
    }
}

#[test]
fn a_missing_or_empty_folder_is_a_clear_error() {
    let missing = repo().join("no-such-folder");
    let err = Knowledge::load(&missing, &settings().limits).unwrap_err();
    assert!(matches!(err, LoadError::Folder { .. }));
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    let empty = knowledge_dir(&[]);
    let err = Knowledge::load(empty.path(), &settings().limits).unwrap_err();
    assert!(err.to_string().contains("has no .toml files"), "{err}");
}

#[test]
fn load_refuses_what_check_rejects() {
    let dir = knowledge_dir(&[("e.toml", &entry("a", "甲", &["zzz"]))]);
    let err = Knowledge::load(dir.path(), &settings().limits).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("e.toml:11:") && text.contains("'zzz'"),
        "{text}"
    );
}

#[test]
fn warns_about_ascii_punctuation_in_chinese_text() {
    let text = entry("a", "甲", &[]).replace("答案甲", "先提现,再注销");
    let problems = problems(&[("e.toml", &text)]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(!problems[0].is_error());
    assert!(
        problems[0].message.contains("answer.zh uses the ASCII ','"),
        "{}",
        problems[0]
    );
}

#[test]
fn example_questions_are_loaded_and_every_bad_line_reported() {
    let good = concat!(
        r#"{"q": "甲怎么办", "expect": ["a"], "lang": "zh", "tags": ["plain"]}"#,
        "\n",
        r#"{"q": "天气怎么样", "expect": []}"#,
        "\n\n",
        r#"{"q": "注销第三天了", "expect": ["@cooling"]}"#,
        "\n",
        r#"{"q": "甲乙都行", "expect": ["a", "b", "a"]}"#,
        "\n",
        r#"{"q": "注销第三天了 该撤销了吧", "expect": ["@cooling", "a"]}"#,
        "\n",
    );
    let dir = knowledge_dir(&[
        ("e.toml", &entry("a", "甲", &[])),
        ("f.toml", &entry("b", "乙", &[])),
        ("examples/deck.jsonl", good),
        ("examples/notes.txt", "not an example file"),
    ]);
    let knowledge = Knowledge::load(dir.path(), &settings().limits).unwrap();
    let examples: Vec<(&str, Vec<&str>, &str)> = knowledge
        .examples
        .iter()
        .map(|e| {
            let entries = e.entries.iter().map(String::as_str).collect();
            (e.text.as_str(), entries, e.source.as_str())
        })
        .collect();
    assert_eq!(
        examples,
        [
            ("甲怎么办", vec!["a"], "deck"),
            ("天气怎么样", vec![], "deck"),
            ("甲乙都行", vec!["a", "b"], "deck"),
            ("注销第三天了 该撤销了吧", vec!["a"], "deck"),
        ]
    );

    let bad = concat!(
        r#"{"q": "甲怎么办", "expect": ["a"]}"#,
        "\n",
        r#"{"q": "乙怎么办", "expect": ["a", "b"]}"#,
        "\n",
        r#"{"q": "  ", "expect": []}"#,
        "\n",
        r#"{"question": "丙"}"#,
        "\n",
        "not json\n",
    );
    let errors: Vec<String> = problems(&[
        ("e.toml", &entry("a", "甲", &[])),
        ("examples/bad.jsonl", bad),
    ])
    .iter()
    .map(|p| {
        let file = p.file.file_name().unwrap().to_string_lossy();
        format!("{file}:{}: {}", p.line, p.message)
    })
    .collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(
        errors[0].starts_with("bad.jsonl:2: example names no entry: \"b\""),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with("bad.jsonl:3: example with an empty"),
        "{errors:#?}"
    );
    assert!(
        errors[2].starts_with("bad.jsonl:4: invalid example line: missing field `q`"),
        "{errors:#?}"
    );
    assert!(
        errors[3].starts_with("bad.jsonl:5: invalid example line"),
        "{errors:#?}"
    );
}
