//! The `assignment_skills` table: must-haves (`kind = 'must'`), can-haves (`'can'`) and
//! personal qualities (`'quality'`).
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assignment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    pub name: String,
    pub min_years: Option<f64>,
    pub min_level: Option<i16>,
    pub weight: Option<f64>,
    pub skill_id: Option<String>,
    pub method: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
