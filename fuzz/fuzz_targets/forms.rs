//! The web application on arbitrary form bodies: the login, logout, language, audit check and
//! import routes get the input as their body (URL-encoded or multipart, the first byte choosing)
//! and the rest of the request as a logged-in officer would send it. No input may panic a
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
        let (app, cookie) = rt.block_on(async {
            let store = giamngheo_store::Store::open(&url).await.expect("store");
            store
                .load_reference(&giamngheo_survey::reference())
                .await
                .expect("reference");
            let hash = giamngheo_web::auth::hash_password("fuzzing-password").expect("hash");
            let user = store
                .add_user(
                    &giamngheo_store::Who::cli(),
                    &giamngheo_store::NewUser {
                        name: "xa".into(),
                        full_name: "xa".into(),
                        role: "commune_officer".into(),
                        unit_code: Some("03325".into()),
                        password_hash: hash,
                    },
                )
                .await
                .expect("user");
            let users = store.users().await.expect("users");
            let u = users.into_iter().find(|u| u.id == user).expect("the user");
            let token = giamngheo_web::auth::token();
            store
                .open_session(
                    &u,
                    &giamngheo_web::auth::token_hash(&token),
                    &"0".repeat(64),
                    giamngheo_rules::chrono::Utc::now()
                        + giamngheo_rules::chrono::Duration::hours(1),
                )
                .await
                .expect("session");
            let mut state = giamngheo_web::AppState::new(
                store,
                giamngheo_rules::Standards::builtin().expect("standards"),
            );
            state.upload_dir = std::sync::Arc::new(dir.path().to_path_buf());
            (
                giamngheo_web::router(state),
                format!("{}={token}", giamngheo_web::auth::SESSION_COOKIE),
            )
        });
        World {
            rt,
            app,
            cookie,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let w = world();
    let (method, path, kind) = match choice % 6 {
        0 => ("POST", "/login", "application/x-www-form-urlencoded"),
        1 => ("POST", "/logout", "application/x-www-form-urlencoded"),
        2 => ("POST", "/audit/verify", "application/x-www-form-urlencoded"),
        3 => ("POST", "/import", "multipart/form-data; boundary=b"),
        4 => ("GET", "/lang/en", ""),
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
            format!("{}; gn_login_csrf={}", w.cookie, "0".repeat(64)),
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
