//! Erasing a person (GDPR Art. 17) in one transaction: her rows go through the one delete
//! path (`Store::delete_in`, so the deletion record, the `consultant.deleted` event and
//! anything that follows deletes see it), the deletion record keeps only her id (what a
//! client syncing by polling needs), her id in the audit becomes a random pseudonym, queued
//! and kept webhook events about her are redacted, cached idempotent responses that hold
//! her data are replaced by a 410 problem, and the erasure itself is recorded without
//! personal data. Afterwards the storage is made to let go of the bytes
//! ([`Store::reclaim_erased`]).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::entities::{erasure as row, expiry_notice, idempotency_key, webhook_event};
use super::resource::{Events, Resource};
use super::{Consultants, Store, StoreError};
use crate::domain::{ConsultantInput, SourceRef};

/// The record of an erasure: no personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct Erasure {
    /// Its id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The API key's id, or `retention` for the housekeeping.
    pub key_id: String,
    /// The random id that replaced hers in the audit; nothing maps it back.
    pub pseudonym: Uuid,
    /// `request` or `retention`.
    pub reason: String,
}

/// Whom to erase.
#[derive(Debug, Clone)]
pub enum Subject {
    /// By id.
    Id(Uuid),
    /// By ATS reference.
    Source(SourceRef),
}

/// The body a cached idempotent response that held an erased person's data is replaced with.
const ERASED_RESPONSE: &str = r#"{"type":"https://staffmatch.dev/problems/gone","title":"Gone","status":410,"code":"gone","detail":"the stored response held data of a person who has since been erased"}"#;

impl Store {
    /// Erases consultant `who` (her data as read just before is `data`: its name, e-mail, ids
    /// are searched for in cached responses). Returns her id and the erasure's record.
    pub async fn erase_consultant(
        &self,
        who: &Subject,
        data: &ConsultantInput,
        key_id: &str,
        reason: &str,
        events: Events<'_, ConsultantInput>,
    ) -> Result<(Uuid, Erasure), StoreError> {
        let cond = match who {
            Subject::Id(id) => sea_orm::Condition::all().add(Consultants::col_id().eq(*id)),
            Subject::Source(s) => sea_orm::Condition::all()
                .add(Consultants::col_source().eq(s.source.clone()))
                .add(Consultants::col_external_id().eq(s.external_id.clone())),
        };
        let at = Utc::now();
        let erasure = Erasure {
            id: Uuid::now_v7(),
            at,
            key_id: key_id.chars().take(64).collect(),
            pseudonym: Uuid::new_v4(),
            reason: reason.to_string(),
        };
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let id = self.delete_in::<Consultants>(&txn, cond, None, events, true).await?;
        super::audit::pseudonymise(&txn, id, erasure.pseudonym).await?;
        self.feed_forget(&txn, <Consultants as super::Resource>::NAME, id).await?;
        // Recruiters' decisions about her (their reasons may name her) go with her.
        let decided = super::decisions::erase_decisions_of(&txn, id).await?;
        // Replicas re-read the decisions of those assignments (her bare id is not in the feed).
        let decided = decided.iter().map(Uuid::to_string).collect();
        self.feed_append(&txn, super::FeedKind::Decision.as_str(), "erase", decided).await?;
        redact_events(&txn, id).await?;
        let mut needles = vec![id.to_string(), data.name.clone()];
        needles.extend(data.email.clone());
        needles.extend(data.source.as_ref().map(|s| s.external_id.clone()));
        redact_responses(&txn, &needles).await?;
        expiry_notice::Entity::delete_many().filter(expiry_notice::Column::ConsultantId.eq(id)).exec(&txn).await?;
        let record = row::ActiveModel {
            id: Set(erasure.id),
            at: Set(at),
            key_id: Set(erasure.key_id.clone()),
            pseudonym: Set(erasure.pseudonym),
            reason: Set(erasure.reason.clone()),
        };
        row::Entity::insert(record).exec_without_returning(&txn).await?;
        txn.commit().await?;
        Ok((id, erasure))
    }

