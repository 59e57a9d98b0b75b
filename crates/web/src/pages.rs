//! The HTML pages.

use crate::auth::{self, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS};
use crate::charts::{self, Series};
use crate::i18n::Lang;
use crate::{local_path, AppState, Ctx, WebError};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::access::province_of;
use giamngheo_app::queries::{self, QueryError};
use giamngheo_rules::{Area, Standard};
use giamngheo_store::{AuditFilter, HouseholdQuery};
use giamngheo_survey::Catalogue;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Households per page of a list.
pub const PAGE_SIZE: i64 = 50;

fn render(
    state: &AppState,
    ctx: &Ctx,
    name: &str,
    page: minijinja::Value,
) -> Result<Response, WebError> {
    let tmpl = state.templates.get_template(name)?;
    let user = ctx.actor.as_ref().map(|a| {
        context! {
            name => a.name,
            full_name => a.full_name,
            role => a.role.code(),
            unit => a.unit,
            may_import => a.may_import(a.unit.as_deref().unwrap_or("")) || a.unit.is_none() && a.may_import("00070"),
            may_audit => a.may_audit(),
        }
    });
    let html = tmpl.render(context! {
        t => minijinja::Value::from_serialize(ctx.lang.texts()),
        lang => ctx.lang.code(),
        other_lang => ctx.lang.other().code(),
        path => ctx.path,
        csrf => ctx.csrf,
        user => user,
        page => page,
    })?;
    let mut r = Html(html).into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if let Some(unit) = actor.home() {
        return Ok(Redirect::to(&format!("/units/{unit}")).into_response());
    }
    // the whole country: the provinces
    let cat = Catalogue::builtin();
    let mut provinces: Vec<(String, String)> = cat
        .communes()
        .map(|c| (c.province_code.clone(), c.province_name.clone()))
        .collect();
    provinces.sort();
    provinces.dedup();
    let provinces: Vec<_> = provinces
        .into_iter()
        .map(|(code, name)| context! { code, name })
        .collect();
    render(&state, &ctx, "home.html", context! { provinces })
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    login_page(&state, &ctx, q.next.as_deref(), None, StatusCode::OK)
}

fn login_page(
    state: &AppState,
    ctx: &Ctx,
    next: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let token = auth::token();
    let mut r = render(
        state,
        ctx,
        "login.html",
        context! { next => local_path(next), error => error.map(|k| ctx.lang.t(k)), login_csrf => token },
    )?;
    *r.status_mut() = status;
    set_cookie_for(
        state,
        &mut r,
        &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict"),
    );
    Ok(r)
}

fn set_cookie(r: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(SET_COOKIE, v);
    }
}

