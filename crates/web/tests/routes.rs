//! Logins, sessions and CSRF, masking of personal IDs, search with and without diacritics, import
//! with a bad row, language, the audit log. (Every route against every role and scope is the
//! matrix, tests/matrix.rs.) Run on SQLite and, when a server is given, PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use giamngheo_testing::databases;
use giamngheo_web::router;
use http_body_util::BodyExt;
use tower::ServiceExt;

mod support;
use support::*;

#[tokio::test]
async fn logins_sessions_and_csrf() {
    for db in databases().await {
        let mut site = site(&db.url).await;
        // not logged in: pages go to the login page, the API answers 401
        let r = site.get("/units/11", "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/login?next=/units/11"));
        assert_eq!(
            site.get("/api/v1/me", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            site.get("/api/v1/units/11/report", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        // a login form posted without the token it came with is refused
        let r = site
            .post_form(
                "/login",
                "",
                &format!("name=tinh&password={}&csrf=x", enc(PASSWORD)),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // a wrong password, five times: then even the right one waits
        for _ in 0..4 {
            let (status, cookie) = site.try_login("tinh", "wrong password").await;
            assert_eq!((status, cookie), (StatusCode::UNAUTHORIZED, None));
        }
        let (status, _) = site.try_login("tinh", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, cookie) = site.try_login("tinh", PASSWORD).await;
        assert_eq!(
            (status, cookie),
            (StatusCode::TOO_MANY_REQUESTS, None),
            "{}",
            db.name
        );
        // the address has failed five times of its ten: another name may still log in...
        let (status, _) = site.try_login("xa", PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // ...and that success leaves the address's count where it was: five more failures
        // under other names, and the address is held back for any name
        for i in 0..5 {
            let (status, _) = site
                .try_login(&format!("nobody{i}"), "wrong password")
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let (status, _) = site.try_login("xa", PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // (the window passes)
        site.state.limiter = std::sync::Arc::new(Default::default());
        // behind HTTPS the session cookie is Secure, HttpOnly and SameSite
        site.state.secure_cookies = true;
        let form = site.get("/login", "").await;
        let csrf = value_of(&form.body, "csrf");
        let raw = router(site.state.clone())
            .oneshot(
                Request::post("/login")
                    .header(header::COOKIE, form.cookies.join("; "))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!(
                        "name=thanhtra&password={}&csrf={csrf}&next=/",
                        enc(PASSWORD)
                    )))
                    .expect("request"),
            )
            .await
            .expect("answer");
        let session = raw
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("gn_session="))
            .expect("a session cookie")
            .to_string();
        for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(session.contains(flag), "{session}");
        }
        site.state.secure_cookies = false;
        // another user logs in; a forged session does not
        let cookie = site.login("xa").await;
        assert_eq!(
            site.get("/units/03325", &cookie).await.status,
            StatusCode::OK
        );
        assert_eq!(
            site.get("/units/03325", "gn_session=forged").await.status,
            StatusCode::SEE_OTHER
        );
        // logging out needs the session's CSRF token
        let page = site.get("/units/03325", &cookie).await;
        let csrf = value_of(&page.body, "csrf");
        let r = site.post_form("/logout", &cookie, "csrf=wrong").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = site
            .post_form("/logout", &cookie, &format!("csrf={csrf}"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            site.get("/units/03325", &cookie).await.status,
            StatusCode::SEE_OTHER
        );
        // every login is in the audit log, chained
        let log = site.audited("session.login").await;
        assert_eq!(log.len(), 3, "{}: only the successful logins", db.name);
        // and every refused one: ten wrong passwords, two holds (each written once)
        for (action, n) in [("session.login_failed", 10), ("session.login_limited", 2)] {
            let log = site.audited(action).await;
            assert_eq!(log.len(), n, "{}: {action}", db.name);
        }
        assert!(site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("verify")
            .is_ok());
        site.state.registry.close().await;
    }
}

#[tokio::test]
async fn pages_search_mask_and_speak_both_languages() {
    for db in databases().await {
        let site = site(&db.url).await;
        let tinh = site.login("tinh").await;
        // search with and without diacritics finds the same households
        let with = site
            .get(&format!("/units/11/households?q={}", enc("Lò Thị")), &tinh)
            .await;
        let without = site.get("/units/11/households?q=lo+thi", &tinh).await;
        assert_eq!(with.status, StatusCode::OK);
        assert!(with.body.contains("2 hộ tìm thấy"), "{}", with.body);
        assert!(without.body.contains("2 hộ tìm thấy"));
        assert!(with.body.contains("DB-001") && with.body.contains("DB-007"));
        let code = site.get("/units/11/households?q=db-00", &tinh).await;
        assert!(code.body.contains("8 hộ tìm thấy"));
        let poor = site.get("/units/11/households?class=poor", &tinh).await;
        assert!(poor.body.contains("hộ tìm thấy"));
        assert!(!poor.body.contains("class not_poor"));
        // counts from the summaries (no filter, or a class) and counted (a search) agree with
        // the lines
        for q in [
            "",
            "&class=poor",
            "&class=near_poor",
            "&q=db-00",
            "&q=lo+thi",
            "&deprivation=0",
        ] {
            let r = site
                .get(&format!("/api/v1/units/11/households?limit=500{q}"), &tinh)
                .await;
            let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
            let lines = v["households"].as_array().map_or(0, Vec::len) as i64;
            assert_eq!(v["total"].as_i64(), Some(lines), "{} {q}", db.name);
            assert_eq!(v["more"], false);
        }
        // an officer sees personal IDs; a leader sees them masked
        let id = household_of(&site, "03325").await;
        let page = site.get(&format!("/households/{id}"), &tinh).await;
        assert!(page.body.contains("011082003417"), "{}", page.body);
        let leader = site.login("lanhdao").await;
        let page = site.get(&format!("/households/{id}"), &leader).await;
        assert!(!page.body.contains("011082003417"));
        assert!(page.body.contains("*********417"));
        let api = site.get(&format!("/api/v1/households/{id}"), &leader).await;
        assert!(!api.body.contains("011082003417") && api.body.contains("*********417"));
        // the class explained in words
        assert!(page.body.contains("Căn cứ phân loại"));
        // the dashboard: figures in Vietnamese, a chart, under 100 KB
        let dash = site.get("/units/11", &tinh).await;
        assert!(dash.body.contains("<svg") && dash.body.contains("Tỷ lệ hộ nghèo"));
        assert!(dash.body.len() < 100 * 1024, "{} bytes", dash.body.len());
        // no script may run, nothing loads from elsewhere
        assert!(dash.csp.as_deref().is_some_and(
            |c| c.contains("script-src 'none'") && c.contains("frame-ancestors 'none'")
        ));
        // a commune's page has its villages, each linking to its households
        let commune = site.get("/units/03325", &tinh).await;
        assert!(commune.body.contains("Các thôn, bản"), "{}", commune.body);
        assert!(
            commune
                .body
                .contains("village=B%E1%BA%A3n%20Che%20C%C4%83n"),
            "{}",
            commune.body
        );
        let village = site
            .get(
                &format!("/units/03325/households?village={}", enc("Bản Che Căn")),
                &tinh,
            )
            .await;
        assert!(village.body.contains("2 hộ tìm thấy"), "{}", village.body);
        // English: the switch sets a cookie and goes back
        let r = site.get("/lang/en?back=/units/11", &tinh).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/units/11"));
        assert!(r.cookies.iter().any(|c| c == "gn_lang=en"));
        let en = site.get("/units/11", &format!("{tinh}; gn_lang=en")).await;
        assert!(en.body.contains("Poverty rate") && en.body.contains("lang=\"en\""));
        assert!(!en.body.contains("Tỷ lệ hộ nghèo"));
        // a switch cannot send anyone to another site
        let r = site.get("/lang/en?back=//evil.example", &tinh).await;
        assert_eq!(r.location.as_deref(), Some("/"));
        // the inspector's audit page: filtered, within the province only, its chain intact
        let inspector = site.login("thanhtra").await;
        let page = site.get("/audit?action=user.add", &inspector).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Chuỗi băm của nhật ký toàn vẹn"));
        assert!(page.body.contains("<td>user.add</td>"));
        assert!(
            !page.body.contains("<td>session.login</td>"),
            "filtered by action"
        );
        assert!(page.body.contains("<td>user:2</td>"), "tinh, of Điện Biên");
        assert!(
            !page.body.contains("<td>user:3</td>"),
            "hanoi's entry is outside the inspector's province"
        );
        let admin = site.login("admin").await;
        let page = site.get("/audit?action=user.add", &admin).await;
        assert!(page.body.contains("<td>user:3</td>"), "the whole country");
        // OpenAPI
        let doc = site.get("/api/v1/openapi.json", "").await;
        let v: serde_json::Value = serde_json::from_str(&doc.body).expect("json");
        assert_eq!(v["openapi"], "3.1.0");
        assert!(v["paths"]["/units/{code}/households"].is_object());
        site.state.registry.close().await;
    }
}

fn multipart(csrf: &str, year: &str, households: &str, members: &str) -> (String, String) {
    let b = "XyZbOuNdArY";
    let mut body = String::new();
    for (name, value) in [("csrf", csrf), ("year", year)] {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    for (name, text) in [("households", households), ("members", members)] {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.csv\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n"
        ));
    }
    body.push_str(&format!("--{b}--\r\n"));
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn import_through_the_page_names_the_bad_row() {
    for db in databases().await {
        let site = site(&db.url).await;
        let xa = site.login("xa").await;
        let page = site.get("/import", &xa).await;
        let csrf = value_of(&page.body, "csrf");
        let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
        let m = std::fs::read_to_string(examples().join("members.csv")).expect("read");
        // 2024, Mường Phăng's households only, one with a bad water source
        let h24: String = h
            .lines()
            .filter(|l| l.starts_with("household_id") || l.contains(",03325,"))
            .map(|l| l.replace(",2025-10-", ",2024-10-"))
            .collect::<Vec<_>>()
            .join("\n")
            .replacen(",surface,", ",river,", 1);
        let (kind, body) = multipart(&csrf, "2024", &h24, &m);
        let r = site.import(&xa, &kind, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // the row's error in the officer's language, the file, row and column as they are
        assert!(
            r.body.contains(
                "households.csv:2: water_source: mã `river` không có trong danh mục: cần là piped"
            ),
            "{}",
            r.body
        );
        assert!(r.body.contains("Không nhập"));
        // households of another commune are not this officer's to import (read in English)
        let (kind2, body2) = multipart(&csrf, "2024", &h.replace(",2025-1", ",2024-1"), &m);
        let r = site
            .import(&format!("{xa}; gn_lang=en"), &kind2, body2)
            .await;
        assert!(
            r.body
                .contains("03334 (Phường Mường Thanh) is outside the units you may import for"),
            "{}",
            r.body
        );
        // without the CSRF token: refused
        let (kind3, body3) = multipart("forged", "2024", &h24, &m);
        let r = site.import(&xa, &kind3, body3).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // corrected (and its members a year younger, without IDs, which carry the birth year), it
        // imports, and the audit log names who
        let fixed = h24.replacen(",river,", ",surface,", 1);
        let m24: String = m
            .lines()
            .filter(|l| {
                l.starts_with("household_id")
                    || ["DB-001,", "DB-002,", "DB-003,"]
                        .iter()
                        .any(|p| l.starts_with(p))
            })
            .map(|l| {
                let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
                if f[0] != "household_id" {
                    f[3].clear();
                    let y: i32 = f[4][..4].parse().expect("year");
                    f[4] = format!("{}{}", y - 1, &f[4][4..]);
                }
                f.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (kind4, body4) = multipart(&csrf, "2024", &fixed, &m24);
        let r = site.import(&xa, &kind4, body4).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Đã nhập"), "{}", r.body);
        let log = site.audited("import").await;
        assert_eq!(log[0].user_name, "xa", "{}", db.name);
        // two years now: the average decrease, and its achievement of a target
        let dash = site.get("/units/03325?target=2", &xa).await;
        assert!(
            dash.body.contains("Mức giảm bình quân hằng năm"),
            "{}",
            dash.body
        );
        assert!(
            dash.body.contains("Đạt so với chỉ tiêu (2,00)"),
            "{}",
            dash.body
        );
        assert_eq!(log[0].unit_code.as_deref(), Some("03325"));
        // too large a body is refused before it is read
        let big = "x".repeat(70 * 1024);
        let (kind5, body5) = multipart(&csrf, "2024", &big, "");
        let r = site.import(&xa, &kind5, body5).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        // a workbook: the survey downloaded from the list, uploaded again for its year, is read
        // sheet by sheet and refused because those assessments exist (never replaced)
        let raw = {
            let r = router(site.state.clone())
                .oneshot(
                    Request::get("/units/03325/survey-2025.xlsx")
                        .header(header::COOKIE, &xa)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("answer");
            assert_eq!(r.status(), StatusCode::OK);
            r.into_body().collect().await.expect("body").to_bytes()
        };
        assert!(raw.starts_with(b"PK"), "a zip (xlsx)");
        let b = "XyZbOuNdArY";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in [("csrf", csrf.as_str()), ("year", "2025")] {
            body.extend(
                format!(
                    "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"households\"; filename=\"survey.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend(raw.iter());
        body.extend(format!("\r\n--{b}--\r\n").as_bytes());
        let r = site
            .import(&xa, &format!("multipart/form-data; boundary={b}"), body)
            .await;
        assert!(
            r.body.contains("households.xlsx[households]:2: household_id: hộ `DB-001` của xã 03325 đã có phiếu rà soát năm 2025"),
            "{}",
            r.body
        );
        // a leader may not import
        let leader = site.login("lanhdao").await;
        let (kind6, body6) = multipart(&csrf, "2024", &fixed, &m24);
        let r = site.import(&leader, &kind6, body6).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // an import's page is its user's only
        let (kind7, body7) = multipart(&csrf, "2024", &fixed, &m24);
        let posted = site
            .send(
                Request::post("/import")
                    .header(header::COOKIE, &xa)
                    .header(header::CONTENT_TYPE, kind7)
                    .body(Body::from(body7))
                    .expect("request"),
            )
            .await;
        let job = posted.location.expect("the job's page");
        let tinh = site.login("tinh").await;
        assert_eq!(site.get(&job, &tinh).await.status, StatusCode::NOT_FOUND);
        // its user sees it end: the same file as before, already imported for the year
        let start = std::time::Instant::now();
        let done = loop {
            let page = site.get(&job, &xa).await;
            if !page.body.contains("http-equiv=\"refresh\"") {
                break page;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(30));
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(done.status, StatusCode::OK);
        assert!(
            done.body.contains("Tệp này đã được nhập cho năm này."),
            "{}",
            done.body
        );
        site.state.registry.close().await;
    }
}
