//! What giamngheo's tests share, kept out of the system's own crates (a dev-dependency only).
//!
//! - Databases for tests: a fresh SQLite file always, and a fresh PostgreSQL database when
//!   `GIAMNGHEO_TEST_PG` names a server (an administrator's URL). Under `CI=true` a missing
//!   server is a failure; elsewhere the PostgreSQL half is skipped, and the skip recorded.
//! - [`skip`]: what a test could not run here, listed at the end of `scripts/test`.
//! - [`tamper_audit_log`]: the audit log changed behind the system's back, for the tests of its
//!   tamper evidence.

use std::path::PathBuf;

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_ENV: &str = "GIAMNGHEO_TEST_PG";

/// The environment variable naming the file where tests record what they skipped
/// (`scripts/test` sets it, lists the file at the end, and counts whole skipped tests apart from
/// the passed ones).
pub const SKIP_LOG_ENV: &str = "GIAMNGHEO_SKIP_LOG";

/// What a test could not run here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// Nothing of the test ran: it is not a pass.
    Test,
    /// One part did not run (the PostgreSQL half); the rest ran and was checked.
    Part,
}

/// Records a skip with its reason: on standard error, and in the file [`SKIP_LOG_ENV`] names,
/// one line `test|part <TAB> test name <TAB> reason`. Under `CI=true` a skip is a failure
/// instead: CI installs what every test needs.
pub fn skip(what: Skipped, reason: &str) {
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "under CI nothing may be skipped: {reason}"
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("(unnamed test)")
        .to_string();
    eprintln!("skipped in {test}: {reason}");
    if let Some(path) = std::env::var_os(SKIP_LOG_ENV) {
        let kind = match what {
            Skipped::Test => "test",
            Skipped::Part => "part",
        };
        let line = format!("{kind}\t{test}\t{reason}\n");
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
        if let Err(e) = written {
            eprintln!("cannot record the skip in {}: {e}", path.to_string_lossy());
        }
    }
}

/// A database made for one test, dropped with it.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.pg_drop.take() {
            // best effort: a leftover test database harms nothing
            let _ = std::process::Command::new("psql")
                .arg(&admin)
                .args(["-qc", &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")])
                .output();
        }
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDb {
    /// Bytes the database holds of written pages, committed or not: the SQLite file's
    /// write-ahead log, or PostgreSQL's registry tables with their indexes (a transaction's rows
    /// extend them before it commits). A test that kills a writer waits for this to grow, so
    /// that the kill lands while the transaction is writing.
    pub async fn written_bytes(&self) -> u64 {
        use sqlx::Connection;
        if self.pg_drop.is_some() {
            let Ok(mut c) = sqlx::PgConnection::connect(&self.url).await else {
                return 0;
            };
            let n: Result<i64, _> = sqlx::query_scalar(
                "SELECT (COALESCE(pg_total_relation_size(to_regclass('household')), 0) \
                 + COALESCE(pg_total_relation_size(to_regclass('member')), 0) \
                 + COALESCE(pg_total_relation_size(to_regclass('assessment')), 0))::bigint",
            )
            .fetch_one(&mut c)
            .await;
            let _ = c.close().await;
            n.map_or(0, |n| n.max(0) as u64)
        } else {
            std::fs::metadata(format!("{}-wal", self.url)).map_or(0, |m| m.len())
        }
    }
}

/// A fresh database of every backend this machine can test.
pub async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path: PathBuf = dir.path().join("registry.db");
    let mut dbs = vec![TestDb {
        name: "sqlite",
        url: path.display().to_string(),
        _dir: Some(dir),
        pg_drop: None,
    }];
    match std::env::var(PG_ENV) {
        Ok(admin) if !admin.is_empty() => {
            let db = format!("gn_test_{}", unique());
            let pool = sqlx::PgPool::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("{PG_ENV}={admin}: cannot connect: {e}"));
            sqlx::query(&format!("CREATE DATABASE {db}"))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("cannot create test database {db}: {e}"));
            pool.close().await;
            let url = match admin.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{db}"),
                None => panic!("{PG_ENV} must end with /DATABASE"),
            };
            dbs.push(TestDb {
                name: "postgres",
                url,
                _dir: None,
                pg_drop: Some((admin, db)),
            });
        }
        _ => skip(
            Skipped::Part,
            &format!("the PostgreSQL half: {PG_ENV} is not set (scripts/ci-postgres installs a server and prints its URL)"),
        ),
    }
    dbs
}

/// Runs `sql` on the audit log of the database at `url` (as [`TestDb::url`], or a SQLite file's
/// path) as someone with the database itself could: its guards against changes (the triggers)
/// dropped first, on a connection of its own. For tests that check the log's tamper evidence.
pub async fn tamper_audit_log(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    if is_postgres(url) {
        run_sql(
            url,
            &[
                "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
                sql,
            ],
        )
        .await
    } else {
        run_sql(
            url,
            &[
                "DROP TRIGGER IF EXISTS audit_log_no_update",
                "DROP TRIGGER IF EXISTS audit_log_no_delete",
                sql,
            ],
        )
        .await
    }
}

/// Whether a test database's URL names a PostgreSQL server.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Runs statements in turn on the database at `url`, on a connection of its own: for tests
/// that put a database in a state the system itself never writes (an older schema, a tampered
/// row).
pub async fn run_sql(url: &str, statements: &[&str]) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    if is_postgres(url) {
        let mut c = sqlx::PgConnection::connect(url).await?;
        for s in statements {
            sqlx::query(s).execute(&mut c).await?;
        }
        c.close().await
    } else {
        let path = url.strip_prefix("sqlite:").unwrap_or(url);
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(std::time::Duration::from_secs(30));
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await?;
        for s in statements {
            sqlx::query(s).execute(&mut c).await?;
        }
        c.close().await
    }
}
