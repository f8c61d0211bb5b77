//! Who made each API key and webhook subscription: the id of the API key that created it
//! (`env-admin` for `STAFFMATCH_ADMIN_KEY`), null for keys the server made itself (the
//! bootstrap key) and for rows from before this migration. Expand-only: a nullable column.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiKeys::Table)
                    .add_column(ColumnDef::new(ApiKeys::CreatedBy).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Webhooks::Table)
                    .add_column(ColumnDef::new(Webhooks::CreatedBy).string_len(64).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(ApiKeys::Table).drop_column(ApiKeys::CreatedBy).to_owned()).await?;
        manager.alter_table(Table::alter().table(Webhooks::Table).drop_column(Webhooks::CreatedBy).to_owned()).await
    }
}
