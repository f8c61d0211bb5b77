//! The `ranking_audits` table: one row per call that scored people.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ranking_audits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The API key's id (never its secret).
    pub key_id: String,
    pub request_id: Option<String>,
    pub endpoint: String,
    pub assignment_id: Option<Uuid>,
    /// The consultant a reverse ranking or a pair score was made for (a pseudonym after her
    /// erasure).
    pub consultant_id: Option<Uuid>,
    /// Hex SHA-256 of an ad-hoc query's body.
    pub query_digest: Option<String>,
    /// JSON object of the request's parameters.
    pub params: String,
    pub score_version: i32,
    /// JSON object of the weights used.
    pub weights: String,
    pub total_eligible: i64,
    /// Whether its items are in `ranking_audit_listed` yet (the audit's writer lists them
    /// after the commit, in batches).
    pub listed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
