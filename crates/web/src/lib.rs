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
use giamngheo_app::access::{Actor, Denied};
use giamngheo_app::{OpenSession, Registry};
use i18n::{Lang, Pages};
use minijinja::Environment;
use std::sync::Arc;

/// Uploads larger than this are refused (a province's survey as one workbook fits).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Bodies of every other request (a login, a form) are refused past this.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// A request line's path and query longer than this is refused (414).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The registry: every read and write goes through its handles.
    pub registry: Registry,
    pub templates: Arc<Environment<'static>>,
    pub limiter: Arc<auth::LoginLimiter>,
    /// Where uploads are written while they are imported.
    pub upload_dir: Arc<std::path::PathBuf>,
    /// Requests with a larger body are refused (413).
    pub max_upload: usize,
    /// Imports started from the web.
    pub jobs: Arc<jobs::Jobs>,
    /// Cookies get `Secure` and responses HSTS (the site is served over HTTPS, through a proxy
    /// or not).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the login limiter and the
    /// audit log); any other peer is the client itself.
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl AppState {
    pub fn new(registry: Registry) -> AppState {
        AppState {
            registry,
            templates: Arc::new(templates()),
            limiter: Arc::new(auth::LoginLimiter::default()),
            upload_dir: Arc::new(std::env::temp_dir()),
            max_upload: MAX_UPLOAD_BYTES,
            jobs: Arc::new(Default::default()),
            secure_cookies: false,
            trusted_proxies: Arc::new(Vec::new()),
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
        ("users.html", include_str!("../templates/users.html")),
        ("user.html", include_str!("../templates/user.html")),
        (
            "account_fields.html",
            include_str!("../templates/account_fields.html"),
        ),
        ("password.html", include_str!("../templates/password.html")),
        ("reviews.html", include_str!("../templates/reviews.html")),
        ("money.html", include_str!("../templates/money.html")),
        ("support.html", include_str!("../templates/support.html")),
        ("models.html", include_str!("../templates/models.html")),
        ("model.html", include_str!("../templates/model.html")),
        ("outcomes.html", include_str!("../templates/outcomes.html")),
        ("checks.html", include_str!("../templates/checks.html")),
        ("targets.html", include_str!("../templates/targets.html")),
        (
            "support_duplicates.html",
            include_str!("../templates/support_duplicates.html"),
        ),
        (
            "money_plans.html",
            include_str!("../templates/money_plans.html"),
        ),
        (
            "survey_form.html",
            include_str!("../templates/survey_form.html"),
        ),
        ("meetings.html", include_str!("../templates/meetings.html")),
        ("review.html", include_str!("../templates/review.html")),
        ("posting.html", include_str!("../templates/posting.html")),
        (
            "certificates.html",
            include_str!("../templates/certificates.html"),
        ),
        (
            "decisions.html",
            include_str!("../templates/decisions.html"),
        ),
    ] {
        if let Err(e) = env.add_template(name, text) {
            // a template that does not parse is a build defect: the tests render every one
            tracing::error!("template {name}: {e}");
        }
    }
    env
}

/// A route of the application: a method and a path pattern, as registered with the router.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: String,
}

/// Routes registered one method at a time, each written down as it is added: the router and the
/// list of what it serves come from the same calls, so the list cannot fall behind ([`routes`]).
pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }
}

impl Routes {
    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: axum::routing::MethodRouter<AppState>,
    ) -> Self {
        self.list.push(RouteInfo {
            method,
            path: path.to_string(),
        });
        // a second method on a path already routed joins the first
        self.router = self.router.route(path, route);
        self
    }

    pub fn get<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, post(handler))
    }

    /// A `POST` whose body may be as large as `limit` (every other route takes
    /// [`MAX_FORM_BYTES`]).
    pub fn post_up_to<H, T>(self, path: &'static str, handler: H, limit: usize) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            "POST",
            path,
            post(handler).layer(DefaultBodyLimit::max(limit)),
        )
    }

    /// Another set of routes under `prefix`.
    pub fn nest(mut self, prefix: &str, inner: Routes) -> Self {
        self.list.extend(inner.list.into_iter().map(|r| RouteInfo {
            method: r.method,
            path: format!("{prefix}{}", r.path),
        }));
        self.router = self.router.nest(prefix, inner.router);
        self
    }

    /// What answers a path no route has.
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }
}

