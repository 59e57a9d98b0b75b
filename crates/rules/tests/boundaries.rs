//! Every rule of the standards at its boundaries: exactly on the line, one below, one above.

use giamngheo_rules::chrono::{Datelike, Duration, Months};
use giamngheo_rules::{
    Area, Class, Decimal, Device, Devices, Disability, Education, Household, IncomeBasis, Labour,
    Lang, Latrine, Member, NaiveDate, Schooling, Sex, Standard, Standards, Waste, WaterSource,
};
use std::str::FromStr;

fn standards() -> Standards {
    Standards::builtin().expect("builtin standards")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("test decimal")
}

/// A member exactly `years` years old on the survey date, less `days_less` days (so
/// `aged(sv, 3, 1)` is a day short of 3), who lacks nothing.
fn aged(survey: &str, years: i32, days_less: i64) -> Member {
    let s = date(survey);
    let born = s.with_year(s.year() - years).expect("birth date") + Duration::days(days_less);
    let mut m = Member::new(born, Sex::Male);
    m.health_insurance = Some(true);
    m.labour = Some(Labour::SelfEmployed);
    m.malnourished = Some(false);
    m.schooling = Some(Schooling::AtLevel);
    m.in_education = Some(false);
    m.education = Some(Education::University);
    m
}

/// An adult of 40 who lacks nothing.
fn adult(survey: &str) -> Member {
    aged(survey, 40, 0)
}

/// A household that lacks nothing, with income well above every line.
fn household(survey: &str, area: Area, members: u32) -> Household {
    let mut h = Household::new("H1", area, date(survey), members);
    h.income_per_capita = Some(dec("5000000"));
    h.has_house = Some(true);
    h.nondurable_structures = Some(0);
    h.floor_area_m2 = Some(Decimal::from(100 * members));
    h.water_source = Some(WaterSource::Piped);
    h.latrine = Some(Latrine::Septic);
    h.internet = Some(true);
    h.info_devices = Some(Devices::NONE.with(Device::Phone));
    h.waste = Some(Waste::Collected);
    h
}

fn std22(s: &Standards) -> &Standard {
    s.get("vn-2022-2025").expect("2022 standard")
}

fn std27(s: &Standards) -> &Standard {
    s.get("vn-2027-2030").expect("2027 standard")
}

fn deprived(std: &Standard, h: &Household, ms: &[Member]) -> Vec<String> {
    let a = std.assess(h, Some(ms)).expect("assessment");
    a.deprived
        .iter()
        .map(|i| std.indicators[i].code.clone())
        .collect()
}

fn is_deprived(std: &Standard, h: &Household, ms: &[Member], code: &str) -> bool {
    assert!(
        std.indicator_index(code).is_some(),
        "{} has no {code}",
        std.id
    );
    deprived(std, h, ms).iter().any(|c| c == code)
}

/// The class of a one-member household with this income and this many deprivations (recorded
/// directly in `d_` flags, the first ones of the standard).
fn class_with(std: &Standard, area: Area, income: &str, deprivations: usize) -> Class {
    let survey = if std.id == "vn-2022-2025" {
        "2025-10-01"
    } else {
        "2027-10-01"
    };
    let mut h = household(survey, area, 1);
    h.income_per_capita = Some(dec(income));
    let s = standards();
    for (i, ind) in std.indicators.iter().enumerate() {
        h.recorded
            .set(s.code_id(&ind.code).expect("code"), i < deprivations);
    }
    let a = std.assess(&h, Some(&[adult(survey)])).expect("assessment");
    assert_eq!(a.deprivation_count() as usize, deprivations);
    a.class
}

