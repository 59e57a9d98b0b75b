//! Properties: classification never panics, whatever the answers, and its result is coherent.

use giamngheo_rules::{
    Area, Class, Decimal, Device, Devices, Disability, Education, Household, Labour, Latrine,
    Member, NaiveDate, Schooling, Sex, Standards, Waste, WaterSource,
};
use proptest::prelude::*;

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1800i32..2200, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(all)
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0u64..10_000_000).prop_map(Decimal::from),
        (0i64..i64::MAX, 0u32..28).prop_map(|(m, s)| Decimal::new(m, s)),
        Just(Decimal::MAX),
    ]
}

fn any_member() -> impl Strategy<Value = Member> {
    (
        any_date(),
        pick(Sex::ALL),
        opt(any::<bool>()),
        pick(Disability::ALL),
        opt(any::<bool>()),
        opt(pick(Labour::ALL)),
        opt(any::<bool>()),
        opt(pick(Schooling::ALL)),
        opt(any::<bool>()),
        opt(pick(Education::ALL)),
    )
        .prop_map(|(b, sex, hi, dis, sa, lab, mal, sch, ined, edu)| {
            let mut m = Member::new(b, sex);
            m.health_insurance = hi;
            m.disability = dis;
            m.social_allowance = sa;
            m.labour = lab;
            m.malnourished = mal;
            m.schooling = sch;
            m.in_education = ined;
            m.education = edu;
            m
        })
}

