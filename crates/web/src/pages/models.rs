//! Models and production projects on the pages: a unit's list with the upload of a model file,
//! one model with its budget, its cost-sharing, its participants and how they fared at the next
//! review; the outcomes of a unit's support; the model file's template; and the support list's
//! export.

use super::support::{kind_name, record_row};
use super::{qe, render, unit_code, unit_name};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use giamngheo_app::models::{area_words, ModelView, Results};
use giamngheo_app::support::SupportQuery;
use giamngheo_app::QueryError;
use giamngheo_rules::UnitCode;
use minijinja::{context, Value};
use serde::Deserialize;

fn class_name(lang: Lang, code: &str) -> String {
    lang.texts()
        .get(format!("approved:{code}").as_str())
        .map_or_else(|| code.to_string(), |t| t.to_string())
}

pub(crate) fn model_kind_name(state: &AppState, lang: Lang, code: &str) -> String {
    state
        .registry
        .support_rules()
        .model_kind(code)
        .map(|k| match lang {
            Lang::Vi => k.name_vi.clone(),
            Lang::En => k.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

fn area_name(lang: Lang, code: &str) -> &'static str {
    let (vi, en) = area_words(code);
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn source_name(state: &AppState, lang: Lang, code: &str, in_kind: bool) -> String {
    if in_kind {
        return lang.t("support_in_kind").to_string();
    }
    state
        .registry
        .programs()
        .sources
        .iter()
        .find(|s| s.code == code)
        .map(|s| match lang {
            Lang::Vi => s.name_vi.clone(),
            Lang::En => s.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

fn commune_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| UnitCode::parse(c).map_or_else(|| c.clone(), |u| unit_name(&u)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn results_view(lang: Lang, r: &Results) -> Value {
    let pct = |n: usize, of: usize| (of > 0).then(|| lang.pct(100.0 * n as f64 / of as f64));
    context! {
        households => r.households,
        poor_before => r.poor_before,
        near_poor_before => r.near_poor_before,
        reviewed => r.reviewed,
        left_poverty => r.left_poverty,
        left_poverty_pct => pct(r.left_poverty, r.poor_before),
        left_near_poverty => r.left_near_poverty,
        fell_into_poverty => r.fell_into_poverty,
        not_yet_reviewed => r.not_yet_reviewed,
    }
}

/// A unit's models and projects (a province's all, a commune's those reaching it), with the
/// upload of a model file for who records support.
pub async fn models_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    list_page(&state, &ctx, &code, None, Vec::new(), StatusCode::OK).await
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    done: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(code, lang)?;
    let models = state
        .registry
        .for_actor(actor)
        .models(&unit)
        .await
        .map_err(qe(lang))?;
    let budget: Vec<&str> = state
        .registry
        .programs()
        .sources
        .iter()
        .filter(|s| s.budget)
        .map(|s| s.code.as_str())
        .collect();
    let rows: Vec<Value> = models
        .iter()
        .map(|s| {
            let m = &s.model;
            let state_part: i64 = m
                .parts
                .iter()
                .filter(|p| budget.contains(&p.source.as_str()))
                .map(|p| p.amount)
                .sum();
            let total = m.total();
            context! {
                id => m.id,
                code => m.code,
                name => m.name,
                kind => model_kind_name(state, lang, &m.kind),
                communes => commune_names(&m.communes),
                decision => m.decision,
                decided_on => lang.date(m.decided_on),
                span => match m.ends_on {
                    Some(e) => format!("{} – {}", lang.date(m.starts_on), lang.date(e)),
                    None => lang.date(m.starts_on),
                },
                total => lang.int(total),
                state_part => lang.int(state_part),
                state_pct => (total > 0).then(|| lang.pct(100.0 * state_part as f64 / total as f64)),
                participants => s.participants,
                overridden => m.override_reason.is_some(),
            }
        })
        .collect();
    let mut r = render(
        state,
        ctx,
        "models.html",
        context! {
            unit => unit.to_string(),
            unit_name => unit_name(&unit),
            rows,
            may_import => actor.imports(),
            done, errors,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// A model file uploaded on a unit's models page, imported all or nothing.
pub async fn import_models(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (actor, upload) = super::import::unit_upload(&state, &ctx, &code, &mut form).await?;
    let named = |e: &giamngheo_survey::RowError| upload.error(e, lang);
    let result = state
        .registry
        .for_actor(actor)
        .import_models(&upload.path, super::reviews::today())
        .await;
    match result {
        Ok(w) => {
            let done = giamngheo_rules::msg!(
                "cli_models_imported",
                models = w.models,
                participants = w.participants,
                overrides = w.overrides
            )
            .money("amount", w.amount)
            .render(lang);
            let warnings = w.warnings.iter().map(named).collect();
            list_page(
                &state,
                &ctx,
                &code,
                Some(format!("{}: {done}", upload.shown)),
                warnings,
                StatusCode::OK,
            )
            .await
        }
        Err(QueryError::Rejected(rows)) => {
            let errors = rows.iter().take(500).map(named).collect();
            list_page(
                &state,
                &ctx,
                &code,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

/// One model: what it is, its budget and cost-sharing, its participants with their class on
/// joining and at the next review, and how many left poverty.
pub async fn model_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let v: ModelView = state
        .registry
        .for_actor(actor)
        .model(id)
        .await
        .map_err(qe(lang))?;
    let m = &v.model;
    let parts: Vec<Value> = m
        .parts
        .iter()
        .map(|p| {
            context! {
                source => source_name(&state, lang, &p.source, p.in_kind),
                amount => lang.int(p.amount),
                valuation => p.valuation,
            }
        })
        .collect();
    let participants: Vec<Value> = v
        .participants
        .iter()
        .map(|p| {
            let class = |c: &Option<(i32, String)>| {
                c.as_ref()
                    .map(|(y, k)| format!("{} ({y})", class_name(lang, k)))
            };
            context! {
                record => record_row(&state, lang, &p.record),
                before => class(&p.before),
                after => class(&p.after),
                escaped => matches!((&p.before, &p.after), (Some((_, b)), Some((_, a))) if b == "poor" && a != "poor"),
            }
        })
        .collect();
    // the crumb leads to the models of the widest unit the user sees: the province, or their
    // commune of the model's
    let province = UnitCode::parse(&m.province_code)
        .filter(|u| actor.sees(u))
        .map(|u| u.to_string())
        .or_else(|| m.communes.iter().find(|c| actor.sees_commune(c)).cloned())
        .unwrap_or_else(|| m.province_code.clone());
    render(
        &state,
        &ctx,
        "model.html",
        context! {
            id => m.id,
            code => m.code,
            name => m.name,
            province,
            kind => model_kind_name(&state, lang, &m.kind),
            communes => commune_names(&m.communes),
            item => m.item,
            decision => m.decision,
            decided_on => lang.date(m.decided_on),
            starts_on => lang.date(m.starts_on),
            ends_on => m.ends_on.map(|d| lang.date(d)),
            area => area_name(lang, &m.area_class),
            area_basis => m.area_basis,
            outputs => m.outputs,
            note => m.note,
            reason => m.override_reason,
            parts,
            total => lang.int(v.total),
            state_part => lang.int(v.state),
            state_pct => (v.total > 0).then(|| lang.pct(100.0 * v.state as f64 / v.total as f64)),
            ceiling => v.ceiling,
            given => lang.int(v.given),
            results => results_view(lang, &v.results),
            participants,
            by => m.user_name,
        },
    )
}

/// The outcomes of a unit's support, per programme item and kind: households reached, how the
/// poor among them fared at the next review against comparable households, and the state's cost
/// per household that left poverty.
pub async fn outcomes_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let lines = state
        .registry
        .for_actor(actor)
        .outcomes(&unit)
        .await
        .map_err(qe(lang))?;
    let rows: Vec<Value> = lines
        .iter()
        .map(|o| {
            let diff = match (o.escape_rate, o.comparable_rate) {
                (Some(a), Some(b)) => Some(lang.points(a - b)),
                _ => None,
            };
            context! {
                item => o.item,
                kind => kind_name(&state, lang, &o.kind),
                records => o.records,
                results => results_view(lang, &o.results),
                escape_rate => o.escape_rate.map(|r| lang.pct(r)),
                comparable => o.comparable,
                comparable_rate => o.comparable_rate.map(|r| lang.pct(r)),
                diff,
                state_cost => lang.int(o.state_cost),
                cost_per_escaped => o.cost_per_escaped.map(|c| lang.int(c)),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "outcomes.html",
        context! { unit => unit.to_string(), unit_name => unit_name(&unit), rows },
    )
}

/// The model file's template, for who records support.
pub async fn models_template(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !actor.imports() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    let lang = ctx.lang;
    let registry = state.registry.clone();
    let body = super::downloads::workbook(|p| {
        giamngheo_app::models::write_template(
            p,
            registry.programs(),
            registry.support_data(),
            lang == Lang::Vi,
        )
    })?;
    let name = match lang {
        Lang::Vi => "mau-nhap-mo-hinh.xlsx",
        Lang::En => "models-import-template.xlsx",
    };
    Ok(super::downloads::attachment(name, body))
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    kind: Option<String>,
    year: Option<i32>,
    status: Option<String>,
    overridden: Option<String>,
}

/// A unit's support list as filtered, every page, in the support file's format to import
/// again: CSV with a byte-order mark (`export.csv`) or a workbook (`export.xlsx`).
pub async fn support_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, file)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let xlsx = match file.as_str() {
        "export.csv" => false,
        "export.xlsx" => true,
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, lang)),
    };
    let query = SupportQuery {
        unit: unit.to_string(),
        kind: q.kind.filter(|k| !k.is_empty()),
        year: q.year,
        status: q.status.filter(|s| !s.is_empty()),
        overridden: q.overridden.as_deref() == Some("1"),
        limit: 0,
        offset: 0,
    };
    let rows = state
        .registry
        .for_actor(actor)
        .support_export(&query)
        .await
        .map_err(qe(lang))?;
    let (name, body) = if xlsx {
        let programs = state.registry.clone();
        let body = super::downloads::workbook(|p| {
            giamngheo_app::support::write_export(p, programs.programs(), &rows)
        })?;
        (format!("ho-tro-{code}.xlsx"), body)
    } else {
        let body = giamngheo_app::money::csv_bytes(&rows)
            .map_err(|e| WebError::Internal(e.to_string()))?;
        (format!("ho-tro-{code}.csv"), body)
    };
    Ok(super::downloads::attachment(&name, body))
}

/// A unit's models and participants in the model file's format: a workbook with both sheets
/// (`export.xlsx`), or CSV with a byte-order mark of the models (`export.csv`) or of the
/// participants (`participants.csv`).
pub async fn models_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    if !matches!(
        file.as_str(),
        "export.xlsx" | "export.csv" | "participants.csv"
    ) {
        return Err(WebError::Status(StatusCode::NOT_FOUND, lang));
    }
    let e = state
        .registry
        .for_actor(actor)
        .models_export(&unit)
        .await
        .map_err(qe(lang))?;
    let csv = |rows: &[Vec<String>]| {
        giamngheo_app::money::csv_bytes(rows).map_err(|e| WebError::Internal(e.to_string()))
    };
    let (name, body) = match file.as_str() {
        "export.xlsx" => {
            let registry = state.registry.clone();
            let body = super::downloads::workbook(|p| {
                giamngheo_app::models::write_models_workbook(p, registry.programs(), &e)
            })?;
            (format!("mo-hinh-{code}.xlsx"), body)
        }
        "export.csv" => (format!("mo-hinh-{code}.csv"), csv(&e.models)?),
        _ => (format!("thanh-vien-{code}.csv"), csv(&e.participants)?),
    };
    Ok(super::downloads::attachment(&name, body))
}
