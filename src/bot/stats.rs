//! What `/stats` reports: counts since the process started.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::matcher::Outcome;

/// Counters shared by every handler.
#[derive(Debug)]
pub struct Stats {
    started: Instant,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default, Clone)]
struct Counts {
    answered: u64,
    clarified: u64,
    fallbacks: u64,
    topics: HashMap<String, u64>,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub uptime: Duration,
    pub answered: u64,
    pub clarified: u64,
    pub fallbacks: u64,
    /// The most shown topics, most first (ties by id), at most five.
    pub top_topics: Vec<(String, u64)>,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            started: Instant::now(),
            counts: Mutex::new(Counts::default()),
        }
    }
}

impl Stats {
    /// Counts the engine's verdict on one question.
    pub fn question(&self, outcome: Outcome, entry: Option<&str>) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Outcome::Answer => c.answered += 1,
            Outcome::Clarify => c.clarified += 1,
            Outcome::Fallback => c.fallbacks += 1,
        }
        if let Some(id) = entry {
            *c.topics.entry(id.to_string()).or_default() += 1;
        }
    }

    /// Counts a topic opened directly (button, command, deep link).
    pub fn topic(&self, id: &str) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *c.topics.entry(id.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> Snapshot {
        let c = self
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut top: Vec<(String, u64)> = c.topics.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(5);
        Snapshot {
            uptime: self.started.elapsed(),
            answered: c.answered,
            clarified: c.clarified,
            fallbacks: c.fallbacks,
            top_topics: top,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_outcomes_and_ranks_topics() {
        let stats = Stats::default();
        stats.question(Outcome::Answer, Some("b"));
        stats.question(Outcome::Answer, Some("a"));
        stats.question(Outcome::Fallback, None);
        stats.question(Outcome::Clarify, None);
        for id in ["c", "c", "c", "d", "e", "f", "b"] {
            stats.topic(id);
        }
        let s = stats.snapshot();
        assert_eq!((s.answered, s.clarified, s.fallbacks), (2, 1, 1));
        let top: Vec<(&str, u64)> = s
            .top_topics
            .iter()
            .map(|(id, n)| (id.as_str(), *n))
            .collect();
        assert_eq!(top, [("c", 3), ("b", 2), ("a", 1), ("d", 1), ("e", 1)]);
    }
}
