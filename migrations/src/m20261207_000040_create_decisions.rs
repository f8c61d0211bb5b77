//! Decisions: a row per recruiter's decision about a consultant for an assignment
//! (`shortlisted`, `rejected`, `placed`, `withdrawn`), with its reason, the ranking it cites
//! (`audit_id`), where the engine ranked the consultant when it was made and whether it
//! overrode the engine. Append-only: a later decision supersedes an earlier one for the same
//! pair, the earlier one stays on record. No foreign keys (child rows on PostgreSQL have none
//! either, see migration 13): a deleted consultant's decisions stay until the consultant is
//! erased.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    AssignmentId,
    ConsultantId,
    Decision,
    Reason,
    AuditId,
    Eligible,
    EngineRank,
    Overrides,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(pk_uuid(Decisions::Id))
                    .col(uuid(Decisions::AssignmentId))
                    .col(uuid(Decisions::ConsultantId))
                    .col(string_len(Decisions::Decision, 16))
                    .col(text_null(Decisions::Reason))
                    .col(string_len_null(Decisions::AuditId, 64))
                    .col(boolean(Decisions::Eligible))
                    .col(integer_null(Decisions::EngineRank))
                    .col(boolean(Decisions::Overrides))
                    .col(string_len_null(Decisions::CreatedBy, 64))
                    .col(timestamp_with_time_zone(Decisions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in
            [("ix_decisions_assignment", Decisions::AssignmentId), ("ix_decisions_consultant", Decisions::ConsultantId)]
        {
            manager
                .create_index(Index::create().name(name).table(Decisions::Table).col(col).col(Decisions::Id).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Decisions::Table).to_owned()).await
    }
}
