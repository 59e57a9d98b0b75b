//! giamngheo's database. SQLite is the embedded default (one file, WAL, created and migrated on
//! first open); PostgreSQL serves a province or the nation. One API over both: each backend has
//! its own migrations, and every SQL string lives here.

use giamngheo_rules::chrono::{NaiveDate, Utc};
use giamngheo_rules::transition::FALL_BACK_YEARS;
use giamngheo_rules::units::Reference;
use giamngheo_rules::{Class, History, Transition};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, QueryBuilder, Row, Sqlite, Transaction};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

/// The catalogue the stored ethnic codes come from (QĐ 121-TCTK/PPCĐ, 1979).
pub const ETHNIC_CATALOGUE_1979: &str = "1979";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$x` bound to the backend's pool or transaction (enum `$e`) and `$pg` to
/// whether it is PostgreSQL: the same code, type-checked once per backend.
macro_rules! on {
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

/// SQLite's page cache per connection in KiB: `GIAMNGHEO_SQLITE_CACHE_KIB`, or 128 MiB.
fn sqlite_cache_kib() -> u64 {
    std::env::var("GIAMNGHEO_SQLITE_CACHE_KIB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|k| *k >= 64)
        .unwrap_or(128 * 1024)
}

mod households;
pub use households::{
    AssessmentLine, HouseholdDetail, HouseholdLine, HouseholdPage, HouseholdQuery, MemberLine,
    VillageFigures,
};
mod users;
pub use users::{
    entry_hash, Anchor, AuditEntry, AuditFilter, AuditHead, Change, NewUser, Session, User, Who,
    GENESIS,
};

/// How many rows of each kind a registry holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub provinces: i64,
    pub communes: i64,
    pub legacy_communes: i64,
    pub crosswalk: i64,
    pub ethnic_groups: i64,
    pub households: i64,
    pub members: i64,
    pub assessments: i64,
    pub imports: i64,
}

/// The registry's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// Opens a database: `postgres://...` for PostgreSQL, otherwise a SQLite file path (or
    /// `sqlite:PATH`), created when missing. Migrations run on open.
    pub async fn open(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            let store = Store {
                pool: Pool::Postgres(pool),
            };
            store.fill_person_keys().await?;
            return Ok(store);
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
            // its own pages from the OS); GIAMNGHEO_SQLITE_CACHE_KIB sets it for a small machine
            .pragma("cache_size", format!("-{}", sqlite_cache_kib()))
            .pragma("temp_store", "memory")
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let store = Store {
            pool: Pool::Sqlite(pool),
        };
        store.fill_person_keys().await?;
        Ok(store)
    }

    /// Gives the members written before `person_key` existed their key (once, after migration).
    async fn fill_person_keys(&self) -> Result<()> {
        on!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(i64, String, NaiveDate)> = sqlx::query_as(
                "SELECT id, name_key, birth_date FROM member \
                 WHERE person_key IS NULL AND name_key IS NOT NULL",
            )
            .fetch_all(pool)
            .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut tx = pool.begin().await?;
            for (id, name, birth) in &rows {
                sqlx::query("UPDATE member SET person_key = $1 WHERE id = $2")
                    .bind(person_key(name, *birth))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes the connections.
    pub async fn close(&self) {
        on!(Pool, &self.pool, |pool, pg| pool.close().await)
    }

    /// Loads the administrative units, crosswalk and ethnic groups when the registry has none
    /// yet (first start). Returns whether it loaded them. One transaction.
    pub async fn load_reference(&self, r: &Reference) -> Result<bool> {
        on!(Pool, &self.pool, |pool, pg| {
            let mut tx = pool.begin().await?;
            let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM province")
                .fetch_one(&mut *tx)
                .await?;
            if have > 0 {
                return Ok(false);
            }
            // multi-row statements: one round trip per few hundred rows
            for chunk in r.provinces.chunks(256) {
                let mut q = QueryBuilder::new("INSERT INTO province (code, name, kind) ");
                q.push_values(chunk, |mut row, p| {
                    row.push_bind(&p.code).push_bind(&p.name).push_bind(&p.kind);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.communes.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO commune (code, province_code, name, kind, lat, lon, area_km2) ",
                );
                q.push_values(chunk, |mut row, (c, place)| {
                    row.push_bind(&c.code)
                        .push_bind(&c.province_code)
                        .push_bind(&c.name)
                        .push_bind(&c.kind)
                        .push_bind(place.lat)
                        .push_bind(place.lon)
                        .push_bind(place.area_km2);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.legacy.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO legacy_commune (code, name, kind, district_code, district_name, \
                     province_code, province_name) ",
                );
                q.push_values(chunk, |mut row, c| {
                    row.push_bind(&c.code)
                        .push_bind(&c.name)
                        .push_bind(&c.kind)
                        .push_bind(&c.district_code)
                        .push_bind(&c.district_name)
                        .push_bind(&c.province_code)
                        .push_bind(&c.province_name);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.crosswalk.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO commune_crosswalk (old_code, new_code, kind, is_default) ",
                );
                q.push_values(chunk, |mut row, x| {
                    row.push_bind(&x.old_code)
                        .push_bind(&x.new_code)
                        .push_bind(&x.kind)
                        .push_bind(x.is_default);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.ethnic_groups.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO ethnic_group (catalogue, code, name, is_minority) ",
                );
                q.push_values(chunk, |mut row, g| {
                    row.push_bind(ETHNIC_CATALOGUE_1979)
                        .push_bind(&g.code)
                        .push_bind(&g.name)
                        .push_bind(g.is_minority);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The database's own consistency check: `ok`, or what SQLite found wrong. (PostgreSQL keeps
    /// its pages consistent itself: `ok`.)
    pub async fn integrity_check(&self) -> Result<String> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(pool)
                    .await?;
                Ok(rows.join("\n"))
            }
            Pool::Postgres(_) => Ok("ok".to_string()),
        }
    }

    /// Row counts of the registry's tables.
    pub async fn counts(&self) -> Result<Counts> {
        on!(Pool, &self.pool, |pool, pg| {
            let n = |table: &'static str| {
                let sql = format!("SELECT COUNT(*) FROM {table}");
                async move {
                    sqlx::query_scalar::<_, i64>(&sql)
                        .fetch_one(pool)
                        .await
                        .map_err(StoreError::from)
                }
            };
            Ok(Counts {
                provinces: n("province").await?,
                communes: n("commune").await?,
                legacy_communes: n("legacy_commune").await?,
                crosswalk: n("commune_crosswalk").await?,
                ethnic_groups: n("ethnic_group").await?,
                households: n("household").await?,
                members: n("member").await?,
                assessments: n("assessment").await?,
                imports: n("import").await?,
            })
        })
    }

    /// A stamp that changes whenever summaries may have changed (an import committed): the
    /// newest import's id and how many there are. Caches of reports compare it.
    pub async fn data_version(&self) -> Result<(i64, i64)> {
        on!(Pool, &self.pool, |pool, pg| {
            let (max, n): (Option<i64>, i64) =
                sqlx::query_as("SELECT MAX(id), COUNT(*) FROM import")
                    .fetch_one(pool)
                    .await?;
            Ok((max.unwrap_or(0), n))
        })
    }

    /// The 2025 commune a pre-2025 commune's households are reported under: the crosswalk's
    /// default target. (Codes of the two lists overlap: a year recorded before the reform uses
    /// pre-2025 codes, which are mapped through here; later years use 2025 codes as they are.)
    pub async fn reform_target(&self, old_code: &str) -> Result<Option<String>> {
        on!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_scalar(
                "SELECT new_code FROM commune_crosswalk WHERE old_code = $1 AND is_default",
            )
            .bind(old_code)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// The summaries of a unit's communes for the years `from..=to`: a province (2-digit code)
    /// or one commune (5-digit code), in commune and year order.
    pub async fn summaries(&self, unit: &str, from: i32, to: i32) -> Result<Vec<Summary>> {
        let filter = if unit.len() == 2 {
            "c.province_code = $1"
        } else {
            "c.code = $1"
        };
        let sql = format!(
            "SELECT s.*, c.name AS commune_name FROM unit_year_summary s \
             JOIN commune c ON c.code = s.commune_code \
             WHERE {filter} AND s.year >= $2 AND s.year <= $3 ORDER BY s.commune_code, s.year"
        );
        on!(Pool, &self.pool, |pool, pg| {
            let rows = sqlx::query(&sql)
                .bind(unit)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let n = |c: &str| -> Result<i64> {
                        Ok(r.try_get::<i32, _>(c)
                            .map(i64::from)
                            .or_else(|_| r.try_get::<i64, _>(c))?)
                    };
                    let mut lacking_poor = [0i64; 16];
                    let mut lacking_near_poor = [0i64; 16];
                    for i in 0..16 {
                        lacking_poor[i] = n(&format!("poor_lacking_{i}"))?;
                        lacking_near_poor[i] = n(&format!("near_poor_lacking_{i}"))?;
                    }
                    Ok(Summary {
                        commune_code: r.try_get("commune_code")?,
                        commune_name: r.try_get("commune_name")?,
                        year: n("year")? as i32,
                        standard: r.try_get("standard")?,
                        households: n("households")?,
                        poor: n("poor")?,
                        near_poor: n("near_poor")?,
                        average: n("average")?,
                        not_poor: n("not_poor")?,
                        urban_households: n("urban_households")?,
                        urban_poor: n("urban_poor")?,
                        urban_near_poor: n("urban_near_poor")?,
                        minority_households: n("minority_households")?,
                        minority_poor: n("minority_poor")?,
                        minority_near_poor: n("minority_near_poor")?,
                        without_working_capacity: n("without_working_capacity")?,
                        stayed_poor: n("stayed_poor")?,
                        poor_to_near_poor: n("poor_to_near_poor")?,
                        escaped: n("escaped")?,
                        escaped_from_poor: n("escaped_from_poor")?,
                        near_poor_to_poor: n("near_poor_to_poor")?,
                        new_poor: n("new_poor")?,
                        new_near_poor: n("new_near_poor")?,
                        fell_back: n("fell_back")?,
                        stayed_near_poor: n("stayed_near_poor")?,
                        moved_away_poor: n("moved_away_poor")?,
                        moved_away_near_poor: n("moved_away_near_poor")?,
                        poor_start: n("poor_start")?,
                        lacking_poor,
                        lacking_near_poor,
                    })
                })
                .collect()
        })
    }

    /// The assessments of a unit (province or commune code) for a year, in the order they were
    /// imported, with each household's code, commune, village and head.
    pub async fn assessments_of_year(&self, unit: &str, year: i32) -> Result<Vec<ExportRow>> {
        let filter = if unit.len() == 2 {
            "c.province_code = $1"
        } else {
            "c.code = $1"
        };
        on!(Pool, &self.pool, |pool, pg| {
            let answers = if pg {
                "CAST(a.answers AS TEXT)"
            } else {
                "a.answers"
            };
            let sql = format!(
                "SELECT h.commune_code, h.code, v.name, h.head_name, {answers} \
                 FROM assessment a JOIN household h ON h.id = a.household_id \
                 JOIN commune c ON c.code = h.commune_code \
                 LEFT JOIN village v ON v.id = h.village_id \
                 WHERE {filter} AND a.year = $2 ORDER BY a.id"
            );
            let rows = sqlx::query(&sql)
                .bind(unit)
                .bind(year)
                .fetch_all(pool)
                .await?;
            Ok(rows
                .iter()
                .map(|r| ExportRow {
                    commune_code: r.get(0),
                    code: r.get(1),
                    village: r.get(2),
                    head_name: r.get(3),
                    answers: r.get(4),
                })
                .collect())
        })
    }

    /// Starts the import of one file for a review year, in one transaction. A file already
    /// imported for that year (same content) is not imported again.
    pub async fn begin_import(&self, meta: &ImportMeta) -> Result<Begin> {
        let tx = match &self.pool {
            // IMMEDIATE: the import writes, so it takes SQLite's write lock at once (another
            // writer then waits for it) rather than failing later on a stale read
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        let mut import = ImportTx {
            tx,
            import_id: 0,
            households: 0,
            members: 0,
            pending: Vec::new(),
            villages: HashMap::new(),
            touched: Default::default(),
            possible_duplicates: Vec::new(),
            written: Default::default(),
            batches: 0,
            meta: meta.clone(),
        };
        let existing = on!(Tx, &mut import.tx, |tx, pg| {
            sqlx::query("SELECT id, file_name FROM import WHERE sha256 = $1 AND year = $2")
                .bind(&meta.sha256)
                .bind(meta.year)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        });
        if let Some((import_id, file_name)) = existing {
            return Ok(Begin::AlreadyImported {
                import_id,
                file_name,
            });
        }
        let now = Utc::now();
        import.import_id = on!(Tx, &mut import.tx, |tx, pg| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO import (year, file_name, sha256, households, members, imported_at) \
                 VALUES ($1, $2, $3, 0, 0, $4) RETURNING id",
            )
            .bind(meta.year)
            .bind(&meta.file_name)
            .bind(&meta.sha256)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?
        });
        Ok(Begin::Started(Box::new(import)))
    }
}

/// A commune's figures for a year, kept up to date as assessments are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub commune_code: String,
    pub commune_name: String,
    pub year: i32,
    pub standard: String,
    pub households: i64,
    pub poor: i64,
    pub near_poor: i64,
    pub average: i64,
    pub not_poor: i64,
    pub urban_households: i64,
    pub urban_poor: i64,
    pub urban_near_poor: i64,
    pub minority_households: i64,
    pub minority_poor: i64,
    pub minority_near_poor: i64,
    pub without_working_capacity: i64,
    pub stayed_poor: i64,
    pub poor_to_near_poor: i64,
    pub escaped: i64,
    pub escaped_from_poor: i64,
    pub near_poor_to_poor: i64,
    pub new_poor: i64,
    pub new_near_poor: i64,
    pub fell_back: i64,
    pub stayed_near_poor: i64,
    pub moved_away_poor: i64,
    pub moved_away_near_poor: i64,
    pub poor_start: i64,
    /// Households lacking each indicator (by position in the standard) among the poor.
    pub lacking_poor: [i64; 16],
    pub lacking_near_poor: [i64; 16],
}

impl Summary {
    /// poor at the start + new + fell back + from near-poor - escaped - to near-poor - moved
    /// away = poor at the end.
    pub fn stock_holds(&self) -> bool {
        self.poor_start + self.new_poor + self.fell_back + self.near_poor_to_poor
            == self.poor + self.escaped_from_poor + self.poor_to_near_poor + self.moved_away_poor
    }
}

/// A household's assessment of a year, as stored: enough to write the survey back out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub commune_code: String,
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    /// Every answer of the year, as JSON.
    pub answers: String,
}

/// Which file an import is and for which review year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMeta {
    pub year: i32,
    pub file_name: String,
    /// SHA-256 of the file's content, hex: the same content is imported once per year.
    pub sha256: String,
    /// Who imports it, for the audit log.
    pub who: Who,
}

/// The start of an import.
pub enum Begin {
    Started(Box<ImportTx>),
    AlreadyImported { import_id: i64, file_name: String },
}

/// A household of a survey file with its members and its assessment for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRow {
    pub commune_code: String,
    /// The household's code (`household_id` of the exchange format).
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    pub members: Vec<MemberRow>,
    pub assessment: AssessmentRow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub member_no: i32,
    pub full_name: Option<String>,
    /// The name folded for search and duplicate checks.
    pub name_key: Option<String>,
    pub id_number: Option<String>,
    pub birth_date: NaiveDate,
    pub birth_precision: i32,
    pub sex: String,
    pub ethnic_code: Option<String>,
    pub relation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    pub year: i32,
    pub standard: String,
    pub survey_date: NaiveDate,
    pub area: String,
    pub income_line: i64,
    pub income_per_capita: Option<String>,
    pub b1_score: Option<String>,
    pub class: String,
    pub deprivations: i64,
    pub deprivation_count: i32,
    pub without_working_capacity: Option<bool>,
    pub is_minority: bool,
    pub members: i32,
    /// Every answer, as JSON.
    pub answers: String,
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// An import in progress: nothing is visible to others until [`ImportTx::commit`]; dropped
/// without commit, it leaves the registry as it was.
pub struct ImportTx {
    tx: Tx,
    import_id: i64,
    households: i64,
    members: i64,
    pending: Vec<HouseholdRow>,
    /// Villages met so far: (commune, name) to id.
    villages: HashMap<(String, String), i64>,
    /// Communes and years written: their summaries are refreshed on commit.
    touched: std::collections::BTreeSet<(String, i32)>,
    /// People of the flushed batches who may already be in the registry under another household.
    possible_duplicates: Vec<Conflict>,
    /// Households written by this import: a namesake among them is the file's own duplicate,
    /// which the caller reports from the file.
    written: std::collections::HashSet<i64>,
    /// Batches flushed so far.
    batches: u64,
    meta: ImportMeta,
}

/// An assessment already stored for a household of a batch.
struct Earlier {
    year: i32,
    import: Option<i64>,
    class: Option<Class>,
    transition: Option<Transition>,
}

/// A household's transition into `year`, from its class that year and the years before
/// (`class_of` gives the class of a year, `None` when not assessed).
fn transition_of(year: i32, class_of: impl Fn(i32) -> Option<Class>) -> Option<Transition> {
    let mut history = History::new();
    for y in (year - 1 - FALL_BACK_YEARS)..year {
        history.record(y, class_of(y));
    }
    history.record(year, class_of(year))
}

/// Households are written in batches of this many (a batch's statements stay well under the
/// backends' limits on bound parameters).
pub const IMPORT_BATCH: usize = 256;

/// A household of a batch that contradicts what the registry holds; the file must stay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Position of the household in the batch, as added.
    pub index: usize,
    pub column: &'static str,
    /// Index of the member, when a member's value is the cause.
    pub member: Option<usize>,
    pub message: String,
    /// The commune of the registered record the conflict is with, when it is another one: a
    /// user who may not see that commune is told only that the value is registered elsewhere.
    pub other_commune: Option<String>,
}

impl ImportTx {
    pub fn import_id(&self) -> i64 {
        self.import_id
    }

    /// Adds a household (written by the next [`ImportTx::flush`]).
    pub fn add(&mut self, h: HouseholdRow) {
        self.pending.push(h);
    }

    /// Households added and not yet written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Members of the batches flushed so far who bear the same folded name and birth date as a
    /// member of another household of the same commune in the registry (indexes as in
    /// [`Conflict`], per batch); a warning, not a conflict.
    pub fn take_possible_duplicates(&mut self) -> Vec<Conflict> {
        std::mem::take(&mut self.possible_duplicates)
    }

    /// Writes the households added since the last flush, their members and assessments, and
    /// returns the conflicts found among them (the batch is then not written: the file must
    /// not be committed).
    pub async fn flush(&mut self) -> Result<Vec<Conflict>> {
        let batch = std::mem::take(&mut self.pending);
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let year = batch[0].assessment.year;
        self.batches += 1;
        if let Tx::Postgres(tx) = &mut self.tx {
            if self.batches.is_power_of_two() {
                // the tables grow as the import writes: let the planner see their size (ANALYZE
                // counts this transaction's own rows)
                sqlx::query("ANALYZE household, member, assessment")
                    .execute(&mut **tx)
                    .await?;
            }
        }
        self.write_villages(&batch).await?;
        let batch_ids = self.write_households(&batch).await?;
        let stored = self.assessments_of(&batch_ids).await?;
        let existing: HashMap<i64, Option<i64>> = stored
            .iter()
            .filter_map(|(id, es)| es.iter().find(|e| e.year == year).map(|e| (*id, e.import)))
            .collect();
        let latest: HashMap<i64, i32> = stored
            .iter()
            .filter_map(|(id, es)| es.iter().map(|e| e.year).max().map(|y| (*id, y)))
            .collect();
        let mut conflicts = Vec::new();
        for (i, (h, id)) in batch.iter().zip(&batch_ids).enumerate() {
            if let Some(import_id) = existing.get(id) {
                conflicts.push(Conflict {
                    index: i,
                    column: "household_id",
                    member: None,
                    other_commune: None,
                    message: format!(
                        "household `{}` of commune {} already has an assessment for {year} (import #{}); an assessment is never replaced",
                        h.code,
                        h.commune_code,
                        import_id.map_or_else(|| "?".to_string(), |i| i.to_string())
                    ),
                });
            }
        }
        // the members as this year's form lists them become the household's members, unless a
        // later year is already in the registry (an older year imported late keeps the newer list)
        let current: Vec<bool> = batch_ids
            .iter()
            .map(|id| !existing.contains_key(id) && latest.get(id).is_none_or(|l| year >= *l))
            .collect();
        let wanted: Vec<&String> = batch
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|(h, _)| h.members.iter().filter_map(|m| m.id_number.as_ref()))
            .collect();
        let holders = self.id_holders(&wanted).await?;
        let names: Vec<(&String, NaiveDate)> = batch
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|(h, _)| {
                h.members
                    .iter()
                    .filter_map(|m| m.name_key.as_ref().map(|k| (k, m.birth_date)))
            })
            .collect();
        let namesakes = self.namesakes(&names).await?;
        for (i, h) in batch.iter().enumerate().filter(|(i, _)| current[*i]) {
            for (mi, m) in h.members.iter().enumerate() {
                let Some(key) = &m.name_key else { continue };
                let same = namesakes.iter().find(|n| {
                    n.0 == *key
                        && n.1 == m.birth_date
                        && n.2 == h.commune_code
                        && n.5 != batch_ids[i]
                        && !self.written.contains(&n.5)
                });
                if let Some((_, _, _, code, no, _)) = same {
                    self.possible_duplicates.push(Conflict {
                        index: i,
                        column: "full_name",
                        member: Some(mi),
                        other_commune: None,
                        message: format!(
                            "possibly the same person as member {no} of household `{code}` in the registry: same name, birth date and commune"
                        ),
                    });
                }
            }
        }
        for (i, h) in batch.iter().enumerate().filter(|(i, _)| current[*i]) {
            for (mi, m) in h.members.iter().enumerate() {
                let Some(id) = &m.id_number else { continue };
                if let Some((holder, code, commune, no)) = holders.get(id) {
                    if *holder != batch_ids[i] {
                        conflicts.push(Conflict {
                            index: i,
                            column: "id_number",
                            member: Some(mi),
                            other_commune: Some(commune.clone()),
                            message: format!(
                                "personal ID {id} already belongs to member {no} of household `{code}` in commune {commune}"
                            ),
                        });
                    }
                }
            }
        }
        if !conflicts.is_empty() {
            return Ok(conflicts);
        }
        let replace: Vec<i64> = batch_ids
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .map(|(id, _)| *id)
            .collect();
        let members: Vec<(i64, &MemberRow)> = batch
            .iter()
            .zip(&batch_ids)
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|((h, id), _)| h.members.iter().map(move |m| (*id, m)))
            .collect();
        self.write_members(&replace, &members).await?;
        let transitions = Self::transitions(&batch, &batch_ids, year, &stored);
        self.write_assessments(&batch, &batch_ids, &transitions)
            .await?;
        for (id, later, commune, t) in Self::later_transitions(&batch, &batch_ids, year, &stored) {
            on!(Tx, &mut self.tx, |tx, pg| {
                sqlx::query(
                    "UPDATE assessment SET transition = $1 WHERE household_id = $2 AND year = $3",
                )
                .bind(t.map(|t| t.code()))
                .bind(id)
                .bind(later)
                .execute(&mut **tx)
                .await?;
            });
            self.touched.insert((commune, later));
        }
        for h in &batch {
            self.touched.insert((h.commune_code.clone(), year));
        }
        self.written.extend(batch_ids.iter().copied());
        self.households += batch.len() as i64;
        self.members += batch.iter().map(|h| h.members.len() as i64).sum::<i64>();
        Ok(conflicts)
    }

    async fn write_villages(&mut self, batch: &[HouseholdRow]) -> Result<()> {
        for h in batch {
            let Some(v) = &h.village else { continue };
            let key = (h.commune_code.clone(), v.clone());
            if self.villages.contains_key(&key) {
                continue;
            }
            let id: i64 = on!(Tx, &mut self.tx, |tx, pg| {
                sqlx::query(
                    "INSERT INTO village (commune_code, name) VALUES ($1, $2) \
                     ON CONFLICT (commune_code, name) DO NOTHING",
                )
                .bind(&key.0)
                .bind(&key.1)
                .execute(&mut **tx)
                .await?;
                sqlx::query_scalar("SELECT id FROM village WHERE commune_code = $1 AND name = $2")
                    .bind(&key.0)
                    .bind(&key.1)
                    .fetch_one(&mut **tx)
                    .await?
            });
            self.villages.insert(key, id);
        }
        Ok(())
    }

    /// Creates or updates the batch's households; returns their ids in batch order.
    async fn write_households(&mut self, batch: &[HouseholdRow]) -> Result<Vec<i64>> {
        let villages = &self.villages;
        let village = |h: &HouseholdRow| {
            h.village
                .as_ref()
                .and_then(|v| villages.get(&(h.commune_code.clone(), v.clone())).copied())
        };
        let ids: HashMap<(String, String), i64> = on!(Tx, &mut self.tx, |tx, pg| {
            for chunk in pow2_chunks(batch, IMPORT_BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO household (commune_code, code, village_id, head_name) ",
                );
                q.push_values(chunk, |mut row, h| {
                    row.push_bind(&h.commune_code)
                        .push_bind(&h.code)
                        .push_bind(village(h))
                        .push_bind(&h.head_name);
                });
                q.push(
                    " ON CONFLICT (commune_code, code) DO UPDATE SET \
                     village_id = excluded.village_id, head_name = excluded.head_name",
                );
                q.build().execute(&mut **tx).await?;
            }
            let mut q = QueryBuilder::new("");
            q.push_pairs(
                "k(c, n)",
                batch
                    .iter()
                    .map(|h| (h.commune_code.clone(), h.code.clone()))
                    .collect(),
            );
            q.push(
                " SELECT h.id, h.commune_code, h.code FROM k \
                 JOIN household h ON h.commune_code = k.c AND h.code = k.n",
            );
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        (r.get::<String, _>(1), r.get::<String, _>(2)),
                        r.get::<i64, _>(0),
                    )
                })
                .collect()
        });
        batch
            .iter()
            .map(|h| {
                ids.get(&(h.commune_code.clone(), h.code.clone()))
                    .copied()
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("household {} was not written", h.code))
                    })
            })
            .collect()
    }

    /// Every assessment of these households already stored: household to (year, import, class).
    /// (By household only, the one index every backend uses whatever it thinks of the tables'
    /// sizes: a plan by year would scan the whole year, batch after batch.)
    async fn assessments_of(&mut self, ids: &[i64]) -> Result<HashMap<i64, Vec<Earlier>>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(i64, i32, Option<i64>, String, Option<String>)> =
            on!(Tx, &mut self.tx, |tx, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT household_id, year, import_id, class, transition FROM assessment \
                 WHERE household_id",
                );
                q.push_in_ids(ids.to_vec());
                q.build_query_as().fetch_all(&mut **tx).await?
            });
        let mut by_household: HashMap<i64, Vec<Earlier>> = HashMap::new();
        for (id, year, import, class, transition) in rows {
            by_household.entry(id).or_default().push(Earlier {
                year,
                import,
                class: Class::from_code(&class),
                transition: transition.as_deref().and_then(Transition::from_code),
            });
        }
        Ok(by_household)
    }

    /// The members holding these personal IDs: household id, household code, commune, number.
    #[allow(clippy::type_complexity)]
    async fn id_holders(
        &mut self,
        wanted: &[&String],
    ) -> Result<HashMap<String, (i64, String, String, i32)>> {
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(on!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new(
                "SELECT m.id_number, m.household_id, h.code, h.commune_code, m.member_no \
                 FROM member m JOIN household h ON h.id = m.household_id WHERE m.id_number",
            );
            q.push_in_texts(wanted.iter().map(|w| w.to_string()).collect());
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<String, _>(0),
                        (
                            r.get::<i64, _>(1),
                            r.get::<String, _>(2),
                            r.get::<String, _>(3),
                            r.get::<i32, _>(4),
                        ),
                    )
                })
                .collect()
        }))
    }

    /// Members of the registry bearing these folded names: name, birth date, commune, household
    /// code, member number, household id.
    #[allow(clippy::type_complexity)]
    async fn namesakes(
        &mut self,
        names: &[(&String, NaiveDate)],
    ) -> Result<Vec<(String, NaiveDate, String, String, i32, i64)>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on!(Tx, &mut self.tx, |tx, pg| {
            // by the key of name and birth date together (one small index), so common names
            // cost nothing extra; the caller compares the names themselves
            let mut q = QueryBuilder::new(
                "SELECT m.name_key, m.birth_date, h.commune_code, h.code, m.member_no, h.id \
                 FROM member m JOIN household h ON h.id = m.household_id \
                 WHERE m.person_key",
            );
            q.push_in_ids(names.iter().map(|(n, b)| person_key(n, *b)).collect());
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<String, _>(0),
                        r.get::<NaiveDate, _>(1),
                        r.get::<String, _>(2),
                        r.get::<String, _>(3),
                        r.get::<i32, _>(4),
                        r.get::<i64, _>(5),
                    )
                })
                .collect()
        }))
    }

    /// Replaces the member lists of `replace` households with `members`.
    async fn write_members(
        &mut self,
        replace: &[i64],
        members: &[(i64, &MemberRow)],
    ) -> Result<()> {
        on!(Tx, &mut self.tx, |tx, pg| {
            if !replace.is_empty() {
                let mut q = QueryBuilder::new("DELETE FROM member WHERE household_id");
                q.push_in_ids(replace.to_vec());
                q.build().execute(&mut **tx).await?;
            }
        });
        const COLUMNS: &str = "INSERT INTO member (household_id, member_no, full_name, name_key, \
             id_number, birth_date, birth_precision, sex, ethnic_catalogue, ethnic_code, \
             relation, person_key) ";
        let key = |m: &MemberRow| m.name_key.as_ref().map(|k| person_key(k, m.birth_date));
        let catalogue = |m: &MemberRow| m.ethnic_code.as_ref().map(|_| ETHNIC_CATALOGUE_1979);
        match &mut self.tx {
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
                            .push_bind(&m.sex)
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
                fn col<T>(
                    members: &[(i64, &MemberRow)],
                    f: impl Fn(i64, &MemberRow) -> T,
                ) -> Vec<T> {
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
                .bind(col(members, |_, m| m.sex.clone()))
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

    /// Each household's transition from the year before, from its classes of the four years
    /// before (a fall back is poor again within three years of escaping).
    fn transitions(
        batch: &[HouseholdRow],
        ids: &[i64],
        year: i32,
        stored: &HashMap<i64, Vec<Earlier>>,
    ) -> Vec<Option<Transition>> {
        batch
            .iter()
            .zip(ids)
            .map(|(h, id)| {
                let years = stored.get(id).map(Vec::as_slice).unwrap_or_default();
                transition_of(year, |y| {
                    if y == year {
                        Class::from_code(&h.assessment.class)
                    } else {
                        years.iter().find(|e| e.year == y).and_then(|e| e.class)
                    }
                })
            })
            .collect()
    }

    /// The later years' transitions that change now that an earlier year is written (a year
    /// imported after the years that follow it): household, year, commune, new transition.
    fn later_transitions(
        batch: &[HouseholdRow],
        ids: &[i64],
        year: i32,
        stored: &HashMap<i64, Vec<Earlier>>,
    ) -> Vec<(i64, i32, String, Option<Transition>)> {
        let mut changed = Vec::new();
        for (h, id) in batch.iter().zip(ids) {
            let Some(years) = stored.get(id) else {
                continue;
            };
            let class_of = |y: i32| {
                if y == year {
                    Class::from_code(&h.assessment.class)
                } else {
                    years.iter().find(|e| e.year == y).and_then(|e| e.class)
                }
            };
            for later in years
                .iter()
                .filter(|e| e.year > year && e.year <= year + 1 + FALL_BACK_YEARS)
            {
                let now = transition_of(later.year, class_of);
                if now != later.transition {
                    changed.push((*id, later.year, h.commune_code.clone(), now));
                }
            }
        }
        changed
    }

    async fn write_assessments(
        &mut self,
        batch: &[HouseholdRow],
        ids: &[i64],
        transitions: &[Option<Transition>],
    ) -> Result<()> {
        let import_id = self.import_id;
        let rows: Vec<_> = batch.iter().zip(ids).zip(transitions).collect();
        on!(Tx, &mut self.tx, |tx, pg| {
            for chunk in pow2_chunks(&rows, 128) {
                let mut q = QueryBuilder::new(
                "INSERT INTO assessment (household_id, year, import_id, standard, survey_date, \
                 area, income_line, income_per_capita, b1_score, class, deprivations, \
                 deprivation_count, without_working_capacity, is_minority, members, answers, \
                 transition) ",
            );
                q.push_values(chunk, |mut row, ((h, id), t)| {
                    let a = &h.assessment;
                    row.push_bind(*id)
                        .push_bind(a.year)
                        .push_bind(import_id)
                        .push_bind(&a.standard)
                        .push_bind(a.survey_date)
                        .push_bind(&a.area)
                        .push_bind(a.income_line);
                    // exact decimals and JSON: typed columns in PostgreSQL, text in SQLite
                    if pg {
                        row.push("CAST(")
                            .push_bind_unseparated(&a.income_per_capita)
                            .push_unseparated(" AS NUMERIC)");
                        row.push("CAST(")
                            .push_bind_unseparated(&a.b1_score)
                            .push_unseparated(" AS NUMERIC)");
                    } else {
                        row.push_bind(&a.income_per_capita).push_bind(&a.b1_score);
                    }
                    row.push_bind(&a.class)
                        .push_bind(a.deprivations)
                        .push_bind(a.deprivation_count)
                        .push_bind(a.without_working_capacity)
                        .push_bind(a.is_minority)
                        .push_bind(a.members);
                    if pg {
                        row.push("CAST(")
                            .push_bind_unseparated(&a.answers)
                            .push_unseparated(" AS JSONB)");
                    } else {
                        row.push_bind(&a.answers);
                    }
                    row.push_bind(t.map(|t| t.code()));
                });
                q.build().execute(&mut **tx).await?;
            }
        });
        Ok(())
    }

    /// Writes what is pending and makes the import visible, all at once; returns its id, or the
    /// conflicts of the last batch (then nothing is committed).
    pub async fn commit(mut self) -> Result<std::result::Result<i64, Vec<Conflict>>> {
        let conflicts = self.flush().await?;
        if !conflicts.is_empty() {
            return Ok(Err(conflicts));
        }
        let touched: Vec<(String, i32)> = std::mem::take(&mut self.touched).into_iter().collect();
        let mut years: Vec<i32> = touched.iter().map(|(_, y)| *y).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            let communes: Vec<&str> = touched
                .iter()
                .filter(|(_, y)| *y == year)
                .map(|(c, _)| c.as_str())
                .collect();
            // the year's figures, and the next year's, whose stock starts from this one
            for y in [year, year + 1] {
                for chunk in communes.chunks(500) {
                    refresh_summaries(&mut self.tx, y, chunk).await?;
                }
            }
        }
        let (id, households, members) = (self.import_id, self.households, self.members);
        on!(Tx, &mut self.tx, |tx, pg| {
            sqlx::query("UPDATE import SET households = $1, members = $2 WHERE id = $3")
                .bind(households as i32)
                .bind(members as i32)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        });
        let mut communes: Vec<String> = touched.iter().map(|(c, _)| c.clone()).collect();
        communes.sort_unstable();
        communes.dedup();
        // the unit the import belongs to: its commune, or the province of all its communes
        let provinces: Vec<String> = on!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new("SELECT DISTINCT province_code FROM commune WHERE code");
            q.push_in_texts(communes.clone());
            q.build_query_scalar().fetch_all(&mut **tx).await?
        });
        let unit = match (communes.as_slice(), provinces.as_slice()) {
            ([one], _) => Some(one.clone()),
            (_, [province]) => Some(province.clone()),
            _ => None,
        };
        let after = serde_json::json!({
            "year": self.meta.year,
            "file": self.meta.file_name,
            "sha256": self.meta.sha256,
            "households": households,
            "members": members,
            "communes": communes,
        });
        users::append(
            &mut self.tx,
            &self.meta.who,
            &Change {
                action: "import".into(),
                record: format!("import:{id}"),
                unit_code: unit,
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        self.tx.commit().await?;
        Ok(Ok(id))
    }
}

/// The key namesakes are looked up by: a 64-bit hash of the folded name and the birth date.
pub fn person_key(name_key: &str, birth_date: NaiveDate) -> i64 {
    let text = format!("{name_key}\0{birth_date}");
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64
}

/// Lists of values a statement looks rows up by, written the way each backend plans best:
/// SQLite gets `IN (v1, v2, ...)` padded to a power of two (by repeating the last value, so that
/// one prepared statement serves each size); PostgreSQL gets one array parameter (`= ANY($1)`,
/// `UNNEST`), a single statement planned once.
trait Lists {
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
fn padded<T: Clone>(mut values: Vec<T>) -> Vec<T> {
    if let Some(last) = values.last().cloned() {
        values.resize(values.len().next_power_of_two(), last);
    }
    values
}

/// `items` in slices of `max` (a power of two), then of falling powers of two: a multi-row
/// statement comes in at most log2(max) + 1 sizes, each prepared once.
fn pow2_chunks<T>(mut items: &[T], max: usize) -> Vec<&[T]> {
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

/// Classes counted in the summaries, in their columns' order.
const TRANSITION_COLUMNS: &[(&str, &str)] = &[
    ("stayed_poor", "a.transition = 'stayed_poor'"),
    ("poor_to_near_poor", "a.transition = 'poor_to_near_poor'"),
    ("escaped", "a.transition = 'escaped'"),
    (
        "escaped_from_poor",
        "a.transition = 'escaped' AND p.class = 'poor'",
    ),
    ("near_poor_to_poor", "a.transition = 'near_poor_to_poor'"),
    ("new_poor", "a.transition = 'new_poor'"),
    ("new_near_poor", "a.transition = 'new_near_poor'"),
    ("fell_back", "a.transition = 'fell_back'"),
    ("stayed_near_poor", "a.transition = 'stayed_near_poor'"),
];

/// The summary statement: one row per commune of the year, from its assessments, joined with
/// the same communes' households of the year before (for the stock and those who moved away).
fn summary_sql(communes: usize) -> String {
    let count = |cond: &str| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let mut cur: Vec<(String, String)> = [
        ("households", "COUNT(*)".to_string()),
        ("poor", count("a.class = 'poor'")),
        ("near_poor", count("a.class = 'near_poor'")),
        ("average", count("a.class = 'average'")),
        ("not_poor", count("a.class = 'not_poor'")),
        ("urban_households", count("a.area = 'urban'")),
        ("urban_poor", count("a.area = 'urban' AND a.class = 'poor'")),
        (
            "urban_near_poor",
            count("a.area = 'urban' AND a.class = 'near_poor'"),
        ),
        ("minority_households", count("a.is_minority")),
        ("minority_poor", count("a.is_minority AND a.class = 'poor'")),
        (
            "minority_near_poor",
            count("a.is_minority AND a.class = 'near_poor'"),
        ),
        (
            "without_working_capacity",
            count("a.class IN ('poor', 'near_poor') AND a.without_working_capacity"),
        ),
    ]
    .into_iter()
    .map(|(c, e)| (c.to_string(), e))
    .collect();
    for (col, cond) in TRANSITION_COLUMNS {
        cur.push((col.to_string(), count(cond)));
    }
    for (class, prefix) in [("poor", "poor_lacking"), ("near_poor", "near_poor_lacking")] {
        for i in 0..16 {
            cur.push((
                format!("{prefix}_{i}"),
                count(&format!(
                    "a.class = '{class}' AND ((a.deprivations >> {i}) & 1) = 1"
                )),
            ));
        }
    }
    let list = |from: usize| {
        (0..communes)
            .map(|i| format!("${}", i + from))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let names: Vec<&str> = cur.iter().map(|(c, _)| c.as_str()).collect();
    format!(
        "INSERT INTO unit_year_summary (commune_code, year, standard, {names}, \
         moved_away_poor, moved_away_near_poor, poor_start) \
         SELECT cur.commune_code, $1, cur.standard, {cur_cols}, \
         COALESCE(prev.moved_away_poor, 0), COALESCE(prev.moved_away_near_poor, 0), \
         COALESCE(prev.poor_start, 0) \
         FROM (SELECT h.commune_code AS commune_code, MIN(a.standard) AS standard, {exprs} \
               FROM assessment a JOIN household h ON h.id = a.household_id \
               LEFT JOIN assessment p ON p.household_id = a.household_id AND p.year = a.year - 1 \
               WHERE a.year = $1 AND h.commune_code IN ({in_cur}) GROUP BY h.commune_code) cur \
         LEFT JOIN (SELECT qh.commune_code AS commune_code, \
               {poor_start} AS poor_start, {away_poor} AS moved_away_poor, \
               {away_near} AS moved_away_near_poor \
               FROM assessment q JOIN household qh ON qh.id = q.household_id \
               LEFT JOIN assessment r ON r.household_id = q.household_id AND r.year = $1 \
               WHERE q.year = $1 - 1 AND qh.commune_code IN ({in_prev}) \
               GROUP BY qh.commune_code) prev ON prev.commune_code = cur.commune_code",
        names = names.join(", "),
        cur_cols = names
            .iter()
            .map(|c| format!("cur.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        exprs = cur
            .iter()
            .map(|(c, e)| format!("{e} AS {c}"))
            .collect::<Vec<_>>()
            .join(", "),
        in_cur = list(2),
        in_prev = list(2 + communes),
        poor_start = count("q.class = 'poor'"),
        away_poor = count("q.class = 'poor' AND r.id IS NULL"),
        away_near = count("q.class = 'near_poor' AND r.id IS NULL"),
    )
}

/// Recomputes the summaries of these communes for a year, from their assessments.
async fn refresh_summaries(tx: &mut Tx, year: i32, communes: &[&str]) -> Result<()> {
    let delete = format!(
        "DELETE FROM unit_year_summary WHERE year = $1 AND commune_code IN ({})",
        (0..communes.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let insert = summary_sql(communes.len());
    on!(Tx, tx, |tx, pg| {
        let mut q = sqlx::query(&delete).bind(year);
        for c in communes {
            q = q.bind(*c);
        }
        q.execute(&mut **tx).await?;
        let mut q = sqlx::query(&insert).bind(year);
        for c in communes.iter().chain(communes) {
            q = q.bind(*c);
        }
        q.execute(&mut **tx).await?;
    });
    Ok(())
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
