//! The `consultant_skills` table: one row per skill of a consultant, for SQL queries.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultant_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub consultant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    pub name: String,
    pub years: Option<f64>,
    pub level: Option<i16>,
    pub skill_id: Option<String>,
    pub method: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
