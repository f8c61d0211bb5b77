//! The `expiry_notices` table: the `consultant.expiring` events sent, one per consultant and
//! version (`updated_at`).
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "expiry_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub consultant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub updated_at: DateTimeUtc,
    pub notified_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
