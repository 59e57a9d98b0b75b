//! Logging in and out, the language, and the first page after a login.

use super::{render, set_cookie, set_cookie_for};
use crate::auth::{self, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS};
use crate::i18n::{Lang, Pages};
use crate::{local_path, AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::Login;
use giamngheo_survey::Catalogue;
use minijinja::context;
use serde::Deserialize;

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
    login_page(&state, &ctx, q.next.as_deref(), None, None, StatusCode::OK)
}

fn login_page(
    state: &AppState,
    ctx: &Ctx,
    next: Option<&str>,
    name: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let token = auth::token();
    let mut r = render(
        state,
        ctx,
        "login.html",
        context! {
            next => local_path(next),
            // a failed login keeps the name typed (never the password)
            name => name.map(|n| n.chars().take(128).collect::<String>()),
            error => error.map(|k| ctx.lang.t(k)),
            login_csrf => token,
        },
    )?;
    *r.status_mut() = status;
    set_cookie_for(
        state,
        &mut r,
        &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict"),
    );
    Ok(r)
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
    let login = state
        .registry
        .sessions()
        .login(&state.limiter, &f.name, &f.password, ctx.ip.as_deref())
        .await?;
    let token = match login {
        Login::Opened { token } => token,
        Login::Held(why) => {
            tracing::warn!(name = %f.name.trim(), address = ?ctx.ip, ?why, "login held back");
            return login_page(
                &state,
                &ctx,
                f.next.as_deref(),
                Some(f.name.trim()),
                Some("login_limited"),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Login::Failed => {
            tracing::info!(name = %f.name.trim(), address = ?ctx.ip, "login failed");
            return login_page(
                &state,
                &ctx,
                f.next.as_deref(),
                Some(f.name.trim()),
                Some("login_failed"),
                StatusCode::UNAUTHORIZED,
            );
        }
    };
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

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    ctx.account_user()?;
    ctx.check_csrf(&f.csrf)?;
    if let Some(session) = &ctx.session {
        state.registry.sessions().logout(session).await?;
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
