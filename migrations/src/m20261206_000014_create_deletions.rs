//! Deletions: one row per deleted consultant or assignment (its kind, id, ATS reference and
//! when), written in the delete's own transaction, so a client syncing by polling
//! (`updated_since`) learns of deletions too. Rows older than the retention the service is
//! configured with are pruned.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deletions {
    Table,
    Kind,
    Id,
    Source,
    ExternalId,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Deletions::Table)
                    .col(string_len(Deletions::Kind, 16))
                    .col(uuid(Deletions::Id))
                    .col(string_len_null(Deletions::Source, 64))
                    .col(string_len_null(Deletions::ExternalId, 200))
                    .col(timestamp_with_time_zone(Deletions::DeletedAt))
                    .primary_key(Index::create().col(Deletions::Kind).col(Deletions::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_deletions_kind_deleted_at")
                    .table(Deletions::Table)
                    .col(Deletions::Kind)
                    .col(Deletions::DeletedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Deletions::Table).to_owned()).await
    }
}
