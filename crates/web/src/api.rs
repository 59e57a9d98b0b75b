//! The JSON API under `/api/v1`: the same data as the pages, with the same scope checks, for
//! other systems and scripts. Described at `/api/v1/openapi.json`.

use crate::{AppState, Ctx};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use giamngheo_app::access::{Actor, Denied};
use giamngheo_app::money::MoneyKind;
use giamngheo_app::records::{HouseholdPage, HouseholdQuery};
use giamngheo_app::text::{birth_text, fold_name};
use giamngheo_app::QueryError;
use giamngheo_rules::{Class, UnitCode};
use serde::Deserialize;
use serde_json::{json, Value};

/// The API's routes (under `/api/v1`).
pub fn routes() -> crate::Routes {
    crate::Routes::default()
        .get("/openapi.json", openapi)
        .get("/me", me)
        .get("/units/{code}/report", report)
        .get("/units/{code}/households", households)
        .get("/units/{code}/ethnic-groups", ethnic_groups)
        .get("/units/{code}/money", money)
        .get("/units/{code}/money/plans", money_plans)
        .post_up_to("/units/{code}/money/plans", write_kind::<0>, MAX_MONEY_BODY)
        .post_up_to(
            "/units/{code}/money/payments",
            write_kind::<1>,
            MAX_MONEY_BODY,
        )
        .post_up_to(
            "/units/{code}/money/estimates",
            write_kind::<2>,
            MAX_MONEY_BODY,
        )
        .get("/units/{code}/support", support_list)
        .post_up_to("/units/{code}/support", write_support, MAX_MONEY_BODY)
        .get("/units/{code}/support/duplicates", support_duplicates)
        .get("/units/{code}/targets", targets)
        .get("/units/{code}/models", models)
        .post_up_to("/units/{code}/models", write_models, MAX_MONEY_BODY)
        .get("/units/{code}/outcomes", outcomes)
        .get("/models/{id}", model)
        .get("/households/{id}/support", household_support)
        .get("/households/{id}", household)
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such resource") })
}

// the routes above name the kinds by their place in `MoneyKind::ALL`
const _: () = assert!(
    matches!(MoneyKind::ALL[0], MoneyKind::Plans)
        && matches!(MoneyKind::ALL[1], MoneyKind::Payments)
        && matches!(MoneyKind::ALL[2], MoneyKind::Estimates)
);

/// The largest body of a money write: about 50,000 rows.
const MAX_MONEY_BODY: usize = 16 * 1024 * 1024;

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!("{e}");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

/// A refusal: status and message.
pub struct ApiError(StatusCode, &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

fn user(ctx: &Ctx) -> Result<&Actor, ApiError> {
    let actor = ctx
        .actor
        .as_ref()
        .ok_or(ApiError(StatusCode::UNAUTHORIZED, "log in first"))?;
    if ctx.must_change_password {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "change the password set for you first (/account/password)",
        ));
    }
    Ok(actor)
}

/// The logged-in user and the unit of the path, or the answer that refuses them.
fn user_and_unit<'a>(ctx: &'a Ctx, code: &str) -> Result<(&'a Actor, UnitCode), ApiError> {
    let actor = user(ctx)?;
    let unit = UnitCode::parse(code).ok_or(ApiError(StatusCode::NOT_FOUND, "no such unit"))?;
    Ok((actor, unit))
}

/// A use case's refusal or failure as JSON.
fn refused(e: QueryError, what: &'static str) -> Response {
    match e {
        QueryError::Denied(d) => {
            let mut r = match d {
                Denied::NotFound => error(StatusCode::NOT_FOUND, what),
                Denied::Forbidden => error(StatusCode::FORBIDDEN, "forbidden"),
            };
            // recorded in the audit log
            r.extensions_mut().insert(crate::AccessDenied);
            r
        }
        QueryError::Invalid(_) | QueryError::Rejected(_) => {
            error(StatusCode::BAD_REQUEST, "bad request")
        }
        QueryError::Store(e) => internal(e),
        QueryError::Export(e) => internal(e),
        QueryError::Import(e) => internal(e),
    }
}

