//! Requests per key: at most `api.requests_per_minute` (600 by default) in each minute-long
//! window, counted in this
//! process (DESIGN.md section 9: limits may be per process; behind N servers set the
//! budget to the plan's divided by N). Every answer says where the caller stands, in the
//! `RateLimit-Policy` and `RateLimit` fields of the IETF draft; the request past the budget
//! gets 429 with `Retry-After`.

use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

use axum::http::{HeaderMap, HeaderValue};
use uuid::Uuid;

/// Requests a key may make per window unless the settings say otherwise.
pub const PER_MINUTE: u32 = 600;
const WINDOW: Duration = Duration::from_secs(60);
/// Windows kept before old ones are swept.
const SWEEP_ABOVE: usize = 10_000;

struct Window {
    started: Instant,
    used: u32,
}

static WINDOWS: LazyLock<Mutex<HashMap<Uuid, Window>>> = LazyLock::new(Default::default);

/// Where a key stands after a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub allowed: bool,
    /// Requests allowed per window.
    pub budget: u32,
    pub remaining: u32,
    /// Seconds until the window starts afresh.
    pub reset: u64,
}

/// Counts one request of `key` now, against a budget of `budget` a minute.
pub fn take(key: Uuid, budget: u32) -> Standing {
    take_at(key, budget, Instant::now())
}

fn take_at(key: Uuid, budget: u32, now: Instant) -> Standing {
    let mut windows = WINDOWS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if windows.len() > SWEEP_ABOVE {
        windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
    }
    let window = windows.entry(key).or_insert(Window {
        started: now,
        used: 0,
    });
    if now.duration_since(window.started) >= WINDOW {
        *window = Window {
            started: now,
            used: 0,
        };
    }
    let allowed = window.used < budget;
    if allowed {
        window.used += 1;
    }
    let left = WINDOW.saturating_sub(now.duration_since(window.started));
    Standing {
        allowed,
        budget,
        remaining: budget.saturating_sub(window.used),
        reset: left.as_secs().max(1),
    }
}

impl Standing {
    /// The draft's fields: the policy, and what is left of it.
    pub fn write(&self, headers: &mut HeaderMap) {
        let policy = format!("\"per-key\";q={};w={}", self.budget, WINDOW.as_secs());
        let state = format!("\"per-key\";r={};t={}", self.remaining, self.reset);
        for (name, value) in [("ratelimit-policy", policy), ("ratelimit", state)] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_budget_per_window_and_then_waits_for_the_next() {
        let key = Uuid::new_v4();
        let start = Instant::now();
        for n in 1..=PER_MINUTE {
            let standing = take_at(key, PER_MINUTE, start);
            assert!(standing.allowed);
            assert_eq!(standing.remaining, PER_MINUTE - n);
        }
        let over = take_at(key, PER_MINUTE, start + Duration::from_secs(20));
        assert!(!over.allowed);
        assert_eq!(over.remaining, 0);
        assert_eq!(over.reset, 40);
        assert!(
            take_at(Uuid::new_v4(), PER_MINUTE, start).allowed,
            "other keys have their own"
        );
        let next = take_at(key, PER_MINUTE, start + WINDOW);
        assert!(next.allowed);
        assert_eq!(next.remaining, PER_MINUTE - 1);
    }
}
