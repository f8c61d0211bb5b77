//! On PostgreSQL, the child rows of consultants and assignments (skills, languages) lose
//! their foreign keys to the main row.
//!
//! Why: PostgreSQL checks a foreign key with one locking look-up per inserted row, run as
//! its own small query. Loading 100k consultants through the batch endpoint writes ~1.8M
//! skill rows, and those checks were a quarter of the load's time (20 batches of 1,000:
//! 7.6 s with them, 5.3–5.8 s without).
//!
//! What keeps the rows consistent instead: the store writes a main row and its children in
//! one transaction, main row first (its row lock orders concurrent writers of the same
//! record), and deletes the children itself when it deletes a main row, after the main row,
//! so that a writer it waited for has committed and its children are seen
//! (`Store::delete_where`). The match index never reads these tables; they serve SQL
//! queries ("who has ITIL?").
//!
//! SQLite keeps its foreign keys: there a check is one index probe, and dropping a
//! constraint means rebuilding the table. The store's explicit deletes find nothing left
//! for the cascade to do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (child table, its column naming the main row, the main table, the constraint).
const KEYS: [(&str, &str, &str, &str); 4] = [
    ("consultant_skills", "consultant_id", "consultants", "fk_consultant_skills_consultant"),
    ("consultant_languages", "consultant_id", "consultants", "fk_consultant_languages_consultant"),
    ("assignment_skills", "assignment_id", "assignments", "fk_assignment_skills_assignment"),
    ("assignment_languages", "assignment_id", "assignments", "fk_assignment_languages_assignment"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (child, _, _, name) in KEYS {
            manager.drop_foreign_key(ForeignKey::drop().name(name).table(Alias::new(child)).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (child, column, main, name) in KEYS {
            manager
                .create_foreign_key(
                    ForeignKey::create()
                        .name(name)
                        .from(Alias::new(child), Alias::new(column))
                        .to(Alias::new(main), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
