//! The store under load: how many records a second the bot's writer
//! commits, and how long `/unanswered` takes over 100,000 stored questions.
//! Prints figures; not a timed test.
//!
//!     cargo bench --bench store
//!
//! `FAQBOT_BENCH_QUESTIONS` (default 100000) and `FAQBOT_BENCH_DISTINCT`
//! (default 20000, distinct phrasings among them) change the data.

use std::sync::Arc;
use std::time::{Duration, Instant};

use faqbot::matcher::Outcome;
use faqbot::store::{
    Counter, Pseudonyms, Question, Record, Recorder, SqliteStore, Store, Vote, now,
};
use faqbot::{Faq, Lang, report, triage};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` distinct made-up questions off the knowledge base's topics, in both
/// languages, as unanswered questions tend to be.
fn phrasings(n: usize) -> Vec<String> {
    let zh_things = [
        "头像",
        "名字",
        "简介",
        "封面",
        "直播",
        "音乐",
        "草稿",
        "评论",
        "私信",
        "背景",
        "二维码",
        "认证",
        "橱窗",
        "小店",
        "合集",
        "话题",
        "定位",
        "水印",
        "字幕",
        "滤镜",
    ];
    let zh_verbs = [
        "怎么换",
        "能改吗",
        "在哪设置",
        "怎么删",
        "为什么没了",
        "怎么关掉",
        "怎么恢复",
        "要钱吗",
        "有限制吗",
        "怎么导出",
    ];
    let en_things = [
        "avatar",
        "bio",
        "cover",
        "live stream",
        "music",
        "drafts",
        "comments",
        "messages",
        "background",
        "qr code",
        "badge",
        "shop",
        "collection",
        "topic",
        "location",
        "watermark",
        "subtitles",
        "filters",
        "banner",
        "nickname",
    ];
    let en_verbs = [
        "how do i change my",
        "can i edit the",
        "where is the",
        "how to remove the",
        "why did i lose my",
        "how to turn off",
        "restore my",
        "does it cost to get a",
        "limits on the",
        "export my",
    ];
    let tails = [
        "",
        "吗",
        "呢",
        "啊",
        "?",
        " please",
        " now",
        " again",
        " on iphone",
        " 在电脑上",
    ];
    let mut out = Vec::with_capacity(n);
    'outer: for tail in tails {
        for (i, thing) in zh_things.iter().enumerate() {
            for verb in zh_verbs {
                out.push(format!("视频号{thing}{verb}{tail}"));
                out.push(format!("{} {}{tail}", en_verbs[i % 10], en_things[i]));
                out.push(format!("{verb} {} channels{tail}", en_things[(i + 3) % 20]));
                if out.len() >= n {
                    break 'outer;
                }
            }
        }
    }
    // More than the templates give: number the rest (distinct, still text).
    let base = out.len();
    for i in base..n {
        out.push(format!("{} #{i}", out[i % base]));
    }
    out.truncate(n);
    out
}

fn main() {
    let questions = env("FAQBOT_BENCH_QUESTIONS", 100_000);
    let distinct = env("FAQBOT_BENCH_DISTINCT", 20_000).min(questions).max(1);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.sqlite3");
    let store = Arc::new(SqliteStore::open(&path).expect("a store"));
    let faq = Faq::load(
        std::path::Path::new("knowledge"),
        &Default::default(),
        faqbot::settings::Settings::load(None, Default::default())
            .expect("default settings")
            .matcher,
    )
    .expect("the shipped knowledge");
    let p = Pseudonyms::new(store.salt());

    // The records as the bot makes them: a question with its signature and
    // nearest entries (computed once per phrasing here), and its counters.
    let started = Instant::now();
    let texts = phrasings(distinct);
    let prepared: Vec<(String, String, Vec<faqbot::Candidate>)> = texts
        .iter()
        .map(|t| {
            let lang = faqbot::normalize::detect_lang(t);
            let masked = faqbot::privacy::mask(t);
            (
                masked.normalized(),
                report::signature(&faq, &masked, lang),
                report::nearest(&faq, &masked.without_placeholders(), 3),
            )
        })
        .collect();
    println!(
        "prepared {distinct} distinct phrasings in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Writer throughput: the bot's Recorder, records queued as fast as
    // handlers can, until all are committed.
    let recorder = Recorder::start(store.clone() as Arc<dyn Store>).expect("a writer thread");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let start_at = now() - 29 * 86_400;
    let started = Instant::now();
    let mut records = 0usize;
    for i in 0..questions {
        // Zipf-like: a few phrasings are asked far more often than others.
        let pick = ((i * 7919) % distinct) * ((i % 7) + 1) / 7;
        let (text, signature, candidates) = &prepared[pick % distinct];
        recorder.record(Record::Question(Question {
            at: start_at + (i as i64 * 25),
            lang: if text.chars().any(faqbot::normalize::is_han) {
                Lang::Zh
            } else {
                Lang::En
            },
            outcome: Outcome::Fallback,
            text: text.clone(),
            signature: signature.clone(),
            candidates: candidates.clone(),
            user: p.user((i % 5_000) as u64),
        }));
        recorder.record(Record::Count {
            counter: Counter::Outcome(Outcome::Fallback),
            by: 1,
        });
        records += 2;
        // Stay clear of the recorder's cap on waiting records (beyond it,
        // records are dropped), as a bot's handlers do by needing time.
        if recorder.pending() > 50_000 {
            runtime.block_on(recorder.written());
        }
    }
    runtime.block_on(recorder.written());
    let elapsed = started.elapsed();
    println!(
        "recorded {records} records ({questions} questions + their counters) in {:.2} s: {:.0} records/s",
        elapsed.as_secs_f64(),
        records as f64 / elapsed.as_secs_f64()
    );

    // Votes, each acknowledged (the notice waits for its commit), 64 at a
    // time as concurrent users would.
    let votes = 20_000;
    let started = Instant::now();
    runtime.block_on(async {
        let mut pending = Vec::with_capacity(64);
        for i in 0..votes {
            pending.push(recorder.record_committed(Record::Vote(Vote {
                at: now(),
                user: p.user(i as u64),
                message: p.message(i as i64, 1),
                entry: "overview".into(),
                lang: Lang::En,
                helpful: i % 4 != 0,
            })));
            if pending.len() == 64 {
                for ack in pending.drain(..) {
                    assert!(ack.await, "committed");
                }
            }
        }
        for ack in pending {
            assert!(ack.await);
        }
    });
    let elapsed = started.elapsed();
    println!(
        "acknowledged {votes} votes (64 in flight) in {:.2} s: {:.0} votes/s",
        elapsed.as_secs_f64(),
        votes as f64 / elapsed.as_secs_f64()
    );
    runtime.block_on(recorder.close());

    // /unanswered 5 over everything stored in the last 30 days.
    let since = now() - 30 * 86_400;
    let stored: u64 = store
        .unanswered(since)
        .expect("the questions")
        .iter()
        .map(|g| g.count)
        .sum();
    assert_eq!(stored, questions as u64, "every question was written");
    let mut times: Vec<Duration> = Vec::new();
    let mut total = 0;
    for _ in 0..7 {
        let started = Instant::now();
        let (groups, all) = triage::top_groups(&*store, &faq, since, 5).expect("the report");
        times.push(started.elapsed());
        assert_eq!(groups.len(), 5.min(all));
        total = all;
    }
    times.sort();
    println!(
        "/unanswered 5 over {questions} stored questions ({total} groups): median {:.0} ms, max {:.0} ms (7 runs)",
        times[3].as_secs_f64() * 1000.0,
        times[6].as_secs_f64() * 1000.0
    );
    let size = std::fs::metadata(&path).map_or(0, |m| m.len())
        + std::fs::metadata(dir.path().join("bench.sqlite3-wal")).map_or(0, |m| m.len());
    println!("store file: {:.1} MB", size as f64 / 1e6);
}
