//! Assignments (job postings), with must-have/can-have skills and languages also kept in
//! child tables for SQL queries; the JSON columns on the main row keep the lists in order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    Source,
    ExternalId,
    Title,
    Client,
    Description,
    City,
    Country,
    WorkMode,
    StartDate,
    EndDate,
    ExpiresAt,
    ExtentPercent,
    MinExperienceYears,
    ClearanceLevel,
    Citizenship,
    AcceptWilling,
    MustHave,
    CanHave,
    Languages,
    Weights,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AssignmentSkills {
    Table,
    AssignmentId,
    Kind,
    Position,
    Name,
    MinYears,
    MinLevel,
    Weight,
    SkillId,
    Method,
}

#[derive(DeriveIden)]
enum AssignmentLanguages {
    Table,
    AssignmentId,
    Code,
    MinLevel,
    Required,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(pk_uuid(Assignments::Id))
                    .col(string_len_null(Assignments::Source, 64))
                    .col(string_len_null(Assignments::ExternalId, 200))
                    .col(string_len(Assignments::Title, 200))
                    .col(string_len_null(Assignments::Client, 200))
                    .col(text_null(Assignments::Description))
                    .col(string_len_null(Assignments::City, 100))
                    .col(string_len_null(Assignments::Country, 2))
                    .col(string_len_null(Assignments::WorkMode, 8))
                    .col(date_null(Assignments::StartDate))
                    .col(date_null(Assignments::EndDate))
                    .col(date_null(Assignments::ExpiresAt))
                    .col(small_integer_null(Assignments::ExtentPercent))
                    .col(double_null(Assignments::MinExperienceYears))
                    .col(string_len(Assignments::ClearanceLevel, 8))
                    .col(string_len(Assignments::Citizenship, 128))
                    .col(boolean(Assignments::AcceptWilling))
                    .col(text(Assignments::MustHave))
                    .col(text(Assignments::CanHave))
                    .col(text(Assignments::Languages))
                    .col(text_null(Assignments::Weights))
                    .col(string_len(Assignments::Status, 16))
                    .col(big_integer(Assignments::Version))
                    .col(timestamp_with_time_zone(Assignments::CreatedAt))
                    .col(timestamp_with_time_zone(Assignments::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_assignments_source_external_id")
                    .table(Assignments::Table)
                    .col(Assignments::Source)
                    .col(Assignments::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_assignments_status")
                    .table(Assignments::Table)
                    .col(Assignments::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_assignments_updated_at")
                    .table(Assignments::Table)
                    .col(Assignments::UpdatedAt)
                    .col(Assignments::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssignmentSkills::Table)
                    .col(uuid(AssignmentSkills::AssignmentId))
                    .col(string_len(AssignmentSkills::Kind, 8))
                    .col(small_integer(AssignmentSkills::Position))
                    .col(string_len(AssignmentSkills::Name, 120))
                    .col(double_null(AssignmentSkills::MinYears))
                    .col(small_integer_null(AssignmentSkills::MinLevel))
                    .col(double_null(AssignmentSkills::Weight))
                    .col(string_len_null(AssignmentSkills::SkillId, 100))
                    .col(string_len(AssignmentSkills::Method, 16))
                    .primary_key(
                        Index::create()
                            .col(AssignmentSkills::AssignmentId)
                            .col(AssignmentSkills::Kind)
                            .col(AssignmentSkills::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assignment_skills_assignment")
                            .from(AssignmentSkills::Table, AssignmentSkills::AssignmentId)
                            .to(Assignments::Table, Assignments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_assignment_skills_skill_id")
                    .table(AssignmentSkills::Table)
                    .col(AssignmentSkills::SkillId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssignmentLanguages::Table)
                    .col(uuid(AssignmentLanguages::AssignmentId))
                    .col(string_len(AssignmentLanguages::Code, 2))
                    .col(string_len(AssignmentLanguages::MinLevel, 8))
                    .col(boolean(AssignmentLanguages::Required))
                    .primary_key(Index::create().col(AssignmentLanguages::AssignmentId).col(AssignmentLanguages::Code))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assignment_languages_assignment")
                            .from(AssignmentLanguages::Table, AssignmentLanguages::AssignmentId)
                            .to(Assignments::Table, Assignments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AssignmentLanguages::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AssignmentSkills::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Assignments::Table).to_owned()).await
    }
}
