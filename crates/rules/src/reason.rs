//! Why a household has its class: the facts of the tests that decided it, for the pages to put
//! into words (the wording is the user interface's, in each language).

use crate::codes::{Area, Class};
use crate::standard::Standard;
use rust_decimal::Decimal;

/// How income was judged against the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomeTest {
    /// The income per person and month, against the income line applied.
    Income { income: Decimal, line: i64 },
    /// The survey form's proxy score, against the standard's cut-off (none when the standard
    /// has no cut-off).
    B1Score { score: Decimal, cutoff: Option<i64> },
    /// Neither was recorded.
    Unknown,
}

/// The facts behind a household's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassReason {
    pub class: Class,
    pub income_test: IncomeTest,
    /// Deprivations counted, and how many make a household at or below the line poor.
    pub deprivations: u32,
    pub poor_min_deprivations: u32,
    /// The top of the average living standard band, when the standard has one.
    pub average_up_to: Option<i64>,
}

impl ClassReason {
    /// At or below the income line: poor or near-poor.
    pub fn at_or_below_line(&self) -> bool {
        matches!(self.class, Class::Poor | Class::NearPoor)
    }
}

impl Standard {
    /// The facts behind a class this standard gave: income (or else the B1 score) against the
    /// line applied, the deprivations against the poor's minimum, the average band's top.
    pub fn reason(
        &self,
        area: Area,
        income_line: i64,
        income: Option<Decimal>,
        b1_score: Option<Decimal>,
        class: Class,
        deprivations: u32,
    ) -> ClassReason {
        let income_test = match (income, b1_score) {
            (Some(income), _) => IncomeTest::Income {
                income,
                line: income_line,
            },
            (None, Some(score)) => IncomeTest::B1Score {
                score,
                cutoff: self.b1_score_cutoff.map(|c| c.get(area)),
            },
            (None, None) => IncomeTest::Unknown,
        };
        ClassReason {
            class,
            income_test,
            deprivations,
            poor_min_deprivations: self.poor_min_deprivations,
            average_up_to: self.average_band.map(|b| b.get(area).up_to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Standards;

    #[test]
    fn the_facts_of_the_test_that_decided() {
        let s = Standards::builtin().expect("standards");
        let first = s.get("vn-2022-2025").expect("standard");
        let r = first.reason(
            Area::Urban,
            2_000_000,
            Some(Decimal::from(1_900_000)),
            Some(Decimal::from(100)),
            Class::NearPoor,
            2,
        );
        // the income wins over the score when both are there
        assert_eq!(
            r.income_test,
            IncomeTest::Income {
                income: Decimal::from(1_900_000),
                line: 2_000_000
            }
        );
        assert_eq!((r.deprivations, r.poor_min_deprivations), (2, 3));
        assert_eq!(r.average_up_to, Some(3_000_000));
        assert!(r.at_or_below_line());
        let r = first.reason(
            Area::Rural,
            1_500_000,
            None,
            Some(Decimal::from(140)),
            Class::Poor,
            3,
        );
        assert_eq!(
            r.income_test,
            IncomeTest::B1Score {
                score: Decimal::from(140),
                cutoff: Some(140)
            }
        );
        // the second standard publishes no average band
        let second = s.get("vn-2027-2030").expect("standard");
        let r = second.reason(Area::Rural, 2_200_000, None, None, Class::NotPoor, 0);
        assert_eq!(r.income_test, IncomeTest::Unknown);
        assert_eq!(r.average_up_to, None);
        assert!(!r.at_or_below_line());
    }
}
