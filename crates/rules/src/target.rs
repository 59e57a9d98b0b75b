//! The indicators a unit's targets are set on, as data (`programs/target-indicators.toml`):
//! each with how its achievement is measured from the registry, the support records or the
//! money. Achievement is the measured value over the target, in percent ("down 3,72 points a
//! year, 93,08 % of the 4-point target").

use serde::Deserialize;

const BUILTIN: &str = include_str!("../../../programs/target-indicators.toml");

/// How an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The average annual decrease of the poverty rate over the span, points a year.
    PovertyRateDecrease,
    /// The same for ethnic-minority households.
    MinorityRateDecrease,
    /// Support records of some kinds (and statuses) decided in the span.
    SupportCount,
    /// Disbursed as a share of plan over the span's budget years, percent.
    DisbursedShare,
    /// Models and production projects (of `kinds`, all when none is named) decided in the span.
    ModelCount,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure: Measure,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub status: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "indicator")]
    indicators: Vec<Indicator>,
}

/// Every indicator targets may be set on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicators {
    pub indicators: Vec<Indicator>,
}

impl Indicators {
    pub fn builtin() -> Result<Indicators, String> {
        Indicators::parse(BUILTIN)
    }

    /// Reads and checks the file: codes unique, names given, a count names its kinds and
    /// nothing else does.
    pub fn parse(text: &str) -> Result<Indicators, String> {
        let f: File =
            toml::from_str(text).map_err(|e| format!("programs/target-indicators.toml: {e}"))?;
        let mut seen = std::collections::BTreeSet::new();
        for i in &f.indicators {
            if !seen.insert(i.code.as_str()) {
                return Err(format!("indicator `{}` twice", i.code));
            }
            if i.name_vi.trim().is_empty() || i.name_en.trim().is_empty() {
                return Err(format!("indicator `{}` has no name", i.code));
            }
            let counts = i.measure == Measure::SupportCount;
            let models = i.measure == Measure::ModelCount;
            if (counts && i.kinds.is_empty())
                || (!counts && !models && !i.kinds.is_empty())
                || (!counts && !i.status.is_empty())
            {
                return Err(format!(
                    "indicator `{}`: kinds (and status) go with support_count; kinds may go with model_count",
                    i.code
                ));
            }
        }
        Ok(Indicators {
            indicators: f.indicators,
        })
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code.trim())
    }
}

/// The measured value over the target, in percent; none without a positive target.
pub fn achievement(measured: f64, target: f64) -> Option<f64> {
    (target > 0.0 && measured.is_finite()).then(|| 100.0 * measured / target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indicators_are_read_and_each_measure_is_known() {
        let all = Indicators::builtin().expect("indicators");
        let housed = all.get("households_housed").expect("housed");
        assert_eq!(housed.measure, Measure::SupportCount);
        assert_eq!(housed.kinds, ["housing_build", "housing_repair"]);
        assert_eq!(
            all.get("poverty_rate_decrease").map(|i| i.measure),
            Some(Measure::PovertyRateDecrease)
        );
        assert!(all.get("nothing").is_none());
        let models = all.get("models").expect("models");
        assert_eq!(
            (models.measure, models.kinds.len()),
            (Measure::ModelCount, 0)
        );
    }

    #[test]
    fn achievement_is_the_measured_over_the_target() {
        // down 3.7232 points a year against a 4-point target: 93.08 %
        let a = achievement(3.7232, 4.0).expect("achieved");
        assert!((a - 93.08).abs() < 1e-9, "{a}");
        assert_eq!(achievement(4.0, 4.0), Some(100.0));
        assert_eq!(achievement(1.0, 0.0), None);
        assert_eq!(achievement(f64::NAN, 4.0), None);
    }

    #[test]
    fn a_bad_indicators_file_is_refused() {
        let head = "[[indicator]]\ncode = \"a\"\nname_vi = \"a\"\nname_en = \"a\"\n";
        assert!(Indicators::parse(&format!("{head}measure = \"support_count\"\n")).is_err());
        assert!(Indicators::parse(&format!(
            "{head}measure = \"disbursed_share\"\nkinds = [\"x\"]\n"
        ))
        .is_err());
        assert!(Indicators::parse(&format!(
            "{head}measure = \"disbursed_share\"\n{head}measure = \"disbursed_share\"\n"
        ))
        .is_err());
        assert!(Indicators::parse(&format!("{head}measure = \"weather\"\n")).is_err());
        assert!(Indicators::parse(&format!(
            "{head}measure = \"model_count\"\nstatus = [\"x\"]\n"
        ))
        .is_err());
        assert!(Indicators::parse(&format!(
            "{head}measure = \"model_count\"\nkinds = [\"value_chain\"]\n"
        ))
        .is_ok());
    }
}
