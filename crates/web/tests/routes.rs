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
        // a wrong password keeps the name typed, never the password
        let form = site.get("/login", "").await;
        let csrf = value_of(&form.body, "csrf");
        let r = site
            .post_form(
                "/login",
                &form.cookies.join("; "),
                &format!("name=hanoi&password=not-the-one&csrf={csrf}&next=/"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("value=\"hanoi\""), "{}", r.body);
        assert!(!r.body.contains("not-the-one"));
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
        // the address has failed six times of its ten (hanoi once, tinh five): another name
        // may still log in...
        let (status, _) = site.try_login("xa", PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // ...and that success leaves the address's count where it was: four more failures
        // under other names, and the address is held back for any name
        for i in 0..4 {
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
        // a household found through a member who is not its head shows that member
        assert!(
            with.body.contains("tìm thấy: Lò Thị Ún, vợ&#x2f;chồng"),
            "{}",
            with.body
        );
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
        // printed, the page says what it is, for which period, when and by whom
        let head = dash
            .body
            .split("<p class=\"print-head\">")
            .nth(1)
            .and_then(|r| r.split("</p>").next())
            .unwrap_or_default();
        assert!(
            head.starts_with("Giảm nghèo bền vững · Điện Biên · Giai đoạn 2025 · In lúc ")
                && head.ends_with(" · tinh user"),
            "{head}"
        );
        // no script may run, nothing loads from elsewhere
        assert!(dash.csp.as_deref().is_some_and(
            |c| c.contains("script-src 'none'") && c.contains("frame-ancestors 'none'")
        ));
        // a commune's page has its villages, each linking to its households
        let commune = site.get("/units/03325", &tinh).await;
        assert!(commune.body.contains("Các thôn, bản"), "{}", commune.body);
        // breadcrumbs link only to what the user may open: the province for its officer, not
        // for the commune's
        assert!(commune.body.contains("href=\"/units/11\""));
        let xa = site.login("xa").await;
        let own = site.get("/units/03325", &xa).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(!own.body.contains("href=\"/units/11\""), "{}", own.body);
        let id = household_of(&site, "03325").await;
        let h = site.get(&format!("/households/{id}"), &xa).await;
        assert!(!h.body.contains("href=\"/units/11\""));
        assert!(h.body.contains("href=\"/units/03325\""));
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
        // a province's list narrowed to one of its communes, which it offers
        let all = site.get("/units/11/households", &tinh).await;
        assert!(all.body.contains("<option value=\"03325\""), "{}", all.body);
        let one = site.get("/units/11/households?commune=03325", &tinh).await;
        let direct = site.get("/units/03325/households", &tinh).await;
        let count = |b: &str| {
            b.split("hộ tìm thấy")
                .next()
                .and_then(|x| x.rsplit('>').next())
                .map(str::trim)
                .map(str::to_string)
        };
        assert_eq!(count(&one.body), count(&direct.body));
        assert_ne!(count(&one.body), count(&all.body));
        assert!(one.body.contains("<option value=\"03325\" selected"));
        // the ethnic-group filter offers the groups of the unit's heads that year, with their
        // households, largest first, and no other group of the 54
        let groups = |body: &str| -> Vec<String> {
            body.split("<select name=\"ethnic\">")
                .nth(1)
                .and_then(|s| s.split("</select>").next())
                .map(|s| {
                    s.split("<option")
                        .skip(2)
                        .filter_map(|o| o.split('>').nth(1))
                        .map(|o| o.trim_end_matches("</option").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            groups(&all.body),
            ["Thái (5)", "Kinh (2)", "Nùng (1)"],
            "{}",
            db.name
        );
        assert_eq!(groups(&direct.body), ["Thái (3)"], "{}", db.name);
        let nung = site
            .get("/units/11/households?ethnic=07&year=2025", &tinh)
            .await;
        assert!(nung.body.contains("1 hộ tìm thấy"), "{}", nung.body);
        assert!(nung.body.contains("<option value=\"07\" selected>Nùng (1)"));
        // a group asked for in the address that the unit lacks stays offered, at nought
        let hmong = site.get("/units/03325/households?ethnic=08", &tinh).await;
        assert!(hmong.body.contains("0 hộ tìm thấy"), "{}", hmong.body);
        assert!(
            hmong.body.contains("<option value=\"08\" selected>"),
            "{}",
            hmong.body
        );
        // the dashboard's table by the heads' groups, each linked to its households
        let board = site.get("/units/03325", &tinh).await;
        assert!(
            board.body.contains("Theo dân tộc của chủ hộ (2025)"),
            "{}",
            board.body
        );
        assert!(
            board
                .body
                .contains("households?ethnic=03&year=2025\">Thái</a>"),
            "{}",
            board.body
        );
        // the same groups in the API, and a commune officer gets their commune's only
        let api = site.get("/api/v1/units/11/ethnic-groups", &tinh).await;
        let v: serde_json::Value = serde_json::from_str(&api.body).expect("json");
        assert_eq!(v["year"], 2025);
        let listed: Vec<(String, i64)> = v["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| {
                (
                    g["name"].as_str().unwrap_or("").to_string(),
                    g["households"].as_i64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("Thái".to_string(), 5),
                ("Kinh".to_string(), 2),
                ("Nùng".to_string(), 1)
            ]
        );
        let xa_cookie = site.login("xa").await;
        let theirs = site
            .get("/api/v1/units/03325/ethnic-groups?year=2025", &xa_cookie)
            .await;
        assert_eq!(theirs.status, StatusCode::OK);
        let other = site
            .get("/api/v1/units/03328/ethnic-groups", &xa_cookie)
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
        let province = site.get("/api/v1/units/11/ethnic-groups", &xa_cookie).await;
        assert_eq!(province.status, StatusCode::NOT_FOUND);
        // English: the switch sets a cookie and goes back
        let r = site.get("/lang/en?back=/units/11", &tinh).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/units/11"));
        assert!(r.cookies.iter().any(|c| c == "gn_lang=en"));
        let en = site.get("/units/11", &format!("{tinh}; gn_lang=en")).await;
        assert!(en.body.contains("Poverty rate") && en.body.contains("lang=\"en\""));
        assert!(!en.body.contains("Tỷ lệ hộ nghèo"));
        // a page that is not there, or not theirs: the site's frame, a sentence, a way back
        for (uri, cookie, status) in [
            ("/units/01", tinh.as_str(), StatusCode::NOT_FOUND),
            ("/no/such/page", tinh.as_str(), StatusCode::NOT_FOUND),
            ("/no/such/page", "", StatusCode::NOT_FOUND),
        ] {
            let r = site.get(uri, cookie).await;
            assert_eq!(r.status, status, "{uri}");
            assert!(r.body.contains("class=\"top\""), "the header: {}", r.body);
            assert!(r.body.contains("Không tìm thấy trang"), "{}", r.body);
            assert!(r.body.contains("Về trang chính"), "{}", r.body);
            assert_eq!(r.body.contains("action=\"/logout\""), !cookie.is_empty());
        }
        // a switch cannot send anyone to another site
        let r = site.get("/lang/en?back=//evil.example", &tinh).await;
        assert_eq!(r.location.as_deref(), Some("/"));
        // the inspector's audit page: filtered, within the province only, its chain intact
        let inspector = site.login("thanhtra").await;
        let page = site.get("/audit?action=user.add", &inspector).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Chuỗi băm của nhật ký toàn vẹn"));
        // actions in words, what they changed field by field, the codes nowhere in sight
        assert!(
            page.body.contains("<td>Tạo tài khoản</td>"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<td>user.add</td>"));
        assert!(
            page.body
                .contains("<span class=\"field\">Vai trò:</span> <ins>cán bộ tỉnh</ins>"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<code>{"), "no raw JSON");
        assert!(
            !page.body.contains("<td>Đăng nhập</td>"),
            "filtered by action"
        );
        assert!(
            page.body
                .contains("<option value=\"user.add\" selected>Tạo tài khoản</option>"),
            "the filter offers the actions in words"
        );
        assert!(
            page.body.contains("<small>user:2</small>"),
            "tinh, of Điện Biên"
        );
        assert!(
            !page.body.contains("<small>user:3</small>"),
            "hanoi's entry is outside the inspector's province"
        );
        assert!(
            page.body.contains("chỉ quản trị viên hệ thống xem được"),
            "the inspector is told what is not shown"
        );
        let admin = site.login("admin").await;
        let page = site.get("/audit?action=user.add", &admin).await;
        assert!(
            page.body.contains("<small>user:3</small>"),
            "the whole country"
        );
        assert!(!page.body.contains("chỉ quản trị viên hệ thống xem được"));

        // OpenAPI
        let doc = site.get("/api/v1/openapi.json", "").await;
        let v: serde_json::Value = serde_json::from_str(&doc.body).expect("json");
        assert_eq!(v["openapi"], "3.1.0");
        assert!(v["paths"]["/units/{code}/households"].is_object());
        assert!(v["paths"]["/units/{code}/money"]["get"]["parameters"].is_array());
        assert!(v["paths"]["/units/{code}/money/plans"].is_object());
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
            dash.body
                .contains("Đạt so với chỉ tiêu (2,00 điểm %&#x2f;năm)"),
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

/// A report downloaded as an officer opens it: UTF-8 with the byte-order mark, headers and
/// sheet names in the reader's language, in Vietnamese `;` between fields and `,` before the
/// decimals; the same figures in English with `,` and `.`.
#[tokio::test]
async fn downloads_speak_the_readers_language() {
    use calamine::{Data, Reader, Xlsx};
    for db in databases().await {
        let site = site(&db.url).await;
        let tinh = site.login("tinh").await;
        let vi = site.get("/units/11/report.csv", &tinh).await;
        assert_eq!(vi.status, StatusCode::OK, "{}", db.name);
        assert!(vi.bytes.starts_with(b"\xef\xbb\xbf"), "no byte-order mark");
        let text = vi.body.trim_start_matches('\u{feff}');
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().expect("header").split(';').collect();
        assert_eq!(head[3], "Năm");
        assert_eq!(head[6], "Tỷ lệ hộ nghèo (%)");
        let row: Vec<&str> = lines.next().expect("a year").split(';').collect();
        assert_eq!(row.len(), head.len(), "{text}");
        assert_eq!((row[0], row[1]), ("Đơn vị", "11"));
        assert!(
            row[6].contains(',') && !row[6].contains('.'),
            "rate {}",
            row[6]
        );
        let en = site
            .get("/units/11/report.csv", &format!("{tinh}; gn_lang=en"))
            .await;
        assert!(en.bytes.starts_with(b"\xef\xbb\xbf"));
        let text_en = en.body.trim_start_matches('\u{feff}');
        let mut lines_en = text_en.lines();
        let head_en: Vec<&str> = lines_en.next().expect("header").split(',').collect();
        assert_eq!(head_en[6], "Poor rate (%)");
        let row_en: Vec<&str> = lines_en.next().expect("a year").split(',').collect();
        // the same figure, written each language's way
        assert_eq!(row_en[6].replace('.', ","), row[6]);
        assert_eq!(row_en[4], row[4]);
        // the workbook, read back
        let book = site.get("/units/11/report.xlsx", &tinh).await;
        assert_eq!(book.status, StatusCode::OK);
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.xlsx");
        std::fs::write(&path, &book.bytes).expect("write");
        let mut wb: Xlsx<_> = calamine::open_workbook(&path).expect("workbook");
        assert_eq!(
            wb.sheet_names(),
            vec!["Theo năm".to_string(), "Theo xã".into(), "Thiếu hụt".into()]
        );
        let years = wb.worksheet_range("Theo năm").expect("sheet");
        assert_eq!(years.get_value((0, 0)), Some(&Data::String("Năm".into())));
        assert_eq!(
            years.get_value((0, 3)),
            Some(&Data::String("Tỷ lệ hộ nghèo (%)".into()))
        );
        let households: f64 = row[4].parse().expect("households");
        assert_eq!(years.get_value((1, 1)), Some(&Data::Float(households)));
        let communes = wb.worksheet_range("Theo xã").expect("sheet");
        assert!(
            matches!(communes.get_value((0, 5)), Some(Data::String(s)) if s.starts_with("Thay đổi tỷ lệ nghèo")),
            "{:?}",
            communes.get_value((0, 5))
        );
        // the survey download follows the list's filters
        let poor = site
            .get(
                "/api/v1/units/03325/households?class=poor&limit=500&year=2025",
                &tinh,
            )
            .await;
        let v: serde_json::Value = serde_json::from_str(&poor.body).expect("json");
        let mut expected: Vec<String> = v["households"]
            .as_array()
            .expect("households")
            .iter()
            .filter_map(|h| h["code"].as_str().map(str::to_string))
            .collect();
        expected.sort();
        assert!(!expected.is_empty());
        let sheet_codes = |bytes: &[u8]| {
            let path = dir.path().join("s.xlsx");
            std::fs::write(&path, bytes).expect("write");
            let mut wb: Xlsx<_> = calamine::open_workbook(&path).expect("workbook");
            let h = wb.worksheet_range("households").expect("households");
            let mut codes: Vec<String> = h.rows().skip(1).map(|r| r[0].to_string()).collect();
            codes.sort();
            codes
        };
        let all = site.get("/units/03325/survey-2025.xlsx", &tinh).await;
        let filtered = site
            .get("/units/03325/survey-2025.xlsx?class=poor", &tinh)
            .await;
        assert_eq!(filtered.status, StatusCode::OK);
        assert_eq!(sheet_codes(&filtered.bytes), expected);
        assert!(sheet_codes(&all.bytes).len() > expected.len());
        // the list says what the link downloads
        let list = site
            .get("/units/03325/households?class=poor&year=2025", &tinh)
            .await;
        assert!(
            list.body.contains("survey-2025.xlsx?class=poor"),
            "{}",
            list.body
        );
        assert!(list.body.contains("các hộ đang lọc"));
        // the blank template, with its guide in the reader's language
        let xa = site.login("xa").await;
        for (cookie, guide) in [
            (xa.clone(), "Hướng dẫn"),
            (format!("{xa}; gn_lang=en"), "Guide"),
        ] {
            let t = site.get("/import/template.xlsx", &cookie).await;
            assert_eq!(t.status, StatusCode::OK);
            let path = dir.path().join("t.xlsx");
            std::fs::write(&path, &t.bytes).expect("write");
            let wb: Xlsx<_> = calamine::open_workbook(&path).expect("workbook");
            assert!(
                wb.sheet_names().contains(&guide.to_string()),
                "{:?}",
                wb.sheet_names()
            );
        }
        let form = site.get("/import", &xa).await;
        assert!(form.body.contains("href=\"/import/template.xlsx\""));
        site.state.registry.close().await;
    }
}

/// No page of the Vietnamese interface shows an English sentence from the code: every English
/// text of the pages and of the message catalogue (each fragment between its values, of ten
/// characters or more with a space) is looked for in the pages an officer, a leader and an
/// inspector meet, an import refused for a bad row and an error page among them.
#[tokio::test]
async fn the_vietnamese_pages_speak_no_english() {
    use giamngheo_web::i18n::{Lang, Pages};
    let mut english: Vec<String> = Vec::new();
    let vi = Lang::Vi.texts();
    let pages = Lang::En
        .texts()
        .iter()
        .filter(|(k, en)| vi.get(*k) != Some(*en))
        .map(|(_, en)| *en);
    let messages = giamngheo_rules::messages::MESSAGES
        .iter()
        .filter(|(_, vi, en)| vi != en)
        .map(|(_, _, en)| *en);
    for text in pages.chain(messages) {
        for part in text.split(['{', '}']) {
            let part = part.trim();
            if part.chars().count() >= 10 && part.contains(' ') {
                english.push(part.to_string());
            }
        }
    }
    assert!(english.len() > 100, "{} English texts", english.len());
    for db in databases().await {
        let site = site(&db.url).await;
        let tinh = site.login("tinh").await;
        let xa = site.login("xa").await;
        let leader = site.login("lanhdao").await;
        let inspector = site.login("thanhtra").await;
        let admin = site.login("admin").await;
        let id = household_of(&site, "03325").await;
        let mut seen = Vec::new();
        for (uri, who) in [
            ("/units/11".to_string(), &tinh),
            ("/units/03325".to_string(), &xa),
            ("/units/11/households".to_string(), &tinh),
            ("/units/11/households?q=lo+thi".to_string(), &tinh),
            (format!("/households/{id}"), &tinh),
            (format!("/households/{id}"), &leader),
            ("/import".to_string(), &xa),
            ("/audit".to_string(), &inspector),
            ("/units/01".to_string(), &tinh),
            ("/no/such/page".to_string(), &xa),
            ("/users".to_string(), &tinh),
            ("/users".to_string(), &admin),
            ("/account/password".to_string(), &xa),
        ] {
            let r = site.get(&uri, who).await;
            seen.push((uri, r.body));
        }
        // an import refused for a bad row, in the officer's language
        let page = site.get("/import", &xa).await;
        let csrf = value_of(&page.body, "csrf");
        let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
        let m = std::fs::read_to_string(examples().join("members.csv")).expect("read");
        let (kind, body) = multipart(&csrf, "2025", &h.replacen(",surface,", ",river,", 1), &m);
        let r = site.import(&xa, &kind, body).await;
        assert!(r.body.contains("Không nhập"), "{}", r.body);
        seen.push(("import refused".to_string(), r.body));
        let login = site.get("/login", "").await;
        seen.push(("/login".to_string(), login.body));
        // the same search finds English where it is asked for
        let en = site.get("/units/11", &format!("{tinh}; gn_lang=en")).await;
        assert!(english.iter().any(|e| en.body.contains(e.as_str())));
        for (uri, body) in &seen {
            assert!(body.contains("lang=\"vi\""), "{uri}");
            for e in &english {
                assert!(
                    !body.contains(e.as_str()),
                    "{uri} ({}) shows English: {e:?}",
                    db.name
                );
            }
        }
        site.state.registry.close().await;
    }
}