#[test]
fn income_lines_2022_rural() {
    let s = standards();
    let st = std22(&s);
    assert_eq!(class_with(st, Area::Rural, "1500000", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Rural, "1499999", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Rural, "1500001", 3), Class::Average);
    assert_eq!(class_with(st, Area::Rural, "1500000.01", 3), Class::Average);
    assert_eq!(class_with(st, Area::Rural, "1500000", 2), Class::NearPoor);
    assert_eq!(class_with(st, Area::Rural, "1499999", 2), Class::NearPoor);
    assert_eq!(class_with(st, Area::Rural, "1500001", 2), Class::Average);
    assert_eq!(class_with(st, Area::Rural, "0", 0), Class::NearPoor);
    // the average band: above 1,500,000 and up to 2,250,000
    assert_eq!(class_with(st, Area::Rural, "2250000", 12), Class::Average);
    assert_eq!(class_with(st, Area::Rural, "2249999", 0), Class::Average);
    assert_eq!(class_with(st, Area::Rural, "2250001", 12), Class::NotPoor);
}

#[test]
fn income_lines_2022_urban() {
    let s = standards();
    let st = std22(&s);
    assert_eq!(class_with(st, Area::Urban, "2000000", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Urban, "1999999", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Urban, "2000001", 3), Class::Average);
    assert_eq!(class_with(st, Area::Urban, "2000000", 2), Class::NearPoor);
    assert_eq!(class_with(st, Area::Urban, "2000001", 2), Class::Average);
    assert_eq!(class_with(st, Area::Urban, "3000000", 5), Class::Average);
    assert_eq!(class_with(st, Area::Urban, "2999999", 5), Class::Average);
    assert_eq!(class_with(st, Area::Urban, "3000001", 5), Class::NotPoor);
    // above the rural line but at or below the urban one: poor in a ward
    assert_eq!(class_with(st, Area::Urban, "1500001", 3), Class::Poor);
}

#[test]
fn income_lines_2027() {
    let s = standards();
    let st = std27(&s);
    assert_eq!(class_with(st, Area::Rural, "2200000", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Rural, "2199999", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Rural, "2200001", 3), Class::NotPoor);
    assert_eq!(class_with(st, Area::Rural, "2200000", 2), Class::NearPoor);
    assert_eq!(class_with(st, Area::Urban, "2800000", 3), Class::Poor);
    assert_eq!(class_with(st, Area::Urban, "2799999", 2), Class::NearPoor);
    assert_eq!(class_with(st, Area::Urban, "2800001", 3), Class::NotPoor);
    // no average band is published for 2027-2030: never `average`
    assert_eq!(class_with(st, Area::Rural, "2300000", 0), Class::NotPoor);
}

#[test]
fn two_versus_three_deprivations() {
    let s = standards();
    for st in [std22(&s), std27(&s)] {
        let line = st.income_line.rural.to_string();
        assert_eq!(class_with(st, Area::Rural, &line, 0), Class::NearPoor);
        assert_eq!(class_with(st, Area::Rural, &line, 2), Class::NearPoor);
        assert_eq!(class_with(st, Area::Rural, &line, 3), Class::Poor);
        assert_eq!(class_with(st, Area::Rural, &line, 4), Class::Poor);
        assert_eq!(class_with(st, Area::Rural, &line, 12), Class::Poor);
    }
}

#[test]
fn b1_score_proxy() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let b1 = |area, score: &str, income: Option<&str>| {
        let mut h = household(sv, area, 1);
        h.income_per_capita = income.map(dec);
        h.b1_score = Some(dec(score));
        st.assess(&h, Some(&[adult(sv)])).expect("assessment")
    };
    for (area, cut) in [(Area::Rural, 140), (Area::Urban, 175)] {
        let on = b1(area, &cut.to_string(), None);
        assert!(on.at_or_below_line);
        assert_eq!(on.income_basis, IncomeBasis::B1Score);
        assert_eq!(on.class, Class::NearPoor);
        assert!(b1(area, &(cut - 1).to_string(), None).at_or_below_line);
        let above = b1(area, &(cut + 1).to_string(), None);
        assert!(!above.at_or_below_line);
        // the average band needs an income: above the proxy cut-off is `not_poor`
        assert_eq!(above.class, Class::NotPoor);
    }
    // both given: income wins
    let both = b1(Area::Rural, "100", Some("2000000"));
    assert_eq!(both.income_basis, IncomeBasis::Income);
    assert_eq!(both.class, Class::Average);
    assert!(b1(Area::Rural, "200", Some("1000000")).at_or_below_line);
}

