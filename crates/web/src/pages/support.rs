//! Support to households on the pages: a household's support history and its entry form (on the
//! household's page), a unit's support list with filters and file upload, the duplicate report,
//! and the support file's template.

use super::{qe, render, unit_code, unit_name};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::money::Row;
use giamngheo_app::support::{SupportQuery, SupportRecord};
use giamngheo_app::QueryError;
use giamngheo_rules::UnitCode;
use minijinja::{context, Value};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// How many records a list page shows.
const PAGE: i64 = 100;

/// An amount of đồng written in full, the reader's way.
fn dong(lang: Lang, d: i64) -> String {
    lang.int(d)
}

/// A kind's name in the reader's language.
pub(crate) fn kind_name(state: &AppState, lang: Lang, code: &str) -> String {
    state
        .registry
        .support_rules()
        .kind(code)
        .map(|k| match lang {
            Lang::Vi => k.name_vi.clone(),
            Lang::En => k.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

fn status_name(lang: Lang, code: &str) -> String {
    match lang.t(&format!("support_status_{code}")) {
        "?" => code.to_string(),
        t => t.to_string(),
    }
}

/// A record as a table's row shows it.
pub(crate) fn record_row(state: &AppState, lang: Lang, r: &SupportRecord) -> Value {
    let budget: Vec<&str> = state
        .registry
        .programs()
        .sources
        .iter()
        .filter(|s| s.budget)
        .map(|s| s.code.as_str())
        .collect();
    let state_part: i64 = r
        .parts
        .iter()
        .filter(|p| budget.contains(&p.source.as_str()))
        .map(|p| p.amount)
        .sum();
    let rule_set = r
        .rule_set
        .as_deref()
        .and_then(|id| state.registry.support_rules().rule_set(id));
    context! {
        id => r.id,
        household_id => r.household_id,
        household => r.household_code,
        commune => UnitCode::parse(&r.commune_code).map(|u| unit_name(&u)).unwrap_or_else(|| r.commune_code.clone()),
        person => r.person_name,
        kind => kind_name(state, lang, &r.kind),
        item => r.item,
        decision => r.decision,
        decided_on => lang.date(r.decided_on),
        status => status_name(lang, &r.status),
        status_on => r.completed_on.or(r.delivered_on).or(r.started_on).map(|d| lang.date(d)),
        total => dong(lang, r.total()),
        state_part => dong(lang, state_part),
        rule_set => rule_set.map(|s| match lang { Lang::Vi => s.name_vi.clone(), Lang::En => s.name_en.clone() }),
        overridden => r.override_reason.is_some(),
        reason => r.override_reason,
        by => r.user_name,
    }
}

/// A household's support history, latest first, for its page.
pub(crate) async fn history(
    state: &AppState,
    ctx: &Ctx,
    household_id: i64,
) -> Result<Vec<Value>, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let records = state
        .registry
        .for_actor(actor)
        .household_support(household_id)
        .await
        .map_err(qe(lang))?;
    Ok(records.iter().map(|r| record_row(state, lang, r)).collect())
}

/// The kinds and the funding sources a support form offers.
pub(crate) fn form_choices(state: &AppState, lang: Lang) -> Value {
    let kinds: Vec<_> = state
        .registry
        .support_rules()
        .kinds
        .iter()
        .map(|k| context! { code => k.code, name => match lang { Lang::Vi => &k.name_vi, Lang::En => &k.name_en }, member => k.member })
        .collect();
    let sources: Vec<_> = state
        .registry
        .programs()
        .sources
        .iter()
        .map(|s| context! { code => s.code, name => match lang { Lang::Vi => &s.name_vi, Lang::En => &s.name_en } })
        .collect();
    context! { kinds, sources }
}

#[derive(Deserialize)]
pub struct SupportForm {
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

/// A support record from the household's page, judged as a file's row is; the page again with
/// what was refused and the form kept, or with what it warned of.
pub async fn add_support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SupportForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let h = scoped.household(id).await.map_err(qe(lang))?;
    if !actor.imports() || !actor.sees_commune(&h.commune_code) {
        return Err(WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ));
    }
    let columns = giamngheo_app::support::columns(state.registry.programs());
    let mut cells: HashMap<String, String> = f
        .fields
        .into_iter()
        .filter(|(k, _)| columns.contains(k))
        .map(|(k, v)| (k, v.chars().take(600).collect()))
        .collect();
    // amounts may be typed with the thousands' dots a Vietnamese writes
    for s in &state.registry.programs().sources {
        if let Some(a) = cells.get_mut(&s.code) {
            let digits: String = a
                .chars()
                .filter(|c| !matches!(c, '.' | ' ' | ','))
                .collect();
            if digits.bytes().all(|b| b.is_ascii_digit()) {
                *a = digits;
            }
        }
    }
    cells.insert("commune_code".into(), h.commune_code.clone());
    cells.insert("household_code".into(), h.code.clone());
    let row = Row {
        number: 1,
        cells: cells.clone(),
    };
    let name: Arc<str> = lang.t("money_form_name").into();
    match scoped
        .write_support(&name, &[row], super::reviews::today())
        .await
    {
        Ok(w) if w.warnings.is_empty() => {
            Ok(Redirect::to(&format!("/households/{id}?done=support#support")).into_response())
        }
        Ok(w) => {
            let warned: Vec<String> = w.warnings.iter().map(|e| e.message.render(lang)).collect();
            super::households::household_page(
                &state,
                &ctx,
                id,
                None,
                Some(format!("{} {}", lang.t("support_done"), warned.join(" · "))),
                None,
            )
            .await
        }
        Err(QueryError::Rejected(rows)) => {
            let errors: Vec<String> = rows
                .iter()
                .map(|e| {
                    let column = if e.column.is_empty() {
                        String::new()
                    } else {
                        format!("{}: ", column_name(lang, &e.column))
                    };
                    format!("{column}{}", e.message.render(lang))
                })
                .collect();
            let form = context! { support => cells };
            let mut r = super::households::household_page(
                &state,
                &ctx,
                id,
                Some(errors.join(" · ")),
                None,
                Some(form),
            )
            .await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

fn column_name(lang: Lang, column: &str) -> String {
    match lang.t(&format!("support_col_{column}")) {
        "?" => match lang.t(&format!("money_col_{column}")) {
            "?" => column.to_string(),
            t => t.to_string(),
        },
        t => t.to_string(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    kind: Option<String>,
    year: Option<i32>,
    status: Option<String>,
    overridden: Option<String>,
    page: Option<i64>,
}

/// A unit's support list (a province's: every commune's), filtered, a page at a time, with the
/// upload form for who records support there.
pub async fn support_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    list_page(&state, &ctx, &code, q, None, Vec::new(), StatusCode::OK).await
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    q: ListQuery,
    done: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let page = q.page.unwrap_or(0).max(0);
    let query = SupportQuery {
        unit: unit.to_string(),
        kind: q.kind.clone().filter(|k| !k.is_empty()),
        year: q.year,
        status: q.status.clone().filter(|s| !s.is_empty()),
        overridden: q.overridden.as_deref() == Some("1"),
        limit: PAGE,
        offset: page * PAGE,
    };
    let (total, records) = state
        .registry
        .for_actor(actor)
        .support_list(&query)
        .await
        .map_err(qe(lang))?;
    let rows: Vec<_> = records.iter().map(|r| record_row(state, lang, r)).collect();
    let statuses: Vec<_> = ["decided", "delivered", "started", "completed"]
        .iter()
        .map(|s| context! { code => s, name => status_name(lang, s) })
        .collect();
    let more = (page + 1) * PAGE < total;
    let filter = format!(
        "kind={}&year={}&status={}&overridden={}",
        query.kind.clone().unwrap_or_default(),
        query.year.map(|y| y.to_string()).unwrap_or_default(),
        query.status.clone().unwrap_or_default(),
        if query.overridden { "1" } else { "" }
    );
    let mut r = render(
        state,
        ctx,
        "support.html",
        context! {
            unit => unit.to_string(),
            unit_name => unit_name(&unit),
            is_province => matches!(unit, UnitCode::Province(_)),
            total, rows, statuses,
            choices => form_choices(state, lang),
            kind => query.kind, year => query.year, status => query.status, overridden => query.overridden,
            page, more, filter,
            may_import => actor.imports(),
            done, errors,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// The duplicate beneficiaries of a unit: each pair, the two records side by side and how
/// they matched (household, personal ID, or name with birth date).
pub async fn support_duplicates(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let (scanned, pairs) = state
        .registry
        .for_actor(actor)
        .support_duplicates(&unit)
        .await
        .map_err(qe(lang))?;
    let pairs: Vec<_> = pairs
        .iter()
        .map(|p| {
            context! {
                first => record_row(&state, lang, &p.first),
                second => record_row(&state, lang, &p.second),
                by => p.by.iter().map(|b| lang.t(&format!("support_match_{b}")).to_string()).collect::<Vec<_>>(),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "support_duplicates.html",
        context! { unit => unit.to_string(), unit_name => unit_name(&unit), scanned, pairs },
    )
}

/// A support file uploaded on a unit's list page, imported all or nothing.
pub async fn import_support(
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
        .import_support(&upload.path, super::reviews::today())
        .await;
    match result {
        Ok(w) => {
            let done = giamngheo_rules::msg!(
                "cli_support_imported",
                records = w.records,
                overrides = w.overrides
            )
            .money("amount", w.amount)
            .render(lang);
            let warnings = w.warnings.iter().map(named).collect();
            list_page(
                &state,
                &ctx,
                &code,
                ListQuery::default(),
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
                ListQuery::default(),
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

/// The support file's template, for who records support.
pub async fn support_template(
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
        giamngheo_app::support::write_template(
            p,
            registry.programs(),
            registry.support_data(),
            lang == Lang::Vi,
        )
    })?;
    let name = match lang {
        Lang::Vi => "mau-nhap-ho-tro.xlsx",
        Lang::En => "support-import-template.xlsx",
    };
    Ok(super::downloads::attachment(name, body))
}
