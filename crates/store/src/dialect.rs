//! What differs between SQLite and PostgreSQL, in one place: the two pools and transactions, the
//! macro that type-checks one body against each, how lists of values are written into a
//! statement, and the few SQL spellings that differ (docs/DECISIONS.md lists them all).

use crate::import::{person_key, MemberRow};
use crate::reference::ETHNIC_CATALOGUE_1979;
use crate::StoreOptions;
use crate::{Result, Store};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$x` bound to the backend's pool or transaction (enum `$e`) and `$pg` to
/// whether it is PostgreSQL: the same code, type-checked once per backend.
macro_rules! per_backend {
    ($e:ident, $value:expr, |$x:ident, $pg:ident| $body:expr) => {
        match $value {
            $e::Sqlite($x) => {
                #[allow(unused_variables)]
                let $pg = false;
                $body
            }
            $e::Postgres($x) => {
                #[allow(unused_variables)]
                let $pg = true;
                $body
            }
        }
    };
}

/// Lists of values a statement looks rows up by, written the way each backend plans best:
/// SQLite gets `IN (v1, v2, ...)` padded to a power of two (by repeating the last value, so that
/// one prepared statement serves each size); PostgreSQL gets one array parameter (`= ANY($1)`,
/// `UNNEST`), a single statement planned once.
pub(crate) trait Lists {
    /// ` IN (...)` or ` = ANY($n)`, after a column.
    fn push_in_ids(&mut self, values: Vec<i64>);
    fn push_in_texts(&mut self, values: Vec<String>);
    /// Starts the statement with `WITH name(a, b) AS (...)`: pairs to join with, by index (a
    /// row-value `IN` list is scanned).
    fn push_pairs(&mut self, name: &str, pairs: Vec<(String, String)>);
}

impl Lists for QueryBuilder<'_, Sqlite> {
    fn push_in_ids(&mut self, values: Vec<i64>) {
        self.push(" IN (");
        let mut list = self.separated(", ");
        for v in padded(values) {
            list.push_bind(v);
        }
        list.push_unseparated(")");
    }

    fn push_in_texts(&mut self, values: Vec<String>) {
        self.push(" IN (");
        let mut list = self.separated(", ");
        for v in padded(values) {
            list.push_bind(v);
        }
        list.push_unseparated(")");
    }

    fn push_pairs(&mut self, name: &str, pairs: Vec<(String, String)>) {
        self.push("WITH ").push(name).push(" AS (VALUES ");
        let mut list = self.separated(", ");
        for (a, b) in padded(pairs) {
            list.push("(")
                .push_bind_unseparated(a)
                .push_unseparated(", ")
                .push_bind_unseparated(b)
                .push_unseparated(")");
        }
        list.push_unseparated(")");
    }
}

impl Lists for QueryBuilder<'_, Postgres> {
    fn push_in_ids(&mut self, values: Vec<i64>) {
        self.push(" = ANY(").push_bind(values).push(")");
    }

    fn push_in_texts(&mut self, values: Vec<String>) {
        self.push(" = ANY(").push_bind(values).push(")");
    }

    fn push_pairs(&mut self, name: &str, pairs: Vec<(String, String)>) {
        let (a, b): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        self.push("WITH ")
            .push(name)
            .push(" AS (SELECT * FROM UNNEST(")
            .push_bind(a)
            .push(", ")
            .push_bind(b)
            .push("))");
    }
}

/// `values` with its last value repeated up to the next power of two.
pub(crate) fn padded<T: Clone>(mut values: Vec<T>) -> Vec<T> {
    if let Some(last) = values.last().cloned() {
        values.resize(values.len().next_power_of_two(), last);
    }
    values
}

/// `items` in slices of `max` (a power of two), then of falling powers of two: a multi-row
/// statement comes in at most log2(max) + 1 sizes, each prepared once.
pub(crate) fn pow2_chunks<T>(mut items: &[T], max: usize) -> Vec<&[T]> {
    let mut out = Vec::new();
    while !items.is_empty() {
        let n = if items.len() >= max {
            max
        } else {
            1 << (usize::BITS - 1 - items.len().leading_zeros())
        };
        let (a, b) = items.split_at(n);
        out.push(a);
        items = b;
    }
    out
}

/// Connects to the database the options name and brings its schema up to date, with the
/// migrations of its backend.
pub(crate) async fn connect(options: &StoreOptions) -> Result<Pool> {
    let url = options.url.as_str();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        return Ok(Pool::Postgres(pool));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let opts = SqliteConnectOptions::from_str(&format!("sqlite:{path}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // page cache per connection, at most (the default 2 MiB makes a large import re-read
        // its own pages from the OS)
        .pragma(
            "cache_size",
            format!("-{}", options.sqlite_cache_kib.max(64)),
        )
        .pragma("temp_store", "memory")
        .busy_timeout(Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await?;
    sqlx::migrate!("migrations/sqlite").run(&pool).await?;
    Ok(Pool::Sqlite(pool))
}

/// The database's own consistency check: SQLite's `PRAGMA integrity_check`; PostgreSQL keeps its
/// pages consistent itself (`ok`).
pub(crate) async fn integrity_check(pool: &Pool) -> Result<String> {
    match pool {
        Pool::Sqlite(pool) => {
            let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?;
            Ok(rows.join("\n"))
        }
        Pool::Postgres(_) => Ok("ok".to_string()),
    }
}

// ---- the SQL spellings that differ ----

/// How a bound text value is written into a typed column: `CAST(? AS {ty})` on PostgreSQL,
/// whose exact decimals and JSON have types of their own (NUMERIC, JSONB); as it is on SQLite,
/// which keeps them as text. The two parts go before and after the value.
pub(crate) fn cast_to(pg: bool, ty: &'static str) -> (&'static str, &'static str) {
    match (pg, ty) {
        (false, _) => ("", ""),
        (true, "NUMERIC") => ("CAST(", " AS NUMERIC)"),
        (true, "JSONB") => ("CAST(", " AS JSONB)"),
        (true, _) => ("CAST(", " AS TEXT)"),
    }
}

/// A typed column read back as text (PostgreSQL's NUMERIC and JSONB; SQLite's are text).
pub(crate) fn as_text(pg: bool, column: &str) -> String {
    if pg {
        format!("CAST({column} AS TEXT)")
    } else {
        column.to_string()
    }
}

/// The join that reads its left table first, in its order: SQLite keeps a `CROSS JOIN`'s order
/// as written (so a page of a long list stops early); PostgreSQL plans a plain `JOIN` well.
pub(crate) fn ordered_join(pg: bool) -> &'static str {
    if pg {
        "JOIN"
    } else {
        "CROSS JOIN"
    }
}

/// Lets the planner see the size of tables a transaction is filling (PostgreSQL's `ANALYZE`
/// counts the transaction's own rows; SQLite's planner needs nothing).
pub(crate) async fn analyze(tx: &mut Tx, tables: &str) -> Result<()> {
    if let Tx::Postgres(tx) = tx {
        sqlx::query(&format!("ANALYZE {tables}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// One appender of the audit log at a time, until the transaction ends: PostgreSQL takes an
/// advisory lock; SQLite's write transactions already hold its one write lock.
pub(crate) async fn lock_audit_chain(tx: &mut Tx) -> Result<()> {
    if let Tx::Postgres(tx) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(7213)")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Inserts members: multi-row `VALUES` in power-of-two slices on SQLite; one `UNNEST` of an
/// array per column on PostgreSQL (one statement, planned once, whatever the batch's size).
pub(crate) async fn insert_members(tx: &mut Tx, members: &[(i64, &MemberRow)]) -> Result<()> {
    const COLUMNS: &str = "INSERT INTO member (household_id, member_no, full_name, name_key, \
             id_number, birth_date, birth_precision, sex, ethnic_catalogue, ethnic_code, \
             relation, person_key) ";
    let key = |m: &MemberRow| m.name_key.as_ref().map(|k| person_key(k, m.birth_date));
    let catalogue = |m: &MemberRow| m.ethnic_code.as_ref().map(|_| ETHNIC_CATALOGUE_1979);
    match tx {
        Tx::Sqlite(tx) => {
            for chunk in pow2_chunks(members, 512) {
                let mut q = QueryBuilder::new(COLUMNS);
                q.push_values(chunk, |mut row, (id, m)| {
                    row.push_bind(*id)
                        .push_bind(m.member_no)
                        .push_bind(&m.full_name)
                        .push_bind(&m.name_key)
                        .push_bind(&m.id_number)
                        .push_bind(m.birth_date)
                        .push_bind(m.birth_precision)
                        .push_bind(m.sex.code())
                        .push_bind(catalogue(m))
                        .push_bind(&m.ethnic_code)
                        .push_bind(&m.relation)
                        .push_bind(key(m));
                });
                q.build().execute(&mut **tx).await?;
            }
        }
        Tx::Postgres(tx) => {
            // one array per column: one statement, planned once, whatever the batch's size
            fn col<T>(members: &[(i64, &MemberRow)], f: impl Fn(i64, &MemberRow) -> T) -> Vec<T> {
                members.iter().map(|(id, m)| f(*id, m)).collect()
            }
            sqlx::query(&format!(
                "{COLUMNS} SELECT * FROM UNNEST($1::BIGINT[], $2::INT[], $3::TEXT[], \
                     $4::TEXT[], $5::TEXT[], $6::DATE[], $7::INT[], $8::TEXT[], $9::TEXT[], \
                     $10::TEXT[], $11::TEXT[], $12::BIGINT[])"
            ))
            .bind(col(members, |id, _| id))
            .bind(col(members, |_, m| m.member_no))
            .bind(col(members, |_, m| m.full_name.clone()))
            .bind(col(members, |_, m| m.name_key.clone()))
            .bind(col(members, |_, m| m.id_number.clone()))
            .bind(col(members, |_, m| m.birth_date))
            .bind(col(members, |_, m| m.birth_precision))
            .bind(col(members, |_, m| m.sex.code()))
            .bind(col(members, |_, m| catalogue(m).map(str::to_string)))
            .bind(col(members, |_, m| m.ethnic_code.clone()))
            .bind(col(members, |_, m| m.relation.clone()))
            .bind(col(members, |_, m| key(m)))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// A transaction that writes: on SQLite it takes the write lock at once.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pool {
            // IMMEDIATE: take the write lock before reading the chain's last hash, so that two
            // appenders wait for each other instead of one failing on a stale read
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// `s` with `%`, `_` and `\` escaped for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::{padded, pow2_chunks};

    #[test]
    fn lists_are_padded_to_a_power_of_two_with_their_last_value() {
        assert_eq!(padded(Vec::<i64>::new()), Vec::<i64>::new());
        assert_eq!(padded(vec![7]), vec![7]);
        assert_eq!(padded(vec![1, 2, 3]), vec![1, 2, 3, 3]);
        assert_eq!(padded(vec![1, 2, 3, 4]), vec![1, 2, 3, 4]);
        assert_eq!(padded((0..5).collect()).len(), 8);
    }

    #[test]
    fn rows_are_written_in_power_of_two_slices() {
        let items: Vec<u32> = (0..1000).collect();
        let sizes: Vec<usize> = pow2_chunks(&items, 256).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [256, 256, 256, 128, 64, 32, 8]);
        let all: Vec<u32> = pow2_chunks(&items, 256).concat();
        assert_eq!(all, items);
        assert!(pow2_chunks(&items[..0], 256).is_empty());
        assert_eq!(pow2_chunks(&items[..1], 256).len(), 1);
    }
}
