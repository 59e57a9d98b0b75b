//! The program's money on the pages: a province's money dashboard (plan against disbursed by
//! project and by source, cumulative disbursement by month, its communes with the slowest
//! marked) and a commune's money page, the entry forms for plan lines and payments, and a unit's
//! plan revisions. Amounts are shown in millions of đồng; they are kept in đồng.

use super::{qe, render, unit_code, unit_name};
use crate::charts::{self, Series};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::access::province_of;
use giamngheo_app::money::{MoneyKind, Row};
use giamngheo_app::QueryError;
use giamngheo_rules::chrono::{Datelike, NaiveDate};
use giamngheo_rules::UnitCode;
use minijinja::context;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct MoneyQuery {
    year: Option<i32>,
    /// The plans as in force on this day (YYYY-MM-DD).
    on: Option<String>,
    done: Option<String>,
}

/// An amount in millions of đồng, one decimal: `1.234,5` / `1,234.5`.
pub(crate) fn millions(lang: Lang, dong: i64) -> String {
    let tenths = (dong.abs() + 50_000) / 100_000;
    let sign = if dong < 0 && tenths > 0 { "-" } else { "" };
    let sep = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    format!("{sign}{}{sep}{}", lang.int(tenths / 10), tenths % 10)
}

/// Disbursed as a share of plan, or a dash without a plan.
fn share(lang: Lang, part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".into();
    }
    lang.pct(percent(part, whole))
}

fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    part as f64 * 100.0 / whole as f64
}

/// The project of an item (`DA3.TDA1` → `DA3`).
fn project_of(item: &str) -> &str {
    item.split('.').next().unwrap_or(item)
}

pub async fn money_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MoneyQuery>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let on = q.on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    let done = q
        .done
        .as_deref()
        .filter(|d| matches!(*d, "plans" | "payments" | "estimates"))
        .map(|d| lang.t(&format!("money_done_{d}")).to_string());
    page(&state, &ctx, &code, q.year, on, done, None, StatusCode::OK).await
}

