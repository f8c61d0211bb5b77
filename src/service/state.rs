//! The running service's shared state ([`AppState`]): the store, the taxonomy at run time,
//! the match index, keys, limits and the webhook subscriptions, and what a committed write
//! must do to keep them in step. Cheap to clone; built once by `startup`.

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use super::engine::Engine;
use super::skills::Skills;
use crate::auth::Keyring;
use crate::domain::{AssignmentInput, ConsultantInput};
use crate::ratelimit::RateLimiter;
use crate::store::{Record, Store};

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The skill taxonomy, updatable at run time.
    pub skills: Skills,
    /// The in-memory match index and assignment queries.
    pub engine: Engine,
    /// Recognises API keys.
    pub keyring: Arc<Keyring>,
    /// Per-key rate limits.
    pub limiter: Arc<RateLimiter>,
    /// Per-client-address limits on requests without a valid key.
    pub anon_limiter: Arc<RateLimiter>,
    /// How long a client may take to send a request body.
    pub body_timeout: Duration,
    /// Whether webhook URLs may point at loopback/private/link-local addresses.
    pub allow_private_webhooks: bool,
    /// The webhook subscriptions, cached briefly so writes need no query to learn that
    /// nobody listens.
    pub hooks: HookCache,
    /// How long deletions stay listed (`None`: forever).
    pub deletion_retention: Option<chrono::TimeDelta>,
    /// Since when deletions are recorded (the release that added them was installed).
    pub deletions_recorded_since: chrono::DateTime<chrono::Utc>,
    /// Where this replica is in the change feed (read-your-writes, lag).
    pub feed: super::feed::Feed,
    /// Appends the ranking audit's records (grouped commits).
    pub audit_log: super::audit_log::AuditLog,
    /// The latest decision per pair, as the rankings show them.
    pub decided: super::decided::DecisionIndex,
}

/// How long this process trusts its copy of the subscriptions. A subscription made or
/// removed here takes effect at once; one made on another replica when the change feed
/// brings it (within a second), at the latest after this time.
pub const HOOK_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// The subscriptions and when they were read.
type HookCopy = Option<(std::time::Instant, Arc<Vec<crate::store::WebhookRow>>)>;

/// A short-lived copy of the webhook subscriptions.
#[derive(Clone, Default)]
pub struct HookCache {
    inner: Arc<std::sync::Mutex<HookCopy>>,
}

impl HookCache {
    /// Forgets the copy (after a subscription was made or removed).
    pub fn invalidate(&self) {
        if let Ok(mut g) = self.inner.lock() {
            *g = None;
        }
    }

    fn fresh(&self) -> Option<Arc<Vec<crate::store::WebhookRow>>> {
        let g = self.inner.lock().ok()?;
        g.as_ref().filter(|(at, _)| at.elapsed() < HOOK_CACHE_TTL).map(|(_, rows)| rows.clone())
    }

    /// The subscriptions, from the copy while it is fresh.
    pub async fn get(&self, store: &Store) -> Result<Arc<Vec<crate::store::WebhookRow>>, crate::store::StoreError> {
        if let Some(rows) = self.fresh() {
            return Ok(rows);
        }
        let rows = Arc::new(store.list_webhooks().await?);
        if let Ok(mut g) = self.inner.lock() {
            *g = Some((std::time::Instant::now(), rows.clone()));
        }
        Ok(rows)
    }
}

impl AppState {
    /// Queues a webhook event (consultant/assignment changes, `match.found`); a failure is
    /// logged, not returned, because the change it reports is already committed.
    pub async fn emit(&self, event: crate::webhooks::Event) {
        let kind = event.event_type();
        match self.hooks.get(&self.store).await {
            Ok(hooks) if !hooks.iter().any(|w| w.wants(&kind, event.score())) => return,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not read webhook subscriptions; queueing anyway"),
        }
        if let Err(e) = crate::webhooks::emit(&self.store, event).await {
            tracing::error!(error = %e, event_type = %kind, "could not queue a webhook event");
        }
    }
    /// Whether any subscription wants events of `event_type` (errors count as yes, so an
    /// event is never dropped for want of a cache).
    pub async fn listens(&self, event_type: &str) -> bool {
        match self.hooks.get(&self.store).await {
            Ok(hooks) => hooks.iter().any(|w| w.wants(event_type, None)),
            Err(_) => true,
        }
    }

    /// The lowest `min_score` among the subscriptions to `match.found` (0 for one without a
    /// threshold), or `None` when nobody listens, so writes skip the ranking.
    pub async fn match_found_threshold(&self) -> Option<f64> {
        let hooks = match self.hooks.get(&self.store).await {
            Ok(h) => h,
            Err(e) => {
                tracing::error!(error = %e, "could not read webhook subscriptions");
                return None;
            }
        };
        hooks.iter().filter(|w| w.wants("match.found", None)).map(|w| w.min_score.unwrap_or(0.0)).reduce(f64::min)
    }

    /// Derived data for a consultant before it is stored.
    pub fn prepare_consultant(&self, input: &mut ConsultantInput) {
        self.skills.resolve_consultant(input);
    }
    /// Derived data for an assignment before it is stored.
    pub fn prepare_assignment(&self, input: &mut AssignmentInput) {
        self.skills.resolve_assignment(input);
    }
    /// A consultant write was committed.
    pub fn consultant_written(&self, record: &Record<ConsultantInput>) {
        self.engine.consultant_written(&self.skills.read(), record);
    }
    /// A consultant was deleted.
    pub fn consultant_deleted(&self, id: Uuid) {
        self.engine.consultant_deleted(id);
    }
    /// An assignment write was committed.
    pub fn assignment_written(&self, record: &Record<AssignmentInput>) {
        self.engine.assignment_written(&self.skills.read(), record);
    }
    /// Assignment `id` as this replica last wrote or applied it (`None`: not held; the
    /// database is asked).
    pub fn held_assignment(&self, id: Uuid) -> Option<Arc<Record<AssignmentInput>>> {
        self.engine.read().assignments.get(&id).map(|e| e.record.clone())
    }
    /// An assignment was deleted.
    pub fn assignment_deleted(&self, id: Uuid) {
        self.engine.assignment_deleted(id);
    }
}
