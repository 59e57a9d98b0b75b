//! What the web tests share: a site on a registry with the example survey and one user per role,
//! and a client that logs in through the real forms.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use giamngheo_app::access::Role;
use giamngheo_app::import::{ImportOptions, SurveyFiles};
use giamngheo_app::records::{AuditEntry, AuditFilter, HouseholdQuery, StoreOptions};
use giamngheo_app::{NewAccount, Registry};
use giamngheo_rules::{Standards, UnitCode};
use giamngheo_web::{router, AppState};
use http_body_util::BodyExt;
use std::path::PathBuf;
use tower::ServiceExt;

pub const PASSWORD: &str = "mật-khẩu-thử-1";

pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

pub struct Answer {
    pub status: StatusCode,
    pub csp: Option<String>,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub body: String,
    /// The body as sent (a download's bytes).
    pub bytes: Vec<u8>,
}

pub struct Site {
    pub state: AppState,
}

impl Site {
    pub async fn send(&self, mut req: Request<Body>) -> Answer {
        // every request of these tests comes from one client address
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))));
        let r = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("answer");
        let status = r.status();
        let csp = r
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let location = r
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let cookies = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
            .collect();
        let bytes = r.into_body().collect().await.expect("body").to_bytes();
        Answer {
            status,
            csp,
            location,
            cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str, cookie: &str) -> Answer {
        self.send(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    pub async fn post_form(&self, uri: &str, cookie: &str, form: &str) -> Answer {
        self.send(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_string()))
                .expect("request"),
        )
        .await
    }

    /// Posts a multipart form (an upload).
    pub async fn post_multipart(
        &self,
        uri: &str,
        cookie: &str,
        kind: &str,
        body: String,
    ) -> Answer {
        self.send(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, kind)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// Posts an import and follows it to its result (the job page reloads until it is done).
    pub async fn import(&self, cookie: &str, kind: &str, body: impl Into<Body>) -> Answer {
        let r = self
            .send(
                Request::post("/import")
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, kind)
                    .body(body.into())
                    .expect("request"),
            )
            .await;
        let Some(job) = r
            .location
            .clone()
            .filter(|l| r.status == StatusCode::SEE_OTHER && l.starts_with("/import/jobs/"))
        else {
            return r;
        };
        let start = std::time::Instant::now();
        loop {
            let page = self.get(&job, cookie).await;
            if !page.body.contains("http-equiv=\"refresh\"") {
                return page;
            }
            assert!(page.body.contains("<progress"));
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "the import never ended"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The audit log's entries of an action, newest first.
    pub async fn audited(&self, action: &str) -> Vec<AuditEntry> {
        self.state
            .registry
            .unscoped()
            .audit_log(&AuditFilter {
                action: Some(action.into()),
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("the audit log")
    }

    /// Logs in; the session cookie.
    pub async fn login(&self, name: &str) -> String {
        let (status, cookie) = self.try_login(name, PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {name}");
        cookie.expect("session cookie")
    }

    pub async fn try_login(&self, name: &str, password: &str) -> (StatusCode, Option<String>) {
        let form = self.get("/login", "").await;
        let csrf = value_of(&form.body, "csrf");
        let cookie = form.cookies.join("; ");
        let r = self
            .post_form(
                "/login",
                &cookie,
                &format!("name={name}&password={}&csrf={csrf}&next=/", enc(password)),
            )
            .await;
        let session = r
            .cookies
            .iter()
            .find(|c| c.starts_with("gn_session=") && c.len() > "gn_session=".len())
            .cloned();
        (r.status, session)
    }
}

pub fn enc(s: &str) -> String {
    giamngheo_web::urlencode(s)
}

/// The value of a form's hidden input.
pub fn value_of(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).map(|i| i + key.len()).expect("the field");
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A registry at `url` with the survey of `dir` (the exchange format) imported for 2025.
pub async fn registry(url: &str, dir: &std::path::Path) -> Registry {
    let standards = Standards::builtin().expect("standards");
    let (registry, _) = Registry::open(&StoreOptions::new(url), standards)
        .await
        .expect("open");
    let files = SurveyFiles::find(dir).expect("a survey");
    let r = registry
        .unscoped()
        .import_survey(&ImportOptions::year(2025), &files, &mut |_, _| {})
        .await
        .expect("import");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    registry
}

pub async fn site(url: &str) -> Site {
    let registry = registry(url, &examples()).await;
    for (name, role, unit) in [
        ("admin", Role::Administrator, None),
        ("tinh", Role::ProvincialOfficer, Some("11")),
        ("hanoi", Role::ProvincialOfficer, Some("01")),
        ("xa", Role::CommuneOfficer, Some("03325")),
        ("lanhdao", Role::Leader, Some("11")),
        ("thanhtra", Role::Inspector, Some("11")),
    ] {
        registry
            .unscoped()
            .add_user(&NewAccount {
                name: name.into(),
                full_name: format!("{name} user"),
                role,
                unit: unit.and_then(UnitCode::parse),
                password: PASSWORD.into(),
            })
            .await
            .expect("user");
    }
    let mut state = AppState::new(registry);
    state.max_upload = 64 * 1024;
    Site { state }
}

/// The id of a household of a commune.
pub async fn household_of(site: &Site, commune: &str) -> i64 {
    let unit = UnitCode::parse(commune).expect("a commune");
    let page = site
        .state
        .registry
        .unscoped()
        .households(&HouseholdQuery {
            limit: 1,
            ..HouseholdQuery::new(unit, 2025)
        })
        .await
        .expect("households");
    page.lines[0].id
}
