//! The `assignments` table.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub title: String,
    pub client: Option<String>,
    pub description: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub work_mode: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub expires_at: Option<Date>,
    pub extent_percent: Option<i16>,
    pub min_experience_years: Option<f64>,
    pub clearance_level: String,
    /// Comma-separated ISO 3166-1 alpha-2 codes.
    pub citizenship: String,
    pub accept_willing: bool,
    /// JSON array of must-haves in the order given.
    pub must_have: String,
    /// JSON array of can-haves in the order given.
    pub can_have: String,
    /// JSON array of personal qualities in the order given.
    pub qualities: String,
    /// JSON array of language requirements.
    pub languages: String,
    /// JSON object of the six weights, when the assignment sets its own.
    pub weights: Option<String>,
    pub status: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