fn any_household() -> impl Strategy<Value = Household> {
    (
        (
            any_date(),
            pick(Area::ALL),
            0u32..2000,
            opt(any_decimal()),
            opt(any_decimal()),
        ),
        (opt(any::<bool>()), opt(0u8..=3), opt(any_decimal())),
        (
            opt(pick(WaterSource::ALL)),
            opt(pick(Latrine::ALL)),
            opt(any::<bool>()),
        ),
        (
            opt(prop::collection::vec(pick(Device::ALL), 0..5)),
            opt(pick(Waste::ALL)),
        ),
        prop::collection::vec((0usize..13, any::<bool>()), 0..13),
    )
        .prop_map(
            |((sd, area, n, inc, b1), (house, nd, floor), (w, l, net), (dev, waste), rec)| {
                let mut h = Household::new("P", area, sd, n);
                h.income_per_capita = inc;
                h.b1_score = b1;
                h.has_house = house;
                h.nondurable_structures = nd;
                h.floor_area_m2 = floor;
                h.water_source = w;
                h.latrine = l;
                h.internet = net;
                h.info_devices = dev.map(|d| d.into_iter().collect::<Devices>());
                h.waste = waste;
                for (code, v) in rec {
                    h.recorded.set(code, v);
                }
                h
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn classification_never_panics_and_is_coherent(
        h in any_household(),
        members in opt(prop::collection::vec(any_member(), 0..12)),
    ) {
        let standards = Standards::builtin().expect("standards");
        for st in standards.all() {
            match st.assess(&h, members.as_deref()) {
                Ok(a) => {
                    prop_assert!(a.deprivation_count() as usize <= st.indicators.len());
                    match a.class {
                        Class::Poor => prop_assert!(a.at_or_below_line && a.deprivation_count() >= st.poor_min_deprivations),
                        Class::NearPoor => prop_assert!(a.at_or_below_line && a.deprivation_count() < st.poor_min_deprivations),
                        Class::Average => prop_assert!(!a.at_or_below_line && st.average_band.is_some()),
                        Class::NotPoor => prop_assert!(!a.at_or_below_line),
                    }
                    prop_assert_eq!(a.income_line, st.income_line.get(h.area));
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }
    }
}

fn any_class() -> impl Strategy<Value = Option<giamngheo_rules::Class>> {
    prop::option::of(pick(Class::ALL))
}

/// The transition of a household into `year`, from its classes (`class(y)`, `None` when not
/// reviewed), written from the spec's definitions.
fn expected_transition(class: &dyn Fn(i32) -> Option<Class>, year: i32) -> Option<&'static str> {
    use Class::*;
    let on_list = |c: Option<Class>| matches!(c, Some(Poor | NearPoor));
    let above = |c: Option<Class>| matches!(c, Some(Average | NotPoor));
    // escaped in `e`: on the list the year before, above the line that year
    let escaped_in = |e: i32| on_list(class(e - 1)) && above(class(e));
    let fell_back = (year - 3..year).any(escaped_in);
    Some(match (class(year - 1), class(year)) {
        (Some(Poor), Some(Poor)) => "stayed_poor",
        (Some(Poor), Some(NearPoor)) => "poor_to_near_poor",
        (Some(Poor | NearPoor), Some(Average | NotPoor)) => "escaped",
        (Some(NearPoor), Some(Poor)) => "near_poor_to_poor",
        (Some(NearPoor), Some(NearPoor)) => "stayed_near_poor",
        (_, Some(Poor)) if fell_back => "fell_back",
        (_, Some(Poor)) => "new_poor",
        (_, Some(NearPoor)) => "new_near_poor",
        (p, None) if on_list(p) => "moved_away",
        _ => return None,
    })
}

proptest! {
    /// Over any unit's households and years (households arriving in different years, leaving,
    /// and missing a review between two), the transitions `History` gives are those of the
    /// spec's definitions, the stock built from them is the one counted here by hand from the
    /// histories, and that hand count keeps the identity: poor at the start + new + fell back +
    /// from near-poor - escaped - to near-poor - moved away = poor at the end.
    #[test]
    fn poor_stock_identity_holds(
        households in prop::collection::vec(
            (prop::collection::vec(any_class(), 1..8), prop::option::of(2015i32..2024)),
            0..200,
        ),
    ) {
        use giamngheo_rules::{History, PoorStock};
        use std::collections::BTreeMap;
        let mut from_history: BTreeMap<i32, PoorStock> = BTreeMap::new();
        let mut by_hand: BTreeMap<i32, PoorStock> = BTreeMap::new();
        for (classes, first) in &households {
            let start = first.unwrap_or(2020);
            let class = |y: i32| -> Option<Class> {
                usize::try_from(y - start).ok().and_then(|i| classes.get(i).copied().flatten())
            };
            let mut h = History::new();
            // from the first year to the year after the last: leaving is a transition too
            for year in start..=start + classes.len() as i32 {
                let t = h.record(year, class(year));
                prop_assert_eq!(t.map(|t| t.code()), expected_transition(&class, year), "{}", year);
                if year == start {
                    continue;
                }
                from_history.entry(year).or_default().add(class(year - 1), class(year), t);
                let s = by_hand.entry(year).or_default();
                let (prev, cur) = (class(year - 1), class(year));
                s.poor_start += u64::from(prev == Some(Class::Poor));
                s.poor_end += u64::from(cur == Some(Class::Poor));
                match (prev, cur) {
                    (Some(Class::Poor), Some(Class::Poor)) => {}
                    (Some(Class::Poor), Some(Class::NearPoor)) => s.to_near_poor += 1,
                    (Some(Class::Poor), Some(_)) => s.escaped += 1,
                    (Some(Class::Poor), None) => s.moved_away += 1,
                    (Some(Class::NearPoor), Some(Class::Poor)) => s.from_near_poor += 1,
                    (_, Some(Class::Poor)) => {
                        // poor again within three years of an escape, or newly poor
                        let escaped = (year - 3..year).any(|e| {
                            matches!(class(e - 1), Some(Class::Poor | Class::NearPoor))
                                && matches!(class(e), Some(Class::Average | Class::NotPoor))
                        });
                        if escaped { s.fell_back += 1 } else { s.new_poor += 1 }
                    }
                    _ => {}
                }
            }
        }
        prop_assert_eq!(&from_history, &by_hand);
        for (year, s) in by_hand {
            prop_assert_eq!(
                s.poor_start + s.new_poor + s.fell_back + s.from_near_poor,
                s.poor_end + s.escaped + s.to_near_poor + s.moved_away,
                "{}: {:?}", year, s
            );
            prop_assert!(s.holds());
        }
    }
}
