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

#[tokio::test]
async fn imported_surveys_feed_the_review_to_its_decision_and_certificates() {
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut panel = Panel::new(&SynthOptions {
        households: 400,
        province: Some("11".into()),
        year: 2024,
        seed: 7,
    })
    .expect("panel");
    for year in [2024, 2025] {
        let d = dir.path().join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        panel.advance();
    }
    for db in databases().await {
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        for year in [2024, 2025] {
            let files =
                giamngheo_app::import::SurveyFiles::find(&dir.path().join(year.to_string()))
                    .expect("survey");
            let r = registry
                .unscoped()
                .import_survey(&ImportOptions::year(year), &files, &mut |_, _| {})
                .await
                .expect("import");
            assert!(r.errors.is_empty(), "{:?}", r.errors.first());
        }
        // the commune with the most escapes in 2025, and its lists of 2024
        let sums = registry
            .unscoped()
            .commune_summaries(&UnitCode::parse("11").expect("unit"), 2024, 2025)
            .await
            .expect("summaries");
        let most = sums
            .iter()
            .filter(|s| s.year == 2025)
            .max_by_key(|s| (s.escaped, s.poor))
            .expect("a commune");
        assert!(most.escaped > 0);
        let top = sums
            .iter()
            .find(|s| s.year == 2024 && s.commune_code == most.commune_code)
            .expect("its 2024");
        let commune = CommuneCode::parse(&top.commune_code).expect("commune");
        let tinh = actor(1, "tinh", Role::ProvincialOfficer, "11");
        let xa = actor(2, "xa", Role::CommuneOfficer, commune.as_str());
        let (t, x) = (registry.for_actor(&tinh), registry.for_actor(&xa));
        let province = UnitCode::parse("11").expect("unit");
        let form = PlanForm {
            year: 2025,
            plan_number: "30/KH-UBND".into(),
            plan_date: day("2025-08-25"),
            starts: day("2025-09-01"),
            ends: day("2025-12-14"),
        };
        let plan_id = t.plan_review(&province, &form).await.expect("plan");
        let id = x
            .plan_commune(plan_id, &commune, &form)
            .await
            .expect("window");
        let listed = x.list_households(id).await.expect("list") as usize;
        assert_eq!(listed as i64, top.poor + top.near_poor, "{}", db.name);
        let cases = x.cases(id, None).await.expect("cases");
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        x.screen(id, &ids, true).await.expect("screened");
        // the 2025 survey proposes each class; a household not surveyed in 2025 waits
        let surveyed = x.survey_from_assessments(id).await.expect("surveyed");
        assert!(surveyed > 0 && surveyed <= listed, "{surveyed} of {listed}");
        let at = |s: Step| {
            let x = &x;
            async move { x.cases(id, Some(s)).await.expect("cases") }
        };
        let waiting = at(Step::Screened).await.len();
        assert_eq!(waiting + surveyed, listed);
        // each village meets; nothing is left to meet about
        let mut villages: Vec<Option<String>> = at(Step::Surveyed)
            .await
            .into_iter()
            .map(|c| c.village)
            .collect();
        villages.sort();
        villages.dedup();
        for v in &villages {
            x.village_meeting(id, v.as_deref(), day("2025-10-20"), 30, 25, None)
                .await
                .expect("met");
        }
        let again = x
            .village_meeting(id, villages[0].as_deref(), day("2025-10-21"), 30, 25, None)
            .await;
        assert_eq!(
            refusal(again.expect_err("none left")),
            "review_nothing_to_do"
        );
        // posted Monday 3 November for three working days, to Wednesday 5
        x.post(
            id,
            day("2025-11-03"),
            "Nhà văn hóa các thôn; trụ sở UBND xã",
        )
        .await
        .expect("posted");
        let e = x
            .consult(id, day("2025-11-05"))
            .await
            .expect_err("too early");
        assert_eq!(refusal(e), "review_step_refused");
        x.consult(id, day("2025-11-06")).await.expect("consulted");
        let decided = x
            .decide(id, "125/QĐ-UBND", day("2025-11-10"))
            .await
            .expect("decided");
        assert_eq!(decided, surveyed);
        // each approved as the survey found it against the list it was on
        let classes: std::collections::HashMap<i64, Option<String>> = cases
            .iter()
            .map(|c| (c.id, c.previous_class.clone()))
            .collect();
        let done = at(Step::Decided).await;
        assert_eq!(done.len(), surveyed);
        for c in &done {
            let previous = classes[&c.id].as_deref().and_then(Class::from_code);
            let proposed = c
                .proposed_class
                .as_deref()
                .and_then(Class::from_code)
                .expect("proposed");
            assert_eq!(
                c.approved.as_deref(),
                Some(Approved::for_class(previous, proposed).code()),
                "{}",
                c.household_code
            );
        }
        let certified = done
            .iter()
            .filter(|c| matches!(c.approved.as_deref(), Some("poor" | "near_poor")))
            .count();
        assert!(done
            .iter()
            .any(|c| c.approved.as_deref() == Some("escaped_poor")
                || c.approved.as_deref() == Some("escaped_near_poor")));
        // certificates numbered 1, 2, ... for the poor and near-poor only
        assert_eq!(
            x.certify(id, day("2025-11-12")).await.expect("certified"),
            certified
        );
        let numbers: Vec<String> = x
            .certificates(id)
            .await
            .expect("certificates")
            .into_iter()
            .map(|c| c.number)
            .collect();
        let expected: Vec<String> = (1..=certified).map(|n| format!("{n}/GCN-HN.HCN")).collect();
        assert_eq!(numbers, expected, "{}", db.name);
        assert_eq!(
            refusal(
                x.certify(id, day("2025-11-13"))
                    .await
                    .expect_err("none left")
            ),
            "review_nothing_to_do"
        );
        // a decision number is the commune's once
        // a decision number is the commune's once: a second window of the same commune that
        // reaches its decision cannot reuse it, and writes nothing
        let second = x
            .plan_commune(
                plan_id,
                &commune,
                &PlanForm {
                    starts: day("2025-09-02"),
                    ..form.clone()
                },
            )
            .await
            .expect("a second window");
        x.list_households(second).await.expect("listed");
        let ids2: Vec<i64> = x
            .cases(second, None)
            .await
            .expect("cases")
            .iter()
            .map(|c| c.id)
            .collect();
        x.screen(second, &ids2, true).await.expect("screened");
        x.take_step(
            second,
            &ids2,
            &Event::Survey {
                class: Class::NearPoor,
            },
        )
        .await
        .expect("surveyed");
        x.take_step(
            second,
            &ids2,
            &Event::Meeting {
                participants: 10,
                in_favour: 10,
            },
        )
        .await
        .expect("met");
        x.post(second, day("2025-11-17"), "UBND xã")
            .await
            .expect("posted");
        // complaints during the posting: an unjustified one keeps the household on the list,
        // a justified one sends it back to be surveyed
        let posted = x.cases(second, Some(Step::Posted)).await.expect("posted");
        assert!(posted.len() >= 2);
        let (kept, reopened) = (&posted[0].household_code, &posted[1].household_code);
        x.complaint(
            second,
            kept,
            false,
            "Hàng xóm cho rằng hộ có xe máy mới; đã kiểm tra: xe đi mượn",
        )
        .await
        .expect("answered");
        x.complaint(
            second,
            reopened,
            true,
            "Hộ đã có người đi làm có lương từ tháng 10",
        )
        .await
        .expect("reopened");
        let e = x.complaint(second, reopened, true, "lần nữa").await;
        assert_eq!(
            refusal(e.expect_err("no longer posted")),
            "review_not_posted"
        );
        let e = x.complaint(second, kept, true, "  ").await;
        assert_eq!(refusal(e.expect_err("no text")), "review_complaint_text");
        let back = x.cases(second, Some(Step::Screened)).await.expect("cases");
        assert_eq!(
            back.iter().map(|c| &c.household_code).collect::<Vec<_>>(),
            [reopened]
        );
        let ids2: Vec<i64> = ids2.into_iter().filter(|i| *i != back[0].id).collect();
        x.consult(second, day("2025-11-20"))
            .await
            .expect("consulted");
        let e = x.decide(second, "125/QĐ-UBND", day("2025-11-24")).await;
        assert_eq!(
            refusal(e.expect_err("taken")),
            "review_decision_number_taken"
        );
        let still = x.cases(second, Some(Step::Consulted)).await.expect("cases");
        assert_eq!(still.len(), ids2.len(), "nothing written");
        x.decide(second, "126/QĐ-UBND", day("2025-11-24"))
            .await
            .expect("its own number");
        // its certificates go on from the commune's last of the year
        x.certify(second, day("2025-11-25"))
            .await
            .expect("certified");
        let next = x.certificates(second).await.expect("certificates");
        assert_eq!(
            next.first().map(|c| c.number.clone()),
            Some(format!("{}/GCN-HN.HCN", certified + 1))
        );
        // what a decision recognised is the household's class of the year: the second window
        // recognised every household near-poor, whatever its survey found
        let recognised = x.cases(second, Some(Step::Certified)).await.expect("cases");
        let mut overridden = None;
        for c in &recognised {
            let h = registry
                .unscoped()
                .household(c.household_id)
                .await
                .expect("household")
                .expect("stored");
            let a = h.assessments.iter().find(|a| a.year == 2025).expect("2025");
            assert_eq!(
                a.class,
                Class::NearPoor,
                "{}: {}",
                db.name,
                c.household_code
            );
            if a.surveyed_class.is_some_and(|s| s != Class::NearPoor) {
                overridden = Some((c.household_id, a.surveyed_class));
            }
        }
        let (household, surveyed) = overridden.expect("a household its survey found otherwise");
        let sums = registry
            .unscoped()
            .commune_summaries(&UnitCode::Commune(commune), 2025, 2025)
            .await
            .expect("summaries");
        assert!(sums[0].stock_holds(), "{}: {:?}", db.name, sums[0]);
        // the year's survey imported again over itself (`--replace`: the same answers, one more line
        // at its end) leaves
        // the decisions standing over the new answers
        let again = dir.path().join("2025-again");
        std::fs::create_dir_all(&again).expect("dir");
        for f in ["households.csv", "members.csv"] {
            std::fs::copy(dir.path().join("2025").join(f), again.join(f)).expect("copy");
        }
        let mut text = std::fs::read_to_string(again.join("households.csv")).expect("read");
        text.push('\n');
        std::fs::write(again.join("households.csv"), text).expect("write");
        let files = giamngheo_app::import::SurveyFiles::find(&again).expect("survey");
        let r = registry
            .unscoped()
            .import_survey(
                &ImportOptions {
                    replace: true,
                    ..ImportOptions::year(2025)
                },
                &files,
                &mut |_, _| {},
            )
            .await
            .expect("import");
        assert!(r.errors.is_empty(), "{:?}", r.errors.first());
        assert!(
            matches!(
                r.outcome,
                giamngheo_app::import::FileOutcome::Imported { .. }
            ),
            "{:?}",
            r.outcome
        );
        let h = registry
            .unscoped()
            .household(household)
            .await
            .expect("household")
            .expect("stored");
        let a = h.assessments.iter().find(|a| a.year == 2025).expect("2025");
        assert_eq!(
            (a.class, a.surveyed_class),
            (Class::NearPoor, surveyed),
            "{}",
            db.name
        );
        let after = registry
            .unscoped()
            .commune_summaries(&UnitCode::Commune(commune), 2025, 2025)
            .await
            .expect("summaries");
        assert_eq!(after, sums, "{}", db.name);
        // the year locks only when every household has its result
        let e = t.lock_year(&province, 2025).await;
        assert_eq!(refusal(e.expect_err("one open")), "review_open_cases");
        let e = x.lock_year(&province, 2025).await;
        assert_eq!(refusal(e.expect_err("a commune's officer")), "not found");
        x.take_step(second, &[back[0].id], &Event::Refuse)
            .await
            .expect("refused in writing");
        assert_eq!(t.lock_year(&province, 2025).await.expect("locked"), 3);
        let e = x.take_step(second, &[back[0].id], &Event::Refuse).await;
        assert_eq!(refusal(e.expect_err("locked")), "review_locked");
        let e = x.list_households(id).await;
        assert_eq!(refusal(e.expect_err("locked")), "review_locked");
        registry.close().await;
    }
}

