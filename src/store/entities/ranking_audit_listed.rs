//! The `ranking_audit_listed` table: which records listed or scored whom, by item, for "every
//! ranking that listed her"; filled after each record's commit, in sorted batches.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ranking_audit_listed")]
pub struct Model {
    /// The consultant (or assignment) listed; a pseudonym after the consultant's erasure.
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub audit_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
