//! The `faqbot` binary as a user runs it.

use std::io::Write;
use std::process::{Output, Stdio};

use faqbot::Lang;
use faqbot::checklist::{Answer, Status};
use faqbot::cooling::{Period, Problem};
use faqbot::knowledge::{ChecklistItem, CoolingOff, YesMeans};
use faqbot::text;
use jiff::civil::{Date, date};

use crate::util::{entry, faqbot, knowledge_dir, path_str, shipped};

fn run(args: &[&str]) -> Output {
    faqbot().args(args).output().expect("faqbot runs")
}

fn run_with_input(args: &[&str], input: &[u8]) -> Output {
    let mut child = faqbot()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("faqbot starts");
    // Write from another thread: the child answers while it reads, and both
    // pipes would fill up if this thread wrote everything first.
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    // A child that exits without reading all of its input (a refused
    // option) closes the pipe: the rest of the input was not wanted.
    match writer.join().unwrap() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn ask_explain_says_which_check_fired_and_by_what() {
    let explain = |question: &str| {
        let output = run(&["ask", "--explain", question]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let text = explain("有人说能代注销，要我发验证码");
    assert!(
        text.contains("scam check: a scam scenario, by the trigger \"代注销\""),
        "{text}"
    );
    let text = explain("Someone called me. He wants my verification code.");
    assert!(
        text.contains("scam check: a scam scenario, by the party \"someone\" with the request"),
        "{text}"
    );
    // The model of example questions adds the warning, or lifts it.
    let text = explain(
        "an account called WeChat Official DM'd me a link to log in and confirm my channel deletion",
    );
    assert!(
        text.contains("scam check: a scam scenario, by the model of example questions"),
        "{text}"
    );
    let text = explain("冷静期内 account 是 frozen 的吗 别人 search 得到吗");
    assert!(
        text.contains("but the model of example questions is sure another entry answers it"),
        "{text}"
    );
    let text = explain("视频号助手电脑上扫码登录一直转圈怎么回事");
    assert!(
        text.contains("is sure no entry answers it: it is about something else"),
        "{text}"
    );
    let text = explain("视频号怎么改名");
    assert!(text.contains("scope: oos-rename, by the cue"), "{text}");
    assert!(!text.contains("scam check"), "{text}");
    // The example questions say renaming is not a topic the bot answers.
    assert!(
        text.contains("example questions: no entry (out of scope) ("),
        "{text}"
    );
    // A plain question: no check fired, and the best topic comes first.
    let text = explain("视频号怎么注销");
    assert!(
        !text.contains("scam check") && !text.contains("scope:"),
        "{text}"
    );
    let first = text
        .lines()
        .find(|l| l.contains(" via "))
        .unwrap_or_default();
    assert!(first.contains("overview"), "{text}");
    assert!(text.contains("\nexample questions: "), "{text}");
}

#[test]
fn ask_prints_a_readable_answer() {
    let output = run(&["ask", "how", "do", "I", "undo", "deletion"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Undo a deletion\n\n"), "{text}");
    assert!(text.contains("Related:"), "{text}");
}

#[test]
fn ask_json_has_the_documented_fields() {
    let output = run(&["ask", "--json", "how do I undo deletion"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let replies = json_lines(&output);
    assert_eq!(replies.len(), 1);
    let r = &replies[0];
    assert_eq!(r["matched"], true);
    assert_eq!(r["outcome"], "answer");
    assert_eq!(r["id"], "undo-deletion");
    assert_eq!(r["lang"], "en");
    let score = r["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    assert!(r["answer"].as_str().unwrap().contains("cooling-off"));
    assert!(r["suggestions"].is_array());

    let fallback = &json_lines(&run(&["ask", "--json", "今天天气怎么样"]))[0];
    assert_eq!(fallback["matched"], false);
    assert_eq!(fallback["outcome"], "fallback");
    assert!(fallback["id"].is_null());
    assert_eq!(fallback["lang"], "zh");
}

#[test]
fn a_second_start_reads_the_trained_model_from_the_cache_and_answers_alike() {
    let cache = tempfile::tempdir().unwrap();
    let batch = "视频号怎么注销\nhow do I undo deletion\n改名字\n客服让我转账解封\n";
    let ask = |extra: &[(&str, &str)]| {
        let mut command = faqbot();
        command
            .env("XDG_CACHE_HOME", cache.path())
            .envs(extra.iter().copied());
        let mut child = command
            .args(["ask", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("faqbot runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(batch.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(stderr(&output), "");
        stdout(&output)
    };
    let models = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(cache.path().join("faqbot"))
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };

    let uncached = ask(&[("FAQBOT__KNOWLEDGE__CACHE", "false")]);
    assert!(models().is_empty());
    assert_eq!(ask(&[]), uncached);
    let written = models();
    assert_eq!(written.len(), 1, "{written:?}");
    let bytes = std::fs::read(&written[0]).unwrap();
    let modified = || std::fs::metadata(&written[0]).unwrap().modified().unwrap();
    let first = modified();
    assert_eq!(ask(&[]), uncached);
    assert_eq!(modified(), first, "read, not written again");

    // A damaged file is trained anew and written again.
    std::fs::write(&written[0], &bytes[..bytes.len() / 3]).unwrap();
    assert_eq!(ask(&[]), uncached);
    assert_eq!(std::fs::read(&written[0]).unwrap(), bytes);

    // An explicit folder wins over the user's cache folder.
    let elsewhere = cache.path().join("elsewhere");
    let dir = path_str(&elsewhere);
    assert_eq!(
        ask(&[("FAQBOT__KNOWLEDGE__CACHE_DIR", dir.as_str())]),
        uncached
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
}

#[test]
fn ask_lang_forces_the_reply_language() {
    let r = &json_lines(&run(&["ask", "--json", "--lang", "en", "视频号怎么注销"]))[0];
    assert_eq!(r["lang"], "en");
    assert_eq!(r["id"], "overview");
    let output = run(&["ask", "--lang", "fr", "hello"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown language 'fr'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ask_streams_standard_input_in_order_and_skips_invalid_utf8() {
    let mut input = b"how do I undo deletion\n\xff\xfe broken\n\n".to_vec();
    input.extend("冷静期多久\r\n今天天气怎么样".as_bytes());
    let output = run_with_input(&["ask", "--json"], &input);
    assert!(output.status.success(), "{}", stderr(&output));
    let ids: Vec<serde_json::Value> = json_lines(&output)
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            serde_json::json!("undo-deletion"),
            serde_json::json!("cooling-off"),
            serde_json::Value::Null
        ]
    );
    assert!(
        stderr(&output).contains("line 2: not valid UTF-8, skipped"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ask_streams_a_large_batch() {
    let questions = ["视频号怎么注销\n", "how do I undo deletion\n", "hi\n"];
    let input: String = questions.iter().cycle().take(10_000).copied().collect();
    let output = run_with_input(&["ask", "--json"], input.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    let replies = json_lines(&output);
    assert_eq!(replies.len(), 10_000);
    assert_eq!(replies[9_999]["id"], "overview");
}

#[test]
fn ask_answers_lines_side_by_side_in_their_order() {
    let questions = [
        "视频号怎么注销",
        "how do I undo deletion",
        "今天天气怎么样",
        "冷静期多久",
        "\u{ff}",
        "",
    ];
    let mut input = Vec::new();
    for i in 0..600 {
        let q = questions[i % questions.len()];
        if q == "\u{ff}" {
            input.extend_from_slice(b"\xff\n");
        } else {
            input.extend_from_slice(format!("{q}\n").as_bytes());
        }
    }
    for format in [&["--json"][..], &[][..]] {
        let alone = run_with_input(&[&["ask", "--jobs", "1"][..], format].concat(), &input);
        let side_by_side = run_with_input(&[&["ask", "--jobs", "4"][..], format].concat(), &input);
        assert!(alone.status.success(), "{}", stderr(&alone));
        assert!(side_by_side.status.success(), "{}", stderr(&side_by_side));
        assert_eq!(stdout(&alone), stdout(&side_by_side));
        assert_eq!(stderr(&alone), stderr(&side_by_side));
    }
    let output = run_with_input(&["ask", "--json", "-j", "3"], &input);
    let ids: Vec<serde_json::Value> = json_lines(&output)
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids.len(), 400);
    for (i, id) in ids.iter().enumerate() {
        let expected = [
            serde_json::json!("overview"),
            serde_json::json!("undo-deletion"),
            serde_json::Value::Null,
            serde_json::json!("cooling-off"),
        ][i % 4]
            .clone();
        assert_eq!(*id, expected, "reply {i}");
    }
    let zero = run_with_input(&["ask", "--jobs", "0"], b"hi\n");
    assert!(!zero.status.success());
    assert!(stderr(&zero).contains("--jobs"), "{}", stderr(&zero));
}

#[test]
fn chat_answers_picks_numbers_and_quits() {
    let script = "how do I undo deletion\n1\n/topics\n99\n/help\nquit\nnever read\n";
    let output = run_with_input(&["chat"], script.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Undo a deletion"), "{text}");
    // "1" picks the first related topic of the answer.
    assert!(text.contains("Related:\n1. "), "{text}");
    assert!(text.contains("All topics:"), "{text}");
    assert!(text.contains("Please type a number from 1 to"), "{text}");
    assert!(!text.contains("never read"));
}

#[test]
fn check_passes_on_the_shipped_knowledge() {
    let output = run(&["check"]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).starts_with("ok: "), "{}", stdout(&output));
}

#[test]
fn check_prints_file_and_line_and_fails() {
    let dir = knowledge_dir(&[("e.toml", &entry("a", "甲", &["nowhere"]))]);
    let output = run(&["check", "--knowledge", &path_str(dir.path())]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("e.toml:11: entry 'a': related id 'nowhere' does not name any entry"),
        "{text}"
    );
}

#[test]
fn a_missing_knowledge_folder_is_a_one_line_error() {
    let output = run(&["ask", "--knowledge", "/no/such/folder", "hello"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: ") && err.contains("/no/such/folder"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"));

    // An invalid folder names the first problem's file and line, on one line.
    let text = entry("a", "甲", &["nowhere"]).replace("kind = \"step\"", "kind = \"stepp\"");
    let dir = knowledge_dir(&[("e.toml", &text)]);
    let output = run(&["ask", "--knowledge", &path_str(dir.path()), "hello"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("e.toml:4: entry 'a': unknown kind 'stepp'"),
        "{err}"
    );
    assert!(
        err.contains("(and 1 more; `faqbot check` lists them all)"),
        "{err}"
    );
}

#[test]
fn settings_come_from_a_file_and_the_environment() {
    let output = faqbot()
        .args(["ask", "hello"])
        .env("FAQBOT__KNOWLEDGE__DIR", "/no/such/kb")
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("/no/such/kb"),
        "{}",
        stderr(&output)
    );

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[matcher]\nanswer_threshold = 2\n").unwrap();
    let output = run(&["--config", &path_str(&config), "ask", "hello"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("matcher.answer_threshold"),
        "{}",
        stderr(&output)
    );

    let output = run(&["--config", "/no/such/config.toml", "check"]);
    assert!(stderr(&output).contains("config file /no/such/config.toml does not exist"));
}

#[test]
fn eval_prints_figures_and_enforces_a_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jsonl");
    std::fs::write(
        &set,
        "{\"q\": \"how do I undo deletion\", \"expect\": [\"undo-deletion\"]}\n\
         {\"q\": \"今天天气怎么样\", \"expect\": []}\n\
         {\"q\": \"今天天气怎么样\", \"expect\": [\"overview\"]}\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("top-1 50.0% (1/2)"), "{text}");
    assert!(text.contains("rejected 100.0% (1/1)"), "{text}");
    assert!(text.contains("1 fell back"), "{text}");
    assert!(text.contains("set.jsonl:3 [zh]"), "{text}");

    let output = run(&["eval", &path_str(&set), "--min-accuracy", "0.9"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("below the minimum 0.9"));

    std::fs::write(
        &set,
        "{\"q\": \"x\", \"expect\": [\"no-such-id\"]}\n{oops\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("set.jsonl:1: expected id 'no-such-id' names no entry"));
}

#[test]
fn a_look_alike_is_warned_wrongly_only_when_its_line_expects_no_warning() {
    // The same scam-sounding question twice: once labelled with the warning
    // as its answer (not a wrong warning), once with another entry (wrong).
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("lookalikes.jsonl");
    std::fs::write(
        &set,
        "{\"q\": \"有人说交300块可以帮我代注销\", \"expect\": [\"scam-warning\"], \"tags\": [\"legit-lookalike\"]}\n\
         {\"q\": \"有人说交300块可以帮我代注销\", \"expect\": [\"overview\"], \"tags\": [\"legit-lookalike\"]}\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set)]);
    let text = stdout(&output);
    assert!(text.contains("all: 0/0 scams, 1/2 look-alikes;"), "{text}");
    assert!(text.contains("lookalikes.jsonl:2 "), "{text}");
    assert!(!text.contains("lookalikes.jsonl:1 "), "{text}");
}

#[test]
fn eval_takes_tagged_decks_and_reports_harm_per_language_and_tag() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("deck.dev.jsonl");
    let other = dir.path().join("more.jsonl");
    std::fs::write(
        &set,
        "{\"q\": \"how do I undo deletion\", \"expect\": [\"undo-deletion\"], \"lang\": \"en\", \"tags\": [\"plain\"], \"src\": \"writer 2\", \"note\": \"x\"}\n\
         {\"q\": \"今天天气怎么样\", \"expect\": [], \"lang\": \"zh\", \"tags\": [\"colloquial\", \"adjacent\"]}\n\
         {\"q\": \"有人说交300块可以帮我代注销\", \"expect\": [\"scam-warning\"], \"lang\": \"zh\", \"tags\": [\"colloquial\", \"scam\"]}\n",
    )
    .unwrap();
    // A wrong outright answer: harm.
    std::fs::write(
        &other,
        "{\"q\": \"how do I undo deletion\", \"expect\": [\"overview\"], \"tags\": [\"plain\"]}\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set), &path_str(&other)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{text}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    // lines, top-1, useful, in, out, rejected, harm
    assert_eq!(row("all"), "4 66.7% 66.7% 3 1 100.0% 25.0%", "{text}");
    assert_eq!(row("zh"), "2 100.0% 100.0% 1 1 100.0% 0.0%", "{text}");
    assert_eq!(row("en"), "2 50.0% 50.0% 2 0 - 50.0%", "{text}");
    assert_eq!(row("#plain"), "2 50.0% 50.0% 2 0 - 50.0%", "{text}");
    assert_eq!(row("#adjacent"), "1 - - 0 1 100.0% 0.0%", "{text}");
    assert!(
        text.contains("scam warning: all: 1/1 scams, 0/0 look-alikes;"),
        "{text}"
    );
    assert!(text.contains("more.jsonl:1 [en]"), "{text}");
    assert!(text.contains("HARM"), "{text}");

    // --summary prints the figures and never a line of the set.
    let output = run(&["eval", "--summary", &path_str(&set), &path_str(&other)]);
    let text = stdout(&output);
    assert!(text.contains("harm 25.0% (1/4)"), "{text}");
    assert!(
        !text.contains("undo deletion") && !text.contains("more.jsonl"),
        "{text}"
    );

    let output = run(&[
        "eval",
        "--summary",
        "--max-harm",
        "0.2",
        &path_str(&set),
        &path_str(&other),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("harm 0.250 is above the maximum 0.2"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "eval",
        "--summary",
        "--max-harm",
        "0.3",
        "--min-useful",
        "0.6",
        &path_str(&set),
        &path_str(&other),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn eval_counts_the_calculator_as_cooling() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jsonl");
    std::fs::write(
        &set,
        "{\"q\": \"我11月3号申请的注销\", \"expect\": [\"@cooling\"]}\n\
         {\"q\": \"I applied yesterday, can I undo it\", \"expect\": [\"undo-deletion\"]}\n\
         {\"q\": \"I applied yesterday\", \"expect\": [\"step-submit\"]}\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    // The calculator settles whether the user can still undo, not what
    // submitting does.
    assert!(text.contains("top-1 66.7% (2/3)"), "{text}");
    assert!(
        text.contains(
            "set.jsonl:3 [en] \"I applied yesterday\": expected step-submit, got answer @cooling (covering cooling-off, undo-deletion, final-deletion) HARM\n"
        ),
        "{text}"
    );
}

/// The day the guided-help tests take as today (a Saturday).
const TODAY: Date = date(2026, 11, 28);
const TODAY_ARG: &str = "2026-11-28";

fn cooling_off() -> &'static CoolingOff {
    shipped()
        .knowledge()
        .cooling_off
        .as_ref()
        .expect("[cooling_off]")
}

fn checklist_items() -> &'static [ChecklistItem] {
    &shipped()
        .knowledge()
        .checklist
        .as_ref()
        .expect("[checklist]")
        .items
}

/// What the calculator says about a request made on `requested`.
fn cooling_dates(requested: Date, lang: Lang) -> String {
    cooling_dates_given(requested, false, lang)
}

/// What the calculator says about a request made on `requested`, a date
/// the user gave roughly or not.
fn cooling_dates_given(requested: Date, approximate: bool, lang: Lang) -> String {
    let period = Period::new(requested, TODAY, cooling_off().days).unwrap();
    text::cooling_dates(&period, approximate, cooling_off(), lang)
}

/// `faqbot ask --today 2026-11-28 QUESTION`: its standard output.
fn ask_on_today(question: &str) -> String {
    let output = run(&["ask", "--today", TODAY_ARG, question]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// `faqbot chat --today 2026-11-28 ARGS` fed `script`: its standard output.
fn chat_on_today(args: &[&str], script: &str) -> String {
    let mut all = vec!["chat", "--today", TODAY_ARG];
    all.extend(args);
    let output = run_with_input(&all, script.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// Where `needle` starts in `text`, failing with the text if it is absent.
fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
}

#[test]
fn ask_gives_the_cooling_off_dates_of_a_dated_request() {
    let text = ask_on_today("I applied to delete on Nov 3, can I still undo it?");
    assert!(text.contains("Saturday 2 January 2027"), "{text}");
    assert!(text.contains("35 days"), "{text}");
    assert!(
        text.contains(cooling_off().how_to_undo.get(Lang::En)),
        "{text}"
    );
    assert_eq!(text, cooling_dates(date(2026, 11, 3), Lang::En) + "\n");

    let text = ask_on_today("我11月3日申请的注销");
    assert!(text.contains("2027年1月2日"), "{text}");
    assert!(
        text.contains(cooling_off().how_to_undo.get(Lang::Zh)),
        "{text}"
    );
    assert_eq!(text, cooling_dates(date(2026, 11, 3), Lang::Zh) + "\n");

    // Sixty days after 1 September is 31 October: the deletion is
    // probably final (the period is usually 60 days), and WeChat shows
    // whether undoing is still offered.
    let text = ask_on_today("2026-09-01申请的注销");
    assert!(
        text.contains("冷静期应已于2026年10月31日（周六）结束（28 天前）"),
        "{text}"
    );
    assert!(text.contains("账号很可能已被永久删除"), "{text}");
    assert!(text.contains(cooling_off().over.get(Lang::Zh)), "{text}");
    assert!(
        !text.contains(cooling_off().how_to_undo.get(Lang::Zh)),
        "{text}"
    );
    assert_eq!(text, cooling_dates(date(2026, 9, 1), Lang::Zh) + "\n");

    // Tomorrow cannot be the day of a request: the bot asks for the date.
    let text = ask_on_today("申请注销 明天");
    assert!(text.contains("你是哪天提交注销申请的"), "{text}");
    assert_eq!(
        text,
        text::cooling_ask(Problem::Future(date(2026, 11, 29)), Lang::Zh) + "\n"
    );
}

#[test]
fn ask_json_marks_a_calculator_answer() {
    let output = run(&["ask", "--json", "--today", TODAY_ARG, "我11月3日申请的注销"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let replies = json_lines(&output);
    assert_eq!(replies.len(), 1);
    let r = &replies[0];
    assert_eq!(r["outcome"], "cooling");
    assert_eq!(r["matched"], false);
    assert!(r["id"].is_null());
    assert_eq!(r["lang"], "zh");
    assert_eq!(r["answer"], cooling_dates(date(2026, 11, 3), Lang::Zh));
}

#[test]
fn ask_gives_the_cooling_off_dates_of_a_duration_since_the_request() {
    // Nearly four months: over by the count, said as likely, not as fact.
    let text = ask_on_today("号注销快四个月了还有戏吗");
    assert_eq!(
        text,
        cooling_dates_given(date(2026, 7, 28), true, Lang::Zh) + "\n"
    );
    assert!(
        text.contains("很可能") && text.contains("撤销注销"),
        "{text}"
    );

    // Day 62: the request was 61 days ago, and the period ended yesterday.
    let text = ask_on_today("申请注销第62天了还能撤回吗");
    assert_eq!(text, cooling_dates(date(2026, 9, 28), Lang::Zh) + "\n");
    assert!(text.contains("（1 天前）"), "{text}");

    // About two months, and the period ends about now: check in WeChat now.
    let text = ask_on_today("申请注销整整两个月了 号还在吗");
    assert_eq!(
        text,
        cooling_dates_given(date(2026, 9, 28), true, Lang::Zh) + "\n"
    );
    assert!(text.contains(cooling_off().close.get(Lang::Zh)), "{text}");

    let text = ask_on_today("it's been 45 days since I requested deletion");
    assert_eq!(text, cooling_dates(date(2026, 10, 14), Lang::En) + "\n");
    assert!(text.contains("15 days from now"), "{text}");
    assert!(
        text.contains(cooling_off().how_to_undo.get(Lang::En)),
        "{text}"
    );
    // A bare count of days, asked about undoing, is the time since the
    // request.
    let text = ask_on_today("day 61 can i still recover it");
    assert_eq!(text, cooling_dates(date(2026, 9, 29), Lang::En) + "\n");
    let text = ask_on_today("applied over two months ago");
    assert_eq!(
        text,
        cooling_dates_given(date(2026, 9, 28), true, Lang::En) + "\n"
    );
    assert!(text.contains(cooling_off().close.get(Lang::En)), "{text}");
    // Typed in pinyin, the duration is read as Chinese ("申请注销 45 天了").
    let text = ask_on_today("shenqing zhuxiao 45 tian le hai neng chexiao ma");
    assert_eq!(text, cooling_dates(date(2026, 10, 14), Lang::Zh) + "\n");
    let text = ask_on_today("45 tian qian");
    assert_eq!(text, cooling_dates(date(2026, 10, 14), Lang::Zh) + "\n");
}

#[test]
fn ask_answers_a_duration_about_something_else_as_usual() {
    let text = ask_on_today("我被封号3个月了能注销吗");
    let entry = shipped().knowledge().entry("cond-no-violations").unwrap();
    assert!(
        text.starts_with(&format!("{}\n\n", entry.title.get(Lang::Zh))),
        "{text}"
    );
    let text = ask_on_today("抖音注销两个月了");
    assert_eq!(
        text,
        shipped().ask("抖音注销两个月了", None).render_text(false) + "\n"
    );
    assert!(!text.contains("冷静期通常为"), "{text}");
}

#[test]
fn a_day_that_its_clause_ties_to_something_else_is_no_request_date() {
    // "today" is when the app was opened, not when deletion was requested.
    let text = ask_on_today(
        "I opened WeChat today and my channel shows an option to cancel the deletion I requested last week. Will it bring things back?",
    );
    assert!(!text.contains("Counting from"), "{text}");
    let text = ask_on_today("我11月3日申请了提现，现在能注销吗");
    assert!(!text.contains("冷静期通常为"), "{text}");
    // The same words with the request on that day are counted from it.
    let text = ask_on_today("我11月3日申请的注销 还能撤销吗");
    assert_eq!(text, cooling_dates(date(2026, 11, 3), Lang::Zh) + "\n");
}

#[test]
fn ask_answers_a_question_that_only_mentions_a_date_as_usual() {
    let text = ask_on_today("我昨天被封号了还能注销吗");
    let entry = shipped().knowledge().entry("cond-no-violations").unwrap();
    assert!(
        text.starts_with(&format!("{}\n\n", entry.title.get(Lang::Zh))),
        "{text}"
    );
    assert!(text.contains(entry.answer.get(Lang::Zh).trim()), "{text}");
}

#[test]
fn chat_runs_the_checklist_on_typed_answers() {
    let text = chat_on_today(&["--lang", "zh"], "/check\n是\n否\n是\n不确定\n是\n");
    let items = checklist_items();
    assert_eq!(items.len(), 5, "the script answers five questions");
    // The last asks "have you done an appeal recently?": its "是" blocks.
    assert_eq!(items[4].yes_means, YesMeans::NotMet);
    let answers = [
        Answer::Yes,
        Answer::No,
        Answer::Yes,
        Answer::Unsure,
        Answer::Yes,
    ];
    // Every question, in order, then the summary.
    let mut at = 0;
    for item in items {
        let ask = item.ask.get(Lang::Zh);
        at += position(&text[at..], ask) + ask.len();
    }
    let summary = position(&text, text::checklist_blocked(Lang::Zh));
    assert!(summary > at, "{text}");
    // "否" to the 2nd, "不确定" to the 4th and "是" to the 5th show their
    // fixes, right after the answer and again in the summary; the others
    // do not.
    for (i, (item, answer)) in items.iter().zip(answers).enumerate() {
        let fix = item.fix.get(Lang::Zh);
        let shown = text.matches(fix.as_str()).count();
        let blocks = Status::of(answer, item) != Status::Met;
        assert_eq!(blocks, i == 1 || i == 3 || i == 4);
        assert_eq!(shown, if blocks { 2 } else { 0 }, "item {i}: {text}");
    }
    assert!(!text.contains(text::checklist_ready(Lang::Zh)), "{text}");
}

#[test]
fn chat_checklist_ends_ready_when_every_answer_meets_its_condition() {
    // "yes" to each, but "no" to "have you done an appeal recently?".
    let mut script = "/check\n".to_string();
    for item in checklist_items() {
        script.push_str(match item.yes_means {
            YesMeans::Met => "yes\n",
            YesMeans::NotMet => "no\n",
        });
    }
    assert!(script.ends_with("yes\nno\n"), "{script}");
    let text = chat_on_today(&["--lang", "en"], &script);
    let last_question = position(&text, checklist_items()[4].ask.get(Lang::En));
    let ready = position(&text, text::checklist_ready(Lang::En));
    assert!(ready > last_question, "{text}");
    assert!(!text.contains(text::checklist_blocked(Lang::En)), "{text}");
    for item in checklist_items() {
        assert!(!text.contains(item.fix.get(Lang::En).as_str()), "{text}");
    }
}

#[test]
fn chat_leaves_the_checklist_for_another_question() {
    let text = chat_on_today(&["--lang", "zh"], "/check\n是\n注销后还能恢复吗\n是\n");
    let items = checklist_items();
    let second = position(&text, items[1].ask.get(Lang::Zh));
    let left = position(&text, text::checklist_left(Lang::Zh));
    assert!(left > second, "{text}");
    // The question is answered as usual, right after the notice.
    let usual = shipped().ask("注销后还能恢复吗", Some(Lang::Zh));
    assert!(text[left..].contains(&usual.render_text(true)), "{text}");
    // The "是" that follows is a new message, not an answer to question 2.
    assert!(
        !text.contains(items[2].ask.get(Lang::Zh).as_str()),
        "{text}"
    );
    assert!(!text.contains(text::checklist_ready(Lang::Zh)), "{text}");
    assert!(!text.contains(text::checklist_blocked(Lang::Zh)), "{text}");
}

#[test]
fn chat_cooling_asks_for_the_date_then_counts_from_it() {
    let text = chat_on_today(&["--lang", "zh"], "/cooling\n3天前\n");
    let asked = position(&text, &text::cooling_ask(Problem::Missing, Lang::Zh));
    let dates = position(&text, &cooling_dates(date(2026, 11, 25), Lang::Zh));
    assert!(dates > asked, "{text}");
    assert!(text.contains("2026年11月25日"), "{text}");
}

#[test]
fn chat_cooling_takes_how_long_ago_as_the_date() {
    // Asked for the day, a duration answers it; roughly given, roughly counted.
    let text = chat_on_today(&["--lang", "en"], "/cooling\nit's been 50 days\n");
    let asked = position(&text, &text::cooling_ask(Problem::Missing, Lang::En));
    let dates = position(&text, &cooling_dates(date(2026, 10, 9), Lang::En));
    assert!(dates > asked, "{text}");

    let text = chat_on_today(&["--lang", "zh"], "/cooling 快两个月了\n");
    assert!(
        text.contains(&cooling_dates_given(date(2026, 9, 28), true, Lang::Zh)),
        "{text}"
    );
    assert!(text.contains(cooling_off().close.get(Lang::Zh)), "{text}");
}

#[test]
fn chat_cancel_with_nothing_under_way_says_so() {
    let text = chat_on_today(&[], "/cancel\n");
    assert!(text.contains(text::nothing_to_cancel(Lang::En)), "{text}");
    assert!(!text.contains(text::cancelled(Lang::En)), "{text}");
}

#[test]
fn eval_leave_out_measures_a_set_without_its_own_example_questions() {
    let kb = crate::util::knowledge_copy();
    let question = "冷静期里别人还能看到我的视频吗";
    // Examples named "mine" that all but say the question is about what is lost.
    let examples: String = (0..20)
        .map(|i| format!("{{\"q\": \"{question} {i}\", \"expect\": [\"after-content-lost\"]}}\n"))
        .collect();
    std::fs::write(kb.path().join("examples").join("mine.jsonl"), examples).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("mine.test.jsonl");
    std::fs::write(
        &set,
        format!("{{\"q\": \"{question}\", \"expect\": [\"cooling-off\"]}}\n"),
    )
    .unwrap();
    let knowledge = path_str(kb.path());
    let top1 = |extra: &[&str]| {
        let mut args = vec!["eval", "--summary", "--knowledge", &knowledge];
        args.extend(extra);
        let set = path_str(&set);
        args.push(&set);
        // The examples turn an answer into choices only with the veto on.
        let output = faqbot()
            .env("FAQBOT__MATCHER__EXAMPLE_VETO", "0.99")
            .args(&args)
            .output()
            .expect("faqbot runs");
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        text.lines()
            .find(|l| l.starts_with("all "))
            .and_then(|l| l.split_whitespace().nth(2).map(str::to_string))
            .unwrap_or_else(|| panic!("no row all:\n{text}"))
    };
    // With its own examples in the model, the set is not measured fairly:
    // they turn the answer into choices here. Left out, the answer stands.
    assert_eq!(top1(&[]), "0.0%");
    assert_eq!(top1(&["--leave-out"]), "100.0%");
}