#[tokio::test]
async fn in_year_requests_go_to_the_next_round_and_count_overdue_in_working_days() {
    use giamngheo_app::reviews::{round_start, Request};
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025");
    // the round day: this month's 15th if not past, else next month's
    assert_eq!(round_start(day("2026-02-15"), 15), Some(day("2026-02-15")));
    assert_eq!(round_start(day("2026-02-16"), 15), Some(day("2026-03-15")));
    assert_eq!(round_start(day("2026-12-20"), 15), Some(day("2027-01-15")));
    for db in databases().await {
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        let files = giamngheo_app::import::SurveyFiles::find(&examples).expect("survey");
        registry
            .unscoped()
            .import_survey(&ImportOptions::year(2025), &files, &mut |_, _| {})
            .await
            .expect("import");
        let xa = actor(2, "xa", Role::CommuneOfficer, "03325");
        let leader = actor(3, "lanhdao", Role::Leader, "11");
        let x = registry.for_actor(&xa);
        let commune = UnitCode::parse("03325").expect("unit");
        let page = registry
            .unscoped()
            .households(&giamngheo_app::records::HouseholdQuery::new(commune, 2025))
            .await
            .expect("households");
        let (first, second) = (page.lines[0].id, page.lines[1].id);
        // filed before Tết: the round opens on Sunday 15 February, and 15 working days after
        // Tết and the weekends end on Friday 13 March
        let feb = x
            .file_request(first, Request::Poor, day("2026-02-10"))
            .await
            .expect("filed");
        let round = x.review(feb).await.expect("the round");
        assert_eq!(
            (round.kind.as_str(), round.starts, round.ends),
            ("in_year", day("2026-02-15"), day("2026-03-13")),
            "{}",
            db.name
        );
        let e = x
            .file_request(first, Request::Poor, day("2026-02-12"))
            .await;
        assert_eq!(refusal(e.expect_err("twice")), "review_request_twice");
        let e = registry
            .for_actor(&leader)
            .file_request(first, Request::Poor, day("2026-02-12"))
            .await;
        assert_eq!(refusal(e.expect_err("a leader reads")), "forbidden");
        // filed after the 15th: next month's round
        let mar = x
            .file_request(second, Request::Escape, day("2026-02-16"))
            .await
            .expect("filed");
        assert_ne!(mar, feb);
        assert_eq!(
            x.review(mar).await.expect("round").starts,
            day("2026-03-15")
        );
        let cases = x.cases(feb, None).await.expect("cases");
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].origin, "requested_poor");
        // overdue the working day after the deadline, not on it
        assert!(x
            .overdue(&commune, day("2026-03-13"))
            .await
            .expect("overdue")
            .is_empty());
        let late = x
            .overdue(&commune, day("2026-03-14"))
            .await
            .expect("overdue");
        assert_eq!(
            late.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
            [feb],
            "{}",
            db.name
        );
        let province = UnitCode::parse("11").expect("unit");
        assert_eq!(
            registry
                .for_actor(&leader)
                .overdue(&province, day("2026-03-14"))
                .await
                .expect("read")
                .len(),
            1
        );
        // refused in writing, with its reason: no longer overdue
        let code = cases[0].household_code.clone();
        let e = x.refuse(feb, &code, " ").await;
        assert_eq!(refusal(e.expect_err("no reason")), "review_refusal_reason");
        x.refuse(
            feb,
            &code,
            "Thu nhập bình quân 2.300.000 đồng/người/tháng, trên chuẩn cận nghèo",
        )
        .await
        .expect("refused");
        assert!(x
            .overdue(&commune, day("2026-03-14"))
            .await
            .expect("overdue")
            .is_empty());
        let history = x.case_history(feb, cases[0].id).await.expect("history");
        assert_eq!(history.last().map(|h| h.2.as_str()), Some("refuse"));
        registry.close().await;
    }
}

