//! A household's changes between reviews through its page, on each backend: a member born, one
//! dead, a split, a merge and a move to another commune; each refused with its reason when it
//! cannot be, each dated and audited; a household that has ended takes no survey after it, and a
//! household that moved keeps its past years (its next year's transition counts from them).

mod support;

use axum::http::StatusCode;
use giamngheo_app::import::{ImportOptions, SurveyFiles};
use giamngheo_app::records::HouseholdQuery;
use giamngheo_rules::UnitCode;
use giamngheo_testing::databases;
use support::*;

/// The ids of the example's households of a commune, by code.
async fn ids(site: &Site, commune: &str) -> std::collections::HashMap<String, i64> {
    let unit = UnitCode::parse(commune).expect("a commune");
    site.state
        .registry
        .unscoped()
        .households(&HouseholdQuery::new(unit, 2025))
        .await
        .expect("households")
        .lines
        .into_iter()
        .map(|l| (l.code, l.id))
        .collect()
}

/// A household as the registry holds it (IDs whole).
async fn detail(site: &Site, id: i64) -> giamngheo_app::records::HouseholdDetail {
    site.state
        .registry
        .unscoped()
        .household(id)
        .await
        .expect("household")
        .expect("there")
}

/// Posts a change form of a household's page; the answer.
async fn change(site: &Site, cookie: &str, household: i64, fields: &[(&str, &str)]) -> Answer {
    let page = format!("/households/{household}");
    let token = value_of(&site.get(&page, cookie).await.body, "csrf");
    let mut body = format!("csrf={token}");
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    site.post_form(&format!("{page}/changes"), cookie, &body)
        .await
}

/// The household a change's answer sends the reader to.
fn landed(a: &Answer) -> i64 {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let at = a.location.as_deref().expect("a redirect");
    at.trim_start_matches("/households/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a household's page")
}

/// The example survey again for 2026 (its dates a year on), with `edit` applied to each file's
/// rows (household code first).
fn survey_2026(dir: &std::path::Path, edit: impl Fn(&str, Vec<String>) -> Option<Vec<String>>) {
    for file in ["households.csv", "members.csv"] {
        let mut r = csv::Reader::from_path(examples().join(file)).expect("example");
        let mut w = csv::Writer::from_path(dir.join(file)).expect("file");
        w.write_record(r.headers().expect("header")).expect("write");
        for row in r.records() {
            let mut row: Vec<String> = row.expect("row").iter().map(str::to_string).collect();
            if file == "households.csv" {
                row[3] = row[3].replacen("2025", "2026", 1);
            }
            if let Some(row) = edit(file, row) {
                w.write_record(&row).expect("write");
            }
        }
        w.flush().expect("flush");
    }
}

