//! The HTML pages, one module a feature: the session (login, logout, language, home), the
//! units' dashboards, the households, the downloads, the import and the audit log. What they
//! share is here: rendering a template for a request, the answer to a use case's refusal, and the
//! small readers of query values.

pub mod audit;
pub mod checks;
pub mod downloads;
pub mod households;
pub mod import;
pub mod models;
pub mod money;
pub mod reviews;
pub mod session;
pub mod support;
pub mod survey_form;
pub mod targets;
pub mod units;
pub mod users;

use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use giamngheo_app::QueryError;
use giamngheo_rules::UnitCode;
use minijinja::context;

pub use audit::{audit, audit_head, audit_verify};
pub use downloads::{report_file, survey_file};
pub use households::{household, households, record_change};
pub use import::{import, import_form, import_job, import_template, import_xlsform};
pub use reviews::{
    board, certificates, create_review, decisions, file_request, lock_year, meetings,
    public_posting, take_step, unit_reviews,
};
pub use session::{home, login, login_form, logout, set_lang};
pub use survey_form::{submit_survey_form, survey_form};
pub use units::dashboard;
pub use users::{
    add_user, change_password, password_form, reset_password, set_active, update_user, user, users,
};

/// Households per page of a list.
pub const PAGE_SIZE: i64 = 50;

/// An error's page in the site's frame (see `framed_errors`).
pub(crate) fn error_view(
    state: &AppState,
    ctx: &Ctx,
    status: axum::http::StatusCode,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    render(
        state,
        ctx,
        "error.html",
        context! {
            code => status.as_u16(),
            message => lang.t(crate::error_key(status)),
        },
    )
}

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
            unit => a.unit.map(|u| u.to_string()),
            may_import => a.may_import_somewhere(),
            may_audit => a.may_audit(),
            may_manage_users => a.may_manage_users(),
        }
    });
    let html = tmpl.render(context! {
        t => minijinja::Value::from_serialize(ctx.lang.texts()),
        lang => ctx.lang.code(),
        other_lang => ctx.lang.other().code(),
        path => ctx.path,
        printed => ctx.lang.now_in_vietnam(),
        csrf => ctx.csrf,
        user => user,
        page => page,
    })?;
    let mut r = Html(html).into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// A use case's refusal or failure as a page.
fn qe(lang: Lang) -> impl Fn(QueryError) -> WebError {
    move |e| match e {
        QueryError::Denied(d) => WebError::denied(d, lang),
        QueryError::Store(e) => WebError::from(e),
        QueryError::Invalid(_) | QueryError::Rejected(_) => {
            WebError::Status(StatusCode::BAD_REQUEST, lang)
        }
        QueryError::Export(e) => WebError::Internal(e.to_string()),
        QueryError::Import(e) => WebError::Internal(e.to_string()),
    }
}

/// A unit code of a path: a province or a commune, or no such page (404, as for a unit outside
/// the user's scope).
fn unit_code(code: &str, lang: Lang) -> Result<UnitCode, WebError> {
    UnitCode::parse(code).ok_or(WebError::Status(StatusCode::NOT_FOUND, lang))
}

/// A query value, trimmed; `None` when empty.
fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
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

fn unit_name(unit: &UnitCode) -> String {
    giamngheo_app::report::unit_name(unit).unwrap_or_default()
}

fn indicator_name(lang: Lang, ind: &giamngheo_rules::standard::Indicator) -> String {
    match lang {
        Lang::Vi => ind.name_vi.clone(),
        Lang::En => ind.name_en.clone(),
    }
}

pub async fn style() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

pub async fn not_found(ctx: Ctx) -> Response {
    crate::error_page(StatusCode::NOT_FOUND, ctx.lang)
}