#[test]
fn income_missing_is_an_error() {
    let s = standards();
    let mut h = household("2025-10-01", Area::Rural, 1);
    h.income_per_capita = None;
    let e = std22(&s)
        .assess(&h, Some(&[adult("2025-10-01")]))
        .expect_err("no income");
    assert_eq!(e[0].field, "income_per_capita");
}

#[test]
fn dependants_exactly_half() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let child = || aged(sv, 10, 0);
    let a = || adult(sv);
    // 1 of 2 = 50 %: not more than half
    let h2 = household(sv, Area::Rural, 2);
    assert!(!is_deprived(st, &h2, &[a(), child()], "dependants"));
    // 2 of 4 = 50 %
    let h4 = household(sv, Area::Rural, 4);
    assert!(!is_deprived(
        st,
        &h4,
        &[a(), a(), child(), child()],
        "dependants"
    ));
    // 2 of 3 > 50 %
    let h3 = household(sv, Area::Rural, 3);
    assert!(is_deprived(st, &h3, &[a(), child(), child()], "dependants"));
    // 3 of 5 = 60 %; 2 of 5 = 40 %
    let h5 = household(sv, Area::Rural, 5);
    assert!(is_deprived(
        st,
        &h5,
        &[a(), a(), child(), child(), child()],
        "dependants"
    ));
    assert!(!is_deprived(
        st,
        &h5,
        &[a(), a(), a(), child(), child()],
        "dependants"
    ));
    // 15 is a dependant (under 16), 16 is not
    assert!(is_deprived(
        st,
        &h3,
        &[a(), child(), aged(sv, 16, 1)],
        "dependants"
    ));
    assert!(!is_deprived(
        st,
        &h3,
        &[a(), child(), aged(sv, 16, 0)],
        "dependants"
    ));
    // a severely disabled adult counts as a dependant; a mildly disabled one does not
    let with = |d| {
        let mut m = a();
        m.disability = d;
        m
    };
    assert!(is_deprived(
        st,
        &h3,
        &[a(), child(), with(Disability::Severe)],
        "dependants"
    ));
    assert!(is_deprived(
        st,
        &h3,
        &[a(), child(), with(Disability::VerySevere)],
        "dependants"
    ));
    assert!(!is_deprived(
        st,
        &h3,
        &[a(), child(), with(Disability::Mild)],
        "dependants"
    ));
}

#[test]
fn dependants_2027_need_the_social_allowance() {
    let s = standards();
    let st = std27(&s);
    let sv = "2027-10-01";
    let h = household(sv, Area::Rural, 1);
    let mut old = aged(sv, 80, 0);
    old.social_allowance = Some(false);
    assert!(!is_deprived(st, &h, &[old.clone()], "dependants"));
    old.social_allowance = Some(true);
    assert!(is_deprived(st, &h, &[old], "dependants"));
    // under 2022-2025 rules an elderly member counts without an allowance
    let h22 = household("2025-10-01", Area::Rural, 1);
    let mut old22 = aged("2025-10-01", 80, 0);
    old22.social_allowance = Some(false);
    assert!(is_deprived(std22(&s), &h22, &[old22], "dependants"));
    // a mildly disabled adult with an allowance counts in 2027
    let mut mild = aged(sv, 40, 0);
    mild.disability = Disability::Mild;
    mild.social_allowance = Some(true);
    assert!(is_deprived(st, &h, &[mild.clone()], "dependants"));
    mild.social_allowance = None;
    let e = st.assess(&h, Some(&[mild])).expect_err("allowance needed");
    assert_eq!((e[0].member, e[0].field), (Some(0), "social_allowance"));
}

