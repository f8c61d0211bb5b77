//! What a stored resource is, to the shared life cycle: its [`Record`] (metadata and
//! validated content), the [`Resource`] trait consultants and assignments implement, what a
//! write did ([`Written`]) and what it may expect ([`Expect`]), the outbox hook ([`Events`]),
//! list filters, and the diff of a write against the stored row. The life cycle itself
//! (`lifecycle.rs`) and the deletion log (`deletions.rs`) build on this file, not on each other.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, TryIntoModel};
use uuid::Uuid;

use super::webhooks::OutboxEvent;
use super::{Meta, StoreError};
use crate::domain::SourceRef;

/// A stored resource: its metadata and its validated content.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<T> {
    /// Id, version, timestamps.
    pub meta: Meta,
    /// The content as last written.
    pub data: T,
}

/// One page of a list, in id order.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The records on this page.
    pub items: Vec<Record<T>>,
    /// The id to continue after, when there are more.
    pub next_after: Option<Uuid>,
}

/// What a write did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A new record.
    Created,
    /// An existing record changed.
    Updated,
    /// An existing record already held exactly this content: nothing was written, so its
    /// version and `updated_at` stay, and no event is raised (an ATS re-pushing a full sync
    /// does not mark every record changed).
    Unchanged,
}

/// What an upsert by ATS id requires of the record it finds (the request's `If-Match` and
/// `If-None-Match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expect {
    /// Nothing: create or replace.
    #[default]
    Any,
    /// A record at this version (`If-Match: "3"`); none: [`StoreError::NotFound`].
    Version(i64),
    /// A record at any version (`If-Match: *`): replace only; none: [`StoreError::NotFound`].
    Exists,
    /// No record (`If-None-Match: *`): create only; one: [`StoreError::Exists`].
    Absent,
}

/// A committed change, as the outbox hears of it.
pub enum Change<'a, T> {
    /// A record was created or updated.
    Written(&'a Record<T>, Written),
    /// A record was deleted.
    Deleted(Uuid),
}

/// Builds the outbox event for a change (`None`: nobody listens). The store calls it inside
/// the write's transaction and stores the event there, so an acknowledged change and its
/// event are committed together or not at all.
pub type Events<'a, T> = &'a (dyn Fn(Change<'_, T>) -> Option<OutboxEvent> + Sync);

/// For writes that raise no events (tests, re-resolution of derived data).
pub fn no_events<T>(_: Change<'_, T>) -> Option<OutboxEvent> {
    None
}

/// A resource's main row as read from the database.
pub type Model<R> = <<R as Resource>::Entity as EntityTrait>::Model;
type Active<R> = <R as Resource>::Active;
type Column<R> = <<R as Resource>::Entity as EntityTrait>::Column;

/// What a list keeps: every condition given holds for each record listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Last changed before this time (who retention erases next).
    pub updated_before: Option<DateTime<Utc>>,
    /// From this ATS (the record's `source`).
    pub source: Option<String>,
    /// In one of these life-cycle states (wire names); for resources with a status.
    pub statuses: Option<Vec<String>>,
}

/// What a table-backed resource tells the shared life cycle.
pub trait Resource {
    /// Singular name of the kind, as recorded in the `deletions` table: `consultant`.
    const NAME: &'static str;
    /// The main table.
    type Entity: EntityTrait<ActiveModel = Self::Active, Model: PartialEq>;
    /// Its active model.
    type Active: ActiveModelTrait<Entity = Self::Entity> + TryIntoModel<Model<Self>> + Send;
    /// The validated content.
    type Input: Clone + Send + Sync;
    /// The id column.
    fn col_id() -> Column<Self>;
    /// The `version` column.
    fn col_version() -> Column<Self>;
    /// The `source` column.
    fn col_source() -> Column<Self>;
    /// The `external_id` column.
    fn col_external_id() -> Column<Self>;
    /// The `created_at` column.
    fn col_created_at() -> Column<Self>;
    /// The `updated_at` column.
    fn col_updated_at() -> Column<Self>;
    /// The life-cycle `status` column, where the resource has one.
    fn col_status() -> Option<Column<Self>> {
        None
    }
    /// The ATS reference inside an input.
    fn source_of(input: &Self::Input) -> Option<&SourceRef>;
    /// Sets the ATS reference of an input.
    fn set_source(input: &mut Self::Input, source: SourceRef);
    /// The main row for `input`.
    fn to_active(meta: &Meta, input: &Self::Input) -> Active<Self>;
    /// Reads a main row back.
    fn from_model(model: Model<Self>) -> Result<Record<Self::Input>, StoreError>;
    /// The metadata of a main row.
    fn meta_of(model: &Model<Self>) -> Meta;
    /// The ATS reference of a main row (`None` when it has none).
    fn source_of_row(model: &Model<Self>) -> Option<SourceRef>;
    /// Whether two main rows imply the same child rows (the main row's JSON columns hold
    /// what its skill and language rows do), so an update may keep them.
    fn same_children(old: &Model<Self>, new: &Model<Self>) -> bool;
    /// Deletes the child rows (skills, languages) of the records `ids`.
    fn delete_children(txn: &DatabaseTransaction, ids: &[Uuid]) -> impl Future<Output = Result<(), DbErr>> + Send;
    /// Inserts the child rows of every `(id, input)` in multi-row statements (the records
    /// have none yet).
    fn insert_children(
        txn: &DatabaseTransaction,
        items: &[(Uuid, &Self::Input)],
    ) -> impl Future<Output = Result<(), DbErr>> + Send;
}

/// Replaces the child rows of `id`; `fresh` when the record was just inserted, so there is
/// nothing to delete first.
pub(super) async fn write_children<R: Resource>(
    txn: &DatabaseTransaction,
    id: Uuid,
    input: &R::Input,
    fresh: bool,
) -> Result<(), DbErr> {
    if !fresh {
        R::delete_children(txn, &[id]).await?;
    }
    R::insert_children(txn, &[(id, input)]).await
}

/// Now, to the microsecond: what both SQLite and PostgreSQL keep, so the time answered
/// on a write is the time read back later.
pub(super) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// What writing some content over a stored row would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Diff {
    /// The very row again: the write is skipped ([`Written::Unchanged`]).
    Nothing,
    /// The main row, not what its child rows hold ([`Resource::same_children`]).
    MainRow,
    /// The main row and its child rows.
    ChildRows,
}

/// What writing `input` over the stored row `current` would change. The stored forms are
/// compared, not the inputs, so what the database normalises (an empty location, say)
/// counts as the same.
pub(super) fn diff<R: Resource>(current: &Model<R>, input: &R::Input) -> Diff {
    match R::to_active(&R::meta_of(current), input).try_into_model() {
        Ok(row) if row == *current => Diff::Nothing,
        Ok(row) if R::same_children(current, &row) => Diff::MainRow,
        _ => Diff::ChildRows,
    }
}
