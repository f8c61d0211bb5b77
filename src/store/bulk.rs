//! Multi-row statements for batch writes: inserts, upserts by id, deletes and look-ups.
//! Inserts on PostgreSQL are one statement of one array per column ([`Rows`]); the rest is
//! split into chunks that stay under the backend's limit on bind parameters.
//!
//! Chunks hold a power-of-two number of rows (a full chunk, then the binary digits of the
//! rest), so a statement's text repeats from batch to batch and the driver's cache of
//! prepared statements keeps reusing a handful of shapes instead of preparing a new one for
//! every row count.

use std::collections::HashSet;

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::ArrayType;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    IdenStatic, Iterable, QueryFilter, Statement, Value,
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

/// A multi-row `INSERT` built as text with its values in one vector, without the
/// per-value expression trees of the query builder (which cost more than the database's
/// own work for child rows).
///
/// On PostgreSQL the rows travel as one typed array per column, in binary, expanded by
/// `unnest`: one short statement per batch instead of a `VALUES` list of up to 65,535
/// parameters, which the server parses, plans and binds value by value (the batch load spent
/// most of its time there). Arrays cannot hold NULL through the driver, so a nullable column
/// also sends a mask, and its NULLs travel as a stand-in the mask sets back to NULL. SQLite
/// keeps the `VALUES` lists: they are its fastest path, and it has no arrays.
struct Rows<E: EntityTrait> {
    columns: Vec<E::Column>,
    models: Vec<E::ActiveModel>,
}

fn take<E: EntityTrait>(m: &mut E::ActiveModel, c: E::Column) -> Result<Value, DbErr> {
    match m.take(c) {
        ActiveValue::Set(v) | ActiveValue::Unchanged(v) => Ok(v),
        ActiveValue::NotSet => Err(DbErr::Custom(format!("bulk insert: {} is not set", c.as_str()))),
    }
}

impl<E: EntityTrait> Rows<E> {
    fn new(models: Vec<E::ActiveModel>) -> Self {
        Rows { columns: <E::Column as Iterable>::iter().collect(), models }
    }

    fn head(columns: &[E::Column]) -> String {
        let mut head = format!("INSERT INTO {} (", quote(E::default().table_name()));
        for (i, c) in columns.iter().enumerate() {
            head.push_str(if i == 0 { "" } else { ", " });
            head.push_str(&quote(c.as_str()));
        }
        head.push(')');
        head
    }

    /// The statements inserting every row, each followed by `tail` (an `ON CONFLICT …`).
    fn statements(self, backend: DbBackend, tail: &str) -> Result<Vec<Statement>, DbErr> {
        match backend {
            DbBackend::Postgres => Ok(self.array_statement(tail)?.into_iter().collect()),
            _ => self.values_statements(backend, tail),
        }
    }

