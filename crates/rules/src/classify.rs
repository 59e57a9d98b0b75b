//! Classification of one household under a standard.

use crate::codes::{
    Area, Class, Devices, Disability, Education, Labour, Latrine, Relation, Schooling, Sex, Waste,
    WaterSource,
};
use crate::msg;
use crate::standard::{Rule, Standard};
use crate::text::Msg;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use smallvec::SmallVec;
use std::borrow::Borrow;

/// Deprivations a surveyor recorded directly (`d_<indicator>` columns), by registry code id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    known: u64,
    deprived: u64,
}

impl Recorded {
    pub fn set(&mut self, code_id: usize, deprived: bool) {
        if code_id < 64 {
            self.known |= 1 << code_id;
            if deprived {
                self.deprived |= 1 << code_id;
            } else {
                self.deprived &= !(1 << code_id);
            }
        }
    }

    pub fn get(&self, code_id: usize) -> Option<bool> {
        if code_id < 64 && self.known & (1 << code_id) != 0 {
            Some(self.deprived & (1 << code_id) != 0)
        } else {
            None
        }
    }

    pub fn is_empty(&self) -> bool {
        self.known == 0
    }
}

/// A household's answers, as the rules need them. `None` is "not recorded".
#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    pub id: String,
    pub area: Area,
    pub survey_date: NaiveDate,
    /// Number of members (the members file's count when it is given).
    pub members: u32,
    pub income_per_capita: Option<Decimal>,
    pub b1_score: Option<Decimal>,
    pub has_house: Option<bool>,
    pub nondurable_structures: Option<u8>,
    pub floor_area_m2: Option<Decimal>,
    pub water_source: Option<WaterSource>,
    pub latrine: Option<Latrine>,
    pub internet: Option<bool>,
    pub info_devices: Option<Devices>,
    pub waste: Option<Waste>,
    pub recorded: Recorded,
}

impl Household {
    /// A household with only the required identification and nothing recorded.
    pub fn new(id: impl Into<String>, area: Area, survey_date: NaiveDate, members: u32) -> Self {
        Household {
            id: id.into(),
            area,
            survey_date,
            members,
            income_per_capita: None,
            b1_score: None,
            has_house: None,
            nondurable_structures: None,
            floor_area_m2: None,
            water_source: None,
            latrine: None,
            internet: None,
            info_devices: None,
            waste: None,
            recorded: Recorded::default(),
        }
    }
}

/// A member's answers, as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub relation: Option<Relation>,
    pub health_insurance: Option<bool>,
    pub disability: Disability,
    pub social_allowance: Option<bool>,
    pub labour: Option<Labour>,
    pub malnourished: Option<bool>,
    pub schooling: Option<Schooling>,
    pub in_education: Option<bool>,
    pub education: Option<Education>,
}

impl Member {
    pub fn new(birth_date: NaiveDate, sex: Sex) -> Self {
        Member {
            birth_date,
            sex,
            relation: None,
            health_insurance: None,
            disability: Disability::None,
            social_allowance: None,
            labour: None,
            malnourished: None,
            schooling: None,
            in_education: None,
            education: None,
        }
    }
}

/// Something missing or impossible in the answers. `member` is the index of the member in the
/// slice given to [`Standard::assess`]; `field` is the exchange-format column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub member: Option<usize>,
    pub field: &'static str,
    pub message: Msg,
}

/// Which answer decided whether income is at or below the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeBasis {
    Income,
    B1Score,
}

/// A set of a standard's indicators, as bits in the standard's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IndicatorSet(pub u64);

impl IndicatorSet {
    pub fn contains(self, i: usize) -> bool {
        i < 64 && self.0 & (1 << i) != 0
    }

    pub fn insert(&mut self, i: usize) {
        if i < 64 {
            self.0 |= 1 << i;
        }
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Indices in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |i| self.contains(*i))
    }
}

