//! The program's money through its use cases, on every backend: plans and payments read from
//! CSV and XLSX files in the documented format, every bad row named by file, row and column,
//! nothing written by a refused file, and nobody writing outside their role and scope.

use giamngheo_app::access::{Actor, Role};
use giamngheo_app::{QueryError, Registry};
use giamngheo_rules::{Lang, NaiveDate, Standards, UnitCode};
use giamngheo_store::{MoneyKey, StoreOptions};
use giamngheo_testing::databases;
use std::path::Path;

const M: i64 = 1_000_000;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn actor(name: &str, role: Role, unit: &str) -> Actor {
    Actor {
        user_id: 0,
        name: name.into(),
        full_name: String::new(),
        role,
        unit: UnitCode::parse(unit),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// Every refusal as `row:column:key`, for the assertions.
fn refused(e: QueryError) -> Vec<String> {
    match e {
        QueryError::Rejected(rows) => rows
            .iter()
            .map(|r| format!("{}:{}:{}", r.row, r.column, r.message.key))
            .collect(),
        other => panic!("not refused by row: {other:?}"),
    }
}

const PLANS: &str = "unit_code,budget_year,document,decided_on,item,source,origin_year,amount,note
11,2025,120/QĐ-UBND,2025-01-15,DA3,central_recurrent,2025,900000000,Tổng dự án 3
11,2025,120/QĐ-UBND,2025-01-15,DA3.TDA1,central_recurrent,2025,600000000,
11,2025,120/QĐ-UBND,2025-01-15,DA3.TDA2,central_recurrent,2025,300000000,
11,2025,120/QĐ-UBND,2025-01-15,DA1.TDA1,central_investment,2025,2000000000,
03325,2025,121/QĐ-UBND,2025-01-20,DA3.TDA1,central_recurrent,2025,400000000,
";

#[tokio::test]
async fn plans_and_payments_come_from_files_checked_row_by_row() {
    for db in databases().await {
        let dir = tempfile::tempdir().expect("dir");
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        let tinh = actor("tinh", Role::ProvincialOfficer, "11");
        let xa = actor("xa", Role::CommuneOfficer, "03325");
        let leader = actor("lanhdao", Role::Leader, "11");
        let (t, x) = (registry.for_actor(&tinh), registry.for_actor(&xa));
        // a file with every kind of bad row: each named, nothing written
        let bad = write(
            dir.path(),
            "ke-hoach-sai.csv",
            &(PLANS
                .replace("DA1.TDA1,central_investment", "DA1.TDA1,central_recurrent")
                .replace(
                    ",DA3.TDA2,central_recurrent,2025,300000000,",
                    ",DA3.TDA2,central_recurrent,2025,299999999,",
                )
                .replace("03325,2025,121", "99999,2025,121")
                + "11,2025,120/QĐ-UBND,2025-01-15,DA9,central_recurrent,2025,1,\n"
                + "11,2025,120/QĐ-UBND,2025-01-15,DA2,mobilised,2025,1,\n"
                + "11,2025,120/QĐ-UBND,2025-01-15,DA2,central_recurrent,2025,1.000.000,\n"
                + "11,2025,120/QĐ-UBND,2025-02-30,DA5,central_recurrent,2025,1,\n"
                + "11,2025,120/QĐ-UBND,2025-01-15,DA5,central_recurrent,2019,1,\n"
                // capital carries three budget years after its own, not four, and never back
                + "11,2025,120/QĐ-UBND,2025-01-15,DA5,central_recurrent,2021,1,\n"
                + "11,2025,120/QĐ-UBND,2025-01-15,DA5,central_recurrent,2022,1,\n"
                + "11,2025,120/QĐ-UBND,2025-01-15,DA6.TDA1,central_recurrent,2026,1,\n"),
        );
        let errors = refused(
            t.import_plans(&bad, day("2026-12-03"))
                .await
                .expect_err("refused"),
        );
        assert_eq!(
            errors,
            [
                "2:amount:money_total_mismatch",
                "5:source:money_capital_refused",
                "6:unit_code:money_unit_unknown",
                "7:item:money_item_unknown",
                "8:source:money_plan_budget_only",
                "9:amount:money_amount",
                "10:decided_on:not_full_date",
                "11:origin_year:money_origin_year",
                "12:origin_year:money_origin_year",
                "14:origin_year:money_origin_year",
            ],
            "{}",
            db.name
        );
        let on = day("2025-12-31");
        let province = UnitCode::parse("11").expect("unit");
        assert!(t
            .money(&province, 2025, on)
            .await
            .expect("money")
            .lines
            .is_empty());
        // a commune's officer plans nothing; a leader writes nothing
        let good = write(dir.path(), "ke-hoach.csv", PLANS);
        assert!(matches!(
            x.import_plans(&good, day("2026-12-03")).await,
            Err(QueryError::Denied(_))
        ));
        assert!(matches!(
            registry
                .for_actor(&leader)
                .import_plans(&good, day("2026-12-03"))
                .await,
            Err(QueryError::Denied(_))
        ));
        // the province's officer: four lines and the allocation (the total row checked, not kept)
        let done = t
            .import_plans(&good, day("2026-12-03"))
            .await
            .expect("imported");
        assert_eq!(
            (done.records, done.lines, done.amount),
            (2, 4, 3_300 * M),
            "{}",
            db.name
        );
        // payments: the commune's own, within its allocation; another commune's is out of scope
        let payments =
            "unit_code,budget_year,item,source,origin_year,paid_on,amount,document,advance_reason
03325,2025,DA3.TDA1,central_recurrent,2025,2025-03-05,150000000,UNC 12/KBNN,
03325,2025,DA3.TDA1,central_recurrent,,2025-04-05,250000000,UNC 30/KBNN,
";
        let file = write(dir.path(), "giai-ngan.csv", payments);
        let other = write(
            dir.path(),
            "giai-ngan-xa-khac.csv",
            &payments.replace(
                "03325,2025,DA3.TDA1,central_recurrent,,",
                "03328,2025,DA3.TDA1,central_recurrent,,",
            ),
        );
        let today = day("2026-12-03");
        assert_eq!(
            refused(
                x.import_payments(&other, today)
                    .await
                    .expect_err("out of scope")
            ),
            ["3:unit_code:money_out_of_scope"]
        );
        let paid = x.import_payments(&file, today).await.expect("paid");
        assert_eq!((paid.records, paid.amount), (2, 400 * M));
        // one more đồng is over the allocation: refused unless an advance with its reason
        let over = write(
            dir.path(),
            "qua.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document,advance_reason\n03325,2025,DA3.TDA1,central_recurrent,2025-05-05,1,UNC 31/KBNN,\n",
        );
        assert_eq!(
            refused(x.import_payments(&over, today).await.expect_err("over")),
            ["2:amount:money_over_plan"]
        );
        let advance = write(
            dir.path(),
            "tam-ung.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document,advance_reason\n03325,2025,DA3.TDA1,central_recurrent,2025-05-05,1,UNC 31/KBNN,Tạm ứng theo Công văn 45/UBND\n",
        );
        x.import_payments(&advance, today)
            .await
            .expect("an advance");
        // the province's own payments are its officer's
        let own = write(
            dir.path(),
            "tinh.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document\n11,2025,DA1.TDA1,central_investment,2025-06-01,500000000,KLHT 01\n",
        );
        assert_eq!(
            refused(
                x.import_payments(&own, today)
                    .await
                    .expect_err("the province's")
            ),
            ["2:unit_code:money_out_of_scope"]
        );
        t.import_payments(&own, today)
            .await
            .expect("the province's own");
        // a payment after today, and one past January after its year
        let late = write(
            dir.path(),
            "sai-ngay.csv",
            "unit_code,budget_year,item,source,paid_on,amount,document\n11,2025,DA1.TDA1,central_investment,2026-12-04,1,A\n11,2025,DA1.TDA1,central_investment,2026-02-01,1,B\n11,2025,DA1.TDA1,central_investment,2026-01-31,1,C\n11,2025,DA1.TDA1,central_investment,2024-12-31,1,D\n11,2025,DA1.TDA1,central_investment,2025-01-01,1,E\n",
        );
        let QueryError::Rejected(rows) = t.import_payments(&late, today).await.expect_err("days")
        else {
            panic!("rows")
        };
        let at: Vec<String> = rows
            .iter()
            .map(|e| format!("{}:{}:{}", e.row, e.column, e.message.key))
            .collect();
        assert_eq!(
            at,
            [
                "2:paid_on:money_paid_on",
                "3:paid_on:money_paid_on",
                "5:paid_on:money_paid_on"
            ]
        );
        // the refusal says until when, the reader's way
        assert!(
            rows[1].message.render(Lang::Vi).contains("đến 31/01/2026"),
            "{}",
            rows[1].message.render(Lang::Vi)
        );
        // the figures the pages show: the commune's allocation and what it paid
        let commune = UnitCode::parse("03325").expect("unit");
        let c = x.money(&commune, 2025, on).await.expect("money");
        let key = |unit: &str, item: &str, source: &str| MoneyKey {
            unit_code: unit.into(),
            item: item.into(),
            source: source.into(),
            origin_year: 2025,
        };
        let line = &c.lines[&key("03325", "DA3.TDA1", "central_recurrent")];
        assert_eq!(
            (line.plan, line.disbursed(), line.advances),
            (400 * M, 400 * M + 1, 1)
        );
        assert_eq!(c.lines.len(), 1, "a commune sees its own lines");
        let p = t.money(&province, 2025, on).await.expect("money");
        assert_eq!(p.total(|k| k.unit_code == "11").plan, 2_900 * M);
        assert_eq!(p.total(|_| true).disbursed(), 900 * M + 1);
        // a commune's officer reads no other commune's money
        let other = UnitCode::parse("03328").expect("unit");
        assert!(matches!(
            x.money(&other, 2025, on).await,
            Err(QueryError::Denied(_))
        ));
        // a workbook: the plans on its sheet `ke_hoach_von`
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("ke_hoach_von").expect("name");
        for (r, line) in "unit_code,budget_year,document,decided_on,item,source,amount\n11,2025,150/QĐ-UBND,2025-09-15,DA5,central_recurrent,700000000".lines().enumerate() {
            for (c, v) in line.split(',').enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if r > 0 && c != 0 => sheet.write_number(r as u32, c as u16, n).expect("cell"),
                    _ => sheet.write_string(r as u32, c as u16, v).expect("cell"),
                };
            }
        }
        let xlsx = dir.path().join("ke-hoach.xlsx");
        book.save(&xlsx).expect("save");
        let done = t
            .import_plans(&xlsx, day("2026-12-03"))
            .await
            .expect("the workbook");
        assert_eq!(done.amount, 700 * M);
        let history = t.plan_history(&province, 2025).await.expect("history");
        assert_eq!(
            history
                .iter()
                .map(|d| d.document.as_str())
                .collect::<Vec<_>>(),
            ["120/QĐ-UBND", "150/QĐ-UBND"]
        );
        // in English, a refusal says the same
        let e = refused_msg(
            t.import_plans(&bad, day("2026-12-03"))
                .await
                .expect_err("refused"),
        );
        assert!(e.contains("is not the sum of its sub-projects"), "{e}");
        registry.close().await;
    }
}

