//! The `ranking_audit_items` table: the items a ranking returned, one row each.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ranking_audit_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub audit_id: Uuid,
    /// 0-based place in the answer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// The consultant (or, in a consultant's ranking, the assignment) listed; a pseudonym
    /// after the consultant's erasure.
    pub item_id: Uuid,
    pub rank: Option<i32>,
    pub score: f64,
    pub eligible: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
