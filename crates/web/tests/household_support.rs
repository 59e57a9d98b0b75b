//! Support to households on each backend: a support list from a file judged row by row against
//! the rules in force on each decision's day (every refusal named, nothing written), the same
//! file taken with an officer's reasons (audited), the duplicate report, a household's history
//! and its entry form, the province's list, and scope.

mod support;

use axum::http::StatusCode;
use giamngheo_app::access::{Actor, Role};
use giamngheo_app::records::HouseholdQuery;
use giamngheo_app::QueryError;
use giamngheo_rules::{Class, Lang, UnitCode};
use giamngheo_testing::databases;
use support::*;

fn actor(name: &str, role: Role, unit: &str) -> Actor {
    Actor {
        user_id: 0,
        name: name.into(),
        full_name: String::new(),
        role,
        unit: UnitCode::parse(unit),
    }
}

fn refused(e: QueryError) -> Vec<String> {
    match e {
        QueryError::Rejected(rows) => rows
            .iter()
            .map(|r| format!("{}:{}:{}", r.row, r.column, r.message.render(Lang::Vi)))
            .collect(),
        other => panic!("not refused by row: {other:?}"),
    }
}

const HEAD: &str = "commune_code,household_code,member_no,kind,item,decision,decided_on,status,started_on,completed_on,central_recurrent,beneficiary,override_reason";

