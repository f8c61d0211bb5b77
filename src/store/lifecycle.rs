//! The life cycle every stored resource shares (create, read, list, replace, upsert by
//! ATS id, delete, batch), written once over the [`Resource`] trait that consultants and
//! assignments implement (`resource.rs`).

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::resource::{
    Change, Diff, Events, Expect, ListFilter, Model, Page, Record, Resource, Written, diff, now, write_children,
};
use super::webhooks::insert_outbox;
use super::{Meta, Store, StoreError};
use crate::domain::SourceRef;

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl Store {
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let opts = match self.conn().get_database_backend() {
            DbBackend::Sqlite => TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            },
            _ => TransactionOptions::default(),
        };
        self.conn().begin_with_options(opts).await
    }

    async fn find_row<R: Resource, C: ConnectionTrait>(
        &self,
        c: &C,
        filter: sea_orm::Condition,
    ) -> Result<Option<Model<R>>, DbErr> {
        let mut q = R::Entity::find().filter(filter);
        if self.conn().get_database_backend() == DbBackend::Postgres {
            q = q.lock_exclusive();
        }
        q.one(c).await
    }

    async fn holder_of<R: Resource, C: ConnectionTrait>(&self, c: &C, s: &SourceRef) -> Result<Option<Uuid>, DbErr> {
        let row = R::Entity::find()
            .filter(R::col_source().eq(s.source.clone()))
            .filter(R::col_external_id().eq(s.external_id.clone()))
            .one(c)
            .await?;
        Ok(row.map(|m| R::meta_of(&m).id))
    }

    /// Inserts a new record. `checked`: the caller has just looked the ATS reference up in
    /// this transaction and found no holder, so the look-up is not repeated.
    pub(super) async fn insert_in<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        input: &R::Input,
        checked: bool,
    ) -> Result<Record<R::Input>, StoreError> {
        // Look first: after a failed INSERT, PostgreSQL refuses further queries in the transaction.
        if !checked
            && let Some(s) = R::source_of(input)
            && let Some(existing) = self.holder_of::<R, _>(txn, s).await?
        {
            return Err(StoreError::Duplicate { existing: Some(existing) });
        }
        let now = now();
        let meta = Meta { id: Uuid::now_v7(), version: 1, created_at: now, updated_at: now };
        let insert = R::Entity::insert(R::to_active(&meta, input)).exec_without_returning(txn).await;
        if let Err(e) = insert {
            return Err(if is_unique_violation(&e) { StoreError::Duplicate { existing: None } } else { e.into() });
        }
        write_children::<R>(txn, meta.id, input, true).await?;
        Ok(Record { meta, data: input.clone() })
    }

    /// Replaces the content of the stored row `current` with `input`, unless it holds that
    /// content already ([`Written::Unchanged`]: nothing is written).
    async fn update_in<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        current: &Model<R>,
        input: &R::Input,
        if_match: Option<i64>,
    ) -> Result<(Record<R::Input>, Written), StoreError> {
        let old = R::meta_of(current);
        if let Some(expected) = if_match
            && expected != old.version
        {
            return Err(StoreError::VersionMismatch { current: old.version });
        }
        let diff = diff::<R>(current, input);
        if diff == Diff::Nothing {
            return Ok((Record { meta: old, data: input.clone() }, Written::Unchanged));
        }
        if let Some(s) = R::source_of(input)
            && let Some(holder) = self.holder_of::<R, _>(txn, s).await?
            && holder != old.id
        {
            return Err(StoreError::Duplicate { existing: Some(holder) });
        }
        let meta = Meta { id: old.id, version: old.version + 1, created_at: old.created_at, updated_at: now() };
        R::Entity::update_many().set(R::to_active(&meta, input)).filter(R::col_id().eq(old.id)).exec(txn).await?;
        if diff == Diff::ChildRows {
            write_children::<R>(txn, meta.id, input, false).await?;
        }
        Ok((Record { meta, data: input.clone() }, Written::Updated))
    }

    /// Stores a new record.
    pub async fn create<R: Resource>(
        &self,
        input: &R::Input,
        events: Events<'_, R::Input>,
    ) -> Result<Record<R::Input>, StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let rec = self.insert_in::<R>(&txn, input, false).await?;
        if let Some(e) = events(Change::Written(&rec, Written::Created)) {
            insert_outbox(&txn, &e).await?;
        }
        self.feed_append(&txn, R::NAME, "write", vec![rec.meta.id.to_string()]).await?;
        txn.commit().await?;
        Ok(rec)
    }

    /// Reads a record by id.
    pub async fn get<R: Resource>(&self, id: Uuid) -> Result<Record<R::Input>, StoreError> {
        let row = R::Entity::find().filter(R::col_id().eq(id)).one(self.conn()).await?;
        row.map(R::from_model).unwrap_or(Err(StoreError::NotFound))
    }

    /// Reads a record by its ATS reference.
    pub async fn get_by_source<R: Resource>(&self, s: &SourceRef) -> Result<Record<R::Input>, StoreError> {
        let row = R::Entity::find()
            .filter(R::col_source().eq(s.source.clone()))
            .filter(R::col_external_id().eq(s.external_id.clone()))
            .one(self.conn())
            .await?;
        row.map(R::from_model).unwrap_or(Err(StoreError::NotFound))
    }

    /// Lists records in id order, after `after`.
    pub async fn list<R: Resource>(&self, after: Option<Uuid>, limit: u64) -> Result<Page<R::Input>, StoreError> {
        self.list_filtered::<R>(after, limit, &ListFilter::default()).await
    }

    /// Lists records in id order, after `after`, that pass `filter`. The order (and so the
    /// cursor) stays the id order; the filter only drops rows.
    pub async fn list_filtered<R: Resource>(
        &self,
        after: Option<Uuid>,
        limit: u64,
        filter: &ListFilter,
    ) -> Result<Page<R::Input>, StoreError> {
        let (rows, next_after) = self.rows_after::<R>(after, limit, filter).await?;
        let items = rows.into_iter().map(R::from_model).collect::<Result<Vec<_>, _>>()?;
        Ok(Page { items, next_after })
    }

    /// Up to `limit` main rows in id order after `after` that pass `filter`, not decoded, and
    /// the id to continue after when there are more.
    async fn rows_after<R: Resource>(
        &self,
        after: Option<Uuid>,
        limit: u64,
        filter: &ListFilter,
    ) -> Result<(Vec<Model<R>>, Option<Uuid>), StoreError> {
        let mut q = R::Entity::find().order_by_asc(R::col_id()).limit(limit + 1);
        if let Some(a) = after {
            q = q.filter(R::col_id().gt(a));
        }
        if let Some(t) = filter.updated_since {
            q = q.filter(R::col_updated_at().gte(t));
        }
        if let Some(t) = filter.updated_before {
            q = q.filter(R::col_updated_at().lt(t));
        }
        if let Some(source) = &filter.source {
            q = q.filter(R::col_source().eq(source.as_str()));
        }
        if let (Some(statuses), Some(col)) = (&filter.statuses, R::col_status()) {
            q = q.filter(col.is_in(statuses.iter().map(String::as_str)));
        }
        let mut rows = q.all(self.conn()).await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_after = if more { rows.last().map(|m| R::meta_of(m).id) } else { None };
        Ok((rows, next_after))
    }

    /// Replaces the content of record `id`; with `if_match`, only if it is at that version.
    /// The same content again is [`Written::Unchanged`].
    pub async fn replace<R: Resource>(
        &self,
        id: Uuid,
        input: &R::Input,
        if_match: Option<i64>,
        events: Events<'_, R::Input>,
    ) -> Result<(Record<R::Input>, Written), StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let current = self
            .find_row::<R, _>(&txn, sea_orm::Condition::all().add(R::col_id().eq(id)))
            .await?
            .ok_or(StoreError::NotFound)?;
        let (rec, written) = self.update_in::<R>(&txn, &current, input, if_match).await?;
        if written != Written::Unchanged {
            if let Some(e) = events(Change::Written(&rec, written)) {
                insert_outbox(&txn, &e).await?;
            }
            self.feed_append(&txn, R::NAME, "write", vec![rec.meta.id.to_string()]).await?;
        }
        txn.commit().await?;
        Ok((rec, written))
    }

    pub(super) async fn upsert_in<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        input: &R::Input,
        s: &SourceRef,
        expect: Expect,
    ) -> Result<(Record<R::Input>, Written), StoreError> {
        let cond = sea_orm::Condition::all()
            .add(R::col_source().eq(s.source.clone()))
            .add(R::col_external_id().eq(s.external_id.clone()));
        match (self.find_row::<R, _>(txn, cond).await?, expect) {
            (Some(current), Expect::Absent) => Err(StoreError::Exists { current: R::meta_of(&current).version }),
            (Some(current), Expect::Version(v)) => self.update_in::<R>(txn, &current, input, Some(v)).await,
            (Some(current), Expect::Any | Expect::Exists) => self.update_in::<R>(txn, &current, input, None).await,
            (None, Expect::Version(_) | Expect::Exists) => Err(StoreError::NotFound),
            (None, Expect::Any | Expect::Absent) => {
                Ok((self.insert_in::<R>(txn, input, true).await?, Written::Created))
            }
        }
    }

    /// Creates or replaces the record the ATS knows as `s` (idempotent: the same body twice
    /// leaves one record, at the version the first one gave it), if it is as `expect` says.
    pub async fn upsert<R: Resource>(
        &self,
        s: &SourceRef,
        mut input: R::Input,
        expect: Expect,
        events: Events<'_, R::Input>,
    ) -> Result<(Record<R::Input>, Written), StoreError> {
        R::set_source(&mut input, s.clone());
        let _guard = self.write_guard().await;
        // Two concurrent first upserts of one id race to insert; the loser retries as an update.
        for attempt in 0..2 {
            let txn = self.begin_write().await?;
            match self.upsert_in::<R>(&txn, &input, s, expect).await {
                Ok(done) => {
                    if done.1 != Written::Unchanged {
                        if let Some(e) = events(Change::Written(&done.0, done.1)) {
                            insert_outbox(&txn, &e).await?;
                        }
                        self.feed_append(&txn, R::NAME, "write", vec![done.0.meta.id.to_string()]).await?;
                    }
                    txn.commit().await?;
                    return Ok(done);
                }
                Err(StoreError::Duplicate { .. }) if attempt == 0 => txn.rollback().await?,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Duplicate { existing: None })
    }

    /// Deletes record `id`; with `if_match`, only if it is at that version.
    pub async fn delete<R: Resource>(
        &self,
        id: Uuid,
        if_match: Option<i64>,
        events: Events<'_, R::Input>,
    ) -> Result<(), StoreError> {
        self.delete_where::<R>(sea_orm::Condition::all().add(R::col_id().eq(id)), if_match, events).await.map(|_| ())
    }

    /// Deletes the record the ATS knows as `s`, returning its id.
    pub async fn delete_by_source<R: Resource>(
        &self,
        s: &SourceRef,
        if_match: Option<i64>,
        events: Events<'_, R::Input>,
    ) -> Result<Uuid, StoreError> {
        let cond = sea_orm::Condition::all()
            .add(R::col_source().eq(s.source.clone()))
            .add(R::col_external_id().eq(s.external_id.clone()));
        self.delete_where::<R>(cond, if_match, events).await
    }

    async fn delete_where<R: Resource>(
        &self,
        cond: sea_orm::Condition,
        if_match: Option<i64>,
        events: Events<'_, R::Input>,
    ) -> Result<Uuid, StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        let id = self.delete_in::<R>(&txn, cond, if_match, events, false).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Deletes the record matching `cond` inside `txn` (the one delete path, which an
    /// erasure takes too): its main row, its child rows, the deletion record (without its ATS
    /// reference when `forget_source`: an erasure keeps only the id sync needs) and its
    /// outbox event. Returns its id.
    pub(super) async fn delete_in<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        cond: sea_orm::Condition,
        if_match: Option<i64>,
        events: Events<'_, R::Input>,
        forget_source: bool,
    ) -> Result<Uuid, StoreError> {
        let current = self.find_row::<R, _>(txn, cond).await?.ok_or(StoreError::NotFound)?;
        let meta = R::meta_of(&current);
        if let Some(expected) = if_match
            && expected != meta.version
        {
            return Err(StoreError::VersionMismatch { current: meta.version });
        }
        // The main row first: its row lock waits for a concurrent writer of this record,
        // whose child rows the next statement then sees. The child rows go explicitly, as
        // PostgreSQL has no foreign key to cascade (migration 13); on SQLite the cascade
        // finds nothing left.
        R::Entity::delete_many().filter(R::col_id().eq(meta.id)).exec(txn).await?;
        R::delete_children(txn, &[meta.id]).await?;
        // In the same transaction: an acknowledged delete is always listed as deleted.
        let source = if forget_source { None } else { R::source_of_row(&current) };
        super::deletions::record::<R>(txn, meta.id, source, now()).await?;
        if let Some(e) = events(Change::Deleted(meta.id)) {
            insert_outbox(txn, &e).await?;
        }
        // The change feed: other replicas drop her from their index (an erasure too).
        self.feed_append(txn, R::NAME, "delete", vec![meta.id.to_string()]).await?;
        Ok(meta.id)
    }

    /// Calls `f` with every main row in id order, `chunk` rows at a time, not decoded: a
    /// caller that decodes them ([`Resource::from_model`]) on another thread lets the next page
    /// be read meanwhile. Stops early when `f` returns false. Returns the number of rows read.
    pub async fn for_each_row_page<R: Resource>(
        &self,
        chunk: u64,
        mut f: impl AsyncFnMut(Vec<Model<R>>) -> bool,
    ) -> Result<usize, StoreError> {
        let mut after = None;
        let mut n = 0;
        loop {
            let (rows, next_after) = self.rows_after::<R>(after, chunk, &ListFilter::default()).await?;
            n += rows.len();
            if !f(rows).await || next_after.is_none() {
                return Ok(n);
            }
            after = next_after;
        }
    }

    /// Hands every record to `f` in id order, a page of up to `chunk` at a time (for
    /// building the match index), decoded ([`Store::for_each_row_page`] leaves that to the
    /// caller). Returns how many records there were; a row that does not decode stops it.
    pub async fn for_each_page<R: Resource>(
        &self,
        chunk: u64,
        mut f: impl AsyncFnMut(Vec<Record<R::Input>>),
    ) -> Result<usize, StoreError> {
        let mut failed = None;
        let n = self
            .for_each_row_page::<R>(chunk, async |rows| {
                match rows.into_iter().map(R::from_model).collect::<Result<Vec<_>, _>>() {
                    Ok(page) => {
                        f(page).await;
                        true
                    }
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            })
            .await?;
        failed.map_or(Ok(n), Err)
    }

    /// The records of `ids` that exist now (a deleted one is simply absent).
    pub async fn records_by_ids<R: Resource>(&self, ids: &[Uuid]) -> Result<Vec<Record<R::Input>>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows = R::Entity::find().filter(R::col_id().is_in(chunk.iter().copied())).all(self.conn()).await?;
            for row in rows {
                out.push(R::from_model(row)?);
            }
        }
        Ok(out)
    }
}
