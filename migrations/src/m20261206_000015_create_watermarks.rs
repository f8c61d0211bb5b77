//! Watermarks: named points in time the service must remember across restarts and share
//! between replicas. The first is `deletions_pruned_before`: deletions made before it may have
//! been pruned, so a client asking for deletions since an earlier time is told to sync in
//! full, even after the retention was raised.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Watermarks {
    Table,
    Name,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Watermarks::Table)
                    .col(string_len(Watermarks::Name, 64).primary_key())
                    .col(timestamp_with_time_zone(Watermarks::At))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Watermarks::Table).to_owned()).await
    }
}
