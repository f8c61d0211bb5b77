//! The audit of rankings: one record per call that scored people, appended in the caller's
//! path before its answer, read back by assignment, by consultant (every record that listed
//! or scored her) and by time, and pruned after the retention. A record's items are child
//! rows (`ranking_audit_items`) written with one multi-row insert, so "every ranking that
//! listed her" is an indexed look-up on SQLite and PostgreSQL alike.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use super::entities::{ranking_audit as row, ranking_audit_item as item, ranking_audit_listed as listed};
use super::{Store, StoreError};

/// One call that scored people.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RankingAudit {
    /// UUID v7 (time-ordered); returned to the caller as `Staffmatch-Audit-Id`.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The API key's id (`env-admin` for the configured admin key, `system` for work the
    /// service does on its own).
    pub key_id: String,
    /// The request id (`X-Request-Id`), if the call was a request.
    pub request_id: Option<String>,
    /// What was called, e.g. `GET /assignments/{id}/matches` or `match.found`.
    pub endpoint: String,
    /// The assignment ranked for or scored.
    pub assignment_id: Option<Uuid>,
    /// The consultant a reverse ranking or pair score was made for.
    pub consultant_id: Option<Uuid>,
    /// Hex SHA-256 of an ad-hoc query.
    pub query_digest: Option<String>,
    /// The parameters (`limit`, `offset`, `min_score`, `max_missing`, `include_ineligible`,
    /// `w_*`) as a JSON object.
    pub params: Value,
    /// The scoring rules' version.
    pub score_version: u32,
    /// The weights used, as a JSON object (per assignment in a consultant's ranking).
    pub weights: Value,
    /// How many were eligible.
    pub total_eligible: u64,
    /// What was returned, in order.
    pub items: Vec<AuditItem>,
}

/// One item a ranking returned.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AuditItem {
    /// The consultant listed (the assignment, in a consultant's ranking).
    pub id: Uuid,
    /// Its rank (`None`: not ranked, e.g. an ineligible pair).
    pub rank: Option<u32>,
    /// Its score, 0–100.
    pub score: f64,
    /// Whether it passed the gates.
    pub eligible: bool,
}

/// Which records to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Records of rankings for this assignment or that listed it.
    pub assignment_id: Option<Uuid>,
    /// Records that listed or scored this consultant, or ranked assignments for her.
    pub consultant_id: Option<Uuid>,
    /// Made at or after this time.
    pub since: Option<DateTime<Utc>>,
}