async fn me(ctx: Ctx) -> Response {
    match user(&ctx) {
        Ok(a) => Json(json!({
            "name": a.name, "full_name": a.full_name, "role": a.role.code(), "unit": a.unit.map(|u| u.to_string()),
            // what a write sends back in X-CSRF-Token
            "csrf": ctx.csrf,
        }))
        .into_response(),
        Err(r) => r.into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<i32>,
    to: Option<i32>,
    target_points: Option<f64>,
}

async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state
        .registry
        .for_actor(actor)
        .unit_report(&unit, (q.from, q.to), q.target_points)
        .await
    {
        Ok(r) => Json(r.to_json()).into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// A unit's households, poor and near-poor of a year by the head's ethnic group.
async fn ethnic_groups(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let scoped = state.registry.for_actor(actor);
    let year = match q.year {
        Some(y) => y,
        None => match scoped.unit_years(&unit).await {
            Ok(y) => y.last().copied().unwrap_or(2025),
            Err(e) => return refused(e, "no such unit"),
        },
    };
    match scoped.ethnic_counts(&unit, year).await {
        Ok(groups) => Json(json!({
            "unit": code,
            "year": year,
            "groups": groups.iter().map(|g| json!({
                "code": g.code, "name": g.name, "households": g.households,
                "poor": g.poor, "near_poor": g.near_poor,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

#[derive(Deserialize)]
pub struct MoneyQuery {
    year: Option<i32>,
    on: Option<giamngheo_rules::NaiveDate>,
}

/// A unit's money of a budget year: each line's plan in force on a day (the year's end unless
/// given), disbursed by month, advances and the latest estimate; in đồng.
async fn money(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MoneyQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let scoped = state.registry.for_actor(actor);
    let year = match q.year {
        Some(y) => y,
        None => match scoped.money_years(&unit).await {
            Ok(y) => y.first().copied().unwrap_or(2025),
            Err(e) => return refused(e, "no such unit"),
        },
    };
    let Some(on) =
        q.on.or_else(|| giamngheo_rules::NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return error(StatusCode::BAD_REQUEST, "bad year");
    };
    match scoped.money(&unit, year, on).await {
        Ok(r) => Json(json!({
            "unit": code, "year": year, "on": on,
            "lines": r.lines.iter().map(|(k, l)| json!({
                "unit": k.unit_code, "item": k.item, "source": k.source, "origin_year": k.origin_year,
                "plan": l.plan, "disbursed": l.disbursed(), "by_month": l.by_month,
                "advances": l.advances, "payments": l.payments, "estimate": l.estimate,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

/// A unit's plan documents of a year, oldest first, with their lines.
async fn money_plans(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MoneyQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let year = q.year.unwrap_or(2025);
    match state.registry.for_actor(actor).plan_history(&unit, year).await {
        Ok(docs) => Json(json!({
            "unit": code, "year": year,
            "documents": docs.iter().map(|d| json!({
                "document": d.document, "decided_on": d.decided_on, "note": d.note, "by": d.user_name,
                "lines": d.lines.iter().map(|l| json!({
                    "item": l.item, "source": l.source, "origin_year": l.origin_year, "amount": l.amount,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

/// Money rows to write: each an object of the money file's columns (values as text or
/// numbers).
#[derive(Deserialize)]
pub struct MoneyRows {
    rows: Vec<serde_json::Map<String, Value>>,
}

/// The body of a money or support write.
type MoneyBody = Result<Json<MoneyRows>, axum::extract::rejection::JsonRejection>;

/// Writes plans, payments or estimates of the unit (`MoneyKind::ALL[KIND]`), all or none, as
/// the files and forms do: the session's CSRF token in `X-CSRF-Token`; rows without `unit_code`
/// are the path's unit, and a row of another unit than the path's (or a commune of it) is
/// refused.
async fn write_kind<const KIND: usize>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: MoneyBody,
) -> Response {
    write_money(state, ctx, code, MoneyKind::ALL[KIND], headers, body).await
}

async fn write_money(
    state: AppState,
    ctx: Ctx,
    code: String,
    kind: MoneyKind,
    headers: axum::http::HeaderMap,
    body: MoneyBody,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let columns: Vec<String> = kind.columns().iter().map(|c| c.to_string()).collect();
    let rows = match rows_in(&ctx, &headers, actor, &unit, body, &columns, "unit_code") {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let name: std::sync::Arc<str> = "api".into();
    match state
        .registry
        .for_actor(actor)
        .write_money(kind, &name, &rows, crate::pages::reviews::today())
        .await
    {
        Ok(w) => (
            StatusCode::CREATED,
            Json(json!({
                "kind": kind.code(), "records": w.records, "lines": w.lines, "amount": w.amount,
            })),
        )
            .into_response(),
        Err(QueryError::Rejected(errors)) => rejected(&errors),
        Err(e) => refused(e, "no such unit"),
    }
}

/// The rows of a write through the API: after the session's token (`X-CSRF-Token`) and the
/// unit's scope, each row an object of the file's `columns`, its unit (`unit_column`) the
/// path's when left out; a row of a unit outside the path's (a province's communes are in it)
/// refuses the whole write, as 422.
fn rows_in(
    ctx: &Ctx,
    headers: &axum::http::HeaderMap,
    actor: &Actor,
    unit: &UnitCode,
    body: MoneyBody,
    columns: &[String],
    unit_column: &str,
) -> Result<Vec<giamngheo_app::money::Row>, Box<Response>> {
    may_write(ctx, headers, actor, unit)?;
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => {
            return Err(Box::new(error(
                e.status(),
                "the body is not {\"rows\": [ ... ]} in JSON",
            )))
        }
    };
    let name: std::sync::Arc<str> = "api".into();
    let (rows, outside) = cells_of(&name, body.rows, columns, Some(unit_column), unit);
    if outside.is_empty() {
        Ok(rows)
    } else {
        Err(Box::new(rejected(&outside)))
    }
}

/// Whether the session may write for the unit: its CSRF token (`X-CSRF-Token`), and the unit
/// in the user's scope.
fn may_write(
    ctx: &Ctx,
    headers: &axum::http::HeaderMap,
    actor: &Actor,
    unit: &UnitCode,
) -> Result<(), Box<Response>> {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ctx.check_csrf(token).is_err() {
        return Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "the session's CSRF token (X-CSRF-Token) is missing or wrong",
        )));
    }
    if let Err(d) = actor.read(unit) {
        return Err(Box::new(refused(QueryError::Denied(d), "no such unit")));
    }
    Ok(())
}

/// JSON objects as a file's rows (numbered from 1), of its `columns` only; with a
/// `unit_column`, a row without it is the path's unit, and one outside the path's unit (a
/// province's communes are in it) is an error.
fn cells_of(
    name: &std::sync::Arc<str>,
    list: Vec<serde_json::Map<String, Value>>,
    columns: &[String],
    unit_column: Option<&str>,
    unit: &UnitCode,
) -> (
    Vec<giamngheo_app::money::Row>,
    Vec<giamngheo_survey::RowError>,
) {
    let within = |u: &str| {
        UnitCode::parse(u).is_some_and(|c| {
            c == *unit
                || match unit {
                    UnitCode::Province(p) => {
                        giamngheo_app::access::province_of(&c).as_ref() == Some(p)
                    }
                    UnitCode::Commune(_) => false,
                }
        })
    };
    let mut outside = Vec::new();
    let mut rows = Vec::with_capacity(list.len());
    for (i, r) in list.into_iter().enumerate() {
        let number = i as u64 + 1;
        let mut cells: std::collections::HashMap<String, String> = r
            .into_iter()
            .filter(|(k, _)| columns.iter().any(|c| c == k))
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s,
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect();
        if let Some(column) = unit_column {
            let u = cells
                .entry(column.into())
                .or_insert_with(|| unit.to_string());
            if !within(u) {
                outside.push(giamngheo_survey::RowError::new(
                    name,
                    number,
                    column,
                    giamngheo_rules::msg!("money_out_of_scope", unit = u.as_str()),
                ));
            }
        }
        rows.push(giamngheo_app::money::Row { number, cells });
    }
    (rows, outside)
}

/// A write refused, nothing written: every bad row with its column and the reason in both
/// languages.
fn rejected(errors: &[giamngheo_survey::RowError]) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "refused: nothing was written",
            "errors": errors.iter().map(|e| json!({
                "file": &*e.file, "row": e.row, "column": e.column,
                "message": e.message.render(giamngheo_rules::Lang::Vi),
                "message_en": e.message.render(giamngheo_rules::Lang::En),
            })).collect::<Vec<_>>(),
        })),
    )
        .into_response()
}

fn support_json(r: &giamngheo_app::support::SupportRecord) -> Value {
    json!({
        "id": r.id, "commune": r.commune_code, "household_id": r.household_id,
        "household": r.household_code, "member_no": r.member_no, "person": r.person_name,
        "kind": r.kind, "program": r.program, "item": r.item, "decision": r.decision,
        "decided_on": r.decided_on, "status": r.status, "delivered_on": r.delivered_on,
        "started_on": r.started_on, "completed_on": r.completed_on, "rule_set": r.rule_set,
        "refused_rule": r.refused_rule, "override_reason": r.override_reason,
        "parts": r.parts.iter().map(|p| json!({
            "source": p.source, "in_kind": p.in_kind, "amount": p.amount, "valuation": p.valuation,
        })).collect::<Vec<_>>(),
        "total": r.total(),
    })
}

#[derive(Deserialize)]
pub struct SupportListQuery {
    kind: Option<String>,
    year: Option<i32>,
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A unit's support records, latest first, a page at a time.
async fn support_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<SupportListQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let query = giamngheo_app::support::SupportQuery {
        unit: unit.to_string(),
        kind: q.kind,
        year: q.year,
        status: q.status,
        overridden: false,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    };
    match state.registry.for_actor(actor).support_list(&query).await {
        Ok((total, records)) => Json(json!({
            "unit": code, "total": total,
            "records": records.iter().map(support_json).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

/// A household's support, latest first.
async fn household_support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Response {
    let actor = match user(&ctx) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state.registry.for_actor(actor).household_support(id).await {
        Ok(records) => Json(json!({
            "household_id": id,
            "records": records.iter().map(support_json).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such household"),
    }
}

/// The duplicate beneficiaries of a unit.
async fn support_duplicates(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state
        .registry
        .for_actor(actor)
        .support_duplicates(&unit)
        .await
    {
        Ok((scanned, pairs)) => Json(json!({
            "unit": code, "scanned": scanned,
            "pairs": pairs.iter().map(|p| json!({
                "first": support_json(&p.first), "second": support_json(&p.second), "by": p.by,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

/// Writes support records of the unit's communes as the files and forms do: all or none, the
/// session's token in `X-CSRF-Token`; `201` with what was written and its warnings.
async fn write_support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: MoneyBody,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let columns = giamngheo_app::support::columns(state.registry.programs());
    let rows = match rows_in(&ctx, &headers, actor, &unit, body, &columns, "commune_code") {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let name: std::sync::Arc<str> = "api".into();
    match state
        .registry
        .for_actor(actor)
        .write_support(&name, &rows, crate::pages::reviews::today())
        .await
    {
        Ok(w) => (
            StatusCode::CREATED,
            Json(json!({
                "records": w.records, "amount": w.amount, "overrides": w.overrides,
                "warnings": w.warnings.iter().map(|e| json!({
                    "row": e.row, "column": e.column,
                    "message": e.message.render(giamngheo_rules::Lang::Vi),
                    "message_en": e.message.render(giamngheo_rules::Lang::En),
                })).collect::<Vec<_>>(),
            })),
        )
            .into_response(),
        Err(QueryError::Rejected(errors)) => rejected(&errors),
        Err(e) => refused(e, "no such unit"),
    }
}

fn model_json(m: &giamngheo_app::models::Model) -> Value {
    json!({
        "id": m.id, "province": m.province_code, "code": m.code, "name": m.name, "kind": m.kind,
        "communes": m.communes, "program": m.program, "item": m.item, "decision": m.decision,
        "decided_on": m.decided_on, "starts_on": m.starts_on, "ends_on": m.ends_on,
        "area_class": m.area_class, "area_basis": m.area_basis, "outputs": m.outputs,
        "refused_rule": m.refused_rule, "override_reason": m.override_reason,
        "parts": m.parts.iter().map(|p| json!({
            "source": p.source, "in_kind": p.in_kind, "amount": p.amount, "valuation": p.valuation,
        })).collect::<Vec<_>>(),
        "total": m.total(),
    })
}

fn results_json(r: &giamngheo_app::models::Results) -> Value {
    json!({
        "households": r.households, "poor_before": r.poor_before,
        "near_poor_before": r.near_poor_before, "reviewed": r.reviewed,
        "left_poverty": r.left_poverty, "left_near_poverty": r.left_near_poverty,
        "fell_into_poverty": r.fell_into_poverty, "not_yet_reviewed": r.not_yet_reviewed,
    })
}

/// A unit's models and projects, each with its participants' count and what they received.
async fn models(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state.registry.for_actor(actor).models(&unit).await {
        Ok(list) => Json(json!({
            "unit": code,
            "models": list.iter().map(|s| {
                let mut m = model_json(&s.model);
                m["participants"] = json!(s.participants);
                m["participants_amount"] = json!(s.participants_amount);
                m
            }).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

/// One model with its participants, their class on joining and at the next review, and the
/// results.
async fn model(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let actor = match user(&ctx) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state.registry.for_actor(actor).model(id).await {
        Ok(v) => {
            let mut m = model_json(&v.model);
            m["state"] = json!(v.state);
            m["ceiling_percent"] = json!(v.ceiling);
            m["given"] = json!(v.given);
            m["results"] = results_json(&v.results);
            m["participants"] = json!(v
                .participants
                .iter()
                .map(|p| json!({
                    "record": support_json(&p.record),
                    "before": p.before.as_ref().map(|(y, c)| json!({"year": y, "class": c})),
                    "after": p.after.as_ref().map(|(y, c)| json!({"year": y, "class": c})),
                }))
                .collect::<Vec<_>>());
            Json(m).into_response()
        }
        Err(e) => refused(e, "no such model"),
    }
}

/// The outcomes of a unit's support per programme item and kind.
async fn outcomes(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state.registry.for_actor(actor).outcomes(&unit).await {
        Ok(list) => Json(json!({
            "unit": code,
            "outcomes": list.iter().map(|o| json!({
                "item": o.item, "kind": o.kind, "kind_vi": o.kind_vi, "kind_en": o.kind_en,
                "records": o.records, "results": results_json(&o.results),
                "escape_rate": o.escape_rate, "comparable": o.comparable,
                "comparable_rate": o.comparable_rate, "state_cost": o.state_cost,
                "total_cost": o.total_cost, "cost_per_escaped": o.cost_per_escaped,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

#[derive(Deserialize)]
pub struct ModelRows {
    #[serde(default)]
    models: Vec<serde_json::Map<String, Value>>,
    #[serde(default)]
    participants: Vec<serde_json::Map<String, Value>>,
}

/// Writes models and participants as a model file does: all or none, the session's token in
/// `X-CSRF-Token`; a participant without `commune_code` is of the path's commune.
async fn write_models(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<Json<ModelRows>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = may_write(&ctx, &headers, actor, &unit) {
        return *r;
    }
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => {
            return error(
                e.status(),
                "the body is not {\"models\": [ ... ], \"participants\": [ ... ]} in JSON",
            )
        }
    };
    let programs = state.registry.programs();
    let mcols = giamngheo_app::models::model_columns(programs);
    let pcols: Vec<String> = giamngheo_app::models::PARTICIPANT_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mname: std::sync::Arc<str> = "api[models]".into();
    let pname: std::sync::Arc<str> = "api[participants]".into();
    let (mrows, _) = cells_of(&mname, body.models, &mcols, None, &unit);
    let participant_unit = matches!(unit, UnitCode::Commune(_)).then_some("commune_code");
    let (prows, outside) = cells_of(&pname, body.participants, &pcols, participant_unit, &unit);
    if !outside.is_empty() {
        return rejected(&outside);
    }
    let file = giamngheo_app::models::ModelFile {
        models: (!mrows.is_empty()).then_some((mname, mrows)),
        participants: (!prows.is_empty()).then_some((pname, prows)),
    };
    match state
        .registry
        .for_actor(actor)
        .write_models(&file, crate::pages::reviews::today())
        .await
    {
        Ok(w) => (
            StatusCode::CREATED,
            Json(json!({
                "models": w.models, "participants": w.participants, "amount": w.amount,
                "overrides": w.overrides,
                "warnings": w.warnings.iter().map(|e| json!({
                    "file": &*e.file, "row": e.row, "column": e.column,
                    "message": e.message.render(giamngheo_rules::Lang::Vi),
                    "message_en": e.message.render(giamngheo_rules::Lang::En),
                })).collect::<Vec<_>>(),
            })),
        )
            .into_response(),
        Err(QueryError::Rejected(errors)) => rejected(&errors),
        Err(e) => refused(e, "no such unit"),
    }
}

/// A unit's targets, each with what was measured over its span and the share achieved.
async fn targets(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match state
        .registry
        .for_actor(actor)
        .targets(&unit, crate::pages::reviews::today())
        .await
    {
        Ok(list) => Json(json!({
            "unit": code,
            "targets": list.iter().map(|p| json!({
                "indicator": p.target.indicator, "from_year": p.target.from_year,
                "to_year": p.target.to_year, "value": p.target.value, "document": p.target.document,
                "measured": p.measured, "achieved_percent": p.achieved,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

#[derive(Deserialize)]
pub struct HouseholdsQuery {
    year: Option<i32>,
    q: Option<String>,
    class: Option<String>,
    village: Option<String>,
    ethnic: Option<String>,
    deprivation: Option<u32>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn households(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HouseholdsQuery>,
) -> Response {
    let (actor, unit) = match user_and_unit(&ctx, &code) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let scoped = state.registry.for_actor(actor);
    let years = match scoped.unit_years(&unit).await {
        Ok(y) => y,
        Err(e) => return refused(e, "no such unit"),
    };
    let year = q.year.or(years.last().copied()).unwrap_or(2025);
    if q.q
        .as_deref()
        .is_some_and(|t| t.chars().count() > crate::pages::MAX_SEARCH_CHARS)
    {
        return error(StatusCode::BAD_REQUEST, "search text too long");
    }
    // a class that is none of the four finds nothing
    let class = q.class.as_deref().map(Class::from_code);
    let query = HouseholdQuery {
        text: q.q.as_deref().map(fold_name).filter(|t| !t.is_empty()),
        class: class.flatten(),
        village: q.village.clone(),
        ethnic_code: q.ethnic.clone(),
        deprivation: q.deprivation,
        limit: q.limit.unwrap_or(50).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
        ..HouseholdQuery::new(unit, year)
    };
    let found = match class {
        Some(None) => Ok(HouseholdPage {
            total: 0,
            more: false,
            lines: Vec::new(),
        }),
        _ => scoped.households(&query).await,
    };
    match found {
        Ok(page) => Json(json!({
            "unit": code,
            "year": year,
            "total": page.total,
            "more": page.more,
            "households": page.lines.iter().map(|h| json!({
                "id": h.id,
                "commune_code": h.commune_code,
                "commune_name": h.commune_name,
                "code": h.code,
                "village": h.village,
                "head_name": h.head_name,
                "class": h.class.code(),
                "deprivation_count": h.deprivation_count,
                "members": h.members,
                "ethnic_minority": h.is_minority,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => refused(e, "no such unit"),
    }
}

async fn household(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let actor = match user(&ctx) {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    let h = match state.registry.for_actor(actor).household(id).await {
        Ok(h) => h,
        Err(e) => return refused(e, "no such household"),
    };
    Json(json!({
        "id": h.id,
        "code": h.code,
        "commune_code": h.commune_code,
        "commune_name": h.commune_name,
        "province_code": h.province_code,
        "village": h.village,
        "head_name": h.head_name,
        "members": h.members.iter().map(|m| json!({
            "member_no": m.member_no,
            "full_name": m.full_name,
            "id_number": m.id_number,
            "birth_date": birth_text(m.birth_date, m.birth_precision as u8),
            "sex": m.sex.code(),
            "ethnic_code": m.ethnic_code,
            "relation": m.relation,
        })).collect::<Vec<_>>(),
        "assessments": h.assessments.iter().map(|a| {
            let std = state.registry.standards().get(&a.standard);
            let lacking: Vec<&str> = std.map(|s| s.indicators.iter().enumerate()
                .filter(|(i, _)| *i < 63 && (a.deprivations >> i) & 1 == 1)
                .map(|(_, ind)| ind.code.as_str()).collect()).unwrap_or_default();
            json!({
                "year": a.year,
                "standard": a.standard,
                "survey_date": a.survey_date.to_string(),
                "area": a.area.code(),
                "income_line": a.income_line,
                "income_per_capita": a.income_per_capita,
                "b1_score": a.b1_score,
                "class": a.class.code(),
                "deprivations": lacking,
                "deprivation_count": a.deprivation_count,
                "transition": a.transition,
                "without_working_capacity": a.without_working_capacity,
            })
        }).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi_document() -> Value {
    let mut doc = openapi_base();
    let unit = json!({"name": "code", "in": "path", "required": true, "description": "Province (2 digits) or commune (5 digits) code of 2025", "schema": {"type": "string", "pattern": "^[0-9]{2}([0-9]{3})?$"}});
    let err = json!({"description": "Not logged in (401) or not found within the user's units (404)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let money = json!({"get": {
                "summary": "A unit's money of a budget year in đồng: each line (unit, item, source, origin year) with its plan in force on a day, disbursed by month, advances and the latest estimate to the year's end; a province's lines hold its communes'",
                "parameters": [unit,
                    {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "the budget year; the latest with money when not given"},
                    {"name": "on", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "the plans as in force on this day; the year's end when not given"}],
                "responses": {"200": {"description": "the lines", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "year": {"type": "integer"}, "on": {"type": "string", "format": "date"},
                    "lines": {"type": "array", "items": {"type": "object", "properties": {
                        "unit": {"type": "string"}, "item": {"type": "string"}, "source": {"type": "string"}, "origin_year": {"type": "integer"},
                        "plan": {"type": "integer"}, "disbursed": {"type": "integer"}, "by_month": {"type": "array", "items": {"type": "integer"}, "minItems": 12, "maxItems": 12},
                        "advances": {"type": "integer"}, "payments": {"type": "integer"}, "estimate": {"type": ["integer", "null"]}}}}}}}}}, "401": err, "404": err}}});
    let plans = json!({"get": {
                "summary": "A unit's capital plan documents of a budget year, oldest first: each revision with its number, day and the lines it sets (đồng)",
                "parameters": [unit, {"name": "year", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "the documents"}, "401": err, "404": err}}});
    let write = json!({"post": {
                "summary": "Writes a unit's capital plans and allocations (/plans: the province's officers), payments or year-end estimates (/payments, /estimates: the unit's officers), all or none, with the same checks as the money files (docs/money-format.md); every write is audited",
                "parameters": [unit,
                    {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}, "description": "the session's token, as /me gives it"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["rows"], "properties": {
                    "rows": {"type": "array", "items": {"type": "object", "description": "the file's columns (unit_code, budget_year, item, source, origin_year, amount, ...); unit_code is the path's unit when left out", "additionalProperties": {"type": ["string", "integer"]}}}}}}}},
                "responses": {
                    "201": {"description": "written", "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "kind": {"type": "string"}, "records": {"type": "integer"}, "lines": {"type": "integer"}, "amount": {"type": "integer"}}}}}},
                    "403": err, "404": err,
                    "422": {"description": "refused, nothing written: every bad row (numbered from 1) with its column and the reason in Vietnamese and English", "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "error": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "properties": {
                            "row": {"type": "integer"}, "column": {"type": "string"}, "message": {"type": "string"}, "message_en": {"type": "string"}}}}}}}}}}}});
    doc["paths"]["/units/{code}/money"] = money;
    doc["paths"]["/units/{code}/money/plans"] = plans;
    doc["paths"]["/units/{code}/money/plans"]["post"] = write["post"].clone();
    for kind in ["payments", "estimates"] {
        doc["paths"][format!("/units/{{code}}/money/{kind}")] = write.clone();
    }
    let record = json!({"type": "object", "description": "a support record: the household (and member), kind, programme item, decision and its day, status with its days, the rule set it was judged eligible under (or the rule that refused it and the officer's reason), and its parts by funding source in đồng", "properties": {
        "id": {"type": "integer"}, "commune": {"type": "string"}, "household_id": {"type": "integer"}, "household": {"type": "string"},
        "member_no": {"type": ["integer", "null"]}, "person": {"type": ["string", "null"]}, "kind": {"type": "string"},
        "item": {"type": ["string", "null"]}, "decision": {"type": "string"}, "decided_on": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": ["decided", "delivered", "started", "completed"]}, "rule_set": {"type": ["string", "null"]},
        "refused_rule": {"type": ["string", "null"]}, "override_reason": {"type": ["string", "null"]}, "total": {"type": "integer"},
        "parts": {"type": "array", "items": {"type": "object", "properties": {"source": {"type": "string"}, "in_kind": {"type": "boolean"}, "amount": {"type": "integer"}, "valuation": {"type": ["string", "null"]}}}}}});
    doc["paths"]["/units/{code}/support"] = json!({
        "get": {
            "summary": "A unit's support records (a province's: all its communes'), latest first, filtered, a page at a time",
            "parameters": [unit,
                {"name": "kind", "in": "query", "schema": {"type": "string"}},
                {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "the decision's year"},
                {"name": "status", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500}},
                {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "total and a page of records", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "total": {"type": "integer"}, "records": {"type": "array", "items": record.clone()}}}}}}, "401": err, "404": err}},
        "post": {
            "summary": "Writes support records of the unit's communes, all or none, each judged against the support rules in force on its decision's day (docs/support-format.md); a row a rule refuses is taken only with its override_reason; audited",
            "parameters": [unit, {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["rows"], "properties": {
                "rows": {"type": "array", "items": {"type": "object", "description": "the support file's columns; commune_code is the path's when left out"}}}}}}},
            "responses": {"201": {"description": "written: records, amount, overrides and warnings (a namesake born the same day elsewhere)"}, "403": err, "404": err,
                "422": {"description": "refused, nothing written: every bad or ineligible row with its column and the reason in Vietnamese and English"}}}});
    doc["paths"]["/units/{code}/support/duplicates"] = json!({"get": {
        "summary": "The duplicate beneficiaries among a unit's records: the same kind to the same household or person within the kind's window, by household, personal ID, or name with birth date",
        "parameters": [unit],
        "responses": {"200": {"description": "how many records were scanned, and each pair with how it matched"}, "401": err, "404": err}}});
    doc["paths"]["/units/{code}/targets"] = json!({"get": {
        "summary": "A unit's targets (programs/target-indicators.toml) in force, each with what the registry, the support records or the money measure over its span so far, and the percent achieved",
        "parameters": [unit],
        "responses": {"200": {"description": "the targets"}, "401": err, "404": err}}});
    doc["paths"]["/units/{code}/models"] = json!({
        "get": {
            "summary": "A unit's livelihood models and production projects (a province's all; a commune's those reaching it): communes, budget by source, area class, participants' count and what they received",
            "parameters": [unit],
            "responses": {"200": {"description": "the models"}, "401": err, "404": err}},
        "post": {
            "summary": "Writes models and their participants as a model file does (docs/support-format.md), all or none: each model's budget checked against its kind's cost-sharing by area class, each participant a support record judged against the support rules; audited",
            "parameters": [unit, {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                "models": {"type": "array", "items": {"type": "object", "description": "the sheet mo_hinh's columns"}},
                "participants": {"type": "array", "items": {"type": "object", "description": "the sheet thanh_vien's columns; commune_code is the path's commune when left out"}}}}}}},
            "responses": {"201": {"description": "written: models, participants, amount, overrides and warnings"}, "403": err, "404": err,
                "422": {"description": "refused, nothing written: every bad row with its file (api[models] or api[participants]), column and the reason in Vietnamese and English"}}}});
    doc["paths"]["/models/{id}"] = json!({"get": {
        "summary": "One model with its budget, the state's share and its ceiling, its participants with their class on joining and at the next review, and how many left poverty",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "the model"}, "401": err, "404": err}}});
    doc["paths"]["/units/{code}/outcomes"] = json!({"get": {
        "summary": "Outcomes of a unit's support per programme item and kind: households supported, how many of those poor on the decision's day left poverty at the next review, the same rate among comparable unsupported households of the same commune and year, and the state's cost per household that left",
        "parameters": [unit],
        "responses": {"200": {"description": "a line per item and kind"}, "401": err, "404": err}}});
    doc["paths"]["/households/{id}/support"] = json!({"get": {
        "summary": "A household's support, latest first",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "the records", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "records": {"type": "array", "items": record}}}}}}, "401": err, "404": err}}});
    doc
}

fn openapi_base() -> Value {
    let unit = json!({"name": "code", "in": "path", "required": true, "description": "Province (2 digits) or commune (5 digits) code of 2025", "schema": {"type": "string", "pattern": "^[0-9]{2}([0-9]{3})?$"}});
    let err = json!({"description": "Not logged in (401) or not found within the user's units (404)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "giamngheo API",
            "version": "1",
            "description": "Poverty figures, households and their reviews, and the program's money. Every call answers for the logged-in user's units only: a unit or household outside them is 404. Log in through /login (session cookie)."
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "gn_session"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
                "Class": {"type": "string", "enum": ["poor", "near_poor", "average", "not_poor"]},
                "HouseholdLine": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "commune_code": {"type": "string"}, "commune_name": {"type": "string"},
                    "code": {"type": "string"}, "village": {"type": ["string", "null"]}, "head_name": {"type": ["string", "null"]},
                    "class": {"$ref": "#/components/schemas/Class"}, "deprivation_count": {"type": "integer"},
                    "members": {"type": "integer"}, "ethnic_minority": {"type": "boolean"}}},
            }
        },
        "security": [{"session": []}],
        "paths": {
            "/me": {"get": {"summary": "The logged-in user", "responses": {"200": {"description": "name, role and unit"}, "401": err}}},
            "/units/{code}/report": {"get": {
                "summary": "A unit's figures over years: rates, change, average annual decrease, ethnic minority, communes, deprivation profile",
                "parameters": [unit,
                    {"name": "from", "in": "query", "schema": {"type": "integer"}},
                    {"name": "to", "in": "query", "schema": {"type": "integer"}},
                    {"name": "target_points", "in": "query", "schema": {"type": "number"}, "description": "target decrease of the poverty rate, points a year"}],
                "responses": {"200": {"description": "the report"}, "401": err, "404": err}}},
            "/units/{code}/households": {"get": {
                "summary": "Households of a unit assessed in a year, searched and filtered, a page at a time",
                "parameters": [unit,
                    {"name": "year", "in": "query", "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "a member's name or the household code, with or without diacritics"},
                    {"name": "class", "in": "query", "schema": {"$ref": "#/components/schemas/Class"}},
                    {"name": "village", "in": "query", "schema": {"type": "string"}},
                    {"name": "ethnic", "in": "query", "schema": {"type": "string"}, "description": "ethnic group code of the head (2 digits)"},
                    {"name": "deprivation", "in": "query", "schema": {"type": "integer"}, "description": "position of an indicator in the year's standard"},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "total and a page of households", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "total": {"type": "integer"}, "households": {"type": "array", "items": {"$ref": "#/components/schemas/HouseholdLine"}}}}}}}, "401": err, "404": err}}},
            "/units/{code}/ethnic-groups": {"get": {
                "summary": "A unit's households, poor and near-poor of a year by the head's ethnic group (1979 catalogue), largest first; code null when not known",
                "parameters": [unit, {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "the unit's last year when not given"}],
                "responses": {"200": {"description": "the groups", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "year": {"type": "integer"}, "groups": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]}, "households": {"type": "integer"},
                        "poor": {"type": "integer"}, "near_poor": {"type": "integer"}}}}}}}}}, "401": err, "404": err}}},
            "/households/{id}": {"get": {
                "summary": "A household with its members and every year's review",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "the household"}, "401": err, "404": err}}},
        }
    })
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}
