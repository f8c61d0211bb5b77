//! The `taxonomy_additions` table.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "taxonomy_additions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// `skill` or `alias`.
    pub kind: String,
    pub skill_id: String,
    /// JSON: the skill definition, or `{"alias": "…"}`.
    pub payload: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