/// The result of classifying one household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    pub area: Area,
    pub income_line: i64,
    pub income_basis: IncomeBasis,
    pub at_or_below_line: bool,
    pub class: Class,
    /// Indicators lacked, in the standard's order.
    pub deprived: IndicatorSet,
    /// Indicators whose value came from a recorded `d_` column rather than the answers.
    pub recorded: IndicatorSet,
    /// No member of working age, or all of them unable to work. `None` without members.
    pub without_working_capacity: Option<bool>,
}

impl Assessment {
    pub fn deprivation_count(&self) -> u32 {
        self.deprived.len()
    }
}

/// Full years and months of age on a date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<(u32, u32)> {
    if birth > on {
        return None;
    }
    let later_in_month = on.day() < birth.day();
    let months = (on.year() - birth.year()) * 12 + on.month() as i32
        - birth.month() as i32
        - i32::from(later_in_month);
    let months = u32::try_from(months).ok()?;
    Some((months / 12, months))
}

struct Ages {
    years: u32,
    /// At or above the age working age starts (whether or not it has ended).
    from_working_age: bool,
    working: bool,
    above_working: bool,
}

fn need(member: Option<usize>, field: &'static str, why: Msg) -> InputError {
    InputError {
        member,
        field,
        message: why,
    }
}

