//! The audit of rankings (issue 26): one `ranking_audits` row per call that scored people
//! (both ranking directions, the pair scores, `POST /matches`, `match.found` computations),
//! with the ranked items in `ranking_audit_items` (one row per item, so "every record that
//! listed her" is an indexed look-up on both backends). `erasures` records each erasure of a
//! person without personal data; `expiry_notices` remembers which `consultant.expiring`
//! events were sent, so each expiry is announced once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RankingAudits {
    Table,
    Id,
    At,
    KeyId,
    RequestId,
    Endpoint,
    AssignmentId,
    ConsultantId,
    QueryDigest,
    Params,
    ScoreVersion,
    Weights,
    TotalEligible,
}

#[derive(DeriveIden)]
enum RankingAuditItems {
    Table,
    AuditId,
    Position,
    ItemId,
    Rank,
    Score,
    Eligible,
}

#[derive(DeriveIden)]
enum Erasures {
    Table,
    Id,
    At,
    KeyId,
    Pseudonym,
    Reason,
}

#[derive(DeriveIden)]
enum ExpiryNotices {
    Table,
    ConsultantId,
    UpdatedAt,
    NotifiedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RankingAudits::Table)
                    .col(uuid(RankingAudits::Id).primary_key())
                    .col(timestamp_with_time_zone(RankingAudits::At))
                    .col(string_len(RankingAudits::KeyId, 64))
                    .col(string_len_null(RankingAudits::RequestId, 128))
                    .col(string_len(RankingAudits::Endpoint, 64))
                    .col(uuid_null(RankingAudits::AssignmentId))
                    .col(uuid_null(RankingAudits::ConsultantId))
                    .col(string_len_null(RankingAudits::QueryDigest, 64))
                    .col(text(RankingAudits::Params))
                    .col(integer(RankingAudits::ScoreVersion))
                    .col(text(RankingAudits::Weights))
                    .col(big_integer(RankingAudits::TotalEligible))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_ranking_audits_at", RankingAudits::At),
            ("ix_ranking_audits_assignment", RankingAudits::AssignmentId),
            ("ix_ranking_audits_consultant", RankingAudits::ConsultantId),
        ] {
            manager.create_index(Index::create().name(name).table(RankingAudits::Table).col(col).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RankingAuditItems::Table)
                    .col(uuid(RankingAuditItems::AuditId))
                    .col(integer(RankingAuditItems::Position))
                    .col(uuid(RankingAuditItems::ItemId))
                    .col(integer_null(RankingAuditItems::Rank))
                    .col(double(RankingAuditItems::Score))
                    .col(boolean(RankingAuditItems::Eligible))
                    .primary_key(Index::create().col(RankingAuditItems::AuditId).col(RankingAuditItems::Position))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ranking_audit_items_item")
                    .table(RankingAuditItems::Table)
                    .col(RankingAuditItems::ItemId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Erasures::Table)
                    .col(uuid(Erasures::Id).primary_key())
                    .col(timestamp_with_time_zone(Erasures::At))
                    .col(string_len(Erasures::KeyId, 64))
                    .col(uuid(Erasures::Pseudonym))
                    .col(string_len(Erasures::Reason, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExpiryNotices::Table)
                    .col(uuid(ExpiryNotices::ConsultantId))
                    .col(timestamp_with_time_zone(ExpiryNotices::UpdatedAt))
                    .col(timestamp_with_time_zone(ExpiryNotices::NotifiedAt))
                    .primary_key(Index::create().col(ExpiryNotices::ConsultantId).col(ExpiryNotices::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ExpiryNotices::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Erasures::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RankingAuditItems::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RankingAudits::Table).to_owned()).await
    }
}
