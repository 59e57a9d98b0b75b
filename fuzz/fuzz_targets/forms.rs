//! The web application on arbitrary form bodies: the login, logout, language, audit check,
//! import, account, password and survey form (Phiếu B) routes get the input as their body (URL-encoded or multipart,
//! the first byte choosing) and the rest of the request as a logged-in provincial officer would
//! send it (who imports for the province's communes and manages their accounts). No input may panic a
//! handler or answer 500, and no redirect may leave the site.
#![no_main]

use axum::body::Body;
use axum::http::{header, Request};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    cookie: String,
    /// The session's CSRF token: 64 zeros in an input stand for it (the seeds carry them), so
    /// that the fuzzer reaches past the token's check.
    csrf: String,
    _dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = dir.path().join("fuzz.db").display().to_string();
        let (app, cookie, csrf) = rt.block_on(async {
            let standards = giamngheo_rules::Standards::builtin().expect("standards");
            let (registry, _) = giamngheo_app::Registry::open(
                &giamngheo_app::records::StoreOptions::new(url),
                standards,
            )
            .await
            .expect("registry");
            // the fuzzer's officer (#1), and a commune's account they manage (#2)
            for (name, role, unit) in [
                ("tinh", giamngheo_app::access::Role::ProvincialOfficer, "11"),
                ("xa", giamngheo_app::access::Role::CommuneOfficer, "03325"),
            ] {
                registry
                    .unscoped()
                    .add_user(&giamngheo_app::NewAccount {
                        name: name.into(),
                        full_name: name.into(),
                        role,
                        unit: giamngheo_rules::UnitCode::parse(unit),
                        password: "fuzzing-password".into(),
                    })
                    .await
                    .expect("user");
            }
            // a commune's 2025, and its 2026 review with every listed household screened: the
            // fuzzer's officer fills in the first one's Phiếu B (review #2, case #1)
            let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/survey-2025/households.csv");
            let files = giamngheo_app::import::SurveyFiles::find(&examples).expect("examples");
            let imported = registry
                .unscoped()
                .import_survey(
                    &giamngheo_app::import::ImportOptions::year(2025),
                    &files,
                    &mut |_, _| {},
                )
                .await
                .expect("import");
            assert!(imported.errors.is_empty(), "{:?}", imported.errors);
            let officer = giamngheo_app::access::Actor {
                user_id: 1,
                name: "tinh".into(),
                full_name: String::new(),
                role: giamngheo_app::access::Role::ProvincialOfficer,
                unit: giamngheo_rules::UnitCode::parse("11"),
            };
            let scoped = registry.for_actor(&officer);
            let day = |d: &str| d.parse().expect("a date");
            let plan = giamngheo_app::reviews::PlanForm {
                year: 2026,
                plan_number: "1/KH".into(),
                plan_date: day("2026-08-20"),
                starts: day("2026-09-01"),
                ends: day("2026-12-14"),
            };
            let province = giamngheo_rules::UnitCode::parse("11").expect("unit");
            let commune = giamngheo_rules::CommuneCode::parse("03325").expect("commune");
            let p = scoped.plan_review(&province, &plan).await.expect("plan");
            let window = scoped
                .plan_commune(p, &commune, &plan)
                .await
                .expect("window");
            scoped.list_households(window).await.expect("list");
            let cases: Vec<i64> = scoped
                .cases(window, None)
                .await
                .expect("cases")
                .iter()
                .map(|c| c.id)
                .collect();
            scoped.screen(window, &cases, true).await.expect("screen");
            let limiter = giamngheo_app::session::LoginLimiter::default();
            let token = match registry
                .sessions()
                .login(&limiter, "tinh", "fuzzing-password", None)
                .await
                .expect("login")
            {
                giamngheo_app::Login::Opened { token } => token,
                other => panic!("the fuzzer's user cannot log in: {other:?}"),
            };
            let csrf = registry
                .sessions()
                .resume(&token)
                .await
                .expect("session")
                .expect("an open session")
                .csrf;
            let mut state = giamngheo_web::AppState::new(registry);
            state.upload_dir = std::sync::Arc::new(dir.path().to_path_buf());
            (
                giamngheo_web::router(state),
                format!("{}={token}", giamngheo_web::auth::SESSION_COOKIE),
                csrf,
            )
        });
        World {
            rt,
            app,
            cookie,
            csrf,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let w = world();
    let zeros = [b'0'; 64];
    let mut input = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.windows(64).position(|x| x == zeros) {
        input.extend_from_slice(&rest[..i]);
        input.extend_from_slice(w.csrf.as_bytes());
        rest = &rest[i + 64..];
    }
    input.extend_from_slice(rest);
    let body = input.as_slice();
    let form = "application/x-www-form-urlencoded";
    let (method, path, kind) = match choice % 10 {
        0 => ("POST", "/login", form),
        1 => ("POST", "/logout", form),
        2 => ("POST", "/audit/verify", form),
        3 => ("POST", "/import", "multipart/form-data; boundary=b"),
        4 => ("GET", "/lang/en", ""),
        5 => ("POST", "/reviews/2/cases/1/survey", form),
        6 => ("POST", "/users", form),
        7 => ("POST", "/users/2", form),
        8 => ("POST", "/users/2/active", form),
        9 => ("POST", "/account/password", form),
        _ => ("GET", "/login", ""),
    };
    // a GET takes the input as its query
    let uri = if method == "GET" {
        format!(
            "{path}?{}",
            String::from_utf8_lossy(body).replace(['#', ' '], "")
        )
    } else {
        path.to_string()
    };
    let Ok(req) = Request::builder()
        .method(method)
        .uri(&uri)
        .header(header::CONTENT_TYPE, kind)
        .header(
            header::COOKIE,
            format!("{}; gn_login_csrf={}", w.cookie, w.csrf),
        )
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    let r =
        w.rt.block_on(w.app.clone().oneshot(req))
            .expect("an answer");
    assert!(
        !r.status().is_server_error(),
        "{} {uri}: {}",
        method,
        r.status()
    );
    if let Some(loc) = r.headers().get(header::LOCATION) {
        let loc = loc.to_str().expect("a header of text");
        assert!(
            loc.starts_with('/') && !loc.starts_with("//") && !loc.contains('\\'),
            "redirect to {loc}"
        );
    }
});
