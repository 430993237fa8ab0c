//! The `faqbot` binary as a user runs it.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::util::{entry, faqbot, knowledge_dir, path_str};

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
    writer.join().unwrap().unwrap();
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
    assert!(text.contains("top-1 accuracy 50.0% (1/2)"), "{text}");
    assert!(text.contains("rejected 100.0% (1/1)"), "{text}");
    assert!(text.contains("false rejection: 50.0%"), "{text}");
    assert!(text.contains("line 3 [zh]"), "{text}");

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
fn eval_counts_the_calculator_as_cooling() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jsonl");
    std::fs::write(
        &set,
        "{\"q\": \"我11月3号申请的注销\", \"expect\": [\"@cooling\"]}\n\
         {\"q\": \"I applied on Nov 3\", \"expect\": [\"undo-deletion\"]}\n",
    )
    .unwrap();
    let output = run(&["eval", &path_str(&set)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("top-1 accuracy 50.0% (1/2)"), "{text}");
    assert!(
        text.contains(
            "line 2 [en] \"I applied on Nov 3\": expected undo-deletion, got answer @cooling\n"
        ),
        "{text}"
    );
}