#[tokio::test]
async fn a_household_changes_between_reviews_on_its_page() {
    for db in databases().await {
        let site = site(&db.url).await;
        let xa = site.login("xa").await;
        let tinh = site.login("tinh").await;
        let here = ids(&site, "03325").await;
        let (h1, h2, h3) = (here["DB-001"], here["DB-002"], here["DB-003"]);

        // a child born: the household's next member, dated, audited
        let born = change(
            &site,
            &xa,
            h1,
            &[
                ("kind", "born"),
                ("date", "2026-03-02"),
                ("document", "12/GKS"),
                ("full_name", "Lò Văn Nhỏ"),
                ("birth_date", "2026-02-20"),
                ("sex", "M"),
                ("ethnic", "03"),
                ("relation", "child"),
            ],
        )
        .await;
        assert_eq!(landed(&born), h1);
        let page = site
            .get(born.location.as_deref().unwrap_or_default(), &xa)
            .await
            .body;
        assert!(page.contains("Lò Văn Nhỏ") && page.contains("Đã ghi thành viên mới sinh"));
        assert!(
            page.contains("12&#x2f;GKS") && page.contains("Sinh"),
            "{page}"
        );
        let member_list = detail(&site, h1).await;
        assert_eq!(
            member_list
                .members
                .iter()
                .map(|m| m.member_no)
                .collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        let audited = site.audited("household.born").await;
        assert_eq!(audited.len(), 1);
        assert_eq!(audited[0].record, format!("household:{h1}"));
        assert!(audited[0]
            .after
            .as_deref()
            .is_some_and(|a| a.contains("Lò Văn Nhỏ")));

        // refused, each with its reason in Vietnamese, and nothing written
        let person = |birth: &'static str, date: &'static str, id: &'static str| {
            vec![
                ("kind", "moved_in"),
                ("date", date),
                ("full_name", "Quàng Văn Mới"),
                ("birth_date", birth),
                ("sex", if id.len() == 12 { "F" } else { "M" }),
                ("id_number", id),
                ("place", "Xã Thanh Nưa"),
            ]
        };
        for (fields, says) in [
            (
                person("2026-04-01", "2026-03-02", ""),
                "ngày sinh sau ngày biến động",
            ),
            (
                person("1990-01-01", "2099-01-01", ""),
                "không thể sau hôm nay",
            ),
            // the ID of DB-002's head, who is in the registry already
            (
                person("1979-01-01", "2026-03-02", "011179001234"),
                "đã thuộc về thành viên 1",
            ),
            (person("1979-01-01", "2026-03-02", "12345"), "12"),
        ] {
            let a = change(&site, &xa, h1, &fields).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
            assert!(a.body.contains(says), "{says}: {}", a.body);
            // the form keeps what was typed
            assert!(a.body.contains("Quàng Văn Mới"));
        }
        let member_list = detail(&site, h1).await;
        assert_eq!(member_list.members.len(), 4);

        // a member who died leaves the list; the change keeps who it was
        let died = change(
            &site,
            &xa,
            h1,
            &[("kind", "died"), ("date", "2026-04-10"), ("member_no", "3")],
        )
        .await;
        assert_eq!(landed(&died), h1);
        let page = site.get(&format!("/households/{h1}"), &xa).await.body;
        assert!(
            page.contains("Chết") && page.contains("Lò Văn Tiến"),
            "{page}"
        );
        let member_list = detail(&site, h1).await;
        assert_eq!(
            member_list
                .members
                .iter()
                .map(|m| m.member_no)
                .collect::<Vec<_>>(),
            [1, 2, 4]
        );

        // a split: a code of the commune is refused; the new household takes its members
        let split = |code: &'static str| {
            vec![
                ("kind", "split"),
                ("date", "2026-05-04"),
                ("code", code),
                ("head_name", "Lò Thị Ún"),
                ("member", "2"),
                ("member", "4"),
            ]
        };
        let taken = change(&site, &xa, h1, &split("DB-002")).await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(taken.body.contains("mã hộ này đã có ở xã"));
        let made = change(&site, &xa, h1, &split("DB-001-T")).await;
        let new = landed(&made);
        assert_ne!(new, h1);
        let page = site
            .get(made.location.as_deref().unwrap_or_default(), &xa)
            .await
            .body;
        assert!(
            page.contains("Hộ tách từ") && page.contains("Đã tách hộ"),
            "{page}"
        );
        let split_off = detail(&site, new).await;
        assert_eq!(split_off.members.len(), 2);
        assert_eq!(split_off.commune_code, "03325");
        assert_eq!(split_off.head_name.as_deref(), Some("Lò Thị Ún"));
        let old = detail(&site, h1).await;
        assert_eq!(old.members.len(), 1);
        // its last member stays: a household is not left empty
        let last = change(
            &site,
            &xa,
            h1,
            &[
                ("kind", "moved_out"),
                ("date", "2026-05-05"),
                ("member_no", "1"),
            ],
        )
        .await;
        assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(last.body.contains("thành viên cuối cùng"));

        // a merge: DB-003 joins the new household and ends
        let joining = detail(&site, h3).await.members.len();
        let merged = change(
            &site,
            &xa,
            h3,
            &[
                ("kind", "merged"),
                ("date", "2026-06-01"),
                ("code", "DB-001-T"),
            ],
        )
        .await;
        assert_eq!(landed(&merged), new);
        let joined = detail(&site, new).await;
        assert_eq!(joined.members.len(), 2 + joining);
        let page = site.get(&format!("/households/{h3}"), &xa).await.body;
        assert!(page.contains("Hộ đã nhập vào hộ khác ngày"), "{page}");
        assert!(
            !page.contains("name=\"kind\""),
            "an ended household offers no change"
        );
        let again = change(
            &site,
            &xa,
            h3,
            &[
                ("kind", "merged"),
                ("date", "2026-06-02"),
                ("code", "DB-001"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("không ghi thêm biến động"));

        // a move to another commune: the commune's officer may not (the other commune is not
        // theirs); the province's officer may; the past year follows the household
        let move_to = [
            ("kind", "moved"),
            ("date", "2026-06-15"),
            ("commune", "03334"),
            ("code", "DB-002-M"),
            ("village", "Tổ dân phố 5"),
        ];
        let refused = change(&site, &xa, h2, &move_to).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("không thuộc phạm vi của bạn"));
        let moved = landed(&change(&site, &tinh, h2, &move_to).await);
        let there = detail(&site, moved).await;
        assert_eq!(there.commune_code, "03334");
        assert_eq!(there.members.len(), 2);
        assert_eq!(
            there.assessments.iter().map(|a| a.year).collect::<Vec<_>>(),
            [2025]
        );
        assert_eq!(there.assessments[0].by.as_ref().map(|b| b.id), Some(h2));
        let page = site.get(&format!("/households/{moved}"), &tinh).await.body;
        assert!(
            page.contains("Rà soát tại") && page.contains("Hộ chuyển đến từ"),
            "{page}"
        );
        // the commune it left keeps its year, and its officer no longer sees the household
        let page = site.get(&format!("/households/{h2}"), &xa).await.body;
        assert!(page.contains("Hộ đã chuyển sang xã khác ngày"), "{page}");
        assert_eq!(
            site.get(&format!("/households/{moved}"), &xa).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(ids(&site, "03325").await.contains_key("DB-002"));
        for action in [
            "household.died",
            "household.split",
            "household.merged",
            "household.moved",
        ] {
            assert_eq!(site.audited(action).await.len(), 1, "{action}");
        }
        // a leader reads the changes and records none
        let leader = site.login("lanhdao").await;
        let page = site.get(&format!("/households/{h1}"), &leader).await.body;
        assert!(page.contains("Chết") && !page.contains("/changes\""));

        // the next round's lists: the households that ended are not on their commune's; the
        // household that moved is on its new commune's, by its class where it was
        let province_officer = giamngheo_app::access::Actor {
            user_id: 0,
            name: "tinh".into(),
            full_name: String::new(),
            role: giamngheo_app::access::Role::ProvincialOfficer,
            unit: UnitCode::parse("11"),
        };
        let t = site.state.registry.for_actor(&province_officer);
        let day = |s: &str| s.parse::<giamngheo_rules::NaiveDate>().expect("a date");
        let form = giamngheo_app::reviews::PlanForm {
            year: 2026,
            plan_number: "05/KH-UBND".into(),
            plan_date: day("2026-08-20"),
            starts: day("2026-09-15"),
            ends: day("2026-11-30"),
        };
        let plan = t
            .plan_review(&UnitCode::parse("11").expect("unit"), &form)
            .await
            .expect("plan");
        let mut listed = std::collections::HashMap::new();
        for commune in ["03325", "03334"] {
            let code = giamngheo_rules::CommuneCode::parse(commune).expect("commune");
            let window = t.plan_commune(plan, &code, &form).await.expect("window");
            t.list_households(window).await.expect("listed");
            let cases: Vec<i64> = t
                .cases(window, None)
                .await
                .expect("cases")
                .iter()
                .map(|c| c.household_id)
                .collect();
            listed.insert(commune, cases);
        }
        assert!(!listed["03325"].contains(&h2) && !listed["03325"].contains(&h3));
        let was_listed = matches!(there.assessments[0].class.code(), "poor" | "near_poor");
        assert_eq!(listed["03334"].contains(&moved), was_listed, "{listed:?}");
        assert!(
            was_listed,
            "the example's DB-002 is poor or near-poor in 2025"
        );

        // the next year: a survey of the households that have ended is refused, row by row
        let dir = tempfile::tempdir().expect("tempdir");
        survey_2026(dir.path(), |_, row| Some(row));
        let files = SurveyFiles::find(dir.path()).expect("survey");
        let r = site
            .state
            .registry
            .unscoped()
            .import_survey(&ImportOptions::year(2026), &files, &mut |_, _| {})
            .await
            .expect("import");
        let errors: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("DB-002") && e.contains("chuyển sang xã khác")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("DB-003") && e.contains("nhập vào hộ khác")),
            "{errors:?}"
        );
        // ... and, surveyed where they are, they import; the moved household's transition
        // counts from its year in the commune it left
        // (DB-001's survey no longer lists who died or went with the split)
        survey_2026(dir.path(), |file, mut row| match row[0].as_str() {
            "DB-003" => None,
            "DB-001" if file == "members.csv" && row[1] != "1" => None,
            "DB-002" => {
                row[0] = "DB-002-M".into();
                if file == "households.csv" {
                    row[1] = "03334".into();
                }
                Some(row)
            }
            _ => Some(row),
        });
        let files = SurveyFiles::find(dir.path()).expect("survey");
        let r = site
            .state
            .registry
            .unscoped()
            .import_survey(&ImportOptions::year(2026), &files, &mut |_, _| {})
            .await
            .expect("import");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let there = detail(&site, moved).await;
        let (now, before) = (&there.assessments[0], &there.assessments[1]);
        assert_eq!((now.year, before.year), (2026, 2025));
        let expected = giamngheo_rules::transition::transition(
            Some(before.class),
            Some(now.class),
            None,
            2026,
        );
        assert_eq!(now.transition.as_deref(), expected.map(|t| t.code()));
        assert!(before.class.code() != "poor" || now.transition.as_deref() != Some("new_poor"));
    }
}
