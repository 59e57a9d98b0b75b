//! What the pages and the API read, each use case checking the user's scope first: a unit or
//! household outside it is [`Denied::NotFound`], the same answer as one that does not exist.

use crate::access::{Actor, Denied};
use crate::report::{Report, ReportCache};
use giamngheo_rules::Standards;
use giamngheo_store::{
    AuditEntry, AuditFilter, HouseholdDetail, HouseholdPage, HouseholdQuery, Store, StoreError,
};
use giamngheo_survey::parse::IdNumber;
use giamngheo_survey::Catalogue;
use std::sync::Arc;

/// A use case's failure: refused, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Export(#[from] crate::export::ExportError),
}

/// A unit's survey of a year in the exchange format, personal IDs included: for the users who
/// see them whole (not leaders, who get [`Denied::Forbidden`]).
pub async fn survey_export(
    store: &Store,
    actor: &Actor,
    unit: &str,
    year: i32,
) -> Result<crate::export::Tables, QueryError> {
    actor.read(unit)?;
    if !actor.sees_id_numbers() {
        return Err(Denied::Forbidden.into());
    }
    let t = crate::export::tables(store, unit, year).await?;
    if t.households.1.is_empty() {
        return Err(Denied::NotFound.into());
    }
    Ok(t)
}

/// A unit's report (all its years unless `from`/`to` are given), with a target.
pub async fn unit_report(
    cache: &ReportCache,
    store: &Store,
    standards: &Standards,
    actor: &Actor,
    unit: &str,
    (from, to): (Option<i32>, Option<i32>),
    target_points: Option<f64>,
) -> Result<Report, QueryError> {
    actor.read(unit)?;
    let r: Arc<Report> = cache
        .report(store, standards, unit, from, to)
        .await?
        .ok_or(Denied::NotFound)?;
    Ok(Report {
        target_points,
        ..(*r).clone()
    })
}

/// The years a unit has figures for.
pub async fn unit_years(store: &Store, actor: &Actor, unit: &str) -> Result<Vec<i32>, QueryError> {
    actor.read(unit)?;
    Ok(store.years_of(unit).await?)
}

/// A page of a unit's households.
pub async fn households(
    store: &Store,
    actor: &Actor,
    query: &HouseholdQuery,
) -> Result<HouseholdPage, QueryError> {
    actor.read(&query.unit)?;
    Ok(store.households(query).await?)
}

/// A commune's villages with their households by class in a year (a commune only: a province's
/// figures are per commune).
pub async fn village_figures(
    store: &Store,
    actor: &Actor,
    commune: &str,
    year: i32,
) -> Result<Vec<giamngheo_store::VillageFigures>, QueryError> {
    actor.read(commune)?;
    if commune.len() != 5 {
        return Err(Denied::NotFound.into());
    }
    Ok(store.village_figures(commune, year).await?)
}

/// The villages of a commune.
pub async fn villages(
    store: &Store,
    actor: &Actor,
    commune: &str,
) -> Result<Vec<String>, QueryError> {
    actor.read(commune)?;
    Ok(store.villages(commune).await?)
}

/// A household with its members and reviews. Personal ID numbers are masked for users who do
/// not see them whole.
pub async fn household(
    store: &Store,
    actor: &Actor,
    id: i64,
) -> Result<HouseholdDetail, QueryError> {
    let mut h = store.household(id).await?.ok_or(Denied::NotFound)?;
    actor.read(&h.commune_code)?;
    if !actor.sees_id_numbers() {
        for m in &mut h.members {
            m.id_number = m.id_number.as_deref().map(mask_id);
        }
    }
    Ok(h)
}

/// A personal ID number with all but its last three digits hidden ([`IdNumber::masked`]; the
/// registry holds only valid numbers, anything else is hidden whole).
pub fn mask_id(id: &str) -> String {
    IdNumber::new(id).map_or_else(|| "*".repeat(id.len()), |i| i.masked())
}

/// The audit log, for inspectors and administrators, limited to the user's units.
pub async fn audit_log(
    store: &Store,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<(Vec<AuditEntry>, Result<i64, i64>), QueryError> {
    if !actor.may_audit() {
        return Err(Denied::Forbidden.into());
    }
    let mut f = filter.clone();
    f.units = actor.unit.as_deref().map(units_of);
    let entries = store.audit_log(&f).await?;
    let chain = store.verify_audit_log().await?;
    Ok((entries, chain))
}

/// The audit log's last entry, for an inspector to export and check the log against later.
pub async fn audit_head(
    store: &Store,
    actor: &Actor,
) -> Result<Option<giamngheo_store::AuditHead>, QueryError> {
    if !actor.may_audit() {
        return Err(Denied::Forbidden.into());
    }
    Ok(store.audit_head().await?)
}

/// The audit log against an exported head (its chain is checked by [`audit_log`]).
pub async fn audit_anchor(
    store: &Store,
    actor: &Actor,
    id: i64,
    hash: &str,
) -> Result<giamngheo_store::Anchor, QueryError> {
    if !actor.may_audit() {
        return Err(Denied::Forbidden.into());
    }
    Ok(store.verify_audit_anchor(id, hash).await?)
}

/// A unit and, for a province, its communes.
pub fn units_of(unit: &str) -> Vec<String> {
    let mut units = vec![unit.to_string()];
    if unit.len() == 2 {
        units.extend(
            Catalogue::builtin()
                .communes()
                .filter(|c| c.province_code == unit)
                .map(|c| c.code.clone()),
        );
    }
    units
}

/// Whether the user may import for at least one commune.
pub fn may_import_somewhere(actor: &Actor) -> bool {
    match actor.unit.as_deref() {
        Some(u) if u.len() == 2 => Catalogue::builtin()
            .communes()
            .find(|c| c.province_code == u)
            .is_some_and(|c| actor.may_import(&c.code)),
        Some(u) => actor.may_import(u),
        None => actor.may_import("00070"),
    }
}