/// The pages', downloads' and forms' routes, and the API's under `/api/v1`.
fn app_routes(max_upload: usize) -> Routes {
    Routes::default()
        .get("/", pages::home)
        .get("/login", pages::login_form)
        .post("/login", pages::login)
        .post("/logout", pages::logout)
        .get("/lang/{code}", pages::set_lang)
        .get("/units/{code}", pages::dashboard)
        .get("/units/{code}/households", pages::households)
        .get("/units/{code}/report.{format}", pages::report_file)
        .get("/units/{code}/survey-{year}", pages::survey_file)
        .get("/households/{id}", pages::household)
        .post("/households/{id}/request", pages::file_request)
        .post("/households/{id}/changes", pages::record_change)
        .get("/units/{code}/reviews", pages::unit_reviews)
        .post("/units/{code}/reviews", pages::create_review)
        .post("/units/{code}/reviews/lock", pages::lock_year)
        .get("/units/{code}/money", pages::money::money_page)
        .post("/units/{code}/money/plans", pages::money::add_plan)
        .get("/units/{code}/money/plans", pages::money::plan_history)
        .post("/units/{code}/money/payments", pages::money::add_payment)
        .post("/units/{code}/money/estimates", pages::money::add_estimate)
        .post_up_to(
            "/units/{code}/money/import",
            pages::money::import_money,
            max_upload,
        )
        .get("/money/template.xlsx", pages::money::money_template)
        .get("/units/{code}/support", pages::support::support_list)
        .get(
            "/units/{code}/support/{file}",
            pages::models::support_export,
        )
        .get("/units/{code}/models", pages::models::models_page)
        .post_up_to(
            "/units/{code}/models/import",
            pages::models::import_models,
            max_upload,
        )
        .get("/models/template.xlsx", pages::models::models_template)
        .get("/units/{code}/models/{file}", pages::models::models_export)
        .get("/models/{id}", pages::models::model_page)
        .get("/units/{code}/outcomes", pages::models::outcomes_page)
        .get("/checks", pages::checks::checks_page)
        .post_up_to("/checks", pages::checks::check_upload, max_upload)
        .get("/units/{code}/targets", pages::targets::targets_page)
        .post("/units/{code}/targets", pages::targets::set_target)
        .get(
            "/units/{code}/support/duplicates",
            pages::support::support_duplicates,
        )
        .post("/households/{id}/support", pages::support::add_support)
        .get("/support/template.xlsx", pages::support::support_template)
        .post_up_to(
            "/units/{code}/support/import",
            pages::support::import_support,
            max_upload,
        )
        .get("/units/{code}/money/{file}", pages::money::money_export)
        .get("/reviews/{id}", pages::board)
        .get("/reviews/{id}/certificates", pages::certificates)
        .get("/reviews/{id}/decisions", pages::decisions)
        .get("/reviews/{id}/meetings", pages::meetings)
        .post("/reviews/{id}/{action}", pages::take_step)
        .get("/reviews/{id}/cases/{case}/survey", pages::survey_form)
        .post(
            "/reviews/{id}/cases/{case}/survey",
            pages::submit_survey_form,
        )
        .get("/public/reviews/{id}", pages::public_posting)
        .get("/import", pages::import_form)
        // the one route that takes a large body
        .post_up_to("/import", pages::import, max_upload)
        .get("/import/jobs/{id}", pages::import_job)
        .get("/import/template.xlsx", pages::import_template)
        .get("/import/phieu-b-xlsform.xlsx", pages::import_xlsform)
        .get("/users", pages::users)
        .post("/users", pages::add_user)
        .get("/users/{id}", pages::user)
        .post("/users/{id}", pages::update_user)
        .post("/users/{id}/active", pages::set_active)
        .post("/users/{id}/password", pages::reset_password)
        .get("/account/password", pages::password_form)
        .post("/account/password", pages::change_password)
        .get("/audit", pages::audit)
        .get("/audit/head.json", pages::audit_head)
        .post("/audit/verify", pages::audit_verify)
        .get("/static/style.css", pages::style)
        .get("/healthz", || async { "ok" })
        .nest("/api/v1", api::routes())
}

