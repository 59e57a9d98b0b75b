//! Alkire-Foster figures and class counts over any set of assessed households.

use crate::classify::{Assessment, IndicatorSet};
use crate::codes::Class;

/// Running Alkire-Foster counts for households assessed under one standard (equal weights).
/// Counts are exact; ratios are computed when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlkireFoster {
    /// Poverty cut-off: deprived in at least `k` indicators.
    pub k: u32,
    /// Number of indicators of the standard.
    pub d: usize,
    pub households: u64,
    /// Households deprived in at least `k` indicators.
    pub multidim_poor: u64,
    /// Sum of deprivation counts over the multidimensionally poor.
    pub censored_deprivations: u64,
    /// Households deprived in each indicator.
    pub uncensored: Vec<u64>,
    /// Multidimensionally poor households deprived in each indicator.
    pub censored: Vec<u64>,
}

impl AlkireFoster {
    pub fn new(indicators: usize, k: u32) -> Self {
        AlkireFoster {
            k,
            d: indicators,
            households: 0,
            multidim_poor: 0,
            censored_deprivations: 0,
            uncensored: vec![0; indicators],
            censored: vec![0; indicators],
        }
    }

    pub fn add(&mut self, deprived: IndicatorSet) {
        self.households += 1;
        let count = deprived.len();
        let poor = count >= self.k;
        if poor {
            self.multidim_poor += 1;
            self.censored_deprivations += u64::from(count);
        }
        for i in deprived.iter().take_while(|i| *i < self.d) {
            self.uncensored[i] += 1;
            if poor {
                self.censored[i] += 1;
            }
        }
    }

    pub fn merge(&mut self, other: &AlkireFoster) {
        self.households += other.households;
        self.multidim_poor += other.multidim_poor;
        self.censored_deprivations += other.censored_deprivations;
        for (a, b) in self.uncensored.iter_mut().zip(&other.uncensored) {
            *a += b;
        }
        for (a, b) in self.censored.iter_mut().zip(&other.censored) {
            *a += b;
        }
    }

    /// Headcount ratio H: share of households deprived in at least k indicators.
    pub fn h(&self) -> f64 {
        ratio(self.multidim_poor, self.households)
    }

    /// Intensity A: mean share of indicators lacked among the multidimensionally poor.
    pub fn a(&self) -> f64 {
        ratio(
            self.censored_deprivations,
            self.multidim_poor * self.d as u64,
        )
    }

    /// Adjusted headcount ratio M0 = H × A.
    pub fn m0(&self) -> f64 {
        ratio(self.censored_deprivations, self.households * self.d as u64)
    }

    pub fn uncensored_ratio(&self, i: usize) -> f64 {
        ratio(
            self.uncensored.get(i).copied().unwrap_or(0),
            self.households,
        )
    }

    pub fn censored_ratio(&self, i: usize) -> f64 {
        ratio(self.censored.get(i).copied().unwrap_or(0), self.households)
    }

    /// Indicator i's share of M0 (0-1); with equal weights, its share of censored deprivations.
    pub fn contribution(&self, i: usize) -> f64 {
        ratio(
            self.censored.get(i).copied().unwrap_or(0),
            self.censored_deprivations,
        )
    }
}

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// Counts of households by class, with those without working capacity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub households: u64,
    pub poor: u64,
    pub near_poor: u64,
    pub average: u64,
    pub not_poor: u64,
    /// Poor or near-poor households without working capacity.
    pub without_working_capacity: u64,
}

impl ClassCounts {
    pub fn add(&mut self, a: &Assessment) {
        self.households += 1;
        match a.class {
            Class::Poor => self.poor += 1,
            Class::NearPoor => self.near_poor += 1,
            Class::Average => self.average += 1,
            Class::NotPoor => self.not_poor += 1,
        }
        if matches!(a.class, Class::Poor | Class::NearPoor)
            && a.without_working_capacity == Some(true)
        {
            self.without_working_capacity += 1;
        }
    }

    pub fn merge(&mut self, o: &ClassCounts) {
        self.households += o.households;
        self.poor += o.poor;
        self.near_poor += o.near_poor;
        self.average += o.average;
        self.not_poor += o.not_poor;
        self.without_working_capacity += o.without_working_capacity;
    }

    pub fn count(&self, c: Class) -> u64 {
        match c {
            Class::Poor => self.poor,
            Class::NearPoor => self.near_poor,
            Class::Average => self.average,
            Class::NotPoor => self.not_poor,
        }
    }

    /// Percent of households in a class.
    pub fn rate(&self, c: Class) -> f64 {
        percent(self.count(c), self.households)
    }

    /// Percent of households poor or near-poor.
    pub fn poor_and_near_poor_rate(&self) -> f64 {
        percent(self.poor + self.near_poor, self.households)
    }
}

