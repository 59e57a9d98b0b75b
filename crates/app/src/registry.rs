//! The one way to the registry's data. A [`Registry`] is opened once from its options; it hands
//! out a handle for each use:
//!
//! - [`Registry::for_actor`]: what a logged-in user reads and writes, each method checking the
//!   user's scope and role first (a unit or record outside the scope is [`Denied::NotFound`],
//!   the same answer as one that does not exist);
//! - [`Registry::sessions`]: logging in, resuming a session from its token, logging out;
//! - [`Registry::unscoped`]: the command line's bulk work (imports, demonstration data, reports
//!   and exports of any unit, users, the audit log's checks), on behalf of the machine's user and
//!   limited by nothing but the database itself.
//!
//! The web application and the command line reach the database only through these.

use crate::access::{units_of, Actor, Denied, Role};
use crate::export::{ExportError, Tables};
use crate::import::{FileReport, ImportError, ImportOptions, SurveyFiles};
use crate::report::{Report, ReportCache};
use crate::session::{self, Held, LoginLimiter};
use giamngheo_rules::chrono::{Duration, Utc};
use giamngheo_rules::{msg, ClassReason, CommuneCode, Decimal, Msg, Standards, UnitCode};
use giamngheo_store::{
    Anchor, AssessmentLine, AuditEntry, AuditFilter, AuditHead, Backend, Change, CommuneSummary,
    Counts, HouseholdDetail, HouseholdPage, HouseholdQuery, NewUser, Store, StoreError,
    StoreOptions, User, VillageFigures, Who,
};
use std::str::FromStr;
use std::sync::Arc;

/// A use case's failure: refused, or what it rests on failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Import(#[from] ImportError),
    /// What was asked cannot be done as asked; the message says why.
    #[error("{0}")]
    Invalid(Msg),
    /// Rows of a file or a form refused, each named (nothing was written).
    #[error("{} rows refused", .0.len())]
    Rejected(Vec<giamngheo_survey::RowError>),
}

/// The registry: its database, the standards it classifies by, and the reports it keeps until
/// the data change. Cheap to clone (the clones share everything).
#[derive(Clone)]
pub struct Registry {
    pub(crate) store: Store,
    standards: Arc<Standards>,
    reports: Arc<ReportCache>,
    /// The programme catalogues and funding sources (`programs/`).
    pub(crate) programs: Arc<giamngheo_rules::program::Programs>,
    /// Provinces' money figures, until money is written.
    pub(crate) money_cache: Arc<crate::money::MoneyCache>,
    /// The support rules and the communes' statuses (`programs/support-rules.toml`,
    /// `data/unit-status.csv`).
    pub(crate) support: Arc<crate::support::SupportData>,
    /// The indicators targets are set on (`programs/target-indicators.toml`).
    pub(crate) indicators: Arc<giamngheo_rules::target::Indicators>,
    /// The review's procedure and working-day calendar (`review/`).
    pub(crate) procedure: Arc<(
        giamngheo_rules::review::Procedure,
        giamngheo_rules::review::Calendar,
    )>,
}

impl Registry {
    /// Opens the registry's database (created and migrated when new) and loads the reference
    /// data on first start; the second value says whether it was loaded now.
    pub async fn open(
        options: &StoreOptions,
        standards: Standards,
    ) -> Result<(Registry, bool), StoreError> {
        let store = Store::open_with(options).await?;
        let loaded = store.load_reference(&giamngheo_survey::reference()).await?;
        let procedure = giamngheo_rules::review::Procedure::builtin()
            .and_then(|p| Ok((p, giamngheo_rules::review::Calendar::builtin()?)))
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let programs = giamngheo_rules::program::Programs::builtin()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let support = crate::support::SupportData::builtin().map_err(StoreError::Invalid)?;
        let indicators =
            giamngheo_rules::target::Indicators::builtin().map_err(StoreError::Invalid)?;
        Ok((
            Registry {
                store,
                programs: Arc::new(programs),
                money_cache: Arc::new(crate::money::MoneyCache::default()),
                support: Arc::new(support),
                indicators: Arc::new(indicators),
                standards: Arc::new(standards),
                reports: Arc::new(ReportCache::default()),
                procedure: Arc::new(procedure),
            },
            loaded,
        ))
    }

