//! The change feed: the store's side. Every write that changes what a replica holds in
//! memory appends a small row (kind, entity id, operation; never a payload) in the write's
//! own transaction ([`Store::feed_append`]); replicas read the rows in `(xid, seq)` order
//! below their snapshot's `xmin` ([`Store::feed_read`]) and re-read the entities they name.
//!
//! Why `(xid, seq)` and the snapshot's `xmin`: sequence values are handed out when rows are
//! inserted, not when transactions commit, so a reader that polls `seq > last` skips a
//! transaction that took a low `seq` and commits late. Every transaction id below the
//! snapshot's `xmin` has finished (committed or rolled back) and no later transaction can
//! get one, so the rows below it are final; a cursor never passes an id still in progress.
//! A long transaction holds the horizon back: the readers wait for it instead of skipping it.
//!
//! The append also `NOTIFY`s `staffmatch_feed` (delivered at commit, empty payload): only a
//! wake-up for the readers, which poll anyway.
//!
//! The position of a write (what `Staffmatch-Index-Position` carries) is its transaction id;
//! [`tracked`] collects it for the request that made the write. On SQLite (one process,
//! which applies its own writes) nothing is appended and positions are a local counter.

use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ArrayType;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

use super::{Store, StoreError};

/// The channel the feed's wake-ups go to.
pub const FEED_CHANNEL: &str = "staffmatch_feed";

/// The advisory lock (with the schema's hash) that lets one replica at a time prune the feed.
const PRUNE_LOCK: i32 = 0x7374_6d66;

/// What a feed row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    /// A consultant (written, refreshed or deleted).
    Consultant,
    /// An assignment.
    Assignment,
    /// A run-time taxonomy addition (the entity id is its `seq`).
    Taxonomy,
    /// An API key (created or revoked).
    ApiKey,
    /// A webhook subscription (created or deleted).
    Webhook,
    /// The decisions about an assignment (one made, or an erasure took some away; the entity
    /// id is the assignment's).
    Decision,
}

