//! The annual review run in the system, on every backend: the province's plan inside the
//! procedure's window, a commune's window inside the plan, the commune's list from last year's
//! poor and near-poor, and its cases taken step by step through the state machine, all or
//! nothing per step, each step in the case's history and the audit log, and nothing done outside
//! the user's scope or role.

use giamngheo_app::access::{Actor, Role};
use giamngheo_app::import::ImportOptions;
use giamngheo_app::reviews::PlanForm;
use giamngheo_app::{QueryError, Registry};
use giamngheo_rules::review::{Approved, Event, Step};
use giamngheo_rules::{Class, CommuneCode, NaiveDate, Standards, UnitCode};
use giamngheo_store::StoreOptions;
use giamngheo_testing::databases;
use std::path::Path;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn actor(id: i64, name: &str, role: Role, unit: &str) -> Actor {
    Actor {
        user_id: id,
        name: name.into(),
        full_name: String::new(),
        role,
        unit: UnitCode::parse(unit),
    }
}

fn plan(number: &str, starts: &str, ends: &str) -> PlanForm {
    PlanForm {
        year: 2026,
        plan_number: number.into(),
        plan_date: day("2026-08-20"),
        starts: day(starts),
        ends: day(ends),
    }
}

/// The refusal's message key, or the denial.
fn refusal(e: QueryError) -> String {
    match e {
        QueryError::Invalid(m) => m.key.to_string(),
        QueryError::Denied(d) => d.to_string(),
        other => panic!("not a refusal: {other}"),
    }
}

