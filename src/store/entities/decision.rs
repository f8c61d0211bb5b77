//! The `decisions` table: recruiters' decisions about consultants for assignments.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub consultant_id: Uuid,
    /// `shortlisted`, `rejected`, `placed` or `withdrawn`.
    pub decision: String,
    pub reason: Option<String>,
    pub audit_id: Option<String>,
    /// Whether the engine found the consultant eligible when the decision was made.
    pub eligible: bool,
    /// Where the engine ranked the consultant then (null: not listed).
    pub engine_rank: Option<i32>,
    /// Whether the decision overrode the engine.
    pub overrides: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
