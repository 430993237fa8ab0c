//! The matcher at scale: synthetic knowledge bases of 100, 1,000 and 10,000
//! entries (ten question variants each, `benches/support/synth.rs`), each
//! measured in a fresh process of its own so that memory figures do not mix:
//! load (read, validate, index) and reload time (median of three), resident
//! memory after loading and at its peak (a reload holds the old and the new
//! knowledge for a moment), and the latency of one question (median and 99th
//! percentile over 3,000 questions, each the least of three runs: a third
//! copied from the knowledge base, a third shortened, a third unrelated).
//!
//! Run with `cargo bench --bench scale` (prints a table; not a timed test).
//! `cargo bench --bench scale -- 100 1000` measures only those sizes.

#[path = "support/synth.rs"]
mod synth;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use faqbot::live::LiveFaq;
use faqbot::settings::Settings;

const SIZES: &[usize] = &[100, 1_000, 10_000];
const QUESTIONS: usize = 3_000;
const CHILD: &str = "FAQBOT_SCALE_ENTRIES";

fn main() {
    if let Ok(n) = std::env::var(CHILD) {
        measure(n.parse().expect("entries"));
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        SIZES.to_vec()
    } else {
        sizes
    };
    println!(
        "| entries | variants | load | reload | resident after load (peak, reloads included) | per question p50 | p99 | copied variants answered |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let out = Command::new(std::env::current_exe().expect("own path"))
            .env(CHILD, n.to_string())
            .output()
            .expect("runs the measuring process");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

fn measure(n: usize) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let dir = tempfile::tempdir().expect("temp dir");
    let entries = synth::entries(n);
    synth::write(dir.path(), &shipped, &entries).expect("writes the knowledge");
    drop(entries);
    let settings = Settings::load(None, HashMap::new()).expect("settings");
    let mut limits = settings.limits.clone();
    (limits.min_questions_zh, limits.min_questions_en) = (5, 5);

    let started = Instant::now();
    let live = LiveFaq::load(dir.path(), limits, settings.matcher.clone()).expect("loads");
    let load = started.elapsed();
    let (loaded_rss, _) = memory();
    let mut reloads: Vec<Duration> = (0..3)
        .map(|_| live.reload().expect("reloads").elapsed)
        .collect();
    reloads.sort();
    let reload = reloads[1];

    let faq = live.snapshot();
    let all: Vec<(&str, &str)> = faq
        .knowledge()
        .entries
        .iter()
        .flat_map(|e| e.questions.all().map(move |q| (e.id.as_str(), q.as_str())))
        .collect();
    let mut rng = synth::Rng::new(7);
    let mut questions: Vec<(Option<&str>, String)> = Vec::with_capacity(QUESTIONS);
    for i in 0..QUESTIONS {
        let (id, q) = rng.pick(&all);
        questions.push(match i % 3 {
            0 => (Some(id), q.to_string()),
            1 => {
                // Shortened: drop the last character or word.
                let cut = q.char_indices().last().map_or(0, |(at, _)| at);
                (None, q[..cut].to_string())
            }
            _ => (
                None,
                format!("今天天气怎么样 {} what time is it", rng.below(1000)),
            ),
        });
    }
    // Warm up caches and allocators.
    for (_, q) in questions.iter().take(200) {
        black_box(faq.ask(q, None));
    }
    let mut times = Vec::with_capacity(QUESTIONS);
    let mut right = 0;
    let mut copied = 0;
    for (id, q) in &questions {
        // Each question's time is the least of three runs: the machine is
        // shared, and a question is not slower because another process ran.
        let time = (0..3)
            .map(|_| {
                let started = Instant::now();
                black_box(faq.ask(q, None));
                started.elapsed()
            })
            .min()
            .unwrap_or_default();
        times.push(time);
        let reply = faq.ask(q, None);
        if let Some(id) = id {
            copied += 1;
            if reply.verdict.answer.as_ref().is_some_and(|a| a.id == *id) {
                right += 1;
            }
        }
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let (_, peak) = memory();
    println!(
        "| {n} | {} | {} | {} | {loaded_rss:.0} MB ({peak:.0} MB) | {} | {} | {:.1}% |",
        faq.matcher().variant_count(),
        show(load),
        show(reload),
        show(p(0.5)),
        show(p(0.99)),
        100.0 * right as f64 / copied.max(1) as f64,
    );
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

/// Resident and peak resident memory of this process, in MB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}
