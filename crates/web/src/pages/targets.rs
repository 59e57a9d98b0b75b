//! A unit's targets and their achievement: the table and bars on the targets page, the province's
//! officers' form to set one, and the bars on the unit's dashboard.

use super::{qe, render, unit_code, unit_name};
use crate::charts;
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::targets::{NewTarget, Progress};
use giamngheo_app::QueryError;
use giamngheo_rules::target::Measure;
use giamngheo_rules::UnitCode;
use minijinja::{context, Value};
use serde::Deserialize;

fn number(lang: Lang, p: &Progress, v: f64) -> String {
    match p.measure {
        Measure::PovertyRateDecrease | Measure::MinorityRateDecrease => {
            format!("{} {}", lang.dec2(v), lang.t("target_points_a_year"))
        }
        Measure::SupportCount | Measure::ModelCount => lang.int(v.round() as i64),
        Measure::DisbursedShare => lang.pct(v),
    }
}

/// A unit's targets as rows, and their achievement as bars (none without a target).
pub(crate) async fn progress(
    state: &AppState,
    ctx: &Ctx,
    unit: &UnitCode,
) -> Result<(Vec<Value>, Option<String>), WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let list = state
        .registry
        .for_actor(actor)
        .targets(unit, super::reviews::today())
        .await
        .map_err(qe(lang))?;
    let name = |p: &Progress| match lang {
        Lang::Vi => p.name_vi.clone(),
        Lang::En => p.name_en.clone(),
    };
    let span = |p: &Progress| match (p.target.from_year, p.target.to_year) {
        (a, b) if a == b => a.to_string(),
        (a, b) => format!("{a}–{b}"),
    };
    let rows: Vec<Value> = list
        .iter()
        .map(|p| {
            context! {
                name => name(p), span => span(p),
                value => number(lang, p, p.value),
                measured => p.measured.map(|m| number(lang, p, m)),
                achieved => p.achieved.map(|a| lang.pct(a)),
                short => p.achieved.is_some_and(|a| a < 100.0),
                document => p.target.document, note => p.target.note, by => p.target.user_name,
            }
        })
        .collect();
    let bars: Vec<(String, f64)> = list
        .iter()
        .filter_map(|p| {
            p.achieved
                .map(|a| (format!("{} ({})", name(p), span(p)), a))
        })
        .collect();
    let chart = (!bars.is_empty()).then(|| charts::bars(lang, lang.t("target_chart"), &bars));
    Ok((rows, chart))
}

#[derive(Deserialize, Default)]
pub struct TargetsQuery {
    done: Option<String>,
}

pub async fn targets_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TargetsQuery>,
) -> Result<Response, WebError> {
    let done = q
        .done
        .is_some()
        .then(|| ctx.lang.t("target_done").to_string());
    page(
        &state,
        &ctx,
        &code,
        done,
        None,
        NewTarget::default(),
        StatusCode::OK,
    )
    .await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    done: Option<String>,
    error: Option<String>,
    typed: NewTarget,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let (rows, chart) = progress(state, ctx, &unit).await?;
    let indicators: Vec<_> = state
        .registry
        .indicators()
        .indicators
        .iter()
        .map(|i| context! { code => i.code, name => match lang { Lang::Vi => &i.name_vi, Lang::En => &i.name_en } })
        .collect();
    let units: Vec<_> = if matches!(unit, UnitCode::Province(_)) {
        giamngheo_app::access::units_of(&unit)
            .iter()
            .map(|u| context! { code => u.to_string(), name => unit_name(u) })
            .collect()
    } else {
        vec![context! { code => unit.to_string(), name => unit_name(&unit) }]
    };
    let mut r = render(
        state,
        ctx,
        "targets.html",
        context! {
            unit => unit.to_string(), unit_name => unit_name(&unit), rows, chart,
            may_set => actor.plans_reviews(), indicators, units, done, error,
            f => context! {
                indicator => typed.indicator, from_year => typed.from_year, to_year => typed.to_year,
                value => typed.value, document => typed.document, note => typed.note,
            },
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct TargetForm {
    csrf: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    from_year: String,
    #[serde(default)]
    to_year: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    note: String,
}

/// A target set by the province's officers, for the province or one of its communes.
pub async fn set_target(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<TargetForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let page_unit = unit_code(&code, lang)?;
    actor
        .read(&page_unit)
        .map_err(|d| WebError::denied(d, lang))?;
    let unit = if f.unit_code.is_empty() {
        page_unit
    } else {
        unit_code(&f.unit_code, lang)?
    };
    let typed = NewTarget {
        indicator: f.indicator,
        from_year: f.from_year,
        to_year: f.to_year,
        value: f.value.chars().take(30).collect(),
        document: f.document.chars().take(200).collect(),
        note: f.note.chars().take(400).collect(),
    };
    match state
        .registry
        .for_actor(actor)
        .set_target(&unit, &typed)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/units/{unit}/targets?done=1")).into_response()),
        Err(QueryError::Invalid(m)) => {
            page(
                &state,
                &ctx,
                &code,
                None,
                Some(m.render(lang)),
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}
