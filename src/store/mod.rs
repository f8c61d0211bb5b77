//! Persistence: sea-orm entities and repository functions that take and return domain
//! types. Entities never leave this module.
//!
//! SQLite (the default, a single embedded file) runs in WAL mode with `synchronous=FULL`
//! and foreign keys on, so an acknowledged write survives a crash; a 16 MiB page cache per
//! connection and in-memory temporary storage keep batch writes from spilling pages to disk
//! before their commit; `secure_delete` zeroes deleted content. PostgreSQL is selected by a `postgres://` URL. Writes run in a transaction each; on SQLite they also take a
//! process-wide write lock so that concurrent writers queue instead of failing with
//! "database is locked".

mod assignments;
mod audit;
mod batch;
mod bulk;
mod consultants;
mod decisions;
mod deletions;
pub mod entities;
mod erase;
mod feed;
mod idempotency;
pub mod journal;
mod keys;
mod lifecycle;
mod lockfile;
mod resource;
mod retention;
mod rows;
mod taxonomy;
mod webhooks;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use uuid::Uuid;

pub use assignments::Assignments;
pub use audit::{AuditFilter, AuditItem, RankingAudit};
pub use batch::BatchOutcome;
pub use consultants::Consultants;
pub use decisions::Decision;
pub use deletions::Deletion;
pub use erase::{Erasure, Subject};
pub use feed::{Cursor, FEED_CHANNEL, FeedKind, FeedListener, FeedRow, Wake, tracked};
pub use idempotency::{IdempotencyBegin, IdempotencyRecord, StoredResponse};
pub use keys::ApiKeyRow;
pub use lockfile::{ProcessLock, lock_single_process, sqlite_file};
pub use resource::{Change, Events, Expect, ListFilter, Model, Page, Record, Resource, Written, no_events};
pub use retention::Stale;
pub use taxonomy::TaxonomyAddition;
pub use webhooks::{AttemptLog, AttemptOutcome, DeliveryRow, DueDelivery, OutboxEvent, WebhookRow};

use crate::domain::{AssignmentInput, ConsultantInput};

/// The page cache of each SQLite connection, in KiB (SQLite's default: 2,000).
const SQLITE_CACHE_KIB: u32 = 16 * 1024;

/// What went wrong in the store. `NotFound`, `VersionMismatch` and `Duplicate` are the
/// caller's to handle; `Database` and `Corrupt` are internal.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record with that id (or source + external id).
    #[error("not found")]
    NotFound,
    /// `If-Match` named a version other than the current one.
    #[error("version mismatch: current version is {current}")]
    VersionMismatch {
        /// The stored version.
        current: i64,
    },
    /// A create-only upsert (`If-None-Match: *`) found a record with this ATS id.
    #[error("a record with this source and external_id exists, at version {current}")]
    Exists {
        /// Its version.
        current: i64,
    },
    /// Another record already has this `source` + `external_id`.
    #[error("another record already has this source and external_id")]
    Duplicate {
        /// The id of the record that holds them.
        existing: Option<Uuid>,
    },
    /// A stored row could not be read back into a domain type.
    #[error("stored row {id} is unreadable: {reason}")]
    Corrupt {
        /// The row.
        id: Uuid,
        /// Why.
        reason: String,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Server-made metadata every stored resource carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// UUID v7: time-ordered, so listing by id lists in creation order.
    pub id: Uuid,
    /// Starts at 1, +1 on each change; the `ETag`.
    pub version: i64,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
}

/// A handle on the database: cheap to clone, safe to share.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    write_lock: std::sync::Arc<Option<tokio::sync::Mutex<()>>>,
    feed: std::sync::Arc<FeedLocal>,
}

/// This process's side of the change feed (`feed.rs`): the transactions it wrote (it applied
/// them itself before answering, so its reader skips their rows) and, on SQLite, the local
/// position counter.
#[derive(Default)]
struct FeedLocal {
    own: std::sync::Mutex<std::collections::BTreeSet<u64>>,
    local: std::sync::atomic::AtomicU64,
}

impl Store {
    /// Connects to `url` (SQLite or PostgreSQL) with a pool of at most `max_connections`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // A batch of 1,000 consultants dirties ~1,500 pages; in the default 2 MiB
                    // cache they spill to the WAL before the commit and index pages are re-read.
                    .pragma("cache_size", format!("-{}", SQLITE_CACHE_KIB))
                    // The statement journal of a multi-row insert stays in memory, not a temp file.
                    .pragma("temp_store", "memory")
                    // Deleted content is overwritten with zeros, so an erased person's bytes
                    // do not linger in free pages (issue 26).
                    .pragma("secure_delete", "ON")
            });
        // Validate a SQLite URL up front so a typo gives a clear message.
        if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url).map_err(|e| DbErr::Custom(format!("invalid DATABASE_URL: {e}")))?;
        }
        let db = Database::connect(opts).await?;
        let write_lock = match db.get_database_backend() {
            DbBackend::Sqlite => Some(tokio::sync::Mutex::new(())),
            _ => None,
        };
        Ok(Store { db, write_lock: std::sync::Arc::new(write_lock), feed: Default::default() })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// The backend's name, for logs and metrics.
    pub fn backend(&self) -> &'static str {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => "sqlite",
            DbBackend::Postgres => "postgres",
            _ => "other",
        }
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// Open and idle connections in the pool.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => {
                let p = self.db.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            DbBackend::Postgres => {
                let p = self.db.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => (0, 0),
        }
    }

    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.write_lock.as_ref() {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// The consultant repository.
pub type ConsultantRecord = Record<ConsultantInput>;
/// The assignment repository.
pub type AssignmentRecord = Record<AssignmentInput>;