#[test]
fn floor_area_exactly_eight_square_metres_a_person() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let lacks = |n: u32, m2: &str| {
        let mut h = household(sv, Area::Rural, n);
        h.floor_area_m2 = Some(dec(m2));
        let ms: Vec<Member> = (0..n).map(|_| adult(sv)).collect();
        is_deprived(st, &h, &ms, "housing_area")
    };
    assert!(!lacks(1, "8"));
    assert!(!lacks(1, "8.00"));
    assert!(lacks(1, "7.99"));
    assert!(lacks(1, "7.999999"));
    assert!(!lacks(1, "8.01"));
    assert!(!lacks(2, "16"));
    assert!(lacks(2, "15.99"));
    assert!(!lacks(2, "16.01"));
    assert!(!lacks(5, "40"));
    assert!(lacks(5, "39.9"));
    // no house counts as 0 m², whatever the area column says
    let mut h = household(sv, Area::Rural, 1);
    h.has_house = Some(false);
    h.floor_area_m2 = Some(dec("50"));
    let d = deprived(st, &h, &[adult(sv)]);
    assert!(d.contains(&"housing_area".to_string()));
    assert!(d.contains(&"housing_quality".to_string()));
}

#[test]
fn housing_quality_two_of_three_structures() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    for (n, expect) in [(0, false), (1, false), (2, true), (3, true)] {
        let mut h = household(sv, Area::Rural, 1);
        h.nondurable_structures = Some(n);
        assert_eq!(
            is_deprived(st, &h, &[adult(sv)], "housing_quality"),
            expect,
            "{n}"
        );
    }
    let mut h = household(sv, Area::Rural, 1);
    h.nondurable_structures = None;
    let e = st
        .assess(&h, Some(&[adult(sv)]))
        .expect_err("structures needed");
    assert_eq!(e[0].field, "nondurable_structures");
}

#[test]
fn water_sanitation_telecom_information_waste() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let safe = [
        "piped",
        "drilled_well",
        "protected_well",
        "protected_spring",
        "rainwater",
        "bottled",
    ];
    for w in WaterSource::ALL {
        let mut h = household(sv, Area::Rural, 1);
        h.water_source = Some(*w);
        assert_eq!(
            is_deprived(st, &h, &[adult(sv)], "water"),
            !safe.contains(&w.code()),
            "{w}"
        );
    }
    let hygienic = [
        "septic",
        "semi_septic",
        "pour_flush",
        "double_vault",
        "ventilated_pit",
        "biogas",
    ];
    for l in Latrine::ALL {
        let mut h = household(sv, Area::Rural, 1);
        h.latrine = Some(*l);
        let lacks = is_deprived(st, &h, &[adult(sv)], "sanitation");
        assert_eq!(lacks, !hygienic.contains(&l.code()), "{l}");
    }
    let mut h = household(sv, Area::Rural, 1);
    h.info_devices = Some(Devices::NONE);
    assert!(is_deprived(st, &h, &[adult(sv)], "information"));
    for d in Device::ALL {
        h.info_devices = Some(Devices::NONE.with(*d));
        assert!(!is_deprived(st, &h, &[adult(sv)], "information"), "{d}");
    }
    assert!(!is_deprived(st, &h, &[adult(sv)], "telecom"));
    h.internet = Some(false);
    assert!(is_deprived(st, &h, &[adult(sv)], "telecom"));
    // 2027: no information indicator; waste instead
    let st27 = std27(&s);
    assert!(st27.indicator_index("information").is_none());
    let sv27 = "2027-10-01";
    let mut h = household(sv27, Area::Rural, 1);
    h.info_devices = Some(Devices::NONE);
    assert!(deprived(st27, &h, &[adult(sv27)]).is_empty());
    for (w, expect) in [
        (Waste::Collected, false),
        (Waste::OnsiteHygienic, false),
        (Waste::Untreated, true),
    ] {
        h.waste = Some(w);
        assert_eq!(
            is_deprived(st27, &h, &[adult(sv27)], "waste"),
            expect,
            "{w}"
        );
    }
    h.waste = None;
    let e = st27
        .assess(&h, Some(&[adult(sv27)]))
        .expect_err("waste needed");
    assert_eq!(e[0].field, "waste");
}

#[test]
fn child_schooling_ages_3_to_15() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let out_of_school = |years, days_less| {
        let mut c = aged(sv, years, days_less);
        c.schooling = Some(Schooling::NotAttending);
        is_deprived(st, &h, &[adult(sv), c], "child_schooling")
    };
    assert!(out_of_school(3, 0), "3rd birthday on the survey date");
    assert!(!out_of_school(3, 1), "a day short of 3");
    assert!(out_of_school(15, 0));
    assert!(out_of_school(16, 1), "a day short of 16 is 15");
    assert!(!out_of_school(16, 0), "16 on the survey date");
    let mut c = aged(sv, 10, 0);
    c.schooling = Some(Schooling::Behind);
    assert!(is_deprived(st, &h, &[adult(sv), c], "child_schooling"));
}