/// What a form sent back with its refusals: the fields as typed and the messages.
#[derive(Default)]
struct Refused {
    form: &'static str,
    fields: HashMap<String, String>,
    errors: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    year: Option<i32>,
    on: Option<NaiveDate>,
    done: Option<String>,
    refused: Option<Refused>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let scoped = state.registry.for_actor(actor);
    let today = super::reviews::today();
    let view = scoped
        .money_view(&unit, year, on, today)
        .await
        .map_err(qe(lang))?;
    let (years, report) = (view.years.as_slice(), &view.report);
    let (year, on) = (report.year, report.on.unwrap_or(today));
    let programs = state.registry.programs();
    let program = programs.for_year(year);
    // the programmes whose capital the year may hold: its own, and earlier ones' carried over
    let holding: Vec<&giamngheo_rules::program::Program> = programs
        .programs
        .iter()
        .rev()
        .filter(|p| (p.years.from..=p.years.to).any(|o| p.money.carries(o, year)))
        .collect();
    let item_name = |code: &str| {
        // the programmes' codes differ (DA…, ND…): the newest that has it
        programs
            .programs
            .iter()
            .rev()
            .find_map(|p| p.item(code))
            .map(|i| match lang {
                Lang::Vi => i.name_vi.clone(),
                Lang::En => i.name_en.clone(),
            })
            .unwrap_or_default()
    };
    let source_name = |code: &str| {
        programs
            .source(code)
            .map(|s| match lang {
                Lang::Vi => s.name_vi.clone(),
                Lang::En => s.name_en.clone(),
            })
            .unwrap_or_else(|| code.to_string())
    };
    let is_province = matches!(unit, UnitCode::Province(_));
    let unit_text = unit.to_string();
    // the plan counted once: a province's own lines hold its communes' allocations
    let planned = |k: &giamngheo_app::money::MoneyKey| !is_province || k.unit_code == unit_text;
    let total_plan = report.total(|k| planned(k)).plan;
    let total = report.total(|_| true);
    let disbursed = total.disbursed();
    let allocated = if is_province {
        report.total(|k| k.unit_code != unit_text).plan
    } else {
        0
    };
    let grouped = |key: &dyn Fn(&giamngheo_app::money::MoneyKey) -> String| {
        let mut by: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for (k, l) in report.lines.iter() {
            let e = by.entry(key(k)).or_default();
            if planned(k) {
                e.0 += l.plan;
            }
            e.1 += l.disbursed();
        }
        by
    };
    let by_project = grouped(&|k| project_of(&k.item).to_string());
    let by_source = grouped(&|k| k.source.clone());
    let project_rows: Vec<_> = by_project
        .iter()
        .map(|(p, (plan, paid))| context! { code => p, name => item_name(p), plan => millions(lang, *plan), disbursed => millions(lang, *paid), share => share(lang, *paid, *plan) })
        .collect();
    let source_rows: Vec<_> = by_source
        .iter()
        .map(|(s, (plan, paid))| context! { code => s, name => source_name(s), plan => millions(lang, *plan), disbursed => millions(lang, *paid), share => share(lang, *paid, *plan) })
        .collect();
    let bars = |by: &BTreeMap<String, (i64, i64)>, name: &dyn Fn(&str) -> String, title: &str| {
        let rows: Vec<(String, f64)> = by
            .iter()
            .filter(|(_, (plan, _))| *plan > 0)
            .map(|(c, (plan, paid))| (name(c), percent(*paid, *plan)))
            .collect();
        (!rows.is_empty()).then(|| charts::bars(lang, title, &rows))
    };
    let project_chart = bars(
        &by_project,
        &|c| format!("{c} · {}", item_name(c)),
        lang.t("money_chart_projects"),
    );
    let source_chart = bars(
        &by_source,
        &|c| source_name(c),
        lang.t("money_chart_sources"),
    );
    // cumulative by month, as a share of the plan in force
    let months: Vec<String> = (1..=12).map(|m| format!("{m:02}/{year}")).collect();
    let mut cumulative = Vec::with_capacity(12);
    let mut run = 0;
    let last_month = if on.year() == year { on.month() } else { 12 };
    for (m, v) in total.by_month.iter().enumerate() {
        run += v;
        if (m as u32) < last_month {
            cumulative.push(percent(run, total_plan));
        }
    }
    let month_chart = (total_plan > 0 && !cumulative.is_empty()).then(|| {
        charts::lines(
            lang,
            lang.t("money_chart_months"),
            &months[..cumulative.len()],
            &[Series {
                name: lang.t("money_disbursed_share"),
                class: "s1",
                values: cumulative.clone(),
            }],
        )
    });
    // the communes, the slowest first: under half the province's share is marked
    let province_share = percent(disbursed, total_plan);
    let mut communes: BTreeMap<String, (i64, i64, Option<i64>)> = BTreeMap::new();
    if is_province {
        for (k, l) in report
            .lines
            .iter()
            .filter(|(k, _)| k.unit_code != unit_text)
        {
            let e = communes.entry(k.unit_code.clone()).or_default();
            e.0 += l.plan;
            e.1 += l.disbursed();
            if let Some(est) = l.estimate {
                *e.2.get_or_insert(0) += est;
            }
        }
    }
    let mut commune_rows: Vec<_> = communes
        .iter()
        .map(|(c, (plan, paid, est))| {
            let p = percent(*paid, *plan);
            (p, c, plan, paid, est)
        })
        .collect();
    commune_rows.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let commune_rows: Vec<_> = commune_rows
        .into_iter()
        .map(|(p, c, plan, paid, est)| {
            context! {
                code => c,
                name => UnitCode::parse(c).as_ref().map(unit_name),
                plan => millions(lang, *plan),
                disbursed => millions(lang, *paid),
                share => share(lang, *paid, *plan),
                estimate => est.map(|e| millions(lang, e)),
                slow => *plan > 0 && p < province_share / 2.0,
            }
        })
        .collect();
    // a commune's lines, with the estimate beside what was paid
    let lines: Vec<_> = report
        .lines
        .iter()
        .filter(|(k, _)| !is_province || k.unit_code == unit_text)
        .map(|(k, l)| {
            context! {
                item => k.item, item_name => item_name(&k.item), source => source_name(&k.source),
                origin => k.origin_year, plan => millions(lang, l.plan),
                disbursed => millions(lang, l.disbursed()), share => share(lang, l.disbursed(), l.plan),
                advances => (l.advances > 0).then(|| millions(lang, l.advances)),
                estimate => l.estimate.map(|e| millions(lang, e)),
            }
        })
        .collect();
    let payments: Vec<_> = view
        .latest
        .iter()
        .map(|p| {
            context! {
                paid_on => lang.date(p.paid_on), item => p.item, source => source_name(&p.source),
                amount => millions(lang, p.amount), document => p.document,
                advance => p.advance_reason, by => p.user_name,
            }
        })
        .collect();
    // the forms: plan lines for the province's officers, payments for the unit's officers
    let may_plan = actor.plans_reviews();
    let may_pay = if is_province {
        actor.plans_reviews()
    } else {
        actor.imports()
    };
    let items: Vec<_> = holding
        .iter()
        .map(|p| {
            let leaves: Vec<_> = p
                .leaves()
                .map(|i| context! { code => i.code, name => format!("{} · {}", i.code, match lang { Lang::Vi => &i.name_vi, Lang::En => &i.name_en }) })
                .collect();
            let name = match lang { Lang::Vi => &p.name_vi, Lang::En => &p.name_en };
            let name = if Some(p.id.as_str()) == program.map(|q| q.id.as_str()) {
                name.clone()
            } else {
                format!("{name} ({})", lang.t("money_other_programme"))
            };
            context! { name, items => leaves }
        })
        .collect();
    let exports: Vec<_> = MoneyKind::ALL
        .iter()
        .map(|k| context! { code => k.code(), name => lang.t(&format!("money_kind_{}", k.code())) })
        .collect();
    let sources: Vec<_> = programs
        .sources
        .iter()
        .map(|s| context! { code => s.code, name => match lang { Lang::Vi => &s.name_vi, Lang::En => &s.name_en }, budget => s.budget })
        .collect();
    let units: Vec<_> = if is_province {
        giamngheo_app::access::units_of(&unit)
            .iter()
            .map(|u| context! { code => u.to_string(), name => unit_name(u) })
            .collect()
    } else {
        vec![context! { code => unit_text.clone(), name => unit_name(&unit) }]
    };
    let province = province_of(&unit);
    let refused = refused.unwrap_or_default();
    render(
        state,
        ctx,
        "money.html",
        context! {
            unit => unit_text,
            unit_name => unit_name(&unit),
            province => province.map(|p| p.as_str().to_string()),
            is_province,
            year, years, on => on.to_string(), on_text => lang.date(on),
            program => program.map(|p| match lang { Lang::Vi => p.name_vi.clone(), Lang::En => p.name_en.clone() }),
            plan => millions(lang, total_plan),
            disbursed => millions(lang, disbursed),
            share => share(lang, disbursed, total_plan),
            unallocated => is_province.then(|| millions(lang, total_plan - allocated)),
            allocated => is_province.then(|| millions(lang, allocated)),
            advances => (total.advances > 0).then(|| millions(lang, total.advances)),
            estimate => total.estimate.map(|e| millions(lang, e)),
            estimate_share => total.estimate.map(|e| share(lang, e, total_plan)),
            empty => report.lines.is_empty(),
            project_rows, source_rows, project_chart, source_chart, month_chart,
            communes => commune_rows,
            lines, payments,
            may_plan, may_pay, items, sources, units, exports,
            today => today.to_string(),
            done,
            form => refused.form,
            fields => refused.fields,
            errors => refused.errors,
        },
    )
    .map(|mut r| {
        *r.status_mut() = status;
        r
    })
}

