//! The baseline of the classify benchmark: 10,000 households drawn by a fixed generator, and the
//! vn-2022-2025 rules written out by hand. The benchmark times the engine against it; the test
//! `bench_baseline` checks, in `cargo test`, that both compute the same thing (else the ratio
//! means nothing).

use giamngheo_rules::chrono::{Datelike, Days};
use giamngheo_rules::{
    age_on, Area, Class, Decimal, Device, Devices, Disability, Education, Household, Labour,
    Latrine, Member, NaiveDate, Schooling, Sex, WaterSource,
};

/// A small deterministic generator (no dependency needed for a benchmark's sample).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    fn pick<T: Copy>(&mut self, all: &[T]) -> T {
        all[self.next(all.len() as u64) as usize]
    }
}

pub fn sample(n: usize) -> Vec<(Household, Vec<Member>)> {
    let mut r = Lcg(7);
    let survey = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default();
    (0..n)
        .map(|i| {
            let size = 1 + r.next(6) as u32;
            let area = if r.next(5) == 0 {
                Area::Urban
            } else {
                Area::Rural
            };
            let mut h = Household::new(format!("H{i}"), area, survey, size);
            h.income_per_capita = Some(Decimal::from(500_000 + r.next(3_000_000)));
            h.has_house = Some(r.next(20) != 0);
            h.nondurable_structures = Some(r.next(4) as u8);
            h.floor_area_m2 = Some(Decimal::from(r.next(120)));
            h.water_source = Some(r.pick(WaterSource::ALL));
            h.latrine = Some(r.pick(Latrine::ALL));
            h.internet = Some(r.next(3) != 0);
            h.info_devices = Some(if r.next(8) == 0 {
                Devices::NONE
            } else {
                Devices::NONE.with(Device::Phone)
            });
            let members = (0..size)
                .map(|_| {
                    let born = survey - Days::new(r.next(90 * 365));
                    let mut m = Member::new(born, r.pick(Sex::ALL));
                    m.health_insurance = Some(r.next(8) != 0);
                    m.disability = r.pick(Disability::ALL);
                    m.labour = Some(r.pick(Labour::ALL));
                    m.malnourished = Some(r.next(10) == 0);
                    m.schooling = Some(r.pick(Schooling::ALL));
                    m.in_education = Some(r.next(3) == 0);
                    m.education = Some(r.pick(Education::ALL));
                    m
                })
                .collect();
            (h, members)
        })
        .collect()
}

/// vn-2022-2025 written out by hand: the baseline.
pub fn hand_coded(h: &Household, ms: &[Member]) -> (Class, u32) {
    let year = h.survey_date.year();
    let retire = |sex| match sex {
        Sex::Male => (723 + 3 * (year - 2021)).min(744) as u32,
        Sex::Female => (664 + 4 * (year - 2021)).min(720) as u32,
    };
    let (mut emp, mut dep, mut nut, mut ins, mut edu, mut sch) =
        (false, 0u32, false, false, false, false);
    for m in ms {
        let (years, months) = age_on(m.birth_date, h.survey_date).unwrap_or((0, 0));
        let working = years >= 15 && months < retire(m.sex);
        emp |= working && matches!(m.labour, Some(Labour::Unemployed | Labour::WageNoContract));
        dep += u32::from(
            years < 16
                || months >= retire(m.sex)
                || matches!(m.disability, Disability::Severe | Disability::VerySevere),
        );
        nut |= years < 16 && m.malnourished == Some(true);
        ins |= years >= 6 && m.health_insurance == Some(false);
        let low = |e| matches!(e, Some(Education::None | Education::Primary));
        edu |= m.in_education == Some(false)
            && (((16..=17).contains(&years) && low(m.education))
                || ((18..=30).contains(&years)
                    && (low(m.education) || m.education == Some(Education::LowerSecondary))));
        sch |= (3..=15).contains(&years) && m.schooling != Some(Schooling::AtLevel);
    }
    let floor = if h.has_house == Some(false) {
        Decimal::ZERO
    } else {
        h.floor_area_m2.unwrap_or_default()
    };
    let lacks = [
        emp,
        dep * 2 > h.members,
        nut,
        ins,
        edu,
        sch,
        h.has_house == Some(false) || h.nondurable_structures.unwrap_or(0) >= 2,
        floor < Decimal::from(8 * h.members),
        !matches!(
            h.water_source,
            Some(
                WaterSource::Piped
                    | WaterSource::DrilledWell
                    | WaterSource::ProtectedWell
                    | WaterSource::ProtectedSpring
                    | WaterSource::Rainwater
                    | WaterSource::Bottled
            )
        ),
        !matches!(
            h.latrine,
            Some(
                Latrine::Septic
                    | Latrine::SemiSeptic
                    | Latrine::PourFlush
                    | Latrine::DoubleVault
                    | Latrine::VentilatedPit
                    | Latrine::Biogas
            )
        ),
        h.internet == Some(false),
        h.info_devices.is_some_and(|d| d.is_empty()),
    ];
    let count = lacks.iter().filter(|x| **x).count() as u32;
    let income = h.income_per_capita.unwrap_or_default();
    let (line, top) = match h.area {
        Area::Rural => (1_500_000, 2_250_000),
        Area::Urban => (2_000_000, 3_000_000),
    };
    let class = if income <= Decimal::from(line) {
        if count >= 3 {
            Class::Poor
        } else {
            Class::NearPoor
        }
    } else if income <= Decimal::from(top) {
        Class::Average
    } else {
        Class::NotPoor
    };
    (class, count)
}
