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

proptest! {
    /// The stock identity holds for any unit's households over any two years, households
    /// arriving in different years.
    #[test]
    fn poor_stock_identity_holds(
        households in prop::collection::vec(
            (prop::collection::vec(any_class(), 1..8), prop::option::of(2015i32..2024)),
            0..200,
        ),
    ) {
        use giamngheo_rules::{History, PoorStock};
        let mut stocks: std::collections::BTreeMap<i32, PoorStock> = Default::default();
        // each household is first assessed in its own year: some arrive after the others
        for (classes, first) in &households {
            let start = first.unwrap_or(2020);
            let mut h = History::new();
            let mut previous = None;
            for (i, class) in classes.iter().enumerate() {
                let year = start + i as i32;
                let t = h.record(year, *class);
                if i > 0 {
                    stocks.entry(year).or_default().add(previous, *class, t);
                }
                previous = *class;
            }
        }
        for (year, s) in stocks {
            prop_assert!(s.holds(), "{year}: {s:?}");
        }
    }
}