#[test]
fn health_insurance_from_6() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let uninsured = |years, days_less| {
        let mut c = aged(sv, years, days_less);
        c.health_insurance = Some(false);
        is_deprived(st, &h, &[adult(sv), c], "health_insurance")
    };
    assert!(uninsured(6, 0));
    assert!(!uninsured(6, 1));
    assert!(uninsured(7, 0));
}

#[test]
fn nutrition_under_16() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let thin = |years, days_less| {
        let mut c = aged(sv, years, days_less);
        c.malnourished = Some(true);
        is_deprived(st, &h, &[adult(sv), c], "nutrition")
    };
    assert!(thin(15, 0));
    assert!(thin(16, 1));
    assert!(!thin(16, 0));
    assert!(thin(0, 0), "born on the survey date");
}

#[test]
fn adult_education_ages_16_18_30_31() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let lacks = |years, days_less, edu: Education, in_edu: bool| {
        let mut c = aged(sv, years, days_less);
        c.education = Some(edu);
        c.in_education = Some(in_edu);
        is_deprived(st, &h, &[adult(sv), c], "adult_education")
    };
    // 16-17: below lower secondary
    assert!(lacks(16, 0, Education::Primary, false));
    assert!(
        !lacks(16, 1, Education::Primary, false),
        "15 is not counted"
    );
    assert!(!lacks(16, 0, Education::LowerSecondary, false));
    assert!(!lacks(17, 0, Education::LowerSecondary, false));
    assert!(!lacks(17, 0, Education::Primary, true), "in school");
    // 18-30: below upper secondary and without vocational training
    assert!(lacks(18, 0, Education::LowerSecondary, false));
    assert!(
        !lacks(18, 1, Education::LowerSecondary, false),
        "a day short of 18 is 17"
    );
    assert!(!lacks(18, 0, Education::UpperSecondary, false));
    assert!(!lacks(18, 0, Education::Vocational, false));
    assert!(!lacks(25, 0, Education::College, false));
    assert!(!lacks(25, 0, Education::None, true), "in training");
    assert!(lacks(30, 0, Education::None, false));
    assert!(
        lacks(31, 1, Education::None, false),
        "a day short of 31 is 30"
    );
    assert!(!lacks(31, 0, Education::None, false));
    // what is missing is named
    let mut c = aged(sv, 20, 0);
    c.education = None;
    c.in_education = Some(false);
    let e = st
        .assess(&h, Some(&[adult(sv), c]))
        .expect_err("education needed");
    assert_eq!((e[0].member, e[0].field), (Some(1), "education"));
    let mut c = aged(sv, 20, 0);
    c.education = Some(Education::Primary);
    c.in_education = None;
    let e = st
        .assess(&h, Some(&[adult(sv), c]))
        .expect_err("in_education needed");
    assert_eq!((e[0].member, e[0].field), (Some(1), "in_education"));
}

#[test]
fn employment_from_15() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let jobless = |years, days_less, labour| {
        let mut c = aged(sv, years, days_less);
        c.labour = Some(labour);
        is_deprived(st, &h, &[adult(sv), c], "employment")
    };
    assert!(jobless(15, 0, Labour::Unemployed));
    assert!(
        !jobless(15, 1, Labour::Unemployed),
        "14 is not of working age"
    );
    assert!(jobless(40, 0, Labour::WageNoContract));
    assert!(!jobless(40, 0, Labour::WageContract));
    assert!(!jobless(40, 0, Labour::Student));
    assert!(!jobless(70, 0, Labour::Unemployed), "above working age");
    // a working-age member without `labour` is named
    let mut c = aged(sv, 30, 0);
    c.labour = None;
    let e = st
        .assess(&h, Some(&[adult(sv), c]))
        .expect_err("labour needed");
    assert_eq!((e[0].member, e[0].field), (Some(1), "labour"));
    assert!(
        e[0].message.render(Lang::En).contains("aged 30"),
        "{}",
        e[0].message
    );
    // `labour` is asked from 15 on, past working age too; not below 15
    let mut old = aged(sv, 70, 0);
    old.labour = None;
    let e = st
        .assess(&h, Some(&[adult(sv), old]))
        .expect_err("labour asked at 70");
    assert_eq!((e[0].member, e[0].field), (Some(1), "labour"));
    let mut child = aged(sv, 15, 1);
    child.labour = None;
    assert!(st.assess(&h, Some(&[adult(sv), child])).is_ok());
}

