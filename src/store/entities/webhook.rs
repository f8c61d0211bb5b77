//! The `webhooks` table (subscriptions).
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    pub secret: String,
    /// Comma-separated event patterns (`consultant.*`, `match.found`).
    pub events: String,
    pub min_score: Option<f64>,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    /// The id of the API key that made this subscription.
    pub created_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