    /// The standards the registry classifies by.
    pub fn standards(&self) -> &Standards {
        &self.standards
    }

    /// Which database the registry is on.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Closes the database's connections.
    pub async fn close(&self) {
        self.store.close().await
    }

    /// What a logged-in user may read and do.
    pub fn for_actor<'a>(&'a self, actor: &'a Actor) -> Scoped<'a> {
        Scoped {
            registry: self,
            actor,
        }
    }

    /// The programme catalogues and funding sources, as data.
    pub fn programs(&self) -> &giamngheo_rules::program::Programs {
        &self.programs
    }

    /// The kinds of support and their rules, as data.
    pub fn support_rules(&self) -> &giamngheo_rules::support::SupportRules {
        &self.support.rules
    }

    /// The indicators targets are set on, as data.
    pub fn indicators(&self) -> &giamngheo_rules::target::Indicators {
        &self.indicators
    }

    /// The support rules and the communes' statuses.
    pub fn support_data(&self) -> &crate::support::SupportData {
        &self.support
    }

    /// The review's procedure, as data.
    pub fn procedure(&self) -> &giamngheo_rules::review::Procedure {
        &self.procedure.0
    }

    /// What anyone reads without logging in: the public postings of the reviews.
    pub fn public(&self) -> crate::reviews::Public<'_> {
        crate::reviews::Public { registry: self }
    }

    /// Logins and sessions.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { registry: self }
    }

    /// The command line's bulk work, on behalf of the machine's user: no scope applies.
    pub fn unscoped(&self) -> Unscoped<'_> {
        Unscoped { registry: self }
    }
}

/// A logged-in user's handle on the registry: every method checks the user's scope and role
/// before it reads or writes.
pub struct Scoped<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) actor: &'a Actor,
}

