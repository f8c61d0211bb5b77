//! Consultants, with their skills and languages also kept in child tables so they can be
//! queried in SQL ("who has ITIL?"). The `skills` and `languages` JSON columns on the main
//! row hold the same lists in the order given, so one row is enough to load a profile
//! (the match index loads 100k+ of them at start).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Consultants {
    Table,
    Id,
    Source,
    ExternalId,
    Name,
    Email,
    City,
    Country,
    WorkModes,
    AvailableFrom,
    CapacityPercent,
    ExperienceYears,
    ClearanceLevel,
    Citizenships,
    WillingToUndergo,
    Skills,
    Languages,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConsultantSkills {
    Table,
    ConsultantId,
    Position,
    Name,
    Years,
    Level,
    SkillId,
    Method,
}

#[derive(DeriveIden)]
enum ConsultantLanguages {
    Table,
    ConsultantId,
    Code,
    Level,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Consultants::Table)
                    .col(pk_uuid(Consultants::Id))
                    .col(string_len_null(Consultants::Source, 64))
                    .col(string_len_null(Consultants::ExternalId, 200))
                    .col(string_len(Consultants::Name, 200))
                    .col(string_len_null(Consultants::Email, 254))
                    .col(string_len_null(Consultants::City, 100))
                    .col(string_len_null(Consultants::Country, 2))
                    .col(string_len(Consultants::WorkModes, 32))
                    .col(date_null(Consultants::AvailableFrom))
                    .col(small_integer_null(Consultants::CapacityPercent))
                    .col(double_null(Consultants::ExperienceYears))
                    .col(string_len(Consultants::ClearanceLevel, 8))
                    .col(string_len(Consultants::Citizenships, 64))
                    .col(boolean(Consultants::WillingToUndergo))
                    .col(text(Consultants::Skills))
                    .col(text(Consultants::Languages))
                    .col(big_integer(Consultants::Version))
                    .col(timestamp_with_time_zone(Consultants::CreatedAt))
                    .col(timestamp_with_time_zone(Consultants::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_consultants_source_external_id")
                    .table(Consultants::Table)
                    .col(Consultants::Source)
                    .col(Consultants::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_consultants_updated_at")
                    .table(Consultants::Table)
                    .col(Consultants::UpdatedAt)
                    .col(Consultants::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConsultantSkills::Table)
                    .col(uuid(ConsultantSkills::ConsultantId))
                    .col(small_integer(ConsultantSkills::Position))
                    .col(string_len(ConsultantSkills::Name, 120))
                    .col(double_null(ConsultantSkills::Years))
                    .col(small_integer_null(ConsultantSkills::Level))
                    .col(string_len_null(ConsultantSkills::SkillId, 100))
                    .col(string_len(ConsultantSkills::Method, 16))
                    .primary_key(Index::create().col(ConsultantSkills::ConsultantId).col(ConsultantSkills::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultant_skills_consultant")
                            .from(ConsultantSkills::Table, ConsultantSkills::ConsultantId)
                            .to(Consultants::Table, Consultants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_consultant_skills_skill_id")
                    .table(ConsultantSkills::Table)
                    .col(ConsultantSkills::SkillId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConsultantLanguages::Table)
                    .col(uuid(ConsultantLanguages::ConsultantId))
                    .col(string_len(ConsultantLanguages::Code, 2))
                    .col(string_len(ConsultantLanguages::Level, 8))
                    .primary_key(Index::create().col(ConsultantLanguages::ConsultantId).col(ConsultantLanguages::Code))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultant_languages_consultant")
                            .from(ConsultantLanguages::Table, ConsultantLanguages::ConsultantId)
                            .to(Consultants::Table, Consultants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ConsultantLanguages::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ConsultantSkills::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Consultants::Table).to_owned()).await
    }
}
