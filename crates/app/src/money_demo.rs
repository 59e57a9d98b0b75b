//! A demonstration's money: a province's plans by item and source for a span of years, its
//! allocations to its communes, a revision in September, payments month by month with one
//! project (DA4, vocational training) and a few communes slow to disburse, and year-end estimates
//! in October. From 2026 the plans are of the 2026-2035 programme, with 2025 capital of the
//! 2021-2025 programme carried into 2026. Deterministic: the same every time. Written through the
//! same checks as any file, as the demonstration's recorder.

use crate::money::MoneyKind;
use crate::registry::{QueryError, Registry};
use giamngheo_rules::{NaiveDate, UnitCode};

/// A province's lines of the 2021-2025 programme for the demonstration: the item, its sources,
/// millions of đồng a year, the share allocated to the communes, and the share disbursed by the
/// year's end (DA4, vocational training, lags).
const MONEY_LINES: [(&str, &[&str], i64, u32, u32); 13] = [
    (
        "DA1.TDA1",
        &["central_investment", "local_investment"],
        180_000,
        0,
        94,
    ),
    ("DA1.TDA2", &["central_investment"], 40_000, 0, 90),
    (
        "DA2",
        &["central_recurrent", "local_recurrent"],
        12_000,
        80,
        88,
    ),
    (
        "DA3.TDA1",
        &["central_recurrent", "local_recurrent"],
        30_000,
        80,
        91,
    ),
    ("DA3.TDA2", &["central_recurrent"], 6_000, 70, 86),
    (
        "DA4.TDA1",
        &["central_investment", "central_recurrent"],
        24_000,
        0,
        41,
    ),
    ("DA4.TDA2", &["central_recurrent"], 1_500, 0, 38),
    ("DA4.TDA3", &["central_recurrent"], 3_000, 60, 44),
    (
        "DA5",
        &["central_recurrent", "local_recurrent"],
        45_000,
        90,
        97,
    ),
    ("DA6.TDA1", &["central_recurrent"], 2_500, 0, 89),
    ("DA6.TDA2", &["central_recurrent"], 1_500, 0, 92),
    ("DA7.TDA1", &["central_recurrent"], 2_000, 0, 85),
    ("DA7.TDA2", &["central_recurrent"], 1_000, 0, 83),
];

/// The 2026-2035 programme's lines of the demonstration (its component groups are kept by
/// number in the catalogue), as `MONEY_LINES`.
const MONEY_LINES_2026: [(&str, &[&str], i64, u32, u32); 6] = [
    (
        "ND01",
        &["central_investment", "local_investment"],
        150_000,
        0,
        71,
    ),
    ("ND02", &["central_recurrent"], 18_000, 70, 78),
    (
        "ND03",
        &["central_recurrent", "local_recurrent"],
        26_000,
        80,
        74,
    ),
    ("ND04", &["central_recurrent"], 9_000, 50, 35),
    ("ND05", &["central_recurrent"], 40_000, 85, 82),
    ("ND09", &["central_recurrent"], 3_000, 0, 69),
];

/// 2021-2025 capital left over and carried into 2026, keeping its origin year.
const CARRIED_2025: [(&str, &[&str], i64, u32, u32); 2] = [
    ("DA1.TDA1", &["central_investment"], 22_000, 0, 88),
    ("DA5", &["central_recurrent"], 5_000, 90, 95),
];

/// Who the demonstration's money is recorded by, as its pages show it.
pub const RECORDER: &str = "dữ liệu minh họa";