/// A form's fields: the columns of a money row, and its token.
#[derive(Deserialize)]
pub struct MoneyForm {
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

/// A plan line from the province's form: one line of a document (a document of many lines is
/// a file, or the form again with the same number and day).
pub async fn add_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<MoneyForm>,
) -> Result<Response, WebError> {
    form(state, ctx, code, f, MoneyKind::Plans).await
}

/// A payment from the unit's form.
pub async fn add_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<MoneyForm>,
) -> Result<Response, WebError> {
    form(state, ctx, code, f, MoneyKind::Payments).await
}

/// A line's estimate to the year's end from the unit's form.
pub async fn add_estimate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<MoneyForm>,
) -> Result<Response, WebError> {
    form(state, ctx, code, f, MoneyKind::Estimates).await
}

async fn form(
    state: AppState,
    ctx: Ctx,
    code: String,
    f: MoneyForm,
    kind: MoneyKind,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let columns = kind.columns();
    let mut fields: HashMap<String, String> = f
        .fields
        .into_iter()
        .filter(|(k, _)| columns.contains(&k.as_str()))
        .map(|(k, v)| (k, v.chars().take(600).collect()))
        .collect();
    // a commune's page writes for the commune
    if matches!(unit, UnitCode::Commune(_)) {
        fields.insert("unit_code".into(), unit.to_string());
    }
    // the form's amount may be typed with the thousands' dots a Vietnamese writes
    if let Some(a) = fields.get_mut("amount") {
        let digits: String = a
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | ','))
            .collect();
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            *a = digits;
        }
    }
    let row = Row {
        number: 1,
        cells: fields.clone(),
    };
    let name: Arc<str> = lang.t("money_form_name").into();
    let scoped = state.registry.for_actor(actor);
    let today = super::reviews::today();
    let result = scoped.write_money(kind, &name, &[row], today).await;
    let year: Option<i32> = fields
        .get("budget_year")
        .and_then(|y| y.trim().parse().ok());
    match result {
        Ok(_) => {
            let year = year.map(|y| format!("year={y}&")).unwrap_or_default();
            let done = kind.code();
            Ok(Redirect::to(&format!("/units/{code}/money?{year}done={done}")).into_response())
        }
        Err(QueryError::Rejected(rows)) => {
            let errors = rows
                .iter()
                .map(|e| {
                    let column = if e.column.is_empty() {
                        String::new()
                    } else {
                        format!("{}: ", lang.t(&format!("money_col_{}", e.column)))
                    };
                    format!("{column}{}", e.message.render(lang))
                })
                .collect();
            let refused = Refused {
                form: kind.code(),
                fields,
                errors,
            };
            page(
                &state,
                &ctx,
                &code,
                year,
                None,
                None,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

/// A unit's plan documents of a year, oldest first, each with its lines: how the plan was
/// revised.
pub async fn plan_history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MoneyQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let scoped = state.registry.for_actor(actor);
    let year = q.year.unwrap_or_else(|| super::reviews::today().year());
    let docs = scoped.plan_history(&unit, year).await.map_err(qe(lang))?;
    let programs = state.registry.programs();
    let source_name = |code: &str| {
        programs
            .source(code)
            .map(|s| match lang {
                Lang::Vi => s.name_vi.clone(),
                Lang::En => s.name_en.clone(),
            })
            .unwrap_or_else(|| code.to_string())
    };
    let mut before: HashMap<(String, String, i32), i64> = HashMap::new();
    let docs: Vec<_> = docs
        .iter()
        .map(|d| {
            let lines: Vec<_> = d
                .lines
                .iter()
                .map(|l| {
                    let key = (l.item.clone(), l.source.clone(), l.origin_year);
                    let was = before.insert(key, l.amount);
                    context! {
                        item => l.item, source => source_name(&l.source), origin => l.origin_year,
                        amount => millions(lang, l.amount),
                        was => was.map(|w| millions(lang, w)),
                        change => was.map(|w| {
                            let d = l.amount - w;
                            format!("{}{}", if d > 0 { "+" } else { "" }, millions(lang, d))
                        }),
                    }
                })
                .collect();
            context! {
                document => d.document, decided_on => lang.date(d.decided_on), note => d.note,
                by => d.user_name, lines,
                total => millions(lang, d.lines.iter().map(|l| l.amount).sum()),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "money_plans.html",
        context! {
            unit => unit.to_string(), unit_name => unit_name(&unit), year, docs,
        },
    )
}

/// The money files' template, for those who write money.
pub async fn money_template(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !actor.imports() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    let lang = ctx.lang;
    let programs = state.registry.programs().clone();
    let body = super::downloads::workbook(|p| {
        giamngheo_app::money::write_template(p, &programs, lang == Lang::Vi)
    })?;
    let name = match lang {
        Lang::Vi => "mau-nhap-von.xlsx",
        Lang::En => "money-import-template.xlsx",
    };
    Ok(super::downloads::attachment(name, body))
}

/// A plans or payments file uploaded on a unit's money page, imported all or nothing; the page
/// again with what it took, or every refused row.
pub async fn import_money(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (actor, upload) = super::import::unit_upload(&state, &ctx, &code, &mut form).await?;
    let kind = upload.field("kind");
    let path = upload.path.clone();
    let scoped = state.registry.for_actor(actor);
    let Some(kind) = MoneyKind::parse(&kind) else {
        return Err(WebError::Status(StatusCode::BAD_REQUEST, lang));
    };
    let result = scoped
        .import_money(kind, &path, super::reviews::today())
        .await;
    match result {
        Ok(w) => {
            let done = kind.done(&w).render(lang);
            page(
                &state,
                &ctx,
                &code,
                None,
                None,
                Some(format!("{}: {done}", upload.shown)),
                None,
                StatusCode::OK,
            )
            .await
        }
        Err(QueryError::Rejected(rows)) => {
            let errors = rows
                .iter()
                .take(500)
                .map(|e| upload.error(e, lang))
                .collect();
            let refused = Refused {
                form: "upload",
                fields: HashMap::new(),
                errors,
            };
            page(
                &state,
                &ctx,
                &code,
                None,
                None,
                None,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    year: Option<i32>,
    kind: Option<String>,
}

/// A unit's plans, payments or estimates of a year in the money files' format, to import
/// again: CSV with a byte-order mark (`export.csv`) or a workbook (`export.xlsx`), a
/// province's with its communes'.
pub async fn money_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, file)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let kind = match q.kind.as_deref() {
        None => MoneyKind::Plans,
        Some(k) => MoneyKind::parse(k).ok_or(WebError::Status(StatusCode::BAD_REQUEST, lang))?,
    };
    let xlsx = match file.as_str() {
        "export.csv" => false,
        "export.xlsx" => true,
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, lang)),
    };
    let year = q.year.unwrap_or_else(|| super::reviews::today().year());
    let rows = state
        .registry
        .for_actor(actor)
        .money_export(&unit, year, kind)
        .await
        .map_err(qe(lang))?;
    let stem = match kind {
        MoneyKind::Plans => "ke-hoach-von",
        MoneyKind::Payments => "giai-ngan",
        MoneyKind::Estimates => "uoc-giai-ngan",
    };
    let (name, body) = if xlsx {
        let body =
            super::downloads::workbook(|p| giamngheo_app::money::write_workbook(p, kind, &rows))?;
        (format!("{stem}-{code}-{year}.xlsx"), body)
    } else {
        let body = giamngheo_app::money::csv_bytes(&rows)
            .map_err(|e| WebError::Internal(e.to_string()))?;
        (format!("{stem}-{code}-{year}.csv"), body)
    };
    Ok(super::downloads::attachment(&name, body))
}
