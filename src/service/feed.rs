//! Where this replica is in the change feed ([`Feed`]): the applied horizon, the lag, and
//! read-your-writes waits. The reader that moves it is `tail.rs`; the table and why it is
//! read in `(xid, seq)` order below the snapshot's `xmin` are in `store::feed`.
//!
//! Order at start (`startup`): LISTEN first, then read the horizon, then load the snapshot
//! (taxonomy, index), then tail from the horizon: a change committed during the load is in
//! the load, in the tail, or both (applying re-reads the current row, so twice is harmless).
//!
//! The tail wakes on a NOTIFY or after [`FeedConfig::poll`] (≤ 1 s) and reads everything
//! below a fresh horizon; after a reconnect it simply catches up from its cursor. A cursor
//! below the highest pruned row means rows were missed: everything is reloaded.
//!
//! Only state is applied here: events (`match.found`, outbox rows) are raised by the writer
//! alone, in or right after its transaction, so N replicas raise each one once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::{Store, StoreError};
use tokio::sync::watch;

/// Runs a request and returns, with its output, the position of the last write it made.
pub use crate::store::tracked;

/// How the reader runs.
#[derive(Debug, Clone, Copy)]
pub struct FeedConfig {
    /// Longest time between two reads when no NOTIFY comes (at most 1 s).
    pub poll: Duration,
    /// How long a read that names a position waits for this replica to reach it.
    pub read_wait: Duration,
    /// Readiness fails when the index is staler than this.
    pub max_lag: Duration,
    /// Feed rows older than this are pruned.
    pub retention: Duration,
}

/// Where this replica is in the feed, shared by the reader and the HTTP layer.
#[derive(Clone)]
pub struct Feed {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: FeedConfig,
    /// The applied horizon: every change made by a transaction below it is applied here.
    horizon: watch::Sender<u64>,
    /// When the last read that reached the horizon started: every change committed before
    /// this instant is applied.
    caught_up: Mutex<Instant>,
    /// Full reloads since start.
    reloads: AtomicU64,
    /// Feed rows applied since start (own writes excluded).
    applied: AtomicU64,
    /// Own writes below this horizon are applied from the feed too: after a full reload,
    /// one may have gone to the index that the reload replaced.
    replay_own_below: AtomicU64,
}

/// What `/readyz` and `/metrics` show about the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedStatus {
    /// The position reached (opaque): every write whose position is below it is applied.
    pub position: String,
    /// Seconds since the index was last known to hold every committed change (0 on SQLite).
    pub lag_seconds: f64,
    /// Whether the lag is within `STAFFMATCH_MAX_INDEX_LAG_SECS`.
    pub healthy: bool,
    /// Full reloads since start.
    pub reloads: u64,
    /// Changes from other replicas applied since start.
    pub applied: u64,
}

impl Feed {
    /// The feed state of a replica whose snapshot was loaded at `horizon`.
    pub fn new(store: Store, config: FeedConfig, horizon: u64) -> Feed {
        let (tx, _) = watch::channel(horizon);
        Feed {
            inner: Arc::new(Inner {
                store,
                config,
                horizon: tx,
                caught_up: Mutex::new(Instant::now()),
                reloads: AtomicU64::new(0),
                applied: AtomicU64::new(0),
                replay_own_below: AtomicU64::new(0),
            }),
        }
    }

    /// Whether the write at `position` is applied here: below the applied horizon, or
    /// written by this process (which applied it before answering). Always on SQLite.
    pub fn reached(&self, position: u64) -> bool {
        let s = &self.inner.store;
        !s.has_feed() || *self.inner.horizon.borrow() > position || s.feed_is_own(position)
    }

    /// Waits up to the configured bound for the write at `position` to be applied here.
    pub async fn wait_for(&self, position: u64) -> bool {
        if self.reached(position) {
            return true;
        }
        let mut rx = self.inner.horizon.subscribe();
        let wait = rx.wait_for(|h| *h > position);
        tokio::time::timeout(self.inner.config.read_wait, wait).await.is_ok_and(|r| r.is_ok()) || self.reached(position)
    }

    /// How stale the index may be.
    pub fn lag(&self) -> Duration {
        if !self.inner.store.has_feed() {
            return Duration::ZERO;
        }
        self.inner.caught_up.lock().map(|t| t.elapsed()).unwrap_or(Duration::MAX)
    }

    /// The position, lag and health.
    pub fn status(&self) -> FeedStatus {
        let lag = self.lag();
        let position = if self.inner.store.has_feed() {
            self.inner.horizon.borrow().to_string()
        } else {
            self.inner.store.feed_local_position().to_string()
        };
        FeedStatus {
            position,
            lag_seconds: lag.as_secs_f64(),
            healthy: lag <= self.inner.config.max_lag,
            reloads: self.inner.reloads.load(Ordering::Relaxed),
            applied: self.inner.applied.load(Ordering::Relaxed),
        }
    }

    /// The configuration.
    pub(super) fn config(&self) -> FeedConfig {
        self.inner.config
    }

    /// Counts `n` rows of other replicas applied.
    pub(super) fn count_applied(&self, n: u64) {
        self.inner.applied.fetch_add(n, Ordering::Relaxed);
    }

    /// A full reload happened; own writes below `horizon` are applied from the feed too.
    pub(super) fn reloaded(&self, horizon: u64) {
        self.inner.replay_own_below.store(horizon, Ordering::Relaxed);
        self.inner.reloads.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether a row of transaction `xid` is to be applied (not an own write applied already).
    pub(super) fn applies(&self, xid: u64) -> bool {
        xid < self.inner.replay_own_below.load(Ordering::Relaxed) || !self.inner.store.feed_is_own(xid)
    }

    /// Every change below `horizon` is applied; the read that got there started at `started`.
    pub(super) fn reached_horizon(&self, horizon: u64, started: Instant) {
        self.inner.horizon.send_if_modified(|h| {
            let moved = horizon > *h;
            *h = (*h).max(horizon);
            moved
        });
        if let Ok(mut t) = self.inner.caught_up.lock() {
            *t = started;
        }
        self.inner.store.feed_forget_own_below(horizon);
    }
}

/// The horizon to load a snapshot at: `xmin` now (PostgreSQL), 0 on SQLite.
pub async fn snapshot_horizon(store: &Store) -> Result<u64, StoreError> {
    if !store.has_feed() {
        return Ok(0);
    }
    Ok(store.feed_horizon().await?.0)
}
