//! A poverty standard is data: a TOML file under `standards/` read into [`Standard`]. The code
//! here only knows the rule *kinds*; every line, age, list and share comes from the file.

use crate::codes::{Area, Device, Disability, Education, Labour, Latrine, Waste, WaterSource};
use rust_decimal::Decimal;
use serde::Deserialize;

/// The most indicators one registry can name across all its standards (a bit each in a `u64`).
pub const MAX_INDICATOR_CODES: usize = 64;

/// The standards shipped with giamngheo, as `(file name, contents)`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "vn-2022-2025.toml",
        include_str!("../../../standards/vn-2022-2025.toml"),
    ),
    (
        "vn-2027-2030.toml",
        include_str!("../../../standards/vn-2027-2030.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum StandardError {
    #[error("{file}: {source}")]
    Parse {
        file: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// A value for each area.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ByArea<T> {
    pub rural: T,
    pub urban: T,
}

impl<T: Copy> ByArea<T> {
    pub fn get(&self, area: Area) -> T {
        match area {
            Area::Rural => self.rural,
            Area::Urban => self.urban,
        }
    }
}

/// Review years a standard governs, both ends included.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

impl YearRange {
    pub fn contains(&self, year: i32) -> bool {
        self.from <= year && year <= self.to
    }
}

/// The average living standard band: income above `above` and at or below `up_to`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub above: i64,
    pub up_to: i64,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WorkingAge {
    pub from_years: u32,
    /// Statutory retirement age by the year it comes into force; working age ends there.
    pub retirement_age: Vec<RetirementRow>,
}

/// The retirement age in force from a calendar year on, in months, by sex.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RetirementRow {
    pub from_year: i32,
    pub male_months: u32,
    pub female_months: u32,
}

/// An age band of the adult education indicator.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EducationBand {
    pub from_years: u32,
    pub to_years: u32,
    pub min_level: Education,
    #[serde(default)]
    pub also: Vec<Education>,
}

/// How an indicator is evaluated: a rule kind (code) with its parameters (data).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Deprived when a member of working age has one of `labour`.
    WorkingAgeLabour { labour: Vec<Labour> },
    /// Deprived when dependants * 100 > members * `max_share_percent`.
    Dependants {
        max_share_percent: u32,
        child_under_years: u32,
        elderly_above_working_age: bool,
        elderly_needs_allowance: bool,
        disability: Vec<Disability>,
        disabled_needs_allowance: bool,
    },
    /// Deprived when a member under `under_years` is malnourished.
    MalnourishedChild { under_years: u32 },
    /// Deprived when a member aged `from_years` or more has no health insurance.
    HealthInsurance { from_years: u32 },
    /// Deprived when a member in one of the bands, not in education, lacks its level.
    AdultEducation {
        levels: Vec<Education>,
        bands: Vec<EducationBand>,
    },
    /// Deprived when a member aged `from_years` to `to_years` is not schooled at level.
    ChildSchooling { from_years: u32, to_years: u32 },
    /// Deprived when there is no house or `min_nondurable` or more main structures are non-durable.
    HousingQuality { min_nondurable: u8 },
    /// Deprived when floor area < `min_m2_per_person` * members; no house counts as 0 m².
    FloorArea { min_m2_per_person: Decimal },
    /// Deprived when the water source is not in `safe`.
    Water { safe: Vec<WaterSource> },
    /// Deprived when the latrine is not in `hygienic`.
    Sanitation { hygienic: Vec<Latrine> },
    /// Deprived when no member uses internet (or digital) services.
    Internet,
    /// Deprived when the household has none of `any_of`.
    Devices { any_of: Vec<Device> },
    /// Deprived when waste handling is not in `not_deprived`.
    Waste { not_deprived: Vec<Waste> },
}

impl Rule {
    /// Whether the rule reads the members file.
    pub fn uses_members(&self) -> bool {
        matches!(
            self,
            Rule::WorkingAgeLabour { .. }
                | Rule::Dependants { .. }
                | Rule::MalnourishedChild { .. }
                | Rule::HealthInsurance { .. }
                | Rule::AdultEducation { .. }
                | Rule::ChildSchooling { .. }
        )
    }
}

