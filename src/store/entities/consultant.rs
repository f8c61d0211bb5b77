//! The `consultants` table.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Comma-separated work modes, e.g. `onsite,hybrid`.
    pub work_modes: String,
    pub available_from: Option<Date>,
    pub capacity_percent: Option<i16>,
    pub experience_years: Option<f64>,
    pub clearance_level: String,
    /// Comma-separated ISO 3166-1 alpha-2 codes.
    pub citizenships: String,
    pub willing_to_undergo: bool,
    /// JSON array of skills in the order given (see `store::rows`).
    pub skills: String,
    /// JSON array of languages in the order given.
    pub languages: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
