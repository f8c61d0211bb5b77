//! The `consultant_languages` table.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultant_languages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub consultant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub level: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