impl FeedKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Consultant => "consultant",
            FeedKind::Assignment => "assignment",
            FeedKind::Taxonomy => "taxonomy",
            FeedKind::ApiKey => "api_key",
            FeedKind::Webhook => "webhook",
            FeedKind::Decision => "decision",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<FeedKind> {
        [
            FeedKind::Consultant,
            FeedKind::Assignment,
            FeedKind::Taxonomy,
            FeedKind::ApiKey,
            FeedKind::Webhook,
            FeedKind::Decision,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A place in the feed: rows are read strictly after it, in this order.
pub type Cursor = (u64, i64);

/// One row of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    /// The writing transaction.
    pub xid: u64,
    /// The row's sequence number.
    pub seq: i64,
    /// What it names.
    pub kind: Option<FeedKind>,
    /// The entity's id (a UUID, or a taxonomy addition's `seq`).
    pub entity_id: String,
}

impl FeedRow {
    /// The cursor just at this row.
    pub fn cursor(&self) -> Cursor {
        (self.xid, self.seq)
    }
}

tokio::task_local! {
    static WRITTEN: Cell<Option<u64>>;
}

/// Runs `f` (a request) and returns, with its output, the position of the last write it
/// made (`None`: it wrote nothing that the feed carries).
pub async fn tracked<F: Future>(f: F) -> (F::Output, Option<u64>) {
    WRITTEN
        .scope(Cell::new(None), async move {
            let out = f.await;
            (out, WRITTEN.try_with(Cell::get).ok().flatten())
        })
        .await
}

fn note_written(position: u64) {
    let _ = WRITTEN.try_with(|c| c.set(Some(c.get().map_or(position, |p| p.max(position)))));
}

fn text_array(items: Vec<String>) -> Value {
    Value::Array(ArrayType::String, Some(Box::new(items.into_iter().map(Value::from).collect())))
}

fn parse_xid(s: &str) -> Result<u64, DbErr> {
    s.parse().map_err(|_| DbErr::Custom(format!("not a transaction id: {s}")))
}

impl Store {
    /// Appends one feed row per id in `c` (the write's transaction; `kind` is a
    /// [`FeedKind`]'s name, which for records is [`super::Resource::NAME`]) and wakes the readers
    /// at commit. Records the write's position for [`tracked`] and as this process's own.
    pub(crate) async fn feed_append<C: ConnectionTrait>(
        &self,
        c: &C,
        kind: &str,
        op: &str,
        ids: Vec<String>,
    ) -> Result<(), DbErr> {
        if ids.is_empty() {
            return Ok(());
        }
        if c.get_database_backend() != DbBackend::Postgres || cfg!(feature = "unfed") {
            note_written(self.feed.local.fetch_add(1, Ordering::Relaxed) + 1);
            return Ok(());
        }
        let sql = "WITH i AS (INSERT INTO change_feed (kind, entity_id, op) \
                   SELECT $1, e, $3 FROM unnest($2::text[]) AS e RETURNING 1) \
                   SELECT pg_current_xact_id()::text AS xid, pg_notify($4, '') IS NULL AS woken, \
                   (SELECT count(*) FROM i) AS n";
        let values = [Value::from(kind), text_array(ids), Value::from(op), Value::from(FEED_CHANNEL)];
        let row = c
            .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
            .await?
            .ok_or_else(|| DbErr::Custom("the change feed append returned nothing".into()))?;
        let xid = parse_xid(&row.try_get::<String>("", "xid")?)?;
        if let Ok(mut own) = self.feed.own.lock() {
            own.insert(xid);
        }
        note_written(xid);
        Ok(())
    }

    /// Drops the feed's earlier rows about `id` (an erasure, in its transaction, after its
    /// own `delete` row was appended): a replica that has not read them yet would only re-read
    /// a record that is gone, so the `delete` row alone keeps every replica right, and it
    /// leaves with the feed's retention.
    pub(crate) async fn feed_forget<C: ConnectionTrait>(&self, c: &C, kind: &str, id: Uuid) -> Result<(), DbErr> {
        if c.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let sql = "DELETE FROM change_feed WHERE kind = $1 AND entity_id = $2 AND op <> 'delete'";
        let values = [Value::from(kind), Value::from(id.to_string())];
        c.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values)).await?;
        Ok(())
    }

    /// Whether this process wrote transaction `xid` (and so applied it before answering).
    pub fn feed_is_own(&self, xid: u64) -> bool {
        self.feed.own.lock().is_ok_and(|own| own.contains(&xid))
    }

    /// Forgets this process's transactions below `horizon` (the reader has passed them).
    pub fn feed_forget_own_below(&self, horizon: u64) {
        if let Ok(mut own) = self.feed.own.lock() {
            *own = own.split_off(&horizon);
        }
    }

    /// The last local position (SQLite).
    pub fn feed_local_position(&self) -> u64 {
        self.feed.local.load(Ordering::Relaxed)
    }

    /// The feed's horizon now (`xmin` of a fresh snapshot: every transaction below it has
    /// finished) and the highest cursor pruned so far.
    pub async fn feed_horizon(&self) -> Result<(u64, Option<Cursor>), StoreError> {
        let sql = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, \
                   (SELECT xid::text FROM change_feed_pruned WHERE id = 1) AS pruned_xid, \
                   (SELECT seq FROM change_feed_pruned WHERE id = 1) AS pruned_seq";
        let row = self
            .conn()
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?
            .ok_or_else(|| DbErr::Custom("no horizon".into()))?;
        let horizon = parse_xid(&row.try_get::<String>("", "horizon")?)?;
        let pruned =
            match (row.try_get::<Option<String>>("", "pruned_xid")?, row.try_get::<Option<i64>>("", "pruned_seq")?) {
                (Some(x), Some(s)) => Some((parse_xid(&x)?, s)),
                _ => None,
            };
        Ok((horizon, pruned))
    }

    /// Up to `limit` feed rows after `after` written by transactions below `horizon`, in
    /// `(xid, seq)` order.
    pub async fn feed_read(&self, after: Cursor, horizon: u64, limit: u64) -> Result<Vec<FeedRow>, StoreError> {
        let sql = "SELECT xid::text AS xid, seq, kind, entity_id FROM change_feed \
                   WHERE (xid, seq) > ($1::text::xid8, $2) AND xid < $3::text::xid8 \
                   ORDER BY xid, seq LIMIT $4";
        let values = [
            Value::from(after.0.to_string()),
            Value::from(after.1),
            Value::from(horizon.to_string()),
            Value::from(limit as i64),
        ];
        let rows = self.conn().query_all_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values)).await?;
        rows.into_iter()
            .map(|r| {
                Ok(FeedRow {
                    xid: parse_xid(&r.try_get::<String>("", "xid")?)?,
                    seq: r.try_get("", "seq")?,
                    kind: FeedKind::parse(&r.try_get::<String>("", "kind")?),
                    entity_id: r.try_get("", "entity_id")?,
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()
            .map_err(Into::into)
    }

    /// Deletes the feed rows written before `before` by finished transactions and records
    /// the highest cursor deleted, so a reader behind it reloads in full. One replica at a
    /// time (an advisory lock; the others skip); deleting by age is idempotent anyway.
    /// Returns how many rows went.
    pub async fn feed_prune(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        use sea_orm::TransactionTrait;
        let txn = self.conn().begin().await?;
        let lock = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema())) AS got",
            [Value::from(PRUNE_LOCK)],
        );
        let got = txn.query_one_raw(lock).await?.map(|r| r.try_get::<bool>("", "got")).transpose()?;
        if got != Some(true) {
            txn.rollback().await?;
            return Ok(0);
        }
        let sql = "WITH d AS (DELETE FROM change_feed WHERE at < $1 \
                   AND xid < pg_snapshot_xmin(pg_current_snapshot()) RETURNING xid, seq), \
                   top AS (SELECT xid, seq FROM d ORDER BY xid DESC, seq DESC LIMIT 1), \
                   up AS (INSERT INTO change_feed_pruned (id, xid, seq) SELECT 1, xid, seq FROM top \
                   ON CONFLICT (id) DO UPDATE SET xid = excluded.xid, seq = excluded.seq \
                   WHERE (change_feed_pruned.xid, change_feed_pruned.seq) < (excluded.xid, excluded.seq) RETURNING 1) \
                   SELECT (SELECT count(*) FROM d) AS n";
        let row =
            txn.query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [Value::from(before)])).await?;
        let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
        txn.commit().await?;
        Ok(n.max(0) as u64)
    }
}