/// A cookie, `Secure` when the site is served over HTTPS.
fn set_cookie_for(state: &AppState, r: &mut Response, cookie: &str) {
    let cookie = if state.secure_cookies {
        format!("{cookie}; Secure")
    } else {
        cookie.to_string()
    };
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(SET_COOKIE, v);
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    // the form's token must be the one this browser was given with the form
    let cookies = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    match auth::cookie(&cookies, LOGIN_CSRF_COOKIE) {
        Some(c) if auth::is_token(&f.csrf) && auth::same_token(c, &f.csrf) => {}
        _ => return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang)),
    }
    // the name as counted and recorded: no user name is longer (a longer one fails anyway)
    let name: String = f.name.trim().to_lowercase().chars().take(128).collect();
    let address = ctx.ip.as_deref();
    let refusal = |action: &str, why: &str| giamngheo_store::Change {
        action: action.into(),
        record: format!("login:{name}"),
        after: Some(serde_json::json!({ "address": address, "reason": why }).to_string()),
        ..Default::default()
    };
    let anonymous = giamngheo_store::Who {
        user_id: None,
        name: String::new(),
    };
    if let Some((held, first)) = state.limiter.hold(&name, address) {
        let why = match held {
            auth::Held::Name => "name",
            auth::Held::Address => "address",
        };
        tracing::warn!(%name, ?address, why, "login held back");
        // the hold is recorded once, not each attempt it refuses
        if first {
            state
                .store
                .audit(&anonymous, &refusal("session.login_limited", why))
                .await?;
        }
        return login_page(
            &state,
            &ctx,
            f.next.as_deref(),
            Some("login_limited"),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let user = state.store.user_by_name(f.name.trim()).await?;
    let ok = match &user {
        Some(u) if u.active => auth::verify_password(&f.password, &u.password_hash),
        _ => {
            // the same work as a real check, so that timing does not tell which names exist
            let _ = auth::verify_password(&f.password, DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        state.limiter.failed(&name, address);
        tracing::info!(%name, ?address, "login failed");
        state
            .store
            .audit(&anonymous, &refusal("session.login_failed", "password"))
            .await?;
        return login_page(
            &state,
            &ctx,
            f.next.as_deref(),
            Some("login_failed"),
            StatusCode::UNAUTHORIZED,
        );
    };
    state.limiter.succeeded(&name);
    let token = auth::token();
    let csrf = auth::token();
    let expires = giamngheo_rules::chrono::Utc::now()
        + giamngheo_rules::chrono::Duration::hours(SESSION_HOURS);
    state
        .store
        .open_session(&user, &auth::token_hash(&token), &csrf, expires)
        .await?;
    let mut r = Redirect::to(&local_path(f.next.as_deref())).into_response();
    set_cookie_for(
        &state,
        &mut r,
        &format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            SESSION_HOURS * 3600
        ),
    );
    set_cookie(
        &mut r,
        &format!("{LOGIN_CSRF_COOKIE}=; Path=/login; Max-Age=0"),
    );
    Ok(r)
}

/// An argon2 hash of nothing anyone types, checked when the user name does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2QnIuDR6Y3ePSrXjQ1eWUzPMdg4sqIaYm0bmyAgJ0j0";

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    if let Some(h) = &ctx.token_hash {
        state.store.close_session(h).await?;
    }
    if let Some(a) = &ctx.actor {
        state
            .store
            .audit(
                &giamngheo_store::Who {
                    user_id: Some(a.user_id),
                    name: a.name.clone(),
                },
                &giamngheo_store::Change {
                    action: "session.logout".into(),
                    record: format!("user:{}", a.user_id),
                    unit_code: a.unit.clone(),
                    ..Default::default()
                },
            )
            .await?;
    }
    let mut r = Redirect::to("/login").into_response();
    set_cookie(&mut r, &format!("{SESSION_COOKIE}=; Path=/; Max-Age=0"));
    Ok(r)
}

#[derive(Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

pub async fn set_lang(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<BackQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(&code).ok_or(WebError::Status(StatusCode::NOT_FOUND, ctx.lang))?;
    let mut r = Redirect::to(&local_path(q.back.as_deref())).into_response();
    set_cookie(
        &mut r,
        &format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        ),
    );
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    from: Option<i32>,
    to: Option<i32>,
    target: Option<f64>,
    /// Communes table: sort column and a filter on the name.
    sort: Option<String>,
    q: Option<String>,
}

