//! giamngheo's web application: server-rendered pages in Vietnamese and English, SVG charts,
//! logins with sessions and CSRF tokens, and the JSON API under `/api/v1`. Every handler asks
//! `giamngheo_app::access` whether the user may see the unit or record; outside their scope it
//! answers 404, as if it did not exist.

pub mod api;
pub mod auth;
pub mod charts;
pub mod i18n;
pub mod jobs;
pub mod pages;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use giamngheo_app::access::{Actor, Denied, Role};
use giamngheo_rules::Standards;
use giamngheo_store::Store;
use i18n::Lang;
use minijinja::Environment;
use std::sync::Arc;

/// Uploads larger than this are refused (a province's survey as one workbook fits).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub standards: Arc<Standards>,
    pub templates: Arc<Environment<'static>>,
    pub limiter: Arc<auth::LoginLimiter>,
    /// Where uploads are written while they are imported.
    pub upload_dir: Arc<std::path::PathBuf>,
    /// Requests with a larger body are refused (413).
    pub max_upload: usize,
    /// Reports of units, until the registry changes.
    pub reports: Arc<giamngheo_app::report::ReportCache>,
    /// Imports started from the web.
    pub jobs: Arc<jobs::Jobs>,
    /// Cookies get `Secure` (the site is served over HTTPS, through a proxy or not).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, standards: Standards) -> AppState {
        AppState {
            store,
            standards: Arc::new(standards),
            templates: Arc::new(templates()),
            limiter: Arc::new(auth::LoginLimiter::default()),
            upload_dir: Arc::new(std::env::temp_dir()),
            max_upload: MAX_UPLOAD_BYTES,
            reports: Arc::new(Default::default()),
            jobs: Arc::new(Default::default()),
            secure_cookies: false,
        }
    }
}

/// The templates, built into the binary.
fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, text) in [
        ("base.html", include_str!("../templates/base.html")),
        ("login.html", include_str!("../templates/login.html")),
        (
            "dashboard.html",
            include_str!("../templates/dashboard.html"),
        ),
        (
            "households.html",
            include_str!("../templates/households.html"),
        ),
        (
            "household.html",
            include_str!("../templates/household.html"),
        ),
        ("import.html", include_str!("../templates/import.html")),
        ("audit.html", include_str!("../templates/audit.html")),
        ("error.html", include_str!("../templates/error.html")),
        ("home.html", include_str!("../templates/home.html")),
    ] {
        if let Err(e) = env.add_template(name, text) {
            // a template that does not parse is a build defect: the tests render every one
            tracing::error!("template {name}: {e}");
        }
    }
    env
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    let limit = state.max_upload;
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang/{code}", get(pages::set_lang))
        .route("/units/{code}", get(pages::dashboard))
        .route("/units/{code}/households", get(pages::households))
        .route("/units/{code}/report.{format}", get(pages::report_file))
        .route("/units/{code}/survey-{year}", get(pages::survey_file))
        .route("/households/{id}", get(pages::household))
        .route("/import", get(pages::import_form).post(pages::import))
        .route("/import/jobs/{id}", get(pages::import_job))
        .route("/audit", get(pages::audit))
        .route("/static/style.css", get(pages::style))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api::router())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(tower_http::compression::CompressionLayer::new())
        // no script runs on these pages, nothing loads from elsewhere, no framing
        .layer(header_layer(
            "content-security-policy",
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(header_layer("x-content-type-options", "nosniff"))
        .layer(header_layer("x-frame-options", "DENY"))
        .layer(header_layer("referrer-policy", "same-origin"))
        .with_state(state)
}

fn header_layer(
    name: &'static str,
    value: &'static str,
) -> tower_http::set_header::SetResponseHeaderLayer<HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        axum::http::HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

/// The request's user (when logged in), language and CSRF token.
pub struct Ctx {
    pub actor: Option<Actor>,
    pub csrf: Option<String>,
    pub token_hash: Option<String>,
    pub lang: Lang,
    /// The path and query asked for, to come back to after logging in.
    pub path: String,
    /// The client's address, when the server knows it.
    pub ip: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, WebError> {
        let cookies = parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("; ");
        let lang = auth::cookie(&cookies, auth::LANG_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let mut ctx = Ctx {
            actor: None,
            csrf: None,
            token_hash: None,
            lang,
            path,
            ip,
        };
        if let Some(token) = auth::cookie(&cookies, auth::SESSION_COOKIE) {
            let hash = auth::token_hash(token);
            if let Some(s) = state.store.session(&hash).await.map_err(WebError::from)? {
                if let Some(role) = Role::from_code(&s.user.role) {
                    ctx.actor = Some(Actor {
                        user_id: s.user.id,
                        name: s.user.name.clone(),
                        full_name: s.user.full_name.clone(),
                        role,
                        unit: s.user.unit_code.clone(),
                    });
                    ctx.csrf = Some(s.csrf_token);
                    ctx.token_hash = Some(hash);
                }
            }
        }
        Ok(ctx)
    }
}

impl Ctx {
    /// The logged-in user, or a redirect to the login page.
    pub fn user(&self) -> Result<&Actor, WebError> {
        self.actor.as_ref().ok_or_else(|| WebError::Login {
            next: self.path.clone(),
        })
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, given: &str) -> Result<(), WebError> {
        match &self.csrf {
            Some(expected) if auth::same_token(expected, given) => Ok(()),
            _ => Err(WebError::Status(StatusCode::FORBIDDEN, self.lang)),
        }
    }
}

/// A handler's failure, answered as a page (or JSON under `/api/v1`).
#[derive(Debug)]
pub enum WebError {
    /// Not logged in: to the login page, then back.
    Login {
        next: String,
    },
    Status(StatusCode, Lang),
    Internal(String),
}

impl WebError {
    pub fn denied(d: Denied, lang: Lang) -> WebError {
        match d {
            Denied::NotFound => WebError::Status(StatusCode::NOT_FOUND, lang),
            Denied::Forbidden => WebError::Status(StatusCode::FORBIDDEN, lang),
        }
    }
}

impl From<giamngheo_store::StoreError> for WebError {
    fn from(e: giamngheo_store::StoreError) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> WebError {
        WebError::Internal(format!("template: {e:#}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Login { next } => {
                let next = if next.starts_with('/') && !next.starts_with("//") {
                    next
                } else {
                    "/".into()
                };
                Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
            }
            WebError::Status(status, lang) => error_page(status, lang),
            WebError::Internal(e) => {
                tracing::error!("{e}");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, Lang::Vi)
            }
        }
    }
}

/// A plain error page (no template, so that it never fails itself).
pub fn error_page(status: StatusCode, lang: Lang) -> Response {
    let key = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => "bad_request",
        _ => "server_error",
    };
    let body = format!(
        "<!doctype html><html lang=\"{l}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{code}</title>\
         <link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main class=\"error\">\
         <h1>{code}</h1><p>{msg}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        l = lang.code(),
        code = status.as_u16(),
        msg = lang.t(key),
        home = lang.t("dashboard"),
    );
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Serves the application until the process is stopped.
pub async fn serve(state: AppState, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