impl Scoped<'_> {
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    pub(crate) fn who(&self) -> Who {
        Who {
            user_id: Some(self.actor.user_id),
            name: self.actor.name.clone(),
        }
    }

    /// A unit's report (all its years unless `from`/`to` are given), with a target.
    pub async fn unit_report(
        &self,
        unit: &UnitCode,
        (from, to): (Option<i32>, Option<i32>),
        target_points: Option<f64>,
    ) -> Result<Report, QueryError> {
        self.actor.read(unit)?;
        let r = self
            .registry
            .reports
            .report(
                &self.registry.store,
                &self.registry.standards,
                unit,
                from,
                to,
            )
            .await?
            .ok_or(Denied::NotFound)?;
        Ok(Report {
            target_points,
            ..(*r).clone()
        })
    }

    /// The years a unit has figures for.
    pub async fn unit_years(&self, unit: &UnitCode) -> Result<Vec<i32>, QueryError> {
        self.actor.read(unit)?;
        Ok(self.registry.store.years_of(unit).await?)
    }

    /// A page of a unit's households.
    pub async fn households(&self, query: &HouseholdQuery) -> Result<HouseholdPage, QueryError> {
        self.actor.read(&query.unit)?;
        Ok(self.registry.store.households(query).await?)
    }

    /// A commune's villages with their households by class in a year.
    pub async fn village_figures(
        &self,
        commune: &CommuneCode,
        year: i32,
    ) -> Result<Vec<VillageFigures>, QueryError> {
        self.actor.read(&UnitCode::Commune(*commune))?;
        let mut v = self.registry.store.village_figures(commune, year).await?;
        // households without a village last
        v.sort_by(|a, b| match (&a.village, &b.village) {
            (Some(a), Some(b)) => crate::text::natural_cmp(a, b),
            (a, b) => a.is_none().cmp(&b.is_none()),
        });
        Ok(v)
    }

    /// The villages of a commune.
    pub async fn villages(&self, commune: &CommuneCode) -> Result<Vec<String>, QueryError> {
        self.actor.read(&UnitCode::Commune(*commune))?;
        let mut v = self.registry.store.villages(commune).await?;
        v.sort_by(|a, b| crate::text::natural_cmp(a, b));
        Ok(v)
    }

    /// The ethnic groups of a unit's household heads in a year, with their counts.
    pub async fn ethnic_counts(
        &self,
        unit: &UnitCode,
        year: i32,
    ) -> Result<Vec<giamngheo_store::EthnicCount>, QueryError> {
        self.actor.read(unit)?;
        Ok(self.registry.store.ethnic_counts(unit, year).await?)
    }

    /// A household with its members and reviews. Personal ID numbers are masked for users who
    /// do not see them whole.
    pub async fn household(&self, id: i64) -> Result<HouseholdDetail, QueryError> {
        let mut h = self
            .registry
            .store
            .household(id)
            .await?
            .ok_or(Denied::NotFound)?;
        if !self.actor.sees_commune(&h.commune_code) {
            return Err(Denied::NotFound.into());
        }
        if !self.actor.sees_id_numbers() {
            for m in &mut h.members {
                m.id_number = m.id_number.as_deref().map(mask_id);
            }
        }
        Ok(h)
    }

    /// A unit's survey of a year in the exchange format, personal IDs included: for the users who
    /// see them whole (not leaders, who get [`Denied::Forbidden`]). The households the query's
    /// filters find (its page aside), or every household when it filters nothing.
    pub async fn survey_export(&self, query: &HouseholdQuery) -> Result<Tables, QueryError> {
        self.actor.read(&query.unit)?;
        if !self.actor.sees_id_numbers() {
            return Err(Denied::Forbidden.into());
        }
        let store = &self.registry.store;
        let keep = match query.filters_anything() {
            true => Some(store.household_keys(query).await?.into_iter().collect()),
            false => None,
        };
        let t = crate::export::tables(store, &query.unit, query.year, keep.as_ref()).await?;
        // a year without households is not there; a filter may find none
        if t.households.1.is_empty() && keep.is_none() {
            return Err(Denied::NotFound.into());
        }
        Ok(t)
    }

    /// Imports a survey for a review year as this user: the households of communes outside
    /// what they may import are errors, each named.
    pub async fn import_survey(
        &self,
        year: i32,
        legacy_units: bool,
        files: &SurveyFiles,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<FileReport, QueryError> {
        if !self.actor.may_import_somewhere() {
            return Err(Denied::Forbidden.into());
        }
        let opts = ImportOptions {
            year,
            standard: None,
            legacy_units,
            who: self.who(),
            scope: Some(self.actor.clone()),
            replace: false,
            dry_run: false,
            decided: None,
        };
        Ok(crate::import::import_survey(
            &self.registry.store,
            &self.registry.standards,
            &opts,
            files,
            progress,
        )
        .await?)
    }

    /// The audit log, for inspectors and administrators, limited to the user's units; and the
    /// state of the whole chain (`Ok(entries)` or the first entry that breaks it).
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditEntry>, Result<i64, i64>), QueryError> {
        if !self.actor.may_audit() {
            return Err(Denied::Forbidden.into());
        }
        let mut f = filter.clone();
        f.units = self
            .actor
            .unit
            .as_ref()
            .map(|u| units_of(u).iter().map(|u| u.to_string()).collect());
        let entries = self.registry.store.audit_log(&f).await?;
        let chain = self.registry.store.verify_audit_log().await?;
        Ok((entries, chain))
    }

    /// The audit log's last entry, for an inspector to export and check the log against later.
    pub async fn audit_head(&self) -> Result<Option<AuditHead>, QueryError> {
        if !self.actor.may_audit() {
            return Err(Denied::Forbidden.into());
        }
        Ok(self.registry.store.audit_head().await?)
    }

    /// The audit log against an exported head (its chain is checked by [`Scoped::audit_log`]).
    pub async fn audit_anchor(&self, id: i64, hash: &str) -> Result<Anchor, QueryError> {
        if !self.actor.may_audit() {
            return Err(Denied::Forbidden.into());
        }
        Ok(self.registry.store.verify_audit_anchor(id, hash).await?)
    }

    /// Records that this user was refused `what` (a request, as `METHOD /path`) by the scope
    /// rules, with the answer's status and the client's address.
    pub async fn record_denial(
        &self,
        what: &str,
        status: u16,
        address: Option<&str>,
    ) -> Result<(), QueryError> {
        let change = Change {
            action: "access.denied".into(),
            record: what.to_string(),
            unit_code: self.actor.unit.map(|u| u.to_string()),
            after: Some(serde_json::json!({ "status": status, "address": address }).to_string()),
            ..Default::default()
        };
        Ok(self.registry.store.audit(&self.who(), &change).await?)
    }
}