#[tokio::test]
async fn a_commune_runs_its_review_step_by_step() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025");
    for db in databases().await {
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        let files = giamngheo_app::import::SurveyFiles::find(&examples).expect("survey");
        let r = registry
            .unscoped()
            .import_survey(&ImportOptions::year(2025), &files, &mut |_, _| {})
            .await
            .expect("import");
        assert!(r.errors.is_empty());
        let tinh = actor(1, "tinh", Role::ProvincialOfficer, "11");
        let xa = actor(2, "xa", Role::CommuneOfficer, "03325");
        let leader = actor(3, "lanhdao", Role::Leader, "11");
        let hanoi = actor(4, "hanoi", Role::ProvincialOfficer, "01");
        let province = UnitCode::parse("11").expect("unit");
        let (t, x) = (registry.for_actor(&tinh), registry.for_actor(&xa));

        // the province's plan, inside 1 September - 14 December, by its officer only
        for (form, says) in [
            (
                plan("12/KH-UBND", "2026-08-31", "2026-11-30"),
                "review_plan_window",
            ),
            (
                plan("12/KH-UBND", "2026-09-01", "2026-12-15"),
                "review_plan_window",
            ),
            (
                plan("12/KH-UBND", "2026-11-01", "2026-10-01"),
                "review_plan_window",
            ),
            (plan(" ", "2026-09-01", "2026-11-30"), "review_plan_number"),
        ] {
            let e = t.plan_review(&province, &form).await.expect_err(says);
            assert_eq!(refusal(e), says, "{}", db.name);
        }
        let form = plan("12/KH-UBND", "2026-09-01", "2026-12-14");
        // a leader reads the province; a commune's officer does not see it
        for (who, says) in [(&leader, "forbidden"), (&xa, "not found")] {
            let e = registry.for_actor(who).plan_review(&province, &form).await;
            assert_eq!(refusal(e.expect_err("not theirs")), says);
        }
        let e = registry
            .for_actor(&hanoi)
            .plan_review(&province, &form)
            .await;
        assert_eq!(refusal(e.expect_err("another province")), "not found");
        let plan_id = t.plan_review(&province, &form).await.expect("the plan");

        // the commune's window inside the province's
        let commune = CommuneCode::parse("03325").expect("commune");
        let other = CommuneCode::parse("03328").expect("commune");
        let e = x
            .plan_commune(
                plan_id,
                &commune,
                &plan("05/KH-UBND", "2026-08-15", "2026-10-30"),
            )
            .await;
        assert_eq!(refusal(e.expect_err("outside")), "review_plan_window");
        let e = x
            .plan_commune(
                plan_id,
                &other,
                &plan("05/KH-UBND", "2026-09-15", "2026-10-30"),
            )
            .await;
        assert_eq!(refusal(e.expect_err("not theirs")), "not found");
        let id = x
            .plan_commune(
                plan_id,
                &commune,
                &plan("05/KH-UBND", "2026-09-15", "2026-11-30"),
            )
            .await
            .expect("the commune's window");
        assert_eq!(
            registry
                .for_actor(&hanoi)
                .review(id)
                .await
                .map(|r| r.id)
                .map_err(refusal),
            Err("not found".to_string())
        );
        let listed = t.reviews(&province, 2026).await.expect("reviews");
        assert_eq!(
            listed.iter().map(|r| r.id).collect::<Vec<_>>(),
            [plan_id, id]
        );

        // the list: last year's poor and near-poor of the commune, once
        let sums = registry
            .unscoped()
            .commune_summaries(&UnitCode::Commune(commune), 2025, 2025)
            .await
            .expect("summaries");
        let expected = (sums[0].poor + sums[0].near_poor) as u64;
        assert!(expected > 0);
        assert_eq!(
            x.list_households(id).await.expect("listed"),
            expected,
            "{}",
            db.name
        );
        assert_eq!(x.list_households(id).await.expect("again"), 0);
        let e = registry.for_actor(&leader).list_households(id).await;
        assert_eq!(refusal(e.expect_err("a leader reads")), "forbidden");
        let cases = x.cases(id, None).await.expect("cases");
        assert!(cases
            .iter()
            .all(|c| c.step == "listed" && c.origin == "on_list"));
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        assert_eq!(
            registry
                .for_actor(&leader)
                .cases(id, None)
                .await
                .expect("read")
                .len(),
            ids.len()
        );

        // a skipped step is refused for the whole batch, naming the household
        let e = x
            .take_step(id, &ids, &Event::Survey { class: Class::Poor })
            .await
            .expect_err("not screened");
        let QueryError::Invalid(m) = e else {
            panic!("{e}")
        };
        assert_eq!(m.key, "review_step_refused");
        assert!(m
            .render(giamngheo_rules::Lang::Vi)
            .contains("chưa qua bước trước"));
        let step = |n: usize| {
            let x = &x;
            async move { x.cases(id, Some(Step::ALL[n])).await.expect("cases").len() }
        };
        assert_eq!(step(0).await, ids.len(), "nothing moved");

        // the whole way; a meeting under the quorum sends the cases back to survey
        x.take_step(id, &ids, &Event::Screen { eligible: true })
            .await
            .expect("screened");
        x.take_step(id, &ids, &Event::Survey { class: Class::Poor })
            .await
            .expect("surveyed");
        let under = Event::Meeting {
            participants: 40,
            in_favour: 19,
        };
        x.take_step(id, &ids, &under).await.expect("met");
        assert_eq!(
            x.cases(id, Some(Step::Screened)).await.expect("back").len(),
            ids.len()
        );
        x.take_step(id, &ids, &Event::Survey { class: Class::Poor })
            .await
            .expect("surveyed again");
        let agreed = Event::Meeting {
            participants: 40,
            in_favour: 20,
        };
        x.take_step(id, &ids, &agreed).await.expect("agreed");
        // posted on Thursday 12 November: three working days end on Monday 16
        x.take_step(
            id,
            &ids,
            &Event::Post {
                start: day("2026-11-12"),
            },
        )
        .await
        .expect("posted");
        let posted = x.cases(id, Some(Step::Posted)).await.expect("posted");
        assert!(posted
            .iter()
            .all(|c| c.posting_ends == Some(day("2026-11-16"))));
        let e = x
            .take_step(
                id,
                &ids,
                &Event::Consult {
                    on: day("2026-11-16"),
                },
            )
            .await
            .expect_err("too early");
        let QueryError::Invalid(m) = e else {
            panic!("{e}")
        };
        assert!(m
            .render(giamngheo_rules::Lang::Vi)
            .contains("chưa hết thời gian niêm yết"));
        x.take_step(
            id,
            &ids,
            &Event::Consult {
                on: day("2026-11-17"),
            },
        )
        .await
        .expect("consulted");
        x.take_step(
            id,
            &ids,
            &Event::Decide {
                approved: Approved::Poor,
            },
        )
        .await
        .expect("decided");
        x.take_step(id, &ids, &Event::Certify)
            .await
            .expect("certified");
        let done = x.cases(id, None).await.expect("cases");
        assert!(done
            .iter()
            .all(|c| c.step == "certified" && c.approved.as_deref() == Some("poor")));

        // every step in the case's history and the audit log
        let history = x.case_history(id, ids[0]).await.expect("history");
        let events: Vec<&str> = history.iter().map(|h| h.2.as_str()).collect();
        assert_eq!(
            events,
            [
                "screen", "survey", "meeting", "survey", "meeting", "post", "consult", "decide",
                "certify"
            ],
            "{}",
            db.name
        );
        assert!(history.iter().all(|h| h.3 == "xa"));
        for action in [
            "review.plan",
            "review.list",
            "review.meeting",
            "review.decide",
        ] {
            let entries = registry
                .unscoped()
                .audit_log(&giamngheo_app::records::AuditFilter {
                    action: Some(action.into()),
                    limit: 10,
                    ..Default::default()
                })
                .await
                .expect("log");
            assert!(!entries.is_empty(), "{}: {action}", db.name);
        }
        registry.close().await;
    }
}