/// Every route the application serves, method and path pattern, in the order registered.
pub fn routes() -> Vec<RouteInfo> {
    app_routes(MAX_UPLOAD_BYTES).list
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    app_routes(state.max_upload)
        .router
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            framed_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit_denials,
        ))
        // inside the header layers, so that its own refusals carry them too
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard_request,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        // no script runs on these pages, nothing loads from elsewhere, no framing
        .layer(header_layer(
            "content-security-policy",
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(header_layer("x-content-type-options", "nosniff"))
        .layer(header_layer("x-frame-options", "DENY"))
        .layer(header_layer("referrer-policy", "same-origin"))
        // pages and data carry personal data: no cache keeps them, unless a handler says
        // otherwise (the style sheet)
        .layer(header_layer("cache-control", "no-store"))
        .with_state(state)
}

/// What every request meets first: a request line too long is refused (414), a body larger than
/// its route takes is refused by its `Content-Length` before a byte of it is read (413), and a
/// site served over HTTPS says so (HSTS).
async fn guard_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = request_lang(req.headers());
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return error_page(StatusCode::URI_TOO_LONG, lang);
    }
    let path = req.uri().path();
    let upload = path == "/import"
        || path == "/checks"
        || (path.starts_with("/units/")
            && (path.ends_with("/money/import")
                || path.ends_with("/support/import")
                || path.ends_with("/models/import")));
    let limit = if req.method() == axum::http::Method::POST && upload {
        state.max_upload
    } else {
        MAX_FORM_BYTES
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    match declared {
        Some(Ok(n)) if n > limit as u64 => {
            tracing::warn!(length = n, limit, path = req.uri().path(), "body too large");
            let mut r = error_page(StatusCode::PAYLOAD_TOO_LARGE, lang);
            // the body is not read: the connection cannot be reused
            r.headers_mut().insert(
                axum::http::header::CONNECTION,
                HeaderValue::from_static("close"),
            );
            return r;
        }
        Some(Err(_)) => return error_page(StatusCode::BAD_REQUEST, lang),
        _ => {}
    }
    let mut r = next.run(req).await;
    if state.secure_cookies {
        r.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if r.status().is_server_error() {
        tracing::error!(status = r.status().as_u16(), "server error");
    }
    r
}

/// Marks a response as a refusal of a logged-in user's request by the scope rules, for the
/// audit log.
#[derive(Clone, Debug)]
pub struct AccessDenied;

/// Records in the audit log each request a logged-in user was refused by the scope rules (404
/// outside their units, 403 for their role).
async fn audit_denials(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().to_string();
    let cookies = cookie_header(req.headers());
    let ip = client_ip(req.extensions(), req.headers(), &state.trusted_proxies);
    let r = next.run(req).await;
    if r.extensions().get::<AccessDenied>().is_none() {
        return r;
    }
    let Some(token) = auth::cookie(&cookies, auth::SESSION_COOKIE) else {
        return r;
    };
    if let Ok(Some(s)) = state.registry.sessions().resume(token).await {
        let status = r.status().as_u16();
        tracing::info!(user = %s.actor.name, %path, status, "access denied");
        let recorded = state
            .registry
            .for_actor(&s.actor)
            .record_denial(&format!("{method} {path}"), status, ip.as_deref())
            .await;
        if let Err(e) = recorded {
            tracing::error!("audit of a denial: {e}");
        }
    }
    r
}

/// The `Cookie` headers of a request, joined.
pub fn cookie_header(headers: &axum::http::HeaderMap) -> String {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

fn request_lang(headers: &axum::http::HeaderMap) -> Lang {
    auth::cookie(&cookie_header(headers), auth::LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or_default()
}

/// The client's address of a request: the peer's, or, when the peer is a trusted proxy, the
/// last address of `X-Forwarded-For` that is not a trusted proxy itself.
pub fn client_ip(
    extensions: &axum::http::Extensions,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<String> {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    forwarded_client(peer, headers, trusted).map(|ip| ip.to_string())
}

/// The client of a request that came from `peer` with these headers, given the trusted proxies.
pub fn forwarded_client(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    // the proxies append: read from the right, past every trusted hop
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return Some(ip),
            // a malformed hop: nothing to its left can be trusted
            Err(_) => return Some(client),
        }
    }
    Some(client)
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

/// The request's session and user (when logged in), and its language.
pub struct Ctx {
    pub session: Option<OpenSession>,
    pub actor: Option<Actor>,
    /// The user's password was set by someone else: nothing opens until they change it.
    pub must_change_password: bool,
    pub csrf: Option<String>,
    pub lang: Lang,
    /// The path and query asked for, to come back to after logging in.
    pub path: String,
    /// The client's address, when the server knows it.
    pub ip: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, WebError> {
        let cookies = cookie_header(&parts.headers);
        let lang = auth::cookie(&cookies, auth::LANG_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let ip = client_ip(&parts.extensions, &parts.headers, &state.trusted_proxies);
        let session = match auth::cookie(&cookies, auth::SESSION_COOKIE) {
            Some(token) => state
                .registry
                .sessions()
                .resume(token)
                .await
                .map_err(WebError::from)?,
            None => None,
        };
        Ok(Ctx {
            must_change_password: session.as_ref().is_some_and(|s| s.must_change_password),
            actor: session.as_ref().map(|s| s.actor.clone()),
            csrf: session.as_ref().map(|s| s.csrf.clone()),
            session,
            lang,
            path,
            ip,
        })
    }
}

impl Ctx {
    /// The logged-in user, or a redirect to the login page (or, while the password set for
    /// them is not changed, to the page that changes it).
    pub fn user(&self) -> Result<&Actor, WebError> {
        let actor = self.account_user()?;
        if self.must_change_password {
            return Err(WebError::ChangePassword);
        }
        Ok(actor)
    }

    /// The logged-in user, even one who must change their password first: for the pages that
    /// change it and log out.
    pub fn account_user(&self) -> Result<&Actor, WebError> {
        self.actor.as_ref().ok_or_else(|| WebError::Login {
            next: self.path.clone(),
        })
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, given: &str) -> Result<(), WebError> {
        match &self.csrf {
            Some(expected) if auth::is_token(given) && auth::same_token(expected, given) => Ok(()),
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
    /// Logged in with a password someone else set: to the page that changes it.
    ChangePassword,
    Status(StatusCode, Lang),
    /// Refused by the scope rules (recorded in the audit log).
    Denied(StatusCode, Lang),
    Internal(String),
}

impl WebError {
    pub fn denied(d: Denied, lang: Lang) -> WebError {
        match d {
            Denied::NotFound => WebError::Denied(StatusCode::NOT_FOUND, lang),
            Denied::Forbidden => WebError::Denied(StatusCode::FORBIDDEN, lang),
        }
    }
}

impl From<giamngheo_app::records::StoreError> for WebError {
    fn from(e: giamngheo_app::records::StoreError) -> WebError {
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
            WebError::Login { next } => Redirect::to(&format!(
                "/login?next={}",
                urlencode(&local_path(Some(&next)))
            ))
            .into_response(),
            WebError::ChangePassword => Redirect::to("/account/password").into_response(),
            WebError::Status(status, lang) => error_page(status, lang),
            WebError::Denied(status, lang) => {
                let mut r = error_page(status, lang);
                r.extensions_mut().insert(AccessDenied);
                r
            }
            WebError::Internal(e) => {
                tracing::error!("{e}");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, Lang::Vi)
            }
        }
    }
}

/// The text key of the sentence an error page says for a status.
pub(crate) fn error_key(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::TOO_MANY_REQUESTS => "login_limited",
        StatusCode::BAD_REQUEST => "bad_request",
        _ => "server_error",
    }
}

/// Marks the plain error page, for [`framed_errors`] to put in the site's frame.
#[derive(Clone, Copy)]
struct ErrorPage {
    status: StatusCode,
}

/// An error page in the site's frame: the header with the user's menu, the sentence in the
/// reader's language and a way back. The plain page stays when the framed one cannot be made
/// (the session could not be read, or the template failed), so an error page never fails.
async fn framed_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = req.uri().clone();
    let headers = req.headers().clone();
    let connect = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .cloned();
    let plain = next.run(req).await;
    let Some(ErrorPage { status }) = plain.extensions().get::<ErrorPage>().copied() else {
        return plain;
    };
    let mut again = axum::http::Request::new(());
    *again.uri_mut() = uri;
    *again.headers_mut() = headers;
    if let Some(c) = connect {
        again.extensions_mut().insert(c);
    }
    let (mut parts, ()) = again.into_parts();
    let Ok(ctx) = Ctx::from_request_parts(&mut parts, &state).await else {
        return plain;
    };
    let Ok(mut framed) = pages::error_view(&state, &ctx, status) else {
        return plain;
    };
    *framed.status_mut() = status;
    if plain.extensions().get::<AccessDenied>().is_some() {
        framed.extensions_mut().insert(AccessDenied);
    }
    for (k, v) in plain.headers() {
        if k != CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
            framed.headers_mut().insert(k.clone(), v.clone());
        }
    }
    framed
}

/// A plain error page (no template, so that it never fails itself); in the site's frame once
/// [`framed_errors`] has seen it.
pub fn error_page(status: StatusCode, lang: Lang) -> Response {
    let key = error_key(status);
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
    r.extensions_mut().insert(ErrorPage { status });
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A path of this site to go to from a request's `next` or `back`, or `/`: only what parses as
/// a local path (one leading `/`, no scheme or host, no backslash, no control character or
/// space, which browsers strip or rewrite) is taken.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
                && n.parse::<axum::http::uri::PathAndQuery>().is_ok() =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The error page's template renders in both languages, for a visitor and for a logged-in
    /// user, with its code and sentence inside the site's header (the handlers answer errors
    /// with `error_page` for now, a plain page that cannot fail itself; every other template is
    /// rendered by the route tests).
    #[test]
    fn the_error_template_renders() {
        let env = templates();
        for lang in [Lang::Vi, Lang::En] {
            for user in [
                None,
                Some(minijinja::context! { name => "xa", unit => "03325", may_import => true }),
            ] {
                let html = env
                    .get_template("error.html")
                    .and_then(|t| {
                        t.render(minijinja::context! {
                            t => minijinja::Value::from_serialize(lang.texts()),
                            lang => lang.code(),
                            other_lang => lang.other().code(),
                            path => "/units/03325",
                            csrf => "0".repeat(64),
                            user => user.clone(),
                            page => minijinja::context! {
                                code => 404,
                                message => lang.t("not_found"),
                            },
                        })
                    })
                    .unwrap_or_else(|e| panic!("error.html: {e:#}"));
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(html.contains("<h1>404</h1>"), "{html}");
                assert!(html.contains(lang.t("not_found")), "{html}");
                assert!(html.contains("class=\"top\""), "the header: {html}");
                assert_eq!(
                    html.contains("action=\"/logout\""),
                    user.is_some(),
                    "{html}"
                );
            }
        }
    }
}