/// Records not listed yet, with `false` written out: a bound parameter would keep SQLite from
/// using the partial index `ix_ranking_audits_unlisted` (`WHERE listed = false`).
fn unlisted() -> sea_orm::sea_query::Expr {
    sea_orm::sea_query::Expr::cust(r#""ranking_audits"."listed" = false"#)
}

/// The ids of the records whose items list `id`: from the look-up for records listed there,
/// from the items themselves for the few not listed yet.
fn listing(id: Uuid) -> [sea_orm::sea_query::SelectStatement; 2] {
    use sea_orm::ExprTrait;
    use sea_orm::sea_query::Expr;
    let listed = Query::select()
        .column(listed::Column::AuditId)
        .from(listed::Entity)
        .and_where(listed::Column::ItemId.eq(id))
        .to_owned();
    let fresh = Query::select()
        .column((item::Entity, item::Column::AuditId))
        .from(row::Entity)
        .inner_join(
            item::Entity,
            Expr::col((item::Entity, item::Column::AuditId)).equals((row::Entity, row::Column::Id)),
        )
        .and_where(unlisted())
        .and_where(Expr::col((item::Entity, item::Column::ItemId)).eq(id))
        .to_owned();
    [listed, fresh]
}

/// Records whose subject column is `id` or whose items list `id`.
fn about(subject: row::Column, id: Uuid) -> Condition {
    let [listed, fresh] = listing(id);
    Condition::any()
        .add(subject.eq(id))
        .add(row::Column::Id.in_subquery(listed))
        .add(row::Column::Id.in_subquery(fresh))
}

impl Store {
    /// Appends `records` durably in one transaction (one commit, one sync to disk for all):
    /// the audit's writer groups the records of concurrent calls this way.
    pub async fn append_ranking_audits(&self, records: &[RankingAudit]) -> Result<(), StoreError> {
        let heads: Vec<row::ActiveModel> = records
            .iter()
            .map(|a| row::ActiveModel {
                id: Set(a.id),
                at: Set(a.at),
                key_id: Set(a.key_id.chars().take(64).collect()),
                request_id: Set(a.request_id.clone()),
                endpoint: Set(a.endpoint.clone()),
                assignment_id: Set(a.assignment_id),
                consultant_id: Set(a.consultant_id),
                query_digest: Set(a.query_digest.clone()),
                params: Set(a.params.to_string()),
                score_version: Set(a.score_version as i32),
                weights: Set(a.weights.to_string()),
                total_eligible: Set(a.total_eligible as i64),
                listed: Set(false),
            })
            .collect();
        let items: Vec<item::ActiveModel> = records
            .iter()
            .flat_map(|a| {
                a.items.iter().enumerate().map(|(i, it)| item::ActiveModel {
                    audit_id: Set(a.id),
                    position: Set(i as i32),
                    item_id: Set(it.id),
                    rank: Set(it.rank.map(|r| r as i32)),
                    score: Set(it.score),
                    eligible: Set(it.eligible),
                })
            })
            .collect();
        if heads.is_empty() {
            return Ok(());
        }
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        super::bulk::insert::<row::Entity>(&txn, heads).await?;
        if !items.is_empty() {
            super::bulk::insert::<item::Entity>(&txn, items).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Appends those of `records` that are not stored yet (records read back from the
    /// journal after a crash may have reached the database before it): how many it appended.
    pub async fn append_missing_ranking_audits(&self, records: &[RankingAudit]) -> Result<usize, StoreError> {
        let mut appended = 0;
        for chunk in records.chunks(500) {
            let ids: Vec<Uuid> = chunk.iter().map(|r| r.id).collect();
            let stored: std::collections::HashSet<Uuid> = row::Entity::find()
                .select_only()
                .column(row::Column::Id)
                .filter(row::Column::Id.is_in(ids))
                .into_tuple()
                .all(self.conn())
                .await?
                .into_iter()
                .collect();
            let missing: Vec<RankingAudit> = chunk.iter().filter(|r| !stored.contains(&r.id)).cloned().collect();
            self.append_ranking_audits(&missing).await?;
            appended += missing.len();
        }
        Ok(appended)
    }

    /// Records passing `filter` in id (time) order after `after`, up to `limit`, and the id to
    /// continue after when there are more.
    pub async fn ranking_audits(
        &self,
        filter: &AuditFilter,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<(Vec<RankingAudit>, Option<Uuid>), StoreError> {
        let mut q = row::Entity::find().order_by_asc(row::Column::Id).limit(limit + 1);
        if let Some(a) = after {
            q = q.filter(row::Column::Id.gt(a));
        }
        if let Some(t) = filter.since {
            q = q.filter(row::Column::At.gte(t));
        }
        if let Some(id) = filter.assignment_id {
            q = q.filter(about(row::Column::AssignmentId, id));
        }
        if let Some(id) = filter.consultant_id {
            q = q.filter(about(row::Column::ConsultantId, id));
        }
        let mut rows = q.all(self.conn()).await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_after = if more { rows.last().map(|r| r.id) } else { None };
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut items = item::Entity::find()
            .filter(item::Column::AuditId.is_in(ids))
            .order_by_asc(item::Column::AuditId)
            .order_by_asc(item::Column::Position)
            .all(self.conn())
            .await?
            .into_iter()
            .peekable();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut mine = Vec::new();
            while let Some(it) = items.next_if(|it| it.audit_id == r.id) {
                mine.push(AuditItem {
                    id: it.item_id,
                    rank: it.rank.map(|x| x.max(0) as u32),
                    score: it.score,
                    eligible: it.eligible,
                });
            }
            out.push(from_row(r, mine)?);
        }
        Ok((out, next_after))
    }

    /// Lists the items of up to `max` records not listed yet in the look-up, oldest first, in
    /// one transaction; returns how many records it listed (0: none were waiting). Idempotent,
    /// so replicas listing at once do no harm.
    pub async fn list_ranking_audits(&self, max: u64) -> Result<usize, StoreError> {
        use sea_orm::sea_query::{Expr, OnConflict};
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let ids: Vec<Uuid> = row::Entity::find()
            .select_only()
            .column(row::Column::Id)
            .filter(unlisted())
            .order_by_asc(row::Column::Id)
            .limit(max)
            .into_tuple()
            .all(&txn)
            .await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let mut pairs: Vec<(Uuid, Uuid)> = item::Entity::find()
            .select_only()
            .column(item::Column::ItemId)
            .column(item::Column::AuditId)
            .filter(item::Column::AuditId.is_in(ids.clone()))
            .into_tuple()
            .all(&txn)
            .await?;
        // In index order: each page of the look-up is dirtied once per batch, not once per item.
        pairs.sort_unstable();
        pairs.dedup();
        for chunk in pairs.chunks(4000) {
            let rows = chunk
                .iter()
                .map(|(item_id, audit_id)| listed::ActiveModel { item_id: Set(*item_id), audit_id: Set(*audit_id) });
            listed::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([listed::Column::ItemId, listed::Column::AuditId]).do_nothing().to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        for chunk in ids.chunks(4000) {
            row::Entity::update_many()
                .col_expr(row::Column::Listed, Expr::value(true))
                .filter(row::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(ids.len())
    }

    /// Forgets records made before `before`; returns how many. Idempotent, so replicas
    /// pruning at once do no harm.
    pub async fn prune_ranking_audits(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let old =
            Query::select().column(row::Column::Id).from(row::Entity).and_where(row::Column::At.lt(before)).to_owned();
        let _guard = self.write_guard().await;
        listed::Entity::delete_many()
            .filter(listed::Column::AuditId.in_subquery(old.clone()))
            .exec(self.conn())
            .await?;
        item::Entity::delete_many().filter(item::Column::AuditId.in_subquery(old)).exec(self.conn()).await?;
        let res = row::Entity::delete_many().filter(row::Column::At.lt(before)).exec(self.conn()).await?;
        Ok(res.rows_affected)
    }
}

/// Replaces consultant `id` by `pseudonym` in every audit record, inside the erasure's
/// transaction; the records stay countable, nothing maps back.
pub(super) async fn pseudonymise<C: sea_orm::ConnectionTrait>(c: &C, id: Uuid, pseudonym: Uuid) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    // Her items, found through the look-up (the items have no index by item), then the look-up.
    let [in_listed, fresh] = listing(id);
    item::Entity::update_many()
        .col_expr(item::Column::ItemId, Expr::value(pseudonym))
        .filter(item::Column::ItemId.eq(id))
        .filter(
            Condition::any()
                .add(item::Column::AuditId.in_subquery(in_listed))
                .add(item::Column::AuditId.in_subquery(fresh)),
        )
        .exec(c)
        .await?;
    listed::Entity::update_many()
        .col_expr(listed::Column::ItemId, Expr::value(pseudonym))
        .filter(listed::Column::ItemId.eq(id))
        .exec(c)
        .await?;
    row::Entity::update_many()
        .col_expr(row::Column::ConsultantId, Expr::value(pseudonym))
        .filter(row::Column::ConsultantId.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

fn from_row(r: row::Model, items: Vec<AuditItem>) -> Result<RankingAudit, StoreError> {
    let json = |s: &str| {
        serde_json::from_str(s).map_err(|e| StoreError::Corrupt { id: r.id, reason: format!("audit record: {e}") })
    };
    Ok(RankingAudit {
        id: r.id,
        at: r.at,
        params: json(&r.params)?,
        weights: json(&r.weights)?,
        key_id: r.key_id,
        request_id: r.request_id,
        endpoint: r.endpoint,
        assignment_id: r.assignment_id,
        consultant_id: r.consultant_id,
        query_digest: r.query_digest,
        score_version: r.score_version.max(0) as u32,
        total_eligible: r.total_eligible.max(0) as u64,
        items,
    })
}
