//! How a household's approved class changes from one review year to the next, and the stock
//! identity that ties a unit's poor households of two years together.

use crate::codes::Class;
use std::fmt;

/// A change between consecutive review years (diễn biến), as the reports name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transition {
    StayedPoor,
    PoorToNearPoor,
    /// Poor or near-poor last year, above the line this year.
    Escaped,
    NearPoorToPoor,
    /// Poor this year, neither poor nor near-poor (or not reviewed) last year, and not a fall back.
    NewPoor,
    /// Near-poor this year, above the line (or not reviewed) last year.
    NewNearPoor,
    /// Poor again within 3 years of escaping.
    FellBack,
    StayedNearPoor,
    /// Reviewed last year as poor or near-poor, not reviewed this year (moved, merged, died out).
    MovedAway,
}

impl Transition {
    pub const ALL: &'static [Transition] = &[
        Transition::StayedPoor,
        Transition::PoorToNearPoor,
        Transition::Escaped,
        Transition::NearPoorToPoor,
        Transition::NewPoor,
        Transition::NewNearPoor,
        Transition::FellBack,
        Transition::StayedNearPoor,
        Transition::MovedAway,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Transition::StayedPoor => "stayed_poor",
            Transition::PoorToNearPoor => "poor_to_near_poor",
            Transition::Escaped => "escaped",
            Transition::NearPoorToPoor => "near_poor_to_poor",
            Transition::NewPoor => "new_poor",
            Transition::NewNearPoor => "new_near_poor",
            Transition::FellBack => "fell_back",
            Transition::StayedNearPoor => "stayed_near_poor",
            Transition::MovedAway => "moved_away",
        }
    }

    pub fn from_code(s: &str) -> Option<Transition> {
        Transition::ALL.iter().copied().find(|t| t.code() == s)
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Years within which becoming poor again after escaping is a fall back.
pub const FALL_BACK_YEARS: i32 = 3;

fn on_list(c: Option<Class>) -> bool {
    matches!(c, Some(Class::Poor | Class::NearPoor))
}

/// The transition from last year's class to this year's (`None`: not reviewed that year).
/// `last_escape` is the review year the household last escaped in, if ever; `year` is this year.
/// Households above the line both years, or in neither review, have no transition.
pub fn transition(
    previous: Option<Class>,
    current: Option<Class>,
    last_escape: Option<i32>,
    year: i32,
) -> Option<Transition> {
    use Class::*;
    let fell_back = last_escape.is_some_and(|e| year - e <= FALL_BACK_YEARS && year > e);
    Some(match (previous, current) {
        (Some(Poor), Some(Poor)) => Transition::StayedPoor,
        (Some(Poor), Some(NearPoor)) => Transition::PoorToNearPoor,
        (Some(Poor | NearPoor), Some(Average | NotPoor)) => Transition::Escaped,
        (Some(NearPoor), Some(Poor)) => Transition::NearPoorToPoor,
        (Some(NearPoor), Some(NearPoor)) => Transition::StayedNearPoor,
        (_, Some(Poor)) if fell_back => Transition::FellBack,
        (_, Some(Poor)) => Transition::NewPoor,
        (_, Some(NearPoor)) => Transition::NewNearPoor,
        (p, None) if on_list(p) => Transition::MovedAway,
        _ => return None,
    })
}

/// A household's classes year by year, folded into its transitions.
#[derive(Debug, Clone, Default)]
pub struct History {
    last: Option<(i32, Class)>,
    last_escape: Option<i32>,
}

impl History {
    pub fn new() -> Self {
        History::default()
    }

    /// Records the approved class of a review year (years in increasing order; a year the
    /// household was not reviewed is simply skipped, or given as `None` to close it out).
    /// Returns the transition from the year before, when the household was reviewed then.
    pub fn record(&mut self, year: i32, class: Option<Class>) -> Option<Transition> {
        let previous = match self.last {
            Some((y, c)) if y == year - 1 => Some(c),
            _ => None,
        };
        let t = transition(previous, class, self.last_escape, year);
        if t == Some(Transition::Escaped) {
            self.last_escape = Some(year);
        }
        self.last = class.map(|c| (year, c));
        t
    }

    /// Left the poor or near-poor list at most 36 months (3 review years) before `year`.
    pub fn recently_escaped(&self, year: i32) -> bool {
        self.last_escape
            .is_some_and(|e| e <= year && year - e <= FALL_BACK_YEARS)
            && !matches!(self.last, Some((_, Class::Poor | Class::NearPoor)))
    }
}

/// Counts of transitions into and out of a unit's poor households between two years.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoorStock {
    pub poor_start: u64,
    pub new_poor: u64,
    pub fell_back: u64,
    pub from_near_poor: u64,
    /// Poor households that escaped (near-poor ones that escaped are not in the poor stock).
    pub escaped: u64,
    pub to_near_poor: u64,
    pub moved_away: u64,
    pub poor_end: u64,
}

impl PoorStock {
    /// Adds one household's classes in the two years.
    pub fn add(&mut self, previous: Option<Class>, current: Option<Class>, t: Option<Transition>) {
        self.poor_start += u64::from(previous == Some(Class::Poor));
        self.poor_end += u64::from(current == Some(Class::Poor));
        match t {
            Some(Transition::NewPoor) => self.new_poor += 1,
            Some(Transition::FellBack) => self.fell_back += 1,
            Some(Transition::NearPoorToPoor) => self.from_near_poor += 1,
            Some(Transition::Escaped) if previous == Some(Class::Poor) => self.escaped += 1,
            Some(Transition::PoorToNearPoor) => self.to_near_poor += 1,
            Some(Transition::MovedAway) if previous == Some(Class::Poor) => self.moved_away += 1,
            _ => {}
        }
    }

