//! Assignments keep personal qualities (communication, pedagogy …) apart from their skills:
//! a JSON column on the main row keeps the list in order, like `must_have` and `can_have`;
//! the child table `assignment_skills` holds them too, as rows of `kind = 'quality'` (its
//! `kind` column already fits the word, so it needs no change).
//!
//! Expand only: existing rows get an empty list, and a server of the previous release, which
//! never names the column, keeps working beside this one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Qualities,
}

#[derive(DeriveIden)]
enum AssignmentSkills {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Assignments::Table)
                    .add_column(text(Assignments::Qualities).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(AssignmentSkills::Table)
                    .and_where(Expr::col(AssignmentSkills::Kind).eq("quality"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Assignments::Table).drop_column(Assignments::Qualities).to_owned())
            .await
    }
}
