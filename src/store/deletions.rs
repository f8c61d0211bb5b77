//! The record of deletions: a row per deleted consultant or assignment, written in the
//! delete's transaction, listed for clients that sync by polling and pruned after the
//! configured retention.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder};
use sea_orm::{ActiveValue::Set, QuerySelect};
use uuid::Uuid;

use super::entities::{deletion as row, watermark};
use super::resource::Resource;
use super::{Store, StoreError};
use crate::domain::SourceRef;

/// The watermark below which deletions may have been pruned.
const PRUNED_BEFORE: &str = "deletions_pruned_before";

/// A deleted record.
#[derive(Debug, Clone, PartialEq)]
pub struct Deletion {
    /// The id it had.
    pub id: Uuid,
    /// The ATS reference it had, if any.
    pub source: Option<SourceRef>,
    /// When it was deleted.
    pub deleted_at: DateTime<Utc>,
}

/// Records, inside the delete's transaction, that the `R` with `id` was deleted at `at`.
pub(super) async fn record<R: Resource>(
    txn: &DatabaseTransaction,
    id: Uuid,
    source: Option<SourceRef>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (source, external_id) = source.map_or((None, None), |s| (Some(s.source), Some(s.external_id)));
    row::ActiveModel {
        kind: Set(R::NAME.to_string()),
        id: Set(id),
        source: Set(source),
        external_id: Set(external_id),
        deleted_at: Set(at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

impl Store {
    /// Deleted `R`s in id order after `after`, deleted at or after `since`, up to `limit`,
    /// and the id to continue after when there are more.
    pub async fn deletions<R: Resource>(
        &self,
        after: Option<Uuid>,
        limit: u64,
        since: Option<DateTime<Utc>>,
    ) -> Result<(Vec<Deletion>, Option<Uuid>), StoreError> {
        let mut q = row::Entity::find().filter(row::Column::Kind.eq(R::NAME)).order_by_asc(row::Column::Id);
        if let Some(a) = after {
            q = q.filter(row::Column::Id.gt(a));
        }
        if let Some(t) = since {
            q = q.filter(row::Column::DeletedAt.gte(t));
        }
        let mut rows = q.limit(limit + 1).all(self.conn()).await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_after = if more { rows.last().map(|r| r.id) } else { None };
        let items = rows
            .into_iter()
            .map(|r| Deletion {
                id: r.id,
                source: r.source.zip(r.external_id).map(|(source, external_id)| SourceRef { source, external_id }),
                deleted_at: r.deleted_at,
            })
            .collect();
        Ok((items, next_after))
    }

    /// Since when deletions are recorded: when the migration that created their table was
    /// applied (to the second, rounded down). Deletions before it were never recorded.
    pub async fn deletions_recorded_since(&self) -> Result<DateTime<Utc>, StoreError> {
        use migration::seaql_migrations as applied;
        let row = applied::Entity::find_by_id(migration::DELETIONS_MIGRATION.to_string()).one(self.conn()).await?;
        // Migrations run before anything is served, so the row is there; now is the safe side.
        Ok(row.and_then(|r| DateTime::from_timestamp(r.applied_at, 0)).unwrap_or_else(Utc::now))
    }

    /// Forgets deletions made before `before`; returns how many. Before any is forgotten,
    /// the [`PRUNED_BEFORE`] watermark is raised to `before` (never lowered), so that no later
    /// setting — a longer retention — can make the list look complete for a time it no longer
    /// covers. Each step commits alone, in that order: stopped between them, the mark is
    /// early, never late (a transaction would hold the rows locked if the service stopped
    /// mid-way without closing its connections).
    pub async fn prune_deletions(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let _guard = self.write_guard().await;
        let old = row::Column::DeletedAt.lt(before);
        if row::Entity::find().filter(old.clone()).one(self.conn()).await?.is_none() {
            return Ok(0);
        }
        // Portable and safe with several replicas pruning at once: create the mark if it is
        // missing, then move it forward only.
        let mark = watermark::ActiveModel { name: Set(PRUNED_BEFORE.to_string()), at: Set(before) };
        watermark::Entity::insert(mark).on_conflict_do_nothing().exec(self.conn()).await?;
        watermark::Entity::update_many()
            .col_expr(watermark::Column::At, Expr::value(before))
            .filter(watermark::Column::Name.eq(PRUNED_BEFORE))
            .filter(watermark::Column::At.lt(before))
            .exec(self.conn())
            .await?;
        let res = row::Entity::delete_many().filter(old).exec(self.conn()).await?;
        Ok(res.rows_affected)
    }

    /// The time before which deletions may have been pruned ([`Store::prune_deletions`]);
    /// `None` while none ever were.
    pub async fn deletions_pruned_before(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(watermark::Entity::find_by_id(PRUNED_BEFORE.to_string()).one(self.conn()).await?.map(|m| m.at))
    }
}