    /// poor at the start + new + fell back + from near-poor - escaped - to near-poor - moved away
    /// = poor at the end.
    pub fn holds(&self) -> bool {
        self.poor_start + self.new_poor + self.fell_back + self.from_near_poor
            == self.poor_end + self.escaped + self.to_near_poor + self.moved_away
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;

    #[test]
    fn every_pair_of_classes() {
        let t = |p, c| transition(p, c, None, 2025);
        assert_eq!(t(Some(Poor), Some(Poor)), Some(Transition::StayedPoor));
        assert_eq!(
            t(Some(Poor), Some(NearPoor)),
            Some(Transition::PoorToNearPoor)
        );
        assert_eq!(t(Some(Poor), Some(Average)), Some(Transition::Escaped));
        assert_eq!(t(Some(Poor), Some(NotPoor)), Some(Transition::Escaped));
        assert_eq!(t(Some(NearPoor), Some(Average)), Some(Transition::Escaped));
        assert_eq!(
            t(Some(NearPoor), Some(Poor)),
            Some(Transition::NearPoorToPoor)
        );
        assert_eq!(
            t(Some(NearPoor), Some(NearPoor)),
            Some(Transition::StayedNearPoor)
        );
        assert_eq!(t(Some(Average), Some(Poor)), Some(Transition::NewPoor));
        assert_eq!(t(None, Some(Poor)), Some(Transition::NewPoor));
        assert_eq!(
            t(Some(NotPoor), Some(NearPoor)),
            Some(Transition::NewNearPoor)
        );
        assert_eq!(t(None, Some(NearPoor)), Some(Transition::NewNearPoor));
        assert_eq!(t(Some(Poor), None), Some(Transition::MovedAway));
        assert_eq!(t(Some(NearPoor), None), Some(Transition::MovedAway));
        assert_eq!(t(Some(Average), Some(NotPoor)), None);
        assert_eq!(t(Some(Average), None), None);
        assert_eq!(t(None, Some(Average)), None);
        assert_eq!(t(None, None), None);
    }

    #[test]
    fn falling_back_within_three_years_of_escaping() {
        // escaped in 2022: poor again in 2023, 2024, 2025 is a fall back; in 2026 it is new
        for (year, expect) in [
            (2023, Transition::FellBack),
            (2024, Transition::FellBack),
            (2025, Transition::FellBack),
            (2026, Transition::NewPoor),
        ] {
            assert_eq!(
                transition(Some(Average), Some(Poor), Some(2022), year),
                Some(expect),
                "{year}"
            );
        }
        // near-poor again after escaping is new near-poor, not a fall back
        assert_eq!(
            transition(Some(Average), Some(NearPoor), Some(2022), 2023),
            Some(Transition::NewNearPoor)
        );
    }

    #[test]
    fn history_of_a_household() {
        let mut h = History::new();
        let seq = [
            (2021, Some(Poor), Some(Transition::NewPoor)),
            (2022, Some(NearPoor), Some(Transition::PoorToNearPoor)),
            (2023, Some(NotPoor), Some(Transition::Escaped)),
            (2024, Some(Average), None),
            (2025, Some(Poor), Some(Transition::FellBack)),
            (2026, Some(Poor), Some(Transition::StayedPoor)),
            (2027, None, Some(Transition::MovedAway)),
        ];
        for (year, class, expect) in seq {
            assert_eq!(h.record(year, class), expect, "{year}");
        }
        let mut h = History::new();
        h.record(2022, Some(Poor));
        h.record(2023, Some(Average));
        assert!(h.recently_escaped(2023));
        assert!(h.recently_escaped(2026));
        assert!(!h.recently_escaped(2027));
        // a year not reviewed breaks the chain: the next review counts as new
        let mut h = History::new();
        h.record(2022, Some(Poor));
        assert_eq!(h.record(2024, Some(Poor)), Some(Transition::NewPoor));
    }

    #[test]
    fn codes_round_trip() {
        for t in Transition::ALL {
            assert_eq!(Transition::from_code(t.code()), Some(*t));
            assert_eq!(t.to_string(), t.code());
        }
        assert_eq!(Transition::FellBack.to_string(), "fell_back");
    }

    #[test]
    fn an_escape_of_the_same_year_is_no_fall_back() {
        // (History never records one; the function alone must not count it either)
        assert_eq!(
            transition(None, Some(Poor), Some(2025), 2025),
            Some(Transition::NewPoor)
        );
        assert_eq!(
            transition(None, Some(Poor), Some(2024), 2025),
            Some(Transition::FellBack)
        );
    }

    #[test]
    fn a_stock_that_does_not_add_up_is_seen() {
        let balanced = PoorStock {
            poor_start: 10,
            new_poor: 2,
            fell_back: 1,
            from_near_poor: 1,
            escaped: 3,
            to_near_poor: 2,
            moved_away: 1,
            poor_end: 8,
        };
        assert!(balanced.holds());
        for broken in [
            PoorStock {
                poor_end: 9,
                ..balanced
            },
            PoorStock {
                escaped: 0,
                ..balanced
            },
            PoorStock {
                new_poor: 0,
                ..balanced
            },
        ] {
            assert!(!broken.holds(), "{broken:?}");
        }
    }
}