/// A small deterministic generator (the demonstration is the same every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A whole number in `lo..=hi`.
    fn within(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

fn money_row(cells: &[(&str, String)]) -> crate::money::Row {
    crate::money::Row {
        number: 0,
        cells: cells
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// Fills the demonstration's money: for each year the province's plan by item and source (local
/// counterpart a tenth of the central), allocations to its communes, a revision of the housing
/// line in September, and payments month by month to each line's share of its plan.
pub async fn fill(
    registry: &Registry,
    province: &str,
    (first, last): (i32, i32),
    today: NaiveDate,
) -> Result<(), QueryError> {
    let unit = UnitCode::parse(province).ok_or(crate::access::Denied::NotFound)?;
    // in code order: the catalogue's own order is not fixed, and the demonstration is
    let mut communes: Vec<String> = crate::access::units_of(&unit)
        .iter()
        .skip(1)
        .map(|u| u.to_string())
        .collect();
    communes.sort();
    let mut rng = Lcg(2025);
    for year in first..=last {
        let mut plans = Vec::new();
        let mut payments = Vec::new();
        // (unit, item, source) → (plan from January, plan after the revision, disbursed share)
        #[allow(clippy::type_complexity)]
        let mut lines: Vec<(String, &str, &str, i64, i64, u32, String)> = Vec::new();
        let programme: &[(&str, &[&str], i64, u32, u32)] = if year >= 2026 {
            &MONEY_LINES_2026
        } else {
            &MONEY_LINES
        };
        let carried: &[(&str, &[&str], i64, u32, u32)] =
            if year == 2026 { &CARRIED_2025 } else { &[] };
        let with_origin = programme
            .iter()
            .map(|l| (l, year))
            .chain(carried.iter().map(|l| (l, 2025)));
        for (&(item, sources, millions, allocated, share), origin) in with_origin {
            let origin = origin.to_string();
            for (n, source) in sources.iter().enumerate() {
                let base = if n == 0 { millions } else { millions / 10 };
                let total = base * rng.within(85, 115) / 100 * 1_000_000;
                // the housing line is raised by a fifth in September
                let raised = matches!(item, "DA5" | "ND05") && origin == year.to_string();
                let revised = if raised { total * 6 / 5 } else { total };
                plans.push(money_row(&[
                    ("unit_code", province.to_string()),
                    ("budget_year", year.to_string()),
                    ("document", format!("{}/QĐ-UBND", 100 + year - 2000)),
                    ("decided_on", format!("{year}-01-15")),
                    ("item", item.to_string()),
                    ("source", source.to_string()),
                    ("origin_year", origin.clone()),
                    ("amount", total.to_string()),
                ]));
                if revised != total {
                    plans.push(money_row(&[
                        ("unit_code", province.to_string()),
                        ("budget_year", year.to_string()),
                        ("document", format!("{}/QĐ-UBND", 300 + year - 2000)),
                        ("decided_on", format!("{year}-09-10")),
                        ("item", item.to_string()),
                        ("source", source.to_string()),
                        ("origin_year", origin.clone()),
                        ("amount", revised.to_string()),
                        ("note", "Bổ sung vốn hỗ trợ nhà ở".to_string()),
                    ]));
                }
                // the allocated share split among the communes by weight, in whole millions
                let to_communes = total * i64::from(allocated) / 100 / 1_000_000;
                let mut given = 0;
                if to_communes > 0 && !communes.is_empty() {
                    let weights: Vec<i64> = communes.iter().map(|_| rng.within(5, 20)).collect();
                    let sum: i64 = weights.iter().sum();
                    for (c, w) in communes.iter().zip(&weights) {
                        let part = to_communes * w / sum * 1_000_000;
                        if part == 0 {
                            continue;
                        }
                        given += part;
                        plans.push(money_row(&[
                            ("unit_code", c.clone()),
                            ("budget_year", year.to_string()),
                            ("document", format!("{}/QĐ-UBND", 120 + year - 2000)),
                            ("decided_on", format!("{year}-02-10")),
                            ("item", item.to_string()),
                            ("source", source.to_string()),
                            ("origin_year", origin.clone()),
                            ("amount", part.to_string()),
                        ]));
                        // a few communes are slow to pay
                        let slow = communes
                            .iter()
                            .position(|x| x == c)
                            .is_some_and(|i| i % 15 == 7);
                        lines.push((
                            c.clone(),
                            item,
                            source,
                            part,
                            part,
                            if slow { 35 } else { share },
                            origin.clone(),
                        ));
                    }
                }
                lines.push((
                    province.to_string(),
                    item,
                    source,
                    total - given,
                    revised - given,
                    share,
                    origin.clone(),
                ));
            }
        }
        // payments from March to December, more of them late in the year
        let mut estimates = Vec::new();
        let estimated_on = format!("{year}-10-15");
        for (unit, item, source, early, plan, share, origin) in &lines {
            let target = plan * i64::from(*share) * rng.within(95, 103) / 100 / 100;
            let target = target.min(*plan);
            // in October each line's officer estimates the year's end, near what it will pay
            if estimated_on.as_str() <= today.to_string().as_str() {
                let guess = (target * rng.within(97, 106) / 100).min(*plan) / 1_000_000 * 1_000_000;
                estimates.push(money_row(&[
                    ("unit_code", unit.clone()),
                    ("budget_year", year.to_string()),
                    ("item", item.to_string()),
                    ("source", source.to_string()),
                    ("origin_year", origin.clone()),
                    ("as_of", estimated_on.clone()),
                    ("amount", guess.to_string()),
                ]));
            }
            let weights = [1, 1, 2, 2, 2, 2, 3, 3, 4, 5];
            let sum: i64 = weights.iter().sum();
            let mut paid = 0;
            for (k, w) in weights.iter().enumerate() {
                let month = k as u32 + 3;
                let mut amount = target * w / sum;
                if k == weights.len() - 1 {
                    amount = target - paid;
                }
                // until the September revision the line holds its January plan
                if month <= 9 && paid + amount > *early {
                    amount = (*early - paid).max(0);
                }
                let amount = amount / 1_000 * 1_000;
                if amount <= 0 {
                    continue;
                }
                let day = rng.within(3, 27);
                let paid_on = format!("{year}-{month:02}-{day:02}");
                if paid_on.as_str() > today.to_string().as_str() {
                    continue;
                }
                paid += amount;
                payments.push(money_row(&[
                    ("unit_code", unit.clone()),
                    ("budget_year", year.to_string()),
                    ("item", item.to_string()),
                    ("source", source.to_string()),
                    ("origin_year", origin.clone()),
                    ("paid_on", paid_on),
                    ("amount", amount.to_string()),
                    ("document", format!("UNC {}/KBNN", rng.within(1, 999))),
                ]));
            }
        }
        let name: std::sync::Arc<str> = format!("demo-{year}").into();
        let who = giamngheo_store::Who {
            user_id: None,
            name: RECORDER.to_string(),
        };
        for (kind, mut rows) in [
            (MoneyKind::Plans, plans),
            (MoneyKind::Payments, payments),
            (MoneyKind::Estimates, estimates),
        ] {
            if rows.is_empty() {
                continue;
            }
            for (i, r) in rows.iter_mut().enumerate() {
                r.number = i as u64 + 2;
            }
            crate::money::write_rows(
                &registry.store,
                &registry.programs,
                &who,
                None,
                kind,
                &name,
                &rows,
                today,
            )
            .await?;
        }
    }
    Ok(())
}