/// A personal ID number with all but its last three digits hidden
/// ([`giamngheo_rules::IdNumber::masked`]; the registry holds only valid numbers, anything else
/// is hidden whole).
pub fn mask_id(id: &str) -> String {
    giamngheo_rules::IdNumber::new(id).map_or_else(|| "*".repeat(id.len()), |i| i.masked())
}

/// Why an assessment of the registry has its class: the facts of the standard it was made
/// under (`None` when the registry's standards no longer hold it).
pub fn class_reason(standards: &Standards, a: &AssessmentLine) -> Option<ClassReason> {
    let std = standards.get(&a.standard)?;
    let decimal = |s: &Option<String>| s.as_deref().and_then(|v| Decimal::from_str(v).ok());
    Some(std.reason(
        a.area,
        a.income_line,
        decimal(&a.income_per_capita),
        decimal(&a.b1_score),
        a.surveyed_class.unwrap_or(a.class),
        u32::try_from(a.deprivation_count).unwrap_or(0),
    ))
}

/// An open session: its user and the token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSession {
    pub actor: Actor,
    /// A password someone else set: the user changes it before anything else.
    pub must_change_password: bool,
    pub csrf: String,
    /// What the database keeps of the browser's token.
    pub token_hash: String,
}

/// How a login went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// A session is open: the browser keeps `token`.
    Opened { token: String },
    /// The name or the password is wrong (which one is not said).
    Failed,
    /// Too many failures of this name or from this address: held back for a while.
    Held(Held),
}

/// Logins and sessions.
pub struct Sessions<'a> {
    registry: &'a Registry,
}

/// The most characters of a login name counted and recorded: no user name is longer.
const NAME_CHARS: usize = 128;

/// An argon2 hash of nothing anyone types, checked when the user name does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2QnIuDR6Y3ePSrXjQ1eWUzPMdg4sqIaYm0bmyAgJ0j0";

impl Sessions<'_> {
    /// Logs a user in from `address`. Failures count against the name and the address in
    /// `limiter`; each failure, the first refusal of each hold, and each login are audited.
    pub async fn login(
        &self,
        limiter: &LoginLimiter,
        name: &str,
        password: &str,
        address: Option<&str>,
    ) -> Result<Login, StoreError> {
        let store = &self.registry.store;
        // the name as counted and recorded (a longer one fails anyway)
        let counted: String = name
            .trim()
            .to_lowercase()
            .chars()
            .take(NAME_CHARS)
            .collect();
        let refusal = |action: &str, why: &str| Change {
            action: action.into(),
            record: format!("login:{counted}"),
            after: Some(serde_json::json!({ "address": address, "reason": why }).to_string()),
            ..Default::default()
        };
        let anonymous = Who {
            user_id: None,
            name: String::new(),
        };
        if let Some((held, first)) = limiter.hold(&counted, address) {
            let why = match held {
                Held::Name => "name",
                Held::Address => "address",
            };
            // the hold is recorded once, not each attempt it refuses
            if first {
                store
                    .audit(&anonymous, &refusal("session.login_limited", why))
                    .await?;
            }
            return Ok(Login::Held(held));
        }
        let user = store.user_by_name(name.trim()).await?;
        let ok = match &user {
            Some(u) if u.active => session::check_password(password, &u.password_hash).await,
            _ => {
                // the same work as a real check, so that timing does not tell which names exist
                let _ = session::check_password(password, DUMMY_HASH).await;
                false
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            limiter.failed(&counted, address);
            store
                .audit(&anonymous, &refusal("session.login_failed", "password"))
                .await?;
            return Ok(Login::Failed);
        };
        limiter.succeeded(&counted);
        let token = session::token();
        let csrf = session::token();
        let expires = Utc::now() + Duration::hours(session::SESSION_HOURS);
        store
            .open_session(&user, &session::token_hash(&token), &csrf, expires)
            .await?;
        Ok(Login::Opened { token })
    }

    /// The session a browser's token opens, when it is open and its user active.
    pub async fn resume(&self, token: &str) -> Result<Option<OpenSession>, StoreError> {
        let token_hash = session::token_hash(token);
        let Some(s) = self.registry.store.session(&token_hash).await? else {
            return Ok(None);
        };
        let Some(role) = Role::from_code(&s.user.role) else {
            return Ok(None);
        };
        Ok(Some(OpenSession {
            actor: Actor {
                user_id: s.user.id,
                name: s.user.name.clone(),
                full_name: s.user.full_name.clone(),
                role,
                unit: s.user.unit_code.as_deref().and_then(UnitCode::parse),
            },
            must_change_password: s.user.must_change_password,
            csrf: s.csrf_token,
            token_hash,
        }))
    }

    /// Ends a session; audited.
    pub async fn logout(&self, session: &OpenSession) -> Result<(), StoreError> {
        let store = &self.registry.store;
        store.close_session(&session.token_hash).await?;
        let a = &session.actor;
        store
            .audit(
                &Who {
                    user_id: Some(a.user_id),
                    name: a.name.clone(),
                },
                &Change {
                    action: "session.logout".into(),
                    record: format!("user:{}", a.user_id),
                    unit_code: a.unit.map(|u| u.to_string()),
                    ..Default::default()
                },
            )
            .await
    }
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub full_name: String,
    pub role: Role,
    /// A province or commune; `None` for the whole country.
    pub unit: Option<UnitCode>,
    pub password: String,
}

