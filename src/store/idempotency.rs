//! Idempotency keys: the row is inserted before the request runs, in a statement of its
//! own, so of two concurrent requests with one key exactly one gets to run; it is then
//! completed with the response to replay.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, SqlErr};

use super::entities::idempotency_key as row;
use super::{Store, StoreError};

/// How long a key is remembered.
pub const IDEMPOTENCY_TTL_HOURS: i64 = 24;

/// A stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// Hex SHA-256 of the request the key was first used with.
    pub request_hash: String,
    /// The response, once the first request has finished.
    pub response: Option<StoredResponse>,
    /// When the key was first used.
    pub created_at: DateTime<Utc>,
}

/// A response kept for replaying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers worth replaying.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What `idempotency_begin` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// The key is new: this request runs and must complete or abandon it.
    Started,
    /// The key was used before (maybe still running).
    Existing(IdempotencyRecord),
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

fn expired(created_at: DateTime<Utc>) -> bool {
    created_at < Utc::now() - Duration::hours(IDEMPOTENCY_TTL_HOURS)
}

impl Store {
    /// Claims `key` for `owner`, or returns what is stored under it.
    pub async fn idempotency_begin(
        &self,
        owner: &str,
        key: &str,
        request_hash: &str,
    ) -> Result<IdempotencyBegin, StoreError> {
        for _ in 0..2 {
            let active = row::ActiveModel {
                owner: Set(owner.to_string()),
                key: Set(key.to_string()),
                request_hash: Set(request_hash.to_string()),
                state: Set("in_progress".to_string()),
                status: Set(None),
                headers: Set(None),
                body: Set(None),
                created_at: Set(Utc::now().trunc_subsecs(6)),
            };
            let inserted = {
                let _guard = self.write_guard().await;
                row::Entity::insert(active).exec_without_returning(self.conn()).await
            };
            match inserted {
                Ok(_) => return Ok(IdempotencyBegin::Started),
                Err(e) if is_unique_violation(&e) => {}
                Err(e) => return Err(e.into()),
            }
            match self.idempotency_get(owner, key).await? {
                Some(rec) if expired(rec.created_at) => self.idempotency_abandon(owner, key).await?,
                Some(rec) => return Ok(IdempotencyBegin::Existing(rec)),
                None => {} // abandoned in between: try again
            }
        }
        Err(StoreError::Duplicate { existing: None })
    }

    /// The record stored under `key`, if any.
    pub async fn idempotency_get(&self, owner: &str, key: &str) -> Result<Option<IdempotencyRecord>, StoreError> {
        let found = row::Entity::find_by_id((owner.to_string(), key.to_string())).one(self.conn()).await?;
        Ok(found.map(|m| {
            let response = match (m.state.as_str(), m.status) {
                ("completed", Some(status)) => {
                    let headers = m.headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default();
                    Some(StoredResponse {
                        status: u16::try_from(status).unwrap_or(500),
                        headers,
                        body: m.body.unwrap_or_default(),
                    })
                }
                _ => None,
            };
            IdempotencyRecord { request_hash: m.request_hash, response, created_at: m.created_at }
        }))
    }

    /// Stores the response of the request that claimed `key`.
    pub async fn idempotency_complete(
        &self,
        owner: &str,
        key: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<(), StoreError> {
        let headers = serde_json::to_string(headers).map_err(|e| DbErr::Custom(e.to_string()))?;
        let _guard = self.write_guard().await;
        row::Entity::update_many()
            .col_expr(row::Column::State, sea_orm::sea_query::Expr::value("completed"))
            .col_expr(row::Column::Status, sea_orm::sea_query::Expr::value(i16::try_from(status).unwrap_or(500)))
            .col_expr(row::Column::Headers, sea_orm::sea_query::Expr::value(headers))
            .col_expr(row::Column::Body, sea_orm::sea_query::Expr::value(body.to_vec()))
            .filter(row::Column::Owner.eq(owner))
            .filter(row::Column::Key.eq(key))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Forgets `key` (the request failed on our side, so a retry may run it again).
    pub async fn idempotency_abandon(&self, owner: &str, key: &str) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        row::Entity::delete_many()
            .filter(row::Column::Owner.eq(owner))
            .filter(row::Column::Key.eq(key))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Deletes keys older than the time they are kept; returns how many.
    pub async fn prune_idempotency(&self) -> Result<u64, StoreError> {
        let cutoff = Utc::now() - Duration::hours(IDEMPOTENCY_TTL_HOURS);
        let _guard = self.write_guard().await;
        let res = row::Entity::delete_many().filter(row::Column::CreatedAt.lt(cutoff)).exec(self.conn()).await?;
        Ok(res.rows_affected)
    }
}
