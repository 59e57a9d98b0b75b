//! giamngheo's database. SQLite is the embedded default (one file, WAL, created and migrated on
//! first open); PostgreSQL serves a province or the nation. One API over both: each backend has
//! its own migrations, and every SQL string lives here.
//!
//! One module an aggregate: [`dialect`] (the two backends and what differs between them),
//! `reference` (units, crosswalk, ethnic groups), `households` (lists, a household, exports),
//! `import` (a survey file written in one transaction), `summaries` (each commune's figures of a
//! year), `users` (users and sessions) and `audit` (the append-only, hash-chained log).

use dialect::Pool;
use giamngheo_rules::UnitCode;

#[macro_use]
pub mod dialect;
mod audit;
mod changes;
mod decided;
mod households;
mod import;
mod models;
mod money;
mod reference;
mod reviews;
mod summaries;
mod support;
mod users;

pub use audit::{entry_hash, Anchor, AuditEntry, AuditFilter, AuditHead, Change, GENESIS};
pub use changes::{ChangeLine, ChangeRequest, HouseholdChange, Lineage, OtherHousehold};
pub use dialect::Backend;
pub use households::{
    AssessmentLine, ExportRow, HouseholdCase, HouseholdDetail, HouseholdLine, HouseholdPage,
    HouseholdQuery, MemberLine, VillageFigures, COUNT_CAP,
};
pub use import::{
    person_key, AssessmentRow, Begin, Conflict, HouseholdRow, ImportMeta, ImportTx, MemberRow,
    IMPORT_BATCH,
};
pub use models::{Model, ModelSummary, SupportCost, Transition};
pub use money::{
    Disbursement, MoneyKey, MoneyLine, MoneyProblem, NewDisbursement, NewEstimate, NewPlan,
    PlanDoc, PlanLine,
};
pub use reference::ETHNIC_CATALOGUE_1979;
pub use reviews::{
    BatchRecord, CaseRow, CertificateRow, DecisionRow, MeetingRow, NewCase, NewReview, ReviewRow,
    StepBatch, StepWrite,
};
pub use summaries::{CommuneSummary, EthnicCount};
pub use support::{
    ApprovedYear, PriorSupport, ScanRow, SupportPart, SupportQuery, SupportRecord, Target,
};
pub use users::{NewUser, PasswordBy, Session, User, UserChange, Who};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Invalid(String),
    /// A decision number the commune has given already.
    #[error("decision number {0} is taken")]
    DecisionNumberTaken(String),
    /// A change refused because no active administrator would be left.
    #[error("no active administrator would be left")]
    LastAdministrator,
    /// A change the registry's state refuses (a household that has ended, a code taken...).
    #[error("refused: {}", .0.key)]
    Refused(giamngheo_rules::text::Msg),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The column a unit is found by: the province's code or the commune's, of `commune c`.
pub(crate) fn unit_column(unit: &UnitCode) -> &'static str {
    match unit {
        UnitCode::Province(_) => "c.province_code",
        UnitCode::Commune(_) => "c.code",
    }
}

/// A code read back from a column, as its domain type.
pub(crate) fn decoded<T>(text: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T> {
    parse(text)
        .ok_or_else(|| StoreError::Invalid(format!("unknown {what} `{text}` in the registry")))
}

/// How to open a registry's database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// `postgres://...` for PostgreSQL; otherwise a SQLite file path (or `sqlite:PATH`), created
    /// when missing.
    pub url: String,
    /// SQLite's page cache per connection, in KiB (at least 64). A large import re-reads its own
    /// pages from the OS with less; a small machine may want less.
    pub sqlite_cache_kib: u64,
}

impl StoreOptions {
    /// SQLite's page cache per connection unless told otherwise: 128 MiB.
    pub const DEFAULT_SQLITE_CACHE_KIB: u64 = 128 * 1024;

    /// The default options for a database URL.
    pub fn new(url: impl Into<String>) -> StoreOptions {
        StoreOptions {
            url: url.into(),
            sqlite_cache_kib: Self::DEFAULT_SQLITE_CACHE_KIB,
        }
    }
}

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
    pub(crate) pool: Pool,
}

impl Store {
    /// Opens a database with the default options: `postgres://...` for PostgreSQL, otherwise a
    /// SQLite file path (or `sqlite:PATH`), created when missing. Migrations run on open.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(&StoreOptions::new(url)).await
    }

    /// Opens a database as [`StoreOptions`] say.
    pub async fn open_with(options: &StoreOptions) -> Result<Store> {
        let store = Store {
            pool: dialect::connect(options).await?,
        };
        store.fill_person_keys().await?;
        Ok(store)
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes the connections.
    pub async fn close(&self) {
        per_backend!(Pool, &self.pool, |pool, pg| pool.close().await)
    }

    /// The database's own consistency check: `ok`, or what SQLite found wrong. (PostgreSQL keeps
    /// its pages consistent itself: `ok`.)
    pub async fn integrity_check(&self) -> Result<String> {
        dialect::integrity_check(&self.pool).await
    }

    /// Row counts of the registry's tables.
    pub async fn counts(&self) -> Result<Counts> {
        per_backend!(Pool, &self.pool, |pool, pg| {
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

    /// A stamp that changes whenever summaries may have changed (an import committed, or a
    /// decision that may recognise another class than the survey's): the newest import's id,
    /// and how many imports and decisions there are. Caches of reports compare it.
    pub async fn data_version(&self) -> Result<(i64, i64)> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let (max, n): (Option<i64>, i64) = sqlx::query_as(
                "SELECT (SELECT MAX(id) FROM import),                  CAST((SELECT COUNT(*) FROM import) + (SELECT COUNT(*) FROM review_decision)                  AS BIGINT)",
            )
            .fetch_one(pool)
            .await?;
            Ok((max.unwrap_or(0), n))
        })
    }
}
