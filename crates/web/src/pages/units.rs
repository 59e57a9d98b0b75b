//! A province's or commune's dashboard: rates by year, the communes, the deprivations of the
//! poor, the last year's transitions, villages, and the target.

use super::{qe, render, unit_code};
use crate::charts::{self, Series};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use giamngheo_app::access::province_of;
use giamngheo_app::text::fold_name;
use giamngheo_rules::UnitCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    from: Option<i32>,
    to: Option<i32>,
    target: Option<f64>,
    /// Communes table: sort column and a filter on the name.
    sort: Option<String>,
    q: Option<String>,
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    households: String,
    poor: String,
    poor_rate: String,
    near_poor: String,
    near_poor_rate: String,
    both_rate: String,
    change: String,
    minority_households: String,
    minority_poor_rate: String,
}

#[derive(Serialize)]
struct CommuneRow {
    code: String,
    name: String,
    households: String,
    poor: String,
    poor_rate: String,
    near_poor_rate: String,
    change: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let scoped = state.registry.for_actor(actor);
    let report = scoped
        .unit_report(&unit, (q.from, q.to), q.target)
        .await
        .map_err(qe(lang))?;
    let mut prev: Option<f64> = None;
    let years: Vec<YearRow> = report
        .years
        .iter()
        .map(|y| {
            let rate = y.poor_rate();
            let change = prev.map_or_else(String::new, |p| signed(lang, rate - p));
            prev = Some(rate);
            YearRow {
                year: y.year,
                households: lang.int(y.households),
                poor: lang.int(y.poor),
                poor_rate: lang.pct(rate),
                near_poor: lang.int(y.near_poor),
                near_poor_rate: lang.pct(y.near_poor_rate()),
                both_rate: lang.pct(y.poor_and_near_poor_rate()),
                change,
                minority_households: lang.int(y.minority_households),
                minority_poor_rate: lang.pct(y.minority_poor_rate()),
            }
        })
        .collect();
    let labels: Vec<String> = report.years.iter().map(|y| y.year.to_string()).collect();
    let span = match (report.years.first(), report.years.last()) {
        (Some(a), Some(b)) if a.year != b.year => format!("{}–{}", a.year, b.year),
        (Some(a), _) => a.year.to_string(),
        _ => String::new(),
    };
    let chart_title = format!("{} {span} (%)", lang.t("rates_by_year"));
    let chart = (!report.years.is_empty()).then(|| {
        charts::lines(
            lang,
            &chart_title,
            &labels,
            &[
                Series {
                    name: lang.t("poor"),
                    class: "poor",
                    values: report.years.iter().map(|y| y.poor_rate()).collect(),
                },
                Series {
                    name: lang.t("near_poor"),
                    class: "near-poor",
                    values: report.years.iter().map(|y| y.near_poor_rate()).collect(),
                },
                Series {
                    name: lang.t("minority_poor"),
                    class: "minority",
                    values: report
                        .years
                        .iter()
                        .map(|y| y.minority_poor_rate())
                        .collect(),
                },
            ],
        )
    });
    let mut profile: Vec<(String, f64)> = report
        .profile
        .iter()
        .map(|p| {
            let name = match lang {
                Lang::Vi => p.name_vi.clone(),
                Lang::En => p.name_en.clone(),
            };
            (name, p.share_of_poor)
        })
        .collect();
    profile.sort_by(|a, b| b.1.total_cmp(&a.1));
    let profile_chart =
        (!profile.is_empty()).then(|| charts::bars(lang, lang.t("deprivation_profile"), &profile));
    // communes: filtered by name (with or without diacritics) and sorted as asked
    let filter = q.q.as_deref().map(fold_name).filter(|f| !f.is_empty());
    let mut communes: Vec<_> = report
        .communes
        .iter()
        .filter(|c| {
            filter
                .as_ref()
                .is_none_or(|f| fold_name(&c.name).contains(f.as_str()))
        })
        .collect();
    let sort = q.sort.as_deref().unwrap_or("name");
    match sort {
        "rate" => communes.sort_by(|a, b| b.last.poor_rate().total_cmp(&a.last.poor_rate())),
        "households" => communes.sort_by_key(|c| std::cmp::Reverse(c.last.households)),
        "change" => communes.sort_by(|a, b| {
            (a.last.poor_rate() - a.first.poor_rate())
                .total_cmp(&(b.last.poor_rate() - b.first.poor_rate()))
        }),
        _ => communes.sort_by_cached_key(|c| fold_name(&c.name)),
    }
    let communes: Vec<CommuneRow> = communes
        .iter()
        .map(|c| CommuneRow {
            code: c.code.clone(),
            name: c.name.clone(),
            households: lang.int(c.last.households),
            poor: lang.int(c.last.poor),
            poor_rate: lang.pct(c.last.poor_rate()),
            near_poor_rate: lang.pct(c.last.near_poor_rate()),
            change: signed(lang, c.last.poor_rate() - c.first.poor_rate()),
        })
        .collect();
    let last = report.years.last();
    let transitions: Vec<_> = last
        .map(|y| {
            [
                ("escaped", y.escaped),
                ("poor_to_near_poor", y.poor_to_near_poor),
                ("stayed_poor", y.stayed_poor),
                ("new_poor", y.new_poor),
                ("fell_back", y.fell_back),
                ("near_poor_to_poor", y.near_poor_to_poor),
                ("new_near_poor", y.new_near_poor),
                ("stayed_near_poor", y.stayed_near_poor),
            ]
            .into_iter()
            .map(|(k, n)| context! { name => lang.t(k), count => lang.int(n) })
            .collect()
        })
        .unwrap_or_default();
    let per_year = |d: f64| format!("{} {}", lang.dec2(d), lang.t("points_a_year"));
    let decrease = report.average_annual_decrease().map(per_year);
    let minority_decrease = report.minority_average_annual_decrease().map(per_year);
    let achievement = report.target_achievement().map(|a| lang.pct(a));
    let is_province = unit.province().is_some();
    // a commune's page: its villages in the last year
    let villages: Vec<_> = match (unit.commune(), last) {
        (Some(commune), Some(y)) => scoped
            .village_figures(&commune, y.year)
            .await
            .map_err(qe(lang))?
            .into_iter()
            .map(|v| {
                let rate =
                    |n: i64| lang.pct(giamngheo_rules::percent(n as u64, v.households as u64));
                context! {
                    name => v.village,
                    households => lang.int(v.households),
                    poor => lang.int(v.poor),
                    poor_rate => rate(v.poor),
                    near_poor_rate => rate(v.near_poor),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    // the last year by the heads' ethnic groups, largest first
    let ethnic: Vec<_> = match last {
        Some(y) => scoped
            .ethnic_counts(&unit, y.year)
            .await
            .map_err(qe(lang))?
            .into_iter()
            .map(|g| {
                let rate = |n: i64| lang.pct(giamngheo_rules::percent(n as u64, g.households as u64));
                context! {
                    name => g.name.or(g.code.clone()).unwrap_or_else(|| lang.t("ethnic_unknown").to_string()),
                    code => g.code,
                    households => lang.int(g.households),
                    poor => lang.int(g.poor),
                    poor_rate => rate(g.poor),
                    near_poor => lang.int(g.near_poor),
                    near_poor_rate => rate(g.near_poor),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    // in-year requests past their deadline, to act on
    let overdue = scoped
        .overdue(&unit, super::reviews::today())
        .await
        .map_err(qe(lang))?
        .len();
    // the last year's periodic review not yet decided for every household: its figures are the
    // survey's, proposed
    let undecided: i64 = match last {
        Some(y) => scoped.undecided(&unit, y.year).await.map_err(qe(lang))?,
        None => 0,
    };
    // the unit's targets, achievement as bars
    let (_, target_chart) = super::targets::progress(&state, &ctx, &unit).await?;
    render(
        &state,
        &ctx,
        "dashboard.html",
        context! {
            target_chart,
            undecided => (undecided > 0).then(|| lang.int(undecided)),
            unit => code,
            unit_name => report.unit_name,
            is_province,
            villages,
            ethnic,
            overdue => (overdue > 0).then(|| lang.int(overdue as i64)),
            province => province_of(&unit).map(|p| p.to_string()),
            // a breadcrumb links only to what the user may open
            province_open => province_of(&unit).is_some_and(|p| actor.sees(&UnitCode::Province(p))),
            years,
            chart,
            chart_title,
            span,
            profile_chart,
            communes,
            sort,
            q => q.q,
            last_year => last.map(|y| y.year),
            transitions,
            // no year before in the registry: no transitions to show
            first_assessed => last.is_some_and(|y| y.first_assessed()),
            first_assessed_communes => last.map(|y| y.first_assessed_communes).filter(|n| *n > 0).map(|n| lang.int(n)),
            decrease,
            minority_decrease,
            target => report.target_points.map(per_year),
            target_raw => report.target_points,
            achievement,
            from => report.years.first().map(|y| y.year),
            to => last.map(|y| y.year),
        },
    )
}

/// A change in points with its sign, the unit in the column's head: `+1,20`, `-3,10`.
fn signed(lang: Lang, v: f64) -> String {
    let v = if v.abs() < 0.005 { 0.0 } else { v };
    let sign = if v > 0.0 { "+" } else { "" };
    format!("{sign}{}", lang.dec2(v))
}