fn refused_msg(e: QueryError) -> String {
    match e {
        QueryError::Rejected(rows) => rows[0].message.render(Lang::En),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn estimates_are_kept_apart_and_every_kind_exports_as_it_imports() {
    use giamngheo_app::money::{write_workbook, MoneyKind};
    for db in databases().await {
        let dir = tempfile::tempdir().expect("dir");
        let (registry, _) = Registry::open(
            &StoreOptions::new(&db.url),
            Standards::builtin().expect("standards"),
        )
        .await
        .expect("open");
        let today = day("2025-11-20");
        let tinh = actor("tinh", Role::ProvincialOfficer, "11");
        let xa = actor("xa", Role::CommuneOfficer, "03325");
        let (t, x) = (registry.for_actor(&tinh), registry.for_actor(&xa));
        // a plan document dated after today is refused; on today it is taken
        let tomorrow = PLANS.replace("2025-01-15", "2025-11-21");
        assert_eq!(
            refused(
                t.import_plans(&write(dir.path(), "mai.csv", &tomorrow), today)
                    .await
                    .expect_err("tomorrow")
            ),
            [
                "2:decided_on:money_plan_date",
                "3:decided_on:money_plan_date",
                "4:decided_on:money_plan_date",
                "5:decided_on:money_plan_date"
            ]
        );
        t.import_plans(&write(dir.path(), "kh.csv", PLANS), today)
            .await
            .expect("plans");
        let paid = "unit_code,budget_year,item,source,paid_on,amount,document\n03325,2025,DA3.TDA1,central_recurrent,2025-06-10,100000000,UNC 1\n";
        x.import_payments(&write(dir.path(), "gn.csv", paid), today)
            .await
            .expect("paid");
        // estimates: checked row by row (day in the year and not after today, a line once,
        // the commune's own), then kept apart from what was paid
        let bad = "unit_code,budget_year,item,source,as_of,amount\n\
            03325,2025,DA3.TDA1,central_recurrent,2025-11-21,1\n\
            03325,2025,DA3.TDA1,central_recurrent,2024-12-31,1\n\
            03325,2025,DA3.TDA1,central_recurrent,2025-01-01,1\n\
            03325,2025,DA3.TDA1,central_recurrent,2025-11-20,2\n\
            03328,2025,DA3.TDA1,central_recurrent,2025-10-01,1\n\
            03325,2025,DA3,central_recurrent,2025-10-01,1\n";
        assert_eq!(
            refused(
                x.import_money(
                    MoneyKind::Estimates,
                    &write(dir.path(), "uoc-sai.csv", bad),
                    today
                )
                .await
                .expect_err("bad")
            ),
            [
                "2:as_of:money_estimate_day",
                "3:as_of:money_estimate_day",
                "5:item:money_estimate_twice",
                "6:unit_code:money_out_of_scope",
                "7:item:money_item_total",
            ],
            "{}",
            db.name
        );
        let on = |s: &str| day(s);
        let commune = UnitCode::parse("03325").expect("unit");
        let key = MoneyKey {
            unit_code: "03325".into(),
            item: "DA3.TDA1".into(),
            source: "central_recurrent".into(),
            origin_year: 2025,
        };
        for (file, as_of, amount) in [
            ("uoc-1.csv", "2025-09-30", 300_000_000),
            ("uoc-2.csv", "2025-10-31", 350_000_000),
        ] {
            let text = format!("unit_code,budget_year,item,source,as_of,amount\n03325,2025,DA3.TDA1,central_recurrent,{as_of},{amount}\n");
            let w = x
                .import_money(MoneyKind::Estimates, &write(dir.path(), file, &text), today)
                .await
                .expect("estimate");
            assert_eq!((w.records, w.amount), (1, amount));
        }
        // the latest estimate made by the day asked for counts; what was paid is unchanged
        for (day_asked, expected) in [
            ("2025-09-29", None),
            ("2025-09-30", Some(300 * M)),
            ("2025-10-30", Some(300 * M)),
            ("2025-10-31", Some(350 * M)),
        ] {
            let r = x.money(&commune, 2025, on(day_asked)).await.expect("money");
            let line = &r.lines[&key];
            assert_eq!(line.estimate, expected, "{day_asked} {}", db.name);
            assert_eq!(line.disbursed(), 100 * M);
        }
        // each kind exported as CSV and as a workbook reads back as the same rows
        let province = UnitCode::parse("11").expect("unit");
        for kind in MoneyKind::ALL {
            let rows = t.money_export(&province, 2025, kind).await.expect("export");
            assert!(rows.len() > 1, "{kind:?}");
            let csv = dir.path().join(format!("{}.csv", kind.code()));
            std::fs::write(&csv, giamngheo_app::money::csv_bytes(&rows).expect("csv"))
                .expect("write");
            let xlsx = dir.path().join(format!("{}.xlsx", kind.code()));
            write_workbook(&xlsx, kind, &rows).expect("workbook");
            for file in [&csv, &xlsx] {
                let (_, back) = giamngheo_app::money::read_kind(file, kind).expect("read");
                let back: Vec<Vec<String>> = back
                    .iter()
                    .map(|r| {
                        kind.columns()
                            .iter()
                            .map(|c| r.cells.get(*c).cloned().unwrap_or_default())
                            .collect()
                    })
                    .collect();
                assert_eq!(back, rows[1..], "{kind:?} {}", file.display());
            }
        }
        // the commune's export is its own rows only
        let own = x
            .money_export(&commune, 2025, MoneyKind::Estimates)
            .await
            .expect("own");
        assert_eq!(own.len(), 3);
        assert!(own[1..].iter().all(|r| r[0] == "03325"));
        assert!(matches!(
            x.money_export(&province, 2025, MoneyKind::Plans).await,
            Err(QueryError::Denied(_))
        ));
        registry.close().await;
    }
}
