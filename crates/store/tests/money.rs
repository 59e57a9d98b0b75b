//! The program's money in the store, on every backend: plans and their revisions in force by
//! date, allocations within the province's plan, payments within the plan unless advanced, and
//! nothing written by a refused write.

use giamngheo_rules::NaiveDate;
use giamngheo_store::{MoneyKey, NewDisbursement, NewEstimate, NewPlan, PlanLine, Store, Who};
use giamngheo_testing::databases;

const PROGRAM: &str = "ntp-giam-ngheo-2021-2025";
const M: i64 = 1_000_000;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn line(item: &str, source: &str, amount: i64) -> PlanLine {
    PlanLine {
        item: item.into(),
        source: source.into(),
        origin_year: 2025,
        amount,
    }
}

fn plan(unit: &str, document: &str, on: &str, lines: Vec<PlanLine>) -> NewPlan {
    NewPlan {
        province_code: "11".into(),
        unit_code: unit.into(),
        budget_year: 2025,
        program: PROGRAM.into(),
        document: document.into(),
        decided_on: day(on),
        note: None,
        lines,
    }
}

fn paid(unit: &str, on: &str, amount: i64, advance: Option<&str>) -> NewDisbursement {
    NewDisbursement {
        province_code: "11".into(),
        unit_code: unit.into(),
        budget_year: 2025,
        program: PROGRAM.into(),
        item: "DA5".into(),
        source: "central_recurrent".into(),
        origin_year: 2025,
        paid_on: day(on),
        amount,
        document: format!("UNC-{on}"),
        advance_reason: advance.map(str::to_string),
    }
}

fn key(unit: &str) -> MoneyKey {
    MoneyKey {
        unit_code: unit.into(),
        item: "DA5".into(),
        source: "central_recurrent".into(),
        origin_year: 2025,
    }
}

