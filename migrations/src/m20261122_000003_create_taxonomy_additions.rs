//! Skills and aliases added at run time through the admin API, replayed in order on top of
//! the built-in taxonomy at every start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaxonomyAdditions {
    Table,
    Seq,
    Kind,
    SkillId,
    Payload,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaxonomyAdditions::Table)
                    .col(big_pk_auto(TaxonomyAdditions::Seq))
                    .col(string_len(TaxonomyAdditions::Kind, 16))
                    .col(string_len(TaxonomyAdditions::SkillId, 100))
                    .col(text(TaxonomyAdditions::Payload))
                    .col(timestamp_with_time_zone(TaxonomyAdditions::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TaxonomyAdditions::Table).to_owned()).await
    }
}
