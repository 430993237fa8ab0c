//! Per-user flood control: a user who sends more than the limit in a minute
//! is told once to slow down, then ignored until their rate drops; nobody
//! else is affected.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Users tracked before idle ones are forgotten.
const PRUNE_AT: usize = 10_000;

/// What to do with a user's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Handle it.
    Allow,
    /// Over the limit for the first time in this burst: say so once.
    Warn,
    /// Over the limit and already told: drop it.
    Ignore,
}

/// Message times per user over the last minute.
#[derive(Debug)]
pub struct FloodGuard {
    per_minute: usize,
    users: Mutex<HashMap<u64, User>>,
}

#[derive(Debug, Default)]
struct User {
    times: VecDeque<Instant>,
    warned: bool,
}

impl FloodGuard {
    /// Allows `per_minute` messages a minute per user; 0 allows any number.
    pub fn new(per_minute: u32) -> FloodGuard {
        FloodGuard {
            per_minute: per_minute as usize,
            users: Mutex::new(HashMap::new()),
        }
    }

    /// Records a message from `user` at `now` and says what to do with it.
    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        if self.per_minute == 0 {
            return Verdict::Allow;
        }
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if users.len() >= PRUNE_AT {
            users.retain(|_, u| u.times.back().is_some_and(|&t| now - t < WINDOW));
        }
        let state = users.entry(user).or_default();
        while state.times.front().is_some_and(|&t| now - t >= WINDOW) {
            state.times.pop_front();
        }
        if state.times.len() < self.per_minute {
            state.times.push_back(now);
            state.warned = false;
            return Verdict::Allow;
        }
        // Ignored messages do not count, so a user who waits gets through.
        if std::mem::replace(&mut state.warned, true) {
            Verdict::Ignore
        } else {
            Verdict::Warn
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flooding_user_is_warned_once_then_ignored_until_they_slow_down() {
        let guard = FloodGuard::new(3);
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let verdicts: Vec<Verdict> = (0..6).map(|i| guard.check(1, at(i))).collect();
        use Verdict::*;
        assert_eq!(verdicts, [Allow, Allow, Allow, Warn, Ignore, Ignore]);
        // Someone else is unaffected.
        assert_eq!(guard.check(2, at(6)), Allow);
        // A minute after their first message, one slot is free again.
        assert_eq!(guard.check(1, at(60)), Allow);
        assert_eq!(guard.check(1, at(61)), Allow);
        assert_eq!(guard.check(1, at(62)), Allow);
        assert_eq!(guard.check(1, at(62)), Warn);
    }

    #[test]
    fn zero_means_no_limit() {
        let guard = FloodGuard::new(0);
        let now = Instant::now();
        assert!((0..1000).all(|_| guard.check(1, now) == Verdict::Allow));
    }
}
