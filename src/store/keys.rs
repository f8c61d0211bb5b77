//! API keys in the database. Only the SHA-256 hash of a secret is stored.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use super::entities::api_key;
use super::feed::FeedKind;
use super::{Store, StoreError};

/// A stored API key (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRow {
    /// The key's id.
    pub id: Uuid,
    /// A human name.
    pub name: String,
    /// The first characters of the secret.
    pub prefix: String,
    /// Hex SHA-256 of the secret.
    pub key_hash: String,
    /// Scope names.
    pub scopes: Vec<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The id of the key that made it (`None`: the server made it, e.g. the bootstrap key).
    pub created_by: Option<String>,
}

fn from_model(m: api_key::Model) -> ApiKeyRow {
    ApiKeyRow {
        id: m.id,
        name: m.name,
        prefix: m.prefix,
        key_hash: m.key_hash,
        scopes: m.scopes.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        created_at: m.created_at,
        expires_at: m.expires_at,
        revoked_at: m.revoked_at,
        created_by: m.created_by,
    }
}

impl Store {
    /// Stores a new key (its hash) and returns it as stored.
    pub async fn insert_api_key(
        &self,
        name: &str,
        prefix: &str,
        key_hash: &str,
        scopes: &[String],
        expires_at: Option<DateTime<Utc>>,
        created_by: Option<&str>,
    ) -> Result<ApiKeyRow, StoreError> {
        let _guard = self.write_guard().await;
        let model = api_key::Model {
            id: Uuid::now_v7(),
            name: name.to_string(),
            prefix: prefix.to_string(),
            key_hash: key_hash.to_string(),
            scopes: scopes.join(","),
            created_at: Utc::now().trunc_subsecs(6),
            expires_at: expires_at.map(|t| t.trunc_subsecs(6)),
            revoked_at: None,
            created_by: created_by.map(str::to_string),
        };
        let active = api_key::ActiveModel {
            id: Set(model.id),
            name: Set(model.name.clone()),
            prefix: Set(model.prefix.clone()),
            key_hash: Set(model.key_hash.clone()),
            scopes: Set(model.scopes.clone()),
            created_at: Set(model.created_at),
            expires_at: Set(model.expires_at),
            revoked_at: Set(None),
            created_by: Set(model.created_by.clone()),
        };
        let txn = self.conn().begin().await?;
        api_key::Entity::insert(active).exec_without_returning(&txn).await?;
        self.feed_append(&txn, FeedKind::ApiKey.as_str(), "write", vec![model.id.to_string()]).await?;
        txn.commit().await?;
        Ok(from_model(model))
    }

    /// The key whose secret hashes to `key_hash`, revoked or not.
    pub async fn find_api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKeyRow>, StoreError> {
        let row = api_key::Entity::find().filter(api_key::Column::KeyHash.eq(key_hash)).one(self.conn()).await?;
        Ok(row.map(from_model))
    }

    /// Every key, oldest first.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKeyRow>, StoreError> {
        let rows = api_key::Entity::find().order_by_asc(api_key::Column::Id).all(self.conn()).await?;
        Ok(rows.into_iter().map(from_model).collect())
    }

    /// How many keys exist (revoked ones included).
    pub async fn count_api_keys(&self) -> Result<u64, StoreError> {
        Ok(api_key::Entity::find().count(self.conn()).await?)
    }

    /// Revokes key `id` (revoking twice keeps the first time).
    pub async fn revoke_api_key(&self, id: Uuid) -> Result<ApiKeyRow, StoreError> {
        let _guard = self.write_guard().await;
        let row = api_key::Entity::find_by_id(id).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        if row.revoked_at.is_some() {
            return Ok(from_model(row));
        }
        let now = Utc::now().trunc_subsecs(6);
        let txn = self.conn().begin().await?;
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
            .filter(api_key::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        self.feed_append(&txn, FeedKind::ApiKey.as_str(), "revoke", vec![id.to_string()]).await?;
        txn.commit().await?;
        Ok(ApiKeyRow { revoked_at: Some(now), ..from_model(row) })
    }
}
