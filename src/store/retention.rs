//! Retention of consultants: who has not been updated since a time, and the
//! `consultant.expiring` notices, each sent once per consultant and version (the notice row
//! and the outbox event commit together, so replicas racing to send it send it once).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::{consultant, expiry_notice as notice};
use super::webhooks::insert_outbox;
use super::{OutboxEvent, Store, StoreError};
use crate::domain::SourceRef;

/// A consultant not updated since some time.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// Her id.
    pub id: Uuid,
    /// Her ATS reference, if any.
    pub source: Option<SourceRef>,
    /// When she was last updated.
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Up to `limit` consultants last updated before `before`, least recently updated first;
    /// with `unannounced`, only those whose expiry at this version was not announced yet.
    pub async fn stale_consultants(
        &self,
        before: DateTime<Utc>,
        limit: u64,
        unannounced: bool,
    ) -> Result<Vec<Stale>, StoreError> {
        let mut q = consultant::Entity::find();
        if unannounced {
            let announced = Query::select()
                .column(notice::Column::ConsultantId)
                .from(notice::Entity)
                .and_where(
                    Expr::col((notice::Entity, notice::Column::ConsultantId))
                        .equals((consultant::Entity, consultant::Column::Id)),
                )
                .and_where(
                    Expr::col((notice::Entity, notice::Column::UpdatedAt))
                        .equals((consultant::Entity, consultant::Column::UpdatedAt)),
                )
                .to_owned();
            q = q.filter(Expr::exists(announced).not());
        }
        let rows = q
            .select_only()
            .column(consultant::Column::Id)
            .column(consultant::Column::Source)
            .column(consultant::Column::ExternalId)
            .column(consultant::Column::UpdatedAt)
            .filter(consultant::Column::UpdatedAt.lt(before))
            .order_by_asc(consultant::Column::UpdatedAt)
            .order_by_asc(consultant::Column::Id)
            .limit(limit)
            .into_tuple::<(Uuid, Option<String>, Option<String>, DateTime<Utc>)>()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, source, external_id, updated_at)| Stale {
                id,
                source: source.zip(external_id).map(|(source, external_id)| SourceRef { source, external_id }),
                updated_at,
            })
            .collect())
    }

    /// Records that the expiry of `s` (at its current version) was announced and queues
    /// `event` with it, unless it was announced already. Returns whether it was queued now.
    pub async fn announce_expiry(&self, s: &Stale, event: Option<&OutboxEvent>) -> Result<bool, StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let row = notice::ActiveModel {
            consultant_id: Set(s.id),
            updated_at: Set(s.updated_at),
            notified_at: Set(Utc::now()),
        };
        let inserted = notice::Entity::insert(row).on_conflict_do_nothing().exec_without_returning(&txn).await?;
        if !matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
            txn.rollback().await?;
            return Ok(false);
        }
        if let Some(e) = event {
            insert_outbox(&txn, e).await?;
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Forgets notices of consultants who are gone or were updated since (their next
    /// expiry gets a notice of its own); returns how many.
    pub async fn prune_expiry_notices(&self) -> Result<u64, StoreError> {
        let current = Query::select()
            .column(consultant::Column::Id)
            .from(consultant::Entity)
            .and_where(
                Expr::col((consultant::Entity, consultant::Column::Id))
                    .equals((notice::Entity, notice::Column::ConsultantId)),
            )
            .and_where(
                Expr::col((consultant::Entity, consultant::Column::UpdatedAt))
                    .equals((notice::Entity, notice::Column::UpdatedAt)),
            )
            .to_owned();
        let _guard = self.write_guard().await;
        let res = notice::Entity::delete_many().filter(Expr::exists(current).not()).exec(self.conn()).await?;
        Ok(res.rows_affected)
    }
}