/// A connection that `LISTEN`s on [`FEED_CHANNEL`] (PostgreSQL, on the primary: a standby
/// refuses `LISTEN`). It reconnects by itself after the connection is lost; notifications
/// sent meanwhile are lost, which [`Wake::Reconnected`] tells the reader so it catches up.
pub struct FeedListener(Option<sea_orm::sqlx::postgres::PgListener>);

impl Drop for FeedListener {
    /// sqlx hands the connection back to its pool on a task of its own, which panics outside
    /// a Tokio runtime (a runtime shutting down drops its tasks there, e.g. at the end of a
    /// test): then a short-lived runtime on a thread of its own takes the drop, and the
    /// connection is closed with its pool.
    fn drop(&mut self) {
        let Some(l) = self.0.take() else { return };
        if tokio::runtime::Handle::try_current().is_ok() {
            return;
        }
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                drop(l);
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            });
        });
    }
}

/// Why [`FeedListener::wait`] returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// A transaction that appended to the feed committed.
    Notified,
    /// The connection was lost and will be re-established: notifications may be lost.
    Reconnected,
    /// Nothing came within the time allowed.
    Timeout,
    /// Listening failed (the database is unreachable); the next wait tries again.
    Failed(String),
}

impl FeedListener {
    /// Waits up to `timeout` for a wake-up.
    pub async fn wait(&mut self, timeout: std::time::Duration) -> Wake {
        let Some(l) = self.0.as_mut() else { return Wake::Failed("the listener is closed".into()) };
        match tokio::time::timeout(timeout, l.try_recv()).await {
            Err(_) => Wake::Timeout,
            Ok(Ok(Some(_))) => Wake::Notified,
            Ok(Ok(None)) => Wake::Reconnected,
            Ok(Err(e)) => Wake::Failed(e.to_string()),
        }
    }
}

impl Store {
    /// A listener on the feed's channel (`None` on SQLite, which has no feed).
    pub async fn feed_listen(&self) -> Result<Option<FeedListener>, StoreError> {
        if self.conn().get_database_backend() != DbBackend::Postgres {
            return Ok(None);
        }
        // A connection of its own, outside the pool the requests use.
        let options = self.conn().get_postgres_connection_pool().connect_options();
        let failed = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("cannot LISTEN on the change feed: {e}"));
        let own = sea_orm::sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_lazy_with((*options).clone());
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(&own).await.map_err(failed)?;
        listener.listen(FEED_CHANNEL).await.map_err(failed)?;
        Ok(Some(FeedListener(Some(listener))))
    }

    /// Whether this store has a change feed (PostgreSQL).
    pub fn has_feed(&self) -> bool {
        self.conn().get_database_backend() == DbBackend::Postgres
    }
}
