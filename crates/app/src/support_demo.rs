//! A demonstration's support to households: each year after a review, for the first communes
//! of a province (in code order), houses built for poor households lacking a durable house
//! (Project 5 in a former poor district, the 2024-2025 campaign elsewhere), health insurance
//! cards for the heads of poor and near-poor households, vocational training and a livelihood
//! model for near-poor ones; and, for the inspectors to find, a second house within the window
//! and a house for a household that was not poor, both recorded on an officer's reason, and a
//! card given twice in a year. Deterministic, and written through the same checks as any file.

use crate::money::Row;
use crate::registry::{QueryError, Registry};
use giamngheo_rules::{Class, NaiveDate, UnitCode};
use giamngheo_store::{HouseholdQuery, Who};
use std::sync::Arc;

/// Who the demonstration's support is recorded by.
pub const RECORDER: &str = "dữ liệu minh họa";

fn row(cells: &[(&str, String)]) -> Row {
    Row {
        number: 0,
        cells: cells
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// Households of a commune of a class in a review year, lacking an indicator when given.
async fn some(
    registry: &Registry,
    commune: &UnitCode,
    year: i32,
    class: Class,
    deprivation: Option<u32>,
    limit: i64,
) -> Result<Vec<String>, QueryError> {
    let page = registry
        .store
        .households(&HouseholdQuery {
            unit: *commune,
            year,
            text: None,
            class: Some(class),
            village: None,
            ethnic_code: None,
            deprivation,
            limit,
            offset: 0,
        })
        .await?;
    Ok(page.lines.into_iter().map(|h| h.code).collect())
}

/// The number of a household's first member (its head, as a rule), as the registry holds it.
async fn first_member(
    registry: &Registry,
    commune: &str,
    code: &str,
) -> Result<Option<String>, QueryError> {
    let Some(id) = registry.store.household_id(commune, code).await? else {
        return Ok(None);
    };
    Ok(registry
        .store
        .household(id)
        .await?
        .and_then(|d| d.members.iter().map(|m| m.member_no).min())
        .map(|n| n.to_string()))
}

/// Fills the demonstration's support for the reviews of `years` (each year's support decided
/// in the spring after it), in the first `communes` communes of `province`.
pub async fn fill(
    registry: &Registry,
    province: &str,
    years: (i32, i32),
    communes: usize,
    today: NaiveDate,
) -> Result<usize, QueryError> {
    let unit = UnitCode::parse(province).ok_or(crate::access::Denied::NotFound)?;
    let mut codes: Vec<UnitCode> = crate::access::units_of(&unit)
        .into_iter()
        .filter(|u| matches!(u, UnitCode::Commune(_)))
        .collect();
    codes.sort_by_key(|u| u.to_string());
    codes.truncate(communes);
    let data = &registry.support;
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let mut rows = Vec::new();
    // a house, or a model, once a household in the demonstration (their windows are years)
    let mut given: std::collections::HashSet<(String, String)> = Default::default();
    for (n, commune) in codes.iter().enumerate() {
        let c = commune.to_string();
        for year in years.0..=years.1 {
            let standard = registry.standards().for_year(year);
            let housing = standard
                .and_then(|s| {
                    s.indicators
                        .iter()
                        .position(|i| i.code == "housing_quality")
                })
                .map(|i| i as u32);
            let next = year + 1;
            // a house for the first poor households lacking a durable one, in the spring after
            // the review: Project 5 where the commune was in a poor district, else the campaign
            let Some(spring) = day(next, 4, 10) else {
                continue;
            };
            let poor_district = data.statuses.on(&c, spring).contains("poor_district");
            let campaign = day(2024, 10, 5).is_some_and(|f| spring >= f) && next <= 2025;
            let houses = if poor_district && next <= 2025 {
                Some(("40000000", "DA5"))
            } else if campaign {
                Some(("60000000", "DA5"))
            } else {
                None
            };
            let poor = some(registry, commune, year, Class::Poor, None, 12).await?;
            if let (Some((amount, item)), Some(_)) = (houses, housing) {
                let lacking = some(registry, commune, year, Class::Poor, housing, 12).await?;
                let fresh: Vec<String> = lacking
                    .into_iter()
                    .filter(|h| given.insert((c.clone(), format!("house {h}"))))
                    .take(2)
                    .collect();
                for (k, h) in fresh.into_iter().enumerate() {
                    let started = day(next, 5, 2 + k as u32);
                    let completed = day(next, 8, 20 + k as u32);
                    let done = completed.is_some_and(|d| d <= today);
                    rows.push(row(&[
                        ("commune_code", c.clone()),
                        ("household_code", h),
                        ("kind", "housing_build".into()),
                        ("item", item.into()),
                        ("decision", format!("{}/QĐ-UBND", 40 + k)),
                        ("decided_on", spring.to_string()),
                        ("status", if done { "completed" } else { "started" }.into()),
                        (
                            "started_on",
                            started.map(|d| d.to_string()).unwrap_or_default(),
                        ),
                        (
                            "completed_on",
                            if done {
                                completed.map(|d| d.to_string()).unwrap_or_default()
                            } else {
                                String::new()
                            },
                        ),
                        ("central_recurrent", amount.into()),
                        ("beneficiary", "15000000".into()),
                        ("beneficiary_in_kind", "8000000".into()),
                        ("in_kind_valuation", "ngày công của hộ và họ hàng".into()),
                    ]));
                }
            }
            // a card for the head of each poor household, and of near-poor ones at 70 %
            let Some(card_day) = day(next, 1, 15) else {
                continue;
            };
            if card_day > today {
                continue;
            }
            for h in poor.iter().take(8) {
                let Some(member) = first_member(registry, &c, h).await? else {
                    continue;
                };
                rows.push(row(&[
                    ("commune_code", c.clone()),
                    ("household_code", h.clone()),
                    ("member_no", member),
                    ("kind", "health_insurance".into()),
                    ("decision", format!("{}/QĐ-UBND", 5 + n)),
                    ("decided_on", card_day.to_string()),
                    ("status", "delivered".into()),
                    ("delivered_on", card_day.to_string()),
                    ("central_recurrent", "1263600".into()),
                ]));
            }
            let near = some(registry, commune, year, Class::NearPoor, None, 6).await?;
            for h in &near {
                let Some(member) = first_member(registry, &c, h).await? else {
                    continue;
                };
                rows.push(row(&[
                    ("commune_code", c.clone()),
                    ("household_code", h.clone()),
                    ("member_no", member),
                    ("kind", "health_insurance".into()),
                    ("decision", format!("{}/QĐ-UBND", 6 + n)),
                    ("decided_on", card_day.to_string()),
                    ("status", "delivered".into()),
                    ("delivered_on", card_day.to_string()),
                    ("central_recurrent", "884520".into()),
                    ("beneficiary", "379080".into()),
                ]));
            }
            // training for near-poor households' heads, and a livelihood model, while the
            // 2021-2025 programme lasts
            if next > 2025 {
                continue;
            }
            let Some(course) = day(next, 6, 1) else {
                continue;
            };
            for h in near.iter().take(2) {
                let Some(member) = first_member(registry, &c, h).await? else {
                    continue;
                };
                rows.push(row(&[
                    ("commune_code", c.clone()),
                    ("household_code", h.clone()),
                    ("member_no", member),
                    ("kind", "vocational_training".into()),
                    ("item", "DA4.TDA1".into()),
                    ("decision", format!("{}/QĐ-UBND", 70 + n)),
                    ("decided_on", course.to_string()),
                    ("status", "delivered".into()),
                    ("delivered_on", course.to_string()),
                    ("central_recurrent", "3000000".into()),
                ]));
            }
            let modelled: Vec<&String> = poor
                .iter()
                .skip(8)
                .filter(|h| given.insert((c.clone(), format!("model {h}"))))
                .take(2)
                .collect();
            for h in modelled {
                rows.push(row(&[
                    ("commune_code", c.clone()),
                    ("household_code", h.clone()),
                    ("kind", "livelihood_model".into()),
                    ("item", "DA2".into()),
                    ("decision", format!("{}/QĐ-UBND", 80 + n)),
                    ("decided_on", course.to_string()),
                    ("status", "delivered".into()),
                    ("delivered_on", course.to_string()),
                    ("central_recurrent", "15000000".into()),
                    ("beneficiary_in_kind", "5000000".into()),
                    ("in_kind_valuation", "chuồng trại, công chăm sóc".into()),
                ]));
            }
        }
    }
    // for the inspectors: the first house of the first commune repaired again a year on, a
    // house for a household that was not poor, and a card given twice, each on a reason
    let first_house = rows
        .iter()
        .find(|r| r.cells.get("kind").map(String::as_str) == Some("housing_build"))
        .cloned();
    if let Some(h) = first_house {
        let decided: Option<NaiveDate> = h.cells.get("decided_on").and_then(|d| d.parse().ok());
        if let Some(later) =
            decided.and_then(|d| d.checked_add_days(giamngheo_rules::chrono::Days::new(380)))
        {
            if later <= today && giamngheo_rules::chrono::Datelike::year(&later) <= 2025 {
                rows.push(row(&[
                    ("commune_code", h.cells["commune_code"].clone()),
                    ("household_code", h.cells["household_code"].clone()),
                    ("kind", "housing_repair".into()),
                    ("item", "DA5".into()),
                    ("decision", "112/QĐ-UBND".into()),
                    ("decided_on", later.to_string()),
                    ("status", "decided".into()),
                    ("central_recurrent", "20000000".into()),
                    (
                        "override_reason",
                        "Nhà bị lốc xoáy làm tốc mái, UBND xã đề nghị hỗ trợ sửa chữa".into(),
                    ),
                ]));
            }
        }
    }
    if let Some(c) = codes.first() {
        let not_poor = some(registry, c, years.0, Class::NotPoor, None, 1).await?;
        if let (Some(h), Some(d)) = (not_poor.first(), day(years.0 + 1, 4, 12)) {
            rows.push(row(&[
                ("commune_code", c.to_string()),
                ("household_code", h.clone()),
                ("kind", "housing_build".into()),
                ("item", "DA5".into()),
                ("decision", "47/QĐ-UBND".into()),
                ("decided_on", d.to_string()),
                ("status", "decided".into()),
                ("central_recurrent", "40000000".into()),
                ("override_reason", "Theo danh sách đề nghị của thôn".into()),
            ]));
        }
    }
    let card = rows
        .iter()
        .find(|r| r.cells.get("kind").map(String::as_str) == Some("health_insurance"))
        .cloned();
    if let Some(mut again) = card {
        again.cells.insert("decision".into(), "9/QĐ-UBND".into());
        again
            .cells
            .insert("override_reason".into(), "Cấp lại do thẻ bị mất".into());
        rows.push(again);
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.number = i as u64 + 2;
    }
    let who = Who {
        user_id: None,
        name: RECORDER.to_string(),
    };
    let name: Arc<str> = "demo-support".into();
    let w = crate::support::write_support_rows(
        &registry.store,
        &registry.programs,
        registry.standards(),
        &registry.support,
        &who,
        None,
        &name,
        &rows,
        today,
    )
    .await?;
    Ok(w.records)
}

/// The demonstration's models and projects in the province's first communes: a cattle model
/// over two communes (2023), a value-chain tea project classed as an extremely difficult area by
/// its document (2024), and a community cinnamon project (2025); their participants are poor
/// households of the review before, and one household of average living standard joins on an
/// officer's reason, for the inspectors to find.
pub async fn models(
    registry: &Registry,
    province: &str,
    today: NaiveDate,
) -> Result<usize, QueryError> {
    let unit = UnitCode::parse(province).ok_or(crate::access::Denied::NotFound)?;
    let mut codes: Vec<UnitCode> = crate::access::units_of(&unit)
        .into_iter()
        .filter(|u| matches!(u, UnitCode::Commune(_)))
        .collect();
    codes.sort_by_key(|u| u.to_string());
    codes.truncate(8);
    // the communes with most poor households, where models are made
    let mut sized = Vec::new();
    for u in codes {
        let n = some(registry, &u, 2022, Class::Poor, None, 400)
            .await?
            .len();
        sized.push((std::cmp::Reverse(n), u.to_string(), u));
    }
    sized.sort();
    let codes: Vec<UnitCode> = sized.into_iter().map(|(_, _, u)| u).collect();
    let [a, b, c, ..] = codes.as_slice() else {
        return Ok(0);
    };
    // code, name, kind, communes, decided, starts, ends, the review before, participants, the
    // state's amount to each
    type Plan<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Vec<&'a UnitCode>,
        &'a str,
        &'a str,
        &'a str,
    );
    let plans: [(Plan, i32, usize, &str); 3] = [
        (
            (
                "MH-2023-01",
                "Mô hình nuôi bò sinh sản",
                "livelihood_model",
                vec![a, b],
                "2023-03-15",
                "2023-04-01",
                "2025-03-31",
            ),
            2022,
            10,
            "30000000",
        ),
        (
            (
                "DA-2024-02",
                "Liên kết chuỗi giá trị chè Shan tuyết",
                "value_chain",
                vec![c],
                "2024-05-10",
                "2024-06-01",
                "2026-05-31",
            ),
            2023,
            12,
            "50000000",
        ),
        (
            (
                "DA-2025-03",
                "Tổ hợp tác trồng quế",
                "community",
                vec![b],
                "2025-03-01",
                "2025-03-15",
                "2027-03-14",
            ),
            2024,
            8,
            "37500000",
        ),
    ];
    let mut model_rows = Vec::new();
    let mut participants = Vec::new();
    let mut taken: std::collections::HashSet<(String, String)> = Default::default();
    for ((code, name, kind, communes, decided, starts, ends), year, n, each) in plans {
        let Ok(d) = decided.parse::<NaiveDate>() else {
            continue;
        };
        if d > today {
            continue;
        }
        let mut cells = vec![
            ("code", code.to_string()),
            ("name", name.to_string()),
            ("kind", kind.to_string()),
            (
                "communes",
                communes
                    .iter()
                    .map(|u| u.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            ("item", "DA2".to_string()),
            ("decision", format!("{}/QĐ-UBND", 200 + model_rows.len())),
            ("decided_on", decided.to_string()),
            ("starts_on", starts.to_string()),
            ("ends_on", ends.to_string()),
        ];
        match kind {
            "value_chain" => cells.extend([
                ("central_recurrent", "1200000000".to_string()),
                ("local_recurrent", "100000000".to_string()),
                ("mobilised", "900000000".to_string()),
                ("beneficiary_in_kind", "300000000".to_string()),
                ("in_kind_valuation", "đất trồng, công chăm sóc".to_string()),
                ("area_class", "extremely_difficult".to_string()),
                (
                    "area_basis",
                    "Quyết định 861/QĐ-TTg ngày 04/6/2021 (xã khu vực III)".to_string(),
                ),
                (
                    "outputs",
                    "40 ha chè; 1 hợp đồng bao tiêu với hợp tác xã".to_string(),
                ),
            ]),
            "community" => cells.extend([
                ("central_recurrent", "300000000".to_string()),
                ("beneficiary", "120000000".to_string()),
                ("beneficiary_in_kind", "80000000".to_string()),
                (
                    "in_kind_valuation",
                    "cây giống tự ươm, ngày công".to_string(),
                ),
                ("outputs", "25 ha quế; 1 tổ hợp tác".to_string()),
            ]),
            _ => cells.extend([
                ("central_recurrent", "600000000".to_string()),
                ("beneficiary", "60000000".to_string()),
                ("beneficiary_in_kind", "40000000".to_string()),
                (
                    "in_kind_valuation",
                    "chuồng trại, công chăm sóc".to_string(),
                ),
                (
                    "outputs",
                    "20 con bò giống; 2 lớp tập huấn kỹ thuật".to_string(),
                ),
            ]),
        }
        model_rows.push(row(&cells));
        // poor households of the review before, but those the support demonstration gave the
        // same kind of support already
        let support_kind = registry
            .support
            .rules
            .model_kind(kind)
            .map(|k| k.support_kind.clone());
        let mut left = n;
        for u in &communes {
            let (_, had) = registry
                .store
                .support_list(&giamngheo_store::SupportQuery {
                    unit: u.to_string(),
                    kind: support_kind.clone(),
                    limit: 10_000,
                    ..Default::default()
                })
                .await?;
            let had: std::collections::HashSet<String> =
                had.into_iter().map(|r| r.household_code).collect();
            let poor = some(registry, u, year, Class::Poor, None, 60).await?;
            let fresh: Vec<String> = poor
                .into_iter()
                .filter(|h| !had.contains(h) && !taken.contains(&(u.to_string(), h.clone())))
                .take(n.div_ceil(communes.len()).min(left))
                .collect();
            for h in fresh {
                taken.insert((u.to_string(), h.clone()));
                participants.push(row(&[
                    ("model_code", code.to_string()),
                    ("commune_code", u.to_string()),
                    ("household_code", h),
                    ("joined_on", starts.to_string()),
                    ("state_amount", each.to_string()),
                    ("beneficiary", "2000000".to_string()),
                ]));
                left = left.saturating_sub(1);
            }
        }
        if kind == "livelihood_model" {
            let average = some(registry, a, year, Class::Average, None, 1).await?;
            if let Some(h) = average.first() {
                participants.push(row(&[
                    ("model_code", code.to_string()),
                    ("commune_code", a.to_string()),
                    ("household_code", h.clone()),
                    ("joined_on", starts.to_string()),
                    ("state_amount", each.to_string()),
                    (
                        "override_reason",
                        "Hộ mới tách, chủ hộ là phụ nữ đơn thân, thôn đề nghị".to_string(),
                    ),
                ]));
            }
        }
    }
    for (i, r) in model_rows.iter_mut().enumerate() {
        r.number = i as u64 + 2;
    }
    for (i, r) in participants.iter_mut().enumerate() {
        r.number = i as u64 + 2;
    }
    let who = Who {
        user_id: None,
        name: RECORDER.to_string(),
    };
    let file = crate::models::ModelFile {
        models: Some(("demo-models[mo_hinh]".into(), model_rows)),
        participants: Some(("demo-models[thanh_vien]".into(), participants)),
    };
    let w = crate::models::write_model_file(
        &registry.store,
        &registry.programs,
        registry.standards(),
        &registry.support,
        &who,
        None,
        &file,
        today,
    )
    .await?;
    Ok(w.models)
}

/// The demonstration's targets: the province's (the poverty rate down 4 points a year over
/// 2022-2025, as a province sets [R]; houses, training, disbursement) and its first commune's.
pub async fn targets(registry: &Registry, province: &str) -> Result<(), QueryError> {
    let unit = UnitCode::parse(province).ok_or(crate::access::Denied::NotFound)?;
    let mut communes: Vec<String> = crate::access::units_of(&unit)
        .into_iter()
        .filter(|u| matches!(u, UnitCode::Commune(_)))
        .map(|u| u.to_string())
        .collect();
    communes.sort();
    let who = Who {
        user_id: None,
        name: RECORDER.to_string(),
    };
    let mut list = vec![
        (
            province.to_string(),
            "poverty_rate_decrease",
            2022,
            2025,
            "4",
        ),
        (
            province.to_string(),
            "minority_rate_decrease",
            2022,
            2025,
            "3",
        ),
        (province.to_string(), "households_housed", 2023, 2025, "40"),
        (province.to_string(), "models", 2023, 2025, "5"),
        (province.to_string(), "workers_trained", 2023, 2025, "60"),
        (province.to_string(), "disbursement_pct", 2025, 2025, "95"),
    ];
    if let Some(c) = communes.first() {
        list.push((c.clone(), "poverty_rate_decrease", 2022, 2025, "5"));
    }
    for (u, indicator, from, to, value) in list {
        registry
            .store
            .set_target(
                &who,
                &giamngheo_store::Target {
                    id: 0,
                    province_code: province.to_string(),
                    unit_code: u,
                    indicator: indicator.into(),
                    from_year: from,
                    to_year: to,
                    value: value.into(),
                    document: "15/NQ-HĐND".into(),
                    note: Some("Nghị quyết của HĐND tỉnh về giảm nghèo bền vững".into()),
                    user_name: String::new(),
                },
            )
            .await?;
    }
    Ok(())
}
