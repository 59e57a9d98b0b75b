//! A unit's targets and their achievement: a province's officers set them (for the province and
//! its communes) on the indicators of `programs/target-indicators.toml`, and each is measured
//! from the registry (the poverty rate's average annual decrease), the support records (how many
//! households housed, workers trained) or the money (disbursed against plan) over its span.

use crate::access::{province_of, Denied};
use crate::registry::QueryError;
use giamngheo_rules::target::{achievement, Measure};
use giamngheo_rules::{msg, Decimal, NaiveDate, UnitCode};
pub use giamngheo_store::Target;
use std::str::FromStr;

/// A target as its page shows it: what was set, what was measured, and the share achieved.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub target: Target,
    pub name_vi: String,
    pub name_en: String,
    pub measure: Measure,
    /// The target's value.
    pub value: f64,
    /// What the registry, the support or the money shows over the span so far; none while it
    /// cannot be measured (fewer than two review years, no plan).
    pub measured: Option<f64>,
    /// `measured` over `value`, percent.
    pub achieved: Option<f64>,
}

/// A target to set, as a form gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewTarget {
    pub indicator: String,
    pub from_year: String,
    pub to_year: String,
    pub value: String,
    pub document: String,
    pub note: String,
}

impl crate::Scoped<'_> {
    /// Sets a target of a unit (the province's officers, for the province or one of its
    /// communes).
    pub async fn set_target(&self, unit: &UnitCode, t: &NewTarget) -> Result<i64, QueryError> {
        let indicators = &self.registry.indicators;
        self.actor().read(unit)?;
        if !self.actor().plans_reviews() {
            return Err(Denied::Forbidden.into());
        }
        let province = province_of(unit).ok_or(Denied::NotFound)?;
        let Some(indicator) = indicators.get(&t.indicator) else {
            return Err(QueryError::Invalid(msg!(
                "target_indicator_unknown",
                indicator = &t.indicator
            )));
        };
        let year = |v: &str| {
            v.trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
        };
        let (Some(from), Some(to)) = (year(&t.from_year), year(&t.to_year)) else {
            return Err(QueryError::Invalid(msg!("target_years")));
        };
        if from > to || to - from > 10 {
            return Err(QueryError::Invalid(msg!("target_years")));
        }
        let value = t.value.trim().replace(',', ".");
        match Decimal::from_str(&value) {
            Ok(v) if v > Decimal::ZERO && v <= Decimal::from(1_000_000_000) => {}
            _ => {
                return Err(QueryError::Invalid(msg!(
                    "target_value",
                    value = t.value.trim()
                )))
            }
        }
        let document = t.document.trim();
        if document.is_empty() || document.chars().count() > 120 {
            return Err(QueryError::Invalid(msg!("target_document")));
        }
        let note = t.note.trim();
        Ok(self
            .registry
            .store
            .set_target(
                &self.who(),
                &Target {
                    id: 0,
                    province_code: province.as_str().to_string(),
                    unit_code: unit.to_string(),
                    indicator: indicator.code.clone(),
                    from_year: from,
                    to_year: to,
                    value,
                    document: document.to_string(),
                    note: (!note.is_empty()).then(|| note.chars().take(300).collect()),
                    user_name: String::new(),
                },
            )
            .await?)
    }

    /// A unit's targets in force, each measured over its span up to `today`.
    pub async fn targets(
        &self,
        unit: &UnitCode,
        today: NaiveDate,
    ) -> Result<Vec<Progress>, QueryError> {
        let indicators = &self.registry.indicators;
        self.actor().read(unit)?;
        let mut out = Vec::new();
        for t in self.registry.store.targets(&unit.to_string()).await? {
            let Some(ind) = indicators.get(&t.indicator) else {
                continue;
            };
            let value = f64::from_str(&t.value).unwrap_or(0.0);
            let span = (
                t.from_year,
                t.to_year
                    .min(giamngheo_rules::chrono::Datelike::year(&today)),
            );
            let measured = match ind.measure {
                Measure::PovertyRateDecrease | Measure::MinorityRateDecrease => {
                    match self
                        .unit_report(unit, (Some(span.0), Some(span.1)), None)
                        .await
                    {
                        Ok(r) if ind.measure == Measure::PovertyRateDecrease => {
                            r.average_annual_decrease()
                        }
                        Ok(r) => r.minority_average_annual_decrease(),
                        Err(QueryError::Denied(Denied::NotFound)) => None,
                        Err(e) => return Err(e),
                    }
                }
                Measure::SupportCount => Some(
                    self.registry
                        .store
                        .support_count(&unit.to_string(), &ind.kinds, &ind.status, span)
                        .await? as f64,
                ),
                Measure::ModelCount => Some(
                    self.registry
                        .store
                        .models(&unit.to_string())
                        .await?
                        .iter()
                        .filter(|m| {
                            let y = giamngheo_rules::chrono::Datelike::year(&m.model.decided_on);
                            span.0 <= y
                                && y <= span.1
                                && (ind.kinds.is_empty() || ind.kinds.contains(&m.model.kind))
                        })
                        .count() as f64,
                ),
                Measure::DisbursedShare => {
                    let (mut plan, mut paid) = (0i64, 0i64);
                    for year in span.0..=span.1 {
                        let Some(end) = NaiveDate::from_ymd_opt(year, 12, 31) else {
                            continue;
                        };
                        let r = self.money(unit, year, end.min(today)).await?;
                        let own = unit.to_string();
                        let is_province = matches!(unit, UnitCode::Province(_));
                        plan += r.total(|k| !is_province || k.unit_code == own).plan;
                        paid += r.total(|_| true).disbursed();
                    }
                    (plan > 0).then(|| 100.0 * paid as f64 / plan as f64)
                }
            };
            out.push(Progress {
                achieved: measured.and_then(|m| achievement(m, value)),
                measured,
                value,
                measure: ind.measure,
                name_vi: ind.name_vi.clone(),
                name_en: ind.name_en.clone(),
                target: t,
            });
        }
        Ok(out)
    }
}