    /// Makes the storage let go of erased bytes. SQLite (`secure_delete` is on for every
    /// connection, so freed cells are zeroed): copies the WAL into the database file and
    /// truncates it. PostgreSQL: a plain `VACUUM` of the tables an erasure touches, so dead
    /// rows are pruned now rather than when autovacuum next comes by (see COMPLIANCE.md).
    pub async fn reclaim_erased(&self) -> Result<(), StoreError> {
        match self.conn().get_database_backend() {
            DbBackend::Sqlite => {
                let _guard = self.write_guard().await;
                self.conn().execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
            }
            DbBackend::Postgres => {
                self.conn()
                    .execute_unprepared(
                        "VACUUM consultants, consultant_skills, consultant_languages, webhook_events, \
                         idempotency_keys, ranking_audits, ranking_audit_items, ranking_audit_listed, deletions, expiry_notices, \
                         decisions, change_feed",
                    )
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The outbox events that mention consultant `id` (as created, updated or matched), oldest
    /// first: `(event id, type, created_at, payload)`.
    pub async fn events_about(&self, id: Uuid) -> Result<Vec<(Uuid, String, DateTime<Utc>, String)>, StoreError> {
        use sea_orm::QueryOrder;
        let rows = webhook_event::Entity::find()
            .filter(webhook_event::Column::Payload.contains(id.to_string()))
            .order_by_asc(webhook_event::Column::Id)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r.event_type, r.created_at, r.payload)).collect())
    }

    /// Recorded deletions of consultants the ATS knew as `s` (earlier records of the same
    /// person).
    pub async fn deletions_of(&self, s: &SourceRef) -> Result<Vec<super::Deletion>, StoreError> {
        use super::entities::deletion;
        let rows = deletion::Entity::find()
            .filter(deletion::Column::Kind.eq(<Consultants as Resource>::NAME))
            .filter(deletion::Column::Source.eq(s.source.clone()))
            .filter(deletion::Column::ExternalId.eq(s.external_id.clone()))
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| super::Deletion { id: r.id, source: Some(s.clone()), deleted_at: r.deleted_at })
            .collect())
    }

    /// Erasures made at or after `since`, oldest first (at most `limit`).
    pub async fn erasures(&self, since: Option<DateTime<Utc>>, limit: u64) -> Result<Vec<Erasure>, StoreError> {
        use sea_orm::{QueryOrder, QuerySelect};
        let mut q = row::Entity::find().order_by_asc(row::Column::Id).limit(limit);
        if let Some(t) = since {
            q = q.filter(row::Column::At.gte(t));
        }
        Ok(q.all(self.conn())
            .await?
            .into_iter()
            .map(|r| Erasure { id: r.id, at: r.at, key_id: r.key_id, pseudonym: r.pseudonym, reason: r.reason })
            .collect())
    }
}

/// Every outbox event mentioning `id` (but its deletion) keeps its envelope (id, type, time) and loses its
/// data: pending deliveries send the redacted body, and the kept rows hold nothing of her.
async fn redact_events<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<(), sea_orm::DbErr> {
    let rows =
        webhook_event::Entity::find().filter(webhook_event::Column::Payload.contains(id.to_string())).all(c).await?;
    for r in rows {
        let old: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
        let redacted = json!({
            "id": r.id,
            "type": r.event_type,
            "created_at": old.get("created_at").cloned().unwrap_or(Value::Null),
            "data": {"redacted": true, "reason": "the person this event was about has been erased"},
        });
        webhook_event::Entity::update_many()
            .col_expr(webhook_event::Column::Payload, Expr::value(redacted.to_string()))
            .filter(webhook_event::Column::Id.eq(r.id))
            .exec(c)
            .await?;
    }
    Ok(())
}

/// Cached idempotent responses holding any of `needles` (her id, name, e-mail, ATS id) are
/// replaced by a 410 problem: a retry with the key still does not run the request twice,
/// and replays nothing of her. The table holds a day of responses, so it is read whole.
async fn redact_responses<C: ConnectionTrait>(c: &C, needles: &[String]) -> Result<(), sea_orm::DbErr> {
    let needles: Vec<&[u8]> = needles.iter().filter(|n| !n.is_empty()).map(|n| n.as_bytes()).collect();
    let holds = |hay: &[u8]| needles.iter().any(|n| hay.windows(n.len()).any(|w| w == *n));
    let rows = idempotency_key::Entity::find().filter(idempotency_key::Column::Body.is_not_null()).all(c).await?;
    for r in rows {
        let body = r.body.as_deref().unwrap_or_default();
        let headers = r.headers.as_deref().unwrap_or_default().as_bytes();
        if !holds(body) && !holds(headers) {
            continue;
        }
        let replay = serde_json::to_string(&[("content-type", "application/problem+json")]).unwrap_or_default();
        idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::Status, Expr::value(410i16))
            .col_expr(idempotency_key::Column::Headers, Expr::value(replay))
            .col_expr(idempotency_key::Column::Body, Expr::value(ERASED_RESPONSE.as_bytes().to_vec()))
            .filter(idempotency_key::Column::Owner.eq(r.owner.clone()))
            .filter(idempotency_key::Column::Key.eq(r.key.clone()))
            .exec(c)
            .await?;
    }
    Ok(())
}
