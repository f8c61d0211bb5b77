//! The delivery worker: a tokio task that sends due deliveries from the outbox, and also
//! prunes expired idempotency keys and deletions past their retention. Several workers (replicas) may run: each delivery is
//! claimed with a conditional update before it is sent.

use std::time::{Duration, Instant};

use chrono::Utc;
use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{signature, url};
use crate::store::{AttemptLog, AttemptOutcome, DueDelivery, Store};

/// How the worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The first retry delay; doubled per attempt, capped at [`MAX_DELAY`], with jitter.
    pub retry_base: Duration,
    /// How long after the event a delivery is still retried.
    pub retry_window: Duration,
    /// How often the outbox is polled.
    pub poll: Duration,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Whether private URLs are allowed (checked again before each attempt).
    pub allow_private: bool,
    /// How long deletions stay listed (`None`: forever).
    pub deletion_retention: Option<chrono::TimeDelta>,
}

/// The largest retry delay.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);
const PRUNE_EVERY: Duration = Duration::from_secs(600);
const BATCH: u64 = 32;

/// The delay before retry number `attempt` (1-based): `base * 2^(attempt-1)` capped at
/// [`MAX_DELAY`], then "equal jitter" (half fixed, half random).
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(30)));
    let d = exp.min(MAX_DELAY);
    let half = d / 2;
    half + half.mul_f64(rand::rng().random::<f64>())
}

/// A running worker.
pub struct Worker {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Worker {
    /// Starts the worker on the current tokio runtime.
    pub fn spawn(store: Store, cfg: WorkerConfig) -> Worker {
        let (stop, rx) = watch::channel(false);
        let handle = tokio::spawn(run(store, cfg, rx));
        Worker { stop, handle }
    }

    /// Stops after the attempts in flight and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(Duration::from_secs(30), self.handle).await.is_err() {
            tracing::warn!("the webhook worker did not stop in time");
        }
    }
}

async fn run(store: Store, cfg: WorkerConfig, mut stop: watch::Receiver<bool>) {
    let client = match reqwest::Client::builder()
        .timeout(cfg.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("staffmatch-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the webhook HTTP client; webhooks will not be delivered");
            return;
        }
    };
    let mut last_prune: Option<Instant> = None;
    tracing::info!("webhook worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let mut busy = false;
        match store.due_deliveries(BATCH).await {
            Ok(due) => {
                busy = due.len() as u64 == BATCH;
                futures_util::future::join_all(due.into_iter().map(|d| deliver(&store, &client, &cfg, d))).await;
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the webhook outbox"),
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            last_prune = Some(Instant::now());
            match store.prune_idempotency().await {
                Ok(n) if n > 0 => tracing::info!(pruned = n, "expired idempotency keys removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot prune idempotency keys"),
            }
            if let Some(keep) = cfg.deletion_retention {
                match store.prune_deletions(Utc::now() - keep).await {
                    Ok(n) if n > 0 => tracing::info!(pruned = n, "deletions past their retention forgotten"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot prune deletions"),
                }
            }
        }
        if busy {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(cfg.poll) => {}
            _ = stop.changed() => {}
        }
    }
    tracing::info!("webhook worker stopped");
}

async fn deliver(store: &Store, client: &reqwest::Client, cfg: &WorkerConfig, d: DueDelivery) {
    let lease = Utc::now() + cfg.timeout + Duration::from_secs(60);
    match store.claim_delivery(&d, lease).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(error = %e, delivery = %d.id, "cannot claim a webhook delivery");
            return;
        }
    }
    let started = Instant::now();
    let at = Utc::now();
    let result = match url::check(&d.url, cfg.allow_private).await {
        Err(why) => Err(format!("refused: the URL {why}")),
        Ok(()) => {
            let t = at.timestamp();
            client
                .post(&d.url)
                .header("content-type", "application/json")
                .header("staffmatch-event-id", d.event_id.to_string())
                .header("staffmatch-event-type", &d.event_type)
                .header("staffmatch-delivery-id", d.id.to_string())
                .header("staffmatch-signature", signature(&d.secret, t, &d.payload))
                .body(d.payload.clone())
                .send()
                .await
                .map_err(|e| format!("request failed: {e}"))
                .and_then(|res| {
                    let s = res.status().as_u16();
                    if res.status().is_success() { Ok(s) } else { Err(format!("receiver answered {s}")) }
                })
        }
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    let attempt_no = u32::try_from(d.attempt_count).unwrap_or(0) + 1;
    let (status_code, error) = match &result {
        Ok(s) => (Some(*s), None),
        Err(e) => (e.strip_prefix("receiver answered ").and_then(|s| s.parse().ok()), Some(e.clone())),
    };
    let outcome = match result {
        Ok(_) => AttemptOutcome::Succeeded,
        Err(_) => {
            let age = (Utc::now() - d.created_at).to_std().unwrap_or_default();
            if age >= cfg.retry_window {
                AttemptOutcome::GaveUp
            } else {
                AttemptOutcome::RetryAt(Utc::now() + backoff(cfg.retry_base, attempt_no))
            }
        }
    };
    tracing::info!(
        delivery = %d.id, event = %d.event_id, event_type = %d.event_type, attempt = attempt_no,
        status = ?status_code, error = ?error, outcome = ?outcome, "webhook attempt"
    );
    let log = AttemptLog { at, status_code, error, duration_ms };
    if let Err(e) = store.record_attempt(d.id, log, outcome).await {
        tracing::warn!(error = %e, delivery = %d.id, "cannot record a webhook attempt");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_secs(10);
        for attempt in 1..=40 {
            let d = backoff(base, attempt);
            let full = base.saturating_mul(2u32.saturating_pow(attempt - 1)).min(MAX_DELAY);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
    }
}