#[test]
fn retirement_age_in_months_both_sexes_across_years() {
    let s = standards();
    // survey date, standard, retirement age of men and of women in months
    let cases = [
        ("2022-10-15", "vn-2022-2025", 726, 668),
        ("2023-10-15", "vn-2022-2025", 729, 672),
        ("2024-10-15", "vn-2022-2025", 732, 676),
        ("2025-10-15", "vn-2022-2025", 735, 680),
        ("2026-10-15", "vn-2022-2025", 738, 684),
        ("2027-10-15", "vn-2027-2030", 741, 688),
        ("2028-10-15", "vn-2027-2030", 744, 692),
        ("2030-10-15", "vn-2027-2030", 744, 700),
    ];
    for (survey, std_id, men, women) in cases {
        let st = s.get(std_id).expect("standard");
        let sd = date(survey);
        let employment = st.indicator_index("employment").expect("employment");
        let dependants = st.indicator_index("dependants").expect("dependants");
        for (sex, limit) in [(Sex::Male, men), (Sex::Female, women)] {
            for (months, working) in [(limit - 1, true), (limit, false), (limit + 1, false)] {
                let born = sd.checked_sub_months(Months::new(months)).expect("birth");
                let mut m = Member::new(born, sex);
                m.health_insurance = Some(true);
                m.labour = Some(Labour::Unemployed);
                m.social_allowance = Some(true);
                let h = household(survey, Area::Rural, 1);
                let a = st.assess(&h, Some(&[m])).expect("assessment");
                let what = format!("{survey} {sex} aged {months} months");
                assert_eq!(
                    a.deprived.contains(employment),
                    working,
                    "{what}: employment"
                );
                assert_eq!(
                    a.deprived.contains(dependants),
                    !working,
                    "{what}: dependants"
                );
                assert_eq!(a.without_working_capacity, Some(!working), "{what}");
            }
        }
    }
}

#[test]
fn without_working_capacity() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let h = household(sv, Area::Rural, 2);
    let mut unable = adult(sv);
    unable.labour = Some(Labour::Unable);
    let a = st
        .assess(&h, Some(&[unable.clone(), aged(sv, 5, 0)]))
        .expect("a");
    assert_eq!(a.without_working_capacity, Some(true));
    let a = st.assess(&h, Some(&[unable, adult(sv)])).expect("a");
    assert_eq!(a.without_working_capacity, Some(false));
}

#[test]
fn recorded_flags_override_the_answers() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let water = s.code_id("water").expect("water");
    let mut h = household(sv, Area::Rural, 1);
    h.water_source = Some(WaterSource::Surface);
    h.recorded.set(water, false);
    assert!(!is_deprived(st, &h, &[adult(sv)], "water"));
    let a = st.assess(&h, Some(&[adult(sv)])).expect("assessment");
    assert!(a
        .recorded
        .contains(st.indicator_index("water").expect("water")));
    let mut h = household(sv, Area::Rural, 1);
    h.water_source = Some(WaterSource::Piped);
    h.recorded.set(water, true);
    assert!(is_deprived(st, &h, &[adult(sv)], "water"));
    // a recorded flag makes the answer unnecessary
    let mut h = household(sv, Area::Rural, 1);
    h.water_source = None;
    h.recorded.set(water, true);
    assert!(is_deprived(st, &h, &[adult(sv)], "water"));
    // neither: an error naming the answer and the indicator
    h.recorded = Default::default();
    let e = st
        .assess(&h, Some(&[adult(sv)]))
        .expect_err("water unknown");
    assert_eq!(e[0].field, "water_source");
    assert!(
        e[0].message.render(Lang::En).contains("d_water"),
        "{}",
        e[0].message
    );
    // member indicators recorded: a member's missing answers are not needed
    let mut m = adult(sv);
    m.labour = None;
    let mut h = household(sv, Area::Rural, 1);
    assert!(st.assess(&h, Some(&[m.clone()])).is_err());
    h.recorded.set(s.code_id("employment").expect("code"), true);
    assert!(is_deprived(st, &h, &[m], "employment"));
}