#[tokio::test]
async fn plans_allocations_and_payments_hold_together() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let who = Who::cli();
        // the province's plan: 1,000 million for housing; 600 of it allocated to a commune
        let ids = store
            .write_plans(
                &who,
                &[
                    plan(
                        "11",
                        "120/QĐ-UBND",
                        "2025-01-15",
                        vec![line("DA5", "central_recurrent", 1_000 * M)],
                    ),
                    plan(
                        "03325",
                        "121/QĐ-UBND",
                        "2025-01-20",
                        vec![line("DA5", "central_recurrent", 600 * M)],
                    ),
                ],
            )
            .await
            .expect("write")
            .expect("accepted");
        assert_eq!(ids.len(), 2, "{}", db.name);
        // a second commune allocated more than is left: refused, named, nothing written
        let over = store
            .write_plans(
                &who,
                &[plan(
                    "03328",
                    "122/QĐ-UBND",
                    "2025-01-21",
                    vec![line("DA5", "central_recurrent", 401 * M)],
                )],
            )
            .await
            .expect("write")
            .expect_err("over the province's plan");
        assert_eq!(
            (over[0].index, over[0].line, over[0].column),
            (0, Some(0), "amount")
        );
        assert_eq!(over[0].message.key, "money_allocated_over_plan");
        assert!(
            over[0]
                .message
                .render(giamngheo_rules::Lang::Vi)
                .contains("1.001.000.000 đ"),
            "{}",
            over[0].message.render(giamngheo_rules::Lang::Vi)
        );
        assert!(store
            .plan_history("03328", 2025)
            .await
            .expect("history")
            .is_empty());
        // exactly what is left: accepted
        store
            .write_plans(
                &who,
                &[plan(
                    "03328",
                    "122/QĐ-UBND",
                    "2025-01-21",
                    vec![line("DA5", "central_recurrent", 400 * M)],
                )],
            )
            .await
            .expect("write")
            .expect("exactly the rest");
        // payments up to the allocation; one đồng over is refused unless advanced
        store
            .write_disbursements(
                &who,
                &[
                    paid("03325", "2025-03-10", 250 * M, None),
                    paid("03325", "2025-06-10", 350 * M, None),
                ],
                None,
            )
            .await
            .expect("write")
            .expect("within the plan");
        let one_over = store
            .write_disbursements(&who, &[paid("03325", "2025-07-01", 1, None)], None)
            .await
            .expect("write")
            .expect_err("one đồng over");
        assert_eq!(one_over[0].message.key, "money_over_plan");
        // a batch refused whole: its good payment is not written either
        let batch = store
            .write_disbursements(
                &who,
                &[
                    paid("03328", "2025-07-01", 10 * M, None),
                    paid("03325", "2025-07-02", 5 * M, None),
                ],
                None,
            )
            .await
            .expect("write")
            .expect_err("its second payment");
        assert_eq!(batch.iter().map(|p| p.index).collect::<Vec<_>>(), [1]);
        let money = store
            .money("11", 2025, day("2025-12-31"))
            .await
            .expect("money");
        assert_eq!(money[&key("03328")].disbursed(), 0, "{}", db.name);
        // an advance, with its reason, goes over
        store
            .write_disbursements(
                &who,
                &[paid(
                    "03325",
                    "2025-07-02",
                    5 * M,
                    Some("Tạm ứng theo Công văn 45/UBND chờ bổ sung kế hoạch"),
                )],
                None,
            )
            .await
            .expect("write")
            .expect("an advance");
        // a revision may not cut a plan below what is disbursed
        let cut = store
            .write_plans(
                &who,
                &[plan(
                    "03325",
                    "130/QĐ-UBND",
                    "2025-08-01",
                    vec![line("DA5", "central_recurrent", 500 * M)],
                )],
            )
            .await
            .expect("write")
            .expect_err("below the disbursed");
        assert_eq!(cut[0].message.key, "money_plan_below_disbursed");
        // the province's own part is what it did not allocate: nothing, here
        let own = store
            .write_disbursements(&who, &[paid("11", "2025-08-01", 1, None)], None)
            .await
            .expect("write")
            .expect_err("the province allocated it all");
        assert_eq!(own[0].message.key, "money_over_plan");
        // the province's plan raised in September: in force from its day, not before
        store
            .write_plans(
                &who,
                &[plan(
                    "11",
                    "140/QĐ-UBND",
                    "2025-09-15",
                    vec![line("DA5", "central_recurrent", 1_200 * M)],
                )],
            )
            .await
            .expect("write")
            .expect("a revision");
        store
            .write_disbursements(&who, &[paid("11", "2025-09-20", 150 * M, None)], None)
            .await
            .expect("write")
            .expect("the province's own part, after its revision");
        let early = store
            .write_disbursements(&who, &[paid("11", "2025-09-14", M, None)], None)
            .await
            .expect("write")
            .expect_err("before the revision, nothing was left");
        assert_eq!(early[0].message.key, "money_over_plan");
        let history = store.plan_history("11", 2025).await.expect("history");
        assert_eq!(
            history
                .iter()
                .map(|d| (d.document.as_str(), d.lines[0].amount))
                .collect::<Vec<_>>(),
            [("120/QĐ-UBND", 1_000 * M), ("140/QĐ-UBND", 1_200 * M)]
        );
        // the figures: the plan in force on the day asked, disbursed by month, advances apart
        let june = store
            .money("11", 2025, day("2025-06-30"))
            .await
            .expect("money");
        assert_eq!(june[&key("11")].plan, 1_000 * M);
        let year = store
            .money("11", 2025, day("2025-12-31"))
            .await
            .expect("money");
        assert_eq!(year[&key("11")].plan, 1_200 * M);
        let c = &year[&key("03325")];
        assert_eq!(
            (c.plan, c.disbursed(), c.advances, c.payments),
            (600 * M, 605 * M, 5 * M, 3)
        );
        assert_eq!(c.by_month[2], 250 * M);
        assert_eq!(c.by_month[5], 350 * M);
        assert_eq!(c.by_month[6], 5 * M);
        assert_eq!(year[&key("11")].disbursed(), 150 * M);
        // an estimate to the year's end, the latest counting
        store
            .write_estimates(
                &who,
                &[
                    NewEstimate {
                        province_code: "11".into(),
                        unit_code: "03328".into(),
                        budget_year: 2025,
                        program: PROGRAM.into(),
                        item: "DA5".into(),
                        source: "central_recurrent".into(),
                        origin_year: 2025,
                        as_of: day("2025-09-30"),
                        amount: 300 * M,
                    },
                    NewEstimate {
                        province_code: "11".into(),
                        unit_code: "03328".into(),
                        budget_year: 2025,
                        program: PROGRAM.into(),
                        item: "DA5".into(),
                        source: "central_recurrent".into(),
                        origin_year: 2025,
                        as_of: day("2025-10-31"),
                        amount: 380 * M,
                    },
                ],
            )
            .await
            .expect("estimates");
        let year = store
            .money("11", 2025, day("2025-12-31"))
            .await
            .expect("money");
        assert_eq!(year[&key("03328")].estimate, Some(380 * M));
        assert_eq!(year[&key("03328")].disbursed(), 0);
        // the payments' list, latest first, and the years
        let list = store
            .disbursements("03325", 2025, 10, 0)
            .await
            .expect("list");
        assert_eq!(list.len(), 3);
        assert_eq!(
            list[0].advance_reason.as_deref(),
            Some("Tạm ứng theo Công văn 45/UBND chờ bổ sung kế hoạch")
        );
        assert_eq!(store.money_years("11").await.expect("years"), [2025]);
        store.close().await;
    }
}
