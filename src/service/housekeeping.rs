//! The privacy housekeeping, a task of every replica: it prunes audit records past
//! `STAFFMATCH_AUDIT_RETENTION_DAYS` and, when `STAFFMATCH_CONSULTANT_RETENTION_DAYS` is
//! set, announces expiries 30 days ahead (`consultant.expiring`, once per consultant and
//! version) and erases consultants not updated for that long, as `POST …/erase` does. Every
//! step is safe with several replicas doing it at once: pruning deletes by age, an erasure of
//! someone already erased finds nobody, and a notice is recorded with its event in one
//! transaction under a unique key.

use std::time::Duration;

use chrono::{TimeDelta, Utc};

use super::AppState;
use super::privacy::PrivacyError;
use crate::store::Subject;
use crate::webhooks::Event;

/// How long ahead of her erasure a consultant's expiry is announced.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Consultants erased or announced per query (the next tick goes on).
const CHUNK: u64 = 200;

/// What the housekeeping does.
#[derive(Debug, Clone, Copy)]
pub struct HousekeepingConfig {
    /// How often it runs (the first run is at start).
    pub every: Duration,
    /// How long audit records are kept.
    pub audit_retention: TimeDelta,
    /// How long a consultant is kept after her last update (`None`: for ever).
    pub consultant_retention: Option<TimeDelta>,
}

/// Starts the housekeeping on the current runtime.
pub fn spawn(state: AppState, cfg: HousekeepingConfig) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(async move {
        loop {
            tick(&state, &cfg).await;
            actix_web::rt::time::sleep(cfg.every).await;
        }
    })
}

/// One round of the housekeeping.
pub async fn tick(state: &AppState, cfg: &HousekeepingConfig) {
    match state.store.prune_ranking_audits(Utc::now() - cfg.audit_retention).await {
        Ok(n) if n > 0 => tracing::info!(pruned = n, "audit records past their retention removed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot prune the audit of rankings"),
    }
    let Some(keep) = cfg.consultant_retention else { return };
    if let Err(e) = expire(state, keep).await {
        tracing::warn!(error = %e, "the consultant retention could not run");
    }
}

async fn expire(state: &AppState, keep: TimeDelta) -> Result<(), PrivacyError> {
    let now = Utc::now();
    let mut erased = 0usize;
    loop {
        let due = state.store.stale_consultants(now - keep, CHUNK, false).await?;
        for s in &due {
            match state.erase_only(&Subject::Id(s.id), "retention").await {
                Ok(_) => erased += 1,
                Err(PrivacyError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        if (due.len() as u64) < CHUNK {
            break;
        }
    }
    if erased > 0 {
        // Once for the round, not once per person.
        state.reclaim().await;
        tracing::info!(erased, "consultants past their retention erased");
    }
    let soon = now - keep + TimeDelta::days(EXPIRY_NOTICE_DAYS);
    loop {
        let next = state.store.stale_consultants(soon, CHUNK, true).await?;
        let hooks = state.hooks.get(&state.store).await?;
        for s in &next {
            let event = Event::Expiring {
                id: s.id,
                source: s.source.clone(),
                updated_at: s.updated_at,
                erase_after: s.updated_at + keep,
            };
            state.store.announce_expiry(s, crate::webhooks::outbox_event(&hooks, &event).as_ref()).await?;
        }
        if (next.len() as u64) < CHUNK {
            break;
        }
    }
    state.store.prune_expiry_notices().await?;
    Ok(())
}
