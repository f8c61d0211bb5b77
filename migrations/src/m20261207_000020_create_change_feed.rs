//! The change feed (PostgreSQL only): one small row per change that a replica holds in
//! memory (a consultant, an assignment, a taxonomy addition, an API key, a webhook
//! subscription), appended in the transaction of the write. Replicas tail it to keep their
//! match index and caches in step with the database.
//!
//! Each row carries the writing transaction's id (`xid8`, `pg_current_xact_id()`): readers
//! read only rows below their snapshot's `xmin`, in `(xid, seq)` order, so a transaction that
//! commits late with a lower `seq` is never skipped. `change_feed_pruned` remembers the
//! highest `(xid, seq)` pruned, so a replica whose cursor is below it knows it missed rows
//! and reloads in full.
//!
//! SQLite serves one process (it holds a lock file), which applies its own writes: no feed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE change_feed (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                kind text NOT NULL,
                entity_id text NOT NULL,
                op text NOT NULL,
                at timestamptz NOT NULL DEFAULT now()
            )",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX change_feed_xid_seq ON change_feed (xid, seq)").await?;
        db.execute_unprepared("CREATE INDEX change_feed_at ON change_feed (at)").await?;
        db.execute_unprepared(
            "CREATE TABLE change_feed_pruned (
                id integer PRIMARY KEY CHECK (id = 1),
                xid xid8 NOT NULL,
                seq bigint NOT NULL
            )",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TABLE IF EXISTS change_feed_pruned").await?;
        db.execute_unprepared("DROP TABLE IF EXISTS change_feed").await?;
        Ok(())
    }
}
