//! The bot under load: runs the release `faqbot serve` binary against the
//! fake Bot API on 127.0.0.1 (the one the tests use) with flood control off,
//! first with throttling off (`bot.limits.enabled = false`), then with the
//! throttle queue on but its limits out of reach, and prints for each
//!
//! - throughput: a burst of updates from distinct users queued at once,
//!   updates handled per second (first queued to last reply sent);
//! - reply latency p50 / p99 at a steady rate well below capacity (update
//!   queued at the fake server → reply received by it, so it includes both
//!   HTTP round trips over loopback);
//! - the bot process's resident memory while serving (VmRSS) and at peak
//!   (VmHWM), from /proc.
//!
//! Run: `cargo bench --bench serve` (Linux). Sizes can be changed with
//! FAQBOT_BENCH_BURST and FAQBOT_BENCH_PACED (update counts) and
//! FAQBOT_BENCH_RATE (updates a second in the paced run).

#[path = "../tests/fake_api.rs"]
mod fake_api;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fake_api::FakeApi;

const QUESTIONS: &[&str] = &[
    "视频号怎么注销",
    "how do I undo deletion",
    "冷静期多久",
    "can I get my money out first",
    "注消了还能恢复吗",
    "視頻號怎麼註銷",
    "how to delet my chanels acount",
    "shipinhao zenme zhuxiao",
    "今天天气怎么样",
    "注销以后粉丝还在吗",
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Starts the release bot with its store in `store` (a fresh file per run:
/// the bot records what it answers, as in production).
fn start_bot(fake: &FakeApi, throttle: bool, store: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAQBOT__STORE__PATH", store)
        .env("TELOXIDE_TOKEN", "123456:BENCH")
        .env("FAQBOT__BOT__API_URL", fake.api_url().as_str())
        .env("FAQBOT__BOT__FLOOD_MESSAGES_PER_MINUTE", "0")
        .env("FAQBOT__BOT__LIMITS__ENABLED", throttle.to_string())
        .env("FAQBOT__BOT__LIMITS__MESSAGES_PER_SEC_CHAT", "1000000")
        .env("FAQBOT__BOT__LIMITS__MESSAGES_PER_MIN_CHAT", "1000000")
        .env("FAQBOT__BOT__LIMITS__MESSAGES_PER_MIN_GROUP", "1000000")
        .env("FAQBOT__BOT__LIMITS__MESSAGES_PER_SEC_OVERALL", "1000000")
        .env("FAQBOT__LOG__LEVEL", "warn")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .spawn()
        .expect("faqbot serve starts")
}

/// Queues `n` updates from users `first_user..first_user + n`, `gap` apart,
/// and returns when each was queued, by user.
async fn push(fake: &FakeApi, first_user: i64, n: usize, gap: Duration) -> HashMap<i64, Instant> {
    let mut queued = HashMap::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let user = first_user + i as i64;
        if !gap.is_zero() {
            let due = start + gap * i as u32;
            tokio::time::sleep_until(due.into()).await;
        }
        queued.insert(user, Instant::now());
        fake.push_update(fake_api::private_text(user, QUESTIONS[i % QUESTIONS.len()]));
    }
    queued
}

/// Waits until `total` messages have been sent.
async fn replies(fake: &FakeApi, total: usize) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while fake.count_ok("sendMessage") < total {
        assert!(Instant::now() < deadline, "the bot stopped answering");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

#[tokio::main]
async fn main() {
    let burst = env_usize("FAQBOT_BENCH_BURST", 5000);
    let paced = env_usize("FAQBOT_BENCH_PACED", 2000);
    let rate = env_usize("FAQBOT_BENCH_RATE", 200).max(1);
    println!("faqbot serve against the fake Bot API on 127.0.0.1, flood control off");
    for throttle in [false, true] {
        run(throttle, burst, paced, rate).await;
    }
}

async fn run(throttle: bool, burst: usize, paced: usize, rate: usize) {
    let fake = FakeApi::start().await;
    let store = tempfile::tempdir().expect("a temporary folder");
    let mut bot = start_bot(&fake, throttle, &store.path().join("bench.sqlite3"));
    let pid = bot.id();

    // Warm up: start-up, the first connections, the first of each question.
    push(&fake, 1, 100, Duration::ZERO).await;
    replies(&fake, 100).await;
    let mut sent = 100;

    // Throughput: a burst from distinct users.
    let started = Instant::now();
    push(&fake, 1_000_000, burst, Duration::ZERO).await;
    replies(&fake, sent + burst).await;
    let took = started.elapsed();
    sent += burst;
    let rss_burst = proc_status_kb(pid, "VmRSS:");

    // Latency at a steady rate.
    let first_user = 2_000_000;
    let queued = push(
        &fake,
        first_user,
        paced,
        Duration::from_secs(1) / rate as u32,
    )
    .await;
    replies(&fake, sent + paced).await;
    let mut latencies: Vec<Duration> = fake
        .calls("sendMessage")
        .iter()
        .filter_map(|call| {
            let user = call.body["chat_id"].as_i64()?;
            Some(call.at.duration_since(*queued.get(&user)?))
        })
        .collect();
    latencies.sort();
    assert_eq!(latencies.len(), paced, "one reply per paced update");
    let rss = proc_status_kb(pid, "VmRSS:");
    let peak = proc_status_kb(pid, "VmHWM:");

    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let status = bot.wait().expect("the bot exits");
    assert!(status.success(), "{status}");

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mb = |kb: Option<u64>| {
        kb.map_or("n/a".to_string(), |kb| {
            format!("{:.1} MB", kb as f64 / 1024.0)
        })
    };
    println!(
        "\nthrottling {}",
        if throttle {
            "on (limits out of reach)"
        } else {
            "off"
        }
    );
    println!(
        "  burst:   {burst} updates from distinct users in {:.2} s = {:.0} updates/s",
        took.as_secs_f64(),
        burst as f64 / took.as_secs_f64()
    );
    println!(
        "  latency: {paced} updates at {rate}/s: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    println!(
        "  memory:  resident {} after the burst, {} after the paced run, peak {}",
        mb(rss_burst),
        mb(rss),
        mb(peak)
    );
}
