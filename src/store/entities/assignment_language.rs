//! The `assignment_languages` table.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_languages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assignment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub min_level: String,
    pub required: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
