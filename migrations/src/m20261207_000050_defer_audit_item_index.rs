//! The audit's look-up of "every ranking that listed her" moves off the write path.
//!
//! An index on `ranking_audit_items (item_id)` made every ranking's record dirty up to one
//! random index page per item (20 for a page of 20) in its commit: on a 100k index that was
//! most of a ranking's cost. The items stay where they are (keyed by record and position,
//! appended in id order); the look-up becomes `ranking_audit_listed (item_id, audit_id)`, filled
//! after the commit in sorted batches by the audit's writer. A record not yet listed has
//! `listed = false` (a partial index finds the few of them); readers take those from the items
//! directly, so the look-up is never behind what the API answers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RankingAudits {
    Table,
    Listed,
}

#[derive(DeriveIden)]
enum RankingAuditListed {
    Table,
    ItemId,
    AuditId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RankingAuditListed::Table)
                    .col(ColumnDef::new(RankingAuditListed::ItemId).uuid().not_null())
                    .col(ColumnDef::new(RankingAuditListed::AuditId).uuid().not_null())
                    .primary_key(Index::create().col(RankingAuditListed::ItemId).col(RankingAuditListed::AuditId))
                    .to_owned(),
            )
            .await?;
        // Retention prunes by record.
        manager
            .create_index(
                Index::create()
                    .name("ix_ranking_audit_listed_audit")
                    .table(RankingAuditListed::Table)
                    .col(RankingAuditListed::AuditId)
                    .to_owned(),
            )
            .await?;
        // Records made before this migration are listed by the copy below.
        manager
            .alter_table(
                Table::alter()
                    .table(RankingAudits::Table)
                    .add_column(ColumnDef::new(RankingAudits::Listed).boolean().not_null().default(true))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO ranking_audit_listed (item_id, audit_id) \
             SELECT DISTINCT item_id, audit_id FROM ranking_audit_items",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX ix_ranking_audits_unlisted ON ranking_audits (id) WHERE listed = false")
            .await?;
        manager
            .drop_index(
                Index::drop().name("ix_ranking_audit_items_item").table(Alias::new("ranking_audit_items")).to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_ranking_audit_items_item")
                    .table(Alias::new("ranking_audit_items"))
                    .col(Alias::new("item_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("ix_ranking_audits_unlisted").table(RankingAudits::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(RankingAudits::Table).drop_column(RankingAudits::Listed).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(RankingAuditListed::Table).to_owned()).await
    }
}