#[test]
fn without_members_file_every_member_indicator_is_recorded() {
    let s = standards();
    let st = std22(&s);
    let mut h = household("2025-10-01", Area::Rural, 4);
    let e = st
        .assess::<Member>(&h, None)
        .expect_err("member indicators unknown");
    assert_eq!(e.len(), 6);
    assert!(e.iter().all(|e| e.field == "members"));
    for code in [
        "employment",
        "dependants",
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_schooling",
    ] {
        h.recorded
            .set(s.code_id(code).expect("code"), code == "dependants");
    }
    let a = st.assess::<Member>(&h, None).expect("assessment");
    assert_eq!(a.deprivation_count(), 1);
    assert_eq!(a.without_working_capacity, None);
}

#[test]
fn birth_after_the_survey_is_an_error() {
    let s = standards();
    let h = household("2025-10-01", Area::Rural, 1);
    let m = Member::new(date("2025-10-02"), Sex::Female);
    let e = std22(&s).assess(&h, Some(&[m])).expect_err("unborn");
    assert_eq!((e[0].member, e[0].field), (Some(0), "birth_date"));
}

#[test]
fn deprivations_in_the_standards_order() {
    let s = standards();
    let st = std22(&s);
    let sv = "2025-10-01";
    let mut h = household(sv, Area::Rural, 1);
    h.internet = Some(false);
    h.water_source = Some(WaterSource::Surface);
    h.has_house = Some(false);
    let mut m = adult(sv);
    m.labour = Some(Labour::Unemployed);
    assert_eq!(
        deprived(st, &h, &[m]),
        [
            "employment",
            "housing_quality",
            "housing_area",
            "water",
            "telecom"
        ]
    );
}

/// A provincial standard whose average band starts above its income line: the band's own lower
/// end decides, exclusive ("> lower, ≤ upper"), and between the line and the band a household is
/// not poor.
#[test]
fn a_band_that_starts_above_the_line_is_judged_on_its_own_lower_end() {
    let text = giamngheo_rules::standard::BUILTIN[0].1.replacen(
        "rural = { above = 1_500_000, up_to = 2_250_000 }",
        "rural = { above = 1_600_000, up_to = 2_250_000 }",
        1,
    );
    assert_ne!(text, giamngheo_rules::standard::BUILTIN[0].1);
    let st = Standard::from_toml("provincial.toml", &text).expect("a provincial standard");
    let survey = "2025-10-15";
    let class = |income: &str| {
        let mut h = Household::new("P", Area::Rural, date(survey), 1);
        h.income_per_capita = Some(dec(income));
        h.has_house = Some(true);
        h.nondurable_structures = Some(0);
        h.floor_area_m2 = Some(dec("40"));
        h.water_source = Some(WaterSource::Piped);
        h.latrine = Some(Latrine::Septic);
        h.internet = Some(true);
        h.info_devices = Some(Devices::NONE.with(Device::Phone));
        st.assess(&h, Some(&[adult(survey)][..]))
            .expect("classified")
            .class
    };
    assert_eq!(class("1500000"), Class::NearPoor);
    assert_eq!(
        class("1500001"),
        Class::NotPoor,
        "above the line, below the band"
    );
    assert_eq!(
        class("1600000"),
        Class::NotPoor,
        "on the band's lower end: outside it"
    );
    assert_eq!(class("1600001"), Class::Average);
    assert_eq!(class("2250000"), Class::Average);
    assert_eq!(class("2250001"), Class::NotPoor);
}
