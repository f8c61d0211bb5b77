//! Rate limits: a token bucket per API key, and one per client address for requests without
//! a valid key, in memory (per process).
//!
//! A bucket holds at most `burst` tokens and refills at `per_minute / 60` tokens a second;
//! each request takes one. The answer carries `RateLimit-Limit` (the bucket size),
//! `RateLimit-Remaining` (whole tokens left) and `RateLimit-Reset` (seconds until the
//! bucket is full again); a refused request also gets `Retry-After` (seconds until one
//! token is back).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The outcome of taking a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may go ahead.
    pub allowed: bool,
    /// The bucket size.
    pub limit: u64,
    /// Whole tokens left.
    pub remaining: u64,
    /// Seconds until the bucket is full.
    pub reset_secs: u64,
    /// Seconds until the next token (0 when allowed).
    pub retry_after_secs: u64,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Buckets kept before full (idle) ones are dropped; a full bucket and no bucket behave alike.
const MAX_BUCKETS: usize = 100_000;

/// Token buckets keyed by API key id (or client address).
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// `per_minute` tokens a minute, at most `burst` at once. `per_minute == 0` disables
    /// limiting (every request allowed, no headers needed).
    pub fn new(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_sec: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether limiting is on.
    pub fn enabled(&self) -> bool {
        self.per_sec > 0.0
    }

    /// Takes a token from `key`'s bucket.
    pub fn check(&self, key: &str) -> Decision {
        self.check_at(key, Instant::now())
    }

    /// Whether `key`'s bucket holds a token now, without taking it (always true when off).
    pub fn has_token(&self, key: &str) -> bool {
        if !self.enabled() {
            return true;
        }
        let buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        buckets.get(key).is_none_or(|b| {
            let elapsed = Instant::now().saturating_duration_since(b.last).as_secs_f64();
            (b.tokens + elapsed * self.per_sec).min(self.burst) >= 1.0
        })
    }

    fn check_at(&self, key: &str, now: Instant) -> Decision {
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            // Keys (or addresses) by the hundred thousand: forget those whose bucket has
            // refilled, which changes nothing; if an attack keeps them all partly used, start over.
            let (per_sec, burst) = (self.per_sec, self.burst);
            buckets.retain(|_, b| b.tokens + now.saturating_duration_since(b.last).as_secs_f64() * per_sec < burst);
            if buckets.len() >= MAX_BUCKETS {
                buckets.clear();
            }
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket { tokens: self.burst, last: now });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.per_sec).min(self.burst);
        b.last = now;
        let allowed = b.tokens >= 1.0;
        if allowed {
            b.tokens -= 1.0;
        }
        let secs = |missing: f64| if self.per_sec > 0.0 { (missing / self.per_sec).ceil().max(0.0) as u64 } else { 0 };
        Decision {
            allowed,
            limit: self.burst as u64,
            remaining: b.tokens.floor().max(0.0) as u64,
            reset_secs: secs(self.burst - b.tokens),
            retry_after_secs: if allowed { 0 } else { secs(1.0 - b.tokens).max(1) },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_then_refills() {
        let rl = RateLimiter::new(60, 3);
        let t0 = Instant::now();
        let got: Vec<_> = (0..4).map(|_| rl.check_at("k", t0)).collect();
        assert_eq!(got.iter().map(|d| d.allowed).collect::<Vec<_>>(), [true, true, true, false]);
        assert_eq!(got[0].remaining, 2);
        assert_eq!(got[3].retry_after_secs, 1);
        assert_eq!(got[3].reset_secs, 3);
        assert!(rl.check_at("k", t0 + Duration::from_secs(1)).allowed);
        assert!(rl.check_at("other", t0).allowed, "buckets are per key");
    }

    #[test]
    fn has_token_looks_without_taking() {
        let rl = RateLimiter::new(60, 1);
        assert!(rl.has_token("a") && rl.has_token("a"));
        assert!(rl.check("a").allowed);
        assert!(!rl.has_token("a"));
        assert!(RateLimiter::new(0, 1).has_token("a"), "off: always");
    }
}
