//! Multi-row statements for batch writes: inserts, upserts by id, deletes and look-ups
//! split into chunks that stay under the backend's limit on bind parameters.
//!
//! Chunks hold a power-of-two number of rows (a full chunk, then the binary digits of the
//! rest), so a statement's text repeats from batch to batch and the driver's cache of
//! prepared statements keeps reusing a handful of shapes instead of preparing a new one for
//! every row count.

use std::collections::HashSet;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable,
    QueryFilter, QueryTrait,
};
use uuid::Uuid;

/// The most bind parameters one statement may carry: PostgreSQL's wire protocol counts
/// them in 16 bits; SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` is 32766 since 3.32.
pub(crate) fn max_params(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    }
}

/// The largest power of two `p` with `p * per_row <= max`, at least 1.
pub(crate) fn rows_per_statement(max: usize, per_row: usize) -> usize {
    let fit = (max / per_row.max(1)).max(1);
    1 << fit.ilog2()
}

/// Splits `n` rows into statement sizes: full chunks of `full` rows (a power of two), then
/// the rest by its binary digits, largest first.
pub(crate) fn chunk_sizes(n: usize, full: usize) -> Vec<usize> {
    let mut sizes = vec![full; n / full];
    let rest = n % full;
    let mut bit = full;
    while bit > 0 {
        if rest & bit != 0 {
            sizes.push(bit);
        }
        bit >>= 1;
    }
    sizes
}

/// Calls `f` on consecutive pieces of `items`, sized by [`chunk_sizes`] for `per_row`
/// parameters per item (plus `fixed` parameters per statement).
pub(crate) fn pieces<T>(backend: DbBackend, items: &[T], per_row: usize, fixed: usize) -> Vec<&[T]> {
    let full = rows_per_statement(max_params(backend) - fixed, per_row);
    let mut rest = items;
    let mut out = Vec::new();
    for size in chunk_sizes(items.len(), full) {
        let (head, tail) = rest.split_at(size);
        out.push(head);
        rest = tail;
    }
    out
}

fn columns<E: EntityTrait>() -> usize {
    <E::Column as Iterable>::iter().count()
}

fn take_pieces<A>(backend: DbBackend, rows: Vec<A>, per_row: usize) -> Vec<Vec<A>> {
    let full = rows_per_statement(max_params(backend), per_row);
    let mut it = rows.into_iter();
    let sizes = chunk_sizes(it.len(), full);
    sizes.into_iter().map(|n| it.by_ref().take(n).collect()).collect()
}

/// Inserts `rows` in multi-row statements.
pub(crate) async fn insert<E: EntityTrait>(txn: &DatabaseTransaction, rows: Vec<E::ActiveModel>) -> Result<(), DbErr> {
    for chunk in take_pieces(txn.get_database_backend(), rows, columns::<E>()) {
        E::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Inserts `rows` whose `id` and unique keys are free, skipping (not failing on) any row
/// that collides with a row already stored, e.g. by a concurrent transaction on PostgreSQL
/// (`ON CONFLICT DO NOTHING`). Returns the ids of the rows inserted.
pub(crate) async fn insert_new<E: EntityTrait>(
    txn: &DatabaseTransaction,
    rows: Vec<E::ActiveModel>,
    id: E::Column,
) -> Result<HashSet<Uuid>, DbErr> {
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in take_pieces(txn.get_database_backend(), rows, columns::<E>()) {
        let mut q = E::insert_many(chunk);
        q.query().on_conflict(OnConflict::new().do_nothing().to_owned()).returning_col(id);
        for row in txn.query_all(q.as_query()).await? {
            inserted.insert(row.try_get::<Uuid>("", id.as_str())?);
        }
    }
    Ok(inserted)
}

/// Overwrites existing rows, matched by `id`, with `rows` (every other column is replaced).
pub(crate) async fn update_by_id<E: EntityTrait>(
    txn: &DatabaseTransaction,
    rows: Vec<E::ActiveModel>,
    id: E::Column,
) -> Result<(), DbErr> {
    let others: Vec<E::Column> = <E::Column as Iterable>::iter().filter(|c| c.as_str() != id.as_str()).collect();
    for chunk in take_pieces(txn.get_database_backend(), rows, columns::<E>()) {
        E::insert_many(chunk)
            .on_conflict(OnConflict::column(id).update_columns(others.iter().copied()).to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Deletes the rows whose `col` is one of `ids`.
pub(crate) async fn delete_in<E: EntityTrait>(
    txn: &DatabaseTransaction,
    col: E::Column,
    ids: &[Uuid],
) -> Result<(), DbErr> {
    for chunk in pieces(txn.get_database_backend(), ids, 1, 0) {
        E::delete_many().filter(col.is_in(chunk.iter().copied())).exec(txn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_sizes_are_powers_of_two_under_the_limit() {
        assert_eq!(rows_per_statement(32_766, 19), 1024);
        assert_eq!(rows_per_statement(65_535, 19), 2048);
        assert_eq!(rows_per_statement(32_766, 7), 4096);
        assert_eq!(rows_per_statement(10, 100), 1);
        for (n, full) in [(0, 8), (1, 8), (7, 8), (8, 8), (1000, 1024), (15_023, 4096), (9, 1)] {
            let sizes = chunk_sizes(n, full);
            assert_eq!(sizes.iter().sum::<usize>(), n, "{n} rows in {sizes:?}");
            assert!(sizes.iter().all(|s| s.is_power_of_two() && *s <= full), "{sizes:?}");
            assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {sizes:?}");
        }
        assert_eq!(chunk_sizes(1000, 1024), [512, 256, 128, 64, 32, 8]);
    }

    #[test]
    fn pieces_cover_every_item_once_in_order() {
        let items: Vec<u32> = (0..70_000).collect();
        let parts = pieces(DbBackend::Sqlite, &items, 1, 1);
        assert!(parts.iter().all(|p| p.len() < 32_766));
        assert_eq!(parts.concat(), items);
        assert!(pieces::<u32>(DbBackend::Postgres, &[], 1, 0).is_empty());
    }
}