/// A use case's refusal or failure as a page.
fn qe(lang: Lang) -> impl Fn(QueryError) -> WebError {
    move |e| match e {
        QueryError::Denied(d) => WebError::denied(d, lang),
        QueryError::Store(e) => WebError::from(e),
        QueryError::Export(e) => WebError::Internal(e.to_string()),
    }
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
    let report = queries::unit_report(
        &state.reports,
        &state.store,
        &state.standards,
        actor,
        &code,
        (q.from, q.to),
        q.target,
    )
    .await
    .map_err(qe(lang))?;
    let mut prev: Option<f64> = None;
    let years: Vec<YearRow> = report
        .years
        .iter()
        .map(|y| {
            let rate = y.poor_rate();
            let change = prev.map_or_else(|| "".into(), |p| lang.points(rate - p));
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
    let chart = (!report.years.is_empty()).then(|| {
        charts::lines(
            lang,
            lang.t("poverty_rate"),
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
    let filter =
        q.q.as_deref()
            .map(giamngheo_app::import::fold_name)
            .filter(|f| !f.is_empty());
    let mut communes: Vec<_> = report
        .communes
        .iter()
        .filter(|c| {
            filter
                .as_ref()
                .is_none_or(|f| giamngheo_app::import::fold_name(&c.name).contains(f.as_str()))
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
        _ => communes.sort_by_cached_key(|c| giamngheo_app::import::fold_name(&c.name)),
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
            change: lang.points(c.last.poor_rate() - c.first.poor_rate()),
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
    let decrease = report.average_annual_decrease().map(|d| lang.dec2(d));
    let minority_decrease = report
        .minority_average_annual_decrease()
        .map(|d| lang.dec2(d));
    let achievement = report.target_achievement().map(|a| lang.pct(a));
    let is_province = code.len() == 2;
    // a commune's page: its villages in the last year
    let villages: Vec<_> = match (is_province, last) {
        (false, Some(y)) => queries::village_figures(&state.store, actor, &code, y.year)
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
    render(
        &state,
        &ctx,
        "dashboard.html",
        context! {
            unit => code,
            unit_name => report.unit_name,
            is_province,
            villages,
            province => province_of(&code),
            years,
            chart,
            profile_chart,
            communes,
            sort,
            q => q.q,
            last_year => last.map(|y| y.year),
            transitions,
            decrease,
            minority_decrease,
            target => report.target_points.map(|t| lang.dec2(t)),
            target_raw => report.target_points,
            achievement,
            from => report.years.first().map(|y| y.year),
            to => last.map(|y| y.year),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct HouseholdsQuery {
    q: Option<String>,
    class: Option<String>,
    village: Option<String>,
    ethnic: Option<String>,
    deprivation: Option<String>,
    year: Option<i32>,
    page: Option<i64>,
}

pub async fn households(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HouseholdsQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let years = queries::unit_years(&state.store, actor, &code)
        .await
        .map_err(qe(lang))?;
    let year = q
        .year
        .filter(|y| years.contains(y))
        .or(years.last().copied())
        .unwrap_or(2025);
    let page = page_number(q.page, lang)?;
    if q.q
        .as_deref()
        .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(WebError::Status(StatusCode::BAD_REQUEST, lang));
    }
    let query = HouseholdQuery {
        unit: code.clone(),
        year,
        text: nonempty(&q.q).map(|t| giamngheo_app::import::fold_name(&t)),
        class: nonempty(&q.class),
        village: nonempty(&q.village),
        ethnic_code: nonempty(&q.ethnic),
        deprivation: nonempty(&q.deprivation).and_then(|d| d.parse().ok()),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let found = queries::households(&state.store, actor, &query)
        .await
        .map_err(qe(lang))?;
    let lines: Vec<_> = found
        .lines
        .iter()
        .map(|h| {
            context! {
                id => h.id,
                code => h.code,
                commune => h.commune_name,
                village => h.village,
                head => h.head_name,
                class => h.class,
                class_name => lang.t(&h.class),
                deprivations => h.deprivation_count,
                members => h.members,
                minority => h.is_minority,
            }
        })
        .collect();
    let villages = if code.len() == 5 {
        queries::villages(&state.store, actor, &code)
            .await
            .map_err(qe(lang))?
    } else {
        Vec::new()
    };
    let std = state.standards.for_year(year);
    let indicators: Vec<_> = std
        .map(|s| {
            s.indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| context! { index => i, name => indicator_name(lang, ind) })
                .collect()
        })
        .unwrap_or_default();
    let ethnic: Vec<_> = Catalogue::builtin()
        .ethnic_groups()
        .iter()
        .map(|g| context! { code => g.code, name => g.name })
        .collect();
    let pages = (found.total + PAGE_SIZE - 1) / PAGE_SIZE;
    // the query string without the page, for the paging links
    let mut keep = Vec::new();
    for (k, v) in [
        ("q", &q.q),
        ("class", &q.class),
        ("village", &q.village),
        ("ethnic", &q.ethnic),
        ("deprivation", &q.deprivation),
    ] {
        if let Some(v) = nonempty(v) {
            keep.push(format!("{k}={}", crate::urlencode(&v)));
        }
    }
    keep.push(format!("year={year}"));
    let unit_name = unit_name(&code);
    render(
        &state,
        &ctx,
        "households.html",
        context! {
            unit => code,
            unit_name,
            year,
            years,
            total => if found.more { format!("> {}", lang.int(found.total)) } else { lang.int(found.total) },
            lines,
            page,
            pages,
            keep => keep.join("&"),
            q => q.q,
            class => q.class,
            village => q.village,
            ethnic_code => q.ethnic,
            deprivation => q.deprivation,
            villages,
            indicators,
            ethnic,
            classes => ["poor", "near_poor", "average", "not_poor"].map(|c| context! { code => c, name => lang.t(c) }),
        },
    )
}

fn indicator_name(lang: Lang, ind: &giamngheo_rules::standard::Indicator) -> String {
    match lang {
        Lang::Vi => ind.name_vi.clone(),
        Lang::En => ind.name_en.clone(),
    }
}

fn unit_name(code: &str) -> String {
    let cat = Catalogue::builtin();
    if code.len() == 2 {
        cat.communes()
            .find(|c| c.province_code == code)
            .map(|c| c.province_name.clone())
            .unwrap_or_default()
    } else {
        cat.commune(code)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }
}

/// Why an assessment has its class, in words: the income test and the deprivation count
/// against the standard's rule.
pub fn explain(lang: Lang, std: &Standard, a: &giamngheo_store::AssessmentLine) -> String {
    let area = if a.area == "urban" {
        Area::Urban
    } else {
        Area::Rural
    };
    let at_or_below = matches!(a.class.as_str(), "poor" | "near_poor");
    // the income test as it was made: on the income when given, else on the B1 proxy score
    let income_test = match (&a.income_per_capita, &a.b1_score) {
        (Some(i), _) => {
            let income = i
                .split('.')
                .next()
                .and_then(|i| i.parse::<i64>().ok())
                .map_or_else(|| i.clone(), |i| lang.money(i));
            let line = lang.money(a.income_line);
            match (lang, at_or_below) {
                (Lang::Vi, true) => format!("Thu nhập {income} không quá chuẩn {line}"),
                (Lang::Vi, false) => format!("Thu nhập {income} trên chuẩn {line}"),
                (Lang::En, true) => format!("Income {income} at or below the line of {line}"),
                (Lang::En, false) => format!("Income {income} above the line of {line}"),
            }
        }
        (None, Some(b)) => {
            let cutoff = std
                .b1_score_cutoff
                .as_ref()
                .map_or_else(|| "?".to_string(), |c| c.get(area).to_string());
            match (lang, at_or_below) {
                (Lang::Vi, true) => format!("Điểm B1 {b} không quá ngưỡng {cutoff}"),
                (Lang::Vi, false) => format!("Điểm B1 {b} trên ngưỡng {cutoff}"),
                (Lang::En, true) => format!("B1 score {b} at or below the cut-off of {cutoff}"),
                (Lang::En, false) => format!("B1 score {b} above the cut-off of {cutoff}"),
            }
        }
        _ => "?".to_string(),
    };
    let k = std.poor_min_deprivations;
    let n = a.deprivation_count;
    let band = std
        .average_band
        .as_ref()
        .map_or_else(|| "?".to_string(), |b| lang.money(b.get(area).up_to));
    let class_part = match (lang, a.class.as_str()) {
        (Lang::Vi, "poor") => format!(", và thiếu hụt {n} chỉ số (từ {k} trở lên): hộ nghèo."),
        (Lang::Vi, "near_poor") => format!(", và thiếu hụt {n} chỉ số (dưới {k}): hộ cận nghèo."),
        (Lang::Vi, "average") => {
            format!(", không quá {band}: hộ có mức sống trung bình.")
        }
        (Lang::Vi, _) => ": hộ không nghèo.".to_string(),
        (Lang::En, "poor") => format!(", and {n} deprivations ({k} or more): poor."),
        (Lang::En, "near_poor") => format!(", and {n} deprivations (fewer than {k}): near-poor."),
        (Lang::En, "average") => format!(", and at most {band}: average living standard."),
        (Lang::En, _) => ": not poor.".to_string(),
    };
    format!("{income_test}{class_part}")
}

/// A query value, trimmed; `None` when empty.
fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub async fn household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    // the use case checks the scope and masks the IDs the user may not see whole
    let h = queries::household(&state.store, actor, id)
        .await
        .map_err(qe(lang))?;
    let members: Vec<_> = h
        .members
        .iter()
        .map(|m| {
            context! {
                no => m.member_no,
                name => m.full_name,
                id_number => m.id_number,
                birth => if m.birth_precision >= 3 { lang.date(m.birth_date) } else { giamngheo_app::import::birth_text(m.birth_date, m.birth_precision as u8) },
                sex => if m.sex == "F" { lang.t("female") } else { lang.t("male") },
                ethnic => m.ethnic_name,
                relation => m.relation.as_deref().map(|r| match lang.t(&format!("relation_{r}")) { "?" => r.to_string(), t => t.to_string() }),
            }
        })
        .collect();
    let assessments: Vec<_> = h
        .assessments
        .iter()
        .map(|a| {
            let std = state.standards.get(&a.standard);
            let lacking: Vec<String> = std
                .map(|s| {
                    s.indicators
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i < 63 && (a.deprivations >> i) & 1 == 1)
                        .map(|(_, ind)| match lang {
                            Lang::Vi => ind.deprived_vi.clone(),
                            Lang::En => ind.deprived_en.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            context! {
                year => a.year,
                standard => std.map(|s| match lang { Lang::Vi => s.name_vi.clone(), Lang::En => s.name_en.clone() }).unwrap_or_else(|| a.standard.clone()),
                survey_date => lang.date(a.survey_date),
                area => lang.t(&a.area),
                class => a.class,
                class_name => lang.t(&a.class),
                why => std.map(|s| explain(lang, s, a)),
                lacking,
                transition => a.transition.as_deref().map(|t| lang.t(t)),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "household.html",
        context! {
            id => h.id,
            code => h.code,
            commune => h.commune_code,
            commune_name => h.commune_name,
            province => h.province_code,
            province_name => h.province_name,
            village => h.village,
            head => h.head_name,
            members,
            assessments,
            masked => !actor.sees_id_numbers(),
        },
    )
}

#[derive(Deserialize)]
pub struct FileQuery {
    from: Option<i32>,
    to: Option<i32>,
    target: Option<f64>,
}

pub async fn report_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let report = queries::unit_report(
        &state.reports,
        &state.store,
        &state.standards,
        actor,
        &code,
        (q.from, q.to),
        q.target,
    )
    .await
    .map_err(qe(ctx.lang))?;
    let body = match format.as_str() {
        "csv" => report.to_csv().into_bytes(),
        "xlsx" => workbook(|p| report.write_xlsx(p))?,
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, ctx.lang)),
    };
    Ok(attachment(&format!("giamngheo-{code}.{format}"), body))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook's bytes, written by `write` to a temporary file.
fn workbook<E: std::fmt::Display>(
    write: impl FnOnce(&std::path::Path) -> Result<(), E>,
) -> Result<Vec<u8>, WebError> {
    let internal = |e: &dyn std::fmt::Display| WebError::Internal(e.to_string());
    let dir = tempfile::tempdir().map_err(|e| internal(&e))?;
    let path = dir.path().join("book.xlsx");
    write(&path).map_err(|e| internal(&e))?;
    std::fs::read(&path).map_err(|e| internal(&e))
}

/// A download: its type from the name's extension.
fn attachment(name: &str, body: Vec<u8>) -> Response {
    let kind = if name.ends_with(".xlsx") {
        XLSX
    } else {
        "text/csv; charset=utf-8"
    };
    (
        [
            (CONTENT_TYPE, kind.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A unit's survey of a year as one workbook in the exchange format (it imports back as it is).
pub async fn survey_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let year: i32 = year
        .strip_suffix(".xlsx")
        .and_then(|y| y.parse().ok())
        .ok_or(WebError::Status(StatusCode::NOT_FOUND, ctx.lang))?;
    let tables = queries::survey_export(&state.store, actor, &code, year)
        .await
        .map_err(qe(ctx.lang))?;
    let body = workbook(|p| tables.write_xlsx(p))?;
    Ok(attachment(&format!("survey-{code}-{year}.xlsx"), body))
}

pub async fn import_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !queries::may_import_somewhere(actor) {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    render(&state, &ctx, "import.html", context! { result => () })
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let actor = ctx.user()?.clone();
    let lang = ctx.lang;
    if !queries::may_import_somewhere(&actor) {
        return Err(WebError::Status(StatusCode::FORBIDDEN, lang));
    }
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, lang);
    // a body over the limit is 413, any other unreadable form 400
    let unreadable =
        |e: axum::extract::multipart::MultipartError| WebError::Status(e.status(), lang);
    let dir = tempfile::tempdir_in(state.upload_dir.as_path())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let (mut csrf, mut year, mut legacy) = (String::new(), None::<i32>, false);
    let mut households: Option<std::path::PathBuf> = None;
    let mut members: Option<std::path::PathBuf> = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "year" => year = field.text().await.map_err(unreadable)?.trim().parse().ok(),
            "legacy_units" => legacy = true,
            "households" | "members" => {
                // the form sends its token first: no file of a forged request is written
                ctx.check_csrf(&csrf)?;
                let file_name = field.file_name().unwrap_or_default().to_lowercase();
                let ext = if file_name.ends_with(".xlsx") {
                    "xlsx"
                } else {
                    "csv"
                };
                let path = dir.path().join(format!("{name}.{ext}"));
                // streamed to disk a chunk at a time: memory holds one chunk, whatever the size
                let written = save_field(field, &path).await.map_err(|e| match e {
                    SaveError::Read(e) => unreadable(e),
                    SaveError::Write(e) => WebError::Internal(e.to_string()),
                })?;
                if written == 0 {
                    continue;
                }
                if name == "households" {
                    households = Some(path);
                } else {
                    members = Some(path);
                }
            }
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let (Some(year), Some(households)) = (year, households) else {
        return Err(bad());
    };
    let files = giamngheo_app::import::SurveyFiles {
        households,
        members,
    };
    let opts = giamngheo_app::import::ImportOptions {
        year,
        standard: None,
        legacy_units: legacy,
        who: giamngheo_store::Who {
            user_id: Some(actor.user_id),
            name: actor.name.clone(),
        },
        scope: Some(actor.clone()),
    };
    // the import runs on its own; the page that follows shows its progress, then its result
    let id = crate::jobs::next_id();
    state.jobs.start(id, actor.user_id, year);
    let jobs = state.jobs.clone();
    let task_state = state.clone();
    tokio::spawn(async move {
        let progress_jobs = jobs.clone();
        let mut progress = move |done: u64, all: u64| progress_jobs.progress(id, done, all);
        let result = giamngheo_app::import::import_survey(
            &task_state.store,
            &task_state.standards,
            &opts,
            &files,
            &mut progress,
        )
        .await;
        // the uploaded files' names in place of the temporary ones
        let dir_text = format!("{}/", dir.path().display());
        let show = |e: &giamngheo_survey::RowError| e.to_string().replace(&dir_text, "");
        let finished = match result {
            Ok(report) => crate::jobs::Finished {
                outcome: report.outcome.clone(),
                errors: report.errors.iter().take(500).map(show).collect(),
                more_errors: report.errors.len().saturating_sub(500),
                warnings: report.warnings.iter().take(500).map(show).collect(),
            },
            Err(e) => {
                tracing::error!("import: {e}");
                crate::jobs::Finished {
                    outcome: giamngheo_app::import::FileOutcome::Rejected { errors: 1 },
                    errors: vec![e.to_string()],
                    more_errors: 0,
                    warnings: Vec::new(),
                }
            }
        };
        jobs.finish(id, finished);
        drop(dir);
    });
    Ok(Redirect::to(&format!("/import/jobs/{id}")).into_response())
}

enum SaveError {
    Read(axum::extract::multipart::MultipartError),
    Write(std::io::Error),
}

/// Writes an uploaded file to `path` as it arrives; the bytes written.
async fn save_field(
    mut field: axum::extract::multipart::Field<'_>,
    path: &std::path::Path,
) -> Result<u64, SaveError> {
    use tokio::io::AsyncWriteExt;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(SaveError::Write)?;
    let mut written = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(SaveError::Read)? {
        file.write_all(&chunk).await.map_err(SaveError::Write)?;
        written += chunk.len() as u64;
    }
    file.flush().await.map_err(SaveError::Write)?;
    Ok(written)
}

/// An import's page: its progress while it runs (the page reloads itself every second, no
/// script needed), then its result with every error.
pub async fn import_job(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    // another user's import is not there for this one (and asking for it is a denial)
    let job = match state.jobs.get(id) {
        Some(j) if j.user_id == actor.user_id => j,
        Some(_) => return Err(WebError::Denied(StatusCode::NOT_FOUND, lang)),
        None => return Err(WebError::Status(StatusCode::NOT_FOUND, lang)),
    };
    let Some(done) = &job.finished else {
        let percent = (100 * job.done).checked_div(job.all).unwrap_or(0).min(100);
        return render(
            &state,
            &ctx,
            "import.html",
            context! { running => context! { percent, year => job.year } },
        );
    };
    let outcome = match done.outcome {
        giamngheo_app::import::FileOutcome::Imported {
            households,
            members,
            import_id,
        } => {
            context! { kind => "imported", households => lang.int(households as i64), members => lang.int(members as i64), import_id }
        }
        giamngheo_app::import::FileOutcome::AlreadyImported { import_id } => {
            context! { kind => "already", import_id }
        }
        giamngheo_app::import::FileOutcome::Rejected { errors } => {
            context! { kind => "rejected", errors => lang.int(errors as i64) }
        }
    };
    let status = if done.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(
        &state,
        &ctx,
        "import.html",
        context! {
            result => context! {
                outcome,
                year => job.year,
                errors => done.errors,
                more_errors => done.more_errors,
                warnings => done.warnings,
            }
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    user: Option<String>,
    action: Option<String>,
    record: Option<String>,
    page: Option<i64>,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    audit_page(&state, &ctx, &q, None).await
}

/// The audit log's page, with the result of a check against an exported head when one was asked.
async fn audit_page(
    state: &AppState,
    ctx: &Ctx,
    q: &AuditQuery,
    anchor: Option<(i64, String, giamngheo_store::Anchor)>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let page = page_number(q.page, lang)?;
    let filter = AuditFilter {
        user_name: nonempty(&q.user),
        action: nonempty(&q.action),
        record: nonempty(&q.record),
        units: None,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (entries, chain) = queries::audit_log(&state.store, actor, &filter)
        .await
        .map_err(qe(lang))?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|e| {
            context! {
                id => e.id,
                at => format!("{} {}", lang.date(e.at.date_naive()), e.at.format("%H:%M:%S")),
                user => e.user_name,
                action => e.action,
                record => e.record,
                unit => e.unit_code,
                before => e.before,
                after => e.after,
                hash => e.hash.get(..12).unwrap_or_default().to_string(),
            }
        })
        .collect();
    let (anchor_id, anchor_hash, anchor) = match anchor {
        Some((id, hash, a)) => (
            Some(id),
            Some(hash),
            Some(match a {
                giamngheo_store::Anchor::Holds => "chain_anchor_ok",
                giamngheo_store::Anchor::Missing => "chain_anchor_missing",
                giamngheo_store::Anchor::Differs => "chain_anchor_differs",
            }),
        ),
        None => (None, None, None),
    };
    render(
        state,
        ctx,
        "audit.html",
        context! {
            entries,
            page,
            chain_ok => chain.is_ok(),
            broken_at => chain.err(),
            user => q.user,
            action => q.action,
            record => q.record,
            anchor,
            anchor_id,
            anchor_hash,
        },
    )
}

/// The audit log's last entry as JSON, for an inspector to keep outside the system and check the
/// log against later.
pub async fn audit_head(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let head = queries::audit_head(&state.store, actor)
        .await
        .map_err(qe(ctx.lang))?;
    let body = giamngheo_store::AuditHead::export(head.as_ref());
    let mut r = attachment("audit-head.json", body.to_string().into_bytes());
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(r)
}

#[derive(Deserialize)]
pub struct AnchorForm {
    csrf: String,
    id: String,
    hash: String,
}

/// Checks the audit log against a head exported earlier.
pub async fn audit_verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AnchorForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, lang);
    let id: i64 = f.id.trim().parse().map_err(|_| bad())?;
    let hash = f.hash.trim().to_ascii_lowercase();
    if id < 1 || !auth::is_token(&hash) {
        return Err(bad());
    }
    let anchor = queries::audit_anchor(&state.store, actor, id, &hash)
        .await
        .map_err(qe(lang))?;
    audit_page(
        &state,
        &ctx,
        &AuditQuery::default(),
        Some((id, hash, anchor)),
    )
    .await
}

/// The most pages a list may be asked for (50 rows each).
const MAX_PAGE: i64 = 1_000_000;

/// A list's page number: 1 when none is given; a number past [`MAX_PAGE`] or below 1 is refused
/// (400), never wrapped.
fn page_number(page: Option<i64>, lang: Lang) -> Result<i64, WebError> {
    match page {
        None => Ok(1),
        Some(p) if (1..=MAX_PAGE).contains(&p) => Ok(p),
        Some(_) => Err(WebError::Status(StatusCode::BAD_REQUEST, lang)),
    }
}

/// The longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

pub async fn style() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

pub async fn not_found(ctx: Ctx) -> Response {
    crate::error_page(StatusCode::NOT_FOUND, ctx.lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use giamngheo_rules::chrono::NaiveDate;
    use giamngheo_rules::Standards;
    use giamngheo_store::AssessmentLine;

    fn line(class: &str, income: Option<&str>, b1: Option<&str>, n: i32) -> AssessmentLine {
        AssessmentLine {
            year: 2025,
            standard: "vn-2022-2025".into(),
            survey_date: NaiveDate::from_ymd_opt(2025, 10, 1).expect("date"),
            area: "rural".into(),
            income_line: 1_500_000,
            income_per_capita: income.map(str::to_string),
            b1_score: b1.map(str::to_string),
            class: class.into(),
            deprivations: 0,
            deprivation_count: n,
            transition: None,
            without_working_capacity: None,
            members: 3,
            import_id: None,
            answers: "{}".into(),
        }
    }

    #[test]
    fn the_class_is_explained_by_the_test_that_decided_it() {
        let standards = Standards::builtin().expect("standards");
        let std = standards.get("vn-2022-2025").expect("standard");
        let e = |l: &AssessmentLine, lang| explain(lang, std, l);
        assert_eq!(
            e(&line("poor", Some("1200000"), None, 4), Lang::Vi),
            "Thu nhập 1.200.000 đ không quá chuẩn 1.500.000 đ, và thiếu hụt 4 chỉ số (từ 3 trở lên): hộ nghèo."
        );
        assert_eq!(
            e(&line("near_poor", Some("1500000"), None, 2), Lang::En),
            "Income 1,500,000 VND at or below the line of 1,500,000 VND, and 2 deprivations (fewer than 3): near-poor."
        );
        assert_eq!(
            e(&line("average", Some("2250000"), None, 0), Lang::Vi),
            "Thu nhập 2.250.000 đ trên chuẩn 1.500.000 đ, không quá 2.250.000 đ: hộ có mức sống trung bình."
        );
        assert_eq!(
            e(&line("not_poor", Some("2250001"), None, 5), Lang::En),
            "Income 2,250,001 VND above the line of 1,500,000 VND: not poor."
        );
        // the proxy score, when no income was given, against its own cut-off
        assert_eq!(
            e(&line("poor", None, Some("140"), 3), Lang::Vi),
            "Điểm B1 140 không quá ngưỡng 140, và thiếu hụt 3 chỉ số (từ 3 trở lên): hộ nghèo."
        );
    }
}