/// One deprivation indicator of a standard.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub dimension: String,
    pub name_vi: String,
    pub name_en: String,
    pub deprived_vi: String,
    pub deprived_en: String,
    pub source: String,
    pub rule: Rule,
    /// The code's number in the registry that holds this standard (see [`Standards::code_id`]).
    #[serde(skip)]
    pub code_id: usize,
}

/// A versioned poverty standard.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub legal_basis: String,
    /// The instrument as a commune's decision and certificate cite it ("Căn cứ ...").
    #[serde(default)]
    pub legal_basis_vi: Option<String>,
    pub review_years: YearRange,
    pub poor_min_deprivations: u32,
    pub income_line: ByArea<i64>,
    #[serde(default)]
    pub average_band: Option<ByArea<Band>>,
    #[serde(default)]
    pub b1_score_cutoff: Option<ByArea<i64>>,
    pub working_age: WorkingAge,
    pub indicators: Vec<Indicator>,
}

impl Standard {
    /// Reads and checks a standard's TOML text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Standard, StandardError> {
        let mut s: Standard = toml::from_str(text).map_err(|source| StandardError::Parse {
            file: file.to_string(),
            source,
        })?;
        s.check().map_err(|message| StandardError::Invalid {
            file: file.to_string(),
            message,
        })?;
        for (i, ind) in s.indicators.iter_mut().enumerate() {
            ind.code_id = i;
        }
        Ok(s)
    }

    fn check(&mut self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("id: must not be empty".into());
        }
        if self.review_years.from > self.review_years.to {
            return Err("review_years: `from` is after `to`".into());
        }
        if self.poor_min_deprivations == 0 {
            return Err("poor_min_deprivations: must be at least 1".into());
        }
        for area in Area::ALL {
            let line = self.income_line.get(*area);
            if line <= 0 {
                return Err(format!("income_line.{area}: must be positive"));
            }
            if let Some(b) = &self.average_band {
                let b = b.get(*area);
                if b.above >= b.up_to {
                    return Err(format!(
                        "average_band.{area}: `above` must be below `up_to`"
                    ));
                }
            }
        }
        if self.working_age.retirement_age.is_empty() {
            return Err("retirement_age: at least one row is needed".into());
        }
        if self
            .working_age
            .retirement_age
            .windows(2)
            .any(|w| w[0].from_year >= w[1].from_year)
        {
            return Err("retirement_age: rows must be in increasing from_year".into());
        }
        if self.indicators.is_empty() || self.indicators.len() > MAX_INDICATOR_CODES {
            return Err(format!(
                "indicators: between 1 and {MAX_INDICATOR_CODES} are needed"
            ));
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            if self.indicators[..i].iter().any(|o| o.code == ind.code) {
                return Err(format!("indicators: code `{}` appears twice", ind.code));
            }
            if ind.code.is_empty()
                || !ind
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            {
                return Err(format!(
                    "indicators: code `{}` must be lower-case letters and _",
                    ind.code
                ));
            }
            match &ind.rule {
                Rule::Dependants {
                    max_share_percent, ..
                } if *max_share_percent > 100 => {
                    return Err(format!(
                        "indicator {}: max_share_percent above 100",
                        ind.code
                    ))
                }
                Rule::AdultEducation { levels, bands } => {
                    for b in bands {
                        if !levels.contains(&b.min_level) {
                            return Err(format!(
                                "indicator {}: min_level `{}` is not among `levels`",
                                ind.code, b.min_level
                            ));
                        }
                        if b.from_years > b.to_years {
                            return Err(format!(
                                "indicator {}: a band's from_years is above its to_years",
                                ind.code
                            ));
                        }
                    }
                }
                Rule::FloorArea { min_m2_per_person } if min_m2_per_person.is_sign_negative() => {
                    return Err(format!(
                        "indicator {}: min_m2_per_person is negative",
                        ind.code
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The retirement age in months for a sex in a calendar year.
    pub fn retirement_months(&self, sex: crate::codes::Sex, year: i32) -> u32 {
        let row = self
            .working_age
            .retirement_age
            .iter()
            .rev()
            .find(|r| r.from_year <= year)
            .or(self.working_age.retirement_age.first());
        match (row, sex) {
            (Some(r), crate::codes::Sex::Male) => r.male_months,
            (Some(r), crate::codes::Sex::Female) => r.female_months,
            // `check` guarantees at least one row
            (None, _) => u32::MAX,
        }
    }

    /// Index of an indicator by code.
    pub fn indicator_index(&self, code: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.code == code)
    }
}

/// The set of standards a deployment knows, with one numbering of indicator codes across them.
#[derive(Debug, Clone)]
pub struct Standards {
    list: Vec<Standard>,
    codes: Vec<String>,
}

impl Standards {
    /// The standards shipped in `standards/`.
    pub fn builtin() -> Result<Standards, StandardError> {
        let list = BUILTIN
            .iter()
            .map(|(file, text)| Standard::from_toml(file, text))
            .collect::<Result<Vec<_>, _>>()?;
        Standards::new(list)
    }

    /// A registry of the given standards; their review years must not overlap.
    pub fn new(mut list: Vec<Standard>) -> Result<Standards, StandardError> {
        let mut codes: Vec<String> = Vec::new();
        for s in &mut list {
            for ind in &mut s.indicators {
                ind.code_id = match codes.iter().position(|c| *c == ind.code) {
                    Some(i) => i,
                    None => {
                        codes.push(ind.code.clone());
                        codes.len() - 1
                    }
                };
            }
        }
        if codes.len() > MAX_INDICATOR_CODES {
            return Err(StandardError::Invalid {
                file: "standards".into(),
                message: format!("more than {MAX_INDICATOR_CODES} indicator codes in all"),
            });
        }
        for (i, a) in list.iter().enumerate() {
            for b in &list[..i] {
                if a.id == b.id {
                    return Err(StandardError::Invalid {
                        file: a.id.clone(),
                        message: "two standards have this id".into(),
                    });
                }
                if a.review_years.from <= b.review_years.to
                    && b.review_years.from <= a.review_years.to
                {
                    return Err(StandardError::Invalid {
                        file: a.id.clone(),
                        message: format!("its review years overlap those of {}", b.id),
                    });
                }
            }
        }
        Ok(Standards { list, codes })
    }

    pub fn all(&self) -> &[Standard] {
        &self.list
    }

    pub fn get(&self, id: &str) -> Option<&Standard> {
        self.list.iter().find(|s| s.id == id)
    }

    /// The standard governing a review year.
    pub fn for_year(&self, year: i32) -> Option<&Standard> {
        self.list.iter().find(|s| s.review_years.contains(year))
    }

    /// Every indicator code of every standard, numbered as [`Indicator::code_id`].
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    pub fn code_id(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| c == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Sex;

    #[test]
    fn builtin_standards_load_as_the_spec_states() {
        let s = Standards::builtin().expect("builtin standards parse");
        let a = s.get("vn-2022-2025").expect("2022 standard");
        assert_eq!(
            a.income_line,
            ByArea {
                rural: 1_500_000,
                urban: 2_000_000
            }
        );
        assert_eq!(
            a.average_band,
            Some(ByArea {
                rural: Band {
                    above: 1_500_000,
                    up_to: 2_250_000
                },
                urban: Band {
                    above: 2_000_000,
                    up_to: 3_000_000
                },
            })
        );
        assert_eq!(
            a.b1_score_cutoff,
            Some(ByArea {
                rural: 140,
                urban: 175
            })
        );
        let codes: Vec<_> = a.indicators.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "employment",
                "dependants",
                "nutrition",
                "health_insurance",
                "adult_education",
                "child_schooling",
                "housing_quality",
                "housing_area",
                "water",
                "sanitation",
                "telecom",
                "information"
            ]
        );
        let b = s.get("vn-2027-2030").expect("2027 standard");
        assert_eq!(
            b.income_line,
            ByArea {
                rural: 2_200_000,
                urban: 2_800_000
            }
        );
        assert_eq!(b.average_band, None);
        let codes: Vec<_> = b.indicators.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes.len(), 12);
        assert!(!codes.contains(&"information"));
        assert_eq!(codes.last(), Some(&"waste"));
        // the same code has the same number in both standards
        assert_eq!(a.indicators[0].code_id, b.indicators[0].code_id);
        assert_eq!(s.codes().len(), 13);
    }

    #[test]
    fn standard_chosen_by_year() {
        let s = Standards::builtin().expect("builtin");
        assert_eq!(s.for_year(2021).map(|s| s.id.as_str()), None);
        for y in 2022..=2026 {
            assert_eq!(s.for_year(y).map(|s| s.id.as_str()), Some("vn-2022-2025"));
        }
        for y in 2027..=2030 {
            assert_eq!(s.for_year(y).map(|s| s.id.as_str()), Some("vn-2027-2030"));
        }
        assert_eq!(s.for_year(2031).map(|s| s.id.as_str()), None);
    }

    #[test]
    fn retirement_table() {
        let s = Standards::builtin().expect("builtin");
        let a = s.get("vn-2022-2025").expect("std");
        assert_eq!(a.retirement_months(Sex::Male, 2019), 720);
        assert_eq!(a.retirement_months(Sex::Female, 2019), 660);
        assert_eq!(a.retirement_months(Sex::Male, 2020), 720);
        assert_eq!(a.retirement_months(Sex::Male, 2021), 723);
        assert_eq!(a.retirement_months(Sex::Female, 2021), 664);
        for y in 2021..=2028 {
            assert_eq!(
                a.retirement_months(Sex::Male, y),
                723 + 3 * (y - 2021) as u32
            );
        }
        for y in 2028..=2040 {
            assert_eq!(a.retirement_months(Sex::Male, y), 62 * 12);
        }
        for y in 2021..=2035 {
            assert_eq!(
                a.retirement_months(Sex::Female, y),
                664 + 4 * (y - 2021) as u32
            );
        }
        assert_eq!(a.retirement_months(Sex::Female, 2040), 60 * 12);
    }

    fn edit(find: &str, replace: &str) -> Result<Standard, StandardError> {
        let text = BUILTIN[0].1.replacen(find, replace, 1);
        assert_ne!(text, BUILTIN[0].1, "edit must change the text");
        Standard::from_toml("edited.toml", &text)
    }

    #[test]
    fn bad_standards_are_refused_with_the_reason() {
        let e = edit("rural = 1_500_000\n", "rural = 0\n").expect_err("zero line");
        assert!(e.to_string().contains("income_line.rural"), "{e}");
        let e = edit("kind = \"internet\"", "kind = \"telepathy\"").expect_err("unknown kind");
        assert!(e.to_string().starts_with("edited.toml"), "{e}");
        let e = edit("code = \"water\"", "code = \"telecom\"").expect_err("duplicate code");
        assert!(e.to_string().contains("appears twice"), "{e}");
        let e = edit(
            "min_level = \"lower_secondary\"",
            "min_level = \"college\", x = 1",
        )
        .expect_err("unknown field");
        assert!(
            e.to_string().contains("edited.toml") && e.to_string().contains("unknown field `x`"),
            "{e}"
        );
        let e = edit("from = 2022, to = 2026", "from = 2027, to = 2026").expect_err("years");
        assert!(e.to_string().contains("review_years"), "{e}");
    }

    #[test]
    fn every_check_of_a_standard_file_at_its_boundary() {
        // one review year is a span
        edit("from = 2022, to = 2026", "from = 2026, to = 2026").expect("one year");
        // a dependants' share of 100 % is allowed, 101 % is not
        edit("max_share_percent = 50", "max_share_percent = 100").expect("100 %");
        let e = edit("max_share_percent = 50", "max_share_percent = 101").expect_err("101 %");
        assert!(e.to_string().contains("max_share_percent above 100"), "{e}");
        // an education band of one year is allowed; one that ends before it starts is not
        edit(
            "{ from_years = 16, to_years = 17,",
            "{ from_years = 16, to_years = 16,",
        )
        .expect("a band of one year");
        let e = edit(
            "{ from_years = 16, to_years = 17,",
            "{ from_years = 17, to_years = 16,",
        )
        .expect_err("a band backwards");
        assert!(
            e.to_string().contains("from_years is above its to_years"),
            "{e}"
        );
        let e = edit(
            "levels = [\"none\", \"primary\", \"lower_secondary\",",
            "levels = [\"none\", \"primary\",",
        )
        .expect_err("a band's level not ranked");
        assert!(e.to_string().contains("is not among `levels`"), "{e}");
        let e = edit("min_m2_per_person = \"8\"", "min_m2_per_person = \"-8\"")
            .expect_err("negative area");
        assert!(
            e.to_string().contains("min_m2_per_person is negative"),
            "{e}"
        );
        edit("min_m2_per_person = \"8\"", "min_m2_per_person = \"0\"").expect("no minimum");
        // indicator codes: lower-case letters and _, not empty
        for bad in ["Water", "", "water2"] {
            let e = edit("code = \"water\"", &format!("code = \"{bad}\"")).expect_err("a bad code");
            assert!(
                e.to_string().contains("must be lower-case letters and _"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn a_standard_has_between_one_and_64_indicators() {
        let base = BUILTIN[0].1;
        let first = base.find("[[indicators]]").expect("indicators");
        let head = &base[..first];
        let block = |code: &str| {
            format!(
                "[[indicators]]\ncode = \"{code}\"\ndimension = \"information\"\nname_vi = \"x\"\nname_en = \"x\"\ndeprived_vi = \"x\"\ndeprived_en = \"x\"\nsource = \"R\"\nrule = {{ kind = \"internet\" }}\n\n"
            )
        };
        // codes of letters only: a, b, ..., z, aa, ab, ...
        let code = |i: usize| {
            let letters = b"abcdefghijklmnopqrstuvwxyz";
            if i < 26 {
                (letters[i] as char).to_string()
            } else {
                format!("{}{}", letters[i / 26 - 1] as char, letters[i % 26] as char)
            }
        };
        let with = |n: usize| {
            // (no table at all is a parse error: an empty list is what the check sees)
            let mut text = if n == 0 {
                format!("indicators = []\n{head}")
            } else {
                head.to_string()
            };
            for i in 0..n {
                text.push_str(&block(&code(i)));
            }
            Standard::from_toml("many.toml", &text)
        };
        assert_eq!(with(1).expect("one").indicators.len(), 1);
        assert_eq!(with(64).expect("64").indicators.len(), 64);
        for n in [0, 65] {
            let e = with(n).expect_err("too few or too many");
            assert!(e.to_string().contains("between 1 and 64"), "{n}: {e}");
        }
    }

    #[test]
    fn the_builtin_standards_are_both_there() {
        let s = Standards::builtin().expect("standards");
        let ids: Vec<&str> = s.all().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["vn-2022-2025", "vn-2027-2030"]);
        assert_eq!(
            s.for_year(2026).map(|s| s.id.as_str()),
            Some("vn-2022-2025")
        );
        assert_eq!(
            s.for_year(2027).map(|s| s.id.as_str()),
            Some("vn-2027-2030")
        );
        assert!(s.for_year(2021).is_none() && s.for_year(2031).is_none());
    }

    #[test]
    fn overlapping_standards_are_refused() {
        let a = Standard::from_toml("a", BUILTIN[0].1).expect("a");
        let mut b = a.clone();
        b.id = "province-x".into();
        let e = Standards::new(vec![a, b]).expect_err("overlap");
        assert!(e.to_string().contains("overlap"), "{e}");
    }
}
