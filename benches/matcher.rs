//! Benchmarks of the public API: building a [`Faq`] from the shipped
//! `knowledge/` folder, and answering questions of several kinds.
//!
//! Each `ask/*` bench cycles through its questions round-robin, so the time
//! criterion reports is the mean time of one `Faq::ask` call.
//!
//! Run with `cargo bench --bench matcher`.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use faqbot::Faq;
use faqbot::settings::Settings;

const SHORT: &[&str] = &[
    "视频号怎么注销",
    "how do I undo deletion",
    "冷静期多久",
    "can I get my money out first",
];

const TYPO: &[&str] = &[
    "注消了还能恢复吗",
    "視頻號怎麼註銷",
    "how to delet my chanels acount",
];

const PINYIN: &[&str] = &["shipinhao zenme zhuxiao", "lengjingqi duojiu"];

/// The length, in characters, of the long message.
const LONG_CHARS: usize = 2000;

fn knowledge_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

fn settings() -> Settings {
    Settings::load(None, HashMap::new()).expect("the built-in settings are valid")
}

fn load_faq(settings: &Settings) -> Faq {
    Faq::load(&knowledge_dir(), &settings.limits, settings.matcher.clone())
        .expect("the shipped knowledge folder loads")
}

/// A rambling message of exactly [`LONG_CHARS`] characters that ends with
/// the actual question.
fn long_message() -> String {
    const RAMBLE: &str = "我前年开了一个视频号,当时发了一些带孩子出去玩的视频,\
        后来工作忙就一直没怎么更新,现在也没什么人看了,放着又觉得有点占地方,";
    const QUESTION: &str = "所以想问一下视频号到底怎么注销?";
    let body_chars = LONG_CHARS - QUESTION.chars().count();
    let mut message: String = RAMBLE.chars().cycle().take(body_chars).collect();
    message.push_str(QUESTION);
    assert_eq!(message.chars().count(), LONG_CHARS);
    message
}

fn bench_load(c: &mut Criterion) {
    let settings = settings();
    c.bench_function("load", |b| b.iter(|| load_faq(black_box(&settings))));
}

fn bench_ask(c: &mut Criterion) {
    let faq = load_faq(&settings());
    let long = long_message();
    let long_set = [long.as_str()];
    let categories: [(&str, &[&str]); 4] = [
        ("short", SHORT),
        ("typo", TYPO),
        ("pinyin", PINYIN),
        ("long_2000", &long_set),
    ];

    cycle(c, "ask", &categories, |question| faq.ask(question, None));
}

/// Benchmarks `f` in group `group`, one function per category, each taking
/// the category's questions in turn.
fn cycle<R>(c: &mut Criterion, group: &str, categories: &[(&str, &[&str])], f: impl Fn(&str) -> R) {
    let mut group = c.benchmark_group(group);
    for &(name, questions) in categories {
        group.bench_function(name, |b| {
            let mut next = 0;
            b.iter(|| {
                let question = questions[next];
                next = (next + 1) % questions.len();
                f(black_box(question))
            });
        });
    }
    group.finish();
}

/// The whole routing of a chat's message (`conversation::message`: the
/// matcher, the date reader, the calculator), and the date reader alone.
fn bench_respond(c: &mut Criterion) {
    let faq = load_faq(&settings());
    let today = jiff::civil::date(2026, 11, 28);
    let long = long_message();
    let dated = [
        "我11月3号申请的注销 还能撤销吗",
        "I applied to delete last Wednesday",
    ];
    let categories: [(&str, &[&str]); 3] = [
        ("short", SHORT),
        ("dated", &dated),
        ("long_2000", &[long.as_str()]),
    ];
    cycle(c, "respond", &categories, |question| {
        faqbot::conversation::message(&faq, None, question, None, today, None).conversation
    });
    cycle(c, "dates", &categories, |question| {
        faqbot::dates::find(question, today)
    });
}

/// Short runs, so that `cargo bench` stays quick on a small machine.
fn config(sample_size: usize) -> Criterion {
    Criterion::default()
        .sample_size(sample_size)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

// Loading takes milliseconds, so it gets fewer samples to fit in 3 seconds.
criterion_group! {
    name = load;
    config = config(10);
    targets = bench_load
}
criterion_group! {
    name = ask;
    config = config(30);
    targets = bench_ask, bench_respond
}
criterion_main!(load, ask);
