//! The `erasures` table: each erasure of a person, without personal data.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The API key's id, or `retention` for the housekeeping.
    pub key_id: String,
    /// The random id that replaced hers in the audit.
    pub pseudonym: Uuid,
    /// `request` or `retention`.
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
