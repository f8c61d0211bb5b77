//! staffmatch's database migrations, for SQLite and PostgreSQL alike.
//!
//! Rules (see README): never edit a migration that has been applied anywhere; schema
//! changes are expand/contract (add, backfill, switch, then drop in a later release);
//! every `down` works.

pub use sea_orm_migration::prelude::*;
pub use sea_orm_migration::seaql_migrations;

/// The migration that created the `deletions` table: deletions are recorded from the time it
/// was applied (its `seaql_migrations.applied_at`) on. (The API test of the 410 back-dates
/// that row by this name, so a wrong name fails it.)
pub const DELETIONS_MIGRATION: &str = "m20261206_000014_create_deletions";

mod m20261122_000001_create_consultants;
mod m20261122_000002_create_assignments;
mod m20261122_000003_create_taxonomy_additions;
mod m20261122_000010_create_api_keys;
mod m20261122_000011_create_idempotency_keys;
mod m20261122_000012_create_webhooks;
mod m20261203_000013_drop_child_foreign_keys_on_postgres;
mod m20261206_000014_create_deletions;
mod m20261206_000015_create_watermarks;
mod m20261207_000016_add_created_by;
mod m20261207_000017_add_assignment_qualities;
mod m20261207_000020_create_change_feed;
mod m20261207_000030_create_ranking_audit;
mod m20261207_000040_create_decisions;
mod m20261207_000050_defer_audit_item_index;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_consultants::Migration),
            Box::new(m20261122_000002_create_assignments::Migration),
            Box::new(m20261122_000003_create_taxonomy_additions::Migration),
            Box::new(m20261122_000010_create_api_keys::Migration),
            Box::new(m20261122_000011_create_idempotency_keys::Migration),
            Box::new(m20261122_000012_create_webhooks::Migration),
            Box::new(m20261203_000013_drop_child_foreign_keys_on_postgres::Migration),
            Box::new(m20261206_000014_create_deletions::Migration),
            Box::new(m20261206_000015_create_watermarks::Migration),
            Box::new(m20261207_000016_add_created_by::Migration),
            Box::new(m20261207_000017_add_assignment_qualities::Migration),
            Box::new(m20261207_000020_create_change_feed::Migration),
            Box::new(m20261207_000030_create_ranking_audit::Migration),
            Box::new(m20261207_000040_create_decisions::Migration),
            Box::new(m20261207_000050_defer_audit_item_index::Migration),
        ]
    }
}