    /// `INSERT … SELECT … FROM unnest($1::uuid[], $2::int2[], …)`, or none for no rows.
    fn array_statement(self, tail: &str) -> Result<Option<Statement>, DbErr> {
        let Rows { columns, models } = self;
        if models.is_empty() {
            return Ok(None);
        }
        let mut cols: Vec<Vec<Value>> = columns.iter().map(|_| Vec::with_capacity(models.len())).collect();
        for mut m in models {
            for (c, col) in columns.iter().zip(&mut cols) {
                col.push(take::<E>(&mut m, *c)?);
            }
        }
        let (mut select, mut unnest, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (c, col) in columns.iter().zip(cols) {
            let name = c.as_str();
            let first = col.first().ok_or_else(|| DbErr::Custom("bulk insert: a column without values".into()))?;
            let Some(Element { array, sql, stand_in }) = element(first) else {
                return Err(DbErr::Custom(format!("bulk insert: {name}: no array type for {first:?}")));
            };
            // The driver turns an array of another variant into a panic, not an error.
            let kind = std::mem::discriminant(first);
            if let Some(odd) = col.iter().find(|v| std::mem::discriminant(*v) != kind) {
                return Err(DbErr::Custom(format!("bulk insert: {name}: {odd:?} among {first:?}")));
            }
            let v = format!("v{}", values.len() + 1);
            unnest.push(format!("${}::{sql}", values.len() + 1));
            if c.def().is_null() {
                let mask: Vec<Value> = col.iter().map(|v| Value::Bool(Some(is_null(v)))).collect();
                let filled = col.into_iter().map(|v| if is_null(&v) { stand_in.clone() } else { v }).collect();
                values.push(Value::Array(array, Some(Box::new(filled))));
                values.push(Value::Array(ArrayType::Bool, Some(Box::new(mask))));
                unnest.push(format!("${}::bool[]", values.len()));
                select.push(format!("CASE WHEN u.v{} THEN NULL ELSE u.{v} END", values.len()));
            } else {
                if let Some(null) = col.iter().find(|v| is_null(v)) {
                    return Err(DbErr::Custom(format!("bulk insert: {name} is not nullable: {null:?}")));
                }
                values.push(Value::Array(array, Some(Box::new(col))));
                select.push(format!("u.{v}"));
            }
        }
        let names: Vec<String> = (1..=values.len()).map(|i| format!("v{i}")).collect();
        let sql = format!(
            "{} SELECT {} FROM unnest({}) AS u({}){tail}",
            Self::head(&columns),
            select.join(", "),
            unnest.join(", "),
            names.join(", ")
        );
        Ok(Some(Statement::from_sql_and_values(DbBackend::Postgres, sql, values)))
    }

    /// `INSERT … VALUES (?, …), …` in chunks under the parameter limit.
    fn values_statements(self, backend: DbBackend, tail: &str) -> Result<Vec<Statement>, DbErr> {
        let head = format!("{} VALUES ", Self::head(&self.columns));
        let Rows { columns, models } = self;
        let width = columns.len();
        let full = rows_per_statement(max_params(backend), width);
        let mut models = models.into_iter();
        let mut out = Vec::new();
        for n in chunk_sizes(models.len(), full) {
            let mut sql = String::with_capacity(head.len() + tail.len() + n * width * 8);
            sql.push_str(&head);
            let mut values = Vec::with_capacity(n * width);
            for (r, mut m) in models.by_ref().take(n).enumerate() {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for (i, c) in columns.iter().enumerate() {
                    values.push(take::<E>(&mut m, *c)?);
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    match backend {
                        DbBackend::Postgres => {
                            let _ = write!(sql, "${}", values.len());
                        }
                        _ => sql.push('?'),
                    }
                }
                sql.push(')');
            }
            sql.push_str(tail);
            out.push(Statement::from_sql_and_values(backend, sql, values));
        }
        Ok(out)
    }
}

/// A column's array element type: the driver's array type, the SQL array type, and the
/// stand-in sent for a NULL (the mask makes it NULL again).
struct Element {
    array: ArrayType,
    sql: &'static str,
    stand_in: Value,
}

/// The array element type of a column's values, from their variant (the same for every row
/// of an entity), or `None` for a type the tables do not use.
fn element(v: &Value) -> Option<Element> {
    let (array, sql, stand_in) = match v {
        Value::Bool(_) => (ArrayType::Bool, "bool[]", Value::from(false)),
        Value::SmallInt(_) => (ArrayType::SmallInt, "int2[]", Value::from(0i16)),
        Value::Int(_) => (ArrayType::Int, "int4[]", Value::from(0i32)),
        Value::BigInt(_) => (ArrayType::BigInt, "int8[]", Value::from(0i64)),
        Value::Float(_) => (ArrayType::Float, "float4[]", Value::from(0f32)),
        Value::Double(_) => (ArrayType::Double, "float8[]", Value::from(0f64)),
        Value::String(_) => (ArrayType::String, "text[]", Value::from(String::new())),
        Value::Uuid(_) => (ArrayType::Uuid, "uuid[]", Value::from(Uuid::nil())),
        Value::ChronoDate(_) => (ArrayType::ChronoDate, "date[]", Value::from(NaiveDate::default())),
        Value::ChronoDateTimeUtc(_) => {
            (ArrayType::ChronoDateTimeUtc, "timestamptz[]", Value::from(DateTime::<Utc>::UNIX_EPOCH))
        }
        _ => return None,
    };
    Some(Element { array, sql, stand_in })
}

fn is_null(v: &Value) -> bool {
    matches!(
        v,
        Value::Bool(None)
            | Value::SmallInt(None)
            | Value::Int(None)
            | Value::BigInt(None)
            | Value::Float(None)
            | Value::Double(None)
            | Value::String(None)
            | Value::Uuid(None)
            | Value::ChronoDate(None)
            | Value::ChronoDateTimeUtc(None)
    )
}

pub(crate) fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Inserts `rows` in multi-row statements.
pub(crate) async fn insert<E: EntityTrait>(txn: &DatabaseTransaction, rows: Vec<E::ActiveModel>) -> Result<(), DbErr> {
    for stmt in Rows::<E>::new(rows).statements(txn.get_database_backend(), "")? {
        txn.execute_raw(stmt).await?;
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
    let tail = format!(" ON CONFLICT DO NOTHING RETURNING {}", quote(id.as_str()));
    for stmt in Rows::<E>::new(rows).statements(txn.get_database_backend(), &tail)? {
        for row in txn.query_all_raw(stmt).await? {
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
    let set: Vec<String> = <E::Column as Iterable>::iter()
        .filter(|c| c.as_str() != id.as_str())
        .map(|c| format!("{0} = excluded.{0}", quote(c.as_str())))
        .collect();
    let tail = format!(" ON CONFLICT ({}) DO UPDATE SET {}", quote(id.as_str()), set.join(", "));
    for stmt in Rows::<E>::new(rows).statements(txn.get_database_backend(), &tail)? {
        txn.execute_raw(stmt).await?;
    }
    Ok(())
}

/// Deletes the rows whose `col` is one of `ids` (the child rows of some records, through
/// the index that leads with `col`).
///
/// On PostgreSQL: one statement with an array, planned with sequential scans disabled when
/// it names more than one record. The rows of a batch's records are always a small part of
/// a child table, but without statistics (a table never analysed: autovacuum off, or not
/// yet run after a large load) the planner takes a few hundred ids for a large share of it
/// and scans the whole table instead (measured at 100k consultants: 130–210 ms per
/// statement and ~1.1 s per 1,000-item batch of updates, against 9 ms through the primary
/// key). `SET LOCAL` keeps the setting inside this transaction; `RESET` restores it for the
/// statements after.
pub(crate) async fn delete_in<E: EntityTrait>(
    txn: &DatabaseTransaction,
    col: E::Column,
    ids: &[Uuid],
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    if backend == DbBackend::Postgres && !ids.is_empty() {
        let sql =
            format!("DELETE FROM {} WHERE {} = ANY($1::uuid[])", quote(E::default().table_name()), quote(col.as_str()));
        let many = ids.len() > 1;
        let ids = Value::Array(ArrayType::Uuid, Some(Box::new(ids.iter().map(|&id| Value::from(id)).collect())));
        if many {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await?;
        }
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, [ids])).await?;
        if many {
            txn.execute_unprepared("RESET enable_seqscan").await?;
        }
        return Ok(());
    }
    for chunk in pieces(backend, ids, 1, 0) {
        E::delete_many().filter(col.is_in(chunk.iter().copied())).exec(txn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::entities::consultant_language;

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

    fn language(code: &str) -> consultant_language::ActiveModel {
        consultant_language::ActiveModel {
            consultant_id: ActiveValue::Set(Uuid::nil()),
            code: ActiveValue::Set(code.into()),
            level: ActiveValue::Set("C1".into()),
        }
    }

    #[test]
    fn multi_row_inserts_are_written_for_each_backend() {
        let rows = || vec![language("sv"), language("en"), language("de")];
        let sqlite = Rows::<consultant_language::Entity>::new(rows()).statements(DbBackend::Sqlite, "").unwrap();
        let head = r#"INSERT INTO "consultant_languages" ("consultant_id", "code", "level") VALUES "#;
        assert_eq!(sqlite.len(), 2, "3 rows: 2 + 1");
        assert_eq!(sqlite[0].sql, format!("{head}(?, ?, ?), (?, ?, ?)"));
        assert_eq!(sqlite[1].sql, format!("{head}(?, ?, ?)"));
        assert_eq!(sqlite[1].values.as_ref().map(|v| v.0.len()), Some(3));
        let pg = Rows::<consultant_language::Entity>::new(rows()).statements(DbBackend::Postgres, " TAIL").unwrap();
        assert_eq!(pg.len(), 1, "one statement, whatever the row count");
        assert_eq!(
            pg[0].sql,
            r#"INSERT INTO "consultant_languages" ("consultant_id", "code", "level") SELECT u.v1, u.v2, u.v3 FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(v1, v2, v3) TAIL"#
        );
        assert!(
            Rows::<consultant_language::Entity>::new(vec![]).statements(DbBackend::Postgres, "").unwrap().is_empty()
        );
        let unset = consultant_language::ActiveModel { level: ActiveValue::NotSet, ..language("fi") };
        assert!(Rows::<consultant_language::Entity>::new(vec![unset]).statements(DbBackend::Sqlite, "").is_err());
    }

    /// On PostgreSQL each column is one array, in row order; a nullable column also sends a
    /// mask, its NULLs as a stand-in (arrays cannot carry NULL through the driver) that the
    /// statement turns back into NULL.
    #[test]
    fn postgres_rows_travel_as_arrays_with_null_masks() {
        use crate::store::entities::consultant_skill;
        let skill = |position: i16, years: Option<f64>| consultant_skill::ActiveModel {
            consultant_id: ActiveValue::Set(Uuid::nil()),
            position: ActiveValue::Set(position),
            name: ActiveValue::Set(format!("skill {position}")),
            years: ActiveValue::Set(years),
            level: ActiveValue::Set(None),
            skill_id: ActiveValue::Set(Some("it-security".into())),
            method: ActiveValue::Set("exact".into()),
        };
        let rows = vec![skill(0, Some(0.1)), skill(1, None)];
        let stmt = Rows::<consultant_skill::Entity>::new(rows).statements(DbBackend::Postgres, "").unwrap();
        assert_eq!(
            stmt[0].sql,
            concat!(
                r#"INSERT INTO "consultant_skills" ("consultant_id", "position", "name", "years", "level", "skill_id", "method") "#,
                "SELECT u.v1, u.v2, u.v3, CASE WHEN u.v5 THEN NULL ELSE u.v4 END, CASE WHEN u.v7 THEN NULL ELSE u.v6 END, ",
                "CASE WHEN u.v9 THEN NULL ELSE u.v8 END, u.v10 ",
                "FROM unnest($1::uuid[], $2::int2[], $3::text[], $4::float8[], $5::bool[], $6::int2[], $7::bool[], ",
                "$8::text[], $9::bool[], $10::text[]) AS u(v1, v2, v3, v4, v5, v6, v7, v8, v9, v10)"
            )
        );
        let values = &stmt[0].values.as_ref().unwrap().0;
        let array = |i: usize| match &values[i] {
            Value::Array(_, Some(v)) => v.as_ref().clone(),
            other => panic!("not an array: {other:?}"),
        };
        assert_eq!(array(1), [Value::from(0i16), Value::from(1i16)]);
        assert_eq!(array(3), [Value::from(0.1f64), Value::from(0f64)], "years, NULL as a stand-in");
        assert_eq!(array(4), [Value::from(false), Value::from(true)], "years mask");
        assert_eq!(array(6), [Value::from(true), Value::from(true)], "level: both NULL");
        let mut bad = skill(2, None);
        bad.method = ActiveValue::NotSet;
        assert!(Rows::<consultant_skill::Entity>::new(vec![bad]).statements(DbBackend::Postgres, "").is_err());
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
