//! Recruiters' decisions: written with their `decision.created` webhook event in one
//! transaction, listed per assignment and per consultant in creation order, the latest per
//! pair for the rankings, and read and erased per consultant for the privacy requests.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sea_orm::{DbErr, TransactionTrait};
use uuid::Uuid;

use super::entities::decision as row;
use super::webhooks::insert_outbox;
use super::{FeedKind, OutboxEvent, Store, StoreError};
use crate::domain::DecisionKind;

/// A decision as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Its id (UUID v7: creation order).
    pub id: Uuid,
    /// The assignment.
    pub assignment_id: Uuid,
    /// The consultant.
    pub consultant_id: Uuid,
    /// What was decided.
    pub decision: DecisionKind,
    /// Why.
    pub reason: Option<String>,
    /// The ranking it cites.
    pub audit_id: Option<String>,
    /// Whether the engine found the consultant eligible when it was made.
    pub eligible: bool,
    /// Where the engine ranked the consultant then (`None`: not listed).
    pub engine_rank: Option<u32>,
    /// Whether it overrode the engine (a reason was required).
    pub overrides: bool,
    /// The id of the API key that made it.
    pub created_by: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

fn from_row(m: row::Model) -> Result<Decision, StoreError> {
    let decision = DecisionKind::parse(&m.decision)
        .map_err(|e| StoreError::Corrupt { id: m.id, reason: format!("decision: {e}") })?;
    Ok(Decision {
        id: m.id,
        assignment_id: m.assignment_id,
        consultant_id: m.consultant_id,
        decision,
        reason: m.reason,
        audit_id: m.audit_id,
        eligible: m.eligible,
        engine_rank: m.engine_rank.and_then(|r| u32::try_from(r).ok()),
        overrides: m.overrides,
        created_by: m.created_by,
        created_at: m.created_at,
    })
}

fn to_row(d: &Decision) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(d.id),
        assignment_id: Set(d.assignment_id),
        consultant_id: Set(d.consultant_id),
        decision: Set(d.decision.as_str().to_string()),
        reason: Set(d.reason.clone()),
        audit_id: Set(d.audit_id.clone()),
        eligible: Set(d.eligible),
        engine_rank: Set(d.engine_rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX))),
        overrides: Set(d.overrides),
        created_by: Set(d.created_by.clone()),
        created_at: Set(d.created_at),
    }
}

/// Deletes every decision about consultant `id` on `c` (a transaction of the caller's, e.g. an
/// erasure's); returns how many.
/// Deletes every decision about consultant `id`; the assignments they were about.
pub(crate) async fn erase_decisions_of<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let assignments: Vec<Uuid> = row::Entity::find()
        .select_only()
        .column(row::Column::AssignmentId)
        .distinct()
        .filter(row::Column::ConsultantId.eq(id))
        .into_tuple()
        .all(c)
        .await?;
    row::Entity::delete_many().filter(row::Column::ConsultantId.eq(id)).exec(c).await?;
    Ok(assignments)
}

impl Store {
    /// Stores `d` and, when some subscription wants it, its `decision.created` event, in one
    /// transaction.
    pub async fn insert_decision(&self, d: &Decision, event: Option<&OutboxEvent>) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.conn().begin().await?;
        row::Entity::insert(to_row(d)).exec_without_returning(&txn).await?;
        self.feed_append(&txn, FeedKind::Decision.as_str(), "write", vec![d.assignment_id.to_string()]).await?;
        if let Some(e) = event {
            insert_outbox(&txn, e).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Decisions about assignment `id` in creation order after `after`, up to `limit`, and the
    /// id to continue after when there are more.
    pub async fn decisions_for_assignment(
        &self,
        id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<(Vec<Decision>, Option<Uuid>), StoreError> {
        self.decision_page(row::Column::AssignmentId, id, after, limit).await
    }

    /// Decisions about consultant `id` in creation order after `after`, up to `limit`, and the
    /// id to continue after when there are more (for the consultant's list and her export).
    pub async fn decisions_for_consultant(
        &self,
        id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<(Vec<Decision>, Option<Uuid>), StoreError> {
        self.decision_page(row::Column::ConsultantId, id, after, limit).await
    }

    /// Every decision about consultant `id`, in creation order (her data export).
    pub async fn all_decisions_for_consultant(&self, id: Uuid) -> Result<Vec<Decision>, StoreError> {
        let rows = row::Entity::find()
            .filter(row::Column::ConsultantId.eq(id))
            .order_by_asc(row::Column::Id)
            .all(self.conn())
            .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// Every decision, oldest first (collected into a map, the latest per pair stays): what
    /// the rankings show, loaded at start.
    pub async fn all_decisions(&self) -> Result<Vec<Decision>, StoreError> {
        let rows = row::Entity::find().order_by_asc(row::Column::Id).all(self.conn()).await?;
        rows.into_iter().map(from_row).collect()
    }

    /// The latest decision about each consultant for assignment `id` (what its ranking shows).
    pub async fn latest_decisions_for_assignment(&self, id: Uuid) -> Result<HashMap<Uuid, Decision>, StoreError> {
        let rows = self.decisions_where(row::Column::AssignmentId, id).await?;
        Ok(rows.into_iter().map(|d| (d.consultant_id, d)).collect())
    }

    /// Every decision with `col = id`, oldest first (so collecting into a map keeps the latest).
    async fn decisions_where(&self, col: row::Column, id: Uuid) -> Result<Vec<Decision>, StoreError> {
        let rows = row::Entity::find().filter(col.eq(id)).order_by_asc(row::Column::Id).all(self.conn()).await?;
        rows.into_iter().map(from_row).collect()
    }

    async fn decision_page(
        &self,
        col: row::Column,
        id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<(Vec<Decision>, Option<Uuid>), StoreError> {
        let mut q = row::Entity::find().filter(col.eq(id)).order_by_asc(row::Column::Id);
        if let Some(a) = after {
            q = q.filter(row::Column::Id.gt(a));
        }
        let mut rows = q.limit(limit + 1).all(self.conn()).await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_after = if more { rows.last().map(|r| r.id) } else { None };
        Ok((rows.into_iter().map(from_row).collect::<Result<_, _>>()?, next_after))
    }
}
