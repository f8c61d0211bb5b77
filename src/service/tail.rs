//! The change feed's reader: keeps this replica's match index, taxonomy, key cache and
//! webhook cache in step with writes made by other replicas (PostgreSQL), and moves the
//! replica's [`Feed`](super::feed::Feed) position.
//!
//! Order at start (`startup`): LISTEN first, then read the horizon, then load the snapshot
//! (taxonomy, index), then tail from the horizon: a change committed during the load is in
//! the load, in the tail, or both (applying re-reads the current row, so twice is harmless).
//!
//! The tail wakes on a NOTIFY or after `STAFFMATCH_FEED_POLL_MS` (≤ 1 s) and reads everything
//! below a fresh horizon; after a reconnect it simply catches up from its cursor. A cursor
//! below the highest pruned row means rows were missed: everything is reloaded.
//!
//! Only state is applied here: events (`match.found`, outbox rows) are raised by the writer
//! alone, in or right after its transaction, so N replicas raise each one once.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::AppState;
use super::engine::Engine;
use super::skills::Skills;
use crate::store::{Assignments, Consultants, Cursor, FeedKind, FeedListener, FeedRow, Store, StoreError, Wake};

/// Rows read per query.
const PAGE: u64 = 2_000;

/// Tails the feed until the task is aborted: wakes on NOTIFY or every `poll`, applies what
/// other replicas wrote, prunes old rows now and then (one replica at a time).
pub async fn tail(state: AppState, mut listener: FeedListener, horizon: u64) {
    let config = state.feed.config();
    let mut cursor: Cursor = (horizon, 0);
    let mut last_prune = Instant::now();
    let mut failing = false;
    loop {
        match listener.wait(config.poll).await {
            Wake::Notified | Wake::Timeout => {}
            Wake::Reconnected => tracing::info!("change feed listener reconnected; catching up"),
            Wake::Failed(e) => {
                if !failing {
                    tracing::warn!(error = %e, "change feed listener failed; polling until it reconnects");
                }
                tokio::time::sleep(config.poll).await;
            }
        }
        match catch_up(&state, &mut cursor).await {
            Ok(()) if failing => {
                failing = false;
                tracing::info!("change feed readable again; caught up");
            }
            Ok(()) => {}
            Err(e) => {
                if !failing {
                    tracing::warn!(error = %e, "cannot read the change feed; retrying");
                }
                failing = true;
            }
        }
        if last_prune.elapsed() >= Duration::from_secs(60) {
            last_prune = Instant::now();
            prune(&state.store, config.retention).await;
        }
    }
}

async fn prune(store: &Store, retention: Duration) {
    let cutoff = chrono::Utc::now() - chrono::TimeDelta::from_std(retention).unwrap_or(chrono::TimeDelta::MAX);
    match store.feed_prune(cutoff).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "change feed pruned"),
        Err(e) => tracing::warn!(error = %e, "could not prune the change feed"),
    }
}

/// Reads and applies every change below a fresh horizon, after `cursor`.
pub async fn catch_up(state: &AppState, cursor: &mut Cursor) -> anyhow::Result<()> {
    let started = Instant::now();
    let (horizon, pruned) = state.store.feed_horizon().await?;
    if pruned.is_some_and(|p| p > *cursor) {
        tracing::warn!("this replica fell behind the change feed's retention; reloading everything");
        reload(state).await?;
        let after = state.store.feed_horizon().await?.0;
        state.feed.reloaded(after);
        // Everything below `horizon` is in the reload; what came since is read next.
        *cursor = (horizon, 0);
        return Ok(());
    }
    loop {
        let rows = state.store.feed_read(*cursor, horizon, PAGE).await?;
        let Some(last) = rows.last().map(FeedRow::cursor) else { break };
        let full = rows.len() as u64 == PAGE;
        apply(state, rows).await?;
        *cursor = last;
        if !full {
            break;
        }
    }
    state.feed.reached_horizon(horizon, started);
    Ok(())
}

/// Applies rows of other replicas: taxonomy additions first (records name their skills),
/// then the records (re-read: present means written, absent means deleted), then caches.
async fn apply(state: &AppState, rows: Vec<FeedRow>) -> Result<(), StoreError> {
    let store = &state.store;
    let theirs: Vec<FeedRow> = rows.into_iter().filter(|r| state.feed.applies(r.xid)).collect();
    if theirs.is_empty() {
        return Ok(());
    }
    state.feed.count_applied(theirs.len() as u64);
    let ids = |kind: FeedKind| -> Vec<Uuid> {
        let set: HashSet<Uuid> =
            theirs.iter().filter(|r| r.kind == Some(kind)).filter_map(|r| r.entity_id.parse().ok()).collect();
        set.into_iter().collect()
    };
    for r in theirs.iter().filter(|r| r.kind == Some(FeedKind::Taxonomy)) {
        if let Ok(seq) = r.entity_id.parse::<i64>()
            && let Some(a) = store.taxonomy_addition(seq).await?
        {
            state.skills.apply_stored(&a);
        }
    }
    let consultants = ids(FeedKind::Consultant);
    if !consultants.is_empty() {
        let found = store.records_by_ids::<Consultants>(&consultants).await?;
        let present: HashSet<Uuid> = found.iter().map(|r| r.meta.id).collect();
        found.iter().for_each(|r| state.consultant_written(r));
        consultants.iter().filter(|id| !present.contains(id)).for_each(|id| state.consultant_deleted(*id));
    }
    let assignments = ids(FeedKind::Assignment);
    if !assignments.is_empty() {
        let found = store.records_by_ids::<Assignments>(&assignments).await?;
        let present: HashSet<Uuid> = found.iter().map(|r| r.meta.id).collect();
        found.iter().for_each(|r| state.assignment_written(r));
        assignments.iter().filter(|id| !present.contains(id)).for_each(|id| state.assignment_deleted(*id));
    }
    for id in ids(FeedKind::Decision) {
        state.decided.replace_assignment(id, store.latest_decisions_for_assignment(id).await?);
    }
    if theirs.iter().any(|r| r.kind == Some(FeedKind::ApiKey)) {
        state.keyring.forget_cached();
    }
    if theirs.iter().any(|r| r.kind == Some(FeedKind::Webhook)) {
        state.hooks.invalidate();
    }
    Ok(())
}

/// Reloads the taxonomy and the index from the database and forgets the caches.
async fn reload(state: &AppState) -> anyhow::Result<()> {
    let skills = Skills::load(&state.store).await?;
    let taxonomy = skills.read().clone();
    let engine = Engine::load(&state.store, &taxonomy).await?;
    let decisions = state.store.all_decisions().await?;
    state.skills.replace_with(skills);
    state.decided.replace_all(decisions);
    state.engine.replace_with(engine);
    state.keyring.forget_cached();
    state.hooks.invalidate();
    Ok(())
}
