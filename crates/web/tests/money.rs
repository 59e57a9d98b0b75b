//! The program's money through the pages and the API, on each backend: the province's
//! dashboard and a commune's page, a plan line and a payment from their forms (refused in words
//! with the form kept, then accepted and audited), the plan's revisions, and the API's figures
//! within the user's scope.

mod support;

use axum::http::StatusCode;
use giamngheo_testing::databases;
use support::*;

#[tokio::test]
async fn money_on_the_pages_and_the_api() {
    for db in databases().await {
        let site = site(&db.url).await;
        giamngheo_app::money_demo::fill(
            &site.state.registry,
            "11",
            (2025, 2025),
            "2026-12-03".parse().expect("day"),
        )
        .await
        .expect("money");
        let tinh = site.login("tinh").await;
        let xa = site.login("xa").await;
        // the dashboard and the commune's page
        let page = site.get("/units/11/money?year=2025", &tinh).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.name);
        for part in [
            "Kế hoạch vốn",
            "Chưa phân bổ",
            "Tỷ lệ giải ngân theo dự án",
            "class=\"slow\"",
        ] {
            assert!(page.body.contains(part), "{part}");
        }
        let commune = site.get("/units/03325/money?year=2025", &xa).await;
        assert_eq!(commune.status, StatusCode::OK);
        assert!(commune.body.contains("Các khoản giải ngân gần nhất"));
        // a commune's officer sees no other commune's money, and plans nothing
        assert_eq!(
            site.get("/units/03328/money", &xa).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!commune.body.contains("/money/plans\" class=\"filters\""));
        // the province allocates more than its plan holds: refused in words, the form kept
        let token = value_of(&page.body, "csrf");
        let line = |amount: &str| {
            format!(
                "csrf={token}&unit_code=03325&budget_year=2025&document={}&decided_on=2025-10-01&item=DA5&source=central_recurrent&origin_year=2025&amount={amount}&note=",
                enc("250/QĐ-UBND")
            )
        };
        let over = site
            .post_form("/units/11/money/plans", &tinh, &line("900.000.000.000"))
            .await;
        assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        assert!(
            over.body.contains("vượt kế hoạch vốn của tỉnh"),
            "{}",
            over.body
        );
        assert!(
            over.body.contains("value=\"900000000000\""),
            "the amount kept"
        );
        // within it: a revision of the commune's allocation, kept with its day
        let before = site.get("/api/v1/units/03325/money?year=2025", &xa).await;
        let before: serde_json::Value = serde_json::from_str(&before.body).expect("json");
        let plan_of = |v: &serde_json::Value| {
            v["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .find(|l| l["item"] == "DA5" && l["source"] == "central_recurrent")
                .map(|l| l["plan"].as_i64().unwrap_or(0))
                .expect("the housing line")
        };
        let was = plan_of(&before);
        let raised = (was + 10_000_000).to_string();
        let ok = site
            .post_form("/units/11/money/plans", &tinh, &line(&raised))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let after: serde_json::Value = serde_json::from_str(
            &site
                .get("/api/v1/units/03325/money?year=2025", &xa)
                .await
                .body,
        )
        .expect("json");
        assert_eq!(plan_of(&after), was + 10_000_000, "{}", db.name);
        // in force from its day only
        let september: serde_json::Value = serde_json::from_str(
            &site
                .get("/api/v1/units/03325/money?year=2025&on=2025-09-30", &xa)
                .await
                .body,
        )
        .expect("json");
        assert_eq!(plan_of(&september), was);
        let history = site.get("/units/03325/money/plans?year=2025", &xa).await;
        assert!(
            history.body.contains(&"250/QĐ-UBND".replace('/', "&#x2f;")),
            "{}",
            history.body
        );
        assert!(
            history.body.contains("+10,0"),
            "the change shown: {}",
            history.body
        );
        // the commune's officer records a payment
        let ctoken = value_of(&commune.body, "csrf");
        let pay = format!(
            "csrf={ctoken}&budget_year=2025&item=DA5&source=central_recurrent&origin_year=2025&paid_on=2025-12-20&amount=5000000&document={}&advance_reason=",
            enc("UNC 88/KBNN")
        );
        let paid = site
            .post_form("/units/03325/money/payments", &xa, &pay)
            .await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
        let api: serde_json::Value = serde_json::from_str(
            &site
                .get("/api/v1/units/11/money?year=2025", &tinh)
                .await
                .body,
        )
        .expect("json");
        let total: i64 = api["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l["disbursed"].as_i64().unwrap_or(0))
            .sum();
        assert!(total > 0);
        // the API answers only within the scope
        assert_eq!(
            site.get("/api/v1/units/11/money", &xa).await.status,
            StatusCode::NOT_FOUND
        );
        let plans: serde_json::Value = serde_json::from_str(
            &site
                .get("/api/v1/units/03325/money/plans?year=2025", &xa)
                .await
                .body,
        )
        .expect("json");
        assert!(plans["documents"].as_array().is_some_and(|d| d.len() >= 2));
        // a file uploaded on the page: a bad row named by the file's name, row and column,
        // nothing written; then the file right
        let (kind, body) = upload(
            &ctoken,
            "giai-ngan-thang-12.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document\n03325,2025,DA5,central_recurrent,2025-12-21,1000000,UNC-TEST-90\n03325,2025,DA9,central_recurrent,2025-12-21,1000000,UNC-TEST-91\n",
        );
        let bad = site
            .post_multipart("/units/03325/money/import", &xa, &kind, body)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("giai-ngan-thang-12.csv:3: item:"),
            "{}",
            bad.body
        );
        assert!(!site
            .get("/units/03325/money?year=2025", &xa)
            .await
            .body
            .contains("UNC-TEST-90"));
        let (kind, body) = upload(
            &ctoken,
            "giai-ngan-thang-12.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document\n03325,2025,DA5,central_recurrent,2025-12-21,1000000,UNC-TEST-90\n",
        );
        let good = site
            .post_multipart("/units/03325/money/import", &xa, &kind, body)
            .await;
        assert_eq!(good.status, StatusCode::OK, "{}", good.body);
        assert!(
            good.body
                .contains("giai-ngan-thang-12.csv: đã nhập 1 khoản giải ngân"),
            "{}",
            good.body
        );
        // the template: the two sheets and the catalogue's codes
        let template = site.get("/money/template.xlsx", &xa).await.bytes;
        let path = std::env::temp_dir().join(format!("money-template-{}.xlsx", db.name));
        std::fs::write(&path, &template).expect("write");
        use calamine::Reader;
        let book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("a workbook");
        assert_eq!(
            book.sheet_names(),
            ["ke_hoach_von", "giai_ngan", "uoc_giai_ngan", "danh_muc"]
        );
        std::fs::remove_file(&path).ok();
        // the commune's payments exported in the payments file's format, and imported again:
        // each one over its plan now that it is counted twice, so the whole file is refused
        let export = site
            .get("/units/03325/money/export.csv?year=2025&kind=payments", &xa)
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.bytes.starts_with(b"\xef\xbb\xbf"));
        let text = String::from_utf8_lossy(&export.bytes[3..]).to_string();
        assert!(text.starts_with(
            "unit_code,budget_year,item,source,origin_year,paid_on,amount,document,advance_reason"
        ));
        assert!(
            text.contains("UNC-TEST-90")
                && text.lines().skip(1).all(|l| l.starts_with("03325,2025,")),
            "{text}"
        );
        let plans = site
            .get("/units/11/money/export.csv?year=2025&kind=plans", &tinh)
            .await;
        let plans = String::from_utf8_lossy(&plans.bytes[3..]).to_string();
        assert!(
            plans.contains(",250/QĐ-UBND,2025-10-01,DA5,central_recurrent,2025,"),
            "{plans}"
        );
        // an estimate from the commune's form: refused in words when dated after today, then
        // shown beside what was paid
        let estimate = |as_of: &str| {
            format!(
                "csrf={ctoken}&budget_year=2025&item=DA5&source=central_recurrent&origin_year=2025&as_of={as_of}&amount=1.234.000.000"
            )
        };
        let late = site
            .post_form("/units/03325/money/estimates", &xa, &estimate("2026-01-05"))
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            late.body
                .contains("Ngày ước: ngày ước 05&#x2f;01&#x2f;2026 ngoài năm ngân sách 2025"),
            "{}",
            late.body
        );
        let ok = site
            .post_form("/units/03325/money/estimates", &xa, &estimate("2025-12-30"))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = site.get("/units/03325/money?year=2025", &xa).await;
        // the line's estimate, in millions, beside what was paid
        assert!(
            page.body.contains("<td class=\"n\">1.234,0</td>"),
            "{}",
            page.body
        );
        // the estimates as a workbook, its sheet the import's
        let xlsx = site
            .get(
                "/units/03325/money/export.xlsx?year=2025&kind=estimates",
                &xa,
            )
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        let path = std::env::temp_dir().join(format!("money-estimates-{}.xlsx", db.name));
        std::fs::write(&path, &xlsx.bytes).expect("write");
        let (_, rows) =
            giamngheo_app::money::read_kind(&path, giamngheo_app::money::MoneyKind::Estimates)
                .expect("read back");
        std::fs::remove_file(&path).ok();
        assert!(
            rows.iter().any(|r| r.cells["amount"] == "1234000000"
                && r.cells["as_of"] == "2025-12-30"
                && r.cells["unit_code"] == "03325"),
            "{rows:?}"
        );
        assert_eq!(
            site.get("/units/03325/money/export.pdf?year=2025", &xa)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // the API writes as the forms do: the session's token in a header, all or none, every
        // bad row named in both languages
        let me: serde_json::Value =
            serde_json::from_str(&site.get("/api/v1/me", &xa).await.body).expect("json");
        let csrf = me["csrf"].as_str().expect("the token").to_string();
        let api = |path: &str, token: &str, body: serde_json::Value| {
            let req = axum::http::Request::post(path)
                .header(axum::http::header::COOKIE, &xa)
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", token)
                .body(axum::body::Body::from(body.to_string()))
                .expect("request");
            site.send(req)
        };
        let rows = serde_json::json!({"rows": [
            {"budget_year": 2025, "item": "DA5", "source": "central_recurrent", "paid_on": "2025-12-22", "amount": 2000000, "document": "UNC API-1"},
            {"unit_code": "03328", "budget_year": 2025, "item": "DA5", "source": "central_recurrent", "paid_on": "2025-12-22", "amount": 1, "document": "UNC API-2"},
        ]});
        let forged = api(
            "/api/v1/units/03325/money/payments",
            &"0".repeat(64),
            rows.clone(),
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let bad = api("/api/v1/units/03325/money/payments", &csrf, rows.clone()).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let v: serde_json::Value = serde_json::from_str(&bad.body).expect("json");
        assert_eq!(v["errors"][0]["row"], 2);
        assert_eq!(v["errors"][0]["column"], "unit_code");
        assert!(v["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("ngoài phạm vi")));
        assert!(!site
            .get("/units/03325/money?year=2025", &xa)
            .await
            .body
            .contains("UNC API-1"));
        let one = serde_json::json!({"rows": [rows["rows"][0].clone()]});
        let good = api("/api/v1/units/03325/money/payments", &csrf, one).await;
        assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
        let v: serde_json::Value = serde_json::from_str(&good.body).expect("json");
        assert_eq!(
            (v["records"].as_i64(), v["amount"].as_i64()),
            (Some(1), Some(2_000_000))
        );
        assert!(site
            .get("/units/03325/money?year=2025", &xa)
            .await
            .body
            .contains("UNC API-1"));
        // a commune's officer plans nothing through the API either
        let plan = serde_json::json!({"rows": [{"budget_year": 2025, "document": "1/QĐ", "decided_on": "2025-02-01", "item": "DA5", "source": "central_recurrent", "amount": 1}]});
        assert_eq!(
            api("/api/v1/units/03325/money/plans", &csrf, plan)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let doc: serde_json::Value =
            serde_json::from_str(&site.get("/api/v1/openapi.json", "").await.body).expect("json");
        for kind in ["plans", "payments", "estimates"] {
            assert!(
                doc["paths"][format!("/units/{{code}}/money/{kind}")]["post"]["requestBody"]
                    .is_object(),
                "{kind}"
            );
        }
        // every write in the audit log
        for action in ["money.plan", "money.disburse", "money.estimate"] {
            assert!(
                !site.audited(action).await.is_empty(),
                "{}: {action}",
                db.name
            );
        }
        site.state.registry.close().await;
    }
}

fn upload(csrf: &str, name: &str, text: &str) -> (String, String) {
    let b = "MoNeYbOuNdArY";
    let mut body = String::new();
    for (field, value) in [("csrf", csrf), ("kind", "payments")] {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n--{b}--\r\n"
    ));
    (format!("multipart/form-data; boundary={b}"), body)
}