impl Standard {
    /// Classifies a household. `members` is `None` when there is no members file, in which case
    /// every member-based indicator must be recorded in a `d_` column.
    pub fn assess<M: Borrow<Member>>(
        &self,
        hh: &Household,
        members: Option<&[M]>,
    ) -> Result<Assessment, Vec<InputError>> {
        let mut errors = Vec::new();
        let year = hh.survey_date.year();
        let ages: Option<SmallVec<[Ages; 12]>> = members.map(|ms| {
            ms.iter()
                .map(Borrow::borrow)
                .enumerate()
                .map(
                    |(i, m): (usize, &Member)| match age_on(m.birth_date, hh.survey_date) {
                        Some((years, months)) => {
                            let retire = self.retirement_months(m.sex, year);
                            let from_working_age = years >= self.working_age.from_years;
                            Ages {
                                years,
                                from_working_age,
                                working: from_working_age && months < retire,
                                above_working: months >= retire,
                            }
                        }
                        None => {
                            errors.push(need(
                                Some(i),
                                "birth_date",
                                msg!(
                                    "birth_after_survey",
                                    birth = m.birth_date,
                                    survey = hh.survey_date
                                ),
                            ));
                            Ages {
                                years: 0,
                                from_working_age: false,
                                working: false,
                                above_working: false,
                            }
                        }
                    },
                )
                .collect()
        });
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut deprived = IndicatorSet::default();
        let mut recorded = IndicatorSet::default();
        for (idx, ind) in self.indicators.iter().enumerate() {
            if let Some(v) = hh.recorded.get(ind.code_id) {
                recorded.insert(idx);
                if v {
                    deprived.insert(idx);
                }
                continue;
            }
            let code = ind.code.as_str();
            let result = if ind.rule.uses_members() {
                match (members, &ages) {
                    (Some(ms), Some(ages)) => member_rule(&ind.rule, code, hh, ms, ages),
                    _ => Err(vec![need(
                        None,
                        "members",
                        msg!("recorded_needed", code = code),
                    )]),
                }
            } else {
                household_rule(&ind.rule, code, hh)
            };
            match result {
                Ok(true) => deprived.insert(idx),
                Ok(false) => {}
                Err(mut e) => errors.append(&mut e),
            }
        }

        let line = self.income_line.get(hh.area);
        let (basis, at_or_below) = match (hh.income_per_capita, hh.b1_score) {
            (Some(inc), _) => (IncomeBasis::Income, inc <= Decimal::from(line)),
            (None, Some(score)) => match self.b1_score_cutoff {
                Some(cut) => (
                    IncomeBasis::B1Score,
                    score <= Decimal::from(cut.get(hh.area)),
                ),
                None => {
                    errors.push(need(
                        None,
                        "b1_score",
                        msg!("no_b1_cutoff", standard = &self.id),
                    ));
                    (IncomeBasis::B1Score, false)
                }
            },
            (None, None) => {
                errors.push(need(None, "income_per_capita", msg!("income_or_b1")));
                (IncomeBasis::Income, false)
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        let class = if at_or_below {
            if deprived.len() >= self.poor_min_deprivations {
                Class::Poor
            } else {
                Class::NearPoor
            }
        } else {
            match (hh.income_per_capita, &self.average_band) {
                (Some(inc), Some(band)) => {
                    let b = band.get(hh.area);
                    if inc > Decimal::from(b.above) && inc <= Decimal::from(b.up_to) {
                        Class::Average
                    } else {
                        Class::NotPoor
                    }
                }
                _ => Class::NotPoor,
            }
        };

        let without_working_capacity = match (members, &ages) {
            (Some(ms), Some(ages)) => Some(
                ms.iter()
                    .map(Borrow::borrow)
                    .zip(ages)
                    .filter(|(_, a)| a.working)
                    .all(|(m, _): (&Member, _)| m.labour == Some(Labour::Unable)),
            ),
            _ => None,
        };

        Ok(Assessment {
            area: hh.area,
            income_line: line,
            income_basis: basis,
            at_or_below_line: at_or_below,
            class,
            deprived,
            recorded,
            without_working_capacity,
        })
    }
}

fn missing(field: &'static str, code: &str) -> Vec<InputError> {
    vec![need(None, field, msg!("required_to_derive", code = code))]
}

fn household_rule(rule: &Rule, code: &str, hh: &Household) -> Result<bool, Vec<InputError>> {
    match rule {
        Rule::HousingQuality { min_nondurable } => match hh.has_house {
            Some(false) => Ok(true),
            Some(true) => match hh.nondurable_structures {
                Some(n) => Ok(n >= *min_nondurable),
                None => Err(missing("nondurable_structures", code)),
            },
            None => Err(missing("has_house", code)),
        },
        Rule::FloorArea { min_m2_per_person } => {
            let area = match (hh.has_house, hh.floor_area_m2) {
                (Some(false), _) => Decimal::ZERO,
                (_, Some(a)) => a,
                (_, None) => return Err(missing("floor_area_m2", code)),
            };
            let needed = min_m2_per_person.checked_mul(Decimal::from(hh.members));
            Ok(needed.is_some_and(|n| area < n))
        }
        Rule::Water { safe } => match hh.water_source {
            Some(w) => Ok(!safe.contains(&w)),
            None => Err(missing("water_source", code)),
        },
        Rule::Sanitation { hygienic } => match hh.latrine {
            Some(l) => Ok(!hygienic.contains(&l)),
            None => Err(missing("latrine", code)),
        },
        Rule::Internet => match hh.internet {
            Some(i) => Ok(!i),
            None => Err(missing("internet", code)),
        },
        Rule::Devices { any_of } => match hh.info_devices {
            Some(d) => Ok(!any_of.iter().any(|x| d.contains(*x))),
            None => Err(missing("info_devices", code)),
        },
        Rule::Waste { not_deprived } => match hh.waste {
            Some(w) => Ok(!not_deprived.contains(&w)),
            None => Err(missing("waste", code)),
        },
        // member rules are dispatched to `member_rule`
        _ => Ok(false),
    }
}

fn member_need(i: usize, field: &'static str, years: u32, code: &str) -> InputError {
    need(
        Some(i),
        field,
        msg!("member_required_to_derive", years = years, code = code),
    )
}

fn member_rule<M: Borrow<Member>>(
    rule: &Rule,
    code: &str,
    hh: &Household,
    ms: &[M],
    ages: &[Ages],
) -> Result<bool, Vec<InputError>> {
    let ms = ms.iter().map(Borrow::borrow);
    let mut errors = Vec::new();
    let mut deprived = false;
    match rule {
        Rule::WorkingAgeLabour { labour } => {
            // `labour` is asked of everyone from the start of working age; it counts while
            // working age lasts
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                if !a.from_working_age {
                    continue;
                }
                match m.labour {
                    Some(l) => deprived |= a.working && labour.contains(&l),
                    None => errors.push(member_need(i, "labour", a.years, code)),
                }
            }
        }
        Rule::Dependants {
            max_share_percent,
            child_under_years,
            elderly_above_working_age,
            elderly_needs_allowance,
            disability,
            disabled_needs_allowance,
        } => {
            let mut dependants: u64 = 0;
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                let child = a.years < *child_under_years;
                let elderly = *elderly_above_working_age && a.above_working;
                let disabled = disability.contains(&m.disability);
                let needs_allowance = (elderly && *elderly_needs_allowance)
                    || (disabled && *disabled_needs_allowance);
                let counts = if child {
                    true
                } else if elderly || disabled {
                    let allowance_ok = match m.social_allowance {
                        Some(v) => v,
                        None if needs_allowance => {
                            errors.push(member_need(i, "social_allowance", a.years, code));
                            false
                        }
                        None => false,
                    };
                    (elderly && (!*elderly_needs_allowance || allowance_ok))
                        || (disabled && (!*disabled_needs_allowance || allowance_ok))
                } else {
                    false
                };
                dependants += u64::from(counts);
            }
            deprived = dependants * 100 > u64::from(hh.members) * u64::from(*max_share_percent);
        }
        Rule::MalnourishedChild { under_years } => {
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                if a.years < *under_years {
                    match m.malnourished {
                        Some(v) => deprived |= v,
                        None => errors.push(member_need(i, "malnourished", a.years, code)),
                    }
                }
            }
        }
        Rule::HealthInsurance { from_years } => {
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                if a.years >= *from_years {
                    match m.health_insurance {
                        Some(v) => deprived |= !v,
                        None => errors.push(member_need(i, "health_insurance", a.years, code)),
                    }
                }
            }
        }
        Rule::AdultEducation { levels, bands } => {
            let rank = |e: Education| levels.iter().position(|l| *l == e);
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                let Some(band) = bands
                    .iter()
                    .find(|b| b.from_years <= a.years && a.years <= b.to_years)
                else {
                    continue;
                };
                let meets = m.education.map(|e| {
                    band.also.contains(&e)
                        || matches!((rank(e), rank(band.min_level)), (Some(r), Some(min)) if r >= min)
                });
                match (m.in_education, meets) {
                    (Some(in_edu), Some(meets)) => deprived |= !in_edu && !meets,
                    (None, _) => errors.push(member_need(i, "in_education", a.years, code)),
                    (_, None) => errors.push(member_need(i, "education", a.years, code)),
                }
                if m.in_education.is_none() && m.education.is_none() {
                    errors.push(member_need(i, "education", a.years, code));
                }
            }
        }
        Rule::ChildSchooling {
            from_years,
            to_years,
        } => {
            for (i, (m, a)) in ms.clone().zip(ages).enumerate() {
                if *from_years <= a.years && a.years <= *to_years {
                    match m.schooling {
                        Some(s) => deprived |= s != Schooling::AtLevel,
                        None => errors.push(member_need(i, "schooling", a.years, code)),
                    }
                }
            }
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(deprived)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_flags_hold_64_codes_and_ignore_the_rest() {
        let mut r = Recorded::default();
        assert!(r.is_empty());
        r.set(0, true);
        r.set(63, false);
        assert!(!r.is_empty());
        assert_eq!(
            (r.get(0), r.get(63), r.get(5)),
            (Some(true), Some(false), None)
        );
        // a flag given twice: the last wins
        r.set(0, false);
        assert_eq!(r.get(0), Some(false));
        // past the 64 codes a registry can hold: nothing is set, nothing overflows
        r.set(64, true);
        assert_eq!(r.get(64), None);
        let mut only_past = Recorded::default();
        only_past.set(64, true);
        assert!(only_past.is_empty());
    }

    #[test]
    fn indicator_sets_hold_64_indicators_and_ignore_the_rest() {
        let mut s = IndicatorSet::default();
        assert!(s.is_empty());
        assert_eq!(s.len(), 0);
        s.insert(0);
        s.insert(63);
        s.insert(64);
        assert!(!s.is_empty());
        assert_eq!(s.len(), 2);
        assert!(s.contains(0) && s.contains(63) && !s.contains(64) && !s.contains(1));
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 63]);
    }
}