/// `n / d` in percent; 0 when `d` is 0.
pub fn percent(n: u64, d: u64) -> f64 {
    100.0 * ratio(n, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(bits: &[usize]) -> IndicatorSet {
        let mut s = IndicatorSet::default();
        for b in bits {
            s.insert(*b);
        }
        s
    }

    #[test]
    fn textbook_example() {
        // four households, four indicators, k = 2
        let mut af = AlkireFoster::new(4, 2);
        af.add(set(&[0, 1, 2])); // 3 of 4
        af.add(set(&[1])); // 1: not poor
        af.add(set(&[0, 1, 2, 3])); // 4 of 4
        af.add(set(&[])); // none
        assert_eq!(af.multidim_poor, 2);
        assert_eq!(af.h(), 0.5);
        assert_eq!(af.a(), 7.0 / 8.0);
        assert_eq!(af.m0(), 7.0 / 16.0);
        assert!((af.m0() - af.h() * af.a()).abs() < 1e-12);
        assert_eq!(af.uncensored, vec![2, 3, 2, 1]);
        assert_eq!(af.censored, vec![2, 2, 2, 1]);
        assert_eq!(af.uncensored_ratio(1), 0.75);
        assert_eq!(af.censored_ratio(1), 0.5);
        let total: f64 = (0..4).map(|i| af.contribution(i)).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(af.contribution(3), 1.0 / 7.0);
    }

    #[test]
    fn k_boundary() {
        let mut af = AlkireFoster::new(12, 3);
        af.add(set(&[0, 1])); // 2: below k
        af.add(set(&[0, 1, 2])); // exactly k
        assert_eq!(af.multidim_poor, 1);
        assert_eq!(af.censored[0], 1);
        assert_eq!(af.uncensored[0], 2);
    }

    #[test]
    fn empty_set_has_zero_figures() {
        let af = AlkireFoster::new(12, 3);
        assert_eq!(
            (af.h(), af.a(), af.m0(), af.contribution(0)),
            (0.0, 0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn merge_equals_adding_all() {
        let mut a = AlkireFoster::new(3, 1);
        let mut b = AlkireFoster::new(3, 1);
        let mut all = AlkireFoster::new(3, 1);
        // three households on one side, two on the other: a merge that multiplied would differ
        for (i, s) in [
            set(&[0]),
            set(&[1, 2]),
            set(&[]),
            set(&[0, 1, 2]),
            set(&[2]),
        ]
        .iter()
        .enumerate()
        {
            if i < 3 {
                a.add(*s)
            } else {
                b.add(*s)
            }
            all.add(*s);
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!((a.households, a.multidim_poor), (5, 4));
    }

    #[test]
    fn indicators_past_the_standards_are_not_counted_per_indicator() {
        let mut af = AlkireFoster::new(3, 1);
        af.add(set(&[1, 3, 5]));
        assert_eq!(af.uncensored, vec![0, 1, 0]);
        assert_eq!(af.censored, vec![0, 1, 0]);
    }

    fn assessed(class: Class, without_working_capacity: Option<bool>) -> Assessment {
        Assessment {
            area: crate::codes::Area::Rural,
            income_line: 1_500_000,
            income_basis: crate::classify::IncomeBasis::Income,
            at_or_below_line: matches!(class, Class::Poor | Class::NearPoor),
            class,
            deprived: IndicatorSet::default(),
            recorded: IndicatorSet::default(),
            without_working_capacity,
        }
    }

    #[test]
    fn class_counts_count_each_class_and_the_poor_without_working_capacity() {
        let list = [
            (Class::Poor, Some(true)),
            (Class::Poor, Some(false)),
            (Class::Poor, None),
            (Class::NearPoor, Some(true)),
            (Class::NearPoor, Some(true)),
            (Class::Average, Some(true)),
            (Class::NotPoor, Some(true)),
            (Class::NotPoor, None),
        ];
        let mut c = ClassCounts::default();
        for (class, w) in list {
            c.add(&assessed(class, w));
        }
        assert_eq!(
            c,
            ClassCounts {
                households: 8,
                poor: 3,
                near_poor: 2,
                average: 1,
                not_poor: 2,
                // only the poor and near-poor without it: the average and not-poor are not
                // counted, nor those whose members are unknown
                without_working_capacity: 3,
            }
        );
        assert_eq!(
            [Class::Poor, Class::NearPoor, Class::Average, Class::NotPoor].map(|k| c.count(k)),
            [3, 2, 1, 2]
        );
        assert_eq!(c.rate(Class::Poor), 37.5);
        assert_eq!(c.rate(Class::Average), 12.5);
        assert_eq!(c.poor_and_near_poor_rate(), 62.5);
        assert_eq!(ClassCounts::default().rate(Class::Poor), 0.0);
        // a merge of two halves is the count of the whole (each half holds some of every
        // figure, so that a merge that subtracted or multiplied would differ)
        let (mut a, mut b) = (ClassCounts::default(), ClassCounts::default());
        for (i, (class, w)) in list.iter().enumerate() {
            if i % 2 == 0 {
                a.add(&assessed(*class, *w))
            } else {
                b.add(&assessed(*class, *w))
            }
        }
        assert!(b.poor > 0 && b.near_poor > 0 && b.average > 0 && b.not_poor > 0);
        assert!(b.without_working_capacity > 0);
        a.merge(&b);
        assert_eq!(a, c);
    }
}