/// Two years of a synthetic Điện Biên written as the exchange format under `dir/2024` and
/// `dir/2025` (and a third, `dir/2026`).
fn panel_years(dir: &Path) {
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let mut panel = Panel::new(&SynthOptions {
        households: 300,
        province: Some("11".into()),
        year: 2024,
        seed: 11,
    })
    .expect("panel");
    for year in [2024, 2025, 2026] {
        let d = dir.join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        panel.advance();
    }
}

/// A year decided before it came in: every household a decided case of an `imported` review
/// of its commune, approved as its class against last year's lists, under the decision its row
/// names or the import's; refused whole without a decision, over a review of the commune's
/// own, and once the province has locked the year.
#[tokio::test]
async fn a_decided_year_imports_as_decided_cases_and_a_locked_year_takes_no_import() {
    for db in databases().await {
        let dir = tempfile::tempdir().expect("tempdir");
        panel_years(dir.path());
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        let store = giamngheo_store::Store::open(&db.url).await.expect("store");
        let files = |year: i32| {
            giamngheo_app::import::SurveyFiles::find(&dir.path().join(year.to_string()))
                .expect("survey")
        };
        let r = registry
            .unscoped()
            .import_survey(&ImportOptions::year(2024), &files(2024), &mut |_, _| {})
            .await
            .expect("import");
        assert!(r.errors.is_empty(), "{}", db.name);
        // 2025's first household names its own decision; the others take the command's
        let path = dir.path().join("2025/households.csv");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut lines = text.lines();
        let mut edited = format!(
            "{},x_decision_number,x_decision_date\n",
            lines.next().expect("header")
        );
        let first = lines.next().expect("a row");
        edited.push_str(&format!("{first},130/QĐ-UBND,2025-11-20\n"));
        let first_code = first.split(',').next().expect("code").to_string();
        for l in lines {
            edited.push_str(&format!("{l},,\n"));
        }
        std::fs::write(&path, edited).expect("write");
        // without a decision: refused whole, each row named
        let bare = ImportOptions {
            decided: Some(giamngheo_app::import::Decided::default()),
            ..ImportOptions::year(2025)
        };
        let r = registry
            .unscoped()
            .import_survey(&bare, &files(2025), &mut |_, _| {})
            .await
            .expect("import");
        assert!(
            r.errors.len() > 100 && r.errors.iter().all(|e| e.column.starts_with("x_decision_")),
            "{}: {:?}",
            db.name,
            r.errors.first()
        );
        assert_eq!(store.counts().await.expect("counts").assessments, 300);
        let decided = ImportOptions {
            decided: Some(giamngheo_app::import::Decided {
                number: Some("125/QĐ-UBND".into()),
                on: Some(day("2025-11-10")),
            }),
            ..ImportOptions::year(2025)
        };
        let r = registry
            .unscoped()
            .import_survey(&decided, &files(2025), &mut |_, _| {})
            .await
            .expect("import");
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors.first());
        let tinh = actor(1, "tinh", Role::ProvincialOfficer, "11");
        let t = registry.for_actor(&tinh);
        let province = UnitCode::parse("11").expect("unit");
        let reviews = t.reviews(&province, 2025).await.expect("reviews");
        assert!(reviews.iter().all(|r| r.kind == "imported"), "{}", db.name);
        let windows: Vec<_> = reviews
            .iter()
            .filter(|r| r.commune_code.is_some())
            .collect();
        let mut cases = 0;
        let mut escaped = 0;
        for w in &windows {
            let commune = w.commune_code.clone().expect("a commune");
            let before = store.classes_of(&commune, 2024).await.expect("2024");
            let after = store.classes_of(&commune, 2025).await.expect("2025");
            let lines = t.decision_lines(w.id).await.expect("lines");
            for (number, on, case, approved) in &lines {
                assert_eq!(case.step, "decided");
                let class = |m: &std::collections::HashMap<i64, String>| {
                    m.get(&case.household_id).and_then(|c| Class::from_code(c))
                };
                let expected = Approved::for_class(class(&before), class(&after).expect("2025"));
                assert_eq!(*approved, expected, "{}: {}", db.name, case.household_code);
                if case.household_code == first_code {
                    assert_eq!((number.as_str(), *on), ("130/QĐ-UBND", day("2025-11-20")));
                } else {
                    assert_eq!((number.as_str(), *on), ("125/QĐ-UBND", day("2025-11-10")));
                }
                escaped += usize::from(matches!(
                    approved,
                    Approved::EscapedPoor | Approved::EscapedNearPoor
                ));
            }
            cases += lines.len();
        }
        assert_eq!(cases, 300, "{}", db.name);
        assert!(escaped > 0, "{}: the panel has escapes", db.name);
        let log = store
            .audit_log(&giamngheo_store::AuditFilter {
                action: Some("review.imported".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("log");
        assert_eq!(log.len(), 1, "{}", db.name);
        // a commune with its 2025 decided takes no second decided import of it
        let one = dir.path().join("one");
        std::fs::create_dir_all(&one).expect("dir");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut l = text.lines();
        let header = l.next().expect("header");
        let row = l.nth(1).expect("a row").replacen(',', "-B,", 1);
        std::fs::write(one.join("households.csv"), format!("{header}\n{row}\n")).expect("write");
        let code = row
            .split(',')
            .next()
            .expect("code")
            .trim_end_matches("-B")
            .to_string();
        let m = std::fs::read_to_string(dir.path().join("2025/members.csv")).expect("read");
        let mut ml = m.lines();
        let mheader = ml.next().expect("header");
        let mine: Vec<String> = ml
            .filter(|r| r.split(',').next() == Some(code.as_str()))
            .map(|r| r.replacen(',', "-B,", 1))
            // (the same people may not be in two households)
            .map(|r| {
                let cols: Vec<&str> = mheader.split(',').collect();
                let at = cols
                    .iter()
                    .position(|c| *c == "id_number")
                    .expect("id column");
                let mut v: Vec<String> = r.split(',').map(str::to_string).collect();
                v[at] = String::new();
                v.join(",")
            })
            .collect();
        std::fs::write(
            one.join("members.csv"),
            format!("{mheader}\n{}\n", mine.join("\n")),
        )
        .expect("write");
        let one_files = giamngheo_app::import::SurveyFiles::find(&one).expect("survey");
        let again = registry
            .unscoped()
            .import_survey(&decided, &one_files, &mut |_, _| {})
            .await
            .expect("import");
        assert!(
            again
                .errors
                .iter()
                .any(|e| e.message.key == "year_reviewed_here"),
            "{}: {:?}",
            db.name,
            again.errors
        );
        // the province locks 2025: no import changes it any more
        assert_eq!(
            t.lock_year(&province, 2025).await.expect("lock"),
            windows.len() + 1
        );
        let plain = registry
            .unscoped()
            .import_survey(&ImportOptions::year(2025), &one_files, &mut |_, _| {})
            .await
            .expect("import");
        assert!(
            plain
                .errors
                .iter()
                .any(|e| e.message.key == "year_locked" && e.column == "commune_code"),
            "{}: {:?}",
            db.name,
            plain.errors
        );
        assert_eq!(
            store.counts().await.expect("counts").assessments,
            600,
            "{}",
            db.name
        );
    }
}