#[tokio::test]
async fn support_is_judged_on_the_decision_day_and_duplicates_are_found() {
    for db in databases().await {
        let site = site(&db.url).await;
        let registry = &site.state.registry;
        let dir = tempfile::tempdir().expect("dir");
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("write");
            p
        };
        let today: giamngheo_rules::NaiveDate = "2026-12-03".parse().expect("day");
        // the example's households of 03325 by their class of 2025 (surveyed in October)
        let commune = UnitCode::parse("03325").expect("unit");
        let of = |class| async move {
            registry
                .unscoped()
                .households(&HouseholdQuery {
                    unit: commune,
                    year: 2025,
                    text: None,
                    class: Some(class),
                    village: None,
                    ethnic_code: None,
                    deprivation: None,
                    limit: 50,
                    offset: 0,
                })
                .await
                .expect("households")
                .lines
        };
        let poor = of(Class::Poor).await;
        let not_poor: Vec<_> = [of(Class::NotPoor).await, of(Class::Average).await].concat();
        let (Some(p), Some(rich)) = (poor.first(), not_poor.first()) else {
            panic!("the example has poor and other households in 03325")
        };
        let xa = actor("xa", Role::CommuneOfficer, "03325");
        let x = registry.for_actor(&xa);
        // every kind of bad row, each named; nothing written
        let bad = format!(
            "{HEAD}\n\
             03325,{p},,housing_build,DA5,12/QĐ-UBND,2025-11-03,started,2025-11-10,,60000000,15000000,\n\
             03325,{p},,housing_repair,DA5,13/QĐ-UBND,2025-11-20,decided,,,30000000,,\n\
             03325,{rich},,housing_build,DA5,14/QĐ-UBND,2025-11-20,decided,,,60000000,,\n\
             03325,XX-999,,housing_build,DA5,15/QĐ-UBND,2025-11-20,decided,,,1,,\n\
             03325,{p},,health_insurance,,16/QĐ-UBND,2025-11-20,delivered,,,1263600,,\n\
             03328,{p},,housing_build,DA5,17/QĐ-UBND,2025-11-20,decided,,,1,,\n\
             03325,{p},,housing_build,DA5,18/QĐ-UBND,2027-01-01,decided,,,1,,\n\
             03325,{p},,housing_build,DA5,19/QĐ-UBND,2025-11-20,completed,2025-11-21,,1,,\n",
            p = p.code,
            rich = rich.code
        );
        let first = x
            .import_support(&write("ho-tro-sai.csv", &bad), today)
            .await
            .expect_err("refused");
        let errors = refused(first);
        let at: Vec<String> = errors
            .iter()
            .map(|e| e.splitn(3, ':').take(2).collect::<Vec<_>>().join(":"))
            .collect();
        assert_eq!(
            at,
            [
                "5:household_code",
                "6:member_no",
                "6:delivered_on",
                "7:commune_code",
                "8:decided_on",
                "8:item",
                "9:completed_on",
            ],
            "{}: {errors:#?}",
            db.name
        );
        // the rows well formed: judged, the second house and the house for a household that
        // was not poor refused by the rule that failed
        let judged = bad.lines().take(4).collect::<Vec<_>>().join("\n") + "\n";
        let errors = refused(
            x.import_support(&write("ho-tro.csv", &judged), today)
                .await
                .expect_err("refused"),
        );
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].starts_with("3:kind:") && errors[0].contains("đã nhận hỗ trợ Xây mới nhà ở"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("4:kind:")
                && errors[1].contains("không phải hộ nghèo hoặc hộ cận nghèo"),
            "{}",
            errors[1]
        );
        let none = site
            .get("/units/03325/support", &site.login("xa").await)
            .await;
        assert!(
            none.body.contains("Chưa có khoản hỗ trợ nào"),
            "nothing written"
        );
        // with the officer's reasons: written, the reasons kept and audited
        let reasons = judged
            .replacen("30000000,,\n", "30000000,,Nhà bị lốc làm tốc mái\n", 1)
            .replacen("60000000,,\n", "60000000,,Theo đề nghị của thôn\n", 1);
        let w = x
            .import_support(&write("ho-tro-ly-do.csv", &reasons), today)
            .await
            .expect("written");
        assert_eq!((w.records, w.overrides), (3, 2), "{}", db.name);
        assert_eq!(w.amount, 60_000_000 + 15_000_000 + 30_000_000 + 60_000_000);
        let audit = site.audited("support.record").await;
        assert!(
            audit.iter().any(|e| e
                .after
                .as_deref()
                .is_some_and(|a| a.contains("Nhà bị lốc làm tốc mái"))),
            "{audit:?}"
        );
        // the duplicate report: the house and its repair, by household
        let cookie = site.login("xa").await;
        let report = site.get("/units/03325/support/duplicates", &cookie).await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains("Số cặp trùng: 1"), "{}", report.body);
        assert!(report.body.contains("cùng hộ"), "{}", report.body);
        let (scanned, pairs) = x.support_duplicates(&commune).await.expect("scan");
        assert_eq!((scanned, pairs.len()), (3, 1));
        assert_eq!(
            (pairs[0].first.kind.as_str(), pairs[0].second.kind.as_str()),
            ("housing_build", "housing_repair")
        );
        // the household's page: its history, the campaign named, and the form
        let page = site.get(&format!("/households/{}", p.id), &cookie).await;
        assert!(page.body.contains("Các khoản hỗ trợ hộ đã nhận"));
        assert!(
            page.body.contains("Phong trào xóa nhà tạm"),
            "{}",
            page.body
        );
        assert!(page.body.contains("ghi theo lý do"));
        // a card from the form: the head of a poor household, wholly paid; the same card again
        // within the year is refused in words, the form kept
        let token = value_of(&page.body, "csrf");
        let card = |decision: &str| {
            format!(
                "csrf={token}&kind=health_insurance&member_no=1&item=&decision={}&decided_on=2026-01-15&status=delivered&delivered_on=2026-01-16&central_recurrent=1.263.600&override_reason=",
                enc(decision)
            )
        };
        let ok = site
            .post_form(
                &format!("/households/{}/support", p.id),
                &cookie,
                &card("3/QĐ-UBND"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let again = site
            .post_form(
                &format!("/households/{}/support", p.id),
                &cookie,
                &card("4/QĐ-UBND"),
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
        assert!(again.body.contains("Thẻ bảo hiểm y tế"), "{}", again.body);
        assert!(
            again.body.contains("value=\"4&#x2f;QĐ-UBND\""),
            "the form kept"
        );
        // the province's officer sees every commune's records; a commune's officer no other
        // commune's; a leader reads and records nothing
        let tinh = site.login("tinh").await;
        let list = site.get("/units/11/support", &tinh).await;
        assert!(list.body.contains("Số khoản hỗ trợ: 4"), "{}", list.body);
        assert_eq!(
            site.get("/units/03328/support", &cookie).await.status,
            StatusCode::NOT_FOUND
        );
        let leader = actor("lanhdao", Role::Leader, "11");
        assert!(matches!(
            registry
                .for_actor(&leader)
                .import_support(&write("x.csv", &reasons), today)
                .await,
            Err(QueryError::Denied(_))
        ));
        let overridden = site.get("/units/03325/support?overridden=1", &cookie).await;
        assert!(
            overridden.body.contains("Số khoản hỗ trợ: 2"),
            "{}",
            overridden.body
        );
        site.state.registry.close().await;
    }
}

#[tokio::test]
async fn targets_are_set_by_the_province_and_measured_from_the_data() {
    for db in databases().await {
        let site = site(&db.url).await;
        let registry = &site.state.registry;
        let today: giamngheo_rules::NaiveDate = "2026-12-03".parse().expect("day");
        registry
            .unscoped()
            .import_support(&examples().join("../support/ho-tro-2025.csv"), today)
            .await
            .expect("the example's support");
        giamngheo_app::money_demo::fill(registry, "11", (2025, 2025), today)
            .await
            .expect("money");
        let tinh = site.login("tinh").await;
        let page = site.get("/units/11/targets", &tinh).await;
        assert!(page.body.contains("Chưa giao chỉ tiêu nào"));
        let token = value_of(&page.body, "csrf");
        let set = |unit: &str, indicator: &str, from: &str, to: &str, value: &str| {
            format!(
                "csrf={token}&unit_code={unit}&indicator={indicator}&from_year={from}&to_year={to}&value={value}&document={}&note=",
                enc("15/NQ-HĐND")
            )
        };
        // the years backwards: refused in words, the form kept
        let bad = site
            .post_form(
                "/units/11/targets",
                &tinh,
                &set("03325", "workers_trained", "2026", "2025", "2"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("năm đầu không sau năm cuối"),
            "{}",
            bad.body
        );
        for (unit, indicator, value) in [
            ("03325", "workers_trained", "2"),
            ("03325", "poverty_rate_decrease", "4"),
            ("11", "disbursement_pct", "90"),
        ] {
            let ok = site
                .post_form(
                    "/units/11/targets",
                    &tinh,
                    &set(unit, indicator, "2025", "2025", value),
                )
                .await;
            assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        }
        // one course of a target of two: 50 %; one review year: no decrease yet
        let commune = site.get("/units/03325/targets", &tinh).await;
        assert!(
            commune.body.contains("Số người được đào tạo nghề"),
            "{}",
            commune.body
        );
        assert!(commune.body.contains("50,00 %"), "{}", commune.body);
        let api: serde_json::Value =
            serde_json::from_str(&site.get("/api/v1/units/03325/targets", &tinh).await.body)
                .expect("json");
        let of = |code: &str| {
            api["targets"]
                .as_array()
                .expect("targets")
                .iter()
                .find(|t| t["indicator"] == code)
                .cloned()
                .expect("the target")
        };
        assert_eq!(of("workers_trained")["measured"], 1.0);
        assert!(of("poverty_rate_decrease")["measured"].is_null());
        // the province's disbursement against its plan, as the money page reads it
        let province: serde_json::Value =
            serde_json::from_str(&site.get("/api/v1/units/11/targets", &tinh).await.body)
                .expect("json");
        let share = province["targets"][0]["measured"]
            .as_f64()
            .expect("a share");
        assert!(share > 0.0 && share <= 100.0, "{share}");
        let dashboard = site.get("/units/11", &tinh).await;
        assert!(dashboard.body.contains("Mức đạt so với chỉ tiêu (%)"));
        // a commune's officer reads its targets and sets none
        let xa = site.login("xa").await;
        let form = site.get("/units/03325/targets", &xa).await;
        assert!(!form.body.contains("action=\"/units/03325/targets\""));
        let page = site.get("/units/03325", &xa).await;
        let token = value_of(&page.body, "csrf");
        let refused = site
            .post_form(
                "/units/03325/targets",
                &xa,
                &format!("csrf={token}&indicator=workers_trained&from_year=2025&to_year=2025&value=9&document=x"),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(!site.audited("target.set").await.is_empty());
        site.state.registry.close().await;
    }
}
