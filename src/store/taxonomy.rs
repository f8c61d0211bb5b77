//! Persistence of run-time taxonomy additions, and the bookkeeping that lets stored
//! profiles pick up a new skill or alias without a restart.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::{assignment_skill, consultant_skill, taxonomy_addition};
use super::feed::FeedKind;
use super::resource::{Record, Resource};
use super::{Store, StoreError};

/// One stored addition, in the order it was made.
#[derive(Debug, Clone)]
pub struct TaxonomyAddition {
    /// `skill` or `alias`.
    pub kind: String,
    /// The skill added, or the skill the alias was added to.
    pub skill_id: String,
    /// JSON payload.
    pub payload: String,
}

impl Store {
    /// Records an addition (after it was applied in memory without error).
    pub async fn add_taxonomy_addition(&self, kind: &str, skill_id: &str, payload: &str) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let added = taxonomy_addition::Entity::insert(taxonomy_addition::ActiveModel {
            kind: Set(kind.to_string()),
            skill_id: Set(skill_id.to_string()),
            payload: Set(payload.to_string()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        self.feed_append(&txn, FeedKind::Taxonomy.as_str(), "add", vec![added.last_insert_id.to_string()]).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every addition, oldest first.
    pub async fn taxonomy_additions(&self) -> Result<Vec<TaxonomyAddition>, StoreError> {
        let rows =
            taxonomy_addition::Entity::find().order_by_asc(taxonomy_addition::Column::Seq).all(self.conn()).await?;
        Ok(rows
            .into_iter()
            .map(|r| TaxonomyAddition { kind: r.kind, skill_id: r.skill_id, payload: r.payload })
            .collect())
    }

    /// The addition stored with `seq` (the id its change-feed row names).
    pub async fn taxonomy_addition(&self, seq: i64) -> Result<Option<TaxonomyAddition>, StoreError> {
        let row = taxonomy_addition::Entity::find_by_id(seq).one(self.conn()).await?;
        Ok(row.map(|r| TaxonomyAddition { kind: r.kind, skill_id: r.skill_id, payload: r.payload }))
    }

    /// Ids of consultants and of assignments that have at least one skill name the
    /// taxonomy did not resolve when they were stored.
    pub async fn records_with_unresolved_skills(&self) -> Result<(Vec<Uuid>, Vec<Uuid>), StoreError> {
        let consultants: Vec<Uuid> = consultant_skill::Entity::find()
            .select_only()
            .column(consultant_skill::Column::ConsultantId)
            .distinct()
            .filter(consultant_skill::Column::SkillId.is_null())
            .into_tuple()
            .all(self.conn())
            .await?;
        let assignments: Vec<Uuid> = assignment_skill::Entity::find()
            .select_only()
            .column(assignment_skill::Column::AssignmentId)
            .distinct()
            .filter(assignment_skill::Column::SkillId.is_null())
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok((consultants, assignments))
    }

    /// Rewrites derived data (resolved skills) of a record without counting it as a
    /// change: version and `updated_at` stay as they are.
    pub async fn refresh<R: Resource>(&self, record: &Record<R::Input>) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let res = R::Entity::update_many()
            .set(R::to_active(&record.meta, &record.data))
            .filter(R::col_id().eq(record.meta.id))
            .filter(R::col_version().eq(record.meta.version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            // Changed or deleted meanwhile; that write resolved with the new taxonomy already.
            return Ok(());
        }
        super::resource::write_children::<R>(&txn, record.meta.id, &record.data, false).await?;
        self.feed_append(&txn, R::NAME, "refresh", vec![record.meta.id.to_string()]).await?;
        txn.commit().await?;
        Ok(())
    }
}