/// The fewest characters of a password.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The command line's handle on the registry: imports, demonstration data, reports and exports
/// of any unit, users and the audit log's checks, on behalf of the machine's user. No scope
/// applies: whoever runs the command has the database itself.
pub struct Unscoped<'a> {
    registry: &'a Registry,
}

impl Unscoped<'_> {
    /// Imports a money file of a kind (CSV, or the kind's sheet of a workbook) for any unit,
    /// all or none.
    pub async fn import_money(
        &self,
        kind: crate::money::MoneyKind,
        path: &std::path::Path,
        today: giamngheo_rules::NaiveDate,
    ) -> Result<crate::money::MoneyWritten, QueryError> {
        let (name, rows) = crate::money::read_kind(path, kind).map_err(QueryError::Rejected)?;
        self.write_money(kind, &name, &rows, today).await
    }

    /// Money rows of a kind (of a file named `name`, or made by a program), for any unit, all
    /// or none.
    pub async fn write_money(
        &self,
        kind: crate::money::MoneyKind,
        name: &std::sync::Arc<str>,
        rows: &[crate::money::Row],
        today: giamngheo_rules::NaiveDate,
    ) -> Result<crate::money::MoneyWritten, QueryError> {
        crate::money::write_rows(
            &self.registry.store,
            &self.registry.programs,
            &Who::cli(),
            None,
            kind,
            name,
            rows,
            today,
        )
        .await
    }

    /// A unit's plans, payments or estimates of a year as the money files write them.
    pub async fn money_export(
        &self,
        unit: &UnitCode,
        year: i32,
        kind: crate::money::MoneyKind,
    ) -> Result<Vec<Vec<String>>, QueryError> {
        crate::money::export_rows(&self.registry.store, unit, year, kind).await
    }

    /// Imports a support file for any commune, all or none.
    pub async fn import_support(
        &self,
        path: &std::path::Path,
        today: giamngheo_rules::NaiveDate,
    ) -> Result<crate::support::SupportWritten, QueryError> {
        let cols = crate::support::columns(&self.registry.programs);
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let (name, rows) = crate::support::read_support(path, &cols)?;
        self.write_support(&name, &rows, today, &Who::cli()).await
    }

    /// Support rows (of a file named `name`, or made by a program) for any commune, all or
    /// none, recorded as `who`.
    pub async fn write_support(
        &self,
        name: &std::sync::Arc<str>,
        rows: &[crate::money::Row],
        today: giamngheo_rules::NaiveDate,
        who: &Who,
    ) -> Result<crate::support::SupportWritten, QueryError> {
        let r = self.registry;
        crate::support::write_support_rows(
            &r.store,
            &r.programs,
            r.standards(),
            &r.support,
            who,
            None,
            name,
            rows,
            today,
        )
        .await
    }

    /// Imports a model file (models and participants) for any commune, all or none.
    pub async fn import_models(
        &self,
        path: &std::path::Path,
        today: giamngheo_rules::NaiveDate,
    ) -> Result<crate::models::ModelsWritten, QueryError> {
        let file = crate::models::read_model_file(path, &self.registry.programs)?;
        self.write_models(&file, today, &Who::cli()).await
    }

    /// Models and participants already read (or made by a program), recorded as `who`.
    pub async fn write_models(
        &self,
        file: &crate::models::ModelFile,
        today: giamngheo_rules::NaiveDate,
        who: &Who,
    ) -> Result<crate::models::ModelsWritten, QueryError> {
        let r = self.registry;
        crate::models::write_model_file(
            &r.store,
            &r.programs,
            r.standards(),
            &r.support,
            who,
            None,
            file,
            today,
        )
        .await
    }

    /// A unit's support records, filtered, as rows of a support file.
    pub async fn support_export(
        &self,
        q: &crate::support::SupportQuery,
    ) -> Result<Vec<Vec<String>>, QueryError> {
        let unit = UnitCode::parse(&q.unit).ok_or(crate::access::Denied::NotFound)?;
        crate::support::export_for(&self.registry.store, &self.registry.programs, &unit, q).await
    }

    /// A unit's models and participants in the model file's format.
    pub async fn models_export(
        &self,
        unit: &UnitCode,
    ) -> Result<crate::models::ModelsExport, QueryError> {
        let r = self.registry;
        crate::models::models_export(&r.store, &r.programs, unit, |_| true).await
    }

    /// Outcomes of a unit's support, per programme item and kind.
    pub async fn outcomes(
        &self,
        unit: &UnitCode,
    ) -> Result<Vec<crate::models::Outcome>, QueryError> {
        let r = self.registry;
        crate::models::outcomes(&r.store, &r.programs, &r.support.rules, unit).await
    }

    /// How many support records there are.
    pub async fn support_count(&self) -> Result<i64, QueryError> {
        Ok(self.registry.store.support_version().await?.0)
    }

    /// The duplicate beneficiaries among a unit's support records.
    pub async fn support_duplicates(
        &self,
        unit: &UnitCode,
    ) -> Result<(usize, Vec<crate::support::DuplicatePair>), QueryError> {
        crate::support::duplicate_pairs(&self.registry.store, &self.registry.support, unit).await
    }

    /// The budget years a unit's province has money for, newest first.
    pub async fn money_years(&self, unit: &UnitCode) -> Result<Vec<i32>, QueryError> {
        let province = crate::access::province_of(unit).ok_or(Denied::NotFound)?;
        Ok(self.registry.store.money_years(province.as_str()).await?)
    }

    /// A unit's money of a year, the plans as in force on `on`.
    pub async fn money(
        &self,
        unit: &UnitCode,
        year: i32,
        on: giamngheo_rules::NaiveDate,
    ) -> Result<crate::money::MoneyReport, QueryError> {
        crate::money::report(
            &self.registry.store,
            &self.registry.money_cache,
            unit,
            year,
            on,
        )
        .await
    }

    /// Imports a survey for a review year (any commune).
    pub async fn import_survey(
        &self,
        opts: &ImportOptions,
        files: &SurveyFiles,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<FileReport, ImportError> {
        crate::import::import_survey(
            &self.registry.store,
            &self.registry.standards,
            opts,
            files,
            progress,
        )
        .await
    }

    /// Locks a province's year once every case of it has ended: afterwards no import changes it
    /// (as the provincial officer does on the reviews page). Returns how many reviews locked.
    pub async fn lock_year(
        &self,
        province: &giamngheo_rules::ProvinceCode,
        year: i32,
    ) -> Result<usize, QueryError> {
        crate::reviews::lock(&self.registry.store, &Who::cli(), province.as_str(), year).await
    }

    /// A unit's report for `from..=to`, with a target; `None` for no such unit.
    pub async fn unit_report(
        &self,
        unit: &UnitCode,
        from: i32,
        to: i32,
        target_points: Option<f64>,
    ) -> Result<Option<Report>, StoreError> {
        crate::report::report(
            &self.registry.store,
            &self.registry.standards,
            unit,
            from,
            to,
            target_points,
        )
        .await
    }

    /// The years a unit has figures for.
    pub async fn unit_years(&self, unit: &UnitCode) -> Result<Vec<i32>, StoreError> {
        self.registry.store.years_of(unit).await
    }

    /// A unit's survey of a year in the exchange format.
    pub async fn survey_export(&self, unit: &UnitCode, year: i32) -> Result<Tables, ExportError> {
        crate::export::tables(&self.registry.store, unit, year, None).await
    }

    /// How many rows of each kind the registry holds.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        self.registry.store.counts().await
    }

    /// The figures each commune of a unit keeps for the years `from..=to`, in commune and year
    /// order (what the reports add up).
    pub async fn commune_summaries(
        &self,
        unit: &UnitCode,
        from: i32,
        to: i32,
    ) -> Result<Vec<CommuneSummary>, StoreError> {
        self.registry.store.summaries(unit, from, to).await
    }

    /// A page of any unit's households.
    pub async fn households(&self, query: &HouseholdQuery) -> Result<HouseholdPage, StoreError> {
        self.registry.store.households(query).await
    }

    /// Any household, whole (IDs unmasked): for the command line and tests.
    pub async fn household(&self, id: i64) -> Result<Option<HouseholdDetail>, StoreError> {
        self.registry.store.household(id).await
    }

    /// Entries of the audit log, of any unit, newest first.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.registry.store.audit_log(filter).await
    }

    /// Creates a user, after checking that the role takes the unit (see [`Role::takes_unit`])
    /// and that the password is long enough; audited. Returns the user's id.
    pub async fn add_user(&self, account: &NewAccount) -> Result<i64, QueryError> {
        account
            .role
            .takes_unit(account.unit.as_ref())
            .map_err(QueryError::Invalid)?;
        let hash = password_hash(&account.password)?;
        Ok(self
            .registry
            .store
            .add_user(
                &Who::cli(),
                &NewUser {
                    name: account.name.clone(),
                    full_name: account.full_name.clone(),
                    role: account.role.code().into(),
                    unit_code: account.unit.map(|u| u.to_string()),
                    password_hash: hash,
                    must_change_password: false,
                },
            )
            .await?)
    }

    /// Sets a user's password; their sessions close. Audited.
    pub async fn set_password(&self, name: &str, password: &str) -> Result<(), QueryError> {
        let hash = password_hash(password)?;
        Ok(self
            .registry
            .store
            .set_password(&Who::cli(), name, &hash)
            .await?)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        self.registry.store.users().await
    }

    /// The audit log's last entry, to keep outside the system.
    pub async fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        self.registry.store.audit_head().await
    }

    /// The audit log's chain from its first entry: `Ok(entries)` or the first that breaks it.
    pub async fn verify_audit_log(&self) -> Result<Result<i64, i64>, StoreError> {
        self.registry.store.verify_audit_log().await
    }

    /// The audit log against a head exported earlier.
    pub async fn verify_audit_anchor(&self, id: i64, hash: &str) -> Result<Anchor, StoreError> {
        self.registry.store.verify_audit_anchor(id, hash).await
    }

    /// The database's own consistency check: `ok`, or what it found.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        self.registry.store.integrity_check().await
    }
}

/// A password's argon2 hash, once it is long enough.
pub(crate) fn password_hash(password: &str) -> Result<String, QueryError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(QueryError::Invalid(msg!(
            "password_too_short",
            min = MIN_PASSWORD_CHARS
        )));
    }
    session::hash_password(password)
        .map_err(|e| QueryError::Invalid(msg!("password_not_hashed", error = e)))
}
